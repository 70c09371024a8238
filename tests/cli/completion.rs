//! TAB completion from the context typed so far, asked as bash asks it (`COMPLETE=bash`,
//! the cursor's word in `_CLAP_COMPLETE_INDEX`): the steps a command can act on in the
//! project named, fields after `--set`, variables after `set PROJECT`, calendars, roles.

use crate::harness::*;

/// What bash would offer at the last word of `line` (`onboard advance theatre-vidy te`),
/// one candidate a line. With nothing typed, clap adds every flag of the command after
/// the values: those are left out here, so that the lists say what this code decides.
fn offered(ws: &Workspace, line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split(' ').collect();
    let index = (words.len() - 1).to_string();
    let mut args = vec!["--"];
    args.extend(&words);
    let env = [("COMPLETE", "bash"), ("_CLAP_COMPLETE_INDEX", index.as_str()), ("_CLAP_IFS", "\n")];
    let run = ws.run_with(&env, &args);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "", "completion is silent");
    let typed_flag = words.last().is_some_and(|w| w.starts_with('-'));
    run.stdout.lines().filter(|c| typed_flag || !c.starts_with('-')).map(String::from).collect()
}

/// The roles of the cooperative and data-import playbooks, in their order.
const ROLES: [&str; 10] = [
    "ENTIDADES",
    "SISTEMAS",
    "OPERACIONES",
    "INFRAESTRUCTURA",
    "PARTICIPANTE",
    "PROJECT_LEADER",
    "TEAM_LEADER",
    "CUSTOMER",
    "CSVN",
    "QUALITY_GATE",
];

/// Two projects of different playbooks, `coop-central` at 1.2 with `I` and 1.1 done.
fn two_projects() -> Workspace {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    ws.ok(&["start", "data-import", "theatre-vidy", "--set", "J=2026-04-20"]);
    ws.ok(&["advance", "coop-central", "schedule-meeting"]);
    ws.ok(&["advance", "coop-central", "team-systems"]);
    ws
}

#[test]
fn after_a_project_only_the_steps_the_command_can_act_on_by_id_and_number() {
    let ws = two_projects();
    // Several projects: the first word is the project.
    assert_eq!(offered(&ws, "onboard advance "), ["coop-central", "theatre-vidy"]);
    assert_eq!(offered(&ws, "onboard advance theatre-vidy "), ["announce-data", "1"]);
    // Steps of another playbook are not offered (`team-systems` is cooperative's).
    assert_eq!(offered(&ws, "onboard advance theatre-vidy te"), Vec::<String>::new());
    assert_eq!(offered(&ws, "onboard advance coop-central "), ["team-operations", "1.2"]);
    assert_eq!(
        offered(&ws, "onboard reopen coop-central "),
        ["schedule-meeting", "team-systems", "I", "1.1"]
    );
    assert_eq!(offered(&ws, "onboard reopen coop-central 1"), ["1.1"]);
    assert_eq!(offered(&ws, "onboard skip theatre-vidy "), Vec::<String>::new());
    // `explain` takes any step or phase of the project's playbook.
    let explained = offered(&ws, "onboard explain theatre-vidy ");
    // Its 5 phases and 15 steps, by id and by number, in the document's order.
    assert_eq!(explained.len(), 2 * (5 + 15), "{explained:?}");
    assert_eq!(explained[..3], ["kickoff", "announce-data", "inform-customer"]);
    assert_eq!(
        offered(&ws, "onboard explain theatre-vidy 1"),
        ["1–2", "1", "10", "11", "12–15", "12", "13", "14", "15"]
    );
    // Flags between the words do not count as the project.
    assert_eq!(offered(&ws, "onboard advance --note hola coop-central 1"), ["1.2"]);
    assert_eq!(offered(&ws, "onboard --dir .onboard advance coop-central t"), ["team-operations"]);
}

#[test]
fn with_one_project_the_first_word_may_be_a_step_of_it() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "account-suspension", "hosting-ferreteria"]);
    ws.ok(&["advance", "suspension"]);
    assert_eq!(offered(&ws, "onboard skip "), ["hosting-ferreteria", "backup-payment", "backup-copy"]);
    assert_eq!(offered(&ws, "onboard advance p"), ["payment-check"]);
    assert_eq!(offered(&ws, "onboard reopen "), ["hosting-ferreteria", "suspension"]);
    // A step typed first leaves nothing to complete after it.
    assert_eq!(offered(&ws, "onboard advance payment-check "), Vec::<String>::new());
    assert_eq!(offered(&ws, "onboard advance hosting-ferreteria p"), ["payment-check"]);
    assert_eq!(offered(&ws, "onboard set "), ["hosting-ferreteria", "calendar="]);
}

