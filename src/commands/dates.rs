//! The dates the command line gives: `--date` (or `SOURCE_DATE_EPOCH`),
//! `--since` and `--until`.

use crate::ledger::query::Bound;

/// The date a command works for: `--date YYYY-MM-DD` (at noon UTC), else
/// `SOURCE_DATE_EPOCH`, else `None` (the clock is read only by the caller
/// that must). Returns the date and its time in seconds.
pub fn asked_date(date: Option<&str>) -> crate::Result<Option<(time::Date, i64)>> {
    use crate::Error;
    let plausible = |what: String, date: time::Date| match date.year() {
        1970..=9000 => Ok(date),
        _ => Err(Error::Usage {
            what: format!(
                "{what}: {} is no date a release can have",
                crate::dates::iso_date(date)
            ),
            hint: None,
        }),
    };
    if let Some(text) = date {
        let date = crate::dates::parse_iso_date(text).ok_or_else(|| Error::Usage {
            what: format!("--date {text}: not a date"),
            hint: Some("use YYYY-MM-DD".to_owned()),
        })?;
        let date = plausible(format!("--date {text}"), date)?;
        let time = date.midnight().assume_utc().unix_timestamp() + 12 * 3600;
        return Ok(Some((date, time)));
    }
    let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let seconds: i64 = epoch.trim().parse().map_err(|_| Error::Usage {
        what: format!("SOURCE_DATE_EPOCH={epoch}: not a number of seconds"),
        hint: None,
    })?;
    let dt = time::OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| Error::Usage {
        what: format!("SOURCE_DATE_EPOCH={epoch}: out of range"),
        hint: None,
    })?;
    plausible(format!("SOURCE_DATE_EPOCH={epoch}"), dt.date())?;
    Ok(Some((dt.date(), seconds)))
}

/// A `--since` or `--until` date (`flag` names it in the error);
/// `end_of_day` makes a bare date its last second.
pub fn date_bound(
    flag: &str,
    value: &Option<String>,
    end_of_day: bool,
) -> crate::Result<Option<Bound>> {
    match value {
        None => Ok(None),
        Some(text) => match crate::dates::parse_date(text, end_of_day) {
            Some(time) => Ok(Some(Bound {
                text: text.clone(),
                time,
            })),
            None => Err(crate::Error::Usage {
                what: format!("{flag} {text}: not a date"),
                hint: Some(
                    "use YYYY-MM-DD or an RFC 3339 time such as 2026-03-01T12:00:00Z".to_owned(),
                ),
            }),
        },
    }
}

/// `--since` and `--until` of a listing, each optional; `--since` after
/// `--until` is refused.
pub fn period(
    since: &Option<String>,
    until: &Option<String>,
) -> crate::Result<(Option<Bound>, Option<Bound>)> {
    let since = date_bound("--since", since, false)?;
    let until = date_bound("--until", until, true)?;
    if let (Some(s), Some(u)) = (&since, &until)
        && s.time > u.time
    {
        return Err(crate::Error::Usage {
            what: format!(
                "--since {} comes after --until {}: no change can be in that period",
                s.text, u.text
            ),
            hint: None,
        });
    }
    Ok((since, until))
}
