//! `onboard next`: the work people can do now across the portfolio, most urgent first;
//! with `--owner` one role's, with `--me` the acting person's (their roles come from
//! `people.yaml`). Portfolio reading is `check`'s: the same loader, cache and threads.

use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};

use clap_complete::engine::ArgValueCompleter;

use super::check::What;
use crate::cli::complete;
use crate::cli::filter::Filter;
use crate::cli::members::{Named, Portfolio, members};
use crate::cli::target::{self, Unreadable};
use crate::cli::{Context, FilterArgs, SoonArgs};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::render::view::{WorkRow, state_text};
use crate::render::{json, table};
use crate::state::loaded::Project;
use crate::state::progress::{Detail, Status};
use crate::state::schedule::Timing;
use crate::state::standing::Standing;
use crate::store::people;

/// List the steps ready to work on across projects, most urgent first
///
/// One row per ready step of every project (archived ones left out), and the scheduled
/// ones with what they wait for: overdue first, then by due date, then those without one.
/// `--me` shows the steps of the roles `people.yaml` in the state directory gives the
/// acting person (`--by`, `ONBOARD_USER`, git's user.name).
#[derive(Debug, clap::Args)]
#[command(after_long_help = "Examples:
  onboard next                  everything ready, most urgent first
  onboard next --owner analyst  what the analysts can do now
  onboard next --me             my work (people.yaml: `ana: [ANALYST]`)")]
pub struct NextArgs {
    /// Only the steps of the roles the acting person plays, as `people.yaml` lists them
    #[arg(long)]
    pub me: bool,
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
    /// Only work this role owns (its id or name, in any case, such as `analyst`)
    #[arg(long, value_name = "ROLE", add = ArgValueCompleter::new(complete::roles))]
    pub owner: Option<String>,
    /// Only projects that follow this playbook
    #[arg(long, value_name = "ID", add = ArgValueCompleter::new(complete::playbooks))]
    pub playbook: Option<String>,
    #[command(flatten)]
    pub soon: SoonArgs,
}

type Instant = DateTime<FixedOffset>;

/// One ready or scheduled step, with what `next` shows of it.
struct Row {
    what: What,
    scheduled: Option<String>,
    /// The step's timing, else its phase's, and whether it is the phase's.
    timing: Option<(Timing, bool)>,
    /// The instant it is due by, to order by.
    due_at: Option<Instant>,
}

impl Row {
    fn is_overdue(&self) -> bool {
        self.timing.as_ref().is_some_and(|(t, _)| t.overdue)
    }

    fn is_soon(&self) -> bool {
        self.timing.as_ref().is_some_and(|(t, _)| t.soon)
    }

    /// Overdue first, then by due instant, then without one; ties by project, then order.
    fn urgency(&self) -> (bool, bool, Option<Instant>, &str, usize) {
        (!self.is_overdue(), self.due_at.is_none(), self.due_at, &self.what.project, self.what.rank)
    }

    /// The row of `next`'s table; a phase's due says so.
    fn row(&self) -> WorkRow {
        let due = match &self.timing {
            Some((t, true)) => format!("{} (phase)", t.due().short()),
            Some((t, false)) => t.due().short(),
            None => String::new(),
        };
        let state = match (&self.scheduled, &self.timing) {
            (Some(wait), _) => wait.clone(),
            (None, Some((t, _))) => state_text(t),
            (None, None) => "ready".into(),
        };
        let (playbook, id) = (&self.what.playbook, &self.what.id);
        // `3.1 Contact list`: the number (else the id) and the title.
        let title = playbook.step(id).map_or("", |(_, s)| s.title.trim());
        let what = format!("{} {title}", playbook.label(id));
        WorkRow { what, ..self.what.row(due, state, self.is_overdue(), self.is_soon()) }
    }

    fn json(&self) -> json::next::NextStep {
        let json::check::Work { project, repository, id, label, title, owner } = self.what.json();
        json::next::NextStep {
            project,
            repository,
            id,
            label,
            title,
            owner,
            status: if self.scheduled.is_some() { "scheduled" } else { "ready" }.into(),
            due: self.timing.as_ref().map(|(t, _)| t.due().text()),
            due_of_phase: self.timing.as_ref().is_some_and(|(_, phase)| *phase),
            overdue: self.is_overdue(),
            due_soon: self.is_soon(),
            left: self.timing.as_ref().and_then(|(t, _)| t.left.clone()),
            time_left: self.timing.as_ref().and_then(|(t, _)| t.time_left).map(Into::into),
            overdue_by: self.timing.as_ref().and_then(|(t, _)| t.late).map(Into::into),
            waiting_for: self.scheduled.clone(),
        }
    }
}

