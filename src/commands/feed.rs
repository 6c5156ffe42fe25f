//! `subledger feed`: an Atom feed of releases.

use super::{Context, Outcome};
use crate::commit::hex;
use crate::dates::format_time;
use crate::dates::iso_date;
use crate::error::{Error, Result};
use crate::history::Repo;
use crate::ledger::timeline::{Replay, Timeline};
use crate::notice;
use crate::policy::Policy;
use crate::project::Project;
use crate::register::Revision;
use crate::render::notice::{self as notice_render, Format};
use std::path::PathBuf;

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
    after_help = "Examples:\n  subledger feed > public/subprocessors.atom\n  subledger feed --out public/subprocessors.atom --force"
)]
pub struct FeedArgs {
    /// Write to FILE (atomically) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// With --out, replace an existing file
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// Escapes text for XML content and attributes. Control characters and
/// code points XML cannot carry are shown (`\u{1b}`), never written.
fn xml(text: &str) -> String {
    let text = crate::render::shown(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A tag name inside a URN: everything but letters, digits and `-._` percent-encoded.
fn urn_part(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub fn run(args: &FeedArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let project = Project::locate(ctx.repo.as_deref())?;
    let repo = Repo::discover(&project.root)?;
    let timeline = Timeline::build(&project, None, &mut |_, _| {})?;
    // Every release and every change since the first commit: nothing of it
    // may be below a shallow clone's cut.
    timeline.require_whole()?;
    let config = &timeline.config;
    let policies = vec![Policy::new(&config.notice, None)?];
    let root = timeline
        .commits
        .first()
        .map(|c| hex(&c.id))
        .unwrap_or_default();
    let mut entries = Vec::new();
    let mut replay = Replay::new(&timeline);
    for (i, release) in timeline.releases.iter().enumerate() {
        // Each entry is dated by its release and counts from the one before.
        timeline.require_sound(&project, &repo, i, true)?;
        let to = Revision {
            spec: release.name.clone(),
            commit: hex(&release.commit),
        };
        let previous = i.checked_sub(1).map(|p| &timeline.releases[p]);
        let from = previous.map(|r| Revision {
            spec: r.name.clone(),
            commit: hex(&r.commit),
        });
        let (notice, _) = notice::between(
            &project,
            &repo,
            &mut replay,
            from.as_ref().map(|r| (r, previous)),
            Some((&to, Some(release))),
            None,
            &policies,
        )?;
        let text = notice_render::render(&notice, Format::Text, None)?;
        let updated = format_time(
            release.tagger.as_ref().map_or(release.time, |t| t.time),
            release.offset,
        );
        let needing = notice.needs_notice.len();
        let effective = release.date().map(|d| iso_date(policies[0].effective(d)));
        let summary = match effective {
            Some(e) if needing > 0 => format!(
                "{} {} notice; they take effect on {e}.",
                needing,
                if needing == 1 {
                    "change needs"
                } else {
                    "changes need"
                }
            ),
            _ => "No change needs notice.".to_owned(),
        };
        entries.push(format!(
            "  <entry>\n    <id>urn:subledger:release:{}:{}</id>\n    <title>{}</title>\n    <updated>{updated}</updated>\n    <published>{updated}</published>\n    <summary>{}</summary>\n    <content type=\"text\">{}</content>\n  </entry>\n",
            hex(&release.commit),
            urn_part(&release.name),
            xml(&match release.date() {
                Some(d) => format!("{} (released {})", release.name, iso_date(d)),
                None => release.name.clone(),
            }),
            xml(&summary),
            xml(&text)
        ));
    }
    entries.reverse();
    let updated = timeline
        .releases
        .last()
        .map(|r| format_time(r.time, r.offset))
        .or_else(|| {
            timeline
                .commits
                .last()
                .map(|c| format_time(c.commit_time, 0))
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_owned());
    let mut feed = String::new();
    feed.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    feed.push_str(&format!(
        "  <id>urn:subledger:register:{root}:{}</id>\n  <title>{}</title>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n  <generator>subledger</generator>\n",
        urn_part(&timeline.dir),
        xml(&format!("{} sub-processor list", config.register.name)),
        xml(&config.register.name)
    ));
    for entry in entries {
        feed.push_str(&entry);
    }
    feed.push_str("</feed>\n");
    match &args.out {
        Some(path) => {
            super::write_new(path, &feed, args.force)?;
            if !ctx.quiet {
                writeln!(ctx.err, "wrote {}", path.display()).map_err(Error::Output)?;
            }
        }
        None => ctx.out.write_all(feed.as_bytes()).map_err(Error::Output)?,
    }
    Ok(Outcome::Clean)
}
