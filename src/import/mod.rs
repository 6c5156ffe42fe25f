//! Importing an existing sub-processor page (Markdown, CSV, or text copied
//! from a web page) into vendor files. Best effort, and honest: every cell
//! either fills a field or is kept in `notes` under its header, required
//! fields the page does not give are written as "TBD" so `check` flags them,
//! and the report says what was guessed.

pub mod about;
mod interpret;
mod into;
mod page;
mod reader;
mod writer;

use interpret::build;
pub use into::{Plan, is_html, plan, root, write};
pub use page::{Format, Heading, Import, Imported, SectionOut};
use reader::{csv_tables, read_text};
pub use writer::{section_tables, vendor_file};

/// Reads a page.
pub fn read(text: &str, format: Format) -> Import {
    let text = text.replace("\r\n", "\n").replace('\u{a0}', " ");
    if format == Format::Csv {
        return build(csv_tables(&text), false);
    }
    let mut read = read_text(&text);
    // A page subledger rendered says so, and separates categories with `; `.
    let ours = text.contains("<!-- subledger page");
    let mut import = build(std::mem::take(&mut read.tables), ours);
    import.about = about::read(&read.lines, &mut read.taken, read.first_section);
    import.not_carried = read
        .lines
        .iter()
        .zip(&read.taken)
        .filter(|(line, taken)| !**taken && !line.trim().is_empty())
        .map(|(line, _)| first_words(line.trim()))
        .collect();
    import
}

/// A line by its first words: "Before publishing as a contractual list: …".
fn first_words(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() <= 8 {
        return words.join(" ");
    }
    format!("{} …", words[..8].join(" "))
}

#[cfg(test)]
mod tests {
    use super::interpret::*;
    use super::reader::*;

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
