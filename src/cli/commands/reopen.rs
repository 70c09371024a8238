//! `onboard reopen`: undo a done or skipped step, with a reason.

use anyhow::Result;

use crate::cli::{Context, git, target};
use crate::error::ExitCode;
use crate::state::change::{self, Stamp};

/// Undo a done or skipped step, with a reason
#[derive(Debug, clap::Args)]
pub struct ReopenArgs {
    /// The project [default: the only one]
    pub project: Option<String>,
    /// The step, by id or number
    pub step: Option<String>,
    /// Why it is reopened; kept in the log
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Commit the project file with git
    #[arg(long)]
    pub commit: bool,
}

pub fn run(ctx: &Context, args: ReopenArgs) -> Result<ExitCode> {
    let (project, step) = target::project_and_step(ctx, args.project, args.step);
    let name = target::project(ctx, project)?;
    let loaded = target::load(ctx, &name)?;
    let playbook = &loaded.followed.playbook;
    let step = change::resolve_step(
        playbook,
        &step.ok_or_else(|| anyhow::anyhow!("name the step to reopen"))?,
    )?;
    if args.commit {
        git::ensure_repository(&ctx.store.root)?;
    }
    let stamp = Stamp {
        at: ctx.now(&loaded.file.calendar),
        by: ctx.actor(),
    };
    ctx.store.update(&name, |file| {
        change::reopen(file, step, args.reason.clone(), &stamp)
    })?;
    eprintln!("Reopened {} `{}` in `{name}`.", step.label(), step.id);
    if args.commit {
        let message = format!(
            "onboard: {name}: {} reopened (by {})",
            step.label(),
            stamp.by
        );
        git::commit(&ctx.store.root, &[loaded.path], &message)?;
    }
    Ok(ExitCode::Success)
}
