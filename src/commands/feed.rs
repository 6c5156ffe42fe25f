//! `subledger feed`: an Atom feed of releases.

use super::{Context, Outcome};
use crate::error::Result;
use crate::ledger::Ledger;

/// Write an Atom feed with one entry per release, newest first
///
/// Customers subscribe to it instead of emailing "Subscribe" requests. Each
/// entry is a release: its name, date and effective date, and the text of
/// its change notice (as `subledger notice --format text` writes it). Entry
/// ids come from the tag's commit and name, so a feed reader never shows a
/// release twice, and regenerating the feed changes nothing that was
/// published.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger feed > public/subprocessors.atom\n  subledger feed --out public/subprocessors.atom --force\n  subledger feed --format json"
)]
pub struct FeedArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = FeedFormat::Atom)]
    pub format: FeedFormat,

    #[command(flatten)]
    pub out: super::OutArg,
}

/// `feed --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FeedFormat {
    /// Atom 1.0 XML, for feed readers
    Atom,
    /// Versioned JSON (subledger.feed/1): one summary per release (its
    /// dates, counts, summary and link), newest first, without the notice text
    Json,
}

pub fn run(args: &FeedArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let ledger = Ledger::open(ctx.repo.as_deref(), &mut |_, _| {})?;
    let feed = match args.format {
        FeedFormat::Atom => crate::site::feed(&ledger)?,
        FeedFormat::Json => crate::site::feed_json(&ledger)?,
    };
    args.out.emit(ctx, feed.as_bytes())?;
    Ok(Outcome::Clean)
}
