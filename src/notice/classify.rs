//! Which changes need notice, and why: each change of a span classified
//! with a [`Reason`], the vendors needing notice dated by each set of terms.

use super::model::{Dates, Emergency, Info, Item, ItemKind, Listed, Notice, Reason};
use super::policy::Policy;
use crate::dates::iso_date;
use crate::ledger::Change;
use crate::ledger::span::Span;
use crate::page::Published;
use crate::register::config::{Config, Scope};
use crate::register::{Field, Value, Vendor};
use std::collections::{BTreeMap, BTreeSet};

fn scope(config: &Config, vendor: &Vendor) -> Scope {
    config
        .section(vendor.section())
        .map(|s| s.scope)
        .unwrap_or(Scope::Subprocessor)
}

fn text(vendor: &Vendor, field: Field) -> Option<String> {
    vendor.text(field).map(str::to_owned)
}

/// The notice for the changes `events` from register `from` to register
/// `to` (a vendor removed and added back in between, which no release
/// showed gone, is no change: only its differences are). A span
/// from nothing (no release before) is the baseline: the first publication
/// lists every vendor, and nothing in it is a change.
pub fn build(span: &Span<'_>, policies: &[Policy]) -> Notice {
    let config = &span.config.config;
    let baseline = span.from.is_none().then(|| {
        crate::page::in_page_order(config, span.newer().all())
            .into_iter()
            .map(|v| Listed {
                vendor: Published::of(v),
                section: section_title(config, &Some(Value::Text(v.section().to_owned()))),
                section_id: v.section().to_owned(),
                transparency: scope(config, v) == Scope::Transparency,
                in_service_since: v.date(Field::InServiceSince).map(iso_date),
            })
            .collect::<Vec<_>>()
    });
    if let Some(listed) = baseline {
        return Notice {
            baseline: Some(listed),
            ..notice(span, policies, Vec::new(), Vec::new())
        };
    }
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
        let section_id = vendor
            .map(|v| v.section().to_owned())
            .or_else(|| match &event.change {
                Change::Removed(v) => Some(v.section().to_owned()),
                _ => None,
            });
        let mut inform = |reason: Reason| {
            info.push(Info {
                id: id.clone(),
                name: name.clone(),
                section_id: section_id.clone(),
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
                    let names = replaced
                        .into_iter()
                        .map(|r| from.vendor(r).map_or(r.clone(), |v| v.name().to_owned()))
                        .collect();
                    needs(ItemKind::Replacement, Reason::Replaces(names));
                }
            }
            Change::Removed(_) => {
                // Replaced by the vendors added in this span that name it.
                let by = events
                    .iter()
                    .filter(|e| matches!(e.change, Change::Added(_)))
                    .filter_map(|e| to.vendor(&e.id))
                    .filter(|v| v.list(Field::Replaces).iter().any(|r| r == id))
                    .map(|v| v.name().to_owned())
                    .collect();
                inform(Reason::Removed { by })
            }
            Change::Renamed { from: old_id, .. } => inform(Reason::Renamed {
                from: old_id.clone(),
                to: id.clone(),
                old_name: from
                    .vendor(old_id)
                    .map(|v| v.name().to_owned())
                    .filter(|old| *old != name),
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
    // What customers must weigh first: new sub-processors, replacements,
    // moves, new data, then the rest; within each, in page order.
    let mut ranked = Vec::new();
    for (id, (kind, reasons)) in notice_changes {
        let Some(v) = to.vendor(&id) else {
            continue;
        };
        let rank = match kind {
            ItemKind::Added => 0,
            ItemKind::Replacement => 1,
            ItemKind::Changed
                if reasons
                    .iter()
                    .any(|r| matches!(r, Reason::Locations { .. })) =>
            {
                2
            }
            ItemKind::Changed if reasons.iter().any(|r| matches!(r, Reason::Data { .. })) => 3,
            ItemKind::Changed => 4,
        };
        let place = crate::page::page_place(config, v);
        ranked.push((
            (rank, place),
            item(v, kind, reasons, config, policies, release_date),
        ));
    }
    ranked.sort_by(|a, b| a.0.cmp(&b.0));
    let needs_notice = ranked.into_iter().map(|(_, item)| item).collect();
    notice(span, policies, needs_notice, info)
}

/// A notice of `span` with these changes.
fn notice(
    span: &Span<'_>,
    policies: &[Policy],
    needs_notice: Vec<Item>,
    info: Vec<Info>,
) -> Notice {
    let config = &span.config.config;
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
        why: None,
        contact: config.notice.contact.clone(),
        subscribe: config.notice.subscribe.clone(),
        greeting: config.notice.greeting.clone(),
        sender: config.notice.sender.clone(),
        remedy: config.notice.remedy.clone(),
        time_zone: config
            .notice
            .time_zone
            .as_ref()
            .map_or_else(|| "UTC".to_owned(), |z| z.get_ref().clone()),
        language: config.render.language,
        list_url: config.register.base_url(),
        notices_url: config.register.base_url().map(|b| format!("{b}notices/")),
        except: config.notice.except.clone(),
        baseline: None,
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
        section_id: v.section().to_owned(),
        replaces: v.list(Field::Replaces).to_vec(),
        starts: start.map(iso_date),
        reasons,
        emergency,
        dates,
    }
}
