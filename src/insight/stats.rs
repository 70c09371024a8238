//! A team's flow metrics over its history: per phase and step, per role, per month, the
//! bottlenecks and the service levels. Each project is first reduced to a small owned
//! `Sample` (what it finished, what is open), on whatever thread read it; `Stats::of`
//! then adds the samples up. Definitions are in docs/stats.md.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate};

use super::forecast::percentile;
use super::history::Span;
use crate::calendar::Calendar;
use crate::playbook::Playbook;
use crate::playbook::model::Node;
use crate::playbook::rule::Rule;
use crate::state::progress::Status;
use crate::state::schedule::{Amount, Entry, Unit};
use crate::state::standing::Standing;

type Instant = DateTime<FixedOffset>;

/// The days a statistics run looks at, inclusive, in each project calendar's days:
/// `--since` and `--until`. Finishes count by the day they were done, projects by the day
/// they started and the day they finished.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Window {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Window {
    pub(crate) fn contains(&self, day: NaiveDate) -> bool {
        self.since.is_none_or(|since| day >= since) && self.until.is_none_or(|until| day <= until)
    }
}

/// Which phase or step a finish or open work is, as statistics group and name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Work {
    pub playbook: String,
    /// Where it comes in its playbook, so that tables follow the document.
    pub rank: usize,
    pub id: String,
    /// `III.2`, or `phase III`.
    pub label: String,
    /// ``III.2 `configure-production` ``, ``phase `warranty` ``.
    pub named: String,
    pub title: String,
}

impl Work {
    fn of(playbook: &Playbook, node: Node<'_>) -> Work {
        Work {
            playbook: playbook.id.clone(),
            rank: playbook.position(node.id()),
            id: node.id().to_string(),
            label: node.label(),
            named: node.named(),
            title: node.title().to_string(),
        }
    }
}

/// A phase or step a project finished within the window.
#[derive(Debug, Clone)]
pub(crate) struct Finish {
    pub work: Work,
    pub is_step: bool,
    pub owners: Vec<String>,
    /// The day it was done, in the project calendar's zone.
    pub day: NaiveDate,
    pub took: Amount,
    pub waited: Option<Amount>,
    /// Against a time limit of its own; `None` without one.
    pub on_time: Option<bool>,
    /// How late, in business days (`business_days`); 0 when on time.
    pub lost: f64,
    /// The variables its time limit was looked up by, with the service level's variable
    /// last; empty for a fixed limit.
    pub level: Vec<(String, String)>,
}

/// An open phase or step that is either the load of its owners (a step ready,
/// scheduled or blocked) or overdue.
#[derive(Debug, Clone)]
pub(crate) struct Open {
    pub work: Work,
    pub owners: Vec<String>,
    /// A step ready, scheduled or blocked: work its owners carry now.
    pub is_load: bool,
    pub overdue: bool,
    /// How late so far, in business days.
    pub lost: f64,
}

/// One project reduced to what statistics need, owned: it crosses threads without its
/// playbook.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sample {
    /// The day it started, in its calendar's zone, if within the window.
    pub started: Option<NaiveDate>,
    /// The day it finished, if it has and within the window.
    pub finished: Option<NaiveDate>,
    pub finishes: Vec<Finish>,
    pub open: Vec<Open>,
}

/// Lateness as business days: business minutes at the calendar's business hours per
/// day, minutes of a 6x24 or 7x24 rule at 1,440 per day, calendar days one for one.
pub(crate) fn business_days(amount: Amount, calendar: &Calendar) -> f64 {
    let (open, close) = calendar.hours;
    let per_day = (close - open).num_minutes().max(1) as f64;
    match amount.unit {
        Unit::BusinessDays | Unit::Days => amount.amount as f64,
        Unit::BusinessMinutes => amount.amount as f64 / per_day,
        Unit::Minutes => amount.amount as f64 / 1440.0,
    }
}

