//! Output that cannot be turned against its reader: control characters
//! from vendor files, file names, commit messages and authors never reach
//! a terminal or a text file raw, and the feed stays well-formed XML.

use crate::common::{Git, TestEnv, run_in};

/// Text that moves the cursor, changes the terminal title, rings the bell,
/// erases, hides text, reverses it, or that XML cannot carry.
const HOSTILE: [(&str, &str); 10] = [
    ("invisible", "Goo\\u200bgle \\u200f\\ufeff\\u2028\\u00ad"),
    ("escape", "\\u001b[2J\\u001b]0;pwned\\u0007"),
    ("bell", "ding\\u0007"),
    ("backspace", "ab\\bc"),
    ("carriage-return", "hidden\\rshown"),
    ("nul", "nul\\u0000byte"),
    ("csi-8bit", "\\u009b31m"),
    ("bidi", "abc\\u202edcba"),
    ("nonchar", "fe\\ufffeff"),
    ("delete", "del\\u007f"),
];

/// Whether text holds a character a terminal acts on or XML cannot carry
/// (CSV's CRLF line ends aside).
fn raw_control(text: &str) -> Option<char> {
    text.replace("\r\n", "\n").chars().find(|&c| {
        (c < ' ' && c != '\n' && c != '\t')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || ('\u{2028}'..='\u{202e}').contains(&c)
            || ('\u{2060}'..='\u{206f}').contains(&c)
            || matches!(
                c,
                '\u{ad}' | '\u{61c}' | '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{feff}'
            )
            || c == '\u{fffe}'
            || c == '\u{ffff}'
    })
}

const CONFIG: &str =
    "[register]\nname = \"Acme\"\n\n[[section]]\nid = \"hosting\"\ntitle = \"Hosting\"\n";

/// A register whose every vendor carries one hostile text in its name,
/// purpose and data, released twice, with a hostile commit subject, author
/// and file name.
fn hostile_repo() -> (TestEnv, Git) {
    let env = TestEnv::new();
    env.write("subledger.toml", CONFIG);
    let vendor = |id: &str, text: &str| {
        format!(
            "name = \"{id} {text}\"\nsection = \"hosting\"\npurpose = \"Hosting {text}\"\ndata_categories = [\"Data {text}\"]\nlocations = [\"DE\"]\n"
        )
    };
    env.write("register/plain.toml", vendor("plain", "ok"));
    let mut git = Git::init(env.root());
    let first = git.commit_all("Start \u{1b}[2J");
    git.tag("subprocessors/2026-01", &first);
    for (id, text) in HOSTILE {
        env.write(&format!("register/{id}.toml"), vendor(id, text));
    }
    env.write("register/\u{1b}[31mred.toml", vendor("red", "ok"));
    git.commit_all("Add the hostile ones\u{7}\u{1b}]0;title\u{7}");
    let sig = git2::Signature::new(
        "Eve \u{1b}[5mblink",
        "eve@example.com",
        &git2::Time::new(1_767_400_000, 0),
    )
    .unwrap();
    env.write("register/plain.toml", vendor("plain", "\\u001b[1Aup"));
    let tip = {
        let mut index = git.repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = git.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let parent = git.repo.head().unwrap().peel_to_commit().unwrap();
        git.repo
            .commit(
                Some("HEAD"),
                &sig,
                &sig,
                "Eve's edit \u{1b}[8m",
                &tree,
                &[&parent],
            )
            .unwrap()
            .to_string()
    };
    git.tag("subprocessors/2026-02", &tip);
    // A release name git accepts, with a bidi override and an 8-bit CSI.
    git.tag("subprocessors/2026-02\u{202e}evil\u{9b}31m", &tip);
    (env, git)
}

#[test]
fn check_reports_control_characters_in_vendor_text() {
    let (env, _git) = hostile_repo();
    let output = env.run(&["check"]);
    assert!(output.ends_with("[exit status: 1]\n"), "{output}");
    for (id, _) in HOSTILE {
        let line = output
            .lines()
            .find(|l| l.starts_with(&format!("register/{id}.toml:")) && l.contains("character"))
            .unwrap_or_else(|| panic!("{id}: {output}"));
        assert!(
            line.contains("[control-character]") || line.contains("[invalid-character]"),
            "{line}"
        );
    }
    assert_eq!(raw_control(&output), None, "{output:?}");
    insta::assert_snapshot!(output);
}

