//! The vendor file format: one TOML file per vendor under the register dir.
//!
//! Loading takes a directory listing ([`Entry`]s, read from the work tree by
//! [`workdir`] or from a git tree by [`crate::history`]) so that the same
//! rules apply to both. Parsing ([`parse`]) is strict and never stops at the
//! first problem; [`validate`] adds the rules that need the config or the
//! other vendors. Problems are [`Finding`]s, never panics or early returns.

pub(crate) mod countries;
pub mod field;
pub mod finding;
pub mod location;
pub mod parse;
pub mod validate;
pub mod workdir;

use serde::Serialize;
use serde::ser::SerializeMap;
use std::collections::BTreeMap;

pub use field::Field;
pub use finding::{Finding, Pos, Severity};

use crate::config::Config;
use crate::dates::iso_date;

/// What a character in vendor text is, when it is not ordinary text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unprintable {
    /// A control character a terminal or viewer acts on: C0 (but tab and
    /// newline), DEL, C1; the bidirectional marks, overrides and isolates
    /// that reorder what is shown; and the invisible ones that hide a
    /// difference (zero-width space, word joiner, byte order mark, soft
    /// hyphen, line and paragraph separators, tag characters). Joiners
    /// (U+200C, U+200D) are not: scripts and emoji need them.
    Control,
    /// Not a character at all for XML (and so the feed): U+FFFE, U+FFFF.
    NotXml,
}

/// Classifies one character of text that is shown to people.
pub fn unprintable(c: char) -> Option<Unprintable> {
    match c {
        '\t' | '\n' => None,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{ad}' => Some(Unprintable::Control),
        '\u{61c}' | '\u{200b}' | '\u{200e}' | '\u{200f}' => Some(Unprintable::Control),
        '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' => {
            Some(Unprintable::Control)
        }
        '\u{feff}' | '\u{fff9}'..='\u{fffb}' | '\u{e0000}'..='\u{e007f}' => {
            Some(Unprintable::Control)
        }
        '\u{fffe}' | '\u{ffff}' => Some(Unprintable::NotXml),
        _ => None,
    }
}

/// `text` with every [`unprintable`] character written as `\u{1b}`, so it
/// can be shown on a terminal, in a text file or a page without acting.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| unprintable(c).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    // A Windows line end is a line end.
    for c in text.replace("\r\n", "\n").chars() {
        match unprintable(c) {
            Some(_) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The first character of `text` that is not ordinary text, with its byte
/// offset; a carriage return that ends a line with a newline is ordinary.
pub fn first_unprintable(text: &str) -> Option<(usize, char, Unprintable)> {
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\r' && chars.peek().is_some_and(|(_, next)| *next == '\n') {
            continue;
        }
        if let Some(kind) = unprintable(c) {
            return Some((at, c, kind));
        }
    }
    None
}

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

/// The vendor as JSON: `{"id": ..., "name": ..., ..., "dpa": {...}}`, keys in
/// format order, absent keys left out.
impl Serialize for Vendor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        let mut dpa = BTreeMap::new();
        for (field, value) in self.fields() {
            if field.in_dpa() {
                dpa.insert(&field.key()[4..], value);
            } else {
                map.serialize_entry(field.key(), value)?;
            }
        }
        if !dpa.is_empty() {
            map.serialize_entry("dpa", &dpa)?;
        }
        map.end()
    }
}

/// The register at one point: every vendor that could be loaded, by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Register {
    pub vendors: BTreeMap<String, Vendor>,
}

/// What a directory listing holds at one name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// A git submodule, a socket, a device: anything else.
    Other,
}

/// One name in the register dir, from the work tree or a git tree.
#[derive(Clone, Debug)]
pub struct Entry {
    pub name: String,
    pub kind: EntryKind,
    pub size: u64,
    /// The file's bytes; `None` for non-files and for files over [`MAX_FILE_SIZE`].
    pub content: Option<Vec<u8>>,
}

