//! A project's deadlines at a moment: each phase's and step's due moment, whether it is
//! overdue or due soon, and the time left in words.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::change::Earliest;
use super::progress::{Progress, Status};
use super::project::Timestamp;
use crate::calendar::{Calendar, Closed};
use crate::deadline::arith::{self, Window};
use crate::deadline::evaluate::{Counting, Derivation, Due, Inputs, Outcome, evaluate};
use crate::playbook::Playbook;
use crate::playbook::rule::{Count, Deadline, Roll, Rule};
use crate::playbook::value::Value;
use crate::words;

type Instant = DateTime<FixedOffset>;

/// What counts as due soon: within `days` business days (day rules) or `hours` business
/// hours (hour rules).
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    pub days: u32,
    pub hours: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { days: 2, hours: 1 }
    }
}

/// A due moment seen from now.
#[derive(Debug, Clone)]
pub struct Timing {
    pub derivation: Derivation,
    /// Still open and past due.
    pub overdue: bool,
    /// Still open and due within the thresholds.
    pub soon: bool,
    /// `in 3 business days`, `2 h 15 min left`, `overdue by 2 business days`; `None` when
    /// the work is done.
    pub left: Option<String>,
    /// For open work not yet past due, the time left exactly, as its rule counts (`left`
    /// rounds it to words); `None` once overdue, when done, or too far to count.
    pub time_left: Option<Amount>,
    /// For overdue work, how late exactly, as its rule counts (`left` rounds it to words).
    pub late: Option<Amount>,
    /// For finished work: how late it was finished, measured as its rule counts
    /// (`2 business days`), or `None` when on time. Always `None` for open work.
    pub late_by: Option<String>,
    /// The work is finished (its lateness is known).
    pub finished: bool,
}

impl Timing {
    pub fn due(&self) -> Due {
        self.derivation.due
    }

    /// Finished after its due moment; `None` while open.
    pub fn late(&self) -> Option<bool> {
        self.finished.then_some(self.late_by.is_some())
    }
}

/// The deadline of a phase or step: timed, or not yet computable (and why).
#[derive(Debug, Clone)]
pub enum Entry {
    Timed(Timing),
    Pending(String),
}

/// A step's earliest start (`not_before`) seen from now.
#[derive(Debug, Clone)]
pub struct Wait {
    pub derivation: Derivation,
    /// The first instant it may be done: the start of the day, for day rules.
    pub from: Instant,
    /// That instant has not come yet.
    pub waiting: bool,
    /// It comes within the thresholds (`check` lists it).
    pub soon: bool,
}

/// A step's earliest start: dated, or not computable yet (and why).
#[derive(Debug, Clone)]
pub enum Start {
    Dated(Wait),
    Pending(String),
}

/// Every deadline of a project, by phase or step id, and every open step's earliest start.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    pub entries: HashMap<String, Entry>,
    pub starts: HashMap<String, Start>,
}

impl Wait {
    /// `Mon 9 Nov 2026`, or `Mon 9 Nov 2026 14:00` for hour rules, in the calendar's zone.
    pub fn when(&self, calendar: &Calendar) -> String {
        let local = self.from.with_timezone(&calendar.zone);
        match self.derivation.due {
            Due::Day(_) => local.format("%a %-d %b %Y").to_string(),
            Due::At(_) => local.format("%a %-d %b %Y %H:%M").to_string(),
        }
    }
}

impl Schedule {
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.get(id)
    }

    pub fn timing(&self, id: &str) -> Option<&Timing> {
        match self.entries.get(id) {
            Some(Entry::Timed(timing)) => Some(timing),
            _ => None,
        }
    }

    /// A step's earliest start still to come, if it has one.
    pub fn waiting(&self, id: &str) -> Option<&Wait> {
        match self.starts.get(id) {
            Some(Start::Dated(wait)) if wait.waiting => Some(wait),
            _ => None,
        }
    }

    /// When a step may be completed, for `change::complete`.
    pub fn earliest(&self, id: &str, calendar: &Calendar) -> Earliest {
        match self.starts.get(id) {
            None => Earliest::Any,
            Some(Start::Dated(wait)) => Earliest::From(
                Timestamp(wait.from),
                format!("{} ({})", wait.when(calendar), wait.derivation.method),
            ),
            Some(Start::Pending(why)) => Earliest::Unknown(why.clone()),
        }
    }
}

