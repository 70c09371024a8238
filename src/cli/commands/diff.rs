//! `onboard diff [REV [REV2]]`: what a change between two git revisions of the state
//! directory means, project by project: work recorded, variables changed, and every due
//! date and earliest start that moved, with its cause. Revisions are read through git
//! (one `cat-file --batch-command` for the revisions, their trees and files), never
//! checked out, and only the projects that may read differently are read: git says which
//! files changed (`Scope`), so a change of ten projects costs the same in a portfolio of
//! 500 or of 50,000. Between two commits that is three git processes in all: `rev-parse`
//! (where the repository is), the batch, and `git diff`.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::store::{Standing, standing_of};
use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::cli::Context;
use crate::cli::git::{self, Change, Objects, Placed, Wanted};
use crate::cli::target::{self, Unreadable};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::render;
use crate::render::diff::{Report, Version};
use crate::state::diff::ProjectDiff;
use crate::store::snapshot::{self, Snapshot, Source};

/// Show what a change between two git revisions means for the plan: work recorded, variables changed, dates moved
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// `REV` (against the working tree), `REV REV2`, or `A...B` (from where B left A, as
    /// `git diff` reads it) [default: HEAD against the working tree]
    #[arg(num_args = 0..=2, value_name = "REV")]
    pub revisions: Vec<String>,
    /// Print JSON (see docs/json.md)
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    /// Print Markdown, for a pull request comment
    #[arg(long)]
    pub markdown: bool,
    /// Exit with 1 when a project changed, as `git diff --exit-code` does
    #[arg(long)]
    pub exit_code: bool,
}

pub(crate) fn run(ctx: &Context, args: DiffArgs) -> Result<ExitCode> {
    // The batch starts while `rev-parse` finds the repository: two git start-ups at once.
    let batch = Objects::start(git::existing(&ctx.store.root));
    let placed = git::locate(&ctx.store.root)?;
    let batch: Batch = Arc::new(Mutex::new(batch?));
    let (from, to) = versions(&placed, &mut lock(&batch), &args.revisions)?;
    let scope = scope(&placed, &from, &to)?;
    // One batch answers one question at a time: the revisions are read in turn.
    let old = snapshot(&placed, &batch, &from, &scope)?;
    let new: Box<dyn Source> = match to.commit {
        Some(_) => Box::new(snapshot(&placed, &batch, &to, &scope)?),
        None => Box::new(ctx.store.clone()),
    };
    // `A...B`: what B's changes become once merged into A, whose tip may hold later values.
    let tip = target(&mut lock(&batch), &args.revisions)?;
    let target = match tip {
        Some(version) => Some((snapshot(&placed, &batch, &version, &scope)?, version.name)),
        None => None,
    };
    let target = target.as_ref().map(|(snapshot, name)| (snapshot, name.as_str()));
    let (projects, unreadable) = compare(ctx, &old, new.as_ref(), target, &scope)?;
    let changed = !projects.is_empty();
    let errors = unreadable.iter().map(Unreadable::json).collect();
    let report = Report { from, to, projects, errors };
    let mut out = crate::cli::ui::stdout();
    if args.json {
        render::json::write(&mut out, &report)?;
    } else if args.markdown {
        render::diff::markdown(&mut out, &report)?;
    } else {
        render::diff::text(&mut out, &report)?;
    }
    out.flush()?;
    target::report_unreadable(&unreadable)?;
    Ok(if !unreadable.is_empty() {
        ExitCode::Error
    } else if changed && args.exit_code {
        ExitCode::Attention
    } else {
        ExitCode::Success
    })
}

/// The batch that reads the revisions, shared with the snapshots, which list where
/// archived files may be only when asked.
type Batch = Arc<Mutex<Objects>>;

fn lock(batch: &Batch) -> MutexGuard<'_, Objects> {
    batch.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The two versions the arguments name, as `git diff` reads them.
