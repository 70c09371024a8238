//! From a rule to a due moment: find the anchor, choose the span (fixed, or from a lookup
//! table), read it under the service level, and count on the calendar. Every step of the
//! derivation is kept, so `onboard explain` can show it.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Offset, Weekday};

use super::arith::{self, Beyond, Window};
use crate::calendar::{Calendar, Closed};
use crate::playbook::rule::{Anchor, Count, Deadline, Roll, Rule, ServiceLevel, Span, Unit, Within};
use crate::playbook::value::Value;
use crate::words;

type Instant = DateTime<FixedOffset>;

/// When something is due: the end of a day (day rules), or an instant (hour rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Day(NaiveDate),
    At(Instant),
}

/// What a rule needs to know about the project.
pub(crate) struct Inputs<'a> {
    pub calendar: &'a Calendar,
    pub vars: &'a BTreeMap<String, Value>,
    pub project_start: Instant,
    /// When a phase or step became ready, if it has.
    pub started: &'a dyn Fn(&str) -> Option<Instant>,
    /// When a phase or step was completed, if it was.
    pub done: &'a dyn Fn(&str) -> Option<Instant>,
}

/// How a rule measures time, so that "time left" and "due soon" are measured the same
/// way; `explain --json` writes it (the variants' notes are comments so that the derived
/// schema lists plain names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum Counting {
    // Business days (windows in business days, and milestones, which land on one).
    BusinessDays,
    // Calendar days, weeks or months.
    CalendarDays,
    // Business hours on business days.
    BusinessHours,
    // Every hour, Monday to Saturday (`6x24`).
    #[serde(rename = "hours_6x24")]
    SixDays,
    // Every hour (`7x24`, or plain hours).
    #[serde(rename = "hours_7x24")]
    Always,
}

impl Counting {
    /// The hours that count, for hour rules; `None` for day rules.
    pub fn window<'c>(&self, calendar: &'c Calendar) -> Option<Window<'c>> {
        match self {
            Counting::BusinessDays | Counting::CalendarDays => None,
            Counting::BusinessHours => Some(Window::Business(calendar)),
            Counting::SixDays => Some(Window::SixDays),
            Counting::Always => Some(Window::Always),
        }
    }
}

/// How a due moment was derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    pub due: Due,
    pub counting: Counting,
    /// The anchor instant (a date anchor is its midnight) and where it came from.
    pub anchor: Instant,
    pub anchor_source: String,
    /// The count, in words: `10 business days after 2026-03-20 (day 0)`.
    pub method: String,
    /// Closed days between the anchor and the due moment, with their reasons.
    pub skipped: Vec<(NaiveDate, Closed)>,
}

/// A due moment, or why there is none yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Due(Derivation),
    Pending(String),
}

/// Evaluates one deadline for one project.
/// A count that cannot end (a calendar closed for good, a date past the supported
/// years) gives no due moment, and says why.
pub(crate) fn evaluate(deadline: &Deadline, inputs: &Inputs<'_>) -> Outcome {
    let outcome = match &deadline.rule {
        Rule::Milestone { milestone, days, count, roll } => {
            milestone_due(inputs, milestone, *days, *count, *roll)
        }
        Rule::Window { within, from, service } => window_due(inputs, within, from, service.as_deref()),
    };
    outcome.unwrap_or_else(|beyond| Outcome::Pending(beyond.to_string()))
}

fn fixed(instant: DateTime<chrono_tz::Tz>) -> Instant {
    instant.with_timezone(&instant.offset().fix())
}

fn midnight(calendar: &Calendar, date: NaiveDate) -> Instant {
    fixed(arith::local(calendar.zone, date, NaiveTime::MIN))
}

