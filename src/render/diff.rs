//! `onboard diff` printed: as text for a terminal, as Markdown for a pull request
//! comment; the JSON is the report itself, serialized (docs/json.md).

use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use super::markup::{name, text as markdown_text};
use super::one_line;
use crate::playbook::value::Value;
use crate::state::diff::{
    Cause, Change, DateKind, DateMove, LifecycleChange, Node, ProjectDiff, Reason, Recorded, StepChange,
    Superseded,
};
use crate::state::project::Timestamp;

/// One side of the comparison.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct Version {
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
pub(crate) struct Report {
    /// The old version: `{"name", "commit"}`. `name` is the revision as given (`"HEAD"`,
    /// `"main"`), or `"merge base of main and HEAD"` for `main...HEAD`; `commit` its full hash.
    pub from: Version,
    /// The new version, the same way; `{"name": "working tree", "commit": null}` for the
    /// files on disk.
    pub to: Version,
    /// The projects that changed, sorted by name; `[]` when none did.
    pub projects: Vec<ProjectDiff>,
    /// The project files that could not be read at either version, as the portfolio
    /// commands list them ([the `errors` list](#the-errors-list); `path` is `REV:path` for a
    /// file read from git, as `git show` takes it). Exit code 2, after printing the rest.
    pub errors: Vec<super::json::Unreadable>,
}

/// How a line of the report shows text from a file or an argument (a name, a value, who
/// did it): `shown` on a terminal, `markup::text` in Markdown.
type Quote = fn(&str) -> String;

/// Text on one line of a terminal: escapes shown, a line break as `\n`.
fn shown(text: &str) -> String {
    one_line(text).into_owned()
}

/// One line of the report with the note recorded with it, which the text quotes on lines
/// of its own under the line when it has several, and Markdown adds in parentheses.
struct Line<'a> {
    line: String,
    note: Option<&'a str>,
}

impl<'a> Line<'a> {
    fn new(line: String, note: Option<&'a str>) -> Self {
        Line { line, note }
    }

    /// `line (note)` for a note of one line; a note of several lines follows on lines of
    /// their own, each after `│ ` and indented under the line, so that no line of a note
    /// can pass for a line of the report.
    fn write_text(&self, out: &mut impl Write, indent: &str) -> io::Result<()> {
        match self.note {
            None => writeln!(out, "{indent}{}", self.line),
            Some(note) if !note.contains('\n') => writeln!(out, "{indent}{} ({})", self.line, shown(note)),
            Some(note) => {
                writeln!(out, "{indent}{}:", self.line)?;
                for line in note.lines() {
                    writeln!(out, "{indent}  │ {}", shown(line))?;
                }
                Ok(())
            }
        }
    }

    /// `line (note)`, the note as Markdown text (one line).
    fn markdown(&self) -> String {
        match self.note {
            None => self.line.clone(),
            Some(note) => format!("{} ({})", self.line, markdown_text(note)),
        }
    }
}

