//! The shell: `-` for standard input and output, completions, man pages,
//! wrapped help and `CLICOLOR_FORCE`.

use crate::common::{TestEnv, run_in, run_stdin};

const PAGE: &str = "| Vendor | Purpose | Location |\n|---|---|---|\n| Mailer Ltd | Transactional email | Ireland |\n";

#[test]
fn import_dash_reads_standard_input_and_out_dash_is_standard_output() {
    let env = TestEnv::new();
    let output = run_stdin(
        env.root(),
        &["import", "-", "--format", "markdown"],
        PAGE.as_bytes(),
    );
    assert!(
        output.starts_with("imported 1 vendor in 1 section from standard input"),
        "{output}"
    );
    assert!(
        env.root().join("register/mailer-ltd.toml").is_file(),
        "{output}"
    );
    assert!(!env.root().join("-").exists());

    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    for command in [&["render", "--out", "-"][..], &["feed", "--out", "-"]] {
        let plain = run_in(&dir, &command[..1], &[]);
        let dashed = run_in(&dir, command, &[]);
        assert_eq!(plain, dashed, "{command:?}");
        assert!(plain.ends_with("[exit status: 0]\n"), "{plain}");
        assert!(!dir.join("-").exists(), "{command:?} wrote a file named -");
    }
}

#[test]
fn completions_for_every_shell_and_a_man_page_per_subcommand() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = run_in(env.root(), &["completions", shell], &[]);
        assert!(script.ends_with("[exit status: 0]\n"), "{shell}: {script}");
        for sub in ["check", "timeline", "release", "notice", "import"] {
            assert!(script.contains(sub), "{shell} completes {sub}");
        }
    }
    let bash = run_in(env.root(), &["completions", "bash"], &[]);
    let script = bash.trim_end_matches("[exit status: 0]\n");
    std::fs::write(env.root().join("c.bash"), script).unwrap();
    // bash loads it and completes `subledger tim` to timeline.
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg("source c.bash; COMP_WORDS=(subledger tim); COMP_CWORD=1; _subledger subledger tim subledger; echo \"${COMPREPLY[@]}\"")
        .current_dir(env.root())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "timeline");

    let top = run_in(env.root(), &["man"], &[]);
    assert!(top.starts_with(".ie \\n(.g .ds Aq \\(aq"), "{top}");
    assert!(top.contains(".TH subledger 1"), "{top}");
    let output = run_in(env.root(), &["man", "--out", "man"], &[]);
    assert!(output.contains("wrote 20 manual pages to man"), "{output}");
    let mut pages: Vec<String> = std::fs::read_dir(env.root().join("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 20, "{pages:?}");
    assert!(pages.contains(&"subledger-release.1".to_owned()));
    let release = std::fs::read_to_string(env.root().join("man/subledger-release.1")).unwrap();
    assert!(release.contains(".TH subledger-release 1"), "{release}");
    // Pages are not replaced without --force.
    let again = run_in(env.root(), &["man", "--out", "man"], &[]);
    assert!(
        again.contains("exists") && again.ends_with("[exit status: 2]\n"),
        "{again}"
    );
    let forced = run_in(env.root(), &["man", "--out", "man", "--force"], &[]);
    assert!(forced.ends_with("[exit status: 0]\n"), "{forced}");
}

#[test]
fn help_is_wrapped_and_clicolor_force_colours_output_unless_no_color() {
    let env = TestEnv::new();
    let help = run_in(env.root(), &["release", "--help"], &[("COLUMNS", "80")]);
    let widest = help.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 80, "a help line of {widest} characters:\n{help}");

    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    let plain = run_in(&dir, &["timeline"], &[]);
    assert!(!plain.contains('\x1b'));
    let forced = run_in(&dir, &["timeline"], &[("CLICOLOR_FORCE", "1")]);
    assert!(forced.contains('\x1b'), "{forced}");
    let zero = run_in(&dir, &["timeline"], &[("CLICOLOR_FORCE", "0")]);
    assert!(!zero.contains('\x1b'));
    let no_color = run_in(
        &dir,
        &["timeline"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!no_color.contains('\x1b'));
    // A file written with --out never gets terminal colours.
    let forced_list = run_in(&dir, &["list"], &[("CLICOLOR_FORCE", "1")]);
    assert!(forced_list.contains('\x1b'), "{forced_list}");
    let to_file = run_in(
        &dir,
        &["list", "--out", "list.txt"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(to_file.ends_with("[exit status: 0]\n"), "{to_file}");
    let written = std::fs::read_to_string(dir.join("list.txt")).unwrap();
    assert!(
        !written.contains('\x1b') && written.contains("Stripe"),
        "{written}"
    );
    let never = run_in(
        &dir,
        &["timeline", "--color", "never"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(!never.contains('\x1b'));
}

#[test]
fn bom_starts_csv_for_excel_and_is_refused_for_other_formats() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    for command in [
        &["list", "--format", "csv"][..],
        &["timeline", "--format", "csv"],
        &[
            "diff",
            "subprocessors/2025-12-15",
            "subprocessors/2026-07-01",
            "--format",
            "csv",
        ],
    ] {
        let plain = run_in(&dir, command, &[]);
        let mut with = command.to_vec();
        with.push("--bom");
        let bom = run_in(&dir, &with, &[]);
        assert_eq!(bom, format!("\u{feff}{plain}"), "{command:?}");
        assert!(!plain.starts_with('\u{feff}'));
    }
    let refused = run_in(&dir, &["list", "--bom"], &[]);
    assert!(
        refused.contains("--bom is for CSV output") && refused.ends_with("[exit status: 2]\n"),
        "{refused}"
    );
}
