//! `onboard diff` printed: as text for a terminal, as Markdown for a pull request
//! comment; the JSON is the report itself, serialized (docs/json.md).

use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use super::printable;
use crate::playbook::value::Value;
use crate::state::diff::{
    Cause, Change, DateKind, DateMove, LifecycleChange, Node, ProjectDiff, Reason, Recorded, StepChange,
    Superseded,
};
use crate::state::project::Timestamp;

/// One side of the comparison.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Version {
    /// `HEAD`, `main`, `merge base of main and HEAD`, `working tree`.
    pub name: String,
    /// The commit's full hash; `None` for the working tree.
    pub commit: Option<String>,
}

impl Version {
    /// `HEAD (1a2b3c4)`, `the working tree`.
    fn text(&self) -> String {
        match &self.commit {
            Some(commit) => {
                let the = if self.name.starts_with("merge base") { "the " } else { "" };
                format!("{the}{} ({})", self.name, &commit[..commit.len().min(7)])
            }
            None => format!("the {}", self.name),
        }
    }
}

/// What `onboard diff` found: the two versions, and each project that changed, by name.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard diff --json")]
pub struct Report {
    pub from: Version,
    pub to: Version,
    pub projects: Vec<ProjectDiff>,
    /// The projects that could not be read, as the portfolio commands list them.
    pub errors: Vec<super::json::Unreadable>,
}

/// The report as text.
pub fn text(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let span = format!("from {} to {}", report.from.text(), report.to.text());
    if report.projects.is_empty() {
        return writeln!(out, "No project changed {span}.");
    }
    writeln!(out, "Changes {span}:")?;
    for project in &report.projects {
        writeln!(out)?;
        text_project(out, project)?;
    }
    Ok(())
}

/// One project: what happened to it, then the work recorded, the variables and the
/// dates, cause before effect.
fn text_project(out: &mut impl Write, project: &ProjectDiff) -> io::Result<()> {
    writeln!(out, "{}", headline(project))?;
    if let Some(version) = &project.playbook_version {
        writeln!(out, "  playbook version: {} → {}", short(&version.from), short(&version.to))?;
    }
    if !project.lifecycle.is_empty() {
        writeln!(out, "  project:")?;
        for line in project.lifecycle.iter().map(lifecycle_line) {
            writeln!(out, "    {line}")?;
        }
    }
    if !project.steps.is_empty() {
        writeln!(out, "  steps:")?;
        for line in project.steps.iter().flat_map(step_lines) {
            writeln!(out, "    {line}")?;
        }
    }
    if !project.variables.is_empty() {
        writeln!(out, "  variables:")?;
        for change in &project.variables {
            let why = change.reason.as_ref().map(|r| format!(", {}", reason(r))).unwrap_or_default();
            let (from, to) = (value(change.from.as_ref()), value(change.to.as_ref()));
            writeln!(out, "    {}: {from} → {to}{why}", printable(&change.name))?;
        }
    }
    if !project.superseded.is_empty() {
        writeln!(out, "  not taking effect:")?;
        for line in project.superseded.iter().map(superseded_line) {
            writeln!(out, "    {line}")?;
        }
    }
    if !project.dates.is_empty() {
        writeln!(out, "  dates:")?;
        for moved in &project.dates {
            let (from, to) = (date(moved.from.as_deref()), date(moved.to.as_deref()));
            writeln!(out, "    {} {}: {from} → {to} ({})", subject(moved), kind(moved.date), causes(moved))?;
        }
    }
    Ok(())
}

/// The report as Markdown, for a pull request comment: a heading per project, the work
/// recorded as a list, the variables and the moved dates as tables. GitHub and GitLab
/// render it as is.
pub fn markdown(out: &mut impl Write, report: &Report) -> io::Result<()> {
    writeln!(out, "## onboard diff: {} → {}", report.from.text(), report.to.text())?;
    if report.projects.is_empty() {
        writeln!(out)?;
        return writeln!(out, "No project changed.");
    }
    for project in &report.projects {
        writeln!(out)?;
        markdown_project(out, project)?;
    }
    Ok(())
}

