//! The portfolio cache: `check` and portfolio `status` print the same whether the cache
//! is cold, warm, corrupt or turned off (`--no-cache`, `ONBOARD_NO_CACHE`), and see every
//! change to a project file, to the set of projects and to a calendar override. Only old
//! single project files (formats 1–3) are cached, so these tests build their portfolios
//! of old files; a project directory is read from disk by every run. These tests choose
//! the mode of each run themselves, so they compare both ways whatever
//! `ONBOARD_TEST_NO_CACHE` says.

use std::time::{Duration, SystemTime};

use super::*;

/// How a run meets the cache.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Cache,
    Flag,
    Variable,
}

/// Runs onboard in `mode`.
fn run_in(ws: &Workspace, mode: Mode, args: &[&str]) -> Run {
    let mut cmd = ws.command(args);
    cmd.env_remove("ONBOARD_NO_CACHE");
    match mode {
        Mode::Cache => {}
        Mode::Flag => {
            cmd.arg("--no-cache");
        }
        Mode::Variable => {
            cmd.env("ONBOARD_NO_CACHE", "1");
        }
    }
    let output = cmd.output().expect("run onboard");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

/// Runs with the cache, and insists that it prints what a run without it prints.
fn same_both_ways(ws: &Workspace, args: &[&str]) -> Run {
    let reference = run_in(ws, Mode::Flag, args);
    let cached = run_in(ws, Mode::Cache, args);
    assert_eq!(
        (cached.code, &cached.stdout, &cached.stderr),
        (reference.code, &reference.stdout, &reference.stderr),
        "onboard {args:?} with the cache"
    );
    cached
}

/// The cache files in the workspace's cache folder.
fn cache_files(ws: &Workspace) -> Vec<PathBuf> {
    let folder = ws.cache.path().join("onboard/portfolios");
    let Ok(entries) = fs::read_dir(folder) else { return Vec::new() };
    entries.map(|e| e.unwrap().path()).collect()
}

/// The one cache file, parsed.
fn cache_json(ws: &Workspace) -> serde_json::Value {
    let files = cache_files(ws);
    assert_eq!(files.len(), 1, "one cache file: {files:?}");
    serde_json::from_str(&fs::read_to_string(&files[0]).unwrap()).unwrap()
}

/// The projects the cache holds, by name.
fn cached_projects(ws: &Workspace) -> Vec<String> {
    let json = cache_json(ws);
    json["projects"].as_object().unwrap().keys().cloned().collect()
}

/// An hour before the disk's now: file times are the disk's, not a project's clock.
#[allow(clippy::disallowed_methods, reason = "file times compare with the disk's own now")]
fn an_hour_ago() -> SystemTime {
    SystemTime::now() - Duration::from_secs(3600)
}

/// Sets the modification time of every project file to an hour ago: files the cache
/// trusts by their identity alone, as after any edit more than a moment old.
pub(super) fn age_projects(ws: &Workspace) {
    let an_hour_ago = an_hour_ago();
    for entry in fs::read_dir(ws.path().join(".onboard/projects")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            fs::File::options().write(true).open(&path).unwrap().set_modified(an_hour_ago).unwrap();
        }
    }
}

/// The saved version of `cooperative` the old fixtures follow.
fn save_version(ws: &Workspace) {
    let versions = ws.path().join(".onboard/versions");
    fs::create_dir_all(&versions).unwrap();
    fs::write(
        versions.join("cooperative-767f7474146b.yaml"),
        include_str!("../fixtures/cooperative-767f7474146b.yaml"),
    )
    .unwrap();
}

/// The format-2 fixture, `coop-central` finished on 20 March 2026, as the old single file
/// of project `name`, with the playbook version it follows saved.
pub(super) fn old_file(ws: &Workspace, name: &str) -> PathBuf {
    save_version(ws);
    let text = include_str!("../fixtures/format-2-coop-central.yaml").replace("coop-central", name);
    let path = ws.project_file(name);
    fs::write(&path, text).unwrap();
    path
}

