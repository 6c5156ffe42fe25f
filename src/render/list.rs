//! `list` output: the register grouped by section, as a terminal table,
//! Markdown, JSON or CSV.
//!
//! The table and Markdown forms read like the public pages companies publish
//! (introduction, each section's intro and table, how notice is given), so a
//! reviewer sees everything a customer would. Optional columns such as
//! "Legal address" appear only when some listed vendor has a value. `[dpa]`
//! is internal: it appears in JSON and CSV (for audits) but never in the
//! table or Markdown, which people paste into pages.

use super::{Style, csv_row, markdown_cell, markdown_text, shown};
use crate::register::config::{Config, DayUnit, Scope};
use crate::register::{Engagement, Field, Revision, Vendor, location};
use comfy_table::{Attribute, Cell, ContentArrangement, Table, presets};
use serde_json::json;
use std::io::{self, Write};

/// What to list: the config and the vendors that passed the filters.
pub struct ListView<'a> {
    pub config: &'a Config,
    pub vendors: Vec<&'a Vendor>,
    pub revision: Option<&'a Revision>,
}

/// One section with its vendors, in config order; vendors of undeclared
/// sections come last under their raw id.
struct Group<'a> {
    id: &'a str,
    title: &'a str,
    intro: Option<&'a str>,
    scope: Scope,
    vendors: Vec<&'a Vendor>,
}

impl<'a> ListView<'a> {
    fn groups(&self) -> Vec<Group<'a>> {
        let mut groups: Vec<Group<'a>> = self
            .config
            .sections
            .iter()
            .map(|s| Group {
                id: s.id.get_ref(),
                title: &s.title,
                intro: s.intro.as_deref(),
                scope: s.scope,
                vendors: Vec::new(),
            })
            .collect();
        let mut vendors = self.vendors.clone();
        vendors.sort_by_cached_key(|v| (v.name().to_lowercase(), v.id.clone()));
        for vendor in vendors {
            match groups.iter_mut().find(|g| g.id == vendor.section()) {
                Some(group) => group.vendors.push(vendor),
                None => groups.push(Group {
                    id: vendor.section(),
                    title: vendor.section(),
                    intro: None,
                    scope: Scope::Subprocessor,
                    vendors: vec![vendor],
                }),
            }
        }
        groups.retain(|g| !g.vendors.is_empty());
        groups
    }
}

/// A column of the Markdown form (the terminal table merges them, see [`table_row`]).
#[derive(Clone, Copy, PartialEq)]
enum Column {
    Vendor,
    Engagement,
    Purpose,
    DataCategories,
    Locations,
    DataSubjects,
    LegalEntity,
    LegalAddress,
    Contact,
    Transfers,
    Retention,
    Notes,
}

impl Column {
    fn title(self) -> &'static str {
        match self {
            Column::Vendor => "Vendor",
            Column::Engagement => "Engagement",
            Column::Purpose => "Purpose",
            Column::DataCategories => "Data categories",
            Column::Locations => "Locations",
            Column::DataSubjects => "Data subjects",
            Column::LegalEntity => "Legal entity",
            Column::LegalAddress => "Legal address",
            Column::Contact => "Contact",
            Column::Transfers => "Transfers",
            Column::Retention => "Retention",
            Column::Notes => "Notes",
        }
    }

    /// The field an optional column shows; the column appears only when some vendor has it.
    fn optional_field(self) -> Option<Field> {
        match self {
            Column::DataSubjects => Some(Field::DataSubjects),
            Column::LegalEntity => Some(Field::LegalEntity),
            Column::LegalAddress => Some(Field::LegalAddress),
            Column::Contact => Some(Field::Contact),
            Column::Transfers => Some(Field::TransferMechanisms),
            Column::Retention => Some(Field::Retention),
            Column::Notes => Some(Field::Notes),
            _ => None,
        }
    }

    fn cell(self, v: &Vendor) -> String {
        match self {
            Column::Vendor => v.name().to_owned(),
            Column::Engagement => engagement(v),
            Column::Purpose => v.purpose().to_owned(),
            Column::DataCategories => v.list(Field::DataCategories).join("\n"),
            Column::Locations => locations(v),
            Column::DataSubjects => v.list(Field::DataSubjects).join("\n"),
            Column::Transfers => v.list(Field::TransferMechanisms).join(", "),
            Column::LegalEntity
            | Column::LegalAddress
            | Column::Contact
            | Column::Retention
            | Column::Notes => self
                .optional_field()
                .and_then(|f| v.text(f))
                .unwrap_or_default()
                .to_owned(),
        }
    }
}

