//! Git access: the only module that uses git2.
//!
//! Everything else sees plain data: resolved [`Revision`]s, file bytes and
//! directory [`Entry`]s read from a commit's tree. Reading a revision never
//! touches the work tree or the index, so `check --rev` is safe to run in a
//! dirty checkout.

pub mod build;
pub mod git_error;
pub mod graph;
pub mod refs;
mod tag;
mod trees;
mod verify;
pub mod walk;

use crate::error::{Error, Result};
use crate::register::Revision;
pub use git_error::GitError;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
pub use tag::{Tag, TagTarget};
pub use walk::{CommitMeta, Line, Oid, Origin, Signature, hex};

/// Read-only tuning, once per process (../shared/PERFORMANCE.md): libgit2
/// re-hashing every object it reads and its object cache cost a third of
/// the time and half the memory of a history walk, and buy nothing for a
/// tool that never writes objects it read; mapping whole packs costs memory.
#[allow(unsafe_code)]
fn tune_libgit2() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        git2::opts::strict_hash_verification(false);
        // SAFETY: set_cache_max_size only stores a global limit; it runs
        // once, before this process opens any repository.
        let _ = unsafe { git2::opts::set_cache_max_size(0) };
        // Packs are mapped in 16 MiB windows, at most 64 MiB at a time (the
        // defaults map a whole pack: 1 GiB windows). Measured on the L
        // repository: peak memory from 220 to 118 MiB, time unchanged.
        // SAFETY: as above, global limits set once before any repository is opened.
        let _ = unsafe { git2::opts::set_mwindow_size(16 << 20) };
        let _ = unsafe { git2::opts::set_mwindow_mapped_limit(64 << 20) };
    });
}

/// Why a repository could not be opened: not one, or one that belongs to
/// another user (git's safe.directory check).
fn not_opened(path: &Path, source: git2::Error) -> Error {
    match source.code() {
        git2::ErrorCode::Owner => Error::NotOwned {
            path: path.to_owned(),
        },
        _ => Error::NotARepository {
            path: path.to_owned(),
            source: source.into(),
        },
    }
}

/// Opens the repository at `git_dir` for the walk thread.
pub(crate) fn open_for_walk(git_dir: &Path) -> Result<git2::Repository> {
    tune_libgit2();
    git2::Repository::open(git_dir).map_err(|source| not_opened(git_dir, source))
}

/// The commits a shallow clone has without their parents (git's `shallow`
/// file): the history walks treat them as roots, whatever their objects say.
pub(crate) fn shallow_commits(repo: &git2::Repository) -> HashSet<Oid> {
    let text = std::fs::read_to_string(repo.commondir().join("shallow"))
        .or_else(|_| std::fs::read_to_string(repo.path().join("shallow")))
        .unwrap_or_default();
    text.lines().filter_map(|l| parse_oid(l.trim())).collect()
}

/// Whether the repository is a partial clone (`git clone --filter`): git
/// fetches what it lacks on demand, subledger cannot.
pub(crate) fn is_partial(repo: &git2::Repository) -> bool {
    let Ok(config) = repo.config() else {
        return false;
    };
    if config.get_string("extensions.partialclone").is_ok() {
        return true;
    }
    let mut promisor = false;
    if let Ok(entries) = config.entries(Some(r"remote\..*\.promisor")) {
        let _ = entries.for_each(|entry| {
            promisor |= entry.value().is_ok_and(|v| {
                matches!(v.to_ascii_lowercase().as_str(), "true" | "yes" | "on" | "1")
            });
        });
    }
    promisor
}

/// The repository's commit-graph, where git itself would use one: not in
/// a shallow clone, nor with grafts or replace refs, nor when
/// `core.commitGraph` is false.
fn graph_for(repo: &git2::Repository) -> Option<graph::Graph> {
    let common = repo.commondir();
    if repo.is_shallow() || common.join("info/grafts").exists() {
        return None;
    }
    if repo
        .config()
        .ok()
        .and_then(|c| c.get_bool("core.commitGraph").ok())
        == Some(false)
    {
        return None;
    }
    let replaced = repo
        .references_glob("refs/replace/*")
        .map(|mut refs| refs.next().is_some())
        .unwrap_or(true);
    if replaced {
        return None;
    }
    graph::Graph::open(&common.join("objects"))
}

