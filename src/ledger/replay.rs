//! The register at points of a timeline's line, rebuilt from its events.

use super::Event;
use super::timeline::Timeline;
use crate::register::Vendor;
use std::collections::{BTreeMap, BTreeSet};

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

    /// For the start of a span the ledger replayed: every id an event
    /// touched between it and the span's end (no other vendor differs).
    fn touched(&self) -> Option<Vec<&str>> {
        None
    }
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

    fn touched(&self) -> Option<Vec<&str>> {
        Some(self.undo.keys().map(String::as_str).collect())
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
