//! Reading trees and files at a revision: tree ids, one file, the
//! register dir listed or read whole, and what differs between two.

use super::{Repo, oid, walk};
use crate::commit::{Oid, hex};
use crate::error::{Error, Result};
use crate::register::{Entry, EntryKind, MAX_FILE_SIZE, Revision};
use std::path::Path;

/// A file's versions along a line: the commit where its content changed,
/// and that content (`None`: gone).
pub type Versions = Vec<(Oid, Option<Vec<u8>>)>;

/// What a repository handle has looked up already, by (commit, path).
#[derive(Default)]
pub struct Seen {
    trees: std::collections::HashMap<(String, String), Option<String>>,
    files: std::collections::HashMap<(String, String), Option<Vec<u8>>>,
}

/// Files up to this size are kept once read (subledger.toml, templates).
const KEPT_FILE: usize = 64 * 1024;

impl Repo {
    /// The id of the tree at `path` in `rev`, if there is one.
    pub fn tree_id(&self, rev: &Revision, path: &str) -> Result<Option<String>> {
        let key = (rev.commit.clone(), path.to_owned());
        if let Some(id) = self.seen.borrow().trees.get(&key) {
            return Ok(id.clone());
        }
        let tree = self.tree(rev)?;
        let id = match tree.get_path(Path::new(path)) {
            Ok(entry) if entry.kind() == Some(git2::ObjectType::Tree) => {
                Some(entry.id().to_string())
            }
            Ok(_) => None,
            Err(e) if e.code() == git2::ErrorCode::NotFound => None,
            Err(source) => {
                return Err(self.git_error(format!("reading `{}:{path}`", rev.spec), source));
            }
        };
        self.seen.borrow_mut().trees.insert(key, id.clone());
        Ok(id)
    }

