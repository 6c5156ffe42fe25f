//! `subledger release`: the tag it makes, and every state it refuses.

use crate::common::{Git, TestEnv};

const CONFIG: &str = "[register]\nname = \"Acme\"\n\n[notice]\ndays = 30\n\n[[section]]\nid = \"hosting\"\ntitle = \"Hosting\"\nscope = \"transparency\"\n";

fn vendor(name: &str, extra: &str) -> String {
    format!(
        "name = \"{name}\"\nsection = \"hosting\"\npurpose = \"Hosting\"\ndata_categories = [\"All customer data\"]\nlocations = [\"DE\"]\n{extra}"
    )
}

/// A committed register with git's user.name and user.email set.
fn repository() -> (TestEnv, Git) {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    env.write("register/ovh.toml", vendor("OVH", ""));
    let mut git = Git::init(env.root());
    git.commit_all("Start the register");
    let mut config = git.repo.config().unwrap();
    config.set_str("user.name", "Lena Legal").unwrap();
    config.set_str("user.email", "lena@example.com").unwrap();
    (env, git)
}

fn tag_message(git: &Git, name: &str) -> String {
    let reference = git
        .repo
        .find_reference(&format!("refs/tags/{name}"))
        .unwrap();
    let tag = reference.peel_to_tag().unwrap();
    let tagger = tag.tagger().unwrap();
    format!(
        "tagger: {} <{}> {}\n\n{}",
        tagger.name().unwrap(),
        tagger.email().unwrap(),
        tagger.when().seconds(),
        tag.message().unwrap().unwrap()
    )
}

#[test]
fn a_release_tags_the_tip_with_a_summary_and_checkable_lines() {
    let (env, mut git) = repository();
    insta::assert_snapshot!(env.run(&["release", "--date", "2026-01-15", "--dry-run"]));
    assert!(
        git.repo
            .find_reference("refs/tags/subprocessors/2026-01-15")
            .is_err(),
        "--dry-run makes nothing"
    );
    insta::assert_snapshot!(env.run(&["release", "--date", "2026-01-15", "-m", "First list"]));
    insta::assert_snapshot!(tag_message(&git, "subprocessors/2026-01-15"));

    env.write("register/ovh.toml", vendor("OVH", "notes = \"Roubaix\"\n"));
    env.write("register/scw.toml", vendor("Scaleway", ""));
    git.commit_all("Scaleway, and a note on OVH");
    // SOURCE_DATE_EPOCH gives the date when --date does not.
    let output = env.run_with(&["release"], &[("SOURCE_DATE_EPOCH", "1772366400")]);
    insta::assert_snapshot!(output);
    insta::assert_snapshot!(tag_message(&git, "subprocessors/2026-03-01"));
    // A second release on one day gets .2.
    let again = env.run_with(
        &["release", "--allow-empty"],
        &[("SOURCE_DATE_EPOCH", "1772366400")],
    );
    assert!(
        again.starts_with("released subprocessors/2026-03-01.2 "),
        "{again}"
    );
    // Releases show in the timeline.
    insta::assert_snapshot!(env.run(&["timeline"]));
}

