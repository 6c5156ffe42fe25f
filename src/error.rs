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
    #[error("no subledger.toml in {} or any parent directory", start.display())]
    ConfigNotFound { start: PathBuf },

    #[error("cannot read {}", path.display())]
    ConfigRead {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("{location}: {message}")]
    ConfigInvalid { location: String, message: String },

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

    #[error("{} is not in a git repository", path.display())]
    NotARepository {
        path: PathBuf,
        #[source]
        source: git2::Error,
    },

    #[error("unknown revision `{rev}`")]
    UnknownRevision {
        rev: String,
        /// Tag names close to `rev`, closest first.
        closest: Vec<String>,
        #[source]
        source: git2::Error,
    },

    #[error("{what}")]
    History { what: String },

    #[error("{origin}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Template {
        origin: String,
        line: Option<usize>,
        message: String,
    },

    #[error("refused: {what}")]
    Refused { what: String },

    #[error("git does not know who you are, so the tag would have no tagger")]
    NoGitIdentity(#[source] git2::Error),

    #[error("`{path}` does not exist at revision `{rev}`")]
    NotInRevision { rev: String, path: String },

    #[error("`{path}` at revision `{rev}` is not a directory")]
    NotADirInRevision { rev: String, path: String },

    #[error("git failed while {doing}")]
    Git {
        doing: String,
        #[source]
        source: git2::Error,
    },

    #[error("{} has no work tree (it is a bare repository)", path.display())]
    BareRepository { path: PathBuf },

    #[error("{what}")]
    Usage { what: String },

    #[error("cannot write output")]
    Output(#[source] io::Error),
}

impl Error {
    /// A suggestion shown under the message, where there is an obvious next step.
    pub fn hint(&self) -> Option<String> {
        match self {
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
            Error::UnknownRevision { closest, .. } if !closest.is_empty() => Some(format!(
                "the closest tags are {}; `git tag --list` shows them all",
                closest.join(", ")
            )),
            Error::UnknownRevision { .. } => Some(
                "use a commit id, a branch or a tag name, as `git rev-parse` accepts"
                    .to_owned(),
            ),
            _ => None,
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
