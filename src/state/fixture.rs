//! What the domain's unit tests build the same way: instants, ana's stamp, a bare event
//! and a bare project file, so that each test writes only what it is about.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use indexmap::IndexMap;

use super::change::Stamp;
use super::project::{Action, Event, FORMAT, ProjectFile, Start, Timestamp, tool};

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
