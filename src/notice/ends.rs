//! Which notice is asked for: its two ends (a release, the one before it,
//! a draft), and the notice of every release for the feed.

use super::classify::build;
use super::model::Notice;
use super::policy::Policy;
use crate::commit::hex;
use crate::error::{Error, Result};
use crate::ledger::Event;
use crate::ledger::Ledger;
use crate::ledger::releases::Release;
use crate::ledger::replay::Replay;
use crate::ledger::span::{self, End};
use crate::ledger::timeline::resolve_point;
use crate::register::Revision;

/// The notice between two points of the line: `from` (`None`: an empty
/// register) and `to` (`None`: the work tree, a draft). A `to` that is not
/// a release is a draft; `date` is its release date (for a release, the
/// release's own date is used). Returns the notice and the changes.
pub fn between(
    ledger: &Ledger,
    replay: &mut Replay<'_>,
    from: Option<End<'_>>,
    to: Option<End<'_>>,
    date: Option<time::Date>,
    policies: &[Policy],
) -> Result<(Notice, Vec<Event>)> {
    let why = to.and_then(|(_, release)| release).and_then(Release::note);
    let span = span::span(ledger, replay, from, to, date)?;
    let mut notice = build(&span, policies);
    notice.why = why;
    Ok((notice, span.events))
}

/// The notice a reader asks for: between which points, under which terms.
#[derive(Clone, Debug, Default)]
pub struct Asked<'a> {
    /// FROM; default: the release before TO in release order (for a
    /// draft, the last release at or before it).
    pub from: Option<&'a str>,
    /// TO; default: the latest release. A release named is that release;
    /// any other revision is a draft.
    pub to: Option<&'a str>,
    /// TO is the work tree (a draft of the next release).
    pub work_tree: bool,
    /// The notice terms of this profile; default: `[notice]`.
    pub profile: Option<&'a str>,
    /// Every set of terms: `[notice]` and each profile.
    pub all_profiles: bool,
}

/// A notice made for an [`Asked`]: the notice, the release it is the
/// notice of (`None`: a draft), and subledger.toml at its newer end.
pub struct Made<'t> {
    pub notice: Notice,
    pub release: Option<&'t Release>,
    /// Where subledger.toml (and the templates) were read.
    pub config_rev: Revision,
    pub config: crate::project::ConfigAt,
}

/// The notice `asked` describes. Each end must be sound: a release whose
/// dates do not hold would date the notice falsely. `draft_date` gives a
/// draft's release date (asked for only when TO is not a release).
pub fn asked<'t>(
    ledger: &'t Ledger,
    asked: &Asked<'_>,
    draft_date: impl FnOnce() -> Result<Option<time::Date>>,
) -> Result<Made<'t>> {
    let (project, repo, timeline) = (&ledger.project, &ledger.repo, &ledger.timeline);
    let tip = timeline.tip.clone();
    let releases = &timeline.releases;
    let position = |commit: &str| timeline.commits.iter().position(|c| hex(&c.id) == commit);
    let named = |spec: &str| releases.iter().find(|r| r.name == spec);
    // TO: a release (named, or the latest by default), else a draft: a
    // commit, or the work tree.
    let to_release: Option<&Release> = match (&asked.to, asked.work_tree) {
        (_, true) => None,
        (Some(spec), false) => named(spec),
        (None, false) => match releases.last() {
            Some(latest) => Some(latest),
            None => {
                // A shallow clone may see none because they are below its cut.
                timeline.require(|| "the latest release".to_owned())?;
                return Err(Error::Usage {
                    what: "there is no release yet".to_owned(),
                    hint: Some("run `subledger release`, or give TO (for example HEAD) or --work-tree for a draft".to_owned()),
                });
            }
        },
    };
    let to: Option<Revision> = match (&asked.to, to_release) {
        _ if asked.work_tree => None,
        (_, Some(r)) => Some(Revision {
            spec: r.name.clone(),
            commit: hex(&r.commit),
        }),
        (Some(spec), None) => Some(resolve_point(project, repo, spec)?),
        (None, None) => None,
    };
    let to_index = match &to {
        Some(rev) => position(&rev.commit),
        None => timeline.commits.len().checked_sub(1),
    };
    // FROM: given, or the release just before TO in release order (of two
    // releases on one commit, the later one's notice has no changes); for
    // a draft, the last release at or before it.
    let from_release: Option<&Release> = match (&asked.from, to_release) {
        (Some(spec), _) => named(spec),
        (None, Some(t)) => releases
            .iter()
            .position(|r| std::ptr::eq(r, t))
            .and_then(|i| i.checked_sub(1))
            .map(|i| &releases[i]),
        (None, None) => releases
            .iter()
            .rev()
            .find(|r| to_index.is_none_or(|t| r.index <= t)),
    };
    let from: Option<Revision> = match (&asked.from, from_release) {
        (_, Some(r)) => Some(Revision {
            spec: r.name.clone(),
            commit: hex(&r.commit),
        }),
        (Some(spec), None) => Some(resolve_point(project, repo, spec)?),
        (None, None) => None,
    };
    // A release whose dates do not hold would date the notice falsely; one
    // that disagrees with the line about the release before it would make
    // the default FROM a guess.
    if let Some(t) = to_release.and_then(|t| timeline.release_position(t)) {
        timeline.require_sound(project, repo, t, asked.from.is_none())?;
    }
    if let Some(f) = from_release.and_then(|f| timeline.release_position(f)) {
        timeline.require_sound(project, repo, f, false)?;
    }
    let date = match to_release {
        Some(r) => r.date(),
        None => draft_date()?,
    };
    let config_rev = to.clone().unwrap_or_else(|| tip.clone());
    // A draft of the work tree is dated under the work tree's terms.
    let config = if asked.work_tree {
        project.work_tree_config(repo)?
    } else {
        project.config_at(repo, &config_rev)?
    };
    let policies = if asked.all_profiles {
        Policy::all(&config.config.notice)?
    } else {
        vec![Policy::new(&config.config.notice, asked.profile)?]
    };
    let (notice, _) = between(
        ledger,
        &mut Replay::new(timeline),
        from.as_ref().map(|rev| (rev, from_release)),
        to.as_ref().map(|rev| (rev, to_release)),
        date,
        &policies,
    )?;
    Ok(Made {
        notice,
        release: to_release,
        config_rev,
        config,
    })
}

