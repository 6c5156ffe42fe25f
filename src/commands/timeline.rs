//! `subledger timeline`: the audit timeline of the register.

use super::{Context, Outcome, progress};
use crate::error::{Error, Result};
use crate::ledger::EventKind;
use crate::ledger::query::{self, Query};
use crate::project::Project;
use crate::render::timeline::{Format, TimelineWriter, Written};

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
        /// An Excel workbook (to --out FILE, or a pipe; not a terminal): the CSV's columns, times as UTC
        /// date-times, the header frozen and filtered
        Xlsx,
    }
}

super::choice! {
    /// `timeline --kind`.
    KindChoice => EventKind {
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

    #[command(flatten)]
    pub bom: super::BomArg,

    #[command(flatten)]
    pub out: super::OutArg,
}

pub fn run(args: &TimelineArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let (since, until) = super::period(&args.since, &args.until)?;
    let query = Query {
        range: args.range.clone(),
        vendors: args.vendor.clone(),
        kinds: args.kind.iter().map(|&k| k.into()).collect(),
        since,
        until,
    };
    let project = Project::locate(ctx.repo.as_deref())?;
    let prefix = args
        .bom
        .prefix(matches!(args.format, TimelineFormat::Csv))?;
    if args.format == TimelineFormat::Xlsx {
        args.out.require_for_workbook("timeline.xlsx")?;
    }
    // To stdout the timeline streams, event by event; to a file (or as a
    // workbook) it is written whole, then the file atomically.
    let style = args.out.style(ctx.style);
    let mut buffer = Vec::new();
    let streaming = args.out.out.is_none() && args.format != TimelineFormat::Xlsx;
    let out: &mut dyn std::io::Write = if streaming {
        &mut *ctx.out
    } else {
        &mut buffer
    };
    out.write_all(prefix).map_err(Error::Output)?;
    let mut written = Written {
        writer: TimelineWriter::new(args.format.into(), style, args.range.clone()),
        out,
    };
    let timeline = query::stream(
        &project,
        &query,
        &mut progress(ctx.quiet, ctx.err),
        &mut written,
    )?;
    let Written { mut writer, out } = written;
    writer.finish(out, &timeline).map_err(Error::Output)?;
    if !streaming {
        if args.format == TimelineFormat::Xlsx {
            buffer =
                crate::render::timeline::xlsx(&buffer).map_err(|why| Error::Workbook { why })?;
        }
        args.out.emit(ctx, &buffer)?;
    }
    Ok(Outcome::Clean)
}
