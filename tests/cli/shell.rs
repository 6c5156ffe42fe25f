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
