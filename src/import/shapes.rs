//! The shapes a page's vendors come in when there is no pipe table:
//! flattened rows, bullets, names one a line, tab-separated rows that wrap,
//! DPA annexes with a paragraph per cell, one heading per vendor with its
//! links, "Name - Country" paragraphs.

use super::cells::{delink, unmarkdown};
use super::columns::{Target, target};
use super::meaning::locations;

/// Known header phrases, longest first, for flattened tables.
pub(super) const HEADER_WORDS: &[&str] = &[
    "categories of data processed",
    "location of processing",
    "processing activity",
    "legal address",
    "sub-processor",
    "subprocessor",
    "data shared",
    "locations",
    "location",
    "purpose",
    "feature",
    "service",
    "vendor",
    "provider",
    "address",
    "website",
    "country",
    "region",
    "data",
    "name",
];

/// The column headers a flattened header line holds, if it is one.
pub(super) fn flattened_header(line: &str) -> Option<Vec<String>> {
    let mut rest = line.trim();
    let mut headers = Vec::new();
    while !rest.is_empty() {
        let lower = rest.to_lowercase();
        let word = HEADER_WORDS.iter().find(|w| {
            lower.starts_with(**w) && lower[w.len()..].chars().next().is_none_or(|c| c == ' ')
        })?;
        headers.push(rest[..word.len()].to_owned());
        rest = rest[word.len()..].trim_start();
    }
    (headers.len() >= 2 && headers.iter().any(|h| target(h) == Target::Name)).then_some(headers)
}

/// Whether a line is a header whose cells run together
/// ("Sub-processorPurposeLocation"), as some copies of a table give: its
/// rows cannot be split safely (brand names are glued words too).
pub(super) fn glued_header(line: &str) -> bool {
    let mut rest = line.trim();
    let (mut n, mut glued) = (0, false);
    while !rest.is_empty() {
        let lower = rest.to_ascii_lowercase();
        let Some(word) = HEADER_WORDS.iter().find(|w| lower.starts_with(**w)) else {
            return false;
        };
        n += 1;
        let after = &rest[word.len()..];
        if let Some(spaced) = after.strip_prefix(' ') {
            rest = spaced.trim_start();
        } else if after.starts_with(char::is_uppercase) {
            glued = true;
            rest = after;
        } else if after.is_empty() {
            break;
        } else {
            return false;
        }
    }
    n >= 2 && glued
}

/// Splits a flattened row into `n` cells: each column from the right starts
/// at the last capitalised word outside parentheses.
pub(super) fn split_flattened(line: &str, n: usize) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut depth = 0i32;
    let mut starts = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let outside = depth == 0;
        depth += w.matches('(').count() as i32 - w.matches(')').count() as i32;
        if i > 0 && outside && w.chars().next().is_some_and(|c| c.is_uppercase()) {
            starts.push(i);
        }
    }
    let mut cuts = Vec::new();
    let mut end = words.len();
    for _ in 1..n {
        match starts.iter().rev().find(|&&s| s < end && s > 0) {
            Some(&s) => {
                cuts.push(s);
                end = s;
            }
            None => break,
        }
    }
    cuts.reverse();
    let mut cells = Vec::new();
    let mut from = 0;
    for cut in cuts {
        cells.push(words[from..cut].join(" "));
        from = cut;
    }
    cells.push(words[from..].join(" "));
    cells
}

/// A bullet "Name — purpose", "[Name](url): purpose", "Name: purpose".
pub(super) fn bullet(line: &str) -> Option<(String, String, Option<String>)> {
    let item = line
        .trim()
        .strip_prefix("- ")
        .or_else(|| line.trim().strip_prefix("* "))?
        .trim();
    if let Some(rest) = item.strip_prefix('[')
        && let Some((name, after)) = rest.split_once("](")
        && let Some((url, tail)) = after.split_once(')')
    {
        let purpose = tail.trim_start_matches([':', '—', '–', '-', ' ']).trim();
        return Some((name.to_owned(), purpose.to_owned(), Some(url.to_owned())));
    }
    for sep in [" — ", " – ", ": ", " - "] {
        if let Some((name, purpose)) = item.split_once(sep) {
            return Some((unmarkdown(name), purpose.trim().to_owned(), None));
        }
    }
    name_like(item).then(|| (unmarkdown(item), String::new(), None))
}

