//! Everything onboard asks of git: whether a folder is in a work tree, `--commit`
//! (through the git command, so that the user's hooks and signing apply), the merge
//! driver's set-up, the sides of a file in a conflicted merge, and the files of a
//! revision (`onboard diff`: which files changed, one `git diff`; the revisions, their
//! trees and the files it reads through one `cat-file --batch-command`, `objects.rs`; no
//! checkout).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use crate::error::NotCommitted;

use crate::hint::hinted;
use crate::state::project::ProjectFile;
use crate::store::Store;

mod objects;
pub(super) use objects::{Commit, Objects, Wanted};

/// The merge driver's name, as `.gitattributes` and git's config know it.
pub(super) const DRIVER: &str = "onboard";

/// Runs git in `dir` and returns its standard output; fails with git's message.
pub(super) fn run<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Result<Vec<u8>> {
    let output = Command::new("git").args(args).current_dir(dir).output().map_err(spawn_error)?;
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

/// Why git could not be started: not installed (or not on `PATH`) is said as such, not
/// taken for "not a repository".
fn spawn_error(error: std::io::Error) -> anyhow::Error {
    match error.kind() {
        std::io::ErrorKind::NotFound => GitMissing.into(),
        _ => anyhow::Error::new(error).context("cannot run git"),
    }
}

/// git is not installed, or not on `PATH`.
#[derive(Debug, thiserror::Error)]
#[error("cannot run git: it is not installed, or not on PATH")]
pub(super) struct GitMissing;

/// `result`, unless it failed because git is missing: that is said as such.
fn unless_missing<T>(result: Result<T>) -> Result<Result<T>> {
    match result {
        Err(error) if error.is::<GitMissing>() => Err(error),
        other => Ok(other),
    }
}

/// The folder git should run in for `dir`, which may not exist yet.
pub(super) fn existing(dir: &Path) -> &Path {
    if dir.is_dir() { dir } else { dir.parent().filter(|p| p.is_dir()).unwrap_or(Path::new(".")) }
}

/// Whether `dir` is inside a git work tree.
pub(super) fn is_work_tree(dir: &Path) -> bool {
    run(existing(dir), &["rev-parse", "--is-inside-work-tree"]).is_ok_and(|out| out.starts_with(b"true"))
}

/// Fails unless `dir` is inside a git work tree. Called before any change is made.
pub(super) fn ensure_repository(dir: &Path) -> Result<()> {
    let inside = unless_missing(run(existing(dir), &["rev-parse", "--is-inside-work-tree"]))?;
    if !inside.is_ok_and(|out| out.starts_with(b"true")) {
        return Err(hinted(
            format!("`--commit` needs a git repository, and `{}` is not inside one", dir.display()),
            "run `git init` there, or leave out `--commit`",
        ));
    }
    Ok(())
}

/// Commits what this command wrote and removed in `store` (new event files, a project
/// converted to a directory, a purge), with the files the project needs that git does
/// not track yet (`needs`: its playbook version, a local playbook, a calendar override),
/// in one commit of exactly those paths. Returns false, committing nothing, when there is
/// nothing git knows or should know.
pub(super) fn commit_change(store: &Store, needs: &[PathBuf], message: &CommitMessage) -> Result<bool> {
    let message = &message.paragraphs();
    let dir = &store.root;
    store.mark_committed();
    let (wrote, removed) = store.touched();
    let known = tracked(dir, removed.iter().chain(needs.iter().filter(|p| !p.is_dir())))?;
    // A project's directory goes in whole: a file of it that git lacks (a project started
    // without `--commit`) is one a teammate's clone needs.
    let untracked_needs = needs.iter().filter(|p| p.is_dir() || (p.exists() && !known.contains(*p)));
    let gone = removed.iter().filter(|p| known.contains(*p));
    let mut paths: Vec<PathBuf> = wrote.iter().chain(untracked_needs).chain(gone).cloned().collect();
    paths.sort();
    paths.dedup();
    // A file inside a directory that goes in whole is named by the directory.
    let dirs: Vec<PathBuf> = paths.iter().filter(|p| p.is_dir()).cloned().collect();
    paths.retain(|p| !dirs.iter().any(|d| p != d && p.starts_with(d)));
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

/// What a command that wrote files without `--commit`, in a git work tree, says of them:
/// they are new, and `git commit -a` leaves new files out. `None` when there is nothing
/// to say (nothing written, committed, or no git).
pub(super) fn unshared_note(store: &Store) -> Option<String> {
    let (wrote, _) = store.touched();
    // A `.git` above, found by a few file tests, before git itself is asked.
    if wrote.is_empty()
        || store.is_committed()
        || git_dir_above(&store.root).is_none()
        || !is_work_tree(&store.root)
    {
        return None;
    }
    // Only what git's index does not hold yet (a resolved file is staged already).
    let known = tracked(&store.root, wrote.iter()).ok()?;
    let wrote: Vec<PathBuf> = wrote.into_iter().filter(|p| !known.contains(p)).collect();
    if wrote.is_empty() {
        return None;
    }
    let cwd = std::env::current_dir().ok();
    let shown = |path: &Path| {
        let relative = cwd.as_deref().and_then(|cwd| path.strip_prefix(cwd).ok()).unwrap_or(path);
        crate::render::printable(&relative.display().to_string()).into_owned()
    };
    let (files, them) = match wrote.as_slice() {
        [one] => (format!("`{}` is", shown(one)), "it"),
        few if few.len() <= 3 => {
            let names: Vec<String> = few.iter().map(|p| format!("`{}`", shown(p))).collect();
            (format!("{} are", names.join(", ")), "them")
        }
        many => (format!("{} files in `{}` are", many.len(), shown(&store.root)), "them"),
    };
    Some(format!(
        "{files} new to git: `git add` {them} and commit (`git commit -a` leaves new files out), or pass `--commit` next time."
    ))
}

/// Every file under `dir` that git tracks, as absolute paths (one `git ls-files`).
pub(super) fn tracked_under(dir: &Path) -> Result<std::collections::HashSet<PathBuf>> {
    let out = run(dir, &["ls-files", "-z", "--full-name", "--", "."])?;
    let top = run(dir, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end());
    // Both sides canonical, so that a state directory reached through a link compares.
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    Ok(out
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| top.join(String::from_utf8_lossy(p).as_ref()))
        .collect())
}

/// Which of `paths` git tracks, as the paths were given.
fn tracked<'p>(dir: &Path, paths: impl Iterator<Item = &'p PathBuf>) -> Result<Vec<PathBuf>> {
    let paths: Vec<&PathBuf> = paths.collect();
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    // One `ls-files` for all: it prints, relative to `dir`, those the index holds.
    let mut args: Vec<&OsStr> = vec!["ls-files".as_ref(), "-z".as_ref(), "--".as_ref()];
    args.extend(paths.iter().map(|p| p.as_os_str()));
    let out = run(dir, &args)?;
    let listed: Vec<PathBuf> = out
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| dir.join(String::from_utf8_lossy(p).as_ref()))
        .collect();
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let listed: Vec<PathBuf> = listed.iter().map(|p| absolute(p)).collect();
    Ok(paths.into_iter().filter(|p| listed.contains(&absolute(p))).cloned().collect())
}