const ALL_COLUMNS: &[Column] = &[
    Column::Vendor,
    Column::Engagement,
    Column::Purpose,
    Column::DataCategories,
    Column::DataSubjects,
    Column::Locations,
    Column::Transfers,
    Column::LegalEntity,
    Column::LegalAddress,
    Column::Contact,
    Column::Retention,
    Column::Notes,
];

fn columns(vendors: &[&Vendor]) -> Vec<Column> {
    ALL_COLUMNS
        .iter()
        .copied()
        .filter(|c| match c.optional_field() {
            Some(field) => vendors.iter().any(|v| v.get(field).is_some()),
            None => true,
        })
        .collect()
}

/// "core", or "optional: AI features".
fn engagement(v: &Vendor) -> String {
    match (v.engagement(), v.text(Field::Feature)) {
        (Engagement::Optional, Some(feature)) => format!("optional: {feature}"),
        (e, _) => e.as_str().to_owned(),
    }
}

/// Location names, then the note in parentheses.
fn locations(v: &Vendor) -> String {
    let names: Vec<&str> = v.locations().iter().map(|c| location::name(c)).collect();
    let mut text = names.join(", ");
    if let Some(note) = v.text(Field::LocationNote) {
        text.push_str(&format!(" ({note})"));
    }
    text
}

/// The sentence on notice terms, from `[notice]`.
fn notice_sentence(config: &Config) -> String {
    let notice = &config.notice;
    let unit = match notice.unit {
        DayUnit::Calendar => "",
        DayUnit::Business => "business ",
    };
    let mut text = format!(
        "{} gives at least {} {unit}days' notice before adding or replacing a sub-processor or making a material change",
        config.register.name, notice.days
    );
    if let Some(except) = &notice.except {
        text.push_str(&format!(", except {except}"));
    }
    if let Some(days) = notice.objection_days.filter(|d| *d != notice.days) {
        text.push_str(&format!(", and customers have {days} {unit}days to object"));
    }
    text.push('.');
    text
}

/// What `list` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Markdown,
    Json,
    Csv,
    Xlsx,
}

/// The listing in `format`, after `prefix` (a byte order mark, or
/// nothing): text, or a workbook. The error is why a workbook could not be
/// written.
pub fn render(
    format: Format,
    view: &ListView<'_>,
    style: Style,
    prefix: &[u8],
) -> Result<Vec<u8>, String> {
    let mut bytes = prefix.to_vec();
    match format {
        Format::Table => table(&mut bytes, view, style),
        Format::Markdown => markdown(&mut bytes, view),
        Format::Json => json(&mut bytes, view),
        Format::Csv => csv(&mut bytes, view),
        Format::Xlsx => return xlsx(view),
    }
    .map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// The register as terminal tables, one per section.
pub fn table(out: &mut dyn Write, view: &ListView<'_>, style: Style) -> io::Result<()> {
    let groups = view.groups();
    let count = view.vendors.len();
    let title = format!(
        "{}: sub-processor register, {} {}{}",
        view.config.register.name,
        count,
        if count == 1 { "vendor" } else { "vendors" },
        view.revision.map_or(String::new(), |r| format!(
            " at {} ({})",
            r.spec,
            &r.commit[..12]
        ))
    );
    writeln!(out, "{}", style.paint("1", &shown(&title)))?;
    if let Some(intro) = &view.config.register.intro {
        writeln!(out, "\n{}", shown(intro.trim_end()))?;
    }
    for group in &groups {
        let scope = match group.scope {
            Scope::Subprocessor => String::new(),
            Scope::Transparency => " [listed for transparency: not sub-processors]".to_owned(),
        };
        writeln!(out, "\n{}{scope}", style.paint("1", &shown(group.title)))?;
        if let Some(intro) = group.intro {
            writeln!(out, "{}", shown(intro.trim_end()))?;
        }
        let with_contact = group.vendors.iter().any(|v| {
            [Field::LegalAddress, Field::Contact, Field::Website]
                .iter()
                .any(|f| v.get(*f).is_some())
        });
        let mut header = vec!["Vendor", "Purpose", "Data", "Locations"];
        if with_contact {
            header.push("Address and contact");
        }
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL);
        table.set_content_arrangement(ContentArrangement::Dynamic);
        if style.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        if let Some(width) = style.width {
            table.set_width(width);
        }
        table.set_header(header.into_iter().map(|title| {
            let cell = Cell::new(title);
            if style.color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        }));
        for vendor in &group.vendors {
            let mut row: Vec<String> = table_row(vendor)
                .iter()
                .map(|cell| shown(cell).into_owned())
                .collect();
            if !with_contact {
                row.pop();
            }
            table.add_row(row);
        }
        writeln!(out, "{table}")?;
    }
    if groups.is_empty() {
        writeln!(out, "\nNo vendors match.")?;
    }
    writeln!(out)?;
    for line in footer(view.config) {
        writeln!(out, "{}", shown(&line))?;
    }
    Ok(())
}

