//! Notice terms and the date arithmetic they imply.
//!
//! The counting rule: the release date is **day 0**. With `days = N`, the
//! **effective date** (the first day the new processing may start) is day N;
//! with `objection_days = M`, the **objection deadline** (the last day an
//! objection is on time) is day M. In calendar days, day N is the release
//! date plus N days. In business days, day N is the N-th business day after
//! the release date, counting Monday to Friday and skipping `holidays`;
//! day 0 is the release date whatever day it is.

use crate::error::{Error, Result};
use crate::register::config::{DayUnit, NoticeConfig};
use std::collections::BTreeSet;
use time::{Date, Duration, Weekday};

/// One set of notice terms: `[notice]`, or a profile on top of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The profile name, `None` for the default terms.
    pub profile: Option<String>,
    pub days: u32,
    pub unit: DayUnit,
    pub objection_days: u32,
    pub holidays: BTreeSet<Date>,
}

impl Policy {
    /// The default terms of `[notice]`, or those of a named profile.
    pub fn new(notice: &NoticeConfig, profile: Option<&str>) -> Result<Policy> {
        let mut holidays: BTreeSet<Date> = notice.holidays.iter().map(|d| d.0).collect();
        let Some(name) = profile else {
            return Policy {
                profile: None,
                days: notice.days,
                unit: notice.unit,
                objection_days: notice.objection_days.unwrap_or(notice.days),
                holidays,
            }
            .checked();
        };
        let Some(p) = notice.profiles.get(name) else {
            return Err(Error::UnknownProfile {
                profile: name.to_owned(),
                declared: notice.profiles.keys().cloned().collect(),
            });
        };
        holidays.extend(p.holidays.iter().map(|d| d.0));
        let days = p.days.unwrap_or(notice.days);
        Policy {
            profile: Some(name.to_owned()),
            days,
            unit: p.unit.unwrap_or(notice.unit),
            objection_days: p.objection_days.or(notice.objection_days).unwrap_or(days),
            holidays,
        }
        .checked()
    }

    /// The policy, unless a period is longer than any contract means
    /// (`check` reports the line): its dates would be past what an audit
    /// can check, or past the calendar's end.
    fn checked(self) -> Result<Policy> {
        let table = match &self.profile {
            Some(name) => format!("[notice.profile.{name}]"),
            None => "[notice]".to_owned(),
        };
        for (key, days) in [("days", self.days), ("objection_days", self.objection_days)] {
            if days > self.unit.max_days() {
                return Err(Error::ConfigInvalid {
                    location: crate::register::config::FILE_NAME.to_owned(),
                    message: format!(
                        "{table} {key} = {days}: a notice period of more than ten years ({} {} days) is not a term any contract means",
                        self.unit.max_days(),
                        self.unit.as_str()
                    ),
                    hint: Some("`subledger check` shows the line".to_owned()),
                });
            }
        }
        Ok(self)
    }

    /// Every policy: the default terms, then each profile by name.
    pub fn all(notice: &NoticeConfig) -> Result<Vec<Policy>> {
        let mut all = vec![Policy::new(notice, None)?];
        for name in notice.profiles.keys() {
            all.push(Policy::new(notice, Some(name))?);
        }
        Ok(all)
    }

    /// Whether `date` is a business day: Monday to Friday, not a holiday.
    pub fn is_business_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !self.holidays.contains(&date)
    }

    /// Day `n` counted from `start` (day 0) in this policy's unit.
    pub fn day(&self, start: Date, n: u32) -> Date {
        match self.unit {
            DayUnit::Calendar => start
                .checked_add(Duration::days(i64::from(n)))
                .unwrap_or(Date::MAX),
            DayUnit::Business => {
                let mut date = start;
                let mut left = n;
                while left > 0 {
                    match date.next_day() {
                        Some(next) => date = next,
                        None => return Date::MAX,
                    }
                    if self.is_business_day(date) {
                        left -= 1;
                    }
                }
                date
            }
        }
    }

    /// The first day processing may start after a release on `release`.
    pub fn effective(&self, release: Date) -> Date {
        self.day(release, self.days)
    }

    /// The last day an objection to a release on `release` is on time.
    pub fn objection_deadline(&self, release: Date) -> Date {
        self.day(release, self.objection_days)
    }

    /// "30 calendar days" / "10 business days".
    pub fn describe(&self) -> String {
        format!(
            "{} {} {}",
            self.days,
            self.unit.as_str(),
            if self.days == 1 { "day" } else { "days" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::config::Config;

    fn date(text: &str) -> Date {
        crate::dates::parse_iso_date(text).unwrap()
    }

    fn policy(toml: &str, profile: Option<&str>) -> Policy {
        let config = Config::parse(
            &format!("[register]\nname = \"A\"\n{toml}"),
            "subledger.toml",
        )
        .unwrap();
        Policy::new(&config.notice, profile).unwrap()
    }

    #[test]
    fn calendar_days_cross_month_and_year_ends() {
        let p = policy("[notice]\ndays = 30\n", None);
        assert_eq!(p.effective(date("2026-01-31")), date("2026-03-02"));
        assert_eq!(p.effective(date("2026-12-15")), date("2027-01-14"));
        // 2028 is a leap year.
        assert_eq!(p.effective(date("2028-02-01")), date("2028-03-02"));
        assert_eq!(p.objection_deadline(date("2026-01-31")), date("2026-03-02"));
        assert_eq!(p.day(date("2026-05-21"), 0), date("2026-05-21"));
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        let p = policy("[notice]\ndays = 10\nunit = \"business\"\n", None);
        // Thursday 2026-05-21: Fri 22, Mon 25 .. Fri 29 (6), Mon 1 .. Thu 4 June (10).
        assert_eq!(p.effective(date("2026-05-21")), date("2026-06-04"));
        // Released on a Saturday: the first business day is Monday.
        assert_eq!(p.day(date("2026-05-23"), 1), date("2026-05-25"));
        let h = policy(
            "[notice]\ndays = 3\nunit = \"business\"\nholidays = [2026-12-25, 2027-01-01]\n",
            None,
        );
        // Wed 23 Dec: Thu 24 (1), [Fri 25 holiday], Mon 28 (2), Tue 29 (3).
        assert_eq!(h.effective(date("2026-12-23")), date("2026-12-29"));
        // Wed 30 Dec: Thu 31 (1), [Fri 1 Jan holiday], Mon 4 (2), Tue 5 (3).
        assert_eq!(h.effective(date("2026-12-30")), date("2027-01-05"));
    }

    #[test]
    fn profiles_inherit_and_override() {
        let toml = "[notice]\ndays = 30\nobjection_days = 14\nholidays = [2026-12-25]\n[notice.profile.enterprise]\ndays = 60\nunit = \"business\"\nholidays = [2026-12-24]\n";
        let base = policy(toml, None);
        assert_eq!((base.days, base.objection_days), (30, 14));
        let p = policy(toml, Some("enterprise"));
        assert_eq!(p.days, 60);
        assert_eq!(p.unit, DayUnit::Business);
        assert_eq!(p.objection_days, 14, "taken from [notice]");
        assert_eq!(p.holidays.len(), 2);
        let config = Config::parse(
            &format!("[register]\nname = \"A\"\n{toml}"),
            "subledger.toml",
        )
        .unwrap();
        assert!(Policy::new(&config.notice, Some("nope")).is_err());
        assert_eq!(Policy::all(&config.notice).unwrap().len(), 2);
    }
}
