//! Placeholder text ("TBD", "to be confirmed", "(confirm provider &
//! region)") that must never reach a published page: the rule `check`
//! applies to vendor files and to the company's name.

/// The byte offset and text of a placeholder in `text`, if it has one:
/// TBD, TBC, TODO, FIXME, XXX, "???", "to be confirmed/determined",
/// "lorem ipsum", or a bracketed remark containing the word "confirm"
/// (seed 002 published "(confirm provider & region)").
pub fn placeholder(text: &str) -> Option<(usize, &str)> {
    let lower = text.to_ascii_lowercase();
    for phrase in ["to be confirmed", "to be determined", "lorem ipsum", "???"] {
        if let Some(at) = lower.find(phrase) {
            return Some((at, &text[at..at + phrase.len()]));
        }
    }
    for (at, word) in words(text) {
        let upper = word.to_ascii_uppercase();
        if matches!(upper.as_str(), "TBD" | "TBC" | "TODO" | "FIXME" | "TBA") || word == "XXX" {
            return Some((at, word));
        }
    }
    let mut depth_start = None;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth_start = Some(i),
            ')' | ']' => {
                if let Some(start) = depth_start.take() {
                    let inner = &text[start..=i];
                    if words(inner).any(|(_, w)| w.eq_ignore_ascii_case("confirm")) {
                        return Some((start, inner));
                    }
                }
            }
            _ => {}
        }
    }
    let trimmed = text.trim();
    if trimmed.eq_ignore_ascii_case("confirm") {
        return Some((text.len() - text.trim_start().len(), trimmed));
    }
    None
}

/// Words of ASCII letters with their byte offsets.
pub(super) fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}
