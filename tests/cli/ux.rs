//! A person at a terminal: prompts driven through a pseudo-terminal 60 columns wide and
//! read back as the screen shows them (a question, then its answer, once); what `start`
//! says on a first run; `init` below a folder that already has `.onboard/`.

use super::*;

#[test]
fn start_in_the_per_user_folder_says_so_and_how_to_get_a_team_one() {
    let ws = Workspace::new();
    let repo = ws.path().join("repo");
    fs::create_dir(&repo).unwrap();
    let run = |args: &[&str]| {
        let output = ws.command(args).current_dir(&repo).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stderr).unwrap().replace(&ws.path().display().to_string(), "[HOME]")
    };
    assert_eq!(
        run(&["start", "cooperative", "coop-central"]),
        "Started project `coop-central` from playbook `cooperative` (25 of its 29 steps apply).
Ready: I `schedule-meeting`
Wrote [HOME]/.local/share/onboard/projects/coop-central/project.yaml.
This is your per-user folder, outside any repository: to share projects with a team, run `onboard init` in the repository and start them there.
Next: `onboard status` shows the plan and its due dates; `onboard advance` completes I `schedule-meeting`.
"
    );
    // A second project: no next steps (`advance` would now need a project name).
    assert_eq!(
        run(&["start", "support-request", "sol-1041"]),
        "Started project `sol-1041` from playbook `support-request` (7 steps).
Ready: `client-request`
Wrote [HOME]/.local/share/onboard/projects/sol-1041/project.yaml.
This is your per-user folder, outside any repository: to share projects with a team, run `onboard init` in the repository and start them there.
"
    );
}

#[test]
fn set_without_a_value_and_without_a_terminal_names_the_form_to_pass() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "data-import", "opera", "--set", "J=2026-05-28"]);
    assert_eq!(
        ws.fails(&["set", "J", "--reason", "go-live moved"]),
        "error: `set J` needs a value
hint: `onboard set opera J=<YYYY-MM-DD> --reason TEXT`; `J`: milestone J: the go-live date
"
    );
    assert_eq!(
        ws.fails(&["set", "opera", "calendar", "--reason", "Vaud"]),
        "error: `set calendar` needs a calendar id
hint: `onboard set opera calendar=ID --reason TEXT`; the calendars are PY, CO, CH, CH-VD, CH-ZH, CH-GE, FR, ES, ES-MD, ES-CT, IN
"
    );
}

#[test]
fn init_below_a_folder_with_onboard_refuses_to_hide_it_unless_told_here() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    let sub = ws.path().join("docs/guides");
    fs::create_dir_all(&sub).unwrap();
    let run = |args: &[&str]| ws.command(args).current_dir(&sub).output().unwrap();
    let refused = run(&["init"]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(refused.stderr).unwrap(),
        "error: `../../.onboard/` is this folder's state directory already; a new `.onboard/` here would hide it
hint: commands run here use `../../.onboard/`; to set up merges in a fresh clone, run `onboard init` in `../..`; `onboard init --here` creates a separate one anyway
"
    );
    assert!(!sub.join(".onboard").exists(), "nothing is created");
    let forced = run(&["init", "--here"]);
    assert!(forced.status.success());
    assert_eq!(
        String::from_utf8(forced.stderr).unwrap(),
        "Created .onboard/ with projects/ and playbooks/; commit it to share projects with your team.
warning: commands run here and below now use this one, no longer `../../.onboard/`
"
    );
    // Running it again where it now is only checks it.
    let again = run(&["init"]);
    assert!(String::from_utf8(again.stderr).unwrap().starts_with("Checked .onboard/"));
}

/// Prompts, through a pseudo-terminal (Unix only).
#[cfg(unix)]
mod terminal {
    use super::*;

    use rexpect::{process::WaitStatus, reader::Options, session::PtySession};

    const COLUMNS: u16 = 60;
    const ROWS: u16 = 40;

