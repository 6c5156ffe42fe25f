//! The timeline in every format: grouped by commit for people, one row per
//! event for spreadsheets, versioned JSON (`subledger.timeline/1`).

use super::{Style, csv_row, markdown_cell};
use crate::history::{CommitMeta, hex};
use crate::ledger::timeline::{Release, Timeline, format_date, format_time};
use crate::ledger::{Change, Event};
use crate::register::{Value, location};
use serde_json::{Value as Json, json};
use std::io::{self, Write};

/// The part of a timeline being shown.
pub struct TimelineView<'a> {
    pub timeline: &'a Timeline,
    /// The range asked for, as the user wrote it.
    pub range: Option<String>,
    /// Commits with their shown events, oldest first.
    pub entries: Vec<(usize, Vec<&'a Event>)>,
}

impl TimelineView<'_> {
    fn release(&self, index: usize) -> Option<&Release> {
        self.timeline.release_for(index)
    }

    fn commit(&self, index: usize) -> &CommitMeta {
        &self.timeline.commits[index]
    }

    fn event_count(&self) -> usize {
        self.entries.iter().map(|(_, e)| e.len()).sum()
    }
}

/// A short commit id.
pub fn short(id: &str) -> &str {
    id.get(..10).unwrap_or(id)
}

/// A value for one line of text: quoted text, lists joined, `(none)` when absent.
pub fn value_text(value: Option<&Value>, limit: usize) -> String {
    match value {
        None => "(none)".to_owned(),
        Some(Value::Text(t)) => format!("\"{}\"", ellipsis(&t.replace('\n', " "), limit)),
        Some(Value::List(items)) => format!("[{}]", ellipsis(&items.join(", "), limit)),
        Some(Value::Date(_)) => value.map(Value::display).unwrap_or_default(),
    }
}

fn ellipsis(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(limit.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Locations as `Germany (DE)`.
fn places(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| match location::name(c) {
            name if name == c => c.clone(),
            name => format!("{name} ({c})"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What happened, in one line of words (no vendor id).
pub fn describe(change: &Change, limit: usize) -> String {
    match change {
        Change::Added(v) | Change::Removed(v) => v.name().to_owned(),
        Change::Renamed { from, .. } => format!("renamed from {from}"),
        Change::Relocated { added, removed, .. } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("+ {}", places(added)));
            }
            if !removed.is_empty() {
                parts.push(format!("- {}", places(removed)));
            }
            format!("locations: {}", parts.join("; "))
        }
        Change::Changed { field, old, new } => {
            format!(
                "{field}: {}",
                value_change(old.as_ref(), new.as_ref(), limit)
            )
        }
        Change::Invalid { file, pos, message } => match pos {
            Some(p) => format!(
                "cannot be loaded: {file}:{}:{}: {message}",
                p.line, p.column
            ),
            None => format!("cannot be loaded: {file}: {message}"),
        },
        Change::Repaired => "loads again".to_owned(),
    }
}

/// How a field's value changed, in one line: list items added and
/// removed, a word diff for long text, else `old -> new`.
pub fn value_change(old: Option<&Value>, new: Option<&Value>, limit: usize) -> String {
    match (old, new) {
        (Some(Value::List(a)), Some(Value::List(b))) => {
            let added: Vec<String> = b
                .iter()
                .filter(|x| !a.contains(x))
                .map(|x| format!("\"{x}\""))
                .collect();
            let removed: Vec<String> = a
                .iter()
                .filter(|x| !b.contains(x))
                .map(|x| format!("\"{x}\""))
                .collect();
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("+ {}", added.join(", ")));
            }
            if !removed.is_empty() {
                parts.push(format!("- {}", removed.join(", ")));
            }
            if parts.is_empty() {
                format!("reordered to {}", value_text(new, limit))
            } else {
                parts.join("; ")
            }
        }
        (Some(Value::Text(a)), Some(Value::Text(b)))
            if a.chars().count() + b.chars().count() > 60 =>
        {
            super::words::inline(a, b, 3)
        }
        (None, Some(_)) => format!("set to {}", value_text(new, limit)),
        (Some(_), None) => format!("removed (was {})", value_text(old, limit)),
        _ => format!("{} -> {}", value_text(old, limit), value_text(new, limit)),
    }
}

fn cut_notice(view: &TimelineView<'_>) -> Option<String> {
    let timeline = view.timeline;
    if !timeline.cut {
        return None;
    }
    let first = timeline.commits.first()?;
    Some(format!(
        "history is cut at commit {} ({}): this is a shallow clone, so the register there is where this timeline starts; run `git fetch --unshallow` for the whole ledger",
        short(&hex(&first.id)),
        format_date(first.author.time, first.author.offset)
    ))
}

