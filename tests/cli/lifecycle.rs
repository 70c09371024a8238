//! Projects that end and move: archived when finished (or abandoned, with a reason) and
//! brought back, renamed, deleted, and upgraded to a newer version of their playbook;
//! each leaves the state directory consistent (`doctor` finds nothing), and with git each
//! is one commit that says what happened.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use crate::harness::*;

const GO_LIVE: &str = include_str!("../fixtures/go-live.yaml");

/// A workspace with the team's `go-live` playbook, the data import `opera` (J on Monday
/// 30 March 2026) and the cooperative `coop`, started on Monday 2 March.
fn team() -> Workspace {
    let mut ws = Workspace::initialized();
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), GO_LIVE).unwrap();
    ws.at("2026-03-02T09:00:00+01:00").ok(&["start", "go-live", "opera", "--set", "J=2026-03-30"]);
    ws.at("2026-03-02T09:00:00-03:00").ok(&["start", "cooperative", "coop"]);
    ws
}

/// `team()` in a git repository, committed. No merge driver: project directories merge
/// under git's own merge.
fn team_in_git() -> Workspace {
    let ws = team();
    ws.git_init();
    ws.git(&["add", ".onboard"]);
    ws.git(&["commit", "-q", "-m", "two projects"]);
    ws
}

/// `opera` finished: every step done but the optional second extraction, skipped.
fn finish_opera(ws: &mut Workspace) {
    ws.at("2026-03-10T10:00:00+01:00");
    ws.ok(&["advance", "opera", "deliver-data"]);
    ws.ok(&["advance", "opera", "preprod-import"]);
    ws.ok(&["skip", "opera", "second-extraction", "--reason", "no recent data"]);
    ws.at("2026-03-30T10:00:00+01:00").ok(&["advance", "opera", "production-import"]);
}

/// The old single file of archived project `name` (formats 1–3).
fn archived_file(ws: &Workspace, name: &str) -> PathBuf {
    ws.path().join(".onboard/archive").join(format!("{name}.yaml"))
}

/// The text of event file `file` of project `name`.
fn event_text(ws: &Workspace, name: &str, file: &str) -> String {
    fs::read_to_string(ws.project_dir(name).join(file)).unwrap()
}

/// The events `log NAME --json` shows.
fn logged(ws: &Workspace, name: &str) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["log", name, "--json"]).stdout).unwrap();
    json["events"].as_array().unwrap().clone()
}

/// A record about the project as a whole, as `log --json` shows it.
fn record_json(at: &str, action: &str, note: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "at": at, "by": "ana", "action": action, "step": null, "number": null, "note": note,
        "values": {}, "was": null, "tool": "onboard 0.1.0", "id": null, "retracts": null, "retracted": false
    })
}

fn doctor_is_happy(ws: &Workspace, projects: &str) {
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout),
        (0, format!("No problems found in `{}` ({projects}).\n", state_dir(ws))),
        "{}",
        run.stderr
    );
}

#[test]
fn a_finished_project_is_archived_by_an_event_and_back() {
    let mut ws = team();
    let before = ws.read_project("opera");
    assert_eq!(
        ws.fails(&["archive", "opera"]),
        "error: project `opera` is not finished: 4 steps are open (J-14 `deliver-data`, J-7 `preprod-import`, J-1 `second-extraction` and 1 more)
hint: finish or skip them first, or archive it as abandoned: `onboard archive opera --reason TEXT`
"
    );
    assert_eq!(ws.read_project("opera"), before, "a refusal changes nothing");

    finish_opera(&mut ws);
    let finished = ws.read_project("opera");
    let files = ws.event_files("opera");
    let head = event_text(&ws, "opera", "project.yaml");
    let run = ws.at("2026-03-31T09:00:00+02:00").ok(&["archive", "opera"]);
    assert_eq!(
        run.stderr,
        "Archived project `opera` (finished); `onboard status --all` still lists it, `onboard unarchive opera` brings it back.\n"
    );
    // Nothing moves: one new file in the project's directory records the archive.
    let archive = "20260331T070000Z-archive-e69b97ce.yaml";
    let archive_text = "at: 2026-03-31T09:00:00+02:00\nby: ana\naction: archive\ntool: onboard 0.1.0\n";
    assert_eq!(ws.event_files("opera"), [files, vec![archive.to_string()]].concat());
    assert_eq!(event_text(&ws, "opera", archive), archive_text);
    assert_eq!(ws.read_project("opera"), format!("{finished}== {archive} ==\n{archive_text}"));
    assert_eq!(event_text(&ws, "opera", "project.yaml"), head, "project.yaml is written once");
    assert!(!ws.path().join(".onboard/archive").exists(), "no archive/ folder");
    let archived = ws.read_project("opera");

    // The portfolio views leave it out; `--all` brings it back, marked.
    assert!(ws.ok(&["status"]).stdout.starts_with("coop: Proceso de Integración Cooperativa"));
    assert_eq!(
        ws.ok(&["status", "--all"]).stdout,
        " Project   Playbook      Current phase         Progress   Next due   Overdue   On time
───────── ───────────── ───────────────────── ────────── ────────── ───────── ─────────
 coop      cooperative   I Reunión inicial     0/25                  0
 opera     go-live       archived (finished)   4/4                   0         3/3
"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "--all", "--json"]).stdout).unwrap();
    let flags: Vec<(&str, bool)> = json["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["project"].as_str().unwrap(), p["archived"].as_bool().unwrap()))
        .collect();
    assert_eq!(flags, [("coop", false), ("opera", true)]);
    assert_eq!(
        ws.ok(&["check"]).stdout,
        "Nothing is overdue or due soon.\n",
        "check has nothing of an archived project"
    );

    // Reading it still works; changing it does not.
    let status = ws.ok(&["status", "opera"]).stdout;
    let head_lines: Vec<&str> = status.lines().take(3).collect();
    assert_eq!(
        head_lines,
        [
            "archived 2026-03-31 by ana: finished; `onboard unarchive opera` brings it back",
            "opera: Go-live data import (playbook go-live, calendar CH)",
            "started 2026-03-02 by ana · 4 of 4 steps finished · 3 of 3 finished on time",
        ]
    );
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "opera", "--json"]).stdout).unwrap();
    assert_eq!(
        json["archived"],
        serde_json::json!({"at": "2026-03-31T09:00:00+02:00", "by": "ana", "reason": null})
    );
    assert!(ws.ok(&["log", "opera"]).stdout.ends_with(" 2026-03-31 09:00   ana   archive\n"));
    let log = logged(&ws, "opera");
    assert_eq!(log.len(), 6, "the start, four steps and the archive");
    assert_eq!(log[5], record_json("2026-03-31T09:00:00+02:00", "archive", None));
    let refusal = "error: project `opera` is archived
