//! One trial of the Monte Carlo: every event of a plan in order, each open step drawn
//! (from its history, its window or the default), its start held by its prerequisites'
//! simulated completions and its earliest start; and for each event, which
//! prerequisite set its start, to trace the chain that sets the end.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use rand_core::Rng;

use super::plan::{Event, Kind, Open, Plan, Source};
use crate::calendar::Calendar;
use crate::deadline::arith::{self, Window};
use crate::deadline::evaluate::{Due, Inputs, Outcome, evaluate};
use crate::playbook::rule::Deadline;
use crate::playbook::value::Value;
use crate::state::schedule::Unit;

type Instant = DateTime<FixedOffset>;

/// The key the default duration is remembered under among drawn amounts.
const DEFAULT: u64 = u64::MAX;

/// The instants of one trial, by event.
#[derive(Debug, Clone)]
pub(super) struct Trial {
    /// When each event's phase or step started (was ready).
    pub ready: Vec<Option<Instant>>,
    /// When each step was done and each phase complete (`None`: skipped, not applicable).
    pub done: Vec<Option<Instant>>,
    /// When each event stopped holding back what waits for it.
    pub complete: Vec<Instant>,
    /// The prerequisite whose completion set each event's start, if one did.
    pub link: Vec<Option<usize>>,
}

/// What stays the same from one trial to the next: the project, its calendar, and the
/// due moments already worked out, by rule and anchor (anchors repeat across trials).
pub(super) struct Simulator<'p, 'a> {
    pub plan: &'p Plan<'a>,
    pub calendar: &'p Calendar,
    pub vars: &'p BTreeMap<String, Value>,
    pub project_start: Instant,
    /// The first moment open work can be done: one business minute after now.
    pub floor: Instant,
    dues: HashMap<(usize, bool, Option<Instant>), Option<Dated>>,
    ends: HashMap<(usize, Instant, u64), Instant>,
    /// `on_day`'s answers: the zone's arithmetic was most of a trial's cost.
    days: HashMap<(NaiveDate, Instant), Instant>,
}

/// A due moment with the instants it is compared by, worked out once.
#[derive(Debug, Clone, Copy)]
pub(super) struct Dated {
    pub due: Due,
    /// Its first instant (an earliest start's).
    pub start: Instant,
    /// The instant from which work is late (midnight after a day rule's day).
    pub end: Instant,
}

impl Dated {
    /// Done by it: a day rule on or before its day, an hour rule by its instant (as
    /// `schedule` judges overdue work).
    pub(super) fn is_met(&self, done: Instant) -> bool {
        match self.due {
            Due::Day(_) => done < self.end,
            Due::At(at) => done <= at,
        }
    }
}

impl<'p, 'a> Simulator<'p, 'a> {
    pub(super) fn new(
        plan: &'p Plan<'a>,
        calendar: &'p Calendar,
        vars: &'p BTreeMap<String, Value>,
        project_start: Instant,
        now: Instant,
    ) -> Self {
        let zone = calendar.zone;
        let floor = arith::add_window_minutes(zone, now.with_timezone(&zone), 1, Window::Business(calendar))
            .map_or(now, |at| at.fixed_offset());
        Simulator {
            plan,
            calendar,
            vars,
            project_start,
            floor,
            dues: HashMap::new(),
            ends: HashMap::new(),
            days: HashMap::new(),
        }
    }

    /// Runs one trial, drawing from `rng`.
    pub(super) fn run(&mut self, rng: &mut impl Rng) -> Trial {
        let n = self.plan.events.len();
        let mut trial = Trial {
            ready: vec![None; n],
            done: vec![None; n],
            complete: vec![self.project_start; n],
            link: vec![None; n],
        };
        for &i in &self.plan.order {
            let event = &self.plan.events[i];
            let (start, link) = self.start_of(event, &trial);
            trial.link[i] = link;
            match &event.kind {
                Kind::PhaseStart | Kind::Transparent => {
                    trial.ready[i] = Some(start);
                    trial.complete[i] = start;
                }
                Kind::PhaseEnd { start: first, applies, .. } => {
                    trial.ready[i] = trial.ready[*first];
                    trial.complete[i] = start;
                    trial.done[i] = applies.then_some(start);
                }
                Kind::Done { ready, done } => {
                    trial.ready[i] = ready.or(Some(start));
                    trial.done[i] = Some(*done);
                    trial.complete[i] = *done;
                    trial.link[i] = None;
                }
                Kind::Open(open) => self.open(i, open, start, &mut trial, rng),
            }
        }
        trial
    }

    /// The latest completion among what `event` waits for, and which one it was.
    fn start_of(&self, event: &Event<'_>, trial: &Trial) -> (Instant, Option<usize>) {
        let mut start = (self.project_start, None);
        for &need in &event.after {
            if trial.complete[need] > start.0 {
                start = (trial.complete[need], Some(need));
            }
        }
        start
    }

    fn open(
        &mut self,
        i: usize,
        open: &Open<'_>,
        prerequisites: Instant,
        trial: &mut Trial,
        rng: &mut impl Rng,
    ) {
        // Ready (or blocked, or held by its earliest start): its prerequisites are done,
        // at their real instants; waiting: when the simulated ones allow.
        let mut start = open.ready.unwrap_or(prerequisites);
        if let Some(rule) = &open.step.not_before
            && let Some(due) = self.due(i, true, rule, trial)
        {
            let earliest = due.start;
            if earliest > start {
                start = earliest;
                trial.link[i] = None;
            }
        }
        trial.ready[i] = Some(start);
        let drawn = match open.source {
            Source::History { .. } if open.draws.is_empty() => self.floor,
            Source::History { .. } => {
                let amount = open.draws[pick(rng, open.draws.len())];
                self.after(i, open, start, amount)
            }
            Source::Window { .. } => {
                match open.step.deadline.as_ref().and_then(|rule| self.due(i, false, rule, trial)) {
                    Some(Dated { due: Due::At(at), .. }) => at,
                    Some(Dated { due: Due::Day(day), .. }) => self.on_day(day, start),
                    None => self.default_end(i, start),
                }
            }
            Source::Default { .. } => self.default_end(i, start),
        };
        // Open work is not done before now, whatever was drawn.
        let done = drawn.max(start).max(self.floor);
        trial.done[i] = Some(done);
        trial.complete[i] = if open.optional { prerequisites } else { done };
    }

