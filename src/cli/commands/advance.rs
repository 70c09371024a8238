//! `onboard advance`: complete a ready step (or record one round of a repeatable one).

use clap_complete::engine::ArgValueCompleter;
use std::collections::BTreeMap;

use anyhow::Result;

use crate::cli::acting::Acting;
use crate::cli::assignments::split_assignments;
use crate::cli::{AtArgs, Context, complete, prompt, runner, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::playbook::Step;
use crate::playbook::value::Value;
use crate::state::change::{self, Change, ChangeError};
use crate::state::loaded::Project;
use crate::state::progress::{Detail, Progress, Status};
use crate::state::project::{ProjectFile, Timestamp};
use crate::state::schedule::Thresholds;
use crate::state::standing::Standing;

/// Complete a ready step of a project
#[derive(Debug, clap::Args)]
pub struct AdvanceArgs {
    /// The project [default: the only one]
    #[arg(add = ArgValueCompleter::new(complete::project_or_step))]
    pub project: Option<String>,
    /// The step, by id or number (`configure-production` or `III.2`) [default: the only ready step]
    #[arg(add = ArgValueCompleter::new(complete::step))]
    pub step: Option<String>,
    /// Record a field of the step, e.g. `--set cuenta_clearing=0042-7`
    #[arg(long = "set", value_name = "FIELD=VALUE", add = ArgValueCompleter::new(complete::field))]
    pub set: Vec<String>,
    /// A note kept with the step and in the log
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Record one round of a repeatable step (test, adjust, test again) and keep it open
    #[arg(long)]
    pub repeat: bool,
    /// Complete a repeatable step without being asked whether this is a round
    #[arg(long, conflicts_with = "repeat")]
    pub done: bool,
    #[command(flatten)]
    pub at: AtArgs,
    /// Commit the project file with git
    #[arg(long)]
    pub commit: bool,
}

pub(crate) fn run(ctx: &Context, args: AdvanceArgs) -> Result<ExitCode> {
    let (project, step) = target::project_and_step(ctx, args.project, args.step);
    let name =
        target::project_where(ctx, project, Acting::Advance.able(), |p| Acting::Advance.has_work(ctx, p))?;
    let loaded = target::load(ctx, &name)?;
    let playbook = &loaded.playbook;
    let Standing { progress: view, .. } = loaded.standing_now(ctx, Thresholds::default(), Detail::Full);
    let step = match step {
        Some(text) => playbook.resolve_step(&text)?,
        None => only_ready_step(ctx, &loaded, &view)?,
    };
    if args.repeat && !args.set.is_empty() {
        return Err(hinted(
            "`--repeat` records a round and takes no `--set`",
            "describe the round with `--note`; fields are recorded when the step is completed",
        ));
    }
    let writing = runner::begin(ctx, &loaded, args.at.at.as_deref(), args.commit)?;
    let mut values = parse_values(step, &split_assignments(&args.set)?)?;
    let is_ready = view.steps().any(|s| s.step.id == step.id && s.status == Status::Ready);
    let completing = args.done || !args.set.is_empty() || !is_ready;
    let note = args.note;
    if args.repeat || asks_round(ctx, completing, &loaded.file, step)? {
        return writing.run(Change::Round { step: step.id.clone(), note });
    }
    fill_defaults(step, &mut values, writing.stamp.at);
    ask_missing_fields(ctx, step, &mut values, args.set.is_empty())?;
    writing.run(Change::Complete { step: step.id.clone(), values, note })
}

/// On a terminal, a ready repeatable step advanced without `--repeat`, `--done` or a
/// field asks whether this is a round or the completion (`completing` says it is known,
/// or that the change will be refused anyway).
fn asks_round(ctx: &Context, completing: bool, file: &ProjectFile, step: &Step) -> Result<bool> {
    if !ctx.interactive || !step.repeatable || completing {
        return Ok(false);
    }
    let (prompt, answers) = prompt::round_or_completion(step, change::rounds(file, step) + 1);
    Ok(prompt::select(&prompt, &answers)? == 0)
}

/// The only ready step; on a terminal a choice among several; otherwise an error listing them.
fn only_ready_step<'a>(ctx: &Context, loaded: &'a Project, view: &Progress<'a>) -> Result<&'a Step> {
    let ready: Vec<&Step> = view.ready().iter().map(|s| s.step).collect();
    let labels: Vec<String> = ready.iter().map(|s| format!("{}: {}", s.named(), s.title)).collect();
    match ready.as_slice() {
        [only] => Ok(only),
        [] => {
            let blocked: Vec<String> = view
                .steps()
                .filter(|s| s.status == Status::Blocked)
                .map(|s| format!("{} {}", s.step.named(), s.reason.clone().unwrap_or_default()))
                .chain(view.steps().filter(|s| s.status == Status::Scheduled).map(|s| {
                    format!("{} is scheduled: {}", s.step.named(), s.reason.clone().unwrap_or_default())
                }))
                .collect();
            let hint = if blocked.is_empty() {
                "`onboard status` shows where the project stands".to_string()
            } else {
                blocked.join("; ")
            };
            Err(hinted(format!("no step of `{}` is ready", loaded.name), hint))
        }
        _ if ctx.interactive => Ok(ready[prompt::select("Which step?", &labels)?]),
        _ => Err(hinted(
            format!("{} steps of `{}` are ready; name one", ready.len(), loaded.name),
            format!("ready: {}", ready.iter().map(|s| s.named()).collect::<Vec<_>>().join(", ")),
        )),
    }
}

fn parse_values(step: &Step, given: &BTreeMap<String, String>) -> Result<BTreeMap<String, Value>> {
    let mut values = BTreeMap::new();
    for (name, text) in given {
        let Some(field) = step.fields.iter().find(|f| &f.name == name) else {
            // The refusal the change would give, with its advice (`cli::refusal`).
            let fields = step.fields.iter().map(|f| f.name.clone()).collect();
            return Err(ChangeError::NoSuchField { step: step.into(), field: name.clone(), fields }.into());
        };
        let value = field.kind.parse(text).map_err(|m| {
            hinted(
                format!("bad value for `--set {name}`: {m}"),
                field.description.clone().unwrap_or_default(),
            )
        })?;
        values.insert(name.clone(), value);
    }
    Ok(values)
}

/// Fields not given take their playbook default (`now` is the time of the change).
fn fill_defaults(step: &Step, values: &mut BTreeMap<String, Value>, now: Timestamp) {
    for field in &step.fields {
        if let Some(default) = field.initial(now.0) {
            values.entry(field.name.clone()).or_insert(default);
        }
    }
}

/// On a terminal, asks for each required field not given; when no field was given
/// (`optional_too`), also for the optional ones without a default, which may be left
/// empty. Elsewhere the change reports a missing required field.
fn ask_missing_fields(
    ctx: &Context,
    step: &Step,
    values: &mut BTreeMap<String, Value>,
    optional_too: bool,
) -> Result<()> {
    if !ctx.interactive {
        return Ok(());
    }
    let missing: Vec<_> = step
        .fields
        .iter()
        .filter(|f| (f.required || optional_too) && !values.contains_key(&f.name))
        .collect();
    for field in missing {
        if let Some(value) = prompt::ask(&prompt::question(&step.named(), field, None), &field.kind)? {
            values.insert(field.name.clone(), value);
        }
    }
    Ok(())
}
