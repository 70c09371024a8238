//! iCalendar (RFC 5545) output: every dated item of a project as an event, so a team
//! can subscribe to its due dates. Due dates of phases and steps (open and done),
//! earliest starts of open steps, and the dates its variables hold (J) as milestones.
//!
//! Each event's UID names the item, not its date (`theatre-vidy/preprod-import/due@onboard`),
//! so a calendar that reads the feed again moves the event instead of adding one.
//! Day deadlines are all-day events on their day; hour deadlines are instants in UTC
//! (`Z`), which every calendar reads the same, where a `TZID` would need a VTIMEZONE
//! definition that the `icalendar` crate does not write. DTSTAMP is the onboard clock
//! (`ONBOARD_NOW`); SEQUENCE is the number of events in the project file, which only
//! grows, so a re-imported event that changed carries a higher one.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

use super::milestones::{Milestone, milestones};
use super::view::due_text;
use super::{ProjectView, minute, printable, shortened};
use crate::deadline::evaluate::Due;
use crate::playbook::Playbook;
use crate::playbook::model::Node;
use crate::playbook::rule::Deadline;
use crate::state::progress::{Status, StepView};
use crate::state::schedule::{Start, Timing, Wait};

/// Longer summaries are cut: calendars show the beginning of a line.
const SUMMARY_LIMIT: usize = 60;

/// One project's events, in the playbook's order: its milestones, then for each phase
/// its due date and for each step its earliest start and its due date.
pub(crate) fn events(view: &ProjectView<'_>, stamp: DateTime<Utc>) -> Vec<Event> {
    let sequence = sequence(view);
    let mut events: Vec<Event> = milestones(view.playbook, view.progress)
        .iter()
        .map(|mark| milestone(view, mark).stamped(stamp, sequence))
        .collect();
    for phase in &view.progress.phases {
        let item = Node::Phase(phase.phase);
        if let Some(timing) = view.schedule.timing(&phase.phase.id) {
            let done = (phase.status == Status::Done).then(|| done_line(view, phase.steps.iter()));
            events.push(due(view, &item, timing, done.flatten()).stamped(stamp, sequence));
        }
        for step in &phase.steps {
            let item = Node::Step(phase.phase, step.step);
            if let Some(Start::Dated(wait)) = view.schedule.starts.get(&step.step.id) {
                let rule = step.step.not_before.as_ref();
                events.push(earliest(view, &item, wait, rule).stamped(stamp, sequence));
            }
            if let Some(timing) = view.schedule.timing(&step.step.id) {
                let done = (step.status == Status::Done).then(|| done_line(view, [step].into_iter()));
                events.push(due(view, &item, timing, done.flatten()).stamped(stamp, sequence));
            }
        }
    }
    events
}

/// The whole calendar: `name` for calendars that show one, and the events.
pub(crate) fn calendar(name: &str, events: Vec<Event>) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new(
            "PRODID",
            concat!("-//onboard//onboard ", env!("CARGO_PKG_VERSION"), "//EN"),
        ))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .append_property(Property::new("X-WR-CALNAME", name));
    calendar.extend(events);
    calendar.to_string()
}

