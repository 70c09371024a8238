//! A project's page of the site: what it follows and where it stands, its Gantt chart,
//! a table per phase (steps, owners, due and late marks) and its log; and what the other
//! pages take from it (its portfolio row, the owners of its open work, its dated work).

use chrono::NaiveDate;
use maud::{Markup, html};

use super::gantt::{self, Band};
use super::{Depth, Frame, anchor, head, minute, page, text};
use crate::deadline::evaluate::Due;
use crate::insight::forecast::Forecast;
use crate::render::markdown::{Summary, open_work, summary};
use crate::render::milestones::milestones;
use crate::render::plan::plan;
use crate::render::view::{state_text, step_status_text};
use crate::render::{Instant, ProjectView};
use crate::state::history::{LogEntry, trail};
use crate::state::progress::{PhaseView, Status, StepView};
use crate::state::project::yaml_text;
use crate::state::schedule::Timing;
use crate::words;

/// One project as the site shows it: its page, and what the portfolio and the calendar
/// take from it.
#[derive(Debug, Clone)]
pub(crate) struct ProjectPage {
    pub summary: Summary,
    /// The state directory's label, when the site spans several.
    pub repository: Option<String>,
    /// The roles that own its open work, sorted: what the owner filter matches.
    pub owners: Vec<String>,
    pub archived: bool,
    /// Its open work with a due date, and its milestones, for the calendar.
    pub dated: Vec<Dated>,
    /// The page's whole text.
    pub html: String,
}

/// A day in a project's calendar: open work due then, or a milestone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Dated {
    pub date: NaiveDate,
    pub project: String,
    /// The place in the playbook's order, to keep a day's entries in it.
    pub rank: usize,
    /// The anchor on the project's page: the step's row, its phase's table, or the
    /// variables.
    pub anchor: String,
    /// `9 Pre-production import`, `J`.
    pub label: String,
    pub overdue: bool,
    pub milestone: bool,
}

/// The page of project `name` (its current name, which a rename changes) as of `now`,
/// with the forecast's `bands` in its chart; `archived` marks one out of the portfolio.
pub(crate) fn project(
    frame: Frame<'_>,
    name: &str,
    view: &ProjectView<'_>,
    bands: &[Band],
    now: Instant,
    archived: bool,
) -> ProjectPage {
    let summary = Summary { project: name.to_string(), ..summary(view, now) };
    let body = html! {
        (header(name, view, &summary, now, archived))
        (chart(view, bands, now))
        @for phase in &view.progress.phases {
            (phase_table(view, phase))
        }
        (log(view))
    };
    ProjectPage {
        summary,
        repository: None,
        owners: open_owners(view),
        archived,
        dated: dated(name, view),
        html: page(frame, Depth::Project, name, false, body),
    }
}

/// The heading, what the project follows, where it stands, its variables and warnings.
fn header(name: &str, view: &ProjectView<'_>, summary: &Summary, now: Instant, archived: bool) -> Markup {
    let ProjectView { file, playbook, progress, calendar, changed, .. } = *view;
    let version: String = file.playbook_hash.trim_start_matches("sha256:").chars().take(12).collect();
    let Summary { finished, total, overdue, .. } = *summary;
    html! {
        h1 { (text(name)) }
        @if archived {
            p.note { "Archived: out of the portfolio." }
        }
        p {
            strong { (text(&playbook.title)) }
            " · playbook " code { (file.playbook) } " version " code { (version) }
            " · calendar " (text(&calendar.id)) " (" (text(&calendar.name)) ", " (calendar.zone.name()) ")"
            " · started " (minute(file.started_at().0, calendar.zone)) " by " (text(&file.start.by))
        }
        p.standing {
            "As of " (minute(now, calendar.zone)) ": " (finished) " of " (total) " steps finished · "
            @if overdue == 0 { "nothing overdue" } @else { strong.overdue { (words::count(overdue as i64, "item")) " overdue" } }
            @match summary.on_time {
                (_, 0) => {},
                (on_time, timed) => { " · " (on_time) " of " (timed) " finished on time" },
            }
        }
        @if !progress.vars.is_empty() {
            section #vars aria-labelledby="vars-title" {
                h2 #vars-title { "Variables" }
                dl.vars {
                    @for (name, value) in &progress.vars {
                        dt { (text(name)) }
                        dd { (text(&value.to_string())) }
                    }
                }
            }
        }
        @if changed {
            p.note { "Playbook " code { (playbook.id) } " has changed since this project started; the project follows its original version." }
        }
        @for warning in progress.steps().filter_map(StepView::done_ahead) {
            p.note { "Warning: " (text(&warning)) "; run " code { "onboard doctor" } "." }
        }
    }
}

