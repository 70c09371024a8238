//! `onboard start`: create a project from a playbook.

use clap_complete::engine::ArgValueCompleter;
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use crate::calendar;
use crate::cli::assignments::split_assignments;
use crate::cli::complete;
use crate::cli::{Context, context, git, prompt, runner, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::playbook::catalog;
use crate::playbook::diagnostic::did_you_mean_hint;
use crate::playbook::value::Value;
use crate::playbook::{Playbook, Variable};
use crate::render::{one_line, printable};
use crate::state::change::{self, Stamp};
use crate::state::check_project_name;
use crate::state::progress;
use crate::state::schedule::closed_fixed_dates;
use crate::words;

/// Start a project from a playbook
#[derive(Debug, clap::Args)]
pub struct StartArgs {
    /// The playbook id (see `onboard playbooks`)
    #[arg(add = ArgValueCompleter::new(complete::playbooks))]
    pub playbook: String,
    /// The project name, a slug such as `coop-central` [default: the playbook id]
    pub project: Option<String>,
    /// Set a variable, e.g. `--set J=2026-03-30`; `--set calendar=ID` picks another calendar
    #[arg(long = "set", value_name = "KEY=VALUE", add = ArgValueCompleter::new(complete::start_variable))]
    pub set: Vec<String>,
    /// Commit the new project file with git
    #[arg(long)]
    pub commit: bool,
}

pub(crate) fn run(ctx: &Context, args: StartArgs) -> Result<ExitCode> {
    if let Some(name) = &args.project {
        target::project(ctx, Some(name.clone()))?;
    }
    let playbook = find_playbook(ctx, &args.playbook)?;
    let assignments = split_assignments(&args.set)?;
    let calendar_id = match assignments.get("calendar") {
        Some(id) => check_calendar(id)?,
        None => playbook.calendar.clone(),
    };
    let now = ctx.now(&calendar_id);
    let vars = resolve_variables(ctx, &playbook, &assignments, now.0)?;
    let name = project_name(ctx, &playbook, args.project)?;
    if args.commit {
        git::ensure_repository(&ctx.store.root)?;
    }
    let stamp = Stamp { at: now, by: ctx.actor()?, recorded: None };
    let file = change::start(&playbook, &name, &calendar_id, &vars, &stamp);
    let path = ctx.store.create(&file, &playbook)?;
    let view = progress::compute(&playbook, &file);
    let ready: Vec<String> = view.ready().iter().map(|s| one_line(&s.step.named()).into_owned()).collect();
    // Steps whose condition is false (phase V without a custom DIMO) do not count.
    let (_, applicable) = view.counts();
    let total = playbook.step_count();
    let steps = if applicable == total {
        words::count(total as i64, "step")
    } else {
        format!("{applicable} of its {total} steps apply")
    };
    say!("Started project `{name}` from playbook `{}` ({steps}).", playbook.id);
    say!("Ready: {}", ready.join(", "));
    let calendar = ctx.store.calendar(&calendar_id, playbook.hours())?;
    // Each date that stays put although it falls on a closed day.
    for line in crate::render::change::fixed_lines(&closed_fixed_dates(&playbook, &view.vars, &calendar)) {
        warn!("{line}");
    }
    let place = Place {
        file: shown(&path),
        per_user: context::per_user_dir().is_some_and(|dir| dir == ctx.store.root),
        first: ctx.store.project_names().is_ok_and(|names| names.len() == 1),
    };
    for line in place.lines(&ready) {
        say!("{line}");
    }
    if args.commit {
        let subject = format!("onboard: {name}: started from {}", playbook.id);
        runner::commit(ctx, subject, &[], &stamp.by, &git::needs(&ctx.store, &file))?;
    }
    Ok(ExitCode::Success)
}

/// Where a new project's file went, for the lines that follow `Ready:`.
struct Place {
    /// The file, relative to the current directory when it is under it.
    file: String,
    /// The state directory is the per-user folder: no `.onboard/` was found.
    per_user: bool,
    /// It is the state directory's only project: say what to run next.
    first: bool,
}

impl Place {
    /// `Wrote FILE.`; in the per-user folder, what that folder is and how to get a team's;
    /// for a first project, the commands to run next.
    fn lines(&self, ready: &[String]) -> Vec<String> {
        let mut lines = vec![format!("Wrote {}.", self.file)];
        if self.per_user {
            lines.push(
                "This is your per-user folder, outside any repository: to share projects with a team, run `onboard init` in the repository and start them there.".to_string(),
            );
        }
        if self.first {
            let advance = match ready {
                [] => String::new(),
                [only] => format!("; `onboard advance` completes {only}"),
                _ => "; `onboard advance STEP` completes one of the ready steps".to_string(),
            };
            lines.push(format!("Next: `onboard status` shows the plan and its due dates{advance}."));
        }
        lines
    }
}

/// `path` relative to the current directory when it is under it, as `git add` takes it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let relative = cwd.as_deref().and_then(|cwd| path.strip_prefix(cwd).ok());
    printable(&relative.unwrap_or(path).display().to_string()).into_owned()
}

