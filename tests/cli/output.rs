//! `--output` (`report`, `ical`) and `man --out-dir` write only regular files, whole,
//! through a temporary file and a rename: each kind of thing a path can name, with the
//! exact refusal, and the folder listed afterwards (no temporary file left, nothing
//! created on a refusal).

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};
use std::path::Path;
use std::process::Command;

use crate::harness::*;

/// A workspace with one project, `coop-central`, and an empty folder `published/`.
fn published() -> Workspace {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    fs::create_dir(ws.path().join("published")).unwrap();
    ws
}

/// The names in `folder`, sorted, hidden ones (a temporary file's) included.
fn entries(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// The refusal's last line: the hint every `--output` refusal ends with.
const INSTEAD: &str = "or leave out --output to print to stdout";

#[test]
fn output_writes_a_new_regular_file_with_the_usual_mode() {
    let ws = published();
    let run = ws.ok(&["report", "--output", "published/report.md"]);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        ("", "Wrote the report of 1 project to `published/report.md`.\n")
    );
    let path = ws.path().join("published/report.md");
    assert_eq!(fs::read_to_string(&path).unwrap(), ws.ok(&["report"]).stdout);
    // 0666 less the umask: the test's umask decides, as it does for any new file.
    let umask = mode(&ws.path().join("published")) ^ 0o777;
    assert_eq!(mode(&path), 0o666 & !umask, "a regular file, not executable");
    assert!(fs::symlink_metadata(&path).unwrap().file_type().is_file());
    assert_eq!(entries(&ws.path().join("published")), ["report.md"]);
}

#[test]
fn output_replaces_an_existing_file_and_keeps_its_mode() {
    let ws = published();
    let path = ws.path().join("published/onboard.ics");
    fs::write(&path, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let run = ws.ok(&["ical", "--output", "published/onboard.ics"]);
    assert_eq!(run.stderr, "Wrote the calendar (0 events) to `published/onboard.ics`.\n");
    assert_eq!(fs::read_to_string(&path).unwrap(), ws.ok(&["ical"]).stdout);
    assert_eq!(mode(&path), 0o640);
    assert_eq!(entries(&ws.path().join("published")), ["onboard.ics"]);
}

#[test]
fn output_refuses_a_folder() {
    let ws = published();
    fs::create_dir(ws.path().join("published/report.md")).unwrap();
    assert_eq!(
        ws.fails(&["report", "--output", "published/report.md"]),
        format!(
            "error: cannot write `published/report.md`: it is a folder\nhint: name a file inside it, {INSTEAD}\n"
        )
    );
    assert_eq!(
        ws.fails(&["report", "--output", "published/"]),
        format!("error: cannot write `published/`: it names a folder\nhint: name a file, {INSTEAD}\n")
    );
    assert_eq!(entries(&ws.path().join("published")), ["report.md"]);
    assert!(entries(&ws.path().join("published/report.md")).is_empty());
}

#[test]
fn output_refuses_a_dangling_link_and_creates_nothing() {
    let ws = published();
    let link = ws.path().join("published/report.md");
    symlink("draft.md", &link).unwrap();
    assert_eq!(
        ws.fails(&["report", "--output", "published/report.md"]),
        format!(
            "error: cannot write `published/report.md`: it is a symbolic link (to `draft.md`)\nhint: name a regular file instead (output never goes through a link), {INSTEAD}\n"
        )
    );
    assert_eq!(entries(&ws.path().join("published")), ["report.md"]);
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("draft.md"), "the link is left as it was");
}

#[test]
fn output_refuses_a_link_to_a_file_elsewhere_and_leaves_that_file() {
    let ws = published();
    fs::create_dir(ws.path().join("team")).unwrap();
    fs::write(ws.path().join("team/onboard.ics"), "the team's own calendar\n").unwrap();
    symlink("../team/onboard.ics", ws.path().join("published/onboard.ics")).unwrap();
    assert_eq!(
        ws.fails(&["ical", "--output", "published/onboard.ics"]),
        format!(
            "error: cannot write `published/onboard.ics`: it is a symbolic link (to `../team/onboard.ics`)\nhint: name a regular file instead (output never goes through a link), {INSTEAD}\n"
        )
    );
    assert_eq!(fs::read_to_string(ws.path().join("team/onboard.ics")).unwrap(), "the team's own calendar\n");
    assert_eq!(entries(&ws.path().join("published")), ["onboard.ics"]);
    assert_eq!(entries(&ws.path().join("team")), ["onboard.ics"]);
}

#[test]
fn output_refuses_a_named_pipe_and_a_device() {
    let ws = published();
    let pipe = ws.path().join("published/feed");
    let made = Command::new("mkfifo").arg(&pipe).status().expect("mkfifo runs");
    assert!(made.success());
    assert_eq!(
        ws.fails(&["ical", "--output", "published/feed"]),
        format!(
            "error: cannot write `published/feed`: it is a named pipe, not a regular file\nhint: name a regular file, {INSTEAD}\n"
        )
    );
    assert!(fs::symlink_metadata(&pipe).unwrap().file_type().is_fifo(), "the pipe is left as it was");
    assert_eq!(entries(&ws.path().join("published")), ["feed"]);
    // Run as root, this replaced /dev/null with the report.
    assert_eq!(
        ws.fails(&["report", "--output", "/dev/null"]),
        format!(
            "error: cannot write `/dev/null`: it is a device, not a regular file\nhint: name a regular file, {INSTEAD}\n"
        )
    );
    assert!(fs::symlink_metadata("/dev/null").unwrap().file_type().is_char_device());
}

#[test]
fn output_creates_a_missing_folder_as_it_always_did() {
    let ws = published();
    let run = ws.ok(&["report", "--output", "published/2026/march/report.md"]);
    assert_eq!(run.stderr, "Wrote the report of 1 project to `published/2026/march/report.md`.\n");
    assert_eq!(entries(&ws.path().join("published")), ["2026"]);
    assert_eq!(entries(&ws.path().join("published/2026")), ["march"]);
    assert_eq!(entries(&ws.path().join("published/2026/march")), ["report.md"]);
}

#[test]
fn man_pages_are_written_the_same_way() {
    let ws = Workspace::new();
    let dir = ws.path().join("man1");
    fs::create_dir(&dir).unwrap();
    symlink("/etc/passwd", dir.join("onboard.1")).unwrap();
    assert_eq!(
        ws.fails(&["man", "--out-dir", "man1"]),
        "error: cannot write `man1/onboard.1`: it is a symbolic link (to `/etc/passwd`)\nhint: name a regular file instead (output never goes through a link), or choose another --out-dir\n"
    );
    assert_eq!(entries(&dir), ["onboard.1"]);
    fs::remove_file(dir.join("onboard.1")).unwrap();
    let run = ws.ok(&["man", "--out-dir", "man1"]);
    let pages = entries(&dir);
    assert_eq!(run.stderr, format!("Wrote {} manual pages to `man1`.\n", pages.len()));
    assert!(pages.iter().all(|p| p.starts_with("onboard") && p.ends_with(".1")), "{pages:?}");
    assert!(fs::read_to_string(dir.join("onboard-report.1")).unwrap().contains(".TH ONBOARD-REPORT"));
}
