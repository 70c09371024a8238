//! Values the shell completes at each TAB (project names, step ids, playbook ids), read
//! from the state directory the command would use. Completion must never fail loudly:
//! whatever cannot be read offers nothing.

use std::ffi::OsStr;

use clap_complete::engine::CompletionCandidate;

use super::context::state_dir;
use crate::playbook::{Playbook, catalog};
use crate::store::Store;

fn store() -> Option<Store> {
    state_dir(None).ok().map(Store::new)
}

/// Candidates among `values` that start with what was typed so far.
fn matching(
    current: &OsStr,
    values: impl IntoIterator<Item = (String, Option<String>)>,
) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let mut seen = std::collections::BTreeSet::new();
    values
        .into_iter()
        .filter(|(value, _)| value.starts_with(typed.as_ref()) && seen.insert(value.clone()))
        .map(|(value, help)| CompletionCandidate::new(value).help(help.map(|h| short(&h).into())))
        .collect()
}

fn project_names() -> Vec<String> {
    store().and_then(|store| store.project_names().ok()).unwrap_or_default()
}

/// `[PROJECT]`.
pub fn projects(current: &OsStr) -> Vec<CompletionCandidate> {
    matching(current, project_names().into_iter().map(|name| (name, None)))
}

/// `[PROJECT] [STEP]` where a lone argument may be a step of the only project.
pub fn projects_or_steps(current: &OsStr) -> Vec<CompletionCandidate> {
    let mut all = projects(current);
    all.extend(steps(current));
    all
}

/// `[STEP]`: the steps and phases of the only project, else of every playbook in use or
/// known (a step id is worth offering whichever project it turns out to be).
pub fn steps(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = store() else { return Vec::new() };
    let names = project_names();
    let playbooks: Vec<std::sync::Arc<Playbook>> = match names.as_slice() {
        [only] => store
            .read(only)
            .ok()
            .and_then(|file| store.followed(&file).ok())
            .map(|followed| vec![followed.playbook])
            .unwrap_or_default(),
        _ => catalog::list(&store.root)
            .map(|listed| {
                listed.into_iter().filter_map(|l| l.playbook.ok()).map(std::sync::Arc::new).collect()
            })
            .unwrap_or_default(),
    };
    let nodes = playbooks.iter().flat_map(|playbook| {
        let phases = playbook.phases.iter().map(|phase| (phase.id.clone(), Some(phase.title.clone())));
        let steps = playbook.steps().map(|(_, step)| (step.id.clone(), Some(step.title.clone())));
        phases.chain(steps).collect::<Vec<_>>()
    });
    matching(current, nodes)
}

/// `PLAYBOOK`: bundled and local playbook ids.
pub fn playbooks(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = store() else { return Vec::new() };
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
}