fn markdown_project(out: &mut impl Write, project: &ProjectDiff) -> io::Result<()> {
    writeln!(out, "### {}", cell(&headline(project)))?;
    if let Some(version) = &project.playbook_version {
        writeln!(out)?;
        writeln!(out, "Playbook version: `{}` → `{}`", short(&version.from), short(&version.to))?;
    }
    let lines: Vec<String> = project
        .lifecycle
        .iter()
        .map(lifecycle_line)
        .chain(project.steps.iter().flat_map(step_lines))
        .chain(project.superseded.iter().map(|s| format!("not taking effect: {}", superseded_line(s))))
        .collect();
    if !lines.is_empty() {
        writeln!(out)?;
        for line in lines {
            writeln!(out, "- {}", cell(&line))?;
        }
    }
    let variables = project.variables.iter().map(|change| {
        let why = change.reason.as_ref().map(reason).unwrap_or_default();
        let name = format!("`{}`", change.name);
        [name, value(change.from.as_ref()), value(change.to.as_ref()), why]
    });
    table(out, &["variable", "from", "to", "why"], variables)?;
    let dates = project.dates.iter().map(|moved| {
        let (from, to) = (date(moved.from.as_deref()), date(moved.to.as_deref()));
        [subject(moved), kind(moved.date).to_string(), from.to_string(), to.to_string(), causes(moved)]
    });
    table(out, &["phase or step", "date", "from", "to", "because"], dates)
}

