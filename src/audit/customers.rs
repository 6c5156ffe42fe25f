//! The customers' side of the audit: each delivery with its days of
//! notice, who was never told, every objection against its deadline, and
//! the numbers an auditor reads first.

use super::Policy;
use crate::dates::iso_date;
use crate::ledger::timeline::Timeline;
use crate::notice;
use crate::register;
use serde::Serialize;

/// An objection, against the customer's deadline.
#[derive(Serialize)]
pub struct ObjectionLine {
    pub customer: String,
    pub vendor: String,
    pub release: Option<String>,
    pub received: String,
    /// The customer's last day to object to that release, under its terms.
    pub deadline: Option<String>,
    /// Received after the deadline.
    pub late: bool,
    /// `open`, or how it was resolved and when.
    pub outcome: String,
    pub note: Option<String>,
}

/// A customer's address that was never told of a release.
#[derive(Serialize)]
pub struct NotTold {
    pub customer: String,
    pub address: String,
}

/// One attempt to tell a customer of a release, from its delivery record.
#[derive(Serialize)]
pub struct Told {
    pub customer: String,
    pub address: String,
    pub accepted: bool,
    /// When the server answered.
    pub at: String,
    pub reply: String,
    pub message_id: String,
    pub sha256: String,
    /// The terms its dates were under: `default` or a profile.
    pub profile: String,
    /// When the release's changes take effect for this customer.
    pub effective: Option<String>,
    /// Days from the accepted delivery to that date.
    pub days_of_notice: Option<i64>,
    /// Delivered after the release date: the customer had less notice
    /// than its terms give.
    pub late: bool,
    pub resend: bool,
    /// The vendors this release engages that started (on their own start
    /// date, else the effective date) before this customer's notice period,
    /// counted from this delivery, ended: it had less time to object.
    pub engaged_early: Vec<String>,
}

/// Customers told of the releases in the period, in numbers.
#[derive(Serialize)]
pub struct CustomerSummary {
    pub customers: usize,
    pub releases: usize,
    /// Accepted deliveries made on or before the release date.
    pub on_time: usize,
    /// Accepted deliveries made after it.
    pub late: usize,
    /// Customer addresses a release concerned that were never told (a
    /// baseline, which needs no notice, is not counted).
    pub never: usize,
    pub open_objections: usize,
}

/// The delivery attempts recorded for `release`, each with its days of
/// notice under the customer's terms.
pub(super) fn told(
    records: Vec<crate::delivery::Record>,
    date: Option<time::Date>,
    notice: &notice::Notice,
    customers: &[register::customer::Customer],
    config: &register::config::Config,
) -> Vec<Told> {
    let changes = notice.baseline.is_none();
    // Each customer's sections, by id (a release can have a record for
    // every one of a thousand customers).
    let scopes: std::collections::HashMap<&str, Option<&Vec<String>>> = customers
        .iter()
        .map(|c| (c.id.as_str(), c.sections.as_ref()))
        .collect();
    records
        .into_iter()
        .map(|r| {
            let policy = Policy::new(&config.notice, r.profile.as_deref()).ok();
            let effective = date
                .filter(|_| changes)
                .and_then(|d| policy.as_ref().map(|p| p.effective(d)));
            let delivered = r.at.get(..10).and_then(crate::dates::parse_iso_date);
            let days_of_notice = match (effective, delivered) {
                (Some(e), Some(d)) if r.accepted => Some((e - d).whole_days()),
                _ => None,
            };
            let late = r.accepted
                && matches!((delivered, date), (Some(d), Some(released)) if d > released);
            // The customer's own period, from the day it was told.
            let scope = scopes.get(r.customer.as_str()).copied().flatten();
            let engaged_early = match (&policy, delivered, effective) {
                (Some(policy), Some(told_on), Some(effective)) if r.accepted && changes => {
                    let ends = policy.effective(told_on);
                    notice
                        .needs_notice
                        .iter()
                        .filter(|i| scope.is_none_or(|s| s.contains(&i.section_id)))
                        .filter(|i| {
                            let starts = i.starts.as_deref().and_then(crate::dates::parse_iso_date);
                            starts.unwrap_or(effective) < ends
                        })
                        .map(|i| i.vendor.id.clone())
                        .collect()
                }
                _ => Vec::new(),
            };
            Told {
                late,
                profile: r.profile.unwrap_or_else(|| "default".to_owned()),
                effective: effective.map(iso_date),
                days_of_notice,
                customer: r.customer,
                address: r.address,
                accepted: r.accepted,
                at: r.at,
                reply: r.reply,
                message_id: r.message_id,
                sha256: r.sha256,
                resend: r.resend,
                engaged_early,
            }
        })
        .collect()
}

