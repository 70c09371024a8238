//! `onboard set`: change a project variable (say the go-live date J moves), with a reason;
//! due dates follow, and the change goes into the audit trail.

use anyhow::Result;

use crate::calendar;
use crate::cli::{AtArgs, Context, git, target};
use crate::error::{ExitCode, hinted};
use crate::playbook::diagnostic::did_you_mean;
use crate::state::change;
use crate::state::progress;
use crate::state::store::split_assignments;

/// Change a project variable (or its calendar), with a reason
#[derive(Debug, clap::Args)]
pub struct SetArgs {
    /// `[PROJECT] KEY=VALUE`, e.g. `set J=2026-04-20` or `set opera J=2026-04-20`
    #[arg(required = true, num_args = 1..=2, value_name = "[PROJECT] KEY=VALUE")]
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

pub fn run(ctx: &Context, args: SetArgs) -> Result<ExitCode> {
    let (project, assignment) = match args.args.as_slice() {
        [one] => (None, one.clone()),
        [project, assignment] => (Some(project.clone()), assignment.clone()),
        _ => unreachable!("clap takes one or two values"),
    };
    let name = target::project(ctx, project)?;
    let loaded = target::load(ctx, &name)?;
    let playbook = &loaded.followed.playbook;
    let pairs = split_assignments(std::slice::from_ref(&assignment))?;
    let (key, text) = pairs.into_iter().next().expect("one assignment");
    let value = if key == "calendar" {
        match calendar::find(&text) {
            Some(found) => change::SetValue::Calendar(found.id.to_string()),
            None => {
                let ids: Vec<&str> = calendar::ids().collect();
                return Err(hinted(
                    format!("unknown calendar `{text}`"),
                    format!("the calendars are {}", ids.join(", ")),
                ));
            }
        }
    } else {
        let Some(variable) = playbook.variable(&key) else {
            if let Some((step, _)) = playbook.field(&key) {
                return Err(hinted(
                    format!("`{key}` is recorded by step {}, not set by hand", step.named()),
                    format!("reopen that step and complete it again with `--set {key}=VALUE`"),
                ));
            }
            let names = playbook.variables.iter().map(|v| v.name.as_str());
            let hint = match did_you_mean(&key, names.clone()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("its variables are {}", names.collect::<Vec<_>>().join(", ")),
            };
            return Err(hinted(format!("playbook `{}` has no variable `{key}`", playbook.id), hint));
        };
        let parsed = variable
            .kind
            .parse(&text)
            .map_err(|m| hinted(format!("bad value for `{key}`: {m}"), variable.about()))?;
        change::SetValue::Variable(key.clone(), parsed)
    };
    if args.commit {
        git::ensure_repository(&ctx.store.root)?;
    }
    let stamp = loaded.stamp(ctx, args.at.at.as_deref())?;
    let (before, file) = ctx.store.update(&name, playbook, |file| {
        let before = change::set(playbook, file, &value, args.reason.clone(), &stamp)?;
        Ok((before, file.clone()))
    })?;
    let was = before.as_ref().map(|b| format!(" (was {b})")).unwrap_or_default();
    eprintln!("Set {key}={} in `{name}`{was}.", value.text());
    let calendar = ctx.store.calendar(file.calendar(), playbook.hours())?;
    target::warn_closed_fixed_dates(playbook, &progress::variables(playbook, &file), &calendar);
    if args.commit {
        let change = match &before {
            Some(old) => format!("{old} → {}", value.text()),
            None => format!("→ {}", value.text()),
        };
        let message = format!("onboard: {name}: set {key} {change} ({})", args.reason);
        git::commit(&ctx.store.root, std::slice::from_ref(&loaded.path), &message)?;
    }
    Ok(ExitCode::Success)
}
