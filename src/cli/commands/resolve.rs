//! `onboard resolve`: repair a project file that git left with conflict markers (a merge
//! made without the driver: a forge's web merge, a clone where `onboard init` never
//! ran), with the same event-by-event merge as the driver, in `projects/` or `archive/`.

use clap_complete::engine::ArgValueCompleter;
use std::path::Path;

use anyhow::{Context as _, Result};

use crate::cli::complete;
use crate::cli::{Context, git, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::state::check_project_name;
use crate::state::conflict::{first_marker, split};
use crate::state::lifecycle::Shelf;
use crate::state::merge::merge;
use crate::state::progress;
use crate::state::project::ProjectFile;
use crate::state::store::parse_events;
use crate::text::read_text;

/// Merge both sides of a conflicted project file, as the merge driver would
#[derive(Debug, clap::Args)]
pub struct ResolveArgs {
    /// The project, active or archived [default: every project file with a conflict]
    #[arg(add = ArgValueCompleter::new(complete::projects))]
    pub project: Option<String>,
}

/// The versions of a conflicted file, and whether git's index holds them.
struct Versions {
    base: Option<String>,
    ours: String,
    theirs: String,
    in_index: bool,
}

pub fn run(ctx: &Context, args: ResolveArgs) -> Result<ExitCode> {
    let in_git = git::is_work_tree(&ctx.store.root);
    let found = match args.project {
        Some(name) => {
            check_project_name(&name)
                .map_err(|m| hinted(m, "project names are slugs such as `coop-central`"))?;
            // An archived project is looked for only when no active one has the name.
            let archived = !ctx.store.project_path(&name).exists() && ctx.store.archive_path(&name).exists();
            vec![(if archived { Shelf::Archived } else { Shelf::Active }, name)]
        }
        None => conflicted(ctx, in_git)?,
    };
    if found.is_empty() {
        eprintln!("Nothing to resolve: no project file has a conflict.");
    }
    for (shelf, name) in &found {
        resolve(ctx, *shelf, name, in_git)?;
    }
    Ok(ExitCode::Success)
}

/// The projects, active then archived, whose file has markers or is unmerged in git's
/// index.
fn conflicted(ctx: &Context, in_git: bool) -> Result<Vec<(Shelf, String)>> {
    let mut found = Vec::new();
    let shelves =
        [(Shelf::Active, ctx.store.project_names()?), (Shelf::Archived, ctx.store.archived_names()?)];
    for (shelf, names) in shelves {
        for name in names {
            let path = shelf.path(&ctx.store, &name);
            let marked = read_text(&path).is_ok_and(|text| first_marker(&text).is_some());
            if marked || (in_git && git::unmerged(&ctx.store.root, &absolute(&path)?)?.is_some()) {
                found.push((shelf, name));
            }
        }
    }
    Ok(found)
}

fn resolve(ctx: &Context, shelf: Shelf, name: &str, in_git: bool) -> Result<()> {
    let path = shelf.path(&ctx.store, name);
    let Some(versions) = versions(ctx, &path, in_git)? else {
        eprintln!("Nothing to resolve in `{name}`: its file has no conflict.");
        return Ok(());
    };
    let cannot = || format!("cannot resolve `{}`; nothing was changed", path.display());
    let side = |text: &str, which: &str| {
        parse_events(text, &path).with_context(|| format!("{which} side does not parse")).with_context(cannot)
    };
    let base = versions.base.as_deref().map(|text| side(text, "the common ancestor's")).transpose()?;
    let merged = merge(base.as_ref(), &side(&versions.ours, "our")?, &side(&versions.theirs, "their")?)
        .with_context(cannot)?;
    if merged.project != name {
        let message = format!("`{}` holds project `{}`, not `{name}`", path.display(), merged.project);
        return Err(hinted(message, "rename the file after the project it holds")).with_context(cannot);
    }
    ctx.store.replace(shelf, &merged)?;
    let staged = versions.in_index && git::add(&ctx.store.root, &absolute(&path)?).is_ok();
    let how = if versions.in_index { "git's index" } else { "the conflict markers" };
    let which = if shelf == Shelf::Archived { "archived project " } else { "" };
    eprintln!("Resolved {which}`{name}`: merged both sides' events (read from {how}).");
    if shelf == Shelf::Active {
        warn_out_of_order(ctx, name, &merged);
    }
    if staged {
        eprintln!("Staged it; finish the merge with `git commit` (or `git rebase --continue`).");
    }
    Ok(())
}

fn versions(ctx: &Context, path: &Path, in_git: bool) -> Result<Option<Versions>> {
    if in_git && let Some(stages) = git::unmerged(&ctx.store.root, &absolute(path)?)? {
        let (base, ours, theirs) = (stages.base, stages.ours, stages.theirs);
        return Ok(Some(Versions { base, ours, theirs, in_index: true }));
    }
    let text = match read_text(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            // Reading it the usual way gives the usual message and hint.
            ctx.store.read(path.file_stem().map(|s| s.to_string_lossy()).as_deref().unwrap_or_default())?;
            return Ok(None);
        }
        Err(error) => return Err(error).with_context(|| format!("cannot read `{}`", path.display())),
    };
    let sides =
        split(&text).with_context(|| format!("cannot resolve `{}`; nothing was changed", path.display()))?;
    Ok(sides.map(|s| Versions { base: s.base, ours: s.ours, theirs: s.theirs, in_index: false }))
}

/// Says which steps the merge left done while a prerequisite is open.
fn warn_out_of_order(ctx: &Context, name: &str, file: &ProjectFile) {
    let Ok(loaded) = target::load(ctx, name) else { return };
    let view = progress::compute(&loaded.followed.playbook, file);
    for step in view.steps().filter(|s| !s.ahead_of.is_empty()) {
        eprintln!(
            "warning: {} is {} while {} is open; `onboard doctor` lists what to check",
            step.step.named(),
            step.status,
            step.ahead_of.join(", ")
        );
    }
}

fn absolute(path: &Path) -> Result<std::path::PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot resolve the path `{}`", path.display()))
}