/// The files that project `file` is read with and that a teammate's clone needs: its
/// directory, the playbook version it follows, the team's own playbook of that id, its
/// calendar's override. Only those that exist.
pub(super) fn needs(store: &Store, file: &ProjectFile) -> Vec<PathBuf> {
    let id = store.id_of(&file.project).unwrap_or_else(|_| file.project.clone());
    needs_of(store, &id, file)
}

/// `needs`, for the project of directory `id` (which a rename recorded in `file` since
/// it was found does not change).
pub(super) fn needs_of(store: &Store, id: &str, file: &ProjectFile) -> Vec<PathBuf> {
    let candidates = [
        store.project_dir(id),
        store.version_path(&file.playbook, &file.playbook_hash),
        crate::playbook::catalog::local_dir(&store.root).join(format!("{}.yaml", file.playbook)),
        store.root.join("calendars").join(format!("{}.yaml", file.calendar())),
    ];
    candidates.into_iter().filter(|p| p.exists()).collect()
}

fn commit_staged(dir: &Path, paths: &[PathBuf], message: &[String]) -> Result<()> {
    let mut commit: Vec<&OsStr> = vec!["commit".as_ref(), "-q".as_ref()];
    for paragraph in message {
        commit.extend([OsStr::new("-m"), OsStr::new(paragraph)]);
    }
    commit.push("--".as_ref());
    commit.extend(paths.iter().map(|p| p.as_os_str()));
    run(dir, &commit).map(drop)
}

/// The change is saved but not committed: the hint gives the one git command that
/// finishes the job, since running onboard again would make the change twice.
fn not_committed(error: anyhow::Error, dir: &Path, paths: &[PathBuf], message: &[String]) -> anyhow::Error {
    let quoted: Vec<String> = paths.iter().map(|p| shell_quote(&p.to_string_lossy())).collect();
    let messages: Vec<String> = message.iter().map(|m| format!("-m {}", shell_quote(m))).collect();
    let finish = format!(
        "git -C {} commit {} -- {}",
        shell_quote(&dir.to_string_lossy()),
        messages.join(" "),
        quoted.join(" ")
    );
    NotCommitted::error(
        error,
        format!("do not run the command again (it would record the change twice); finish with: {finish}"),
    )
}