/// Whether a line reads as a vendor's name alone: a few words, starting
/// with a capital or digit, no sentence, no label, no date.
pub(super) fn name_like(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.split_whitespace().count() <= 6
        && !t.ends_with([':', ';', ','])
        // "Zendesk, Inc." ends with its legal form, not a sentence's stop.
        && (!t.ends_with('.') || t.split_whitespace().last().is_some_and(super::meaning::legal_form))
        && !t.contains(": ")
        && !t.starts_with(['|', '#', '-', '*', '('])
        && t.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && t.chars().any(char::is_alphabetic)
        && super::about::date(t).is_none()
        && !t.contains('\t')
}

/// Whether the lines before say that what follows are vendors.
pub(super) fn about_vendors(before: &[String]) -> bool {
    before.iter().rev().take(3).any(|l| {
        let l = l.to_lowercase();
        [
            "processor",
            "vendor",
            "provider",
            "third part",
            "unterauftrag",
            "dienstleister",
            "sous-traitant",
        ]
        .iter()
        .any(|w| l.contains(w))
    })
}

/// The end of a run of at least three name-only lines starting at `i`,
/// ended by a blank line or the end of the page.
pub(super) fn names_only(lines: &[&str], i: usize) -> Option<usize> {
    let mut j = i;
    while j < lines.len() && name_like(lines[j]) {
        j += 1;
    }
    (j - i >= 3 && lines.get(j).is_none_or(|l| l.trim().is_empty())).then_some(j)
}

/// A tab-separated table at `i`: its header (known column names), its
/// rows (a row whose cells wrap across lines is joined), and where it ends.
pub(super) fn tab_table(
    lines: &[&str],
    i: usize,
) -> Option<(Vec<String>, Vec<Vec<String>>, usize)> {
    let headers: Vec<String> = lines[i].split('\t').map(|h| h.trim().to_owned()).collect();
    let known = headers
        .iter()
        .filter(|h| target(h) != Target::Unknown)
        .count();
    if headers.len() < 2
        || known * 2 < headers.len()
        || !headers.iter().any(|h| target(h) == Target::Name)
    {
        return None;
    }
    let mut rows = Vec::new();
    let mut record = String::new();
    let mut j = i + 1;
    while j < lines.len() && !lines[j].trim().is_empty() {
        if !record.is_empty() {
            record.push(' ');
        }
        record.push_str(lines[j].trim_end());
        if record.matches('\t').count() + 1 >= headers.len() {
            rows.push(
                record
                    .split('\t')
                    .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect(),
            );
            record.clear();
        }
        j += 1;
    }
    if !record.is_empty() {
        rows.push(record.split('\t').map(|c| c.trim().to_owned()).collect());
    }
    (!rows.is_empty()).then_some((headers, rows, j))
}

/// A DPA annex at `i`: header cells, each its own paragraph, then each
/// vendor's cells in the same order, one paragraph each; an empty cell is
/// an empty paragraph (two more blank lines).
pub(super) fn annex(lines: &[&str], i: usize) -> Option<Annex> {
    annex_reading(lines, i).map(|(fits, headers, rows, end)| match fits {
        true => Annex::Fits(headers, rows, end),
        false => Annex::Misfit(headers, end),
    })
}

/// A DPA annex as read: its headers, rows and the line it ends at; or,
/// when its cells do not fall into its columns (a cell left out, not even
/// an empty paragraph), its headers and end only, for no reading is safe.
pub(super) enum Annex {
    Fits(Vec<String>, Vec<Vec<String>>, usize),
    Misfit(Vec<String>, usize),
}

