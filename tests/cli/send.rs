//! `subledger send`: the notice delivered to each customer through a real
//! SMTP server on loopback (aiosmtpd, tests/support/smtp_server.py), every
//! delivery recorded, nothing sent twice.

use crate::common::{TestEnv, git_cli, run_in};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running SMTP server: what it received lands in `dir`.
struct Server {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Server {
    fn start(dir: &Path, port: Option<u16>) -> Server {
        Server::start_with(dir, port, &[])
    }

    /// A server started with more arguments: certificate, key, user and
    /// password make it require STARTTLS and AUTH.
    fn start_with(dir: &Path, port: Option<u16>, args: &[&str]) -> Server {
        let port = port.unwrap_or_else(|| {
            let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            socket.local_addr().unwrap().port()
        });
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_server.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(dir)
            .arg(port.to_string())
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("/usr/bin/python3 with python3-aiosmtpd; .ci/run installs it");
        let mut line = String::new();
        use std::io::BufRead;
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        Server {
            child,
            port,
            dir: dir.to_owned(),
        }
    }

    fn stop(mut self) -> u16 {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
        self.port
    }

    /// Every message received: recipients and the exact bytes.
    fn received(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for n in 1.. {
            let eml = self.dir.join(format!("{n}.eml"));
            if !eml.exists() {
                break;
            }
            let rcpt = std::fs::read_to_string(self.dir.join(format!("{n}.rcpt"))).unwrap();
            out.push((rcpt, std::fs::read(eml).unwrap()));
        }
        out
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Times of day as the server answered are the run's own: shown as <time>.
fn redact(text: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 25)].iter().collect();
        let is_time = rest.len() >= 20
            && rest.as_bytes()[4] == b'-'
            && rest.as_bytes()[10] == b'T'
            && rest.as_bytes()[13] == b':'
            && rest[..4].chars().all(|c| c.is_ascii_digit());
        if is_time {
            let end = rest.find([' ', ';', ')', '\n', '"']).unwrap_or(rest.len());
            out.push_str("<time>");
            i += rest[..end].chars().count();
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn sha256(bytes: &[u8]) -> String {
    // The digest the record holds, computed here from what the server got.
    let out = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(bytes)?;
            c.wait_with_output()
        })
        .unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

/// What Python's e-mail parser prints of a message (`m`): `expression`,
/// given `arg` as `sys.argv[1]`.
fn parsed(message: &[u8], expression: &str, arg: &str) -> String {
    let mut child = Command::new("/usr/bin/python3")
        .args([
            "-c",
            &format!(
                "import email,email.policy,sys; m=email.message_from_bytes(sys.stdin.buffer.read(),policy=email.policy.default); print({expression})"
            ),
            arg,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(message).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The text/plain part of a message, decoded.
fn plain_text(message: &[u8]) -> String {
    parsed(
        message,
        "next(p for p in m.walk() if p.get_content_type()=='text/plain').get_content()",
        "",
    )
}

/// A header of a message, decoded.
fn header(message: &[u8], name: &str) -> String {
    parsed(message, "m[sys.argv[1]]", name)
        .trim_end()
        .to_owned()
}

fn commit(dir: &Path, message: &str) {
    git_cli(dir, &["add", "-A"], None);
    // Fixed times, after the demo's history and before the release date.
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Lena Legal",
            "-c",
            "user.email=lena@practicpro.example",
        ])
        .args(["commit", "-q", "-m", message])
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", "2026-09-20T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-09-20T10:00:00Z")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
}

#[test]
fn each_customer_is_told_once_with_a_record_of_what_the_server_accepted() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    let run = |args: &[&str]| redact(&run_in(&dir, args, &[]));
    let received = env.root().join("received");
    let server = Server::start(&received, None);
    // Three customers: one on enterprise terms, one using only hosting.
    let config = std::fs::read_to_string(dir.join("subledger.toml")).unwrap();
    std::fs::write(
        dir.join("subledger.toml"),
        format!(
            "{config}\n[notice.profile.enterprise]\ndays = 60\n\n[delivery]\nsmtp = \"smtp://127.0.0.1:{}\"\nfrom = \"PracticPro Privacy <privacy@practicpro.example>\"\n",
            server.port
        ),
    )
    .unwrap();
    let customer = |id: &str, text: &str| {
        std::fs::write(dir.join(format!("customers/{id}.toml")), text).unwrap()
    };
    std::fs::create_dir_all(dir.join("customers")).unwrap();
    customer(
        "clinic-nord",
        "name = \"Clinic Nord\"\nemails = [\"privacy@nord.example\", \"dpo@nord.example\"]\n",
    );
    customer(
        "praxis-sued",
        "name = \"Praxis Süd\"\nemails = [\"datenschutz@sued.example\"]\nprofile = \"enterprise\"\nlanguage = \"de\"\n",
    );
    customer(
        "infra-only",
        "name = \"Infra Only AG\"\nemails = [\"privacy@infra.example\"]\nsections = [\"infrastructure\"]\n",
    );
    customer(
        "host-only",
        "name = \"Host Only GmbH\"\nemails = [\"refuse-all@hostonly.example\"]\nsections = [\"email\"]\n",
    );
    // A change that needs notice: a new sub-processor for e-mail.
    std::fs::write(
        dir.join("register/postmark.toml"),
        "name = \"Postmark\"\nlegal_entity = \"ActiveCampaign, LLC\"\ncontact = \"privacy@postmarkapp.example\"\nsection = \"email\"\npurpose = \"Transactional e-mail delivery.\"\ndata_categories = [\"Recipient email addresses\", \"Message content\"]\nlocations = [\"US\"]\ntransfer_mechanisms = [\"dpf\"]\n\n[dpa]\nstatus = \"signed\"\n",
    )
    .unwrap();
    commit(&dir, "Customers, enterprise terms, delivery; Postmark");
    git_cli(&dir, &["config", "user.name", "Lena Legal"], None);
    git_cli(
        &dir,
        &["config", "user.email", "lena@practicpro.example"],
        None,
    );
    let released = run(&["release", "--date", "2026-10-01"]);
    assert!(
        released.contains("released subprocessors/2026-10-01"),
        "{released}"
    );

    // No saved notice: nothing to show for what was sent.
    insta::assert_snapshot!("unsaved", run(&["send"]));
    assert!(run(&["notice", "--save"]).ends_with("[exit status: 0]\n"));
    // Saved but not committed: the evidence could still be lost, said.
    let uncommitted = run(&["send", "--dry-run"]);
    assert!(
        uncommitted.contains("subledger: warning: the saved notice reports/subprocessors/2026-10-01/notice.md is not committed")
            && uncommitted.ends_with("[exit status: 0]\n"),
        "{uncommitted}"
    );
    commit(&dir, "Notice of subprocessors/2026-10-01");
    insta::assert_snapshot!("dry-run", run(&["send", "--dry-run"]));
    assert!(server.received().is_empty(), "--dry-run sends nothing");

    // A server that cannot be reached at all: exit 2, nothing recorded.
    let config_path = dir.join("subledger.toml");
    let good = std::fs::read_to_string(&config_path).unwrap();
    // Credentials in the URL: refused, never used as part of the host.
    std::fs::write(
        &config_path,
        good.replace("smtp://127.0.0.1", "smtp://mailer:s3cret@127.0.0.1"),
    )
    .unwrap();
    let in_url = run(&["send"]);
    assert!(
        in_url.ends_with("[exit status: 2]\n")
            && in_url.contains("user and password do not go in the URL")
            && in_url.contains("SUBLEDGER_SMTP_USER"),
        "{in_url}"
    );
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_port = dead.local_addr().unwrap().port();
    drop(dead);
    std::fs::write(
        &config_path,
        good.replace(&format!(":{}\"", server.port), &format!(":{dead_port}\"")),
    )
    .unwrap();
    let unreachable = run(&["send"]);
    assert!(
        unreachable.ends_with("[exit status: 2]\n") && unreachable.contains("could not be reached"),
        "{unreachable}"
    );
    assert!(
        !dir.join("reports/subprocessors/2026-10-01/deliveries.jsonl")
            .exists()
    );
    std::fs::write(&config_path, &good).unwrap();

    // The send: three accepted, one refused by the server (exit 1).
    insta::assert_snapshot!("send", run(&["send"]));
    let got = server.received();
    assert_eq!(got.len(), 3, "one message per accepted address");
    let records_path = dir.join("reports/subprocessors/2026-10-01/deliveries.jsonl");
    let records: Vec<serde_json::Value> = std::fs::read_to_string(&records_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 4, "every attempt is recorded");
    for (rcpt, bytes) in &got {
        let record = records
            .iter()
            .find(|r| r["address"] == rcpt.as_str())
            .unwrap();
        assert_eq!(record["accepted"], true);
        // The digest is of the message's bytes as the server got them,
        // without the line end SMTP's end of data adds.
        let message = bytes.strip_suffix(b"\r\n").unwrap_or(bytes);
        assert_eq!(
            record["sha256"],
            sha256(message),
            "the digest is of the bytes the server got"
        );
        let text = String::from_utf8_lossy(bytes);
        // Each in its customer's language (Praxis Süd's file says German).
        let subject = if rcpt == "datenschutz@sued.example" {
            "Änderungen der Unterauftragsverarbeiter von PracticPro, 1. Oktober 2026"
        } else {
            "Changes to PracticPro's sub-processors, 1 October 2026"
        };
        assert_eq!(header(bytes, "Subject"), subject, "{text}");
        assert!(
            text.contains("multipart/alternative")
                && text.contains("text/plain")
                && text.contains("text/html"),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "Message-ID: {}",
                record["message_id"].as_str().unwrap()
            )),
            "{text}"
        );
    }
    // Each customer's own dates: 30 days by default, 60 under enterprise.
    let body = |address: &str| {
        let (_, bytes) = got.iter().find(|(r, _)| r == address).unwrap();
        plain_text(bytes)
    };
    assert!(
        body("privacy@nord.example").contains("31 October 2026"),
        "{}",
        body("privacy@nord.example")
    );
    assert!(
        body("datenschutz@sued.example").contains("30. November 2026")
            && body("datenschutz@sued.example").contains("Unterauftragsverarbeiter"),
        "{}",
        body("datenschutz@sued.example")
    );
    let refused = records.iter().find(|r| r["accepted"] == false).unwrap();
    assert_eq!(refused["address"], "refuse-all@hostonly.example");

