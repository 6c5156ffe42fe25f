//! `subledger verify`: has published history been rewritten?

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::ledger::Ledger;

/// Check that published history still holds
///
/// For every release tag: the register tree id its message records
/// (`Register-Tree:`) is still the tree of its commit, the previous release
/// it names (`Previous-Release:`) still exists at that commit and comes
/// before it, and release dates follow the first-parent line. Release-prefixed
/// tags off that line are reported. For every notice saved under reports/:
/// its release tag still exists and points at the commit it recorded, whose
/// register tree is the one it recorded, and the file is still exactly the
/// notice the repository produces (so an edit shows).
///
/// Exit status: 0 when everything holds, 1 with the list of what does not.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger verify\n  subledger verify --quiet && echo ledger intact\n  subledger verify --format github"
)]
pub struct VerifyArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    pub format: VerifyFormat,
}

/// `verify --format`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum VerifyFormat {
    /// FAIL and ok lines, then a summary
    Text,
    /// Versioned JSON (subledger.verify/1)
    Json,
    /// GitHub workflow commands: each problem an error annotation
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

pub fn run(args: &VerifyArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    // From history itself, not from the cache: what verify vouches for is
    // checked against the objects, and so is the ledger it rebuilds
    // notices from.
    let ledger = Ledger::open_from_history(ctx.repo.as_deref())?;
    let report = crate::verify::verify(&ledger)?;
    use crate::render::verify as show;
    match args.format {
        VerifyFormat::Text => show::text(ctx.out, &report),
        VerifyFormat::Json => show::json(ctx.out, &report),
        VerifyFormat::Github => show::github(ctx.out, &report),
        VerifyFormat::Sarif => show::sarif(ctx.out, &report),
    }
    .map_err(Error::Output)?;
    Ok(if report.problems.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
