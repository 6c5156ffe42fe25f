//! Strict parsing of one vendor file into a [`Vendor`].
//!
//! The file is read as a spanned TOML table and checked key by key against
//! [`Field`], so that every unknown key, wrong type and missing key is
//! reported in one pass, each with its line and column (serde's
//! `deny_unknown_fields` would stop at the first). A file with any such
//! schema error yields no vendor: it "cannot be loaded", and history treats
//! it as invalid rather than as removed.

use super::field::{Field, ValueKind};
use super::finding::{Finding, LineIndex, Pos, utf8_error_pos};
use super::vendor::{Value, Vendor, is_valid_id};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Where each field's value is in the file, for findings about content.
#[derive(Clone, Debug)]
pub struct SourceMap {
    pub file: String,
    text: String,
    index: LineIndex,
    values: [Option<Range<usize>>; Field::COUNT],
    items: [Vec<Range<usize>>; Field::COUNT],
}

impl SourceMap {
    /// The position of a field's value, if the file sets it.
    pub fn value_pos(&self, field: Field) -> Option<Pos> {
        let span = self.values[field.index()].as_ref()?;
        Some(self.index.pos(&self.text, span.start))
    }

    /// The position of item `i` of a list field.
    pub fn item_pos(&self, field: Field, i: usize) -> Option<Pos> {
        match self.items[field.index()].get(i) {
            Some(span) => Some(self.index.pos(&self.text, span.start)),
            None => self.value_pos(field),
        }
    }

    /// The position of byte `offset` inside a string value (item `item` of a
    /// list, or the value itself). Exact for plain one-line strings; the
    /// start of the value otherwise.
    pub fn text_pos(
        &self,
        field: Field,
        item: Option<usize>,
        value: &str,
        offset: usize,
    ) -> Option<Pos> {
        let span = match item {
            Some(i) => self.items[field.index()].get(i),
            None => self.values[field.index()].as_ref(),
        }?;
        let raw = self.text.get(span.clone())?;
        let start = if raw.len() == value.len() + 2 && raw.get(1..raw.len() - 1) == Some(value) {
            span.start + 1 + offset
        } else {
            span.start
        };
        Some(self.index.pos(&self.text, start))
    }
}

/// The outcome of parsing one file.
#[derive(Debug)]
pub struct Parsed {
    /// Whatever values were well-typed; `None` when the text is not TOML.
    /// Content rules report on it even when the file cannot be loaded.
    pub vendor: Option<Vendor>,
    /// Whether the file loads: no syntax or schema error.
    pub loadable: bool,
    /// Positions of values; `None` when the text is not TOML.
    pub map: Option<SourceMap>,
    /// Syntax and schema findings.
    pub findings: Vec<Finding>,
}

impl Parsed {
    /// The vendor, if the file loads.
    pub fn loaded(self) -> Option<Vendor> {
        self.vendor.filter(|_| self.loadable)
    }
}

/// Parses the bytes of `path`, whose id (file stem) is `id`, keeping a
/// source map of where each value is.
pub fn parse_vendor(path: &str, id: &str, bytes: &[u8]) -> Parsed {
    parse(path, id, bytes, true)
}

/// Parses like [`parse_vendor`] without the source map (`map` is `None`):
/// what the history walk needs, for every version of every file.
pub fn parse_vendor_only(path: &str, id: &str, bytes: &[u8]) -> Parsed {
    parse(path, id, bytes, false)
}

fn parse(path: &str, id: &str, bytes: &[u8], keep_map: bool) -> Parsed {
    let mut findings = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            findings.push(
                Finding::error(
                    path,
                    Some(utf8_error_pos(bytes, e.valid_up_to())),
                    "not-utf8",
                    "the file is not UTF-8 text".to_owned(),
                )
                .with_help("save it as UTF-8".to_owned()),
            );
            return Parsed {
                vendor: None,
                loadable: false,
                map: None,
                findings,
            };
        }
    };
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => {
            let pos = e
                .span()
                .map(|span| LineIndex::new(text).pos(text, span.start));
            findings.push(Finding::error(
                path,
                pos,
                "toml-syntax",
                format!("invalid TOML: {}", e.message().trim_end()),
            ));
            return Parsed {
                vendor: None,
                loadable: false,
                map: None,
                findings,
            };
        }
    };
    let mut reader = Reader {
        path,
        text,
        index: std::cell::OnceCell::new(),
        values: std::array::from_fn(|_| None),
        spans: std::array::from_fn(|_| None),
        items: std::array::from_fn(|_| Vec::new()),
        findings,
        schema_ok: true,
    };
    reader.table(root.get_ref(), false);
    for &field in Field::ALL {
        if field.required()
            && reader.values[field.index()].is_none()
            && reader.spans[field.index()].is_none()
        {
            reader.schema_error(
                None,
                "missing-key",
                format!("missing required key `{}` ({})", field.key(), field.doc()),
                None,
            );
        }
    }
    reader
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let values = std::mem::replace(&mut reader.values, std::array::from_fn(|_| None));
    Parsed {
        vendor: Some(Vendor::new(id.to_owned(), values)),
        loadable: reader.schema_ok,
        map: keep_map.then(|| SourceMap {
            file: path.to_owned(),
            text: text.to_owned(),
            index: reader
                .index
                .into_inner()
                .unwrap_or_else(|| LineIndex::new(text)),
            values: reader.spans,
            items: reader.items,
        }),
        findings: reader.findings,
    }
}

