//! The first end-to-end tests: the cooperative process from start to finish, refusals that
//! leave the state untouched, validation, local playbooks, `check`'s exit codes, fixed dates
//! and team calendars.

use std::fs;
use std::path::PathBuf;

use crate::harness::*;

#[test]
fn the_whole_cooperative_process_from_start_to_finish() {
    let mut ws = Workspace::initialized();
    let run = ws.ok(&["start", "cooperative", "coop-central", "--set", "dimo_personalizada=true"]);
    assert_eq!(
        run.stderr,
        "Started project `coop-central` from playbook `cooperative` (29 steps).\nReady: I `schedule-meeting`\nWrote .onboard/projects/coop-central/project.yaml.\nNext: `onboard status` shows the plan and its due dates; `onboard advance` completes I `schedule-meeting`.\n"
    );
    assert_expected("cooperative-start-status.txt", &ws.ok(&["status"]).stdout);

    through_kickoff(&mut ws);
    // 3.2.2, 3.2.3 and 3.3 now run in parallel; the VPN follow-up is repeatable.
    let run = ws.run(&["advance"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: 3 steps of `coop-central` are ready; name one\nhint: ready: 3.2.2 `vpn-follow-up`, 3.2.3 `technical-meeting-date`, 3.3 `clearing-whitelist-follow-up`\n"
    );
    ws.at("2026-03-03T10:00:00-03:00").ok(&[
        "advance",
        "vpn-follow-up",
        "--repeat",
        "--note",
        "VPN pedida al proveedor",
    ]);
    ws.ok(&["advance", "vpn-follow-up", "--note", "VPN de PreProducción y Producción activas"]);
    ws.ok(&["advance", "3.2.3", "--set", "fecha_reunion_tecnica=2026-03-05"]);
    let run =
        ws.ok(&["advance", "development-follow-up", "--repeat", "--note", "primeras pruebas de firmas"]);
    assert_eq!(
        run.stderr,
        "Recorded round 1 of II `development-follow-up` in `coop-central`; the step stays open.\n"
    );

    // Certification needs the clearing account and the whitelist (3.3) as well as phase II.
    ws.at("2026-03-20T16:00:00-03:00").ok(&["advance", "II"]);
    let stderr = ws.fails(&["advance", "III.1"]);
    assert_eq!(
        stderr,
        "error: cannot complete step III.1 `notify-development-done`: it is not ready\nhint: it waits for 3.3 `clearing-whitelist-follow-up`\n"
    );
    let run =
        ws.ok(&["advance", "3.3", "--set", "cuenta_clearing=CL-0042", "--set", "lista_blanca=2026-03-19"]);
    assert_eq!(
        run.stderr,
        "Completed 3.3 `clearing-whitelist-follow-up` in `coop-central`.\nReady now: III.1 `notify-development-done`\n"
    );

    for step in ["III.1", "III.2"] {
        ws.ok(&["advance", step]);
    }
    ws.ok(&[
        "advance",
        "III.3",
        "--repeat",
        "--note",
        "ajuste de firmas, SISTEMAS lo resuelve con el PARTICIPANTE",
    ]);
    for step in ["III.3", "III.4", "IV.1", "IV.2", "IV.3", "IV.4", "V.1", "V.2"] {
        ws.ok(&["advance", step]);
    }
    ws.ok(&["advance", "V.3", "--set", "ventana_actualizacion=2026-04-15"]);
    let run = ws.ok(&["advance"]);
    assert_eq!(
        run.stderr,
        "Completed V.4 `custom-mobile-deploy` in `coop-central`.\nEvery step of `coop-central` is finished.\n"
    );
    assert_eq!(
        ws.fails(&["advance"]),
        "error: no step of `coop-central` is ready\nhint: `onboard status` shows where the project stands\n"
    );

    assert_expected("cooperative-final-status.txt", &ws.ok(&["status"]).stdout);
    assert_expected("cooperative-final-log.txt", &ws.ok(&["log"]).stdout);
    assert_expected("cooperative-final-project.yaml", &ws.read_project("coop-central"));
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "coop-central", "--json"]).stdout).unwrap();
    let statuses: Vec<&str> =
        json["phases"].as_array().unwrap().iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["done"; 5]);
    let clearing = &json["phases"][0]["steps"][15];
    assert_eq!(
        clearing["values"],
        serde_json::json!({"cuenta_clearing": "CL-0042", "lista_blanca": "2026-03-19"})
    );
    assert_eq!(json["vars"]["cuenta_clearing"], "CL-0042");
}

