//! subledger's own spreadsheet: the CSV and workbook `list` exports
//! (`id`, then a column per key of the format). Recognised by its header,
//! every column is read as the key it names, so export → edit in Excel →
//! import gives back the same vendor files: ids, engagement, codes such as
//! GLOBAL and CUSTOMER, `[dpa]`, everything.

use super::page::{Import, Imported, SectionOut};
use crate::register::field::{Field, ValueKind};
use crate::register::is_valid_id;

/// The column `list` writes after `locations`: the codes' names, derived.
const DERIVED: &str = "location_names";

/// Which of subledger's other exports `text` (CSV, or a workbook's first
/// sheet) is, by its header: a timeline, a diff or an audit holds changes
/// and evidence, not vendors, and read as a list it would invent them.
pub fn other_export(text: &str) -> Option<&'static str> {
    let text = text.trim_start_matches('\u{feff}');
    let delimiter = super::delimited::delimiter(text).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader.records().next()?.ok()?;
    let header: Vec<&str> = header.iter().map(str::trim).collect();
    const TIMELINE: &[&str] = &[
        "commit",
        "date",
        "author_name",
        "author_email",
        "subject",
        "release",
        "release_date",
        "kind",
        "id",
    ];
    const DIFF: &[&str] = &["kind", "id", "from", "field", "old", "new"];
    if header.starts_with(TIMELINE) {
        Some("timeline")
    } else if header.starts_with(DIFF) {
        Some("diff")
    } else if header == ["item", "value"] {
        Some("audit")
    } else {
        None
    }
}

/// The field a column of the export holds (`dpa_status` is `dpa.status`).
fn field_of(column: &str) -> Option<Field> {
    Field::ALL
        .iter()
        .copied()
        .find(|f| f.key().replace('.', "_") == column)
}

/// The export's rows, when `text` (CSV) has its header: `id` first, every
/// other column a key of the format (or `location_names`), `name` and
/// `section` among them. Any other header is read by meaning instead.
pub(super) fn read(text: &str, delimiter: u8) -> Option<Import> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = records
        .next()?
        .ok()?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if header.first().map(String::as_str) != Some("id") {
        return None;
    }
    let mut columns: Vec<Option<Field>> = vec![None];
    for h in &header[1..] {
        match field_of(h) {
            Some(f) => columns.push(Some(f)),
            None if h == DERIVED => columns.push(None),
            None => return None,
        }
    }
    if !columns.contains(&Some(Field::Name)) || !columns.contains(&Some(Field::Section)) {
        return None;
    }

    let mut import = Import::default();
    for (n, record) in records.enumerate() {
        let row = n + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                import.skipped.push(format!("record {row} of the CSV: {e}"));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut v = Imported::default();
        for (cell, column) in record.iter().zip(&columns).skip(1) {
            // The CSV guards a cell that looks like a formula with one `'`.
            let cell = cell.trim();
            let cell = match cell.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
                _ => cell,
            };
            if let Some(field) = column
                && !cell.is_empty()
            {
                set(&mut v, *field, cell, row);
            }
        }
        let id = record.get(0).unwrap_or_default().trim();
        v.id = if is_valid_id(id) {
            id.to_owned()
        } else {
            let made = super::meaning::slug(&v.name);
            v.gaps.push(format!(
                "row {row}: the id \"{id}\" is not a valid id; written as {made}"
            ));
            made
        };
        if import.vendors.iter().any(|o| o.id == v.id) {
            import.skipped.push(format!(
                "row {row}: the id {} again: only its first row is imported",
                v.id
            ));
            continue;
        }
        for (missing, field) in [
            (v.purpose.is_none(), "purpose"),
            (v.data.is_empty(), "data_categories"),
            (v.locations.is_empty(), "locations"),
        ] {
            if missing {
                v.gaps
                    .push(format!("{field} (empty in the sheet; written as TBD)"));
            }
        }
        match import.sections.iter_mut().find(|s| s.id == v.section) {
            Some(section) => section.order.push(v.id.clone()),
            None => import.sections.push(SectionOut {
                id: v.section.clone(),
                title: title_of(&v.section),
                intro: None,
                transparency: false,
                order: vec![v.id.clone()],
            }),
        }
        import.vendors.push(v);
    }
    import.sections_by_id = true;
    Some(import)
}

/// "website-analytics" → "Website analytics".
fn title_of(id: &str) -> String {
    let words = id.replace('-', " ");
    super::cells::capitalise(&words)
}

/// One cell into its field; a value the key cannot take goes to notes.
fn set(v: &mut Imported, field: Field, cell: &str, row: usize) {
    let list = || -> Vec<String> {
        cell.split("; ")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let text = || Some(cell.to_owned());
    match field {
        Field::Name => v.name = cell.to_owned(),
        Field::Section => v.section = cell.to_owned(),
        Field::LegalEntity => v.legal_entity = text(),
        Field::LegalAddress => v.legal_address = text(),
        Field::Website => v.website = text(),
        Field::Contact => v.contact = text(),
        Field::SubprocessorListUrl => v.list_url = text(),
        Field::Engagement if cell.eq_ignore_ascii_case("optional") => v.optional = true,
        // "core" as the sheet says it (the default, but the file said so);
        // anything else as written, for `check` to name.
        Field::Engagement => v.more.push((field, toml_edit::Value::from(cell))),
        Field::Feature => v.feature = text(),
        Field::Purpose => v.purpose = text(),
        Field::DataCategories => v.data = list(),
        Field::DataSubjects => v.subjects = list(),
        Field::Locations => v.locations = list(),
        Field::LocationNote => v.location_note = text(),
        Field::TransferMechanisms => v.transfer = list(),
        Field::Retention => v.retention = text(),
        // A note of the vendor, not text the import could not place.
        Field::Notes => v.more.push((field, toml_edit::Value::from(cell))),
        Field::InServiceSince => match crate::dates::parse_iso_date(cell) {
            Some(d) => v.in_service_since = Some(d),
            None => v.gaps.push(format!(
                "row {row}: in_service_since \"{cell}\" is not a date (YYYY-MM-DD): left out"
            )),
        },
        other => {
            let value = match other.kind() {
                ValueKind::Date => match crate::dates::parse_iso_date(cell) {
                    Some(_) => toml_edit::Value::from(
                        cell.parse::<toml_edit::Datetime>()
                            .unwrap_or_else(|_| unreachable!("an ISO date is a TOML date")),
                    ),
                    None => {
                        v.gaps.push(format!(
                            "row {row}: {} \"{cell}\" is not a date (YYYY-MM-DD): left out",
                            other.key()
                        ));
                        return;
                    }
                },
                ValueKind::TextList | ValueKind::IdList | ValueKind::ChoiceList(_) => {
                    toml_edit::Value::Array(list().into_iter().collect())
                }
                ValueKind::Text | ValueKind::Choice(_) => toml_edit::Value::from(cell),
            };
            v.more.push((other, value));
        }
    }
}
