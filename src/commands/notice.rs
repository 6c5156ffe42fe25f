//! `subledger notice`: the customer change notice between two releases.

use super::{Context, Outcome};
use crate::commit::hex;
use crate::error::{Error, Result};
use crate::history::Repo;
use crate::ledger::timeline::{Release, Replay, Timeline, resolve_point};
use crate::notice;
use crate::policy::Policy;
use crate::project::Project;
use crate::register::Revision;
use crate::render::notice::{self as render, Format};

super::choice! {
    /// `notice --format`.
    NoticeFormat => Format {
        /// Markdown, for an email or a page
        Markdown,
        /// Plain text
        Text,
        /// One self-contained HTML page
        Html,
        /// Versioned JSON (subledger.notice/1): the templates' context
        Json,
    }
}
use std::path::PathBuf;

/// Write the change notice customers get for a release
///
/// Compares two releases (default: the previous release and the latest) and
/// sorts every change into what needs notice (a new or replacing
/// sub-processor, a new location, wider data, optional becoming core, a
/// new legal entity, a vendor moving into a sub-processor section, and the
/// fields listed in [notice] material) and what is informational
/// (removals, wording, contact details, anything in a transparency section).
/// Each vendor that needs notice is described in full, with its effective
/// date (the release date plus the notice period, or the vendor's later
/// `effective` date) and the objection deadline. A vendor with `emergency`
/// is announced as already engaged.
///
/// Dates count the release date as day 0: see register/README.md. A TO that
/// is not a release (HEAD, a commit, or --work-tree) gives a DRAFT; its dates
/// need --date (or SOURCE_DATE_EPOCH), as nothing reads the clock.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger notice\n  subledger notice subprocessors/2026-03-01 subprocessors/2026-07-01 --format html\n  subledger notice --all-profiles --save\n  subledger notice --work-tree --date 2026-12-01    # a draft of the next release"
)]
pub struct NoticeArgs {
    /// The older release (default: the release before TO)
    #[arg(value_name = "FROM")]
    pub from: Option<String>,

    /// The newer release (default: the latest release); HEAD or any commit gives a draft
    #[arg(value_name = "TO", conflicts_with = "work_tree")]
    pub to: Option<String>,

    /// A draft from the work tree, before anything is committed
    #[arg(long)]
    pub work_tree: bool,

    /// The release date of a draft, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,

    /// Compute the dates under this [notice.profile.NAME]
    #[arg(long, value_name = "NAME", conflicts_with = "all_profiles")]
    pub profile: Option<String>,

    /// Show the dates under the default terms and every profile
    #[arg(long)]
    pub all_profiles: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = NoticeFormat::Markdown)]
    pub format: NoticeFormat,

    /// Write it to reports/<release>/notice.<ext> instead of stdout
    #[arg(long)]
    pub save: bool,

    /// With --save, replace an existing file
    #[arg(long, requires = "save")]
    pub force: bool,
}

