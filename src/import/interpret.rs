//! What the tables mean: which column is which field, optional vendors
//! and their features, sections, ids. Every cell either fills a field or is
//! kept in `notes`; what was guessed is reported.

use super::cells::{INNER_SEMICOLON, capitalise, delink, first_words, split_outside};
use super::columns::{Table, Target, target};
use super::meaning::{
    categories, feature_from, is_retention, locations, mechanism, not_a_vendor, phrase_list,
    retention_in, says_optional, several, short_feature, slug, whose_data,
};
use super::page::{Heading, Import, Imported, SectionOut};
use crate::register::suggest_id;
use std::collections::BTreeMap;

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
        let mut guessed = table.guessed.clone();
        if !targets.contains(&Target::Name) && !targets.is_empty() {
            guessed.push(format!("column \"{}\" read as the name", table.headers[0]));
            targets[0] = Target::Name;
        }
        // A table's only "Feature" column says what the vendor does.
        if !targets.contains(&Target::Purpose)
            && let Some(i) = targets.iter().position(|t| *t == Target::Feature)
        {
            targets[i] = Target::Purpose;
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
            let (row, details) = lines_of(row, &targets);
            let row = &row;
            // Of several columns read the same way ("Feature" and
            // "Purpose"), the first that has a value in this row.
            let cell = |target: Target| -> Option<String> {
                targets
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| **t == target)
                    .filter_map(|(i, _)| row.get(i))
                    .map(|c| {
                        // A website cell's link is the address, not its text.
                        let (text, link) = delink(c);
                        let text = match (target, link) {
                            (Target::Website, Some(url)) => url,
                            _ => text,
                        };
                        text.split_whitespace().collect::<Vec<_>>().join(" ")
                    })
                    .find(|c| !c.is_empty())
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
            // "Delta Pay (only if you turn the feature on)", "Epsilon
            // (if enabled)": the engagement, not the name.
            if let Some(at) = name.rfind(" (")
                && name.ends_with(')')
                && says_optional(&name[at..])
            {
                v.optional = true;
                name = name[..at].trim().to_owned();
            }
            while let Some((stripped, badge)) = [
                " (core)",
                " optional",
                " core",
                " New",
                " new",
                " Beta",
                " beta",
            ]
            .iter()
            .find_map(|b| {
                name.strip_suffix(b)
                    .map(|s| (s.trim().to_owned(), b.trim()))
            }) {
                name = stripped;
                match badge {
                    "optional" => v.optional = true,
                    "core" | "(core)" => v.optional = false,
                    "New" | "new" => v.gaps.push(
                        "a \"New\" badge on the page (dropped: the ledger derives it)".to_owned(),
                    ),
                    _ => v.notes.push("Beta".to_owned()),
                }
            }
            v.name = name;
            v.purpose = cell(Target::Purpose);
            // "Support tickets (practitioner data only)".
            if let Some(p) = v.purpose.clone()
                && let Some(at) = p.rfind(" (")
                && p.ends_with(')')
                && whose_data(&p[at + 2..p.len() - 1])
            {
                let whose = &p[at + 2..p.len() - 1];
                v.notes.push(format!("Whose data: {whose}"));
                v.purpose = Some(p[..at].trim().to_owned());
            }
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
            // "optional": true, "engagement": "core", "core": false.
            let mut core = false;
            for (i, _) in targets
                .iter()
                .enumerate()
                .filter(|(_, t)| **t == Target::Engagement)
            {
                let value = row
                    .get(i)
                    .map(|c| c.trim().to_lowercase())
                    .unwrap_or_default();
                let yes = matches!(value.as_str(), "true" | "yes" | "ja" | "oui" | "x" | "1");
                if value.is_empty() {
                } else if value == "core" || value == "always" {
                    core = true;
                } else if says_optional(&value) || value == "opt-in" {
                    v.optional = true;
                } else if table.headers[i].trim().eq_ignore_ascii_case("core") {
                    core = yes;
                    v.optional |= !yes;
                } else if yes {
                    v.optional = true;
                }
            }
            if let Some(f) = cell(Target::Feature) {
                v.optional |= !core;
                v.feature = Some(f);
            }
            if core {
                v.optional = false;
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
            // "deleted after 24 hours" is how long, "practitioner data
            // only" whose: neither is a category of data.
            data.retain(|item| {
                if is_retention(item) && v.retention.is_none() {
                    v.gaps
                        .push(format!("retention read from the data: \"{item}\""));
                    v.retention = Some(capitalise(item));
                    false
                } else if whose_data(item) {
                    v.notes.push(format!("Whose data: {item}"));
                    false
                } else {
                    true
                }
            });
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
            // "payments, Luxembourg": a place at the end of the purpose.
            if v.locations.is_empty()
                && !targets.contains(&Target::Location)
                && let Some(p) = v.purpose.clone()
                && let Some((rest, place)) = p.rsplit_once(", ")
                && let Some(code) =
                    crate::register::location::code_of_name(place.trim().trim_end_matches('.'))
            {
                v.gaps.push(format!(
                    "location {code} read from the purpose (\"{place}\")"
                ));
                v.locations.push(code.to_owned());
                v.purpose = Some(rest.trim().to_owned());
                if v.data.len() == 1 && v.data[0] == capitalise(p.trim().trim_end_matches('.')) {
                    v.data = vec![capitalise(rest.trim())];
                }
            }
            v.legal_address = cell(Target::Address);
            details.apply(&mut v);
            v.website = cell(Target::Website).or(linked);
            v.notes.extend(cell(Target::Notes));
            // Columns read as nothing, and a second column read the same
            // way as one that gave its value (two location columns): kept
            // in notes under their header, never dropped.
            let value = |j: usize| row.get(j).map(|c| c.trim()).filter(|c| !c.is_empty());
            for (i, t) in targets.iter().enumerate() {
                let shadowed = !matches!(
                    t,
                    Target::Unknown | Target::Kept | Target::Derived | Target::Engagement
                ) && (0..i).any(|j| targets[j] == *t && value(j).is_some());
                if (matches!(t, Target::Unknown | Target::Kept) || shadowed)
                    && let Some(value) = value(i)
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
                && [" / ", " & ", " and ", " + ", " or ", " und ", " et "]
                    .iter()
                    .any(|w| v.name.contains(w))
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
                if used.contains_key(&id) {
                    v.gaps.push(format!(
                        "the page lists \"{}\" more than once in this section: written as a file of its own; merge them if they are one vendor",
                        v.name
                    ));
                }
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

/// The details our own page writes one a line in a cell ("Address: …",
/// "Transfers: …"), taken out of the row; any other extra line joins its
/// cell again with "; ", as a page's own line breaks always did.
#[derive(Default)]
struct Details {
    feature: Option<String>,
    legal_entity: Option<String>,
    address: Option<String>,
    contact: Option<String>,
    list_url: Option<String>,
    retention: Option<String>,
    notes: Vec<String>,
    subjects: Vec<String>,
    transfers: Vec<String>,
    location_note: Option<String>,
}

impl Details {
    fn apply(self, v: &mut Imported) {
        if let Some(f) = self.feature {
            v.optional = true;
            v.feature = Some(f);
        }
        v.legal_entity = self.legal_entity.or(v.legal_entity.take());
        v.legal_address = self.address.or(v.legal_address.take());
        v.contact = self.contact.or(v.contact.take());
        v.list_url = self.list_url.or(v.list_url.take());
        v.retention = self.retention.or(v.retention.take());
        v.notes.extend(self.notes);
        v.subjects.extend(self.subjects);
        for t in self.transfers {
            if !v.transfer.contains(&t) {
                v.transfer.push(t);
            }
        }
        if let Some(note) = self.location_note {
            v.location_note = Some(match v.location_note.take() {
                Some(old) => format!("{note}; {old}"),
                None => note,
            });
        }
    }
}

fn lines_of(row: &[String], targets: &[Target]) -> (Vec<String>, Details) {
    use super::cells::LINE_BREAK;
    let mut d = Details::default();
    let mut out = Vec::with_capacity(row.len());
    for (i, cell) in row.iter().enumerate() {
        let mut parts = cell.split(LINE_BREAK).map(str::trim);
        let mut kept: Vec<String> = parts.next().map(str::to_owned).into_iter().collect();
        let target = targets.get(i).copied().unwrap_or(Target::Unknown);
        for line in parts.filter(|l| !l.is_empty()) {
            let (label, value) = line
                .split_once(": ")
                .map_or(("", line), |(l, v)| (l.trim(), v.trim()));
            let (text, link) = delink(value);
            match (target, label) {
                (Target::Name, "Only with") => d.feature = Some(text),
                (Target::Name, "Legal entity") => d.legal_entity = Some(text),
                (Target::Name, "Address") => d.address = Some(text),
                (Target::Name, "Privacy contact") => {
                    let link = link.map(|l| l.trim_start_matches("mailto:").to_owned());
                    d.contact = Some(link.unwrap_or(text));
                }
                (Target::Name, "") if text == "Its own sub-processors" && link.is_some() => {
                    d.list_url = link
                }
                (Target::Purpose, "Retention") => d.retention = Some(text),
                (Target::Purpose, "Note") => d.notes.push(text),
                (Target::Data, "Data subjects") => d.subjects.extend(split_outside(&text, ';')),
                (Target::Location, "Transfers") => {
                    for part in text.split("; ") {
                        match mechanism(part) {
                            Some(code) => d.transfers.push(code.to_owned()),
                            None => d.notes.push(format!("Transfers: {part}")),
                        }
                    }
                }
                (Target::Location, "") if d.location_note.is_none() => {
                    d.location_note = Some(line.to_owned())
                }
                _ => kept.push(line.to_owned()),
            }
        }
        out.push(kept.join("; "));
    }
    (out, d)
}
