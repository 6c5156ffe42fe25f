//! Releases: an annotated tag that publishes a version of the list, made
//! only when the register is committed, valid and changed, and recording
//! what a notice needs to be checked later.

use crate::dates::format_date;
use crate::dates::iso_date;
use crate::error::{Error, Result};
use crate::history::{Repo, Signature};
use crate::ledger::timeline::{Release, Replay, Timeline};
use crate::ledger::{Change, Event, compare};
use crate::notice::policy::Policy;
use crate::project::Project;
use crate::register::{self, Field, Revision, Severity};
use crate::render::findings::plural;
use crate::render::timeline::{describe, kind_counts, short};

/// What to release.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The tag name; default: the tag prefix plus the date.
    pub name: Option<String>,
    pub date: Option<time::Date>,
    /// The tagger's time (seconds); default: now.
    pub time: Option<i64>,
    /// Who tags; default: git's user.name and user.email.
    pub tagger: Option<(String, String)>,
    pub message: Option<String>,
    pub dry_run: bool,
    pub allow_empty: bool,
    pub sign: bool,
}

/// A release made (or, with `dry_run`, one that would be).
#[derive(Clone, Debug)]
pub struct Made {
    pub name: String,
    pub commit: String,
    pub branch: String,
    pub date: time::Date,
    pub effective: time::Date,
    pub events: Vec<Event>,
    pub message: String,
}

/// Makes a release of the tip of HEAD, or says why it cannot be made.
pub fn release(project: &Project, request: &Request) -> Result<Made> {
    let repo = Repo::discover(&project.root)?;
    if repo.workdir().is_none() {
        return Err(Error::BareRepository {
            path: project.root.clone(),
        });
    }
    if repo.is_empty() {
        return Err(refuse(
            "the repository has no commits yet: commit the register first (git add subledger.toml register && git commit), then release".to_owned(),
        ));
    }
    let head = repo.resolve("HEAD")?;
    let at = project.config_at(&repo, &head)?;
    let config = &at.config;
    let branch = &config.register.branch;
    match repo.head_branch() {
        Some(b) if &b == branch => {}
        other => {
            return Err(refuse(format!(
                "HEAD is {}, but releases are made on `{branch}` ([register] branch in subledger.toml); run `git switch {branch}` first",
                other.map_or("detached".to_owned(), |b| format!("on `{b}`"))
            )));
        }
    }
    let prefix = project.prefix(&repo);
    let config_path = format!("{prefix}{}", crate::register::config::FILE_NAME);
    let dirty = repo.dirty(&[&at.dir, &config_path])?;
    if !dirty.is_empty() {
        return Err(refuse(format!(
            "{} not committed: {}; commit or stash them first, so the release holds what is in git",
            plural(dirty.len(), "change is", "changes are"),
            dirty.join(", ")
        )));
    }
    let snapshot = project.snapshot_at(&repo, head.clone())?;
    let loaded = register::check(&snapshot);
    let errors = loaded.count(Severity::Error);
    if errors > 0 {
        return Err(refuse(format!(
            "`subledger check --rev HEAD` finds {} at the tip; fix them first",
            plural(errors, "error", "errors")
        )));
    }
    let date = request
        .date
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    let name = match &request.name {
        Some(name) => {
            if !Repo::valid_tag_name(name) {
                return Err(Error::Usage {
                    what: format!("`{name}` is not a valid tag name"),
                });
            }
            if repo.tag_exists(name) {
                return Err(refuse(format!(
                    "tag `{name}` already exists; choose another name, or leave NAME out for {}{}",
                    config.register.tag_prefix,
                    iso_date(date)
                )));
            }
            name.clone()
        }
        None => {
            let base = format!("{}{}", config.register.tag_prefix, iso_date(date));
            let mut name = base.clone();
            let mut n = 1;
            while repo.tag_exists(&name) {
                n += 1;
                name = format!("{base}.{n}");
            }
            name
        }
    };
    // The ledger of the branch, whose tip HEAD is: the previous release,
    // and the changes since as the ledger knows them (a file broken at the
    // previous release keeps its last valid version there).
    let timeline = Timeline::build(project, None, &mut |_, _| {})?;
    let previous: Option<&Release> = timeline.releases.last();
    if previous.is_none() {
        timeline.require(|| "the previous release".to_owned())?;
    }
    let previous_rev = previous.map(|r| Revision {
        spec: r.name.clone(),
        commit: crate::commit::hex(&r.commit),
    });
    let tree = repo.tree_id(&head, &at.dir)?.unwrap_or_default();
    if let (Some(prev), Some(prev_rev)) = (previous, &previous_rev)
        && !request.allow_empty
        && repo.tree_id(prev_rev, &at.dir)?.unwrap_or_default() == tree
    {
        return Err(refuse(format!(
            "nothing in {} changed since the previous release {} ({}); use --allow-empty to release anyway",
            at.dir,
            prev.name,
            short(&prev_rev.commit)
        )));
    }
    // Never dated before what it releases, nor before the release before.
    let tip = timeline
        .commits
        .last()
        .ok_or_else(|| refuse("the branch has no commits".to_owned()))?;
    let committed = time::OffsetDateTime::from_unix_timestamp(tip.commit_time)
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN);
    if date < committed {
        return Err(refuse(format!(
            "a release dated {} would come before the commit it releases ({}, committed {}); a release cannot be backdated: use --date {} or later",
            iso_date(date),
            short(&head.commit),
            iso_date(committed),
            iso_date(committed)
        )));
    }
    if let Some(prev) = previous
        && let Some(prev_date) = prev.date()
        && date < prev_date
    {
        return Err(refuse(format!(
            "a release dated {} would come before the previous release {} ({}); use --date {} or later",
            iso_date(date),
            prev.name,
            iso_date(prev_date),
            iso_date(prev_date)
        )));
    }
    // The tag's own time: the time asked for, but never before the commit
    // or the previous release on that same day.
    let not_before = previous.map_or(tip.commit_time, |p| p.time.max(tip.commit_time));
    let tag_time = request.time.map(|t| t.max(not_before));
    let tip_index = timeline.commits.len() - 1;
    let mut replay = Replay::new(&timeline);
    let (before, after) = replay.span(previous.map(|p| p.index), tip_index);
    let events = compare::between_known(
        project,
        &repo,
        previous_rev.as_ref(),
        &head,
        &before,
        &after,
    )?;
    let policy = Policy::new(&config.notice, None)?;
    let effective = policy.effective(date);
    // A vendor may not start before the notice period ends, unless it
    // records why it could not wait.
    let early: Vec<String> = loaded
        .register
        .vendors
        .values()
        .filter(|v| events.iter().any(|e| e.id == v.id))
        .filter(|v| v.text(Field::Emergency).is_none())
        .filter_map(|v| {
            let start = v.date(Field::Effective)?;
            (start < effective).then(|| format!("{} (effective {})", v.id, iso_date(start)))
        })
        .collect();
    if !early.is_empty() {
        return Err(refuse(format!(
            "{} before the notice period ends on {} ({} after {}): {}; move `effective` to {} or later, or record why it cannot wait with emergency = \"reason\"",
            plural(early.len(), "vendor starts", "vendors start"),
            iso_date(effective),
            policy.describe(),
            iso_date(date),
            early.join(", "),
            iso_date(effective)
        )));
    }
    let message = tag_message(
        &name,
        request.message.as_deref(),
        date,
        &policy,
        &events,
        previous.zip(previous_rev.as_ref()),
        &tree,
    );
    let made = Made {
        name,
        commit: head.commit.clone(),
        branch: branch.clone(),
        date,
        effective,
        events,
        message,
    };
    if request.dry_run {
        return Ok(made);
    }
    if request.sign {
        sign(project, &made, tag_time)?;
        return Ok(made);
    }
    let mut tagger = match (&request.tagger, tag_time) {
        (Some((name, email)), Some(time)) => Signature {
            name: name.clone(),
            email: email.clone(),
            time,
            offset: 0,
        },
        _ => repo.tagger(tag_time)?,
    };
    if tagger.time < not_before {
        tagger.time = not_before;
    }
    repo.create_tag(&made.name, &made.commit, &tagger, &made.message)?;
    Ok(made)
}

