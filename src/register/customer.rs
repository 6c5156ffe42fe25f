//! Customer files: `customers/<id>.toml` beside the register (the dir is
//! `[customers] dir` in subledger.toml), one per customer, strict like
//! vendor files. Confidential: no page, feed or notice ever shows them;
//! `send` reads them to tell each customer, under its own terms and scope.
//!
//! ```toml
//! name = "Clinic Nord"
//! emails = ["privacy@clinic-nord.example"]
//! profile = "enterprise"            # a [notice.profile.*]: its notice terms
//! sections = ["infrastructure"]     # told only of changes in these sections
//! webhook = "https://hooks.clinic-nord.example/subledger"
//! language = "de"                   # its notices in German (default: [render] language)
//! ```

use super::config::Config;
use super::entry::{Entry, EntryKind};
use super::finding::{Finding, LineIndex};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A customer, as its file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    /// The file name without `.toml`.
    pub id: String,
    pub name: String,
    /// Where notices go; at least one.
    pub emails: Vec<String>,
    /// The `[notice.profile.*]` whose terms it has; `None`: `[notice]`.
    pub profile: Option<String>,
    /// The sections it is told of; `None`: every section.
    pub sections: Option<Vec<String>>,
    /// An https URL that receives the notice as JSON.
    pub webhook: Option<String>,
    /// The language its notices are written in; `None`: `[render] language`.
    pub language: Option<super::config::Language>,
}

/// A customer file (`customers/<id>.toml`): confidential, never published.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "subledger customer file")]
pub(crate) struct File {
    /// The customer's name, as notices greet it.
    #[schemars(with = "String")]
    name: Spanned<String>,
    /// Where notices go: one or more e-mail addresses.
    #[schemars(with = "Vec<String>", length(min = 1))]
    emails: Spanned<Vec<Spanned<String>>>,
    /// A `[notice.profile.*]` of subledger.toml: the customer's own notice terms.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    profile: Option<Spanned<String>>,
    /// The sections it is told of (default: every section).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    sections: Option<Vec<Spanned<String>>>,
    /// An https URL that receives each notice as signed JSON.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    webhook: Option<Spanned<String>>,
    /// The language of its notices: "en", "de" or "fr" (default: `[render] language`).
    #[serde(default)]
    #[schemars(with = "Option<super::config::Language>")]
    language: Option<Spanned<String>>,
}

/// Reads every customer file of `entries` (the customers dir, shown as
/// `dir`): the customers that load, and a finding for each rule broken.
pub fn load(entries: &[Entry], dir: &str, config: &Config) -> (Vec<Customer>, Vec<Finding>) {
    let mut customers = Vec::new();
    let mut findings = Vec::new();
    // Every address, with the customer files that list it.
    let mut addresses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in entries {
        let Some(id) = entry.name.strip_suffix(".toml") else {
            continue;
        };
        let path = format!("{dir}/{}", entry.name);
        if entry.kind != EntryKind::File {
            findings.push(Finding::error(
                &path,
                None,
                "customer-not-a-file",
                "a customer file must be a regular file".to_owned(),
            ));
            continue;
        }
        if !super::vendor::is_valid_id(id) {
            findings.push(
                Finding::error(
                    &path,
                    None,
                    "bad-customer-id",
                    format!("customer id `{id}` (the file name) must be lowercase letters, digits and single hyphens"),
                )
                .with_help(super::vendor::suggest_id(id).map(|s| format!("rename it to {s}.toml"))),
            );
            continue;
        }
        let Some(text) = entry
            .content
            .as_deref()
            .and_then(|b| std::str::from_utf8(b).ok())
        else {
            findings.push(Finding::error(
                &path,
                None,
                "customer-syntax",
                "not UTF-8 text, or too large to read".to_owned(),
            ));
            continue;
        };
        let index = LineIndex::new(text);
        let pos = |span: std::ops::Range<usize>| Some(index.pos(text, span.start));
        let (file, read) = super::config::strict::<File>(text, &path, "customer-syntax");
        // A file with an unknown key does not load; its values are still checked.
        let mut ok = read.is_empty();
        findings.extend(read);
        let Some(file) = file else { continue };
        if file.name.get_ref().trim().is_empty() {
            ok = false;
            findings.push(Finding::error(
                &path,
                pos(file.name.span()),
                "customer-name",
                "`name` is empty".to_owned(),
            ));
        }
        if file.emails.get_ref().is_empty() {
            ok = false;
            findings.push(
                Finding::error(&path, pos(file.emails.span()), "no-email", "`emails` is empty: the customer could not be told of a change".to_owned())
                    .with_help("list at least one address for notices, e.g. emails = [\"privacy@customer.example\"]".to_owned()),
            );
        }
        for email in file.emails.get_ref() {
            if !super::validate::is_email(email.get_ref()) {
                ok = false;
                findings.push(Finding::error(
                    &path,
                    pos(email.span()),
                    "bad-email",
                    format!("`{}` is not an e-mail address", email.get_ref()),
                ));
            }
            addresses
                .entry(email.get_ref().trim().to_lowercase())
                .or_default()
                .push(path.clone());
        }
        if let Some(profile) = &file.profile
            && !config.notice.profiles.contains_key(profile.get_ref())
        {
            ok = false;
            let declared: Vec<&str> = config.notice.profiles.keys().map(String::as_str).collect();
            findings.push(
                Finding::error(
                    &path,
                    pos(profile.span()),
                    "unknown-profile",
                    format!("profile `{}` is not declared in subledger.toml", profile.get_ref()),
                )
                .with_help(if declared.is_empty() {
                    format!("declare it as [notice.profile.{}], or leave `profile` out for the [notice] terms", profile.get_ref())
                } else {
                    format!("declared: {}", declared.join(", "))
                }),
            );
        }
        for section in file.sections.iter().flatten() {
            if config.section(section.get_ref()).is_none() {
                ok = false;
                findings.push(Finding::error(
                    &path,
                    pos(section.span()),
                    "unknown-section",
                    format!(
                        "section `{}` is not declared in subledger.toml",
                        section.get_ref()
                    ),
                ));
            }
        }
        // https, but for a receiver on this machine (tests, a local relay).
        let loopback = |u: &str| {
            ["http://127.0.0.1", "http://localhost", "http://[::1]"]
                .iter()
                .any(|p| {
                    u.strip_prefix(p)
                        .is_some_and(|r| r.is_empty() || r.starts_with([':', '/']))
                })
        };
        if let Some(url) = &file.webhook
            && !url.get_ref().starts_with("https://")
            && !loopback(url.get_ref())
        {
            ok = false;
            findings.push(Finding::error(
                &path,
                pos(url.span()),
                "webhook-not-https",
                format!(
                    "webhook `{}` must be an https URL: notices are confidential",
                    url.get_ref()
                ),
            ));
        }
        let language = match &file.language {
            Some(code) => match super::config::Language::of(code.get_ref()) {
                Some(language) => Some(language),
                None => {
                    ok = false;
                    findings.push(
                        Finding::error(
                            &path,
                            pos(code.span()),
                            "unknown-language",
                            format!("language `{}` is not one subledger writes", code.get_ref()),
                        )
                        .with_help("use \"en\", \"de\" or \"fr\"".to_owned()),
                    );
                    None
                }
            },
            None => None,
        };
        if ok {
            customers.push(Customer {
                id: id.to_owned(),
                name: file.name.into_inner(),
                emails: file
                    .emails
                    .into_inner()
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect(),
                profile: file.profile.map(Spanned::into_inner),
                sections: file
                    .sections
                    .map(|s| s.into_iter().map(Spanned::into_inner).collect()),
                webhook: file.webhook.map(Spanned::into_inner),
                language,
            });
        }
    }
    for (address, files) in addresses {
        if files.len() > 1 {
            findings.push(Finding::warning(
                &files[1],
                None,
                "duplicate-address",
                format!(
                    "{address} is also listed by {}: that mailbox gets each notice more than once",
                    files[0]
                ),
            ));
        }
    }
    (customers, findings)
}

