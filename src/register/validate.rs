//! Content rules: what a well-typed vendor file can still get wrong.
//!
//! [`vendor`] checks one vendor against the config (sections, locations,
//! transfer mechanisms) and against what customers must be told (no
//! placeholders, name, address and contact of every sub-processor).
//! [`across`] checks what only the whole register shows: ids claimed twice,
//! or an old id that is still a live file.

use super::config::{Config, Scope};
use super::field::Field;
use super::finding::Finding;
use super::location;
use super::parse::{SourceMap, closest};
pub use super::placeholder::placeholder;
use super::text::{Unprintable, first_unprintable};
use super::vendor::{Engagement, Register, Value, Vendor};
use std::collections::BTreeMap;

/// Every content finding for one vendor.
pub fn vendor(
    vendor: &Vendor,
    map: &SourceMap,
    config: &Config,
    reference: Option<time::Date>,
) -> Vec<Finding> {
    let file = map.file.as_str();
    let mut out = Vec::new();

    for (field, value) in vendor.fields() {
        // Characters a terminal, a page or the feed would act on or choke on.
        let texts: Vec<(Option<usize>, &String)> = match value {
            Value::Text(text) => vec![(None, text)],
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, t)| (Some(i), t))
                .collect(),
            Value::Date(_) => Vec::new(),
        };
        for (item, text) in texts {
            if let Some((offset, c, kind)) = first_unprintable(text) {
                let (rule, what) = match kind {
                    Unprintable::Control => (
                        "control-character",
                        "a control or invisible character that changes what a reader sees",
                    ),
                    Unprintable::NotXml => (
                        "invalid-character",
                        "a code point that is not a character (XML, and so the feed, cannot carry it)",
                    ),
                };
                out.push(
                    Finding::error(
                        file,
                        map.text_pos(field, item, text, offset),
                        rule,
                        format!("`{field}` holds U+{:04X}, {what}", u32::from(c)),
                    )
                    .with_help("remove it: write the text as people should read it".to_owned()),
                );
            }
        }
        match value {
            Value::Text(text) => {
                if text.trim().is_empty() {
                    out.push(empty_value(file, map, field));
                }
                if let Some((offset, what)) = placeholder(text) {
                    out.push(placeholder_finding(
                        file, map, field, None, text, offset, what,
                    ));
                }
            }
            Value::List(items) => {
                // Items seen so far: one set, so a long list is checked in
                // linear time.
                let mut seen = std::collections::HashSet::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    if item.trim().is_empty() {
                        out.push(Finding::error(
                            file,
                            map.item_pos(field, i),
                            "empty-value",
                            format!("`{field}` has an empty item"),
                        ));
                    } else if let Some((offset, what)) = placeholder(item) {
                        out.push(placeholder_finding(
                            file,
                            map,
                            field,
                            Some(i),
                            item,
                            offset,
                            what,
                        ));
                    }
                    if !seen.insert(item.as_str()) {
                        out.push(Finding::warning(
                            file,
                            map.item_pos(field, i),
                            "duplicate-item",
                            format!("`{field}` lists \"{item}\" twice"),
                        ));
                    }
                }
            }
            Value::Date(date) => {
                if let Some(why) = date_out_of_range(*date, reference) {
                    out.push(
                        Finding::error(
                            file,
                            map.value_pos(field),
                            "date-out-of-range",
                            format!("`{field}` = {}: {why}", crate::dates::iso_date(*date)),
                        )
                        .with_help("check the year".to_owned()),
                    );
                }
            }
        }
    }

    let section = config.section(vendor.section());
    if section.is_none() && !vendor.section().trim().is_empty() {
        let ids = config.section_ids();
        let help = closest(vendor.section(), ids.iter().copied())
            .map(|s| format!("did you mean \"{s}\"?"))
            .or_else(|| {
                (!ids.is_empty()).then(|| format!("declared sections: {}", ids.join(", ")))
            });
        out.push(
            Finding::error(
                file,
                map.value_pos(Field::Section),
                "unknown-section",
                format!(
                    "section \"{}\" is not declared in subledger.toml",
                    vendor.section()
                ),
            )
            .with_help(help),
        );
    }
    // Scope-dependent warnings need a known section; an undeclared one is already an error.
    let subprocessor = section.is_some_and(|s| s.scope == Scope::Subprocessor);

    for (i, code) in vendor.locations().iter().enumerate() {
        if !code.trim().is_empty() && !location::is_known(code) && placeholder(code).is_none() {
            out.push(
                Finding::error(
                    file,
                    map.item_pos(Field::Locations, i),
                    "unknown-location",
                    format!("unknown location \"{code}\": use an ISO 3166-1 alpha-2 code or EU, EEA, GLOBAL, CUSTOMER"),
                )
                .with_help(location::suggest(code).map(|s| format!("did you mean \"{s}\" ({})?", location::name(s)))),
            );
        }
    }
    if vendor.get(Field::Locations).is_some() && vendor.locations().is_empty() {
        out.push(Finding::error(
            file,
            map.value_pos(Field::Locations),
            "empty-value",
            "`locations` is empty: say where the data is processed".to_owned(),
        ));
    }

    let mechanisms = vendor.list(Field::TransferMechanisms);
    let outside: Vec<&str> = vendor
        .locations()
        .iter()
        .map(String::as_str)
        .filter(|c| location::is_known(c) && !config.transfer_free(c))
        .collect();
    if subprocessor && !outside.is_empty() && mechanisms.is_empty() {
        out.push(
            Finding::warning(
                file,
                map.value_pos(Field::Locations),
                "no-transfer-mechanism",
                format!(
                    "processing in {} (outside the EEA, no adequacy decision) but no `transfer_mechanisms`",
                    outside.join(", ")
                ),
            )
            .with_help("record how the transfer is covered, e.g. transfer_mechanisms = [\"scc\"] or [\"dpf\"]".to_owned()),
        );
    }
    if mechanisms.iter().any(|m| m == "dpf") && !vendor.locations().iter().any(|c| c == "US") {
        out.push(Finding::warning(
            file,
            map.value_pos(Field::TransferMechanisms),
            "dpf-outside-us",
            "`dpf` (EU-US Data Privacy Framework) covers only processing in the US, and no location is US".to_owned(),
        ));
    }

    match (vendor.engagement(), vendor.text(Field::Feature)) {
        (Engagement::Optional, None) => out.push(
            Finding::error(
                file,
                map.value_pos(Field::Engagement),
                "missing-feature",
                "an optional vendor needs `feature`: what the customer turns on to engage it".to_owned(),
            )
            .with_help("add e.g. feature = \"AI features\"".to_owned()),
        ),
        (Engagement::Core, Some(_)) => out.push(Finding::warning(
            file,
            map.value_pos(Field::Feature),
            "feature-on-core",
            "`feature` is set but the vendor is core (always engaged); set engagement = \"optional\" or remove `feature`".to_owned(),
        )),
        _ => {}
    }

    for field in [Field::Website, Field::SubprocessorListUrl] {
        if let Some(url) = vendor.text(field)
            && !url.trim().is_empty()
            && !is_https_url(url)
        {
            let help = url
                .strip_prefix("http://")
                .map(|rest| format!("use https://{rest}"))
                .or_else(|| (!url.contains(':')).then(|| format!("write https://{url}")));
            out.push(
                Finding::error(
                    file,
                    map.value_pos(field),
                    "bad-url",
                    format!("`{field}` must be an https URL"),
                )
                .with_help(help),
            );
        }
    }
    if let Some(contact) = vendor.text(Field::Contact)
        && !contact.trim().is_empty()
        && !is_email(contact)
        && !is_https_url(contact)
    {
        out.push(Finding::error(
            file,
            map.value_pos(Field::Contact),
            "bad-contact",
            "`contact` must be an email address or an https URL".to_owned(),
        ));
    }

    for field in [Field::PreviousIds, Field::Replaces] {
        for (i, id) in vendor.list(field).iter().enumerate() {
            if *id == vendor.id {
                out.push(Finding::error(
                    file,
                    map.item_pos(field, i),
                    "self-reference",
                    format!("`{field}` names this vendor's own id"),
                ));
            }
        }
    }

    let status = vendor.text(Field::DpaStatus);
    if subprocessor {
        match status {
            None => out.push(
                Finding::warning(
                    file,
                    None,
                    "dpa-unknown",
                    "no [dpa] status recorded for a sub-processor".to_owned(),
                )
                .with_help(
                    "add [dpa] with status = \"signed\", \"pending\", \"none\" or \"not-required\""
                        .to_owned(),
                ),
            ),
            Some("signed") | Some("not-required") => {}
            Some(other) => out.push(Finding::warning(
                file,
                map.value_pos(Field::DpaStatus),
                "dpa-not-signed",
                format!(
                    "the DPA with this sub-processor is \"{other}\", not signed (GDPR Art. 28(4))"
                ),
            )),
        }
    }
    if vendor.date(Field::DpaSigned).is_some() && status.is_some_and(|s| s != "signed") {
        out.push(Finding::warning(
            file,
            map.value_pos(Field::DpaSigned),
            "dpa-signed-date",
            "[dpa] has a `signed` date but its status is not \"signed\"".to_owned(),
        ));
    }

    if subprocessor {
        let missing: Vec<&str> = [Field::LegalAddress, Field::Contact]
            .into_iter()
            .filter(|f| vendor.get(*f).is_none())
            .map(Field::key)
            .collect();
        if !missing.is_empty() {
            out.push(Finding::warning(
                file,
                None,
                "missing-contact-details",
                format!(
                    "no {}: the EDPB expects the name, address and contact person of every sub-processor",
                    missing.join(" or ")
                ),
            ));
        }
    }
    if vendor.get(Field::DataCategories).is_some() && vendor.list(Field::DataCategories).is_empty()
    {
        out.push(Finding::warning(
            file,
            map.value_pos(Field::DataCategories),
            "no-data-categories",
            "`data_categories` is empty: say which personal data the vendor processes".to_owned(),
        ));
    }
    out
}

