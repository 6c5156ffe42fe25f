//! The notice's wording: built-in minijinja templates (Markdown, text,
//! HTML), each replaceable by a template file named in subledger.toml.
//! HTML escapes every value; Markdown values go through the `md` filter.

use crate::error::{Error, Result};
use crate::notice::Notice;

/// `notice --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
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
        let mut text = serde_json::to_string_pretty(notice).map_err(|e| Error::Usage {
            what: format!("cannot write the notice as JSON: {e}"),
        })?;
        text.push('\n');
        return Ok(text);
    }
    let (origin, source) = template.unwrap_or(("built-in template", format.builtin()));
    super::template::render(format.template_name(), origin, source, notice)
}

/// The template file that replaces the built-in wording of `format`, if
/// `[notice.templates]` names one: its path (for messages) and source.
/// Templates are presentation, so they are taken from the work tree's
/// subledger.toml when there is one (a new wording applies before it is
/// committed), else from `config`.
pub fn template_override(
    project: &crate::project::Project,
    config: &crate::config::Config,
    format: Format,
) -> Result<Option<(String, String)>> {
    let templates = match project.snapshot(None) {
        Ok(snapshot) => snapshot.config.notice.templates,
        Err(_) => config.notice.templates.clone(),
    };
    let path = match format {
        Format::Markdown => templates.markdown,
        Format::Text => templates.text,
        Format::Html => templates.html,
        Format::Json => None,
    };
    let Some(rel) = path else { return Ok(None) };
    let full = project.root.join(&rel);
    let source = std::fs::read_to_string(&full).map_err(|source| Error::Read {
        path: full.clone(),
        source,
    })?;
    Ok(Some((rel, source)))
}
