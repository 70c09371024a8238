//! `onboard advance`: complete a ready step (or record one round of a repeatable one).

use clap_complete::engine::ArgValueCompleter;
use std::collections::BTreeMap;

use anyhow::Result;

use crate::cli::acting::Acting;
use crate::cli::assignments::split_assignments;
use crate::cli::complete;
use crate::cli::target;
use crate::cli::{AtArgs, Context, git, prompt};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::playbook::rule::Rule;
use crate::playbook::value::Value;
use crate::playbook::{Playbook, Step};
use crate::state::change;
use crate::state::loaded::Project;
use crate::state::progress::{self, Progress, Status, StepView};
use crate::state::project::{Action, ProjectFile, Timestamp};
use crate::state::schedule::{Thresholds, closed_fixed_dates};

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

pub fn run(ctx: &Context, args: AdvanceArgs) -> Result<ExitCode> {
    let (project, step) = target::project_and_step(ctx, args.project, args.step);
    let name =
        target::project_where(ctx, project, Acting::Advance.able(), |p| Acting::Advance.has_work(ctx, p))?;
    let loaded = target::load(ctx, &name)?;
    let playbook = &loaded.playbook;
    let mut view = progress::compute(playbook, &loaded.file);
    let schedule = loaded.schedule(ctx, &mut view, Thresholds::default());
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
    let stamp = loaded.stamp(ctx, args.at.at.as_deref())?;
    let mut values = parse_values(step, &split_assignments(&args.set)?)?;
    let is_ready = view.steps().any(|s| s.step.id == step.id && s.status == Status::Ready);
    let completing = args.done || !args.set.is_empty() || !is_ready;
    let repeat = args.repeat || asks_round(ctx, completing, &loaded.file, step)?;
    if !repeat {
        fill_defaults(step, &mut values, stamp.at);
        ask_missing_fields(ctx, step, &mut values, args.set.is_empty())?;
    }
    if args.commit {
        git::ensure_repository(&ctx.store.root)?;
    }
    let earliest = schedule.earliest(&step.id, &loaded.calendar);
    let open = |view: &Progress<'_>, status| -> Vec<String> {
        view.steps().filter(|s| s.status == status).map(|s| s.step.id.clone()).collect()
    };
    let before = [open(&view, Status::Ready), open(&view, Status::Scheduled)].concat();
    let file = ctx
        .store
        .update(&name, playbook, |file| {
            match repeat {
                true => change::round(playbook, file, step, args.note.clone(), &stamp)?,
                false => {
                    change::complete(playbook, file, step, &values, args.note.clone(), &stamp, &earliest)?
                }
            }
            Ok(file.clone())
        })
        .map_err(|error| crate::cli::hints::advised_in(&name, error))?;
    let label = crate::render::one_line(&step.named()).into_owned();
    if repeat {
        say!("Recorded round {} of {label} in `{name}`; the step stays open.", rounds(&file, step));
    } else {
        say!("Completed {label} in `{name}`.");
        let mut view = progress::compute(playbook, &file);
        // A field just recorded may be the date a step stays put on: warn as `set` does,
        // about the dates this completion moved, not the ones already known.
        if values.keys().any(|field| playbook.variable(field).is_some() || is_milestone(playbook, field)) {
            let known =
                closed_fixed_dates(playbook, &progress::variables(playbook, &loaded.file), &loaded.calendar);
            let now = closed_fixed_dates(playbook, &view.vars, &loaded.calendar);
            let moved: Vec<_> = now.into_iter().filter(|d| !known.contains(d)).collect();
            target::warn_fixed(&moved);
        }
        loaded.schedule(ctx, &mut view, Thresholds::default());
        let newly = |status| -> Vec<String> {
            let new = view.steps().filter(|s| s.status == status && !before.contains(&s.step.id));
            new.map(|s| format!("{}{}", s.step.named(), scheduled_text(s))).collect()
        };
        let (ready, scheduled) = (newly(Status::Ready), newly(Status::Scheduled));
        if view.steps().all(|s| matches!(s.status, Status::Done | Status::Skipped)) {
            say!("Every step of `{name}` is finished.");
        }
        if !ready.is_empty() {
            say!("Ready now: {}", crate::render::one_line(&ready.join(", ")));
        }
        if !scheduled.is_empty() {
            say!("Scheduled: {}", crate::render::one_line(&scheduled.join(", ")));
        }
    }
    if args.commit {
        let what = match repeat {
            true => format!("round {} of", rounds(&file, step)),
            false => "done".to_string(),
        };
        let note = args.note.as_deref().map(|note| ("Note", note));
        let message = git::step_message(&name, step, &what, note, &stamp.by);
        git::commit_change(&ctx.store, &git::needs(&ctx.store, &file), &message)?;
    }
    Ok(ExitCode::Success)
}

fn rounds(file: &ProjectFile, step: &Step) -> usize {
    crate::state::project::counting(file.events_of(&step.id)).filter(|e| e.action == Action::Round).count()
}

/// Whether some milestone rule counts from `name`.
fn is_milestone(playbook: &Playbook, name: &str) -> bool {
    let rules = playbook.steps().flat_map(|(_, s)| [s.deadline.as_ref(), s.not_before.as_ref()]);
    let phases = playbook.phases.iter().map(|p| p.deadline.as_ref());
    rules
        .chain(phases)
        .flatten()
        .any(|d| matches!(&d.rule, Rule::Milestone { milestone, .. } if milestone == name))
}

/// On a terminal, a ready repeatable step advanced without `--repeat`, `--done` or a
/// field asks whether this is a round or the completion (`completing` says it is known,
/// or that the change will be refused anyway).
fn asks_round(ctx: &Context, completing: bool, file: &ProjectFile, step: &Step) -> Result<bool> {
    if !ctx.interactive || !step.repeatable || completing {
        return Ok(false);
    }
    let (prompt, answers) = prompt::round_or_completion(step, rounds(file, step) + 1);
    Ok(prompt::select(&prompt, &answers)? == 0)
}

/// ` (ready on Mon 9 Nov 2026)` for a scheduled step.
fn scheduled_text(view: &StepView<'_>) -> String {
    match (&view.status, &view.reason) {
        (Status::Scheduled, Some(reason)) => format!(" ({reason})"),
        _ => String::new(),
    }
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
            let names: Vec<&str> = step.fields.iter().map(|f| f.name.as_str()).collect();
            let hint = if names.is_empty() {
                "this step records no fields".to_string()
            } else {
                format!("its fields are {}", names.join(", "))
            };
            return Err(hinted(format!("step {} has no field `{name}`", step.named()), hint));
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
