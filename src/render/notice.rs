//! The notice's wording: built-in minijinja templates (Markdown, text,
//! HTML), each replaceable by a template file named in subledger.toml.
//! HTML escapes every value; Markdown values go through the `md` filter.

use crate::error::{Error, Result};
use crate::notice::{Dates, Emergency, Info, Item, NotLoaded, Notice, Point, Reason};
use crate::page::Published;
use crate::register::{Field, Value, location};
use serde::Serialize;

/// `notice --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Markdown, for an email or a page
    Markdown,
    /// Plain text
    Text,
    /// One self-contained HTML page
    Html,
    /// Versioned JSON (subledger.notice/1): the templates' context
    Json,
}

impl Format {
    /// The file extension of a saved notice.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Text => "txt",
            Format::Html => "html",
            Format::Json => "json",
        }
    }

    /// The key of `[notice.templates]` that replaces this format.
    pub fn template_key(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Html => "html",
            Format::Json => "json",
        }
    }

    fn template_name(self) -> &'static str {
        match self {
            Format::Markdown => "notice.md",
            Format::Text => "notice.txt",
            Format::Html => "notice.html",
            Format::Json => "notice.json",
        }
    }

    fn builtin(self) -> &'static str {
        match self {
            Format::Markdown => include_str!("templates/notice.md.j2"),
            Format::Text => include_str!("templates/notice.txt.j2"),
            Format::Html => include_str!("templates/notice.html.j2"),
            Format::Json => "",
        }
    }
}

/// Renders a notice. `template` is a replacement template: its path (for
/// messages) and source.
pub fn render(notice: &Notice, format: Format, template: Option<(&str, &str)>) -> Result<String> {
    let notice = &Document::of(notice);
    if format == Format::Json {
        let mut text = serde_json::to_string_pretty(notice)
            .map(super::json_safe)
            .map_err(|e| Error::Usage {
                what: format!("cannot write the notice as JSON: {e}"),
                hint: None,
            })?;
        text.push('\n');
        return Ok(text);
    }
    let (origin, source) = template.unwrap_or(("built-in template", format.builtin()));
    super::template::render(format.template_name(), origin, source, notice)
}

/// The notice as JSON (`subledger.notice/1`) and as the templates'
/// context: the notice with each reason worded.
#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    company: &'a str,
    draft: bool,
    from: &'a Option<Point>,
    to: &'a Point,
    /// The sets of terms the dates are computed for: `default`, or profile names.
    profiles: &'a [String],
    /// Where objections go.
    contact: &'a Option<String>,
    subscribe: &'a Option<String>,
    /// When notice may follow the change ("in cases of urgent operational need").
    except: &'a Option<String>,
    /// The register's first publication: what it lists (`null` for a
    /// notice of changes).
    baseline: Option<BaselineDocument<'a>>,
    needs_notice: Vec<ItemDocument<'a>>,
    informational: Vec<InfoDocument<'a>>,
    /// Files in the register dir at TO that cannot be loaded: named, so
    /// nothing is left out without a word.
    not_loaded: &'a [NotLoaded],
}

/// A baseline: the first publication of the list, which is no change.
#[derive(Serialize)]
struct BaselineDocument<'a> {
    /// How many sub-processors it publishes.
    subprocessors: usize,
    /// How many more it lists for transparency only.
    transparency: usize,
    /// "initial publication of 12 sub-processors".
    summary: String,
    vendors: Vec<ListedDocument<'a>>,
}

/// A vendor a baseline lists.
#[derive(Serialize)]
struct ListedDocument<'a> {
    #[serde(flatten)]
    vendor: &'a Published,
    section: &'a str,
    transparency: bool,
    in_service_since: &'a Option<String>,
}

/// "initial publication of 12 sub-processors (and 2 services listed for
/// transparency)".
pub fn baseline_summary(listed: &[crate::notice::Listed]) -> String {
    let transparency = listed.iter().filter(|l| l.transparency).count();
    let subprocessors = listed.len() - transparency;
    let mut text = format!(
        "initial publication of {}",
        super::findings::plural(subprocessors, "sub-processor", "sub-processors")
    );
    if transparency > 0 {
        text.push_str(&format!(
            " (and {} listed for transparency)",
            super::findings::plural(transparency, "service", "services")
        ));
    }
    text
}

/// A vendor whose change needs notice, as the document shows it.
#[derive(Serialize)]
struct ItemDocument<'a> {
    #[serde(flatten)]
    vendor: &'a Published,
    /// "added", "replacement", "re-added" or "changed".
    kind: &'static str,
    /// The section's title.
    section: &'a str,
    replaces: &'a [String],
    /// The vendor's own `effective` date (planned first day of processing).
    starts: &'a Option<String>,
    /// What changed, one sentence each ("Locations: United States → ...").
    changes: Vec<String>,
    emergency: &'a Option<Emergency>,
    /// One entry per set of notice terms shown.
    dates: &'a [Dates],
}

