//! Taking back a mistake: `retract` for a stray round, a wrong value, a skip and a
//! completion, each shown in `log` (both events, the retracted one marked) and in
//! `status`; the refusals (later work needed it, a retraction, twice); which event it
//! takes by default; and a retraction merged with concurrent work under git's own merge.
//! Recorded time: `--at` before a step's latest event or a later `set`, a clock behind
//! the project, doctor's `before-ready`, and who the actor is.

use crate::team::{every_way, step_json};
use std::fs;

use crate::harness::*;

/// A small team playbook: a kick-off, test rounds, optional release notes and the go-live.
const RELEASE: &str = "id: client-release
title: Release of a client integration
calendar: CH
roles:
  - id: PL
    name: Project lead
variables:
  - name: environment
    type: text
    description: Where the client's integration runs
phases:
  - id: build
    title: Build and test
    steps:
      - {id: kick-off, title: Kick-off meeting with the client, owner: PL}
      - {id: test-rounds, title: Test rounds with the client, owner: PL, repeatable: true}
      - {id: release-notes, title: Release notes, owner: PL, optional: true}
      - {id: go-live, title: Go-live, owner: PL}
";

/// `acme` on the release playbook, started on Monday 2 March 2026 at 09:00 in Zurich with
/// `environment=staging`, its kick-off done at 10:00.
fn acme() -> Workspace {
    let mut ws = Workspace::initialized();
    fs::write(ws.path().join(".onboard/playbooks/client-release.yaml"), RELEASE).unwrap();
    ws.at("2026-03-02T09:00:00+01:00").ok(&[
        "start",
        "client-release",
        "acme",
        "--set",
        "environment=staging",
    ]);
    ws.at("2026-03-02T10:00:00+01:00").ok(&["advance", "kick-off"]);
    ws
}

/// `log` with the ids, wide enough that no cell wraps.
fn log_ids(ws: &Workspace) -> String {
    ws.run_with(&[("COLUMNS", "200")], &["log", "acme", "--ids"]).stdout
}

#[test]
fn a_stray_round_is_retracted_by_default_and_the_log_shows_both() {
    let mut ws = acme();
    ws.at("2026-03-02T11:00:00+01:00").ok(&["advance", "test-rounds", "--repeat", "--note", "first run"]);
    ws.at("2026-03-02T11:01:00+01:00").ok(&["advance", "test-rounds", "--repeat"]);
    let run = ws.at("2026-03-02T11:05:00+01:00").ok(&["retract", "--reason", "stray Enter"]);
    assert_eq!(
        run.stderr,
        "Retracted the round of step `test-rounds` (ana, 2026-03-02T11:01:00+01:00) in `acme`.\nStep `test-rounds` is ready now.\n"
    );
    assert_eq!(
        ws.ok(&["log"]).stdout,
        " When               Who   Action              Step          Details
────────────────── ───── ─────────────────── ───────────── ────────────────────────────────────
 2026-03-02 09:00   ana   start                             environment=staging
 2026-03-02 10:00   ana   done                kick-off
 2026-03-02 11:00   ana   round               test-rounds   first run
 2026-03-02 11:01   ana   round (retracted)   test-rounds
 2026-03-02 11:05   ana   retract             test-rounds   takes back the round of 2026-03-02
                                                            11:01; stray Enter
"
    );
    assert_eq!(
        log_ids(&ws),
        " Id                                                   When               Who   Action              Step          Details
──────────────────────────────────────────────────── ────────────────── ───── ─────────────────── ───────────── ───────────────────────────────────────────────────────
                                                      2026-03-02 09:00   ana   start                             environment=staging
 20260302T090000Z-done-kick-off-c49e3dd6.yaml         2026-03-02 10:00   ana   done                kick-off
 20260302T100000Z-round-test-rounds-cccb2ef0.yaml     2026-03-02 11:00   ana   round               test-rounds   first run
 20260302T100100Z-round-test-rounds-5f9da811.yaml     2026-03-02 11:01   ana   round (retracted)   test-rounds
 20260302T100500Z-retract-test-rounds-ecd9ed00.yaml   2026-03-02 11:05   ana   retract             test-rounds   takes back the round of 2026-03-02 11:01; stray Enter
"
    );
    // The portfolio's activity says the same, newest first.
    let activity = ws.ok(&["log", "--project", "acme", "--limit", "2"]).stdout;
    assert_eq!(
        activity.lines().skip(2).map(str::trim_end).collect::<Vec<_>>(),
        [
            " 2026-03-02 11:05   acme      ana   retract             test-rounds   takes back the round of",
            "                                                                      2026-03-02 11:01; stray Enter",
            " 2026-03-02 11:01   acme      ana   round (retracted)   test-rounds",
        ],
        "{activity}"
    );
    // The next round is round 2 again: the retracted one does not count.
    let run = ws.at("2026-03-02T12:00:00+01:00").ok(&["advance", "test-rounds", "--repeat"]);
    assert_eq!(run.stderr, "Recorded round 2 of `test-rounds` in `acme`; the step stays open.\n");
    assert_eq!(step_rounds(&ws), 2);
}

