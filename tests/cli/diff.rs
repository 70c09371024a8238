//! `onboard diff` on real git repositories: what a change means for the plan. The
//! revisions are read through git, so each test commits with a fixed identity and date,
//! and names the commits it compares by their hashes, read back from git.

use std::fs;
use std::path::PathBuf;

use crate::harness::*;

/// A repository with `.onboard/` committed and `opera`, a data import going live on
/// Wednesday 20 January 2027 (calendar CH), started on Monday 2 November 2026.
fn opera() -> Workspace {
    let mut ws = Workspace::new();
    ws.git_init();
    ws.at("2026-11-02T10:00:00+01:00");
    ws.ok(&["init"]);
    ws.ok(&["start", "data-import", "opera", "--set", "J=2027-01-20"]);
    commit(&ws, "opera starts");
    ws
}

fn commit(ws: &Workspace, message: &str) {
    ws.git(&["add", "-A"]);
    ws.git(&["commit", "-q", "-m", message]);
}

/// The first 7 digits of the commit `revision` names, as the output shows them.
fn short(ws: &Workspace, revision: &str) -> String {
    ws.git(&["rev-parse", revision]).trim()[..7].to_string()
}

#[test]
fn set_j_moves_the_four_milestones_before_and_at_the_go_live() {
    let mut ws = opera();
    ws.at("2026-11-09T09:00:00+01:00").ok(&["set", "opera", "J=2027-01-27", "--reason", "go-live moved"]);
    let head = short(&ws, "HEAD");
    assert_eq!(
        ws.ok(&["diff"]).stdout,
        format!(
            "Changes from HEAD ({head}) to the working tree:

opera (data-import)
  variables:
    J: 2027-01-20 → 2027-01-27, set by ana at 2026-11-09 09:00 (go-live moved)
  dates:
    3 `secutix-format-data` due: 2027-01-06 → 2027-01-13 (J 2027-01-20 → 2027-01-27)
    4 `deliver-data` due: 2027-01-06 → 2027-01-13 (J 2027-01-20 → 2027-01-27)
    9 `preprod-import` due: 2027-01-13 → 2027-01-20 (J 2027-01-20 → 2027-01-27)
    11 `customer-validation` due: 2027-01-18 → 2027-01-25 (J 2027-01-20 → 2027-01-27)
    13 `production-import` due: 2027-01-20 → 2027-01-27 (J 2027-01-20 → 2027-01-27)
"
        )
    );
    assert_eq!(
        ws.ok(&["diff", "--markdown"]).stdout,
        format!(
            "## onboard diff: HEAD ({head}) → the working tree

### opera (data-import)

| variable | from | to | why |
| --- | --- | --- | --- |
| `J` | 2027-01-20 | 2027-01-27 | set by ana at 2026-11-09 09:00 (go-live moved) |

| phase or step | date | from | to | because |
| --- | --- | --- | --- | --- |
| 3 `secutix-format-data` | due | 2027-01-06 | 2027-01-13 | J 2027-01-20 → 2027-01-27 |
| 4 `deliver-data` | due | 2027-01-06 | 2027-01-13 | J 2027-01-20 → 2027-01-27 |
| 9 `preprod-import` | due | 2027-01-13 | 2027-01-20 | J 2027-01-20 → 2027-01-27 |
| 11 `customer-validation` | due | 2027-01-18 | 2027-01-25 | J 2027-01-20 → 2027-01-27 |
| 13 `production-import` | due | 2027-01-20 | 2027-01-27 | J 2027-01-20 → 2027-01-27 |
"
        )
    );
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["diff", "--json"]).stdout).unwrap();
    let moved = |id: &str, from: &str, to: &str, title: &str, number: &str| {
        serde_json::json!({
            "node": "step", "id": id, "number": number, "title": title, "date": "due", "from": from, "to": to,
            "causes": [{"kind": "variable", "name": "J", "from": "2027-01-20", "to": "2027-01-27"}],
        })
    };
    assert_eq!(
        json,
        serde_json::json!({
            "from": {"name": "HEAD", "commit": ws.git(&["rev-parse", "HEAD"]).trim()},
            "to": {"name": "working tree", "commit": null},
            "projects": [{
                "project": "opera",
                "playbook": "data-import",
                "change": "changed",
                "archive": null,
                "started": null,
                "playbook_version": null,
                "lifecycle": [],
                "steps": [],
                "variables": [{
                    "name": "J", "from": "2027-01-20", "to": "2027-01-27",
                    "reason": {"kind": "set", "at": "2026-11-09T09:00:00+01:00", "by": "ana", "note": "go-live moved"},
                }],
                "superseded": [],
                "dates": [
                    moved("secutix-format-data", "2027-01-06", "2027-01-13", "The customer fills the files and gives the data in the SecuTix format to the project leader", "3"),
                    moved("deliver-data", "2027-01-06", "2027-01-13", "No later than two weeks before milestone J, the project leader creates a kayako data import with the data", "4"),
                    moved("preprod-import", "2027-01-13", "2027-01-20", "No later than one week before milestone J, CSVN import the data into the pre production environment", "9"),
                    moved("customer-validation", "2027-01-18", "2027-01-25", "J-2: The customer validate the data import in pre-production", "11"),
                    moved("production-import", "2027-01-20", "2027-01-27", "J : CSVN imports the data in production", "13"),
                ],
            }],
            "errors": [],
        })
    );
    // Committed, the change reads the same between the two commits, and the working
    // tree has nothing left to show.
    // (`-A`: the change is a new event file.)
    commit(&ws, "go-live moved");
    let lines = |run: Run| run.stdout.lines().skip(1).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(lines(ws.ok(&["diff", "HEAD~1", "HEAD"])), lines(ws.ok(&["diff", "HEAD~1"])));
    assert_eq!(
        ws.ok(&["diff"]).stdout,
        format!("No project changed from HEAD ({}) to the working tree.\n", short(&ws, "HEAD"))
    );
}

