//! Release tags: listing the tags with a prefix, and writing them:
//! annotated tags made under git's lock on the ref, and signed tags through
//! the user's own git (`git tag -s`).

use super::{Repo, oid, refs, walk};
use crate::commit::Oid;
use crate::commit::Signature;
use crate::error::{Error, Result};

/// What a tag finally points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagTarget {
    Commit(Oid),
    /// A tree or a blob (or a chain of tags that never ends): not a release.
    Other {
        kind: &'static str,
        id: Oid,
    },
}

/// A tag, peeled to what it names.
#[derive(Clone, Debug)]
pub struct Tag {
    pub name: String,
    pub target: TagTarget,
    /// The tagger for annotated tags.
    pub tagger: Option<Signature>,
    /// The tag message for annotated tags.
    pub message: Option<String>,
}

impl Repo {
    /// Every tag whose name starts with `prefix`, sorted by name, peeled
    /// to what it points at: a commit, or (an irregular tag) a tree or a
    /// blob. Refs git would refuse are an error naming the file and line.
    pub fn tags(&self, prefix: &str) -> Result<Vec<Tag>> {
        let mut tags = Vec::new();
        for (full, value) in refs::tag_refs(self.repo.commondir())? {
            let name = &full["refs/tags/".len()..];
            if !name.starts_with(prefix) {
                continue;
            }
            let doing = || format!("reading tag `{name}`");
            let start = match value {
                refs::RefValue::Direct(id) => id,
                refs::RefValue::Symbolic(target) => self
                    .repo
                    .refname_to_id(&target)
                    .map(walk::to_oid)
                    .map_err(|source| self.git_error(doing(), source))?,
            };
            // Follow tag objects to what the tag finally names.
            let (mut id, mut annotated, mut depth) = (start, None, 0);
            let target = loop {
                let object = self
                    .repo
                    .find_object(
                        git2::Oid::from_bytes(&id).map_err(|e| self.git_error(doing(), e))?,
                        None,
                    )
                    .map_err(|source| {
                        self.git_error(doing(), source)
                            .object_context(|| format!("what tag `{name}` points at"))
                    })?;
                match object.kind() {
                    // Tags of tags are legal; git peels up to this deep.
                    Some(git2::ObjectType::Tag) if depth < 16 => {
                        depth += 1;
                        let tag = object.into_tag().map_err(|_| Error::History {
                            what: format!("tag `{name}`: a tag object that cannot be read"),
                            hint: None,
                        })?;
                        id = walk::to_oid(tag.target_id());
                        annotated.get_or_insert(tag);
                    }
                    Some(git2::ObjectType::Commit) => break TagTarget::Commit(id),
                    Some(git2::ObjectType::Tree) => break TagTarget::Other { kind: "tree", id },
                    Some(git2::ObjectType::Blob) => break TagTarget::Other { kind: "blob", id },
                    _ => break TagTarget::Other { kind: "object", id },
                }
            };
            tags.push(Tag {
                name: name.to_owned(),
                target,
                tagger: annotated.as_ref().and_then(|t| {
                    let sig = t.tagger()?;
                    Some(Signature {
                        name: String::from_utf8_lossy(sig.name_bytes()).into_owned(),
                        email: String::from_utf8_lossy(sig.email_bytes()).into_owned(),
                        time: sig.when().seconds(),
                        offset: sig.when().offset_minutes(),
                    })
                }),
                message: annotated.as_ref().and_then(|t| {
                    t.message_bytes()
                        .map(|m| String::from_utf8_lossy(m).into_owned())
                }),
            });
        }
        Ok(tags)
    }

    /// Whether a tag of this name exists.
    pub fn tag_exists(&self, name: &str) -> bool {
        self.repo
            .find_reference(&format!("refs/tags/{name}"))
            .is_ok()
    }

    /// Whether `name` is a valid tag name for git.
    pub fn valid_tag_name(name: &str) -> bool {
        git2::Reference::is_valid_name(&format!("refs/tags/{name}"))
    }

