//! The timeline: every event on the first-parent line of the branch, with
//! the commit that brought it and the first release that published it.
//! Built by replaying the register's changes along the line (from
//! `history`'s walk, and from the cache); releases are found in
//! `ledger::releases` and checked in `ledger::soundness`.

use super::releases::{Release, StrayTag, releases};
use super::{Authored, CommitEvents, Files, VendorChange, cache};
use crate::commit::{CommitMeta, Oid, hex};
use crate::dates::{format_date, parse_date};
use crate::error::{Error, Result};
use crate::history::{self, Repo};
use crate::project::Project;
use crate::register::Revision;
use crate::register::config::Config;

/// The whole ledger of one branch.
pub struct Timeline {
    pub config: Config,
    /// How the register dir is named in messages (`register`).
    pub dir: String,
    /// What was walked: the branch name, `HEAD`, or the revision asked for.
    pub branch: String,
    pub tip: Revision,
    /// The first-parent line, oldest first.
    pub commits: Vec<CommitMeta>,
    /// True when the history is cut (a shallow clone): the oldest commit's
    /// register is the starting point, not a set of additions.
    pub cut: bool,
    /// Where history is cut: the register at the oldest commit, which the
    /// entries start from (empty when the history is whole).
    pub base: Files,
    /// Commits with events, oldest first.
    pub entries: Vec<CommitEvents>,
    pub releases: Vec<Release>,
    pub stray_tags: Vec<StrayTag>,
}

/// Reports progress: commits read, of total.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// Receives the entries of a streamed walk.
pub type Sink<'a> = &'a mut dyn FnMut(&Timeline, CommitEvents) -> Result<()>;

impl Timeline {
    /// Walks the first-parent line ending at `tip` (default: the configured
    /// branch, or HEAD when there is no such branch) and keeps every entry.
    pub fn build(project: &Project, tip: Option<&str>, progress: Progress<'_>) -> Result<Timeline> {
        Timeline::collect(project, tip, true, progress)
    }

    /// Like [`build`](Self::build) for the branch, but walks all of history
    /// without reading the cache (and writes a new one): for `verify`,
    /// which vouches for what it reports and so trusts no local state.
    pub fn build_from_history(project: &Project) -> Result<Timeline> {
        Timeline::collect(project, None, false, &mut |_, _| {})
    }

    fn collect(
        project: &Project,
        tip: Option<&str>,
        read_cache: bool,
        progress: Progress<'_>,
    ) -> Result<Timeline> {
        let mut entries = Vec::new();
        let mut timeline = Timeline::walk(project, tip, read_cache, progress, &mut |_, entry| {
            entries.push(entry);
            Ok(())
        })?;
        timeline.entries = entries;
        Ok(timeline)
    }

    /// Walks like [`build`](Self::build) but hands each entry to `sink` as
    /// soon as it is computed, oldest first, and keeps none: the returned
    /// timeline has no entries. The timeline passed to `sink` has the line,
    /// the releases and the config, but not yet the final state.
    pub fn stream(
        project: &Project,
        tip: Option<&str>,
        progress: Progress<'_>,
        sink: Sink<'_>,
    ) -> Result<Timeline> {
        Timeline::walk(project, tip, true, progress, sink)
    }

