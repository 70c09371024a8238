//! The checked playbook: every reference resolved, every type known. The rest of the
//! program trusts it and never re-checks.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveTime};
use serde::{Deserialize, Serialize};

use super::condition::Condition;
use super::diagnostic::did_you_mean_hint;
use super::rule::Deadline;
use super::value::{Value, ValueKind};

/// Where a playbook came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary from `playbooks/`.
    Bundled,
    /// A file in the state directory's `playbooks/` folder, or given on the command line.
    File(std::path::PathBuf),
}

impl Origin {
    fn bundled() -> Origin {
        Origin::Bundled
    }
}

/// A checked playbook. It serialises (`embedded`) without what the binary already holds
/// or rebuilds: its origin, its text and its lookup.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Playbook {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub language: Option<String>,
    pub calendar: String,
    pub business_hours: Option<(NaiveTime, NaiveTime)>,
    /// `business_hours` came from `assumed_business_hours`: not the document's, so a
    /// team's calendar override replaces them.
    pub hours_assumed: bool,
    pub description: Option<String>,
    /// What the playbook assumes that its document does not state, and how a team
    /// changes it: kept apart from `description` so a reviewer tells them apart.
    pub assumptions: Vec<String>,
    pub roles: Vec<Role>,
    pub variables: Vec<Variable>,
    pub phases: Vec<Phase>,
    /// `sha256:<hex>` of the file's bytes: a project remembers the version it follows.
    pub hash: String,
    #[serde(skip, default = "Origin::bundled")]
    pub origin: Origin,
    /// The exact text, kept so a project can snapshot the version it started from.
    #[serde(skip)]
    pub text: String,
    /// Where each id and name is, built once the phases are read (`Lookup::of`).
    #[serde(skip)]
    pub(crate) lookup: Lookup,
}

/// Each phase's and step's place by id, and each variable's and field's by name: a
/// playbook may have thousands of steps, and validation and progress look every
/// prerequisite up, so lookups must not scan. The first of repeated ids wins, as a scan
/// would find it (validation refuses repeats anyway).
#[derive(Debug, Clone, Default)]
pub(crate) struct Lookup {
    phases: HashMap<String, usize>,
    steps: HashMap<String, (usize, usize)>,
    variables: HashMap<String, usize>,
    /// A recorded field: phase, step, and the field's index in the step.
    fields: HashMap<String, (usize, usize, usize)>,
}

impl Lookup {
    pub(crate) fn of(phases: &[Phase], variables: &[Variable]) -> Lookup {
        let mut lookup = Lookup::default();
        for (p, phase) in phases.iter().enumerate() {
            lookup.phases.entry(phase.id.clone()).or_insert(p);
            for (s, step) in phase.steps.iter().enumerate() {
                lookup.steps.entry(step.id.clone()).or_insert((p, s));
                for (f, field) in step.fields.iter().enumerate() {
                    lookup.fields.entry(field.name.clone()).or_insert((p, s, f));
                }
            }
        }
        for (v, variable) in variables.iter().enumerate() {
            lookup.variables.entry(variable.name.clone()).or_insert(v);
        }
        lookup
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Role {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
}

/// A project variable, or a field that a step records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Variable {
    pub name: String,
    pub kind: ValueKind,
    pub required: bool,
    pub default: Option<Default>,
    pub description: Option<String>,
}

/// A variable's default: a value, or the moment the project starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Default {
    Value(Value),
    Now,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Phase {
    pub id: String,
    pub number: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub owners: Vec<String>,
    /// Steps or phases that must be complete before this phase starts (resolved:
    /// the previous phase when the playbook says nothing).
    pub after: Vec<String>,
    pub when: Option<Condition>,
    pub parallel: bool,
    pub deadline: Option<Deadline>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub number: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub owners: Vec<String>,
    /// Steps or phases that must be complete first (resolved: the previous step of a
    /// sequential phase when the playbook says nothing). The phase's own start is implied.
    pub after: Vec<String>,
    pub when: Option<Condition>,
    pub optional: bool,
    pub repeatable: bool,
    pub signoff: Option<String>,
    pub fields: Vec<Variable>,
    pub deadline: Option<Deadline>,
    /// The earliest moment it may be completed (a period to wait, a date to wait for).
    pub not_before: Option<Deadline>,
}

/// A step asked for by an id or number the playbook does not have; where to look the
/// steps up is the command line's to say (`cli::hints`).
#[derive(Debug, thiserror::Error)]
#[error("playbook `{playbook}` has no step `{text}`")]
pub struct UnknownStep {
    pub playbook: String,
    /// The id or number as given.
    pub text: String,
    /// `did you mean …?`, when an id is close to it.
    pub did_you_mean: Option<String>,
}

/// A phase or a step, for code that treats both alike (prerequisites, anchors).
#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    Phase(&'a Phase),
    Step(&'a Phase, &'a Step),
}

