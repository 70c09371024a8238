//! `onboard check`: overdue and due-soon work across projects; exits 1 when anything is
//! overdue, so that cron or CI can act on it.

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use crate::cli::{Context, SoonArgs, target};
use crate::deadline::schedule::{Entry, label_of, owner_of};
use crate::error::ExitCode;
use crate::playbook::model::Node;
use crate::render::table::{new_table, print};
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
    title: String,
    owners: Vec<String>,
    due: String,
    due_short: String,
    overdue: bool,
    left: String,
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
                title,
                owners: owner_of(playbook, id),
                due: timing.due().text(),
                due_short: timing.due().short(),
                overdue: timing.overdue,
                left: timing.left.clone(),
            });
        }
        found.sort_by(|a, b| (!a.overdue, &a.due, &a.id).cmp(&(!b.overdue, &b.due, &b.id)));
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
                    "due": f.due, "overdue": f.overdue, "due_soon": !f.overdue, "left": f.left,
                })
            })
            .collect();
        json::write(&mut out, &serde_json::Value::Array(entries))?;
    } else if findings.is_empty() {
        writeln!(out, "Nothing is overdue or due soon.")?;
    } else {
        let mut table = new_table(Style { color: ctx.color }, &["Project", "What", "Owner", "Due", "State"]);
        for f in &findings {
            let state = if f.overdue { f.left.clone() } else { format!("due soon, {}", f.left) };
            table.add_row(vec![
                f.project.clone(),
                format!("{} `{}`", f.label, f.id),
                f.owners.join(", "),
                f.due_short.clone(),
                state,
            ]);
        }
        print(&mut out, &table)?;
    }
    out.flush()?;
    Ok(if findings.iter().any(|f| f.overdue) { ExitCode::Overdue } else { ExitCode::Success })
}
