//! The portfolio as an operations lead reads it: the most urgent work first whatever the
//! project, filtered by owner or playbook, and the past as it was recorded (`--as-of`).

use crate::harness::*;

/// Two data imports started on Monday 2 March 2026: `opera` goes live on 20 March and
/// `ballet` on 25 March, so `opera`'s J-14 work falls due first although it sorts last.
/// `opera`'s first step was done on the 3rd but recorded only on the 9th.
fn two_imports() -> Workspace {
    let mut ws = Workspace::initialized();
    ws.at("2026-03-02T09:00:00+01:00");
    ws.ok(&["start", "data-import", "opera", "--set", "J=2026-03-20"]);
    ws.ok(&["start", "data-import", "ballet", "--set", "J=2026-03-25"]);
    ws.at("2026-03-09T11:00:00+01:00");
    ws.ok(&[
        "advance",
        "opera",
        "1",
        "--set",
        "data_to_migrate=tickets",
        "--at",
        "2026-03-03T10:00:00+01:00",
    ]);
    ws.at("2026-03-13T09:00:00+01:00");
    ws
}

#[test]
fn check_lists_the_longest_overdue_first_whatever_the_project() {
    let ws = two_imports();
    let run = ws.run(&["check"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            1,
            " Project   What                      Owner            Due          State
───────── ───────────────────────── ──────────────── ──────────── ────────────────────────────
 opera     3 `secutix-format-data`   CUSTOMER         2026-03-06   overdue by 5 business days
 opera     4 `deliver-data`          PROJECT_LEADER   2026-03-06   overdue by 5 business days
 ballet    3 `secutix-format-data`   CUSTOMER         2026-03-11   overdue by 2 business days
 ballet    4 `deliver-data`          PROJECT_LEADER   2026-03-11   overdue by 2 business days
 opera     9 `preprod-import`        CSVN             2026-03-13   due soon: today
",
            ""
        )
    );
    let json: serde_json::Value = serde_json::from_str(&ws.ok_or_1(&["check", "--json"])).unwrap();
    let order: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["project"].as_str().unwrap(), f["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        order,
        [
            "opera secutix-format-data",
            "opera deliver-data",
            "ballet secutix-format-data",
            "ballet deliver-data",
            "opera preprod-import"
        ]
    );
}