/// As `old_file`, but with nothing recorded from `preprod-tests` on: phase II ends with
/// `configure-production`, done on 20 March 2026, and certification is still to do.
fn half_old_file(ws: &Workspace, name: &str) -> PathBuf {
    let path = old_file(ws, name);
    let text = fs::read_to_string(&path).unwrap();
    let (kept, rest) = text.split_once("\n  preprod-tests:\n").unwrap();
    let mut out = format!("{kept}\n  preprod-tests: []\n");
    for line in rest.lines() {
        if let Some(step) = line.strip_prefix("  ").and_then(|l| l.strip_suffix(':'))
            && !step.starts_with(' ')
        {
            out.push_str(&format!("\n  {step}: []\n"));
        }
    }
    fs::write(&path, out).unwrap();
    path
}

/// An old single file of project `name` as a merge without the driver leaves it: both
/// sides of its first step between conflict markers. Returns the file and the line of
/// the first marker.
pub(super) fn conflicted_old_file(ws: &Workspace, name: &str) -> (PathBuf, usize) {
    let path = old_file(ws, name);
    let text = fs::read_to_string(&path).unwrap();
    let conflicted = text.replacen(
        "  team-systems:\n",
        "<<<<<<< HEAD\n  team-systems:\n=======\n  team-systems: [x]\n>>>>>>> other\n",
        1,
    );
    assert_ne!(conflicted, text);
    fs::write(&path, &conflicted).unwrap();
    let line = conflicted.lines().position(|l| l.starts_with("<<<<<<<")).unwrap() + 1;
    (path, line)
}

/// Every bundled playbook, some work done, late or on time, in project directories
/// (never cached); old single files, which the cache holds: one of format 1 and two of
/// format 2 on a saved playbook version, one finished and one in certification; a team
/// calendar override; and an old file left with conflict markers, which no run may
/// cache. Seen on 20 April 2026.
fn portfolio() -> Workspace {
    let mut ws = in_certification();
    fs::create_dir_all(ws.path().join(".onboard/calendars")).unwrap();
    fs::write(
        ws.path().join(".onboard/calendars/PY.yaml"),
        "closed:\n  - {date: 2026-04-08, name: Inventario anual}\n",
    )
    .unwrap();
    ws.ok(&["start", "cooperative", "coop-a"]);
    for step in ["I", "1.1", "1.2", "1.3", "2.1.1", "2.1.2"] {
        ws.ok(&["advance", "coop-a", step]);
    }
    ws.at("2026-03-02T10:00:00+01:00");
    ws.ok(&["start", "data-import", "opera", "--set", "J=2026-04-20"]);
    ws.ok(&["advance", "opera", "1", "--set", "data_to_migrate=contacts"]);
    ws.ok(&["set", "opera", "J=2026-04-27", "--reason", "the venue moved the opening"]);
    ws.at("2026-03-02T09:00:00+05:30").ok(&["start", "change-request", "cr-a"]);
    ws.at("2026-03-02T09:00:00-05:00");
    ws.ok(&["start", "implementation", "impl-a"]);
    ws.ok(&["start", "account-suspension", "susp-a"]);
    ws.ok(&[
        "start",
        "support-request",
        "sol-a",
        "--set",
        "received_at=2026-03-02T08:00:00-05:00",
        "--set",
        "service=business",
    ]);
    ws.at("2026-03-02T09:00:00+01:00").ok(&["start", "operator-activation", "op-a"]);
    let legacy =
        include_str!("../fixtures/format-1-coop-central.yaml").replace("coop-central", "coop-legacy");
    fs::write(ws.project_file("coop-legacy"), legacy).unwrap();
    old_file(&ws, "coop-old");
    half_old_file(&ws, "coop-half");
    conflicted_old_file(&ws, "coop-sur");
    ws.at("2026-04-20T09:00:00-03:00");
    ws
}

