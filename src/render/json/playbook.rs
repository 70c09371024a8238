//! `show --json`, `playbooks --json` and `validate --json`: playbooks as checked, listed,
//! and their problems.

use schemars::JsonSchema;
use serde::Serialize;

use super::status::Field;
use crate::calendar::hours_text;
use crate::playbook::catalog::Listed;
use crate::playbook::diagnostic::PlaybookError;
use crate::playbook::model::Default;
use crate::playbook::rule::{Rule as RuleKind, ServiceLevel, Within};
use crate::playbook::{self, Origin};
use crate::render::document::{counted, time_table};
use crate::render::view::Provenance;

/// `onboard show ID --json`: the checked playbook, its defaults resolved.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard show --json")]
pub(crate) struct Playbook {
    /// The playbook id.
    pub id: String,
    /// The process's title, as the document words it.
    pub title: String,
    /// The document it transcribes; `null` when it names none.
    pub source: Option<String>,
    /// The document's language (`"es"`); `null` when the playbook does not say.
    pub language: Option<String>,
    /// The calendar id.
    pub calendar: String,
    /// `"HH:MM-HH:MM"`, as declared in `business_hours` or `assumed_business_hours`
    /// (normalised to two-digit hours); `null` when the playbook does not say.
    pub business_hours: Option<String>,
    /// The hours are assumed (`assumed_business_hours`): a team's calendar override replaces
    /// them.
    pub business_hours_assumed: bool,
    /// What the document says about the whole process, as written: its lines joined by `\n`
    /// (a block scalar's final newline included); `null` without one.
    pub description: Option<String>,
    /// What the playbook assumes that its document does not state
    /// ([playbook.md](playbook.md#assumptions)), in order; `[]` when it lists none.
    pub assumptions: Vec<String>,
    /// `sha256:<64 hex>` of the file.
    pub hash: String,
    /// Who owns or signs off steps: `{"id": string, "name": string or null, "description":
    /// string or null}`, in the playbook's order.
    pub roles: Vec<Role>,
    /// What a project is started with, in the playbook's order.
    pub variables: Vec<Variable>,
    /// The process, in order.
    pub phases: Vec<Phase>,
}

/// A role that owns or signs off steps.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Role {
    /// The role id, as `owner` and `signoff` name it.
    pub id: String,
    /// Its name; `null` when the playbook gives none.
    pub name: Option<String>,
    /// What it does; `null` when the playbook does not say.
    pub description: Option<String>,
}

/// A variable, or a step's field.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Variable {
    #[serde(flatten)]
    pub field: Field,
    /// The default, encoded like any value; the string `"now"` for `default: now`; `null`
    /// without one.
    pub default: super::Value,
    /// What it is, as the playbook describes it; `null` when it does not.
    pub description: Option<String>,
}

/// A deadline or earliest start: the rule in words, and the document's own words.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Rule {
    /// The rule in words, for people, not a format to parse: `"within 10 business days after
    /// certification.start"`, `"at J-14"`, `"on J"`, `"at due-3 business days"`, `"within a
    /// time chosen by type and criticality after received_at"`.
    pub rule: String,
    /// The document's own words.
    pub text: Option<String>,
    /// For a lookup table (`within: {by, table}`), the spans it chooses from: `{"by":
    /// [names], "rows": [row]}`, the rows in the order of the choices of the variables in
    /// `by` (as the document's table reads); `null` for a fixed span or a date.
    pub table: Option<TimeTable>,
    /// The variable whose service level decides what hours and days count (`service:`);
    /// `null` without one.
    pub service: Option<String>,
}

/// A rule's lookup table, its rows in the order of the choosing variables' choices.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct TimeTable {
    /// The variables or fields that choose the span, in order.
    pub by: Vec<String>,
    /// One row per key, in the order of the choices of the variables in `by`.
    pub rows: Vec<TimeRow>,
}

/// One entry of a lookup table.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct TimeRow {
    /// The values that choose it: the value of each variable of `by`, by name.
    pub key: std::collections::BTreeMap<String, String>,
    /// The span as the playbook writes it: `"4 hours"`, `"2 business days"`.
    pub within: String,
    /// When the rule has a `service`, what the span counts under each service level:
    /// `{"business": "4 business hours", "6x24": "4 hours", "7x24": "4 hours"}` (`business`:
    /// business hours and days; `6x24`: every hour Monday to Saturday; `7x24`: every hour),
    /// as `onboard show` prints its `service levels:` table; `null` without a `service`.
    pub counted: Option<std::collections::BTreeMap<String, String>>,
}

/// A phase of the checked playbook.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Phase {
    /// The phase id.
    pub id: String,
    /// The document's numbering (`III`), or null.
    pub number: Option<String>,
    /// The phase's title.
    pub title: String,
    /// What the document says about it; `null` without one.
    pub description: Option<String>,
    /// The phase's owners, role ids; `[]` when the phase names no owner.
    pub owner: Vec<String>,
    /// The prerequisites as resolved: the previous phase when the playbook says nothing.
    pub after: Vec<String>,
    /// The condition, in canonical form; `null` without one.
    pub when: Option<String>,
    /// `order: parallel`.
    pub parallel: bool,
    /// Its time limit, a rule object; `null` without one.
    pub deadline: Option<Rule>,
    /// Its steps, in order.
    pub steps: Vec<Step>,
}

