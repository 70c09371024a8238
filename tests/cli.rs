//! The integration tests: the real `onboard` binary in a temporary directory, with a
//! cleared environment and a fixed clock, asserting whole outputs and exit codes. Where a
//! process per step would cost too much, the library is driven in-process instead, with
//! one pass through the binary kept beside it (`cli/play.rs`).
//!
//! Long outputs live in `tests/expected/`; run with `SNAPSHOTS=overwrite` to rewrite them
//! after an intended change, then review the diff.
//!
//! Portfolio commands use their cache, in a folder of each workspace's own; run with
//! `ONBOARD_TEST_NO_CACHE=1` to run every test without it (`cli/cache.rs` compares both
//! ways in any run).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

#[path = "cli/cache.rs"]
mod cache;
#[path = "cli/completion.rs"]
mod completion;
#[path = "cli/confined.rs"]
mod confined;
#[path = "cli/corpus.rs"]
mod corpus;
#[path = "cli/crash.rs"]
mod crash;
#[path = "cli/diff.rs"]
mod diff;
#[path = "cli/ecosystem.rs"]
mod ecosystem;
#[path = "cli/errors.rs"]
mod errors;
#[path = "cli/everyday.rs"]
mod everyday;
#[path = "cli/forecast.rs"]
mod forecast;
#[path = "cli/format.rs"]
mod format;
#[path = "cli/hostile.rs"]
mod hostile;
#[path = "cli/json.rs"]
mod json;
#[path = "cli/layers.rs"]
mod layers;
#[path = "cli/lifecycle.rs"]
mod lifecycle;
#[path = "cli/members.rs"]
mod members;
#[path = "cli/output.rs"]
mod output;
#[path = "cli/play.rs"]
mod play;
#[path = "cli/portfolio.rs"]
mod portfolio;
#[path = "cli/properties.rs"]
mod properties;
#[path = "cli/readme.rs"]
mod readme;
#[path = "cli/report.rs"]
mod report;
#[path = "cli/retract.rs"]
mod retract;
#[path = "cli/show.rs"]
mod show;
#[path = "cli/shown.rs"]
mod shown;
#[path = "cli/site.rs"]
mod site;
#[path = "cli/startup.rs"]
mod startup;
#[path = "cli/stats.rs"]
mod stats;
#[path = "cli/team.rs"]
mod team;
#[path = "cli/time.rs"]
mod time;
#[path = "cli/ui.rs"]
mod ui;
#[path = "cli/ux.rs"]
mod ux;
#[path = "cli/width.rs"]
mod width;

/// The instant a workspace's clock starts at.
const START: &str = "2026-03-02T09:00:00-03:00";

/// A scratch workspace with its own state directory, clock and cache folder (outside the
/// directory, which some tests make a git repository).
struct Workspace {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
    now: String,
    user: String,
}

