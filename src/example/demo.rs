//! The demo: the bundled register written into a new git repository as a
//! year of realistic history (three releases, additions, a removal, a
//! rename, a broken file fixed, a change through a merge, one change not
//! released yet), made through the same code as `subledger release`.

use super as example;
use crate::error::{Error, Result};
use crate::history::build::{Builder, Stamp};
use crate::project::Project;
use crate::release::Request;
use std::path::{Path, PathBuf};

const PRIYA: (&str, &str, i32) = ("Priya Patel", "priya@practicpro.example", 60);
const DEVON: (&str, &str, i32) = ("Devon Ortiz", "devon@practicpro.example", -300);
const LENA: (&str, &str, i32) = ("Lena Fischer", "lena@practicpro.example", 60);

fn at(who: (&'static str, &'static str, i32), date: &str, hour: i64) -> Stamp<'static> {
    let day = crate::dates::parse_iso_date(date)
        .map(|d| d.midnight().assume_utc().unix_timestamp())
        .unwrap_or_default();
    Stamp {
        name: who.0,
        email: who.1,
        time: day + hour * 3600 - i64::from(who.2) * 60,
        offset: who.2,
    }
}

fn vendor(name: &str) -> String {
    example::vendor(name).to_owned()
}

/// The vendor files of the first commit: the bundled register a year
/// earlier, before the changes the demo history makes.
fn initial_files() -> Vec<(String, String)> {
    let later = [
        "anthropic.toml",
        "telnyx.toml",
        "hotjar.toml",
        "google-workspace.toml",
    ];
    let mut files: Vec<(String, String)> = example::VENDORS
        .iter()
        .filter(|(name, _)| !later.contains(name))
        .map(|(name, text)| (format!("register/{name}"), (*text).to_owned()))
        .collect();
    let replace = |files: &mut Vec<(String, String)>, name: &str, from: &str, to: &str| {
        if let Some((_, text)) = files
            .iter_mut()
            .find(|(n, _)| n == &format!("register/{name}"))
        {
            *text = text.replace(from, to);
        }
    };
    replace(
        &mut files,
        "cloudflare.toml",
        "locations = [\"GLOBAL\"]\nlocation_note = \"EU-resident edge routing where applicable\"\n",
        "locations = [\"US\"]\n",
    );
    replace(
        &mut files,
        "digitalocean.toml",
        "databases, file storage, and encrypted backups.",
        "databases and file storage.",
    );
    replace(
        &mut files,
        "openai.toml",
        ", \"Audio for speech-to-text and text-to-speech\"]",
        "]",
    );
    replace(
        &mut files,
        "twilio.toml",
        "Voice calls, SMS messaging, and number provisioning.",
        "Voice calls and SMS messaging.",
    );
    files.push((
        "register/gworkspace.toml".to_owned(),
        vendor("google-workspace.toml").replace("previous_ids = [\"gworkspace\"]\n", ""),
    ));
    files.push(("register/sendgrid.toml".to_owned(), SENDGRID.to_owned()));
    files.sort();
    files
}

const SENDGRID: &str = "name = \"Twilio SendGrid\"\nlegal_entity = \"Twilio Inc.\"\nsection = \"email\"\nengagement = \"core\"\npurpose = \"Delivery of PracticPro's transactional emails (replaced by Google Workspace SMTP).\"\ndata_categories = [\"Recipient email addresses\", \"Message content\"]\nlocations = [\"US\"]\n";

const README: &str = "# PracticPro sub-processor register\n\nOne TOML file per vendor under register/; see register/README.md.\nThis repository was made by `subledger demo`: a year of history with three releases.\n\n## Walk-through\n\n```sh\nsubledger check                                   # the register is valid\nsubledger list --at 2026-03-01                    # the list as it stood on 1 March 2026\nsubledger timeline                                # every change, who made it, which release published it\nsubledger history google-workspace                # one vendor's life, across its rename\nsubledger diff subprocessors/2026-03-01 subprocessors/2026-07-01\nsubledger release --dry-run --date 2026-10-01     # Hotjar is committed but not released yet\nsubledger notice                                  # the customer notice between the last two releases\n```\n";

/// Releases HEAD through the same code as `subledger release`, as Lena on `date`.
fn publish(dir: &Path, date: &str, note: &str) -> Result<()> {
    crate::ledger::release::release(
        &Project {
            root: dir.to_owned(),
        },
        &Request {
            date: crate::dates::parse_iso_date(date),
            time: Some(at(LENA, date, 9).time),
            tagger: Some((LENA.0.to_owned(), LENA.1.to_owned())),
            message: Some(note.to_owned()),
            ..Request::default()
        },
        &crate::render::release::tag_message,
    )?;
    Ok(())
}