/// Why a release is refused: the message says what to do.
fn refuse(what: String) -> Error {
    Error::Refused { what }
}

/// "3 changes: 1 added, 2 changed".
pub fn summary(events: &[Event]) -> String {
    if events.is_empty() {
        return "no changes".to_owned();
    }
    format!(
        "{} ({})",
        plural(events.len(), "change", "changes"),
        kind_counts(events)
    )
}

/// The tag message: what changed, when it takes effect, and lines a
/// program can check (`Key: value`, git trailer style).
fn tag_message(
    name: &str,
    note: Option<&str>,
    date: time::Date,
    policy: &Policy,
    events: &[Event],
    previous: Option<(&Release, &crate::register::Revision)>,
    tree: &str,
) -> String {
    let mut text = format!("Sub-processor list {name}\n\n");
    if let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) {
        text.push_str(note);
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "Released {}. Changes that need notice take effect on {} ({} after the release).\n\n",
        iso_date(date),
        iso_date(policy.effective(date)),
        policy.describe()
    ));
    match previous {
        Some((release, _)) => text.push_str(&format!(
            "{} since {} ({}):\n",
            summary(events),
            release.name,
            format_date(release.time, release.offset)
        )),
        None => text.push_str(&format!("First release: {}:\n", summary(events))),
    }
    let width = events.iter().map(|e| e.id.len()).max().unwrap_or(0);
    for event in events {
        let what = match &event.change {
            Change::Added(v) => format!("{} ({})", v.name(), v.section()),
            other => describe(other, 80),
        };
        text.push_str(&format!(
            "  {:<9}  {:<width$}  {what}\n",
            event.change.kind().as_str(),
            event.id
        ));
    }
    text.push('\n');
    text.push_str(&format!("Release-Date: {}\n", iso_date(date)));
    text.push_str(&format!(
        "Effective-Date: {}\n",
        iso_date(policy.effective(date))
    ));
    text.push_str(&format!("Register-Tree: {tree}\n"));
    match previous {
        Some((release, rev)) => text.push_str(&format!(
            "Previous-Release: {} {}\n",
            release.name, rev.commit
        )),
        None => text.push_str("Previous-Release: none\n"),
    }
    text
}

/// A signed tag through the user's own git (`git tag -s`).
fn sign(project: &Project, made: &Made, time: Option<i64>) -> Result<()> {
    use std::io::Write;
    let (name, commit, message) = (&made.name, &made.commit, &made.message);
    use std::process::{Command, Stdio};
    let mut command = Command::new("git");
    command
        .current_dir(&project.root)
        .args(["tag", "-s", "-F", "-", name, commit])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(t) = time {
        command.env("GIT_COMMITTER_DATE", format!("@{t} +0000"));
    }
    let mut run = || -> std::io::Result<std::process::Output> {
        let mut child = command.spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(message.as_bytes())?;
        }
        child.wait_with_output()
    };
    let output = run().map_err(|e| {
        refuse(format!(
            "--sign needs git on PATH to make a signed tag: {e}"
        ))
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(refuse(format!(
            "git could not sign the tag: {}; set up signing (git config user.signingkey, gpg.format) or release without --sign",
            stderr.trim().lines().last().unwrap_or("unknown error")
        )));
    }
    Ok(())
}
