//! Importing an existing sub-processor page (Markdown, CSV, or text copied
//! from a web page) into vendor files. Best effort, and honest: every cell
//! either fills a field or is kept in `notes` under its header, required
//! fields the page does not give are written as "TBD" so `check` flags them,
//! and the report says what was guessed.

use crate::register::{location, suggest_id};
use std::collections::BTreeMap;

/// The input's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Headings, pipe tables and bullet lists
    Markdown,
    /// A header row, then one row per vendor
    Csv,
    /// Text copied from a web page: flattened tables, label-value blocks
    Text,
}

/// A section of the page: its title and introduction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heading {
    pub title: String,
    pub intro: Vec<String>,
    /// An emphasised line said the section is listed for transparency.
    pub transparency: bool,
}

/// One table of the page (a bullet list is a two-column table).
#[derive(Clone, Debug)]
struct Table {
    heading: Option<Heading>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Name,
    Purpose,
    Data,
    Location,
    Address,
    Website,
    Notes,
    /// Derived on the published page (Added, Last updated): not imported.
    Derived,
    Unknown,
}

fn target(header: &str) -> Target {
    let h: String = header
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
    match h.as_str() {
        "sub processor" | "subprocessor" | "sub processors" | "subprocessors" | "vendor"
        | "provider" | "entity" | "name" => Target::Name,
        "purpose" | "processing activity" | "service" | "feature" => Target::Purpose,
        "data"
        | "categories of data processed"
        | "data shared"
        | "data categories"
        | "categories of data"
        | "personal data" => Target::Data,
        "location" | "location of processing" | "country" | "region" | "hosting" | "locations" => {
            Target::Location
        }
        "legal address" | "address" => Target::Address,
        "website" => Target::Website,
        "notes" | "note" | "remarks" => Target::Notes,
        "added" | "last updated" => Target::Derived,
        _ => Target::Unknown,
    }
}

/// A vendor read from the page.
#[derive(Clone, Debug, Default)]
pub struct Imported {
    pub id: String,
    pub name: String,
    pub section: String,
    pub optional: bool,
    pub feature: Option<String>,
    pub purpose: Option<String>,
    pub data: Vec<String>,
    pub locations: Vec<String>,
    pub location_note: Option<String>,
    pub legal_address: Option<String>,
    pub website: Option<String>,
    pub notes: Vec<String>,
    /// What could not be filled or was guessed, for the report.
    pub gaps: Vec<String>,
}

/// A section to declare in subledger.toml.
#[derive(Clone, Debug)]
pub struct SectionOut {
    pub id: String,
    pub title: String,
    pub intro: Option<String>,
    pub transparency: bool,
}

/// Everything read from the page.
#[derive(Debug, Default)]
pub struct Import {
    pub sections: Vec<SectionOut>,
    pub vendors: Vec<Imported>,
    /// Things on the page that were not understood.
    pub skipped: Vec<String>,
}

/// Reads a page.
pub fn read(text: &str, format: Format) -> Import {
    let text = text.replace("\r\n", "\n").replace('\u{a0}', " ");
    let tables = match format {
        Format::Csv => csv_tables(&text),
        Format::Markdown | Format::Text => text_tables(&text),
    };
    build(tables)
}

// ---------------------------------------------------------------- parsing

