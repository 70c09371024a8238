//! `explain --json`: how a due date and an earliest start were derived.

use schemars::JsonSchema;
use serde::Serialize;

use super::calendar::Skipped;
use super::status::Deadline;
use crate::calendar::Calendar;
use crate::calendar::hours_text;
use crate::deadline::evaluate::{Counting, Derivation};
use crate::playbook::model::Node;
use crate::render::explain::{Explained, no_due};
use crate::state::progress::Status;
use crate::state::schedule::{Schedule, Start};

/// `onboard explain [PROJECT] STEP --json`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard explain --json")]
pub(crate) struct Explanation {
    /// The project name.
    pub project: String,
    /// The phase or step asked about.
    pub id: String,
    /// `phase` or `step`.
    pub node: NodeKind,
    pub number: Option<String>,
    pub title: String,
    /// Its status, as in `status`.
    pub status: Status,
    /// The calendar its rules count on.
    pub calendar: CountedOn,
    /// A step's earliest start (`not_before:`); null when it has none.
    pub earliest_start: Option<Earliest>,
    /// Its time limit; null when neither it nor (for a step) its phase has one.
    pub deadline: Option<Due>,
}

/// What `explain` was asked about.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub(crate) enum NodeKind {
    Phase,
    Step,
}

/// A project's calendar as rules count on it: the bundled data, the team's override and
/// the playbook's business hours.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct CountedOn {
    pub id: String,
    pub name: String,
    /// The IANA time zone.
    pub zone: String,
    /// `HH:MM-HH:MM`, the business hours hour rules count.
    pub hours: String,
    /// Where the hours come from: `default`, `playbook`, `assumed by the playbook`, or the
    /// override file's path.
    pub hours_source: String,
    /// Where the holidays come from: `python holidays 0.109`.
    pub source: String,
    /// The first and last year the holiday data covers.
    pub years: [i32; 2],
    /// The state directory's `calendars/<ID>.yaml`, when there is one.
    #[serde(rename = "override")]
    pub override_file: Option<String>,
}

impl CountedOn {
    pub(crate) fn of(calendar: &Calendar) -> CountedOn {
        CountedOn {
            id: calendar.id.clone(),
            name: calendar.name.clone(),
            zone: calendar.zone.name().to_string(),
            hours: hours_text(calendar.hours),
            hours_source: calendar.hours_source.clone(),
            source: calendar.source.clone(),
            years: [calendar.years.0, calendar.years.1],
            override_file: calendar.override_file.as_ref().map(|p| p.display().to_string()),
        }
    }
}

/// A step's earliest start, explained.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Earliest {
    /// The rule in words: `30 days after suspend.done`.
    pub rule: String,
    /// The document's own words.
    pub text: Option<String>,
    /// The day (or, for hour rules, the instant) from which it may be completed; null when
    /// not yet known, or once the step is finished.
    pub not_before: Option<String>,
    /// That moment has not come: the step is `scheduled` until then.
    pub waiting: bool,
    /// Why it is not known yet (its anchor has not happened).
    pub pending: Option<String>,
    /// How `not_before` was counted; null without it.
    pub derivation: Option<Counted>,
}

impl Earliest {
    pub(crate) fn of(rule: &crate::playbook::rule::Deadline, schedule: &Schedule, id: &str) -> Earliest {
        let (dated, pending) = match schedule.starts.get(id) {
            Some(Start::Dated(wait)) => (Some(wait), None),
            Some(Start::Pending(why)) => (None, Some(why.clone())),
            None => (None, None),
        };
        Earliest {
            rule: rule.rule.earliest_text(),
            text: rule.text.clone(),
            not_before: dated.map(|wait| wait.derivation.due.text()),
            waiting: dated.is_some_and(|wait| wait.waiting),
            pending,
            derivation: dated.map(|wait| Counted::of(&wait.derivation)),
        }
    }
}

/// A time limit, explained.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Due {
    /// Whose rule it is: the node asked about, or its phase when the step has none of its own.
    pub rule_of: String,
    /// The rule in words: `within 10 business days after certification.start`.
    pub rule: String,
    /// The document's own words.
    pub text: Option<String>,
    /// As in `status`.
    #[serde(flatten)]
    pub deadline: Deadline,
    /// Why there is no due at all: the work is skipped or does not apply.
    pub no_due: Option<String>,
    /// How `due` was counted; null without it.
    pub derivation: Option<Counted>,
}

/// How a moment was counted from its anchor.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Counted {
    /// The instant counted from (a date anchor is its midnight), RFC 3339.
    #[schemars(extend("format" = "date-time"))]
    pub anchor: String,
    /// Where the anchor came from: ``when `suspend` was completed``.
    pub anchor_source: String,
    /// The count in words: `10 business days after 2026-03-30 (day 0)`.
    pub count: String,
    /// How the rule measures time (and `left` with it).
    pub counting: Counting,
    /// The closed days between the anchor and the moment, which did not count.
    pub skipped: Vec<Skipped>,
}

impl Counted {
    pub(crate) fn of(d: &Derivation) -> Counted {
        Counted {
            anchor: d.anchor.to_rfc3339(),
            anchor_source: d.anchor_source.clone(),
            count: d.method.clone(),
            counting: d.counting,
            skipped: d.skipped.iter().map(|(date, why)| Skipped::of(*date, why)).collect(),
        }
    }
}

impl Explanation {
    /// The same facts as `explain`'s text.
    pub(crate) fn of(explained: &Explained<'_>) -> Explanation {
        let Explained { project, playbook, id, ruled, progress, schedule, calendar } = *explained;
        let (node, number, title, not_before, status) = match playbook.node(id) {
            Some(Node::Step(_, step)) => {
                let status = progress.step(id).map(|s| s.status);
                (NodeKind::Step, step.number.clone(), step.title.clone(), step.not_before.as_ref(), status)
            }
            Some(Node::Phase(phase)) => {
                let status = progress.phases.iter().find(|p| p.phase.id == id).map(|p| p.status);
                (NodeKind::Phase, phase.number.clone(), phase.title.clone(), None, status)
            }
            None => unreachable!("`{id}` was resolved in this playbook"),
        };
        let rule = playbook.node(ruled).and_then(|node| node.deadline());
        let deadline = rule.map(|rule| Due {
            rule_of: ruled.to_string(),
            rule: rule.rule.to_string(),
            text: rule.text.clone(),
            deadline: Deadline::of(schedule, ruled),
            no_due: schedule.get(ruled).is_none().then(|| no_due(progress, ruled)),
            derivation: schedule.timing(ruled).map(|t| Counted::of(&t.derivation)),
        });
        Explanation {
            project: project.to_string(),
            id: id.to_string(),
            node,
            number,
            title,
            status: status.expect("the view has every phase and step of its playbook"),
            calendar: CountedOn::of(calendar),
            earliest_start: not_before.map(|rule| Earliest::of(rule, schedule, id)),
            deadline,
        }
    }
}
