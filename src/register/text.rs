//! Which characters of text are not ordinary text: control characters a
//! terminal acts on, invisible ones that hide a difference, code points XML
//! cannot carry. `check` reports them in vendor files; every output shows
//! them escaped.

/// What a character in vendor text is, when it is not ordinary text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unprintable {
    /// A control character a terminal or viewer acts on: C0 (but tab and
    /// newline), DEL, C1; the bidirectional marks, overrides and isolates
    /// that reorder what is shown; and the invisible ones that hide a
    /// difference (zero-width space, word joiner, byte order mark, soft
    /// hyphen, line and paragraph separators, tag characters). Joiners
    /// (U+200C, U+200D) are not: scripts and emoji need them.
    Control,
    /// Not a character at all for XML (and so the feed): U+FFFE, U+FFFF.
    NotXml,
}

/// Classifies one character of text that is shown to people.
pub fn unprintable(c: char) -> Option<Unprintable> {
    match c {
        '\t' | '\n' => None,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{ad}' => Some(Unprintable::Control),
        '\u{61c}' | '\u{200b}' | '\u{200e}' | '\u{200f}' => Some(Unprintable::Control),
        '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' => {
            Some(Unprintable::Control)
        }
        '\u{feff}' | '\u{fff9}'..='\u{fffb}' | '\u{e0000}'..='\u{e007f}' => {
            Some(Unprintable::Control)
        }
        '\u{fffe}' | '\u{ffff}' => Some(Unprintable::NotXml),
        _ => None,
    }
}

/// Whether any character of `text` is [`unprintable`]. Runs of plain
/// ASCII (the common case) are passed over a byte at a time; only the
/// characters between them are looked at.
pub fn any_unprintable(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    loop {
        let Some(skip) = bytes[at..]
            .iter()
            .position(|&b| !((0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t'))
        else {
            return false;
        };
        at += skip;
        // A byte that is not plain ASCII starts a character.
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            return true;
        };
        if unprintable(c).is_some() {
            return true;
        }
        at += c.len_utf8();
    }
}

/// `text` with every [`unprintable`] character written as `\u{1b}`, so it
/// can be shown on a terminal, in a text file or a page without acting.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let clean = !any_unprintable(text);
    if clean {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    // A Windows line end is a line end.
    for c in text.replace("\r\n", "\n").chars() {
        match unprintable(c) {
            Some(_) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The first character of `text` that is not ordinary text, with its byte
/// offset; a carriage return that ends a line with a newline is ordinary.
pub fn first_unprintable(text: &str) -> Option<(usize, char, Unprintable)> {
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\r' && chars.peek().is_some_and(|(_, next)| *next == '\n') {
            continue;
        }
        if let Some(kind) = unprintable(c) {
            return Some((at, c, kind));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast scan finds exactly what looking at every character finds:
    /// in plain ASCII, after other characters, at the end.
    #[test]
    fn any_unprintable_agrees_with_every_character() {
        for text in [
            "",
            "plain\ttext\n",
            "Zürich — 10 Juni",
            "Zürich\u{1b}[31m",
            "ends in a bidi override\u{202e}",
            "\u{85}next line",
            "tab\tand\r\nCRLF",
            "ü\u{fffe}",
            "😀 emoji",
        ] {
            assert_eq!(
                any_unprintable(text),
                text.chars().any(|c| unprintable(c).is_some()),
                "{text:?}"
            );
        }
        assert_eq!(escape_controls("Zürich\u{1b}x"), "Zürich\\u{1b}x");
    }
}
