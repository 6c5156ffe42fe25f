//! `subledger.toml`: the register's configuration, at the repository root.
//!
//! It is strict like the vendor files (an unknown key is an error naming the
//! line), but a config that cannot be read stops every command (exit 2),
//! while semantic problems such as a config with no sections are findings of
//! `check`, reported with the rest.

use super::finding::{Finding, LineIndex};
pub use super::language::Language;
use super::location;
pub use super::terms::{Day, DayUnit, NoticeConfig, ProfileConfig, Templates};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The longest notice or objection period, in days: ten years.
pub const MAX_DAYS: u32 = 3653;

/// Every notice period set in the config text, with its key, its unit and
/// where it is.
fn notice_periods(text: &str) -> Vec<(String, u32, DayUnit, Option<std::ops::Range<usize>>)> {
    #[derive(Deserialize)]
    struct File {
        notice: Option<Periods>,
    }
    #[derive(Deserialize)]
    struct Periods {
        days: Option<Spanned<u32>>,
        objection_days: Option<Spanned<u32>>,
        unit: Option<DayUnit>,
        #[serde(default)]
        profile: std::collections::BTreeMap<String, Periods>,
    }
    let Ok(File {
        notice: Some(notice),
    }) = toml::from_str::<File>(text)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut add = |table: &str, periods: &Periods, unit: DayUnit| {
        for (key, value) in [
            ("days", &periods.days),
            ("objection_days", &periods.objection_days),
        ] {
            if let Some(value) = value {
                out.push((
                    format!("[{table}] {key}"),
                    *value.get_ref(),
                    unit,
                    Some(value.span()),
                ));
            }
        }
    };
    let unit = notice.unit.unwrap_or_default();
    add("notice", &notice, unit);
    for (name, profile) in &notice.profile {
        add(
            &format!("notice.profile.{name}"),
            profile,
            profile.unit.unwrap_or(unit),
        );
    }
    out
}

/// The file name, at the root of the register repository.
pub const FILE_NAME: &str = "subledger.toml";

/// The whole configuration.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub register: RegisterConfig,
    #[serde(default)]
    pub notice: NoticeConfig,
    #[serde(default)]
    pub render: RenderConfig,
    #[serde(default, rename = "section")]
    pub sections: Vec<Section>,
    #[serde(default)]
    pub customers: CustomersConfig,
    #[serde(default)]
    pub delivery: DeliveryConfig,
    /// Country codes with an EU adequacy decision.
    #[serde(default = "default_adequate")]
    #[schemars(with = "Vec<String>")]
    pub adequate: Vec<Spanned<String>>,
}

/// `[register]`.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterConfig {
    /// The company as customers know it.
    pub name: String,
    /// The page's introduction: who we are, why this list exists.
    #[serde(default)]
    pub intro: Option<String>,
    /// Where the vendor files are, relative to the repository root.
    #[serde(default = "default_dir")]
    pub dir: String,
    /// Release tags start with this.
    #[serde(default = "default_tag_prefix")]
    pub tag_prefix: String,
    /// The branch whose first-parent history is the ledger.
    #[serde(default = "default_branch")]
    pub branch: String,
    /// The "Last updated" date of the page the register was imported from,
    /// kept for the record.
    #[serde(default)]
    #[schemars(with = "Option<Day>")]
    pub page_updated: Option<toml::value::Datetime>,
    /// The public page's address (`https://acme.example/subprocessors/`):
    /// absolute links in notices and the feed, and the feed's ids.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
}

impl RegisterConfig {
    /// `url` with exactly one trailing `/`, so a file name can follow;
    /// `None` unless it is an https URL (`check` reports any other).
    pub fn base_url(&self) -> Option<String> {
        let url = self.url.as_ref()?.get_ref().trim();
        let https = url
            .strip_prefix("https://")
            .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace));
        https.then(|| format!("{}/", url.trim_end_matches('/')))
    }
}

/// `[delivery]`: how `send` delivers notices. Credentials never live
/// here: they come from `SUBLEDGER_SMTP_USER` and `SUBLEDGER_SMTP_PASSWORD`.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryConfig {
    /// `smtp://host:port` (STARTTLS when the server offers it) or
    /// `smtps://host:port` (TLS from the start).
    #[serde(default)]
    pub smtp: Option<String>,
    /// The sender: `Privacy team <privacy@acme.example>`.
    #[serde(default)]
    pub from: Option<String>,
    /// Where replies (and objections) go, if not to `from`.
    #[serde(default)]
    pub reply_to: Option<String>,
}

