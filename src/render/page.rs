//! The public page in Markdown, HTML (one self-contained file) and JSON.

use crate::error::{Error, Result};
use crate::page::Page;

/// `render --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Markdown, to paste into a site
    Markdown,
    /// One self-contained HTML file: no scripts, no external assets
    Html,
    /// Versioned JSON (subledger.page/1)
    Json,
}

/// Renders the page.
pub fn render(page: &Page, format: Format) -> Result<String> {
    match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(page)
                .map(super::json_safe)
                .map_err(|e| Error::Usage {
                    what: format!("cannot write the page as JSON: {e}"),
                    hint: None,
                })?;
            text.push('\n');
            Ok(text)
        }
        Format::Markdown => {
            super::template::render_builtin("page.md", include_str!("templates/page.md.j2"), page)
        }
        Format::Html => super::template::render_builtin(
            "page.html",
            include_str!("templates/page.html.j2"),
            page,
        ),
    }
}
