//! Telling customers: the notice of a release as each customer receives it
//! (its profile's dates, its sections only), delivered by e-mail, every
//! attempt recorded before the next (`record`). Resumable: an address with
//! an accepted delivery is never sent the same release again unless asked.

pub mod record;
mod smtp;
mod webhook;

pub use record::Record;
pub use smtp::Mailer;

use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::notice::{self, Asked, Notice};
use crate::register::customer::Customer;
use sha2::{Digest, Sha256};

/// What one address of one customer is sent.
pub struct Letter {
    pub customer: String,
    pub address: String,
    pub profile: Option<String>,
    /// The notice as this customer receives it.
    pub notice: Notice,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A webhook's letter: `address` is its URL, `json` what is posted.
    pub webhook: bool,
    pub json: String,
}

impl Letter {
    /// How many changes it tells of.
    pub fn changes(&self) -> usize {
        self.notice.needs_notice.len() + self.notice.informational.len()
    }

    /// Whether nothing in the release concerns this customer (no change in
    /// its sections): it is not sent.
    pub fn is_empty(&self) -> bool {
        self.changes() == 0 && self.notice.baseline.as_ref().is_none_or(Vec::is_empty)
    }

    /// When its changes that need notice take effect, under its terms.
    pub fn effective(&self) -> Option<&str> {
        self.notice
            .needs_notice
            .first()
            .and_then(|i| i.dates.first())
            .and_then(|d| d.effective.as_deref())
    }
}

/// The words of a letter: subject, text and HTML of a notice.
pub type Words<'a> =
    dyn Fn(&Notice, &crate::notice::Made<'_>) -> Result<(String, String, String)> + 'a;

/// The words `send` uses: the notice in its text and HTML templates (the
/// register's own, where subledger.toml names them), and its subject.
pub fn words(
    ledger: &Ledger,
) -> impl Fn(&Notice, &crate::notice::Made<'_>) -> Result<(String, String, String)> + '_ {
    use crate::render::notice::{Format, render};
    type Template = Option<(String, String)>;
    // Read once per release, not once per letter.
    let cache: std::cell::RefCell<Vec<(String, Template, Template)>> = Default::default();
    move |notice, made| {
        let template = |format: Format| {
            ledger.notice_template(&made.config_rev, &made.config.config, format.template_key())
        };
        let key = &made.config_rev.commit;
        let cached = cache.borrow().iter().find(|(k, _, _)| k == key).cloned();
        let (text_template, html_template) = match cached {
            Some((_, t, h)) => (t, h),
            None => {
                let (t, h) = (template(Format::Text)?, template(Format::Html)?);
                cache.borrow_mut().push((key.clone(), t.clone(), h.clone()));
                (t, h)
            }
        };
        let text = render(
            notice,
            Format::Text,
            text_template
                .as_ref()
                .map(|(p, s)| (p.as_str(), s.as_str())),
        )?;
        let html = render(
            notice,
            Format::Html,
            html_template
                .as_ref()
                .map(|(p, s)| (p.as_str(), s.as_str())),
        )?;
        Ok((crate::render::notice::subject(notice), text, html))
    }
}

/// The release asked for (default: the latest) and a letter for every
/// address of every customer. The release's notice must be saved
/// (`notice --save`): it is the evidence of what was sent (`send` also
/// checks that it still verifies).
pub fn letters(
    ledger: &Ledger,
    release: Option<&str>,
    customers: &[Customer],
    words: &Words<'_>,
) -> Result<(String, Vec<Letter>)> {
    let releases = &ledger.timeline.releases;
    let chosen = match release {
        Some(name) => releases
            .iter()
            .find(|r| r.name == name)
            .ok_or_else(|| Error::Usage {
                what: format!("`{name}` is not a release"),
                hint: Some("give a release tag, or leave RELEASE out for the latest".to_owned()),
            })?,
        None => releases.last().ok_or_else(|| Error::Usage {
            what: "there is no release yet".to_owned(),
            hint: Some("run `subledger release`, then `subledger notice --save`".to_owned()),
        })?,
    };
    let name = chosen.name.clone();
    let saved = crate::reports::notice_path(&ledger.project.root, &name, "md");
    if !saved.is_file() {
        return Err(Error::Refused {
            what: format!(
                "the notice of {name} is not saved, so there is no evidence of what was sent"
            ),
            hint: Some(format!(
                "run `subledger notice {name} --save`, commit it, then send"
            )),
        });
    }
    let mut letters = Vec::new();
    let mut made_for: Vec<(Option<String>, notice::Made<'_>)> = Vec::new();
    for customer in customers {
        if !made_for.iter().any(|(p, _)| *p == customer.profile) {
            let asked = Asked {
                to: Some(&name),
                profile: customer.profile.as_deref(),
                ..Asked::default()
            };
            made_for.push((
                customer.profile.clone(),
                notice::asked(ledger, &asked, || Ok(None))?,
            ));
        }
        let Some((_, made)) = made_for.iter().find(|(p, _)| *p == customer.profile) else {
            continue;
        };
        let mut scoped = notice::within(&made.notice, customer.sections.as_deref());
        // In the customer's own language, where its file names one.
        if let Some(language) = customer.language {
            scoped.language = language;
        }
        let (subject, text, html) = words(&scoped, made)?;
        let letter = |address: &str, webhook: bool| -> Result<Letter> {
            Ok(Letter {
                customer: customer.id.clone(),
                address: address.to_owned(),
                profile: customer.profile.clone(),
                notice: scoped.clone(),
                subject: subject.clone(),
                text: text.clone(),
                html: html.clone(),
                webhook,
                json: if webhook {
                    crate::render::notice::render(
                        &scoped,
                        crate::render::notice::Format::Json,
                        None,
                    )?
                } else {
                    String::new()
                },
            })
        };
        for address in &customer.emails {
            letters.push(letter(address, false)?);
        }
        if let Some(url) = &customer.webhook {
            letters.push(letter(url, true)?);
        }
    }
    Ok((name, letters))
}

/// The key webhook bodies are signed with, from `SUBLEDGER_WEBHOOK_SECRET`:
/// needed (and refused when missing) only when some letter goes to a webhook.
pub fn webhook_secret(letters: &[Letter]) -> Result<Vec<u8>> {
    if !letters.iter().any(|l| l.webhook) {
        return Ok(Vec::new());
    }
    match std::env::var("SUBLEDGER_WEBHOOK_SECRET") {
        Ok(secret) if !secret.is_empty() => Ok(secret.into_bytes()),
        _ => Err(Error::Usage {
            what: "a customer has a webhook, but SUBLEDGER_WEBHOOK_SECRET is not set: its body could not be signed".to_owned(),
            hint: Some("set SUBLEDGER_WEBHOOK_SECRET to the key you agreed with the customer".to_owned()),
        }),
    }
}

/// What became of one letter.
pub enum Attempt<'a> {
    Sent {
        letter: &'a Letter,
        record: Record,
    },
    /// Already accepted for this release (the record of it).
    Delivered {
        letter: &'a Letter,
        record: Record,
    },
    /// Refused before; `--retry` tries again.
    FailedBefore {
        letter: &'a Letter,
        record: Record,
    },
    Failed {
        letter: &'a Letter,
        record: Record,
    },
    /// The server could not be reached: not tried, not recorded.
    Unreachable {
        letter: &'a Letter,
        reason: String,
    },
    /// No change of the release is in the customer's sections: not sent.
    Nothing {
        letter: &'a Letter,
    },
}

/// How `deliver` is run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Try again the addresses a server refused before.
    pub retry: bool,
    /// Send again to these addresses, though they have a delivery.
    pub resend: Vec<String>,
    /// The key webhook bodies are signed with.
    pub webhook_secret: Vec<u8>,
    /// Set on Ctrl-C ([`stop_on_interrupt`]): no letter is begun after it.
    pub interrupted: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// A flag that Ctrl-C (SIGINT) or SIGTERM sets, so that `deliver` stops
/// between two letters, with every accepted delivery recorded; a second
/// one ends the process at once (exit 130).
pub fn stop_on_interrupt() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // The first call exits only once the flag is set: on the second signal.
        let _ = signal_hook::flag::register_conditional_shutdown(signal, 130, flag.clone());
        let _ = signal_hook::flag::register(signal, flag.clone());
    }
    flag
}

