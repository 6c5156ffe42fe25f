//! One file per subcommand. Each holds its `Args` (whose doc comment is the
//! `--help` text) and a `run` that turns flags into calls of the library.
//! Commands hold no register logic and never touch the git library or comfy-table.

pub mod audit;
pub mod check;
pub mod demo;
pub mod diff;
pub mod feed;
pub mod history;
pub mod import;
pub mod list;
pub mod notice;
pub mod object;
pub mod release;
pub mod render;
pub mod schema;
pub mod send;
pub mod site;
pub mod timeline;
pub mod verify;

mod args;
mod dates;
pub use args::{BomArg, OutArg, read_input};
pub use dates::{asked_date, date_bound, period};

use crate::render::Style;

/// A command-line choice that mirrors a domain enum variant for variant:
/// the flag's values and their help live here, the domain knows no
/// command line.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident => $domain:path { $($(#[$vmeta:meta])* $variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name {
            $($(#[$vmeta])* $variant),*
        }

        impl From<$name> for $domain {
            fn from(choice: $name) -> Self {
                match choice {
                    $($name::$variant => <$domain>::$variant),*
                }
            }
        }
    };
}
pub(crate) use choice;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

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

/// Writes a command's output: to stdout when there is no `--out` or it is
/// `-`, otherwise to the file (atomically, never over one without
/// `--force`), saying so on stderr unless --quiet.
pub fn emit(
    ctx: &mut Context<'_>,
    out: Option<&std::path::Path>,
    bytes: &[u8],
    force: bool,
) -> crate::Result<()> {
    match out {
        Some(path) if path.as_os_str() != "-" => {
            crate::files::write_new(path, bytes, force)?;
            if !ctx.quiet {
                writeln!(ctx.err, "wrote {}", path.display()).map_err(crate::Error::Output)?;
            }
            Ok(())
        }
        _ => ctx.out.write_all(bytes).map_err(crate::Error::Output),
    }
}

/// How a command that ran went: exit code 0 or 1 (2 is an [`crate::Error`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// Findings (check), changes (`diff --exit-code`) or an incomplete result.
    Findings,
}

/// A progress reporter for long walks: "reading history: N/TOTAL commits" on
/// stderr, from one second in, only when stderr is a terminal and not --quiet.
pub fn progress<'e>(quiet: bool, err: &'e mut dyn Write) -> impl FnMut(usize, usize) + 'e {
    let show = !quiet && std::io::stderr().is_terminal();
    let start = Instant::now();
    let mut last = start;
    let mut shown = false;
    move |done, total| {
        if !show {
            return;
        }
        let now = Instant::now();
        let finished = done >= total;
        if finished {
            if shown {
                let _ = write!(err, "\r\x1b[2K");
            }
            return;
        }
        if now.duration_since(start) < Duration::from_secs(1)
            || now.duration_since(last) < Duration::from_millis(100)
        {
            return;
        }
        last = now;
        shown = true;
        let _ = write!(err, "\rreading history: {done}/{total} commits");
        let _ = err.flush();
    }
}

/// Saves a report (see [`crate::files::save_report`]) and says where.
pub fn save_report(
    out: &mut dyn Write,
    root: &std::path::Path,
    path: &std::path::Path,
    text: impl AsRef<[u8]>,
    force: bool,
    owner: Option<&str>,
) -> crate::Result<()> {
    let shown = crate::files::save_report(root, path, text, force, owner)?;
    writeln!(out, "saved {shown}").map_err(crate::Error::Output)
}
