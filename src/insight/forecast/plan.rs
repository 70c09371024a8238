//! What a project's remaining work looks like to the simulation: its phases and steps
//! as events in an order where every event comes after what it waits for, each step
//! with what it is drawn from (its history, its window, or the default) and what is
//! already fixed (done and skipped work keeps its real instants).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use super::samples::{MIN_SAMPLES, Samples};
use crate::calendar::Calendar;
use crate::deadline::evaluate::Counting;
use crate::insight::history;
use crate::playbook::condition::Condition;
use crate::playbook::rule::{Anchor, Deadline, Rule};
use crate::playbook::value::Value;
use crate::playbook::{Phase, Playbook, Step};
use crate::state::progress::{Status, StepView};
use crate::state::schedule::Unit;
use crate::state::standing::Standing;

type Instant = DateTime<FixedOffset>;

/// Where an open step's duration comes from, with how many samples history had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// Drawn from history (at least `MIN_SAMPLES`).
    History { samples: usize },
    /// Fewer than `MIN_SAMPLES`: done at the due moment of its own time limit.
    Window { samples: usize },
    /// Fewer than `MIN_SAMPLES` and no time limit of its own: one business day.
    Default { samples: usize },
}

impl Source {
    /// `history, 12 samples`; `its window: 3 samples, fewer than 5`; `default 1
    /// business day: no samples`.
    pub(crate) fn describe(&self) -> String {
        let counted = |n: usize| crate::words::count(i64::try_from(n).unwrap_or(i64::MAX), "sample");
        let few = |n: usize| match n {
            0 => "no samples".to_string(),
            n => format!("{}, fewer than {MIN_SAMPLES}", counted(n)),
        };
        match *self {
            Source::History { samples } => format!("history, {}", counted(samples)),
            Source::Window { samples } => format!("its window: {}", few(samples)),
            Source::Default { samples } => format!("default 1 business day: {}", few(samples)),
        }
    }

    /// `history`, `window` or `default`, as JSON writes it.
    pub(crate) fn key(&self) -> &'static str {
        match self {
            Source::History { .. } => "history",
            Source::Window { .. } => "window",
            Source::Default { .. } => "default",
        }
    }

    pub(crate) fn samples(&self) -> usize {
        match *self {
            Source::History { samples } | Source::Window { samples } | Source::Default { samples } => samples,
        }
    }
}

/// An open step, as the simulation draws it.
#[derive(Debug)]
pub(super) struct Open<'a> {
    pub step: &'a Step,
    pub status: Status,
    /// When it became ready, when it has (its prerequisites are complete).
    pub ready: Option<Instant>,
    /// Optional: forecast, but holding back neither what follows nor the end.
    pub optional: bool,
    /// Its condition reads a variable with no value yet: counted as applying.
    pub undecided: bool,
    pub source: Source,
    /// The durations it may take: history's, those longer than the time already spent
    /// when it is under way.
    pub draws: Vec<u64>,
    pub unit: Unit,
    pub counting: Option<Counting>,
}

/// What happens at an event.
#[derive(Debug)]
pub(super) enum Kind<'a> {
    /// A phase starts when everything its `after` names is complete.
    PhaseStart,
    /// A phase is complete when its steps are (at once when it does not apply).
    PhaseEnd {
        phase: &'a Phase,
        start: usize,
        applies: bool,
        open: Option<usize>,
    },
    /// A step done: its real instants.
    Done {
        ready: Option<Instant>,
        done: Instant,
    },
    /// A step skipped or not applicable: complete as soon as it is ready.
    Transparent,
    Open(Box<Open<'a>>),
}

#[derive(Debug)]
pub(super) struct Event<'a> {
    pub kind: Kind<'a>,
    /// The events whose completion it waits for (a step: its phase's start first).
    pub after: Vec<usize>,
}

/// A project ready to simulate.
#[derive(Debug)]
pub(super) struct Plan<'a> {
    pub events: Vec<Event<'a>>,
    /// Every event after those it waits for.
    pub order: Vec<usize>,
    /// By phase or step id: its start (or ready) event and its completion event.
    pub ids: HashMap<&'a str, (usize, usize)>,
    /// The open steps' events, in the playbook's order.
    pub open: Vec<usize>,
    /// The open phases' end events, in the playbook's order.
    pub open_phases: Vec<usize>,
}

