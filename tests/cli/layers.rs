//! The module graph has no cycle: docs/architecture.md promises layers that point one
//! way, and this reads `src/` to hold the code to it. And the domain names no `onboard`
//! command: what to do about its errors, in the command line's words, is `cli`'s to say.
//!
//! An edge is any `crate::<top>` a top-level module's files name, tests included: a test
//! that reaches up a layer couples the layers as much as the code does.
//!
//! And docs/architecture.md's module map is the modules' own first lines, so the map
//! cannot drift from the code.

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

/// The domain: it knows nothing of the command line, its commands included.
const DOMAIN: [&str; 4] = ["state", "playbook", "calendar", "deadline"];

/// The strings of the domain allowed to name a command: hints of a playbook's validation
/// diagnostics. The playbook layer renders those itself, rustc-style with a hint under each
/// problem (`diagnostic.rs`, and `validate --json`), so a hint there is a string, not a fact
/// the command line could word (docs/architecture.md, "Errors and exit codes").
const DIAGNOSTIC_HINTS: [(&str, &str); 2] = [
    ("playbook/validate.rs", "then run `onboard validate`"),
    ("playbook/validate/references.rs", "`onboard show` lists the {what}"),
];

/// The lines of `text` that name an `onboard` command (`` `onboard advance ``), by line
/// number, outside comments and `#[cfg(test)]` modules. rustfmt closes a top-level module
/// with `}` alone at the start of a line, which ends the skipped test module.
fn commands_named(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let code = line.trim_start();
        if code == "#[cfg(test)]" {
            if lines
                .next()
                .is_some_and(|(_, next)| next.trim_start().starts_with("mod ") && next.ends_with('{'))
            {
                lines.by_ref().find(|(_, line)| *line == "}");
            }
            continue;
        }
        if !code.starts_with("//") && code.contains("`onboard ") {
            found.push((n + 1, code));
        }
    }
    found
}

#[test]
fn the_domain_names_no_onboard_command() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for module in DOMAIN {
        collect(&src.join(module), &mut files);
    }
    files.sort();
    let mut found = Vec::new();
    // A `tests.rs` is a test module of its own (`#[cfg(test)] mod tests;`).
    for file in files.iter().filter(|f| !f.ends_with("tests.rs")) {
        let relative = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(file).unwrap();
        for (line, code) in commands_named(&text) {
            if !DIAGNOSTIC_HINTS.iter().any(|(path, allowed)| relative == *path && code.contains(allowed)) {
                found.push(format!("src/{relative}:{line}: {code}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the domain names `onboard` commands; give the error or finding a typed variant with the facts, \
         and word the hint in `cli` (src/cli/hints.rs, src/cli/refusal.rs, src/cli/commands/doctor.rs):\n{}",
        found.join("\n")
    );
}

#[test]
fn commands_are_found_in_code_only() {
    let text = "//! `onboard doctor`'s checks\n\
                const HINT: &str = \"run `onboard init` first\";\n\
                    // `onboard resolve` repairs it\n\
                fn f() {}\n\
                #[cfg(test)]\n\
                mod tests {\n    \
                    const T: &str = \"`onboard status`\";\n\
                }\n\
                const LATER: &str = \"`onboard start PLAYBOOK NAME`\";\n";
    let lines: Vec<usize> = commands_named(text).into_iter().map(|(n, _)| n).collect();
    assert_eq!(lines, [2, 9]);
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
                let x = crate::store::Store::new(); // mycrate::nope\n";
    assert_eq!(references(text), ["hint", "calendar", "playbook", "words", "store"]);
}

/// The files of `src/` each file names (`crate::x::y`, `super::x`, `self::x`, and each
/// path of a `{…}` group after them), by module path (`render/json/status`). A name
/// resolves to the longest module path that is a file. Not counted: a file's test module
/// (after `mod tests {`) and test-only files (`tests.rs`, `fixture.rs`), since a fixture
/// shared by tests must name the model it builds; and a module naming its own parent or
/// child (`mod x;` and `super::` are how Rust nests files, not a circle).
fn file_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    collect(src, &mut files);
    let module = |file: &Path| {
        let path = file.strip_prefix(src).unwrap().with_extension("").to_string_lossy().replace('\\', "/");
        path.trim_end_matches("/mod").to_string()
    };
    let modules: BTreeSet<String> = files.iter().map(|f| module(f)).collect();
    let resolve = |segments: Vec<String>| {
        (1..=segments.len()).rev().map(|n| segments[..n].join("/")).find(|m| modules.contains(m))
    };
    let lineal = |a: &str, b: &str| a.starts_with(&format!("{b}/")) || b.starts_with(&format!("{a}/"));
    let mut graph = Graph::new();
    for file in &files {
        let me = module(file);
        if me == "lib" || me == "main" || me.ends_with("tests") || me.ends_with("fixture") {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let code = &text[..text.find("\nmod tests {").unwrap_or(text.len())];
        let targets = graph.entry(me.clone()).or_default();
        for path in module_paths(code) {
            let mut segments = path.split("::").map(str::to_string).peekable();
            let mut full: Vec<String> = match segments.peek().map(String::as_str) {
                Some("crate") => Vec::new(),
                _ => me.split('/').map(str::to_string).collect(),
            };
            for segment in segments {
                match segment.as_str() {
                    "crate" | "self" => {}
                    "super" => drop(full.pop()),
                    _ => full.push(segment),
                }
            }
            if let Some(target) = resolve(full).filter(|t| *t != me && !lineal(&me, t)) {
                targets.insert(target);
            }
        }
    }
    graph
}

/// Every path that starts at `crate::`, `super::` or `self::`; a `{…}` group gives one
/// path per item (nested groups keep their first level only).
fn module_paths(text: &str) -> Vec<String> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let path_end = |s: &str| s.find(|c: char| !(is_word(c) || c == ':')).unwrap_or(s.len());
    let mut found = Vec::new();
    for start in ["crate::", "super::", "self::"] {
        for (at, _) in text.match_indices(start) {
            if text[..at].chars().next_back().is_some_and(|c| is_word(c) || c == ':') {
                continue;
            }
            let rest = &text[at..];
            let head = &rest[..path_end(rest)];
            let head = head.trim_end_matches(':');
            match rest[head.len()..].strip_prefix("::{") {
                Some(group) => {
                    let group = &group[..group.find('}').unwrap_or(group.len())];
                    for item in group.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                        let item = &item[..path_end(item)];
                        found.push(format!("{head}::{}", item.trim_end_matches(':')));
                    }
                }
                None => found.push(head.to_string()),
            }
        }
    }
    found
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let graph = file_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    // The view models are below every format: the table and the JSON shapes read them.
    assert!(graph["render/table"].contains("render/view"), "{:?}", graph["render/table"]);
    assert!(graph["render/json/status"].contains("render/view"), "{:?}", graph["render/json/status"]);
    assert!(!graph["render/view"].iter().any(|t| t.starts_with("render/json")));
    if let Some(cycle) = cycle(&graph) {
        panic!("files of src/ import each other in a circle: {}", cycle.join(" → "));
    }
}

#[test]
fn module_paths_read_groups_supers_and_crate_paths() {
    let text = "use super::view::{PortfolioRow, due_text};\nuse super::super::grid::Cell;\n\
                let x = crate::render::json::status::Status::of(); // notsuper::x\n";
    assert_eq!(
        module_paths(text),
        [
            "crate::render::json::status::Status::of",
            "super::view::PortfolioRow",
            "super::view::due_text",
            "super::super::grid::Cell"
        ]
    );
}

/// The first sentence of a file's `//!` comment: its first paragraph, lines joined, up to
/// the first `.`, `!` or `?` that ends a sentence (followed by a space or the end).
fn first_sentence(text: &str) -> String {
    let paragraph: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("//!"))
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.trim_start_matches("//!").trim())
        .take_while(|l| !l.is_empty())
        .collect();
    let joined = paragraph.join(" ");
    let chars: Vec<char> = joined.chars().collect();
    let end = (0..chars.len())
        .find(|&i| matches!(chars[i], '.' | '!' | '?') && chars.get(i + 1).is_none_or(|c| c.is_whitespace()))
        .map_or(chars.len(), |i| i + 1);
    chars[..end].iter().collect()
}

