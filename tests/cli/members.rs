//! Portfolios over several state directories: two repositories side by side, read
//! together with `--dir` repeated or a workspace file; project names qualified by their
//! repository only where they collide; commands on one project refuse several.

use super::*;

/// The repositories of the tests, side by side in the workspace.
const TEAMS: [&str; 2] = ["team-a", "team-b"];

/// `--dir` for both repositories, then `args`.
fn both<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--dir", "team-a/.onboard", "--dir", "team-b/.onboard"];
    all.extend_from_slice(args);
    all
}

/// Two repositories, `team-a/` and `team-b/`, each with the `.onboard/` of `onboard init`.
/// Data imports started on Monday 2 March 2026: `opera` (live on 20 March) in team-a, and
/// in team-b `ballet` (live on 25 March) and, with `collide`, another `opera` (live on
/// 27 March). The clock then reads Friday 13 March.
fn two_repositories(collide: bool) -> Workspace {
    let mut ws = Workspace::new();
    for team in TEAMS {
        fs::create_dir(ws.path().join(team)).unwrap();
        let output = ws.command(&["init"]).current_dir(ws.path().join(team)).output().unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    ws.at("2026-03-02T09:00:00+01:00");
    ws.ok(&["--dir", "team-a/.onboard", "start", "data-import", "opera", "--set", "J=2026-03-20"]);
    ws.ok(&["--dir", "team-b/.onboard", "start", "data-import", "ballet", "--set", "J=2026-03-25"]);
    if collide {
        ws.ok(&["--dir", "team-b/.onboard", "start", "data-import", "opera", "--set", "J=2026-03-27"]);
    }
    ws.at("2026-03-13T09:00:00+01:00");
    ws
}

/// The absolute state directory of `team`, as messages name it.
fn state_dir(ws: &Workspace, team: &str) -> String {
    fs::canonicalize(ws.path()).unwrap().join(team).join(".onboard").display().to_string()
}

#[test]
fn distinct_names_read_as_one_portfolio_most_urgent_first() {
    let ws = two_repositories(false);
    let run = ws.run(&both(&["check"]));
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
    // JSON says which repository each entry comes from.
    let json: serde_json::Value = serde_json::from_str(&ws.ok_or_1(&both(&["check", "--json"]))).unwrap();
    let entries: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!("{} {} {}", f["repository"].as_str().unwrap(), f["project"].as_str().unwrap(), f["id"])
        })
        .collect();
    assert_eq!(
        entries,
        [
            "team-a opera \"secutix-format-data\"",
            "team-a opera \"deliver-data\"",
            "team-b ballet \"secutix-format-data\"",
            "team-b ballet \"deliver-data\"",
            "team-a opera \"preprod-import\""
        ]
    );
    // One directory alone says nothing of repositories, as before.
    let alone: serde_json::Value =
        serde_json::from_str(&ws.ok_or_1(&["--dir", "team-a/.onboard", "check", "--json"])).unwrap();
    assert!(alone["findings"][0].get("repository").is_none(), "{alone}");

    // Several directories always show the portfolio, by name, whatever each holds.
    assert_expected("members-status.txt", &ws.ok(&both(&["status"])).stdout);
    assert_expected("members-next.txt", &ws.ok(&both(&["next", "--owner", "project_leader"])).stdout);
}

#[test]
fn colliding_names_are_qualified_by_their_repository() {
    let ws = two_repositories(true);
    let run = ws.run(&both(&["check", "--owner", "customer"]));
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            1,
            " Project        What                      Owner      Due          State
────────────── ───────────────────────── ────────── ──────────── ────────────────────────────
 team-a/opera   3 `secutix-format-data`   CUSTOMER   2026-03-06   overdue by 5 business days
 ballet         3 `secutix-format-data`   CUSTOMER   2026-03-11   overdue by 2 business days
 team-b/opera   3 `secutix-format-data`   CUSTOMER   2026-03-13   due soon: today
"
        )
    );
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&both(&["status", "--json"])).stdout).unwrap();
    let projects: Vec<String> = json["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{} in {}", p["project"].as_str().unwrap(), p["repository"].as_str().unwrap()))
        .collect();
    assert_eq!(projects, ["ballet in team-b", "team-a/opera in team-a", "team-b/opera in team-b"]);
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&both(&["next", "--json"])).stdout).unwrap();
    let steps: Vec<&str> =
        json["steps"].as_array().unwrap().iter().map(|s| s["project"].as_str().unwrap()).collect();
    assert_eq!(steps, ["ballet", "team-a/opera", "team-b/opera"]);
    // The activity of both, newest first; a shared instant orders by name.
    assert_expected("members-log.txt", &ws.ok(&both(&["log"])).stdout);
}