#[test]
fn without_a_custom_dimo_phase_v_does_not_apply() {
    let mut ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-sur"]);
    through_kickoff(&mut ws);
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "coop-sur", "--json"]).stdout).unwrap();
    let dimo = &json["phases"][4];
    assert_eq!(dimo["status"], "skipped");
    assert_eq!(dimo["steps"][0]["reason"], "not applicable: `dimo_personalizada` is false");
    assert_eq!(
        json["vars"],
        serde_json::json!({"contactos": "Ana Pérez (TI) ana@coop.com.py; Luis Gómez (Operaciones)", "dimo_personalizada": false})
    );
}

#[test]
fn status_json_has_the_documented_shape() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    assert_expected("cooperative-start-status.json", &ws.ok(&["status", "coop-central", "--json"]).stdout);
}

#[test]
fn project_names_must_be_slugs_and_nothing_is_created() {
    let ws = Workspace::initialized();
    let cases = [
        (
            "Coop Central",
            "only lowercase letters, digits and `-` are allowed, and it must not start with `-`",
        ),
        ("../etc", "only lowercase letters, digits and `-` are allowed, and it must not start with `-`"),
        (
            "coop/central",
            "only lowercase letters, digits and `-` are allowed, and it must not start with `-`",
        ),
        ("COOP", "only lowercase letters, digits and `-` are allowed, and it must not start with `-`"),
        ("", "it is empty"),
    ];
    for (name, why) in cases {
        assert_eq!(
            ws.fails(&["start", "cooperative", name]),
            format!(
                "error: `{name}` is not a valid project name: {why}\nhint: project names are slugs such as `coop-central`\n"
            )
        );
    }
    let long = "a".repeat(65);
    assert_eq!(
        ws.fails(&["start", "cooperative", &long]),
        format!(
            "error: `{long}` is not a valid project name: it has 65 characters, more than 64\nhint: project names are slugs such as `coop-central`\n"
        )
    );
    let projects: Vec<_> =
        fs::read_dir(ws.path().join(".onboard/projects")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(projects, [".gitkeep"]);
}

#[test]
fn unknown_playbooks_and_existing_projects_are_refused() {
    let ws = Workspace::initialized();
    assert_eq!(
        ws.fails(&["start", "cooperativ", "coop-central"]),
        "error: no playbook `cooperativ`\nhint: did you mean `cooperative`?\n"
    );
    ws.ok(&["start", "cooperative", "coop-central"]);
    ws.ok(&["advance"]);
    let before = ws.read_project("coop-central");
    let stderr = ws.fails(&["start", "cooperative", "coop-central"]);
    assert_eq!(
        stderr,
        format!(
            "error: project `coop-central` already exists in `{}`\nhint: choose another name, or continue it with `onboard advance coop-central STEP`\n",
            ws.path().join(".onboard").display()
        )
    );
    assert_eq!(ws.read_project("coop-central"), before);
    // Without a name the project takes the playbook id, once.
    ws.ok(&["start", "cooperative"]);
    assert!(ws.project_dir("cooperative").join("project.yaml").is_file());
    assert_eq!(
        ws.fails(&["start", "cooperative"]),
        "error: a project named `cooperative` already exists; name the new one\nhint: `onboard start cooperative NAME`\n"
    );
}

#[test]
fn refusals_leave_the_project_file_untouched() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    let before = ws.read_project("coop-central");
    assert_eq!(
        ws.fails(&["advance", "2.1.1"]),
        "error: cannot complete step 2.1.1 `req-clearing-account`: it is not ready\nhint: it waits for 1.3 `team-entities`\n"
    );
    assert_eq!(
        ws.fails(&["advance", "team-sistems"]),
        "error: playbook `cooperative` has no step `team-sistems`\nhint: did you mean `team-systems`?\n"
    );
    assert_eq!(
        ws.fails(&["skip", "1.1", "--reason", "ya los conocen"]),
        "error: step 1.1 `team-systems` is not optional, so it cannot be skipped\nhint: only steps marked `optional: true` in the playbook can be skipped\n"
    );
    assert_eq!(
        ws.fails(&["reopen", "1.1", "--reason", "error"]),
        "error: step 1.1 `team-systems` is not done or skipped, so there is nothing to reopen\nhint: reopen undoes a completed or skipped step\n"
    );
    assert_eq!(ws.read_project("coop-central"), before);
}

