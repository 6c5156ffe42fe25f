//! Making a release: what the repository says (HEAD, its branch, what is
//! not committed, the register at the tip, the previous release and the
//! changes since) checked against the rules in `release`, then the tag
//! written. The tag message is worded by the caller (`render::release`).

use super::releases::Release;
use super::replay::Replay;
use super::timeline::Timeline;
use crate::commit::{Signature, hex};
use crate::error::{Error, Result};
use crate::history::Repo;
use crate::ledger::compare;
use crate::ledger::trailers::Trailers;
use crate::notice::policy::Policy;
use crate::project::Project;
use crate::register::{self, Severity};
use crate::release::{self, Plan, Previous, Released, Request, refuse};

/// Makes a release of the tip of HEAD, or says why it cannot be made;
/// `message` words the tag message of the release planned. With
/// `dry_run`, nothing is written.
pub fn release(
    project: &Project,
    request: &Request,
    message: &dyn Fn(&Plan) -> String,
) -> Result<Released> {
    let repo = Repo::discover(&project.root)?;
    if repo.workdir().is_none() {
        return Err(Error::BareRepository {
            path: project.root.clone(),
        });
    }
    if repo.is_empty() {
        return Err(refuse(
            "the repository has no commits yet".to_owned(),
            "commit the register first (git add subledger.toml register && git commit), then release"
                .to_owned(),
        ));
    }
    let head = repo.resolve("HEAD")?;
    let at = project.config_at(&repo, &head)?;
    let config = &at.config;
    let branch = &config.register.branch;
    match repo.head_branch() {
        Some(b) if &b == branch => {}
        other => {
            return Err(refuse(
                format!(
                    "HEAD is {}, but releases are made on `{branch}` ([register] branch in subledger.toml)",
                    other.map_or("detached".to_owned(), |b| format!("on `{b}`"))
                ),
                format!("run `git switch {branch}` first"),
            ));
        }
    }
    let prefix = project.prefix(&repo);
    let config_path = format!("{prefix}{}", crate::register::config::FILE_NAME);
    release::committed(&repo.dirty(&[&at.dir, &config_path])?)?;
    let snapshot = project.snapshot_at(&repo, head.clone())?;
    let loaded = register::check(&snapshot);
    release::valid(loaded.count(Severity::Error))?;
    let date = request
        .date
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    let name = release::name(
        request.name.as_deref(),
        &config.register.tag_prefix,
        date,
        Repo::valid_tag_name,
        |name| repo.tag_exists(name),
    )?;
    // The ledger of the branch, whose tip HEAD is: the previous release,
    // and the changes since as the ledger knows them (a file broken at the
    // previous release keeps its last valid version there).
    let timeline = Timeline::build(project, None, &mut |_, _| {})?;
    let previous: Option<&Release> = timeline.releases.last();
    if previous.is_none() {
        timeline.require(|| "the previous release".to_owned())?;
    }
    let previous_rev = previous.map(Release::revision);
    let tree = repo.tree_id(&head, &at.dir)?.unwrap_or_default();
    if let (Some(prev), Some(prev_rev)) = (previous, &previous_rev)
        && !request.allow_empty
        && repo.tree_id(prev_rev, &at.dir)?.unwrap_or_default() == tree
    {
        return Err(refuse(
            format!(
                "nothing in {} changed since the previous release {} ({})",
                at.dir,
                prev.name,
                crate::commit::short(&prev_rev.commit)
            ),
            "use --allow-empty to release anyway".to_owned(),
        ));
    }
    // Never dated before what it releases, nor before the release before.
    let tip = timeline.commits.last().ok_or_else(|| Error::Refused {
        what: "the branch has no commits".to_owned(),
        hint: None,
    })?;
    let committed = time::OffsetDateTime::from_unix_timestamp(tip.commit_time)
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN);
    let previous_date = previous.and_then(|p| Some((p.name.as_str(), p.date()?)));
    release::dated(date, &head.commit, committed, previous_date)?;
    // The tag's own time: the time asked for, but never before the commit
    // or the previous release on that same day.
    let not_before = previous.map_or(tip.commit_time, |p| p.time.max(tip.commit_time));
    let tag_time = request.time.map(|t| t.max(not_before));
    let tip_index = timeline.commits.len() - 1;
    let mut replay = Replay::new(&timeline);
    let (before, after) = replay.span(previous.map(|p| p.index), tip_index);
    let events = compare::between_known(
        project,
        &repo,
        previous_rev.as_ref(),
        &head,
        &before,
        &after,
    )?;
    let policy = Policy::new(&config.notice, None)?;
    // The first release publishes the list: nothing in it is a change, so
    // nothing takes effect and no notice period binds it.
    let baseline = release::baseline(request.baseline, previous.map(|p| p.name.as_str()))?;
    let effective = (!baseline).then(|| policy.effective(date));
    if !baseline {
        release::on_time(loaded.register.vendors.values(), &events, &policy, date)?;
    }
    let plan = Plan {
        trailers: Trailers {
            release_date: Some(crate::dates::iso_date(date)),
            effective_date: effective.map(crate::dates::iso_date),
            register_tree: Some(tree),
            previous_release: Some(match (previous, &previous_rev) {
                (Some(p), Some(rev)) => format!("{} {}", p.name, rev.commit),
                _ => "none".to_owned(),
            }),
        },
        name,
        commit: head.commit.clone(),
        branch: branch.clone(),
        date,
        effective,
        terms: policy.describe(),
        events,
        note: request.message.clone(),
        previous: previous.map(|p| Previous {
            name: p.name.clone(),
            commit: hex(&p.commit),
            time: p.time,
            offset: p.offset,
        }),
    };
    let text = message(&plan);
    let made = Released::of(plan, text);
    if request.dry_run {
        return Ok(made);
    }
    if request.sign {
        repo.sign_tag(&made.name, &made.commit, &made.message, tag_time)?;
        return Ok(made);
    }
    let mut tagger = match (&request.tagger, tag_time) {
        (Some((name, email)), Some(time)) => Signature {
            name: name.clone(),
            email: email.clone(),
            time,
            offset: 0,
        },
        _ => repo.tagger(tag_time)?,
    };
    if tagger.time < not_before {
        tagger.time = not_before;
    }
    repo.create_tag(&made.name, &made.commit, &tagger, &made.message)?;
    Ok(made)
}