/// An open repository.
pub struct Repo {
    repo: git2::Repository,
    /// A partial clone (its missing objects get another hint).
    partial: bool,
    /// Trees and small files already looked up, by commit and path: what
    /// a commit holds never changes, and the feed and the audit ask for
    /// the config and register tree of each release several times.
    seen: std::cell::RefCell<trees::Seen>,
}

impl Repo {
    /// Opens the repository containing `path` (a work tree, a subdirectory of
    /// one, or a bare repository).
    pub fn discover(path: &Path) -> Result<Repo> {
        tune_libgit2();
        git2::Repository::discover(path)
            .map(Repo::new)
            .map_err(|source| not_opened(path, source))
    }

    /// A second handle on the same repository, for another thread: each
    /// handle has its own pack files and caches, so reads on two handles
    /// run in parallel.
    pub fn reopen(&self) -> Result<Repo> {
        open_for_walk(self.repo.path()).map(Repo::new)
    }

    fn new(repo: git2::Repository) -> Repo {
        let partial = is_partial(&repo);
        Repo {
            repo,
            partial,
            seen: Default::default(),
        }
    }

    /// Whether this is a partial clone.
    pub fn is_partial(&self) -> bool {
        self.partial
    }

    /// The commits this clone has without their parents (none unless shallow).
    pub fn shallow(&self) -> HashSet<Oid> {
        shallow_commits(&self.repo)
    }

    /// A git2 error while `doing` something, with this repository's hint
    /// for a missing object (see [`git_error`]).
    fn git_error(&self, doing: impl Into<String>, source: git2::Error) -> Error {
        git_error(doing, source).in_partial_clone(self.partial)
    }

    /// The work tree's root, or `None` for a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// The git directory (`.git`, or the bare repository itself).
    pub fn git_dir(&self) -> PathBuf {
        self.repo.path().to_owned()
    }

    /// Resolves a revision as `git rev-parse REV^{commit}` would.
    pub fn resolve(&self, spec: &str) -> Result<Revision> {
        let object = self.repo.revparse_single(spec).map_err(|source| {
            // A revision that names nothing, or that is not one; anything
            // else (a damaged pack, an unreadable object) is what it is.
            let unknown = matches!(
                source.code(),
                git2::ErrorCode::NotFound
                    | git2::ErrorCode::InvalidSpec
                    | git2::ErrorCode::Ambiguous
                    | git2::ErrorCode::UnbornBranch
            ) || matches!(
                source.class(),
                git2::ErrorClass::Reference | git2::ErrorClass::Invalid
            );
            // A ref file that holds no commit id: damaged, not unknown.
            if source.class() == git2::ErrorClass::Reference
                && let Some(name) = source.message().strip_prefix("corrupted loose reference file: ")
            {
                return Error::BadRef {
                    file: self.repo.path().join(name).display().to_string(),
                    line: None,
                    what: format!(
                        "the ref {name} does not hold a commit id, so `{spec}` cannot be resolved (git cannot read it either)"
                    ),
                };
            }
            // A name that resolves to an object the repository lacks.
            let unknown = unknown && source.class() != git2::ErrorClass::Odb;
            match unknown {
                true => Error::UnknownRevision {
                    rev: spec.to_owned(),
                    closest: self.closest_tags(spec),
                    shallow: self.repo.is_shallow(),
                    source: source.into(),
                },
                false => self.git_error(format!("resolving `{spec}`"), source),
            }
        })?;
        let commit = object.peel_to_commit().map_err(|source| {
            if source.class() == git2::ErrorClass::Odb {
                return self.git_error(format!("resolving `{spec}`"), source);
            }
            let kind = match object.kind() {
                Some(git2::ObjectType::Tag) => object
                    .peel(git2::ObjectType::Any)
                    .ok()
                    .and_then(|o| o.kind()),
                kind => kind,
            };
            Error::Usage {
                what: match kind {
                    Some(kind) => format!("`{spec}` names a {}, not a commit", kind.str()),
                    None => format!("`{spec}` does not name a commit"),
                },
                hint: None,
            }
        })?;
        Ok(Revision {
            spec: spec.to_owned(),
            commit: commit.id().to_string(),
        })
    }