#[test]
fn a_closure_on_24_december_moves_a_due_date_of_a_project_whose_file_did_not_change() {
    let ws = opera();
    // Thursday 7 January 2027: J-14 is Thursday 24 December.
    ws.ok(&["start", "data-import", "vidy", "--set", "J=2027-01-07"]);
    commit(&ws, "vidy starts");
    let vidy = ws.read_project("vidy");
    fs::create_dir_all(ws.path().join(".onboard/calendars")).unwrap();
    fs::write(
        ws.path().join(".onboard/calendars/CH.yaml"),
        "closed:\n  - {date: 2026-12-24, name: Cierre de fin de año}\n",
    )
    .unwrap();
    let run_stdout = ws.ok(&["diff"]).stdout;
    assert_eq!(
        run_stdout,
        format!(
            "Changes from HEAD ({}) to the working tree:

vidy (data-import)
  dates:
    3 `secutix-format-data` due: 2026-12-24 → 2026-12-23 (2026-12-24: business day → closure: Cierre de fin de año)
    4 `deliver-data` due: 2026-12-24 → 2026-12-23 (2026-12-24: business day → closure: Cierre de fin de año)
",
            short(&ws, "HEAD")
        )
    );
    assert_eq!(ws.read_project("vidy"), vidy, "the project file did not change");
    assert_eq!(ws.run(&["diff", "--exit-code"]).code, 1, "--exit-code: 1 when a project changed");
    commit(&ws, "year-end closure");
    let run = ws.run(&["diff", "--exit-code"]);
    assert_eq!((run.code, run.stderr), (0, String::new()));
    // Read from git on both sides, the override is the revision's own.
    let committed = ws.ok(&["diff", "HEAD~1", "HEAD"]).stdout;
    let skip_header = |text: &str| text.split_once('\n').unwrap().1.to_string();
    assert_eq!(skip_header(&committed), skip_header(&run_stdout));
}

