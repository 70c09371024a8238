//! The one source of "now". `ONBOARD_NOW` overrides the system time, so that tests,
//! examples and what-if questions are reproducible. Nothing else reads the system time.

use anyhow::{Result, bail};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// The years an instant or date may fall in. Anything else is a typo, and keeping every
/// date here (with time limits of at most 100 years) means date arithmetic cannot overflow
/// and a stored instant always reads back.
pub(crate) const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

/// Refuses a date outside `YEARS`, saying so in the words of `what`.
pub(crate) fn check_year(date: NaiveDate, what: &str) -> Result<(), String> {
    match YEARS.contains(&date.year()) {
        true => Ok(()),
        false => {
            Err(format!("{what} is in the year {}, outside {}-{}", date.year(), YEARS.start(), YEARS.end()))
        }
    }
}

/// Refuses an instant that is not inside `YEARS` in every time zone (a day's margin at
/// each end), so that it reads back whatever calendar's zone it is written in.
pub(crate) fn check_instant(at: DateTime<FixedOffset>, what: &str) -> Result<(), String> {
    let utc = at.naive_utc().date();
    let edges = [utc.pred_opt(), utc.succ_opt()];
    match edges.iter().all(|d| d.is_some_and(|d| YEARS.contains(&d.year()))) {
        true => Ok(()),
        false => {
            Err(format!("{what} is too close to or outside the years {}-{}", YEARS.start(), YEARS.end()))
        }
    }
}

/// The environment variable that fixes the clock.
pub(crate) const NOW_VARIABLE: &str = "ONBOARD_NOW";

/// What time it is, as the user fixed it or as the system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    /// An exact instant.
    Fixed(DateTime<FixedOffset>),
    /// Midnight of this date in whatever calendar's zone asks.
    Date(NaiveDate),
}

impl Clock {
    /// Reads `ONBOARD_NOW` from `value` (RFC 3339, or YYYY-MM-DD), or the system clock.
    pub fn from_env_value(value: Option<&str>) -> Result<Clock> {
        match value.map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(Clock::System),
            Some(text) => Clock::parse(text, NOW_VARIABLE),
        }
    }

    /// Reads an instant as `ONBOARD_NOW` and `--at` take it: RFC 3339, or YYYY-MM-DD for
    /// midnight in the project calendar's zone. `name` says where it came from.
    pub fn parse(text: &str, name: &str) -> Result<Clock> {
        let text = text.trim();
        let what = format!("{name} `{text}`");
        if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
            check_instant(instant, &what).map_err(anyhow::Error::msg)?;
            return Ok(Clock::Fixed(instant));
        }
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            check_year(date, &what).map_err(anyhow::Error::msg)?;
            return Ok(Clock::Date(date));
        }
        bail!(
            "{name} is `{text}`, which is neither an RFC 3339 date-time (2026-03-02T09:30:00-03:00) nor a date (2026-03-02)"
        )
    }

    /// Now, expressed in `zone` with its offset at that instant.
    pub fn now_in(&self, zone: Tz) -> DateTime<FixedOffset> {
        let utc = match self {
            // Stored times are to the second; so is the clock.
            #[allow(clippy::disallowed_methods, reason = "the one read of the system's now")]
            Clock::System => Utc::now().with_nanosecond(0).expect("0 is a valid nanosecond"),
            Clock::Fixed(instant) => {
                instant.with_timezone(&Utc).with_nanosecond(0).expect("0 is a valid nanosecond")
            }
            Clock::Date(date) => return midnight(*date, zone),
        };
        let local = utc.with_timezone(&zone);
        local.with_timezone(&local.offset().fix())
    }
}

/// The system time as the disk stamps files with it, for the portfolio cache, which
/// compares it with modification times. It is never a project's now: `ONBOARD_NOW` does
/// not change it, since the files' times are real.
#[allow(clippy::disallowed_methods, reason = "the one read of the disk's now")]
pub(crate) fn disk_now() -> std::time::SystemTime {
    std::time::SystemTime::now()
}

/// The first instant of `date` in `zone` (a zone may skip midnight for daylight saving:
/// the first quarter hour that exists, which every zone has within the day).
pub(crate) fn midnight(date: NaiveDate, zone: Tz) -> DateTime<FixedOffset> {
    let start = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    (0..24 * 4)
        .map(|quarter| start + chrono::Duration::minutes(15 * quarter))
        .find_map(|time| zone.from_local_datetime(&time).earliest())
        .map(|local| local.with_timezone(&local.offset().fix()))
        // No zone skips a whole day at a quarter-hour grain; were one to, UTC's midnight.
        .unwrap_or_else(|| start.and_utc().fixed_offset())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_means_midnight_in_the_calendar_zone() {
        let clock = Clock::from_env_value(Some("2026-03-02")).unwrap();
        assert_eq!(clock.now_in(chrono_tz::America::Asuncion).to_rfc3339(), "2026-03-02T00:00:00-03:00");
        assert_eq!(clock.now_in(chrono_tz::Europe::Zurich).to_rfc3339(), "2026-03-02T00:00:00+01:00");
    }

    #[test]
    fn a_midnight_that_daylight_saving_skips_is_the_first_instant_of_the_day() {
        // Paraguay moved its clocks from 00:00 to 01:00 on 1 October 2023.
        let date = NaiveDate::from_ymd_opt(2023, 10, 1).unwrap();
        assert_eq!(midnight(date, chrono_tz::America::Asuncion).to_rfc3339(), "2023-10-01T01:00:00-03:00");
        let date = NaiveDate::from_ymd_opt(2023, 10, 2).unwrap();
        assert_eq!(midnight(date, chrono_tz::America::Asuncion).to_rfc3339(), "2023-10-02T00:00:00-03:00");
    }

    #[test]
    fn an_instant_is_shown_in_the_calendar_zone() {
        let clock = Clock::from_env_value(Some("2026-07-01T12:00:00Z")).unwrap();
        assert_eq!(clock.now_in(chrono_tz::Europe::Paris).to_rfc3339(), "2026-07-01T14:00:00+02:00");
    }

    #[test]
    fn rejects_anything_else_naming_the_variable() {
        let error = Clock::from_env_value(Some("tomorrow")).unwrap_err().to_string();
        assert!(error.starts_with("ONBOARD_NOW is `tomorrow`"), "{error}");
    }
}
