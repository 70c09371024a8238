//! `status PROJECT --compact`: a project on one screen. The phase or phases under way in
//! full, a line for each phase finished, skipped or not started, then what is ready, due
//! soon and late across the project.

use std::io::{self, Write};

use super::table::{header, phase_table, warnings, write_wrapped};
use super::view::due_text;
use super::{ProjectView, Style, one_line, wrap};
use crate::state::progress::{PhaseView, Status};
use crate::state::schedule::Timing;

/// One project in short: what is under way in full, the rest a line a phase.
pub(crate) fn status(out: &mut impl Write, project: &ProjectView<'_>, style: Style) -> io::Result<()> {
    header(out, project, style)?;
    let phases = &project.progress.phases;
    let current: Vec<bool> = phases.iter().map(is_under_way).collect();
    // A project where nothing has started yet still shows the phase to begin with.
    let first = project.progress.current_phase().map(|p| p.phase.id.as_str());
    let shown_whole =
        |i: usize| current[i] || (!current.contains(&true) && first == Some(&phases[i].phase.id));
    let mut was_line = false;
    for (i, phase) in phases.iter().enumerate() {
        if shown_whole(i) {
            writeln!(out)?;
            phase_table(out, project, phase, style)?;
            was_line = false;
        } else {
            if !was_line {
                writeln!(out)?;
            }
            write_wrapped(out, &summary(project, phase), style)?;
            was_line = true;
        }
    }
    attention(out, project, style)?;
    warnings(out, project, style)
}

/// Under way: open, and something in it done, ready or waiting for its date.
fn is_under_way(phase: &PhaseView<'_>) -> bool {
    !matches!(phase.status, Status::Done | Status::Skipped)
        && phase.steps.iter().any(|s| {
            matches!(s.status, Status::Ready | Status::Scheduled | Status::Blocked)
                || is_finished(s.status) && !s.is_not_applicable()
        })
}

fn is_finished(status: Status) -> bool {
    matches!(status, Status::Done | Status::Skipped)
}

/// `✓ I Kick-off — 3 of 3 steps done`, `– V DIMO — skipped`,
/// `· III Certification — 4 steps, waiting · due 2026-04-03 (in 5 business days)`.
fn summary(project: &ProjectView<'_>, phase: &PhaseView<'_>) -> String {
    let title = one_line(&format!("{} {}", phase.phase.label(), phase.phase.title)).into_owned();
    let applicable: Vec<_> = phase.steps.iter().filter(|s| !s.is_not_applicable()).collect();
    let done = applicable.iter().filter(|s| s.status == Status::Done).count();
    let skipped = applicable.iter().filter(|s| s.status == Status::Skipped).count();
    let due = project
        .schedule
        .timing(&phase.phase.id)
        .map(|t| format!(" · due {}", due_text(t)))
        .unwrap_or_default();
    match phase.status {
        Status::Done if skipped > 0 => {
            format!("✓ {title} — {done} of {} steps done, {skipped} skipped{due}", applicable.len())
        }
        Status::Done => format!("✓ {title} — {done} of {} steps done{due}", applicable.len()),
        Status::Skipped => format!("– {title} — skipped"),
        status => {
            format!("· {title} — {}, {status}{due}", crate::words::count(applicable.len() as i64, "step"))
        }
    }
}

/// What is ready, due soon and late across the project, phases and steps alike.
fn attention(out: &mut impl Write, project: &ProjectView<'_>, style: Style) -> io::Result<()> {
    let ProjectView { progress, schedule, .. } = *project;
    let open_timing = |id: &str, status: Status| schedule.timing(id).filter(|_| !is_finished(status));
    let mut ready = Vec::new();
    let mut soon = Vec::new();
    let mut late = Vec::new();
    for phase in &progress.phases {
        let items = std::iter::once((
            phase.phase.id.as_str(),
            format!("phase {}", phase.phase.label()),
            &phase.phase.title,
            &phase.phase.owners,
            phase.status,
        ))
        .chain(phase.steps.iter().map(|s| {
            (s.step.id.as_str(), s.step.label().to_string(), &s.step.title, &s.step.owners, s.status)
        }));
        for (id, label, title, owners, status) in items {
            let line = |tail: String| {
                (format!("{label} "), format!("{} — {}{tail}", one_line(title), one_line(&owners.join(", "))))
            };
            let timing: Option<&Timing> = open_timing(id, status);
            match timing {
                Some(t) if t.overdue => late.push(line(format!(" · due {}", due_text(t)))),
                Some(t) if t.soon => soon.push(line(format!(" · due {}", due_text(t)))),
                _ => {}
            }
            if status == Status::Ready && !label.starts_with("phase ") {
                ready.push(line(timing.map(|t| format!(" · due {}", due_text(t))).unwrap_or_default()));
            }
        }
    }
    for (heading, items) in [("Ready now:", ready), ("Due soon:", soon), ("Late:", late)] {
        if items.is_empty() {
            continue;
        }
        writeln!(out, "\n{heading}")?;
        for (lead, text) in items {
            for line in wrap::hanging(&lead, &text, 2, style.width) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}
