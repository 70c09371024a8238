//! Table tests for validation: each rule, the message it gives, and the defaults it resolves.

use std::collections::BTreeMap;

use super::graph::find_cycle;
use super::*;
use crate::text::Location;

const HEAD: &str = "id: demo\ntitle: Demo\ncalendar: PY\nroles:\n  - id: SISTEMAS\n";

fn check(body: &str) -> Result<Playbook, PlaybookError> {
    parse(&format!("{HEAD}{body}"), "demo.yaml", Origin::Bundled)
}

fn messages(body: &str) -> Vec<String> {
    check(body).expect_err("should be invalid").diagnostics.into_iter().map(|d| d.message).collect()
}

#[test]
fn sequence_is_the_default_and_phases_follow_each_other() {
    let playbook = check(
        "phases:\n  - id: one\n    title: One\n    steps:\n      - {id: a, title: A, owner: SISTEMAS}\n      - {id: b, title: B, owner: SISTEMAS}\n  - id: two\n    title: Two\n    order: parallel\n    steps:\n      - {id: c, title: C, owner: SISTEMAS}\n      - {id: d, title: D, owner: SISTEMAS}\n",
    )
    .unwrap();
    assert_eq!(playbook.step("b").unwrap().1.after, ["a"]);
    assert_eq!(playbook.phase("two").unwrap().after, ["one"]);
    assert!(playbook.step("d").unwrap().1.after.is_empty());
}

#[test]
fn a_cycle_is_reported_with_its_path() {
    let found = messages(
        "phases:\n  - id: one\n    title: One\n    steps:\n      - {id: a, title: A, owner: SISTEMAS, after: [b]}\n  - id: two\n    title: Two\n    steps:\n      - {id: b, title: B, owner: SISTEMAS}\n",
    );
    assert_eq!(found, ["prerequisites form a cycle: a → b → two → one → a"]);
}

#[test]
fn conditions_must_read_bools_or_compare_with_valid_choices() {
    let found = messages(
        "variables:\n  - {name: kind, type: choice, choices: [defect, improvement]}\n  - {name: ofc, type: bool}\nphases:\n  - id: one\n    title: One\n    steps:\n      - {id: a, title: A, owner: SISTEMAS, when: kind}\n      - {id: b, title: B, owner: SISTEMAS, when: kind == bug}\n      - {id: c, title: C, owner: SISTEMAS, when: not ofc and kind == defect}\n",
    );
    assert_eq!(
        found,
        [
            "`kind` is a choice, not a bool",
            "the condition compares `kind` with `bug`: expected one of `defect` or `improvement`, found `bug`",
        ]
    );
}

#[test]
fn deadlines_check_their_anchors_and_tables() {
    let found = messages(
        "variables:\n  - {name: J, type: date}\n  - {name: type, type: choice, choices: [defect, improvement]}\n  - {name: note, type: text}\nphases:\n  - id: one\n    title: One\n    deadline: {within: 10 business days, from: nowhere.start}\n    steps:\n      - {id: a, title: A, owner: SISTEMAS, deadline: {at: note-2}}\n      - id: b\n        title: B\n        owner: SISTEMAS\n        deadline: {within: {by: [type], table: {defect: 4 hours, bug: 1 day}}, from: a.done}\n      - {id: c, title: C, owner: SISTEMAS, deadline: {at: J-14, within: 1 day}}\n",
    );
    assert_eq!(
        found,
        [
            "`from` names `nowhere`, which is no phase or step",
            "`note` is a text, but a date is needed",
            "the table has `bug`, which is not a value of `type`",
            "a deadline needs exactly one of `at` and `within`",
        ]
    );
}

#[test]
fn a_shared_field_name_must_keep_one_type() {
    let body = "variables:\n  - {name: due_date, type: date}\nphases:\n  - id: one\n    title: One\n    steps:\n      - id: a\n        title: A\n        owner: SISTEMAS\n        fields: [{name: due_date, type: date}, {name: approved_by, type: text}]\n      - id: b\n        title: B\n        owner: SISTEMAS\n        fields: [{name: approved_by, type: text}, {name: due_date, type: text}]\n";
    assert_eq!(messages(body), ["the field `due_date` is a text here but a date elsewhere"]);
    assert!(check(&body.replace("due_date, type: text", "due_date, type: date")).is_ok());
}

