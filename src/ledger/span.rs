//! The span between two points of the line: the registers at both ends,
//! the changes from one to the other, and what each end is. Rebuilt from
//! the ledger's events when both ends are on the line, read from the files
//! otherwise (the work tree, a commit off the line, a shallow clone). What
//! a notice says about it is decided in `notice`.

use super::compare;
use super::open::Ledger;
use super::releases::Release;
use super::replay::{After, Before, Replay, Vendors};
use super::timeline::Timeline;
use super::{Change, Event};
use crate::dates::iso_date;
use crate::error::Result;
use crate::history::Repo;
use crate::project::{ConfigAt, Project};
use crate::register::{Register, Revision};
use serde::Serialize;

/// One end of a span: a revision, and the release it is, if it is one.
pub type End<'a> = (&'a Revision, Option<&'a Release>);

/// The registers at the two ends: as the replay knows them, or read.
enum Sides<'r> {
    Replayed(Before<'r>, After<'r>),
    Read(Register, Register),
}

impl Sides<'_> {
    fn both(&self) -> (&dyn Vendors, &dyn Vendors) {
        match self {
            Sides::Replayed(old, new) => (old, new),
            Sides::Read(old, new) => (old, new),
        }
    }
}

/// What changed between two points, and what each point is.
pub struct Span<'r> {
    sides: Sides<'r>,
    /// The changes from the older end to the newer, as the ledger knows them.
    pub events: Vec<Event>,
    /// Files at the newer end that cannot be loaded.
    pub not_loaded: Vec<NotLoaded>,
    /// subledger.toml at the newer end (the tip for the work tree).
    pub config: ConfigAt,
    pub from: Option<Point>,
    pub to: Point,
    /// The newer end is not a release.
    pub draft: bool,
    /// The release date of the newer end, if it has one.
    pub date: Option<time::Date>,
}

impl Span<'_> {
    /// The register at the older end.
    pub fn older(&self) -> &dyn Vendors {
        self.sides.both().0
    }

    /// The register at the newer end.
    pub fn newer(&self) -> &dyn Vendors {
        self.sides.both().1
    }
}

/// One side of the notice: a release, or a draft.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// The release tag, `None` for a draft (HEAD, a commit or the work tree).
    pub release: Option<String>,
    /// The commit, `None` for the work tree.
    pub commit: Option<String>,
    /// The register dir's tree id at that commit.
    pub tree: Option<String>,
    /// The release date (for a draft: `--date` or SOURCE_DATE_EPOCH, if given).
    pub date: Option<String>,
}

/// A file of the register dir that cannot be loaded as it is.
#[derive(Clone, Debug, Serialize)]
pub struct NotLoaded {
    pub file: String,
    /// Why (the first error `check` reports).
    pub message: String,
    /// Whether the list shows its last valid version (the vendor stays
    /// listed as it last loaded) or leaves it out (it never loaded).
    pub last_valid: bool,
}

/// The register at `rev` (`None`: the work tree): rebuilt from the ledger's
/// events when it is on the line at `index`, read from the files otherwise.
fn register_at(
    project: &Project,
    repo: &Repo,
    replay: &mut Replay<'_>,
    rev: Option<&Revision>,
    index: Option<usize>,
) -> Result<(Register, Vec<NotLoaded>)> {
    if let Some(index) = index {
        let register = replay.at(index).clone();
        let not_loaded = not_loaded_at(replay.timeline(), index, replay.broken(), &register);
        return Ok((register, not_loaded));
    }
    let snapshot = match rev {
        Some(rev) => project.snapshot_at(repo, rev.clone())?,
        None => project.snapshot(None)?,
    };
    let loaded = crate::register::check(&snapshot);
    let not_loaded = loaded
        .unloaded
        .iter()
        .map(|file| NotLoaded {
            file: file.clone(),
            message: loaded
                .findings
                .iter()
                .find(|f| &f.file == file && f.severity == crate::register::Severity::Error)
                .map_or_else(|| "cannot be loaded".to_owned(), |f| f.message.clone()),
            last_valid: false,
        })
        .collect();
    Ok((loaded.register, not_loaded))
}

/// The files the ledger cannot take at position `index`: each broken
/// entry, with the message of the event that broke it.
fn not_loaded_at<'b>(
    timeline: &Timeline,
    index: usize,
    broken: impl IntoIterator<Item = &'b String>,
    register: &dyn Vendors,
) -> Vec<NotLoaded> {
    broken
        .into_iter()
        .map(|id| {
            let (file, message) = timeline.last_invalid(id, index).unwrap_or_else(|| {
                (
                    crate::ledger::ledger_path(&timeline.dir, id),
                    "cannot be loaded".to_owned(),
                )
            });
            NotLoaded {
                file,
                message,
                last_valid: register.vendor(id).is_some(),
            }
        })
        .collect()
}

