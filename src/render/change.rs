//! The report of a change on stderr: one line saying what the change did (a renderer per
//! `Change` variant), then the dates it left on closed days, and for a completion what
//! it finished or made ready.

use chrono::{Datelike, NaiveDate};

use super::one_line;
use crate::calendar::{Closed, weekday_name};
use crate::playbook::Playbook;
use crate::state::change::{Change, Detail, Outcome};
use crate::state::lifecycle;
use crate::state::progress;
use crate::state::project::{CALENDAR_KEY, ProjectFile, short_hash, yaml_text};
use crate::state::retraction::Taken;

/// One line of a change's report: a notice, or a warning (which `--quiet` keeps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Line {
    Notice(String),
    Warning(String),
}

/// Every line of the report of `change` to project `name`, which `after` is now.
pub(crate) fn report(
    change: &Change,
    outcome: &Outcome,
    playbook: &Playbook,
    after: &ProjectFile,
    name: &str,
) -> Vec<Line> {
    let mut lines: Vec<Line> =
        said(change, outcome, playbook, after, name).into_iter().map(Line::Notice).collect();
    lines.extend(fixed_lines(&outcome.fixed).into_iter().map(Line::Warning));
    if outcome.finished {
        lines.push(Line::Notice(format!("Every step of `{name}` is finished.")));
    }
    let ready: Vec<String> = outcome.ready.iter().map(|id| playbook.named(id)).collect();
    if !ready.is_empty() {
        lines.push(Line::Notice(format!("Ready now: {}", one_line(&ready.join(", ")))));
    }
    let scheduled: Vec<String> =
        outcome.scheduled.iter().map(|(id, when)| format!("{} ({when})", playbook.named(id))).collect();
    if !scheduled.is_empty() {
        lines.push(Line::Notice(format!("Scheduled: {}", one_line(&scheduled.join(", ")))));
    }
    lines
}

/// What the change did, in a sentence (two for a retraction: what holds now).
fn said(
    change: &Change,
    outcome: &Outcome,
    playbook: &Playbook,
    after: &ProjectFile,
    name: &str,
) -> Vec<String> {
    let step = |id: &str| one_line(&playbook.named(id)).into_owned();
    let line = match (change, &outcome.detail) {
        (Change::Complete { step: id, .. }, _) => format!("Completed {} in `{name}`.", step(id)),
        (Change::Round { step: id, .. }, Detail::Round(number)) => {
            format!("Recorded round {number} of {} in `{name}`; the step stays open.", step(id))
        }
        (Change::Skip { step: id, .. }, _) => format!("Skipped {} in `{name}`.", step(id)),
        (Change::Reopen { step: id, .. }, _) => format!("Reopened {} in `{name}`.", step(id)),
        (Change::Set { value, .. }, Detail::Was(was)) => {
            let was = was.as_ref().map(|b| format!(" (was {b})")).unwrap_or_default();
            format!("Set {}={} in `{name}`{was}.", value.key(), value.text())
        }
        (Change::Retract { .. }, Detail::Taken(taken)) => {
            let retracted = format!("Retracted {} in `{name}`.", one_line(&described(playbook, taken)));
            return [retracted].into_iter().chain(holds(playbook, after, taken)).collect();
        }
        (Change::Archive { reason }, Detail::Archived { finished }) => {
            let why = reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default();
            format!(
                "Archived project `{name}` ({}{why}); `onboard status --all` still lists it, `onboard unarchive {name}` brings it back.",
                lifecycle::ending(*finished)
            )
        }
        (Change::Unarchive { .. }, _) => format!("Unarchived project `{name}`: it is back in the portfolio."),
        (Change::Rename { from, to }, _) => format!("Renamed project `{from}` to `{to}`."),
        (Change::Upgrade { to, .. }, _) => {
            format!("Upgraded project `{name}` to version {} of playbook `{}`.", short_hash(&to.hash), to.id)
        }
        (change, detail) => unreachable!("{change:?} gives no {detail:?}"),
    };
    vec![line]
}

/// ``the done of step 2.1 `data-load` (ana, 2026-03-03T10:00:00-03:00)``.
fn described(playbook: &Playbook, taken: &Taken) -> String {
    let event = &taken.event;
    let subject = if taken.is_step {
        format!("step {}", playbook.named(&taken.subject))
    } else {
        let value = event.value.as_ref().map(|v| format!(" to `{}`", yaml_text(v))).unwrap_or_default();
        format!("`{}`{value}", taken.subject)
    };
    format!("the {} of {subject} ({}, {})", event.action.as_str(), event.by, event.at)
}

/// What holds now that the retracted event no longer counts: the step's status, or the
/// variable's value.
fn holds(playbook: &Playbook, after: &ProjectFile, taken: &Taken) -> Option<String> {
    let line = if taken.is_step {
        let progress = progress::compute(playbook, after);
        let view = progress.step(&taken.subject)?;
        format!("Step {} is {} now.", view.step.named(), view.status)
    } else if taken.subject == CALENDAR_KEY {
        format!("The calendar is `{}` again.", after.calendar())
    } else {
        match progress::variables(playbook, after).get(&taken.subject) {
            Some(value) => format!("`{}` is `{value}` now.", taken.subject),
            None => format!("`{}` has no value now.", taken.subject),
        }
    };
    Some(one_line(&line).into_owned())
}

/// A warning for each date that stays put although it falls on a closed day.
pub(crate) fn fixed_lines(dates: &[(String, NaiveDate, Closed)]) -> Vec<String> {
    let line = |(named, date, why): &(String, NaiveDate, Closed)| {
        format!(
            "{} is due on {date}, a {} ({}); the playbook keeps that date, it does not move to a business day",
            one_line(named),
            weekday_name(date.weekday()),
            one_line(&why.to_string())
        )
    };
    dates.iter().map(line).collect()
}
