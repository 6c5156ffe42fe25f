//! What a column holds, read from its header by meaning (English and
//! German), and a table of the page.

use super::page::Heading;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    Name,
    Purpose,
    Data,
    Location,
    Address,
    Website,
    Notes,
    /// "Date added": the day it entered service.
    Added,
    /// Whose data: data subjects.
    Subjects,
    /// How a transfer is covered ("Safeguards", "Transfer mechanism").
    Transfer,
    /// How long data is kept.
    Retention,
    /// The feature an optional vendor depends on.
    Feature,
    /// Whether it is core or optional ("optional": true).
    Engagement,
    /// A known header whose cells are kept in notes under it
    /// ("Certifications", "Registration number").
    Kept,
    /// Derived on the published page (Last updated): not imported.
    Derived,
    Unknown,
}

pub(super) fn target(header: &str) -> Target {
    // "dataCategories", "legal_address": the words of a key.
    let mut h = String::with_capacity(header.len() + 4);
    let mut lower_before = false;
    for c in header.chars() {
        if c.is_uppercase() && lower_before {
            h.push(' ');
        }
        lower_before = c.is_lowercase();
        h.extend(
            c.to_lowercase()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' }),
        );
    }
    let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
    match h.as_str() {
        "sub processor"
        | "subprocessor"
        | "sub processors"
        | "subprocessors"
        | "vendor"
        | "vendors"
        | "provider"
        | "providers"
        | "entity"
        | "name"
        | "company"
        | "service provider"
        | "third party"
        | "sub processor name"
        | "vendor name"
        | "unterauftragsverarbeiter"
        | "auftragsverarbeiter"
        | "dienstleister"
        | "anbieter"
        | "name des unterauftragsverarbeiters"
        | "sous traitant"
        | "sous traitants"
        | "subencargado"
        | "subresponsable" => Target::Name,
        "purpose"
        | "purposes"
        | "processing activity"
        | "service"
        | "description"
        | "description of processing"
        | "nature of processing"
        | "purpose of processing"
        | "services provided"
        | "function"
        | "zweck"
        | "zweck der verarbeitung"
        | "leistung"
        | "tätigkeit"
        | "art der verarbeitung"
        | "finalité"
        | "finalidad" => Target::Purpose,
        "data"
        | "categories of data processed"
        | "data shared"
        | "data categories"
        | "categories of data"
        | "categories of personal data"
        | "type of data"
        | "types of data"
        | "personal data"
        | "data processed"
        | "daten"
        | "datenkategorien"
        | "kategorien personenbezogener daten"
        | "art der daten" => Target::Data,
        "location"
        | "location of processing"
        | "country"
        | "region"
        | "hosting"
        | "locations"
        | "locations and transfers"
        | "location and transfers"
        | "processing location"
        | "data location"
        | "server location"
        | "countries"
        | "regions"
        | "standort"
        | "ort der verarbeitung"
        | "land"
        | "länder"
        | "pays" => Target::Location,
        // "Sitz" is where the company has its seat: its address.
        "legal address" | "address" | "registered address" | "registered office"
        | "corporate address" | "head office" | "anschrift" | "adresse" | "sitz" | "firmensitz" => {
            Target::Address
        }
        "website" | "url" | "web" | "link" => Target::Website,
        // The feature that engages an optional vendor; a table's only
        // "Feature" column is its purpose (see `interpret`).
        "feature" | "only with" | "requires" | "funktion" => Target::Feature,
        "engagement" | "optional" | "core" | "opt in" => Target::Engagement,
        "category" | "type" | "kind" | "service category" | "service type" => Target::Kept,
        "notes" | "note" | "remarks" | "comments" | "bemerkungen" | "hinweise" => Target::Notes,
        // Kept in notes under their header, but known as headers.
        "certifications"
        | "certification"
        | "registration number"
        | "company number"
        | "zertifizierungen" => Target::Kept,
        // The company's own offering beside the vendor: kept in notes.
        "service region"
        | "customer region"
        | "applies to"
        | "our product"
        | "product"
        | "offering"
        | "used for customers in" => Target::Unknown,
        "data subjects"
        | "categories of data subjects"
        | "whose data"
        | "betroffene"
        | "betroffene personen"
        | "kategorien betroffener personen" => Target::Subjects,
        "safeguards"
        | "transfer mechanism"
        | "transfer mechanisms"
        | "transfer basis"
        | "transfer safeguards"
        | "transfer safeguard"
        | "safeguard"
        | "transfer"
        | "transfers"
        | "legal basis for transfer"
        | "garantien"
        | "geeignete garantien" => Target::Transfer,
        "retention" | "retention period" | "speicherdauer" => Target::Retention,
        "added" | "date added" | "in service since" | "since" | "hinzugefügt" => Target::Added,
        // subledger's own export: the names it derives from the codes.
        "last updated" | "stand" | "location names" => Target::Derived,
        _ => by_word(&h),
    }
}

/// A header none of the names above is, read by the words in it: "What
/// they do" is the purpose, "Data categories processed" the data. The
/// company's own columns ("Service region") were named above.
fn by_word(h: &str) -> Target {
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["customer", "service region", "our "]) {
        Target::Unknown
    } else if has(&["data subject", "betroffene", "whose data"]) {
        Target::Subjects
    } else if has(&["retention", "speicherdauer", "how long"]) {
        Target::Retention
    } else if has(&["safeguard", "transfer mechanism", "transfer basis"]) {
        Target::Transfer
    } else if has(&[
        "categor",
        "personal data",
        "data processed",
        "type of data",
        "types of data",
    ]) {
        Target::Data
    } else if has(&[
        "purpose",
        "what they do",
        "what it does",
        "activit",
        "zweck",
        "nature of",
    ]) {
        Target::Purpose
    } else if has(&["location", "country", "countries", "standort", "where"]) {
        Target::Location
    } else if has(&["address", "anschrift"]) {
        Target::Address
    } else if has(&["website", "homepage"]) {
        Target::Website
    } else if has(&[
        "sub processor",
        "subprocessor",
        "vendor",
        "provider",
        "entity",
        "name",
    ]) && h.split_whitespace().count() <= 4
        && !has(&["list", "annex", "schedule", "appendix", "our "])
    {
        // "Name of sub-processor", "Entity name", "Provider".
        Target::Name
    } else {
        Target::Unknown
    }
}

/// One table of the page (a bullet list is a two-column table).
#[derive(Clone, Debug)]
pub(super) struct Table {
    pub(super) heading: Option<Heading>,
    pub(super) headers: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
    /// What reading it guessed, said of each of its vendors.
    pub(super) guessed: Vec<String>,
}
