//! `subledger notice`: the customer change notice between two releases.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::notice::{self, Asked, Made};
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
    let ledger = Ledger::open(ctx.repo.as_deref(), &mut |_, _| {})?;
    let asked = Asked {
        from: args.from.as_deref(),
        to: args.to.as_deref(),
        work_tree: args.work_tree,
        profile: args.profile.as_deref(),
        all_profiles: args.all_profiles,
    };
    let draft_date = || Ok(super::asked_date(args.date.as_deref())?.map(|(d, _)| d));
    let Made {
        notice,
        release: to_release,
        config_rev,
        config,
    } = notice::asked(&ledger, &asked, draft_date)?;
    let format = Format::from(args.format);
    let template = ledger.notice_template(&config_rev, &config.config, format.template_key())?;
    let text = render::render(
        &notice,
        format,
        template.as_ref().map(|(p, s)| (p.as_str(), s.as_str())),
    )?;
    // A customer objecting to a vendor this notice engages is said at once.
    if !ctx.quiet {
        let engaged: Vec<&str> = notice
            .needs_notice
            .iter()
            .map(|i| i.vendor.id.as_str())
            .collect();
        let objections = ledger.project.objections()?;
        crate::render::send::objected(ctx.err, &objections, &engaged).map_err(Error::Output)?;
    }
    if args.save {
        let Some(release) = to_release else {
            return Err(Error::Usage {
                what: "--save keeps the notice of a release; a draft is not saved".to_owned(),
                hint: Some("release first, then save its notice".to_owned()),
            });
        };
        let path: PathBuf = crate::reports::notice_path(
            &ledger.project.root,
            &release.name,
            Format::from(args.format).extension(),
        );
        crate::reports::require_marker(&path, &text, template.as_ref().map(|(p, _)| p.as_str()))?;
        super::save_report(
            ctx.out,
            &ledger.project.root,
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
        render::not_loaded(ctx.err, &notice).map_err(Error::Output)?;
    }
    Ok(Outcome::Findings)
}
