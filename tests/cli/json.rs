//! `--json` on every command that reads: each output checked against its committed JSON
//! Schema (which must be the one `onboard schema NAME` derives from the code), and the
//! shapes of `explain --json` and `validate --json` asserted whole.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::harness::*;

fn repo_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The names `onboard schema` takes, as its `--help` lists them.
fn schema_names() -> Vec<String> {
    let help = Workspace::new().ok(&["schema", "--help"]).stdout;
    help.lines()
        .skip_while(|l| !l.contains("Possible values:"))
        .skip(1)
        .map_while(|l| l.trim().strip_prefix("- "))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect()
}

#[test]
fn every_committed_schema_is_the_one_the_code_describes() {
    let names = schema_names();
    assert_eq!(names.len(), 17, "{names:?}");
    let ws = Workspace::new();
    for name in &names {
        let path = repo_file(&format!("schema/{name}.schema.json"));
        let committed = fs::read_to_string(&path).unwrap_or_default();
        let printed = ws.ok(&["schema", name]).stdout;
        assert!(
            printed == committed,
            "{} is stale: run `cargo run -- util schema {name} > schema/{name}.schema.json`",
            path.display()
        );
    }
    let mut files: Vec<String> = fs::read_dir(repo_file("schema"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = names.iter().map(|n| format!("{n}.schema.json")).collect();
    expected.sort();
    assert_eq!(files, expected, "schema/ holds one file per `onboard schema` name, and no other");
}

/// Runs commands and checks each `--json` output against its committed schema.
struct Checker {
    validators: HashMap<String, jsonschema::Validator>,
    /// The schemas some output was checked against.
    used: Vec<String>,
}

impl Checker {
    fn new() -> Checker {
        Checker { validators: HashMap::new(), used: Vec::new() }
    }

    fn validator(&mut self, name: &str) -> &jsonschema::Validator {
        self.validators.entry(name.to_string()).or_insert_with(|| {
            let text = fs::read_to_string(repo_file(&format!("schema/{name}.schema.json"))).unwrap();
            jsonschema::options()
                .should_validate_formats(true)
                .build(&serde_json::from_str(&text).unwrap())
                .expect("a valid JSON Schema")
        })
    }

    /// The problems `value` has against schema `name`, as text.
    fn problems(&mut self, name: &str, value: &serde_json::Value) -> Vec<String> {
        self.validator(name).iter_errors(value).map(|e| format!("{}: {e}", e.instance_path())).collect()
    }

    /// Runs `args` on `ws`, insists on `code`, and checks stdout against schema `name`.
    fn check(&mut self, ws: &Workspace, name: &str, code: i32, args: &[&str]) -> serde_json::Value {
        let run = ws.run(args);
        assert_eq!(run.code, code, "onboard {args:?}:\n{}", run.stderr);
        let value: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("onboard {args:?}: {e}\n{}", run.stdout));
        assert_eq!(self.problems(name, &value), Vec::<String>::new(), "onboard {args:?} against {name}");
        if !self.used.iter().any(|u| u == name) {
            self.used.push(name.to_string());
        }
        value
    }
}

fn install(ws: &Workspace, fixture: &str) {
    let to = ws.path().join(".onboard/playbooks").join(fixture);
    fs::write(to, fs::read_to_string(repo_file(&format!("tests/fixtures/{fixture}"))).unwrap()).unwrap();
}

/// `coop-central` through its kickoff, a round of the VPN follow-up recorded, committed.
fn coop_in_git() -> Workspace {
    let mut ws = Workspace::new();
    ws.git_init();
    ws.ok(&["init"]);
    ws.ok(&["start", "cooperative", "coop-central", "--set", "dimo_personalizada=true"]);
    through_kickoff(&mut ws);
    ws.at("2026-03-05T16:30:00-03:00").ok(&["advance", "vpn-follow-up", "--repeat", "--note", "VPN pedida"]);
    ws.git(&["add", "-A"]);
    ws.git(&["commit", "-q", "-m", "coop-central through its kickoff"]);
    ws
}

#[test]
fn every_json_output_passes_its_schema() {
    let mut c = Checker::new();
    let mut ws = coop_in_git();
    c.check(&ws, "status", 0, &["status", "coop-central", "--json"]);
    c.check(&ws, "explain", 0, &["explain", "certification", "--json"]);
    ws.ok(&["advance", "3.2.2"]);
    ws.ok(&["advance", "3.2.3", "--set", "fecha_reunion_tecnica=2026-03-05"]);
    ws.ok(&["advance", "3.3", "--set", "cuenta_clearing=CL-7", "--set", "lista_blanca=2026-03-05"]);
    ws.at("2026-03-30T10:00:00-03:00").ok(&["advance", "II"]);
    ws.ok(&["set", "dimo_personalizada=false", "--reason", "sin DIMO propia"]);
    ws.at("2026-04-16T09:00:00-03:00");
    let status = c.check(&ws, "status", 0, &["status", "coop-central", "--json"]);
    assert_eq!(status["phases"][2]["overdue"], true);
    c.check(&ws, "check", 1, &["check", "--json"]);
    for step in ["III.2", "certification", "V", "custom-certification", "3.1"] {
        c.check(&ws, "explain", 0, &["explain", step, "--json"]);
    }
    let diff = c.check(&ws, "diff", 0, &["diff", "--json"]);
    let set = diff["projects"][0]["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "dimo_personalizada");
    assert_eq!(set.unwrap()["reason"]["note"], "sin DIMO propia");
    c.check(&ws, "log", 0, &["log", "--json"]);
    for step in ["III.1", "III.2", "III.3", "III.4"] {
        ws.ok(&["advance", step]);
    }
    let status = c.check(&ws, "status", 0, &["status", "coop-central", "--json"]);
    assert_eq!(status["phases"][2]["late"], true);

    // A portfolio: a wait before a step, an hour rule, and a file a merge left broken.
    install(&ws, "hosting-suspension.yaml");
    ws.at("2026-03-02T09:00:00-05:00").ok(&[
        "start",
        "hosting-suspension",
        "acme",
        "--set",
        "fecha_corte=2026-03-14",
    ]);
    ws.at("2026-03-03T09:00:00-05:00").ok(&["advance", "acme", "notice"]);
    ws.at("2026-03-14T18:00:00-05:00").ok(&["advance", "acme", "suspend"]);
    ws.at("2026-03-20T16:30:00-05:00").ok(&[
        "start",
        "support-request",
        "ticket",
        "--set",
        "received_at=2026-03-20T16:30:00-05:00",
    ]);
    ws.at("2026-04-12T23:59:59-05:00");
    let check = c.check(&ws, "check", 1, &["check", "--json"]);
    assert_eq!(check["ready_soon"][0]["id"], "cancel");
    c.check(&ws, "explain", 0, &["explain", "acme", "cancel", "--json"]);
    c.check(&ws, "explain", 0, &["explain", "ticket", "diagnosis", "--json"]);
    c.check(&ws, "status", 0, &["status", "ticket", "--json"]);
    c.check(&ws, "portfolio", 0, &["status", "--json"]);
    let stats = c.check(&ws, "stats", 0, &["stats", "--json"]);
    assert_eq!(stats["projects"], 3, "{stats}");
    let next = c.check(&ws, "next", 0, &["next", "--json"]);
    let forecast = c.check(&ws, "forecast", 0, &["forecast", "--json"]);
    assert!(forecast["projects"].as_array().unwrap().iter().any(|p| p["project"] == "ticket"), "{forecast}");
    assert_eq!(next["steps"][0]["project"], "coop-central", "{next}");
    let activity = c.check(&ws, "activity", 0, &["log", "--json", "--limit", "3"]);
    assert_eq!(activity["events"].as_array().unwrap().len(), 3);
    crate::cache::conflicted_old_file(&ws, "coop-sur");
    let portfolio = c.check(&ws, "portfolio", 2, &["status", "--json"]);
    assert_eq!(portfolio["errors"][0]["project"], "coop-sur");
    c.check(&ws, "check", 2, &["check", "--json"]);
    let stats = c.check(&ws, "stats", 2, &["stats", "--json"]);
    assert_eq!(stats["errors"][0]["project"], "coop-sur");
    c.check(&ws, "forecast", 2, &["forecast", "--json"]);
    // The same old file in both folders, as a merge that undid an archiving leaves it.
    let old = crate::cache::old_file(&ws, "coop-old");
    fs::create_dir_all(ws.path().join(".onboard/archive")).unwrap();
    fs::copy(&old, ws.path().join(".onboard/archive/coop-old.yaml")).unwrap();
    // Old files need the merge driver: `init` sets it up once they are there.
    ws.ok(&["init"]);
    let doctor = c.check(&ws, "doctor", 1, &["doctor", "--json"]);
    let kinds: Vec<&str> = doctor.as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["conflict-markers", "name-clash"]);
    fs::remove_file(ws.path().join(".onboard/archive/coop-old.yaml")).unwrap();
    fs::remove_file(&old).unwrap();
    c.check(&ws, "diff", 2, &["diff", "--json"]);

    fs::create_dir_all(ws.path().join(".onboard/calendars")).unwrap();
    fs::write(
        ws.path().join(".onboard/calendars/PY.yaml"),
        "hours: 08:00-17:00\nclosed:\n  - {date: 2026-04-06, name: Inventario anual}\nworked:\n  - 2026-04-02\n",
    )
    .unwrap();
    c.check(&ws, "calendars", 0, &["calendars", "--json"]);
    let year = c.check(&ws, "calendar-year", 0, &["calendars", "PY", "--year", "2026", "--json"]);
    assert!(year["days"].as_array().unwrap().iter().any(|d| d["kind"] == "closure"));

    install(&ws, "broken.yaml");
    let listed = c.check(&ws, "playbooks", 0, &["playbooks", "--json"]);
    assert!(listed.as_array().unwrap().iter().any(|p| p["valid"] == false));
    c.check(&ws, "validate", 2, &["validate", "--json"]);
    c.check(&ws, "validate", 0, &["validate", "--json", ".onboard/playbooks/hosting-suspension.yaml"]);
    c.check(&ws, "validate", 2, &["validate", "--json", "missing.yaml"]);
    for id in [
        "account-suspension",
        "change-request",
        "cooperative",
        "data-import",
        "implementation",
        "operator-activation",
        "support-request",
        "hosting-suspension",
    ] {
        c.check(&ws, "show", 0, &["show", id, "--json"]);
    }

    let mut every = schema_names();
    every.retain(|n| n != "playbook");
    every.sort();
    c.used.sort();
    assert_eq!(c.used, every, "each output's schema is checked against real output");
}

#[test]
fn a_schema_refuses_a_key_it_does_not_name_and_a_missing_one() {
    let mut c = Checker::new();
    let ws = coop_in_git();
    let status = c.check(&ws, "status", 0, &["status", "coop-central", "--json"]);
    let mut extra = status.clone();
    extra["phases"][0]["steps"][0]["colour"] = "red".into();
    assert_eq!(
        c.problems("status", &extra),
        ["/phases/0/steps/0: Additional properties are not allowed ('colour' was unexpected)"]
    );
    let mut missing = status.clone();
    missing["phases"][1].as_object_mut().unwrap().shift_remove("due");
    assert_eq!(c.problems("status", &missing), ["/phases/1: \"due\" is a required property"]);
    let mut wrong = status;
    wrong["started_at"] = "2 March 2026".into();
    wrong["phases"][0]["status"] = "finished".into();
    assert_eq!(
        c.problems("status", &wrong),
        [
            "/started_at: \"2 March 2026\" is not a \"date-time\"",
            "/phases/0/status: \"finished\" is not one of \"waiting\", \"ready\" or 4 other candidates"
        ]
    );
}

#[test]
fn explain_json_gives_the_earliest_start_and_the_due_with_their_derivations() {
    let mut ws = Workspace::initialized();
    ws.suspended_acme();
    let run = ws.at("2026-04-12T23:59:59-05:00").ok(&["explain", "cancel", "--json"]);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        r#"{
  "project": "acme",
  "id": "cancel",
  "node": "step",
  "number": null,
  "title": "Cancelar la cuenta",
  "status": "scheduled",
  "calendar": {
    "id": "CO",
    "name": "Colombia",
    "zone": "America/Bogota",
    "hours": "09:00-18:00",
    "hours_source": "default",
    "source": "python holidays 0.109",
    "years": [
      2020,
      2040
    ],
    "override": null
  },
  "earliest_start": {
    "rule": "30 days after suspend.done",
    "text": "Suspendido por 30 días, después de este tiempo pasará a Cancelación",
    "not_before": "2026-04-13",
    "waiting": true,
    "pending": null,
    "derivation": {
      "anchor": "2026-03-14T18:00:00-05:00",
      "anchor_source": "when `suspend` was completed",
      "count": "30 calendar days after 2026-03-14",
      "counting": "calendar_days",
      "skipped": []
    }
  },
  "deadline": null
}
"#
    );
}

