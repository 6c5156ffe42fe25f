//! The notice's wording: built-in minijinja templates (Markdown, text,
//! HTML), each replaceable by a template file named in subledger.toml.
//! HTML escapes every value; Markdown values go through the `md` filter.

use super::lang::{Language, and_list, say, tr};
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
    match template {
        Some((origin, source)) => {
            super::template::render(format.template_name(), origin, source, notice)
        }
        None => super::template::render_builtin(format.template_name(), format.builtin(), notice),
    }
}

/// The notice as JSON (`subledger.notice/1`) and as the templates'
/// context: the notice with each reason worded.
#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    /// The language of its fixed texts: "en", "de" or "fr".
    language: &'static str,
    company: &'a str,
    draft: bool,
    from: &'a Option<Point>,
    to: &'a Point,
    /// The sets of terms the dates are computed for: `default`, or profile names.
    profiles: &'a [String],
    /// Why the release was made, in the releaser's words.
    why: &'a Option<String>,
    /// Where objections go.
    contact: &'a Option<String>,
    subscribe: &'a Option<String>,
    /// When notice may follow the change ("in cases of urgent operational need").
    except: &'a Option<String>,
    /// Whether any vendor here is engaged at once, before its notice ends.
    emergency: bool,
    /// `[notice]` texts: the opening line, who signs, what an objection does.
    greeting: &'a Option<String>,
    sender: &'a Option<String>,
    remedy: &'a Option<String>,
    /// The zone the objection deadline's day ends in.
    time_zone: &'a str,
    /// The published list and the notice archive (`[register] url`).
    list_url: &'a Option<String>,
    notices_url: &'a Option<String>,
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
pub fn baseline_summary(listed: &[crate::notice::Listed], lang: Language) -> String {
    let transparency = listed.iter().filter(|l| l.transparency).count();
    let subprocessors = listed.len() - transparency;
    let n = subprocessors.to_string();
    let mut text = match subprocessors {
        1 => say(lang, "initial publication of 1 sub-processor", &[]),
        _ => say(
            lang,
            "initial publication of {n} sub-processors",
            &[("n", &n)],
        ),
    };
    let m = transparency.to_string();
    match transparency {
        0 => {}
        1 => text.push_str(&say(lang, " (and 1 service listed for transparency)", &[])),
        _ => text.push_str(&say(
            lang,
            " (and {n} services listed for transparency)",
            &[("n", &m)],
        )),
    }
    text
}

