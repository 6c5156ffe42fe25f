//! The timeline: every event on the first-parent line of the branch, with
//! the commit that brought it and the first release that published it.

use super::trailers::Trailers;
use super::{Authored, Entry, Event, FileChange, State, cache};
use crate::commit::{CommitMeta, Oid, Signature, hex};
use crate::dates::{format_date, format_time, parse_date};
use crate::error::{Error, Result};
use crate::history::{self, Repo};
use crate::project::Project;
use crate::register::config::Config;
use crate::register::{Revision, Vendor};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A release: a tag with the configured prefix on the first-parent line.
#[derive(Clone, Debug)]
pub struct Release {
    pub name: String,
    /// Position of its commit on the line.
    pub index: usize,
    pub commit: Oid,
    /// The tagger for annotated tags; `None` for lightweight tags.
    pub tagger: Option<Signature>,
    /// The tag date: the tagger's for annotated tags, else the commit's.
    pub time: i64,
    pub offset: i32,
    pub message: Option<String>,
}

impl Release {
    /// The release as a revision: its tag name and commit.
    pub fn revision(&self) -> Revision {
        Revision {
            spec: self.name.clone(),
            commit: hex(&self.commit),
        }
    }

    /// The lines `subledger release` writes at the end of the tag message
    /// (`Register-Tree:`, `Previous-Release:` ...).
    pub fn trailers(&self) -> Trailers {
        Trailers::parse(self.message.as_deref().unwrap_or_default())
    }

    /// The release date: its `Release-Date:` line (written by `subledger
    /// release`), else the tag date.
    pub fn date(&self) -> Option<time::Date> {
        self.trailers()
            .release_date
            .and_then(|d| crate::dates::parse_iso_date(&d))
            .or_else(|| crate::dates::parse_iso_date(&format_date(self.time, self.offset)))
    }
}

/// Something that does not hold about a release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Concern {
    /// Dated before its commit, or before the release before it.
    Dates(String),
    /// Its recorded register tree is not its commit's.
    Tree(String),
    /// What it records about the release before it disagrees with the line.
    Previous(String),
}

impl Concern {
    /// The sentence.
    pub fn text(&self) -> &str {
        match self {
            Concern::Dates(t) | Concern::Tree(t) | Concern::Previous(t) => t,
        }
    }
}

/// A tag with the release prefix that is not a release: it names a commit
/// off the first-parent line, or something that is not a commit at all.
#[derive(Clone, Debug)]
pub struct StrayTag {
    pub name: String,
    /// The object it names (a commit, unless `kind` says otherwise).
    pub commit: Oid,
    /// "commit", or "tree", "blob", "tag", "object" for a tag that does not
    /// lead to a commit.
    pub kind: &'static str,
}

impl StrayTag {
    /// Whether it names a commit (off the line) rather than a tree or blob.
    pub fn is_commit(&self) -> bool {
        self.kind == "commit"
    }

    /// What it names that is not a release: "not on the first-parent line
    /// of main", "a tree, not a commit".
    pub fn problem(&self, branch: &str) -> String {
        if self.is_commit() {
            format!("not on the first-parent line of {branch}")
        } else {
            format!("a {}, not a commit", self.kind)
        }
    }
}

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
    pub base: State,
    /// Commits with events, oldest first.
    pub entries: Vec<Entry>,
    pub releases: Vec<Release>,
    pub stray_tags: Vec<StrayTag>,
}