#[test]
fn release_refuses_each_bad_state_and_says_what_to_do() {
    let (env, mut git) = repository();
    let release = |env: &TestEnv| env.run(&["release", "--date", "2026-01-15"]);

    // Uncommitted and untracked changes in the register.
    env.write("register/ovh.toml", vendor("OVH", "notes = \"draft\"\n"));
    env.write("register/new.toml", vendor("New", ""));
    insta::assert_snapshot!(release(&env));
    env.write("register/ovh.toml", vendor("OVH", ""));
    env.remove("register/new.toml");

    // Errors at the tip.
    env.write("register/bad.toml", "name = \"Bad\"\n");
    git.commit_all("A vendor without its required keys");
    insta::assert_snapshot!(release(&env));
    env.remove("register/bad.toml");
    git.commit_all("Remove it");

    // HEAD not on the configured branch.
    {
        let head = git.repo.head().unwrap().peel_to_commit().unwrap();
        git.repo.branch("draft", &head, false).unwrap();
    }
    git.repo.set_head("refs/heads/draft").unwrap();
    insta::assert_snapshot!(release(&env));
    git.repo.set_head("refs/heads/main").unwrap();

    // The tag exists; then nothing changed since the previous release.
    assert!(release(&env).ends_with("[exit status: 0]\n"));
    insta::assert_snapshot!(env.run(&[
        "release",
        "subprocessors/2026-01-15",
        "--date",
        "2026-01-16"
    ]));
    insta::assert_snapshot!(env.run(&["release", "--date", "2026-01-16"]));

    // A vendor that starts inside the notice period without a reason.
    env.write(
        "register/scw.toml",
        vendor("Scaleway", "effective = 2026-02-01\n"),
    );
    git.commit_all("Scaleway from February");
    insta::assert_snapshot!(env.run(&["release", "--date", "2026-01-20"]));
    env.write(
        "register/scw.toml",
        vendor(
            "Scaleway",
            "effective = 2026-02-01\nemergency = \"OVH outage; replacement needed at once\"\n",
        ),
    );
    git.commit_all("Scaleway: emergency");
    assert!(
        env.run(&["release", "--date", "2026-01-20"])
            .ends_with("[exit status: 0]\n")
    );

    // Signing without a signing setup.
    env.write("register/ovh.toml", vendor("OVH", "notes = \"Roubaix\"\n"));
    git.commit_all("OVH note");
    let signed = env.run(&["release", "--date", "2026-01-25", "--sign"]);
    assert!(
        signed.contains("refused: git could not sign the tag"),
        "{signed}"
    );
    assert!(
        git.repo
            .find_reference("refs/tags/subprocessors/2026-01-25")
            .is_err()
    );
}

#[test]
fn release_needs_a_git_identity() {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    env.write("register/ovh.toml", vendor("OVH", ""));
    let mut git = Git::init(env.root());
    git.commit_all("Start");
    insta::assert_snapshot!(env.run(&["release", "--date", "2026-01-15"]));
}

#[test]
fn sign_makes_a_signed_tag_through_git() {
    let (env, git) = repository();
    let key = env.root().join(".signing-key");
    let status = std::process::Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "lena@example.com",
            "-f",
        ])
        .arg(&key)
        .status()
        .expect("ssh-keygen (openssh-client) is needed; .ci/run installs it");
    assert!(status.success());
    let mut config = git.repo.config().unwrap();
    config.set_str("gpg.format", "ssh").unwrap();
    config
        .set_str("user.signingkey", key.to_str().unwrap())
        .unwrap();
    let output = env.run(&["release", "--date", "2026-01-15", "--sign"]);
    assert!(
        output.starts_with("released subprocessors/2026-01-15 "),
        "{output}"
    );
    let reference = git
        .repo
        .find_reference("refs/tags/subprocessors/2026-01-15")
        .unwrap();
    let tag = reference.peel_to_tag().unwrap();
    let message = tag.message().unwrap().unwrap();
    assert!(message.contains("Release-Date: 2026-01-15"), "{message}");
    assert!(
        message.contains("-----BEGIN SSH SIGNATURE-----"),
        "{message}"
    );
    assert_eq!(
        tag.tagger().unwrap().when().seconds(),
        1_768_478_400,
        "noon UTC on --date"
    );
}