hint: run `onboard unarchive opera` to work on it again; `onboard status opera` and `onboard log opera` show it as it is
";
    assert_eq!(ws.fails(&["reopen", "opera", "production-import", "--reason", "redo"]), refusal);
    assert_eq!(ws.fails(&["set", "opera", "J=2026-04-06", "--reason", "moved"]), refusal);
    assert_eq!(ws.fails(&["upgrade", "opera"]), refusal);
    assert_eq!(ws.fails(&["rename", "opera", "opera-ch"]), refusal);
    assert_eq!(
        ws.fails(&["archive", "opera"]),
        "error: project `opera` is already archived\nhint: `onboard status opera` shows it; `onboard unarchive opera` brings it back\n"
    );
    assert_eq!(
        ws.fails(&["start", "go-live", "opera", "--set", "J=2026-06-01"]),
        format!(
            "error: an archived project is named `opera` in `{}`\nhint: choose another name, or bring it back with `onboard unarchive opera`\n",
            state_dir(&ws)
        )
    );
    assert_eq!(ws.read_project("opera"), archived, "refusals change nothing");
    doctor_is_happy(&ws, "1 project, 1 archived");

    let run = ws.at("2026-04-01T09:00:00+02:00").ok(&["unarchive", "opera", "--reason", "warranty claim"]);
    assert_eq!(run.stderr, "Unarchived project `opera`: it is back in the portfolio.\n");
    // Another new file; the archive's stays, for the record.
    let unarchive = "20260401T070000Z-unarchive-9f3e75bf.yaml";
    let unarchive_text = "at: 2026-04-01T09:00:00+02:00\nby: ana\naction: unarchive\nnote: warranty claim\ntool: onboard 0.1.0\n";
    assert_eq!(ws.read_project("opera"), format!("{archived}== {unarchive} ==\n{unarchive_text}"));
    assert_eq!(
        logged(&ws, "opera")[5..],
        [
            record_json("2026-03-31T09:00:00+02:00", "archive", None),
            record_json("2026-04-01T09:00:00+02:00", "unarchive", Some("warranty claim")),
        ]
    );
    assert_eq!(
        ws.fails(&["unarchive", "opera"]),
        "error: project `opera` is not archived\nhint: `onboard status` lists it\n"
    );
    // Back in the portfolio.
    assert_expected("unarchived-portfolio.txt", &ws.ok(&["status"]).stdout);
    ws.ok(&["reopen", "opera", "production-import", "--reason", "warranty claim"]);
    doctor_is_happy(&ws, "2 projects");
}

#[test]
fn an_abandoned_project_is_archived_with_its_reason() {
    let mut ws = team();
    ws.at("2026-03-05T09:00:00-03:00");
    let run = ws.ok(&["archive", "coop", "--reason", "la cooperativa desistió"]);
    assert_eq!(
        run.stderr,
        "Archived project `coop` (abandoned: la cooperativa desistió); `onboard status --all` still lists it, `onboard unarchive coop` brings it back.\n"
    );
    assert_eq!(
        ws.ok(&["status", "--all"]).stdout,
        " Project   Playbook      Current phase          Progress   Next due               Overdue   On time
───────── ───────────── ────────────────────── ────────── ────────────────────── ───────── ─────────
 opera     go-live       planning Data          0/4        J-14 2026-03-16 (in    0
                         planning                          7 business days)
 coop      cooperative   archived (abandoned)   0/25                              0
"
    );
    let status = ws.ok(&["status", "coop"]).stdout;
    assert_eq!(
        status.split_inclusive('\n').take(2).collect::<String>(),
        "archived 2026-03-05 by ana: abandoned (la cooperativa desistió); `onboard unarchive coop` brings it\n  back\n"
    );
    assert_eq!(
        ws.ok(&["log", "coop"]).stdout,
        " When               Who   Action    Step   Details
────────────────── ───── ───────── ────── ──────────────────────────
 2026-03-02 09:00   ana   start            dimo_personalizada=false
 2026-03-05 09:00   ana   archive          la cooperativa desistió
"
    );
    // With one project left, commands find it themselves: the archived one is not a choice.
    assert_eq!(
        ws.ok(&["advance"]).stderr,
        "Completed J-14 `deliver-data` in `opera`.\nReady now: J-7 `preprod-import`\n"
    );
}

#[test]
fn rename_records_the_new_name_in_one_commit_of_one_new_file() {
    let mut ws = team_in_git();
    ws.at("2026-03-03T09:00:00+01:00");
    assert_eq!(
        ws.fails(&["rename", "opera", "coop"]),
        format!(
            "error: there is already a project `coop` in `{}/projects/`\nhint: choose another name\n",
            state_dir(&ws)
        )
    );
    assert_eq!(
        ws.fails(&["rename", "opera", "Opera Lausanne"]),
        "error: `Opera Lausanne` is not a valid project name: only lowercase letters, digits and `-` are allowed, and it must not start with `-`\nhint: project names are slugs such as `coop-central`\n"
    );
    assert_eq!(
        ws.fails(&["rename", "ghost", "opera-ch"]),
        format!(
            "error: no project `ghost` in `{}`\nhint: `onboard status` lists the projects; `onboard start PLAYBOOK NAME` creates one\n",
            state_dir(&ws)
        )
    );
    let before = ws.event_files("opera");
    let head = fs::read_to_string(ws.project_dir("opera").join("project.yaml")).unwrap();
    let run = ws.ok(&["rename", "opera", "opera-lausanne", "--commit"]);
    assert_eq!(run.stderr, "Renamed project `opera` to `opera-lausanne`.\n");
    // The directory keeps its first name as the project's id; one event file is added.
    assert!(!ws.project_dir("opera-lausanne").exists());
    assert_eq!(fs::read_to_string(ws.project_dir("opera").join("project.yaml")).unwrap(), head);
    let event = "20260303T080000Z-rename-opera-lausanne-0bedc130.yaml";
    let mut expected = before.clone();
    expected.push(event.to_string());
    expected.sort();
    assert_eq!(ws.event_files("opera"), expected);
    assert_eq!(
        fs::read_to_string(ws.project_dir("opera").join(event)).unwrap(),
        "at: 2026-03-03T09:00:00+01:00\nby: ana\naction: rename\nfrom: opera\nto: opera-lausanne\ntool: onboard 0.1.0\n"
    );
    assert_eq!(
        ws.git(&["show", "--format=%s", "--name-status", "HEAD"]),
        format!("onboard: opera-lausanne: renamed from opera\n\nA\t.onboard/projects/opera/{event}\n")
    );
    assert_eq!(ws.git(&["status", "--porcelain"]), "", "everything is committed");
    let log = " When               Who   Action   Step   Details
────────────────── ───── ──────── ────── ─────────────────────────────────────
 2026-03-02 09:00   ana   start           J=2026-03-30
 2026-03-03 09:00   ana   rename          project=opera-lausanne; (was opera)
";
    assert_eq!(ws.ok(&["log", "opera-lausanne"]).stdout, log);
    assert_eq!(ws.ok(&["log", "opera"]).stdout, log, "the id still names the project");
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "--all", "--json"]).stdout).unwrap();
    let listed: Vec<&str> =
        json["projects"].as_array().unwrap().iter().map(|p| p["project"].as_str().unwrap()).collect();
    assert_eq!(listed, ["coop", "opera-lausanne"]);
    ws.ok(&["advance", "opera-lausanne", "deliver-data"]);
    doctor_is_happy(&ws, "2 projects");
    // The first name stays the directory's: a new project cannot take it.
    assert_eq!(
        ws.fails(&["start", "go-live", "opera", "--set", "J=2026-04-30"]),
        "error: `opera` is the directory of project `opera-lausanne`, renamed since\nhint: choose another name: a project keeps the name it started with as its directory's, so that work recorded under it merges\n"
    );
}

