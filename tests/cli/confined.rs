//! The state directory keeps to itself: no link on the way to a file (a folder such as
//! `playbooks/`, `versions/` or `locks/`, or the file itself) leads a read or a write out of
//! it; a writer that waits for a held project says so and gives up; a closed stderr or a
//! missing git is met with the documented outcome, never a panic.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Stdio;

use crate::harness::*;

/// What every refusal of a link out of the state directory says, for `link`.
fn leads_out(ws: &Workspace, link: &Path) -> String {
    format!(
        "error: `{}` is a link that leads out of the state directory `{}`\nhint: onboard reads only files inside its state directory: replace the link by the file itself\n",
        link.display(),
        ws.path().join(".onboard").display()
    )
}

/// A workspace with project `coop` started.
fn coop() -> Workspace {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop"]);
    ws
}

#[test]
fn a_linked_lock_file_is_refused_and_its_target_kept() {
    let ws = coop();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("other-project.yaml");
    fs::write(&victim, "project: kept\n").unwrap();
    let lock = ws.path().join(".onboard/locks/coop.lock");
    fs::remove_file(&lock).unwrap();
    symlink(&victim, &lock).unwrap();
    let before = ws.event_files("coop");
    assert_eq!(ws.fails(&["advance", "coop"]), leads_out(&ws, &lock));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "project: kept\n", "the target is untouched");
    assert_eq!(ws.event_files("coop"), before, "nothing was recorded");
}

#[test]
fn a_lock_file_linked_inside_the_state_directory_is_still_refused() {
    // Even inside, the mark of a write would land in another file.
    let ws = coop();
    let lock = ws.path().join(".onboard/locks/coop.lock");
    fs::remove_file(&lock).unwrap();
    symlink("../projects/coop/project.yaml", &lock).unwrap();
    let head = fs::read_to_string(ws.project_dir("coop").join("project.yaml")).unwrap();
    assert_eq!(
        ws.fails(&["advance", "coop"]),
        format!(
            "error: cannot open the lock file `{}`\ncaused by: it is a symbolic link; a lock file never is one\n",
            lock.display()
        )
    );
    assert_eq!(fs::read_to_string(ws.project_dir("coop").join("project.yaml")).unwrap(), head);
}

#[test]
fn a_linked_locks_folder_is_refused() {
    let ws = coop();
    let outside = tempfile::tempdir().unwrap();
    let locks = ws.path().join(".onboard/locks");
    fs::remove_dir_all(&locks).unwrap();
    symlink(outside.path(), &locks).unwrap();
    assert_eq!(ws.fails(&["advance", "coop"]), leads_out(&ws, &locks));
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0, "nothing was created outside");
}

#[test]
fn a_linked_playbooks_folder_is_not_read() {
    let ws = Workspace::initialized();
    let outside = tempfile::tempdir().unwrap();
    let text = include_str!("../fixtures/go-live.yaml");
    fs::write(outside.path().join("go-live.yaml"), text).unwrap();
    let folder = ws.path().join(".onboard/playbooks");
    fs::remove_dir_all(&folder).unwrap();
    symlink(outside.path(), &folder).unwrap();
    assert_eq!(ws.fails(&["show", "go-live"]), leads_out(&ws, &folder));
    assert_eq!(ws.fails(&["start", "go-live", "opera", "--set", "J=2026-05-28"]), leads_out(&ws, &folder));
    assert!(!ws.project_dir("opera").exists(), "nothing was started");
    let listed = ws.run(&["playbooks"]);
    assert_eq!(listed.code, 0, "{listed:?}");
    // The long path in the message stacks the table: one block per playbook.
    assert_expected("playbooks-with-a-linked-file.txt", &ws.scrubbed(&listed.stdout));
}

#[test]
fn a_linked_versions_folder_is_neither_read_nor_written() {
    let ws = Workspace::initialized();
    let outside = tempfile::tempdir().unwrap();
    let folder = ws.path().join(".onboard/versions");
    symlink(outside.path(), &folder).unwrap();
    assert_eq!(ws.fails(&["start", "cooperative", "coop"]), leads_out(&ws, &folder));
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0, "nothing was written outside");
    assert!(!ws.project_dir("coop").exists(), "nothing was started");
}

#[test]
fn a_linked_project_directory_is_neither_read_nor_written() {
    let ws = coop();
    let outside = tempfile::tempdir().unwrap();
    let dir = ws.project_dir("coop");
    let moved = outside.path().join("coop");
    fs::rename(&dir, &moved).unwrap();
    symlink(&moved, &dir).unwrap();
    let before: Vec<_> = fs::read_dir(&moved).unwrap().collect();
    assert_eq!(ws.fails(&["advance", "coop"]), leads_out(&ws, &dir));
    assert_eq!(ws.fails(&["resolve", "coop"]), leads_out(&ws, &dir));
    assert_eq!(fs::read_dir(&moved).unwrap().count(), before.len(), "nothing was written outside");
}

