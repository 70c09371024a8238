//! `onboard forecast`: histories built through the CLI with known durations, the
//! forecast they give (text and JSON, exact), the fallback when history is short, the
//! same output for the same seed, exit codes, and `--as-of`.

use std::fs;

use crate::harness::{Workspace, assert_expected};

/// The team's go-live playbook (tests/fixtures/go-live.yaml): deliver the data (J-14),
/// import it in pre-production (J-7), an optional second extraction (J-1), production (J),
/// in sequence, on the CH calendar.
fn go_live() -> Workspace {
    let ws = Workspace::initialized();
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), include_str!("../fixtures/go-live.yaml"))
        .unwrap();
    ws
}

/// The business days of January 2026 from Monday 5 on: `DAYS[n]` is the nth after it.
const DAYS: [&str; 12] = ["05", "06", "07", "08", "09", "12", "13", "14", "15", "16", "19", "20"];

/// Finished projects `old1`, `old2`, … started Monday 5 January 2026 at 09:00, whose
/// data came `took[i]` business days later; the import in pre-production a business day
/// after that, the second extraction skipped, production two business days later.
fn finished(ws: &mut Workspace, took: &[usize]) {
    finished_in(ws, &[], took);
}

/// `finished`, in the state directory `dir` gives (`["--dir", …]`, or none).
fn finished_in(ws: &mut Workspace, dir: &[&str], took: &[usize]) {
    for (i, days) in took.iter().enumerate() {
        let name = format!("old{}", i + 1);
        let on = |n: usize| format!("2026-01-{}T09:00:00+01:00", DAYS[n]);
        let with = |args: &[&str]| -> Vec<String> {
            dir.iter().chain(args).map(std::string::ToString::to_string).collect()
        };
        let run = |ws: &Workspace, args: &[&str]| {
            let args = with(args);
            ws.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        };
        run(ws.at(&on(0)), &["start", "go-live", &name, "--set", "J=2026-02-20"]);
        run(ws.at(&on(*days)), &["advance", &name, "deliver-data"]);
        run(ws.at(&on(days + 1)), &["advance", &name, "preprod-import"]);
        run(ws, &["skip", &name, "second-extraction", "--reason", "not needed"]);
        run(ws.at(&on(days + 3)), &["advance", &name, "production-import"]);
    }
}

/// Five finished projects whose data came after 2, 3, 4, 5 and 6 business days, and
/// `opera`, started Monday 2 March 2026 with its go-live J on 20 April; seen then.
fn history() -> Workspace {
    let mut ws = go_live();
    finished(&mut ws, &[2, 3, 4, 5, 6]);
    ws.at("2026-03-02T09:00:00+01:00").ok(&["start", "go-live", "opera", "--set", "J=2026-04-20"]);
    ws
}

#[test]
fn a_tight_go_live_is_at_risk_and_listed_first() {
    let ws = history();
    // J on Friday 20 March: the data is due at J-14, Friday 6 March, which the data
    // arriving after 2, 3 or 4 business days meets (three fifths of the trials); the
    // project ends by J in every trial (Friday 13 at the latest).
    ws.ok(&["start", "go-live", "lyon", "--set", "J=2026-03-20"]);
    let run = ws.ok(&["forecast"]);
    assert_expected("forecast-at-risk.txt", &run.stdout);
    assert!(run.stdout.starts_with("lyon (go-live)"), "{}", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["forecast", "--json"]).stdout).unwrap();
    let limit = &json["projects"][0]["limits"][0];
    assert_eq!(
        (&limit["id"], &limit["due"], &limit["due_known"]),
        (&"deliver-data".into(), &"2026-03-06".into(), &true.into())
    );
    let met = limit["met"].as_u64().unwrap();
    assert!((540..660).contains(&met), "about three fifths of 1000: {met}");
    assert_eq!(json["projects"][0]["milestones"][0]["probability"], 1.0);
    // Another seed draws other trials: the share moves, the dates this clear-cut do not.
    let other: serde_json::Value =
        serde_json::from_str(&ws.ok(&["forecast", "--json", "--seed", "2"]).stdout).unwrap();
    assert_ne!(other["projects"][0]["limits"][0]["met"], limit["met"]);
    assert_eq!(other["projects"][0]["end"], json["projects"][0]["end"]);
    // `--owner`: only the customer's steps and limits, in the projects where it has some.
    let owned = ws.ok(&["forecast", "--owner", "customer"]).stdout;
    assert_expected("forecast-owner-customer.txt", &owned);
}

