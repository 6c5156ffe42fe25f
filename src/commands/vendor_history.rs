//! `subledger history ID`: one vendor's whole life.

use super::{Context, Outcome, progress};
use crate::dates::{format_date, format_time};
use crate::error::{Error, Result};
use crate::ledger::timeline::{Timeline, apply};
use crate::ledger::{Change, Event};
use crate::project::Project;
use crate::register::{Field, Vendor};
use crate::render::timeline::{commit_fields, describe, event_json, short};
use crate::render::{Style, findings::plural, shown};
use serde_json::json;
use std::collections::BTreeSet;
use std::io::Write;

/// Show one vendor's whole life: every version, and who changed each field
///
/// Lists every commit that changed the vendor (under its current id or any
/// earlier one: renames are followed both ways), with the release that
/// published it, then each field's current value and the commit that last
/// changed it. Works for vendors that have since been removed.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger history stripe\n  subledger history google-workspace --format json"
)]
pub struct HistoryArgs {
    /// The vendor id (its file name without .toml), current or earlier
    #[arg(value_name = "ID")]
    pub id: String,

    /// Output format
    #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
    pub format: HistoryFormat,
}

/// `history --format`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum HistoryFormat {
    /// For the terminal
    Table,
    /// Versioned JSON (subledger.history/1)
    Json,
}

/// One version: a commit's events for the vendor and its state after them.
struct Version<'t> {
    index: usize,
    events: Vec<&'t Event>,
    state: Option<Vendor>,
}

pub fn run(args: &HistoryArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let project = Project::locate(ctx.repo.as_deref())?;
    let timeline = {
        let mut report = progress(ctx.quiet, ctx.err);
        Timeline::build(&project, None, &mut report)?
    };
    // A vendor's life may have begun below a shallow clone's cut, under
    // this id or one it was renamed from.
    timeline.require_whole()?;
    // The vendor's life: through renames, but never into another vendor
    // that later took the same id.
    let Some(life) = crate::ledger::life::life(&timeline, &args.id) else {
        let known: Vec<&str> = timeline
            .entries
            .iter()
            .flat_map(|e| &e.events)
            .map(|e| e.id.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let closest = crate::register::parse::closest(&args.id, known.iter().copied());
        return Err(Error::Usage {
            what: format!(
                "no vendor `{}` in the history of {}{}",
                args.id,
                timeline.branch,
                closest
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default()
            ),
        });
    };
    let ids: BTreeSet<String> = life.ids.iter().cloned().collect();
    let mut versions: Vec<Version<'_>> = Vec::new();
    // The life's register, rebuilt event by event as the ledger does.
    let mut lineage = crate::register::Register::default();
    let mut state: Option<Vendor> = None;
    let mut last_changed: Vec<Option<usize>> = vec![None; Field::COUNT];
    for (index, events) in life.versions {
        let Some(last) = events.last() else {
            continue;
        };
        for event in &events {
            apply(&mut lineage, event);
            let touched: Vec<Field> = match &event.change {
                Change::Added(v) | Change::RepairedAfterCut { vendor: v, .. } => {
                    v.fields().map(|(f, _)| f).collect()
                }
                Change::Renamed { .. } => vec![Field::PreviousIds],
                Change::Relocated { .. } => vec![Field::Locations],
                Change::Changed { field, .. } => vec![*field],
                Change::Removed(_) | Change::Invalid { .. } | Change::Repaired => Vec::new(),
            };
            for field in touched {
                last_changed[field.index()] = Some(index);
            }
        }
        state = lineage.vendors.get(&last.id).cloned();
        versions.push(Version {
            index,
            events,
            state: state.clone(),
        });
    }
    let others = life.others;
    match args.format {
        HistoryFormat::Table => table(
            ctx.out,
            &timeline,
            (&args.id, &ids, &others),
            &versions,
            &state,
            &last_changed,
            ctx.style,
        ),
        HistoryFormat::Json => json_out(
            ctx.out,
            &timeline,
            (&args.id, &ids, &others),
            &versions,
            &state,
            &last_changed,
        ),
    }
    .map_err(Error::Output)?;
    Ok(Outcome::Clean)
}

/// The id asked for, the ids of the life shown, and the ids now of other
/// vendors that had the id asked for.
type Names<'a> = (&'a str, &'a BTreeSet<String>, &'a [String]);

