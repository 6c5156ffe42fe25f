//! The registers of the real pages in ../shared/seeds/ 001 and 002, carried
//! as fixtures, prove the format holds what companies publish.

use crate::common::{Git, TestEnv};
use insta::assert_snapshot;

#[test]
fn seed_001_holds_addresses_groups_and_practitioner_notes() {
    let env = TestEnv::with_fixture("seed-001");
    let out = env.run(&["check"]);
    assert!(
        out.ends_with("checked 17 vendor files: no errors, 45 warnings\n[exit status: 0]\n"),
        "{out}"
    );
    assert_snapshot!(
        "seed_001_markdown",
        env.run(&["list", "--format", "markdown"])
    );
}

/// Seed 001 marks Gong.io "New": in a ledger that is history, not a typed
/// badge. The register before and after the commit that added it.
#[test]
fn seed_001_gong_is_new_in_history() {
    let env = TestEnv::with_fixture("seed-001");
    let gong = std::fs::read_to_string(env.root().join("register/gong-io.toml")).unwrap();
    env.remove("register/gong-io.toml");
    let mut git = Git::init(env.root());
    git.commit_all("Seed 001 as published in 2025");
    env.write("register/gong-io.toml", &gong);
    git.commit_all("Add Gong.io for call analytics");
    let before = env.run(&[
        "list",
        "--rev",
        "HEAD~1",
        "--section",
        "sales",
        "--format",
        "csv",
    ]);
    let after = env.run(&[
        "list",
        "--rev",
        "HEAD",
        "--section",
        "sales",
        "--format",
        "csv",
    ]);
    assert!(!before.contains("gong-io"), "{before}");
    assert_snapshot!(after);
}

#[test]
fn seed_002_placeholders_are_errors_with_file_and_line() {
    let env = TestEnv::with_fixture("seed-002");
    let out = env.run(&["check"]);
    assert!(out.contains("register/hosting-database.toml:1:28: error: placeholder text \"(confirm provider & region)\" in `name`"), "{out}");
    assert!(
        out.contains(
            "register/forge-storage.toml:1:33: error: placeholder text \"(confirm)\" in `name`"
        ),
        "{out}"
    );
    assert!(out.ends_with("[exit status: 1]\n"), "{out}");
    assert_snapshot!(out);
}

#[test]
fn seed_002_optional_groups_list_with_their_features() {
    let env = TestEnv::with_fixture("seed-002");
    assert_snapshot!(env.run(&["list", "--engagement", "optional", "--format", "markdown"]));
}