#[test]
fn explain_json_of_a_step_due_with_its_phase_names_the_phase_and_the_days_skipped() {
    let mut ws = in_certification();
    let run = ws.at("2026-04-16T09:00:00-03:00").ok(&["explain", "III.2", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        (&json["id"], &json["node"], &json["status"]),
        (&"configure-production".into(), &"step".into(), &"waiting".into())
    );
    assert_eq!(
        json["deadline"],
        serde_json::json!({
            "rule_of": "certification",
            "rule": "within 10 business days after certification.start",
            "text": "Tiempo máximo estimado 10 días hábiles.",
            "due": "2026-04-15",
            "overdue": true,
            "due_soon": false,
            "left": "overdue by 1 business day",
            "time_left": null,
            "overdue_by": {"amount": 1, "unit": "business_days"},
            "due_pending": null,
            "late": null,
            "late_by": null,
            "no_due": null,
            "derivation": {
                "anchor": "2026-03-30T10:00:00-03:00",
                "anchor_source": "when `certification` became ready",
                "count": "10 business days after 2026-03-30 (day 0): 2026-04-15",
                "counting": "business_days",
                "skipped": [
                    {"date": "2026-04-02", "weekday": "Thursday", "kind": "holiday", "name": "Jueves Santo"},
                    {"date": "2026-04-03", "weekday": "Friday", "kind": "holiday", "name": "Viernes Santo"},
                    {"date": "2026-04-04", "weekday": "Saturday", "kind": "weekend", "name": null},
                    {"date": "2026-04-05", "weekday": "Sunday", "kind": "weekend", "name": null},
                    {"date": "2026-04-11", "weekday": "Saturday", "kind": "weekend", "name": null},
                    {"date": "2026-04-12", "weekday": "Sunday", "kind": "weekend", "name": null},
                ]
            }
        })
    );
    // Before certification starts, its due is pending, as the text says.
    let ws = coop_in_git();
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["explain", "III", "--json"]).stdout).unwrap();
    assert_eq!(json["deadline"]["due_pending"], "`certification` has not started yet");
    assert_eq!(json["deadline"]["derivation"], serde_json::Value::Null);
    assert!(
        ws.ok(&["explain", "III"])
            .stdout
            .ends_with("due: not yet known: `certification` has not started yet\n")
    );
}