struct Reader<'a> {
    path: &'a str,
    text: &'a str,
    /// Made when a finding first needs a position.
    index: std::cell::OnceCell<LineIndex>,
    values: [Option<Value>; Field::COUNT],
    spans: [Option<Range<usize>>; Field::COUNT],
    items: [Vec<Range<usize>>; Field::COUNT],
    findings: Vec<Finding>,
    schema_ok: bool,
}

impl Reader<'_> {
    fn pos(&self, span: Range<usize>) -> Option<Pos> {
        let index = self.index.get_or_init(|| LineIndex::new(self.text));
        Some(index.pos(self.text, span.start))
    }

    fn schema_error(
        &mut self,
        pos: Option<Pos>,
        rule: &'static str,
        message: String,
        help: Option<String>,
    ) {
        self.schema_ok = false;
        self.findings
            .push(Finding::error(self.path, pos, rule, message).with_help(help));
    }

    fn table(&mut self, table: &DeTable<'_>, in_dpa: bool) {
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            let field = if in_dpa {
                Field::in_dpa_table(name)
            } else {
                Field::top_level(name)
            };
            if let Some(field) = field {
                self.value(field, value);
            } else if !in_dpa && name == "dpa" {
                match value.get_ref() {
                    DeValue::Table(dpa) => self.table(dpa, true),
                    _ => self.schema_error(
                        self.pos(value.span()),
                        "wrong-type",
                        "`dpa` must be a table: write `[dpa]` on its own line, then status, signed and reference"
                            .to_owned(),
                        None,
                    ),
                }
            } else {
                let (message, mut help) = unknown_key(name, in_dpa);
                if let DeValue::Array(items) = value.get_ref()
                    && items
                        .iter()
                        .any(|i| matches!(i.get_ref(), DeValue::Table(_)))
                {
                    help = Some(format!(
                        "this file holds an array of tables `[[{name}]]`; a vendor file describes one vendor with top-level keys"
                    ));
                }
                self.schema_error(self.pos(key.span()), "unknown-key", message, help);
            }
        }
    }

    fn value(&mut self, field: Field, value: &Spanned<DeValue<'_>>) {
        let i = field.index();
        self.spans[i] = Some(value.span());
        let parsed = match field.kind() {
            ValueKind::Text => self.string(field, value).map(Value::Text),
            ValueKind::Choice(choices) => self.string(field, value).and_then(|s| {
                self.choice(field, choices, &s, value.span())
                    .then_some(Value::Text(s))
            }),
            ValueKind::TextList | ValueKind::IdList | ValueKind::ChoiceList(_) => {
                self.list(field, value).map(Value::List)
            }
            ValueKind::Date => self.date(field, value).map(Value::Date),
        };
        self.values[i] = parsed;
    }

    fn wrong_type(
        &mut self,
        field: Field,
        span: Range<usize>,
        found: &DeValue<'_>,
        help: Option<String>,
    ) {
        self.schema_error(
            self.pos(span),
            "wrong-type",
            format!(
                "`{}` must be {}, not {}",
                field.key(),
                field.kind().describe(),
                describe(found)
            ),
            help,
        );
    }

    fn string(&mut self, field: Field, value: &Spanned<DeValue<'_>>) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                let help = match other {
                    DeValue::Array(items) if items.len() == 1 => {
                        Some("write the single value without the brackets".to_owned())
                    }
                    _ => None,
                };
                self.wrong_type(field, value.span(), other, help);
                None
            }
        }
    }

    fn choice(&mut self, field: Field, choices: &[&str], s: &str, span: Range<usize>) -> bool {
        if choices.contains(&s) {
            return true;
        }
        let help = closest(s, choices.iter().copied()).map(|c| format!("did you mean \"{c}\"?"));
        self.schema_error(
            self.pos(span),
            "bad-value",
            format!(
                "`{}` cannot be \"{s}\": it must be {}",
                field.key(),
                field.kind().describe()
            ),
            help,
        );
        false
    }

    fn list(&mut self, field: Field, value: &Spanned<DeValue<'_>>) -> Option<Vec<String>> {
        let DeValue::Array(items) = value.get_ref() else {
            let help = matches!(value.get_ref(), DeValue::String(_))
                .then(|| "put the string in brackets: [\"...\"]".to_owned());
            self.wrong_type(field, value.span(), value.get_ref(), help);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            self.items[field.index()].push(item.span());
            match item.get_ref() {
                DeValue::String(s) => {
                    let good = match field.kind() {
                        ValueKind::ChoiceList(choices) => {
                            self.choice(field, choices, s, item.span())
                        }
                        ValueKind::IdList if !is_valid_id(s) => {
                            self.findings.push(Finding::error(
                                self.path,
                                self.pos(item.span()),
                                "bad-id",
                                format!(
                                    "`{s}` in `{}` is not a valid vendor id (lowercase letters, digits and single hyphens)",
                                    field.key()
                                ),
                            ));
                            true
                        }
                        _ => true,
                    };
                    ok &= good;
                    out.push(s.to_string());
                }
                other => {
                    self.schema_error(
                        self.pos(item.span()),
                        "wrong-type",
                        format!(
                            "items of `{}` must be strings, not {}",
                            field.key(),
                            describe(other)
                        ),
                        None,
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn date(&mut self, field: Field, value: &Spanned<DeValue<'_>>) -> Option<time::Date> {
        match value.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                let d = dt.date?;
                let month = time::Month::try_from(d.month).ok()?;
                match time::Date::from_calendar_date(i32::from(d.year), month, d.day) {
                    Ok(date) => Some(date),
                    Err(_) => {
                        self.schema_error(
                            self.pos(value.span()),
                            "bad-value",
                            format!("`{}` is not a real calendar date", field.key()),
                            None,
                        );
                        None
                    }
                }
            }
            DeValue::Datetime(_) => {
                self.schema_error(
                    self.pos(value.span()),
                    "wrong-type",
                    format!(
                        "`{}` must be a date without a time, such as 2026-05-21",
                        field.key()
                    ),
                    None,
                );
                None
            }
            DeValue::String(s) => {
                let help = Some(format!(
                    "write it without quotes: {} = {s}",
                    key_in_table(field)
                ));
                self.wrong_type(field, value.span(), value.get_ref(), help);
                None
            }
            other => {
                self.wrong_type(field, value.span(), other, None);
                None
            }
        }
    }
}

/// The key as written inside its table (`status` rather than `dpa.status`).
fn key_in_table(field: Field) -> &'static str {
    if field.in_dpa() {
        &field.key()[4..]
    } else {
        field.key()
    }
}

fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The message and help for an unknown key.
fn unknown_key(name: &str, in_dpa: bool) -> (String, Option<String>) {
    let table = if in_dpa { " in [dpa]" } else { "" };
    let message = format!("unknown key `{name}`{table}");
    if !in_dpa {
        if name == "id" {
            return (
                message,
                Some("the id is the file name; remove this key".to_owned()),
            );
        }
        if Field::in_dpa_table(name).is_some() {
            return (
                message,
                Some(format!("`{name}` belongs under a [dpa] table")),
            );
        }
    }
    let candidates = Field::ALL
        .iter()
        .filter(|f| f.in_dpa() == in_dpa)
        .map(|&f| key_in_table(f))
        .chain((!in_dpa).then_some("dpa"));
    let help = closest(name, candidates).map(|k| format!("did you mean `{k}`?"));
    (message, help)
}

/// The candidate closest to `input`, if it is close enough to be a likely typo.
pub fn closest<'c>(input: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let lower = input.to_lowercase().replace([' ', '-'], "_");
    candidates
        .map(|c| {
            let normalised = c.replace('-', "_");
            (strsim::jaro_winkler(&lower, &normalised), c)
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(text: &str) -> Vec<String> {
        parse_vendor("register/x.toml", "x", text.as_bytes())
            .findings
            .iter()
            .map(|f| {
                let pos = f
                    .pos
                    .map_or(String::new(), |p| format!("{}:{} ", p.line, p.column));
                let help = f
                    .help
                    .as_deref()
                    .map_or(String::new(), |h| format!(" ({h})"));
                format!("{pos}{} {}{help}", f.rule, f.message)
            })
            .collect()
    }

    const MINIMAL: &str = "name = \"X\"\nsection = \"s\"\npurpose = \"p\"\ndata_categories = [\"a\"]\nlocations = [\"US\"]\n";

    #[test]
    fn minimal_file_loads() {
        let parsed = parse_vendor("register/x.toml", "x", MINIMAL.as_bytes());
        assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
        let vendor = parsed.loaded().unwrap();
        assert_eq!(vendor.name(), "X");
        assert_eq!(vendor.locations(), ["US"]);
        assert_eq!(vendor.engagement(), super::super::Engagement::Core);
    }

    #[test]
    fn unknown_keys_suggest_the_right_one() {
        let text = format!(
            "{MINIMAL}nmae = \"Y\"\nstatus = \"signed\"\nid = \"x\"\n[dpa]\nsinged = 2020-01-01\n"
        );
        assert_eq!(
            findings(&text),
            [
                "6:1 unknown-key unknown key `nmae` (did you mean `name`?)",
                "7:1 unknown-key unknown key `status` (`status` belongs under a [dpa] table)",
                "8:1 unknown-key unknown key `id` (the id is the file name; remove this key)",
                "10:1 unknown-key unknown key `singed` in [dpa] (did you mean `signed`?)",
            ]
        );
    }

    #[test]
    fn missing_keys_are_all_reported_and_the_vendor_is_not_loaded() {
        let parsed = parse_vendor("register/x.toml", "x", b"name = \"X\"\n");
        assert!(!parsed.loadable);
        let rules: Vec<_> = parsed.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(rules.len(), 4, "{rules:?}");
        assert!(rules[0].starts_with("missing required key `data_categories`"));
        assert!(rules[3].starts_with("missing required key `section`"));
    }

    #[test]
    fn wrong_types_name_the_expected_type() {
        let text = "name = 3\nsection = \"s\"\npurpose = [\"p\"]\ndata_categories = \"a\"\nlocations = [\"US\", 1]\neffective = \"2026-01-01\"\nengagement = \"Optional\"\ntransfer_mechanisms = [\"SCC\"]\n";
        assert_eq!(
            findings(text),
            [
                "1:8 wrong-type `name` must be a string, not an integer",
                "3:11 wrong-type `purpose` must be a string, not an array (write the single value without the brackets)",
                "4:19 wrong-type `data_categories` must be an array of strings, not a string (put the string in brackets: [\"...\"])",
                "5:20 wrong-type items of `locations` must be strings, not an integer",
                "6:13 wrong-type `effective` must be a date such as 2026-05-21 (no quotes), not a string (write it without quotes: effective = 2026-01-01)",
                "7:14 bad-value `engagement` cannot be \"Optional\": it must be one of \"core\", \"optional\" (did you mean \"optional\"?)",
                "8:24 bad-value `transfer_mechanisms` cannot be \"SCC\": it must be an array of \"adequacy\", \"dpf\", \"scc\", \"uk-idta\", \"uk-addendum\", \"bcr\" (did you mean \"scc\"?)",
            ]
        );
    }

    #[test]
    fn syntax_errors_and_encoding() {
        assert_eq!(
            findings("name = \"unterminated\n"),
            ["1:21 toml-syntax invalid TOML: invalid basic string, expected `\"`"]
        );
        assert_eq!(findings("name = \"a\"\nname = \"b\"\n").len(), 1);
        assert_eq!(
            findings("name = \"a\"\npurpose = \"caf\u{e9}\"\n\u{0}").len(),
            1
        );
        let latin1 = b"name = \"Caf\xe9\"\n";
        assert_eq!(
            parse_vendor("register/x.toml", "x", latin1).findings[0].pos,
            Some(Pos {
                line: 1,
                column: 12
            })
        );
    }

    #[test]
    fn dates_must_be_plain_dates() {
        let text = format!("{MINIMAL}effective = 2026-01-01T10:00:00Z\n");
        assert_eq!(
            findings(&text),
            ["6:13 wrong-type `effective` must be a date without a time, such as 2026-05-21"]
        );
        let text = format!("{MINIMAL}effective = 2026-02-30\n");
        assert_eq!(findings(&text).len(), 1);
        let text = format!("{MINIMAL}[dpa]\nstatus = \"signed\"\nsigned = 2024-02-29\n");
        let vendor = parse_vendor("register/x.toml", "x", text.as_bytes())
            .loaded()
            .unwrap();
        assert_eq!(
            vendor.date(Field::DpaSigned).map(crate::dates::iso_date),
            Some("2024-02-29".to_owned())
        );
    }

    #[test]
    fn an_array_of_tables_file_gets_a_hint() {
        let found = findings("[[vendors]]\nname = \"X\"\n");
        assert_eq!(
            found.last().unwrap(),
            "1:3 unknown-key unknown key `vendors` (this file holds an array of tables `[[vendors]]`; a vendor file describes one vendor with top-level keys)"
        );
    }
}
