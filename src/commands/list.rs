//! `subledger list`: show the register.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::project::Project;
use crate::register::{self, Engagement, Selection, location};
use crate::render::list::{self as render, ListView};

/// Show the register, grouped by section as on the public page
///
/// Reads the work tree (or --rev) and prints each section's vendors with
/// their purpose, data categories, locations (by name) and whatever else the
/// files record. Files that cannot be loaded are left out and named on
/// stderr, and the exit status is then 1: run `subledger check` for details.
///
/// The table fits the terminal, or COLUMNS when set (100 columns when the
/// output is not a terminal). CSV cells are safe to open in a spreadsheet.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger list\n  subledger list --section communications --location US\n  subledger list --at 2026-03-01\n  subledger list --rev v1.2 --format csv > register.csv"
)]
pub struct ListArgs {
    /// Show the register at this git revision instead of the work tree
    #[arg(long, value_name = "REV", conflicts_with = "at")]
    pub rev: Option<String>,

    /// Show the register as it stood at a date (YYYY-MM-DD: the last commit
    /// of the branch on or before the end of that day, UTC) or a revision
    #[arg(long, value_name = "DATE|REV")]
    pub at: Option<String>,

    /// Only vendors in this section (by id; repeat for several)
    #[arg(long, value_name = "ID")]
    pub section: Vec<String>,

    /// Only core or only optional vendors
    #[arg(long, value_enum)]
    pub engagement: Option<EngagementFilter>,

    /// Only vendors processing in this location (a code such as US or EU; repeat for several)
    #[arg(long, value_name = "CODE")]
    pub location: Vec<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,

    #[command(flatten)]
    pub bom: super::BomArg,

    #[command(flatten)]
    pub out: super::OutArg,
}

super::choice! {
    /// `list --engagement`.
    EngagementFilter => Engagement {
        Core,
        Optional,
    }
}

super::choice! {
    /// `list --format`.
    ListFormat => render::Format {
        /// Tables for the terminal
        Table,
        /// A Markdown page
        Markdown,
        /// Versioned JSON (subledger.list/1), every field including [dpa]
        Json,
        /// One row per vendor, every field including [dpa]
        Csv,
        /// An Excel workbook (to --out FILE, or a pipe; not a terminal): the CSV's columns, dates as dates,
        /// the header frozen and filtered
        Xlsx,
    }
}

pub fn run(args: &ListArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let project = Project::locate(ctx.repo.as_deref())?;
    let snapshot = match &args.at {
        Some(at) => crate::ledger::timeline::snapshot_at_point(&project, at)?,
        None => project.snapshot(args.rev.as_deref())?,
    };
    if let Some(section) = args
        .section
        .iter()
        .find(|s| snapshot.config.section(s).is_none())
    {
        return Err(Error::Usage {
            what: format!(
                "--section {section}: no such section (declared: {})",
                snapshot.config.section_ids().join(", ")
            ),
            hint: None,
        });
    }
    let locations = args
        .location
        .iter()
        .map(|code| {
            location::code_for(code).ok_or_else(|| Error::Usage {
                what: format!("--location {code}: unknown location"),
                hint: Some("use a code such as US, DE or EU".to_owned()),
            })
        })
        .collect::<Result<Vec<&str>>>()?;
    let loaded = register::check(&snapshot);
    let selection = Selection {
        sections: &args.section,
        engagement: args.engagement.map(Engagement::from),
        locations,
    };
    let view = ListView {
        config: &snapshot.config,
        vendors: selection.of(&loaded.register),
        revision: snapshot.revision.as_ref(),
    };
    let format = render::Format::from(args.format);
    let prefix = args.bom.prefix(format == render::Format::Csv)?;
    if format == render::Format::Xlsx {
        args.out.require_for_workbook("register.xlsx")?;
    }
    // A file gets no terminal colours, whatever stdout is.
    let bytes = render::render(format, &view, args.out.style(ctx.style), prefix)
        .map_err(|why| Error::Workbook { why })?;
    args.out.emit(ctx, &bytes)?;
    let files = &loaded.unloaded;
    if files.is_empty() {
        return Ok(Outcome::Clean);
    }
    if !ctx.quiet {
        render::left_out(
            ctx.err,
            files,
            snapshot.revision.as_ref().map(|r| r.commit.as_str()),
        )
        .map_err(Error::Output)?;
    }
    Ok(Outcome::Findings)
}
