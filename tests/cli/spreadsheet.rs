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
    let refused = run_in(&dir, &["list", "--format", "xlsx"], &[]);
    assert!(
        refused.contains("add --out register.xlsx") && refused.ends_with("[exit status: 2]\n"),
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
    // In the sheet's order within each section, not alphabetical.
    let config = std::fs::read_to_string(fresh.root().join("subledger.toml")).unwrap();
    assert!(
        config.contains("order = [\"google-workspace\", \"postmark\"]"),
        "{config}"
    );
}

/// What openpyxl reads in `file`: per sheet its name, frozen cell, filter,
/// bold header, then each row with each cell's Python type.
fn openpyxl_dump(dir: &std::path::Path, file: &str) -> String {
    let script = r#"
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb:
    print("==", ws.title, ws.freeze_panes, ws.auto_filter.ref, all(c.font.b for c in ws[1]))
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
        // Without --out, a workbook is refused rather than sent to the terminal.
        let to_terminal = run_in(&dir, &args[..args.len() - 2], &[]);
        assert!(
            to_terminal.contains("writes a workbook")
                && to_terminal.ends_with("[exit status: 2]\n"),
            "{to_terminal}"
        );
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
