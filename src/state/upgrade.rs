//! Moving a project to another version of its playbook (`onboard upgrade`): what the
//! change is (steps and variables added and removed, deadline rules changed), which
//! recorded work the new version has no place for, and the change itself, a pure
//! function on the file. Due dates are the deadline layer's: the command compares the
//! schedules before and after.
//!
//! Recorded work is never dropped silently: events of a removed step, `set` events of a
//! removed variable, values a new type refuses. The change refuses them unless forced,
//! and then keeps them, as they were, in the upgrade's lifecycle record.

use serde_yaml::Value as Yaml;

use super::change::Stamp;
use super::project::{
    Action, CALENDAR_KEY, Dropped, DroppedValue, Event, Lifecycle, ProjectFile, Record, short_hash,
};
use crate::playbook::model::Default as Preset;
use crate::playbook::value::Value;
use crate::playbook::{Playbook, Step, Variable};

/// Why an upgrade is refused; what to do about it is the command line's to say
/// (`cli::hints`).
#[derive(Debug, thiserror::Error)]
pub(crate) enum UpgradeError {
    /// The project moved to another version since the plan was made.
    #[error("project `{project}` no longer follows version {version} of playbook `{playbook}`")]
    Moved { project: String, version: String, playbook: String },
    /// The new version has no place for recorded work, and the upgrade is not forced.
    #[error("upgrading `{project}` would drop recorded work: {dropped}")]
    WouldDrop { project: String, dropped: String },
}

/// What moving a file from one playbook version to another changes.
#[derive(Debug)]
pub(crate) struct Plan<'a> {
    pub from: &'a Playbook,
    pub to: &'a Playbook,
    /// Steps of the new version that the old one lacks, in its order.
    pub added: Vec<&'a Step>,
    /// Steps of the old version that the new one lacks.
    pub removed: Vec<&'a Step>,
    /// Phases and steps of both whose deadline or earliest start reads differently.
    pub rules: Vec<RuleChange>,
    pub vars_added: Vec<&'a Variable>,
    pub vars_removed: Vec<&'a Variable>,
    /// The recorded work the new version has no place for.
    pub dropped: Dropped,
}

/// One rule that reads differently in the new version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuleChange {
    /// ``J-7 `preprod-import` ``, ``phase III `certification` ``.
    pub named: String,
    /// `deadline` or `earliest start`.
    pub what: &'static str,
    /// The rule as `explain` words it, or `none`.
    pub old: String,
    pub new: String,
}

/// What moving `file` from `from` to `to` changes.
pub(crate) fn plan<'a>(file: &ProjectFile, from: &'a Playbook, to: &'a Playbook) -> Plan<'a> {
    let added = to.steps().map(|(_, s)| s).filter(|s| from.step(&s.id).is_none()).collect();
    let removed = from.steps().map(|(_, s)| s).filter(|s| to.step(&s.id).is_none()).collect();
    let vars_added = to.variables.iter().filter(|v| from.variable(&v.name).is_none()).collect();
    let vars_removed = from.variables.iter().filter(|v| to.variable(&v.name).is_none()).collect();
    Plan {
        from,
        to,
        added,
        removed,
        rules: rules(from, to),
        vars_added,
        vars_removed,
        dropped: dropped(file, to),
    }
}

/// The deadlines and earliest starts that read differently, phases and steps in the new
/// version's order.
fn rules(from: &Playbook, to: &Playbook) -> Vec<RuleChange> {
    let deadline = |d: Option<&crate::playbook::rule::Deadline>| d.map(|d| d.rule.clone());
    let words = |rule: Option<crate::playbook::rule::Rule>, earliest: bool| match rule {
        None => "none".to_string(),
        Some(rule) if earliest => rule.earliest_text(),
        Some(rule) => rule.to_string(),
    };
    let mut found = Vec::new();
    for phase in &to.phases {
        let mut pairs = Vec::new();
        if let Some(old) = from.phase(&phase.id) {
            pairs.push((
                phase.named(),
                "deadline",
                deadline(old.deadline.as_ref()),
                deadline(phase.deadline.as_ref()),
            ));
        }
        for step in &phase.steps {
            let Some((_, old)) = from.step(&step.id) else { continue };
            pairs.push((
                step.named(),
                "deadline",
                deadline(old.deadline.as_ref()),
                deadline(step.deadline.as_ref()),
            ));
            let (was, now) = (deadline(old.not_before.as_ref()), deadline(step.not_before.as_ref()));
            pairs.push((step.named(), "earliest start", was, now));
        }
        for (named, what, old, new) in pairs.into_iter().filter(|(_, _, old, new)| old != new) {
            let earliest = what == "earliest start";
            found.push(RuleChange { named, what, old: words(old, earliest), new: words(new, earliest) });
        }
    }
    found
}

