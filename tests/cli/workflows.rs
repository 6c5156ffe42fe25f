//! The documented CI: `action.yml` and the workflows in `docs/ci/`. Each
//! YAML file is parsed, and every `subledger` command line in it is run,
//! job by job, against the demo repository: the pull-request jobs on the
//! demo's branch (one unreleased change), the release jobs on its latest
//! release tag, as a tag pipeline checks it out.

use crate::common::{TestEnv, git_cli};
use serde_yaml_ng::Value;
use std::path::Path;
use std::process::Command;

/// One job's shell: its `subledger` and `export` lines, in order, with the
/// environment its steps set.
struct Job {
    file: &'static str,
    name: String,
    release: bool,
    lines: Vec<String>,
    env: Vec<(String, String)>,
}

fn load(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value:?}"))
}

/// The lines of a script that run subledger, and the exports before them.
fn subledger_lines(script: &str, into: &mut Vec<String>) {
    for line in script.lines().map(str::trim) {
        if line.starts_with("subledger ") || line.starts_with("export SOURCE_DATE_EPOCH=") {
            assert!(
                !line.contains("${{"),
                "not runnable outside Actions: {line}"
            );
            into.push(line.to_owned());
        }
    }
}

/// GitHub steps: their `run` scripts, and their `env` with the action's
/// inputs at their defaults.
fn github_steps(steps: &Value, inputs: &[(String, String)], job: &mut Job) {
    for step in steps.as_sequence().unwrap() {
        let Some(run) = step.get("run") else { continue };
        let before = job.lines.len();
        subledger_lines(text(run), &mut job.lines);
        if job.lines.len() == before {
            continue;
        }
        if let Some(env) = step.get("env").and_then(Value::as_mapping) {
            for (key, value) in env {
                let mut value = text(value).to_owned();
                for (input, default) in inputs {
                    value = value.replace(&format!("${{{{ inputs.{input} }}}}"), default);
                }
                assert!(!value.contains("${{"), "{value}");
                job.env.push((text(key).to_owned(), value));
            }
        }
    }
}

fn jobs() -> Vec<Job> {
    let mut jobs = Vec::new();

    let action = load("action.yml");
    let inputs: Vec<(String, String)> = action["inputs"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| (text(k).to_owned(), text(&v["default"]).to_owned()))
        .collect();
    let mut job = Job {
        file: "action.yml",
        name: "runs (default inputs)".to_owned(),
        release: false,
        lines: Vec::new(),
        env: Vec::new(),
    };
    github_steps(&action["runs"]["steps"], &inputs, &mut job);
    jobs.push(job);

    let github = load("docs/ci/github.yml");
    for (name, spec) in github["jobs"].as_mapping().unwrap() {
        let mut job = Job {
            file: "docs/ci/github.yml",
            name: text(name).to_owned(),
            release: text(&spec["if"]).contains("push"),
            lines: Vec::new(),
            env: Vec::new(),
        };
        let checkout = spec["steps"].as_sequence().unwrap().iter().find(|s| {
            s.get("uses")
                .is_some_and(|u| text(u).starts_with("actions/checkout@"))
        });
        assert_eq!(
            checkout.unwrap()["with"]["fetch-depth"].as_u64(),
            Some(0),
            "{}: the whole history",
            job.name
        );
        github_steps(&spec["steps"], &[], &mut job);
        jobs.push(job);
    }

    let gitlab = load("docs/ci/gitlab-ci.yml");
    assert_eq!(text(&gitlab["variables"]["GIT_DEPTH"]), "0");
    for (name, spec) in gitlab.as_mapping().unwrap() {
        let Some(script) = spec.get("script") else {
            continue;
        };
        let mut job = Job {
            file: "docs/ci/gitlab-ci.yml",
            name: text(name).to_owned(),
            release: format!("{:?}", spec["rules"]).contains("CI_COMMIT_TAG"),
            lines: Vec::new(),
            env: Vec::new(),
        };
        for line in script.as_sequence().unwrap() {
            subledger_lines(text(line), &mut job.lines);
        }
        jobs.push(job);
    }
    jobs
}

