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

/// `text` with every [`unprintable`] character written as `\u{1b}`, so it
/// can be shown on a terminal, in a text file or a page without acting.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    // Runs of plain ASCII (the common case) are passed over a byte at a
    // time; only the characters between them are looked at.
    let bytes = text.as_bytes();
    let mut at = 0;
    let clean = loop {
        let Some(skip) = bytes[at..]
            .iter()
            .position(|&b| !((0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t'))
        else {
            break true;
        };
        at += skip;
        // A byte that is not plain ASCII starts a character.
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break false;
        };
        if unprintable(c).is_some() {
            break false;
        }
        at += c.len_utf8();
    };
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