#[test]
fn validate_json_lists_every_problem_and_still_exits_2() {
    let ws = Workspace::new();
    fs::write(ws.path().join("broken.yaml"), include_str!("../fixtures/broken.yaml")).unwrap();
    let text = ws.run(&["validate", "broken.yaml"]);
    let run = ws.run(&["validate", "broken.yaml", "--json"]);
    assert_eq!((run.code, &run.stderr), (2, &text.stderr), "stderr is the text output's");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let problems = json["playbooks"][0]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 10);
    assert_eq!(
        json["playbooks"][0]["problems"][1],
        serde_json::json!({
            "file": "broken.yaml",
            "line": 8,
            "column": 11,
            "message": "unknown type `boolean`",
            "hint": "did you mean `bool`?",
        })
    );
    assert_eq!(problems[2]["hint"], serde_json::Value::Null);

    let run = ws.run(&["validate", "--json", "playbooks-absent.yaml"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stdout,
        r#"{
  "valid": false,
  "playbooks": [
    {
      "file": "playbooks-absent.yaml",
      "id": null,
      "valid": false,
      "phases": null,
      "steps": null,
      "problems": [
        {
          "file": "playbooks-absent.yaml",
          "line": null,
          "column": null,
          "message": "cannot read the playbook `playbooks-absent.yaml`: No such file or directory (os error 2)",
          "hint": null
        }
      ]
    }
  ]
}
"#
    );

    let run = ws.ok(&["validate", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(
        json["playbooks"][2],
        serde_json::json!({
            "file": "playbooks/cooperative.yaml", "id": "cooperative", "valid": true,
            "phases": 5, "steps": 29, "problems": [],
        })
    );
}

#[test]
fn time_left_is_the_amount_that_left_says_in_words() {
    let mut ws = in_certification();
    // Monday 13 April; certification is due on Wednesday 15.
    let monday = "2026-04-13T09:00:00-03:00";
    let status: serde_json::Value =
        serde_json::from_str(&ws.at(monday).ok(&["status", "coop-central", "--json"]).stdout).unwrap();
    let phase = status["phases"].as_array().unwrap().iter().find(|p| p["id"] == "certification").unwrap();
    let business_days = serde_json::json!({"amount": 2, "unit": "business_days"});
    assert_eq!((&phase["left"], &phase["time_left"]), (&"in 2 business days".into(), &business_days));
    let check: serde_json::Value =
        serde_json::from_str(&ws.at(monday).ok(&["check", "--json"]).stdout).unwrap();
    let finding = &check["findings"][0];
    assert_eq!((&finding["id"], &finding["due_soon"]), (&"certification".into(), &true.into()));
    assert_eq!((&finding["left"], &finding["time_left"]), (&"in 2 business days".into(), &business_days));
    // Overdue, the amount moves to `overdue_by`.
    let late: serde_json::Value = serde_json::from_str(
        &ws.at("2026-04-16T09:00:00-03:00").ok(&["status", "coop-central", "--json"]).stdout,
    )
    .unwrap();
    let phase = late["phases"].as_array().unwrap().iter().find(|p| p["id"] == "certification").unwrap();
    assert_eq!((&phase["time_left"], &phase["overdue_by"]["amount"]), (&serde_json::Value::Null, &1.into()));
}

/// docs/json.md's field tables are written from the committed schemas: each table sits
/// between `<!-- fields: NAME -->` (the output's top object) or `<!-- fields:
/// NAME#/$defs/Def -->` and `<!-- /fields -->`, a row per key in the schema's order, the
/// meaning from the key's description (the doc comment of its field in
/// `src/render/json/`). `SNAPSHOTS=overwrite` rewrites the tables.
#[test]
fn the_field_tables_of_the_json_docs_are_the_schemas() {
    let path = repo_file("docs/json.md");
    let text = fs::read_to_string(&path).unwrap();
    let actual = with_field_tables(&text);
    if actual != text && blessing() {
        fs::write(&path, &actual).unwrap();
        return;
    }
    let stale: Vec<String> = text
        .lines()
        .zip(actual.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(n, (a, b))| format!("line {}:\n  docs: {a}\n  schema: {b}", n + 1))
        .take(5)
        .collect();
    assert!(
        actual == text,
        "docs/json.md's field tables differ from schema/ (SNAPSHOTS=overwrite rewrites them):\n{}",
        stale.join("\n")
    );
    // Every table of the outputs named is generated, and each marker names a real object.
    for name in [
        "status",
        "portfolio",
        "check",
        "next",
        "log",
        "activity",
        "forecast",
        "explain",
        "validate",
        "diff",
        "doctor",
        "calendars",
        "calendar-year",
        "playbooks",
        "show",
        "stats",
    ] {
        assert!(text.contains(&format!("<!-- fields: {name}")), "docs/json.md has no table of {name}");
    }
}

/// `text` with every `<!-- fields: … -->` region holding the table its schema gives.
fn with_field_tables(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        out.push_str(line);
        let Some(target) = line.trim_end().strip_prefix("<!-- fields: ").and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        for skipped in lines.by_ref() {
            if skipped.trim_end() == "<!-- /fields -->" {
                break;
            }
        }
        out.push_str(&field_table(target));
        out.push_str("<!-- /fields -->\n");
    }
    out
}