/// The timeline for a terminal: one block per commit.
pub fn table(out: &mut dyn Write, view: &TimelineView<'_>, style: Style) -> io::Result<()> {
    if let Some(notice) = cut_notice(view) {
        writeln!(out, "{}", style.paint("33", &format!("note: {notice}")))?;
        writeln!(out)?;
    }
    let width = usize::from(style.width.unwrap_or(100)).max(60);
    let id_width = view
        .entries
        .iter()
        .flat_map(|(_, events)| events.iter().map(|e| e.id.chars().count()))
        .max()
        .unwrap_or(0)
        .min(28);
    for (i, (index, events)) in view.entries.iter().enumerate() {
        let commit = view.commit(*index);
        if i > 0 {
            writeln!(out)?;
        }
        let id = hex(&commit.id);
        let released = match view.release(*index) {
            Some(r) => format!("released in {} ({})", r.name, format_date(r.time, r.offset)),
            None => "not released yet".to_owned(),
        };
        writeln!(
            out,
            "{}  {}  {}  {}",
            format_date(commit.author.time, commit.author.offset),
            style.paint("33", short(&id)),
            commit.author.name,
            style.paint("1", &commit.subject)
        )?;
        let merge = if commit.parents.len() > 1 {
            "merge; "
        } else {
            ""
        };
        writeln!(out, "    {merge}{released}")?;
        for event in events {
            let kind = event.change.kind().as_str();
            let limit = width.saturating_sub(id_width + 40).max(30);
            let mut line = format!(
                "  {}  {:<id_width$}  {}",
                style.paint(kind_color(kind), &format!("{kind:<9}")),
                event.id,
                describe(&event.change, limit)
            );
            if let Some(authored) = &event.authored_in {
                line.push_str(&format!(" (authored in {})", short(authored)));
            }
            writeln!(out, "{line}")?;
        }
    }
    if view.entries.is_empty() {
        writeln!(out, "no register changes in this range")?;
    } else {
        writeln!(out)?;
        writeln!(
            out,
            "{} in {}",
            super::findings::plural(view.event_count(), "event", "events"),
            super::findings::plural(view.entries.len(), "commit", "commits"),
        )?;
    }
    for tag in &view.timeline.stray_tags {
        writeln!(
            out,
            "{}",
            style.paint(
                "33",
                &format!(
                    "warning: tag {} points at {}, which is not on the first-parent line of {}; it is not counted as a release",
                    tag.name,
                    short(&hex(&tag.commit)),
                    view.timeline.branch
                )
            )
        )?;
    }
    Ok(())
}

fn kind_color(kind: &str) -> &'static str {
    match kind {
        "added" => "32",
        "removed" | "invalid" => "31",
        "renamed" | "relocated" => "36",
        _ => "0",
    }
}

/// The timeline as a Markdown table.
pub fn markdown(out: &mut dyn Write, view: &TimelineView<'_>) -> io::Result<()> {
    writeln!(
        out,
        "# Register timeline: {}",
        markdown_cell(&view.timeline.config.register.name)
    )?;
    writeln!(out)?;
    if let Some(notice) = cut_notice(view) {
        writeln!(out, "> **Note:** {}", markdown_cell(&notice))?;
        writeln!(out)?;
    }
    writeln!(
        out,
        "| Date | Commit | Author | Vendor | Change | Release |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for (index, events) in &view.entries {
        let commit = view.commit(*index);
        let release = view
            .release(*index)
            .map(|r| markdown_cell(&r.name))
            .unwrap_or_else(|| "not released".to_owned());
        for event in events {
            let mut change = describe(&event.change, usize::MAX);
            if let Some(authored) = &event.authored_in {
                change.push_str(&format!(" (authored in {})", short(authored)));
            }
            writeln!(
                out,
                "| {} | `{}` | {} | `{}` | {} | {} |",
                format_date(commit.author.time, commit.author.offset),
                short(&hex(&commit.id)),
                markdown_cell(&commit.author.name),
                event.id,
                markdown_cell(&change),
                release
            )?;
        }
    }
    Ok(())
}

/// One row per event, every detail in its own column.
pub fn csv(out: &mut dyn Write, view: &TimelineView<'_>) -> io::Result<()> {
    csv_row(
        out,
        &[
            "commit",
            "date",
            "author_name",
            "author_email",
            "subject",
            "release",
            "release_date",
            "kind",
            "id",
            "authored_in",
            "from",
            "field",
            "old",
            "new",
            "locations_added",
            "locations_removed",
            "file",
            "line",
            "column",
            "message",
        ],
    )?;
    for (index, events) in &view.entries {
        let commit = view.commit(*index);
        let id = hex(&commit.id);
        let date = format_time(commit.author.time, commit.author.offset);
        let release = view.release(*index);
        let release_name = release.map(|r| r.name.clone()).unwrap_or_default();
        let release_date = release
            .map(|r| format_time(r.time, r.offset))
            .unwrap_or_default();
        for event in events {
            let mut cells: Vec<String> = vec![String::new(); 10];
            let display = |v: &Option<Value>| v.as_ref().map(Value::display).unwrap_or_default();
            match &event.change {
                Change::Renamed { from, .. } => cells[0] = from.clone(),
                Change::Changed { field, old, new } => {
                    cells[1] = field.key().to_owned();
                    cells[2] = display(old);
                    cells[3] = display(new);
                }
                Change::Relocated { added, removed, .. } => {
                    cells[4] = added.join(" ");
                    cells[5] = removed.join(" ");
                }
                Change::Invalid { file, pos, message } => {
                    cells[6] = file.clone();
                    if let Some(p) = pos {
                        cells[7] = p.line.to_string();
                        cells[8] = p.column.to_string();
                    }
                    cells[9] = message.clone();
                }
                _ => {}
            }
            let mut row: Vec<&str> = vec![
                &id,
                &date,
                &commit.author.name,
                &commit.author.email,
                &commit.subject,
                &release_name,
                &release_date,
                event.change.kind().as_str(),
                &event.id,
                event.authored_in.as_deref().unwrap_or(""),
            ];
            row.extend(cells.iter().map(String::as_str));
            csv_row(out, &row)?;
        }
    }
    Ok(())
}

