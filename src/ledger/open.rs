//! One way in: a register repository opened once, with the ledger of its
//! branch. Every command that needs history starts from a [`Ledger`]: the
//! located project, its repository, the timeline (from the cache where it
//! can be) and `subledger.toml` at the tip.

use super::releases::Release;
use super::replay::Replay;
use super::timeline::{Progress, Timeline};
use crate::error::Result;
use crate::history::Repo;
use crate::project::{ConfigAt, Project};
use std::path::Path;

/// A register repository and its ledger.
pub struct Ledger {
    pub project: Project,
    pub repo: Repo,
    pub timeline: Timeline,
    /// subledger.toml at the tip of the branch.
    pub at: ConfigAt,
}

impl Ledger {
    /// Opens the project (`repo`, or the nearest one above the current
    /// directory) and the ledger of its branch.
    pub fn open(repo: Option<&Path>, progress: Progress<'_>) -> Result<Ledger> {
        let project = Project::locate(repo)?;
        let timeline = Timeline::build(&project, None, progress)?;
        Ledger::with(project, timeline)
    }

    /// Like [`open`](Self::open), but the ledger is walked from history
    /// itself, trusting no cache (for `verify`).
    pub fn open_from_history(repo: Option<&Path>) -> Result<Ledger> {
        let project = Project::locate(repo)?;
        let timeline = Timeline::build_from_history(&project)?;
        Ledger::with(project, timeline)
    }

    fn with(project: Project, timeline: Timeline) -> Result<Ledger> {
        let repo = Repo::discover(&project.root)?;
        let at = project.config_at(&repo, &timeline.tip)?;
        Ok(Ledger {
            project,
            repo,
            timeline,
            at,
        })
    }

    /// A replay of the ledger, to see the register at its commits.
    pub fn replay(&self) -> Replay<'_> {
        Replay::new(&self.timeline)
    }

    /// The release named `name` on the line.
    pub fn release(&self, name: &str) -> Option<&Release> {
        self.timeline.releases.iter().find(|r| r.name == name)
    }

    /// The template file `[notice.templates] FORMAT` names (`markdown`,
    /// `text`, `html`), read as [`Project::notice_template`] does.
    pub fn notice_template(
        &self,
        rev: &crate::register::Revision,
        config: &crate::register::config::Config,
        format: &str,
    ) -> Result<Option<(String, String)>> {
        self.project
            .notice_template(&self.repo, rev, config, format)
    }
}
