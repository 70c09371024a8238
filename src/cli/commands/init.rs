//! `onboard init`: create `.onboard/` in the current directory, ready to commit. Project
//! directories need no merge set-up; while old single project files remain (before
//! `onboard migrate`), in a git work tree it also installs the merge driver for them, and
//! each teammate's clone runs it once to get it. Below a folder that has a state
//! directory, it refuses to create another that would hide it (`--here` insists).

use std::fs;
use std::path::Path;

use anyhow::{Context as _, Result};

use crate::cli::{Context, git};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::safe_path::refuse_escaping_link;
use crate::state::merge::MERGE_RULES;
use crate::store::STATE_DIR_NAME;
use crate::store::write_atomic;
use crate::text::read_text;

/// Create a `.onboard/` state directory here, ready to commit to git
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Create it even below a folder that has one (commands run here will no longer see that one)
    #[arg(long)]
    pub here: bool,
}

/// Locks are per machine; everything else in the state directory is shared through git.
const GITIGNORE: &str = "# onboard: lock files are per machine\nlocks/\n# onboard: a write killed midway leaves its temporary file\n.*.yaml.??????\n# onboard: a conversion killed midway leaves its staging folder\n.*.converting/\n";

pub(crate) fn run(_ctx: &Context, args: InitArgs) -> Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let root = cwd.join(STATE_DIR_NAME);
    let existed = root.is_dir();
    let above = if existed { None } else { enclosing(&cwd) };
    if let Some(levels) = above
        && !args.here
    {
        return Err(hidden_error(levels));
    }
    // Refused before anything is created, so that a refusal changes nothing.
    refuse_git_link(&root.join(".gitignore"))?;
    refuse_git_link(&root.join(".gitattributes"))?;
    for sub in ["projects", "playbooks"] {
        let dir = root.join(sub);
        refuse_escaping_link(&dir, &root)?;
        fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
        let keep = dir.join(".gitkeep");
        if fs::symlink_metadata(&keep).is_err() {
            write_atomic(&keep, "")?;
        }
    }
    let ignore = root.join(".gitignore");
    if !ignore.exists() {
        write_atomic(&ignore, GITIGNORE)?;
    }
    let verb = if existed { "Checked" } else { "Created" };
    say!(
        "{verb} {STATE_DIR_NAME}/ with projects/ and playbooks/; commit it to share projects with your team."
    );
    if let Some(levels) = above {
        warn!("commands run here and below now use this one, no longer `{}`", state_dir_above(levels));
    }
    // Project directories merge under git's own merge, a forge's included: only old
    // single project files (formats 1–3), until `onboard migrate`, need the driver.
    if !crate::store::Store::new(root.clone()).has_old_files()? {
        return Ok(ExitCode::Success);
    }
    if git::is_work_tree(&root) {
        set_up_merges(&root)?;
    } else {
        say!("Not in a git repository: after `git init`, run `onboard init` again to set up merges.");
    }
    Ok(ExitCode::Success)
}

/// How many folders up the nearest enclosing `.onboard/` is, above `cwd` itself: commands
/// run here use it today, and a new one here would hide it.
fn enclosing(cwd: &Path) -> Option<usize> {
    cwd.ancestors().skip(1).position(|dir| dir.join(STATE_DIR_NAME).is_dir()).map(|up| up + 1)
}

/// `../../.onboard/`, `levels` folders up.
fn state_dir_above(levels: usize) -> String {
    format!("{}{STATE_DIR_NAME}/", "../".repeat(levels))
}

/// Why a nested `.onboard/` is refused: it would split the team's projects in two, and
/// commands run below it would silently stop seeing the ones above.
fn hidden_error(levels: usize) -> anyhow::Error {
    let above = state_dir_above(levels);
    let folder = "../".repeat(levels);
    hinted(
        format!(
            "`{above}` is this folder's state directory already; a new `{STATE_DIR_NAME}/` here would hide it"
        ),
        format!(
            "commands run here use `{above}`; to set up merges in a fresh clone, run `onboard init` in `{}`; `onboard init --here` creates a separate one anyway",
            folder.trim_end_matches('/')
        ),
    )
}

/// Refuses a `.gitignore` or `.gitattributes` that is a symbolic link: git reads neither
/// through a link, so writing through one would change a file elsewhere (outside the
/// repository, maybe) for nothing.
fn refuse_git_link(path: &Path) -> Result<()> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(hinted(
            format!("`{}` is a symbolic link, which git does not read", path.display()),
            "replace the link by a file of its own, then run `onboard init` again",
        ));
    }
    Ok(())
}

/// Routes project files to the merge driver (`.gitattributes`, shared through git) and
/// configures the driver in this clone (git's local config, which git never shares).
fn set_up_merges(root: &Path) -> Result<()> {
    let attributes = root.join(".gitattributes");
    refuse_git_link(&attributes)?;
    let text = match read_text(&attributes) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(error).with_context(|| format!("cannot read `{}`", attributes.display())),
    };
    let missing: Vec<&str> =
        MERGE_RULES.iter().copied().filter(|rule| !text.lines().any(|line| line.trim() == *rule)).collect();
    if !missing.is_empty() {
        let separator = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
        // A directory set up before the archive existed gets only the line it lacks.
        let comment = match missing.len() {
            n if n == MERGE_RULES.len() => "# onboard: merge project files event by event\n",
            _ => "",
        };
        let rules: String = missing.iter().map(|rule| format!("{rule}\n")).collect();
        write_atomic(&attributes, &format!("{text}{separator}{comment}{rules}"))?;
    }
    let program = std::env::current_exe().context("cannot find the path of the onboard program")?;
    if git::install_driver(root, &program)? {
        say!(
            "Installed the merge driver in this clone: git now merges project files event by event ({STATE_DIR_NAME}/.gitattributes routes them to `{}`).",
            program.display()
        );
    } else {
        say!("The merge driver is installed in this clone.");
    }
    Ok(())
}
