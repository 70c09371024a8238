//! Playbook text → checked `Playbook`, reporting every problem with its location.
//!
//! Each node (the top level, a role, a variable, a phase, a step, a field, a deadline)
//! is read on its own, so one bad step does not hide the problems of the next. Then
//! references, types and the prerequisite graph are checked across the whole file.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::de::DeserializeOwned;
use serde_yaml::Value as Yaml;
use sha2::{Digest, Sha256};

use super::condition::{Condition, Test, is_variable_name};
use super::diagnostic::{Diagnostic, PlaybookError, did_you_mean};
use super::introspect::field_names;
use super::model::{Default, Lookup, Origin, Phase, Playbook, Role, Step, Variable};
use super::raw::{RawDeadline, RawDuration, RawPhase, RawPlaybook, RawRole, RawStep, RawVariable};
use super::rule::{Anchor, Count, Deadline, Roll, Rule, Span, Within, parse_milestone};
use super::value::{ValueKind, backticked};
use crate::calendar;
use crate::text::{Location, LocationIndex, check_shape, first_conflict_marker, first_duplicate_key, join};

/// A rule's key in a step and how messages name it.
type RuleKey = (&'static str, &'static str);
const DEADLINE: RuleKey = ("deadline", "a deadline");
const NOT_BEFORE: RuleKey = ("not_before", "an earliest start (`not_before`)");

/// Names a playbook may not give its variables: `--set` uses them for other things.
const RESERVED: [&str; 1] = ["calendar"];
/// The service levels an SLA rule understands.
pub const SERVICE_LEVELS: [&str; 3] = ["business", "6x24", "7x24"];

/// Parses and checks a playbook. `file` is how errors name it.
pub fn parse(text: &str, file: &str, origin: Origin) -> Result<Playbook, PlaybookError> {
    if let Err((location, message)) = check_shape(text) {
        let diagnostic = Diagnostic {
            message,
            location,
            hint: Some("a playbook is a few kilobytes, a few levels deep".into()),
        };
        return Err(PlaybookError {
            file: file.to_string(),
            text: text.to_string(),
            diagnostics: vec![diagnostic],
        });
    }
    let mut checker = Checker {
        index: LocationIndex::new(text),
        diagnostics: Vec::new(),
        broken: HashSet::new(),
        suggestions: SUGGESTION_BUDGET,
    };
    let playbook = checker.playbook(text, origin);
    // Report in reading order; problems without a place go last.
    checker.diagnostics.sort_by_key(|d| d.location.map_or((usize::MAX, 0), |l| (l.line, l.column)));
    match playbook {
        Some(playbook) if checker.diagnostics.is_empty() => Ok(playbook),
        _ => Err(PlaybookError {
            file: file.to_string(),
            text: text.to_string(),
            diagnostics: checker.diagnostics,
        }),
    }
}

struct Checker {
    index: LocationIndex,
    diagnostics: Vec<Diagnostic>,
    /// Ids and names of nodes that failed to read: already reported, so references to
    /// them are not reported again as unknown.
    broken: HashSet<String>,
    /// What is left of `SUGGESTION_BUDGET`.
    suggestions: usize,
}

/// Where each checked item came from, for messages about references.
struct Paths {
    phases: Vec<String>,
    /// The path of every checked step, in playbook order (failed steps are not in the model).
    steps: Vec<String>,
    by_id: HashMap<String, String>,
}

impl Checker {
    fn error(&mut self, path: &str, message: impl Into<String>, hint: Option<String>) {
        let location = self.index.value(path);
        self.diagnostics.push(Diagnostic { message: message.into(), location, hint });
    }

    fn key_error(&mut self, path: &str, message: impl Into<String>, hint: Option<String>) {
        let location = self.index.key(path);
        self.diagnostics.push(Diagnostic { message: message.into(), location, hint });
    }

