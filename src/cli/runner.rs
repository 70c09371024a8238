//! The one way a writing command changes a project: with the project resolved and loaded,
//! refuse `--commit` outside git before anything changes, stamp who and when, apply the
//! command's `Change` under the project's lock (`Store::apply`), report on stderr what it
//! did, and commit exactly what it wrote when asked.

use std::path::PathBuf;

use anyhow::Result;

use super::{Context, git, hints, refusal};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::playbook::Step;
use crate::state::change::{Change, Ground, Stamp};
use crate::state::loaded::Project;

/// A writing command under way on one loaded project, stamped.
pub(crate) struct Writing<'a> {
    ctx: &'a Context,
    loaded: &'a Project,
    /// Who makes the change and when.
    pub(crate) stamp: Stamp,
    commit: bool,
}

/// Begins a writing command on `loaded`: with `commit`, fails unless the state directory
/// is in a git work tree (before any change or question); then stamps the change, now or
/// at `at` (`--at`).
pub(crate) fn begin<'a>(
    ctx: &'a Context,
    loaded: &'a Project,
    at: Option<&str>,
    commit: bool,
) -> Result<Writing<'a>> {
    if commit {
        git::ensure_repository(&ctx.store.root)?;
    }
    let stamp = loaded.stamp(ctx, at)?;
    Ok(Writing { ctx, loaded, stamp, commit })
}

/// The step a command that needs one names (`skip`, `reopen`), resolved in the project's
/// playbook; an error with the command's usage when none is named.
pub(crate) fn named_step<'a>(loaded: &'a Project, step: Option<String>, verb: &str) -> Result<&'a Step> {
    let Some(step) = step else {
        let usage = format!("onboard {verb} {} STEP --reason TEXT", loaded.name);
        return Err(hinted(format!("name the step to {verb}"), usage));
    };
    Ok(loaded.playbook.resolve_step(&step)?)
}

impl Writing<'_> {
    /// Applies `change` under the lock, reports it, and commits it with `--commit`.
    pub(crate) fn run(self, change: Change) -> Result<ExitCode> {
        let (ctx, name) = (self.ctx, &self.loaded.name);
        let playbook = &*self.loaded.playbook;
        let id = ctx.store.id_of(name)?;
        if let Some(version) = change.version() {
            ctx.store.save_version(version)?;
        }
        let calendar = |id: &str| ctx.store.calendar(id, playbook.hours());
        let ground = Ground { playbook, calendar: &calendar };
        let (outcome, after) = ctx
            .store
            .apply(name, change.works_on(), |file| {
                Ok((change.apply(&ground, file, &self.stamp)?, file.clone()))
            })
            .map_err(|error| refused(name, error))?;
        for line in crate::render::change::report(&change, &outcome, playbook, &after, name) {
            match line {
                crate::render::change::Line::Notice(text) => say!("{text}"),
                crate::render::change::Line::Warning(text) => warn!("{text}"),
            }
        }
        if self.commit {
            let name = outcome.renamed.as_deref().unwrap_or(name);
            let subject = format!("onboard: {name}: {}", outcome.subject);
            commit(ctx, subject, &outcome.body, &self.stamp.by, &git::needs_of(&ctx.store, &id, &after))?;
        }
        Ok(ExitCode::Success)
    }
}

/// Commits what the command wrote, with the files it `needs` that git lacks: `subject`,
/// then the body's `Key: value` lines and who. False when there was nothing to commit.
pub(crate) fn commit(
    ctx: &Context,
    subject: String,
    body: &[(&str, String)],
    by: &str,
    needs: &[PathBuf],
) -> Result<bool> {
    let message =
        body.iter().fold(git::CommitMessage::new(subject), |m, (key, value)| m.with(key, Some(value)));
    git::commit_change(&ctx.store, needs, &message.by(by))
}

/// A refused change of project `name` with what to do about it.
fn refused(name: &str, error: anyhow::Error) -> anyhow::Error {
    match error.downcast::<crate::state::retraction::RetractError>() {
        Ok(refusal) => {
            let hint = refusal::retract_advice(&refusal, name);
            hinted(refusal.to_string(), hint)
        }
        Err(error) => hints::advised(error, Some(name)),
    }
}
