//! Customer change notices: which changes between two releases need notice
//! (GDPR Art. 28(2): an addition or replacement, and what widens the
//! processing) and which are informational, with the dates each set of
//! notice terms gives.
//!
//! The result is one serialisable [`Notice`]: the JSON output as it is, and
//! the context of the templates that word it.

use crate::commit::hex;
use crate::dates::iso_date;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::ledger::releases::Release;
use crate::ledger::replay::Replay;
use crate::ledger::span::{self, End, Span};
pub use crate::ledger::span::{NotLoaded, Point};
use crate::ledger::timeline::resolve_point;
use crate::ledger::{Change, Event};
use crate::notice::policy::Policy;
use crate::page::Published;
use crate::register::config::{Config, Scope};
use crate::register::{Field, Revision, Value, Vendor};
use serde::Serialize;

pub mod policy;
use std::collections::{BTreeMap, BTreeSet};

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
#[derive(Clone, Debug)]
pub struct Item {
    pub vendor: Published,
    pub kind: ItemKind,
    /// The section's title.
    pub section: String,
    pub replaces: Vec<String>,
    /// The vendor's own `effective` date (planned first day of processing).
    pub starts: Option<String>,
    /// Why it needs notice, change by change (worded in `render::notice`).
    pub reasons: Vec<Reason>,
    pub emergency: Option<Emergency>,
    /// One entry per set of notice terms shown.
    pub dates: Vec<Dates>,
}

/// An informational change.
#[derive(Clone, Debug)]
pub struct Info {
    pub id: String,
    pub name: String,
    pub reason: Reason,
}

/// What a vendor needing notice is to the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A new sub-processor.
    Added,
    /// A new one in place of one removed.
    Replacement,
    /// Engaged again after it was removed.
    ReAdded,
    /// An engaged one whose processing widens.
    Changed,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Added => "added",
            ItemKind::Replacement => "replacement",
            ItemKind::ReAdded => "re-added",
            ItemKind::Changed => "changed",
        }
    }
}

/// Why a change needs notice (GDPR Art. 28(2): an addition or replacement,
/// and what widens the processing), or why it is only informational. Each
/// is worded in `render::notice`.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// A new sub-processor (needs notice).
    New,
    /// A new one replacing these removed vendors (needs notice).
    Replaces(Vec<String>),
    /// Removed, and engaged again (needs notice).
    EngagedAgain,
    /// Listed for transparency until now; now a sub-processor of customer
    /// data (needs notice).
    NowSubprocessor,
    /// Optional until now, now engaged for every customer (needs notice).
    NowCore,
    /// Where it processes, by country code (needs notice when one was added).
    Locations {
        before: Vec<String>,
        after: Vec<String>,
    },
    /// Data categories or subjects added and removed (needs notice when
    /// one was added).
    Data {
        field: Field,
        added: Vec<String>,
        removed: Vec<String>,
    },
    /// A new legal entity (needs notice).
    LegalEntity {
        old: Option<Value>,
        new: Option<Value>,
    },
    /// Listed for transparency only (informational).
    Transparency,
    /// No longer engaged (informational).
    Removed,
    /// A new id for the same vendor (informational).
    Renamed { from: String, to: String },
    /// Engagement otherwise changed (informational).
    Engagement {
        old: Option<Value>,
        new: Option<Value>,
    },
    /// Moved between sections, by title (informational).
    Section { old: String, new: String },
    /// Any other field: needs notice when `[notice] material` lists it.
    Field {
        field: Field,
        old: Option<Value>,
        new: Option<Value>,
    },
}

/// A whole notice: what changed between two points, classified, with the
/// dates each set of notice terms gives. `render::notice` words it.
#[derive(Clone, Debug)]
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

fn scope(config: &Config, vendor: &Vendor) -> Scope {
    config
        .section(vendor.section())
        .map(|s| s.scope)
        .unwrap_or(Scope::Subprocessor)
}

fn text(vendor: &Vendor, field: Field) -> Option<String> {
    vendor.text(field).map(str::to_owned)
}

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
    let span = span::span(ledger, replay, from, to, date)?;
    let notice = build(&span, policies);
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
                    what: "there is no release yet: run `subledger release`, or give TO (for example HEAD) or --work-tree for a draft".to_owned(),
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
    let config = project.config_at(repo, &config_rev)?;
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

/// A release and the notice it gave, counted from the release before.
pub struct Announcement<'a> {
    pub release: &'a Release,
    pub notice: Notice,
    /// When its changes that need notice take effect.
    pub effective: Option<time::Date>,
}

/// The notice of every release on the line, oldest first, each from the
/// release before under the default notice terms: what the feed lists.
/// Every release and every change since the first commit is needed, and
/// every release must hold what it records.
pub fn every_release(ledger: &crate::ledger::Ledger) -> Result<Vec<Announcement<'_>>> {
    let (project, repo, timeline) = (&ledger.project, &ledger.repo, &ledger.timeline);
    timeline.require_whole()?;
    let policies = vec![Policy::new(&timeline.config.notice, None)?];
    let mut replay = Replay::new(timeline);
    let mut announced = Vec::new();
    for (i, release) in timeline.releases.iter().enumerate() {
        timeline.require_sound(project, repo, i, true)?;
        let to = release.revision();
        let previous = i.checked_sub(1).map(|p| &timeline.releases[p]);
        let from = previous.map(Release::revision);
        let (notice, _) = between(
            ledger,
            &mut replay,
            from.as_ref().map(|r| (r, previous)),
            Some((&to, Some(release))),
            None,
            &policies,
        )?;
        announced.push(Announcement {
            release,
            notice,
            effective: release.date().map(|d| policies[0].effective(d)),
        });
    }
    Ok(announced)
}

