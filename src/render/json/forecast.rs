//! `forecast --json`: each open project's simulated end, open steps and phases, time
//! limits, milestones and critical path.

use schemars::JsonSchema;
use serde::Serialize;

use super::Unreadable;
use crate::insight::forecast::{LimitDue, share};
use crate::render::forecast::Shown;

/// `onboard forecast --json`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard forecast --json")]
pub(crate) struct Forecast {
    /// Open projects, most at risk first: the lowest odds of meeting a time limit or a
    /// milestone, then the latest P85 end, then by name.
    pub projects: Vec<ProjectForecast>,
    /// The project files that could not be read, sorted by name (their history is missing
    /// from every forecast).
    pub errors: Vec<Unreadable>,
}

/// The median (P50) and 85th percentile (P85), nearest rank, of a simulated instant:
/// RFC 3339 with the offset of the project's calendar.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Percentiles {
    pub p50: String,
    pub p85: String,
}

/// One open project's forecast.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ProjectForecast {
    /// The project name; `repository/name` when several state directories have a project of that
    /// name.
    pub project: String,
    /// The label of the project's state directory; only with several (`--dir` repeated,
    /// `--workspace`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The playbook id.
    pub playbook: String,
    /// The simulation's runs (`--trials`).
    pub trials: u32,
    /// The simulation's seed (`--seed`).
    pub seed: u64,
    /// When every applicable step that is not optional will be done.
    pub end: Percentiles,
    /// The lowest share of trials meeting a time limit or a milestone; `null` without either.
    pub worst_odds: Option<f64>,
    /// Open steps (ready, blocked, scheduled or waiting), in the playbook's order.
    pub steps: Vec<StepForecast>,
    /// The open phases: `{"id", "label", "title", "finish"}`, `finish` being when its last step is
    /// done.
    pub phases: Vec<PhaseForecast>,
    /// Each open phase or step with a time limit of its own: `{"id", "label", "due", "due_known",
    /// "probability", "met", "of"}`. `due` is the due moment ([Conventions](#conventions)): known
    /// already when `due_known`, else the median of the simulated ones; `met` of `of` trials met it
    /// (`of`: the trials in which it could be computed), `probability` is their ratio.
    pub limits: Vec<LimitForecast>,
    /// The date variables the playbook's rules count from (J): `{"name", "date", "probability",
    /// "met"}`, the share and number of trials in which the project ended by that date.
    pub milestones: Vec<MilestoneForecast>,
    /// The steps on the chain of prerequisites that set the end in at least 20% of the trials, most
    /// often first: `{"id", "label", "share", "trials"}`.
    pub critical: Vec<CriticalStep>,
}

/// An open step's forecast.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct StepForecast {
    /// The step id.
    pub id: String,
    /// The step's number, else its id.
    pub label: String,
    /// The step's title.
    pub title: String,
    /// Role ids.
    pub owner: Vec<String>,
    /// `ready`, `blocked`, `scheduled` or `waiting`.
    pub status: String,
    /// Optional: forecast, but it holds back neither other steps nor the end.
    pub optional: bool,
    /// Its condition is not decided yet: forecast as if it applies.
    pub undecided: bool,
    /// `history` (drawn from what the step took in finished and archived projects), `window` (fewer
    /// than 5 samples: done when its own time limit falls due) or `default` (fewer than 5 samples
    /// and no time limit: 1 business day).
    pub source: &'static str,
    /// How many durations history holds for the step.
    pub samples: usize,
    /// The same in words, as the table shows it: `"history, 12 samples"`, `"its window: 3 samples,
    /// fewer than 5"`, `"default 1 business day: no samples"`.
    pub basis: String,
    /// When it will be done.
    pub finish: Percentiles,
}

/// An open phase's forecast.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct PhaseForecast {
    pub id: String,
    /// `phase III`.
    pub label: String,
    pub title: String,
    pub finish: Percentiles,
}

/// An open time limit and the odds of meeting it.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct LimitForecast {
    pub id: String,
    /// The step's number or `phase III`.
    pub label: String,
    /// `YYYY-MM-DD` for day rules, RFC 3339 for hour rules.
    pub due: String,
    /// Whether `due` is known already (its anchor is fixed); otherwise it is the median
    /// of the simulated due moments.
    pub due_known: bool,
    /// The share of trials in which it was met.
    pub probability: f64,
    /// Trials in which it was met…
    pub met: u32,
    /// …of those in which its due moment could be computed.
    pub of: u32,
}

/// A milestone date and the odds of ending by it.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct MilestoneForecast {
    pub name: String,
    /// `YYYY-MM-DD`, or RFC 3339 for a `datetime` variable.
    pub date: String,
    pub probability: f64,
    pub met: u32,
}

/// A step on the critical path.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct CriticalStep {
    pub id: String,
    pub label: String,
    /// The share of trials in which it lay on the chain that set the end.
    pub share: f64,
    pub trials: u32,
}

/// The JSON of one project's forecast.
pub(crate) fn project(shown: &Shown<'_>) -> ProjectForecast {
    let Shown { project, repository, playbook, calendar, forecast } = *shown;
    let spread = |s: &crate::insight::forecast::Spread| Percentiles {
        p50: s.p50.with_timezone(&calendar.zone).to_rfc3339(),
        p85: s.p85.with_timezone(&calendar.zone).to_rfc3339(),
    };
    let title = |id: &str| playbook.node(id).map_or_else(String::new, |node| node.title().to_string());
    ProjectForecast {
        project: project.to_string(),
        repository: repository.map(str::to_string),
        playbook: playbook.id.clone(),
        trials: forecast.trials,
        seed: forecast.seed,
        end: spread(&forecast.end),
        worst_odds: forecast.worst_odds(),
        steps: forecast
            .steps
            .iter()
            .map(|step| StepForecast {
                id: step.id.clone(),
                label: playbook.label(&step.id),
                title: title(&step.id),
                owner: playbook.owners(&step.id).to_vec(),
                status: step.status.as_str().to_string(),
                optional: step.optional,
                undecided: step.undecided,
                source: step.source.key(),
                samples: step.source.samples(),
                basis: step.source.describe(),
                finish: spread(&step.finish),
            })
            .collect(),
        phases: forecast
            .phases
            .iter()
            .map(|phase| PhaseForecast {
                id: phase.id.clone(),
                label: playbook.label(&phase.id),
                title: title(&phase.id),
                finish: spread(&phase.finish),
            })
            .collect(),
        limits: forecast
            .limits
            .iter()
            .map(|limit| {
                let (due, due_known) = match limit.due {
                    LimitDue::Fixed(due) => (due, true),
                    LimitDue::Simulated(due) => (due, false),
                };
                LimitForecast {
                    id: limit.id.clone(),
                    label: playbook.label(&limit.id),
                    due: due.text(),
                    due_known,
                    probability: share(limit.met, limit.of),
                    met: limit.met,
                    of: limit.of,
                }
            })
            .collect(),
        milestones: forecast
            .milestones
            .iter()
            .map(|m| MilestoneForecast {
                name: m.name.clone(),
                date: m.when.text(),
                probability: share(m.met, forecast.trials),
                met: m.met,
            })
            .collect(),
        critical: forecast
            .critical
            .iter()
            .map(|c| CriticalStep {
                id: c.id.clone(),
                label: playbook.label(&c.id),
                share: share(c.trials, forecast.trials),
                trials: c.trials,
            })
            .collect(),
    }
}