    // The audit shows each delivery with the customer's days of notice,
    // counted from when the server accepted it, and who was never told.
    let audit = run_in(&dir, &["audit", "--format", "json"], &[]);
    let audit = crate::common::assert_valid(
        &crate::common::output_schema("audit.output.schema.json"),
        audit.trim_end_matches("[exit status: 0]\n"),
    );
    let release = audit["releases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "subprocessors/2026-10-01")
        .unwrap();
    let deliveries = release["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 4);
    for d in deliveries.iter().filter(|d| d["accepted"] == true) {
        let effective = if d["profile"] == "enterprise" {
            "2026-11-30"
        } else {
            "2026-10-31"
        };
        assert_eq!(d["effective"], effective, "{d}");
        let day = |s: &str| {
            let (y, rest) = s.split_at(4);
            let m: i64 = rest[1..3].parse().unwrap();
            let d: i64 = rest[4..6].parse().unwrap();
            // Days since 2026-01-01, good enough within 2026-2027.
            let months = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
            (y.parse::<i64>().unwrap() - 2026) * 365 + months[(m - 1) as usize] + d
        };
        let told = d["at"].as_str().unwrap();
        assert_eq!(
            d["days_of_notice"].as_i64().unwrap(),
            day(effective) - day(told),
            "{d}"
        );
        // Told after the release date (the test runs later than 2026-10-01).
        assert_eq!(d["late"], day(told) > day("2026-10-01"), "{d}");
        // Told late, the customer's own period ends after Postmark starts.
        let early = if day(told) > day("2026-10-01") {
            serde_json::json!(["postmark"])
        } else {
            serde_json::json!([])
        };
        assert_eq!(d["engaged_early"], early, "{d}");
    }
    assert_eq!(
        release["not_told"],
        serde_json::json!([{"customer": "host-only", "address": "refuse-all@hostonly.example"}])
    );

    // Again: nothing is sent twice; the refused one waits for --retry.
    insta::assert_snapshot!("again", run(&["send"]));
    assert_eq!(server.received().len(), 3);
    insta::assert_snapshot!("retry", run(&["send", "--retry"]));
    // --resend sends one again, and says so in the record.
    assert!(
        run(&["send", "--resend", "dpo@nord.example"])
            .contains("sent       clinic-nord  dpo@nord.example")
    );
    assert_eq!(server.received().len(), 4);
    let last: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&records_path)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (last["address"].as_str(), last["resend"].as_bool()),
        (Some("dpo@nord.example"), Some(true))
    );

