//! `onboard check`: overdue and due-soon work across projects; exits 1 when anything is
//! overdue, so that cron or CI can act on it, and 2 when a project could not be read
//! (after listing what the readable ones have due).

use clap_complete::engine::ArgValueCompleter;
use std::io::{BufWriter, IntoInnerError, Write};
use std::sync::Arc;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};

use crate::cli::complete;
use crate::cli::filter::Filter;
use crate::cli::members::{Named, Portfolio};
use crate::cli::pager::Output;
use crate::cli::target::{self, Unreadable};
use crate::cli::{AsOfArgs, Context, FilterArgs, SoonArgs};
use crate::deadline::evaluate::Due;
use crate::error::ExitCode;
use crate::playbook::Playbook;
use crate::render::view::{WorkRow, urgency_text};
use crate::render::{json, table};
use crate::state::loaded::Project;
use crate::state::progress::{Detail, Progress, Status};
use crate::state::schedule::{Entry, Schedule, Start, Thresholds, left};
use crate::state::standing::Standing;
use crate::words;

/// List overdue and due-soon work, most urgent first; exit 1 when anything is overdue
#[derive(Debug, clap::Args)]
#[command(after_long_help = "Examples:
  onboard check                       every project's overdue and due-soon work
  onboard check --owner analyst       one role's, across projects
  onboard check --json | jq '.findings[] | select(.overdue)'")]
pub struct CheckArgs {
    /// Only this project [default: every project]
    #[arg(add = ArgValueCompleter::new(complete::projects))]
    pub project: Option<String>,
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub soon: SoonArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub as_of: AsOfArgs,
}

type Instant = DateTime<FixedOffset>;

/// Which phase or step of which project a row is about (of `check`, and of `next`). A
/// portfolio can have thousands of rows: each holds only what is its own, and reads its
/// words from the playbook it shares with its project's other rows when they are written.
pub(super) struct What {
    pub(super) project: Arc<str>,
    /// The label of the project's state directory, with several.
    repository: Option<Arc<str>>,
    pub(super) playbook: Arc<Playbook>,
    /// Where it comes in the playbook, to break ties in the playbook's order.
    pub(super) rank: usize,
    pub(super) id: String,
}

impl What {
    pub(super) fn of(named: &Named, loaded: &Project, id: &str) -> What {
        let playbook = &loaded.playbook;
        What {
            project: named.name.clone(),
            repository: named.repository.clone(),
            playbook: playbook.clone(),
            rank: playbook.position(id),
            id: id.to_string(),
        }
    }

    pub(super) fn owners(&self) -> &[String] {
        self.playbook.owners(&self.id)
    }

    fn named(&self) -> String {
        self.playbook.named(&self.id)
    }

    /// A row of the table: this work, `due` and its `state`, red when overdue and
    /// yellow when due soon.
    pub(super) fn row(&self, due: String, state: String, overdue: bool, soon: bool) -> WorkRow {
        let (project, what, owner) = (self.project.to_string(), self.named(), self.owners().join(", "));
        WorkRow { project, what, owner, due, state, overdue, soon }
    }

    /// The keys every `check --json` entry starts with.
    pub(super) fn json(&self) -> json::check::Work {
        json::check::Work {
            project: self.project.to_string(),
            repository: self.repository.as_deref().map(str::to_string),
            id: self.id.clone(),
            label: self.playbook.label(&self.id),
            title: self.playbook.node(&self.id).map_or_else(String::new, |node| node.title().to_string()),
            owner: self.owners().to_vec(),
        }
    }
}

/// A step whose earliest start comes today or soon.
struct Upcoming {
    what: What,
    /// The instant it becomes ready, to order the portfolio by.
    at: Instant,
    /// `2026-11-09` (or RFC 3339 for hour rules).
    from: String,
    /// `Mon 9 Nov 2026`.
    when: String,
    /// `today`, `in 2 business days`.
    left: String,
}

/// One overdue or due-soon phase or step: of its timing, only what `check` shows.
struct Finding {
    what: What,
    /// The instant it is (or was) due by, to order the portfolio by.
    at: Instant,
    due: Due,
    overdue: bool,
    soon: bool,
    /// `overdue by 2 business days`, `in 3 h`.
    left: String,
    time_left: Option<crate::state::schedule::Amount>,
    late: Option<crate::state::schedule::Amount>,
}