#[test]
fn a_portfolio_reads_the_same_cold_warm_and_without_the_cache() {
    let ws = portfolio();
    let commands: [&[&str]; 5] = [
        &["check"],
        &["check", "--json"],
        &["status"],
        &["status", "--json"],
        &["check", "--soon-days", "10"],
    ];
    let reference: Vec<Run> = commands.iter().map(|args| run_in(&ws, Mode::Flag, args)).collect();
    assert_eq!(cache_files(&ws), Vec::<PathBuf>::new(), "--no-cache writes no cache");
    for (args, expected) in commands.iter().zip(&reference) {
        let by_variable = run_in(&ws, Mode::Variable, args);
        assert_eq!(
            (by_variable.code, &by_variable.stdout, &by_variable.stderr),
            (expected.code, &expected.stdout, &expected.stderr)
        );
    }
    assert_eq!(cache_files(&ws), Vec::<PathBuf>::new(), "ONBOARD_NO_CACHE writes no cache");
    // Every readable old file, and no project directory.
    let readable = ["coop-half", "coop-legacy", "coop-old"];
    // Files just written are compared by content; an hour old, by identity alone.
    for aged in [false, true] {
        if aged {
            age_projects(&ws);
        }
        for (round, _) in ["cold", "warm", "warm again"].iter().enumerate() {
            for (args, expected) in commands.iter().zip(&reference) {
                let run = run_in(&ws, Mode::Cache, args);
                assert_eq!(
                    (run.code, &run.stdout, &run.stderr),
                    (expected.code, &expected.stdout, &expected.stderr),
                    "onboard {args:?}, round {round}, aged {aged}"
                );
            }
            assert_eq!(cached_projects(&ws), readable, "every readable old file is cached, no other");
        }
    }
    let path = ws.project_file("coop-sur");
    assert_eq!((reference[0].code, reference[2].code), (2, 2), "the conflicted file makes both exit 2");
    assert!(
        reference[0]
            .stderr
            .starts_with(&format!("error: `{}` has an unresolved merge conflict", path.display()))
    );
    assert_expected("cache-portfolio-check.txt", &reference[0].stdout);
    assert_expected("cache-portfolio-status.txt", &reference[2].stdout);
}

/// Puts back the modification time `modified` on `path`, as a tool that keeps times does.
fn keep_time(path: &Path, modified: SystemTime) {
    fs::File::options().write(true).open(path).unwrap().set_modified(modified).unwrap();
    assert_eq!(fs::metadata(path).unwrap().modified().unwrap(), modified);
}

#[test]
fn a_hand_edit_of_the_same_size_in_the_same_second_is_read_again() {
    for aged in [false, true] {
        let mut ws = Workspace::initialized();
        half_old_file(&ws, "coop-half");
        old_file(&ws, "coop-old");
        if aged {
            age_projects(&ws);
        }
        ws.at("2026-04-06T09:00:00-03:00");
        let before = same_both_ways(&ws, &["check"]);
        assert_eq!(
            before.stdout,
            " Project     What                        Owner         Due          State
─────────── ─────────────────────────── ───────────── ──────────── ─────────────────────────────
 coop-half   phase III `certification`   OPERACIONES   2026-04-07   due soon: in 1 business day
",
            "aged {aged}"
        );
        let path = ws.project_file("coop-half");
        let modified = fs::metadata(&path).unwrap().modified().unwrap();
        let text = fs::read_to_string(&path).unwrap();
        // Phase II finished a week later: certification is due a week later.
        let edited = text.replace("2026-03-20T16:00", "2026-03-27T16:00");
        assert!(edited != text && edited.len() == text.len());
        fs::write(&path, &edited).unwrap();
        keep_time(&path, modified);
        let after = same_both_ways(&ws, &["check"]);
        assert_eq!(after.stdout, "Nothing is overdue or due soon.\n", "aged {aged}");
    }
}

