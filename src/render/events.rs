//! A change in words, for every document: its kind counts, values and
//! changes shortened for a line, where a merged change was authored, and
//! each event, commit and release as JSON.

use crate::commit::{CommitMeta, hex};
use crate::dates::format_time;
use crate::ledger::releases::Release;
use crate::ledger::{Authored, Change, Event};
use crate::register::{Pos, Value, Vendor, location};
use serde::Serialize;
use serde_json::{Value as Json, json};

/// How many events of each kind: "2 added, 1 changed" (kinds by name).
pub fn kind_counts(events: &[Event]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for event in events {
        let kind = event.change.kind().as_str();
        match counts.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((kind, 1)),
        }
    }
    counts.sort();
    let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    parts.join(", ")
}

pub use crate::commit::short;

/// A value for one line of text: quoted text, lists joined, `(none)` when
/// absent, control characters shown escaped.
pub fn value_text(value: Option<&Value>, limit: usize) -> String {
    super::shown(&value_text_raw(value, limit)).into_owned()
}

fn value_text_raw(value: Option<&Value>, limit: usize) -> String {
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

/// What happened, in one line of words (no vendor id), control
/// characters shown escaped.
pub fn describe(change: &Change, limit: usize) -> String {
    super::shown(&describe_raw(change, limit)).into_owned()
}

fn describe_raw(change: &Change, limit: usize) -> String {
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
        Change::RepairedAfterCut { cut, .. } => format!(
            "loads again; what it held before is below the history cut at {}",
            short(cut)
        ),
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

/// "authored in 1a2b3c4d5e", or that a shallow clone cannot say.
pub fn authored_text(authored: &Authored) -> String {
    match authored {
        Authored::In(c) => format!("authored in {}", short(c)),
        Authored::Cut(c) => format!("authored in: unknown, history cut at {}", short(c)),
    }
}

/// One event as JSON, serialized directly (no intermediate tree). Every
/// key is always there, `null` where it does not apply to the event's kind
/// (for `changed`, a `null` old or new is a field the file left out).
#[derive(Serialize)]
pub struct EventOut<'a> {
    kind: &'static str,
    id: &'a str,
    vendor: Option<&'a Vendor>,
    from: Option<&'a str>,
    previous_ids: Option<&'a [String]>,
    added: Option<&'a [String]>,
    removed: Option<&'a [String]>,
    locations: Option<&'a [String]>,
    field: Option<&'static str>,
    old: Option<Option<&'a Value>>,
    new: Option<Option<&'a Value>>,
    file: Option<&'a str>,
    line: Option<Option<u32>>,
    column: Option<Option<u32>>,
    message: Option<&'a str>,
    authored_in: Option<&'a str>,
    /// Where the merged branch is cut, when "authored in" is unknown.
    authored_in_cut: Option<&'a str>,
    /// For a file repaired after a shallow clone's cut: where history is
    /// cut (its earlier versions are below).
    history_cut: Option<&'a str>,
}

impl<'a> EventOut<'a> {
    pub fn new(event: &'a Event) -> Self {
        let mut out = EventOut {
            kind: event.change.kind().as_str(),
            id: &event.id,
            vendor: None,
            from: None,
            previous_ids: None,
            added: None,
            removed: None,
            locations: None,
            field: None,
            old: None,
            new: None,
            file: None,
            line: None,
            column: None,
            message: None,
            authored_in: match &event.authored_in {
                Some(Authored::In(c)) => Some(c),
                _ => None,
            },
            authored_in_cut: match &event.authored_in {
                Some(Authored::Cut(c)) => Some(c),
                _ => None,
            },
            history_cut: None,
        };
        match &event.change {
            Change::Added(vendor) | Change::Removed(vendor) => out.vendor = Some(vendor),
            Change::Renamed { from, previous_ids } => {
                out.from = Some(from);
                out.previous_ids = Some(previous_ids);
            }
            Change::Relocated {
                added,
                removed,
                locations,
            } => {
                out.added = Some(added);
                out.removed = Some(removed);
                out.locations = Some(locations);
            }
            Change::Changed { field, old, new } => {
                out.field = Some(field.key());
                out.old = Some(old.as_ref());
                out.new = Some(new.as_ref());
            }
            Change::Invalid { file, pos, message } => {
                out.file = Some(file);
                out.line = Some(pos.map(|p: Pos| p.line));
                out.column = Some(pos.map(|p: Pos| p.column));
                out.message = Some(message);
            }
            Change::Repaired => {}
            Change::RepairedAfterCut { vendor, cut } => {
                out.vendor = Some(vendor);
                out.history_cut = Some(cut);
            }
        }
        out
    }
}

/// One event as a JSON value.
pub fn event_json(event: &Event) -> Json {
    serde_json::to_value(EventOut::new(event)).unwrap_or(Json::Null)
}

#[derive(Serialize)]
pub struct Author<'a> {
    name: &'a str,
    email: &'a str,
}

/// One commit of the timeline as JSON.
#[derive(Serialize)]
pub struct CommitOut<'a> {
    commit: String,
    author: Author<'a>,
    date: String,
    subject: &'a str,
    merge: bool,
    release: Option<&'a str>,
    events: Vec<EventOut<'a>>,
}

impl<'a> CommitOut<'a> {
    pub fn new(commit: &'a CommitMeta, release: Option<&'a Release>, events: &[&'a Event]) -> Self {
        CommitOut {
            commit: hex(&commit.id),
            author: Author {
                name: &commit.author.name,
                email: &commit.author.email,
            },
            date: format_time(commit.author.time, commit.author.offset),
            subject: &commit.subject,
            merge: commit.parents.len() > 1,
            release: release.map(|r| r.name.as_str()),
            events: events.iter().map(|e| EventOut::new(e)).collect(),
        }
    }
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