fn milestone_due(
    inputs: &Inputs<'_>,
    name: &str,
    days: i32,
    count: Count,
    roll: Roll,
) -> Result<Outcome, Beyond> {
    let calendar = inputs.calendar;
    let Some(Value::Date(j)) = inputs.vars.get(name) else {
        return Ok(Outcome::Pending(format!("the milestone `{name}` has no date yet")));
    };
    let offset = days.unsigned_abs();
    let target = arith::add_days(*j, days.into())?;
    let (due, method) = match (count, days) {
        (Count::Business, d) if d < 0 => (
            arith::sub_business_days(calendar, *j, offset)?,
            format!("{} before {name} ({j})", words::count(offset, "business day")),
        ),
        (Count::Business, d) if d > 0 => (
            arith::add_business_days(calendar, *j, offset)?,
            format!("{} after {name} ({j})", words::count(offset, "business day")),
        ),
        _ => {
            let due = match roll {
                Roll::Back => arith::roll_back(calendar, target)?,
                Roll::Forward => arith::roll_forward(calendar, target)?,
                Roll::Stay => target,
            };
            let words = match days {
                0 => format!("{name} ({j})"),
                d if d < 0 => {
                    format!("{} before {name} ({j}): {target}", words::count(offset, "calendar day"))
                }
                _ => format!("{} after {name} ({j}): {target}", words::count(offset, "calendar day")),
            };
            let method = match (roll, calendar.closed(target)) {
                (_, None) => words,
                (Roll::Back, Some(_)) => format!("{words}, not a business day, so the business day before"),
                (Roll::Forward, Some(_)) => format!("{words}, not a business day, so the business day after"),
                (Roll::Stay, Some(why)) => format!("{words}, kept though it is closed ({why})"),
            };
            (due, method)
        }
    };
    // Counting business days skips every closed day between J and the due day; counting
    // calendar days skips only the closed days the due day rolled back over.
    let (from, to) = match count {
        Count::Business if due <= *j => (due, *j),
        Count::Business => (*j, due),
        Count::Calendar if due <= target => (due, target),
        Count::Calendar => (target, due),
    };
    Ok(Outcome::Due(Derivation {
        due: Due::Day(due),
        counting: Counting::BusinessDays,
        anchor: midnight(calendar, *j),
        anchor_source: format!("the variable `{name}`"),
        method,
        // A date that stays put skips nothing, even when it is closed.
        skipped: match roll {
            Roll::Stay if count == Count::Calendar => Vec::new(),
            _ => arith::closed_days(calendar, from, to),
        },
    }))
}

/// The anchor instant and where it came from, or why there is none yet.
fn anchor(inputs: &Inputs<'_>, from: &Anchor) -> Result<(Instant, String), String> {
    match from {
        Anchor::ProjectStart => Ok((inputs.project_start, "the project's start".into())),
        Anchor::Started(id) => (inputs.started)(id)
            .map(|at| (at, format!("when `{id}` became ready")))
            .ok_or_else(|| format!("`{id}` has not started yet")),
        Anchor::Done(id) => (inputs.done)(id)
            .map(|at| (at, format!("when `{id}` was completed")))
            .ok_or_else(|| format!("`{id}` is not done yet")),
        Anchor::Variable(name) => match inputs.vars.get(name) {
            Some(Value::DateTime(at)) => Ok((*at, format!("the variable `{name}`"))),
            Some(Value::Date(date)) => {
                Ok((midnight(inputs.calendar, *date), format!("the variable `{name}`")))
            }
            _ => Err(format!("`{name}` has no value yet")),
        },
    }
}

/// The span a window counts: fixed, or looked up by the variables' values.
fn span(inputs: &Inputs<'_>, within: &Within) -> Result<(Span, String), String> {
    match within {
        Within::Fixed(span) => Ok((*span, String::new())),
        Within::Table { by, spans } => {
            let mut key = Vec::new();
            for name in by {
                match inputs.vars.get(name) {
                    Some(value) => key.push(value.to_string()),
                    None => {
                        let names: Vec<String> = by.iter().map(|n| format!("`{n}`")).collect();
                        return Err(format!(
                            "the time depends on {}, not all recorded yet",
                            names.join(" and ")
                        ));
                    }
                }
            }
            let chosen: Vec<String> = by.iter().zip(&key).map(|(n, v)| format!("{n}={v}")).collect();
            match spans.get(&key) {
                Some(span) => Ok((*span, format!(" (chosen by {})", chosen.join(", ")))),
                None => Err(format!("the playbook gives no time for {}", chosen.join(", "))),
            }
        }
    }
}

fn window_due(
    inputs: &Inputs<'_>,
    within: &Within,
    from: &Anchor,
    service: Option<&str>,
) -> Result<Outcome, Beyond> {
    let (at, source) = match anchor(inputs, from) {
        Ok(found) => found,
        Err(why) => return Ok(Outcome::Pending(why)),
    };
    let (span, chosen) = match span(inputs, within) {
        Ok(found) => found,
        Err(why) => return Ok(Outcome::Pending(why)),
    };
    let level = match service {
        None => None,
        Some(name) => match inputs.vars.get(name) {
            Some(value) => Some(value.to_string()),
            None => return Ok(Outcome::Pending(format!("the service level `{name}` has no value yet"))),
        },
    };
    let level = level.as_deref().and_then(ServiceLevel::parse);
    let (due, counting, method) = count_span(inputs.calendar, at, span, level)?;
    let calendar = inputs.calendar;
    let start = at.with_timezone(&calendar.zone).date_naive();
    let end = match due {
        Due::Day(day) => day,
        Due::At(instant) => instant.with_timezone(&calendar.zone).date_naive(),
    };
    let skipped = match counting {
        // Day 0 is the anchor's date, whatever it is.
        Counting::BusinessDays => arith::closed_days(calendar, start.succ_opt().unwrap_or(start), end),
        // The clock may start on a closed day and wait for the next opening.
        Counting::BusinessHours => arith::closed_days(calendar, start, end),
        Counting::SixDays => start
            .iter_days()
            .take_while(|d| *d <= end)
            .filter(|d| d.weekday() == Weekday::Sun)
            .map(|d| (d, Closed::Weekend(Weekday::Sun)))
            .collect(),
        Counting::CalendarDays | Counting::Always => Vec::new(),
    };
    Ok(Outcome::Due(Derivation {
        due,
        counting,
        anchor: at,
        anchor_source: source,
        method: format!("{method}{chosen}"),
        skipped,
    }))
}

