//! `onboard check`: overdue and due-soon work across projects; exits 1 when anything is
//! overdue, so that cron or CI can act on it, and 2 when a project could not be read
//! (after listing what the readable ones have due).

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use crate::cli::target::{self, Loaded, Unreadable};
use crate::cli::{Context, SoonArgs};
use crate::deadline::schedule::{
    Entry, Schedule, Start, Thresholds, Timing, Wait, label_of, left, named_of, owner_of,
};
use crate::error::ExitCode;
use crate::playbook::model::Node;
use crate::render::table::{new_table, print, state_text};
use crate::render::{Style, json};
use crate::state::progress::{self, Progress, Status};
use crate::words;

/// List overdue and due-soon work; exit 1 when anything is overdue
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Only this project [default: every project]
    pub project: Option<String>,
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub soon: SoonArgs,
}

/// Which phase or step of which project a row is about, as tables and JSON name it.
struct What {
    project: String,
    id: String,
    label: String,
    named: String,
    title: String,
    owners: Vec<String>,
}

impl What {
    fn of(loaded: &Loaded, id: &str) -> What {
        let playbook = &loaded.followed.playbook;
        let title = match playbook.node(id) {
            Some(Node::Step(_, step)) => step.title.clone(),
            Some(Node::Phase(phase)) => phase.title.clone(),
            None => String::new(),
        };
        What {
            project: loaded.name.clone(),
            id: id.to_string(),
            label: label_of(playbook, id),
            named: named_of(playbook, id),
            title,
            owners: owner_of(playbook, id),
        }
    }

    /// The JSON keys every row starts with, then `rest`.
    fn json(&self, rest: serde_json::Value) -> serde_json::Value {
        let mut object = json!({
            "project": self.project, "id": self.id, "label": self.label, "title": self.title,
            "owner": self.owners,
        });
        if let (Some(object), serde_json::Value::Object(rest)) = (object.as_object_mut(), rest) {
            object.extend(rest);
        }
        object
    }
}

/// A step whose earliest start comes today or soon.
struct Upcoming {
    what: What,
    /// `2026-11-09` (or RFC 3339 for hour rules).
    from: String,
    /// `Mon 9 Nov 2026`.
    when: String,
    /// `today`, `in 2 business days`.
    left: String,
}

/// One overdue or due-soon phase or step.
struct Finding {
    what: What,
    timing: Timing,
}

pub fn run(ctx: &Context, args: CheckArgs) -> Result<ExitCode> {
    let thresholds = args.soon.thresholds();
    let mut findings = Vec::new();
    let mut upcoming = Vec::new();
    let mut unreadable = Vec::new();
    let mut read = 0;
    match args.project {
        // A named project is a single-project command: if it cannot be read, that is the error.
        Some(name) => {
            let loaded = target::load(ctx, &target::project(ctx, Some(name))?)?;
            let (due, ready) = due_work(ctx, &loaded, thresholds);
            target::warn_uncovered(&loaded.calendar);
            findings.extend(due);
            upcoming.extend(ready);
            read = 1;
        }
        None => {
            let names = ctx.store.project_names()?;
            for result in target::each_project(ctx, &names, |loaded| due_work(ctx, loaded, thresholds)) {
                match result {
                    Ok((due, ready)) => {
                        findings.extend(due);
                        upcoming.extend(ready);
                        read += 1;
                    }
                    Err(bad) => unreadable.push(bad),
                }
            }
        }
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let entries: Vec<_> = findings.iter().map(Finding::json).collect();
        let ready: Vec<_> = upcoming.iter().map(Upcoming::json).collect();
        let errors: Vec<_> = unreadable.iter().map(Unreadable::json).collect();
        json::write(&mut out, &json!({"findings": entries, "ready_soon": ready, "errors": errors}))?;
    } else if findings.is_empty() && unreadable.is_empty() {
        writeln!(out, "Nothing is overdue or due soon.")?;
    } else if findings.is_empty() {
        // Not a clean bill: the unreadable projects may have overdue work.
        let read = words::count(read, "project");
        writeln!(out, "Nothing is overdue or due soon in the {read} that could be read.")?;
    } else {
        let mut table = new_table(Style { color: ctx.color }, &["Project", "What", "Owner", "Due", "State"]);
        for f in &findings {
            table.add_row(vec![
                f.what.project.clone(),
                f.what.named.clone(),
                f.what.owners.join(", "),
                f.timing.due().short(),
                state_text(&f.timing),
            ]);
        }
        print(&mut out, &table)?;
    }
    if !args.json && !upcoming.is_empty() {
        writeln!(out, "\nBecoming ready:")?;
        let mut table =
            new_table(Style { color: ctx.color }, &["Project", "What", "Owner", "Ready on", "State"]);
        for u in &upcoming {
            table.add_row(vec![
                u.what.project.clone(),
                u.what.named.clone(),
                u.what.owners.join(", "),
                u.when.clone(),
                u.left.clone(),
            ]);
        }
        print(&mut out, &table)?;
    }
    out.flush()?;
    target::report_unreadable(&unreadable)?;
    // A file that could not be read may hide overdue work: that is worse than overdue work seen.
    Ok(if !unreadable.is_empty() {
        ExitCode::Error
    } else if findings.iter().any(|f| f.timing.overdue) {
        ExitCode::Attention
    } else {
        ExitCode::Success
    })
}

