//! The first-parent walk over the register dir, tuned as
//! ../shared/PERFORMANCE.md records: raw commit and tree objects read from the
//! object database, unchanged register trees skipped by id, and consecutive
//! register trees diffed by their raw bytes (identical prefix and suffix
//! skipped, the middle merge-joined).

mod changes;
mod dirs;
mod line;
mod merges;
mod objects;
mod share;
mod tree;

pub use crate::commit::{CommitMeta, Oid, Signature, hex};
pub use changes::Origin;
pub use dirs::{DirOf, DirRule};
pub use line::{Line, first_parent_line, first_parent_skeleton};
pub use objects::Blob;
pub(crate) use objects::{commit_meta, commit_tree, read, read_kind, to_oid};
pub use tree::DirChange;
pub(crate) use tree::{subtree, tree_changes, tree_entries};

use crate::error::Result;
use crate::history::graph::Graph;
use crate::register::EntryKind;
use objects::Blobs;
use share::{Batch, Plan, file_at};
use std::collections::{HashSet, VecDeque};
use std::sync::mpsc::Receiver;

/// What to walk: commits of the first-parent line, oldest first.
pub struct Walk {
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
    /// The commit-graph the line was read from, if it was: then each
    /// commit's object is read and checked against it, and its metadata
    /// comes back as [`Step::Commits`].
    pub graph: Option<Graph>,
    /// Commits a shallow clone has without their parents.
    pub shallow: HashSet<Oid>,
    /// The register dir at the tip, for messages about a missing blob.
    pub tip_dir: String,
}

/// One step of the walk, in the line's order.
#[derive(Debug)]
pub enum Step {
    /// Commits read from their objects, from line position `from`: the
    /// commit-graph gave only their ids, trees and parents.
    Commits {
        from: usize,
        commits: Vec<CommitMeta>,
    },
    /// The register entries the commit at line position `index` changed.
    Changed { index: usize, files: Vec<Changed> },
}

/// One entry of the register dir that differs from the commit before: a
/// vendor file, or anything else the ledger must name.
#[derive(Debug)]
pub struct Changed {
    pub name: String,
    /// The new entry's kind, or `None` when it was deleted.
    pub kind: Option<EntryKind>,
    /// The old entry's kind, or `None` when it is new.
    pub old_kind: Option<EntryKind>,
    /// The new blob of a regular file.
    pub content: Option<Blob>,
    /// For a merge commit: where the change was made.
    pub authored_in: Option<Origin>,
}

/// The register's changes along the line, as an iterator of [`Step`]s.
/// The walk runs on a thread of its own and the two sides share the work
/// of reading blobs; each `Changed` comes with its blobs read.
pub struct Changes {
    batches: Option<Receiver<Result<Batch>>>,
    blobs: Blobs,
    queue: VecDeque<Raw>,
    /// The walked commits' ids, for messages.
    commits: Vec<Oid>,
    offset: usize,
    tip_dir: String,
    partial: bool,
}

/// A batch taken apart, in order.
enum Raw {
    Commits {
        from: usize,
        commits: Vec<CommitMeta>,
    },
    Changes(share::CommitChanges),
}

impl super::Repo {
    /// Starts walking `walk`'s commits.
    pub fn register_changes(&self, walk: Walk) -> Result<Changes> {
        let blobs = Blobs::open(&self.git_dir())?;
        let commits = walk.commits.iter().map(|c| c.0).collect();
        let (offset, tip_dir, partial) = (walk.offset, walk.tip_dir, self.is_partial());
        let batches = (!walk.commits.is_empty()).then(|| {
            share::spawn(Plan {
                git_dir: self.git_dir(),
                commits: walk.commits,
                offset: walk.offset,
                dir: walk.dir,
                before_root: walk.before_root,
                line: walk.line,
                graph: walk.graph,
                shallow: walk.shallow,
                partial,
            })
        });
        Ok(Changes {
            batches,
            blobs,
            queue: VecDeque::new(),
            commits,
            offset,
            tip_dir,
            partial,
        })
    }
}