#[test]
fn a_release_is_never_dated_before_what_it_releases() {
    let (env, mut git) = repository();
    // The tip is committed on 2026-01-02 at 10:00 UTC.
    env.write("register/scw.toml", vendor("Scaleway", ""));
    git.commit_all("Add Scaleway");
    let mut refused = vec![env.run(&["release", "--date", "2026-01-01"])];
    // The same day is fine: the tag is dated no earlier than the commit.
    assert!(
        env.run(&["release", "--date", "2026-01-02"])
            .ends_with("[exit status: 0]\n")
    );
    assert!(
        tag_message(&git, "subprocessors/2026-01-02")
            .starts_with("tagger: Lena Legal <lena@example.com> 1767355200\n")
    );
    env.write("register/ovh.toml", vendor("OVH", "notes = \"Roubaix\"\n"));
    git.commit_all("OVH note");
    // A clock (or SOURCE_DATE_EPOCH) set back to 1980.
    refused.push(env.run_with(&["release"], &[("SOURCE_DATE_EPOCH", "315532800")]));
    assert!(
        env.run(&["release", "--date", "2026-01-20"])
            .ends_with("[exit status: 0]\n")
    );
    env.write(
        "register/ovh.toml",
        vendor("OVH", "notes = \"Gravelines\"\n"),
    );
    git.commit_all("OVH moved");
    // Before the previous release (and after the commit).
    refused.push(env.run(&["release", "--date", "2026-01-10"]));
    insta::assert_snapshot!(refused.join("\n"));
}

#[test]
fn a_tag_dated_before_its_commit_or_the_release_before_is_reported() {
    let (env, mut git) = repository();
    let first = git.commit_all("Nothing new, a release");
    assert!(
        env.run(&["release", "--date", "2026-01-05"])
            .ends_with("[exit status: 0]\n")
    );
    let _ = first;
    env.write("register/scw.toml", vendor("Scaleway", ""));
    let tip = git.commit_all("Add Scaleway");
    // Tagged with plain git, backdated by its tagger date and its message.
    let status = std::process::Command::new("git")
        .args([
            "tag",
            "-a",
            "-m",
            "Sub-processor list\n\nRelease-Date: 2025-12-01",
            "subprocessors/2025-12-01",
            &tip,
        ])
        .current_dir(env.root())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_COMMITTER_NAME", "Mallory")
        .env("GIT_COMMITTER_EMAIL", "mallory@example.com")
        .env("GIT_COMMITTER_DATE", "2025-12-01T09:00:00Z")
        .status()
        .unwrap();
    assert!(status.success());
    insta::assert_snapshot!(env.run(&["verify"]));
    let audit = env.run(&["audit"]);
    let flagged: Vec<&str> = audit
        .lines()
        .filter(|l| l.contains("Does not hold"))
        .collect();
    insta::assert_snapshot!(flagged.join("\n"));
    // What it dates would be false: the notice, the page and the feed refuse.
    for args in [&["notice"][..], &["render"], &["feed"]] {
        let output = env.run(args);
        assert!(
            output.ends_with("[exit status: 2]\n")
                && output.contains("release subprocessors/2025-12-01 does not hold"),
            "{args:?}: {output}"
        );
    }
}

#[test]
fn the_latest_release_made_again_as_a_lightweight_tag_elsewhere_is_caught() {
    let (env, mut git) = repository();
    assert!(
        env.run(&["release", "--date", "2026-01-05"])
            .ends_with("[exit status: 0]\n")
    );
    env.write("register/scw.toml", vendor("Scaleway", ""));
    git.commit_all("Add Scaleway");
    assert!(
        env.run(&["release", "--date", "2026-01-20"])
            .ends_with("[exit status: 0]\n")
    );
    // Hetzner is added without notice, and the published release is
    // deleted and made again by hand at the new commit: nothing later
    // records where it was.
    env.write("register/hetzner.toml", vendor("Hetzner", ""));
    let head = git.commit_all("Add Hetzner");
    git.repo.tag_delete("subprocessors/2026-01-20").unwrap();
    let target = git.repo.revparse_single(&head).unwrap();
    git.repo
        .tag_lightweight("subprocessors/2026-01-20", &target, false)
        .unwrap();
    insta::assert_snapshot!(env.run(&["verify"]));
}

