//! Calendar arithmetic: business days, business hours, service windows, calendar months.
//! Only `Calendar` decides what a business day is; this module counts with it.
//!
//! Every count is checked: a date past the supported years, or a calendar closed for
//! longer than any rule may count, gives `Beyond` rather than a panic or an endless walk.

use std::fmt;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;

use crate::calendar::{Calendar, Closed};
use crate::clock::YEARS;
use crate::playbook::rule::MAX_DAYS;

/// Why a count gives no date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Beyond {
    /// The calendar has no business day in the `MAX_DAYS` days after (or before) `from`:
    /// its closures cover every day, and the walk gives up rather than go on for ever.
    AllClosed { calendar: String, file: Option<String>, from: NaiveDate, forward: bool },
    /// The count ends outside the years onboard handles (`clock::YEARS`).
    OutOfRange,
}

impl Beyond {
    fn closed(calendar: &Calendar, from: NaiveDate, forward: bool) -> Beyond {
        Beyond::AllClosed {
            calendar: calendar.id.clone(),
            file: calendar.override_file.as_ref().map(|path| path.display().to_string()),
            from,
            forward,
        }
    }
}

impl fmt::Display for Beyond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Beyond::AllClosed { calendar, file, from, forward } => {
                let side = if *forward { "after" } else { "before" };
                write!(
                    f,
                    "the calendar `{calendar}` has no business day in the {MAX_DAYS} days {side} {from}"
                )?;
                match file {
                    Some(file) => write!(
                        f,
                        ": its closures in `{file}` cover them all; remove the ones that are not real"
                    ),
                    None => f.write_str(": check its closures"),
                }
            }
            Beyond::OutOfRange => write!(
                f,
                "the count ends outside the years {}-{}, the dates onboard computes: check the dates it starts from",
                YEARS.start(),
                YEARS.end()
            ),
        }
    }
}

/// `date`, if its year is one onboard computes.
fn in_range(date: NaiveDate) -> Result<NaiveDate, Beyond> {
    if YEARS.contains(&date.year()) { Ok(date) } else { Err(Beyond::OutOfRange) }
}

/// The day after (or before) `date`, inside the supported years.
fn next_day(date: NaiveDate, forward: bool) -> Result<NaiveDate, Beyond> {
    let next = if forward { date.succ_opt() } else { date.pred_opt() };
    next.ok_or(Beyond::OutOfRange).and_then(in_range)
}

/// Walks from `date` (excluded) to the `n`th business day in one direction; with `n`
/// zero, `date` itself if it is a business day, else the first one after (or before).
/// Gives up after `MAX_DAYS` closed days in a row.
fn walk(calendar: &Calendar, date: NaiveDate, n: u32, forward: bool) -> Result<NaiveDate, Beyond> {
    let mut day = in_range(date)?;
    let mut left = n;
    let mut closed_run = 0u32;
    let mut run_from = day;
    if n == 0 {
        if calendar.is_business_day(day) {
            return Ok(day);
        }
        left = 1;
    }
    while left > 0 {
        day = next_day(day, forward)?;
        if calendar.is_business_day(day) {
            left -= 1;
            closed_run = 0;
            run_from = day;
        } else {
            closed_run += 1;
            if closed_run >= MAX_DAYS {
                return Err(Beyond::closed(calendar, run_from, forward));
            }
        }
    }
    Ok(day)
}

/// The Nth business day strictly after `date` (the anchor's date is day 0).
pub(crate) fn add_business_days(calendar: &Calendar, date: NaiveDate, n: u32) -> Result<NaiveDate, Beyond> {
    if n == 0 {
        return in_range(date);
    }
    walk(calendar, date, n, true)
}

/// The Nth business day strictly before `date`.
pub(crate) fn sub_business_days(calendar: &Calendar, date: NaiveDate, n: u32) -> Result<NaiveDate, Beyond> {
    if n == 0 {
        return in_range(date);
    }
    walk(calendar, date, n, false)
}

/// `date` if it is a business day, else the business day before it ("no later than").
pub(crate) fn roll_back(calendar: &Calendar, date: NaiveDate) -> Result<NaiveDate, Beyond> {
    walk(calendar, date, 0, false)
}

/// `date` if it is a business day, else the business day after it.
pub(crate) fn roll_forward(calendar: &Calendar, date: NaiveDate) -> Result<NaiveDate, Beyond> {
    walk(calendar, date, 0, true)
}

