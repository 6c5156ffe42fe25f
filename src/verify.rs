//! Has published history been rewritten? Every release tag is held to
//! what it records (register tree, previous release, dates) and to the
//! objects it vouches for, read and hashed; every saved notice to its tag
//! and to the notice the repository produces. Worded in `render::verify`.

use crate::commit::{Revision, hex};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::ledger::releases::{Concern, Release};
use crate::ledger::replay::Replay;
use crate::notice;
use crate::notice::policy::Policy;
use crate::render::findings::plural;
use crate::render::notice::{self as notice_render, Format};
use crate::reports::marker;
pub use crate::reports::saved_notices;
use std::path::Path;

/// What verify found: what does not hold, and what was checked and holds.
#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<String>,
    pub checked: Vec<String>,
    pub releases: usize,
    pub notices: usize,
}

/// Checks the published history of `ledger`, which must have been walked
/// from history itself ([`Ledger::open_from_history`]).
pub fn verify(ledger: &Ledger) -> Result<Report> {
    let (project, repo, timeline, at) =
        (&ledger.project, &ledger.repo, &ledger.timeline, &ledger.at);
    // Every release and every change since the first commit: nothing of it
    // may be below a shallow clone's cut.
    timeline.require_whole()?;
    let mut problems: Vec<String> = Vec::new();
    let mut checked: Vec<String> = Vec::new();
    let commits: Vec<_> = timeline.releases.iter().map(|r| r.commit).collect();
    let mut objects = repo.verify_releases(&commits, &at.dir)?;
    // Objects that do not match their ids: nothing rebuilt from them can be
    // compared with the evidence saved from the objects as they were.
    let altered = objects.iter().any(|(_, damaged)| !damaged.is_empty());
    for (r, release) in timeline.releases.iter().enumerate() {
        let commit = hex(&release.commit);
        // Its dates, and what it records against its commit and the line.
        let concerns = timeline.release_problems(project, repo, r)?;
        match release.trailers().register_tree.as_deref() {
            Some(recorded) if !concerns.iter().any(|c| matches!(c, Concern::Tree(_))) => {
                checked.push(format!(
                    "{}: register tree {} at {}",
                    release.name,
                    &recorded[..10.min(recorded.len())],
                    &commit[..10]
                ));
            }
            Some(_) => {}
            // Nothing records who made it, when, or at which commit: it can
            // be deleted and made again elsewhere without a trace, so
            // verify cannot vouch for it.
            None if release.tagger.is_none() => problems.push(format!(
                "{}: a lightweight tag: no tagger, date or register tree records this release, so nothing shows it still names the commit it was published at; make it an annotated release tag (`git tag -a -f {} {}` once you have confirmed that commit)",
                release.name,
                release.name,
                &commit[..10]
            )),
            None => checked.push(format!(
                "{}: made without `subledger release` (no Register-Tree line); only its place on the line is checked",
                release.name
            )),
        }
        for concern in &concerns {
            problems.push(format!("{}: {}", release.name, concern.text()));
        }
        // Everything the release vouches for, read and checked against
        // its id: the commit, the trees and every vendor file.
        let (files, damaged) = std::mem::take(&mut objects[r]);
        if damaged.is_empty() {
            checked.push(format!(
                "{}: {} read, each matching its id",
                release.name,
                plural(files, "file", "files")
            ));
        }
        problems.extend(
            damaged
                .into_iter()
                .map(|d| format!("{}: {d}", release.name)),
        );
    }
    for tag in &timeline.stray_tags {
        problems.push(format!(
            "{}: a release tag at {}, which is {}",
            tag.name,
            &hex(&tag.commit)[..10],
            tag.problem(&timeline.branch)
        ));
    }
    let mut replay = Replay::new(timeline);
    for path in saved_notices(&project.root) {
        if altered {
            let shown = path
                .strip_prefix(&project.root)
                .unwrap_or(&path)
                .display()
                .to_string();
            problems.push(format!(
                "{shown}: not checked: objects of this repository do not match their ids (above), so the notice cannot be rebuilt to compare with it; keep the file, and repair the repository first (`git fsck --full`, then fetch the objects again from a good copy)"
            ));
            continue;
        }
        match check_notice(ledger, &mut replay, &path)? {
            Check::Holds(line) => checked.push(line),
            Check::Broken(line) => problems.push(line),
        }
    }
    deliveries(ledger, &mut problems, &mut checked)?;
    Ok(Report {
        releases: timeline.releases.len(),
        notices: saved_notices(&project.root).len(),
        problems,
        checked,
    })
}

