//! `onboard explain`: how a due date (and an earliest start) was derived: the rule, the
//! anchor and where it came from, the calendar and its data version, and the days skipped.

use std::io::Write;

use anyhow::Result;
use clap_complete::engine::ArgValueCompleter;

use crate::cli::pager::Output;
use crate::cli::{Context, complete, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::playbook::Playbook;
use crate::playbook::model::Node;
use crate::render::explain::Explained;
use crate::render::wrap::Wrapping;
use crate::render::{self, json};
use crate::state::progress::Detail;
use crate::state::schedule::Thresholds;
use crate::state::standing::Standing;

/// Show how a step's or phase's due date was derived
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The project [default: the only one]
    #[arg(add = ArgValueCompleter::new(complete::project_or_step))]
    pub project: Option<String>,
    /// The step or phase, by id or number (`III.2`, `certification`)
    #[arg(add = ArgValueCompleter::new(complete::step))]
    pub step: Option<String>,
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn run(ctx: &Context, args: ExplainArgs) -> Result<ExitCode> {
    let (project, step) = target::project_and_step(ctx, args.project, args.step);
    let name = target::project(ctx, project)?;
    let loaded = target::load(ctx, &name)?;
    let playbook = &loaded.playbook;
    let Some(text) = step else {
        return Err(hinted("name the step or phase to explain", "onboard explain [PROJECT] STEP"));
    };
    let id = resolve_node(playbook, &text)?;
    let Standing { progress: view, schedule } = loaded.standing_now(ctx, Thresholds::default(), Detail::Full);
    let calendar = &loaded.calendar;
    let ruled = rule_holder(playbook, &id);
    let explained = Explained {
        project: &loaded.name,
        playbook,
        id: &id,
        ruled: &ruled,
        progress: &view,
        schedule: &schedule,
        calendar,
    };
    if args.json {
        let mut out = crate::cli::ui::stdout();
        json::write(&mut out, &json::explain::Explanation::of(&explained))?;
        out.flush()?;
    } else {
        // Every line wrapped to the width, and the whole paged when it is long.
        let mut out = Wrapping::new(Output::new(ctx.pager.as_ref()), ctx.width);
        render::explain::text(&mut out, &explained)?;
        out.into_inner()?.finish()?;
    }
    target::warn_uncovered(calendar);
    Ok(ExitCode::Success)
}

/// The phase or step whose rule gives `id` its time limit: its own, else (for a step
/// without a rule of its own) its phase's, which is due as a whole.
fn rule_holder(playbook: &Playbook, id: &str) -> String {
    match playbook.node(id) {
        Some(Node::Step(phase, step)) if step.deadline.is_none() && phase.deadline.is_some() => {
            phase.id.clone()
        }
        _ => id.to_string(),
    }
}

/// A step (by id or number) or a phase (by id or number); steps win a shared number.
fn resolve_node(playbook: &Playbook, text: &str) -> Result<String> {
    let unknown = match playbook.resolve_step(text) {
        Ok(step) => return Ok(step.id.clone()),
        Err(unknown) => unknown,
    };
    let phase = playbook.phases.iter().find(|p| p.id == text || p.number.as_deref() == Some(text));
    Ok(phase.ok_or(unknown)?.id.clone())
}
