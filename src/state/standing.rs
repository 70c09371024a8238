//! Where a project stands at a moment, derived in one pass: every status, `scheduled`
//! included, and every deadline and earliest start. Every command that judges a project
//! at now (and `insight`, and the completion a change judges) reads this one value.

use chrono::{DateTime, FixedOffset};

use super::progress::{self, Detail, Progress, Status};
use super::project::ProjectFile;
use super::schedule::{self, Schedule, Start, Thresholds};
use crate::calendar::Calendar;
use crate::playbook::Playbook;

type Instant = DateTime<FixedOffset>;

/// A project judged at a moment: its statuses and its schedule.
pub struct Standing<'a> {
    pub progress: Progress<'a>,
    pub schedule: Schedule,
}

/// Derives where a project stands at `now`. The statuses come from the events and the
/// playbook; the deadlines read only what is done, skipped and when each piece of work
/// became ready, never whether a ready step may be done yet, so they are measured next;
/// last, a ready step whose earliest start has not come (or cannot be computed yet) is
/// scheduled. No caller ever sees a ready step that is really scheduled.
pub fn standing<'a>(
    playbook: &'a Playbook,
    file: &'a ProjectFile,
    calendar: &Calendar,
    now: Instant,
    thresholds: Thresholds,
    detail: Detail,
) -> Standing<'a> {
    let mut progress = progress::compute_with(playbook, file, detail);
    let schedule = schedule::schedule(&progress, calendar, file.started_at().0, now, thresholds);
    for view in progress.phases.iter_mut().flat_map(|phase| phase.steps.iter_mut()) {
        if view.status != Status::Ready {
            continue;
        }
        let reason = match schedule.starts.get(&view.step.id) {
            Some(Start::Dated(wait)) if wait.waiting => format!("ready on {}", wait.when(calendar)),
            Some(Start::Pending(why)) => format!("its earliest start is not known yet: {why}"),
            _ => continue,
        };
        view.status = Status::Scheduled;
        view.reason = Some(reason);
    }
    Standing { progress, schedule }
}

impl Standing<'_> {
    /// Every step of the project is finished: done, skipped, or not applicable.
    pub fn is_finished(&self) -> bool {
        self.progress.steps().all(|view| matches!(view.status, Status::Done | Status::Skipped))
    }

    /// When the project was finished: its last completion, if it is finished.
    pub fn finished_at(&self) -> Option<Instant> {
        if !self.is_finished() {
            return None;
        }
        self.progress.steps().filter_map(|view| view.record.done_at().map(|t| t.0)).max()
    }
}
