//! Comparing the register at two points: two revisions, a revision and
//! the work tree, or nothing (an empty register) and a revision.

use super::replay::Known;
use super::{Event, FileState, Load, diff, file_state, ledger_id, load_entry};
use crate::commit::Oid;
use crate::error::{Error, Result};
use crate::history::{Repo, blob_id};
use crate::project::Project;
use crate::register::{Entry, EntryKind, Revision};
use std::collections::BTreeMap;

/// Like [`between`] for two commits of the line (`from` before `to`) whose
/// registers the ledger has rebuilt: the entries whose blob ids differ are
/// taken from `before` and `after` instead of being read and parsed again,
/// except a newer file that cannot be loaded (its error is reported). The
/// older side is the ledger's: a file broken there keeps its last valid
/// version, so a file repaired since is not announced as new.
pub fn between_known(
    project: &Project,
    repo: &Repo,
    from: Option<&Revision>,
    to: &Revision,
    before: &dyn Known,
    after: &dyn Known,
) -> Result<Vec<Event>> {
    // Each side's register dir is its own commit's (the register may move).
    let at = project.config_at(repo, to)?;
    let dir = at.config.register.dir.trim_end_matches('/');
    // Replayed by the ledger: the vendors its events touched in between
    // are all that can differ, and both sides are known without reading a
    // tree (unless a file there cannot be loaded: its error is read).
    if let Some(touched) = before.touched()
        && touched
            .iter()
            .all(|id| !before.is_broken(id) && !after.is_broken(id))
    {
        // A vendor on both sides changed only its fields, as `diff` would
        // find: compared where it stands, not copied. Only those that came
        // or went (and may pair up as renames) go through `diff`.
        let mut events = Vec::new();
        let (mut old, mut new) = (BTreeMap::new(), BTreeMap::new());
        for id in touched {
            match (before.vendor(id), after.vendor(id)) {
                (Some(a), Some(b)) => {
                    events.extend(super::field_changes(a, b, false).into_iter().map(|change| {
                        Event {
                            id: id.to_owned(),
                            change,
                            authored_in: None,
                        }
                    }));
                }
                (a, b) => {
                    if let Some(v) = a {
                        old.insert(
                            id.to_owned(),
                            FileState {
                                valid: Some(v.clone()),
                                broken: false,
                                cut: None,
                            },
                        );
                    }
                    if let Some(v) = b {
                        new.insert(id.to_owned(), Ok(v.clone()));
                    }
                }
            }
        }
        events.extend(diff(old, new, dir));
        events.sort_by(|a, b| {
            (a.id.as_str(), a.change.sort_key()).cmp(&(b.id.as_str(), b.change.sort_key()))
        });
        return Ok(events);
    }
    let from_dir = match from {
        Some(rev) => Some((rev, project.config_at(repo, rev)?.dir)),
        None => None,
    };
    let (mut old, mut new) = (BTreeMap::new(), BTreeMap::new());
    let changes = repo.dir_changes(
        from_dir.as_ref().map(|(rev, path)| (*rev, path.as_str())),
        (to, &at.dir),
    )?;
    for (name, a, b) in changes {
        // The older side as the ledger knows it: a broken file keeps its
        // last valid version.
        if let Some((kind, _)) = a
            && let Some(id) = ledger_id(dir, &name, kind)
        {
            let state = FileState {
                valid: before.vendor(&id).cloned(),
                broken: before.is_broken(&id),
                cut: None,
            };
            old.insert(id, state);
        }
        // The newer side from the ledger too, except a file that cannot be
        // loaded: it is read, for its error.
        if let Some((kind, blob)) = b
            && let Some(id) = ledger_id(dir, &name, kind)
        {
            match after.vendor(&id) {
                Some(vendor) if !after.is_broken(&id) => {
                    new.insert(id, Ok(vendor.clone()));
                }
                _ => {
                    let rev = to;
                    new.extend(load_blob(repo, &name, kind, &blob, dir).map_err(|e| {
                        e.object_context(|| format!("`{}/{name}` at `{}`", at.dir, rev.spec))
                    })?);
                }
            }
        }
    }
    Ok(diff(old, new, dir))
}

/// One side's file: a blob in git, or a file read from the work tree.
enum Side {
    Git(EntryKind, Oid),
    Disk(Entry),
}