#[test]
fn no_text_output_carries_a_control_character() {
    let (env, _git) = hostile_repo();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["list"],
        vec!["list", "--format", "markdown"],
        vec!["list", "--format", "csv"],
        vec!["list", "--rev", "subprocessors/2026-02"],
        vec!["timeline"],
        vec!["timeline", "--format", "markdown"],
        vec!["timeline", "--format", "csv"],
        vec!["diff", "subprocessors/2026-01", "subprocessors/2026-02"],
        vec![
            "diff",
            "subprocessors/2026-01",
            "subprocessors/2026-02",
            "--format",
            "markdown",
        ],
        vec![
            "diff",
            "subprocessors/2026-01",
            "subprocessors/2026-02",
            "--format",
            "csv",
        ],
        vec!["history", "escape"],
        vec!["history", "plain"],
        vec!["notice"],
        vec!["notice", "--format", "text"],
        vec!["notice", "--format", "html"],
        vec!["render"],
        vec!["render", "--format", "html"],
        vec!["audit"],
        vec!["audit", "--format", "html"],
        vec!["feed"],
        vec!["verify"],
        vec![
            "release",
            "--dry-run",
            "--allow-empty",
            "--date",
            "2026-06-01",
        ],
    ];
    for args in runs {
        let output = env.run_with(
            &args,
            &[
                ("GIT_AUTHOR_NAME", "x"),
                ("GIT_COMMITTER_NAME", "x"),
                ("EMAIL", "x@example.com"),
            ],
        );
        assert_eq!(
            raw_control(&output),
            None,
            "subledger {}:\n{output:?}",
            args.join(" ")
        );
        assert!(!output.contains("[exit status: 101]"), "{output}");
    }
    // JSON carries the text exactly, but escaped the JSON way: no raw
    // control character either.
    for args in [
        &["list", "--format", "json"][..],
        &["check", "--format", "json"],
        &["timeline", "--format", "json"],
        &["history", "csi-8bit", "--format", "json"],
        &[
            "diff",
            "subprocessors/2026-01",
            "subprocessors/2026-02",
            "--format",
            "json",
        ],
        &[
            "notice",
            "subprocessors/2026-01",
            "subprocessors/2026-02",
            "--format",
            "json",
        ],
        &["render", "--format", "json"],
        &["audit", "--format", "json"],
    ] {
        let output = env.run(args);
        assert_eq!(raw_control(&output), None, "{args:?}:\n{output:?}");
        let stdout = output.split("------- stderr").next().unwrap();
        let stdout = stdout.split("[exit status").next().unwrap();
        let value: serde_json::Value =
            serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        let text = value.to_string();
        assert!(
            args[0] == "check" || text.contains("csi-8bit \u{9b}31m"),
            "{args:?}: the exact text is kept"
        );
    }
}

#[test]
fn the_feed_is_well_formed_xml_whatever_the_names() {
    let (env, _git) = hostile_repo();
    let feed = env.run(&["feed"]);
    let xml = feed.split("[exit status").next().unwrap();
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}:\n{xml}"));
    let entries = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .count();
    assert_eq!(entries, 3);
    // The names are there, shown, not dropped.
    assert!(xml.contains("escape \\u{1b}[2J"), "{xml}");
    assert!(xml.contains("nonchar fe\\u{fffe}ff"), "{xml}");
}

#[test]
fn a_file_name_with_escape_codes_is_shown_escaped() {
    let (env, _git) = hostile_repo();
    let output = run_in(env.root(), &["check"], &[]);
    assert!(output.contains("register/\\u{1b}[31mred.toml"), "{output}");
}

#[test]
fn delivery_records_and_objections_cannot_break_the_audit() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    std::fs::create_dir_all(dir.join("customers")).unwrap();
    std::fs::write(
        dir.join("customers/nord.toml"),
        "name = \"Nord\"\nemails = [\"privacy@nord.example\"]\n",
    )
    .unwrap();
    // A record and an objection whose text tries to end the table and start
    // a heading.
    let record = serde_json::json!({
        "release": "subprocessors/2026-07-01", "customer": "nord | x\n# Forged",
        "channel": "email", "address": "privacy@nord.example", "profile": "p|q",
        "accepted": true, "at": "2026-07-01T09:00:00+00:00\n| fake | row |",
        "reply": "250 | ok", "message_id": "<a|b>", "sha256": "ab|cd", "date": 0
    });
    std::fs::create_dir_all(dir.join("reports/subprocessors/2026-07-01")).unwrap();
    std::fs::write(
        dir.join("reports/subprocessors/2026-07-01/deliveries.jsonl"),
        format!("{record}\n"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("objections")).unwrap();
    std::fs::write(
        dir.join("objections/nord--telnyx--2026-07-10.toml"),
        "customer = \"nord\"\nvendor = \"telnyx | x\\n# Forged\"\nreceived = 2026-07-10\nrelease = \"r | s\"\n",
    )
    .unwrap();
    let audit = run_in(&dir, &["audit"], &[]);
    assert!(
        !audit.contains("\n# Forged") && !audit.contains("\n| fake"),
        "{audit}"
    );
    // Every row of the two tables keeps its columns.
    for (header, columns) in [("| Customer | Address |", 10), ("| Customer | Vendor |", 6)] {
        let table: Vec<&str> = audit
            .lines()
            .skip_while(|l| !l.starts_with(header))
            .take_while(|l| l.starts_with('|'))
            .collect();
        assert!(table.len() >= 3, "{header}: {audit}");
        for row in table {
            let cells = row.replace("\\|", "").matches('|').count() - 1;
            assert_eq!(cells, columns, "{row}");
        }
    }
}
