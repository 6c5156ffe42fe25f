//! The Atom feed of releases (RFC 4287), newest first: one entry per
//! release with the text of its notice. Entry ids come from the tag's
//! commit and name, so a feed reader never shows a release twice.

use crate::commit::hex;
use crate::dates::{format_time, iso_date};
use crate::error::Result;
use crate::ledger::timeline::Timeline;
use crate::notice::Announcement;
use crate::render::notice::{self as notice_render, Format};

/// Escapes text for XML content and attributes. Control characters and
/// code points XML cannot carry are shown (`\u{1b}`), never written.
fn xml(text: &str) -> String {
    let text = crate::render::shown(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
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

/// The feed for `timeline`'s releases and the notices they gave.
pub fn atom(timeline: &Timeline, announced: &[Announcement<'_>]) -> Result<String> {
    let mut entries = Vec::new();
    for Announcement {
        release,
        notice,
        effective,
    } in announced
    {
        let text = notice_render::render(notice, Format::Text, None)?;
        let updated = format_time(
            release.tagger.as_ref().map_or(release.time, |t| t.time),
            release.offset,
        );
        let needing = notice.needs_notice.len();
        let summary = match effective {
            _ if notice.baseline.is_some() => {
                let listed = notice.baseline.as_deref().unwrap_or_default();
                let mut text = notice_render::baseline_summary(listed);
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
                iso_date(*e)
            ),
            _ => "No change needs notice.".to_owned(),
        };
        entries.push(format!(
            "  <entry>\n    <id>urn:subledger:release:{}:{}</id>\n    <title>{}</title>\n    <updated>{updated}</updated>\n    <published>{updated}</published>\n    <summary>{}</summary>\n    <content type=\"text\">{}</content>\n  </entry>\n",
            hex(&release.commit),
            urn_part(&release.name),
            xml(&match release.date() {
                Some(d) => format!("{} (released {})", release.name, iso_date(d)),
                None => release.name.clone(),
            }),
            xml(&summary),
            xml(&text)
        ));
    }
    entries.reverse();
    let root = timeline
        .commits
        .first()
        .map(|c| hex(&c.id))
        .unwrap_or_default();
    let updated = timeline
        .releases
        .last()
        .map(|r| format_time(r.time, r.offset))
        .or_else(|| {
            timeline
                .commits
                .last()
                .map(|c| format_time(c.commit_time, 0))
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_owned());
    let name = &timeline.config.register.name;
    let mut feed = String::new();
    feed.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    feed.push_str(&format!(
        "  <id>urn:subledger:register:{root}:{}</id>\n  <title>{}</title>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n  <generator>subledger</generator>\n",
        urn_part(&timeline.dir),
        xml(&format!("{name} sub-processor list")),
        xml(name)
    ));
    for entry in entries {
        feed.push_str(&entry);
    }
    feed.push_str("</feed>\n");
    Ok(feed)
}
