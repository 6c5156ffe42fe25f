//! The page and the notices in English, German or French: the fixed texts
//! from `catalog.tsv` beside this file, dates and transfer mechanisms in words, notice
//! terms, country names from Debian's iso-codes translations. Vendor text
//! and the company's own texts are shown as written.

pub use crate::register::config::Language;
use std::sync::LazyLock;

/// `catalog.tsv`: `(English, German, French)` per line, sorted by English
/// for binary search. A line without three columns is left out (a test
/// checks there is none).
static CATALOG: LazyLock<Vec<(&str, &str, &str)>> = LazyLock::new(|| {
    include_str!("catalog.tsv")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut columns = line.split('\t');
            match (
                columns.next(),
                columns.next(),
                columns.next(),
                columns.next(),
            ) {
                (Some(en), Some(de), Some(fr), None) => Some((en, de, fr)),
                _ => None,
            }
        })
        .collect()
});

/// `english` in `language`: the catalogue's translation, or the English
/// itself (for English, and for a text the catalogue lacks; a test checks
/// that every text of the built-in templates is there).
pub fn tr(language: Language, english: &str) -> &str {
    if language == Language::En {
        return english;
    }
    match CATALOG.binary_search_by(|(en, _, _)| (*en).cmp(english)) {
        Ok(i) => match language {
            Language::De => CATALOG[i].1,
            Language::Fr => CATALOG[i].2,
            Language::En => CATALOG[i].0,
        },
        Err(_) => english,
    }
}

/// `text` with each `{name}` replaced by its value in `args`.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// `english` translated, then filled.
pub fn say(language: Language, english: &str, args: &[(&str, &str)]) -> String {
    fill(tr(language, english), args)
}

/// The months in English, German and French, as dates in words use them.
pub const EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub const DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
pub const FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A date in words: "10 June 2026", "10. Juni 2026", "10 juin 2026" (and
/// "1er juin 2026"). Text that is not an ISO date is returned as it is.
pub fn long_date(iso: &str, language: Language) -> String {
    let Some(date) = crate::dates::parse_iso_date(iso) else {
        return iso.to_owned();
    };
    let month = usize::from(u8::from(date.month())) - 1;
    let (day, year) = (date.day(), date.year());
    match language {
        Language::En => format!("{day} {} {year}", EN[month]),
        Language::De => format!("{day}. {} {year}", DE[month]),
        Language::Fr if day == 1 => format!("1er {} {year}", FR[month]),
        Language::Fr => format!("{day} {} {year}", FR[month]),
    }
}

/// The full name of a `transfer_mechanisms` value.
pub fn mechanism(code: &str, language: Language) -> &str {
    tr(language, english_mechanism(code))
}

/// The full name of a `transfer_mechanisms` value, as counsel reads it.
fn english_mechanism(code: &str) -> &str {
    match code {
        "adequacy" => "EU adequacy decision",
        "dpf" => "EU-U.S. Data Privacy Framework",
        "scc" => "Standard Contractual Clauses",
        "uk-idta" => "UK International Data Transfer Agreement",
        "uk-addendum" => "UK Addendum to the Standard Contractual Clauses",
        "bcr" => "Binding Corporate Rules",
        other => other,
    }
}

/// Notice terms as `Policy::describe` words them ("30 calendar days"),
/// in `language`.
pub fn terms(text: &str, language: Language) -> String {
    let Some((n, unit)) = text.split_once(' ') else {
        return text.to_owned();
    };
    let key = match (n, unit) {
        ("1", "calendar day") => "1 calendar day",
        ("1", "business day") => "1 business day",
        (_, "calendar days") => "{n} calendar days",
        (_, "business days") => "{n} business days",
        _ => return text.to_owned(),
    };
    say(language, key, &[("n", n)])
}

/// "A", "A and B", "A, B and C", with "and" in `language`.
pub fn and_list(items: &[String], language: Language) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), tr(language, "and")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_of_the_built_in_templates_is_translated() {
        let sources = [
            include_str!("templates/page.html.j2"),
            include_str!("templates/page.md.j2"),
            include_str!("templates/notice.txt.j2"),
            include_str!("templates/notice.md.j2"),
            include_str!("templates/notice.html.j2"),
            include_str!("templates/notices.html.j2"),
        ];
        let mut missing = Vec::new();
        for source in sources {
            // `t("…")` calls (not the `split("\n")` of the intro).
            for part in source.split(" t(\"").skip(1) {
                let key = &part[..part.find('"').unwrap()];
                if CATALOG
                    .binary_search_by(|(en, _, _)| (*en).cmp(key))
                    .is_err()
                {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "not in the catalogue: {missing:?}");
        assert!(CATALOG.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        let rows = include_str!("catalog.tsv")
            .lines()
            .filter(|line| !line.starts_with('#'))
            .count();
        assert_eq!(CATALOG.len(), rows, "a line without three columns");
    }

    #[test]
    fn dates_terms_and_names_in_each_language() {
        assert_eq!(long_date("2026-06-10", Language::De), "10. Juni 2026");
        assert_eq!(long_date("2026-06-01", Language::Fr), "1er juin 2026");
        assert_eq!(long_date("2026-07-31", Language::En), "31 July 2026");
        assert_eq!(terms("30 calendar days", Language::De), "30 Kalendertage");
        assert_eq!(terms("10 business days", Language::Fr), "10 jours ouvrés");
        assert_eq!(terms("1 business day", Language::En), "1 business day");
        assert_eq!(mechanism("scc", Language::De), "Standardvertragsklauseln");
        assert_eq!(
            mechanism("dpf", Language::En),
            "EU-U.S. Data Privacy Framework"
        );
        assert_eq!(
            mechanism("scc", Language::En),
            "Standard Contractual Clauses"
        );
        assert_eq!(
            and_list(&["A".into(), "B".into(), "C".into()], Language::Fr),
            "A, B et C"
        );
        assert_eq!(
            tr(Language::Fr, "not in the catalogue"),
            "not in the catalogue"
        );
    }
}
