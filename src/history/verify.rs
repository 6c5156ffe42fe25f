//! Reading and hashing every object a release vouches for: `verify`
//! checks that its commit, trees and vendor files still match their ids.

use super::{Repo, git_error, walk};
use crate::commit::{Oid, hex};
use crate::error::{Error, Result};
use crate::register::EntryKind;
use std::collections::HashSet;

/// What checking one release's trees gives: how many files its register
/// dir holds, what does not match its id, and the files still to check
/// (id, and what the file is).
type Checked = (usize, Vec<String>, Vec<(Oid, String)>);

impl Repo {
    /// Reads every object each release vouches for, checking each against
    /// its id (the fast path elsewhere skips that): the commit, the trees
    /// down to the register dir at `path`, and every file in it. An object
    /// shared by several releases is checked once, for the first. Returns,
    /// per release (by position in `commits`), how many files its register
    /// dir holds and a sentence for each object that does not match its id.
    /// The files are read and hashed by two threads.
    pub fn verify_releases(
        &self,
        commits: &[Oid],
        path: &str,
    ) -> Result<Vec<(usize, Vec<String>)>> {
        let mut seen: HashSet<Oid> = HashSet::new();
        let mut out: Vec<(usize, Vec<String>)> = Vec::with_capacity(commits.len());
        // Files to check: (release, blob, what it is).
        let mut files: Vec<(usize, Oid, String)> = Vec::new();
        for (r, commit) in commits.iter().enumerate() {
            let (count, problems, blobs) = self.verify_trees(commit, path, &mut seen)?;
            files.extend(blobs.into_iter().map(|(id, what)| (r, id, what)));
            out.push((count, problems));
        }
        let half = files.len() / 2;
        let second = self.reopen()?;
        let (a, b) = std::thread::scope(|scope| {
            let tail = &files[half..];
            let theirs = scope.spawn(move || second.hash_blobs(tail));
            let mine = self.hash_blobs(&files[..half]);
            let theirs = theirs.join().unwrap_or_else(|_| {
                Err(Error::History {
                    what: "checking the released files failed".to_owned(),
                    hint: None,
                })
            });
            (mine, theirs)
        });
        for (r, problem) in a?.into_iter().chain(b?) {
            out[r].1.push(problem);
        }
        Ok(out)
    }

    /// One release's commit and trees, hashed; its files not seen before.
    fn verify_trees(&self, commit: &Oid, path: &str, seen: &mut HashSet<Oid>) -> Result<Checked> {
        let git = |source| self.git_error(format!("reading commit {}", hex(commit)), source);
        let odb = self.repo.odb().map_err(git)?;
        let mut problems = Vec::new();
        let at = hex(commit);
        // One commit or tree, read and (the first time) hashed; its bytes.
        let mut check = |id: &Oid,
                         kind: git2::ObjectType,
                         what: &dyn Fn() -> String|
         -> Result<Option<Vec<u8>>> {
            let object = walk::read_kind(&odb, *id, kind.str())
                .map_err(|e| e.in_partial_clone(self.partial).object_context(what))?;
            let data = object.data().to_vec();
            if seen.insert(*id)
                && let Some(problem) = mismatch(id, kind, &data, what)?
            {
                problems.push(problem);
                return Ok(None);
            }
            Ok(Some(data))
        };
        let Some(data) = check(commit, git2::ObjectType::Commit, &|| format!("commit {at}"))?
        else {
            return Ok((0, problems, Vec::new()));
        };
        let Some(mut tree) = walk::commit_tree(&data) else {
            return Err(self.git_error(
                format!("reading commit {at}"),
                git2::Error::from_str("malformed commit object"),
            ));
        };
        let mut shown = String::new();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            let here = if shown.is_empty() {
                "the root tree".to_owned()
            } else {
                format!("`{shown}`")
            };
            let Some(data) = check(&tree, git2::ObjectType::Tree, &|| {
                format!("{here} at commit {at}")
            })?
            else {
                return Ok((0, problems, Vec::new()));
            };
            match walk::tree_entries(&data)
                .into_iter()
                .find(|(name, _, _)| name == part)
            {
                Some((_, EntryKind::Dir, id)) => tree = id,
                _ => return Ok((0, problems, Vec::new())),
            }
            shown = if shown.is_empty() {
                part.to_owned()
            } else {
                format!("{shown}/{part}")
            };
        }
        let Some(data) = check(&tree, git2::ObjectType::Tree, &|| {
            format!("`{path}` at commit {at}")
        })?
        else {
            return Ok((0, problems, Vec::new()));
        };
        let mut count = 0;
        let mut blobs = Vec::new();
        for (name, kind, id) in walk::tree_entries(&data) {
            if kind == EntryKind::File {
                count += 1;
                if seen.insert(id) {
                    blobs.push((id, format!("`{path}/{name}` at commit {at}")));
                }
            }
        }
        Ok((count, problems, blobs))
    }

    /// Reads and hashes files: (release, id, what) in, (release, problem)
    /// out for each that does not match its id.
    fn hash_blobs(&self, files: &[(usize, Oid, String)]) -> Result<Vec<(usize, String)>> {
        let git = |source| self.git_error("reading the released files", source);
        let odb = self.repo.odb().map_err(git)?;
        let mut problems = Vec::new();
        for (r, id, what) in files {
            let object = walk::read_kind(&odb, *id, "blob").map_err(|e| {
                e.in_partial_clone(self.partial)
                    .object_context(|| what.clone())
            })?;
            if let Some(problem) =
                mismatch(id, git2::ObjectType::Blob, object.data(), &|| what.clone())?
            {
                problems.push((*r, problem));
            }
        }
        Ok(problems)
    }
}

/// The sentence for an object whose content does not hash to its id.
fn mismatch(
    id: &Oid,
    kind: git2::ObjectType,
    data: &[u8],
    what: &dyn Fn() -> String,
) -> Result<Option<String>> {
    let actual = git2::Oid::hash_object(kind, data)
        .map_err(|source| git_error("hashing an object", source))?;
    Ok((actual.as_bytes() != id).then(|| {
        format!(
            "{} ({} {}) does not match its id: its content hashes to {actual}; the object store was altered (`git fsck --full` reports it)",
            what(),
            kind.str(),
            hex(id)
        )
    }))
}
