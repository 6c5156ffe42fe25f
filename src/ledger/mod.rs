//! The ledger: register events computed from changes to vendor files.
//!
//! [`Files`] holds every vendor file present at one point, with the last
//! valid version of each. [`Files::apply`] takes the files one commit (or one
//! diff) changed and returns the [`Event`]s that explain the difference, so
//! replaying the events from an empty register reproduces the register at
//! every point. Nothing here touches git; [`timeline`] drives it over history.

pub mod cache;
pub mod compare;
pub mod lineage;
pub mod open;
pub mod query;
pub mod release;
pub mod releases;
pub mod replay;
pub mod soundness;
pub mod span;
pub mod timeline;
pub mod trailers;

pub use open::Ledger;

use crate::register::{Field, Pos, Severity, Value, Vendor, parse};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The kinds of event, in the order they are listed within one commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Removed,
    Added,
    Renamed,
    Invalid,
    Repaired,
    Relocated,
    Changed,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Removed => "removed",
            EventKind::Added => "added",
            EventKind::Renamed => "renamed",
            EventKind::Invalid => "invalid",
            EventKind::Repaired => "repaired",
            EventKind::Relocated => "relocated",
            EventKind::Changed => "changed",
        }
    }
}

/// What happened to one vendor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new vendor, with every field it was added with.
    Added(Box<Vendor>),
    /// The vendor left the register; its last valid version.
    Removed(Box<Vendor>),
    /// The file was renamed from `from`; `previous_ids` is the new list.
    Renamed {
        from: String,
        previous_ids: Vec<String>,
    },
    /// The set of locations changed; `locations` is the new list.
    Relocated {
        added: Vec<String>,
        removed: Vec<String>,
        locations: Vec<String>,
    },
    /// Any other field: its old and new value (`None` when absent).
    Changed {
        field: Field,
        old: Option<Value>,
        new: Option<Value>,
    },
    /// The file cannot be loaded; the vendor keeps its last valid state.
    Invalid {
        file: String,
        pos: Option<Pos>,
        message: String,
    },
    /// The file loads again; its differences follow as ordinary events.
    Repaired,
    /// A file that could not be loaded where a shallow clone cuts history
    /// loads again: the version it loads as (what it held before is below
    /// the cut, so its differences are unknown). Its kind is `repaired`.
    RepairedAfterCut {
        vendor: Box<Vendor>,
        /// The commit where history is cut.
        cut: String,
    },
}

impl Change {
    pub fn kind(&self) -> EventKind {
        match self {
            Change::Added(_) => EventKind::Added,
            Change::Removed(_) => EventKind::Removed,
            Change::Renamed { .. } => EventKind::Renamed,
            Change::Relocated { .. } => EventKind::Relocated,
            Change::Changed { .. } => EventKind::Changed,
            Change::Invalid { .. } => EventKind::Invalid,
            Change::Repaired | Change::RepairedAfterCut { .. } => EventKind::Repaired,
        }
    }

    /// The order of events within one commit: by kind, then by field name.
    fn sort_key(&self) -> (EventKind, &'static str) {
        match self {
            Change::Changed { field, .. } => (EventKind::Changed, field.key()),
            other => (other.kind(), ""),
        }
    }
}

/// Where a change that reached the branch through a merge was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Authored {
    /// The commit on the merged branch that last changed the file.
    In(String),
    /// Unknown: a shallow clone cuts the merged branch at this commit
    /// before the change is found.
    Cut(String),
}

/// One event: a vendor id and what happened to it. For an entry of the
/// register dir that is not a vendor file (a bad file name, a directory),
/// the id is its path, `register/AWS.toml`: it never clashes with an id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    pub change: Change,
    /// For a merge commit: where the change was made.
    pub authored_in: Option<Authored>,
}

/// The events of one commit.
#[derive(Clone, Debug)]
pub struct CommitEvents {
    /// Position of the commit on the line.
    pub index: usize,
    pub events: Vec<Event>,
}

/// One vendor file present at some point.
#[derive(Clone, Debug, Default)]
pub struct FileState {
    /// The last version that loaded.
    pub valid: Option<Vendor>,
    /// Whether the current version cannot be loaded.
    pub broken: bool,
    /// Where a shallow clone cuts history with this file broken: the
    /// commit. Its last valid version, if it had one, is below the cut.
    pub cut: Option<String>,
}