/// A commit's message: a subject that `git log --oneline` shows whole (at most
/// `SUBJECT_WIDTH` characters), then the detail (who, why, the note, titles) in the body,
/// one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CommitMessage {
    subject: String,
    body: Vec<String>,
}

/// The width of a subject line that git's tools and forges show without cutting it.
pub(super) const SUBJECT_WIDTH: usize = 72;

impl CommitMessage {
    pub(super) fn new(subject: impl Into<String>) -> CommitMessage {
        CommitMessage { subject: subject.into(), body: Vec::new() }
    }

    /// Adds `Key: value` to the body; nothing when there is no value.
    pub(super) fn with(mut self, key: &str, value: Option<&str>) -> CommitMessage {
        if let Some(value) = value {
            self.body.push(format!("{key}: {value}"));
        }
        self
    }

    /// Ends the body with who made the change, in a sentence: a last paragraph of
    /// `Key: value` lines would read to git as trailers.
    pub(super) fn by(mut self, by: &str) -> CommitMessage {
        self.body.push(format!("Recorded by {by}."));
        self
    }

    /// The message as `git commit -m` takes it, one paragraph each: the subject, then
    /// each line of the body. Text from arguments and files (who, why, titles) is one
    /// line per piece, so that `--by "ana\nSigned-off-by: …"` adds no line, let alone a
    /// trailer; a subject too long for one line is cut, and given whole in the body.
    pub(super) fn paragraphs(&self) -> Vec<String> {
        let subject = crate::render::one_line(&self.subject);
        let mut body: Vec<String> =
            self.body.iter().map(|line| crate::render::one_line(line).into_owned()).collect();
        let shown = match subject.char_indices().nth(SUBJECT_WIDTH - 1) {
            Some((cut, _)) => {
                body.insert(0, subject.to_string());
                format!("{}…", subject[..cut].trim_end())
            }
            None => subject.into_owned(),
        };
        std::iter::once(shown).chain(body).collect()
    }
}

/// Stages one resolved file.
pub(super) fn add(dir: &Path, path: &Path) -> Result<()> {
    run(dir, &[OsStr::new("add"), OsStr::new("--"), path.as_os_str()])?;
    Ok(())
}

/// The merge driver command configured in the repository of `dir`, if any.
pub(super) fn configured_driver(dir: &Path) -> Option<String> {
    let out = run(existing(dir), &["config", "--get", &format!("merge.{DRIVER}.driver")]).ok()?;
    Some(String::from_utf8_lossy(&out).trim().to_string()).filter(|s| !s.is_empty())
}