    // The server goes away: a new customer cannot be told (exit 1, nothing
    // recorded for it); once it is back, the next run tells them.
    let port = server.stop();
    customer(
        "late-joiner",
        "name = \"Late Joiner\"\nemails = [\"privacy@late.example\"]\n",
    );
    insta::assert_snapshot!("down", run(&["send"]));
    assert_eq!(
        std::fs::read_to_string(&records_path)
            .unwrap()
            .lines()
            .count(),
        6
    );
    let server = Server::start(&env.root().join("received-2"), Some(port));
    assert!(run(&["send"]).contains("sent       late-joiner  privacy@late.example"));
    assert_eq!(server.received().len(), 1);

    // Objections: one within the deadline, one after it (enterprise terms
    // give praxis-sued 60 days to object, clinic-nord 30).
    let recorded = run(&[
        "object",
        "clinic-nord",
        "postmark",
        "--received",
        "2026-10-20",
        "--note",
        "No US processing",
    ]);
    insta::assert_snapshot!("object", recorded);
    // A second open objection to the same vendor: refused, the first named.
    let twice = run(&[
        "object",
        "clinic-nord",
        "postmark",
        "--received",
        "2026-10-21",
    ]);
    assert!(
        twice.ends_with("[exit status: 2]\n")
            && twice.contains("clinic-nord already has an open objection to postmark: clinic-nord--postmark--2026-10-20"),
        "{twice}"
    );
    // Before any release changed it, an objection answers no notice; and
    // a release named whose register did not list it is refused too.
    let before = run(&[
        "object",
        "praxis-sued",
        "postmark",
        "--received",
        "2026-09-01",
    ]);
    assert!(
        before.ends_with("[exit status: 2]\n")
            && before.contains("no release on or before 2026-09-01 changed `postmark`, so this objection answers no notice"),
        "{before}"
    );
    let first = "subprocessors/2025-12-15";
    let named = run(&[
        "object",
        "praxis-sued",
        "postmark",
        "--received",
        "2026-09-01",
        "--release",
        first,
    ]);
    assert!(
        named.ends_with("[exit status: 2]\n")
            && named.contains(&format!(
                "`postmark` is not a vendor in the register of {first}"
            )),
        "{named}"
    );
    // A customer told only of other sections: recorded, with a warning.
    let outside = run(&[
        "object",
        "infra-only",
        "postmark",
        "--received",
        "2026-10-20",
    ]);
    assert!(
        outside.ends_with("[exit status: 0]\n")
            && outside.contains("warning: postmark is in section email, which infra-only is not told of (its sections: infrastructure); recorded all the same"),
        "{outside}"
    );
    std::fs::remove_file(dir.join("objections/infra-only--postmark--2026-10-20.toml")).unwrap();
    assert!(
        run(&[
            "object",
            "praxis-sued",
            "postmark",
            "--received",
            "2026-12-05"
        ])
        .ends_with("[exit status: 0]\n")
    );
    assert!(
        run(&["object", "nobody", "postmark", "--received", "2026-12-05"])
            .ends_with("[exit status: 2]\n")
    );
    // What engages a vendor someone objects to says so.
    let notice = run(&["notice", "--format", "json"]);
    assert!(
        notice.contains("warning: clinic-nord has an open objection to postmark (received 2026-10-20), and this release engages it"),
        "{notice}"
    );
    // Resolved before it arrived: refused.
    let early = run(&[
        "object",
        "clinic-nord",
        "postmark",
        "--resolve",
        "accommodated",
        "--date",
        "2026-10-19",
    ]);
    assert!(
        early.ends_with("[exit status: 2]\n")
            && early.contains("--date 2026-10-19: before the objection was received (2026-10-20)"),
        "{early}"
    );
    assert!(
        run(&[
            "object",
            "clinic-nord",
            "postmark",
            "--resolve",
            "accommodated",
            "--date",
            "2026-11-02"
        ])
        .ends_with("[exit status: 0]\n")
    );
    assert!(run(&["check"]).contains("and 5 customer files"));
    let audit = run_in(&dir, &["audit", "--format", "json"], &[]);
    let audit = crate::common::assert_valid(
        &crate::common::output_schema("audit.output.schema.json"),
        audit.trim_end_matches("[exit status: 0]\n"),
    );
    insta::assert_snapshot!(
        "objections",
        serde_json::to_string_pretty(&audit["objections"]).unwrap()
    );
    // What an auditor reads first (deliveries were made after the release
    // date, so every accepted one is late).
    insta::assert_snapshot!(
        "summary",
        serde_json::to_string_pretty(&audit["customers"]).unwrap()
    );
    // The releases made before the customer files came are not counted
    // as never told: those customers were not in the ledger yet.
    let who: Vec<String> = audit["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}: not told {}, not yet customers {}",
                r["name"].as_str().unwrap(),
                r["not_told"],
                r["later_customers"]
            )
        })
        .collect();
    insta::assert_snapshot!("not-yet-customers", who.join("\n"));

    // verify: the committed records stand, and each accepted one is the
    // digest of the notice rebuilt for its customer.
    commit(&dir, "Delivery records");
    let verified = run(&["verify"]);
    assert!(
        verified.ends_with("[exit status: 0]\n")
            && verified.contains(
                "deliveries.jsonl: 7 records, each accepted one the notice rebuilt for its customer"
            ),
        "{verified}"
    );
    let good = std::fs::read_to_string(&records_path).unwrap();
    // A committed record edited: reported.
    let first = good.lines().next().unwrap();
    let edited = first.replace("\"accepted\":true", "\"accepted\":false");
    std::fs::write(&records_path, good.replacen(first, &edited, 1)).unwrap();
    let report = run(&["verify"]);
    assert!(
        report.ends_with("[exit status: 1]\n") && report.contains("were edited or removed since"),
        "{report}"
    );
    // A record appended with a digest of something else: reported.
    let forged = first.replace(
        &format!(
            "\"sha256\":{}",
            serde_json::to_string(&records[0]["sha256"]).unwrap()
        ),
        "\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\"",
    );
    std::fs::write(&records_path, format!("{good}{forged}\n")).unwrap();
    let report = run(&["verify"]);
    assert!(
        report.ends_with("[exit status: 1]\n")
            && report.contains("is not that of the notice rebuilt for it"),
        "{report}"
    );

    // Removed, and the removal committed; the file deleted, committed or
    // not: reported, each time (history is what records were made).
    std::fs::write(&records_path, good.replacen(&format!("{first}\n"), "", 1)).unwrap();
    commit(&dir, "Drop a delivery record");
    let report = run(&["verify"]);
    assert!(
        report.ends_with("[exit status: 1]\n")
            && report.contains("edits or removes delivery records committed before it"),
        "{report}"
    );
    git_cli(&dir, &["reset", "-q", "--hard", "HEAD~1"], None);
    std::fs::remove_file(&records_path).unwrap();
    let report = run(&["verify"]);
    assert!(
        report.ends_with("[exit status: 1]\n") && report.contains("are gone from the work tree"),
        "{report}"
    );
    commit(&dir, "Delete the delivery records");
    let report = run(&["verify"]);
    assert!(
        report.ends_with("[exit status: 1]\n")
            && report.contains("deletes the delivery records committed before it"),
        "{report}"
    );
    git_cli(&dir, &["reset", "-q", "--hard", "HEAD~1"], None);
    assert!(run(&["verify"]).ends_with("[exit status: 0]\n"));
    // Later changes to the customers do not make genuine records false:
    // each is rebuilt from the customer files committed with it.
    let nord = dir.join("customers/clinic-nord.toml");
    let nord_text = std::fs::read_to_string(&nord).unwrap();
    std::fs::write(&nord, format!("{nord_text}profile = \"enterprise\"\n")).unwrap();
    std::fs::remove_file(dir.join("customers/infra-only.toml")).unwrap();
    commit(&dir, "Clinic Nord on enterprise terms; Infra Only leaves");
    let later = run(&["verify"]);
    assert!(later.ends_with("[exit status: 0]\n"), "{later}");
    git_cli(&dir, &["reset", "-q", "--hard", "HEAD~1"], None);

    // A release that changes a vendor a customer objects to says so.
    std::fs::write(&records_path, &good).unwrap();
    let postmark = dir.join("register/postmark.toml");
    let text = std::fs::read_to_string(&postmark).unwrap();
    std::fs::write(
        &postmark,
        text.replace(
            "Transactional e-mail delivery.",
            "Transactional and broadcast e-mail delivery.",
        ),
    )
    .unwrap();
    commit(&dir, "Postmark also sends broadcasts");
    let planned = run(&["release", "--dry-run", "--date", "2026-12-10"]);
    assert!(
        planned.contains("warning: praxis-sued has an open objection to postmark (received 2026-12-05), and this release engages it"),
        "{planned}"
    );
    git_cli(&dir, &["reset", "-q", "--hard", "HEAD~1"], None);

    // An address to send again that no customer has: said, nothing sent.
    let typo = run(&["send", "--resend", "nobody@nord.example"]);
    assert!(
        typo.ends_with("[exit status: 2]\n")
            && typo.contains("--resend nobody@nord.example: no customer in scope of subprocessors/2026-10-01 has that address"),
        "{typo}"
    );
    // A customer or objection file that cannot be read leaves the audit
    // incomplete: it is named, and the audit exits 1 (not a clean report
    // without it). One wrong key does not hide the file's other errors.
    std::fs::write(
        dir.join("customers/zz-broken.toml"),
        "name = \"Broken\"\nemails = [\"dpo@broken\"]\nprofil = \"enterprise\"\nsections = [\"nowhere\"]\nlanguage = \"es\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("objections/ghost--postmark--2026-12-01.toml"),
        "customer = \"ghost\"\nvendor = \"postmark\"\nreceived = 2026-12-01\n",
    )
    .unwrap();
    let audit = run(&["audit"]);
    assert!(audit.ends_with("[exit status: 1]\n"), "{audit}");
    let incomplete: Vec<&str> = audit
        .lines()
        .skip_while(|l| !l.starts_with("**Incomplete**"))
        .take_while(|l| !l.starts_with("## "))
        .collect();
    insta::assert_snapshot!("audit-incomplete", incomplete.join("\n"));
    let checked = run(&["check"]);
    let broken: Vec<&str> = checked
        .lines()
        .filter(|l| l.starts_with("customers/zz-broken.toml"))
        .collect();
    insta::assert_snapshot!("every-error-of-a-customer-file", broken.join("\n"));
    // [delivery] that send could not use is a finding of check.
    std::fs::remove_file(dir.join("customers/zz-broken.toml")).unwrap();
    std::fs::remove_file(dir.join("objections/ghost--postmark--2026-12-01.toml")).unwrap();
    let config = std::fs::read_to_string(dir.join("subledger.toml")).unwrap();
    let smtp = config.lines().find(|l| l.starts_with("smtp = ")).unwrap();
    std::fs::write(
        dir.join("subledger.toml"),
        config.replace(smtp, "smtp = \"htp:/bogus\""),
    )
    .unwrap();
    let checked = run(&["check"]);
    assert!(
        checked.ends_with("[exit status: 1]\n")
            && checked.contains("subledger.toml:")
            && checked.contains("[delivery] smtp = \"htp:/bogus\": not smtp://host:port or smtps://host:port [delivery]"),
        "{checked}"
    );
    let dry = run(&["send", "--dry-run"]);
    assert!(
        dry.ends_with("[exit status: 2]\n") && dry.contains("not smtp://host:port"),
        "{dry}"
    );
}