fn step_rounds(ws: &Workspace) -> usize {
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["status", "acme", "--json"]).stdout).unwrap();
    let steps = json["phases"][0]["steps"].as_array().unwrap();
    let tests = steps.iter().find(|s| s["id"] == "test-rounds").unwrap();
    tests["iterations"].as_array().unwrap().len()
}

#[test]
fn a_wrong_value_is_retracted_by_its_id_and_the_previous_value_holds_again() {
    let mut ws = acme();
    ws.at("2026-03-02T11:00:00+01:00").ok(&["set", "environment=production", "--reason", "moved"]);
    let id = ws.event_files("acme").into_iter().find(|n| n.contains("-set-")).unwrap();
    // A unique start of the id is enough.
    let run = ws.at("2026-03-02T11:30:00+01:00").ok(&["retract", "acme", &id[..22], "--reason", "not yet"]);
    assert_eq!(
        run.stderr,
        "Retracted the set of `environment` to `production` (ana, 2026-03-02T11:00:00+01:00) in `acme`.\n`environment` is `staging` now.\n"
    );
    assert_eq!(
        ws.ok(&["log"]).stdout,
        " When               Who   Action        Step       Details
────────────────── ───── ───────────── ────────── ─────────────────────────────────────────────────
 2026-03-02 09:00   ana   start                    environment=staging
 2026-03-02 10:00   ana   done          kick-off
 2026-03-02 11:00   ana   set                      environment=production; moved
                          (retracted)
 2026-03-02 11:30   ana   retract                  takes back the set of 2026-03-02 11:00; not yet
"
    );
    assert_expected("retracted-set-status.txt", &ws.ok(&["status"]).stdout);
}

#[test]
fn a_skip_and_a_completion_are_retracted_and_their_steps_are_ready_again() {
    let mut ws = acme();
    ws.at("2026-03-02T10:30:00+01:00").ok(&["advance", "test-rounds"]);
    ws.at("2026-03-02T11:00:00+01:00").ok(&["skip", "release-notes", "--reason", "none needed"]);
    let run = ws.at("2026-03-02T11:10:00+01:00").ok(&["retract", "--reason", "the client wants them"]);
    assert_eq!(
        run.stderr,
        "Retracted the skip of step `release-notes` (ana, 2026-03-02T11:00:00+01:00) in `acme`.\nStep `release-notes` is ready now.\n"
    );
    ws.at("2026-03-02T11:15:00+01:00").ok(&["advance", "go-live", "--by", "bob"]);
    let go_live = ws.event_files("acme").into_iter().find(|n| n.contains("-done-go-live-")).unwrap();
    let run = ws.at("2026-03-02T11:20:00+01:00").ok(&["retract", &go_live, "--reason", "not live yet"]);
    assert_eq!(
        run.stderr,
        "Retracted the done of step `go-live` (bob, 2026-03-02T11:15:00+01:00) in `acme`.\nStep `go-live` is ready now.\n"
    );
    assert_eq!(
        ws.ok(&["log"]).stdout,
        " When               Who   Action             Step            Details
────────────────── ───── ────────────────── ─────────────── ───────────────────────────────────
 2026-03-02 09:00   ana   start                              environment=staging
 2026-03-02 10:00   ana   done               kick-off
 2026-03-02 10:30   ana   done               test-rounds
 2026-03-02 11:00   ana   skip (retracted)   release-notes   none needed
 2026-03-02 11:10   ana   retract            release-notes   takes back the skip of 2026-03-02
                                                             11:00; the client wants them
 2026-03-02 11:15   bob   done (retracted)   go-live
 2026-03-02 11:20   ana   retract            go-live         takes back the done of 2026-03-02
                                                             11:15; not live yet
"
    );
    assert_eq!(
        ws.ok(&["status"]).stdout,
        "acme: Release of a client integration (playbook client-release, calendar CH)
started 2026-03-02 by ana · 2 of 4 steps finished
variables: environment=staging

build Build and test (ready)
 #               Step                               Owner   Status   Due   Done
─────────────── ────────────────────────────────── ─────── ──────── ───── ────────────────
 kick-off        Kick-off meeting with the client   PL      done           2026-03-02 ana
 test-rounds     Test rounds with the client        PL      done           2026-03-02 ana
 release-notes   Release notes                      PL      ready
 go-live         Go-live                            PL      ready
"
    );
}