impl Sample {
    /// What a project gives statistics over `window`: it follows `playbook`, started at
    /// `started`, is `judged` at now, and finished `spans`.
    pub(crate) fn of(
        playbook: &Playbook,
        started: Instant,
        judged: &Standing<'_>,
        spans: &[Span<'_>],
        calendar: &Calendar,
        window: Window,
    ) -> Sample {
        let day = |at: Instant| at.with_timezone(&calendar.zone).date_naive();
        let kept = |at: Instant| Some(day(at)).filter(|d| window.contains(*d));
        let finishes = spans
            .iter()
            .filter_map(|span| Some((span, kept(span.done)?)))
            .map(|(span, day)| Finish {
                work: Work::of(playbook, span.node),
                is_step: matches!(span.node, Node::Step(..)),
                owners: span.node.owners().to_vec(),
                day,
                took: span.took,
                waited: span.waited,
                on_time: span.on_time(),
                lost: span.late.map_or(0.0, |late| business_days(late, calendar)),
                level: level(span, &judged.progress.vars),
            })
            .collect();
        Sample {
            started: kept(started),
            finished: judged.finished_at().and_then(kept),
            finishes,
            open: open(playbook, judged, calendar),
        }
    }

    /// Keeps only the work whose owners `owns` accepts (`--owner`).
    pub(crate) fn retain_owned(&mut self, owns: impl Fn(&[String]) -> bool) {
        self.finishes.retain(|f| owns(&f.owners));
        self.open.retain(|o| owns(&o.owners));
    }
}

/// A span's lookup values, and the value of the variable that chooses its service
/// level (`service: service`) when its rule has one: compliance is told apart by both.
fn level(span: &Span<'_>, vars: &BTreeMap<String, crate::playbook::value::Value>) -> Vec<(String, String)> {
    let mut level = span.level.clone();
    if let Some(Rule::Window { service: Some(name), .. }) = span.node.deadline().map(|d| &d.rule) {
        let value = vars.get(name).map_or_else(|| "unset".into(), ToString::to_string);
        level.push((name.clone(), value));
    }
    level
}

/// The open phases and steps that are their owners' load or overdue, as of the judged now.
fn open(playbook: &Playbook, judged: &Standing<'_>, calendar: &Calendar) -> Vec<Open> {
    let is_open = |status: Status| !matches!(status, Status::Done | Status::Skipped);
    let phases =
        judged.progress.phases.iter().filter(|p| is_open(p.status)).map(|p| (Node::Phase(p.phase), false));
    let steps = judged.progress.steps().filter(|s| is_open(s.status)).map(|s| {
        let is_load = matches!(s.status, Status::Ready | Status::Scheduled | Status::Blocked);
        (Node::Step(s.phase, s.step), is_load)
    });
    phases
        .chain(steps)
        .filter_map(|(node, is_load)| {
            let timing = match judged.schedule.get(node.id()) {
                Some(Entry::Timed(timing)) if timing.overdue => Some(timing),
                _ => None,
            };
            (is_load || timing.is_some()).then(|| Open {
                work: Work::of(playbook, node),
                owners: node.owners().to_vec(),
                is_load,
                overdue: timing.is_some(),
                lost: timing.and_then(|t| t.late).map_or(0.0, |late| business_days(late, calendar)),
            })
        })
        .collect()
}

/// How many of some finished work met its time limit, of how many had one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Rate {
    pub met: usize,
    pub of: usize,
}

impl Rate {
    fn add(&mut self, on_time: Option<bool>) {
        if let Some(on_time) = on_time {
            self.of += 1;
            self.met += usize::from(on_time);
        }
    }

    /// The share met, from 0 to 1; `None` when nothing had a limit.
    pub(crate) fn rate(self) -> Option<f64> {
        (self.of > 0).then(|| self.met as f64 / self.of as f64)
    }
}

/// The median: the middle value, or the mean of the two middle values of an even count.
/// `None` for no values. `values` must be sorted.
pub(crate) fn median(values: &[u64]) -> Option<f64> {
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2] as f64),
        _ => Some((values[n / 2 - 1] as f64 + values[n / 2] as f64) / 2.0),
    }
}

/// One phase or step's durations, in one unit.
#[derive(Debug, Clone)]
pub(crate) struct StepStats {
    pub work: Work,
    pub unit: Unit,
    pub finished: usize,
    /// From ready to done (in progress).
    pub median: f64,
    pub p85: u64,
    pub on_time: Rate,
    /// From its phase's start to ready (waiting for prerequisites); `None` for a phase.
    pub waited: Option<f64>,
}

/// One role's finished and open work; each owner of shared work is credited.
#[derive(Debug, Clone, Default)]
pub(crate) struct RoleStats {
    pub role: String,
    pub finished: usize,
    pub on_time: Rate,
    /// Open steps it owns that are ready, scheduled or blocked.
    pub open: usize,
    /// Of those, and of its open phases, how many are overdue.
    pub overdue: usize,
}

