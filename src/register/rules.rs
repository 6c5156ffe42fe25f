//! Every rule `check` reports, with one line of help: what SARIF and
//! `--format github` show as a rule's description. A finding under a rule
//! that is not listed here fails in debug builds, so the table cannot fall
//! behind the checks.

/// `(rule, what it checks)`, sorted by rule.
pub const RULES: &[(&str, &str)] = &[
    (
        "bad-contact",
        "A contact is an e-mail address or an https URL",
    ),
    (
        "bad-customer-id",
        "A customer file's name is a lowercase id: letters, digits and hyphens",
    ),
    ("bad-email", "An e-mail address is well formed"),
    (
        "bad-file-name",
        "A vendor file's name is a lowercase id ending in .toml",
    ),
    ("bad-id", "An id names a vendor with a lowercase id"),
    (
        "bad-section-id",
        "A section id is lowercase letters, digits and hyphens",
    ),
    (
        "bad-time-zone",
        "A time zone is an IANA name such as Europe/Berlin",
    ),
    ("bad-url", "A URL is an absolute https URL"),
    ("bad-value", "A value is one of the values the key allows"),
    (
        "control-character",
        "Published text holds no control characters",
    ),
    ("customer-name", "A customer has a name"),
    (
        "customer-not-a-file",
        "Everything under customers/ is a regular file",
    ),
    (
        "customer-syntax",
        "A customer file is valid TOML with only the customer keys",
    ),
    (
        "date-out-of-range",
        "A date is a real day within a plausible range",
    ),
    (
        "delivery",
        "[delivery] names a mail server and sender send can use, when customers have addresses",
    ),
    (
        "directory",
        "register/ holds no directories: vendor files are never nested",
    ),
    (
        "dpa-not-signed",
        "A sub-processor's data processing agreement is signed",
    ),
    (
        "dpa-signed-date",
        "A signed DPA records the day it was signed",
    ),
    (
        "dpa-unknown",
        "A sub-processor records the status of its DPA",
    ),
    (
        "dpf-outside-us",
        "The EU-U.S. Data Privacy Framework is named only for US processing",
    ),
    (
        "duplicate-address",
        "No e-mail address belongs to two customers",
    ),
    (
        "duplicate-id",
        "No vendor id is used twice (file names and previous_ids)",
    ),
    ("duplicate-item", "No array lists the same item twice"),
    ("duplicate-section", "No section is declared twice"),
    ("empty-register", "The register lists at least one vendor"),
    ("empty-value", "A value is not empty"),
    (
        "feature-on-core",
        "Only optional vendors name the feature that engages them",
    ),
    (
        "file-too-large",
        "A file is small enough to be a register file",
    ),
    (
        "invalid-character",
        "Text is valid Unicode without invisible or bidirectional controls",
    ),
    (
        "missing-contact-details",
        "A sub-processor has a legal address or contact, as the EDPB expects",
    ),
    (
        "missing-feature",
        "An optional vendor names the feature a customer turns on",
    ),
    ("missing-key", "A required key is present"),
    (
        "no-data-categories",
        "A sub-processor lists the personal data it processes",
    ),
    (
        "no-email",
        "A customer has at least one address for notices",
    ),
    (
        "no-sections",
        "subledger.toml declares at least one section",
    ),
    (
        "no-transfer-mechanism",
        "Processing outside the EEA names a transfer mechanism",
    ),
    ("not-a-file", "Everything under register/ is a regular file"),
    ("not-utf8", "A file is UTF-8 text"),
    (
        "notice-period",
        "A notice period is a sensible number of days",
    ),
    ("objection-date", "An objection's dates are in order"),
    (
        "objection-outcome",
        "An objection's outcome is one the format knows",
    ),
    (
        "objection-syntax",
        "An objection file is valid TOML with only the objection keys",
    ),
    (
        "objection-vendor",
        "An objection names a vendor of the register",
    ),
    (
        "placeholder",
        "Published text holds no placeholder such as TBD",
    ),
    (
        "previous-id-live",
        "A previous id is not also a live vendor file",
    ),
    (
        "replaced-still-live",
        "A vendor that is replaced is no longer listed",
    ),
    (
        "self-reference",
        "A vendor does not replace or succeed itself",
    ),
    (
        "stray-file",
        "register/ holds only vendor files and README.md",
    ),
    (
        "symlink",
        "register/ holds no symbolic links: they are reported, never followed",
    ),
    ("toml-syntax", "A file is valid TOML"),
    (
        "unknown-customer",
        "An objection names a customer that has a file",
    ),
    (
        "unknown-key",
        "Only the format's keys are used (misspellings are suggested)",
    ),
    (
        "unknown-language",
        "A customer's language is one subledger writes notices in (en, de, fr)",
    ),
    (
        "unknown-location",
        "A location is an ISO 3166-1 alpha-2 code or EU, EEA, GLOBAL, CUSTOMER",
    ),
    (
        "unknown-profile",
        "A notice profile that is named is declared",
    ),
    (
        "unknown-section",
        "A vendor's section is declared in subledger.toml",
    ),
    ("webhook-not-https", "A customer's webhook is an https URL"),
    ("wrong-type", "A value has the type its key takes"),
];

/// The help line of a rule.
pub fn describe(rule: &str) -> Option<&'static str> {
    RULES
        .binary_search_by(|(r, _)| r.cmp(&rule))
        .ok()
        .map(|i| RULES[i].1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rules_are_sorted_and_unique() {
        for pair in super::RULES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{:?} before {:?}", pair[0], pair[1]);
        }
    }
}
