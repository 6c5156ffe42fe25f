//! Releases: tags with the configured prefix on the first-parent line,
//! the ones off it, and what a release's tag message records.

use super::trailers::Trailers;
use crate::commit::{CommitMeta, Oid, Signature, hex};
use crate::dates::format_date;
use crate::error::{Error, Result};
use crate::history::{self, Repo};
use crate::project::Project;
use crate::register::Revision;
use std::collections::HashMap;

/// A release: a tag with the configured prefix on the first-parent line.
#[derive(Clone, Debug)]
pub struct Release {
    pub name: String,
    /// Position of its commit on the line.
    pub index: usize,
    pub commit: Oid,
    /// The tagger for annotated tags; `None` for lightweight tags.
    pub tagger: Option<Signature>,
    /// The tag date: the tagger's for annotated tags, else the commit's.
    pub time: i64,
    pub offset: i32,
    pub message: Option<String>,
}

impl Release {
    /// The release as a revision: its tag name and commit.
    pub fn revision(&self) -> Revision {
        Revision {
            spec: self.name.clone(),
            commit: hex(&self.commit),
        }
    }

    /// Why this release was made, in the releaser's words: the note given
    /// to `subledger release --message` (the paragraphs between the tag
    /// message's title and its "Released …" paragraph), or, for a tag made
    /// by hand, its message without trailer lines. `None` when there is none.
    pub fn note(&self) -> Option<String> {
        let message = self.message.as_deref()?.replace("\r\n", "\n");
        // A signed tag's signature block is no part of the note.
        let message = match message.find("-----BEGIN ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        };
        let (title, body) = message.split_once("\n\n").unwrap_or((&message, ""));
        let ours = title.trim().starts_with("Sub-processor list ");
        let mut paragraphs: Vec<&str> = if ours { Vec::new() } else { vec![title.trim()] };
        for paragraph in body.split("\n\n").map(str::trim) {
            let trailers = !paragraph.is_empty()
                && paragraph.lines().all(|l| {
                    l.split_once(": ").is_some_and(|(k, _)| {
                        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    })
                });
            if (ours && paragraph.starts_with("Released ")) || trailers {
                break;
            }
            paragraphs.push(paragraph);
        }
        let note = paragraphs
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        (!note.is_empty()).then_some(note)
    }

    /// The lines `subledger release` writes at the end of the tag message
    /// (`Register-Tree:`, `Previous-Release:` ...).
    pub fn trailers(&self) -> Trailers {
        Trailers::parse(self.message.as_deref().unwrap_or_default())
    }

    /// The release date: its `Release-Date:` line (written by `subledger
    /// release`), else the tag date.
    pub fn date(&self) -> Option<time::Date> {
        self.trailers()
            .release_date
            .and_then(|d| crate::dates::parse_iso_date(&d))
            .or_else(|| crate::dates::parse_iso_date(&format_date(self.time, self.offset)))
    }
}

/// Something that does not hold about a release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Concern {
    /// Dated before its commit, or before the release before it.
    Dates(String),
    /// Its recorded register tree is not its commit's.
    Tree(String),
    /// What it records about the release before it disagrees with the line.
    Previous(String),
}

impl Concern {
    /// The sentence.
    pub fn text(&self) -> &str {
        match self {
            Concern::Dates(t) | Concern::Tree(t) | Concern::Previous(t) => t,
        }
    }
}

/// A tag with the release prefix that is not a release: it names a commit
/// off the first-parent line, or something that is not a commit at all.
#[derive(Clone, Debug)]
pub struct StrayTag {
    pub name: String,
    /// The object it names (a commit, unless `kind` says otherwise).
    pub commit: Oid,
    /// "commit", or "tree", "blob", "tag", "object" for a tag that does not
    /// lead to a commit.
    pub kind: &'static str,
}

impl StrayTag {
    /// Whether it names a commit (off the line) rather than a tree or blob.
    pub fn is_commit(&self) -> bool {
        self.kind == "commit"
    }

