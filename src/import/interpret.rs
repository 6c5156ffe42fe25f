//! What the tables mean: which column is which field, locations read as
//! country codes, optional vendors and their features, sections, ids. Every
//! cell either fills a field or is kept in `notes`; what was guessed is
//! reported.

use super::page::{Heading, Import, Imported, SectionOut};
use super::reader::{INNER_SEMICOLON, Table, Target, target};
use crate::register::{location, suggest_id};
use std::collections::BTreeMap;

/// Splits on `sep` outside parentheses.
pub(super) fn split_outside(text: &str, sep: char) -> Vec<String> {
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

pub(super) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

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
    if row.len() == headers.len()
        && row
            .iter()
            .zip(headers)
            .all(|(c, h)| c.trim().eq_ignore_ascii_case(h.trim()))
    {
        return Some("the header row again, not a vendor");
    }
    if lower.starts_with("last updated")
        || lower.starts_with("updated:")
        || lower.starts_with("stand:")
    {
        return Some("the page's date, not a vendor");
    }
    if name.trim_end().ends_with('.') && name.split_whitespace().count() >= 8 {
        return Some("a sentence, not a vendor");
    }
    None
}

/// The vendors a name cell names: "LinkedIn, Meta/WhatsApp, TikTok" is
/// three; "Cloudflare, Inc." is one (a company suffix is no vendor).
pub(super) fn several(name: &str) -> Vec<String> {
    const SUFFIXES: &[&str] = &[
        "inc", "inc.", "llc", "l.l.c.", "ltd", "ltd.", "limited", "gmbh", "ag", "pbc", "corp",
        "corp.", "co", "co.", "s.a.", "sa", "sas", "bv", "b.v.", "plc", "lp", "llp", "se", "oy",
        "ab", "as", "a/s", "s.r.l.", "srl", "kg", "pty", "pty ltd",
    ];
    let parts = super::interpret::split_outside(name, ',');
    let clean = parts.len() > 1
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

/// A cell by its first words.
fn first_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 8 {
        return words.join(" ");
    }
    format!("{} …", words[..8].join(" "))
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
    } else if t.starts_with("adequacy") || t == "angemessenheitsbeschluss" {
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

/// A retention phrase in a cell ("…; automatically deleted after 24
/// hours"): the cell without it, and the phrase.
pub(super) fn retention_in(cell: &str) -> Option<(String, String)> {
    let lower = cell.to_lowercase();
    let at = [
        "deleted after",
        "deleted within",
        "retained for",
        "kept for",
        "stored for",
        "retained up to",
        "deleted once",
    ]
    .iter()
    .filter_map(|p| lower.find(p))
    .min()?;
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

/// Markdown links `[text](url)` in a cell as their text, and the first url.
pub(super) fn delink(cell: &str) -> (String, Option<String>) {
    let mut out = String::new();
    let mut url = None;
    let mut rest = cell;
    while let Some(open) = rest.find('[') {
        let Some((text, after)) = rest[open + 1..].split_once("](") else {
            break;
        };
        let Some((href, tail)) = after.split_once(')') else {
            break;
        };
        if text.contains('[') || href.contains(char::is_whitespace) {
            break;
        }
        out.push_str(&rest[..open]);
        out.push_str(text);
        url.get_or_insert_with(|| href.to_owned());
        rest = tail;
    }
    out.push_str(rest);
    (out, url)
}

pub(super) fn slug(text: &str) -> String {
    suggest_id(text).unwrap_or_else(|| "vendor".to_owned())
}

pub(super) fn build(tables: Vec<Table>, ours: bool) -> Import {
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
        let mut order = Vec::new();
        for row in &table.rows {
            let cell = |target: Target| -> Option<String> {
                targets
                    .iter()
                    .position(|t| *t == target)
                    .and_then(|i| row.get(i))
                    .map(|c| delink(c).0.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|c| !c.is_empty())
                    .map(|c| match target {
                        Target::Data => c,
                        _ => c.replace(INNER_SEMICOLON, ";"),
                    })
            };
            // A link in the name cell gives the website.
            let linked = targets
                .iter()
                .position(|t| *t == Target::Name)
                .and_then(|i| row.get(i))
                .and_then(|c| delink(c).1);
            let Some(mut name) = cell(Target::Name) else {
                import.skipped.push(format!(
                    "a row without a name in table {}: {}",
                    t + 1,
                    row.join(" | ")
                ));
                continue;
            };
            if let Some(why) = not_a_vendor(&name, row, &table.headers) {
                import
                    .skipped
                    .push(format!("\"{}\": {why}", first_words(&name)));
                continue;
            }
            let mut v = Imported {
                section: section_id.clone(),
                gaps: guessed.clone(),
                ..Imported::default()
            };
            // Engagement and badges written in the name cell:
            // "Anthropic, PBC New (optional: AI features)".
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
            while let Some((stripped, badge)) =
                [" optional", " core", " New", " new", " Beta", " beta"]
                    .iter()
                    .find_map(|b| {
                        name.strip_suffix(b)
                            .map(|s| (s.trim().to_owned(), b.trim()))
                    })
            {
                name = stripped;
                match badge {
                    "optional" => v.optional = true,
                    "core" => v.optional = false,
                    "New" | "new" => v.gaps.push(
                        "a \"New\" badge on the page (dropped: the ledger derives it)".to_owned(),
                    ),
                    _ => v.notes.push("Beta".to_owned()),
                }
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
                        v.gaps.push("feature taken from the purpose".to_owned());
                        short_feature(p)
                    })
                });
            }
            v.data = match cell(Target::Data) {
                // "Billing details including name, email and payment
                // method" is one category: the commas are inside a phrase.
                Some(c) if !c.contains(';') && !ours && phrase_list(&c) => {
                    v.gaps.push(format!(
                        "data_categories: \"{c}\" kept as one category (its commas are inside a phrase; check it)"
                    ));
                    vec![capitalise(c.trim().trim_end_matches('.'))]
                }
                Some(c) => categories(&c, ours),
                // The page has no data column: its purpose column usually
                // says what data it handles ("Processing Activity").
                // (kept whole: a phrase is never split into categories).
                None if !targets.contains(&Target::Data) => match &v.purpose {
                    Some(p) => {
                        v.gaps.push("data_categories: the page has no data column; the purpose is kept whole as one category (check it)".to_owned());
                        vec![capitalise(p.trim().trim_end_matches('.'))]
                    }
                    None => Vec::new(),
                },
                None => Vec::new(),
            };
            if let Some(p) = v.purpose.clone()
                && let Some((rest, phrase)) = retention_in(&p)
            {
                v.purpose = Some(rest);
                v.gaps
                    .push(format!("retention read from the purpose: \"{phrase}\""));
                v.retention = Some(phrase);
            }
            let mut data = std::mem::take(&mut v.data);
            for item in &mut data {
                if let Some((rest, phrase)) = retention_in(item) {
                    *item = rest;
                    v.retention.get_or_insert(phrase);
                }
            }
            v.data = data;
            v.retention = cell(Target::Retention).or(v.retention.take());
            v.subjects = cell(Target::Subjects)
                .map(|c| categories(&c, ours))
                .unwrap_or_default();
            if let Some(t) = cell(Target::Transfer) {
                for part in split_outside(&t, if t.contains(';') { ';' } else { ',' }) {
                    match mechanism(&part) {
                        Some(code) if !v.transfer.contains(&code.to_owned()) => {
                            v.transfer.push(code.to_owned())
                        }
                        Some(_) => {}
                        None => v.notes.push(format!("{}: {part}", "Safeguards")),
                    }
                }
            }
            if let Some(loc) = cell(Target::Location) {
                let (codes, note, unknown) = locations(&loc);
                v.locations = codes;
                // "USA (SCCs)": the transfer basis beside the location.
                let mut notes: Vec<String> = Vec::new();
                for part in note.iter().flat_map(|n| n.split("; ")) {
                    match mechanism(part) {
                        Some(code) => {
                            if !v.transfer.contains(&code.to_owned()) {
                                v.transfer.push(code.to_owned());
                            }
                        }
                        None => notes.push(part.to_owned()),
                    }
                }
                if !unknown.is_empty() {
                    v.gaps.push(format!(
                        "location \"{}\" kept as location_note",
                        unknown.join(", ")
                    ));
                    notes.push(unknown.join(", "));
                }
                v.location_note = (!notes.is_empty()).then(|| notes.join("; "));
            }
            if let Some(added) = cell(Target::Added)
                && !added.to_lowercase().starts_with("listed since")
            {
                match super::about::date(&added) {
                    Some(d) => v.in_service_since = Some(d),
                    None if added.to_lowercase() != "not yet released" => {
                        v.notes.push(format!("Added: {added}"))
                    }
                    None => {}
                }
            }
            if v.locations.is_empty()
                && let Some(code) = super::about::location_in_name(&v.name)
            {
                v.gaps.push(format!("location {code} read from the name"));
                v.locations.push(code);
            }
            v.legal_address = cell(Target::Address);
            v.website = cell(Target::Website).or(linked);
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
            // A row naming several vendors, clearly separated, is one per vendor.
            let names = several(&v.name);
            if names.len() == 1
                && (v.name.contains(" / ") || v.name.contains(" & ") || v.name.contains(" and "))
            {
                v.gaps.push(format!(
                    "the name \"{}\" may name more than one vendor: check it",
                    v.name
                ));
            }
            if names.len() > 1 {
                v.gaps.push(format!(
                    "the row \"{}\" names {} vendors: one file each",
                    v.name,
                    names.len()
                ));
            }
            for name in names {
                let mut v = v.clone();
                v.name = name;
                // A stable id: the name's slug; the section's added when the
                // name is already taken in another section, a number within one.
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
                order.push(id.clone());
                v.id = id;
                import.vendors.push(v);
                vendors_here += 1;
            }
        }
        if vendors_here > 0 {
            match import.sections.iter_mut().find(|s| s.id == section_id) {
                Some(section) => section.order.extend(order),
                None => import.sections.push(SectionOut {
                    id: section_id,
                    title: heading.title.clone(),
                    intro: (!intro_text.is_empty()).then_some(intro_text),
                    transparency,
                    order,
                }),
            }
        }
    }
    import
}

// -------------------------------------------------------------- writing