    /// Who git says the user is (user.name and user.email), with `time`
    /// (seconds, UTC) or now.
    pub fn tagger(&self, time: Option<i64>) -> Result<Signature> {
        let sig = self
            .repo
            .signature()
            .map_err(|e| Error::NoGitIdentity(e.into()))?;
        Ok(Signature {
            name: String::from_utf8_lossy(sig.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(sig.email_bytes()).into_owned(),
            time: time.unwrap_or(sig.when().seconds()),
            offset: if time.is_some() {
                0
            } else {
                sig.when().offset_minutes()
            },
        })
    }

    /// Creates an annotated tag on `commit`. Fails, changing nothing, when
    /// the tag exists (git's reference locking makes this atomic).
    pub fn create_tag(
        &self,
        name: &str,
        commit: &str,
        tagger: &Signature,
        message: &str,
    ) -> Result<()> {
        let git = |source| self.git_error(format!("creating tag {name}"), source);
        let object = self
            .repo
            .find_object(oid(commit)?, Some(git2::ObjectType::Commit))
            .map_err(git)?;
        let sig = git2::Signature::new(
            &tagger.name,
            &tagger.email,
            &git2::Time::new(tagger.time, tagger.offset),
        )
        .map_err(git)?;
        // The tag object first; then the ref, made under git's lock on it
        // and only if it does not exist while the lock is held (libgit2's
        // own check comes before its lock: two racing releases would both
        // have "made" the tag, the second over the first).
        let tag = self
            .repo
            .tag_annotation_create(name, &object, &sig, message)
            .map_err(git)?;
        let refname = format!("refs/tags/{name}");
        let mut transaction = self.repo.transaction().map_err(git)?;
        transaction.lock_ref(&refname).map_err(|source| match source.code() {
            git2::ErrorCode::Locked => Error::Refused {
                what: format!(
                    "tag `{name}` is being made by another release right now; nothing was changed"
                ),
                hint: Some("look at `git tag --list`, and run `subledger release` again if it is still needed".to_owned()),
            },
            _ => git(source),
        })?;
        if self.repo.find_reference(&refname).is_ok() {
            return Err(Error::Refused {
                what: format!(
                    "tag `{name}` already exists (made a moment ago by another release); nothing was changed"
                ),
                hint: Some("run `subledger release` again for the next name".to_owned()),
            });
        }
        transaction
            .set_target(&refname, tag, None, &format!("subledger release {name}"))
            .and_then(|()| transaction.commit())
            .map_err(git)?;
        Ok(())
    }

    /// Makes a signed annotated tag through the user's own git (`git tag
    /// -s`), with their signing setup; `time` is the tagger's time.
    pub fn sign_tag(
        &self,
        name: &str,
        commit: &str,
        message: &str,
        time: Option<i64>,
    ) -> Result<()> {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let refuse = |what: String, hint: &str| Error::refused(what, hint);
        let mut command = Command::new("git");
        command
            .current_dir(self.workdir().unwrap_or_else(|| self.repo.path()))
            .args(["tag", "-s", "-F", "-", name, commit])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(t) = time {
            command.env("GIT_COMMITTER_DATE", format!("@{t} +0000"));
        }
        let mut run = || -> std::io::Result<std::process::Output> {
            let mut child = command.spawn()?;
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(message.as_bytes())?;
            }
            child.wait_with_output()
        };
        let output = run().map_err(|e| {
            refuse(
                format!("a signed tag is made by git, and git could not be run: {e}"),
                "put git on PATH, or release without --sign",
            )
        })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(refuse(
                format!(
                    "git could not sign the tag: {}",
                    stderr.trim().lines().last().unwrap_or("unknown error")
                ),
                "set up signing (git config user.signingkey, gpg.format), or release without --sign",
            ));
        }
        Ok(())
    }
}
