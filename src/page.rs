//! The public page: the register at one point, grouped as companies publish
//! it, with every date derived from the ledger: "Last updated" is the date
//! of the release rendered, each vendor's "Added" date is the first release
//! that contained it, and "New" marks vendors added within `[render]
//! new_days` before that release. `[dpa]` never appears.

use crate::dates::iso_date;
use crate::ledger::Change;
use crate::ledger::timeline::Timeline;
use crate::register::config::{Config, Scope};
use crate::register::location::Place;
use crate::register::{Field, Register, Vendor};
use serde::Serialize;
use std::collections::BTreeMap;

/// What customers may read about a vendor: every published field, never
/// `[dpa]`. The page's rows and the notice's entries both carry it.
#[derive(Clone, Debug, Serialize)]
pub struct Published {
    pub id: String,
    pub name: String,
    pub legal_entity: Option<String>,
    pub legal_address: Option<String>,
    pub website: Option<String>,
    pub contact: Option<String>,
    /// The vendor's own list of sub-processors.
    pub subprocessor_list_url: Option<String>,
    pub purpose: String,
    pub data_categories: Vec<String>,
    pub data_subjects: Vec<String>,
    pub locations: Vec<Place>,
    pub location_note: Option<String>,
    pub transfer_mechanisms: Vec<String>,
    pub retention: Option<String>,
    pub notes: Option<String>,
    pub optional: bool,
    pub feature: Option<String>,
}

impl Published {
    pub fn of(v: &Vendor) -> Published {
        Published {
            id: v.id.clone(),
            name: v.name().to_owned(),
            legal_entity: text(v, Field::LegalEntity),
            legal_address: text(v, Field::LegalAddress),
            website: text(v, Field::Website),
            contact: text(v, Field::Contact),
            subprocessor_list_url: text(v, Field::SubprocessorListUrl),
            purpose: v.purpose().to_owned(),
            data_categories: v.list(Field::DataCategories).to_vec(),
            data_subjects: v.list(Field::DataSubjects).to_vec(),
            locations: v.locations().iter().map(|c| Place::of(c)).collect(),
            location_note: text(v, Field::LocationNote),
            transfer_mechanisms: v.list(Field::TransferMechanisms).to_vec(),
            retention: text(v, Field::Retention),
            notes: text(v, Field::Notes),
            optional: v.engagement() == crate::register::Engagement::Optional,
            feature: text(v, Field::Feature),
        }
    }
}

/// One row of a section's table.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    #[serde(flatten)]
    pub vendor: Published,
    /// The date of the first release that contained it (`None`: not
    /// released yet); for a vendor of the baseline (the first release), the
    /// day it entered service where it records one.
    pub added: Option<String>,
    /// `added` is the baseline's date: the vendor is listed since the first
    /// publication, not added by a change.
    pub listed_since: bool,
    /// That release's tag.
    pub added_release: Option<String>,
    /// Added by a release after the baseline, within `new_days` before the
    /// release rendered.
    pub new: bool,
}

/// One section with its table.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub intro: Option<String>,
    /// Listed for information only: not sub-processors of customer data.
    pub transparency: bool,
    /// Whether any row has a legal address (the column is shown only then).
    pub has_address: bool,
    /// Whether any row has notes (the column is shown only then).
    pub has_notes: bool,
    pub rows: Vec<Row>,
}

/// How customers follow and object to changes.
#[derive(Clone, Debug, Serialize)]
pub struct NoticeTerms {
    /// "30 calendar days".
    pub terms: String,
    pub contact: Option<String>,
    pub subscribe: Option<String>,
    pub except: Option<String>,
    /// What an objection does under the contract.
    pub remedy: Option<String>,
}

/// Where the page links to: the page itself, the feed and the notice
/// archive. Absolute from `[register] url`; `site` makes them relative.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Links {
    pub page: Option<String>,
    pub feed: Option<String>,
    pub notices: Option<String>,
}

impl Links {
    /// The links of a site published at `[register] url`, if one is set.
    pub fn of(config: &Config) -> Links {
        match config.register.base_url() {
            Some(base) => Links {
                page: Some(base.clone()),
                feed: Some(format!("{base}feed.xml")),
                notices: Some(format!("{base}notices/")),
            },
            None => Links::default(),
        }
    }