fn find_playbook(ctx: &Context, id: &str) -> Result<Playbook> {
    if let Some(playbook) = catalog::find(&ctx.store.root, id)? {
        return Ok(playbook);
    }
    let known: Vec<String> = catalog::list(&ctx.store.root)?.into_iter().map(|l| l.id).collect();
    let hint = did_you_mean_hint(id, known.iter().map(String::as_str)).unwrap_or_else(|| {
        format!("the playbooks are {}; `onboard playbooks` describes them", known.join(", "))
    });
    Err(hinted(format!("no playbook `{id}`"), hint))
}

/// The id of the bundled calendar `id` names (`start`, `set`, `calendars`), or the error
/// that lists them.
pub(super) fn check_calendar(id: &str) -> Result<String> {
    match calendar::find(id) {
        Some(found) => Ok(found.id.to_string()),
        None => Err(calendar::unknown(id)),
    }
}

/// The variables' values: given, defaulted, or asked for; a missing required one is an error.
fn resolve_variables(
    ctx: &Context,
    playbook: &Playbook,
    given: &BTreeMap<String, String>,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Result<BTreeMap<String, Value>> {
    for key in given.keys().filter(|k| *k != "calendar") {
        if playbook.variable(key).is_none() {
            let names = playbook.variables.iter().map(|v| v.name.as_str());
            let hint = match did_you_mean_hint(key, names.clone()) {
                Some(hint) => hint,
                None if playbook.variables.is_empty() => {
                    format!("playbook `{}` declares no variables", playbook.id)
                }
                None => format!("its variables are {}", names.collect::<Vec<_>>().join(", ")),
            };
            return Err(hinted(format!("playbook `{}` has no variable `{key}`", playbook.id), hint));
        }
    }
    let mut vars = BTreeMap::new();
    for variable in &playbook.variables {
        let value = match (given.get(&variable.name), variable.initial(now)) {
            (Some(text), _) => Some(variable.kind.parse(text).map_err(|m| {
                hinted(format!("bad value for `--set {}`: {m}", variable.name), variable.about())
            })?),
            (None, Some(initial)) => Some(initial),
            (None, None) if variable.required => Some(ask(ctx, playbook, variable)?),
            (None, None) => None,
        };
        if let Some(value) = value {
            vars.insert(variable.name.clone(), value);
        }
    }
    Ok(vars)
}

fn ask(ctx: &Context, playbook: &Playbook, variable: &Variable) -> Result<Value> {
    if !ctx.interactive {
        return Err(hinted(
            format!("playbook `{}` needs the variable `{}`", playbook.id, variable.name),
            format!("pass `--set {}={}`; {}", variable.name, variable.kind.placeholder(), variable.about()),
        ));
    }
    let question = prompt::question(&format!("playbook `{}`", playbook.id), variable, None);
    // A required value is asked again until given: never left empty.
    prompt::ask(&question, &variable.kind)?
        .ok_or_else(|| anyhow::anyhow!("`{}` was left empty", variable.name))
}

/// The name given, else the playbook id if free, else one asked for on a terminal.
fn project_name(ctx: &Context, playbook: &Playbook, given: Option<String>) -> Result<String> {
    if let Some(name) = given {
        return Ok(name);
    }
    if !ctx.store.is_taken(&playbook.id) {
        return Ok(playbook.id.clone());
    }
    if !ctx.interactive {
        return Err(hinted(
            format!("a project named `{}` already exists; name the new one", playbook.id),
            format!("`onboard start {} NAME`", playbook.id),
        ));
    }
    prompt::input("Name of the new project (a slug such as `coop-central`)", |text| {
        check_project_name(text)?;
        if ctx.store.is_taken(text) {
            Err(format!("project `{text}` already exists"))
        } else {
            Ok(text.to_string())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(per_user: bool, first: bool) -> Place {
        Place { file: ".onboard/projects/coop-central.yaml".into(), per_user, first }
    }

    #[test]
    fn a_team_folder_names_the_file_and_a_first_project_what_comes_next() {
        assert_eq!(
            place(false, false).lines(&["I `schedule-meeting`".into()]),
            ["Wrote .onboard/projects/coop-central.yaml."]
        );
        assert_eq!(
            place(false, true).lines(&["I `schedule-meeting`".into()]),
            [
                "Wrote .onboard/projects/coop-central.yaml.",
                "Next: `onboard status` shows the plan and its due dates; `onboard advance` completes I `schedule-meeting`."
            ]
        );
        let two = ["`a`".to_string(), "`b`".to_string()];
        assert!(
            place(false, true).lines(&two)[1]
                .ends_with("; `onboard advance STEP` completes one of the ready steps.")
        );
        assert_eq!(
            place(false, true).lines(&[])[1],
            "Next: `onboard status` shows the plan and its due dates."
        );
    }

    #[test]
    fn the_per_user_folder_says_what_it_is_and_how_to_get_a_team_one() {
        let lines = place(true, false).lines(&[]);
        assert_eq!(lines.len(), 2);
        assert!(
            lines[1].contains("per-user folder, outside any repository")
                && lines[1].contains("`onboard init`")
        );
    }
}
