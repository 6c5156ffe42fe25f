//! Findings: problems in the user's register data, reported all at once.
//!
//! A finding is data, not an error: `check` collects every one of them, sorts
//! them by file and position, and only then decides the exit code. Positions
//! are 1-based lines and columns counted in characters, as editors show them.

use serde::Serialize;
use std::fmt;

/// How bad a finding is. Errors fail `check`; warnings fail it only with `--strict`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// One problem, tied to a file and, where it has one, a position in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Path relative to the register repository's root, with `/` separators.
    pub file: String,
    pub pos: Option<Pos>,
    pub severity: Severity,
    /// A stable short name for the rule, e.g. `unknown-key`.
    pub rule: &'static str,
    pub message: String,
    /// What to do about it, e.g. "did you mean `name`?".
    pub help: Option<String>,
}

/// As JSON every key is present, `null` where a finding has no position
/// or help, so that readers need not guess which keys exist.
impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(7))?;
        map.serialize_entry("file", &self.file)?;
        map.serialize_entry("line", &self.pos.map(|p| p.line))?;
        map.serialize_entry("column", &self.pos.map(|p| p.column))?;
        map.serialize_entry("severity", &self.severity)?;
        map.serialize_entry("rule", self.rule)?;
        map.serialize_entry("message", &self.message)?;
        map.serialize_entry("help", &self.help)?;
        map.end()
    }
}

impl Finding {
    pub fn error(file: &str, pos: Option<Pos>, rule: &'static str, message: String) -> Self {
        debug_assert!(
            super::rules::describe(rule).is_some(),
            "rule {rule} is missing from register/rules.rs"
        );
        Finding {
            file: file.to_owned(),
            pos,
            severity: Severity::Error,
            rule,
            message,
            help: None,
        }
    }

    pub fn warning(file: &str, pos: Option<Pos>, rule: &'static str, message: String) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(file, pos, rule, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<Option<String>>) -> Self {
        self.help = help.into();
        self
    }

    /// The order findings are reported in: by file, then position, then rule.
    pub fn sort_key(&self) -> (&str, Option<Pos>, &'static str, &str) {
        (&self.file, self.pos, self.rule, &self.message)
    }
}

/// Turns byte offsets of one text into line and column positions.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The position of byte `offset` in `text` (the text this index was made from).
    pub fn pos(&self, text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        Pos {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }
}

/// The position of the first byte that is not valid UTF-8.
pub fn utf8_error_pos(bytes: &[u8], valid_up_to: usize) -> Pos {
    // The prefix is valid UTF-8 by definition of `valid_up_to`.
    let prefix = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    let index = LineIndex::new(prefix);
    index.pos(prefix, valid_up_to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "a = 1\nnäme = \"x\"\n";
        let index = LineIndex::new(text);
        assert_eq!(index.pos(text, 0), Pos { line: 1, column: 1 });
        assert_eq!(index.pos(text, 6), Pos { line: 2, column: 1 });
        let eq = text.find('=').map(|_| text.rfind('=').unwrap()).unwrap();
        assert_eq!(index.pos(text, eq), Pos { line: 2, column: 6 });
        assert_eq!(index.pos(text, text.len()), Pos { line: 3, column: 1 });
    }

    #[test]
    fn utf8_error_is_located_after_the_valid_prefix() {
        let bytes: &[u8] = &[b"name = \"ok\"\npurpose = \"".as_slice(), &[0xff, b'"']].concat();
        let err = std::str::from_utf8(bytes).unwrap_err();
        assert_eq!(
            utf8_error_pos(bytes, err.valid_up_to()),
            Pos {
                line: 2,
                column: 12
            }
        );
    }
}