#[test]
fn choices_and_reserved_names_are_checked() {
    let found = messages(
        "variables:\n  - {name: calendar, type: text}\n  - {name: level, type: choice}\n  - {name: size, type: number, choices: [a]}\n  - {name: when, type: datetime, default: yesterday}\nphases: []\n",
    );
    assert_eq!(
        found,
        [
            "the name `calendar` is reserved",
            "`level` is a choice but lists no `choices`",
            "`choices` goes only with `type: choice`",
            "bad default for `when`: expected an RFC 3339 date-time such as 2026-03-02T09:30:00-05:00, found `yesterday`",
        ]
    );
}

#[test]
fn broken_yaml_is_one_located_problem() {
    let error = parse("id: [demo\n", "demo.yaml", Origin::Bundled).unwrap_err();
    assert_eq!(error.diagnostics.len(), 1);
    assert!(error.diagnostics[0].message.starts_with("the file is not valid YAML"));
    assert!(error.diagnostics[0].location.is_some());
}

#[test]
fn assumptions_are_kept_in_order_and_an_empty_one_is_located() {
    let playbook =
        check("assumptions:\n  - Business hours are 08:00-17:00.\n  - Holidays are Colombia's.\n").unwrap();
    assert_eq!(playbook.assumptions, ["Business hours are 08:00-17:00.", "Holidays are Colombia's."]);
    assert!(check("phases: []\n").unwrap().assumptions.is_empty());
    let error = check("assumptions:\n  - Business hours are 08:00-17:00.\n  - \"  \"\n").unwrap_err();
    let found: Vec<_> = error.diagnostics.iter().map(|d| (d.message.as_str(), d.location)).collect();
    assert_eq!(found, [("an assumption is empty", Some(Location { line: 8, column: 5 }))]);
}

/// A parallel phase where each step waits for the next one: a chain of prerequisites
/// `n` steps long, the last step first to be ready; `optional` steps hold back nothing.
pub(crate) fn reversed_chain(n: usize, optional: bool) -> String {
    let mut text =
        format!("{HEAD}phases:\n  - id: chain\n    title: Chain\n    order: parallel\n    steps:\n");
    let optional = if optional { ", optional: true" } else { "" };
    for i in 0..n {
        let after = if i + 1 < n { format!(", after: [s{}]", i + 1) } else { String::new() };
        text.push_str(&format!("      - {{id: s{i}, title: S, owner: SISTEMAS{optional}{after}}}\n"));
    }
    text
}

/// Runs `work` on a thread with a small stack: a recursion as deep as the input is long
/// would overflow it and abort the test run.
pub(crate) fn on_a_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let thread = std::thread::Builder::new().stack_size(128 * 1024).spawn(work).unwrap();
    thread.join().unwrap()
}

#[test]
fn a_long_chain_of_prerequisites_is_checked_without_deep_recursion() {
    let text = reversed_chain(2000, false);
    let steps = on_a_small_stack(move || parse(&text, "chain.yaml", Origin::Bundled).unwrap().step_count());
    assert_eq!(steps, 2000);
}

#[test]
fn a_cycle_at_the_end_of_a_long_chain_is_found_without_deep_recursion() {
    let n = 50_000;
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for i in 0..n {
        graph.insert(format!("s{i:06}"), vec![format!("s{:06}", (i + 1) % n)]);
    }
    let cycle = on_a_small_stack(move || find_cycle(&graph).map(|c| (c.len(), c[0].to_string())));
    assert_eq!(cycle, Some((n, "s000000".to_string())));
    let mut acyclic: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for i in 0..n {
        acyclic.insert(format!("s{i:06}"), vec![format!("s{:06}", i + 1)]);
    }
    assert!(on_a_small_stack(move || find_cycle(&acyclic).is_none()));
}

#[test]
fn a_typo_in_every_step_of_a_large_playbook_costs_no_more_than_its_size() {
    let mut text = format!("{HEAD}phases:\n  - id: wide\n    title: Wide\n    steps:\n");
    for i in 0..2000 {
        text.push_str(&format!("      - {{id: step-{i}, title: S, owner: SISTEMAS, after: [stpe-{i}]}}\n"));
    }
    let error = parse(&text, "wide.yaml", Origin::Bundled).unwrap_err();
    assert_eq!(error.diagnostics.len(), 2000);
    let hints: Vec<&str> = error.diagnostics.iter().filter_map(|d| d.hint.as_deref()).collect();
    // The first typos get their did-you-mean, until the budget of comparisons is spent.
    assert_eq!(hints[0], "did you mean `step-0`?");
    assert_eq!(hints[1999], "`onboard show` lists the ids; check the spelling");
    assert!(error.render(false).lines().count() > 2000 * 4);
}
