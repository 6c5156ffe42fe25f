//! The auditor's evidence report for a period: the register at its start
//! and end, every release in it with its changes, notices and timing,
//! emergencies, changes never released and irregular tags. Every statement
//! names a commit or tag. Worded in `render::audit`.

use crate::commit::{Revision, hex};
use crate::dates::{format_time, iso_date};
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
use crate::render::notice as notice_words;
use crate::verify::{Check, check_notice, saved_notices};
use serde::Serialize;

mod customers;
pub use customers::{CustomerSummary, NotTold, ObjectionLine, Told};
use customers::{not_told, objection_lines, told};

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
    let now = register::check(&project.snapshot(None)?);
    let customers = now.customers.clone();
    let objections = objection_lines(timeline, &now, &at.config);
    let (customers_dir, objections_dir) = (
        format!("{}{}", project.prefix(repo), at.config.customers.dir),
        format!("{}{}", project.prefix(repo), at.config.customers.objections),
    );
    let unreadable = now
        .findings
        .iter()
        .filter(|f| f.severity == register::Severity::Error)
        .filter(|f| {
            [&customers_dir, &objections_dir]
                .iter()
                .any(|d| f.file.starts_with(&format!("{d}/")))
        })
        .map(|f| Unreadable {
            file: f.file.clone(),
            line: f.pos.map(|p| p.line),
            message: f.message.clone(),
        })
        .collect();
    let mut replay = Replay::new(timeline);
    let mut releases = Vec::new();
    for (i, release) in timeline.releases.iter().enumerate() {
        if !in_period(release.tagger.as_ref().map_or(release.time, |t| t.time)) {
            continue;
        }
        let previous = i.checked_sub(1).map(|p| &timeline.releases[p]);
        let to = release.revision();
        let (n, events) = notice::of_release(ledger, &mut replay, i, &policies)?;
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
                    .map(|r| notice_words::sentence(r, crate::render::lang::Language::En))
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
        let mut saved = Vec::new();
        // (One whose marker is gone is told by where it is.)
        let home = crate::reports::notice_path(&project.root, &release.name, "md");
        let ours = notices.iter().filter(|(path, owner)| match owner {
            Some(owner) => *owner == release.name,
            None => path.parent() == home.parent(),
        });
        for (path, _) in ours {
            saved.push(match check_notice(ledger, &mut replay, path)? {
                Check::Holds(line) | Check::Broken(line) => line,
            });
        }
        let message = release.message.as_deref().unwrap_or_default();
        // Who was a customer (had a file) when it was made.
        let present: std::collections::HashSet<String> = if customers.is_empty() {
            Default::default()
        } else {
            repo.list_dir(&to, &customers_dir)?
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
        let (not_told, later_customers) = not_told(&records, &n, &customers, &present);
        releases.push(ReleaseReport {
            name: release.name.clone(),
            commit: hex(&release.commit),
            tagger: release
                .tagger
                .as_ref()
                .map(|t| format!("{} <{}>", t.name, t.email)),
            date: date.map(iso_date),
            tagged_at: format_time(release.time, release.offset),
            tree: repo.tree_id(&to, &at.dir)?,
            annotated: release.tagger.is_some(),
            signed: message.contains("-----BEGIN PGP SIGNATURE-----")
                || message.contains("-----BEGIN SSH SIGNATURE-----"),
            previous: previous.map(|p| format!("{} {}", p.name, hex(&p.commit))),
            baseline: n.baseline.as_deref().map(|listed| {
                let summary =
                    notice_words::baseline_summary(listed, crate::render::lang::Language::En);
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
            problems: timeline
                .release_problems(project, repo, i)?
                .iter()
                .map(|c| c.text().to_owned())
                .collect(),
            not_loaded: n.not_loaded.clone(),
            timing,
            emergencies,
            // A baseline changes nothing: no date takes effect.
            not_told,
            later_customers,
            deliveries: told(records, date, &n, &customers, &at.config),
        });
    }
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
        start: state(project, repo, timeline, start_index)?,
        end: state(project, repo, timeline, end_index)?,
        releases,
        unreleased,
        irregular_tags: irregular,
        objections,
        unreadable,
    };
    Ok(audit)
}
