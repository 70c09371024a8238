//! The prerequisite graph: explicit and implied prerequisites must not loop.

use std::collections::{BTreeMap, HashMap};

use super::{Checker, Paths};
use crate::playbook::model::Playbook;
use crate::text::join;

impl Checker {
    /// Prerequisites (explicit and implied) must not loop. One cycle is reported: fixing
    /// it often breaks the others, and the next run shows what remains.
    pub(super) fn cycles(&mut self, playbook: &Playbook, paths: &Paths) {
        if let Some(cycle) = find_cycle(&prerequisite_graph(playbook)) {
            self.report_cycle(&cycle, paths);
        }
    }

    pub(super) fn report_cycle(&mut self, cycle: &[&str], paths: &Paths) {
        let shown: Vec<&str> =
            cycle.iter().map(|n| n.trim_start_matches("start:").trim_start_matches("done:")).collect();
        let mut readable: Vec<&str> = Vec::new();
        for id in shown {
            if readable.last() != Some(&id) {
                readable.push(id);
            }
        }
        let first = readable.first().copied().unwrap_or_default();
        let path = paths.by_id.get(first).cloned().unwrap_or_default();
        let message = format!("prerequisites form a cycle: {} → {first}", readable.join(" → "));
        let hint =
            "remove one of these `after` entries (a step also waits for its phase to start)".to_string();
        self.error(&join(&path, "after"), message, Some(hint));
    }
}

/// Edges from each node to what it waits for. Phases are two nodes (`start:` and `done:`).
pub(super) fn prerequisite_graph(playbook: &Playbook) -> BTreeMap<String, Vec<String>> {
    let done = |id: &String| {
        if playbook.phase(id).is_some() { format!("done:{id}") } else { id.clone() }
    };
    let mut graph = BTreeMap::new();
    for phase in &playbook.phases {
        graph.insert(format!("start:{}", phase.id), phase.after.iter().map(done).collect());
        graph.insert(format!("done:{}", phase.id), phase.steps.iter().map(|s| s.id.clone()).collect());
        for step in &phase.steps {
            let mut edges = vec![format!("start:{}", phase.id)];
            edges.extend(step.after.iter().map(done));
            graph.insert(step.id.clone(), edges);
        }
    }
    graph
}

/// The first cycle a depth-first search meets, visiting nodes in key order and edges in
/// order. The search keeps its own stack: a chain of prerequisites is as long as the
/// playbook makes it, and must not become as deep a recursion.
pub(super) fn find_cycle(graph: &BTreeMap<String, Vec<String>>) -> Option<Vec<&str>> {
    // Absent: not seen; false: on the path; true: finished, no cycle through it.
    let mut state: HashMap<&str, bool> = HashMap::new();
    for root in graph.keys() {
        if state.contains_key(root.as_str()) {
            continue;
        }
        // The path from `root`, each node with the index of its next edge to follow.
        let mut path: Vec<(&str, usize)> = vec![(root, 0)];
        state.insert(root, false);
        while let Some((node, next)) = path.last_mut() {
            let edges = graph.get(*node).map(Vec::as_slice).unwrap_or_default();
            let Some(target) = edges.get(*next) else {
                state.insert(node, true);
                path.pop();
                continue;
            };
            *next += 1;
            let Some((target, _)) = graph.get_key_value(target) else { continue };
            match state.get(target.as_str()) {
                Some(true) => {}
                Some(false) => {
                    let from = path.iter().position(|(n, _)| *n == target)?;
                    return Some(path[from..].iter().map(|(n, _)| *n).collect());
                }
                None => {
                    state.insert(target, false);
                    path.push((target, 0));
                }
            }
        }
    }
    None
}
