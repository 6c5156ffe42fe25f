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

/// `--out FILE` and `--force`: where a command's document goes.
#[derive(Debug, clap::Args)]
pub struct OutArg {
    /// Write to FILE (atomically) instead of stdout; `-` is stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Replace FILE if it exists
    #[arg(long, requires = "out")]
    pub force: bool,
}

impl OutArg {
    /// Writes `bytes` where asked: see [`emit`].
    pub fn emit(&self, ctx: &mut Context<'_>, bytes: &[u8]) -> crate::Result<()> {
        emit(ctx, self.out.as_deref(), bytes, self.force)
    }

    /// A workbook is a file: refused when it would go to a terminal (no
    /// --out, stdout a terminal), with the flag to add; `> file.xlsx` and
    /// pipes get it.
    pub fn require_for_workbook(&self, example: &str) -> crate::Result<()> {
        match self.out {
            Some(_) => Ok(()),
            None if !std::io::stdout().is_terminal() => Ok(()),
            None => Err(crate::Error::Usage {
                what: "--format xlsx writes a workbook, not text for the terminal".to_owned(),
                hint: Some(format!("add --out {example} (or --out - to pipe it)")),
            }),
        }
    }

    /// Whether the document goes to a file (so it gets no terminal colours).
    pub fn to_file(&self) -> bool {
        self.out.as_ref().is_some_and(|p| p.as_os_str() != "-")
    }

    /// The terminal's style, without colours when the document goes to a file.
    pub fn style(&self, terminal: crate::render::Style) -> crate::render::Style {
        match self.to_file() {
            true => crate::render::Style {
                color: false,
                ..terminal
            },
            false => terminal,
        }
    }
}

/// `--bom`: CSV that Excel opens right.
#[derive(Debug, clap::Args)]
pub struct BomArg {
    /// Start the CSV with a UTF-8 byte order mark: use it when the file is
    /// opened in Excel (on Windows Excel reads CSV without one as Latin-1 and
    /// shows "Société" as "SociÃ©tÃ©"); leave it off for scripts. Only with
    /// --format csv
    #[arg(long)]
    pub bom: bool,
}

impl BomArg {
    /// The bytes to start the output with: the byte order mark when asked
    /// (and the output is CSV), else nothing; refused for other formats.
    pub fn prefix(&self, csv: bool) -> crate::Result<&'static [u8]> {
        match (self.bom, csv) {
            (false, _) => Ok(b""),
            (true, true) => Ok("\u{feff}".as_bytes()),
            (true, false) => Err(crate::Error::Usage {
                what: "--bom is for CSV output".to_owned(),
                hint: Some("add --format csv, or leave out --bom".to_owned()),
            }),
        }
    }

    /// Writes [`BomArg::prefix`] to stdout.
    pub fn write(&self, ctx: &mut Context<'_>, csv: bool) -> crate::Result<()> {
        let prefix = self.prefix(csv)?;
        ctx.out.write_all(prefix).map_err(crate::Error::Output)
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

/// The date a command works for: `--date YYYY-MM-DD` (at noon UTC), else
/// `SOURCE_DATE_EPOCH`, else `None` (the clock is read only by the caller
/// that must). Returns the date and its time in seconds.
pub fn asked_date(date: Option<&str>) -> crate::Result<Option<(time::Date, i64)>> {
    use crate::Error;
    let plausible = |what: String, date: time::Date| match date.year() {
        1970..=9000 => Ok(date),
        _ => Err(Error::Usage {
            what: format!(
                "{what}: {} is no date a release can have",
                crate::dates::iso_date(date)
            ),
            hint: None,
        }),
    };
    if let Some(text) = date {
        let date = crate::dates::parse_iso_date(text).ok_or_else(|| Error::Usage {
            what: format!("--date {text}: not a date"),
            hint: Some("use YYYY-MM-DD".to_owned()),
        })?;
        let date = plausible(format!("--date {text}"), date)?;
        let time = date.midnight().assume_utc().unix_timestamp() + 12 * 3600;
        return Ok(Some((date, time)));
    }
    let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let seconds: i64 = epoch.trim().parse().map_err(|_| Error::Usage {
        what: format!("SOURCE_DATE_EPOCH={epoch}: not a number of seconds"),
        hint: None,
    })?;
    let dt = time::OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| Error::Usage {
        what: format!("SOURCE_DATE_EPOCH={epoch}: out of range"),
        hint: None,
    })?;
    plausible(format!("SOURCE_DATE_EPOCH={epoch}"), dt.date())?;
    Ok(Some((dt.date(), seconds)))
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
