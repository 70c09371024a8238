//! `onboard log`: a project's audit trail, oldest first; or, with no project named and
//! several projects, the portfolio's activity, newest first. Both filter by who recorded
//! an event (`--actor`), when (`--since`, `--until`) and how many (`--limit`).

use std::io::Write;
use std::sync::Arc;

use clap_complete::engine::ArgValueCompleter;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};

use crate::cli::complete;
use crate::cli::members::{Named, Portfolio};
use crate::cli::pager::Output;
use crate::cli::target::{self, Unreadable};
use crate::cli::{Context, target::project_names_of};
use crate::clock::Clock;
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::playbook::Step;
use crate::render::{json, table};
use crate::state::history::{LogEntry, trail};
use crate::state::loaded::Project;

/// Show the audit trail: who did what, and when (archived projects too)
///
/// With a project named (or only one project), its events, oldest first. Without, with
/// several projects or `--project`, the activity of the portfolio, newest first.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "Examples:
  onboard log coop-central                       one project's trail, oldest first
  onboard log --since 2026-03-01 --actor ana     what ana recorded since 1 March, newest first
  onboard log --project coop --project opera --limit 20")]
pub struct LogArgs {
    /// The project [default: the only one; with several, the portfolio's activity]
    #[arg(add = ArgValueCompleter::new(complete::projects))]
    pub project: Option<String>,
    /// The activity of these projects only (repeatable; archived ones may be named)
    #[arg(long = "project", value_name = "NAME", conflicts_with = "project", add = ArgValueCompleter::new(complete::projects))]
    pub projects: Vec<String>,
    /// Only events recorded by this person (any case)
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Only events at or after this instant (RFC 3339, or YYYY-MM-DD for midnight in each project's zone)
    #[arg(long, value_name = "INSTANT")]
    pub since: Option<String>,
    /// Only events at or before this instant (RFC 3339, or YYYY-MM-DD for that whole day)
    #[arg(long, value_name = "INSTANT")]
    pub until: Option<String>,
    /// Only the N most recent events
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
    /// Show each event's id (its file's name), which `onboard retract` takes
    #[arg(long)]
    pub ids: bool,
}

type Instant = DateTime<FixedOffset>;

/// Which events pass `--actor`, `--since` and `--until`.
struct Window {
    actor: Option<String>,
    since: Option<Clock>,
    /// The first instant left out (a date: the midnight after it), or the last kept.
    until: Option<(Clock, bool)>,
}

impl Window {
    fn new(args: &LogArgs) -> Result<Window> {
        let since = args.since.as_deref().map(|text| Clock::parse(text, "`--since`")).transpose()?;
        let until = match args.until.as_deref().map(|text| Clock::parse(text, "`--until`")).transpose()? {
            Some(Clock::Date(day)) => Some((Clock::Date(day.succ_opt().unwrap_or(day)), false)),
            Some(clock) => Some((clock, true)),
            None => None,
        };
        // Compared in one zone: a window that closes before it opens is a mistake to say,
        // not an empty log to show.
        if let (Some(from), Some((to, _))) = (&since, &until)
            && from.now_in(chrono_tz::UTC) >= to.now_in(chrono_tz::UTC)
        {
            return Err(hinted(
                format!(
                    "`--since {}` is not before `--until {}`",
                    args.since.as_deref().unwrap_or_default().trim(),
                    args.until.as_deref().unwrap_or_default().trim()
                ),
                "give the earlier instant to `--since` and the later one to `--until`",
            ));
        }
        let actor = args.actor.as_ref().map(|a| a.trim().to_string());
        Ok(Window { actor, since, until })
    }