/// Configures the merge driver in the local config of the repository of `dir` to run
/// `program`; returns false when it was already configured so.
pub(super) fn install_driver(dir: &Path, program: &Path) -> Result<bool> {
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
pub(super) fn driver_program(command: &str) -> Option<PathBuf> {
    let rest = command.strip_prefix('\'')?;
    Some(PathBuf::from(&rest[..rest.find('\'')?]))
}

/// Quotes a word for the shell git runs a merge driver with.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// The three versions of a file in a conflicted merge: git's index stages 1 (the base,
/// absent when both sides added the file), 2 (ours) and 3 (theirs).
pub(super) struct Stages {
    pub base: Option<String>,
    pub ours: String,
    pub theirs: String,
}

/// Refuses a write to the project directory `dir` while git's index holds a file of it
/// unmerged (a merge, rebase or cherry-pick stopped on it). Asks git only while one of
/// those is under way, which a few file tests tell: a write costs nothing more otherwise.
pub(super) fn refuse_unmerged(dir: &Path) -> Result<()> {
    let Some(git_dir) = git_dir_above(dir) else { return Ok(()) };
    let under_way = ["MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "rebase-merge", "rebase-apply"]
        .iter()
        .any(|name| git_dir.join(name).exists());
    let Some(parent) = dir.parent().filter(|_| under_way) else { return Ok(()) };
    // The directory, and the old single file a branch may have written meanwhile.
    let old = dir.with_extension("yaml");
    let listing = run(
        parent,
        &[OsStr::new("ls-files"), "-u".as_ref(), "--".as_ref(), dir.as_os_str(), old.as_os_str()],
    )?;
    if listing.is_empty() {
        return Ok(());
    }
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Err(hinted(
        format!("project `{name}` has files that the merge under way left unmerged; nothing was written"),
        format!(
            "run `onboard resolve {name}` first, then finish the merge (`git commit` or `git rebase --continue`)"
        ),
    ))
}

/// The git directory of the work tree holding `dir`: the nearest `.git` folder above it,
/// or the folder a `.git` file points to (a linked work tree).
fn git_dir_above(dir: &Path) -> Option<PathBuf> {
    let mut at = std::path::absolute(dir).ok()?;
    loop {
        let dot_git = at.join(".git");
        if dot_git.is_dir() {
            return Some(dot_git);
        }
        if dot_git.is_file() {
            let text = std::fs::read_to_string(&dot_git).ok()?;
            let pointed = text.trim().strip_prefix("gitdir:")?.trim().to_string();
            return Some(at.join(pointed));
        }
        if !at.pop() {
            return None;
        }
    }
}

/// Every unmerged path under `dir`, absolute, with which of the stages (base, ours,
/// theirs) git holds: one `git ls-files -u`.
pub(super) fn unmerged_under(dir: &Path) -> Result<Vec<(PathBuf, [bool; 3])>> {
    let listing = run(dir, &["ls-files", "-u", "-z", "--full-name", "--", "."])?;
    let top = run(dir, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end());
    let mut found: Vec<(PathBuf, [bool; 3])> = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else { continue };
        let Some(stage) = meta.rsplit(' ').next().and_then(|s| s.parse::<usize>().ok()) else { continue };
        let path = top.join(path);
        let slot = match found.iter_mut().find(|(p, _)| *p == path) {
            Some(slot) => slot,
            None => {
                found.push((path, [false; 3]));
                found.last_mut().expect("just pushed")
            }
        };
        if let Some(held) = stage.checked_sub(1).and_then(|i| slot.1.get_mut(i)) {
            *held = true;
        }
    }
    Ok(found)
}

/// The index stages of `path` when it is unmerged, else `None`.
pub(super) fn unmerged(dir: &Path, path: &Path) -> Result<Option<Stages>> {
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
pub(super) fn line_merge(ours: &Path, base: &Path, theirs: &Path) -> Result<bool> {
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

/// Where a folder sits in its repository.
#[derive(Debug, Clone)]
pub(super) struct Placed {
    /// The work tree's root, where git runs.
    pub top: PathBuf,
    /// The folder's path from the root, `/`-separated, with a trailing `/`
    /// (`.onboard/`); empty when the folder is the root.
    pub prefix: String,
}

/// Where `dir` (which may not exist yet) sits in its git repository.
pub(super) fn locate(dir: &Path) -> Result<Placed> {
    let existing = dir.ancestors().find(|d| d.is_dir()).unwrap_or(Path::new("."));
    let not_in_git = || {
        hinted(
            format!(
                "`onboard diff` reads revisions with git, and `{}` is not inside a git repository",
                dir.display()
            ),
            "run it in a clone of the repository where your team commits `.onboard/`",
        )
    };
    let top = unless_missing(run(existing, &["rev-parse", "--show-toplevel"]))?.map_err(|_| not_in_git())?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']));
    let canonical = |path: &Path| {
        std::fs::canonicalize(path).with_context(|| format!("cannot resolve `{}`", path.display()))
    };
    let rest = dir.strip_prefix(existing).unwrap_or(Path::new(""));
    let inside = canonical(existing)?.join(rest);
    let relative = inside.strip_prefix(canonical(&top)?).map_err(|_| not_in_git())?;
    let mut prefix: String = relative.components().map(|c| c.as_os_str().to_string_lossy() + "/").collect();
    if prefix == "./" {
        prefix.clear();
    }
    Ok(Placed { top, prefix })
}

/// The commit `revision` names, asked of the batch `objects` reads the revisions with.
pub(super) fn commit_of(objects: &mut Objects, revision: &str) -> Result<Commit> {
    let unknown = || {
        hinted(
            format!("unknown revision `{revision}`"),
            "name a commit: a branch, a tag, `HEAD~1` or a hash (`git log --oneline` lists them); a repository without commits has none yet",
        )
    };
    // A revision that starts with `-` would be read as an option by other git commands.
    if revision.is_empty() || revision.starts_with('-') {
        return Err(unknown());
    }
    objects.commit(revision)?.ok_or_else(unknown)
}

/// The best common ancestor of two commits, as `git diff A...B` takes it.
pub(super) fn merge_base(top: &Path, (a, a_name): (&str, &str), (b, b_name): (&str, &str)) -> Result<String> {
    let out = run(top, &["merge-base", a, b]).map_err(|_| {
        hinted(
            format!("`{a_name}` and `{b_name}` have no common ancestor"),
            format!("compare them directly: `onboard diff {a_name} {b_name}`"),
        )
    })?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// How a path changed between two versions, as `git diff --name-status` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    /// The file is new.
    Added,
    /// The file changed, went, or changed kind (a file became a link).
    Other,
}

/// The files under `prefix` that differ between commit `from` and commit `to`, or the
/// working tree (`None`: the index's files against it, and every file git does not
/// track, ignored ones included, since onboard reads those too). Paths are taken from
/// `prefix`. Asks git for the difference, which costs what the change costs, not what
/// the tree holds.
pub(super) fn changes(
    top: &Path,
    from: &str,
    to: Option<&str>,
    prefix: &str,
) -> Result<Vec<(Change, String)>> {
    let pathspec = format!(":(literal){prefix}");
    let limit: &[&str] = if prefix.is_empty() { &[] } else { &["--", &pathspec] };
    // `--no-renames`: a rename would name only the new path; `--no-ext-diff` and
    // `--no-textconv`: the user's diff tools have nothing to say about names.
    let mut args =
        vec!["diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", "--no-textconv", from];
    args.extend(to);
    args.extend(limit);
    // Lock files are per machine and hold no project: one per project ever written here.
    let locks = format!(":(exclude,literal){prefix}locks");
    let under = if prefix.is_empty() { "." } else { pathspec.as_str() };
    let untracked = ["ls-files", "--others", "-z", "--full-name", "--", under, &locks];
    // Against the working tree, both walk it: side by side.
    let (changed, untracked) = std::thread::scope(|scope| {
        let untracked = to.is_none().then(|| scope.spawn(|| run(top, &untracked)));
        let changed = run(top, &args);
        let untracked =
            untracked.map(|thread| thread.join().unwrap_or_else(|_| bail!("git ls-files failed")));
        (changed, untracked)
    });
    let mut found = name_status(&changed?, prefix);
    if let Some(untracked) = untracked {
        for path in untracked?.split(|b| *b == 0).filter(|p| !p.is_empty()) {
            let path = String::from_utf8_lossy(path);
            if let Some(path) = path.strip_prefix(prefix) {
                found.push((Change::Added, path.to_string()));
            }
        }
    }
    Ok(found)
}

/// Reads `git diff --name-status -z`: a status, then its path, each ended by a NUL.
fn name_status(out: &[u8], prefix: &str) -> Vec<(Change, String)> {
    let mut fields = out.split(|b| *b == 0).filter(|f| !f.is_empty());
    let mut found = Vec::new();
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        let change = if status.starts_with(b"A") { Change::Added } else { Change::Other };
        let path = String::from_utf8_lossy(path);
        if let Some(path) = path.strip_prefix(prefix) {
            found.push((change, path.to_string()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_subject_fits_72_characters_and_the_detail_goes_to_the_body() {
        let short = CommitMessage::new("onboard: coop: done 3.2.1").with("Note", None).by("ana");
        assert_eq!(short.paragraphs(), ["onboard: coop: done 3.2.1", "Recorded by ana."]);
        let name = "cooperativa-de-ahorro-y-credito-del-departamento-central-asuncion";
        let long = CommitMessage::new(format!("onboard: {name}: done 3.2.1")).by("ana\nEve");
        let paragraphs = long.paragraphs();
        assert_eq!(paragraphs[0].chars().count(), SUBJECT_WIDTH);
        assert!(paragraphs[0].ends_with('…'), "{paragraphs:?}");
        assert_eq!(paragraphs[1], format!("onboard: {name}: done 3.2.1"), "whole in the body");
        assert_eq!(paragraphs[2], "Recorded by ana\\nEve.", "one line per piece of text");
    }

    #[test]
    fn the_driver_program_is_read_back_as_init_quotes_it() {
        let command = format!("{} merge-file %O %A %B %P", shell_quote("/home/ana/.cargo/bin/onboard"));
        assert_eq!(driver_program(&command), Some(PathBuf::from("/home/ana/.cargo/bin/onboard")));
        assert_eq!(driver_program("onboard merge-file %O %A %B %P"), None);
    }

    #[test]
    fn name_status_reads_each_status_and_path_under_the_prefix() {
        let out =
            b"M\0.onboard/projects/opera/project.yaml\0A\0.onboard/projects/a b/x\ny.yaml\0D\0README.md\0";
        assert_eq!(
            name_status(out, ".onboard/"),
            [
                (Change::Other, "projects/opera/project.yaml".to_string()),
                (Change::Added, "projects/a b/x\ny.yaml".to_string())
            ]
        );
    }
}
