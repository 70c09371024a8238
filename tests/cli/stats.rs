//! `onboard stats`: flow metrics over histories built through the command line at known
//! instants, so that every duration, rate and time lost is known: text, Markdown and
//! JSON, the filters, a support request's service levels, and an empty history.

use std::fs;

use super::{Workspace, assert_expected};

/// Five laptops for new hires, started Monday 2 March 2026 (`PY`), and a sixth started
/// Monday 6 April. The order is due 2 business days after the start (Wednesday 4), the
/// set-up 2 after the order, phase 1 5 after it starts (Monday 9).
///
/// | project | order done | set-up done | set-up took | waited | late |
/// | ------- | ---------- | ----------- | ----------- | ------ | ---- |
/// | p1      | Mon 2      | Wed 4       | 2           | 0      | 0    |
/// | p2      | Tue 3      | Fri 6       | 3           | 1      | 1    |
/// | p3      | Tue 3      | Mon 9       | 4           | 1      | 2    |
/// | p4      | Wed 4      | Wed 11      | 5           | 2      | 3    |
/// | p5      | Mon 2      | Tue 10      | 6           | 0      | 4    |
///
/// p1 is handed over on Thursday 5 and archived, p2 on Monday 9; p6's order is 2
/// business days overdue on Friday 10 April, the clock the workspace is left at.
fn laptops() -> Workspace {
    let mut ws = Workspace::initialized();
    fs::write(
        ws.path().join(".onboard/playbooks/laptop-handover.yaml"),
        include_str!("../fixtures/laptop-handover.yaml"),
    )
    .unwrap();
    let plan =
        [("p1", "02", "04"), ("p2", "03", "06"), ("p3", "03", "09"), ("p4", "04", "11"), ("p5", "02", "10")];
    for (project, _, _) in plan {
        ws.ok(&["start", "laptop-handover", project]);
    }
    ws.at("2026-03-20T12:00:00-03:00");
    for (project, order, setup) in plan {
        ws.ok(&["advance", project, "order", "--at", &format!("2026-03-{order}T11:00:00-03:00")]);
        ws.ok(&["advance", project, "setup", "--at", &format!("2026-03-{setup}T15:00:00-03:00")]);
    }
    ws.ok(&["advance", "p1", "hand-over", "--at", "2026-03-05T10:00:00-03:00"]);
    ws.ok(&["advance", "p2", "hand-over", "--at", "2026-03-09T10:00:00-03:00"]);
    ws.ok(&["archive", "p1"]);
    ws.at("2026-04-06T09:00:00-03:00").ok(&["start", "laptop-handover", "p6"]);
    ws.at("2026-04-10T12:00:00-03:00");
    ws
}

#[test]
fn five_histories_give_each_steps_median_p85_on_time_rate_and_the_time_lost() {
    let ws = laptops();
    let run = ws.ok(&["stats"]);
    assert_eq!(run.stderr, "");
    assert_expected("stats.txt", &run.stdout);
    // Set-up took 2, 3, 4, 5 and 6 business days: median 4, P85 (rank 5 of 5) 6.
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["stats", "--json"]).stdout).unwrap();
    let setup = &json["steps"][2];
    assert_eq!(
        (setup["id"].as_str(), setup["median"].as_f64(), setup["p85"].as_u64()),
        (Some("setup"), Some(4.0), Some(6))
    );
    assert_eq!(setup["waited_median"], 1.0);
    assert_eq!(setup["on_time"], serde_json::json!({"on_time": 1, "finished": 5, "rate": 0.2}));
    assert_eq!(json["projects"], 6, "the archived p1 counts");
    let lost: Vec<(&str, f64)> = json["bottlenecks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["id"].as_str().unwrap(), b["lost_business_days"].as_f64().unwrap()))
        .collect();
    assert_eq!(lost, [("setup", 10.0), ("prepare", 3.0), ("order", 2.0)]);
    assert_expected("stats.json", &ws.ok(&["stats", "--json"]).stdout);
}

#[test]
fn markdown_has_the_same_sections_and_a_narrow_terminal_stacks_the_tables() {
    let ws = laptops();
    assert_expected("stats.md", &ws.ok(&["stats", "--markdown"]).stdout);
    let run = ws.run(&["stats", "--markdown", "--json"]);
    assert_eq!(run.code, 2, "{run:?}");
    let narrow = ws.run_with(&[("COLUMNS", "60")], &["stats"]);
    assert_eq!(narrow.code, 0, "{narrow:?}");
    assert!(narrow.stdout.lines().all(|line| line.chars().count() <= 60), "{}", narrow.stdout);
    assert_expected("stats-60.txt", &narrow.stdout);
}

