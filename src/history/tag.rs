//! Writing release tags: annotated tags made under git's lock on the ref,
//! and signed tags through the user's own git (`git tag -s`).

use super::{Repo, oid};
use crate::commit::Signature;
use crate::error::{Error, Result};

impl Repo {
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
                    "tag `{name}` is being made by another release right now; nothing was changed: look at `git tag --list` and run `subledger release` again if it is still needed"
                ),
            },
            _ => git(source),
        })?;
        if self.repo.find_reference(&refname).is_ok() {
            return Err(Error::Refused {
                what: format!(
                    "tag `{name}` already exists (made a moment ago by another release); nothing was changed: run `subledger release` again for the next name"
                ),
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
        let refuse = |what: String| Error::Refused { what };
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
            refuse(format!(
                "--sign needs git on PATH to make a signed tag: {e}"
            ))
        })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(refuse(format!(
                "git could not sign the tag: {}; set up signing (git config user.signingkey, gpg.format) or release without --sign",
                stderr.trim().lines().last().unwrap_or("unknown error")
            )));
        }
        Ok(())
    }
}
