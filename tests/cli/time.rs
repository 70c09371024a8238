//! Time as the documents mean it, beyond "due by": a date that stays put on a closed day,
//! a period to wait before a step (`not_before`, the `scheduled` status), work recorded
//! when it happened (`--at`), and late marks at their exact boundary.

use std::fs;

use crate::harness::*;

/// A workspace with the `hosting-suspension` team playbook and its project `acme`,
/// started on Monday 2 March 2026 with its cut-off date on Saturday 14 March.
fn suspension() -> Workspace {
    let mut ws = Workspace::initialized();
    fs::write(
        ws.path().join(".onboard/playbooks/hosting-suspension.yaml"),
        include_str!("../fixtures/hosting-suspension.yaml"),
    )
    .unwrap();
    ws.at("2026-03-02T09:00:00-05:00");
    let run = ws.ok(&["start", "hosting-suspension", "acme", "--set", "fecha_corte=2026-03-14"]);
    assert_eq!(
        run.stderr,
        "Started project `acme` from playbook `hosting-suspension` (3 steps).
Ready: `notice`
warning: `suspend` is due on 2026-03-14, a Saturday (weekend); the playbook keeps that date, it does not move to a business day
Wrote .onboard/projects/acme/project.yaml.
Next: `onboard status` shows the plan and its due dates; `onboard advance` completes `notice`.
"
    );
    ws
}

fn step(ws: &Workspace, id: &str) -> serde_json::Value {
    // `status --json` without a name is the portfolio: the only project, then its plan.
    let portfolio: serde_json::Value = serde_json::from_str(&ws.ok(&["status", "--json"]).stdout).unwrap();
    let name = portfolio["projects"][0]["project"].as_str().unwrap().to_string();
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["status", &name, "--json"]).stdout).unwrap();
    json["phases"][0]["steps"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap().clone()
}

#[test]
fn a_date_that_stays_put_keeps_its_saturday_and_set_warns_again() {
    let mut ws = suspension();
    assert_eq!(step(&ws, "suspend")["due"], "2026-03-14");
    ws.at("2026-03-03T09:00:00-05:00");
    let run = ws.ok(&["set", "fecha_corte=2026-03-22", "--reason", "el cliente pidió una semana"]);
    assert_eq!(
        run.stderr,
        "Set fecha_corte=2026-03-22 in `acme` (was 2026-03-14).
warning: `suspend` is due on 2026-03-22, a Sunday (weekend); the playbook keeps that date, it does not move to a business day
"
    );
    assert_eq!(step(&ws, "suspend")["due"], "2026-03-22");
    let run = ws.ok(&["set", "fecha_corte=2026-03-20", "--reason", "viernes"]);
    assert_eq!(run.stderr, "Set fecha_corte=2026-03-20 in `acme` (was 2026-03-22).\n");
}

#[test]
fn at_records_past_work_and_refuses_the_future_the_time_before_the_start_and_before_ready() {
    let mut ws = suspension();
    ws.at("2026-03-05T10:00:00-05:00");
    let before = ws.read_project("acme");
    assert_eq!(
        ws.fails(&["advance", "notice", "--at", "2026-03-06T10:00:00-05:00"]),
        "error: `--at 2026-03-06T10:00:00-05:00` is in the future (now is 2026-03-05T10:00:00-05:00)\nhint: `--at` records work that has already happened; leave it out to record it now\n"
    );
    assert_eq!(
        ws.fails(&["advance", "notice", "--at", "2026-03-01"]),
        "error: `--at 2026-03-01` is before project `acme` started (2026-03-02T09:00:00-05:00)\nhint: give an instant after the project's start\n"
    );
    assert_eq!(
        ws.fails(&["advance", "notice", "--at", "next tuesday"]),
        "error: `--at` is `next tuesday`, which is neither an RFC 3339 date-time (2026-03-02T09:30:00-03:00) nor a date (2026-03-02)\n"
    );
    assert_eq!(ws.read_project("acme"), before, "a refusal changes nothing");
    ws.ok(&["advance", "notice", "--at", "2026-03-04T16:00:00-05:00"]);
    assert_eq!(
        ws.fails(&["advance", "suspend", "--at", "2026-03-04T15:00:00-05:00"]),
        "error: cannot complete step `suspend` at 2026-03-04T15:00:00-05:00: it only became ready at 2026-03-04T16:00:00-05:00\nhint: give an `--at` after it became ready, or leave `--at` out to record it now\n"
    );
    let notice = step(&ws, "notice");
    assert_eq!((&notice["done_at"], &notice["late"]), (&"2026-03-04T16:00:00-05:00".into(), &false.into()));
    let done: Vec<String> =
        ws.event_files("acme").into_iter().filter(|n| n.contains("-done-notice-")).collect();
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!(
        fs::read_to_string(ws.project_dir("acme").join(&done[0])).unwrap(),
        "step: notice\nat: 2026-03-04T16:00:00-05:00\nby: ana\naction: done\ntool: onboard 0.1.0\nrecorded_at: 2026-03-05T10:00:00-05:00\n",
        "the history keeps the instant given and when it was recorded"
    );
}