    /// The links inside a site, relative to a file `depth` directories below
    /// its root.
    pub fn relative(depth: usize) -> Links {
        let up = "../".repeat(depth);
        Links {
            page: Some(format!("{up}index.html")),
            feed: Some(format!("{up}feed.xml")),
            notices: Some(format!("{up}notices/index.html")),
        }
    }
}

/// The whole page.
#[derive(Clone, Debug, Serialize)]
pub struct Page {
    pub schema: &'static str,
    /// The language of its fixed texts: "en", "de" or "fr".
    pub language: &'static str,
    pub company: String,
    pub intro: Option<String>,
    /// `[register] url`: the page's public address.
    pub url: Option<String>,
    pub links: Links,
    /// The release rendered; `None` for a draft.
    pub release: Option<String>,
    /// Its date: "Last updated". `None` for a draft.
    pub last_updated: Option<String>,
    pub draft: bool,
    pub commit: String,
    pub new_days: u32,
    pub notice: NoticeTerms,
    pub sections: Vec<Section>,
}

fn text(vendor: &Vendor, field: Field) -> Option<String> {
    vendor.text(field).map(str::to_owned)
}

/// Where each vendor's current unbroken presence across releases began:
/// the position in `timeline.releases` of the first release of it. A
/// vendor's presence is only seen at releases, so a removal undone before
/// the next release is no gap; renames carry it over. `None` (unknown)
/// where a shallow clone cuts history before it could be seen: a vendor
/// present at the first release the clone has may have been in the ones
/// before. Vendors listed at `index` but in no release yet have no entry.
fn presence(timeline: &Timeline, index: usize) -> BTreeMap<String, Option<usize>> {
    use std::collections::BTreeSet;
    // Vendors with a valid version now, and those whose presence changed
    // since the last release.
    let mut present: BTreeSet<String> = timeline
        .base
        .files
        .iter()
        .filter(|(_, f)| f.valid.is_some())
        .map(|(id, _)| id.clone())
        .collect();
    let mut changed: BTreeSet<String> = present.clone();
    let mut runs: BTreeMap<String, Option<usize>> = BTreeMap::new();
    let mut entries = timeline.entries.iter().peekable();
    let mut seen_release = false;
    for (r, release) in timeline.releases.iter().enumerate() {
        if release.index > index {
            break;
        }
        while let Some(entry) = entries.next_if(|e| e.index <= release.index) {
            track(entry, &mut present, &mut changed, &mut runs);
        }
        if timeline.cut && !seen_release {
            // The first release this clone has: what it lists may have been
            // listed before, below the cut.
            runs = present.iter().map(|id| (id.clone(), None)).collect();
        } else {
            for id in std::mem::take(&mut changed) {
                if !present.contains(&id) {
                    runs.remove(&id);
                } else {
                    runs.entry(id).or_insert(Some(r));
                }
            }
        }
        changed.clear();
        seen_release = true;
    }
    // Renames after the last release carry the presence to the new id.
    while let Some(entry) = entries.next_if(|e| e.index <= index) {
        track(entry, &mut present, &mut changed, &mut runs);
    }
    if timeline.cut && !seen_release {
        // No release in sight: whatever is listed may have been released
        // before the cut.
        return present.into_iter().map(|id| (id, None)).collect();
    }
    runs
}

/// Follows one entry's events: which vendors are present, which changed
/// presence, and where a rename moves a presence.
fn track(
    entry: &crate::ledger::CommitEvents,
    present: &mut std::collections::BTreeSet<String>,
    changed: &mut std::collections::BTreeSet<String>,
    runs: &mut BTreeMap<String, Option<usize>>,
) {
    for event in &entry.events {
        match &event.change {
            Change::Added(_) => {
                present.insert(event.id.clone());
                changed.insert(event.id.clone());
            }
            Change::Removed(_) => {
                present.remove(&event.id);
                changed.insert(event.id.clone());
            }
            // Broken where history is cut, listed before it: since when is
            // unknown.
            Change::RepairedAfterCut { .. } => {
                present.insert(event.id.clone());
                runs.insert(event.id.clone(), None);
            }
            Change::Renamed { from, .. } => {
                present.remove(from);
                present.insert(event.id.clone());
                if let Some(run) = runs.remove(from) {
                    runs.insert(event.id.clone(), run);
                }
                changed.insert(from.clone());
                changed.insert(event.id.clone());
            }
            _ => {}
        }
    }
}

