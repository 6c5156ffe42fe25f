//! `subledger render`: the public page.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::history::Repo;
use crate::page;
use crate::project::Project;
use crate::render::findings::plural;
use crate::render::page::{self as render, Format};

super::choice! {
    /// `render --format`.
    PageFormat => Format {
        /// Markdown, to paste into a site
        Markdown,
        /// One self-contained HTML file: no scripts, no external assets
        Html,
        /// Versioned JSON (subledger.page/1)
        Json,
    }
}

/// Render the public sub-processor page from the ledger
///
/// The page companies publish: the introduction, how to get notified and
/// how to object, then each section with its table: per sub-processor its
/// name (linked to its website), legal entity, address and contact, its own
/// list, purpose and retention, data categories and subjects, locations and
/// transfer mechanisms by name, a core or optional badge, and the date it
/// was added. By default it is the latest release: the list customers were
/// told of. --at HEAD or --work-tree gives a draft, marked as such.
///
/// Every date is derived: "Last updated" is the date of the release
/// rendered, "Added" is the first release that contained the vendor, and
/// "New" marks vendors added within [render] new_days (default 30) before
/// the release. Transparency sections say they are not sub-processors.
/// [dpa] never appears. With [register] url set, the page links to its
/// feed and notice archive there (`subledger site` writes them).
///
/// HTML is one self-contained file (no scripts, no external assets) that
/// escapes everything from vendor files, reads well on a phone and prints
/// on A4.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger render --format html --out public/subprocessors.html\n  subledger render --at subprocessors/2026-03-01\n  subledger render --at HEAD          (a draft of the next release)\n  subledger render --format json"
)]
pub struct RenderArgs {
    /// Render the page at this release or revision (a draft unless it is a
    /// release), or as it was published on a date (default: the latest
    /// release)
    #[arg(long, value_name = "REV", conflicts_with = "work_tree")]
    pub at: Option<String>,

    /// A draft from the work tree, before anything is committed
    #[arg(long)]
    pub work_tree: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = PageFormat::Markdown)]
    pub format: PageFormat,

    #[command(flatten)]
    pub out: super::OutArg,
}

pub fn run(args: &RenderArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let project = Project::locate(ctx.repo.as_deref())?;
    let repo = Repo::discover(&project.root)?;
    let at = match (&args.at, args.work_tree) {
        (_, true) => page::PageAt::WorkTree,
        (Some(spec), false) => page::PageAt::Rev(spec),
        (None, false) => page::PageAt::Latest,
    };
    let (page, unloaded) = page::asked(&project, &repo, &at, None)?;
    let text = render::render(&page, args.format.into())?;
    args.out.emit(ctx, text.as_bytes())?;
    if unloaded.is_empty() {
        return Ok(Outcome::Clean);
    }
    if !ctx.quiet {
        writeln!(
            ctx.err,
            "subledger: {} could not be loaded and {} left out of the page: {}\n  run `subledger check` for details",
            plural(unloaded.len(), "file in the register", "files in the register"),
            if unloaded.len() == 1 { "is" } else { "are" },
            crate::render::shown(&unloaded.join(", "))
        )
        .map_err(Error::Output)?;
    }
    Ok(Outcome::Findings)
}
