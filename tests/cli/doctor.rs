//! `onboard doctor`: a healthy directory, conflict markers, unreadable files, problems
//! against the playbook, files a crash or a careless merge leaves, and a clone's merge setup.

use std::fs;

use crate::harness::*;

#[test]
fn doctor_finds_nothing_in_a_healthy_directory() {
    let ws = in_certification();
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), include_str!("../fixtures/go-live.yaml"))
        .unwrap();
    ws.ok(&["start", "go-live", "opera", "--set", "J=2026-06-01"]);
    // Skipping an optional step before it is ready is allowed, so it is no finding.
    ws.ok(&["skip", "opera", "second-extraction", "--reason", "no second extraction"]);
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout, run.stderr),
        (0, format!("No problems found in `{}` (2 projects).\n", state_dir(&ws)), String::new())
    );
    let run = ws.run(&["doctor", "--json"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "[]\n"));
}

#[test]
fn doctor_names_conflict_markers_and_unreadable_files() {
    let ws = Workspace::initialized();
    for name in ["coop-central", "coop-norte", "coop-sur"] {
        ws.ok(&["start", "cooperative", name]);
    }
    let (sur, line) = ws.conflicted("coop-sur");
    let norte = ws.project_dir("coop-norte").join("project.yaml");
    let text = fs::read_to_string(&norte).unwrap();
    fs::write(&norte, text.replace("format: 4\n", "format: 4\nformat: 4\n")).unwrap();
    let calendar = ws.path().join(".onboard/calendars/PY.yaml");
    fs::create_dir_all(calendar.parent().unwrap()).unwrap();
    fs::write(
        &calendar,
        "closures:\n<<<<<<< HEAD\n  - {date: 2026-04-06, name: Inventario}\n=======\n>>>>>>> other\n",
    )
    .unwrap();

    let run = ws.run(&["doctor"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        format!(
            "coop-norte: `{norte}`:3:1: the key `format` appears twice in the same block
  hint: fix the file by hand or restore it from git; onboard commands write it for you
coop-sur: `{sur}` has an unresolved merge conflict at line {line}
  hint: two branches changed the same file of project `coop-sur`: keep one side (`git checkout --ours` or `--theirs` on it, then `git add` it) or edit the file by hand, keeping the lines you mean
`{calendar}` has an unresolved merge conflict at line 2
  hint: keep the right side's lines and delete the markers, or restore the file from git
3 problems found in `{root}` (3 projects).
",
            norte = norte.display(),
            sur = sur.display(),
            calendar = calendar.display(),
            root = state_dir(&ws),
        )
    );
    assert_eq!(run.stderr, "");

    let run = ws.run(&["doctor", "--json"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json[1],
        serde_json::json!({
            "project": "coop-sur",
            "path": sur.display().to_string(),
            "kind": "conflict-markers",
            "message": format!("`{}` has an unresolved merge conflict at line {line}", sur.display()),
            "hint": "two branches changed the same file of project `coop-sur`: keep one side (`git checkout --ours` or `--theirs` on it, then `git add` it) or edit the file by hand, keeping the lines you mean",
        })
    );
    let kinds: Vec<&str> = json.as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["unreadable", "conflict-markers", "conflict-markers"]);
    assert_eq!(json[2]["project"], serde_json::Value::Null);
}

#[test]
fn doctor_reports_each_problem_against_the_playbook() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    let path = ws.project_dir("coop-central");
    fs::write(
        path.join("20260302T130000Z-done-team-sistemas-0a1b2c3d.yaml"),
        "step: team-sistemas\nat: 2026-03-02T10:00:00-03:00\nby: ana\naction: done\ntool: onboard 0.1.0\n",
    )
    .unwrap();
    let head = path.join("project.yaml");
    let edited = fs::read_to_string(&head).unwrap();
    assert!(edited.contains("    dimo_personalizada: false\n"), "{edited}");
    fs::write(&head, edited.replace("    dimo_personalizada: false\n", "    dimo_personalizada: perhaps\n"))
        .unwrap();
    let run = ws.run(&["doctor"]);
    // Each problem at the one file that holds it.
    let hint = |file: &str| {
        format!(
            "  hint: fix `{}` by hand or restore it from git; onboard commands write it for you",
            path.join(file).display()
        )
    };
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "coop-central: step `team-sistemas` is not in playbook `cooperative`\n{}\ncoop-central: bad value for `dimo_personalizada` at start: expected true or false, found `perhaps`\n{}\n2 problems found in `{}` (1 project).\n",
                hint("20260302T130000Z-done-team-sistemas-0a1b2c3d.yaml"),
                hint("project.yaml"),
                state_dir(&ws)
            )
        )
    );
}

