//! `[notice]` in `subledger.toml`: the contract's notice terms, the named
//! profiles for customers with their own, and the templates that word them.

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// `[notice]`: the contract's notice terms.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeConfig {
    #[serde(default = "default_days")]
    pub days: u32,
    #[serde(default)]
    pub unit: DayUnit,
    /// Days customers have to object; defaults to `days`.
    #[serde(default)]
    pub objection_days: Option<u32>,
    /// When notice may come after the change, e.g. "in cases of urgent operational need".
    #[serde(default)]
    pub except: Option<String>,
    /// Where objections go (an email address or URL).
    #[serde(default)]
    pub contact: Option<String>,
    /// How to get notified of changes.
    #[serde(default)]
    pub subscribe: Option<String>,
    /// The notice's opening line: "Dear customer,".
    #[serde(default)]
    pub greeting: Option<String>,
    /// Who signs the notice: "The PracticPro privacy team".
    #[serde(default)]
    pub sender: Option<String>,
    /// What an objection does under the contract (its remedy): "If we
    /// cannot resolve your objection, you may terminate the affected
    /// services without penalty."
    #[serde(default)]
    pub remedy: Option<String>,
    /// The time zone the objection deadline's day ends in, as the contract
    /// names it: "UTC" (default), "Europe/Berlin", "CET".
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub time_zone: Option<Spanned<String>>,
    /// Days that are not business days besides weekends (TOML dates).
    #[serde(default)]
    pub holidays: Vec<Day>,
    /// Field names whose changes also need notice, beyond the built-in ones.
    #[serde(default)]
    pub material: Vec<String>,
    /// Template files that replace the built-in wording of `subledger
    /// notice`, relative to the repository root.
    #[serde(default)]
    pub templates: Templates,
    /// Named terms for customers with their own contracts:
    /// `[notice.profile.enterprise]`.
    #[serde(default, rename = "profile")]
    pub profiles: std::collections::BTreeMap<String, ProfileConfig>,
}

impl Default for NoticeConfig {
    fn default() -> Self {
        NoticeConfig {
            days: default_days(),
            unit: DayUnit::default(),
            objection_days: None,
            except: None,
            contact: None,
            subscribe: None,
            greeting: None,
            sender: None,
            remedy: None,
            time_zone: None,
            holidays: Vec::new(),
            material: Vec::new(),
            templates: Templates::default(),
            profiles: Default::default(),
        }
    }
}

/// `[notice.templates]`: minijinja templates, one per format.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    pub markdown: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
}

/// `[notice.profile.NAME]`: another set of notice terms. Unset keys take
/// the value of `[notice]`.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    #[serde(default)]
    pub days: Option<u32>,
    #[serde(default)]
    pub unit: Option<DayUnit>,
    #[serde(default)]
    pub objection_days: Option<u32>,
    /// Added to `[notice] holidays`.
    #[serde(default)]
    pub holidays: Vec<Day>,
}

/// A calendar date written as a TOML date (`2026-12-25`), shown as
/// `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(pub time::Date);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Day, D::Error> {
        use serde::de::Error as _;
        let value = toml::value::Datetime::deserialize(d)?;
        match (value.date, value.time) {
            (Some(date), None) => {
                let month = time::Month::try_from(date.month).map_err(D::Error::custom)?;
                time::Date::from_calendar_date(i32::from(date.year), month, date.day)
                    .map(Day)
                    .map_err(D::Error::custom)
            }
            _ => Err(D::Error::custom(
                "expected a date such as 2026-12-25, without a time",
            )),
        }
    }
}

impl schemars::JsonSchema for Day {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "a TOML date such as 2026-12-25 (no quotes, no time)",
            "type": "string",
            "format": "date"
        })
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&crate::dates::iso_date(self.0))
    }
}

/// How notice days are counted.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema, Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum DayUnit {
    #[default]
    Calendar,
    Business,
}

impl DayUnit {
    /// The longest period in this unit: ten years (3,653 calendar days,
    /// 2,609 business days).
    pub fn max_days(self) -> u32 {
        match self {
            DayUnit::Calendar => super::config::MAX_DAYS,
            DayUnit::Business => 2609,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DayUnit::Calendar => "calendar",
            DayUnit::Business => "business",
        }
    }
}

fn default_days() -> u32 {
    30
}