    /// Reads one mapping node as `T`, reporting every unknown key and the first type error.
    fn node<T: DeserializeOwned>(&mut self, value: &Yaml, path: &str, what: &str) -> Option<T> {
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
        let mut clean = mapping.clone();
        for key in mapping.keys() {
            let name = key.as_str().unwrap_or_default();
            if !known.contains(&name) {
                let hint = match did_you_mean(name, known.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("the keys of {what} are {}", backticked_static(known)),
                };
                self.key_error(&join(path, name), format!("unknown key `{name}` in {what}"), Some(hint));
                clean.remove(key);
            }
        }
        match serde_path_to_error::deserialize::<_, T>(Yaml::Mapping(clean)) {
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

    fn playbook(&mut self, text: &str, origin: Origin) -> Option<Playbook> {
        if let Some(line) = first_conflict_marker(text) {
            let message = "the file has an unresolved merge conflict".to_string();
            let hint =
                Some("keep the right side, remove the markers, then run `onboard validate`".to_string());
            self.diagnostics.push(Diagnostic { message, location: Some(Location { line, column: 1 }), hint });
            return None;
        }
        // serde keeps one of two repeated keys silently: refuse them at the repeat.
        if let Some((location, key)) = first_duplicate_key(text) {
            let message = format!("the key `{key}` appears twice in the same mapping");
            let hint = Some("keep one of them; a mapping's keys are unique".to_string());
            self.diagnostics.push(Diagnostic { message, location: Some(location), hint });
            return None;
        }
        let document: Yaml = match serde_yaml::from_str(text) {
            Ok(document) => document,
            Err(error) => {
                let location =
                    error.location().map(|l| crate::text::Location { line: l.line(), column: l.column() });
                let message = format!("the file is not valid YAML: {error}");
                self.diagnostics.push(Diagnostic { message, location, hint: None });
                return None;
            }
        };
        let raw: RawPlaybook = self.node(&document, "", "the playbook")?;
        let roles = self.roles(&raw.roles);
        let variables = self.variables(&raw.variables, "variables", "a variable");
        let (phases, paths) = self.phases(&raw.phases);
        let lookup = Lookup::of(&phases, &variables);
        let mut playbook = Playbook {
            id: raw.id.clone(),
            title: raw.title,
            source: raw.source,
            language: raw.language,
            calendar: raw.calendar.clone(),
            business_hours: None,
            hours_assumed: false,
            description: raw.description,
            assumptions: raw.assumptions,
            roles,
            variables,
            phases,
            hash: content_hash(text),
            origin,
            text: text.to_string(),
            lookup,
        };
        let hours = match (raw.business_hours.as_deref(), raw.assumed_business_hours.as_deref()) {
            (Some(_), Some(_)) => {
                let hint = "`business_hours` for hours the document states, `assumed_business_hours` for hours it does not".into();
                self.key_error(
                    "assumed_business_hours",
                    "a playbook gives `business_hours` or `assumed_business_hours`, not both",
                    Some(hint),
                );
                None
            }
            (Some(hours), None) => Some(("business_hours", hours)),
            (None, Some(hours)) => Some(("assumed_business_hours", hours)),
            (None, None) => None,
        };
        playbook.hours_assumed = hours.is_some_and(|(key, _)| key == "assumed_business_hours");
        self.top_level(&mut playbook, hours);
        let unique = self.names(&playbook, &paths);
        self.references(&playbook, &paths);
        if unique {
            self.cycles(&playbook, &paths);
        }
        Some(playbook)
    }

    fn top_level(&mut self, playbook: &mut Playbook, hours: Option<(&str, &str)>) {
        if !is_slug(&playbook.id) {
            self.error(
                "id",
                format!("the playbook id `{}` is not a slug", playbook.id),
                Some(SLUG_HINT.into()),
            );
        }
        if calendar::find(&playbook.calendar).is_none() {
            let hint = format!("the calendars are {}", calendar::ids().collect::<Vec<_>>().join(", "));
            self.error("calendar", format!("unknown calendar `{}`", playbook.calendar), Some(hint));
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

    fn roles(&mut self, raw: &[Yaml]) -> Vec<Role> {
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
    fn variables(&mut self, raw: &[Yaml], base: &str, what: &str) -> Vec<Variable> {
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

    fn variable(&mut self, raw: RawVariable, path: &str) -> Option<Variable> {
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
                self.error(path, format!("`{}` is a choice but lists no `choices`", raw.name), None)
            }
            (Some(_), false) => {
                self.error(&join(path, "choices"), "`choices` goes only with `type: choice`", None)
            }
            _ => {}
        }
        let Some(kind) = ValueKind::from_name(&raw.kind, raw.choices) else {
            let hint = did_you_mean(&raw.kind, ValueKind::NAMES)
                .map(|close| format!("did you mean `{close}`?"))
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

    fn phases(&mut self, raw: &[Yaml]) -> (Vec<Phase>, Paths) {
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
                owners: phase.owner.map(|o| o.into_vec()).unwrap_or_default(),
                after,
                when,
                parallel: phase.order.as_deref() == Some("parallel"),
                deadline,
                steps,
            });
        }
        (phases, paths)
    }

    fn steps(&mut self, raw: &[Yaml], phase_path: &str, parallel: bool, paths: &mut Paths) -> Vec<Step> {
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

    fn condition(&mut self, text: Option<&str>, path: &str) -> Option<Condition> {
        match Condition::parse(text?) {
            Ok(condition) => Some(condition),
            Err(message) => {
                self.error(&join(path, "when"), message, None);
                None
            }
        }
    }

    /// A `deadline` or a `not_before`: the same rule language, named by `what`.
    fn deadline(&mut self, value: Option<&Yaml>, path: &str, what: RuleKey) -> Option<Deadline> {
        let (key, noun) = what;
        let path = join(path, key);
        let raw: RawDeadline = self.node(value?, &path, noun)?;
        let misplaced = match (&raw.at, &raw.within) {
            (Some(_), None) => [("from", raw.from.is_some()), ("service", raw.service.is_some())],
            (None, Some(_)) => [("count", raw.count.is_some()), ("roll", raw.roll.is_some())],
            _ => [("", false), ("", false)],
        };
        for (key, present) in misplaced {
            if present {
                let with = if raw.at.is_some() { "at" } else { "within" };
                self.key_error(
                    &join(&path, key),
                    format!("`{key}` does not go with `{with}` in {noun}"),
                    None,
                );
            }
        }
        let rule = match (raw.at, raw.within) {
            (Some(at), None) => self.milestone(&at, raw.count.as_deref(), raw.roll.as_deref(), &path)?,
            (None, Some(within)) => {
                let within = self.within(within, &path)?;
                let Some(from) = raw.from else {
                    let hint =
                        "e.g. `from: certification.start`, `from: project.start` or a date variable".into();
                    self.error(&path, format!("{noun} with `within` needs `from`"), Some(hint));
                    return None;
                };
                Rule::Window { within, from: Anchor::parse(&from), service: raw.service }
            }
            _ => {
                let hint = "`at: J-14` for a milestone, or `within: 10 business days` with `from:`".into();
                self.error(&path, format!("{noun} needs exactly one of `at` and `within`"), Some(hint));
                return None;
            }
        };
        Some(Deadline { rule, text: raw.text })
    }

    fn milestone(&mut self, at: &str, count: Option<&str>, roll: Option<&str>, path: &str) -> Option<Rule> {
        let roll = match roll.map(Roll::parse).transpose() {
            Ok(roll) => roll.unwrap_or_default(),
            Err(message) => {
                let hint = "`back` (the default: the business day before), `forward` or `none`".to_string();
                self.error(&join(path, "roll"), message, Some(hint));
                return None;
            }
        };
        let count = match count {
            None | Some("calendar") => Count::Calendar,
            Some("business") => Count::Business,
            Some(other) => {
                let hint = "`calendar` (the default) or `business`".to_string();
                self.error(&join(path, "count"), format!("unknown count `{other}`"), Some(hint));
                return None;
            }
        };
        match parse_milestone(at) {
            Ok((milestone, days)) => Some(Rule::Milestone { milestone, days, count, roll }),
            Err(message) => {
                self.error(&join(path, "at"), message, None);
                None
            }
        }
    }

    fn within(&mut self, raw: RawDuration, path: &str) -> Option<Within> {
        let path = join(path, "within");
        match raw {
            RawDuration::Text(text) => match Span::parse(&text) {
                Ok(span) => Some(Within::Fixed(span)),
                Err(message) => {
                    self.error(&path, message, None);
                    None
                }
            },
            RawDuration::Table(table) => {
                let mut spans = BTreeMap::new();
                self.table(&table.table, &join(&path, "table"), &mut Vec::new(), table.by.len(), &mut spans);
                Some(Within::Table { by: table.by, spans })
            }
        }
    }

    /// Walks a nested lookup table down to `depth` levels of keys.
    fn table(
        &mut self,
        node: &Yaml,
        path: &str,
        keys: &mut Vec<String>,
        depth: usize,
        spans: &mut BTreeMap<Vec<String>, Span>,
    ) {
        if keys.len() == depth {
            match node.as_str().map(Span::parse) {
                Some(Ok(span)) => {
                    spans.insert(keys.clone(), span);
                }
                Some(Err(message)) => self.error(path, message, None),
                None => self.error(path, format!("expected a duration after {} keys", depth), None),
            }
            return;
        }
        let Yaml::Mapping(mapping) = node else {
            self.error(
                path,
                format!("expected a mapping keyed by the values of `by` ({depth} levels)"),
                None,
            );
            return;
        };
        for (key, value) in mapping {
            let key = key.as_str().map(str::to_string).unwrap_or_else(|| yaml_scalar(key));
            keys.push(key.clone());
            self.table(value, &join(path, &key), keys, depth, spans);
            keys.pop();
        }
    }

    /// Duplicate ids and names; true when ids are unique (the graph checks need that).
    fn names(&mut self, playbook: &Playbook, paths: &Paths) -> bool {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut unique = true;
        let phases = playbook.phases.iter().zip(&paths.phases).map(|(p, path)| (&p.id, path, "phase"));
        let steps =
            playbook.steps().map(|(_, s)| &s.id).zip(&paths.steps).map(|(id, path)| (id, path, "step"));
        for (id, path, _) in phases.chain(steps) {
            let at = join(path, "id");
            if !seen.insert(id) {
                unique = false;
                let hint = "ids must be unique across phases and steps".to_string();
                self.error(&at, format!("duplicate id `{id}`"), Some(hint));
            }
            if !is_slug(id) {
                self.error(&at, format!("the id `{id}` is not a slug"), Some(SLUG_HINT.into()));
            }
        }
        let mut numbers: HashSet<&str> = HashSet::new();
        for ((_, step), path) in playbook.steps().zip(&paths.steps) {
            if let Some(number) = &step.number
                && !numbers.insert(number)
            {
                let hint =
                    "commands accept a step's number in place of its id, so numbers are unique".to_string();
                self.error(&join(path, "number"), format!("duplicate step number `{number}`"), Some(hint));
            }
        }
        let mut names: HashSet<&str> = HashSet::new();
        for variable in &playbook.variables {
            if !names.insert(&variable.name) {
                let message = format!("duplicate variable `{}`", variable.name);
                self.error("variables", message, None);
            }
        }
        // A field may share a name with a variable or another step's field (several
        // sign-offs each record `approved_by`): the latest recorded value wins. The types
        // must agree, since they are one project variable.
        let mut kinds: HashMap<&str, &ValueKind> =
            playbook.variables.iter().map(|v| (v.name.as_str(), &v.kind)).collect();
        for ((_, step), path) in playbook.steps().zip(&paths.steps) {
            for field in &step.fields {
                match kinds.get(field.name.as_str()) {
                    Some(kind) if **kind != field.kind => {
                        let message = format!(
                            "the field `{}` is a {} here but a {} elsewhere",
                            field.name,
                            field.kind.name(),
                            kind.name()
                        );
                        let hint = "a recorded field sets the project variable of that name; give both one type, or rename one";
                        self.error(&join(path, "fields"), message, Some(hint.to_string()));
                    }
                    Some(_) => {}
                    None => {
                        kinds.insert(&field.name, &field.kind);
                    }
                }
            }
        }
        unique
    }

    /// Roles, prerequisites, conditions and deadline anchors point at things that exist.
    fn references(&mut self, playbook: &Playbook, paths: &Paths) {
        for (phase, path) in playbook.phases.iter().zip(&paths.phases) {
            self.owners(playbook, &phase.owners, &join(path, "owner"));
            self.after(playbook, &phase.id, &phase.after, path);
            self.condition_refs(playbook, phase.when.as_ref(), path);
            self.deadline_refs(playbook, phase.deadline.as_ref(), path, DEADLINE.0);
            for step in &phase.steps {
                let path = &paths.by_id[&step.id];
                self.owners(playbook, &step.owners, &join(path, "owner"));
                if let Some(signoff) = &step.signoff {
                    self.owners(playbook, std::slice::from_ref(signoff), &join(path, "signoff"));
                }
                self.after(playbook, &step.id, &step.after, path);
                self.condition_refs(playbook, step.when.as_ref(), path);
                self.deadline_refs(playbook, step.deadline.as_ref(), path, DEADLINE.0);
                self.deadline_refs(playbook, step.not_before.as_ref(), path, NOT_BEFORE.0);
            }
        }
    }

    fn owners(&mut self, playbook: &Playbook, owners: &[String], path: &str) {
        for owner in owners {
            if playbook.role(owner).is_none() {
                let hint = self.suggest(owner, playbook.roles.iter().map(|r| r.id.as_str()), "roles");
                self.error(path, format!("unknown role `{owner}`"), Some(hint));
            }
        }
    }

    fn after(&mut self, playbook: &Playbook, id: &str, after: &[String], path: &str) {
        for (i, target) in after.iter().enumerate() {
            let at = format!("{}[{i}]", join(path, "after"));
            if target == id {
                self.error(&at, format!("`{id}` lists itself in `after`"), None);
            } else if playbook.node(target).is_none() && !self.broken.contains(target) {
                let hint = self.suggest(target, all_ids(playbook), "ids");
                self.error(&at, format!("`after` names `{target}`, which is no phase or step"), Some(hint));
            }
        }
    }

    fn condition_refs(&mut self, playbook: &Playbook, condition: Option<&Condition>, path: &str) {
        let path = join(path, "when");
        for test in condition.map(|c| c.tests.as_slice()).unwrap_or_default() {
            let name = test.variable();
            let Some(kind) = playbook.kind_of(name) else {
                if self.broken.contains(name) {
                    continue;
                }
                let hint = self.suggest(name, variable_names(playbook), "variables and fields");
                self.error(
                    &path,
                    format!("the condition reads `{name}`, which is no variable or field"),
                    Some(hint),
                );
                continue;
            };
            match (test, kind) {
                (Test::IsTrue(_) | Test::IsFalse(_), ValueKind::Bool) => {}
                (Test::IsTrue(_) | Test::IsFalse(_), _) => {
                    let hint = format!("compare it instead: `{name} == VALUE`");
                    self.error(&path, format!("`{name}` is a {}, not a bool", kind.name()), Some(hint));
                }
                (Test::Equals(_, value) | Test::Differs(_, value), kind) => {
                    if let Err(message) = kind.parse(value) {
                        self.error(
                            &path,
                            format!("the condition compares `{name}` with `{value}`: {message}"),
                            None,
                        );
                    }
                }
            }
        }
    }

    fn deadline_refs(&mut self, playbook: &Playbook, deadline: Option<&Deadline>, path: &str, key: &str) {
        let Some(deadline) = deadline else { return };
        let path = join(path, key);
        match &deadline.rule {
            Rule::Milestone { milestone, .. } => {
                self.date_variable(playbook, milestone, &join(&path, "at"), &[ValueKind::Date]);
            }
            Rule::Window { within, from, service } => {
                let from_path = join(&path, "from");
                match from {
                    Anchor::ProjectStart => {}
                    Anchor::Started(id) | Anchor::Done(id)
                        if playbook.node(id).is_none() && !self.broken.contains(id) =>
                    {
                        let hint = self.suggest(id, all_ids(playbook), "ids");
                        self.error(
                            &from_path,
                            format!("`from` names `{id}`, which is no phase or step"),
                            Some(hint),
                        );
                    }
                    Anchor::Started(_) | Anchor::Done(_) => {}
                    Anchor::Variable(name) => {
                        self.date_variable(
                            playbook,
                            name,
                            &from_path,
                            &[ValueKind::Date, ValueKind::DateTime],
                        );
                    }
                }
                if let Within::Table { by, spans } = within {
                    self.table_refs(playbook, by, spans, &join(&path, "within"));
                }
                if let Some(service) = service {
                    self.service_ref(playbook, service, &join(&path, "service"));
                }
            }
        }
    }

    fn date_variable(&mut self, playbook: &Playbook, name: &str, path: &str, kinds: &[ValueKind]) {
        match playbook.kind_of(name) {
            None if self.broken.contains(name) => {}
            None => {
                let hint = self.suggest(name, variable_names(playbook), "variables and fields");
                self.error(path, format!("`{name}` is no variable or field"), Some(hint));
            }
            Some(kind) if !kinds.contains(kind) => {
                let wanted: Vec<&str> = kinds.iter().map(ValueKind::name).collect();
                self.error(
                    path,
                    format!("`{name}` is a {}, but a {} is needed", kind.name(), wanted.join(" or ")),
                    None,
                );
            }
            Some(_) => {}
        }
    }

    fn table_refs(
        &mut self,
        playbook: &Playbook,
        by: &[String],
        spans: &BTreeMap<Vec<String>, Span>,
        path: &str,
    ) {
        for (i, name) in by.iter().enumerate() {
            let at = format!("{path}.by[{i}]");
            match playbook.kind_of(name) {
                Some(ValueKind::Choice(choices)) => {
                    for key in spans.keys() {
                        if !choices.contains(&key[i]) {
                            let message =
                                format!("the table has `{}`, which is not a value of `{name}`", key[i]);
                            self.error(
                                &at,
                                message,
                                Some(format!("`{name}` is one of {}", backticked(choices))),
                            );
                        }
                    }
                }
                Some(kind) => {
                    self.error(&at, format!("`{name}` is a {}; a table needs a choice", kind.name()), None)
                }
                None => {
                    let hint = self.suggest(name, variable_names(playbook), "variables and fields");
                    self.error(&at, format!("`{name}` is no variable or field"), Some(hint));
                }
            }
        }
    }

    fn service_ref(&mut self, playbook: &Playbook, name: &str, path: &str) {
        let levels: Vec<String> = SERVICE_LEVELS.iter().map(|s| s.to_string()).collect();
        match playbook.kind_of(name) {
            Some(ValueKind::Choice(choices)) if choices.iter().all(|c| levels.contains(c)) => {}
            Some(_) => {
                let hint = format!("declare it as a choice among {}", backticked(&levels));
                self.error(
                    path,
                    format!("the service variable `{name}` must be a choice of service levels"),
                    Some(hint),
                );
            }
            None => self.error(path, format!("`{name}` is no variable or field"), None),
        }
    }

    /// Prerequisites (explicit and implied) must not loop. One cycle is reported: fixing
    /// it often breaks the others, and the next run shows what remains.
    fn cycles(&mut self, playbook: &Playbook, paths: &Paths) {
        if let Some(cycle) = find_cycle(&prerequisite_graph(playbook)) {
            self.report_cycle(&cycle, paths);
        }
    }

    fn report_cycle(&mut self, cycle: &[&str], paths: &Paths) {
        let shown: Vec<&str> =
            cycle.iter().map(|n| n.trim_start_matches("start:").trim_start_matches("done:")).collect();
        let mut readable: Vec<&str> = Vec::new();
        for id in shown {
            if readable.last() != Some(&id) {
                readable.push(id);
            }
        }
        let first = readable.first().copied().unwrap_or_default();
        let path = paths.by_id.get(first).cloned().unwrap_or_default();
        let message = format!("prerequisites form a cycle: {} → {first}", readable.join(" → "));
        let hint =
            "remove one of these `after` entries (a step also waits for its phase to start)".to_string();
        self.error(&join(&path, "after"), message, Some(hint));
    }
}

const SLUG_HINT: &str = "use lowercase letters, digits and `-`, e.g. `dimo-custom`";

/// Lowercase letters, digits and `-`, starting with a letter or digit, at most 64 characters.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.starts_with('-')
}

/// Edges from each node to what it waits for. Phases are two nodes (`start:` and `done:`).
fn prerequisite_graph(playbook: &Playbook) -> BTreeMap<String, Vec<String>> {
    let done = |id: &String| {
        if playbook.phase(id).is_some() { format!("done:{id}") } else { id.clone() }
    };
    let mut graph = BTreeMap::new();
    for phase in &playbook.phases {
        graph.insert(format!("start:{}", phase.id), phase.after.iter().map(done).collect());
        graph.insert(format!("done:{}", phase.id), phase.steps.iter().map(|s| s.id.clone()).collect());
        for step in &phase.steps {
            let mut edges = vec![format!("start:{}", phase.id)];
            edges.extend(step.after.iter().map(done));
            graph.insert(step.id.clone(), edges);
        }
    }
    graph
}

/// The first cycle a depth-first search meets, visiting nodes in key order and edges in
/// order. The search keeps its own stack: a chain of prerequisites is as long as the
/// playbook makes it, and must not become as deep a recursion.
fn find_cycle(graph: &BTreeMap<String, Vec<String>>) -> Option<Vec<&str>> {
    // Absent: not seen; false: on the path; true: finished, no cycle through it.
    let mut state: HashMap<&str, bool> = HashMap::new();
    for root in graph.keys() {
        if state.contains_key(root.as_str()) {
            continue;
        }
        // The path from `root`, each node with the index of its next edge to follow.
        let mut path: Vec<(&str, usize)> = vec![(root, 0)];
        state.insert(root, false);
        while let Some((node, next)) = path.last_mut() {
            let edges = graph.get(*node).map(Vec::as_slice).unwrap_or_default();
            let Some(target) = edges.get(*next) else {
                state.insert(node, true);
                path.pop();
                continue;
            };
            *next += 1;
            let Some((target, _)) = graph.get_key_value(target) else { continue };
            match state.get(target.as_str()) {
                Some(true) => {}
                Some(false) => {
                    let from = path.iter().position(|(n, _)| *n == target)?;
                    return Some(path[from..].iter().map(|(n, _)| *n).collect());
                }
                None => {
                    state.insert(target, false);
                    path.push((target, 0));
                }
            }
        }
    }
    None
}

fn all_ids(playbook: &Playbook) -> impl Iterator<Item = &str> + Clone {
    playbook
        .phases
        .iter()
        .flat_map(|p| std::iter::once(p.id.as_str()).chain(p.steps.iter().map(|s| s.id.as_str())))
}

fn variable_names(playbook: &Playbook) -> impl Iterator<Item = &str> + Clone {
    let fields = playbook.steps().flat_map(|(_, s)| s.fields.iter().map(|f| f.name.as_str()));
    playbook.variables.iter().map(|v| v.name.as_str()).chain(fields)
}

/// How many candidates all the did-you-means of one file may compare, in total: a
/// generated playbook with thousands of ids and as many typos would otherwise compare
/// every typo with every id. A person's playbook never comes near it.
const SUGGESTION_BUDGET: usize = 200_000;

impl Checker {
    /// A hint for a name that matches nothing: the closest candidate, or the few there
    /// are, or where to look them up.
    fn suggest<'a>(
        &mut self,
        word: &str,
        candidates: impl Iterator<Item = &'a str> + Clone,
        what: &str,
    ) -> String {
        let cost = candidates.clone().take(self.suggestions + 1).count();
        if cost <= self.suggestions {
            self.suggestions -= cost;
            if let Some(close) = did_you_mean(word, candidates.clone()) {
                return format!("did you mean `{close}`?");
            }
        }
        // At most nine distinct names are needed to know whether to list them.
        let mut seen: HashSet<&str> = HashSet::new();
        let mut all: Vec<String> = Vec::new();
        for candidate in candidates {
            if seen.insert(candidate) {
                all.push(candidate.to_string());
                if all.len() > 8 {
                    break;
                }
            }
        }
        match all.len() {
            0 => format!("the playbook declares no {what}"),
            1..=8 => format!("the {what} are {}", backticked(&all)),
            _ => format!("`onboard show` lists the {what}; check the spelling"),
        }
    }
}

fn backticked_static(items: &[&str]) -> String {
    backticked(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

fn yaml_scalar(value: &Yaml) -> String {
    serde_yaml::to_string(value).unwrap_or_default().trim().to_string()
}

/// Rewrites serde's wording for the cases users meet most.
fn type_message(message: &str, inner: &str) -> String {
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

/// `sha256:<hex>` of a playbook's bytes.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests;
