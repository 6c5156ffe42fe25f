//! The Atom feed of releases (RFC 4287), newest first: one entry per
//! release with the text of its notice. Entry ids come from the tag's
//! commit and name, so a feed reader never shows a release twice.

use crate::commit::hex;
use crate::dates::{format_time, iso_date};
use crate::error::Result;
use crate::ledger::releases::Release;
use crate::ledger::timeline::Timeline;
use crate::notice::Announcement;
use crate::render::notice::{self as notice_render, Format};

/// Escapes text for XML content and attributes. Control characters and
/// code points XML cannot carry are shown (`\u{1b}`), never written.
fn xml(text: &str) -> String {
    let text = crate::render::shown(text);
    // The five characters are ASCII, never part of a longer one: the text
    // between them is copied as it is, a run at a time.
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut copied = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(escaped);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// A tag name inside a URN: everything but letters, digits and `-._` percent-encoded.
fn urn_part(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Where a site published at `[register] url` keeps the notice of
/// `release`, relative to its root: `notices/2026-07-01.html` (the tag
/// prefix left out; one file per release, see [`notice_file`]).
pub fn notice_href(prefix: &str, release: &str) -> String {
    format!(
        "notices/{}",
        notice_file(prefix, release).replace('%', "%25")
    )
}

/// The file name of `release`'s notice in a site: the name without the tag
/// prefix, every byte but letters, digits, `-`, `_` and `.` written `%XX`
/// (so `/` is `%2F`), then `.html`: one file per release, never shared.
pub fn notice_file(prefix: &str, release: &str) -> String {
    let name = release
        .strip_prefix(prefix)
        .filter(|n| !n.is_empty())
        .unwrap_or(release);
    format!("{}.html", crate::reports::component(name))
}

/// One sentence on what a release's notice says: "2 changes need notice;
/// they take effect on 2026-07-31."
pub fn summary(notice: &crate::notice::Notice, effective: Option<time::Date>) -> String {
    let needing = notice.needs_notice.len();
    match effective {
        _ if notice.baseline.is_some() => {
            let listed = notice.baseline.as_deref().unwrap_or_default();
            let mut text =
                notice_render::baseline_summary(listed, crate::render::lang::Language::En);
            text[..1].make_ascii_uppercase();
            text.push_str(": the list as it stands, not a change.");
            text
        }
        Some(e) if needing > 0 => format!(
            "{} {} notice; they take effect on {}.",
            needing,
            if needing == 1 {
                "change needs"
            } else {
                "changes need"
            },
            crate::render::words::long_date(&iso_date(e))
        ),
        _ => "No change needs notice.".to_owned(),
    }
}

/// The feed's entry for one release and the notice it gave. With `base`
/// (`[register] url`), it links to that notice there.
pub fn entry(
    timeline: &Timeline,
    announced: &Announcement<'_>,
    base: Option<&str>,
) -> Result<String> {
    let prefix = &timeline.config.register.tag_prefix;
    let Announcement {
        release,
        notice,
        effective,
    } = announced;
    let text = notice_render::render(notice, Format::Text, None)?;
    let updated = published(release);
    let summary = summary(notice, *effective);
    Ok(format!(
        "  <entry>\n    <id>{}</id>\n    <title>{}</title>\n    <updated>{updated}</updated>\n    <published>{updated}</published>\n{}    <summary>{}</summary>\n    <content type=\"text\">{}</content>\n  </entry>\n",
        entry_id(release),
        xml(&entry_title(release)),
        base.map_or_else(String::new, |base| format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml(&format!("{base}{}", notice_href(prefix, &release.name)))
        )),
        xml(&summary),
        xml(&text)
    ))
}

/// An entry's id: from the tag's commit and name, so a reader never shows
/// a release twice.
fn entry_id(release: &Release) -> String {
    format!(
        "urn:subledger:release:{}:{}",
        hex(&release.commit),
        urn_part(&release.name)
    )
}

/// "Sub-processor list of 1 July 2026" (the tag's name without a date).
fn entry_title(release: &Release) -> String {
    match release.date() {
        Some(d) => format!(
            "Sub-processor list of {}",
            crate::render::words::long_date(&iso_date(d))
        ),
        None => release.name.clone(),
    }
}

/// When a release was published: its tagger's time, else its commit's.
fn published(release: &Release) -> String {
    format_time(
        release.tagger.as_ref().map_or(release.time, |t| t.time),
        release.offset,
    )
}

/// The feed's entry for one release as JSON (`subledger.feed/1`): what the
/// Atom entry says, without the notice's text (`notice --format json` has
/// it).
pub fn entry_json(
    timeline: &Timeline,
    announced: &Announcement<'_>,
    base: Option<&str>,
) -> serde_json::Value {
    let prefix = &timeline.config.register.tag_prefix;
    let Announcement {
        release,
        notice,
        effective,
    } = announced;
    serde_json::json!({
        "id": entry_id(release),
        "release": release.name,
        "commit": hex(&release.commit),
        "title": entry_title(release),
        "date": release.date().map(iso_date),
        "published": published(release),
        "baseline": notice.baseline.is_some(),
        "needs_notice": notice.needs_notice.len(),
        "informational": notice.informational.len(),
        "effective": effective.map(iso_date),
        "why": notice.why,
        "summary": summary(notice, *effective),
        "url": base.map(|base| format!("{base}{}", notice_href(prefix, &release.name))),
    })
}

/// The feed as JSON (`subledger.feed/1`), newest release first, from its
/// [`entry_json`]s oldest first: the same ids, dates and links as the Atom.
pub fn json(
    timeline: &Timeline,
    mut entries: Vec<serde_json::Value>,
    base: Option<&str>,
) -> String {
    entries.reverse();
    let root = timeline
        .commits
        .first()
        .map(|c| hex(&c.id))
        .unwrap_or_default();
    let name = &timeline.config.register.name;
    let value = serde_json::json!({
        "schema": "subledger.feed/1",
        "id": format!("urn:subledger:register:{root}:{}", urn_part(&timeline.dir)),
        "title": format!("{name} sub-processor list"),
        "company": name,
        "updated": updated(timeline),
        "self": base.map(|base| format!("{base}feed.xml")),
        "page": base,
        "entries": entries,
    });
    let mut text = super::json_safe(serde_json::to_string_pretty(&value).unwrap_or_default());
    text.push('\n');
    text
}

/// When the feed last changed: the latest release, else the last commit.
fn updated(timeline: &Timeline) -> String {
    timeline
        .releases
        .last()
        .map(|r| format_time(r.time, r.offset))
        .or_else(|| {
            timeline
                .commits
                .last()
                .map(|c| format_time(c.commit_time, 0))
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_owned())
}

/// The feed of `timeline`'s releases from their [`entry`]s, oldest first
/// (the feed lists them newest first). With `base`, it links to itself and
/// the page there.
pub fn atom(timeline: &Timeline, mut entries: Vec<String>, base: Option<&str>) -> String {
    entries.reverse();
    let root = timeline
        .commits
        .first()
        .map(|c| hex(&c.id))
        .unwrap_or_default();
    let updated = updated(timeline);
    let name = &timeline.config.register.name;
    // Sized once: a long history's feed runs to tens of megabytes, and
    // growing it by doubling copies it over and over.
    let mut feed = String::with_capacity(entries.iter().map(String::len).sum::<usize>() + 4096);
    feed.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    feed.push_str(&format!(
        "  <id>urn:subledger:register:{root}:{}</id>\n  <title>{}</title>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n  <generator>subledger</generator>\n",
        urn_part(&timeline.dir),
        xml(&format!("{name} sub-processor list")),
        xml(name)
    ));
    if let Some(base) = base {
        feed.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml(&format!("{base}feed.xml")),
            xml(base)
        ));
    }
    for entry in entries {
        feed.push_str(&entry);
    }
    feed.push_str("</feed>\n");
    feed
}
