//! The timeline in every format, written as it is computed (the history
//! of a large register does not have to fit in memory): grouped by commit
//! for people, one row per event for spreadsheets, versioned JSON
//! (`subledger.timeline/1`).

use super::events::{CommitOut, authored_text, describe, release_json, short};
use super::{Style, csv_record, markdown_cell};
use crate::commit::{CommitMeta, hex};
use crate::dates::{format_date, format_time};
use crate::ledger::releases::Release;
use crate::ledger::timeline::Timeline;
use crate::ledger::{Authored, Change, Event};
use crate::register::Value;
use serde_json::json;
use std::io::{self, Write};

fn cut_notice(timeline: &Timeline) -> Option<String> {
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

/// `timeline --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One block per commit, for the terminal
    Table,
    /// A Markdown table, one row per event
    Markdown,
    /// Versioned JSON (subledger.timeline/1), with old and new values
    Json,
    /// One row per event
    Csv,
    /// A workbook: written as the CSV without its formula guard, the rows
    /// [`xlsx`] makes the workbook of.
    Xlsx,
}

/// The timeline as a workbook, from its [`Format::Xlsx`] rows: one "Timeline" sheet with the
/// same columns, commit and release times as UTC date-times.
pub fn xlsx(csv: &[u8]) -> Result<Vec<u8>, String> {
    use super::xlsx::Column;
    let typed = [
        ("date", Column::When),
        ("release_date", Column::When),
        ("line", Column::Int),
        ("column", Column::Int),
    ];
    super::xlsx::workbook(&[super::xlsx::sheet_from_csv("Timeline", csv, &typed)?])
}

/// Writes a timeline entry by entry: [`begin`](Self::begin), then
/// [`entry`](Self::entry) for each commit, then [`finish`](Self::finish).
pub struct TimelineWriter {
    pub format: Format,
    pub style: Style,
    /// The range asked for, as the user wrote it.
    pub range: Option<String>,
    events: usize,
    commits: usize,
}

impl TimelineWriter {
    pub fn new(format: Format, style: Style, range: Option<String>) -> Self {
        TimelineWriter {
            format,
            style,
            range,
            events: 0,
            commits: 0,
        }
    }

    pub fn begin(&mut self, out: &mut dyn Write, timeline: &Timeline) -> io::Result<()> {
        match self.format {
            Format::Table => {
                if let Some(notice) = cut_notice(timeline) {
                    writeln!(
                        out,
                        "{}",
                        self.style.paint("33", &format!("note: {notice}"))
                    )?;
                    writeln!(out)?;
                }
                Ok(())
            }
            Format::Markdown => {
                writeln!(
                    out,
                    "# Register timeline: {}",
                    markdown_cell(&timeline.config.register.name)
                )?;
                writeln!(out)?;
                if let Some(notice) = cut_notice(timeline) {
                    writeln!(out, "> **Note:** {}", markdown_cell(&notice))?;
                    writeln!(out)?;
                }
                writeln!(
                    out,
                    "| Date | Commit | Author | Vendor | Change | Release |"
                )?;
                writeln!(out, "|---|---|---|---|---|---|")
            }
            Format::Csv | Format::Xlsx => {
                let mut header = COMMIT_COLUMNS.to_vec();
                header.extend(EVENT_COLUMNS);
                csv_record(out, &header, self.format == Format::Csv)
            }
            Format::Json => {
                let head = json!({
                    "schema": "subledger.timeline/1",
                    "branch": timeline.branch,
                    "tip": timeline.tip.commit,
                    "range": self.range,
                    "history_cut": timeline.cut.then(|| timeline.commits.first().map(|c| json!({
                        "commit": hex(&c.id),
                        "date": format_time(c.author.time, c.author.offset),
                    }))),
                    "releases": timeline.releases.iter().map(release_json).collect::<Vec<_>>(),
                    "tags_off_line": timeline.stray_tags.iter().filter(|t| t.is_commit()).map(|t| json!({"name": t.name, "commit": hex(&t.commit)})).collect::<Vec<_>>(),
                    "irregular_tags": timeline.stray_tags.iter().filter(|t| !t.is_commit()).map(|t| json!({"name": t.name, "object": hex(&t.commit), "kind": t.kind})).collect::<Vec<_>>(),
                });
                let head = super::json_safe(serde_json::to_string_pretty(&head)?);
                // Everything but the closing brace; the commits follow one per line.
                out.write_all(&head.as_bytes()[..head.len() - 2])?;
                out.write_all(b",\n  \"commits\": [")
            }
        }
    }