/// A Markdown table after a blank line; nothing without rows.
fn table<const N: usize>(
    out: &mut impl Write,
    headers: &[&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> io::Result<()> {
    let mut rows = rows.peekable();
    if rows.peek().is_none() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "| {} |", headers.join(" | "))?;
    writeln!(out, "|{}", " --- |".repeat(N))?;
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

/// `opera (data-import)`, with what happened to the project when it is more than a change.
fn headline(project: &ProjectDiff) -> String {
    let name = format!("{} ({})", project.project, project.playbook);
    let archive = project.archive.as_deref().map(printable).unwrap_or_default();
    match project.change {
        Change::Changed => name,
        Change::Added => match &project.started {
            Some(started) => {
                format!("{name}: added, started by {} at {}", printable(&started.by), minute(started.at))
            }
            None => format!("{name}: added"),
        },
        Change::Removed => format!("{name}: removed"),
        Change::Archived if archive.is_empty() => format!("{name}: archived"),
        Change::Unarchived if archive.is_empty() => format!("{name}: unarchived"),
        Change::Archived => format!("{name}: archived to {archive}"),
        Change::Unarchived => format!("{name}: unarchived from {archive}"),
    }
}

/// `archived by ana at 2026-11-02 09:00 (customer withdrew)`, `renamed to coop-central by …`.
fn lifecycle_line(change: &LifecycleChange) -> String {
    let what = match (change.action.as_str(), &change.to) {
        ("archive", _) => "archived".to_string(),
        ("unarchive", _) => "unarchived".to_string(),
        ("delete", _) => "deleted".to_string(),
        ("rename", Some(to)) => format!("renamed to {}", printable(to)),
        ("upgrade", Some(to)) => format!("upgraded to version {}", short(to)),
        (other, _) => printable(other).into_owned(),
    };
    let note =
        change.note.as_deref().map(|n| format!(" ({})", printable(n).replace('\n', " "))).unwrap_or_default();
    format!("{what} by {} at {}{note}", printable(&change.by), minute(change.at))
}

/// ``set J=2027-01-27 by ana at 2026-11-02 09:00: a later value counts, 2027-02-03 (set by
/// bob at 2026-11-02 11:00)``; after a merge, `main`'s later value.
fn superseded_line(s: &Superseded) -> String {
    let yaml = |v: &serde_yaml::Value| printable(&crate::state::project::yaml_text(v)).replace('\n', " ");
    let how = match &s.later.step {
        Some(step) => format!(
            "recorded by {} in `{}` at {}",
            printable(&s.later.by),
            printable(step),
            minute(s.later.at)
        ),
        None => format!("set by {} at {}", printable(&s.later.by), minute(s.later.at)),
    };
    let whose = match &s.after_merge {
        None => "a later value counts".to_string(),
        Some(revision) => format!("once merged into {}, its later value counts", printable(revision)),
    };
    format!(
        "set {}={} by {} at {}: {whose}, {} ({how})",
        printable(&s.name),
        yaml(&s.value),
        printable(&s.by),
        minute(s.at),
        yaml(&s.later.value)
    )
}

/// One line per event the change added or removed.
fn step_lines(change: &StepChange) -> Vec<String> {
    let named = change.step.named();
    let added = change.added.iter().map(|event| format!("{named}: {}", event_text(event)));
    let removed = change.removed.iter().map(|event| format!("{named}: removed: {}", event_text(event)));
    added.chain(removed).collect()
}

/// `completed by ana at 2026-03-03 10:00 (lista recibida)`, `round 2 by bob at …`.
fn event_text(event: &Recorded) -> String {
    let what = match (event.action.as_str(), event.round) {
        ("done", _) => "completed".to_string(),
        ("skip", _) => "skipped".to_string(),
        ("reopen", _) => "reopened".to_string(),
        ("round", Some(n)) => format!("round {n}"),
        (other, _) => format!("`{}`", printable(other)),
    };
    let note = event.note.as_deref().map(|n| format!(" ({})", printable(n))).unwrap_or_default();
    format!("{what} by {} at {}{note}", printable(&event.by), minute(event.at))
}

fn reason(reason: &Reason) -> String {
    match reason {
        Reason::Set { at, by, note } => {
            let note = note.as_deref().map(|n| format!(" ({})", printable(n))).unwrap_or_default();
            format!("set by {} at {}{note}", printable(by), minute(*at))
        }
        Reason::Recorded { step, number, at, by } => {
            let named = match number {
                Some(number) => format!("{number} `{step}`"),
                None => format!("`{step}`"),
            };
            format!("recorded by {named}, completed by {} at {}", printable(by), minute(*at))
        }
    }
}

/// ``3 `secutix-format-data` ``, ``phase III `certification` ``.
fn subject(moved: &DateMove) -> String {
    match moved.node {
        Node::Phase => format!("phase {}", moved.item.named()),
        Node::Step => moved.item.named(),
    }
}

fn kind(kind: DateKind) -> &'static str {
    match kind {
        DateKind::Due => "due",
        DateKind::EarliestStart => "earliest start",
    }
}

fn causes(moved: &DateMove) -> String {
    moved.causes.iter().map(cause).collect::<Vec<_>>().join("; ")
}

fn cause(cause: &Cause) -> String {
    match cause {
        Cause::Variable { name, from, to } => {
            format!("{} {} → {}", printable(name), value(from.as_ref()), value(to.as_ref()))
        }
        Cause::Anchor { anchor, from, to } => {
            let at = |t: &Option<Timestamp>| t.map_or_else(|| "none".to_string(), minute);
            format!("{anchor}: {} → {}", at(from), at(to))
        }
        Cause::Calendar { from, to } => format!("calendar {from} → {to}"),
        Cause::Hours { from, to } => format!("business hours {from} → {to}"),
        Cause::Day { date, from, to } => format!("{date}: {} → {}", printable(from), printable(to)),
        Cause::Playbook { from, to } => format!("playbook version {from} → {to}"),
        Cause::Rule { from, to } => {
            let words =
                |w: &Option<String>| w.as_deref().map_or("none".into(), |w| printable(w).into_owned());
            format!("derivation: {} → {}", words(from), words(to))
        }
    }
}

fn value(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_string(), |v| printable(&v.to_string()).into_owned())
}

fn date(text: Option<&str>) -> &str {
    text.unwrap_or("none")
}

/// The first 12 hex digits of a content hash, as `versions/` names files.
fn short(hash: &str) -> String {
    hash.trim_start_matches("sha256:").chars().take(12).collect()
}

/// `2026-03-03 10:00`, in the offset it was recorded with (the project calendar's).
fn minute(at: Timestamp) -> String {
    at.0.format("%Y-%m-%d %H:%M").to_string()
}

/// Text made safe for one Markdown table cell or list item: no line breaks, no pipes
/// that would split the cell, no HTML.
fn cell(text: &str) -> String {
    printable(text).replace('\n', " ").replace('|', "\\|").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_markdown_cell_keeps_to_its_cell() {
        assert_eq!(cell("a | b\nc <script>"), "a \\| b c &lt;script&gt;");
    }
}
