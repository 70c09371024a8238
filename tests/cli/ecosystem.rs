//! What users of a Rust CLI take for granted: shell completions (with project names and
//! step ids at each TAB) and manual pages.

use super::*;

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
    // The only project: its steps are offered where a lone argument may be a step
    // (`explain` takes any of them; `advance` only ready ones, see completion.rs).
    let run = ws.run_with(&fish, &["--", "onboard", "explain", "se"]);
    assert_eq!(
        run.stdout,
        "secutix-format-data\tThe customer fills the files and gives the data in the SecuT…
second-extraction\tOptionally, to import recent data, the customer has the poss…
"
    );
    let run = ws.run_with(&fish, &["--", "onboard", "status", "op"]);
    assert_eq!(run.stdout, "opera\n");
    let run = ws.run_with(&fish, &["--", "onboard", "start", "coop"]);
    assert_eq!(run.stdout, "cooperative\tProceso de Integración Cooperativa a DIMO/SICOOP\n");
    let run = ws.run_with(&fish, &["--", "onboard", "check", "--playbook", "data"]);
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
        // A command's line starts with two spaces; a wrapped description, with more.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .count();
    // The plumbing commands (completions, man, schema, merge-file) have pages too.
    assert_eq!(written.len(), listed + 4 + 1, "{written:?}");
    assert_eq!(run.stderr, format!("Wrote {} manual pages to `man1`.\n", listed + 4 + 1));
    assert!(written.contains(&"onboard-merge-file.1".to_string()));
    let status = fs::read_to_string(ws.path().join("man1/onboard-status.1")).unwrap();
    assert!(status.contains(".TH ONBOARD-STATUS 1"), "{status}");
    assert!(status.contains("\\-\\-as\\-of"), "the flags are documented");
    // The synopsis is the command as it is typed; the sections a manual page has.
    assert!(status.contains(".SH SYNOPSIS\n\\fBonboard status\\fR"), "{status}");
    let sections: Vec<&str> = status.lines().filter_map(|l| l.strip_prefix(".SH ")).collect();
    assert_eq!(
        sections,
        [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "\"EXIT STATUS\"",
            "ENVIRONMENT",
            "FILES",
            "EXAMPLES",
            "\"SEE ALSO\""
        ]
    );
    assert!(status.contains(".SH EXAMPLES\n.nf\nonboard status "), "{status}");
    assert!(status.contains("\\fBonboard\\fR(1), \\fBonboard\\-init\\fR(1)"), "{status}");
    assert!(status.contains(".TP\n\\fB1\\fR\n"), "exit codes");
    assert!(status.contains(".TP\n\\fBONBOARD_NOW\\fR\n"), "environment");
}

const MODELINE: &str = "# yaml-language-server: $schema=../schema/playbook.schema.json\n";

fn playbook_schema() -> jsonschema::Validator {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/playbook.schema.json"))
        .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).expect("a valid JSON Schema")
}

fn as_json(yaml: &str) -> serde_json::Value {
    serde_yaml::from_str(yaml).expect("YAML")
}

#[test]
fn the_committed_schema_is_the_one_the_parser_describes() {
    let committed =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/playbook.schema.json"))
            .expect("schema/playbook.schema.json");
    let printed = Workspace::new().ok(&["schema", "playbook"]).stdout;
    assert!(
        printed == committed,
        "schema/playbook.schema.json is stale: run `cargo run -- schema playbook > schema/playbook.schema.json`"
    );
}

#[test]
fn every_bundled_playbook_names_the_schema_and_passes_it() {
    let schema = playbook_schema();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("playbooks");
    let mut checked = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(MODELINE), "{} must start with the modeline", path.display());
        let errors: Vec<String> = schema.iter_errors(&as_json(&text)).map(|e| e.to_string()).collect();
        assert_eq!(errors, Vec::<String>::new(), "{}", path.display());
        checked += 1;
    }
    assert_eq!(checked, 7);
}

#[test]
fn the_schema_refuses_what_the_parser_refuses() {
    let schema = playbook_schema();
    let good = "id: p\ntitle: T\ncalendar: CH\nphases:\n- id: a\n  title: A\n  steps:\n  - id: s\n    title: S\n    owner: R\n    deadline: {within: 2 business days, from: project.start}\n";
    assert!(schema.is_valid(&as_json(good)));
    for bad in [
        good.replace("title: S", "titel: S"),
        good.replace("    owner: R\n", ""),
        good.replace("within: 2 business days", "within: 2"),
        good.replace("calendar: CH\n", ""),
    ] {
        assert!(!schema.is_valid(&as_json(&bad)), "accepted:\n{bad}");
    }
}

#[test]
fn help_lists_the_commands_and_the_environment() {
    let ws = Workspace::new();
    assert_expected("help.txt", &ws.ok(&["--help"]).stdout);
    let status = ws.ok(&["status", "--help"]).stdout;
    assert!(status.ends_with(
        "Environment:
  ONBOARD_DIR       The state directory, as --dir
  ONBOARD_WORKSPACE A workspace file of state directories read together, as --workspace
  ONBOARD_USER      Who makes changes, as --by
  ONBOARD_NOW       The clock, for scripts and tests: RFC 3339, or YYYY-MM-DD for midnight
  NO_COLOR          Set (not empty): no colour; also CLICOLOR=0, and CLICOLOR_FORCE=1 to force it
  COLUMNS           The width tables and text fit into [default: the terminal's, else 100];
                    below 80, tables show each row as a block of `label: value` lines
  ONBOARD_PAGER     The pager for output longer than the terminal, before PAGER
                    [default: less, with LESS=FRX]; empty or cat: none, as --no-pager
  LINES             The terminal's height, past which output is paged [default: the terminal's]
  ONBOARD_NO_CACHE  Set (not empty or 0): portfolio commands bypass their cache, as --no-cache
  ONBOARD_WAIT      Seconds a change waits for a project another command is changing, then
                    exits 4 [default: 30; 0: not at all]
"
    ));
    assert!(status.lines().all(|l| l.chars().count() <= 100), "{status}");
    // Global options apart from a command's own; plumbing apart from the commands people use.
    assert!(status.contains("\nGlobal options:\n      --dir <DIR>"), "{status}");
    let top = ws.ok(&["-h"]).stdout;
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.strip_prefix("  ")?.split_whitespace().next())
        .collect();
    assert!(commands.contains(&"next") && !commands.contains(&"merge-file"), "{commands:?}");
    assert!(top.contains("\nPlumbing:\n  completions "), "{top}");
    assert!(!top.contains("Examples:"), "examples are for --help: {top}");
    assert!(ws.ok(&["--help"]).stdout.contains("\nExamples:\n  onboard start "));
    // Plumbing still works.
    assert_eq!(
        ws.ok(&["schema", "next"]).stdout,
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/next.schema.json")).unwrap()
    );
}