/// What a run printed and how it ended.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = tempfile::tempdir().expect("temp dir");
        Workspace { dir, cache, now: START.into(), user: "ana".into() }
    }

    /// A workspace with `.onboard/` created by `onboard init`.
    fn initialized() -> Workspace {
        let ws = Workspace::new();
        ws.ok(&["init"]);
        ws
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("onboard").expect("binary");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("ONBOARD_NOW", &self.now)
            .env("ONBOARD_USER", &self.user)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("RUST_BACKTRACE", "1")
            .env("XDG_CACHE_HOME", self.cache.path())
            // Writers under test may queue behind each other on a loaded machine: they
            // wait, as a person would, far longer than the default (tests of the wait set
            // their own).
            .env("ONBOARD_WAIT", "600")
            .current_dir(self.path())
            .args(args);
        if std::env::var("ONBOARD_TEST_NO_CACHE").is_ok_and(|v| !v.is_empty() && v != "0") {
            cmd.env("ONBOARD_NO_CACHE", "1");
        }
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(&[], args)
    }

    /// Runs with extra environment variables (the workspace clears the rest).
    fn run_with(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        cmd.envs(env.iter().copied());
        let output = cmd.output().expect("run onboard");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
        }
    }

    /// Runs and insists on success.
    fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(run.code, 0, "onboard {args:?} failed:\n{}", run.stderr);
        run
    }

    /// Runs `check`-like commands, insists on exit code 0 or 1, and returns stdout.
    fn ok_or_1(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(matches!(run.code, 0 | 1), "onboard {args:?} failed:\n{}", run.stderr);
        run.stdout
    }

    /// Runs, insists on exit code 2 and no stdout, and returns stderr.
    fn fails(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.code, 2, "onboard {args:?} should fail with 2:\n{run:?}");
        assert_eq!(run.stdout, "", "a failure prints nothing on stdout");
        run.stderr
    }

    /// The directory of project `name` (format 4).
    fn project_dir(&self, name: &str) -> PathBuf {
        self.path().join(".onboard/projects").join(name)
    }

    /// The old single file of project `name` (formats 1–3), as fixtures write it.
    fn project_file(&self, name: &str) -> PathBuf {
        self.path().join(".onboard/projects").join(format!("{name}.yaml"))
    }

    /// The files of project `name` that are not `project.yaml`, by name, sorted.
    fn event_files(&self, name: &str) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.project_dir(name))
            .expect("project directory")
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "project.yaml")
            .collect();
        names.sort();
        names
    }

    /// Everything stored of project `name`: its old single file, or each file of its
    /// directory under a `== NAME ==` line, in name order. Equal before and after a
    /// command when the command changed nothing.
    fn read_project(&self, name: &str) -> String {
        if let Ok(text) = fs::read_to_string(self.project_file(name)) {
            return text;
        }
        let mut out = fs::read_to_string(self.project_dir(name).join("project.yaml")).expect("project.yaml");
        for file in self.event_files(name) {
            let text = fs::read_to_string(self.project_dir(name).join(&file)).expect("event file");
            out.push_str(&format!("== {file} ==\n{text}"));
        }
        out
    }

    /// Leaves `project.yaml` of project `name` as git leaves it when two branches started
    /// that name: both sides' start between conflict markers. Returns the file and the
    /// line of the first marker.
    fn conflicted(&self, name: &str) -> (PathBuf, usize) {
        let path = self.project_dir(name).join("project.yaml");
        let text = fs::read_to_string(&path).expect("project.yaml");
        let (head, rest) = text.split_once("start:\n").expect("a start block");
        let (at, rest) = rest.split_once('\n').unwrap();
        let (by, rest) = rest.split_once('\n').unwrap();
        assert!(at.starts_with("  at: ") && by.starts_with("  by: "), "{text}");
        let conflicted = format!(
            "{head}start:\n<<<<<<< HEAD\n{at}\n{by}\n=======\n{at}\n  by: luis\n>>>>>>> other\n{rest}"
        );
        fs::write(&path, &conflicted).unwrap();
        let line = conflicted.lines().position(|l| l.starts_with("<<<<<<<")).unwrap() + 1;
        (path, line)
    }

    fn at(&mut self, now: &str) -> &mut Self {
        self.now = now.to_string();
        self
    }

    fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(args)
            .current_dir(self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.path())
            .env("GIT_AUTHOR_DATE", "2026-03-02T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-03-02T12:00:00Z")
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("utf-8")
    }

    /// Plants the `hosting-suspension` team playbook and plays its project `acme` up to
    /// the suspension: started Monday 2 March 2026 (cut-off Saturday 14 March), noticed
    /// on the 3rd, suspended on the 14th; its cancellation waits 30 days.
    fn suspended_acme(&mut self) {
        fs::write(
            self.path().join(".onboard/playbooks/hosting-suspension.yaml"),
            include_str!("fixtures/hosting-suspension.yaml"),
        )
        .unwrap();
        self.at("2026-03-02T09:00:00-05:00").ok(&[
            "start",
            "hosting-suspension",
            "acme",
            "--set",
            "fecha_corte=2026-03-14",
        ]);
        self.at("2026-03-03T09:00:00-05:00").ok(&["advance", "notice"]);
        self.at("2026-03-14T18:00:00-05:00").ok(&["advance", "suspend"]);
    }

    fn git_init(&self) {
        self.git(&["init", "-q", "-b", "main"]);
        self.git(&["config", "user.name", "Ana Test"]);
        self.git(&["config", "user.email", "ana@example.com"]);
        self.git(&["config", "commit.gpgsign", "false"]);
    }
}

