//! `stats --json`: the flow metrics of a portfolio's history (docs/stats.md defines them).

use schemars::JsonSchema;
use serde::Serialize;

use super::Unreadable;
use crate::insight::stats as domain;

/// `onboard stats --json`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard stats --json")]
pub(crate) struct Stats {
    /// The projects read (past `--playbook`), archived ones included.
    pub projects: usize,
    /// Per phase and step finished, in the playbooks' order: `playbook`, `id`, `label`, `title`;
    /// `unit` (`business_days`, `days`, `business_minutes` or `minutes`: one entry per unit when a
    /// phase or step was counted in several); `finished`; `median` (number: the mean of the middle
    /// two of an even count) and `p85` (integer, nearest rank) of the time from ready to done;
    /// `on_time` (a rate); `waited_median`, the median time from its phase's start to ready (`null`
    /// for a phase).
    pub steps: Vec<Step>,
    /// Per role id: `role`; `finished`, the phases and steps it owns finished; `on_time` (a rate);
    /// `open`, its open steps that are ready, scheduled or blocked; `overdue`, those of them
    /// overdue now.
    pub roles: Vec<Role>,
    /// Per month of the projects' calendars, from the first to the last with activity: `month`
    /// (`YYYY-MM`); `started` and `finished`, projects; `throughput`, steps finished; `on_time` (a
    /// rate) of the phases and steps finished that month.
    pub months: Vec<Month>,
    /// At most 5, most time lost first: `playbook`, `id`, `label`, `title`; `lost_business_days`
    /// (number, to 2 decimals): the lateness of its late finishes and of its open overdue work;
    /// `late` and `overdue`, how many of each; `median` and `unit`, its median duration (`null`
    /// without a finish).
    pub bottlenecks: Vec<Bottleneck>,
    /// Per phase or step whose limit is looked up by variables, per combination of values:
    /// `playbook`, `id`, `label`, `title`; `values`, `[{"variable", "value"}]` in the table's
    /// order, the service level's variable last; `on_time` (a rate).
    pub service_levels: Vec<ServiceLevel>,
    /// The projects that could not be read ([the `errors` list](#the-errors-list)); the exit code
    /// is then 2.
    pub errors: Vec<Unreadable>,
}

/// Which phase or step an entry is about.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Work {
    /// The playbook id.
    pub playbook: String,
    /// The phase or step id.
    pub id: String,
    /// The step's number (else its id), or `phase ` and the phase's number or id.
    pub label: String,
    pub title: String,
}

impl From<&domain::Work> for Work {
    fn from(work: &domain::Work) -> Work {
        Work {
            playbook: work.playbook.clone(),
            id: work.id.clone(),
            label: work.label.clone(),
            title: work.title.clone(),
        }
    }
}

/// Time limits met, of the finished work that had one.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Rate {
    /// Finished by its due moment.
    pub on_time: usize,
    /// Finished with a time limit of its own.
    pub finished: usize,
    /// `on_time / finished`, to 4 decimals; null when nothing had a limit.
    pub rate: Option<f64>,
}

impl From<domain::Rate> for Rate {
    fn from(rate: domain::Rate) -> Rate {
        Rate { on_time: rate.met, finished: rate.of, rate: rate.rate().map(|r| rounded(r, 4)) }
    }
}

/// One phase or step's durations, in one unit.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Step {
    #[serde(flatten)]
    pub work: Work,
    /// `business_days`, `days`, `business_minutes` or `minutes` (of a 6x24 or 7x24 rule).
    pub unit: &'static str,
    pub finished: usize,
    /// From ready to done (in progress), the median.
    pub median: f64,
    /// From ready to done, the 85th percentile (nearest rank).
    pub p85: u64,
    pub on_time: Rate,
    /// From its phase's start to ready (waiting for prerequisites), the median; null
    /// for a phase.
    pub waited_median: Option<f64>,
}