/// Reports progress: commits read, of total.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// Receives the entries of a streamed walk.
pub type Sink<'a> = &'a mut dyn FnMut(&Timeline, Entry) -> Result<()>;

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
                    State::default(),
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
            base: State::default(),
            entries: Vec::new(),
            releases,
            stray_tags,
        };
        for entry in cache::entries(&old_entries) {
            let entry = entry.ok_or_else(|| Error::History {
                what: format!(
                    "the timeline cache {} matches its checksum but does not decode: this is a bug in subledger; delete the file and run again",
                    cache_path.display()
                ),
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
                    Some(FileChange {
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
                let entry = Entry { index, events };
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
            None => out.push(previous(
                if self.stray_tags.iter().any(|t| t.name == name) {
                    format!("the previous release it names, {name}, is no longer on the first-parent line")
                } else if repo.tag_exists(name) {
                    format!("the previous release it names, {name}, is no longer a release")
                } else {
                    format!("the previous release it names, {name}, no longer exists (tag deleted)")
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
                    "commit {} is dated {time} seconds after 1970, which is no date subledger can show (the calendar it prints ends in 9999); fix the commit's date (git commit --amend --date, or a rebase) before it becomes part of the ledger",
                    hex(&commit.id)
                ),
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

/// Resolves a point in history: a date (the last first-parent commit of the
/// branch on or before the end of that day) or any revision git accepts.
pub fn resolve_point(project: &Project, repo: &Repo, spec: &str) -> Result<Revision> {
    let Some(cutoff) = parse_date(spec, true) else {
        return match repo.resolve(spec) {
            // 2026-02-30, 10000-01-01: meant as a date, and not one.
            Err(Error::UnknownRevision { .. }) if crate::dates::looks_like_date(spec) => {
                Err(Error::Usage {
                    what: format!(
                        "`{spec}` is not a date this calendar has: use YYYY-MM-DD (years 1 to 9999), or YYYY-MM-DDTHH:MM with an offset"
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
        }),
    }
}

/// The register at points of a timeline's line, rebuilt from its events
/// (the ledger's honesty guarantee: replaying the events gives the register
/// at every commit), so no vendor file is read again. Moving forward costs
/// only the events in between.
pub struct Replay<'t> {
    timeline: &'t Timeline,
    /// The next entry to apply.
    next: usize,
    register: crate::register::Register,
    /// The vendor files that cannot be loaded (the last `invalid` event of
    /// each, not yet followed by `repaired`, `added` or `removed`). A file
    /// broken since it appeared that is then deleted stays in here: it is
    /// only meaningful for files that exist.
    broken: BTreeSet<String>,
    /// While spanning: the version at the span's start of every vendor
    /// touched since (`None`: it did not exist), and whether it was broken.
    undo: BTreeMap<String, (Option<Vendor>, bool)>,
}

/// The register at the start of a span: the replayed register with the
/// vendors that changed since put back.
pub struct Before<'r> {
    now: &'r crate::register::Register,
    broken: &'r BTreeSet<String>,
    undo: &'r BTreeMap<String, (Option<Vendor>, bool)>,
}

/// A register as the ledger knows it at one point: its vendors by id.
pub trait Vendors {
    fn vendor(&self, id: &str) -> Option<&Vendor>;
    /// Every vendor, by id.
    fn all(&self) -> Box<dyn Iterator<Item = &Vendor> + '_>;
}

/// A register at a commit of the line, with which vendor files cannot be
/// loaded there.
pub trait Known: Vendors {
    /// Whether the file of `id`, if it exists there, cannot be loaded.
    fn is_broken(&self, id: &str) -> bool;
}

impl Vendors for crate::register::Register {
    fn vendor(&self, id: &str) -> Option<&Vendor> {
        self.vendors.get(id)
    }

    fn all(&self) -> Box<dyn Iterator<Item = &Vendor> + '_> {
        Box::new(self.vendors.values())
    }
}

impl Vendors for Before<'_> {
    /// The vendor `id` as it was at the start of the span.
    fn vendor(&self, id: &str) -> Option<&Vendor> {
        match self.undo.get(id) {
            Some((before, _)) => before.as_ref(),
            None => self.now.vendors.get(id),
        }
    }

    /// Every vendor as it was at the start of the span: the current ones
    /// merged, by id, with the touched ones put back.
    fn all(&self) -> Box<dyn Iterator<Item = &Vendor> + '_> {
        let mut now = self.now.vendors.iter().peekable();
        let mut undo = self.undo.iter().peekable();
        Box::new(std::iter::from_fn(move || {
            loop {
                let take_undo = match (now.peek(), undo.peek()) {
                    (None, None) => return None,
                    (Some(_), None) => false,
                    (None, Some(_)) => true,
                    (Some((a, _)), Some((b, _))) => b <= a,
                };
                if take_undo {
                    let (id, (before, _)) = undo.next()?;
                    // The current version of a touched vendor is not the old one.
                    if now.peek().is_some_and(|(a, _)| *a == id) {
                        now.next();
                    }
                    if let Some(v) = before {
                        return Some(v);
                    }
                } else {
                    return now.next().map(|(_, v)| v);
                }
            }
        }))
    }
}

impl Known for Before<'_> {
    fn is_broken(&self, id: &str) -> bool {
        match self.undo.get(id) {
            Some((_, broken)) => *broken,
            None => self.broken.contains(id),
        }
    }
}

/// The register at the end of a span, and which files were broken then.
pub struct After<'r> {
    register: &'r crate::register::Register,
    broken: &'r BTreeSet<String>,
}

impl Vendors for After<'_> {
    fn vendor(&self, id: &str) -> Option<&Vendor> {
        self.register.vendor(id)
    }

    fn all(&self) -> Box<dyn Iterator<Item = &Vendor> + '_> {
        self.register.all()
    }
}

impl Known for After<'_> {
    fn is_broken(&self, id: &str) -> bool {
        self.broken.contains(id)
    }
}

impl After<'_> {
    /// The entries that cannot be loaded at the end of the span, by id.
    pub fn broken(&self) -> &BTreeSet<String> {
        self.broken
    }
}

