//! The raw playbook schema: serde structs that mirror the YAML one to one.
//!
//! Nothing here is trusted. `validate` turns these into the checked model and
//! reports every problem with its location; nothing else reads raw types.

use serde::Deserialize;
use serde_yaml::Value;

/// The top level of a playbook file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlaybook {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    pub calendar: String,
    #[serde(default)]
    pub business_hours: Option<String>,
    /// Hours the document does not state: a team's calendar override replaces them.
    #[serde(default)]
    pub assumed_business_hours: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// What the playbook assumes that its document does not state.
    #[serde(default)]
    pub assumptions: Vec<String>,
    #[serde(default)]
    pub roles: Vec<Value>,
    #[serde(default)]
    pub variables: Vec<Value>,
    #[serde(default)]
    pub phases: Vec<Value>,
}

/// A role that owns or approves steps.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRole {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A project variable, or a field a step records (both share one shape).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVariable {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<Value>,
    #[serde(default)]
    pub choices: Option<Vec<String>>,
    #[serde(default)]
    pub description: Option<String>,
}

/// One phase; its steps are read one by one so that each reports its own problems.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhase {
    pub id: String,
    #[serde(default)]
    pub number: Option<String>,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub owner: Option<OneOrMany>,
    #[serde(default)]
    pub after: Option<Vec<String>>,
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub order: Option<String>,
    #[serde(default)]
    pub deadline: Option<Value>,
    #[serde(default)]
    pub steps: Vec<Value>,
}

/// One step of a phase.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub id: String,
    #[serde(default)]
    pub number: Option<String>,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub owner: OneOrMany,
    #[serde(default)]
    pub after: Option<Vec<String>>,
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub repeatable: bool,
    #[serde(default)]
    pub signoff: Option<String>,
    #[serde(default)]
    pub fields: Vec<Value>,
    #[serde(default)]
    pub deadline: Option<Value>,
    /// The earliest start, in the deadline's rule language.
    #[serde(default)]
    pub not_before: Option<Value>,
}

/// A time limit, kept as written; `deadline::rule` gives it meaning.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeadline {
    #[serde(default)]
    pub within: Option<RawDuration>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub count: Option<String>,
    #[serde(default)]
    pub roll: Option<String>,
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
}

/// A duration: plain text (`10 business days`) or a lookup table keyed by variables.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawDuration {
    Text(String),
    Table(RawDurationTable),
}

/// `within: {by: [type, criticality], table: {defect: {high: 4 hours}}}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDurationTable {
    pub by: Vec<String>,
    pub table: Value,
}

/// `owner: SISTEMAS` or `owner: [OPERACIONES, ENTIDADES]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}
