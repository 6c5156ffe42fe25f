//! Everything a company hosts, made in one step: the page of the latest
//! release, every release's notice and their index, the feed, and the
//! register as JSON. Self-contained (no scripts, no external assets) with
//! relative links that all resolve inside it.

use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::page::{self, Links, PageAt};
use crate::render::{feed, notice as notice_render, page as page_render};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The file that marks a directory as one `site` made (and may replace).
pub const MARKER: &str = ".subledger-site";

/// A site written: how many files, and the files of the register the page
/// could not load (left out, named).
pub struct Site {
    pub files: usize,
    pub unloaded: Vec<String>,
}

#[derive(Serialize)]
struct Entry {
    date: String,
    href: String,
    summary: String,
    why: Option<String>,
}

#[derive(Serialize)]
struct Index<'a> {
    language: &'static str,
    company: &'a str,
    entries: Vec<Entry>,
}

/// The Atom feed of every release of `ledger`: each notice is made in
/// release order and worded on a second thread while the next is made.
pub fn feed(ledger: &Ledger) -> Result<String> {
    let timeline = &ledger.timeline;
    let base = timeline.config.register.base_url();
    let entries = crate::render::pipeline(
        |send| crate::notice::each_release(ledger, send),
        |a| feed::entry(timeline, &a, base.as_deref()),
    )?;
    Ok(feed::atom(timeline, entries, base.as_deref()))
}

/// The feed of `ledger` as JSON (`subledger.feed/1`): one summary per
/// release, newest first.
pub fn feed_json(ledger: &Ledger) -> Result<String> {
    let timeline = &ledger.timeline;
    let base = timeline.config.register.base_url();
    let entries = crate::render::pipeline(
        |send| crate::notice::each_release(ledger, send),
        |a| Ok(feed::entry_json(timeline, &a, base.as_deref())),
    )?;
    Ok(feed::json(timeline, entries, base.as_deref()))
}

/// What the site keeps of one release (its notice page is written as it
/// is made): its feed entry and its line in the notice index.
struct Released {
    entry: String,
    listed: Entry,
}

/// Makes the site of `ledger` in `dir` as one step: its page `at` the
/// latest release by default (a draft, marked as such, at an unreleased
/// revision or the work tree), and the notice of every release. Written
/// into a new directory beside `dir`, then swapped in, so a reader never
/// sees half a site. A `dir` that exists, is not empty and was not made by
/// `site` is refused unless `force`; so is one holding `root` (the
/// repository).
pub fn make(
    ledger: &Ledger,
    at: &PageAt<'_>,
    dir: &Path,
    force: bool,
    root: &Path,
) -> Result<Site> {
    let staging = Staging::new(dir, force, root)?;
    let made = fill(ledger, at, &staging.path);
    match made {
        Ok(site) => {
            staging.finish()?;
            Ok(site)
        }
        Err(e) => {
            // Nothing half-made is left behind.
            let _ = std::fs::remove_dir_all(&staging.path);
            Err(e)
        }
    }
}

