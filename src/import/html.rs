//! HTML pages ("Save page as", a page's source) read with a real HTML
//! parser and written out as the plain lines the page reader takes:
//! headings, paragraphs, table rows, list items and definition lists.
//! Navigation, scripts, styles, forms and the site's header and footer are
//! left out: a page's menu is not its list.

use scraper::{ElementRef, Html, Node};

/// The page's lines.
pub fn lines(html: &str) -> String {
    let document = Html::parse_document(html);
    let mut out = Vec::new();
    let root = document.root_element();
    let body = root
        .children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "body")
        .unwrap_or(root);
    block(body, &mut out);
    // The title names the company when no heading does ("Third parties –
    // Quokka Notes"): the first line, where the page reader looks.
    let title = document
        .select(&scraper::Selector::parse("head > title").expect("a valid selector"))
        .next()
        .map(|t| {
            t.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty());
    if let Some(title) = title
        && !out.iter().any(|l| l.starts_with("# "))
    {
        out.insert(0, format!("# {title}"));
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// Elements whose content is never the list.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "form", "button", "svg",
    "iframe", "select", "head", "aside", "menu",
];

/// Whether an element is the site's own furniture by its role, class or id
/// (`<div class="menu">`, `role="navigation"`, `id="footer"`), as pages
/// built without `<nav>` and `<footer>` mark it.
fn chrome(e: ElementRef<'_>) -> bool {
    let v = e.value();
    if matches!(
        v.attr("role"),
        Some("navigation" | "banner" | "contentinfo" | "menu" | "menubar")
    ) {
        return true;
    }
    let marks = |text: &str| {
        text.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .any(|w| {
                matches!(
                    w.to_ascii_lowercase().as_str(),
                    "nav"
                        | "navbar"
                        | "navigation"
                        | "menu"
                        | "sidebar"
                        | "footer"
                        | "header"
                        | "breadcrumb"
                        | "breadcrumbs"
                        | "cookie"
                        | "cookies"
                        | "masthead"
                        | "topbar"
                )
            })
    };
    v.attr("class").is_some_and(marks) || v.attr("id").is_some_and(marks)
}

/// The text of an element: whitespace collapsed, `<br>` as `sep`, links
/// as `[text](href)`.
fn inline(element: ElementRef<'_>, sep: &str) -> String {
    let mut text = String::new();
    walk_inline(element, sep, &mut text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn walk_inline(element: ElementRef<'_>, sep: &str, text: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(t) => text.push_str(t),
            Node::Element(e) => {
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                match e.name() {
                    name if SKIPPED.contains(&name) => {}
                    "br" => text.push_str(sep),
                    "a" => match e.attr("href").filter(|h| h.starts_with("http")) {
                        Some(href) => {
                            let inner = inline(child, " ");
                            if inner.is_empty() {
                                continue;
                            }
                            text.push_str(&format!("[{inner}]({href})"));
                        }
                        None => walk_inline(child, sep, text),
                    },
                    "p" | "div" | "li" => {
                        text.push(' ');
                        walk_inline(child, sep, text);
                        text.push(' ');
                    }
                    _ => walk_inline(child, sep, text),
                }
            }
            _ => {}
        }
    }
}

/// Block elements, in order.
fn block(element: ElementRef<'_>, out: &mut Vec<String>) {
    let mut loose = String::new();
    let flush = |loose: &mut String, out: &mut Vec<String>| {
        let line = loose.split_whitespace().collect::<Vec<_>>().join(" ");
        if !line.is_empty() {
            out.push(line);
        }
        loose.clear();
    };
    for child in element.children() {
        let Some(e) = ElementRef::wrap(child) else {
            if let Node::Text(t) = child.value() {
                loose.push_str(t);
            }
            continue;
        };
        let name = e.value().name();
        if SKIPPED.contains(&name) || chrome(e) {
            // A site header may hold the page's title.
            if name == "header" {
                for h1 in e.select(&scraper::Selector::parse("h1").expect("a valid selector")) {
                    out.push(format!("# {}", inline(h1, " ")));
                }
            }
            continue;
        }
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                flush(&mut loose, out);
                let level = name[1..].parse::<usize>().unwrap_or(2);
                let text = inline(e, " ");
                if !text.is_empty() {
                    out.push(format!("{} {text}", "#".repeat(level)));
                }
            }
            "p" | "blockquote" | "pre" | "address" | "figcaption" | "caption" | "summary" => {
                flush(&mut loose, out);
                for line in inline(e, "\n").lines() {
                    if !line.trim().is_empty() {
                        out.push(line.trim().to_owned());
                    }
                }
            }
            "table" => {
                flush(&mut loose, out);
                table(e, out);
            }
            "ul" | "ol" => {
                flush(&mut loose, out);
                for item in e.children().filter_map(ElementRef::wrap) {
                    if item.value().name() == "li" {
                        let text = inline(item, " ");
                        if !text.is_empty() {
                            out.push(format!("- {text}"));
                        }
                    }
                }
            }
            "dl" => {
                flush(&mut loose, out);
                let mut term = String::new();
                for item in e.children().filter_map(ElementRef::wrap) {
                    match item.value().name() {
                        "dt" => term = inline(item, " "),
                        "dd" => {
                            let text = inline(item, " ");
                            out.push(format!("- {term}: {text}"));
                        }
                        _ => {}
                    }
                }
            }
            "br" => flush(&mut loose, out),
            "div" | "section" | "article" | "main" | "body" | "span" | "center" | "details"
            | "figure" | "html" => {
                flush(&mut loose, out);
                block(e, out);
            }
            _ => loose.push_str(&inline(e, " ")),
        }
        if matches!(name, "a" | "strong" | "em" | "b" | "i" | "code") {
            loose.push(' ');
        }
    }
    flush(&mut loose, out);
}

/// A table as `| a | b |` rows, the first row (or `<thead>`) as the header.
fn table(element: ElementRef<'_>, out: &mut Vec<String>) {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let rows_of = |e: ElementRef<'_>, rows: &mut Vec<Vec<String>>| {
        for tr in e.children().filter_map(ElementRef::wrap) {
            if tr.value().name() == "tr" {
                let cells: Vec<String> = tr
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|c| matches!(c.value().name(), "td" | "th"))
                    .map(|c| inline(c, "; ").replace('|', "\\|"))
                    .collect();
                if !cells.is_empty() {
                    rows.push(cells);
                }
            }
        }
    };
    rows_of(element, &mut rows);
    for part in element.children().filter_map(ElementRef::wrap) {
        if matches!(part.value().name(), "thead" | "tbody" | "tfoot") {
            rows_of(part, &mut rows);
        }
    }
    for (i, row) in rows.iter().enumerate() {
        out.push(format!("| {} |", row.join(" | ")));
        if i == 0 {
            out.push(format!("|{}", "---|".repeat(row.len())));
        }
    }
}
