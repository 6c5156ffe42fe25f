//! One vendor's life in the ledger: every event about it, under each id it
//! had. A life follows a vendor, not a file name: a rename moves the life
//! to the new id (its `previous_ids` name the old one), and an id that was
//! renamed away and later added again names a different vendor. A vendor
//! removed and added back under the same id keeps its life.

use super::replay::apply;
use super::timeline::Timeline;
use super::{Change, Event};
use crate::error::{Error, Result};
use crate::register::{Field, Register, Vendor};
use std::collections::{BTreeSet, HashMap};

/// One version: a commit's events for the vendor and its state after them.
#[derive(Debug)]
pub struct Version<'t> {
    /// Its commit's position on the line.
    pub index: usize,
    pub events: Vec<&'t Event>,
    /// The vendor after them (`None`: removed).
    pub state: Option<Vendor>,
}

/// One vendor's whole life, version by version, and who last changed each
/// of its fields: what `subledger history ID` shows.
#[derive(Debug)]
pub struct Lineage<'t> {
    /// The id asked for.
    pub asked: String,
    /// Every id it had.
    pub ids: BTreeSet<String>,
    /// The ids, now, of other vendors that had the id asked for.
    pub others: Vec<String>,
    pub versions: Vec<Version<'t>>,
    /// The vendor now (`None`: not in the register now).
    pub current: Option<Vendor>,
    /// By field: the position of the commit that last changed it.
    pub last_changed: Vec<Option<usize>>,
}

/// The lineage of the vendor that had `id` last. An id no event is about
/// is a usage error, with the closest id the history knows.
pub fn lineage<'t>(timeline: &'t Timeline, id: &str) -> Result<Lineage<'t>> {
    // A vendor's life may have begun below a shallow clone's cut, under
    // this id or one it was renamed from.
    timeline.require_whole()?;
    // The vendor's life: through renames, but never into another vendor
    // that later took the same id.
    let Some(life) = life(timeline, id) else {
        let known: Vec<&str> = timeline
            .entries
            .iter()
            .flat_map(|e| &e.events)
            .map(|e| e.id.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let closest = crate::register::parse::closest(id, known.iter().copied());
        return Err(Error::Usage {
            what: format!("no vendor `{id}` in the history of {}", timeline.branch),
            hint: closest.map(|c| format!("did you mean `{c}`?")),
        });
    };
    let ids: BTreeSet<String> = life.ids.iter().cloned().collect();
    let mut versions: Vec<Version<'_>> = Vec::new();
    // The life's register, rebuilt event by event as the ledger does.
    let mut lineage = Register::default();
    let mut state: Option<Vendor> = None;
    let mut last_changed: Vec<Option<usize>> = vec![None; Field::COUNT];
    for (index, events) in life.versions {
        let Some(last) = events.last() else {
            continue;
        };
        for event in &events {
            apply(&mut lineage, event);
            let touched: Vec<Field> = match &event.change {
                Change::Added(v) | Change::RepairedAfterCut { vendor: v, .. } => {
                    v.fields().map(|(f, _)| f).collect()
                }
                Change::Renamed { .. } => vec![Field::PreviousIds],
                Change::Relocated { .. } => vec![Field::Locations],
                Change::Changed { field, .. } => vec![*field],
                Change::Removed(_) | Change::Invalid { .. } | Change::Repaired => Vec::new(),
            };
            for field in touched {
                last_changed[field.index()] = Some(index);
            }
        }
        state = lineage.vendors.get(&last.id).cloned();
        versions.push(Version {
            index,
            events,
            state: state.clone(),
        });
    }
    Ok(Lineage {
        asked: id.to_owned(),
        ids,
        others: life.others,
        versions,
        current: state,
        last_changed,
    })
}

/// The events of one vendor, commit by commit.
#[derive(Debug)]
pub struct Life<'t> {
    /// Every id it had, in the order it had them.
    pub ids: Vec<String>,
    /// Its events, by position on the line, oldest first.
    pub versions: Vec<(usize, Vec<&'t Event>)>,
    /// The ids, now, of other vendors that had the id asked for at some
    /// time (before or after this one).
    pub others: Vec<String>,
}

/// The life of the vendor that had `id` last; `None` when no event in the
/// timeline is about `id`.
pub fn life<'t>(timeline: &'t Timeline, id: &str) -> Option<Life<'t>> {
    struct Living<'t> {
        ids: Vec<String>,
        versions: Vec<(usize, Vec<&'t Event>)>,
    }
    let mut lives: Vec<Living<'t>> = Vec::new();
    // Which life each id names now (a removed vendor keeps its id, so that
    // adding it back continues its life).
    let mut holder: HashMap<&'t str, usize> = HashMap::new();
    // The lives that had `id`, in the order they got it.
    let mut had: Vec<usize> = Vec::new();
    for entry in &timeline.entries {
        for event in &entry.events {
            let new_life = |lives: &mut Vec<Living<'t>>, name: &str| {
                lives.push(Living {
                    ids: vec![name.to_owned()],
                    versions: Vec::new(),
                });
                lives.len() - 1
            };
            let life = match &event.change {
                Change::Renamed { from, .. } => {
                    let life = match holder.remove(from.as_str()) {
                        Some(life) => life,
                        None => new_life(&mut lives, from),
                    };
                    lives[life].ids.push(event.id.clone());
                    holder.insert(&event.id, life);
                    life
                }
                _ => match holder.get(event.id.as_str()) {
                    Some(&life) => life,
                    None => {
                        let life = new_life(&mut lives, &event.id);
                        holder.insert(&event.id, life);
                        life
                    }
                },
            };
            let gets_id =
                matches!(event.change, Change::Renamed { .. }) || lives[life].versions.is_empty();
            if event.id == id && gets_id && had.last() != Some(&life) {
                had.push(life);
            }
            if let Change::Renamed { from, .. } = &event.change
                && from == id
                && had.last() != Some(&life)
            {
                had.push(life);
            }
            let versions = &mut lives[life].versions;
            match versions.last_mut() {
                Some((index, events)) if *index == entry.index => events.push(event),
                _ => versions.push((entry.index, vec![event])),
            }
        }
    }
    let chosen = *had.last()?;
    let mut others: Vec<String> = had
        .iter()
        .filter(|&&l| l != chosen)
        .filter_map(|&l| lives[l].ids.last().cloned())
        .collect();
    others.dedup();
    let living = lives.swap_remove(chosen);
    Some(Life {
        ids: living.ids,
        versions: living.versions,
        others,
    })
}
