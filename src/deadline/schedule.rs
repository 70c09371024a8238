//! A project's deadlines at a moment: each phase's and step's due moment, whether it is
//! overdue or due soon, and the time left in words.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use super::arith::{self, Window};
use super::evaluate::{Derivation, Due, Inputs, Outcome, evaluate};
use crate::calendar::Calendar;
use crate::playbook::model::Node;
use crate::playbook::{Playbook, Step};
use crate::state::progress::{Progress, Status};

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
    /// `in 3 business days`, `2 h 15 min left`, `overdue by 2 business days`; empty when closed.
    pub left: String,
}

impl Timing {
    pub fn due(&self) -> Due {
        self.derivation.due
    }
}

/// The deadline of a phase or step: timed, or not yet computable (and why).
#[derive(Debug, Clone)]
pub enum Entry {
    Timed(Timing),
    Pending(String),
}

/// Every deadline of a project, by phase or step id.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    pub entries: HashMap<String, Entry>,
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
}

/// When a phase or step was completed, from the project's progress.
pub fn done_at(progress: &Progress<'_>, id: &str) -> Option<Instant> {
    if let Some(step) = progress.step(id) {
        return step.record.filter(|_| step.status == Status::Done).and_then(|r| r.done_at).map(|t| t.0);
    }
    let phase = progress.phases.iter().find(|p| p.phase.id == id)?;
    if phase.status != Status::Done {
        return None;
    }
    phase.steps.iter().filter_map(|s| s.record.and_then(|r| r.done_at)).map(|t| t.0).max()
}

/// When a phase or step became ready.
pub fn started_at(progress: &Progress<'_>, id: &str) -> Option<Instant> {
    match progress.step(id) {
        Some(step) => step.started_at,
        None => progress.phases.iter().find(|p| p.phase.id == id)?.started_at,
    }
}

/// Computes every deadline of a project as of `now`.
pub fn schedule(
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
    for view in &progress.phases {
        let open = !matches!(view.status, Status::Done | Status::Skipped);
        if let Some(deadline) = &view.phase.deadline {
            entries.insert(
                view.phase.id.clone(),
                entry(evaluate(deadline, &inputs), open, calendar, now, thresholds),
            );
        }
        for step in &view.steps {
            let open = !matches!(step.status, Status::Done | Status::Skipped);
            if let Some(deadline) = &step.step.deadline {
                let outcome = evaluate(deadline, &inputs);
                entries.insert(step.step.id.clone(), entry(outcome, open, calendar, now, thresholds));
            }
        }
    }
    Schedule { entries }
}

fn entry(outcome: Outcome, open: bool, calendar: &Calendar, now: Instant, thresholds: Thresholds) -> Entry {
    let derivation = match outcome {
        Outcome::Due(derivation) => derivation,
        Outcome::Pending(why) => return Entry::Pending(why),
    };
    let end = derivation.due.end(calendar);
    let overdue = open && now >= end;
    let soon = open && !overdue && is_soon(calendar, derivation.due, now, thresholds);
    let left = if open { left(calendar, derivation.due, now) } else { String::new() };
    Entry::Timed(Timing { derivation, overdue, soon, left })
}

fn is_soon(calendar: &Calendar, due: Due, now: Instant, thresholds: Thresholds) -> bool {
    let zone = calendar.zone;
    match due {
        Due::Day(day) => {
            let today = now.with_timezone(&zone).date_naive();
            arith::business_days_between(calendar, today, day) <= i64::from(thresholds.days)
        }
        Due::At(at) => {
            let minutes = arith::window_minutes_between(
                zone,
                now.with_timezone(&zone),
                at.with_timezone(&zone),
                Window::Business(calendar),
            );
            minutes <= i64::from(thresholds.hours) * 60
        }
    }
}

/// The time left (or how late), in words.
pub fn left(calendar: &Calendar, due: Due, now: Instant) -> String {
    match due {
        Due::Day(day) => {
            let today = now.with_timezone(&calendar.zone).date_naive();
            if today == day {
                return "due today".into();
            }
            let business = arith::business_days_between(calendar, today, day);
            let calendar_days = (day - today).num_days();
            let (count, unit) =
                if business != 0 { (business, "business day") } else { (calendar_days, "day") };
            let amount = count.unsigned_abs();
            let plural = if amount == 1 { "" } else { "s" };
            if count > 0 {
                format!("in {amount} {unit}{plural}")
            } else {
                format!("overdue by {amount} {unit}{plural}")
            }
        }
        Due::At(at) => {
            let minutes = (at - now).num_minutes();
            let text = duration_text(minutes.unsigned_abs());
            if at > now { format!("{text} left") } else { format!("overdue by {text}") }
        }
    }
}

/// `2 h 15 min`, `3 d 4 h`, `45 min`.
fn duration_text(minutes: u64) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// The phase or step a schedule entry belongs to, for listings.
pub fn owner_of(playbook: &Playbook, id: &str) -> Vec<String> {
    match playbook.node(id) {
        Some(Node::Step(_, step)) => step.owners.clone(),
        Some(Node::Phase(phase)) => phase.owners.clone(),
        None => Vec::new(),
    }
}

/// `III.2` for a step, `phase III` for a phase.
pub fn label_of(playbook: &Playbook, id: &str) -> String {
    match playbook.node(id) {
        Some(Node::Step(_, step)) => Step::label(step).to_string(),
        Some(Node::Phase(phase)) => format!("phase {}", phase.label()),
        None => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::find;

    fn at(text: &str) -> Instant {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn time_left_in_words() {
        let py = Calendar::bundled(find("PY").unwrap());
        let day = |s| Due::Day(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        let now = at("2026-03-30T10:00:00-03:00");
        assert_eq!(left(&py, day("2026-04-06"), now), "in 3 business days");
        assert_eq!(left(&py, day("2026-03-30"), now), "due today");
        assert_eq!(left(&py, day("2026-03-26"), now), "overdue by 2 business days");
        assert_eq!(left(&py, day("2026-03-29"), now), "overdue by 1 business day");
        assert_eq!(left(&py, Due::At(at("2026-03-30T12:15:00-03:00")), now), "2 h 15 min left");
        assert_eq!(left(&py, Due::At(at("2026-03-28T09:00:00-03:00")), now), "overdue by 2 d 1 h");
    }
}
