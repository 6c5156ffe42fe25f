//! The one error type: everything that stops a command from running.
//!
//! Problems in vendor files are not errors but findings (see
//! [`crate::register::Finding`]): they are collected and reported together.
//! An [`Error`] means the command could not do its job at all (exit code 2),
//! and every variant names the path or revision it is about, so the message
//! alone tells the user where to look.

use std::io;
use std::path::PathBuf;

/// Why a command could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no subledger.toml in {}{}",
        start.display(),
        if *searched { " or any parent directory" } else { "" }
    )]
    ConfigNotFound {
        start: PathBuf,
        /// Whether the directories above were searched too (not with --repo).
        searched: bool,
    },

    #[error("cannot read {}", path.display())]
    ConfigRead {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// subledger.toml does not parse or says something impossible; `location`
    /// is `file:line:column`.
    #[error("{location}: {message}")]
    ConfigInvalid {
        location: String,
        message: String,
        /// What to do, as vendor files' findings give it ("did you mean ...").
        hint: Option<String>,
    },

    /// A notice profile subledger.toml does not declare.
    #[error(
        "no notice profile `{profile}` in subledger.toml ({})",
        if declared.is_empty() { "it declares no [notice.profile.*]".to_owned() } else { format!("it declares {}", declared.join(", ")) }
    )]
    UnknownProfile {
        profile: String,
        declared: Vec<String>,
    },

    /// A directory named as the register repository that does not exist.
    #[error("{}: no such directory", path.display())]
    NoSuchDirectory { path: PathBuf },

    /// A period that ends before it starts.
    #[error("the period from {since} to {until} ends before it starts")]
    BackwardsPeriod { since: String, until: String },

    #[error("register directory {} does not exist", path.display())]
    RegisterDirMissing { path: PathBuf },

    #[error("{} is not a directory", path.display())]
    RegisterDirNotDir { path: PathBuf },

    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// The new contents go first into a file beside the target (so the
    /// target is replaced whole or not at all), and that failed.
    #[error("cannot write {}: its new contents go first into a temporary file in {}, and that failed", path.display(), dir.display())]
    WriteBeside {
        path: PathBuf,
        dir: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("{} is a git repository that belongs to another user, so git will not open it", path.display())]
    NotOwned { path: PathBuf },

    #[error("{} is not in a git repository", path.display())]
    NotARepository {
        path: PathBuf,
        #[source]
        source: crate::history::git_error::GitError,
    },

    #[error("unknown revision `{rev}`")]
    UnknownRevision {
        rev: String,
        /// Tag names close to `rev`, closest first.
        closest: Vec<String>,
        /// The clone is shallow: the revision may be in what it cut off.
        shallow: bool,
        #[source]
        source: crate::history::git_error::GitError,
    },

    /// History that cannot be read as it is: `what` names the commit, tag
    /// or file.
    #[error("{what}")]
    History { what: String, hint: Option<String> },

    /// The answer depends on history a shallow clone does not have.
    #[error(
        "this clone's history is cut at {commit} ({date}); {}needs history back to {needs}",
        command.as_deref().map(|c| format!("{c} ")).unwrap_or_default()
    )]
    HistoryCut {
        /// The oldest commit this clone has on the line.
        commit: String,
        date: String,
        /// What the answer needs: a release, a commit, "the whole history".
        needs: String,
        /// The command that refused, filled in by the CLI.
        command: Option<String>,
    },

    /// An object the answer needs is not in the repository.
    #[error(
        "{kind} {object}{} is not in this repository",
        context.as_deref().map(|c| format!(" ({c})")).unwrap_or_default()
    )]
    MissingObject {
        /// "commit", "tree", "blob" or "object".
        kind: &'static str,
        object: String,
        /// What it is: "`register/aws.toml` at commit …", "the first parent of commit …".
        context: Option<String>,
        /// The repository is a partial clone (`git clone --filter`).
        partial: bool,
    },

    /// A release whose tag does not hold (dated before its commit or the
    /// release before, or disagreeing about the release before).
    #[error("release {release} does not hold: {problem}")]
    ReleaseDoesNotHold { release: String, problem: String },

    /// A ref file git itself would refuse.
    #[error("{file}{}: {what}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    BadRef {
        file: String,
        line: Option<usize>,
        what: String,
    },

    /// The commit-graph file cannot be trusted.
    #[error("the commit-graph file {} is corrupt: {what}", path.display())]
    CorruptGraph { path: PathBuf, what: String },

    #[error("{origin}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Template {
        origin: String,
        line: Option<usize>,
        message: String,
    },

    /// Something the command will not do as asked; `hint` says what to do instead.
    #[error("refused: {what}")]
    Refused { what: String, hint: Option<String> },

    #[error("git does not know who you are, so the tag would have no tagger")]
    NoGitIdentity(#[source] crate::history::git_error::GitError),

    #[error("`{path}` does not exist at revision `{rev}`")]
    NotInRevision { rev: String, path: String },

    #[error("`{path}` at revision `{rev}` is not a directory")]
    NotADirInRevision { rev: String, path: String },

    #[error("git failed while {doing}")]
    Git {
        doing: String,
        #[source]
        source: crate::history::git_error::GitError,
    },

    #[error("{} has no work tree (it is a bare repository)", path.display())]
    BareRepository { path: PathBuf },

    /// Arguments that do not make sense together or do not parse.
    #[error("{what}")]
    Usage { what: String, hint: Option<String> },

    #[error("cannot write output")]
    Output(#[source] io::Error),

    /// Ctrl-C stopped `send` between two letters.
    #[error(
        "interrupted: {sent} sent before it stopped, each one recorded; the rest were not tried"
    )]
    Interrupted { sent: usize },

    /// The spreadsheet library could not make the workbook.
    #[error("the workbook could not be written: {why}")]
    Workbook { why: String },
}

