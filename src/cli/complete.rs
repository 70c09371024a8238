//! Values the shell completes at each TAB, from the context of the command line typed so
//! far: the steps a command can act on in the project named before them, a step's fields
//! after `--set`, a project's variables after `set PROJECT`, calendar ids, roles. They are
//! read from the state directory the command would use (`--dir` on the line counts), and
//! only the project named is read. Completion must never fail loudly: whatever cannot be
//! read offers nothing.
//!
//! clap_complete hands a completer only the word at the cursor; the words before it are
//! read here from the process's arguments (`COMPLETE=bash onboard -- onboard advance …`),
//! walked with the same clap command so that flags and their values are told apart.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use clap_complete::engine::CompletionCandidate;

use super::acting::Acting;
use super::context::find_state_dir;
use super::{ColorChoice, Context, GlobalArgs, target};
use crate::calendar;
use crate::playbook::value::ValueKind;
use crate::playbook::{Playbook, Step, Variable, catalog};
use crate::state::loaded::Project;
use crate::state::progress::Detail;
use crate::state::schedule::Thresholds;
use crate::store::Store;

/// The command line before the word being completed, as far as completion needs it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Line {
    /// `--dir`, when given.
    dir: Option<PathBuf>,
    /// The subcommand (`advance`).
    command: Option<String>,
    /// The subcommand's positional arguments typed so far.
    positionals: Vec<String>,
    /// The values given to `--set` so far.
    sets: Vec<String>,
}

impl Line {
    /// The line of this process: the words after `--`, up to the one at the cursor (bash,
    /// zsh and elvish say which it is in `_CLAP_COMPLETE_INDEX`; fish completes the last).
    fn typed() -> Line {
        let args: Vec<OsString> = std::env::args_os().collect();
        let start = args.iter().position(|a| a == "--").map_or(args.len(), |i| i + 1);
        let words: Vec<String> = args[start..].iter().map(|a| a.to_string_lossy().into_owned()).collect();
        let index = std::env::var("_CLAP_COMPLETE_INDEX").ok().and_then(|i| i.parse().ok());
        let cursor = index.unwrap_or(words.len().saturating_sub(1)).min(words.len());
        Line::parse(&words[..cursor])
    }

    /// Walks `words` (the binary's name first) as clap would: options that take a value
    /// take the next word unless written `--name=value`.
    fn parse(words: &[String]) -> Line {
        let mut root = super::command();
        root.build();
        let mut line = Line::default();
        let mut current = &root;
        let mut escaped = false;
        let mut words = words.iter().skip(1);
        while let Some(word) = words.next() {
            if escaped || !word.starts_with('-') || word == "-" {
                match current.find_subcommand(word).filter(|_| line.command.is_none() && !escaped) {
                    Some(sub) => {
                        line.command = Some(sub.get_name().to_string());
                        current = sub;
                    }
                    None => line.positionals.push(word.clone()),
                }
                continue;
            }
            if word == "--" {
                escaped = true;
                continue;
            }
            let (name, inline) = match word.strip_prefix("--") {
                Some(long) => match long.split_once('=') {
                    Some((name, value)) => (name, Some(value.to_string())),
                    None => (long, None),
                },
                None => (&word[1..], None),
            };
            let is_long = word.starts_with("--");
            let arg = current.get_arguments().find(|a| match is_long {
                true => a.get_long() == Some(name),
                false => name.chars().next().is_some_and(|c| a.get_short() == Some(c)) && name.len() == 1,
            });
            let Some(arg) = arg else { continue };
            let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
            let value = match (takes_value, inline) {
                (true, Some(value)) => Some(value),
                (true, None) => words.next().cloned(),
                (false, _) => None,
            };
            match (arg.get_id().as_str(), value) {
                ("dir", Some(value)) => line.dir = Some(PathBuf::from(value)),
                ("set", Some(value)) => line.sets.push(value),
                _ => {}
            }
        }
        line
    }

    /// The store the command would use.
    fn store(&self) -> Option<Store> {
        find_state_dir(self.dir.clone()).ok().map(|(dir, _)| Store::new(dir))
    }