/// Splits a Markdown table row on `|` (not `\|`).
fn pipe_cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
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
fn unescape(text: &str) -> String {
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
fn unmarkdown(text: &str) -> String {
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("<br>", "; ");
    let text = text.replace("**", "").replace("__", "");
    text.trim().to_owned()
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Whether a line reads as a heading: short, no final period.
fn heading_like(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars().count() <= 90
        && !t.ends_with('.')
        && !t.ends_with(':')
        && !t.starts_with('|')
}

/// The heading and intro from the lines before a table: the intro is the
/// run of sentence lines just before it, the title the line before those.
fn heading_from(before: &[String]) -> Option<Heading> {
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
        if heading_like(line) {
            intro.reverse();
            let title = unmarkdown(&unescape(line.trim_start_matches('#').trim()));
            return Some(Heading {
                title,
                intro,
                transparency,
            });
        }
        intro.push(unmarkdown(&unescape(line)));
        i -= 1;
        if intro.len() > 4 {
            break;
        }
    }
    None
}

/// A table found after the lines `before`, which give its heading and are
/// then used up.
fn table_after(before: &mut Vec<String>, headers: Vec<String>, rows: Vec<Vec<String>>) -> Table {
    let heading = heading_from(before);
    before.clear();
    Table {
        heading,
        headers,
        rows,
    }
}

/// Known header phrases, longest first, for flattened tables.
const HEADER_WORDS: &[&str] = &[
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
fn flattened_header(line: &str) -> Option<Vec<String>> {
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
fn split_flattened(line: &str, n: usize) -> Vec<String> {
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
fn bullet(line: &str) -> Option<(String, String, Option<String>)> {
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
    None
}

fn text_tables(text: &str) -> Vec<Table> {
    let lines: Vec<&str> = text.lines().collect();
    let mut tables = Vec::new();
    let mut before: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        // A Markdown heading starts a new context.
        if line.starts_with('#') {
            before = vec![line.trim_start_matches('#').trim().to_owned()];
            i += 1;
            continue;
        }
        // A pipe table.
        if line.starts_with('|') {
            let mut rows: Vec<Vec<String>> = Vec::new();
            while i < lines.len() && lines[i].trim().starts_with('|') {
                if !is_separator(lines[i]) {
                    rows.push(pipe_cells(lines[i]));
                }
                i += 1;
            }
            if rows.len() >= 2 {
                let headers = rows.remove(0);
                tables.push(table_after(&mut before, headers, rows));
            }
            before.clear();
            continue;
        }
        // Bullets.
        if bullet(line).is_some() {
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
            tables.push(table_after(&mut before, headers, rows));
            continue;
        }
        // A flattened table: a header line of known column names.
        if let Some(headers) = flattened_header(line) {
            let mut rows = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim().is_empty() {
                rows.push(split_flattened(lines[i].trim(), headers.len()));
                i += 1;
            }
            tables.push(table_after(&mut before, headers, rows));
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
            tables.push(table_after(&mut before, labels, rows));
            i = j;
            continue;
        }
        before.push(line.to_owned());
        i += 1;
    }
    tables
}

/// RFC 4180 CSV: quoted cells, doubled quotes, newlines inside quotes.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if cell.is_empty() => quoted = true,
            (',', false) => record.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                record.push(std::mem::take(&mut cell));
                if record.iter().any(|c| !c.trim().is_empty()) {
                    records.push(std::mem::take(&mut record));
                } else {
                    record.clear();
                }
            }
            (c, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !record.is_empty() {
        record.push(cell);
        if record.iter().any(|c| !c.trim().is_empty()) {
            records.push(record);
        }
    }
    records
}

fn csv_tables(text: &str) -> Vec<Table> {
    let mut records = csv_records(text);
    if records.len() < 2 {
        return Vec::new();
    }
    let headers: Vec<String> = records
        .remove(0)
        .into_iter()
        .map(|h| h.trim().to_owned())
        .collect();
    // A "section" column groups rows; otherwise one table.
    let section = headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case("section"));
    let mut groups: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    for record in records {
        let key = section
            .and_then(|s| record.get(s).cloned())
            .unwrap_or_default();
        let cells: Vec<String> = record
            .into_iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != section)
            .map(|(_, c)| c.trim().trim_start_matches('\'').to_owned())
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
    groups
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
        .collect()
}

// ---------------------------------------------------------- normalising

/// Splits on `sep` outside parentheses.
fn split_outside(text: &str, sep: char) -> Vec<String> {
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

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Data categories: `;`-separated when the cell has `;`, else `,`.
fn categories(cell: &str) -> Vec<String> {
    let sep = if cell.contains(';') { ';' } else { ',' };
    split_outside(cell, sep)
        .iter()
        .map(|s| {
            let s = s
                .strip_prefix("and ")
                .or_else(|| s.strip_prefix("or "))
                .unwrap_or(s);
            capitalise(s)
        })
        .collect()
}

/// One location word to a code.
fn location_code(word: &str) -> Option<String> {
    let w = word.trim().trim_end_matches('.');
    let lower = w.to_lowercase();
    let fixed = match lower.as_str() {
        "us" | "usa" | "u.s." | "u.s.a." | "united states" | "united states of america" => {
            Some("US")
        }
        "uk" | "united kingdom" | "great britain" => Some("GB"),
        "eu" | "european union" | "europe" => Some("EU"),
        "eea" | "european economic area" => Some("EEA"),
        "global" | "worldwide" | "world" => Some("GLOBAL"),
        "customer location"
        | "customer-selected region"
        | "customer selected region"
        | "customer region" => Some("CUSTOMER"),
        _ => None,
    };
    if let Some(code) = fixed {
        return Some(code.to_owned());
    }
    if w.len() == 2 && location::is_known(&w.to_uppercase()) {
        return Some(w.to_uppercase());
    }
    location::code_of_name(w).map(str::to_owned)
}

/// A location cell to codes, a note, and what could not be read.
fn locations(cell: &str) -> (Vec<String>, Option<String>, Vec<String>) {
    if matches!(
        cell.trim().to_uppercase().as_str(),
        "TBD" | "TBC" | "TBA" | "?"
    ) {
        return (Vec::new(), None, Vec::new());
    }
    let mut codes = Vec::new();
    let mut notes = Vec::new();
    let mut unknown = Vec::new();
    // Parenthetical remarks: a location clarifying the one before it is
    // dropped, anything else is a note.
    let mut main = String::new();
    let mut depth = 0;
    let mut paren = String::new();
    for c in cell.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth > 1 {
                    paren.push(c);
                }
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let text = std::mem::take(&mut paren).trim().to_owned();
                    if location_code(&text).is_none() && !text.is_empty() {
                        notes.push(text);
                    }
                } else {
                    paren.push(c);
                }
            }
            _ if depth > 0 => paren.push(c),
            _ => main.push(c),
        }
    }
    for part in main.split([',', '/', ';']).flat_map(|p| p.split(" and ")) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        match location_code(part) {
            Some(code) => {
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
            None => unknown.push(part.to_owned()),
        }
    }
    let note = (!notes.is_empty()).then(|| notes.join("; "));
    (codes, note, unknown)
}

