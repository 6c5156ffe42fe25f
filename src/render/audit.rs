//! The audit report in Markdown, HTML (one file) and JSON
//! (`subledger.audit/1`).

use crate::audit::Audit;
use crate::error::{Error, Result};

/// How the report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
    /// The HTML, printed to PDF (by `crate::print`).
    Pdf,
    /// A workbook, one sheet per part ([`xlsx`]).
    Xlsx,
}

impl Format {
    /// The file extension of a saved report.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Writes the report.
pub fn render(audit: &Audit, format: Format) -> Result<String> {
    match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(audit)
                .map(super::json_safe)
                .map_err(|e| Error::Usage {
                    what: format!("cannot write the audit as JSON: {e}"),
                    hint: None,
                })?;
            text.push('\n');
            Ok(text)
        }
        Format::Markdown => super::template::render_builtin(
            "audit.md",
            include_str!("templates/audit.md.j2"),
            audit,
        ),
        Format::Xlsx => Err(Error::Usage {
            what: "the audit workbook is not text: write it with render::audit::xlsx".to_owned(),
            hint: None,
        }),
        Format::Html | Format::Pdf => super::template::render_builtin(
            "audit.html",
            include_str!("templates/audit.html.j2"),
            audit,
        ),
    }
}

/// The report as a workbook: one sheet per part (summary, the register at
/// the start and at the end, releases, their changes, notice timing,
/// emergencies, customers told, unreleased changes, objections, irregular
/// tags), each with a header row, even when the part is empty. Dates are
/// dates; times are UTC date-times.
pub fn xlsx(audit: &Audit) -> Result<Vec<u8>> {
    use super::xlsx::{Cell, Sheet, workbook};
    let text = |s: &str| Cell::Text(s.to_owned());
    let opt = |s: &Option<String>| Cell::Text(s.clone().unwrap_or_default());
    let when = |s: &str| Cell::when(s);
    let opt_when = |s: &Option<String>| s.as_deref().map_or(Cell::Text(String::new()), Cell::when);
    let yes = |b: bool| text(if b { "yes" } else { "no" });
    let count = |n: usize| Cell::Int(n as i64);
    let sheet = |name: &str, header: &[&str], rows: Vec<Vec<Cell>>| Sheet {
        name: name.to_owned(),
        header: header.iter().map(|h| (*h).to_owned()).collect(),
        rows,
    };

    let mut summary = vec![
        vec![text("company"), text(&audit.company)],
        vec![text("branch"), text(&audit.branch)],
        vec![text("tip"), text(&audit.tip)],
        vec![text("since"), opt_when(&audit.since)],
        vec![text("until"), opt_when(&audit.until)],
        vec![text("start commit"), opt(&audit.start.commit)],
        vec![text("start date"), opt_when(&audit.start.date)],
        vec![text("vendors at start"), count(audit.start.vendors.len())],
        vec![text("end commit"), opt(&audit.end.commit)],
        vec![text("end date"), opt_when(&audit.end.date)],
        vec![text("vendors at end"), count(audit.end.vendors.len())],
        vec![text("releases"), count(audit.releases.len())],
        vec![text("unreleased changes"), count(audit.unreleased.len())],
        vec![
            text("irregular release tags"),
            count(audit.irregular_tags.len()),
        ],
        vec![text("objections"), count(audit.objections.len())],
    ];
    if let Some(c) = &audit.customers {
        summary.extend([
            vec![text("customers"), count(c.customers)],
            vec![text("deliveries accepted on time"), count(c.on_time)],
            vec![text("deliveries accepted late"), count(c.late)],
            vec![text("addresses never told"), count(c.never)],
            vec![text("open objections"), count(c.open_objections)],
        ]);
    }
    // Left out, and so the report is incomplete.
    for u in &audit.unreadable {
        let at = u.line.map(|l| format!(":{l}")).unwrap_or_default();
        summary.push(vec![
            text(&format!("cannot be read (left out): {}{at}", u.file)),
            text(&u.message),
        ]);
    }
    let register = |state: &crate::audit::Standing| {
        state
            .vendors
            .iter()
            .map(|v| {
                vec![
                    text(&v.name),
                    text(&v.id),
                    text(&v.section),
                    text(&v.locations),
                ]
            })
            .collect()
    };
    let mut releases = Vec::new();
    let mut changes = Vec::new();
    let mut timing = Vec::new();
    let mut emergencies = Vec::new();
    let mut told = Vec::new();
    for r in &audit.releases {
        releases.push(vec![
            text(&r.name),
            text(&r.commit),
            opt_when(&r.date),
            when(&r.tagged_at),
            opt(&r.tagger),
            opt(&r.tree),
            yes(r.annotated),
            yes(r.signed),
            opt(&r.previous),
            opt(&r.baseline),
            text(&r.notices.join("; ")),
            text(&r.problems.join("; ")),
            text(
                &r.not_loaded
                    .iter()
                    .map(|f| format!("{}: {}", f.file, f.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ]);
        for c in &r.changes {
            changes.push(vec![text(&r.name), text(c)]);
        }
        for t in &r.timing {
            for d in &t.profiles {
                timing.push(vec![
                    text(&r.name),
                    text(&t.name),
                    text(&t.id),
                    text(&t.changes.join("; ")),
                    opt_when(&t.starts),
                    text(&d.profile),
                    when(&d.effective),
                    Cell::Int(d.days),
                    yes(d.early),
                ]);
            }
        }
        for e in &r.emergencies {
            emergencies.push(vec![
                text(&r.name),
                text(&e.name),
                text(&e.id),
                opt_when(&e.engaged),
                text(&e.reason),
            ]);
        }
        for d in &r.deliveries {
            told.push(vec![
                text(&r.name),
                text(&d.customer),
                text(&d.address),
                text(if d.accepted { "accepted" } else { "refused" }),
                when(&d.at),
                yes(d.resend),
                text(&d.reply),
                text(&d.profile),
                opt_when(&d.effective),
                d.days_of_notice
                    .map_or(Cell::Text(String::new()), Cell::Int),
                yes(d.late),
                text(&d.engaged_early.join(", ")),
                text(&d.message_id),
                text(&d.sha256),
            ]);
        }
        for c in &r.not_told {
            let mut row = vec![
                text(&r.name),
                text(&c.customer),
                text(&c.address),
                text(if r.baseline.is_some() {
                    "not sent (a baseline needs no notice)"
                } else {
                    "not sent"
                }),
            ];
            row.resize(13, Cell::Text(String::new()));
            told.push(row);
        }
        for c in &r.later_customers {
            let mut row = vec![
                text(&r.name),
                text(c),
                text(""),
                text("not yet a customer (its file came later)"),
            ];
            row.resize(13, Cell::Text(String::new()));
            told.push(row);
        }
    }
    let unreleased = audit
        .unreleased
        .iter()
        .map(|u| {
            vec![
                text(&u.commit),
                when(&u.date),
                text(&u.author),
                text(&u.change),
            ]
        })
        .collect();
    let objections = audit
        .objections
        .iter()
        .map(|o| {
            vec![
                text(&o.customer),
                text(&o.vendor),
                opt(&o.release),
                when(&o.received),
                opt_when(&o.deadline),
                yes(o.late),
                text(&o.outcome),
                opt(&o.note),
            ]
        })
        .collect();
    let irregular = audit
        .irregular_tags
        .iter()
        .map(|t| vec![text(&t.name), text(&t.commit), text(&t.problem)])
        .collect();
    let vendor_columns = ["vendor", "id", "section", "locations"];
    let sheets = [
        sheet("Summary", &["item", "value"], summary),
        sheet("Register at start", &vendor_columns, register(&audit.start)),
        sheet("Register at end", &vendor_columns, register(&audit.end)),
        sheet(
            "Releases",
            &[
                "release",
                "commit",
                "release_date",
                "tagged_at",
                "tagger",
                "tree",
                "annotated",
                "signed",
                "previous",
                "baseline",
                "notice",
                "problems",
                "not_loaded",
            ],
            releases,
        ),
        sheet("Changes released", &["release", "change"], changes),
        sheet(
            "Notice timing",
            &[
                "release",
                "vendor",
                "id",
                "changes",
                "vendor_start",
                "terms",
                "effective",
                "days_of_notice",
                "engaged_early",
            ],
            timing,
        ),
        sheet(
            "Emergencies",
            &["release", "vendor", "id", "engaged", "reason"],
            emergencies,
        ),
        sheet(
            "Customers told",
            &[
                "release",
                "customer",
                "address",
                "delivery",
                "at",
                "resent",
                "reply",
                "terms",
                "effective",
                "days_of_notice",
                "late",
                "engaged_early",
                "message_id",
                "sha256",
            ],
            told,
        ),
        sheet(
            "Unreleased",
            &["commit", "date", "author", "change"],
            unreleased,
        ),
        sheet(
            "Objections",
            &[
                "customer", "vendor", "release", "received", "deadline", "late", "outcome", "note",
            ],
            objections,
        ),
        sheet("Irregular tags", &["tag", "commit", "problem"], irregular),
    ];
    workbook(&sheets).map_err(|why| Error::Workbook { why })
}