/// The number of events the project file holds: it grows with every change recorded.
fn sequence(view: &ProjectView<'_>) -> u32 {
    let file = view.file;
    let count = 1
        + file.vars.values().map(Vec::len).sum::<usize>()
        + file.steps.values().map(Vec::len).sum::<usize>();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// An event before its stamp: its UID, what it says, when, and its categories.
struct Draft {
    uid: String,
    summary: String,
    description: Vec<String>,
    when: Due,
    categories: Vec<String>,
}

impl Draft {
    fn stamped(self, stamp: DateTime<Utc>, sequence: u32) -> Event {
        let mut event = Event::new();
        event
            .uid(&self.uid)
            .timestamp(stamp)
            .sequence(sequence)
            .summary(&self.summary)
            .description(&self.description.join("\n"))
            // A due date is not a meeting: it must not show the team as busy.
            .add_property("TRANSP", "TRANSPARENT")
            .categories(&self.categories);
        match self.when {
            Due::Day(day) => event.starts(day).ends(day + Duration::days(1)),
            Due::At(at) => event.starts(at.with_timezone(&Utc)),
        };
        event.done()
    }
}

fn uid(view: &ProjectView<'_>, id: &str, kind: &str) -> String {
    format!("{}/{id}/{kind}@onboard", view.file.project)
}

fn due(view: &ProjectView<'_>, item: &Node<'_>, timing: &Timing, done: Option<String>) -> Draft {
    let (mark, state, verb) = match (timing.finished, timing.overdue) {
        (true, _) => ("✓ ", "done", "done"),
        (false, true) => ("⚠ ", "overdue", "overdue"),
        (false, false) if timing.soon => ("", "due soon", "due"),
        (false, false) => ("", "open", "due"),
    };
    let mut description = head(view, item);
    if let Some(deadline) = item.deadline() {
        description.push(format!("Rule: due {}{}", deadline.rule, words(deadline)));
    }
    let on_time = if timing.late() == Some(false) { " (on time)" } else { "" };
    description.push(format!("Due: {}{on_time}", due_text(timing)));
    description.extend(done);
    Draft {
        uid: uid(view, item.id(), "due"),
        summary: summary(mark, view, verb, item),
        description,
        when: timing.due(),
        categories: vec![view.file.project.clone(), state.into()],
    }
}

fn earliest(view: &ProjectView<'_>, item: &Node<'_>, wait: &Wait, rule: Option<&Deadline>) -> Draft {
    let mut description = head(view, item);
    if let Some(rule) = rule {
        description.push(format!("Rule: not before {}{}", rule.rule.earliest_text(), words(rule)));
    }
    description.push(format!("Earliest start: {}", wait.when(view.calendar)));
    Draft {
        uid: uid(view, item.id(), "start"),
        summary: summary("", view, "earliest start", item),
        description,
        when: wait.derivation.due,
        categories: vec![view.file.project.clone(), "earliest start".into()],
    }
}

fn milestone(view: &ProjectView<'_>, mark: &Milestone) -> Draft {
    let mut description = vec![project_line(view)];
    let about = mark.description.as_deref().map(|d| format!(": {}", clean(d))).unwrap_or_default();
    description.push(format!("Variable: {}{about}", mark.name));
    let value = match mark.when {
        Due::Day(day) => day.format("%Y-%m-%d").to_string(),
        Due::At(at) => minute(at, view.calendar.zone),
    };
    description.push(format!("Date: {value}"));
    Draft {
        uid: uid(view, &mark.name, "milestone"),
        summary: format!("{}: {}", view.file.project, mark.name),
        description,
        when: mark.when,
        categories: vec![view.file.project.clone(), "milestone".into()],
    }
}

/// `✓ theatre-vidy: done 4 No later than two weeks before milestone J, the proje…`.
fn summary(mark: &str, view: &ProjectView<'_>, verb: &str, item: &Node<'_>) -> String {
    let what = format!("{} {}", item.label(), clean(item.title()));
    format!("{mark}{}: {verb} {}", view.file.project, shortened(&what, SUMMARY_LIMIT))
}

/// The lines every phase or step event starts with: the project, what, and who.
fn head(view: &ProjectView<'_>, item: &Node<'_>) -> Vec<String> {
    let (kind, number) = match item {
        Node::Phase(phase) => ("Phase", &phase.number),
        Node::Step(_, step) => ("Step", &step.number),
    };
    let number = number.as_ref().map(|n| format!("{n} ")).unwrap_or_default();
    vec![
        project_line(view),
        format!("{kind}: {number}{}: {}", item.id(), clean(item.title())),
        format!("Owner: {}", owners(view.playbook, item.owners())),
    ]
}

fn project_line(view: &ProjectView<'_>) -> String {
    format!(
        "Project: {} ({}; playbook {}, calendar {})",
        view.file.project,
        clean(&view.playbook.title),
        view.file.playbook,
        view.calendar.id
    )
}

/// `CSVN (CSVN team), CUSTOMER (The customer)`.
fn owners(playbook: &Playbook, ids: &[String]) -> String {
    let named: Vec<String> = ids
        .iter()
        .map(|id| match playbook.role(id).and_then(|r| r.name.as_deref()) {
            Some(name) => format!("{id} ({})", clean(name)),
            None => id.clone(),
        })
        .collect();
    if named.is_empty() { "nobody named".into() } else { named.join(", ") }
}

/// ` («No later than one week before milestone J»)`: the document's own words.
fn words(deadline: &Deadline) -> String {
    deadline.text.as_ref().map(|t| format!(" («{}»)", clean(t))).unwrap_or_default()
}

/// `Done: 2026-03-25 10:00 by marc`, from the latest completion among `steps`.
fn done_line<'s, 'a: 's>(
    view: &ProjectView<'_>,
    steps: impl Iterator<Item = &'s StepView<'a>>,
) -> Option<String> {
    let mark = steps
        .filter(|s| s.status == Status::Done)
        .filter_map(|s| s.record.marks.first())
        .max_by_key(|m| m.at)?;
    Some(format!("Done: {} by {}", minute(mark.at.0, view.calendar.zone), clean(&mark.by)))
}

/// Text from a file on one line, control characters escaped.
fn clean(text: &str) -> String {
    printable(text).split_whitespace().collect::<Vec<_>>().join(" ")
}
