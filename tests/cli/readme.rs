//! The documentation as tested text: the README's tour replays in a fresh repository as
//! `examples/*.md` do, and every YAML excerpt in docs/playbook.md is quoted, line for
//! line, from a bundled playbook, so neither drifts from what `onboard` does.

use std::fs;
use std::path::{Path, PathBuf};

use crate::harness::*;

fn repository_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// The byte range of a `## ` section: from its heading to the next `## ` heading (a
/// heading inside a fenced block, such as a report's, does not end it).
fn section(text: &str, heading: &str) -> std::ops::Range<usize> {
    let start = text.find(&format!("\n{heading}\n")).map(|at| at + 1).expect("the README has the section");
    let mut offset = start + heading.len() + 1;
    let mut fenced = false;
    for line in text[offset..].split_inclusive('\n') {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with("## ") {
            return start..offset;
        }
        offset += line.len();
    }
    start..text.len()
}

#[test]
fn the_readme_tour_runs_as_written() {
    let path = repository_file("README.md");
    let text = fs::read_to_string(&path).unwrap();
    let range = section(&text, "## A tour");
    let tour = &text[range.clone()];
    assert!(tour.matches("```console").count() >= 3, "the tour has lost its console blocks:\n{tour}");
    let actual = replay(tour);
    if actual == tour {
        return;
    }
    if blessing() {
        fs::write(&path, format!("{}{actual}{}", &text[..range.start], &text[range.end..])).unwrap();
        return;
    }
    let line = tour.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0);
    let first = text[..range.start].lines().count() + line + 1;
    panic!(
        "README.md's tour is out of date from line {first} (SNAPSHOTS=overwrite rewrites it):\n\
         expected: {:?}\nprinted:  {:?}",
        tour.lines().nth(line),
        actual.lines().nth(line)
    );
}

#[test]
fn the_readme_tour_section_ends_at_the_next_heading() {
    let text =
        "# t\n\n## A tour\n\n```console\n$ onboard init\n```\n\n````markdown\n## inside\n````\n\n## Next\n";
    let range = section(text, "## A tour");
    assert_eq!(
        &text[range],
        "## A tour\n\n```console\n$ onboard init\n```\n\n````markdown\n## inside\n````\n\n"
    );
}

/// Whether `excerpt` appears in `playbook` as consecutive lines. Two marks stand for
/// what an excerpt leaves out: a line that is only `…` (indented or not) skips any
/// number of lines, and a line ending in ` …` matches a line that starts with the text
/// before it.
fn is_quoted_in(excerpt: &[&str], playbook: &[&str]) -> bool {
    fn from(excerpt: &[&str], playbook: &[&str]) -> bool {
        let Some((first, rest)) = excerpt.split_first() else { return true };
        if first.trim() == "…" {
            return (0..=playbook.len()).any(|skip| from(rest, &playbook[skip..]));
        }
        let Some((line, remaining)) = playbook.split_first() else { return false };
        let matches = match first.strip_suffix(" …") {
            Some(start) => line.starts_with(start),
            None => line == first,
        };
        matches && from(rest, remaining)
    }
    (0..playbook.len()).any(|start| from(excerpt, &playbook[start..]))
}

#[test]
fn an_excerpt_is_quoted_only_with_its_lines_in_order() {
    let playbook = [
        "id: cooperative",
        "calendar: PY",
        "assumptions:",
        "  - one",
        "  - two",
        "description: >-",
        "  Integración de una cooperativa",
    ];
    assert!(is_quoted_in(&["calendar: PY", "assumptions:"], &playbook));
    assert!(is_quoted_in(&["calendar: PY", "assumptions:", "  …", "description: >-"], &playbook));
    assert!(is_quoted_in(&["description: >-", "  Integración de una …"], &playbook));
    assert!(!is_quoted_in(&["calendar: CO"], &playbook));
    assert!(!is_quoted_in(&["calendar: PY", "description: >-"], &playbook));
    assert!(!is_quoted_in(&["assumptions:", "calendar: PY"], &playbook));
    assert!(!is_quoted_in(&["  Integración de una cooperativa", "more"], &playbook));
}

/// The ```yaml blocks of a Markdown text, each with the line its fence opens on.
fn yaml_blocks(text: &str) -> Vec<(usize, Vec<&str>)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, Vec<&str>)> = None;
    for (number, line) in text.lines().enumerate() {
        match &mut open {
            None if line.trim() == "```yaml" => open = Some((number + 1, Vec::new())),
            None => {}
            Some(_) if line.trim() == "```" => blocks.extend(open.take()),
            Some((_, lines)) => lines.push(line),
        }
    }
    blocks
}

#[test]
fn every_yaml_excerpt_in_the_playbook_docs_is_quoted_from_a_bundled_playbook() {
    let doc = fs::read_to_string(repository_file("docs/playbook.md")).unwrap();
    let mut playbooks: Vec<(String, String)> = fs::read_dir(repository_file("playbooks"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            (path.file_name().unwrap().to_string_lossy().into_owned(), fs::read_to_string(&path).unwrap())
        })
        .collect();
    playbooks.sort();
    let blocks = yaml_blocks(&doc);
    assert!(blocks.len() >= 10, "docs/playbook.md has lost its excerpts: {}", blocks.len());
    let mut unquoted = Vec::new();
    for (line, excerpt) in &blocks {
        let quoted =
            playbooks.iter().any(|(_, text)| is_quoted_in(excerpt, &text.lines().collect::<Vec<_>>()));
        if !quoted {
            unquoted.push(format!("docs/playbook.md:{line}:\n{}", excerpt.join("\n")));
        }
    }
    assert!(
        unquoted.is_empty(),
        "YAML excerpts found in no bundled playbook ({}); quote them as the playbook now reads:\n{}",
        playbooks.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(", "),
        unquoted.join("\n\n")
    );
}

#[test]
fn every_example_runs_as_written() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<PathBuf> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.retain(|p| p.extension().is_some_and(|e| e == "md"));
    names.sort();
    let mut stale = Vec::new();
    for path in &names {
        let text = fs::read_to_string(path).unwrap();
        let actual = replay(&text);
        if actual != text {
            if blessing() {
                fs::write(path, &actual).unwrap();
            } else {
                let line = text.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0) + 1;
                stale.push(format!("{} differs from line {line}", path.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "examples out of date (SNAPSHOTS=overwrite rewrites them):\n{}",
        stale.join("\n")
    );
    // Every bundled playbook has its walkthrough, named after its id.
    let playbooks = Path::new(env!("CARGO_MANIFEST_DIR")).join("playbooks");
    let mut missing = Vec::new();
    for entry in fs::read_dir(playbooks).unwrap() {
        let path = entry.unwrap().path();
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        if !names.contains(&dir.join(format!("{id}.md"))) {
            missing.push(format!("examples/{id}.md"));
        }
    }
    assert!(missing.is_empty(), "bundled playbooks without an example: {missing:?}");
}

#[test]
fn shell_words_keep_quoted_text_together() {
    assert_eq!(
        shell_words(r#"advance 3.1 --set contactos="Ana Pérez" --note 'a b'"#),
        ["advance", "3.1", "--set", "contactos=Ana Pérez", "--note", "a b"]
    );
}