/// The notice release `i` of the line gave: its changes since the release
/// before it (none before it: the baseline), and those changes.
pub fn of_release(
    ledger: &Ledger,
    replay: &mut Replay<'_>,
    i: usize,
    policies: &[Policy],
) -> Result<(Notice, Vec<Event>)> {
    let releases = &ledger.timeline.releases;
    let release = &releases[i];
    let previous = i.checked_sub(1).map(|p| &releases[p]);
    let (to, from) = (release.revision(), previous.map(Release::revision));
    between(
        ledger,
        replay,
        from.as_ref().map(|r| (r, previous)),
        Some((&to, Some(release))),
        None,
        policies,
    )
}

/// A release and the notice it gave, counted from the release before.
pub struct Announcement<'a> {
    pub release: &'a Release,
    pub notice: Notice,
    /// When its changes that need notice take effect (`None` for the baseline).
    pub effective: Option<time::Date>,
}

/// The notice of every release on the line, oldest first, each from the
/// release before under the default notice terms: what the feed lists.
/// Every release and every change since the first commit is needed, and
/// every release must hold what it records.
pub fn every_release(ledger: &crate::ledger::Ledger) -> Result<Vec<Announcement<'_>>> {
    let mut announced = Vec::new();
    each_release(ledger, |a| {
        announced.push(a);
        Ok(())
    })?;
    Ok(announced)
}

/// Like [`every_release`], handing each announcement to `f` as it is
/// made, oldest first, so none need be kept.
pub fn each_release<'l>(
    ledger: &'l crate::ledger::Ledger,
    mut f: impl FnMut(Announcement<'l>) -> Result<()>,
) -> Result<()> {
    let (project, repo, timeline) = (&ledger.project, &ledger.repo, &ledger.timeline);
    timeline.require_whole()?;
    let policies = vec![Policy::new(&timeline.config.notice, None)?];
    let mut replay = Replay::new(timeline);
    for (i, release) in timeline.releases.iter().enumerate() {
        timeline.require_sound(project, repo, i, true)?;
        let (notice, _) = of_release(ledger, &mut replay, i, &policies)?;
        // A baseline changes nothing, so nothing takes effect.
        let effective = match notice.baseline {
            Some(_) => None,
            None => release.date().map(|d| policies[0].effective(d)),
        };
        f(Announcement {
            release,
            notice,
            effective,
        })?;
    }
    Ok(())
}
