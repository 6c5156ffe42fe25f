//! `subledger diff` output: field by field, with word diffs of long text.

use super::events::{describe, event_json, kind_counts, short, value_change};
use super::timeline::{EVENT_COLUMNS, event_cells};
use super::{Style, csv_record, markdown_cell, shown, words};
use crate::ledger::{Change, Event};
use crate::register::{Field, Revision, Value};
use serde_json::json;
use std::io::{self, Write};

/// Two sides and the events between them.
pub struct DiffView<'a> {
    pub from: &'a Revision,
    /// `None` for the work tree.
    pub to: Option<&'a Revision>,
    pub events: &'a [Event],
}

fn side(rev: Option<&Revision>) -> String {
    match rev {
        Some(r) if r.commit.starts_with(&r.spec) => short(&r.commit).to_owned(),
        Some(r) => format!("{} ({})", shown(&r.spec), short(&r.commit)),
        None => "the work tree".to_owned(),
    }
}

/// Whether a field gets a word diff: long free text.
fn wordy(field: Field) -> bool {
    matches!(
        field,
        Field::Purpose | Field::Notes | Field::Retention | Field::LocationNote | Field::Emergency
    )
}

fn summary(events: &[Event]) -> String {
    format!(
        "{}: {}",
        super::findings::plural(events.len(), "change", "changes"),
        kind_counts(events)
    )
}

/// For the terminal: one line per change, long text with old, new and words.
pub fn table(out: &mut dyn Write, view: &DiffView<'_>, style: Style) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        style.paint(
            "1",
            &format!(
                "register changes from {} to {}",
                side(Some(view.from)),
                side(view.to)
            )
        )
    )?;
    if view.events.is_empty() {
        writeln!(out, "no changes")?;
        return Ok(());
    }
    writeln!(out)?;
    let id_width = view
        .events
        .iter()
        .map(|e| e.id.chars().count())
        .max()
        .unwrap_or(0)
        .min(28);
    // Long diffs are rendered in two halves in parallel, then written in order.
    if view.events.len() < PARALLEL_FROM {
        for event in view.events {
            table_event(out, event, id_width, style)?;
        }
    } else {
        let render = |events: &[Event]| -> io::Result<Vec<u8>> {
            let mut buf = Vec::new();
            for event in events {
                table_event(&mut buf, event, id_width, style)?;
            }
            Ok(buf)
        };
        let (first, second) = view.events.split_at(view.events.len() / 2);
        let (first, second) = std::thread::scope(|scope| {
            let second = scope.spawn(|| render(second));
            let first = render(first);
            (first, second.join())
        });
        out.write_all(&first?)?;
        out.write_all(&second.map_err(|_| io::Error::other("rendering failed"))??)?;
    }
    writeln!(out)?;
    writeln!(out, "{}", summary(view.events))
}

/// Diffs with at least this many changes are rendered on two threads.
const PARALLEL_FROM: usize = 2_000;

/// One change of the table.
fn table_event(
    out: &mut dyn Write,
    event: &Event,
    id_width: usize,
    style: Style,
) -> io::Result<()> {
    let kind = event.change.kind().as_str();
    let mark = match kind {
        "added" => style.paint("32", "+"),
        "removed" => style.paint("31", "-"),
        "invalid" => style.paint("31", "!"),
        _ => style.paint("36", "~"),
    };
    let id = shown(&event.id);
    match &event.change {
        Change::Changed {
            field,
            old: Some(Value::Text(a)),
            new: Some(Value::Text(b)),
        } if wordy(*field) => {
            writeln!(out, "{mark} {kind:<9}  {id:<id_width$}  {field}:")?;
            writeln!(out, "      {} {}", style.paint("31", "-"), shown(a))?;
            writeln!(out, "      {} {}", style.paint("32", "+"), shown(b))?;
            writeln!(out, "      words: {}", shown(&words::inline(a, b, 4)))?;
        }
        Change::Added(vendor) => {
            writeln!(
                out,
                "{mark} {kind:<9}  {id:<id_width$}  {}",
                shown(vendor.name())
            )?;
            for field in [
                Field::Section,
                Field::Purpose,
                Field::DataCategories,
                Field::Locations,
            ] {
                if let Some(value) = vendor.get(field) {
                    writeln!(out, "      {field}: {}", shown(&value.display()))?;
                }
            }
        }
        change => writeln!(
            out,
            "{mark} {kind:<9}  {id:<id_width$}  {}",
            describe(change, 80)
        )?,
    }
    Ok(())
}

