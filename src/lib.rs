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

/// The auditor's evidence report for a period: what was released, announced and saved.
pub mod audit;
/// The command line: global options and the dispatch.
pub mod cli;
/// One file per subcommand: parse arguments, call the domain, render.
pub mod commands;
/// A commit as plain data: ids, signatures, the line's commits.
pub mod commit;
/// Dates and times: `YYYY-MM-DD`, RFC 3339, date bounds.
pub mod dates;
/// The one error type; every variant names its file or revision.
pub mod error;
/// The bundled example register that `subledger demo` builds.
pub mod example;
/// Writing files atomically, never replacing one without `force`.
pub mod files;
/// Git access; the only module that uses the git library.
pub mod history;
/// Reading an existing published page into vendor files.
pub mod import;
/// The ledger: history turned into a timeline of releases and changes.
pub mod ledger;
/// Customer notices: what changed between two releases, which changes need
/// notice and why, dated by the notice terms (`notice::policy`).
pub mod notice;
/// The public page: what a release publishes, and since when.
pub mod page;
/// Locating the register repository and reading snapshots of it.
pub mod project;
/// The vendor file format: parse, validate, load.
pub mod register;
/// Tagging a release: what it must hold before the tag is written.
pub mod release;
/// Output formats, written to `io::Write`.
pub mod render;
/// Evidence saved under reports/: one path per release, markers, safe writes.
pub mod reports;
/// Does published history still hold? Release tags and saved notices checked.
pub mod verify;

pub use error::{Error, Result};
