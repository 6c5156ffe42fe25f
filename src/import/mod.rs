//! Importing an existing sub-processor page into vendor files and
//! subledger.toml. Best effort, and honest: every cell either fills a field
//! or is kept in `notes` under its header, required fields the page does not
//! give are written as "TBD" so `check` flags them, and the report says what
//! was guessed and every line that was not carried.
//!
//! The way in: Markdown (`markdown`, a CommonMark parser) and HTML (`html`,
//! an HTML parser) are written out as plain lines, which `reader` reads with
//! text copied from a browser (pipe tables, and the shapes in `shapes`);
//! CSV is `delimited`, JSON and YAML `structured`. Then `interpret` gives
//! the tables meaning (`columns`, `meaning`, `cells`), `about` reads what
//! the page says about itself, and `into` and `writer` write the register.

pub mod about;
mod cells;
mod columns;
mod delimited;
pub mod export;
mod html;
mod interpret;
mod into;
mod markdown;
mod meaning;
mod page;
mod reader;
mod shapes;
mod structured;
mod writer;

use delimited::csv_tables;
use interpret::build;
pub use into::{Plan, plan, root, write};
pub use page::{Format, Heading, Import, Imported, SectionOut};
use reader::read_text;
mod xlsx;
pub use writer::{section_tables, vendor_file};

/// The text of an imported file and how to read it: `asked` (`--format`),
/// else the format its extension names, else the one its content shows.
/// The flag is whether the format was guessed from the content.
pub fn text_of(
    bytes: Vec<u8>,
    asked: Option<Format>,
    path: &std::path::Path,
) -> Result<(String, Format, bool), String> {
    let (text, named) = decode(bytes, asked.or_else(|| by_extension(path)))?;
    let format = named.unwrap_or_else(|| by_content(&text));
    Ok((text, format, named.is_none()))
}

/// The text of a page file and its format: a workbook's sheet becomes CSV
/// text, anything else must be UTF-8. `Err` says what is wrong with it.
pub fn decode(bytes: Vec<u8>, format: Option<Format>) -> Result<(String, Option<Format>), String> {
    let workbook = match format {
        Some(Format::Xlsx) => true,
        Some(_) => false,
        None => xlsx::looks_like(&bytes),
    };
    if workbook {
        return Ok((xlsx::to_csv(bytes)?, Some(Format::Xlsx)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, format)),
        Err(_) => Err("not UTF-8 text: save it as UTF-8 first".to_owned()),
    }
}

/// Reads a page.
pub fn read(text: &str, format: Format) -> Import {
    let text = text
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\u{a0}', " ");
    let text = mojibake(&text);
    match format {
        // A workbook arrives here as its sheet's CSV ([`decode`]).
        Format::Csv | Format::Xlsx => {
            // subledger's own export: every column is the key it names.
            if let Some(import) = export::read(&text, delimited::delimiter(&text).unwrap_or(b',')) {
                return import;
            }
            let (tables, skipped) = csv_tables(&text);
            let mut import = build(tables, false);
            import.skipped.extend(skipped);
            return import;
        }
        Format::Json | Format::Yaml => {
            let value: Option<serde_json::Value> = match format {
                Format::Json => serde_json::from_str(&text).ok(),
                // A YAML file of several documents: the front matter
                // ("updated: …") and the list, read as one object.
                _ => serde_yaml_ng::from_str(&text)
                    .ok()
                    .or_else(|| yaml_documents(&text)),
            };
            let Some(value) = value else {
                let mut import = Import::default();
                import.skipped.push(format!(
                    "the file is not {}: nothing could be read",
                    if format == Format::Json {
                        "JSON"
                    } else {
                        "YAML"
                    }
                ));
                return import;
            };
            let mut import = build(structured::tables(&value), false);
            let lines = structured::scalars(&value);
            let mut taken = vec![false; lines.len()];
            import.about = about::read(&lines, &mut taken, lines.len());
            // The document's own words ("intro") are its overview, short
            // or not; any other value is reported, not dropped.
            for (line, taken) in lines.iter().zip(&mut taken) {
                if !*taken && !line.starts_with('#') && !line.contains(": ") {
                    import.about.intro.push(line.clone());
                    *taken = true;
                }
            }
            import.not_carried = lines
                .iter()
                .zip(&taken)
                .filter(|(_, taken)| !**taken)
                .map(|(line, _)| cells::first_words(line))
                .collect();
            return import;
        }
        _ => {}
    }
    // A page subledger rendered says so, and separates categories with `; `.
    let ours = text.contains("<!-- subledger page");
    let raw = text.clone();
    let text = match format {
        Format::Markdown => markdown::lines(&text),
        Format::Html => html::lines(&text),
        _ => text,
    };
    let cut = cut_off(&raw);
    let mut read = read_text(&text);
    let mut import = build(std::mem::take(&mut read.tables), ours);
    import.skipped.append(&mut read.skipped);
    // A page cut off inside its last row: that row is not written.
    if let Some(first_cell) = cut
        && import
            .vendors
            .last()
            .is_some_and(|v| first_cell.starts_with(&v.name) || v.name.starts_with(&first_cell))
    {
        let v = import.vendors.pop().unwrap_or_default();
        import.skipped.push(format!(
            "the last row (\"{}\") is cut off, so it is not imported: the page may be incomplete",
            v.name
        ));
        for section in &mut import.sections {
            section.order.retain(|id| *id != v.id);
        }
    }
    import.about = about::read(&read.lines, &mut read.taken, read.first_section);
    import.not_carried = read
        .lines
        .iter()
        .zip(&read.taken)
        .filter(|(line, taken)| !**taken && !line.trim().is_empty())
        .map(|(line, _)| cells::first_words(line.trim()))
        .collect();
    import
}