/// A step of the checked playbook.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Step {
    /// The step id.
    pub id: String,
    /// The document's numbering (`3.2.1`), or null.
    pub number: Option<String>,
    /// The step's title.
    pub title: String,
    /// What the document says about it; `null` without one.
    pub description: Option<String>,
    /// Role ids.
    pub owner: Vec<String>,
    /// As resolved: the previous step in a sequence phase when the playbook says nothing.
    pub after: Vec<String>,
    /// The condition, in canonical form; `null` without one.
    pub when: Option<String>,
    /// `optional: true`: `onboard skip` may skip it, and while not done it does not hold
    /// back what follows.
    pub optional: bool,
    /// `repeatable: true`: `onboard advance --repeat` records rounds of it.
    pub repeatable: bool,
    /// The role id that signs it off; `null` without one.
    pub signoff: Option<String>,
    /// The fields its completion records, as variable objects.
    pub fields: Vec<Variable>,
    /// Its own time limit, a rule object; `null` without one.
    pub deadline: Option<Rule>,
    /// The earliest start (`not_before:` in the playbook), as a rule object: `{"rule": "30
    /// days after suspend.done", …}`; `null` without one.
    pub not_before: Option<Rule>,
}

pub(crate) fn playbook(p: &playbook::Playbook) -> Playbook {
    Playbook {
        id: p.id.clone(),
        title: p.title.clone(),
        source: p.source.clone(),
        language: p.language.clone(),
        calendar: p.calendar.clone(),
        business_hours: p.business_hours.map(hours_text),
        business_hours_assumed: p.hours_assumed,
        description: p.description.clone(),
        assumptions: p.assumptions.clone(),
        hash: p.hash.clone(),
        roles: p
            .roles
            .iter()
            .map(|r| Role { id: r.id.clone(), name: r.name.clone(), description: r.description.clone() })
            .collect(),
        variables: p.variables.iter().map(variable).collect(),
        phases: p.phases.iter().map(|phase| phase_of(p, phase)).collect(),
    }
}

fn variable(v: &playbook::Variable) -> Variable {
    let default = match &v.default {
        Some(Default::Value(value)) => value.to_json(),
        Some(Default::Now) => "now".into(),
        None => super::Value::Null,
    };
    Variable { field: Field::of(v), default, description: v.description.clone() }
}

/// A deadline or an earliest start (`words`: the rule as it reads for either), with
/// its lookup table spelt out.
fn rule(p: &playbook::Playbook, d: &crate::playbook::rule::Deadline, words: String) -> Rule {
    let (table, service) = match &d.rule {
        RuleKind::Window { within: within @ Within::Table { by, .. }, service, .. } => {
            let rows = time_table(p, within)
                .into_iter()
                .map(|(key, span)| TimeRow {
                    key: key.into_iter().collect(),
                    within: span.to_string(),
                    counted: service.as_ref().map(|_| {
                        ServiceLevel::ALL
                            .iter()
                            .map(|level| (level.name().to_string(), counted(span, Some(*level)).to_string()))
                            .collect()
                    }),
                })
                .collect();
            (Some(TimeTable { by: by.clone(), rows }), service.clone())
        }
        RuleKind::Window { service, .. } => (None, service.clone()),
        RuleKind::Milestone { .. } => (None, None),
    };
    Rule { rule: words, text: d.text.clone(), table, service }
}

fn phase_of(playbook: &playbook::Playbook, p: &playbook::Phase) -> Phase {
    Phase {
        id: p.id.clone(),
        number: p.number.clone(),
        title: p.title.clone(),
        description: p.description.clone(),
        owner: p.owners.clone(),
        after: p.after.clone(),
        when: p.when.as_ref().map(std::string::ToString::to_string),
        parallel: p.parallel,
        deadline: p.deadline.as_ref().map(|d| rule(playbook, d, d.rule.to_string())),
        steps: p.steps.iter().map(|s| step(playbook, s)).collect(),
    }
}

fn step(playbook: &playbook::Playbook, s: &playbook::Step) -> Step {
    Step {
        id: s.id.clone(),
        number: s.number.clone(),
        title: s.title.clone(),
        description: s.description.clone(),
        owner: s.owners.clone(),
        after: s.after.clone(),
        when: s.when.as_ref().map(std::string::ToString::to_string),
        optional: s.optional,
        repeatable: s.repeatable,
        signoff: s.signoff.clone(),
        fields: s.fields.iter().map(variable).collect(),
        deadline: s.deadline.as_ref().map(|d| rule(playbook, d, d.rule.to_string())),
        not_before: s.not_before.as_ref().map(|d| rule(playbook, d, d.rule.earliest_text())),
    }
}

