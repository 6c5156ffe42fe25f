//! What `subledger demo` says when it has made the repository: where, its
//! timeline, and commands to try next.

use crate::ledger::timeline::Timeline;
use crate::render::Style;
use crate::render::timeline::{self, Format};
use std::io::{self, Write};
use std::path::Path;

/// The demo in `dir`, with `timeline`'s table and commands to try.
pub fn created(
    out: &mut dyn Write,
    dir: &Path,
    timeline: &Timeline,
    style: Style,
) -> io::Result<()> {
    let shown = dir.display().to_string();

    writeln!(
        out,
        "Created a demo register repository with a year of history in"
    )?;
    writeln!(out, "  {shown}")?;
    writeln!(out)?;
    writeln!(out, "Its timeline (subledger timeline):")?;
    writeln!(out)?;
    timeline::write_all(out, timeline, Format::Table, style)?;
    writeln!(out)?;
    writeln!(out, "Try next:")?;
    writeln!(out, "  cd {shown}")?;
    for (command, what) in [
        ("subledger list", "the register now"),
        (
            "subledger list --at 2026-03-01",
            "the register as it stood on 1 March 2026",
        ),
        (
            "subledger history google-workspace",
            "one vendor's whole life, across its rename",
        ),
        (
            "subledger diff subprocessors/2025-12-15 subprocessors/2026-07-01",
            "what changed between two releases",
        ),
        (
            "subledger diff subprocessors/2026-07-01",
            "what is committed but not released yet",
        ),
        (
            "subledger timeline --kind relocated --kind added",
            "only additions and location changes",
        ),
        (
            "subledger timeline --format csv > timeline.csv",
            "the timeline for a spreadsheet",
        ),
        (
            "subledger release --dry-run --date 2026-10-01",
            "what releasing the committed Hotjar would tag",
        ),
        (
            "subledger notice",
            "the customer notice between the last two releases",
        ),
    ] {
        writeln!(out, "  {command:<66} # {what}")?;
    }
    Ok(())
}
