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

/// The files of a site: paths relative to its root, and their text.
pub struct Site {
    pub files: Vec<(String, String)>,
    /// Files of the register the page could not load (left out, named).
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

/// What the site holds of one release: its feed entry, its notice page
/// and its line in the notice index.
struct Released {
    entry: String,
    file: String,
    page: String,
    listed: Entry,
}

/// The site of `ledger`: its page `at` the latest release by default (a
/// draft, marked as such, at an unreleased revision or the work tree), and
/// the notice of every release.
pub fn build(ledger: &Ledger, at: &PageAt<'_>) -> Result<Site> {
    let (mut page, unloaded) = page::asked(&ledger.project, &ledger.repo, at)?;
    page.links = Links::relative(0);
    let timeline = &ledger.timeline;
    let prefix = &timeline.config.register.tag_prefix;
    let base = timeline.config.register.base_url();
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
            Ok(Released {
                entry,
                file,
                page,
                listed,
            })
        },
    )?;
    let mut files = vec![
        (
            "index.html".to_owned(),
            page_render::render(&page, page_render::Format::Html)?,
        ),
        (
            "subprocessors.json".to_owned(),
            page_render::render(&page, page_render::Format::Json)?,
        ),
    ];
    let mut entries = Vec::with_capacity(released.len());
    let mut listed = Vec::with_capacity(released.len());
    for r in released {
        entries.push(r.entry);
        files.push((format!("notices/{}", r.file), r.page));
        listed.push(r.listed);
    }
    files.push((
        "feed.xml".to_owned(),
        feed::atom(timeline, entries, base.as_deref()),
    ));
    listed.reverse();
    let index = Index {
        language: timeline.config.render.language.code(),
        company: &timeline.config.register.name,
        entries: listed,
    };
    files.push((
        "notices/index.html".to_owned(),
        crate::render::template::render_builtin(
            "notices.html",
            include_str!("render/templates/notices.html.j2"),
            &index,
        )?,
    ));
    files.push((
        MARKER.to_owned(),
        "made by `subledger site`; it replaces this directory whole on the next run\n".to_owned(),
    ));
    files.sort();
    Ok(Site { files, unloaded })
}

/// Writes `site` to `dir` as one step: into a new directory beside it,
/// then swapped in, so a reader never sees half a site. A `dir` that
/// exists, is not empty and was not made by `site` is refused unless
/// `force`.
pub fn write(site: &Site, dir: &Path, force: bool, root: &Path) -> Result<()> {
    let write_err = |path: &Path, source: std::io::Error| Error::Write {
        path: path.to_owned(),
        source,
    };
    let existing = match std::fs::read_dir(dir) {
        Ok(mut entries) => Some(entries.next().is_some()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(write_err(dir, e)),
    };
    // Never the repository, or a directory holding it (or the current one):
    // replacing it whole would take the register with it.
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
    let staging = parent.join(format!(".{name}.subledger-new"));
    let old = parent.join(format!(".{name}.subledger-old"));
    for leftover in [&staging, &old] {
        if leftover.exists() {
            std::fs::remove_dir_all(leftover).map_err(|e| write_err(leftover, e))?;
        }
    }
    for (path, text) in &site.files {
        let path = staging.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| write_err(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| write_err(&path, e))?;
    }
    if existing.is_some() {
        std::fs::rename(dir, &old).map_err(|e| write_err(dir, e))?;
    }
    std::fs::rename(&staging, dir).map_err(|e| write_err(dir, e))?;
    if existing.is_some() {
        std::fs::remove_dir_all(&old).map_err(|e| write_err(&old, e))?;
    }
    Ok(())
}
