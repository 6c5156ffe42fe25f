//! `subledger audit`: the evidence report for a period.

use super::{Context, Outcome};
use crate::audit::{self, Period};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::render::audit::{self as render, Format};

/// Write the evidence report an auditor asks for, for a period
///
/// For the period (default: all of history): the register as it stood at
/// the start and at the end; every release (tag, tagger, date, commit,
/// register tree, signed or not) with the changes it released; for each,
/// whether its notice was saved under reports/ and still matches the
/// repository; the timing of every change that needed notice (release date,
/// effective date and days of notice under each profile, vendors engaged
/// earlier than allowed, emergencies with their reasons); changes committed
/// but never released; and release tags that are lightweight or off the
/// first-parent line. Every statement names a commit or tag, so it can be
/// checked with plain git. With customer files: each delivery of each
/// release with its days of notice, who was never told, and every
/// objection against its deadline. A customer or objection file that
/// cannot be read is named at the top and the exit status is 1: the
/// report is incomplete without it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger audit --since 2026-01-01 --until 2026-06-30\n  subledger audit --format html --save\n  subledger audit --format pdf --save    # A4, through headless Chromium\n  subledger audit --format xlsx --out audit.xlsx"
)]
pub struct AuditArgs {
    /// The first day of the period (YYYY-MM-DD, UTC)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// The last day of the period (the whole day counts)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = AuditFormat::Markdown)]
    pub format: AuditFormat,

    /// Write it to reports/audit-<since>-<until>.<ext> instead of stdout
    #[arg(long, conflicts_with = "out")]
    pub save: bool,

    /// Write it to FILE (atomically) instead of stdout; `-` is stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,

    /// With --save or --out, replace an existing file
    #[arg(long)]
    pub force: bool,
}

super::choice! {
    /// `audit --format`.
    AuditFormat => Format {
        /// Markdown, to read or to file with a ticket
        Markdown,
        /// One self-contained HTML page, with print styles (A4)
        Html,
        /// Versioned JSON (subledger.audit/1)
        Json,
        /// A4 PDF, printed from the HTML by headless Chromium (needs it installed)
        Pdf,
        /// An Excel workbook (to --save, --out FILE or a pipe; not a terminal): one sheet per part,
        /// dates as dates, each header frozen and filtered
        Xlsx,
    }
}

pub fn run(args: &AuditArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let period = Period::new(
        super::date_bound("--since", &args.since, false)?.map(|b| (b.time, b.text)),
        super::date_bound("--until", &args.until, true)?.map(|b| (b.time, b.text)),
    )?;
    if args.force && !args.save && args.out.is_none() {
        return Err(Error::Usage {
            what: "--force replaces a file: it needs --save or --out".to_owned(),
            hint: None,
        });
    }
    let format = Format::from(args.format);
    if format == Format::Xlsx
        && !args.save
        && args.out.is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        return Err(Error::Usage {
            what: "--format xlsx writes a workbook, not text for the terminal".to_owned(),
            hint: Some("add --save, or --out audit.xlsx (or --out - to pipe it)".to_owned()),
        });
    }
    let ledger = Ledger::open(ctx.repo.as_deref(), &mut |_, _| {})?;
    let report = audit::build(&ledger, &period)?;
    // Files left out make the report incomplete: it is written, and says so.
    for u in &report.unreadable {
        let at = u.line.map(|l| format!(":{l}")).unwrap_or_default();
        writeln!(
            ctx.err,
            "subledger: {}{at}: cannot be read, left out of the audit: {}",
            u.file, u.message
        )
        .map_err(Error::Output)?;
    }
    let outcome = if report.unreadable.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    };
    let bytes = match format {
        Format::Xlsx => render::xlsx(&report)?,
        Format::Pdf => crate::print::pdf(&render::render(&report, format)?)?,
        _ => render::render(&report, format)?.into_bytes(),
    };
    if args.save {
        let name = format!(
            "audit-{}-{}.{}",
            args.since.as_deref().unwrap_or("start"),
            args.until.as_deref().unwrap_or("now"),
            format.extension()
        );
        let root = &ledger.project.root;
        let path = root.join(crate::reports::DIR).join(name);
        super::save_report(ctx.out, root, &path, &bytes, args.force, None)?;
    } else {
        super::emit(ctx, args.out.as_deref(), &bytes, args.force)?;
    }
    Ok(outcome)
}