/// A register read from one place, with everything needed to report on it.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub config: Config,
    pub config_text: String,
    /// How findings name the config file (`subledger.toml`, `main:subledger.toml`).
    pub config_file: String,
    /// How findings name the register dir (`register`, `main:register`).
    pub dir_display: String,
    pub entries: Vec<Entry>,
    /// The commit read from, or `None` for the work tree.
    pub revision: Option<Revision>,
    /// The date dates in the files are checked against ("more than ten
    /// years ahead"): the committer date of that commit, or of HEAD for a
    /// work tree; `None` outside git. Never the clock.
    pub reference: Option<time::Date>,
}

/// A resolved revision.
#[derive(Clone, Debug, Serialize)]
pub struct Revision {
    /// What the user asked for.
    pub spec: String,
    /// The full commit id.
    pub commit: String,
}

/// The outcome of loading a snapshot.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub register: Register,
    /// Every finding, sorted.
    pub findings: Vec<Finding>,
    /// How many vendor files were looked at.
    pub files: usize,
    /// Vendor files that could not be loaded at all (syntax or schema errors), by path.
    pub unloaded: Vec<String>,
}

impl Loaded {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Loads and fully validates a snapshot: every rule, every file.
pub fn check(snapshot: &Snapshot) -> Loaded {
    let mut findings = snapshot
        .config
        .findings(&snapshot.config_text, &snapshot.config_file);
    let mut register = Register::default();
    let mut parsed_files = Vec::new();
    let mut files = 0;
    let mut unloaded = Vec::new();
    for entry in &snapshot.entries {
        let path = format!("{}/{}", snapshot.dir_display, entry.name);
        let Some(id) = vendor_file_id(entry, &path, &mut findings, &mut unloaded) else {
            continue;
        };
        files += 1;
        let Some(bytes) = entry
            .content
            .as_ref()
            .filter(|b| b.len() as u64 <= MAX_FILE_SIZE)
        else {
            unloaded.push(path.clone());
            findings.push(
                Finding::error(
                    &path,
                    None,
                    "file-too-large",
                    format!(
                        "file is {} bytes; vendor files are limited to {MAX_FILE_SIZE} bytes (1 MiB)",
                        entry.size
                    ),
                )
                .with_help("a vendor file is a few hundred bytes; is this the right file?".to_owned()),
            );
            continue;
        };
        let parsed = parse::parse_vendor(&path, id, bytes);
        findings.extend(parsed.findings);
        if let (Some(vendor), Some(map)) = (&parsed.vendor, &parsed.map) {
            let content = validate::vendor(vendor, map, &snapshot.config, snapshot.reference);
            if parsed.loadable {
                findings.extend(content);
            } else {
                // The file cannot be loaded; still report what is wrong with
                // the values it does have, but not gaps its errors explain.
                findings.extend(
                    content
                        .into_iter()
                        .filter(|f| f.severity == Severity::Error),
                );
            }
        }
        match (parsed.loadable, parsed.vendor, parsed.map) {
            (true, Some(vendor), Some(map)) => {
                parsed_files.push((vendor.id.clone(), map));
                register.vendors.insert(vendor.id.clone(), vendor);
            }
            _ => unloaded.push(path),
        }
    }
    if files == 0 {
        findings.push(
            Finding::error(
                &format!("{}/", snapshot.dir_display),
                None,
                "empty-register",
                "the register holds no vendor files".to_owned(),
            )
            .with_help("add one TOML file per vendor; see register/README.md".to_owned()),
        );
    }
    findings.extend(validate::across(
        &register,
        &parsed_files,
        &snapshot.dir_display,
    ));
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Loaded {
        register,
        findings,
        files,
        unloaded,
    }
}

/// What the register dir holds at one name, as the ledger sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Classified<'n> {
    /// `<id>.toml`, a regular file: a vendor.
    Vendor(&'n str),
    /// Not part of the register and harmless: README.md, .gitkeep, and
    /// files that are not `*.toml` (`check` warns about those).
    Ignored,
    /// Something the ledger cannot take: it is named wherever the register
    /// is read (`check` error, `invalid` event, left out of lists).
    Unloadable(Unloadable),
}

/// Why an entry of the register dir cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unloadable {
    /// The `check` rule.
    pub rule: &'static str,
    pub message: String,
    pub help: Option<String>,
    /// The vendor whose file this would be (`<id>.toml` that is not a
    /// regular file), if any.
    pub id: Option<String>,
}