#[test]
fn a_workspace_file_lists_the_directories_relative_to_itself() {
    let ws = two_repositories(true);
    fs::create_dir(ws.path().join("ops")).unwrap();
    fs::write(
        ws.path().join("ops/workspace.yaml"),
        "# onboard workspace: the state directories looked at together
members:
  - dir: ../team-a/.onboard
    name: alpha
  - dir: ../team-b/.onboard
",
    )
    .unwrap();
    let expected = ws.ok(&["--workspace", "ops/workspace.yaml", "status"]).stdout;
    assert_expected("members-workspace-status.txt", &expected);
    // The variable names it as the flag does; a `--dir` given beats it.
    let run = ws.run_with(&[("ONBOARD_WORKSPACE", "ops/workspace.yaml")], &["status"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, expected.as_str()));
    let run =
        ws.run_with(&[("ONBOARD_WORKSPACE", "ops/workspace.yaml")], &["--dir", "team-a/.onboard", "status"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("opera: Data import process and planning"), "{}", run.stdout);
    let run = ws.run(&["--workspace", "ops/workspace.yaml", "--dir", "team-a/.onboard", "status"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: the argument '--workspace <FILE>' cannot be used with '--dir <DIR>'")
    );
}

#[test]
fn a_bad_workspace_file_is_an_error_naming_its_file_and_line() {
    let ws = two_repositories(false);
    let write = |text: &str| fs::write(ws.path().join("workspace.yaml"), text).unwrap();
    let run = |ws: &Workspace| ws.fails(&["--workspace", "workspace.yaml", "check"]);
    write("members:\n  - dir: team-a/.onboard\n  - dir: team-b/.onboard\n    nmae: b\n");
    assert_eq!(
        run(&ws),
        "error: `workspace.yaml`:4:5: members[1]: unknown field `nmae`, expected `dir` or `name`
hint: a workspace file holds `members:`, a list of `- dir: PATH` (a state directory, relative to the file) each with an optional `name: LABEL`
"
    );
    write("members:\n  - dir: team-a/.onboard\n  - dir: team-c/.onboard\n");
    assert_eq!(
        run(&ws),
        format!(
            "error: `workspace.yaml`:3: `team-c/.onboard` (`{}`): there is no such folder
hint: give each repository's state directory: the `.onboard/` folder that `onboard init` creates
",
            ws.path().join("team-c/.onboard").display()
        )
    );
    write("members:\n  - dir: team-a\n");
    assert_eq!(
        run(&ws),
        format!(
            "error: `workspace.yaml`:2: `team-a` (`{}`) is not a state directory: it has no `projects/` folder
hint: give each repository's state directory: the `.onboard/` folder that `onboard init` creates
",
            ws.path().join("team-a").display()
        )
    );
    write("members:\n  - dir: team-a/.onboard\n    name: b\n  - dir: team-b/.onboard\n    name: b\n");
    assert_eq!(
        run(&ws),
        "error: `workspace.yaml`:5: the name `b` is given to two members\nhint: give each member a name of its own\n"
    );
    assert_eq!(
        ws.fails(&["--workspace", "missing.yaml", "check"]),
        "error: there is no workspace file `missing.yaml`
hint: check the path of `--workspace` (or `ONBOARD_WORKSPACE`); it is a file that lists the state directories to look at together
"
    );
    // Repeated `--dir` is checked the same way.
    assert_eq!(
        ws.fails(&["--dir", "team-a/.onboard", "--dir", "team-a/../team-a/.onboard", "check"]),
        "error: `--dir team-a/../team-a/.onboard` is the state directory of `--dir team-a/.onboard` again
hint: list each state directory once
"
    );
}

#[test]
fn commands_on_one_project_refuse_several_directories() {
    let ws = two_repositories(false);
    let refusal = format!(
        "error: this command works on one state directory, and 2 are given
hint: give one of `--dir {}` (team-a), `--dir {}` (team-b); `check`, `status`, `next`, `log` and `forecast` without a project, `stats` and `site`, look at several
",
        state_dir(&ws, "team-a"),
        state_dir(&ws, "team-b")
    );
    for args in [
        &["advance", "opera", "1"][..],
        &["status", "opera"],
        &["check", "opera"],
        &["log", "opera"],
        &["init"],
    ] {
        assert_eq!(ws.fails(&both(args)), refusal, "{args:?}");
    }
    // Nothing was recorded.
    let log: serde_json::Value =
        serde_json::from_str(&ws.ok(&["--dir", "team-a/.onboard", "log", "opera", "--json"]).stdout).unwrap();
    assert_eq!(log["events"].as_array().unwrap().len(), 1, "{log}");
}

#[test]
fn an_unreadable_project_in_any_repository_is_reported_and_exits_2() {
    let ws = two_repositories(true);
    let project = ws.path().join("team-b/.onboard/projects/ballet/project.yaml");
    let text = fs::read_to_string(&project).unwrap();
    fs::write(&project, text.replace("start:\n", "start:\n<<<<<<< HEAD\n")).unwrap();
    let run = ws.run(&both(&["check", "--owner", "customer"]));
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            2,
            " Project        What                      Owner      Due          State
────────────── ───────────────────────── ────────── ──────────── ────────────────────────────
 team-a/opera   3 `secutix-format-data`   CUSTOMER   2026-03-06   overdue by 5 business days
 team-b/opera   3 `secutix-format-data`   CUSTOMER   2026-03-13   due soon: today
"
        )
    );
    assert!(
        run.stderr.starts_with(&format!(
            "error: `{}`",
            ws.path().join("team-b/.onboard/projects/ballet/project.yaml").display()
        )),
        "{}",
        run.stderr
    );
    let run = ws.run(&both(&["next", "--json"]));
    assert_eq!(run.code, 2);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        (&json["errors"][0]["project"], &json["errors"][0]["repository"]),
        (&serde_json::json!("ballet"), &serde_json::json!("team-b"))
    );
}

