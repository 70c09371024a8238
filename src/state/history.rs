//! A project's audit trail: every event of every block and every lifecycle record in one
//! list, oldest first, with what a reader needs that is not stored twice (the value a
//! `set` replaced).

use std::collections::BTreeMap;

use serde_yaml::Value as Yaml;

use super::project::{
    Action, CALENDAR_KEY, Dropped, Lifecycle, ProjectFile, Record, Subject, Timestamp, short_hash, yaml_text,
};

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LogEntry<'a> {
    pub at: Timestamp,
    pub by: &'a str,
    pub action: &'a str,
    /// The step it is about, if any.
    pub step: Option<&'a str>,
    /// The fields recorded, the variables given at start, or the variable `set`.
    pub values: BTreeMap<String, Yaml>,
    pub note: Option<&'a str>,
    /// For `set`, the value it replaced: the previous `set`, else the start's; for
    /// `rename`, the old name; for `upgrade`, the playbook version left.
    pub was: Option<String>,
    pub tool: &'a str,
    /// The event's id (its file's name), for a project stored as a directory.
    pub id: Option<&'a str>,
    /// For `retract`, the id of the event it takes back.
    pub retracts: Option<&'a str>,
    /// Whether a later `retract` took this event back: it stays in the trail, marked, and
    /// no longer counts.
    pub retracted: bool,
}

/// Every event, oldest first. Ties keep the start first, then variables, then steps in
/// the file's order.
pub(crate) fn trail(file: &ProjectFile) -> Vec<LogEntry<'_>> {
    let start = &file.start;
    let first = LogEntry {
        at: start.at,
        by: &start.by,
        action: "start",
        step: None,
        values: start.values.clone(),
        note: None,
        was: None,
        tool: &start.tool,
        id: None,
        retracts: None,
        retracted: false,
    };
    // Each entry with the variable it sets, if it is a `set`.
    let mut entries: Vec<(LogEntry<'_>, Option<&str>)> = vec![(first, None)];
    let retracted = file.retracted_ids();
    for (subject, event) in file.all_events() {
        let mut entry = LogEntry {
            at: event.at,
            by: &event.by,
            action: event.action.as_str(),
            step: None,
            values: event.values.clone(),
            note: event.note.as_deref(),
            was: None,
            tool: &event.tool,
            id: event.id.as_deref(),
            retracts: event.retracts.as_deref(),
            retracted: event.id.as_deref().is_some_and(|id| retracted.contains(id)),
        };
        let mut sets = None;
        match (subject, &event.value) {
            (Subject::Step(id), _) => entry.step = Some(id),
            (Subject::Var(name), Some(value)) if event.action == Action::Set => {
                entry.values = BTreeMap::from([(name.to_string(), value.clone())]);
                // A retracted `set` replaced nothing that still counts.
                sets = (!entry.retracted).then_some(name);
            }
            (Subject::Var(_), _) => {}
        }
        entries.push((entry, sets));
    }
    entries.extend(file.lifecycle.iter().map(|record| (lifecycle_entry(record), None)));
    entries.sort_by_key(|(entry, _)| entry.at);
    // What each `set` replaced, in time order, as `progress` decides by instant.
    let mut previous: BTreeMap<&str, String> =
        start.values.iter().map(|(k, v)| (k.as_str(), yaml_text(v))).collect();
    previous.insert(CALENDAR_KEY, start.calendar.clone());
    for (entry, sets) in &mut entries {
        if let Some(name) = sets {
            entry.was = previous.insert(name, yaml_text(&entry.values[*name]));
        }
    }
    entries.into_iter().map(|(entry, _)| entry).collect()
}

/// A lifecycle record as a line of the trail: a rename says the new name, an upgrade the
/// version taken and what it dropped; both say what they replaced.
fn lifecycle_entry(record: &Record) -> LogEntry<'_> {
    let mut values = BTreeMap::new();
    let mut was = None;
    match record.action {
        Lifecycle::Rename => {
            values.extend(record.to.clone().map(|to| ("project".to_string(), Yaml::String(to))));
            was = record.from.clone();
        }
        Lifecycle::Upgrade => {
            let to = record.to.as_deref().map(short_hash);
            values.extend(to.map(|to| ("playbook_hash".to_string(), Yaml::String(to))));
            if !record.dropped.is_empty() {
                values.insert("dropped".into(), Yaml::String(dropped_text(&record.dropped)));
            }
            was = record.from.as_deref().map(short_hash);
        }
        _ => {}
    }
    LogEntry {
        at: record.at,
        by: &record.by,
        action: record.action.as_str(),
        step: None,
        values,
        note: record.note.as_deref(),
        was,
        tool: &record.tool,
        id: None,
        retracts: None,
        retracted: false,
    }
}

/// ``step `rehearsal` (1 event), variable `old` (2 events), `lead` recorded by step `kick-off` ``.
pub(crate) fn dropped_text(dropped: &Dropped) -> String {
    let events = |n: usize| crate::words::count(n as i64, "event");
    let steps = dropped.steps.iter().map(|(id, e)| format!("step `{id}` ({})", events(e.len())));
    let vars = dropped.vars.iter().map(|(name, e)| format!("variable `{name}` ({})", events(e.len())));
    let values = dropped.values.iter().map(|v| match &v.step {
        Some(step) => format!("`{}` recorded by step `{step}`", v.name),
        None => format!("`{}` given at start", v.name),
    });
    steps.chain(vars).chain(values).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::fixture::{event, opera};
    use crate::state::project::Event;
    use indexmap::IndexMap;

    fn set(when: &str, value: &str) -> Event {
        Event {
            value: Some(Yaml::String(value.into())),
            note: Some("moved".into()),
            ..event(Action::Set, when, "bob")
        }
    }

    #[test]
    fn a_set_says_what_it_replaced_and_events_come_oldest_first() {
        let mut file = opera("2026-03-02T09:00:00Z");
        file.start.values.insert("J".into(), Yaml::String("2026-04-01".into()));
        file.vars = IndexMap::from([
            (
                "J".into(),
                vec![set("2026-03-05T09:00:00Z", "2026-04-15"), set("2026-03-04T09:00:00Z", "2026-04-08")],
            ),
            (CALENDAR_KEY.into(), vec![set("2026-03-03T09:00:00Z", "CH-VD")]),
        ]);
        let trail = trail(&file);
        let seen: Vec<(&str, Option<&str>)> = trail.iter().map(|e| (e.action, e.was.as_deref())).collect();
        assert_eq!(
            seen,
            [("start", None), ("set", Some("CH")), ("set", Some("2026-04-01")), ("set", Some("2026-04-08"))]
        );
    }
}
