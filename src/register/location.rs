//! Location codes: ISO 3166-1 alpha-2 countries plus the region words real
//! pages use (`EU`, `EEA`, `GLOBAL`, `CUSTOMER`).
//!
//! Codes are what the register stores (they diff and filter exactly); names
//! are what people read. Unknown codes get a suggestion from the alpha-3
//! code, the country's name or a common alias, because "USA" and "UK" are
//! what people type.

use super::countries::COUNTRIES;

/// Region words accepted beside country codes, with their display names.
pub const REGIONS: &[(&str, &str)] = &[
    ("EU", "European Union"),
    ("EEA", "European Economic Area"),
    ("GLOBAL", "Global"),
    ("CUSTOMER", "Customer-selected region"),
];

/// The 27 EU member states plus Iceland, Liechtenstein and Norway.
pub const EEA: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS",
    "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Countries with an EU adequacy decision, the default of `adequate` in
/// `subledger.toml` (the US counts only for DPF-certified organisations, so
/// it is not here: use the `dpf` transfer mechanism).
pub const DEFAULT_ADEQUATE: &[&str] = &[
    "AD", "AR", "CA", "CH", "FO", "GB", "GG", "IL", "IM", "JE", "JP", "KR", "NZ", "UY",
];

/// Whether `code` is a known location code (exact, upper case).
pub fn is_known(code: &str) -> bool {
    REGIONS.iter().any(|(c, _)| *c == code) || country(code).is_some()
}

/// The location code `input` stands for: itself when known, else what it
/// is commonly written for ("UK" is GB, "usa" US); `None` when neither.
pub fn code_for(input: &str) -> Option<&str> {
    if is_known(input) {
        Some(input)
    } else {
        suggest(input)
    }
}

fn country(code: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    COUNTRIES
        .binary_search_by(|(alpha2, _, _)| (*alpha2).cmp(code))
        .ok()
        .map(|i| &COUNTRIES[i])
}

/// The display name of a code: "United States" for `US`. Unknown codes are
/// returned as they are.
pub fn name(code: &str) -> &str {
    if let Some((_, name)) = REGIONS.iter().find(|(c, _)| *c == code) {
        return name;
    }
    country(code).map_or(code, |(_, _, name)| name)
}

/// The name of a code in `language`: the ISO 3166 short name as Debian's
/// iso-codes translates it, or the region's.
pub fn name_in(code: &str, language: super::language::Language) -> &str {
    use super::language::Language;
    let region = |de: &'static str, fr: &'static str| match language {
        Language::De => de,
        Language::Fr => fr,
        Language::En => "",
    };
    let translated = match (language, code) {
        (Language::En, _) => None,
        (_, "EU") => Some(region("Europäische Union", "Union européenne")),
        (_, "EEA") => Some(region(
            "Europäischer Wirtschaftsraum",
            "Espace économique européen",
        )),
        (_, "GLOBAL") => Some(region("Weltweit", "Monde entier")),
        (_, "CUSTOMER") => Some(region(
            "Vom Kunden gewählte Region",
            "Région choisie par le client",
        )),
        (_, code) => super::countries::TRANSLATED
            .binary_search_by(|(c, _, _)| (*c).cmp(code))
            .ok()
            .map(|i| {
                let (_, de, fr) = super::countries::TRANSLATED[i];
                if language == Language::De { de } else { fr }
            }),
    };
    translated.unwrap_or_else(|| name(code))
}

/// The code of a country or region given by its name ("Germany", "Malta"),
/// ignoring case.
pub fn code_of_name(name: &str) -> Option<&'static str> {
    let name = name.trim();
    REGIONS
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(name))
        .map(|(c, _)| *c)
        .or_else(|| {
            COUNTRIES
                .iter()
                .find(|(_, _, n)| n.eq_ignore_ascii_case(name))
                .map(|(c, _, _)| *c)
        })
}

/// Whether processing in `code` stays inside the EEA.
pub fn in_eea(code: &str) -> bool {
    matches!(code, "EU" | "EEA") || EEA.contains(&code)
}

/// A known code for what the user probably meant by `input`.
pub fn suggest(input: &str) -> Option<&'static str> {
    let trimmed = input.trim();
    let upper = trimmed.to_ascii_uppercase();
    let compact: String = upper
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    const ALIASES: &[(&str, &str)] = &[
        ("UK", "GB"),
        ("GREATBRITAIN", "GB"),
        ("ENGLAND", "GB"),
        ("US", "US"),
        ("USA", "US"),
        ("UNITEDSTATESOFAMERICA", "US"),
        ("AMERICA", "US"),
        ("EUROPE", "EU"),
        ("EUROPEANUNION", "EU"),
        ("EUROPEANECONOMICAREA", "EEA"),
        ("WORLDWIDE", "GLOBAL"),
        ("WORLD", "GLOBAL"),
        ("CUSTOMERLOCATION", "CUSTOMER"),
        ("CUSTOMERREGION", "CUSTOMER"),
        ("KOREA", "KR"),
        ("SOUTHKOREA", "KR"),
    ];
    if let Some((_, code)) = ALIASES.iter().find(|(alias, _)| *alias == compact) {
        return Some(code);
    }
    if let Some((code, _)) = REGIONS.iter().find(|(c, _)| *c == upper) {
        return Some(code);
    }
    if let Some((alpha2, _, _)) = country(&upper) {
        return Some(alpha2);
    }
    COUNTRIES.iter().find_map(|(alpha2, alpha3, name)| {
        let name_compact: String = name
            .to_ascii_uppercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        (*alpha3 == upper || name_compact == compact).then_some(*alpha2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_and_names() {
        assert!(is_known("US"));
        assert!(is_known("GLOBAL"));
        assert!(!is_known("us"));
        assert!(!is_known("USA"));
        assert_eq!(name("US"), "United States");
        assert_eq!(name("KR"), "South Korea");
        assert_eq!(name("CUSTOMER"), "Customer-selected region");
        assert_eq!(name("XX"), "XX");
    }

    #[test]
    fn suggestions_cover_what_people_type() {
        assert_eq!(suggest("USA"), Some("US"));
        assert_eq!(suggest("UK"), Some("GB"));
        assert_eq!(suggest("us"), Some("US"));
        assert_eq!(suggest("Germany"), Some("DE"));
        assert_eq!(suggest("United States"), Some("US"));
        assert_eq!(suggest("DEU"), Some("DE"));
        assert_eq!(suggest("eu"), Some("EU"));
        assert_eq!(suggest("Customer location"), Some("CUSTOMER"));
        assert_eq!(suggest("Narnia"), None);
    }

    #[test]
    fn eea_membership() {
        assert_eq!(EEA.len(), 30);
        assert!(in_eea("NO"));
        assert!(in_eea("EU"));
        assert!(!in_eea("CH"));
        assert!(!in_eea("GLOBAL"));
    }
}

/// A location as customers read it: its code and its name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Place {
    pub code: String,
    pub name: String,
}

impl Place {
    pub fn of(code: &str) -> Place {
        Place {
            code: code.to_owned(),
            name: name(code).to_owned(),
        }
    }
}
