//! Whether a release holds what it records: its dates against its commit
//! and the release before it, its register tree, the previous release it
//! names. A release that does not hold is refused by what it would date
//! falsely, and reported by verify and audit.

use super::releases::{Concern, Release};
use super::timeline::Timeline;
use crate::commit::hex;
use crate::dates::{format_date, format_time};
use crate::error::{Error, Result};
use crate::history::Repo;
use crate::project::Project;

impl Timeline {
    /// What is wrong with the dates of the release at position `r` of
    /// [`releases`](Self::releases): a release date or tag date before the
    /// commit it releases was made, or before the release before it. A
    /// backdated release would make every notice period look longer.
    pub fn date_problems(&self, r: usize) -> Vec<String> {
        let release = &self.releases[r];
        let mut problems = Vec::new();
        let commit = &self.commits[release.index];
        let committed = format_date(commit.commit_time, 0);
        let date = release.date();
        let iso = |d: time::Date| crate::dates::iso_date(d);
        if let Some(date) = date
            && iso(date) < committed
        {
            problems.push(format!(
                "released {}, before the commit it releases was made ({committed})",
                iso(date)
            ));
        } else if release.time < commit.commit_time {
            problems.push(format!(
                "tagged at {}, before the commit it releases was made ({})",
                format_time(release.time, release.offset),
                format_time(commit.commit_time, 0)
            ));
        }
        if let Some(previous) = r.checked_sub(1).map(|p| &self.releases[p]) {
            match (date, previous.date()) {
                (Some(now), Some(before)) if now < before => problems.push(format!(
                    "released {}, before the release before it on the line, {} ({})",
                    iso(now),
                    previous.name,
                    iso(before)
                )),
                _ if release.time < previous.time => problems.push(format!(
                    "tagged at {}, before the release before it on the line, {} (tagged at {})",
                    format_time(release.time, release.offset),
                    previous.name,
                    format_time(previous.time, previous.offset)
                )),
                _ => {}
            }
        }
        problems
    }

    /// What does not hold about the lines the release at position `r`
    /// records (made by `subledger release`): its `Register-Tree:` against
    /// its commit's register tree (the commit rewritten, or the tag moved),
    /// and its `Previous-Release:` against the line (that release deleted,
    /// moved or after it, or another one tagged in between afterwards).
    pub fn record_problems(
        &self,
        project: &Project,
        repo: &Repo,
        r: usize,
    ) -> Result<Vec<Concern>> {
        let release = &self.releases[r];
        let mut out = Vec::new();
        let commit = hex(&release.commit);
        let short = |id: &str| id.get(..10).unwrap_or(id).to_owned();
        let trailers = release.trailers();
        if let Some(recorded) = trailers.register_tree.as_deref() {
            let rev = release.revision();
            let dir = project.config_at(repo, &rev)?.dir;
            let actual = repo.tree_id(&rev, &dir)?.unwrap_or_default();
            if actual != recorded {
                out.push(Concern::Tree(format!(
                    "its message records register tree {recorded}, but its commit {} has {}: the commit was rewritten or the tag moved",
                    short(&commit),
                    if actual.is_empty() { "none".to_owned() } else { actual }
                )));
            }
        }
        let Some((name, at)) = trailers.previous() else {
            return Ok(out);
        };
        let before = r.checked_sub(1).map(|p| &self.releases[p]);
        let previous = |what: String| Concern::Previous(what);
        if name == "none" {
            if let Some(b) = before {
                out.push(previous(format!(
                    "it records no release before it, but {} stands before it on the line (a release made afterwards?)",
                    b.name
                )));
            }
            return Ok(out);
        }
        match self.releases.iter().position(|x| x.name == name) {
            // A shallow clone (a CI checkout of one tag) has neither the
            // history nor the tags before its cut: the release is not
            // known to be wrong, its evidence is not here.
            None if self.cut && !repo.tag_exists(name) => {
                if let Some(oldest) = self.cut_at() {
                    return Err(super::timeline::history_cut(
                        oldest,
                        format!("{name} (the release before {}) and its tag", release.name),
                    ));
                }
            }
            None => out.push(previous(
                if self.stray_tags.iter().any(|t| t.name == name) {
                    format!("the previous release it names, {name}, is no longer on the first-parent line")
                } else if repo.tag_exists(name) {
                    format!("the previous release it names, {name}, is no longer a release")
                } else {
                    format!(
                        "the previous release it names, {name} (at {}), is not among this repository's tags: deleted, or this clone was made without tags (`git fetch --tags` brings them)",
                        short(at)
                    )
                },
            )),
            Some(p) if hex(&self.releases[p].commit) != at => out.push(previous(format!(
                "the previous release it names, {name}, was at {} and is now at {}: the tag moved",
                short(at),
                short(&hex(&self.releases[p].commit))
            ))),
            Some(p) if self.releases[p].index > release.index => out.push(previous(format!(
                "the previous release it names, {name}, comes after it on the line"
            ))),
            Some(p) if Some(p + 1) != Some(r) => out.push(previous(format!(
                "it records {name} as the release before it, but {} stands between them on the line (a release made afterwards?)",
                before.map_or(String::new(), |b| b.name.clone())
            ))),
            Some(_) => {}
        }
        Ok(out)
    }

    /// Everything that does not hold about the release at position `r`:
    /// its dates, then what it records.
    pub fn release_problems(
        &self,
        project: &Project,
        repo: &Repo,
        r: usize,
    ) -> Result<Vec<Concern>> {
        let mut out: Vec<Concern> = self
            .date_problems(r)
            .into_iter()
            .map(Concern::Dates)
            .collect();
        out.extend(self.record_problems(project, repo, r)?);
        Ok(out)
    }

    /// Refuses to date an answer by the release at position `r` when it
    /// does not hold (see [`release_problems`](Self::release_problems));
    /// what it records about the release before it counts only with
    /// `previous` (where that decides what the answer counts from).
    pub fn require_sound(
        &self,
        project: &Project,
        repo: &Repo,
        r: usize,
        previous: bool,
    ) -> Result<()> {
        let problems = self.release_problems(project, repo, r)?;
        let first = problems
            .into_iter()
            .find(|c| previous || !matches!(c, Concern::Previous(_)));
        match first {
            Some(concern) => Err(Error::ReleaseDoesNotHold {
                release: self.releases[r].name.clone(),
                problem: concern.text().to_owned(),
            }),
            None => Ok(()),
        }
    }

    /// Refuses when any release at or before position `index` on the line
    /// does not hold (a page dated by them would be false).
    pub fn require_sound_upto(&self, project: &Project, repo: &Repo, index: usize) -> Result<()> {
        let upto = self.releases.partition_point(|r| r.index <= index);
        for r in 0..upto {
            self.require_sound(project, repo, r, true)?;
        }
        Ok(())
    }

    /// The release that was the published list at `time` (seconds): the
    /// last one on the line tagged at or before it.
    pub fn published_at(&self, time: i64) -> Option<&Release> {
        self.releases.iter().rev().find(|r| r.time <= time)
    }

    /// The position in [`releases`](Self::releases) of `release`.
    pub fn release_position(&self, release: &Release) -> Option<usize> {
        self.releases
            .iter()
            .position(|r| r.name == release.name && r.commit == release.commit)
    }
}
