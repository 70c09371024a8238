//! Reading: each node of the YAML (the top level, a role, a variable or field, a phase, a
//! step, a condition) into the model, on its own, so one bad node does not hide the next.

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;
use serde_yaml::Value as Yaml;

use super::{Checker, DEADLINE, NOT_BEFORE, Paths, RESERVED, SLUG_HINT, is_slug};
use crate::calendar;
use crate::playbook::condition::{Condition, is_variable_name};
use crate::playbook::diagnostic::did_you_mean_hint;
use crate::playbook::introspect::field_names;
use crate::playbook::model::{Default, Phase, Playbook, Role, Step, Variable};
use crate::playbook::raw::{RawPhase, RawRole, RawStep, RawVariable};
use crate::playbook::value::{ValueKind, backticked};
use crate::text::join;

impl Checker {
    /// Reads one mapping node as `T`, reporting every unknown key and the first type error.
    pub(super) fn node<T: DeserializeOwned>(&mut self, value: &Yaml, path: &str, what: &str) -> Option<T> {
        let Yaml::Mapping(mapping) = value else {
            self.error(path, format!("{what} must be a mapping of keys and values"), None);
            return None;
        };
        for key in ["id", "name"] {
            if let Some(id) = mapping.get(key).and_then(Yaml::as_str) {
                self.broken.insert(id.to_string());
            }
        }
        let known = field_names::<T>();
        let mut unknown = Vec::new();
        for key in mapping.keys() {
            let name = key.as_str().unwrap_or_default();
            if !known.contains(&name) {
                let hint = did_you_mean_hint(name, known.iter().copied())
                    .unwrap_or_else(|| format!("the keys of {what} are {}", backticked_static(known)));
                self.key_error(&join(path, name), format!("unknown key `{name}` in {what}"), Some(hint));
                unknown.push(key);
            }
        }
        // Read in place; a copy without the unknown keys only when there are some (a
        // copy of the root would copy the whole playbook).
        let read = if unknown.is_empty() {
            serde_path_to_error::deserialize::<_, T>(value)
        } else {
            let mut clean = mapping.clone();
            for key in unknown {
                clean.remove(key);
            }
            serde_path_to_error::deserialize::<_, T>(Yaml::Mapping(clean))
        };
        match read {
            Ok(node) => {
                for key in ["id", "name"] {
                    if let Some(id) = mapping.get(key).and_then(Yaml::as_str) {
                        self.broken.remove(id);
                    }
                }
                Some(node)
            }
            Err(error) => {
                let inner = error.path().to_string();
                let at = if inner == "." { path.to_string() } else { join(path, &inner) };
                let message = type_message(&error.inner().to_string(), &inner);
                self.error(&at, format!("{message} in {what}"), None);
                None
            }
        }
    }

    pub(super) fn top_level(&mut self, playbook: &mut Playbook, hours: Option<(&str, &str)>) {
        if !is_slug(&playbook.id) {
            self.error(
                "id",
                format!("the playbook id `{}` is not a slug", playbook.id),
                Some(SLUG_HINT.into()),
            );
        }
        if calendar::find(&playbook.calendar).is_none() {
            self.error(
                "calendar",
                format!("unknown calendar `{}`", playbook.calendar),
                Some(calendar::known()),
            );
        }
        if let Some((key, hours)) = hours {
            match calendar::parse_hours(hours) {
                Ok(parsed) => playbook.business_hours = Some(parsed),
                Err(message) => self.error(key, message, None),
            }
        }
        for (i, assumption) in playbook.assumptions.iter().enumerate() {
            if assumption.trim().is_empty() {
                let hint = "say what the playbook assumes and how a team changes it, or remove the entry";
                self.error(&format!("assumptions[{i}]"), "an assumption is empty", Some(hint.into()));
            }
        }
    }

    pub(super) fn roles(&mut self, raw: &[Yaml]) -> Vec<Role> {
        let mut roles: Vec<Role> = Vec::new();
        let mut ids: HashSet<String> = HashSet::new();
        for (i, value) in raw.iter().enumerate() {
            let path = format!("roles[{i}]");
            let Some(role) = self.node::<RawRole>(value, &path, "a role") else {
                continue;
            };
            if role.id.is_empty() || role.id.contains(char::is_whitespace) {
                self.error(
                    &join(&path, "id"),
                    format!("the role id `{}` has spaces or is empty", role.id),
                    None,
                );
            }
            if !ids.insert(role.id.clone()) {
                self.error(&join(&path, "id"), format!("duplicate role id `{}`", role.id), None);
            }
            roles.push(Role { id: role.id, name: role.name, description: role.description });
        }
        roles
    }

    /// Reads variables or a step's fields (they share one shape).
    pub(super) fn variables(&mut self, raw: &[Yaml], base: &str, what: &str) -> Vec<Variable> {
        let mut variables = Vec::new();
        for (i, value) in raw.iter().enumerate() {
            let path = format!("{base}[{i}]");
            let Some(variable) = self.node::<RawVariable>(value, &path, what) else {
                continue;
            };
            if let Some(variable) = self.variable(variable, &path) {
                variables.push(variable);
            }
        }
        variables
    }

