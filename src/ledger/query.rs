//! The part of the ledger a reader asks for: a range of the line, some
//! vendors, some kinds of change, a period. Streamed entry by entry, so
//! `subledger timeline` shows the first change before the last is read.

use super::timeline::{Progress, Timeline};
use super::{Change, Event, EventKind};
use crate::dates::parse_date;
use crate::error::{Error, Result};
use crate::project::Project;

/// One end of a period: the text asked for and the time it means.
#[derive(Clone, Debug)]
pub struct Bound {
    pub text: String,
    pub time: i64,
}

/// What part of the ledger to show; everything by default.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// `REV` (everything up to it) or `FROM..TO` (after FROM up to TO).
    pub range: Option<String>,
    /// Only events about these ids (a rename's old id counts).
    pub vendors: Vec<String>,
    pub kinds: Vec<EventKind>,
    /// Only changes made on or after / on or before these.
    pub since: Option<Bound>,
    pub until: Option<Bound>,
}

/// Where the selected entries go, oldest first.
pub trait Reader {
    /// Before the first entry, once the line and its releases are known.
    fn begin(&mut self, timeline: &Timeline) -> Result<()>;
    /// The selected events of the commit at `index` (possibly none).
    fn entry(&mut self, timeline: &Timeline, index: usize, events: &[&Event]) -> Result<()>;
}

impl Query {
    fn wants(&self, event: &Event) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&event.change.kind()))
            && (self.vendors.is_empty()
                || self.vendors.iter().any(|v| {
                    *v == event.id
                        || matches!(&event.change, Change::Renamed { from, .. } if from == v)
                }))
    }

    fn in_period(&self, time: i64) -> bool {
        self.since.as_ref().is_none_or(|s| time >= s.time)
            && self.until.as_ref().is_none_or(|u| time <= u.time)
    }

    /// Refuses a period that starts before a shallow clone's cut: changes
    /// made in it may be below the cut.
    fn cut_period(&self, timeline: &Timeline) -> Result<()> {
        let Some(oldest) = timeline.cut_at() else {
            return Ok(());
        };
        for bound in [&self.since, &self.until].into_iter().flatten() {
            if bound.time < oldest.commit_time {
                return timeline.require(|| bound.text.clone());
            }
        }
        Ok(())
    }
}

/// Streams the entries `query` selects to `reader` and returns the
/// timeline walked (without its entries).
pub fn stream(
    project: &Project,
    query: &Query,
    progress: Progress<'_>,
    reader: &mut dyn Reader,
) -> Result<Timeline> {
    let (from, to) = match query.range.as_deref() {
        None => (None, None),
        Some(range) => match range.split_once("..") {
            // As git reads them: an empty side is HEAD (`A..` is A..HEAD).
            Some((from, to)) => (
                Some(if from.is_empty() { "HEAD" } else { from }),
                Some(if to.is_empty() { "HEAD" } else { to }),
            ),
            None => (None, Some(range)),
        },
    };
    let to_commit = match to {
        Some(spec) if parse_date(spec, true).is_some() => {
            let repo = crate::history::Repo::discover(&project.root)?;
            Some(super::timeline::resolve_point(project, &repo, spec)?.commit)
        }
        Some(spec) => Some(spec.to_owned()),
        None => None,
    };
    // FROM..TO with FROM after TO is no range.
    if let (Some(from), Some(to)) = (from, to) {
        let repo = crate::history::Repo::discover(&project.root)?;
        let point = |spec| super::timeline::resolve_point(project, &repo, spec);
        let (a, b) = (point(from)?, point(to)?);
        let id = |rev: &crate::register::Revision| crate::commit::parse_oid(&rev.commit);
        if let (Some(a), Some(b)) = (id(&a), id(&b))
            && a != b
            && !repo.is_ancestor(&a, &b)?
            && repo.is_ancestor(&b, &a)?
        {
            return Err(Error::Usage {
                what: format!("{from} comes after {to}: the range is FROM..TO, older first"),
                hint: None,
            });
        }
    }
    let mut start = None;
    // Every vendor id the history names, when --vendor asks for some: an
    // id it never names is a mistake, not an empty answer.
    let mut seen: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let timeline = Timeline::stream(
        project,
        to_commit.as_deref(),
        progress,
        &mut |timeline, entry| {
            if !query.vendors.is_empty() {
                for e in &entry.events {
                    seen.insert(e.id.clone());
                    if let Change::Renamed { from, .. } = &e.change {
                        seen.insert(from.clone());
                    }
                }
            }
            let start = match start {
                Some(start) => start,
                None => {
                    query.cut_period(timeline)?;
                    let first = match from {
                        Some(spec) => timeline.position(project, spec)?.map_or(0, |i| i + 1),
                        None => 0,
                    };
                    start = Some(first);
                    reader.begin(timeline)?;
                    first
                }
            };
            if entry.index < start || !query.in_period(timeline.commits[entry.index].author.time) {
                return Ok(());
            }
            let events: Vec<&Event> = entry.events.iter().filter(|e| query.wants(e)).collect();
            reader.entry(timeline, entry.index, &events)
        },
    )?;
    if start.is_none() {
        // No entry at all: resolve FROM anyway, so a bad revision is an error.
        query.cut_period(&timeline)?;
        if let Some(spec) = from {
            timeline.position(project, spec)?;
        }
        reader.begin(&timeline)?;
    }
    if !query.vendors.is_empty() {
        // And every vendor file there is now: in a shallow clone a vendor
        // unchanged since the cut has no event, and nothing to show.
        let dir = project.root.join(&timeline.config.register.dir);
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                if let Some(id) = name.to_str().and_then(|n| n.strip_suffix(".toml")) {
                    seen.insert(id.to_owned());
                }
            }
        }
    }
    for asked in &query.vendors {
        if !seen.contains(asked) {
            // Below a shallow clone's cut it may have had it: say so.
            timeline.require(|| format!("the commit that added {asked}"))?;
            let closest = seen
                .iter()
                .map(|id| (strsim::jaro_winkler(asked, id), id))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, id)| id.clone());
            return Err(Error::Usage {
                what: format!(
                    "--vendor {asked}: no vendor has had that id in the history of {}{}",
                    timeline.branch,
                    to.map(|t| format!(" up to {t}")).unwrap_or_default()
                ),
                hint: Some(match closest {
                    Some(id) => format!("did you mean --vendor {id}?"),
                    None => {
                        "`subledger list` shows the ids; a vendor's file name is its id".to_owned()
                    }
                }),
            });
        }
    }
    Ok(timeline)
}