impl<'t> Replay<'t> {
    pub fn new(timeline: &'t Timeline) -> Self {
        let mut replay = Replay {
            timeline,
            next: 0,
            register: Default::default(),
            broken: BTreeSet::new(),
            undo: BTreeMap::new(),
        };
        replay.reset();
        replay
    }

    /// Back to the start: the empty register, or where history is cut,
    /// the register at the oldest commit.
    fn reset(&mut self) {
        self.next = 0;
        let base = &self.timeline.base;
        self.register.vendors = base
            .files
            .iter()
            .filter_map(|(id, f)| Some((id.clone(), f.valid.clone()?)))
            .collect();
        self.broken = base
            .files
            .iter()
            .filter(|(_, f)| f.broken)
            .map(|(id, _)| id.clone())
            .collect();
    }

    /// The timeline replayed.
    pub fn timeline(&self) -> &'t Timeline {
        self.timeline
    }

    /// The entries that cannot be loaded where the replay stands, by id.
    pub fn broken(&self) -> &BTreeSet<String> {
        &self.broken
    }

    /// The register after the commit at position `index` of the line.
    pub fn at(&mut self, index: usize) -> &crate::register::Register {
        self.advance(Some(index), false);
        &self.register
    }

    /// The register after `from` (`None`: before the first commit, empty)
    /// and after `to`, for `from` at or before `to`; nothing is copied but
    /// the vendors that changed in between.
    pub fn span(&mut self, from: Option<usize>, to: usize) -> (Before<'_>, After<'_>) {
        self.advance(from, false);
        self.undo.clear();
        self.advance(Some(to), true);
        (
            Before {
                now: &self.register,
                broken: &self.broken,
                undo: &self.undo,
            },
            After {
                register: &self.register,
                broken: &self.broken,
            },
        )
    }

    /// Applies the entries up to position `index` (`None`: none), starting
    /// again from an empty register when `index` is behind; `record` keeps
    /// the versions of touched vendors in `undo`.
    fn advance(&mut self, index: Option<usize>, record: bool) {
        let entries = &self.timeline.entries;
        let behind = match index {
            Some(index) => self.next > 0 && entries[self.next - 1].index > index,
            None => self.next > 0,
        };
        if behind {
            self.reset();
        }
        let Some(index) = index else { return };
        while let Some(entry) = entries.get(self.next).filter(|e| e.index <= index) {
            for event in &entry.events {
                let renamed = match &event.change {
                    super::Change::Renamed { from, .. } => Some(from),
                    _ => None,
                };
                if record {
                    for id in std::iter::once(&event.id).chain(renamed) {
                        if !self.undo.contains_key(id) {
                            let before = self.register.vendors.get(id).cloned();
                            let broken = self.broken.contains(id);
                            self.undo.insert(id.clone(), (before, broken));
                        }
                    }
                }
                match &event.change {
                    super::Change::Invalid { .. } => {
                        self.broken.insert(event.id.clone());
                    }
                    super::Change::Repaired
                    | super::Change::RepairedAfterCut { .. }
                    | super::Change::Added(_)
                    | super::Change::Removed(_)
                    | super::Change::Renamed { .. } => {
                        self.broken.remove(&event.id);
                        if let Some(from) = renamed {
                            self.broken.remove(from);
                        }
                    }
                    _ => {}
                }
                apply(&mut self.register, event);
            }
            self.next += 1;
        }
    }
}

/// Applies one event to a register.
pub fn apply(register: &mut crate::register::Register, event: &Event) {
    use crate::register::{Field, Value};
    let vendors = &mut register.vendors;
    match &event.change {
        super::Change::Added(v) | super::Change::RepairedAfterCut { vendor: v, .. } => {
            vendors.insert(event.id.clone(), (**v).clone());
        }
        super::Change::Removed(_) => {
            vendors.remove(&event.id);
        }
        super::Change::Renamed { from, previous_ids } => {
            if let Some(mut v) = vendors.remove(from) {
                v.id = event.id.clone();
                v.set(
                    Field::PreviousIds,
                    (!previous_ids.is_empty()).then(|| Value::List(previous_ids.clone())),
                );
                vendors.insert(event.id.clone(), v);
            }
        }
        super::Change::Relocated { locations, .. } => {
            if let Some(v) = vendors.get_mut(&event.id) {
                v.set(Field::Locations, Some(Value::List(locations.clone())));
            }
        }
        super::Change::Changed { field, new, .. } => {
            if let Some(v) = vendors.get_mut(&event.id) {
                v.set(*field, new.clone());
            }
        }
        super::Change::Invalid { .. } | super::Change::Repaired => {}
    }
}

