//! History: the timeline against the generator's truth, replayed against a
//! model, every bad input the issue lists, and the demo.

use crate::common::{Git, TestEnv, generated_repo, git_cli, run_in};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

pub const CONFIG: &str = "[register]\nname = \"Acme\"\ntag_prefix = \"subprocessors/\"\n\n[[section]]\nid = \"hosting\"\ntitle = \"Hosting\"\n\n[[section]]\nid = \"email\"\ntitle = \"Email\"\n";

pub fn vendor(name: &str, locations: &str) -> String {
    format!(
        "name = \"{name}\"\nsection = \"hosting\"\npurpose = \"Hosting for {name}\"\ndata_categories = [\"All customer data\"]\nlocations = [{locations}]\n"
    )
}

fn json_of(output: &str) -> Value {
    let stdout = output.split("[exit status").next().unwrap();
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {output}"))
}

/// The truth file's view of one event.
fn truth_event(event: &Value) -> Value {
    let kind = event["kind"].as_str().unwrap();
    let mut out = serde_json::Map::new();
    out.insert("kind".into(), event["kind"].clone());
    if kind == "renamed" {
        out.insert("from".into(), event["from"].clone());
    }
    out.insert("id".into(), event["id"].clone());
    match kind {
        "relocated" => {
            out.insert("added".into(), event["added"].clone());
            out.insert("removed".into(), event["removed"].clone());
        }
        "changed" => {
            out.insert("field".into(), event["field"].clone());
        }
        _ => {}
    }
    Value::Object(out)
}

#[test]
fn the_timeline_equals_the_generators_truth_event_for_event() {
    // A repository made by ../shared/tools/gen-register-repo (300 commits, merges,
    // renames, re-adds, removals, syntax and schema errors), kept in the
    // project as its fast-export stream and truth file.
    let env = generated_repo();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generated");
    let output = env.run(&["timeline", "--format", "json"]);
    assert!(output.ends_with("[exit status: 0]\n"), "{output}");
    let timeline = json_of(&output);
    let ours: Vec<Value> = timeline["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            serde_json::json!({
                "commit": c["commit"],
                "events": c["events"].as_array().unwrap().iter().map(truth_event).collect::<Vec<_>>(),
            })
        })
        .collect();
    let truth: Vec<Value> = std::fs::read_to_string(fixtures.join("truth.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(ours.len(), truth.len());
    for (i, (a, b)) in ours.iter().zip(&truth).enumerate() {
        assert_eq!(a, b, "commit {i} differs");
    }
    let kinds: std::collections::BTreeSet<&str> = truth
        .iter()
        .flat_map(|l| l["events"].as_array().unwrap())
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.len(),
        7,
        "the fixture exercises every kind: {kinds:?}"
    );
}

/// A tiny deterministic random number generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The model of one vendor file.
#[derive(Clone, Debug)]
struct Model {
    name: String,
    section: &'static str,
    purpose: String,
    data: Vec<String>,
    locations: Vec<&'static str>,
    notes: Option<String>,
    previous: Vec<String>,
}