/// The cells of one vendor in the terminal table: few wide columns, each
/// holding related fields on separate lines, so the table stays readable in
/// 80 to 100 columns.
fn table_row(v: &Vendor) -> Vec<String> {
    let mut vendor = format!("{}\n({})\n{}", v.name(), v.id, engagement(v));
    if let Some(entity) = v.text(Field::LegalEntity) {
        vendor.push_str(&format!("\nLegal entity: {entity}"));
    }
    let mut purpose = v.purpose().to_owned();
    for (label, field) in [("Retention", Field::Retention), ("Notes", Field::Notes)] {
        if let Some(text) = v.text(field) {
            purpose.push_str(&format!("\n{label}: {text}"));
        }
    }
    let mut data = v.list(Field::DataCategories).join("\n");
    if !v.list(Field::DataSubjects).is_empty() {
        data.push_str(&format!(
            "\nSubjects: {}",
            v.list(Field::DataSubjects).join(", ")
        ));
    }
    let mut places: Vec<String> = v
        .locations()
        .iter()
        .map(|c| location::name(c).to_owned())
        .collect();
    if let Some(note) = v.text(Field::LocationNote) {
        places.push(format!("({note})"));
    }
    if !v.list(Field::TransferMechanisms).is_empty() {
        places.push(format!(
            "Transfers: {}",
            v.list(Field::TransferMechanisms).join(", ")
        ));
    }
    let contact: Vec<&str> = [Field::LegalAddress, Field::Contact, Field::Website]
        .iter()
        .filter_map(|f| v.text(*f))
        .collect();
    vec![vendor, purpose, data, places.join("\n"), contact.join("\n")]
}

/// Notice terms, how to subscribe and where to object, one line each.
fn footer(config: &Config) -> Vec<String> {
    let mut lines = vec![notice_sentence(config)];
    if let Some(subscribe) = &config.notice.subscribe {
        lines.push(format!("Subscribe to changes: {subscribe}"));
    }
    if let Some(contact) = &config.notice.contact {
        lines.push(format!("Questions and objections: {contact}"));
    }
    lines
}

/// The register as a Markdown page.
pub fn markdown(out: &mut dyn Write, view: &ListView<'_>) -> io::Result<()> {
    writeln!(
        out,
        "# {} sub-processors",
        markdown_text(&view.config.register.name)
    )?;
    if let Some(r) = view.revision {
        writeln!(
            out,
            "\nAs of revision `{}` (commit {}).",
            r.spec.replace('`', "'"),
            r.commit
        )?;
    }
    if let Some(intro) = &view.config.register.intro {
        writeln!(out, "\n{}", markdown_text(intro.trim_end()))?;
    }
    for group in view.groups() {
        writeln!(out, "\n## {}", markdown_text(group.title))?;
        if let Some(intro) = group.intro {
            writeln!(out, "\n{}", markdown_text(intro.trim_end()))?;
        }
        if group.scope == Scope::Transparency {
            writeln!(
                out,
                "\n_Listed for transparency: these are not sub-processors._"
            )?;
        }
        let cols = columns(&group.vendors);
        writeln!(out)?;
        let header: Vec<&str> = cols.iter().map(|c| c.title()).collect();
        writeln!(out, "| {} |", header.join(" | "))?;
        writeln!(out, "|{}", "---|".repeat(cols.len()))?;
        for vendor in &group.vendors {
            let cells: Vec<String> = cols
                .iter()
                .map(|c| markdown_cell(&c.cell(vendor)))
                .collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
    }
    writeln!(out, "\n## Changes to this list")?;
    for line in footer(view.config) {
        writeln!(out, "\n{}", markdown_text(&line))?;
    }
    Ok(())
}

/// Every field of every listed vendor as CSV, one row per vendor.
pub fn csv(out: &mut dyn Write, view: &ListView<'_>) -> io::Result<()> {
    let (columns, rows) = table_rows(view);
    let header: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    csv_row(out, &header)?;
    for row in rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        csv_row(out, &cells)?;
    }
    Ok(())
}