/// A project's overdue and due-soon work (overdue first, then by due moment), and the
/// steps whose earliest start comes today or soon (by that moment).
fn due_work(ctx: &Context, loaded: &Loaded, thresholds: Thresholds) -> (Vec<Finding>, Vec<Upcoming>) {
    let playbook = &loaded.followed.playbook;
    let mut view = progress::compute(playbook, &loaded.file);
    let schedule = loaded.schedule(ctx, &mut view, thresholds);
    let mut found: Vec<Finding> = Vec::new();
    for (id, entry) in &schedule.entries {
        let Entry::Timed(timing) = entry else { continue };
        if !(timing.overdue || timing.soon) {
            continue;
        }
        found.push(Finding { what: What::of(loaded, id), timing: timing.clone() });
    }
    found.sort_by_key(|f| (!f.timing.overdue, f.timing.due().end(&loaded.calendar), f.what.id.clone()));
    let ready = upcoming(ctx, loaded, &view, &schedule);
    (found, ready)
}

/// Steps still to do whose earliest start is today, or soon.
fn upcoming(ctx: &Context, loaded: &Loaded, view: &Progress<'_>, schedule: &Schedule) -> Vec<Upcoming> {
    let calendar = &loaded.calendar;
    let now = ctx.now(loaded.file.calendar()).0;
    let today = now.with_timezone(&calendar.zone).date_naive();
    let mut ready: Vec<(&Wait, Upcoming)> = Vec::new();
    for step in view.steps().filter(|s| matches!(s.status, Status::Ready | Status::Scheduled)) {
        let Some(Start::Dated(wait)) = schedule.starts.get(&step.step.id) else { continue };
        let comes_today = wait.from.with_timezone(&calendar.zone).date_naive() == today;
        if !(wait.soon || comes_today) {
            continue;
        }
        let left = match wait.waiting {
            true => left(calendar, &wait.derivation, now),
            false => "ready now".to_string(),
        };
        let upcoming = Upcoming {
            what: What::of(loaded, &step.step.id),
            from: wait.derivation.due.text(),
            when: wait.when(calendar),
            left,
        };
        ready.push((wait, upcoming));
    }
    ready.sort_by_key(|(wait, u)| (wait.from, u.what.id.clone()));
    ready.into_iter().map(|(_, u)| u).collect()
}

impl Upcoming {
    fn json(&self) -> serde_json::Value {
        self.what.json(json!({"not_before": self.from, "left": self.left}))
    }
}

impl Finding {
    fn json(&self) -> serde_json::Value {
        self.what.json(json!({
            "due": self.timing.due().text(), "overdue": self.timing.overdue,
            "due_soon": self.timing.soon, "left": self.timing.left,
        }))
    }
}
