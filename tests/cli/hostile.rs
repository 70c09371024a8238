//! Hostile and careless input: counts too large to mean anything, repeated keys, values
//! joined into paths, links out of the state directory, edited snapshots and instants
//! out of range. Each is refused with its place and what to do, and nothing is changed.

use onboard::api::content_hash;

use std::fs;

use crate::harness::*;

const GO_LIVE: &str = include_str!("../fixtures/go-live.yaml");

/// A workspace with the `go-live` team playbook and its project `opera`.
fn opera() -> Workspace {
    let ws = Workspace::initialized();
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), GO_LIVE).unwrap();
    ws.ok(&["start", "go-live", "opera", "--set", "J=2026-05-28"]);
    ws
}

#[test]
fn counts_beyond_a_hundred_years_are_refused_where_they_stand() {
    let ws = Workspace::initialized();
    let huge = GO_LIVE
        .replace("deadline: { at: J-14 }", "deadline: { at: J-2147483648 }")
        .replace("deadline: { at: J-7 }", "deadline: { within: 4000000000 days, from: project.start }");
    fs::write(ws.path().join("huge.yaml"), huge).unwrap();
    assert_eq!(
        ws.fails(&["validate", "huge.yaml"]),
        "error: the milestone `J-2147483648` is more than 100 years from its date: an offset that large is a typo (at most 36525 days)
  --> huge.yaml:25:25
   |
25 |         deadline: { at: J-2147483648 }
   |                         ^^^^^^^^^^^^

error: `4000000000 days` is more than 100 years: a time limit that long is a typo (at most 36525)
  --> huge.yaml:30:29
   |
30 |         deadline: { within: 4000000000 days, from: project.start }
   |                             ^^^^^^^^^^^^^^^
the playbook has problems
"
    );
}

#[test]
fn a_repeated_key_in_a_playbook_or_a_calendar_override_is_refused_at_the_repeat() {
    let ws = Workspace::initialized();
    let doubled = GO_LIVE.replacen("calendar: CH\n", "calendar: CH\ncalendar: FR\n", 1);
    fs::write(ws.path().join("doubled.yaml"), doubled).unwrap();
    assert_eq!(
        ws.fails(&["validate", "doubled.yaml"]),
        "error: the key `calendar` appears twice in the same mapping
 --> doubled.yaml:7:1
  |
7 | calendar: FR
  | ^^^^^^^^
  |
  = hint: keep one of them; a mapping's keys are unique
the playbook has problems
"
    );
    let path = ws.path().join(".onboard/calendars/CH.yaml");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, "hours: \"08:00-17:00\"\nworked: [2026-05-01]\nhours: \"09:00-18:00\"\n").unwrap();
    assert_eq!(
        ws.fails(&["calendars", "CH"]),
        format!(
            "error: `{}`:3:1: the key `hours` appears twice in the same mapping\nhint: keep one of them\n",
            path.display()
        )
    );
}

