//! subledger keeps a company's GDPR sub-processor list as a git-backed audit
//! ledger: one TOML file per vendor under `register/`, history in git.
//!
//! Data flows one way:
//!
//! ```text
//! git (history) ─┐
//!                ├─> Snapshot (project) -> Register + findings (register) -> documents (render)
//! work tree ─────┘
//! ```
//!
//! Commands (`commands`) wire these together and hold no logic of their
//! own; `main` only parses, runs and maps the outcome to an exit code.
#![warn(clippy::print_stdout, clippy::print_stderr)]

/// The command line: global options and the dispatch.
pub mod cli;
/// One file per subcommand.
pub mod commands;
/// A commit as plain data: ids, signatures, the line's commits.
pub mod commit;
/// Dates and times: `YYYY-MM-DD`, RFC 3339, date bounds.
pub mod dates;
/// The one error type; every variant names its file or revision.
pub mod error;

pub mod example;
/// Git access; the only module that uses the git library.
pub mod history;

pub mod import;

pub mod ledger;
/// Locating the register repository and reading snapshots of it.
pub mod notice;

pub mod page;

pub mod policy;

pub mod project;

/// The vendor file format: parse, validate, load.
pub mod register;
pub mod release;
/// Output formats, written to `io::Write`.
pub mod render;
/// Evidence saved under reports/: one path per release, markers, safe writes.
pub mod reports;

pub use error::{Error, Result};
