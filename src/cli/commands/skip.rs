//! `onboard skip`: skip an optional step, with a reason.

use anyhow::Result;
use clap_complete::engine::ArgValueCompleter;

use crate::cli::acting::Acting;
use crate::cli::{AtArgs, Context, complete, runner, target};
use crate::error::ExitCode;
use crate::state::change::Change;

/// Skip an optional step, with a reason
#[derive(Debug, clap::Args)]
pub struct SkipArgs {
    /// The project [default: the only one]
    #[arg(add = ArgValueCompleter::new(complete::project_or_step))]
    pub project: Option<String>,
    /// The step, by id or number
    #[arg(add = ArgValueCompleter::new(complete::step))]
    pub step: Option<String>,
    /// Why it is skipped; kept in the log
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    #[command(flatten)]
    pub at: AtArgs,
    /// Commit the project file with git
    #[arg(long)]
    pub commit: bool,
}

pub(crate) fn run(ctx: &Context, args: SkipArgs) -> Result<ExitCode> {
    // A terminal offers only the projects with a step to skip.
    let (project, step) = target::project_and_step(ctx, args.project, args.step);
    let acting = Acting::Skip;
    let name = target::project_where(ctx, project, acting.able(), |p| acting.has_work(ctx, p))?;
    let loaded = target::load(ctx, &name)?;
    let step = runner::named_step(&loaded, step, "skip")?.id.clone();
    let writing = runner::begin(ctx, &loaded, args.at.at.as_deref(), args.commit)?;
    writing.run(Change::Skip { step, reason: args.reason })
}
