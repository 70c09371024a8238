//! `onboard delete`: record that a project is deleted, after a question on a terminal or
//! with `--yes`. Every listing leaves it out from then on; its files stay until `onboard
//! prune` (or `--purge`) removes them, so that work a teammate records on a branch
//! meanwhile merges without a conflict and `doctor` can point to it.

use anyhow::Result;

use crate::cli::{Context, git, prompt, runner, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::state::lifecycle;
use crate::store::{Looked, Standing, StoreError};

/// Delete a project (asks first; --yes without a terminal)
///
/// Records a delete event: the project leaves every listing, `status --all` included. Its
/// files stay, so that the deletion merges with a teammate's branch; `onboard prune`
/// removes them once no branch is in flight, or `--purge` right away.
#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    /// The project, in the portfolio or archived
    pub project: String,
    /// Delete without asking
    #[arg(long)]
    pub yes: bool,
    /// Also remove the project's files now (when no branch holds work on it)
    #[arg(long)]
    pub purge: bool,
    /// Commit the deletion with git
    #[arg(long)]
    pub commit: bool,
}

pub(crate) fn run(ctx: &Context, args: DeleteArgs) -> Result<ExitCode> {
    let name = target::project(ctx, Some(args.project))?;
    let (file, standing, _) = ctx.store.read_any(&name)?;
    if standing == Standing::Deleted {
        return Err(hinted(
            format!("project `{name}` is already deleted"),
            format!("`onboard prune {name}` removes its files"),
        ));
    }
    if !args.yes {
        if !ctx.interactive {
            return Err(hinted(
                format!("deleting project `{name}` needs a confirmation, and there is no terminal to ask on"),
                "pass `--yes` to delete it without a question",
            ));
        }
        let question = format!("Delete project `{name}` ({})?", ctx.store.project_path(&name).display());
        if !prompt::confirm(&question)? {
            say!("Kept project `{name}`.");
            return Ok(ExitCode::Declined);
        }
    }
    if args.commit {
        git::ensure_repository(&ctx.store.root)?;
    }
    let from = match standing {
        Standing::Archived => "the archive",
        _ => "the portfolio",
    };
    if args.purge {
        ctx.store.purge(&name)?;
        say!("Deleted project `{name}` from {from} and removed its files.");
    } else {
        let stamp =
            crate::state::change::Stamp { at: ctx.now(file.calendar()), by: ctx.actor()?, recorded: None };
        crate::cli::target::warn_clock_behind(&name, &file, stamp.at);
        let alive = |standing| match standing {
            Standing::Deleted => Err(StoreError::NoProject {
                name: name.clone(),
                dir: ctx.store.root.clone(),
                looked: Looked::Both,
            }),
            _ => Ok(()),
        };
        ctx.store.transact(&name, alive, |file| {
            lifecycle::delete(file, &stamp);
            Ok(())
        })?;
        say!("Deleted project `{name}` from {from}; `onboard prune {name}` removes its files.");
    }
    if args.commit && !runner::commit(ctx, format!("onboard: {name}: deleted"), &[], &ctx.actor()?, &[])? {
        say!("Nothing to commit: git never had project `{name}`.");
    }
    Ok(ExitCode::Success)
}
