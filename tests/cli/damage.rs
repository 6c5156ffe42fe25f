//! Incomplete and damaged repositories: a partial clone, a missing object,
//! a damaged or interrupted timeline cache, refs git refuses, a commit-graph
//! whose parent links loop. Each is either answered exactly or refused with
//! a message that says what is missing and what to do; never answered
//! differently with exit 0.

use crate::common::{TestEnv, generated_repo, git_cli, run_in};
use crate::history::{small_history, vendor, walked};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `git clone [ARGS] file://SOURCE TARGET`.
fn clone(source: &Path, target: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("clone")
        .arg("-q")
        .args(args)
        .arg(format!("file://{}", source.display()))
        .arg(target)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .unwrap();
    assert!(status.success(), "git clone {args:?}");
}

#[test]
fn a_partial_clone_names_the_missing_blob_and_how_to_fetch_it() {
    let (env, _git, _) = small_history();
    git_cli(
        env.root(),
        &["config", "uploadpack.allowFilter", "true"],
        None,
    );
    let full = env.run(&["timeline", "--format", "json"]);
    let clones = TestEnv::new();
    let dir = clones.root().join("partial");
    clone(env.root(), &dir, &["--filter=blob:none"]);
    // Every history command needs the vendor files' old versions.
    let output = run_in(&dir, &["timeline"], &[]);
    insta::assert_snapshot!(output);
    for args in [
        &["notice"][..],
        &["render"],
        &["audit"],
        &["history", "aws"],
        &["list", "--at", "2026-01-02"],
    ] {
        let output = run_in(&dir, args, &[]);
        assert!(
            output.ends_with("[exit status: 2]\n") && output.contains("partial clone"),
            "{args:?}: {output}"
        );
    }
    // What the hint says to run fetches what was missing.
    git_cli(
        &dir,
        &["fetch", "-q", "--refetch", "--no-filter", "origin"],
        None,
    );
    assert_eq!(run_in(&dir, &["timeline", "--format", "json"], &[]), full);
}

/// Where git keeps a loose object.
fn loose(root: &Path, id: &str) -> PathBuf {
    root.join(".git/objects").join(&id[..2]).join(&id[2..])
}