    /// onboard in a pseudo-terminal of `COLUMNS`×`ROWS`, answering each prompt as it shows:
    /// for each `(text, keys)`, waits until `text` is on screen, then types `keys`. Returns
    /// the screen as a person reads it at the end (rows without trailing blanks, the blank
    /// rows below the output left out) and the exit code.
    fn on_terminal(ws: &Workspace, args: &[&str], answers: &[(&str, &str)]) -> (String, i32) {
        let (_, screen, code) = on_terminal_raw(ws, args, answers);
        (screen, code)
    }

    /// `on_terminal`, also returning every byte onboard wrote (chars standing for bytes).
    fn on_terminal_raw(ws: &Workspace, args: &[&str], answers: &[(&str, &str)]) -> (String, String, i32) {
        // The pty starts with no size; `stty` gives it one before onboard starts, as a window has.
        let mut cmd = Command::new("sh");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", ws.path())
            .env("TERM", "xterm")
            .env("ONBOARD_NOW", &ws.now)
            .env("ONBOARD_USER", &ws.user)
            .current_dir(ws.path())
            .arg("-c")
            .arg(format!("stty cols {COLUMNS} rows {ROWS} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_onboard"))
            .args(args);
        let options = Options::default().timeout_ms(Some(20_000)).strip_ansi_escape_codes(false);
        let mut session = rexpect::session::spawn_with_options(cmd, options).expect("a pseudo-terminal");
        // rexpect reads bytes as chars one to one: speak to it in that form.
        let raw = |text: &str| -> String { text.bytes().map(char::from).collect() };
        let mut shown = String::new();
        for (text, keys) in answers {
            let before =
                session.exp_string(&raw(text)).unwrap_or_else(|e| panic!("no `{text}` in {shown:?}: {e}"));
            shown.push_str(&before);
            shown.push_str(&raw(text));
            if keys.contains(CTRL_C) {
                // Ctrl-C is a key only once onboard reads the terminal raw: let it get there
                // after drawing the question (the tty would otherwise send SIGINT).
                std::thread::sleep(std::time::Duration::from_millis(300));
            }
            session.send(keys).expect("typed");
            session.flush().expect("typed");
        }
        shown.push_str(&session.exp_eof().expect("onboard ends"));
        (shown.clone(), screen(&shown), exit_code(&session))
    }

    fn exit_code(session: &PtySession) -> i32 {
        match session.process().wait().expect("onboard exits") {
            WaitStatus::Exited(_, code) => code,
            other => panic!("onboard did not exit: {other:?}"),
        }
    }

    /// What a terminal shows after receiving `output` (chars standing for bytes).
    fn screen(output: &str) -> String {
        let bytes: Vec<u8> = output.chars().map(|c| c as u8).collect();
        let size = |n| std::num::NonZeroU16::new(n).expect("a size");
        let mut parser = vt100::Parser::new(size(ROWS), size(COLUMNS), 0);
        parser.process(&bytes);
        let rows: Vec<String> =
            parser.screen().rows(0, COLUMNS).map(|row| row.trim_end().to_string()).collect();
        let used = rows.iter().rposition(|row| !row.is_empty()).map_or(0, |last| last + 1);
        rows[..used].join("\n") + "\n"
    }

    /// `coop-central` with phase I done up to 3.1, which asks for `contactos`.
    fn cooperative_at_contact_list() -> Workspace {
        let ws = Workspace::initialized();
        ws.ok(&["start", "cooperative", "coop-central"]);
        for step in MEETING {
            ws.ok(&["advance", step]);
        }
        ws
    }

    const ENTER: &str = "\r";
    const DOWN: &str = "\x1b[B";
    const ESC: &str = "\x1b";
    const LEFT: &str = "\x1b[D";
    const CTRL_C: &str = "\x03";
    const BACKSPACE: &str = "\x7f";
    /// The escape that shows the cursor again.
    const SHOW_CURSOR: &str = "\x1b[?25h";

