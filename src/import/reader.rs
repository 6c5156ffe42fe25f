//! Reading a page into tables: Markdown pipe tables and bullet lists,
//! tables flattened by copying a web page as text, label-value blocks, and
//! CSV. What the cells mean is decided in `interpret`.

use super::page::Heading;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    Name,
    Purpose,
    Data,
    Location,
    Address,
    Website,
    Notes,
    /// "Date added": the day it entered service.
    Added,
    /// Whose data: data subjects.
    Subjects,
    /// How a transfer is covered ("Safeguards", "Transfer mechanism").
    Transfer,
    /// How long data is kept.
    Retention,
    /// Derived on the published page (Last updated): not imported.
    Derived,
    Unknown,
}

pub(super) fn target(header: &str) -> Target {
    let h: String = header
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
    match h.as_str() {
        "sub processor"
        | "subprocessor"
        | "sub processors"
        | "subprocessors"
        | "vendor"
        | "vendors"
        | "provider"
        | "providers"
        | "entity"
        | "name"
        | "company"
        | "service provider"
        | "third party"
        | "sub processor name"
        | "vendor name"
        | "unterauftragsverarbeiter"
        | "auftragsverarbeiter"
        | "dienstleister"
        | "anbieter"
        | "name des unterauftragsverarbeiters"
        | "sous traitant"
        | "sous traitants"
        | "subencargado"
        | "subresponsable" => Target::Name,
        "purpose"
        | "purposes"
        | "processing activity"
        | "service"
        | "feature"
        | "description"
        | "description of processing"
        | "nature of processing"
        | "purpose of processing"
        | "services provided"
        | "function"
        | "zweck"
        | "zweck der verarbeitung"
        | "leistung"
        | "tätigkeit"
        | "art der verarbeitung"
        | "finalité"
        | "finalidad" => Target::Purpose,
        "data"
        | "categories of data processed"
        | "data shared"
        | "data categories"
        | "categories of data"
        | "categories of personal data"
        | "type of data"
        | "types of data"
        | "personal data"
        | "data processed"
        | "daten"
        | "datenkategorien"
        | "kategorien personenbezogener daten"
        | "art der daten" => Target::Data,
        "location"
        | "location of processing"
        | "country"
        | "region"
        | "hosting"
        | "locations"
        | "processing location"
        | "data location"
        | "server location"
        | "countries"
        | "standort"
        | "ort der verarbeitung"
        | "land"
        | "länder"
        | "sitz"
        | "pays" => Target::Location,
        "legal address" | "address" | "registered address" | "corporate address" | "anschrift"
        | "adresse" => Target::Address,
        "website" | "url" | "web" | "link" => Target::Website,
        "notes" | "note" | "remarks" | "comments" | "bemerkungen" | "hinweise" => Target::Notes,
        // The company's own offering beside the vendor: kept in notes.
        "service region"
        | "customer region"
        | "applies to"
        | "our product"
        | "product"
        | "offering"
        | "used for customers in" => Target::Unknown,
        "data subjects"
        | "categories of data subjects"
        | "whose data"
        | "betroffene"
        | "betroffene personen"
        | "kategorien betroffener personen" => Target::Subjects,
        "safeguards"
        | "transfer mechanism"
        | "transfer mechanisms"
        | "transfer basis"
        | "transfer safeguards"
        | "legal basis for transfer"
        | "garantien"
        | "geeignete garantien" => Target::Transfer,
        "retention" | "retention period" | "speicherdauer" => Target::Retention,
        "added" | "date added" | "in service since" | "since" | "hinzugefügt" => Target::Added,
        "last updated" | "stand" => Target::Derived,
        _ => Target::Unknown,
    }
}

/// One table of the page (a bullet list is a two-column table).
#[derive(Clone, Debug)]
pub(super) struct Table {
    pub(super) heading: Option<Heading>,
    pub(super) headers: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
}

