//! A project's plan as bars on a time line, the one model behind both Gantt charts: the
//! Mermaid chart of `report` (`gantt.rs`) and the SVG chart of `site` (`site/gantt.rs`).
//! A section per phase, a bar per dated step (and per phase with a time limit of its own).
//!
//! A bar runs from when its work became workable (its earliest start, if later) to when
//! it was done, or to its due moment while open. Work not yet workable is planned to
//! start when its prerequisites are planned to end (their due moments), else at the
//! project's start. Open work with no due date has no end to draw: it shows as a one-day
//! bar from its start once it is ready, and not at all before. A bar that would be empty
//! or reversed (done the moment it became ready, or due before it could start) is drawn
//! one day long.

use std::collections::HashMap;

use chrono::Duration;

use super::{Instant, ProjectView};
use crate::state::progress::{PhaseView, Status, StepView};
use crate::state::schedule::{Start, done_at};

/// How a bar is drawn: done, workable now, overdue (and workable), or still to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Look {
    Done,
    Active,
    Overdue,
    OverdueActive,
    Upcoming,
}

impl Look {
    fn of(status: Status, overdue: bool) -> Look {
        match (status, overdue) {
            (Status::Done, _) => Look::Done,
            (Status::Ready, true) => Look::OverdueActive,
            (_, true) => Look::Overdue,
            (Status::Ready, false) => Look::Active,
            _ => Look::Upcoming,
        }
    }

    /// How the charts say it: Mermaid's tags (`done`, `active` for workable now, `crit`
    /// for overdue, none for work still to come), the SVG bar's classes and its title's
    /// words.
    pub(crate) fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Look::Done => ("done, ", "done", "done"),
            Look::Active => ("active, ", "active", "workable now"),
            Look::Overdue => ("crit, ", "overdue", "overdue"),
            Look::OverdueActive => ("crit, active, ", "overdue active", "overdue, workable now"),
            Look::Upcoming => ("", "upcoming", "to come"),
        }
    }
}

/// One bar of the chart.
#[derive(Debug, Clone)]
pub(crate) struct Bar {
    /// The step's id, or the phase's for the bar of a phase's own time limit.
    pub id: String,
    /// `3.2.1 Send the documentation`, `Phase II Certification`: as the playbook words it,
    /// unescaped (each chart escapes it its own way).
    pub label: String,
    pub start: Instant,
    pub end: Instant,
    pub look: Look,
    /// The bar of a phase's own time limit rather than of a step.
    pub is_phase: bool,
}

/// One phase of the plan: its title (`II Certification`, unescaped) and its bars.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub title: String,
    pub bars: Vec<Bar>,
}

/// The plan of a project: a section per phase, in the playbook's order.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub sections: Vec<Section>,
}

impl Plan {
    /// Every bar, section by section.
    pub(crate) fn bars(&self) -> impl Iterator<Item = &Bar> {
        self.sections.iter().flat_map(|s| s.bars.iter())
    }
}

/// The plan of a project as of its schedule.
pub(crate) fn plan(view: &ProjectView<'_>) -> Plan {
    Planner { view, ends: HashMap::new() }.plan()
}

/// Plans each phase and step in the playbook's order, which puts prerequisites first.
struct Planner<'v, 'a> {
    view: &'v ProjectView<'a>,
    /// When each step ends or is planned to: done, skipped, due, or (with no due date)
    /// when it starts. `None`: it does not apply, so it holds nothing back.
    ends: HashMap<String, Option<Instant>>,
}

impl Planner<'_, '_> {
    fn plan(mut self) -> Plan {
        let view = self.view;
        let mut sections = Vec::new();
        for phase in &view.progress.phases {
            let start = phase.started_at.unwrap_or_else(|| self.after(&phase.phase.after));
            let mut bars: Vec<Bar> = self.phase_bar(phase, start).into_iter().collect();
            for step in &phase.steps {
                bars.extend(self.step(step, start));
            }
            let title = format!("{} {}", phase.phase.label(), phase.phase.title);
            sections.push(Section { title, bars });
        }
        Plan { sections }
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
        let label = format!("{} {}", step.step.label(), step.step.title);
        Some(bar(id, label, look, (start, end), false))
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
        let label = format!("Phase {} {}", phase.phase.label(), phase.phase.title);
        Some(bar(&phase.phase.id, label, look, (start, end), true))
    }
}

/// A bar; one that would be empty or reversed is one day long, so that it shows on a
/// chart of weeks.
fn bar(id: &str, label: String, look: Look, (start, end): (Instant, Instant), is_phase: bool) -> Bar {
    let end = if end - start < Duration::minutes(1) { start + Duration::days(1) } else { end };
    Bar { id: id.to_string(), label, start, end, look, is_phase }
}
