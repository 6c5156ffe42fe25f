//! Objection files: `objections/<customer>--<vendor>--<received>.toml`
//! (the dir is `[customers] objections`), one per objection a customer
//! raised against a vendor, strict like the rest. `subledger object` writes
//! them; `audit` lists each against the customer's deadline.
//!
//! ```toml
//! customer = "clinic-nord"
//! vendor = "postmark"
//! received = 2026-10-15
//! release = "subprocessors/2026-10-01"
//! note = "Objects to processing in the US."
//!
//! [resolution]
//! outcome = "accommodated"   # withdrawn, accommodated, terminated or rejected
//! date = 2026-11-02
//! ```

use super::entry::{Entry, EntryKind};
use super::finding::{Finding, LineIndex};
use serde::Deserialize;
use toml::Spanned;

/// The outcomes an objection can close with.
pub const OUTCOMES: &[&str] = &["withdrawn", "accommodated", "terminated", "rejected"];

/// An objection, as its file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Objection {
    /// The file name without `.toml`.
    pub id: String,
    pub customer: String,
    pub vendor: String,
    pub received: time::Date,
    /// The release it objects to.
    pub release: Option<String>,
    pub note: Option<String>,
    /// How it was closed, and when; `None` while it is open.
    pub resolution: Option<(String, time::Date)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    customer: Spanned<String>,
    vendor: Spanned<String>,
    received: Spanned<toml::value::Datetime>,
    #[serde(default)]
    release: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    resolution: Option<Resolution>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Resolution {
    outcome: Spanned<String>,
    date: Spanned<toml::value::Datetime>,
}

fn date(value: &toml::value::Datetime) -> Option<time::Date> {
    if value.time.is_some() {
        return None;
    }
    crate::dates::parse_iso_date(&value.to_string())
}

/// Reads every objection file of `entries` (shown as `dir`); `customers`
/// are the ids customer files give.
pub fn load(entries: &[Entry], dir: &str, customers: &[String]) -> (Vec<Objection>, Vec<Finding>) {
    let mut objections = Vec::new();
    let mut findings = Vec::new();
    for entry in entries {
        let Some(id) = entry.name.strip_suffix(".toml") else {
            continue;
        };
        let path = format!("{dir}/{}", entry.name);
        let text = match (
            &entry.kind,
            entry.content.as_deref().map(std::str::from_utf8),
        ) {
            (EntryKind::File, Some(Ok(text))) => text,
            _ => {
                findings.push(Finding::error(
                    &path,
                    None,
                    "objection-syntax",
                    "not a readable text file".to_owned(),
                ));
                continue;
            }
        };
        let index = LineIndex::new(text);
        let pos = |span: std::ops::Range<usize>| Some(index.pos(text, span.start));
        let (file, read) = super::config::strict::<File>(text, &path, "objection-syntax");
        // A file with an unknown key does not load; its values are still checked.
        let mut ok = read.is_empty();
        findings.extend(read);
        let Some(file) = file else { continue };
        if !customers.contains(file.customer.get_ref()) {
            ok = false;
            findings.push(Finding::error(
                &path,
                pos(file.customer.span()),
                "unknown-customer",
                format!(
                    "customer `{}` has no customer file",
                    file.customer.get_ref()
                ),
            ));
        }
        let received = date(file.received.get_ref());
        if received.is_none() {
            ok = false;
            findings.push(Finding::error(
                &path,
                pos(file.received.span()),
                "objection-date",
                "`received` must be a date such as 2026-10-15 (no quotes, no time)".to_owned(),
            ));
        }
        let mut resolution = None;
        if let Some(r) = &file.resolution {
            if !OUTCOMES.contains(&r.outcome.get_ref().as_str()) {
                ok = false;
                findings.push(Finding::error(
                    &path,
                    pos(r.outcome.span()),
                    "objection-outcome",
                    format!(
                        "outcome `{}` is not one of {}",
                        r.outcome.get_ref(),
                        OUTCOMES.join(", ")
                    ),
                ));
            }
            match date(r.date.get_ref()) {
                Some(d) if received.is_some_and(|rec| d < rec) => {
                    ok = false;
                    findings.push(Finding::error(
                        &path,
                        pos(r.date.span()),
                        "objection-date",
                        "the resolution is dated before the objection was received".to_owned(),
                    ));
                }
                Some(d) => resolution = Some((r.outcome.get_ref().clone(), d)),
                None => {
                    ok = false;
                    findings.push(Finding::error(
                        &path,
                        pos(r.date.span()),
                        "objection-date",
                        "`date` must be a date such as 2026-11-02".to_owned(),
                    ));
                }
            }
        }
        if let (true, Some(received)) = (ok, received) {
            objections.push(Objection {
                id: id.to_owned(),
                customer: file.customer.into_inner(),
                vendor: file.vendor.into_inner(),
                received,
                release: file.release,
                note: file.note,
                resolution,
            });
        }
    }
    (objections, findings)
}

/// The file name of an objection: `<customer>--<vendor>--<received>.toml`.
pub fn file_name(customer: &str, vendor: &str, received: time::Date) -> String {
    format!(
        "{customer}--{vendor}--{}.toml",
        crate::dates::iso_date(received)
    )
}

/// The text of a new objection file.
pub fn file_text(
    customer: &str,
    vendor: &str,
    received: time::Date,
    release: Option<&str>,
    note: Option<&str>,
) -> String {
    let s = |t: &str| toml::Value::String(t.to_owned()).to_string();
    let mut text = format!(
        "customer = {}\nvendor = {}\nreceived = {}\n",
        s(customer),
        s(vendor),
        crate::dates::iso_date(received)
    );
    if let Some(r) = release {
        text.push_str(&format!("release = {}\n", s(r)));
    }
    if let Some(n) = note {
        text.push_str(&format!("note = {}\n", s(n)));
    }
    text
}

/// An objection file's text with its resolution added (the rest kept as
/// it is); `None` when it is not TOML.
pub fn resolved(text: &str, outcome: &str, date: time::Date) -> Option<String> {
    let mut doc: toml_edit::DocumentMut = text.parse().ok()?;
    let mut table = toml_edit::Table::new();
    table.insert("outcome", toml_edit::value(outcome));
    let day: toml_edit::Datetime = crate::dates::iso_date(date).parse().ok()?;
    table.insert("date", toml_edit::value(day));
    doc.insert("resolution", toml_edit::Item::Table(table));
    Some(doc.to_string())
}

impl Objection {
    /// Whether it is still open.
    pub fn is_open(&self) -> bool {
        self.resolution.is_none()
    }
}

/// The open objections to any of `vendors`.
pub fn open_against<'a>(objections: &'a [Objection], vendors: &[&str]) -> Vec<&'a Objection> {
    objections
        .iter()
        .filter(|o| o.is_open() && vendors.contains(&o.vendor.as_str()))
        .collect()
}
