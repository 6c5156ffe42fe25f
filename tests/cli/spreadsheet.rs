//! Spreadsheets: `list`, `timeline`, `diff` and `audit` as workbooks, read
//! back with openpyxl, and the list's workbook imported again.

use crate::common::{TestEnv, run_in};
use std::process::Command;

#[test]
fn list_writes_a_workbook_openpyxl_reads_with_dates_frozen_header_and_filter() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    // A date in the work tree, for the sheet's date column.
    let stripe = std::fs::read_to_string(dir.join("register/stripe.toml")).unwrap();
    std::fs::write(
        dir.join("register/stripe.toml"),
        stripe.replacen("\npurpose", "\nin_service_since = 2024-03-01\npurpose", 1),
    )
    .unwrap();
    let refused = on_terminal(&dir, &["list", "--format", "xlsx"]);
    assert!(
        refused.contains("add --out register.xlsx") && refused.contains("[exit status 2]"),
        "{refused}"
    );
    let wrote = run_in(&dir, &["list", "--format", "xlsx", "--out", "a.xlsx"], &[]);
    assert_eq!(
        wrote,
        "------- stderr -------\nwrote a.xlsx\n[exit status: 0]\n"
    );
    let again = run_in(&dir, &["list", "--format", "xlsx", "--out", "b.xlsx"], &[]);
    assert!(again.ends_with("[exit status: 0]\n"));
    assert_eq!(
        std::fs::read(dir.join("a.xlsx")).unwrap(),
        std::fs::read(dir.join("b.xlsx")).unwrap(),
        "the same register gives the same bytes"
    );
    let kept = run_in(&dir, &["list", "--format", "xlsx", "--out", "a.xlsx"], &[]);
    assert!(
        kept.contains("use --force") && kept.ends_with("[exit status: 2]\n"),
        "{kept}"
    );

    let script = r#"
import openpyxl, sys, datetime
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Vendors"]
header = [c.value for c in ws[1]]
print(wb.sheetnames, ws.freeze_panes, ws.auto_filter.ref, ws.max_row - 1, "vendors")
print(all(c.font.b for c in ws[1]))
signed = header.index("in_service_since")
dates = [r[signed].value for r in ws.iter_rows(min_row=2) if r[signed].value is not None]
print(len(dates), all(isinstance(d, datetime.datetime) for d in dates), min(dates).date())
row = {h: c.value for h, c in zip(header, ws[2])}
print(row["id"], "|", row["name"], "|", row["locations"])
"#;
    let output = Command::new("python3")
        .args(["-c", script, "a.xlsx"])
        .current_dir(&dir)
        .output()
        .expect("python3 with openpyxl (pip install openpyxl, as .ci/run does)");
    assert!(output.status.success(), "{output:?}");
    let read = String::from_utf8_lossy(&output.stdout).into_owned();
    insta::assert_snapshot!(read);

    // Edited in a spreadsheet (a purpose changed, a vendor added) and
    // imported into a fresh directory: every vendor comes back exactly as
    // its file has it (ids, engagement, GLOBAL and CUSTOMER, notes), with
    // the edits, in the sheet's order.
    let edit = r#"
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Vendors"]
header = [c.value for c in ws[1]]
for row in ws.iter_rows(min_row=2):
    if row[0].value == "twilio":
        row[header.index("purpose")].value = "Voice calls and SMS."
new = {"id": "postmark", "name": "Postmark (ActiveCampaign, LLC)", "section": "email",
       "purpose": "Transactional email.", "data_categories": "Email addresses; Message content",
       "locations": "US", "transfer_mechanisms": "dpf; scc", "dpa_status": "signed"}
