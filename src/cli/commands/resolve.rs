//! `onboard resolve`: repair what a merge left unmerged. In a project directory, the only
//! conflict git's merge leaves is two different edits of one event file: merged field by
//! field against their base, or refused with the fields both sides changed; and an old
//! single file one branch wrote while another converted it is folded into the directory.
//! An old single project file (formats 1–3) with conflict markers is merged event by
//! event, as the merge driver does, in `projects/` or `archive/`.

use clap_complete::engine::ArgValueCompleter;
use std::path::Path;

use anyhow::{Context as _, Result};

use crate::cli::complete;
use crate::cli::{Context, git, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::safe_path::read_inside;
use crate::state::conflict::{first_marker, split};
use crate::state::merge::merge;
use crate::state::progress;
use crate::state::project::ProjectFile;
use crate::store::Shelf;
use crate::store::parse_events;

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

pub(crate) fn run(ctx: &Context, args: ResolveArgs) -> Result<ExitCode> {
    let in_git = git::is_work_tree(&ctx.store.root);
    let unmerged = if in_git { git::unmerged_under(&ctx.store.root)? } else { Vec::new() };
    let dirs = match &args.project {
        Some(name) if ctx.store.is_dir_project(name) => vec![name.clone()],
        Some(_) => Vec::new(),
        None => conflicted_dirs(ctx, &unmerged)?,
    };
    let mut resolved = 0;
    for id in &dirs {
        resolved += resolve_dir(ctx, id, &unmerged)?;
    }
    if !dirs.is_empty() && args.project.is_some() {
        if resolved == 0 {
            say!("Nothing to resolve in `{}`: no file of it has a conflict.", dirs[0]);
        }
        return Ok(ExitCode::Success);
    }
    let found = match args.project {
        Some(name) => {
            let name = target::project(ctx, Some(name))?;
            // An archived project is looked for only when no active one has the name.
            let archived = !ctx.store.project_path(&name).exists() && ctx.store.archive_path(&name).exists();
            vec![(if archived { Shelf::Archived } else { Shelf::Active }, name)]
        }
        None => conflicted(ctx, in_git)?,
    };
    if found.is_empty() && resolved == 0 {
        say!("Nothing to resolve: no project file has a conflict.");
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
            let marked = read_inside(&path, &ctx.store.root).is_ok_and(|text| first_marker(&text).is_some());
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
        say!("Nothing to resolve in `{name}`: its file has no conflict.");
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
    say!("Resolved {which}`{name}`: merged both sides' events (read from {how}).");
    if shelf == Shelf::Active {
        warn_out_of_order(ctx, name, &merged);
    }
    if staged {
        say!("Staged it; finish the merge with `git commit` (or `git rebase --continue`).");
    }
    Ok(())
}

fn versions(ctx: &Context, path: &Path, in_git: bool) -> Result<Option<Versions>> {
    if in_git && let Some(stages) = git::unmerged(&ctx.store.root, &absolute(path)?)? {
        return Ok(Some(Versions::of_index(stages)));
    }
    let text = match read_inside(path, &ctx.store.root) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            // Reading it the usual way gives the usual message and hint.
            ctx.store.read(path.file_stem().map(|s| s.to_string_lossy()).as_deref().unwrap_or_default())?;
            return Ok(None);
        }
        Err(error) => return Err(error).with_context(|| format!("cannot read `{}`", path.display())),
    };
    Versions::of_markers(&text, path)
}

impl Versions {
    /// The three stages git's index holds for a file it left unmerged.
    fn of_index(stages: git::Stages) -> Versions {
        Versions { base: stages.base, ours: stages.ours, theirs: stages.theirs, in_index: true }
    }

    /// The sides between a file's conflict markers; `None` when it has none.
    fn of_markers(text: &str, path: &Path) -> Result<Option<Versions>> {
        let sides = split(text)
            .with_context(|| format!("cannot resolve `{}`; nothing was changed", path.display()))?;
        Ok(sides.map(|s| Versions { base: s.base, ours: s.ours, theirs: s.theirs, in_index: false }))
    }
}

/// The project directories with a file that has conflict markers or that git's index
/// holds unmerged, and those beside which an unmerged old single file lies.
fn conflicted_dirs(ctx: &Context, unmerged: &[(std::path::PathBuf, [bool; 3])]) -> Result<Vec<String>> {
    let root = absolute(&ctx.store.root)?;
    let mut found = Vec::new();
    for id in ctx.store.dir_ids()? {
        let dir = root.join("projects").join(&id);
        let old = root.join("projects").join(format!("{id}.yaml"));
        let in_index = unmerged.iter().any(|(p, _)| p.starts_with(&dir) || *p == old);
        let marked = crate::safe_path::yaml_files(&dir)?
            .iter()
            .any(|path| read_inside(path, &ctx.store.root).is_ok_and(|text| first_marker(&text).is_some()));
        if in_index || marked {
            found.push(id);
        }
    }
    Ok(found)
}

