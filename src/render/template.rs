//! minijinja templates: one environment setup for every templated output.
//! HTML templates (names ending in `.html`) escape every value; Markdown
//! templates escape vendor text with the `md` filter.

use super::lang::{self, Language};
use crate::error::{Error, Result};
use minijinja::{State, Value};
use serde::Serialize;

/// The language of the document being rendered: its `language` value.
fn language(state: &State) -> Language {
    state
        .lookup("language")
        .and_then(|v| v.as_str().and_then(Language::of))
        .unwrap_or_default()
}

/// The template function `t`.
fn translate(
    state: &State,
    english: String,
    args: minijinja::value::Kwargs,
) -> std::result::Result<Value, minijinja::Error> {
    let html = matches!(state.auto_escape(), minijinja::AutoEscape::Html);
    let text = lang::tr(language(state), &english);
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    let plain = |out: &mut String, part: &str| {
        if html {
            out.push_str(&minijinja::HtmlEscape(part).to_string());
        } else {
            out.push_str(part);
        }
    };
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        plain(&mut out, &rest[..open]);
        let name = &rest[open + 1..open + len];
        let value: Value = args.get(name)?;
        let shown = super::shown(&value.to_string()).into_owned();
        if html && !value.is_safe() {
            out.push_str(&minijinja::HtmlEscape(&shown).to_string());
        } else {
            out.push_str(&shown);
        }
        rest = &rest[open + len + 1..];
    }
    plain(&mut out, rest);
    args.assert_all_used()?;
    Ok(if html {
        Value::from_safe_string(out)
    } else {
        Value::from(out)
    })
}

/// How much work one rendering may do (minijinja's fuel). The audit of the
/// benchmark's L repository (1,000 releases, 68,000 changes) needs between
/// 0.6 and 3 million (measured); a runaway loop in a replacement template
/// runs out in about a second instead of hanging.
const FUEL: u64 = 40_000_000;

/// The environment every template renders in: escaping, filters, tests,
/// the formatter and the shared print stylesheet.
fn environment() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    env.set_fuel(Some(FUEL));
    // A misspelled value (`{{ v.nmae }}`) is an error naming the line,
    // never a blank.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env.set_keep_trailing_newline(true);
    env.add_filter("md", |text: String| super::markdown_text(&text));
    // In a Markdown table cell a newline would end the row: `<br>` instead.
    env.add_filter("cell", |text: String| super::markdown_cell(&text));
    // One item of a `; `-separated list: a `;` inside it is escaped.
    env.add_filter("item", |text: String| list_item(&text));
    // "2026-06-10" → "10 June 2026".
    // The document's language decides the words below; vendor text is
    // shown as written.
    // "2026-06-10" → "10 June 2026" ("10. Juni 2026", "10 juin 2026").
    env.add_filter("long_date", |state: &State, text: Option<String>| {
        text.map_or_else(String::new, |t| lang::long_date(&t, language(state)))
    });
    // "dpf" → "EU-U.S. Data Privacy Framework".
    env.add_filter("mechanism", |state: &State, code: String| {
        lang::mechanism(&code, language(state)).to_owned()
    });
    // "DE" → "Germany" ("Deutschland", "Allemagne").
    env.add_filter("country", |state: &State, code: String| {
        crate::register::location::name_in(&code, language(state)).to_owned()
    });
    // "30 calendar days" → "30 Kalendertage".
    env.add_filter("terms", |state: &State, text: String| {
        lang::terms(&text, language(state))
    });
    // `t("Takes effect on {date}", date=…)`: the text in the document's
    // language with each placeholder filled. In HTML the text and every
    // value not already safe are escaped, so values may carry a link.
    env.add_function("t", translate);
    // A link as HTML: `url | link(text)`, the contact as a link.
    env.add_filter("link", |url: String, text: String| {
        Value::from_safe_string(format!(
            "<a href=\"{}\">{}</a>",
            minijinja::HtmlEscape(&url),
            minijinja::HtmlEscape(&super::shown(&text))
        ))
    });
    env.add_filter("contact_link", |contact: String| {
        Value::from_safe_string(format!(
            "<a href=\"{}\">{}</a>",
            minijinja::HtmlEscape(&super::words::contact_href(&contact)),
            minijinja::HtmlEscape(&super::shown(super::words::contact_text(&contact)))
        ))
    });
    // A string inside a CSS `content: "…"` in a <style> element, where
    // HTML escaping does not apply: everything but plain characters as CSS
    // escapes, so nothing can end the string or the element.
    env.add_filter("css_string", |text: String| {
        minijinja::Value::from_safe_string(css_string(&super::shown(&text)))
    });
    // A URL as a Markdown link destination (also inside a table cell):
    // what could end it, or the cell, percent-encoded.
    env.add_filter("md_url", |url: String| {
        let mut out = String::with_capacity(url.len());
        for c in url.chars() {
            match c {
                ' ' | '(' | ')' | '<' | '>' | '\\' | '|' | '[' | ']' | '*' | '_' | '`' => {
                    out.push_str(&format!("%{:02X}", u32::from(c)))
                }
                c if c.is_control() => out.push_str(&format!("%{:02X}", u32::from(c))),
                c => out.push(c),
            }
        }
        out
    });
    // A link a page may carry: an https URL, nothing else.
    env.add_test("https", |value: minijinja::Value| {
        value
            .as_str()
            .is_some_and(|v| v.starts_with("https://") && !v.contains(char::is_whitespace))
    });
    // A contact's link (`mailto:` for an address) and its text.
    env.add_filter("contact_href", |text: String| {
        super::words::contact_href(&text)
    });
    env.add_filter("contact_text", |text: String| {
        super::words::contact_text(&text).to_owned()
    });
    // Whatever a template prints, control characters are shown, not sent
    // (then HTML templates escape as usual).
    env.set_formatter(|out, state, value| {
        // Safe strings were escaped where they were made.
        if value.is_safe() {
            return minijinja::escape_formatter(out, state, value);
        }
        let text = value.as_str().map(super::shown);
        match text {
            Some(text) => {
                minijinja::escape_formatter(out, state, &minijinja::Value::from(text.as_ref()))
            }
            None => minijinja::escape_formatter(out, state, value),
        }
    });
    // The print rules every HTML document shares (A4, no row split across
    // pages, links printed as URLs): `{% include "print.css" %}`.
    env.add_template("print.css", include_str!("templates/print.css"))
        .expect("the built-in print stylesheet parses");
    env
}

