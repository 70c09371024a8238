//! `onboard status`: one project's phases and steps with their due dates, or a portfolio
//! of all projects (with `--all`, archived ones too). An archived project named shows as
//! any other, under a line that says it is archived.

use clap_complete::engine::ArgValueCompleter;
use std::io::{BufWriter, IntoInnerError, Write};

use anyhow::Result;

use crate::cli::complete;
use crate::cli::filter::Filter;
use crate::cli::members::{Named, Portfolio};
use crate::cli::pager::Output;
use crate::cli::target::{self, Unreadable};
use crate::cli::{AsOfArgs, Context, FilterArgs, SoonArgs};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::render::view::{NextDue, PortfolioRow, due_text};
use crate::render::{compact, json, one_line, table};
use crate::state::lifecycle::{archived, archived_text, ending, open_steps};
use crate::state::loaded::Project;
use crate::state::progress::{Detail, Progress, Status};
use crate::state::schedule::{Entry, Schedule, on_time};
use crate::state::standing::Standing;

/// Show where a project stands, or every project when there are several
///
/// `--json` without a project name always prints the portfolio shape (`projects` and
/// `errors`), however many projects there are; `status PROJECT --json` prints one project.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "Examples:
  onboard status                      one row per project (one project: its plan)
  onboard status coop-central         a project's phases and steps with their due dates
  onboard status --all --json         every project, archived ones too, as JSON")]
pub struct StatusArgs {
    /// The project [default: the only one; with several, a portfolio of all]
    #[arg(add = ArgValueCompleter::new(complete::projects))]
    pub project: Option<String>,
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
    /// The portfolio with archived projects too, marked as archived
    #[arg(long)]
    pub all: bool,
    /// One project in short: the phases under way in full, a line for each other phase,
    /// then what is ready, due soon and late
    #[arg(long, conflicts_with = "json")]
    pub compact: bool,
    #[command(flatten)]
    pub soon: SoonArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub as_of: AsOfArgs,
}

pub(crate) fn run(ctx: &Context, args: StatusArgs) -> Result<ExitCode> {
    let ctx = &args.as_of.apply(ctx)?;
    let filter = Filter::new(&args.filter);
    let names = match &args.project {
        Some(_) if filter.is_active() => {
            return Err(hinted(
                "`--owner` and `--playbook` choose projects of the portfolio",
                "leave out the project name, or use `onboard check PROJECT --owner ROLE` for one project's due work",
            ));
        }
        Some(_) => None,
        None => Some(Portfolio::list(ctx, args.all)?),
    };
    // A filter or `--all` asks for the portfolio view even when there is one project, and
    // so do `--json` (a script reads one shape whatever the portfolio holds) and several
    // state directories. With no project at all, the portfolio is empty, which is not an
    // error.
    if let Some(names) = names
        && (names.len() != 1 || filter.is_active() || args.all || args.json || ctx.is_several())
    {
        return portfolio(ctx, &names, &args, &filter);
    }
    let name = target::project(ctx, args.project.clone())?;
    let loaded = target::load_shown(ctx, &name)?;
    // Its records (or, an old single file, its folder) say whether it is archived; the
    // archive record says by whom and why.
    let is_archived = loaded.archived;
    let record = archived(&loaded.file).filter(|_| is_archived);
    let playbook = &loaded.playbook;
    let Standing { progress: view, schedule } =
        loaded.standing_now(ctx, args.soon.thresholds(), Detail::Full);
    let changed = loaded.changed.is_some();
    let mut out = Output::new(ctx.pager.as_ref().filter(|_| !args.json));
    if args.json {
        let mut status = json::status::status(&loaded.file, &view, &schedule, changed);
        status.archived = is_archived.then(|| json::status::Archived {
            at: record.map(|r| r.at.to_string()),
            by: record.map(|r| r.by.clone()),
            reason: record.and_then(|r| r.note.clone()),
        });
        json::write(&mut out, &status)?;
    } else {
        if is_archived {
            let finished = open_steps(playbook, &loaded.file).is_empty();
            let line = record.map_or_else(|| "archived".to_string(), |r| archived_text(r, finished));
            let line = format!("{}; `onboard unarchive {name}` brings it back", one_line(&line));
            table::write_wrapped(&mut out, &line, ctx.style())?;
        }
        let style = ctx.style();
        let project = loaded.view(&view, &schedule);
        if args.compact {
            compact::status(&mut out, &project, style)?;
        } else {
            table::status(&mut out, &project, style)?;
        }
    }
    out.finish()?;
    target::warn_uncovered(&loaded.calendar);
    Ok(ExitCode::Success)
}

/// What a portfolio command says when the state directory holds no project yet, naming
/// it: a mistyped `--dir` shows here.
pub(crate) fn no_projects(ctx: &Context) -> String {
    if ctx.is_several() {
        let dirs: Vec<String> = ctx.dirs().iter().map(|dir| format!("`{}`", dir.root.display())).collect();
        return format!(
            "No projects yet in any of {}: `onboard start PLAYBOOK NAME` in one of them starts one.",
            dirs.join(", ")
        );
    }
    format!("No projects yet in `{}`: `onboard start PLAYBOOK NAME` starts one.", ctx.store.root.display())
}

