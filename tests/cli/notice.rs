//! `subledger notice`: the scenarios of the releases issue, every format,
//! drafts, saving, emergencies, templates and escaping.

use crate::common::{Git, TestEnv};

/// Commits the work tree and releases it on `date` as Lena.
fn release(env: &TestEnv, git: &mut Git, message: &str, date: &str) {
    git.commit_all(message);
    let mut config = git.repo.config().unwrap();
    config.set_str("user.name", "Lena Legal").unwrap();
    config.set_str("user.email", "lena@example.com").unwrap();
    let output = env.run(&["release", "--date", date]);
    assert!(output.ends_with("[exit status: 0]\n"), "{output}");
}

#[test]
fn seed_001_gong_is_announced_with_dates_under_calendar_and_business_terms() {
    let env = TestEnv::with_fixture("seed-001");
    let config = std::fs::read_to_string(env.root().join("subledger.toml")).unwrap();
    env.write(
        "subledger.toml",
        format!("{config}\n[notice.profile.business]\ndays = 10\nunit = \"business\"\n"),
    );
    let gong = std::fs::read_to_string(env.root().join("register/gong-io.toml")).unwrap();
    env.remove("register/gong-io.toml");
    let mut git = Git::init(env.root());
    release(&env, &mut git, "The list before Gong.io", "2026-01-05");
    env.write("register/gong-io.toml", &gong);
    release(&env, &mut git, "Add Gong.io", "2026-02-02");
    let text = env.run(&["notice", "--all-profiles", "--format", "text"]);
    insta::assert_snapshot!(text);
    assert!(text.contains("Gong.io\n  * New sub-processor"), "{text}");
    assert!(text.contains("Address: 40 Tuval Street, 39th Floor, Ramat Gan 52522, Israel"));
    assert!(text.contains("Locations: United States, European Union"));
    // Calendar: Monday 2026-02-02 is day 0; February 2026 has 28 days, so
    // day 30 is Wednesday 2026-03-04.
    assert!(text.contains(
        "Under the standard terms (30 calendar days): Takes effect on 4 March 2026 unless you object; objections must reach us by 23:59 UTC on 4 March 2026."
    ));
    // Business: Tue 3 (1), Wed 4, Thu 5, Fri 6 (4), Mon 9 .. Fri 13 (9), Mon 16 (10).
    assert!(text.contains(
        "Under the business terms (10 business days): Takes effect on 16 February 2026 unless you object; objections must reach us by 23:59 UTC on 16 February 2026."
    ));
    let business = env.run(&["notice", "--profile", "business", "--format", "json"]);
    assert!(
        business.contains("\"effective\": \"2026-02-16\""),
        "{business}"
    );
    assert!(!business.contains("2026-03-04"));
}

/// Seed 000 released, then Cloudflare gains a location and Telnyx goes.
fn seed_000_releases() -> (TestEnv, Git) {
    let env = TestEnv::with_fixture("example");
    let mut git = Git::init(env.root());
    release(&env, &mut git, "Publish the list", "2026-01-05");
    let cloudflare = std::fs::read_to_string(env.root().join("register/cloudflare.toml")).unwrap();
    env.write(
        "register/cloudflare.toml",
        cloudflare.replace(
            "locations = [\"GLOBAL\"]",
            "locations = [\"GLOBAL\", \"DE\"]",
        ),
    );
    env.remove("register/telnyx.toml");
    release(
        &env,
        &mut git,
        "Cloudflare in Frankfurt; drop Telnyx",
        "2026-02-02",
    );
    (env, git)
}

#[test]
fn seed_000_a_location_needs_notice_and_a_removal_is_informational_in_every_format() {
    let (env, _git) = seed_000_releases();
    let markdown = env.run(&["notice"]);
    insta::assert_snapshot!(markdown);
    let (needs, info) = markdown.split_once("## Other changes").unwrap();
    assert!(needs.contains("### Cloudflare, Inc.") && needs.contains("Adds processing in Germany"));
    assert!(info.contains("Telnyx LLC: No longer engaged") && !needs.contains("Telnyx"));
    // Nothing was an emergency, so the notice says nothing about emergencies.
    assert!(!markdown.contains("We may engage"), "{markdown}");
    insta::assert_snapshot!(env.run(&["notice", "--format", "text"]));
    insta::assert_snapshot!(env.run(&["notice", "--format", "html"]));
    insta::assert_snapshot!(env.run(&["notice", "--format", "json"]));
}

