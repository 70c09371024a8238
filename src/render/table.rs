//! Human-readable output: tables that fit the terminal, plain when piped.

use std::io::{self, Write};

use comfy_table::{
    Attribute, Cell, Color, ColumnConstraint, ContentArrangement, LineStyle, Table, TableStyle, Width,
};

use super::{ProjectView, Style, one_line};
use crate::calendar::Calendar;
use crate::playbook::Step;
use crate::playbook::catalog::Listed;
use crate::playbook::model::Origin;
use crate::state::history::LogEntry;
use crate::state::progress::{Status, StepView};
use crate::state::project::{Timestamp, yaml_text};
use crate::state::schedule::{Timing, Wait, on_time};
use crate::words;

/// The house style: a rule under the header and nothing else, so rows read like a list.
const HOUSE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));

/// A table in the house style, wrapping to `style.width` whether or not stdout is a
/// terminal (a piped table must read the same as on screen, and colour must not change
/// the wrapping).
pub fn new_table(style: Style, headers: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(HOUSE)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(style.width).unwrap_or(u16::MAX));
    if style.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header(headers.iter().map(|h| Cell::new(h).add_attribute(Attribute::Bold)));
    table
}

/// A cell of text from a file or an argument: one line, escapes shown (`one_line`).
/// Every cell that holds such text is made here, so no title, name or note reaches the
/// terminal as it is.
pub fn text_cell(text: &str) -> Cell {
    Cell::new(one_line(text))
}

/// A row of `text_cell`s.
pub fn text_row<S: AsRef<str>>(texts: impl IntoIterator<Item = S>) -> Vec<Cell> {
    texts.into_iter().map(|text| text_cell(text.as_ref())).collect()
}

fn status_cell(status: Status, style: Style) -> Cell {
    let cell = Cell::new(status.as_str());
    if !style.color {
        return cell;
    }
    match status {
        Status::Done => cell.fg(Color::Green),
        Status::Ready => cell.fg(Color::Cyan).add_attribute(Attribute::Bold),
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

pub fn date(at: Timestamp) -> String {
    at.0.format("%Y-%m-%d").to_string()
}

fn minute(at: Timestamp) -> String {
    at.0.format("%Y-%m-%d %H:%M").to_string()
}

/// Everything about one project: a header, then a table per phase.
pub fn status(out: &mut impl Write, project: &ProjectView<'_>, style: Style) -> io::Result<()> {
    let ProjectView { file, playbook, progress, schedule, calendar, changed } = *project;
    let (finished, total) = progress.counts();
    writeln!(
        out,
        "{}: {} (playbook {}, calendar {})",
        one_line(&file.project),
        one_line(&playbook.title),
        playbook.id,
        one_line(file.calendar())
    )?;
    let on_time = match on_time(schedule) {
        (_, 0) => String::new(),
        (on_time, timed) => format!(" · {on_time} of {timed} finished on time"),
    };
    writeln!(
        out,
        "started {} by {} · {finished} of {total} steps finished{on_time}",
        date(file.started_at()),
        one_line(&file.start.by)
    )?;
    if changed {
        writeln!(
            out,
            "note: playbook `{}` has changed since this project started; the project follows its original version",
            playbook.id
        )?;
    }
    if !progress.vars.is_empty() {
        let vars: Vec<String> =
            progress.vars.iter().map(|(k, v)| one_line(&format!("{k}={v}")).into_owned()).collect();
        writeln!(out, "variables: {}", vars.join(", "))?;
    }
    for phase in &progress.phases {
        writeln!(out)?;
        let due = match schedule.timing(&phase.phase.id) {
            Some(timing) => format!(" · due {}", due_text(timing)),
            None => String::new(),
        };
        let title = format!("{} {}", phase.phase.label(), phase.phase.title);
        writeln!(out, "{} ({}){due}", one_line(&title), phase.status)?;
        let mut table = new_table(style, &["#", "Step", "Owner", "Status", "Due", "Done"]);
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
        print(out, table)?;
    }
    // The `(!)` marks need their reason, and doctor says what to do about it.
    let ahead: Vec<String> = progress.steps().filter_map(StepView::done_ahead).collect();
    if !ahead.is_empty() {
        writeln!(out)?;
    }
    for warning in ahead {
        writeln!(out, "warning: {}; run `onboard doctor`", one_line(&warning))?;
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

/// Writes a table without the padding comfy-table leaves at the end of lines. No column
/// gets narrower than its longest word: a table that cannot fit its width without
/// breaking a word (a step id, a date) runs wider rather than cut it.
pub fn print(out: &mut impl Write, mut table: Table) -> io::Result<()> {
    let mut widest: Vec<usize> = Vec::new();
    for row in table.header().into_iter().chain(table.row_iter()) {
        for (i, cell) in row.cell_iter().enumerate() {
            let longest =
                cell.content().split_whitespace().map(textwrap::core::display_width).max().unwrap_or(0);
            if widest.len() <= i {
                widest.resize(i + 1, 0);
            }
            widest[i] = widest[i].max(longest);
        }
    }
    for (i, width) in widest.into_iter().enumerate() {
        if let Some(column) = table.column_mut(i) {
            // comfy-table's widths count the cell's padding.
            let width = u16::try_from(width).unwrap_or(u16::MAX).saturating_add(column.padding_width());
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(width)));
        }
    }
    // Line by line: a portfolio's table is never held whole a second time as one string.
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// One row per project.
pub struct PortfolioRow {
    pub project: String,
    pub playbook: String,
    pub phase: String,
    pub phase_id: Option<String>,
    pub finished: usize,
    pub total: usize,
    /// The earliest due moment among open work, as `III.2 2026-04-03 (in 2 business days)`.
    pub next_due: String,
    /// The earliest due open work, as `status --json` names it.
    pub next_due_json: Option<super::json::status::NextDue>,
    pub overdue: usize,
    /// Finished work with a due moment: how much was on time, of how much.
    pub on_time: (usize, usize),
    /// An archived project, shown by `status --all`.
    pub archived: bool,
}

/// `2026-04-15 (in 3 business days)`; once finished, the date, and how late if it was.
pub fn due_text(timing: &Timing) -> String {
    let due = timing.due().short();
    match (&timing.left, &timing.late_by) {
        (Some(_), _) => format!("{due} ({})", state_text(timing)),
        (None, Some(late)) => format!("{due} (late by {late})"),
        (None, None) => due,
    }
}

/// `in 3 business days`, `due soon: today`, `overdue by 2 business days`.
pub fn state_text(timing: &Timing) -> String {
    urgency_text(timing.soon, timing.left.as_deref().unwrap_or_default())
}

/// `due soon: in 3 h` for work due soon, the time left (or how late) as it is otherwise.
pub fn urgency_text(soon: bool, left: &str) -> String {
    if soon { format!("due soon: {left}") } else { left.to_string() }
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
pub fn urgency_cell(text: String, overdue: bool, soon: bool, style: Style) -> Cell {
    let cell = Cell::new(text);
    match (style.color, overdue, soon) {
        (true, true, _) => cell.fg(Color::Red).add_attribute(Attribute::Bold),
        (true, false, true) => cell.fg(Color::Yellow),
        _ => cell,
    }
}

pub fn portfolio(out: &mut impl Write, rows: &[PortfolioRow], style: Style) -> io::Result<()> {
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
            row.next_due.clone(),
            row.overdue.to_string(),
            match row.on_time {
                (_, 0) => String::new(),
                (on_time, timed) => format!("{on_time}/{timed}"),
            },
        ]));
    }
    print(out, table)
}

