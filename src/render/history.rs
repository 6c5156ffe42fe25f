//! `subledger history ID`: one vendor's lineage, for the terminal and as
//! JSON.

use crate::dates::{format_date, format_time};
use crate::ledger::lineage::Lineage;
use crate::ledger::timeline::Timeline;
use crate::render::events::{commit_fields, describe, event_json, short};
use crate::render::{Style, findings::plural, shown};
use serde_json::json;
use std::io::{self, Write};

/// For the terminal: the versions, then the fields now and who changed them.
pub fn table(
    out: &mut dyn Write,
    timeline: &Timeline,
    lineage: &Lineage<'_>,
    style: Style,
) -> io::Result<()> {
    let Lineage {
        asked,
        ids,
        others,
        versions,
        current,
        last_changed,
    } = lineage;
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
                .map(|a| format!(" ({})", crate::render::events::authored_text(a)))
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
                crate::render::events::value_text(Some(value), 60)
            )?;
        }
    }
    Ok(())
}

/// Versioned JSON (`subledger.history/1`).
pub fn json(out: &mut dyn Write, timeline: &Timeline, lineage: &Lineage<'_>) -> io::Result<()> {
    let Lineage {
        asked,
        ids,
        others,
        versions,
        current,
        last_changed,
    } = lineage;
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