impl Changes {
    /// The commit's register entries, each regular file's blob read.
    fn read(&self, index: usize, files: Vec<changes::FileChange>) -> Result<Step> {
        let commit = self.commits[index - self.offset];
        let files = files
            .into_iter()
            .map(|f| {
                let content = match (f.content, &f.blob) {
                    (Some(content), _) => Some(content),
                    (None, Some(id)) => Some(self.blobs.read(id).map_err(|e| {
                        e.object_context(|| file_at(&self.tip_dir, &f.name, &commit))
                            .in_partial_clone(self.partial)
                    })?),
                    (None, None) => None,
                };
                Ok(Changed {
                    name: f.name,
                    kind: f.kind,
                    old_kind: f.old_kind,
                    content,
                    authored_in: f.authored_in,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Step::Changed { index, files })
    }
}

impl Iterator for Changes {
    type Item = Result<Step>;

    fn next(&mut self) -> Option<Result<Step>> {
        loop {
            match self.queue.pop_front() {
                Some(Raw::Commits { from, commits }) => {
                    return Some(Ok(Step::Commits { from, commits }));
                }
                // Blobs are read as each commit's changes are taken, so
                // what comes before a missing blob is seen first.
                Some(Raw::Changes(changes)) => {
                    return Some(self.read(changes.index, changes.files));
                }
                None => {}
            }
            let batch = match self.batches.as_ref()?.recv() {
                Ok(Ok(batch)) => batch,
                Ok(Err(e)) => {
                    self.batches = None;
                    return Some(Err(e));
                }
                Err(_) => {
                    self.batches = None;
                    return None;
                }
            };
            if !batch.metas.is_empty() {
                self.queue.push_back(Raw::Commits {
                    from: batch.metas_from,
                    commits: batch.metas,
                });
            }
            self.queue
                .extend(batch.changes.into_iter().map(Raw::Changes));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::objects::*;
    use super::tree::*;
    use super::*;

    fn tree(entries: &[(&str, &str, u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name, id) in entries {
            out.extend_from_slice(mode.as_bytes());
            out.push(b' ');
            out.extend_from_slice(name.as_bytes());
            out.push(0);
            out.extend_from_slice(&[*id; 20]);
        }
        out
    }

    fn names(old: &[(&str, &str, u8)], new: &[(&str, &str, u8)]) -> Vec<(String, bool)> {
        let old = tree(old);
        let new_data = tree(new);
        let (changes, starts) = diff_raw(&old, &entry_starts(&old), &new_data);
        assert_eq!(starts, entry_starts(&new_data));
        changes
            .into_iter()
            .map(|(n, _, e)| (String::from_utf8(n.to_vec()).unwrap(), e.is_some()))
            .collect()
    }

    /// A changed name with its old and new ids.
    type Named = (Vec<u8>, Option<Oid>, Option<Oid>);

    /// The naive diff: every entry of both trees parsed and merge-joined.
    fn naive(old: &[u8], new: &[u8]) -> Vec<Named> {
        let parse = |data| {
            entry_starts(data)
                .into_iter()
                .filter_map(|at| entry_at(data, at))
                .collect::<Vec<_>>()
        };
        let (a, b) = (parse(old), parse(new));
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let order = match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) => x.cmp_key(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            match order {
                std::cmp::Ordering::Less => {
                    out.push((a[i].name.to_vec(), Some(a[i].oid()), None));
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push((b[j].name.to_vec(), None, Some(b[j].oid())));
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    if a[i].id != b[j].id || a[i].mode != b[j].mode {
                        out.push((b[j].name.to_vec(), Some(a[i].oid()), Some(b[j].oid())));
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        out
    }

    /// Random trees and random edits (added, deleted, changed entries, runs
    /// of identical ids, names that are prefixes of each other, subtrees):
    /// the skipping diff finds exactly what the naive one finds, and the
    /// new tree's entry offsets.
    #[test]
    fn raw_tree_diff_equals_the_naive_diff() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut rng = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let build = |entries: &std::collections::BTreeMap<String, (bool, u8)>| {
            let mut sorted: Vec<(String, bool, u8)> = entries
                .iter()
                .map(|(n, (t, id))| (n.clone(), *t, *id))
                .collect();
            // Git's order: a subtree sorts as if its name ended in `/`.
            sorted.sort_by_key(|(n, t, _)| format!("{n}{}", if *t { "/" } else { "" }));
            let mut out = Vec::new();
            for (name, tree, id) in sorted {
                out.extend_from_slice(if tree { b"40000 " } else { b"100644 " });
                out.extend_from_slice(name.as_bytes());
                out.push(0);
                out.extend_from_slice(&[id; 20]);
            }
            out
        };
        for _ in 0..300 {
            let mut old = std::collections::BTreeMap::new();
            for _ in 0..rng(60) {
                let name = format!("v{}{}", rng(40), [".toml", "", "-x.toml"][rng(3) as usize]);
                old.insert(name, (rng(10) == 0, rng(3) as u8));
            }
            let mut new = old.clone();
            for _ in 0..rng(6) {
                let name = format!("v{}{}", rng(40), [".toml", "", "-x.toml"][rng(3) as usize]);
                match rng(3) {
                    0 => {
                        new.remove(&name);
                    }
                    _ => {
                        new.insert(name, (rng(10) == 0, rng(3) as u8));
                    }
                }
            }
            let (a, b) = (build(&old), build(&new));
            let (changes, starts) = diff_raw(&a, &entry_starts(&a), &b);
            let got: Vec<Named> = changes
                .into_iter()
                .map(|(n, o, e)| (n.to_vec(), o.map(|o| o.oid()), e.map(|e| e.oid())))
                .collect();
            assert_eq!(got, naive(&a, &b));
            assert_eq!(starts, entry_starts(&b));
        }
    }

    #[test]
    fn raw_tree_diff_finds_every_kind_of_change() {
        let f = "100644";
        let base = [(f, "a.toml", 1), (f, "b.toml", 2), (f, "c.toml", 3)];
        assert_eq!(names(&base, &base), vec![]);
        assert_eq!(
            names(
                &base,
                &[(f, "a.toml", 1), (f, "b.toml", 9), (f, "c.toml", 3)]
            ),
            vec![("b.toml".to_owned(), true)]
        );
        assert_eq!(
            names(&base, &[(f, "a.toml", 1), (f, "c.toml", 3)]),
            vec![("b.toml".to_owned(), false)]
        );
        assert_eq!(
            names(
                &base,
                &[
                    (f, "a.toml", 1),
                    (f, "b.toml", 2),
                    (f, "bb.toml", 2),
                    (f, "c.toml", 3)
                ]
            ),
            vec![("bb.toml".to_owned(), true)]
        );
        assert_eq!(names(&[], &base).len(), 3);
        assert_eq!(names(&base, &[]).len(), 3);
        // A deleted entry whose neighbour has the same id: the identical
        // suffix must not swallow it.
        assert_eq!(
            names(&[(f, "a.toml", 1), (f, "b.toml", 1)], &[(f, "b.toml", 1)]),
            vec![("a.toml".to_owned(), false)]
        );
        // Mode change only.
        assert_eq!(
            names(
                &base,
                &[(f, "a.toml", 1), ("100755", "b.toml", 2), (f, "c.toml", 3)]
            ),
            vec![("b.toml".to_owned(), true)]
        );
    }

    #[test]
    fn signatures_parse_with_offsets() {
        let sig = parse_signature(b"Ada Auditor <ada@example.com> 1767261600 -0130").unwrap();
        assert_eq!(sig.name, "Ada Auditor");
        assert_eq!(sig.email, "ada@example.com");
        assert_eq!(sig.time, 1767261600);
        assert_eq!(sig.offset, -90);
    }
}
