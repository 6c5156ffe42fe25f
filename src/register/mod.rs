//! The vendor file format: one TOML file per vendor under the register dir.
//!
//! Loading takes a directory listing ([`Entry`]s, read from the work tree by
//! [`workdir`] or from a git tree by [`crate::history`]) so that the same
//! rules apply to both. Parsing ([`parse`]) is strict and never stops at the
//! first problem; [`validate`] adds the rules that need the config or the
//! other vendors. Problems are [`Finding`]s, never panics or early returns.

mod check;
pub mod config;
pub(crate) mod countries;
pub mod customer;
pub mod entry;
pub mod field;
pub mod finding;
pub mod language;
pub mod location;
pub mod objection;
pub mod parse;
pub mod placeholder;
pub mod rules;
pub mod terms;
pub mod text;
pub mod validate;
pub mod vendor;
pub mod workdir;

pub use field::Field;
pub use finding::{Finding, Pos, Severity};

pub use crate::commit::Revision;
pub use check::{Loaded, Snapshot, check};
pub use entry::{Classified, Entry, EntryKind, Unloadable, classify};
pub use text::{Unprintable, any_unprintable, escape_controls, first_unprintable, unprintable};
pub use vendor::{
    Engagement, MAX_FILE_SIZE, Register, Selection, Value, Vendor, is_valid_id, suggest_id,
};

/// One table-driven test per rule: each case is a register (vendor files
/// over a fixed config) and the rules `check` must report for it, no more.
#[cfg(test)]
mod rule_tests {
    use super::config::Config;
    use super::*;

    const CONFIG: &str = "adequate = [\"GB\"]\n[register]\nname = \"Acme\"\n[[section]]\nid = \"hosting\"\ntitle = \"Hosting\"\n[[section]]\nid = \"info\"\ntitle = \"Info\"\nscope = \"transparency\"\n";
    /// A vendor with nothing to report, in a transparency section.
    const BASE: &str = "name = \"V\"\nsection = \"info\"\npurpose = \"p\"\ndata_categories = [\"d\"]\nlocations = [\"DE\"]\n";
    /// A sub-processor with nothing to report.
    const SUB: &str = "name = \"S\"\nsection = \"hosting\"\npurpose = \"p\"\ndata_categories = [\"d\"]\nlocations = [\"DE\"]\nlegal_address = \"a\"\ncontact = \"a@b.example\"\n[dpa]\nstatus = \"signed\"\n";

    fn file(name: &str, content: &str) -> Entry {
        Entry {
            name: name.to_owned(),
            kind: EntryKind::File,
            size: content.len() as u64,
            content: Some(content.as_bytes().to_vec()),
        }
    }

