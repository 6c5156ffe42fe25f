//! `subledger site`, print and PDF: the files a company hosts, checked in a
//! real browser (headless Chromium) and a real PDF reader (poppler).

use crate::common::{TestEnv, run_in};
use std::path::{Path, PathBuf};
use std::process::Command;

fn demo(env: &TestEnv) -> PathBuf {
    let output = env.run(&["demo", "demo"]);
    assert!(output.ends_with("[exit status: 0]\n"), "{output}");
    env.root().join("demo")
}

fn chromium(args: &[&str], target: &Path) -> std::process::Output {
    let output = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu"])
        .args(args)
        .arg(format!("file://{}", target.display()))
        .output()
        .expect("chromium is needed for the browser test; .ci/run installs Debian's chromium");
    assert!(output.status.success(), "{output:?}");
    output
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// The value of every `href="…"` in a DOM.
fn hrefs(dom: &str) -> Vec<String> {
    dom.split("href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].replace("&amp;", "&"))
        .collect()
}

fn decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn the_site_holds_every_file_and_every_link_resolves() {
    let env = TestEnv::new();
    let dir = demo(&env);
    let output = run_in(&dir, &["site", "--out", "public"], &[]);
    assert_eq!(
        output,
        "------- stderr -------\nwrote 7 files to public\n[exit status: 0]\n"
    );
    let site = dir.join("public");
    assert_eq!(
        tree(&site),
        [
            ".subledger-site",
            "feed.xml",
            "index.html",
            "notices/2025-12-15.html",
            "notices/2026-03-01.html",
            "notices/2026-07-01.html",
            "notices/index.html",
            "subprocessors.json",
        ]
    );
    // Every link, as the browser reads it, resolves inside the site or
    // goes out to https or mailto.
    let mut checked = 0;
    for file in tree(&site).iter().filter(|f| f.ends_with(".html")) {
        let path = site.join(file);
        let html = std::fs::read_to_string(&path).unwrap();
        assert!(
            !html.contains("<script") && !html.contains("src="),
            "{file} is self-contained"
        );
        let dom = String::from_utf8(chromium(&["--dump-dom"], &path).stdout).unwrap();
        for href in hrefs(&dom) {
            checked += 1;
            if href.starts_with("https://") || href.starts_with("mailto:") {
                continue;
            }
            let (target, fragment) = href.split_once('#').unwrap_or((&href, ""));
            let resolved = match target {
                "" => path.clone(),
                t => path.parent().unwrap().join(decode(t)),
            };
            assert!(resolved.is_file(), "{file}: {href} does not resolve");
            if !fragment.is_empty() {
                let text = std::fs::read_to_string(&resolved).unwrap();
                assert!(
                    text.contains(&format!("id=\"{fragment}\"")),
                    "{file}: {href}"
                );
            }
        }
    }
    assert!(checked > 20, "{checked} links");
    // The page is the released list, the archive lists every release.
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains(
        "Last updated <time datetime=\"2026-07-01\" id=\"last-updated\">1 July 2026</time>"
    ));
    assert!(!index.contains("Hotjar"), "Hotjar is not released yet");
    let notices = std::fs::read_to_string(site.join("notices/index.html")).unwrap();
    assert!(notices.contains("<a class=\"date\" href=\"2026-07-01.html\"><time datetime=\"2026-07-01\">1 July 2026</time></a>: 2 changes need notice; they take effect on 31 July 2026.<br>Telnyx added; SendGrid removed"), "{notices}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("subprocessors.json")).unwrap())
            .unwrap();
    assert_eq!(json["schema"], "subledger.page/1");
    assert_eq!(json["release"], "subprocessors/2026-07-01");
    // Byte-identical on rerun; a directory it did not make is refused.
    let before: Vec<Vec<u8>> = tree(&site)
        .iter()
        .map(|f| std::fs::read(site.join(f)).unwrap())
        .collect();
    assert!(run_in(&dir, &["site", "--out", "public"], &[]).ends_with("[exit status: 0]\n"));
    let after: Vec<Vec<u8>> = tree(&site)
        .iter()
        .map(|f| std::fs::read(site.join(f)).unwrap())
        .collect();
    assert!(before == after, "byte-identical");
    std::fs::create_dir(dir.join("docs")).unwrap();
    std::fs::write(dir.join("docs/keep.md"), "mine").unwrap();
    assert_eq!(
        run_in(&dir, &["site", "--out", "docs"], &[]),
        "------- stderr -------\nsubledger: error: refused: docs is not empty and was not made by `subledger site`\n  hint: choose a new directory, or use --force to replace it whole\n[exit status: 2]\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("docs/keep.md")).unwrap(),
        "mine"
    );
    // Not even --force replaces the repository or a directory holding it.
    for out in [".", ".."] {
        let refused = run_in(&dir, &["site", "--out", out, "--force"], &[]);
        assert!(
            refused.contains("holds the repository or the current directory")
                && refused.ends_with("[exit status: 2]\n"),
            "{refused}"
        );
    }
    assert!(dir.join("subledger.toml").is_file());
}

#[test]
fn a_draft_site_is_asked_for_and_marked_as_a_draft() {
    let env = TestEnv::new();
    let dir = demo(&env);
    // The published site names no vendor customers were not told of.
    assert!(run_in(&dir, &["site", "--out", "public"], &[]).ends_with("[exit status: 0]\n"));
    let published = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(!published.contains("Hotjar") && !published.contains("Draft:"));
    // HEAD carries an unreleased vendor: asked for, it is there, and the
    // page says it is a draft; the work tree's draft likewise.
    for (args, out) in [
        (&["--at", "HEAD"][..], "draft-head"),
        (&["--work-tree"], "draft-work-tree"),
    ] {
        let mut command = vec!["site", "--out", out];
        command.extend(args);
        assert!(run_in(&dir, &command, &[]).ends_with("[exit status: 0]\n"));
        let page = std::fs::read_to_string(dir.join(out).join("index.html")).unwrap();
        assert!(
            page.contains("Hotjar")
                && page.contains("Draft: not yet released. This is not the published list"),
            "{out}: {page}"
        );
        let json = std::fs::read_to_string(dir.join(out).join("subprocessors.json")).unwrap();
        assert!(json.contains("\"draft\": true"), "{out}: {json}");
    }
}

#[test]
fn the_feed_is_strict_atom_with_self_and_alternate_links_when_a_url_is_set() {
    let env = TestEnv::new();
    let dir = demo(&env);
    let feed = run_in(&dir, &["feed"], &[]);
    let feed = feed.trim_end_matches("[exit status: 0]\n");
    let doc = roxmltree::Document::parse(feed).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let links: Vec<(String, String)> = root
        .children()
        .filter(|n| n.has_tag_name("link"))
        .map(|n| {
            (
                n.attribute("rel").unwrap().to_owned(),
                n.attribute("href").unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                "self".to_owned(),
                "https://practicpro.example/subprocessors/feed.xml".to_owned()
            ),
            (
                "alternate".to_owned(),
                "https://practicpro.example/subprocessors/".to_owned()
            ),
        ]
    );
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 3);
    let alternate = entries[0]
        .children()
        .find(|n| n.has_tag_name("link"))
        .and_then(|n| n.attribute("href"));
    assert_eq!(
        alternate,
        Some("https://practicpro.example/subprocessors/notices/2026-07-01.html")
    );
    // Without [register] url there is nothing to link to.
    let config = std::fs::read_to_string(dir.join("subledger.toml")).unwrap();
    let without: String = config
        .lines()
        .filter(|l| !l.starts_with("url = "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("subledger.toml"), without).unwrap();
    let mut git = crate::common::Git::init(&dir);
    git.commit_all("No public url yet");
    let feed = run_in(&dir, &["feed"], &[]);
    let feed = feed.trim_end_matches("[exit status: 0]\n");
    let doc = roxmltree::Document::parse(feed).expect("well-formed XML");
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("link")).count(),
        0
    );
}