#[test]
fn a_completion_later_work_needed_is_refused_naming_that_work() {
    let mut ws = acme();
    ws.at("2026-03-02T11:00:00+01:00").ok(&["advance", "test-rounds"]);
    let files = ws.event_files("acme");
    let (kick_off, tests) = (&files[0], &files[1]);
    let before = ws.read_project("acme");
    assert_eq!(
        ws.at("2026-03-02T12:00:00+01:00").fails(&["retract", kick_off, "--reason", "wrong step"]),
        format!(
            "error: cannot retract `{kick_off}`: step `test-rounds` was completed after it and needed it\nhint: retract `{tests}` first\n"
        )
    );
    assert_eq!(ws.read_project("acme"), before, "nothing written");
    ws.ok(&["retract", tests, "--reason", "not tested yet"]);
    ws.ok(&["retract", kick_off, "--reason", "wrong step"]);
    let retraction = ws.event_files("acme").into_iter().find(|n| n.contains("-retract-kick-off-")).unwrap();
    assert_eq!(
        ws.fails(&["retract", &retraction, "--reason", "undo"]),
        format!(
            "error: event `{retraction}` is a retraction, and a retraction cannot be retracted\nhint: to make it count again, record the event again\n"
        )
    );
    assert_eq!(
        ws.fails(&["retract", kick_off, "--reason", "again"]),
        format!(
            "error: event `{kick_off}` is retracted already\nhint: `onboard log acme --ids` marks what was retracted\n"
        )
    );
    assert_eq!(
        ws.fails(&["retract", "acme", "2027", "--reason", "x"]),
        "error: project `acme` has no event `2027`\nhint: `onboard log acme --ids` shows every event's id; only a step's or a variable's event can be retracted\n"
    );
}

#[test]
fn by_default_it_takes_the_actors_latest_event_not_a_teammates() {
    let mut ws = acme();
    ws.at("2026-03-02T11:00:00+01:00").ok(&["advance", "test-rounds", "--repeat"]);
    ws.at("2026-03-02T11:30:00+01:00").ok(&["advance", "test-rounds", "--repeat", "--by", "bob"]);
    let run = ws.at("2026-03-02T12:00:00+01:00").ok(&["retract", "--reason", "mine was a mistake"]);
    assert_eq!(
        run.stderr,
        "Retracted the round of step `test-rounds` (ana, 2026-03-02T11:00:00+01:00) in `acme`.\nStep `test-rounds` is ready now.\n"
    );
    assert_eq!(
        ws.fails(&["retract", "--by", "carla", "--reason", "x"]),
        "error: `carla` has no event in `acme` that can be retracted\nhint: name one: `onboard log acme --ids` shows every event's id\n"
    );
}

#[test]
fn a_retraction_merges_with_concurrent_work_under_gits_own_merge() {
    // Ana retracts the base's completion of 3.2.1 while bob completes 3.3 (which needs
    // 3.1 only) and records a round of 3.2.2 (which needs 3.2.1): new files, merged
    // cleanly every way.
    let mut bob = every_way(
        &[(
            "2026-03-03T09:00:00-03:00",
            &[
                "retract",
                "coop",
                "20260302T130000Z-done-send-documentation",
                "--reason",
                "sent to the wrong address",
            ],
        )],
        &[
            (
                "2026-03-03T10:00:00-03:00",
                &[
                    "advance",
                    "coop",
                    "3.3",
                    "--set",
                    "cuenta_clearing=CL-7",
                    "--set",
                    "lista_blanca=2026-03-03",
                ],
            ),
            ("2026-03-03T10:30:00-03:00", &["advance", "coop", "3.2.2", "--repeat", "--note", "VPN pedida"]),
        ],
    );
    assert_eq!(step_json(&bob, "coop", "send-documentation")["status"], "ready");
    assert_eq!(step_json(&bob, "coop", "vpn-follow-up")["status"], "waiting");
    assert_eq!(step_json(&bob, "coop", "clearing-whitelist-follow-up")["done_by"], "bob");
    assert_eq!(
        crate::team::log_since_base(&bob, "coop"),
        " 2026-03-03 09:00   ana   retract            3.2.1   takes back the done of 2026-03-02 10:00; sent
 2026-03-03 10:00   bob   done               3.3     cuenta_clearing=CL-7; lista_blanca=2026-03-03
 2026-03-03 10:30   bob   round              3.2.2   VPN pedida
"
    );
    let log = bob.ws.ok(&["log", "coop"]).stdout;
    let line = log.lines().find(|l| l.contains("3.2.1")).unwrap();
    assert_eq!(line.trim_end(), " 2026-03-02 10:00   ana   done (retracted)   3.2.1");
    // 3.2.1 done again: bob's round now precedes the completion that made 3.2.2 ready.
    bob.ws.at("2026-03-03T11:00:00-03:00").ok(&["advance", "coop", "3.2.1"]);
    let json: serde_json::Value = serde_json::from_str(&bob.ws.run(&["doctor", "--json"]).stdout).unwrap();
    assert_eq!(
        json[0]["message"],
        "step 3.2.2 `vpn-follow-up`: the `round` by bob at 2026-03-03T10:30:00-03:00 precedes 2026-03-03T11:00:00-03:00, when the step became ready"
    );
}

