//! subledger keeps a company's GDPR sub-processor list as a git-backed audit
//! ledger: one TOML file per vendor under `register/`, history in git.
//!
//! Data flows one way, and each step lives in one house:
//!
//! ```text
//!  enters            read                  decided                         worded
//!  ──────            ────                  ───────                         ──────
//!  git objects ─> history (walk, tags) ─┐
//!                                       ├─> ledger::Ledger ─> notice, release, ─> render/*
//!  work tree ───> register (parse,      │   (replay, timeline,  audit, verify,    (text, markdown,
//!                 check, config) ───────┘    releases, spans)   page             json, html, atom)
//! ```
//!
//! - A change *enters* through `history` (the only module that uses the git library:
//!   the register walk, tags, trees, verification hashes) or through the
//!   work tree (`register::workdir`), and is read into the register model by
//!   `register` (the strict vendor-file and `subledger.toml` reader).
//! - It becomes the ledger in `ledger`: `Ledger::open` locates the project,
//!   replays each commit's register changes into the timeline (cached under
//!   `.git/subledger`), and answers queries (spans between releases, the
//!   register at a point, a vendor's lineage).
//! - It is *decided* by pure rules over the ledger's data: `notice`
//!   (which changes need notice, and why; dated by `notice::policy`),
//!   `release` (what a release must hold before the tag is written), `audit`
//!   (the evidence for a period), `verify` (does published history hold),
//!   `page` (what the public page publishes), `delivery` (who is sent what,
//!   and the record of each delivery; SMTP and webhooks at its edge).
//! - It is *worded* in `render`: every sentence, table and file format,
//!   written to `io::Write`. Nothing outside `render` composes English for a
//!   document; nothing in `render` reads git or files.
//! - It *leaves* through `site` (the page, every notice, the feed and the
//!   JSON in one directory), `print` (HTML to PDF with headless Chromium)
//!   and `files` (atomic writes).
//!
//! Commands (`commands`) parse their arguments, open the ledger, call one
//! rule and one renderer; they hold no logic and never import each other.
//! `main` only parses, runs and maps the outcome to an exit code; the
//! command-line parser appears only in `main`, `cli` and `commands`.
#![warn(clippy::print_stdout, clippy::print_stderr)]

/// The auditor's evidence report for a period: what was released, announced, saved and delivered.
pub mod audit;
/// The command line: global options and the dispatch.
pub mod cli;
/// One file per subcommand: parse arguments, call the domain, render.
pub mod commands;
/// A commit as plain data: ids, signatures, the line's commits.
pub mod commit;
/// Dates and times: `YYYY-MM-DD`, RFC 3339, date bounds.
pub mod dates;
/// Telling customers: each release's notice delivered and every delivery recorded.
pub mod delivery;
/// The one error type; every variant names its file or revision.
pub mod error;
/// The bundled example register that `subledger demo` builds.
pub mod example;
/// Writing files atomically, never replacing one without `force`.
pub mod files;
/// Git access; the only module that uses the git library.
pub mod history;
/// Reading an existing published page (Markdown, HTML, CSV, JSON, YAML, text) into the register.
pub mod import;
/// The ledger: history turned into a timeline of releases and changes.
pub mod ledger;
/// Customer notices: what changed between two releases, which changes need
/// notice and why, dated by the notice terms (`notice::policy`).
pub mod notice;
/// Recording customers' objections and how each was resolved.
pub mod objections;
/// The public page: what a release publishes, and since when.
pub mod page;
/// HTML printed to PDF by headless Chromium, for auditors.
pub mod print;
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
/// JSON Schemas of the files people edit, for editors.
pub mod schema;
/// The site a company hosts: page, notices, feed and JSON in one directory.
pub mod site;
/// Does published history still hold? Release tags and saved notices checked.
pub mod verify;

pub use error::{Error, Result};
