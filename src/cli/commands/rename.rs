//! `onboard rename`: a project takes a new name. The rename is an event: the project's
//! directory keeps its first name as a stable id, so work recorded concurrently under the
//! old name merges into the renamed project. Commands accept both names.

use anyhow::Result;

use crate::cli::{Context, runner, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::state::change::Change;
use crate::store::Shelf;
use crate::store::StoreError;

/// Rename a project
///
/// Records the new name in a rename event; listings show it from then on, and commands
/// accept the new name and the project's directory name. No file moves, so the rename
/// merges with work a teammate records meanwhile.
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

pub(crate) fn run(ctx: &Context, args: RenameArgs) -> Result<ExitCode> {
    let old = target::project(ctx, Some(args.old))?;
    let new = target::project(ctx, Some(args.new))?;
    if new == old {
        return Err(hinted(format!("project `{old}` already has that name"), "give another name"));
    }
    let loaded = target::load(ctx, &old)?;
    let id = ctx.store.id_of(&old)?;
    // A project may take back its own directory's name; any other project's name is taken.
    let taken = match ctx.store.find(&new)? {
        Some(found) => ctx.store.id_of(&new)? != id || !matches!(found, crate::store::Found::Dir(_)),
        None => false,
    };
    if taken {
        let folder = ctx.store.root.join(Shelf::Active.folder());
        return Err(
            StoreError::NameTaken { name: new, shelf: Shelf::Active, folder, same_name: false }.into()
        );
    }
    runner::begin(ctx, &loaded, None, args.commit)?.run(Change::Rename { from: old, to: new })
}
