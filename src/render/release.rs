//! A release in words: its tag message (what changed, when it takes
//! effect, then the lines a program checks) and what `subledger release`
//! prints.

use super::events::{describe, kind_counts, short};
use super::findings::plural;
use super::shown;
use crate::dates::{format_date, iso_date};
use crate::ledger::{Change, Event};
use crate::release::{Plan, Released};
use std::io::{self, Write};

/// "3 changes (1 added, 2 changed)".
pub fn summary(events: &[Event]) -> String {
    if events.is_empty() {
        return "no changes".to_owned();
    }
    format!(
        "{} ({})",
        plural(events.len(), "change", "changes"),
        kind_counts(events)
    )
}

/// How many vendors a baseline's changes list (each added once).
fn listed(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e.change, Change::Added(_)))
        .count()
}

/// The tag message: what changed, when it takes effect, and lines a
/// program can check (`Key: value`, git trailer style).
pub fn tag_message(plan: &Plan) -> String {
    let mut text = format!("Sub-processor list {}\n\n", plan.name);
    if let Some(note) = plan
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        text.push_str(note);
        text.push_str("\n\n");
    }
    match plan.effective {
        Some(effective) => text.push_str(&format!(
            "Released {}. Changes that need notice take effect on {} ({} after the release).\n\n",
            iso_date(plan.date),
            iso_date(effective),
            plan.terms
        )),
        None => text.push_str(&format!(
            "Released {}. The baseline: the first publication of the list, not a change, so nothing in it needs notice.\n\n",
            iso_date(plan.date),
        )),
    }
    match &plan.previous {
        Some(previous) => text.push_str(&format!(
            "{} since {} ({}):\n",
            summary(&plan.events),
            previous.name,
            format_date(previous.time, previous.offset)
        )),
        None => text.push_str(&format!(
            "Initial publication, {}:\n",
            plural(listed(&plan.events), "vendor listed", "vendors listed")
        )),
    }
    let width = plan.events.iter().map(|e| e.id.len()).max().unwrap_or(0);
    for event in &plan.events {
        let what = match &event.change {
            Change::Added(v) => format!("{} ({})", v.name(), v.section()),
            other => describe(other, 80),
        };
        text.push_str(&format!(
            "  {:<9}  {:<width$}  {what}\n",
            event.change.kind().as_str(),
            event.id
        ));
    }
    text.push('\n');
    text.push_str(&plan.trailers.write());
    text
}

/// What `subledger release` prints: the tag that would be made
/// (`dry_run`), or the release made and how to publish it.
pub fn made(out: &mut dyn Write, made: &Released, dry_run: bool) -> io::Result<()> {
    let name = shown(&made.name);
    if dry_run {
        writeln!(
            out,
            "would create tag {name} on {} ({})",
            short(&made.commit),
            made.branch
        )?;
        writeln!(out)?;
        for line in made.message.lines() {
            writeln!(out, "    {}", shown(line))?;
        }
        writeln!(out)?;
        return writeln!(out, "nothing was changed (--dry-run)");
    }
    match made.effective {
        Some(effective) => writeln!(
            out,
            "released {name} at {} on {}: {}; changes that need notice take effect on {}",
            short(&made.commit),
            iso_date(made.date),
            summary(&made.events),
            iso_date(effective)
        )?,
        None => writeln!(
            out,
            "released {name} at {} on {}: the baseline, initial publication of {}; nothing in it needs notice",
            short(&made.commit),
            iso_date(made.date),
            plural(listed(&made.events), "vendor", "vendors"),
        )?,
    }
    writeln!(out, "publish it with `git push origin {name}`")
}

/// A release (or, with --dry-run, the release it would make) as versioned
/// JSON (`subledger.release/1`); every key present.
pub fn made_json(out: &mut dyn Write, made: &Released, dry_run: bool) -> io::Result<()> {
    let changes: Vec<serde_json::Value> = made
        .events
        .iter()
        .map(|e| serde_json::json!({ "id": e.id, "kind": e.change.kind().as_str() }))
        .collect();
    let value = serde_json::json!({
        "schema": "subledger.release/1",
        "dry_run": dry_run,
        "name": made.name,
        "commit": made.commit,
        "branch": made.branch,
        "date": iso_date(made.date),
        "baseline": made.effective.is_none(),
        "effective": made.effective.map(iso_date),
        "changes": changes,
        "message": made.message,
    });
    super::json(out, &value)
}
