//! What a project's history says about each step it finished: when the step became
//! ready, when it was done, how long that took as its time limit counts it (business
//! days, or the hours of an hour rule), how long it waited for its prerequisites, and
//! whether it was done on time. Forecasts sample these durations; statistics sum them.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use crate::calendar::Calendar;
use crate::deadline::arith::{self, Window};
use crate::deadline::evaluate::{Counting, Derivation, Due};
use crate::playbook::model::Node;
use crate::playbook::rule::{Deadline, Rule, Within};
use crate::playbook::value::Value;
use crate::state::progress::Status;
use crate::state::schedule::{self, Amount, Unit};
use crate::state::standing::Standing;

type Instant = DateTime<FixedOffset>;

/// How a step's durations are counted: as its own time limit counts (business hours
/// for a 2-business-hour diagnosis, hours of every day for a `7x24` service), else in
/// business days of the project's calendar.
pub(crate) fn unit_of(derivation: Option<&Derivation>) -> Unit {
    match derivation.map(|d| d.counting) {
        Some(Counting::BusinessHours) => Unit::BusinessMinutes,
        Some(Counting::SixDays | Counting::Always) => Unit::Minutes,
        Some(Counting::CalendarDays) => Unit::Days,
        Some(Counting::BusinessDays) | None => Unit::BusinessDays,
    }
}

/// The time from `from` to `to` in `unit`, on `calendar`: whole business days between
/// the two dates (done the day it became ready: 0), whole calendar days, or minutes of
/// the hours that count. Zero when `to` is not after `from`; `None` past what is counted
/// (more than 100 years of minutes).
pub(crate) fn measure(
    calendar: &Calendar,
    unit: Unit,
    counting: Option<Counting>,
    from: Instant,
    to: Instant,
) -> Option<u64> {
    let zone = calendar.zone;
    let (from, to) = (from.with_timezone(&zone), to.with_timezone(&zone));
    if to <= from {
        return Some(0);
    }
    let amount = match unit {
        Unit::BusinessDays => arith::business_days_between(calendar, from.date_naive(), to.date_naive()),
        Unit::Days => (to.date_naive() - from.date_naive()).num_days(),
        Unit::BusinessMinutes => arith::window_minutes_between(zone, from, to, Window::Business(calendar))?,
        Unit::Minutes => {
            let window = counting.and_then(|c| c.window(calendar)).unwrap_or(Window::Always);
            arith::window_minutes_between(zone, from, to, window)?
        }
    };
    Some(amount.max(0).unsigned_abs())
}

/// One phase or step a project finished (done, not skipped), as history keeps it.
#[derive(Debug, Clone)]
pub(crate) struct Span<'a> {
    /// The step, or the phase (finished when its last step was).
    pub node: Node<'a>,
    /// When it was done (the first completion that counts; a phase: its last step's).
    pub done: Instant,
    /// Who did it (a step); empty for a phase.
    pub by: String,
    /// From ready to done, counted as its own time limit counts, else as its phase's,
    /// else in business days.
    pub took: Amount,
    /// A step: from its phase's start to when it became ready (waiting for its
    /// prerequisites), in the same unit. `None` for a phase, or when that is not known.
    pub waited: Option<Amount>,
    /// Its due moment, when it has a time limit of its own that could be computed.
    pub due: Option<Due>,
    /// How late it was done, as its rule counts; `None` when on time or without a limit.
    pub late: Option<Amount>,
    /// The values of the variables its time limit is looked up by (a support request's
    /// type and criticality), in the table's order: a service level's compliance is
    /// measured per these values.
    pub level: Vec<(String, String)>,
}

impl Span<'_> {
    /// Done by its due moment; `None` without a time limit.
    pub(crate) fn on_time(&self) -> Option<bool> {
        self.due.map(|_| self.late.is_none())
    }
}

/// Every phase and step the project has finished, with its duration, wait and
/// lateness, in the playbook's order (each phase before its steps).
pub(crate) fn spans<'a>(judged: &Standing<'a>, calendar: &Calendar) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    let vars = &judged.progress.vars;
    for phase in &judged.progress.phases {
        let phase_derivation = judged.schedule.timing(&phase.phase.id).map(|t| &t.derivation);
        if phase.status == Status::Done
            && let (Some(ready), Some(done)) =
                (phase.started_at, schedule::done_at(&judged.progress, &phase.phase.id))
        {
            let node = Node::Phase(phase.phase);
            if let Some(mut span) =
                span(node, calendar, phase_derivation, phase_derivation, (None, ready, done))
            {
                span.level = level(phase.phase.deadline.as_ref(), vars);
                spans.push(span);
            }
        }
        for view in phase.steps.iter().filter(|view| view.status == Status::Done) {
            let (Some(ready), Some(done)) = (view.started_at, view.record.done_at()) else { continue };
            let own = judged.schedule.timing(&view.step.id).map(|t| &t.derivation);
            let counted = own.or(phase_derivation);
            let node = Node::Step(phase.phase, view.step);
            if let Some(mut span) = span(node, calendar, own, counted, (phase.started_at, ready, done.0)) {
                span.by = view.record.done_by().unwrap_or_default().to_string();
                span.level = level(view.step.deadline.as_ref(), vars);
                spans.push(span);
            }
        }
    }
    spans
}