/// The format a file's extension says, if it says one.
pub fn by_extension(path: &std::path::Path) -> Option<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref()? {
        "md" | "markdown" => Some(Format::Markdown),
        "csv" | "tsv" => Some(Format::Csv),
        "html" | "htm" => Some(Format::Html),
        "json" => Some(Format::Json),
        "yaml" | "yml" => Some(Format::Yaml),
        "txt" => Some(Format::Text),
        "xlsx" | "xlsm" | "xls" | "ods" => Some(Format::Xlsx),
        _ => None,
    }
}

/// The format of a text from what it holds.
pub fn by_content(text: &str) -> Format {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let lower = start.get(..512).unwrap_or(start).to_ascii_lowercase();
    if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || lower.starts_with("<table")
        || lower.starts_with("<body")
    {
        return Format::Html;
    }
    if (start.starts_with('[') || start.starts_with('{'))
        && serde_json::from_str::<serde_json::Value>(start).is_ok()
    {
        return Format::Json;
    }
    let first = start.lines().next().unwrap_or_default();
    if first == "---"
        || start
            .lines()
            .any(|l| l.starts_with("- name:") || l.starts_with("  - name:"))
    {
        return Format::Yaml;
    }
    if start.lines().any(|l| {
        let t = l.trim();
        t.starts_with("|--")
            || t.starts_with("| --")
            || t.starts_with("--- |")
            || t.starts_with("---|")
            || t.starts_with(":--")
    }) || start
        .lines()
        .any(|l| l.starts_with("# ") || l.starts_with("## "))
    {
        return Format::Markdown;
    }
    if delimited::looks_like_csv(start) {
        return Format::Csv;
    }
    Format::Text
}

/// UTF-8 read as Latin-1 and saved again ("SociÃ©tÃ©"), read back as
/// it was meant; other text is left as it is.
fn mojibake(text: &str) -> String {
    if !text.contains('Ã') && !text.contains("â€") {
        return text.to_owned();
    }
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        let code = c as u32;
        let byte = match code {
            0..=0xff => code as u8,
            _ => match windows_1252(c) {
                Some(b) => b,
                None => return text.to_owned(),
            },
        };
        bytes.push(byte);
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned())
}

/// The byte Windows-1252 gives a character above Latin-1.
fn windows_1252(c: char) -> Option<u8> {
    const HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8a),
        ('‹', 0x8b),
        ('Œ', 0x8c),
        ('Ž', 0x8e),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9a),
        ('›', 0x9b),
        ('œ', 0x9c),
        ('ž', 0x9e),
        ('Ÿ', 0x9f),
    ];
    HIGH.iter().find(|(h, _)| *h == c).map(|(_, b)| *b)
}

