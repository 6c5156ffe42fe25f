//! Shallow clones, as CI checks out: every answer is the one the full clone
//! gives, or a refusal (exit 2) that names where history is cut. Never a
//! different answer with exit 0.

use crate::common::{TestEnv, generated_repo, run_in};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The commands whose answers leave the building, and the timeline.
const ANSWERS: [&[&str]; 4] = [
    &["notice", "--format", "json"],
    &["render", "--format", "json"],
    &["audit", "--format", "json"],
    &["feed"],
];

fn json_of(output: &str) -> Value {
    let stdout = output.split("[exit status").next().unwrap();
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {output}"))
}

/// `git clone --depth DEPTH [--branch BRANCH] file://SOURCE TARGET`; depth
/// 0 is the whole history of that one branch (`--single-branch`), with the
/// tags in it, as a complete clone of the same checkout has them.
fn clone(source: &Path, target: &Path, depth: usize, branch: Option<&str>) {
    let mut command = Command::new("git");
    let depth_args = match depth {
        0 => vec!["--single-branch".to_owned()],
        _ => vec!["--depth".to_owned(), depth.to_string()],
    };
    command
        .args(["-c", "advice.detachedHead=false", "clone", "-q"])
        .args(&depth_args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    if let Some(branch) = branch {
        command.args(["--branch", branch]);
    }
    let status = command
        .arg(format!("file://{}", source.display()))
        .arg(target)
        .status()
        .unwrap();
    assert!(status.success(), "git clone --depth {depth}");
}

/// The depths to try: every one from 1 to 150 with
/// `SUBLEDGER_SHALLOW_SWEEP=all` (scripts/shallow-sweep.sh), else a sample
/// that includes the cuts just below and above merges.
fn depths() -> Vec<usize> {
    if std::env::var("SUBLEDGER_SHALLOW_SWEEP").as_deref() == Ok("all") {
        return (1..=150).collect();
    }
    vec![
        1, 2, 3, 4, 5, 7, 9, 12, 15, 18, 22, 27, 33, 40, 48, 57, 67, 78, 90, 103, 117, 132, 150,
    ]
}

/// Checks one shallow clone against the full clone's answers; returns,
/// per command, whether it answered (rather than refused).
fn check_clone(
    full: &TestEnv,
    answers: &[String],
    dir: &Path,
    what: &str,
    timelines: &mut std::collections::HashMap<String, Value>,
) -> Vec<bool> {
    // The timeline works from the cut and says where it is.
    let output = run_in(dir, &["timeline", "--format", "json"], &[]);
    assert!(output.ends_with("[exit status: 0]\n"), "{what}: {output}");
    let timeline = json_of(&output);
    let cut = timeline["history_cut"]["commit"]
        .as_str()
        .unwrap_or_else(|| panic!("{what}: no history_cut in {output}"))
        .to_owned();
    // Its events are the full clone's after the cut, except that a
    // merged branch the clone cuts has an unknown origin, said so.
    let tip = timeline["tip"].as_str().unwrap();
    let range = format!("{cut}..{tip}");
    let expected = timelines
        .entry(range.clone())
        .or_insert_with(|| json_of(&full.run(&["timeline", &range, "--format", "json"])));
    let ours = timeline["commits"].as_array().unwrap();
    let theirs = expected["commits"].as_array().unwrap();
    assert_eq!(ours.len(), theirs.len(), "{what}: commits after the cut");
    for (a, b) in ours.iter().zip(theirs) {
        let (mut a, mut b) = (a.clone(), b.clone());
        // A file broken at the cut that loads again: its earlier versions
        // are below the cut, so the clone says so instead of the changes.
        let unknown: Vec<Value> = a["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| !e["history_cut"].is_null())
            .map(|e| e["id"].clone())
            .collect();
        for e in a["events"].as_array_mut().unwrap() {
            if !e["history_cut"].is_null() {
                assert_eq!(e["kind"], "repaired", "{what}: {e}");
                assert_eq!(e["history_cut"], cut.as_str(), "{what}: {e}");
                let e = e.as_object_mut().unwrap();
                e.insert("history_cut".into(), Value::Null);
                e.insert("vendor".into(), Value::Null);
            }
        }
        b["events"]
            .as_array_mut()
            .unwrap()
            .retain(|e| !unknown.contains(&e["id"]) || e["kind"] == "repaired");
        for (x, y) in a["events"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .zip(b["events"].as_array_mut().unwrap().iter_mut())
        {
            if !x["authored_in_cut"].is_null() {
                assert!(x["authored_in"].is_null(), "{what}: {x}");
                assert!(
                    y["authored_in"].is_string(),
                    "{what}: {y} has no origin to be unknown"
                );
                x["authored_in_cut"] = Value::Null;
                y["authored_in"] = Value::Null;
            }
        }
        assert_eq!(a, b, "{what}: commit {}", a["commit"]);
    }
    let short = &cut[..10];
    let mut answered = Vec::new();
    for (args, full_answer) in ANSWERS.iter().zip(answers) {
        let got = run_in(dir, args, &[]);
        if &got == full_answer {
            answered.push(true);
            continue;
        }
        assert!(
            got.ends_with("[exit status: 2]\n")
                && got.contains(&format!("this clone's history is cut at {short} ("))
                && got.contains("git fetch --unshallow"),
            "{what}: subledger {}: neither the full clone's answer nor a refusal naming the cut:\n{got}",
            args.join(" ")
        );
        answered.push(false);
    }
    answered
}

#[test]
fn every_depth_gives_the_full_answer_or_refuses_naming_the_cut() {
    // A generated repository with merges (30 in 300 commits) and seven
    // releases, as CI would check it out at each depth.
    let full = generated_repo();
    let answers: Vec<String> = ANSWERS.iter().map(|args| full.run(args)).collect();
    for (args, answer) in ANSWERS.iter().zip(&answers) {
        assert!(answer.ends_with("[exit status: 0]\n"), "{args:?}: {answer}");
    }
    let clones = TestEnv::new();
    let mut timelines = std::collections::HashMap::new();
    let mut answered = vec![0; ANSWERS.len()];
    let mut cut_below_a_merge = 0;
    for depth in depths() {
        let dir = clones.root().join(format!("depth-{depth}"));
        clone(full.root(), &dir, depth, None);
        let what = format!("depth {depth}");
        for (n, ok) in check_clone(&full, &answers, &dir, &what, &mut timelines)
            .into_iter()
            .enumerate()
        {
            answered[n] += usize::from(ok);
        }
        let shallow = std::fs::read_to_string(dir.join(".git/shallow")).unwrap();
        cut_below_a_merge += usize::from(shallow.lines().count() > 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
    // The sample cuts merged branches, and deep enough clones give the
    // notice of the last two releases exactly; the others need everything.
    assert!(cut_below_a_merge > 0, "no depth cut a merged branch");
    assert!(answered[0] > 0, "no depth gave the notice: {answered:?}");
    assert_eq!(answered[1..], [0, 0, 0], "{answered:?}");

    // The CI case: a depth-1 clone of a release tag (HEAD detached there).
    let dir = clones.root().join("at-a-release");
    clone(full.root(), &dir, 1, Some("register-2025.01"));
    check_clone(
        &full,
        &answers,
        &dir,
        "depth 1 at a release",
        &mut timelines,
    );
    insta::assert_snapshot!(run_in(&dir, &["notice"], &[]));
}

#[test]
fn a_shallow_clone_that_reaches_the_root_is_whole() {
    let (env, _git, _) = crate::history::small_history();
    let clones = TestEnv::new();
    let dir = clones.root().join("deep");
    clone(env.root(), &dir, 3, None);
    // git lists the root among the shallow commits; nothing is missing.
    let shallow = std::fs::read_to_string(dir.join(".git/shallow")).unwrap_or_default();
    assert!(!shallow.is_empty(), "git made a shallow clone");
    for args in [
        &["audit", "--format", "json"][..],
        &["timeline", "--format", "json"],
        &["render", "--format", "json"],
    ] {
        assert_eq!(run_in(&dir, args, &[]), env.run(args), "{args:?}");
    }
}

#[test]
fn a_release_whose_previous_release_is_below_the_cut_is_refused_naming_the_cut() {
    // The demo's releases record the release before them: a clone that
    // lacks it (the CI checkout of one tag, or too few commits) has no
    // evidence either way, so it refuses naming the cut, never "tag
    // deleted".
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let full = env.root().join("demo");
    let answers: Vec<String> = ANSWERS.iter().map(|a| run_in(&full, a, &[])).collect();
    let release = "subprocessors/2026-07-01";
    // What a complete clone of that one tag answers.
    let whole = env.root().join("whole-at-release");
    clone(&full, &whole, 0, Some(release));
    let at_release: Vec<String> = ANSWERS.iter().map(|a| run_in(&whole, a, &[])).collect();
    let mut refused = 0;
    for (depth, branch) in (1..=12)
        .map(|d| (d, None))
        .chain((1..=12).map(|d| (d, Some(release))))
    {
        let dir = env
            .root()
            .join(format!("clone-{depth}-{}", branch.is_some()));
        clone(&full, &dir, depth, branch);
        for (i, args) in ANSWERS.iter().enumerate() {
            let got = run_in(&dir, args, &[]);
            let expected = if branch.is_some() {
                &at_release[i]
            } else {
                &answers[i]
            };
            if &got == expected {
                continue;
            }
            refused += 1;
            assert!(
                got.ends_with("[exit status: 2]\n")
                    && got.contains("this clone's history is cut at")
                    && got.contains("git fetch --unshallow --tags")
                    && !got.contains("deleted"),
                "depth {depth} at {branch:?}: subledger {}: {got}",
                args.join(" ")
            );
        }
    }
    assert!(refused > 0, "no depth was refused");
    // The CI case, whole.
    let dir = env.root().join("clone-1-true");
    insta::assert_snapshot!(run_in(&dir, &["notice"], &[]));
}