#[test]
fn a_webhook_gets_the_notice_as_json_signed_with_hmac() {
    use hmac::{Hmac, KeyInit, Mac};
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    let smtp = Server::start(&env.root().join("mail"), None);
    let hooks = env.root().join("hooks");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut http = Command::new("/usr/bin/python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/http_server.py"))
        .arg(&hooks)
        .arg(port.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    use std::io::BufRead;
    std::io::BufReader::new(http.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready");
    let config = std::fs::read_to_string(dir.join("subledger.toml")).unwrap();
    std::fs::write(
        dir.join("subledger.toml"),
        format!("{config}\n[delivery]\nsmtp = \"smtp://127.0.0.1:{}\"\nfrom = \"privacy@practicpro.example\"\n", smtp.port),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("customers")).unwrap();
    std::fs::write(
        dir.join("customers/hooked.toml"),
        format!("name = \"Hooked\"\nemails = [\"privacy@hooked.example\"]\nwebhook = \"http://127.0.0.1:{port}/hook\"\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("customers/broken.toml"),
        format!("name = \"Broken hook\"\nemails = [\"privacy@broken.example\"]\nwebhook = \"http://127.0.0.1:{port}/fail\"\n"),
    )
    .unwrap();
    commit(&dir, "Customers with webhooks");
    assert!(
        run_in(&dir, &["notice", "subprocessors/2026-07-01", "--save"], &[])
            .ends_with("[exit status: 0]\n")
    );
    commit(&dir, "Notice");
    // Without the key nothing is sent.
    let unsigned = run_in(&dir, &["send", "subprocessors/2026-07-01"], &[]);
    assert!(
        unsigned.contains("SUBLEDGER_WEBHOOK_SECRET is not set")
            && unsigned.ends_with("[exit status: 2]\n"),
        "{unsigned}"
    );
    let secret = [("SUBLEDGER_WEBHOOK_SECRET", "s3cret")];
    let sent = redact(&run_in(
        &dir,
        &["send", "subprocessors/2026-07-01"],
        &secret,
    ))
    .replace(&format!("127.0.0.1:{port}"), "127.0.0.1:PORT");
    insta::assert_snapshot!("webhook", sent);
    let body = std::fs::read(hooks.join("1.body")).unwrap();
    let headers = std::fs::read_to_string(hooks.join("1.headers")).unwrap();
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(b"s3cret").unwrap();
    mac.update(&body);
    let want: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        headers.contains(&format!("x-subledger-signature: sha256={want}")),
        "{headers}"
    );
    let notice: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(notice["schema"], "subledger.notice/1");
    assert_eq!(notice["to"]["release"], "subprocessors/2026-07-01");
    // The record holds the body's digest; verify rebuilds it.
    let records =
        std::fs::read_to_string(dir.join("reports/subprocessors/2026-07-01/deliveries.jsonl"))
            .unwrap();
    let hook: serde_json::Value = records
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["channel"] == "webhook" && r["accepted"] == true)
        .unwrap();
    assert_eq!(hook["sha256"], sha256(&body));
    commit(&dir, "Deliveries");
    let verified = run_in(&dir, &["verify"], &[]);
    assert!(verified.ends_with("[exit status: 0]\n"), "{verified}");
    let _ = http.kill();
    let _ = http.wait();
}

