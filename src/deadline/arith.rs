//! Calendar arithmetic: business days, business hours, service windows, calendar months.
//! Only `Calendar` decides what a business day is; this module counts with it.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;

use crate::calendar::{Calendar, Closed};

/// The Nth business day strictly after `date` (the anchor's date is day 0).
pub fn add_business_days(calendar: &Calendar, date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day = day.succ_opt().expect("date in range");
        if calendar.is_business_day(day) {
            left -= 1;
        }
    }
    day
}

/// The Nth business day strictly before `date`.
pub fn sub_business_days(calendar: &Calendar, date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day = day.pred_opt().expect("date in range");
        if calendar.is_business_day(day) {
            left -= 1;
        }
    }
    day
}

/// `date` if it is a business day, else the business day before it ("no later than").
pub fn roll_back(calendar: &Calendar, date: NaiveDate) -> NaiveDate {
    let mut day = date;
    while !calendar.is_business_day(day) {
        day = day.pred_opt().expect("date in range");
    }
    day
}

/// `date` if it is a business day, else the business day after it.
pub fn roll_forward(calendar: &Calendar, date: NaiveDate) -> NaiveDate {
    let mut day = date;
    while !calendar.is_business_day(day) {
        day = day.succ_opt().expect("date in range");
    }
    day
}

/// How many business days lie in `(from, to]`; negative when `to` is before `from`.
pub fn business_days_between(calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> i64 {
    if to < from {
        return -business_days_between(calendar, to, from);
    }
    from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| calendar.is_business_day(*d)).count() as i64
}

/// Every closed day in `[from, to]`, with the reason, for `explain`.
pub fn closed_days(calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, Closed)> {
    from.iter_days().take_while(|d| *d <= to).filter_map(|d| calendar.closed(d).map(|why| (d, why))).collect()
}

/// `date` plus `n` calendar months, clamped to the month's last day (Dec 31 + 2 months = Feb 28).
pub fn add_months(date: NaiveDate, n: u32) -> NaiveDate {
    date.checked_add_months(Months::new(n)).expect("date in range")
}

/// When work may be counted: business hours, every hour Monday–Saturday, or always.
#[derive(Debug, Clone, Copy)]
pub enum Window<'a> {
    Business(&'a Calendar),
    /// `6x24`: every hour of Monday to Saturday.
    SixDays,
    /// `7x24`: every hour.
    Always,
}

impl Window<'_> {
    /// The part of `date` that counts, as local times; `None` for a day that does not count.
    fn open_on(&self, date: NaiveDate) -> Option<(NaiveTime, Option<NaiveTime>)> {
        match self {
            Window::Business(calendar) if calendar.is_business_day(date) => {
                Some((calendar.hours.0, Some(calendar.hours.1)))
            }
            Window::Business(_) => None,
            Window::SixDays if date.weekday() == Weekday::Sun => None,
            Window::SixDays | Window::Always => Some((NaiveTime::MIN, None)),
        }
    }
}

/// The local instant of `date` at `time` in `zone`; a time skipped by daylight saving
/// moves to the first instant after the gap.
pub fn local(zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Tz> {
    let mut naive = date.and_time(time);
    loop {
        if let Some(found) = zone.from_local_datetime(&naive).earliest() {
            return found;
        }
        naive += Duration::minutes(1);
    }
}

fn day_end(zone: Tz, date: NaiveDate, close: Option<NaiveTime>) -> DateTime<Tz> {
    match close {
        Some(time) => local(zone, date, time),
        None => local(zone, date.succ_opt().expect("date in range"), NaiveTime::MIN),
    }
}

/// The earliest instant at which `minutes` of `window` time have elapsed since `start`.
/// The clock starts at `start`, or at the next opening; ending exactly at closing gives
/// the closing time, not the next morning.
pub fn add_window_minutes(zone: Tz, start: DateTime<Tz>, minutes: i64, window: Window<'_>) -> DateTime<Tz> {
    if let Window::Always = window {
        return start + Duration::minutes(minutes);
    }
    let mut now = start;
    let mut left = Duration::minutes(minutes);
    loop {
        let date = now.date_naive();
        let next_day = local(zone, date.succ_opt().expect("date in range"), NaiveTime::MIN);
        let Some((open, close)) = window.open_on(date) else {
            now = next_day;
            continue;
        };
        let opening = local(zone, date, open);
        let closing = day_end(zone, date, close);
        if now < opening {
            now = opening;
        }
        if now >= closing {
            now = next_day;
            continue;
        }
        let available = closing - now;
        if left <= available {
            return now + left;
        }
        left -= available;
        now = next_day;
    }
}

/// Minutes of `window` time in `[from, to)`; zero when `to` is not after `from`.
pub fn window_minutes_between(zone: Tz, from: DateTime<Tz>, to: DateTime<Tz>, window: Window<'_>) -> i64 {
    if to <= from {
        return 0;
    }
    if let Window::Always = window {
        return (to - from).num_minutes();
    }
    let mut total = Duration::zero();
    let mut date = from.date_naive();
    while date <= to.date_naive() {
        if let Some((open, close)) = window.open_on(date) {
            let start = local(zone, date, open).max(from);
            let end = day_end(zone, date, close).min(to);
            if end > start {
                total += end - start;
            }
        }
        date = date.succ_opt().expect("date in range");
    }
    total.num_minutes()
}

#[cfg(test)]
mod tests;
