//! What the domain's unit tests build the same way: instants, ana's stamp, a bare event,
//! a bare project file and a change applied, so that each test writes only what it is about.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use indexmap::IndexMap;

use super::change::{Change, Ground, Outcome, Stamp};
use super::project::{Action, Event, FORMAT, ProjectFile, Start, Timestamp, tool};
use crate::playbook::Playbook;

/// An RFC 3339 instant.
pub(crate) fn instant(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

/// An RFC 3339 instant, as stored.
pub(crate) fn at(text: &str) -> Timestamp {
    Timestamp(instant(text))
}

/// Ana's stamp at `text`, recorded as it happened.
pub(crate) fn stamp(text: &str) -> Stamp {
    Stamp { at: at(text), by: "ana".into(), recorded: None }
}

/// An event of `action` at `text` by `by`, with nothing else.
pub(crate) fn event(action: Action, text: &str, by: &str) -> Event {
    Event::new(at(text), by, action)
}

/// Project `opera` on `data-import` (`sha256:00`), started by ana at `text` on `CH`,
/// with no values and no blocks.
pub(crate) fn opera(text: &str) -> ProjectFile {
    ProjectFile {
        format: FORMAT,
        project: "opera".into(),
        playbook: "data-import".into(),
        playbook_hash: "sha256:00".into(),
        start: Start {
            at: at(text),
            by: "ana".into(),
            calendar: "CH".into(),
            values: BTreeMap::new(),
            tool: tool(),
        },
        lifecycle: Vec::new(),
        vars: IndexMap::new(),
        steps: IndexMap::new(),
    }
}

/// `change` applied to `file`, stamped `stamp`, on the bundled calendars, as the runner
/// applies it.
pub(crate) fn apply(
    playbook: &Playbook,
    file: &mut ProjectFile,
    change: Change,
    stamp: &Stamp,
) -> anyhow::Result<Outcome> {
    let calendar = |id: &str| crate::calendar::Calendar::with_override(id, None, None);
    change.apply(&Ground { playbook, calendar: &calendar }, file, stamp)
}
