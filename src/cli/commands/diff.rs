//! `onboard diff [REV [REV2]]`: what a change between two git revisions of the state
//! directory means, project by project: work recorded, variables changed, and every due
//! date and earliest start that moved, with its cause. Revisions are read through git
//! (`ls-tree`, `cat-file --batch`), never checked out.

use std::collections::BTreeSet;
use std::io::Write;

use crate::store::{Standing, standing_of};
use anyhow::Result;
use rayon::prelude::*;

use crate::cli::Context;
use crate::cli::git::{self, Placed};
use crate::cli::target::{self, Unreadable};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::render;
use crate::render::diff::{Report, Version};
use crate::state::diff::ProjectDiff;
use crate::store::snapshot::{Snapshot, Source};

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

pub fn run(ctx: &Context, args: DiffArgs) -> Result<ExitCode> {
    let placed = git::locate(&ctx.store.root)?;
    let (from, to) = versions(&placed, &args.revisions)?;
    let old = snapshot(&placed, &from)?;
    let new: Box<dyn Source> = match &to.commit {
        Some(_) => Box::new(snapshot(&placed, &to)?),
        None => Box::new(ctx.store.clone()),
    };
    // `A...B`: what B's changes become once merged into A, whose tip may hold later values.
    let target = match target(&placed, &args.revisions)? {
        Some(version) => Some((snapshot(&placed, &version)?, version.name)),
        None => None,
    };
    let target = target.as_ref().map(|(snapshot, name)| (snapshot, name.as_str()));
    let (projects, unreadable) = compare(ctx, &old, new.as_ref(), target)?;
    let changed = !projects.is_empty();
    let errors = unreadable.iter().map(Unreadable::json).collect();
    let report = Report { from, to, projects, errors };
    let mut out = std::io::stdout().lock();
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

/// The two versions the arguments name, as `git diff` reads them.
fn versions(placed: &Placed, revisions: &[String]) -> Result<(Version, Version)> {
    let commit = |name: &str| -> Result<Version> {
        Ok(Version { name: name.to_string(), commit: Some(git::commit_of(&placed.top, name)?) })
    };
    let worktree = Version { name: "working tree".into(), commit: None };
    match revisions {
        [] => Ok((commit("HEAD")?, worktree)),
        [one] => match (one.split_once("..."), one.split_once("..")) {
            (Some((a, b)), _) => {
                let (a, b) = (or_head(a), or_head(b));
                let (a_commit, to) = (git::commit_of(&placed.top, a)?, commit(b)?);
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
fn target(placed: &Placed, revisions: &[String]) -> Result<Option<Version>> {
    match revisions {
        [one] => match one.split_once("...") {
            Some((a, _)) => {
                let a = or_head(a);
                Ok(Some(Version { name: a.to_string(), commit: Some(git::commit_of(&placed.top, a)?) }))
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

/// The state directory at a commit: one `ls-tree`, one `cat-file --batch`.
fn snapshot(placed: &Placed, version: &Version) -> Result<Snapshot> {
    let commit = version.commit.as_deref().expect("a revision has a commit");
    // Files are named `REV:path` in messages, which `git show` reads back; a merge base
    // has no name, so its commit stands for it.
    let name = if version.name.starts_with("merge base") { &commit[..12] } else { version.name.as_str() };
    let entries = git::tree(&placed.top, commit, &placed.prefix)?;
    Snapshot::build(format!("{name}:{}", placed.prefix), entries, |objects| {
        git::objects(&placed.top, objects)
    })
}

/// Every project of either version, by name: what changed, and the files that could not
/// be read (which do not hide the others).
fn compare(
    ctx: &Context,
    old: &Snapshot,
    new: &dyn Source,
    target: Option<(&Snapshot, &str)>,
) -> Result<(Vec<ProjectDiff>, Vec<Unreadable>)> {
    let (before, after) = (old.project_names()?, new.project_names()?);
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
