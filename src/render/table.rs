//! Human-readable output: tables that fit the terminal, plain when piped.

use std::io::{self, Write};

use chrono::{DateTime, Datelike};
use comfy_table::Color;

use super::grid::{Cell, Grid};
use super::json::log::ProjectEvent;
use super::view::{PortfolioRow, Provenance, WorkRow, due_text, serde_name};
use super::{ProjectView, Style, one_line};
use crate::calendar::{Calendar, Closed, weekday_name};
use crate::playbook::catalog::Listed;
use crate::state::progress::{PhaseView, Status, StepView};
use crate::state::project::Timestamp;
use crate::state::schedule::{Timing, Wait, on_time};
use crate::words;

/// A table in the house style, fitted to `style.width` whether or not stdout is a
/// terminal (a piped table must read the same as on screen, and colour must not change
/// the layout): in columns, or stacked below 80 columns (`grid`).
pub(crate) fn new_table(style: Style, headers: &[&str]) -> Grid {
    Grid::new(style, headers)
}

/// A cell of text from a file or an argument: one line, escapes shown (`one_line`).
/// Every cell that holds such text is made here, so no title, name or note reaches the
/// terminal as it is.
pub(crate) fn text_cell(text: &str) -> Cell {
    Cell::text(text)
}

/// A row of `text_cell`s.
pub(crate) fn text_row<S: AsRef<str>>(texts: impl IntoIterator<Item = S>) -> Vec<Cell> {
    texts.into_iter().map(|text| text_cell(text.as_ref())).collect()
}

fn status_cell(status: Status, style: Style) -> Cell {
    let cell = Cell::new(status.as_str());
    if !style.color {
        return cell;
    }
    match status {
        Status::Done => cell.fg(Color::Green),
        Status::Ready => cell.fg(Color::Cyan).bold(),
        Status::Blocked => cell.fg(Color::Red),
        Status::Scheduled => cell.fg(Color::Blue),
        Status::Waiting | Status::Skipped => cell.fg(Color::DarkGrey),
    }
}

/// `2026-03-02 ana` for a done step.
fn done_text(view: &StepView<'_>) -> String {
    match (view.status, view.record.marks.first()) {
        (Status::Done | Status::Skipped, Some(mark)) => format!("{} {}", date(mark.at), mark.by),
        _ => String::new(),
    }
}

pub(crate) fn date(at: Timestamp) -> String {
    at.0.format("%Y-%m-%d").to_string()
}

fn minute(at: Timestamp) -> String {
    at.0.format("%Y-%m-%d %H:%M").to_string()
}

/// Everything about one project: a header, then a table per phase.
pub(crate) fn status(out: &mut impl Write, project: &ProjectView<'_>, style: Style) -> io::Result<()> {
    let progress = project.progress;
    header(out, project, style)?;
    for phase in &progress.phases {
        writeln!(out)?;
        phase_table(out, project, phase, style)?;
    }
    warnings(out, project, style)
}

/// The project's name, title, playbook and calendar, how far it is, and its variables:
/// each wrapped to the width, its continuation two columns in.
pub(super) fn header(out: &mut impl Write, project: &ProjectView<'_>, style: Style) -> io::Result<()> {
    let ProjectView { file, playbook, progress, schedule, changed, .. } = *project;
    let (finished, total) = progress.counts();
    let mut lines = vec![format!(
        "{}: {} (playbook {}, calendar {})",
        one_line(&file.project),
        one_line(&playbook.title),
        playbook.id,
        one_line(file.calendar())
    )];
    let on_time = match on_time(schedule) {
        (_, 0) => String::new(),
        (on_time, timed) => format!(" · {on_time} of {timed} finished on time"),
    };
    lines.push(format!(
        "started {} by {} · {finished} of {total} steps finished{on_time}",
        date(file.started_at()),
        one_line(&file.start.by)
    ));
    if changed {
        lines.push(format!(
            "note: playbook `{}` has changed since this project started; the project follows its original version",
            playbook.id
        ));
    }
    if !progress.vars.is_empty() {
        let vars: Vec<String> =
            progress.vars.iter().map(|(k, v)| one_line(&format!("{k}={v}")).into_owned()).collect();
        lines.push(format!("variables: {}", vars.join(", ")));
    }
    for line in lines {
        write_wrapped(out, &line, style)?;
    }
    Ok(())
}

/// A line the program writes, wrapped on spaces to the width, its continuation two
/// columns in so it reads as one item.
pub(crate) fn write_wrapped(out: &mut impl Write, line: &str, style: Style) -> io::Result<()> {
    for part in super::wrap::note(line, 0, style.width) {
        writeln!(out, "{part}")?;
    }
    Ok(())
}