    fn walk(
        project: &Project,
        tip: Option<&str>,
        read_cache: bool,
        progress: Progress<'_>,
        sink: Sink<'_>,
    ) -> Result<Timeline> {
        let repo = Repo::discover(&project.root)?;
        let default = tip.is_none();
        let (branch, tip) = match tip {
            Some(spec) => (spec.to_owned(), repo.resolve(spec)?),
            None => default_tip(project, &repo)?,
        };
        let at = project.config_at(&repo, &tip)?;
        let cache_path = cache::path(&repo.cache_dir(), &at.dir);
        // A shallow clone neither reads nor writes the cache: what it can
        // see of history (and of merged branches) changes as it deepens.
        let shallow = repo.shallow();
        // The cached ledger, if it was built for a commit on this line (the
        // newer commits are walked), or if the tip is one of its commits (a
        // release, a date: its first-parent line is the cache's up to there).
        let tip_id = crate::commit::parse_oid(&tip.commit);
        let cache = (read_cache && shallow.is_empty())
            .then(|| cache::load(&cache_path, &at.dir))
            .flatten();
        let mut cached = cache.and_then(|c| {
            if let Some(k) = c.line.iter().position(|m| Some(m.id) == tip_id) {
                return Some((c, Vec::new(), k + 1));
            }
            match repo.line_since(&tip, &c.tip) {
                Ok(newer) if newer.stopped => {
                    let end = c.line.len() + newer.commits.len();
                    Some((c, newer.commits, end))
                }
                _ => None,
            }
        });
        // Entries from the cache are those before `end`.
        let end = cached.as_ref().map_or(usize::MAX, |(_, _, end)| *end);
        // Without a cache the line comes from the commit-graph where git
        // keeps one; the walk then reads the commits' authors and subjects.
        let (mut commits, cut, start, mut state, old_entries, graph) = match cached.take() {
            Some((c, newer, end)) => {
                let mut line = c.line;
                line.truncate(end);
                let start = line.len();
                line.extend(newer);
                (line, false, start, c.state, c.entries, None)
            }
            None => {
                let (line, graph) = repo.skeleton(&tip)?;
                (
                    line.commits,
                    line.cut,
                    0,
                    Files::default(),
                    Vec::new(),
                    graph,
                )
            }
        };
        // Without a graph every commit's metadata is already there.
        let complete = graph.is_none();
        // Dates the documents cannot show are an error, never 1970.
        for commit in &commits[start..] {
            showable(commit, complete)?;
        }
        // The register dir as each commit's subledger.toml sets it: a
        // register that moved is followed, not lost.
        let prefix = project.prefix(&repo);
        let parts = |path: &str| -> Vec<String> {
            path.split('/')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let rule = history::walk::DirRule {
            config: parts(&format!("{prefix}{}", crate::register::config::FILE_NAME)),
            tip: parts(&at.dir),
            dir_of: Box::new(move |bytes: &[u8]| {
                let text = std::str::from_utf8(bytes).ok()?;
                let config = Config::parse(text, crate::register::config::FILE_NAME).ok()?;
                let dir = format!("{prefix}{}", config.register.dir.trim_end_matches('/'));
                Some(
                    dir.split('/')
                        .filter(|p| !p.is_empty())
                        .map(str::to_owned)
                        .collect(),
                )
            }),
        };
        let total = commits.len();
        let changes = repo.register_changes(history::walk::Walk {
            commits: commits[start..]
                .iter()
                .map(|c| (c.id, c.tree, c.parents.clone()))
                .collect(),
            offset: start,
            dir: rule,
            before_root: start.checked_sub(1).map(|i| commits[i].tree),
            line: commits.iter().map(|c| c.id).collect(),
            graph,
            shallow: shallow.clone(),
            tip_dir: at.dir.clone(),
        })?;
        let (releases, mut stray_tags) =
            releases(&repo, &at.config.register.tag_prefix, &commits, complete)?;
        if !default && let Some(tip_id) = tip_id {
            // A tag after the tip asked for is outside the range, not off
            // the line.
            let mut after = Vec::new();
            for tag in &stray_tags {
                after.push(tag.is_commit() && repo.is_ancestor(&tip_id, &tag.commit)?);
            }
            let mut after = after.into_iter();
            stray_tags.retain(|_| !after.next().unwrap_or(false));
        }
        let mut timeline = Timeline {
            dir: at.config.register.dir.trim_end_matches('/').to_owned(),
            config: at.config,
            branch,
            tip,
            commits: std::mem::take(&mut commits),
            cut,
            base: Files::default(),
            entries: Vec::new(),
            releases,
            stray_tags,
        };
        for entry in cache::entries(&old_entries) {
            let entry = entry.ok_or_else(|| Error::History {
                what: format!(
                    "the timeline cache {} matches its checksum but does not decode: this is a bug in subledger",
                    cache_path.display()
                ),
                hint: Some("delete the file and run again".to_owned()),
            })?;
            if entry.index >= end {
                break;
            }
            sink(&timeline, entry)?;
        }
        let mut writer = (default && shallow.is_empty() && start < total)
            .then(|| cache::Writer::new(&cache_path, &at.dir, &old_entries));
        for step in changes {
            let (index, files) = match step? {
                history::walk::Step::Commits { from, commits } => {
                    for (slot, meta) in timeline.commits[from.min(total)..].iter_mut().zip(commits)
                    {
                        showable(&meta, true)?;
                        *slot = meta;
                    }
                    continue;
                }
                history::walk::Step::Changed { index, files } => (index, files),
            };
            progress(index + 1, total);
            let changed = files;
            let files = changed
                .iter()
                .filter_map(|f| {
                    let kind = f.kind.or(f.old_kind)?;
                    let id = super::ledger_id(&timeline.dir, &f.name, kind)?;
                    let blob = f.content.as_ref();
                    let content = f.kind.map(|kind| {
                        let bytes = blob.and_then(|b| b.bytes.as_deref());
                        super::entry_content(&f.name, kind, bytes, blob.map_or(0, |b| b.size))
                    });
                    Some(VendorChange {
                        id,
                        content,
                        authored_in: f.authored_in.map(|origin| match origin {
                            history::Origin::Commit(c) => Authored::In(hex(&c)),
                            history::Origin::Cut(c) => Authored::Cut(hex(&c)),
                        }),
                    })
                })
                .collect();
            let events = state.apply(files, &timeline.dir);
            // Where history is cut, the oldest commit's register is where the
            // ledger starts, not a set of additions.
            if timeline.cut && index == 0 {
                // A file broken there may have loaded below the cut.
                let at = hex(&timeline.commits[0].id);
                for file in state.files.values_mut() {
                    if file.broken && file.valid.is_none() {
                        file.cut = Some(at.clone());
                    }
                }
                timeline.base = state.clone();
                continue;
            }
            if !events.is_empty() {
                let entry = CommitEvents { index, events };
                if let Some(writer) = &mut writer {
                    writer.entry(&entry);
                }
                sink(&timeline, entry)?;
            }
        }
        progress(total, total);
        if let Some(writer) = writer {
            writer.finish(&timeline.commits, &state);
        }
        Ok(timeline)
    }

    /// The oldest commit this clone has, where history is cut (a shallow
    /// clone); `None` when the history is whole.
    pub fn cut_at(&self) -> Option<&CommitMeta> {
        self.commits.first().filter(|_| self.cut)
    }

    /// Refuses where history is cut: the answer needs history back to
    /// `needs` (a release, a commit, "the first commit").
    pub fn require(&self, needs: impl FnOnce() -> String) -> Result<()> {
        match self.cut_at() {
            Some(oldest) => Err(history_cut(oldest, needs())),
            None => Ok(()),
        }
    }

    /// Refuses where history is cut: the answer needs all of it.
    pub fn require_whole(&self) -> Result<()> {
        self.require(|| "the first commit".to_owned())
    }
    /// The file and message of the last `invalid` event of `id` at or
    /// before position `index`.
    pub fn last_invalid(&self, id: &str, index: usize) -> Option<(String, String)> {
        let end = self.entries.partition_point(|e| e.index <= index);
        self.entries[..end].iter().rev().find_map(|entry| {
            entry.events.iter().find_map(|event| match &event.change {
                super::Change::Invalid { file, pos, message } if event.id == id => Some((
                    file.clone(),
                    match pos {
                        Some(p) => format!("line {}, column {}: {message}", p.line, p.column),
                        None => message.clone(),
                    },
                )),
                _ => None,
            })
        })
    }

    /// The first release at or after position `index` on the line.
    pub fn release_for(&self, index: usize) -> Option<&Release> {
        let i = self.releases.partition_point(|r| r.index < index);
        self.releases.get(i)
    }

    /// The position on the line of a revision given as a commit, a tag, a
    /// branch or a date; for a commit off the line, the last commit of the
    /// line it contains.
    pub fn position(&self, project: &Project, spec: &str) -> Result<Option<usize>> {
        if let Some(cutoff) = parse_date(spec, true) {
            let found = self.commits.iter().rposition(|c| c.commit_time <= cutoff);
            if found.is_none() {
                self.require(|| spec.to_owned())?;
            }
            return Ok(found);
        }
        let repo = Repo::discover(&project.root)?;
        let rev = repo.resolve(spec)?;
        let target = parse_oid(&rev.commit)?;
        if let Some(i) = self.commits.iter().position(|c| c.id == target) {
            return Ok(Some(i));
        }
        // Off the line this clone has: it may be below the cut.
        self.require(|| spec.to_owned())?;
        // Ancestry along the line is monotone: binary search for the last
        // line commit that is an ancestor of the target.
        let (mut lo, mut hi) = (0, self.commits.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if repo.is_ancestor(&self.commits[mid].id, &target)? {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Ok(lo.checked_sub(1))
    }
}

/// An error for a commit whose dates no document can show (the calendar
/// ends in 9999); `author`: whether its author is known yet.
fn showable(commit: &CommitMeta, author: bool) -> Result<()> {
    let times = [
        Some(commit.commit_time),
        author.then_some(commit.author.time),
    ];
    for time in times.into_iter().flatten() {
        if time::OffsetDateTime::from_unix_timestamp(time).is_err() {
            return Err(Error::History {
                what: format!(
                    "commit {} is dated {time} seconds after 1970, which is no date subledger can show (the calendar it prints ends in 9999)",
                    hex(&commit.id)
                ),
                hint: Some("fix the commit's date (git commit --amend --date, or a rebase) before it becomes part of the ledger".to_owned()),
            });
        }
    }
    Ok(())
}

/// The refusal of an answer that needs history a shallow clone cuts off
/// below `oldest`.
pub fn history_cut(oldest: &CommitMeta, needs: String) -> Error {
    Error::HistoryCut {
        commit: crate::commit::short(&hex(&oldest.id)).to_owned(),
        date: format_date(oldest.commit_time, 0),
        needs,
        command: None,
    }
}

/// The register as it stood at a point in history (see [`resolve_point`]).
pub fn snapshot_at_point(project: &Project, spec: &str) -> Result<crate::register::Snapshot> {
    let repo = Repo::discover(&project.root)?;
    let revision = resolve_point(project, &repo, spec)?;
    project.snapshot_at(&repo, revision)
}

/// Resolves a point in history: a date (the last first-parent commit of the
/// branch on or before the end of that day) or any revision git accepts.
pub fn resolve_point(project: &Project, repo: &Repo, spec: &str) -> Result<Revision> {
    let Some(cutoff) = parse_date(spec, true) else {
        return match repo.resolve(spec) {
            // 2026-02-30, 10000-01-01: meant as a date, and not one.
            Err(Error::UnknownRevision { .. }) if crate::dates::looks_like_date(spec) => {
                Err(Error::Usage {
                    what: format!("`{spec}` is not a date this calendar has"),
                    hint: Some(
                        "use YYYY-MM-DD (years 1 to 9999), or YYYY-MM-DDTHH:MM with an offset"
                            .to_owned(),
                    ),
                })
            }
            resolved => resolved,
        };
    };
    let (branch, tip) = default_tip(project, repo)?;
    // Commit ids and times are all this needs: the commit-graph has them.
    let (line, _) = repo.skeleton(&tip)?;
    match line.commits.iter().rposition(|c| c.commit_time <= cutoff) {
        Some(i) => Ok(Revision {
            spec: spec.to_owned(),
            commit: hex(&line.commits[i].id),
        }),
        // The newest commit on or before the date may lie below the cut.
        None if line.cut => Err(history_cut(&line.commits[0], spec.to_owned())),
        None => Err(Error::History {
            what: format!(
                "{spec}: {branch} has no commit on or before that date (its first is from {})",
                line.commits
                    .first()
                    .map(|c| format_date(c.commit_time, 0))
                    .unwrap_or_default()
            ),
            hint: None,
        }),
    }
}
/// The branch from the config, or HEAD when it does not exist.
pub fn default_tip(project: &Project, repo: &Repo) -> Result<(String, Revision)> {
    if repo.is_empty() {
        return Err(Error::History {
            what: "the repository has no commits yet".to_owned(),
            hint: Some(
                "commit the register first (git add subledger.toml register && git commit)"
                    .to_owned(),
            ),
        });
    }
    let head = repo.resolve("HEAD")?;
    // The branch name comes from the config at HEAD (or the work tree).
    let branch = match project.config_at(repo, &head) {
        Ok(at) => at.config.register.branch,
        Err(_) => "main".to_owned(),
    };
    match repo.branch(&branch)? {
        Some(rev) => Ok((branch, rev)),
        None => Ok(("HEAD".to_owned(), head)),
    }
}

fn parse_oid(hex: &str) -> Result<Oid> {
    crate::commit::parse_oid(hex).ok_or_else(|| Error::History {
        what: format!("`{hex}` is not a full commit id"),
        hint: None,
    })
}
