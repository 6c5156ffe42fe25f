//! The test environment: a temporary register repository, a hermetic way to
//! run the binary, and git fixtures with fixed signatures.

use std::path::Path;
use std::process::Command;

/// A temporary directory holding one register repository.
pub struct TestEnv {
    dir: tempfile::TempDir,
}

impl TestEnv {
    pub fn new() -> Self {
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A register copied from `tests/fixtures/NAME` (or `example` for the
    /// project's bundled register).
    pub fn with_fixture(name: &str) -> Self {
        let env = TestEnv::new();
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let source = if name == "example" {
            manifest.to_owned()
        } else {
            manifest.join("tests/fixtures").join(name)
        };
        std::fs::copy(
            source.join("subledger.toml"),
            env.root().join("subledger.toml"),
        )
        .unwrap();
        copy_dir(&source.join("register"), &env.root().join("register"));
        env
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file under the root, creating directories.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root().join(rel)).unwrap();
    }

    /// Runs the binary in the root with a clean environment.
    pub fn run(&self, args: &[&str]) -> String {
        self.run_with(args, &[])
    }

    /// Runs the binary with extra environment variables; returns stdout,
    /// stderr and the exit status as one text, with the root as `$ROOT`.
    pub fn run_with(&self, args: &[&str], envs: &[(&str, &str)]) -> String {
        run_in(self.root(), args, envs)
    }
}

/// The binary, to run in `cwd` with a clean environment.
pub fn command(cwd: &Path, args: &[&str], envs: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_subledger"));
    command
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", cwd)
        .envs(envs.iter().copied());
    command
}

/// Runs the binary in `cwd` with `input` on its standard input.
pub fn run_stdin(cwd: &Path, args: &[&str], input: &[u8]) -> String {
    use std::io::Write;
    let mut child = command(cwd, args, &[])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run subledger");
    child.stdin.take().unwrap().write_all(input).unwrap();
    render_output(cwd, child.wait_with_output().unwrap())
}

/// Runs the binary in `cwd` and renders what it did.
pub fn run_in(cwd: &Path, args: &[&str], envs: &[(&str, &str)]) -> String {
    let output = command(cwd, args, envs).output().expect("run subledger");
    render_output(cwd, output)
}

/// stdout, stderr and the exit status as one text, with `cwd` as `$ROOT`.
fn render_output(cwd: &Path, output: std::process::Output) -> String {
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.stderr.is_empty() {
        text.push_str("------- stderr -------\n");
        text.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    let code = output
        .status
        .code()
        .map_or("signal".to_owned(), |c| c.to_string());
    text.push_str(&format!("[exit status: {code}]\n"));
    let root = cwd.canonicalize().unwrap_or_else(|_| cwd.to_owned());
    text.replace(&root.display().to_string(), "$ROOT")
        .replace(&cwd.display().to_string(), "$ROOT")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// A git repository in the test root, committed to with fixed signatures.
pub struct Git {
    pub repo: git2::Repository,
    time: i64,
}

impl Git {
    /// `git init -b main` in `root`.
    pub fn init(root: &Path) -> Git {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        Git {
            repo: git2::Repository::init_opts(root, &opts).unwrap(),
            time: 1_767_261_600, // 2026-01-01T10:00:00Z
        }
    }

    /// Stages the whole work tree (additions and deletions) and commits it,
    /// one day after the previous commit. Returns the commit id.
    pub fn commit_all(&mut self, message: &str) -> String {
        let sig = self.next_signature("Ada Auditor", "ada@example.com");
        let tree = self.stage_all();
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap()
            .to_string()
    }
}

impl Git {
    /// Stages the whole work tree (additions and deletions); returns its tree.
    fn stage_all(&self) -> git2::Tree<'_> {
        let mut index = self.repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
        self.repo.find_tree(index.write_tree().unwrap()).unwrap()
    }

    /// A signature one day after the previous one.
    fn next_signature(&mut self, name: &str, email: &str) -> git2::Signature<'static> {
        let sig = git2::Signature::new(name, email, &git2::Time::new(self.time, 0)).unwrap();
        self.time += 86_400;
        sig
    }

    /// An annotated tag on `commit`, dated like the next commit.
    pub fn tag(&mut self, name: &str, commit: &str) {
        let object = self
            .repo
            .find_object(git2::Oid::from_str(commit).unwrap(), None)
            .unwrap();
        let sig = git2::Signature::new(
            "Lena Legal",
            "lena@example.com",
            &git2::Time::new(self.time, 0),
        )
        .unwrap();
        self.repo
            .tag(name, &object, &sig, "release", false)
            .unwrap();
    }

    /// Commits the work tree on HEAD with `others` as further parents (a
    /// merge; an octopus with more than one). Returns the commit id.
    pub fn merge(&mut self, message: &str, others: &[&str]) -> String {
        let sig = self.next_signature("Mia Merger", "mia@example.com");
        let tree = self.stage_all();
        let head = self.repo.head().unwrap().peel_to_commit().unwrap();
        let others: Vec<git2::Commit> = others
            .iter()
            .map(|id| {
                self.repo
                    .find_commit(git2::Oid::from_str(id).unwrap())
                    .unwrap()
            })
            .collect();
        let parents: Vec<&git2::Commit> = std::iter::once(&head).chain(&others).collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap()
            .to_string()
    }

    /// Commits the work tree on a side branch whose tip is `parent`, without
    /// moving HEAD. Returns the commit id.
    pub fn commit_side(&mut self, message: &str, parent: &str) -> String {
        let sig = self.next_signature("Sam Side", "sam@example.com");
        let head = self
            .repo
            .find_commit(git2::Oid::from_str(parent).unwrap())
            .unwrap();
        let tree = self.stage_all();
        self.repo
            .commit(None, &sig, &sig, message, &tree, &[&head])
            .unwrap()
            .to_string()
    }
}

/// Runs git in `root`; panics when it fails.
pub fn git_cli(root: &Path, args: &[&str], stdin: Option<&Path>) {
    let mut command = Command::new("git");
    command
        .args(args)
        .current_dir(root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    if let Some(file) = stdin {
        command.stdin(std::fs::File::open(file).unwrap());
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
}

/// The repository made by ../shared/tools/gen-register-repo (300 commits,
/// merges, renames, re-adds, removals, syntax and schema errors), kept in
/// the project as its fast-export stream and truth file.
pub fn generated_repo() -> TestEnv {
    let env = TestEnv::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generated");
    git_cli(env.root(), &["init", "-q", "-b", "main"], None);
    git_cli(
        env.root(),
        &["fast-import", "--quiet"],
        Some(&fixtures.join("history.fast-export")),
    );
    git_cli(env.root(), &["checkout", "-q", "main"], None);
    env
}

/// A JSON Schema from the project (`tests/fixtures/…` or `schemas/…`).
pub fn validator(rel: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// `text` parsed, after asserting that it is valid under `validator`.
pub fn assert_valid(validator: &jsonschema::Validator, text: &str) -> serde_json::Value {
    let value: serde_json::Value = serde_json::from_str(text).expect("JSON");
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{text}");
    value
}

/// The published schema of an output, from `schemas/`.
pub fn output_schema(name: &str) -> jsonschema::Validator {
    validator(&format!("schemas/{name}"))
}
