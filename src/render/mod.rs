//! Every output format. Renderers write to `&mut dyn io::Write` and never
//! print, so commands choose where output goes and tests capture it whole.
//!
//! Anything that comes from a vendor file is escaped for the format it lands
//! in: [`markdown_cell`] for Markdown tables, [`csv_row`] for spreadsheets
//! (including formula injection), and serde for JSON.

pub mod audit;
pub mod ci;
pub mod demo;
pub mod diff;
pub mod events;
pub mod feed;
pub mod findings;
pub mod history;
pub mod import;
pub mod lang;
pub mod list;
pub mod notice;
pub mod page;
pub mod release;
pub mod send;
pub mod template;
pub mod timeline;
pub mod verify;
pub mod words;
pub mod xlsx;

use std::io::{self, Write};

pub use crate::register::escape_controls as shown;

/// What `produce` hands over, each `consume`d on other threads (one per
/// core beside the producer's) while the next is being produced; when they
/// fall behind (the queue is full), the producer consumes one itself
/// before handing over the next, so no core waits while there is work. The
/// results in the order produced. The first error, in that order, wins;
/// every item is consumed, so which error that is never depends on timing.
pub fn pipeline<A: Send, T: Send>(
    produce: impl FnOnce(&mut dyn FnMut(A) -> crate::Result<()>) -> crate::Result<()>,
    consume: impl Fn(A) -> crate::Result<T> + Sync,
) -> crate::Result<Vec<T>> {
    use std::sync::mpsc::TrySendError;
    // The producer has a core of its own; the rest consume.
    let workers = std::thread::available_parallelism().map_or(1, |n| (n.get() - 1).clamp(1, 4));
    let (send, receive) = std::sync::mpsc::sync_channel::<(usize, A)>(16);
    let receive = std::sync::Mutex::new(receive);
    // The next item queued, taken under the lock (`None`: none queued, or
    // the queue is closed).
    let take = |receive: &std::sync::Mutex<std::sync::mpsc::Receiver<(usize, A)>>, wait: bool| {
        receive.lock().map_or(None, |r| {
            if wait {
                r.recv().ok()
            } else {
                r.try_recv().ok()
            }
        })
    };
    std::thread::scope(|scope| {
        let (consume, receive, take) = (&consume, &receive, &take);
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    while let Some((i, item)) = take(receive, true) {
                        out.push((i, consume(item)));
                    }
                    out
                })
            })
            .collect();
        let mut n = 0;
        let mut own = Vec::new();
        let produced = produce(&mut |item| {
            n += 1;
            let mut next = (n - 1, item);
            loop {
                match send.try_send(next) {
                    Ok(()) => return Ok(()),
                    Err(TrySendError::Full(back)) => {
                        next = back;
                        // Behind: help with one queued before this.
                        if let Some((i, queued)) = take(receive, false) {
                            own.push((i, consume(queued)));
                        } else {
                            std::thread::yield_now();
                        }
                    }
                    Err(TrySendError::Disconnected(_)) => {
                        return Err(crate::Error::Usage {
                            what: "rendering stopped".to_owned(),
                            hint: None,
                        });
                    }
                }
            }
        });
        drop(send);
        let mut results: Vec<(usize, crate::Result<T>)> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("a rendering thread panicked"))
            .chain(own)
            .collect();
        results.sort_by_key(|(i, _)| *i);
        let consumed = results
            .into_iter()
            .map(|(_, r)| r)
            .collect::<crate::Result<Vec<T>>>()?;
        produced?;
        Ok(consumed)
    })
}

/// How terminal output looks: decided once from the environment by the CLI.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// Use ANSI colours and bold.
    pub color: bool,
    /// Wrap tables to this many columns; `None` lets the table pick (a terminal's width).
    pub width: Option<u16>,
}

impl Style {
    /// `text` in an ANSI style (`"1"` bold, `"31"` red...) when colour is on.
    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// Escapes text for one cell of a Markdown table: pipes, newlines and the
/// characters that would turn vendor text into markup or HTML.
pub fn markdown_cell(text: &str) -> String {
    markdown_text(text).replace('\n', "<br>")
}

/// An id or a path as Markdown code (`aws`), when nothing in it could
/// break out of the code span; otherwise as escaped text.
pub fn markdown_code(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if plain {
        format!("`{text}`")
    } else {
        markdown_cell(text)
    }
}

/// Escapes text for a Markdown paragraph: inline markup and HTML become literal.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in shown(&text.replace("\r\n", "\n")).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => out.push('\n'),
            _ => out.push(c),
        }
    }
    out
}

/// Writes one CSV row (RFC 4180), safe to open in a spreadsheet: a cell that
/// starts with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'`
/// so it is never run as a formula.
pub fn csv_row(out: &mut dyn Write, cells: &[&str]) -> io::Result<()> {
    csv_record(out, cells, true)
}

/// Writes one CSV row; `formula_guard` off for CSV that only becomes a
/// workbook (whose text cells are never formulas), so no `'` is added.
pub fn csv_record(out: &mut dyn Write, cells: &[&str], formula_guard: bool) -> io::Result<()> {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let guarded;
        let visible = shown(cell);
        let cell = visible.as_ref();
        let cell = if formula_guard && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            guarded = format!("'{cell}");
            guarded.as_str()
        } else {
            cell
        };
        if cell.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(cell);
        }
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes())
}

/// Writes `value` as pretty JSON followed by a newline.
pub fn json(out: &mut dyn Write, value: &serde_json::Value) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    out.write_all(json_safe(text).as_bytes())?;
    out.write_all(b"\n")
}

/// JSON text with every character a terminal would act on written as a
/// `\u` escape: serde escapes C0, this adds DEL, C1, the bidirectional
/// overrides and U+FFFE/U+FFFF. The escapes decode to the same strings, so
/// the data is exactly what it was; only raw bytes never reach a terminal.
pub fn json_safe(text: String) -> String {
    if !crate::register::any_unprintable(&text) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match crate::register::unprintable(c) {
            Some(_) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_cannot_break_the_table_or_inject_markup() {
        assert_eq!(markdown_cell("a|b\nc"), "a\\|b<br>c");
        assert_eq!(
            markdown_cell("<script>alert(1)</script> [x](y) *b*"),
            "&lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](y) \\*b\\*"
        );
    }

    #[test]
    fn csv_cells_are_quoted_and_formula_safe() {
        let mut out = Vec::new();
        csv_row(
            &mut out,
            &[
                "=HYPERLINK(\"x\")",
                "a,b",
                "plain",
                "-1",
                "@SUM",
                "\tx",
                "line\nbreak",
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"'=HYPERLINK(\"\"x\"\")\",\"a,b\",plain,'-1,'@SUM,'\tx,\"line\nbreak\"\r\n"
        );
    }
}