#[test]
fn a_missing_required_field_without_a_terminal_names_the_flag() {
    let mut ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    for step in MEETING {
        ws.ok(&["advance", step]);
    }
    let before = ws.read_project("coop-central");
    assert_eq!(
        ws.fails(&["advance"]),
        "error: step 3.1 `contact-list` needs the field `contactos`\nhint: pass `--set contactos=<text>`\n"
    );
    assert_eq!(
        ws.fails(&["advance", "3.1", "--set", "contacto=Ana"]),
        "error: step 3.1 `contact-list` has no field `contacto`\nhint: its fields are contactos\n"
    );
    assert_eq!(ws.read_project("coop-central"), before);
    let _ = &mut ws;
}

#[test]
fn a_wrongly_typed_field_is_refused() {
    let mut ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    through_kickoff(&mut ws);
    assert_eq!(
        ws.fails(&["advance", "3.2.3", "--set", "fecha_reunion_tecnica=5 de marzo"]),
        "error: bad value for `--set fecha_reunion_tecnica`: expected a date as YYYY-MM-DD, found `5 de marzo`\nhint: Fecha de la primera reunión técnica con el equipo de desarrollo.\n"
    );
}

#[test]
fn skip_and_reopen_are_recorded_in_the_log() {
    let mut ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    ws.ok(&["advance", "--note", "reunión agendada"]);
    ws.ok(&["advance", "--note", "presentado en la reunión"]);
    ws.at("2026-03-02T11:30:00-03:00").ok(&[
        "reopen",
        "1.1",
        "--reason",
        "faltó presentar al equipo externo",
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "coop-central", "--json"]).stdout).unwrap();
    assert_eq!(json["phases"][0]["steps"][1]["status"], "ready");
    assert_eq!(
        ws.ok(&["log"]).stdout,
        " When               Who   Action   Step   Details
────────────────── ───── ──────── ────── ───────────────────────────────────
 2026-03-02 09:00   ana   start           dimo_personalizada=false
 2026-03-02 09:00   ana   done     I      reunión agendada
 2026-03-02 09:00   ana   done     1.1    presentado en la reunión
 2026-03-02 11:30   ana   reopen   1.1    faltó presentar al equipo externo
"
    );
}

#[test]
fn conflicted_and_corrupted_project_files_are_refused_with_their_line() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    ws.ok(&["advance"]);
    // Two branches that started the same name leave `project.yaml` conflicted.
    let good = fs::read_to_string(ws.project_dir("coop-central").join("project.yaml")).unwrap();
    let (path, line) = ws.conflicted("coop-central");
    let conflicted = fs::read_to_string(&path).unwrap();
    assert_eq!(line, 7);
    let before = ws.read_project("coop-central");
    assert_eq!(
        ws.fails(&["status"]),
        format!(
            "error: `{}` has an unresolved merge conflict at line {line}\nhint: two branches changed the same file of project `coop-central`: keep one side (`git checkout --ours` or `--theirs` on it, then `git add` it) or edit the file by hand, keeping the lines you mean\n",
            path.display()
        )
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), conflicted, "a refused file is left as it was");
    assert_eq!(ws.read_project("coop-central"), before);
    fs::write(&path, &good).unwrap();

    // An event file broken by hand names itself and the parser's line.
    let [event] = ws.event_files("coop-central").try_into().unwrap();
    let event = ws.project_dir("coop-central").join(event);
    let text = fs::read_to_string(&event).unwrap();
    fs::write(&event, text.replace("step: schedule-meeting\n", "step: [schedule-meeting\n")).unwrap();
    let stderr = ws.fails(&["advance"]);
    assert!(
        stderr
            .starts_with(&format!("error: cannot read the project file `{}`\ncaused by: ", event.display())),
        "{stderr}"
    );
    assert_expected("unparsable-event.txt", &ws.scrubbed(&stderr));

    fs::write(&event, "").unwrap();
    let stderr = ws.fails(&["status"]);
    assert!(
        stderr.starts_with(&format!("error: cannot read the project file `{}`", event.display())),
        "{stderr}"
    );

    // An old single file (format 2) left conflicted by a merge without the driver.
    let ws = Workspace::initialized();
    let path = ws.project_file("coop-central");
    let conflicted = include_str!("../fixtures/format-2-coop-central.yaml").replacen(
        "  team-entities:\n",
        "<<<<<<< HEAD\n  team-entities:\n=======\n>>>>>>> other\n",
        1,
    );
    fs::write(&path, &conflicted).unwrap();
    let line = conflicted.lines().position(|l| l.starts_with("<<<<<<<")).unwrap() + 1;
    assert_eq!(
        ws.fails(&["status"]),
        format!(
            "error: `{}` has an unresolved merge conflict at line {line}\nhint: run `onboard resolve coop-central`: it merges both sides' events as the merge driver does (`onboard init` installs the driver for next time)\n",
            path.display()
        )
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), conflicted, "a refused file is left as it was");
}

