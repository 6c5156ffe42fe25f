//! Releases: an annotated tag that publishes a version of the list, made
//! only when the register is committed, valid and changed, and recording
//! what a notice needs to be checked later. The rules a release must meet
//! are here; `ledger::release` gathers what they are checked against and
//! writes the tag, and `render::release` words the tag message.

use crate::dates::iso_date;
use crate::error::{Error, Result};
use crate::ledger::Event;
use crate::ledger::trailers::Trailers;
use crate::notice::policy::Policy;
use crate::register::{Field, Vendor};

/// What to release.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The tag name; default: the tag prefix plus the date.
    pub name: Option<String>,
    pub date: Option<time::Date>,
    /// The tagger's time (seconds); default: now.
    pub time: Option<i64>,
    /// Who tags; default: git's user.name and user.email.
    pub tagger: Option<(String, String)>,
    pub message: Option<String>,
    pub dry_run: bool,
    pub allow_empty: bool,
    pub sign: bool,
    /// Asked to be the baseline (the first release is always one).
    pub baseline: bool,
}

/// The release before the one being made.
#[derive(Clone, Debug)]
pub struct Previous {
    pub name: String,
    pub commit: String,
    /// Its tag time and offset.
    pub time: i64,
    pub offset: i32,
}

/// A release that holds every rule, before its tag is written: what the
/// tag message says.
#[derive(Clone, Debug)]
pub struct Plan {
    pub name: String,
    pub commit: String,
    pub branch: String,
    pub date: time::Date,
    /// When changes that need notice take effect; `None` for the baseline,
    /// which changes nothing.
    pub effective: Option<time::Date>,
    /// The notice terms, in words ("30 calendar days").
    pub terms: String,
    /// The changes since the previous release.
    pub events: Vec<Event>,
    /// The user's note for the tag message.
    pub note: Option<String>,
    pub previous: Option<Previous>,
    /// The lines a program checks later.
    pub trailers: Trailers,
}

/// A release made (or, with `dry_run`, one that would be).
#[derive(Clone, Debug)]
pub struct Released {
    pub name: String,
    pub commit: String,
    pub branch: String,
    pub date: time::Date,
    pub effective: Option<time::Date>,
    pub events: Vec<Event>,
    pub message: String,
}

impl Released {
    pub fn of(plan: Plan, message: String) -> Released {
        Released {
            name: plan.name,
            commit: plan.commit,
            branch: plan.branch,
            date: plan.date,
            effective: plan.effective,
            events: plan.events,
            message,
        }
    }
}

/// A baseline is the first publication: once a release exists, what
/// changed since it needs notice, and no release can be a baseline again.
pub fn baseline(asked: bool, previous: Option<&str>) -> Result<bool> {
    match (asked, previous) {
        (_, None) => Ok(true),
        (false, Some(_)) => Ok(false),
        (true, Some(previous)) => Err(refuse(
            format!(
                "--baseline: {previous} was released before, so this release is not the first publication; what changed since it needs notice"
            ),
            "leave out --baseline; a baseline is only the first release of a register".to_owned(),
        )),
    }
}

/// Why a release is refused, and what to do.
pub fn refuse(what: String, hint: String) -> Error {
    Error::Refused {
        what,
        hint: Some(hint),
    }
}

/// "1 error", "3 errors".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The release's name: the one asked for (a valid tag name, not taken),
/// else the tag prefix and the date, numbered `.2`, `.3` ... when taken.
pub fn name(
    asked: Option<&str>,
    prefix: &str,
    date: time::Date,
    valid: impl Fn(&str) -> bool,
    taken: impl Fn(&str) -> bool,
) -> Result<String> {
    if let Some(name) = asked {
        if !valid(name) {
            return Err(Error::Usage {
                what: format!("`{name}` is not a valid tag name"),
                hint: None,
            });
        }
        if taken(name) {
            return Err(refuse(
                format!("tag `{name}` already exists"),
                format!(
                    "choose another name, or leave NAME out for {prefix}{}",
                    iso_date(date)
                ),
            ));
        }
        return Ok(name.to_owned());
    }
    let base = format!("{prefix}{}", iso_date(date));
    let mut name = base.clone();
    let mut n = 1;
    while taken(&name) {
        n += 1;
        name = format!("{base}.{n}");
    }
    Ok(name)
}

/// The tip must be committed: no change under the register dir or to
/// subledger.toml left in the work tree or the index.
pub fn committed(dirty: &[String]) -> Result<()> {
    if dirty.is_empty() {
        return Ok(());
    }
    Err(refuse(
        format!(
            "{} not committed: {}",
            count(dirty.len(), "change is", "changes are"),
            dirty.join(", ")
        ),
        "commit or stash them first, so the release holds what is in git".to_owned(),
    ))
}

/// The register at the tip must have no errors.
pub fn valid(errors: usize) -> Result<()> {
    if errors == 0 {
        return Ok(());
    }
    Err(refuse(
        format!(
            "`subledger check --rev HEAD` finds {} at the tip",
            count(errors, "error", "errors")
        ),
        "fix them first".to_owned(),
    ))
}

/// A release is never dated before the commit it releases (committed on
/// `committed`), nor before the release before it.
pub fn dated(
    date: time::Date,
    commit: &str,
    committed: time::Date,
    previous: Option<(&str, time::Date)>,
) -> Result<()> {
    if date < committed {
        return Err(refuse(
            format!(
                "a release dated {} would come before the commit it releases ({}, committed {}): a release cannot be backdated",
                iso_date(date),
                crate::commit::short(commit),
                iso_date(committed),
            ),
            format!("use --date {} or later", iso_date(committed)),
        ));
    }
    if let Some((name, prev_date)) = previous
        && date < prev_date
    {
        return Err(refuse(
            format!(
                "a release dated {} would come before the previous release {} ({})",
                iso_date(date),
                name,
                iso_date(prev_date),
            ),
            format!("use --date {} or later", iso_date(prev_date)),
        ));
    }
    Ok(())
}

/// Whether a vendor that starts processing on `starts` (its `effective`
/// date) is engaged before the notice period of a release on `released`
/// ends. Only a recorded emergency allows that. One rule, for release
/// (which refuses) and audit (which reports).
pub fn engaged_early(policy: &Policy, released: time::Date, starts: Option<time::Date>) -> bool {
    starts.is_some_and(|s| s < policy.effective(released))
}

/// No changed vendor may start before the notice period ends, unless it
/// records why it could not wait (`emergency`).
pub fn on_time<'v>(
    vendors: impl Iterator<Item = &'v Vendor>,
    events: &[Event],
    policy: &Policy,
    date: time::Date,
) -> Result<()> {
    let effective = policy.effective(date);
    let early: Vec<String> = vendors
        .filter(|v| events.iter().any(|e| e.id == v.id))
        .filter(|v| v.text(Field::Emergency).is_none())
        .filter_map(|v| {
            let start = v.date(Field::Effective)?;
            engaged_early(policy, date, Some(start))
                .then(|| format!("{} (effective {})", v.id, iso_date(start)))
        })
        .collect();
    if early.is_empty() {
        return Ok(());
    }
    Err(refuse(
        format!(
            "{} before the notice period ends on {} ({} after {}): {}",
            count(early.len(), "vendor starts", "vendors start"),
            iso_date(effective),
            policy.describe(),
            iso_date(date),
            early.join(", "),
        ),
        format!(
            "move `effective` to {} or later, or record why it cannot wait with emergency = \"reason\"",
            iso_date(effective)
        ),
    ))
}
