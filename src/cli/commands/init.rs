//! `onboard init`: create `.onboard/` in the current directory, ready to commit.

use std::fs;

use anyhow::{Context as _, Result};

use crate::cli::Context;
use crate::cli::context::STATE_DIR_NAME;
use crate::error::ExitCode;
use crate::state::store::write_atomic;

/// Create a `.onboard/` state directory here, ready to commit to git
#[derive(Debug, clap::Args)]
pub struct InitArgs {}

/// Locks are per machine; everything else in the state directory is shared through git.
const GITIGNORE: &str = "# onboard: lock files are per machine\nlocks/\n";

pub fn run(_ctx: &Context, _args: InitArgs) -> Result<ExitCode> {
    let root = std::env::current_dir().context("cannot read the current directory")?.join(STATE_DIR_NAME);
    let existed = root.is_dir();
    for sub in ["projects", "playbooks"] {
        let dir = root.join(sub);
        fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
        let keep = dir.join(".gitkeep");
        if !keep.exists() {
            write_atomic(&keep, "")?;
        }
    }
    let ignore = root.join(".gitignore");
    if !ignore.exists() {
        write_atomic(&ignore, GITIGNORE)?;
    }
    let verb = if existed { "Checked" } else { "Created" };
    eprintln!(
        "{verb} {STATE_DIR_NAME}/ with projects/ and playbooks/; commit it to share projects with your team."
    );
    Ok(ExitCode::Success)
}