fn versions(placed: &Placed, objects: &mut Objects, revisions: &[String]) -> Result<(Version, Version)> {
    let mut commit = |name: &str| -> Result<Version> {
        Ok(Version { name: name.to_string(), commit: Some(git::commit_of(objects, name)?.id) })
    };
    let worktree = Version { name: "working tree".into(), commit: None };
    match revisions {
        [] => Ok((commit("HEAD")?, worktree)),
        [one] => match (one.split_once("..."), one.split_once("..")) {
            (Some((a, b)), _) => {
                let (a, b) = (or_head(a), or_head(b));
                let (a_commit, to) = (commit(a)?.commit.unwrap_or_default(), commit(b)?);
                let to_commit = to.commit.clone().unwrap_or_default();
                let base = git::merge_base(&placed.top, (&a_commit, a), (&to_commit, b))?;
                Ok((Version { name: format!("merge base of {a} and {b}"), commit: Some(base) }, to))
            }
            (None, Some((a, b))) => Ok((commit(or_head(a))?, commit(or_head(b))?)),
            (None, None) => Ok((commit(one)?, worktree)),
        },
        [one, two] => {
            if one.contains("..") || two.contains("..") {
                return Err(hinted(
                    format!("`{one} {two}`: a range and a second revision"),
                    "give two revisions (`onboard diff main HEAD`) or one range (`onboard diff main...HEAD`)",
                ));
            }
            Ok((commit(one)?, commit(two)?))
        }
        _ => unreachable!("clap takes at most two revisions"),
    }
}

/// The branch a `A...B` range is merged into: A, at its tip.
fn target(objects: &mut Objects, revisions: &[String]) -> Result<Option<Version>> {
    match revisions {
        [one] => match one.split_once("...") {
            Some((a, _)) => {
                let a = or_head(a);
                Ok(Some(Version { name: a.to_string(), commit: Some(git::commit_of(objects, a)?.id) }))
            }
            None => Ok(None),
        },
        _ => Ok(None),
    }
}

/// An empty side of a range means HEAD, as in git.
fn or_head(side: &str) -> &str {
    if side.is_empty() { "HEAD" } else { side }
}

/// Which projects a comparison reads.
#[derive(Debug, PartialEq, Eq)]
enum Scope {
    /// Every project: a file that many projects are read with changed (a team playbook,
    /// a calendar override, a saved playbook version edited or removed), or an archived
    /// file or a link's target may have.
    All,
    /// These names, whose own files changed. Every other project is read from the same
    /// files, with the same playbook and calendar, at both versions: it reads the same,
    /// so it has nothing to show, and is not read.
    Projects(BTreeSet<String>),
}

/// What the files that changed between the versions ask to read (one `git diff`, and for
/// the working tree one `git ls-files` of the files git does not track).
fn scope(placed: &Placed, from: &Version, to: &Version) -> Result<Scope> {
    let from = from.commit.as_deref().expect("the first version is a commit");
    let mut projects = BTreeSet::new();
    for (change, path) in git::changes(&placed.top, from, to.commit.as_deref(), &placed.prefix)? {
        match reads(change, &path) {
            Reads::Nothing => {}
            Reads::Project(name) => {
                projects.insert(name.to_string());
            }
            Reads::Every => return Ok(Scope::All),
        }
    }
    Ok(Scope::Projects(projects))
}

/// What a changed file, at `path` from the state directory, asks to read.
#[derive(Debug, PartialEq, Eq)]
enum Reads<'p> {
    Nothing,
    Project(&'p str),
    Every,
}

fn reads(change: Change, path: &str) -> Reads<'_> {
    let Some((folder, rest)) = path.split_once('/') else {
        // A file beside the folders (`.gitignore`) holds no project and nothing one reads.
        return Reads::Nothing;
    };
    let is_read = rest.ends_with(".yaml") && !rest.contains('/');
    match folder {
        // A project directory's file, or an old single file (`projects/<name>.yaml`); a
        // name that turns out to be no project at either version is dropped later.
        "projects" => match rest.split_once('/') {
            Some((id, _)) => Reads::Project(id),
            None => Reads::Project(rest.strip_suffix(".yaml").unwrap_or(rest)),
        },
        // A saved version is never edited: a new one (the first project started on it)
        // changes nothing for a project that did not change, which either read the
        // current playbook of that content or could not be read before.
        "versions" if is_read && change != Change::Added => Reads::Every,
        "playbooks" | "calendars" if is_read => Reads::Every,
        "versions" | "playbooks" | "calendars" | "locks" => Reads::Nothing,
        // An archived project file (`archive/opera.yaml`), or the target of a link: a
        // project that did not change may read it.
        _ if path.ends_with(".yaml") => Reads::Every,
        _ => Reads::Nothing,
    }
}