/// Writes the demo history into `dir`.
fn build(dir: &Path) -> Result<()> {
    let repo = Builder::init(dir, "main")?;
    let mut first: Vec<(&str, Option<&str>)> = vec![
        ("subledger.toml", Some(example::CONFIG)),
        ("README.md", Some(README)),
        ("register/README.md", Some(example::REGISTER_README)),
    ];
    let initial = initial_files();
    first.extend(initial.iter().map(|(p, t)| (p.as_str(), Some(t.as_str()))));
    repo.commit(
        &first,
        at(PRIYA, "2025-12-01", 10),
        "Start the sub-processor register from the published page",
        None,
    )?;
    publish(
        dir,
        "2025-12-15",
        "First published version of the sub-processor list",
    )?;
    let anthropic = vendor("anthropic.toml");
    repo.commit(
        &[("register/anthropic.toml", Some(&anthropic))],
        at(DEVON, "2026-01-12", 11),
        "Add Anthropic as a second AI provider",
        None,
    )?;
    let cloudflare = vendor("cloudflare.toml");
    repo.commit(
        &[("register/cloudflare.toml", Some(&cloudflare))],
        at(DEVON, "2026-02-03", 14),
        "Serve the app through Cloudflare's global edge",
        None,
    )?;
    let digitalocean = vendor("digitalocean.toml");
    repo.commit(
        &[("register/digitalocean.toml", Some(&digitalocean))],
        at(PRIYA, "2026-02-20", 16),
        "Describe DigitalOcean's encrypted backups",
        None,
    )?;
    publish(dir, "2026-03-01", "Anthropic added; Cloudflare now global")?;
    let openai = vendor("openai.toml");
    repo.commit(
        &[("register/openai.toml", Some(&openai))],
        at(DEVON, "2026-03-16", 10),
        "OpenAI: speech-to-text and text-to-speech",
        None,
    )?;
    let workspace = vendor("google-workspace.toml");
    repo.commit(
        &[
            ("register/gworkspace.toml", None),
            ("register/google-workspace.toml", Some(&workspace)),
        ],
        at(PRIYA, "2026-04-07", 12),
        "Rename gworkspace to google-workspace",
        None,
    )?;
    let broken = vendor("twilio.toml").replace(
        "purpose = \"Voice calls, SMS messaging, and number provisioning.\"",
        "purpose = \"Voice calls, SMS messaging, and number provisioning.",
    );
    repo.commit(
        &[("register/twilio.toml", Some(&broken))],
        at(DEVON, "2026-05-05", 9),
        "Twilio also provisions our numbers",
        None,
    )?;
    repo.commit(
        &[("register/sendgrid.toml", None)],
        at(PRIYA, "2026-05-06", 15),
        "Remove SendGrid: email now goes through Google Workspace",
        None,
    )?;
    let twilio = vendor("twilio.toml");
    let fixed = repo.commit(
        &[("register/twilio.toml", Some(&twilio))],
        at(DEVON, "2026-05-07", 10),
        "Fix the unterminated string in twilio.toml",
        None,
    )?;
    repo.switch("review/telnyx", Some(&fixed))?;
    let telnyx = vendor("telnyx.toml");
    let branch = repo.commit(
        &[("register/telnyx.toml", Some(&telnyx))],
        at(DEVON, "2026-06-02", 11),
        "Add Telnyx as the alternate voice and SMS provider",
        None,
    )?;
    repo.switch("main", None)?;
    let readme = format!("{README}\nReviews of new vendors happen on review/* branches.\n");
    repo.commit(
        &[("README.md", Some(&readme))],
        at(PRIYA, "2026-06-03", 9),
        "README: how vendor reviews work",
        None,
    )?;
    repo.commit(
        &[("register/telnyx.toml", Some(&telnyx))],
        at(LENA, "2026-06-10", 15),
        "Merge branch 'review/telnyx'",
        Some(&branch),
    )?;
    repo.delete_branch("review/telnyx")?;
    publish(dir, "2026-07-01", "Telnyx added; SendGrid removed")?;
    let hotjar = vendor("hotjar.toml");
    repo.commit(
        &[("register/hotjar.toml", Some(&hotjar))],
        at(PRIYA, "2026-09-14", 13),
        "Add Hotjar for pre-login analytics (cookie consent)",
        None,
    )?;
    Ok(())
}

/// A new, numbered directory under the system's temporary directory.
fn fresh_dir() -> Result<PathBuf> {
    let base = std::env::temp_dir();
    for n in 1..10_000 {
        let dir = base.join(format!("subledger-demo-{n}"));
        if !dir.exists() {
            return Ok(dir);
        }
    }
    Err(Error::Usage {
        what: format!("no free subledger-demo-N name under {}", base.display()),
        hint: Some("name a directory: `subledger demo DIR`".to_owned()),
    })
}

/// Creates the demo repository in `dir` (which must not exist or be
/// empty; default: a new subledger-demo-N directory under the system's
/// temporary directory) and returns where it is.
pub fn create(dir: Option<&Path>) -> Result<PathBuf> {
    let dir = match dir {
        Some(dir) => dir.to_owned(),
        None => fresh_dir()?,
    };
    if dir.exists() {
        let empty = std::fs::read_dir(&dir)
            .map(|mut entries| entries.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Error::Usage {
                what: format!("{} already exists and is not empty", dir.display()),
                hint: Some(
                    "the demo only writes into a new or empty directory: name another".to_owned(),
                ),
            });
        }
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
        path: dir.clone(),
        source,
    })?;
    build(&dir)?;
    // Editor support, beside the history rather than in it: the schemas
    // follow the binary, the demo's commits stay the same.
    crate::schema::write_editor_files(&dir)?;
    Ok(dir)
}