    pub(super) fn variable(&mut self, raw: RawVariable, path: &str) -> Option<Variable> {
        if !is_variable_name(&raw.name) {
            let hint = "use letters, digits and `_`, starting with a letter, e.g. `due_date`".to_string();
            self.error(&join(path, "name"), format!("`{}` is not a valid name", raw.name), Some(hint));
        }
        if RESERVED.contains(&raw.name.as_str()) {
            let hint = "`--set calendar=ID` chooses a project's calendar; pick another name".to_string();
            self.error(&join(path, "name"), format!("the name `{}` is reserved", raw.name), Some(hint));
        }
        let is_choice = raw.kind == "choice";
        match (&raw.choices, is_choice) {
            (None, true) => {
                self.error(path, format!("`{}` is a choice but lists no `choices`", raw.name), None);
            }
            (Some(_), false) => {
                self.error(&join(path, "choices"), "`choices` goes only with `type: choice`", None);
            }
            _ => {}
        }
        let Some(kind) = ValueKind::from_name(&raw.kind, raw.choices) else {
            let hint = did_you_mean_hint(&raw.kind, ValueKind::NAMES)
                .unwrap_or_else(|| format!("the types are {}", backticked_static(&ValueKind::NAMES)));
            self.error(&join(path, "type"), format!("unknown type `{}`", raw.kind), Some(hint));
            return None;
        };
        let default = match raw.default {
            None => None,
            Some(Yaml::String(now)) if now == "now" && kind == ValueKind::DateTime => Some(Default::Now),
            Some(yaml) => match kind.from_yaml(&yaml) {
                Ok(value) => Some(Default::Value(value)),
                Err(message) => {
                    self.error(
                        &join(path, "default"),
                        format!("bad default for `{}`: {message}", raw.name),
                        None,
                    );
                    None
                }
            },
        };
        Some(Variable { name: raw.name, kind, required: raw.required, default, description: raw.description })
    }

    pub(super) fn phases(&mut self, raw: &[Yaml]) -> (Vec<Phase>, Paths) {
        let mut phases: Vec<Phase> = Vec::new();
        let mut paths = Paths { phases: Vec::new(), steps: Vec::new(), by_id: HashMap::new() };
        for (i, value) in raw.iter().enumerate() {
            let path = format!("phases[{i}]");
            let Some(phase) = self.node::<RawPhase>(value, &path, "a phase") else {
                continue;
            };
            let steps =
                self.steps(&phase.steps, &path, phase.order.as_deref() == Some("parallel"), &mut paths);
            if let Some(order) = &phase.order
                && order != "sequence"
                && order != "parallel"
            {
                let hint = "`sequence` (the default) or `parallel`".to_string();
                self.error(&join(&path, "order"), format!("unknown order `{order}`"), Some(hint));
            }
            let after = match phase.after {
                Some(after) => after,
                None => phases.last().map(|p| vec![p.id.clone()]).unwrap_or_default(),
            };
            let when = self.condition(phase.when.as_deref(), &path);
            let deadline = self.deadline(phase.deadline.as_ref(), &path, DEADLINE);
            paths.by_id.insert(phase.id.clone(), path.clone());
            paths.phases.push(path);
            phases.push(Phase {
                id: phase.id,
                number: phase.number,
                title: phase.title,
                description: phase.description,
                owners: phase.owner.map(super::super::raw::OneOrMany::into_vec).unwrap_or_default(),
                after,
                when,
                parallel: phase.order.as_deref() == Some("parallel"),
                deadline,
                steps,
            });
        }
        (phases, paths)
    }

    pub(super) fn steps(
        &mut self,
        raw: &[Yaml],
        phase_path: &str,
        parallel: bool,
        paths: &mut Paths,
    ) -> Vec<Step> {
        let mut steps: Vec<Step> = Vec::new();
        for (i, value) in raw.iter().enumerate() {
            let path = format!("{phase_path}.steps[{i}]");
            let Some(step) = self.node::<RawStep>(value, &path, "a step") else {
                continue;
            };
            let after = match step.after {
                Some(after) => after,
                None if parallel => Vec::new(),
                None => steps.last().map(|s| vec![s.id.clone()]).unwrap_or_default(),
            };
            let fields = self.variables(&step.fields, &join(&path, "fields"), "a field");
            let when = self.condition(step.when.as_deref(), &path);
            let deadline = self.deadline(step.deadline.as_ref(), &path, DEADLINE);
            let not_before = self.deadline(step.not_before.as_ref(), &path, NOT_BEFORE);
            paths.by_id.insert(step.id.clone(), path.clone());
            paths.steps.push(path);
            steps.push(Step {
                id: step.id,
                number: step.number,
                title: step.title,
                description: step.description,
                owners: step.owner.into_vec(),
                after,
                when,
                optional: step.optional,
                repeatable: step.repeatable,
                signoff: step.signoff,
                fields,
                deadline,
                not_before,
            });
        }
        steps
    }

    pub(super) fn condition(&mut self, text: Option<&str>, path: &str) -> Option<Condition> {
        match Condition::parse(text?) {
            Ok(condition) => Some(condition),
            Err(message) => {
                self.error(&join(path, "when"), message, None);
                None
            }
        }
    }
}

pub(super) fn backticked_static(items: &[&str]) -> String {
    backticked(&items.iter().map(std::string::ToString::to_string).collect::<Vec<_>>())
}

/// Rewrites serde's wording for the cases users meet most.
pub(super) fn type_message(message: &str, inner: &str) -> String {
    let key = inner.rsplit('.').next().unwrap_or(inner);
    if message.contains("untagged enum OneOrMany") {
        return format!("`{key}` must be a role id or a list of role ids");
    }
    if message.contains("untagged enum RawDuration") {
        return format!(
            "`{key}` must be a duration such as `10 business days`, or a table with `by` and `table`"
        );
    }
    match message.split_once(" at line ") {
        Some((head, _)) => head.to_string(),
        None if inner == "." => message.to_string(),
        None => format!("`{key}`: {message}"),
    }
}
