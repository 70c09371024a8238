//! git, run as the user runs it: `--commit` stages a project's files and commits them
//! (so that the user's hooks and signing apply), and `doctor` asks about the merge setup.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use crate::error::hinted;

/// Whether `dir` (or, when it does not exist yet, its parent) is inside a git work tree.
/// No git at all counts as no.
pub fn is_work_tree(dir: &Path) -> bool {
    let probe = if dir.is_dir() { dir } else { dir.parent().unwrap_or(dir) };
    Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(probe)
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"))
}

/// `git config --get KEY` as git sees it from `dir`: the repository's, the user's and the
/// system's configuration. `None` when unset.
pub fn config(dir: &Path, key: &str) -> Option<String> {
    let output = Command::new("git").args(["config", "--get", key]).current_dir(dir).output().ok()?;
    let value = String::from_utf8_lossy(&output.stdout).trim().to_string();
    (output.status.success() && !value.is_empty()).then_some(value)
}

/// Fails unless `dir` is inside a git work tree. Called before any change is made.
pub fn ensure_repository(dir: &Path) -> Result<()> {
    if !is_work_tree(dir) {
        return Err(hinted(
            format!("`--commit` needs a git repository, and `{}` is not inside one", dir.display()),
            "run `git init` there, or leave out `--commit`",
        ));
    }
    Ok(())
}

/// Stages `paths` and commits exactly them with `message`.
pub fn commit(dir: &Path, paths: &[PathBuf], message: &str) -> Result<()> {
    let run = |args: Vec<&std::ffi::OsStr>| -> Result<()> {
        let output = Command::new("git").args(&args).current_dir(dir).output().context("cannot run git")?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            bail!("git {} failed: {}", args[0].to_string_lossy(), stderr.trim());
        }
        Ok(())
    };
    let mut add: Vec<&std::ffi::OsStr> = vec!["add".as_ref(), "--".as_ref()];
    add.extend(paths.iter().map(|p| p.as_os_str()));
    let mut commit: Vec<&std::ffi::OsStr> =
        vec!["commit".as_ref(), "-q".as_ref(), "-m".as_ref(), message.as_ref()];
    commit.push("--".as_ref());
    commit.extend(paths.iter().map(|p| p.as_os_str()));
    run(add).and_then(|()| run(commit)).context("the change is saved, but committing it failed")
}
