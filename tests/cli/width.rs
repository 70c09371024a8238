//! Output that fits the terminal: `status` (one project, in full and `--compact`, and the
//! portfolio), `check`, `log`, `show` and `explain` at 60, 80 and 200 columns, compared
//! whole with `tests/expected/width-*.txt`, and no line of any of them wider than its
//! width; and the pager, driven through a pseudo-terminal.

use std::process::Command;

use crate::harness::*;

/// Two cooperatives and a data import, one of them late: long titles, long owners, due
/// dates overdue and soon, rounds, notes and variables.
fn portfolio() -> Workspace {
    let mut ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central", "--set", "dimo_personalizada=true"]);
    through_kickoff(&mut ws);
    ws.at("2026-03-03T10:00:00-03:00").ok(&[
        "advance",
        "coop-central",
        "vpn-follow-up",
        "--repeat",
        "--note",
        "VPN pedida al proveedor; el documento firmado por el participante llega el jueves",
    ]);
    ws.ok(&["advance", "coop-central", "vpn-follow-up"]);
    ws.ok(&["advance", "coop-central", "3.2.3", "--set", "fecha_reunion_tecnica=2026-03-05"]);
    ws.ok(&[
        "advance",
        "coop-central",
        "3.3",
        "--set",
        "cuenta_clearing=CL-0042",
        "--set",
        "lista_blanca=2026-03-19",
    ]);
    ws.ok(&["start", "cooperative", "coop-norte"]);
    ws.at("2026-03-02T09:00:00+01:00").ok(&["start", "data-import", "opera", "--set", "J=2026-03-20"]);
    ws.at("2026-03-13T09:00:00+01:00");
    ws
}

/// The commands whose text output must fit, by the name of their snapshot.
const COMMANDS: [(&str, &[&str]); 7] = [
    ("status", &["status", "coop-central"]),
    ("status-compact", &["status", "coop-central", "--compact"]),
    ("portfolio", &["status"]),
    ("check", &["check"]),
    ("log", &["log", "coop-central"]),
    ("show", &["show", "data-import"]),
    ("explain", &["explain", "opera", "deliver-data"]),
];

fn at_width(ws: &Workspace, columns: usize, args: &[&str]) -> String {
    let run = ws.run_with(&[("COLUMNS", &columns.to_string())], args);
    assert!(matches!(run.code, 0 | 1), "onboard {args:?}: {run:?}");
    run.stdout
}

/// The widest line as a terminal shows it (a wide character takes two columns):
/// `unicode-width`, through textwrap.
fn widest(text: &str) -> usize {
    text.lines().map(textwrap::core::display_width).max().unwrap_or(0)
}

#[test]
fn every_output_fits_60_80_and_200_columns() {
    let ws = portfolio();
    for columns in [60, 80, 200] {
        for (name, args) in COMMANDS {
            let text = at_width(&ws, columns, args);
            assert!(widest(&text) <= columns, "onboard {args:?} at {columns} columns:\n{text}");
            // Output to a pipe is never paged, whatever the pager says.
            let piped =
                ws.run_with(&[("COLUMNS", &columns.to_string()), ("ONBOARD_PAGER", "sed s/^/P:/")], args);
            assert_eq!(piped.stdout, text, "onboard {args:?} piped");
            if !matches!(name, "show" | "explain") {
                assert_expected(&format!("width-{name}-{columns}.txt"), &text);
            }
        }
    }
    // `show` and `explain` have their own tests at 60 columns: here at the others.
    for columns in [80, 200] {
        assert_expected(
            &format!("width-show-{columns}.txt"),
            &at_width(&ws, columns, &["show", "data-import"]),
        );
    }
}

#[test]
fn below_80_columns_a_table_is_a_block_per_row() {
    let ws = portfolio();
    assert_eq!(
        at_width(&ws, 79, &["status"]),
        "coop-central
  Playbook:      cooperative
  Current phase: II Acompañar el desarrollo del Participante.
  Progress:      16/29
  Overdue:       0
coop-norte
  Playbook:      cooperative
  Current phase: I Reunión inicial
  Progress:      0/25
  Overdue:       0
opera
  Playbook:      data-import
  Current phase: 1–2 Kick-off
  Progress:      0/13
  Next due:      3 2026-03-06 (overdue by 5 business days)
  Overdue:       2
"
    );
    // At 80 columns the longest words of these seven columns (`coop-central`,
    // `Participante.`, `Progress`…) do not fit side by side: still a block per row. At 100
    // they do.
    assert!(at_width(&ws, 80, &["status"]).starts_with("coop-central\n  Playbook:"));
    assert!(at_width(&ws, 100, &["status"]).starts_with(" Project "));
}