/// The audit trail, oldest first.
pub fn log(
    out: &mut impl Write,
    events: &[(Option<&Step>, LogEntry<'_>)],
    ids: bool,
    style: Style,
) -> io::Result<()> {
    let headers = ["Id", "When", "Who", "Action", "Step", "Details"];
    let mut table = new_table(style, &headers[usize::from(!ids)..]);
    if ids {
        // An id is copied into `retract`: whole, on one line.
        if let Some(column) = table.column_mut(0) {
            column.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
        }
    }
    for (step, event) in events {
        let mut details: Vec<String> =
            event.retracts.map(|id| retracted_text(events, id)).into_iter().collect();
        details.extend(event.values.iter().map(|(k, v)| format!("{k}={}", yaml_text(v))));
        let was = event.was.as_ref().map(|was| format!("(was {was})"));
        let note = [event.note.map(str::to_string), was].into_iter().flatten().collect::<Vec<_>>();
        if !note.is_empty() {
            details.push(note.join(" "));
        }
        let action = match event.retracted {
            true => format!("{} (retracted)", event.action),
            false => event.action.to_string(),
        };
        let row = [
            event.id.unwrap_or_default().to_string(),
            minute(event.at),
            event.by.to_string(),
            action,
            step.map(|s| s.label().to_string()).unwrap_or_default(),
            details.join("; "),
        ];
        table.add_row(text_row(row.into_iter().skip(usize::from(!ids))));
    }
    print(out, table)
}

/// What a retraction takes back, as its details say it: `takes back the done of
/// 2026-03-03 10:00`, or the id when the trail does not hold it.
fn retracted_text(events: &[(Option<&Step>, LogEntry<'_>)], id: &str) -> String {
    match events.iter().find(|(_, e)| e.id == Some(id)) {
        Some((_, e)) => format!("takes back the {} of {}", e.action, minute(e.at)),
        None => format!("takes back {id}"),
    }
}

/// The catalog of playbooks.
pub fn playbooks(out: &mut impl Write, listed: &[Listed], style: Style) -> io::Result<()> {
    let mut table = new_table(style, &["Id", "Title", "Source", "Phases", "Steps", "Origin"]);
    for entry in listed {
        let origin = origin_text(entry);
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

pub fn origin_text(entry: &Listed) -> String {
    match (&entry.origin, entry.overrides) {
        (Origin::Bundled, _) => "bundled".to_string(),
        (Origin::File(_), true) => "local, overrides bundled".to_string(),
        (Origin::File(_), false) => "local".to_string(),
    }
}