    #[test]
    fn a_field_is_asked_for_with_its_step_and_the_answer_shows_once_even_when_it_wraps() {
        let ws = cooperative_at_contact_list();
        let answer = "Ana Pérez (TI) ana@coop.com.py; Luis Gómez (Operaciones)";
        let (screen, code) =
            // Typed past the row's end, then mended with the arrows, Backspace and Delete.
            on_terminal(&ws, &["advance", "3.1"], &[("(text, required): ", &format!("{answer}xy{LEFT}{BACKSPACE}\x1b[3~{ENTER}"))]);
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "Contactos técnico y operativo de la cooperativa (nombre,
correo, teléfono).
3.1 `contact-list` — contactos (text, required): Ana Pérez
(TI) ana@coop.com.py; Luis Gómez (Operaciones)
Completed 3.1 `contact-list` in `coop-central`.
Ready now: 3.2.1 `send-documentation`, 3.3 `clearing-whiteli
st-follow-up`
"
        );
        assert!(ws.read_project("coop-central").contains(&format!("contactos: {answer}")));
    }

    #[test]
    fn quiet_still_asks_and_leaves_the_answered_line_but_no_notice() {
        let ws = cooperative_at_contact_list();
        let (screen, code) = on_terminal(
            &ws,
            &["--quiet", "advance", "3.1"],
            &[("(text, required): ", &format!("Ana Pérez{ENTER}"))],
        );
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "Contactos técnico y operativo de la cooperativa (nombre,
correo, teléfono).
3.1 `contact-list` — contactos (text, required): Ana Pérez
"
        );
        assert!(ws.read_project("coop-central").contains("contactos: Ana Pérez"));
    }

    #[test]
    fn a_date_says_its_form_and_a_bad_one_is_asked_again_with_the_reason() {
        let ws = cooperative_at_contact_list();
        ws.ok(&["advance", "3.1", "--set", "contactos=Ana"]);
        ws.ok(&["advance", "3.2.1"]);
        let prompt = "YYYY-MM-DD, required): ";
        let (screen, code) = on_terminal(
            &ws,
            &["advance", "3.2.3"],
            &[(prompt, "5 de marzo\r"), ("try again", ""), (prompt, "2026-03-05\r")],
        );
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "Fecha de la primera reunión técnica con el equipo de
desarrollo.
expected a date as YYYY-MM-DD, found `5 de marzo`; try again
3.2.3 `technical-meeting-date` — fecha_reunion_tecnica (date
YYYY-MM-DD, required): 2026-03-05
Completed 3.2.3 `technical-meeting-date` in `coop-central`.
Ready now: II `development-follow-up`
"
        );
    }

    #[test]
    fn a_repeatable_step_asks_whether_this_is_a_round_or_its_completion() {
        let ws = cooperative_at_contact_list();
        ws.ok(&["advance", "3.1", "--set", "contactos=Ana"]);
        ws.ok(&["advance", "3.2.1"]);
        // A step that is not ready is refused without a question.
        let (screen, code) = on_terminal(&ws, &["advance", "development-follow-up"], &[]);
        assert_eq!(code, 2, "{screen}");
        assert!(screen.starts_with("error: ") && !screen.contains("repeatable"), "{screen}");
        let list = "its completion (the step is done)";
        let (screen, code) = on_terminal(&ws, &["advance", "vpn-follow-up"], &[(list, ENTER)]);
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "3.2.2 `vpn-follow-up` is repeatable; record: round 1 (the
step stays open)
Recorded round 1 of 3.2.2 `vpn-follow-up` in `coop-central`;
 the step stays open.