/// The pages of a PDF, as pdftotext reads them.
fn pdf_pages(pdf: &Path) -> (String, Vec<String>) {
    let info = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo is needed; .ci/run installs poppler-utils");
    let info = String::from_utf8(info.stdout).unwrap();
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    (info, text.split('\u{c}').map(str::to_owned).collect())
}

fn page_size(info: &str) -> &str {
    info.lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_default()
}

#[test]
fn the_page_prints_on_a4_with_no_row_split_across_pages() {
    let env = TestEnv::new();
    let dir = demo(&env);
    assert!(run_in(&dir, &["site", "--out", "public"], &[]).ends_with("[exit status: 0]\n"));
    let pdf = dir.join("page.pdf");
    chromium(
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
        &dir.join("public/index.html"),
    );
    let (info, pages) = pdf_pages(&pdf);
    assert!(page_size(&info).ends_with("(A4)"), "{info}");
    assert!(pages.len() > 2, "{} pages", pages.len());
    // The running header on every page, with the commit of the release the
    // page shows (for an auditor's printout).
    let commit = Command::new("git")
        .current_dir(&dir)
        .args(["rev-parse", "subprocessors/2026-07-01^{commit}"])
        .output()
        .unwrap();
    let commit = String::from_utf8(commit.stdout).unwrap();
    for page in pages.iter().filter(|p| !p.trim().is_empty()) {
        assert!(page.contains("PracticPro sub-processors"), "{page}");
        assert!(page.contains("Last updated 1 July 2026"), "{page}");
        assert!(
            page.contains(&format!("commit {}", &commit.trim()[..12])),
            "{page}"
        );
    }
    // Each vendor's row starts and ends on one page: the line with its name
    // and the first word of its purpose, and the last words of its purpose
    // and data, are on the same page. No row is split across pages.
    let page_json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("public/subprocessors.json")).unwrap(),
    )
    .unwrap();
    let mut rows = 0;
    for section in page_json["sections"].as_array().unwrap() {
        for row in section["rows"].as_array().unwrap() {
            let name = row["name"].as_str().unwrap();
            let purpose = row["purpose"].as_str().unwrap();
            let name_start = name.split_whitespace().next().unwrap();
            let purpose_start = purpose.split_whitespace().next().unwrap();
            let purpose_end = purpose.split_whitespace().last().unwrap();
            let data = row["data_categories"].as_array().unwrap();
            let data_end = data
                .last()
                .unwrap()
                .as_str()
                .unwrap()
                .split_whitespace()
                .last()
                .unwrap();
            // Rows of vendors whose names begin alike: any page where it starts.
            let whole = pages.iter().any(|p| {
                p.lines()
                    .any(|l| l.trim_start().starts_with(name_start) && l.contains(purpose_start))
                    && p.contains(purpose_end)
                    && p.contains(data_end)
            });
            assert!(whole, "{name}'s row is split across pages");
            rows += 1;
        }
    }
    assert_eq!(rows, 15);
}

