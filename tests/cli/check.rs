//! `subledger check`: findings, exit codes and hostile input.

use crate::common::{Git, TestEnv};
use insta::assert_snapshot;

const CONFIG: &str = r#"[register]
name = "Acme"

[[section]]
id = "hosting"
title = "Hosting"
scope = "subprocessor"

[[section]]
id = "billing"
title = "Billing"
scope = "transparency"
"#;

const GOOD: &str = r#"name = "Good Host GmbH"
legal_address = "Hauptstr. 1, 10115 Berlin, Germany"
contact = "privacy@goodhost.example"
section = "hosting"
purpose = "Hosting"
data_categories = ["All customer data"]
locations = ["DE"]

[dpa]
status = "signed"
signed = 2025-01-01
"#;

fn env_with(files: &[(&str, &str)]) -> TestEnv {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    env.write("register/good-host.toml", GOOD);
    for (path, content) in files {
        env.write(path, content);
    }
    env
}

#[test]
fn bundled_example_register_passes() {
    let env = TestEnv::with_fixture("example");
    let out = env.run(&["check"]);
    assert!(
        out.ends_with("checked 16 vendor files: no errors, 28 warnings\n[exit status: 0]\n"),
        "{out}"
    );
    assert!(!out.contains(": error:"), "{out}");
    assert_snapshot!(out);
}