#[test]
fn a_playbook_field_that_is_no_id_cannot_lead_out_of_the_folder() {
    let ws = opera();
    let path = ws.project_dir("opera").join("project.yaml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("playbook: go-live\n", "playbook: ../../outside/secret\n")).unwrap();
    assert_eq!(
        ws.fails(&["status", "opera"]),
        format!(
            "error: `{}`: `playbook` is `../../outside/secret`, which is not a playbook id: lowercase letters, digits and `-`\nhint: fix the file by hand or restore it from git; onboard commands write it for you\n",
            path.display()
        )
    );
    let forged = text.replace(&content_hash(GO_LIVE), "sha256:../../../../etc/passwd");
    assert_ne!(forged, text);
    fs::write(&path, forged).unwrap();
    assert_expected("forged-playbook-hash.txt", &ws.scrubbed(&ws.fails(&["status", "opera"])));
}

#[test]
fn a_link_out_of_the_state_directory_is_not_followed() {
    let ws = opera();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("opera.yaml");
    fs::write(&target, ws.read_project("opera").replace("project: opera", "project: evil")).unwrap();
    let link = ws.project_file("evil");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert_eq!(
        ws.fails(&["status", "evil"]),
        format!(
            "error: `{}` is a link that leads out of the state directory `{}`\nhint: onboard reads only files inside its state directory: replace the link by the file itself\n",
            link.display(),
            ws.path().join(".onboard").display()
        )
    );
}

#[test]
fn doctor_finds_an_edited_snapshot_before_a_project_needs_it() {
    // `opera` follows the team's playbook as it is; its saved copy waits for a change.
    let ws = opera();
    let hash = content_hash(GO_LIVE);
    let snapshot = ws.path().join(format!(".onboard/versions/go-live-{}.yaml", &hash[7..19]));
    let edited = GO_LIVE.replace("title: Go-live data import", "title: Go-live data import (edited)");
    fs::write(&snapshot, &edited).unwrap();
    let doctor = ws.run(&["doctor"]);
    assert_eq!(
        (doctor.code, doctor.stdout),
        (
            1,
            format!(
                "`{}` is not the playbook version its name says: its content hash begins `{}`, not `{}`\n  hint: restore it from git (`git checkout -- FILE`): projects follow the exact playbook text saved under its hash; to change a playbook, edit `playbooks/ID.yaml`\n1 problem found in `{}` (1 project).\n",
                snapshot.display(),
                &content_hash(&edited)[7..19],
                &hash[7..19],
                ws.path().join(".onboard").display()
            )
        )
    );
}

#[test]
fn an_edited_snapshot_is_not_trusted() {
    let ws = opera();
    // The team changes its playbook: `opera` keeps following its saved version.
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), format!("{GO_LIVE}# reviewed\n")).unwrap();
    ws.ok(&["status", "opera"]);
    let hash = content_hash(GO_LIVE);
    let snapshot = ws.path().join(format!(".onboard/versions/go-live-{}.yaml", &hash[7..19]));
    let edited = GO_LIVE.replace("title: Go-live data import", "title: Go-live data import (edited)");
    fs::write(&snapshot, &edited).unwrap();
    // doctor names it once: as the version `opera` cannot follow.
    let doctor = ws.run(&["doctor"]);
    assert_eq!(doctor.code, 1);
    assert_eq!(doctor.stdout.matches(&format!("`{}`", snapshot.display())).count(), 1, "{}", doctor.stdout);
    assert_eq!(
        ws.fails(&["status", "opera"]),
        format!(
            "error: `{}` is not the playbook version that project `opera` follows: its content hash is `{}`, the project's `{hash}`\nhint: a saved version must not be edited: restore it from git (`git checkout -- FILE`); to change a playbook, edit `playbooks/ID.yaml`\n",
            snapshot.display(),
            content_hash(&edited)
        )
    );
}

#[test]
fn instants_and_dates_outside_the_years_1970_to_9999_are_refused_at_the_door() {
    let mut ws = opera();
    let before = ws.read_project("opera");
    ws.at("9999-12-31T23:59:59-12:00");
    assert_eq!(
        ws.fails(&["advance", "opera", "J-14"]),
        "error: ONBOARD_NOW `9999-12-31T23:59:59-12:00` is too close to or outside the years 1970-9999\n"
    );
    ws.at("2026-03-02T09:00:00-03:00");
    assert_eq!(
        ws.fails(&["set", "opera", "J=1969-12-31", "--reason", "typo"]),
        "error: bad value for `J`: `1969-12-31` is in the year 1969, outside 1970-9999\nhint: `J`: The go-live date (milestone J).\n"
    );
    assert_eq!(ws.read_project("opera"), before, "nothing was written");
}

