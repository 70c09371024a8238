//! `onboard retract`: record that an earlier event no longer counts (a stray round, a
//! mistaken value, the wrong step completed or skipped), with a reason. Nothing is
//! deleted: the retraction is one more event, and the log shows both.

use anyhow::Result;
use clap_complete::engine::ArgValueCompleter;

use crate::cli::{Context, complete, git, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::playbook::Playbook;
use crate::render::one_line;
use crate::state::project::{Action, CALENDAR_KEY, Event, ProjectFile, yaml_text};
use crate::state::retraction::{self, RetractError, Taken};
use crate::store::Found;

/// Take back an event recorded by mistake, with a reason (it stays in the log, marked)
#[derive(Debug, clap::Args)]
pub struct RetractArgs {
    /// The project [default: the only one]
    #[arg(add = ArgValueCompleter::new(complete::projects))]
    pub project: Option<String>,
    /// The event, by its id as `onboard log --ids` shows it, or a unique start of it
    /// [default: your latest event that can be retracted]
    #[arg(add = ArgValueCompleter::new(complete::events))]
    pub event: Option<String>,
    /// Why it no longer counts; kept in the log
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Commit the new event file with git
    #[arg(long)]
    pub commit: bool,
}

pub fn run(ctx: &Context, args: RetractArgs) -> Result<ExitCode> {
    let (project, event) = match (args.project, args.event) {
        // One word that is no project: an event of the only project.
        (Some(one), None) if !ctx.store.is_taken(&one) => (None, Some(one)),
        other => other,
    };
    let name = target::project(ctx, project)?;
    let loaded = target::load(ctx, &name)?;
    if matches!(ctx.store.find(&name)?, Some(Found::File(_))) {
        return Err(hinted(
            format!("project `{name}` is a single file of an older format, whose events have no ids"),
            format!(
                "`onboard migrate` converts it to a directory; then `onboard log {name} --ids` shows the ids"
            ),
        ));
    }
    if args.commit {
        git::ensure_repository(&ctx.store.root)?;
    }
    let stamp = loaded.stamp(ctx, None)?;
    let id = match event {
        Some(given) => resolve(&loaded.file, &name, &given)?,
        None => latest_of(&loaded.file, &stamp.by).ok_or_else(|| {
            hinted(
                format!(
                    "{} has no event in `{name}` that can be retracted",
                    one_line(&format!("`{}`", stamp.by))
                ),
                format!("name one: `onboard log {name} --ids` shows every event's id"),
            )
        })?,
    };
    let playbook = &loaded.playbook;
    let reason = args.reason;
    let taken = ctx.store.update(&name, playbook, |file| {
        match retraction::retract(playbook, file, &id, reason.clone(), &stamp) {
            Some(result) => result.map_err(|error| refusal(error, &name)),
            None => Err(anyhow::anyhow!("project `{name}` has no event `{id}` any more")),
        }
    })?;
    let what = described(playbook, &taken);
    say!("Retracted {} in `{name}`.", one_line(&what));
    if let Some(now) = now_counts(playbook, &ctx.store.read(&name)?, &taken) {
        say!("{}", one_line(&now));
    }
    if args.commit {
        let message = commit_subject(playbook, &name, &taken, &reason, &stamp.by);
        git::commit_change(&ctx.store, &git::needs(&ctx.store, &loaded.file), &message)?;
    }
    Ok(ExitCode::Success)
}

/// The id of the event `given` names: an id, or the start of exactly one.
fn resolve(file: &ProjectFile, project: &str, given: &str) -> Result<String> {
    let ids: Vec<&str> = file.all_events().filter_map(|(_, e)| e.id.as_deref()).collect();
    if ids.contains(&given) {
        return Ok(given.to_string());
    }
    let mut matching: Vec<&str> = ids.iter().copied().filter(|id| id.starts_with(given)).collect();
    matching.sort_unstable();
    match matching.as_slice() {
        [one] => Ok(one.to_string()),
        [] => Err(hinted(
            format!("project `{project}` has no event `{}`", one_line(given)),
            format!(
                "`onboard log {project} --ids` shows every event's id; only a step's or a variable's event can be retracted"
            ),
        )),
        many => Err(hinted(
            format!("`{}` starts {} event ids in `{project}`", one_line(given), many.len()),
            format!(
                "give more of it: {}{}",
                many.iter().take(5).map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", "),
                if many.len() > 5 { ", …" } else { "" }
            ),
        )),
    }
}

