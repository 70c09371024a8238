//! What users of a Rust CLI take for granted: shell completions (with project names and
//! step ids at each TAB) and manual pages.

use super::*;

fn run_with(ws: &Workspace, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = ws.command(args);
    for (key, value) in env {
        cmd.env(key, value);
    }
    let output = cmd.output().expect("run onboard");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

#[test]
fn every_shell_gets_a_script_that_calls_back_or_a_static_one() {
    let ws = Workspace::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = ws.ok(&["completions", shell]);
        assert!(run.stdout.contains("COMPLETE"), "{shell}: the script asks onboard through $COMPLETE");
        let fixed = ws.ok(&["completions", shell, "--static"]);
        assert!(!fixed.stdout.contains("COMPLETE="), "{shell}: a static script never calls back");
        assert!(fixed.stdout.contains("advance"), "{shell}: the static script knows the commands");
    }
    let run = ws.run(&["completions", "tcsh"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: invalid value 'tcsh' for '<SHELL>'"), "{}", run.stderr);
}

#[test]
fn tab_completes_projects_steps_and_playbooks() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "data-import", "opera", "--set", "J=2026-04-20"]);
    let fish = [("COMPLETE", "fish")];
    // The only project: its steps are offered where a lone argument may be a step.
    let run = run_with(&ws, &fish, &["--", "onboard", "advance", "se"]);
    assert_eq!(
        run.stdout,
        "secutix-format-data\tThe customer fills the files and gives the data in the SecuT…
second-extraction\tOptionally, to import recent data, the customer has the poss…
"
    );
    let run = run_with(&ws, &fish, &["--", "onboard", "status", "op"]);
    assert_eq!(run.stdout, "opera\n");
    let run = run_with(&ws, &fish, &["--", "onboard", "start", "coop"]);
    assert_eq!(run.stdout, "cooperative\tProceso de Integración Cooperativa a DIMO/SICOOP\n");
    let run = run_with(&ws, &fish, &["--", "onboard", "check", "--playbook", "data"]);
    assert_eq!(run.stdout, "data-import\tData import process and planning\n");
}

#[test]
fn man_prints_the_page_or_writes_one_per_command() {
    let ws = Workspace::new();
    let page = ws.ok(&["man"]).stdout;
    assert!(page.contains(".TH onboard 1"), "{page}");
    assert!(page.contains("onboard\\-check(1)"), "names the commands");
    let run = ws.ok(&["man", "--out-dir", "man1"]);
    let mut written: Vec<String> = fs::read_dir(ws.path().join("man1"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let commands = ws.ok(&["--help"]).stdout;
    let listed = commands
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .count();
    assert_eq!(written.len(), listed + 1, "{written:?}");
    assert_eq!(run.stderr, format!("Wrote {} manual pages to `man1`.\n", listed + 1));
    let status = fs::read_to_string(ws.path().join("man1/onboard-status.1")).unwrap();
    assert!(status.contains(".TH ONBOARD-STATUS 1"), "{status}");
    assert!(status.contains("\\-\\-as\\-of"), "the flags are documented");
}
