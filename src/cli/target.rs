//! Which project (and step) a command is about: named, the only one, or chosen on a
//! terminal; and loading it with the playbook version it follows.

use std::path::PathBuf;

use anyhow::Result;

use super::{Context, prompt};
use crate::calendar::Calendar;
use crate::deadline::schedule::{Schedule, Thresholds, schedule};
use crate::error::hinted;
use crate::state::check_project_name;
use crate::state::progress::Progress;
use crate::state::project::ProjectFile;
use crate::state::store::{Followed, check_against};

/// A project read from disk with the playbook it follows, checked against it, and its
/// working calendar.
pub struct Loaded {
    pub name: String,
    pub path: PathBuf,
    pub file: ProjectFile,
    pub followed: Followed,
    pub calendar: Calendar,
}

impl Loaded {
    /// The project's deadlines as of now.
    pub fn schedule(&self, ctx: &Context, progress: &Progress<'_>, thresholds: Thresholds) -> Schedule {
        let now = ctx.now(self.file.calendar()).0;
        schedule(progress, &self.calendar, self.file.started_at().0, now, thresholds)
    }
}

/// Warns on stderr when a computation reached years the holiday data does not cover.
pub fn warn_uncovered(calendar: &Calendar) {
    let years = calendar.take_uncovered();
    if years.is_empty() {
        return;
    }
    let list: Vec<String> = years.iter().map(i32::to_string).collect();
    eprintln!(
        "warning: calendar `{}` has complete holiday data for {}-{} only; due dates in {} may count missing holidays as business days",
        calendar.id,
        calendar.years.0,
        calendar.years.1,
        list.join(", ")
    );
}

/// The project named, or the only one, or one chosen on a terminal.
pub fn project(ctx: &Context, named: Option<String>) -> Result<String> {
    if let Some(name) = named {
        check_project_name(&name).map_err(|m| hinted(m, "project names are slugs such as `coop-central`"))?;
        return Ok(name);
    }
    let names = ctx.store.project_names()?;
    match names.as_slice() {
        [] => Err(hinted(
            format!("there are no projects in `{}`", ctx.store.root.display()),
            "start one with `onboard start PLAYBOOK NAME`",
        )),
        [only] => Ok(only.clone()),
        _ if ctx.interactive => Ok(names[prompt::select("Which project?", &names)?].clone()),
        _ => Err(hinted(
            format!("there are {} projects; name one", names.len()),
            format!("the projects are {}", names.join(", ")),
        )),
    }
}

/// Splits `[PROJECT] [STEP]` when only one was given: a project name if such a project
/// exists, otherwise a step of the only project.
pub fn project_and_step(
    ctx: &Context,
    first: Option<String>,
    second: Option<String>,
) -> (Option<String>, Option<String>) {
    match (first, second) {
        (Some(one), None) if !ctx.store.exists(&one) => (None, Some(one)),
        other => other,
    }
}

pub fn load(ctx: &Context, name: &str) -> Result<Loaded> {
    let file = ctx.store.read(name)?;
    let followed = ctx.store.followed(&file)?;
    let path = ctx.store.project_path(name);
    check_against(&file, &followed.playbook, &path)?;
    let calendar = Calendar::load(file.calendar(), &ctx.store.root, followed.playbook.business_hours)?;
    Ok(Loaded { name: name.to_string(), path, file, followed, calendar })
}