#[test]
fn drafts_are_marked_and_dated_only_when_asked() {
    let (env, _git) = seed_000_releases();
    let openai = std::fs::read_to_string(env.root().join("register/openai.toml")).unwrap();
    env.write(
        "register/openai.toml",
        openai.replace("engagement = \"optional\"", "engagement = \"core\""),
    );
    let undated = env.run(&["notice", "--work-tree", "--format", "text"]);
    insta::assert_snapshot!(undated);
    assert!(undated.starts_with("DRAFT: not yet released."));
    let dated = env.run(&[
        "notice",
        "--work-tree",
        "--date",
        "2026-03-02",
        "--format",
        "text",
    ]);
    assert!(
        dated.contains("Takes effect on 1 April 2026 unless you object"),
        "{dated}"
    );
    // SOURCE_DATE_EPOCH dates a draft too (2026-03-02T12:00:00Z).
    let epoch = env.run_with(
        &["notice", "--work-tree", "--format", "text"],
        &[("SOURCE_DATE_EPOCH", "1772452800")],
    );
    assert_eq!(epoch, dated);
    // TO = HEAD (committed, not released) is a draft too.
    let head = env.run(&[
        "notice",
        "subprocessors/2026-01-05",
        "HEAD",
        "--format",
        "text",
    ]);
    assert!(head.starts_with("DRAFT: not yet released."), "{head}");
    assert!(
        head.contains("Cloudflare, Inc.") && !head.contains("OpenAI"),
        "{head}"
    );
    // Same repository and arguments: the same bytes.
    assert_eq!(
        env.run(&["notice", "--work-tree", "--format", "text"]),
        undated
    );
    // Terms changed in the work tree date the work tree's draft (HEAD's
    // 30 days would say 1 April).
    let config = std::fs::read_to_string(env.root().join("subledger.toml")).unwrap();
    assert!(config.contains("\ndays = 30\n"), "{config}");
    env.write(
        "subledger.toml",
        config.replace("\ndays = 30\n", "\ndays = 45\n"),
    );
    let longer = env.run(&[
        "notice",
        "--work-tree",
        "--date",
        "2026-03-02",
        "--format",
        "text",
    ]);
    assert!(
        longer.contains("Takes effect on 16 April 2026 unless you object"),
        "{longer}"
    );
}

#[test]
fn save_writes_under_reports_and_never_overwrites_without_force() {
    let (env, _git) = seed_000_releases();
    insta::assert_snapshot!(env.run(&["notice", "--save"]));
    let path = env
        .root()
        .join("reports/subprocessors/2026-02-02/notice.md");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("register-tree="), "records the tree id");
    assert_eq!(
        saved,
        env.run(&["notice"]).trim_end_matches("[exit status: 0]\n")
    );
    std::fs::write(&path, "edited by hand\n").unwrap();
    insta::assert_snapshot!(env.run(&["notice", "--save"]));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited by hand\n");
    assert!(
        env.run(&["notice", "--save", "--force"])
            .ends_with("[exit status: 0]\n")
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), saved);
    insta::assert_snapshot!(env.run(&["notice", "--work-tree", "--save"]));
}

