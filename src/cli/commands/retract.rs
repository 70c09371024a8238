//! `onboard retract`: record that an earlier event no longer counts (a stray round, a
//! mistaken value, the wrong step completed or skipped), with a reason. Nothing is
//! deleted: the retraction is one more event, and the log shows both.

use anyhow::Result;
use clap_complete::engine::ArgValueCompleter;

use crate::cli::{Context, complete, runner, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::render::one_line;
use crate::state::change::Change;
use crate::state::project::ProjectFile;
use crate::state::retraction::retractable;
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

pub(crate) fn run(ctx: &Context, args: RetractArgs) -> Result<ExitCode> {
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
    let writing = runner::begin(ctx, &loaded, None, args.commit)?;
    let by = &writing.stamp.by;
    let id = match event {
        Some(given) => resolve(&loaded.file, &name, &given)?,
        None => latest_of(&loaded.file, by).ok_or_else(|| {
            hinted(
                format!("{} has no event in `{name}` that can be retracted", one_line(&format!("`{by}`"))),
                format!("name one: `onboard log {name} --ids` shows every event's id"),
            )
        })?,
    };
    writing.run(Change::Retract { event: id, reason: args.reason })
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
