//! `onboard check`: overdue and due-soon work across projects; exits 1 when anything is
//! overdue, so that cron or CI can act on it.

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use crate::cli::{Context, SoonArgs, target};
use crate::deadline::schedule::{Entry, Timing, label_of, named_of, owner_of};
use crate::error::ExitCode;
use crate::playbook::model::Node;
use crate::render::table::{new_table, print, state_text};
use crate::render::{Style, json};
use crate::state::progress;

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
    let names = match args.project {
        Some(name) => vec![target::project(ctx, Some(name))?],
        None => ctx.store.project_names()?,
    };
    let mut findings = Vec::new();
    for name in &names {
        let loaded = target::load(ctx, name)?;
        let playbook = &loaded.followed.playbook;
        let view = progress::compute(playbook, &loaded.file);
        let schedule = loaded.schedule(ctx, &view, args.soon.thresholds());
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
                project: name.clone(),
                id: id.clone(),
                label: label_of(playbook, id),
                named: named_of(playbook, id),
                title,
                owners: owner_of(playbook, id),
                timing: timing.clone(),
            });
        }
        found.sort_by_key(|f| (!f.timing.overdue, f.timing.due().end(&loaded.calendar), f.id.clone()));
        findings.extend(found);
        target::warn_uncovered(&loaded.calendar);
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let entries: Vec<_> = findings
            .iter()
            .map(|f| {
                json!({
                    "project": f.project, "id": f.id, "label": f.label, "title": f.title, "owner": f.owners,
                    "due": f.timing.due().text(), "overdue": f.timing.overdue, "due_soon": f.timing.soon,
                    "left": f.timing.left,
                })
            })
            .collect();
        json::write(&mut out, &serde_json::Value::Array(entries))?;
    } else if findings.is_empty() {
        writeln!(out, "Nothing is overdue or due soon.")?;
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
    Ok(if findings.iter().any(|f| f.timing.overdue) { ExitCode::Overdue } else { ExitCode::Success })
}
