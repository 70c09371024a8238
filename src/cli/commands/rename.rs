//! `onboard rename`: a project takes a new name: its file moves, and the name the file
//! records as its own changes with it.

use anyhow::Result;

use crate::cli::{Context, git, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::state::check_project_name;
use crate::state::lifecycle::{self, Shelf};

/// Rename a project
///
/// Moves `projects/OLD.yaml` to `projects/NEW.yaml` and records the rename in the file;
/// with `--commit`, one commit that git shows as a rename.
#[derive(Debug, clap::Args)]
pub struct RenameArgs {
    /// The project's name
    pub old: String,
    /// Its new name, a slug such as `coop-central`
    pub new: String,
    /// Commit the rename with git
    #[arg(long)]
    pub commit: bool,
}

pub fn run(ctx: &Context, args: RenameArgs) -> Result<ExitCode> {
    let old = target::project(ctx, Some(args.old))?;
    let new = args.new;
    check_project_name(&new).map_err(|m| hinted(m, "project names are slugs such as `coop-central`"))?;
    if new == old {
        return Err(hinted(format!("project `{old}` already has that name"), "give another name"));
    }
    let loaded = target::load(ctx, &old)?;
    if args.commit {
        git::ensure_repository(&ctx.store.root)?;
    }
    let stamp = loaded.stamp(ctx, None)?;
    ctx.store.relocate((Shelf::Active, &old), (Shelf::Active, &new), |file| {
        lifecycle::rename(file, &new, &stamp);
        Ok(())
    })?;
    eprintln!("Renamed project `{old}` to `{new}`.");
    if args.commit {
        let message = format!("onboard: {new}: renamed from {old} (by {})", stamp.by);
        git::commit_moved(&ctx.store.root, &[ctx.store.project_path(&new)], &[loaded.path], &message)?;
    }
    Ok(ExitCode::Success)
}