#[test]
fn two_branches_advancing_different_steps_merge_without_conflict() {
    let mut ws = Workspace::initialized();
    ws.git_init();
    ws.ok(&["start", "cooperative", "coop-central", "--commit"]);
    for step in MEETING {
        ws.ok(&["advance", step]);
    }
    ws.ok(&["advance", "3.1", "--set", "contactos=Ana", "--commit"]);
    ws.ok(&["advance", "3.2.1", "--commit"]);

    ws.git(&["checkout", "-q", "-b", "vpn"]);
    ws.at("2026-03-03T10:00:00-03:00");
    ws.user = "luis".into();
    ws.ok(&["advance", "3.2.2", "--note", "VPN activa", "--commit"]);

    ws.git(&["checkout", "-q", "main"]);
    ws.user = "marta".into();
    ws.ok(&[
        "advance",
        "3.3",
        "--set",
        "cuenta_clearing=CL-7",
        "--set",
        "lista_blanca=2026-03-03",
        "--commit",
    ]);

    ws.git(&["merge", "-q", "--no-edit", "vpn"]);
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "coop-central", "--json"]).stdout).unwrap();
    let steps = &json["phases"][0]["steps"];
    assert_eq!(
        (steps[13]["id"].as_str(), steps[13]["status"].as_str(), steps[13]["done_by"].as_str()),
        (Some("vpn-follow-up"), Some("done"), Some("luis"))
    );
    assert_eq!(
        (steps[15]["id"].as_str(), steps[15]["status"].as_str(), steps[15]["done_by"].as_str()),
        (Some("clearing-whitelist-follow-up"), Some("done"), Some("marta"))
    );
    let subjects = ws.git(&["log", "--format=%s", "-n", "3", "--first-parent", "main"]);
    assert_eq!(
        subjects,
        "Merge branch 'vpn'\nonboard: coop-central: done 3.3\nonboard: coop-central: done 3.2.1\n"
    );
}

#[test]
fn commit_outside_a_repository_is_refused_before_any_change() {
    let ws = Workspace::initialized();
    let stderr = ws.fails(&["start", "cooperative", "coop-central", "--commit"]);
    assert_eq!(
        stderr,
        format!(
            "error: `--commit` needs a git repository, and `{}` is not inside one\nhint: run `git init` there, or leave out `--commit`\n",
            ws.path().join(".onboard").display()
        )
    );
    assert!(!ws.project_dir("coop-central").exists());
}