impl Model {
    fn toml(&self) -> String {
        let list = |items: &[String]| {
            items
                .iter()
                .map(|i| format!("\"{i}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let locations: Vec<String> = self.locations.iter().map(|s| s.to_string()).collect();
        let mut text = format!(
            "name = \"{}\"\nsection = \"{}\"\npurpose = \"{}\"\ndata_categories = [{}]\nlocations = [{}]\n",
            self.name,
            self.section,
            self.purpose,
            list(&self.data),
            list(&locations)
        );
        if let Some(notes) = &self.notes {
            text.push_str(&format!("notes = \"{notes}\"\n"));
        }
        if !self.previous.is_empty() {
            text.push_str(&format!("previous_ids = [{}]\n", list(&self.previous)));
        }
        text
    }

    fn json(&self, id: &str) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("id".into(), id.into());
        map.insert("name".into(), self.name.clone().into());
        map.insert("section".into(), self.section.into());
        map.insert("purpose".into(), self.purpose.clone().into());
        map.insert("data_categories".into(), serde_json::json!(self.data));
        map.insert("locations".into(), serde_json::json!(self.locations));
        if let Some(notes) = &self.notes {
            map.insert("notes".into(), notes.clone().into());
        }
        if !self.previous.is_empty() {
            map.insert("previous_ids".into(), serde_json::json!(self.previous));
        }
        Value::Object(map)
    }
}

const PLACES: [&str; 6] = ["DE", "US", "FR", "IE", "EU", "GLOBAL"];

/// Applies random operations to the model and the work tree.
fn random_edit(
    rng: &mut Rng,
    env: &TestEnv,
    valid: &mut std::collections::BTreeMap<String, Model>,
    broken: &mut std::collections::BTreeSet<String>,
    next_id: &mut usize,
) {
    let ids: Vec<String> = valid
        .keys()
        .filter(|id| !broken.contains(*id))
        .cloned()
        .collect();
    let op = if ids.is_empty() { 0 } else { rng.below(8) };
    match op {
        0 | 1 => {
            *next_id += 1;
            let id = format!("v{next_id}");
            let model = Model {
                name: format!("Vendor {next_id}"),
                section: if rng.below(2) == 0 {
                    "hosting"
                } else {
                    "email"
                },
                purpose: "Hosting and storage of customer data".to_owned(),
                data: vec!["Contact details".to_owned()],
                locations: vec![PLACES[rng.below(PLACES.len())]],
                notes: None,
                previous: Vec::new(),
            };
            env.write(&format!("register/{id}.toml"), model.toml());
            valid.insert(id, model);
        }
        2 | 3 => {
            let id = &ids[rng.below(ids.len())];
            let model = valid.get_mut(id).unwrap();
            match rng.below(5) {
                0 => model.purpose.push_str(" and backups"),
                1 => model.data.push(format!("Category {}", rng.below(100))),
                2 => {
                    let place = PLACES[rng.below(PLACES.len())];
                    if !model.locations.contains(&place) {
                        model.locations.push(place);
                    } else if model.locations.len() > 1 {
                        model.locations.retain(|p| *p != place);
                    }
                }
                3 => {
                    model.notes = match model.notes {
                        Some(_) => None,
                        None => Some("Published remark".to_owned()),
                    }
                }
                _ => {
                    model.section = if model.section == "hosting" {
                        "email"
                    } else {
                        "hosting"
                    }
                }
            }
            let text = model.toml();
            env.write(&format!("register/{id}.toml"), text);
            broken.remove(id);
        }
        4 => {
            let id = ids[rng.below(ids.len())].clone();
            env.remove(&format!("register/{id}.toml"));
            valid.remove(&id);
        }
        5 => {
            let id = ids[rng.below(ids.len())].clone();
            let mut model = valid.remove(&id).unwrap();
            env.remove(&format!("register/{id}.toml"));
            *next_id += 1;
            let new_id = format!("r{next_id}");
            model.previous.push(id);
            env.write(&format!("register/{new_id}.toml"), model.toml());
            valid.insert(new_id, model);
        }
        6 => {
            let id = ids[rng.below(ids.len())].clone();
            let text = if rng.below(2) == 0 {
                "name = \"unterminated\n".to_owned()
            } else {
                valid[&id].toml().replace("purpose", "porpose")
            };
            env.write(&format!("register/{id}.toml"), text);
            broken.insert(id);
        }
        _ => {
            // Fix a broken file (with an edit), or add one more vendor.
            if let Some(id) = broken.iter().next().cloned() {
                let model = valid.get_mut(&id).unwrap();
                model.purpose.push_str(" (reviewed)");
                env.write(&format!("register/{id}.toml"), model.toml());
                broken.remove(&id);
            } else {
                env.write("docs.md", format!("docs {}\n", rng.next()));
            }
        }
    }
}

#[test]
fn replaying_the_timeline_reproduces_the_register_at_every_commit() {
    for seed in 1..=12u64 {
        let env = TestEnv::new();
        env.write("subledger.toml", CONFIG);
        env.write("README.md", "register\n");
        let mut git = Git::init(env.root());
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut valid = std::collections::BTreeMap::new();
        let mut broken = std::collections::BTreeSet::new();
        let mut next_id = 0;
        let mut expected: Vec<(String, Value)> = Vec::new();
        // The register the ledger should show at a first-parent commit: each
        // file's model, or for a file that does not load, its state at the
        // previous first-parent commit (none if it never loaded).
        let mut committed: std::collections::BTreeMap<String, Model> = Default::default();
        let mut snapshot =
            |valid: &std::collections::BTreeMap<String, Model>,
             broken: &std::collections::BTreeSet<String>| {
                committed.retain(|id, _| valid.contains_key(id));
                for (id, model) in valid {
                    if !broken.contains(id) {
                        committed.insert(id.clone(), model.clone());
                    }
                }
                Value::Object(
                    committed
                        .iter()
                        .map(|(id, m)| (id.clone(), m.json(id)))
                        .collect(),
                )
            };
        for step in 0..30 {
            if step == 15 {
                // A first run caches the ledger; the final run extends it.
                let output = env.run(&["timeline", "--format", "json"]);
                assert!(output.ends_with("[exit status: 0]\n"), "{output}");
            }
            let merge = step > 2 && rng.below(6) == 0;
            if merge {
                // One or two commits on a side branch, merged with a merge commit.
                let head_id = git
                    .repo
                    .head()
                    .unwrap()
                    .peel_to_commit()
                    .unwrap()
                    .id()
                    .to_string();
                let mut side_id = head_id.clone();
                for _ in 0..=rng.below(2) {
                    random_edit(&mut rng, &env, &mut valid, &mut broken, &mut next_id);
                    side_id = git.commit_side("side change", &side_id);
                }
                let head = git
                    .repo
                    .find_commit(git2::Oid::from_str(&head_id).unwrap())
                    .unwrap();
                let side = git
                    .repo
                    .find_commit(git2::Oid::from_str(&side_id).unwrap())
                    .unwrap();
                let sig = git2::Signature::new(
                    "Merger",
                    "m@example.com",
                    &git2::Time::new(1_800_000_000 + step, 0),
                )
                .unwrap();
                let tree = side.tree().unwrap();
                let id = git
                    .repo
                    .commit(
                        Some("HEAD"),
                        &sig,
                        &sig,
                        "Merge side",
                        &tree,
                        &[&head, &side],
                    )
                    .unwrap();
                expected.push((id.to_string(), snapshot(&valid, &broken)));
            } else {
                for _ in 0..=rng.below(3) {
                    random_edit(&mut rng, &env, &mut valid, &mut broken, &mut next_id);
                }
                let id = git.commit_all(&format!("step {step}"));
                expected.push((id, snapshot(&valid, &broken)));
            }
        }
        let output = env.run(&["timeline", "--format", "json"]);
        let timeline = json_of(&output);
        let mut commits = timeline["commits"].as_array().unwrap().iter().peekable();
        let mut state = serde_json::Map::new();
        for (commit, want) in &expected {
            if let Some(entry) = commits.next_if(|c| c["commit"] == commit.as_str()) {
                for event in entry["events"].as_array().unwrap() {
                    let id = event["id"].as_str().unwrap().to_owned();
                    match event["kind"].as_str().unwrap() {
                        "added" => {
                            state.insert(id, without_nulls(&event["vendor"]));
                        }
                        "removed" => {
                            state.remove(&id);
                        }
                        "renamed" => {
                            let mut v = state.remove(event["from"].as_str().unwrap()).unwrap();
                            v["id"] = id.clone().into();
                            v["previous_ids"] = event["previous_ids"].clone();
                            state.insert(id, v);
                        }
                        "relocated" => {
                            state.get_mut(&id).unwrap()["locations"] = event["locations"].clone();
                        }
                        "changed" => {
                            let v = state.get_mut(&id).unwrap().as_object_mut().unwrap();
                            let field = event["field"].as_str().unwrap();
                            match &event["new"] {
                                Value::Null => v.remove(field),
                                new => v.insert(field.to_owned(), new.clone()),
                            };
                        }
                        "invalid" | "repaired" => {}
                        other => panic!("unknown kind {other}"),
                    }
                }
            }
            assert_eq!(
                &Value::Object(state.clone()),
                want,
                "seed {seed}, commit {commit}"
            );
        }
        assert!(
            commits.next().is_none(),
            "seed {seed}: events for unknown commits"
        );
    }
}

/// The timeline without the ledger cache, so the history is walked.
pub fn walked(env: &TestEnv, args: &[&str]) -> String {
    let _ = std::fs::remove_dir_all(env.root().join(".git/subledger"));
    env.run(args)
}

#[test]
fn the_commit_graph_file_gives_the_timeline_the_commit_objects_give() {
    // Git's commit-graph (a single file, then a split chain) is where the
    // walk reads the line from; the outputs must be byte for byte those of
    // a repository without one.
    let env = generated_repo();
    let json = ["timeline", "--format", "json"];
    let without = walked(&env, &json);
    let table = walked(&env, &["timeline"]);
    assert!(without.ends_with("[exit status: 0]\n"), "{without}");
    git_cli(env.root(), &["commit-graph", "write", "--reachable"], None);
    let info = env.root().join(".git/objects/info");
    assert!(info.join("commit-graph").is_file());
    assert_eq!(walked(&env, &json), without);
    assert_eq!(walked(&env, &["timeline"]), table);
    std::fs::remove_file(info.join("commit-graph")).unwrap();
    git_cli(
        env.root(),
        &["commit-graph", "write", "--reachable", "--split"],
        None,
    );
    assert!(info.join("commit-graphs/commit-graph-chain").is_file());
    assert_eq!(walked(&env, &json), without);
}

#[test]
fn an_octopus_merge_a_lightweight_release_and_commits_newer_than_the_graph() {
    let (env, mut git, commits) = small_history();
    env.write("register/a.toml", vendor("A", "\"DE\""));
    let a = git.commit_side("Add A on a branch", &commits[2]);
    env.remove("register/a.toml");
    env.write("register/b.toml", vendor("B", "\"FR\""));
    let b = git.commit_side("Add B on a branch", &commits[2]);
    env.write("register/a.toml", vendor("A", "\"DE\""));
    env.write("register/c.toml", vendor("C", "\"IE\""));
    let c = git.commit_side("Add C on a branch", &commits[2]);
    let merge = git.merge("Octopus: A, B and C", &[&a, &b, &c]);
    {
        let target = git.repo.revparse_single(&merge).unwrap();
        git.repo
            .tag_lightweight("subprocessors/2026-02", &target, false)
            .unwrap();
    }
    let json = ["timeline", "--format", "json"];
    let before = walked(&env, &json);
    let at = ["list", "--at", "2026-01-02"];
    let listed = env.run(&at);
    assert!(listed.contains("OVH"), "{listed}");
    let notice = ["notice", "--format", "json"];
    let noticed = env.run(&notice);
    assert!(noticed.contains("subprocessors/2026-02"), "{noticed}");
    git_cli(env.root(), &["commit-graph", "write", "--reachable"], None);
    assert_eq!(walked(&env, &json), before);
    // Dates are resolved on the line the graph gives, releases found on it.
    assert_eq!(env.run(&at), listed);
    assert_eq!(env.run(&notice), noticed);
    // Commits made after the graph was written are read from their objects.
    env.write("register/ovh.toml", vendor("OVH", "\"FR\", \"DE\""));
    git.commit_all("OVH: Frankfurt too");
    let after = walked(&env, &json);
    let _ = std::fs::remove_file(env.root().join(".git/objects/info/commit-graph"));
    assert_eq!(walked(&env, &json), after);
    let events = json_of(&after);
    let octopus = events["commits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["commit"] == merge.as_str())
        .unwrap();
    let authored: Vec<(&str, &str)> = octopus["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap(),
                e["authored_in"].as_str().unwrap(),
            )
        })
        .collect();
    // a.toml also changed in c's commit, the newest on its branch to touch it
    // (branches are searched in parent order: a's branch first).
    assert_eq!(
        authored,
        vec![("a", a.as_str()), ("b", b.as_str()), ("c", c.as_str())]
    );
    assert_eq!(octopus["release"], "subprocessors/2026-02");
}

#[test]
fn a_commit_graph_that_disagrees_with_the_commits_is_an_error() {
    let (env, _git, commits) = small_history();
    git_cli(env.root(), &["commit-graph", "write", "--reachable"], None);
    // Point the newest commit's tree at another tree in the graph's data.
    let path = env.root().join(".git/objects/info/commit-graph");
    let mut data = std::fs::read(&path).unwrap();
    let chunk = |id: &[u8]| {
        (0..usize::from(data[6]))
            .map(|i| 8 + 12 * i)
            .find(|&at| &data[at..at + 4] == id)
            .map(|at| u64::from_be_bytes(data[at + 4..at + 12].try_into().unwrap()) as usize)
            .unwrap()
    };
    let (oids, cdat) = (chunk(b"OIDL"), chunk(b"CDAT"));
    let newest = git2::Oid::from_str(&commits[2]).unwrap();
    let index = (0..3)
        .find(|i| &data[oids + 20 * i..oids + 20 * i + 20] == newest.as_bytes())
        .unwrap();
    data[cdat + 36 * index] ^= 0xff;
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).unwrap();
    std::fs::write(&path, data).unwrap();
    insta::assert_snapshot!(walked(&env, &["timeline"]));
}

