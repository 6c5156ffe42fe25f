//! `subledger render`: the public page, checked as text and in a real browser.

use crate::common::{Git, TestEnv, run_in};
use std::process::Command;

/// The demo repository in `env`, at `env/demo`.
fn demo(env: &TestEnv) -> std::path::PathBuf {
    let output = env.run(&["demo", "demo"]);
    assert!(output.ends_with("[exit status: 0]\n"), "{output}");
    env.root().join("demo")
}

/// The DOM headless Chromium builds from an HTML file.
fn dom(path: &std::path::Path) -> String {
    let output = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}", path.display()))
        .output()
        .expect("chromium is needed for the browser test; .ci/run installs Debian's chromium");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_demo_renders_like_seed_000_with_derived_dates() {
    let env = TestEnv::new();
    let dir = demo(&env);
    let markdown = run_in(&dir, &["render", "--at", "subprocessors/2026-07-01"], &[]);
    insta::assert_snapshot!(markdown);
    // The sections and their order are seed 000's.
    let titles: Vec<&str> = markdown
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .collect();
    assert_eq!(
        titles,
        [
            "Get notified of changes",
            "Hosting and Infrastructure",
            "Email Infrastructure",
            "Communications",
            "Optional Features and Integrations",
            "Customer-Initiated Integrations",
            "Website and Pre-Login Analytics",
            "PracticPro Billing",
            "Objections"
        ]
    );
    // The page is the released list by default: the latest release.
    assert_eq!(run_in(&dir, &["render"], &[]), markdown);
    // The unreleased tip, asked for, is a draft; Hotjar is not released yet.
    let draft = run_in(&dir, &["render", "--at", "HEAD"], &[]);
    assert!(draft.contains("**Draft: not yet released.**"));
    assert!(draft.contains("| Hotjar Ltd. |") && draft.contains("| not yet released |"));
    insta::assert_snapshot!(run_in(
        &dir,
        &[
            "render",
            "--at",
            "subprocessors/2026-03-01",
            "--format",
            "json"
        ],
        &[]
    ));
}

#[test]
fn the_html_page_in_a_real_browser() {
    let env = TestEnv::new();
    let dir = demo(&env);
    let output = run_in(
        &dir,
        &[
            "render",
            "--at",
            "subprocessors/2026-07-01",
            "--format",
            "html",
            "--out",
            "page.html",
        ],
        &[],
    );
    assert_eq!(
        output,
        "------- stderr -------\nwrote page.html\n[exit status: 0]\n"
    );
    let html = std::fs::read_to_string(dir.join("page.html")).unwrap();
    // Self-contained: no scripts, nothing loaded from elsewhere; links
    // only go out to https and mailto addresses.
    assert!(
        !html.contains("<script")
            && !html.contains("src=")
            && !html.contains("<link rel=\"stylesheet"),
        "self-contained"
    );
    assert!(!html.contains("href=\"http:"), "only https links");
    let dom = dom(&dir.join("page.html"));
    assert_eq!(
        dom.matches("<tr class=\"vendor\"").count(),
        15,
        "one row per vendor at that release"
    );
    assert_eq!(dom.matches("class=\"badge new\"").count(), 1, "{dom}");
    let telnyx = &dom[dom.find("data-id=\"telnyx\"").unwrap()..];
    let telnyx = &telnyx[..telnyx.find("</tr>").unwrap()];
    assert!(
        telnyx.contains("badge new") && telnyx.contains("<time datetime=\"2026-07-01\">"),
        "{telnyx}"
    );
    assert!(dom.contains("<time datetime=\"2026-07-01\" id=\"last-updated\">1 July 2026</time>"));
    // Everything public the register holds about Telnyx, and no tag name.
    for shown in [
        "<a href=\"https://telnyx.com\">Telnyx LLC</a>",
        "<span class=\"label\">Address:</span> 311 W Superior St, Suite 504, Chicago, IL 60654, United States",
        "<a href=\"mailto:privacy@telnyx.example\">privacy@telnyx.example</a>",
        "<a href=\"https://telnyx.com/subprocessors\">Its own sub-processors</a>",
        "<span class=\"label\">Data subjects:</span> Practitioners; Practitioners' clients",
        "<span class=\"label\">Transfers:</span> EU-U.S. Data Privacy Framework; Standard Contractual Clauses",
    ] {
        assert!(telnyx.contains(shown), "{shown}\n{telnyx}");
    }
    assert!(
        !dom.contains("subprocessors/2026"),
        "no tag names on the page"
    );
    // A vendor without an address or contact shows no such labels.
    let twilio = &dom[dom.find("data-id=\"twilio\"").unwrap()..];
    let twilio = &twilio[..twilio.find("</tr>").unwrap()];
    assert!(
        !twilio.contains("Address")
            && !twilio.contains("Privacy contact")
            && !twilio.contains("Transfers"),
        "{twilio}"
    );
    assert!(
        twilio.contains("<span class=\"badge core\">Core</span>"),
        "{twilio}"
    );
    assert_eq!(dom.matches("Listed for transparency").count(), 3);
    // Nothing is overwritten without --force.
    let again = run_in(
        &dir,
        &["render", "--format", "html", "--out", "page.html"],
        &[],
    );
    assert!(
        again.contains("refused: page.html exists\n  hint: use --force to replace it"),
        "{again}"
    );
}