/// A phase's title line, then its steps: status, due and done.
pub(super) fn phase_table(
    out: &mut impl Write,
    project: &ProjectView<'_>,
    phase: &PhaseView<'_>,
    style: Style,
) -> io::Result<()> {
    let ProjectView { schedule, calendar, .. } = *project;
    let due = match schedule.timing(&phase.phase.id) {
        Some(timing) => format!(" · due {}", due_text(timing)),
        None => String::new(),
    };
    let title = format!("{} {}", phase.phase.label(), phase.phase.title);
    write_wrapped(out, &format!("{} ({}){due}", one_line(&title), phase.status), style)?;
    let mut table = new_table(style, &["#", "Step", "Owner", "Status", "Due", "Done"]).named_by(2, " ");
    for view in &phase.steps {
        table.add_row(vec![
            text_cell(view.step.label()),
            text_cell(&view.step.title),
            text_cell(&view.step.owners.join(", ")),
            step_status_cell(view, style),
            due_cell(schedule.timing(&view.step.id), schedule.waiting(&view.step.id), calendar, style),
            text_cell(&done_text(view)),
        ]);
    }
    print(out, table)
}

/// The `(!)` marks need their reason, and doctor says what to do about it.
pub(super) fn warnings(out: &mut impl Write, project: &ProjectView<'_>, style: Style) -> io::Result<()> {
    let ahead: Vec<String> = project.progress.steps().filter_map(StepView::done_ahead).collect();
    if !ahead.is_empty() {
        writeln!(out)?;
    }
    for warning in ahead {
        write_wrapped(out, &format!("warning: {}; run `onboard doctor`", one_line(&warning)), style)?;
    }
    Ok(())
}

/// `done`, `ready (2 rounds)`, and `done (!)` for a step done while a prerequisite is open.
fn step_status_cell(view: &StepView<'_>, style: Style) -> Cell {
    let rounds = view.record.rounds.len();
    let ahead = view.is_done_ahead();
    if rounds == 0 && !ahead {
        return status_cell(view.status, style);
    }
    let mut text = view.status.to_string();
    if rounds > 0 {
        text.push_str(&format!(" ({})", words::count(rounds as i64, "round")));
    }
    if ahead {
        text.push_str(" (!)");
    }
    let cell = Cell::new(text);
    if style.color && ahead { cell.fg(Color::Yellow) } else { cell }
}

/// Writes a table fitted to its width (`Grid::write`).
pub(crate) fn print(out: &mut impl Write, table: Grid) -> io::Result<()> {
    table.write(out)
}

/// The due moment, after the earliest start when the step is still waiting for it.
fn due_cell(timing: Option<&Timing>, wait: Option<&Wait>, calendar: &Calendar, style: Style) -> Cell {
    let ready = wait.map(|w| format!("ready on {}", w.when(calendar)));
    let due = timing.map(due_text);
    let text = [ready, due.map(|d| format!("due {d}"))].into_iter().flatten().collect::<Vec<_>>();
    let text = match text.as_slice() {
        [only] if wait.is_none() => only.trim_start_matches("due ").to_string(),
        _ => text.join(" · "),
    };
    match timing {
        Some(timing) => urgency_cell(text, timing.overdue, timing.soon, style),
        None => Cell::new(text),
    }
}

/// `text`, red when overdue and yellow when due soon, on a terminal that takes colour.
pub(crate) fn urgency_cell(text: String, overdue: bool, soon: bool, style: Style) -> Cell {
    let cell = Cell::new(text);
    match (style.color, overdue, soon) {
        (true, true, _) => cell.fg(Color::Red).bold(),
        (true, false, true) => cell.fg(Color::Yellow),
        _ => cell,
    }
}

pub(crate) fn portfolio(out: &mut impl Write, rows: &[PortfolioRow], style: Style) -> io::Result<()> {
    let mut table = new_table(
        style,
        &["Project", "Playbook", "Current phase", "Progress", "Next due", "Overdue", "On time"],
    );
    for row in rows {
        table.add_row(text_row([
            row.project.clone(),
            row.playbook.clone(),
            row.phase.clone(),
            format!("{}/{}", row.finished, row.total),
            row.next_due.as_ref().map_or_else(String::new, super::view::NextDue::cell),
            row.overdue.to_string(),
            match row.on_time {
                (_, 0) => String::new(),
                (on_time, timed) => format!("{on_time}/{timed}"),
            },
        ]));
    }
    print(out, table)
}

