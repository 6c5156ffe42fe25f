//! Install and release: what can run here runs (a repository of another
//! user, as a container mounts it); what cannot (a release upload, a
//! Docker build: no daemon here) is checked for agreeing with itself:
//! binstall's URLs name the archives dist builds, the Dockerfile copies
//! files that exist and runs as a user, and README's Install lines say the
//! same.

use crate::common::{TestEnv, command, run_in};
use std::path::Path;

fn manifest_file(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

fn toml_file(rel: &str) -> toml::Table {
    manifest_file(rel).parse().unwrap()
}

#[test]
fn a_repository_of_another_user_is_refused_with_how_to_trust_it_and_opens_once_trusted() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    // As a container's volume looks to its user: owned by someone else.
    // (The tests run as root, as .ci/run does.)
    fn chown_all(path: &Path) {
        std::os::unix::fs::lchown(path, Some(65534), Some(65534))
            .expect("chown (the tests run as root)");
        if path.is_dir() && !path.is_symlink() {
            for entry in std::fs::read_dir(path).unwrap() {
                chown_all(&entry.unwrap().path());
            }
        }
    }
    chown_all(&dir);
    insta::assert_snapshot!(run_in(&dir, &["timeline", "--kind", "removed"], &[]), @r#"
    ------- stderr -------
    subledger: error: $ROOT is a git repository that belongs to another user, so git will not open it
      hint: run subledger as the user it belongs to (in a container: docker run --user "$(id -u):$(id -g)"), or trust it with `git config --global --add safe.directory $ROOT`
    [exit status: 2]
    "#);

    // Trusted in the user's global config, as the Dockerfile does.
    let home = env.root().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join(".gitconfig"), "[safe]\n\tdirectory = *\n").unwrap();
    assert!(
        manifest_file("Dockerfile").contains("RUN git config --global --add safe.directory '*'")
    );
    let output = command(&dir, &["timeline", "--kind", "removed"], &[])
        .env_remove("GIT_CONFIG_GLOBAL")
        .env("HOME", &home)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(text.contains("removed    sendgrid"), "{text}");
}