/// When a phase or step was completed, from the project's progress.
pub(crate) fn done_at(progress: &Progress<'_>, id: &str) -> Option<Instant> {
    if let Some(step) = progress.step(id) {
        return step.record.done_at().filter(|_| step.status == Status::Done).map(|t| t.0);
    }
    let phase = progress.phase(id)?;
    if phase.status != Status::Done {
        return None;
    }
    phase.steps.iter().filter_map(|s| s.record.done_at()).map(|t| t.0).max()
}

/// When a phase or step became ready.
pub(crate) fn started_at(progress: &Progress<'_>, id: &str) -> Option<Instant> {
    match progress.step(id) {
        Some(step) => step.started_at,
        None => progress.phase(id)?.started_at,
    }
}

/// Computes every deadline of a project as of `now`.
pub(crate) fn schedule(
    progress: &Progress<'_>,
    calendar: &Calendar,
    project_start: Instant,
    now: Instant,
    thresholds: Thresholds,
) -> Schedule {
    let started = |id: &str| started_at(progress, id);
    let done = |id: &str| done_at(progress, id);
    let inputs = Inputs { calendar, vars: &progress.vars, project_start, started: &started, done: &done };
    let mut entries = HashMap::new();
    // Skipped and not-applicable work has no deadline; done work keeps its due date, to
    // show whether it was on time.
    let mut add = |id: &str, deadline: Option<&Deadline>, status: Status| {
        if let Some(deadline) = deadline.filter(|_| status != Status::Skipped) {
            let finished = (status == Status::Done).then(|| done_at(progress, id)).flatten();
            let outcome = evaluate(deadline, &inputs);
            entries.insert(id.to_string(), entry(outcome, status, finished, calendar, now, thresholds));
        }
    };
    let mut starts = HashMap::new();
    for view in &progress.phases {
        add(&view.phase.id, view.phase.deadline.as_ref(), view.status);
        for step in &view.steps {
            add(&step.step.id, step.step.deadline.as_ref(), step.status);
            // Only open work waits; what is done or skipped has no earliest start to show.
            if let Some(rule) = step.step.not_before.as_ref().filter(|_| !is_finished(step.status)) {
                starts
                    .insert(step.step.id.clone(), start(evaluate(rule, &inputs), calendar, now, thresholds));
            }
        }
    }
    Schedule { entries, starts }
}

fn is_finished(status: Status) -> bool {
    matches!(status, Status::Done | Status::Skipped)
}

fn start(outcome: Outcome, calendar: &Calendar, now: Instant, thresholds: Thresholds) -> Start {
    let derivation = match outcome {
        Outcome::Due(derivation) => derivation,
        Outcome::Pending(why) => return Start::Pending(why),
    };
    let from = derivation.due.start(calendar);
    let waiting = now < from;
    let soon = waiting && is_soon(calendar, &derivation, now, thresholds);
    Start::Dated(Wait { derivation, from, waiting, soon })
}

fn entry(
    outcome: Outcome,
    status: Status,
    finished: Option<Instant>,
    calendar: &Calendar,
    now: Instant,
    thresholds: Thresholds,
) -> Entry {
    let derivation = match outcome {
        Outcome::Due(derivation) => derivation,
        Outcome::Pending(why) => return Entry::Pending(why),
    };
    let open = status != Status::Done;
    let overdue = open && is_overdue(calendar, derivation.due, now);
    let soon = open && !overdue && is_soon(calendar, &derivation, now, thresholds);
    // Measured once: the words, the time left and how late all read the same gap.
    let gap = open.then(|| gap(calendar, &derivation, now));
    let left = gap.map(|gap| said(calendar, &derivation, now, gap));
    let time_left = gap.and_then(Gap::ahead);
    let late = gap.filter(|_| overdue).and_then(Gap::behind);
    let late_by = finished
        .filter(|done| is_overdue(calendar, derivation.due, *done))
        .map(|done| late_by(calendar, &derivation, done));
    Entry::Timed(Timing { derivation, overdue, soon, left, time_left, late, late_by, finished: !open })
}

