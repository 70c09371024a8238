//! When a project's open work will likely be done: a seeded Monte Carlo over what
//! remains of it, each open step's duration drawn from what the same step took in the
//! repository's finished and archived projects (`samples`), or, with too little history,
//! from its own window or a default of one business day (`plan`), one trial at a time
//! (`simulate`). The results: the P50 and P85 of the project's end and of each open
//! phase and step, the odds of meeting each open time limit and each milestone date,
//! and the critical path. docs/forecast.md describes the method.

mod plan;
mod samples;
mod simulate;

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};
use rand_core::SeedableRng;
use rand_pcg::Pcg32;

pub(crate) use plan::Source;
pub(crate) use samples::Samples;

use crate::calendar::Calendar;
use crate::deadline::evaluate::Due;
use crate::playbook::Playbook;
use crate::playbook::rule::{Deadline, Rule};
use crate::playbook::value::Value;
use crate::state::progress::{Detail, Status};
use crate::state::project::ProjectFile;
use crate::state::schedule::{Thresholds, Unit};
use crate::state::standing::standing;
use plan::{Kind, Plan};
use simulate::{Dated, Simulator, Trial};

type Instant = DateTime<FixedOffset>;

/// The seed when none is given: forecasts are the same from one run to the next.
pub(crate) const DEFAULT_SEED: u64 = 1;
/// Trials per project when none is asked for.
pub(crate) const DEFAULT_TRIALS: u32 = 1000;
/// A step lies on the critical path shown when it sets the end in this share of trials.
pub(crate) const CRITICAL_SHARE: f64 = 0.2;

/// How to run the simulation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub trials: u32,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { trials: DEFAULT_TRIALS, seed: DEFAULT_SEED }
    }
}

/// The median and the 85th percentile of a simulated instant (nearest rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spread {
    pub p50: Instant,
    pub p85: Instant,
}

/// An open step's forecast.
#[derive(Debug, Clone)]
pub(crate) struct StepForecast {
    pub id: String,
    pub status: Status,
    pub source: Source,
    pub finish: Spread,
    /// Optional: forecast, but it holds back neither others nor the end.
    pub optional: bool,
    /// Its condition is not decided yet: forecast as if it applied.
    pub undecided: bool,
    /// The unit its durations count in: minutes show an hour, days only a date.
    pub unit: Unit,
}

/// An open phase's forecast: when its last step will be done.
#[derive(Debug, Clone)]
pub(crate) struct PhaseForecast {
    pub id: String,
    pub finish: Spread,
}

/// When an open time limit falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LimitDue {
    /// Known already: its anchor is fixed.
    Fixed(Due),
    /// Depends on simulated work: its median over the trials.
    Simulated(Due),
}

/// An open phase's or step's own time limit, and the odds of meeting it.
#[derive(Debug, Clone)]
pub(crate) struct Limit {
    pub id: String,
    pub due: LimitDue,
    /// Trials in which it was met, of `of` in which its due moment could be computed.
    pub met: u32,
    pub of: u32,
}

/// A date the project holds that its rules count from (J): the odds it ends by then.
#[derive(Debug, Clone)]
pub(crate) struct MilestoneOdds {
    pub name: String,
    pub when: Due,
    /// Trials in which every applicable step was done by the milestone.
    pub met: u32,
}

/// A step on the chain of prerequisites that set the end, and how often it was.
#[derive(Debug, Clone)]
pub(crate) struct Critical {
    pub id: String,
    /// Trials in which it lay on that chain.
    pub trials: u32,
}

/// One project's forecast.
#[derive(Debug, Clone)]
pub(crate) struct Forecast {
    pub trials: u32,
    pub seed: u64,
    /// When every applicable step that is not optional will be done.
    pub end: Spread,
    pub steps: Vec<StepForecast>,
    pub phases: Vec<PhaseForecast>,
    pub limits: Vec<Limit>,
    pub milestones: Vec<MilestoneOdds>,
    /// The steps on the critical path in at least `CRITICAL_SHARE` of trials, most
    /// critical first.
    pub critical: Vec<Critical>,
}

impl Forecast {
    /// The lowest odds of meeting a time limit or a milestone, as a share; `None` without
    /// either. The portfolio lists the most at risk first.
    pub(crate) fn worst_odds(&self) -> Option<f64> {
        let limits = self.limits.iter().filter(|l| l.of > 0).map(|l| share(l.met, l.of));
        let milestones = self.milestones.iter().map(|m| share(m.met, self.trials));
        limits.chain(milestones).min_by(f64::total_cmp)
    }
}

/// `met` of `of` as a share (0 when `of` is 0).
pub(crate) fn share(met: u32, of: u32) -> f64 {
    if of == 0 { 0.0 } else { f64::from(met) / f64::from(of) }
}

