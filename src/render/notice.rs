//! The notice's wording: built-in minijinja templates (Markdown, text,
//! HTML), each replaceable by a template file named in subledger.toml.
//! HTML escapes every value; Markdown values go through the `md` filter.

use crate::error::{Error, Result};
use crate::notice::Notice;

/// `notice --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Markdown, for an email or a page
    Markdown,
    /// Plain text
    Text,
    /// One self-contained HTML page
    Html,
    /// Versioned JSON (subledger.notice/1): the templates' context
    Json,
}

impl Format {
    /// The file extension of a saved notice.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Text => "txt",
            Format::Html => "html",
            Format::Json => "json",
        }
    }

    /// The key of `[notice.templates]` that replaces this format.
    pub fn template_key(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Html => "html",
            Format::Json => "json",
        }
    }

    fn template_name(self) -> &'static str {
        match self {
            Format::Markdown => "notice.md",
            Format::Text => "notice.txt",
            Format::Html => "notice.html",
            Format::Json => "notice.json",
        }
    }

    fn builtin(self) -> &'static str {
        match self {
            Format::Markdown => include_str!("templates/notice.md.j2"),
            Format::Text => include_str!("templates/notice.txt.j2"),
            Format::Html => include_str!("templates/notice.html.j2"),
            Format::Json => "",
        }
    }
}

/// Renders a notice. `template` is a replacement template: its path (for
/// messages) and source.
pub fn render(notice: &Notice, format: Format, template: Option<(&str, &str)>) -> Result<String> {
    if format == Format::Json {
        let mut text = serde_json::to_string_pretty(notice)
            .map(super::json_safe)
            .map_err(|e| Error::Usage {
                what: format!("cannot write the notice as JSON: {e}"),
            })?;
        text.push('\n');
        return Ok(text);
    }
    let (origin, source) = template.unwrap_or(("built-in template", format.builtin()));
    super::template::render(format.template_name(), origin, source, notice)
}