/// The branch from the config, or HEAD when it does not exist.
pub fn default_tip(project: &Project, repo: &Repo) -> Result<(String, Revision)> {
    if repo.is_empty() {
        return Err(Error::History {
            what: "the repository has no commits yet: commit the register first (git add subledger.toml register && git commit)".to_owned(),
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
    })
}

/// The commit ids of the first-parent line ending at `tip`, oldest first,
/// and the releases on it.
pub fn releases_on_line(
    project: &Project,
    repo: &Repo,
    tip: &Revision,
) -> Result<(Vec<Oid>, Vec<Release>)> {
    let at = project.config_at(repo, tip)?;
    let (line, graph) = repo.skeleton(tip)?;
    let complete = graph.is_none();
    let (releases, _) = releases(
        repo,
        &at.config.register.tag_prefix,
        &line.commits,
        complete,
    )?;
    Ok((line.commits.iter().map(|c| c.id).collect(), releases))
}

/// Release tags on the line, ordered by position (then date, then name),
/// and the ones that are not on it. `complete`: whether the line's commits
/// have their authors (else a lightweight tag's commit is read for it).
fn releases(
    repo: &Repo,
    prefix: &str,
    line: &[CommitMeta],
    complete: bool,
) -> Result<(Vec<Release>, Vec<StrayTag>)> {
    let position: HashMap<Oid, usize> = line.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut releases = Vec::new();
    let mut stray = Vec::new();
    for tag in repo.tags(prefix)? {
        let commit = match tag.target {
            history::TagTarget::Commit(id) => id,
            history::TagTarget::Other { kind, id } => {
                stray.push(StrayTag {
                    name: tag.name,
                    commit: id,
                    kind,
                });
                continue;
            }
        };
        if let Some(tagger) = &tag.tagger
            && time::OffsetDateTime::from_unix_timestamp(tagger.time).is_err()
        {
            return Err(Error::History {
                what: format!(
                    "tag {} is dated {} seconds after 1970, which is no date subledger can show (the calendar it prints ends in 9999); delete it and tag again",
                    tag.name, tagger.time
                ),
            });
        }
        match position.get(&commit) {
            Some(&index) => {
                let (time, offset) = match &tag.tagger {
                    Some(t) => (t.time, t.offset),
                    None if complete => (line[index].commit_time, line[index].author.offset),
                    None => {
                        let meta = repo.commit_meta(&commit)?;
                        (meta.commit_time, meta.author.offset)
                    }
                };
                releases.push(Release {
                    name: tag.name,
                    index,
                    commit,
                    tagger: tag.tagger,
                    time,
                    offset,
                    message: tag.message,
                });
            }
            None => stray.push(StrayTag {
                name: tag.name,
                commit,
                kind: "commit",
            }),
        }
    }
    releases.sort_by(|a, b| (a.index, a.time, &a.name).cmp(&(b.index, b.time, &b.name)));
    Ok((releases, stray))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The register at a span's start, seen through the undo log: vendors
    /// changed, removed and added since are put back as they were, in id
    /// order, the rest read from the current register.
    #[test]
    fn before_a_span_puts_back_what_changed() {
        use crate::register::{Field, Register, Value};
        let vendor = |id: &str, name: &str| {
            let mut values: [Option<Value>; Field::COUNT] = std::array::from_fn(|_| None);
            values[Field::Name.index()] = Some(Value::Text(name.to_owned()));
            Vendor::new(id.to_owned(), values)
        };
        let mut now = Register::default();
        for (id, name) in [("a", "A"), ("b", "B2"), ("d", "D new"), ("e", "E")] {
            now.vendors.insert(id.to_owned(), vendor(id, name));
        }
        let undo: BTreeMap<String, (Option<Vendor>, bool)> = [
            ("b".to_owned(), (Some(vendor("b", "B1")), true)),
            (
                "c".to_owned(),
                (Some(vendor("c", "C removed since")), false),
            ),
            ("d".to_owned(), (None, false)),
            (
                "f".to_owned(),
                (Some(vendor("f", "F renamed since")), false),
            ),
        ]
        .into_iter()
        .collect();
        let broken: BTreeSet<String> = ["d".to_owned(), "e".to_owned()].into_iter().collect();
        let before = Before {
            now: &now,
            broken: &broken,
            undo: &undo,
        };
        let names: Vec<&str> = before.all().map(|v| v.name()).collect();
        assert_eq!(
            names,
            ["A", "B1", "C removed since", "E", "F renamed since"]
        );
        assert_eq!(before.vendor("b").map(Vendor::name), Some("B1"));
        assert_eq!(before.vendor("d").map(Vendor::name), None);
        assert_eq!(before.vendor("e").map(Vendor::name), Some("E"));
        assert!(before.is_broken("b") && before.is_broken("e"));
        assert!(!before.is_broken("d") && !before.is_broken("a"));
    }
}
