//! `subledger verify`'s report: what does not hold first, then what was
//! checked and holds, then one summary line.

use crate::render::findings::plural;
use crate::render::shown;
use crate::verify::Report;
use std::io::{self, Write};

/// Writes `report` as text: `FAIL` lines, `ok` lines, a summary.
pub fn text(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    for line in &report.problems {
        writeln!(out, "FAIL  {}", shown(line))?;
    }
    for line in &report.checked {
        writeln!(out, "ok    {}", shown(line))?;
    }
    writeln!(
        out,
        "{}, {}: {}",
        plural(report.releases, "release", "releases"),
        plural(report.notices, "saved notice", "saved notices"),
        if report.problems.is_empty() {
            "published history holds".to_owned()
        } else {
            plural(report.problems.len(), "problem", "problems")
        }
    )
}
