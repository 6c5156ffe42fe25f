//! Recording objections: writing a new objection file, and closing an
//! open one with its outcome (the file format is `register::objection`).

use crate::error::{Error, Result};
use crate::register::objection::{self, Objection};
use crate::register::{Loaded, Snapshot};
use std::path::Path;

/// Whether a new objection of `customer` to `vendor`, against the register
/// of the release it objects to (`at`), holds: refused when one is open
/// already or the vendor is not in that register; the warnings say what
/// an auditor would ask about (a vendor outside the customer's sections).
pub fn admissible(
    loaded: &Loaded,
    at: &Snapshot,
    release: Option<&str>,
    customer: &str,
    vendor: &str,
) -> Result<Vec<String>> {
    if let Some(open) = loaded
        .objections
        .iter()
        .find(|o| o.customer == customer && o.vendor == vendor && o.is_open())
    {
        return Err(Error::Refused {
            what: format!(
                "{customer} already has an open objection to {vendor}: {}",
                open.id
            ),
            hint: Some(format!(
                "close it first: subledger object {customer} {vendor} --resolve OUTCOME --date DATE"
            )),
        });
    }
    let listed = crate::register::check(at);
    let Some(v) = listed.register.vendors.get(vendor) else {
        return Err(Error::Usage {
            what: match release {
                Some(r) => format!("`{vendor}` is not a vendor in the register of {r}"),
                None => format!("`{vendor}` is not a vendor in the register"),
            },
            hint: Some(
                "give a vendor id as `subledger list` shows them, and --release the release that engaged it"
                    .to_owned(),
            ),
        });
    };
    let mut warnings = Vec::new();
    let scope = loaded.customers.iter().find(|c| c.id == customer);
    if let Some(sections) = scope.and_then(|c| c.sections.as_ref())
        && !sections.iter().any(|s| s == v.section())
    {
        warnings.push(format!(
            "{vendor} is in section {}, which {customer} is not told of (its sections: {}); recorded all the same",
            v.section(),
            sections.join(", ")
        ));
    }
    Ok(warnings)
}

/// The release an objection received on `received` is to, by default: the
/// latest one released on or before that day that changed `vendor` (an
/// objection answers a notice of a change). None such is refused: the
/// user names the release with --release.
pub fn objected_release(
    timeline: &crate::ledger::timeline::Timeline,
    vendor: &str,
    received: time::Date,
) -> Result<String> {
    let releases = &timeline.releases;
    let changed = |upto: usize, after: Option<usize>| {
        timeline
            .entries
            .iter()
            .filter(|e| e.index <= upto && after.is_none_or(|a| e.index > a))
            .flat_map(|e| &e.events)
            .any(|e| e.id == vendor)
    };
    let found = releases.iter().enumerate().rev().find(|(i, r)| {
        let previous = i.checked_sub(1).map(|p| releases[p].index);
        r.date().is_some_and(|d| d <= received) && changed(r.index, previous)
    });
    if let Some((_, r)) = found {
        return Ok(r.name.clone());
    }
    // Where a shallow clone cuts history, the release may be below the cut.
    timeline.require(|| format!("the release that changed `{vendor}`"))?;
    Err(Error::Usage {
        what: format!(
            "no release on or before {} changed `{vendor}`, so this objection answers no notice",
            crate::dates::iso_date(received)
        ),
        hint: Some(
            "check --received and the vendor id, or name the release it objects to with --release"
                .to_owned(),
        ),
    })
}

/// Writes the objection file of `customer` to `vendor`, received on
/// `received`, into `dir`; never over one that exists unless `force`.
/// Returns the file's name.
pub fn record(
    dir: &Path,
    customer: &str,
    vendor: &str,
    received: time::Date,
    release: Option<&str>,
    note: Option<&str>,
    force: bool,
) -> Result<String> {
    let name = objection::file_name(customer, vendor, received);
    let text = objection::file_text(customer, vendor, received, release, note);
    crate::files::write_new(&dir.join(&name), &text, force)?;
    Ok(name)
}

/// Closes `open` with `outcome` on `date`: its file keeps what it says and
/// gains a `[resolution]`.
pub fn resolve(dir: &Path, open: &Objection, outcome: &str, date: time::Date) -> Result<()> {
    if !objection::OUTCOMES.contains(&outcome) {
        return Err(Error::Usage {
            what: format!("--resolve {outcome}: not an outcome"),
            hint: Some(format!("use one of {}", objection::OUTCOMES.join(", "))),
        });
    }
    if date < open.received {
        return Err(Error::Usage {
            what: format!(
                "--date {}: before the objection was received ({})",
                crate::dates::iso_date(date),
                crate::dates::iso_date(open.received)
            ),
            hint: Some("an objection is resolved on or after the day it arrived".to_owned()),
        });
    }
    let path = dir.join(format!("{}.toml", open.id));
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    let text = objection::resolved(&text, outcome, date).ok_or_else(|| Error::Refused {
        what: format!("{} is not TOML", path.display()),
        hint: Some("run `subledger check`".to_owned()),
    })?;
    crate::files::write_new(&path, &text, true)
}