/// `by`'s latest event that a retraction can take back: a completion, a round, a skip, a
/// reopen or a `set` that still counts.
fn latest_of(file: &ProjectFile, by: &str) -> Option<String> {
    let candidates = retractable(file).into_iter().filter(|e| e.by == by);
    // Latest known; ties by id, which sorts by instant too.
    candidates.map(|e| (e.known(), e.id.clone())).max().and_then(|(_, id)| id)
}

/// The events of `file` a retraction can take back: work on a step and variables set,
/// that no retraction took back already.
pub(crate) fn retractable(file: &ProjectFile) -> Vec<&Event> {
    let retracted = file.retracted_ids();
    file.all_events()
        .map(|(_, e)| e)
        .filter(|e| {
            matches!(e.action, Action::Done | Action::Round | Action::Skip | Action::Reopen | Action::Set)
                && e.id.as_deref().is_some_and(|id| !retracted.contains(id))
        })
        .collect()
}

/// ``the done of step 2.1 `data-load` (ana, 2026-03-03T10:00:00-03:00)``.
fn described(playbook: &Playbook, taken: &Taken) -> String {
    let event = &taken.event;
    let subject = if taken.is_step {
        format!(
            "step {}",
            playbook.step(&taken.subject).map_or(format!("`{}`", taken.subject), |(_, s)| s.named())
        )
    } else {
        let value = event.value.as_ref().map(|v| format!(" to `{}`", yaml_text(v))).unwrap_or_default();
        format!("`{}`{value}", taken.subject)
    };
    format!("the {} of {subject} ({}, {})", event.action.as_str(), event.by, event.at)
}

/// What holds now that it no longer counts: the step's status, or the variable's value.
fn now_counts(playbook: &Playbook, after: &ProjectFile, taken: &Taken) -> Option<String> {
    if taken.is_step {
        let progress = crate::state::progress::compute(playbook, after);
        let view = progress.step(&taken.subject)?;
        return Some(format!("Step {} is {} now.", view.step.named(), view.status));
    }
    if taken.subject == CALENDAR_KEY {
        return Some(format!("The calendar is `{}` again.", after.calendar()));
    }
    Some(match crate::state::progress::variables(playbook, after).get(&taken.subject) {
        Some(value) => format!("`{}` is `{value}` now.", taken.subject),
        None => format!("`{}` has no value now.", taken.subject),
    })
}

/// `onboard: coop: retracted round of 3.2.2`, or for a variable `onboard: opera:
/// retracted set J`, with the title, the value, the reason and who in the body.
fn commit_subject(
    playbook: &Playbook,
    project: &str,
    taken: &Taken,
    reason: &str,
    by: &str,
) -> git::CommitMessage {
    let action = taken.event.action.as_str();
    match playbook.step(&taken.subject).filter(|_| taken.is_step) {
        Some((_, step)) => {
            git::step_message(project, step, &format!("retracted {action} of"), Some(("Reason", reason)), by)
        }
        None => {
            let value = taken.event.value.as_ref().map(yaml_text);
            git::CommitMessage::new(format!("onboard: {project}: retracted {action} {}", taken.subject))
                .with("Value", value.as_deref())
                .with("Reason", Some(reason))
                .by(by)
        }
    }
}

/// A refused retraction with what to do about it.
fn refusal(error: RetractError, project: &str) -> anyhow::Error {
    let hint = match &error {
        RetractError::Retraction { .. } => "to make it count again, record the event again".to_string(),
        RetractError::Already { .. } => format!("`onboard log {project} --ids` marks what was retracted"),
        RetractError::Unknown { .. } => "a newer onboard wrote it; retract it with that version".to_string(),
        RetractError::Needed { later, .. } => format!("retract `{later}` first"),
    };
    hinted(error.to_string(), hint)
}
