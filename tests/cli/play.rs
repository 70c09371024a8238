//! Every branch of every bundled playbook played to its end: in-process through the
//! library (the domain's changes, progress and schedule, written through the `Store` to a
//! temporary state directory, as `start` and `advance` do), and one branch through the
//! real binary, so that the command line's path stays covered end to end. A process per
//! step for every branch cost almost half of the integration tests' time.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use onboard::api::{
    Clock, Detail, Playbook, Progress, Stamp, Standing, Status, Step, Store, Thresholds, Timestamp, Value,
    ValueKind, change, check_against, find_calendar, find_playbook, standing,
};

use crate::harness::Workspace;

/// (project, playbook, start variables, field values chosen, steps not done at the end)
type Branch = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

/// Every branch of every bundled playbook, played to its end.
fn branches() -> Vec<Branch> {
    vec![
        ("coop-dimo", "cooperative", &["dimo_personalizada=true"], &[], &[]),
        (
            "coop-plain",
            "cooperative",
            &["dimo_personalizada=false"],
            &[],
            &[
                "custom-web-version skipped",
                "custom-certification skipped",
                "custom-web-production skipped",
                "custom-mobile-deploy skipped",
            ],
        ),
        ("cr", "change-request", &[], &[], &[]),
        (
            "import-secutix",
            "data-import",
            &["J=2026-10-05", "secutix_format=true"],
            &[],
            &["customer-format skipped", "second-extraction skipped"],
        ),
        (
            "import-own",
            "data-import",
            &["J=2026-10-05", "secutix_format=false"],
            &[],
            &["secutix-format-data skipped", "second-extraction skipped"],
        ),
        (
            "import-recent",
            "data-import",
            &["J=2026-10-05", "second_extraction=true"],
            &[],
            &["customer-format skipped"],
        ),
        ("ofc", "operator-activation", &["ofc=true"], &[], &[]),
        (
            "no-ofc",
            "operator-activation",
            &["ofc=false"],
            &[],
            &["ofc-partner-info skipped", "ofc-ticket skipped", "ofc-received skipped"],
        ),
        (
            "incidente",
            "support-request",
            &[],
            &[("type", "incidente")],
            &["closure skipped", "improvement-response skipped"],
        ),
        (
            "mejora",
            "support-request",
            &[],
            &[("type", "mejora")],
            &["closure skipped", "incident-response skipped"],
        ),
        (
            "cerrada",
            "support-request",
            &[],
            &[("decision", "cerrar")],
            &["incident-response skipped", "improvement-response skipped", "resolution skipped"],
        ),
        ("go-live", "implementation", &[], &[], &[]),
        ("paid", "account-suspension", &[], &[("pago_confirmado", "true")], &["cancellation skipped"]),
        ("unpaid", "account-suspension", &[], &[("pago_confirmado", "false")], &["reactivation skipped"]),
    ]
}

/// The branch played through the binary: a required bool chosen (the branch), a number
/// field on an optional step, a condition on a recorded field, and a step scheduled 30
/// days out, so the clock moves to its earliest start as `status --json` gives it.
const THROUGH_THE_BINARY: &str = "unpaid";

/// What a required field is given: the value `chosen` for it, else one of its type (the
/// first of its choices).
fn value_text(name: &str, kind: &str, first_choice: Option<&str>, chosen: &[(&str, &str)]) -> String {
    if let Some((_, value)) = chosen.iter().find(|(n, _)| *n == name) {
        return value.to_string();
    }
    match kind {
        "number" => "1".into(),
        "date" => "2026-09-01".into(),
        "datetime" => "2026-09-01T10:00:00+02:00".into(),
        "url" => "https://example.com/x".into(),
        "bool" => "true".into(),
        "choice" => first_choice.expect("a choice field has choices").into(),
        _ => "x".into(),
    }
}

/// A state directory played in-process: the store the commands write through, and the
/// clock they would read (starting where a workspace's does).
struct Player {
    _dir: tempfile::TempDir,
    store: Store,
    clock: Clock,
}

impl Player {
    fn new() -> Player {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::new(dir.path().join(".onboard"));
        let clock = Clock::parse(crate::harness::START, "the workspace's clock").unwrap();
        Player { _dir: dir, store, clock }
    }

    fn stamp(&self, zone: chrono_tz::Tz) -> Stamp {
        Stamp { at: Timestamp(self.clock.now_in(zone)), by: "ana".into(), recorded: None }
    }

