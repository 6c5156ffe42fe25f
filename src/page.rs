//! The public page: the register at one point, grouped as companies publish
//! it, with every date derived from the ledger: "Last updated" is the date
//! of the release rendered, each vendor's "Added" date is the first release
//! that contained it, and "New" marks vendors added within `[render]
//! new_days` before that release. `[dpa]` never appears.

use crate::config::{Config, Scope};
use crate::ledger::Change;
use crate::ledger::timeline::Timeline;
use crate::register::location::Place;
use crate::register::{Field, Register, Vendor, iso_date};
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
    /// The date of the first release that contained it (`None`: not released yet).
    pub added: Option<String>,
    /// That release's tag.
    pub added_release: Option<String>,
    /// Added within `new_days` before the release rendered.
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
pub struct Notice {
    /// "30 calendar days".
    pub terms: String,
    pub contact: Option<String>,
    pub subscribe: Option<String>,
    pub except: Option<String>,
}

/// The whole page.
#[derive(Clone, Debug, Serialize)]
pub struct Page {
    pub schema: &'static str,
    pub company: String,
    pub intro: Option<String>,
    /// The release rendered; `None` for a draft.
    pub release: Option<String>,
    /// Its date: "Last updated". `None` for a draft.
    pub last_updated: Option<String>,
    pub draft: bool,
    pub commit: String,
    pub new_days: u32,
    pub notice: Notice,
    pub sections: Vec<Section>,
}

fn text(vendor: &Vendor, field: Field) -> Option<String> {
    vendor.text(field).map(str::to_owned)
}

/// Builds the page for the commit at position `index` of `timeline`, whose
/// register is `register`.
pub fn build(config: &Config, timeline: &Timeline, index: usize, register: &Register) -> Page {
    // The release rendered: the last one on this very commit.
    let release = timeline.releases.iter().rev().find(|r| r.index == index);
    let date = release.and_then(|r| r.date());
    // Where each vendor now listed was (last) added; renames keep the date.
    let mut added_at: BTreeMap<String, usize> = BTreeMap::new();
    for entry in timeline.entries.iter().filter(|e| e.index <= index) {
        for event in &entry.events {
            match &event.change {
                Change::Added(_) => {
                    added_at.insert(event.id.clone(), entry.index);
                }
                Change::Renamed { from, .. } => {
                    let at = added_at.remove(from).unwrap_or(entry.index);
                    added_at.insert(event.id.clone(), at);
                }
                Change::Removed(_) => {
                    added_at.remove(&event.id);
                }
                _ => {}
            }
        }
    }
    let new_days = config.render.new_days;
    let row = |v: &Vendor| {
        let first = added_at
            .get(&v.id)
            .and_then(|&at| timeline.release_for(at))
            .filter(|r| r.index <= index);
        let added = first.and_then(|r| r.date());
        let new = match (added, date) {
            (Some(a), Some(d)) => a <= d && (d - a).whole_days() < i64::from(new_days),
            _ => false,
        };
        Row {
            vendor: Published::of(v),
            added: added.map(iso_date),
            added_release: first.map(|r| r.name.clone()),
            new,
        }
    };
    let mut vendors: Vec<&Vendor> = register.vendors.values().collect();
    vendors.sort_by_cached_key(|v| (v.name().to_lowercase(), v.id.clone()));
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
    for vendor in vendors {
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
    let policy = crate::policy::Policy::new(&config.notice, None).ok();
    Page {
        schema: "subledger.page/1",
        company: config.register.name.clone(),
        intro: config.register.intro.clone(),
        release: release.map(|r| r.name.clone()),
        last_updated: date.map(iso_date),
        draft: release.is_none(),
        commit: crate::history::hex(&timeline.commits[index].id),
        new_days,
        notice: Notice {
            terms: policy.map(|p| p.describe()).unwrap_or_default(),
            contact: config.notice.contact.clone(),
            subscribe: config.notice.subscribe.clone(),
            except: config.notice.except.clone(),
        },
        sections,
    }
}
