//! Git access: the only module that uses git2.
//!
//! Everything else sees plain data: resolved [`Revision`]s, file bytes and
//! directory [`Entry`]s read from a commit's tree. Reading a revision never
//! touches the work tree or the index, so `check --rev` is safe to run in a
//! dirty checkout.

use crate::error::{Error, Result};
use crate::register::{Entry, EntryKind, MAX_FILE_SIZE, Revision};
use std::path::{Path, PathBuf};

/// An open repository.
pub struct Repo {
    repo: git2::Repository,
}

impl Repo {
    /// Opens the repository containing `path` (a work tree, a subdirectory of
    /// one, or a bare repository).
    pub fn discover(path: &Path) -> Result<Repo> {
        git2::Repository::discover(path)
            .map(|repo| Repo { repo })
            .map_err(|source| Error::NotARepository {
                path: path.to_owned(),
                source,
            })
    }

    /// The work tree's root, or `None` for a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// The git directory (`.git`, or the bare repository itself).
    pub fn git_dir(&self) -> PathBuf {
        self.repo.path().to_owned()
    }

    /// Resolves a revision as `git rev-parse REV^{commit}` would.
    pub fn resolve(&self, spec: &str) -> Result<Revision> {
        let object = self
            .repo
            .revparse_single(spec)
            .map_err(|source| Error::UnknownRevision {
                rev: spec.to_owned(),
                source,
            })?;
        let commit = object
            .peel_to_commit()
            .map_err(|source| Error::UnknownRevision {
                rev: spec.to_owned(),
                source,
            })?;
        Ok(Revision {
            spec: spec.to_owned(),
            commit: commit.id().to_string(),
        })
    }

    fn tree(&self, rev: &Revision) -> Result<git2::Tree<'_>> {
        let git = |source| Error::Git {
            doing: format!("reading the tree of `{}`", rev.spec),
            source,
        };
        let oid = git2::Oid::from_str(&rev.commit).map_err(git)?;
        self.repo
            .find_commit(oid)
            .and_then(|c| c.tree())
            .map_err(git)
    }

    /// The bytes of the file at `path` in `rev`, or `None` if there is none.
    pub fn read_file(&self, rev: &Revision, path: &str) -> Result<Option<Vec<u8>>> {
        let tree = self.tree(rev)?;
        let entry = match tree.get_path(Path::new(path)) {
            Ok(entry) => entry,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(source) => {
                return Err(Error::Git {
                    doing: format!("looking up `{path}` in `{}`", rev.spec),
                    source,
                });
            }
        };
        if entry.kind() != Some(git2::ObjectType::Blob) {
            return Ok(None);
        }
        let blob = self
            .repo
            .find_blob(entry.id())
            .map_err(|source| Error::Git {
                doing: format!("reading `{}:{path}`", rev.spec),
                source,
            })?;
        Ok(Some(blob.content().to_vec()))
    }

    /// The entries of the directory at `path` in `rev`, sorted by name.
    /// Blobs over [`MAX_FILE_SIZE`] are listed but not read.
    pub fn read_dir(&self, rev: &Revision, path: &str) -> Result<Vec<Entry>> {
        let tree = self.tree(rev)?;
        let git = |source| Error::Git {
            doing: format!("reading `{}:{path}`", rev.spec),
            source,
        };
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