#[test]
fn emergencies_hostile_text_templates_and_vendors_that_came_and_went() {
    let env = TestEnv::new();
    env.write(
        "subledger.toml",
        "[register]\nname = \"Acme <b>\"\n\n[notice]\ndays = 30\ncontact = \"privacy@acme.example\"\n\n[[section]]\nid = \"hosting\"\ntitle = \"Hosting\"\n",
    );
    let vendor = |name: &str, extra: &str| {
        format!(
            "name = \"{name}\"\nsection = \"hosting\"\npurpose = \"Hosting\"\ndata_categories = [\"All data\"]\nlocations = [\"DE\"]\nlegal_address = \"1 Street\"\ncontact = \"dpo@vendor.example\"\n[dpa]\nstatus = \"signed\"\n{extra}"
        )
    };
    env.write("register/ovh.toml", vendor("OVH", ""));
    env.write("register/gone.toml", vendor("Gone", ""));
    let mut git = Git::init(env.root());
    release(&env, &mut git, "Start", "2026-01-05");
    // Removed and added back between two releases: no release showed it
    // gone, so it is no change. Added and removed again: not one either.
    env.remove("register/gone.toml");
    git.commit_all("Drop Gone");
    env.write("register/gone.toml", vendor("Gone", ""));
    env.write("register/brief.toml", vendor("Brief", ""));
    git.commit_all("Gone is back; try Brief");
    env.remove("register/brief.toml");
    env.write(
        "register/scw.toml",
        vendor("<script>alert(1)</script> | *Scaleway*", "").replace(
            "[dpa]",
            "effective = 2026-02-01\nemergency = \"OVH outage: replacement needed at once\"\n[dpa]",
        ),
    );
    release(&env, &mut git, "Scaleway at once", "2026-02-02");
    let markdown = env.run(&["notice"]);
    insta::assert_snapshot!(markdown);
    assert!(
        !markdown.contains("Brief"),
        "added and removed between releases: not mentioned"
    );
    assert!(
        !markdown.contains("Gone"),
        "removed and restored between releases: not mentioned"
    );
    // Nor in the feed's entry for the release (the newest, first).
    let feed = env.run(&["feed"]);
    let newest = &feed[feed.find("<entry>").unwrap()..feed.find("</entry>").unwrap()];
    assert!(
        newest.contains("Scaleway") && !newest.contains("Gone"),
        "{newest}"
    );
    assert!(markdown.contains(
        "**Engaged at once, on 1 February 2026, before the notice period ends:** OVH outage"
    ));
    let html = env.run(&["notice", "--format", "html"]);
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;") && !html.contains("<script>"),
        "{html}"
    );
    assert!(html.contains("Acme &lt;b&gt;"));
    // A register's own template replaces the wording.
    env.write(
        "notice.txt.j2",
        "{{ company }}: {% for v in needs_notice %}{{ v.name }} ({{ v.kind }}); {% endfor %}\n",
    );
    let config = std::fs::read_to_string(env.root().join("subledger.toml")).unwrap();
    env.write(
        "subledger.toml",
        config.replace(
            "[notice]\n",
            "[notice]\ntemplates = { text = \"notice.txt.j2\" }\n",
        ),
    );
    insta::assert_snapshot!(env.run(&["notice", "--format", "text"]));
    env.write("notice.txt.j2", "{{ company ");
    insta::assert_snapshot!(env.run(&["notice", "--format", "text"]));
}

#[test]
fn a_template_stays_inside_the_repository_ends_and_names_what_it_lacks() {
    let env = TestEnv::new();
    env.write(
        "subledger.toml",
        "[register]\nname = \"Acme\"\n\n[[section]]\nid = \"hosting\"\ntitle = \"Hosting\"\nscope = \"transparency\"\n",
    );
    env.write(
        "register/ovh.toml",
        "name = \"OVH\"\nsection = \"hosting\"\npurpose = \"Hosting\"\ndata_categories = [\"All\"]\nlocations = [\"FR\"]\n",
    );
    let mut git = Git::init(env.root());
    release(&env, &mut git, "Start", "2026-01-05");
    let config = std::fs::read_to_string(env.root().join("subledger.toml")).unwrap();
    let with_template = |path: &str| {
        env.write(
            "subledger.toml",
            format!("{config}\n[notice.templates]\nmarkdown = \"{path}\"\n"),
        );
        env.run(&["notice"])
    };
    std::os::unix::fs::symlink("/etc/hostname", env.root().join("link.md.j2")).unwrap();
    let mut outputs: Vec<String> = ["/etc/passwd", "../../../../etc/hostname", "link.md.j2"]
        .iter()
        .map(|path| with_template(path))
        .collect();
    for output in &outputs {
        assert!(output.ends_with("[exit status: 2]\n"), "{output}");
    }
    // A loop that would not end in a lifetime runs out of work instead.
    env.write(
        "slow.md.j2",
        "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}",
    );
    let start = std::time::Instant::now();
    outputs.push(with_template("slow.md.j2"));
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
    // A misspelled value is an error naming the template and line.
    env.write(
        "typo.md.j2",
        "# {{ company }}\n{% for v in needs_notice %}{% endfor %}{{ to.nmae }}\n",
    );
    outputs.push(with_template("typo.md.j2"));
    insta::assert_snapshot!(outputs.join("\n"));
}

