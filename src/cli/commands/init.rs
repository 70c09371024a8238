//! `onboard init`: create `.onboard/` in the current directory, ready to commit, and in
//! a git work tree install the merge driver for project files. Running it again is
//! harmless: each teammate's clone runs it once to get the driver.

use std::fs;
use std::path::Path;

use anyhow::{Context as _, Result};

use crate::cli::context::STATE_DIR_NAME;
use crate::cli::{Context, git};
use crate::error::ExitCode;
use crate::playbook::locate::read_text;
use crate::state::merge::MERGE_RULE;
use crate::state::store::write_atomic;

/// Create a `.onboard/` state directory here, ready to commit to git
#[derive(Debug, clap::Args)]
pub struct InitArgs {}

/// Locks are per machine; everything else in the state directory is shared through git.
const GITIGNORE: &str = "# onboard: lock files are per machine\nlocks/\n# onboard: a write killed midway leaves its temporary file\n.*.yaml.??????\n";

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
    if git::is_work_tree(&root) {
        set_up_merges(&root)?;
    } else {
        eprintln!("Not in a git repository: after `git init`, run `onboard init` again to set up merges.");
    }
    Ok(ExitCode::Success)
}

/// Routes project files to the merge driver (`.gitattributes`, shared through git) and
/// configures the driver in this clone (git's local config, which git never shares).
fn set_up_merges(root: &Path) -> Result<()> {
    let attributes = root.join(".gitattributes");
    let text = match read_text(&attributes) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(error).with_context(|| format!("cannot read `{}`", attributes.display())),
    };
    if !text.lines().any(|line| line.trim() == MERGE_RULE) {
        let separator = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
        let rule =
            format!("{text}{separator}# onboard: merge project files event by event\n{}\n", MERGE_RULE);
        write_atomic(&attributes, &rule)?;
    }
    let program = std::env::current_exe().context("cannot find the path of the onboard program")?;
    if git::install_driver(root, &program)? {
        eprintln!(
            "Installed the merge driver in this clone: git now merges project files event by event ({STATE_DIR_NAME}/.gitattributes routes them to `{}`).",
            program.display()
        );
    } else {
        eprintln!("The merge driver is installed in this clone.");
    }
    Ok(())
}
