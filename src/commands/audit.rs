//! `subledger audit`: the evidence report for a period.

use super::verify::{Check, check_notice, saved_notices};
use super::{Context, Outcome};
use crate::commit::hex;
use crate::dates::iso_date;
use crate::dates::{format_time, parse_date};
use crate::error::{Error, Result};
use crate::history::Repo;
use crate::ledger::timeline::{Release, Replay, Timeline};
use crate::notice;
use crate::policy::Policy;
use crate::project::Project;
use crate::register::{self, Revision};
use crate::render::timeline::describe;
use serde::Serialize;
use std::path::PathBuf;

/// Write the evidence report an auditor asks for, for a period
///
/// For the period (default: all of history): the register as it stood at
/// the start and at the end; every release (tag, tagger, date, commit,
/// register tree, signed or not) with the changes it released; for each,
/// whether its notice was saved under reports/ and still matches the
/// repository; the timing of every change that needed notice (release date,
/// effective date and days of notice under each profile, vendors engaged
/// earlier than allowed, emergencies with their reasons); changes committed
/// but never released; and release tags that are lightweight or off the
/// first-parent line. Every statement names a commit or tag, so it can be
/// checked with plain git.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger audit --since 2026-01-01 --until 2026-06-30\n  subledger audit --format html --save"
)]
pub struct AuditArgs {
    /// The first day of the period (YYYY-MM-DD, UTC)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// The last day of the period (the whole day counts)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = AuditFormat::Markdown)]
    pub format: AuditFormat,

    /// Write it to reports/audit-<since>-<until>.<ext> instead of stdout
    #[arg(long)]
    pub save: bool,

    /// With --save, replace an existing file
    #[arg(long, requires = "save")]
    pub force: bool,
}

/// `audit --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    Markdown,
    Html,
    /// Versioned JSON (subledger.audit/1)
    Json,
}

#[derive(Serialize)]
struct Listed {
    id: String,
    name: String,
    section: String,
    locations: String,
}

#[derive(Serialize)]
struct State {
    commit: Option<String>,
    date: Option<String>,
    vendors: Vec<Listed>,
}

#[derive(Serialize)]
struct Days {
    profile: String,
    effective: String,
    days: i64,
    /// The vendor's own start date came before the effective date.
    early: bool,
}

#[derive(Serialize)]
struct Timing {
    id: String,
    name: String,
    changes: Vec<String>,
    /// The vendor's own `effective` date, if it has one.
    starts: Option<String>,
    profiles: Vec<Days>,
}

#[derive(Serialize)]
struct Emergency {
    id: String,
    name: String,
    reason: String,
    engaged: Option<String>,
}

#[derive(Serialize)]
struct ReleaseReport {
    name: String,
    commit: String,
    tagger: Option<String>,
    date: Option<String>,
    tagged_at: String,
    tree: Option<String>,
    annotated: bool,
    signed: bool,
    previous: Option<String>,
    changes: Vec<String>,
    notices: Vec<String>,
    /// What does not hold about it: dates before its commit or before the
    /// release before it.
    problems: Vec<String>,
    /// Files of the register dir it could not load.
    not_loaded: Vec<notice::NotLoaded>,
    timing: Vec<Timing>,
    emergencies: Vec<Emergency>,
}

#[derive(Serialize)]
struct Unreleased {
    commit: String,
    date: String,
    author: String,
    change: String,
}

#[derive(Serialize)]
struct Irregular {
    name: String,
    commit: String,
    problem: String,
}

#[derive(Serialize)]
struct Audit {
    schema: &'static str,
    company: String,
    branch: String,
    tip: String,
    since: Option<String>,
    until: Option<String>,
    start: State,
    end: State,
    releases: Vec<ReleaseReport>,
    unreleased: Vec<Unreleased>,
    irregular_tags: Vec<Irregular>,
}

