//! Importing a page into a register: where the files go, what is declared
//! in subledger.toml, what would be replaced, and the writing itself.

use super::page::{Import, SectionOut};
use super::writer::{config_file, merged, section_tables, vendor_file};
use crate::error::{Error, Result};
use crate::project::Project;
use crate::register::config::{self, Config};
use std::path::{Path, PathBuf};

/// What importing a page writes.
#[derive(Debug)]
pub struct Plan {
    pub page: Import,
    /// The register repository written into.
    pub root: PathBuf,
    /// Its register dir (`[register] dir`).
    pub dir: String,
    pub config_path: PathBuf,
    /// subledger.toml as it will be, when it changes.
    pub config_text: Option<String>,
    /// subledger.toml existed before (it keeps its register and notice).
    pub config_existed: bool,
    /// Sections the page has that subledger.toml did not declare.
    pub new_sections: Vec<SectionOut>,
    /// Each vendor file and its text.
    pub files: Vec<(PathBuf, String)>,
    /// Vendor files that exist and are brought up to date (`--force`).
    pub updated: Vec<PathBuf>,
    /// Vendor files of vendors the page no longer lists: removed with
    /// `--force`, else kept.
    pub gone: Vec<PathBuf>,
    /// Whether `gone` is removed.
    pub remove_gone: bool,
}

impl Plan {
    /// A path as shown to the user: relative to the repository.
    pub fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// The register to write into: the project at `repo` (or above the
/// current directory), else `repo` or the current directory. A bare
/// repository has no work tree to write into.
pub fn root(repo: Option<&Path>) -> Result<PathBuf> {
    let root = match Project::locate(repo) {
        Ok(project) => project.root,
        Err(Error::ConfigNotFound { .. }) => match repo {
            Some(repo) => repo.to_owned(),
            None => std::env::current_dir().map_err(|source| Error::Read {
                path: PathBuf::from("."),
                source,
            })?,
        },
        Err(e) => return Err(e),
    };
    let Ok(repo) = crate::history::Repo::discover(&root) else {
        return Ok(root);
    };
    let Some(workdir) = repo.workdir() else {
        return Err(Error::Refused {
            what: format!(
                "{} is a bare repository (it has no work tree): import writes subledger.toml and the vendor files",
                root.display()
            ),
            hint: Some("run it in a clone with a work tree, then commit and push".to_owned()),
        });
    };
    // Inside `.git` itself: what it wrote there would be no file of the
    // repository, and could break git.
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    if let (Some(here), Some(git_dir)) = (canonical(&root), canonical(&repo.git_dir()))
        && here.starts_with(&git_dir)
    {
        return Err(Error::Refused {
            what: format!(
                "{} is inside the git directory {}: import writes subledger.toml and the vendor files into the work tree",
                root.display(),
                git_dir.display()
            ),
            hint: Some(format!("run it in {}", workdir.display())),
        });
    }
    Ok(root)
}

/// What importing `page` (read from `file`) into `root` writes. Unless
/// `force` (or `dry_run`, which writes nothing), an existing vendor file is
/// refused, and nothing is written. With `force` an existing vendor file is
/// brought up to date (what the page does not carry is kept) and the files
/// of vendors the page no longer lists are removed.
pub fn plan(
    page: Import,
    file: &Path,
    root: PathBuf,
    force: bool,
    dry_run: bool,
    name: Option<&str>,
) -> Result<Plan> {
    let replace = force || dry_run;
    let config_path = root.join(config::FILE_NAME);
    let existing_config = std::fs::read_to_string(&config_path).ok();
    let (dir, declared): (String, Vec<String>) = match &existing_config {
        Some(text) => {
            let config = Config::parse(text, config::FILE_NAME)?;
            let declared = config
                .sections
                .iter()
                .map(|s| s.id.get_ref().clone())
                .collect();
            (config.register.dir, declared)
        }
        None => ("register".to_owned(), Vec::new()),
    };
    let new_sections: Vec<SectionOut> = page
        .sections
        .iter()
        .filter(|s| !declared.contains(&s.id))
        .cloned()
        .collect();
    let config_text = match &existing_config {
        Some(text) => {
            if new_sections.is_empty() {
                None
            } else {
                Some(format!(
                    "{}\n{}",
                    text.trim_end(),
                    section_tables(&new_sections)
                ))
            }
        }
        None => Some(config_file(
            &page.about,
            name,
            &file.display().to_string(),
            &new_sections,
        )),
    };
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut updated = Vec::new();
    for v in &page.vendors {
        let path = root.join(&dir).join(format!("{}.toml", v.id));
        let text = match std::fs::read_to_string(&path) {
            Ok(existing) if replace => {
                let text = merged(&existing, v).ok_or_else(|| Error::Refused {
                    what: format!(
                        "{}/{}.toml is not TOML, so the page cannot be merged into it; nothing was written",
                        dir, v.id
                    ),
                    hint: Some("fix or remove the file, then import again".to_owned()),
                })?;
                // A file the page says nothing new about is not "updated".
                if text != existing {
                    updated.push(path.clone());
                }
                text
            }
            _ => vendor_file(v),
        };
        files.push((path, text));
    }
    // The register's vendor files the page does not list.
    let listed: std::collections::BTreeSet<&PathBuf> = files.iter().map(|(p, _)| p).collect();
    let mut gone: Vec<PathBuf> = std::fs::read_dir(root.join(&dir))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
                .filter(|p| !listed.contains(p))
                .collect()
        })
        .unwrap_or_default();
    gone.sort();
    let plan = Plan {
        page,
        root,
        dir,
        config_path,
        config_existed: existing_config.is_some(),
        config_text,
        new_sections,
        files,
        updated,
        gone,
        remove_gone: force,
    };
    if !replace {
        let existing: Vec<String> = plan
            .files
            .iter()
            .filter(|(p, _)| p.exists())
            .map(|(p, _)| plan.shown(p))
            .collect();
        if !existing.is_empty() {
            return Err(Error::Refused {
                what: format!(
                    "{} {}: {}; nothing was written",
                    existing.len(),
                    if existing.len() == 1 {
                        "vendor file exists"
                    } else {
                        "vendor files exist"
                    },
                    existing.join(", ")
                ),
                hint: Some(
                    "--force replaces them, --dry-run shows what would be written".to_owned(),
                ),
            });
        }
    }
    Ok(plan)
}

/// Writes subledger.toml (when it changes) and the vendor files; a vendor
/// file is replaced only with `force`.
pub fn write(plan: &Plan, force: bool) -> Result<()> {
    if let Some(text) = &plan.config_text {
        crate::files::write_new(&plan.config_path, text, true)?;
    }
    for (path, text) in &plan.files {
        crate::files::write_new(path, text, force)?;
    }
    if plan.remove_gone {
        for path in &plan.gone {
            std::fs::remove_file(path).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        }
    }
    Ok(())
}