    /// Whether an event of a project in time zone `zone` at `at` by `by` passes.
    fn admits(&self, zone: chrono_tz::Tz, at: Instant, by: &str) -> bool {
        self.actor.as_ref().is_none_or(|actor| by.trim().eq_ignore_ascii_case(actor))
            && self.since.as_ref().is_none_or(|since| at >= since.now_in(zone))
            && self.until.as_ref().is_none_or(|(until, inclusive)| {
                let bound = until.now_in(zone);
                if *inclusive { at <= bound } else { at < bound }
            })
    }
}

pub(crate) fn run(ctx: &Context, args: LogArgs) -> Result<ExitCode> {
    if ctx.is_by_given() {
        return Err(hinted(
            "`--by` says who records a change, and `log` records none",
            "`onboard log --actor NAME` shows the events NAME recorded",
        ));
    }
    let window = Window::new(&args)?;
    let names = match (&args.project, args.projects.is_empty()) {
        (None, true) => Some(Portfolio::list(ctx, false)?),
        _ => None,
    };
    if args.project.is_none()
        && (!args.projects.is_empty() || names.as_ref().is_none_or(|n| n.len() != 1 || ctx.is_several()))
    {
        return portfolio(ctx, &args, &window, names);
    }
    let name = target::project(ctx, args.project.clone())?;
    let loaded = target::load_shown(ctx, &name)?;
    let events = kept(&loaded, &window);
    let events = match args.limit {
        // The most recent N, still oldest first.
        Some(limit) => events[events.len().saturating_sub(limit)..].to_vec(),
        None => events,
    };
    let mut out = Output::new(ctx.pager.as_ref().filter(|_| !args.json));
    let log = json::log::log(&loaded.file, &events);
    if args.json {
        json::write(&mut out, &log)?;
    } else {
        table::log(&mut out, &log.into_events(None, None), args.ids, false, ctx.style())?;
    }
    out.finish()?;
    Ok(ExitCode::Success)
}

/// A project's events that pass the window, oldest first, each with its step.
fn kept<'a>(loaded: &'a Project, window: &Window) -> Vec<(Option<&'a Step>, LogEntry<'a>)> {
    let playbook = &loaded.playbook;
    let zone = loaded.calendar.zone;
    trail(&loaded.file)
        .into_iter()
        .filter(|entry| window.admits(zone, entry.at.0, entry.by))
        .map(|entry| (entry.step.and_then(|id| playbook.step(id)).map(|(_, s)| s), entry))
        .collect()
}

/// The activity of the portfolio (or of the projects `--project` names), newest first.
fn portfolio(ctx: &Context, args: &LogArgs, window: &Window, names: Option<Portfolio>) -> Result<ExitCode> {
    let collect = |named: &Named, loaded: &Project| -> Vec<json::log::ProjectEvent> {
        // One directory: the name its file gives, as always.
        let project = named.repository.as_ref().map(|_| named.name.to_string());
        json::log::log(&loaded.file, &kept(loaded, window)).into_events(project, named.repository())
    };
    let is_empty = names.as_ref().is_some_and(Portfolio::is_empty);
    let (mut found, mut unreadable) = match &names {
        Some(names) => names.each_project(false, collect),
        None => (Vec::new(), Vec::new()),
    };
    // Without a portfolio, the projects `--project` names: one that is not there is the
    // error, as in `log NAME`.
    for name in project_names_of(ctx, &args.projects)? {
        let named = Named { name: Arc::from(name.as_str()), repository: None };
        match target::load_shown(ctx, &name) {
            Ok(loaded) => found.push(collect(&named, &loaded)),
            Err(error) => unreadable.push(Unreadable::of(ctx, &name, error)),
        }
    }
    let mut events: Vec<json::log::ProjectEvent> = found.into_iter().flatten().collect();
    // Newest first; an instant shared by several events keeps each project's file order,
    // reversed with the rest, and projects by name.
    events.reverse();
    events.sort_by(|a, b| {
        let at = |e: &json::log::ProjectEvent| DateTime::parse_from_rfc3339(&e.event.at).ok();
        at(b).cmp(&at(a)).then_with(|| a.project.cmp(&b.project))
    });
    if let Some(limit) = args.limit {
        events.truncate(limit);
    }
    let mut out = Output::new(ctx.pager.as_ref().filter(|_| !args.json));
    if args.json {
        let errors = unreadable.iter().map(Unreadable::json).collect();
        json::write(&mut out, &json::log::Activity { events, errors })?;
    } else if is_empty {
        writeln!(out, "{}", super::status::no_projects(ctx))?;
    } else if events.is_empty() && unreadable.is_empty() {
        writeln!(out, "No events match.")?;
    } else if !events.is_empty() {
        table::log(&mut out, &events, false, true, ctx.style())?;
    }
    out.finish()?;
    target::report_unreadable(&unreadable)
}
