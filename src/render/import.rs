//! What `subledger import` says: the files it would write (`--dry-run`),
//! then what was imported, guessed, kept in notes and skipped.

use crate::import::Plan;
use crate::register::config;
use crate::render::findings::plural;
use crate::render::shown;
use std::io::{self, Write};
use std::path::Path;

/// The files a dry run would write, each with its text.
pub fn would_write(out: &mut dyn Write, plan: &Plan) -> io::Result<()> {
    if let Some(text) = &plan.config_text {
        writeln!(out, "would write {}:\n{text}", config::FILE_NAME)?;
    }
    for (path, text) in &plan.files {
        writeln!(out, "would write {}:\n{text}", plan.shown(path))?;
    }
    Ok(())
}

/// The report: what was (or would be) imported from `file`, and for each
/// vendor what was guessed and kept; then what was skipped.
pub fn report(out: &mut dyn Write, plan: &Plan, file: &Path, dry_run: bool) -> io::Result<()> {
    let page = &plan.page;
    let verb = if dry_run { "would import" } else { "imported" };
    writeln!(
        out,
        "{verb} {} in {} from {}{}",
        plural(page.vendors.len(), "vendor", "vendors"),
        plural(page.sections.len(), "section", "sections"),
        file.display(),
        if plan.new_sections.is_empty() {
            String::new()
        } else {
            format!(
                " ({} declared in {})",
                plural(plan.new_sections.len(), "section", "sections"),
                config::FILE_NAME
            )
        }
    )?;
    for v in &page.vendors {
        let path = format!("{}/{}.toml", plan.dir, v.id);
        for gap in &v.gaps {
            writeln!(out, "  {path}: {}", shown(gap))?;
        }
        for note in &v.notes {
            writeln!(out, "  {path}: kept in notes: {}", shown(note))?;
        }
    }
    for skipped in &page.skipped {
        writeln!(out, "  skipped {}", shown(skipped))?;
    }
    if page.sections_by_id && !plan.new_sections.is_empty() {
        writeln!(
            out,
            "  {}: the sheet names sections by id only: {} got a title made from its id and scope \"subprocessor\" (check them)",
            config::FILE_NAME,
            plural(plan.new_sections.len(), "new section", "new sections")
        )?;
    }
    for path in &plan.updated {
        let what = match (plan.remove_gone, dry_run) {
            (true, true) => "would be updated with what the page says; its other keys kept",
            (true, false) => "updated with what the page says; its other keys kept",
            (false, _) => "exists: --force would update it with what the page says",
        };
        writeln!(out, "  {}: {what}", shown(&plan.shown(path)))?;
    }
    for path in &plan.gone {
        let what = match (plan.remove_gone, dry_run) {
            (true, true) => "not on the page: would be removed",
            (true, false) => "not on the page: removed",
            (false, _) => "not on the page: kept (--force removes it)",
        };
        writeln!(out, "  {}: {what}", shown(&plan.shown(path)))?;
    }
    if plan.config_text.is_some() && !plan.config_existed {
        about(out, &page.about)?;
    }
    if !page.not_carried.is_empty() {
        writeln!(
            out,
            "not carried ({}: check that nothing there belongs in the register):",
            plural(page.not_carried.len(), "line", "lines")
        )?;
        for line in &page.not_carried {
            writeln!(out, "  {}", shown(line))?;
        }
    }
    Ok(())
}

/// What the page said about the list, as carried into subledger.toml.
fn about(out: &mut dyn Write, about: &crate::import::about::About) -> io::Result<()> {
    let file = config::FILE_NAME;
    match &about.name {
        Some(name) => writeln!(
            out,
            "  {file}: [register] name = {} (from the page)",
            shown(name)
        )?,
        None => writeln!(
            out,
            "  {file}: [register] name: the page does not say; written as TBD (or give --name)"
        )?,
    }
    if !about.intro.is_empty() {
        writeln!(
            out,
            "  {file}: [register] intro: {} of the overview",
            plural(about.intro.len(), "paragraph", "paragraphs")
        )?;
    }
    match about.updated {
        Some(d) => writeln!(
            out,
            "  {file}: [register] page_updated = {} (\"Last updated\")",
            crate::dates::iso_date(d)
        )?,
        None => writeln!(out, "  {file}: the page gives no \"Last updated\" date")?,
    }
    match about.days {
        Some((days, business)) => writeln!(
            out,
            "  {file}: [notice] days = {days}{}",
            if business { " (business days)" } else { "" }
        )?,
        None => writeln!(
            out,
            "  {file}: the page states no notice period; [notice] days is the default, 30"
        )?,
    }
    if let Some(e) = &about.except {
        writeln!(out, "  {file}: [notice] except = {}", shown(e))?;
    }
    match (&about.contact, about.contact_hidden) {
        (Some(c), _) => writeln!(out, "  {file}: [notice] contact = {}", shown(c))?,
        (None, true) => writeln!(
            out,
            "  {file}: [notice] contact: the page hides the objection address (\"[email protected]\"); set it by hand"
        )?,
        (None, false) => writeln!(
            out,
            "  {file}: [notice] contact: the page names no address for objections; set it by hand"
        )?,
    }
    if about.subscribe.is_some() {
        writeln!(
            out,
            "  {file}: [notice] subscribe: the page's sentence on how to be told of changes"
        )?;
    }
    Ok(())
}

/// Names the editor files the import wrote beside the register, if any.
pub fn editor_files(err: &mut dyn Write, files: &[String]) -> io::Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    writeln!(
        err,
        "wrote {} for editors (taplo, Even Better TOML)",
        files.join(", ")
    )
}

/// Why a page gave no vendors, and what to do: `format` is how it was
/// read, `guessed` whether that came from its content; `skipped` says why.
pub fn nothing_found(
    err: &mut dyn Write,
    file: &Path,
    format: &str,
    guessed: bool,
    skipped: &[String],
) -> io::Result<()> {
    writeln!(
        err,
        "subledger: found no vendors in {} (read as {format}{}): no table, list or label-value block names a sub-processor",
        file.display(),
        if guessed { ", from its content" } else { "" },
    )?;
    for reason in skipped {
        writeln!(err, "  {}", shown(reason))?;
    }
    writeln!(
        err,
        "  hint: if it is another format, say so with --format markdown, csv, text, html, json or yaml"
    )
}