/// Compares with `tests/expected/<name>` byte for byte (snapbox; line endings aside), or
/// rewrites it under `SNAPSHOTS=overwrite`.
fn assert_expected(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected").join(name);
    // Text as it is: no JSON re-formatting, no `[..]` wildcards in expected files.
    let expected = snapbox::Data::read_from(&path, Some(snapbox::data::DataFormat::Text)).raw();
    snapbox::Assert::new().action_env(snapbox::assert::DEFAULT_ACTION_ENV).eq(actual.to_string(), expected);
}

/// `SNAPSHOTS=overwrite` (snapbox's convention): rewrite what the tests compare with,
/// expected files, replayed examples and corpus cases alike; then review the diff.
fn blessing() -> bool {
    std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite")
}

/// The steps of phase I up to 3.1, in order, none of which records a field: the meeting
/// ENTIDADES schedules, then its objectives.
const MEETING: [&str; 11] =
    ["I", "1.1", "1.2", "1.3", "2.1.1", "2.1.2", "2.1.3", "2.2.1", "2.2.2", "2.2.3", "2.2.4"];

fn through_kickoff(ws: &mut Workspace) {
    for step in MEETING {
        ws.ok(&["advance", step]);
    }
    ws.ok(&["advance", "3.1", "--set", "contactos=Ana Pérez (TI) ana@coop.com.py; Luis Gómez (Operaciones)"]);
    ws.ok(&["advance", "3.2.1"]);
}

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
    assert!(stderr.contains("line "), "{stderr}");

    fs::write(&event, "").unwrap();
    let stderr = ws.fails(&["status"]);
    assert!(
        stderr.starts_with(&format!("error: cannot read the project file `{}`", event.display())),
        "{stderr}"
    );

    // An old single file (format 2) left conflicted by a merge without the driver.
    let ws = Workspace::initialized();
    let path = ws.project_file("coop-central");
    let conflicted = include_str!("fixtures/format-2-coop-central.yaml").replacen(
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
    fs::write(&file, include_str!("fixtures/broken.yaml")).unwrap();
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
    fs::write(local.join("go-live.yaml"), include_str!("fixtures/go-live.yaml")).unwrap();
    let bundled = include_str!("../playbooks/cooperative.yaml");
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
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), include_str!("fixtures/go-live.yaml"))
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
    fs::write(&local, include_str!("fixtures/go-live.yaml")).unwrap();
    ws.ok(&["start", "go-live", "teatro-lausanne", "--set", "J=2026-03-30"]);
    let renamed =
        include_str!("fixtures/go-live.yaml").replace("title: Go-live data import", "title: Renamed go-live");
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
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), include_str!("fixtures/go-live.yaml"))
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

/// Splits a command line the way a shell would for the examples: spaces separate words,
/// double or single quotes keep them together.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, ' ') => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    words
}