/// The Markdown table of the object `target` names: `status`, `status#/$defs/Phase`.
fn field_table(target: &str) -> String {
    let (name, pointer) = target.split_once('#').unwrap_or((target, ""));
    let text = fs::read_to_string(repo_file(&format!("schema/{name}.schema.json")))
        .unwrap_or_else(|_| panic!("docs/json.md names `{target}`: no schema/{name}.schema.json"));
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let object =
        schema.pointer(pointer).unwrap_or_else(|| panic!("`{target}`: no such object in the schema"));
    let properties =
        object["properties"].as_object().unwrap_or_else(|| panic!("`{target}` has no properties"));
    let required: Vec<&str> =
        object["required"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
    let mut table = String::from("| key | type | meaning |\n| --- | --- | --- |\n");
    for (key, property) in properties {
        let mut kind = type_text(&schema, property);
        if !required.contains(&key.as_str()) {
            kind.push_str(", absent");
        }
        let meaning = property["description"].as_str().unwrap_or("").replace('\n', " ").replace('|', "\\|");
        table.push_str(&format!("| `{key}` | {kind} | {meaning} |\n"));
    }
    table
}

/// A property's type in words: `string or null`, `array of phase objects`, `timestamp`.
fn type_text(schema: &serde_json::Value, property: &serde_json::Value) -> String {
    if let Some(reference) = property["$ref"].as_str() {
        let target = schema.pointer(reference.trim_start_matches('#')).expect("a $ref into $defs");
        return match target["type"].as_str() {
            // An enum whose variants carry their own doc comments is a `oneOf` of strings.
            None if is_strings(target) => "string".to_string(),
            Some("object") | None => format!("{} object", words(reference.rsplit('/').next().unwrap())),
            Some(other) => other.to_string(),
        };
    }
    if let Some(options) = property["anyOf"].as_array().or(property["oneOf"].as_array()) {
        let mut kinds: Vec<String> = Vec::new();
        for option in options {
            let kind =
                if option.get("const").is_some() { "string".to_string() } else { type_text(schema, option) };
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        return kinds.join(" or ");
    }
    let one = |kind: &str| match kind {
        "string" if property["format"] == "date-time" => "timestamp".to_string(),
        "array" => match &property["items"] {
            serde_json::Value::Null => "array".to_string(),
            items => format!("array of {}s", type_text(schema, items)),
        },
        other => other.to_string(),
    };
    match &property["type"] {
        serde_json::Value::String(kind) => one(kind),
        serde_json::Value::Array(kinds) => {
            kinds.iter().filter_map(|k| k.as_str()).map(one).collect::<Vec<_>>().join(" or ")
        }
        _ => "any".to_string(),
    }
}

/// A `oneOf` whose every option is a string: `"changed"`, `"archived"`, ….
fn is_strings(schema: &serde_json::Value) -> bool {
    schema["oneOf"].as_array().is_some_and(|options| options.iter().all(|option| option["type"] == "string"))
}

/// `PortfolioProject` as `portfolio project`.
fn words(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}
