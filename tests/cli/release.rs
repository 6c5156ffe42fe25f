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