fn table(
    out: &mut dyn Write,
    timeline: &Timeline,
    (asked, ids, others): Names<'_>,
    versions: &[Version<'_>],
    current: &Option<Vendor>,
    last_changed: &[Option<usize>],
    style: Style,
) -> std::io::Result<()> {
    let last = versions.last().and_then(|v| v.events.last());
    let id = last.map(|e| e.id.clone()).unwrap_or_default();
    let name = versions
        .iter()
        .rev()
        .find_map(|v| v.state.as_ref().map(|s| s.name().to_owned()))
        .unwrap_or_else(|| id.clone());
    writeln!(
        out,
        "{}",
        style.paint("1", &shown(&format!("{id}: {name}")))
    )?;
    let aliases: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|i| *i != id)
        .collect();
    if !aliases.is_empty() {
        writeln!(out, "  also known as: {}", shown(&aliases.join(", ")))?;
    }
    for other in others {
        writeln!(
            out,
            "{}",
            shown(&format!(
                "  the id {asked} also named another vendor, now {other}: `subledger history {other}` tells its life"
            ))
        )?;
    }
    let first = &timeline.commits[versions[0].index];
    let status = match current {
        Some(_) => format!(
            "in the register since {}",
            format_date(first.author.time, first.author.offset)
        ),
        None => "not in the register now".to_owned(),
    };
    writeln!(
        out,
        "  {status}; {}",
        plural(versions.len(), "version", "versions")
    )?;
    writeln!(out)?;
    for (n, version) in versions.iter().enumerate() {
        let commit = &timeline.commits[version.index];
        let release = timeline
            .release_for(version.index)
            .map(|r| format!("released in {}", shown(&r.name)))
            .unwrap_or_else(|| "not released yet".to_owned());
        writeln!(
            out,
            "{:>3}. {}  {}  {}  {}  ({release})",
            n + 1,
            format_date(commit.author.time, commit.author.offset),
            style.paint("33", short(&crate::commit::hex(&commit.id))),
            shown(&commit.author.name),
            shown(&commit.subject)
        )?;
        for event in &version.events {
            let authored = event
                .authored_in
                .as_ref()
                .map(|a| format!(" ({})", crate::render::timeline::authored_text(a)))
                .unwrap_or_default();
            writeln!(
                out,
                "       {:<9}  {}{authored}",
                event.change.kind().as_str(),
                describe(&event.change, 70)
            )?;
        }
    }
    if let Some(vendor) = current {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            style.paint("1", "Fields now, and the commit that last changed each")
        )?;
        for (field, value) in vendor.fields() {
            let changed = last_changed[field.index()]
                .map(|i| {
                    let c = &timeline.commits[i];
                    format!(
                        "{} {}",
                        short(&crate::commit::hex(&c.id)),
                        format_date(c.author.time, c.author.offset)
                    )
                })
                .unwrap_or_default();
            writeln!(
                out,
                "  {:<22} {:<21} {}",
                field.key(),
                changed,
                crate::render::timeline::value_text(Some(value), 60)
            )?;
        }
    }
    Ok(())
}

fn json_out(
    out: &mut dyn Write,
    timeline: &Timeline,
    (asked, ids, others): Names<'_>,
    versions: &[Version<'_>],
    current: &Option<Vendor>,
    last_changed: &[Option<usize>],
) -> std::io::Result<()> {
    let versions: Vec<serde_json::Value> = versions
        .iter()
        .map(|v| {
            let mut map = commit_fields(&timeline.commits[v.index]);
            map.insert(
                "release".into(),
                json!(timeline.release_for(v.index).map(|r| r.name.clone())),
            );
            map.insert(
                "events".into(),
                json!(v.events.iter().map(|e| event_json(e)).collect::<Vec<_>>()),
            );
            map.insert("vendor".into(), json!(v.state));
            serde_json::Value::Object(map)
        })
        .collect();
    let fields: serde_json::Map<String, serde_json::Value> = current
        .iter()
        .flat_map(|v| v.fields())
        .map(|(field, value)| {
            let commit = last_changed[field.index()].map(|i| &timeline.commits[i]);
            (
                field.key().to_owned(),
                json!({
                    "value": value,
                    "commit": commit.map(|c| crate::commit::hex(&c.id)),
                    "date": commit.map(|c| format_time(c.author.time, c.author.offset)),
                }),
            )
        })
        .collect();
    crate::render::json(
        out,
        &json!({
            "schema": "subledger.history/1",
            "id": asked,
            "ids": ids,
            "others": others,
            "present": current.is_some(),
            "vendor": current,
            "versions": versions,
            "fields": fields,
        }),
    )
}
