//! Workbooks for spreadsheets (rust_xlsxwriter): one sheet per table, a
//! bold header row that is frozen and filtered, dates as real dates.
//! Byte-identical for the same input: the document's creation time is
//! fixed, never the clock.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// A cell: text, a whole number, or a date (or a moment, in UTC) Excel can
/// sort and filter by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Date {
        year: u16,
        month: u8,
        day: u8,
    },
    /// An RFC 3339 time converted to UTC; shown with "UTC" after it, as a
    /// spreadsheet has no time zones.
    Time {
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    },
}

impl Cell {
    /// A cell from an ISO date `YYYY-MM-DD`; text when it is not one.
    pub fn date_or_text(text: &str) -> Cell {
        let parts: Vec<&str> = text.split('-').collect();
        if let [y, m, d] = parts[..]
            && y.len() == 4
            && m.len() == 2
            && d.len() == 2
            && let (Ok(year), Ok(month), Ok(day)) = (y.parse(), m.parse(), d.parse())
            && ExcelDateTime::from_ymd(year, month, day).is_ok()
        {
            return Cell::Date { year, month, day };
        }
        Cell::Text(text.to_owned())
    }

    /// A cell from a date or an RFC 3339 time (`2026-03-01T10:00:00+01:00`
    /// becomes 09:00:00 UTC); text when it is neither.
    pub fn when(text: &str) -> Cell {
        let rfc3339 = &time::format_description::well_known::Rfc3339;
        match time::OffsetDateTime::parse(text, rfc3339) {
            Ok(t) => {
                let t = t.to_offset(time::UtcOffset::UTC);
                match u16::try_from(t.year()) {
                    Ok(year) if (1900..=9999).contains(&year) => Cell::Time {
                        year,
                        month: t.month() as u8,
                        day: t.day(),
                        hour: t.hour(),
                        minute: t.minute(),
                        second: t.second(),
                    },
                    _ => Cell::Text(text.to_owned()),
                }
            }
            Err(_) => Cell::date_or_text(text),
        }
    }

    /// A whole number, or text when it is not one (or is empty).
    pub fn int_or_text(text: &str) -> Cell {
        match text.parse() {
            Ok(n) => Cell::Int(n),
            Err(_) => Cell::Text(text.to_owned()),
        }
    }
}

/// How the cells of a named column are read by [`sheet_from_csv`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// Dates and RFC 3339 times.
    When,
    /// Whole numbers (lines, columns, counts).
    Int,
}

/// A sheet with the columns and rows of a CSV document (as the CSV
/// formats write it), the columns named in `typed` read as dates or
/// numbers: the workbook then holds exactly what the CSV holds.
pub fn sheet_from_csv(name: &str, csv: &[u8], typed: &[(&str, Column)]) -> Result<Sheet, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(csv);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(str::to_owned)
        .collect();
    let kinds: Vec<Option<Column>> = header
        .iter()
        .map(|h| typed.iter().find(|(n, _)| n == h).map(|&(_, k)| k))
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        rows.push(
            record
                .iter()
                .zip(&kinds)
                .map(|(text, kind)| match kind {
                    Some(Column::When) => Cell::when(text),
                    Some(Column::Int) => Cell::int_or_text(text),
                    None => Cell::Text(text.to_owned()),
                })
                .collect(),
        );
    }
    Ok(Sheet {
        name: name.to_owned(),
        header,
        rows,
    })
}

/// One sheet: its name, header and rows.
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The workbook's bytes.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, String> {
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(err)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_title("subledger"),
    );
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let moment = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss \"UTC\"");
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name).map_err(err)?;
        for (c, title) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, title, &bold)
                .map_err(err)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) if t.is_empty() => {}
                    Cell::Text(t) => {
                        ws.write_string(r, c, t).map_err(err)?;
                    }
                    Cell::Int(n) => {
                        ws.write_number(r, c, *n as f64).map_err(err)?;
                    }
                    Cell::Time {
                        year,
                        month,
                        day,
                        hour,
                        minute,
                        second,
                    } => {
                        let d = ExcelDateTime::from_ymd(*year, *month, *day)
                            .and_then(|d| d.and_hms(u16::from(*hour), *minute, *second))
                            .map_err(err)?;
                        ws.write_datetime_with_format(r, c, &d, &moment)
                            .map_err(err)?;
                    }
                    Cell::Date { year, month, day } => {
                        let d = ExcelDateTime::from_ymd(*year, *month, *day).map_err(err)?;
                        ws.write_datetime_with_format(r, c, &d, &date)
                            .map_err(err)?;
                    }
                }
            }
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
        if !sheet.header.is_empty() {
            ws.autofilter(0, 0, sheet.rows.len() as u32, sheet.header.len() as u16 - 1)
                .map_err(err)?;
        }
        ws.autofit();
        // autofit measures text only: a date or a time gets the width its
        // format needs (or its header's, if wider), never "########".
        for c in 0..sheet.header.len() {
            let needs = sheet
                .rows
                .iter()
                .filter_map(|row| match row.get(c) {
                    Some(Cell::Time { .. }) => Some(24.0),
                    Some(Cell::Date { .. }) => Some(11.0),
                    _ => None,
                })
                .fold(0.0_f64, f64::max);
            if needs > 0.0 {
                // A column of dates and text (the audit's summary) stays as
                // wide as its longest text.
                let text = sheet
                    .rows
                    .iter()
                    .filter_map(|row| match row.get(c) {
                        Some(Cell::Text(t)) => Some(t.chars().count() as f64 * 1.1 + 2.0),
                        _ => None,
                    })
                    .fold(0.0_f64, f64::max);
                let header = sheet.header[c].chars().count() as f64 * 1.1 + 2.0;
                ws.set_column_width(c as u16, needs.max(header).max(text).min(255.0))
                    .map_err(err)?;
            }
        }
    }
    book.save_to_buffer().map_err(err)
}