/// The state directory at a commit, as far as `scope` reads it: the trees walked down to
/// the projects in scope and the folders they are read with, then their files, all
/// through the batch.
fn snapshot(placed: &Placed, batch: &Batch, version: &Version, scope: &Scope) -> Result<Snapshot> {
    let id = version.commit.as_deref().expect("a revision has a commit");
    let commit = lock(batch).commit(id)?.with_context(|| format!("git has no commit {id}"))?;
    // Files are named `REV:path` in messages, which `git show` reads back; a merge base
    // has no name, so its commit stands for it.
    let name = if version.name.starts_with("merge base") { &id[..12] } else { version.name.as_str() };
    let origin = format!("{name}:{}", placed.prefix);
    let fetch = |objects: &[String]| lock(batch).blobs(objects);
    let whole = || lock(batch).files(&commit, &placed.prefix, &Wanted::all());
    let Scope::Projects(projects) = scope else { return Snapshot::build(origin, whole()?, fetch) };
    let entries = lock(batch).files(&commit, &placed.prefix, &Wanted::paths(paths_read(projects)))?;
    // A link may lead to any file of the revision, listed or not.
    if entries.iter().any(|entry| entry.link) {
        return Snapshot::build(origin, whole()?, fetch);
    }
    let (batch, prefix) = (batch.clone(), placed.prefix.clone());
    let others = move || archive_paths(&mut lock(&batch), &commit, &prefix);
    Ok(Snapshot::build(origin, entries, fetch)?.with_others_listed_by(Box::new(others)))
}

/// The folders every project is read with.
const INPUTS: [&str; 3] = ["versions", "playbooks", "calendars"];

/// The paths, from the state directory, of `projects` and of what they are read with.
fn paths_read(projects: &BTreeSet<String>) -> Vec<String> {
    let own = projects.iter().flat_map(|name| [format!("projects/{name}"), format!("projects/{name}.yaml")]);
    INPUTS.iter().map(std::string::ToString::to_string).chain(own).collect()
}

/// The files of `commit` where archived project files may be: the folders of the state
/// directory onboard does not keep, without listing the projects.
fn archive_paths(objects: &mut Objects, commit: &git::Commit, prefix: &str) -> Result<Vec<String>> {
    let folders: Vec<String> =
        objects.folders(commit, prefix)?.into_iter().filter(|f| !snapshot::is_known_folder(f)).collect();
    if folders.is_empty() {
        return Ok(Vec::new());
    }
    Ok(objects.files(commit, prefix, &Wanted::paths(folders))?.into_iter().map(|entry| entry.path).collect())
}