    fn rules(config: &str, entries: Vec<Entry>) -> Vec<&'static str> {
        let snapshot = Snapshot {
            config: Config::parse(config, "subledger.toml").unwrap(),
            config_text: config.to_owned(),
            config_file: "subledger.toml".to_owned(),
            dir_display: "register".to_owned(),
            entries,
            customers: Vec::new(),
            customers_display: "customers".to_owned(),
            objections: Vec::new(),
            objections_display: "objections".to_owned(),
            revision: None,
            reference: crate::dates::parse_iso_date("2026-06-01"),
        };
        let mut rules: Vec<_> = check(&snapshot).findings.iter().map(|f| f.rule).collect();
        rules.sort_unstable();
        rules.dedup();
        rules
    }

    fn one(content: &str) -> Vec<&'static str> {
        rules(CONFIG, vec![file("v.toml", content)])
    }

    #[test]
    fn clean_files_have_no_findings() {
        assert_eq!(one(BASE), Vec::<&str>::new());
        assert_eq!(one(SUB), Vec::<&str>::new());
    }

    #[test]
    fn each_rule_fires_on_its_case() {
        let with = |extra: &str| format!("{BASE}{extra}");
        let sub = |extra: &str| SUB.replace("[dpa]", &format!("{extra}\n[dpa]"));
        let cases: Vec<(String, &[&str])> = vec![
            ("name = \"x\n".to_owned(), &["toml-syntax"]),
            (with("nmae = \"x\"\n"), &["unknown-key"]),
            ("name = \"V\"\n".to_owned(), &["missing-key"]),
            (with("notes = 3\n"), &["wrong-type"]),
            (with("engagement = \"sometimes\"\n"), &["bad-value"]),
            (with("replaces = [\"Not_An_Id\"]\n"), &["bad-id"]),
            (
                BASE.replace("name = \"V\"", "name = \" \""),
                &["empty-value"],
            ),
            (
                BASE.replace("[\"DE\"]", "[\"DE\", \"DE\"]"),
                &["duplicate-item"],
            ),
            (BASE.replace("\"info\"", "\"hostng\""), &["unknown-section"]),
            (
                BASE.replace("[\"DE\"]", "[\"Deutschland\"]"),
                &["unknown-location"],
            ),
            (
                BASE.replace("purpose = \"p\"", "purpose = \"TODO\""),
                &["placeholder"],
            ),
            (with("engagement = \"optional\"\n"), &["missing-feature"]),
            (with("feature = \"x\"\n"), &["feature-on-core"]),
            (with("website = \"http://x.example\"\n"), &["bad-url"]),
            (with("contact = \"call us\"\n"), &["bad-contact"]),
            (with("previous_ids = [\"v\"]\n"), &["self-reference"]),
            (
                sub("").replace("[\"DE\"]", "[\"US\"]"),
                &["no-transfer-mechanism"],
            ),
            (sub("").replace("[\"DE\"]", "[\"GB\"]"), &[]),
            (
                sub("transfer_mechanisms = [\"dpf\"]").replace("[\"DE\"]", "[\"IN\"]"),
                &["dpf-outside-us"],
            ),
            (
                SUB.replace("\"signed\"", "\"pending\""),
                &["dpa-not-signed"],
            ),
            (
                SUB.replace("\n[dpa]\nstatus = \"signed\"\n", "\n"),
                &["dpa-unknown"],
            ),
            (
                format!("{SUB}signed = 2020-01-01\n").replace("\"signed\"", "\"none\""),
                &["dpa-not-signed", "dpa-signed-date"],
            ),
            (
                SUB.replace("contact = \"a@b.example\"\n", ""),
                &["missing-contact-details"],
            ),
            (BASE.replace("[\"d\"]", "[]"), &["no-data-categories"]),
            (with("effective = 0000-01-01\n"), &["date-out-of-range"]),
            (with("effective = 1989-12-31\n"), &["date-out-of-range"]),
            // Ten years after the commit read (2026-06-01), not a day more.
            (with("effective = 2036-06-01\n"), &[]),
            (with("effective = 2036-06-02\n"), &["date-out-of-range"]),
            (
                format!("{SUB}signed = 9999-12-31\n"),
                &["date-out-of-range"],
            ),
        ];
        for (content, expected) in cases {
            assert_eq!(one(&content), expected.to_vec(), "{content}");
        }
    }

    #[test]
    fn file_level_rules() {
        let mut dir = file("sub", "");
        dir.kind = EntryKind::Dir;
        let mut link = file("l.toml", "");
        link.kind = EntryKind::Symlink;
        let mut other = file("m.toml", "");
        other.kind = EntryKind::Other;
        let huge = Entry {
            content: None,
            size: MAX_FILE_SIZE + 1,
            ..file("huge.toml", "")
        };
        let latin1 = Entry {
            content: Some(b"name = \"\xe9\"".to_vec()),
            ..file("latin.toml", "")
        };
        assert_eq!(rules(CONFIG, vec![dir]), ["directory", "empty-register"]);
        assert_eq!(rules(CONFIG, vec![link]), ["empty-register", "symlink"]);
        assert_eq!(rules(CONFIG, vec![other]), ["empty-register", "not-a-file"]);
        assert_eq!(rules(CONFIG, vec![huge]), ["file-too-large"]);
        assert_eq!(rules(CONFIG, vec![latin1]), ["not-utf8"]);
        assert_eq!(
            rules(CONFIG, vec![file("Bad.toml", BASE)]),
            ["bad-file-name", "empty-register"]
        );
        assert_eq!(
            rules(CONFIG, vec![file("v.toml", BASE), file("zoom.TOML", BASE)]),
            ["bad-file-name"]
        );
        assert_eq!(
            rules(CONFIG, vec![file("v.toml", BASE), file("x.txt", "")]),
            ["stray-file"]
        );
        assert_eq!(
            rules(CONFIG, vec![file("README.md", "x"), file("v.toml", BASE)]),
            Vec::<&str>::new()
        );
        assert_eq!(rules(CONFIG, vec![]), ["empty-register"]);
    }

    #[test]
    fn register_wide_rules() {
        let renamed = format!("{BASE}previous_ids = [\"old\"]\n");
        assert_eq!(
            rules(
                CONFIG,
                vec![file("new.toml", &renamed), file("old.toml", BASE)]
            ),
            ["previous-id-live"]
        );
        assert_eq!(
            rules(
                CONFIG,
                vec![file("a.toml", &renamed), file("b.toml", &renamed)]
            ),
            ["duplicate-id"]
        );
        let replacing = format!("{BASE}replaces = [\"old\"]\n");
        assert_eq!(
            rules(
                CONFIG,
                vec![file("new.toml", &replacing), file("old.toml", BASE)]
            ),
            ["replaced-still-live"]
        );
        assert_eq!(
            rules(CONFIG, vec![file("new.toml", &replacing)]),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn config_rules() {
        let no_sections = "[register]\nname = \"Acme\"\n";
        assert_eq!(
            rules(no_sections, vec![file("v.toml", BASE)]),
            ["no-sections", "unknown-section"]
        );
        let twice = format!("{CONFIG}[[section]]\nid = \"info\"\ntitle = \"Again\"\n");
        assert_eq!(
            rules(&twice, vec![file("v.toml", BASE)]),
            ["duplicate-section"]
        );
        let bad_id = format!("{CONFIG}[[section]]\nid = \"Bad Id\"\ntitle = \"Bad\"\n");
        assert_eq!(
            rules(&bad_id, vec![file("v.toml", BASE)]),
            ["bad-section-id"]
        );
        for period in [
            "[notice]\ndays = 4294967295\n",
            "[notice]\nobjection_days = 3654\n",
            "[notice.profile.big]\ndays = 100000\n",
            // Ten years are 2,609 business days.
            "[notice]\nunit = \"business\"\ndays = 2700\n",
            "[notice]\nunit = \"business\"\n[notice.profile.big]\nobjection_days = 2610\n",
            "[notice.profile.big]\nunit = \"business\"\ndays = 3000\n",
        ] {
            assert_eq!(
                rules(&format!("{CONFIG}{period}"), vec![file("v.toml", BASE)]),
                ["notice-period"],
                "{period}"
            );
        }
        for ten_years in [
            "[notice]\ndays = 3653\n",
            "[notice]\nunit = \"business\"\ndays = 2609\n",
        ] {
            assert_eq!(
                rules(&format!("{CONFIG}{ten_years}"), vec![file("v.toml", BASE)]),
                Vec::<&str>::new(),
                "{ten_years}"
            );
        }
    }
}