/// The feature an optional vendor depends on, from its purpose.
fn feature_from(purpose: &str) -> Option<String> {
    let lower = purpose.to_lowercase();
    for marker in ["engaged only when ", "only when ", "when "] {
        if let Some(at) = lower.find(marker) {
            let rest = &purpose[at + marker.len()..];
            for end in [
                " are enabled",
                " is enabled",
                " is turned on",
                " are turned on",
            ] {
                if let Some(stop) = rest.to_lowercase().find(end) {
                    return Some(rest[..stop].trim().to_owned());
                }
            }
        }
    }
    None
}

/// Engagement words in a section title or cell.
fn says_optional(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("optional")
        || lower.contains("(if enabled)")
        || lower.contains("only if you turn")
        || lower.contains("only when")
        || (lower.contains(" if ") && lower.contains("enabled"))
}

fn slug(text: &str) -> String {
    suggest_id(text).unwrap_or_else(|| "vendor".to_owned())
}

fn build(tables: Vec<Table>) -> Import {
    let mut import = Import::default();
    let mut used: BTreeMap<String, String> = BTreeMap::new();
    // The last number given to each repeated id.
    let mut counters: BTreeMap<String, usize> = BTreeMap::new();
    for (t, table) in tables.into_iter().enumerate() {
        let heading = table.heading.clone().unwrap_or(Heading {
            title: "Sub-processors".to_owned(),
            intro: Vec::new(),
            transparency: false,
        });
        let section_id = slug(&heading.title);
        let intro_text = heading.intro.join(" ");
        let transparency = {
            let lower = format!("{} {}", heading.title, intro_text).to_lowercase();
            heading.transparency
                || lower.contains("transparency")
                || lower.contains("not sub-processors")
                || lower.contains("not subprocessors")
        };
        let section_optional = says_optional(&heading.title);
        let mut targets: Vec<Target> = table.headers.iter().map(|h| target(h)).collect();
        // No column names the vendor: the first column does; no purpose:
        // the second.
        let mut guessed = Vec::new();
        if !targets.contains(&Target::Name) && !targets.is_empty() {
            guessed.push(format!("column \"{}\" read as the name", table.headers[0]));
            targets[0] = Target::Name;
        }
        if !targets.contains(&Target::Purpose)
            && let Some(i) = targets.iter().position(|t| *t == Target::Unknown)
        {
            guessed.push(format!(
                "column \"{}\" read as the purpose",
                table.headers[i]
            ));
            targets[i] = Target::Purpose;
        }
        let mut vendors_here = 0;
        for row in &table.rows {
            let cell = |target: Target| -> Option<String> {
                targets
                    .iter()
                    .position(|t| *t == target)
                    .and_then(|i| row.get(i))
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty())
            };
            let Some(mut name) = cell(Target::Name) else {
                import.skipped.push(format!(
                    "a row without a name in table {}: {}",
                    t + 1,
                    row.join(" | ")
                ));
                continue;
            };
            let mut v = Imported {
                section: section_id.clone(),
                gaps: guessed.clone(),
                ..Imported::default()
            };
            // Engagement and badges written after the name.
            for (suffix, optional) in [
                (" optional", Some(true)),
                (" core", Some(false)),
                (" New", None),
                (" new", None),
            ] {
                if let Some(stripped) = name.strip_suffix(suffix) {
                    name = stripped.trim().to_owned();
                    match optional {
                        Some(o) => v.optional = o,
                        None => v.gaps.push(
                            "a \"New\" badge on the page (dropped: the ledger derives it)"
                                .to_owned(),
                        ),
                    }
                }
            }
            if let Some(at) = name.find(" (optional") {
                let tail = name[at..]
                    .trim()
                    .trim_start_matches('(')
                    .trim_end_matches(')')
                    .to_owned();
                v.optional = true;
                v.feature = tail
                    .split_once(':')
                    .map(|(_, f)| f.trim().to_owned())
                    .filter(|f| !f.is_empty());
                name = name[..at].trim().to_owned();
            }
            v.name = name;
            v.purpose = cell(Target::Purpose);
            if let Some(p) = &v.purpose
                && p.to_lowercase().contains("(if enabled)")
            {
                let stripped = p.replace("(if enabled)", "").replace("(If enabled)", "");
                let stripped = stripped.split_whitespace().collect::<Vec<_>>().join(" ");
                v.optional = true;
                v.feature.get_or_insert_with(|| stripped.clone());
                v.purpose = Some(stripped);
            }
            if section_optional {
                v.optional = true;
            }
            if v.optional && v.feature.is_none() {
                let from_purpose = v.purpose.as_deref().and_then(feature_from);
                v.feature = from_purpose.or_else(|| {
                    v.purpose.as_deref().map(|p| {
                        let first = p.split(['.', '(']).next().unwrap_or(p).trim();
                        v.gaps.push("feature taken from the purpose".to_owned());
                        first.to_owned()
                    })
                });
            }
            v.data = match cell(Target::Data) {
                Some(c) => categories(&c),
                // The page has no data column: its purpose column usually
                // says what data it handles ("Processing Activity").
                None if !targets.contains(&Target::Data) => match &v.purpose {
                    Some(p) => {
                        v.gaps.push("data_categories taken from the purpose column (the page has no data column)".to_owned());
                        categories(p)
                    }
                    None => Vec::new(),
                },
                None => Vec::new(),
            };
            if let Some(loc) = cell(Target::Location) {
                let (codes, note, unknown) = locations(&loc);
                v.locations = codes;
                let mut notes: Vec<String> = note.into_iter().collect();
                if !unknown.is_empty() {
                    v.gaps.push(format!(
                        "location \"{}\" kept as location_note",
                        unknown.join(", ")
                    ));
                    notes.push(unknown.join(", "));
                }
                v.location_note = (!notes.is_empty()).then(|| notes.join("; "));
            }
            v.legal_address = cell(Target::Address);
            v.website = cell(Target::Website);
            v.notes.extend(cell(Target::Notes));
            for (i, t) in targets.iter().enumerate() {
                if *t == Target::Unknown
                    && let Some(value) = row.get(i).map(|c| c.trim()).filter(|c| !c.is_empty())
                {
                    v.notes.push(format!("{}: {}", table.headers[i], value));
                }
            }
            // Required fields the page does not give.
            if v.purpose.is_none() {
                v.gaps
                    .push("purpose (not on the page; written as TBD)".to_owned());
            }
            if v.data.is_empty() {
                v.gaps
                    .push("data_categories (not on the page; written as TBD)".to_owned());
            }
            if v.locations.is_empty() {
                v.gaps
                    .push("locations (not on the page; written as TBD)".to_owned());
            }
            // A stable id: the name's slug; the section's added when the name
            // is already taken in another section, a number within one.
            let mut id = slug(&v.name);
            if let Some(section) = used.get(&id)
                && *section != v.section
            {
                id = suggest_id(&format!("{id}-{}", v.section)).unwrap_or(id);
            }
            let base = id.clone();
            let next = counters.entry(base.clone()).or_insert(1);
            while used.contains_key(&id) {
                *next += 1;
                id = format!("{base}-{next}");
            }
            used.insert(id.clone(), v.section.clone());
            v.id = id;
            import.vendors.push(v);
            vendors_here += 1;
        }
        if vendors_here > 0 && !import.sections.iter().any(|s| s.id == section_id) {
            import.sections.push(SectionOut {
                id: section_id,
                title: heading.title.clone(),
                intro: (!intro_text.is_empty()).then_some(intro_text),
                transparency,
            });
        }
    }
    import
}