pub(crate) fn run(ctx: &Context, args: NextArgs) -> Result<ExitCode> {
    let mut filter = Filter::new(&FilterArgs { owner: args.owner.clone(), playbook: args.playbook.clone() });
    if args.me {
        filter = filter.with_roles(my_roles(ctx)?);
    }
    let portfolio = Portfolio::list(ctx, false)?;
    let thresholds = args.soon.thresholds();
    let work = |named: &Named, loaded: &Project| ready_steps(ctx, named, loaded, thresholds, &filter);
    let (rows, unreadable) = portfolio.each_project(false, work);
    let mut rows: Vec<Row> = rows.into_iter().flatten().collect();
    filter.verify(ctx)?;
    rows.sort_by(|a, b| a.urgency().cmp(&b.urgency()));
    // One write per buffer, not per line: a portfolio can have thousands of rows.
    let mut out = std::io::BufWriter::new(crate::cli::ui::stdout());
    if args.json {
        let steps = rows.iter().map(Row::json).collect();
        let errors = unreadable.iter().map(Unreadable::json).collect();
        json::write(&mut out, &json::next::Next { steps, errors })?;
    } else if portfolio.is_empty() {
        writeln!(out, "{}", super::status::no_projects(ctx))?;
    } else if rows.is_empty() && unreadable.is_empty() {
        writeln!(out, "{}", nothing_ready(&args))?;
    } else if !rows.is_empty() {
        let rows: Vec<_> = rows.iter().map(Row::row).collect();
        table::work(&mut out, &rows, ["Step", "Due"], false, ctx.style())?;
    }
    out.flush()?;
    target::report_unreadable(&unreadable)
}

/// What an empty list says: nothing is ready, for whom.
fn nothing_ready(args: &NextArgs) -> String {
    match (&args.owner, args.me) {
        (Some(role), _) => format!("Nothing is ready for `{}`.", crate::render::one_line(role)),
        (None, true) => "Nothing is ready for you.".into(),
        (None, false) => "Nothing is ready.".into(),
    }
}

/// A project's ready and scheduled steps that the filters let through.
fn ready_steps(
    ctx: &Context,
    named: &Named,
    loaded: &Project,
    thresholds: crate::state::schedule::Thresholds,
    filter: &Filter,
) -> Vec<Row> {
    let playbook = &loaded.playbook;
    if !filter.admits(playbook) {
        return Vec::new();
    }
    let Standing { progress: view, schedule } = loaded.standing_now(ctx, thresholds, Detail::Statuses);
    let mut rows = Vec::new();
    for step in view.steps().filter(|s| matches!(s.status, Status::Ready | Status::Scheduled)) {
        let id = &step.step.id;
        if !filter.owns(playbook, playbook.owners(id)) {
            continue;
        }
        let own = schedule.timing(id).map(|t| (t.clone(), false));
        let timing = own.or_else(|| schedule.timing(&step.phase.id).map(|t| (t.clone(), true)));
        let due_at = timing.as_ref().map(|(t, _)| t.due().end(&loaded.calendar));
        rows.push(Row {
            what: What::of(named, loaded, id),
            scheduled: (step.status == Status::Scheduled).then(|| step.reason.clone().unwrap_or_default()),
            timing,
            due_at,
        });
    }
    rows
}

/// The roles of the acting person, from `people.yaml`; with several state directories,
/// the roles every directory's list gives them, which must give some.
fn my_roles(ctx: &Context) -> Result<Vec<String>> {
    if !ctx.is_several() {
        return roles_in(ctx);
    }
    let mut roles: Vec<String> = Vec::new();
    let mut lists = Vec::new();
    for member in members(ctx) {
        let path = people::path(&member.ctx.store.root);
        lists.push(format!("`{}`", path.display()));
        if people::load(&member.ctx.store.root)?.is_some()
            && let Ok(found) = roles_in(&member.ctx)
        {
            roles.extend(found.into_iter().filter(|role| !roles.contains(role)).collect::<Vec<_>>());
        }
    }
    if roles.is_empty() {
        let shown = crate::render::one_line(&ctx.actor()?).into_owned();
        return Err(hinted(
            format!(
                "`{shown}` has no roles in the people lists of the state directories ({})",
                lists.join(", ")
            ),
            format!(
                "list each person's roles in one of them, one line each (`{shown}: [ANALYST]`), or use `--owner ROLE`; `--by NAME` says who you are"
            ),
        ));
    }
    Ok(roles)
}

/// The roles of the acting person, from the `people.yaml` of `ctx`'s state directory.
fn roles_in(ctx: &Context) -> Result<Vec<String>> {
    let me = ctx.actor()?;
    // As messages show a name: on one line.
    let shown = crate::render::one_line(&me);
    let path = people::path(&ctx.store.root);
    let Some(people) = people::load(&ctx.store.root)? else {
        return Err(hinted(
            format!("`--me` needs to know which roles `{shown}` plays, and there is no `{}`", path.display()),
            format!(
                "list each person's roles in it, one line each (`{shown}: [ANALYST]`), or use `--owner ROLE`; `--by NAME` says who you are"
            ),
        ));
    };
    match people.of(&me) {
        Some(roles) => Ok(roles.to_vec()),
        None => {
            let listed: Vec<&str> = people.roles.keys().map(String::as_str).collect();
            let close = crate::playbook::diagnostic::did_you_mean_hint(&me, listed.iter().copied());
            let hint = close.map_or_else(
                || format!("add a line `{shown}: [ROLE]` to it; `--by NAME` says who you are"),
                |close| format!("{close} (`--by NAME` says who you are)"),
            );
            Err(hinted(format!("`{shown}` has no roles in `{}`", path.display()), hint))
        }
    }
}