#[test]
fn delete_asks_or_takes_yes_and_records_a_deletion_that_prune_removes() {
    let mut ws = team_in_git();
    let opera = ws.read_project("opera");
    assert_eq!(
        ws.fails(&["delete", "opera"]),
        "error: deleting project `opera` needs a confirmation, and there is no terminal to ask on\nhint: pass `--yes` to delete it without a question\n"
    );
    assert_eq!(ws.read_project("opera"), opera, "a refusal changes nothing");
    let run = ws.ok(&["delete", "opera", "--yes", "--commit"]);
    assert_eq!(
        run.stderr,
        "Deleted project `opera` from the portfolio; `onboard prune opera` removes its files.\n"
    );
    // A deletion is an event: one new file, the others stay until `prune`.
    let delete = "20260302T120000Z-delete-6d44de53.yaml";
    // Stamped in the project's own time zone, as every event of `opera` is.
    let delete_text = "at: 2026-03-02T13:00:00+01:00\nby: ana\naction: delete\ntool: onboard 0.1.0\n";
    assert_eq!(ws.event_files("opera"), [delete]);
    assert_eq!(ws.read_project("opera"), format!("{opera}== {delete} ==\n{delete_text}"));
    assert_eq!(
        ws.git(&["show", "--format=%s", "--name-status", "HEAD"]),
        format!("onboard: opera: deleted\n\nA\t.onboard/projects/opera/{delete}\n")
    );
    assert_eq!(ws.git(&["status", "--porcelain"]), "", "everything is committed");
    let versions = ws.git(&["ls-files", ".onboard/versions"]);
    assert!(versions.contains(".onboard/versions/go-live-"), "the version it followed stays: {versions}");
    // It leaves every listing, `--all` included, and no command finds it.
    assert_eq!(
        ws.ok(&["status", "--all"]).stdout,
        " Project   Playbook      Current phase       Progress   Next due   Overdue   On time
───────── ───────────── ─────────────────── ────────── ────────── ───────── ─────────
 coop      cooperative   I Reunión inicial   0/25                  0
"
    );
    let none = format!(
        "error: no project `opera` in `{}`\nhint: `onboard status` lists the projects; `onboard start PLAYBOOK NAME` creates one\n",
        state_dir(&ws)
    );
    assert_eq!(ws.fails(&["status", "opera"]), none);
    assert_eq!(ws.fails(&["log", "opera"]), none);
    assert_eq!(
        ws.fails(&["delete", "opera", "--yes"]),
        "error: project `opera` is already deleted\nhint: `onboard prune opera` removes its files\n"
    );
    // Its name stays taken until its files go.
    assert_eq!(
        ws.fails(&["start", "data-import", "opera", "--set", "J=2027-01-20"]),
        "error: a deleted project is named `opera`; its files are still in the state directory\nhint: `onboard prune opera` removes its files, once no branch holds work on it; or choose another name\n"
    );
    doctor_is_happy(&ws, "1 project");

    let run = ws.ok(&["prune", "opera", "--commit"]);
    assert_eq!(run.stderr, "Pruned project `opera`.\n");
    assert!(!ws.project_dir("opera").exists());
    assert_eq!(
        ws.git(&["show", "--format=%s", "--name-status", "HEAD"]),
        format!(
            "onboard: opera: pruned\n\nD\t.onboard/projects/opera/{delete}\nD\t.onboard/projects/opera/project.yaml\n"
        )
    );
    assert!(ws.git(&["ls-files", ".onboard/versions"]).contains(".onboard/versions/go-live-"));
    assert_eq!(ws.ok(&["prune"]).stderr, "Nothing to prune: no project is deleted.\n");
    assert_eq!(
        ws.fails(&["prune", "coop"]),
        "error: project `coop` is not deleted\nhint: `onboard delete coop` deletes it first\n"
    );

    // An archived project is deleted from the archive; `--purge` removes its files at once,
    // and one git never had needs no commit.
    ws.at("2026-03-04T09:00:00-03:00").ok(&["start", "cooperative", "coop-sur"]);
    ws.ok(&["archive", "coop-sur", "--reason", "duplicado de coop"]);
    let run = ws.ok(&["delete", "coop-sur", "--yes", "--purge", "--commit"]);
    assert_eq!(
        run.stderr,
        "Deleted project `coop-sur` from the archive and removed its files.\nNothing to commit: git never had project `coop-sur`.\n"
    );
    assert!(!ws.project_dir("coop-sur").exists());
    assert_eq!(ws.git(&["status", "--porcelain"]), "");
    // Nothing of either is left: not even a lock, which doctor would report.
    for name in ["opera", "coop-sur"] {
        let lock = ws.path().join(format!(".onboard/locks/{name}.lock"));
        assert!(!lock.exists(), "{} is left", lock.display());
    }
    doctor_is_happy(&ws, "1 project");
}

/// The saved version of `cooperative` the old project files follow (`sha256:767f7474…`).
const COOPERATIVE_767F7474: &str = include_str!("../fixtures/cooperative-767f7474146b.yaml");

/// An old single file (format 2) of `coop-central`, as an earlier onboard left it.
const FORMAT_2: &str = include_str!("../fixtures/format-2-coop-central.yaml");

/// `FORMAT_2` archived by an earlier onboard: in format 3, with its archive record.
fn archived_format_3() -> String {
    let text = FORMAT_2.replace("format: 2\n", "format: 3\n").replace(
        "  tool: onboard 0.1.0\n\nvars:",
        "  tool: onboard 0.1.0\n\nlifecycle:\n- at: 2026-03-21T09:00:00-03:00\n  by: ana\n  action: archive\n  note: la cooperativa desistió\n  tool: onboard 0.1.0\n\nvars:",
    );
    assert_ne!(text, FORMAT_2);
    text
}

