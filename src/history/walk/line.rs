//! The first-parent line of a branch: from the commit-graph where git
//! keeps one, else from the commit objects.

use super::objects::{commit_meta, missing, read_commit, to_oid};
use crate::commit::{CommitMeta, Oid, Signature, hex};
use crate::error::{Error, Result};
use crate::history::graph::Graph;
use std::collections::HashSet;

/// The first-parent line of a branch, oldest first.
#[derive(Debug, Default)]
pub struct Line {
    pub commits: Vec<CommitMeta>,
    /// Set when the oldest commit's parent is missing (a shallow clone).
    pub cut: bool,
    /// Set when the walk stopped at the commit it was asked to stop at
    /// (which is not included).
    pub stopped: bool,
}

/// Reads the first-parent line ending at `tip`, oldest first, back to the
/// root, to a commit a shallow clone has without its parents, or to `stop`
/// (excluded).
pub fn first_parent_line(
    repo: &git2::Repository,
    tip: git2::Oid,
    stop: Option<Oid>,
) -> Result<Line> {
    let shallow = crate::history::shallow_commits(repo);
    first_parent(repo, tip, stop, None, &shallow)
}

/// Like [`first_parent_line`], but commits the commit-graph file has are
/// taken from it without reading their objects: their `author` and
/// `subject` are left empty for the walk to fill in (give it the graph in
/// [`Plan::graph`]). Returns the line and the graph, if there was one.
pub fn first_parent_skeleton(
    repo: &git2::Repository,
    tip: git2::Oid,
) -> Result<(Line, Option<Graph>)> {
    let shallow = crate::history::shallow_commits(repo);
    let graph = crate::history::graph_for(repo);
    match first_parent(repo, tip, None, graph.as_ref(), &shallow) {
        // A graph whose parent links loop is no help: read the commits.
        Err(Error::CorruptGraph { .. }) => {
            Ok((first_parent(repo, tip, None, None, &shallow)?, None))
        }
        line => Ok((line?, graph)),
    }
}

pub(super) fn first_parent(
    repo: &git2::Repository,
    tip: git2::Oid,
    stop: Option<Oid>,
    graph: Option<&Graph>,
    shallow: &HashSet<Oid>,
) -> Result<Line> {
    let odb = repo.odb().map_err(|source| Error::Git {
        doing: "reading the first-parent history".to_owned(),
        source: source.into(),
    })?;
    let mut commits = Vec::new();
    let mut next = Some(to_oid(tip));
    let mut cut = false;
    let mut stopped = false;
    // Parent links taken from the graph; more than it has commits is a loop.
    let mut from_graph = 0usize;
    while let Some(id) = next {
        if Some(id) == stop {
            stopped = true;
            break;
        }
        // A shallow clone's boundary: its parents are not here, whatever
        // its object says. It is the oldest commit of the line; history is
        // cut there unless it is the root anyway.
        if shallow.contains(&id) {
            let mut meta = commit_meta(&odb, id)?;
            cut = !meta.parents.is_empty();
            meta.parents.clear();
            commits.push(meta);
            break;
        }
        if let Some(graph) = graph
            && let Some(known) = graph.commit(&id)
        {
            from_graph += 1;
            if from_graph > graph.len() {
                return Err(graph.corrupt("its parent links form a loop"));
            }
            next = known.parents.first().copied();
            commits.push(CommitMeta {
                id,
                tree: known.tree,
                parents: known.parents,
                author: Signature {
                    name: String::new(),
                    email: String::new(),
                    time: 0,
                    offset: 0,
                },
                commit_time: known.time,
                subject: String::new(),
            });
            continue;
        }
        let meta = match read_commit(&odb, id)? {
            Some(meta) => meta,
            None => {
                let child = commits.last().map(|c: &CommitMeta| hex(&c.id));
                return Err(missing(&id).object_context(|| match child {
                    Some(child) => format!("the first parent of commit {child}"),
                    None => "the tip of the line".to_owned(),
                }));
            }
        };
        next = meta.parents.first().copied();
        commits.push(meta);
    }
    commits.reverse();
    Ok(Line {
        commits,
        cut,
        stopped,
    })
}