/// Checks each release's delivery records: only ever appended to since
/// they were committed (none edited or removed), and each accepted one the
/// digest of the notice rebuilt for its customer (from the register, the
/// customer files and `[delivery]` as they are now).
fn deliveries(
    ledger: &Ledger,
    problems: &mut Vec<String>,
    checked: &mut Vec<String>,
) -> Result<()> {
    let (project, repo) = (&ledger.project, &ledger.repo);
    // Every release's records file, its versions along the line read in
    // one walk (from the first release on: records follow their release).
    let releases = &ledger.timeline.releases;
    let in_git = |path: &Path| {
        let shown = path.strip_prefix(&project.root).unwrap_or(path);
        format!("{}{}", project.prefix(repo), shown.display())
    };
    let paths: Vec<String> = releases
        .iter()
        .map(|r| in_git(&crate::delivery::record::path(&project.root, &r.name)))
        .collect();
    let line: Vec<crate::commit::Oid> = ledger.timeline.commits.iter().map(|c| c.id).collect();
    let first = releases.first().map_or(line.len(), |r| r.index);
    let dir = format!("{}{}", project.prefix(repo), crate::reports::DIR);
    let all_versions = repo.file_versions(&line[first..], &dir, &paths)?;
    for ((release, in_git), versions) in releases.iter().zip(&paths).zip(all_versions) {
        let path = crate::delivery::record::path(&project.root, &release.name);
        let shown = path
            .strip_prefix(&project.root)
            .unwrap_or(&path)
            .display()
            .to_string();
        // Append-only: each committed version on the line starts with the
        // one before it, and the file as it is now with the last.
        let mut last: Option<&[u8]> = None;
        let mut broken = false;
        for (commit, content) in &versions {
            let at = &hex(commit)[..10];
            match (last, content) {
                (Some(before), Some(now)) if !now.starts_with(before) => {
                    problems.push(format!(
                        "{shown}: commit {at} edits or removes delivery records committed before it: they are only ever appended to"
                    ));
                    broken = true;
                }
                (Some(_), None) => {
                    problems.push(format!(
                        "{shown}: commit {at} deletes the delivery records committed before it"
                    ));
                    broken = true;
                }
                _ => {}
            }
            if content.is_some() {
                last = content.as_deref();
            }
        }
        if !path.is_file() {
            if versions.last().is_some_and(|(_, c)| c.is_some()) {
                problems.push(format!(
                    "{shown}: the delivery records committed for this release are gone from the work tree"
                ));
            }
            continue;
        }
        let now = std::fs::read(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        if let Ok(head) = repo.resolve("HEAD")
            && let Some(committed) = repo.read_file(&head, in_git)?
            && !now.starts_with(&committed)
        {
            problems.push(format!(
                "{shown}: records committed at {} were edited or removed since: delivery records are only ever appended to",
                &head.commit[..10]
            ));
            continue;
        }
        if broken {
            continue;
        }
        let records = match crate::delivery::record::read(&path) {
            Ok(records) => records,
            Err(e) => {
                problems.push(format!("{shown}: {e}"));
                continue;
            }
        };
        // Each record is rebuilt from the customer files and [delivery] as
        // committed with it (a customer's terms changed later, or the
        // customer gone, do not make a genuine record false); records not
        // committed yet, from the work tree.
        let mut groups: Vec<(Option<crate::commit::Oid>, &[crate::delivery::Record])> = Vec::new();
        let mut start = 0;
        for (commit, content) in &versions {
            let lines = content.as_deref().map_or(0, |c| {
                c.split(|&b| b == b'\n')
                    .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
                    .count()
            });
            let end = lines.min(records.len());
            if end > start {
                groups.push((Some(*commit), &records[start..end]));
                start = end;
            }
        }
        if start < records.len() {
            groups.push((None, &records[start..]));
        }
        let mut mismatches = Vec::new();
        let mut unset = false;
        let words = crate::delivery::words(ledger);
        for (commit, group) in groups {
            let snapshot = match commit {
                Some(id) => project.snapshot_at(
                    repo,
                    crate::commit::Revision {
                        spec: hex(&id),
                        commit: hex(&id),
                    },
                )?,
                None => project.snapshot(None)?,
            };
            let Ok(mailer) = crate::delivery::Mailer::new(&snapshot.config.delivery) else {
                unset = true;
                continue;
            };
            let customers = crate::register::check(&snapshot).customers;
            match crate::delivery::letters(ledger, Some(&release.name), &customers, &words) {
                Ok((_, letters)) => {
                    mismatches.extend(crate::delivery::rebuild(&letters, &mailer, group));
                }
                Err(e) => {
                    problems.push(format!("{shown}: the notices cannot be rebuilt: {e}"));
                }
            }
        }
        if unset {
            checked.push(format!(
                "{shown}: {} records; not all rebuilt ([delivery] is not set where they were committed)",
                records.len()
            ));
        } else if mismatches.is_empty() {
            checked.push(format!(
                "{shown}: {} records, each accepted one the notice rebuilt for its customer",
                records.len()
            ));
        }
        for m in mismatches {
            problems.push(format!(
                "{shown}: {} <{}> at {}: {}",
                m.record.customer, m.record.address, m.record.at, m.problem
            ));
        }
    }
    Ok(())
}

/// Refuses when the saved notice of `release` exists and no longer
/// verifies: what is sent must be what the repository vouches for. A
/// notice that holds but is not committed gives a warning.
pub fn saved_notice_holds(ledger: &Ledger, release: &str) -> Result<Option<String>> {
    let path = crate::reports::notice_path(&ledger.project.root, release, "md");
    if !path.is_file() {
        return Ok(None);
    }
    match check_notice(ledger, &mut Replay::new(&ledger.timeline), &path)? {
        // It holds; evidence that is not committed could still be lost.
        Check::Holds(_) => {
            let repo = &ledger.repo;
            let relative = repo
                .workdir()
                .and_then(|w| path.strip_prefix(w).ok())
                .map(|p| p.to_string_lossy().replace('\\', "/"));
            Ok(match relative {
                Some(rel) if !repo.dirty(&[&rel])?.is_empty() => Some(format!(
                    "the saved notice {rel} is not committed: commit it, so the evidence of what was sent is in the history"
                )),
                _ => None,
            })
        }
        Check::Broken(line) => Err(Error::Refused {
            what: format!("the saved notice of {release} no longer verifies: {line}"),
            hint: Some("run `subledger verify` to see what changed".to_owned()),
        }),
    }
}

/// What checking one saved notice found: a line for the report.
pub enum Check {
    Holds(String),
    Broken(String),
}

/// Checks one saved notice against the repository: its tag, commit and
/// register tree, and that rebuilding it gives the same bytes.
pub fn check_notice(ledger: &Ledger, replay: &mut Replay<'_>, path: &Path) -> Result<Check> {
    let (project, repo, at) = (&ledger.project, &ledger.repo, &ledger.at);
    let timeline = replay.timeline();
    let rev = |r: &Release| Revision {
        spec: r.name.clone(),
        commit: hex(&r.commit),
    };
    let shown = path
        .strip_prefix(&project.root)
        .unwrap_or(path)
        .display()
        .to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let Some(m) = marker(path, &text) else {
        return Ok(Check::Broken(format!(
            "{shown}: it no longer says which release it is (its marker line is gone)"
        )));
    };
    let Some(release) = timeline.releases.iter().find(|r| r.name == m.release) else {
        return Ok(Check::Broken(if repo.tag_exists(&m.release) {
            format!(
                "{shown}: its release {} is no longer on the first-parent line",
                m.release
            )
        } else {
            format!(
                "{shown}: its release {} is not among this repository's tags: deleted, or this clone was made without tags (`git fetch --tags` brings them)",
                m.release
            )
        }));
    };
    if hex(&release.commit) != m.commit {
        return Ok(Check::Broken(format!(
            "{shown}: {} was at {} when the notice was saved and is now at {}: the tag moved",
            m.release,
            &m.commit[..10.min(m.commit.len())],
            &hex(&release.commit)[..10]
        )));
    }
    let tree = repo.tree_id(&rev(release), &at.dir)?.unwrap_or_default();
    if tree != m.tree {
        return Ok(Check::Broken(format!(
            "{shown}: it records register tree {}, but {} has {tree}",
            m.tree, m.release
        )));
    }
    // Rebuild it as it was made and compare.
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("md") => Format::Markdown,
        Some("txt") => Format::Text,
        Some("html") => Format::Html,
        _ => Format::Json,
    };
    // FROM: the release it names, or a commit (a notice from a commit).
    let from = timeline.releases.iter().find(|r| r.name == m.from);
    let from_rev = from.map(rev).or_else(|| {
        crate::commit::parse_oid(&m.from).map(|_| Revision {
            spec: m.from.clone(),
            commit: m.from.clone(),
        })
    });
    let to_rev = rev(release);
    let policies = m
        .profiles
        .iter()
        .map(|p| Policy::new(&at.config.notice, (p != "default").then_some(p.as_str())))
        .collect::<Result<Vec<_>>>()?;
    let (rebuilt, _) = notice::between(
        ledger,
        replay,
        from_rev.as_ref().map(|r| (r, from)),
        Some((&to_rev, Some(release))),
        None,
        &policies,
    )?;
    let template = ledger.notice_template(&to_rev, &at.config, format.template_key())?;
    let expected = notice_render::render(
        &rebuilt,
        format,
        template.as_ref().map(|(p, s)| (p.as_str(), s.as_str())),
    )?;
    if expected != text {
        return Ok(Check::Broken(format!(
            "{shown}: it differs from the notice the repository produces for {} (edited after it was saved, or the template changed); `subledger notice {} {} --format {} --save --force` rewrites it",
            m.release,
            m.from,
            m.release,
            format
                .extension()
                .replace("md", "markdown")
                .replace("txt", "text")
        )));
    }
    Ok(Check::Holds(format!(
        "{shown}: matches {} at {}",
        m.release,
        &m.commit[..10]
    )))
}