/// A vendor whose change needs notice, as the document shows it.
#[derive(Serialize)]
struct ItemDocument<'a> {
    #[serde(flatten)]
    vendor: &'a Published,
    /// "added", "replacement" or "changed".
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
        let lang = notice.language;
        let item = |i: &'a Item| ItemDocument {
            vendor: &i.vendor,
            kind: i.kind.as_str(),
            section: &i.section,
            replaces: &i.replaces,
            starts: &i.starts,
            changes: i.reasons.iter().map(|r| sentence(r, lang)).collect(),
            emergency: &i.emergency,
            dates: &i.dates,
        };
        let info = |i: &'a Info| InfoDocument {
            id: &i.id,
            name: &i.name,
            text: sentence(&i.reason, lang),
        };
        Document {
            schema: notice.schema,
            language: notice.language.code(),
            company: &notice.company,
            draft: notice.draft,
            from: &notice.from,
            to: &notice.to,
            profiles: &notice.profiles,
            why: &notice.why,
            contact: &notice.contact,
            subscribe: &notice.subscribe,
            except: &notice.except,
            emergency: notice.needs_notice.iter().any(|i| i.emergency.is_some()),
            greeting: &notice.greeting,
            sender: &notice.sender,
            remedy: &notice.remedy,
            time_zone: &notice.time_zone,
            list_url: &notice.list_url,
            notices_url: &notice.notices_url,
            baseline: notice.baseline.as_ref().map(|listed| BaselineDocument {
                subprocessors: listed.iter().filter(|l| !l.transparency).count(),
                transparency: listed.iter().filter(|l| l.transparency).count(),
                summary: baseline_summary(listed, lang),
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

/// Country names for codes in `lang`, "none" for no code.
fn names(codes: &[String], lang: Language) -> String {
    if codes.is_empty() {
        return tr(lang, "none").to_owned();
    }
    codes
        .iter()
        .map(|c| location::name_in(c, lang).to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

fn display(value: &Option<Value>, absent: &str) -> String {
    value.as_ref().map_or(absent.to_owned(), Value::display)
}

/// A field's name in words: "Legal address".
fn label(field: Field) -> String {
    let mut what = field.key().replace('_', " ");
    what[..1].make_ascii_uppercase();
    what
}

/// Country names for codes, joined as a sentence says them.
fn countries(codes: &[&String], lang: Language) -> String {
    let names: Vec<String> = codes
        .iter()
        .map(|c| location::name_in(c, lang).to_owned())
        .collect();
    and_list(&names, lang)
}

/// The sentence a notice gives a reason, in plain words in `lang`: "New
/// sub-processor", "Moves processing from United States to Germany".
pub fn sentence(reason: &Reason, lang: Language) -> String {
    let none = tr(lang, "none");
    let change = |what: &str, old: &Option<Value>, new: &Option<Value>, absent: &str| {
        say(
            lang,
            "{what}: {old} → {new}",
            &[
                ("what", what),
                ("old", &display(old, absent)),
                ("new", &display(new, absent)),
            ],
        )
    };
    match reason {
        Reason::New => say(lang, "New sub-processor", &[]),
        Reason::Replaces(names) => say(
            lang,
            "New sub-processor, replacing {names}",
            &[("names", &and_list(names, lang))],
        ),
        Reason::NowSubprocessor => say(
            lang,
            "Now a sub-processor of customer data (until now listed for transparency only)",
            &[],
        ),
        Reason::NowCore => say(
            lang,
            "Now used for every customer, not only when a feature is turned on",
            &[],
        ),
        Reason::Locations { before, after } => {
            let added: Vec<&String> = after.iter().filter(|c| !before.contains(c)).collect();
            let gone: Vec<&String> = before.iter().filter(|c| !after.contains(c)).collect();
            let kept = after.iter().any(|c| before.contains(c));
            let (a, g) = (countries(&added, lang), countries(&gone, lang));
            match (added.is_empty(), gone.is_empty()) {
                (false, false) if !kept => say(
                    lang,
                    "Moves processing from {from} to {to}",
                    &[("from", &g), ("to", &a)],
                ),
                (false, false) => say(
                    lang,
                    "Adds processing in {added}; no longer in {gone}",
                    &[("added", &a), ("gone", &g)],
                ),
                (false, true) => say(lang, "Adds processing in {added}", &[("added", &a)]),
                (true, false) => say(lang, "No longer processes data in {gone}", &[("gone", &g)]),
                (true, true) => say(lang, "Locations: {list}", &[("list", &names(after, lang))]),
            }
        }
        Reason::Data {
            field,
            added,
            removed,
        } => {
            let (new, gone) = if *field == Field::DataCategories {
                (
                    "Processes new categories of data: {list}",
                    "No longer processes: {list}",
                )
            } else {
                (
                    "Processes data about new groups of people: {list}",
                    "No longer processes data about: {list}",
                )
            };
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(say(lang, new, &[("list", &added.join("; "))]));
            }
            if !removed.is_empty() {
                parts.push(say(lang, gone, &[("list", &removed.join("; "))]));
            }
            parts.join(". ")
        }
        Reason::LegalEntity { old, new } => say(
            lang,
            "New contracting entity: {new} (was {old})",
            &[("new", &display(new, none)), ("old", &display(old, none))],
        ),
        Reason::Transparency => say(
            lang,
            "Listed for transparency (not a sub-processor of customer data)",
            &[],
        ),
        Reason::Removed { by } if by.is_empty() => say(lang, "No longer engaged", &[]),
        Reason::Removed { by } => say(
            lang,
            "No longer engaged: replaced by {names}",
            &[("names", &and_list(by, lang))],
        ),
        Reason::Renamed { old_name, .. } => match old_name {
            Some(old) => say(lang, "Renamed; listed until now as {old}", &[("old", old)]),
            None => say(
                lang,
                "Filed under a new reference in our records; nothing about it changed",
                &[],
            ),
        },
        Reason::Engagement { old, new } => change(tr(lang, "Engagement"), old, new, "core"),
        Reason::Section { old, new } => say(
            lang,
            "Moved in our list from {old} to {new}",
            &[("old", old), ("new", new)],
        ),
        // Field names stay the register's keys in words (in English).
        Reason::Field { field, old, new } => change(&label(*field), old, new, none),
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
    use super::lang::{long_date, say};
    let lang = notice.language;
    let company = [("company", notice.company.as_str())];
    let what = match notice.baseline {
        Some(_) => say(lang, "{company}'s sub-processors", &company),
        None => say(lang, "Changes to {company}'s sub-processors", &company),
    };
    match (&notice.to.date, notice.draft) {
        (_, true) => format!("{what} {}", super::lang::tr(lang, "(draft)")),
        (Some(date), false) => format!("{what}, {}", long_date(date, lang)),
        (None, false) => what,
    }
}