/// A throwaway certificate authority and a certificate it signed for
/// localhost (openssl): returns the CA's, the certificate's and its key's
/// paths.
fn throwaway_certificates(dir: &Path) -> (String, String, String) {
    std::fs::create_dir_all(dir).unwrap();
    let openssl = |args: &[&str]| {
        let output = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl; .ci/run installs it");
        assert!(output.status.success(), "openssl {args:?}: {output:?}");
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        &[
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=subledger test CA",
            ],
        ]
        .concat(),
    );
    openssl(
        &[
            &["req"][..],
            &ec,
            &[
                "-keyout",
                "key.pem",
                "-out",
                "leaf.csr",
                "-subj",
                "/CN=localhost",
            ],
        ]
        .concat(),
    );
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "cert.pem",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
    ]);
    let path = |name: &str| dir.join(name).display().to_string();
    (path("ca.pem"), path("cert.pem"), path("key.pem"))
}

#[test]
fn credentials_go_only_over_starttls_to_a_server_whose_certificate_is_trusted() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    let (ca, cert, key) = throwaway_certificates(&env.root().join("pki"));
    let received = env.root().join("received");
    let server = Server::start_with(&received, None, &[&cert, &key, "mailer", "s3cret"]);
    let config = std::fs::read_to_string(dir.join("subledger.toml")).unwrap();
    let delivery = |port: u16| {
        format!(
            "{config}\n[delivery]\nsmtp = \"smtp://localhost:{port}\"\nfrom = \"PracticPro Privacy <privacy@practicpro.example>\"\n"
        )
    };
    std::fs::write(dir.join("subledger.toml"), delivery(server.port)).unwrap();
    std::fs::create_dir_all(dir.join("customers")).unwrap();
    std::fs::write(
        dir.join("customers/clinic-nord.toml"),
        "name = \"Clinic Nord\"\nemails = [\"privacy@nord.example\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("register/postmark.toml"),
        "name = \"Postmark\"\nsection = \"email\"\npurpose = \"Transactional e-mail.\"\ndata_categories = [\"Recipient email addresses\"]\nlocations = [\"US\"]\ntransfer_mechanisms = [\"dpf\"]\n",
    )
    .unwrap();
    commit(&dir, "A customer, delivery over STARTTLS; Postmark");
    git_cli(&dir, &["config", "user.name", "Lena Legal"], None);
    git_cli(
        &dir,
        &["config", "user.email", "lena@practicpro.example"],
        None,
    );
    assert!(
        run_in(&dir, &["release", "--date", "2026-10-01"], &[]).ends_with("[exit status: 0]\n")
    );
    assert!(run_in(&dir, &["notice", "--save"], &[]).ends_with("[exit status: 0]\n"));
    commit(&dir, "Notice");
    let login = |password: &'static str, ca: Option<&str>| {
        let mut envs = vec![
            ("SUBLEDGER_SMTP_USER", "mailer"),
            ("SUBLEDGER_SMTP_PASSWORD", password),
        ];
        if let Some(ca) = ca {
            envs.push(("SSL_CERT_FILE", ca));
        }
        envs.into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect::<Vec<_>>()
    };
    let send = |args: &[&str], envs: &[(String, String)]| {
        let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        redact(&run_in(&dir, args, &envs))
    };
    // A certificate no trusted authority signed: nothing is sent.
    let untrusted = send(&["send"], &login("s3cret", None));
    insta::assert_snapshot!("untrusted", untrusted);
    assert!(server.received().is_empty());
    // Trusted (SSL_CERT_FILE names the authority), a wrong password: the
    // server's answer is recorded, exit 1.
    let wrong = send(&["send"], &login("nope", Some(&ca)));
    insta::assert_snapshot!("wrong-password", wrong);
    assert!(server.received().is_empty());
    // The right one: sent over TLS, logged in as mailer.
    let sent = send(&["send", "--retry"], &login("s3cret", Some(&ca)));
    assert!(
        sent.contains("sent       clinic-nord  privacy@nord.example"),
        "{sent}"
    );
    assert_eq!(server.received().len(), 1);
    assert_eq!(
        std::fs::read_to_string(received.join("1.session")).unwrap(),
        "tls=yes user=mailer"
    );
    // With credentials, a server that offers no STARTTLS is refused before
    // any credential is sent, rather than sent them in the clear.
    let plain_dir = env.root().join("received-plain");
    let plain = Server::start(&plain_dir, None);
    std::fs::write(dir.join("subledger.toml"), delivery(plain.port)).unwrap();
    let stripped = send(
        &["send", "--resend", "privacy@nord.example"],
        &login("s3cret", Some(&ca)),
    );
    insta::assert_snapshot!(
        "no-starttls",
        stripped.replace(&plain.port.to_string(), "<port>")
    );
    assert!(plain.received().is_empty());
    // smtps://: TLS from the first byte, the certificate checked the same.
    let tls_dir = env.root().join("received-smtps");
    let implicit = Server::start_with(&tls_dir, None, &[&cert, &key, "smtps"]);
    let smtps = delivery(implicit.port).replace("smtp://localhost", "smtps://localhost");
    std::fs::write(dir.join("subledger.toml"), smtps).unwrap();
    let trusted = [("SSL_CERT_FILE".to_owned(), ca.clone())];
    let untrusted = send(&["send", "--resend", "privacy@nord.example"], &[]);
    assert!(
        untrusted.contains("the server's TLS certificate is not trusted")
            && untrusted.ends_with("[exit status: 2]\n"),
        "{untrusted}"
    );
    let sent = send(&["send", "--resend", "privacy@nord.example"], &trusted);
    assert!(
        sent.contains("sent       clinic-nord  privacy@nord.example")
            && sent.ends_with("[exit status: 0]\n"),
        "{sent}"
    );
    assert_eq!(implicit.received().len(), 1);
    assert_eq!(
        std::fs::read_to_string(tls_dir.join("1.session")).unwrap(),
        "tls=yes user=none"
    );
}