    /// The default: one business day after it starts (remembered as a draw of its own,
    /// which no amount of history can be).
    fn default_end(&mut self, i: usize, start: Instant) -> Instant {
        if let Some(end) = self.ends.get(&(i, start, DEFAULT)) {
            return *end;
        }
        let day = start.with_timezone(&self.calendar.zone).date_naive();
        let end =
            arith::add_business_days(self.calendar, day, 1).map_or(start, |day| self.on_day(day, start));
        self.ends.insert((i, start, DEFAULT), end);
        end
    }

    /// `amount` of the step's unit after `start`, remembered per step and start.
    fn after(&mut self, i: usize, open: &Open<'_>, start: Instant, amount: u64) -> Instant {
        if let Some(end) = self.ends.get(&(i, start, amount)) {
            return *end;
        }
        let calendar = self.calendar;
        let zone = calendar.zone;
        let local = start.with_timezone(&zone);
        let minutes = |window| {
            let minutes = i64::try_from(amount).unwrap_or(i64::MAX / 2);
            arith::add_window_minutes(zone, local, minutes, window).ok().map(|at| at.fixed_offset())
        };
        let end = match open.unit {
            Unit::BusinessDays => u32::try_from(amount)
                .ok()
                .and_then(|n| arith::add_business_days(calendar, local.date_naive(), n).ok())
                .map(|day| on_day(calendar, day, start)),
            Unit::Days => {
                let n = i64::try_from(amount).unwrap_or(i64::MAX / 2);
                arith::add_days(local.date_naive(), n).ok().map(|day| on_day(calendar, day, start))
            }
            Unit::BusinessMinutes => minutes(Window::Business(calendar)),
            Unit::Minutes => {
                minutes(open.counting.and_then(|c| c.window(calendar)).unwrap_or(Window::Always))
            }
        };
        // Past what the calendar counts: as far as it goes, which the end shows.
        let end = end.unwrap_or(start);
        self.ends.insert((i, start, amount), end);
        end
    }

    /// Event `i`'s time limit (or, `earliest`, its earliest start) with the trial's
    /// instants as anchors; remembered per rule and anchor instant.
    pub(super) fn due(&mut self, i: usize, earliest: bool, rule: &Deadline, trial: &Trial) -> Option<Dated> {
        let anchor = self.anchor(rule, trial);
        if let Some(due) = self.dues.get(&(i, earliest, anchor)) {
            return *due;
        }
        let ids = &self.plan.ids;
        let started = |id: &str| ids.get(id).and_then(|&(start, _)| trial.ready[start]);
        let done = |id: &str| ids.get(id).and_then(|&(_, done)| trial.done[done]);
        let inputs = Inputs {
            calendar: self.calendar,
            vars: self.vars,
            project_start: self.project_start,
            started: &started,
            done: &done,
        };
        let due = match evaluate(rule, &inputs) {
            Outcome::Due(derivation) => Some(derivation.due),
            Outcome::Pending(_) => None,
        };
        let calendar = self.calendar;
        let due = due.map(|due| Dated { due, start: due.start(calendar), end: due.end(calendar) });
        self.dues.insert((i, earliest, anchor), due);
        due
    }

    /// The simulated instant a rule counts from, when it is a phase's or step's.
    fn anchor(&self, rule: &Deadline, trial: &Trial) -> Option<Instant> {
        use crate::playbook::rule::{Anchor, Rule};
        let ids = &self.plan.ids;
        match &rule.rule {
            Rule::Window { from: Anchor::Started(id), .. } => {
                ids.get(id.as_str()).and_then(|&(s, _)| trial.ready[s])
            }
            Rule::Window { from: Anchor::Done(id), .. } => {
                ids.get(id.as_str()).and_then(|&(_, d)| trial.done[d])
            }
            _ => None,
        }
    }
}

impl Simulator<'_, '_> {
    /// `on_day`, remembered.
    fn on_day(&mut self, day: NaiveDate, start: Instant) -> Instant {
        let calendar = self.calendar;
        *self.days.entry((day, start)).or_insert_with(|| on_day(calendar, day, start))
    }
}

/// An index below `n` from 32 random bits, by multiplying and shifting (Lemire's method
/// without the rejection step: its bias, below n / 2^32, does not show in a forecast).
/// The same seed gives the same index on every platform.
pub(super) fn pick(rng: &mut impl Rng, n: usize) -> usize {
    let n = u64::try_from(n).unwrap_or(u64::MAX);
    let index = (u64::from(rng.next_u32()) * n) >> 32;
    usize::try_from(index).unwrap_or(0)
}

/// The moment on `day` at the time of day `start` has, in the calendar's zone; not
/// before `start`. Whole business days are counted from date to date, so a step ready at
/// 10:00 and drawn to take 2 days is done two business days later at 10:00.
pub(super) fn on_day(calendar: &Calendar, day: NaiveDate, start: Instant) -> Instant {
    let time: NaiveTime = start.with_timezone(&calendar.zone).time();
    arith::local(calendar.zone, day, time).fixed_offset().max(start)
}
