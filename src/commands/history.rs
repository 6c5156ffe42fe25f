//! `subledger history ID`: one vendor's whole life.

use super::{Context, Outcome, progress};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::ledger::lineage::lineage;
use crate::render::history;

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

pub fn run(args: &HistoryArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let ledger = Ledger::open(ctx.repo.as_deref(), &mut progress(ctx.quiet, ctx.err))?;
    let lineage = lineage(&ledger.timeline, &args.id)?;
    match args.format {
        HistoryFormat::Table => history::table(ctx.out, &ledger.timeline, &lineage, ctx.style),
        HistoryFormat::Json => history::json(ctx.out, &ledger.timeline, &lineage),
    }
    .map_err(Error::Output)?;
    Ok(Outcome::Clean)
}