/// A Markdown list, one item per change.
pub fn markdown(out: &mut dyn Write, view: &DiffView<'_>) -> io::Result<()> {
    writeln!(
        out,
        "# Register changes from {} to {}",
        markdown_cell(&side(Some(view.from))),
        markdown_cell(&side(view.to))
    )?;
    writeln!(out)?;
    if view.events.is_empty() {
        writeln!(out, "No changes.")?;
        return Ok(());
    }
    for event in view.events {
        let text = match &event.change {
            Change::Changed { field, old, new } => {
                format!(
                    "{field}: {}",
                    value_change(old.as_ref(), new.as_ref(), usize::MAX)
                )
            }
            change => describe(change, usize::MAX),
        };
        writeln!(
            out,
            "- **{}** {}: {}",
            event.change.kind().as_str(),
            super::markdown_code(&event.id),
            markdown_cell(&text)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", summary(view.events))
}

/// One row per change: kind, id, then the timeline's event columns.
pub fn csv(out: &mut dyn Write, view: &DiffView<'_>) -> io::Result<()> {
    csv_rows(out, view, true)
}

/// [`csv`], with or without the formula guard (off for a workbook).
fn csv_rows(out: &mut dyn Write, view: &DiffView<'_>, guard: bool) -> io::Result<()> {
    let mut header = vec!["kind", "id"];
    header.extend(EVENT_COLUMNS);
    csv_record(out, &header, guard)?;
    for event in view.events {
        let cells = event_cells(event);
        let mut row: Vec<&str> = vec![event.change.kind().as_str(), &event.id];
        row.extend(cells.iter().map(String::as_str));
        csv_record(out, &row, guard)?;
    }
    Ok(())
}

/// Versioned JSON: `subledger.diff/1`.
pub fn json(out: &mut dyn Write, view: &DiffView<'_>) -> io::Result<()> {
    let changes: Vec<serde_json::Value> = view
        .events
        .iter()
        .map(|event| {
            let mut value = event_json(event);
            // `words` for every change: the word diff of two texts, else null.
            if let Some(map) = value.as_object_mut() {
                map.insert("words".into(), serde_json::Value::Null);
            }
            if let Change::Changed {
                old: Some(Value::Text(a)),
                new: Some(Value::Text(b)),
                ..
            } = &event.change
                && let Some(map) = value.as_object_mut()
            {
                let runs: Vec<serde_json::Value> = words::runs(a, b)
                    .into_iter()
                    .map(|run| {
                        let op = match run.tag {
                            similar::ChangeTag::Equal => "equal",
                            similar::ChangeTag::Delete => "delete",
                            similar::ChangeTag::Insert => "insert",
                        };
                        json!({"op": op, "text": run.text})
                    })
                    .collect();
                map.insert("words".into(), json!(runs));
            }
            value
        })
        .collect();
    let rev = |r: Option<&Revision>| r.map(|r| json!({"spec": r.spec, "commit": r.commit}));
    super::json(
        out,
        &json!({
            "schema": "subledger.diff/1",
            "from": rev(Some(view.from)),
            "to": rev(view.to),
            "changes": changes,
        }),
    )
}

/// The diff as a workbook, from its CSV: one "Changes" sheet with the same
/// columns.
pub fn xlsx(view: &DiffView<'_>) -> Result<Vec<u8>, String> {
    use super::xlsx::Column;
    let mut csv = Vec::new();
    csv_rows(&mut csv, view, false).map_err(|e| e.to_string())?;
    let typed = [("line", Column::Int), ("column", Column::Int)];
    super::xlsx::workbook(&[super::xlsx::sheet_from_csv("Changes", &csv, &typed)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Long diffs are rendered on two threads: the output must be the
    /// one-thread output, change for change and in order.
    #[test]
    fn long_diffs_render_as_one_thread_would() {
        let events: Vec<Event> = (0..PARALLEL_FROM + 7)
            .map(|i| Event {
                id: format!("vendor-{i:05}"),
                change: Change::Changed {
                    field: if i % 2 == 0 {
                        Field::Purpose
                    } else {
                        Field::Name
                    },
                    old: Some(Value::Text(format!("Hosting of the {i} service"))),
                    new: Some(Value::Text(format!(
                        "Hosting and backups of the {i} service"
                    ))),
                },
                authored_in: None,
            })
            .collect();
        let from = Revision {
            spec: "v1".to_owned(),
            commit: "a".repeat(40),
        };
        let style = Style {
            color: false,
            width: None,
        };
        let mut parallel = Vec::new();
        let view = DiffView {
            from: &from,
            to: None,
            events: &events,
        };
        table(&mut parallel, &view, style).unwrap();
        let mut serial = Vec::new();
        for event in &events {
            table_event(&mut serial, event, 11, style).unwrap();
        }
        let text = String::from_utf8(parallel).unwrap();
        let body = String::from_utf8(serial).unwrap();
        assert!(text.contains(&format!("\n\n{body}\n")), "bodies differ");
        assert!(
            text.ends_with("2007 changes: 2007 changed\n"),
            "{}",
            &text[text.len() - 80..]
        );
        assert!(
            body.starts_with("~ changed    vendor-00000  purpose:\n"),
            "{}",
            &body[..80]
        );
    }
}
