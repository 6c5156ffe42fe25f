//! The auditor's evidence report for a period: the register at its start
//! and end, every release in it with its changes, notices and timing,
//! emergencies, changes never released and irregular tags. Every statement
//! names a commit or tag. Worded in `render::audit`.

use crate::commit::{Revision, hex};
use crate::dates::format_time;
use crate::error::{Error, Result};
use crate::history::Repo;
use crate::ledger::Ledger;
use crate::ledger::replay::Replay;
use crate::ledger::timeline::Timeline;
use crate::notice;
use crate::notice::policy::Policy;
use crate::project::Project;
use crate::register;
use crate::render::events::describe;
use crate::verify::saved_notices;
use serde::Serialize;

mod customers;
mod release;
use customers::objection_lines;
pub use customers::{CustomerSummary, NotTold, ObjectionLine, Told};

/// The period: its bounds (seconds) and as the user wrote them.
#[derive(Clone, Debug, Default)]
pub struct Period {
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub since_text: Option<String>,
    pub until_text: Option<String>,
}

impl Period {
    /// A period; `since` after `until` is none.
    pub fn new(since: Option<(i64, String)>, until: Option<(i64, String)>) -> Result<Period> {
        if let (Some((s, a)), Some((u, b))) = (&since, &until)
            && s > u
        {
            return Err(Error::BackwardsPeriod {
                since: a.to_string(),
                until: b.to_string(),
            });
        }
        Ok(Period {
            since: since.as_ref().map(|(s, _)| *s),
            until: until.as_ref().map(|(u, _)| *u),
            since_text: since.map(|(_, t)| t),
            until_text: until.map(|(_, t)| t),
        })
    }
}

#[derive(Serialize)]
pub struct VendorRow {
    pub id: String,
    pub name: String,
    pub section: String,
    pub locations: String,
}

#[derive(Serialize)]
pub struct Standing {
    pub commit: Option<String>,
    pub date: Option<String>,
    pub vendors: Vec<VendorRow>,
}

#[derive(Serialize)]
pub struct Days {
    pub profile: String,
    pub effective: String,
    pub days: i64,
    /// The vendor's own start date came before the effective date.
    pub early: bool,
}

#[derive(Serialize)]
pub struct Timing {
    pub id: String,
    pub name: String,
    pub changes: Vec<String>,
    /// The vendor's own `effective` date, if it has one.
    pub starts: Option<String>,
    pub profiles: Vec<Days>,
}

#[derive(Serialize)]
pub struct EmergencyRow {
    pub id: String,
    pub name: String,
    pub reason: String,
    pub engaged: Option<String>,
}

#[derive(Serialize)]
pub struct ReleaseReport {
    pub name: String,
    pub commit: String,
    pub tagger: Option<String>,
    pub date: Option<String>,
    pub tagged_at: String,
    pub tree: Option<String>,
    pub annotated: bool,
    pub signed: bool,
    pub previous: Option<String>,
    /// For the first publication of the list: "published 12 sub-processors
    /// on 2026-01-15 (baseline)". Its changes are what it lists, none of
    /// them needing notice.
    pub baseline: Option<String>,
    pub changes: Vec<String>,
    pub notices: Vec<String>,
    /// What does not hold about it: dates before its commit or before the
    /// release before it.
    pub problems: Vec<String>,
    /// Files of the register dir it could not load.
    pub not_loaded: Vec<notice::NotLoaded>,
    pub timing: Vec<Timing>,
    pub emergencies: Vec<EmergencyRow>,
    /// Every delivery attempt recorded for it (`subledger send`).
    pub deliveries: Vec<Told>,
    /// Customers with changes in their sections and an address with no
    /// accepted delivery.
    pub not_told: Vec<NotTold>,
    /// Customers it concerns whose files came into the repository after its
    /// commit, with no delivery of it: not yet customers when it was made.
    pub later_customers: Vec<String>,
}