#[test]
fn since_and_until_keep_the_days_in_between_both_included() {
    let ws = laptops();
    let json = |args: &[&str]| -> serde_json::Value { serde_json::from_str(&ws.ok(args).stdout).unwrap() };
    let counts = |stats: &serde_json::Value| -> Vec<(String, u64)> {
        let steps = stats["steps"].as_array().unwrap();
        steps
            .iter()
            .map(|s| (s["id"].as_str().unwrap().to_string(), s["finished"].as_u64().unwrap()))
            .collect()
    };
    // Up to Friday 6 March: every order, p1's and p2's set-up and phase 1, p1's hand-over.
    let until = json(&["stats", "--until", "2026-03-06", "--json"]);
    let expected = [("prepare", 2), ("order", 5), ("setup", 2), ("delivery", 1), ("hand-over", 1)];
    assert_eq!(counts(&until), expected.map(|(id, n)| (id.to_string(), n)));
    assert_eq!(
        until["months"][0],
        serde_json::json!({
            "month": "2026-03", "started": 5, "finished": 1, "throughput": 8,
            "on_time": {"on_time": 8, "finished": 9, "rate": 0.8889}
        })
    );
    // From Friday 6 March to Monday 9: the set-ups of p2 and p3, p2's hand-over.
    let between = json(&["stats", "--since", "2026-03-06", "--until", "2026-03-09", "--json"]);
    let expected = [("prepare", 2), ("setup", 2), ("delivery", 1), ("hand-over", 1)];
    assert_eq!(counts(&between), expected.map(|(id, n)| (id.to_string(), n)));
    assert_eq!(between["months"].as_array().unwrap().len(), 1);
    // April alone: p6 started, nothing finished.
    let april = ws.ok(&["stats", "--since", "2026-04-01"]);
    assert_eq!(april.stdout, "No finished work yet: statistics need at least one finished step.\n");
}

#[test]
fn bad_dates_are_refused_with_what_to_give() {
    let ws = laptops();
    assert_eq!(
        ws.fails(&["stats", "--since", "2026-03-32"]),
        "error: `--since` is `2026-03-32`, which is neither an RFC 3339 date-time (2026-03-02T09:30:00-03:00) nor a date (2026-03-02)\n"
    );
    assert_eq!(
        ws.fails(&["stats", "--until", "2026-03-06T18:00:00-03:00"]),
        "error: `--until 2026-03-06T18:00:00-03:00` is an instant; statistics count whole days\nhint: give a date, such as `--until 2026-03-06`\n"
    );
    assert_eq!(
        ws.fails(&["stats", "--since", "2026-03-09", "--until", "2026-03-06"]),
        "error: `--since 2026-03-09` is after `--until 2026-03-06`\nhint: give the earlier day to `--since` and the later one to `--until`; both days are included\n"
    );
}

#[test]
fn owner_and_playbook_filter_the_work_and_a_typo_is_an_error() {
    let ws = laptops();
    let people = ws.ok(&["stats", "--owner", "people team"]).stdout;
    assert_eq!(
        people,
        "\
2 phases and steps finished in 6 projects of playbook laptop-handover. Median and P85: from ready to
  done; waiting: from the phase's start to ready (medians).

Phases and steps:
 Phase or step     Finished   Unit            Median   P85   Waiting   On time
───────────────── ────────── ─────────────── ──────── ───── ───────── ─────────
 2.1 `hand-over`   2          business days   1        1     0

Roles:
 Role     Finished   On time   Open now   Overdue now
──────── ────────── ───────── ────────── ─────────────
 PEOPLE   2                    3          0

Months:
 Month     Started   Finished   Steps finished   On time
───────── ───────── ────────── ──────────────── ─────────
 2026-03   5         2          2
 2026-04   1         0          0

Bottlenecks: no time lost to lateness.
"
    );
    assert_eq!(
        ws.fails(&["stats", "--owner", "peeple"]),
        "error: `--owner peeple`: no project's playbook has this role\nhint: did you mean `PEOPLE`?\n"
    );
    assert!(
        ws.fails(&["stats", "--playbook", "laptop"])
            .starts_with("error: `--playbook laptop`: there is no such playbook\n")
    );
    // A playbook no project follows: nothing finished.
    assert_eq!(
        ws.ok(&["stats", "--playbook", "cooperative"]).stdout,
        "No finished work yet: statistics need at least one finished step.\n"
    );
}