#[test]
fn a_write_keeps_a_link_inside_the_state_directory_and_the_mode_of_its_target() {
    use std::os::unix::fs::PermissionsExt;
    let ws = opera();
    // The project's directory is a link to a folder elsewhere in the state directory.
    let link = ws.project_dir("opera");
    let kept = ws.path().join(".onboard/kept/opera");
    fs::create_dir_all(kept.parent().unwrap()).unwrap();
    fs::rename(&link, &kept).unwrap();
    std::os::unix::fs::symlink("../kept/opera", &link).unwrap();
    fs::set_permissions(&kept, fs::Permissions::from_mode(0o750)).unwrap();
    let head = fs::read_to_string(kept.join("project.yaml")).unwrap();
    ws.ok(&["advance", "opera", "J-14"]);
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is still a link");
    assert_eq!(fs::metadata(&kept).unwrap().permissions().mode() & 0o777, 0o750);
    assert_eq!(
        fs::read_to_string(kept.join("project.yaml")).unwrap(),
        head,
        "`project.yaml` is written once"
    );
    let mut names: Vec<String> =
        fs::read_dir(&kept).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["20260302T120000Z-done-deliver-data-ea7a8dbd.yaml", "project.yaml"]);
    assert_eq!(
        fs::read_to_string(kept.join(&names[0])).unwrap(),
        "step: deliver-data\nat: 2026-03-02T13:00:00+01:00\nby: ana\naction: done\ntool: onboard 0.1.0\n",
        "the event was written in the link's target"
    );
}

#[test]
fn a_commit_refused_after_the_change_is_saved_exits_3_with_the_command_that_finishes_it() {
    let ws = Workspace::new();
    ws.git_init();
    ws.ok(&["init"]);
    // A relative --dir: git runs in the state directory, so paths are resolved first.
    ws.ok(&["--dir", ".onboard", "start", "cooperative", "coop", "--commit"]);
    let hook = ws.path().join(".git/hooks/pre-commit");
    fs::write(&hook, "#!/bin/sh\nexit 1\n").unwrap();
    fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let run = ws.run(&["--dir", ".onboard", "advance", "coop", "I", "--commit"]);
    let root = ws.path().join(".onboard");
    assert_eq!(
        (run.code, run.stderr),
        (
            3,
            format!(
                "Completed I `schedule-meeting` in `coop`.
Ready now: 1.1 `team-systems`
error: the change is saved, but committing it failed
caused by: git commit failed: it exited with exit status: 1
hint: do not run the command again (it would record the change twice); finish with: git -C '{}' commit -m 'onboard: coop: done I' -m 'Step: I `schedule-meeting`: ENTIDADES agenda una reunión con la cooperativa' -m 'Recorded by ana.' -- '{}'
",
                root.display(),
                root.join("projects/coop").display()
            )
        )
    );
    assert!(ws.read_project("coop").contains("action: done"), "the change is saved");
    // The command the hint gives finishes the job: the project's files, staged, commit.
    fs::remove_file(&hook).unwrap();
    ws.git(&["-C", ".onboard", "commit", "-q", "-m", "finish", "--", "projects/coop"]);
    assert_eq!(ws.git(&["status", "--porcelain", "--", ".onboard/projects/coop"]), "");
}

#[test]
fn the_next_write_removes_what_a_killed_write_left_and_git_ignores_it_meanwhile() {
    let ws = Workspace::new();
    ws.git_init();
    ws.ok(&["init"]);
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), GO_LIVE).unwrap();
    ws.ok(&["start", "go-live", "opera", "--set", "J=2026-05-28"]);
    let leftover = ws.path().join(".onboard/projects/.opera.yaml.Ab12Cd");
    let other = ws.path().join(".onboard/projects/.other.yaml.Xy3k9Q");
    fs::write(&leftover, "project: opera\n").unwrap();
    fs::write(&other, "project: other\n").unwrap();
    // A killed write also leaves its project's lock file marked, which is what sends the
    // next write looking for leftovers (a marked lock file, here `other`'s too).
    let marked = ws.path().join(".onboard/locks/opera.lock");
    fs::write(&marked, "a write of this project is under way\n").unwrap();
    fs::write(ws.path().join(".onboard/locks/other.lock"), "a write of this project is under way\n").unwrap();
    assert_eq!(
        ws.git(&["check-ignore", ".onboard/projects/.opera.yaml.Ab12Cd"]),
        ".onboard/projects/.opera.yaml.Ab12Cd\n"
    );
    ws.ok(&["advance", "opera", "J-14"]);
    assert!(!leftover.exists(), "the write of `opera` removed its own leftover");
    assert!(other.exists(), "another project's leftover is that project's to remove");
    assert_eq!(fs::read_to_string(&marked).unwrap(), "", "the write completed");
    // Without a mark, a write does not list the folder: an unmarked leftover stays for
    // `doctor` to report.
    fs::write(&leftover, "project: opera\n").unwrap();
    ws.ok(&["advance", "opera", "J-7"]);
    assert!(leftover.exists());
    assert_expected("doctor-unmarked-leftover.txt", &ws.scrubbed(&ws.ok_or_1(&["doctor"])));
}