#[test]
fn hostile_vendor_text_is_shown_not_run() {
    let env = TestEnv::new();
    env.write(
        "subledger.toml",
        "[register]\nname = \"Acme\"\n\n[[section]]\nid = \"hosting\"\ntitle = \"Hosting\"\nscope = \"transparency\"\n",
    );
    env.write(
        "register/evil.toml",
        "name = \"<script>document.title='pwned'</script><img src=x onerror=alert(1)>\"\nsection = \"hosting\"\npurpose = \"| breaks | tables * and _markup_ [x](javascript:alert(1))\"\ndata_categories = [\"=HYPERLINK(\\\"x\\\")\"]\nlocations = [\"DE\"]\n",
    );
    let mut git = Git::init(env.root());
    git.commit_all("Evil");
    let html = env.root().join("page.html");
    assert!(
        env.run(&[
            "render",
            "--at",
            "HEAD",
            "--format",
            "html",
            "--out",
            "page.html"
        ])
        .ends_with("[exit status: 0]\n")
    );
    let dom = dom(&html);
    assert!(!dom.contains("<script>") && !dom.contains("<img"), "{dom}");
    assert!(
        dom.contains(
            "&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        ),
        "{dom}"
    );
    assert!(dom.contains("<title>Acme sub-processors (draft)</title>"));
    // The link in the purpose is text, never a link.
    assert!(!dom.contains("href=\"javascript"), "{dom}");
    insta::assert_snapshot!(env.run(&["render", "--at", "HEAD"]));
}

#[test]
fn a_vendor_removed_and_restored_between_releases_keeps_its_added_date() {
    let env = TestEnv::new();
    env.write(
        "subledger.toml",
        "[register]\nname = \"Acme\"\n\n[render]\nnew_days = 3\n\n[[section]]\nid = \"hosting\"\ntitle = \"Hosting\"\n",
    );
    let vendor = |name: &str| {
        format!(
            "name = \"{name}\"\nsection = \"hosting\"\npurpose = \"Hosting\"\ndata_categories = [\"All customer data\"]\nlocations = [\"DE\"]\n"
        )
    };
    env.write("register/a.toml", vendor("A"));
    env.write("register/b.toml", vendor("B"));
    let mut git = Git::init(env.root());
    let first = git.commit_all("Start");
    git.tag("subprocessors/r1", &first);
    // b goes and comes back before any release sees it gone ...
    env.remove("register/b.toml");
    git.commit_all("Drop b by mistake");
    env.write("register/b.toml", vendor("B"));
    git.commit_all("Restore b");
    // ... and the register dir is briefly a file.
    std::fs::remove_dir_all(env.root().join("register")).unwrap();
    env.write("register", "oops\n");
    git.commit_all("Register dir replaced by a file");
    std::fs::remove_file(env.root().join("register")).unwrap();
    env.write("register/a.toml", vendor("A"));
    env.write("register/b.toml", vendor("B"));
    env.write("register/c.toml", vendor("C"));
    let second = git.commit_all("Restore the register, add c");
    git.tag("subprocessors/r2", &second);
    let page = env.run(&["render", "--format", "json"]);
    let json: serde_json::Value =
        serde_json::from_str(page.split("[exit status").next().unwrap()).unwrap();
    let rows: Vec<(String, String, bool)> = json["sections"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["added_release"].as_str().unwrap().to_owned(),
                r["new"].as_bool().unwrap(),
            )
        })
        .collect();
    // Every release listed a and b: they were added in r1 (more than three
    // days before r2), and only c is new.
    assert_eq!(
        rows,
        [
            ("a".to_owned(), "subprocessors/r1".to_owned(), false),
            ("b".to_owned(), "subprocessors/r1".to_owned(), false),
            ("c".to_owned(), "subprocessors/r2".to_owned(), true),
        ]
    );
}

