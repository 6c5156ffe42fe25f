//! `subledger diff`: the register changes between two points.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::history::Repo;
use crate::ledger::compare;
use crate::ledger::timeline::resolve_point;
use crate::project::Project;
use crate::render::diff::{self as render, DiffView};

/// Show what changed in the register between two revisions, field by field
///
/// FROM and TO are commits, tags, branches or dates (YYYY-MM-DD: the last
/// commit of the branch on or before that day). Without TO, FROM is compared
/// with the work tree, so you see what the next commit would change. Long
/// text fields get a word-level diff ([-removed-]{+added+}). Vendor files
/// that cannot be loaded on the TO side are reported as `invalid`.
///
/// With --exit-code the exit status is 1 when there are changes and 0 when
/// there are none, like `git diff --exit-code`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger diff subprocessors/2026-01-15 subprocessors/2026-07-01\n  subledger diff HEAD                # uncommitted changes\n  subledger diff 2026-01-01 main --format json\n  subledger diff main --exit-code   # in CI: fail when the work tree differs"
)]
pub struct DiffArgs {
    /// The older side
    #[arg(value_name = "FROM")]
    pub from: String,

    /// The newer side (default: the work tree)
    #[arg(value_name = "TO")]
    pub to: Option<String>,

    /// Exit with 1 when there are changes
    #[arg(long)]
    pub exit_code: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,

    #[command(flatten)]
    pub bom: super::BomArg,

    #[command(flatten)]
    pub out: super::OutArg,
}

/// `diff --format`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum DiffFormat {
    /// Field by field, with word diffs, for the terminal
    Table,
    /// A Markdown list of changes
    Markdown,
    /// Versioned JSON (subledger.diff/1)
    Json,
    /// One row per change
    Csv,
    /// An Excel workbook (to --out FILE, or a pipe; not a terminal): the CSV's columns, the header
    /// frozen and filtered
    Xlsx,
}

pub fn run(args: &DiffArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let project = Project::locate(ctx.repo.as_deref())?;
    let repo = Repo::discover(&project.root)?;
    let from = resolve_point(&project, &repo, &args.from)?;
    let to = match &args.to {
        Some(spec) => Some(resolve_point(&project, &repo, spec)?),
        None => None,
    };
    let events = compare::between(&project, &repo, Some(&from), to.as_ref())?;
    let view = DiffView {
        from: &from,
        to: to.as_ref(),
        events: &events,
    };
    if matches!(args.format, DiffFormat::Xlsx) {
        args.out.require_for_workbook("diff.xlsx")?;
    }
    let mut bytes = args
        .bom
        .prefix(matches!(args.format, DiffFormat::Csv))?
        .to_vec();
    let style = args.out.style(ctx.style);
    match args.format {
        DiffFormat::Table => render::table(&mut bytes, &view, style),
        DiffFormat::Markdown => render::markdown(&mut bytes, &view),
        DiffFormat::Json => render::json(&mut bytes, &view),
        DiffFormat::Csv => render::csv(&mut bytes, &view),
        DiffFormat::Xlsx => {
            bytes = render::xlsx(&view).map_err(|why| Error::Workbook { why })?;
            Ok(())
        }
    }
    .map_err(Error::Output)?;
    args.out.emit(ctx, &bytes)?;
    Ok(if args.exit_code && !events.is_empty() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