/// A workspace where an earlier onboard left `coop-central` both in `projects/` and in
/// `archive/` (a crash between writing the archived file and removing the other, or a
/// hand move), with the playbook version both follow.
fn in_both_folders() -> Workspace {
    let mut ws = Workspace::initialized();
    ws.at("2026-03-23T09:00:00-03:00");
    fs::write(ws.project_file("coop-central"), FORMAT_2).unwrap();
    fs::create_dir_all(ws.path().join(".onboard/archive")).unwrap();
    fs::write(archived_file(&ws, "coop-central"), archived_format_3()).unwrap();
    let versions = ws.path().join(".onboard/versions");
    fs::create_dir_all(&versions).unwrap();
    fs::write(versions.join("cooperative-767f7474146b.yaml"), COOPERATIVE_767F7474).unwrap();
    ws
}

#[test]
fn a_name_in_both_folders_is_refused_and_doctor_reports_it() {
    let ws = in_both_folders();
    let root = state_dir(&ws);
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "coop-central: `coop-central` is both a project (`{root}/projects/coop-central.yaml`) and an archived project (`{root}/archive/coop-central.yaml`)
  hint: if they are the same project, remove the copy you do not want (`git rm .onboard/archive/coop-central.yaml`, say); if not, give the archived one another name: change its `project:` and rename its file to match
1 problem found in `{root}` (1 project, 1 archived).
"
            )
        )
    );

    // The same project twice: removing the copy not wanted leaves the archived one, which
    // its first write converts to a directory.
    let same = in_both_folders();
    fs::remove_file(same.project_file("coop-central")).unwrap();
    doctor_is_happy(&same, "0 projects, 1 archived");
    let run = same.ok(&["unarchive", "coop-central", "--reason", "sigue"]);
    assert_eq!(run.stderr, "Unarchived project `coop-central`: it is back in the portfolio.\n");
    assert!(!archived_file(&same, "coop-central").exists(), "the old file is converted");
    let files = same.event_files("coop-central");
    assert_eq!(files.len(), 33, "32 events of the old file and the unarchive: {files:?}");
    let records: Vec<&String> = files.iter().filter(|f| f.contains("archive-")).collect();
    let (archive, unarchive) =
        ("20260321T120000Z-archive-ccbf549c.yaml", "20260323T120000Z-unarchive-1a26061f.yaml");
    assert_eq!(records, [archive, unarchive]);
    assert_eq!(
        event_text(&same, "coop-central", archive),
        "at: 2026-03-21T09:00:00-03:00\nby: ana\naction: archive\nnote: la cooperativa desistió\ntool: onboard 0.1.0\n"
    );
    assert_eq!(
        event_text(&same, "coop-central", unarchive),
        "at: 2026-03-23T09:00:00-03:00\nby: ana\naction: unarchive\nnote: sigue\ntool: onboard 0.1.0\n"
    );
    let log = logged(&same, "coop-central");
    assert_eq!(log.len(), 34, "the start and every event file");
    assert_eq!(
        log[32..],
        [
            record_json("2026-03-21T09:00:00-03:00", "archive", Some("la cooperativa desistió")),
            record_json("2026-03-23T09:00:00-03:00", "unarchive", Some("sigue")),
        ]
    );
    doctor_is_happy(&same, "1 project");

    // Two projects of one name: each command refuses to guess which is meant, and nothing
    // is written.
    assert_eq!(
        ws.fails(&["delete", "coop-central", "--yes"]),
        "error: `coop-central` names both a project and an archived project\nhint: if they are the same project, remove the copy you do not want (`git rm .onboard/archive/coop-central.yaml`, say); if not, give the archived one another name: change its `project:` and rename its file to match\n"
    );
    assert_eq!(
        ws.fails(&["unarchive", "coop-central"]),
        "error: `coop-central` names both a project and an archived project\nhint: if they are the same project, remove the copy you do not want (`git rm .onboard/archive/coop-central.yaml`, say); if not, give the archived one another name: change its `project:` and rename its file to match\n"
    );
    assert_eq!(ws.read_project("coop-central"), FORMAT_2);
    assert_eq!(fs::read_to_string(archived_file(&ws, "coop-central")).unwrap(), archived_format_3());
    assert!(!ws.project_dir("coop-central").exists());

    // As doctor says: the archived one, given another name, is a project of its own, which
    // is then deleted.
    let renamed = archived_format_3().replace("project: coop-central", "project: coop-2025");
    fs::write(archived_file(&ws, "coop-2025"), renamed).unwrap();
    fs::remove_file(archived_file(&ws, "coop-central")).unwrap();
    doctor_is_happy(&ws, "1 project, 1 archived");
    let run = ws.ok(&["delete", "coop-2025", "--yes"]);
    assert_eq!(
        run.stderr,
        "Deleted project `coop-2025` from the archive; `onboard prune coop-2025` removes its files.\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "--all", "--json"]).stdout).unwrap();
    let listed: Vec<&str> =
        json["projects"].as_array().unwrap().iter().map(|p| p["project"].as_str().unwrap()).collect();
    assert_eq!(listed, ["coop-central"]);
    doctor_is_happy(&ws, "1 project");
    doctor_is_happy(&ws, "1 project");
}

/// The team's next version of `go-live`: a smoke test replaces the optional second
/// extraction, the pre-production import moves from J-7 to J-10, and two variables come:
/// a rollback flag (false by default) and a contact (no default).
fn go_live_v2() -> String {
    let v2 = GO_LIVE
        .replace("deadline: { at: J-7 }", "deadline: { at: J-10 }")
        .replace(
            "      - id: second-extraction
        number: J-1
        title: Optionally, to import recent data, the customer has the possibility to give a second full data extraction at J-1
        owner: customer
        optional: true
        deadline: { at: J-1 }
",
            "      - id: smoke-test
        number: J-3
        title: CSVN smoke tests the import in pre production
        owner: CSVN
        deadline: { at: J-3 }
",
        )
        .replace(
            "    description: The go-live date (milestone J).\n",
            "    description: The go-live date (milestone J).
  - name: rollback
    type: bool
    default: false
  - name: contact
    type: text
",
        );
    assert_ne!(v2, GO_LIVE);
    v2
}

fn new_version(ws: &Workspace) -> String {
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), go_live_v2()).unwrap();
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["playbooks", "--json"]).stdout).unwrap();
    let go_live = json.as_array().unwrap().iter().find(|p| p["id"] == "go-live").unwrap();
    go_live["hash"].as_str().unwrap().to_string()
}

/// The `playbook_hash` a project file's text records.
fn followed(text: &str) -> String {
    text.lines().find_map(|l| l.strip_prefix("playbook_hash: ")).unwrap().to_string()
}

/// The version project `name` follows now, as `status --json` says.
fn following(ws: &Workspace, name: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["status", name, "--json"]).stdout).unwrap();
    json["playbook_hash"].as_str().unwrap().to_string()
}

