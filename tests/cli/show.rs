//! `onboard show` as a reviewer reads it beside the document: every description, owner
//! and field, the playbook's assumptions, wrapped to `COLUMNS`; and the same in `--json`.

use std::fs;
use std::path::Path;

use crate::harness::*;

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

/// `onboard show ID` at 100 columns, which must succeed quietly.
fn shown(ws: &Workspace, id: &str) -> String {
    let run = show(ws, "100", &[id]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    run.stdout
}

#[test]
fn show_support_request_prints_the_response_times_by_type_criticality_and_service() {
    let ws = Workspace::new();
    let text = shown(&ws, "support-request");
    assert_expected("show-support-request.txt", &text);
    let start = text.find("service levels:\n").expect("a service levels section");
    let end = start + text[start..].find("\n\n").unwrap();
    let end = end + 2 + text[end + 2..].find("\n\n").unwrap();
    assert_eq!(
        &text[start..end],
        "service levels:
  Counted as the project's service level `service` says: business counts business hours on business
  days, 6x24 every hour from Monday to Saturday, 7x24 every hour. A limit the document writes in
  business time is business time on every service.

 Step                   criticality   business           6x24               7x24
────────────────────── ───────────── ────────────────── ────────────────── ──────────────────
 diagnosis                            2 business hours   2 business hours   2 business hours
 from received_at
 incident-response      alto          4 business hours   4 hours            4 hours
 if type == incidente
 from diagnosis.done
                        medio         2 business days    2 days             2 days
                        bajo          4 business days    4 days             4 days
 improvement-response   alto          1 business day     1 day              1 day
 if type == mejora
 from diagnosis.done
                        medio         4 business days    4 days             4 days
                        bajo          6 business days    6 days             6 days"
    );
    // docs/playbook.md shows the same section.
    let doc = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/playbook.md")).unwrap();
    assert!(
        doc.contains(&format!("```\n{}\n```", &text[start..end])),
        "docs/playbook.md quotes another table"
    );
    // The section comes after the variables it reads, before the first phase.
    assert!(text.find("variables:\n").unwrap() < start);
    assert!(start < text.find("Procedimiento “Solicitud por parte del Cliente” [request]").unwrap());
}

#[test]
fn the_service_levels_table_narrows_with_the_width_and_keeps_whole_words() {
    // Below 80 columns every table is stacked: one block per row, whole words.
    let ws = Workspace::new();
    let run = show(&ws, "60", &["support-request"]);
    assert_eq!(run.code, 0);
    let table: Vec<&str> = run.stdout.lines().skip_while(|l| *l != "diagnosis").take(12).collect();
    assert_eq!(
        table,
        [
            "diagnosis",
            "  from received_at",
            "  business:    2 business hours",
            "  6x24:        2 business hours",
            "  7x24:        2 business hours",
            "incident-response",
            "  if type == incidente",
            "  from diagnosis.done",
            "  criticality: alto",
            "  business:    4 business hours",
            "  6x24:        4 hours",
            "  7x24:        4 hours",
        ]
    );
}

#[test]
fn only_a_playbook_with_a_time_table_or_a_service_level_shows_service_levels() {
    let ws = Workspace::new();
    for id in [
        "cooperative",
        "data-import",
        "implementation",
        "operator-activation",
        "change-request",
        "account-suspension",
    ] {
        assert!(!shown(&ws, id).contains("service levels:"), "{id}");
    }
}

/// `show ID --json`, parsed.
fn shown_json(ws: &Workspace, id: &str) -> serde_json::Value {
    serde_json::from_str(&ws.ok(&["show", id, "--json"]).stdout).unwrap()
}

/// The step `id` of a `show --json` document.
fn json_step<'a>(playbook: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    playbook["phases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|phase| phase["steps"].as_array().unwrap())
        .find(|step| step["id"] == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

#[test]
fn support_request_tells_the_client_to_send_formally_and_gives_the_office_phone() {
    let ws = Workspace::new();
    let playbook = shown_json(&ws, "support-request");
    let description = json_step(&playbook, "client-request")["description"].as_str().unwrap();
    assert!(
        description.ends_with(
            "Recuerde que cada requerimiento debe ser enviado formalmente y de acuerdo con el nivel del \
             contratamiento puede comunicarse a nuestras oficinas: Pbx.: 057 601 - 200 1796, 057 350 529 \
             7091 – 300 606 2638."
        ),
        "{description}"
    );
}

#[test]
fn implementation_says_what_the_change_management_documentation_is_and_minds_the_users() {
    let ws = Workspace::new();
    let playbook = shown_json(&ws, "implementation");
    let gathering = json_step(&playbook, "information-gathering")["description"].as_str().unwrap();
    assert_eq!(
        gathering,
        "En la implementación o desarrollo de un nuevo proyecto se tendrá en cuenta para generar el menor \
         impacto a los usuarios, las funciones que hoy se tienen resueltas y que no están incluidas en el \
         software y por medio de un requerimiento se desean incluir dentro del software."
    );
    let parameters = playbook["phases"].as_array().unwrap().iter().find(|p| p["id"] == "parameters").unwrap();
    assert!(parameters["description"].as_str().unwrap().ends_with(
        "Las principales actividades de la Gestión de Cambios se resumen en: Registrar, evaluar, aceptar o \
             rechazar los Incidentes recibidos. Monitorizar y dirigir todo el proceso de cambio. Convocar \
             reuniones para analizar los incidentes que tienen impacto en la información. Documentar los \
             errores y soluciones."
    ));
    let assumptions = playbook["assumptions"].as_array().unwrap();
    assert!(assumptions.iter().any(|a| {
        a.as_str()
            .unwrap()
            .starts_with("«la documentación generada en la Gestión de Cambios» no está descrita")
    }));
}

#[test]
fn data_import_keeps_step_9s_pre_condition_and_says_who_sees_to_it() {
    let ws = Workspace::new();
    let playbook = shown_json(&ws, "data-import");
    let step = json_step(&playbook, "preprod-import");
    assert_eq!(step["number"], "9");
    assert_eq!(
        step["description"],
        "Pre condition: \"The copy of data Institution and basic configuration) from prod – to preprod is \
         done before.\" The data Institution and the basic configuration are copied from prod to preprod \
         before this import. The document does not say who copies them: CSVN, who imports here, makes sure \
         the copy is done before completing 9."
    );
    let assumptions = playbook["assumptions"].as_array().unwrap();
    assert!(assumptions.iter().any(|a| a.as_str().unwrap().starts_with(
        "9's pre condition, the copy of the data Institution and the basic configuration from prod to \
         preprod, has no owner and no step in the document"
    )));
}

#[test]
fn operator_activation_waits_for_the_partners_information_before_the_ofc_ticket() {
    let ws = Workspace::new();
    let playbook = shown_json(&ws, "operator-activation");
    let info = json_step(&playbook, "ofc-partner-info");
    assert_eq!(
        (&info["number"], &info["title"], &info["owner"]),
        (
            &serde_json::json!("3.1"),
            &serde_json::json!("Les informations ci-dessous préalablement complétées par le partenaire"),
            &serde_json::json!(["PARTENAIRE"])
        )
    );
    let ticket = json_step(&playbook, "ofc-ticket");
    assert_eq!(
        (&ticket["number"], &ticket["after"]),
        (&serde_json::json!("3.2"), &serde_json::json!(["ofc-partner-info"]))
    );
    // In a project with an OFC flow, the ticket cannot be opened before the partner's part.
    let ws = Workspace::initialized();
    ws.ok(&["start", "operator-activation", "acme", "--set", "ofc=true"]);
    for step in ["1.A", "1.B", "1.C", "1.D"] {
        ws.ok(&["advance", step]);
    }
    ws.ok(&["advance", "1.E", "--set", "fichier_mdb=FACT.MDB"]);
    let run = ws.ok(&["advance", "2.1", "--set", "repertoire_ftp=/ftp/acme"]);
    assert_eq!(
        run.stdout + &run.stderr,
        "Completed 2.1 `ftp-directory` in `acme`.\nReady now: 2.2 `deposit`, 3.1 `ofc-partner-info`\n"
    );
    assert_eq!(
        ws.fails(&["advance", "3.2", "--set", "ticket_jira=https://jira.example.com/browse/DB-1"]),
        "error: cannot complete step 3.2 `ofc-ticket`: it is not ready\nhint: it waits for 3.1 `ofc-partner-info`\n"
    );
}

#[test]
fn show_json_spells_out_a_time_table_and_its_service_levels() {
    let ws = Workspace::new();
    let playbook = shown_json(&ws, "support-request");
    assert_eq!(
        json_step(&playbook, "improvement-response")["deadline"],
        serde_json::json!({
            "rule": "within a time chosen by criticality after diagnosis.done",
            "text": "Mejora: Alto 1 días, Medio 4 días, Bajo 6 días (hábiles o no hábiles) posteriores al diagnóstico inicial",
            "table": {"by": ["criticality"], "rows": [
                {"key": {"criticality": "alto"}, "within": "1 day",
                 "counted": {"business": "1 business day", "6x24": "1 day", "7x24": "1 day"}},
                {"key": {"criticality": "medio"}, "within": "4 days",
                 "counted": {"business": "4 business days", "6x24": "4 days", "7x24": "4 days"}},
                {"key": {"criticality": "bajo"}, "within": "6 days",
                 "counted": {"business": "6 business days", "6x24": "6 days", "7x24": "6 days"}}
            ]},
            "service": "service"
        })
    );
    assert_eq!(
        json_step(&playbook, "diagnosis")["deadline"],
        serde_json::json!({
            "rule": "within 2 business hours after received_at",
            "text": "2 horas Hábiles posterior al requerimiento del cliente",
            "table": null,
            "service": null
        })
    );
    // The rows keep the document's order (alto, medio, bajo), not the alphabet's.
    let rows =
        json_step(&playbook, "incident-response")["deadline"]["table"]["rows"].as_array().unwrap().clone();
    let order: Vec<&str> = rows.iter().map(|row| row["key"]["criticality"].as_str().unwrap()).collect();
    assert_eq!(order, ["alto", "medio", "bajo"]);
}
