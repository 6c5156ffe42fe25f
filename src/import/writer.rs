//! Writing what was imported as TOML: vendor files and the section
//! tables for subledger.toml.

use super::page::{Imported, SectionOut};

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn toml_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|i| toml_string(i)).collect();
    format!("[{}]", inner.join(", "))
}

/// An existing vendor file brought up to date with what the page says of
/// it: each key the page gives replaces the file's, every other key (and
/// comment) is kept, and a key the page leaves as TBD keeps the file's
/// value. `None` when the existing file is not TOML.
pub fn merged(existing: &str, v: &Imported) -> Option<String> {
    use toml_edit::{DocumentMut, Item};
    let mut doc: DocumentMut = existing.parse().ok()?;
    let fresh: DocumentMut = vendor_file(v).parse().ok()?;
    let placeholder = |item: &Item| match item.as_value() {
        Some(toml_edit::Value::String(s)) => s.value() == "TBD",
        Some(toml_edit::Value::Array(a)) => {
            a.len() == 1 && a.get(0).and_then(|x| x.as_str()) == Some("TBD")
        }
        _ => false,
    };
    for (key, item) in fresh.iter() {
        if placeholder(item) && doc.contains_key(key) {
            continue;
        }
        match doc.get_mut(key) {
            // Keep the file's formatting and comments around the value.
            Some(old) if old.is_value() && item.is_value() => {
                let decor = old.as_value().map(|v| v.decor().clone());
                *old = item.clone();
                if let (Some(decor), Some(value)) = (decor, old.as_value_mut()) {
                    *value.decor_mut() = decor;
                }
            }
            _ => {
                doc.insert(key, item.clone());
            }
        }
    }
    // The page says whether it is optional: a core vendor has no feature
    // (and keeps `engagement = "core"` only when the page itself says so).
    if !v.optional {
        if !fresh.contains_key("engagement") {
            doc.remove("engagement");
        }
        doc.remove("feature");
    }
    Some(doc.to_string())
}

/// The vendor file for an imported vendor.
pub fn vendor_file(v: &Imported) -> String {
    let tbd = vec!["TBD".to_owned()];
    let mut out = String::new();
    out.push_str(&format!("name = {}\n", toml_string(&v.name)));
    if let Some(e) = &v.legal_entity {
        out.push_str(&format!("legal_entity = {}\n", toml_string(e)));
    }
    if let Some(a) = &v.legal_address {
        out.push_str(&format!("legal_address = {}\n", toml_string(a)));
    }
    if let Some(w) = &v.website {
        out.push_str(&format!("website = {}\n", toml_string(w)));
    }
    if let Some(c) = &v.contact {
        out.push_str(&format!("contact = {}\n", toml_string(c)));
    }
    if let Some(l) = &v.list_url {
        out.push_str(&format!("subprocessor_list_url = {}\n", toml_string(l)));
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
    if !v.subjects.is_empty() {
        out.push_str(&format!("data_subjects = {}\n", toml_list(&v.subjects)));
    }
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
    if !v.transfer.is_empty() {
        out.push_str(&format!(
            "transfer_mechanisms = {}\n",
            toml_list(&v.transfer)
        ));
    }
    if let Some(r) = &v.retention {
        out.push_str(&format!("retention = {}\n", toml_string(r)));
    }
    if let Some(d) = v.in_service_since {
        out.push_str(&format!(
            "in_service_since = {}\n",
            crate::dates::iso_date(d)
        ));
    }
    if !v.notes.is_empty() {
        out.push_str(&format!("notes = {}\n", toml_string(&v.notes.join("; "))));
    }
    // The rest of what subledger's own export carries, in format order,
    // `[dpa]` last as its own table.
    let mut more: Vec<&(crate::register::Field, toml_edit::Value)> = v.more.iter().collect();
    more.sort_by_key(|(f, _)| crate::register::Field::ALL.iter().position(|x| x == f));
    for (field, value) in more.iter().filter(|(f, _)| !f.in_dpa()) {
        out.push_str(&format!("{} = {}\n", field.key(), value.to_string().trim()));
    }
    let dpa: Vec<_> = more.iter().filter(|(f, _)| f.in_dpa()).collect();
    if !dpa.is_empty() {
        out.push_str("\n[dpa]\n");
        for (field, value) in dpa {
            out.push_str(&format!(
                "{} = {}\n",
                &field.key()[4..],
                value.to_string().trim()
            ));
        }
    }
    out
}

/// A new subledger.toml for a page: its name (`name`, else what the page
/// says, else "TBD", which `check` flags), introduction, date, notice terms
/// and sections.
pub fn config_file(
    about: &super::about::About,
    name: Option<&str>,
    source: &str,
    sections: &[SectionOut],
) -> String {
    let mut out = format!("# Written by `subledger import {source}`.\n[register]\n");
    let name = name.map(str::to_owned).or_else(|| about.name.clone());
    out.push_str(&format!(
        "name = {}{}\n",
        toml_string(name.as_deref().unwrap_or("TBD")),
        if name.is_none() {
            "  # the page does not say: set the company's name"
        } else {
            ""
        }
    ));
    if !about.intro.is_empty() {
        out.push_str(&format!(
            "intro = {}\n",
            toml_string(&about.intro.join("\n\n"))
        ));
    }
    if let Some(d) = about.updated {
        out.push_str(&format!("page_updated = {}\n", crate::dates::iso_date(d)));
    }
    let mut notice = String::new();
    if let Some((days, business)) = about.days {
        notice.push_str(&format!("days = {days}\n"));
        if business {
            notice.push_str("unit = \"business\"\n");
        }
    }
    if let Some(e) = &about.except {
        notice.push_str(&format!("except = {}\n", toml_string(e)));
    }
    if let Some(c) = &about.contact {
        notice.push_str(&format!("contact = {}\n", toml_string(c)));
    }
    if let Some(s) = &about.subscribe {
        notice.push_str(&format!("subscribe = {}\n", toml_string(s)));
    }
    if !notice.is_empty() {
        out.push_str("\n[notice]\n");
        out.push_str(&notice);
    }
    out.push_str(&section_tables(sections));
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
        if !s.order.is_empty() {
            out.push_str(&format!("order = {}\n", toml_list(&s.order)));
        }
    }
    out
}
