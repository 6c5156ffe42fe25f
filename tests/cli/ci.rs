//! CI formats: GitHub annotations and SARIF for check and verify, the
//! SARIF validated against the published SARIF 2.1.0 schema.

use crate::common::{TestEnv, assert_valid, output_schema, run_in, validator};

const CONFIG: &str = r#"[register]
name = "Acme"

[[section]]
id = "hosting"
title = "Hosting"
scope = "subprocessor"
"#;

/// A register with an unknown key, a wrong type, a missing key and a
/// placeholder.
fn broken() -> TestEnv {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    env.write(
        "register/typo.toml",
        r#"nmae = "Typo, Inc.: 100%"
section = "hosting"
purpose = "TBD: 100%, really"
data_categories = "Emails"
locations = ["DE"]
"#,
    );
    env
}

fn stdout(output: &str) -> &str {
    output.split("[exit status:").next().unwrap()
}

/// Valid under the published SARIF 2.1.0 schema.
fn assert_valid_sarif(text: &str) -> serde_json::Value {
    assert_valid(&validator("tests/fixtures/sarif-schema-2.1.0.json"), text)
}

#[test]
fn check_annotates_pull_requests_in_github_format() {
    let env = broken();
    insta::assert_snapshot!(env.run(&["check", "--format", "github"]), @r#"
    ::error file=register/typo.toml,title=subledger%3A missing-key::missing required key `name` (name as published, e.g. "Google LLC (Google Workspace)")
    ::error file=register/typo.toml,line=1,col=1,title=subledger%3A unknown-key::unknown key `nmae`%0Ahelp: did you mean `name`?
    ::error file=register/typo.toml,line=3,col=12,title=subledger%3A placeholder::placeholder text "TBD" in `purpose`: customers would read it as published%0Ahelp: replace it with the real value before publishing
    ::error file=register/typo.toml,line=4,col=19,title=subledger%3A wrong-type::`data_categories` must be an array of strings, not a string%0Ahelp: put the string in brackets: ["..."]
    [exit status: 1]
    "#);
}

#[test]
fn check_writes_sarif_that_the_published_schema_accepts() {
    let env = broken();
    let output = env.run(&["check", "--format", "sarif"]);
    assert!(output.ends_with("[exit status: 1]\n"), "{output}");
    let log = assert_valid_sarif(stdout(&output));
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), subledger::register::rules::RULES.len());
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let first = &results[1];
    assert_eq!(first["ruleId"], "unknown-key");
    assert_eq!(first["level"], "error");
    assert_eq!(
        first["locations"][0]["physicalLocation"],
        serde_json::json!({
            "artifactLocation": { "uri": "register/typo.toml", "uriBaseId": "%SRCROOT%" },
            "region": { "startLine": 1, "startColumn": 1 }
        })
    );
    let index = first["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "unknown-key");
    assert!(
        rules[index]["help"]["text"]
            .as_str()
            .unwrap()
            .contains("misspellings")
    );

    // A clean register is a valid log with no results.
    env.write(
        "register/typo.toml",
        r#"name = "Typo"
section = "hosting"
purpose = "Hosting"
data_categories = ["Emails"]
locations = ["DE"]
contact = "privacy@typo.example"
legal_address = "1 Main St, Berlin"
[dpa]
status = "not-required"
"#,
    );
    let output = env.run(&["check", "--format", "sarif"]);
    assert!(output.ends_with("[exit status: 0]\n"), "{output}");
    let log = assert_valid_sarif(stdout(&output));
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn verify_speaks_json_github_and_sarif() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    // At a revision, annotations name the path in the checkout, not
    // `REV:path`.
    let at_rev = run_in(
        &dir,
        &["check", "--rev", "HEAD~1", "--format", "github"],
        &[],
    );
    assert!(at_rev.starts_with("::warning file=register/"), "{at_rev}");
    assert!(!at_rev.contains("HEAD~1"), "{at_rev}");
    let sarif = run_in(
        &dir,
        &["check", "--rev", "HEAD~1", "--format", "sarif"],
        &[],
    );
    let log = assert_valid_sarif(stdout(&sarif));
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert!(uri.as_str().unwrap().starts_with("register/"), "{uri}");
    let holds = run_in(&dir, &["verify", "--format", "github"], &[]);
    assert_eq!(holds, "[exit status: 0]\n");
    let json = run_in(&dir, &["verify", "--format", "json"], &[]);
    let value: serde_json::Value = serde_json::from_str(stdout(&json)).unwrap();
    assert_eq!(value["schema"], "subledger.verify/1");
    assert_eq!(value["holds"], true);
    assert_eq!(value["problems"], serde_json::json!([]));

    // Save the notice of the latest release, then move its tag: every
    // format reports it and exits 1.
    let saved = run_in(&dir, &["notice", "--save"], &[]);
    assert!(saved.starts_with("saved reports/"), "{saved}");
    crate::common::git_cli(
        &dir,
        &["tag", "-f", "subprocessors/2026-07-01", "HEAD~3"],
        None,
    );
    let github = run_in(&dir, &["verify", "--format", "github"], &[]);
    assert!(github.ends_with("[exit status: 1]\n"), "{github}");
    assert!(
        github.contains("::error title=subledger%3A history-rewritten::reports/")
            && github.contains("the tag moved")
            && github.contains("a lightweight tag"),
        "{github}"
    );
    let sarif = run_in(&dir, &["verify", "--format", "sarif"], &[]);
    assert!(sarif.ends_with("[exit status: 1]\n"));
    let log = assert_valid_sarif(stdout(&sarif));
    assert!(!log["runs"][0]["results"].as_array().unwrap().is_empty());
    let json = run_in(&dir, &["verify", "--format", "json"], &[]);
    let value: serde_json::Value = serde_json::from_str(stdout(&json)).unwrap();
    assert_eq!(value["holds"], false);
}

#[test]
fn check_and_verify_json_validate_against_their_published_schemas_with_every_key_present() {
    let check = output_schema("check.output.schema.json");
    let env = broken();
    let output = env.run(&["check", "--format", "json"]);
    let value = assert_valid(&check, stdout(&output));
    // A finding without a position or help still has the keys, as null.
    let missing = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "missing-key")
        .unwrap();
    assert_eq!(missing["line"], serde_json::Value::Null);
    assert_eq!(missing["column"], serde_json::Value::Null);
    assert_eq!(missing["help"], serde_json::Value::Null);

    let verify = output_schema("verify.output.schema.json");
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    let output = run_in(&dir, &["check", "--rev", "HEAD~1", "--format", "json"], &[]);
    assert_valid(&check, stdout(&output));
    let output = run_in(&dir, &["verify", "--format", "json"], &[]);
    assert_valid(&verify, stdout(&output));
}

#[test]
fn release_dry_run_json_validates_against_its_schema() {
    let schema = output_schema("release.output.schema.json");
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    let output = run_in(
        &dir,
        &[
            "release",
            "--dry-run",
            "--date",
            "2026-10-01",
            "--format",
            "json",
        ],
        &[],
    );
    assert!(output.ends_with("[exit status: 0]\n"), "{output}");
    let value = assert_valid(&schema, stdout(&output));
    assert_eq!(value["dry_run"], true);
    assert_eq!(value["baseline"], false);
    assert_eq!(value["date"], "2026-10-01");
    assert!(!value["changes"].as_array().unwrap().is_empty(), "{value}");
    // Nothing was tagged.
    let tags = run_in(&dir, &["timeline", "--format", "json"], &[]);
    assert!(!tags.contains("subprocessors/2026-10-01"), "{tags}");
}
