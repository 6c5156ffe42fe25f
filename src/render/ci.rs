//! Findings for CI: GitHub workflow commands (pull-request annotations)
//! and SARIF 2.1.0 (code scanning). Both carry the rule, the file and the
//! position where there is one.

use serde_json::{Value, json};
use std::io::{self, Write};

/// One annotation: what `check` and `verify` report, for CI.
pub struct Annotation<'a> {
    /// Path relative to the repository root, or none (a finding about
    /// history rather than a file).
    pub file: Option<&'a str>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub error: bool,
    pub rule: &'a str,
    pub message: &'a str,
    pub help: Option<&'a str>,
}

/// `::error file=F,line=L,col=C,title=RULE::message`, one a finding.
pub fn github(out: &mut dyn Write, annotations: &[Annotation<'_>]) -> io::Result<()> {
    for a in annotations {
        let mut props = Vec::new();
        if let Some(file) = a.file {
            props.push(format!("file={}", property(file)));
        }
        if let Some(line) = a.line {
            props.push(format!("line={line}"));
        }
        if let Some(col) = a.column {
            props.push(format!("col={col}"));
        }
        props.push(format!(
            "title={}",
            property(&format!("subledger: {}", a.rule))
        ));
        let mut message = a.message.to_owned();
        if let Some(help) = a.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(
            out,
            "::{} {}::{}",
            if a.error { "error" } else { "warning" },
            props.join(","),
            data(&message)
        )?;
    }
    Ok(())
}

/// A workflow command's message: `%`, CR and LF escaped, and anything a
/// terminal would act on shown as `\u{…}`.
fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if crate::register::unprintable(c).is_some() => {
                out.push_str(&format!("\\u{{{:04x}}}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out
}

/// A workflow command's property value: also `:` and `,` escaped.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A SARIF 2.1.0 log with one run: `rules` as `(id, description)`, every
/// annotation a result.
pub fn sarif(
    out: &mut dyn Write,
    rules: &[(&str, &str)],
    annotations: &[Annotation<'_>],
) -> io::Result<()> {
    let index = |rule: &str| rules.iter().position(|(r, _)| *r == rule);
    let results: Vec<Value> = annotations
        .iter()
        .map(|a| {
            let mut text = a.message.to_owned();
            if let Some(help) = a.help {
                text.push_str(" (help: ");
                text.push_str(help);
                text.push(')');
            }
            let mut result = json!({
                "ruleId": a.rule,
                "level": if a.error { "error" } else { "warning" },
                "message": { "text": text },
            });
            if let Some(i) = index(a.rule) {
                result["ruleIndex"] = json!(i);
            }
            if let Some(file) = a.file {
                let mut location = json!({
                    "artifactLocation": { "uri": uri(file), "uriBaseId": "%SRCROOT%" }
                });
                if let Some(line) = a.line {
                    let mut region = json!({ "startLine": line });
                    if let Some(col) = a.column {
                        region["startColumn"] = json!(col);
                    }
                    location["region"] = region;
                }
                result["locations"] = json!([{ "physicalLocation": location }]);
            }
            result
        })
        .collect();
    let rules: Vec<Value> = rules
        .iter()
        .map(|(id, text)| {
            json!({
                "id": id,
                "name": id,
                "shortDescription": { "text": text },
                "help": { "text": text },
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "subledger",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "the register repository's root" } } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    super::json(out, &log)
}

/// A relative path as a URI reference: each segment percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn workflow_command_text_is_escaped() {
        assert_eq!(
            super::data("100%\r\nnext\u{1b}[2J"),
            "100%25%0D%0Anext\\u{001b}[2J"
        );
        assert_eq!(super::property("a,b: c%"), "a%2Cb%3A c%25");
        assert_eq!(super::uri("register/a b%.toml"), "register/a%20b%25.toml");
    }
}