/// Whether `value` has a place in `to` under `name`.
fn fits(to: &Playbook, name: &str, value: &Yaml) -> bool {
    to.kind_of(name).is_some_and(|kind| kind.from_yaml(value).is_ok())
}

/// The recorded work that `to` has no place for.
fn dropped(file: &ProjectFile, to: &Playbook) -> Dropped {
    let mut dropped = Dropped::default();
    for (id, events) in &file.steps {
        if to.step(id).is_none() && !events.is_empty() {
            dropped.steps.insert(id.clone(), events.clone());
        }
    }
    for (name, events) in file.vars.iter().filter(|(name, _)| *name != CALENDAR_KEY) {
        let refused: Vec<Event> = match to.variable(name) {
            None => events.clone(),
            Some(_) => events
                .iter()
                .filter(|e| e.value.as_ref().is_some_and(|v| !fits(to, name, v)))
                .cloned()
                .collect(),
        };
        if !refused.is_empty() {
            dropped.vars.insert(name.clone(), refused);
        }
    }
    for (name, value) in &file.start.values {
        if to.variable(name).is_none() || !fits(to, name, value) {
            let at = file.start.at;
            dropped.values.push(DroppedValue { at, step: None, name: name.clone(), value: value.clone() });
        }
    }
    for (id, events) in file.steps.iter().filter(|(id, _)| to.step(id).is_some()) {
        for event in events {
            for (name, value) in event.values.iter().filter(|(name, value)| !fits(to, name, value)) {
                let (at, step) = (event.at, Some(id.clone()));
                dropped.values.push(DroppedValue { at, step, name: name.clone(), value: value.clone() });
            }
        }
    }
    dropped
}

/// Moves `file` to the version `plan.to`: a block for every step and variable of the new
/// version in its order, each new variable's default recorded, what `plan.dropped` holds
/// removed, and the upgrade's record. Refuses to drop recorded work unless `force`.
pub(crate) fn apply(
    file: &mut ProjectFile,
    plan: &Plan<'_>,
    stamp: &Stamp,
    reason: Option<String>,
    force: bool,
) -> Result<(), UpgradeError> {
    let (from, to) = (plan.from, plan.to);
    if file.playbook_hash != from.hash {
        return Err(UpgradeError::Moved {
            project: file.project.clone(),
            version: short_hash(&from.hash),
            playbook: from.id.clone(),
        });
    }
    if !plan.dropped.is_empty() && !force {
        return Err(UpgradeError::WouldDrop {
            project: file.project.clone(),
            dropped: super::history::dropped_text(&plan.dropped),
        });
    }
    let mut steps = std::mem::take(&mut file.steps);
    file.steps =
        to.steps().map(|(_, s)| (s.id.clone(), steps.shift_remove(&s.id).unwrap_or_default())).collect();
    let mut vars = std::mem::take(&mut file.vars);
    let mut ordered: Vec<(String, Vec<Event>)> = to
        .variables
        .iter()
        .map(|v| (v.name.clone(), vars.shift_remove(&v.name).unwrap_or_default()))
        .collect();
    ordered.extend(vars.into_iter().filter(|(name, _)| name == CALENDAR_KEY));
    file.vars = ordered.into_iter().collect();
    for (name, refused) in &plan.dropped.vars {
        if let Some(events) = file.vars.get_mut(name) {
            events.retain(|e| !refused.contains(e));
        }
    }
    drop_values(file, &plan.dropped.values);
    record_defaults(file, plan, stamp);
    file.playbook_hash = to.hash.clone();
    file.record(Record {
        from: Some(from.hash.clone()),
        to: Some(to.hash.clone()),
        dropped: plan.dropped.clone(),
        ..super::lifecycle::record(stamp, Lifecycle::Upgrade, reason)
    });
    Ok(())
}

/// Removes the values an upgrade dropped: given at start, or recorded by a step's
/// completion at the instant the record names. Reading a project directory does it again
/// from the upgrade's record.
pub(crate) fn drop_values(file: &mut ProjectFile, values: &[DroppedValue]) {
    for value in values {
        match &value.step {
            None => {
                file.start.values.remove(&value.name);
            }
            Some(id) => {
                for event in file.steps.get_mut(id).into_iter().flatten().filter(|e| e.at == value.at) {
                    event.values.remove(&value.name);
                }
            }
        }
    }
}

/// The value a new variable takes by default, which `start` would have recorded: its
/// default, the project's start for `default: now`.
pub(crate) fn default_value(file: &ProjectFile, variable: &Variable) -> Option<Value> {
    match &variable.default {
        Some(Preset::Value(value)) => Some(value.clone()),
        Some(Preset::Now) => Some(Value::DateTime(file.start.at.0)),
        None => None,
    }
}