    fn tree(&self, rev: &Revision) -> Result<git2::Tree<'_>> {
        let git = |source| self.git_error(format!("reading the tree of `{}`", rev.spec), source);
        let oid = git2::Oid::from_str(&rev.commit).map_err(git)?;
        self.repo
            .find_commit(oid)
            .and_then(|c| c.tree())
            .map_err(git)
    }

    /// Each version of each file of `paths` (all inside the directory
    /// `dir`) along `commits`, oldest first, from its first appearance: the
    /// commit where its content changed and that content (`None`: gone). A commit whose `dir`
    /// is the tree it was before is skipped after one lookup, and only
    /// changed versions are read.
    pub fn file_versions(
        &self,
        commits: &[Oid],
        dir: &str,
        paths: &[String],
    ) -> Result<Vec<Versions>> {
        let mut versions: Vec<Versions> = vec![Vec::new(); paths.len()];
        let mut last: Vec<Option<git2::Oid>> = vec![None; paths.len()];
        let mut last_dir: Option<Option<git2::Oid>> = None;
        for id in commits {
            let git = |source| self.git_error(format!("reading `{}:{dir}`", hex(id)), source);
            let commit = git2::Oid::from_bytes(id)
                .and_then(|o| self.repo.find_commit(o))
                .map_err(git)?;
            let tree = commit.tree().map_err(git)?;
            let entry = |path: &str, kind| match tree.get_path(Path::new(path)) {
                Ok(entry) if entry.kind() == Some(kind) => Ok(Some(entry.id())),
                Ok(_) => Ok(None),
                Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
                Err(source) => Err(git(source)),
            };
            let dir_id = entry(dir, git2::ObjectType::Tree)?;
            if last_dir == Some(dir_id) {
                continue;
            }
            last_dir = Some(dir_id);
            for (i, path) in paths.iter().enumerate() {
                let blob = match dir_id {
                    Some(_) => entry(path, git2::ObjectType::Blob)?,
                    None => None,
                };
                // Absent until it first appears is no version.
                if last[i] == blob {
                    continue;
                }
                last[i] = blob;
                let content = match blob {
                    Some(b) => Some(self.repo.find_blob(b).map_err(git)?.content().to_vec()),
                    None => None,
                };
                versions[i].push((*id, content));
            }
        }
        Ok(versions)
    }

    /// The bytes of the file at `path` in `rev`, or `None` if there is none.
    pub fn read_file(&self, rev: &Revision, path: &str) -> Result<Option<Vec<u8>>> {
        let key = (rev.commit.clone(), path.to_owned());
        if let Some(bytes) = self.seen.borrow().files.get(&key) {
            return Ok(bytes.clone());
        }
        let bytes = self.read_file_once(rev, path)?;
        if bytes.as_ref().is_none_or(|b| b.len() <= KEPT_FILE) {
            self.seen.borrow_mut().files.insert(key, bytes.clone());
        }
        Ok(bytes)
    }

    fn read_file_once(&self, rev: &Revision, path: &str) -> Result<Option<Vec<u8>>> {
        let tree = self.tree(rev)?;
        let entry = match tree.get_path(Path::new(path)) {
            Ok(entry) => entry,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(source) => {
                return Err(
                    self.git_error(format!("looking up `{path}` in `{}`", rev.spec), source)
                );
            }
        };
        if entry.kind() != Some(git2::ObjectType::Blob) {
            return Ok(None);
        }
        let blob = self
            .repo
            .find_blob(entry.id())
            .map_err(|source| self.git_error(format!("reading `{}:{path}`", rev.spec), source))?;
        Ok(Some(blob.content().to_vec()))
    }

    /// The names, kinds and blob ids in the directory at `path` in `rev`,
    /// without reading any file; `None` when there is no such directory.
    pub fn list_dir(
        &self,
        rev: &Revision,
        path: &str,
    ) -> Result<Option<Vec<(String, EntryKind, Oid)>>> {
        let tree = self.tree(rev)?;
        let git = |source| self.git_error(format!("reading `{}:{path}`", rev.spec), source);
        let entry = match tree.get_path(Path::new(path)) {
            Ok(entry) if entry.kind() == Some(git2::ObjectType::Tree) => entry,
            Ok(_) => return Ok(None),
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(source) => return Err(git(source)),
        };
        let dir = self.repo.find_tree(entry.id()).map_err(git)?;
        Ok(Some(
            dir.iter()
                .map(|item| {
                    let kind = match item.filemode() {
                        0o100644 | 0o100755 | 0o100664 => EntryKind::File,
                        0o120000 => EntryKind::Symlink,
                        0o040000 => EntryKind::Dir,
                        _ => EntryKind::Other,
                    };
                    (
                        String::from_utf8_lossy(item.name_bytes()).into_owned(),
                        kind,
                        walk::to_oid(item.id()),
                    )
                })
                .collect(),
        ))
    }

    /// The entries of the directory at `path` that differ between `from`
    /// (`None`: nothing) and `to`, read from the raw trees.
    /// The entries that differ between the directory at `from` (`None`:
    /// nothing) and the one at `to`, each a (revision, path) pair: the
    /// register may be at another path in each.
    pub fn dir_changes(
        &self,
        from: Option<(&Revision, &str)>,
        to: (&Revision, &str),
    ) -> Result<Vec<walk::DirChange>> {
        let git = |source| self.git_error(format!("reading `{}:{}`", to.0.spec, to.1), source);
        let odb = self.repo.odb().map_err(git)?;
        let dir = |(rev, path): (&Revision, &str)| -> Result<Vec<u8>> {
            let parts: Vec<String> = path
                .split('/')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect();
            let commit = self.repo.find_commit(oid(&rev.commit)?).map_err(git)?;
            let tree = walk::subtree(&odb, walk::to_oid(commit.tree_id()), &parts)?;
            match tree {
                Some(id) => Ok(walk::read(&odb, id)?.data().to_vec()),
                None => Ok(Vec::new()),
            }
        };
        let old = match from {
            Some(side) => dir(side)?,
            None => Vec::new(),
        };
        Ok(walk::tree_changes(&old, &dir(to)?))
    }

    /// A blob's bytes (`None` when over [`MAX_FILE_SIZE`]) and size.
    pub fn blob(&self, id: &Oid) -> Result<(Option<Vec<u8>>, u64)> {
        let git = |source| self.git_error(format!("reading blob {}", hex(id)), source);
        let odb = self.repo.odb().map_err(git)?;
        let object =
            walk::read_kind(&odb, *id, "blob").map_err(|e| e.in_partial_clone(self.partial))?;
        let size = object.data().len() as u64;
        if size > MAX_FILE_SIZE {
            return Ok((None, size));
        }
        Ok((Some(object.data().to_vec()), size))
    }

    /// The entries of the directory at `path` in `rev`, sorted by name.
    /// Blobs over [`MAX_FILE_SIZE`] are listed but not read.
    pub fn read_dir(&self, rev: &Revision, path: &str) -> Result<Vec<Entry>> {
        let tree = self.tree(rev)?;
        let git = |source| self.git_error(format!("reading `{}:{path}`", rev.spec), source);
        let entry = match tree.get_path(Path::new(path)) {
            Ok(entry) => entry,
            Err(e) if e.code() == git2::ErrorCode::NotFound => {
                return Err(Error::NotInRevision {
                    rev: rev.spec.clone(),
                    path: path.to_owned(),
                });
            }
            Err(source) => return Err(git(source)),
        };
        if entry.kind() != Some(git2::ObjectType::Tree) {
            return Err(Error::NotADirInRevision {
                rev: rev.spec.clone(),
                path: path.to_owned(),
            });
        }
        let dir = self.repo.find_tree(entry.id()).map_err(git)?;
        let odb = self.repo.odb().map_err(git)?;
        let mut entries = Vec::with_capacity(dir.len());
        for item in dir.iter() {
            let name = String::from_utf8_lossy(item.name_bytes()).into_owned();
            let kind = match item.filemode() {
                0o100644 | 0o100755 | 0o100664 => EntryKind::File,
                0o120000 => EntryKind::Symlink,
                0o040000 => EntryKind::Dir,
                _ => EntryKind::Other,
            };
            let (size, content) = if kind == EntryKind::File {
                let (size, _) = odb.read_header(item.id()).map_err(git)?;
                let size = size as u64;
                let content = if size <= MAX_FILE_SIZE {
                    Some(
                        self.repo
                            .find_blob(item.id())
                            .map_err(git)?
                            .content()
                            .to_vec(),
                    )
                } else {
                    None
                };
                (size, content)
            } else {
                (0, None)
            };
            entries.push(Entry {
                name,
                kind,
                size,
                content,
            });
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }
}
