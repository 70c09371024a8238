//! `onboard check`: overdue and due-soon work across projects; exits 1 when anything is
//! overdue, so that cron or CI can act on it, and 2 when a project could not be read
//! (after listing what the readable ones have due).

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use crate::cli::target::{self, Loaded, Unreadable};
use crate::cli::{Context, SoonArgs};
use crate::deadline::schedule::{Entry, Thresholds, Timing, label_of, named_of, owner_of};
use crate::error::ExitCode;
use crate::playbook::model::Node;
use crate::render::table::{new_table, print, state_text};
use crate::render::{Style, json};
use crate::state::progress;
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

/// One overdue or due-soon phase or step.
struct Finding {
    project: String,
    id: String,
    label: String,
    named: String,
    title: String,
    owners: Vec<String>,
    timing: Timing,
}

pub fn run(ctx: &Context, args: CheckArgs) -> Result<ExitCode> {
    let thresholds = args.soon.thresholds();
    let mut findings = Vec::new();
    let mut unreadable = Vec::new();
    let mut read = 0;
    match args.project {
        // A named project is a single-project command: if it cannot be read, that is the error.
        Some(name) => {
            let loaded = target::load(ctx, &target::project(ctx, Some(name))?)?;
            findings.extend(due_work(ctx, &loaded, thresholds));
            read = 1;
        }
        None => {
            let names = ctx.store.project_names()?;
            for loaded in target::load_each(ctx, &names) {
                match loaded {
                    Ok(loaded) => {
                        findings.extend(due_work(ctx, &loaded, thresholds));
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
        let errors: Vec<_> = unreadable.iter().map(Unreadable::json).collect();
        json::write(&mut out, &json!({"findings": entries, "errors": errors}))?;
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
                f.project.clone(),
                f.named.clone(),
                f.owners.join(", "),
                f.timing.due().short(),
                state_text(&f.timing),
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

/// A project's overdue and due-soon work: overdue first, then by due moment.
fn due_work(ctx: &Context, loaded: &Loaded, thresholds: Thresholds) -> Vec<Finding> {
    let playbook = &loaded.followed.playbook;
    let mut view = progress::compute(playbook, &loaded.file);
    let schedule = loaded.schedule(ctx, &mut view, thresholds);
    let mut found: Vec<Finding> = Vec::new();
    for (id, entry) in &schedule.entries {
        let Entry::Timed(timing) = entry else { continue };
        if !(timing.overdue || timing.soon) {
            continue;
        }
        let title = match playbook.node(id) {
            Some(Node::Step(_, step)) => step.title.clone(),
            Some(Node::Phase(phase)) => phase.title.clone(),
            None => String::new(),
        };
        found.push(Finding {
            project: loaded.name.clone(),
            id: id.clone(),
            label: label_of(playbook, id),
            named: named_of(playbook, id),
            title,
            owners: owner_of(playbook, id),
            timing: timing.clone(),
        });
    }
    found.sort_by_key(|f| (!f.timing.overdue, f.timing.due().end(&loaded.calendar), f.id.clone()));
    target::warn_uncovered(&loaded.calendar);
    found
}

impl Finding {
    fn json(&self) -> serde_json::Value {
        json!({
            "project": self.project, "id": self.id, "label": self.label, "title": self.title,
            "owner": self.owners, "due": self.timing.due().text(), "overdue": self.timing.overdue,
            "due_soon": self.timing.soon, "left": self.timing.left,
        })
    }
}