/// Every vendor file present at one point, by id.
#[derive(Clone, Debug, Default)]
pub struct Files {
    pub files: BTreeMap<String, FileState>,
}

/// One changed vendor file: its id and new bytes (`None` when deleted).
pub struct VendorChange<'a> {
    pub id: String,
    pub content: Option<Content<'a>>,
    pub authored_in: Option<Authored>,
}

/// A changed file's new content.
pub enum Content<'a> {
    Bytes(&'a [u8]),
    /// A file over the size limit: it cannot be loaded.
    TooLarge(u64),
    /// Already parsed (for instance on another thread).
    Loaded(Box<Load>),
    /// An entry that is not a loadable vendor file (a symlink, a directory,
    /// a bad file name): why.
    Unloadable(String),
}

/// How the ledger names an entry of the register dir: the vendor id for
/// `<id>.toml` (also when it is not a regular file), else the entry's path
/// (`register/AWS.toml`). `None` for what it ignores (README.md, files
/// that are not `*.toml`).
pub fn ledger_id(dir: &str, name: &str, kind: crate::register::EntryKind) -> Option<String> {
    use crate::register::{Classified, classify};
    match classify(name, kind) {
        Classified::Vendor(id) => Some(id.to_owned()),
        Classified::Ignored => None,
        Classified::Unloadable(why) => Some(why.id.unwrap_or_else(|| format!("{dir}/{name}"))),
    }
}

/// The path of the file behind a ledger id (see [`ledger_id`]).
pub fn ledger_path(dir: &str, id: &str) -> String {
    if id.contains('/') {
        id.to_owned()
    } else {
        format!("{dir}/{id}.toml")
    }
}

/// The new content of an entry that is present, by kind: a regular vendor
/// file's bytes (`None` when over the size limit, with its size), or why it
/// cannot be loaded.
pub fn entry_content<'a>(
    name: &str,
    kind: crate::register::EntryKind,
    bytes: Option<&'a [u8]>,
    size: u64,
) -> Content<'a> {
    use crate::register::{Classified, classify};
    match classify(name, kind) {
        Classified::Unloadable(why) => Content::Unloadable(why.message),
        _ => match bytes {
            Some(bytes) => Content::Bytes(bytes),
            None => Content::TooLarge(size),
        },
    }
}

/// A vendor file parsed: the vendor, or where and why it cannot be loaded.
pub type Load = Result<Vendor, (Option<Pos>, String)>;

/// Parses one vendor file's content.
pub fn load(path: &str, id: &str, content: Content<'_>) -> Load {
    match content {
        Content::Bytes(bytes) => {
            let parsed = parse::parse_vendor_only(path, id, bytes);
            if parsed.loadable
                && let Some(vendor) = parsed.vendor
            {
                return Ok(vendor);
            }
            let first = parsed
                .findings
                .into_iter()
                .find(|f| f.severity == Severity::Error);
            Err(first.map_or((None, "cannot be loaded".to_owned()), |f| {
                (f.pos, f.message)
            }))
        }
        Content::TooLarge(size) => Err((
            None,
            format!("file is {size} bytes; vendor files are limited to 1 MiB"),
        )),
        Content::Loaded(load) => *load,
        Content::Unloadable(why) => Err((None, why)),
    }
}

impl Files {
    /// The register: every vendor with a valid version, by id.
    pub fn vendors(&self) -> impl Iterator<Item = &Vendor> {
        self.files.values().filter_map(|f| f.valid.as_ref())
    }

