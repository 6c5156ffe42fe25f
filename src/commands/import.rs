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
        /// An HTML page ("Save page as", or its source)
        Html,
        /// A JSON array of vendor objects
        Json,
        /// A YAML list of vendor objects
        Yaml,
        /// A spreadsheet (xlsx, xls, ods): its first sheet, a header row then a row per vendor
        Xlsx,
    }
}
use crate::project::Project;
use crate::register::{self, Severity};
use crate::render::findings;
use crate::render::import as render;
use std::path::PathBuf;

/// Import an existing sub-processor page into the register
///
/// Reads a Markdown page (with a CommonMark parser: headings, tables with
/// or without outer pipes, bullet lists such as "Name — purpose" or
/// "[Name](url): purpose"), an HTML page (tables, lists, headings,
/// definition lists; navigation and scripts left out), a CSV file with a
/// header row (comma, semicolon or tab; Excel's byte order mark), a JSON or
/// YAML list of vendor objects, or text copied from a web page (tables
/// flattened into lines, label-value blocks such as "Sub-Processor…",
/// "Legal address…"). The format comes from the extension, else from the
/// content. The page's name, introduction, notice term, objection contact,
/// subscribe text and "Last updated" go into subledger.toml. Each
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
    /// The page to import; `-` reads standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The file's format (default: from its extension, else from what it holds)
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

pub fn run(args: &ImportArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let (file, bytes) = super::read_input(&args.file)?;
    let (text, format, guessed) = import::text_of(bytes, args.format.map(Format::from), &args.file)
        .map_err(|why| Error::Usage {
            what: format!("{}: {why}", file.display()),
            hint: None,
        })?;
    if matches!(format, Format::Csv | Format::Xlsx)
        && let Some(export) = import::export::other_export(&text)
    {
        return Err(Error::Usage {
            what: format!(
                "{} is subledger's {export} export: it holds changes, not a list of vendors",
                file.display()
            ),
            hint: Some(
                "import the list itself: subledger list --format xlsx --out register.xlsx (or --format csv)"
                    .to_owned(),
            ),
        });
    }
    let page = import::read(&text, format);
    if page.vendors.is_empty() {
        let name = format!("{format:?}").to_lowercase();
        render::nothing_found(ctx.err, &file, &name, guessed, &page.skipped)
            .map_err(Error::Output)?;
        return Ok(Outcome::Findings);
    }
    let root = import::root(ctx.repo.as_deref())?;
    let plan = import::plan(
        page,
        &file,
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
        let editor = crate::schema::write_editor_files(&plan.root)?;
        if !ctx.quiet {
            render::editor_files(ctx.err, &editor).map_err(Error::Output)?;
        }
    }
    render::report(out, &plan, &file, args.dry_run).map_err(Error::Output)?;
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
