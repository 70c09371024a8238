//! The domain's typed errors leave the binary with the command line's advice: a single
//! command's error, each unreadable project a portfolio command reports (on stderr and in
//! its JSON), and `doctor`'s findings all carry the same hint.

use std::fs;
use std::path::PathBuf;

use crate::harness::*;

const GO_LIVE: &str = include_str!("../fixtures/go-live.yaml");

const RESTORE: &str = "restore the file from git: projects follow the playbook version they started with";

/// The team's `go-live` project `opera` and the cooperative `coop`; then `go-live` is
/// edited and the version `opera` follows removed, so `opera` cannot be read. Returns the
/// removed version's path.
fn opera_without_its_version(ws: &mut Workspace) -> PathBuf {
    let playbook = ws.path().join(".onboard/playbooks/go-live.yaml");
    fs::write(&playbook, GO_LIVE).unwrap();
    ws.at("2026-03-02T09:00:00+01:00").ok(&["start", "go-live", "opera", "--set", "J=2026-03-30"]);
    ws.at("2026-03-02T09:00:00-03:00").ok(&["start", "cooperative", "coop"]);
    fs::write(&playbook, format!("{GO_LIVE}# edited after opera started\n")).unwrap();
    let versions = ws.path().join(".onboard/versions");
    let version = fs::read_dir(&versions)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.file_name().unwrap().to_string_lossy().starts_with("go-live-"))
        .expect("the version opera follows");
    fs::remove_file(&version).unwrap();
    version
}

#[test]
fn a_missing_version_gets_the_same_hint_from_a_command_a_portfolio_and_doctor() {
    let mut ws = Workspace::initialized();
    let version = opera_without_its_version(&mut ws);
    let message = format!(
        "the version of playbook `go-live` that project `opera` follows is missing: cannot read `{}`: No such file or directory (os error 2)",
        version.display()
    );
    assert_eq!(
        ws.fails(&["status", "opera"]),
        format!(
            "error: the version of playbook `go-live` that project `opera` follows is missing\ncaused by: cannot read `{}`\ncaused by: No such file or directory (os error 2)\nhint: {RESTORE}\n",
            version.display()
        )
    );

    let portfolio = ws.run(&["status"]);
    assert_eq!(portfolio.code, 2, "{portfolio:?}");
    // The readable project is listed.
    assert_expected("portfolio-beside-an-unreadable-file.txt", &portfolio.stdout);
    assert!(portfolio.stderr.ends_with(&format!("hint: {RESTORE}\n")), "{}", portfolio.stderr);

    let json = ws.run(&["status", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(json["errors"][0]["project"], "opera");
    assert_eq!(json["errors"][0]["error"], message.as_str());
    assert_eq!(json["errors"][0]["hint"], RESTORE);

    let doctor = ws.run(&["doctor"]);
    assert_eq!(
        (doctor.code, doctor.stdout),
        (
            1,
            format!(
                "opera: {message}\n  hint: {RESTORE}\n1 problem found in `{}` (2 projects).\n",
                state_dir(&ws)
            )
        )
    );
    let doctor: serde_json::Value =
        serde_json::from_str(&ws.run(&["doctor", "--json"]).stdout).expect("JSON");
    assert_eq!(doctor[0]["kind"], "unreadable");
    assert_eq!(doctor[0]["hint"], RESTORE);
}

#[test]
fn an_unknown_step_without_a_close_id_points_to_the_list_of_steps() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop"]);
    let hint = "hint: `onboard show cooperative` lists the steps with their ids and numbers\n";
    assert_eq!(
        ws.fails(&["advance", "coop", "9.9"]),
        format!("error: playbook `cooperative` has no step `9.9`\n{hint}")
    );
    assert_eq!(
        ws.fails(&["explain", "coop", "9.9"]),
        format!("error: playbook `cooperative` has no step `9.9`\n{hint}")
    );
}
