//! Everyday use across a portfolio: `next` (ready work, most urgent first, by role or
//! person), `log` as the team's activity, project names that suggest the one meant,
//! hints that paste as they are, empty states and their exit codes.

use std::fs;

use crate::harness::*;

/// Three projects of three playbooks, in three time zones, with work recorded by ana
/// and bea: `opera` (data-import, Lausanne), `coop-central` (cooperative, Asunción),
/// `ticket-481` (support-request, Bogotá).
fn team_portfolio() -> Workspace {
    let mut ws = Workspace::initialized();
    ws.at("2026-03-02T09:00:00-03:00").ok(&["start", "cooperative", "coop-central"]);
    ws.at("2026-03-02T09:00:00+01:00").ok(&["start", "data-import", "opera", "--set", "J=2026-04-20"]);
    ws.at("2026-03-02T16:00:00-05:00").ok(&["start", "support-request", "ticket-481"]);
    ws.at("2026-03-02T16:30:00-05:00").ok(&["advance", "ticket-481", "client-request"]);
    ws.at("2026-03-03T10:00:00-03:00").ok(&["advance", "coop-central", "I"]);
    ws.user = "bea".into();
    ws.at("2026-03-04T11:00:00+01:00").ok(&[
        "advance",
        "opera",
        "1",
        "--set",
        "data_to_migrate=contacts",
        "--note",
        "kick-off held",
    ]);
    ws.at("2026-03-05T11:00:00+01:00").ok(&["advance", "opera", "2"]);
    ws.user = "ana".into();
    ws.at("2026-04-09T10:00:00+02:00");
    ws
}

#[test]
fn next_lists_ready_work_across_projects_overdue_first_then_by_due_date() {
    let ws = team_portfolio();
    let run = ws.ok(&["next"]);
    assert_eq!(run.stderr, "");
    assert_expected("next.txt", &run.stdout);
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["next", "--json"]).stdout).unwrap();
    let rows: Vec<(&str, &str, bool)> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (s["project"].as_str().unwrap(), s["label"].as_str().unwrap(), s["overdue"].as_bool().unwrap())
        })
        .collect();
    assert_eq!(
        rows,
        [("opera", "3", true), ("coop-central", "1.1", false), ("ticket-481", "register", false)]
    );
    assert_eq!(json["steps"][0]["left"], "overdue by 3 business days");
    assert_eq!(json["steps"][0]["overdue_by"], serde_json::json!({"amount": 3, "unit": "business_days"}));
    assert_eq!(json["errors"], serde_json::json!([]));
}

#[test]
fn next_by_role_or_for_the_acting_person_from_people_yaml() {
    let ws = team_portfolio();
    let only = |args: &[&str]| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(&ws.ok(args).stdout).unwrap();
        json["steps"].as_array().unwrap().iter().map(|s| s["project"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(only(&["next", "--owner", "customer", "--json"]), ["opera"]);
    // Without `people.yaml`, `--me` says how to map people to roles.
    assert_eq!(
        ws.fails(&["next", "--me"]),
        format!(
            "error: `--me` needs to know which roles `ana` plays, and there is no `{}`\nhint: list each person's roles in it, one line each (`ana: [ANALYST]`), or use `--owner ROLE`; `--by NAME` says who you are\n",
            ws.path().join(".onboard/people.yaml").display()
        )
    );
    fs::write(ws.path().join(".onboard/people.yaml"), "ana: [ENTIDADES, consultor]\nBea: CUSTOMER\n")
        .unwrap();
    assert_eq!(only(&["next", "--me", "--json"]), ["coop-central", "ticket-481"]);
    // Who "me" is: `--by`, as for every command; names match in any case.
    assert_eq!(only(&["next", "--me", "--by", "bea", "--json"]), ["opera"]);
    assert_eq!(
        ws.fails(&["next", "--me", "--by", "bear"]),
        format!(
            "error: `bear` has no roles in `{}`\nhint: did you mean `Bea`? (`--by NAME` says who you are)\n",
            ws.path().join(".onboard/people.yaml").display()
        )
    );
    let run = ws.ok(&["next", "--owner", "sistemas"]);
    assert_eq!(run.stdout, "Nothing is ready for `sistemas`.\n");
}

#[test]
fn log_without_a_project_is_the_portfolio_activity_newest_first_with_filters() {
    let ws = team_portfolio();
    assert_expected("activity.txt", &ws.ok(&["log"]).stdout);
    let events = |args: &[&str]| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(&ws.ok(args).stdout).unwrap();
        json["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!("{} {} {} {}", e["project"].as_str().unwrap(), e["by"], e["action"], e["number"])
            })
            .collect()
    };
    assert_eq!(
        events(&["log", "--json", "--actor", "BEA"]),
        ["opera \"bea\" \"done\" \"2\"", "opera \"bea\" \"done\" \"1\""]
    );
    // A date is midnight in each project's zone; `--until` a date takes that whole day.
    assert_eq!(
        events(&["log", "--json", "--since", "2026-03-03", "--until", "2026-03-04"]),
        ["opera \"bea\" \"done\" \"1\"", "coop-central \"ana\" \"done\" \"I\""]
    );
    assert_eq!(
        events(&["log", "--json", "--until", "2026-03-02T16:30:00-05:00", "--limit", "1"]),
        ["ticket-481 \"ana\" \"done\" null"]
    );
    assert_eq!(
        events(&["log", "--json", "--project", "ticket-481", "--project", "opera", "--limit", "2"]),
        ["opera \"bea\" \"done\" \"2\"", "opera \"bea\" \"done\" \"1\""]
    );
    // One project named: its trail, oldest first, filtered the same way.
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["log", "opera", "--json", "--actor", "bea", "--limit", "1"]).stdout)
            .unwrap();
    assert_eq!(json["events"].as_array().unwrap().len(), 1);
    assert_eq!(json["events"][0]["number"], "2");
    assert_eq!(ws.ok(&["log", "--actor", "carla"]).stdout, "No events match.\n");
    assert_eq!(
        ws.fails(&["log", "--since", "2026-03-05", "--until", "2026-03-01"]),
        "error: `--since 2026-03-05` is not before `--until 2026-03-01`\nhint: give the earlier instant to `--since` and the later one to `--until`\n"
    );
    // `--by` says who records a change: on `log` it is refused, not ignored.
    assert_eq!(
        ws.fails(&["log", "--by", "bea"]),
        "error: `--by` says who records a change, and `log` records none\nhint: `onboard log --actor NAME` shows the events NAME recorded\n"
    );
}