impl Error {
    /// A suggestion shown under the message, where there is an obvious next step.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Refused { hint, .. }
            | Error::Usage { hint, .. }
            | Error::History { hint, .. }
            | Error::ConfigInvalid { hint, .. } => hint.clone(),
            Error::UnknownProfile { declared, .. } if declared.is_empty() => Some(
                "declare one as [notice.profile.NAME] in subledger.toml, or leave --profile out for the [notice] terms"
                    .to_owned(),
            ),
            Error::UnknownProfile { .. } => Some(
                "name one of them with --profile, or use --all-profiles".to_owned(),
            ),
            Error::BackwardsPeriod { .. } => {
                Some("give --since a date on or before --until".to_owned())
            }
            Error::NotOwned { path } => Some(format!(
                "run subledger as the user it belongs to (in a container: docker run --user \"$(id -u):$(id -g)\"), or trust it with `git config --global --add safe.directory {}`",
                path.display()
            )),
            Error::NoSuchDirectory { .. } => Some(
                "--repo names the register repository: the directory that holds subledger.toml"
                    .to_owned(),
            ),
            Error::ConfigNotFound { .. } => Some(
                "run subledger inside a register repository, or point to one with --repo PATH"
                    .to_owned(),
            ),
            Error::RegisterDirMissing { .. } => Some(
                "create it, or set `dir` under [register] in subledger.toml to where the vendor files are"
                    .to_owned(),
            ),
            Error::NoGitIdentity(_) => Some(
                "run `git config user.name \"Your Name\"` and `git config user.email you@example.com` (add --global for every repository)"
                    .to_owned(),
            ),
            Error::BareRepository { .. } => {
                Some("read a revision instead, for example --rev main".to_owned())
            }
            Error::UnknownRevision { shallow: true, .. } => Some(
                "this clone is shallow: the revision may be in the history it cut off, or a tag it did not fetch; run `git fetch --unshallow --tags`, or check out with `fetch-depth: 0`"
                    .to_owned(),
            ),
            Error::UnknownRevision { closest, .. } if !closest.is_empty() => Some(format!(
                "the closest tags are {}; `git tag --list` shows them all",
                closest.join(", ")
            )),
            Error::UnknownRevision { .. } => Some(
                "use a commit id, a branch or a tag name, as `git rev-parse` accepts"
                    .to_owned(),
            ),
            Error::HistoryCut { .. } => Some(
                "run `git fetch --unshallow --tags`, or check out with `fetch-depth: 0` (GitHub Actions' actions/checkout)"
                    .to_owned(),
            ),
            Error::MissingObject { partial: true, .. } => Some(
                "this is a partial clone (made with --filter): subledger reads every version of the register from git's object store, so fetch the missing objects with `git fetch --refetch --no-filter origin`, or clone without --filter"
                    .to_owned(),
            ),
            Error::MissingObject { .. } => Some(
                "the repository is incomplete or damaged: `git fsck --full` lists what is missing; fetch or clone it again from a complete copy"
                    .to_owned(),
            ),
            Error::BadRef { file, .. } if file.ends_with("packed-refs") => Some(
                "git refuses this file too (`git for-each-ref` fails on it): fix or delete that line"
                    .to_owned(),
            ),
            Error::BadRef { file, .. } if file.contains("/refs/heads/") => {
                let name = file.rsplit_once("/refs/heads/").map_or("NAME", |(_, n)| n);
                Some(format!(
                    "point it at the right commit again: `git update-ref refs/heads/{name} COMMIT` (`git reflog {name}` lists the commits it pointed to)"
                ))
            }
            Error::BadRef { .. } => Some(
                "git skips such a ref with a warning (`git for-each-ref` shows it); subledger will not guess what it meant: fix or delete that file"
                    .to_owned(),
            ),
            Error::ReleaseDoesNotHold { .. } => Some(
                "`subledger verify` lists everything that does not hold; a release is its git tag: fix or delete the tag (`git tag -d`), then release again with `subledger release`"
                    .to_owned(),
            ),
            Error::Interrupted { .. } => {
                Some("run `subledger send` again to send the rest".to_owned())
            }
            Error::CorruptGraph { .. } => Some(
                "delete it and let git write a new one: `git commit-graph write --reachable`"
                    .to_owned(),
            ),
            _ => None,
        }
    }

    /// Something the command will not do, with what to do instead.
    pub fn refused(what: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Refused {
            what: what.into(),
            hint: Some(hint.into()),
        }
    }

    /// Arguments that do not make sense, with what would.
    pub fn usage(what: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Usage {
            what: what.into(),
            hint: Some(hint.into()),
        }
    }

    /// Names the command in an error that depends on it (a refusal for
    /// want of history says which command needed it).
    pub fn during(self, name: &str) -> Error {
        match self {
            Error::HistoryCut {
                commit,
                date,
                needs,
                command: None,
            } => Error::HistoryCut {
                commit,
                date,
                needs,
                command: Some(name.to_owned()),
            },
            other => other,
        }
    }

    /// Says what a missing object is, in an [`Error::MissingObject`] that
    /// does not say yet: a file at a commit, a commit's tree...
    pub fn object_context(self, context: impl FnOnce() -> String) -> Error {
        match self {
            Error::MissingObject {
                kind,
                object,
                context: None,
                partial,
            } => Error::MissingObject {
                kind,
                object,
                context: Some(context()),
                partial,
            },
            other => other,
        }
    }

    /// Marks an [`Error::MissingObject`] as coming from a partial clone,
    /// whose hint differs.
    pub fn in_partial_clone(self, partial: bool) -> Error {
        match self {
            Error::MissingObject {
                kind,
                object,
                context,
                partial: was,
            } => Error::MissingObject {
                kind,
                object,
                context,
                partial: was || partial,
            },
            other => other,
        }
    }

    /// Whether the error is a closed output pipe (`subledger list | head`),
    /// which is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// This crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