/// Counts of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub sent: usize,
    pub delivered_before: usize,
    pub failed: usize,
    pub unreachable: usize,
    /// Stopped by Ctrl-C before every letter was tried.
    pub interrupted: bool,
}

/// Sends each letter that has no accepted delivery yet, recording each
/// attempt in `path` before the next; `each` hears of every letter.
pub fn deliver(
    release: &str,
    letters: &[Letter],
    mailer: Option<&Mailer>,
    path: &std::path::Path,
    options: &Options,
    each: &mut dyn FnMut(&Attempt<'_>) -> Result<()>,
) -> Result<Summary> {
    // An address to send again that no letter goes to is a mistake, said
    // before anything is sent.
    if let Some(unknown) = options
        .resend
        .iter()
        .find(|a| !letters.iter().any(|l| l.address.eq_ignore_ascii_case(a)))
    {
        return Err(Error::Usage {
            what: format!("--resend {unknown}: no customer in scope of {release} has that address"),
            hint: Some("`subledger send --dry-run` lists every address it goes to".to_owned()),
        });
    }
    let mut records = record::read(path)?;
    let mut summary = Summary::default();
    let mut down: Option<String> = None;
    for letter in letters {
        if options
            .interrupted
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            summary.interrupted = true;
            break;
        }
        if letter.is_empty() {
            each(&Attempt::Nothing { letter })?;
            continue;
        }
        let previous = |accepted: bool| {
            record::latest(&records, &letter.customer, &letter.address, accepted).cloned()
        };
        let resend = options
            .resend
            .iter()
            .any(|a| a.eq_ignore_ascii_case(&letter.address));
        if let Some(record) = previous(true).filter(|_| !resend) {
            summary.delivered_before += 1;
            each(&Attempt::Delivered { letter, record })?;
            continue;
        }
        if previous(true).is_none()
            && !options.retry
            && !resend
            && let Some(record) = previous(false)
        {
            summary.failed += 1;
            each(&Attempt::FailedBefore { letter, record })?;
            continue;
        }
        if let Some(reason) = down.as_ref().filter(|_| !letter.webhook) {
            summary.unreachable += 1;
            each(&Attempt::Unreachable {
                letter,
                reason: reason.clone(),
            })?;
            continue;
        }
        let attempt = records
            .iter()
            .filter(|r| r.address == letter.address)
            .count();
        let id = hex(&Sha256::digest(format!(
            "{release}\n{}\n{}\n{attempt}",
            letter.customer, letter.address
        )));
        let date = time::OffsetDateTime::now_utc().unix_timestamp();
        let (message_id, result) = if letter.webhook {
            let delivery = format!("{}.{}", &id[..24], letter.customer);
            let result = webhook::post(
                &letter.address,
                &letter.json,
                &delivery,
                &options.webhook_secret,
            );
            (delivery, result)
        } else {
            let mailer = mailer.ok_or_else(|| Error::Usage {
                what: "[delivery] is not set, so no e-mail can be sent".to_owned(),
                hint: Some("set [delivery] smtp and from in subledger.toml".to_owned()),
            })?;
            let message_id = format!("<{}.{}@{}>", &id[..24], letter.customer, mailer.domain);
            let mail = smtp::Mail {
                to: &letter.address,
                subject: &letter.subject,
                text: &letter.text,
                html: &letter.html,
                message_id: &message_id,
            };
            let result = mailer.send(&mail, date);
            (message_id, result)
        };
        let at = now();
        let base = |accepted: bool, reply: String, sha256: String| Record {
            release: release.to_owned(),
            customer: letter.customer.clone(),
            channel: if letter.webhook { "webhook" } else { "email" }.to_owned(),
            address: letter.address.clone(),
            profile: letter.profile.clone(),
            accepted,
            at: at.clone(),
            reply,
            message_id: message_id.clone(),
            sha256,
            date,
            resend,
        };
        match result {
            Ok(accepted) => {
                let record = base(true, accepted.reply, accepted.sha256);
                record::append(path, &record)?;
                records.push(record.clone());
                summary.sent += 1;
                each(&Attempt::Sent { letter, record })?;
            }
            Err(refused) if refused.unreachable => {
                summary.unreachable += 1;
                // The mail server is down for every later letter; one
                // webhook is only itself.
                if !letter.webhook {
                    down = Some(refused.reason.clone());
                }
                each(&Attempt::Unreachable {
                    letter,
                    reason: refused.reason,
                })?;
            }
            Err(refused) => {
                let record = base(false, refused.reason, String::new());
                record::append(path, &record)?;
                records.push(record.clone());
                summary.failed += 1;
                each(&Attempt::Failed { letter, record })?;
            }
        }
    }
    Ok(summary)
}

