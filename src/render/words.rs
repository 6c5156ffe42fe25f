//! Word-level diffs of long text fields (purpose, notes), made with `similar`.

use similar::{ChangeTag, TextDiff};

/// A run of words that is unchanged, deleted or inserted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub tag: ChangeTag,
    pub text: String,
}

/// The word diff from `old` to `new`, as runs (whitespace kept).
pub fn runs(old: &str, new: &str) -> Vec<Run> {
    let diff = TextDiff::from_words(old, new);
    let mut out: Vec<Run> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        let text = change.value();
        match out.last_mut() {
            Some(last) if last.tag == tag => last.text.push_str(text),
            _ => out.push(Run {
                tag,
                text: text.to_owned(),
            }),
        }
    }
    // A whitespace-only unchanged run between two changes reads better
    // inside them: "[-a b-]{+c d+}" rather than "[-a-]{+c+} [-b-]{+d+}".
    let mut merged: Vec<Run> = Vec::new();
    let mut deleted = String::new();
    let mut inserted = String::new();
    let flush = |merged: &mut Vec<Run>, deleted: &mut String, inserted: &mut String| {
        if !deleted.is_empty() {
            merged.push(Run {
                tag: ChangeTag::Delete,
                text: std::mem::take(deleted),
            });
        }
        if !inserted.is_empty() {
            merged.push(Run {
                tag: ChangeTag::Insert,
                text: std::mem::take(inserted),
            });
        }
    };
    for (i, run) in out.iter().enumerate() {
        let between_changes = i > 0
            && i + 1 < out.len()
            && run.text.trim().is_empty()
            && (!deleted.is_empty() || !inserted.is_empty());
        match run.tag {
            ChangeTag::Delete => deleted.push_str(&run.text),
            ChangeTag::Insert => inserted.push_str(&run.text),
            ChangeTag::Equal if between_changes => {
                deleted.push_str(&run.text);
                inserted.push_str(&run.text);
            }
            ChangeTag::Equal => {
                flush(&mut merged, &mut deleted, &mut inserted);
                merged.push(run.clone());
            }
        }
    }
    flush(&mut merged, &mut deleted, &mut inserted);
    merged
}

/// The diff on one line, git-style: `[-deleted-]{+inserted+}`, keeping at most
/// `context` words of unchanged text around each change.
pub fn inline(old: &str, new: &str, context: usize) -> String {
    let runs = runs(old, new);
    let mut out = String::new();
    let last = runs.len().saturating_sub(1);
    for (i, run) in runs.iter().enumerate() {
        match run.tag {
            ChangeTag::Delete => {
                out.push_str("[-");
                out.push_str(&run.text);
                out.push_str("-]");
            }
            ChangeTag::Insert => {
                out.push_str("{+");
                out.push_str(&run.text);
                out.push_str("+}");
            }
            ChangeTag::Equal => {
                let words: Vec<&str> = run.text.split_inclusive(' ').collect();
                let keep_start = if i == 0 { 0 } else { context };
                let keep_end = if i == last { 0 } else { context };
                if words.len() <= keep_start + keep_end + 1 {
                    out.push_str(&run.text);
                } else {
                    out.push_str(&words[..keep_start].concat());
                    out.push('…');
                    if keep_end > 0 {
                        out.push(' ');
                    }
                    out.push_str(&words[words.len() - keep_end..].concat());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_word_diff_keeps_context_around_changes() {
        assert_eq!(
            inline(
                "Cloud hosting for the application, databases and file storage.",
                "Cloud hosting for the application, databases, file storage, and encrypted backups.",
                2
            ),
            "… the application, [-databases-]{+databases, file storage,+} and [-file storage.-]{+encrypted backups.+}"
        );
        assert_eq!(inline("a b", "a c", 3), "a [-b-]{+c+}");
    }
}

/// A date in words, as a reader says it: "10 June 2026". Text that is not
/// an ISO date is returned as it is.
pub fn long_date(iso: &str) -> String {
    match crate::dates::parse_iso_date(iso) {
        Some(date) => format!(
            "{} {} {}",
            date.day(),
            super::lang::EN[usize::from(u8::from(date.month())) - 1],
            date.year()
        ),
        None => iso.to_owned(),
    }
}

/// The link for a contact: `mailto:` for an e-mail address, the URL as it
/// is for an https URL (`check` allows nothing else).
pub fn contact_href(contact: &str) -> String {
    let contact = contact.trim();
    if contact.starts_with("https://") || contact.starts_with("mailto:") {
        contact.to_owned()
    } else {
        format!("mailto:{contact}")
    }
}

/// A contact as shown: without its `mailto:`.
pub fn contact_text(contact: &str) -> &str {
    contact.trim().trim_start_matches("mailto:")
}

#[cfg(test)]
mod words_tests {
    use super::*;

    #[test]
    fn dates_and_contacts_read_as_words() {
        assert_eq!(long_date("2026-06-10"), "10 June 2026");
        assert_eq!(long_date("2026-12-01"), "1 December 2026");
        assert_eq!(long_date("soon"), "soon");
        assert_eq!(
            contact_href("privacy@x.example"),
            "mailto:privacy@x.example"
        );
        assert_eq!(contact_href("https://x.example/p"), "https://x.example/p");
        assert_eq!(contact_text("mailto:a@b.example"), "a@b.example");
    }
}