    /// Up to three tag names closest to `spec`.
    fn closest_tags(&self, spec: &str) -> Vec<String> {
        let Ok(names) = self.repo.tag_names(None) else {
            return Vec::new();
        };
        let mut scored: Vec<(f64, String)> = names
            .iter()
            .filter_map(|name| name.ok().flatten())
            .map(|name| (strsim::normalized_levenshtein(spec, name), name.to_owned()))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        scored.into_iter().take(3).map(|(_, name)| name).collect()
    }

    /// The commit a local branch points at, or `None` when there is no such branch.
    pub fn branch(&self, name: &str) -> Result<Option<Revision>> {
        match self.repo.find_branch(name, git2::BranchType::Local) {
            Ok(branch) => {
                let commit = branch
                    .get()
                    .peel_to_commit()
                    .map_err(|source| self.git_error(format!("reading branch `{name}`"), source))?;
                Ok(Some(Revision {
                    spec: name.to_owned(),
                    commit: commit.id().to_string(),
                }))
            }
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(source) => Err(self.git_error(format!("reading branch `{name}`"), source)),
        }
    }

    /// The first-parent line ending at `tip`, oldest first.
    pub fn line(&self, tip: &Revision) -> Result<Line> {
        let oid = oid(&tip.commit)?;
        walk::first_parent_line(&self.repo, oid, None)
    }

    /// The first-parent line ending at `tip`, read from the commit-graph
    /// where it can be: see [`walk::first_parent_skeleton`].
    pub fn skeleton(&self, tip: &Revision) -> Result<(Line, Option<graph::Graph>)> {
        let oid = oid(&tip.commit)?;
        walk::first_parent_skeleton(&self.repo, oid)
    }

    /// The committer date (UTC) of a revision's commit; `None` when it
    /// cannot be read or shown.
    pub fn commit_date(&self, rev: &Revision) -> Option<time::Date> {
        let id = parse_oid(&rev.commit)?;
        let meta = self.commit_meta(&id).ok()?;
        time::OffsetDateTime::from_unix_timestamp(meta.commit_time)
            .ok()
            .map(|t| t.date())
    }

    /// One commit's metadata, read from its object.
    pub fn commit_meta(&self, id: &Oid) -> Result<CommitMeta> {
        let odb = self
            .repo
            .odb()
            .map_err(|source| self.git_error(format!("reading commit {}", hex(id)), source))?;
        walk::commit_meta(&odb, *id)
    }

    /// The first-parent line ending at `tip`, back to `stop` (excluded) if
    /// it is on the line, else to the root (`Line::stopped` tells which).
    pub fn line_since(&self, tip: &Revision, stop: &Oid) -> Result<Line> {
        let oid = oid(&tip.commit)?;
        walk::first_parent_line(&self.repo, oid, Some(*stop))
    }

    /// Where this repository keeps subledger's cache: `subledger/` in the
    /// (common) git directory.
    pub fn cache_dir(&self) -> PathBuf {
        self.repo.commondir().join("subledger")
    }

    /// Whether `ancestor` is `commit` or one of its ancestors.
    pub fn is_ancestor(&self, ancestor: &Oid, commit: &Oid) -> Result<bool> {
        if ancestor == commit {
            return Ok(true);
        }
        let git = |source| self.git_error("comparing commits".to_owned(), source);
        let a = git2::Oid::from_bytes(ancestor).map_err(git)?;
        let c = git2::Oid::from_bytes(commit).map_err(git)?;
        self.repo.graph_descendant_of(c, a).map_err(git)
    }