pub fn run(args: &NoticeArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let project = Project::locate(ctx.repo.as_deref())?;
    let repo = Repo::discover(&project.root)?;
    let timeline = Timeline::build(&project, None, &mut |_, _| {})?;
    let tip = timeline.tip.clone();
    let releases = &timeline.releases;
    let position = |commit: &str| timeline.commits.iter().position(|c| hex(&c.id) == commit);
    let named = |spec: &str| releases.iter().find(|r| r.name == spec);
    // TO: a release (named, or the latest by default), else a draft: a
    // commit, or the work tree.
    let to_release: Option<&Release> = match (&args.to, args.work_tree) {
        (_, true) => None,
        (Some(spec), false) => named(spec),
        (None, false) => match releases.last() {
            Some(latest) => Some(latest),
            None => {
                // A shallow clone may see none because they are below its cut.
                timeline.require(|| "the latest release".to_owned())?;
                return Err(Error::Usage {
                    what: "there is no release yet: run `subledger release`, or give TO (for example HEAD) or --work-tree for a draft".to_owned(),
                });
            }
        },
    };
    let to: Option<Revision> = match (&args.to, to_release) {
        _ if args.work_tree => None,
        (_, Some(r)) => Some(Revision {
            spec: r.name.clone(),
            commit: hex(&r.commit),
        }),
        (Some(spec), None) => Some(resolve_point(&project, &repo, spec)?),
        (None, None) => None,
    };
    let to_index = match &to {
        Some(rev) => position(&rev.commit),
        None => timeline.commits.len().checked_sub(1),
    };
    // FROM: given, or the release just before TO in release order (of two
    // releases on one commit, the later one's notice has no changes); for
    // a draft, the last release at or before it.
    let from_release: Option<&Release> = match (&args.from, to_release) {
        (Some(spec), _) => named(spec),
        (None, Some(t)) => releases
            .iter()
            .position(|r| std::ptr::eq(r, t))
            .and_then(|i| i.checked_sub(1))
            .map(|i| &releases[i]),
        (None, None) => releases
            .iter()
            .rev()
            .find(|r| to_index.is_none_or(|t| r.index <= t)),
    };
    let from: Option<Revision> = match (&args.from, from_release) {
        (_, Some(r)) => Some(Revision {
            spec: r.name.clone(),
            commit: hex(&r.commit),
        }),
        (Some(spec), None) => Some(resolve_point(&project, &repo, spec)?),
        (None, None) => None,
    };
    // A release whose dates do not hold would date the notice falsely; one
    // that disagrees with the line about the release before it would make
    // the default FROM a guess.
    if let Some(t) = to_release.and_then(|t| timeline.release_position(t)) {
        timeline.require_sound(&project, &repo, t, args.from.is_none())?;
    }
    if let Some(f) = from_release.and_then(|f| timeline.release_position(f)) {
        timeline.require_sound(&project, &repo, f, false)?;
    }
    let date = match to_release {
        Some(r) => r.date(),
        None => super::asked_date(args.date.as_deref())?.map(|(d, _)| d),
    };
    let config = project.config_at(&repo, &to.clone().unwrap_or_else(|| tip.clone()))?;
    let policies = if args.all_profiles {
        Policy::all(&config.config.notice)?
    } else {
        vec![Policy::new(&config.config.notice, args.profile.as_deref())?]
    };
    let (notice, _) = notice::between(
        &project,
        &repo,
        &mut Replay::new(&timeline),
        from.as_ref().map(|rev| (rev, from_release)),
        to.as_ref().map(|rev| (rev, to_release)),
        date,
        &policies,
    )?;
    let config_rev = to.clone().unwrap_or_else(|| tip.clone());
    let template = render::template_override(
        &project,
        &repo,
        &config_rev,
        &config.config,
        args.format.into(),
    )?;
    let text = render::render(
        &notice,
        args.format.into(),
        template.as_ref().map(|(p, s)| (p.as_str(), s.as_str())),
    )?;
    if args.save {
        let Some(release) = to_release else {
            return Err(Error::Usage {
                what: "--save keeps the notice of a release; a draft is not saved (release first)"
                    .to_owned(),
            });
        };
        let path: PathBuf = crate::reports::notice_path(
            &project.root,
            &release.name,
            Format::from(args.format).extension(),
        );
        super::save_report(
            ctx.out,
            &project.root,
            &path,
            &text,
            args.force,
            Some(&release.name),
        )?;
    } else {
        ctx.out.write_all(text.as_bytes()).map_err(Error::Output)?;
    }
    // A notice with files it could not read names them, and is incomplete
    // as list and render are.
    if notice.not_loaded.is_empty() {
        return Ok(Outcome::Clean);
    }
    if !ctx.quiet {
        let files: Vec<&str> = notice.not_loaded.iter().map(|f| f.file.as_str()).collect();
        writeln!(
            ctx.err,
            "subledger: {} could not be loaded; the notice names {}: {}\n  run `subledger check` for details",
            crate::render::findings::plural(files.len(), "file in the register", "files in the register"),
            if files.len() == 1 { "it" } else { "them" },
            crate::render::shown(&files.join(", "))
        )
        .map_err(Error::Output)?;
    }
    Ok(Outcome::Findings)
}
