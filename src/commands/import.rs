//! `subledger import`: turn a published page into vendor files.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::import::{self, Format};

super::choice! {
    /// `import --format`.
    ImportFormat => Format {
        /// Headings, pipe tables and bullet lists
        Markdown,
        /// A header row, then one row per vendor
        Csv,
        /// Text copied from a web page: flattened tables, label-value blocks
        Text,
    }
}
use crate::project::Project;
use crate::register::{self, Severity};
use crate::render::findings;
use crate::render::import as render;
use std::path::PathBuf;

/// Import an existing sub-processor page into the register
///
/// Reads a Markdown page (headings, pipe tables, bullet lists such as
/// "Name — purpose" or "[Name](url): purpose"), a CSV file with a header
/// row, or text copied from a web page (tables flattened into lines,
/// label-value blocks such as "Sub-Processor…", "Legal address…"). Each
/// table's heading becomes a section, declared in subledger.toml if it is
/// missing (created when there is none). Columns are read by meaning
/// (sub-processor, vendor, provider, entity, name; purpose, processing
/// activity, service, feature; data, categories of data processed, data
/// shared; location, country, region, hosting; legal address; website); a
/// column it cannot place goes into `notes` with its header. Locations
/// become codes ("USA/EU" → US, EU); "optional", "(if enabled)" and "only if
/// you turn the feature on" make a vendor optional. Ids are slugs of the
/// names. What the page does not give is written as "TBD", so `check`,
/// which runs at the end, shows every gap.
///
/// Existing vendor files are never replaced without --force. With --force
/// the page updates the register: each vendor file it names is brought up
/// to date (keys the page does not carry, such as [dpa] or
/// transfer_mechanisms, are kept) and the files of vendors it no longer
/// lists are removed; commit and release, and the notice names exactly
/// what changed. --dry-run shows what would be written and writes nothing.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger import subprocessors.md --dry-run\n  subledger import vendors.csv\n  subledger import page.txt --format text --force"
)]
pub struct ImportArgs {
    /// The page to import
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The file's format (default: from its extension; .md markdown, .csv csv, else text)
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,

    /// Show what would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Replace vendor files that exist
    #[arg(long)]
    pub force: bool,

    /// The company's name, when the page does not say it
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

/// The format: `--format`, else from the file's extension.
fn format(args: &ImportArgs) -> Format {
    args.format.map(Format::from).unwrap_or_else(|| {
        match args
            .file
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .as_deref()
        {
            Some("md" | "markdown") => Format::Markdown,
            Some("csv") => Format::Csv,
            _ => Format::Text,
        }
    })
}

pub fn run(args: &ImportArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let bytes = std::fs::read(&args.file).map_err(|source| Error::Read {
        path: args.file.clone(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::Usage {
        what: format!("{}: not UTF-8 text", args.file.display()),
        hint: Some("save it as UTF-8 first".to_owned()),
    })?;
    let format = format(args);
    let page = import::read(&text, format);
    if page.vendors.is_empty() {
        let html = import::is_html(&args.file, &text);
        let guessed = args.format.is_none() && format == Format::Text;
        render::nothing_found(ctx.err, &args.file, html, guessed).map_err(Error::Output)?;
        return Ok(Outcome::Findings);
    }
    let root = import::root(ctx.repo.as_deref())?;
    let plan = import::plan(
        page,
        &args.file,
        root,
        args.force,
        args.dry_run,
        args.name.as_deref(),
    )?;
    let out = &mut *ctx.out;
    if args.dry_run {
        render::would_write(out, &plan).map_err(Error::Output)?;
    } else {
        import::write(&plan, args.force)?;
    }
    render::report(out, &plan, &args.file, args.dry_run).map_err(Error::Output)?;
    if args.dry_run {
        return Ok(Outcome::Clean);
    }
    writeln!(out, "\nsubledger check:").map_err(Error::Output)?;
    let loaded = register::check(&Project { root: plan.root }.snapshot(None)?);
    findings::text(out, &loaded, None, ctx.style).map_err(Error::Output)?;
    Ok(if loaded.count(Severity::Error) > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