ws.append([new.get(h) for h in header])
wb.save(sys.argv[2])
"#;
    let output = Command::new("python3")
        .args(["-c", edit, "a.xlsx", "edited.xlsx"])
        .current_dir(&dir)
        .output()
        .expect("python3 with openpyxl");
    assert!(output.status.success(), "{output:?}");
    let fresh = TestEnv::new();
    std::fs::copy(dir.join("edited.xlsx"), fresh.root().join("register.xlsx")).unwrap();
    let imported = fresh.run(&["import", "register.xlsx"]);
    assert!(
        imported.contains("imported 17 vendors in 7 sections from register.xlsx"),
        "{imported}"
    );
    assert!(!imported.contains("kept in notes"), "{imported}");
    let vendors = |dir: &std::path::Path| {
        let out = run_in(dir, &["list", "--format", "json"], &[]);
        let json: serde_json::Value =
            serde_json::from_str(out.split("[exit status").next().unwrap()).unwrap();
        json["vendors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (v["id"].as_str().unwrap().to_owned(), v.clone()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let before = vendors(&dir);
    let mut after = vendors(fresh.root());
    let postmark = after.remove("postmark").expect("the added row");
    insta::assert_snapshot!(
        std::fs::read_to_string(fresh.root().join("register/postmark.toml")).unwrap(),
        @r#"
    name = "Postmark (ActiveCampaign, LLC)"
    section = "email"
    purpose = "Transactional email."
    data_categories = ["Email addresses", "Message content"]
    locations = ["US"]
    transfer_mechanisms = ["dpf", "scc"]

    [dpa]
    status = "signed"
    "#
    );
    assert_eq!(postmark["dpa"]["status"], "signed");
    let mut twilio = before["twilio"].clone();
    twilio["purpose"] = "Voice calls and SMS.".into();
    let mut expected = before.clone();
    expected.insert("twilio".to_owned(), twilio);
    assert_eq!(after, expected);
    // Imported over the register it came from: only the edits change.
    let over = run_in(&dir, &["import", "--force", "edited.xlsx"], &[]);
    assert!(
        over.contains("  register/twilio.toml: updated with what the page says")
            && !over.contains("stripe.toml: updated")
            && !over.contains("sections by id"),
        "{over}"
    );
    let changes = run_in(&dir, &["diff", "HEAD", "--format", "csv"], &[]);
    let changes: Vec<String> = changes
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('['))
        .map(|l| l.split(',').take(4).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(
        changes,
        [
            "added,postmark,,",
            "changed,stripe,,in_service_since",
            "changed,twilio,,purpose"
        ]
    );
    // In the sheet's order within each section, not alphabetical.
    let config = std::fs::read_to_string(fresh.root().join("subledger.toml")).unwrap();
    assert!(
        config.contains("order = [\"google-workspace\", \"postmark\"]"),
        "{config}"
    );
}

/// What the binary says with a terminal (a pseudo-terminal from util-linux
/// `script`) as its standard output, then its exit status.
fn on_terminal(dir: &std::path::Path, args: &[&str]) -> String {
    let line = std::iter::once(env!("CARGO_BIN_EXE_subledger"))
        .chain(args.iter().copied())
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let output = Command::new("script")
        .args([
            "-qec",
            &format!("{line}; echo \"[exit status $?]\""),
            "/dev/null",
        ])
        .current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("NO_COLOR", "1")
        .output()
        .expect("script (util-linux)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What openpyxl reads in `file`: per sheet its name, frozen cell, filter,
/// bold header, then each row with each cell's Python type.
fn openpyxl_dump(dir: &std::path::Path, file: &str) -> String {
    let script = r#"
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb:
    print("==", ws.title, ws.freeze_panes, ws.auto_filter.ref, all(c.font.b for c in ws[1]))
    # Columns holding dates: wide enough for "2026-01-01 10:00:00 UTC".
    dated = sorted({c.column_letter for row in ws.iter_rows(min_row=2) for c in row if c.is_date})
    print("   date columns:", [(l, ws.column_dimensions[l].width >= (22 if any(
        c.value.hour or c.value.minute for c in ws[l][1:] if c.is_date) else 10)) for l in dated])
    for row in ws.iter_rows(values_only=True):
        print(" | ".join("" if v is None else f"{type(v).__name__}:{v}" for v in row))
"#;
    let output = Command::new("python3")
        .args(["-c", script, file])
        .current_dir(dir)
        .output()
        .expect("python3 with openpyxl (pip install openpyxl, as .ci/run does)");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn timeline_diff_and_audit_write_workbooks_with_times_in_utc_and_one_sheet_per_audit_part() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    let runs: [&[&str]; 3] = [
        &[
            "timeline",
            "--vendor",
            "telnyx",
            "--format",
            "xlsx",
            "--out",
            "timeline.xlsx",
        ],
        &[
            "diff",
            "subprocessors/2026-03-01",
            "subprocessors/2026-07-01",
            "--format",
            "xlsx",
            "--out",
            "diff.xlsx",
        ],
        &[
            "audit",
            "--since",
            "2026-01-01",
            "--format",
            "xlsx",
            "--out",
            "audit.xlsx",
        ],
    ];
    for args in runs {
        let file = args.last().unwrap();
        let wrote = run_in(&dir, args, &[]);
        assert_eq!(
            wrote,
            format!("------- stderr -------\nwrote {file}\n[exit status: 0]\n")
        );
        let first = std::fs::read(dir.join(file)).unwrap();
        let kept = run_in(&dir, args, &[]);
        assert!(kept.contains("use --force"), "never over a file: {kept}");
        let mut forced = args.to_vec();
        forced.push("--force");
        assert!(run_in(&dir, &forced, &[]).ends_with("[exit status: 0]\n"));
        assert_eq!(
            std::fs::read(dir.join(file)).unwrap(),
            first,
            "byte-identical"
        );
        // Without --out: the same bytes into a pipe (or `> file.xlsx`),
        // and refused on a terminal.
        let piped = crate::common::command(&dir, &args[..args.len() - 2], &[])
            .output()
            .unwrap();
        assert!(piped.status.success(), "{piped:?}");
        assert!(piped.stdout == first, "{args:?} into a pipe: other bytes");
        let to_terminal = on_terminal(&dir, &args[..args.len() - 2]);
        assert!(
            to_terminal.contains("writes a workbook") && to_terminal.contains("--out "),
            "{to_terminal}"
        );
    }
    // Imported, a timeline, diff or audit workbook would invent vendors
    // from commits and rows of evidence: refused, with what to import.
    for (file, what) in [
        ("timeline.xlsx", "timeline"),
        ("diff.xlsx", "diff"),
        ("audit.xlsx", "audit"),
    ] {
        let fresh = TestEnv::new();
        std::fs::copy(dir.join(file), fresh.root().join(file)).unwrap();
        assert_eq!(
            fresh.run(&["import", file]),
            format!(
                "------- stderr -------\nsubledger: error: {file} is subledger's {what} export: it holds changes, not a list of vendors\n  hint: import the list itself: subledger list --format xlsx --out register.xlsx (or --format csv)\n[exit status: 2]\n"
            )
        );
        assert!(!fresh.root().join("register").exists(), "nothing written");
    }
    // The timeline's commit times (+01:00 in the demo) are in UTC.
    insta::assert_snapshot!("timeline_xlsx", openpyxl_dump(&dir, "timeline.xlsx"));
    insta::assert_snapshot!("diff_xlsx", openpyxl_dump(&dir, "diff.xlsx"));
    insta::assert_snapshot!("audit_xlsx", openpyxl_dump(&dir, "audit.xlsx"));

    // Text that looks like a formula is text in a workbook, exactly as
    // written (the CSV guards it with a `'`, a workbook needs no guard).
    let stripe = std::fs::read_to_string(dir.join("register/stripe.toml")).unwrap();
    let hostile = stripe.replacen("\npurpose = \"", "\npurpose = \"=HYPERLINK(\\\"x\\\") ", 1);
    assert_ne!(hostile, stripe);
    std::fs::write(dir.join("register/stripe.toml"), hostile).unwrap();
    let csv = run_in(&dir, &["diff", "HEAD", "--format", "csv"], &[]);
    assert!(csv.contains(",\"'=HYPERLINK(\"\"x\"\") "), "{csv}");
    let wrote = run_in(
        &dir,
        &["diff", "HEAD", "--format", "xlsx", "--out", "hostile.xlsx"],
        &[],
    );
    assert!(wrote.ends_with("[exit status: 0]\n"), "{wrote}");
    let read = openpyxl_dump(&dir, "hostile.xlsx");
    assert!(
        read.contains(" | str:=HYPERLINK(\"x\") Processes"),
        "{read}"
    );
}