/// The module map: a line per file of `src/`, by path, with its first sentence.
fn module_map(src: &Path) -> String {
    let mut files = Vec::new();
    collect(src, &mut files);
    let mut lines: Vec<(String, String)> = files
        .iter()
        .map(|file| {
            let path = file.strip_prefix(src.parent().unwrap()).unwrap().to_string_lossy().replace('\\', "/");
            (path, first_sentence(&std::fs::read_to_string(file).unwrap()))
        })
        .collect();
    lines.sort();
    lines.iter().map(|(path, sentence)| format!("- `{path}`: {sentence}\n")).collect()
}

#[test]
fn the_module_map_of_the_architecture_docs_is_the_modules_first_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("docs/architecture.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let (open, close) = ("<!-- modules -->\n", "<!-- /modules -->\n");
    let start = text.find(open).expect("docs/architecture.md has a <!-- modules --> marker") + open.len();
    let end = start + text[start..].find(close).expect("and a <!-- /modules --> marker");
    let map = module_map(&root.join("src"));
    if text[start..end] != map && crate::harness::blessing() {
        std::fs::write(&path, format!("{}{map}{}", &text[..start], &text[end..])).unwrap();
        return;
    }
    let documented: Vec<&str> = text[start..end].lines().collect();
    let stale: Vec<String> = map
        .lines()
        .filter(|l| !documented.contains(l))
        .chain(documented.iter().copied().filter(|l| !map.lines().any(|m| m == *l)))
        .take(5)
        .map(str::to_string)
        .collect();
    assert!(
        stale.is_empty(),
        "docs/architecture.md's module map differs from src/ (SNAPSHOTS=overwrite rewrites it):\n{}",
        stale.join("\n")
    );
}

#[test]
fn a_first_sentence_ends_at_a_full_stop_not_inside_a_path() {
    let text = "//! Reads `.onboard/` and `a.b`, then stops. Not this.\n//! Nor this.\n";
    assert_eq!(first_sentence(text), "Reads `.onboard/` and `a.b`, then stops.");
    let text = "//! A paragraph without\n//! a full stop\n//!\n//! Another. One.\nuse x;\n";
    assert_eq!(first_sentence(text), "A paragraph without a full stop");
}