/// A small history: two vendors, a release, an edit.
pub fn small_history() -> (TestEnv, Git, Vec<String>) {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    let mut git = Git::init(env.root());
    env.write("README.md", "docs before the register exists\n");
    let c0 = git.commit_all("Docs first");
    env.write("register/aws.toml", vendor("AWS", "\"US\""));
    env.write("register/ovh.toml", vendor("OVH", "\"FR\""));
    let c1 = git.commit_all("Start the register");
    git.tag("subprocessors/2026-01", &c1);
    env.write("register/aws.toml", vendor("AWS", "\"US\", \"DE\""));
    let c2 = git.commit_all("AWS: Frankfurt region");
    (env, git, vec![c0, c1, c2])
}

#[test]
fn a_register_dir_that_appears_later_and_a_release() {
    let (env, _git, _) = small_history();
    insta::assert_snapshot!(env.run(&["timeline"]));
    insta::assert_snapshot!(env.run(&[
        "timeline",
        "subprocessors/2026-01..main",
        "--format",
        "csv"
    ]));
    insta::assert_snapshot!(env.run(&["timeline", "--format", "markdown", "--kind", "relocated"]));
}

#[test]
fn an_unknown_revision_names_the_closest_release_tags() {
    let (env, mut git, commits) = small_history();
    git.tag("subprocessors/2026-02", &commits[2]);
    insta::assert_snapshot!(env.run(&["diff", "subprocessors/2026-1"]));
    insta::assert_snapshot!(env.run(&["timeline", "nope..main"]));
    insta::assert_snapshot!(env.run(&["list", "--at", "2020-01-01"]));
}

