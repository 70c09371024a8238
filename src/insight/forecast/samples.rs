//! The durations history gives each playbook step: what every finished or archived
//! project of the repository took for it, from ready to done, as its time limit counts
//! (`history::Span::took`). The simulation draws from these.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use crate::calendar::Calendar;
use crate::insight::history;
use crate::playbook::Playbook;
use crate::state::progress::Detail;
use crate::state::project::ProjectFile;
use crate::state::schedule::{Thresholds, Unit};
use crate::state::standing::standing;

type Instant = DateTime<FixedOffset>;

/// Below this many samples a step does not use history: its own window, or the default.
pub(crate) const MIN_SAMPLES: usize = 5;

/// Durations by playbook id (every version of it), node id and unit, each list sorted.
#[derive(Debug, Clone, Default)]
pub(crate) struct Samples {
    durations: HashMap<(String, String, &'static str), Vec<u64>>,
}

/// Every unit, in the order a tie between units is broken in.
const UNITS: [Unit; 4] = [Unit::BusinessDays, Unit::Days, Unit::BusinessMinutes, Unit::Minutes];

impl Samples {
    /// What one project teaches: nothing unless it is finished or archived (an open
    /// project's done steps are the quick ones, and would bias the durations short).
    pub(crate) fn of_project(
        playbook: &Playbook,
        file: &ProjectFile,
        calendar: &Calendar,
        archived: bool,
        now: Instant,
    ) -> Samples {
        let mut samples = Samples::default();
        let judged = standing(playbook, file, calendar, now, Thresholds::default(), Detail::Statuses);
        if !archived && !judged.is_finished() {
            return samples;
        }
        for span in history::spans(&judged, calendar) {
            samples.add(&playbook.id, span.node.id(), span.took.unit, span.took.amount);
        }
        samples
    }

    /// Records one duration (unsorted until `finish`).
    pub(crate) fn add(&mut self, playbook: &str, node: &str, unit: Unit, amount: u64) {
        let key = (playbook.to_string(), node.to_string(), unit.key());
        self.durations.entry(key).or_default().push(amount);
    }

    /// Adds another project's samples to these.
    pub(crate) fn merge(&mut self, other: Samples) {
        for (key, mut amounts) in other.durations {
            self.durations.entry(key).or_default().append(&mut amounts);
        }
    }

    /// Sorts every list, so that a draw does not depend on the order projects were read in.
    pub(crate) fn finish(&mut self) {
        for amounts in self.durations.values_mut() {
            amounts.sort_unstable();
        }
    }

    /// The sorted durations of `node` of playbook `playbook` in `unit`.
    pub(crate) fn get(&self, playbook: &str, node: &str, unit: Unit) -> &[u64] {
        let key = (playbook.to_string(), node.to_string(), unit.key());
        self.durations.get(&key).map_or(&[], Vec::as_slice)
    }

    /// The unit most of a node's durations were counted in: for an open step whose time
    /// limit cannot be computed yet, which would say it. Ties go to the first of
    /// business days, days, business minutes, minutes.
    pub(crate) fn usual_unit(&self, playbook: &str, node: &str) -> Option<Unit> {
        let mut best: Option<(Unit, usize)> = None;
        for unit in UNITS {
            let count = self.get(playbook, node, unit).len();
            if count > 0 && best.is_none_or(|(_, most)| count > most) {
                best = Some((unit, count));
            }
        }
        best.map(|(unit, _)| unit)
    }
}
