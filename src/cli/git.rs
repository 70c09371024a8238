//! `--commit`: stage a project's files and commit them with the git command, so that the
//! user's hooks and signing apply.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use crate::error::hinted;

/// Fails unless `dir` is inside a git work tree. Called before any change is made.
pub fn ensure_repository(dir: &Path) -> Result<()> {
    let probe = if dir.is_dir() { dir } else { dir.parent().unwrap_or(dir) };
    let inside = Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(probe)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !inside {
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
