//! `onboard migrate`: convert project files of formats 1–3 to project directories (one
//! file per event), every event, instant, author and value kept, unknown ones included;
//! and fold an old file that a merge left beside its directory into it.

use anyhow::Result;

use crate::cli::{Context, git, runner};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::store::Shelf;

/// Convert old project files to project directories
///
/// Each project file of formats 1–3 (`projects/NAME.yaml`, `archive/NAME.yaml`) becomes
/// `projects/NAME/`: `project.yaml` and one file per event. Any write converts a project
/// on its own; `migrate` converts them all at once, in one commit with `--commit`. An old
/// file left beside its directory by a merge has its events folded in.
#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// The projects to convert [default: every old file]
    pub projects: Vec<String>,
    /// Convert every old file (the default when no project is named)
    #[arg(long, conflicts_with = "projects")]
    pub all: bool,
    /// Commit the conversion with git, in one commit
    #[arg(long)]
    pub commit: bool,
}

pub(crate) fn run(ctx: &Context, args: MigrateArgs) -> Result<ExitCode> {
    if args.commit {
        git::ensure_repository(&ctx.store.root)?;
    }
    let old = old_files(ctx)?;
    let chosen: Vec<(String, Shelf)> = match args.projects.is_empty() {
        true => old,
        false => {
            let mut chosen = Vec::new();
            for name in &args.projects {
                let found: Vec<_> = old.iter().filter(|(n, _)| n == name).cloned().collect();
                if found.is_empty() {
                    return Err(hinted(
                        format!("project `{name}` has no file of an older format to convert"),
                        "`onboard doctor` lists the files that need `onboard migrate`",
                    ));
                }
                chosen.extend(found);
            }
            chosen
        }
    };
    for (name, shelf) in &chosen {
        let path = shelf.path(&ctx.store, name);
        if ctx.store.is_dir_project(name) {
            let count = ctx.store.fold(name, &path)?;
            say!("Folded `{}` into project `{name}`: {count} new events.", path.display());
        } else {
            ctx.store.transact(name, |_| Ok(()), |_| Ok(()))?;
            say!("Converted project `{name}` to `{}`.", ctx.store.project_dir(name).display());
        }
    }
    if chosen.is_empty() {
        say!("Nothing to convert: every project is a directory already.");
    } else if args.commit {
        let names: Vec<&str> = chosen.iter().map(|(n, _)| n.as_str()).collect();
        let subject = match names.as_slice() {
            [one] => format!("onboard: {one}: converted to a project directory"),
            _ => format!("onboard: converted {} projects to directories", names.len()),
        };
        runner::commit(ctx, subject, &[("Projects", names.join(", "))], &ctx.actor()?, &[])?;
    }
    Ok(ExitCode::Success)
}

/// Every old single project file, by project name and shelf.
fn old_files(ctx: &Context) -> Result<Vec<(String, Shelf)>> {
    let mut found = Vec::new();
    for shelf in [Shelf::Active, Shelf::Archived] {
        for path in crate::safe_path::yaml_files(&ctx.store.root.join(shelf.folder()))? {
            if let Some(stem) = path.file_stem() {
                found.push((stem.to_string_lossy().into_owned(), shelf));
            }
        }
    }
    Ok(found)
}