/// The report as text.
pub(crate) fn text(out: &mut impl Write, report: &Report) -> io::Result<()> {
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
    writeln!(out, "{}", headline(project, shown))?;
    if let Some(version) = &project.playbook_version {
        writeln!(out, "  playbook version: {} → {}", short(&version.from), short(&version.to))?;
    }
    let variables = project.variables.iter().map(|change| {
        let (from, to) = (value(change.from.as_ref(), shown), value(change.to.as_ref(), shown));
        let line = format!("{}: {from} → {to}", shown(&change.name));
        match change.reason.as_ref().map(|r| reason(r, shown)) {
            Some(why) => Line::new(format!("{line}, {}", why.line), why.note),
            None => Line::new(line, None),
        }
    });
    let dates = project.dates.iter().map(|moved| {
        let (from, to) = (date(moved.from.as_deref()), date(moved.to.as_deref()));
        let line =
            format!("{} {}: {from} → {to} ({})", subject(moved), kind(moved.date), causes(moved, shown));
        Line::new(line, None)
    });
    let sections: [(&str, Vec<Line<'_>>); 5] = [
        ("project", project.lifecycle.iter().map(|change| lifecycle_line(change, shown)).collect()),
        ("steps", project.steps.iter().flat_map(|change| step_lines(change, shown)).collect()),
        ("variables", variables.collect()),
        (
            "not taking effect",
            project.superseded.iter().map(|s| Line::new(superseded_line(s, shown), None)).collect(),
        ),
        ("dates", dates.collect()),
    ];
    for (heading, lines) in sections.into_iter().filter(|(_, lines)| !lines.is_empty()) {
        writeln!(out, "  {heading}:")?;
        for line in lines {
            line.write_text(out, "    ")?;
        }
    }
    Ok(())
}

/// The report as Markdown, for a pull request comment: a heading per project, the work
/// recorded as a list, the variables and the moved dates as tables. GitHub and GitLab
/// render it as is.
pub(crate) fn markdown(out: &mut impl Write, report: &Report) -> io::Result<()> {
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
    writeln!(out, "### {}", headline(project, markdown_text))?;
    if let Some(version) = &project.playbook_version {
        writeln!(out)?;
        writeln!(out, "Playbook version: `{}` → `{}`", short(&version.from), short(&version.to))?;
    }
    let lines: Vec<String> = project
        .lifecycle
        .iter()
        .map(|change| lifecycle_line(change, markdown_text).markdown())
        .chain(
            project.steps.iter().flat_map(|change| step_lines(change, markdown_text)).map(|l| l.markdown()),
        )
        .chain(
            project
                .superseded
                .iter()
                .map(|s| format!("not taking effect: {}", superseded_line(s, markdown_text))),
        )
        .collect();
    if !lines.is_empty() {
        writeln!(out)?;
        for line in lines {
            writeln!(out, "- {line}")?;
        }
    }
    let variables = project.variables.iter().map(|change| {
        let why = change.reason.as_ref().map(|r| reason(r, markdown_text).markdown()).unwrap_or_default();
        let (from, to) =
            (value(change.from.as_ref(), markdown_text), value(change.to.as_ref(), markdown_text));
        [name(&change.name), from, to, why]
    });
    table(out, &["variable", "from", "to", "why"], variables)?;
    let dates = project.dates.iter().map(|moved| {
        let (from, to) = (date(moved.from.as_deref()), date(moved.to.as_deref()));
        let causes = causes(moved, markdown_text);
        [subject(moved), kind(moved.date).to_string(), from.to_string(), to.to_string(), causes]
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
        writeln!(out, "| {} |", row.join(" | "))?;
    }
    Ok(())
}

/// `opera (data-import)`, with what happened to the project when it is more than a change.
fn headline(project: &ProjectDiff, quote: Quote) -> String {
    let name = format!("{} ({})", quote(&project.project), quote(&project.playbook));
    let archive = project.archive.as_deref().map(quote).unwrap_or_default();
    match project.change {
        Change::Changed => name,
        Change::Added => match &project.started {
            Some(started) => {
                format!("{name}: added, started by {} at {}", quote(&started.by), minute(started.at))
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
fn lifecycle_line(change: &LifecycleChange, quote: Quote) -> Line<'_> {
    let what = match (change.action.as_str(), &change.to) {
        ("archive", _) => "archived".to_string(),
        ("unarchive", _) => "unarchived".to_string(),
        ("delete", _) => "deleted".to_string(),
        ("rename", Some(to)) => format!("renamed to {}", quote(to)),
        ("upgrade", Some(to)) => format!("upgraded to version {}", short(to)),
        (other, _) => quote(other),
    };
    Line::new(format!("{what} by {} at {}", quote(&change.by), minute(change.at)), change.note.as_deref())
}

/// ``set J=2027-01-27 by ana at 2026-11-02 09:00: a later value counts, 2027-02-03 (set by
/// bob at 2026-11-02 11:00)``; after a merge, `main`'s later value.
fn superseded_line(s: &Superseded, quote: Quote) -> String {
    let yaml = |v: &serde_yaml::Value| quote(&crate::state::project::yaml_text(v));
    let how = match &s.later.step {
        Some(step) => {
            format!("recorded by {} in `{}` at {}", quote(&s.later.by), quote(step), minute(s.later.at))
        }
        None => format!("set by {} at {}", quote(&s.later.by), minute(s.later.at)),
    };
    let whose = match &s.after_merge {
        None => "a later value counts".to_string(),
        Some(revision) => format!("once merged into {}, its later value counts", quote(revision)),
    };
    format!(
        "set {}={} by {} at {}: {whose}, {} ({how})",
        quote(&s.name),
        yaml(&s.value),
        quote(&s.by),
        minute(s.at),
        yaml(&s.later.value)
    )
}

/// One line per event the change added or removed.
fn step_lines(change: &StepChange, quote: Quote) -> Vec<Line<'_>> {
    let named = change.step.named();
    let added = change.added.iter().map(|event| ("", event));
    let removed = change.removed.iter().map(|event| ("removed: ", event));
    added
        .chain(removed)
        .map(|(how, event)| {
            Line::new(format!("{named}: {how}{}", event_text(event, quote)), event.note.as_deref())
        })
        .collect()
}

/// `completed by ana at 2026-03-03 10:00 (lista recibida)`, `round 2 by bob at …`.
fn event_text(event: &Recorded, quote: Quote) -> String {
    let what = match (event.action.as_str(), event.round) {
        ("done", _) => "completed".to_string(),
        ("skip", _) => "skipped".to_string(),
        ("reopen", _) => "reopened".to_string(),
        ("retract", _) => "an earlier event retracted".to_string(),
        ("round", Some(n)) => format!("round {n}"),
        (other, _) => quote(other),
    };
    format!("{what} by {} at {}", quote(&event.by), minute(event.at))
}

fn reason(reason: &Reason, quote: Quote) -> Line<'_> {
    match reason {
        Reason::Set { at, by, note } => {
            Line::new(format!("set by {} at {}", quote(by), minute(*at)), note.as_deref())
        }
        Reason::Recorded { step, number, at, by } => {
            let named = match number {
                Some(number) => format!("{number} `{step}`"),
                None => format!("`{step}`"),
            };
            Line::new(format!("recorded by {named}, completed by {} at {}", quote(by), minute(*at)), None)
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

fn causes(moved: &DateMove, quote: Quote) -> String {
    moved.causes.iter().map(|c| cause(c, quote)).collect::<Vec<_>>().join("; ")
}

fn cause(cause: &Cause, quote: Quote) -> String {
    match cause {
        Cause::Variable { name, from, to } => {
            format!("{} {} → {}", quote(name), value(from.as_ref(), quote), value(to.as_ref(), quote))
        }
        Cause::Anchor { anchor, from, to } => {
            let at = |t: &Option<Timestamp>| t.map_or_else(|| "none".to_string(), minute);
            format!("{anchor}: {} → {}", at(from), at(to))
        }
        Cause::Calendar { from, to } => format!("calendar {from} → {to}"),
        Cause::Hours { from, to } => format!("business hours {from} → {to}"),
        Cause::Day { date, from, to } => format!("{date}: {} → {}", quote(from), quote(to)),
        Cause::Playbook { from, to } => format!("playbook version {from} → {to}"),
        Cause::Rule { from, to } => {
            let words = |w: &Option<String>| w.as_deref().map_or("none".into(), quote);
            format!("derivation: {} → {}", words(from), words(to))
        }
    }
}

fn value(value: Option<&Value>, quote: Quote) -> String {
    value.map_or_else(|| "none".to_string(), |v| quote(&v.to_string()))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line<'_>) -> String {
        let mut out = Vec::new();
        line.write_text(&mut out, "    ").unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_note_of_several_lines_is_quoted_under_its_line_and_cannot_forge_one() {
        let forged = "sent\n  steps:\n    4 `deliver-data`: completed by eve\u{1b}[2J";
        let line = Line::new("4 `deliver-data`: completed by ana at 2026-11-03 10:00".into(), Some(forged));
        assert_eq!(
            text(&line),
            "    4 `deliver-data`: completed by ana at 2026-11-03 10:00:
      │ sent
      │   steps:
      │     4 `deliver-data`: completed by eve\\u{1b}[2J
"
        );
        let one = Line::new("archived by ana".into(), Some("done\r\u{2028}"));
        assert_eq!(text(&one), "    archived by ana (done\\u{d}\\u{2028})\n");
        assert_eq!(text(&Line::new("reopened by ana".into(), None)), "    reopened by ana\n");
    }

    #[test]
    fn a_note_in_markdown_is_text_in_parentheses() {
        let line = Line::new("archived by ana".into(), Some("[x](https://evil)\n@everyone"));
        assert_eq!(line.markdown(), "archived by ana (\\[x\\](https\\://evil) @\u{200b}everyone)");
    }
}
