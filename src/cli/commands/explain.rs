//! `onboard explain`: how a due date (and an earliest start) was derived: the rule, the
//! anchor and where it came from, the calendar and its data version, and the days skipped.

use clap_complete::engine::ArgValueCompleter;
use std::io::Write;

use anyhow::Result;
use chrono::Datelike;

use crate::calendar::Calendar;
use crate::calendar::weekday_name;
use crate::cli::Context;
use crate::cli::complete;
use crate::cli::pager::Output;
use crate::cli::target;
use crate::deadline::evaluate::{Counting, Derivation};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::playbook::Playbook;
use crate::playbook::model::Node;
use crate::playbook::rule::Deadline;
use crate::render::table::due_text;
use crate::render::wrap::Wrapping;
use crate::render::{json, one_line};
use crate::state::loaded::Project;
use crate::state::progress::{Detail, Progress};
use crate::state::schedule::{Entry, Schedule, Start, Thresholds};
use crate::state::standing::Standing;

/// Show how a step's or phase's due date was derived
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The project [default: the only one]
    #[arg(add = ArgValueCompleter::new(complete::project_or_step))]
    pub project: Option<String>,
    /// The step or phase, by id or number (`III.2`, `certification`)
    #[arg(add = ArgValueCompleter::new(complete::step))]
    pub step: Option<String>,
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: ExplainArgs) -> Result<ExitCode> {
    let (project, step) = target::project_and_step(ctx, args.project, args.step);
    let name = target::project(ctx, project)?;
    let loaded = target::load(ctx, &name)?;
    let playbook = &loaded.playbook;
    let Some(text) = step else {
        return Err(hinted("name the step or phase to explain", "onboard explain [PROJECT] STEP"));
    };
    let id = resolve_node(playbook, &text)?;
    let Standing { progress: view, schedule } = loaded.standing_now(ctx, Thresholds::default(), Detail::Full);
    let calendar = &loaded.calendar;
    let ruled = rule_holder(playbook, &id);
    if args.json {
        let mut out = crate::cli::ui::stdout();
        json::write(&mut out, &explanation(&loaded, &id, &ruled, &view, &schedule))?;
        out.flush()?;
        target::warn_uncovered(calendar);
        return Ok(ExitCode::Success);
    }
    // Every line wrapped to the width, and the whole paged when it is long.
    let mut out = Wrapping::new(Output::new(ctx.pager.as_ref()), ctx.width);
    if let (true, Some(Node::Step(_, step))) = (ruled != id, playbook.node(&id)) {
        writeln!(out, "{} has no time limit of its own; its phase has one.", one_line(&step.named()))?;
    }
    let deadline = playbook.node(&ruled).and_then(|node| node.deadline());
    let title = playbook.node(&ruled).map_or("", |node| node.title());
    writeln!(out, "{}: {}", one_line(&playbook.named(&ruled)), one_line(title))?;
    let not_before = match playbook.node(&id) {
        Some(Node::Step(_, step)) => step.not_before.as_ref(),
        _ => None,
    };
    if let Some(rule) = not_before {
        write_earliest(&mut out, &schedule, &view, &id, rule, calendar)?;
    }
    let Some(deadline) = deadline else {
        writeln!(out, "no time limit: the playbook gives it none")?;
        out.into_inner()?.finish()?;
        return Ok(ExitCode::Success);
    };
    let words = deadline.text.as_ref().map(|t| format!(" («{}»)", one_line(t))).unwrap_or_default();
    writeln!(out, "rule: due {}{words}", deadline.rule)?;
    write_calendar(&mut out, calendar)?;
    match schedule.get(&ruled) {
        Some(Entry::Timed(timing)) => {
            write_derivation(&mut out, &timing.derivation)?;
            writeln!(out, "due: {}", due_text(timing))?;
        }
        Some(Entry::Pending(why)) => writeln!(out, "due: not yet known: {}", one_line(why))?,
        None => writeln!(out, "due: none: {}", one_line(&no_due(&view, &ruled)))?,
    }
    out.into_inner()?.finish()?;
    target::warn_uncovered(calendar);
    Ok(ExitCode::Success)
}

