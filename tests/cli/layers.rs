//! The module graph has no cycle: docs/architecture.md promises layers that point one
//! way, and this reads `src/` to hold the code to it.
//!
//! An edge is any `crate::<top>` a top-level module's files name, tests included: a test
//! that reaches up a layer couples the layers as much as the code does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The top-level modules each top-level module names (`crate::x`, `crate::{x, y::z}`).
fn graph(src: &Path) -> Graph {
    let mut graph = Graph::new();
    let mut files = Vec::new();
    collect(src, &mut files);
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        let first = relative.components().next().unwrap().as_os_str().to_string_lossy().to_string();
        let top = first.trim_end_matches(".rs").to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let targets = graph.entry(top.clone()).or_default();
        for target in references(&text) {
            if target != top {
                targets.insert(target);
            }
        }
    }
    graph
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The first path segment after each `crate::`, and each top-level name of a
/// `crate::{…}` group.
fn references(text: &str) -> Vec<String> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut found = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        // `onboard::crate::` does not occur, but `mycrate::` would: whole words only.
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start && depth == 0 => {
                        found.push(ident(&group[i..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.push(ident(rest));
        }
    }
    found.retain(|name| !name.is_empty() && name != "self");
    found
}

/// A cycle, as the modules along it with the first repeated at the end; `None` when the
/// graph is acyclic.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &Graph,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = path.iter().position(|n| n == node).unwrap();
                let mut cycle = path[from..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_string(), Mark::Open);
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, path) {
                return Some(cycle);
            }
        }
        path.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph.keys().find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
}

#[test]
fn the_module_graph_has_no_cycle() {
    let graph = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    // The bottom and the top are where the architecture puts them.
    assert_eq!(graph["hint"], BTreeSet::new(), "`hint` must depend on no other module");
    assert_eq!(graph["text"], BTreeSet::new(), "`text` must depend on no other module");
    assert!(!graph["playbook"].contains("deadline"), "the rule syntax belongs to `playbook`");
    if let Some(cycle) = cycle(&graph) {
        panic!("the modules depend on each other in a cycle: {}", cycle.join(" → "));
    }
}

#[test]
fn a_cycle_is_found_and_named() {
    let graph = |edges: &[(&str, &str)]| {
        let mut graph = Graph::new();
        for (from, to) in edges {
            graph.entry(from.to_string()).or_default().insert(to.to_string());
        }
        graph
    };
    assert_eq!(cycle(&graph(&[("cli", "state"), ("state", "playbook"), ("cli", "playbook")])), None);
    assert_eq!(
        cycle(&graph(&[("calendar", "error"), ("error", "playbook"), ("playbook", "calendar")])),
        Some(vec!["calendar".into(), "error".into(), "playbook".into(), "calendar".into()])
    );
}

#[test]
fn references_read_paths_and_groups() {
    let text = "use crate::hint::hinted;\nuse crate::{calendar::Calendar, playbook::{Playbook, Step}, words};\n\
                let x = crate::state::store::Store::new(); // mycrate::nope\n";
    assert_eq!(references(text), ["hint", "calendar", "playbook", "words", "state"]);
}