/// Resolves what is unmerged in project directory `id`; returns how many files.
fn resolve_dir(ctx: &Context, id: &str, unmerged: &[(std::path::PathBuf, [bool; 3])]) -> Result<usize> {
    crate::safe_path::refuse_escaping_link(&ctx.store.project_dir(id), &ctx.store.root)?;
    let dir = absolute(&ctx.store.project_dir(id))?;
    let old = absolute(&ctx.store.project_file(id))?;
    let mut count = 0;
    // An old single file that one branch wrote while another converted the project: git
    // leaves it, written, beside the directory; its new events join the directory.
    let stale = unmerged.iter().find(|(p, stages)| *p == old && !(stages[1] && stages[2]));
    if let Some((path, _)) = stale
        && path.exists()
    {
        let events = ctx.store.fold(id, path)?;
        git::run(
            &ctx.store.root,
            &[std::ffi::OsStr::new("add"), "-A".as_ref(), "--".as_ref(), path.as_os_str(), dir.as_os_str()],
        )?;
        say!(
            "Resolved `{id}`: folded {} from `{}`, which another branch wrote while this one converted the project, into `{}`; staged.",
            crate::words::count(events as i64, "new event"),
            path.display(),
            dir.display()
        );
        count += 1;
    }
    let mut paths: Vec<std::path::PathBuf> = crate::safe_path::yaml_files(&dir)?;
    paths.extend(unmerged.iter().filter(|(p, _)| p.starts_with(&dir)).map(|(p, _)| p.clone()));
    paths.sort();
    paths.dedup();
    for path in paths {
        let in_index = unmerged.iter().any(|(p, _)| *p == path);
        let Some(versions) = versions_of(ctx, &path, in_index)? else { continue };
        resolve_event_file(ctx, id, &path, &versions)?;
        count += 1;
    }
    Ok(count)
}

/// The sides of one conflicted file of a project directory: from git's index, else from
/// its markers; `None` when it has no conflict.
fn versions_of(ctx: &Context, path: &Path, in_index: bool) -> Result<Option<Versions>> {
    if in_index && let Some(stages) = git::unmerged(&ctx.store.root, path)? {
        return Ok(Some(Versions::of_index(stages)));
    }
    if in_index {
        let message =
            format!("`{}` was deleted on one side of the merge and changed on the other", path.display());
        return Err(hinted(message, crate::cli::hints::keep_one_side(&project_of(path))));
    }
    let Ok(text) = read_inside(path, &ctx.store.root) else { return Ok(None) };
    Versions::of_markers(&text, path)
}

/// The id of the project directory a file is in.
fn project_of(path: &Path) -> String {
    path.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Merges two edits of one event file, or refuses with the fields both changed.
fn resolve_event_file(ctx: &Context, id: &str, path: &Path, versions: &Versions) -> Result<()> {
    use crate::store::layout::{HEAD_FILE, merge_event, parse_event, render_event};
    let cannot = || format!("cannot resolve `{}`; nothing was changed", path.display());
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name == HEAD_FILE {
        let message = format!(
            "two branches started project `{id}` differently: `{}` holds both starts",
            path.display()
        );
        return Err(hinted(
            message,
            "keep one start (`git checkout --ours` or `--theirs` on it, then `git add` it); start the other project again under another name",
        ));
    }
    let side = |text: &str, which: &str| {
        parse_event(text, path).with_context(|| format!("{which} side does not parse")).with_context(cannot)
    };
    let base = versions.base.as_deref().map(|text| side(text, "the common ancestor's")).transpose()?;
    let (ours, theirs) = (side(&versions.ours, "our")?, side(&versions.theirs, "their")?);
    let merged = match merge_event(base.as_ref(), &ours, &theirs) {
        Ok(merged) => merged,
        Err(clashes) => {
            let fields: Vec<String> = clashes
                .iter()
                .map(|c| {
                    let shown = |v: &Option<serde_yaml::Value>| {
                        v.as_ref().map_or("nothing".to_string(), |v| {
                            format!("`{}`", crate::state::project::yaml_text(v))
                        })
                    };
                    format!("`{}`: ours {}, theirs {}", c.field, shown(&c.ours), shown(&c.theirs))
                })
                .collect();
            let message = format!("both sides changed the same fields of one event: {}", fields.join("; "));
            return Err(hinted(message, crate::cli::hints::keep_one_side(id))).with_context(cannot);
        }
    };
    let text = render_event(&merged).context("cannot serialize the event")?;
    ctx.store.write_in_dir(id, &name, &text)?;
    let staged = versions.in_index && git::add(&ctx.store.root, path).is_ok();
    say!("Resolved `{id}`: merged two edits of `{name}` field by field.");
    if staged {
        say!("Staged it; finish the merge with `git commit` (or `git rebase --continue`).");
    }
    Ok(())
}

/// Says which steps the merge left done while a prerequisite is open.
fn warn_out_of_order(ctx: &Context, name: &str, file: &ProjectFile) {
    let Ok(loaded) = target::load(ctx, name) else { return };
    let view = progress::compute(&loaded.playbook, file);
    for step in view.steps().filter(|s| !s.ahead_of.is_empty()) {
        warn!(
            "{} is {} while {} is open; `onboard doctor` lists what to check",
            step.step.named(),
            step.status,
            step.ahead_of.join(", ")
        );
    }
}

fn absolute(path: &Path) -> Result<std::path::PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot resolve the path `{}`", path.display()))
}
