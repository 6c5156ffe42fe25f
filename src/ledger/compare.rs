//! Comparing the register at two points: two revisions, a revision and
//! the work tree, or nothing (an empty register) and a revision.

use super::{Event, diff, load_entries};
use crate::error::{Error, Result};
use crate::history::{Oid, Repo, blob_id};
use crate::project::Project;
use crate::register::{Entry, EntryKind, Revision, workdir};
use std::collections::BTreeMap;

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
    let old_list = match from {
        Some(rev) => repo.list_dir(rev, &at.dir)?.unwrap_or_default(),
        None => Vec::new(),
    };
    // Only files whose blob ids differ are read and parsed.
    let old_ids: BTreeMap<&str, (EntryKind, Oid)> = old_list
        .iter()
        .map(|(name, kind, id)| (name.as_str(), (*kind, *id)))
        .collect();
    let new_side: BTreeMap<String, Side> = match to {
        Some(rev) => {
            let list = repo.list_dir(rev, &at.dir)?.unwrap_or_default();
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
            let dir = project.root.join(&at.config.register.dir);
            workdir::read_dir(&dir)?
                .into_iter()
                .map(|entry| (entry.name.clone(), Side::Disk(entry)))
                .collect()
        }
    };
    // Which files differ; then each side is read and parsed on its own thread.
    let mut changed_old: Vec<(&str, EntryKind, Oid)> = Vec::new();
    let mut changed_new: Vec<(&str, &Side)> = Vec::new();
    for (name, side) in &new_side {
        let (kind, id) = match side {
            Side::Git(kind, id) => (*kind, *id),
            Side::Disk(e) => (e.kind, e.content.as_deref().map(blob_id).unwrap_or([0; 20])),
        };
        match old_ids.get(name.as_str()) {
            Some(old) if *old == (kind, id) => continue,
            Some((old_kind, old_id)) => changed_old.push((name, *old_kind, *old_id)),
            None => {}
        }
        changed_new.push((name, side));
    }
    for (name, (kind, id)) in &old_ids {
        if !new_side.contains_key(*name) {
            changed_old.push((name, *kind, *id));
        }
    }
    let dir = at.config.register.dir.trim_end_matches('/').to_owned();
    let read = |repo: &Repo, name: &str, kind: EntryKind, id: &Oid| -> Result<Entry> {
        let (content, size) = match kind {
            EntryKind::File => repo.blob(id)?,
            _ => (None, 0),
        };
        Ok(Entry {
            name: name.to_owned(),
            kind,
            size,
            content,
        })
    };
    // libgit2 serialises reads of one pack, so blobs are read here and the
    // two sides parsed in parallel.
    let old_entries = changed_old
        .iter()
        .map(|(name, kind, id)| read(repo, name, *kind, id))
        .collect::<Result<Vec<Entry>>>()?;
    let new_entries = changed_new
        .iter()
        .map(|(name, side)| match side {
            Side::Git(kind, id) => read(repo, name, *kind, id),
            Side::Disk(e) => Ok(e.clone()),
        })
        .collect::<Result<Vec<Entry>>>()?;
    let (old, new) = std::thread::scope(|scope| {
        let new = scope.spawn(|| load_entries(&new_entries, &dir));
        let old = load_entries(&old_entries, &dir);
        (
            Ok::<_, Error>(old),
            new.join().map_err(|_| Error::History {
                what: "parsing the newer side failed".to_owned(),
            }),
        )
    });
    Ok(diff(old?, new?, &dir))
}
