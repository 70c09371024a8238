//! `onboard util merge-file`: the git merge driver for project files. Git runs it by its
//! old name, `onboard merge-file`, which `init` configures and which stays, with the base,
//! our and their versions of a file (`%O %A %B %P`); it writes the event-by-event merge
//! into ours. What events cannot decide falls back to git's line merge, with
//! markers that `onboard resolve` and every other command explain.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::cli::{Context, git};
use crate::error::ExitCode;
use crate::state::merge::merge;
use crate::state::project::ProjectFile;
use crate::store::{parse_events, render_checked, write_atomic};

/// Merge three versions of a project file (git's merge driver; `onboard init` installs it)
#[derive(Debug, clap::Args)]
pub struct MergeFileArgs {
    /// The common ancestor's version (git's %O); empty when both sides added the file
    pub base: PathBuf,
    /// Our version (git's %A); the merge is written here
    pub ours: PathBuf,
    /// Their version (git's %B)
    pub theirs: PathBuf,
    /// The file's path in the repository (git's %P), for messages
    pub path: Option<PathBuf>,
}

pub(crate) fn run(_ctx: &Context, args: MergeFileArgs) -> Result<ExitCode> {
    let shown = args.path.clone().unwrap_or_else(|| args.ours.clone());
    match merged(&args, &shown).and_then(|file| render_checked(&file, &shown)) {
        Ok(text) => {
            write_atomic(&args.ours, &text)?;
            Ok(ExitCode::Success)
        }
        Err(error) => {
            crate::cli::ui::report(&crate::cli::hints::advised(error, None));
            let clean = git::line_merge(&args.ours, &args.base, &args.theirs)?;
            say!("note: `{}` was merged line by line by git instead", shown.display());
            Ok(if clean { ExitCode::Success } else { ExitCode::Unmerged })
        }
    }
}

fn merged(args: &MergeFileArgs, shown: &Path) -> Result<ProjectFile> {
    let read = |path: &Path, side: &str| -> Result<Option<ProjectFile>> {
        let text =
            crate::text::read_text(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        if text.trim().is_empty() {
            return Ok(None);
        }
        parse_events(&text, shown).map(Some).with_context(|| format!("{side} version does not parse"))
    };
    let context = || format!("cannot merge `{}` event by event", shown.display());
    let base = read(&args.base, "the common ancestor's").with_context(context)?;
    let ours = read(&args.ours, "our").with_context(context)?;
    let theirs = read(&args.theirs, "their").with_context(context)?;
    let (Some(ours), Some(theirs)) = (ours, theirs) else {
        anyhow::bail!("{}: one side is empty", context());
    };
    merge(base.as_ref(), &ours, &theirs).with_context(context)
}
