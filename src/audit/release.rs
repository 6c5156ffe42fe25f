//! One release of the audit: what is read for it (on the thread that
//! replays the ledger, with git and the disk) and its report worded from
//! that (on any thread).

use super::customers::{not_told, told};
use super::{Days, EmergencyRow, ReleaseReport, Timing};
use crate::commit::hex;
use crate::dates::{format_time, iso_date};
use crate::error::Result;
use crate::ledger::Event;
use crate::ledger::Ledger;
use crate::ledger::releases::Release;
use crate::ledger::replay::Replay;
use crate::notice::Notice;
use crate::notice::policy::Policy;
use crate::register::customer::Customer;
use crate::render::events::describe;
use crate::render::lang::Language;
use crate::render::notice as notice_words;
use crate::verify::{Check, check_notice};
use std::collections::HashSet;
use std::path::PathBuf;

/// What is read for one release.
pub(super) struct Read<'l> {
    release: &'l Release,
    previous: Option<&'l Release>,
    notice: Notice,
    events: Vec<Event>,
    /// Each saved notice of it, checked.
    saved: Vec<String>,
    /// The customers with a file at its commit.
    present: HashSet<String>,
    records: Vec<crate::delivery::Record>,
    tree: Option<String>,
    problems: Vec<String>,
}

/// Reads release `i`: its notice from the release before, its saved
/// notices (each checked), the customers at its commit, what `send`
/// recorded, its register tree and what does not hold about it.
pub(super) fn read<'l>(
    ledger: &'l Ledger,
    replay: &mut Replay<'l>,
    i: usize,
    policies: &[Policy],
    notices: &[(PathBuf, Option<String>)],
    customers: &[Customer],
    customers_dir: &str,
) -> Result<Read<'l>> {
    let (project, repo, timeline) = (&ledger.project, &ledger.repo, &ledger.timeline);
    let release = &timeline.releases[i];
    let to = release.revision();
    let (notice, events) = crate::notice::of_release(ledger, replay, i, policies)?;
    let mut saved = Vec::new();
    // (One whose marker is gone is told by where it is.)
    let home = crate::reports::notice_path(&project.root, &release.name, "md");
    let ours = notices.iter().filter(|(path, owner)| match owner {
        Some(owner) => *owner == release.name,
        None => path.parent() == home.parent(),
    });
    for (path, _) in ours {
        saved.push(match check_notice(ledger, replay, path)? {
            Check::Holds(line) | Check::Broken(line) => line,
        });
    }
    // Who was a customer (had a file) when it was made.
    let present = if customers.is_empty() {
        HashSet::new()
    } else {
        repo.list_dir(&to, customers_dir)?
            .into_iter()
            .flatten()
            .filter_map(|(name, _, _)| Some(name.strip_suffix(".toml")?.to_owned()))
            .collect()
    };
    // What `send` recorded for it.
    let records = crate::delivery::record::read(&crate::delivery::record::path(
        &project.root,
        &release.name,
    ))?;
    Ok(Read {
        release,
        previous: i.checked_sub(1).map(|p| &timeline.releases[p]),
        notice,
        events,
        saved,
        present,
        records,
        tree: repo.tree_id(&to, &ledger.at.dir)?,
        problems: timeline
            .release_problems(project, repo, i)?
            .iter()
            .map(|c| c.text().to_owned())
            .collect(),
    })
}

/// The report of a release read.
pub(super) fn word(
    read: Read<'_>,
    policies: &[Policy],
    customers: &[Customer],
    config: &crate::register::config::Config,
) -> ReleaseReport {
    let Read {
        release,
        previous,
        notice: n,
        events,
        saved,
        present,
        records,
        tree,
        problems,
    } = read;
    let changes = events
        .iter()
        .map(|e| {
            format!(
                "{} {}: {}",
                e.change.kind().as_str(),
                e.id,
                describe(&e.change, 200)
            )
        })
        .collect();
    let date = release.date();
    let timing = n
        .needs_notice
        .iter()
        .filter(|item| item.emergency.is_none())
        .map(|item| Timing {
            id: item.vendor.id.clone(),
            name: item.vendor.name.clone(),
            changes: item
                .reasons
                .iter()
                .map(|r| notice_words::sentence(r, Language::En))
                .collect(),
            starts: item.starts.clone(),
            profiles: item
                .dates
                .iter()
                .filter_map(|d| {
                    let effective = d.effective.clone()?;
                    let days = match (date, crate::dates::parse_iso_date(&effective)) {
                        (Some(r), Some(e)) => (e - r).whole_days(),
                        _ => 0,
                    };
                    let policy = policies.iter().find(|p| p.profile == d.profile)?;
                    let released = date?;
                    let starts = item
                        .starts
                        .as_deref()
                        .and_then(crate::dates::parse_iso_date);
                    let early = crate::release::engaged_early(policy, released, starts);
                    Some(Days {
                        profile: d.profile.clone().unwrap_or_else(|| "default".to_owned()),
                        effective,
                        days,
                        early,
                    })
                })
                .collect(),
        })
        .collect();
    let emergencies = n
        .needs_notice
        .iter()
        .filter_map(|item| {
            let e = item.emergency.as_ref()?;
            Some(EmergencyRow {
                id: item.vendor.id.clone(),
                name: item.vendor.name.clone(),
                reason: e.reason.clone(),
                engaged: e.engaged.clone(),
            })
        })
        .collect();
    let message = release.message.as_deref().unwrap_or_default();
    let (not_told, later_customers) = not_told(&records, &n, customers, &present);
    ReleaseReport {
        name: release.name.clone(),
        commit: hex(&release.commit),
        tagger: release
            .tagger
            .as_ref()
            .map(|t| format!("{} <{}>", t.name, t.email)),
        date: date.map(iso_date),
        tagged_at: format_time(release.time, release.offset),
        tree,
        annotated: release.tagger.is_some(),
        signed: message.contains("-----BEGIN PGP SIGNATURE-----")
            || message.contains("-----BEGIN SSH SIGNATURE-----"),
        previous: previous.map(|p| format!("{} {}", p.name, hex(&p.commit))),
        baseline: n.baseline.as_deref().map(|listed| {
            let summary = notice_words::baseline_summary(listed, Language::En);
            let published = summary.replacen("initial publication of", "published", 1);
            match date {
                Some(d) => format!("{published} on {} (baseline)", iso_date(d)),
                None => format!("{published} (baseline)"),
            }
        }),
        changes,
        notices: if saved.is_empty() {
            vec!["no notice saved under reports/".to_owned()]
        } else {
            saved
        },
        problems,
        not_loaded: n.not_loaded.clone(),
        timing,
        emergencies,
        // A baseline changes nothing: no date takes effect.
        not_told,
        later_customers,
        deliveries: told(records, date, &n, customers, config),
    }
}