    /// The context the command would run in, for reading one project as it would.
    fn context(&self) -> Option<Context> {
        let global = GlobalArgs {
            dir: self.dir.clone().into_iter().collect(),
            workspace: None,
            by: None,
            no_cache: true,
            color: ColorChoice::Never,
            no_pager: true,
            quiet: true,
            verbose: false,
        };
        Context::resolve(&global).ok()
    }

    /// `[PROJECT] [STEP]` as the command reads it: the project named first, or the only
    /// one when the first word is no project's name; and the step typed, if any.
    fn project_and_step(&self, store: &Store) -> Option<(String, Option<String>)> {
        match self.positionals.as_slice() {
            [] => only_project(store).map(|p| (p, None)),
            [one] if store.is_taken(one) => Some((one.clone(), None)),
            [one] => only_project(store).map(|p| (p, Some(one.clone()))),
            [project, step, ..] => Some((project.clone(), Some(step.clone()))),
        }
    }
}

/// The name of the only project, when there is exactly one.
fn only_project(store: &Store) -> Option<String> {
    match store.project_names().ok()?.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// A value to offer and the help some shells show beside it.
type Offer = (String, Option<String>);

/// Candidates among `values` that start with what was typed so far, once each.
fn matching(current: &OsStr, values: impl IntoIterator<Item = Offer>) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let mut seen = std::collections::BTreeSet::new();
    values
        .into_iter()
        .filter(|(value, _)| value.starts_with(typed.as_ref()) && seen.insert(value.clone()))
        .map(|(value, help)| CompletionCandidate::new(value).help(help.map(|h| short(&h).into())))
        .collect()
}

fn project_names(store: Option<&Store>) -> Vec<Offer> {
    let names = store.and_then(|store| store.project_names().ok()).unwrap_or_default();
    names.into_iter().map(|name| (name, None)).collect()
}

/// `[PROJECT]`.
pub(crate) fn projects(current: &OsStr) -> Vec<CompletionCandidate> {
    matching(current, project_names(Line::typed().store().as_ref()))
}

/// `[PROJECT] [STEP]`, first word: the project names; with a single project, also the
/// steps of it that the command can act on (the project may be left out).
pub(crate) fn project_or_step(current: &OsStr) -> Vec<CompletionCandidate> {
    let line = Line::typed();
    let Some(store) = line.store() else { return Vec::new() };
    let mut offers = project_names(Some(&store));
    if let (Some(only), Some(ctx)) = (only_project(&store), line.context()) {
        offers.extend(actionable(&ctx, &only, line.command.as_deref()));
    }
    matching(current, offers)
}

/// `[PROJECT] [STEP]`, second word: the steps of the project named first that the
/// command can act on.
pub(crate) fn step(current: &OsStr) -> Vec<CompletionCandidate> {
    let line = Line::typed();
    let (Some(store), Some(ctx)) = (line.store(), line.context()) else { return Vec::new() };
    match line.project_and_step(&store) {
        // The first word was a step of the only project: nothing comes after it.
        Some((project, None)) => matching(current, actionable(&ctx, &project, line.command.as_deref())),
        _ => Vec::new(),
    }
}

/// The steps of `project` that `command` can act on (`Acting`), by id and by number;
/// for `explain`, its phases too.
fn actionable(ctx: &Context, project: &str, command: Option<&str>) -> Vec<Offer> {
    let Some(acting) = command.and_then(Acting::of) else { return Vec::new() };
    let Ok(loaded) = target::load(ctx, project) else { return Vec::new() };
    let playbook = &loaded.playbook;
    let view = loaded.standing_now(ctx, Thresholds::default(), Detail::Statuses).progress;
    let mut nodes: Vec<(&str, Option<&str>, &str)> = Vec::new();
    if acting == Acting::Explain {
        nodes.extend(playbook.phases.iter().map(|p| (p.id.as_str(), p.number.as_deref(), p.title.as_str())));
    }
    let steps = view.steps().filter(|s| acting.can_act_on(s));
    nodes.extend(steps.map(|s| (s.step.id.as_str(), s.step.number.as_deref(), s.step.title.as_str())));
    nodes.sort_by_key(|(id, ..)| playbook.position(id));
    let ids = nodes.iter().map(|(id, _, title)| (id.to_string(), Some(title.to_string())));
    let numbers =
        nodes.iter().filter_map(|(id, number, _)| number.map(|n| (n.to_string(), Some(id.to_string()))));
    ids.chain(numbers).collect()
}

