//! The baseline: the first release publishes the list, it announces no
//! change; only what later releases add is new.

use crate::common::{Git, TestEnv};

const CONFIG: &str = "[register]\nname = \"Acme\"\n\n[notice]\ndays = 30\ncontact = \"privacy@acme.example\"\n\n[[section]]\nid = \"hosting\"\ntitle = \"Hosting\"\n\n[[section]]\nid = \"web\"\ntitle = \"Website\"\nscope = \"transparency\"\n";

fn vendor(name: &str, section: &str, extra: &str) -> String {
    format!(
        "name = \"{name}\"\nsection = \"{section}\"\npurpose = \"Hosting for {name}\"\ndata_categories = [\"All customer data\"]\nlocations = [\"DE\"]\n{extra}"
    )
}

/// A register of two sub-processors (one in service since 2021) and one
/// service listed for transparency, released once.
fn released() -> (TestEnv, Git) {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    env.write(
        "register/ovh.toml",
        vendor("OVH", "hosting", "in_service_since = 2021-03-01\n"),
    );
    env.write("register/hetzner.toml", vendor("Hetzner", "hosting", ""));
    env.write("register/plausible.toml", vendor("Plausible", "web", ""));
    let mut git = Git::init(env.root());
    git.commit_all("The register as published");
    let mut config = git.repo.config().unwrap();
    config.set_str("user.name", "Lena Legal").unwrap();
    config.set_str("user.email", "lena@example.com").unwrap();
    let out = env.run(&["release", "--date", "2026-01-15"]);
    assert!(out.ends_with("[exit status: 0]\n"), "{out}");
    (env, git)
}

fn json(env: &TestEnv, args: &[&str]) -> serde_json::Value {
    let out = env.run(args);
    let body = out.split("[exit status").next().unwrap();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn the_first_release_publishes_the_list_and_announces_nothing() {
    let (env, _git) = released();
    insta::assert_snapshot!(env.run(&["notice", "--format", "markdown"]));
    let notice = json(&env, &["notice", "--format", "json"]);
    assert_eq!(notice["needs_notice"], serde_json::json!([]));
    assert_eq!(notice["informational"], serde_json::json!([]));
    assert_eq!(notice["baseline"]["subprocessors"], 2);
    assert_eq!(notice["baseline"]["transparency"], 1);
    // The page: no New, the recorded date where there is one, else "listed since".
    insta::assert_snapshot!(env.run(&["render"]));
    let feed = env.run(&["feed"]);
    assert!(
        feed.contains("<summary>Initial publication of 2 sub-processors (and 1 service listed for transparency): the list as it stands, not a change.</summary>"),
        "{feed}"
    );
    assert!(!feed.contains("take effect"), "{feed}");
    let audit = env.run(&["audit"]);
    assert!(
        audit.contains("Baseline: published 2 sub-processors (and 1 service listed for transparency) on 2026-01-15 (baseline)"),
        "{audit}"
    );
    assert!(!audit.contains("Timing of the changes"), "{audit}");
}

#[test]
fn after_the_baseline_only_what_changed_needs_notice_and_is_new() {
    let (env, mut git) = released();
    env.write("register/scw.toml", vendor("Scaleway", "hosting", ""));
    git.commit_all("Add Scaleway");
    // A later release cannot be a baseline: its changes need notice.
    insta::assert_snapshot!(env.run(&["release", "--baseline", "--date", "2026-03-01"]));
    let out = env.run(&["release", "--date", "2026-03-01"]);
    assert!(
        out.contains("1 change (1 added); changes that need notice take effect on 2026-03-31"),
        "{out}"
    );
    let notice = json(&env, &["notice", "--format", "json"]);
    assert_eq!(notice["baseline"], serde_json::Value::Null);
    let ids: Vec<&str> = notice["needs_notice"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["scw"]);
    let page = env.run(&["render"]);
    let rows: Vec<&str> = page
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Sub-processor"))
        .collect();
    insta::assert_snapshot!(rows.join("\n"), @r"
    | Hetzner _(core)_ | Hosting for Hetzner | All customer data | Germany | listed since 15 January 2026 |
    | OVH _(core)_ | Hosting for OVH | All customer data | Germany | 1 March 2021 |
    | Scaleway **New** _(core)_ | Hosting for Scaleway | All customer data | Germany | 1 March 2026 |
    | Plausible | Hosting for Plausible | All customer data | Germany | listed since 15 January 2026 |
    ");
}

#[test]
fn the_baseline_can_be_asked_for_and_binds_no_notice_period() {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    // Starts in a week: for a change that would be inside the notice period,
    // but the baseline changes nothing.
    env.write(
        "register/ovh.toml",
        vendor("OVH", "hosting", "effective = 2026-01-20\n"),
    );
    let mut git = Git::init(env.root());
    git.commit_all("The register");
    let mut config = git.repo.config().unwrap();
    config.set_str("user.name", "Lena Legal").unwrap();
    config.set_str("user.email", "lena@example.com").unwrap();
    insta::assert_snapshot!(env.run(&[
        "release",
        "--baseline",
        "--date",
        "2026-01-15",
        "--dry-run"
    ]));
}
