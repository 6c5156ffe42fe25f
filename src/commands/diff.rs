//! `subledger diff`: the register changes between two points.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::history::Repo;
use crate::history::{Oid, blob_id};
use crate::ledger::{self, timeline::resolve_point};
use crate::project::Project;
use crate::register::{Entry, EntryKind, Revision, workdir};
use std::collections::BTreeMap;

/// One side's file: a blob in git, or a file read from the work tree.
enum Side {
    Git(EntryKind, Oid),
    Disk(Entry),
}
use crate::render::diff::{self as render, DiffView};

/// Show what changed in the register between two revisions, field by field
///
/// FROM and TO are commits, tags, branches or dates (YYYY-MM-DD: the last
/// commit of the branch on or before that day). Without TO, FROM is compared
/// with the work tree, so you see what the next commit would change. Long
/// text fields get a word-level diff ([-removed-]{+added+}). Vendor files
/// that cannot be loaded on the TO side are reported as `invalid`.
///
/// With --exit-code the exit status is 1 when there are changes and 0 when
/// there are none, like `git diff --exit-code`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger diff subprocessors/2026-01-15 subprocessors/2026-07-01\n  subledger diff HEAD                # uncommitted changes\n  subledger diff 2026-01-01 main --format json\n  subledger diff main --exit-code   # in CI: fail when the work tree differs"
)]
pub struct DiffArgs {
    /// The older side
    #[arg(value_name = "FROM")]
    pub from: String,

    /// The newer side (default: the work tree)
    #[arg(value_name = "TO")]
    pub to: Option<String>,

    /// Exit with 1 when there are changes
    #[arg(long)]
    pub exit_code: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
}

/// `diff --format`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum DiffFormat {
    /// Field by field, with word diffs, for the terminal
    Table,
    /// A Markdown list of changes
    Markdown,
    /// Versioned JSON (subledger.diff/1)
    Json,
    /// One row per change
    Csv,
}

pub fn run(args: &DiffArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let project = Project::locate(ctx.repo.as_deref())?;
    let repo = Repo::discover(&project.root)?;
    let from = resolve_point(&project, &repo, &args.from)?;
    let at = project.config_at(&repo, &from)?;
    let old_list = repo.list_dir(&from, &at.dir)?.unwrap_or_default();
    // Only files whose blob ids differ are read and parsed.
    let old_ids: BTreeMap<&str, (EntryKind, Oid)> = old_list
        .iter()
        .map(|(name, kind, id)| (name.as_str(), (*kind, *id)))
        .collect();
    let (to, new_side): (Option<Revision>, BTreeMap<String, Side>) = match &args.to {
        Some(spec) => {
            let rev = resolve_point(&project, &repo, spec)?;
            let list = repo.list_dir(&rev, &at.dir)?.unwrap_or_default();
            let side = list
                .into_iter()
                .map(|(name, kind, id)| (name, Side::Git(kind, id)))
                .collect();
            (Some(rev), side)
        }
        None => {
            if repo.workdir().is_none() {
                return Err(Error::BareRepository {
                    path: project.root.clone(),
                });
            }
            let dir = project.root.join(&at.config.register.dir);
            let side = workdir::read_dir(&dir)?
                .into_iter()
                .map(|entry| (entry.name.clone(), Side::Disk(entry)))
                .collect();
            (None, side)
        }
    };
    // Which files differ; then each side is read and parsed on its own thread.
    let mut changed_old: Vec<(&str, EntryKind, Oid)> = Vec::new();
    let mut changed_new: Vec<(&str, &Side)> = Vec::new();
    for (name, side) in &new_side {
        let (kind, id) = match side {
            Side::Git(kind, id) => (*kind, *id),
            Side::Disk(e) => (e.kind, e.content.as_deref().map(blob_id).unwrap_or([0; 20])),
        };
        match old_ids.get(name.as_str()) {
            Some(old) if *old == (kind, id) => continue,
            Some((old_kind, old_id)) => changed_old.push((name, *old_kind, *old_id)),
            None => {}
        }
        changed_new.push((name, side));
    }
    for (name, (kind, id)) in &old_ids {
        if !new_side.contains_key(*name) {
            changed_old.push((name, *kind, *id));
        }
    }
    let dir = at.config.register.dir.trim_end_matches('/').to_owned();
    let read = |repo: &Repo, name: &str, kind: EntryKind, id: &Oid| -> Result<Entry> {
        let (content, size) = match kind {
            EntryKind::File => repo.blob(id)?,
            _ => (None, 0),
        };
        Ok(Entry {
            name: name.to_owned(),
            kind,
            size,
            content,
        })
    };
    // libgit2 serialises reads of one pack, so blobs are read here and the
    // two sides parsed in parallel.
    let old_entries = changed_old
        .iter()
        .map(|(name, kind, id)| read(&repo, name, *kind, id))
        .collect::<Result<Vec<Entry>>>()?;
    let new_entries = changed_new
        .iter()
        .map(|(name, side)| match side {
            Side::Git(kind, id) => read(&repo, name, *kind, id),
            Side::Disk(e) => Ok(e.clone()),
        })
        .collect::<Result<Vec<Entry>>>()?;
    let (old, new) = std::thread::scope(|scope| {
        let new = scope.spawn(|| ledger::load_entries(&new_entries, &dir));
        let old = ledger::load_entries(&old_entries, &dir);
        (
            Ok::<_, Error>(old),
            new.join().map_err(|_| Error::History {
                what: "parsing the newer side failed".to_owned(),
            }),
        )
    });
    let events = ledger::diff(old?, new?, &dir);
    let view = DiffView {
        from: &from,
        to: to.as_ref(),
        events: &events,
    };
    match args.format {
        DiffFormat::Table => render::table(ctx.out, &view, ctx.style),
        DiffFormat::Markdown => render::markdown(ctx.out, &view),
        DiffFormat::Json => render::json(ctx.out, &view),
        DiffFormat::Csv => render::csv(ctx.out, &view),
    }
    .map_err(Error::Output)?;
    Ok(if args.exit_code && !events.is_empty() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