/// `retract [PROJECT] [EVENT]`: the ids of the events it can take back, of the project
/// named first or the only one, newest first, each with who recorded it and when.
pub(crate) fn events(current: &OsStr) -> Vec<CompletionCandidate> {
    let line = Line::typed();
    let (Some(store), Some(ctx)) = (line.store(), line.context()) else { return Vec::new() };
    let Some((project, _)) = line.project_and_step(&store) else { return Vec::new() };
    let Ok(loaded) = target::load(&ctx, &project) else { return Vec::new() };
    let mut events = crate::state::retraction::retractable(&loaded.file);
    events.sort_by_key(|e| std::cmp::Reverse(e.id.clone()));
    let offers = events.into_iter().filter_map(|e| {
        let help = format!("{} {} by {}", e.action.as_str(), e.at.0.format("%Y-%m-%d %H:%M"), e.by);
        e.id.clone().map(|id| (id, Some(help)))
    });
    matching(current, offers)
}

/// `advance --set`: the fields of the step being completed as `name=` (those not given
/// yet), then after `name=` the field's choices, or true and false.
pub(crate) fn field(current: &OsStr) -> Vec<CompletionCandidate> {
    let line = Line::typed();
    let (Some(store), Some(ctx)) = (line.store(), line.context()) else { return Vec::new() };
    let Some((project, step)) = line.project_and_step(&store) else { return Vec::new() };
    let Ok(loaded) = target::load(&ctx, &project) else { return Vec::new() };
    let Some(step) = step_of(&ctx, &loaded, step.as_deref()) else { return Vec::new() };
    assignments(current, &step.fields, &line.sets)
}

/// The step named, or else the only ready one (as `advance` takes it).
fn step_of<'a>(ctx: &Context, loaded: &'a Project, named: Option<&str>) -> Option<&'a Step> {
    if let Some(text) = named {
        return loaded.playbook.resolve_step(text).ok();
    }
    let view = loaded.standing_now(ctx, Thresholds::default(), Detail::Statuses).progress;
    match view.ready().as_slice() {
        [only] => loaded.playbook.step(&only.step.id).map(|(_, step)| step),
        _ => None,
    }
}

/// `start PLAYBOOK --set`: the playbook's variables and `calendar` as `name=`, then
/// their values.
pub(crate) fn start_variable(current: &OsStr) -> Vec<CompletionCandidate> {
    let line = Line::typed();
    let Some(store) = line.store() else { return Vec::new() };
    let Some(id) = line.positionals.first() else { return Vec::new() };
    let Ok(Some(playbook)) = catalog::find(&store.root, id) else { return Vec::new() };
    with_calendar(current, &playbook, &line.sets)
}

/// `set [PROJECT] KEY=VALUE`: the project names, then the project's variables and
/// `calendar` as `KEY=`, then their values; with a single project, its variables come
/// first as well.
pub(crate) fn set_argument(current: &OsStr) -> Vec<CompletionCandidate> {
    let line = Line::typed();
    let Some(store) = line.store() else { return Vec::new() };
    let project = match line.positionals.as_slice() {
        [] if current.to_string_lossy().contains('=') => only_project(&store),
        [] => {
            let mut all = matching(current, project_names(Some(&store)));
            if let Some(only) = only_project(&store) {
                all.extend(variables_of(&line, &only, current));
            }
            return all;
        }
        [project] if !project.contains('=') => Some(project.clone()),
        _ => None,
    };
    project.map(|project| variables_of(&line, &project, current)).unwrap_or_default()
}

fn variables_of(line: &Line, project: &str, current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(ctx) = line.context() else { return Vec::new() };
    let Ok(loaded) = target::load(&ctx, project) else { return Vec::new() };
    with_calendar(current, &loaded.playbook, &[])
}

/// `KEY=` for the variables of `playbook` and its calendar, then their values.
fn with_calendar(current: &OsStr, playbook: &Playbook, given: &[String]) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    if let Some(ids) = typed.strip_prefix("calendar=") {
        let offers = calendar_offers().into_iter().map(|(id, name)| (format!("calendar={id}"), name));
        return matching(current, offers.filter(|(value, _)| value[9..].starts_with(ids)));
    }
    let mut all = assignments(current, &playbook.variables, given);
    if !typed.contains('=') && !given.iter().any(|g| g.starts_with("calendar=")) {
        all.extend(matching(current, [("calendar=".to_string(), Some("the working calendar".to_string()))]));
    }
    all
}