#[test]
fn clean_register_is_silent_but_for_the_summary() {
    let env = env_with(&[]);
    assert_snapshot!(env.run(&["check"]), @r"
    checked 1 vendor file: no problems found
    [exit status: 0]
    ");
}

#[test]
fn every_problem_in_every_file_is_reported_in_one_run() {
    let env = env_with(&[
        (
            "register/typos.toml",
            "nmae = \"Typo Inc.\"\nsection = \"hostng\"\npurpose = \"Things\"\ndata_categories = [\"Emails\"]\nlocations = [\"USA\", \"Germany\", \"XX\"]\nengagement = \"optional\"\nwebsite = \"http://typo.example\"\n",
        ),
        (
            "register/placeholder.toml",
            "name = \"Hosting / database (confirm provider & region)\"\nsection = \"hosting\"\npurpose = \"TBD\"\ndata_categories = []\nlocations = [\"US\"]\ncontact = \"nobody\"\n\n[dpa]\nstatus = \"pending\"\n",
        ),
        (
            "register/broken.toml",
            "name = \"Broken\nsection = \"hosting\"\n",
        ),
        (
            "register/array.toml",
            "[[vendor]]\nname = \"A\"\n[[vendor]]\nname = \"B\"\n",
        ),
        ("register/Bad_Name.toml", GOOD),
        ("register/notes.txt", "stray"),
        ("register/README.md", "# fine"),
        ("register/nested/inner.toml", GOOD),
        (
            "register/renamed.toml",
            &GOOD.replace(
                "name = \"Good Host GmbH\"",
                "name = \"Renamed\"\nprevious_ids = [\"good-host\"]\nreplaces = [\"good-host\"]",
            ),
        ),
        (
            "register/claim.toml",
            &GOOD.replace(
                "name = \"Good Host GmbH\"",
                "name = \"Claim\"\nprevious_ids = [\"old-one\"]",
            ),
        ),
        (
            "register/claim-two.toml",
            &GOOD.replace(
                "name = \"Good Host GmbH\"",
                "name = \"Claim two\"\nprevious_ids = [\"old-one\"]",
            ),
        ),
    ]);
    let out = env.run(&["check"]);
    assert!(out.ends_with("[exit status: 1]\n"), "{out}");
    assert_snapshot!(out);
}

#[test]
fn json_findings_are_versioned_and_complete() {
    let env = env_with(&[("register/typo.toml", "nmae = \"X\"\n")]);
    assert_snapshot!(env.run(&["check", "--format", "json"]));
}

#[test]
fn warnings_fail_only_with_strict() {
    let env = env_with(&[(
        "register/us-host.toml",
        "name = \"US Host\"\nsection = \"hosting\"\npurpose = \"Hosting\"\ndata_categories = [\"Logs\"]\nlocations = [\"US\"]\n",
    )]);
    let relaxed = env.run(&["check"]);
    assert!(
        relaxed.ends_with("no errors, 3 warnings\n[exit status: 0]\n"),
        "{relaxed}"
    );
    let strict = env.run(&["check", "--strict"]);
    assert!(
        strict.ends_with("no errors, 3 warnings\n[exit status: 1]\n"),
        "{strict}"
    );
    assert_eq!(relaxed.replace("status: 0", "status: 1"), strict);
}

#[test]
fn a_file_that_is_not_utf8_is_located() {
    let env = env_with(&[]);
    env.write(
        "register/latin1.toml",
        b"name = \"Caf\xe9 GmbH\"\n".as_slice(),
    );
    assert_snapshot!(env.run(&["check"]), @r"
    register/latin1.toml:1:12: error: the file is not UTF-8 text [not-utf8]
      help: save it as UTF-8
    checked 2 vendor files: 1 error, no warnings
    [exit status: 1]
    ");
}

#[test]
fn a_huge_file_is_refused_unread() {
    let env = env_with(&[]);
    env.write("register/huge.toml", vec![b'#'; 10 * 1024 * 1024]);
    assert_snapshot!(env.run(&["check"]), @r"
    register/huge.toml: error: file is 10485760 bytes; vendor files are limited to 1048576 bytes (1 MiB) [file-too-large]
      help: a vendor file is a few hundred bytes; is this the right file?
    checked 2 vendor files: 1 error, no warnings
    [exit status: 1]
    ");
}

#[test]
fn a_symlink_is_reported_not_followed() {
    let env = env_with(&[]);
    std::os::unix::fs::symlink("/etc/passwd", env.root().join("register/link.toml")).unwrap();
    assert_snapshot!(env.run(&["check"]), @r"
    register/link.toml: error: a symbolic link; git history cannot track what it points to [symlink]
      help: replace it with the file itself
    checked 1 vendor file: 1 error, no warnings
    [exit status: 1]
    ");
}

#[test]
fn an_empty_register_dir_is_a_finding() {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    std::fs::create_dir(env.root().join("register")).unwrap();
    assert_snapshot!(env.run(&["check"]), @r"
    register/: error: the register holds no vendor files [empty-register]
      help: add one TOML file per vendor; see register/README.md
    checked no vendor files: 1 error, no warnings
    [exit status: 1]
    ");
}

#[test]
fn a_missing_register_dir_cannot_be_checked() {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    assert_snapshot!(env.run(&["check"]), @r"
    ------- stderr -------
    subledger: error: register directory $ROOT/register does not exist
      hint: create it, or set `dir` under [register] in subledger.toml to where the vendor files are
    [exit status: 2]
    ");
}

#[test]
fn a_config_without_sections_is_a_finding() {
    let env = TestEnv::new();
    env.write("subledger.toml", "[register]\nname = \"Acme\"\n");
    env.write("register/good-host.toml", GOOD);
    assert_snapshot!(env.run(&["check"]), @r#"
    register/good-host.toml:4:11: error: section "hosting" is not declared in subledger.toml [unknown-section]
    subledger.toml: error: no [[section]] is declared, so no vendor can name its section [no-sections]
      help: add [[section]] tables with id, title, intro and scope; see register/README.md
    checked 1 vendor file: 2 errors, no warnings
    [exit status: 1]
    "#);
}

#[test]
fn an_unreadable_config_stops_with_its_line() {
    let env = env_with(&[]);
    env.write(
        "subledger.toml",
        "[register]\nname = \"Acme\"\nbranch = 3\n",
    );
    assert_snapshot!(env.run(&["check"]), @r"
    ------- stderr -------
    subledger: error: subledger.toml:3:10: invalid type: integer `3`, expected a string
    [exit status: 2]
    ");
}

#[test]
fn no_config_anywhere_is_explained() {
    let env = TestEnv::new();
    assert_snapshot!(env.run(&["check"]), @r"
    ------- stderr -------
    subledger: error: no subledger.toml in $ROOT or any parent directory
      hint: run subledger inside a register repository, or point to one with --repo PATH
    [exit status: 2]
    ");
}

#[test]
fn the_config_is_found_from_a_subdirectory_and_with_repo() {
    let env = env_with(&[]);
    let sub = env.root().join("register");
    let out = crate::common::run_in(&sub, &["check"], &[]);
    assert_eq!(
        out,
        "checked 1 vendor file: no problems found\n[exit status: 0]\n"
    );
    let elsewhere = TestEnv::new();
    let root = env.root().display().to_string();
    let out = elsewhere.run(&["--repo", &root, "check"]);
    assert_eq!(
        out,
        "checked 1 vendor file: no problems found\n[exit status: 0]\n"
    );
}

#[test]
fn a_revision_is_checked_from_git_without_touching_the_work_tree() {
    let env = env_with(&[(
        "register/later.toml",
        "name = \"Later\"\nsection = \"hosting\"\n",
    )]);
    let mut git = Git::init(env.root());
    git.commit_all("Add later, unfinished");
    env.write(
        "register/later.toml",
        GOOD.replace("Good Host GmbH", "Later GmbH"),
    );
    git.commit_all("Finish later");
    env.write("register/later.toml", "broken = \n");
    assert_snapshot!(env.run(&["check", "--rev", "HEAD~1"]), @r"
    HEAD~1:register/later.toml: error: missing required key `data_categories` (categories of personal data processed) [missing-key]
    HEAD~1:register/later.toml: error: missing required key `locations` (ISO 3166-1 alpha-2 codes, or EU, EEA, GLOBAL, CUSTOMER) [missing-key]
    HEAD~1:register/later.toml: error: missing required key `purpose` (what it does for us) [missing-key]
    checked 2 vendor files at HEAD~1 (25621bb04da6): 3 errors, no warnings
    [exit status: 1]
    ");
    assert_snapshot!(env.run(&["check", "--rev", "main"]), @"
    checked 2 vendor files at main (6e52c2ede129): no problems found
    [exit status: 0]
    ");
    assert_eq!(
        std::fs::read_to_string(env.root().join("register/later.toml")).unwrap(),
        "broken = \n"
    );
    assert_snapshot!(env.run(&["check", "--rev", "nope"]), @r"
    ------- stderr -------
    subledger: error: unknown revision `nope`
      caused by: revspec 'nope' not found; class=Reference (4); code=NotFound (-3)
      hint: use a commit id, a branch or a tag name, as `git rev-parse` accepts
    [exit status: 2]
    ");
}

#[test]
fn a_revision_outside_a_repository_cannot_be_read() {
    let env = env_with(&[]);
    let out = env.run(&["check", "--rev", "HEAD"]);
    assert!(
        out.starts_with(
            "------- stderr -------\nsubledger: error: $ROOT is not in a git repository\n"
        ),
        "{out}"
    );
    assert!(out.ends_with("[exit status: 2]\n"), "{out}");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let env = env_with(&[("register/typo.toml", "nmae = \"X\"\n")]);
    let plain = env.run(&["check"]);
    assert!(!plain.contains('\x1b'), "{plain}");
    let coloured = env.run(&["check", "--color", "always"]);
    assert!(coloured.contains("\x1b[1;31merror\x1b[0m"), "{coloured}");
    let no_color = env.run_with(&["check", "--color", "auto"], &[("NO_COLOR", "1")]);
    assert_eq!(plain, no_color);
}

#[test]
fn a_list_of_125000_items_is_checked_in_linear_time() {
    // Under the 1 MiB cap: 125,000 distinct short items and one repeat.
    let mut items: Vec<String> = (0..125_000u32).map(|n| format!("\"{n:x}\"")).collect();
    items.push("\"7\"".to_owned());
    let file = GOOD.replace(
        "data_categories = [\"All customer data\"]",
        &format!("data_categories = [{}]", items.join(",")),
    );
    assert!(file.len() < 1 << 20, "{}", file.len());
    let env = env_with(&[("register/good-host.toml", &file)]);
    let start = std::time::Instant::now();
    let output = env.run(&["check"]);
    let took = start.elapsed();
    assert_snapshot!(output);
    // Quadratic work (the old duplicate check) took 9.5 s in a release
    // build; linear work takes a fraction of a second even unoptimised.
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
}

#[test]
fn customer_files_are_checked_and_never_published() {
    let env = env_with(&[
        (
            "customers/clinic-nord.toml",
            "name = \"Clinic Nord\"\nemails = [\"privacy@nord.example\"]\nsections = [\"hosting\"]\n",
        ),
        (
            "customers/praxis-sued.toml",
            "name = \"Praxis Süd\"\nemails = [\"privacy@nord.example\", \"dpo@sued\"]\nprofile = \"gold\"\nsections = [\"email\"]\nwebhook = \"http://hooks.sued.example\"\n",
        ),
        ("customers/README.md", "# Our customers (confidential)\n"),
    ]);
    assert_snapshot!(env.run(&["check"]));
    // Nothing a customer reads names a customer.
    let list = env.run(&["list", "--format", "json"]);
    assert!(
        !list.contains("Clinic Nord") && !list.contains("nord.example"),
        "{list}"
    );
    let page = env.run(&["render", "--format", "html"]);
    assert!(
        !page.contains("Clinic Nord") && !page.contains("nord.example"),
        "{page}"
    );
    // The dir is configurable.
    let moved = env_with(&[(
        "private/customers/clinic-nord.toml",
        "name = \"Clinic Nord\"\nemails = [\"not-an-address\"]\n",
    )]);
    moved.write(
        "subledger.toml",
        format!("{CONFIG}\n[customers]\ndir = \"private/customers\"\n"),
    );
    assert_snapshot!(moved.run(&["check"]));
}
