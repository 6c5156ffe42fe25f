//! `subledger timeline`: the audit timeline of the register.

use super::{Context, Outcome, progress};
use crate::dates::parse_date;
use crate::error::{Error, Result};
use crate::ledger::Kind;
use crate::ledger::timeline::Timeline;
use crate::ledger::{Change, Event};
use crate::project::Project;
use crate::render::timeline::{Format, TimelineWriter};

super::choice! {
    /// `timeline --format`.
    TimelineFormat => Format {
        /// One block per commit, for the terminal
        Table,
        /// A Markdown table, one row per event
        Markdown,
        /// Versioned JSON (subledger.timeline/1), with old and new values
        Json,
        /// One row per event
        Csv,
    }
}

super::choice! {
    /// `timeline --kind`.
    KindChoice => Kind {
        Removed,
        Added,
        Renamed,
        Invalid,
        Repaired,
        Relocated,
        Changed,
    }
}

/// Show every change to the register, oldest first, with who made it and
/// when, and the release that published it
///
/// Walks the first-parent history of the branch ([register] branch in
/// subledger.toml, else HEAD): a change that arrived through a merge is
/// dated by the merge, the moment it reached the branch, and names the
/// commit on the merged branch that made it ("authored in"). Each change is
/// one event:
///
///   added      a vendor file appeared
///   removed    a vendor file disappeared
///   renamed    a file got a new name (previous_ids names the old one)
///   relocated  the set of locations changed
///   changed    any other field, [dpa] included, with old and new value
///   invalid    a file stopped loading (the vendor keeps its last valid state)
///   repaired   it loads again; its differences follow as other events
///
/// A release is a tag starting with [register] tag_prefix on the
/// first-parent line; each change names the first release containing it.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
#[command(
    after_help = "Examples:\n  subledger timeline\n  subledger timeline subprocessors/2026-01..subprocessors/2026-06\n  subledger timeline --vendor stripe --kind relocated --since 2026-01-01\n  subledger timeline --format csv > timeline.csv"
)]
pub struct TimelineArgs {
    /// Only this part of history: REV (everything up to it) or FROM..TO
    /// (changes after FROM up to TO); revisions are commits, tags, branches or dates
    #[arg(value_name = "RANGE")]
    pub range: Option<String>,

    /// Only events about this vendor id (also matches the old id of a rename; repeat for several)
    #[arg(long, value_name = "ID")]
    pub vendor: Vec<String>,

    /// Only events of this kind (repeat for several)
    #[arg(long, value_enum)]
    pub kind: Vec<KindChoice>,

    /// Only changes made on or after this date (YYYY-MM-DD, UTC, or an RFC 3339 time)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only changes made on or before this date (the whole day counts)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = TimelineFormat::Table)]
    pub format: TimelineFormat,
}

fn date_arg(flag: &str, value: &Option<String>, end_of_day: bool) -> Result<Option<i64>> {
    match value {
        None => Ok(None),
        Some(text) => parse_date(text, end_of_day).map(Some).ok_or_else(|| Error::Usage {
            what: format!("{flag} {text}: not a date; use YYYY-MM-DD or an RFC 3339 time such as 2026-03-01T12:00:00Z"),
        }),
    }
}

/// Refuses a period that starts before a shallow clone's cut: changes made
/// in it may be below the cut.
fn cut_period(
    timeline: &Timeline,
    since: Option<i64>,
    until: Option<i64>,
    since_text: &Option<String>,
    until_text: &Option<String>,
) -> Result<()> {
    let Some(oldest) = timeline.cut_at() else {
        return Ok(());
    };
    let bounds = [(since, since_text), (until, until_text)];
    for (bound, text) in bounds {
        if let (Some(bound), Some(text)) = (bound, text)
            && bound < oldest.commit_time
        {
            return timeline.require(|| text.clone());
        }
    }
    Ok(())
}

