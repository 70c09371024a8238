//! `explain`: how a due date (and an earliest start) was derived, in words: the rule,
//! the anchor and where it came from, the calendar and its data version, the days skipped.

use std::io::{self, Write};

use chrono::Datelike;

use super::one_line;
use super::view::due_text;
use crate::calendar::{Calendar, weekday_name};
use crate::deadline::evaluate::{Counting, Derivation};
use crate::playbook::Playbook;
use crate::playbook::model::Node;
use crate::playbook::rule::Deadline;
use crate::state::progress::Progress;
use crate::state::schedule::{Entry, Schedule, Start};

/// What `explain` shows, in every format: a phase or step of a project at now.
pub(crate) struct Explained<'a> {
    pub project: &'a str,
    pub playbook: &'a Playbook,
    /// The phase or step asked about.
    pub id: &'a str,
    /// The phase or step whose rule gives `id` its time limit: `id`, or a step's phase.
    pub ruled: &'a str,
    pub progress: &'a Progress<'a>,
    pub schedule: &'a Schedule,
    pub calendar: &'a Calendar,
}

/// The explanation as text, a line per fact.
pub(crate) fn text(out: &mut impl Write, explained: &Explained<'_>) -> io::Result<()> {
    let Explained { playbook, id, ruled, progress, schedule, calendar, .. } = *explained;
    if let (true, Some(Node::Step(_, step))) = (ruled != id, playbook.node(id)) {
        writeln!(out, "{} has no time limit of its own; its phase has one.", one_line(&step.named()))?;
    }
    let deadline = playbook.node(ruled).and_then(|node| node.deadline());
    let title = playbook.node(ruled).map_or("", |node| node.title());
    writeln!(out, "{}: {}", one_line(&playbook.named(ruled)), one_line(title))?;
    let not_before = match playbook.node(id) {
        Some(Node::Step(_, step)) => step.not_before.as_ref(),
        _ => None,
    };
    if let Some(rule) = not_before {
        write_earliest(out, schedule, progress, id, rule, calendar)?;
    }
    let Some(deadline) = deadline else {
        writeln!(out, "no time limit: the playbook gives it none")?;
        return Ok(());
    };
    let words = deadline.text.as_ref().map(|t| format!(" («{}»)", one_line(t))).unwrap_or_default();
    writeln!(out, "rule: due {}{words}", deadline.rule)?;
    write_calendar(out, calendar)?;
    match schedule.get(ruled) {
        Some(Entry::Timed(timing)) => {
            write_derivation(out, &timing.derivation)?;
            writeln!(out, "due: {}", due_text(timing))?;
        }
        Some(Entry::Pending(why)) => writeln!(out, "due: not yet known: {}", one_line(why))?,
        None => writeln!(out, "due: none: {}", one_line(&no_due(progress, ruled)))?,
    }
    Ok(())
}

/// Why work the schedule leaves out has no due: it leaves out only skipped and
/// not-applicable work.
pub(super) fn no_due(view: &Progress<'_>, id: &str) -> String {
    match view.step(id) {
        Some(step) if step.is_not_applicable() => step.reason.clone().unwrap_or_default(),
        Some(step) => format!("skipped ({})", step.reason.as_deref().unwrap_or("no reason given")),
        None => "the phase is skipped or does not apply to this project".into(),
    }
}

/// The calendar a rule counts on, with its hours and the version of its holiday data.
fn write_calendar(out: &mut impl Write, calendar: &Calendar) -> io::Result<()> {
    let hours = crate::calendar::hours_text(calendar.hours);
    writeln!(
        out,
        "calendar: {} ({}, {}), business hours {hours} ({}), holidays from {}",
        calendar.id,
        one_line(&calendar.name),
        calendar.zone.name(),
        calendar.hours_source,
        calendar.version()
    )?;
    Ok(())
}

/// The anchor, the count and the closed days skipped.
fn write_derivation(out: &mut impl Write, d: &Derivation) -> io::Result<()> {
    writeln!(out, "anchor: {}, {}", d.anchor.to_rfc3339(), one_line(&d.anchor_source.clone()))?;
    writeln!(out, "count: {}", d.method)?;
    if d.skipped.is_empty() {
        let every = matches!(d.counting, Counting::Always | Counting::CalendarDays);
        writeln!(out, "skipped: {}", if every { "none, every day counts" } else { "none" })?;
    }
    for (i, (date, why)) in d.skipped.iter().enumerate() {
        let head = if i == 0 { "skipped:" } else { "        " };
        writeln!(out, "{head} {date} {}, {}", weekday_name(date.weekday()), one_line(&why.to_string()))?;
    }
    Ok(())
}

/// A step's earliest start, explained as a due date is.
fn write_earliest(
    out: &mut impl Write,
    schedule: &Schedule,
    view: &Progress<'_>,
    id: &str,
    rule: &Deadline,
    calendar: &Calendar,
) -> io::Result<()> {
    let words = rule.text.as_ref().map(|t| format!(" («{}»)", one_line(t))).unwrap_or_default();
    writeln!(out, "rule: not before {}{words}", rule.rule.earliest_text())?;
    write_calendar(out, calendar)?;
    match schedule.starts.get(id) {
        Some(Start::Dated(wait)) => {
            write_derivation(out, &wait.derivation)?;
            let when = wait.when(calendar);
            match wait.waiting {
                true => writeln!(out, "ready from: {when}; scheduled until then")?,
                false => writeln!(out, "ready from: {when}, which has come")?,
            }
        }
        Some(Start::Pending(why)) => writeln!(out, "ready from: not yet known: {}", one_line(why))?,
        None => {
            let status = view.step(id).map_or("finished", |s| s.status.as_str());
            writeln!(out, "ready from: no longer waiting: the step is {status}")?;
        }
    }
    Ok(())
}
