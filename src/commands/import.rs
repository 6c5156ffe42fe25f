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
use crate::register::config::{self, Config};
use crate::register::{self, Severity};
use crate::render::findings::{self, plural};
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
/// Existing vendor files are never replaced without --force; --dry-run
/// shows what would be written and writes nothing.
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
}

pub fn run(args: &ImportArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let bytes = std::fs::read(&args.file).map_err(|source| Error::Read {
        path: args.file.clone(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::Usage {
        what: format!(
            "{}: not UTF-8 text; save it as UTF-8 first",
            args.file.display()
        ),
    })?;
    let format = args.format.map(Format::from).unwrap_or_else(|| {
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
    });
    let page = import::read(&text, format);
    if page.vendors.is_empty() {
        let html = args
            .file
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "html" | "htm"))
            || {
                let start = text.trim_start().get(..512).unwrap_or(text.trim_start());
                let start = start.to_ascii_lowercase();
                start.starts_with("<!doctype html") || start.starts_with("<html")
            };
        let advice = if html {
            "; it is an HTML page, which import does not read: open it in a browser, select the list, copy it into a text file (or save the page as Markdown) and import that"
        } else if args.format.is_none() && format == Format::Text {
            "; if it is Markdown or CSV without the extension, say so with --format markdown or --format csv"
        } else {
            ""
        };
        writeln!(
            ctx.err,
            "subledger: found no vendors in {}: no table, bullet list or label-value block names a sub-processor{advice}",
            args.file.display(),
        )
        .map_err(Error::Output)?;
        return Ok(Outcome::Findings);
    }
    // The register to write into: the project, or the current directory.
    let root = match Project::locate(ctx.repo.as_deref()) {
        Ok(project) => project.root,
        Err(Error::ConfigNotFound { .. }) => match &ctx.repo {
            Some(repo) => repo.clone(),
            None => std::env::current_dir().map_err(|source| Error::Read {
                path: PathBuf::from("."),
                source,
            })?,
        },
        Err(e) => return Err(e),
    };
    // A bare repository has no work tree to write the files into.
    if let Ok(repo) = crate::history::Repo::discover(&root)
        && repo.workdir().is_none()
    {
        return Err(Error::Refused {
            what: format!(
                "{} is a bare repository (it has no work tree): import writes subledger.toml and the vendor files, so run it in a clone with a work tree, then commit and push",
                root.display()
            ),
        });
    }
    let config_path = root.join(config::FILE_NAME);
    let existing_config = std::fs::read_to_string(&config_path).ok();
    let (dir, declared): (String, Vec<String>) = match &existing_config {
        Some(text) => {
            let config = Config::parse(text, config::FILE_NAME)?;
            let declared = config
                .sections
                .iter()
                .map(|s| s.id.get_ref().clone())
                .collect();
            (config.register.dir, declared)
        }
        None => ("register".to_owned(), Vec::new()),
    };
    let new_sections: Vec<import::SectionOut> = page
        .sections
        .iter()
        .filter(|s| !declared.contains(&s.id))
        .cloned()
        .collect();
    let config_text = match &existing_config {
        Some(text) => {
            if new_sections.is_empty() {
                None
            } else {
                Some(format!(
                    "{}\n{}",
                    text.trim_end(),
                    import::section_tables(&new_sections)
                ))
            }
        }
        None => Some(format!(
            "# Written by `subledger import {}`: set the company's name.\n[register]\nname = \"Imported register\"\n{}",
            args.file.display(),
            import::section_tables(&new_sections)
        )),
    };
    let files: Vec<(PathBuf, String)> = page
        .vendors
        .iter()
        .map(|v| {
            (
                root.join(&dir).join(format!("{}.toml", v.id)),
                import::vendor_file(v),
            )
        })
        .collect();
    let shown = |path: &PathBuf| {
        path.strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    if !args.force && !args.dry_run {
        let existing: Vec<String> = files
            .iter()
            .filter(|(p, _)| p.exists())
            .map(|(p, _)| shown(p))
            .collect();
        if !existing.is_empty() {
            return Err(Error::Refused {
                what: format!(
                    "{}: {}; nothing was written (--force replaces them, --dry-run shows what would be written)",
                    plural(existing.len(), "vendor file exists", "vendor files exist"),
                    existing.join(", ")
                ),
            });
        }
    }
    let out = &mut *ctx.out;
    if args.dry_run {
        if let Some(text) = &config_text {
            writeln!(out, "would write {}:\n{text}", config::FILE_NAME).map_err(Error::Output)?;
        }
        for (path, text) in &files {
            writeln!(out, "would write {}:\n{text}", shown(path)).map_err(Error::Output)?;
        }
    } else {
        if let Some(text) = &config_text {
            super::write_new(&config_path, text, true)?;
        }
        for (path, text) in &files {
            super::write_new(path, text, args.force)?;
        }
    }
    // The report: what was written, guessed, kept, skipped.
    let verb = if args.dry_run {
        "would import"
    } else {
        "imported"
    };
    writeln!(
        out,
        "{verb} {} in {} from {}{}",
        plural(page.vendors.len(), "vendor", "vendors"),
        plural(page.sections.len(), "section", "sections"),
        args.file.display(),
        if new_sections.is_empty() {
            String::new()
        } else {
            format!(
                " ({} declared in {})",
                plural(new_sections.len(), "section", "sections"),
                config::FILE_NAME
            )
        }
    )
    .map_err(Error::Output)?;
    for v in &page.vendors {
        let path = format!("{dir}/{}.toml", v.id);
        for gap in &v.gaps {
            writeln!(out, "  {path}: {}", crate::render::shown(gap)).map_err(Error::Output)?;
        }
        for note in &v.notes {
            writeln!(
                out,
                "  {path}: kept in notes: {}",
                crate::render::shown(note)
            )
            .map_err(Error::Output)?;
        }
    }
    for skipped in &page.skipped {
        writeln!(out, "  skipped {}", crate::render::shown(skipped)).map_err(Error::Output)?;
    }
    if args.dry_run {
        return Ok(Outcome::Clean);
    }
    writeln!(out, "\nsubledger check:").map_err(Error::Output)?;
    let project = Project { root: root.clone() };
    let snapshot = project.snapshot(None)?;
    let loaded = register::check(&snapshot);
    findings::text(out, &loaded, None, ctx.style).map_err(Error::Output)?;
    Ok(if loaded.count(Severity::Error) > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
