//! `subledger feed`: valid Atom, newest first, ids that never change.

use crate::common::{TestEnv, run_in};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// (id, title, updated) of each entry, after checking what Atom requires.
fn entries(feed: &str) -> Vec<(String, String, String)> {
    let doc = roxmltree::Document::parse(feed).unwrap_or_else(|e| panic!("{e}\n{feed}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(ATOM));
    assert_eq!(root.tag_name().name(), "feed");
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|c| {
                c.is_element()
                    && c.tag_name().name() == name
                    && c.tag_name().namespace() == Some(ATOM)
            })
            .unwrap_or_else(|| panic!("<{name}> missing"))
            .text()
            .unwrap_or_default()
            .to_owned()
    };
    for required in ["id", "title", "updated"] {
        assert!(!child(root, required).is_empty(), "feed <{required}>");
    }
    assert!(root.children().any(|c| c.tag_name().name() == "author"));
    root.children()
        .filter(|c| c.is_element() && c.tag_name().name() == "entry")
        .map(|entry| {
            let updated = child(entry, "updated");
            assert!(
                time::OffsetDateTime::parse(
                    &updated,
                    &time::format_description::well_known::Rfc3339
                )
                .is_ok(),
                "{updated}"
            );
            assert!(!child(entry, "content").is_empty());
            (child(entry, "id"), child(entry, "title"), updated)
        })
        .collect()
}

#[test]
fn the_demo_feed_is_atom_with_stable_entries() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    let feed = run_in(&dir, &["feed"], &[]);
    let feed = feed.trim_end_matches("[exit status: 0]\n");
    let first = entries(feed);
    let titles: Vec<&str> = first.iter().map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Sub-processor list of 1 July 2026",
            "Sub-processor list of 1 March 2026",
            "Sub-processor list of 15 December 2025"
        ],
        "newest first"
    );
    insta::assert_snapshot!(feed);
    // A new release adds one entry on top; the others do not change.
    let mut config = git2::Repository::open(&dir).unwrap().config().unwrap();
    config.set_str("user.name", "Lena Fischer").unwrap();
    config
        .set_str("user.email", "lena@practicpro.example")
        .unwrap();
    assert!(
        run_in(&dir, &["release", "--date", "2026-10-01"], &[])
            .starts_with("released subprocessors/2026-10-01")
    );
    let after = run_in(&dir, &["feed"], &[]);
    let second = entries(after.trim_end_matches("[exit status: 0]\n"));
    assert_eq!(second.len(), 4);
    assert_eq!(&second[1..], &first[..], "published entries never change");
    // Hotjar sits in a transparency section: informational, not a sub-processor.
    assert!(
        after.contains("Hotjar Ltd.: Listed for transparency"),
        "{after}"
    );
    // --out writes the file once; again only with --force.
    assert!(run_in(&dir, &["feed", "--out", "feed.atom"], &[]).ends_with("[exit status: 0]\n"));
    assert!(
        run_in(&dir, &["feed", "--out", "feed.atom"], &[]).contains("refused: feed.atom exists")
    );
}