/// Links `.onboard/NAME` to a file outside holding `text`; `init` must refuse it and
/// leave the file as it was.
fn init_refuses_linked(ws: &Workspace, name: &str, text: &str) {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join(name);
    fs::write(&target, text).unwrap();
    let link = ws.path().join(".onboard").join(name);
    symlink(&target, &link).unwrap();
    assert_eq!(
        ws.fails(&["init"]),
        format!(
            "error: `{}` is a symbolic link, which git does not read\nhint: replace the link by a file of its own, then run `onboard init` again\n",
            link.display()
        )
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), text);
}

#[test]
fn init_does_not_write_through_a_linked_gitignore() {
    let ws = Workspace::new();
    fs::create_dir(ws.path().join(".onboard")).unwrap();
    init_refuses_linked(&ws, ".gitignore", "secret\n");
}

#[test]
fn init_does_not_write_through_a_linked_gitattributes() {
    // The driver is installed only while old single project files remain.
    let ws = Workspace::new();
    ws.git_init();
    ws.ok(&["init"]);
    fs::write(ws.project_file("coop-central"), include_str!("../fixtures/format-1-coop-central.yaml"))
        .unwrap();
    init_refuses_linked(&ws, ".gitattributes", "*.png binary\n");
}

/// Holds project `name`'s lock, as another onboard command would, until dropped.
fn hold_lock(ws: &Workspace, name: &str) -> fs::File {
    let file =
        fs::File::options().write(true).open(ws.path().join(format!(".onboard/locks/{name}.lock"))).unwrap();
    file.lock().unwrap();
    file
}

#[test]
fn a_writer_waits_for_a_held_project_says_so_and_gives_up_with_exit_4() {
    let ws = coop();
    let holder = hold_lock(&ws, "coop");
    let before = ws.event_files("coop");
    let run = ws.run_with(&[("ONBOARD_WAIT", "1.5")], &["advance", "coop"]);
    drop(holder);
    assert_eq!(run.code, 4, "{run:?}");
    let lock = ws.path().join(".onboard/locks/coop.lock");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    let waiting = "waiting for project `coop`: another onboard command has held its lock since ";
    assert!(lines[0].starts_with(waiting), "{}", lines[0]);
    assert!(
        lines[0].ends_with(&format!(" UTC (`{}`); giving up after 1.5 s", lock.display())),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1..],
        [
            format!("error: project lock `{}` is still held by another onboard command after 1 s", lock.display()),
            "hint: nothing was changed: run the command again once the other one ends; `ONBOARD_WAIT` sets how many seconds to wait".into(),
        ]
    );
    assert_eq!(ws.event_files("coop"), before, "nothing was recorded");
    // Released, the same command goes through.
    ws.ok(&["advance", "coop"]);
}

#[test]
fn a_writer_told_not_to_wait_gives_up_at_once_and_a_bad_wait_is_named() {
    let ws = coop();
    let holder = hold_lock(&ws, "coop");
    let run = ws.run_with(&[("ONBOARD_WAIT", "0")], &["advance", "coop"]);
    drop(holder);
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stderr.starts_with("error: project lock "), "no waiting line: {}", run.stderr);
    let bad = ws.run_with(&[("ONBOARD_WAIT", "soon")], &["advance", "coop"]);
    assert_eq!(
        (bad.code, bad.stderr.as_str()),
        (
            2,
            "error: `ONBOARD_WAIT` is `soon`, not a number of seconds from 0 to 86400\nhint: set `ONBOARD_WAIT` to how long a writer waits for a project another command holds, such as 30 (0: not at all), or unset it\n"
        )
    );
}

#[test]
fn a_closed_stderr_neither_panics_nor_loses_the_saved_change() {
    let ws = coop();
    let before = ws.event_files("coop").len();
    // A pipe whose reader is gone: every write to stderr fails with EPIPE.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = ws.command(&["advance", "coop"]).stdout(Stdio::null()).stderr(writer).status().unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(ws.event_files("coop").len(), before + 1, "the change is saved");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = ws.command(&["advance", "nobody"]).stdout(Stdio::null()).stderr(writer).status().unwrap();
    assert_eq!(status.code(), Some(2), "an error keeps its code");
}

#[test]
fn a_missing_git_is_named_as_such() {
    let ws = coop();
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().display().to_string();
    for args in [&["advance", "coop", "--commit"][..], &["diff", "HEAD"]] {
        let run = ws.run_with(&[("PATH", &path)], args);
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (
                2,
                "error: cannot run git: it is not installed, or not on PATH\nhint: install git (on Debian: `apt-get install git`), or add the folder that holds it to PATH\n"
            ),
            "{args:?}"
        );
    }
}
