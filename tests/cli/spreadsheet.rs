//! Spreadsheets: `list --format xlsx` read back with openpyxl, and the
//! workbook imported again.

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

    // Imported again, every vendor comes back with its name, section,
    // purpose, data and locations (ids and engagement still land in notes).
    let fresh = TestEnv::new();
    std::fs::copy(dir.join("a.xlsx"), fresh.root().join("register.xlsx")).unwrap();
    let imported = fresh.run(&["import", "register.xlsx"]);
    assert!(
        imported.contains("imported 16 vendors in 7 sections from register.xlsx"),
        "{imported}"
    );
    assert!(!imported.contains("purpose (not on the page"), "{imported}");
    let back = std::fs::read_to_string(fresh.root().join("register/stripe-inc.toml")).unwrap();
    for line in stripe.lines().filter(|l| {
        [
            "name =",
            "section =",
            "purpose =",
            "data_categories =",
            "locations =",
        ]
        .iter()
        .any(|k| l.starts_with(k))
    }) {
        assert!(back.contains(line), "{line:?} lost:\n{back}");
    }
}
