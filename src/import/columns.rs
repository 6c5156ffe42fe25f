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
    /// Derived on the published page (Last updated): not imported.
    Derived,
    Unknown,
}

pub(super) fn target(header: &str) -> Target {
    let h: String = header
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
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
        | "feature"
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
        | "standort"
        | "ort der verarbeitung"
        | "land"
        | "länder"
        | "sitz"
        | "pays" => Target::Location,
        "legal address" | "address" | "registered address" | "corporate address" | "anschrift"
        | "adresse" => Target::Address,
        "website" | "url" | "web" | "link" => Target::Website,
        "notes" | "note" | "remarks" | "comments" | "bemerkungen" | "hinweise" => Target::Notes,
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
        | "legal basis for transfer"
        | "garantien"
        | "geeignete garantien" => Target::Transfer,
        "retention" | "retention period" | "speicherdauer" => Target::Retention,
        "added" | "date added" | "in service since" | "since" | "hinzugefügt" => Target::Added,
        // subledger's own export: the names it derives from the codes.
        "last updated" | "stand" | "location names" => Target::Derived,
        _ => Target::Unknown,
    }
}

/// One table of the page (a bullet list is a two-column table).
#[derive(Clone, Debug)]
pub(super) struct Table {
    pub(super) heading: Option<Heading>,
    pub(super) headers: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
}
