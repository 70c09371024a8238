//! `onboard set`: change a project variable (say the go-live date J moves), with a reason;
//! due dates follow, and the change goes into the audit trail.

use anyhow::Result;
use clap_complete::engine::ArgValueCompleter;

use crate::calendar;
use crate::cli::assignments::split_assignments;
use crate::cli::{AtArgs, Context, complete, prompt, runner, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::playbook::diagnostic::did_you_mean_hint;
use crate::state::change::{Change, SetValue};
use crate::state::progress;

/// Change a project variable (or its calendar), with a reason
#[derive(Debug, clap::Args)]
pub struct SetArgs {
    /// `[PROJECT] KEY=VALUE`, e.g. `set J=2026-04-20` or `set opera J=2026-04-20`; on a
    /// terminal, `KEY` alone asks for the value
    #[arg(required = true, num_args = 1..=2, value_name = "[PROJECT] KEY=VALUE", add = ArgValueCompleter::new(complete::set_argument))]
    pub args: Vec<String>,
    /// Why it changes; kept in the log
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    #[command(flatten)]
    pub at: AtArgs,
    /// Commit the project file with git
    #[arg(long)]
    pub commit: bool,
}

pub(crate) fn run(ctx: &Context, args: SetArgs) -> Result<ExitCode> {
    let (project, assignment) = match args.args.as_slice() {
        [one] => (None, one.clone()),
        [project, assignment] => (Some(project.clone()), assignment.clone()),
        _ => unreachable!("clap takes one or two values"),
    };
    // `KEY` alone asks for the value on a terminal.
    let (key, given) = match assignment.split_once('=') {
        Some(_) => {
            let pairs = split_assignments(std::slice::from_ref(&assignment))?;
            let (key, text) = pairs.into_iter().next().expect("one assignment");
            (key, Some(text))
        }
        None => (assignment.trim().to_string(), None),
    };
    // A terminal offers only the projects whose playbook has the variable.
    let able = format!("has a variable `{key}`");
    let name = target::project_where(ctx, project, &able, |p| {
        key == "calendar" || p.playbook.variable(&key).is_some()
    })?;
    let loaded = target::load(ctx, &name)?;
    let playbook = &loaded.playbook;
    let value = if key == "calendar" {
        let text = match given {
            Some(text) => text,
            None => ask_calendar(ctx, &name, loaded.file.calendar())?,
        };
        SetValue::Calendar(super::start::check_calendar(&text)?)
    } else {
        let Some(variable) = playbook.variable(&key) else {
            if let Some((step, _)) = playbook.field(&key) {
                return Err(hinted(
                    format!("`{key}` is recorded by step {}, not set by hand", step.named()),
                    format!("reopen that step and complete it again with `--set {key}=VALUE`"),
                ));
            }
            let names = playbook.variables.iter().map(|v| v.name.as_str());
            let hint = did_you_mean_hint(&key, names.clone())
                .unwrap_or_else(|| format!("its variables are {}", names.collect::<Vec<_>>().join(", ")));
            return Err(hinted(format!("playbook `{}` has no variable `{key}`", playbook.id), hint));
        };
        let parsed = match given {
            Some(text) => variable
                .kind
                .parse(&text)
                .map_err(|m| hinted(format!("bad value for `{key}`: {m}"), variable.about()))?,
            None if ctx.interactive => {
                let now = progress::variables(playbook, &loaded.file).remove(&key);
                let question = prompt::question(&format!("`{name}`"), variable, now.as_ref());
                match prompt::ask(&question, &variable.kind)? {
                    Some(value) if Some(&value) != now.as_ref() => value,
                    // Enter kept the value it has (or left an unset one empty).
                    _ => {
                        let kept = now.map(|v| format!(" ({v})")).unwrap_or_default();
                        say!("{key} stays as it is in `{name}`{kept}; nothing changed.");
                        return Ok(ExitCode::Success);
                    }
                }
            }
            None => {
                return Err(hinted(
                    format!("`set {key}` needs a value"),
                    format!(
                        "`onboard set {name} {key}={} --reason TEXT`; {}",
                        variable.kind.placeholder(),
                        variable.about()
                    ),
                ));
            }
        };
        SetValue::Variable(key.clone(), parsed)
    };
    let writing = runner::begin(ctx, &loaded, args.at.at.as_deref(), args.commit)?;
    writing.run(Change::Set { value, reason: args.reason })
}

/// On a terminal, a choice among the calendars (the project's own first); elsewhere an
/// error naming the form to pass.
fn ask_calendar(ctx: &Context, name: &str, current: &str) -> Result<String> {
    let mut ids: Vec<String> = calendar::ids().map(String::from).collect();
    if !ctx.interactive {
        return Err(hinted(
            "`set calendar` needs a calendar id",
            format!("`onboard set {name} calendar=ID --reason TEXT`; {}", calendar::known()),
        ));
    }
    if let Some(at) = ids.iter().position(|id| id == current) {
        let id = ids.remove(at);
        ids.insert(0, id);
    }
    let labels: Vec<String> = ids
        .iter()
        .map(|id| {
            let mark = if id == current { " (now)" } else { "" };
            calendar::find(id).map_or(id.clone(), |c| format!("{id}: {}{mark}", c.name))
        })
        .collect();
    let index = prompt::select(&format!("`{name}` — calendar"), &labels)?;
    Ok(ids[index].clone())
}