/// The example released, then a release with a replacement, a move, an
/// emergency and a note saying why; then a draft in the work tree.
fn replacement_and_emergency() -> (TestEnv, Git) {
    replacement_and_emergency_in(None)
}

/// The same, with `[render] language` set from the start.
fn replacement_and_emergency_in(language: Option<&str>) -> (TestEnv, Git) {
    let env = TestEnv::with_fixture("example");
    if let Some(language) = language {
        let config = std::fs::read_to_string(env.root().join("subledger.toml")).unwrap();
        env.write(
            "subledger.toml",
            format!("{config}\n[render]\nlanguage = \"{language}\"\n"),
        );
    }
    let mut git = Git::init(env.root());
    release(&env, &mut git, "Publish the list", "2026-01-05");
    env.remove("register/google-workspace.toml");
    env.write(
        "register/postmark.toml",
        "name = \"Postmark\"\nlegal_entity = \"ActiveCampaign, LLC\"\nlegal_address = \"1 N Dearborn St, Chicago, IL 60602, United States\"\nwebsite = \"https://postmarkapp.com\"\ncontact = \"privacy@postmark.example\"\nsection = \"email\"\npurpose = \"Transactional email delivery.\"\ndata_categories = [\"Recipient email addresses\", \"Message content\"]\nlocations = [\"US\"]\ntransfer_mechanisms = [\"dpf\", \"scc\"]\nreplaces = [\"google-workspace\"]\n",
    );
    let digitalocean =
        std::fs::read_to_string(env.root().join("register/digitalocean.toml")).unwrap();
    env.write(
        "register/digitalocean.toml",
        digitalocean.replace("locations = [\"US\"]", "locations = [\"DE\"]"),
    );
    env.write(
        "register/hetzner.toml",
        "name = \"Hetzner Online GmbH\"\nsection = \"infrastructure\"\npurpose = \"Failover hosting.\"\ndata_categories = [\"All customer data processed by the platform\"]\nlocations = [\"DE\"]\neffective = 2026-02-02\nemergency = \"our primary host failed; failover was needed at once\"\n",
    );
    git.commit_all("Postmark replaces Google Workspace; hosting to Frankfurt; Hetzner failover");
    let mut config = git.repo.config().unwrap();
    config.set_str("user.name", "Lena Legal").unwrap();
    config.set_str("user.email", "lena@example.com").unwrap();
    let output = env.run(&[
        "release",
        "--date",
        "2026-02-02",
        "--message",
        "Adds Postmark for transactional email; moves primary hosting to Frankfurt",
    ]);
    assert!(output.ends_with("[exit status: 0]\n"), "{output}");
    (env, git)
}

