//! CSV (comma, semicolon or tab, read with the csv crate): the
//! delimiter, whether a text is CSV, and its tables.

use super::columns::Table;
use super::page::Heading;

/// The delimiter of a CSV file: `,`, `;` (Excel in German and French
/// locales) or tab, whichever splits its first records into the same
/// number of cells, most of them.
pub(super) fn delimiter(text: &str) -> Option<u8> {
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
        // Most records agree (a short row, an extra cell or a cut-off
        // last one aside).
        let agree = counts.iter().filter(|&&c| c == first).count();
        if first > 1
            && agree * 2 > counts.len()
            && agree >= 2.min(counts.len())
            && best.is_none_or(|(_, n)| first > n)
        {
            best = Some((d, first));
        }
    }
    // Rows too ragged to agree: the delimiter that splits the header most.
    best.or_else(|| {
        let first = text.lines().next()?;
        [b'\t', b';', b',']
            .into_iter()
            .map(|d| (d, first.bytes().filter(|&b| b == d).count()))
            .filter(|&(_, n)| n > 0)
            .max_by_key(|&(_, n)| n)
    })
    .map(|(d, _)| d)
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
    // A file cut off inside its last row (no final line break, fewer cells
    // than the header): that row is not written.
    // (An odd number of quotes: the last quoted cell never closed.)
    let open_quote = text.matches('"').count() % 2 == 1;
    if (open_quote || !text.trim_end_matches([' ', '\t']).ends_with('\n'))
        && records.len() > 2
        && records.last().is_some_and(|r| r.len() < records[0].len())
        && let Some(last) = records.pop()
    {
        skipped.push(format!(
            "the last row (\"{}\") is cut off, so it is not imported: the file may be incomplete",
            last.join(", ")
        ));
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
            guessed: Vec::new(),
        })
        .collect();
    (tables, skipped)
}