/// The earliest date a register date can mean: the GDPR is from 2016, and
/// sub-processor lists from after 1990 are what an audit looks at.
const EARLIEST: (i32, time::Month, u8) = (1990, time::Month::January, 1);

/// Why a date in a vendor file cannot be what was meant, if it cannot:
/// before 1990, or more than ten years after `reference`.
pub fn date_out_of_range(date: time::Date, reference: Option<time::Date>) -> Option<String> {
    let earliest = time::Date::from_calendar_date(EARLIEST.0, EARLIEST.1, EARLIEST.2).ok()?;
    if date < earliest {
        return Some("a date before 1990 cannot be part of this register".to_owned());
    }
    let reference = reference?;
    let limit = time::Date::from_calendar_date(
        reference.year().saturating_add(10),
        reference.month(),
        reference.day().min(28),
    )
    .ok()?;
    (date > limit).then(|| {
        format!(
            "more than ten years after {} (the date of the commit read)",
            crate::dates::iso_date(reference)
        )
    })
}

/// Findings only the whole register shows.
pub fn across(register: &Register, maps: &[(String, SourceMap)], dir: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let maps: BTreeMap<&str, &SourceMap> = maps.iter().map(|(id, m)| (id.as_str(), m)).collect();
    let mut claimed: BTreeMap<&str, &str> = BTreeMap::new();
    for vendor in register.vendors.values() {
        let Some(map) = maps.get(vendor.id.as_str()) else {
            continue;
        };
        for (i, old) in vendor.list(Field::PreviousIds).iter().enumerate() {
            if register.vendors.contains_key(old) && *old != vendor.id {
                out.push(
                    Finding::error(
                        &map.file,
                        map.item_pos(Field::PreviousIds, i),
                        "previous-id-live",
                        format!("`previous_ids` names \"{old}\", but {dir}/{old}.toml is still a live vendor file"),
                    )
                    .with_help("a rename removes the old file; if both vendors are real, this is not a rename".to_owned()),
                );
            }
            match claimed.get(old.as_str()) {
                Some(other) if *other != vendor.id => out.push(Finding::error(
                    &map.file,
                    map.item_pos(Field::PreviousIds, i),
                    "duplicate-id",
                    format!("the earlier id \"{old}\" is also claimed by {dir}/{other}.toml; an id names one vendor"),
                )),
                _ => {
                    claimed.insert(old, &vendor.id);
                }
            }
        }
        for (i, old) in vendor.list(Field::Replaces).iter().enumerate() {
            if register.vendors.contains_key(old) && *old != vendor.id {
                out.push(
                    Finding::error(
                        &map.file,
                        map.item_pos(Field::Replaces, i),
                        "replaced-still-live",
                        format!("`replaces` names \"{old}\", but {dir}/{old}.toml is still a live vendor file"),
                    )
                    .with_help(format!("remove {dir}/{old}.toml in the same change, or drop it from `replaces`")),
                );
            }
        }
    }
    out
}

