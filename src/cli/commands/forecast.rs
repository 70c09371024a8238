//! `onboard forecast`: when open projects will likely end, learned from the repository's
//! own history (finished and archived projects) by a seeded Monte Carlo; exits 2 when a
//! project could not be read (after showing the forecasts of the others).

use std::collections::BTreeSet;
use std::io::{BufWriter, IntoInnerError, Write};
use std::sync::Arc;

use anyhow::Result;
use clap_complete::engine::ArgValueCompleter;
use rayon::prelude::*;

use crate::calendar::Calendar;
use crate::cli::complete;
use crate::cli::filter::Filter;
use crate::cli::members::{Named, Portfolio};
use crate::cli::pager::Output;
use crate::cli::target::{self, Unreadable};
use crate::cli::{AsOfArgs, Context, FilterArgs};
use crate::error::ExitCode;
use crate::insight::forecast::{self, DEFAULT_SEED, DEFAULT_TRIALS, Forecast, Samples, Settings};
use crate::playbook::Playbook;
use crate::render::forecast::Shown;
use crate::render::json;
use crate::state::loaded::Project;
use crate::state::project::ProjectFile;

/// Forecast when open work will be done, from the team's own history
#[derive(Debug, clap::Args)]
#[command(after_long_help = "Examples:
  onboard forecast                    every open project, most at risk first
  onboard forecast opera --trials 5000
  onboard forecast --json | jq '.projects[] | {project, end}'

Each open step's duration is drawn from what the same step took in finished and
archived projects; with fewer than 5 samples it takes its own time limit's window, or
1 business day without one (docs/forecast.md).")]
pub struct ForecastArgs {
    /// Only these projects [default: every open project]
    #[arg(add = ArgValueCompleter::new(complete::projects))]
    pub project: Vec<String>,
    /// The seed of the simulation: the same seed, history and clock give the same forecast
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Simulated runs per project
    #[arg(long, value_name = "N", default_value_t = DEFAULT_TRIALS,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub trials: u32,
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub as_of: AsOfArgs,
}

/// An open project kept from the history pass for its forecast.
struct Open {
    /// Its name in the portfolio: `repository/name` when several state directories
    /// have a project of that name.
    name: String,
    repository: Option<String>,
    file: ProjectFile,
    playbook: Arc<Playbook>,
    calendar: Calendar,
}

/// A project's forecast, with what showing it takes.
struct Done {
    open: Open,
    forecast: Forecast,
}

pub(crate) fn run(ctx: &Context, args: ForecastArgs) -> Result<ExitCode> {
    let ctx = &args.as_of.apply(ctx)?;
    let filter = Filter::new(&args.filter);
    let named: Option<BTreeSet<String>> = if args.project.is_empty() {
        None
    } else {
        Some(target::project_names_of(ctx, &args.project)?.into_iter().collect())
    };
    // One pass over the whole history: what each finished or archived project teaches,
    // and the open projects to forecast.
    let wanted = |loaded: &Project| {
        !loaded.archived
            && named.as_ref().is_none_or(|names| names.contains(&loaded.name))
            && filter.admits(&loaded.playbook)
    };
    // Every repository of a workspace, archived projects included: the whole history.
    let portfolio = Portfolio::list(ctx, true)?;
    let (read, mut unreadable) = portfolio.each_project(true, |as_named: &Named, loaded: &Project| {
        let now = ctx.now(&loaded.calendar.id).0;
        let learned =
            Samples::of_project(&loaded.playbook, &loaded.file, &loaded.calendar, loaded.archived, now);
        let open = wanted(loaded).then(|| Open {
            name: as_named.name.to_string(),
            repository: as_named.repository(),
            file: loaded.file.clone(),
            playbook: loaded.playbook.clone(),
            calendar: loaded.calendar.clone(),
        });
        (learned, open)
    });
    filter.verify(ctx)?;
    let mut samples = Samples::default();
    let mut open = Vec::new();
    for (learned, project) in read {
        samples.merge(learned);
        open.extend(project);
    }
    samples.finish();
    let settings = Settings { trials: args.trials, seed: args.seed };
    let mut done: Vec<Done> = open
        .into_par_iter()
        .filter_map(|open| {
            let now = ctx.now(&open.calendar.id).0;
            let forecast = forecast::forecast(
                &open.name,
                &open.playbook,
                &open.file,
                &open.calendar,
                &samples,
                now,
                settings,
            )?;
            let forecast = owned(forecast, &open.playbook, &filter)?;
            Some(Done { open, forecast })
        })
        .collect();
    // Most at risk first: the lowest odds of meeting a time limit or J, then the latest
    // P85 end; names break ties.
    done.sort_by(|a, b| {
        let odds = |d: &Done| d.forecast.worst_odds().unwrap_or(1.0);
        odds(a)
            .total_cmp(&odds(b))
            .then(b.forecast.end.p85.cmp(&a.forecast.end.p85))
            .then(a.open.name.cmp(&b.open.name))
    });
    unreadable.sort_by(|a, b| a.name.cmp(&b.name));
    let shown: Vec<Shown<'_>> = done
        .iter()
        .map(|d| Shown {
            project: &d.open.name,
            repository: d.open.repository.as_deref(),
            playbook: &d.open.playbook,
            calendar: &d.open.calendar,
            forecast: &d.forecast,
        })
        .collect();
    let mut out = BufWriter::new(Output::new(ctx.pager.as_ref().filter(|_| !args.json)));
    if args.json {
        let report = json::forecast::Forecast {
            projects: shown.iter().map(json::forecast::project).collect(),
            errors: unreadable.iter().map(Unreadable::json).collect(),
        };
        json::write(&mut out, &report)?;
    } else if shown.is_empty() {
        writeln!(out, "No open project to forecast.")?;
    } else {
        crate::render::forecast::text(&mut out, &shown, ctx.style())?;
    }
    out.into_inner().map_err(IntoInnerError::into_error)?.finish()?;
    target::report_unreadable(&unreadable)
}

/// With `--owner`, only the steps and time limits that role owns; `None` when that leaves
/// nothing of the project.
fn owned(mut forecast: Forecast, playbook: &Playbook, filter: &Filter) -> Option<Forecast> {
    if !filter.by_owner() {
        return Some(forecast);
    }
    let owns = |id: &str| filter.owns(playbook, playbook.owners(id));
    forecast.steps.retain(|s| owns(&s.id));
    forecast.phases.retain(|p| owns(&p.id));
    forecast.limits.retain(|l| owns(&l.id));
    forecast.critical.retain(|c| owns(&c.id));
    (!forecast.steps.is_empty()).then_some(forecast)
}

/// What the whole history (the portfolio and the archive) teaches, for `report`: a
/// project that cannot be read teaches nothing here, and the report names it itself.
pub(crate) fn history(ctx: &Context) -> Result<Samples> {
    let (read, _) = Portfolio::list(ctx, true)?.each_project(true, |_, loaded: &Project| {
        let now = ctx.now(&loaded.calendar.id).0;
        Samples::of_project(&loaded.playbook, &loaded.file, &loaded.calendar, loaded.archived, now)
    });
    let mut samples = Samples::default();
    for learned in read {
        samples.merge(learned);
    }
    samples.finish();
    Ok(samples)
}
