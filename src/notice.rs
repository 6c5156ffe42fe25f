//! Customer change notices: which changes between two releases need notice
//! (GDPR Art. 28(2): an addition or replacement, and what widens the
//! processing) and which are informational, with the dates each set of
//! notice terms gives.
//!
//! The result is one serialisable [`Notice`]: the JSON output as it is, and
//! the context of the templates that word it.

use crate::dates::iso_date;
use crate::error::Result;
use crate::history::Repo;
use crate::ledger::timeline::{Release, Replay, Vendors};
use crate::ledger::{Change, Event, compare};
use crate::page::Published;
use crate::policy::Policy;
use crate::project::Project;
use crate::register::config::{Config, Scope};
use crate::register::location;
use crate::register::{Field, Register, Revision, Value, Vendor};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One side of the notice: a release, or a draft.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// The release tag, `None` for a draft (HEAD, a commit or the work tree).
    pub release: Option<String>,
    /// The commit, `None` for the work tree.
    pub commit: Option<String>,
    /// The register dir's tree id at that commit.
    pub tree: Option<String>,
    /// The release date (for a draft: `--date` or SOURCE_DATE_EPOCH, if given).
    pub date: Option<String>,
}

/// The dates one set of notice terms gives a vendor.
#[derive(Clone, Debug, Serialize)]
pub struct Dates {
    /// The profile, `None` for the default `[notice]` terms.
    pub profile: Option<String>,
    /// "30 calendar days".
    pub terms: String,
    pub objection_days: u32,
    /// The first day processing may start (`None` without a release date).
    pub effective: Option<String>,
    /// The last day an objection is on time.
    pub objection_deadline: Option<String>,
}

/// A vendor engaged at once, with notice after the fact.
#[derive(Clone, Debug, Serialize)]
pub struct Emergency {
    pub reason: String,
    /// When processing started: its `effective` date, else the release date.
    pub engaged: Option<String>,
}

/// A vendor whose change needs notice.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    #[serde(flatten)]
    pub vendor: Published,
    /// "added", "replacement", "re-added" or "changed".
    pub kind: &'static str,
    /// The section's title.
    pub section: String,
    pub replaces: Vec<String>,
    /// The vendor's own `effective` date (planned first day of processing).
    pub starts: Option<String>,
    /// What changed, one sentence each ("Locations: United States → ...").
    pub changes: Vec<String>,
    pub emergency: Option<Emergency>,
    /// One entry per set of notice terms shown.
    pub dates: Vec<Dates>,
}

/// An informational change: one sentence.
#[derive(Clone, Debug, Serialize)]
pub struct Info {
    pub id: String,
    pub name: String,
    pub text: String,
}

/// A whole notice.
#[derive(Clone, Debug, Serialize)]
pub struct Notice {
    pub schema: &'static str,
    pub company: String,
    pub draft: bool,
    pub from: Option<Point>,
    pub to: Point,
    /// The sets of terms the dates are computed for: `default`, or profile names.
    pub profiles: Vec<String>,
    /// Where objections go.
    pub contact: Option<String>,
    pub subscribe: Option<String>,
    /// When notice may follow the change ("in cases of urgent operational need").
    pub except: Option<String>,
    pub needs_notice: Vec<Item>,
    pub informational: Vec<Info>,
    /// Files in the register dir at TO that cannot be loaded: named, so
    /// nothing is left out without a word.
    pub not_loaded: Vec<NotLoaded>,
}

/// A file of the register dir that cannot be loaded as it is.
#[derive(Clone, Debug, Serialize)]
pub struct NotLoaded {
    pub file: String,
    /// Why (the first error `check` reports).
    pub message: String,
    /// Whether the list shows its last valid version (the vendor stays
    /// listed as it last loaded) or leaves it out (it never loaded).
    pub last_valid: bool,
}