#[test]
fn a_release_inserted_between_two_published_ones_is_caught() {
    let (env, mut git) = repository();
    assert!(
        env.run(&["release", "--date", "2026-01-05"])
            .ends_with("[exit status: 0]\n")
    );
    env.write("register/scw.toml", vendor("Scaleway", ""));
    let middle = git.commit_all("Add Scaleway");
    env.write("register/hetzner.toml", vendor("Hetzner", ""));
    git.commit_all("Add Hetzner");
    assert!(
        env.run(&["release", "--date", "2026-01-20"])
            .ends_with("[exit status: 0]\n")
    );
    // Later, someone tags the commit in between with plain git.
    let target = git.repo.revparse_single(&middle).unwrap();
    git.repo
        .tag_lightweight("subprocessors/2026-01-10", &target, false)
        .unwrap();
    let outputs = [
        env.run(&["verify"]),
        env.run(&["notice"]),
        env.run(&["feed"]),
    ];
    assert!(outputs[0].ends_with("[exit status: 1]\n"), "{}", outputs[0]);
    assert!(outputs[1].ends_with("[exit status: 2]\n"), "{}", outputs[1]);
    assert!(outputs[2].ends_with("[exit status: 2]\n"), "{}", outputs[2]);
    insta::assert_snapshot!(outputs[..2].join("\n"));
    // Asked for explicitly, the notice between the two published releases
    // is what it was.
    let explicit = env.run(&[
        "notice",
        "subprocessors/2026-01-05",
        "subprocessors/2026-01-20",
    ]);
    assert!(
        explicit.contains("Scaleway") && explicit.contains("Hetzner"),
        "{explicit}"
    );
}

#[test]
fn a_second_release_on_one_commit_has_no_changes_anywhere() {
    let (env, mut git) = repository();
    let _ = &mut git;
    assert!(
        env.run(&["release", "--date", "2026-01-15"])
            .ends_with("[exit status: 0]\n")
    );
    let again = env.run(&["release", "--date", "2026-01-15", "--allow-empty"]);
    assert!(
        again.contains("released subprocessors/2026-01-15.2 "),
        "{again}"
    );
    assert!(again.contains(": no changes;"), "{again}");
    // Its notice, its feed entry and its audit say the same: no changes.
    let notice = env.run(&["notice", "--format", "json"]);
    let json: serde_json::Value =
        serde_json::from_str(notice.split("[exit status").next().unwrap()).unwrap();
    assert_eq!(json["from"]["release"], "subprocessors/2026-01-15");
    assert_eq!(json["to"]["release"], "subprocessors/2026-01-15.2");
    assert_eq!(json["needs_notice"], serde_json::json!([]));
    assert_eq!(json["informational"], serde_json::json!([]));
    let feed = env.run(&["feed"]);
    let newest = &feed[feed.find("<entry>").unwrap()..feed.find("</entry>").unwrap()];
    assert!(newest.contains("subprocessors/2026-01-15.2"), "{newest}");
    assert!(newest.contains("No change needs notice."), "{newest}");
    let audit = env.run(&["audit"]);
    let section = &audit[audit.find("### subprocessors/2026-01-15.2").unwrap()..];
    assert!(section.contains("No changes."), "{section}");
}

#[test]
fn messages_say_what_happened_and_what_to_do() {
    let mut outputs = Vec::new();
    // A release in a repository without commits.
    let empty = TestEnv::new();
    empty.write("subledger.toml", CONFIG);
    empty.write("register/ovh.toml", vendor("OVH", ""));
    Git::init(empty.root());
    outputs.push(empty.run(&["release", "--date", "2026-01-15"]));
    // A page that cannot be written.
    let (env, _git) = repository();
    outputs.push(env.run(&["render", "--at", "HEAD", "--out", "/proc/nope/x.md"]));
    // Where the file beside the target cannot be made, and a file stands
    // where a directory should.
    outputs.push(env.run(&[
        "render",
        "--at",
        "HEAD",
        "--out",
        "/proc/version",
        "--force",
    ]));
    env.write("afile", "");
    outputs.push(env.run(&["render", "--at", "HEAD", "--out", "afile/x.md"]));
    // An HTML page to import.
    env.write(
        "page.html",
        "<!DOCTYPE html><html><body><p>Our vendors</p></body></html>\n",
    );
    outputs.push(env.run(&["import", "page.html"]));
    insta::assert_snapshot!(outputs.join("\n"));
}