"
        );
        let (screen, code) =
            on_terminal(&ws, &["advance", "vpn-follow-up"], &[(list, &format!("{DOWN}{ENTER}"))]);
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "3.2.2 `vpn-follow-up` is repeatable; record: its completion
(the step is done)
Completed 3.2.2 `vpn-follow-up` in `coop-central`.
"
        );
        // `--done` answers it beforehand: the fields are asked for straight away.
        let (screen, code) = on_terminal(
            &ws,
            &["advance", "clearing-whitelist-follow-up", "--done"],
            &[("required): ", "CL-0042\r"), ("YYYY-MM-DD, required): ", "2026-03-19\r")],
        );
        assert_eq!(code, 0, "{screen}");
        assert!(!screen.contains("repeatable") && screen.contains("Completed 3.3"), "{screen}");
    }

    #[test]
    fn a_choice_is_picked_from_its_list_and_a_bool_is_yes_or_no() {
        let mut ws = Workspace::initialized();
        ws.at("2026-08-24T10:00:00+05:30");
        ws.ok(&["start", "change-request", "acme-webhooks"]);
        ws.ok(&["advance", "1"]);
        ws.ok(&["advance", "2"]);
        let (screen, code) = on_terminal(
            &ws,
            &["advance", "3"],
            &[("(text, required): ", "Amardeep\r"), ("  call", &format!("{DOWN}{DOWN}{ENTER}"))],
        );
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "Who approved (name, and for the customer their
organisation).
3 `in-principle-approval` — approved_by (text, required):
Amardeep
How the approval was given (the document does not say).
3 `in-principle-approval` — approved_via (choice, required):
meeting
Completed 3 `in-principle-approval` in `acme-webhooks`.
Ready now: 4 `cr-document`
"
        );
        assert!(ws.read_project("acme-webhooks").contains("approved_via: meeting"));

        let ws = Workspace::initialized();
        ws.ok(&["start", "account-suspension", "hosting-ferreteria"]);
        ws.ok(&["advance", "suspension"]);
        let (screen, code) = on_terminal(&ws, &["advance", "payment-check"], &[("[y/n] ", "y")]);
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "El pago del servicio fue confirmado dentro de los 30 días de
suspensión.
`payment-check` — pago_confirmado (bool, required): yes
Completed `payment-check` in `hosting-ferreteria`.
Ready now: `reactivation`
"
        );
        assert!(ws.read_project("hosting-ferreteria").contains("pago_confirmado: true"));
    }

    #[test]
    fn set_with_a_key_alone_asks_for_its_value_and_a_calendar_from_the_list() {
        let ws = Workspace::initialized();
        ws.ok(&["start", "data-import", "opera", "--set", "J=2026-05-28"]);
        let (screen, code) = on_terminal(
            &ws,
            &["set", "J", "--reason", "go-live moved"],
            &[("[2026-05-28]: ", "2026-06-04\r")],
        );
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "milestone J: the go-live date
`opera` — J (date YYYY-MM-DD, required): 2026-06-04
Set J=2026-06-04 in `opera` (was 2026-05-28).
"
        );
        // The project's calendar is offered first.
        let (screen, code) = on_terminal(
            &ws,
            &["set", "calendar", "--reason", "Vaud"],
            &[("(type to filter)", &format!("{DOWN}{DOWN}{ENTER}"))],
        );
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "`opera` — calendar: CO: Colombia
Set calendar=CO in `opera` (was CH).
"
        );
    }

    #[test]
    fn start_asks_for_a_required_variable_naming_the_playbook() {
        let ws = Workspace::initialized();
        let (screen, code) = on_terminal(
            &ws,
            &["start", "data-import", "theatre-vidy"],
            &[("YYYY-MM-DD, required): ", "2026-04-07\r")],
        );
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "milestone J: the go-live date
playbook `data-import` — J (date YYYY-MM-DD, required):
2026-04-07
Started project `theatre-vidy` from playbook `data-import` (
13 of its 15 steps apply).
Ready: 1 `announce-data`
Wrote .onboard/projects/theatre-vidy/project.yaml.
Next: `onboard status` shows the plan and its due dates; `on
board advance` completes 1 `announce-data`.
"
        );
    }

    #[test]
    fn ctrl_c_in_a_list_cancels_shows_the_cursor_and_records_nothing() {
        let ws = cooperative_at_contact_list();
        ws.ok(&["advance", "3.1", "--set", "contactos=Ana"]);
        ws.ok(&["advance", "3.2.1"]);
        let before = ws.read_project("coop-central");
        let (raw, screen, code) = on_terminal_raw(
            &ws,
            &["advance", "vpn-follow-up"],
            &[("its completion (the step is done)", CTRL_C)],
        );
        assert_eq!(code, 130, "{screen}");
        assert!(raw.contains(SHOW_CURSOR), "the cursor is shown again: {raw:?}");
        assert!(raw.rfind(SHOW_CURSOR) > raw.rfind("\x1b[?25l"), "and stays shown: {raw:?}");
        assert_eq!(
            screen,
            "3.2.2 `vpn-follow-up` is repeatable; record:
Cancelled; nothing was changed.
"
        );
        assert_eq!(ws.read_project("coop-central"), before, "nothing is recorded");
        // `q` cancels a short list too; a stray Enter after it answers nothing.
        let (screen, code) =
            on_terminal(&ws, &["advance", "vpn-follow-up"], &[("its completion (the step is done)", "q\r")]);
        assert_eq!((code, screen.ends_with("Cancelled; nothing was changed.\n")), (130, true), "{screen}");
        assert_eq!(ws.read_project("coop-central"), before);
    }

    #[test]
    fn esc_or_ctrl_c_at_a_line_of_text_cancels_and_records_nothing() {
        let ws = cooperative_at_contact_list();
        let before = ws.read_project("coop-central");
        for key in [ESC, CTRL_C] {
            let (raw, screen, code) =
                on_terminal_raw(&ws, &["advance", "3.1"], &[("(text, required): ", &format!("Ana{key}"))]);
            assert_eq!(code, 130, "{screen}");
            assert!(raw.contains(SHOW_CURSOR), "{raw:?}");
            assert_eq!(
                screen,
                "Contactos técnico y operativo de la cooperativa (nombre,
correo, teléfono).
3.1 `contact-list` — contactos (text, required): Ana
Cancelled; nothing was changed.
"
            );
            assert_eq!(ws.read_project("coop-central"), before, "nothing is recorded");
        }
    }

    #[test]
    fn a_long_list_filters_as_you_type() {
        let ws = Workspace::initialized();
        ws.ok(&["start", "data-import", "opera", "--set", "J=2026-05-28"]);
        // Eleven calendars: typing keeps those that hold every word typed, in any case.
        let (screen, code) = on_terminal(
            &ws,
            &["set", "calendar", "--reason", "Vaud"],
            &[
                ("(type to filter)", "es"),
                ("filter: es", "-"),
                ("filter: es-", "x"),
                ("no match", BACKSPACE),
                ("ES-CT", &format!("c{ENTER}")),
            ],
        );
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "`opera` — calendar: ES-CT: Spain, Catalonia
Set calendar=ES-CT in `opera` (was CH).
"
        );
        // The list shows ten at a time and where they are; the project's calendar is first.
        let (screen, code) =
            on_terminal(&ws, &["set", "calendar", "--reason", "Vaud"], &[("1-10 of 11", ESC)]);
        assert_eq!(code, 130, "{screen}");
        assert_eq!(
            screen,
            "`opera` — calendar:
Cancelled; nothing was changed.
"
        );
    }

    #[test]
    fn a_value_prompt_shows_the_current_value_which_enter_keeps() {
        let ws = Workspace::initialized();
        ws.ok(&["start", "data-import", "opera", "--set", "J=2026-05-28"]);
        let before = ws.read_project("opera");
        let (screen, code) =
            on_terminal(&ws, &["set", "opera", "J", "--reason", "checking"], &[("[2026-05-28]: ", ENTER)]);
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "milestone J: the go-live date
`opera` — J (date YYYY-MM-DD, required): 2026-05-28
J stays as it is in `opera` (2026-05-28); nothing changed.
"
        );
        assert_eq!(ws.read_project("opera"), before, "nothing is recorded");
        // A typo is mended where it is: the arrows move, what is typed goes in there.
        let (screen, code) = on_terminal(
            &ws,
            &["set", "opera", "J", "--reason", "moved"],
            &[("[2026-05-28]: ", &format!("2026-0604{LEFT}{LEFT}-{ENTER}"))],
        );
        assert_eq!(code, 0, "{screen}");
        assert!(screen.ends_with("Set J=2026-06-04 in `opera` (was 2026-05-28).\n"), "{screen}");
    }

    #[test]
    fn optional_fields_are_offered_and_can_be_left_empty() {
        let ws = Workspace::initialized();
        ws.ok(&["start", "support-request", "sol-1041"]);
        let (screen, code) =
            on_terminal(&ws, &["advance"], &[("(leave it empty)", &format!("{DOWN}{DOWN}{ENTER}"))]);
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "«defina si es defecto o Mejora»: la clasificación que
realiza el cliente es una guía que muestra su percepción; NO
determina la clasificación final.
`client-request` — clasificacion_cliente (choice, optional):
(leave it empty)
Completed `client-request` in `sol-1041`.
Ready now: `register`
"
        );
        assert!(!ws.read_project("sol-1041").contains("clasificacion_cliente"));
        // Given one `--set`, the others optional are not asked for.
        let ws = Workspace::initialized();
        ws.ok(&["start", "support-request", "sol-1041"]);
        let (screen, code) = on_terminal(&ws, &["advance", "--set", "clasificacion_cliente=mejora"], &[]);
        assert_eq!(code, 0, "{screen}");
        assert!(ws.read_project("sol-1041").contains("clasificacion_cliente: mejora"));
    }

    #[test]
    fn only_projects_that_can_take_the_command_are_offered() {
        let ws = Workspace::initialized();
        ws.ok(&["start", "data-import", "opera", "--set", "J=2026-05-28"]);
        ws.ok(&["start", "cooperative", "coop-central"]);
        ws.ok(&["start", "data-import", "theatre-vidy", "--set", "J=2026-04-20"]);
        // `cooperative` has no `J`.
        let (screen, code) = on_terminal(
            &ws,
            &["set", "J", "--reason", "go-live moved"],
            &[
                ("  theatre-vidy", &format!("{DOWN}{ENTER}")),
                ("[2026-04-20]: ", &format!("2026-04-27{ENTER}")),
            ],
        );
        assert_eq!(code, 0, "{screen}");
        assert_eq!(
            screen,
            "Which project?: theatre-vidy
milestone J: the go-live date
`theatre-vidy` — J (date YYYY-MM-DD, required): 2026-04-27
Set J=2026-04-27 in `theatre-vidy` (was 2026-04-20).
"
        );
        // Only `opera` has a done step to reopen: the list holds it alone.
        ws.ok(&["advance", "opera", "1", "--set", "data_to_migrate=contacts"]);
        let (raw, screen, code) =
            on_terminal_raw(&ws, &["reopen", "1", "--reason", "sent twice"], &[("> opera", ENTER)]);
        assert_eq!(code, 0, "{screen}");
        assert!(!raw.contains("theatre-vidy") && !raw.contains("coop-central"), "{raw:?}");
        assert_eq!(screen, "Which project?: opera\nReopened 1 `announce-data` in `opera`.\n");
        // None has an optional step left to skip.
        let (screen, code) = on_terminal(&ws, &["skip", "1", "--reason", "not needed"], &[]);
        assert_eq!(code, 2, "{screen}");
        assert_eq!(
            screen,
            "error: no project has an optional step left to skip
hint: `onboard status` shows where each project stands
"
        );
    }

    #[test]
    fn declining_delete_keeps_the_project_and_exits_1() {
        let ws = Workspace::initialized();
        ws.ok(&["start", "data-import", "opera", "--set", "J=2026-05-28"]);
        let (screen, code) = on_terminal(&ws, &["delete", "opera"], &[("[y/N]", "n")]);
        assert_eq!(code, 1, "declined: a script must not go on as if it were deleted\n{screen}");
        assert!(screen.ends_with("Kept project `opera`.\n"), "{screen}");
        assert_eq!(ws.ok(&["status", "--json"]).stdout.matches("\"project\": \"opera\"").count(), 1);
    }
}
