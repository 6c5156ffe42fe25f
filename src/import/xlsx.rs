//! Spreadsheets: the first sheet of an `.xlsx` (or `.xls`, `.ods`)
//! workbook, read with calamine and handed to the CSV reader as the table
//! it is. Dates become ISO dates, numbers their shortest text, so that a
//! list exported with `--format xlsx`, edited in Excel and imported again
//! reads as it was written.

use calamine::{Data, Reader};

/// Whether these bytes are a zip (xlsx, ods) or an OLE (xls) container.
pub fn looks_like(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0])
}

/// The workbook's sheet named "Vendors", "List" or "Sub-processors" (else its first) as CSV
/// text; `Err` says why it could not be read.
pub fn to_csv(bytes: Vec<u8>) -> Result<String, String> {
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a spreadsheet calamine can read: {e}"))?;
    let names = book.sheet_names();
    let name = names
        .iter()
        .find(|n| {
            matches!(
                n.to_lowercase().as_str(),
                "vendors" | "list" | "sub-processors"
            )
        })
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| "the workbook has no sheets".to_owned())?;
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("sheet {name:?}: {e}"))?;
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in range.rows() {
        let cells: Vec<String> = row.iter().map(cell).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.write_record(&cells).map_err(|e| e.to_string())?;
    }
    let bytes = out.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

fn cell(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e}"),
    }
}
