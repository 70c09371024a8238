//! Project files written by earlier versions of onboard (format 1: each step's facts
//! stored twice, project events in one top-level history) load as they are, read the
//! same as the current format, and are converted by the next write to a project directory
//! (format 4).

use std::fs;

use crate::harness::*;

/// The cooperative playbook as these project files started it (`sha256:767f7474…`), since
/// changed: the store finds it among the saved versions, as `start` would have left it.
const COOPERATIVE_767F7474: &str = include_str!("../fixtures/cooperative-767f7474146b.yaml");

/// A workspace holding `text` as the project file of `coop-central`, with the playbook
/// version it follows.
fn holding(text: &str) -> Workspace {
    let mut ws = Workspace::initialized();
    ws.at("2026-03-23T09:00:00-03:00");
    fs::create_dir_all(ws.project_file("coop-central").parent().unwrap()).unwrap();
    fs::write(ws.project_file("coop-central"), text).unwrap();
    let versions = ws.path().join(".onboard/versions");
    fs::create_dir_all(&versions).unwrap();
    fs::write(versions.join("cooperative-767f7474146b.yaml"), COOPERATIVE_767F7474).unwrap();
    ws
}

/// The events `log --json` shows of `coop-central`.
fn logged(ws: &Workspace) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["log", "--json"]).stdout).unwrap();
    json["events"].as_array().unwrap().clone()
}

#[test]
fn a_format_1_file_reads_as_its_conversion_and_the_next_write_converts_it() {
    // The same project of that playbook version, in format 1 and in format 2.
    let old = holding(include_str!("../fixtures/format-1-coop-central.yaml"));
    let new = holding(include_str!("../fixtures/format-2-coop-central.yaml"));
    // Both follow the saved version.
    assert_expected("format-1-status.txt", &old.ok(&["status"]).stdout);
    for args in [&["status"][..], &["status", "--json"], &["log"], &["log", "--json"], &["check"]] {
        assert_eq!(old.ok(args).stdout, new.ok(args).stdout, "onboard {args:?}");
    }
    let before = logged(&old);
    for ws in [&old, &new] {
        ws.ok(&["reopen", "IV.4", "--reason", "the custom mobile app was rejected"]);
        assert!(!ws.project_file("coop-central").exists(), "the write converts the old file");
        assert!(ws.project_dir("coop-central").is_dir());
    }
    let converted = old.read_project("coop-central");
    assert!(converted.starts_with(
        "# onboard project: written once at start. Each event is a file beside this one; change them with onboard commands.\nformat: 4\nproject: coop-central\nplaybook: cooperative\nplaybook_hash: sha256:767f7474146b4bb5cd140cf1a0ee5911083b8d456b36d743a995e86594fa3f1c\n"
    ), "{converted}");
    assert_eq!(converted, new.read_project("coop-central"));
    let after = logged(&old);
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(
        (&after[before.len()]["action"], &after[before.len()]["step"], &after[before.len()]["note"]),
        (
            &serde_json::json!("reopen"),
            &serde_json::json!("whitelist-enabled"),
            &serde_json::json!("the custom mobile app was rejected")
        )
    );
    assert_eq!(logged(&new), after);
    for args in [&["status"][..], &["status", "--json"], &["log"], &["check"]] {
        assert_eq!(old.ok(args).stdout, new.ok(args).stdout, "onboard {args:?}");
    }

    // `migrate` converts without a change: every view reads as before.
    let migrated = holding(include_str!("../fixtures/format-1-coop-central.yaml"));
    let views = [&["status"][..], &["status", "--json"], &["check"], &["log"], &["log", "--json"]];
    let shown: Vec<String> = views.iter().map(|args| migrated.ok(args).stdout).collect();
    assert_eq!(
        migrated.ok(&["migrate"]).stderr,
        format!(
            "Converted project `coop-central` to `{}`.\n",
            migrated.project_dir("coop-central").display()
        )
    );
    assert!(!migrated.project_file("coop-central").exists());
    for (args, shown) in views.iter().zip(&shown) {
        assert_eq!(&migrated.ok(args).stdout, shown, "onboard {args:?} after the conversion");
    }
    // Nothing lost: the converted log is the old file's, and the reopen after it.
    assert_eq!(after[..before.len()], before[..]);
}

#[test]
fn a_file_from_a_newer_onboard_or_with_a_repeated_key_is_refused_at_its_line() {
    // An old single file, as format 2 wrote it.
    let text = include_str!("../fixtures/format-2-coop-central.yaml");
    // A project directory whose `project.yaml` a newer onboard wrote.
    let ws = holding(include_str!("../fixtures/format-2-coop-central.yaml"));
    ws.ok(&["migrate"]);
    let head = ws.project_dir("coop-central").join("project.yaml");
    let written = fs::read_to_string(&head).unwrap();
    assert!(written.contains("\nformat: 4\n"));
    fs::write(&head, written.replace("\nformat: 4\n", "\nformat: 5\n")).unwrap();
    let hint = "hint: a teammate's newer onboard wrote it: install that version (`cargo install --path .` in an up-to-date checkout)\n";
    assert_eq!(
        ws.fails(&["status"]),
        format!(
            "error: `{}` is in format 5 of the project file, newer than this onboard reads (4)\n{hint}",
            head.display()
        )
    );
    // A single file of a format newer than any.
    let ws = holding(&text.replace("format: 2\n", "format: 5\n"));
    let path = ws.project_file("coop-central");
    assert_eq!(
        ws.fails(&["status"]),
        format!(
            "error: `{}` is in format 5 of the project file, newer than this onboard reads (4)\n{hint}",
            path.display()
        )
    );
    // A hand merge that kept both sides' blocks of one step.
    let block = "  team-operations:\n  - at: 2026-03-02T09:00:00-03:00\n    by: ana\n    action: done\n    tool: onboard 0.1.0\n";
    assert!(text.contains(block));
    let doubled = text.replacen(block, &format!("{block}{block}"), 1);
    let line = doubled.lines().position(|l| l == "  team-operations:").unwrap() + 1 + 5;
    let ws = holding(&doubled);
    let path = ws.project_file("coop-central");
    assert_eq!(
        ws.fails(&["status"]),
        format!(
            "error: `{}`:{line}:3: the key `team-operations` appears twice in the same block\nhint: a hand merge kept both sides' blocks: move the events of one into the other, or restore the file from git and run `onboard resolve`\n",
            path.display()
        )
    );
}
