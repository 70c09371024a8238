//! The Mermaid Gantt chart of a project's plan, for Markdown reports: a section per
//! phase, a bar per dated step (and per phase with a time limit of its own), and the
//! dates the project's variables hold (J) as milestones.
//!
//! A bar runs from when its work became workable (its earliest start, if later) to when
//! it was done, or to its due moment while open. Work not yet workable is planned to
//! start when its prerequisites are planned to end (their due moments), else at the
//! project's start. Open work with no due date has no end to draw: it shows as a one-day
//! bar from its start once it is ready, and not at all before. A bar that would be empty
//! or reversed (done the moment it became ready, or due before it could start) is drawn
//! one day long. Times are the project calendar's, whatever the reader's zone.

use std::collections::HashMap;

use chrono::{DateTime, Duration, FixedOffset};
use chrono_tz::Tz;

use super::ProjectView;
use super::milestones::milestones;
use crate::state::progress::{PhaseView, Status, StepView};
use crate::state::schedule::{Start, done_at};

type Instant = DateTime<FixedOffset>;

/// Longer names make the chart's label column crowd out its bars.
const NAME_LIMIT: usize = 48;

/// How a bar is drawn, as Mermaid tags: `done`, `active` (workable now), `crit`
/// (overdue), and no tag for work still to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    Done,
    Active,
    Overdue,
    OverdueActive,
    Upcoming,
}

impl Look {
    fn tags(self) -> &'static str {
        match self {
            Look::Done => "done, ",
            Look::Active => "active, ",
            Look::Overdue => "crit, ",
            Look::OverdueActive => "crit, active, ",
            Look::Upcoming => "",
        }
    }

    fn of(status: Status, overdue: bool) -> Look {
        match (status, overdue) {
            (Status::Done, _) => Look::Done,
            (Status::Ready, true) => Look::OverdueActive,
            (_, true) => Look::Overdue,
            (Status::Ready, false) => Look::Active,
            _ => Look::Upcoming,
        }
    }
}

struct Bar {
    name: String,
    look: Look,
    start: Instant,
    end: Instant,
}

/// The ```` ```mermaid ```` block of a project's plan, or `None` when nothing is dated yet.
pub fn chart(view: &ProjectView<'_>) -> Option<String> {
    let sections = Planner::new(view).sections();
    let marks = milestones(view.playbook, view.progress);
    if marks.is_empty() && sections.iter().all(|(_, bars)| bars.is_empty()) {
        return None;
    }
    let zone = view.calendar.zone;
    let instants = sections.iter().flat_map(|(_, bars)| bars.iter().flat_map(|b| [b.start, b.end]));
    let instants: Vec<Instant> = instants.chain(marks.iter().map(|m| m.start(view.calendar))).collect();
    let span = instants.iter().max().copied().zip(instants.iter().min().copied()).map(|(a, b)| a - b);
    // Hours matter on a chart of a few days (a support request); dates, on one of months.
    let axis = if span.is_some_and(|s| s < Duration::days(3)) { "%d %b %H:%M" } else { "%d %b" };
    let mut lines = vec![
        "```mermaid".to_string(),
        "gantt".to_string(),
        "    dateFormat YYYY-MM-DD HH:mm".to_string(),
        format!("    axisFormat {axis}"),
        // The reader's today is not the report's now (`ONBOARD_NOW`, or when CI ran it).
        "    todayMarker off".to_string(),
    ];
    if !marks.is_empty() {
        lines.push("    section Milestones".to_string());
        for (n, mark) in marks.iter().enumerate() {
            let at = minute(mark.start(view.calendar), zone);
            lines.push(format!("    {} :milestone, m{}, {at}, 0d", task_name(&mark.name), n + 1));
        }
    }
    let mut id = 0;
    for (title, bars) in sections.iter().filter(|(_, bars)| !bars.is_empty()) {
        lines.push(format!("    section {title}"));
        for bar in bars {
            id += 1;
            let (start, end) = (minute(bar.start, zone), minute(bar.end, zone));
            lines.push(format!("    {} :{}t{id}, {start}, {end}", bar.name, bar.look.tags()));
        }
    }
    lines.push("```".to_string());
    Some(lines.join("\n") + "\n")
}

/// Plans each phase and step in the playbook's order, which puts prerequisites first.
struct Planner<'v, 'a> {
    view: &'v ProjectView<'a>,
    /// When each step ends or is planned to: done, skipped, due, or (with no due date)
    /// when it starts. `None`: it does not apply, so it holds nothing back.
    ends: HashMap<String, Option<Instant>>,
}

impl<'v, 'a> Planner<'v, 'a> {
    fn new(view: &'v ProjectView<'a>) -> Self {
        Planner { view, ends: HashMap::new() }
    }

    fn sections(mut self) -> Vec<(String, Vec<Bar>)> {
        let view = self.view;
        let mut sections = Vec::new();
        for phase in &view.progress.phases {
            let start = phase.started_at.unwrap_or_else(|| self.after(&phase.phase.after));
            let mut bars: Vec<Bar> = self.phase_bar(phase, start).into_iter().collect();
            for step in &phase.steps {
                bars.extend(self.step(step, start));
            }
            let title = mermaid_text(&format!("{} {}", phase.phase.label(), phase.phase.title));
            sections.push((title, bars));
        }
        sections
    }

    /// The latest planned end of these prerequisites, or the project's start.
    fn after(&self, ids: &[String]) -> Instant {
        let project_start = self.view.file.started_at().0;
        ids.iter().filter_map(|id| self.end_of(id)).max().unwrap_or(project_start).max(project_start)
    }

