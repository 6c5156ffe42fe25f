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

/// The rule every verify problem is reported under in CI formats.
const RULE: (&str, &str) = (
    "history-rewritten",
    "Published history holds: release tags, their recorded trees and the saved notices",
);

fn annotations(report: &Report) -> Vec<crate::render::ci::Annotation<'_>> {
    report
        .problems
        .iter()
        .map(|p| crate::render::ci::Annotation {
            file: None,
            line: None,
            column: None,
            error: true,
            rule: RULE.0,
            message: p,
            help: None,
        })
        .collect()
}

/// Writes `report` as versioned JSON (`subledger.verify/1`).
pub fn json(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let value = serde_json::json!({
        "schema": "subledger.verify/1",
        "holds": report.problems.is_empty(),
        "releases": report.releases,
        "notices": report.notices,
        "problems": report.problems,
        "checked": report.checked,
    });
    crate::render::json(out, &value)
}

/// Writes each problem as a GitHub workflow `::error` command.
pub fn github(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    crate::render::ci::github(out, &annotations(report))
}

/// Writes the problems as a SARIF 2.1.0 log.
pub fn sarif(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    crate::render::ci::sarif(out, &[RULE], &annotations(report))
}