/// How late work finished at `done` (after its due moment) was, measured as its rule
/// counts: `2 business days`, `3 days`, `1 h 30 min in business hours`. Late by no
/// counted time (done on the Saturday after a Friday due date): `less than 1 business day`.
fn late_by(calendar: &Calendar, derivation: &Derivation, done: Instant) -> String {
    match gap(calendar, derivation, done) {
        Gap::Behind(None) => FAR.into(),
        Gap::Behind(Some(amount)) if amount.amount > 0 => amount_text(calendar, amount),
        Gap::Behind(Some(Amount { unit: Unit::BusinessMinutes, .. })) => {
            "less than 1 min in business hours".into()
        }
        Gap::Behind(Some(Amount { unit: Unit::Minutes, .. })) => "less than 1 min".into(),
        Gap::Behind(_) | Gap::Ahead(_) => "less than 1 business day".into(),
    }
}

/// How many finished phases and steps with a due moment were finished on time, of how
/// many: a team's compliance with its time limits.
pub(crate) fn on_time(schedule: &Schedule) -> (usize, usize) {
    let finished: Vec<&Timing> = schedule
        .entries
        .values()
        .filter_map(|e| match e {
            Entry::Timed(timing) if timing.finished => Some(timing),
            _ => None,
        })
        .collect();
    (finished.iter().filter(|t| t.late_by.is_none()).count(), finished.len())
}

/// A day rule is late from the midnight after its day; an hour rule is on time at its
/// very instant, since that is when the time allowed has just elapsed.
fn is_overdue(calendar: &Calendar, due: Due, now: Instant) -> bool {
    match due {
        Due::Day(_) => now >= due.end(calendar),
        Due::At(at) => now > at,
    }
}

/// Within the thresholds, measured as the rule measures: business days for day rules,
/// the rule's own hours (business hours, 6x24 or every hour) for hour rules.
fn is_soon(calendar: &Calendar, derivation: &Derivation, now: Instant, thresholds: Thresholds) -> bool {
    let zone = calendar.zone;
    match derivation.due {
        Due::Day(day) => {
            let today = now.with_timezone(&zone).date_naive();
            arith::business_days_between(calendar, today, day) <= i64::from(thresholds.days)
        }
        Due::At(at) => {
            let window = derivation.counting.window(calendar).unwrap_or(Window::Always);
            let (from, to) = (now.with_timezone(&zone), at.with_timezone(&zone));
            arith::window_minutes_between(zone, from, to, window)
                .is_some_and(|minutes| minutes <= i64::from(thresholds.hours) * 60)
        }
    }
}

/// Where now stands against a due moment, as its rule counts: ahead of it (due today is
/// ahead by nothing) or behind it, by an amount; `None` when too far to count.
#[derive(Debug, Clone, Copy)]
enum Gap {
    Ahead(Option<Amount>),
    Behind(Option<Amount>),
}

impl Gap {
    fn ahead(self) -> Option<Amount> {
        match self {
            Gap::Ahead(amount) => amount,
            Gap::Behind(_) => None,
        }
    }

    /// Behind by some counted time: late since a closed day counts none.
    fn behind(self) -> Option<Amount> {
        match self {
            Gap::Behind(amount) => amount.filter(|a| a.amount > 0),
            Gap::Ahead(_) => None,
        }
    }
}

/// Measures the gap between `now` and a due moment the way its rule counts: business
/// days or days for day rules, minutes of the rule's own hours for hour rules.
fn gap(calendar: &Calendar, derivation: &Derivation, now: Instant) -> Gap {
    let zone = calendar.zone;
    let local = now.with_timezone(&zone);
    let today = local.date_naive();
    let (count, unit) = match (derivation.due, derivation.counting) {
        (Due::Day(day), Counting::CalendarDays) => ((day - today).num_days(), Unit::Days),
        (Due::Day(day), _) => (arith::business_days_between(calendar, today, day), Unit::BusinessDays),
        (Due::At(at), counting) => {
            let at = at.with_timezone(&zone);
            let window = counting.window(calendar).unwrap_or(Window::Always);
            let unit =
                if counting == Counting::BusinessHours { Unit::BusinessMinutes } else { Unit::Minutes };
            let minutes = |from, to| {
                arith::window_minutes_between(zone, from, to, window)
                    .map(|n: i64| Amount { amount: n.unsigned_abs(), unit })
            };
            return if at >= local {
                Gap::Ahead(minutes(local, at))
            } else {
                Gap::Behind(minutes(at, local))
            };
        }
    };
    let amount = Some(Amount { amount: count.unsigned_abs(), unit });
    // A date that stays put may fall on a closed day after today, with no business day
    // between: it is still ahead.
    let ahead = count > 0 || matches!(derivation.due, Due::Day(day) if day >= today);
    if ahead { Gap::Ahead(amount) } else { Gap::Behind(amount) }
}

