//! The flags several commands share, and what they turn into: where a
//! document goes (`--out`, `--force`), `--bom`, a FILE that may be `-`.

use super::{Context, emit};
use std::io::IsTerminal;
use std::path::PathBuf;

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

/// The bytes of a FILE argument, and the name to show for it: `-` reads
/// standard input ("standard input").
pub fn read_input(path: &std::path::Path) -> crate::Result<(PathBuf, Vec<u8>)> {
    if path.as_os_str() != "-" {
        let bytes = std::fs::read(path).map_err(|source| crate::Error::Read {
            path: path.to_owned(),
            source,
        })?;
        return Ok((path.to_owned(), bytes));
    }
    let shown = PathBuf::from("standard input");
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map_err(|source| {
        crate::Error::Read {
            path: shown.clone(),
            source,
        }
    })?;
    Ok((shown, bytes))
}