#[test]
fn five_finished_projects_forecast_an_open_one_from_what_their_steps_took() {
    let ws = history();
    // The data: 2 to 6 business days after Monday 2 March, a fifth of the trials each:
    // the median is 4 (Friday 6), the 85th percentile 6 (Tuesday 10); pre-production a
    // day later, production two more: Wednesday 11 and Friday 13.
    let run = ws.ok(&["forecast"]);
    assert_eq!(run.stderr, "");
    assert_expected("forecast-history.txt", &run.stdout);
    let json = ws.ok(&["forecast", "--json"]);
    assert_expected("forecast-history.json", &json.stdout);
    // The same seed, history and clock: the same bytes; the seed is what the output names.
    assert_eq!(ws.ok(&["forecast", "--seed", "1"]).stdout, run.stdout);
    assert_eq!(ws.ok(&["forecast", "--json", "--trials", "1000"]).stdout, json.stdout);
    let other = ws.ok(&["forecast", "--seed", "7"]).stdout;
    assert!(other.contains("1000 trials, seed 7;"), "{other}");
    assert_eq!(other.replace("seed 7", "seed 1"), run.stdout, "percentiles this clear-cut hold for any seed");
    // Named, the project alone; finished projects have nothing to forecast.
    assert_eq!(ws.ok(&["forecast", "opera"]).stdout, run.stdout);
    assert_eq!(ws.ok(&["forecast", "old1"]).stdout, "No open project to forecast.\n");
}

#[test]
fn with_fewer_than_five_samples_a_step_takes_its_window_and_says_so() {
    let mut ws = go_live();
    finished(&mut ws, &[2, 3, 4]);
    ws.at("2026-03-02T09:00:00+01:00").ok(&["start", "go-live", "opera", "--set", "J=2026-04-20"]);
    let run = ws.ok(&["forecast"]);
    assert_expected("forecast-window.txt", &run.stdout);
    assert!(run.stdout.contains("its window: 3 samples, fewer than 5"), "{}", run.stdout);
}

