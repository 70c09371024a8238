//! A project loaded and checked: its events, the playbook version it follows (checked
//! against it), its working calendar, and where it was read from. Every command, and
//! each side of `onboard diff`, loads a project into this one value (`Source::load` in
//! the store).

use std::path::PathBuf;
use std::sync::Arc;

use super::progress::Detail;
use super::project::{ProjectFile, Timestamp};
use super::schedule::Thresholds;
use super::standing::{Standing, standing};
use crate::calendar::Calendar;
use crate::playbook::Playbook;

/// One project, read, checked against the playbook version it follows, with its calendar.
pub(crate) struct Project {
    /// The name it was asked for by: its id, or the name its last rename gave it.
    pub name: String,
    /// Where it was read from, as messages name it.
    pub path: PathBuf,
    pub file: ProjectFile,
    /// The playbook version it follows.
    pub playbook: Arc<Playbook>,
    /// The current playbook's hash when it differs from the version followed
    /// (`unreadable` when the current one cannot be read).
    pub changed: Option<String>,
    pub calendar: Calendar,
    /// Out of the portfolio: archived by its last record, or an old file in `archive/`.
    pub archived: bool,
}

impl Project {
    /// Where the project stands at `now`, on its own calendar.
    pub(crate) fn standing(&self, now: Timestamp, thresholds: Thresholds, detail: Detail) -> Standing<'_> {
        standing(&self.playbook, &self.file, &self.calendar, now.0, thresholds, detail)
    }
}

/// A project as `--as-of` knows it.
pub(crate) enum Known {
    Loaded(Box<Project>),
    /// Started after `--as-of`, at this instant.
    NotStarted(Timestamp),
}