#[test]
fn after_set_the_fields_of_the_step_then_their_values() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "change-request", "acme-webhooks"]);
    ws.ok(&["advance", "1"]);
    ws.ok(&["advance", "2"]);
    assert_eq!(offered(&ws, "onboard advance 3 --set "), ["approved_by=", "approved_via="]);
    // The only ready step is the one completed when none is named.
    assert_eq!(offered(&ws, "onboard advance --set "), ["approved_by=", "approved_via="]);
    assert_eq!(
        offered(&ws, "onboard advance acme-webhooks 3 --set approved_by=Ana --set "),
        ["approved_via="]
    );
    assert_eq!(
        offered(&ws, "onboard advance 3 --set approved_via="),
        ["approved_via=mail", "approved_via=jira", "approved_via=meeting", "approved_via=call"]
    );
    assert_eq!(
        offered(&ws, "onboard advance 3 --set approved_via=m"),
        ["approved_via=mail", "approved_via=meeting"]
    );
    assert_eq!(offered(&ws, "onboard advance 3 --set approved_by="), Vec::<String>::new());

    let ws = Workspace::initialized();
    ws.ok(&["start", "account-suspension", "hosting-ferreteria"]);
    ws.ok(&["advance", "suspension"]);
    assert_eq!(
        offered(&ws, "onboard advance payment-check --set pago_confirmado="),
        ["pago_confirmado=true", "pago_confirmado=false"]
    );
    // `start --set`: the playbook's variables and its calendar.
    assert_eq!(
        offered(&ws, "onboard start data-import vidy --set "),
        ["J=", "secutix_format=", "second_extraction=", "calendar="]
    );
    assert_eq!(
        offered(&ws, "onboard start data-import vidy --set calendar=CH-"),
        ["calendar=CH-VD", "calendar=CH-ZH", "calendar=CH-GE"]
    );
}

#[test]
fn set_offers_the_projects_then_their_variables_and_calendars_and_roles() {
    let ws = two_projects();
    assert_eq!(offered(&ws, "onboard set "), ["coop-central", "theatre-vidy"]);
    assert_eq!(
        offered(&ws, "onboard set theatre-vidy "),
        ["J=", "secutix_format=", "second_extraction=", "calendar="]
    );
    assert_eq!(
        offered(&ws, "onboard set theatre-vidy second_extraction="),
        ["second_extraction=true", "second_extraction=false"]
    );
    assert_eq!(
        offered(&ws, "onboard set theatre-vidy calendar=C"),
        ["calendar=CO", "calendar=CH", "calendar=CH-VD", "calendar=CH-ZH", "calendar=CH-GE"]
    );
    assert_eq!(offered(&ws, "onboard set theatre-vidy J=2026-05-01 "), Vec::<String>::new());
    assert_eq!(
        offered(&ws, "onboard calendars "),
        ["PY", "CO", "CH", "CH-VD", "CH-ZH", "CH-GE", "FR", "ES", "ES-MD", "ES-CT", "IN"]
    );
    assert_eq!(offered(&ws, "onboard calendars ES"), ["ES", "ES-MD", "ES-CT"]);
    assert_eq!(offered(&ws, "onboard check --owner "), ROLES);
    assert_eq!(offered(&ws, "onboard status --owner P"), ["PARTICIPANTE", "PROJECT_LEADER"]);
}

#[test]
fn retract_offers_the_events_it_can_take_back_newest_first() {
    let ws = two_projects();
    let ids = |project: &str| {
        let mut ids = ws.event_files(project);
        ids.sort();
        ids.reverse();
        ids
    };
    // The project's completions, newest first; a word before names the project.
    assert_eq!(offered(&ws, "onboard retract coop-central "), ids("coop-central"));
    assert_eq!(offered(&ws, "onboard retract theatre-vidy "), Vec::<String>::new());
    let latest = ids("coop-central")[0].clone();
    assert_eq!(
        offered(&ws, &format!("onboard retract coop-central {}", &latest[..30])),
        std::slice::from_ref(&latest)
    );
    // Taken back, an event is no longer offered, nor is the retraction.
    ws.ok(&["retract", "coop-central", &latest, "--reason", "not yet"]);
    assert_eq!(offered(&ws, "onboard retract coop-central "), ids("coop-central")[2..]);
    // `next --owner`: the roles of the playbooks in use.
    assert_eq!(offered(&ws, "onboard next --owner "), ROLES);
}
