//! `onboard status`: one project's phases and steps, or a portfolio of all projects.

use std::io::Write;

use anyhow::Result;

use crate::cli::{Context, target};
use crate::error::ExitCode;
use crate::render::table::PortfolioRow;
use crate::render::{Style, json, table};
use crate::state::progress;

/// Show where a project stands, or every project when there are several
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The project [default: the only one; with several, a portfolio of all]
    pub project: Option<String>,
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: StatusArgs) -> Result<ExitCode> {
    let names = match &args.project {
        Some(_) => Vec::new(),
        None => ctx.store.project_names()?,
    };
    if args.project.is_none() && names.len() > 1 {
        return portfolio(ctx, &names, args.json);
    }
    let name = target::project(ctx, args.project)?;
    let loaded = target::load(ctx, &name)?;
    let playbook = &loaded.followed.playbook;
    let view = progress::compute(playbook, &loaded.file);
    let changed = loaded.followed.changed.is_some();
    let mut out = std::io::stdout().lock();
    if args.json {
        json::write(&mut out, &json::status(&loaded.file, &view, changed))?;
    } else {
        table::status(&mut out, &loaded.file, playbook, &view, changed, Style { color: ctx.color })?;
    }
    out.flush()?;
    Ok(ExitCode::Success)
}

fn portfolio(ctx: &Context, names: &[String], as_json: bool) -> Result<ExitCode> {
    let mut rows = Vec::new();
    let mut entries = Vec::new();
    for name in names {
        let loaded = target::load(ctx, name)?;
        let view = progress::compute(&loaded.followed.playbook, &loaded.file);
        let (finished, total) = view.counts();
        let phase = view
            .current_phase()
            .map(|p| format!("{} {}", p.phase.label(), p.phase.title))
            .unwrap_or_else(|| "finished".into());
        entries.push(serde_json::json!({
            "project": name, "playbook": loaded.file.playbook, "current_phase": view.current_phase().map(|p| p.phase.id.clone()),
            "finished": finished, "steps": total, "next_due": null, "overdue": 0,
        }));
        rows.push(PortfolioRow {
            project: name.clone(),
            playbook: loaded.file.playbook.clone(),
            phase,
            finished,
            total,
        });
    }
    let mut out = std::io::stdout().lock();
    if as_json {
        json::write(&mut out, &serde_json::Value::Array(entries))?;
    } else {
        table::portfolio(&mut out, &rows, Style { color: ctx.color })?;
    }
    out.flush()?;
    Ok(ExitCode::Success)
}