/// One role's finished work and open load; each owner of shared work is credited.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Role {
    /// The role id.
    pub role: String,
    /// Phases and steps it owns, finished.
    pub finished: usize,
    pub on_time: Rate,
    /// Open steps it owns that are ready, scheduled or blocked.
    pub open: usize,
    /// Of those, the overdue ones.
    pub overdue: usize,
}

/// One month.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Projects started.
    pub started: usize,
    /// Projects finished (their last step done).
    pub finished: usize,
    /// Steps finished.
    pub throughput: usize,
    /// Time limits met by the phases and steps finished this month.
    pub on_time: Rate,
}

/// A phase or step where time was lost to lateness.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Bottleneck {
    #[serde(flatten)]
    pub work: Work,
    /// Business days lost (to 2 decimals): the lateness of its late finishes and of its
    /// open overdue work; hours at the calendar's business hours a day, 6x24 and 7x24
    /// minutes at 1,440 a day.
    pub lost_business_days: f64,
    /// Finishes after the due moment.
    pub late: usize,
    /// Open and overdue now.
    pub overdue: usize,
    /// Its median duration (in its most frequent unit); null when it has no finish.
    pub median: Option<f64>,
    /// The unit of `median`.
    pub unit: Option<&'static str>,
}

/// Compliance with a time limit looked up by variables, for one combination of values.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ServiceLevel {
    #[serde(flatten)]
    pub work: Work,
    /// The variables and their values, in the lookup table's order, the service level's
    /// variable last.
    pub values: Vec<LevelValue>,
    pub on_time: Rate,
}

/// A variable a time limit is looked up by, and its value (`unset` without one).
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct LevelValue {
    pub variable: String,
    pub value: String,
}

/// `value` to `places` decimals: JSON carries what text shows, not float noise.
fn rounded(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}

impl Stats {
    pub(crate) fn new(stats: &domain::Stats, errors: Vec<Unreadable>) -> Stats {
        Stats {
            projects: stats.projects,
            steps: stats.steps.iter().map(Step::from).collect(),
            roles: stats.roles.iter().map(Role::from).collect(),
            months: stats.months.iter().map(Month::from).collect(),
            bottlenecks: stats.bottlenecks.iter().map(Bottleneck::from).collect(),
            service_levels: stats.service_levels.iter().map(ServiceLevel::from).collect(),
            errors,
        }
    }
}

impl From<&domain::StepStats> for Step {
    fn from(step: &domain::StepStats) -> Step {
        Step {
            work: (&step.work).into(),
            unit: step.unit.key(),
            finished: step.finished,
            median: step.median,
            p85: step.p85,
            on_time: step.on_time.into(),
            waited_median: step.waited,
        }
    }
}

impl From<&domain::RoleStats> for Role {
    fn from(role: &domain::RoleStats) -> Role {
        Role {
            role: role.role.clone(),
            finished: role.finished,
            on_time: role.on_time.into(),
            open: role.open,
            overdue: role.overdue,
        }
    }
}

impl From<&domain::MonthStats> for Month {
    fn from(month: &domain::MonthStats) -> Month {
        Month {
            month: month.month.clone(),
            started: month.started,
            finished: month.finished,
            throughput: month.throughput,
            on_time: month.on_time.into(),
        }
    }
}

impl From<&domain::Bottleneck> for Bottleneck {
    fn from(b: &domain::Bottleneck) -> Bottleneck {
        Bottleneck {
            work: (&b.work).into(),
            lost_business_days: rounded(b.lost, 2),
            late: b.late,
            overdue: b.overdue,
            median: b.median.map(|(median, _)| median),
            unit: b.median.map(|(_, unit)| unit.key()),
        }
    }
}

impl From<&domain::LevelStats> for ServiceLevel {
    fn from(level: &domain::LevelStats) -> ServiceLevel {
        ServiceLevel {
            work: (&level.work).into(),
            values: level
                .level
                .iter()
                .map(|(variable, value)| LevelValue { variable: variable.clone(), value: value.clone() })
                .collect(),
            on_time: level.met.into(),
        }
    }
}
