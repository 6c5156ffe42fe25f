//! Markdown read with a CommonMark parser (GFM tables, with or without
//! outer pipes), written out as the plain lines the page reader takes:
//! `#` headings, paragraphs line by line, `| a | b |` table rows, `- item`
//! list items. Emphasis is dropped, links are kept as `[text](url)` so a
//! name cell gives the name and the website, and HTML inside the Markdown
//! goes through the HTML reader.

use super::cells::INNER_SEMICOLON;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The page's lines.
pub fn lines(text: &str) -> String {
    // `\;` separates nothing: it is a `;` inside one data category.
    let text = text.replace("\\;", &INNER_SEMICOLON.to_string());
    let mut out = Lines::default();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(&text, options) {
        out.event(event);
    }
    out.finish()
}

#[derive(Default)]
struct Lines {
    out: Vec<String>,
    line: String,
    /// In a table: the cells of the row being read, and whether it is the head.
    row: Option<Vec<String>>,
    cell: Option<String>,
    head_done: bool,
    /// The link being read: its destination.
    link: Vec<String>,
    /// Nested list depth.
    lists: usize,
    /// A paragraph wholly emphasised (our own page's remarks): `_text_`.
    emphasis_only: Option<bool>,
    /// The paragraph's emphasis has ended: any text after it is not part of it.
    emphasis_closed: bool,
    html: String,
}

impl Lines {
    fn text(&mut self, text: &str) {
        match &mut self.cell {
            Some(cell) => cell.push_str(text),
            None => self.line.push_str(text),
        }
    }

    fn end_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !line.is_empty() {
            self.out.push(line);
        }
    }

    fn flush_html(&mut self) {
        if !self.html.trim().is_empty() {
            let html = std::mem::take(&mut self.html);
            self.end_line();
            for line in super::html::lines(&html).lines() {
                self.out.push(line.to_owned());
            }
        }
        self.html.clear();
    }

    fn event(&mut self, event: Event<'_>) {
        if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            self.flush_html();
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.end_line();
                self.line = format!("{} ", "#".repeat(level as usize));
            }
            Event::End(TagEnd::Heading(_)) => self.end_line(),
            Event::Start(Tag::Paragraph) => {
                self.end_line();
                self.emphasis_only = None;
                self.emphasis_closed = false;
            }
            Event::End(TagEnd::Paragraph) => {
                if self.emphasis_only == Some(true) && self.cell.is_none() && self.lists == 0 {
                    self.line = format!("_{}_", self.line.trim());
                }
                self.end_line();
            }
            Event::Start(Tag::Emphasis)
                if self.line.trim().is_empty() && self.emphasis_only.is_none() =>
            {
                self.emphasis_only = Some(true);
            }
            Event::End(TagEnd::Emphasis) => self.emphasis_closed = true,
            Event::Start(Tag::List(_)) => {
                self.end_line();
                self.lists += 1;
            }
            Event::End(TagEnd::List(_)) => {
                self.end_line();
                self.lists = self.lists.saturating_sub(1);
            }
            Event::Start(Tag::Item) => {
                self.end_line();
                self.line = "- ".to_owned();
            }
            Event::End(TagEnd::Item) => self.end_line(),
            Event::Start(Tag::Table(_)) => {
                self.end_line();
                self.head_done = false;
            }
            Event::End(TagEnd::Table) => {}
            Event::Start(Tag::TableHead | Tag::TableRow) => self.row = Some(Vec::new()),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some(row) = self.row.take() {
                    self.out.push(format!("| {} |", row.join(" | ")));
                    if !self.head_done {
                        self.out.push(format!("|{}", "---|".repeat(row.len())));
                        self.head_done = true;
                    }
                }
            }
            Event::Start(Tag::TableCell) => self.cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(cell), Some(row)) = (self.cell.take(), &mut self.row) {
                    let cell = cell.split_whitespace().collect::<Vec<_>>().join(" ");
                    row.push(cell.replace('|', "\\|"));
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.link.push(dest_url.to_string());
                self.text("[");
            }
            Event::End(TagEnd::Link) => {
                let url = self.link.pop().unwrap_or_default();
                self.text(&format!("]({url})"));
            }
            Event::Text(text) | Event::Code(text) => {
                if self.emphasis_closed && !text.trim().is_empty() {
                    self.emphasis_only = Some(false);
                }
                if self.emphasis_only.is_none() && !text.trim().is_empty() && self.cell.is_none() {
                    self.emphasis_only = Some(false);
                }
                self.text(&text);
            }
            Event::SoftBreak | Event::HardBreak => {
                if self.cell.is_some() || self.lists > 0 {
                    self.text(" ");
                } else {
                    self.end_line();
                }
            }
            // A line break inside a table cell stays one (`<br>`).
            Event::InlineHtml(html)
                if self.cell.is_some()
                    && matches!(
                        html.trim().to_ascii_lowercase().as_str(),
                        "<br>" | "<br/>" | "<br />"
                    ) =>
            {
                self.text("<br>")
            }
            Event::Html(html) | Event::InlineHtml(html) => self.html.push_str(&html),
            Event::Start(Tag::CodeBlock(_)) | Event::End(TagEnd::CodeBlock) => self.end_line(),
            Event::Rule => self.end_line(),
            _ => {}
        }
    }

    fn finish(mut self) -> String {
        self.flush_html();
        self.end_line();
        let mut text = self.out.join("\n");
        text.push('\n');
        text
    }
}