/// The Gantt chart in a figure, or a line saying why there is none.
fn chart(view: &ProjectView<'_>, bands: &[Band], now: Instant) -> Markup {
    let plan = plan(view);
    let marks = milestones(view.playbook, view.progress);
    match gantt::chart(view, &plan, &marks, bands, now) {
        Some(svg) => html! {
            figure.gantt {
                div.scroll { (svg) }
                figcaption {
                    "The plan: a bar per dated step, from when it became workable to when it was done or is due; the line marks now."
                    @if !bands.is_empty() {
                        " The thin bands are the forecast: each open step finished by its P50 (as likely as not) and its P85 date."
                    }
                    " The tables below give every date."
                }
            }
        },
        None => html! { p { "No date is known yet, so there is no chart." } },
    }
}

/// One phase's table: a row per step, its owners, status, due date and timing.
fn phase_table(view: &ProjectView<'_>, phase: &PhaseView<'_>) -> Markup {
    let timing = view.schedule.timing(&phase.phase.id);
    html! {
        div.scroll {
            table.steps.cards #(anchor("phase", &phase.phase.id)) {
                caption {
                    (text(phase.phase.label())) " " (text(&phase.phase.title)) " · " (phase.status.as_str())
                    @if let Some(timing) = timing {
                        " · due " (timing.due().short()) " " (timing_mark(timing))
                    }
                }
                (head(&["#", "Step", "Owner", "Status", "Due", "Timing", "Done"]))
                tbody {
                    @for step in &phase.steps {
                        (step_row(view, step))
                    }
                }
            }
        }
    }
}

fn step_row(view: &ProjectView<'_>, step: &StepView<'_>) -> Markup {
    let id = &step.step.id;
    let timing = view.schedule.timing(id);
    let class = match timing {
        Some(t) if t.overdue => "overdue",
        Some(t) if t.late_by.is_some() => "late",
        _ => "",
    };
    let done = match (step.status, step.record.marks.first()) {
        (Status::Done | Status::Skipped, Some(mark)) => {
            format!("{} {}", minute(mark.at.0, view.calendar.zone), text(&mark.by))
        }
        _ => String::new(),
    };
    html! {
        tr #(anchor("step", id)) class=[(!class.is_empty()).then_some(class)] {
            th scope="row" { (text(step.step.label())) }
            td data-label="Step" { (text(&step.step.title)) }
            td data-label="Owner" { (text(&step.step.owners.join(", "))) }
            td data-label="Status" { (step_status_text(step)) }
            td data-label="Due" { @if let Some(t) = timing { (t.due().short()) } }
            td data-label="Timing" {
                @if let Some(wait) = view.schedule.waiting(id) {
                    "ready on " (wait.when(view.calendar))
                    @if timing.is_some() { " · " }
                }
                @if let Some(t) = timing { (timing_mark(t)) }
            }
            td data-label="Done" { (done) }
        }
    }
}

/// `in 3 business days`, **overdue by 1 business day**; once finished, `on time` or
/// `late by 2 business days`.
fn timing_mark(timing: &Timing) -> Markup {
    match (&timing.left, &timing.late_by) {
        (Some(_), _) if timing.overdue => html! { strong.overdue { (text(&state_text(timing))) } },
        (Some(_), _) => html! { (text(&state_text(timing))) },
        (None, Some(late)) => html! { span.late { "late by " (text(late)) } },
        (None, None) => html! { "on time" },
    }
}