    /// Starts `project` as `onboard start PLAYBOOK PROJECT --set VAR…` does: the variables
    /// given, the others their default.
    fn start(&self, playbook: &str, project: &str, vars: &[&str]) {
        let playbook = find_playbook(&self.store.root, playbook).unwrap().expect("a bundled playbook");
        let zone = find_calendar(&playbook.calendar).expect("the playbook's calendar").zone;
        let stamp = self.stamp(zone);
        let given: BTreeMap<&str, &str> =
            vars.iter().map(|v| v.split_once('=').expect("NAME=VALUE")).collect();
        assert!(given.keys().all(|name| playbook.variable(name).is_some()), "{project}: {given:?}");
        let values = playbook
            .variables
            .iter()
            .filter_map(|variable| {
                let value = match given.get(variable.name.as_str()) {
                    Some(text) => Some(variable.kind.parse(text).unwrap()),
                    None => variable.initial(stamp.at.0),
                };
                Some((variable.name.clone(), value?))
            })
            .collect();
        let file = change::start(&playbook, project, &playbook.calendar, &values, &stamp);
        self.store.create(&file, &playbook).unwrap();
    }

    /// Completes the first ready step, again and again, as `onboard advance PROJECT STEP
    /// --set FIELD=VALUE…` does (each required field given a value of its type, or the one
    /// `chosen`); when no step is ready but one is scheduled, the clock moves on to its
    /// earliest start. Returns how the project ends.
    fn play_to_the_end(&mut self, project: &str, chosen: &[(&str, &str)]) -> Ending {
        for _ in 0..100 {
            let file = self.store.read(project).unwrap();
            let followed = self.store.followed(&file).unwrap();
            let playbook = &*followed.playbook;
            check_against(&file, playbook, &self.store.project_path(project)).unwrap();
            let calendar = self.store.calendar(file.calendar(), playbook.hours()).unwrap();
            let now = self.clock.now_in(calendar.zone);
            let judged =
                standing::standing(playbook, &file, &calendar, now, Thresholds::default(), Detail::Full);
            let (view, schedule) = (judged.progress, judged.schedule);
            let Some(ready) = view.steps().find(|s| s.status == Status::Ready) else {
                if let Some(scheduled) = view.steps().find(|s| s.status == Status::Scheduled) {
                    let wait =
                        schedule.waiting(&scheduled.step.id).expect("a scheduled step waits for a date");
                    self.clock = Clock::Fixed(wait.from);
                    continue;
                }
                return Ending::of(&view);
            };
            let step = ready.step;
            let values = field_values(playbook, step, chosen, now);
            let earliest = schedule.earliest(&step.id, &calendar);
            let stamp = self.stamp(calendar.zone);
            self.store
                .apply(project, Standing::Active, |file| {
                    Ok(change::complete(playbook, file, step, &values, None, &stamp, &earliest)?)
                })
                .unwrap_or_else(|e| panic!("{project}: completing `{}`: {e:#}", step.id));
        }
        panic!("{project} did not finish in 100 advances");
    }
}

/// A step's values as `advance --set` gives them: every required field's, parsed as the
/// command parses it, then the defaults of the others.
fn field_values(
    playbook: &Playbook,
    step: &Step,
    chosen: &[(&str, &str)],
    now: chrono::DateTime<chrono::FixedOffset>,
) -> BTreeMap<String, Value> {
    let mut values = BTreeMap::new();
    for field in &step.fields {
        let value = if field.required {
            let first = match &field.kind {
                ValueKind::Choice(choices) => choices.first().map(String::as_str),
                _ => None,
            };
            let text = value_text(&field.name, field.kind.name(), first, chosen);
            field.kind.parse(&text).unwrap_or_else(|e| panic!("{}: `{text}`: {e}", playbook.id))
        } else if let Some(default) = field.initial(now) {
            default
        } else {
            continue;
        };
        values.insert(field.name.clone(), value);
    }
    values
}

/// How a played project ended: `id status` of each step not done, and of each phase
/// neither done nor skipped.
#[derive(Debug, PartialEq)]
struct Ending {
    steps: Vec<String>,
    phases: Vec<String>,
}

impl Ending {
    fn of(view: &Progress<'_>) -> Ending {
        let steps = view.steps().filter(|s| s.status != Status::Done);
        let phases = view.phases.iter().filter(|p| !matches!(p.status, Status::Done | Status::Skipped));
        Ending {
            steps: steps.map(|s| format!("{} {}", s.step.id, s.status)).collect(),
            phases: phases.map(|p| format!("{} {}", p.phase.id, p.status)).collect(),
        }
    }