pub(crate) fn run(ctx: &Context, args: CheckArgs) -> Result<ExitCode> {
    let ctx = &args.as_of.apply(ctx)?;
    let thresholds = args.soon.thresholds();
    let filter = Filter::new(&args.filter);
    let (done, unreadable, is_empty) = match args.project {
        // A named project is a single-project command: if it cannot be read, that is the error.
        Some(name) => {
            let loaded = target::load(ctx, &target::project(ctx, Some(name))?)?;
            let named = Named { name: Arc::from(loaded.name.as_str()), repository: None };
            let done = due_work(ctx, &named, &loaded, thresholds, &filter);
            target::warn_uncovered(&loaded.calendar);
            (vec![done], Vec::new(), false)
        }
        None => {
            let portfolio = Portfolio::list(ctx, false)?;
            let work = |named: &Named, loaded: &Project| due_work(ctx, named, loaded, thresholds, &filter);
            let (done, bad) = portfolio.each_project(false, work);
            (done, bad, portfolio.is_empty())
        }
    };
    let (mut findings, mut upcoming, mut read) = (Vec::new(), Vec::new(), 0);
    for (due, ready) in done.into_iter().flatten() {
        findings.extend(due);
        upcoming.extend(ready);
        read += 1;
    }
    filter.verify(ctx)?;
    // Most urgent first across the portfolio: the longest overdue, then what falls due
    // soonest. Instants compare across time zones; names break ties for a stable order.
    findings.sort_by(|a, b| a.urgency().cmp(&b.urgency()));
    upcoming.sort_by(|a, b| (a.at, &a.what.project, a.what.rank).cmp(&(b.at, &b.what.project, b.what.rank)));
    // One write per buffer, not per line: a portfolio can have thousands of rows.
    let mut out = BufWriter::new(Output::new(ctx.pager.as_ref().filter(|_| !args.json)));
    if args.json {
        let report = json::check::Check {
            findings: findings.iter().map(Finding::json).collect(),
            ready_soon: upcoming.iter().map(Upcoming::json).collect(),
            errors: unreadable.iter().map(Unreadable::json).collect(),
        };
        json::write(&mut out, &report)?;
    } else if is_empty {
        writeln!(out, "{}", super::status::no_projects(ctx))?;
    } else if findings.is_empty() && unreadable.is_empty() {
        writeln!(out, "Nothing is overdue or due soon.")?;
    } else if findings.is_empty() {
        // Not a clean bill: the unreadable projects may have overdue work.
        let read = words::count(read, "project");
        writeln!(out, "Nothing is overdue or due soon in the {read} that could be read.")?;
    } else {
        let row = |f: &Finding| f.what.row(f.due.short(), urgency_text(f.soon, &f.left), f.overdue, f.soon);
        let rows: Vec<_> = findings.iter().map(row).collect();
        table::work(&mut out, &rows, ["What", "Due"], true, ctx.style())?;
    }
    if !args.json && !upcoming.is_empty() {
        writeln!(out, "\nBecoming ready:")?;
        let rows: Vec<_> =
            upcoming.iter().map(|u| u.what.row(u.when.clone(), u.left.clone(), false, false)).collect();
        table::work(&mut out, &rows, ["What", "Ready on"], true, ctx.style())?;
    }
    out.into_inner().map_err(IntoInnerError::into_error)?.finish()?;
    // A file that could not be read may hide overdue work: that is worse than overdue work seen.
    let code = target::report_unreadable(&unreadable)?;
    let overdue = findings.iter().any(|f| f.overdue);
    Ok(if overdue && code == ExitCode::Success { ExitCode::Attention } else { code })
}

/// A project's overdue and due-soon work and the steps whose earliest start comes today
/// or soon, as far as the filters let through; `None` when they leave out the project.
fn due_work(
    ctx: &Context,
    named: &Named,
    loaded: &Project,
    thresholds: Thresholds,
    filter: &Filter,
) -> Option<(Vec<Finding>, Vec<Upcoming>)> {
    let playbook = &loaded.playbook;
    if !filter.admits(playbook) {
        return None;
    }
    let Standing { progress: view, schedule } = loaded.standing_now(ctx, thresholds, Detail::Statuses);
    let mut found: Vec<Finding> = Vec::new();
    for (id, entry) in &schedule.entries {
        let Entry::Timed(timing) = entry else { continue };
        if !(timing.overdue || timing.soon) || !filter.owns(playbook, playbook.owners(id)) {
            continue;
        }
        found.push(Finding {
            what: What::of(named, loaded, id),
            at: timing.due().end(&loaded.calendar),
            due: timing.due(),
            overdue: timing.overdue,
            soon: timing.soon,
            left: timing.left.clone().unwrap_or_default(),
            time_left: timing.time_left,
            late: timing.late,
        });
    }
    let mut ready = upcoming(ctx, named, loaded, &view, &schedule);
    ready.retain(|u| filter.owns(playbook, u.what.owners()));
    Some((found, ready))
}

/// Steps still to do whose earliest start is today, or soon.
fn upcoming(
    ctx: &Context,
    named: &Named,
    loaded: &Project,
    view: &Progress<'_>,
    schedule: &Schedule,
) -> Vec<Upcoming> {
    let calendar = &loaded.calendar;
    let now = ctx.now(loaded.file.calendar()).0;
    let today = now.with_timezone(&calendar.zone).date_naive();
    let mut ready: Vec<Upcoming> = Vec::new();
    for step in view.steps().filter(|s| matches!(s.status, Status::Ready | Status::Scheduled)) {
        let Some(Start::Dated(wait)) = schedule.starts.get(&step.step.id) else { continue };
        let comes_today = wait.from.with_timezone(&calendar.zone).date_naive() == today;
        if !(wait.soon || comes_today) {
            continue;
        }
        let left = match wait.waiting {
            true => left(calendar, &wait.derivation, now),
            false => "ready now".to_string(),
        };
        ready.push(Upcoming {
            what: What::of(named, loaded, &step.step.id),
            at: wait.from,
            from: wait.derivation.due.text(),
            when: wait.when(calendar),
            left,
        });
    }
    ready
}

impl Upcoming {
    fn json(&self) -> json::check::ReadySoon {
        json::check::ReadySoon {
            work: self.what.json(),
            not_before: self.from.clone(),
            left: self.left.clone(),
        }
    }
}

impl Finding {
    /// Overdue first, then by due instant; ties by project, then the playbook's order.
    fn urgency(&self) -> (bool, Instant, &str, usize) {
        (!self.overdue, self.at, &self.what.project, self.what.rank)
    }

    fn json(&self) -> json::check::Finding {
        json::check::Finding {
            work: self.what.json(),
            due: self.due.text(),
            overdue: self.overdue,
            due_soon: self.soon,
            // Open work that is overdue or due soon always has time left in words.
            left: self.left.clone(),
            time_left: self.time_left.map(Into::into),
            overdue_by: self.late.map(Into::into),
        }
    }
}