/// Runs one example: every `$ ` line of its console blocks, in a fresh workspace, and
/// returns the file as it should read (commands with their real output).
fn replay(text: &str) -> String {
    let mut ws = Workspace::new();
    let dir = ws.path().display().to_string();
    // `init` in a repository names the binary in the merge driver's configuration.
    let binary = assert_cmd::cargo::cargo_bin("onboard").display().to_string();
    let mut out = String::new();
    // The fence that opened the console block: three backticks, or four when the output
    // holds a fenced block of its own (a report's Mermaid chart).
    let mut fence: Option<&str> = None;
    let mut skipping_output = false;
    for line in text.lines() {
        let Some(open) = fence else {
            out.push_str(line);
            out.push('\n');
            fence =
                line.trim().strip_suffix("console").filter(|f| f.len() >= 3 && f.chars().all(|c| c == '`'));
            continue;
        };
        if line.trim() == open {
            fence = None;
            skipping_output = false;
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let Some(command) = line.strip_prefix("$ ") else {
            assert!(skipping_output, "a console block starts with `$ `: {line}");
            continue;
        };
        skipping_output = true;
        out.push_str(line);
        out.push('\n');
        let words = shell_words(command);
        match words.first().map(String::as_str) {
            Some("export") => {
                let (key, value) = words[1].split_once('=').expect("export KEY=VALUE");
                match key {
                    "ONBOARD_NOW" => ws.now = value.to_string(),
                    "ONBOARD_USER" => ws.user = value.to_string(),
                    other => panic!("examples may export ONBOARD_NOW and ONBOARD_USER, not {other}"),
                }
            }
            Some("onboard") => {
                let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
                let run = ws.run(&args);
                let printed = format!("{}{}", run.stdout, run.stderr)
                    .replace(&binary, "[onboard]")
                    .replace(&dir, "[dir]");
                out.push_str(&printed);
                if run.code != 0 {
                    out.push_str(&format!("[exit {}]\n", run.code));
                }
            }
            // A review walkthrough needs a repository: git runs with a fixed date, so
            // commit ids (which `onboard diff` prints) are the same on every run.
            Some("git") => {
                let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
                out.push_str(&ws.git(&args).replace(&dir, "[dir]"));
            }
            other => panic!("examples run `onboard`, `git` and `export` only, not {other:?}"),
        }
    }
    let _ = &mut ws;
    out
}

#[test]
fn every_example_runs_as_written() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<PathBuf> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.retain(|p| p.extension().is_some_and(|e| e == "md"));
    names.sort();
    let mut stale = Vec::new();
    for path in &names {
        let text = fs::read_to_string(path).unwrap();
        let actual = replay(&text);
        if actual != text {
            if blessing() {
                fs::write(path, &actual).unwrap();
            } else {
                let line = text.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0) + 1;
                stale.push(format!("{} differs from line {line}", path.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "examples out of date (SNAPSHOTS=overwrite rewrites them):\n{}",
        stale.join("\n")
    );
    // Every bundled playbook has its walkthrough, named after its id.
    let playbooks = Path::new(env!("CARGO_MANIFEST_DIR")).join("playbooks");
    let mut missing = Vec::new();
    for entry in fs::read_dir(playbooks).unwrap() {
        let path = entry.unwrap().path();
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        if !names.contains(&dir.join(format!("{id}.md"))) {
            missing.push(format!("examples/{id}.md"));
        }
    }
    assert!(missing.is_empty(), "bundled playbooks without an example: {missing:?}");
}

#[test]
fn shell_words_keep_quoted_text_together() {
    assert_eq!(
        shell_words(r#"advance 3.1 --set contactos="Ana Pérez" --note 'a b'"#),
        ["advance", "3.1", "--set", "contactos=Ana Pérez", "--note", "a b"]
    );
}

/// The cooperative project `coop-central` with phase II finished on Monday 30 March 2026,
/// so certification (10 business days) runs across Semana Santa to 15 April.
fn in_certification() -> Workspace {
    let mut ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    through_kickoff(&mut ws);
    ws.ok(&["advance", "3.2.2"]);
    ws.ok(&["advance", "3.2.3", "--set", "fecha_reunion_tecnica=2026-03-05"]);
    ws.ok(&["advance", "3.3", "--set", "cuenta_clearing=CL-7", "--set", "lista_blanca=2026-03-05"]);
    ws.at("2026-03-30T10:00:00-03:00").ok(&["advance", "II"]);
    ws
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
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), include_str!("fixtures/go-live.yaml"))
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
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), include_str!("fixtures/go-live.yaml"))
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

/// The state directory as the commands print it (found from the workspace).
fn state_dir(ws: &Workspace) -> String {
    ws.path().join(".onboard").display().to_string()
}

#[test]
fn doctor_finds_nothing_in_a_healthy_directory() {
    let ws = in_certification();
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), include_str!("fixtures/go-live.yaml"))
        .unwrap();
    ws.ok(&["start", "go-live", "opera", "--set", "J=2026-06-01"]);
    // Skipping an optional step before it is ready is allowed, so it is no finding.
    ws.ok(&["skip", "opera", "second-extraction", "--reason", "no second extraction"]);
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout, run.stderr),
        (0, format!("No problems found in `{}` (2 projects).\n", state_dir(&ws)), String::new())
    );
    let run = ws.run(&["doctor", "--json"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "[]\n"));
}