/// Vendors in the order the page lists them: by section as declared
/// (undeclared ones after, by id), within a section as its `order` names
/// them, then by name.
pub fn in_page_order<'v>(
    config: &Config,
    vendors: impl Iterator<Item = &'v Vendor>,
) -> Vec<&'v Vendor> {
    let mut vendors: Vec<&Vendor> = vendors.collect();
    vendors.sort_by_cached_key(|v| page_place(config, v));
    vendors
}

/// Where the page lists `v`: what [`in_page_order`] sorts by.
pub fn page_place(config: &Config, v: &Vendor) -> (usize, String, usize, String, String) {
    let section = config
        .sections
        .iter()
        .position(|s| s.id.get_ref() == v.section());
    let place = section.and_then(|i| config.sections[i].order.iter().position(|id| *id == v.id));
    (
        section.unwrap_or(usize::MAX),
        v.section().to_owned(),
        place.unwrap_or(usize::MAX),
        v.name().to_lowercase(),
        v.id.clone(),
    )
}

/// Builds the page for the commit at position `index` of `timeline`, whose
/// register is `register` (`work_tree`: the work tree's, a draft whatever
/// the commit). Where a shallow clone cuts history before a listed vendor's
/// "Added" date can be known, it refuses.
pub fn build(
    config: &Config,
    timeline: &Timeline,
    index: usize,
    register: &Register,
    work_tree: bool,
) -> crate::Result<Page> {
    // The release rendered: the last one on this very commit.
    let release = timeline
        .releases
        .iter()
        .rev()
        .find(|r| r.index == index)
        .filter(|_| !work_tree);
    let date = release.and_then(|r| r.date());
    let runs = presence(timeline, index);
    if let Some(oldest) = timeline.cut_at()
        && let Some(id) = register
            .vendors
            .keys()
            .find(|id| matches!(runs.get(*id), Some(None)))
    {
        return Err(crate::ledger::timeline::history_cut(
            oldest,
            format!("the first release that listed `{id}`"),
        ));
    }
    let new_days = config.render.new_days;
    let row = |v: &Vendor| {
        let first = runs.get(&v.id).copied().flatten();
        let release = first.map(|r| &timeline.releases[r]);
        let released = release.and_then(|r| r.date());
        // The baseline (the first release) publishes; only later releases add.
        let baseline = first == Some(0);
        let new = match (released, date) {
            (Some(a), Some(d)) => !baseline && a <= d && (d - a).whole_days() < i64::from(new_days),
            _ => false,
        };
        let in_service = v.date(Field::InServiceSince).filter(|_| baseline);
        Row {
            vendor: Published::of(v),
            added: in_service.or(released).map(iso_date),
            listed_since: baseline && in_service.is_none(),
            added_release: release.map(|r| r.name.clone()),
            new,
        }
    };
    let mut sections: Vec<Section> = config
        .sections
        .iter()
        .map(|s| Section {
            id: s.id.get_ref().clone(),
            title: s.title.clone(),
            intro: s.intro.clone(),
            transparency: s.scope == Scope::Transparency,
            has_address: false,
            has_notes: false,
            rows: Vec::new(),
        })
        .collect();
    for vendor in in_page_order(config, register.vendors.values()) {
        let index = match sections.iter().position(|s| s.id == vendor.section()) {
            Some(i) => i,
            None => {
                sections.push(Section {
                    id: vendor.section().to_owned(),
                    title: vendor.section().to_owned(),
                    intro: None,
                    transparency: false,
                    has_address: false,
                    has_notes: false,
                    rows: Vec::new(),
                });
                sections.len() - 1
            }
        };
        sections[index].rows.push(row(vendor));
    }
    sections.retain(|s| !s.rows.is_empty());
    for section in &mut sections {
        section.has_address = section
            .rows
            .iter()
            .any(|r| r.vendor.legal_address.is_some());
        section.has_notes = section.rows.iter().any(|r| r.vendor.notes.is_some());
    }
    let policy = crate::notice::policy::Policy::new(&config.notice, None).ok();
    Ok(Page {
        schema: "subledger.page/1",
        language: config.render.language.code(),
        company: config.register.name.clone(),
        intro: config.register.intro.clone(),
        url: config.register.base_url(),
        links: Links::of(config),
        release: release.map(|r| r.name.clone()),
        last_updated: date.map(iso_date),
        draft: release.is_none(),
        commit: crate::commit::hex(&timeline.commits[index].id),
        new_days,
        notice: NoticeTerms {
            terms: policy.map(|p| p.describe()).unwrap_or_default(),
            contact: config.notice.contact.clone(),
            subscribe: config.notice.subscribe.clone(),
            except: config.notice.except.clone(),
            remedy: config.notice.remedy.clone(),
        },
        sections,
    })
}