#[test]
fn a_branch_against_main_shows_only_its_own_work_and_the_dates_it_gives() {
    let mut ws = Workspace::new();
    ws.git_init();
    ws.ok(&["init"]);
    ws.ok(&["start", "cooperative", "coop"]);
    through_kickoff(&mut ws);
    ws.ok(&["start", "data-import", "opera", "--set", "J=2027-01-20"]);
    commit(&ws, "coop through the kick-off");
    ws.git(&["checkout", "-q", "-b", "certification"]);
    ws.at("2026-03-03T10:00:00-03:00");
    ws.ok(&["advance", "coop", "vpn-follow-up", "--repeat", "--note", "VPN pedida", "--commit"]);
    ws.ok(&["advance", "coop", "3.2.3", "--set", "fecha_reunion_tecnica=2026-03-05", "--commit"]);
    ws.ok(&["reopen", "coop", "3.2.1", "--reason", "faltaba el documento de la VPN", "--commit"]);
    ws.at("2026-03-20T16:00:00-03:00");
    ws.ok(&["advance", "coop", "II", "--commit"]);
    ws.ok(&[
        "advance",
        "coop",
        "3.3",
        "--set",
        "cuenta_clearing=CL-0042",
        "--set",
        "lista_blanca=2026-03-19",
        "--commit",
    ]);
    // Meanwhile on main, the go-live of another project moves: not this branch's work.
    ws.git(&["checkout", "-q", "main"]);
    ws.ok(&["set", "opera", "J=2027-01-27", "--reason", "go-live moved", "--commit"]);
    ws.git(&["checkout", "-q", "certification"]);
    let base = short(&ws, "main~1");
    let head = short(&ws, "HEAD");
    let coop = "coop (cooperative)
  steps:
    3.2.1 `send-documentation`: reopened by ana at 2026-03-03 10:00 (faltaba el documento de la VPN)
    3.2.2 `vpn-follow-up`: round 1 by ana at 2026-03-03 10:00 (VPN pedida)
    3.2.3 `technical-meeting-date`: completed by ana at 2026-03-03 10:00
    3.3 `clearing-whitelist-follow-up`: completed by ana at 2026-03-20 16:00
    II `development-follow-up`: completed by ana at 2026-03-20 16:00
  variables:
    cuenta_clearing: none → CL-0042, recorded by 3.3 `clearing-whitelist-follow-up`, completed by ana at 2026-03-20 16:00
    fecha_reunion_tecnica: none → 2026-03-05, recorded by 3.2.3 `technical-meeting-date`, completed by ana at 2026-03-03 10:00
    lista_blanca: none → 2026-03-19, recorded by 3.3 `clearing-whitelist-follow-up`, completed by ana at 2026-03-20 16:00
  dates:
    phase III `certification` due: none → 2026-04-07 (when `certification` became ready: none → 2026-03-20 16:00)
";
    assert_eq!(
        ws.ok(&["diff", "main...HEAD"]).stdout,
        format!("Changes from the merge base of main and HEAD ({base}) to HEAD ({head}):\n\n{coop}")
    );
    assert_eq!(
        ws.ok(&["diff", "main..."]).stdout,
        ws.ok(&["diff", "main...HEAD"]).stdout,
        "an empty side is HEAD"
    );
    // Between the two tips, main's own change shows too, undone.
    let tips = ws.ok(&["diff", "main", "HEAD"]).stdout;
    // The first line names commit ids, which differ from run to run.
    let (heading, changes) = tips.split_once('\n').unwrap();
    assert!(heading.starts_with("Changes from main ("), "{tips}");
    assert_expected("diff-between-tips.txt", changes);
    assert_eq!(
        ws.ok(&["diff", "main...HEAD", "--markdown"]).stdout,
        format!(
            "## onboard diff: the merge base of main and HEAD ({base}) → HEAD ({head})

### coop (cooperative)

- 3.2.1 `send-documentation`: reopened by ana at 2026-03-03 10:00 (faltaba el documento de la VPN)
- 3.2.2 `vpn-follow-up`: round 1 by ana at 2026-03-03 10:00 (VPN pedida)
- 3.2.3 `technical-meeting-date`: completed by ana at 2026-03-03 10:00
- 3.3 `clearing-whitelist-follow-up`: completed by ana at 2026-03-20 16:00
- II `development-follow-up`: completed by ana at 2026-03-20 16:00

| variable | from | to | why |
| --- | --- | --- | --- |
| `cuenta_clearing` | none | CL-0042 | recorded by 3.3 `clearing-whitelist-follow-up`, completed by ana at 2026-03-20 16:00 |
| `fecha_reunion_tecnica` | none | 2026-03-05 | recorded by 3.2.3 `technical-meeting-date`, completed by ana at 2026-03-03 10:00 |
| `lista_blanca` | none | 2026-03-19 | recorded by 3.3 `clearing-whitelist-follow-up`, completed by ana at 2026-03-20 16:00 |

| phase or step | date | from | to | because |
| --- | --- | --- | --- | --- |
| phase III `certification` | due | none | 2026-04-07 | when `certification` became ready: none → 2026-03-20 16:00 |
"
        )
    );
}

#[test]
fn an_earliest_start_follows_the_completion_it_counts_from() {
    let mut ws = Workspace::new();
    ws.git_init();
    ws.ok(&["init"]);
    ws.suspended_acme();
    commit(&ws, "acme suspended");
    // The team edits its playbook: acme follows the version it started with, which both
    // revisions read from `versions/`.
    let playbook = ws.path().join(".onboard/playbooks/hosting-suspension.yaml");
    let edited = fs::read_to_string(&playbook).unwrap().replace("within: 30 days", "within: 45 days");
    fs::write(&playbook, edited).unwrap();
    commit(&ws, "suspensions last 45 days from now on");
    ws.at("2026-03-16T11:00:00-05:00");
    ws.ok(&["reopen", "suspend", "--reason", "el proveedor no suspendió"]);
    // Recorded at noon as done at 11:30: after the reopen, as `--at` must be.
    ws.at("2026-03-16T12:00:00-05:00").ok(&[
        "advance",
        "suspend",
        "--at",
        "2026-03-16T11:30:00-05:00",
        "--note",
        "suspendido por el proveedor",
    ]);
    assert_eq!(
        ws.ok(&["diff"]).stdout,
        format!(
            "Changes from HEAD ({}) to the working tree:

acme (hosting-suspension)
  steps:
    `suspend`: reopened by ana at 2026-03-16 11:00 (el proveedor no suspendió)
    `suspend`: completed by ana at 2026-03-16 11:30 (suspendido por el proveedor)
  dates:
    `cancel` earliest start: 2026-04-13 → 2026-04-15 (when `suspend` was completed: 2026-03-14 18:00 → 2026-03-16 11:30)
",
            short(&ws, "HEAD")
        )
    );
}

