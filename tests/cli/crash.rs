//! Writers killed at random instants, and writers racing on one project: after each kill
//! the file reads and the next write succeeds; no concurrent write is lost. No assertion
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

/// How many `set` events the project file holds.
fn sets(ws: &Workspace) -> usize {
    ws.read_project("opera").matches("action: set").count()
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
        assert_eq!(status.code, 0, "round {round}: the file must read after a kill:\n{}", status.stderr);
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
    let text = ws.read_project("opera");
    assert_eq!(sets(&ws), writers * writes, "every write is recorded once");
    for writer in 0..writers {
        for write in 0..writes {
            let note = format!("note: writer {writer} write {write}\n");
            assert_eq!(text.matches(&note).count(), 1, "`{}` is recorded once", note.trim());
        }
    }
    assert_eq!(ws.run(&["doctor"]).code, 0);
}
