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
    match value {
        Value::Object(map) => map
            .iter()
            .filter_map(|(k, v)| match v {
                Value::String(s) => Some(format!("{k}: {s}")),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
