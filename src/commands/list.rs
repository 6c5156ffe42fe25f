//! `subledger list`: show the register.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::project::Project;
use crate::register::{self, Engagement, location};
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

/// `list --engagement`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EngagementFilter {
    Core,
    Optional,
}

/// `list --format`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ListFormat {
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

pub fn run(args: &ListArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let project = Project::locate(ctx.repo.as_deref())?;
    let snapshot = match &args.at {
        Some(at) => {
            let repo = crate::history::Repo::discover(&project.root)?;
            let revision = crate::ledger::timeline::resolve_point(&project, &repo, at)?;
            project.snapshot_at(&repo, revision)?
        }
        None => project.snapshot(args.rev.as_deref())?,
    };
    for section in &args.section {
        if snapshot.config.section(section).is_none() {
            let ids: Vec<&str> = snapshot
                .config
                .sections
                .iter()
                .map(|s| s.id.get_ref().as_str())
                .collect();
            return Err(Error::Usage {
                what: format!(
                    "--section {section}: no such section (declared: {})",
                    ids.join(", ")
                ),
                hint: None,
            });
        }
    }
    let locations = args
        .location
        .iter()
        .map(|code| {
            if location::is_known(code) {
                Ok(code.as_str())
            } else {
                location::suggest(code).ok_or_else(|| Error::Usage {
                    what: format!("--location {code}: unknown location"),
                    hint: Some("use a code such as US, DE or EU".to_owned()),
                })
            }
        })
        .collect::<Result<Vec<&str>>>()?;
    let loaded = register::check(&snapshot);
    let vendors = loaded
        .register
        .vendors
        .values()
        .filter(|v| args.section.is_empty() || args.section.iter().any(|s| s == v.section()))
        .filter(|v| match args.engagement {
            None => true,
            Some(EngagementFilter::Core) => v.engagement() == Engagement::Core,
            Some(EngagementFilter::Optional) => v.engagement() == Engagement::Optional,
        })
        .filter(|v| {
            locations.is_empty()
                || v.locations()
                    .iter()
                    .any(|c| locations.contains(&c.as_str()))
        })
        .collect();
    let view = ListView {
        config: &snapshot.config,
        vendors,
        revision: snapshot.revision.as_ref(),
    };
    let mut bytes = args
        .bom
        .prefix(matches!(args.format, ListFormat::Csv))?
        .to_vec();
    // A file gets no terminal colours, whatever stdout is.
    let style = args.out.style(ctx.style);
    match args.format {
        ListFormat::Table => render::table(&mut bytes, &view, style),
        ListFormat::Markdown => render::markdown(&mut bytes, &view),
        ListFormat::Json => render::json(&mut bytes, &view),
        ListFormat::Csv => render::csv(&mut bytes, &view),
        ListFormat::Xlsx => {
            args.out.require_for_workbook("register.xlsx")?;
            let book = render::xlsx(&view).map_err(|why| Error::Usage {
                what: format!("the workbook could not be written: {why}"),
                hint: None,
            })?;
            bytes = book;
            Ok(())
        }
    }
    .map_err(Error::Output)?;
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