    /// What it names that is not a release: "not on the first-parent line
    /// of main", "a tree, not a commit".
    pub fn problem(&self, branch: &str) -> String {
        if self.is_commit() {
            format!("not on the first-parent line of {branch}")
        } else {
            format!("a {}, not a commit", self.kind)
        }
    }
}

/// The commit ids of the first-parent line ending at `tip`, oldest first,
/// and the releases on it.
pub fn releases_on_line(
    project: &Project,
    repo: &Repo,
    tip: &Revision,
) -> Result<(Vec<Oid>, Vec<Release>)> {
    let at = project.config_at(repo, tip)?;
    let (line, graph) = repo.skeleton(tip)?;
    let complete = graph.is_none();
    let (releases, _) = releases(
        repo,
        &at.config.register.tag_prefix,
        &line.commits,
        complete,
    )?;
    Ok((line.commits.iter().map(|c| c.id).collect(), releases))
}

/// Release tags on the line, ordered by position (then date, then name),
/// and the ones that are not on it. `complete`: whether the line's commits
/// have their authors (else a lightweight tag's commit is read for it).
pub(super) fn releases(
    repo: &Repo,
    prefix: &str,
    line: &[CommitMeta],
    complete: bool,
) -> Result<(Vec<Release>, Vec<StrayTag>)> {
    let position: HashMap<Oid, usize> = line.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut releases = Vec::new();
    let mut stray = Vec::new();
    for tag in repo.tags(prefix)? {
        let commit = match tag.target {
            history::TagTarget::Commit(id) => id,
            history::TagTarget::Other { kind, id } => {
                stray.push(StrayTag {
                    name: tag.name,
                    commit: id,
                    kind,
                });
                continue;
            }
        };
        if let Some(tagger) = &tag.tagger
            && time::OffsetDateTime::from_unix_timestamp(tagger.time).is_err()
        {
            return Err(Error::History {
                what: format!(
                    "tag {} is dated {} seconds after 1970, which is no date subledger can show (the calendar it prints ends in 9999)",
                    tag.name, tagger.time
                ),
                hint: Some("delete it and tag again".to_owned()),
            });
        }
        match position.get(&commit) {
            Some(&index) => {
                let (time, offset) = match &tag.tagger {
                    Some(t) => (t.time, t.offset),
                    None if complete => (line[index].commit_time, line[index].author.offset),
                    None => {
                        let meta = repo.commit_meta(&commit)?;
                        (meta.commit_time, meta.author.offset)
                    }
                };
                releases.push(Release {
                    name: tag.name,
                    index,
                    commit,
                    tagger: tag.tagger,
                    time,
                    offset,
                    message: tag.message,
                });
            }
            None => stray.push(StrayTag {
                name: tag.name,
                commit,
                kind: "commit",
            }),
        }
    }
    releases.sort_by(|a, b| (a.index, a.time, &a.name).cmp(&(b.index, b.time, &b.name)));
    Ok((releases, stray))
}

#[cfg(test)]
mod note_tests {
    use super::*;

    fn release(message: &str) -> Release {
        Release {
            name: "r/1".to_owned(),
            index: 0,
            commit: [0; 20],
            tagger: None,
            time: 0,
            offset: 0,
            message: Some(message.to_owned()),
        }
    }

    #[test]
    fn the_note_is_the_releasers_words_without_what_subledger_wrote() {
        let ours = "Sub-processor list r/1\n\nAdds Postmark for e-mail;\nmoves hosting to Frankfurt\n\nReleased 2026-07-01. Changes…\n\n2 changes:\n  added x\n\nRelease-Date: 2026-07-01\n";
        assert_eq!(
            release(ours).note().as_deref(),
            Some("Adds Postmark for e-mail;\nmoves hosting to Frankfurt")
        );
        let bare = "Sub-processor list r/1\n\nReleased 2026-07-01.\n\nRelease-Date: 2026-07-01\n";
        assert_eq!(release(bare).note(), None);
        let by_hand =
            "Adds Postmark\n\nSigned-off-by: A <a@b.example>\n-----BEGIN SSH SIGNATURE-----\nx\n";
        assert_eq!(release(by_hand).note().as_deref(), Some("Adds Postmark"));
    }
}