#[test]
fn projects_added_removed_and_archived() {
    let mut ws = opera();
    ws.ok(&["start", "data-import", "vidy", "--set", "J=2027-03-10"]);
    ws.ok(&["start", "data-import", "lausanne", "--set", "J=2027-03-10"]);
    commit(&ws, "vidy and lausanne start");
    // Archive and delete are events: the directories stay, and the diff reads them.
    ws.at("2026-11-19T08:30:00+01:00").ok(&["archive", "opera", "--reason", "moved to another vendor"]);
    ws.ok(&["delete", "lausanne", "--yes"]);
    assert!(ws.project_dir("opera").join("project.yaml").exists());
    assert!(ws.project_dir("lausanne").join("project.yaml").exists());
    ws.at("2026-11-20T08:30:00+01:00").ok(&["start", "data-import", "geneve", "--set", "J=2027-04-14"]);
    let head = short(&ws, "HEAD");
    assert_eq!(
        ws.ok(&["diff"]).stdout,
        format!(
            "Changes from HEAD ({head}) to the working tree:

geneve (data-import): added, started by ana at 2026-11-20 08:30

lausanne (data-import): removed
  project:
    deleted by ana at 2026-11-19 08:30

opera (data-import): archived
  project:
    archived by ana at 2026-11-19 08:30 (moved to another vendor)
"
        )
    );
    commit(&ws, "opera archived");
    ws.ok(&["unarchive", "opera"]);
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["diff", "--json"]).stdout).unwrap();
    assert_eq!(
        json["projects"],
        serde_json::json!([{
            "project": "opera", "playbook": "data-import", "change": "unarchived", "archive": null,
            "started": null, "playbook_version": null,
            "lifecycle": [{"action": "unarchive", "at": "2026-11-20T08:30:00+01:00", "by": "ana", "to": null, "note": null}],
            "steps": [], "variables": [], "superseded": [], "dates": [],
        }])
    );
    // Pruned, a deleted project's files go: nothing changes for the plan.
    commit(&ws, "opera back");
    ws.ok(&["prune", "lausanne"]);
    assert!(!ws.project_dir("lausanne").exists());
    assert_eq!(
        ws.ok(&["diff"]).stdout,
        format!("No project changed from HEAD ({}) to the working tree.\n", short(&ws, "HEAD"))
    );
}

/// Starts project `vidy` and commits its `project.yaml` with a conflict marker, as a bad
/// merge leaves it; returns the file and its good text.
fn broken_vidy(ws: &Workspace) -> (std::path::PathBuf, String) {
    ws.ok(&["start", "data-import", "vidy", "--set", "J=2027-01-07"]);
    let head = ws.project_dir("vidy").join("project.yaml");
    let good = fs::read_to_string(&head).unwrap();
    fs::write(&head, good.replacen("start:", "<<<<<<< HEAD\nstart:", 1)).unwrap();
    commit(ws, "a bad merge");
    (head, good)
}

#[test]
fn a_file_a_revision_cannot_read_is_named_with_the_revision_and_hides_no_other_project() {
    let mut ws = opera();
    let (head, good) = broken_vidy(&ws);
    fs::write(&head, &good).unwrap();
    ws.at("2026-11-09T09:00:00+01:00").ok(&["set", "opera", "J=2027-01-27", "--reason", "go-live moved"]);
    let run = ws.run(&["diff"]);
    assert_eq!(run.code, 2);
    // After the heading, which names a commit id.
    let (heading, changes) = run.stdout.split_once('\n').unwrap();
    assert!(heading.starts_with("Changes from HEAD ("), "{}", run.stdout);
    assert_expected("diff-beside-an-unreadable-file.txt", changes);
    let line = good.lines().position(|l| l == "start:").unwrap() + 1;
    assert_eq!(
        run.stderr,
        format!(
            "error: `HEAD:.onboard/projects/vidy/project.yaml` has an unresolved merge conflict at line {line}\nhint: two branches changed the same file of project `vidy`: keep one side (`git checkout --ours` or `--theirs` on it, then `git add` it) or edit the file by hand, keeping the lines you mean\n"
        )
    );
}

#[test]
fn an_unknown_revision_or_no_repository_is_an_error() {
    let ws = opera();
    assert_eq!(
        ws.fails(&["diff", "nope"]),
        "error: unknown revision `nope`\nhint: name a commit: a branch, a tag, `HEAD~1` or a hash (`git log --oneline` lists them); a repository without commits has none yet\n"
    );
    assert_eq!(
        ws.fails(&["diff", "--", "--output=x"]),
        "error: unknown revision `--output=x`\nhint: name a commit: a branch, a tag, `HEAD~1` or a hash (`git log --oneline` lists them); a repository without commits has none yet\n"
    );
    assert!(!ws.path().join("x").exists());
    assert_eq!(
        ws.fails(&["diff", "main..HEAD", "HEAD"]),
        "error: `main..HEAD HEAD`: a range and a second revision\nhint: give two revisions (`onboard diff main HEAD`) or one range (`onboard diff main...HEAD`)\n"
    );
    let outside = Workspace::initialized();
    assert_eq!(
        outside.fails(&["diff"]),
        format!(
            "error: `onboard diff` reads revisions with git, and `{}` is not inside a git repository\nhint: run it in a clone of the repository where your team commits `.onboard/`\n",
            outside.path().join(".onboard").display()
        )
    );
}