/// `[customers]`: where the customer files are.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomersConfig {
    /// Relative to the repository root; default `customers`.
    #[serde(default = "default_customers_dir")]
    pub dir: String,
    /// Where objection files are; default `objections`.
    #[serde(default = "default_objections_dir")]
    pub objections: String,
}

impl Default for CustomersConfig {
    fn default() -> Self {
        CustomersConfig {
            dir: default_customers_dir(),
            objections: default_objections_dir(),
        }
    }
}

fn default_objections_dir() -> String {
    "objections".to_owned()
}

fn default_customers_dir() -> String {
    "customers".to_owned()
}

/// `[render]`: the public page.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RenderConfig {
    /// Vendors added within this many days before the release get a "New" badge.
    #[serde(default = "default_new_days")]
    pub new_days: u32,
    /// The language of the page and the notices: "en" (default), "de", "fr".
    #[serde(default)]
    pub language: Language,
}

impl Default for RenderConfig {
    fn default() -> Self {
        RenderConfig {
            new_days: default_new_days(),
            language: Language::default(),
        }
    }
}

fn default_new_days() -> u32 {
    30
}

/// One `[[section]]`: a group of vendors on the page.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub intro: Option<String>,
    #[serde(default)]
    pub scope: Scope,
    /// Vendor ids in the order the page lists them; vendors not named
    /// follow, by name.
    #[serde(default)]
    pub order: Vec<String>,
}

/// Whether a section's entries are sub-processors or listed for information only.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema, Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    Subprocessor,
    Transparency,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Subprocessor => "subprocessor",
            Scope::Transparency => "transparency",
        }
    }
}

/// Whether `name` reads as a time zone: an IANA name (`Europe/Berlin`),
/// an abbreviation (`UTC`, `CET`), or `UTC` with an offset (`UTC+01:00`).
/// The zone is named in the notice, never converted, so no database is read.
fn is_time_zone(name: &str) -> bool {
    let abbreviation =
        |s: &str| (2..=5).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase());
    if let Some(offset) = name.strip_prefix("UTC").filter(|o| !o.is_empty()) {
        let b = offset.as_bytes();
        return b.len() == 6
            && matches!(b[0], b'+' | b'-')
            && b[1..3].iter().all(u8::is_ascii_digit)
            && b[3] == b':'
            && b[4..6].iter().all(u8::is_ascii_digit);
    }
    if abbreviation(name) {
        return true;
    }
    let parts: Vec<&str> = name.split('/').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.starts_with(|c: char| c.is_ascii_uppercase())
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        })
}

fn default_dir() -> String {
    "register".to_owned()
}
fn default_tag_prefix() -> String {
    "subprocessors/".to_owned()
}
fn default_branch() -> String {
    "main".to_owned()
}
fn default_adequate() -> Vec<Spanned<String>> {
    location::DEFAULT_ADEQUATE
        .iter()
        .map(|c| Spanned::new(0..0, (*c).to_owned()))
        .collect()
}

impl Config {
    /// Parses the config text; `origin` names it in errors ("subledger.toml"
    /// or "main:subledger.toml").
    pub fn parse(text: &str, origin: &str) -> Result<Config> {
        toml::from_str(text).map_err(|e| {
            let location = match e.span() {
                Some(span) => {
                    let pos = LineIndex::new(text).pos(text, span.start);
                    format!("{origin}:{}:{}", pos.line, pos.column)
                }
                None => origin.to_owned(),
            };
            let (message, hint) = worded(e.message().trim_end());
            Error::ConfigInvalid {
                location,
                message,
                hint,
            }
        })
    }

