//! The pre-commit hook, end to end with the real `pre-commit` (PyPI): a
//! hook repository holding this source tree, a register repository that
//! uses it, and real `git commit`s that the hook lets through or stops.

use crate::common::{Git, TestEnv};
use std::path::Path;
use std::process::{Command, Output};

/// What the hook repository needs for `cargo install --path .`.
const SOURCES: &[&str] = &[
    ".pre-commit-hooks.yaml",
    "Cargo.toml",
    "Cargo.lock",
    "README.md",
    "LICENSE-MIT",
    "LICENSE-APACHE",
    "subledger.toml",
    "src",
    "register",
];

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

/// Runs `program` in `dir` with git's and pre-commit's state kept inside the
/// test, and cargo building the hook into a target directory of its own.
fn run(dir: &Path, cache: &Path, program: &str, args: &[&str]) -> Output {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Paula Privacy")
        .env("GIT_AUTHOR_EMAIL", "paula@example.com")
        .env("GIT_COMMITTER_NAME", "Paula Privacy")
        .env("GIT_COMMITTER_EMAIL", "paula@example.com")
        .env("GIT_AUTHOR_DATE", "2026-03-01T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-03-01T10:00:00Z")
        .env("PRE_COMMIT_HOME", cache)
        .env("NO_COLOR", "1")
        // pre-commit runs `cargo install --path .`, a release build. The
        // hook is what is under test, not the optimiser: build it quickly,
        // and keep the dependencies between runs.
        .env("CARGO_TARGET_DIR", manifest.join("target/pre-commit-hook"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("{program} (pip install pre-commit, as .ci/run does): {e}"))
}

fn said(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

#[test]
fn the_pre_commit_hook_stops_a_commit_with_a_bad_vendor_file_and_lets_a_good_one_through() {
    let env = TestEnv::new();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));

    // The hook repository: this source tree, committed.
    let hooks = env.root().join("hooks");
    for source in SOURCES {
        copy_tree(&manifest.join(source), &hooks.join(source));
    }
    let rev = Git::init(&hooks).commit_all("subledger");

    // A register repository that uses the hook.
    let demo = env.run(&["demo", "company"]);
    assert!(demo.ends_with("[exit status: 0]\n"), "{demo}");
    let register = env.root().join("company");
    let cache = env.root().join("pre-commit-cache");
    std::fs::write(
        register.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: subledger-check\n",
            hooks.display()
        ),
    )
    .unwrap();
    let installed = run(&register, &cache, "pre-commit", &["install"]);
    assert!(installed.status.success(), "{}", said(&installed));

    // A vendor file with a misspelled key and a bad date: the commit fails,
    // and says why.
    let stripe = std::fs::read_to_string(register.join("register/stripe.toml")).unwrap();
    let broken = stripe.replace("\npurpose =", "\npurpse =");
    assert_ne!(broken, stripe);
    std::fs::write(register.join("register/stripe.toml"), &broken).unwrap();
    let git = |args: &[&str]| run(&register, &cache, "git", args);
    assert!(git(&["add", "-A"]).status.success());
    let refused = git(&["commit", "-m", "Stripe: purpose"]);
    let text = said(&refused);
    assert!(!refused.status.success(), "{text}");
    assert!(
        text.contains("subledger check") && text.contains("Failed"),
        "{text}"
    );
    assert!(
        text.contains("register/stripe.toml:") && text.contains("purpse"),
        "the finding names the file and the key: {text}"
    );
    let head = git(&["log", "--format=%s", "-1"]);
    assert!(
        !said(&head).contains("Stripe: purpose"),
        "nothing committed"
    );

    // Fixed, the same commit goes through.
    let fixed = stripe.replace("\npurpose = \"", "\npurpose = \"Card payments. ");
    assert_ne!(fixed, stripe);
    std::fs::write(register.join("register/stripe.toml"), &fixed).unwrap();
    assert!(git(&["add", "-A"]).status.success());
    let committed = git(&["commit", "-m", "Stripe: purpose"]);
    let text = said(&committed);
    assert!(committed.status.success(), "{text}");
    assert!(
        text.contains("subledger check") && text.contains("Passed"),
        "{text}"
    );
    let head = git(&["log", "--format=%s", "-1"]);
    assert_eq!(said(&head), "Stripe: purpose\n");
}