fn names(codes: &[String]) -> String {
    if codes.is_empty() {
        return "none".to_owned();
    }
    codes
        .iter()
        .map(|c| location::name(c).to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

fn quoted(items: &[String]) -> String {
    items.join("; ")
}

fn scope(config: &Config, vendor: &Vendor) -> Scope {
    config
        .section(vendor.section())
        .map(|s| s.scope)
        .unwrap_or(Scope::Subprocessor)
}

fn text(vendor: &Vendor, field: Field) -> Option<String> {
    vendor.text(field).map(str::to_owned)
}

/// The register at `rev` (`None`: the work tree): rebuilt from the ledger's
/// events when it is on the line at `index`, read from the files otherwise.
fn register_at(
    project: &Project,
    repo: &Repo,
    replay: &mut Replay<'_>,
    rev: Option<&Revision>,
    index: Option<usize>,
) -> Result<(Register, Vec<NotLoaded>)> {
    if let Some(index) = index {
        let register = replay.at(index).clone();
        let not_loaded = not_loaded_at(replay.timeline(), index, replay.broken(), &register);
        return Ok((register, not_loaded));
    }
    let snapshot = match rev {
        Some(rev) => project.snapshot_at(repo, rev.clone())?,
        None => project.snapshot(None)?,
    };
    let loaded = crate::register::check(&snapshot);
    let not_loaded = loaded
        .unloaded
        .iter()
        .map(|file| NotLoaded {
            file: file.clone(),
            message: loaded
                .findings
                .iter()
                .find(|f| &f.file == file && f.severity == crate::register::Severity::Error)
                .map_or_else(|| "cannot be loaded".to_owned(), |f| f.message.clone()),
            last_valid: false,
        })
        .collect();
    Ok((loaded.register, not_loaded))
}

/// The files the ledger cannot take at position `index`: each broken
/// entry, with the message of the event that broke it.
fn not_loaded_at<'b>(
    timeline: &crate::ledger::timeline::Timeline,
    index: usize,
    broken: impl IntoIterator<Item = &'b String>,
    register: &dyn Vendors,
) -> Vec<NotLoaded> {
    broken
        .into_iter()
        .map(|id| {
            let (file, message) = timeline.last_invalid(id, index).unwrap_or_else(|| {
                (
                    crate::ledger::ledger_path(&timeline.dir, id),
                    "cannot be loaded".to_owned(),
                )
            });
            NotLoaded {
                file,
                message,
                last_valid: register.vendor(id).is_some(),
            }
        })
        .collect()
}

/// One end of a notice: a revision, and the release it is, if it is one.
pub type End<'a> = (&'a Revision, Option<&'a Release>);

/// The notice between two points of `timeline`'s line: `from` (`None`: an
/// empty register) and `to` (`None`: the work tree, a draft). A `to` that
/// is not a release is a draft; `date` is its release date (for a release,
/// the release's own date is used).
/// Returns the notice and the changes themselves.
pub fn between(
    project: &Project,
    repo: &Repo,
    replay: &mut Replay<'_>,
    from: Option<End<'_>>,
    to: Option<End<'_>>,
    date: Option<time::Date>,
    policies: &[Policy],
) -> Result<(Notice, Vec<Event>)> {
    let timeline = replay.timeline();
    // Where an end is on the line: a release knows its position.
    let position = |(rev, release): End<'_>| -> Option<usize> {
        let id = crate::commit::parse_oid(&rev.commit)?;
        match release {
            Some(r) if r.commit == id => Some(r.index),
            _ => timeline.commits.iter().position(|c| c.id == id),
        }
    };
    let (from_index, to_index) = (from.and_then(position), to.and_then(position));
    let to_release = to.and_then(|(_, r)| r);
    if let (Some((from_rev, _)), Some((to_rev, _)), Some(f), Some(t)) =
        (from, to, from_index, to_index)
        && f > t
    {
        return Err(crate::Error::Usage {
            what: format!(
                "FROM ({}) comes after TO ({}) on the line: a notice goes from an older release to a newer one; swap them",
                from_rev.spec, to_rev.spec
            ),
        });
    }
    // Where a shallow clone cuts history, the changes are known only from a
    // FROM on the line it has: before that, releases and vendors that came
    // and went are out of sight.
    if let Some(oldest) = timeline.cut_at() {
        let needs = match from {
            None => Some(match to {
                Some((rev, _)) => format!("the release before {}", rev.spec),
                None => "the latest release".to_owned(),
            }),
            Some((rev, _)) if from_index.is_none() => Some(rev.spec.clone()),
            Some(_) => None,
        };
        if let Some(needs) = needs {
            return Err(crate::ledger::timeline::history_cut(oldest, needs));
        }
    }
    let date = to_release.and_then(Release::date).or(date);
    // The registers at both ends, and the changes between them: rebuilt
    // from the ledger's events when both ends are on the line (in order),
    // read from the files otherwise (the work tree, a commit off the line, a
    // shallow clone).
    let span = match (from, to, to_index) {
        (None, Some(_), Some(t)) => Some((None, t)),
        (Some(_), Some(_), Some(t)) => from_index.filter(|&f| f <= t).map(|f| (Some(f), t)),
        _ => None,
    };
    let (owned_old, owned_new);
    let spanned;
    let events;
    let not_loaded;
    let (old, new): (&dyn Vendors, &dyn Vendors) = match (span, to) {
        (Some((f, t)), Some((to_rev, _))) => {
            spanned = replay.span(f, t);
            let from_rev = from.map(|(r, _)| r);
            events =
                compare::between_known(project, repo, from_rev, to_rev, &spanned.0, &spanned.1)?;
            not_loaded = not_loaded_at(timeline, t, spanned.1.broken(), &spanned.1);
            (&spanned.0, &spanned.1)
        }
        _ => {
            events = compare::between(project, repo, from.map(|(r, _)| r), to.map(|(r, _)| r))?;
            owned_old = match from {
                Some((rev, _)) => register_at(project, repo, replay, Some(rev), from_index)?.0,
                None => Register::default(),
            };
            let (register, files) =
                register_at(project, repo, replay, to.map(|(r, _)| r), to_index)?;
            owned_new = register;
            not_loaded = files;
            (&owned_old, &owned_new)
        }
    };
    // A file broken where history is cut and still not loaded at FROM:
    // what it held before is below the cut, so a change to it is unknown.
    if let Some(oldest) = timeline.cut_at() {
        let upto = timeline
            .entries
            .partition_point(|e| from_index.is_some_and(|f| e.index <= f));
        for event in &events {
            let unknown = timeline
                .base
                .files
                .get(&event.id)
                .is_some_and(|f| f.cut.is_some())
                && !timeline.entries[..upto]
                    .iter()
                    .flat_map(|e| &e.events)
                    .any(|e| e.id == event.id && !matches!(e.change, Change::Invalid { .. }));
            if unknown {
                return Err(crate::ledger::timeline::history_cut(
                    oldest,
                    format!(
                        "the last version of {} that loaded",
                        crate::ledger::ledger_path(&timeline.dir, &event.id)
                    ),
                ));
            }
        }
    }
    // Vendors removed and added back between the two points.
    let low = from_index.map_or(0, |i| i + 1);
    let high = match to {
        Some(_) => to_index.unwrap_or(0),
        None => timeline.commits.len(),
    };
    let mut readded = BTreeSet::new();
    let first = timeline.entries.partition_point(|e| e.index < low);
    for entry in timeline.entries[first..]
        .iter()
        .take_while(|e| e.index <= high)
    {
        for event in &entry.events {
            if matches!(event.change, Change::Removed(_))
                && old.vendor(&event.id).is_some()
                && new.vendor(&event.id).is_some()
            {
                readded.insert(event.id.clone());
            }
        }
    }
    let config_rev = match to {
        Some((rev, _)) => rev.clone(),
        None => timeline.tip.clone(),
    };
    let config = project.config_at(repo, &config_rev)?;
    let point = |end: Option<End<'_>>, date: Option<time::Date>| -> Result<Point> {
        Ok(Point {
            release: end.and_then(|(_, r)| r).map(|r| r.name.clone()),
            commit: end.map(|(r, _)| r.commit.clone()),
            tree: match end {
                Some((r, _)) => repo.tree_id(r, &config.dir)?,
                None => None,
            },
            date: date.map(iso_date),
        })
    };
    let from_point = match from {
        Some(end) => Some(point(Some(end), end.1.and_then(Release::date))?),
        None => None,
    };
    let to_point = point(to, date)?;
    let mut notice = build(
        &config.config,
        from_point,
        to_point,
        to_release.is_none(),
        old,
        new,
        &events,
        &readded,
        policies,
        date,
    );
    notice.not_loaded = not_loaded;
    Ok((notice, events))
}