/// An audit trail: one project's, oldest first, with each event's id when `ids` (`log`);
/// or, with `activity`, the portfolio's, newest first, each event's project after when.
pub(crate) fn log(
    out: &mut impl Write,
    events: &[ProjectEvent],
    ids: bool,
    activity: bool,
    style: Style,
) -> io::Result<()> {
    let mut headers = vec!["When", "Who", "Action", "Step", "Details"];
    match (ids, activity) {
        (_, true) => headers.insert(1, "Project"),
        (true, false) => headers.insert(0, "Id"),
        (false, false) => {}
    }
    let mut table = new_table(style, &headers);
    // An id is copied into `retract`: the grid never breaks a word, so it stays whole.
    for event in events {
        let e = &event.event;
        let mut details: Vec<String> = e.retracts.iter().map(|id| taken_back(events, event, id)).collect();
        details.extend(e.values.iter().map(|(k, v)| format!("{k}={}", json_text(v))));
        let was = e.was.as_ref().map(|was| format!("(was {was})"));
        let note = [e.note.clone(), was].into_iter().flatten().collect::<Vec<_>>();
        if !note.is_empty() {
            details.push(note.join(" "));
        }
        let mut row = vec![
            minute_of(&e.at),
            e.by.clone(),
            match e.retracted {
                true => format!("{} (retracted)", e.action),
                false => e.action.clone(),
            },
            e.number.clone().or_else(|| e.step.clone()).unwrap_or_default(),
            details.join("; "),
        ];
        match (ids, activity) {
            (_, true) => row.insert(1, event.project.clone()),
            (true, false) => row.insert(0, e.id.clone().unwrap_or_default()),
            (false, false) => {}
        }
        table.add_row(text_row(row));
    }
    print(out, table)
}

/// `2026-03-03 10:00` for an instant as `--json` writes it.
fn minute_of(at: &str) -> String {
    DateTime::parse_from_rfc3339(at).map_or_else(|_| at.to_string(), |at| minute(Timestamp(at)))
}

/// What a retraction takes back, as its details say it: `takes back the done of
/// 2026-03-03 10:00`, or the id when the events shown do not hold it.
fn taken_back(events: &[ProjectEvent], retraction: &ProjectEvent, id: &str) -> String {
    let taken = events.iter().find(|e| e.project == retraction.project && e.event.id.as_deref() == Some(id));
    match taken {
        Some(taken) => format!("takes back the {} of {}", taken.event.action, minute_of(&taken.event.at)),
        None => format!("takes back {id}"),
    }
}

/// A JSON value as the log's details show it: text without quotes.
fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The catalog of playbooks.
pub(crate) fn playbooks(out: &mut impl Write, listed: &[Listed], style: Style) -> io::Result<()> {
    let mut table = new_table(style, &["Id", "Title", "Source", "Phases", "Steps", "Origin"]);
    for entry in listed {
        let origin = serde_name(&Provenance::of(entry));
        let row = match &entry.playbook {
            Ok(p) => vec![
                p.id.clone(),
                p.title.clone(),
                p.source.clone().unwrap_or_default(),
                p.phases.len().to_string(),
                p.step_count().to_string(),
                origin,
            ],
            Err(e) => vec![
                entry.id.clone(),
                format!("invalid: {e}"),
                String::new(),
                String::new(),
                String::new(),
                origin,
            ],
        };
        table.add_row(text_row(row));
    }
    print(out, table)
}

/// Work across projects, most urgent first (`check`, `next`): `what` names the second
/// column and `due` the fourth; the state red when overdue and yellow when due soon. With
/// `named`, a stacked row is named by its first two cells (`coop: 3.1 Contact list`).
pub(crate) fn work(
    out: &mut impl Write,
    rows: &[WorkRow],
    [what, due]: [&str; 2],
    named: bool,
    style: Style,
) -> io::Result<()> {
    let mut table = new_table(style, &["Project", what, "Owner", due, "State"]);
    if named {
        table = table.named_by(2, ": ");
    }
    for row in rows {
        table.add_row(vec![
            text_cell(&row.project),
            text_cell(&row.what),
            text_cell(&row.owner),
            text_cell(&row.due),
            urgency_cell(one_line(&row.state).into_owned(), row.overdue, row.soon, style),
        ]);
    }
    print(out, table)
}

/// The bundled calendars, each with the team's override when it has one.
pub(crate) fn calendars(out: &mut impl Write, calendars: &[Calendar], style: Style) -> io::Result<()> {
    let mut table = new_table(style, &["Id", "Name", "Time zone", "Hours", "Holiday data", "Override"]);
    for c in calendars {
        let over = c.override_file.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
        table.add_row(text_row([
            c.id.clone(),
            c.name.clone(),
            c.zone.name().to_string(),
            crate::calendar::hours_text(c.hours),
            format!("{}, {}-{}", c.source, c.years.0, c.years.1),
            over,
        ]));
    }
    print(out, table)
}

/// A calendar's closed days in a year, under a line that says which calendar it is.
pub(crate) fn calendar_year(
    out: &mut impl Write,
    calendar: &Calendar,
    year: i32,
    style: Style,
) -> io::Result<()> {
    writeln!(
        out,
        "{} {} ({}), business hours {}, holidays from {}",
        calendar.id,
        one_line(&calendar.name),
        calendar.zone.name(),
        crate::calendar::hours_text(calendar.hours),
        calendar.version()
    )?;
    let mut table = new_table(style, &["Date", "Day", "Closed for"]);
    for (date, why, worked) in &calendar.year(year) {
        let worked = if *worked { " (worked)" } else { "" };
        let text = match why {
            Closed::Holiday(name) => format!("{name}{worked}"),
            other => other.to_string(),
        };
        table.add_row(text_row([date.to_string(), weekday_name(date.weekday()).to_string(), text]));
    }
    print(out, table)
}
