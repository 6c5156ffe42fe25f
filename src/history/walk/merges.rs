//! Merge attribution: for a change that arrived through a merge, the
//! commit on the merged branch that made it.

use super::changes::{FileChange, Origin};
use super::objects::{parse_commit, read_kind};
use super::tree::{RawChange, diff_raw, subtree};
use crate::commit::{Oid, hex};
use crate::error::{Error, Result};
use crate::history::graph::{Graph, GraphCommit};
use std::collections::{HashMap, HashSet};

/// What following merged branches needs: the objects, the commit-graph,
/// where the line is, where a shallow clone is cut, and the register dir.
pub(super) struct Branches<'a, 'o> {
    pub(super) odb: &'a git2::Odb<'o>,
    pub(super) graph: Option<&'a Graph>,
    pub(super) line: &'a HashSet<Oid>,
    pub(super) shallow: &'a HashSet<Oid>,
    pub(super) dir: &'a [String],
}

impl Branches<'_, '_> {
    /// A branch commit's root tree and parents: from the commit-graph when
    /// it has them, else from the object.
    pub(super) fn commit(&self, id: Oid) -> Result<GraphCommit> {
        let commit = match self.graph.and_then(|g| g.commit(&id)) {
            Some(known) => known,
            None => {
                let object = read_kind(self.odb, id, "commit")?;
                parse_commit(id, object.data())
                    .map(|c| GraphCommit {
                        tree: c.tree,
                        parents: c.parents,
                        time: c.commit_time,
                    })
                    .ok_or_else(|| Error::Git {
                        doing: format!("reading commit {}", hex(&id)),
                        source: git2::Error::from_str("malformed commit object").into(),
                    })?
            }
        };
        Ok(commit)
    }
}

/// For each changed file of a merge commit, the commit on the merged branch
/// that last changed it: the first-parent chain of each merged parent is
/// followed, newest first, until it reaches the line, and the first commit
/// on it whose register entry for the file differs from its parent's is
/// the one. Where a shallow clone cuts the branch first, the origin is
/// unknown ([`Origin::Cut`]), never guessed. `merged` is the merge's
/// register tree and its entry offsets: each tree on the branch is diffed
/// against the one before it, so entry offsets carry over and no tree is
/// scanned whole.
pub(super) fn authored_in(
    at: &Branches<'_, '_>,
    parents: &[Oid],
    files: &mut [FileChange],
    merged: (&[u8], &[usize]),
) -> Result<()> {
    let (odb, dir) = (at.odb, at.dir);
    let mut open: HashMap<String, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.clone(), i))
        .collect();
    // A register tree on the branch: its id, object and entry offsets.
    struct Dir<'o> {
        id: Option<Oid>,
        object: Option<git2::OdbObject<'o>>,
        starts: Vec<usize>,
    }
    let read_dir =
        |commit: &GraphCommit, id: &Oid| -> Result<(Option<Oid>, Option<git2::OdbObject<'_>>)> {
            let context = || format!("the tree of commit {}", hex(id));
            let tree = subtree(odb, commit.tree, dir).map_err(|e| e.object_context(context))?;
            let object = tree
                .map(|t| read_kind(odb, t, "tree"))
                .transpose()
                .map_err(|e| e.object_context(context))?;
            Ok((tree, object))
        };
    // Parent links taken from the graph: more than it has commits is a loop.
    let mut from_graph = 0usize;
    for &parent in &parents[1..] {
        if open.is_empty() || at.line.contains(&parent) {
            continue;
        }
        let (mut id, mut current) = (parent, at.commit(parent)?);
        let (tree, object) = read_dir(&current, &id)?;
        let bytes = object.as_ref().map(|o| o.data()).unwrap_or_default();
        let (_, starts) = diff_raw(merged.0, merged.1, bytes);
        let mut after = Dir {
            id: tree,
            object,
            starts,
        };
        loop {
            let after_bytes = after.object.as_ref().map(|o| o.data()).unwrap_or_default();
            if at.shallow.contains(&id) && !current.parents.is_empty() {
                // The clone has this commit without its parents: which of
                // its files it changed is unknown.
                for i in std::mem::take(&mut open).into_values() {
                    files[i].authored_in = Some(Origin::Cut(id));
                }
                break;
            }
            let Some(&previous_id) = current.parents.first() else {
                // The branch's root commit: everything in it is its own.
                claim(&mut open, files, id, &diff_raw(&[], &[], after_bytes).0);
                break;
            };
            if let Some(graph) = at.graph
                && graph.commit(&previous_id).is_some()
            {
                from_graph += 1;
                if from_graph > graph.len() {
                    return Err(graph.corrupt("its parent links form a loop"));
                }
            }
            let previous = at.commit(previous_id).map_err(|e| {
                e.object_context(|| format!("the first parent of commit {}", hex(&id)))
            })?;
            let (tree, object) = read_dir(&previous, &previous_id)?;
            if tree != after.id {
                let bytes = object.as_ref().map(|o| o.data()).unwrap_or_default();
                let (changes, starts) = diff_raw(after_bytes, &after.starts, bytes);
                claim(&mut open, files, id, &changes);
                after = Dir {
                    id: tree,
                    object,
                    starts,
                };
            }
            if open.is_empty() || at.line.contains(&previous_id) {
                break;
            }
            (id, current) = (previous_id, previous);
        }
    }
    Ok(())
}

/// Marks the open files among `changes` as last changed in `commit`.
pub(super) fn claim(
    open: &mut HashMap<String, usize>,
    files: &mut [FileChange],
    commit: Oid,
    changes: &[RawChange<'_>],
) {
    for (name, _, _) in changes {
        if let Ok(name) = std::str::from_utf8(name)
            && let Some(i) = open.remove(name)
        {
            files[i].authored_in = Some(Origin::Commit(commit));
        }
    }
}