#[test]
fn deleting_the_whole_register_removes_every_vendor_and_bad_bytes_are_invalid() {
    let (env, mut git, _) = small_history();
    env.write("register/ovh.toml", b"name = \"OVH\xff\"\n".as_slice());
    git.commit_all("Mangle ovh.toml");
    env.remove("register/aws.toml");
    env.remove("register/ovh.toml");
    git.commit_all("Drop the register");
    insta::assert_snapshot!(env.run(&["timeline", "--since", "2026-01-04"]));
}

#[test]
fn a_release_tag_off_the_first_parent_line_is_reported() {
    let (env, mut git, commits) = small_history();
    env.write("register/side.toml", vendor("Side", "\"DE\""));
    let side = git.commit_side("Side branch vendor", &commits[2]);
    git.tag("subprocessors/side", &side);
    let output = env.run(&["timeline", "--kind", "added"]);
    insta::assert_snapshot!(output);
    let json = json_of(&env.run(&["timeline", "--format", "json"]));
    assert_eq!(json["tags_off_line"][0]["name"], "subprocessors/side");
    assert_eq!(json["tags_off_line"][0]["commit"], side.as_str());
}

#[test]
fn a_shallow_clone_says_where_the_history_is_cut() {
    let (env, _git, _) = small_history();
    let clone = TestEnv::new();
    let target = clone.root().join("shallow");
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "1", "--branch", "main"])
        .arg(format!("file://{}", env.root().display()))
        .arg(&target)
        .status()
        .unwrap();
    assert!(status.success());
    let output = run_in(&target, &["timeline"], &[]);
    insta::assert_snapshot!(output);
    let json = json_of(&run_in(&target, &["timeline", "--format", "json"], &[]));
    assert!(json["history_cut"]["commit"].is_string(), "{json}");
    assert_eq!(json["commits"].as_array().unwrap().len(), 0);
}