    /// Applies one set of file changes and returns their events, sorted.
    /// `dir` is how messages name the register dir (`register`).
    pub fn apply(&mut self, changes: Vec<VendorChange<'_>>, dir: &str) -> Vec<Event> {
        let mut events = Vec::new();
        let mut removed: BTreeMap<String, (Vendor, Option<Authored>)> = BTreeMap::new();
        let mut added: Vec<(Vendor, Option<Authored>)> = Vec::new();
        for change in changes {
            let VendorChange {
                id,
                content,
                authored_in,
            } = change;
            let event = |change| Event {
                id: id.clone(),
                change,
                authored_in: authored_in.clone(),
            };
            let Some(content) = content else {
                if let Some(old) = self.files.remove(&id).and_then(|f| f.valid) {
                    removed.insert(id.clone(), (old, authored_in.clone()));
                }
                continue;
            };
            let path = ledger_path(dir, &id);
            let loaded = load(&path, &id, content);
            let entry = self.files.entry(id.clone()).or_default();
            match loaded {
                Ok(vendor) => {
                    let was_broken = std::mem::replace(&mut entry.broken, false);
                    match &entry.valid {
                        Some(old) => {
                            if was_broken {
                                events.push(event(Change::Repaired));
                            }
                            events
                                .extend(field_changes(old, &vendor, false).into_iter().map(&event));
                            entry.valid = Some(vendor);
                        }
                        None => match entry.cut.take() {
                            // Broken where history is cut: not new, but
                            // what it held before is unknown.
                            Some(cut) => {
                                entry.valid = Some(vendor.clone());
                                events.push(event(Change::RepairedAfterCut {
                                    vendor: Box::new(vendor),
                                    cut,
                                }));
                            }
                            None => {
                                entry.valid = Some(vendor.clone());
                                added.push((vendor, authored_in.clone()));
                            }
                        },
                    }
                }
                Err((pos, message)) => {
                    if !entry.broken {
                        entry.broken = true;
                        events.push(event(Change::Invalid {
                            file: path,
                            pos,
                            message,
                        }));
                    }
                }
            }
        }
        // Pair additions with removals: previous_ids first, then identical content.
        for (vendor, authored_in) in added {
            let from = vendor
                .list(Field::PreviousIds)
                .iter()
                .find(|old| removed.contains_key(*old))
                .cloned()
                .or_else(|| {
                    removed
                        .iter()
                        .find(|(_, (old, _))| same_content(old, &vendor))
                        .map(|(id, _)| id.clone())
                });
            let event = |change| Event {
                id: vendor.id.clone(),
                change,
                authored_in: authored_in.clone(),
            };
            match from.and_then(|from| removed.remove_entry(&from)) {
                Some((from, (old, _))) => {
                    events.push(event(Change::Renamed {
                        from,
                        previous_ids: vendor.list(Field::PreviousIds).to_vec(),
                    }));
                    events.extend(field_changes(&old, &vendor, true).into_iter().map(&event));
                }
                None => events.push(event(Change::Added(Box::new(vendor.clone())))),
            }
        }
        for (id, (old, authored_in)) in removed {
            events.push(Event {
                id,
                change: Change::Removed(Box::new(old)),
                authored_in,
            });
        }
        events.sort_by(|a, b| {
            (a.id.as_str(), a.change.sort_key()).cmp(&(b.id.as_str(), b.change.sort_key()))
        });
        events
    }
}

/// Whether two versions hold the same values (ids aside).
fn same_content(a: &Vendor, b: &Vendor) -> bool {
    Field::ALL.iter().all(|&f| a.get(f) == b.get(f))
}

/// The field events that turn `old` into `new`. For a rename, the change of
/// `previous_ids` is part of the rename event and not reported again.
pub fn field_changes(old: &Vendor, new: &Vendor, rename: bool) -> Vec<Change> {
    let mut out = Vec::new();
    for &field in Field::ALL {
        if rename && field == Field::PreviousIds {
            continue;
        }
        let (a, b) = (old.get(field), new.get(field));
        if a == b {
            continue;
        }
        if field == Field::Locations {
            let before: BTreeSet<&String> = old.locations().iter().collect();
            let after: BTreeSet<&String> = new.locations().iter().collect();
            if before != after {
                out.push(Change::Relocated {
                    added: after.difference(&before).map(|s| (*s).clone()).collect(),
                    removed: before.difference(&after).map(|s| (*s).clone()).collect(),
                    locations: new.locations().to_vec(),
                });
                continue;
            }
        }
        out.push(Change::Changed {
            field,
            old: a.cloned(),
            new: b.cloned(),
        });
    }
    out
}

/// The entries the ledger takes among `entries`, parsed, by ledger id.
pub fn load_entries(entries: &[crate::register::Entry], dir: &str) -> BTreeMap<String, Load> {
    entries.iter().filter_map(|e| load_entry(e, dir)).collect()
}

/// A directory entry's ledger id and parsed file, if the ledger takes it:
/// a vendor file, or an entry it names as not loadable (see [`ledger_id`]).
pub fn load_entry(entry: &crate::register::Entry, dir: &str) -> Option<(String, Load)> {
    let id = ledger_id(dir, &entry.name, entry.kind)?;
    let content = entry_content(
        &entry.name,
        entry.kind,
        entry.content.as_deref(),
        entry.size,
    );
    let load = load(&ledger_path(dir, &id), &id, content);
    Some((id, load))
}