/// The span between `from` (`None`: an empty register) and `to` (`None`:
/// the work tree, a draft); `date` is a draft's release date (a release
/// has its own). FROM after TO on the line is refused, and so is an end
/// whose changes are below a shallow clone's cut.
pub fn span<'r>(
    ledger: &Ledger,
    replay: &'r mut Replay<'_>,
    from: Option<End<'_>>,
    to: Option<End<'_>>,
    date: Option<time::Date>,
) -> Result<Span<'r>> {
    let (project, repo) = (&ledger.project, &ledger.repo);
    let timeline = replay.timeline();
    // Where an end is on the line: a release knows its position.
    let position = |(rev, release): End<'_>| -> Option<usize> {
        let id = crate::commit::parse_oid(&rev.commit)?;
        match release {
            Some(r) if r.commit == id => Some(r.index),
            _ => timeline.commits.iter().position(|c| c.id == id),
        }
    };
    let (from_index, to_index) = (from.and_then(position), to.and_then(position));
    let to_release = to.and_then(|(_, r)| r);
    if let (Some((from_rev, _)), Some((to_rev, _)), Some(f), Some(t)) =
        (from, to, from_index, to_index)
        && f > t
    {
        return Err(crate::Error::Usage {
            what: format!(
                "FROM ({}) comes after TO ({}) on the line: a notice goes from an older release to a newer one",
                from_rev.spec, to_rev.spec
            ),
            hint: Some("swap them".to_owned()),
        });
    }
    // Where a shallow clone cuts history, the changes are known only from a
    // FROM on the line it has: before that, releases and vendors that came
    // and went are out of sight.
    if let Some(oldest) = timeline.cut_at() {
        let needs = match from {
            None => Some(match to {
                Some((rev, _)) => format!("the release before {}", rev.spec),
                None => "the latest release".to_owned(),
            }),
            Some((rev, _)) if from_index.is_none() => Some(rev.spec.clone()),
            Some(_) => None,
        };
        if let Some(needs) = needs {
            return Err(crate::ledger::timeline::history_cut(oldest, needs));
        }
    }
    let date = to_release.and_then(Release::date).or(date);
    // The registers at both ends, and the changes between them: rebuilt
    // from the ledger's events when both ends are on the line (in order),
    // read from the files otherwise (the work tree, a commit off the line, a
    // shallow clone).
    let span = match (from, to, to_index) {
        (None, Some(_), Some(t)) => Some((None, t)),
        (Some(_), Some(_), Some(t)) => from_index.filter(|&f| f <= t).map(|f| (Some(f), t)),
        _ => None,
    };
    let events;
    let not_loaded;
    let sides = match (span, to) {
        (Some((f, t)), Some((to_rev, _))) => {
            let (before, after) = replay.span(f, t);
            let from_rev = from.map(|(r, _)| r);
            events = compare::between_known(project, repo, from_rev, to_rev, &before, &after)?;
            not_loaded = not_loaded_at(timeline, t, after.broken(), &after);
            Sides::Replayed(before, after)
        }
        _ => {
            events = compare::between(project, repo, from.map(|(r, _)| r), to.map(|(r, _)| r))?;
            let old = match from {
                Some((rev, _)) => register_at(project, repo, replay, Some(rev), from_index)?.0,
                None => Register::default(),
            };
            let (new, files) = register_at(project, repo, replay, to.map(|(r, _)| r), to_index)?;
            not_loaded = files;
            Sides::Read(old, new)
        }
    };
    // A file broken where history is cut and still not loaded at FROM:
    // what it held before is below the cut, so a change to it is unknown.
    if let Some(oldest) = timeline.cut_at() {
        let upto = timeline
            .entries
            .partition_point(|e| from_index.is_some_and(|f| e.index <= f));
        for event in &events {
            let unknown = timeline
                .base
                .files
                .get(&event.id)
                .is_some_and(|f| f.cut.is_some())
                && !timeline.entries[..upto]
                    .iter()
                    .flat_map(|e| &e.events)
                    .any(|e| e.id == event.id && !matches!(e.change, Change::Invalid { .. }));
            if unknown {
                return Err(crate::ledger::timeline::history_cut(
                    oldest,
                    format!(
                        "the last version of {} that loaded",
                        crate::ledger::ledger_path(&timeline.dir, &event.id)
                    ),
                ));
            }
        }
    }
    let config_rev = match to {
        Some((rev, _)) => rev.clone(),
        None => timeline.tip.clone(),
    };
    let config = project.config_at(repo, &config_rev)?;
    let point = |end: Option<End<'_>>, date: Option<time::Date>| -> Result<Point> {
        Ok(Point {
            release: end.and_then(|(_, r)| r).map(|r| r.name.clone()),
            commit: end.map(|(r, _)| r.commit.clone()),
            tree: match end {
                Some((r, _)) => repo.tree_id(r, &config.dir)?,
                None => None,
            },
            date: date.map(iso_date),
        })
    };
    let from_point = match from {
        Some(end) => Some(point(Some(end), end.1.and_then(Release::date))?),
        None => None,
    };
    let to_point = point(to, date)?;
    Ok(Span {
        events,
        not_loaded,
        config,
        from: from_point,
        to: to_point,
        draft: to_release.is_none(),
        date,
        sides,
    })
}