/// A customer or objection file the report could not take: it is left out.
#[derive(Serialize)]
pub struct Unreadable {
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

#[derive(Serialize)]
pub struct Unreleased {
    pub commit: String,
    pub date: String,
    pub author: String,
    pub change: String,
}

#[derive(Serialize)]
pub struct Irregular {
    pub name: String,
    pub commit: String,
    pub problem: String,
}

/// The whole report.
#[derive(Serialize)]
pub struct Audit {
    pub schema: &'static str,
    pub company: String,
    pub branch: String,
    pub tip: String,
    pub since: Option<String>,
    pub until: Option<String>,
    pub start: Standing,
    pub end: Standing,
    pub releases: Vec<ReleaseReport>,
    pub unreleased: Vec<Unreleased>,
    pub irregular_tags: Vec<Irregular>,
    /// Every objection recorded, oldest first.
    pub objections: Vec<ObjectionLine>,
    /// What an auditor reads first; `None` without customer files.
    pub customers: Option<CustomerSummary>,
    /// Customer and objection files that cannot be read (the report leaves
    /// them out, so it is incomplete: `audit` exits 1).
    pub unreadable: Vec<Unreadable>,
}

fn state(
    project: &Project,
    repo: &Repo,
    timeline: &Timeline,
    index: Option<usize>,
) -> Result<Standing> {
    let Some(index) = index else {
        return Ok(Standing {
            commit: None,
            date: None,
            vendors: Vec::new(),
        });
    };
    let commit = &timeline.commits[index];
    let rev = Revision {
        spec: hex(&commit.id),
        commit: hex(&commit.id),
    };
    let loaded = register::check(&project.snapshot_at(repo, rev)?);
    Ok(Standing {
        commit: Some(hex(&commit.id)),
        date: Some(format_time(commit.commit_time, 0)),
        vendors: loaded
            .register
            .vendors
            .values()
            .map(|v| VendorRow {
                id: v.id.clone(),
                name: v.name().to_owned(),
                section: v.section().to_owned(),
                locations: v.locations().join(", "),
            })
            .collect(),
    })
}

/// The report for `period`.
pub fn build(ledger: &Ledger, period: &Period) -> Result<Audit> {
    let (project, repo, timeline, at) =
        (&ledger.project, &ledger.repo, &ledger.timeline, &ledger.at);
    let (since, until) = (period.since, period.until);
    // Every release and every change since the first commit: nothing of it
    // may be below a shallow clone's cut.
    timeline.require_whole()?;
    let policies = Policy::all(&at.config.notice)?;
    let in_period = |time: i64| since.is_none_or(|s| time >= s) && until.is_none_or(|u| time <= u);
    // The register before the period and at its end.
    let start_index = since.and_then(|s| timeline.commits.iter().rposition(|c| c.commit_time < s));
    let end_index = match until {
        Some(u) => timeline.commits.iter().rposition(|c| c.commit_time <= u),
        None => timeline.commits.len().checked_sub(1),
    };
    // Each saved notice belongs to the release its marker names, wherever
    // it is kept.
    let notices: Vec<(std::path::PathBuf, Option<String>)> = saved_notices(&project.root)
        .into_iter()
        .map(|path| {
            let release = std::fs::read_to_string(&path)
                .ok()
                .and_then(|text| crate::reports::marker(&path, &text))
                .map(|m| m.release);
            (path, release)
        })
        .collect();
    // The customers as the work tree has them: who should have been told,
    // and what they objected to.
    let snapshot = project.snapshot(None)?;
    let now = register::check(&snapshot);
    let customers = now.customers.clone();
    let objections = objection_lines(timeline, &now, &at.config);
    // The customers dir in git, where who had a file at each release is read.
    let customers_dir = format!(
        "{}{}",
        project.prefix(repo),
        at.config.customers.dir.trim_end_matches('/')
    );
    // Errors in the files the report reads, named as `check` names them.
    let unreadable = now
        .findings
        .iter()
        .filter(|f| f.severity == register::Severity::Error)
        .filter(|f| {
            [&snapshot.customers_display, &snapshot.objections_display]
                .iter()
                .any(|d| f.file.starts_with(&format!("{d}/")))
        })
        .map(|f| Unreadable {
            file: f.file.clone(),
            line: f.pos.map(|p| p.line),
            message: f.message.clone(),
        })
        .collect();
    // Each release's notice, and what is read from git and disk for it, in
    // release order on this thread; the report of each worded on others.
    let each_release = || {
        crate::render::pipeline(
            |send| {
                let mut replay = Replay::new(timeline);
                for (i, release) in timeline.releases.iter().enumerate() {
                    if !in_period(release.tagger.as_ref().map_or(release.time, |t| t.time)) {
                        continue;
                    }
                    send(release::read(
                        ledger,
                        &mut replay,
                        i,
                        &policies,
                        &notices,
                        &customers,
                        &customers_dir,
                    )?)?;
                }
                Ok(())
            },
            |read| Ok(release::word(read, &policies, &customers, &at.config)),
        )
    };
    // The register at the period's two ends, read on a thread of its own
    // (with its own handle on the repository) while the releases are.
    let other = repo.reopen()?;
    let (standing, releases) = std::thread::scope(|scope| {
        let standing = scope.spawn(move || -> Result<(Standing, Standing)> {
            let repo = other;
            Ok((
                state(project, &repo, timeline, start_index)?,
                state(project, &repo, timeline, end_index)?,
            ))
        });
        let releases = each_release();
        let standing = standing.join().expect("reading the register panicked");
        (standing, releases)
    });
    let releases = releases?;
    let (start, end) = standing?;
    // Committed to the register, never released (within the period).
    let last_release = timeline.releases.last().map(|r| r.index);
    let mut unreleased = Vec::new();
    for entry in &timeline.entries {
        if last_release.is_some_and(|r| entry.index <= r)
            || end_index.is_some_and(|e| entry.index > e)
        {
            continue;
        }
        let commit = &timeline.commits[entry.index];
        for event in &entry.events {
            unreleased.push(Unreleased {
                commit: hex(&commit.id),
                date: format_time(commit.author.time, commit.author.offset),
                author: format!("{} <{}>", commit.author.name, commit.author.email),
                change: format!(
                    "{} {}: {}",
                    event.change.kind().as_str(),
                    event.id,
                    describe(&event.change, 200)
                ),
            });
        }
    }
    let mut irregular: Vec<Irregular> = timeline
        .stray_tags
        .iter()
        .map(|t| Irregular {
            name: t.name.clone(),
            commit: hex(&t.commit),
            problem: format!("{}: not a release", t.problem(&timeline.branch)),
        })
        .collect();
    irregular.extend(
        timeline
            .releases
            .iter()
            .filter(|r| r.tagger.is_none())
            .map(|r| Irregular {
                name: r.name.clone(),
                commit: hex(&r.commit),
                problem: "a lightweight tag: no tagger, date or message records who released it"
                    .to_owned(),
            }),
    );
    let summary = (!customers.is_empty()).then(|| {
        let accepted = || {
            releases
                .iter()
                .flat_map(|r| &r.deliveries)
                .filter(|d| d.accepted)
        };
        CustomerSummary {
            customers: customers.len(),
            releases: releases.len(),
            on_time: accepted().filter(|d| !d.late).count(),
            late: accepted().filter(|d| d.late).count(),
            never: releases
                .iter()
                .filter(|r| r.baseline.is_none())
                .map(|r| r.not_told.len())
                .sum(),
            open_objections: objections.iter().filter(|o| o.outcome == "open").count(),
        }
    });
    let audit = Audit {
        customers: summary,
        schema: "subledger.audit/1",
        company: at.config.register.name.clone(),
        branch: timeline.branch.clone(),
        tip: timeline.tip.commit.clone(),
        since: period.since_text.clone(),
        until: period.until_text.clone(),
        start,
        end,
        releases,
        unreleased,
        irregular_tags: irregular,
        objections,
        unreadable,
    };
    Ok(audit)
}