/// The events between two versions of the register, given the entries that
/// differ: `old` as the ledger knows them (absent when new; a broken file
/// keeps its last valid version), `new` as they are now (absent when
/// deleted). Entries that are the same on both sides are left out.
pub fn diff(
    old: BTreeMap<String, FileState>,
    new: BTreeMap<String, Load>,
    dir: &str,
) -> Vec<Event> {
    let deleted: Vec<String> = old
        .keys()
        .filter(|id| !new.contains_key(*id))
        .cloned()
        .collect();
    let mut state = Files { files: old };
    let changes = deleted
        .into_iter()
        .map(|id| VendorChange {
            id,
            content: None,
            authored_in: None,
        })
        .chain(new.into_iter().map(|(id, load)| VendorChange {
            id,
            content: Some(Content::Loaded(Box::new(load))),
            authored_in: None,
        }))
        .collect();
    state.apply(changes, dir)
}

/// An older side's entry known only from its file: valid, or broken with
/// no last valid version.
pub fn file_state(load: Load) -> FileState {
    match load {
        Ok(vendor) => FileState {
            valid: Some(vendor),
            broken: false,
            cut: None,
        },
        Err(_) => FileState {
            valid: None,
            broken: true,
            cut: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "name = \"Acme\"\nsection = \"hosting\"\npurpose = \"Hosting\"\ndata_categories = [\"All\"]\nlocations = [\"DE\"]\n";

    fn put<'a>(id: &str, text: &'a str) -> VendorChange<'a> {
        VendorChange {
            id: id.to_owned(),
            content: Some(Content::Bytes(text.as_bytes())),
            authored_in: None,
        }
    }

    fn del(id: &str) -> VendorChange<'static> {
        VendorChange {
            id: id.to_owned(),
            content: None,
            authored_in: None,
        }
    }

    fn kinds(events: &[Event]) -> Vec<(String, EventKind)> {
        events
            .iter()
            .map(|e| (e.id.clone(), e.change.kind()))
            .collect()
    }

    #[test]
    fn add_edit_break_repair_rename_remove() {
        let mut state = Files::default();
        let e = state.apply(vec![put("acme", BASE)], "register");
        assert_eq!(kinds(&e), vec![("acme".into(), EventKind::Added)]);

        let moved = BASE
            .replace("[\"DE\"]", "[\"DE\", \"US\"]")
            .replace("Hosting\"", "Hosting and backups\"");
        let e = state.apply(vec![put("acme", &moved)], "register");
        assert_eq!(
            kinds(&e),
            vec![
                ("acme".into(), EventKind::Relocated),
                ("acme".into(), EventKind::Changed)
            ]
        );
        assert!(
            matches!(&e[0].change, Change::Relocated { added, removed, .. } if added == &["US"] && removed.is_empty())
        );

        let e = state.apply(vec![put("acme", "name = \"Acme")], "register");
        assert_eq!(kinds(&e), vec![("acme".into(), EventKind::Invalid)]);
        assert_eq!(
            state.vendors().count(),
            1,
            "the vendor keeps its last valid state"
        );
        let e = state.apply(vec![put("acme", "still = broken")], "register");
        assert!(e.is_empty(), "still broken: no new event");

        let e = state.apply(vec![put("acme", BASE)], "register");
        assert_eq!(
            kinds(&e),
            vec![
                ("acme".into(), EventKind::Repaired),
                ("acme".into(), EventKind::Relocated),
                ("acme".into(), EventKind::Changed)
            ]
        );

        let renamed = format!("{BASE}previous_ids = [\"acme\"]\n");
        let e = state.apply(vec![del("acme"), put("acme-cloud", &renamed)], "register");
        assert_eq!(kinds(&e), vec![("acme-cloud".into(), EventKind::Renamed)]);

        let e = state.apply(vec![del("acme-cloud"), put("acme-2", &renamed)], "register");
        assert_eq!(
            kinds(&e),
            vec![("acme-2".into(), EventKind::Renamed)],
            "same content under a new name is a rename"
        );

        let e = state.apply(vec![del("acme-2")], "register");
        assert_eq!(kinds(&e), vec![("acme-2".into(), EventKind::Removed)]);
        assert_eq!(state.vendors().count(), 0);
    }
}
