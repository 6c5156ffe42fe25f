//! What a notice holds: the vendors whose change needs notice, with why
//! and the dates each set of terms gives, and the informational changes.

use crate::ledger::span::{NotLoaded, Point};
use crate::page::Published;
use crate::register::{Field, Value};
use serde::Serialize;

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
    /// The section's id.
    pub section_id: String,
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
    /// The section of the vendor it is about (as it is now, or was when removed).
    pub section_id: Option<String>,
    pub reason: Reason,
}

/// A vendor a baseline publishes.
#[derive(Clone, Debug)]
pub struct Listed {
    pub vendor: Published,
    /// The section's title.
    pub section: String,
    /// The section's id.
    pub section_id: String,
    /// Listed for transparency only: not a sub-processor of customer data.
    pub transparency: bool,
    /// The day it entered service, where the register records it.
    pub in_service_since: Option<String>,
}

/// What a vendor needing notice is to the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A new sub-processor.
    Added,
    /// A new one in place of one removed.
    Replacement,
    /// An engaged one whose processing widens.
    Changed,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Added => "added",
            ItemKind::Replacement => "replacement",
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
    /// A new one replacing these removed vendors, by name (needs notice).
    Replaces(Vec<String>),
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
    /// No longer engaged (informational); `by`: the names of the vendors
    /// added in its place.
    Removed { by: Vec<String> },
    /// A new id for the same vendor (informational); `old_name` is its
    /// name before, where it differs.
    Renamed {
        from: String,
        to: String,
        old_name: Option<String>,
    },
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
    /// Why the release was made, in the releaser's words (its tag note).
    pub why: Option<String>,
    /// Where objections go.
    pub contact: Option<String>,
    pub subscribe: Option<String>,
    /// `[notice]` texts: the opening line, who signs, what an objection does.
    pub greeting: Option<String>,
    pub sender: Option<String>,
    pub remedy: Option<String>,
    /// The zone the objection deadline's day ends in: "UTC".
    pub time_zone: String,
    /// The language it is written in (`[render] language`).
    pub language: crate::register::config::Language,
    /// The published list and the archive of past notices (from
    /// `[register] url`; `site` makes them relative).
    pub list_url: Option<String>,
    pub notices_url: Option<String>,
    /// When notice may follow the change ("in cases of urgent operational need").
    pub except: Option<String>,
    /// `Some` when this is the register's first publication (its
    /// baseline): every vendor it lists, in page order. A baseline is no
    /// change: nothing in it needs notice and nothing takes effect.
    pub baseline: Option<Vec<Listed>>,
    pub needs_notice: Vec<Item>,
    pub informational: Vec<Info>,
    /// Files in the register dir at TO that cannot be loaded: named, so
    /// nothing is left out without a word.
    pub not_loaded: Vec<NotLoaded>,
}
