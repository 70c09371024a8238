//! A project's audit trail: every event of every block in one list, oldest first, with
//! what a reader needs that is not stored twice (the value a `set` replaced).

use std::collections::BTreeMap;

use serde_yaml::Value as Yaml;

use super::project::{Action, CALENDAR_KEY, ProjectFile, Subject, Timestamp, yaml_text};

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry<'a> {
    pub at: Timestamp,
    pub by: &'a str,
    pub action: &'a str,
    /// The step it is about, if any.
    pub step: Option<&'a str>,
    /// The fields recorded, the variables given at start, or the variable `set`.
    pub values: BTreeMap<String, Yaml>,
    pub note: Option<&'a str>,
    /// For `set`, the value it replaced: the previous `set`, else the start's.
    pub was: Option<String>,
    pub tool: &'a str,
}

/// Every event, oldest first. Ties keep the start first, then variables, then steps in
/// the file's order.
pub fn trail(file: &ProjectFile) -> Vec<LogEntry<'_>> {
    let start = &file.start;
    let mut entries = vec![LogEntry {
        at: start.at,
        by: &start.by,
        action: "start",
        step: None,
        values: start.values.clone(),
        note: None,
        was: None,
        tool: &start.tool,
    }];
    let mut previous: BTreeMap<&str, String> =
        start.values.iter().map(|(k, v)| (k.as_str(), yaml_text(v))).collect();
    previous.insert(CALENDAR_KEY, start.calendar.clone());
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
        };
        match subject {
            Subject::Step(id) => entry.step = Some(id),
            Subject::Var(name) if event.action == Action::Set => {
                if let Some(value) = &event.value {
                    entry.was = previous.insert(name, yaml_text(value));
                    entry.values = BTreeMap::from([(name.to_string(), value.clone())]);
                }
            }
            Subject::Var(_) => {}
        }
        entries.push(entry);
    }
    entries.sort_by_key(|entry| entry.at);
    entries
}