    /// A step's planned end, or a phase's: the latest of its steps'.
    fn end_of(&self, id: &str) -> Option<Instant> {
        if let Some(end) = self.ends.get(id) {
            return *end;
        }
        let phase = self.view.progress.phases.iter().find(|p| p.phase.id == id)?;
        phase.steps.iter().filter_map(|s| self.ends.get(&s.step.id).copied().flatten()).max()
    }

    fn step(&mut self, step: &StepView<'_>, phase_start: Instant) -> Option<Bar> {
        let view = self.view;
        let id = &step.step.id;
        if step.is_not_applicable() {
            self.ends.insert(id.clone(), None);
            return None;
        }
        let mut start = step.started_at.unwrap_or_else(|| self.after(&step.step.after).max(phase_start));
        if let Some(Start::Dated(wait)) = view.schedule.starts.get(id) {
            start = start.max(wait.from);
        }
        let timing = view.schedule.timing(id);
        let (end, look) = match step.status {
            Status::Done => {
                let done = done_at(view.progress, id).unwrap_or(start);
                (done, Some(Look::Done))
            }
            Status::Skipped => (step.record.marks.first().map_or(start, |m| m.at.0), None),
            status => match timing {
                Some(t) => (t.due().end(view.calendar), Some(Look::of(status, t.overdue))),
                None => (start, (status == Status::Ready).then_some(Look::Active)),
            },
        };
        self.ends.insert(id.clone(), Some(end));
        let look = look?;
        // Work done before its planned start (ahead of a prerequisite) started when done.
        let start = if look == Look::Done { start.min(end) } else { start };
        let name = task_name(&format!("{} {}", step.step.label(), step.step.title));
        Some(bar(name, look, start, end))
    }

    /// The bar of a phase's own time limit (certification's 10 business days).
    fn phase_bar(&self, phase: &PhaseView<'_>, start: Instant) -> Option<Bar> {
        let view = self.view;
        let timing = view.schedule.timing(&phase.phase.id)?;
        let end = match phase.status {
            Status::Done => done_at(view.progress, &phase.phase.id).unwrap_or(start),
            _ => timing.due().end(view.calendar),
        };
        let look = Look::of(phase.status, timing.overdue);
        let start = if look == Look::Done { start.min(end) } else { start };
        let name = task_name(&format!("Phase {} {}", phase.phase.label(), phase.phase.title));
        Some(bar(name, look, start, end))
    }
}

/// A bar; one that would be empty or reversed is one day long, so that it shows on a
/// chart of weeks.
fn bar(name: String, look: Look, start: Instant, end: Instant) -> Bar {
    let end = if end - start < Duration::minutes(1) { start + Duration::days(1) } else { end };
    Bar { name, look, start, end }
}

fn minute(at: Instant, zone: Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

/// A task's name as Mermaid reads it: see `mermaid_text`, and never a line that Mermaid
/// would take for one of its keywords.
pub(super) fn task_name(text: &str) -> String {
    let text = mermaid_text(text);
    let lower = text.to_lowercase();
    let starts_like_a_date = text.len() >= 10
        && text
            .bytes()
            .take(10)
            .enumerate()
            .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if starts_like_a_date || KEYWORDS.iter().any(|k| lower.starts_with(k)) {
        format!("· {text}")
    } else {
        text
    }
}

/// What Mermaid's Gantt lexer reads first on a line (case-insensitively).
const KEYWORDS: [&str; 19] = [
    "gantt",
    "dateformat",
    "inclusiveenddates",
    "topaxis",
    "axisformat",
    "tickinterval",
    "includes",
    "excludes",
    "todaymarker",
    "weekday",
    "weekend",
    "title",
    "accdescr",
    "acctitle",
    "section",
    "click",
    "call",
    "href",
    "vert",
];

/// Text Mermaid can hold in a task or section name: `:` ends a name, `#` and `%` start
/// comments, `;` ends a statement and a backtick would close the Markdown fence, so they
/// become spaces; control characters and line breaks too, and `<` and `>`, which a
/// renderer that takes labels as HTML would read as a tag. Long names are cut with `…`.
fn mermaid_text(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if matches!(c, ':' | ';' | '#' | '%' | '`' | '<' | '>') || c.is_control() { ' ' } else { c })
        .collect();
    let words = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() <= NAME_LIMIT {
        return words;
    }
    let cut: String = words.chars().take(NAME_LIMIT - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_what_mermaid_reads_as_syntax() {
        assert_eq!(mermaid_text("J : CSVN imports; #1 at 100%"), "J CSVN imports 1 at 100");
        assert_eq!(mermaid_text("a\nb\u{1b}c `code`"), "a b c code");
        assert_eq!(mermaid_text("Data <img src=x onerror=alert(1)>"), "Data img src=x onerror=alert(1)");
        assert_eq!(
            mermaid_text("No later than two weeks before milestone J, the project leader creates"),
            "No later than two weeks before milestone J, the…"
        );
    }

    #[test]
    fn names_never_start_like_a_keyword_or_a_date() {
        assert_eq!(task_name("gantt-review Check the chart"), "· gantt-review Check the chart");
        assert_eq!(task_name("Section 4 of the contract"), "· Section 4 of the contract");
        assert_eq!(task_name("2026-04-01 cut-over"), "· 2026-04-01 cut-over");
        assert_eq!(task_name("3.2.1 Send the documentation"), "3.2.1 Send the documentation");
    }
}
