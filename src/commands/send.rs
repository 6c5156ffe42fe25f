//! `subledger send`: deliver a release's notice to every customer.

use super::{Context, Outcome};
use crate::delivery::{self, Mailer, Options};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::register::{self, Severity};
use crate::render::send as words;

/// Deliver a release's notice to every customer, and record each delivery
///
/// Each customer (customers/<id>.toml) is sent the notice of RELEASE
/// (default: the latest) under its own profile's dates, with only the
/// changes in its sections, as one e-mail with a text and an HTML part, from
/// [delivery] from through [delivery] smtp (credentials from
/// SUBLEDGER_SMTP_USER and SUBLEDGER_SMTP_PASSWORD), and to its webhook as
/// JSON signed with HMAC-SHA256 (X-Subledger-Signature: sha256=..., the key
/// from SUBLEDGER_WEBHOOK_SECRET). Every attempt is
/// appended to reports/<release>/deliveries.jsonl before the next: the
/// customer, the address, when the server accepted it and its answer, the
/// Message-ID and the SHA-256 of the bytes sent. Commit that file: it is
/// what `audit` shows an auditor.
///
/// Run again, it sends only where nothing was accepted yet: an address the
/// server refused waits for --retry, and --resend ADDRESS sends one again.
/// The notice must be saved first (`notice --save`) and still verify.
/// Exit 1 when some address was not delivered, 2 when none could be tried.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger notice --save && git add reports && git commit -m \"Notice\"\n  subledger send --dry-run\n  subledger send\n  subledger send --retry"
)]
pub struct SendArgs {
    /// The release (default: the latest)
    #[arg(value_name = "RELEASE")]
    pub release: Option<String>,

    /// Print who would receive what, and send nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Try again the addresses a server refused before
    #[arg(long)]
    pub retry: bool,

    /// Send again to this address, though it has a delivery (recorded as a resend)
    #[arg(long, value_name = "ADDRESS")]
    pub resend: Vec<String>,
}

pub fn run(args: &SendArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let ledger = Ledger::open(ctx.repo.as_deref(), &mut |_, _| {})?;
    // The customers and the delivery settings as they are now, in the work tree.
    let snapshot = ledger.project.snapshot(None)?;
    let loaded = register::check(&snapshot);
    let dir = snapshot
        .config
        .customers
        .dir
        .trim_end_matches('/')
        .to_owned();
    if loaded.count(Severity::Error) > 0 {
        return Err(Error::Refused {
            what: "the register or the customer files have errors, so no notice is sent".to_owned(),
            hint: Some("run `subledger check` and fix them first".to_owned()),
        });
    }
    if loaded.customers.is_empty() {
        return Err(Error::Usage {
            what: format!("there are no customer files in {dir}/"),
            hint: Some(format!(
                "add one {dir}/<id>.toml per customer (name, emails); see register/README.md"
            )),
        });
    }
    let notice_words = delivery::words(&ledger);
    // The saved notice is the evidence of what was sent: it must still hold.
    let latest = ledger.timeline.releases.last().map(|r| r.name.as_str());
    if let Some(name) = args.release.as_deref().or(latest)
        && let Some(warning) = crate::verify::saved_notice_holds(&ledger, name)?
    {
        writeln!(ctx.err, "subledger: warning: {warning}").map_err(Error::Output)?;
    }
    let (release, letters) = delivery::letters(
        &ledger,
        args.release.as_deref(),
        &loaded.customers,
        &notice_words,
    )?;
    let engaged: Vec<&str> = letters
        .iter()
        .flat_map(|l| l.notice.needs_notice.iter().map(|i| i.vendor.id.as_str()))
        .collect();
    if !ctx.quiet {
        words::objected(ctx.err, &loaded.objections, &engaged).map_err(Error::Output)?;
    }
    let path = delivery::record::path(&ledger.project.root, &release);
    let shown = path
        .strip_prefix(&ledger.project.root)
        .unwrap_or(&path)
        .display()
        .to_string();
    // (A dry run refuses settings the real run would refuse.)
    let mailer = match letters.iter().any(|l| !l.webhook) {
        true => Some(Mailer::new(&snapshot.config.delivery)?),
        false => None,
    };
    let out = &mut *ctx.out;
    if args.dry_run {
        let records = delivery::record::read(&path)?;
        for letter in &letters {
            let delivered =
                delivery::record::latest(&records, &letter.customer, &letter.address, true)
                    .map(|r| r.at.as_str());
            words::would(out, letter, delivered).map_err(Error::Output)?;
        }
        writeln!(out, "nothing was sent (--dry-run)").map_err(Error::Output)?;
        return Ok(Outcome::Clean);
    }
    let options = Options {
        retry: args.retry,
        resend: args.resend.clone(),
        webhook_secret: delivery::webhook_secret(&letters)?,
        interrupted: delivery::stop_on_interrupt(),
    };
    let summary = delivery::deliver(
        &release,
        &letters,
        mailer.as_ref(),
        &path,
        &options,
        &mut |a| words::attempt(out, a).map_err(Error::Output),
    )?;
    words::summary(out, &release, &summary, &shown).map_err(Error::Output)?;
    if summary.interrupted {
        return Err(Error::Interrupted { sent: summary.sent });
    }
    if summary.sent == 0 && summary.delivered_before == 0 && summary.unreachable > 0 {
        return Err(Error::Refused {
            what: "the mail server could not be reached, so nothing was sent".to_owned(),
            hint: Some(
                "check [delivery] smtp, the network and the server's certificate (one from a private authority: name that authority's PEM file in SSL_CERT_FILE), then run `subledger send` again".to_owned(),
            ),
        });
    }
    Ok(if summary.failed + summary.unreachable > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