/// The register as a workbook: one "Vendors" sheet with the CSV's columns,
/// its dates as dates.
pub fn xlsx(view: &ListView<'_>) -> Result<Vec<u8>, String> {
    use super::xlsx::Cell;
    let (columns, rows) = table_rows(view);
    let rows = rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .zip(&columns)
                .map(|(cell, (_, date))| match date {
                    true => Cell::date_or_text(&cell),
                    false => Cell::Text(cell),
                })
                .collect()
        })
        .collect();
    super::xlsx::workbook(&[super::xlsx::Sheet {
        name: "Vendors".to_owned(),
        header: columns.into_iter().map(|(name, _)| name).collect(),
        rows,
    }])
}

/// The list as a table: its columns (name, and whether it holds dates),
/// then a row of text per vendor.
fn table_rows(view: &ListView<'_>) -> (Vec<(String, bool)>, Vec<Vec<String>>) {
    let mut columns = vec![("id".to_owned(), false)];
    for field in Field::ALL {
        columns.push((
            field.key().replace('.', "_"),
            field.kind() == crate::register::field::ValueKind::Date,
        ));
        if *field == Field::Locations {
            columns.push(("location_names".to_owned(), false));
        }
    }
    let mut rows = Vec::new();
    for group in view.groups() {
        for vendor in group.vendors {
            let mut cells = vec![vendor.id.clone()];
            for &field in Field::ALL {
                cells.push(vendor.get(field).map(|v| v.display()).unwrap_or_default());
                if field == Field::Locations {
                    let names: Vec<&str> = vendor
                        .locations()
                        .iter()
                        .map(|c| location::name(c))
                        .collect();
                    cells.push(names.join("; "));
                }
            }
            rows.push(cells);
        }
    }
    (columns, rows)
}

/// The register as versioned JSON (`subledger.list/1`).
pub fn json(out: &mut dyn Write, view: &ListView<'_>) -> io::Result<()> {
    let sections: Vec<_> = view
        .config
        .sections
        .iter()
        .map(|s| json!({"id": s.id.get_ref(), "title": s.title, "intro": s.intro, "scope": s.scope.as_str()}))
        .collect();
    let vendors: Vec<&Vendor> = view.groups().into_iter().flat_map(|g| g.vendors).collect();
    let value = json!({
        "schema": "subledger.list/1",
        "register": {"name": view.config.register.name, "intro": view.config.register.intro},
        "revision": view.revision,
        "notice": view.config.notice,
        "sections": sections,
        "vendors": vendors,
    });
    super::json(out, &value)
}

/// The note on stderr when files of the register could not be loaded and
/// are left out of the list.
/// `rev`: the revision listed, for the check command that explains.
pub fn left_out(err: &mut dyn Write, files: &[String], rev: Option<&str>) -> io::Result<()> {
    let check = match rev {
        Some(rev) => format!("subledger check --rev {}", super::shown(rev)),
        None => "subledger check".to_owned(),
    };
    let note = format!(
        "subledger: {} could not be loaded and {} left out: {}\n  run `{check}` for details\n",
        super::findings::plural(files.len(), "file in the register", "files in the register"),
        if files.len() == 1 { "is" } else { "are" },
        super::shown(&files.join(", "))
    );
    err.write_all(note.as_bytes())
}
