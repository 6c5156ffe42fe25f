//! Reading a page of text or Markdown into tables: pipe tables and the
//! shapes in `shapes`, each with the heading and intro before it, and which
//! lines were taken. What the cells mean is decided in `interpret`.

use super::cells::{INNER_SEMICOLON, LINE_BREAK, unescape, unmarkdown};
use super::columns::Table;
use super::page::Heading;
use super::shapes::{
    Annex, about_vendors, annex, bullet, flattened_header, glued_header, names_only,
    split_flattened, tab_table, vendor_headings, vendor_paragraphs,
};

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
    // A line break in a cell is kept as LINE_BREAK: our own page puts
    // one labelled detail on each line ("Address: …").
    cells
        .into_iter()
        .map(|c| unmarkdown(&c.trim().replace("<br>", &LINE_BREAK.to_string())))
        .collect()
}

pub(super) fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Whether the lines before a list say it is something else: a change
/// log, contact details, the site's own links.
fn off_topic(before: &[String]) -> bool {
    before.iter().rev().take(2).any(|l| {
        let l = l.to_lowercase();
        [
            "change", "history", "log", "update", "question", "contact", "legal", "company",
            "resource", "about", "help", "news",
        ]
        .iter()
        .any(|w| l.contains(w))
    })
}

/// Whether a line reads as a heading: short, no final period.
pub(super) fn heading_like(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars().count() <= 90
        && !t.ends_with('.')
        && !t.ends_with(':')
        && !t.starts_with(['|', ':', ';', ','])
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
        // The notice term or the objection contact is the page's, not the
        // section's: left for `about`.
        if super::about::page_fact(line) {
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
            guessed: Vec::new(),
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
    /// What it saw and could not read, and why.
    pub(super) skipped: Vec<String>,
}

/// The tables of a page of text or Markdown, with the lines they took.
pub(super) fn read_text(text: &str) -> Read {
    let lines: Vec<&str> = text.lines().collect();
    let mut taken = vec![false; lines.len()];
    let mut first_section = lines.len();
    let mut tables = Vec::new();
    let mut skipped = Vec::new();
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
            // What the heading skipped as the page's own is left for `about`.
            taken[at] = !super::about::page_fact(lines[at]);
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
            // Names alone ("- Careers", "- Email us") are vendors only
            // where the page says so: under a heading about them, or
            // among the page's vendor lists, not under "Recent changes".
            let bare = rows.iter().all(|r| r[1].is_empty() && r[2].is_empty());
            if bare && !(about_vendors(&before) || (!tables.is_empty() && !off_topic(&before))) {
                before.clear();
                before_at.clear();
                continue;
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
        // A table whose cells run together: said, and left for the user.
        if glued_header(line) {
            let from = i;
            while i < lines.len() && !lines[i].trim().is_empty() {
                i += 1;
            }
            skipped.push(format!(
                "a table whose cells run together (\"{}\", {} rows): its rows cannot be split safely; copy the table again so its cells are separated by tabs, or save the page as HTML",
                line,
                i - from - 1
            ));
            before.clear();
            before_at.clear();
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
            if let Some(table) = tables.last_mut() {
                table.guessed.push(
                    "cells split at capitalised words (the copy lost the columns): check them"
                        .to_owned(),
                );
            }
            continue;
        }
        // The table-less shapes: a table copied from a web page as
        // tab-separated cells (rows wrapping across lines), a DPA annex
        // (each cell its own paragraph, the header cells first), vendors as
        // paragraphs ("Name - Country (EU)", then what it does).
        // (An annex whose cells do not fall into its columns is said below,
        // if no other shape reads those lines.)
        let mut misfit = None;
        let shape = tab_table(&lines, i)
            .or_else(|| match annex(&lines, i)? {
                Annex::Fits(headers, rows, end) => Some((headers, rows, end)),
                Annex::Misfit(headers, end) => {
                    misfit = Some((headers, end));
                    None
                }
            })
            .or_else(|| vendor_paragraphs(&lines, i));
        if let Some((headers, rows, end)) = shape {
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
        // An annex whose cells do not fall into its columns: said.
        if let Some((headers, end)) = misfit {
            skipped.push(format!(
                "a DPA annex with the columns {} whose cells do not fall into them (a cell left out, not even an empty paragraph?): no vendor is read from it; give each empty cell an empty paragraph, or copy the annex as a table",
                headers.join(", ")
            ));
            i = end;
            before.clear();
            before_at.clear();
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
        skipped,
    }
}