/// Which page is asked for.
#[derive(Clone, Debug)]
pub enum PageAt<'a> {
    /// The latest release: what customers were told (the default).
    Latest,
    /// A release, a revision (a draft unless it is a release), or a date:
    /// the page as published then.
    Rev(&'a str),
    /// The work tree: a draft of the next release.
    WorkTree,
}

/// A timeline the caller had, or one built for the page.
enum Held<'t> {
    Known(&'t Timeline),
    Built(Box<Timeline>),
}

impl std::ops::Deref for Held<'_> {
    type Target = Timeline;
    fn deref(&self) -> &Timeline {
        match self {
            Held::Known(t) => t,
            Held::Built(t) => t,
        }
    }
}

/// The page asked for, with the files of the register it could not load
/// (named, left out of the page). `known`: the branch's timeline, if the
/// caller has it (it is not read again).
pub fn asked(
    project: &crate::project::Project,
    repo: &crate::history::Repo,
    at: &PageAt<'_>,
    known: Option<&Timeline>,
) -> crate::Result<(Page, Vec<String>)> {
    use crate::commit::hex;
    use crate::ledger::timeline::{default_tip, resolve_point};
    // The branch's timeline, when the caller has it already (`known`).
    let rebuild = |tip: Option<&str>| -> crate::Result<Held<'_>> {
        match (tip, known) {
            (None, Some(timeline)) => Ok(Held::Known(timeline)),
            _ => Timeline::build(project, tip, &mut |_, _| {}).map(|t| Held::Built(Box::new(t))),
        }
    };
    let index_of = |timeline: &Held<'_>, commit: &str| {
        timeline
            .commits
            .iter()
            .rposition(|c| hex(&c.id) == commit)
            .unwrap_or(timeline.commits.len().saturating_sub(1))
    };
    let (timeline, index, revision) = match at {
        PageAt::Latest | PageAt::WorkTree => {
            let timeline = rebuild(None)?;
            let latest = timeline.releases.last().map(|r| (r.index, r.revision()));
            match (at, latest) {
                (PageAt::Latest, Some((index, rev))) => (timeline, index, Some(rev)),
                (PageAt::Latest, None) => {
                    timeline.require(|| "the latest release".to_owned())?;
                    return Err(crate::Error::Usage {
                        what: "there is no release yet, so there is no published page".to_owned(),
                        hint: Some("run `subledger release` to publish the first, or render a draft with --at HEAD or --work-tree".to_owned()),
                    });
                }
                _ => {
                    let index = timeline.commits.len().saturating_sub(1);
                    (timeline, index, None)
                }
            }
        }
        PageAt::Rev(spec) => {
            // A date asks for the page as it was published then: the last
            // release tagged by then (before any, the register then, as a
            // draft).
            let by_date = match crate::dates::parse_date(spec, true) {
                Some(time) => {
                    let timeline = rebuild(None)?;
                    let release = timeline.published_at(time).map(|r| (r.index, r.revision()));
                    release.map(|(index, rev)| (timeline, index, Some(rev)))
                }
                None => None,
            };
            match by_date {
                Some(found) => found,
                None => {
                    let rev = resolve_point(project, repo, spec)?;
                    let timeline = rebuild(Some(&rev.commit))?;
                    let index = index_of(&timeline, &rev.commit);
                    let at = timeline.tip.clone();
                    (timeline, index, Some(at))
                }
            }
        }
    };
    let snapshot = match revision {
        Some(rev) => project.snapshot_at(repo, rev)?,
        None => {
            // The work tree's register over the branch tip's history.
            let _ = default_tip(project, repo)?;
            project.snapshot(None)?
        }
    };
    let loaded = crate::register::check(&snapshot);
    // Every date on the page comes from a release at or before this commit.
    timeline.require_sound_upto(project, repo, index)?;
    let work_tree = matches!(at, PageAt::WorkTree);
    let page = build(
        &snapshot.config,
        &timeline,
        index,
        &loaded.register,
        work_tree,
    )?;
    Ok((page, loaded.unloaded))
}
