//! `onboard show`: a playbook as a reviewer audits it against its document, wrapped to
//! the output width.

use clap_complete::engine::ArgValueCompleter;

use anyhow::Result;

use crate::cli::Context;
use crate::cli::complete;
use crate::cli::pager::Output;
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::playbook::catalog;
use crate::render::{document, json};

/// Show a playbook: its assumptions, phases and steps with every description, owner,
/// field, condition and time limit
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The playbook id
    #[arg(add = ArgValueCompleter::new(complete::playbooks))]
    pub playbook: String,
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn run(ctx: &Context, args: ShowArgs) -> Result<ExitCode> {
    let Some(playbook) = catalog::find(&ctx.store.root, &args.playbook)? else {
        return Err(hinted(format!("no playbook `{}`", args.playbook), "`onboard playbooks` lists them"));
    };
    let mut out = Output::new(ctx.pager.as_ref().filter(|_| !args.json));
    if args.json {
        json::write(&mut out, &json::playbook::playbook(&playbook))?;
    } else {
        document::show(&mut out, &playbook, ctx.width, ctx.style())?;
    }
    out.finish()?;
    Ok(ExitCode::Success)
}