#[test]
fn a_replacement_a_move_and_an_emergency_in_every_format_and_a_draft() {
    let (env, _git) = replacement_and_emergency();
    let text = env.run(&["notice", "--format", "text"]);
    insta::assert_snapshot!("counsel-text", text);
    // Why, in the releaser's words; the replaced vendor by name; the
    // mechanisms by their names; a deadline no one can misread.
    assert!(text.contains(
        "Why: Adds Postmark for transactional email; moves primary hosting to Frankfurt"
    ));
    assert!(text.contains("  * New sub-processor, replacing Google LLC (Google Workspace)"));
    assert!(text.contains(
        "Transfer mechanisms: EU-U.S. Data Privacy Framework; Standard Contractual Clauses"
    ));
    assert!(text.contains("objections must reach us by 23:59 UTC on 4 March 2026."));
    assert!(text.contains("  * Moves processing from United States to Germany"));
    // New sub-processors first, then replacements, then moves.
    let at = |name: &str| text.find(&format!("\n{name}")).unwrap();
    assert!(at("Hetzner Online GmbH") < at("Postmark"));
    assert!(at("Postmark") < at("DigitalOcean, LLC"));
    // The emergency, and the sentence about emergencies only because of it.
    assert!(text.contains("Engaged at once, on 2 February 2026, before the notice period ends"));
    assert!(text.contains("We may engage a sub-processor before the notice period ends in cases of urgent operational need, as we did above"));
    // No internal ids or tag names in what customers read above the footer.
    let body = &text[..text.find("\n--\n").unwrap()];
    assert!(
        !body.contains("subprocessors/20") && !body.contains("google-workspace"),
        "{body}"
    );
    for format in ["markdown", "html", "json"] {
        let output = env.run(&["notice", "--format", format]);
        insta::assert_snapshot!(format!("counsel-{format}"), output);
        for needle in [
            "Adds Postmark for transactional email",
            "New sub-processor, replacing Google LLC (Google Workspace)",
            "Moves processing from United States to Germany",
            "our primary host failed",
        ] {
            assert!(output.contains(needle), "{format}: {needle}");
        }
        if format != "json" {
            assert!(
                output.contains("EU-U.S. Data Privacy Framework"),
                "{format}"
            );
            assert!(output.contains("23:59 UTC on"), "{format}");
        }
    }
    // A draft never says it was released.
    let stripe = std::fs::read_to_string(env.root().join("register/stripe.toml")).unwrap();
    env.write(
        "register/stripe.toml",
        stripe.replace("section = \"billing\"", "section = \"infrastructure\""),
    );
    let draft = env.run(&[
        "notice",
        "--work-tree",
        "--date",
        "2026-03-10",
        "--format",
        "text",
    ]);
    insta::assert_snapshot!("counsel-draft", draft);
    assert!(draft.starts_with("DRAFT: not yet released."));
    assert!(
        !draft.contains("Released") && !draft.contains("we updated"),
        "{draft}"
    );
}

#[test]
fn the_notice_in_german_and_french_in_every_format_and_a_draft() {
    for (language, phrases) in [
        (
            "de",
            [
                "Änderungen der Unterauftragsverarbeiter von PracticPro, 2. Februar 2026",
                "Neuer Unterauftragsverarbeiter, ersetzt Google LLC (Google Workspace)",
                "Verlagert die Verarbeitung von Vereinigte Staaten nach Deutschland",
                "Einsprüche müssen uns bis zum 4. März 2026, 23:59 Uhr (UTC), erreichen.",
                "EU-US-Datenschutzrahmen (Data Privacy Framework); Standardvertragsklauseln",
            ],
        ),
        (
            "fr",
            [
                "Modifications des sous-traitants ultérieurs de PracticPro, 2 février 2026",
                "Nouveau sous-traitant ultérieur, remplace Google LLC (Google Workspace)",
                "Déplace le traitement de États-Unis vers Allemagne",
                "les objections doivent nous parvenir au plus tard le 4 mars 2026 à 23 h 59 (UTC).",
                "Cadre de protection des données UE-États-Unis; Clauses contractuelles types",
            ],
        ),
    ] {
        let (env, _git) = replacement_and_emergency_in(Some(language));
        for format in ["text", "markdown", "html"] {
            let output = env.run(&["notice", "--format", format]);
            insta::assert_snapshot!(format!("counsel-{language}-{format}"), output);
            for phrase in phrases {
                let shown = if format == "html" {
                    phrase.replace('\'', "&#x27;")
                } else {
                    phrase.to_owned()
                };
                assert!(
                    output.contains(&shown),
                    "{language} {format}: {phrase}\n{output}"
                );
            }
            // Vendor text is shown as written.
            assert!(
                output.contains("Transactional email delivery."),
                "{language} {format}"
            );
        }
        let json = env.run(&["notice", "--format", "json"]);
        assert!(
            json.contains(&format!("\"language\": \"{language}\"")),
            "{json}"
        );
        let stripe = std::fs::read_to_string(env.root().join("register/stripe.toml")).unwrap();
        env.write(
            "register/stripe.toml",
            stripe.replace("section = \"billing\"", "section = \"infrastructure\""),
        );
        let draft = env.run(&[
            "notice",
            "--work-tree",
            "--date",
            "2026-03-10",
            "--format",
            "text",
        ]);
        insta::assert_snapshot!(format!("counsel-{language}-draft"), draft);
    }
}
