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