/// An error of a template named by `origin`, worded for its author.
fn failure(origin: &str, e: minijinja::Error) -> Error {
    Error::Template {
        origin: origin.to_owned(),
        line: e.line(),
        message: match e.kind() {
            minijinja::ErrorKind::OutOfFuel => {
                "template took too long (it ran out of its work budget: a loop that never ends, or one that is far too long)".to_owned()
            }
            minijinja::ErrorKind::UndefinedError => format!(
                "{}: a value the notice does not have (the names it has are in README.md, `subledger.notice/1`)",
                e.detail().unwrap_or("undefined value")
            ),
            _ => e
                .detail()
                .map_or_else(|| e.kind().to_string(), str::to_owned),
        },
    }
}

/// Renders `source` (named `name`, which decides the escaping; `origin`
/// names it in messages) with `context`: a template from the repository.
pub fn render<T: Serialize>(name: &str, origin: &str, source: &str, context: &T) -> Result<String> {
    let mut env = environment();
    env.add_template(name, source)
        .map_err(|e| failure(origin, e))?;
    let template = env.get_template(name).map_err(|e| failure(origin, e))?;
    template.render(context).map_err(|e| failure(origin, e))
}

thread_local! {
    /// The built-in templates, each parsed once: the feed and the site
    /// render one notice per release.
    static BUILTIN: std::cell::RefCell<minijinja::Environment<'static>> =
        std::cell::RefCell::new(environment());
}

/// Renders the built-in template `name` (its `source`) with `context`.
pub fn render_builtin<T: Serialize>(
    name: &'static str,
    source: &'static str,
    context: &T,
) -> Result<String> {
    let origin = "built-in template";
    BUILTIN.with(|env| {
        let mut env = env.borrow_mut();
        if env.get_template(name).is_err() {
            env.add_template(name, source)
                .map_err(|e| failure(origin, e))?;
        }
        let template = env.get_template(name).map_err(|e| failure(origin, e))?;
        template.render(context).map_err(|e| failure(origin, e))
    })
}

/// `text` as the inside of a double-quoted CSS string.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || " ,.:;-_()/'@+&".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", u32::from(c)));
        }
    }
    out
}

/// A Markdown cell's text as one item of a `; `-separated list: each `;`
/// in it is escaped (`\;`), except the one ending an HTML entity (`&amp;`).
fn list_item(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    for (i, c) in cell.char_indices() {
        if c == ';' {
            let before = &cell[..i];
            let entity = before.rfind('&').is_some_and(|at| {
                let name = &before[at + 1..];
                !name.is_empty()
                    && name.len() <= 8
                    && name
                        .trim_start_matches('#')
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric())
            });
            if !entity {
                out.push('\\');
            }
        }
        out.push(c);
    }
    out
}
