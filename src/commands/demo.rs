//! `subledger demo`: a register repository with a year of history.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::example::demo;
use crate::ledger::timeline::Timeline;
use crate::project::Project;
use std::path::PathBuf;

/// Create a demo register repository with a year of history, and show its timeline
///
/// Writes the bundled example register (PracticPro's published list) into a
/// new git repository as a year of realistic history: three tagged
/// releases, vendors added and one removed, a location change, a purpose
/// edit, a data category added, a file renamed with previous_ids, a broken
/// file fixed two commits later, a change that arrives through a merge, and
/// one change not released yet. Then prints the timeline and commands to
/// try next. Nothing outside DIR is touched.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  subledger demo\n  subledger demo /tmp/register-demo")]
pub struct DemoArgs {
    /// Where to create the repository (must not exist or be empty; default:
    /// a new subledger-demo-N directory under the system's temporary directory)
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: &DemoArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let dir = demo::create(args.dir.as_deref())?;
    let project = Project { root: dir.clone() };
    let timeline = Timeline::build(&project, None, &mut |_, _| {})?;
    crate::render::demo::created(ctx.out, &dir, &timeline, ctx.style).map_err(Error::Output)?;
    Ok(Outcome::Clean)
}