fn rev_parse(root: &Path, spec: &str) -> String {
    let output = Command::new("git")
        .args(["rev-parse", spec])
        .current_dir(root)
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

#[test]
fn a_missing_object_is_named_with_its_path_and_commit() {
    let (env, _git, _) = small_history();
    // The first version of aws.toml is gone from the object store.
    let blob = rev_parse(env.root(), "HEAD~1:register/aws.toml");
    std::fs::remove_file(loose(env.root(), &blob)).unwrap();
    insta::assert_snapshot!(env.run(&["timeline"]));
    insta::assert_snapshot!(env.run(&["diff", "HEAD~1", "HEAD"]));
}

#[test]
fn a_damaged_cache_is_ignored_and_rebuilt_never_believed() {
    // A history with releases, a rename and a removal, so the cache holds
    // every kind of record.
    let (env, mut git, _) = small_history();
    env.write("register/hetzner.toml", vendor("Hetzner", "\"DE\""));
    env.remove("register/ovh.toml");
    git.commit_all("Hetzner instead of OVH");
    let renamed = vendor("AWS", "\"US\", \"DE\"") + "previous_ids = [\"aws\"]\n";
    env.remove("register/aws.toml");
    env.write("register/amazon.toml", renamed);
    let tip = git.commit_all("aws is amazon now");
    git.tag("subprocessors/2026-02", &tip);
    let cache = env.root().join(".git/subledger/timeline-register.bin");
    let asked: [&[&str]; 2] = [
        &["render", "--format", "json"],
        &["timeline", "--format", "json"],
    ];
    let answers: Vec<String> = asked.iter().map(|args| walked(&env, args)).collect();
    let good = std::fs::read(&cache).unwrap();
    assert!(good.len() > 1000, "{}", good.len());
    // Every byte of the first and last 64, and a spread of the rest.
    let positions: Vec<usize> = (0..64)
        .chain((64..good.len() - 64).step_by(good.len() / 150))
        .chain(good.len() - 64..good.len())
        .collect();
    for (n, at) in positions.iter().enumerate() {
        let mut bad = good.clone();
        bad[*at] ^= 1 << (n % 8);
        std::fs::write(&cache, &bad).unwrap();
        let args = asked[n % 2];
        assert_eq!(
            &env.run(args),
            &answers[n % 2],
            "byte {at} flipped, {args:?}"
        );
        // ... and the cache written again is the good one.
        assert_eq!(std::fs::read(&cache).unwrap(), good, "byte {at} flipped");
    }
    // A cache cut short, or from another version of the format, likewise.
    std::fs::write(&cache, &good[..good.len() / 2]).unwrap();
    assert_eq!(env.run(asked[0]), answers[0]);
    std::fs::write(&cache, b"subledger-cache\ngarbage").unwrap();
    assert_eq!(env.run(asked[1]), answers[1]);
    assert_eq!(std::fs::read(&cache).unwrap(), good);
}

#[test]
fn interrupted_cache_writes_leave_at_most_one_temporary_file() {
    let env = generated_repo();
    let dir = env.root().join(".git/subledger");
    let temporary = || -> Vec<String> {
        std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".tmp"))
                    .collect()
            })
            .unwrap_or_default()
    };
    // What an earlier version left behind, one file per interrupted run.
    std::fs::create_dir_all(&dir).unwrap();
    for pid in [101, 202] {
        std::fs::write(dir.join(format!(".timeline-entries.{pid}.tmp")), "x").unwrap();
        std::fs::write(dir.join(format!(".timeline-entries.{pid}.bin.tmp")), "x").unwrap();
    }
    for round in 0..30u64 {
        let _ = std::fs::remove_file(dir.join("timeline-register.bin"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_subledger"))
            .args(["timeline", "--format", "json"])
            .current_dir(env.root())
            .env_clear()
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5 + round * 7 % 120));
        let _ = child.kill();
        let _ = child.wait();
        // (The earlier version's files go when a run starts writing.)
        let left: Vec<String> = temporary()
            .into_iter()
            .filter(|n| !n.starts_with(".timeline-entries."))
            .collect();
        assert!(left.len() <= 1, "round {round}: {left:?}");
    }
    let complete = env.run(&["timeline", "--format", "json"]);
    assert!(complete.ends_with("[exit status: 0]\n"));
    assert_eq!(temporary(), Vec::<String>::new());
    assert!(dir.join("timeline-register.bin").is_file());
}

#[test]
fn refs_git_refuses_are_refused_naming_the_file_and_line() {
    let (env, mut git, commits) = small_history();
    git.tag("subprocessors/2026-02", &commits[2]);
    git_cli(env.root(), &["pack-refs", "--all"], None);
    let packed = env.root().join(".git/packed-refs");
    let good = std::fs::read_to_string(&packed).unwrap();
    assert_eq!(
        env.run(&["verify"]).lines().last(),
        Some("[exit status: 0]")
    );
    let head = rev_parse(env.root(), "HEAD");
    let mut outputs = Vec::new();
    for bad in [
        good.replacen('\n', "\ngarbage line here\n", 1),
        format!("{good}{head} refs/tags/subprocessors/a b\n"),
        format!("{good}{head} refs/tags/../x\n"),
    ] {
        std::fs::write(&packed, &bad).unwrap();
        for args in [&["verify"][..], &["render"], &["timeline"]] {
            let output = env.run(args);
            assert!(output.ends_with("[exit status: 2]\n"), "{args:?}: {output}");
        }
        outputs.push(env.run(&["verify"]));
    }
    std::fs::write(&packed, &good).unwrap();
    // A loose ref with a broken name or broken content.
    let tags = env.root().join(".git/refs/tags/subprocessors");
    std::fs::create_dir_all(&tags).unwrap();
    std::fs::write(tags.join("with space"), format!("{head}\n")).unwrap();
    outputs.push(env.run(&["verify"]));
    std::fs::remove_file(tags.join("with space")).unwrap();
    std::fs::write(tags.join("garbage"), "garbage\n").unwrap();
    outputs.push(env.run(&["verify"]));
    std::fs::remove_file(tags.join("garbage")).unwrap();
    // The branch HEAD points to, damaged (a loose ref file over the packed
    // one): named, with how to mend it.
    let main = env.root().join(".git/refs/heads/main");
    std::fs::write(&main, "garbage\n").unwrap();
    outputs.push(env.run(&["timeline"]));
    std::fs::remove_file(&main).unwrap();
    insta::assert_snapshot!(outputs.join("\n"));
}