#[test]
fn a_step_waits_scheduled_until_its_earliest_start_and_is_ready_on_it() {
    let mut ws = suspension();
    ws.at("2026-03-03T09:00:00-05:00").ok(&["advance", "notice"]);
    let run = ws.at("2026-03-14T18:00:00-05:00").ok(&["advance", "suspend"]);
    assert_eq!(
        run.stderr,
        "Completed `suspend` in `acme`.\nScheduled: `cancel` (ready on Mon 13 Apr 2026)\n"
    );
    ws.at("2026-04-12T23:59:59-05:00");
    let cancel = step(&ws, "cancel");
    assert_eq!((&cancel["status"], &cancel["not_before"]), (&"scheduled".into(), &"2026-04-13".into()));
    assert_eq!(cancel["reason"], "ready on Mon 13 Apr 2026");
    let before = ws.read_project("acme");
    assert_eq!(
        ws.fails(&["advance", "cancel"]),
        "error: cannot complete step `cancel` before Mon 13 Apr 2026 (30 calendar days after 2026-03-14)\nhint: it is scheduled; `onboard explain acme cancel` shows how the date was derived\n"
    );
    assert_eq!(
        ws.fails(&["advance"]),
        "error: no step of `acme` is ready\nhint: `cancel` is scheduled: ready on Mon 13 Apr 2026\n"
    );
    assert_eq!(ws.read_project("acme"), before, "a refusal changes nothing");
    assert_eq!(
        ws.ok(&["check"]).stdout,
        "Nothing is overdue or due soon.

Becoming ready:
 Project   What       Owner         Ready on          State
───────── ────────── ───────────── ───────────────── ──────────
 acme      `cancel`   FACTURACION   Mon 13 Apr 2026   in 1 day
"
    );
    assert_eq!(
        ws.ok(&["explain", "cancel"]).stdout,
        "`cancel`: Cancelar la cuenta
rule: not before 30 days after suspend.done («Suspendido por 30 días, después de este tiempo pasará
  a Cancelación»)
calendar: CO (Colombia, America/Bogota), business hours 09:00-18:00 (default), holidays from python
  holidays 0.109 (2020-2040)
anchor: 2026-03-14T18:00:00-05:00, when `suspend` was completed
count: 30 calendar days after 2026-03-14
skipped: none, every day counts
ready from: Mon 13 Apr 2026; scheduled until then
no time limit: the playbook gives it none
"
    );
    ws.at("2026-04-13T00:00:00-05:00");
    let cancel = step(&ws, "cancel");
    assert_eq!((&cancel["status"], &cancel["not_before"]), (&"ready".into(), &"2026-04-13".into()));
    ws.ok(&["advance", "cancel"]);
    assert_eq!(step(&ws, "cancel")["not_before"], serde_json::Value::Null, "done work waits for nothing");
}

#[test]
fn late_is_false_at_the_last_second_and_true_at_the_next() {
    let mut on_time = suspension();
    on_time.at("2026-03-04T23:59:59-05:00").ok(&["advance", "notice"]);
    let notice = step(&on_time, "notice");
    assert_eq!((&notice["late"], &notice["late_by"]), (&false.into(), &serde_json::Value::Null));
    let mut late = suspension();
    late.at("2026-03-05T00:00:00-05:00").ok(&["advance", "notice"]);
    let notice = step(&late, "notice");
    assert_eq!((&notice["late"], &notice["late_by"]), (&true.into(), &"1 business day".into()));
    assert_eq!(step(&late, "cancel")["late"], serde_json::Value::Null, "no due, no late mark");
    let status = late.ok(&["status"]).stdout;
    assert_expected("late-notice-status.txt", &status);
}

#[test]
fn a_firm_due_date_on_a_sunday_stays_on_that_sunday() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "change-request", "cr-128"]);
    let approval = ["--set", "approved_by=Amardeep", "--set", "approved_via=mail"];
    let steps: [(&str, &[&str]); 11] = [
        ("1", &[]),
        ("2", &[]),
        ("3", &approval),
        ("4", &["--set", "cr_document=https://wiki.example.com/cr/128"]),
        ("5", &[]),
        ("5.1", &["--set", "effort_person_days=12"]),
        ("6", &["--set", "cost=4800"]),
        ("7", &approval),
        ("8", &["--set", "approved_by=Rahul Mehta (Acme Retail)"]),
        ("9", &["--set", "jira_cr=https://jira.example.com/browse/CR-128"]),
        ("9.1", &[]),
    ];
    for (number, values) in steps {
        ws.ok(&[&["advance", number][..], values].concat());
    }
    let run = ws.ok(&["advance", "10.1", "--set", "due_date=2027-02-28"]);
    assert_eq!(
        run.stderr,
        "Completed 10.1 `assessment` in `cr-128`.
warning: 10.9 `go-live` is due on 2027-02-28, a Sunday (weekend); the playbook keeps that date, it does not move to a business day
Ready now: 10.2 `api-document`
",
        "recording the firm date warns as `set` does"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "cr-128", "--json"]).stdout).unwrap();
    let go_live = &json["phases"][3]["steps"][10];
    // Sunday 28 February 2027: not Friday 26 February, the business day before.
    assert_eq!((&go_live["id"], &go_live["due"]), (&"go-live".into(), &"2027-02-28".into()));
}