#[test]
fn concurrent_advances_never_lose_an_update() {
    let mut ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    through_kickoff(&mut ws);
    // Both outputs are captured: `cargo test` prints the runner's lines and nothing else.
    let spawn = |args: &[&str]| {
        ws.command(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn(&["advance", "3.2.2"]);
    let b = spawn(&["advance", "3.2.3", "--set", "fecha_reunion_tecnica=2026-03-05"]);
    for (child, said) in [
        (a, "Completed 3.2.2 `vpn-follow-up` in `coop-central`.\n"),
        (b, "Completed 3.2.3 `technical-meeting-date` in `coop-central`.\n"),
    ] {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{output:?}");
        let printed =
            format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(printed.starts_with(said), "{printed}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "coop-central", "--json"]).stdout).unwrap();
    assert_eq!(json["phases"][0]["steps"][13]["status"], "done");
    assert_eq!(json["phases"][0]["steps"][14]["status"], "done");
}

#[test]
fn validate_reports_every_problem_with_its_location() {
    let ws = Workspace::new();
    let file = ws.path().join("broken.yaml");
    fs::write(&file, include_str!("../fixtures/broken.yaml")).unwrap();
    let run = ws.run(&["validate", "broken.yaml"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_expected("validate-broken.txt", &run.stderr);
    let run = ws.ok(&["validate"]);
    assert_eq!(
        run.stdout,
        "ok: playbooks/account-suspension.yaml (account-suspension, 3 phases, 6 steps)
ok: playbooks/change-request.yaml (change-request, 4 phases, 22 steps)
ok: playbooks/cooperative.yaml (cooperative, 5 phases, 29 steps)
ok: playbooks/data-import.yaml (data-import, 5 phases, 15 steps)
ok: playbooks/implementation.yaml (implementation, 5 phases, 12 steps)
ok: playbooks/operator-activation.yaml (operator-activation, 4 phases, 17 steps)
ok: playbooks/support-request.yaml (support-request, 4 phases, 7 steps)
"
    );
}

#[test]
fn local_playbooks_add_to_and_override_the_bundled_ones() {
    let ws = Workspace::initialized();
    let local = ws.path().join(".onboard/playbooks");
    fs::write(local.join("go-live.yaml"), include_str!("../fixtures/go-live.yaml")).unwrap();
    let bundled = include_str!("../../playbooks/cooperative.yaml");
    fs::write(local.join("cooperative.yaml"), bundled.replace("calendar: PY", "calendar: ES")).unwrap();
    let run = ws.ok(&["playbooks"]);
    assert_expected("playbooks-local.txt", &run.stdout);
    assert_eq!(
        run.stderr,
        format!(
            "note: local playbook `cooperative` ({}) overrides the bundled one\n",
            local.join("cooperative.yaml").display()
        )
    );
}

#[test]
fn a_missing_required_variable_names_the_flag_and_a_given_one_is_typed() {
    let ws = Workspace::initialized();
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), include_str!("../fixtures/go-live.yaml"))
        .unwrap();
    assert_eq!(
        ws.fails(&["start", "go-live", "teatro-lausanne"]),
        "error: playbook `go-live` needs the variable `J`\nhint: pass `--set J=<YYYY-MM-DD>`; `J`: The go-live date (milestone J).\n"
    );
    assert_eq!(
        ws.fails(&["start", "go-live", "teatro-lausanne", "--set", "J=30/03/2026"]),
        "error: bad value for `--set J`: expected a date as YYYY-MM-DD, found `30/03/2026`\nhint: `J`: The go-live date (milestone J).\n"
    );
    assert_eq!(
        ws.fails(&["start", "go-live", "teatro-lausanne", "--set", "j=2026-03-30"]),
        "error: playbook `go-live` has no variable `j`\nhint: did you mean `J`?\n"
    );
    ws.ok(&["start", "go-live", "teatro-lausanne", "--set", "J=2026-03-30"]);
    assert!(ws.read_project("teatro-lausanne").contains("  values:\n    J: 2026-03-30\n"));
}

#[test]
fn a_project_keeps_following_the_playbook_version_it_started_with() {
    let ws = Workspace::initialized();
    let local = ws.path().join(".onboard/playbooks/go-live.yaml");
    fs::write(&local, include_str!("../fixtures/go-live.yaml")).unwrap();
    ws.ok(&["start", "go-live", "teatro-lausanne", "--set", "J=2026-03-30"]);
    let renamed = include_str!("../fixtures/go-live.yaml")
        .replace("title: Go-live data import", "title: Renamed go-live");
    fs::write(&local, renamed).unwrap();
    let out = ws.ok(&["status"]).stdout;
    let head: Vec<&str> = out.lines().take(4).collect();
    // The note wraps to the 100 columns of piped output.
    assert_eq!(
        head,
        [
            "teatro-lausanne: Go-live data import (playbook go-live, calendar CH)",
            "started 2026-03-02 by ana · 0 of 4 steps finished",
            "note: playbook `go-live` has changed since this project started; the project follows its original",
            "  version",
        ]
    );
}

#[test]
fn the_portfolio_lists_every_project() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    ws.ok(&["start", "cooperative", "coop-sur"]);
    ws.ok(&["advance", "coop-sur"]);
    assert_eq!(
        ws.ok(&["status"]).stdout,
        " Project        Playbook      Current phase       Progress   Next due   Overdue   On time
────────────── ───────────── ─────────────────── ────────── ────────── ───────── ─────────
 coop-central   cooperative   I Reunión inicial   0/25                  0
 coop-sur       cooperative   I Reunión inicial   1/25                  0
"
    );
    assert_eq!(
        ws.fails(&["advance"]),
        "error: there are 2 projects; name one\nhint: the projects are coop-central, coop-sur\n"
    );
}

#[test]
fn a_bad_clock_is_an_error_that_names_the_variable() {
    let mut ws = Workspace::initialized();
    ws.at("next monday");
    assert_eq!(
        ws.fails(&["status"]),
        "error: ONBOARD_NOW is `next monday`, which is neither an RFC 3339 date-time (2026-03-02T09:30:00-03:00) nor a date (2026-03-02)\n"
    );
}

#[test]
fn a_date_clock_means_midnight_in_the_project_calendar() {
    let mut ws = Workspace::initialized();
    ws.at("2026-03-02");
    ws.ok(&["start", "cooperative", "coop-central"]);
    assert!(ws.read_project("coop-central").contains("start:\n  at: 2026-03-02T00:00:00-03:00\n"));
}

#[test]
fn optional_steps_can_be_skipped_and_do_not_hold_back_the_next_one() {
    let ws = Workspace::initialized();
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), include_str!("../fixtures/go-live.yaml"))
        .unwrap();
    ws.ok(&["start", "go-live", "teatro-lausanne", "--set", "J=2026-03-30"]);
    ws.ok(&["advance", "J-14"]);
    let run = ws.ok(&["advance", "J-7"]);
    assert_eq!(
        run.stderr,
        "Completed J-7 `preprod-import` in `teatro-lausanne`.\nReady now: J-1 `second-extraction`, J `production-import`\n"
    );
    let run = ws.ok(&["skip", "J-1", "--reason", "no recent data"]);
    assert_eq!(run.stderr, "Skipped J-1 `second-extraction` in `teatro-lausanne`.\n");
    assert_eq!(
        ws.fails(&["skip", "J-1", "--reason", "again"]),
        "error: step J-1 `second-extraction` is already skipped\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "teatro-lausanne", "--json"]).stdout).unwrap();
    let step = &json["phases"][0]["steps"][2];
    assert_eq!(
        (step["status"].as_str(), step["done_by"].as_str(), step["note"].as_str()),
        (Some("skipped"), Some("ana"), Some("no recent data"))
    );
    ws.ok(&["advance"]);
    let out = ws.ok(&["status"]).stdout;
    assert_eq!(
        out.lines().nth(1),
        Some("started 2026-03-02 by ana · 4 of 4 steps finished · 3 of 3 finished on time")
    );
}

#[test]
fn check_exits_1_only_when_something_is_overdue() {
    let mut ws = in_certification();
    let run = ws.at("2026-04-06T09:00:00-03:00").run(&["check"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "Nothing is overdue or due soon.\n"));
    let run = ws.at("2026-04-14T09:00:00-03:00").run(&["check"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        " Project        What                        Owner         Due          State
────────────── ─────────────────────────── ───────────── ──────────── ─────────────────────────────
 coop-central   phase III `certification`   OPERACIONES   2026-04-15   due soon: in 1 business day
"
    );
    let run = ws.at("2026-04-15T23:59:00-03:00").run(&["check", "--json"]);
    assert_eq!(run.code, 0, "due at the end of the day: still on time at 23:59");
    let run = ws.at("2026-04-16T00:00:00-03:00").run(&["check", "--json"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "findings": [certification_overdue()],
            "ready_soon": [],
            "errors": [],
        })
    );
    assert_eq!(ws.run(&["check", "coop-central"]).code, 1);
}

/// `check --json`'s finding for `coop-central`'s certification, overdue since 16 April.
fn certification_overdue() -> serde_json::Value {
    serde_json::json!({
        "project": "coop-central", "id": "certification", "label": "phase III",
        "title": "Certificación en PreProducción.", "owner": ["OPERACIONES"],
        "due": "2026-04-15", "overdue": true, "due_soon": false, "left": "overdue by 1 business day",
        "time_left": null, "overdue_by": {"amount": 1, "unit": "business_days"},
    })
}

/// `coop-central` in certification, overdue on 16 April; `coop-norte`, started the same
/// day, with nothing due; `coop-sur`, whose `project.yaml` a merge left with conflict
/// markers.
fn portfolio_with_a_conflicted_file() -> (Workspace, PathBuf, usize) {
    let mut ws = in_certification();
    ws.ok(&["start", "cooperative", "coop-norte"]);
    ws.ok(&["start", "cooperative", "coop-sur"]);
    let (path, line) = ws.conflicted("coop-sur");
    ws.at("2026-04-16T09:00:00-03:00");
    (ws, path, line)
}

#[test]
fn one_unreadable_project_hides_nothing_of_the_portfolio() {
    let (mut ws, path, line) = portfolio_with_a_conflicted_file();
    let error = format!(
        "error: `{}` has an unresolved merge conflict at line {line}\nhint: two branches changed the same file of project `coop-sur`: keep one side (`git checkout --ours` or `--theirs` on it, then `git add` it) or edit the file by hand, keeping the lines you mean\n",
        path.display()
    );

    let run = ws.run(&["check"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            2,
            " Project        What                        Owner         Due          State
────────────── ─────────────────────────── ───────────── ──────────── ───────────────────────────
 coop-central   phase III `certification`   OPERACIONES   2026-04-15   overdue by 1 business day
",
            error.as_str()
        )
    );

    let run = ws.run(&["status"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            2,
            " Project        Playbook      Current phase       Progress   Next due        Overdue   On time
────────────── ───────────── ─────────────────── ────────── ─────────────── ───────── ─────────
 coop-central   cooperative   III Certificación   17/25      phase III       1
                              en PreProducción.              2026-04-15
                                                             (overdue by 1
                                                             business day)
 coop-norte     cooperative   I Reunión inicial   0/25                       0
",
            error.as_str()
        )
    );

    let json_error = serde_json::json!([{
        "project": "coop-sur",
        "path": ws.project_dir("coop-sur").display().to_string(),
        "error": format!("`{}` has an unresolved merge conflict at line {line}", path.display()),
        "hint": "two branches changed the same file of project `coop-sur`: keep one side (`git checkout --ours` or `--theirs` on it, then `git add` it) or edit the file by hand, keeping the lines you mean",
    }]);
    let run = ws.run(&["status", "--json"]);
    assert_eq!((run.code, run.stderr.as_str()), (2, error.as_str()));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "projects": [
                {
                    "project": "coop-central", "playbook": "cooperative", "current_phase": "certification",
                    "finished": 17, "steps": 25,
                    "next_due": {"id": "certification", "due": "2026-04-15", "overdue": true},
                    "overdue": 1, "on_time": {"on_time": 0, "finished": 0}, "archived": false,
                },
                {
                    "project": "coop-norte", "playbook": "cooperative", "current_phase": "kickoff",
                    "finished": 0, "steps": 25, "next_due": null, "overdue": 0,
                    "on_time": {"on_time": 0, "finished": 0}, "archived": false,
                },
            ],
            "errors": json_error,
        })
    );

    let run = ws.run(&["check", "--json"]);
    assert_eq!((run.code, run.stderr.as_str()), (2, error.as_str()));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "findings": [certification_overdue()],
            "ready_soon": [],
            "errors": json_error,
        })
    );

    // Named, the project is the command's whole subject: its error is the only output.
    assert_eq!(ws.fails(&["check", "coop-sur"]), error);
    assert_eq!(ws.fails(&["check", "coop-sur", "--json"]), error);

    // Nothing due in the readable projects is no clean bill for the unreadable one.
    let run = ws.at("2026-03-31T09:00:00-03:00").run(&["check"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (2, "Nothing is overdue or due soon in the 2 projects that could be read.\n", error.as_str())
    );
}