/// The ids of the steps a `status NAME --json` shows, in order.
fn step_ids(json: &serde_json::Value) -> Vec<String> {
    json["phases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["steps"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()))
        .collect()
}

/// `sha256:` and 12 hex digits, as messages show a version.
fn short(hash: &str) -> &str {
    &hash[..19]
}

#[test]
fn upgrade_shows_what_changes_then_records_the_new_version_in_an_event() {
    let mut ws = team();
    ws.at("2026-03-04T09:00:00+01:00").ok(&["advance", "opera", "deliver-data"]);
    let old = ws.read_project("opera");
    let old_hash = followed(&old);
    let new_hash = new_version(&ws);
    let report = format!(
        "Upgrade `opera` from version {} of playbook `go-live` to {}.
Steps added:
  J-3 `smoke-test`: CSVN smoke tests the import in pre production (due 2026-03-27)
Steps removed:
  J-1 `second-extraction`
Rules changed:
  J-7 `preprod-import` deadline: at J-7 → at J-10
Variables added:
  rollback: false (its default)
  contact: no value yet; `onboard set opera contact=VALUE --reason TEXT` gives it one
Due dates that move:
  J-7 `preprod-import`: 2026-03-23 → 2026-03-20
",
        short(&old_hash),
        short(&new_hash)
    );
    ws.at("2026-03-05T09:00:00+01:00");
    let run = ws.ok(&["upgrade", "opera", "--dry-run"]);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        (report.as_str(), "Nothing changed (--dry-run).\n")
    );
    assert_eq!(ws.read_project("opera"), old, "a dry run changes nothing");

    let run = ws.ok(&["upgrade", "opera"]);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.clone()),
        (
            report.as_str(),
            format!("Upgraded project `opera` to version {} of playbook `go-live`.\n", short(&new_hash))
        )
    );
    // Nothing is rewritten: `project.yaml` still says the version it started on; an
    // upgrade event names the new one, and the new variable's default is a set event.
    let head = event_text(&ws, "opera", "project.yaml");
    assert!(
        head.contains(&format!(
            "\nformat: 4\nproject: opera\nplaybook: go-live\nplaybook_hash: {old_hash}\n"
        ))
    );
    let (set, upgrade) =
        ("20260305T080000Z-set-rollback-75416205.yaml", "20260305T080000Z-upgrade-c9741f9c.yaml");
    let set_text = format!(
        "var: rollback\nat: 2026-03-05T09:00:00+01:00\nby: ana\naction: set\nvalue: false\nnote: default of playbook `go-live` version {}\ntool: onboard 0.1.0\nseq: 1\n",
        short(&new_hash)
    );
    let upgrade_text = format!(
        "at: 2026-03-05T09:00:00+01:00\nby: ana\naction: upgrade\nfrom: {old_hash}\nto: {new_hash}\ntool: onboard 0.1.0\n"
    );
    assert_eq!(
        ws.read_project("opera"),
        format!("{old}== {set} ==\n{set_text}== {upgrade} ==\n{upgrade_text}"),
        "two new files, the others as they were"
    );
    assert_eq!(following(&ws, "opera"), new_hash);
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "opera", "--json"]).stdout).unwrap();
    assert_eq!(
        step_ids(&json),
        ["deliver-data", "preprod-import", "smoke-test", "production-import"],
        "the new version's steps, in its order; the removed one is gone"
    );
    let version = ws.path().join(format!(".onboard/versions/go-live-{}.yaml", &new_hash[7..19]));
    assert_eq!(fs::read_to_string(version).unwrap(), go_live_v2(), "the version it follows is saved");
    let status = ws.ok(&["status", "opera"]).stdout;
    assert_eq!(
        status.lines().take(3).collect::<Vec<_>>(),
        [
            "opera: Go-live data import (playbook go-live, calendar CH)",
            "started 2026-03-02 by ana · 1 of 4 steps finished · 1 of 1 finished on time",
            "variables: J=2026-03-30, rollback=false",
        ],
        "it follows the current playbook: no note that the playbook changed"
    );
    let upgraded = ws.read_project("opera");
    assert_eq!(
        ws.ok(&["upgrade", "opera"]).stderr,
        format!(
            "Project `opera` already follows version {} of playbook `go-live`: nothing to upgrade.\n",
            short(&new_hash)
        )
    );
    assert_eq!(ws.read_project("opera"), upgraded, "no second upgrade event");
    assert_eq!(
        logged(&ws, "opera")[3],
        serde_json::json!({
            "at": "2026-03-05T09:00:00+01:00", "by": "ana", "action": "upgrade", "step": null,
            "number": null, "note": null, "values": {"playbook_hash": short(&new_hash)},
            "was": short(&old_hash), "tool": "onboard 0.1.0", "id": null, "retracts": null,
            "retracted": false
        })
    );
    assert_eq!(
        ws.ok(&["log", "opera"]).stdout,
        format!(
            " When               Who   Action    Step   Details
────────────────── ───── ───────── ────── ───────────────────────────────────────────────────────
 2026-03-02 09:00   ana   start            J=2026-03-30
 2026-03-04 09:00   ana   done      J-14
 2026-03-05 09:00   ana   set              rollback=false; default of playbook `go-live` version
                                           {new}
 2026-03-05 09:00   ana   upgrade          playbook_hash={new}; (was
                                           {old})
",
            new = short(&new_hash),
            old = short(&old_hash)
        )
    );
    doctor_is_happy(&ws, "2 projects");
}