#[test]
fn diff_against_the_work_tree_and_exit_code() {
    let (env, _git, _) = small_history();
    insta::assert_snapshot!(env.run(&["diff", "HEAD", "--exit-code"]));
    env.write(
        "register/aws.toml",
        vendor("AWS", "\"US\", \"DE\"").replace(
            "Hosting for AWS",
            "Hosting and backups for AWS, in two regions",
        ),
    );
    env.write("register/hetzner.toml", vendor("Hetzner", "\"DE\""));
    insta::assert_snapshot!(env.run(&["diff", "HEAD", "--exit-code"]));
    insta::assert_snapshot!(env.run(&["diff", "subprocessors/2026-01", "--format", "json"]));
}

#[test]
fn the_demo_shows_every_kind_of_event_and_its_suggestions_work() {
    let env = TestEnv::new();
    let output = env.run(&["demo", "demo"]);
    insta::assert_snapshot!(output);
    for kind in [
        "added",
        "removed",
        "renamed",
        "relocated",
        "changed",
        "invalid",
        "repaired",
    ] {
        assert!(
            output.contains(&format!("  {kind} ")),
            "no {kind} event in the demo"
        );
    }
    let dir = env.root().join("demo");
    let suggestions: Vec<&str> = output
        .lines()
        .filter_map(|l| l.trim().strip_prefix("subledger "))
        .map(|l| l.split(" #").next().unwrap().trim())
        .collect();
    assert!(suggestions.len() >= 6, "{suggestions:?}");
    for suggestion in suggestions {
        let args: Vec<&str> = suggestion
            .split(" > ")
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        let result = run_in(&dir, &args, &[]);
        assert!(
            result.ends_with("[exit status: 0]\n"),
            "subledger {suggestion}:\n{result}"
        );
        assert!(result.len() > 100, "subledger {suggestion}: {result}");
    }
    insta::assert_snapshot!(run_in(&dir, &["history", "google-workspace"], &[]));
    insta::assert_snapshot!(run_in(
        &dir,
        &[
            "diff",
            "subprocessors/2025-12-15",
            "subprocessors/2026-07-01"
        ],
        &[]
    ));
    // The demo refuses to write into a directory that is not empty.
    insta::assert_snapshot!(env.run(&["demo", "demo"]));
}

#[test]
fn the_cache_extends_with_new_commits_and_never_outlives_a_rewrite() {
    let (env, mut git, _) = small_history();
    let cache = env.root().join(".git/subledger/timeline-register.bin");
    let first = env.run(&["timeline", "--format", "json"]);
    assert!(cache.is_file(), "the first run writes the cache");
    assert_eq!(
        env.run(&["timeline", "--format", "json"]),
        first,
        "answered from the cache"
    );

    // New commits: the cache is extended, and equals a walk from scratch.
    env.write("register/ovh.toml", vendor("OVH", "\"FR\", \"DE\""));
    git.commit_all("OVH: Limburg");
    env.write("register/scw.toml", vendor("Scaleway", "\"FR\""));
    git.commit_all("Add Scaleway");
    let extended = env.run(&["timeline", "--format", "json"]);
    std::fs::remove_file(&cache).unwrap();
    assert_eq!(env.run(&["timeline", "--format", "json"]), extended);

    // Older tips on the cached line (a release, a commit, a range ending at
    // one) are answered from the cache, which they leave as it is, and give
    // what walking their own line gives.
    let older: [&[&str]; 3] = [
        &["timeline", "subprocessors/2026-01", "--format", "json"],
        &["timeline", "HEAD~1", "--format", "csv"],
        &["timeline", "subprocessors/2026-01..HEAD~1"],
    ];
    let written = std::fs::read(&cache).unwrap();
    let answers: Vec<String> = older.iter().map(|args| env.run(args)).collect();
    assert_eq!(std::fs::read(&cache).unwrap(), written);
    assert!(answers[2].contains("OVH: Limburg"), "{}", answers[2]);
    std::fs::remove_file(&cache).unwrap();
    for (args, answer) in older.iter().zip(&answers) {
        assert_eq!(&env.run(args), answer, "{args:?}");
    }
    assert!(!cache.exists(), "a timeline to another tip writes no cache");
    env.run(&["timeline"]);

    // History rewritten under the cache: the cached tip is no longer on the
    // line, so the ledger is walked again.
    {
        let head = git.repo.head().unwrap().peel_to_commit().unwrap();
        let parent = head.parent(0).unwrap();
        git.repo
            .reset(parent.as_object(), git2::ResetType::Hard, None)
            .unwrap();
    }
    env.write("register/hetzner.toml", vendor("Hetzner", "\"DE\""));
    git.commit_all("Add Hetzner instead");
    let rewritten = env.run(&["timeline", "--format", "json"]);
    assert!(
        rewritten.contains("hetzner") && !rewritten.contains("\"scw\""),
        "{rewritten}"
    );
    std::fs::remove_file(&cache).unwrap();
    assert_eq!(env.run(&["timeline", "--format", "json"]), rewritten);

    // A damaged cache is ignored, and replaced.
    std::fs::write(&cache, b"subledger-cache\ngarbage").unwrap();
    assert_eq!(env.run(&["timeline", "--format", "json"]), rewritten);
    assert!(std::fs::metadata(&cache).unwrap().len() > 100);
}