/// A DPA annex read at `i`: whether its cells fall into its columns, its
/// headers, rows and end.
#[allow(clippy::type_complexity)]
fn annex_reading(lines: &[&str], i: usize) -> Option<(bool, Vec<String>, Vec<Vec<String>>, usize)> {
    // The paragraphs from `i`: text, blank lines after, and the line after those.
    let mut paragraphs: Vec<(String, usize, usize)> = Vec::new();
    let mut j = i;
    while j < lines.len() {
        let mut text = Vec::new();
        while j < lines.len() && !lines[j].trim().is_empty() {
            text.push(lines[j].trim());
            j += 1;
        }
        let mut blanks = 0;
        while j < lines.len() && lines[j].trim().is_empty() {
            blanks += 1;
            j += 1;
        }
        let long = text.len() > 2;
        paragraphs.push((text.join(" "), blanks, j));
        // A paragraph of several lines is no cell: the annex has ended.
        if long {
            break;
        }
    }
    let known = paragraphs
        .iter()
        .take_while(|(p, blanks, _)| !p.is_empty() && target(p) != Target::Unknown && *blanks == 1)
        .count();
    if known < 2
        || !paragraphs[..known]
            .iter()
            .any(|(p, _, _)| target(p) == Target::Name)
        || paragraphs
            .get(known)
            .is_none_or(|(p, _, _)| target(p) != Target::Unknown)
    {
        return None;
    }
    // A header cell it does not know ("Sub-processing activities") looks
    // like the first vendor's name: of the readings with up to three more
    // header cells, the one whose location column reads as locations wins.
    let location = paragraphs[..known]
        .iter()
        .position(|(p, _, _)| target(p) == Target::Location);
    let mut best: Option<(i64, usize, Vec<Vec<String>>, usize)> = None;
    for k in known..=known + 3 {
        if k > known {
            let (p, blanks, _) = &paragraphs[k - 1];
            if p.is_empty() || *blanks != 1 || p.split_whitespace().count() > 4 {
                break;
            }
        }
        let Some((rows, end)) = annex_rows(&paragraphs[k.min(paragraphs.len())..], k) else {
            break;
        };
        let score = location.map_or(0, |at| {
            rows.iter()
                .filter_map(|r| r.get(at).filter(|c| !c.trim().is_empty()))
                .map(|c| if locations(c).0.is_empty() { -1 } else { 1 })
                .sum()
        });
        if best.as_ref().is_none_or(|(s, ..)| score > *s) {
            best = Some((score, k, rows, end));
        }
        if location.is_none() {
            break;
        }
    }
    let (score, k, rows, end) = best?;
    // Cells that do not fall into their columns (a cell left out, not even
    // an empty paragraph): no reading is safe, so none is made.
    let fits = location.is_none() || score > 0;
    let headers: Vec<String> = paragraphs[..k].iter().map(|(p, _, _)| p.clone()).collect();
    Some((fits, headers, rows, end))
}

/// An annex's paragraphs after its `k` header cells as rows of `k` cells:
/// each paragraph a cell, and an empty one for each two extra blanks; with
/// the line the last whole row ends at.
fn annex_rows(
    paragraphs: &[(String, usize, usize)],
    k: usize,
) -> Option<(Vec<Vec<String>>, usize)> {
    let mut cells: Vec<(String, usize)> = Vec::new();
    for (p, blanks, after) in paragraphs {
        cells.push((p.clone(), *after));
        for _ in 0..blanks.saturating_sub(1) / 2 {
            cells.push((String::new(), *after));
        }
    }
    let whole = cells.len() / k;
    if whole == 0 {
        return None;
    }
    let rows: Vec<Vec<String>> = cells[..whole * k]
        .chunks(k)
        .map(|c| c.iter().map(|(t, _)| t.clone()).collect())
        .collect();
    Some((rows, cells[whole * k - 1].1))
}