#[test]
fn upgrade_refuses_to_drop_recorded_work_unless_forced_and_keeps_what_it_drops() {
    let mut ws = team();
    ws.at("2026-03-04T09:00:00+01:00").ok(&[
        "skip",
        "opera",
        "second-extraction",
        "--reason",
        "no recent data",
    ]);
    let old = ws.read_project("opera");
    let old_hash = followed(&old);
    let new_hash = new_version(&ws);
    ws.at("2026-03-05T09:00:00+01:00");
    assert!(ws.ok(&["upgrade", "opera", "--dry-run"]).stdout.ends_with(
        "Recorded work the new version has no place for (dropped only with --force --reason TEXT):
  J-1 `second-extraction`: skipped by ana at 2026-03-04T09:00:00+01:00 (no recent data)
"
    ));
    assert_eq!(
        ws.fails(&["upgrade", "opera"]),
        "error: upgrading `opera` would drop recorded work: step `second-extraction` (1 event)
hint: to upgrade anyway, pass `--force --reason TEXT`: what is dropped is kept in the upgrade's record, and `onboard log` shows it; `--dry-run` shows the whole change
"
    );
    let run = ws.run(&["upgrade", "opera", "--force"]);
    assert_eq!(run.code, 2);
    assert_expected("upgrade-force-without-reason.txt", &run.stderr);
    assert_eq!(ws.read_project("opera"), old, "refusals change nothing");

    let run =
        ws.ok(&["upgrade", "opera", "--force", "--reason", "smoke tests replace the second extraction"]);
    assert!(run.stdout.ends_with(
        "Recorded work dropped (kept in the upgrade's record):
  J-1 `second-extraction`: skipped by ana at 2026-03-04T09:00:00+01:00 (no recent data)
"
    ));
    // The skip's file stays as it was; the upgrade's record holds it as dropped, and
    // reading drops it again.
    let (skip, set, upgrade) = (
        "20260304T080000Z-skip-second-extraction-990198b8.yaml",
        "20260305T080000Z-set-rollback-75416205.yaml",
        "20260305T080000Z-upgrade-7f3b2253.yaml",
    );
    assert_eq!(ws.event_files("opera"), [skip, set, upgrade]);
    assert!(old.contains(&format!("== {skip} ==\n")), "{old}");
    assert!(ws.read_project("opera").starts_with(&old), "no file is rewritten");
    assert_eq!(
        event_text(&ws, "opera", upgrade),
        format!(
            "at: 2026-03-05T09:00:00+01:00\nby: ana\naction: upgrade\nfrom: {old_hash}\nto: {new_hash}\nnote: smoke tests replace the second extraction\ndropped:\n  steps:\n    second-extraction:\n    - at: 2026-03-04T09:00:00+01:00\n      by: ana\n      action: skip\n      note: no recent data\n      tool: onboard 0.1.0\ntool: onboard 0.1.0\n"
        )
    );
    assert_eq!(following(&ws, "opera"), new_hash);
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "opera", "--json"]).stdout).unwrap();
    assert!(!step_ids(&json).contains(&"second-extraction".to_string()), "its step is gone");
    assert_eq!(
        ws.ok(&["log", "opera"]).stdout,
        format!(
            " When               Who   Action    Step   Details
────────────────── ───── ───────── ────── ────────────────────────────────────────────────────────
 2026-03-02 09:00   ana   start            J=2026-03-30
 2026-03-05 09:00   ana   set              rollback=false; default of playbook `go-live` version
                                           {new}
 2026-03-05 09:00   ana   upgrade          dropped=step `second-extraction` (1 event);
                                           playbook_hash={new}; smoke tests replace
                                           the second extraction (was {old})
",
            new = short(&new_hash),
            old = short(&old_hash)
        ),
        "the log says what the upgrade dropped; the record in the file keeps it whole"
    );
    // Back to the version it started with, named by the start of its hash: the new
    // variables' values go, kept in the record.
    assert_eq!(
        ws.fails(&["upgrade", "opera", "--to", "sha256:abcdef"]),
        "error: no known version of playbook `go-live` has a hash starting with `abcdef`
hint: the known versions are the current playbook (`onboard playbooks --json` gives its hash) and those saved in versions/
"
    );
    ws.at("2026-03-06T09:00:00+01:00");
    let back = ws.ok(&[
        "upgrade",
        "opera",
        "--to",
        &old_hash[7..15],
        "--force",
        "--reason",
        "back to the rehearsal",
    ]);
    assert!(back.stdout.starts_with(&format!(
        "Upgrade `opera` from version {} of playbook `go-live` to {}.
Steps added:
  J-1 `second-extraction`: Optionally, to import recent data, the customer has the possibility to give a second full data extraction at J-1 (due 2026-03-27)
",
        short(&new_hash),
        short(&old_hash)
    )), "{}", back.stdout);
    assert!(back.stdout.ends_with("Recorded work dropped (kept in the upgrade's record):\n  rollback: set to false by ana at 2026-03-05T09:00:00+01:00\n"), "{}", back.stdout);
    // One more file: the back upgrade, which holds the value it dropped.
    let back = "20260306T080000Z-upgrade-5f79cdb9.yaml";
    assert_eq!(ws.event_files("opera"), [skip, set, upgrade, back]);
    assert_eq!(
        event_text(&ws, "opera", back),
        format!(
            "at: 2026-03-06T09:00:00+01:00\nby: ana\naction: upgrade\nfrom: {new_hash}\nto: {old_hash}\nnote: back to the rehearsal\ndropped:\n  vars:\n    rollback:\n    - at: 2026-03-05T09:00:00+01:00\n      by: ana\n      action: set\n      value: false\n      note: default of playbook `go-live` version {}\n      tool: onboard 0.1.0\ntool: onboard 0.1.0\n",
            short(&new_hash)
        )
    );
    assert_eq!(following(&ws, "opera"), old_hash);
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "opera", "--json"]).stdout).unwrap();
    let mut steps = json["phases"].as_array().unwrap().iter().flat_map(|p| p["steps"].as_array().unwrap());
    let second = steps.find(|s| s["id"] == "second-extraction").unwrap();
    assert_eq!(second["status"], "waiting", "back, without the skip the first upgrade dropped");
    assert_eq!(json["vars"], serde_json::json!({"J": "2026-03-30"}), "rollback went with its version");
    let log = logged(&ws, "opera");
    let actions: Vec<(&str, &str)> =
        log.iter().map(|e| (e["at"].as_str().unwrap(), e["action"].as_str().unwrap())).collect();
    assert_eq!(
        actions,
        [
            ("2026-03-02T09:00:00+01:00", "start"),
            ("2026-03-05T09:00:00+01:00", "upgrade"),
            ("2026-03-06T09:00:00+01:00", "upgrade"),
        ],
        "dropped events leave the log; the upgrades say what they dropped"
    );
    assert_eq!(
        (&log[2]["values"], &log[2]["was"], &log[2]["note"]),
        (
            &serde_json::json!({"dropped": "variable `rollback` (1 event)", "playbook_hash": short(&old_hash)}),
            &serde_json::json!(short(&new_hash)),
            &serde_json::json!("back to the rehearsal")
        )
    );
    doctor_is_happy(&ws, "2 projects");
}