/// The first cell of a table's last row when the page ends inside it: no
/// closing `|`, fewer cells than the row before.
fn yaml_documents(text: &str) -> Option<serde_json::Value> {
    use serde::Deserialize;
    let mut front = serde_json::Map::new();
    let mut list = None;
    for doc in serde_yaml_ng::Deserializer::from_str(text) {
        match serde_json::Value::deserialize(doc).ok()? {
            serde_json::Value::Object(map) => front.extend(map),
            serde_json::Value::Array(items) if list.is_none() => list = Some(items),
            serde_json::Value::Null => {}
            _ => return None,
        }
    }
    front.insert("vendors".to_owned(), serde_json::Value::Array(list?));
    Some(serde_json::Value::Object(front))
}

fn cut_off(text: &str) -> Option<String> {
    let mut lines = text.lines().rev().filter(|l| !l.trim().is_empty());
    let last = lines.next()?.trim();
    let before = lines.next()?.trim();
    let cells = |l: &str| l.trim_matches('|').split('|').count();
    (last.starts_with('|')
        && !last.ends_with('|')
        && before.starts_with('|')
        && cells(last) < cells(before))
    .then(|| {
        last.trim_start_matches('|')
            .split('|')
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::columns::*;
    use super::meaning::*;
    use super::shapes::*;

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
    fn categories_split_at_the_pages_separators_never_inside_a_phrase() {
        assert_eq!(
            categories(
                "Traffic metadata, IP addresses, request payloads in transit.",
                false
            ),
            [
                "Traffic metadata",
                "IP addresses",
                "Request payloads in transit"
            ]
        );
        assert_eq!(
            categories("Name; email, phone", false),
            ["Name", "Email, phone"]
        );
        // A page subledger rendered separates with `; ` only.
        assert_eq!(
            categories("Name, email and phone", true),
            ["Name, email and phone"]
        );
        assert!(phrase_list(
            "Billing details including name, email, and payment method"
        ));
        assert!(!phrase_list("Name, email, phone number"));
        assert_eq!(
            retention_in(
                "Patient video files for transcoding; automatically deleted after 24 hours"
            ),
            Some((
                "Patient video files for transcoding".to_owned(),
                "Automatically deleted after 24 hours".to_owned()
            ))
        );
        assert_eq!(mechanism("SCCs"), Some("scc"));
        assert_eq!(mechanism("EU-U.S. Data Privacy Framework"), Some("dpf"));
        assert_eq!(
            several("LinkedIn, Meta/WhatsApp, TikTok, X (Twitter)").len(),
            4
        );
        assert_eq!(several("Cloudflare, Inc."), ["Cloudflare, Inc."]);
        assert_eq!(several("OpenAI, L.L.C."), ["OpenAI, L.L.C."]);
        assert_eq!(
            short_feature("Powers the AI writing assistant, only for customers"),
            "AI writing assistant"
        );
        assert_eq!(
            short_feature(
                "Accounting synchronization for customers who connect their QuickBooks Online account"
            ),
            "Accounting synchronization"
        );
        assert!(whose_data("practitioner data only"));
        assert!(whose_data("No patient data"));
        assert!(!whose_data("Account data"));
        assert!(is_retention("automatically deleted after 24 hours"));
        assert!(!is_retention("Chat messages"));
    }

    #[test]
    fn headers_map_by_meaning() {
        assert_eq!(target("Sub-Processor"), Target::Name);
        assert_eq!(target("Processing Activity"), Target::Purpose);
        assert_eq!(target("Categories of data processed"), Target::Data);
        assert_eq!(target("dataCategories"), Target::Data);
        assert_eq!(target("What they do"), Target::Purpose);
        assert_eq!(target("Service region"), Target::Unknown);
        assert_eq!(target("Transfer safeguard"), Target::Transfer);
        assert_eq!(target("category"), Target::Kept);
        assert!(glued_header("Sub-processorPurposeLocation"));
        assert!(!glued_header("Sub-processor Purpose Location"));
        assert!(name_like("Zendesk, Inc."));
        assert!(!name_like("We use these vendors."));
        assert_eq!(target("Location of processing"), Target::Location);
        assert_eq!(target("Legal address"), Target::Address);
        assert_eq!(target("Who is responsible"), Target::Unknown);
    }
}