#[test]
fn binstall_urls_name_the_archives_dist_builds_for_each_target() {
    let cargo = toml_file("Cargo.toml");
    let package = cargo["package"].as_table().unwrap();
    let repo = package["repository"].as_str().unwrap();
    assert_eq!(repo, "https://github.com/subledger/subledger");
    for key in ["license", "description", "readme", "keywords", "categories"] {
        assert!(package.contains_key(key), "crates.io metadata: {key}");
    }
    for file in ["LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md"] {
        assert!(!manifest_file(file).is_empty(), "{file}");
    }
    let binstall = package["metadata"]["binstall"].as_table().unwrap();
    let dist = toml_file("dist-workspace.toml");
    let dist = dist["dist"].as_table().unwrap();
    assert_eq!(dist["ci"].as_str(), Some("github"));
    let installers: Vec<&str> = dist["installers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    assert_eq!(installers, ["shell", "powershell"]);
    let targets: Vec<&str> = dist["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        targets.contains(&"x86_64-unknown-linux-musl"),
        "static Linux"
    );
    assert!(targets.iter().any(|t| t.ends_with("apple-darwin")));
    assert!(targets.iter().any(|t| t.ends_with("windows-msvc")));

    let version = package["version"].as_str().unwrap();
    let mut urls = String::new();
    for target in targets {
        let windows = target.contains("windows");
        // dist names each archive subledger-<target><archive>: a tarball
        // holds a directory of that name, a zip the files at its root.
        let archive = dist[if windows {
            "windows-archive"
        } else {
            "unix-archive"
        }]
        .as_str()
        .unwrap();
        let over = binstall
            .get("overrides")
            .and_then(|o| o.get(target))
            .and_then(|o| o.as_table());
        let get = |key: &str| {
            over.and_then(|o| o.get(key))
                .or_else(|| binstall.get(key))
                .and_then(|v| v.as_str())
                .unwrap()
        };
        let suffix = match get("pkg-fmt") {
            "txz" => ".tar.xz",
            "zip" => ".zip",
            other => panic!("{other}"),
        };
        assert_eq!(suffix, archive, "{target}");
        let fill = |template: &str| {
            template
                .replace("{ repo }", repo)
                .replace("{ version }", version)
                .replace("{ name }", "subledger")
                .replace("{ target }", target)
                .replace("{ archive-suffix }", suffix)
                .replace("{ bin }", "subledger")
                .replace("{ binary-ext }", if windows { ".exe" } else { "" })
        };
        urls.push_str(&format!(
            "{}\n  {}\n",
            fill(get("pkg-url")),
            fill(get("bin-dir"))
        ));
    }
    insta::assert_snapshot!(urls, @r"
    https://github.com/subledger/subledger/releases/download/v0.1.0/subledger-x86_64-unknown-linux-musl.tar.xz
      subledger-x86_64-unknown-linux-musl/subledger
    https://github.com/subledger/subledger/releases/download/v0.1.0/subledger-aarch64-apple-darwin.tar.xz
      subledger-aarch64-apple-darwin/subledger
    https://github.com/subledger/subledger/releases/download/v0.1.0/subledger-x86_64-apple-darwin.tar.xz
      subledger-x86_64-apple-darwin/subledger
    https://github.com/subledger/subledger/releases/download/v0.1.0/subledger-x86_64-pc-windows-msvc.zip
      subledger.exe
    ");
    // dist's workflow releases on tags v<version>, where binstall looks.
    let workflow = manifest_file(".github/workflows/release.yml");
    assert!(workflow.contains("'**[0-9]+.[0-9]+.[0-9]+*'"), "tag filter");
    let profile = cargo["profile"]["dist"].as_table().unwrap();
    assert_eq!(profile["inherits"].as_str(), Some("release"));
}

#[test]
fn the_dockerfile_builds_in_one_stage_and_runs_as_a_user_in_another() {
    let dockerfile = manifest_file("Dockerfile");
    let instructions: Vec<&str> = dockerfile
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && !l.is_empty())
        .collect();
    let from: Vec<&&str> = instructions
        .iter()
        .filter(|l| l.starts_with("FROM "))
        .collect();
    assert_eq!(from.len(), 2, "multi-stage: {from:?}");
    assert!(from[0].ends_with(" AS build"));
    let rust = from[0].split_whitespace().nth(1).unwrap();
    let rust_version = toml_file("Cargo.toml")["package"]["rust-version"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(rust, format!("rust:{rust_version}-bookworm"), "the MSRV");
    // Every file the build stage copies exists, and is what the crate needs.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for copy in instructions.iter().filter(|l| l.starts_with("COPY ")) {
        if copy.contains("--from=") {
            continue;
        }
        let parts: Vec<&str> = copy.split_whitespace().skip(1).collect();
        for source in &parts[..parts.len() - 1] {
            assert!(manifest.join(source).exists(), "{copy}: {source}");
        }
    }
    assert!(dockerfile.contains("RUN cargo build --release --locked --bin subledger"));
    let runtime = &dockerfile[dockerfile.find(from[1]).unwrap()..];
    assert!(runtime.contains("useradd --uid 10001"));
    assert!(runtime.contains("\nUSER subledger\n"), "not root");
    assert!(runtime.contains("COPY --from=build /src/target/release/subledger /usr/local/bin/"));
    assert!(runtime.contains("ENTRYPOINT [\"subledger\"]"));
    let ignored = manifest_file(".dockerignore");
    assert!(ignored.lines().any(|l| l == "target"), "{ignored}");
}

#[test]
fn the_readme_install_section_has_one_line_each_for_binary_binstall_cargo_and_docker() {
    let readme = manifest_file("README.md");
    let section = readme
        .split("\n## Install\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap();
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    let lines: Vec<&str> = block
        .lines()
        .map(|l| l.split("  #").next().unwrap().trim())
        .collect();
    assert_eq!(
        lines,
        [
            "curl --proto '=https' --tlsv1.2 -LsSf https://github.com/subledger/subledger/releases/latest/download/subledger-installer.sh | sh",
            "cargo binstall subledger",
            "cargo install --locked --git https://github.com/subledger/subledger subledger",
            "docker build -t subledger . && docker run --rm -v \"$PWD:/register\" subledger check",
        ]
    );
}