#[test]
fn doctor_names_conflict_markers_and_unreadable_files() {
    let ws = Workspace::initialized();
    for name in ["coop-central", "coop-norte", "coop-sur"] {
        ws.ok(&["start", "cooperative", name]);
    }
    let (sur, line) = ws.conflicted("coop-sur");
    let norte = ws.project_dir("coop-norte").join("project.yaml");
    let text = fs::read_to_string(&norte).unwrap();
    fs::write(&norte, text.replace("format: 4\n", "format: 4\nformat: 4\n")).unwrap();
    let calendar = ws.path().join(".onboard/calendars/PY.yaml");
    fs::create_dir_all(calendar.parent().unwrap()).unwrap();
    fs::write(
        &calendar,
        "closures:\n<<<<<<< HEAD\n  - {date: 2026-04-06, name: Inventario}\n=======\n>>>>>>> other\n",
    )
    .unwrap();

    let run = ws.run(&["doctor"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        format!(
            "coop-norte: `{norte}`:3:1: the key `format` appears twice in the same block
  hint: fix the file by hand or restore it from git; onboard commands write it for you
coop-sur: `{sur}` has an unresolved merge conflict at line {line}
  hint: two branches changed the same file of project `coop-sur`: keep one side (`git checkout --ours` or `--theirs` on it, then `git add` it) or edit the file by hand, keeping the lines you mean
`{calendar}` has an unresolved merge conflict at line 2
  hint: keep the right side's lines and delete the markers, or restore the file from git
3 problems found in `{root}` (3 projects).
",
            norte = norte.display(),
            sur = sur.display(),
            calendar = calendar.display(),
            root = state_dir(&ws),
        )
    );
    assert_eq!(run.stderr, "");

    let run = ws.run(&["doctor", "--json"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json[1],
        serde_json::json!({
            "project": "coop-sur",
            "path": sur.display().to_string(),
            "kind": "conflict-markers",
            "message": format!("`{}` has an unresolved merge conflict at line {line}", sur.display()),
            "hint": "two branches changed the same file of project `coop-sur`: keep one side (`git checkout --ours` or `--theirs` on it, then `git add` it) or edit the file by hand, keeping the lines you mean",
        })
    );
    let kinds: Vec<&str> = json.as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["unreadable", "conflict-markers", "conflict-markers"]);
    assert_eq!(json[2]["project"], serde_json::Value::Null);
}

#[test]
fn doctor_reports_each_problem_against_the_playbook() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    let path = ws.project_dir("coop-central");
    fs::write(
        path.join("20260302T130000Z-done-team-sistemas-0a1b2c3d.yaml"),
        "step: team-sistemas\nat: 2026-03-02T10:00:00-03:00\nby: ana\naction: done\ntool: onboard 0.1.0\n",
    )
    .unwrap();
    let head = path.join("project.yaml");
    let edited = fs::read_to_string(&head).unwrap();
    assert!(edited.contains("    dimo_personalizada: false\n"), "{edited}");
    fs::write(&head, edited.replace("    dimo_personalizada: false\n", "    dimo_personalizada: perhaps\n"))
        .unwrap();
    let run = ws.run(&["doctor"]);
    // Each problem at the one file that holds it.
    let hint = |file: &str| {
        format!(
            "  hint: fix `{}` by hand or restore it from git; onboard commands write it for you",
            path.join(file).display()
        )
    };
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "coop-central: step `team-sistemas` is not in playbook `cooperative`\n{}\ncoop-central: bad value for `dimo_personalizada` at start: expected true or false, found `perhaps`\n{}\n2 problems found in `{}` (1 project).\n",
                hint("20260302T130000Z-done-team-sistemas-0a1b2c3d.yaml"),
                hint("project.yaml"),
                state_dir(&ws)
            )
        )
    );
}

