//! What `subledger send` says: the subject of a notice e-mail, one line per
//! address (sent, delivered before, refused, not reached, or what a dry run
//! would send), and the summary.

use super::findings::plural;
use super::shown;
use crate::delivery::{Attempt, Letter, Summary};
use std::io::{self, Write};

/// One line of a dry run: who would receive what.
pub fn would(out: &mut dyn Write, letter: &Letter, delivered: Option<&str>) -> io::Result<()> {
    let profile = letter.profile.as_deref().unwrap_or("default");
    if letter.is_empty() {
        return nothing(out, letter);
    }
    match delivered {
        Some(at) => writeln!(
            out,
            "delivered  {}  {}  (accepted {}; not sent again)",
            shown(&letter.customer),
            shown(&letter.address),
            shown(at)
        ),
        None => writeln!(
            out,
            "would send  {}  {}  profile {}  {}  effective {}",
            shown(&letter.customer),
            shown(&letter.address),
            shown(profile),
            plural(letter.changes(), "change", "changes"),
            letter.effective().unwrap_or("-")
        ),
    }
}

/// One line per attempt.
pub fn attempt(out: &mut dyn Write, attempt: &Attempt<'_>) -> io::Result<()> {
    match attempt {
        Attempt::Sent { letter, record } => {
            writeln!(
                out,
                "sent       {}  {}  {}  {}",
                shown(&letter.customer),
                shown(&letter.address),
                shown(&record.at),
                shown(&record.reply)
            )?;
            // Told on or after the day its changes took effect: no notice.
            match letter.effective() {
                Some(effective) if record.at.get(..10).is_some_and(|day| day >= effective) => {
                    writeln!(
                        out,
                        "           late: its changes took effect on {effective}, so {} had no notice before them",
                        shown(&letter.customer)
                    )
                }
                _ => Ok(()),
            }
        }
        Attempt::Delivered { letter, record } => writeln!(
            out,
            "delivered  {}  {}  (accepted {}; not sent again: --resend {} sends it again)",
            shown(&letter.customer),
            shown(&letter.address),
            shown(&record.at),
            shown(&letter.address)
        ),
        Attempt::FailedBefore { letter, record } => writeln!(
            out,
            "refused    {}  {}  (on {}: {}; --retry tries again)",
            shown(&letter.customer),
            shown(&letter.address),
            shown(&record.at),
            shown(&record.reply)
        ),
        Attempt::Failed { letter, record } => writeln!(
            out,
            "REFUSED    {}  {}  {}",
            shown(&letter.customer),
            shown(&letter.address),
            shown(&record.reply)
        ),
        Attempt::Nothing { letter } => nothing(out, letter),
        Attempt::Unreachable { letter, reason } => writeln!(
            out,
            "NOT SENT   {}  {}  {}",
            shown(&letter.customer),
            shown(&letter.address),
            shown(reason)
        ),
    }
}

fn nothing(out: &mut dyn Write, letter: &Letter) -> io::Result<()> {
    writeln!(
        out,
        "nothing    {}  {}  (no change in its sections: not sent)",
        shown(&letter.customer),
        shown(&letter.address)
    )
}

/// The last line.
pub fn summary(
    out: &mut dyn Write,
    release: &str,
    summary: &Summary,
    record: &str,
) -> io::Result<()> {
    // Nothing written and nothing there before: there is no record file.
    let recorded = if summary.sent + summary.failed + summary.delivered_before == 0 {
        "nothing recorded".to_owned()
    } else {
        format!("recorded in {record}")
    };
    writeln!(
        out,
        "{}: {} sent, {} delivered before, {} refused, {} not reached; {recorded}",
        shown(release),
        summary.sent,
        summary.delivered_before,
        summary.failed,
        summary.unreachable
    )
}

/// Warnings on stderr: a customer objects to a vendor this release engages.
pub fn objected(
    err: &mut dyn Write,
    objections: &[crate::register::objection::Objection],
    engaged: &[&str],
) -> io::Result<()> {
    for o in crate::register::objection::open_against(objections, engaged) {
        writeln!(
            err,
            "subledger: warning: {} has an open objection to {} (received {}), and this release engages it",
            shown(&o.customer),
            shown(&o.vendor),
            crate::dates::iso_date(o.received)
        )?;
    }
    Ok(())
}