/// The time left (or how late), in words, measured as the rule measures: `in 3 business
/// days`, `in 5 days`, `2 h 15 min left in business hours`, `overdue by 1 business day`.
/// Late by no counted time yet (a Saturday after a Friday deadline): `overdue since Fri`.
pub(crate) fn left(calendar: &Calendar, derivation: &Derivation, now: Instant) -> String {
    said(calendar, derivation, now, gap(calendar, derivation, now))
}

/// A gap measured by `gap`, in words.
fn said(calendar: &Calendar, derivation: &Derivation, now: Instant, gap: Gap) -> String {
    let today = now.with_timezone(&calendar.zone).date_naive();
    match (derivation.due, gap) {
        (Due::Day(day), _) if day == today => "today".into(),
        (Due::Day(day), Gap::Ahead(Some(Amount { amount: 0, .. }))) => {
            format!("in {} ({})", words::count((day - today).num_days(), "day"), day.format("%a"))
        }
        (Due::Day(day), Gap::Behind(Some(Amount { amount: 0, .. }))) => {
            format!("overdue since {}", day.format("%a"))
        }
        (Due::At(at), Gap::Behind(Some(Amount { amount: 0, .. }))) => {
            format!("overdue since {}", at.with_timezone(&calendar.zone).format("%a %H:%M"))
        }
        (Due::Day(_), Gap::Ahead(Some(amount))) => format!("in {}", amount_text(calendar, amount)),
        (_, Gap::Ahead(Some(amount))) => left_text(&amount_text(calendar, amount)),
        (_, Gap::Ahead(None)) => format!("{FAR} left"),
        (_, Gap::Behind(Some(amount))) => format!("overdue by {}", amount_text(calendar, amount)),
        (_, Gap::Behind(None)) => format!("overdue by {FAR}"),
    }
}

/// An amount in words: `3 business days`, `5 days`, `2 h 15 min in business hours`.
fn amount_text(calendar: &Calendar, amount: Amount) -> String {
    match amount.unit {
        Unit::Days => words::count(amount.amount as i64, "day"),
        Unit::BusinessDays => words::count(amount.amount as i64, "business day"),
        Unit::BusinessMinutes => business_duration(calendar, amount.amount),
        Unit::Minutes => duration_text(amount.amount, true),
    }
}

/// An exact amount of time as a rule counts it, for JSON: tables round it to words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    pub amount: u64,
    pub unit: Unit,
}

/// What an `Amount` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    BusinessDays,
    /// Minutes of the rule's own hours (every hour, or six days of 24 hours).
    Minutes,
    /// Minutes of business hours.
    BusinessMinutes,
}

impl Unit {
    /// `days`, `business_days`, `minutes`, `business_minutes`: as JSON writes it.
    pub fn key(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::BusinessDays => "business_days",
            Unit::Minutes => "minutes",
            Unit::BusinessMinutes => "business_minutes",
        }
    }
}

/// How late work is at `now` (or was, finished at `now`), exactly, as its rule counts;
/// `None` when it is not late by any counted time (on time, or late since a closed day)
/// or too far to count.
pub(crate) fn lateness(calendar: &Calendar, derivation: &Derivation, now: Instant) -> Option<Amount> {
    gap(calendar, derivation, now).behind()
}

/// Minutes of business hours in words, in the largest unit that reads well: under one
/// business day `3 h 15 min in business hours`; from one, business days of the calendar's
/// hours (`2 business days 4 h`), and whole business days from ten on, where the hours
/// no longer matter (`46 business days`).
fn business_duration(calendar: &Calendar, minutes: u64) -> String {
    let (open, close) = calendar.hours;
    let per_day = u64::try_from((close - open).num_minutes()).unwrap_or(0);
    if per_day == 0 || minutes < per_day {
        return format!("{} in business hours", duration_text(minutes, false));
    }
    let (days, hours) = (minutes / per_day, minutes % per_day / 60);
    let whole = words::count(days as i64, "business day");
    if days >= 10 || hours == 0 { whole } else { format!("{whole} {hours} h") }
}

/// `2 h left in business hours` rather than `2 h in business hours left`.
fn left_text(amount: &str) -> String {
    match amount.strip_suffix(" in business hours") {
        Some(short) => format!("{short} left in business hours"),
        None => format!("{amount} left"),
    }
}