#[test]
fn the_audit_prints_to_an_a4_pdf_through_chromium() {
    let env = TestEnv::new();
    let dir = demo(&env);
    let path = std::env::var("PATH").unwrap();
    let saved = run_in(
        &dir,
        &["audit", "--format", "pdf", "--save"],
        &[("PATH", &path)],
    );
    assert_eq!(
        saved,
        "saved reports/audit-start-now.pdf\n[exit status: 0]\n"
    );
    let pdf = dir.join("reports/audit-start-now.pdf");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let (info, pages) = pdf_pages(&pdf);
    assert!(page_size(&info).ends_with("(A4)"), "{info}");
    let text = pages.join("\n");
    assert!(
        text.contains("Sub-processor register audit: PracticPro"),
        "{text}"
    );
    assert!(
        text.contains("first commit to now, tip"),
        "running header: {text}"
    );
    // Without a browser it says which package to install.
    let none = run_in(&dir, &["audit", "--format", "pdf"], &[]);
    assert_eq!(
        none,
        "------- stderr -------\nsubledger: error: a PDF is printed by headless Chromium, and none is installed\n  hint: install it (Debian and Ubuntu: `apt-get install chromium`; macOS: Google Chrome) or set SUBLEDGER_CHROMIUM to its path; or use --format html and print from a browser\n[exit status: 2]\n"
    );
    let broken = run_in(
        &dir,
        &["audit", "--format", "pdf"],
        &[("SUBLEDGER_CHROMIUM", "/nonexistent/chromium")],
    );
    assert!(
        broken.contains("cannot run /nonexistent/chromium"),
        "{broken}"
    );
    assert!(broken.ends_with("[exit status: 2]\n"), "{broken}");
}
