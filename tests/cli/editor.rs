//! Editor support: the published schemas, and the real taplo CLI
//! validating the demo and broken files with them.

use crate::common::{TestEnv, run_in};
use std::path::Path;
use std::process::Command;

/// Runs `taplo check FILES` in `dir`; its exit status and what it said.
fn taplo(dir: &Path, files: &[&str]) -> (bool, String) {
    let output = Command::new("taplo")
        .arg("check")
        .args(files)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "error")
        .output()
        .expect("taplo (npm install -g @taplo/cli, as .ci/run does)");
    let text = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    (output.status.success(), text)
}

#[test]
fn schema_prints_the_published_schemas() {
    let env = TestEnv::new();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for which in ["vendor", "config", "customer"] {
        let printed = run_in(env.root(), &["schema", which], &[]);
        let published =
            std::fs::read_to_string(manifest.join(format!("schemas/{which}.schema.json"))).unwrap();
        assert_eq!(printed, format!("{published}[exit status: 0]\n"), "{which}");
    }
}

#[test]
fn taplo_validates_the_demo_and_reports_a_misspelled_key_and_a_wrong_type_with_their_lines() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    insta::assert_snapshot!(
        std::fs::read_to_string(dir.join(".taplo.toml")).unwrap(),
        @r#"
    # Editor support: taplo and Even Better TOML validate and complete
    # subledger's files with these schemas (`subledger schema` prints them).

    [[rule]]
    include = ["register/*.toml"]
    [rule.schema]
    path = "schemas/vendor.schema.json"

    [[rule]]
    include = ["subledger.toml"]
    [rule.schema]
    path = "schemas/config.schema.json"

    [[rule]]
    include = ["customers/*.toml"]
    [rule.schema]
    path = "schemas/customer.schema.json"
    "#
    );
    let (ok, said) = taplo(&dir, &[]);
    assert!(ok, "the demo is valid: {said}");
    // taplo checks every file the rules include: 16 vendors, the config.
    let (ok, said) = taplo(&dir, &["register/stripe.toml", "subledger.toml"]);
    assert!(ok, "{said}");

    let stripe = std::fs::read_to_string(dir.join("register/stripe.toml")).unwrap();
    let broken = stripe
        .replace("\npurpose =", "\npurpse =")
        .replace("\nengagement = \"core\"", "")
        .replace("\nlocations = [\"US\"]", "\nlocations = \"US\"");
    assert_ne!(broken, stripe);
    std::fs::write(dir.join("register/stripe.toml"), &broken).unwrap();
    let (ok, said) = taplo(&dir, &["register/stripe.toml"]);
    assert!(!ok, "{said}");
    let line = |needle: &str| 1 + broken.lines().position(|l| l.starts_with(needle)).unwrap();
    assert!(
        said.contains(&format!("stripe.toml:{}:1", line("purpse")))
            && said.contains("('purpse' was unexpected)"),
        "{said}"
    );
    assert!(
        said.contains(&format!("stripe.toml:{}:13", line("locations")))
            && said.contains("\"US\" is not of type \"array\""),
        "{said}"
    );
    // subledger check says the same of it.
    let check = run_in(&dir, &["check"], &[]);
    assert!(check.contains("unknown key `purpse`"), "{check}");

    let config = std::fs::read_to_string(dir.join("subledger.toml")).unwrap();
    let broken = config.replacen("\ndays = 30", "\ndays = \"thirty\"", 1);
    assert_ne!(broken, config);
    std::fs::write(dir.join("subledger.toml"), &broken).unwrap();
    let (ok, said) = taplo(&dir, &["subledger.toml"]);
    assert!(!ok, "{said}");
    assert!(
        said.contains(&format!("subledger.toml:{}:8", line_of(&broken, "days =")))
            && said.contains("\"thirty\" is not of type \"integer\""),
        "{said}"
    );
}

fn line_of(text: &str, needle: &str) -> usize {
    1 + text.lines().position(|l| l.starts_with(needle)).unwrap()
}

#[test]
fn import_writes_the_editor_files_once_and_keeps_the_users_own() {
    let env = TestEnv::new();
    env.write(
        "page.md",
        "| Vendor | Purpose | Location |\n|---|---|---|\n| Mailer Ltd | Email | Ireland |\n",
    );
    env.write(".taplo.toml", "# mine\n");
    let output = env.run(&["import", "page.md"]);
    assert!(
        output.contains(
            "wrote schemas/vendor.schema.json, schemas/config.schema.json, schemas/customer.schema.json for editors"
        ),
        "{output}"
    );
    assert_eq!(
        std::fs::read_to_string(env.root().join(".taplo.toml")).unwrap(),
        "# mine\n"
    );
    let again = env.run(&["import", "page.md", "--force"]);
    assert!(!again.contains("for editors"), "{again}");
}
