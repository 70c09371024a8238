//! `onboard stats`: the flow metrics of the portfolio's whole history, archived projects
//! included: durations and on-time rates per phase and step, per role, per month, the
//! bottlenecks and the service levels. Exits 2 when a project could not be read, after
//! printing what the others give.

use std::io::{BufWriter, IntoInnerError, Write};

use anyhow::Result;
use chrono::NaiveDate;
use clap_complete::engine::ArgValueCompleter;

use crate::cli::complete;
use crate::cli::filter::Filter;
use crate::cli::members::Portfolio;
use crate::cli::pager::Output;
use crate::cli::target::{self, Unreadable};
use crate::cli::{Context, FilterArgs};
use crate::clock::Clock;
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::insight::history::spans;
use crate::insight::stats::{Sample, Stats, Window};
use crate::render::{self, json};
use crate::state::loaded::Project;
use crate::state::progress::Detail;
use crate::state::schedule::Thresholds;

/// Show flow metrics over the history: durations, on-time rates, load, bottlenecks
///
/// Every project counts, archived ones included. Durations run from when a phase or
/// step became ready to when it was done, counted as its time limit counts (docs/stats.md).
#[derive(Debug, clap::Args)]
#[command(after_long_help = "Examples:
  onboard stats                                   the whole history
  onboard stats --playbook support-request        one playbook's steps and service levels
  onboard stats --owner analyst --since 2026-01-01
  onboard stats --markdown > stats.md")]
pub struct StatsArgs {
    /// Only work this role owns (its id or name, in any case, such as `analyst`)
    #[arg(long, value_name = "ROLE", add = ArgValueCompleter::new(complete::roles))]
    pub owner: Option<String>,
    /// Only projects that follow this playbook
    #[arg(long, value_name = "ID", add = ArgValueCompleter::new(complete::playbooks))]
    pub playbook: Option<String>,
    /// Only work done and projects started or finished on or after this day (YYYY-MM-DD, in each project's calendar)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only work done and projects started or finished on or before this day (YYYY-MM-DD, in each project's calendar)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Print JSON (see docs/json.md)
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    /// Print Markdown, for a pull request or a wiki page
    #[arg(long)]
    pub markdown: bool,
}

pub(crate) fn run(ctx: &Context, args: StatsArgs) -> Result<ExitCode> {
    let window = window(&args)?;
    let filter = Filter::new(&FilterArgs { owner: args.owner.clone(), playbook: args.playbook.clone() });
    // Every repository of a workspace, archived projects included: the whole history.
    let portfolio = Portfolio::list(ctx, true)?;
    let (read, unreadable) = portfolio.each_project(true, |_, loaded| sample(ctx, loaded, &filter, window));
    filter.verify(ctx)?;
    let has_projects = !read.is_empty() || !unreadable.is_empty();
    let samples: Vec<Sample> = read.into_iter().flatten().collect();
    let stats = Stats::of(&samples);
    let mut out = BufWriter::new(Output::new(ctx.pager.as_ref().filter(|_| !args.json)));
    if args.json {
        json::write(
            &mut out,
            &json::stats::Stats::new(&stats, unreadable.iter().map(Unreadable::json).collect()),
        )?;
    } else if !has_projects {
        writeln!(out, "{}", super::status::no_projects(ctx))?;
    } else if args.markdown {
        render::stats::markdown(&mut out, &stats)?;
    } else if stats.is_empty() {
        writeln!(out, "{}", render::stats::EMPTY)?;
    } else {
        render::stats::text(&mut out, &stats, ctx.style())?;
    }
    out.into_inner().map_err(IntoInnerError::into_error)?.finish()?;
    target::report_unreadable(&unreadable)
}

/// What one project gives the statistics, judged at now; `None` when `--playbook` leaves
/// it out. Runs on the portfolio's threads: only owned data leaves.
fn sample(ctx: &Context, loaded: &Project, filter: &Filter, window: Window) -> Option<Sample> {
    let playbook = &loaded.playbook;
    if !filter.admits(playbook) {
        return None;
    }
    let judged = loaded.standing_now(ctx, Thresholds::default(), Detail::Statuses);
    let spans = spans(&judged, &loaded.calendar);
    let started = loaded.file.started_at().0;
    let mut sample = Sample::of(playbook, started, &judged, &spans, &loaded.calendar, window);
    if filter.by_owner() {
        sample.retain_owned(|owners| filter.owns(playbook, owners));
    }
    Some(sample)
}

/// `--since` and `--until`: days, in each project's calendar, the earlier first.
fn window(args: &StatsArgs) -> Result<Window> {
    let since = args.since.as_deref().map(|text| day(text, "--since")).transpose()?;
    let until = args.until.as_deref().map(|text| day(text, "--until")).transpose()?;
    if let (Some(from), Some(to)) = (since, until)
        && from > to
    {
        return Err(hinted(
            format!("`--since {from}` is after `--until {to}`"),
            "give the earlier day to `--since` and the later one to `--until`; both days are included",
        ));
    }
    Ok(Window { since, until })
}

/// A day as `log --since` reads it (`Clock::parse`), where an instant is refused: a
/// finish counts by its day in its project's calendar.
fn day(text: &str, flag: &str) -> Result<NaiveDate> {
    match Clock::parse(text, &format!("`{flag}`"))? {
        Clock::Date(day) => Ok(day),
        _ => Err(hinted(
            format!("`{flag} {}` is an instant; statistics count whole days", text.trim()),
            format!("give a date, such as `{flag} {}`", text.trim().get(..10).unwrap_or("2026-03-02")),
        )),
    }
}