/// The notice for the changes `events` from register `from` to register
/// `to`; `readded` are vendors removed and added back in between.
pub fn build(span: &Span<'_>, policies: &[Policy]) -> Notice {
    let config = &span.config.config;
    let (from, to, events) = (span.older(), span.newer(), &span.events);
    let release_date = span.date;
    let material: BTreeSet<&str> = config.notice.material.iter().map(String::as_str).collect();
    let removed: BTreeSet<&str> = events
        .iter()
        .filter(|e| matches!(e.change, Change::Removed(_)))
        .map(|e| e.id.as_str())
        .collect();
    let mut notice_changes: BTreeMap<String, (ItemKind, Vec<Reason>)> = BTreeMap::new();
    let mut info: Vec<Info> = Vec::new();
    for id in &span.readded {
        if let Some(v) = to.vendor(id)
            && scope(config, v) == Scope::Subprocessor
        {
            notice_changes
                .entry(id.clone())
                .or_insert((ItemKind::ReAdded, Vec::new()))
                .1
                .push(Reason::EngagedAgain);
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
        let mut inform = |reason: Reason| {
            info.push(Info {
                id: id.clone(),
                name: name.clone(),
                reason,
            })
        };
        let mut needs = |kind: ItemKind, reason: Reason| {
            let entry = notice_changes
                .entry(id.clone())
                .or_insert((kind, Vec::new()));
            if entry.0 == ItemKind::Changed && kind != ItemKind::Changed {
                entry.0 = kind;
            }
            entry.1.push(reason);
        };
        match &event.change {
            Change::Added(v) => {
                let replaced: Vec<&String> = v
                    .list(Field::Replaces)
                    .iter()
                    .filter(|r| removed.contains(r.as_str()))
                    .collect();
                if transparency {
                    inform(Reason::Transparency);
                } else if replaced.is_empty() {
                    needs(ItemKind::Added, Reason::New);
                } else {
                    let list = replaced.into_iter().cloned().collect();
                    needs(ItemKind::Replacement, Reason::Replaces(list));
                }
            }
            Change::Removed(_) => inform(Reason::Removed),
            Change::Renamed { from, .. } => inform(Reason::Renamed {
                from: from.clone(),
                to: id.clone(),
            }),
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
                let reason = Reason::Locations { before, after };
                if !added.is_empty() && !transparency {
                    needs(ItemKind::Changed, reason);
                } else {
                    inform(reason);
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
                        let widens = !added.is_empty() && !transparency;
                        let reason = Reason::Data {
                            field: *field,
                            added,
                            removed: gone,
                        };
                        if widens {
                            needs(ItemKind::Changed, reason);
                        } else {
                            inform(reason);
                        }
                    }
                    Field::Engagement => {
                        let was_optional = matches!(old, Some(Value::Text(t)) if t == "optional");
                        let now_core = !matches!(new, Some(Value::Text(t)) if t == "optional");
                        if was_optional && now_core && !transparency {
                            needs(ItemKind::Changed, Reason::NowCore);
                        } else {
                            inform(Reason::Engagement {
                                old: old.clone(),
                                new: new.clone(),
                            });
                        }
                    }
                    Field::LegalEntity if !transparency => needs(
                        ItemKind::Changed,
                        Reason::LegalEntity {
                            old: old.clone(),
                            new: new.clone(),
                        },
                    ),
                    Field::Section => {
                        let was = match old {
                            Some(Value::Text(s)) => config.section(s).map(|s| s.scope),
                            _ => None,
                        };
                        if was == Some(Scope::Transparency) && !transparency {
                            needs(ItemKind::Added, Reason::NowSubprocessor);
                        } else {
                            inform(Reason::Section {
                                old: section_title(config, old),
                                new: section_title(config, new),
                            });
                        }
                    }
                    f => {
                        let reason = Reason::Field {
                            field: *f,
                            old: old.clone(),
                            new: new.clone(),
                        };
                        if material.contains(f.key()) && !transparency {
                            needs(ItemKind::Changed, reason);
                        } else {
                            inform(reason);
                        }
                    }
                }
            }
            Change::Invalid { .. } | Change::Repaired | Change::RepairedAfterCut { .. } => {}
        }
    }
    let mut needs_notice = Vec::new();
    for (id, (kind, reasons)) in notice_changes {
        let Some(v) = to.vendor(&id) else {
            continue;
        };
        needs_notice.push(item(v, kind, reasons, config, policies, release_date));
    }
    Notice {
        schema: "subledger.notice/1",
        company: config.register.name.clone(),
        draft: span.draft,
        from: span.from.clone(),
        to: span.to.clone(),
        profiles: policies
            .iter()
            .map(|p| p.profile.clone().unwrap_or_else(|| "default".to_owned()))
            .collect(),
        contact: config.notice.contact.clone(),
        subscribe: config.notice.subscribe.clone(),
        except: config.notice.except.clone(),
        needs_notice,
        informational: info,
        not_loaded: span.not_loaded.clone(),
    }
}

fn section_title(config: &Config, value: &Option<Value>) -> String {
    match value {
        Some(Value::Text(id)) => config.section(id).map_or(id.clone(), |s| s.title.clone()),
        _ => "none".to_owned(),
    }
}

fn item(
    v: &Vendor,
    kind: ItemKind,
    reasons: Vec<Reason>,
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
        reasons,
        emergency,
        dates,
    }
}