impl<'a> Node<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            Node::Phase(phase) => &phase.id,
            Node::Step(_, step) => &step.id,
        }
    }

    pub fn title(&self) -> &'a str {
        match self {
            Node::Phase(phase) => &phase.title,
            Node::Step(_, step) => &step.title,
        }
    }

    pub fn owners(&self) -> &'a [String] {
        match self {
            Node::Phase(phase) => &phase.owners,
            Node::Step(_, step) => &step.owners,
        }
    }

    /// Its own time limit (a step without one may still be due with its phase).
    pub fn deadline(&self) -> Option<&'a Deadline> {
        match self {
            Node::Phase(phase) => phase.deadline.as_ref(),
            Node::Step(_, step) => step.deadline.as_ref(),
        }
    }

    /// ``III.2 `configure-production` ``, ``phase III `certification` ``.
    pub fn named(&self) -> String {
        match self {
            Node::Phase(phase) => phase.named(),
            Node::Step(_, step) => step.named(),
        }
    }

    /// `III.2` for a step, `phase III` for a phase.
    pub fn label(&self) -> String {
        match self {
            Node::Phase(phase) => format!("phase {}", phase.label()),
            Node::Step(_, step) => step.label().to_string(),
        }
    }
}

impl Playbook {
    /// Its business hours for `Calendar::load`.
    pub fn hours(&self) -> Option<crate::calendar::PlaybookHours> {
        self.business_hours.map(|hours| crate::calendar::PlaybookHours { hours, assumed: self.hours_assumed })
    }

    pub fn steps(&self) -> impl Iterator<Item = (&Phase, &Step)> + Clone {
        self.phases.iter().flat_map(|phase| phase.steps.iter().map(move |step| (phase, step)))
    }

    pub fn step(&self, id: &str) -> Option<(&Phase, &Step)> {
        let (p, s) = *self.lookup.steps.get(id)?;
        let phase = &self.phases[p];
        Some((phase, &phase.steps[s]))
    }

    pub fn phase(&self, id: &str) -> Option<&Phase> {
        self.lookup.phases.get(id).map(|p| &self.phases[*p])
    }

