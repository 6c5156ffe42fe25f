//! `subledger object`: record a customer's objection, or how it was closed.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::register;

/// Record a customer's objection to a vendor, or how it was resolved
///
/// With --received, writes objections/<customer>--<vendor>--<date>.toml: the
/// customer (a customer file's id), the vendor (a vendor id), the day the
/// objection was received, the release it objects to (default: the latest
/// release on or before that day that changed the vendor) and a note. `audit` lists it against that
/// customer's objection deadline and marks it late when it came after.
/// With --resolve, closes the customer's open objection to the vendor:
/// withdrawn, accommodated, terminated or rejected, on --date. Nothing is
/// overwritten without --force; commit the file, it is evidence.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger object clinic-nord postmark --received 2026-10-15 --note \"No US processing\"\n  subledger object clinic-nord postmark --resolve accommodated --date 2026-11-02"
)]
pub struct ObjectArgs {
    /// The customer (its file name under customers/, without .toml)
    #[arg(value_name = "CUSTOMER")]
    pub customer: String,

    /// The vendor objected to (its id)
    #[arg(value_name = "VENDOR")]
    pub vendor: String,

    /// The day the objection was received, YYYY-MM-DD
    #[arg(
        long,
        value_name = "DATE",
        required_unless_present = "resolve",
        conflicts_with = "resolve"
    )]
    pub received: Option<String>,

    /// The release objected to (default: the latest on or before the day received that changed VENDOR)
    #[arg(long, value_name = "RELEASE", requires = "received")]
    pub release: Option<String>,

    /// What the customer said, in a line
    #[arg(long, value_name = "TEXT", requires = "received")]
    pub note: Option<String>,

    /// Close the open objection: withdrawn, accommodated, terminated or rejected
    #[arg(long, value_name = "OUTCOME", requires = "date")]
    pub resolve: Option<String>,

    /// With --resolve, the day it was resolved, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,

    /// Replace an objection file that exists
    #[arg(long)]
    pub force: bool,
}

fn day(flag: &str, text: &str) -> Result<time::Date> {
    crate::dates::parse_iso_date(text).ok_or_else(|| Error::Usage {
        what: format!("{flag} {text}: not a date"),
        hint: Some("use YYYY-MM-DD".to_owned()),
    })
}

pub fn run(args: &ObjectArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let ledger = Ledger::open(ctx.repo.as_deref(), &mut |_, _| {})?;
    let snapshot = ledger.project.snapshot(None)?;
    let loaded = register::check(&snapshot);
    if !loaded.customers.iter().any(|c| c.id == args.customer) {
        return Err(Error::Usage {
            what: format!(
                "`{}` is not a customer: there is no valid customer file for it",
                args.customer
            ),
            hint: Some("run `subledger check`; customers are customers/<id>.toml".to_owned()),
        });
    }
    let dir = ledger
        .project
        .root
        .join(&snapshot.config.customers.objections);
    if let (Some(outcome), Some(date)) = (&args.resolve, &args.date) {
        let date = day("--date", date)?;
        let open = loaded
            .objections
            .iter()
            .filter(|o| o.customer == args.customer && o.vendor == args.vendor && o.is_open())
            .max_by_key(|o| o.received)
            .ok_or_else(|| Error::Usage {
                what: format!("{} has no open objection to {}", args.customer, args.vendor),
                hint: Some("record it first with --received DATE".to_owned()),
            })?;
        crate::objections::resolve(&dir, open, outcome, date)?;
        let day = crate::dates::iso_date(date);
        writeln!(ctx.out, "resolved {}: {outcome} on {day}", open.id).map_err(Error::Output)?;
        return Ok(Outcome::Clean);
    }
    let received = day("--received", args.received.as_deref().unwrap_or_default())?;
    let release = match &args.release {
        Some(r) => r.clone(),
        None => crate::objections::objected_release(&ledger.timeline, &args.vendor, received)?,
    };
    let note = args.note.as_deref();
    // Checked against what the release it objects to listed.
    let at = ledger.project.snapshot(Some(&release))?;
    for warning in
        crate::objections::admissible(&loaded, &at, Some(&release), &args.customer, &args.vendor)?
    {
        writeln!(ctx.err, "warning: {warning}").map_err(Error::Output)?;
    }
    let name = crate::objections::record(
        &dir,
        &args.customer,
        &args.vendor,
        received,
        Some(&release),
        note,
        args.force,
    )?;
    writeln!(
        ctx.out,
        "recorded {}/{name}: {} objects to {} ({}), received {}",
        snapshot.config.customers.objections,
        args.customer,
        args.vendor,
        release,
        crate::dates::iso_date(received)
    )
    .map_err(Error::Output)?;
    Ok(Outcome::Clean)
}