/// An informational change: one sentence.
#[derive(Serialize)]
struct InfoDocument<'a> {
    id: &'a str,
    name: &'a str,
    text: String,
}

impl<'a> Document<'a> {
    fn of(notice: &'a Notice) -> Self {
        let item = |i: &'a Item| ItemDocument {
            vendor: &i.vendor,
            kind: i.kind.as_str(),
            section: &i.section,
            replaces: &i.replaces,
            starts: &i.starts,
            changes: i.reasons.iter().map(sentence).collect(),
            emergency: &i.emergency,
            dates: &i.dates,
        };
        let info = |i: &'a Info| InfoDocument {
            id: &i.id,
            name: &i.name,
            text: sentence(&i.reason),
        };
        Document {
            schema: notice.schema,
            company: &notice.company,
            draft: notice.draft,
            from: &notice.from,
            to: &notice.to,
            profiles: &notice.profiles,
            contact: &notice.contact,
            subscribe: &notice.subscribe,
            except: &notice.except,
            baseline: notice.baseline.as_ref().map(|listed| BaselineDocument {
                subprocessors: listed.iter().filter(|l| !l.transparency).count(),
                transparency: listed.iter().filter(|l| l.transparency).count(),
                summary: baseline_summary(listed),
                vendors: listed
                    .iter()
                    .map(|l| ListedDocument {
                        vendor: &l.vendor,
                        section: &l.section,
                        transparency: l.transparency,
                        in_service_since: &l.in_service_since,
                    })
                    .collect(),
            }),
            needs_notice: notice.needs_notice.iter().map(item).collect(),
            informational: notice.informational.iter().map(info).collect(),
            not_loaded: &notice.not_loaded,
        }
    }
}

/// Country names for codes, "none" for no code.
fn names(codes: &[String]) -> String {
    if codes.is_empty() {
        return "none".to_owned();
    }
    codes
        .iter()
        .map(|c| location::name(c).to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

fn display(value: &Option<Value>, absent: &str) -> String {
    value.as_ref().map_or(absent.to_owned(), Value::display)
}

/// The sentence a notice gives a reason: "New sub-processor",
/// "Locations: Germany → Germany, United States".
pub fn sentence(reason: &Reason) -> String {
    let change = |what: &str, old: &Option<Value>, new: &Option<Value>, absent: &str| {
        format!(
            "{what}: {} → {}",
            display(old, absent),
            display(new, absent)
        )
    };
    match reason {
        Reason::New => "New sub-processor".to_owned(),
        Reason::Replaces(ids) => format!("Replaces {}", ids.join(", ")),
        Reason::EngagedAgain => "Engaged again after it was removed".to_owned(),
        Reason::NowSubprocessor => "Now a sub-processor of customer data".to_owned(),
        Reason::NowCore => {
            "Now core: engaged for every customer, not only when a feature is on".to_owned()
        }
        Reason::Locations { before, after } => {
            format!("Locations: {} → {}", names(before), names(after))
        }
        Reason::Data {
            field,
            added,
            removed,
        } => {
            let what = if *field == Field::DataCategories {
                "Data categories"
            } else {
                "Data subjects"
            };
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("added {}", added.join("; ")));
            }
            if !removed.is_empty() {
                parts.push(format!("removed {}", removed.join("; ")));
            }
            format!("{what}: {}", parts.join("; "))
        }
        Reason::LegalEntity { old, new } => change("Legal entity", old, new, "none"),
        Reason::Transparency => {
            "Listed for transparency (not a sub-processor of customer data)".to_owned()
        }
        Reason::Removed => "Removed: no longer engaged".to_owned(),
        Reason::Renamed { from, to } => format!("Now listed as `{to}` (was `{from}`)"),
        Reason::Engagement { old, new } => change("Engagement", old, new, "core"),
        Reason::Section { old, new } => format!("Section: {old} → {new}"),
        Reason::Field { field, old, new } => change(field.key(), old, new, "none"),
    }
}

/// On stderr: the files a notice could not read, which it names.
pub fn not_loaded(err: &mut dyn std::io::Write, notice: &Notice) -> std::io::Result<()> {
    let files: Vec<&str> = notice.not_loaded.iter().map(|f| f.file.as_str()).collect();
    writeln!(
        err,
        "subledger: {} could not be loaded; the notice names {}: {}\n  run `subledger check` for details",
        super::findings::plural(files.len(), "file in the register", "files in the register"),
        if files.len() == 1 { "it" } else { "them" },
        super::shown(&files.join(", "))
    )
}

/// The subject of a notice e-mail.
pub fn subject(notice: &Notice) -> String {
    let release = notice.to.release.as_deref().unwrap_or("draft");
    match notice.baseline {
        Some(_) => format!("{}'s sub-processors: {release}", notice.company),
        None => format!("Changes to {}'s sub-processors: {release}", notice.company),
    }
}