/// The audit trail, oldest first.
fn log(view: &ProjectView<'_>) -> Markup {
    let events = trail(view.file);
    let zone = view.calendar.zone;
    html! {
        div.scroll {
            table.log #log {
                caption { "Log, oldest first" }
                (head(&["When", "Who", "Action", "Step", "Details"]))
                tbody {
                    @for event in &events {
                        tr {
                            td { (minute(event.at.0, zone)) }
                            td { (text(event.by)) }
                            td { (text(event.action)) @if event.retracted { " (retracted)" } }
                            td { @if let Some(step) = event.step { (text(&view.playbook.label(step))) } }
                            td { (text(&details(&events, event))) }
                        }
                    }
                }
            }
        }
    }
}

/// What an event recorded: the values, the note, what a `set` replaced, what a
/// `retract` took back.
fn details(events: &[LogEntry<'_>], event: &LogEntry<'_>) -> String {
    let mut details: Vec<String> = Vec::new();
    if let Some(id) = event.retracts {
        details.push(match events.iter().find(|e| e.id == Some(id)) {
            Some(e) => format!("takes back the {} of {}", e.action, e.at.0.format("%Y-%m-%d %H:%M")),
            None => format!("takes back {id}"),
        });
    }
    details.extend(event.values.iter().map(|(k, v)| format!("{k}={}", yaml_text(v))));
    let was = event.was.as_ref().map(|was| format!("(was {was})"));
    let note: Vec<String> = event.note.map(str::to_string).into_iter().chain(was).collect();
    if !note.is_empty() {
        details.push(note.join(" "));
    }
    details.join("; ")
}

/// The roles that own open work (a phase's or a step's), sorted, each once.
fn open_owners(view: &ProjectView<'_>) -> Vec<String> {
    let open = |status: Status| !matches!(status, Status::Done | Status::Skipped);
    let mut owners: Vec<String> = Vec::new();
    for phase in view.progress.phases.iter().filter(|p| open(p.status)) {
        owners.extend(phase.phase.owners.iter().cloned());
        owners.extend(
            phase.steps.iter().filter(|s| open(s.status)).flat_map(|s| s.step.owners.iter().cloned()),
        );
    }
    owners.sort();
    owners.dedup();
    owners
}

/// The open work with a due date and the milestones, each on its day in the project's
/// zone.
fn dated(project: &str, view: &ProjectView<'_>) -> Vec<Dated> {
    let zone = view.calendar.zone;
    let day = |due: &Due| match due {
        Due::Day(day) => *day,
        Due::At(at) => at.with_timezone(&zone).date_naive(),
    };
    let mut found: Vec<Dated> = open_work(view)
        .into_iter()
        .map(|(id, timing)| {
            let is_step = view.playbook.step(id).is_some();
            let title = view.playbook.node(id).map_or_else(String::new, |n| n.title().to_string());
            Dated {
                date: day(&timing.due()),
                project: project.to_string(),
                rank: view.playbook.position(id),
                anchor: anchor(if is_step { "step" } else { "phase" }, id),
                label: format!("{} {title}", view.playbook.label(id)),
                overdue: timing.overdue,
                milestone: false,
            }
        })
        .collect();
    for mark in milestones(view.playbook, view.progress) {
        found.push(Dated {
            date: day(&mark.when),
            project: project.to_string(),
            rank: 0,
            anchor: "vars".into(),
            label: mark.name,
            overdue: false,
            milestone: true,
        });
    }
    found.sort();
    found
}

/// The forecast as bands on the chart: each open step's P50 to P85 finish, in its phase's
/// section, and the project's end.
pub(crate) fn bands(view: &ProjectView<'_>, forecast: &Forecast) -> Vec<Band> {
    let section =
        |id: &str| view.progress.phases.iter().position(|p| p.steps.iter().any(|s| s.step.id == id));
    let mut bands: Vec<Band> = forecast
        .steps
        .iter()
        .filter_map(|step| {
            let title = view.playbook.node(&step.id).map_or_else(String::new, |n| n.title().to_string());
            Some(Band {
                id: step.id.clone(),
                label: format!("{} {title}", view.playbook.label(&step.id)),
                section: Some(section(&step.id)?),
                p50: step.finish.p50,
                p85: step.finish.p85,
            })
        })
        .collect();
    bands.push(Band {
        id: "end".into(),
        label: "End of the project (forecast)".into(),
        section: None,
        p50: forecast.end.p50,
        p85: forecast.end.p85,
    });
    bands
}
