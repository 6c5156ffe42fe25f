//! `subledger render`: the public page.

use super::{Context, Outcome};
use crate::commit::hex;
use crate::dates::parse_date;
use crate::error::{Error, Result};
use crate::history::Repo;
use crate::ledger::timeline::{Timeline, default_tip, resolve_point};
use crate::page;
use crate::project::Project;
use crate::register;
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
use std::path::PathBuf;

/// Render the public sub-processor page from the ledger
///
/// The page companies publish: the introduction, how to get notified and
/// how to object, then each section with its table (sub-processor, purpose,
/// data, locations, the legal address where the register has one, and the
/// date it was added). Every date is derived: "Last updated" is the date of
/// the release rendered ("Draft" when the commit is not a release), "Added"
/// is the first release that contained the vendor, and "New" marks vendors
/// added within [render] new_days (default 30) before the release. Optional
/// vendors carry their feature; transparency sections say they are not
/// sub-processors. [dpa] never appears.
///
/// HTML is one self-contained file (no scripts, no external assets) that
/// escapes everything from vendor files and reads well on a phone.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger render --format html --out public/subprocessors.html\n  subledger render --at subprocessors/2026-03-01\n  subledger render --format json"
)]
pub struct RenderArgs {
    /// Render the page at this release or revision, or as it was published on
    /// a date (the last release tagged by then) (default: the branch tip)
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = PageFormat::Markdown)]
    pub format: PageFormat,

    /// Write to FILE (atomically) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// With --out, replace an existing file
    #[arg(long, requires = "out")]
    pub force: bool,
}

pub fn run(args: &RenderArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let project = Project::locate(ctx.repo.as_deref())?;
    let repo = Repo::discover(&project.root)?;
    // A date asks for the page as it was published then: the last release
    // tagged by then (or, before any, the register then, as a draft).
    let published = match args.at.as_deref().and_then(|s| parse_date(s, true)) {
        Some(time) => {
            let timeline = Timeline::build(&project, None, &mut |_, _| {})?;
            let release = timeline.published_at(time).map(|r| (r.index, r.revision()));
            release.map(|(index, rev)| (timeline, index, rev))
        }
        None => None,
    };
    let (timeline, index, at) = match published {
        Some(found) => found,
        None => {
            let (commit, tip) = match &args.at {
                Some(spec) => {
                    let rev = resolve_point(&project, &repo, spec)?;
                    (rev.commit.clone(), Some(rev.commit))
                }
                None => (default_tip(&project, &repo)?.1.commit, None),
            };
            let timeline = Timeline::build(&project, tip.as_deref(), &mut |_, _| {})?;
            let index = timeline
                .commits
                .iter()
                .rposition(|c| hex(&c.id) == commit)
                .unwrap_or(timeline.commits.len().saturating_sub(1));
            let at = timeline.tip.clone();
            (timeline, index, at)
        }
    };
    let snapshot = project.snapshot_at(&repo, at)?;
    let loaded = register::check(&snapshot);
    // Every date on the page comes from a release at or before this commit.
    timeline.require_sound_upto(&project, &repo, index)?;
    let page = page::build(&snapshot.config, &timeline, index, &loaded.register)?;
    let text = render::render(&page, args.format.into())?;
    match &args.out {
        Some(path) => {
            crate::files::write_new(path, &text, args.force)?;
            if !ctx.quiet {
                writeln!(ctx.err, "wrote {}", path.display()).map_err(Error::Output)?;
            }
        }
        None => ctx.out.write_all(text.as_bytes()).map_err(Error::Output)?,
    }
    if loaded.unloaded.is_empty() {
        return Ok(Outcome::Clean);
    }
    if !ctx.quiet {
        writeln!(
            ctx.err,
            "subledger: {} could not be loaded and {} left out of the page: {}\n  run `subledger check` for details",
            plural(loaded.unloaded.len(), "file in the register", "files in the register"),
            if loaded.unloaded.len() == 1 { "is" } else { "are" },
            crate::render::shown(&loaded.unloaded.join(", "))
        )
        .map_err(Error::Output)?;
    }
    Ok(Outcome::Findings)
}