/// The phase or step whose rule gives `id` its time limit: its own, else (for a step
/// without a rule of its own) its phase's, which is due as a whole.
fn rule_holder(playbook: &Playbook, id: &str) -> String {
    match playbook.node(id) {
        Some(Node::Step(phase, step)) if step.deadline.is_none() && phase.deadline.is_some() => {
            phase.id.clone()
        }
        _ => id.to_string(),
    }
}

/// Why work the schedule leaves out has no due: it leaves out only skipped and
/// not-applicable work.
fn no_due(view: &Progress<'_>, id: &str) -> String {
    match view.step(id) {
        Some(step) if step.is_not_applicable() => step.reason.clone().unwrap_or_default(),
        Some(step) => format!("skipped ({})", step.reason.as_deref().unwrap_or("no reason given")),
        None => "the phase is skipped or does not apply to this project".into(),
    }
}

/// `explain --json`: the same facts as the text, `id` being what was asked about and
/// `ruled` the phase or step whose rule gives it its time limit.
fn explanation(
    loaded: &Project,
    id: &str,
    ruled: &str,
    view: &Progress<'_>,
    schedule: &Schedule,
) -> json::explain::Explanation {
    let playbook = &loaded.playbook;
    let (node, number, title, not_before, status) = match playbook.node(id) {
        Some(Node::Step(_, step)) => {
            let status = view.step(id).map(|s| s.status);
            ("step", step.number.clone(), step.title.clone(), step.not_before.as_ref(), status)
        }
        Some(Node::Phase(phase)) => {
            let status = view.phases.iter().find(|p| p.phase.id == id).map(|p| p.status);
            ("phase", phase.number.clone(), phase.title.clone(), None, status)
        }
        None => unreachable!("`{id}` was resolved in this playbook"),
    };
    let rule = playbook.node(ruled).and_then(|node| node.deadline());
    let deadline = rule.map(|rule| json::explain::Due {
        rule_of: ruled.to_string(),
        rule: rule.rule.to_string(),
        text: rule.text.clone(),
        deadline: json::status::Deadline::of(schedule, ruled),
        no_due: schedule.get(ruled).is_none().then(|| no_due(view, ruled)),
        derivation: schedule.timing(ruled).map(|t| json::explain::Counted::of(&t.derivation)),
    });
    json::explain::Explanation {
        project: loaded.name.clone(),
        id: id.to_string(),
        node,
        number,
        title,
        status: status.expect("the view has every phase and step of its playbook").as_str(),
        calendar: json::explain::CountedOn::of(&loaded.calendar),
        earliest_start: not_before.map(|rule| json::explain::Earliest::of(rule, schedule, id)),
        deadline,
    }
}

/// The calendar a rule counts on, with its hours and the version of its holiday data.
fn write_calendar(out: &mut impl Write, calendar: &Calendar) -> Result<()> {
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
fn write_derivation(out: &mut impl Write, d: &Derivation) -> Result<()> {
    writeln!(out, "anchor: {}, {}", d.anchor.to_rfc3339(), one_line(&d.anchor_source.to_string()))?;
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
) -> Result<()> {
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

/// A step (by id or number) or a phase (by id or number); steps win a shared number.
fn resolve_node(playbook: &Playbook, text: &str) -> Result<String> {
    if let Ok(step) = playbook.resolve_step(text) {
        return Ok(step.id.clone());
    }
    let phase = playbook.phases.iter().find(|p| p.id == text || p.number.as_deref() == Some(text));
    match phase {
        Some(phase) => Ok(phase.id.clone()),
        None => Ok(playbook.resolve_step(text)?.id.clone()),
    }
}