/// Every project as one row, then with `--all` every archived one. A project that
/// cannot be read is left out of the rows and reported on stderr (and under `errors` in
/// JSON); it makes the exit code 2.
fn portfolio(ctx: &Context, names: &Portfolio, args: &StatusArgs, filter: &Filter) -> Result<ExitCode> {
    let (rows, mut unreadable) = names.each_project(false, |named, loaded| {
        if !filter.admits(&loaded.playbook) {
            return None;
        }
        let Standing { progress: view, schedule } =
            loaded.standing_now(ctx, args.soon.thresholds(), Detail::Statuses);
        row(named, loaded, &view, &schedule, filter)
    });
    let mut rows: Vec<PortfolioRow> = rows.into_iter().flatten().collect();
    // Several state directories: one list by name, as one directory's.
    if ctx.is_several() {
        rows.sort_by(|a: &PortfolioRow, b| (&a.project, &a.repository).cmp(&(&b.project, &b.repository)));
    }
    let active = rows.len();
    if args.all && !filter.by_owner() {
        // The archive is read in turn: its projects have no due work to judge in a hurry.
        // (With `--owner`, archived projects drop out: nobody has work left in them.)
        for (member, archived) in names.archived() {
            let ctx = &member.ctx;
            for name in archived {
                let named = names.named(member, name);
                match target::load_archived(ctx, name) {
                    Ok(loaded) if !filter.admits(&loaded.playbook) => {}
                    Ok(loaded) => rows.extend(archived_row(ctx, &named, &loaded, args, filter)),
                    Err(error) => unreadable.push(names.unreadable(member, Unreadable::of(ctx, name, error))),
                }
            }
        }
    }
    if ctx.is_several() {
        rows[active..].sort_by(|a, b| (&a.project, &a.repository).cmp(&(&b.project, &b.repository)));
    }
    filter.verify(ctx)?;
    // One write per buffer, not per line: a portfolio can have thousands of rows.
    let mut out = BufWriter::new(Output::new(ctx.pager.as_ref().filter(|_| !args.json)));
    if args.json {
        let errors = unreadable.iter().map(Unreadable::json).collect();
        json::write(&mut out, &json::status::portfolio(&rows, errors))?;
    } else if rows.is_empty() && unreadable.is_empty() {
        let why = match (filter.is_active(), ctx.as_of.is_some()) {
            (true, _) => "No project matches the filters.",
            (false, true) => "No project had started by then.",
            (false, false) if !args.all && has_archived(ctx)? => {
                "No projects in the portfolio: `onboard status --all` shows the archived ones."
            }
            (false, false) => &no_projects(ctx),
        };
        writeln!(out, "{why}")?;
    } else {
        table::portfolio(&mut out, &rows, ctx.style())?;
    }
    out.into_inner().map_err(IntoInnerError::into_error)?.finish()?;
    target::report_unreadable(&unreadable)
}

/// Whether any state directory of the run has archived projects.
fn has_archived(ctx: &Context) -> Result<bool> {
    for member in crate::cli::members::members(ctx) {
        if !member.ctx.store.archived_names()?.is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// An archived project's row: where it ended, and nothing due.
fn archived_row(
    ctx: &Context,
    named: &Named,
    loaded: &Project,
    args: &StatusArgs,
    filter: &Filter,
) -> Option<PortfolioRow> {
    let Standing { progress: view, schedule } =
        loaded.standing_now(ctx, args.soon.thresholds(), Detail::Statuses);
    let finished = open_steps(&loaded.playbook, &loaded.file).is_empty();
    Some(PortfolioRow {
        phase: format!("archived ({})", ending(finished)),
        phase_id: None,
        next_due: None,
        overdue: 0,
        archived: true,
        ..row(named, loaded, &view, &schedule, filter)?
    })
}

/// A project's row; with `--owner`, about that role's open work only, and `None` when the
/// role has none left in it.
fn row(
    named: &Named,
    loaded: &Project,
    view: &Progress<'_>,
    schedule: &Schedule,
    filter: &Filter,
) -> Option<PortfolioRow> {
    let playbook = &loaded.playbook;
    let owned = |id: &str| filter.owns(playbook, playbook.owners(id));
    let (finished, total) = view.counts();
    let current = view.current_phase();
    let open = |id: &str| match view.step(id) {
        Some(step) => !matches!(step.status, Status::Done | Status::Skipped),
        None => view
            .phases
            .iter()
            .any(|p| p.phase.id == id && !matches!(p.status, Status::Done | Status::Skipped)),
    };
    let mut timed: Vec<(&String, &crate::state::schedule::Timing)> = schedule
        .entries
        .iter()
        .filter_map(|(id, entry)| match entry {
            Entry::Timed(timing) if open(id) && owned(id) => Some((id, timing)),
            _ => None,
        })
        .collect();
    timed.sort_by_key(|(id, timing)| (timing.due().end(&loaded.calendar), playbook.position(id)));
    let next = timed.first();
    let has_work = view.steps().any(|s| open(&s.step.id) && owned(&s.step.id));
    if filter.by_owner() && !has_work && timed.is_empty() {
        return None;
    }
    Some(PortfolioRow {
        project: named.name.to_string(),
        repository: named.repository(),
        playbook: loaded.file.playbook.clone(),
        phase: current
            .map_or_else(|| "finished".into(), |p| format!("{} {}", p.phase.label(), p.phase.title)),
        phase_id: current.map(|p| p.phase.id.clone()),
        finished,
        total,
        next_due: next.map(|(id, t)| NextDue {
            id: (*id).clone(),
            label: playbook.label(id),
            text: due_text(t),
            due: t.due().text(),
            overdue: t.overdue,
        }),
        overdue: timed.iter().filter(|(_, t)| t.overdue).count(),
        on_time: on_time(schedule),
        archived: false,
    })
}