/// Every project of either version, by name: what changed, and the files that could not
/// be read (which do not hide the others).
fn compare(
    ctx: &Context,
    old: &Snapshot,
    new: &dyn Source,
    target: Option<(&Snapshot, &str)>,
    scope: &Scope,
) -> Result<(Vec<ProjectDiff>, Vec<Unreadable>)> {
    let (before, after) = match scope {
        Scope::All => (old.project_names()?, new.project_names()?),
        Scope::Projects(among) => (old.project_names_among(among)?, new.project_names_among(among)?),
    };
    let names: Vec<&String> = before.iter().chain(&after).collect::<BTreeSet<_>>().into_iter().collect();
    let one_sided = names.iter().any(|n| !before.contains(n) || !after.contains(n));
    let (old_archive, new_archive) =
        if one_sided { (old.archived()?, new.archived()?) } else { Default::default() };
    let results: Vec<Result<Option<ProjectDiff>, Unreadable>> = names
        .into_par_iter()
        .map(|name| {
            let unreadable = |source: &dyn Source| {
                let path = source.project_path(name);
                move |error| Unreadable::new(name.clone(), path, error)
            };
            match (before.contains(name), after.contains(name)) {
                (true, true) => {
                    let was = old.load_as_is(name).map_err(unreadable(old))?;
                    let is = new.load_as_is(name).map_err(unreadable(new))?;
                    let now = ctx.now(is.file.calendar()).0;
                    let diff = ProjectDiff::changed(name, &was, &is, now);
                    // What the target's tip holds later can only be read when it has the project.
                    let tip = target.and_then(|(tip, revision)| Some((tip.read(name).ok()?, revision)));
                    Ok(match (diff, tip) {
                        (Some(diff), Some((tip, revision))) => {
                            Some(diff.against_target(&was.file, &is.file, &tip, revision))
                        }
                        // Nothing added, so no `set` for the target to override.
                        (diff, _) => diff,
                    })
                }
                (false, _) => {
                    let file = new.read(name).map_err(unreadable(new))?;
                    Ok(Some(ProjectDiff::added(name, &file, old_archive.get(name).cloned())))
                }
                (true, false) => {
                    let file = old.read(name).map_err(unreadable(old))?;
                    // A deleted project's files pruned: it had left the plan already.
                    if standing_of(&file.lifecycle).0 == Standing::Deleted {
                        return Ok(None);
                    }
                    Ok(Some(ProjectDiff::removed(name, &file, new_archive.get(name).cloned())))
                }
            }
        })
        .collect();
    let (mut projects, mut unreadable) = (Vec::new(), Vec::new());
    for result in results {
        match result {
            Ok(Some(project)) => projects.push(project),
            Ok(None) => {}
            Err(bad) => unreadable.push(bad),
        }
    }
    Ok((projects, unreadable))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_reads_its_project_or_every_project_or_nothing() {
        let table = [
            (Change::Other, "projects/opera/20261109T080000Z-set-J-7ce5ae48.yaml", Reads::Project("opera")),
            (Change::Added, "projects/vidy/project.yaml", Reads::Project("vidy")),
            (Change::Other, "projects/lausanne.yaml", Reads::Project("lausanne")),
            (Change::Other, "projects/vidy", Reads::Project("vidy")),
            (Change::Added, "versions/data-import-cb1abf3a03e4.yaml", Reads::Nothing),
            (Change::Other, "versions/data-import-cb1abf3a03e4.yaml", Reads::Every),
            (Change::Added, "playbooks/data-import.yaml", Reads::Every),
            (Change::Other, "calendars/CH.yaml", Reads::Every),
            (Change::Added, "calendars/README.md", Reads::Nothing),
            (Change::Added, "locks/opera.lock", Reads::Nothing),
            (Change::Other, "archive/opera.yaml", Reads::Every),
            (Change::Other, "archive/notes.txt", Reads::Nothing),
            (Change::Other, ".gitignore", Reads::Nothing),
        ];
        for (change, path, expected) in table {
            assert_eq!(reads(change, path), expected, "{path}");
        }
    }

    #[test]
    fn a_listing_of_the_revision_keeps_the_projects_in_scope_and_their_inputs() {
        let projects: BTreeSet<String> = ["opera".to_string(), "lausanne".to_string()].into();
        let wanted = Wanted::paths(paths_read(&projects));
        assert!(wanted.covers("projects/opera/project.yaml"));
        assert!(wanted.covers("projects/lausanne.yaml"));
        assert!(wanted.covers("versions/data-import-cb1abf3a03e4.yaml"));
        assert!(wanted.covers("calendars/CH.yaml"));
        assert!(!wanted.covers("projects/opera-2/project.yaml"));
        assert!(!wanted.covers("projects/vidy.yaml"));
        assert!(!wanted.covers("archive/opera.yaml"));
        assert_eq!(
            paths_read(&projects),
            [
                "versions",
                "playbooks",
                "calendars",
                "projects/lausanne",
                "projects/lausanne.yaml",
                "projects/opera",
                "projects/opera.yaml"
            ]
        );
    }
}