/// The notice for the changes `events` from register `from` to register
/// `to`; `readded` are vendors removed and added back in between.
#[allow(clippy::too_many_arguments)]
pub fn build(
    config: &Config,
    from_point: Option<Point>,
    to_point: Point,
    draft: bool,
    from: &dyn Vendors,
    to: &dyn Vendors,
    events: &[Event],
    readded: &BTreeSet<String>,
    policies: &[Policy],
    release_date: Option<time::Date>,
) -> Notice {
    let material: BTreeSet<&str> = config.notice.material.iter().map(String::as_str).collect();
    let removed: BTreeSet<&str> = events
        .iter()
        .filter(|e| matches!(e.change, Change::Removed(_)))
        .map(|e| e.id.as_str())
        .collect();
    let mut notice_changes: BTreeMap<String, (&'static str, Vec<String>)> = BTreeMap::new();
    let mut info: Vec<Info> = Vec::new();
    for id in readded {
        if let Some(v) = to.vendor(id)
            && scope(config, v) == Scope::Subprocessor
        {
            notice_changes
                .entry(id.clone())
                .or_insert(("re-added", Vec::new()))
                .1
                .push("Engaged again after it was removed".to_owned());
        }
    }
    // Previous ids to the vendors that list them, made at the first
    // relocation that needs it.
    let renamed_from: std::cell::OnceCell<BTreeMap<&str, &Vendor>> = std::cell::OnceCell::new();
    for event in events {
        let id = &event.id;
        let vendor = to.vendor(id);
        let name = vendor
            .map(|v| v.name().to_owned())
            .or_else(|| match &event.change {
                Change::Removed(v) => Some(v.name().to_owned()),
                _ => None,
            })
            .unwrap_or_else(|| id.clone());
        let transparency = vendor.is_some_and(|v| scope(config, v) == Scope::Transparency);
        let mut inform = |text: String| {
            info.push(Info {
                id: id.clone(),
                name: name.clone(),
                text,
            })
        };
        let mut needs = |kind: &'static str, text: String| {
            let entry = notice_changes
                .entry(id.clone())
                .or_insert((kind, Vec::new()));
            if entry.0 == "changed" && kind != "changed" {
                entry.0 = kind;
            }
            entry.1.push(text);
        };
        match &event.change {
            Change::Added(v) => {
                let replaced: Vec<&String> = v
                    .list(Field::Replaces)
                    .iter()
                    .filter(|r| removed.contains(r.as_str()))
                    .collect();
                if transparency {
                    inform(
                        "Listed for transparency (not a sub-processor of customer data)".to_owned(),
                    );
                } else if replaced.is_empty() {
                    needs("added", "New sub-processor".to_owned());
                } else {
                    let list: Vec<&str> = replaced.iter().map(|s| s.as_str()).collect();
                    needs("replacement", format!("Replaces {}", list.join(", ")));
                }
            }
            Change::Removed(_) => inform("Removed: no longer engaged".to_owned()),
            Change::Renamed { from, .. } => inform(format!("Now listed as `{id}` (was `{from}`)")),
            Change::Relocated { added, .. } => {
                // The first vendor, by id, that is this one or lists it
                // among its previous ids.
                let listing = renamed_from
                    .get_or_init(|| {
                        let mut first: BTreeMap<&str, &Vendor> = BTreeMap::new();
                        for v in from.all() {
                            for old in v.list(Field::PreviousIds) {
                                first.entry(old.as_str()).or_insert(v);
                            }
                        }
                        first
                    })
                    .get(id.as_str())
                    .copied();
                let before = match (from.vendor(id), listing) {
                    (Some(a), Some(b)) if b.id < a.id => Some(b),
                    (Some(a), _) => Some(a),
                    (None, b) => b,
                }
                .or_else(|| {
                    vendor.and_then(|v| {
                        v.list(Field::PreviousIds)
                            .iter()
                            .find_map(|old| from.vendor(old))
                    })
                })
                .map(|v| v.locations().to_vec())
                .unwrap_or_default();
                let after = vendor.map(|v| v.locations().to_vec()).unwrap_or_default();
                let sentence = format!("Locations: {} → {}", names(&before), names(&after));
                if !added.is_empty() && !transparency {
                    needs("changed", sentence);
                } else {
                    inform(sentence);
                }
            }
            Change::Changed { field, old, new } => {
                if field.internal() {
                    continue;
                }
                let list = |v: &Option<Value>| match v {
                    Some(Value::List(items)) => items.clone(),
                    _ => Vec::new(),
                };
                match field {
                    Field::DataCategories | Field::DataSubjects => {
                        let (a, b) = (list(old), list(new));
                        let added: Vec<String> =
                            b.iter().filter(|x| !a.contains(x)).cloned().collect();
                        let gone: Vec<String> =
                            a.iter().filter(|x| !b.contains(x)).cloned().collect();
                        let what = if *field == Field::DataCategories {
                            "Data categories"
                        } else {
                            "Data subjects"
                        };
                        let mut parts = Vec::new();
                        if !added.is_empty() {
                            parts.push(format!("added {}", quoted(&added)));
                        }
                        if !gone.is_empty() {
                            parts.push(format!("removed {}", quoted(&gone)));
                        }
                        let sentence = format!("{what}: {}", parts.join("; "));
                        if !added.is_empty() && !transparency {
                            needs("changed", sentence);
                        } else {
                            inform(sentence);
                        }
                    }
                    Field::Engagement => {
                        let was_optional = matches!(old, Some(Value::Text(t)) if t == "optional");
                        let now_core = !matches!(new, Some(Value::Text(t)) if t == "optional");
                        if was_optional && now_core && !transparency {
                            needs("changed", "Now core: engaged for every customer, not only when a feature is on".to_owned());
                        } else {
                            inform(format!(
                                "Engagement: {} → {}",
                                display(old, "core"),
                                display(new, "core")
                            ));
                        }
                    }
                    Field::LegalEntity if !transparency => needs(
                        "changed",
                        format!(
                            "Legal entity: {} → {}",
                            display(old, "none"),
                            display(new, "none")
                        ),
                    ),
                    Field::Section => {
                        let was = match old {
                            Some(Value::Text(s)) => config.section(s).map(|s| s.scope),
                            _ => None,
                        };
                        if was == Some(Scope::Transparency) && !transparency {
                            needs("added", "Now a sub-processor of customer data".to_owned());
                        } else {
                            inform(format!(
                                "Section: {} → {}",
                                section_title(config, old),
                                section_title(config, new)
                            ));
                        }
                    }
                    f if material.contains(f.key()) && !transparency => needs(
                        "changed",
                        format!(
                            "{}: {} → {}",
                            f.key(),
                            display(old, "none"),
                            display(new, "none")
                        ),
                    ),
                    f => inform(format!(
                        "{}: {} → {}",
                        f.key(),
                        display(old, "none"),
                        display(new, "none")
                    )),
                }
            }
            Change::Invalid { .. } | Change::Repaired | Change::RepairedAfterCut { .. } => {}
        }
    }
    let mut needs_notice = Vec::new();
    for (id, (kind, changes)) in notice_changes {
        let Some(v) = to.vendor(&id) else {
            continue;
        };
        needs_notice.push(item(v, kind, changes, config, policies, release_date));
    }
    Notice {
        schema: "subledger.notice/1",
        company: config.register.name.clone(),
        draft,
        from: from_point,
        to: to_point,
        profiles: policies
            .iter()
            .map(|p| p.profile.clone().unwrap_or_else(|| "default".to_owned()))
            .collect(),
        contact: config.notice.contact.clone(),
        subscribe: config.notice.subscribe.clone(),
        except: config.notice.except.clone(),
        needs_notice,
        informational: info,
        not_loaded: Vec::new(),
    }
}