fn empty_value(file: &str, map: &SourceMap, field: Field) -> Finding {
    let message = format!("`{field}` is empty");
    if field.required() {
        Finding::error(file, map.value_pos(field), "empty-value", message)
    } else {
        Finding::warning(file, map.value_pos(field), "empty-value", message)
            .with_help("remove the key, or fill it in".to_owned())
    }
}

fn placeholder_finding(
    file: &str,
    map: &SourceMap,
    field: Field,
    item: Option<usize>,
    text: &str,
    offset: usize,
    what: &str,
) -> Finding {
    Finding::error(
        file,
        map.text_pos(field, item, text, offset),
        "placeholder",
        format!("placeholder text \"{what}\" in `{field}`: customers would read it as published"),
    )
    .with_help("replace it with the real value before publishing".to_owned())
}

fn is_https_url(s: &str) -> bool {
    s.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace))
}

pub(super) fn is_email(s: &str) -> bool {
    let s = s.strip_prefix("mailto:").unwrap_or(s);
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_from_real_pages_are_found() {
        assert_eq!(
            placeholder("Hosting / database (confirm provider & region)"),
            Some((19, "(confirm provider & region)"))
        );
        assert_eq!(
            placeholder("Forge / managed storage (confirm)"),
            Some((24, "(confirm)"))
        );
        assert_eq!(placeholder("Region TBD"), Some((7, "TBD")));
        assert_eq!(placeholder("todo: fill in"), Some((0, "todo")));
        assert_eq!(
            placeholder("Location to be confirmed"),
            Some((9, "to be confirmed"))
        );
        assert_eq!(placeholder("Confirm"), Some((0, "Confirm")));
    }

    #[test]
    fn ordinary_words_are_not_placeholders() {
        for text in [
            "Sends booking confirmation emails",
            "Emails that confirm appointments to patients",
            "Todoist task sync",
            "Stores data (encrypted)",
            "xxx-large files",
        ] {
            assert_eq!(placeholder(text), None, "{text}");
        }
    }

    #[test]
    fn contacts_and_urls() {
        assert!(is_email("privacy@example.com"));
        assert!(is_email("mailto:dpo@example.co.uk"));
        assert!(!is_email("privacy at example.com"));
        assert!(!is_email("a@b"));
        assert!(is_https_url("https://example.com/privacy"));
        assert!(!is_https_url("http://example.com"));
        assert!(!is_https_url("https://"));
    }
}