    /// The phase or step with this id (ids are unique across both).
    pub fn node(&self, id: &str) -> Option<Node<'_>> {
        self.phase(id).map(Node::Phase).or_else(|| self.step(id).map(|(phase, step)| Node::Step(phase, step)))
    }

    /// How messages name the phase or step `id`: `Node::named`, or `` `id` `` when the
    /// playbook has no such node (a project may name work an older version had).
    pub fn named(&self, id: &str) -> String {
        self.node(id).map_or_else(|| format!("`{id}`"), |node| node.named())
    }

    /// `Node::label` of `id`, or the id itself when the playbook has no such node.
    pub fn label(&self, id: &str) -> String {
        self.node(id).map_or_else(|| id.to_string(), |node| node.label())
    }

    /// `Node::owners` of `id`; none when the playbook has no such node.
    pub fn owners(&self, id: &str) -> &[String] {
        self.node(id).map_or(&[], |node| node.owners())
    }

    /// Finds a step by id or by its document number (`3.2.1`, `III.2`).
    pub fn resolve_step(&self, text: &str) -> Result<&Step, UnknownStep> {
        if let Some((_, step)) = self.step(text) {
            return Ok(step);
        }
        let numbered: Vec<&Step> =
            self.steps().map(|(_, s)| s).filter(|s| s.number.as_deref() == Some(text)).collect();
        if let [step] = numbered.as_slice() {
            return Ok(step);
        }
        let ids = self.steps().map(|(_, s)| s.id.as_str());
        Err(UnknownStep {
            playbook: self.id.clone(),
            text: text.to_string(),
            did_you_mean: did_you_mean_hint(text, ids),
        })
    }

    /// Where a phase or step comes in the playbook (a phase before its steps), to list
    /// things in the document's order; unknown ids come last.
    pub fn position(&self, id: &str) -> usize {
        self.phases
            .iter()
            .flat_map(|phase| std::iter::once(&phase.id).chain(phase.steps.iter().map(|step| &step.id)))
            .position(|node| node == id)
            .unwrap_or(usize::MAX)
    }

    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.lookup.variables.get(name).map(|v| &self.variables[*v])
    }

    /// A field some step records, with that step (the first step that records it).
    pub fn field(&self, name: &str) -> Option<(&Step, &Variable)> {
        let (p, s, f) = *self.lookup.fields.get(name)?;
        let step = &self.phases[p].steps[s];
        Some((step, &step.fields[f]))
    }

    /// The type of a variable or a recorded field.
    pub fn kind_of(&self, name: &str) -> Option<&ValueKind> {
        self.variable(name).map(|v| &v.kind).or_else(|| self.field(name).map(|(_, f)| &f.kind))
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|role| role.id == id)
    }

    pub fn step_count(&self) -> usize {
        self.phases.iter().map(|phase| phase.steps.len()).sum()
    }
}

impl Variable {
    /// A sentence about the variable for hints: its description, or its type.
    pub fn about(&self) -> String {
        match &self.description {
            Some(description) => format!("`{}`: {description}", self.name),
            None => format!("`{}` is a {}", self.name, self.kind.name()),
        }
    }

    /// The value it takes when none is given: its default, where `default: now` is the
    /// moment of the change (`now`, in the project calendar's zone); `None` without one.
    /// A started project's variables and a completed step's fields both fill in so.
    pub fn initial(&self, now: DateTime<FixedOffset>) -> Option<Value> {
        match self.default.as_ref()? {
            Default::Value(value) => Some(value.clone()),
            Default::Now => Some(Value::DateTime(now)),
        }
    }
}

impl Step {
    /// `III.2 ` style label: the document's number, else the id.
    pub fn label(&self) -> &str {
        self.number.as_deref().unwrap_or(&self.id)
    }

    /// How messages name it: ``3.1 `contact-list` ``, or just `` `client-request` ``.
    pub fn named(&self) -> String {
        named(self.number.as_deref(), &self.id)
    }
}

impl Phase {
    pub fn label(&self) -> &str {
        self.number.as_deref().unwrap_or(&self.id)
    }

    /// How messages name it: ``phase III `certification` ``, or ``phase `warranty` ``.
    pub fn named(&self) -> String {
        format!("phase {}", named(self.number.as_deref(), &self.id))
    }
}

fn named(number: Option<&str>, id: &str) -> String {
    match number {
        Some(number) => format!("{number} `{id}`"),
        None => format!("`{id}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variable(default: Option<Default>) -> Variable {
        Variable {
            name: "received_at".into(),
            kind: ValueKind::DateTime,
            required: false,
            default,
            description: None,
        }
    }

    #[test]
    fn a_variable_without_a_value_takes_its_default_and_now_is_the_moment_of_the_change() {
        let now = DateTime::parse_from_rfc3339("2026-03-02T09:00:00-05:00").unwrap();
        let earlier = Value::DateTime(DateTime::parse_from_rfc3339("2026-01-05T08:00:00-05:00").unwrap());
        assert_eq!(variable(Some(Default::Value(earlier.clone()))).initial(now), Some(earlier));
        assert_eq!(variable(Some(Default::Now)).initial(now), Some(Value::DateTime(now)));
        assert_eq!(variable(None).initial(now), None);
    }
}