/// Writes every file of the site into `out`, each notice page as soon as
/// it is rendered (so no page waits in memory for the rest).
fn fill(ledger: &Ledger, at: &PageAt<'_>, out: &Path) -> Result<Site> {
    let (mut page, unloaded) =
        page::asked(&ledger.project, &ledger.repo, at, Some(&ledger.timeline))?;
    page.links = Links::relative(0);
    let timeline = &ledger.timeline;
    let prefix = &timeline.config.register.tag_prefix;
    let base = timeline.config.register.base_url();
    let notices = out.join("notices");
    std::fs::create_dir_all(&notices).map_err(|e| write_err(&notices, e))?;
    let released = crate::render::pipeline(
        |send| crate::notice::each_release(ledger, send),
        |a| {
            let entry = feed::entry(timeline, &a, base.as_deref())?;
            let file = feed::notice_file(prefix, &a.release.name);
            let listed = Entry {
                date: a
                    .release
                    .date()
                    .map_or_else(|| a.release.name.clone(), crate::dates::iso_date),
                href: file.replace('%', "%25"),
                summary: feed::summary(&a.notice, a.effective),
                why: a.notice.why.clone(),
            };
            let mut notice = a.notice;
            notice.list_url = Some("../index.html".to_owned());
            notice.notices_url = Some("index.html".to_owned());
            let page = notice_render::render(&notice, notice_render::Format::Html, None)?;
            put(&notices.join(&file), &page)?;
            Ok(Released { entry, listed })
        },
    )?;
    let mut files = released.len();
    let mut entries = Vec::with_capacity(released.len());
    let mut listed = Vec::with_capacity(released.len());
    for r in released {
        entries.push(r.entry);
        listed.push(r.listed);
    }
    listed.reverse();
    let index = Index {
        language: timeline.config.render.language.code(),
        company: &timeline.config.register.name,
        entries: listed,
    };
    let rest = [
        (
            "index.html",
            page_render::render(&page, page_render::Format::Html)?,
        ),
        (
            "subprocessors.json",
            page_render::render(&page, page_render::Format::Json)?,
        ),
        ("feed.xml", feed::atom(timeline, entries, base.as_deref())),
        (
            "notices/index.html",
            crate::render::template::render_builtin(
                "notices.html",
                include_str!("render/templates/notices.html.j2"),
                &index,
            )?,
        ),
    ];
    for (path, text) in &rest {
        put(&out.join(path), text)?;
    }
    files += rest.len();
    put(
        &out.join(MARKER),
        "made by `subledger site`; it replaces this directory whole on the next run\n",
    )?;
    Ok(Site { files, unloaded })
}

fn write_err(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_owned(),
        source,
    }
}

fn put(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| write_err(path, e))
}

/// The new directory a site is written into, beside the one it replaces.
struct Staging {
    path: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    existing: bool,
}

impl Staging {
    fn new(dir: &Path, force: bool, root: &Path) -> Result<Staging> {
        let existing = match std::fs::read_dir(dir) {
            Ok(mut entries) => Some(entries.next().is_some()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(write_err(dir, e)),
        };
        // Never the repository, or a directory holding it (or the current
        // one): replacing it whole would take the register with it.
        if existing.is_some() {
            let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_owned());
            let target = canon(dir);
            let cwd = std::env::current_dir().map(|c| canon(&c)).ok();
            if canon(root).starts_with(&target) || cwd.is_some_and(|c| c.starts_with(&target)) {
                return Err(Error::Refused {
                    what: format!(
                        "{} holds the repository or the current directory; the site is written to a directory of its own",
                        dir.display()
                    ),
                    hint: Some("give a new directory, such as --out public".to_owned()),
                });
            }
        }
        if existing == Some(true) && !dir.join(MARKER).is_file() && !force {
            return Err(Error::Refused {
                what: format!(
                    "{} is not empty and was not made by `subledger site`",
                    dir.display()
                ),
                hint: Some("choose a new directory, or use --force to replace it whole".to_owned()),
            });
        }
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let name = dir
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        let path = parent.join(format!(".{name}.subledger-new"));
        let old = parent.join(format!(".{name}.subledger-old"));
        for leftover in [&path, &old] {
            if leftover.exists() {
                std::fs::remove_dir_all(leftover).map_err(|e| write_err(leftover, e))?;
            }
        }
        std::fs::create_dir_all(&path).map_err(|e| write_err(&path, e))?;
        Ok(Staging {
            path,
            dir: dir.to_owned(),
            old,
            existing: existing.is_some(),
        })
    }

    /// Swaps the new directory in for the old one.
    fn finish(self) -> Result<()> {
        if self.existing {
            std::fs::rename(&self.dir, &self.old).map_err(|e| write_err(&self.dir, e))?;
        }
        std::fs::rename(&self.path, &self.dir).map_err(|e| write_err(&self.dir, e))?;
        if self.existing {
            std::fs::remove_dir_all(&self.old).map_err(|e| write_err(&self.old, e))?;
        }
        Ok(())
    }
}