#[test]
fn owner_and_playbook_filters_choose_the_work_shown() {
    let ws = two_imports();
    let run = ws.run(&["check", "--owner", "project_leader"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            1,
            " Project   What               Owner            Due          State
───────── ────────────────── ──────────────── ──────────── ────────────────────────────
 opera     4 `deliver-data`   PROJECT_LEADER   2026-03-06   overdue by 5 business days
 ballet    4 `deliver-data`   PROJECT_LEADER   2026-03-11   overdue by 2 business days
"
        )
    );
    // Nothing of CSVN's is overdue: exit 0, with only its due-soon work.
    let run = ws.run(&["check", "--owner", "csvn", "--playbook", "data-import"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            0,
            " Project   What                 Owner   Due          State
───────── ──────────────────── ─────── ──────────── ─────────────────
 opera     9 `preprod-import`   CSVN    2026-03-13   due soon: today
"
        )
    );
    // A role by its name; `opera`'s team leader has finished nothing but still has step 2.
    let run = ws.ok(&["status", "--owner", "Team leader"]);
    assert_eq!(
        run.stdout,
        " Project   Playbook      Current phase   Progress   Next due   Overdue   On time
───────── ───────────── ─────────────── ────────── ────────── ───────── ─────────
 ballet    data-import   1–2 Kick-off    0/13                  0
 opera     data-import   1–2 Kick-off    1/13                  0
"
    );
    assert_eq!(ws.ok(&["status", "--playbook", "cooperative"]).stdout, "No project matches the filters.\n");

    assert_eq!(
        ws.fails(&["check", "--owner", "leader"]),
        "error: `--owner leader`: no project's playbook has this role
hint: the roles are CSVN, CUSTOMER, PROJECT_LEADER, QUALITY_GATE, TEAM_LEADER
"
    );
    assert_eq!(
        ws.fails(&["status", "--playbook", "data-imports"]),
        "error: `--playbook data-imports`: there is no such playbook\nhint: did you mean `data-import`?\n"
    );
    assert_eq!(
        ws.fails(&["status", "opera", "--owner", "csvn"]),
        "error: `--owner` and `--playbook` choose projects of the portfolio
hint: leave out the project name, or use `onboard check PROJECT --owner ROLE` for one project's due work
"
    );
    let run = ws.run(&["check", "opera", "--playbook", "data-import"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: the argument '[PROJECT]' cannot be used with '--playbook <ID>'"),
        "{}",
        run.stderr
    );
}

#[test]
fn as_of_shows_what_was_recorded_then_judged_then() {
    let mut ws = two_imports();
    ws.at("2026-03-16T09:00:00+01:00");
    // On the 5th, nobody had recorded step 1 yet (it was recorded on the 9th): 0 finished,
    // and nothing overdue yet.
    let run = ws.ok(&["status", "--as-of", "2026-03-05T12:00:00+01:00"]);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        (
            " Project   Playbook      Current phase   Progress   Next due                      Overdue   On time
───────── ───────────── ─────────────── ────────── ───────────────────────────── ───────── ─────────
 ballet    data-import   1–2 Kick-off    0/13       3 2026-03-11 (in 4 business   0
                                                    days)
 opera     data-import   1–2 Kick-off    0/13       3 2026-03-06 (due soon: in    0
                                                    1 business day)
",
            "As of 2026-03-05T12:00:00+01:00: projects as recorded then, due dates judged then.\n"
        )
    );
    let run = ws.ok(&["status", "--as-of", "2026-03-09T11:00:00+01:00", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["projects"][1]["finished"], 1, "recorded at 11:00 on the 9th, so known then");
    let run = ws.run(&["check", "--as-of", "2026-03-10"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        " Project   What                      Owner            Due          State
───────── ───────────────────────── ──────────────── ──────────── ─────────────────────────────
 opera     3 `secutix-format-data`   CUSTOMER         2026-03-06   overdue by 2 business days
 opera     4 `deliver-data`          PROJECT_LEADER   2026-03-06   overdue by 2 business days
 ballet    3 `secutix-format-data`   CUSTOMER         2026-03-11   due soon: in 1 business day
 ballet    4 `deliver-data`          PROJECT_LEADER   2026-03-11   due soon: in 1 business day
"
    );
    // Before the projects started, a portfolio had none; a named project is an error.
    assert_eq!(ws.ok(&["status", "--as-of", "2026-03-01"]).stdout, "No project had started by then.\n");
    assert_eq!(
        ws.fails(&["status", "ballet", "--as-of", "2026-03-01"]),
        "As of 2026-03-01: projects as recorded then, due dates judged then.
error: project `ballet` had not started by then: it started at 2026-03-02T09:00:00+01:00
hint: give an `--as-of` after the project's start
"
    );
    assert_eq!(
        ws.fails(&["check", "--as-of", "2027-01-01"]),
        "error: `--as-of 2027-01-01` is in the future (now is 2026-03-16T08:00:00Z)
hint: `--as-of` shows the past as it was recorded; for what falls due next, widen `--soon-days`
"
    );
    // Reading the past changes nothing.
    let before = ws.read_project("opera");
    ws.ok(&["status", "opera", "--as-of", "2026-03-04"]);
    assert_eq!(ws.read_project("opera"), before);
}

/// The widest line, in characters (the tables' rules are one character each).
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn tables_fit_their_width_without_breaking_a_word_and_colour_changes_no_wrapping() {
    let ws = two_imports();
    let sized = |columns: &str, extra: &[(&str, &str)], args: &[&str]| {
        let env: Vec<(&str, &str)> =
            std::iter::once(("COLUMNS", columns)).chain(extra.iter().copied()).collect();
        ws.run_with(&env, args).stdout
    };
    // At 80 columns the longest words (`secutix-format-data`, PROJECT_LEADER, the dates)
    // still fit side by side; the state wraps rather than a word.
    let plain = sized("80", &[], &["check"]);
    assert_eq!(
        plain,
        " Project   What                    Owner            Due          State
───────── ─────────────────────── ──────────────── ──────────── ────────────────
 opera     3                       CUSTOMER         2026-03-06   overdue by 5
           `secutix-format-data`                                 business days
 opera     4 `deliver-data`        PROJECT_LEADER   2026-03-06   overdue by 5
                                                                 business days
 ballet    3                       CUSTOMER         2026-03-11   overdue by 2
           `secutix-format-data`                                 business days
 ballet    4 `deliver-data`        PROJECT_LEADER   2026-03-11   overdue by 2
                                                                 business days
 opera     9 `preprod-import`      CSVN             2026-03-13   due soon:
                                                                 today
"
    );
    assert!(widest(&plain) <= 80);
    // Below 80 columns each row is a block: what it is about, then its other cells.
    let narrow = sized("60", &[], &["check", "--owner", "csvn"]);
    assert_eq!(
        narrow,
        "opera: 9 `preprod-import`
  Owner: CSVN
  Due:   2026-03-13
  State: due soon: today
"
    );
    // Without COLUMNS, a piped table fits 100 columns.
    let wide = ws.ok(&["status", "opera"]).stdout;
    assert!(widest(&wide) <= 100, "{wide}");

    for columns in ["80", "60"] {
        let plain = sized(columns, &[], &["check"]);
        let coloured = sized(columns, &[], &["check", "--color", "always"]);
        // A coloured cell keeps its padding inside the escape codes: compare without it.
        let stripped: Vec<String> = strip_ansi(&coloured).lines().map(|l| l.trim_end().to_string()).collect();
        assert_eq!(stripped, plain.lines().collect::<Vec<_>>(), "colour changes no wrapping at {columns}");
        assert_eq!(sized(columns, &[("CLICOLOR_FORCE", "1")], &["check"]), coloured);
        let never =
            sized(columns, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &["check", "--color", "never"]);
        assert_eq!(never, plain);
        assert_eq!(sized(columns, &[("NO_COLOR", "1")], &["check"]), plain);
    }
    let coloured = sized("80", &[], &["check", "--color", "always"]);
    assert!(coloured.contains("\u{1b}[38;5;9m\u{1b}[1m overdue "), "overdue is bold red: {coloured:?}");
    assert!(coloured.contains("\u{1b}[38;5;11m due "), "due soon is yellow");
    let stacked = sized("60", &[], &["check", "--color", "always"]);
    assert!(stacked.contains("  State: \u{1b}[1;31moverdue by 5 business days\u{1b}[0m\n"), "{stacked:?}");
    assert!(stacked.contains("  State: \u{1b}[33mdue soon: today\u{1b}[0m\n"), "{stacked:?}");
}

/// Removes ANSI escape sequences (`ESC [ … letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