/// The events that turn the register at `from` (`None`: empty) into the
/// register at `to` (`None`: the work tree). Only files whose blob ids
/// differ are read, and the two sides are parsed in parallel.
pub fn between(
    project: &Project,
    repo: &Repo,
    from: Option<&Revision>,
    to: Option<&Revision>,
) -> Result<Vec<Event>> {
    let config_rev = match (from, to) {
        (Some(rev), _) | (None, Some(rev)) => rev.clone(),
        (None, None) => repo.resolve("HEAD")?,
    };
    let at = project.config_at(repo, &config_rev)?;
    // Each side's register dir is its own commit's (the register may move).
    let old_list = match from {
        Some(rev) => {
            let dir = project.config_at(repo, rev)?.dir;
            repo.list_dir(rev, &dir)?.unwrap_or_default()
        }
        None => Vec::new(),
    };
    // Only files whose blob ids differ are read and parsed.
    let old_ids: BTreeMap<&str, (EntryKind, Oid)> = old_list
        .iter()
        .map(|(name, kind, id)| (name.as_str(), (*kind, *id)))
        .collect();
    let new_side: BTreeMap<String, Side> = match to {
        Some(rev) => {
            let dir = project.config_at(repo, rev)?.dir;
            let list = repo.list_dir(rev, &dir)?.unwrap_or_default();
            list.into_iter()
                .map(|(name, kind, id)| (name, Side::Git(kind, id)))
                .collect()
        }
        None => {
            if repo.workdir().is_none() {
                return Err(Error::BareRepository {
                    path: project.root.clone(),
                });
            }
            // The work tree's own subledger.toml says where its register is.
            project
                .snapshot(None)?
                .entries
                .into_iter()
                .map(|entry| (entry.name.clone(), Side::Disk(entry)))
                .collect()
        }
    };
    // Which files differ; then both sides are read and parsed, the work
    // shared by two threads.
    let mut work: Vec<(bool, &str, &Side)> = Vec::new();
    let old_sides: Vec<(&str, Side)> = {
        let mut list = Vec::new();
        for (name, side) in &new_side {
            let (kind, id) = match side {
                Side::Git(kind, id) => (*kind, *id),
                Side::Disk(e) => (e.kind, e.content.as_deref().map(blob_id).unwrap_or([0; 20])),
            };
            match old_ids.get(name.as_str()) {
                Some(old) if *old == (kind, id) => continue,
                Some((old_kind, old_id)) => {
                    list.push((name.as_str(), Side::Git(*old_kind, *old_id)))
                }
                None => {}
            }
            work.push((true, name, side));
        }
        for (name, (kind, id)) in &old_ids {
            if !new_side.contains_key(*name) {
                list.push((name, Side::Git(*kind, *id)));
            }
        }
        list
    };
    work.extend(old_sides.iter().map(|(name, side)| (false, *name, side)));
    let dir = at.config.register.dir.trim_end_matches('/');
    let loads = repo.share_work(
        &work,
        &|repo: &Repo, (newer, name, side): &(bool, &str, &Side)| {
            let loaded = match side {
                Side::Git(kind, blob) => {
                    let rev = if *newer { to } else { from };
                    load_blob(repo, name, *kind, blob, dir).map_err(|e| {
                        e.object_context(|| match rev {
                            Some(rev) => format!("`{dir}/{name}` at `{}`", rev.spec),
                            None => format!("`{dir}/{name}`"),
                        })
                    })?
                }
                Side::Disk(entry) => load_entry(entry, dir),
            };
            Ok(loaded.map(|(id, load)| (*newer, id, load)))
        },
    )?;
    let (mut old, mut new) = (BTreeMap::new(), BTreeMap::new());
    for (newer, id, load) in loads {
        if newer {
            new.insert(id, load);
        } else {
            old.insert(id, file_state(load));
        }
    }
    Ok(diff(old, new, dir))
}

/// An entry of the register dir in git, read and loaded if it is a vendor
/// file.
fn load_blob(
    repo: &Repo,
    name: &str,
    kind: EntryKind,
    blob: &Oid,
    dir: &str,
) -> Result<Option<(String, Load)>> {
    let (content, size) = match kind {
        EntryKind::File => repo.blob(blob)?,
        _ => (None, 0),
    };
    let entry = Entry {
        name: name.to_owned(),
        kind,
        size,
        content,
    };
    Ok(load_entry(&entry, dir))
}
