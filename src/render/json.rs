//! `--json` output: stable, documented shapes (see docs/json.md), pretty-printed.

use std::io::{self, Write};
use std::path::Path;

use serde_json::{Map, Value as Json, json};

use super::table::{PortfolioRow, origin_text};
use crate::deadline::schedule::{Entry, Schedule, Start, on_time};
use crate::playbook::catalog::Listed;
use crate::playbook::model::Default;
use crate::playbook::{Phase, Playbook, Step, Variable};
use crate::state::health::Finding;
use crate::state::history::LogEntry;
use crate::state::progress::{PhaseView, Progress, StepView};
use crate::state::project::{ProjectFile, yaml_text};

pub fn write(out: &mut impl Write, value: &Json) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

pub fn status(file: &ProjectFile, progress: &Progress<'_>, schedule: &Schedule, changed: bool) -> Json {
    let vars: Map<String, Json> = progress.vars.iter().map(|(k, v)| (k.clone(), v.to_json())).collect();
    json!({
        "project": file.project,
        "playbook": file.playbook,
        "playbook_hash": file.playbook_hash,
        "playbook_changed": changed,
        "calendar": file.calendar(),
        "started_at": file.started_at().to_string(),
        "started_by": file.start.by,
        "vars": vars,
        "on_time": on_time_json(on_time(schedule)),
        "phases": progress.phases.iter().map(|p| phase_status(p, schedule)).collect::<Vec<_>>(),
    })
}

/// `{"on_time": 3, "finished": 4}`: finished work with a due moment, and how much of it
/// was finished on time.
pub fn on_time_json((on_time, finished): (usize, usize)) -> Json {
    json!({"on_time": on_time, "finished": finished})
}