    /// The branch HEAD points at, or `None` when HEAD is detached or unborn.
    pub fn head_branch(&self) -> Option<String> {
        let head = self.repo.find_reference("HEAD").ok()?;
        let target = head.symbolic_target().ok()??;
        let name = target.strip_prefix("refs/heads/")?;
        self.repo.head().ok()?;
        Some(name.to_owned())
    }

    /// Paths under `paths` (git pathspecs) that differ from HEAD in the
    /// index or the work tree, untracked files included.
    pub fn dirty(&self, paths: &[&str]) -> Result<Vec<String>> {
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false);
        for path in paths {
            opts.pathspec(path);
        }
        let statuses = self.repo.statuses(Some(&mut opts)).map_err(|source| {
            self.git_error("reading the status of the work tree".to_owned(), source)
        })?;
        Ok(statuses
            .iter()
            .filter(|s| s.status() != git2::Status::CURRENT)
            .map(|s| String::from_utf8_lossy(s.path_bytes()).into_owned())
            .collect())
    }

    /// Runs `work` over every item, on this thread and a second one (each
    /// with its own repository handle: one handle's pack reads are
    /// serialised), the two claiming items in small runs from one list.
    /// Returns what `work` gave, in no particular order.
    pub fn share_work<I: Sync, T: Send>(
        &self,
        items: &[I],
        work: &(dyn Fn(&Repo, &I) -> Result<Option<T>> + Sync),
    ) -> Result<Vec<T>> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        /// How many items a worker claims at a time.
        const RUN: usize = 16;
        let next = AtomicUsize::new(0);
        // One pass of a worker: claims items in small runs until none are left.
        let worker = |repo: &Repo| -> Result<Vec<T>> {
            let mut out = Vec::new();
            loop {
                let start = next.fetch_add(RUN, Ordering::Relaxed);
                let Some(run) = items.get(start..(start + RUN).min(items.len())) else {
                    return Ok(out);
                };
                for item in run {
                    if let Some(done) = work(repo, item)? {
                        out.push(done);
                    }
                }
            }
        };
        let second = self.reopen()?;
        let (mine, theirs) = std::thread::scope(|scope| {
            let worker = &worker;
            let theirs = scope.spawn(move || worker(&second));
            let mine = worker(self);
            let theirs = theirs.join().unwrap_or_else(|_| {
                Err(Error::History {
                    what: "reading the register failed".to_owned(),
                    hint: None,
                })
            });
            (mine, theirs)
        });
        let mut all = mine?;
        all.extend(theirs?);
        Ok(all)
    }

    /// Whether the repository has no commits yet (HEAD names an unborn branch).
    pub fn is_empty(&self) -> bool {
        matches!(self.repo.head(), Err(e) if e.code() == git2::ErrorCode::UnbornBranch)
    }
}

/// A git2 error while `doing` something: an object git2 cannot find is a
/// [`Error::MissingObject`] naming it (with `doing` as its context), anything
/// else an [`Error::Git`].
pub(crate) fn git_error(doing: impl Into<String>, source: git2::Error) -> Error {
    let doing = doing.into();
    if source.code() == git2::ErrorCode::NotFound && source.class() == git2::ErrorClass::Odb {
        // libgit2 names the object: "... no match for id (<hex>)".
        let message = source.message();
        let id = message
            .rfind('(')
            .and_then(|at| message.get(at + 1..at + 41))
            .filter(|id| id.bytes().all(|b| b.is_ascii_hexdigit()));
        if let Some(id) = id {
            return Error::MissingObject {
                kind: "object",
                object: id.to_owned(),
                context: Some(format!("while {doing}")),
                partial: false,
            };
        }
    }
    Error::Git {
        doing,
        source: source.into(),
    }
}

fn oid(hex: &str) -> Result<git2::Oid> {
    git2::Oid::from_str(hex).map_err(|source| git_error(format!("reading commit {hex}"), source))
}

pub use crate::commit::parse_oid;

/// The id git gives a blob with these bytes.
pub fn blob_id(bytes: &[u8]) -> Oid {
    git2::Oid::hash_object(git2::ObjectType::Blob, bytes)
        .map(walk::to_oid)
        .unwrap_or([0; 20])
}