#[test]
fn releases_are_ordered_by_position_and_every_tag_on_a_commit_is_kept() {
    let (env, mut git, commits) = small_history();
    // Named against their order on the line, two on one commit, one lightweight.
    git.tag("subprocessors/a-late", &commits[2]);
    git.tag("subprocessors/z-early", &commits[0]);
    let commit = git
        .repo
        .find_object(git2::Oid::from_str(&commits[2]).unwrap(), None)
        .unwrap();
    git.repo
        .tag_lightweight("subprocessors/light", &commit, false)
        .unwrap();
    let json = json_of(&env.run(&["timeline", "--format", "json"]));
    insta::assert_snapshot!(serde_json::to_string_pretty(&json["releases"]).unwrap());
    let releases: Vec<&str> = json["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["release"].as_str().unwrap_or("-"))
        .collect();
    // On one commit, the earlier tag date comes first: the lightweight tag
    // is dated by its commit, before the annotated tag's tagger date.
    assert_eq!(releases, ["subprocessors/2026-01", "subprocessors/light"]);
}

#[test]
fn a_bare_repository_is_read_with_repo() {
    let (env, _git, _) = small_history();
    let bare = TestEnv::new();
    let target = bare.root().join("register.git");
    let status = Command::new("git")
        .args(["clone", "-q", "--bare"])
        .arg(env.root())
        .arg(&target)
        .status()
        .unwrap();
    assert!(status.success());
    let from_bare = bare.run(&["--repo", "register.git", "timeline", "--format", "csv"]);
    let from_work_tree = env.run(&["timeline", "--format", "csv"]);
    assert_eq!(from_bare, from_work_tree);
    assert!(target.join("subledger/timeline-register.bin").is_file());
}

#[test]
fn a_repository_without_commits_says_so() {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    env.write("register/aws.toml", vendor("AWS", "\"US\""));
    Git::init(env.root());
    insta::assert_snapshot!(env.run(&["timeline"]));
}

#[test]
fn a_damaged_pack_is_reported_as_such_not_as_an_unknown_revision() {
    let (env, _git, _) = small_history();
    git_cli(env.root(), &["repack", "-a", "-d", "-q"], None);
    let pack_dir = env.root().join(".git/objects/pack");
    let pack = std::fs::read_dir(&pack_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .unwrap();
    // Every byte between the header and the checksum overwritten.
    let mut data = std::fs::read(&pack).unwrap();
    let end = data.len() - 20;
    data[12..end].fill(0x55);
    let mut perms = std::fs::metadata(&pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&pack, perms).unwrap();
    std::fs::write(&pack, data).unwrap();
    let output = env.run(&["diff", "HEAD~1"]);
    assert!(output.ends_with("[exit status: 2]\n"), "{output}");
    assert!(output.contains("invalid pack file"), "{output}");
    assert!(!output.contains("unknown revision"), "{output}");
}

#[test]
fn dates_no_calendar_can_show_and_periods_no_contract_means_are_refused() {
    let (env, mut git, _) = small_history();
    let tip = git.commit_all("Nothing changed");
    git.tag("subprocessors/2026-02", &tip);
    let long = CONFIG.replace("[register]", "[notice]\ndays = 4294967295\n\n[register]");
    env.write("subledger.toml", &long);
    let mut outputs = vec![env.run(&["check"])];
    git.commit_all("A notice period of 136 years");
    outputs.push(env.run(&["notice", "--work-tree", "--date", "2026-03-01"]));
    outputs.push(env.run(&["notice", "HEAD", "subprocessors/2026-02"]));
    env.write("subledger.toml", CONFIG);
    git.commit_all("Back to 30 days");
    // A commit dated in the year 10000 (git refuses to make one, but shows
    // it: `git log` prints "Sat Jan 1 00:00:00 10000 +0000").
    env.write("register/ovh.toml", vendor("OVH", "\"FR\", \"DE\""));
    {
        let mut index = git.repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = index.write_tree().unwrap();
        let parent = git.repo.head().unwrap().peel_to_commit().unwrap().id();
        let text = format!(
            "tree {tree}\nparent {parent}\nauthor Tim <tim@example.com> 253402300800 +0000\ncommitter Tim <tim@example.com> 253402300800 +0000\n\nFrom the future\n"
        );
        let id = git
            .repo
            .odb()
            .unwrap()
            .write(git2::ObjectType::Commit, text.as_bytes())
            .unwrap();
        git.repo
            .reference("refs/heads/main", id, true, "the future")
            .unwrap();
    }
    outputs.push(env.run(&["timeline"]));
    insta::assert_snapshot!(outputs.join("\n"));
}

#[test]
fn a_file_the_ledger_cannot_take_is_named_by_every_command() {
    let (env, mut git, _) = small_history();
    // A vendor file under a name that is no vendor id, and a directory.
    env.write("register/AWS.toml", vendor("AWS again", "\"US\""));
    env.write("register/archive/old.toml", vendor("Old", "\"US\""));
    // And a vendor file whose extension is not lowercase.
    env.write("register/zoom.TOML", vendor("Zoom", "\"US\""));
    let tip = git.commit_all("Add AWS.toml, zoom.TOML and an archive");
    git.tag("subprocessors/2026-02", &tip);
    let mut outputs = Vec::new();
    for args in [
        &["list"][..],
        &["render"],
        &["timeline", "subprocessors/2026-01..HEAD"],
        &["notice", "--format", "text"],
    ] {
        let output = env.run(args);
        assert!(output.contains("AWS.toml"), "{args:?}: {output}");
        assert!(output.contains("archive"), "{args:?}: {output}");
        assert!(output.contains("zoom.TOML"), "{args:?}: {output}");
        outputs.push(format!("$ subledger {}\n{output}", args.join(" ")));
    }
    // list and render say what they left out, with exit status 1.
    assert!(outputs[0].ends_with("[exit status: 1]\n"));
    assert!(outputs[1].ends_with("[exit status: 1]\n"));
    insta::assert_snapshot!(outputs.join("\n"));
    let audit = env.run(&["audit"]);
    let named: Vec<&str> = audit
        .lines()
        .filter(|l| l.contains("Could not be read"))
        .collect();
    insta::assert_snapshot!(named.join("\n"));
}

#[test]
fn history_follows_one_vendor_not_a_file_name() {
    let (env, mut git, _) = small_history();
    // aws becomes amazon; later a different vendor takes the id aws.
    env.remove("register/aws.toml");
    env.write(
        "register/amazon.toml",
        vendor("AWS", "\"US\", \"DE\"") + "previous_ids = [\"aws\"]\n",
    );
    git.commit_all("aws is amazon now");
    env.write(
        "register/aws.toml",
        vendor("Acme Web Services", "\"FR\"").replace("hosting", "email"),
    );
    git.commit_all("A new vendor, aws");
    env.write(
        "register/amazon.toml",
        vendor("AWS", "\"US\"") + "previous_ids = [\"aws\"]\n",
    );
    git.commit_all("Amazon: Frankfurt no more");
    let newer = env.run(&["history", "aws"]);
    let older = env.run(&["history", "amazon"]);
    assert!(!newer.contains("Frankfurt"), "{newer}");
    assert!(!older.contains("Acme Web Services"), "{older}");
    insta::assert_snapshot!(format!("{newer}\n{older}"));
    let json = json_of(&env.run(&["history", "aws", "--format", "json"]));
    assert_eq!(json["ids"], serde_json::json!(["aws"]));
    assert_eq!(json["others"], serde_json::json!(["amazon"]));
}

#[test]
fn ranges_that_cannot_be_are_refused_and_tags_after_them_are_not_off_the_line() {
    let (env, mut git, commits) = small_history();
    git.tag("subprocessors/2026-02", &commits[2]);
    let mut outputs = vec![
        env.run(&["timeline", "2026-01-03..2026-01-01"]),
        env.run(&["timeline", "HEAD..HEAD~1"]),
        env.run(&["timeline", "--since", "2026-02-01", "--until", "2026-01-01"]),
        env.run(&["list", "--at", "2026-02-30"]),
        env.run(&["list", "--at", "10000-01-01"]),
    ];
    for output in &outputs {
        assert!(output.ends_with("[exit status: 2]\n"), "{output}");
    }
    // As in git, an empty side of a range is HEAD: `..` is no range at all.
    for range in ["..", "..HEAD", "HEAD.."] {
        let output = env.run(&["timeline", range]);
        assert!(
            output.contains("no register changes in this range"),
            "{range}: {output}"
        );
    }
    // A timeline up to a release says nothing of the releases after it.
    let up_to = env.run(&["timeline", "subprocessors/2026-01"]);
    assert!(!up_to.contains("warning"), "{up_to}");
    let json = json_of(&env.run(&["timeline", "subprocessors/2026-01", "--format", "json"]));
    assert_eq!(json["tags_off_line"], serde_json::json!([]));
    // In a shallow clone: a period before the cut, a tag it did not fetch.
    let clone = TestEnv::new();
    let target = clone.root().join("shallow");
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "1", "--branch", "main"])
        .arg(format!("file://{}", env.root().display()))
        .arg(&target)
        .status()
        .unwrap();
    assert!(status.success());
    outputs.push(run_in(&target, &["timeline", "--since", "2026-01-01"], &[]));
    outputs.push(run_in(&target, &["diff", "subprocessors/2026-01"], &[]));
    insta::assert_snapshot!(outputs.join("\n"));
}