// -------------------------------------------------------------- writing

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn toml_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|i| toml_string(i)).collect();
    format!("[{}]", inner.join(", "))
}

/// The vendor file for an imported vendor.
pub fn vendor_file(v: &Imported) -> String {
    let tbd = vec!["TBD".to_owned()];
    let mut out = String::new();
    out.push_str(&format!("name = {}\n", toml_string(&v.name)));
    if let Some(a) = &v.legal_address {
        out.push_str(&format!("legal_address = {}\n", toml_string(a)));
    }
    if let Some(w) = &v.website {
        out.push_str(&format!("website = {}\n", toml_string(w)));
    }
    out.push_str(&format!("section = {}\n", toml_string(&v.section)));
    if v.optional {
        out.push_str("engagement = \"optional\"\n");
        out.push_str(&format!(
            "feature = {}\n",
            toml_string(v.feature.as_deref().unwrap_or("TBD"))
        ));
    }
    out.push_str(&format!(
        "purpose = {}\n",
        toml_string(v.purpose.as_deref().unwrap_or("TBD"))
    ));
    out.push_str(&format!(
        "data_categories = {}\n",
        toml_list(if v.data.is_empty() { &tbd } else { &v.data })
    ));
    out.push_str(&format!(
        "locations = {}\n",
        toml_list(if v.locations.is_empty() {
            &tbd
        } else {
            &v.locations
        })
    ));
    if let Some(n) = &v.location_note {
        out.push_str(&format!("location_note = {}\n", toml_string(n)));
    }
    if !v.notes.is_empty() {
        out.push_str(&format!("notes = {}\n", toml_string(&v.notes.join("; "))));
    }
    out
}