/// One month of the projects' calendars.
#[derive(Debug, Clone, Default)]
pub(crate) struct MonthStats {
    /// `2026-03`.
    pub month: String,
    pub started: usize,
    pub finished: usize,
    /// Steps finished.
    pub throughput: usize,
    /// Time limits met among the phases and steps finished that month.
    pub on_time: Rate,
}

/// Where the most time was lost to lateness.
#[derive(Debug, Clone)]
pub(crate) struct Bottleneck {
    pub work: Work,
    /// Business days: the lateness of its late finishes and of its open overdue work.
    pub lost: f64,
    pub late: usize,
    pub overdue: usize,
    /// Its median duration (of its most frequent unit), for ties.
    pub median: Option<(f64, Unit)>,
}

/// Compliance with a time limit looked up by variables, for one combination of values.
#[derive(Debug, Clone)]
pub(crate) struct LevelStats {
    pub work: Work,
    pub level: Vec<(String, String)>,
    pub met: Rate,
}

/// The statistics of a portfolio's history.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stats {
    /// The projects read (past the filters), archived ones included.
    pub projects: usize,
    pub steps: Vec<StepStats>,
    pub roles: Vec<RoleStats>,
    pub months: Vec<MonthStats>,
    pub bottlenecks: Vec<Bottleneck>,
    pub service_levels: Vec<LevelStats>,
}

/// How many bottlenecks are named.
pub(crate) const TOP: usize = 5;

/// A grouping key of unit, `Unit` having no order of its own.
fn unit_rank(unit: Unit) -> u8 {
    match unit {
        Unit::BusinessDays => 0,
        Unit::Days => 1,
        Unit::BusinessMinutes => 2,
        Unit::Minutes => 3,
    }
}

impl Stats {
    /// Adds up the samples. Every list is sorted: nothing depends on the samples' order
    /// but which title names a phase or step a playbook's versions title differently.
    pub(crate) fn of(samples: &[Sample]) -> Stats {
        let steps = steps(samples);
        let bottlenecks = bottlenecks(samples, &steps);
        Stats {
            projects: samples.len(),
            roles: roles(samples),
            months: months(samples),
            service_levels: service_levels(samples),
            bottlenecks,
            steps,
        }
    }

    /// Nothing was finished: no statistics to speak of.
    pub(crate) fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// A phase or step across a playbook's versions: its playbook's id and its own.
type Key<'a> = (&'a str, &'a str);

/// The values a time limit was looked up by, as `(variable, value)` in the table's order.
type Lookup = [(String, String)];

/// A phase or step across a playbook's versions: its playbook and id (its place and
/// title may change between versions; the first sample's name it).
fn key(work: &Work) -> Key<'_> {
    (&work.playbook, &work.id)
}

/// In the playbooks' order: by playbook, then where the phase or step comes in it.
fn document_order(a: &Work, b: &Work) -> std::cmp::Ordering {
    (&a.playbook, a.rank, &a.id).cmp(&(&b.playbook, b.rank, &b.id))
}

