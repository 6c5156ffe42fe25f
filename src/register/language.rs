//! The languages subledger writes the page and the notices in.

use serde::{Deserialize, Serialize};

/// A language the page and the notices are written in. Vendor text is
/// shown as written.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema, Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    De,
    Fr,
}

impl Language {
    /// Its ISO 639-1 code, as `<html lang>` takes it.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::De => "de",
            Language::Fr => "fr",
        }
    }

    /// The language of `code` ("en", "de", "fr").
    pub fn of(code: &str) -> Option<Language> {
        match code {
            "en" => Some(Language::En),
            "de" => Some(Language::De),
            "fr" => Some(Language::Fr),
            _ => None,
        }
    }
}