#[test]
fn doctor_finds_files_left_by_a_crash_but_not_the_usual_locks() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    ws.ok(&["advance"]);
    let locks = ws.path().join(".onboard/locks");
    assert!(locks.join("coop-central.lock").is_file(), "advance leaves its lock file");
    // An event file is written to a temporary file beside it, then renamed.
    let temporary =
        ws.project_dir("coop-central").join(".20260302T120000Z-done-team-systems-3f1c2a9e.yaml.Ab12Cd");
    fs::write(&temporary, "step: team-systems\n").unwrap();
    let stray = locks.join("coop-viejo.lock");
    fs::write(&stray, "").unwrap();
    // Not written by onboard's atomic writes: left alone.
    fs::write(ws.path().join(".onboard/projects/notes.txt"), "").unwrap();
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "`{tmp}` is a temporary file left by a write that never completed
  hint: remove it (`rm '{tmp}'`): nothing reads it, and the file it was to replace is whole, since writes replace a file only by rename
`{lock}` locks project `coop-viejo`, which does not exist, and nobody holds it
  hint: remove it (`rm '{lock}'`): onboard creates a project's lock when it needs it
2 problems found in `{root}` (1 project).
",
                tmp = temporary.display(),
                lock = stray.display(),
                root = state_dir(&ws)
            )
        )
    );
    fs::remove_file(&temporary).unwrap();
    fs::remove_file(&stray).unwrap();
    assert_eq!(ws.run(&["doctor"]).code, 0);
}

/// `coop-central` through 2.2.4, then the event files a careless merge brings together:
/// 3.1 completed on two branches with different contacts, and 3.2.3 done while 3.2.1 is
/// still open.
fn merged_by_hand() -> Workspace {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    for step in MEETING {
        ws.ok(&["advance", step]);
    }
    let done = |name: &str, step: &str, at: &str, by: &str, field: &str, value: &str| {
        fs::write(
            ws.project_dir("coop-central").join(name),
            format!(
                "step: {step}\nat: {at}\nby: {by}\naction: done\nvalues:\n  {field}: {value}\ntool: onboard 0.1.0\n"
            ),
        )
        .unwrap();
    };
    done(
        "20260303T130000Z-done-contact-list-5b0e2c71.yaml",
        "contact-list",
        "2026-03-03T10:00:00-03:00",
        "ana",
        "contactos",
        "Ana Pérez (TI)",
    );
    done(
        "20260304T140000Z-done-contact-list-a93d0f42.yaml",
        "contact-list",
        "2026-03-04T11:00:00-03:00",
        "luis",
        "contactos",
        "Luis Gómez (Operaciones)",
    );
    done(
        "20260304T150000Z-done-technical-meeting-date-1c7e6b08.yaml",
        "technical-meeting-date",
        "2026-03-04T12:00:00-03:00",
        "luis",
        "fecha_reunion_tecnica",
        "2026-03-10",
    );
    ws
}