    /// Writes the events of the commit at `index` on the line.
    pub fn entry(
        &mut self,
        out: &mut dyn Write,
        timeline: &Timeline,
        index: usize,
        events: &[&Event],
    ) -> io::Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let commit = &timeline.commits[index];
        let release = timeline.release_for(index);
        let first = self.commits == 0;
        self.commits += 1;
        self.events += events.len();
        match self.format {
            Format::Table => self.table_entry(out, commit, release, events),
            Format::Markdown => markdown_entry(out, commit, release, events),
            Format::Csv => csv_entry(out, commit, release, events, true),
            Format::Xlsx => csv_entry(out, commit, release, events, false),
            Format::Json => {
                out.write_all(if first { b"\n    " } else { b",\n    " })?;
                let entry = CommitOut::new(commit, release, events);
                let text = super::json_safe(serde_json::to_string(&entry)?);
                out.write_all(text.as_bytes())?;
                Ok(())
            }
        }
    }

    fn table_entry(
        &self,
        out: &mut dyn Write,
        commit: &CommitMeta,
        release: Option<&Release>,
        events: &[&Event],
    ) -> io::Result<()> {
        let style = self.style;
        if self.commits > 1 {
            writeln!(out)?;
        }
        let width = usize::from(style.width.unwrap_or(100)).max(60);
        let id_width = events
            .iter()
            .map(|e| e.id.chars().count())
            .max()
            .unwrap_or(0)
            .min(28);
        let released = match release {
            Some(r) => format!(
                "released in {} ({})",
                super::shown(&r.name),
                format_date(r.time, r.offset)
            ),
            None => "not released yet".to_owned(),
        };
        writeln!(
            out,
            "{}  {}  {}  {}",
            format_date(commit.author.time, commit.author.offset),
            style.paint("33", short(&hex(&commit.id))),
            super::shown(&commit.author.name),
            style.paint("1", &super::shown(&commit.subject))
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
                super::shown(&event.id),
                describe(&event.change, limit)
            );
            if let Some(authored) = &event.authored_in {
                line.push_str(&format!(" ({})", authored_text(authored)));
            }
            writeln!(out, "{line}")?;
        }
        Ok(())
    }

    pub fn finish(&mut self, out: &mut dyn Write, timeline: &Timeline) -> io::Result<()> {
        match self.format {
            Format::Table => {
                let style = self.style;
                if self.commits == 0 {
                    writeln!(out, "no register changes in this range")?;
                } else {
                    writeln!(out)?;
                    writeln!(
                        out,
                        "{} in {}",
                        super::findings::plural(self.events, "event", "events"),
                        super::findings::plural(self.commits, "commit", "commits"),
                    )?;
                }
                for tag in &timeline.stray_tags {
                    writeln!(
                        out,
                        "{}",
                        style.paint(
                            "33",
                            &format!(
                                "warning: tag {} points at {}, which is {}; it is not counted as a release",
                                super::shown(&tag.name),
                                short(&hex(&tag.commit)),
                                tag.problem(&timeline.branch)
                            )
                        )
                    )?;
                }
                Ok(())
            }
            Format::Markdown | Format::Csv | Format::Xlsx => Ok(()),
            Format::Json => out.write_all(if self.commits == 0 {
                b"]\n}\n"
            } else {
                b"\n  ]\n}\n"
            }),
        }
    }
}

fn markdown_entry(
    out: &mut dyn Write,
    commit: &CommitMeta,
    release: Option<&Release>,
    events: &[&Event],
) -> io::Result<()> {
    let release = release
        .map(|r| markdown_cell(&r.name))
        .unwrap_or_else(|| "not released".to_owned());
    for event in events {
        let mut change = describe(&event.change, usize::MAX);
        if let Some(authored) = &event.authored_in {
            change.push_str(&format!(" ({})", authored_text(authored)));
        }
        writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} |",
            format_date(commit.author.time, commit.author.offset),
            short(&hex(&commit.id)),
            markdown_cell(&commit.author.name),
            super::markdown_code(&event.id),
            markdown_cell(&change),
            release
        )?;
    }
    Ok(())
}

/// The CSV columns that describe one event, after its kind and id.
pub const EVENT_COLUMNS: [&str; 10] = [
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
];

/// One event's cells for [`EVENT_COLUMNS`].
pub fn event_cells(event: &Event) -> [String; 10] {
    let mut cells: [String; 10] = Default::default();
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
    cells
}

/// The CSV columns about the commit, before the event's.
const COMMIT_COLUMNS: [&str; 10] = [
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
];

fn csv_entry(
    out: &mut dyn Write,
    commit: &CommitMeta,
    release: Option<&Release>,
    events: &[&Event],
    guard: bool,
) -> io::Result<()> {
    let id = hex(&commit.id);
    let date = format_time(commit.author.time, commit.author.offset);
    let release_name = release.map(|r| r.name.clone()).unwrap_or_default();
    let release_date = release
        .map(|r| format_time(r.time, r.offset))
        .unwrap_or_default();
    for event in events {
        let cells = event_cells(event);
        let authored_cell = match &event.authored_in {
            None => String::new(),
            Some(Authored::In(c)) => c.clone(),
            Some(Authored::Cut(c)) => format!("unknown: history cut at {c}"),
        };
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
            &authored_cell,
        ];
        row.extend(cells.iter().map(String::as_str));
        csv_record(out, &row, guard)?;
    }
    Ok(())
}

/// A whole timeline already in memory (every entry of `timeline`).
pub fn write_all(
    out: &mut dyn Write,
    timeline: &Timeline,
    format: Format,
    style: Style,
) -> io::Result<()> {
    let mut writer = TimelineWriter::new(format, style, None);
    writer.begin(out, timeline)?;
    for entry in &timeline.entries {
        let events: Vec<&Event> = entry.events.iter().collect();
        writer.entry(out, timeline, entry.index, &events)?;
    }
    writer.finish(out, timeline)
}

fn kind_color(kind: &str) -> &'static str {
    match kind {
        "added" => "32",
        "removed" | "invalid" => "31",
        "renamed" | "relocated" => "36",
        _ => "0",
    }
}
/// The selected entries, written as they come.
pub struct Written<'o> {
    pub writer: TimelineWriter,
    pub out: &'o mut dyn Write,
}

impl crate::ledger::query::Reader for Written<'_> {
    fn begin(&mut self, timeline: &Timeline) -> crate::Result<()> {
        self.writer
            .begin(self.out, timeline)
            .map_err(crate::Error::Output)
    }

    fn entry(
        &mut self,
        timeline: &Timeline,
        index: usize,
        events: &[&crate::ledger::Event],
    ) -> crate::Result<()> {
        self.writer
            .entry(self.out, timeline, index, events)
            .map_err(crate::Error::Output)
    }
}