/// Stands for `\;` in a cell: a `;` inside a data category.
pub(super) const INNER_SEMICOLON: char = '\u{1f}';

/// Splits a Markdown table row on `|` (not `\|`).
pub(super) fn pipe_cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // An escaped `;` is part of a data category, not between two.
            '\\' if chars.peek() == Some(&';') => {
                chars.next();
                cell.push(INNER_SEMICOLON);
            }
            '\\' if chars.peek().is_some() => {
                let next = chars.next().unwrap_or_default();
                cell.push(next);
            }
            '|' => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells.into_iter().map(|c| unmarkdown(c.trim())).collect()
}

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

pub(super) fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Whether a line reads as a heading: short, no final period.
pub(super) fn heading_like(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars().count() <= 90
        && !t.ends_with('.')
        && !t.ends_with(':')
        && !t.starts_with('|')
}

/// The heading and intro from the lines before a table: the intro is the
/// run of sentence lines just before it, the title the line before those.
pub(super) fn heading_from(before: &[String]) -> Option<(Heading, usize)> {
    let mut intro = Vec::new();
    let mut transparency = false;
    let mut i = before.len();
    while i > 0 {
        let line = &before[i - 1];
        // An emphasised remark (our own page writes one for transparency
        // sections) is neither the title nor the intro.
        if line.len() > 2 && line.starts_with('_') && line.ends_with('_') {
            transparency |= line.to_lowercase().contains("transparency");
            i -= 1;
            continue;
        }
        // The page's date ("Stand: 07.04.2026") is no section's title.
        if super::about::date(line.split_once(':').map_or("", |(_, d)| d)).is_some() {
            i -= 1;
            continue;
        }
        if heading_like(line) {
            intro.reverse();
            let title = unmarkdown(&unescape(line.trim_start_matches('#').trim()));
            return Some((
                Heading {
                    title,
                    intro,
                    transparency,
                },
                before.len() - (i - 1),
            ));
        }
        intro.push(unmarkdown(&unescape(line)));
        i -= 1;
        if intro.len() > 4 {
            break;
        }
    }
    None
}

/// A table found after the lines `before` (which give its heading and are
/// then used up), and how many of the last lines of `before` its heading
/// took.
pub(super) fn table_taking(
    before: &mut Vec<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
) -> (Table, usize) {
    let found = heading_from(before);
    before.clear();
    let taken = found.as_ref().map_or(0, |(_, n)| *n);
    (
        Table {
            heading: found.map(|(h, _)| h),
            headers,
            rows,
        },
        taken,
    )
}