#[test]
fn doctor_finds_states_only_a_merge_produces() {
    let ws = merged_by_hand();
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "coop-central: step 3.1 `contact-list` was completed twice with different `contactos`: ana recorded `Ana Pérez (TI)` at 2026-03-03T10:00:00-03:00, luis recorded `Luis Gómez (Operaciones)` at 2026-03-04T11:00:00-03:00; the later, luis's `Luis Gómez (Operaciones)`, counts
  hint: to settle it, reopen the step and complete it again with the right value: `onboard reopen coop-central contact-list --reason TEXT`, then `onboard advance coop-central contact-list --set contactos=VALUE`
coop-central: step 3.2.3 `technical-meeting-date` is done while its prerequisite 3.2.1 `send-documentation` is open
  hint: complete what it waits for (`onboard status coop-central` marks it), or, if it was done too early, reopen it: `onboard reopen coop-central technical-meeting-date --reason TEXT`
2 problems found in `{}` (1 project).
",
                state_dir(&ws)
            )
        )
    );
    let run = ws.run(&["doctor", "--json"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let path = ws.project_dir("coop-central").display().to_string();
    assert_eq!(
        json[1],
        serde_json::json!({
            "project": "coop-central",
            "path": path,
            "kind": "done-ahead",
            "message": "step 3.2.3 `technical-meeting-date` is done while its prerequisite 3.2.1 `send-documentation` is open",
            "hint": "complete what it waits for (`onboard status coop-central` marks it), or, if it was done too early, reopen it: `onboard reopen coop-central technical-meeting-date --reason TEXT`",
        })
    );
    assert_eq!(json[0]["kind"], "disagreement");

    // status marks the step and says why, after the phase tables.
    let status = ws.ok(&["status"]).stdout;
    assert_expected("done-ahead-status.txt", &status);

    // Completing what it waits for settles the state; the disagreement stays until redone.
    // This clock still reads 2 March, before 3.1's completion on the 3rd that made 3.2.1
    // ready: 3.2.1's completion precedes it, and doctor says so.
    ws.ok(&["advance", "3.2.1"]);
    let run = ws.run(&["doctor", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let kinds: Vec<&str> = json.as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!((run.code, kinds), (1, vec!["disagreement", "before-ready"]));
    assert_eq!(
        json[1]["message"],
        "step 3.2.1 `send-documentation`: the `done` by ana at 2026-03-02T09:00:00-03:00 precedes 2026-03-03T10:00:00-03:00, when the step became ready"
    );
}

#[test]
fn doctor_checks_the_merge_setup_of_a_git_clone() {
    let ws = Workspace::initialized();
    ws.git_init();
    ws.ok(&["start", "cooperative", "coop-central"]);
    let root = state_dir(&ws);
    // Project directories merge as plain files: a clone without the driver is healthy.
    let run = ws.run(&["doctor"]);
    assert_eq!((run.code, run.stdout), (0, format!("No problems found in `{root}` (1 project).\n")));
    // An old single file (format 2) merges through the driver until its first write.
    fs::write(
        ws.project_file("coop-legacy"),
        include_str!("fixtures/format-2-coop-central.yaml").replace("coop-central", "coop-legacy"),
    )
    .unwrap();
    fs::write(
        ws.path().join(".onboard/versions/cooperative-767f7474146b.yaml"),
        include_str!("fixtures/cooperative-767f7474146b.yaml"),
    )
    .unwrap();
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "`{root}/.gitattributes` lacks the lines `projects/*.yaml merge=onboard` and `archive/*.yaml merge=onboard`, so git merges project files line by line, without onboard's merge driver
  hint: run `onboard init` in the repository (each clone needs it once)
this clone has no merge driver `onboard` (`git config merge.onboard.driver` is not set)
  hint: run `onboard init` in the repository (each clone needs it once)
2 problems found in `{root}` (2 projects).
"
            )
        )
    );
    fs::write(
        ws.path().join(".onboard/.gitattributes"),
        "projects/*.yaml merge=onboard\narchive/*.yaml merge=onboard\n",
    )
    .unwrap();
    ws.git(&["config", "merge.onboard.driver", "cat %A"]);
    assert_eq!(
        ws.run(&["doctor"]).stdout,
        format!(
            "this clone's merge driver `onboard` runs `cat %A`, not `onboard merge-file`
  hint: run `onboard init` in the repository (each clone needs it once)
1 problem found in `{root}` (2 projects).
"
        )
    );
    ws.git(&["config", "merge.onboard.driver", "onboard merge-file %O %A %B %P"]);
    let run = ws.run(&["doctor"]);
    assert_eq!((run.code, run.stdout), (0, format!("No problems found in `{root}` (2 projects).\n")));
}