/// A finished phase or step: `own` is its own time limit's derivation (its lateness),
/// `counted` the one its durations are counted by; `times` are its phase's start (for a
/// step), and when it was ready and done.
fn span<'a>(
    node: Node<'a>,
    calendar: &Calendar,
    own: Option<&Derivation>,
    counted: Option<&Derivation>,
    (phase_start, ready, done): (Option<Instant>, Instant, Instant),
) -> Option<Span<'a>> {
    let unit = unit_of(counted);
    let counting = counted.map(|d| d.counting);
    let amount = |from, to| measure(calendar, unit, counting, from, to).map(|amount| Amount { amount, unit });
    Some(Span {
        node,
        done,
        by: String::new(),
        took: amount(ready, done)?,
        waited: phase_start.and_then(|start| amount(start, ready)),
        due: own.map(|d| d.due),
        late: own.and_then(|d| schedule::lateness(calendar, d, done)),
        level: Vec::new(),
    })
}

/// The values of the variables a time limit is looked up by, `unset` for one with no
/// value.
fn level(deadline: Option<&Deadline>, vars: &BTreeMap<String, Value>) -> Vec<(String, String)> {
    let Some(Rule::Window { within: Within::Table { by, .. }, .. }) = deadline.map(|d| &d.rule) else {
        return Vec::new();
    };
    by.iter()
        .map(|name| (name.clone(), vars.get(name).map_or_else(|| "unset".into(), ToString::to_string)))
        .collect()
}

/// What the history and statistics tests share: a two-step playbook with a phase limit
/// and a step limit, and instants and stamps on its calendar.
#[cfg(test)]
pub(crate) mod fixture {
    pub(crate) use crate::state::fixture::{at, stamp};

    /// Phase `p` is due 3 business days after it starts; `b`, 2 after `a` is done.
    pub(crate) const PLAYBOOK: &str = "id: two\ntitle: Two\ncalendar: PY\nroles:\n  - id: ops\nphases:\n  - id: p\n    title: P\n    owner: ops\n    deadline:\n      within: 3 business days\n      from: p.start\n    steps:\n      - id: a\n        title: A\n        owner: ops\n      - id: b\n        title: B\n        owner: ops\n        deadline:\n          within: 2 business days\n          from: a.done\n";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::{Origin, parse};
    use crate::state::change::{Earliest, complete, start};
    use crate::state::progress::Detail;
    use crate::state::schedule::Thresholds;
    use crate::state::standing::standing;

    use super::fixture::{PLAYBOOK, at, stamp};

    #[test]
    fn a_finished_step_is_measured_as_its_limit_counts_and_judged_on_time_or_late() {
        let playbook = parse(PLAYBOOK, "two.yaml", Origin::Bundled).unwrap();
        let calendar = Calendar::bundled(crate::calendar::find("PY").unwrap());
        let none = BTreeMap::new();
        let mut file = start(&playbook, "p1", "PY", &none, &stamp("2026-03-02T09:00:00-03:00"));
        for (id, when) in [("a", "2026-03-04T10:00:00-03:00"), ("b", "2026-03-09T11:00:00-03:00")] {
            let step = playbook.resolve_step(id).unwrap();
            complete(&playbook, &mut file, step, &none, None, &stamp(when), &Earliest::Any).unwrap();
        }
        let now = at("2026-03-10T12:00:00-03:00").0;
        let judged = standing(&playbook, &file, &calendar, now, Thresholds::default(), Detail::Statuses);
        assert!(judged.is_finished());
        assert_eq!(judged.finished_at(), Some(at("2026-03-09T11:00:00-03:00").0));
        let spans = spans(&judged, &calendar);
        let seen: Vec<_> = spans
            .iter()
            .map(|s| {
                (
                    s.node.id(),
                    s.took.amount,
                    s.waited.map(|w| w.amount),
                    s.on_time(),
                    s.late.map(|l| l.amount),
                )
            })
            .collect();
        // The phase ran Mon 2 to Mon 9 March: 5 business days for 3 allowed, 2 late.
        // Step a waited for nothing and took 2 business days; b waited 2, took 3 for 2.
        assert_eq!(
            seen,
            [
                ("p", 5, None, Some(false), Some(2)),
                ("a", 2, Some(0), None, None),
                ("b", 3, Some(2), Some(false), Some(1)),
            ]
        );
        assert!(spans.iter().all(|s| s.took.unit == Unit::BusinessDays));
        assert_eq!(spans[2].by, "ana");
    }
}