/// A delivery record that does not hold: its bytes do not rebuild.
pub struct Mismatch {
    pub record: Record,
    pub problem: String,
}

/// Rebuilds what each accepted record says was sent (the letter for its
/// customer and address, with its Message-ID and Date) and compares the
/// digests. The letters come from the register, the customer files and
/// `[delivery]` as they are now.
pub fn rebuild(letters: &[Letter], mailer: &Mailer, records: &[Record]) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for record in records.iter().filter(|r| r.accepted) {
        let Some(letter) = letters.iter().find(|l| {
            l.customer == record.customer && l.address.eq_ignore_ascii_case(&record.address)
        }) else {
            out.push(Mismatch {
                record: record.clone(),
                problem: "no customer file lists this address any more".to_owned(),
            });
            continue;
        };
        if letter.webhook {
            let digest = hex(&Sha256::digest(letter.json.as_bytes()));
            if digest != record.sha256 {
                out.push(Mismatch {
                    record: record.clone(),
                    problem: "its digest is not that of the notice rebuilt for it".to_owned(),
                });
            }
            continue;
        }
        let mail = smtp::Mail {
            to: &letter.address,
            subject: &letter.subject,
            text: &letter.text,
            html: &letter.html,
            message_id: &record.message_id,
        };
        match mailer.digest(&mail, record.date) {
            Ok(digest) if digest == record.sha256 => {}
            Ok(digest) => out.push(Mismatch {
                record: record.clone(),
                problem: format!(
                    "its digest {} is not that of the notice rebuilt for it ({})",
                    &record.sha256[..record.sha256.len().min(16)],
                    &digest[..16]
                ),
            }),
            Err(problem) => out.push(Mismatch {
                record: record.clone(),
                problem,
            }),
        }
    }
    out
}

/// The time now, RFC 3339 in UTC: when the server answered.
fn now() -> String {
    crate::dates::format_time(time::OffsetDateTime::now_utc().unix_timestamp(), 0)
}

fn hex(bytes: &[u8]) -> String {
    smtp::hex(bytes)
}