pub fn run(args: &TimelineArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let since = date_arg("--since", &args.since, false)?;
    let until = date_arg("--until", &args.until, true)?;
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        return Err(Error::Usage {
            what: format!(
                "--since {} comes after --until {}: no change can be in that period",
                args.since.as_deref().unwrap_or_default(),
                args.until.as_deref().unwrap_or_default()
            ),
        });
    }
    let project = Project::locate(ctx.repo.as_deref())?;
    let (from, to) = match args.range.as_deref() {
        None => (None, None),
        Some(range) => match range.split_once("..") {
            // As git reads them: an empty side is HEAD (`A..` is A..HEAD).
            Some((from, to)) => (
                Some(if from.is_empty() { "HEAD" } else { from }),
                Some(if to.is_empty() { "HEAD" } else { to }),
            ),
            None => (None, Some(range)),
        },
    };
    let to_commit = match to {
        Some(spec) if parse_date(spec, true).is_some() => {
            let repo = crate::history::Repo::discover(&project.root)?;
            Some(crate::ledger::timeline::resolve_point(&project, &repo, spec)?.commit)
        }
        Some(spec) => Some(spec.to_owned()),
        None => None,
    };
    // FROM..TO with FROM after TO is no range.
    if let (Some(from), Some(to)) = (from, to) {
        let repo = crate::history::Repo::discover(&project.root)?;
        let point = |spec| crate::ledger::timeline::resolve_point(&project, &repo, spec);
        let (a, b) = (point(from)?, point(to)?);
        let id = |rev: &crate::register::Revision| crate::commit::parse_oid(&rev.commit);
        if let (Some(a), Some(b)) = (id(&a), id(&b))
            && a != b
            && !repo.is_ancestor(&a, &b)?
            && repo.is_ancestor(&b, &a)?
        {
            return Err(Error::Usage {
                what: format!("{from} comes after {to}: the range is FROM..TO, older first"),
            });
        }
    }
    let range = args.range.clone();
    let mut writer = TimelineWriter::new(args.format.into(), ctx.style, range);
    let out = &mut *ctx.out;
    let mut started = false;
    let mut start = None;
    let mut report = progress(ctx.quiet, ctx.err);
    let timeline = Timeline::stream(
        &project,
        to_commit.as_deref(),
        &mut report,
        &mut |timeline, entry| {
            if !started {
                started = true;
                cut_period(timeline, since, until, &args.since, &args.until)?;
                start = Some(match from {
                    Some(spec) => timeline
                        .position(&project, spec)?
                        .map(|i| i + 1)
                        .unwrap_or(0),
                    None => 0,
                });
                writer.begin(out, timeline).map_err(Error::Output)?;
            }
            if entry.index < start.unwrap_or(0) {
                return Ok(());
            }
            let time = timeline.commits[entry.index].author.time;
            if !(since.is_none_or(|s| time >= s) && until.is_none_or(|u| time <= u)) {
                return Ok(());
            }
            let events: Vec<&Event> = entry
                .events
                .iter()
                .filter(|e| {
                    args.kind.is_empty()
                        || args.kind.iter().any(|&k| Kind::from(k) == e.change.kind())
                })
                .filter(|e| {
                    args.vendor.is_empty()
                        || args.vendor.iter().any(|v| {
                            *v == e.id
                                || matches!(&e.change, Change::Renamed { from, .. } if from == v)
                        })
                })
                .collect();
            writer
                .entry(out, timeline, entry.index, &events)
                .map_err(Error::Output)
        },
    )?;
    if !started {
        // No entry at all: resolve FROM anyway, so a bad revision is an error.
        cut_period(&timeline, since, until, &args.since, &args.until)?;
        if let Some(spec) = from {
            timeline.position(&project, spec)?;
        }
        writer.begin(out, &timeline).map_err(Error::Output)?;
    }
    writer.finish(out, &timeline).map_err(Error::Output)?;
    Ok(Outcome::Clean)
}