#[test]
fn a_support_requests_compliance_is_told_apart_by_criticality_and_service() {
    let mut ws = Workspace::initialized();
    // Diagnosed at 10:00 each (CO, business hours 08:00-17:00): an `alto` incident is
    // due 4 business hours later, a `medio` one under 7x24 48 hours later.
    let tickets = [
        ("t1", "alto", "business", "2026-03-02T13:00:00-05:00"),
        ("t2", "alto", "business", "2026-03-02T16:00:00-05:00"),
        ("t3", "medio", "7x24", "2026-03-03T10:00:00-05:00"),
    ];
    for (ticket, criticality, service, answered) in tickets {
        ws.at("2026-03-02T09:00:00-05:00");
        let service = format!("service={service}");
        ws.ok(&["start", "support-request", ticket, "--set", &service]);
        ws.at("2026-03-04T09:00:00-05:00");
        let at = |time: &str| format!("2026-03-02T{time}:00-05:00");
        ws.ok(&["advance", ticket, "client-request", "--at", &at("09:05")]);
        ws.ok(&["advance", ticket, "register", "--set", "consecutivo=1", "--at", &at("09:30")]);
        let criticality = format!("criticality={criticality}");
        ws.ok(&[
            "advance",
            ticket,
            "diagnosis",
            "--set",
            "type=incidente",
            "--set",
            &criticality,
            "--set",
            "decision=continuar",
            "--at",
            &at("10:00"),
        ]);
        ws.ok(&[
            "advance",
            ticket,
            "incident-response",
            "--set",
            "tiempo_solucion=un día",
            "--set",
            "fecha_entrega=2026-03-10",
            "--at",
            answered,
        ]);
    }
    let run = ws.ok(&["stats", "--playbook", "support-request"]);
    let levels = run.stdout.split_once("\nService levels:\n").expect("a service-level section").1;
    assert_eq!(
        levels.lines().collect::<Vec<_>>(),
        [
            " Phase or step         Values                               On time",
            "───────────────────── ──────────────────────────────────── ────────────────",
            " `incident-response`   criticality=alto, service=business   50 % (1 of 2)",
            " `incident-response`   criticality=medio, service=7x24      100 % (1 of 1)",
        ]
    );
    // t2 answered 2 business hours late: 2 of the 9 hours of a business day.
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["stats", "--json"]).stdout).unwrap();
    assert_eq!(json["bottlenecks"][0]["id"], "incident-response");
    assert_eq!(json["bottlenecks"][0]["lost_business_days"], 0.22);
    let values = &json["service_levels"][0]["values"];
    assert_eq!(
        *values,
        serde_json::json!([{"variable": "criticality", "value": "alto"}, {"variable": "service", "value": "business"}])
    );
}

#[test]
fn an_empty_history_says_so_and_an_unreadable_project_exits_2_after_the_rest() {
    let ws = Workspace::initialized();
    assert_eq!(
        ws.ok(&["stats"]).stdout,
        format!(
            "No projects yet in `{}`: `onboard start PLAYBOOK NAME` starts one.\n",
            ws.path().join(".onboard").display()
        )
    );
    ws.ok(&["start", "cooperative", "coop-central"]);
    ws.ok(&["start", "cooperative", "coop-sur"]);
    let empty = "No finished work yet: statistics need at least one finished step.\n";
    assert_eq!(ws.ok(&["stats"]).stdout, empty);
    assert_eq!(ws.ok(&["stats", "--markdown"]).stdout, format!("# Statistics\n\n{empty}"));
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["stats", "--json"]).stdout).unwrap();
    assert_eq!(json["steps"], serde_json::json!([]));
    assert_eq!(json["projects"], 2);
    ws.ok(&["advance", "coop-central", "I"]);
    ws.conflicted("coop-sur");
    let run = ws.run(&["stats"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stdout.starts_with("1 phase or step finished in 1 project of playbook cooperative."),
        "{}",
        run.stdout
    );
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(run.stderr.contains("coop-sur"), "{}", run.stderr);
}