fn state(
    project: &Project,
    repo: &Repo,
    timeline: &Timeline,
    index: Option<usize>,
) -> Result<State> {
    let Some(index) = index else {
        return Ok(State {
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
    Ok(State {
        commit: Some(hex(&commit.id)),
        date: Some(format_time(commit.commit_time, 0)),
        vendors: loaded
            .register
            .vendors
            .values()
            .map(|v| Listed {
                id: v.id.clone(),
                name: v.name().to_owned(),
                section: v.section().to_owned(),
                locations: v.locations().join(", "),
            })
            .collect(),
    })
}

pub fn run(args: &AuditArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let bound = |flag: &str, text: &Option<String>, end: bool| -> Result<Option<i64>> {
        match text {
            None => Ok(None),
            Some(t) => parse_date(t, end).map(Some).ok_or_else(|| Error::Usage {
                what: format!("{flag} {t}: not a date; use YYYY-MM-DD"),
            }),
        }
    };
    let since = bound("--since", &args.since, false)?;
    let until = bound("--until", &args.until, true)?;
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        return Err(Error::Usage {
            what: format!(
                "--since {} comes after --until {}: no period is that",
                args.since.as_deref().unwrap_or_default(),
                args.until.as_deref().unwrap_or_default()
            ),
        });
    }
    let project = Project::locate(ctx.repo.as_deref())?;
    let repo = Repo::discover(&project.root)?;
    let timeline = Timeline::build(&project, None, &mut |_, _| {})?;
    // Every release and every change since the first commit: nothing of it
    // may be below a shallow clone's cut.
    timeline.require_whole()?;
    let at = project.config_at(&repo, &timeline.tip)?;
    let policies = Policy::all(&at.config.notice)?;
    let in_period = |time: i64| since.is_none_or(|s| time >= s) && until.is_none_or(|u| time <= u);
    // The register before the period and at its end.
    let start_index = since.and_then(|s| timeline.commits.iter().rposition(|c| c.commit_time < s));
    let end_index = match until {
        Some(u) => timeline.commits.iter().rposition(|c| c.commit_time <= u),
        None => timeline.commits.len().checked_sub(1),
    };
    let rev = |r: &Release| Revision {
        spec: r.name.clone(),
        commit: hex(&r.commit),
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
    let mut replay = Replay::new(&timeline);
    let mut releases = Vec::new();
    for (i, release) in timeline.releases.iter().enumerate() {
        if !in_period(release.tagger.as_ref().map_or(release.time, |t| t.time)) {
            continue;
        }
        let previous = i.checked_sub(1).map(|p| &timeline.releases[p]);
        let (to, from) = (rev(release), previous.map(rev));
        let (n, events) = notice::between(
            &project,
            &repo,
            &mut replay,
            from.as_ref().map(|r| (r, previous)),
            Some((&to, Some(release))),
            None,
            &policies,
        )?;
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
                changes: item.changes.clone(),
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
                        let allowed = date.map(|r| policy.effective(r))?;
                        let early = item
                            .starts
                            .as_deref()
                            .and_then(crate::dates::parse_iso_date)
                            .is_some_and(|s| s < allowed);
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
                Some(Emergency {
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
            saved.push(
                match check_notice(&project, &repo, &mut replay, &at, path)? {
                    Check::Holds(line) | Check::Broken(line) => line,
                },
            );
        }
        let message = release.message.as_deref().unwrap_or_default();
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
            changes,
            notices: if saved.is_empty() {
                vec!["no notice saved under reports/".to_owned()]
            } else {
                saved
            },
            problems: timeline
                .release_problems(&project, &repo, i)?
                .iter()
                .map(|c| c.text().to_owned())
                .collect(),
            not_loaded: n.not_loaded.clone(),
            timing,
            emergencies,
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
    let audit = Audit {
        schema: "subledger.audit/1",
        company: at.config.register.name.clone(),
        branch: timeline.branch.clone(),
        tip: timeline.tip.commit.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
        start: state(&project, &repo, &timeline, start_index)?,
        end: state(&project, &repo, &timeline, end_index)?,
        releases,
        unreleased,
        irregular_tags: irregular,
    };
    let text = match args.format {
        AuditFormat::Json => {
            let mut t = serde_json::to_string_pretty(&audit)
                .map(crate::render::json_safe)
                .map_err(|e| Error::Usage {
                    what: format!("cannot write the audit as JSON: {e}"),
                })?;
            t.push('\n');
            t
        }
        AuditFormat::Markdown => crate::render::template::render(
            "audit.md",
            "built-in template",
            include_str!("../render/templates/audit.md.j2"),
            &audit,
        )?,
        AuditFormat::Html => crate::render::template::render(
            "audit.html",
            "built-in template",
            include_str!("../render/templates/audit.html.j2"),
            &audit,
        )?,
    };
    if args.save {
        let ext = match args.format {
            AuditFormat::Markdown => "md",
            AuditFormat::Html => "html",
            AuditFormat::Json => "json",
        };
        let name = format!(
            "audit-{}-{}.{ext}",
            args.since.as_deref().unwrap_or("start"),
            args.until.as_deref().unwrap_or("now")
        );
        let path: PathBuf = project.root.join(crate::reports::DIR).join(name);
        super::save_report(ctx.out, &project.root, &path, &text, args.force, None)?;
    } else {
        ctx.out.write_all(text.as_bytes()).map_err(Error::Output)?;
    }
    Ok(Outcome::Clean)
}