/// `due`, `overdue`, `due_soon`, `left`, `due_pending`, `late` and `late_by` for one
/// phase or step.
fn deadline(schedule: &Schedule, id: &str) -> [(&'static str, Json); 7] {
    let none = (Json::Null, false, false, Json::Null, Json::Null, Json::Null, Json::Null);
    let (due, overdue, soon, left, pending, late, late_by) = match schedule.get(id) {
        Some(Entry::Timed(t)) => (
            json!(t.due().text()),
            t.overdue,
            t.soon,
            json!(t.left),
            Json::Null,
            json!(t.late()),
            json!(t.late_by),
        ),
        Some(Entry::Pending(why)) => {
            (Json::Null, false, false, Json::Null, json!(why), Json::Null, Json::Null)
        }
        None => none,
    };
    [
        ("due", due),
        ("overdue", json!(overdue)),
        ("due_soon", json!(soon)),
        ("left", left),
        ("due_pending", pending),
        ("late", late),
        ("late_by", late_by),
    ]
}

/// A step's earliest start still to come (`2026-11-09`, or RFC 3339 for hour rules).
fn not_before(schedule: &Schedule, id: &str) -> Json {
    match schedule.starts.get(id) {
        Some(Start::Dated(wait)) => json!(wait.derivation.due.text()),
        _ => Json::Null,
    }
}

/// Replaces the placeholder deadline keys of `object` in place, keeping their order.
fn with_deadline(mut object: Json, schedule: &Schedule, id: &str) -> Json {
    for (key, value) in deadline(schedule, id) {
        object[key] = value;
    }
    object
}

fn phase_status(view: &PhaseView<'_>, schedule: &Schedule) -> Json {
    let object = json!({
        "id": view.phase.id,
        "number": view.phase.number,
        "title": view.phase.title,
        "status": view.status.as_str(),
        "started_at": view.started_at.map(|t| crate::state::project::Timestamp(t).to_string()),
        "due": Json::Null,
        "overdue": false,
        "due_soon": false,
        "left": Json::Null,
        "due_pending": Json::Null,
        "late": Json::Null,
        "late_by": Json::Null,
        "steps": view.steps.iter().map(|s| step_status(s, schedule)).collect::<Vec<_>>(),
    });
    with_deadline(object, schedule, &view.phase.id)
}

fn step_status(view: &StepView<'_>, schedule: &Schedule) -> Json {
    let record = &view.record;
    let values: Map<String, Json> = match view.status {
        crate::state::progress::Status::Done => {
            record.values().iter().map(|(k, v)| (k.clone(), yaml_json(v))).collect()
        }
        _ => Map::new(),
    };
    let iterations: Vec<Json> =
        record.rounds.iter().map(|i| json!({"at": i.at.to_string(), "by": i.by, "note": i.note})).collect();
    let done =
        matches!(view.status, crate::state::progress::Status::Done | crate::state::progress::Status::Skipped);
    let mark = record.marks.first().filter(|_| done);
    let object = json!({
        "id": view.step.id,
        "number": view.step.number,
        "title": view.step.title,
        "owner": view.step.owners,
        "status": view.status.as_str(),
        "reason": view.reason,
        "started_at": view.started_at.map(|t| crate::state::project::Timestamp(t).to_string()),
        "due": Json::Null,
        "overdue": false,
        "due_soon": false,
        "left": Json::Null,
        "due_pending": Json::Null,
        "late": Json::Null,
        "late_by": Json::Null,
        "not_before": not_before(schedule, &view.step.id),
        "done_at": mark.map(|m| m.at.to_string()),
        "done_by": mark.map(|m| m.by.clone()),
        "note": mark.and_then(|m| m.note.clone()),
        "open_prerequisites": view.ahead_of,
        "fields": view.step.fields.iter().map(field).collect::<Vec<_>>(),
        "values": values,
        "iterations": iterations,
    });
    with_deadline(object, schedule, &view.step.id)
}

fn field(variable: &Variable) -> Json {
    let choices = match &variable.kind {
        crate::playbook::value::ValueKind::Choice(choices) => json!(choices),
        _ => Json::Null,
    };
    json!({"name": variable.name, "type": variable.kind.name(), "required": variable.required, "choices": choices})
}

fn yaml_json(value: &serde_yaml::Value) -> Json {
    serde_json::to_value(value).unwrap_or_else(|_| Json::String(yaml_text(value)))
}

/// The portfolio: one entry per readable project, and the projects that could not be read.
pub fn portfolio(rows: &[PortfolioRow], errors: Vec<Json>) -> Json {
    let entries: Vec<Json> = rows
        .iter()
        .map(|row| {
            json!({
                "project": row.project, "playbook": row.playbook, "current_phase": row.phase_id,
                "finished": row.finished, "steps": row.total, "next_due": row.next_due_json,
                "overdue": row.overdue, "on_time": on_time_json(row.on_time), "archived": row.archived,
            })
        })
        .collect();
    json!({"projects": entries, "errors": errors})
}

/// A project file that could not be read: the whole error on one line, and its hint.
pub fn unreadable(project: &str, path: &Path, error: &anyhow::Error) -> Json {
    json!({
        "project": project,
        "path": path.display().to_string(),
        "error": crate::error::message(error),
        "hint": crate::error::hint(error),
    })
}

/// `doctor`'s findings, in the order found.
pub fn findings(findings: &[Finding]) -> Json {
    let entries: Vec<Json> = findings
        .iter()
        .map(|f| {
            json!({
                "project": f.project, "path": f.path.display().to_string(), "kind": f.kind.as_str(),
                "message": f.message, "hint": f.hint,
            })
        })
        .collect();
    Json::Array(entries)
}

pub fn log(file: &ProjectFile, events: &[(Option<&Step>, LogEntry<'_>)]) -> Json {
    let entries: Vec<Json> = events
        .iter()
        .map(|(step, event)| {
            let values: Map<String, Json> =
                event.values.iter().map(|(k, v)| (k.clone(), yaml_json(v))).collect();
            json!({
                "at": event.at.to_string(),
                "by": event.by,
                "action": event.action,
                "step": step.map(|s| s.id.clone()),
                "number": step.and_then(|s| s.number.clone()),
                "note": event.note,
                "values": values,
                "was": event.was,
                "tool": event.tool,
            })
        })
        .collect();
    json!({"project": file.project, "events": entries})
}

pub fn playbooks(listed: &[Listed]) -> Json {
    let entries: Vec<Json> = listed
        .iter()
        .map(|entry| match &entry.playbook {
            Ok(p) => json!({
                "id": p.id, "title": p.title, "source": p.source, "phases": p.phases.len(),
                "steps": p.step_count(), "origin": origin_text(entry), "path": path(entry), "overrides": entry.overrides,
                "valid": true, "hash": p.hash,
            }),
            Err(e) => json!({
                "id": entry.id, "title": Json::Null, "source": Json::Null, "phases": Json::Null, "steps": Json::Null,
                "origin": origin_text(entry), "path": path(entry), "overrides": entry.overrides, "valid": false, "error": e.to_string(),
            }),
        })
        .collect();
    Json::Array(entries)
}

fn path(entry: &Listed) -> Json {
    match &entry.origin {
        crate::playbook::Origin::File(path) => json!(path.display().to_string()),
        crate::playbook::Origin::Bundled => Json::Null,
    }
}

pub fn playbook(p: &Playbook) -> Json {
    json!({
        "id": p.id,
        "title": p.title,
        "source": p.source,
        "language": p.language,
        "calendar": p.calendar,
        "business_hours": p.business_hours.map(|(o, c)| format!("{}-{}", o.format("%H:%M"), c.format("%H:%M"))),
        "business_hours_assumed": p.hours_assumed,
        "description": p.description,
        "assumptions": p.assumptions,
        "hash": p.hash,
        "roles": p.roles.iter().map(|r| json!({"id": r.id, "name": r.name, "description": r.description})).collect::<Vec<_>>(),
        "variables": p.variables.iter().map(variable).collect::<Vec<_>>(),
        "phases": p.phases.iter().map(phase).collect::<Vec<_>>(),
    })
}

fn variable(v: &Variable) -> Json {
    let mut out = field(v);
    let default = match &v.default {
        Some(Default::Value(value)) => value.to_json(),
        Some(Default::Now) => json!("now"),
        None => Json::Null,
    };
    out["default"] = default;
    out["description"] = json!(v.description);
    out
}

fn phase(p: &Phase) -> Json {
    json!({
        "id": p.id, "number": p.number, "title": p.title, "description": p.description, "owner": p.owners,
        "after": p.after, "when": p.when.as_ref().map(|c| c.to_string()), "parallel": p.parallel,
        "deadline": p.deadline.as_ref().map(|d| json!({"rule": d.rule.to_string(), "text": d.text})),
        "steps": p.steps.iter().map(step).collect::<Vec<_>>(),
    })
}

fn step(s: &Step) -> Json {
    json!({
        "id": s.id, "number": s.number, "title": s.title, "description": s.description, "owner": s.owners,
        "after": s.after, "when": s.when.as_ref().map(|c| c.to_string()), "optional": s.optional,
        "repeatable": s.repeatable, "signoff": s.signoff,
        "fields": s.fields.iter().map(variable).collect::<Vec<_>>(),
        "deadline": s.deadline.as_ref().map(|d| json!({"rule": d.rule.to_string(), "text": d.text})),
        "not_before": s.not_before.as_ref().map(|d| json!({"rule": d.rule.earliest_text(), "text": d.text})),
    })
}