/// `git merge BRANCH` in `ws`, whatever it answers.
fn merge(ws: &Workspace, branch: &str) -> (bool, String) {
    let output = Command::new("git")
        .args(["merge", "-q", "--no-edit", branch])
        .current_dir(ws.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", ws.path())
        .output()
        .unwrap();
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn an_upgrade_or_an_archive_on_a_branch_merges_with_work_done_meanwhile() {
    let mut ws = team_in_git();
    let old_hash = followed(&ws.read_project("opera"));
    ws.git(&["checkout", "-q", "-b", "upgrade"]);
    let new_hash = new_version(&ws);
    ws.git(&["commit", "-q", "-am", "go-live: smoke tests"]);
    ws.at("2026-03-05T09:00:00+01:00").ok(&["upgrade", "opera", "--commit"]);
    ws.at("2026-03-05T10:00:00-03:00").ok(&[
        "archive",
        "coop",
        "--reason",
        "la cooperativa desistió",
        "--commit",
    ]);
    let (set, upgrade, archive) = (
        "20260305T080000Z-set-rollback-75416205.yaml",
        "20260305T080000Z-upgrade-c9741f9c.yaml",
        "20260305T130000Z-archive-c4b7055a.yaml",
    );
    assert_eq!(
        ws.git(&["log", "--format=%s", "-n", "2"]),
        format!(
            "onboard: coop: archived, abandoned\nonboard: opera: upgraded to go-live {}\n",
            short(&new_hash)
        )
    );
    // The subject says what; the body, why and who.
    assert_eq!(
        ws.git(&["log", "-1", "--format=%b"]),
        "Reason: la cooperativa desistió\n\nRecorded by ana.\n\n"
    );
    assert_eq!(
        ws.git(&["log", "-1", "--skip", "1", "--format=%b"]),
        format!("From: go-live {}\n\nRecorded by ana.\n\n", short(&old_hash))
    );
    assert_eq!(
        ws.git(&["show", "--format=", "--name-status", "HEAD~1"]),
        format!(
            "A\t.onboard/projects/opera/{set}\nA\t.onboard/projects/opera/{upgrade}\nA\t.onboard/versions/go-live-{}.yaml\n",
            &new_hash[7..19]
        ),
        "only new files: the upgrade, the new variable's default and the version"
    );
    assert_eq!(
        ws.git(&["show", "--format=", "--name-status", "HEAD"]),
        format!("A\t.onboard/projects/coop/{archive}\n")
    );

    ws.git(&["checkout", "-q", "main"]);
    ws.user = "bob".into();
    ws.at("2026-03-04T16:00:00+01:00").ok(&["advance", "opera", "deliver-data", "--commit"]);
    ws.at("2026-03-04T16:00:00-03:00").ok(&["advance", "coop", "I", "--commit"]);
    let (delivered, met) = (
        "20260304T150000Z-done-deliver-data-2489081c.yaml",
        "20260304T190000Z-done-schedule-meeting-68c0aae0.yaml",
    );
    assert_eq!(ws.event_files("opera"), [delivered]);
    assert_eq!(ws.event_files("coop"), [met]);
    // Git's own merge: new files on both sides, nothing to conflict on.
    let (merged, said) = merge(&ws, "upgrade");
    assert!(merged, "{said}");
    assert_eq!(ws.git(&["status", "--porcelain"]), "");
    assert_eq!(ws.event_files("opera"), [delivered, set, upgrade]);
    assert_eq!(ws.event_files("coop"), [met, archive]);
    assert_eq!(
        event_text(&ws, "opera", delivered),
        "step: deliver-data\nat: 2026-03-04T16:00:00+01:00\nby: bob\naction: done\ntool: onboard 0.1.0\n"
    );
    assert_eq!(following(&ws, "opera"), new_hash, "the upgrade is taken");
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["status", "opera", "--json"]).stdout).unwrap();
    assert_eq!(json["phases"][0]["steps"][0]["id"], "deliver-data");
    assert_eq!(json["phases"][0]["steps"][0]["status"], "done", "bob's work is kept");
    let log = logged(&ws, "opera");
    let entries: Vec<[&str; 3]> =
        log.iter().map(|e| ["at", "by", "action"].map(|k| e[k].as_str().unwrap())).collect();
    assert_eq!(
        entries,
        [
            ["2026-03-02T09:00:00+01:00", "ana", "start"],
            ["2026-03-04T16:00:00+01:00", "bob", "done"],
            ["2026-03-05T09:00:00+01:00", "ana", "set"],
            ["2026-03-05T09:00:00+01:00", "ana", "upgrade"],
        ]
    );
    assert_eq!(
        ws.ok(&["status", "--all"]).stdout,
        " Project   Playbook      Current phase            Progress   Next due             Overdue   On time
───────── ───────────── ──────────────────────── ────────── ──────────────────── ───────── ─────────
 opera     go-live       planning Data planning   1/4        J-7 2026-03-20 (in   0         1/1
                                                             12 business days)
 coop      cooperative   archived (abandoned)     1/25                            0
"
    );
    let coop = logged(&ws, "coop");
    assert_eq!(
        (coop.len(), &coop[1]["by"], &coop[1]["step"], &coop[2]),
        (
            3,
            &serde_json::json!("bob"),
            &serde_json::json!("schedule-meeting"),
            &record_json("2026-03-05T10:00:00-03:00", "archive", Some("la cooperativa desistió"))
        ),
        "the archive is taken, with bob's work before it"
    );
    doctor_is_happy(&ws, "1 project, 1 archived");
}

#[test]
fn two_upgrades_of_one_project_on_two_branches_merge_and_doctor_says_to_keep_one() {
    let mut ws = team_in_git();
    let old_hash = followed(&ws.read_project("opera"));
    ws.git(&["checkout", "-q", "-b", "smoke"]);
    let smoke_hash = new_version(&ws);
    ws.git(&["commit", "-q", "-am", "go-live: smoke tests"]);
    ws.at("2026-03-05T09:00:00+01:00").ok(&["upgrade", "opera", "--commit"]);
    ws.git(&["checkout", "-q", "main"]);
    let other = GO_LIVE.replace("deadline: { at: J-14 }", "deadline: { at: J-21 }");
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), other).unwrap();
    ws.git(&["commit", "-q", "-am", "go-live: earlier data"]);
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["playbooks", "--json"]).stdout).unwrap();
    let earlier_hash = json.as_array().unwrap().iter().find(|p| p["id"] == "go-live").unwrap()["hash"]
        .as_str()
        .unwrap()
        .to_string();
    ws.at("2026-03-05T10:00:00+01:00").ok(&["upgrade", "opera", "--commit"]);
    let (set, smoke, earlier) = (
        "20260305T080000Z-set-rollback-75416205.yaml",
        "20260305T080000Z-upgrade-c9741f9c.yaml",
        "20260305T090000Z-upgrade-97978924.yaml",
    );
    assert_eq!(ws.event_files("opera"), [earlier]);
    assert_eq!(
        event_text(&ws, "opera", earlier),
        format!(
            "at: 2026-03-05T10:00:00+01:00\nby: ana\naction: upgrade\nfrom: {old_hash}\nto: {earlier_hash}\ntool: onboard 0.1.0\n"
        )
    );
    // Two new files on each side: git merges them without a word (the playbook's two
    // edits are apart).
    let (merged, said) = merge(&ws, "smoke");
    assert!(merged, "{said}");
    assert_eq!(ws.git(&["status", "--porcelain"]), "");
    assert_eq!(ws.event_files("opera"), [set, smoke, earlier]);
    // The later upgrade, by instant, decides the version the project follows; the default
    // the other recorded for a variable only its version has no longer fits, so the project
    // does not read, with the file named, and doctor says what happened and what to do.
    ws.at("2026-03-06T09:00:00+01:00");
    let dir = ws.project_dir("opera");
    assert_eq!(
        ws.fails(&["status", "opera"]),
        format!(
            "error: `{}`: `rollback` is no variable of playbook `go-live`\nhint: fix the file by hand or restore it from git; onboard commands write it for you\n",
            dir.join(set).display()
        )
    );
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "opera: project `opera` was upgraded twice from version {0} on two branches: to {1} by ana at 2026-03-05T09:00:00+01:00, and to {2} by ana at 2026-03-05T10:00:00+01:00; the later counts
  hint: keep one upgrade: `git rm` the other's event files (its `-upgrade-` file and the `-set-` files it recorded, at the same instant), then run `onboard upgrade opera` again if needed
