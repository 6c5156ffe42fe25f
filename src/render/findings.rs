//! `check` output: findings one per line, compiler style, or as JSON.
//!
//! The text form is `file:line:column: severity: message [rule]` so that
//! editors and CI annotate the right line, followed by an indented `help:`
//! line where there is a suggestion, and one summary line.

use super::Style;
use crate::register::{Loaded, Revision, Severity};
use serde_json::json;
use std::io::{self, Write};

/// Writes findings and a summary line for people.
pub fn text(
    out: &mut dyn Write,
    loaded: &Loaded,
    revision: Option<&Revision>,
    style: Style,
) -> io::Result<()> {
    for f in &loaded.findings {
        let file = super::shown(&f.file);
        let location = match f.pos {
            Some(p) => format!("{file}:{}:{}", p.line, p.column),
            None => file.into_owned(),
        };
        let severity = match f.severity {
            Severity::Error => style.paint("1;31", "error"),
            Severity::Warning => style.paint("1;33", "warning"),
        };
        writeln!(
            out,
            "{}: {severity}: {} [{}]",
            style.paint("1", &location),
            super::shown(&f.message),
            f.rule
        )?;
        if let Some(help) = &f.help {
            writeln!(
                out,
                "  {}: {}",
                style.paint("1;36", "help"),
                super::shown(help)
            )?;
        }
    }
    let errors = loaded.count(Severity::Error);
    let warnings = loaded.count(Severity::Warning);
    let at = revision.map_or(String::new(), |r| {
        format!(" at {} ({})", super::shown(&r.spec), &r.commit[..12])
    });
    let mut files = plural(loaded.files, "vendor file", "vendor files");
    if loaded.customer_files > 0 {
        files.push_str(&format!(
            " and {}",
            plural(loaded.customer_files, "customer file", "customer files")
        ));
    }
    let verdict = if errors + warnings == 0 {
        "no problems found".to_owned()
    } else {
        format!(
            "{}, {}",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings")
        )
    };
    writeln!(out, "checked {files}{at}: {verdict}")
}

/// Writes findings as versioned JSON (`subledger.check/1`).
pub fn json(out: &mut dyn Write, loaded: &Loaded, revision: Option<&Revision>) -> io::Result<()> {
    let value = json!({
        "schema": "subledger.check/1",
        "revision": revision,
        "files": loaded.files,
        "errors": loaded.count(Severity::Error),
        "warnings": loaded.count(Severity::Warning),
        "findings": loaded.findings,
    });
    super::json(out, &value)
}

/// "1 error", "2 errors", "no errors".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        _ => format!("{n} {many}"),
    }
}

/// Findings as CI annotations. With `--rev` a finding's file is shown as
/// `REV:path`; CI annotates the path in the checkout, so the prefix goes.
fn annotations<'a>(
    loaded: &'a Loaded,
    revision: Option<&Revision>,
) -> Vec<super::ci::Annotation<'a>> {
    let prefix = revision.map(|r| format!("{}:", r.spec));
    loaded
        .findings
        .iter()
        .map(|f| super::ci::Annotation {
            file: Some(
                prefix
                    .as_deref()
                    .and_then(|p| f.file.strip_prefix(p))
                    .unwrap_or(&f.file),
            ),
            line: f.pos.map(|p| p.line),
            column: f.pos.map(|p| p.column),
            error: f.severity == Severity::Error,
            rule: f.rule,
            message: &f.message,
            help: f.help.as_deref(),
        })
        .collect()
}

/// Writes findings as GitHub workflow commands: one annotation each on the
/// pull request's files.
pub fn github(out: &mut dyn Write, loaded: &Loaded, revision: Option<&Revision>) -> io::Result<()> {
    super::ci::github(out, &annotations(loaded, revision))
}

/// Writes findings as a SARIF 2.1.0 log, every check rule described.
pub fn sarif(out: &mut dyn Write, loaded: &Loaded, revision: Option<&Revision>) -> io::Result<()> {
    super::ci::sarif(
        out,
        crate::register::rules::RULES,
        &annotations(loaded, revision),
    )
}