    /// What a branch of the table expects: these steps left, every phase finished.
    fn expected(left: &[&str]) -> Ending {
        Ending { steps: left.iter().map(std::string::ToString::to_string).collect(), phases: Vec::new() }
    }
}

#[test]
fn every_playbook_plays_to_the_end_on_each_of_its_branches() {
    // Each branch in its own state directory and thread: a write waits mostly on the
    // disk's sync, so they wait side by side.
    std::thread::scope(|scope| {
        for (project, playbook, vars, chosen, left) in branches() {
            let play = move || {
                let mut player = Player::new();
                player.start(playbook, project, vars);
                assert_eq!(player.play_to_the_end(project, chosen), Ending::expected(left), "{project}");
            };
            std::thread::Builder::new().name(project.into()).spawn_scoped(scope, play).unwrap();
        }
    });
}

#[test]
fn every_bundled_playbook_has_its_branches_played() {
    let played: BTreeSet<&str> = branches().iter().map(|b| b.1).collect();
    let bundled: BTreeSet<String> = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("playbooks"))
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(played, bundled.iter().map(String::as_str).collect());
}

/// The steps of `onboard status PROJECT --json`.
fn status_steps(ws: &Workspace, project: &str) -> (Vec<serde_json::Value>, serde_json::Value) {
    let status: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", project, "--json"]).stdout).unwrap();
    let steps =
        status["phases"].as_array().unwrap().iter().flat_map(|p| p["steps"].as_array().unwrap().clone());
    (steps.collect(), status)
}

/// Plays a project through the binary as `Player::play_to_the_end` plays it in-process:
/// `status --json` to see where it stands, `advance` with `--set` for each required
/// field, the clock moved to a scheduled step's `not_before`.
fn play_through_the_binary(ws: &mut Workspace, project: &str, chosen: &[(&str, &str)]) -> Ending {
    for _ in 0..100 {
        let (steps, status) = status_steps(ws, project);
        let Some(step) = steps.iter().find(|s| s["status"] == "ready") else {
            if let Some(step) = steps.iter().find(|s| s["status"] == "scheduled") {
                ws.at(step["not_before"].as_str().unwrap());
                continue;
            }
            let line = |s: &serde_json::Value| {
                format!("{} {}", s["id"].as_str().unwrap(), s["status"].as_str().unwrap())
            };
            let phases = status["phases"].as_array().unwrap();
            return Ending {
                steps: steps.iter().filter(|s| s["status"] != "done").map(line).collect(),
                phases: phases
                    .iter()
                    .filter(|p| p["status"] != "done" && p["status"] != "skipped")
                    .map(line)
                    .collect(),
            };
        };
        let mut args = vec!["advance".to_string(), project.into(), step["id"].as_str().unwrap().into()];
        for field in step["fields"].as_array().unwrap().iter().filter(|f| f["required"] == true) {
            let name = field["name"].as_str().unwrap();
            let value =
                value_text(name, field["type"].as_str().unwrap(), field["choices"][0].as_str(), chosen);
            args.extend(["--set".to_string(), format!("{name}={value}")]);
        }
        ws.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }
    panic!("{project} did not finish in 100 advances");
}

#[test]
fn one_branch_plays_to_the_end_through_the_binary() {
    let (project, playbook, vars, chosen, left) =
        branches().into_iter().find(|b| b.0 == THROUGH_THE_BINARY).expect("the branch is in the table");
    let mut ws = Workspace::initialized();
    let mut args = vec!["start", playbook, project];
    for var in vars {
        args.extend(["--set", var]);
    }
    ws.ok(&args);
    assert_eq!(play_through_the_binary(&mut ws, project, chosen), Ending::expected(left));
    // The in-process pass stands for the binary only if it writes the same files.
    let mut player = Player::new();
    player.start(playbook, project, vars);
    player.play_to_the_end(project, chosen);
    let in_process = dump(&player.store.project_dir(project));
    assert_eq!(ws.read_project(project), in_process);
}

/// Every file of project directory `dir` as `Workspace::read_project` gives them:
/// `project.yaml`, then each event file under a `== NAME ==` line, in name order.
fn dump(dir: &Path) -> String {
    let mut out = fs::read_to_string(dir.join("project.yaml")).expect("project.yaml");
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("project directory")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "project.yaml")
        .collect();
    names.sort();
    assert!(!names.is_empty(), "the play recorded events");
    for name in names {
        let text = fs::read_to_string(dir.join(&name)).expect("event file");
        out.push_str(&format!("== {name} ==\n{text}"));
    }
    out
}