#[test]
fn compact_status_shows_the_phase_under_way_and_a_line_for_each_other_phase() {
    let ws = portfolio();
    let compact = at_width(&ws, 100, &["status", "coop-central", "--compact"]);
    let full = at_width(&ws, 100, &["status", "coop-central"]);
    assert!(compact.lines().count() * 2 < full.lines().count(), "{compact}");
    assert_expected("compact-status.txt", &compact);
    // JSON is the same with or without it: --compact is for people.
    let run = ws.run(&["status", "coop-central", "--compact", "--json"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_expected("compact-json-refused.txt", &run.stderr);
}

#[cfg(unix)]
mod pager {
    use super::*;

    /// `onboard ARGS` in a pseudo-terminal 60 columns wide and `rows` high, with `env`;
    /// returns what it wrote, line endings as the terminal got them.
    fn on_terminal(ws: &Workspace, rows: u16, env: &[(&str, &str)], args: &[&str]) -> String {
        let mut cmd = Command::new("sh");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", ws.path())
            .env("TERM", "dumb")
            .env("ONBOARD_NOW", &ws.now)
            .env("ONBOARD_USER", &ws.user)
            .envs(env.iter().copied())
            .current_dir(ws.path())
            .arg("-c")
            .arg(format!("stty cols 60 rows {rows} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_onboard"))
            .args(args);
        let options = rexpect::reader::Options::default().timeout_ms(Some(20_000));
        let mut session = rexpect::session::spawn_with_options(cmd, options).expect("a pseudo-terminal");
        // rexpect reads bytes as chars one to one.
        let bytes: Vec<u8> = session.exp_eof().expect("onboard ends").chars().map(|c| c as u8).collect();
        String::from_utf8(bytes).expect("utf-8").replace("\r\n", "\n")
    }

    const PAGER: (&str, &str) = ("ONBOARD_PAGER", "sed s/^/P:/");

    #[test]
    fn long_output_on_a_terminal_goes_through_the_pager_unless_told_not_to() {
        let ws = portfolio();
        let paged = on_terminal(&ws, 20, &[PAGER, ("NO_COLOR", "1")], &["status", "coop-central"]);
        assert!(
            paged.starts_with("P:coop-central: Proceso de Integración Cooperativa a\nP:  DIMO/SICOOP"),
            "{paged}"
        );
        assert!(paged.lines().all(|l| l.starts_with("P:")), "{paged}");
        let direct =
            on_terminal(&ws, 20, &[PAGER, ("NO_COLOR", "1")], &["status", "coop-central", "--no-pager"]);
        assert!(direct.starts_with("coop-central: Proceso de Integración"), "{direct}");
        let unpaged: Vec<&str> = paged.lines().map(|l| &l[2..]).collect();
        assert_eq!(unpaged, direct.lines().collect::<Vec<_>>(), "the pager gets the same text");
        for off in ["", "cat"] {
            let env = [("ONBOARD_PAGER", off), ("PAGER", "sed s/^/Q:/"), ("NO_COLOR", "1")];
            let text = on_terminal(&ws, 20, &env, &["log", "coop-central"]);
            assert!(text.starts_with("2026-03-02 09:00\n  Who:"), "ONBOARD_PAGER={off:?}: {text}");
        }
        // PAGER when ONBOARD_PAGER is unset; LINES says how high the screen is.
        let by_pager =
            on_terminal(&ws, 20, &[("PAGER", "sed s/^/Q:/"), ("NO_COLOR", "1")], &["log", "coop-central"]);
        assert!(by_pager.starts_with("Q:"), "{by_pager}");
        let tall =
            on_terminal(&ws, 20, &[PAGER, ("LINES", "500"), ("NO_COLOR", "1")], &["log", "coop-central"]);
        assert!(!tall.contains("P:"), "{tall}");
    }

    #[test]
    fn short_output_and_a_missing_pager_write_directly() {
        let ws = portfolio();
        let short = on_terminal(&ws, 40, &[PAGER, ("NO_COLOR", "1")], &["check"]);
        assert!(!short.contains("P:") && short.contains("opera: 3 `secutix-format-data`"), "{short}");
        let missing = on_terminal(
            &ws,
            10,
            &[("ONBOARD_PAGER", "no-such-pager -R"), ("NO_COLOR", "1")],
            &["log", "coop-central"],
        );
        assert!(missing.starts_with("2026-03-02 09:00\n  Who:"), "{missing}");
    }
}
