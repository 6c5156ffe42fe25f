//! Cell text: Markdown escapes and emphasis, links, splitting outside
//! parentheses, first words. Every reader and the interpreter use it.

/// Stands for `\;` in a cell: a `;` inside a data category.
pub(super) const INNER_SEMICOLON: char = '\u{1f}';

/// Stands for a line break (`<br>`) inside a table cell.
pub(super) const LINE_BREAK: char = '\u{1e}';

/// Removes Markdown backslash escapes (`\[` → `[`).
pub(super) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Removes Markdown emphasis and HTML escapes that pages and our own
/// renderer put in cells.
pub(super) fn unmarkdown(text: &str) -> String {
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("<br>", "; ");
    let text = text.replace("**", "").replace("__", "");
    text.trim().to_owned()
}

/// Splits on `sep` outside parentheses.
pub(super) fn split_outside(text: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if c == sep && depth <= 0 {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().trim_end_matches('.').trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

pub(super) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Markdown links `[text](url)` in a cell as their text, and the first url.
pub(super) fn delink(cell: &str) -> (String, Option<String>) {
    let mut out = String::new();
    let mut url = None;
    let mut rest = cell;
    while let Some(open) = rest.find('[') {
        let Some((text, after)) = rest[open + 1..].split_once("](") else {
            break;
        };
        let Some((href, tail)) = after.split_once(')') else {
            break;
        };
        if text.contains('[') || href.contains(char::is_whitespace) {
            break;
        }
        out.push_str(&rest[..open]);
        out.push_str(text);
        url.get_or_insert_with(|| href.to_owned());
        rest = tail;
    }
    out.push_str(rest);
    (out, url)
}

/// A cell by its first words.
pub(super) fn first_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 8 {
        return words.join(" ");
    }
    format!("{} …", words[..8].join(" "))
}
