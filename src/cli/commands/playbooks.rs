//! `onboard playbooks`: the bundled and local playbooks, and which local ones override.

use std::io::Write;

use anyhow::Result;

use crate::cli::Context;
use crate::error::ExitCode;
use crate::playbook::catalog;
use crate::render::{json, one_line, table};

/// List the playbooks: bundled ones and those in the state directory's playbooks/
#[derive(Debug, clap::Args)]
pub struct PlaybooksArgs {
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn run(ctx: &Context, args: PlaybooksArgs) -> Result<ExitCode> {
    let listed = catalog::list(&ctx.store.root)?;
    let mut out = crate::cli::ui::stdout();
    if args.json {
        json::write(&mut out, &json::playbook::playbooks(&listed))?;
    } else {
        table::playbooks(&mut out, &listed, ctx.style())?;
    }
    out.flush()?;
    for entry in &listed {
        if entry.overrides
            && let crate::playbook::Origin::File(path) = &entry.origin
        {
            let path = path.display().to_string();
            say!(
                "note: local playbook `{}` ({}) overrides the bundled one",
                one_line(&entry.id),
                one_line(&path)
            );
        }
        if entry.playbook.is_err() {
            warn!("playbook `{}` is invalid; `onboard validate` shows its problems", one_line(&entry.id));
        }
    }
    Ok(ExitCode::Success)
}
