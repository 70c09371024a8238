//! The raw playbook schema: serde structs that mirror the YAML one to one.
//!
//! Nothing here is trusted. `validate` turns these into the checked model and
//! reports every problem with its location; nothing else reads raw types.
//!
//! The same structs describe the playbook's JSON Schema (`onboard schema playbook`,
//! `schema/playbook.schema.json`), so the doc comments on fields are what an editor
//! shows while a playbook is written. Lists read item by item (`Vec<Value>`, so that
//! each item reports its own problems) tell the schema their item type with `with`.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_yaml::Value;

/// The top level of a playbook file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlaybook {
    /// The playbook id, a slug (`cooperative`): `onboard start ID` uses it. Equals the file name without `.yaml`.
    pub id: String,
    /// The process's title, as the document words it.
    pub title: String,
    /// The source document (file name, wiki page).
    #[serde(default)]
    pub source: Option<String>,
    /// The document's language, e.g. `es`.
    #[serde(default)]
    pub language: Option<String>,
    /// The default working calendar of projects (`PY`, `CO`, `CH`, `CH-VD`, `CH-ZH`, `CH-GE`, `FR`, `ES`, `ES-MD`, `ES-CT`, `IN`); `onboard calendars` lists them.
    pub calendar: String,
    /// Opening and closing time that the document states, `HH:MM-HH:MM` (`08:00-17:00`).
    #[serde(default)]
    pub business_hours: Option<String>,
    /// Hours the document does not state, which the playbook assumes (`HH:MM-HH:MM`); say so in `assumptions`. A team's calendar override replaces them.
    #[serde(default)]
    pub assumed_business_hours: Option<String>,
    /// What the document says about the whole process.
    #[serde(default)]
    pub description: Option<String>,
    /// What the playbook assumes that its document does not state, and how a team changes it.
    #[serde(default)]
    pub assumptions: Vec<String>,
    /// Who owns or signs off steps.
    #[serde(default)]
    #[schemars(with = "Vec<RawRole>")]
    pub roles: Vec<Value>,
    /// What a project is started with (`--set NAME=VALUE`).
    #[serde(default)]
    #[schemars(with = "Vec<RawVariable>")]
    pub variables: Vec<Value>,
    /// The process, in order.
    #[serde(default)]
    #[schemars(with = "Vec<RawPhase>")]
    pub phases: Vec<Value>,
}

/// A role that owns or approves steps.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRole {
    /// The role as the document writes it (`SISTEMAS`): non-empty, no whitespace.
    pub id: String,
    /// The role's full name.
    #[serde(default)]
    pub name: Option<String>,
    /// What the role does.
    #[serde(default)]
    pub description: Option<String>,
}

/// A project variable, or a field a step records (both share one shape).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVariable {
    /// A letter or `_`, then letters, digits or `_` (`J`, `due_date`).
    pub name: String,
    /// `text`, `number`, `date`, `datetime`, `url`, `bool` or `choice`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Must have a value at `start` (asked for on a terminal).
    #[serde(default)]
    pub required: bool,
    /// Used when `--set` does not give it; for a `datetime`, `now` means the start.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub default: Option<Value>,
    /// The allowed values of a `choice`.
    #[serde(default)]
    pub choices: Option<Vec<String>>,
    /// Shown in prompts and hints.
    #[serde(default)]
    pub description: Option<String>,
}

/// One phase; its steps are read one by one so that each reports its own problems.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPhase {
    /// A slug, unique across phases and steps.
    pub id: String,
    /// The document's numbering (`I`, `III`), shown instead of the id. Quote numbers: `\"2\"`.
    #[serde(default)]
    pub number: Option<String>,
    /// The phase as the document words it.
    pub title: String,
    /// What the document says about the phase.
    #[serde(default)]
    pub description: Option<String>,
    /// A role id, or a list of role ids.
    #[serde(default)]
    pub owner: Option<OneOrMany>,
    /// Prerequisites: phase or step ids. Default: the previous phase.
    #[serde(default)]
    pub after: Option<Vec<String>>,
    /// A condition on variables (`dimo_personalizada == true`); the phase applies only when it holds.
    #[serde(default)]
    pub when: Option<String>,
    /// `sequence` (default: each step waits for the previous one) or `parallel`.
    #[serde(default)]
    pub order: Option<String>,
    /// When the whole phase is due.
    #[serde(default)]
    #[schemars(with = "Option<RawDeadline>")]
    pub deadline: Option<Value>,
    /// The steps, in order.
    #[serde(default)]
    #[schemars(with = "Vec<RawStep>")]
    pub steps: Vec<Value>,
}