fn steps(samples: &[Sample]) -> Vec<StepStats> {
    let mut groups: BTreeMap<(Key<'_>, u8), Vec<&Finish>> = BTreeMap::new();
    for f in samples.iter().flat_map(|s| &s.finishes) {
        groups.entry((key(&f.work), unit_rank(f.took.unit))).or_default().push(f);
    }
    let mut steps: Vec<StepStats> = groups
        .into_values()
        .map(|finishes| {
            let mut took: Vec<u64> = finishes.iter().map(|f| f.took.amount).collect();
            let mut waited: Vec<u64> = finishes.iter().filter_map(|f| f.waited.map(|w| w.amount)).collect();
            took.sort_unstable();
            waited.sort_unstable();
            let mut on_time = Rate::default();
            finishes.iter().for_each(|f| on_time.add(f.on_time));
            StepStats {
                work: finishes[0].work.clone(),
                unit: finishes[0].took.unit,
                finished: finishes.len(),
                median: median(&took).unwrap_or_default(),
                // Nearest rank, as the forecast's percentiles: the value of rank ⌈0.85 n⌉.
                p85: percentile(&took, 85).unwrap_or_default(),
                on_time,
                waited: median(&waited),
            }
        })
        .collect();
    // Stable: a phase or step counted in several units keeps them in `unit_rank` order.
    steps.sort_by(|a, b| document_order(&a.work, &b.work));
    steps
}

fn roles(samples: &[Sample]) -> Vec<RoleStats> {
    let mut roles: BTreeMap<&str, RoleStats> = BTreeMap::new();
    for sample in samples {
        for f in &sample.finishes {
            for owner in &f.owners {
                let stats = roles.entry(owner).or_default();
                stats.finished += 1;
                stats.on_time.add(f.on_time);
            }
        }
        for o in sample.open.iter().filter(|o| o.is_load) {
            for owner in &o.owners {
                let stats = roles.entry(owner).or_default();
                stats.open += 1;
                stats.overdue += usize::from(o.overdue);
            }
        }
    }
    roles.into_iter().map(|(role, stats)| RoleStats { role: role.to_string(), ..stats }).collect()
}

/// Every month from the first to the last with anything in it, the empty ones between
/// included, so that a chart's months are evenly spaced.
fn months(samples: &[Sample]) -> Vec<MonthStats> {
    let first = |day: NaiveDate| day.with_day(1).expect("every month has a first day");
    let mut months: BTreeMap<NaiveDate, MonthStats> = BTreeMap::new();
    for sample in samples {
        if let Some(day) = sample.started {
            months.entry(first(day)).or_default().started += 1;
        }
        if let Some(day) = sample.finished {
            months.entry(first(day)).or_default().finished += 1;
        }
        for f in &sample.finishes {
            let month = months.entry(first(f.day)).or_default();
            month.throughput += usize::from(f.is_step);
            month.on_time.add(f.on_time);
        }
    }
    if let (Some(&start), Some(&end)) = (months.keys().next(), months.keys().next_back()) {
        let mut month = start;
        while month < end {
            months.entry(month).or_default();
            month = month + Months::new(1);
        }
    }
    months
        .into_iter()
        .map(|(month, stats)| MonthStats {
            month: format!("{:04}-{:02}", month.year(), month.month()),
            ..stats
        })
        .collect()
}

/// The `TOP` phases and steps that lost the most time: the most business days first,
/// then the longest median, then by playbook and id.
fn bottlenecks(samples: &[Sample], steps: &[StepStats]) -> Vec<Bottleneck> {
    let mut lost: BTreeMap<Key<'_>, Bottleneck> = BTreeMap::new();
    for sample in samples {
        for f in sample.finishes.iter().filter(|f| f.lost > 0.0) {
            let b = lost_entry(&mut lost, &f.work);
            b.lost += f.lost;
            b.late += 1;
        }
        for o in sample.open.iter().filter(|o| o.overdue) {
            let b = lost_entry(&mut lost, &o.work);
            b.lost += o.lost;
            b.overdue += 1;
        }
    }
    let mut found: Vec<Bottleneck> = lost
        .into_values()
        .filter(|b| b.lost > 0.0)
        .map(|mut b| {
            // The unit most of its finishes were counted in: steps are grouped by unit.
            b.median = steps
                .iter()
                .filter(|s| key(&s.work) == key(&b.work))
                .max_by_key(|s| (s.finished, std::cmp::Reverse(unit_rank(s.unit))))
                .map(|s| (s.median, s.unit));
            b
        })
        .collect();
    let median = |b: &Bottleneck| b.median.map_or(f64::NEG_INFINITY, |(m, _)| m);
    found.sort_by(|a, b| {
        b.lost
            .total_cmp(&a.lost)
            .then(median(b).total_cmp(&median(a)))
            .then_with(|| (&a.work.playbook, &a.work.id).cmp(&(&b.work.playbook, &b.work.id)))
    });
    found.truncate(TOP);
    found
}

/// The bottleneck of `work`, new with nothing lost.
fn lost_entry<'m, 's>(lost: &'m mut BTreeMap<Key<'s>, Bottleneck>, work: &'s Work) -> &'m mut Bottleneck {
    lost.entry(key(work)).or_insert_with(|| Bottleneck {
        work: work.clone(),
        lost: 0.0,
        late: 0,
        overdue: 0,
        median: None,
    })
}

/// Compliance per combination of lookup values, for the phases and steps whose time
/// limit is looked up by variables.
fn service_levels(samples: &[Sample]) -> Vec<LevelStats> {
    let mut levels: BTreeMap<(Key<'_>, &Lookup), LevelStats> = BTreeMap::new();
    let finishes = samples.iter().flat_map(|s| &s.finishes);
    for f in finishes.filter(|f| !f.level.is_empty() && f.on_time.is_some()) {
        let entry = levels.entry((key(&f.work), f.level.as_slice())).or_insert_with(|| LevelStats {
            work: f.work.clone(),
            level: f.level.clone(),
            met: Rate::default(),
        });
        entry.met.add(f.on_time);
    }
    let mut levels: Vec<LevelStats> = levels.into_values().collect();
    levels.sort_by(|a, b| document_order(&a.work, &b.work));
    levels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::history::spans;
    use crate::playbook::{Origin, parse};
    use crate::state::change::{Earliest, complete, start};
    use crate::state::progress::Detail;
    use crate::state::schedule::Thresholds;
    use crate::state::standing::standing;

    use crate::insight::history::fixture::{PLAYBOOK, at, stamp};

    /// A project started Monday 2 March 2026 at 09:00, with `done` its steps' completions,
    /// sampled at `now` over `window`.
    fn sample(done: &[(&str, &str)], now: &str, window: Window) -> Sample {
        let playbook = parse(PLAYBOOK, "two.yaml", Origin::Bundled).unwrap();
        let calendar = Calendar::bundled(crate::calendar::find("PY").unwrap());
        let none = BTreeMap::new();
        let mut file = start(&playbook, "p1", "PY", &none, &stamp("2026-03-02T09:00:00-03:00"));
        for (id, when) in done {
            let step = playbook.resolve_step(id).unwrap();
            complete(&playbook, &mut file, step, &none, None, &stamp(when), &Earliest::Any).unwrap();
        }
        let judged =
            standing(&playbook, &file, &calendar, at(now).0, Thresholds::default(), Detail::Statuses);
        let spans = spans(&judged, &calendar);
        Sample::of(&playbook, file.started_at().0, &judged, &spans, &calendar, window)
    }

    /// Five projects whose step `b` took 2, 3, 4, 5 and 6 business days after `a`, done
    /// the morning each started: b is due two business days after, on Wednesday 4 March.
    fn five(window: Window) -> Vec<Sample> {
        ["04", "05", "06", "09", "10"]
            .into_iter()
            .map(|day| {
                let b = format!("2026-03-{day}T11:00:00-03:00");
                sample(&[("a", "2026-03-02T10:00:00-03:00"), ("b", &b)], "2026-03-20T12:00:00-03:00", window)
            })
            .collect()
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two_and_p85_is_nearest_rank() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7.0));
        assert_eq!(median(&[2, 3, 4, 5, 6]), Some(4.0));
        assert_eq!(median(&[1, 2, 3, 4]), Some(2.5));
        let p85 = |values: &[u64]| percentile(values, 85);
        assert_eq!(p85(&[]), None);
        assert_eq!(p85(&[7]), Some(7));
        // Rank ⌈0.85 × 5⌉ = 5; of 20, rank 17; of 7, rank ⌈5.95⌉ = 6.
        assert_eq!(p85(&[2, 3, 4, 5, 6]), Some(6));
        assert_eq!(p85(&(1..=20).collect::<Vec<_>>()), Some(17));
        assert_eq!(p85(&[1, 2, 3, 4, 5, 6, 7]), Some(6));
    }

    #[test]
    fn five_finishes_of_2_to_6_business_days_give_a_median_of_4() {
        let stats = Stats::of(&five(Window::default()));
        let seen: Vec<_> = stats
            .steps
            .iter()
            .map(|s| (s.work.id.as_str(), s.finished, s.median, s.p85, s.on_time, s.waited))
            .collect();
        // Phase p is due Thursday 5 (3 business days from Monday 2): done on the 4th and
        // 5th it is on time. b is due Wednesday 4: only the first is on time.
        let rate = |met, of| Rate { met, of };
        assert_eq!(
            seen,
            [
                ("p", 5, 4.0, 6, rate(2, 5), None),
                ("a", 5, 0.0, 0, rate(0, 0), Some(0.0)),
                ("b", 5, 4.0, 6, rate(1, 5), Some(0.0)),
            ]
        );
        assert!(stats.steps.iter().all(|s| s.unit == Unit::BusinessDays));
    }

    #[test]
    fn roles_months_and_bottlenecks_add_up_the_finishes() {
        let stats = Stats::of(&five(Window::default()));
        let [ops] = stats.roles.as_slice() else { panic!("{:?}", stats.roles) };
        assert_eq!(
            (ops.role.as_str(), ops.finished, ops.on_time, ops.open),
            ("ops", 15, Rate { met: 3, of: 10 }, 0)
        );
        let [march] = stats.months.as_slice() else { panic!("{:?}", stats.months) };
        assert_eq!(
            (march.month.as_str(), march.started, march.finished, march.throughput, march.on_time),
            ("2026-03", 5, 5, 10, Rate { met: 3, of: 10 })
        );
        // b was late by 1 + 2 + 3 + 4 business days, p by 1 + 2 + 3.
        let lost: Vec<_> = stats.bottlenecks.iter().map(|b| (b.work.id.as_str(), b.lost, b.late)).collect();
        assert_eq!(lost, [("b", 10.0, 4), ("p", 6.0, 3)]);
        assert!(stats.service_levels.is_empty());
    }

    #[test]
    fn the_window_keeps_finishes_and_projects_by_their_day() {
        let until = NaiveDate::from_ymd_opt(2026, 3, 5);
        let stats = Stats::of(&five(Window { since: None, until }));
        let counts: Vec<_> = stats.steps.iter().map(|s| (s.work.id.as_str(), s.finished)).collect();
        assert_eq!(counts, [("p", 2), ("a", 5), ("b", 2)]);
        assert_eq!((stats.months[0].started, stats.months[0].finished), (5, 2));
        let since = NaiveDate::from_ymd_opt(2026, 3, 3);
        let stats = Stats::of(&five(Window { since, until: None }));
        let counts: Vec<_> = stats.steps.iter().map(|s| (s.work.id.as_str(), s.finished)).collect();
        assert_eq!(counts, [("p", 5), ("b", 5)]);
        assert_eq!((stats.months[0].started, stats.months[0].finished), (0, 5));
    }

    #[test]
    fn open_overdue_work_is_load_and_time_lost() {
        // On Monday 9 March, b (due Wednesday 4) is 3 business days late, p (due
        // Thursday 5) 2.
        let open =
            sample(&[("a", "2026-03-02T10:00:00-03:00")], "2026-03-09T12:00:00-03:00", Window::default());
        let stats = Stats::of(&[open]);
        let [ops] = stats.roles.as_slice() else { panic!("{:?}", stats.roles) };
        assert_eq!((ops.finished, ops.open, ops.overdue), (1, 1, 1));
        let lost: Vec<_> =
            stats.bottlenecks.iter().map(|b| (b.work.id.as_str(), b.lost, b.overdue)).collect();
        assert_eq!(lost, [("b", 3.0, 1), ("p", 2.0, 1)]);
        assert_eq!(stats.months[0].throughput, 1);
    }

    #[test]
    fn hours_are_business_days_at_the_calendars_hours_and_other_minutes_at_1440() {
        let calendar = Calendar::bundled(crate::calendar::find("PY").unwrap());
        let (open, close) = calendar.hours;
        let per_day = (close - open).num_minutes() as u64;
        let half = Amount { amount: per_day / 2, unit: Unit::BusinessMinutes };
        assert_eq!(business_days(half, &calendar), 0.5);
        assert_eq!(business_days(Amount { amount: 720, unit: Unit::Minutes }, &calendar), 0.5);
        assert_eq!(business_days(Amount { amount: 3, unit: Unit::Days }, &calendar), 3.0);
    }

    #[test]
    fn service_levels_count_each_combination_apart() {
        let work = |id: &str| Work {
            playbook: "sr".into(),
            rank: 1,
            id: id.into(),
            label: id.into(),
            named: format!("`{id}`"),
            title: id.into(),
        };
        let finish = |level: &str, on_time| Finish {
            work: work("reply"),
            is_step: true,
            owners: vec!["ops".into()],
            day: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            took: Amount { amount: 60, unit: Unit::Minutes },
            waited: None,
            on_time: Some(on_time),
            lost: if on_time { 0.0 } else { 0.25 },
            level: vec![("criticality".into(), level.into()), ("service".into(), "7x24".into())],
        };
        let sample = Sample {
            finishes: vec![
                finish("alto", true),
                finish("bajo", false),
                finish("alto", false),
                finish("alto", true),
            ],
            ..Sample::default()
        };
        let stats = Stats::of(&[sample]);
        let seen: Vec<_> = stats.service_levels.iter().map(|l| (l.level[0].1.as_str(), l.met)).collect();
        assert_eq!(seen, [("alto", Rate { met: 2, of: 3 }), ("bajo", Rate { met: 0, of: 1 })]);
        assert_eq!(stats.bottlenecks[0].lost, 0.5);
    }
}
