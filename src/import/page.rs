//! What import reads from a page: its sections and vendors, and what it
//! did not understand.

/// The input's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Headings, pipe tables and bullet lists
    Markdown,
    /// A header row, then one row per vendor
    Csv,
    /// Text copied from a web page: flattened tables, label-value blocks
    Text,
    /// An HTML page: tables, lists, headings, definition lists
    Html,
    /// A JSON array of vendor objects
    Json,
    /// A YAML list of vendor objects
    Yaml,
    /// A spreadsheet (xlsx, xls, ods): its first sheet, a header row then a row per vendor
    Xlsx,
}

/// A section of the page: its title and introduction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heading {
    pub title: String,
    pub intro: Vec<String>,
    /// An emphasised line said the section is listed for transparency.
    pub transparency: bool,
}

/// A vendor read from the page.
#[derive(Clone, Debug, Default)]
pub struct Imported {
    pub id: String,
    pub name: String,
    pub section: String,
    pub optional: bool,
    pub feature: Option<String>,
    pub purpose: Option<String>,
    pub data: Vec<String>,
    /// Whose data ("Data subjects").
    pub subjects: Vec<String>,
    pub locations: Vec<String>,
    /// Transfer mechanisms by code ("SCCs" → scc).
    pub transfer: Vec<String>,
    /// How long data is kept ("deleted after 24 hours").
    pub retention: Option<String>,
    pub location_note: Option<String>,
    pub legal_address: Option<String>,
    pub legal_entity: Option<String>,
    /// The privacy contact (an address or an https URL).
    pub contact: Option<String>,
    /// The vendor's own list of sub-processors.
    pub list_url: Option<String>,
    pub website: Option<String>,
    /// "Date added" on the page.
    pub in_service_since: Option<time::Date>,
    pub notes: Vec<String>,
    /// Keys only subledger's own export carries (previous_ids, replaces,
    /// effective, emergency, `[dpa]`), as TOML values.
    pub more: Vec<(crate::register::Field, toml_edit::Value)>,
    /// What could not be filled or was guessed, for the report.
    pub gaps: Vec<String>,
}

/// A section to declare in subledger.toml.
#[derive(Clone, Debug)]
pub struct SectionOut {
    pub id: String,
    pub title: String,
    pub intro: Option<String>,
    pub transparency: bool,
    /// Its vendors' ids in the page's order.
    pub order: Vec<String>,
}

/// Everything read from the page.
#[derive(Debug, Default)]
pub struct Import {
    pub sections: Vec<SectionOut>,
    pub vendors: Vec<Imported>,
    /// Things on the page that were not understood.
    pub skipped: Vec<String>,
    /// What the page says about the list: name, intro, notice terms.
    pub about: About,
    /// Lines of the page nothing was taken from, by their first words.
    pub not_carried: Vec<String>,
    /// Sections are named by id only (subledger's own export): new ones
    /// get titles made from their ids.
    pub sections_by_id: bool,
}

/// What the page says about the list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct About {
    /// The company as the page names it ("PracticPro").
    pub name: Option<String>,
    /// The overview paragraphs before the first section.
    pub intro: Vec<String>,
    /// "at least 30 days": the notice period, and whether in business days.
    pub days: Option<(u32, bool)>,
    /// "except in cases of urgent operational need".
    pub except: Option<String>,
    /// An e-mail address where objections go.
    pub contact: Option<String>,
    /// The objection sentence names an address the page hides
    /// ("[email protected]", as Cloudflare's e-mail protection writes it).
    pub contact_hidden: bool,
    /// How to be told of changes: the sentence, as the page says it.
    pub subscribe: Option<String>,
    /// "Last updated": the date.
    pub updated: Option<time::Date>,
}