#[test]
fn production_has_three_business_days_from_its_start() {
    let mut ws = in_certification();
    ws.at("2026-04-09T15:00:00-03:00");
    for step in ["III.1", "III.2", "III.3", "III.4"] {
        ws.ok(&["advance", step]);
    }
    // Started Thursday 9 April: Friday 10, Monday 13, Tuesday 14.
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "coop-central", "--json"]).stdout).unwrap();
    assert_eq!(json["phases"][2]["due"], "2026-04-15");
    assert_eq!(json["phases"][2]["overdue"], false);
    assert_eq!(json["phases"][3]["started_at"], "2026-04-09T15:00:00-03:00");
    assert_eq!(json["phases"][3]["due"], "2026-04-14");
    assert_eq!(json["phases"][3]["left"], "in 3 business days");
}

#[test]
fn set_moves_a_milestone_and_the_due_dates_follow() {
    let ws = Workspace::initialized();
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), include_str!("../fixtures/go-live.yaml"))
        .unwrap();
    ws.ok(&["start", "go-live", "teatro-lausanne", "--set", "J=2026-04-15"]);
    let dues = |ws: &Workspace| -> Vec<String> {
        let json: serde_json::Value =
            serde_json::from_str(&ws.ok(&["status", "teatro-lausanne", "--json"]).stdout).unwrap();
        json["phases"][0]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["due"].as_str().unwrap().to_string())
            .collect()
    };
    // J-14 = 1 April; J-7 = 8 April; J-1 = 14 April; J = 15 April.
    assert_eq!(dues(&ws), ["2026-04-01", "2026-04-08", "2026-04-14", "2026-04-15"]);
    let run = ws.ok(&["set", "J=2026-05-25", "--reason", "the customer moved the go-live"]);
    assert_eq!(run.stderr, "Set J=2026-05-25 in `teatro-lausanne` (was 2026-04-15).\n");
    // J-14 = Monday 11 May; J-7 = Monday 18 May; J-1 = Sunday 24 May, so Friday 22 May;
    // J = Whit Monday 25 May is no holiday in the national CH data.
    assert_eq!(dues(&ws), ["2026-05-11", "2026-05-18", "2026-05-22", "2026-05-25"]);
    let log = ws.ok(&["log"]).stdout;
    assert!(
        log.ends_with(
            " set             J=2026-05-25; the customer moved the go-live (was
                                          2026-04-15)
"
        ),
        "{log}"
    );
    assert_eq!(
        ws.fails(&["set", "J=soon", "--reason", "x"]),
        "error: bad value for `J`: expected a date as YYYY-MM-DD, found `soon`\nhint: `J`: The go-live date (milestone J).\n"
    );
    assert_eq!(
        ws.fails(&["set", "j=2026-05-01", "--reason", "x"]),
        "error: playbook `go-live` has no variable `j`\nhint: did you mean `J`?\n"
    );
}

