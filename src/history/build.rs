//! Writing history: commits and tags made in-process with fixed signatures,
//! for `subledger demo` (and, later, releases).

use super::tune_libgit2;
use crate::error::{Error, Result};
use std::path::Path;

/// Who and when, for a commit or a tag.
#[derive(Clone, Copy, Debug)]
pub struct Stamp<'a> {
    pub name: &'a str,
    pub email: &'a str,
    /// Seconds since the Unix epoch.
    pub time: i64,
    /// UTC offset in minutes.
    pub offset: i32,
}

impl Stamp<'_> {
    fn signature(&self) -> Result<git2::Signature<'static>> {
        git2::Signature::new(
            self.name,
            self.email,
            &git2::Time::new(self.time, self.offset),
        )
        .map_err(|source| git("making a signature", source))
    }
}

fn git(doing: &str, source: git2::Error) -> Error {
    Error::Git {
        doing: doing.to_owned(),
        source: source.into(),
    }
}

/// A new repository with a work tree, written to commit by commit.
pub struct Builder {
    repo: git2::Repository,
}

impl Builder {
    /// `git init -b BRANCH DIR`.
    pub fn init(dir: &Path, branch: &str) -> Result<Builder> {
        tune_libgit2();
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head(branch);
        let repo = git2::Repository::init_opts(dir, &opts).map_err(|source| {
            git(
                &format!("creating a repository in {}", dir.display()),
                source,
            )
        })?;
        Ok(Builder { repo })
    }

    /// Writes `files` (path, content; `None` deletes) into the work tree,
    /// stages them and commits on HEAD with `parents` (HEAD's commit first
    /// unless `parents` is given). Returns the commit id.
    pub fn commit(
        &self,
        files: &[(&str, Option<&str>)],
        stamp: Stamp<'_>,
        message: &str,
        extra_parent: Option<&str>,
    ) -> Result<String> {
        let workdir = self.repo.workdir().ok_or_else(|| Error::Usage {
            what: "the demo repository has no work tree".to_owned(),
            hint: None,
        })?;
        let mut index = self.repo.index().map_err(|e| git("reading the index", e))?;
        for (path, content) in files {
            let full = workdir.join(path);
            match content {
                Some(text) => {
                    if let Some(parent) = full.parent() {
                        std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                            path: parent.to_owned(),
                            source,
                        })?;
                    }
                    std::fs::write(&full, text).map_err(|source| Error::Write {
                        path: full.clone(),
                        source,
                    })?;
                    index
                        .add_path(Path::new(path))
                        .map_err(|e| git(&format!("staging {path}"), e))?;
                }
                None => {
                    std::fs::remove_file(&full).map_err(|source| Error::Write {
                        path: full.clone(),
                        source,
                    })?;
                    index
                        .remove_path(Path::new(path))
                        .map_err(|e| git(&format!("removing {path}"), e))?;
                }
            }
        }
        index.write().map_err(|e| git("writing the index", e))?;
        let tree_id = index.write_tree().map_err(|e| git("writing a tree", e))?;
        let tree = self
            .repo
            .find_tree(tree_id)
            .map_err(|e| git("reading a tree", e))?;
        let sig = stamp.signature()?;
        let mut parents = Vec::new();
        if let Ok(head) = self.repo.head().and_then(|h| h.peel_to_commit()) {
            parents.push(head);
        }
        if let Some(id) = extra_parent {
            let oid = git2::Oid::from_str(id).map_err(|e| git("reading a commit id", e))?;
            parents.push(
                self.repo
                    .find_commit(oid)
                    .map_err(|e| git("reading a commit", e))?,
            );
        }
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let id = self
            .repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .map_err(|e| git("committing", e))?;
        Ok(id.to_string())
    }

    /// Points HEAD at a new or existing local branch and checks it out.
    pub fn switch(&self, branch: &str, start: Option<&str>) -> Result<()> {
        if let Some(start) = start {
            let oid = git2::Oid::from_str(start).map_err(|e| git("reading a commit id", e))?;
            let commit = self
                .repo
                .find_commit(oid)
                .map_err(|e| git("reading a commit", e))?;
            self.repo
                .branch(branch, &commit, true)
                .map_err(|e| git(&format!("creating branch {branch}"), e))?;
        }
        self.repo
            .set_head(&format!("refs/heads/{branch}"))
            .map_err(|e| git(&format!("switching to {branch}"), e))?;
        let mut checkout = git2::build::CheckoutBuilder::new();
        checkout.force();
        self.repo
            .checkout_head(Some(&mut checkout))
            .map_err(|e| git(&format!("checking out {branch}"), e))
    }

    /// Deletes a local branch (its commits stay reachable through merges).
    pub fn delete_branch(&self, branch: &str) -> Result<()> {
        self.repo
            .find_branch(branch, git2::BranchType::Local)
            .and_then(|mut b| b.delete())
            .map_err(|e| git(&format!("deleting branch {branch}"), e))
    }
}
