//! Everything onboard asks of git: whether a folder is in a work tree, `--commit`
//! (through the git command, so that the user's hooks and signing apply), the merge
//! driver's set-up, and the sides of a file in a conflicted merge.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use crate::error::{HintExt, NotCommitted, hinted};
use crate::playbook::Step;

/// The merge driver's name, as `.gitattributes` and git's config know it.
pub const DRIVER: &str = "onboard";

/// Runs git in `dir` and returns its standard output; fails with git's message.
pub fn run<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Result<Vec<u8>> {
    let output = Command::new("git").args(args).current_dir(dir).output().context("cannot run git")?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = args.first().map(|a| a.as_ref().to_string_lossy().into_owned()).unwrap_or_default();
        let why = match stderr.trim() {
            "" => format!("it exited with {}", output.status),
            said => said.to_string(),
        };
        bail!("git {first} failed: {why}");
    }
    Ok(output.stdout)
}

/// The folder git should run in for `dir`, which may not exist yet.
fn existing(dir: &Path) -> &Path {
    if dir.is_dir() { dir } else { dir.parent().filter(|p| p.is_dir()).unwrap_or(Path::new(".")) }
}

/// Whether `dir` is inside a git work tree.
pub fn is_work_tree(dir: &Path) -> bool {
    run(existing(dir), &["rev-parse", "--is-inside-work-tree"]).is_ok_and(|out| out.starts_with(b"true"))
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
    let mut add: Vec<&OsStr> = vec!["add".as_ref(), "--".as_ref()];
    add.extend(paths.iter().map(|p| p.as_os_str()));
    if let Err(error) = run(dir, &add).and_then(|_| commit_staged(dir, paths, message)) {
        return Err(not_committed(error, dir, paths, message));
    }
    Ok(())
}

/// Commits a project that moved or went away: the files `written`, and the removal of
/// those `gone` that git tracks, in one commit of exactly those paths, so that git sees
/// a move as a rename. Returns false, committing nothing, when none of them is anything
/// git knows or should know (a deleted project that was never committed).
pub fn commit_moved(dir: &Path, written: &[PathBuf], gone: &[PathBuf], message: &str) -> Result<bool> {
    let tracked = |path: &&PathBuf| {
        run(dir, &[OsStr::new("ls-files"), OsStr::new("--error-unmatch"), OsStr::new("--"), path.as_os_str()])
            .is_ok()
    };
    let paths: Vec<PathBuf> = written.iter().chain(gone.iter().filter(tracked)).cloned().collect();
    if paths.is_empty() {
        return Ok(false);
    }
    // `add -A` stages a removal as well as a new file.
    let mut add: Vec<&OsStr> = vec!["add".as_ref(), "-A".as_ref(), "--".as_ref()];
    add.extend(paths.iter().map(|p| p.as_os_str()));
    if let Err(error) = run(dir, &add).and_then(|_| commit_staged(dir, &paths, message)) {
        return Err(not_committed(error, dir, &paths, message));
    }
    Ok(true)
}

fn commit_staged(dir: &Path, paths: &[PathBuf], message: &str) -> Result<()> {
    let mut commit: Vec<&OsStr> = vec!["commit".as_ref(), "-q".as_ref(), "-m".as_ref(), message.as_ref()];
    commit.push("--".as_ref());
    commit.extend(paths.iter().map(|p| p.as_os_str()));
    run(dir, &commit).map(drop)
}

/// The change is saved but not committed: the hint gives the one git command that
/// finishes the job, since running onboard again would make the change twice.
fn not_committed(error: anyhow::Error, dir: &Path, paths: &[PathBuf], message: &str) -> anyhow::Error {
    let quoted: Vec<String> = paths.iter().map(|p| shell_quote(&p.to_string_lossy())).collect();
    let finish = format!(
        "git -C {} commit -m {} -- {}",
        shell_quote(&dir.to_string_lossy()),
        shell_quote(message),
        quoted.join(" ")
    );
    let hinted: Result<()> = Err(NotCommitted(error)).hint(format!(
        "do not run the command again (it would record the change twice); finish with: {finish}"
    ));
    hinted.unwrap_err()
}