#[test]
fn an_empty_portfolio_names_every_directory() {
    let ws = Workspace::new();
    for team in TEAMS {
        fs::create_dir(ws.path().join(team)).unwrap();
        let output = ws.command(&["init"]).current_dir(ws.path().join(team)).output().unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    let expected = format!(
        "No projects yet in any of `{}`, `{}`: `onboard start PLAYBOOK NAME` in one of them starts one.\n",
        ws.path().join("team-a/.onboard").display(),
        ws.path().join("team-b/.onboard").display()
    );
    for command in ["check", "status", "next", "log"] {
        assert_eq!(ws.ok(&both(&[command])).stdout, expected, "{command}");
    }
}

#[test]
fn an_archived_name_collides_under_all_and_people_lists_are_read_in_each_repository() {
    let ws = two_repositories(false);
    ws.ok(&["--dir", "team-b/.onboard", "start", "data-import", "opera", "--set", "J=2026-03-27"]);
    ws.ok(&["--dir", "team-b/.onboard", "archive", "opera", "--reason", "customer left"]);
    // Without `--all`, team-b's `opera` is out of the portfolio: no collision.
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&both(&["status", "--json"])).stdout).unwrap();
    let names: Vec<&str> =
        json["projects"].as_array().unwrap().iter().map(|p| p["project"].as_str().unwrap()).collect();
    assert_eq!(names, ["ballet", "opera"]);
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&both(&["status", "--all", "--json"])).stdout).unwrap();
    let names: Vec<String> = json["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{} {}", p["project"].as_str().unwrap(), p["archived"]))
        .collect();
    assert_eq!(names, ["ballet false", "team-a/opera false", "team-b/opera true"]);

    // `--me`: ana plays the project leader in team-b only; her steps come from both.
    fs::write(ws.path().join("team-b/.onboard/people.yaml"), "ana: [PROJECT_LEADER]\n").unwrap();
    assert_expected("members-next.txt", &ws.ok(&both(&["next", "--me"])).stdout);
    let run = ws.run_with(&[("ONBOARD_USER", "luis")], &both(&["next", "--me"]));
    assert_eq!(
        (run.code, run.stderr),
        (
            2,
            format!(
                "error: `luis` has no roles in the people lists of the state directories (`{}`, `{}`)
hint: list each person's roles in one of them, one line each (`luis: [ANALYST]`), or use `--owner ROLE`; `--by NAME` says who you are
",
                ws.path().join("team-a/.onboard/people.yaml").display(),
                ws.path().join("team-b/.onboard/people.yaml").display()
            )
        )
    );
    // Commands that read no state directory run under an exported workspace.
    fs::write(
        ws.path().join("workspace.yaml"),
        "members:\n  - dir: team-a/.onboard\n  - dir: team-b/.onboard\n",
    )
    .unwrap();
    let run = ws.run_with(&[("ONBOARD_WORKSPACE", "workspace.yaml")], &["schema", "check"]);
    assert_eq!((run.code, run.stdout.starts_with('{')), (0, true), "{run:?}");
}