#[test]
fn a_register_that_moves_is_followed() {
    let (env, mut git, commits) = small_history();
    git.tag("subprocessors/2026-02", &commits[2]);
    // `git mv register data/register`, and subledger.toml says so.
    std::fs::create_dir_all(env.root().join("data")).unwrap();
    std::fs::rename(
        env.root().join("register"),
        env.root().join("data/register"),
    )
    .unwrap();
    env.write(
        "subledger.toml",
        CONFIG.replace("[register]\n", "[register]\ndir = \"data/register\"\n"),
    );
    git.commit_all("Move the register under data/");
    env.write("data/register/hetzner.toml", vendor("Hetzner", "\"DE\""));
    let tip = git.commit_all("Add Hetzner");
    git.tag("subprocessors/2026-03", &tip);
    // The move itself changes nothing; Hetzner is the one addition.
    let timeline = json_of(&env.run(&["timeline", "--format", "json"]));
    let events: Vec<String> = timeline["commits"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["events"].as_array().unwrap().clone())
        .map(|e| {
            format!(
                "{} {}",
                e["kind"].as_str().unwrap(),
                e["id"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        events,
        ["added aws", "added ovh", "relocated aws", "added hetzner"]
    );
    let notice = json_of(&env.run(&["notice", "--format", "json"]));
    let needs: Vec<&str> = notice["needs_notice"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(needs, ["hetzner"]);
    let page = json_of(&env.run(&["render", "--format", "json"]));
    let added: Vec<(String, String)> = page["sections"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["added_release"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        added,
        [
            ("aws".to_owned(), "subprocessors/2026-01".to_owned()),
            ("hetzner".to_owned(), "subprocessors/2026-03".to_owned()),
            ("ovh".to_owned(), "subprocessors/2026-01".to_owned()),
        ]
    );
    let diff = env.run(&["diff", "subprocessors/2026-02", "subprocessors/2026-03"]);
    assert!(diff.contains("1 change: 1 added"), "{diff}");
    assert!(env.run(&["verify"]).ends_with("[exit status: 0]\n"));
}

/// A vendor's JSON with the keys its file leaves out (null) dropped, `dpa`
/// too when it holds nothing: the shape of the generator's model.
fn without_nulls(vendor: &Value) -> Value {
    let mut v = vendor.as_object().unwrap().clone();
    v.retain(|_, value| !value.is_null());
    if let Some(Value::Object(dpa)) = v.get_mut("dpa") {
        dpa.retain(|_, value| !value.is_null());
        if dpa.is_empty() {
            v.remove("dpa");
        }
    }
    Value::Object(v)
}

#[test]
fn timeline_refuses_a_vendor_id_the_history_never_names() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    insta::assert_snapshot!(run_in(&dir, &["timeline", "--vendor", "strpe"], &[]), @r"
    ------- stderr -------
    subledger: error: --vendor strpe: no vendor has had that id in the history of main
      hint: did you mean --vendor stripe?
    [exit status: 2]
    ");
    // An old id is one the history names: its events, under the new id too.
    let old = run_in(
        &dir,
        &["timeline", "--vendor", "gworkspace", "--kind", "renamed"],
        &[],
    );
    assert!(
        old.contains("renamed    google-workspace") && old.ends_with("[exit status: 0]\n"),
        "{old}"
    );
    // A real vendor with nothing in the range is an empty answer, not an error.
    let none = run_in(
        &dir,
        &[
            "timeline",
            "subprocessors/2026-07-01..",
            "--vendor",
            "stripe",
        ],
        &[],
    );
    assert!(none.ends_with("[exit status: 0]\n"), "{none}");

    // In a shallow clone: a vendor unchanged since the cut is an empty
    // answer; one the clone cannot know of is refused, naming the cut.
    let url = format!("file://{}", dir.display());
    git_cli(
        env.root(),
        &["clone", "-q", "--depth", "2", &url, "shallow"],
        None,
    );
    let shallow = env.root().join("shallow");
    let unchanged = run_in(&shallow, &["timeline", "--vendor", "stripe"], &[]);
    assert!(unchanged.ends_with("[exit status: 0]\n"), "{unchanged}");
    let gone = run_in(&shallow, &["timeline", "--vendor", "sendgrid"], &[]);
    assert!(
        gone.contains("this clone's history is cut at")
            && gone.contains("needs history back to the commit that added sendgrid")
            && gone.ends_with("[exit status: 2]\n"),
        "{gone}"
    );
}
