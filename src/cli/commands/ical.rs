//! `onboard ical`: an iCalendar file of every dated item of the projects (due dates,
//! earliest starts, milestones), for a team to publish from CI and subscribe to.

use std::path::PathBuf;

use anyhow::Result;
use chrono::Utc;

use super::report::{emit, selection};
use crate::cli::Context;
use crate::cli::target;
use crate::error::ExitCode;
use crate::render::ical;
use crate::state::loaded::Project;
use crate::state::progress::Detail;
use crate::state::schedule::Thresholds;
use crate::state::standing::Standing;

/// Write an iCalendar file of due dates, earliest starts and milestones
#[derive(Debug, clap::Args)]
pub struct IcalArgs {
    /// The projects [default: every project]
    pub projects: Vec<String>,
    /// Write the calendar to this file instead of stdout: a regular file, replaced
    /// atomically, its folder created if missing (a folder, a link or a device is refused)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Projects come in name order, each one's events in its playbook's order, so that the
/// same state gives the same file. A project that cannot be read fails the whole
/// command with nothing written: a calendar without it would delete its events from
/// every calendar subscribed to the published file.
pub(crate) fn run(ctx: &Context, args: IcalArgs) -> Result<ExitCode> {
    let mut names = selection(ctx, &args.projects)?;
    names.sort();
    let (events, unreadable) = target::each_project(ctx, &names, |loaded| project_events(ctx, loaded));
    let events: Vec<_> = events.into_iter().flatten().collect();
    if !unreadable.is_empty() {
        target::report_unreadable(&unreadable)?;
        error!("no calendar written: it would leave out the projects that could not be read");
        return Ok(ExitCode::Error);
    }
    let name = match names.as_slice() {
        [only] => format!("onboard: {only}"),
        _ => "onboard".to_string(),
    };
    let count = crate::words::count(events.len() as i64, "event");
    emit(args.output.as_deref(), &ical::calendar(&name, events), &format!("calendar ({count})"))?;
    Ok(ExitCode::Success)
}

fn project_events(ctx: &Context, loaded: &Project) -> Vec<icalendar::Event> {
    let Standing { progress: view, schedule } = loaded.standing_now(ctx, Thresholds::default(), Detail::Full);
    let project = loaded.view(&view, &schedule);
    ical::events(&project, ctx.now(loaded.file.calendar()).0.with_timezone(&Utc))
}
