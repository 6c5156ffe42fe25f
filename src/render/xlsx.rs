//! Workbooks for spreadsheets (rust_xlsxwriter): one sheet per table, a
//! bold header row that is frozen and filtered, dates as real dates.
//! Byte-identical for the same input: the document's creation time is
//! fixed, never the clock.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// A cell: text, or a calendar date Excel can sort and filter by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Date { year: u16, month: u8, day: u8 },
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
    }
    book.save_to_buffer().map_err(err)
}