#[test]
fn a_set_that_a_later_value_overrides_is_said_not_to_take_effect_here_or_after_the_merge() {
    let mut ws = opera();
    ws.git(&["checkout", "-q", "-b", "pr"]);
    ws.at("2026-11-03T09:00:00+01:00").ok(&["set", "opera", "J=2027-01-27", "--reason", "first"]);
    ws.at("2026-11-03T10:00:00+01:00").ok(&["set", "opera", "J=2027-01-29", "--reason", "second"]);
    commit(&ws, "two sets");
    ws.git(&["checkout", "-q", "main"]);
    ws.at("2026-11-04T09:00:00+01:00").ok(&["set", "opera", "J=2027-02-03", "--reason", "main later"]);
    commit(&ws, "main moves J later");
    ws.git(&["checkout", "-q", "pr"]);
    let (base, head) = (ws.git(&["merge-base", "main", "pr"]), short(&ws, "HEAD"));
    let text = ws.ok(&["diff", "main...HEAD"]).stdout;
    assert_eq!(
        text.lines().take(7).collect::<Vec<_>>().join("\n"),
        format!(
            "Changes from the merge base of main and HEAD ({}) to HEAD ({head}):

opera (data-import)
  variables:
    J: 2027-01-20 → 2027-01-29, set by ana at 2026-11-03 10:00 (second)
  not taking effect:
    set J=2027-01-27 by ana at 2026-11-03 09:00: a later value counts, 2027-01-29 (set by ana at 2026-11-03 10:00)",
            &base.trim()[..7]
        )
    );
    assert_eq!(
        text.lines().nth(7).unwrap(),
        "    set J=2027-01-29 by ana at 2026-11-03 10:00: once merged into main, its later value counts, 2027-02-03 (set by ana at 2026-11-04 09:00)"
    );
    // Without the range, HEAD against the working tree: nothing to say about main.
    let json: serde_json::Value =
        serde_json::from_str(&ws.ok(&["diff", "main...HEAD", "--json"]).stdout).unwrap();
    let superseded = &json["projects"][0]["superseded"];
    assert_eq!(superseded.as_array().unwrap().len(), 2);
    assert_eq!(superseded[1]["after_merge"], "main");
    assert_eq!(
        superseded[1]["later"],
        serde_json::json!({"value": "2027-02-03", "at": "2026-11-04T09:00:00+01:00", "by": "ana", "step": null})
    );
    assert_eq!(ws.ok(&["diff", "HEAD~1", "HEAD"]).stdout.matches("once merged").count(), 0);
}

#[test]
fn a_closure_the_date_does_not_depend_on_is_not_named_as_its_cause() {
    let ws = opera();
    ws.ok(&["start", "data-import", "vidy", "--set", "J=2027-01-07"]);
    commit(&ws, "vidy starts");
    // J moves a week later, and a closure falls between the old and the new dates without
    // touching either: J alone moved them.
    fs::create_dir_all(ws.path().join(".onboard/calendars")).unwrap();
    fs::write(
        ws.path().join(".onboard/calendars/CH.yaml"),
        "closed:\n  - {date: 2026-12-28, name: Inventario}\n",
    )
    .unwrap();
    ws.ok(&["set", "vidy", "J=2027-01-14", "--reason", "later go-live"]);
    let text = ws.ok(&["diff"]).stdout;
    let dates: Vec<&str> =
        text.lines().skip_while(|l| *l != "  dates:").skip(1).take_while(|l| l.starts_with("    ")).collect();
    assert_eq!(
        dates,
        [
            "    3 `secutix-format-data` due: 2026-12-24 → 2026-12-31 (J 2027-01-07 → 2027-01-14)",
            "    4 `deliver-data` due: 2026-12-24 → 2026-12-31 (J 2027-01-07 → 2027-01-14)",
            "    9 `preprod-import` due: 2026-12-31 → 2027-01-07 (J 2027-01-07 → 2027-01-14)",
            "    11 `customer-validation` due: 2027-01-05 → 2027-01-12 (J 2027-01-07 → 2027-01-14)",
            "    13 `production-import` due: 2027-01-07 → 2027-01-14 (J 2027-01-07 → 2027-01-14)",
        ],
        "{text}"
    );
}