#[test]
fn ctrl_c_stops_between_two_letters_and_loses_no_record() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    let received = env.root().join("received");
    let server = Server::start(&received, None);
    let config = std::fs::read_to_string(dir.join("subledger.toml")).unwrap();
    std::fs::write(
        dir.join("subledger.toml"),
        format!(
            "{config}\n[delivery]\nsmtp = \"smtp://127.0.0.1:{}\"\nfrom = \"PracticPro Privacy <privacy@practicpro.example>\"\n",
            server.port
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("customers")).unwrap();
    let customers = 300;
    for i in 0..customers {
        std::fs::write(
            dir.join(format!("customers/c{i:03}.toml")),
            format!("name = \"Customer {i}\"\nemails = [\"privacy@c{i:03}.example\"]\n"),
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("register/postmark.toml"),
        "name = \"Postmark\"\nsection = \"email\"\npurpose = \"Transactional e-mail.\"\ndata_categories = [\"Recipient email addresses\"]\nlocations = [\"US\"]\ntransfer_mechanisms = [\"dpf\"]\n",
    )
    .unwrap();
    commit(&dir, "Customers; Postmark");
    git_cli(&dir, &["config", "user.name", "Lena Legal"], None);
    git_cli(
        &dir,
        &["config", "user.email", "lena@practicpro.example"],
        None,
    );
    assert!(
        run_in(&dir, &["release", "--date", "2026-10-01"], &[]).ends_with("[exit status: 0]\n")
    );
    assert!(run_in(&dir, &["notice", "--save"], &[]).ends_with("[exit status: 0]\n"));
    commit(&dir, "Notice");
    // Ctrl-C once a few messages are through.
    let child = crate::common::command(&dir, &["send"], &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while server.received().len() < 5 {
        assert!(start.elapsed().as_secs() < 60, "no message arrived");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("subledger: error: interrupted: ")
            && stderr.contains("each one recorded; the rest were not tried")
            && stderr.contains("hint: run `subledger send` again to send the rest"),
        "{stderr}"
    );
    // Every message the server accepted has its record, and no other.
    let records_path = dir.join("reports/subprocessors/2026-10-01/deliveries.jsonl");
    let records: Vec<serde_json::Value> = std::fs::read_to_string(&records_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got = server.received();
    assert!(got.len() < customers, "it stopped before the end");
    assert_eq!(
        records.len(),
        got.len(),
        "a record for each message, no more"
    );
    for (_, bytes) in &got {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            records.iter().any(|r| r["accepted"] == true
                && text.contains(&format!(
                    "Message-ID: {}",
                    r["message_id"].as_str().unwrap()
                ))),
            "a message without a record: {text}"
        );
    }
    // Run again: the rest, and nobody twice.
    assert!(run_in(&dir, &["--quiet", "send"], &[]).ends_with("[exit status: 0]\n"));
    let got = server.received();
    assert_eq!(got.len(), customers);
    let addresses: std::collections::BTreeSet<&String> = got.iter().map(|(r, _)| r).collect();
    assert_eq!(addresses.len(), customers, "each address once");
}

#[test]
fn a_server_that_drops_the_connection_mid_run_loses_no_record_and_records_nothing_false() {
    let env = TestEnv::new();
    assert!(env.run(&["demo", "demo"]).ends_with("[exit status: 0]\n"));
    let dir = env.root().join("demo");
    let run = |args: &[&str]| redact(&run_in(&dir, args, &[]));
    let server = Server::start(&env.root().join("received"), None);
    let config = std::fs::read_to_string(dir.join("subledger.toml")).unwrap();
    std::fs::write(
        dir.join("subledger.toml"),
        format!(
            "{config}\n[delivery]\nsmtp = \"smtp://127.0.0.1:{}\"\nfrom = \"PracticPro Privacy <privacy@practicpro.example>\"\n",
            server.port
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("customers")).unwrap();
    // The second customer's address makes the server drop the connection
    // in the middle of the conversation.
    for (id, address) in [
        ("alpha", "privacy@alpha.example"),
        ("bravo", "drop-here@bravo.example"),
        ("charlie", "privacy@charlie.example"),
        // One privacy office for two customers: each is told on its own.
        ("delta", "privacy@alpha.example"),
    ] {
        std::fs::write(
            dir.join(format!("customers/{id}.toml")),
            format!("name = \"{id}\"\nemails = [\"{address}\"]\n"),
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("register/postmark.toml"),
        "name = \"Postmark\"\nsection = \"email\"\npurpose = \"Transactional e-mail delivery.\"\ndata_categories = [\"Recipient email addresses\"]\nlocations = [\"US\"]\ntransfer_mechanisms = [\"dpf\"]\n",
    )
    .unwrap();
    commit(&dir, "Customers and delivery; Postmark");
    git_cli(&dir, &["config", "user.name", "Lena Legal"], None);
    git_cli(
        &dir,
        &["config", "user.email", "lena@practicpro.example"],
        None,
    );
    assert!(run(&["release", "--date", "2026-10-01"]).ends_with("[exit status: 0]\n"));
    assert!(run(&["notice", "--save"]).ends_with("[exit status: 0]\n"));
    commit(&dir, "Notice of subprocessors/2026-10-01");

    insta::assert_snapshot!("dropped-dry-run", run(&["send", "--dry-run"]));
    // The dropped one is said and exits 1; the others still get theirs.
    insta::assert_snapshot!("dropped", run(&["send"]));
    let got: Vec<String> = server.received().into_iter().map(|(r, _)| r).collect();
    assert_eq!(
        got,
        [
            "privacy@alpha.example",
            "privacy@charlie.example",
            "privacy@alpha.example"
        ]
    );
    let records =
        std::fs::read_to_string(dir.join("reports/subprocessors/2026-10-01/deliveries.jsonl"))
            .unwrap();
    let accepted: Vec<(String, bool)> = records
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|r| {
            (
                r["address"].as_str().unwrap().to_owned(),
                r["accepted"] == true,
            )
        })
        .collect();
    assert_eq!(
        accepted,
        [
            ("privacy@alpha.example".to_owned(), true),
            ("drop-here@bravo.example".to_owned(), false),
            ("privacy@charlie.example".to_owned(), true),
            ("privacy@alpha.example".to_owned(), true),
        ],
        "nothing recorded as delivered that was not"
    );
    // Run again: only the one not delivered is tried (with --retry), and
    // the server drops it again; nobody gets a second letter.
    insta::assert_snapshot!("dropped-retry", run(&["send", "--retry"]));
    assert_eq!(server.received().len(), 3);
    let audit = run(&["audit"]);
    assert!(
        audit.contains("not sent") || audit.contains("not delivered"),
        "{audit}"
    );
}
