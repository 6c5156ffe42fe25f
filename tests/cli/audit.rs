//! `subledger audit`: the evidence report on the demo repository.

use crate::common::{TestEnv, run_in};

#[test]
fn the_demo_audit_lists_every_release_with_its_timing_and_evidence() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    assert!(run_in(&dir, &["notice", "--save"], &[]).starts_with("saved"));
    let repo = git2::Repository::open(&dir).unwrap();
    // A lightweight release tag, and a release-prefixed tag off the line
    // (on the merged branch's commit).
    let head = repo.revparse_single("HEAD~2").unwrap();
    repo.tag_lightweight("subprocessors/quick", &head, false)
        .unwrap();
    let side = repo.revparse_single("HEAD~1^2").unwrap();
    repo.tag_lightweight("subprocessors/side", &side, false)
        .unwrap();
    let report = run_in(&dir, &["audit"], &[]);
    insta::assert_snapshot!(report);
    for release in [
        "subprocessors/2025-12-15",
        "subprocessors/2026-03-01",
        "subprocessors/2026-07-01",
    ] {
        assert!(report.contains(&format!("### {release}")), "{release}");
    }
    assert!(
        report.contains("| Telnyx LLC | New sub-processor |  | default | 2026-07-31 | 30 | no |")
    );
    assert!(report.contains("notice.md: matches subprocessors/2026-07-01"));
    assert!(report.contains("`subprocessors/side` at"));
    assert!(report.contains("`subprocessors/quick` at") && report.contains("a lightweight tag"));
    assert!(report.contains("add hotjar") || report.contains("added hotjar: Hotjar Ltd."));
    // A period: only the releases inside it.
    let period = run_in(
        &dir,
        &[
            "audit",
            "--since",
            "2026-02-01",
            "--until",
            "2026-06-30",
            "--format",
            "json",
        ],
        &[],
    );
    let json: serde_json::Value =
        serde_json::from_str(period.trim_end_matches("[exit status: 0]\n")).unwrap();
    assert_eq!(json["schema"], "subledger.audit/1");
    let names: Vec<&str> = json["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["subprocessors/2026-03-01", "subprocessors/quick"]);
    assert_eq!(json["start"]["vendors"].as_array().unwrap().len(), 15);
    // HTML, saved, never overwritten without --force.
    assert_eq!(
        run_in(&dir, &["audit", "--format", "html", "--save"], &[]),
        "saved reports/audit-start-now.html\n[exit status: 0]\n"
    );
    assert!(run_in(&dir, &["audit", "--format", "html", "--save"], &[]).contains("refused: "));
}

/// Releases at which vendor files are broken: the changes the audit (and
/// every notice) lists between releases, rebuilt from the ledger, are those
/// `subledger diff` finds by reading both releases' files.
#[test]
fn changes_between_releases_with_broken_files_follow_the_ledger() {
    use crate::common::Git;
    let config = "[register]\nname = \"Acme\"\ntag_prefix = \"subprocessors/\"\n\n[[section]]\nid = \"hosting\"\ntitle = \"Hosting\"\n";
    let vendor = |name: &str, purpose: &str| {
        format!(
            "name = \"{name}\"\nsection = \"hosting\"\npurpose = \"{purpose}\"\ndata_categories = [\"All customer data\"]\nlocations = [\"DE\"]\n"
        )
    };
    let env = TestEnv::new();
    env.write("subledger.toml", config);
    let mut git = Git::init(env.root());
    let mut releases = Vec::new();
    let mut release = |git: &mut Git, env: &TestEnv, message: &str, name: &str| {
        let commit = git.commit_all(message);
        git.tag(name, &commit);
        releases.push(name.to_owned());
        let _ = env;
    };
    env.write("register/a.toml", vendor("A", "Hosting"));
    env.write("register/b.toml", vendor("B", "Email"));
    release(&mut git, &env, "Start", "subprocessors/r1");
    // b breaks; it is still broken at the next release.
    env.write(
        "register/b.toml",
        "name = \"B\"\npurpose = \"unterminated\n",
    );
    git.commit_all("Break b");
    env.write("register/a.toml", vendor("A", "Hosting and backups"));
    release(&mut git, &env, "Edit a", "subprocessors/r2");
    // b is fixed with a new purpose, c appears broken, a goes.
    env.write("register/b.toml", vendor("B", "Email and SMS"));
    env.write("register/c.toml", "name = [\n");
    env.remove("register/a.toml");
    release(
        &mut git,
        &env,
        "Fix b, add c broken, drop a",
        "subprocessors/r3",
    );
    // c is deleted without ever loading; b breaks again, differently.
    env.remove("register/c.toml");
    env.write("register/b.toml", "name = \"B\"\nsection = 3\n");
    git.commit_all("Drop c, break b");
    env.write("register/c.toml", vendor("C", "Analytics"));
    release(&mut git, &env, "Add c for real", "subprocessors/r4");
    env.write("register/b.toml", vendor("B", "Email and SMS"));
    release(&mut git, &env, "Fix b again", "subprocessors/r5");

    let json = |args: &[&str]| -> serde_json::Value {
        let output = env.run(args);
        let stdout = output.split("[exit status").next().unwrap();
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {output}"))
    };
    let audit = json(&["audit", "--format", "json"]);
    let listed: Vec<Vec<String>> = audit["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    let c = c.as_str().unwrap();
                    c[..c.find(':').unwrap()].to_owned()
                })
                .collect()
        })
        .collect();
    assert_eq!(listed.len(), releases.len());
    // What a file diff reads between each two releases, except that a
    // file broken at the older release keeps its last valid version in the
    // ledger: where diff sees "added b" (no loadable file before), the
    // ledger sees b repaired, with what changed since it last loaded.
    let ledger_view = |i: usize, events: Vec<String>| -> Vec<String> {
        // (c, broken at r3, never loaded: it has no last valid version.)
        let broken_before: &[&str] = match i {
            2 | 4 => &["b"],
            _ => &[],
        };
        events
            .into_iter()
            .flat_map(|e| match e.strip_prefix("added ") {
                Some(id) if broken_before.contains(&id) => match (i, id) {
                    (2, "b") => vec!["repaired b".to_owned(), "changed b".to_owned()],
                    _ => vec![format!("repaired {id}")],
                },
                _ => vec![e],
            })
            .collect()
    };
    let mut expected = Vec::new();
    for (i, name) in releases.iter().enumerate() {
        let diff = match i {
            0 => None,
            _ => Some(json(&["diff", &releases[i - 1], name, "--format", "json"])),
        };
        let events: Vec<String> = match &diff {
            Some(d) => d["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    format!(
                        "{} {}",
                        e["kind"].as_str().unwrap(),
                        e["id"].as_str().unwrap()
                    )
                })
                .collect(),
            None => vec!["added a".to_owned(), "added b".to_owned()],
        };
        expected.push(ledger_view(i, events));
    }
    assert_eq!(listed, expected);
    // What that is: b invalid at r2; at r3 b repaired (its purpose changed
    // since it last loaded), c invalid, a removed; at r4 b invalid again
    // and c added; at r5 b repaired, as it last loaded.
    insta::assert_snapshot!(format!("{listed:#?}"));
    // The page agrees: b, broken at r2 and repaired at r3, was listed all
    // along (as it last loaded), so it was added in r1.
    let page = env.run(&["render", "--at", "subprocessors/r3", "--format", "json"]);
    let page: serde_json::Value =
        serde_json::from_str(page.split("------- stderr").next().unwrap()).unwrap();
    let b = page["sections"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "b")
        .unwrap();
    assert_eq!(b["added_release"], "subprocessors/r1", "{b}");
    insta::assert_snapshot!(env.run(&["audit"]));
}

