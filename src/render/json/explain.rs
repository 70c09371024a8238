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
    /// The phase or step asked about, by id (the command also takes its number).
    pub id: String,
    /// `"phase"` or `"step"`.
    pub node: NodeKind,
    /// Its number, as in `status`: the document's numbering (`III.2`), or null.
    pub number: Option<String>,
    /// Its title, as in `status`.
    pub title: String,
    /// Its status, as in `status`.
    pub status: Status,
    /// The calendar its rules count on: the calendar object of
    /// [`calendars --json`](#onboard-calendars---json) with `hours_source` after `hours`,
    /// where the business hours come from: `"default"`, `"playbook"`, `"assumed by the
    /// playbook"`, or the override file's path. Here `hours` include the playbook's.
    pub calendar: CountedOn,
    /// For a step with `not_before:` in the playbook, its earliest start (an earliest
    /// object); `null` otherwise.
    pub earliest_start: Option<Earliest>,
    /// Its time limit (a due object); `null` when neither it nor, for a step, its phase has
    /// a rule.
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
    /// The rule in words: `"30 days after suspend.done"`.
    pub rule: String,
    /// The document's own words.
    pub text: Option<String>,
    /// The day (`"2026-04-13"`) or, for hour rules, the instant from which the step may be
    /// completed; `null` while its anchor has not happened, and once the step is done or
    /// skipped.
    pub not_before: Option<String>,
    /// That moment has not come: the step is `scheduled` until then.
    pub waiting: bool,
    /// Why `not_before` is not known yet: ``"`suspend` is not done yet"``.
    pub pending: Option<String>,
    /// How `not_before` was counted (a counted object); `null` without it.
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
    /// Whose rule it is: the `id` asked about, or its phase's id when the step has no rule of
    /// its own (the phase is due as a whole). The keys from `due` to `late_by` are as for a
    /// phase in `status`, for the rule of `rule_of`.
    pub rule_of: String,
    /// The rule in words, as in `show`: `"within 10 business days after certification.start"`.
    pub rule: String,
    /// The document's own words.
    pub text: Option<String>,
    /// As for a phase in `status`, for the rule of `rule_of`. Flattened, this comment does not
    /// reach the schema (the keys keep their own descriptions): `rule_of`'s says it there.
    #[serde(flatten)]
    pub deadline: Deadline,
    /// Why there is no due at all: the work is skipped (`"skipped (no DIMO)"`) or does not
    /// apply (``"not applicable: `dimo_personalizada` is false"``); `null` otherwise.
    pub no_due: Option<String>,
    /// How `due` was counted (a counted object); `null` without a due.
    pub derivation: Option<Counted>,
}

/// How a moment was counted from its anchor.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Counted {
    /// The instant counted from (RFC 3339); a date anchor (a milestone, a `date` variable) is
    /// its midnight in the calendar's zone.
    #[schemars(extend("format" = "date-time"))]
    pub anchor: String,
    /// Where it came from: ``"when `certification` became ready"``, ``"the variable
    /// `received_at`"``.
    pub anchor_source: String,
    /// The count in words: `"10 business days after 2026-03-30 (day 0): 2026-04-15"`.
    pub count: String,
    /// How the rule measures time, and `left` with it: `"business_days"`, `"calendar_days"`,
    /// `"business_hours"`, `"hours_6x24"` (every hour but Sundays) or `"hours_7x24"` (every
    /// hour).
    pub counting: Counting,
    /// The closed days between the anchor and the moment, which did not count: `{"date":
    /// "YYYY-MM-DD", "weekday": "Friday", "kind": "weekend", "holiday" or "closure", "name":
    /// string, or null for a weekend}`; `[]` when none was skipped or every day counts.
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