#[test]
fn conflict_markers_are_refused_in_playbooks_and_calendar_overrides_too() {
    let ws = Workspace::initialized();
    let conflicted = GO_LIVE.replacen(
        "calendar: CH\n",
        "<<<<<<< HEAD\ncalendar: CH\n=======\ncalendar: FR\n>>>>>>> other\n",
        1,
    );
    fs::write(ws.path().join("conflicted.yaml"), conflicted).unwrap();
    assert_eq!(
        ws.fails(&["validate", "conflicted.yaml"]),
        "error: the file has an unresolved merge conflict
 --> conflicted.yaml:6:1
  |
6 | <<<<<<< HEAD
  | ^^^^^^^
  |
  = hint: keep the right side, remove the markers, then run `onboard validate`
the playbook has problems
"
    );
    let path = ws.path().join(".onboard/calendars/CH.yaml");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(
        &path,
        "<<<<<<< HEAD\nhours: \"08:00-17:00\"\n=======\nhours: \"09:00-18:00\"\n>>>>>>> other\n",
    )
    .unwrap();
    assert_eq!(
        ws.fails(&["calendars", "CH"]),
        format!(
            "error: `{}` has an unresolved merge conflict at line 1\nhint: keep the right side of the closures and hours, remove the markers, then run the command again\n",
            path.display()
        )
    );
}

#[test]
fn escape_sequences_in_notes_and_arguments_are_shown_not_sent() {
    let ws = opera();
    ws.ok(&["advance", "opera", "J-14", "--note", "entregado \u{1b}[2J\u{1b}[31mrojo"]);
    let log = ws.ok(&["log", "opera"]).stdout;
    assert!(!log.contains('\u{1b}'), "no raw escape reaches the terminal: {log:?}");
    assert_expected("escaped-note-log.txt", &log);
    assert_eq!(
        ws.fails(&["set", "opera", "J=\u{1b}[31m", "--reason", "x"]),
        "error: bad value for `J`: expected a date as YYYY-MM-DD, found `\\u{1b}[31m`\nhint: `J`: The go-live date (milestone J).\n"
    );
}

#[test]
fn a_deeply_nested_or_huge_file_is_refused_before_it_is_parsed() {
    let ws = Workspace::initialized();
    let deep: String = (0..70).map(|level| format!("{}a:\n", "  ".repeat(level))).collect();
    fs::write(ws.path().join("deep.yaml"), &deep).unwrap();
    let stderr = ws.fails(&["validate", "deep.yaml"]);
    assert!(
        stderr.starts_with("error: the file nests more than 64 levels deep\n  --> deep.yaml:65:129\n"),
        "{stderr}"
    );
    let huge = format!("{GO_LIVE}# {}\n", "x".repeat(5 * 1024 * 1024));
    let size = huge.len();
    fs::write(ws.path().join("huge.yaml"), huge).unwrap();
    let stderr = ws.fails(&["validate", "huge.yaml"]);
    let first = format!("error: the file has {size} bytes, more than the 4194304 onboard reads\n");
    assert!(stderr.starts_with(&first), "{stderr}");
}

#[test]
fn a_folder_where_a_project_file_should_be_is_reported_not_passed_over() {
    let ws = opera();
    fs::create_dir(ws.path().join(".onboard/projects/ghost.yaml")).unwrap();
    let path = ws.path().join(".onboard/projects/ghost.yaml").display().to_string();
    let hint =
        "hint: a project is a file: move what is there out of the folder, or restore the file from git";
    let run = ws.run(&["check"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!("error: cannot read `{path}`\ncaused by: it is a folder, not a file\n{hint}\n")
    );
    let run = ws.run(&["doctor"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        format!(
            "ghost: cannot read `{path}`: it is a folder, not a file\n  {hint}\n1 problem found in `{}` (2 projects).\n",
            ws.path().join(".onboard").display()
        )
    );
}