/// Records each new variable's default as a `set` event, as `start` would have given it.
fn record_defaults(file: &mut ProjectFile, plan: &Plan<'_>, stamp: &Stamp) {
    for variable in &plan.vars_added {
        let Some(value) = default_value(file, variable) else { continue };
        let note = format!("default of playbook `{}` version {}", plan.to.id, short_hash(&plan.to.hash));
        let set = Event {
            value: Some(value.to_yaml()),
            note: Some(note),
            ..Event::new(stamp.at, stamp.by.clone(), Action::Set)
        };
        file.vars.entry(variable.name.clone()).or_default().push(set);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::playbook::{Origin, parse};
    use crate::state::change::{Earliest, complete, start};
    use crate::state::fit::problems;
    use crate::state::fixture::stamp;

    const OLD: &str = "id: go-live\ntitle: Go-live\ncalendar: CH\nroles:\n  - id: PL\nvariables:\n  - {name: J, type: date, required: true}\n  - {name: format, type: text}\nphases:\n  - id: planning\n    title: Planning\n    steps:\n      - {id: deliver, title: Deliver, owner: PL, deadline: {at: J-14}, fields: [{name: rows, type: number}]}\n      - {id: rehearsal, title: Rehearse, owner: PL, optional: true}\n      - {id: import, title: Import, owner: PL, deadline: {at: J}}\n";

    fn new_version() -> String {
        OLD.replace("  - {name: format, type: text}\n", "  - {name: rollback, type: bool, default: false}\n")
            .replace(
                "      - {id: rehearsal, title: Rehearse, owner: PL, optional: true}\n",
                "      - {id: smoke, title: Smoke test, owner: PL, deadline: {at: J-3}}\n",
            )
            .replace("deadline: {at: J-14}", "deadline: {at: J-21}")
    }

    fn opera(old: &Playbook) -> ProjectFile {
        let vars = BTreeMap::from([
            ("J".to_string(), Value::Date(chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap())),
            ("format".to_string(), Value::Text("secutix".into())),
        ]);
        start(old, "opera", "CH", &vars, &stamp("2026-03-02T09:00:00+01:00"))
    }

    #[test]
    fn the_plan_names_what_changes_and_the_work_it_would_drop() {
        let old = parse(OLD, "old.yaml", Origin::Bundled).unwrap();
        let new = parse(&new_version(), "new.yaml", Origin::Bundled).unwrap();
        let mut file = opera(&old);
        let at = stamp("2026-03-03T09:00:00+01:00");
        let deliver = &old.phases[0].steps[0];
        let rows = BTreeMap::from([("rows".to_string(), Value::Number(1200.0))]);
        complete(&old, &mut file, deliver, &rows, None, &at, &Earliest::Any).unwrap();
        complete(&old, &mut file, &old.phases[0].steps[1], &BTreeMap::new(), None, &at, &Earliest::Any)
            .unwrap();

        let plan = plan(&file, &old, &new);
        let ids = |steps: &[&Step]| steps.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            (ids(&plan.added), ids(&plan.removed)),
            (vec!["smoke".to_string()], vec!["rehearsal".to_string()])
        );
        assert_eq!(
            plan.rules,
            [RuleChange {
                named: "`deliver`".into(),
                what: "deadline",
                old: "at J-14".into(),
                new: "at J-21".into()
            }]
        );
        assert_eq!(
            super::super::history::dropped_text(&plan.dropped),
            "step `rehearsal` (1 event), `format` given at start"
        );

        let mut refused = file.clone();
        let error = apply(&mut refused, &plan, &at, None, false).unwrap_err();
        assert_eq!(
            error.to_string(),
            "upgrading `opera` would drop recorded work: step `rehearsal` (1 event), `format` given at start"
        );
        assert_eq!(refused, file, "a refusal changes nothing");

        apply(&mut file, &plan, &at, Some("smoke tests replace rehearsals".into()), true).unwrap();
        assert_eq!(file.playbook_hash, new.hash);
        assert_eq!(file.steps.keys().collect::<Vec<_>>(), ["deliver", "smoke", "import"]);
        assert_eq!(file.vars.keys().collect::<Vec<_>>(), ["J", "rollback"]);
        assert_eq!(file.vars["rollback"][0].value, Some(Yaml::Bool(false)), "the new variable's default");
        assert!(!file.start.values.contains_key("format"));
        assert_eq!(file.steps["deliver"][0].values["rows"], Yaml::Number(1200.into()), "a kept field stays");
        assert_eq!(problems(&file, &new), Vec::<String>::new());
        let record = file.lifecycle.last().unwrap();
        assert_eq!(record.dropped.steps["rehearsal"].len(), 1, "the dropped work is kept in the record");
        assert_eq!(record.note.as_deref(), Some("smoke tests replace rehearsals"));
    }
}
