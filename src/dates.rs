//! Dates and times as subledger reads and writes them: calendar dates as
//! `YYYY-MM-DD`, times as RFC 3339 in the offset they were made in, date
//! bounds for `--since`, `--until` and `--at`. Nothing here reads the clock.

/// A date as `YYYY-MM-DD`.
pub fn iso_date(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Parses `YYYY-MM-DD`.
pub fn parse_iso_date(text: &str) -> Option<time::Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i32 = text[..4].parse().ok()?;
    let month: u8 = text[5..7].parse().ok()?;
    let day: u8 = text[8..].parse().ok()?;
    time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// Parses a date bound: `YYYY-MM-DD` (the end of that day in UTC when
/// `end_of_day`, else its start), or `YYYY-MM-DDTHH:MM[:SS]` with `Z` or an
/// offset such as `+02:00`. Returns seconds since the epoch.
pub fn parse_date(text: &str, end_of_day: bool) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    let text = text.trim();
    if let Ok(dt) = time::OffsetDateTime::parse(text, &Rfc3339) {
        return Some(dt.unix_timestamp());
    }
    // Without seconds: 2026-03-01T12:00Z / +02:00.
    if text.len() > 16
        && text.as_bytes().get(10) == Some(&b'T')
        && text.as_bytes().get(13) == Some(&b':')
    {
        let (head, tail) = text.split_at(16);
        if let Ok(dt) = time::OffsetDateTime::parse(&format!("{head}:00{tail}"), &Rfc3339) {
            return Some(dt.unix_timestamp());
        }
    }
    let date = parse_iso_date(text)?;
    let day = date.midnight().assume_utc().unix_timestamp();
    Some(if end_of_day { day + 86_399 } else { day })
}

/// A time as RFC 3339 in the given offset (minutes).
pub fn format_time(time: i64, offset: i32) -> String {
    let (dt, offset) = at_offset(time, offset);
    let sign = if offset < 0 { '-' } else { '+' };
    let off = offset.unsigned_abs();
    format!(
        "{}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        iso_date(dt.date()),
        dt.hour(),
        dt.minute(),
        dt.second(),
        off / 60,
        off % 60
    )
}

/// The calendar date of a time in the given offset.
pub fn format_date(time: i64, offset: i32) -> String {
    iso_date(at_offset(time, offset).0.date())
}

fn at_offset(time: i64, offset: i32) -> (time::OffsetDateTime, i32) {
    let utc =
        time::OffsetDateTime::from_unix_timestamp(time).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    match time::UtcOffset::from_whole_seconds(offset * 60) {
        Ok(o) => (utc.to_offset(o), offset),
        Err(_) => (utc, 0),
    }
}

/// Whether `text` is written like a date (digits, `-`, then two digits,
/// `-`, two digits, and maybe a time), whether or not it is one.
pub fn looks_like_date(text: &str) -> bool {
    let date = text.split('T').next().unwrap_or_default();
    let parts: Vec<&str> = date.split('-').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[0].len() >= 4
        && parts[1].len() == 2
        && parts[2].len() == 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_bounds() {
        assert_eq!(parse_date("2026-03-01", true), Some(1_772_409_599));
        assert_eq!(parse_date("2026-03-01", false), Some(1_772_323_200));
        assert_eq!(
            parse_date("2026-03-01T12:00:00Z", true),
            Some(1_772_366_400)
        );
        assert_eq!(
            parse_date("2026-03-01T14:00+02:00", true),
            Some(1_772_366_400)
        );
        assert_eq!(parse_date("main", true), None);
        assert_eq!(parse_date("2026-02-30", true), None);
    }

    #[test]
    fn times_keep_their_offset() {
        assert_eq!(format_time(1_772_366_400, 90), "2026-03-01T13:30:00+01:30");
        assert_eq!(
            format_time(1_772_366_400, -300),
            "2026-03-01T07:00:00-05:00"
        );
        assert_eq!(format_date(1_772_409_599, 60), "2026-03-02");
    }
}