#[test]
fn a_release_tag_on_a_tree_or_blob_is_irregular() {
    let (env, _git, _) = small_history();
    let tree = rev_parse(env.root(), "HEAD^{tree}");
    let blob = rev_parse(env.root(), "HEAD:register/aws.toml");
    git_cli(env.root(), &["tag", "subprocessors/tree", &tree], None);
    git_cli(
        env.root(),
        &[
            "-c",
            "user.name=Lena Legal",
            "-c",
            "user.email=lena@example.com",
            "tag",
            "-a",
            "-m",
            "a blob",
            "subprocessors/blob",
            &blob,
        ],
        None,
    );
    insta::assert_snapshot!(env.run(&["verify"]));
    let audit = env.run(&["audit", "--format", "json"]);
    let json: serde_json::Value =
        serde_json::from_str(audit.split("[exit status").next().unwrap()).unwrap();
    insta::assert_snapshot!(serde_json::to_string_pretty(&json["irregular_tags"]).unwrap());
    insta::assert_snapshot!(env.run(&["notice", "subprocessors/tree"]));
}

#[test]
fn a_commit_graph_whose_parents_loop_is_not_followed() {
    let env = generated_repo();
    let json = ["timeline", "--format", "json"];
    let expected = walked(&env, &json);
    git_cli(env.root(), &["commit-graph", "write", "--reachable"], None);
    let path = env.root().join(".git/objects/info/commit-graph");
    let mut data = std::fs::read(&path).unwrap();
    let chunk = |data: &[u8], id: &[u8]| {
        (0..usize::from(data[6]))
            .map(|i| 8 + 12 * i)
            .find(|&at| &data[at..at + 4] == id)
            .map(|at| u64::from_be_bytes(data[at + 4..at + 12].try_into().unwrap()) as usize)
            .unwrap()
    };
    let (oids, cdat) = (chunk(&data, b"OIDL"), chunk(&data, b"CDAT"));
    // The root commit's first parent becomes the tip: a loop.
    let position = |id: &str| {
        let id = git2::Oid::from_str(id).unwrap();
        (0..)
            .find(|i| &data[oids + 20 * i..oids + 20 * i + 20] == id.as_bytes())
            .unwrap()
    };
    let roots = Command::new("git")
        .args(["rev-list", "--first-parent", "--max-parents=0", "main"])
        .current_dir(env.root())
        .output()
        .unwrap();
    let root = String::from_utf8(roots.stdout).unwrap().trim().to_owned();
    let (root_at, tip_at) = (
        position(&root),
        position(&rev_parse(env.root(), "main")) as u32,
    );
    data[cdat + 36 * root_at + 20..cdat + 36 * root_at + 24].copy_from_slice(&tip_at.to_be_bytes());
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).unwrap();
    std::fs::write(&path, data).unwrap();
    // The walk must end (a loop made the old one allocate without bound).
    let out_path = env.root().join(".git/timeline.out");
    let err_path = env.root().join(".git/timeline.err");
    let mut child = Command::new(env!("CARGO_BIN_EXE_subledger"))
        .args(json)
        .current_dir(env.root())
        .env_clear()
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the walk did not end");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let stdout = std::fs::read_to_string(&out_path).unwrap();
    let stderr = std::fs::read_to_string(&err_path).unwrap();
    // Either the commits' own answer, or an error that names the graph.
    match status.code() {
        Some(0) => assert_eq!(format!("{stdout}[exit status: 0]\n"), expected),
        Some(2) => assert!(stderr.contains("commit-graph"), "{stderr}"),
        other => panic!("{other:?}: {stderr}"),
    }
}