#[test]
fn a_hand_edited_event_file_of_a_project_directory_is_read_again() {
    for aged in [false, true] {
        let mut ws = Workspace::initialized();
        ws.at("2026-03-02T10:00:00+01:00");
        ws.ok(&["start", "data-import", "opera", "--set", "J=2026-05-20"]);
        ws.ok(&["set", "opera", "J=2026-04-20", "--reason", "the venue opens earlier"]);
        ws.ok(&["start", "data-import", "bern", "--set", "J=2026-05-20"]);
        let events = ws.event_files("opera");
        assert_eq!(events.len(), 1, "{events:?}");
        let path = ws.project_dir("opera").join(&events[0]);
        if aged {
            let an_hour_ago = an_hour_ago();
            for file in [&path, &ws.project_dir("opera").join("project.yaml")] {
                keep_time(file, an_hour_ago);
            }
            fs::File::open(ws.project_dir("opera")).unwrap().set_modified(an_hour_ago).unwrap();
        }
        ws.at("2026-04-14T09:00:00+02:00");
        // Both portfolio commands, with the cache and without.
        let status = same_both_ways(&ws, &["status"]);
        let before = same_both_ways(&ws, &["check"]);
        assert_eq!(
            before.stdout,
            " Project   What                      Owner            Due          State
───────── ───────────────────────── ──────────────── ──────────── ────────────────────────────
 opera     3 `secutix-format-data`   CUSTOMER         2026-04-06   overdue by 6 business days
 opera     4 `deliver-data`          PROJECT_LEADER   2026-04-06   overdue by 6 business days
 opera     9 `preprod-import`        CSVN             2026-04-13   overdue by 1 business day
",
            "aged {aged}"
        );
        let folder = fs::metadata(ws.project_dir("opera")).unwrap().modified().unwrap();
        let modified = fs::metadata(&path).unwrap().modified().unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let edited = text.replace("value: 2026-04-20", "value: 2026-04-27");
        assert!(edited != text && edited.len() == text.len(), "{text}");
        fs::write(&path, &edited).unwrap();
        keep_time(&path, modified);
        assert_eq!(fs::metadata(ws.project_dir("opera")).unwrap().modified().unwrap(), folder);
        let after = same_both_ways(&ws, &["check"]);
        assert_eq!(
            after.stdout,
            " Project   What                      Owner            Due          State
───────── ───────────────────────── ──────────────── ──────────── ───────────────────────────
 opera     3 `secutix-format-data`   CUSTOMER         2026-04-13   overdue by 1 business day
 opera     4 `deliver-data`          PROJECT_LEADER   2026-04-13   overdue by 1 business day
",
            "aged {aged}"
        );
        assert_ne!(same_both_ways(&ws, &["status"]).stdout, status.stdout, "aged {aged}");
    }
}

#[test]
fn a_corrupt_cache_changes_nothing_and_is_rebuilt() {
    let mut ws = in_certification();
    half_old_file(&ws, "coop-half");
    old_file(&ws, "coop-old");
    ws.at("2026-04-06T09:00:00-03:00");
    let status = same_both_ways(&ws, &["status"]);
    assert_eq!(status.code, 0);
    let check = same_both_ways(&ws, &["check"]);
    assert_eq!(
        (check.code, check.stdout.as_str(), check.stderr.as_str()),
        (
            0,
            " Project     What                        Owner         Due          State
─────────── ─────────────────────────── ───────────── ──────────── ─────────────────────────────
 coop-half   phase III `certification`   OPERACIONES   2026-04-07   due soon: in 1 business day
",
            ""
        )
    );
    let file = cache_files(&ws).pop().expect("a cache file");
    let whole = fs::read_to_string(&file).unwrap();
    for broken in [&whole[..whole.len() / 2], "", "not json at all", "{\"format\": 1, \"projects\": 7}"] {
        fs::write(&file, broken).unwrap();
        for (args, expected) in [(&["status"], &status), (&["check"], &check)] {
            let run = run_in(&ws, Mode::Cache, args);
            assert_eq!(
                (run.code, &run.stdout, &run.stderr),
                (expected.code, &expected.stdout, &expected.stderr),
                "{broken:?}"
            );
        }
        assert_eq!(cached_projects(&ws), ["coop-half", "coop-old"], "rebuilt after {broken:?}");
    }
}

#[test]
fn a_removed_project_leaves_the_portfolio_and_the_cache() {
    let ws = Workspace::initialized();
    for name in ["coop-a", "coop-b", "coop-c"] {
        half_old_file(&ws, name);
    }
    same_both_ways(&ws, &["status"]);
    assert_eq!(cached_projects(&ws), ["coop-a", "coop-b", "coop-c"]);
    fs::remove_file(ws.project_file("coop-b")).unwrap();
    let run = same_both_ways(&ws, &["status"]);
    assert_eq!(
        run.stdout,
        " Project   Playbook      Current phase          Progress   Next due               Overdue   On time
───────── ───────────── ────────────────────── ────────── ────────────────────── ───────── ─────────
 coop-a    cooperative   III Certificación en   18/28      phase III 2026-04-07   0
                         PreProducción.                    (in 24 business
                                                           days)
 coop-c    cooperative   III Certificación en   18/28      phase III 2026-04-07   0
                         PreProducción.                    (in 24 business
                                                           days)
"
    );
    assert_eq!(cached_projects(&ws), ["coop-a", "coop-c"]);
}