/// The `p`th percentile of sorted `values` by nearest rank: the smallest value with at
/// least `p`% of them at or below it (rank ⌈p·n/100⌉). `None` when empty.
pub(crate) fn percentile<T: Copy>(sorted: &[T], p: u32) -> Option<T> {
    let n = sorted.len();
    let rank = (n * p as usize).div_ceil(100).max(1);
    sorted.get(rank.min(n).checked_sub(1)?).copied()
}

fn spread(mut values: Vec<Instant>) -> Option<Spread> {
    values.sort_unstable();
    Some(Spread { p50: percentile(&values, 50)?, p85: percentile(&values, 85)? })
}

/// A stable 64-bit hash (FNV-1a) of a project's name, so that each project draws its own
/// numbers whatever order the portfolio is read in.
fn stream(name: &str) -> u64 {
    name.bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Forecasts project `name`'s open work at `now`; `None` when nothing is open.
pub(crate) fn forecast(
    name: &str,
    playbook: &Playbook,
    file: &ProjectFile,
    calendar: &Calendar,
    samples: &Samples,
    now: Instant,
    settings: Settings,
) -> Option<Forecast> {
    let judged = standing(playbook, file, calendar, now, Thresholds::default(), Detail::Statuses);
    if judged.is_finished() {
        return None;
    }
    let plan = Plan::new(playbook, &judged, calendar, samples, now);
    let vars = &judged.progress.vars;
    let mut simulator = Simulator::new(&plan, calendar, vars, file.started_at().0, now);
    let mut rng = Pcg32::seed_from_u64(settings.seed ^ stream(name));
    let trials = settings.trials.max(1);
    let mut tally = Tally::new(&plan, playbook, vars, calendar, (file.started_at().0, trials));
    for _ in 0..trials {
        let trial = simulator.run(&mut rng);
        tally.add(&plan, &mut simulator, &trial);
    }
    Some(tally.finish(&plan, &judged.schedule, settings, trials))
}

/// What the trials add up to, gathered one trial at a time.
struct Tally<'c> {
    calendar: &'c Calendar,
    /// The project's start.
    start: Instant,
    ends: Vec<Instant>,
    steps: Vec<Vec<Instant>>,
    phases: Vec<Vec<Instant>>,
    /// By event with a time limit of its own: its dues and how often it was met.
    limits: Vec<(usize, Vec<Due>, u32)>,
    milestones: Vec<(String, Dated, u32)>,
    critical: Vec<u32>,
}

impl<'c> Tally<'c> {
    fn new(
        plan: &Plan<'_>,
        playbook: &Playbook,
        vars: &std::collections::BTreeMap<String, Value>,
        calendar: &'c Calendar,
        (start, trials): (Instant, u32),
    ) -> Self {
        let capacity = trials as usize;
        let mut limits = Vec::new();
        for (i, event) in plan.events.iter().enumerate() {
            let has_limit = match &event.kind {
                Kind::Open(open) => open.step.deadline.is_some(),
                Kind::PhaseEnd { phase, open: Some(_), .. } => phase.deadline.is_some(),
                _ => false,
            };
            if has_limit {
                limits.push((i, Vec::with_capacity(capacity), 0));
            }
        }
        Tally {
            calendar,
            start,
            ends: Vec::with_capacity(capacity),
            steps: vec![Vec::with_capacity(capacity); plan.open.len()],
            phases: vec![Vec::with_capacity(capacity); plan.open_phases.len()],
            limits,
            milestones: milestones(playbook, vars)
                .into_iter()
                .map(|(name, due)| {
                    (name, Dated { due, start: due.start(calendar), end: due.end(calendar) }, 0)
                })
                .collect(),
            critical: vec![0; plan.events.len()],
        }
    }

    fn add(&mut self, plan: &Plan<'_>, simulator: &mut Simulator<'_, '_>, trial: &Trial) {
        for (row, &i) in plan.open.iter().enumerate() {
            self.steps[row].extend(trial.done[i]);
        }
        for (row, &i) in plan.open_phases.iter().enumerate() {
            self.phases[row].extend(trial.done[i]);
        }
        // Nothing applicable and not optional left, and nothing done: it ends as it began.
        let (end, last) = end_of(plan, trial).map_or((self.start, None), |(end, last)| (end, Some(last)));
        self.ends.push(end);
        for (i, dues, met) in &mut self.limits {
            let rule = match &plan.events[*i].kind {
                Kind::Open(open) => open.step.deadline.as_ref(),
                Kind::PhaseEnd { phase, .. } => phase.deadline.as_ref(),
                _ => None,
            };
            let (Some(rule), Some(done)) = (rule, trial.done[*i]) else { continue };
            if let Some(dated) = simulator.due(*i, false, rule, trial) {
                dues.push(dated.due);
                *met += u32::from(dated.is_met(done));
            }
        }
        for (_, when, met) in &mut self.milestones {
            *met += u32::from(when.is_met(end));
        }
        // The chain that set the end: from the last step back through the prerequisite
        // that set each start. Work already done ends it.
        let mut at = last;
        let mut seen = 0;
        while let Some(i) = at
            && seen <= plan.events.len()
        {
            if let Kind::Open(open) = &plan.events[i].kind
                && !open.optional
            {
                self.critical[i] += 1;
            }
            at = trial.link[i];
            seen += 1;
        }
    }