/// One step of a phase.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStep {
    /// A slug, unique across phases and steps; the key of its block in project files.
    pub id: String,
    /// The document's numbering (`3.2.1`, `III.2`, `J-14`); commands accept it. Quote numbers: `\"1.1\"`.
    #[serde(default)]
    pub number: Option<String>,
    /// The step as the document words it.
    pub title: String,
    /// What the document says about the step.
    #[serde(default)]
    pub description: Option<String>,
    /// Who does the step: a role id, or a list of role ids.
    pub owner: OneOrMany,
    /// Prerequisites: phase or step ids. Default: the previous step in a `sequence` phase.
    #[serde(default)]
    pub after: Option<Vec<String>>,
    /// A condition on variables; the step applies only when it holds.
    #[serde(default)]
    pub when: Option<String>,
    /// `onboard skip STEP --reason TEXT` may skip it.
    #[serde(default)]
    pub optional: bool,
    /// `onboard advance STEP --repeat` records rounds and leaves it open.
    #[serde(default)]
    pub repeatable: bool,
    /// The role that approves the step.
    #[serde(default)]
    pub signoff: Option<String>,
    /// Values recorded when the step is completed.
    #[serde(default)]
    #[schemars(with = "Vec<RawVariable>")]
    pub fields: Vec<Value>,
    /// When the step is due.
    #[serde(default)]
    #[schemars(with = "Option<RawDeadline>")]
    pub deadline: Option<Value>,
    /// The earliest moment the step may be completed, in the deadline rule language.
    #[serde(default)]
    #[schemars(with = "Option<RawDeadline>")]
    pub not_before: Option<Value>,
}

/// A time limit, kept as written; `playbook::rule` gives it meaning.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDeadline {
    /// A duration (`10 business days`, `4 business hours`, `2 months`) or a lookup table.
    #[serde(default)]
    pub within: Option<RawDuration>,
    /// What `within` counts from: `project.start`, `<id>.start`, `<id>.done`, or a date variable.
    #[serde(default)]
    pub from: Option<String>,
    /// A milestone: `NAME`, `NAME-N` or `NAME+N` days from the date variable `NAME` (`J-14`).
    #[serde(default)]
    pub at: Option<String>,
    /// How the N days of `at` are counted: `calendar` (default) or `business`.
    #[serde(default)]
    pub count: Option<String>,
    /// Where a closed day sends an `at` milestone: `back` (default), `forward` or `none`.
    #[serde(default)]
    pub roll: Option<String>,
    /// A `choice` variable giving the service level (`business`, `6x24`, `7x24`).
    #[serde(default)]
    pub service: Option<String>,
    /// The document's own words for the limit.
    #[serde(default)]
    pub text: Option<String>,
}

/// A duration: plain text (`10 business days`) or a lookup table keyed by variables.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum RawDuration {
    Text(String),
    Table(RawDurationTable),
}

/// `within: {by: [type, criticality], table: {defect: {high: 4 hours}}}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDurationTable {
    /// The variables that choose a row, in order (`[type, criticality]`).
    pub by: Vec<String>,
    /// Nested by the values of `by`, down to a duration (`{defect: {high: 4 hours}}`).
    #[schemars(with = "serde_json::Value")]
    pub table: Value,
}

/// `owner: SISTEMAS` or `owner: [OPERACIONES, ENTIDADES]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(crate) fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}