/// The tables of a page, and which of its lines they (and their headings)
/// took.
pub(super) struct Read {
    pub(super) tables: Vec<Table>,
    pub(super) lines: Vec<String>,
    pub(super) taken: Vec<bool>,
    /// The line where the first table's heading starts.
    pub(super) first_section: usize,
}

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
        && !t.ends_with(['.', ':', ';', ','])
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
fn about_vendors(before: &[String]) -> bool {
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
fn names_only(lines: &[&str], i: usize) -> Option<usize> {
    let mut j = i;
    while j < lines.len() && name_like(lines[j]) {
        j += 1;
    }
    (j - i >= 3 && lines.get(j).is_none_or(|l| l.trim().is_empty())).then_some(j)
}

/// A tab-separated table at `i`: its header (known column names), its
/// rows (a row whose cells wrap across lines is joined), and where it ends.
fn tab_table(lines: &[&str], i: usize) -> Option<(Vec<String>, Vec<Vec<String>>, usize)> {
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
fn annex(lines: &[&str], i: usize) -> Option<(Vec<String>, Vec<Vec<String>>, usize)> {
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
    let k = paragraphs
        .iter()
        .take_while(|(p, blanks, _)| !p.is_empty() && target(p) != Target::Unknown && *blanks == 1)
        .count();
    let header_ok = k >= 2
        && paragraphs[..k]
            .iter()
            .any(|(p, _, _)| target(p) == Target::Name)
        && paragraphs
            .get(k)
            .is_some_and(|(p, _, _)| target(p) == Target::Unknown);
    if !header_ok {
        return None;
    }
    let headers: Vec<String> = paragraphs[..k].iter().map(|(p, _, _)| p.clone()).collect();
    // The cells: each paragraph, and an empty one for each two extra blanks;
    // with the line each cell's paragraph ends at.
    let mut cells: Vec<(String, usize)> = Vec::new();
    for (p, blanks, after) in &paragraphs[k..] {
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
    let end = cells[whole * k - 1].1;
    Some((headers, rows, end))
}

/// One heading per vendor at `i` ("### Hetzner Online GmbH"), each
/// followed by a list of links (its website first) and perhaps a line on
/// what it does; at least two in a row, at one heading level.
fn vendor_headings(lines: &[&str], i: usize) -> Option<(Vec<String>, Vec<Vec<String>>, usize)> {
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
        while k < lines.len() && level(lines[k]).is_none() && !lines[k].trim().starts_with('#') {
            let t = lines[k].trim();
            if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
                let (label, url) = super::interpret::delink(item);
                match url {
                    Some(url) => links.push((label, url)),
                    None => text.push(item.to_owned()),
                }
            } else if !t.is_empty() {
                if t.starts_with('|') {
                    return None;
                }
                text.push(super::interpret::delink(t).0);
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
fn vendor_paragraphs(lines: &[&str], i: usize) -> Option<(Vec<String>, Vec<Vec<String>>, usize)> {
    let title = |line: &str| -> Option<(String, String)> {
        let t = line.trim();
        let (name, rest) = [" - ", " – ", " — "]
            .iter()
            .find_map(|sep| t.split_once(sep))?;
        let place = rest.split('(').next().unwrap_or(rest).trim();
        let (codes, _, unknown) = super::interpret::locations(place);
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

/// The tables of a page of text or Markdown, with the lines they took.
pub(super) fn read_text(text: &str) -> Read {
    let lines: Vec<&str> = text.lines().collect();
    let mut taken = vec![false; lines.len()];
    let mut first_section = lines.len();
    let mut tables = Vec::new();
    let mut before: Vec<String> = Vec::new();
    let mut before_at: Vec<usize> = Vec::new();
    // A table from lines `from..to`, its heading from `before`.
    let mut push = |before: &mut Vec<String>,
                    before_at: &mut Vec<usize>,
                    taken: &mut Vec<bool>,
                    tables: &mut Vec<Table>,
                    headers: Vec<String>,
                    rows: Vec<Vec<String>>,
                    from: usize,
                    to: usize| {
        let (table, n) = table_taking(before, headers, rows);
        let heading_at = before_at.len() - n;
        for &at in &before_at[heading_at..] {
            taken[at] = true;
        }
        let start = before_at.get(heading_at).copied().unwrap_or(from);
        first_section = first_section.min(start);
        before_at.clear();
        for t in &mut taken[from..to] {
            *t = true;
        }
        tables.push(table);
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        // One heading per vendor, each followed by its links.
        if let Some((headers, rows, end)) = vendor_headings(&lines, i) {
            push(
                &mut before,
                &mut before_at,
                &mut taken,
                &mut tables,
                headers,
                rows,
                i,
                end,
            );
            i = end;
            continue;
        }
        // A Markdown heading starts a new context.
        if line.starts_with('#') {
            before = vec![line.trim_start_matches('#').trim().to_owned()];
            before_at = vec![i];
            i += 1;
            continue;
        }
        // A pipe table.
        if line.starts_with('|') {
            let from = i;
            let mut rows: Vec<Vec<String>> = Vec::new();
            while i < lines.len() && lines[i].trim().starts_with('|') {
                if !is_separator(lines[i]) {
                    rows.push(pipe_cells(lines[i]));
                }
                i += 1;
            }
            if rows.len() >= 2 {
                let headers = rows.remove(0);
                push(
                    &mut before,
                    &mut before_at,
                    &mut taken,
                    &mut tables,
                    headers,
                    rows,
                    from,
                    i,
                );
            }
            before.clear();
            before_at.clear();
            continue;
        }
        // Bullets.
        if bullet(line).is_some() {
            let from = i;
            let mut rows = Vec::new();
            while i < lines.len() {
                match bullet(lines[i]) {
                    Some((name, purpose, url)) => {
                        rows.push(vec![name, purpose, url.unwrap_or_default()]);
                        i += 1;
                    }
                    None => break,
                }
            }
            let headers = vec!["Name".into(), "Purpose".into(), "Website".into()];
            push(
                &mut before,
                &mut before_at,
                &mut taken,
                &mut tables,
                headers,
                rows,
                from,
                i,
            );
            continue;
        }
        // A flattened table: a header line of known column names.
        if let Some(headers) = flattened_header(line) {
            let from = i;
            let mut rows = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim().is_empty() {
                rows.push(split_flattened(lines[i].trim(), headers.len()));
                i += 1;
            }
            push(
                &mut before,
                &mut before_at,
                &mut taken,
                &mut tables,
                headers,
                rows,
                from,
                i,
            );
            continue;
        }
        // A table copied from a web page as tab-separated cells, rows
        // wrapping across lines.
        if let Some((headers, rows, end)) = tab_table(&lines, i) {
            push(
                &mut before,
                &mut before_at,
                &mut taken,
                &mut tables,
                headers,
                rows,
                i,
                end,
            );
            i = end;
            continue;
        }
        // A DPA annex: each cell its own paragraph, the header cells first.
        if let Some((headers, rows, end)) = annex(&lines, i) {
            push(
                &mut before,
                &mut before_at,
                &mut taken,
                &mut tables,
                headers,
                rows,
                i,
                end,
            );
            i = end;
            continue;
        }
        // Vendors as paragraphs: "Name - Country (EU)", then what it does.
        if let Some((headers, rows, end)) = vendor_paragraphs(&lines, i) {
            push(
                &mut before,
                &mut before_at,
                &mut taken,
                &mut tables,
                headers,
                rows,
                i,
                end,
            );
            i = end;
            continue;
        }
        // A list of names only, one a line, under a heading that says what
        // they are.
        if about_vendors(&before)
            && let Some(end) = names_only(&lines, i)
        {
            let rows = lines[i..end]
                .iter()
                .map(|l| vec![l.trim().to_owned()])
                .collect();
            push(
                &mut before,
                &mut before_at,
                &mut taken,
                &mut tables,
                vec!["Name".to_owned()],
                rows,
                i,
                end,
            );
            i = end;
            continue;
        }
        // Label-value blocks: a run of labels, then lines starting with them.
        let mut labels = Vec::new();
        let mut j = i;
        while j < lines.len() && heading_like(lines[j]) && lines[j].trim().chars().count() <= 40 {
            let l = lines[j].trim();
            // The first record starts with the first label.
            if labels.first().is_some_and(|first: &String| {
                l.starts_with(first.as_str()) && l.len() > first.len()
            }) {
                break;
            }
            labels.push(l.to_owned());
            j += 1;
        }
        if labels.len() >= 2
            && j < lines.len()
            && lines[j].trim().starts_with(&labels[0])
            && lines[j].trim().len() > labels[0].len()
        {
            let mut rows: Vec<Vec<String>> = Vec::new();
            while j < lines.len() {
                let l = lines[j].trim();
                let Some((k, label)) = labels
                    .iter()
                    .enumerate()
                    .filter(|(_, label)| l.starts_with(label.as_str()) && l.len() > label.len())
                    .max_by_key(|(_, label)| label.len())
                else {
                    break;
                };
                let value = l[label.len()..].trim().to_owned();
                if k == 0 {
                    rows.push(vec![String::new(); labels.len()]);
                }
                if let Some(row) = rows.last_mut() {
                    row[k] = value;
                }
                j += 1;
            }
            push(
                &mut before,
                &mut before_at,
                &mut taken,
                &mut tables,
                labels,
                rows,
                i,
                j,
            );
            i = j;
            continue;
        }
        before.push(line.to_owned());
        before_at.push(i);
        i += 1;
    }
    Read {
        tables,
        lines: lines.iter().map(|l| (*l).to_owned()).collect(),
        taken,
        first_section,
    }
}

/// The delimiter of a CSV file: `,`, `;` (Excel in German and French
/// locales) or tab, whichever splits its first records into the same
/// number of cells, most of them.
fn delimiter(text: &str) -> Option<u8> {
    let mut best: Option<(u8, usize)> = None;
    for d in [b',', b';', b'\t'] {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let counts: Vec<usize> = reader
            .records()
            .take(5)
            .filter_map(|r| r.ok())
            .map(|r| r.len())
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        // Every record but perhaps one (a row with an extra cell) agrees.
        let agree = counts.iter().filter(|&&c| c == first).count();
        if first > 1
            && agree + 1 >= counts.len()
            && agree >= 2.min(counts.len())
            && best.is_none_or(|(_, n)| first > n)
        {
            best = Some((d, first));
        }
    }
    best.map(|(d, _)| d)
}

/// Whether text reads as CSV: its first records split into the same
/// number of cells (at least two) by one delimiter.
pub(super) fn looks_like_csv(text: &str) -> bool {
    text.lines().filter(|l| !l.trim().is_empty()).count() >= 2 && delimiter(text).is_some()
}

/// A CSV file as tables: the first record is the header, a "section" (or
/// "category") column groups rows. Returns what was skipped, too: header
/// rows repeated below the first, unreadable records.
pub(super) fn csv_tables(text: &str) -> (Vec<Table>, Vec<String>) {
    let mut skipped = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text).unwrap_or(b','))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records: Vec<Vec<String>> = Vec::new();
    for (n, record) in reader.records().enumerate() {
        match record {
            Ok(r) if r.iter().any(|c| !c.trim().is_empty()) => {
                records.push(r.iter().map(|c| c.trim().to_owned()).collect());
            }
            Ok(_) => {}
            Err(e) => skipped.push(format!("record {} of the CSV: {e}", n + 1)),
        }
    }
    if records.len() < 2 {
        return (Vec::new(), skipped);
    }
    let mut headers: Vec<String> = records.remove(0);
    let same = |a: &[String], b: &[String]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
    };
    // Cells beyond the header's columns are kept, under a header of their own.
    let widest = records.iter().map(Vec::len).max().unwrap_or(0);
    for extra in headers.len()..widest {
        headers.push(format!("Column {}", extra + 1));
    }
    let section = headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case("section") || h.eq_ignore_ascii_case("category"));
    let mut groups: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    for (n, record) in records.into_iter().enumerate() {
        if same(&record, &headers[..record.len().min(headers.len())]) && record.len() > 1 {
            skipped.push(format!("row {}: the header row again", n + 2));
            continue;
        }
        let key = section
            .and_then(|s| record.get(s).cloned())
            .unwrap_or_default();
        let cells: Vec<String> = record
            .into_iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != section)
            .map(|(_, c)| c.trim_start_matches('\'').to_owned())
            .collect();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, rows)) => rows.push(cells),
            None => groups.push((key, vec![cells])),
        }
    }
    let headers: Vec<String> = headers
        .into_iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != section)
        .map(|(_, h)| h)
        .collect();
    let tables = groups
        .into_iter()
        .map(|(key, rows)| Table {
            heading: (!key.is_empty()).then(|| Heading {
                title: key,
                intro: Vec::new(),
                transparency: false,
            }),
            headers: headers.clone(),
            rows,
        })
        .collect();
    (tables, skipped)
}

// ---------------------------------------------------------- normalising
