//! `subledger site`: everything a company hosts, in one directory.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::render::findings::plural;
use std::path::PathBuf;

/// Write the public site: the page, every notice, the feed and the JSON
///
/// One step makes everything a company hosts, from the latest release (what
/// customers were told), self-contained (no scripts, no external assets)
/// and with relative links that all resolve:
///
///   index.html            the page (as `render --format html`)
///   notices/index.html    every release, newest first, with its date and summary
///   notices/<date>.html   each release's notice (as `notice --format html`)
///   feed.xml              the Atom feed (self and alternate links with [register] url)
///   subprocessors.json    the published register, schema subledger.page/1
///
/// Every page carries its own print stylesheet (A4, no row split across
/// pages). The same repository gives a byte-identical site on every run. A
/// directory that is not empty and was not made by `site` is refused unless
/// --force; one it made is replaced whole, never half-written.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger site --out public\n  subledger site --out docs && git add docs   (GitHub Pages from /docs)"
)]
pub struct SiteArgs {
    /// The page at this release or revision (a draft, marked as such,
    /// unless it is a release; default: the latest release); the notices
    /// are always those of the releases
    #[arg(long, value_name = "REV", conflicts_with = "work_tree")]
    pub at: Option<String>,

    /// The page as a draft from the work tree, marked as such
    #[arg(long)]
    pub work_tree: bool,

    /// The directory to write (made if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Replace DIR even if it holds files `site` did not make
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &SiteArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let ledger = Ledger::open(
        ctx.repo.as_deref(),
        &mut super::progress(ctx.quiet, ctx.err),
    )?;
    let at = match (&args.at, args.work_tree) {
        (_, true) => crate::page::PageAt::WorkTree,
        (Some(spec), false) => crate::page::PageAt::Rev(spec),
        (None, false) => crate::page::PageAt::Latest,
    };
    let site = crate::site::make(&ledger, &at, &args.out, args.force, &ledger.project.root)?;
    if !ctx.quiet {
        writeln!(
            ctx.err,
            "wrote {} to {}",
            plural(site.files, "file", "files"),
            args.out.display()
        )
        .map_err(Error::Output)?;
    }
    if site.unloaded.is_empty() {
        return Ok(Outcome::Clean);
    }
    if !ctx.quiet {
        writeln!(
            ctx.err,
            "subledger: {} could not be loaded and {} left out of the page: {}\n  run `subledger check` for details",
            plural(site.unloaded.len(), "file in the register", "files in the register"),
            if site.unloaded.len() == 1 { "is" } else { "are" },
            crate::render::shown(&site.unloaded.join(", "))
        )
        .map_err(Error::Output)?;
    }
    Ok(Outcome::Findings)
}