#[test]
fn a_change_to_a_calendar_override_is_seen_at_once() {
    let mut ws = Workspace::initialized();
    half_old_file(&ws, "coop-half");
    old_file(&ws, "coop-old");
    age_projects(&ws);
    ws.at("2026-04-06T09:00:00-03:00");
    let row = |due: &str, left: &str| {
        format!(" coop-half   phase III `certification`   OPERACIONES   {due}   due soon: {left}")
    };
    let before = same_both_ways(&ws, &["check"]);
    assert!(before.stdout.contains(&row("2026-04-07", "in 1 business day")), "{}", before.stdout);
    let calendar = ws.path().join(".onboard/calendars/PY.yaml");
    fs::create_dir_all(calendar.parent().unwrap()).unwrap();
    fs::write(&calendar, "closed:\n  - {date: 2026-04-07, name: Inventario anual}\n").unwrap();
    let closed = same_both_ways(&ws, &["check"]);
    assert!(closed.stdout.contains(&row("2026-04-08", "in 1 business day")), "{}", closed.stdout);
    fs::remove_file(&calendar).unwrap();
    assert_eq!(same_both_ways(&ws, &["check"]).stdout, before.stdout);
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let mut ws = Workspace::initialized();
    half_old_file(&ws, "coop-half");
    old_file(&ws, "coop-old");
    age_projects(&ws);
    ws.at("2026-04-16T09:00:00-03:00");
    let truth = run_in(&ws, Mode::Flag, &["check"]);
    assert_eq!(truth.code, 1);
    run_in(&ws, Mode::Cache, &["check"]);
    // A cache that says coop-half finished phase II a month later than its file does:
    // only a run that reads the cache can show it.
    let file = cache_files(&ws).pop().unwrap();
    let cached = fs::read_to_string(&file).unwrap();
    assert!(cached.contains("\"2026-03-20T16:00:00-03:00\""), "{cached}");
    let forged = cached.replace("\"2026-03-20T16:00:00-03:00\"", "\"2026-04-20T16:00:00-03:00\"");
    fs::write(&file, forged).unwrap();
    let cached = run_in(&ws, Mode::Cache, &["check"]);
    assert_ne!(cached.stdout, truth.stdout, "the cache is read");
    for mode in [Mode::Flag, Mode::Variable] {
        let run = run_in(&ws, mode, &["check"]);
        assert_eq!((run.code, &run.stdout), (truth.code, &truth.stdout), "{mode:?} does not read the cache");
    }
    fs::remove_file(&file).unwrap();
    for mode in [Mode::Flag, Mode::Variable] {
        run_in(&ws, mode, &["status"]);
        assert_eq!(cache_files(&ws), Vec::<PathBuf>::new(), "{mode:?} does not write the cache");
    }
    // One-project commands never touch it either.
    run_in(&ws, Mode::Cache, &["status", "coop-half"]);
    run_in(&ws, Mode::Cache, &["check", "coop-half"]);
    assert_eq!(cache_files(&ws), Vec::<PathBuf>::new(), "one-project commands do not write the cache");
}

#[test]
fn concurrent_runs_leave_a_whole_cache() {
    let ws = Workspace::initialized();
    let names: Vec<String> = (1..=12).map(|i| format!("coop-{i}")).collect();
    for name in &names {
        half_old_file(&ws, name);
    }
    let reference = run_in(&ws, Mode::Flag, &["status", "--json"]);
    let mut sorted = names.clone();
    sorted.sort();
    for _ in 0..3 {
        // Every file rewritten, so that every run finds the cache stale and writes it.
        for name in &names {
            let text = fs::read_to_string(ws.project_file(name)).unwrap();
            fs::write(ws.project_file(name), text).unwrap();
        }
        let runs: Vec<_> = (0..6)
            .map(|_| {
                let mut cmd = ws.command(&["status", "--json"]);
                cmd.env_remove("ONBOARD_NO_CACHE");
                cmd.stdout(std::process::Stdio::piped()).spawn().unwrap()
            })
            .collect();
        for run in runs {
            let output = run.wait_with_output().unwrap();
            assert_eq!(String::from_utf8(output.stdout).unwrap(), reference.stdout);
        }
        assert_eq!(cached_projects(&ws), sorted, "a cache one run wrote whole");
    }
}