#[test]
fn every_subledger_command_in_the_action_and_the_documented_workflows_runs_on_the_demo() {
    let jobs = jobs();
    let listing: String = jobs
        .iter()
        .map(|job| {
            let kind = if job.release {
                "release tag"
            } else {
                "pull request"
            };
            let mut out = format!("{} {} ({kind})\n", job.file, job.name);
            for (key, value) in &job.env {
                out.push_str(&format!("  env {key}={value}\n"));
            }
            for line in &job.lines {
                out.push_str(&format!("  {line}\n"));
            }
            out
        })
        .collect();
    insta::assert_snapshot!(listing, @r#"
    action.yml runs (default inputs) (pull request)
      env SUBLEDGER_COMMAND=check
      env SUBLEDGER_ARGS=--format github
      subledger $SUBLEDGER_COMMAND $SUBLEDGER_ARGS
    docs/ci/github.yml pull-request (pull request)
      subledger check --format github
      export SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"
      subledger notice --work-tree --format markdown > notice.md
    docs/ci/github.yml release (release tag)
      subledger verify --format github
      subledger notice --save
      subledger site --out public
    docs/ci/gitlab-ci.yml check (pull request)
      subledger check
      export SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"
      subledger notice --work-tree --format markdown > notice.md
    docs/ci/gitlab-ci.yml pages (release tag)
      subledger verify
      subledger notice --save
      subledger site --out public
    "#);

    let binary = Path::new(env!("CARGO_BIN_EXE_subledger"));
    for job in &jobs {
        let env = TestEnv::new();
        assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
        let demo = env.root().join("demo");
        if job.release {
            git_cli(&demo, &["checkout", "-q", "subprocessors/2026-07-01"], None);
        }
        let script = format!("set -euo pipefail\n{}\n", job.lines.join("\n"));
        let output = Command::new("bash")
            .args(["-c", &script])
            .current_dir(&demo)
            .env_clear()
            .env(
                "PATH",
                format!(
                    "{}:/usr/local/bin:/usr/bin:/bin",
                    binary.parent().unwrap().display()
                ),
            )
            .env("HOME", env.root())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .envs(job.env.iter().map(|(k, v)| (k, v)))
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{} {}: {said}", job.file, job.name);

        let has = |rel: &str| demo.join(rel).is_file();
        if job.lines.iter().any(|l| l.contains("> notice.md")) {
            let notice = std::fs::read_to_string(demo.join("notice.md")).unwrap();
            assert!(
                notice.contains("DRAFT") && notice.contains("Hotjar"),
                "the draft names the unreleased vendor: {notice}"
            );
        }
        if job.release {
            assert!(has("reports/subprocessors/2026-07-01/notice.md"), "{said}");
            assert!(has("public/index.html") && has("public/feed.xml"), "{said}");
        }
    }
}

#[test]
fn the_readme_ci_snippets_are_valid_and_name_the_action_and_the_hook() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("\n## Use it in CI\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap();
    let blocks: Vec<Value> = section
        .split("```yaml\n")
        .skip(1)
        .map(|block| serde_yaml_ng::from_str(block.split("```").next().unwrap()).unwrap())
        .collect();
    assert_eq!(blocks.len(), 2, "the workflow and the pre-commit config");

    let steps = blocks[0]["jobs"]["check"]["steps"].as_sequence().unwrap();
    assert_eq!(steps[0]["with"]["fetch-depth"].as_u64(), Some(0));
    assert!(text(&steps[1]["uses"]).starts_with("subledger/subledger@"));
    // The action's defaults are the check the comment promises.
    let action = load("action.yml");
    assert_eq!(text(&action["inputs"]["command"]["default"]), "check");
    assert_eq!(
        text(&action["inputs"]["args"]["default"]),
        "--format github"
    );

    let hook = text(&blocks[1]["repos"][0]["hooks"][0]["id"]);
    let hooks = load(".pre-commit-hooks.yaml");
    let defined = &hooks.as_sequence().unwrap()[0];
    assert_eq!(text(&defined["id"]), hook);
    assert_eq!(text(&defined["language"]), "rust");
    assert_eq!(text(&defined["entry"]), "subledger check");
}