#[test]
fn team_overrides_close_days_and_the_calendar_lists_them() {
    let ws = Workspace::initialized();
    let overrides = ws.path().join(".onboard/calendars");
    fs::create_dir_all(&overrides).unwrap();
    fs::write(
        overrides.join("FR.yaml"),
        "closed:\n  - {date: 2026-12-24, name: Fermeture de fin d'année}\nworked: [2026-05-08]\n",
    )
    .unwrap();
    let run = ws.ok(&["calendars", "FR", "--year", "2026"]);
    assert_eq!(
        run.stdout,
        format!(
            "FR France (Europe/Paris), business hours 09:00-18:00, holidays from python holidays 0.109 (2020-2040), with {}
 Date         Day         Closed for
──────────── ─────────── ───────────────────────────────────
 2026-01-01   Thursday    Jour de l'an
 2026-04-06   Monday      Lundi de Pâques
 2026-05-01   Friday      Fête du Travail
 2026-05-08   Friday      Fête de la Victoire (worked)
 2026-05-14   Thursday    Ascension
 2026-05-25   Monday      Lundi de Pentecôte
 2026-07-14   Tuesday     Fête nationale
 2026-08-15   Saturday    Assomption
 2026-11-01   Sunday      Toussaint
 2026-11-11   Wednesday   Armistice
 2026-12-24   Thursday    closure: Fermeture de fin d'année
 2026-12-25   Friday      Noël
",
            overrides.join("FR.yaml").display()
        )
    );
    let run = ws.ok(&["calendars", "FR", "--year", "2045"]);
    assert_eq!(
        run.stderr,
        "warning: calendar `FR` has complete holiday data for 2020-2040 only; 2045 may lack holidays\n"
    );
    fs::write(overrides.join("FR.yaml"), "hours: 9h-18h\n").unwrap();
    let stderr = ws.fails(&["calendars", "FR"]);
    assert!(
        stderr.starts_with(&format!(
            "error: `{}`: cannot read the business hours `9h-18h`",
            overrides.join("FR.yaml").display()
        )),
        "{stderr}"
    );
}

#[test]
fn dates_beyond_the_holiday_data_warn() {
    let ws = Workspace::initialized();
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), include_str!("../fixtures/go-live.yaml"))
        .unwrap();
    ws.ok(&["start", "go-live", "far-future", "--set", "J=2041-06-03"]);
    let run = ws.ok(&["status", "far-future", "--json"]);
    assert_eq!(
        run.stderr,
        "warning: calendar `CH` has complete holiday data for 2020-2040 only; due dates in 2041 may count missing holidays as business days\n"
    );
}

#[test]
fn hour_rules_give_rfc3339_due_times() {
    let mut ws = Workspace::initialized();
    ws.at("2026-03-06T16:00:00-05:00");
    ws.ok(&["start", "support-request", "ticket-1042"]);
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "ticket-1042", "--json"]).stdout).unwrap();
    let diagnosis = json["phases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["steps"].as_array().unwrap())
        .find(|s| s["id"] == "diagnosis")
        .unwrap()
        .clone();
    // Friday 16:00 in Bogotá, business hours 08:00-17:00: one hour on Friday, one on Monday.
    assert_eq!(diagnosis["due"], "2026-03-09T09:00:00-05:00");
}