#[test]
fn a_newline_in_a_field_stays_inside_its_markdown_cell() {
    let env = TestEnv::new();
    env.write(
        "subledger.toml",
        "[register]\nname = \"Acme\"\n\n[[section]]\nid = \"hosting\"\ntitle = \"Hosting\"\n",
    );
    env.write(
        "register/stripe.toml",
        "name = \"Stripe\"\nsection = \"hosting\"\npurpose = \"Payments\\nand refunds\"\ndata_categories = [\"Card\\ndata\"]\nlocations = [\"US\"]\nnotes = \"\"\"Line one.\nLine two | with pipe.\"\"\"\n",
    );
    let mut git = Git::init(env.root());
    git.commit_all("Stripe");
    let page = env.run(&["render", "--work-tree"]);
    let rows: Vec<&str> = page.lines().filter(|l| l.starts_with("| Stripe")).collect();
    assert_eq!(rows.len(), 1, "{page}");
    // Sub-processor, Purpose (with its note), Data, Locations, Added: five
    // cells, in every section alike.
    let cells = rows[0].replace("\\|", "").matches('|').count() - 1;
    assert_eq!(cells, 5, "{}", rows[0]);
    assert!(
        rows[0].contains("Payments<br>and refunds<br>Note: Line one.<br>Line two \\| with pipe."),
        "{}",
        rows[0]
    );
}

#[test]
fn the_page_at_a_date_is_the_one_published_then() {
    let env = TestEnv::new();
    let dir = demo(&env);
    // Between the first two releases: the first one's page, not a page of
    // the commit that was released later.
    let page = run_in(
        &dir,
        &["render", "--at", "2026-02-25", "--format", "json"],
        &[],
    );
    let json: serde_json::Value =
        serde_json::from_str(page.split("[exit status").next().unwrap()).unwrap();
    assert_eq!(json["release"], "subprocessors/2025-12-15", "{page}");
    assert_eq!(
        run_in(&dir, &["render", "--at", "2026-02-25"], &[]),
        run_in(&dir, &["render", "--at", "subprocessors/2025-12-15"], &[])
    );
}

#[test]
fn the_page_in_german_and_french() {
    let env = TestEnv::new();
    let dir = demo(&env);
    for (language, phrases) in [
        (
            "de",
            [
                "**Entwurf: noch nicht veröffentlicht.** Dies ist nicht die veröffentlichte Liste",
                "| Unterauftragsverarbeiter | Zweck | Daten | Standorte und Übermittlungen | Hinzugefügt |",
                "Vereinigte Staaten<br>Übermittlungen: EU-US-Datenschutzrahmen (Data Privacy Framework); Standardvertragsklauseln | 1. Juli 2026 |",
            ],
        ),
        (
            "fr",
            [
                "**Projet : pas encore publié.** Ceci n'est pas la liste publiée",
                "| Sous-traitant ultérieur | Finalité | Données | Lieux et transferts | Ajouté |",
                "États-Unis<br>Transferts : Cadre de protection des données UE-États-Unis; Clauses contractuelles types | 1er juillet 2026 |",
            ],
        ),
    ] {
        // A draft from the work tree speaks the language its config names.
        let config = std::fs::read_to_string(dir.join("subledger.toml")).unwrap();
        let config = match config.find("\n[render]") {
            Some(at) => config[..at].to_owned(),
            None => config,
        };
        std::fs::write(
            dir.join("subledger.toml"),
            format!("{config}\n[render]\nlanguage = \"{language}\"\n"),
        )
        .unwrap();
        let page = run_in(&dir, &["render", "--work-tree"], &[]);
        insta::assert_snapshot!(format!("page-{language}"), page);
        for phrase in phrases {
            assert!(page.contains(phrase), "{language}: {phrase}\n{page}");
        }
        let html = run_in(&dir, &["render", "--work-tree", "--format", "html"], &[]);
        assert!(
            html.contains(&format!("<html lang=\"{language}\">")),
            "{html}"
        );
    }
}