#[test]
fn a_mistyped_project_suggests_the_name_meant() {
    let ws = team_portfolio();
    let expected = |verb: &str| {
        format!(
            "error: {verb}no project `oprea` in `{}`\nhint: did you mean `opera`?\n",
            ws.path().join(".onboard").display()
        )
    };
    assert_eq!(ws.fails(&["status", "oprea"]), expected(""));
    // Alone, a likely typo of a project's name is taken as the project, not as a step.
    assert_eq!(ws.fails(&["advance", "oprea"]), expected(""));
    assert_eq!(ws.fails(&["log", "oprea"]), expected(""));
}

#[test]
fn hints_name_the_project_so_that_they_paste_as_they_are() {
    let ws = team_portfolio();
    let refused = ws.fails(&["advance", "coop-central", "I"]);
    let hint = refused.lines().find_map(|l| l.strip_prefix("hint: ")).unwrap();
    assert_eq!(hint, "`onboard reopen coop-central schedule-meeting --reason TEXT` undoes it");
    // The command in the hint, pasted, works.
    let pasted: Vec<&str> = hint.split('`').nth(1).unwrap().split(' ').skip(1).collect();
    let mut pasted: Vec<&str> = pasted.into_iter().filter(|w| *w != "TEXT").collect();
    pasted.push("met twice");
    assert_eq!(ws.ok(&pasted).stderr, "Reopened I `schedule-meeting` in `coop-central`.\n");
}

#[test]
fn with_no_projects_every_portfolio_view_says_how_to_start_and_exits_0() {
    let ws = Workspace::initialized();
    let empty = format!(
        "No projects yet in `{}`: `onboard start PLAYBOOK NAME` starts one.\n",
        ws.path().join(".onboard").display()
    );
    for args in [&["status"][..], &["check"], &["next"], &["log"]] {
        let run = ws.run(args);
        assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, empty.as_str(), ""), "{args:?}");
    }
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["status", "--json"]).stdout).unwrap();
    assert_eq!(json, serde_json::json!({"projects": [], "errors": []}));
}

#[test]
fn status_json_without_a_name_is_the_portfolio_even_with_one_project() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["status", "--json"]).stdout).unwrap();
    assert_eq!(json["projects"][0]["project"], "coop-central");
    assert_eq!(json["projects"].as_array().unwrap().len(), 1);
    let one: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "coop-central", "--json"]).stdout).unwrap();
    assert_eq!(one["project"], "coop-central", "a project named keeps the one-project shape");
}

#[test]
fn an_hour_rule_late_by_days_of_business_hours_says_business_days() {
    let mut ws = Workspace::initialized();
    ws.at("2026-03-02T16:00:00-05:00").ok(&["start", "support-request", "ticket-481"]);
    ws.at("2026-03-02T16:30:00-05:00").ok(&["advance", "ticket-481", "client-request"]);
    ws.at("2026-03-02T17:00:00-05:00").ok(&["advance", "ticket-481", "register", "--set", "consecutivo=481"]);
    ws.at("2026-04-09T10:00:00-05:00");
    let json: serde_json::Value = serde_json::from_str(&ws.ok_or_1(&["check", "--json"])).unwrap();
    let finding = &json["findings"][0];
    assert_eq!(finding["left"], "overdue by 24 business days");
    assert_eq!(finding["overdue_by"]["unit"], "business_minutes");
    assert!(!ws.ok_or_1(&["check"]).contains(" h in"), "no hours counted past a business day");
}