    /// The section with this id.
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id.get_ref() == id)
    }

    /// The ids of the declared sections, in order.
    pub fn section_ids(&self) -> Vec<&str> {
        self.sections
            .iter()
            .map(|s| s.id.get_ref().as_str())
            .collect()
    }

    /// Whether processing in `code` needs no transfer mechanism: inside the
    /// EEA, or a country with an adequacy decision, or the customer's choice.
    pub fn transfer_free(&self, code: &str) -> bool {
        location::in_eea(code)
            || code == "CUSTOMER"
            || self.adequate.iter().any(|a| a.get_ref() == code)
    }

    /// Findings about the config itself: it is readable, but not usable as is.
    pub fn findings(&self, text: &str, file: &str) -> Vec<Finding> {
        let index = LineIndex::new(text);
        let pos = |span: std::ops::Range<usize>| Some(index.pos(text, span.start));
        let mut findings = Vec::new();
        if self.sections.is_empty() {
            findings.push(
                Finding::error(
                    file,
                    None,
                    "no-sections",
                    "no [[section]] is declared, so no vendor can name its section".to_owned(),
                )
                .with_help(
                    "add [[section]] tables with id, title, intro and scope; see register/README.md"
                        .to_owned(),
                ),
            );
        }
        if let Some((_, what)) = super::placeholder::placeholder(&self.register.name) {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("name"))
                .and_then(|l| u32::try_from(l + 1).ok())
                .map(|line| super::finding::Pos { line, column: 1 });
            findings.push(
                Finding::error(
                    file,
                    line,
                    "placeholder",
                    format!(
                        "placeholder text \"{what}\" in [register] name: customers would read it as published"
                    ),
                )
                .with_help("set the company's name as customers know it".to_owned()),
            );
        }
        for (i, section) in self.sections.iter().enumerate() {
            let id = section.id.get_ref();
            if !super::vendor::is_valid_id(id) {
                findings.push(Finding::error(
                    file,
                    pos(section.id.span()),
                    "bad-section-id",
                    format!(
                        "section id `{id}` must be lowercase letters, digits and single hyphens"
                    ),
                ));
            }
            if self.sections[..i].iter().any(|s| s.id.get_ref() == id) {
                findings.push(Finding::error(
                    file,
                    pos(section.id.span()),
                    "duplicate-section",
                    format!("section `{id}` is declared twice"),
                ));
            }
        }
        // Notice periods no contract means: they would put dates beyond
        // anything an audit can check (and past the calendar's end).
        for (key, days, unit, span) in notice_periods(text) {
            if days > unit.max_days() {
                findings.push(
                    Finding::error(
                        file,
                        span.map(|s| index.pos(text, s.start)),
                        "notice-period",
                        format!("`{key} = {days}`: a notice period of more than ten years ({} {} days) is not a term any contract means", unit.max_days(), unit.as_str()),
                    )
                    .with_help("the period is counted in days: 30 calendar days, 10 business days".to_owned()),
                );
            }
        }
        if let Some(url) = &self.register.url {
            let text = url.get_ref().trim();
            let https = text
                .strip_prefix("https://")
                .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace));
            if !https {
                findings.push(
                    Finding::error(
                        file,
                        pos(url.span()),
                        "bad-url",
                        format!("[register] url `{text}` is not an https URL"),
                    )
                    .with_help("the page's public address, e.g. url = \"https://acme.example/subprocessors/\"".to_owned()),
                );
            }
        }
        if let Some(zone) = &self.notice.time_zone
            && !is_time_zone(zone.get_ref())
        {
            findings.push(
                Finding::error(
                    file,
                    pos(zone.span()),
                    "bad-time-zone",
                    format!(
                        "[notice] time_zone `{}` is not a time zone name",
                        zone.get_ref()
                    ),
                )
                .with_help(
                    "an IANA name such as \"Europe/Berlin\", or \"UTC\", \"CET\", \"UTC+01:00\""
                        .to_owned(),
                ),
            );
        }
        for code in &self.adequate {
            if !location::is_known(code.get_ref()) {
                findings.push(
                    Finding::error(
                        file,
                        pos(code.span()),
                        "unknown-location",
                        format!("unknown country code `{}` in adequate", code.get_ref()),
                    )
                    .with_help(location::suggest(code.get_ref()).map(|s| format!("use `{s}`"))),
                );
            }
        }
        findings
    }
}