/// `name=` for each of `variables` not among `given`; after `name=`, its choices, or
/// true and false.
fn assignments(current: &OsStr, variables: &[Variable], given: &[String]) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    if let Some((name, _)) = typed.split_once('=') {
        let Some(variable) = variables.iter().find(|v| v.name == name) else { return Vec::new() };
        let values: Vec<String> = match &variable.kind {
            ValueKind::Choice(choices) => choices.clone(),
            ValueKind::Bool => vec!["true".into(), "false".into()],
            _ => Vec::new(),
        };
        return matching(current, values.into_iter().map(|value| (format!("{name}={value}"), None)));
    }
    let is_given =
        |name: &str| given.iter().any(|g| g.split_once('=').is_some_and(|(key, _)| key.trim() == name));
    let offers = variables.iter().filter(|v| !is_given(&v.name)).map(|v| {
        (format!("{}=", v.name), Some(v.description.clone().unwrap_or_else(|| v.kind.name().to_string())))
    });
    matching(current, offers)
}

fn calendar_offers() -> Vec<Offer> {
    calendar::ids().map(|id| (id.to_string(), calendar::find(id).map(|c| c.name.to_string()))).collect()
}

/// `calendars ID`: the calendar ids.
pub(crate) fn calendars(current: &OsStr) -> Vec<CompletionCandidate> {
    matching(current, calendar_offers())
}

/// `--owner`: the roles of the playbooks that projects follow.
pub(crate) fn roles(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = Line::typed().store() else { return Vec::new() };
    let mut hashes = std::collections::BTreeSet::new();
    let mut offers = Vec::new();
    for name in store.project_names().unwrap_or_default() {
        let Some(followed) = store.read(&name).ok().and_then(|file| store.followed(&file).ok()) else {
            continue;
        };
        if hashes.insert(followed.playbook.hash.clone()) {
            offers.extend(followed.playbook.roles.iter().map(|r| (r.id.clone(), r.name.clone())));
        }
    }
    matching(current, offers)
}

/// `PLAYBOOK`: bundled and local playbook ids.
pub(crate) fn playbooks(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = Line::typed().store() else { return Vec::new() };
    let listed = catalog::list(&store.root).unwrap_or_default();
    matching(current, listed.into_iter().map(|l| (l.id, l.playbook.ok().map(|p| p.title))))
}

/// A title cut to what fits beside a candidate in a completion menu.
fn short(text: &str) -> String {
    const MAX: usize = 60;
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", line[..cut].trim_end()),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_what_starts_with_the_typed_text_once_each() {
        let values =
            [("coop-sur", None), ("coop-central", Some("Cooperativa")), ("opera", None), ("coop-sur", None)]
                .map(|(v, h)| (v.to_string(), h.map(str::to_string)));
        let found: Vec<String> = matching(OsStr::new("coop"), values)
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert_eq!(found, ["coop-sur", "coop-central"]);
    }

    #[test]
    fn long_titles_are_cut_at_a_character() {
        assert_eq!(short("short"), "short");
        let long = "é".repeat(70);
        assert_eq!(short(&long), format!("{}…", "é".repeat(60)));
        assert_eq!(short("first line\nsecond"), "first line");
    }

    fn parsed(line: &str) -> Line {
        Line::parse(&line.split(' ').map(String::from).collect::<Vec<_>>())
    }

    #[test]
    fn the_line_tells_flags_and_their_values_from_positionals() {
        assert_eq!(
            parsed("onboard --dir ops advance coop --set a=1 --note x --repeat 3.1 --set=b=2"),
            Line {
                dir: Some("ops".into()),
                command: Some("advance".into()),
                positionals: vec!["coop".into(), "3.1".into()],
                sets: vec!["a=1".into(), "b=2".into()],
            }
        );
        // A subcommand's name later on is a positional; `--` ends the flags.
        let line = parsed("onboard set status --reason status -- --x");
        assert_eq!(line.command.as_deref(), Some("set"));
        assert_eq!(line.positionals, ["status", "--x"]);
        assert_eq!(parsed("onboard").command, None);
    }
}
