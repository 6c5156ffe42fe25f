//! `subledger release`: publish a new version of the list as an annotated tag.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::project::Project;
use crate::release::Request;
use crate::render::release as render;

/// Publish a new version of the list: an annotated tag on the branch tip
///
/// Legal releases the list by tagging the commit that holds it. The first
/// release is the baseline: the first publication of the list (after an
/// import, the page already published), so its notice lists the vendors and
/// nothing in it needs notice. Every later release is a change. The tag is
/// named NAME, or [register] tag_prefix plus the release date
/// (subprocessors/2026-05-21; a second release that day gets .2). Its
/// message summarises the changes since the previous release, gives the
/// effective date (the release date plus the notice period of [notice] in
/// subledger.toml) and records the register's tree id and the previous
/// release, so that a notice can later be checked against the repository.
///
/// release refuses, and says what to do, when: the register dir or
/// subledger.toml has uncommitted or untracked changes; `check` finds errors
/// at the tip; the tag exists; HEAD is not on [register] branch; nothing in
/// the register changed since the previous release (unless --allow-empty);
/// a vendor's `effective` date falls inside the notice period and it does
/// not record an `emergency` reason.
///
/// The release date is --date, else the date of SOURCE_DATE_EPOCH, else
/// today (UTC). The tagger is git's user.name and user.email.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger release --dry-run\n  subledger release --message \"Adds Telnyx as an alternate voice provider\"\n  subledger release --date 2026-06-01 --sign"
)]
pub struct ReleaseArgs {
    /// The tag name (default: [register] tag_prefix plus the release date)
    #[arg(value_name = "NAME")]
    pub name: Option<String>,

    /// The release date, YYYY-MM-DD (default: today, UTC)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,

    /// A note for the tag message, above the list of changes
    #[arg(long, short, value_name = "TEXT")]
    pub message: Option<String>,

    /// Print the tag that would be made, and make nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Release even when nothing changed since the previous release
    #[arg(long)]
    pub allow_empty: bool,

    /// Make a signed tag with your git configuration (`git tag -s`)
    #[arg(long)]
    pub sign: bool,

    /// Say that this is the baseline: the first publication of the list, not
    /// a change (the first release always is; refused once one exists)
    #[arg(long)]
    pub baseline: bool,

    /// Output format: text, or versioned JSON (subledger.release/1)
    #[arg(long, value_enum, default_value_t = ReleaseFormat::Text)]
    pub format: ReleaseFormat,
}

/// `release --format`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ReleaseFormat {
    /// What was (or would be) tagged, for people
    Text,
    /// Versioned JSON (subledger.release/1): name, commit, date, effective date, changes, tag message
    Json,
}

pub fn run(args: &ReleaseArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let project = Project::locate(ctx.repo.as_deref())?;
    let asked = super::asked_date(args.date.as_deref())?;
    let (date, time) = (asked.map(|(d, _)| d), asked.map(|(_, t)| t));
    let request = Request {
        name: args.name.clone(),
        date,
        time,
        tagger: None,
        message: args.message.clone(),
        dry_run: args.dry_run,
        allow_empty: args.allow_empty,
        sign: args.sign,
        baseline: args.baseline,
    };
    let made = crate::ledger::release::release(&project, &request, &render::tag_message)?;
    match args.format {
        ReleaseFormat::Text => render::made(ctx.out, &made, args.dry_run),
        ReleaseFormat::Json => render::made_json(ctx.out, &made, args.dry_run),
    }
    .map_err(Error::Output)?;
    if !ctx.quiet {
        let engaged: Vec<&str> = made.events.iter().map(|e| e.id.as_str()).collect();
        let objections = project.objections()?;
        crate::render::send::objected(ctx.err, &objections, &engaged).map_err(Error::Output)?;
    }
    Ok(Outcome::Clean)
}