/// The subject of a step's commit: the step's number, id and title, what happened and
/// why, so that `git log --oneline` reads as the project's history.
pub fn step_subject(project: &str, step: &Step, what: &str, reason: Option<&str>, by: &str) -> String {
    let title = step.title.trim().trim_end_matches('.');
    let title = match title.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", title[..cut].trim_end()),
        None => title.to_string(),
    };
    let number = step.number.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
    let why = reason.map(|r| format!("{r}; ")).unwrap_or_default();
    format!("onboard: {project}: {number}{} {what}: {title} ({why}by {by})", step.id)
}

/// Stages one resolved file.
pub fn add(dir: &Path, path: &Path) -> Result<()> {
    run(dir, &[OsStr::new("add"), OsStr::new("--"), path.as_os_str()])?;
    Ok(())
}

/// The merge driver command configured in the repository of `dir`, if any.
pub fn configured_driver(dir: &Path) -> Option<String> {
    let out = run(existing(dir), &["config", "--get", &format!("merge.{DRIVER}.driver")]).ok()?;
    Some(String::from_utf8_lossy(&out).trim().to_string()).filter(|s| !s.is_empty())
}

/// Configures the merge driver in the local config of the repository of `dir` to run
/// `program`; returns false when it was already configured so.
pub fn install_driver(dir: &Path, program: &Path) -> Result<bool> {
    let command = format!("{} merge-file %O %A %B %P", shell_quote(&program.to_string_lossy()));
    if configured_driver(dir).as_deref() == Some(command.as_str()) {
        return Ok(false);
    }
    run(
        dir,
        &[
            "config",
            "--local",
            &format!("merge.{DRIVER}.name"),
            "onboard: merge project files event by event",
        ],
    )?;
    run(dir, &["config", "--local", &format!("merge.{DRIVER}.driver"), &command])?;
    Ok(true)
}

/// The program a driver command runs, when it names it by a quoted path, as `onboard
/// init` writes it.
pub fn driver_program(command: &str) -> Option<PathBuf> {
    let rest = command.strip_prefix('\'')?;
    Some(PathBuf::from(&rest[..rest.find('\'')?]))
}

/// Quotes a word for the shell git runs a merge driver with.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// The three versions of a file in a conflicted merge: git's index stages 1 (the base,
/// absent when both sides added the file), 2 (ours) and 3 (theirs).
pub struct Stages {
    pub base: Option<String>,
    pub ours: String,
    pub theirs: String,
}

/// The index stages of `path` when it is unmerged, else `None`.
pub fn unmerged(dir: &Path, path: &Path) -> Result<Option<Stages>> {
    let listing = run(
        dir,
        &[OsStr::new("ls-files"), OsStr::new("-u"), OsStr::new("-z"), OsStr::new("--"), path.as_os_str()],
    )?;
    let mut stages: [Option<String>; 4] = Default::default();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let mut fields = entry.split(['\t', ' ']);
        let (_mode, Some(sha), Some(stage)) = (fields.next(), fields.next(), fields.next()) else { continue };
        let Ok(stage) = stage.parse::<usize>() else { continue };
        let blob = run(dir, &["cat-file", "blob", sha])?;
        if let Some(slot) = stages.get_mut(stage) {
            *slot = Some(String::from_utf8_lossy(&blob).into_owned());
        }
    }
    let [_, base, ours, theirs] = stages;
    Ok(match (ours, theirs) {
        (Some(ours), Some(theirs)) => Some(Stages { base, ours, theirs }),
        _ => None,
    })
}

/// Git's own line-by-line three-way merge of the files, written into `ours` with
/// diff3-style markers (so that `onboard resolve` finds the base too). Returns whether
/// it merged without conflicts.
pub fn line_merge(ours: &Path, base: &Path, theirs: &Path) -> Result<bool> {
    let output = Command::new("git")
        .args(["merge-file", "--diff3", "-L", "ours", "-L", "base", "-L", "theirs"])
        .args([ours, base, theirs])
        .output()
        .context("cannot run git merge-file")?;
    match output.status.code() {
        Some(0) => Ok(true),
        Some(code) if code > 0 && code < 128 => Ok(false),
        _ => bail!("git merge-file failed: {}", String::from_utf8_lossy(&output.stderr).trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_driver_program_is_read_back_as_init_quotes_it() {
        let command = format!("{} merge-file %O %A %B %P", shell_quote("/home/ana/.cargo/bin/onboard"));
        assert_eq!(driver_program(&command), Some(PathBuf::from("/home/ana/.cargo/bin/onboard")));
        assert_eq!(driver_program("onboard merge-file %O %A %B %P"), None);
    }
}