/// Classifies one entry of the register dir by its name and kind: the one
/// rule `check`, the lists and the history walk all apply.
pub fn classify(name: &str, kind: EntryKind) -> Classified<'_> {
    if name == "README.md" || name == ".gitkeep" {
        return Classified::Ignored;
    }
    let id = name.strip_suffix(".toml").filter(|id| is_valid_id(id));
    let unloadable = |rule, message: &str, help: Option<String>| {
        Classified::Unloadable(Unloadable {
            rule,
            message: message.to_owned(),
            help,
            id: id.map(str::to_owned),
        })
    };
    match kind {
        EntryKind::File => {}
        EntryKind::Dir => {
            return unloadable(
                "directory",
                "a directory inside the register dir; vendor files are never nested",
                Some("move its vendor files up into the register dir, or move it out".to_owned()),
            );
        }
        EntryKind::Symlink => {
            return unloadable(
                "symlink",
                "a symbolic link; git history cannot track what it points to",
                Some("replace it with the file itself".to_owned()),
            );
        }
        EntryKind::Other => {
            return unloadable(
                "not-a-file",
                "not a regular file (a submodule, socket or device)",
                None,
            );
        }
    }
    let Some(stem) = name.strip_suffix(".toml") else {
        return Classified::Ignored;
    };
    match id {
        Some(id) => Classified::Vendor(id),
        None => unloadable(
            "bad-file-name",
            &format!(
                "`{stem}` is not a valid vendor id: use 1 to 64 lowercase letters, digits and single hyphens"
            ),
            suggest_id(stem).map(|s| format!("rename it to {s}.toml")),
        ),
    }
}

/// The vendor id of a directory entry, or `None` (with a finding where the
/// entry does not belong, and the path in `unloaded` when the ledger cannot
/// take it) when it is not a vendor file.
fn vendor_file_id<'e>(
    entry: &'e Entry,
    path: &str,
    findings: &mut Vec<Finding>,
    unloaded: &mut Vec<String>,
) -> Option<&'e str> {
    match classify(&entry.name, entry.kind) {
        Classified::Vendor(id) => Some(id),
        Classified::Ignored => {
            if entry.name != "README.md" && entry.name != ".gitkeep" {
                findings.push(
                    Finding::warning(
                        path,
                        None,
                        "stray-file",
                        "not a vendor file: the register dir holds only *.toml vendor files and README.md"
                            .to_owned(),
                    )
                    .with_help("move it out of the register dir".to_owned()),
                );
            }
            None
        }
        Classified::Unloadable(why) => {
            findings.push(Finding::error(path, None, why.rule, why.message).with_help(why.help));
            unloaded.push(path.to_owned());
            None
        }
    }
}

/// A valid id close to `name`: lower case, other characters turned into hyphens.
pub fn suggest_id(name: &str) -> Option<String> {
    let mut id = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    let id: String = id.chars().take(64).collect();
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

/// One table-driven test per rule: each case is a register (vendor files
/// over a fixed config) and the rules `check` must report for it, no more.
#[cfg(test)]
mod rule_tests {
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
        ] {
            assert_eq!(
                rules(&format!("{CONFIG}{period}"), vec![file("v.toml", BASE)]),
                ["notice-period"],
                "{period}"
            );
        }
        let ten_years = format!("{CONFIG}[notice]\ndays = 3653\n");
        assert_eq!(
            rules(&ten_years, vec![file("v.toml", BASE)]),
            Vec::<&str>::new()
        );
    }
}