#[test]
fn doctor_finds_files_left_by_a_crash_but_not_the_usual_locks() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    ws.ok(&["advance"]);
    let locks = ws.path().join(".onboard/locks");
    assert!(locks.join("coop-central.lock").is_file(), "advance leaves its lock file");
    // An event file is written to a temporary file beside it, then renamed.
    let temporary =
        ws.project_dir("coop-central").join(".20260302T120000Z-done-team-systems-3f1c2a9e.yaml.Ab12Cd");
    fs::write(&temporary, "step: team-systems\n").unwrap();
    let stray = locks.join("coop-viejo.lock");
    fs::write(&stray, "").unwrap();
    // Not written by onboard's atomic writes: left alone.
    fs::write(ws.path().join(".onboard/projects/notes.txt"), "").unwrap();
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "`{tmp}` is a temporary file left by a write that never completed
  hint: remove it (`rm '{tmp}'`): nothing reads it, and the file it was to replace is whole, since writes replace a file only by rename
`{lock}` locks project `coop-viejo`, which does not exist, and nobody holds it
  hint: remove it (`rm '{lock}'`): onboard creates a project's lock when it needs it
2 problems found in `{root}` (1 project).
",
                tmp = temporary.display(),
                lock = stray.display(),
                root = state_dir(&ws)
            )
        )
    );
    fs::remove_file(&temporary).unwrap();
    fs::remove_file(&stray).unwrap();
    assert_eq!(ws.run(&["doctor"]).code, 0);
}

/// `coop-central` through 2.2.4, then the event files a careless merge brings together:
/// 3.1 completed on two branches with different contacts, and 3.2.3 done while 3.2.1 is
/// still open.
fn merged_by_hand() -> Workspace {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    for step in MEETING {
        ws.ok(&["advance", step]);
    }
    let done = |name: &str, step: &str, at: &str, by: &str, field: &str, value: &str| {
        fs::write(
            ws.project_dir("coop-central").join(name),
            format!(
                "step: {step}\nat: {at}\nby: {by}\naction: done\nvalues:\n  {field}: {value}\ntool: onboard 0.1.0\n"
            ),
        )
        .unwrap();
    };
    done(
        "20260303T130000Z-done-contact-list-5b0e2c71.yaml",
        "contact-list",
        "2026-03-03T10:00:00-03:00",
        "ana",
        "contactos",
        "Ana Pérez (TI)",
    );
    done(
        "20260304T140000Z-done-contact-list-a93d0f42.yaml",
        "contact-list",
        "2026-03-04T11:00:00-03:00",
        "luis",
        "contactos",
        "Luis Gómez (Operaciones)",
    );
    done(
        "20260304T150000Z-done-technical-meeting-date-1c7e6b08.yaml",
        "technical-meeting-date",
        "2026-03-04T12:00:00-03:00",
        "luis",
        "fecha_reunion_tecnica",
        "2026-03-10",
    );
    ws
}