/// How a time of more than `MAX_DAYS` days is said: hours are not counted that far.
const FAR: &str = "more than 100 years";

/// `2 h 15 min`, `3 d 4 h`, `45 min`; without days, `27 h 30 min` (business hours do not
/// make 24-hour days).
fn duration_text(minutes: u64, days: bool) -> String {
    let (days, hours, mins) = if days {
        (minutes / 1440, minutes % 1440 / 60, minutes % 60)
    } else {
        (0, minutes / 60, minutes % 60)
    };
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// The dates that stay put (`roll: none`) and fall on a closed day, with the phase or
/// step they time and why the day is closed: `start` and `set` accept them and warn.
pub(crate) fn closed_fixed_dates(
    playbook: &Playbook,
    vars: &BTreeMap<String, Value>,
    calendar: &Calendar,
) -> Vec<(String, NaiveDate, Closed)> {
    let phases = playbook.phases.iter().map(|p| (p.named(), p.deadline.as_ref()));
    let steps = playbook
        .steps()
        .flat_map(|(_, s)| [(s.named(), s.deadline.as_ref()), (s.named(), s.not_before.as_ref())]);
    let mut found = Vec::new();
    for (named, rule) in phases.chain(steps) {
        let Some(Rule::Milestone { milestone, days, count, roll: Roll::Stay }) = rule.map(|d| &d.rule) else {
            continue;
        };
        // A count in business days always lands on a business day.
        if *count == Count::Business && *days != 0 {
            continue;
        }
        let Some(Value::Date(j)) = vars.get(milestone) else { continue };
        let Some(date) = j.checked_add_signed(chrono::Duration::days((*days).into())) else { continue };
        if let Some(why) = calendar.closed(date) {
            found.push((named, date, why));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::find;
    use crate::state::fixture::instant as at;

    fn derived(due: Due, counting: Counting) -> Derivation {
        let anchor = at("2026-03-02T00:00:00-03:00");
        Derivation {
            due,
            counting,
            anchor,
            anchor_source: String::new(),
            method: String::new(),
            skipped: vec![],
        }
    }

    fn day(text: &str) -> Due {
        Due::Day(chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn time_left_is_measured_as_the_rule_measures() {
        let py = Calendar::bundled(find("PY").unwrap());
        let left_at = |due, counting, now| left(&py, &derived(due, counting), at(now));
        let monday = "2026-03-30T10:00:00-03:00";
        // Business days; Thursday 2 and Friday 3 April are holidays in Paraguay (Semana Santa).
        assert_eq!(left_at(day("2026-04-06"), Counting::BusinessDays, monday), "in 3 business days");
        assert_eq!(left_at(day("2026-03-30"), Counting::BusinessDays, monday), "today");
        assert_eq!(left_at(day("2026-03-26"), Counting::BusinessDays, monday), "overdue by 2 business days");
        assert_eq!(left_at(day("2026-03-27"), Counting::BusinessDays, monday), "overdue by 1 business day");
        // Late since Friday, but no business day has passed yet.
        let saturday = "2026-03-28T10:00:00-03:00";
        assert_eq!(left_at(day("2026-03-27"), Counting::BusinessDays, saturday), "overdue since Fri");
        // Calendar durations count calendar days, weekends included.
        assert_eq!(left_at(day("2026-04-06"), Counting::CalendarDays, monday), "in 7 days");
        assert_eq!(left_at(day("2026-03-29"), Counting::CalendarDays, monday), "overdue by 1 day");
        // Hours: business hours (09:00-18:00) do not run overnight, and make no 24-hour days.
        let friday = "2026-03-27T17:00:00-03:00";
        let business = Counting::BusinessHours;
        let next_monday = Due::At(at("2026-03-30T10:00:00-03:00"));
        assert_eq!(left_at(next_monday, business, friday), "2 h left in business hours");
        assert_eq!(left_at(next_monday, Counting::Always, friday), "2 d 17 h left");
        assert_eq!(left_at(next_monday, Counting::SixDays, friday), "1 d 17 h left");
        let due_friday = Due::At(at("2026-03-27T18:00:00-03:00"));
        assert_eq!(
            left_at(due_friday, business, "2026-03-30T10:30:00-03:00"),
            "overdue by 1 h 30 min in business hours"
        );
        assert_eq!(left_at(due_friday, business, "2026-03-28T09:00:00-03:00"), "overdue since Fri 18:00");
        assert_eq!(left_at(due_friday, Counting::Always, "2026-03-28T09:00:00-03:00"), "overdue by 15 h");
        let long = Due::At(at("2026-04-07T12:00:00-03:00"));
        // From one business day (nine hours here) on, business days; whole ones from ten.
        assert_eq!(left_at(long, business, monday), "4 business days 2 h left");
        let late = Due::At(at("2026-01-02T12:00:00-03:00"));
        assert_eq!(left_at(late, business, monday), "overdue by 60 business days");
        let lateness = |due, counting| lateness(&py, &derived(due, counting), at(monday));
        assert_eq!(lateness(late, business), Some(Amount { amount: 32820, unit: Unit::BusinessMinutes }));
        assert_eq!(
            lateness(day("2026-03-26"), Counting::BusinessDays),
            Some(Amount { amount: 2, unit: Unit::BusinessDays })
        );
        assert_eq!(lateness(day("2026-03-30"), Counting::BusinessDays), None);
        // The same gap gives the time left, before the due moment only.
        let ahead = |due, counting| gap(&py, &derived(due, counting), at(monday)).ahead();
        assert_eq!(
            ahead(day("2026-04-06"), Counting::BusinessDays),
            Some(Amount { amount: 3, unit: Unit::BusinessDays })
        );
        assert_eq!(
            ahead(day("2026-03-30"), Counting::BusinessDays),
            Some(Amount { amount: 0, unit: Unit::BusinessDays })
        );
        assert_eq!(ahead(day("2026-03-26"), Counting::BusinessDays), None);
        assert_eq!(ahead(long, business), Some(Amount { amount: 38 * 60, unit: Unit::BusinessMinutes }));
    }

    #[test]
    fn time_left_more_than_a_century_away_is_said_so_not_counted() {
        let py = Calendar::bundled(find("PY").unwrap());
        let now = at("2026-03-30T10:00:00-03:00");
        let far = at("9999-12-30T10:00:00-03:00");
        for counting in [Counting::BusinessHours, Counting::SixDays, Counting::Always] {
            assert_eq!(left(&py, &derived(Due::At(far), counting), now), "more than 100 years left");
            let due_now = derived(Due::At(now), counting);
            assert_eq!(left(&py, &due_now, far), "overdue by more than 100 years");
            assert!(!is_soon(&py, &derived(Due::At(far), counting), now, Thresholds::default()));
            assert_eq!(late_by(&py, &due_now, far), "more than 100 years");
        }
        let days = left(&py, &derived(day("9999-12-30"), Counting::BusinessDays), now);
        assert_eq!(days, "in 2080109 business days");
    }

    #[test]
    fn an_hour_rule_is_on_time_at_its_instant_and_a_day_rule_until_midnight() {
        let py = Calendar::bundled(find("PY").unwrap());
        let due = Due::At(at("2026-03-30T11:00:00-03:00"));
        assert!(!is_overdue(&py, due, at("2026-03-30T11:00:00-03:00")));
        assert!(is_overdue(&py, due, at("2026-03-30T11:00:01-03:00")));
        assert!(!is_overdue(&py, day("2026-03-30"), at("2026-03-30T23:59:59-03:00")));
        assert!(is_overdue(&py, day("2026-03-30"), at("2026-03-31T00:00:00-03:00")));
    }

    #[test]
    fn due_soon_uses_the_rules_own_hours() {
        let py = Calendar::bundled(find("PY").unwrap());
        let thresholds = Thresholds::default();
        let friday_evening = at("2026-03-27T20:00:00-03:00");
        let monday = Due::At(at("2026-03-30T09:30:00-03:00"));
        // Half a business hour away, but 61.5 hours on the clock.
        assert!(is_soon(&py, &derived(monday, Counting::BusinessHours), friday_evening, thresholds));
        assert!(!is_soon(&py, &derived(monday, Counting::Always), friday_evening, thresholds));
        // Two business days ahead is soon; three is not.
        let monday_morning = at("2026-03-30T08:00:00-03:00");
        assert!(is_soon(
            &py,
            &derived(day("2026-04-01"), Counting::BusinessDays),
            monday_morning,
            thresholds
        ));
        assert!(!is_soon(
            &py,
            &derived(day("2026-04-06"), Counting::BusinessDays),
            monday_morning,
            thresholds
        ));
    }
}