/// Counts `span` from `at`. An explicit `business` span is business time whatever the
/// service; otherwise the service level says what hours and days mean (a value that is
/// no service level counts as none).
pub(crate) fn count_span(
    calendar: &Calendar,
    at: Instant,
    span: Span,
    service: Option<ServiceLevel>,
) -> Result<(Due, Counting, String), Beyond> {
    let zone = calendar.zone;
    let local = at.with_timezone(&zone);
    let date = local.date_naive();
    let n = span.amount;
    let minutes = match span.unit {
        Unit::Minutes => i64::from(n),
        Unit::Hours => i64::from(n) * 60,
        _ => i64::from(n) * 24 * 60,
    };
    let level = if span.business { Some(ServiceLevel::Business) } else { service };
    let hours = crate::calendar::hours_text(calendar.hours);
    Ok(match (span.unit, level) {
        (Unit::Minutes | Unit::Hours, Some(ServiceLevel::Business)) => {
            let due = arith::add_window_minutes(zone, local, minutes, Window::Business(calendar))?;
            (
                Due::At(fixed(due)),
                Counting::BusinessHours,
                format!(
                    "{} ({hours} on business days) from {}",
                    Span { business: true, ..span },
                    at.to_rfc3339()
                ),
            )
        }
        (Unit::Days, Some(ServiceLevel::Business)) => {
            let due = arith::add_business_days(calendar, date, n)?;
            (
                Due::Day(due),
                Counting::BusinessDays,
                // No "due" here: the same count gives earliest starts, and `explain` says
                // which it is on its own line.
                format!("{} after {date} (day 0): {due}", words::count(n, "business day")),
            )
        }
        (Unit::Minutes | Unit::Hours | Unit::Days, Some(ServiceLevel::SixDays)) => {
            let due = arith::add_window_minutes(zone, local, minutes, Window::SixDays)?;
            (
                Due::At(fixed(due)),
                Counting::SixDays,
                format!("{span} counted every hour Monday to Saturday (6x24) from {}", at.to_rfc3339()),
            )
        }
        (Unit::Minutes | Unit::Hours | Unit::Days, Some(ServiceLevel::Always))
        | (Unit::Minutes | Unit::Hours, _) => {
            let due = arith::add_window_minutes(zone, local, minutes, Window::Always)?;
            (
                Due::At(fixed(due)),
                Counting::Always,
                format!("{span} counted every hour from {}", at.to_rfc3339()),
            )
        }
        (Unit::Days, _) => {
            let due = arith::add_days(date, n.into())?;
            (
                Due::Day(due),
                Counting::CalendarDays,
                format!("{} after {date}", words::count(n, "calendar day")),
            )
        }
        (Unit::Weeks, _) => {
            let due = arith::add_days(date, i64::from(n) * 7)?;
            (
                Due::Day(due),
                Counting::CalendarDays,
                format!(
                    "{} ({}) after {date}",
                    words::count(n, "week"),
                    words::count(i64::from(n) * 7, "day")
                ),
            )
        }
        (Unit::Months, _) => {
            let due = arith::add_months(date, n)?;
            (
                Due::Day(due),
                Counting::CalendarDays,
                format!("{} after {date}", words::count(n, "calendar month")),
            )
        }
    })
}

impl Due {
    /// The last instant before which the work is on time.
    pub fn end(&self, calendar: &Calendar) -> Instant {
        match self {
            // The engine gives days up to 9999-12-31, which has a next day.
            Due::Day(day) => midnight(calendar, day.succ_opt().unwrap_or(*day)),
            Due::At(at) => *at,
        }
    }

    /// The first instant of the moment: the start of the day for day rules, when it is
    /// an earliest start rather than a deadline.
    pub fn start(&self, calendar: &Calendar) -> Instant {
        match self {
            Due::Day(day) => midnight(calendar, *day),
            Due::At(at) => *at,
        }
    }

    /// `2026-04-03` for day rules, RFC 3339 with the calendar's offset for hour rules.
    pub fn text(&self) -> String {
        match self {
            Due::Day(day) => day.format("%Y-%m-%d").to_string(),
            Due::At(at) => at.to_rfc3339(),
        }
    }

    /// `2026-04-03` or `2026-04-03 11:00`, for tables.
    pub fn short(&self) -> String {
        match self {
            Due::Day(day) => day.format("%Y-%m-%d").to_string(),
            Due::At(at) => at.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}

#[cfg(test)]
mod tests;