/// One event as JSON.
pub fn event_json(event: &Event) -> Json {
    let mut map = serde_json::Map::new();
    map.insert("kind".into(), json!(event.change.kind().as_str()));
    map.insert("id".into(), json!(event.id));
    match &event.change {
        Change::Added(vendor) | Change::Removed(vendor) => {
            map.insert("vendor".into(), json!(vendor));
        }
        Change::Renamed { from, previous_ids } => {
            map.insert("from".into(), json!(from));
            map.insert("previous_ids".into(), json!(previous_ids));
        }
        Change::Relocated {
            added,
            removed,
            locations,
        } => {
            map.insert("added".into(), json!(added));
            map.insert("removed".into(), json!(removed));
            map.insert("locations".into(), json!(locations));
        }
        Change::Changed { field, old, new } => {
            map.insert("field".into(), json!(field.key()));
            map.insert("old".into(), json!(old));
            map.insert("new".into(), json!(new));
        }
        Change::Invalid { file, pos, message } => {
            map.insert("file".into(), json!(file));
            map.insert("line".into(), json!(pos.map(|p| p.line)));
            map.insert("column".into(), json!(pos.map(|p| p.column)));
            map.insert("message".into(), json!(message));
        }
        Change::Repaired => {}
    }
    if let Some(authored) = &event.authored_in {
        map.insert("authored_in".into(), json!(authored));
    }
    Json::Object(map)
}

/// A release as JSON.
pub fn release_json(release: &Release) -> Json {
    json!({
        "name": release.name,
        "commit": hex(&release.commit),
        "date": format_time(release.time, release.offset),
        "annotated": release.tagger.is_some(),
    })
}

/// A commit's identity as JSON fields.
pub fn commit_fields(commit: &CommitMeta) -> serde_json::Map<String, Json> {
    let mut map = serde_json::Map::new();
    map.insert("commit".into(), json!(hex(&commit.id)));
    map.insert(
        "author".into(),
        json!({"name": commit.author.name, "email": commit.author.email}),
    );
    map.insert(
        "date".into(),
        json!(format_time(commit.author.time, commit.author.offset)),
    );
    map.insert("subject".into(), json!(commit.subject));
    map.insert("merge".into(), json!(commit.parents.len() > 1));
    map
}

/// The timeline as versioned JSON, written as a stream (it can be large).
pub fn json(out: &mut dyn Write, view: &TimelineView<'_>) -> io::Result<()> {
    let timeline = view.timeline;
    let head = json!({
        "schema": "subledger.timeline/1",
        "branch": timeline.branch,
        "tip": timeline.tip.commit,
        "range": view.range,
        "history_cut": timeline.cut.then(|| timeline.commits.first().map(|c| json!({
            "commit": hex(&c.id),
            "date": format_time(c.author.time, c.author.offset),
        }))),
        "releases": timeline.releases.iter().map(release_json).collect::<Vec<_>>(),
        "tags_off_line": timeline.stray_tags.iter().map(|t| json!({"name": t.name, "commit": hex(&t.commit)})).collect::<Vec<_>>(),
    });
    let head = serde_json::to_string_pretty(&head)?;
    // Everything but the closing brace, then the commits one by one.
    out.write_all(&head.as_bytes()[..head.len() - 2])?;
    out.write_all(b",\n  \"commits\": [")?;
    for (i, (index, events)) in view.entries.iter().enumerate() {
        let commit = view.commit(*index);
        let mut map = commit_fields(commit);
        map.insert(
            "release".into(),
            json!(view.release(*index).map(|r| r.name.clone())),
        );
        map.insert(
            "events".into(),
            Json::Array(events.iter().map(|e| event_json(e)).collect()),
        );
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut *out, &Json::Object(map))?;
    }
    out.write_all(if view.entries.is_empty() {
        b"]\n}\n"
    } else {
        b"\n  ]\n}\n"
    })
}
