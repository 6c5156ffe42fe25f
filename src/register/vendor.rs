//! A vendor as its file describes it, and the register: every vendor that
//! could be loaded, by id. Plain data; parsing is in [`super::parse`].

use super::field::Field;
use crate::dates::iso_date;
use serde::Serialize;
use serde::ser::SerializeMap;
use std::collections::BTreeMap;

/// Vendor files larger than this are refused unread.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// Whether `id` is a valid vendor id: lowercase ASCII letters, digits and
/// single hyphens (not leading or trailing), 1 to 64 characters.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
}

/// A value of one vendor field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Text(String),
    List(Vec<String>),
    Date(time::Date),
}

impl Value {
    /// The value as one line of text: lists joined with "; ", dates as ISO 8601.
    pub fn display(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::List(items) => items.join("; "),
            Value::Date(d) => iso_date(*d),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Text(t) => s.serialize_str(t),
            Value::List(items) => items.serialize(s),
            Value::Date(d) => s.serialize_str(&iso_date(*d)),
        }
    }
}

/// Whether a vendor is always engaged or only when the customer turns a feature on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Engagement {
    Core,
    Optional,
}

impl Engagement {
    pub fn as_str(self) -> &'static str {
        match self {
            Engagement::Core => "core",
            Engagement::Optional => "optional",
        }
    }
}

/// One vendor as its file describes it. Every required field is present.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vendor {
    pub id: String,
    values: [Option<Value>; Field::COUNT],
}

impl Vendor {
    pub(crate) fn new(id: String, values: [Option<Value>; Field::COUNT]) -> Self {
        Vendor { id, values }
    }

    /// Sets or clears a field (for replaying events).
    pub fn set(&mut self, field: Field, value: Option<Value>) {
        self.values[field.index()] = value;
    }

    /// The value of a field, if the file sets it.
    pub fn get(&self, field: Field) -> Option<&Value> {
        self.values[field.index()].as_ref()
    }

    /// Every field the file sets, in format order.
    pub fn fields(&self) -> impl Iterator<Item = (Field, &Value)> {
        Field::ALL
            .iter()
            .filter_map(|&f| self.get(f).map(|value| (f, value)))
    }

    /// A text field's value.
    pub fn text(&self, field: Field) -> Option<&str> {
        match self.get(field) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }

    /// A list field's items (empty when absent).
    pub fn list(&self, field: Field) -> &[String] {
        match self.get(field) {
            Some(Value::List(items)) => items,
            _ => &[],
        }
    }

    /// A date field's value.
    pub fn date(&self, field: Field) -> Option<time::Date> {
        match self.get(field) {
            Some(Value::Date(d)) => Some(*d),
            _ => None,
        }
    }

    pub fn name(&self) -> &str {
        self.text(Field::Name).unwrap_or(&self.id)
    }

    pub fn section(&self) -> &str {
        self.text(Field::Section).unwrap_or_default()
    }

    pub fn purpose(&self) -> &str {
        self.text(Field::Purpose).unwrap_or_default()
    }

    pub fn locations(&self) -> &[String] {
        self.list(Field::Locations)
    }

    /// `engagement`, "core" when absent.
    pub fn engagement(&self) -> Engagement {
        match self.text(Field::Engagement) {
            Some("optional") => Engagement::Optional,
            _ => Engagement::Core,
        }
    }
}

/// The vendor as JSON: `{"id": ..., "name": ..., ..., "dpa": {...}}`, every
/// key of the format in format order, `null` when the file leaves it out
/// (`dpa` too is always there, with each of its keys): one shape for every
/// vendor, as `subledger schema` and schemas/*.output.schema.json describe.
impl Serialize for Vendor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        let mut dpa = BTreeMap::new();
        for &field in Field::ALL {
            let value = self.get(field);
            if field.in_dpa() {
                dpa.insert(&field.key()[4..], value);
            } else {
                map.serialize_entry(field.key(), &value)?;
            }
        }
        map.serialize_entry("dpa", &dpa)?;
        map.end()
    }
}

/// Which vendors a listing shows: those in any of `sections`, of
/// `engagement`, processing in any of `locations` (codes); an empty list or
/// `None` admits every vendor.
#[derive(Clone, Debug, Default)]
pub struct Selection<'a> {
    pub sections: &'a [String],
    pub engagement: Option<Engagement>,
    pub locations: Vec<&'a str>,
}

impl Selection<'_> {
    /// The vendors of `register` it shows, by id.
    pub fn of<'v>(&self, register: &'v Register) -> Vec<&'v Vendor> {
        register
            .vendors
            .values()
            .filter(|v| self.admits(v))
            .collect()
    }

    /// Whether `vendor` is shown.
    pub fn admits(&self, vendor: &Vendor) -> bool {
        (self.sections.is_empty() || self.sections.iter().any(|s| s == vendor.section()))
            && self.engagement.is_none_or(|e| vendor.engagement() == e)
            && (self.locations.is_empty()
                || vendor
                    .locations()
                    .iter()
                    .any(|c| self.locations.contains(&c.as_str())))
    }
}

/// The register at one point: every vendor that could be loaded, by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Register {
    pub vendors: BTreeMap<String, Vendor>,
}

/// A valid id close to `name`: lower case, other characters turned into hyphens.
pub fn suggest_id(name: &str) -> Option<String> {
    let mut id = String::new();
    // "Société Générale" → "societe-generale".
    let name = deunicode::deunicode(name);
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    // Cut at a word, never inside one.
    let id = match id.get(..65) {
        Some(head) if id.len() > 64 => head.rsplit_once('-').map_or(&id[..64], |(h, _)| h),
        _ => id,
    };
    let id = id.trim_end_matches('-').to_owned();
    is_valid_id(&id).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for good in ["a", "aws", "google-workspace", "x1-2", &"a".repeat(64)] {
            assert!(is_valid_id(good), "{good}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "A",
            "a_b",
            "a.b",
            "é",
            &"a".repeat(65),
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn id_suggestions() {
        assert_eq!(
            suggest_id("Google_Workspace"),
            Some("google-workspace".to_owned())
        );
        assert_eq!(suggest_id("a--b "), Some("a-b".to_owned()));
        assert_eq!(suggest_id("__"), None);
    }
}