#[test]
fn doctor_finds_states_only_a_merge_produces() {
    let ws = merged_by_hand();
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "coop-central: step 3.1 `contact-list` was completed twice with different `contactos`: ana recorded `Ana Pérez (TI)` at 2026-03-03T10:00:00-03:00, luis recorded `Luis Gómez (Operaciones)` at 2026-03-04T11:00:00-03:00; the later, luis's `Luis Gómez (Operaciones)`, counts
  hint: to settle it, reopen the step and complete it again with the right value: `onboard reopen coop-central contact-list --reason TEXT`, then `onboard advance coop-central contact-list --set contactos=VALUE`
coop-central: step 3.2.3 `technical-meeting-date` is done while its prerequisite 3.2.1 `send-documentation` is open
  hint: complete what it waits for (`onboard status coop-central` marks it), or, if it was done too early, reopen it: `onboard reopen coop-central technical-meeting-date --reason TEXT`
2 problems found in `{}` (1 project).
",
                state_dir(&ws)
            )
        )
    );
    let run = ws.run(&["doctor", "--json"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let path = ws.project_dir("coop-central").display().to_string();
    assert_eq!(
        json[1],
        serde_json::json!({
            "project": "coop-central",
            "path": path,
            "kind": "done-ahead",
            "message": "step 3.2.3 `technical-meeting-date` is done while its prerequisite 3.2.1 `send-documentation` is open",
            "hint": "complete what it waits for (`onboard status coop-central` marks it), or, if it was done too early, reopen it: `onboard reopen coop-central technical-meeting-date --reason TEXT`",
        })
    );
    assert_eq!(json[0]["kind"], "disagreement");

    // status marks the step and says why, after the phase tables.
    let status = ws.ok(&["status"]).stdout;
    assert_expected("done-ahead-status.txt", &status);

    // Completing what it waits for settles the state; the disagreement stays until redone.
    // This clock still reads 2 March, before 3.1's completion on the 3rd that made 3.2.1
    // ready: 3.2.1's completion precedes it, and doctor says so.
    ws.ok(&["advance", "3.2.1"]);
    let run = ws.run(&["doctor", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let kinds: Vec<&str> = json.as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!((run.code, kinds), (1, vec!["disagreement", "before-ready"]));
    assert_eq!(
        json[1]["message"],
        "step 3.2.1 `send-documentation`: the `done` by ana at 2026-03-02T09:00:00-03:00 precedes 2026-03-03T10:00:00-03:00, when the step became ready"
    );
}

#[test]
fn doctor_checks_the_merge_setup_of_a_git_clone() {
    let ws = Workspace::initialized();
    ws.git_init();
    ws.ok(&["start", "cooperative", "coop-central"]);
    let root = state_dir(&ws);
    // Project directories merge as plain files: a clone without the driver is healthy.
    let run = ws.run(&["doctor"]);
    assert_eq!((run.code, run.stdout), (0, format!("No problems found in `{root}` (1 project).\n")));
    // An old single file (format 2) merges through the driver until its first write.
    fs::write(
        ws.project_file("coop-legacy"),
        include_str!("../fixtures/format-2-coop-central.yaml").replace("coop-central", "coop-legacy"),
    )
    .unwrap();
    fs::write(
        ws.path().join(".onboard/versions/cooperative-767f7474146b.yaml"),
        include_str!("../fixtures/cooperative-767f7474146b.yaml"),
    )
    .unwrap();
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "`{root}/.gitattributes` lacks the lines `projects/*.yaml merge=onboard` and `archive/*.yaml merge=onboard`, so git merges project files line by line, without onboard's merge driver
  hint: run `onboard init` in the repository (each clone needs it once)
this clone has no merge driver `onboard` (`git config merge.onboard.driver` is not set)
  hint: run `onboard init` in the repository (each clone needs it once)
2 problems found in `{root}` (2 projects).
"
            )
        )
    );
    fs::write(
        ws.path().join(".onboard/.gitattributes"),
        "projects/*.yaml merge=onboard\narchive/*.yaml merge=onboard\n",
    )
    .unwrap();
    ws.git(&["config", "merge.onboard.driver", "cat %A"]);
    assert_eq!(
        ws.run(&["doctor"]).stdout,
        format!(
            "this clone's merge driver `onboard` runs `cat %A`, not `onboard merge-file`
  hint: run `onboard init` in the repository (each clone needs it once)
1 problem found in `{root}` (2 projects).
"
        )
    );
    ws.git(&["config", "merge.onboard.driver", "onboard merge-file %O %A %B %P"]);
    let run = ws.run(&["doctor"]);
    assert_eq!((run.code, run.stdout), (0, format!("No problems found in `{root}` (2 projects).\n")));
}