#[test]
fn a_step_done_then_made_to_wait_by_a_reopen_upstream_was_ready_when_it_was_done() {
    let mut ws = acme();
    ws.at("2026-03-02T11:00:00+01:00").ok(&["advance", "test-rounds"]);
    ws.at("2026-03-02T12:00:00+01:00").ok(&["reopen", "kick-off", "--reason", "minutes missing"]);
    ws.at("2026-03-02T13:00:00+01:00").ok(&["advance", "kick-off"]);
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout.lines().last()),
        (
            0,
            Some(format!("No problems found in `{}` (1 project).", ws.path().join(".onboard").display()))
                .as_deref()
        )
    );
}

#[test]
fn at_before_a_steps_latest_event_or_a_later_set_is_refused() {
    let mut ws = acme();
    ws.at("2026-03-02T11:00:00+01:00").ok(&["advance", "test-rounds", "--repeat"]);
    ws.at("2026-03-02T12:00:00+01:00").ok(&["retract", "--reason", "stray"]);
    assert_eq!(
        ws.at("2026-03-02T13:00:00+01:00").fails(&[
            "advance",
            "test-rounds",
            "--at",
            "2026-03-02T11:30:00+01:00"
        ]),
        "error: cannot complete step `test-rounds` at 2026-03-02T11:30:00+01:00: its latest event, a `retract`, is at 2026-03-02T12:00:00+01:00\nhint: give an `--at` at or after 2026-03-02T12:00:00+01:00, or leave `--at` out to record it now\n"
    );
    ws.ok(&["set", "environment=production", "--reason", "moved"]);
    assert_eq!(
        ws.fails(&["set", "environment=qa", "--reason", "was qa", "--at", "2026-03-02T12:30:00+01:00"]),
        "error: cannot set `environment` at 2026-03-02T12:30:00+01:00: it was set later, at 2026-03-02T13:00:00+01:00, to `production`\nhint: the later value still holds; give an `--at` at or after 2026-03-02T13:00:00+01:00, or leave `--at` out to set it now\n"
    );
}

