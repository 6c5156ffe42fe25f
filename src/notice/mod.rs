//! Customer change notices: which changes between two releases need notice
//! (GDPR Art. 28(2): an addition or replacement, and what widens the
//! processing) and which are informational, with the dates each set of
//! notice terms gives.
//!
//! The result is one serialisable [`Notice`]: the JSON output as it is, and
//! the context of the templates that word it.

mod classify;
mod ends;
mod model;
pub mod policy;
mod scope;

pub use crate::ledger::span::{NotLoaded, Point};
pub use classify::build;
pub use ends::{
    Announcement, Asked, Made, asked, between, each_release, every_release, of_release,
};
pub use model::{Dates, Emergency, Info, Item, ItemKind, Listed, Notice, Reason};
pub use scope::within;
