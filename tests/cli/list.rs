//! `subledger list`: every format, the filters, and escaping of vendor text.

use crate::common::{Git, TestEnv};
use insta::assert_snapshot;

const COLUMNS: (&str, &str) = ("COLUMNS", "100");

#[test]
fn bundled_example_as_a_table() {
    let env = TestEnv::with_fixture("example");
    assert_snapshot!(env.run_with(&["list"], &[COLUMNS]));
}

#[test]
fn bundled_example_as_markdown_json_and_csv() {
    let env = TestEnv::with_fixture("example");
    assert_snapshot!(
        "example_markdown",
        env.run(&["list", "--format", "markdown"])
    );
    assert_snapshot!("example_json", env.run(&["list", "--format", "json"]));
    assert_snapshot!("example_csv", env.run(&["list", "--format", "csv"]));
}

#[test]
fn table_width_follows_columns() {
    let env = TestEnv::with_fixture("example");
    let narrow = env.run_with(&["list", "--section", "billing"], &[("COLUMNS", "60")]);
    let table_lines = narrow
        .lines()
        .filter(|l| l.starts_with(['│', '┌', '└', '├', '╞']));
    assert!(
        table_lines.clone().count() > 5 && table_lines.clone().all(|l| l.chars().count() <= 60),
        "{narrow}"
    );
    assert_snapshot!(narrow);
}

#[test]
fn filters_combine() {
    let env = TestEnv::with_fixture("example");
    let out = env.run(&[
        "list",
        "--engagement",
        "optional",
        "--location",
        "usa",
        "--format",
        "csv",
    ]);
    let ids: Vec<&str> = out
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(
        ids,
        [
            "anthropic",
            "google",
            "intuit",
            "meta",
            "openai",
            "[exit status: 0]"
        ]
    );
    let out = env.run(&[
        "list",
        "--section",
        "website-analytics",
        "--location",
        "MT",
        "--format",
        "csv",
    ]);
    assert!(
        out.starts_with("id,") && out.contains("\r\nhotjar,") && out.lines().count() == 3,
        "{out}"
    );
    assert_snapshot!(env.run(&["list", "--section", "nope"]), @r"
    ------- stderr -------
    subledger: error: --section nope: no such section (declared: infrastructure, email, communications, optional, customer-integrations, website-analytics, billing)
    [exit status: 2]
    ");
    assert_snapshot!(env.run(&["list", "--location", "Narnia"]), @r"
    ------- stderr -------
    subledger: error: --location Narnia: unknown location
      hint: use a code such as US, DE or EU
    [exit status: 2]
    ");
}

const CONFIG: &str =
    "[register]\nname = \"Acme\"\n\n[[section]]\nid = \"tools\"\ntitle = \"Tools\"\n";

#[test]
fn hostile_vendor_text_is_escaped_in_markdown_and_csv() {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    env.write(
        "register/evil.toml",
        "name = \"<script>alert(1)</script> | *bold*\"\nsection = \"tools\"\npurpose = \"\"\"=HYPERLINK(\"http://x\")\nsecond line | [link](http://x)\"\"\"\ndata_categories = [\"+1 555\", \"@sum\", \"-rm\"]\nlocations = [\"DE\"]\n",
    );
    assert_snapshot!("evil_markdown", env.run(&["list", "--format", "markdown"]));
    assert_snapshot!("evil_csv", env.run(&["list", "--format", "csv"]));
    assert_snapshot!("evil_json", env.run(&["list", "--format", "json"]));
}

#[test]
fn files_that_cannot_be_loaded_are_named_and_fail_the_list() {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    env.write("register/ok.toml", "name = \"OK\"\nsection = \"tools\"\npurpose = \"p\"\ndata_categories = [\"d\"]\nlocations = [\"FR\"]\n");
    env.write("register/bad.toml", "name = [\n");
    assert_snapshot!(env.run(&["list", "--format", "csv"]), @r"
    id,name,legal_entity,legal_address,website,contact,subprocessor_list_url,section,engagement,feature,purpose,data_categories,data_subjects,locations,location_names,location_note,transfer_mechanisms,retention,notes,previous_ids,replaces,effective,in_service_since,emergency,dpa_status,dpa_signed,dpa_reference
    ok,OK,,,,,,tools,,,p,d,,FR,France,,,,,,,,,,,,
    ------- stderr -------
    subledger: 1 file in the register could not be loaded and is left out: register/bad.toml
      run `subledger check` for details
    [exit status: 1]
    ");
    let quiet = env.run(&["--quiet", "list", "--format", "csv"]);
    assert!(
        !quiet.contains("stderr") && quiet.ends_with("[exit status: 1]\n"),
        "{quiet}"
    );
    // At a revision, the check to run is the one at that revision.
    let commit = Git::init(env.root()).commit_all("broken");
    env.remove("register/bad.toml");
    let at_rev = env.run(&["list", "--rev", &commit, "--format", "csv"]);
    assert!(
        at_rev.contains(&format!(
            "  run `subledger check --rev {commit}` for details\n"
        )),
        "{at_rev}"
    );
    assert!(env.run(&["check", "--rev", &commit]).contains("bad.toml"));
}

#[test]
fn a_revision_lists_the_register_as_committed() {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    env.write("register/first.toml", "name = \"First\"\nsection = \"tools\"\npurpose = \"p\"\ndata_categories = [\"d\"]\nlocations = [\"FR\"]\n");
    let mut git = Git::init(env.root());
    git.commit_all("First vendor");
    env.remove("register/first.toml");
    env.write("register/second.toml", "name = \"Second\"\nsection = \"tools\"\npurpose = \"p\"\ndata_categories = [\"d\"]\nlocations = [\"IT\"]\n");
    let now = env.run(&["list", "--format", "csv"]);
    assert!(
        now.contains("\r\nsecond,") && !now.contains("first"),
        "{now}"
    );
    assert_snapshot!(env.run(&["list", "--rev", "main", "--format", "json"]));
}

#[test]
fn output_is_byte_identical_across_runs() {
    let env = TestEnv::with_fixture("example");
    for format in ["table", "markdown", "json", "csv"] {
        let a = env.run(&["list", "--format", format]);
        let b = env.run(&["list", "--format", format]);
        assert_eq!(a, b, "{format}");
    }
}
