//! `subledger verify`: moved tags, deleted tags and edited notices are caught.

use crate::common::{TestEnv, run_in};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_COMMITTER_NAME", "Mallory")
        .env("GIT_COMMITTER_EMAIL", "mallory@example.com")
        .env("GIT_COMMITTER_DATE", "2026-08-01T00:00:00Z")
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
}

/// The demo repository with its last notice saved in two formats.
fn demo_with_saved_notices() -> (TestEnv, std::path::PathBuf) {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    for format in ["markdown", "json"] {
        let saved = run_in(&dir, &["notice", "--format", format, "--save"], &[]);
        assert!(saved.starts_with("saved reports/"), "{saved}");
    }
    (env, dir)
}

#[test]
fn published_history_that_holds_verifies() {
    let (_env, dir) = demo_with_saved_notices();
    insta::assert_snapshot!(run_in(&dir, &["verify"], &[]));
}

#[test]
fn a_release_tag_moved_with_plain_git_is_reported() {
    let (_env, dir) = demo_with_saved_notices();
    // Re-point the latest release, keeping its message, at an older commit.
    let message = Command::new("git")
        .args([
            "tag",
            "-l",
            "--format=%(contents)",
            "subprocessors/2026-07-01",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    std::fs::write(dir.join("msg.txt"), &message.stdout).unwrap();
    git(
        &dir,
        &[
            "tag",
            "-f",
            "-a",
            "-F",
            "msg.txt",
            "subprocessors/2026-07-01",
            "HEAD~3",
        ],
    );
    std::fs::remove_file(dir.join("msg.txt")).unwrap();
    let output = run_in(&dir, &["verify"], &[]);
    insta::assert_snapshot!(output);
    assert!(output.contains("the tag moved") && output.ends_with("[exit status: 1]\n"));
}

#[test]
fn an_edited_notice_and_a_deleted_tag_are_reported() {
    let (_env, dir) = demo_with_saved_notices();
    let path = dir.join("reports/subprocessors/2026-07-01/notice.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "Takes effect on **31 July 2026**",
            "Takes effect on **2 July 2026**",
        ),
    )
    .unwrap();
    let edited = run_in(&dir, &["verify"], &[]);
    insta::assert_snapshot!(edited);
    assert!(edited.contains("notice.md: it differs from the notice the repository produces"));
    git(&dir, &["tag", "-d", "subprocessors/2026-07-01"]);
    let deleted = run_in(&dir, &["verify"], &[]);
    assert!(
        deleted.contains(
            "notice.md: its release subprocessors/2026-07-01 is not among this repository's tags: deleted, or this clone was made without tags (`git fetch --tags` brings them)"
        ),
        "{deleted}"
    );
    assert!(deleted.ends_with("[exit status: 1]\n"));
}

#[test]
fn a_released_file_overwritten_in_the_object_store_is_caught() {
    let (_env, dir) = demo_with_saved_notices();
    let id = |spec: &str| {
        let output = Command::new("git")
            .args(["rev-parse", spec])
            .current_dir(&dir)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    };
    let loose = |id: &str| dir.join(".git/objects").join(&id[..2]).join(&id[2..]);
    // Telnyx's released file now holds Twilio's bytes (a valid object,
    // under the wrong id): what `git fsck` calls a hash mismatch.
    let telnyx = id("subprocessors/2026-07-01:register/telnyx.toml");
    let twilio = id("subprocessors/2026-07-01:register/twilio.toml");
    let path = loose(&telnyx);
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).unwrap();
    std::fs::copy(loose(&twilio), &path).unwrap();
    let fsck = Command::new("git")
        .args(["fsck", "--full"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&fsck.stderr).contains("mismatch"),
        "{fsck:?}"
    );
    let output = run_in(&dir, &["verify"], &[]);
    let failed: Vec<&str> = output.lines().filter(|l| l.starts_with("FAIL")).collect();
    insta::assert_snapshot!(failed.join("\n"));
    assert!(output.ends_with("[exit status: 1]\n"), "{output}");
}

