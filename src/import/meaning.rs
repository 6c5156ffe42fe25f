//! What a cell means: data categories, locations as country codes,
//! transfer mechanisms, retention phrases, features, several vendors in
//! one name, and what is never a vendor.

use super::cells::{INNER_SEMICOLON, capitalise, split_outside};
use crate::register::location;
use crate::register::suggest_id;

/// Data categories: `;`-separated when the cell has `;`, else `,` (never
/// `,` on a page subledger rendered, `ours`, which separates with `; `).
pub(super) fn categories(cell: &str, ours: bool) -> Vec<String> {
    let sep = if cell.contains(';') || ours { ';' } else { ',' };
    split_outside(cell, sep)
        .iter()
        .map(|s| s.replace(INNER_SEMICOLON, ";"))
        .map(|s| {
            let s = s
                .strip_prefix("and ")
                .or_else(|| s.strip_prefix("or "))
                .unwrap_or(&s);
            capitalise(s)
        })
        .collect()
}

/// One location word to a code.
pub(super) fn location_code(word: &str) -> Option<String> {
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
        // German, French and Spanish names of the usual countries.
        "deutschland" | "allemagne" | "alemania" => Some("DE"),
        "frankreich" | "francia" => Some("FR"),
        "österreich" | "oesterreich" | "autriche" => Some("AT"),
        "schweiz" | "suisse" | "suiza" => Some("CH"),
        "niederlande" | "pays-bas" | "países bajos" => Some("NL"),
        "irland" | "irlande" | "irlanda" => Some("IE"),
        "belgien" | "belgique" | "bélgica" => Some("BE"),
        "italien" | "italie" => Some("IT"),
        "spanien" | "espagne" | "españa" => Some("ES"),
        "schweden" | "suède" | "suecia" => Some("SE"),
        "dänemark" | "danemark" | "dinamarca" => Some("DK"),
        "finnland" | "finlande" => Some("FI"),
        "polen" | "pologne" | "polonia" => Some("PL"),
        "luxemburg" | "luxemburgo" => Some("LU"),
        "tschechien" => Some("CZ"),
        "norwegen" | "norvège" | "noruega" => Some("NO"),
        "kanada" => Some("CA"),
        "indien" | "inde" => Some("IN"),
        "vereinigte staaten" | "états-unis" | "etats-unis" | "estados unidos" => Some("US"),
        "vereinigtes königreich" | "großbritannien" | "royaume-uni" | "reino unido" => Some("GB"),
        "europäische union" | "union européenne" | "unión europea" => Some("EU"),
        "weltweit" | "monde" | "mundial" => Some("GLOBAL"),
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
pub(super) fn locations(cell: &str) -> (Vec<String>, Option<String>, Vec<String>) {
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
pub(super) fn feature_from(purpose: &str) -> Option<String> {
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

/// Whether a cell's commas are inside a phrase ("including", "such as"),
/// not between categories.
pub(super) fn phrase_list(cell: &str) -> bool {
    let lower = cell.to_lowercase();
    [
        " including ",
        " such as ",
        " e.g.",
        " like ",
        " for example",
        " incl.",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// A feature named shortly from a purpose sentence: its first clause,
/// without the verb it starts with ("Powers the AI writing assistant,
/// only for…" → "AI writing assistant").
pub(super) fn short_feature(purpose: &str) -> String {
    let first = purpose
        .split(['.', '(', ',', ';'])
        .next()
        .unwrap_or(purpose)
        .trim();
    // "… for customers who connect their account": who it is for is not
    // the feature's name.
    let lower = first.to_lowercase();
    let first = [
        " for customers",
        " for users",
        " for accounts",
        " for practices",
        " who ",
        " that ",
        " which ",
        " when ",
        " if ",
        " only ",
    ]
    .iter()
    .filter_map(|w| lower.find(w))
    .filter(|&at| at > 0 && first.is_char_boundary(at))
    .min()
    .map_or(first, |at| first[..at].trim());
    let mut words: Vec<&str> = first.split_whitespace().collect();
    const VERBS: &[&str] = &[
        "powers",
        "provides",
        "runs",
        "handles",
        "enables",
        "supports",
        "sends",
        "hosts",
        "delivers",
        "processes",
        "offers",
        "used",
        "for",
    ];
    while words.len() > 1 && VERBS.contains(&words[0].to_lowercase().as_str()) {
        words.remove(0);
    }
    while words.len() > 1
        && matches!(
            words[0].to_lowercase().as_str(),
            "the" | "a" | "an" | "our" | "for"
        )
    {
        words.remove(0);
    }
    words.join(" ")
}

/// Engagement words in a section title or cell.
pub(super) fn says_optional(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("optional")
        || lower.contains("(if enabled)")
        || lower.contains("only if you turn")
        || lower.contains("only when")
        || (lower.contains(" if ") && lower.contains("enabled"))
}

/// Why a row's name is not a vendor, if it is not: a date (a change log's
/// entry), the header row again, "Last updated", a sentence.
pub(super) fn not_a_vendor(name: &str, row: &[String], headers: &[String]) -> Option<&'static str> {
    let lower = name.to_lowercase();
    let first = name.split([':', ' ']).next().unwrap_or(name);
    if super::about::date(first).is_some()
        || super::about::date(name.trim_end_matches(':')).is_some()
    {
        return Some("a date, not a vendor (a change log's entry?)");
    }
    // (A list of objects leaves the keys an object lacks empty.)
    if row.len() == headers.len()
        && row
            .iter()
            .zip(headers)
            .filter(|(c, _)| !c.trim().is_empty())
            .all(|(c, h)| c.trim().eq_ignore_ascii_case(h.trim()))
    {
        return Some("the header row again, not a vendor");
    }
    if lower.starts_with("last updated")
        || lower.starts_with("updated")
        || lower.starts_with("stand:")
        || lower.starts_with("effective:")
    {
        return Some("the page's date, not a vendor");
    }
    // "March 2026": a month, as change logs head their entries.
    if let [month, year] = lower.split_whitespace().collect::<Vec<_>>().as_slice()
        && year.len() == 4
        && year.parse::<u16>().is_ok()
        && super::about::date(&format!("1 {month} {year}")).is_some()
    {
        return Some("a date, not a vendor (a change log's entry?)");
    }
    if [
        "added ",
        "removed ",
        "replaced ",
        "changed ",
        "updated ",
        "new: ",
        "removed: ",
    ]
    .iter()
    .any(|w| lower.starts_with(w))
    {
        return Some("a change log's entry, not a vendor");
    }
    if crate::register::location::code_of_name(name.trim()).is_some() {
        return Some("a country, not a vendor");
    }
    if name.trim_end().ends_with('.') && name.split_whitespace().count() >= 8 {
        return Some("a sentence, not a vendor");
    }
    None
}

/// The legal forms a company's name ends with ("Zendesk, Inc.").
pub(super) const SUFFIXES: &[&str] = &[
    "inc", "inc.", "llc", "l.l.c.", "ltd", "ltd.", "limited", "gmbh", "ag", "pbc", "corp", "corp.",
    "co", "co.", "s.a.", "sa", "sas", "bv", "b.v.", "n.v.", "plc", "lp", "llp", "se", "oy", "ab",
    "as", "a/s", "s.r.l.", "srl", "s.p.a.", "s.l.", "kg", "pty", "pty ltd", "e.v.",
];

/// Whether `word` is a legal form ("Inc.", "GmbH", "S.A.").
pub(super) fn legal_form(word: &str) -> bool {
    let lower = word.to_lowercase();
    let bare = lower.trim_end_matches('.');
    SUFFIXES.iter().any(|s| s.trim_end_matches('.') == bare)
}

/// The vendors a name cell names: "LinkedIn, Meta/WhatsApp, TikTok" is
/// three; "Cloudflare, Inc." is one (a company suffix is no vendor).
pub(super) fn several(name: &str) -> Vec<String> {
    let parts = split_outside(name, ',');
    // "Smith, Jones & Partners LLP", "Ernst, Young, Partners": a firm's
    // name lists people; its last part says it is one firm.
    let firm = parts.last().is_some_and(|last| {
        let lower = last.to_lowercase();
        lower.contains(" & ")
            || lower.contains(" and ")
            || ["partners", "associates", "co", "co.", "company", "group"]
                .iter()
                .any(|w| lower == *w || lower.ends_with(&format!(" {w}")))
            || last.split_whitespace().last().is_some_and(legal_form)
    });
    let clean = parts.len() > 1
        && !firm
        && parts.iter().all(|p| {
            let lower = p.to_lowercase();
            let bare = lower.trim_end_matches('.');
            !SUFFIXES.iter().any(|s| s.trim_end_matches('.') == bare)
                && !SUFFIXES.iter().any(|s| lower.starts_with(&format!("{s} ")))
                && p.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                && p.split_whitespace().count() <= 4
        });
    if clean { parts } else { vec![name.to_owned()] }
}

/// A transfer mechanism named in words: "SCCs" → scc.
pub(super) fn mechanism(text: &str) -> Option<&'static str> {
    let t = text.trim().trim_end_matches('.').to_lowercase();
    let t = t.as_str();
    if t.contains("standard contractual")
        || matches!(
            t,
            "scc" | "sccs" | "eu sccs" | "eu scc" | "standardvertragsklauseln"
        )
    {
        Some("scc")
    } else if t.contains("data privacy framework")
        || matches!(t, "dpf" | "eu-us dpf" | "eu-u.s. dpf")
    {
        Some("dpf")
    } else if t.starts_with("standardvertragsklausel")
        || t.starts_with("clauses contractuelles types")
    {
        Some("scc")
    } else if t.contains("adequacy") || t.contains("angemessenheitsbeschluss") {
        Some("adequacy")
    } else if t.contains("binding corporate") || t == "bcr" || t == "bcrs" {
        Some("bcr")
    } else if t.contains("idta") {
        Some("uk-idta")
    } else if t.contains("uk addendum") {
        Some("uk-addendum")
    } else {
        None
    }
}

/// Where a retention phrase starts in `text`, if it has one.
fn retention_at(text: &str) -> Option<usize> {
    let lower = text.to_lowercase();
    [
        "deleted after",
        "deleted within",
        "retained for",
        "kept for",
        "stored for",
        "retained up to",
        "deleted once",
        "gelöscht nach",
        "gespeichert für",
    ]
    .iter()
    .filter_map(|p| lower.find(p))
    .min()
}

/// Whether a data category is all a retention phrase ("automatically
/// deleted after 24 hours").
pub(super) fn is_retention(item: &str) -> bool {
    retention_at(item).is_some() && retention_in(item).is_none()
}

/// Whether a phrase says whose data, not which: "practitioner data only",
/// "no patient data", "only customer data".
pub(super) fn whose_data(item: &str) -> bool {
    let lower = item.trim().trim_end_matches('.').to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    match words.as_slice() {
        [.., "data", "only"] => words.len() <= 4,
        ["no" | "only", .., "data"] => words.len() <= 4,
        _ => false,
    }
}

/// A retention phrase in a cell ("…; automatically deleted after 24
/// hours"): the cell without it, and the phrase.
pub(super) fn retention_in(cell: &str) -> Option<(String, String)> {
    let at = retention_at(cell)?;
    // The clause the phrase is in: from the separator before it.
    let start = cell[..at].rfind([';', ',', '.']).map_or(0, |p| p + 1);
    let phrase = cell[start..].trim().trim_end_matches('.').trim();
    let rest = cell[..start]
        .trim()
        .trim_end_matches([';', ',', '.'])
        .trim();
    if rest.is_empty() || phrase.is_empty() {
        return None;
    }
    Some((rest.to_owned(), capitalise(phrase)))
}

pub(super) fn slug(text: &str) -> String {
    suggest_id(text).unwrap_or_else(|| "vendor".to_owned())
}