#[test]
fn a_narrow_terminal_stacks_each_row() {
    let ws = history();
    let run = ws.run_with(&[("COLUMNS", "60")], &["forecast"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.lines().all(|line| line.chars().count() <= 60), "{}", run.stdout);
    assert_expected("forecast-narrow.txt", &run.stdout);
}

#[test]
fn an_unreadable_project_is_reported_after_the_forecasts_and_exits_2() {
    let ws = history();
    ws.ok(&["start", "go-live", "broken", "--set", "J=2026-05-04"]);
    let (path, line) = ws.conflicted("broken");
    let run = ws.run(&["forecast"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("opera (go-live): ends 2026-03-11 (P50), 2026-03-13 (P85)\n"),
        "{}",
        run.stdout
    );
    let said = format!("error: `{}` has an unresolved merge conflict at line {line}\n", path.display());
    assert!(run.stderr.starts_with(&said), "{}", run.stderr);
    let json = ws.run(&["forecast", "--json"]);
    assert_eq!(json.code, 2);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["errors"][0]["project"], "broken");
    assert_eq!(value["projects"][0]["project"], "opera");
}

#[test]
fn as_of_a_past_instant_forecasts_from_the_history_there_was() {
    let mut ws = history();
    // On 9 January no project had finished: no samples, every step its window.
    ws.at("2026-01-09T12:00:00+01:00");
    let run = ws.ok(&["forecast", "--as-of", "2026-01-09T12:00:00+01:00", "old1"]);
    assert_eq!(
        run.stderr,
        "As of 2026-01-09T12:00:00+01:00: projects as recorded then, due dates judged then.\n"
    );
    assert_expected("forecast-as-of-no-samples.txt", &run.stdout);
    ws.at("2026-03-02T09:00:00+01:00");
    let now = ws.ok(&["forecast", "--as-of", "2026-03-02T09:00:00+01:00"]).stdout;
    assert_eq!(now, ws.ok(&["forecast"]).stdout);
}

#[test]
fn an_empty_portfolio_has_nothing_to_forecast_and_bad_flags_are_refused() {
    let ws = go_live();
    assert_eq!(ws.ok(&["forecast"]).stdout, "No open project to forecast.\n");
    let json = ws.ok(&["forecast", "--json"]).stdout;
    assert_eq!(json, "{\n  \"projects\": [],\n  \"errors\": []\n}\n");
    let refused = ws.run(&["forecast", "--trials", "0"]);
    assert_eq!(refused.code, 2);
    assert_expected("forecast-trials-0.txt", &refused.stderr);
}

#[test]
fn steps_whose_condition_is_undecided_are_forecast_as_applying_and_marked() {
    let ws = Workspace::initialized();
    // Whether the payment comes decides between reactivation and cancellation: until
    // then both are forecast, and say so. No history: every step says what it used.
    ws.ok(&["start", "account-suspension", "susp"]);
    let run = ws.run_with(&[("COLUMNS", "80")], &["forecast"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(run.stdout.lines().all(|line| line.chars().count() <= 80), "{}", run.stdout);
    assert_expected("forecast-undecided.txt", &run.stdout);
    assert!(run.stdout.contains("(if it applies): its condition is not decided yet"), "{}", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["forecast", "--json"]).stdout).unwrap();
    let undecided: Vec<&str> = json["projects"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["undecided"] == true)
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(undecided, ["backup-copy", "reactivation", "cancellation"]);
}

#[test]
fn several_repositories_share_their_history_and_name_colliding_projects() {
    let mut ws = Workspace::new();
    for team in ["team-a", "team-b"] {
        fs::create_dir(ws.path().join(team)).unwrap();
        let output = ws.command(&["init"]).current_dir(ws.path().join(team)).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        let playbook = ws.path().join(team).join(".onboard/playbooks/go-live.yaml");
        fs::write(playbook, include_str!("../fixtures/go-live.yaml")).unwrap();
    }
    // The history is team-a's; both teams have an `opera` under way.
    finished_in(&mut ws, &["--dir", "team-a/.onboard"], &[2, 3, 4, 5, 6]);
    ws.at("2026-03-02T09:00:00+01:00");
    for (team, j) in [("team-a", "J=2026-04-20"), ("team-b", "J=2026-03-20")] {
        ws.ok(&["--dir", &format!("{team}/.onboard"), "start", "go-live", "opera", "--set", j]);
    }
    let both = ["--dir", "team-a/.onboard", "--dir", "team-b/.onboard"];
    let run = ws.ok(&[&both[..], &["forecast", "--json"]].concat());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let seen: Vec<String> = json["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{} in {}: {}", p["project"], p["repository"], p["steps"][0]["basis"]))
        .collect();
    // team-b's J is the nearer: it is the more at risk, and learns from team-a's history.
    assert_eq!(
        seen,
        [
            "\"team-b/opera\" in \"team-b\": \"history, 5 samples\"",
            "\"team-a/opera\" in \"team-a\": \"history, 5 samples\""
        ]
    );
    let text = ws.ok(&[&both[..], &["forecast"]].concat()).stdout;
    assert!(text.starts_with("team-b/opera (go-live): ends 2026-03-11 (P50), 2026-03-13 (P85)\n"), "{text}");
    // One directory alone: names as they are, no repository in the JSON.
    let alone: serde_json::Value =
        serde_json::from_str(&ws.ok(&["--dir", "team-a/.onboard", "forecast", "--json"]).stdout).unwrap();
    assert_eq!(alone["projects"][0]["project"], "opera");
    assert!(alone["projects"][0].get("repository").is_none(), "{alone}");
    // A project named is a question for one directory.
    let refused = ws.fails(&[&both[..], &["forecast", "opera"]].concat());
    assert!(
        refused.starts_with("error: this command works on one state directory, and 2 are given\n"),
        "{refused}"
    );
}
