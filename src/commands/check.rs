//! `subledger check`: validate the register.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::project::Project;
use crate::register::{self, Severity};
use crate::render::findings;

/// Validate the register and report every problem at once
///
/// Reads the vendor files in the work tree (or at --rev, straight from git
/// without touching the work tree) and reports every finding with
/// file:line:column, severity, message and rule name: TOML syntax, unknown or
/// misspelled keys, wrong types, missing required keys, bad ids, duplicate
/// ids, undeclared sections, unknown location codes, placeholder text such as
/// "TBD" or "(confirm provider & region)", optional vendors without a
/// feature; and warnings for gaps customers or auditors will notice (no
/// transfer mechanism outside the EEA, DPA not signed, no legal address or
/// contact).
///
/// Exit status: 0 when there are no errors (and no warnings with --strict),
/// 1 when there are findings, 2 when the register could not be read at all.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger check\n  subledger check --strict\n  subledger check --rev v1.2 --format json"
)]
pub struct CheckArgs {
    /// Check the register at this git revision instead of the work tree
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,

    /// Treat warnings as findings too (exit 1 when there are any)
    #[arg(long)]
    pub strict: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// `check --format`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum CheckFormat {
    /// One line per finding, file:line:column first
    Text,
    /// Versioned JSON (subledger.check/1)
    Json,
    /// GitHub workflow commands: each finding an annotation on the pull request
    Github,
    /// SARIF 2.1.0, for code scanning (upload with github/codeql-action/upload-sarif)
    Sarif,
}

pub fn run(args: &CheckArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let project = Project::locate(ctx.repo.as_deref())?;
    let snapshot = project.snapshot(args.rev.as_deref())?;
    let mut loaded = register::check(&snapshot);
    let more = delivery_findings(&snapshot, &loaded);
    loaded.findings.extend(more);
    loaded
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let revision = snapshot.revision.as_ref();
    match args.format {
        CheckFormat::Text => findings::text(ctx.out, &loaded, revision, ctx.style),
        CheckFormat::Json => findings::json(ctx.out, &loaded, revision),
        CheckFormat::Github => findings::github(ctx.out, &loaded, revision),
        CheckFormat::Sarif => findings::sarif(ctx.out, &loaded, revision),
    }
    .map_err(Error::Output)?;
    let failing = loaded.count(Severity::Error)
        + if args.strict {
            loaded.count(Severity::Warning)
        } else {
            0
        };
    Ok(if failing > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// What `send` would refuse in `[delivery]`, said now: settings it cannot
/// use, or customers with addresses and no mail server to reach them.
fn delivery_findings(
    snapshot: &register::Snapshot,
    loaded: &register::Loaded,
) -> Vec<register::Finding> {
    let (config, text) = (&snapshot.config.delivery, &snapshot.config_text);
    let line = |key: &str| {
        let mut in_delivery = false;
        text.lines().enumerate().find_map(|(n, l)| {
            let l = l.trim_start();
            if l.starts_with('[') {
                in_delivery = l.starts_with("[delivery]");
            }
            (in_delivery && l.starts_with(key)).then(|| register::Pos {
                line: u32::try_from(n + 1).unwrap_or(u32::MAX),
                column: 1,
            })
        })
    };
    let set = config.smtp.is_some() || config.from.is_some() || config.reply_to.is_some();
    let emails = loaded.customers.iter().any(|c| !c.emails.is_empty());
    let file = &snapshot.config_file;
    match crate::delivery::Mailer::new(config) {
        Ok(_) => Vec::new(),
        Err(Error::Usage { what, hint }) if set => {
            let key = ["reply_to", "from", "smtp"]
                .into_iter()
                .find(|k| what.contains(&format!("[delivery] {k}")))
                .unwrap_or("smtp");
            let finding = register::Finding::error(file, line(key), "delivery", what);
            vec![match hint {
                Some(hint) => finding.with_help(hint),
                None => finding,
            }]
        }
        Err(e) if set => vec![register::Finding::error(file, line("smtp"), "delivery", e.to_string())],
        Err(_) if emails => vec![register::Finding::warning(
            file,
            None,
            "delivery",
            "customers have e-mail addresses, but [delivery] is not set: `send` cannot reach them".to_owned(),
        )
        .with_help("set [delivery] smtp and from; see README \"Tell your customers\"".to_owned())],
        Err(_) => Vec::new(),
    }
}