#[test]
fn a_clock_behind_the_project_warns_and_doctor_reports_work_before_its_step_was_ready() {
    let mut ws = acme();
    // A teammate's clock ran ahead: the kick-off is recorded at 10:00; this clock says 09:30.
    let run = ws.at("2026-03-02T09:30:00+01:00").ok(&["advance", "test-rounds"]);
    assert_eq!(
        run.stderr,
        "warning: the clock reads 2026-03-02T09:30:00+01:00, earlier than the latest event of `acme`, recorded at 2026-03-02T10:00:00+01:00; a clock is wrong (a teammate's running ahead, or `ONBOARD_NOW` set back)\nCompleted `test-rounds` in `acme`.\nReady now: `release-notes`, `go-live`\n"
    );
    let id = ws.event_files("acme").into_iter().find(|n| n.contains("-done-test-rounds-")).unwrap();
    let run = ws.run(&["doctor"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        format!(
            "acme: step `test-rounds`: the `done` by ana at 2026-03-02T09:30:00+01:00 precedes 2026-03-02T10:00:00+01:00, when the step became ready
  hint: if a clock was wrong, retract it (`onboard retract acme {id} --reason TEXT`) and record it again; an `--at` must be after the step became ready
1 problem found in `{}` (1 project).
",
            ws.path().join(".onboard").display()
        )
    );
    let json: serde_json::Value = serde_json::from_str(&ws.run(&["doctor", "--json"]).stdout).unwrap();
    assert_eq!(json[0]["kind"], "before-ready");
    assert!(run.stdout.contains(&id));
}

#[test]
fn the_actor_is_by_then_onboard_user_then_git_then_the_system_account_else_refused() {
    let ws = acme();
    ws.git_init();
    let minute = std::cell::Cell::new(10);
    let who = |env: &[(&str, &str)], args: &[&str]| {
        let mut all = vec!["set", "environment=qa", "--reason", "who"];
        all.extend_from_slice(args);
        // Each at its own minute, so that it is the log's last event.
        minute.set(minute.get() + 1);
        let now = format!("2026-03-02T11:{}:00+01:00", minute.get());
        let mut env = env.to_vec();
        env.push(("ONBOARD_NOW", &now));
        let run = ws.run_with(&env, &all);
        assert_eq!(run.code, 0, "{run:?}");
        let log = ws.run_with(&[("ONBOARD_NOW", &now)], &["log", "--json"]);
        let json: serde_json::Value = serde_json::from_str(&log.stdout).unwrap();
        json["events"].as_array().unwrap().last().unwrap()["by"].as_str().unwrap().to_string()
    };
    assert_eq!(who(&[("USER", "sysana")], &["--by", "Bea"]), "Bea");
    assert_eq!(who(&[("USER", "sysana")], &[]), "ana");
    assert_eq!(who(&[("ONBOARD_USER", ""), ("USER", "sysana")], &[]), "Ana Test");
    ws.git(&["config", "--unset", "user.name"]);
    assert_eq!(who(&[("ONBOARD_USER", " "), ("USER", "sysana")], &[]), "sysana");
    let run = ws.run_with(&[("ONBOARD_USER", "")], &["set", "environment=qa", "--reason", "who"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: cannot tell who makes this change: no `--by`, no `ONBOARD_USER`, no git `user.name` and no system account name\nhint: set `ONBOARD_USER` to your name (or pass `--by NAME`)\n"
    );
}

#[test]
fn an_old_single_file_shows_the_ids_its_conversion_gives_and_asks_for_migrate_first() {
    let mut ws = Workspace::initialized();
    ws.at("2026-03-23T09:00:00-03:00");
    fs::write(ws.project_file("coop-central"), include_str!("../fixtures/format-2-coop-central.yaml"))
        .unwrap();
    let versions = ws.path().join(".onboard/versions");
    fs::create_dir_all(&versions).unwrap();
    fs::write(
        versions.join("cooperative-767f7474146b.yaml"),
        include_str!("../fixtures/cooperative-767f7474146b.yaml"),
    )
    .unwrap();
    let before = ws.read_project("coop-central");
    assert_eq!(
        ws.fails(&["retract", "--reason", "stray"]),
        "error: project `coop-central` is a single file of an older format, whose events have no ids\nhint: `onboard migrate` converts it to a directory; then `onboard log coop-central --ids` shows the ids\n"
    );
    assert_eq!(ws.read_project("coop-central"), before, "nothing written");
    let ids = ws.run_with(&[("COLUMNS", "250")], &["log", "--ids"]).stdout;
    ws.ok(&["migrate"]);
    assert_eq!(
        ws.run_with(&[("COLUMNS", "250")], &["log", "--ids"]).stdout,
        ids,
        "the same ids once converted"
    );
    let last = ws.event_files("coop-central").into_iter().max().unwrap();
    assert!(ids.contains(&last), "{ids}");
    ws.ok(&["retract", "--reason", "stray"]);
}

#[test]
fn commit_says_what_was_retracted_and_why() {
    let mut ws = acme();
    ws.git_init();
    ws.git(&["add", ".onboard"]);
    ws.git(&["commit", "-q", "-m", "acme"]);
    ws.at("2026-03-02T11:00:00+01:00").ok(&["advance", "test-rounds", "--repeat", "--commit"]);
    ws.at("2026-03-02T11:05:00+01:00").ok(&["retract", "--reason", "stray Enter", "--commit"]);
    ws.at("2026-03-02T11:10:00+01:00").ok(&["set", "environment=prod", "--reason", "moved", "--commit"]);
    ws.at("2026-03-02T11:15:00+01:00").ok(&["retract", "--reason", "typo", "--commit"]);
    assert_eq!(
        ws.git(&["log", "--format=%s", "-n", "4"]),
        "onboard: acme: retracted set environment
onboard: acme: set environment
onboard: acme: retracted round of test-rounds
onboard: acme: round 1 of test-rounds
"
    );
    assert_eq!(ws.git(&["log", "-1", "--format=%b"]), "Value: prod\n\nReason: typo\n\nRecorded by ana.\n\n");
    assert_eq!(ws.git(&["status", "--porcelain"]), "", "every file it wrote is committed");
}
