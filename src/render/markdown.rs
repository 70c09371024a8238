//! Markdown reports, to paste into a pull request, a wiki page or a mail: per project a
//! heading, a summary line, the Gantt chart of its plan and a table per phase; for a
//! portfolio, a summary table of every project, most urgent first, then each project.
//! GitHub and GitLab render them as they are, the chart included.

use std::cmp::Reverse;
use std::io::{self, Write};

use super::markup::{name, text};
use super::view::{due_text, state_text, step_status_text};
use super::{Instant, ProjectView, gantt, minute};
use crate::state::progress::{Status, StepView};
use crate::state::schedule::{Entry, Timing, on_time};
use crate::words;

/// How urgent a project is, most urgent first: overdue work (the longest overdue first),
/// then work due soon (the soonest first), then the rest by their next due moment, then
/// projects with nothing due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Urgency {
    /// By how many seconds its oldest overdue work is late.
    Overdue(Reverse<i64>),
    /// In how many seconds its next work is due.
    Soon(i64),
    Later(i64),
    Nothing,
}

/// One project's row of the portfolio table.
#[derive(Debug, Clone)]
pub(crate) struct Summary {
    pub project: String,
    pub playbook: String,
    pub phase: String,
    pub finished: usize,
    pub total: usize,
    /// `9 2026-03-31 (overdue by 1 business day)`: the earliest due open work.
    pub next_due: String,
    pub overdue: usize,
    pub on_time: (usize, usize),
    pub urgency: Urgency,
}

/// A project's row and its section, rendered while its files are loaded.
#[derive(Debug, Clone)]
pub(crate) struct ProjectReport {
    pub summary: Summary,
    pub section: String,
}

/// The open work with a due moment, earliest due first.
pub(crate) fn open_work<'s>(view: &ProjectView<'s>) -> Vec<(&'s str, &'s Timing)> {
    let mut open: Vec<(&str, &Timing)> = view
        .schedule
        .entries
        .iter()
        .filter_map(|(id, entry)| match entry {
            Entry::Timed(timing) if !timing.finished => Some((id.as_str(), timing)),
            _ => None,
        })
        .collect();
    open.sort_by_key(|(id, timing)| (timing.due().end(view.calendar), *id));
    open
}

/// The portfolio row of a project as of `now`.
pub(crate) fn summary(view: &ProjectView<'_>, now: Instant) -> Summary {
    let open = open_work(view);
    let (finished, total) = view.progress.counts();
    let next = open.first();
    let seconds_to = |timing: &Timing| (timing.due().end(view.calendar) - now).num_seconds();
    let urgency = match next {
        None => Urgency::Nothing,
        Some((_, t)) if t.overdue => Urgency::Overdue(Reverse(-seconds_to(t))),
        Some((_, t)) if open.iter().any(|(_, t)| t.soon) => Urgency::Soon(seconds_to(t)),
        Some((_, t)) => Urgency::Later(seconds_to(t)),
    };
    Summary {
        project: view.file.project.clone(),
        playbook: view.file.playbook.clone(),
        phase: view
            .progress
            .current_phase()
            .map_or_else(|| "finished".into(), |p| format!("{} {}", p.phase.label(), p.phase.title)),
        finished,
        total,
        next_due: next
            .map_or_else(String::new, |(id, t)| format!("{} {}", view.playbook.label(id), due_text(t))),
        overdue: open.iter().filter(|(_, t)| t.overdue).count(),
        on_time: on_time(view.schedule),
        urgency,
    }
}

/// One project: its heading at `level` (`#` for a report of one project, `##` in a
/// portfolio), what it follows, where it stands, its chart and its phases.
/// `as_of` says when, for a report of one project; a portfolio says it once.
pub(crate) fn project(
    out: &mut impl Write,
    view: &ProjectView<'_>,
    level: usize,
    as_of: Option<&str>,
    forecast: Option<&super::forecast::Shown<'_>>,
) -> io::Result<()> {
    let ProjectView { file, playbook, progress, calendar, changed, .. } = *view;
    let zone = calendar.zone;
    let hashes = "#".repeat(level);
    writeln!(out, "{hashes} {}\n", text(&file.project))?;
    let version: String = file.playbook_hash.trim_start_matches("sha256:").chars().take(12).collect();
    writeln!(
        out,
        "**{}** · playbook `{}` version `{version}` · calendar {} ({}, {}) · started {} by {}\n",
        text(&playbook.title),
        file.playbook,
        text(&calendar.id),
        text(&calendar.name),
        zone.name(),
        minute(file.started_at().0, zone),
        text(&file.start.by),
    )?;
    let (finished, total) = progress.counts();
    let overdue = match open_work(view).iter().filter(|(_, t)| t.overdue).count() {
        0 => "nothing overdue".to_string(),
        n => format!("**{n} overdue**"),
    };
    let on_time = match on_time(view.schedule) {
        (_, 0) => String::new(),
        (on_time, timed) => format!(" · {on_time} of {timed} finished on time"),
    };
    let as_of = as_of.map(|when| format!("As of {when}: ")).unwrap_or_default();
    writeln!(out, "{as_of}{finished} of {total} steps finished · {overdue}{on_time}\n")?;
    if !progress.vars.is_empty() {
        let vars: Vec<String> =
            progress.vars.iter().map(|(k, v)| format!("{} = {}", name(k), text(&v.to_string()))).collect();
        writeln!(out, "Variables: {}\n", vars.join(" · "))?;
    }
    if changed {
        writeln!(
            out,
            "> Playbook `{}` has changed since this project started; the project follows its original version.\n",
            playbook.id
        )?;
    }
    for warning in progress.steps().filter_map(StepView::done_ahead) {
        writeln!(out, "> Warning: {}; run `onboard doctor`.\n", text(&warning))?;
    }
    match gantt::chart(view) {
        Some(chart) => match forecast {
            Some(shown) => writeln!(out, "{}", super::forecast::into_chart(chart, shown))?,
            None => writeln!(out, "{chart}")?,
        },
        None => writeln!(out, "No date is known yet, so there is no chart.\n")?,
    }
    if let Some(shown) = forecast {
        super::forecast::markdown(out, shown, level + 1)?;
    }
    for (n, phase) in progress.phases.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let due = match view.schedule.timing(&phase.phase.id) {
            Some(timing) => format!(" · due {}", text(&due_text(timing))),
            None => String::new(),
        };
        writeln!(
            out,
            "{hashes}# {} {} · {}{due}\n",
            text(phase.phase.label()),
            text(&phase.phase.title),
            phase.status
        )?;
        writeln!(out, "| # | Step | Owner | Status | Due | Timing | Done |")?;
        writeln!(out, "| --- | --- | --- | --- | --- | --- | --- |")?;
        for step in &phase.steps {
            step_row(out, view, step)?;
        }
    }
    Ok(())
}

