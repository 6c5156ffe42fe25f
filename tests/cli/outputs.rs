//! Every JSON output against its published schema (`schemas/*.output.schema.json`):
//! each on the demo (releases, a draft, a baseline, renames, removals) and
//! on the generated repository (invalid and repaired files, merges). The
//! schemas require every key, so a key left out, or one the schema does
//! not know, fails here.

use crate::common::{TestEnv, assert_valid, generated_repo, git_cli, output_schema, run_in};
use std::path::Path;

/// Runs `args` in `dir` and validates its standard output as `schema`.
fn valid(dir: &Path, schema: &str, args: &[&str], envs: &[(&str, &str)]) -> serde_json::Value {
    let output = run_in(dir, args, envs);
    let (text, status) = output.split_once("[exit status: ").unwrap();
    assert!(status == "0]\n" || status == "1]\n", "{args:?}: {output}");
    let text = text.split("------- stderr -------").next().unwrap();
    assert_valid(
        &output_schema(&format!("{schema}.output.schema.json")),
        text,
    )
}

const DRAFT: &[(&str, &str)] = &[("SOURCE_DATE_EPOCH", "1790000000")];

#[test]
fn every_json_output_of_the_demo_is_valid_under_its_published_schema() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    let list = valid(&dir, "list", &["list", "--format", "json"], &[]);
    // Every vendor has every key: one shape, nulls where a file is silent.
    let shapes: std::collections::BTreeSet<Vec<&String>> = list["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_object().unwrap().keys().collect())
        .collect();
    assert_eq!(shapes.len(), 1, "{shapes:?}");
    valid(
        &dir,
        "list",
        &[
            "list",
            "--at",
            "subprocessors/2025-12-15",
            "--format",
            "json",
        ],
        &[],
    );
    valid(&dir, "timeline", &["timeline", "--format", "json"], &[]);
    valid(
        &dir,
        "timeline",
        &["timeline", "subprocessors/2026-03-01..", "--format", "json"],
        &[],
    );
    for (from, to) in [
        ("subprocessors/2025-12-15", None),
        ("subprocessors/2026-03-01", Some("subprocessors/2026-07-01")),
    ] {
        let mut args = vec!["diff", from];
        args.extend(to);
        args.extend(["--format", "json"]);
        valid(&dir, "diff", &args, &[]);
    }
    for vendor in ["stripe", "gworkspace", "sendgrid", "telnyx", "hotjar"] {
        valid(
            &dir,
            "history",
            &["history", vendor, "--format", "json"],
            &[],
        );
    }
    valid(&dir, "page", &["render", "--format", "json"], &[]);
    valid(
        &dir,
        "page",
        &[
            "render",
            "--at",
            "subprocessors/2025-12-15",
            "--format",
            "json",
        ],
        &[],
    );
    valid(
        &dir,
        "page",
        &["render", "--work-tree", "--format", "json"],
        DRAFT,
    );
    valid(&dir, "feed", &["feed", "--format", "json"], &[]);
    valid(&dir, "notice", &["notice", "--format", "json"], &[]);
    valid(
        &dir,
        "notice",
        &["notice", "--all-profiles", "--format", "json"],
        &[],
    );
    valid(
        &dir,
        "notice",
        &["notice", "--work-tree", "--format", "json"],
        DRAFT,
    );
    // A draft without a date: its `to` has no commit, tree or date.
    valid(
        &dir,
        "notice",
        &["notice", "--work-tree", "--format", "json"],
        &[],
    );
    valid(&dir, "audit", &["audit", "--format", "json"], &[]);
    valid(
        &dir,
        "audit",
        &[
            "audit",
            "--since",
            "2026-01-01",
            "--until",
            "2026-06-30",
            "--format",
            "json",
        ],
        &[],
    );

    // The first release alone: a baseline notice, feed and audit.
    for later in ["subprocessors/2026-03-01", "subprocessors/2026-07-01"] {
        git_cli(&dir, &["tag", "-d", later], None);
    }
    let notice = valid(&dir, "notice", &["notice", "--format", "json"], &[]);
    assert!(notice["baseline"].is_object(), "{notice}");
    valid(&dir, "feed", &["feed", "--format", "json"], &[]);
    valid(&dir, "audit", &["audit", "--format", "json"], &[]);
}

#[test]
fn every_json_output_of_the_generated_repository_is_valid_under_its_published_schema() {
    let env = generated_repo();
    let dir = env.root();
    let timeline = valid(dir, "timeline", &["timeline", "--format", "json"], &[]);
    let kinds: std::collections::BTreeSet<&str> = timeline["commits"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["events"].as_array().unwrap())
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "added",
            "changed",
            "invalid",
            "relocated",
            "removed",
            "renamed",
            "repaired"
        ],
        "every kind of event is checked"
    );
    valid(dir, "list", &["list", "--format", "json"], &[]);
    valid(
        dir,
        "diff",
        &["diff", "register-2023.05", "--format", "json"],
        &[],
    );
    valid(dir, "page", &["render", "--format", "json"], &[]);
    valid(dir, "feed", &["feed", "--format", "json"], &[]);
    valid(dir, "notice", &["notice", "--format", "json"], &[]);
    valid(dir, "audit", &["audit", "--format", "json"], &[]);
}
