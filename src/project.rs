//! Finding the register repository and reading a [`Snapshot`] of it, from
//! the work tree or from a revision.
//!
//! The root is the directory holding `subledger.toml`: `--repo PATH`, or the
//! nearest such directory above the current one, as git finds `.git`. A bare
//! repository has no work tree, so only revisions can be read from it.

use crate::error::{Error, Result};
use crate::history::Repo;
use crate::register::config::{self, Config};
use crate::register::{Revision, Snapshot, workdir};
use std::path::{Path, PathBuf};

/// The register repository a command works on.
#[derive(Clone, Debug)]
pub struct Project {
    /// The directory holding `subledger.toml` (for a bare repository, the repository itself).
    pub root: PathBuf,
}

impl Project {
    /// Finds the project from `--repo` or the current directory.
    pub fn locate(repo: Option<&Path>) -> Result<Project> {
        let start = match repo {
            Some(path) => path.to_owned(),
            None => std::env::current_dir().map_err(|source| Error::Read {
                path: PathBuf::from("."),
                source,
            })?,
        };
        if repo.is_some() {
            if !start.is_dir() {
                return Err(Error::NoSuchDirectory { path: start });
            }
            return Ok(Project { root: start });
        }
        let found = start
            .ancestors()
            .find(|dir| dir.join(config::FILE_NAME).is_file());
        match found {
            Some(root) => Ok(Project {
                root: root.to_owned(),
            }),
            None => match Repo::discover(&start) {
                Ok(repo) if repo.workdir().is_none() => Ok(Project {
                    root: repo.git_dir(),
                }),
                _ => Err(Error::ConfigNotFound {
                    start,
                    searched: true,
                }),
            },
        }
    }

    /// The objections recorded in the work tree that hold every rule.
    pub fn objections(&self) -> Result<Vec<crate::register::objection::Objection>> {
        Ok(crate::register::check(&self.snapshot(None)?).objections)
    }

    /// Reads the register as it is in the work tree, or at `rev`.
    pub fn snapshot(&self, rev: Option<&str>) -> Result<Snapshot> {
        match rev {
            None => self.work_tree_snapshot(),
            Some(rev) => self.revision_snapshot(rev),
        }
    }

    fn work_tree_snapshot(&self) -> Result<Snapshot> {
        let path = self.root.join(config::FILE_NAME);
        if !path.is_file() {
            if let Ok(repo) = Repo::discover(&self.root)
                && repo.workdir().is_none()
            {
                return Err(Error::BareRepository {
                    path: self.root.clone(),
                });
            }
            return Err(Error::ConfigNotFound {
                searched: false,
                start: self.root.clone(),
            });
        }
        let config_text = std::fs::read_to_string(&path).map_err(|source| Error::ConfigRead {
            path: path.clone(),
            source,
        })?;
        let config = Config::parse(&config_text, config::FILE_NAME)?;
        let entries = workdir::read_dir(&self.root.join(&config.register.dir))?;
        let customers_dir = self.root.join(&config.customers.dir);
        let customers = if customers_dir.exists() {
            workdir::read_dir(&customers_dir)?
        } else {
            Vec::new()
        };
        let objections_dir = self.root.join(&config.customers.objections);
        let objections = if objections_dir.exists() {
            workdir::read_dir(&objections_dir)?
        } else {
            Vec::new()
        };
        // Dates are checked against HEAD's, in a repository with commits.
        let reference = Repo::discover(&self.root)
            .ok()
            .filter(|repo| !repo.is_empty())
            .and_then(|repo| repo.commit_date(&repo.resolve("HEAD").ok()?));
        Ok(Snapshot {
            dir_display: config.register.dir.trim_end_matches('/').to_owned(),
            customers_display: config.customers.dir.trim_end_matches('/').to_owned(),
            customers,
            objections_display: config.customers.objections.trim_end_matches('/').to_owned(),
            objections,
            config,
            config_text,
            config_file: config::FILE_NAME.to_owned(),
            entries,
            revision: None,
            reference,
        })
    }

    fn revision_snapshot(&self, spec: &str) -> Result<Snapshot> {
        let repo = Repo::discover(&self.root)?;
        let revision = repo.resolve(spec)?;
        self.snapshot_at(&repo, revision)
    }

