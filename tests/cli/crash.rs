//! Writers killed at random instants, and writers racing on one project: after each kill
//! the project directory reads and the next write succeeds; no concurrent write is lost:
//! each is an event file of its own, and the log lists it. No assertion
//! depends on timing: a kill may land before, during or after the write, and each case
//! must leave a whole file. `ONBOARD_CRASH_ROUNDS` raises the number of kills (20 by
//! default), `ONBOARD_CRASH_SEED` changes where they land.

use std::process::Stdio;
use std::time::Duration;

use super::*;

const GO_LIVE: &str = include_str!("../fixtures/go-live.yaml");

/// A workspace with the `go-live` team playbook and its project `opera`.
fn opera() -> Workspace {
    let ws = Workspace::initialized();
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), GO_LIVE).unwrap();
    ws.ok(&["start", "go-live", "opera", "--set", "J=2026-05-28"]);
    ws
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A small seeded generator (64-bit LCG, high bits): the same seed kills at the same
/// instants, so a failing run can be replayed.
struct Instants(u64);

impl Instants {
    fn next_micros(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// The `set` event files of `opera`, each checked to hold one `set` of `J`.
fn set_files(ws: &Workspace) -> Vec<String> {
    let files: Vec<String> = ws.event_files("opera").into_iter().filter(|n| n.contains("-set-J-")).collect();
    for name in &files {
        let text = fs::read_to_string(ws.project_dir("opera").join(name)).unwrap();
        assert!(text.starts_with("var: J\n") && text.contains("\naction: set\n"), "{name}:\n{text}");
    }
    files
}

/// The `set` events `log --json` lists for `opera`, by their note.
fn logged_sets(ws: &Workspace) -> Vec<String> {
    let log: serde_json::Value = serde_json::from_str(&ws.ok(&["log", "opera", "--json"]).stdout).unwrap();
    let events = log["events"].as_array().unwrap().iter().filter(|e| e["action"] == "set");
    events.map(|e| e["note"].as_str().unwrap().to_string()).collect()
}

/// How many `set` events the project holds: its event files, each one the log lists.
fn sets(ws: &Workspace) -> usize {
    let files = set_files(ws).len();
    assert_eq!(logged_sets(ws).len(), files, "the log lists every event file");
    files
}

#[test]
fn a_writer_killed_at_any_instant_leaves_a_file_that_reads_and_the_next_write_succeeds() {
    let ws = opera();
    let rounds = env_number("ONBOARD_CRASH_ROUNDS", 20);
    let mut instants = Instants(env_number("ONBOARD_CRASH_SEED", 2026));
    // How long one write takes here, to spread the kills over its whole run.
    let started = std::time::Instant::now();
    ws.ok(&["set", "opera", "J=2026-06-01", "--reason", "measure"]);
    let span = started.elapsed().as_micros() as u64 * 3 / 2 + 1;
    let mut completed = 1;
    for round in 0..rounds {
        let day = 1 + round % 28;
        let value = format!("J=2026-07-{day:02}");
        let reason = format!("killed {round}");
        let mut writer = ws.command(&["set", "opera", &value, "--reason", &reason]);
        let mut child = writer.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(instants.next_micros(span)));
        // SIGKILL: no handler runs, exactly as a crash or an OOM kill.
        child.kill().ok();
        child.wait().unwrap();
        let status = ws.run(&["status", "opera"]);
        assert_eq!(status.code, 0, "round {round}: the project must read after a kill:\n{}", status.stderr);
        ws.ok(&["set", "opera", &format!("J=2026-08-{day:02}"), "--reason", &format!("after {round}")]);
        completed += 1;
        let recorded = sets(&ws);
        assert!(
            (completed..=completed + round as usize + 1).contains(&recorded),
            "round {round}: {recorded} set events for {completed} completed writes and {} killed",
            round + 1
        );
    }
    // The last write removed what killed writes left; the lock is the usual one.
    assert_eq!(ws.run(&["doctor"]).code, 0, "{}", ws.run(&["doctor"]).stdout);
    assert_eq!(ws.event_files("opera"), set_files(&ws), "nothing but event files is left");
    let notes = logged_sets(&ws);
    for round in 0..rounds {
        let after = format!("after {round}");
        assert_eq!(notes.iter().filter(|n| **n == after).count(), 1, "`{after}` is recorded once");
    }
}

#[test]
fn concurrent_writers_on_one_project_lose_no_event() {
    let ws = opera();
    let (writers, writes) = (4, 10);
    std::thread::scope(|scope| {
        for writer in 0..writers {
            let ws = &ws;
            scope.spawn(move || {
                for write in 0..writes {
                    let value = format!("J=2026-06-{:02}", 1 + (writer * writes + write) % 28);
                    let reason = format!("writer {writer} write {write}");
                    ws.ok(&["set", "opera", &value, "--reason", &reason]);
                }
            });
        }
    });
    // Every write is an event file of its own, and nothing else is in the directory.
    let files = ws.event_files("opera");
    assert_eq!(files.len(), writers * writes, "{files:?}");
    assert_eq!(set_files(&ws), files);
    let text = ws.read_project("opera");
    let notes = logged_sets(&ws);
    assert_eq!(notes.len(), writers * writes, "the log lists every write");
    for writer in 0..writers {
        for write in 0..writes {
            let note = format!("writer {writer} write {write}");
            assert_eq!(text.matches(&format!("note: {note}\n")).count(), 1, "`{note}` is in one file");
            assert_eq!(notes.iter().filter(|n| **n == note).count(), 1, "`{note}` is logged once");
        }
    }
    assert_eq!(ws.run(&["doctor"]).code, 0);
}

/// Eight writers on one project while a ninth renames it, archives it (with a reason)
/// and brings it back, again and again: every write accepted is an event of its own, a
/// write refused (the project archived at that instant) records nothing, and no lock file
/// is ever removed under a writer.
#[test]
fn writers_lose_nothing_while_the_project_is_renamed_archived_and_unarchived() {
    let ws = opera();
    let (writers, writes) = (8, 6);
    let accepted = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for writer in 0..writers {
            let (ws, accepted) = (&ws, &accepted);
            scope.spawn(move || {
                for write in 0..writes {
                    let value = format!("J=2026-06-{:02}", 1 + (writer * writes + write) % 28);
                    let reason = format!("writer {writer} write {write}");
                    // The directory's name stays the project's id through every rename.
                    let run = ws.run(&["set", "opera", &value, "--reason", &reason]);
                    match run.code {
                        0 => accepted.lock().unwrap().push(reason),
                        // On a loaded machine a writer may wait over a second for the lock,
                        // and says so first; the refusal is the line after.
                        _ => assert_eq!(
                            run.stderr
                                .lines()
                                .find(|line| !line.starts_with("waiting for project `opera`: ")),
                            Some("error: project `opera` is archived"),
                            "{run:?}"
                        ),
                    }
                }
            });
        }
        let ws = &ws;
        scope.spawn(move || {
            for turn in 0..4 {
                ws.ok(&["rename", "opera", &format!("opera-{turn}")]);
                ws.ok(&["archive", "opera", "--reason", &format!("turn {turn}")]);
                ws.ok(&["unarchive", "opera", "--reason", &format!("turn {turn}")]);
            }
        });
    });
    let accepted = accepted.into_inner().unwrap();
    assert!(!accepted.is_empty());
    let mut notes = logged_sets(&ws);
    notes.sort();
    let mut expected = accepted.clone();
    expected.sort();
    assert_eq!(notes, expected, "every accepted write is logged once, and nothing else");
    assert_eq!(set_files(&ws).len(), accepted.len());
    assert!(ws.path().join(".onboard/locks/opera.lock").is_file(), "the lock file stays");
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "--all", "--json"]).stdout).unwrap();
    let names: Vec<&str> =
        json["projects"].as_array().unwrap().iter().map(|p| p["project"].as_str().unwrap()).collect();
    assert_eq!(names, ["opera-3"], "the last rename names it");
    assert_eq!(ws.run(&["doctor"]).code, 0);
}
