//! References: ids and names unique, and every role, prerequisite (`after`) and
//! condition naming something that exists, with a did-you-mean when it does not.

use std::collections::{HashMap, HashSet};

use super::{Checker, DEADLINE, NOT_BEFORE, Paths, SLUG_HINT, is_slug};
use crate::playbook::condition::{Condition, Test};
use crate::playbook::diagnostic::did_you_mean_hint;
use crate::playbook::model::Playbook;
use crate::playbook::value::{ValueKind, backticked};
use crate::text::join;

impl Checker {
    /// Duplicate ids and names; true when ids are unique (the graph checks need that).
    pub(super) fn names(&mut self, playbook: &Playbook, paths: &Paths) -> bool {
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
    pub(super) fn references(&mut self, playbook: &Playbook, paths: &Paths) {
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

    pub(super) fn owners(&mut self, playbook: &Playbook, owners: &[String], path: &str) {
        for owner in owners {
            if playbook.role(owner).is_none() {
                let hint = self.suggest(owner, playbook.roles.iter().map(|r| r.id.as_str()), "roles");
                self.error(path, format!("unknown role `{owner}`"), Some(hint));
            }
        }
    }

    pub(super) fn after(&mut self, playbook: &Playbook, id: &str, after: &[String], path: &str) {
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

    pub(super) fn condition_refs(&mut self, playbook: &Playbook, condition: Option<&Condition>, path: &str) {
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
}

pub(super) fn all_ids(playbook: &Playbook) -> impl Iterator<Item = &str> + Clone {
    playbook
        .phases
        .iter()
        .flat_map(|p| std::iter::once(p.id.as_str()).chain(p.steps.iter().map(|s| s.id.as_str())))
}

pub(super) fn variable_names(playbook: &Playbook) -> impl Iterator<Item = &str> + Clone {
    let fields = playbook.steps().flat_map(|(_, s)| s.fields.iter().map(|f| f.name.as_str()));
    playbook.variables.iter().map(|v| v.name.as_str()).chain(fields)
}

/// How many candidates all the did-you-means of one file may compare, in total: a
/// generated playbook with thousands of ids and as many typos would otherwise compare
/// every typo with every id. A person's playbook never comes near it.
pub(super) const SUGGESTION_BUDGET: usize = 200_000;

impl Checker {
    /// A hint for a name that matches nothing: the closest candidate, or the few there
    /// are, or where to look them up.
    pub(super) fn suggest<'a>(
        &mut self,
        word: &str,
        candidates: impl Iterator<Item = &'a str> + Clone,
        what: &str,
    ) -> String {
        let cost = candidates.clone().take(self.suggestions + 1).count();
        if cost <= self.suggestions {
            self.suggestions -= cost;
            if let Some(hint) = did_you_mean_hint(word, candidates.clone()) {
                return hint;
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