impl Customer {
    /// Whether a change in `section` is in this customer's scope.
    pub fn in_scope(&self, section: &str) -> bool {
        self.sections
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| x == section))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> Entry {
        Entry {
            name: name.to_owned(),
            kind: EntryKind::File,
            size: text.len() as u64,
            content: Some(text.as_bytes().to_vec()),
        }
    }

    const CONFIG: &str = "[register]\nname = \"Acme\"\n\n[notice.profile.enterprise]\ndays = 60\n\n[[section]]\nid = \"hosting\"\ntitle = \"Hosting\"\n";

    fn rules(entries: &[Entry]) -> (Vec<String>, Vec<&'static str>) {
        let config = Config::parse(CONFIG, "subledger.toml").unwrap();
        let (customers, findings) = load(entries, "customers", &config);
        let mut rules: Vec<_> = findings.iter().map(|f| f.rule).collect();
        rules.sort_unstable();
        (customers.into_iter().map(|c| c.id).collect(), rules)
    }

    #[test]
    fn each_rule_and_a_customer_that_holds_them() {
        let good = "name = \"Clinic Nord\"\nemails = [\"privacy@nord.example\"]\nprofile = \"enterprise\"\nsections = [\"hosting\"]\nwebhook = \"https://hooks.nord.example/x\"\n";
        assert_eq!(
            rules(&[file("nord.toml", good)]),
            (vec!["nord".to_owned()], vec![])
        );
        let cases = [
            ("name = \"A\"\nemails = []\n", "no-email"),
            ("name = \"A\"\nemails = [\"not an address\"]\n", "bad-email"),
            (
                "name = \"A\"\nemails = [\"a@b.example\"]\nprofile = \"gold\"\n",
                "unknown-profile",
            ),
            (
                "name = \"A\"\nemails = [\"a@b.example\"]\nsections = [\"email\"]\n",
                "unknown-section",
            ),
            (
                "name = \"A\"\nemails = [\"a@b.example\"]\nwebhook = \"http://x.example\"\n",
                "webhook-not-https",
            ),
            (
                "name = \"A\"\nemails = [\"a@b.example\"]\nphone = \"1\"\n",
                "customer-syntax",
            ),
            ("name = \"\"\nemails = [\"a@b.example\"]\n", "customer-name"),
        ];
        for (text, rule) in cases {
            assert_eq!(
                rules(&[file("a.toml", text)]),
                (vec![], vec![rule]),
                "{text}"
            );
        }
        assert_eq!(rules(&[file("Bad Name.toml", good)]).1, ["bad-customer-id"]);
        // One mailbox in two customers: both load, with a warning.
        let other = good.replace("Clinic Nord", "Clinic Nord (second contract)");
        assert_eq!(
            rules(&[file("nord.toml", good), file("nord-2.toml", &other)]),
            (
                vec!["nord".to_owned(), "nord-2".to_owned()],
                vec!["duplicate-address"]
            )
        );
        // Other files (a README) are not customers.
        assert_eq!(rules(&[file("README.md", "# Customers")]), (vec![], vec![]));
    }
}