    fn finish(
        self,
        plan: &Plan<'_>,
        schedule: &crate::state::schedule::Schedule,
        settings: Settings,
        trials: u32,
    ) -> Forecast {
        let steps = plan
            .open
            .iter()
            .zip(self.steps)
            .filter_map(|(&i, finishes)| {
                let Kind::Open(open) = &plan.events[i].kind else { return None };
                Some(StepForecast {
                    id: open.step.id.clone(),
                    status: open.status,
                    source: open.source,
                    finish: spread(finishes)?,
                    optional: open.optional,
                    undecided: open.undecided,
                    unit: open.unit,
                })
            })
            .collect();
        let phases = plan
            .open_phases
            .iter()
            .zip(self.phases)
            .filter_map(|(&i, finishes)| {
                let Kind::PhaseEnd { phase, .. } = &plan.events[i].kind else { return None };
                Some(PhaseForecast { id: phase.id.clone(), finish: spread(finishes)? })
            })
            .collect();
        let calendar = self.calendar;
        let limits = self
            .limits
            .into_iter()
            .filter(|(_, dues, _)| !dues.is_empty())
            .map(|(i, mut dues, met)| {
                let id = match &plan.events[i].kind {
                    Kind::Open(open) => open.step.id.clone(),
                    Kind::PhaseEnd { phase, .. } => phase.id.clone(),
                    _ => String::new(),
                };
                let of = u32::try_from(dues.len()).unwrap_or(u32::MAX);
                let due = match schedule.timing(&id) {
                    Some(timing) => LimitDue::Fixed(timing.due()),
                    None => {
                        dues.sort_by_key(|due| due.start(calendar));
                        LimitDue::Simulated(percentile(&dues, 50).unwrap_or(dues[0]))
                    }
                };
                Limit { id, due, met, of }
            })
            .collect();
        let milestones = self
            .milestones
            .into_iter()
            .map(|(name, when, met)| MilestoneOdds { name, when: when.due, met })
            .collect();
        let mut critical: Vec<Critical> = self
            .critical
            .iter()
            .enumerate()
            .filter(|&(_, &count)| share(count, trials) >= CRITICAL_SHARE && count > 0)
            .filter_map(|(i, &count)| match &plan.events[i].kind {
                Kind::Open(open) => Some(Critical { id: open.step.id.clone(), trials: count }),
                _ => None,
            })
            .collect();
        // Most critical first; ties in the playbook's order (the events are in it).
        critical.sort_by_key(|c| std::cmp::Reverse(c.trials));
        Forecast {
            trials,
            seed: settings.seed,
            end: spread(self.ends).unwrap_or(Spread { p50: self.start, p85: self.start }),
            steps,
            phases,
            limits,
            milestones,
            critical,
        }
    }
}

/// The project's end in a trial: the last applicable, not optional step's completion
/// (done ones at their real instant), and that step's event: of steps done at the same
/// instant, the last in the playbook, which the others held back.
fn end_of(plan: &Plan<'_>, trial: &Trial) -> Option<(Instant, usize)> {
    let mut end: Option<(Instant, usize)> = None;
    for (i, event) in plan.events.iter().enumerate() {
        let counts = match &event.kind {
            Kind::Done { .. } => true,
            Kind::Open(open) => !open.optional,
            _ => false,
        };
        if let (true, Some(done)) = (counts, trial.done[i])
            && end.is_none_or(|(at, _)| done >= at)
        {
            end = Some((done, i));
        }
    }
    end
}

/// The dates the playbook's rules count from as milestones (J), with the value this
/// project holds, in the playbook's order of its variables.
fn milestones(playbook: &Playbook, vars: &std::collections::BTreeMap<String, Value>) -> Vec<(String, Due)> {
    let rules = playbook.phases.iter().flat_map(|phase| {
        let steps = phase.steps.iter().flat_map(|s| [s.deadline.as_ref(), s.not_before.as_ref()]);
        std::iter::once(phase.deadline.as_ref()).chain(steps).flatten()
    });
    let named: BTreeSet<&str> = rules
        .filter_map(|rule: &Deadline| match &rule.rule {
            Rule::Milestone { milestone, .. } => Some(milestone.as_str()),
            Rule::Window { .. } => None,
        })
        .collect();
    let declared = playbook.variables.iter().chain(playbook.steps().flat_map(|(_, step)| step.fields.iter()));
    let mut found: Vec<(String, Due)> = Vec::new();
    for variable in declared {
        if !named.contains(variable.name.as_str()) || found.iter().any(|(name, _)| *name == variable.name) {
            continue;
        }
        match vars.get(&variable.name) {
            Some(Value::Date(date)) => found.push((variable.name.clone(), Due::Day(*date))),
            Some(Value::DateTime(at)) => found.push((variable.name.clone(), Due::At(*at))),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests;
