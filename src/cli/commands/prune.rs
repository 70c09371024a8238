//! `onboard prune`: remove the files of deleted projects, and of event files that a merge
//! brought to a project already pruned, once no branch holds work on them.

use anyhow::Result;

use crate::cli::{Context, git, runner};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::store::{Standing, StoreError};

/// Remove the files of deleted projects
///
/// `onboard delete` records a deletion and keeps the files, so that it merges with work
/// on other branches. Once those are merged, `prune` removes the files: of the projects
/// named, else of every deleted project, and the event files a merge brought to a project
/// already pruned.
#[derive(Debug, clap::Args)]
pub struct PruneArgs {
    /// Deleted projects to prune [default: every one]
    pub projects: Vec<String>,
    /// Commit the removal with git
    #[arg(long)]
    pub commit: bool,
}

pub(crate) fn run(ctx: &Context, args: PruneArgs) -> Result<ExitCode> {
    if args.commit {
        git::ensure_repository(&ctx.store.root)?;
    }
    let names = match args.projects.is_empty() {
        true => prunable(ctx)?,
        false => args.projects.clone(),
    };
    for name in &names {
        match ctx.store.read_any(name) {
            Ok((_, Standing::Deleted, _)) | Err(StoreError::NoHead { .. }) => {}
            Ok(_) => {
                return Err(hinted(
                    format!("project `{name}` is not deleted"),
                    format!("`onboard delete {name}` deletes it first"),
                ));
            }
            Err(error) => return Err(error.into()),
        }
    }
    for name in &names {
        ctx.store.purge(name)?;
        say!("Pruned project `{name}`.");
    }
    if names.is_empty() {
        say!("Nothing to prune: no project is deleted.");
    } else if args.commit {
        let subject = match names.as_slice() {
            [one] => format!("onboard: {one}: pruned"),
            _ => format!("onboard: pruned {} projects", names.len()),
        };
        runner::commit(ctx, subject, &[("Projects", names.join(", "))], &ctx.actor()?, &[])?;
    }
    Ok(ExitCode::Success)
}

/// The ids of every deleted project directory, and of every directory without its
/// `project.yaml`.
fn prunable(ctx: &Context) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for id in ctx.store.dir_ids()? {
        match ctx.store.read_dir(&id) {
            Ok(project) if ctx.store.standing(&project.file) == Standing::Deleted => found.push(id),
            Err(StoreError::NoHead { .. }) => found.push(id),
            _ => {}
        }
    }
    Ok(found)
}
