//! `onboard log`: a project's audit trail, oldest first.

use clap_complete::engine::ArgValueCompleter;
use std::io::Write;

use anyhow::Result;

use crate::cli::complete;
use crate::cli::{Context, target};
use crate::error::ExitCode;
use crate::render::{json, table};
use crate::state::history::trail;

/// Show a project's audit trail: who did what, and when (archived projects too)
#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The project [default: the only one]
    #[arg(add = ArgValueCompleter::new(complete::projects))]
    pub project: Option<String>,
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
    /// Show each event's id (its file's name), which `onboard retract` takes
    #[arg(long)]
    pub ids: bool,
}

pub fn run(ctx: &Context, args: LogArgs) -> Result<ExitCode> {
    let name = target::project(ctx, args.project)?;
    let loaded = target::load_shown(ctx, &name)?;
    let playbook = &loaded.playbook;
    let events: Vec<_> = trail(&loaded.file)
        .into_iter()
        .map(|entry| (entry.step.and_then(|id| playbook.step(id)).map(|(_, s)| s), entry))
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        json::write(&mut out, &json::log::log(&loaded.file, &events))?;
    } else {
        table::log(&mut out, &events, args.ids, ctx.style())?;
    }
    out.flush()?;
    Ok(ExitCode::Success)
}