/// Customer files under a dir named with a trailing slash, in a register
/// kept in a subdirectory of the repository: a file that cannot be read is
/// still named and the audit exits 1; a customer committed before a
/// release is one of its customers, not "not yet a customer".
#[test]
fn customers_are_found_wherever_the_dir_is_and_however_it_is_written() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    let config = std::fs::read_to_string(dir.join("subledger.toml")).unwrap();
    std::fs::write(
        dir.join("subledger.toml"),
        format!("{config}\n[customers]\ndir = \"clients/\"\n"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("clients")).unwrap();
    std::fs::write(
        dir.join("clients/nord.toml"),
        "name = \"Nord\"\nemails = [\"privacy@nord.example\"]\n",
    )
    .unwrap();
    std::fs::write(dir.join("clients/broken.toml"), "name = \"Broken\n").unwrap();
    let audit = run_in(&dir, &["audit", "--format", "json"], &[]);
    assert!(audit.ends_with("[exit status: 1]\n"), "{audit}");
    let json: serde_json::Value = serde_json::from_str(stdout(&audit)).unwrap();
    let files: Vec<&str> = json["unreadable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["clients/broken.toml"]);
    // Committed with the release at its commit: a customer of it, not told.
    std::fs::remove_file(dir.join("clients/broken.toml")).unwrap();
    let git = |args: &[&str]| {
        assert!(
            std::process::Command::new("git")
                .current_dir(&dir)
                .args(args)
                .env("GIT_AUTHOR_DATE", "2026-09-20T10:00:00Z")
                .env("GIT_COMMITTER_DATE", "2026-09-20T10:00:00Z")
                .status()
                .unwrap()
                .success()
        )
    };
    git(&["add", "-A"]);
    git(&[
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@example.com",
        "commit",
        "-qm",
        "Clients",
    ]);
    git(&["config", "user.name", "Lena Legal"]);
    git(&["config", "user.email", "lena@practicpro.example"]);
    let released = run_in(&dir, &["release", "--date", "2026-10-01"], &[]);
    assert!(released.contains("released"), "{released}");
    let audit = run_in(&dir, &["audit", "--format", "json"], &[]);
    let json: serde_json::Value = serde_json::from_str(stdout(&audit)).unwrap();
    let last = json["releases"].as_array().unwrap().last().unwrap();
    assert_eq!(last["later_customers"], serde_json::json!([]), "{last}");
    assert_eq!(
        last["not_told"],
        serde_json::json!([{"customer": "nord", "address": "privacy@nord.example"}]),
        "{last}"
    );
}

/// What a run printed on stdout, without its stderr and exit status.
fn stdout(run: &str) -> &str {
    let end = ["------- stderr", "[exit status"]
        .iter()
        .filter_map(|m| run.find(m))
        .min()
        .unwrap_or(run.len());
    run[..end].trim_end()
}
