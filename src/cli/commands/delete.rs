//! `onboard delete`: remove a project's file, from the portfolio or the archive, after a
//! question on a terminal or with `--yes`. Nothing else goes: the playbook version it
//! followed may be another project's too, and git keeps the file's history.

use anyhow::Result;

use crate::cli::{Context, git, prompt, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::state::lifecycle::Shelf;

/// Delete a project's file (asks first; --yes without a terminal)
#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    /// The project, in the portfolio or archived
    pub project: String,
    /// Delete without asking
    #[arg(long)]
    pub yes: bool,
    /// Commit the removal with git
    #[arg(long)]
    pub commit: bool,
}

pub fn run(ctx: &Context, args: DeleteArgs) -> Result<ExitCode> {
    let name = target::project(ctx, Some(args.project))?;
    let shelf = if ctx.store.exists(&name) { Shelf::Active } else { Shelf::Archived };
    let path = shelf.path(&ctx.store, &name);
    if !args.yes && path.exists() {
        if !ctx.interactive {
            return Err(hinted(
                format!("deleting project `{name}` needs a confirmation, and there is no terminal to ask on"),
                "pass `--yes` to delete it without a question",
            ));
        }
        let question = format!("Delete project `{name}` ({})?", path.display());
        if !prompt::confirm(&question)? {
            eprintln!("Kept project `{name}`.");
            return Ok(ExitCode::Success);
        }
    }
    if args.commit {
        git::ensure_repository(&ctx.store.root)?;
    }
    let (shelf, path) = ctx.store.delete(&name)?;
    let from = match shelf {
        Shelf::Active => "the portfolio",
        Shelf::Archived => "the archive",
    };
    eprintln!("Deleted project `{name}` from {from}.");
    if args.commit {
        let message = format!("onboard: {name}: deleted (by {})", ctx.actor());
        if !git::commit_moved(&ctx.store.root, &[], std::slice::from_ref(&path), &message)? {
            eprintln!("Nothing to commit: git never had `{}`.", path.display());
        }
    }
    Ok(ExitCode::Success)
}