fn display(value: &Option<Value>, absent: &str) -> String {
    value.as_ref().map_or(absent.to_owned(), Value::display)
}

fn section_title(config: &Config, value: &Option<Value>) -> String {
    match value {
        Some(Value::Text(id)) => config.section(id).map_or(id.clone(), |s| s.title.clone()),
        _ => "none".to_owned(),
    }
}

fn item(
    v: &Vendor,
    kind: &'static str,
    changes: Vec<String>,
    config: &Config,
    policies: &[Policy],
    release_date: Option<time::Date>,
) -> Item {
    let start = v.date(Field::Effective);
    let emergency = text(v, Field::Emergency).map(|reason| Emergency {
        reason,
        engaged: start.or(release_date).map(iso_date),
    });
    let dates = policies
        .iter()
        .map(|p| {
            let effective = release_date.map(|d| {
                let by_terms = p.effective(d);
                if emergency.is_some() {
                    start.unwrap_or(d)
                } else {
                    start.map_or(by_terms, |s| s.max(by_terms))
                }
            });
            Dates {
                profile: p.profile.clone(),
                terms: p.describe(),
                objection_days: p.objection_days,
                effective: effective.map(iso_date),
                objection_deadline: release_date.map(|d| iso_date(p.objection_deadline(d))),
            }
        })
        .collect();
    Item {
        vendor: Published::of(v),
        kind,
        section: config
            .section(v.section())
            .map_or(v.section().to_owned(), |s| s.title.clone()),
        replaces: v.list(Field::Replaces).to_vec(),
        starts: start.map(iso_date),
        changes,
        emergency,
        dates,
    }
}