impl<'a> Plan<'a> {
    pub(super) fn new(
        playbook: &'a Playbook,
        judged: &Standing<'a>,
        calendar: &Calendar,
        samples: &Samples,
        now: Instant,
    ) -> Plan<'a> {
        let mut events: Vec<Event<'a>> = Vec::new();
        let mut ids = HashMap::new();
        let (mut open, mut open_phases) = (Vec::new(), Vec::new());
        // Ids first, so that `after` lists can name work later in the playbook.
        let mut next = 0;
        for phase in &playbook.phases {
            let start = next;
            next += 1;
            for step in &phase.steps {
                ids.insert(step.id.as_str(), (next, next));
                next += 1;
            }
            ids.insert(phase.id.as_str(), (start, next));
            next += 1;
        }
        let done_of = |id: &String| ids.get(id.as_str()).map(|&(_, done)| done);
        let vars = &judged.progress.vars;
        for view in &judged.progress.phases {
            let phase = view.phase;
            let start = events.len();
            events.push(Event {
                kind: Kind::PhaseStart,
                after: phase.after.iter().filter_map(done_of).collect(),
            });
            let mut steps = Vec::new();
            for step in &view.steps {
                steps.push(events.len());
                let mut after = vec![start];
                after.extend(step.step.after.iter().filter_map(done_of));
                let kind = match step.status {
                    Status::Done => match step.record.done_at() {
                        Some(done) => Kind::Done { ready: step.started_at, done: done.0 },
                        None => Kind::Transparent,
                    },
                    Status::Skipped => Kind::Transparent,
                    _ => {
                        open.push(events.len());
                        let parts = (playbook, judged, calendar, samples, now);
                        Kind::Open(Box::new(open_step(step, vars, parts)))
                    }
                };
                events.push(Event { kind, after });
            }
            let applies = view.status != Status::Skipped;
            let is_open = !matches!(view.status, Status::Done | Status::Skipped);
            let row = is_open.then_some(open_phases.len());
            if is_open {
                open_phases.push(events.len());
            }
            let kind = Kind::PhaseEnd { phase, start, applies, open: row };
            let mut after = vec![start];
            after.extend(steps);
            events.push(Event { kind, after });
        }
        let order = order(&events, &ids);
        Plan { events, order, ids, open, open_phases }
    }
}

/// How one open step is drawn: from history when it has enough samples, else from its
/// window, else the default.
fn open_step<'a>(
    view: &StepView<'a>,
    vars: &std::collections::BTreeMap<String, Value>,
    (playbook, judged, calendar, samples, now): (&Playbook, &Standing<'a>, &Calendar, &Samples, Instant),
) -> Open<'a> {
    let (phase, step) = (view.phase, view.step);
    let schedule = &judged.schedule;
    let derivation = schedule.timing(&step.id).or_else(|| schedule.timing(&phase.id)).map(|t| &t.derivation);
    let unit = match derivation {
        Some(d) => history::unit_of(Some(d)),
        None => samples.usual_unit(&playbook.id, &step.id).unwrap_or(Unit::BusinessDays),
    };
    let counting = derivation.map(|d| d.counting);
    let known = samples.get(&playbook.id, &step.id, unit);
    let source = match known.len() {
        n if n >= MIN_SAMPLES => Source::History { samples: n },
        n if step.deadline.is_some() => Source::Window { samples: n },
        n => Source::Default { samples: n },
    };
    // Under way: only the durations longer than what it has already taken can still
    // happen. None left: it is done at the next business moment.
    let spent = view.started_at.filter(|ready| *ready < now).and_then(|ready| {
        let earliest = schedule.waiting(&step.id).is_some();
        (!earliest).then(|| history::measure(calendar, unit, counting, ready, now)).flatten()
    });
    let draws = match source {
        Source::History { .. } => known.iter().copied().filter(|d| spent.is_none_or(|s| *d > s)).collect(),
        _ => Vec::new(),
    };
    let undecided = view.status == Status::Blocked
        || decided(phase.when.as_ref(), vars).is_none()
        || decided(step.when.as_ref(), vars).is_none();
    Open {
        step,
        status: view.status,
        ready: view.started_at,
        optional: step.optional,
        undecided,
        source,
        draws,
        unit,
        counting,
    }
}

fn decided(condition: Option<&Condition>, vars: &std::collections::BTreeMap<String, Value>) -> Option<bool> {
    condition.map_or(Some(true), |c| c.evaluate(|name| vars.get(name)))
}

/// The events a rule's anchor reads, so that it is simulated before the rule is read.
fn anchored(rule: Option<&Deadline>, ids: &HashMap<&str, (usize, usize)>) -> Option<usize> {
    match &rule?.rule {
        Rule::Window { from: Anchor::Started(id), .. } => ids.get(id.as_str()).map(|&(start, _)| start),
        Rule::Window { from: Anchor::Done(id), .. } => ids.get(id.as_str()).map(|&(_, done)| done),
        _ => None,
    }
}

/// Every event after those it waits for and those its earliest start reads: a depth-first
/// walk with a stack of its own. Validation refuses cycles; one met anyway is broken
/// where it closes.
fn order(events: &[Event<'_>], ids: &HashMap<&str, (usize, usize)>) -> Vec<usize> {
    let needs = |i: usize| -> Vec<usize> {
        let mut needs = events[i].after.clone();
        if let Kind::Open(open) = &events[i].kind {
            needs.extend(anchored(open.step.not_before.as_ref(), ids));
        }
        needs.retain(|&n| n != i);
        needs
    };
    let mut state = vec![0u8; events.len()]; // 0 new, 1 on the stack, 2 placed
    let mut order = Vec::with_capacity(events.len());
    for root in 0..events.len() {
        let mut stack = vec![(root, false)];
        while let Some((i, expanded)) = stack.pop() {
            if expanded {
                state[i] = 2;
                order.push(i);
                continue;
            }
            if state[i] != 0 {
                continue;
            }
            state[i] = 1;
            stack.push((i, true));
            for need in needs(i).into_iter().rev() {
                if state[need] == 0 {
                    stack.push((need, false));
                }
            }
        }
    }
    order
}