#[test]
fn of_two_releases_racing_for_one_tag_the_loser_is_refused() {
    for round in 0..20 {
        let (env, _git) = repository();
        let spawn = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_subledger"))
                .args(["release", "subprocessors/race", "--date", "2026-01-15"])
                .current_dir(env.root())
                .env_clear()
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("HOME", env.root())
                .output()
                .unwrap()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(spawn);
            let b = s.spawn(spawn);
            (a.join().unwrap(), b.join().unwrap())
        });
        let ok = [&a, &b].iter().filter(|o| o.status.success()).count();
        assert_eq!(ok, 1, "round {round}: {a:?} {b:?}");
        let loser = if a.status.success() { &b } else { &a };
        let stderr = String::from_utf8_lossy(&loser.stderr);
        // Refused: by the check for an existing tag, by git's lock on it,
        // or (when the other came first) as having nothing new to release.
        assert!(
            stderr.starts_with("subledger: error: refused: "),
            "round {round}: {stderr}"
        );
        assert_eq!(loser.status.code(), Some(2));
    }
}

#[test]
fn a_deleted_or_moved_release_is_refused_where_it_would_count() {
    let (env, mut git) = repository();
    for (date, vendor_id) in [
        ("2026-01-05", ""),
        ("2026-01-20", "scw"),
        ("2026-02-10", "hetzner"),
    ] {
        if !vendor_id.is_empty() {
            env.write(&format!("register/{vendor_id}.toml"), vendor(vendor_id, ""));
            git.commit_all(&format!("Add {vendor_id}"));
        }
        assert!(
            env.run(&["release", "--date", date])
                .ends_with("[exit status: 0]\n")
        );
    }
    // The middle release deleted: the last one's changes would count from
    // the first, which no customer was told.
    let tag = |name: &str| {
        git.repo
            .find_reference(&format!("refs/tags/{name}"))
            .unwrap()
            .peel_to_tag()
            .unwrap()
    };
    let middle = tag("subprocessors/2026-01-20");
    let message = middle.message().unwrap().unwrap().to_owned();
    let target = middle.target_id();
    git.repo.tag_delete("subprocessors/2026-01-20").unwrap();
    let mut outputs = Vec::new();
    for args in [&["notice"][..], &["feed"], &["render"]] {
        let output = env.run(args);
        assert!(output.ends_with("[exit status: 2]\n"), "{args:?}: {output}");
        outputs.push(output);
    }
    // Put back on another commit, with its old message: the register tree
    // it records is not its commit's.
    let first = git.repo.find_commit(target).unwrap().parent(0).unwrap();
    let sig = git2::Signature::new(
        "Mallory",
        "m@example.com",
        &git2::Time::new(1_768_000_000, 0),
    )
    .unwrap();
    git.repo
        .tag(
            "subprocessors/2026-01-20",
            first.as_object(),
            &sig,
            &message,
            false,
        )
        .unwrap();
    for args in [
        &[
            "notice",
            "subprocessors/2026-01-05",
            "subprocessors/2026-01-20",
        ][..],
        &["feed"],
        &["render", "--at", "subprocessors/2026-01-20"],
    ] {
        let output = env.run(args);
        assert!(output.ends_with("[exit status: 2]\n"), "{args:?}: {output}");
        outputs.push(output);
    }
    insta::assert_snapshot!(outputs.join("\n"));
}
