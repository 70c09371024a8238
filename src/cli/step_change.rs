//! The flow that `skip` and `reopen` share: find the project and the step, apply one
//! change under the project's lock, say what happened, and commit when asked.

use anyhow::Result;

use super::{Context, git, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::playbook::{Playbook, Step};
use crate::state::change::Stamp;
use crate::state::project::ProjectFile;

/// What one of these commands does: its verb and past tense, and the change itself.
pub struct StepChange<'a> {
    pub verb: &'a str,
    pub past: &'a str,
    /// Why, for the commit message.
    pub reason: &'a str,
    /// `--at`: when it happened, if not now.
    pub at: Option<&'a str>,
    pub apply: &'a dyn Fn(&Playbook, &mut ProjectFile, &Step, &Stamp) -> Result<()>,
}

pub fn run(
    ctx: &Context,
    first: Option<String>,
    second: Option<String>,
    commit: bool,
    how: StepChange<'_>,
) -> Result<ExitCode> {
    let (project, step) = target::project_and_step(ctx, first, second);
    let name = target::project(ctx, project)?;
    let loaded = target::load(ctx, &name)?;
    let playbook = &loaded.playbook;
    let Some(step) = step else {
        let usage = format!("onboard {} {name} STEP --reason TEXT", how.verb);
        return Err(hinted(format!("name the step to {}", how.verb), usage));
    };
    let step = playbook.resolve_step(&step)?;
    if commit {
        git::ensure_repository(&ctx.store.root)?;
    }
    let stamp = loaded.stamp(ctx, how.at)?;
    ctx.store
        .update(&name, playbook, |file| (how.apply)(playbook, file, step, &stamp))
        .map_err(|error| super::hints::advised_in(&name, error))?;
    let mut past = how.past.chars();
    let capital: String = past.next().map(|c| c.to_uppercase().chain(past).collect()).unwrap_or_default();
    say!("{capital} {} in `{name}`.", crate::render::one_line(&step.named()));
    if commit {
        let message = git::step_message(&name, step, how.past, Some(("Reason", how.reason)), &stamp.by);
        git::commit_change(&ctx.store, &git::needs(&ctx.store, &loaded.file), &message)?;
    }
    Ok(ExitCode::Success)
}
