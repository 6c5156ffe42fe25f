//! The work-sharing walk: the line's commits walked on a thread of their
//! own, register changes sent in batches, and the walk reading blobs
//! itself while the parsing side is behind.

use super::changes::FileChange;
use super::dirs::{DirRule, Dirs};
use super::merges::{Branches, authored_in};
use super::objects::{checked_meta, read, read_blob, read_kind};
use super::tree::{diff_raw, entry_starts, register_changes};
use crate::commit::{CommitMeta, Oid, hex};
use crate::error::{Error, Result};
use crate::history::graph::Graph;
use std::collections::HashSet;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

/// What the walk sends, in order: the metadata of the commits it passed
/// (when asked for it) and the register changes they made.
#[derive(Debug, Default)]
pub struct Batch {
    /// The line position of the first of `metas`.
    pub metas_from: usize,
    /// Consecutive commits, read from their objects.
    pub metas: Vec<CommitMeta>,
    pub changes: Vec<CommitChanges>,
}

/// The register changes one commit of the line made.
#[derive(Debug)]
pub struct CommitChanges {
    /// Position of the commit on the line.
    pub index: usize,
    pub files: Vec<FileChange>,
}

/// What to walk.
pub struct Plan {
    pub git_dir: std::path::PathBuf,
    /// (commit, root tree, parents) of the commits to walk, oldest first.
    pub commits: Vec<(Oid, Oid, Vec<Oid>)>,
    /// Position on the line of the first of `commits`.
    pub offset: usize,
    /// Where the register dir is at each commit.
    pub dir: DirRule,
    /// The root tree of the commit before the first one, if any.
    pub before_root: Option<Oid>,
    /// Every commit of the whole line (where merged branches stop).
    pub line: HashSet<Oid>,
    /// The commit-graph the line was read from, if it was: then every
    /// commit's object is read, checked against the graph's tree and
    /// parents, and its metadata sent. Merged branches are followed in it.
    pub graph: Option<Graph>,
    /// Commits a shallow clone has without their parents: where merged
    /// branches are cut.
    pub shallow: HashSet<Oid>,
    /// Whether the repository is a partial clone (for the hint of an
    /// error about a missing object).
    pub partial: bool,
}

/// Walks the plan's commits on a thread of its own, sending the register
/// changes of every commit whose register tree differs from its first
/// parent's, in batches.
pub fn spawn(plan: Plan) -> Receiver<Result<Batch>> {
    let (tx, rx) = sync_channel(8);
    std::thread::spawn(move || {
        if let Err(e) = walk(&plan, &tx) {
            let _ = tx.send(Err(e.in_partial_clone(plan.partial)));
        }
    });
    rx
}

pub(super) fn walk(plan: &Plan, tx: &SyncSender<Result<Batch>>) -> Result<()> {
    let git = |source: git2::Error| Error::Git {
        doing: "walking the register's history".to_owned(),
        source: source.into(),
    };
    let (commits, line) = (&plan.commits, &plan.line);
    let repo = crate::history::open_for_walk(&plan.git_dir)?;
    let odb = repo.odb().map_err(git)?;
    let mut dirs = Dirs::new(&plan.dir);
    let before = match plan.before_root {
        Some(root) => dirs.tree(&odb, root)?,
        None => None,
    };
    let mut prev_tree: Option<Oid> = before;
    let mut prev_object = match before {
        Some(id) => Some(read(&odb, id)?),
        None => None,
    };
    let mut prev_starts = prev_object
        .as_ref()
        .map(|o| entry_starts(o.data()))
        .unwrap_or_default();
    let mut batch = Batch {
        metas_from: plan.offset,
        ..Batch::default()
    };
    let mut stolen = std::collections::VecDeque::new();
    let commit_at = |index: usize| commits[index - plan.offset].0;
    for (i, (id, root, parents)) in commits.iter().enumerate() {
        let index = plan.offset + i;
        if plan.graph.is_some() {
            batch.metas.push(checked_meta(&odb, *id, root, parents)?);
        }
        let in_commit = || format!("the tree of commit {}", hex(id));
        let tree = dirs
            .tree(&odb, *root)
            .map_err(|e| e.object_context(in_commit))?;
        let dir = &dirs.dir;
        if tree == prev_tree {
            continue;
        }
        let object = match tree {
            Some(id) => Some(read_kind(&odb, id, "tree").map_err(|e| e.object_context(in_commit))?),
            None => None,
        };
        let data: &[u8] = object.as_ref().map(|o| o.data()).unwrap_or_default();
        let old_data: &[u8] = prev_object.as_ref().map(|o| o.data()).unwrap_or_default();
        let (raw, starts) = diff_raw(old_data, &prev_starts, data);
        let mut files = register_changes(raw);
        if parents.len() > 1 && !files.is_empty() {
            let branches = Branches {
                odb: &odb,
                graph: plan.graph.as_ref(),
                line,
                shallow: &plan.shallow,
                dir,
            };
            authored_in(&branches, parents, &mut files, (data, &starts))?;
        }
        prev_tree = tree;
        prev_starts = starts;
        prev_object = object;
        if !files.is_empty() {
            batch.changes.push(CommitChanges { index, files });
            if batch.changes.len() >= 16 {
                let next = Batch {
                    metas_from: index + 1,
                    ..Batch::default()
                };
                let done = std::mem::replace(&mut batch, next);
                let dir_path = dirs.dir.join("/");
                if !send(tx, &odb, &mut stolen, done, (&dir_path, &commit_at))? {
                    return Ok(());
                }
            }
        }
    }
    if !batch.changes.is_empty() || !batch.metas.is_empty() {
        stolen.push_back(batch);
    }
    for batch in stolen {
        if tx.send(Ok(batch)).is_err() {
            break;
        }
    }
    Ok(())
}

/// How many batches the walk keeps, their blobs read, while the parsing side
/// is behind, before it waits.
pub(super) const STOLEN: usize = 16;

/// Sends a batch, in order after the kept ones. While the parsing side is
/// behind (the channel is full), the walk reads the batch's blobs itself and
/// keeps it instead of waiting: the two threads share the work. Returns
/// false when the receiving side is gone.
pub(super) fn send(
    tx: &SyncSender<Result<Batch>>,
    odb: &git2::Odb<'_>,
    stolen: &mut std::collections::VecDeque<Batch>,
    batch: Batch,
    (dir, commits): (&str, &dyn Fn(usize) -> Oid),
) -> Result<bool> {
    stolen.push_back(batch);
    while let Some(front) = stolen.pop_front() {
        match tx.try_send(Ok(front)) {
            Ok(()) => {}
            Err(TrySendError::Full(Ok(front))) => {
                stolen.push_front(front);
                break;
            }
            Err(_) => return Ok(false),
        }
    }
    if let Some(last) = stolen.back_mut() {
        for changes in &mut last.changes {
            for change in &mut changes.files {
                if let (Some(id), None) = (&change.blob, &change.content) {
                    let blob = read_blob(odb, id).map_err(|e| {
                        e.object_context(|| file_at(dir, &change.name, &commits(changes.index)))
                    })?;
                    change.content = Some(blob);
                }
            }
        }
    }
    if stolen.len() > STOLEN
        && let Some(front) = stolen.pop_front()
        && tx.send(Ok(front)).is_err()
    {
        return Ok(false);
    }
    Ok(true)
}

/// "`register/aws.toml` at commit …", for messages about a missing blob.
pub fn file_at(dir: &str, name: &str, commit: &Oid) -> String {
    format!("`{dir}/{name}` at commit {}", hex(commit))
}
