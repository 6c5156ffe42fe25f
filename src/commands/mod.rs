//! One file per subcommand. Each holds its `Args` (whose doc comment is the
//! `--help` text) and a `run` that turns flags into calls of the library.
//! Commands hold no register logic and never touch git2 or comfy-table.

pub mod check;
pub mod list;

use crate::render::Style;
use std::io::Write;
use std::path::PathBuf;

/// What every command gets: global options and where to write.
pub struct Context<'a> {
    /// `--repo`, if given.
    pub repo: Option<PathBuf>,
    /// Terminal styling decided from the environment.
    pub style: Style,
    /// `--quiet`: no progress or notes on stderr.
    pub quiet: bool,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

/// How a command that ran went: exit code 0 or 1 (2 is an [`crate::Error`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// Findings (check), changes (`diff --exit-code`) or an incomplete result.
    Findings,
}