/// `[[section]]` tables to add to subledger.toml.
pub fn section_tables(sections: &[SectionOut]) -> String {
    let mut out = String::new();
    for s in sections {
        out.push_str(&format!(
            "\n[[section]]\nid = {}\ntitle = {}\n",
            toml_string(&s.id),
            toml_string(&s.title)
        ));
        if let Some(intro) = &s.intro {
            out.push_str(&format!("intro = {}\n", toml_string(intro)));
        }
        out.push_str(&format!(
            "scope = {}\n",
            toml_string(if s.transparency {
                "transparency"
            } else {
                "subprocessor"
            })
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattened_rows_split_at_the_last_capitalised_word_outside_parentheses() {
        let cases = [
            (
                "Google Docs API HR letter generation (if enabled) Letter content/merge fields",
                [
                    "Google Docs API",
                    "HR letter generation (if enabled)",
                    "Letter content/merge fields",
                ],
            ),
            (
                "Thawani (Oman) Payment processing Billing/transaction data",
                [
                    "Thawani (Oman)",
                    "Payment processing",
                    "Billing/transaction data",
                ],
            ),
            (
                "Google Search Console SEO Search-console data",
                ["Google Search Console", "SEO", "Search-console data"],
            ),
            (
                "GA4 / optional Umami Web analytics Usage/telemetry (no HR records)",
                [
                    "GA4 / optional Umami",
                    "Web analytics",
                    "Usage/telemetry (no HR records)",
                ],
            ),
        ];
        for (line, want) in cases {
            assert_eq!(split_flattened(line, 3), want, "{line}");
        }
    }

    #[test]
    fn locations_are_normalised() {
        let codes = |cell: &str| locations(cell);
        assert_eq!(codes("United States").0, ["US"]);
        assert_eq!(codes("USA/EU").0, ["US", "EU"]);
        let (c, note, _) = codes("Global (with EU-resident edge routing where applicable)");
        assert_eq!(c, ["GLOBAL"]);
        assert_eq!(
            note.as_deref(),
            Some("with EU-resident edge routing where applicable")
        );
        assert_eq!(codes("Customer location").0, ["CUSTOMER"]);
        let (c, note, _) = codes("Malta (European Union)");
        assert_eq!((c, note), (vec!["MT".to_owned()], None));
        let (c, _, unknown) = codes("Mars, Germany");
        assert_eq!(
            (c, unknown),
            (vec!["DE".to_owned()], vec!["Mars".to_owned()])
        );
    }

    #[test]
    fn headers_map_by_meaning() {
        assert_eq!(target("Sub-Processor"), Target::Name);
        assert_eq!(target("Processing Activity"), Target::Purpose);
        assert_eq!(target("Categories of data processed"), Target::Data);
        assert_eq!(target("Location of processing"), Target::Location);
        assert_eq!(target("Legal address"), Target::Address);
        assert_eq!(target("Who is responsible"), Target::Unknown);
    }
}
