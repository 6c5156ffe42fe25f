//! Lists kept as data: a JSON array of vendor objects (or an object
//! holding one), a YAML list. Each object is one row; its keys are read as
//! column headers are, by meaning. Nested lists become `; `-separated
//! cells, nested objects (locations by the customer's region) their
//! values, HTML inside strings its text.

use super::columns::Table;
use super::page::Heading;
use serde_json::Value;

/// The tables of a JSON or YAML document, or why it holds none.
pub fn tables(value: &Value) -> Vec<Table> {
    let mut tables = Vec::new();
    collect(value, None, &mut tables);
    tables
}

/// Finds arrays of objects: at the top, or under a key (which then names
/// the section when there are several).
fn collect(value: &Value, key: Option<&str>, tables: &mut Vec<Table>) {
    // Sections holding their vendors: [{"title": "Core", "vendors": [..]}].
    if let Value::Array(items) = value
        && !items.is_empty()
        && items.iter().all(|item| {
            item.as_object().is_some_and(|m| {
                m.values()
                    .any(|v| v.as_array().is_some_and(|a| a.iter().any(Value::is_object)))
            })
        })
    {
        for item in items.iter().filter_map(Value::as_object) {
            let title = ["title", "name", "section", "heading", "group"]
                .iter()
                .find_map(|k| item.get(*k).and_then(Value::as_str));
            for (k, v) in item {
                if v.as_array().is_some_and(|a| a.iter().any(Value::is_object)) {
                    collect(v, title.or(Some(k)), tables);
                }
            }
        }
        return;
    }
    match value {
        Value::Array(items) if items.iter().any(Value::is_object) => {
            let mut headers: Vec<String> = Vec::new();
            for item in items {
                if let Value::Object(map) = item {
                    for k in map.keys() {
                        if !headers.contains(k) {
                            headers.push(k.clone());
                        }
                    }
                }
            }
            let rows: Vec<Vec<String>> = items
                .iter()
                .filter_map(Value::as_object)
                .map(|map| {
                    headers
                        .iter()
                        .map(|h| map.get(h).map(cell).unwrap_or_default())
                        .collect()
                })
                .collect();
            // A key that only says "vendors" names no section.
            let key = key.filter(|k| super::columns::target(k) != super::columns::Target::Name);
            let heading = |title: &str| Heading {
                title: title.to_owned(),
                intro: Vec::new(),
                transparency: false,
            };
            // "section": "Optional features": each section its own table,
            // in the order the list first names it.
            let Some(at) = headers.iter().position(|h| {
                matches!(h.to_lowercase().as_str(), "section" | "group" | "abschnitt")
            }) else {
                tables.push(Table {
                    heading: key.map(heading),
                    headers,
                    rows,
                    guessed: Vec::new(),
                });
                return;
            };
            headers.remove(at);
            let mut sections: Vec<(String, Vec<Vec<String>>)> = Vec::new();
            for mut row in rows {
                let title = row.remove(at);
                let title = if title.trim().is_empty() {
                    key.unwrap_or("").to_owned()
                } else {
                    title
                };
                match sections.iter_mut().find(|(t, _)| *t == title) {
                    Some((_, rows)) => rows.push(row),
                    None => sections.push((title, vec![row])),
                }
            }
            for (title, rows) in sections {
                tables.push(Table {
                    heading: (!title.is_empty()).then(|| heading(&title)),
                    headers: headers.clone(),
                    rows,
                    guessed: Vec::new(),
                });
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                collect(v, Some(k), tables);
            }
        }
        _ => {}
    }
}

/// One value as a cell's text.
fn cell(value: &Value) -> String {
    match value {
        Value::String(s) if s.contains('<') => {
            super::html::lines(s).lines().collect::<Vec<_>>().join(" ")
        }
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(cell)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(map) => map
            .values()
            .map(cell)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The top-level scalars of a document ("updated": "2026-04-07"), for what
/// the page says about itself.
pub fn scalars(value: &Value) -> Vec<String> {
    let Value::Object(map) = value else {
        return Vec::new();
    };
    // Known keys as the sentences a page would write, so the page's own
    // reading applies; the title first.
    let mut lines = Vec::new();
    for (k, v) in map {
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => continue,
        };
        let line = match k.to_lowercase().replace(['-', ' '], "_").as_str() {
            "title" | "heading" => format!("# {text}"),
            "company" | "organisation" | "organization" | "controller" | "processor" => {
                format!("# Sub-processors of {text}")
            }
            "intro" | "introduction" | "description" | "overview" | "summary" => text,
            "updated" | "last_updated" | "updated_at" | "date" => format!("Last updated: {text}"),
            "notice_days" | "notice_period_days" | "notice_period" | "notice" => {
                format!("We give at least {text} days' notice of a new sub-processor.")
            }
            "contact" | "objections" | "objection_contact" | "email" => {
                format!("To object, contact {text}.")
            }
            _ => format!("{k}: {text}"),
        };
        lines.push(line);
    }
    lines.sort_by_key(|l| !l.starts_with("# "));
    lines
}