/// How many business days lie in `(from, to]`; negative when `to` is before `from`.
pub(crate) fn business_days_between(calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> i64 {
    if to < from {
        return -business_days_between(calendar, to, from);
    }
    calendar.business_days_in(from, to)
}

/// Every closed day in `[from, to]`, with the reason, for `explain`.
pub(crate) fn closed_days(calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, Closed)> {
    from.iter_days().take_while(|d| *d <= to).filter_map(|d| calendar.closed(d).map(|why| (d, why))).collect()
}

/// `date` plus `n` calendar months, clamped to the month's last day (Dec 31 + 2 months = Feb 28).
pub(crate) fn add_months(date: NaiveDate, n: u32) -> Result<NaiveDate, Beyond> {
    date.checked_add_months(Months::new(n)).ok_or(Beyond::OutOfRange).and_then(in_range)
}

/// `date` plus `n` calendar days.
pub(crate) fn add_days(date: NaiveDate, n: i64) -> Result<NaiveDate, Beyond> {
    Duration::try_days(n)
        .and_then(|days| date.checked_add_signed(days))
        .ok_or(Beyond::OutOfRange)
        .and_then(in_range)
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
/// moves to the first instant after the gap. A gap is an hour or two; should a zone
/// skip more than two days, the time is read as UTC rather than searched for further.
pub(crate) fn local(zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Tz> {
    let start = date.and_time(time);
    let mut naive = start;
    for _ in 0..2 * 24 * 60 {
        if let Some(found) = zone.from_local_datetime(&naive).earliest() {
            return found;
        }
        match naive.checked_add_signed(Duration::minutes(1)) {
            Some(next) => naive = next,
            None => break,
        }
    }
    zone.from_utc_datetime(&start)
}

/// The end of what counts on `date`: its closing time, or the next midnight.
fn day_end(zone: Tz, date: NaiveDate, close: Option<NaiveTime>) -> Result<DateTime<Tz>, Beyond> {
    Ok(match close {
        Some(time) => local(zone, date, time),
        None => local(zone, next_day(date, true)?, NaiveTime::MIN),
    })
}

/// The earliest instant at which `minutes` of `window` time have elapsed since `start`.
/// The clock starts at `start`, or at the next opening; ending exactly at closing gives
/// the closing time, not the next morning.
pub(crate) fn add_window_minutes(
    zone: Tz,
    start: DateTime<Tz>,
    minutes: i64,
    window: Window<'_>,
) -> Result<DateTime<Tz>, Beyond> {
    in_range(start.date_naive())?;
    if let Window::Always = window {
        let end = Duration::try_minutes(minutes).and_then(|d| start.checked_add_signed(d));
        return end.ok_or(Beyond::OutOfRange).and_then(|end| in_range(end.date_naive()).map(|_| end));
    }
    let mut now = start;
    let mut left = Duration::try_minutes(minutes).ok_or(Beyond::OutOfRange)?;
    // Days that do not count, in a row: the calendar's closures may cover every day.
    let mut closed_run = 0u32;
    let mut run_from = now.date_naive();
    loop {
        let date = now.date_naive();
        let next_day = local(zone, next_day(date, true)?, NaiveTime::MIN);
        let Some((open, close)) = window.open_on(date) else {
            closed_run += 1;
            if closed_run >= MAX_DAYS {
                return Err(all_closed(window, run_from));
            }
            now = next_day;
            continue;
        };
        closed_run = 0;
        run_from = date;
        let opening = local(zone, date, open);
        let closing = day_end(zone, date, close)?;
        if now < opening {
            now = opening;
        }
        if now >= closing {
            now = next_day;
            continue;
        }
        let available = closing - now;
        if left <= available {
            return Ok(now + left);
        }
        left -= available;
        now = next_day;
    }
}

fn all_closed(window: Window<'_>, from: NaiveDate) -> Beyond {
    match window {
        Window::Business(calendar) => Beyond::closed(calendar, from, true),
        // Service windows close on Sundays at most.
        Window::SixDays | Window::Always => Beyond::OutOfRange,
    }
}

/// Minutes of `window` time in `[from, to)`; zero when `to` is not after `from`, `None`
/// when they are more than `MAX_DAYS` days apart: that is measured day by day, and no
/// rule counts that far (only a what-if clock or a mistyped date gets there).
pub(crate) fn window_minutes_between(
    zone: Tz,
    from: DateTime<Tz>,
    to: DateTime<Tz>,
    window: Window<'_>,
) -> Option<i64> {
    if to <= from {
        return Some(0);
    }
    if (to - from).num_days() > i64::from(MAX_DAYS) {
        return None;
    }
    if let Window::Always = window {
        return Some((to - from).num_minutes());
    }
    let mut total = Duration::zero();
    for date in from.date_naive().iter_days().take_while(|date| *date <= to.date_naive()) {
        if let Some((open, close)) = window.open_on(date) {
            let start = local(zone, date, open).max(from);
            // The last date there is ends where `to` does.
            let end = day_end(zone, date, close).map_or(to, |end| end.min(to));
            if end > start {
                total += end - start;
            }
        }
    }
    Some(total.num_minutes())
}

#[cfg(test)]
mod tests;