    /// Reads the register at a resolved revision; findings name files `SPEC:path`.
    pub fn snapshot_at(&self, repo: &Repo, revision: Revision) -> Result<Snapshot> {
        let at = self.config_at(repo, &revision)?;
        let entries = repo.read_dir(&revision, &at.dir)?;
        let customers_dir = format!("{}{}", self.prefix(repo), at.config.customers.dir);
        let customers = match repo.read_dir(&revision, &customers_dir) {
            Ok(entries) => entries,
            Err(Error::NotInRevision { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        let objections_dir = format!("{}{}", self.prefix(repo), at.config.customers.objections);
        let objections = match repo.read_dir(&revision, &objections_dir) {
            Ok(entries) => entries,
            Err(Error::NotInRevision { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        Ok(Snapshot {
            dir_display: format!("{}:{}", revision.spec, at.dir),
            customers_display: format!("{}:{}", revision.spec, customers_dir),
            customers,
            objections_display: format!("{}:{}", revision.spec, objections_dir),
            objections,
            config: at.config,
            config_text: at.config_text,
            config_file: at.config_file,
            entries,
            reference: repo.commit_date(&revision),
            revision: Some(revision),
        })
    }

    /// Where this project's files are inside the repository: the path of
    /// subledger.toml's directory relative to the top, as a git path prefix
    /// (empty, or ending in `/`).
    pub fn prefix(&self, repo: &Repo) -> String {
        match repo.workdir() {
            Some(workdir) => relative_prefix(workdir, &self.root),
            None => String::new(),
        }
    }

    /// The template file that replaces the built-in wording of `format`
    /// (`markdown`, `text`, `html`), if
    /// `[notice.templates]` names one: its path (for messages) and source.
    /// Templates are presentation, so they are taken from the work tree's
    /// subledger.toml when there is one (a new wording applies before it is
    /// committed), else from `config` and the revision `rev` it was read at (a
    /// bare repository). A template must be a file inside the repository.
    pub fn notice_template(
        &self,
        repo: &Repo,
        rev: &Revision,
        config: &Config,
        format: &str,
    ) -> Result<Option<(String, String)>> {
        let project = self;
        let work_tree = repo.workdir().is_some();
        let templates = match project.snapshot(None) {
            Ok(snapshot) if work_tree => snapshot.config.notice.templates,
            _ => config.notice.templates.clone(),
        };
        let path = match format {
            "markdown" => templates.markdown,
            "text" => templates.text,
            "html" => templates.html,
            _ => None,
        };
        let Some(rel) = path else { return Ok(None) };
        let key = format!("[notice.templates] {format}");
        let refuse = |why: String| Error::ConfigInvalid {
            location: crate::register::config::FILE_NAME.to_owned(),
            message: format!("{key} = \"{rel}\": {why}"),
            hint: Some(
                "name a file inside the repository, such as templates/notice.md.j2".to_owned(),
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
            let source =
                String::from_utf8(bytes).map_err(|_| refuse("not UTF-8 text".to_owned()))?;
            return Ok(Some((rel, source)));
        }
        let source = std::fs::read_to_string(&full).map_err(|source| Error::Read {
            path: full.clone(),
            source,
        })?;
        Ok(Some((rel, source)))
    }

    /// The configuration as the work tree has it: what a draft of the next
    /// release is dated and worded under.
    pub fn work_tree_config(&self, repo: &Repo) -> Result<ConfigAt> {
        let path = self.root.join(config::FILE_NAME);
        let config_text = std::fs::read_to_string(&path).map_err(|source| Error::ConfigRead {
            path: path.clone(),
            source,
        })?;
        let config = Config::parse(&config_text, config::FILE_NAME)?;
        let dir = format!(
            "{}{}",
            self.prefix(repo),
            config.register.dir.trim_end_matches('/')
        );
        Ok(ConfigAt {
            config,
            config_text,
            config_file: config::FILE_NAME.to_owned(),
            dir,
        })
    }

    pub fn config_at(&self, repo: &Repo, revision: &Revision) -> Result<ConfigAt> {
        let prefix = self.prefix(repo);
        let spec = &revision.spec;
        let config_path = format!("{prefix}{}", config::FILE_NAME);
        let config_file = format!("{spec}:{config_path}");
        let bytes =
            repo.read_file(revision, &config_path)?
                .ok_or_else(|| Error::NotInRevision {
                    rev: spec.to_owned(),
                    path: config_path.clone(),
                })?;
        let config_text = String::from_utf8(bytes).map_err(|_| Error::ConfigInvalid {
            location: config_file.clone(),
            message: "not UTF-8 text".to_owned(),
            hint: None,
        })?;
        let config = parsed(&config_text, &config_file)?;
        let dir = format!("{prefix}{}", config.register.dir.trim_end_matches('/'));
        Ok(ConfigAt {
            config,
            config_text,
            config_file,
            dir,
        })
    }
}

/// `Config::parse`, once per text: the feed and the audit read the config
/// of every release, and it seldom changes.
fn parsed(text: &str, origin: &str) -> Result<Config> {
    thread_local! {
        static SEEN: std::cell::RefCell<Option<(String, Config)>> =
            const { std::cell::RefCell::new(None) };
    }
    if let Some(config) = SEEN.with(|seen| {
        seen.borrow()
            .as_ref()
            .filter(|(t, _)| t == text)
            .map(|(_, c)| c.clone())
    }) {
        return Ok(config);
    }
    let config = Config::parse(text, origin)?;
    SEEN.with(|seen| *seen.borrow_mut() = Some((text.to_owned(), config.clone())));
    Ok(config)
}

/// subledger.toml as read from a revision.
pub struct ConfigAt {
    pub config: Config,
    pub config_text: String,
    /// `SPEC:path/to/subledger.toml`.
    pub config_file: String,
    /// The register dir's path inside the repository.
    pub dir: String,
}

/// `root` relative to `workdir`, as a git path prefix ending in `/` (empty at the top).
fn relative_prefix(workdir: &Path, root: &Path) -> String {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_owned());
    let (workdir, root) = (canon(workdir), canon(root));
    match root.strip_prefix(&workdir) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            format!("{}/", parts.join("/"))
        }
        _ => String::new(),
    }
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