/// One heading per vendor at `i` ("### Hetzner Online GmbH"), each
/// followed by a list of links (its website first) and perhaps a line on
/// what it does; at least two in a row, at one heading level.
pub(super) fn vendor_headings(
    lines: &[&str],
    i: usize,
) -> Option<(Vec<String>, Vec<Vec<String>>, usize)> {
    let level = |l: &str| {
        let t = l.trim();
        let n = t.chars().take_while(|c| *c == '#').count();
        (n >= 2 && t[n..].starts_with(' ')).then_some(n)
    };
    let want = level(lines[i])?;
    let mut rows = Vec::new();
    let mut j = i;
    while j < lines.len() && level(lines[j]) == Some(want) {
        let name = lines[j].trim()[want..].trim().to_owned();
        let mut k = j + 1;
        let mut links: Vec<(String, String)> = Vec::new();
        let mut text = Vec::new();
        let mut page_fact = false;
        while k < lines.len() && level(lines[k]).is_none() && !lines[k].trim().starts_with('#') {
            let t = lines[k].trim();
            // "To object, email …" is the page's, not the last vendor's.
            if super::about::page_fact(t) {
                page_fact = true;
                break;
            }
            if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
                let (label, url) = delink(item);
                match url {
                    Some(url) => links.push((label, url)),
                    None => text.push(item.to_owned()),
                }
            } else if !t.is_empty() {
                if t.starts_with('|') {
                    return None;
                }
                text.push(delink(t).0);
            }
            k += 1;
        }
        if links.is_empty() || !name_like(&name) {
            break;
        }
        let website = links
            .iter()
            .find(|(l, _)| {
                let l = l.to_lowercase();
                l.contains("website") || l.contains("homepage") || l == "home"
            })
            .or(links.first())
            .map(|(_, u)| u.clone())
            .unwrap_or_default();
        let notes: Vec<String> = links
            .iter()
            .filter(|(_, u)| *u != website)
            .map(|(l, u)| format!("{l}: {u}"))
            .collect();
        rows.push(vec![name, website, text.join(" "), notes.join("; ")]);
        j = k;
        if page_fact {
            break;
        }
    }
    (rows.len() >= 2).then(|| {
        (
            ["Name", "Website", "Purpose", "Links"]
                .map(str::to_owned)
                .to_vec(),
            rows,
            j,
        )
    })
}

/// Vendors as paragraphs at `i`: a line "Name - Country (remark)" and the
/// lines after it that say what it does, then the next such block.
pub(super) fn vendor_paragraphs(
    lines: &[&str],
    i: usize,
) -> Option<(Vec<String>, Vec<Vec<String>>, usize)> {
    let title = |line: &str| -> Option<(String, String)> {
        let t = line.trim();
        let (name, rest) = [" - ", " – ", " — "]
            .iter()
            .find_map(|sep| t.split_once(sep))?;
        let place = rest.split('(').next().unwrap_or(rest).trim();
        let (codes, _, unknown) = locations(place);
        let name = name.trim();
        let named = name.split_whitespace().count() <= 6
            && !name.contains(": ")
            && name
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            && super::about::date(name).is_none();
        (named && !codes.is_empty() && unknown.is_empty())
            .then(|| (name.to_owned(), rest.trim().to_owned()))
    };
    let mut rows = Vec::new();
    let mut j = i;
    while j < lines.len() {
        let Some((name, place)) = title(lines[j]) else {
            break;
        };
        j += 1;
        let mut purpose = Vec::new();
        while j < lines.len() && !lines[j].trim().is_empty() && title(lines[j]).is_none() {
            purpose.push(lines[j].trim());
            j += 1;
        }
        let lower = place.to_lowercase();
        let optional = lower.contains("optional") || lower.contains("opt-in");
        let (name, place) = if optional {
            let place = place.split('(').next().unwrap_or(&place).trim().to_owned();
            (format!("{name} (optional)"), place)
        } else {
            (name, place)
        };
        rows.push(vec![name, place, purpose.join(" ")]);
        while j < lines.len() && lines[j].trim().is_empty() {
            j += 1;
        }
    }
    (rows.len() >= 2).then(|| {
        (
            vec![
                "Name".to_owned(),
                "Location".to_owned(),
                "Purpose".to_owned(),
            ],
            rows,
            j,
        )
    })
}