/// `onboard playbooks --json`: every bundled and local playbook, by id.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(transparent)]
#[schemars(title = "onboard playbooks --json")]
pub(crate) struct Playbooks(pub Vec<Listing>);

/// A playbook of the list: a valid one has `hash`, an invalid one `error` instead.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Listing {
    /// The id; for an invalid playbook, its file name without `.yaml`.
    pub id: String,
    /// `null` when invalid.
    pub title: Option<String>,
    /// The document it transcribes; `null` when it names none, or when invalid.
    pub source: Option<String>,
    /// Number of phases; `null` when invalid.
    pub phases: Option<usize>,
    /// Number of steps; `null` when invalid.
    pub steps: Option<usize>,
    /// `"bundled"`, `"local"` or `"local, overrides bundled"`.
    pub origin: Provenance,
    /// The local file's path; `null` for a bundled playbook.
    pub path: Option<String>,
    /// A local playbook that replaces a bundled one of the same id.
    pub overrides: bool,
    /// It passed validation: `hash` is present, else `error`.
    pub valid: bool,
    /// Only when valid: `sha256:<64 hex>` of the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// Only when invalid: a summary such as ``playbook `…/broken.yaml` has 10 problems``; `onboard
    /// validate` gives the details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

pub(crate) fn playbooks(listed: &[Listed]) -> Playbooks {
    Playbooks(listed.iter().map(listing).collect())
}

fn listing(entry: &Listed) -> Listing {
    let path = match &entry.origin {
        Origin::File(path) => Some(path.display().to_string()),
        Origin::Bundled => None,
    };
    let valid = entry.playbook.as_ref().ok();
    Listing {
        id: valid.map_or_else(|| entry.id.clone(), |p| p.id.clone()),
        title: valid.map(|p| p.title.clone()),
        source: valid.and_then(|p| p.source.clone()),
        phases: valid.map(|p| p.phases.len()),
        steps: valid.map(playbook::Playbook::step_count),
        origin: Provenance::of(entry),
        path,
        overrides: entry.overrides,
        valid: valid.is_some(),
        hash: valid.map(|p| p.hash.clone()),
        error: entry.playbook.as_ref().err().map(ToString::to_string),
    }
}

/// `onboard validate --json`: every playbook checked, with every problem found.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard validate --json")]
pub(crate) struct Validation {
    /// Every playbook is valid (the exit code is 0; else 2).
    pub valid: bool,
    /// In the order checked: the bundled and local playbooks by id, or the files as named.
    pub playbooks: Vec<Checked>,
}

/// One playbook file, checked.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Checked {
    /// The file as the text output names it: `"playbooks/cooperative.yaml"` for a bundled one, the
    /// path for a local one or a file named.
    pub file: String,
    /// The playbook's id; `null` when invalid.
    pub id: Option<String>,
    /// It has no problem.
    pub valid: bool,
    /// Number of phases; null when invalid.
    pub phases: Option<usize>,
    /// Number of steps; null when invalid.
    pub steps: Option<usize>,
    /// Every problem, in the order the text output lists them; `[]` when valid.
    pub problems: Vec<Problem>,
}

/// A problem found in a playbook, where it is and what to do.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Problem {
    /// The file, as the text output's `-->` line names it.
    pub file: String,
    /// 1-based; null when the problem is about the whole file (or it could not be read).
    pub line: Option<usize>,
    /// 1-based, in characters; null with `line`.
    pub column: Option<usize>,
    /// What is wrong; for a file that could not be read, the error and its causes on one line
    /// (``"cannot read the playbook `nope.yaml`: No such file or directory (os error 2)"``).
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Checked {
    /// `file` checked: its playbook, or every problem the error holds.
    pub(crate) fn of(file: String, result: &anyhow::Result<playbook::Playbook>) -> Checked {
        let valid = result.as_ref().ok();
        Checked {
            problems: result.as_ref().err().map(|error| problems(&file, error)).unwrap_or_default(),
            file,
            id: valid.map(|p| p.id.clone()),
            valid: valid.is_some(),
            phases: valid.map(|p| p.phases.len()),
            steps: valid.map(playbook::Playbook::step_count),
        }
    }
}

/// The located diagnostics of a playbook error, or the error itself as one problem.
fn problems(file: &str, error: &anyhow::Error) -> Vec<Problem> {
    let Some(playbook) = error.chain().find_map(|e| e.downcast_ref::<PlaybookError>()) else {
        return vec![Problem {
            file: file.to_string(),
            line: None,
            column: None,
            message: crate::hint::message(error),
            hint: crate::hint::hint(error),
        }];
    };
    playbook
        .diagnostics
        .iter()
        .map(|d| Problem {
            file: playbook.file.clone(),
            line: d.location.map(|at| at.line),
            column: d.location.map(|at| at.column),
            message: d.message.clone(),
            hint: d.hint.clone(),
        })
        .collect()
}