/// The TOML reader's message in the words vendor files' findings use: an
/// unknown key is named as such, with the closest known key as the hint
/// ("did you mean `branch`?") and the keys the table takes.
/// Reads a strict TOML file (customers, objections): the value, or the
/// finding for `rule` at the line and column the reader names.
///
/// Every unknown key of the top table is a finding, and the rest of the
/// file is still read without it, so one wrong key does not hide the
/// file's other problems: the value comes back with those findings (the
/// file is not loadable, but its values can still be checked).
pub(super) fn strict<T: serde::de::DeserializeOwned>(
    text: &str,
    path: &str,
    rule: &'static str,
) -> (Option<T>, Vec<Finding>) {
    let index = LineIndex::new(text);
    let mut read = text.to_owned();
    let mut findings = Vec::new();
    loop {
        let e = match toml::from_str(&read) {
            Ok(value) => return (Some(value), findings),
            Err(e) => e,
        };
        let pos = e.span().map(|s| index.pos(text, s.start));
        let (message, help) = worded(e.message().trim_end());
        findings.push(Finding::error(path, pos, rule, message).with_help(help));
        // Only a key of the top table is left out (its line blanked, so
        // positions stay); anything else ends the reading.
        let unknown = e
            .message()
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(key, _)| key.to_owned());
        let Some(range) = unknown.and_then(|key| top_key_range(&read, &key)) else {
            return (None, findings);
        };
        let blanked: String = read[range.clone()]
            .chars()
            .map(|c| if c == '\n' { c } else { ' ' })
            .collect();
        read.replace_range(range, &blanked);
    }
}

/// Where `key = value` of the top table is in `text`: from the key to the
/// end of its value (not a `[table]`, whose extent is not one value).
fn top_key_range(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let root = toml::de::DeTable::parse(text).ok()?;
    let (k, v) = root.get_ref().iter().find(|(k, _)| k.get_ref() == key)?;
    let range = k.span().start..v.span().end;
    let value = matches!(v.get_ref(), toml::de::DeValue::Table(_));
    (!value && range.start < range.end && range.end <= text.len()).then_some(range)
}

pub(super) fn worded(message: &str) -> (String, Option<String>) {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return (message.to_owned(), None);
    };
    let Some((key, expected)) = rest.split_once('`') else {
        return (message.to_owned(), None);
    };
    // ", expected one of `a`, `b`" or ", expected `a`" or ", there are no fields".
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    if known.is_empty() {
        return (
            format!("unknown key `{key}`: this table takes no keys"),
            None,
        );
    }
    let message = format!(
        "unknown key `{key}` (this table takes {})",
        known.join(", ")
    );
    let hint =
        super::parse::closest(key, known.iter().copied()).map(|k| format!("did you mean `{k}`?"));
    (message, hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_left_out() {
        let config = Config::parse("[register]\nname = \"Acme\"\n", "subledger.toml").unwrap();
        assert_eq!(config.register.dir, "register");
        assert_eq!(config.register.tag_prefix, "subprocessors/");
        assert_eq!(config.register.branch, "main");
        assert_eq!(config.notice.days, 30);
        assert_eq!(config.notice.unit, DayUnit::Calendar);
        assert!(config.transfer_free("GB"));
        assert!(config.transfer_free("DE"));
        assert!(!config.transfer_free("US"));
        let findings = config.findings("", "subledger.toml");
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, "no-sections");
    }

    #[test]
    fn unknown_key_is_an_error_that_names_the_line() {
        let text = "[register]\nname = \"Acme\"\n\n[notice]\ndayz = 3\n";
        let err = Config::parse(text, "subledger.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "subledger.toml:5:1: unknown key `dayz` (this table takes days, unit, objection_days, except, contact, subscribe, greeting, sender, remedy, time_zone, holidays, material, templates, profile)"
        );
        assert_eq!(err.hint().as_deref(), Some("did you mean `days`?"));
    }

    #[test]
    fn duplicate_sections_and_bad_adequate_codes_are_findings() {
        let text = "adequate = [\"UK\"]\n[register]\nname = \"A\"\n[[section]]\nid = \"a\"\ntitle = \"A\"\n[[section]]\nid = \"a\"\ntitle = \"B\"\n";
        let config = Config::parse(text, "subledger.toml").unwrap();
        let rules: Vec<_> = config
            .findings(text, "subledger.toml")
            .iter()
            .map(|f| (f.rule, f.pos.map(|p| p.line), f.help.clone()))
            .collect();
        assert_eq!(
            rules,
            vec![
                ("duplicate-section", Some(8), None),
                ("unknown-location", Some(1), Some("use `GB`".to_owned())),
            ]
        );
    }
}