fn step_row(out: &mut impl Write, view: &ProjectView<'_>, step: &StepView<'_>) -> io::Result<()> {
    let id = &step.step.id;
    let timing = view.schedule.timing(id);
    let mut when: Vec<String> = Vec::new();
    if let Some(wait) = view.schedule.waiting(id) {
        when.push(format!("ready on {}", wait.when(view.calendar)));
    }
    when.extend(timing.map(timing_text));
    let done = match (step.status, step.record.marks.first()) {
        (Status::Done | Status::Skipped, Some(mark)) => {
            format!("{} {}", minute(mark.at.0, view.calendar.zone), text(&mark.by))
        }
        _ => String::new(),
    };
    writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {done} |",
        text(step.step.label()),
        text(&step.step.title),
        text(&step.step.owners.join(", ")),
        step_status_text(step),
        timing.map(|t| t.due().short()).unwrap_or_default(),
        when.join(" · "),
    )
}

/// `in 3 business days`, `**overdue by 1 business day**`; once finished, `on time` or
/// `late by 2 business days`.
fn timing_text(timing: &Timing) -> String {
    match (&timing.left, &timing.late_by) {
        (Some(_), _) if timing.overdue => format!("**{}**", text(&state_text(timing))),
        (Some(_), _) => text(&state_text(timing)),
        (None, Some(late)) => format!("late by {}", text(late)),
        (None, None) => "on time".to_string(),
    }
}

/// The portfolio: when, the summary table, most urgent first, the projects that could not
/// be read (with their error), then each project's section in the table's order.
pub(crate) fn portfolio(
    out: &mut impl Write,
    as_of: &str,
    mut reports: Vec<ProjectReport>,
    unreadable: &[(String, String)],
) -> io::Result<()> {
    reports.sort_by(|a, b| {
        (a.summary.urgency, &a.summary.project).cmp(&(b.summary.urgency, &b.summary.project))
    });
    writeln!(out, "# Portfolio report\n")?;
    let with_overdue = reports.iter().filter(|r| r.summary.overdue > 0).count();
    writeln!(
        out,
        "As of {as_of}: {}, {} with overdue work; most urgent first.\n",
        words::count(reports.len() as i64, "project"),
        with_overdue
    )?;
    writeln!(out, "| Project | Playbook | Current phase | Progress | Next due | Overdue | On time |")?;
    writeln!(out, "| --- | --- | --- | --- | --- | --- | --- |")?;
    for report in &reports {
        let row = &report.summary;
        let overdue = match row.overdue {
            0 => "0".to_string(),
            n => format!("**{n}**"),
        };
        let on_time = match row.on_time {
            (_, 0) => String::new(),
            (on_time, timed) => format!("{on_time}/{timed}"),
        };
        writeln!(
            out,
            "| [{}](#{}) | {} | {} | {}/{} | {} | {overdue} | {on_time} |",
            text(&row.project),
            row.project,
            text(&row.playbook),
            text(&row.phase),
            row.finished,
            row.total,
            text(&row.next_due),
        )?;
    }
    for (project, error) in unreadable {
        writeln!(out, "\n> Not included: project {} could not be read: {}", name(project), text(error))?;
    }
    for report in &reports {
        writeln!(out)?;
        out.write_all(report.section.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_overdue_comes_first_then_the_soonest_then_the_rest() {
        let mut order = vec![
            Urgency::Nothing,
            Urgency::Later(10),
            Urgency::Soon(500),
            Urgency::Overdue(Reverse(60)),
            Urgency::Soon(5),
            Urgency::Overdue(Reverse(3600)),
            Urgency::Later(1),
        ];
        order.sort();
        assert_eq!(
            order,
            [
                Urgency::Overdue(Reverse(3600)),
                Urgency::Overdue(Reverse(60)),
                Urgency::Soon(5),
                Urgency::Soon(500),
                Urgency::Later(1),
                Urgency::Later(10),
                Urgency::Nothing,
            ]
        );
    }
}
