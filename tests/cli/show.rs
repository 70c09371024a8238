//! `onboard show` as a reviewer reads it beside the document: every description, owner
//! and field, the playbook's assumptions, wrapped to `COLUMNS`; and the same in `--json`.

use super::*;

const FIXTURE: &str = include_str!("../fixtures/merchant-onboarding.yaml");

/// A workspace with the team's own `merchant-onboarding` playbook.
fn with_merchant_playbook() -> Workspace {
    let ws = Workspace::initialized();
    fs::write(ws.path().join(".onboard/playbooks/merchant-onboarding.yaml"), FIXTURE).unwrap();
    ws
}

/// `onboard show ARGS` with `COLUMNS` set (the workspace clears the environment).
fn show(ws: &Workspace, columns: &str, args: &[&str]) -> Run {
    let mut all = vec!["show"];
    all.extend_from_slice(args);
    ws.run_with(&[("COLUMNS", columns)], &all)
}

#[test]
fn show_prints_the_whole_document_wrapped_to_columns() {
    let ws = with_merchant_playbook();
    let run = show(&ws, "60", &["merchant-onboarding"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        run.stdout,
        "Alta de comercios en la red de adquirencia
  (merchant-onboarding)
source wiki del equipo, «Alta de comercios» (rev. 7),
  language es, calendar CO, hours 08:00-17:00

assumptions:
  - El documento cuenta días hábiles sin decir de qué país:
    se asume Colombia (CO). Un equipo elige otro con
    `--set calendar=ID`.
  - El documento no dice el horario de atención: se asume
    08:00-17:00. Un equipo fija el suyo en
    `.onboard/calendars/CO.yaml` (`hours: 07:30-16:30`).

Alta de un comercio nuevo: documentos, validación de riesgos
y activación.

Requisitos previos:
- El contrato de adquirencia firmado por el representante
  legal del comercio
- Una cuenta bancaria a nombre del comercio
  - certificada por el banco hace menos de 30 días

roles:
  COMERCIAL (Ejecutivo comercial)
    Acompaña al comercio y reúne sus documentos.
  RIESGOS (Área de riesgos)

variables:
  canal (choice: presencial | ecommerce, default presencial)
    Dónde vende el comercio; el comercio electrónico pasa
    por 3-D Secure.

1 Recepción de documentos [documents]
  owner: COMERCIAL
  El ejecutivo reúne los documentos y los carga en el
  expediente del comercio.

  1.1 Recibir el contrato de adquirencia firmado [contract]
      owner: COMERCIAL
      Antes de cargarlo, verificar:
      - la firma del representante legal
      - el NIT del comercio en cada página
      records nit (text, required)
        NIT del comercio, con su dígito de verificación.

  1.2 Recibir la certificación bancaria [bank-certificate]
      owner: COMERCIAL
      due within 5 business days after contract.done («a más
        tardar 5 días hábiles después del contrato»)

2 Validación [validation]
  owner: RIESGOS, COMERCIAL
  after: phase 1
  order: parallel (each step waits only for the phase to
    start)

  2.1 Consultar las listas restrictivas y el historial del
      comercio [risk-review]
      owner: RIESGOS
      repeatable
      sign-off: RIESGOS

  2.2 Enrolar el comercio en 3-D Secure [three-d-secure]
      owner: RIESGOS
      only when: canal == ecommerce
      optional
"
    );
}

#[test]
fn without_columns_a_pipe_gets_100_and_a_bad_columns_is_ignored() {
    let ws = with_merchant_playbook();
    let head = "Alta de comercios en la red de adquirencia (merchant-onboarding)
source wiki del equipo, «Alta de comercios» (rev. 7), language es, calendar CO, hours 08:00-17:00
";
    for run in [ws.ok(&["show", "merchant-onboarding"]), show(&ws, "wide", &["merchant-onboarding"])] {
        assert!(run.stdout.starts_with(head), "{}", run.stdout);
        assert!(run.stdout.lines().all(|line| line.chars().count() <= 100));
    }
}

#[test]
fn show_json_carries_the_assumptions_and_every_description() {
    let ws = with_merchant_playbook();
    let run = show(&ws, "60", &["merchant-onboarding", "--json"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "id",
            "title",
            "source",
            "language",
            "calendar",
            "business_hours",
            "business_hours_assumed",
            "description",
            "assumptions",
            "hash",
            "roles",
            "variables",
            "phases"
        ]
    );
    assert_eq!(
        json["assumptions"],
        serde_json::json!([
            "El documento cuenta días hábiles sin decir de qué país: se asume Colombia (CO). Un equipo elige otro con `--set calendar=ID`.",
            "El documento no dice el horario de atención: se asume 08:00-17:00. Un equipo fija el suyo en `.onboard/calendars/CO.yaml` (`hours: 07:30-16:30`)."
        ])
    );
    assert_eq!(json["phases"][1]["owner"], serde_json::json!(["RIESGOS", "COMERCIAL"]));
    let contract = &json["phases"][0]["steps"][0];
    assert_eq!(
        contract["description"],
        "Antes de cargarlo, verificar:\n- la firma del representante legal\n- el NIT del comercio en cada página\n"
    );
    assert_eq!(
        contract["fields"][0],
        serde_json::json!({
            "name": "nit", "type": "text", "required": true, "choices": null, "default": null,
            "description": "NIT del comercio, con su dígito de verificación."
        })
    );
    // A playbook without assumptions still has the key.
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), include_str!("../fixtures/go-live.yaml"))
        .unwrap();
    let without: serde_json::Value =
        serde_json::from_str(&ws.ok(&["show", "go-live", "--json"]).stdout).unwrap();
    assert_eq!(without["assumptions"], serde_json::json!([]));
}

#[test]
fn an_empty_assumption_is_refused_with_its_location() {
    let ws = Workspace::new();
    let first = "\"El documento cuenta días hábiles sin decir de qué país: se asume Colombia (CO). Un equipo elige otro con `--set calendar=ID`.\"";
    assert!(FIXTURE.contains(first));
    fs::write(ws.path().join("merchant-onboarding.yaml"), FIXTURE.replace(first, "\"  \"")).unwrap();
    let run = ws.run(&["validate", "merchant-onboarding.yaml"]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert_eq!(
        run.stderr,
        "error: an assumption is empty
  --> merchant-onboarding.yaml:17:5
   |
17 |   - \"  \"
   |     ^^^^
   |
   = hint: say what the playbook assumes and how a team changes it, or remove the entry
the playbook has problems
"
    );
}