opera: `rollback` is no variable of playbook `go-live`
  hint: fix `{3}/{5}` by hand or restore it from git; onboard commands write it for you
opera: `rollback` set on 2026-03-05T09:00:00+01:00 is no variable or field of playbook `go-live`
  hint: fix `{3}/{5}` by hand or restore it from git; onboard commands write it for you
3 problems found in `{4}` (2 projects).
",
                short(&old_hash),
                short(&smoke_hash),
                short(&earlier_hash),
                dir.display(),
                state_dir(&ws),
                set
            )
        )
    );
    // The fix doctor gives: the smoke upgrade's files go, and the project reads again, on
    // the later version, with one upgrade in its log.
    ws.git(&[
        "rm",
        "-q",
        &format!(".onboard/projects/opera/{set}"),
        &format!(".onboard/projects/opera/{smoke}"),
    ]);
    assert_eq!(following(&ws, "opera"), earlier_hash);
    let upgrades: Vec<serde_json::Value> = logged(&ws, "opera")
        .into_iter()
        .filter(|e| e["action"] == "upgrade")
        .map(|e| e["at"].clone())
        .collect();
    assert_eq!(upgrades, [serde_json::json!("2026-03-05T10:00:00+01:00")]);
    doctor_is_happy(&ws, "2 projects");
}

#[test]
fn doctor_reads_archived_projects_too() {
    let mut ws = team();
    ws.at("2026-03-05T09:00:00-03:00").ok(&["archive", "coop", "--reason", "la cooperativa desistió"]);
    assert_eq!(ws.event_files("coop"), ["20260305T120000Z-archive-80c4056b.yaml"]);
    // A hand-written event file for a step the playbook does not have.
    let kick_off = "20260304T120000Z-done-kick-off-00000000.yaml";
    fs::write(
        ws.project_dir("coop").join(kick_off),
        "step: kick-off\nat: 2026-03-04T09:00:00-03:00\nby: ana\naction: done\ntool: onboard 0.1.0\n",
    )
    .unwrap();
    let dir = ws.project_dir("coop");
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "coop: step `kick-off` is not in playbook `cooperative`
  hint: fix `{}` by hand or restore it from git; onboard commands write it for you
1 problem found in `{}` (1 project, 1 archived).
",
                dir.join(kick_off).display(),
                state_dir(&ws)
            )
        )
    );
    let error = format!(
        "error: `{}`: step `kick-off` is not in playbook `cooperative`\nhint: fix the file by hand or restore it from git; onboard commands write it for you\n",
        dir.join(kick_off).display()
    );
    let run = ws.run(&["status", "--all"]);
    assert_eq!((run.code, run.stderr), (2, error.clone()));
    // The readable projects still show.
    assert_expected("all-with-an-unreadable-archive.txt", &run.stdout);
    assert_eq!(ws.fails(&["status", "coop"]), error);
}

#[test]
fn upgrade_says_which_earliest_starts_move() {
    let mut ws = Workspace::initialized();
    ws.suspended_acme();
    let local = ws.path().join(".onboard/playbooks/hosting-suspension.yaml");
    let v1 = include_str!("../fixtures/hosting-suspension.yaml");
    fs::write(&local, v1.replace("within: 30 days", "within: 45 days")).unwrap();
    let run = ws.at("2026-03-16T09:00:00-05:00").ok(&["upgrade", "acme", "--dry-run"]);
    assert_eq!(
        run.stdout.split_once('\n').unwrap().1,
        "Rules changed:
  `cancel` earliest start: 30 days after suspend.done → 45 days after suspend.done
Earliest starts that move:
  `cancel`: 2026-04-13 → 2026-04-28
"
    );
}

#[test]
fn as_of_before_an_upgrade_reads_the_version_followed_then() {
    let mut ws = team();
    ws.at("2026-03-04T09:00:00+01:00").ok(&["advance", "opera", "deliver-data"]);
    let old_hash = followed(&ws.read_project("opera"));
    let new_hash = new_version(&ws);
    ws.at("2026-03-05T09:00:00+01:00").ok(&["upgrade", "opera"]);
    ws.at("2026-03-06T09:00:00+01:00");
    let ids = |json: &serde_json::Value| -> Vec<String> {
        json["phases"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| {
                p["steps"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string())
            })
            .collect()
    };
    let then: serde_json::Value = serde_json::from_str(
        &ws.ok(&["status", "opera", "--json", "--as-of", "2026-03-04T12:00:00+01:00"]).stdout,
    )
    .unwrap();
    assert_eq!(then["playbook_hash"], old_hash.as_str());
    assert!(ids(&then).contains(&"second-extraction".to_string()));
    assert!(!ids(&then).contains(&"smoke-test".to_string()));
    assert_eq!(then["vars"].get("rollback"), None, "set by the upgrade, a day later");
    let now: serde_json::Value = serde_json::from_str(&ws.ok(&["status", "opera", "--json"]).stdout).unwrap();
    assert_eq!(now["playbook_hash"], new_hash.as_str());
    assert!(ids(&now).contains(&"smoke-test".to_string()));
}

#[test]
fn report_leaves_archived_projects_out_unless_all() {
    let mut ws = team();
    finish_opera(&mut ws);
    ws.ok(&["archive", "opera"]);
    let headings = |text: &str| -> Vec<String> {
        text.lines().filter(|l| l.starts_with("# ") || l.starts_with("## ")).map(str::to_string).collect()
    };
    // One project left: its report alone.
    assert_eq!(headings(&ws.ok(&["report"]).stdout)[0], "# coop");
    let sections = headings(&ws.ok(&["report", "--all"]).stdout);
    assert!(sections.contains(&"## coop".to_string()), "{sections:?}");
    assert!(sections.contains(&"## opera".to_string()), "{sections:?}");
    let run = ws.run(&["report", "coop", "--all"]);
    assert_eq!(run.code, 2, "a named project and --all do not go together");
}
