//! The vendor file's keys: one table that the parser, the validator, the
//! renderers and (later) the history diff all read.
//!
//! Keeping the format in one place means a key cannot be accepted by the
//! parser yet forgotten by `list`, and "did you mean" suggestions always come
//! from the real key set. The order of [`Field::ALL`] is the order keys are
//! documented and shown in; `[dpa]` keys come last.

use std::fmt;

/// Allowed values of `engagement`.
pub const ENGAGEMENTS: &[&str] = &["core", "optional"];
/// Allowed values of `transfer_mechanisms`.
pub const TRANSFER_MECHANISMS: &[&str] =
    &["adequacy", "dpf", "scc", "uk-idta", "uk-addendum", "bcr"];
/// Allowed values of `[dpa] status`.
pub const DPA_STATUSES: &[&str] = &["signed", "pending", "none", "not-required"];

/// What a key holds, and so how it is type-checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// A string.
    Text,
    /// An array of strings.
    TextList,
    /// One of a fixed set of strings.
    Choice(&'static [&'static str]),
    /// An array whose items come from a fixed set of strings.
    ChoiceList(&'static [&'static str]),
    /// An array of vendor ids.
    IdList,
    /// A TOML local date (`2026-05-21`, no time, no quotes).
    Date,
}

impl ValueKind {
    /// How the type is named in messages and in the format's documentation.
    pub fn describe(self) -> String {
        match self {
            ValueKind::Text => "a string".to_owned(),
            ValueKind::TextList => "an array of strings".to_owned(),
            ValueKind::IdList => "an array of vendor ids".to_owned(),
            ValueKind::Date => "a date such as 2026-05-21 (no quotes)".to_owned(),
            ValueKind::Choice(values) => format!("one of {}", quoted_list(values)),
            ValueKind::ChoiceList(values) => format!("an array of {}", quoted_list(values)),
        }
    }
}

fn quoted_list(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    quoted.join(", ")
}

macro_rules! fields {
    ($( $variant:ident => $key:literal, $kind:expr, $required:literal, $doc:literal; )*) => {
        /// One key of a vendor file. `[dpa]` keys are named `dpa.status` and so on.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Field { $( #[doc = $doc] $variant, )* }

        impl Field {
            /// Every key, in documentation order.
            pub const ALL: &'static [Field] = &[ $( Field::$variant, )* ];

            /// The key as written in the file (`dpa.status` for `[dpa] status`).
            pub fn key(self) -> &'static str {
                match self { $( Field::$variant => $key, )* }
            }

            /// The value's type.
            pub fn kind(self) -> ValueKind {
                match self { $( Field::$variant => $kind, )* }
            }

            /// Whether a vendor file must have the key.
            pub fn required(self) -> bool {
                match self { $( Field::$variant => $required, )* }
            }

            /// One line on what the key means.
            pub fn doc(self) -> &'static str {
                match self { $( Field::$variant => $doc, )* }
            }
        }
    };
}

fields! {
    Name => "name", ValueKind::Text, true, "name as published, e.g. \"Google LLC (Google Workspace)\"";
    LegalEntity => "legal_entity", ValueKind::Text, false, "the contracting legal entity, e.g. \"Google LLC\"";
    LegalAddress => "legal_address", ValueKind::Text, false, "registered address";
    Website => "website", ValueKind::Text, false, "https URL";
    Contact => "contact", ValueKind::Text, false, "privacy contact (email or https URL)";
    SubprocessorListUrl => "subprocessor_list_url", ValueKind::Text, false, "the vendor's own sub-processor list";
    Section => "section", ValueKind::Text, true, "id of a section declared in subledger.toml";
    Engagement => "engagement", ValueKind::Choice(ENGAGEMENTS), false, "\"core\" (the default) or \"optional\"";
    Feature => "feature", ValueKind::Text, false, "what the customer turns on to engage it (required when optional)";
    Purpose => "purpose", ValueKind::Text, true, "what it does for us";
    DataCategories => "data_categories", ValueKind::TextList, true, "categories of personal data processed";
    DataSubjects => "data_subjects", ValueKind::TextList, false, "whose data, e.g. [\"Practitioners\"]";
    Locations => "locations", ValueKind::TextList, true, "ISO 3166-1 alpha-2 codes, or EU, EEA, GLOBAL, CUSTOMER";
    LocationNote => "location_note", ValueKind::Text, false, "e.g. \"EU-resident edge routing where applicable\"";
    TransferMechanisms => "transfer_mechanisms", ValueKind::ChoiceList(TRANSFER_MECHANISMS), false, "for processing outside the EEA";
    Retention => "retention", ValueKind::Text, false, "e.g. \"Video files deleted after 24 hours\"";
    Notes => "notes", ValueKind::Text, false, "published remarks";
    PreviousIds => "previous_ids", ValueKind::IdList, false, "earlier file names of this same vendor";
    Replaces => "replaces", ValueKind::IdList, false, "vendors this one replaces";
    Effective => "effective", ValueKind::Date, false, "planned first day of processing";
    InServiceSince => "in_service_since", ValueKind::Date, false, "the day it entered service, if before its first release: the page's \"Added\"";
    Emergency => "emergency", ValueKind::Text, false, "reason for engaging it before the notice period ends";
    DpaStatus => "dpa.status", ValueKind::Choice(DPA_STATUSES), false, "internal, never published: the DPA's status";
    DpaSigned => "dpa.signed", ValueKind::Date, false, "internal: the date the DPA was signed";
    DpaReference => "dpa.reference", ValueKind::Text, false, "internal: the DPA's reference";
}

impl Field {
    /// Number of fields; the size of per-field arrays.
    pub const COUNT: usize = Field::ALL.len();

    /// Position in [`Field::ALL`], for per-field arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The field for a top-level key, if there is one (`[dpa]` keys are not top-level).
    pub fn top_level(key: &str) -> Option<Field> {
        Field::ALL
            .iter()
            .copied()
            .find(|f| !f.in_dpa() && f.key() == key)
    }

    /// The field for a key inside `[dpa]`.
    pub fn in_dpa_table(key: &str) -> Option<Field> {
        Field::ALL
            .iter()
            .copied()
            .find(|f| f.in_dpa() && &f.key()[4..] == key)
    }

    /// Whether the key lives in the `[dpa]` table.
    pub fn in_dpa(self) -> bool {
        matches!(
            self,
            Field::DpaStatus | Field::DpaSigned | Field::DpaReference
        )
    }

    /// Whether the key is internal and must never be published.
    pub fn internal(self) -> bool {
        self.in_dpa()
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_declaration_order_so_index_matches() {
        for (i, field) in Field::ALL.iter().enumerate() {
            assert_eq!(field.index(), i, "{field}");
        }
        assert_eq!(Field::COUNT, 25);
    }

    #[test]
    fn lookup_separates_top_level_and_dpa_keys() {
        assert_eq!(Field::top_level("name"), Some(Field::Name));
        assert_eq!(Field::top_level("status"), None);
        assert_eq!(Field::top_level("dpa.status"), None);
        assert_eq!(Field::in_dpa_table("status"), Some(Field::DpaStatus));
        assert_eq!(Field::in_dpa_table("name"), None);
    }
}