/// The customers that a release concerns (a change in their sections) with
/// an address that has no accepted delivery of it; and those of them whose
/// files were not in the repository at the release's commit (`present`:
/// the ids that were), told of nothing: not yet customers, by the ledger.
pub(super) fn not_told(
    records: &[crate::delivery::Record],
    notice: &notice::Notice,
    customers: &[register::customer::Customer],
    present: &std::collections::HashSet<String>,
) -> (Vec<NotTold>, Vec<String>) {
    let mut later = Vec::new();
    if customers.is_empty() {
        return (Vec::new(), later);
    }
    let told: std::collections::HashSet<(&str, String)> = records
        .iter()
        .filter(|r| r.accepted)
        .map(|r| (r.customer.as_str(), r.address.to_lowercase()))
        .collect();
    // The customers with any record of it, told or not.
    let recorded: std::collections::HashSet<&str> =
        records.iter().map(|r| r.customer.as_str()).collect();
    // The sections the release changes anything in.
    let mut changed: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    changed.extend(notice.needs_notice.iter().map(|i| i.section_id.as_str()));
    changed.extend(
        notice
            .informational
            .iter()
            .filter_map(|i| i.section_id.as_deref()),
    );
    changed.extend(
        notice
            .baseline
            .iter()
            .flatten()
            .map(|l| l.section_id.as_str()),
    );
    let unsectioned = notice.informational.iter().any(|i| i.section_id.is_none());
    let mut out = Vec::new();
    for c in customers {
        let concerned = match &c.sections {
            None => !changed.is_empty() || unsectioned,
            Some(mine) => unsectioned || mine.iter().any(|s| changed.contains(s.as_str())),
        };
        if !concerned {
            continue;
        }
        if !recorded.contains(c.id.as_str()) && !present.contains(&c.id) {
            later.push(c.id.clone());
            continue;
        }
        for address in &c.emails {
            if !told.contains(&(c.id.as_str(), address.to_lowercase())) {
                out.push(NotTold {
                    customer: c.id.clone(),
                    address: address.clone(),
                });
            }
        }
    }
    (out, later)
}

/// Every objection, with the deadline of the release it objects to under
/// the customer's terms.
pub(super) fn objection_lines(
    timeline: &Timeline,
    now: &register::Loaded,
    config: &register::config::Config,
) -> Vec<ObjectionLine> {
    let mut lines: Vec<ObjectionLine> = now
        .objections
        .iter()
        .map(|o| {
            let profile = now
                .customers
                .iter()
                .find(|c| c.id == o.customer)
                .and_then(|c| c.profile.clone());
            let released = o
                .release
                .as_deref()
                .and_then(|name| timeline.releases.iter().find(|r| r.name == name))
                .and_then(|r| r.date());
            let deadline = released.and_then(|d| {
                Policy::new(&config.notice, profile.as_deref())
                    .ok()
                    .map(|p| p.objection_deadline(d))
            });
            ObjectionLine {
                customer: o.customer.clone(),
                vendor: o.vendor.clone(),
                release: o.release.clone(),
                received: iso_date(o.received),
                deadline: deadline.map(iso_date),
                late: deadline.is_some_and(|d| o.received > d),
                outcome: match &o.resolution {
                    Some((outcome, date)) => format!("{outcome} on {}", iso_date(*date)),
                    None => "open".to_owned(),
                },
                note: o.note.clone(),
            }
        })
        .collect();
    lines.sort_by(|a, b| (&a.received, &a.customer).cmp(&(&b.received, &b.customer)));
    lines
}
