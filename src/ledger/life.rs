//! One vendor's life in the ledger: every event about it, under each id it
//! had. A life follows a vendor, not a file name: a rename moves the life
//! to the new id (its `previous_ids` name the old one), and an id that was
//! renamed away and later added again names a different vendor. A vendor
//! removed and added back under the same id keeps its life.

use super::timeline::Timeline;
use super::{Change, Event};
use std::collections::HashMap;

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