#[test]
fn a_note_of_several_lines_is_quoted_under_its_entry_and_markdown_shows_user_text_as_text() {
    let mut ws = opera();
    let note = "lista recibida\n  steps:\n    13 `production-import`: completed by eve\u{1b}[2J";
    ws.at("2026-11-03T10:00:00+01:00").ok(&[
        "advance",
        "opera",
        "1",
        "--note",
        note,
        "--set",
        "data_to_migrate=<b>clients</b> *all*",
    ]);
    let hostile =
        "[x](https://evil) ![i](http://t/p.png) <img src=x onerror=alert(1)> @everyone @org/team #1 `|`";
    ws.at("2026-11-03T11:00:00+01:00").ok(&["advance", "opera", "2", "--by", "@ana_b", "--note", hostile]);
    let head = short(&ws, "HEAD");
    assert_eq!(
        ws.ok(&["diff"]).stdout,
        format!(
            "Changes from HEAD ({head}) to the working tree:

opera (data-import)
  steps:
    1 `announce-data`: completed by ana at 2026-11-03 10:00:
      │ lista recibida
      │   steps:
      │     13 `production-import`: completed by eve\\u{{1b}}[2J
    2 `inform-customer`: completed by @ana_b at 2026-11-03 11:00 ({hostile})
  variables:
    data_to_migrate: none → <b>clients</b> *all*, recorded by 1 `announce-data`, completed by ana at 2026-11-03 10:00
"
        )
    );
    // Backslashes keep markup as text; a zero-width space after `@` and `#` keeps GitHub
    // from reading a mention or an issue in the rendered text.
    assert_eq!(
        ws.ok(&["diff", "--markdown"]).stdout,
        format!(
            "## onboard diff: HEAD ({head}) → the working tree

### opera (data-import)

- 1 `announce-data`: completed by ana at 2026-11-03 10:00 (lista recibida   steps:     13 \\`production-import\\`: completed by eve\\\\u{{1b}}\\[2J)
- 2 `inform-customer`: completed by @\u{200b}ana\\_b at 2026-11-03 11:00 (\\[x\\](https\\://evil) !\\[i\\](http\\://t/p.png) \\<img src=x onerror=alert(1)\\> @\u{200b}everyone @\u{200b}org/team \\#\u{200b}1 \\`\\|\\`)

| variable | from | to | why |
| --- | --- | --- | --- |
| `data_to_migrate` | none | \\<b\\>clients\\</b\\> \\*all\\* | recorded by 1 `announce-data`, completed by ana at 2026-11-03 10:00 |
"
        )
    );
}

#[test]
fn only_the_projects_whose_files_changed_are_read() {
    let mut ws = opera();
    // vidy's head, broken and committed: no command can read it, at any revision here.
    broken_vidy(&ws);
    ws.at("2026-11-09T09:00:00+01:00").ok(&["set", "opera", "J=2027-01-27", "--reason", "go-live moved"]);
    let opera = "opera (data-import)
  variables:
    J: 2027-01-20 → 2027-01-27, set by ana at 2026-11-09 09:00 (go-live moved)
  dates:
    3 `secutix-format-data` due: 2027-01-06 → 2027-01-13 (J 2027-01-20 → 2027-01-27)
    4 `deliver-data` due: 2027-01-06 → 2027-01-13 (J 2027-01-20 → 2027-01-27)
    9 `preprod-import` due: 2027-01-13 → 2027-01-20 (J 2027-01-20 → 2027-01-27)
    11 `customer-validation` due: 2027-01-18 → 2027-01-25 (J 2027-01-20 → 2027-01-27)
    13 `production-import` due: 2027-01-20 → 2027-01-27 (J 2027-01-20 → 2027-01-27)
";
    // vidy's files are the same at both versions: it is not read, so not reported.
    let run = ws.run(&["diff"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            format!("Changes from HEAD ({}) to the working tree:\n\n{opera}", short(&ws, "HEAD")).as_str(),
            ""
        )
    );
    commit(&ws, "go-live moved");
    let (before, after) = (short(&ws, "HEAD~1"), short(&ws, "HEAD"));
    let between = format!("Changes from HEAD~1 ({before}) to HEAD ({after}):\n\n{opera}");
    for args in [&["diff", "HEAD~1", "HEAD"][..], &["diff", "HEAD~1..HEAD"]] {
        let run = ws.run(args);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (0, between.as_str(), ""),
            "{args:?}"
        );
    }
    // A rename is an event in the project's directory, which changed.
    ws.ok(&["rename", "opera", "opera-geneve"]);
    assert_eq!(
        ws.ok(&["diff"]).stdout,
        format!(
            "Changes from HEAD ({after}) to the working tree:\n\nopera (data-import)\n  project:\n    renamed to opera-geneve by ana at 2026-11-09 09:00\n"
        )
    );
    // A calendar override changes every project on that calendar: every project is read.
    fs::create_dir_all(ws.path().join(".onboard/calendars")).unwrap();
    fs::write(
        ws.path().join(".onboard/calendars/CH.yaml"),
        "closed:\n  - {date: 2026-12-24, name: Cierre}\n",
    )
    .unwrap();
    let run = ws.run(&["diff"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.starts_with(
            "error: `HEAD:.onboard/projects/vidy/project.yaml` has an unresolved merge conflict"
        ),
        "{run:?}"
    );
}

/// `playbooks/data-import.yaml`: the bundled playbook with the customer's delivery at J-21.
fn team_playbook(ws: &Workspace) -> String {
    let versions = ws.path().join(".onboard/versions");
    let bundled = fs::read_dir(&versions).unwrap().next().unwrap().unwrap().path();
    let text = fs::read_to_string(bundled).unwrap().replace("          at: J-14\n", "          at: J-21\n");
    fs::write(ws.path().join(".onboard/playbooks/data-import.yaml"), &text).unwrap();
    text
}

#[test]
fn a_team_playbook_or_a_saved_version_that_changed_reads_the_projects_that_did_not() {
    let ws = opera();
    let team = team_playbook(&ws);
    ws.ok(&["start", "data-import", "vidy", "--set", "J=2027-03-10"]);
    // vidy follows the team's playbook; its saved version was never committed.
    let saved: Vec<PathBuf> = fs::read_dir(ws.path().join(".onboard/versions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| fs::read_to_string(p).unwrap() == team)
        .collect();
    let [saved] = saved.as_slice() else { panic!("one saved version of the team's playbook: {saved:?}") };
    fs::remove_file(saved).unwrap();
    commit(&ws, "vidy starts");
    // The team edits its playbook: vidy, unchanged, no longer has the version it follows.
    fs::write(
        ws.path().join(".onboard/playbooks/data-import.yaml"),
        team.replace("          at: J-21\n", "          at: J-28\n"),
    )
    .unwrap();
    let run = ws.run(&["diff"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (2, format!("No project changed from HEAD ({}) to the working tree.\n", short(&ws, "HEAD")).as_str())
    );
    assert_eq!(
        run.stderr,
        format!(
            "error: the version of playbook `data-import` that project `vidy` follows is missing\ncaused by: cannot read `{}`\ncaused by: No such file or directory (os error 2)\nhint: restore the file from git: projects follow the playbook version they started with\n",
            saved.display()
        )
    );
    // The version committed, and the team back on the bundled playbook: vidy reads its
    // saved version, and an edit of it is found though vidy's files did not change.
    ws.git(&["checkout", "-q", "--", ".onboard/playbooks"]);
    fs::write(saved, &team).unwrap();
    fs::remove_file(ws.path().join(".onboard/playbooks/data-import.yaml")).unwrap();
    commit(&ws, "vidy's version, the bundled playbook");
    assert_eq!(
        ws.ok(&["diff", "HEAD~1"]).stdout,
        format!("No project changed from HEAD~1 ({}) to the working tree.\n", short(&ws, "HEAD~1"))
    );
    fs::write(saved, team.replace("          at: J-21\n", "          at: J-28\n")).unwrap();
    let run = ws.run(&["diff"]);
    assert_eq!(run.code, 2, "{run:?}");
    // The edited file's hash is the one part not spelled out here.
    let hash = ws
        .read_project("vidy")
        .lines()
        .find_map(|l| l.trim().strip_prefix("playbook_hash: "))
        .unwrap()
        .to_string();
    let (start, end) = run.stderr.split_once("its content hash is `sha256:").expect(&run.stderr);
    assert_eq!(
        (start, end.split_once('`').unwrap().1),
        (
            format!("error: `{}` is not the playbook version that project `vidy` follows: ", saved.display()).as_str(),
            format!(", the project's `{hash}`\nhint: a saved version must not be edited: restore it from git (`git checkout -- FILE`); to change a playbook, edit `playbooks/ID.yaml`\n").as_str()
        )
    );
}

/// The git processes `onboard diff ARGS` starts, by subcommand, sorted (the two listings
/// of a working tree run side by side): read back from git's own trace, one `built-in`
/// line per git process.
fn git_processes(ws: &Workspace, args: &[&str]) -> Vec<String> {
    let traces = tempfile::tempdir().unwrap();
    let trace = traces.path().join("trace");
    let run = ws.run_with(&[("GIT_TRACE", trace.to_str().unwrap())], args);
    assert_eq!(run.code, 0, "{run:?}");
    let mut found: Vec<String> = fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once("trace: built-in: git ")?.1.split(' ').next().map(String::from))
        .collect();
    found.sort();
    found
}

#[test]
fn a_diff_starts_one_git_process_per_question_and_one_batch_for_every_object() {
    let mut ws = opera();
    ws.ok(&["start", "data-import", "vidy", "--set", "J=2027-03-10"]);
    commit(&ws, "vidy starts");
    ws.at("2026-11-09T09:00:00+01:00").ok(&["set", "opera", "J=2027-01-27", "--reason", "go-live moved"]);
    ws.ok(&["set", "vidy", "J=2027-03-17", "--reason", "later"]);
    commit(&ws, "go-live moved");
    // Where the repository is, the batch (both revisions, their trees and files), what changed.
    assert_eq!(git_processes(&ws, &["diff", "HEAD~1", "HEAD"]), ["cat-file", "diff", "rev-parse"]);
    // Every project read (a calendar override changed) costs no process more.
    fs::create_dir_all(ws.path().join(".onboard/calendars")).unwrap();
    fs::write(
        ws.path().join(".onboard/calendars/CH.yaml"),
        "closed:\n  - {date: 2026-12-24, name: Cierre}\n",
    )
    .unwrap();
    commit(&ws, "a closure");
    assert_eq!(git_processes(&ws, &["diff", "HEAD~2", "HEAD"]), ["cat-file", "diff", "rev-parse"]);
    // Against the working tree, the files git does not track are listed too; a range
    // `A...B` asks for the merge base.
    assert_eq!(git_processes(&ws, &["diff", "HEAD~1"]), ["cat-file", "diff", "ls-files", "rev-parse"]);
    assert_eq!(
        git_processes(&ws, &["diff", "HEAD~2...HEAD"]),
        ["cat-file", "diff", "merge-base", "rev-parse"]
    );
}

#[test]
fn a_state_directory_and_an_archive_folder_whose_paths_hold_spaces_quotes_and_accents() {
    let mut ws = Workspace::new();
    ws.git_init();
    let dir = ws.path().join("équipe \"a b\"/.onboard");
    let projects = ws.path().join("équipe \"a b\"/.onboard/projects");
    let dir = dir.to_str().unwrap();
    ws.at("2026-11-02T10:00:00+01:00");
    ws.ok(&["--dir", dir, "init"]);
    ws.ok(&["--dir", dir, "start", "data-import", "opera", "--set", "J=2027-01-20"]);
    ws.ok(&["--dir", dir, "start", "data-import", "vidy", "--set", "J=2027-01-20"]);
    commit(&ws, "opera and vidy start");
    // vidy's directory goes, and a file of its name lands in an archive folder.
    let archive = ws.path().join("équipe \"a b\"/.onboard/archivo \"viejo\" ñ");
    fs::create_dir_all(&archive).unwrap();
    fs::copy(projects.join("vidy").join("project.yaml"), archive.join("vidy.yaml")).unwrap();
    fs::remove_dir_all(projects.join("vidy")).unwrap();
    ws.at("2026-11-09T09:00:00+01:00").ok(&[
        "--dir",
        dir,
        "set",
        "opera",
        "J=2027-01-27",
        "--reason",
        "moved",
    ]);
    commit(&ws, "vidy archived by hand, opera moved");
    let (before, after) = (short(&ws, "HEAD~1"), short(&ws, "HEAD"));
    assert_eq!(
        ws.ok(&["--dir", dir, "diff", "HEAD~1", "HEAD"]).stdout,
        format!(
            "Changes from HEAD~1 ({before}) to HEAD ({after}):

opera (data-import)
  variables:
    J: 2027-01-20 → 2027-01-27, set by ana at 2026-11-09 09:00 (moved)
  dates:
    3 `secutix-format-data` due: 2027-01-06 → 2027-01-13 (J 2027-01-20 → 2027-01-27)
    4 `deliver-data` due: 2027-01-06 → 2027-01-13 (J 2027-01-20 → 2027-01-27)
    9 `preprod-import` due: 2027-01-13 → 2027-01-20 (J 2027-01-20 → 2027-01-27)
    11 `customer-validation` due: 2027-01-18 → 2027-01-25 (J 2027-01-20 → 2027-01-27)
    13 `production-import` due: 2027-01-20 → 2027-01-27 (J 2027-01-20 → 2027-01-27)

vidy (data-import): archived to archivo \"viejo\" ñ/vidy.yaml
"
        )
    );
    // An event file of a revision past the bound every file read has, and a link out of
    // the state directory, are refused as on disk, named with their revision.
    let event = projects.join("opera").join("20270101T000000Z-set-J-00000000.yaml");
    std::os::unix::fs::symlink("../../../../outside.yaml", &event).unwrap();
    commit(&ws, "a link");
    let shown = "équipe \"a b\"/.onboard/projects/opera/20270101T000000Z-set-J-00000000.yaml";
    let run = ws.run(&["--dir", dir, "diff", "HEAD~1", "HEAD"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, format!("error: `HEAD:{shown}` is a link that leads out of the state directory\nhint: onboard reads only files inside its state directory: replace the link by the file itself\n").as_str())
    );
    fs::remove_file(&event).unwrap();
    fs::write(&event, "a".repeat(4 * 1024 * 1024 + 1)).unwrap();
    commit(&ws, "a big file");
    let run = ws.run(&["--dir", dir, "diff", "HEAD~2", "HEAD"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, format!("error: `HEAD:{shown}` has 4194305 bytes, more than the 4194304 onboard reads\nhint: onboard writes far smaller files: restore the file from an earlier revision\n").as_str())
    );
}

#[test]
fn a_git_older_than_batch_command_is_asked_object_by_object() {
    let mut ws = opera();
    ws.at("2026-11-09T09:00:00+01:00").ok(&["set", "opera", "J=2027-01-27", "--reason", "go-live moved"]);
    commit(&ws, "go-live moved");
    let current = ws.ok(&["diff", "HEAD~1", "HEAD"]).stdout;
    // A `git` first on PATH that refuses `--batch-command`, as git before 2.36 does.
    let path = std::env::var("PATH").unwrap();
    let real = std::env::split_paths(&path).map(|dir| dir.join("git")).find(|git| git.is_file()).unwrap();
    let old = tempfile::tempdir().unwrap();
    let script = format!(
        "#!/bin/sh\nfor arg; do [ \"$arg\" = --batch-command ] && {{ echo \"error: unknown option\" >&2; exit 129; }}; done\nexec '{}' \"$@\"\n",
        real.display()
    );
    let wrapper = old.path().join("git");
    fs::write(&wrapper, script).unwrap();
    fs::set_permissions(&wrapper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!("{}:{path}", old.path().display());
    let run = ws.run_with(&[("PATH", &path)], &["diff", "HEAD~1", "HEAD"]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, current.as_str(), ""));
}
