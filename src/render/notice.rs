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
    fn template_key(self) -> &'static str {
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

/// The template file that replaces the built-in wording of `format`, if
/// `[notice.templates]` names one: its path (for messages) and source.
/// Templates are presentation, so they are taken from the work tree's
/// subledger.toml when there is one (a new wording applies before it is
/// committed), else from `config` and the revision `rev` it was read at (a
/// bare repository). A template must be a file inside the repository.
pub fn template_override(
    project: &crate::project::Project,
    repo: &crate::history::Repo,
    rev: &crate::register::Revision,
    config: &crate::register::config::Config,
    format: Format,
) -> Result<Option<(String, String)>> {
    let work_tree = repo.workdir().is_some();
    let templates = match project.snapshot(None) {
        Ok(snapshot) if work_tree => snapshot.config.notice.templates,
        _ => config.notice.templates.clone(),
    };
    let path = match format {
        Format::Markdown => templates.markdown,
        Format::Text => templates.text,
        Format::Html => templates.html,
        Format::Json => None,
    };
    let Some(rel) = path else { return Ok(None) };
    let key = format!("[notice.templates] {}", format.template_key());
    let refuse = |why: String| Error::ConfigInvalid {
        location: crate::register::config::FILE_NAME.to_owned(),
        message: format!(
            "{key} = \"{rel}\": {why}; name a file inside the repository, such as templates/notice.md.j2"
        ),
    };
    let full = inside(&project.root, &rel).map_err(refuse)?;
    if !work_tree {
        // A bare repository: the template as committed.
        let relative = full.strip_prefix(&project.root).unwrap_or(&full);
        let path = format!("{}{}", project.prefix(repo), relative.to_string_lossy());
        let bytes = repo
            .read_file(rev, &path)?
            .ok_or_else(|| refuse(format!("no such file at {}", rev.spec)))?;
        let source = String::from_utf8(bytes).map_err(|_| refuse("not UTF-8 text".to_owned()))?;
        return Ok(Some((rel, source)));
    }
    let source = std::fs::read_to_string(&full).map_err(|source| Error::Read {
        path: full.clone(),
        source,
    })?;
    Ok(Some((rel, source)))
}

/// The file `rel` names inside `root`, or why it is not inside: an
/// absolute path, `..` out of it, or a symbolic link that leads out.
pub fn inside(
    root: &std::path::Path,
    rel: &str,
) -> std::result::Result<std::path::PathBuf, String> {
    use std::path::{Component, Path, PathBuf};
    let path = Path::new(rel);
    let mut clean = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => clean.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !clean.pop() {
                    return Err("it leads out of the repository (..)".to_owned());
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err("an absolute path".to_owned());
            }
        }
    }
    if clean.as_os_str().is_empty() {
        return Err("no file".to_owned());
    }
    let full = root.join(&clean);
    let real_root = root.canonicalize().map_err(|e| e.to_string())?;
    match full.canonicalize() {
        Ok(real) if !real.starts_with(&real_root) => {
            Err("a symbolic link that leads out of the repository".to_owned())
        }
        _ => Ok(full),
    }
}