#[test]
fn every_saved_format_verifies() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    for format in ["markdown", "text", "html", "json"] {
        let saved = run_in(&dir, &["notice", "--format", format, "--save"], &[]);
        assert!(saved.starts_with("saved reports/"), "{saved}");
    }
    let output = run_in(&dir, &["verify"], &[]);
    assert!(output.ends_with("[exit status: 0]\n"), "{output}");
    assert_eq!(
        output.lines().filter(|l| l.contains("/notice.")).count(),
        4,
        "{output}"
    );
    // A register's own template must carry the marker for its notice to be
    // saved: without it, verify could never check the file.
    let config = std::fs::read_to_string(dir.join("subledger.toml")).unwrap();
    std::fs::write(
        dir.join("subledger.toml"),
        format!("{config}\n[notice.templates]\nmarkdown = \"ours.md.j2\"\n"),
    )
    .unwrap();
    std::fs::write(dir.join("ours.md.j2"), "{{ company }} changes its list.\n").unwrap();
    let path = dir.join("reports/subprocessors/2026-07-01/notice.md");
    let before = std::fs::read(&path).unwrap();
    let refused = run_in(&dir, &["notice", "--save", "--force"], &[]);
    insta::assert_snapshot!(refused);
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing replaced");
    let built_in = include_str!("../../src/render/templates/notice.md.j2");
    let marker = built_in
        .lines()
        .find(|l| l.contains("subledger notice: release="))
        .unwrap();
    std::fs::write(
        dir.join("ours.md.j2"),
        format!("{{{{ company }}}} changes its list.\n{marker}\n"),
    )
    .unwrap();
    let saved = run_in(&dir, &["notice", "--save", "--force"], &[]);
    assert!(saved.starts_with("saved reports/"), "{saved}");
    assert_ne!(
        std::fs::read(&path).unwrap(),
        before,
        "our template's notice"
    );
    let output = run_in(&dir, &["verify"], &[]);
    assert!(output.ends_with("[exit status: 0]\n"), "{output}");
}

#[test]
fn saved_evidence_is_never_overwritten_by_another_release_or_written_out() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    // Two release names that an earlier mapping folded into one path.
    for name in ["subprocessors/2027/01", "subprocessors/2027-01"] {
        git(
            &dir,
            &[
                "tag",
                "-a",
                "-m",
                "release",
                name,
                "subprocessors/2026-07-01",
            ],
        );
    }
    let mut outputs = Vec::new();
    for name in ["subprocessors/2027/01", "subprocessors/2027-01"] {
        let args = ["notice", "subprocessors/2026-03-01", name, "--save"];
        outputs.push(run_in(&dir, &args, &[]));
    }
    // A file system that folds names together: another release's notice
    // where this one's would go is refused, even with --force.
    let theirs = dir.join("reports/subprocessors/2027/01/notice.md");
    let ours = dir.join("reports/subprocessors/2026-07-01/notice.md");
    std::fs::create_dir_all(ours.parent().unwrap()).unwrap();
    std::fs::copy(&theirs, &ours).unwrap();
    let save = [
        "notice",
        "subprocessors/2026-03-01",
        "subprocessors/2026-07-01",
        "--save",
        "--force",
    ];
    outputs.push(run_in(&dir, &save, &[]));
    // --force replaces regular files only.
    std::fs::remove_file(&ours).unwrap();
    std::fs::create_dir(&ours).unwrap();
    outputs.push(run_in(&dir, &save, &[]));
    std::fs::remove_dir(&ours).unwrap();
    let fifo = Command::new("mkfifo").arg(&ours).status().unwrap();
    assert!(fifo.success());
    outputs.push(run_in(&dir, &save, &[]));
    std::fs::remove_file(&ours).unwrap();
    // A link out of the repository is not followed.
    let elsewhere = TestEnv::new();
    std::fs::remove_dir_all(dir.join("reports/subprocessors/2026-07-01")).unwrap();
    std::os::unix::fs::symlink(
        elsewhere.root(),
        dir.join("reports/subprocessors/2026-07-01"),
    )
    .unwrap();
    outputs.push(run_in(&dir, &save, &[]));
    assert_eq!(std::fs::read_dir(elsewhere.root()).unwrap().count(), 0);
    let shown = outputs.join("\n").replace(
        &elsewhere
            .root()
            .canonicalize()
            .unwrap()
            .display()
            .to_string(),
        "$ELSEWHERE",
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn verify_rebuilds_the_ledger_from_history_and_trusts_no_cache() {
    let (_env, dir) = demo_with_saved_notices();
    let cache = dir.join(".git/subledger/timeline-register.bin");
    assert!(run_in(&dir, &["timeline"], &[]).ends_with("[exit status: 0]\n"));
    // A cache altered on purpose, its checksum made to match.
    let mut data = std::fs::read(&cache).unwrap();
    let at = data.windows(10).position(|w| w == b"Telnyx LLC").unwrap();
    data[at..at + 10].copy_from_slice(b"Evilnx LLC");
    let body = data.len() - 16;
    let sum = xxhash_rust::xxh3::xxh3_64(&data[..body]);
    data[body..body + 8].copy_from_slice(&sum.to_le_bytes());
    std::fs::write(&cache, &data).unwrap();
    assert!(run_in(&dir, &["notice"], &[]).contains("Evilnx LLC"));
    // verify walks history itself: the saved notices still hold ...
    let output = run_in(&dir, &["verify"], &[]);
    assert!(output.ends_with("[exit status: 0]\n"), "{output}");
    // ... and the cache it writes is history's again.
    let notice = run_in(&dir, &["notice"], &[]);
    assert!(
        notice.contains("Telnyx LLC") && !notice.contains("Evilnx"),
        "{notice}"
    );
}
