//! The audit report in Markdown, HTML (one file) and JSON
//! (`subledger.audit/1`).

use crate::audit::Audit;
use crate::error::{Error, Result};

/// How the report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
    /// The HTML, printed to PDF (by `crate::print`).
    Pdf,
}

impl Format {
    /// The file extension of a saved report.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Pdf => "pdf",
        }
    }
}

/// Writes the report.
pub fn render(audit: &Audit, format: Format) -> Result<String> {
    match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(audit)
                .map(super::json_safe)
                .map_err(|e| Error::Usage {
                    what: format!("cannot write the audit as JSON: {e}"),
                    hint: None,
                })?;
            text.push('\n');
            Ok(text)
        }
        Format::Markdown => super::template::render_builtin(
            "audit.md",
            include_str!("templates/audit.md.j2"),
            audit,
        ),
        Format::Html | Format::Pdf => super::template::render_builtin(
            "audit.html",
            include_str!("templates/audit.html.j2"),
            audit,
        ),
    }
}
