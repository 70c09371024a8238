//! A team over git as a forge merges: a bare origin, clones that ran no set-up at all,
//! and concurrent work on the same projects joined four ways: a pull request merged on
//! the server with git's own merge (`git merge-tree --write-tree`, no merge driver, as
//! GitHub's and GitLab's merge buttons do), the same squashed, a plain `git pull`, and a
//! rebase. Every way must merge cleanly and agree on every file. Every write has its own
//! `ONBOARD_NOW`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::harness::*;

/// Runs git in `dir` with the workspace's fixed environment and returns its stdout; fails
/// the test with git's message when git fails.
fn git_in(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", "forge")
        .env("GIT_AUTHOR_EMAIL", "forge@example.com")
        .env("GIT_COMMITTER_NAME", "forge")
        .env("GIT_COMMITTER_EMAIL", "forge@example.com")
        .env("GIT_AUTHOR_DATE", "2026-03-02T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-03-02T12:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} in {}: {}{}",
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// One teammate's clone, with their name and clock. A clone needs no set-up: project
/// directories merge under git's own merge.
pub(super) struct Mate {
    pub(super) ws: Workspace,
}

impl Mate {
    fn join(origin: &Path, user: &str) -> Mate {
        let mut ws = Workspace::new();
        ws.user = user.into();
        ws.git(&["clone", "-q", &origin.display().to_string(), "."]);
        ws.git(&["config", "user.name", user]);
        ws.git(&["config", "user.email", &format!("{user}@example.com")]);
        ws.git(&["config", "commit.gpgsign", "false"]);
        ws.git(&["config", "pull.rebase", "false"]);
        Mate { ws }
    }

    /// Runs onboard at `now` (each write of the test has its own instant) and commits.
    fn does(&mut self, now: &str, args: &[&str]) {
        self.ws.at(now);
        let mut args = args.to_vec();
        args.push("--commit");
        self.ws.ok(&args);
    }

    fn project(&self, name: &str) -> String {
        self.ws.read_project(name)
    }
}

/// Where the team starts: `coop` with 3.1 and 3.2.1 done (so 3.2.2, 3.2.3 and 3.3 are
/// ready), and `opera`, a data import with its go-live J, all pushed to `origin`.
fn base() -> (tempfile::TempDir, Mate) {
    let origin = tempfile::tempdir().unwrap();
    let status = Command::new("git").args(["init", "-q", "--bare", "-b", "main"]).arg(origin.path()).status();
    assert!(status.unwrap().success());
    let mut ana = Mate::join(origin.path(), "ana");
    assert_eq!(
        ana.ws.ok(&["init"]).stderr,
        "Created .onboard/ with projects/ and playbooks/; commit it to share projects with your team.\n",
        "no merge set-up for project directories"
    );
    ana.ws.git(&["add", ".onboard"]);
    ana.ws.git(&["commit", "-q", "-m", "onboard init"]);
    ana.does("2026-03-02T09:00:00-03:00", &["start", "cooperative", "coop"]);
    for step in MEETING {
        ana.ws.ok(&["advance", "coop", step]);
    }
    ana.ws.git(&["add", ".onboard"]);
    ana.ws.git(&["commit", "-q", "-m", "meeting"]);
    ana.does("2026-03-02T10:00:00-03:00", &["advance", "coop", "3.1", "--set", "contactos=Ana"]);
    ana.does("2026-03-02T10:00:00-03:00", &["advance", "coop", "3.2.1"]);
    ana.does("2026-03-02T10:00:00+01:00", &["start", "data-import", "opera", "--set", "J=2027-01-20"]);
    assert_eq!(ana.ws.git(&["status", "--porcelain"]), "", "--commit committed every file it wrote");
    ana.ws.git(&["push", "-q", "origin", "main"]);
    (origin, ana)
}

/// The base again, without redoing its work: a new origin cloned from `origin` as `base`
/// left it, and ana's fresh clone of that.
fn base_again(origin: &Path) -> (tempfile::TempDir, Mate) {
    let copy = tempfile::tempdir().unwrap();
    let status = Command::new("git").args(["clone", "-q", "--bare"]).arg(origin).arg(copy.path()).status();
    assert!(status.unwrap().success());
    let ana = Mate::join(copy.path(), "ana");
    (copy, ana)
}

/// How bob's work meets ana's, which is already on `main`.
#[derive(Clone, Copy, Debug)]
enum Meet {
    /// A pull request merged by the forge: git's own merge on the server, no driver.
    Forge,
    /// A pull request squashed by the forge.
    Squash,
    /// `git pull`, git's own merge in bob's clone.
    Pull,
    /// `git pull --rebase`.
    Rebase,
}

/// Merges branch `bob` into `main` in the bare repository `origin` as a forge does: the
/// merge tree by git's own merge, which must be clean, then a merge commit (or, squashed,
/// a commit with `main` as its only parent) that `main` moves to.
fn forge_merge(origin: &Path, squash: bool) {
    forge_merge_branch(origin, "bob", squash);
}

/// Ana and bob work from the same base (`base_again` of `base`'s origin); ana pushes
/// first, then bob's work meets hers. Returns bob's clone as it ends up.
fn meet(how: Meet, base: &Path, ana_does: &[(&str, &[&str])], bob_does: &[(&str, &[&str])]) -> Mate {
    let (origin, mut ana) = base_again(base);
    let mut bob = Mate::join(origin.path(), "bob");
    for (now, args) in ana_does {
        ana.does(now, args);
    }
    ana.ws.git(&["push", "-q", "origin", "main"]);
    for (now, args) in bob_does {
        bob.does(now, args);
    }
    match how {
        Meet::Forge | Meet::Squash => {
            bob.ws.git(&["push", "-q", "origin", "HEAD:refs/heads/bob"]);
            forge_merge(origin.path(), matches!(how, Meet::Squash));
            bob.ws.git(&["fetch", "-q", "origin"]);
            bob.ws.git(&["reset", "-q", "--hard", "origin/main"]);
        }
        Meet::Pull => {
            bob.ws.git(&["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"]);
        }
        Meet::Rebase => {
            bob.ws.git(&["pull", "-q", "--rebase", "origin", "main"]);
        }
    }
    assert_eq!(bob.ws.git(&["status", "--porcelain"]), "", "the merge is complete");
    bob
}

/// Runs a scenario the four ways and checks that they agree on every file of every
/// project. The base is built once for all.
pub(super) fn every_way(ana_does: &[(&str, &[&str])], bob_does: &[(&str, &[&str])]) -> Mate {
    let (base, _) = base();
    let forge = meet(Meet::Forge, base.path(), ana_does, bob_does);
    for how in [Meet::Squash, Meet::Pull, Meet::Rebase] {
        let other = meet(how, base.path(), ana_does, bob_does);
        for name in ["coop", "opera"] {
            assert_eq!(other.project(name), forge.project(name), "{how:?} and the forge differ on {name}");
        }
    }
    forge
}

pub(super) fn step_json(mate: &Mate, project: &str, id: &str) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&mate.ws.ok(&["status", project, "--json"]).stdout).unwrap();
    let steps =
        json["phases"].as_array().unwrap().iter().flat_map(|p| p["steps"].as_array().unwrap().clone());
    steps.into_iter().find(|s| s["id"] == id).unwrap()
}

/// The log lines after the base's, which end at 10:00 on 2 March.
pub(super) fn log_since_base(mate: &Mate, project: &str) -> String {
    let log = mate.ws.ok(&["log", project]).stdout;
    log.lines()
        .filter(|l| l.contains(" 2026-03-03 ") || l.contains(" 2026-11-"))
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

#[test]
fn different_steps_merge_as_a_forge_merges() {
    let bob = every_way(
        &[("2026-03-03T09:00:00-03:00", &["advance", "coop", "3.2.2", "--note", "VPN activa"])],
        &[(
            "2026-03-03T10:00:00-03:00",
            &["advance", "coop", "3.3", "--set", "cuenta_clearing=CL-7", "--set", "lista_blanca=2026-03-03"],
        )],
    );
    assert_eq!(step_json(&bob, "coop", "vpn-follow-up")["done_by"], "ana");
    assert_eq!(step_json(&bob, "coop", "clearing-whitelist-follow-up")["done_by"], "bob");
}

#[test]
fn the_same_step_done_on_both_sides_is_done_once_with_both_completions() {
    let bob = every_way(
        &[(
            "2026-03-03T09:00:00-03:00",
            &["advance", "coop", "3.2.3", "--set", "fecha_reunion_tecnica=2026-03-05"],
        )],
        &[(
            "2026-03-03T11:00:00-03:00",
            &["advance", "coop", "3.2.3", "--set", "fecha_reunion_tecnica=2026-03-06"],
        )],
    );
    let step = step_json(&bob, "coop", "technical-meeting-date");
    assert_eq!(
        (&step["status"], &step["done_by"], &step["done_at"]),
        (&"done".into(), &"ana".into(), &"2026-03-03T09:00:00-03:00".into())
    );
    assert_eq!(step["values"]["fecha_reunion_tecnica"], "2026-03-06", "the later completion's value counts");
    let doctor = bob.ws.run(&["doctor"]);
    assert_eq!(
        (doctor.code, doctor.stdout),
        (
            1,
            format!(
                "coop: step 3.2.3 `technical-meeting-date` was completed twice with different `fecha_reunion_tecnica`: ana recorded `2026-03-05` at 2026-03-03T09:00:00-03:00, bob recorded `2026-03-06` at 2026-03-03T11:00:00-03:00; the later, bob's `2026-03-06`, counts
  hint: to settle it, reopen the step and complete it again with the right value: `onboard reopen coop technical-meeting-date --reason TEXT`, then `onboard advance coop technical-meeting-date --set fecha_reunion_tecnica=VALUE`
1 problem found in `{}` (2 projects).
",
                bob.ws.path().join(".onboard").display()
            )
        )
    );
    assert_eq!(
        log_since_base(&bob, "coop"),
        " 2026-03-03 09:00   ana   done     3.2.3   fecha_reunion_tecnica=2026-03-05\n 2026-03-03 11:00   bob   done     3.2.3   fecha_reunion_tecnica=2026-03-06\n"
    );
}

#[test]
fn two_rounds_of_a_repeatable_step_are_both_kept_in_time_order() {
    let bob = every_way(
        &[(
            "2026-03-03T11:00:00-03:00",
            &["advance", "coop", "vpn-follow-up", "--repeat", "--note", "VPN pedida"],
        )],
        &[(
            "2026-03-03T09:00:00-03:00",
            &["advance", "coop", "vpn-follow-up", "--repeat", "--note", "proveedor llamado"],
        )],
    );
    let step = step_json(&bob, "coop", "vpn-follow-up");
    assert_eq!(step["status"], "ready");
    let rounds: Vec<(&str, &str)> = step["iterations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["by"].as_str().unwrap(), r["note"].as_str().unwrap()))
        .collect();
    assert_eq!(rounds, [("bob", "proveedor llamado"), ("ana", "VPN pedida")]);
}

#[test]
fn two_variables_set_on_two_branches_both_count() {
    let bob = every_way(
        &[("2026-11-02T09:00:00+01:00", &["set", "opera", "J=2027-01-27", "--reason", "go-live moved"])],
        &[("2026-11-02T10:00:00+01:00", &["set", "opera", "secutix_format=false", "--reason", "own format"])],
    );
    let json: serde_json::Value =
        serde_json::from_str(&bob.ws.ok(&["status", "opera", "--json"]).stdout).unwrap();
    assert_eq!((&json["vars"]["J"], &json["vars"]["secutix_format"]), (&"2027-01-27".into(), &false.into()));
}

#[test]
fn the_same_variable_set_twice_keeps_the_later_and_both_in_the_log() {
    let bob = every_way(
        &[("2026-11-02T11:00:00+01:00", &["set", "opera", "J=2027-02-03", "--reason", "customer asked"])],
        &[("2026-11-02T09:00:00+01:00", &["set", "opera", "J=2027-01-27", "--reason", "go-live moved"])],
    );
    let json: serde_json::Value =
        serde_json::from_str(&bob.ws.ok(&["status", "opera", "--json"]).stdout).unwrap();
    assert_eq!(json["vars"]["J"], "2027-02-03");
    assert_eq!(
        log_since_base(&bob, "opera"),
        " 2026-11-02 09:00   bob   set             J=2027-01-27; go-live moved (was 2027-01-20)\n 2026-11-02 11:00   ana   set             J=2027-02-03; customer asked (was 2027-01-27)\n"
    );
}

#[test]
fn a_reopen_against_a_dependent_completion_is_marked() {
    let bob = every_way(
        &[(
            "2026-03-03T09:00:00-03:00",
            &["reopen", "coop", "3.2.1", "--reason", "faltaba el documento VPN"],
        )],
        &[("2026-03-03T10:00:00-03:00", &["advance", "coop", "3.2.2", "--note", "VPN activa"])],
    );
    let step = step_json(&bob, "coop", "vpn-follow-up");
    assert_eq!(
        (&step["status"], &step["open_prerequisites"]),
        (&"done".into(), &serde_json::json!(["3.2.1 `send-documentation`"]))
    );
    assert_eq!(step_json(&bob, "coop", "send-documentation")["status"], "ready");
    let doctor = bob.ws.run(&["doctor"]);
    assert_eq!(
        (doctor.code, doctor.stdout),
        (
            1,
            format!(
                "coop: step 3.2.2 `vpn-follow-up` is done while its prerequisite 3.2.1 `send-documentation` is open
  hint: complete what it waits for (`onboard status coop` marks it), or, if it was done too early, reopen it: `onboard reopen coop vpn-follow-up --reason TEXT`
1 problem found in `{}` (2 projects).
",
                bob.ws.path().join(".onboard").display()
            )
        )
    );
}

#[test]
fn three_branches_merge_one_after_another() {
    let (origin, mut ana) = base();
    let mut bob = Mate::join(origin.path(), "bob");
    let mut carla = Mate::join(origin.path(), "carla");
    ana.does(
        "2026-03-03T09:00:00-03:00",
        &["advance", "coop", "vpn-follow-up", "--repeat", "--note", "VPN pedida"],
    );
    bob.does(
        "2026-03-03T10:00:00-03:00",
        &["advance", "coop", "vpn-follow-up", "--repeat", "--note", "proveedor llamado"],
    );
    carla.does("2026-03-03T11:00:00-03:00", &["advance", "coop", "vpn-follow-up", "--note", "VPN activa"]);
    carla.does("2026-03-03T11:30:00-03:00", &["set", "opera", "J=2027-01-27", "--reason", "go-live moved"]);
    ana.ws.git(&["push", "-q", "origin", "main"]);
    for mate in [&mut bob, &mut carla] {
        mate.ws.git(&["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"]);
        mate.ws.git(&["push", "-q", "origin", "main"]);
    }
    ana.ws.git(&["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"]);
    assert_eq!(ana.project("coop"), carla.project("coop"));
    let step = step_json(&ana, "coop", "vpn-follow-up");
    assert_eq!((&step["status"], &step["done_by"]), (&"done".into(), &"carla".into()));
    assert_eq!(step["iterations"].as_array().unwrap().len(), 2);
    let json: serde_json::Value =
        serde_json::from_str(&ana.ws.ok(&["status", "opera", "--json"]).stdout).unwrap();
    assert_eq!(json["vars"]["J"], "2027-01-27");
}

#[test]
fn init_sets_up_the_driver_only_while_old_single_files_remain() {
    let ws = Workspace::new();
    ws.git_init();
    assert_eq!(
        ws.ok(&["init"]).stderr,
        "Created .onboard/ with projects/ and playbooks/; commit it to share projects with your team.\n"
    );
    assert!(!ws.path().join(".onboard/.gitattributes").exists(), "project directories need no driver");
    // An old single file (format 2) still merges through the driver until `onboard migrate`.
    fs::write(ws.project_file("coop-central"), include_str!("../fixtures/format-2-coop-central.yaml"))
        .unwrap();
    let program = assert_cmd::cargo::cargo_bin("onboard");
    assert_eq!(
        ws.ok(&["init"]).stderr,
        format!(
            "Checked .onboard/ with projects/ and playbooks/; commit it to share projects with your team.\nInstalled the merge driver in this clone: git now merges project files event by event (.onboard/.gitattributes routes them to `{}`).\n",
            program.display()
        )
    );
    assert_eq!(
        fs::read_to_string(ws.path().join(".onboard/.gitattributes")).unwrap(),
        "# onboard: merge project files event by event\nprojects/*.yaml merge=onboard\narchive/*.yaml merge=onboard\n"
    );
    assert_eq!(
        ws.git(&["config", "--get", "merge.onboard.driver"]),
        format!("'{}' merge-file %O %A %B %P\n", program.display())
    );
}

#[test]
fn the_driver_leaves_git_markers_for_what_events_cannot_decide() {
    let ws = Workspace::initialized();
    let text = include_str!("../fixtures/format-2-coop-central.yaml").to_string();
    let dir = ws.path();
    let other = text.replace("playbook: cooperative", "playbook: implementation");
    for (name, body) in [("base", &text), ("ours", &text), ("theirs", &other)] {
        fs::write(dir.join(name), body).unwrap();
    }
    let run = ws.run(&["merge-file", "base", "ours", "theirs", ".onboard/projects/coop-central.yaml"]);
    assert_eq!(run.code, 0, "a change on one side only is taken: {run:?}");
    assert_eq!(fs::read_to_string(dir.join("ours")).unwrap(), other);
    let mine = text.replace("playbook: cooperative", "playbook: data-import");
    fs::write(dir.join("ours"), &mine).unwrap();
    let run = ws.run(&["merge-file", "base", "ours", "theirs", ".onboard/projects/coop-central.yaml"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: cannot merge `.onboard/projects/coop-central.yaml` event by event\ncaused by: the two sides have different playbooks: `data-import` and `implementation`\nhint: events cannot decide this: keep one side with `git checkout --ours` or `--theirs` on the file, then redo the other side's work with onboard commands\nnote: `.onboard/projects/coop-central.yaml` was merged line by line by git instead\n"
        )
    );
    // Git's line merge, with the base between the sides.
    assert_expected("merged-different-playbooks.yaml", &fs::read_to_string(dir.join("ours")).unwrap());
}

#[test]
fn a_skip_against_a_completion_merges_and_the_completion_counts() {
    let origin = tempfile::tempdir().unwrap();
    let status = Command::new("git").args(["init", "-q", "--bare", "-b", "main"]).arg(origin.path()).status();
    assert!(status.unwrap().success());
    let mut ana = Mate::join(origin.path(), "ana");
    ana.ws.ok(&["init"]);
    ana.does("2026-03-02T09:00:00-05:00", &["start", "account-suspension", "acme"]);
    ana.does("2026-03-02T09:30:00-05:00", &["advance", "acme", "suspension"]);
    ana.ws.git(&["push", "-q", "origin", "main"]);
    let mut bob = Mate::join(origin.path(), "bob");
    ana.does("2026-03-03T09:00:00-05:00", &["skip", "acme", "backup-payment", "--reason", "no la pidió"]);
    ana.ws.git(&["push", "-q", "origin", "main"]);
    bob.does(
        "2026-03-03T10:00:00-05:00",
        &["advance", "acme", "backup-payment", "--set", "cobro_copia=95000"],
    );
    bob.ws.git(&["push", "-q", "origin", "HEAD:refs/heads/bob"]);
    forge_merge(origin.path(), false);
    bob.ws.git(&["fetch", "-q", "origin"]);
    bob.ws.git(&["reset", "-q", "--hard", "origin/main"]);
    assert_eq!(step_json(&bob, "acme", "backup-payment")["status"], "done");
    let doctor = bob.ws.run(&["doctor"]);
    assert_eq!(
        (doctor.code, doctor.stdout),
        (
            1,
            format!(
                "acme: step `backup-payment` was skipped by ana at 2026-03-03T09:00:00-05:00 and completed by bob at 2026-03-03T10:00:00-05:00; the completion counts
  hint: if the skip was meant, reopen and skip it again: `onboard reopen acme backup-payment --reason TEXT`, then `onboard skip acme backup-payment --reason TEXT`
1 problem found in `{}` (1 project).
",
                bob.ws.path().join(".onboard").display()
            )
        )
    );
}

#[test]
fn an_archive_against_work_merges_with_both_events() {
    // Ana abandons opera; bob records a `set` meanwhile: both events are kept, and an
    // archive with a reason stands.
    let bob = every_way(
        &[("2026-11-02T09:00:00+01:00", &["archive", "opera", "--reason", "customer withdrew"])],
        &[("2026-11-02T10:00:00+01:00", &["set", "opera", "J=2027-01-27", "--reason", "go-live moved"])],
    );
    let json: serde_json::Value = serde_json::from_str(&bob.ws.ok(&["status", "--json"]).stdout).unwrap();
    let projects: Vec<&serde_json::Value> =
        json["projects"].as_array().unwrap().iter().map(|p| &p["project"]).collect();
    assert_eq!(projects, ["coop"], "the portfolio is coop alone: opera is archived");
    let log = bob.ws.ok(&["log", "opera", "--json"]).stdout;
    assert!(log.contains("\"action\": \"archive\"") && log.contains("\"J\": \"2027-01-27\""), "{log}");
}

#[test]
fn renames_and_archives_merge_with_work_under_the_old_name() {
    let bob = every_way(
        &[
            ("2026-03-03T09:00:00-03:00", &["rename", "coop", "coop-central"]),
            ("2026-11-02T09:00:00+01:00", &["archive", "opera", "--reason", "on hold"]),
        ],
        &[
            ("2026-03-03T10:00:00-03:00", &["advance", "coop", "3.2.2", "--note", "VPN activa"]),
            ("2026-03-03T11:00:00-03:00", &["rename", "coop", "coop-asuncion"]),
        ],
    );
    // Both renames merge; the later one names the project, the directory keeps its id.
    assert_eq!(step_json(&bob, "coop-asuncion", "vpn-follow-up")["done_by"], "bob");
    assert_eq!(step_json(&bob, "coop", "vpn-follow-up")["done_by"], "bob", "the id still names it");
    assert!(bob.ws.project_dir("coop").is_dir());
    assert!(!bob.ws.project_dir("coop-asuncion").exists());
    assert_expected("team-renamed-portfolio.txt", &bob.ws.ok(&["status"]).stdout);
}

#[test]
fn a_delete_against_work_keeps_the_work_for_doctor_to_report() {
    let bob = every_way(
        &[("2026-11-02T09:00:00+01:00", &["delete", "opera", "--yes"])],
        &[("2026-11-02T10:00:00+01:00", &["set", "opera", "J=2027-01-27", "--reason", "go-live moved"])],
    );
    assert!(bob.ws.fails(&["status", "opera"]).starts_with("error: no project `opera` in `"));
    let doctor = bob.ws.run(&["doctor"]);
    assert_eq!(
        (doctor.code, doctor.stdout),
        (
            1,
            format!(
                "opera: project `opera` is deleted, but 1 event was recorded after the deletion (merged from another branch)
  hint: `onboard log opera` cannot show a deleted project: restore it with `git revert` of the deletion's commit, or remove it with its late work: `onboard prune opera`
1 problem found in `{}` (1 project).
",
                bob.ws.path().join(".onboard").display()
            )
        )
    );
    assert_eq!(bob.ws.ok(&["prune", "opera"]).stderr, "Pruned project `opera`.\n");
    assert!(!bob.ws.project_dir("opera").exists());
}

#[test]
fn the_same_name_started_on_both_sides_conflicts_on_its_project_yaml() {
    let (base, _) = base();
    let (origin, mut ana) = base_again(base.path());
    let mut bob = Mate::join(origin.path(), "bob");
    ana.does("2026-11-02T09:00:00+01:00", &["start", "data-import", "theatre", "--set", "J=2027-02-01"]);
    ana.ws.git(&["push", "-q", "origin", "main"]);
    bob.does("2026-11-02T10:00:00+01:00", &["start", "data-import", "theatre", "--set", "J=2027-03-01"]);
    bob.ws.git(&["push", "-q", "origin", "HEAD:refs/heads/bob"]);
    let merged = Command::new("git")
        .args(["merge-tree", "--write-tree", "--name-only", "main", "bob"])
        .current_dir(origin.path())
        .output()
        .unwrap();
    assert_eq!(merged.status.code(), Some(1), "two different starts of one name cannot both stand");
    assert!(String::from_utf8_lossy(&merged.stdout).contains(".onboard/projects/theatre/project.yaml"));
}

#[test]
fn commits_say_what_changed_in_their_subject() {
    let (origin, mut ana) = base();
    let _ = origin;
    ana.does(
        "2026-03-03T09:00:00-03:00",
        &["advance", "coop", "vpn-follow-up", "--repeat", "--note", "VPN pedida"],
    );
    ana.does("2026-03-03T10:00:00-03:00", &["reopen", "coop", "3.2.1", "--reason", "faltaba el documento"]);
    ana.does("2026-11-02T09:00:00+01:00", &["set", "opera", "J=2027-01-27", "--reason", "go-live moved"]);
    assert_eq!(
        ana.ws.git(&["log", "--format=%s", "-n", "4"]),
        "onboard: opera: set J
onboard: coop: reopened 3.2.1
onboard: coop: round 1 of 3.2.2
onboard: opera: started from data-import
"
    );
    // What changed in the subject; the value, the title, the reason and who in the body.
    assert_eq!(
        ana.ws.git(&["log", "--format=%b", "-n", "2"]),
        "Value: 2027-01-20 → 2027-01-27

Reason: go-live moved

Recorded by ana.

Step: 3.2.1 `send-documentation`: Debe enviar por correo la documentación de la integración y el documento para la VPN.

Reason: faltaba el documento

Recorded by ana.

"
    );
    for subject in ana.ws.git(&["log", "--format=%s"]).lines() {
        assert!(subject.chars().count() <= 72, "{subject}");
    }
}

/// Runs `git merge BRANCH` in the workspace and says whether it merged cleanly.
fn local_merge(ws: &Workspace, branch: &str) -> bool {
    let merge = Command::new("git")
        .args(["merge", "-q", branch])
        .current_dir(ws.path())
        .env("HOME", ws.path())
        .output();
    merge.unwrap().status.success()
}

/// A small pseudo-random generator, so that the simulation is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Merges branch `branch` into `main` in the bare `origin` as a forge does (see
/// `forge_merge`), failing the test when the forge would refuse the pull request.
fn forge_merge_branch(origin: &Path, branch: &str, squash: bool) {
    let merged = Command::new("git")
        .args(["merge-tree", "--write-tree", "main", branch])
        .current_dir(origin)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", origin)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&merged.stdout).into_owned();
    assert!(merged.status.success(), "the forge refuses pull request {branch}:\n{out}");
    let tree = out.lines().next().unwrap().to_string();
    let mut args = vec!["commit-tree", tree.as_str(), "-p", "main", "-m", "Merge pull request"];
    if !squash {
        args.extend(["-p", branch]);
    }
    let commit = git_in(origin, &args);
    git_in(origin, &["update-ref", "refs/heads/main", commit.trim()]);
}

/// Several people, each in a clone that ran no set-up, record work on two projects from
/// bases of every age, and their pull requests are merged as a forge merges them (merge
/// or squash) or rebased and pushed. No merge may be refused, no event lost or doubled,
/// and every clone ends identical. `ONBOARD_SIMULATION_ROUNDS` makes it longer (CI keeps
/// it short), `ONBOARD_SIMULATION_SEED` picks another history.
#[test]
fn a_simulated_team_merges_every_pull_request_and_loses_no_event() {
    let rounds: u64 =
        std::env::var("ONBOARD_SIMULATION_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(24);
    let seed: u64 = std::env::var("ONBOARD_SIMULATION_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
    let mut random = Lcg(seed);
    let (origin, _) = base();
    let mut team: Vec<Mate> = ["ana", "bob", "carla"].iter().map(|u| Mate::join(origin.path(), u)).collect();
    // The note of each event that a command recorded, by project.
    let mut recorded: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for round in 0..rounds {
        let mate = &mut team[random.below(3) as usize];
        if random.below(2) == 0 {
            mate.ws.git(&["fetch", "-q", "origin"]);
            mate.ws.git(&["reset", "-q", "--hard", "origin/main"]);
        }
        let marker = format!("sim-{round}");
        let minute = 10 + round;
        mate.ws.at(&format!(
            "2026-11-{:02}T{:02}:{:02}:00+01:00",
            3 + minute / 600,
            9 + (minute / 60) % 10,
            minute % 60
        ));
        let (project, args): (&str, Vec<String>) = match random.below(5) {
            0 => (
                "opera",
                vec![
                    "set".into(),
                    "opera".into(),
                    format!("J=2027-02-{:02}", 1 + round % 28),
                    "--reason".into(),
                    marker.clone(),
                ],
            ),
            1 => (
                "coop",
                vec![
                    "advance".into(),
                    "coop".into(),
                    "vpn-follow-up".into(),
                    "--repeat".into(),
                    "--note".into(),
                    marker.clone(),
                ],
            ),
            2 => ("opera", vec!["archive".into(), "opera".into(), "--reason".into(), marker.clone()]),
            3 => ("opera", vec!["unarchive".into(), "opera".into(), "--reason".into(), marker.clone()]),
            // A rename records no note: its new name is the marker. The id stays `coop`.
            _ => ("coop", vec!["rename".into(), "coop".into(), format!("coop-{marker}")]),
        };
        let marker = match args[0].as_str() {
            "rename" => args[2].clone(),
            _ => marker,
        };
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.push("--commit");
        let run = mate.ws.run(&args);
        if run.code != 0 {
            // Refused as this clone sees the project (archiving an archived one): nothing recorded.
            assert_eq!(run.code, 2, "{args:?}: {run:?}");
            continue;
        }
        recorded.entry(project).or_default().push(marker);
        match random.below(3) {
            0 | 1 => {
                let branch = format!("pr-{round}");
                mate.ws.git(&["push", "-q", "origin", &format!("HEAD:refs/heads/{branch}")]);
                forge_merge_branch(origin.path(), &branch, random.below(2) == 0);
            }
            _ => {
                mate.ws.git(&["pull", "-q", "--rebase", "origin", "main"]);
                mate.ws.git(&["push", "-q", "origin", "HEAD:main"]);
            }
        }
    }
    let mut trees = BTreeSet::new();
    for mate in &mut team {
        mate.ws.git(&["fetch", "-q", "origin"]);
        mate.ws.git(&["reset", "-q", "--hard", "origin/main"]);
        trees.insert(mate.ws.git(&["rev-parse", "HEAD:.onboard"]));
        for (project, notes) in &recorded {
            let log: serde_json::Value =
                serde_json::from_str(&mate.ws.ok(&["log", project, "--json"]).stdout).unwrap();
            // Each event's note, or for a rename the name it gave.
            let marks: Vec<&str> = log["events"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|e| e["note"].as_str().or(e["values"]["project"].as_str()))
                .collect();
            for note in notes {
                assert_eq!(marks.iter().filter(|m| *m == note).count(), 1, "{note} in {project}: {marks:?}");
            }
        }
    }
    assert_eq!(trees.len(), 1, "every clone holds the same state directory");
    assert!(
        recorded.values().map(Vec::len).sum::<usize>() >= rounds as usize / 2,
        "most commands recorded something"
    );
}

#[test]
fn doctor_names_a_file_a_tracked_project_needs_and_git_lacks_and_commit_adds_it() {
    let mut ws = Workspace::new();
    ws.git_init();
    ws.ok(&["init"]);
    ws.at("2026-03-02T09:00:00-03:00").ok(&["start", "cooperative", "coop"]);
    // Only the project's directory is committed: its playbook version is forgotten.
    ws.git(&["add", ".onboard/projects/coop"]);
    ws.git(&["commit", "-q", "-m", "coop"]);
    let version = ws.path().join(".onboard/versions/cooperative-6c732a411a0b.yaml");
    let run = ws.run(&["doctor"]);
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "coop: `{0}` is needed to read project `coop`, which git tracks, but git does not track it
  hint: `git add '{0}'` and commit it: a teammate's clone cannot read the project without it
1 problem found in `{1}` (1 project).
",
                version.display(),
                ws.path().join(".onboard").display()
            )
        )
    );
    // The next `--commit` takes it with the change.
    ws.at("2026-03-02T10:00:00-03:00").ok(&["advance", "coop", "I", "--commit"]);
    assert_eq!(
        ws.git(&["show", "--name-only", "--format=%s", "HEAD"]),
        "onboard: coop: done I\n\n.onboard/projects/coop/20260302T130000Z-done-schedule-meeting-9de83a05.yaml\n.onboard/versions/cooperative-6c732a411a0b.yaml\n"
    );
    assert_eq!(ws.run(&["doctor"]).code, 0);
}

#[test]
fn two_edits_of_one_event_are_resolved_field_by_field_or_refused_with_the_fields() {
    let mut ws = Workspace::new();
    ws.git_init();
    ws.ok(&["init"]);
    ws.at("2026-03-02T09:00:00-03:00").ok(&["start", "cooperative", "coop", "--commit"]);
    ws.at("2026-03-02T10:00:00-03:00").ok(&["advance", "coop", "I", "--note", "reunion pedidda", "--commit"]);
    let name = ws.event_files("coop").into_iter().next().unwrap();
    let path = ws.project_dir("coop").join(&name);
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "step: schedule-meeting\nat: 2026-03-02T10:00:00-03:00\nby: ana\naction: done\nnote: reunion pedidda\ntool: onboard 0.1.0\n"
    );
    // Two hand fixes of adjacent lines: who did it, and when.
    ws.git(&["checkout", "-q", "-b", "who"]);
    fs::write(&path, text.replace("by: ana", "by: carla")).unwrap();
    ws.git(&["commit", "-q", "-am", "carla did it"]);
    ws.git(&["checkout", "-q", "main"]);
    fs::write(&path, text.replace("T10:00:00", "T09:30:00")).unwrap();
    ws.git(&["commit", "-q", "-am", "at half past nine"]);
    let merged = local_merge(&ws, "who");
    assert!(!merged, "git's line merge conflicts on adjacent lines");
    let stderr = ws.fails(&["status", "coop"]);
    assert!(stderr.ends_with("hint: run `onboard resolve coop`: it merges two edits of one event field by field; or keep one side (`git checkout --ours` or `--theirs` on the file, then `git add` it)\n"), "{stderr}");
    assert_eq!(
        ws.ok(&["resolve"]).stderr,
        format!(
            "Resolved `coop`: merged two edits of `{name}` field by field.\nStaged it; finish the merge with `git commit` (or `git rebase --continue`).\n"
        )
    );
    ws.git(&["commit", "-q", "--no-edit"]);
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "step: schedule-meeting\nat: 2026-03-02T09:30:00-03:00\nby: carla\naction: done\nnote: reunion pedidda\ntool: onboard 0.1.0\n"
    );

    // Two fixes of the same note: which is right is for a person to say.
    let text = fs::read_to_string(&path).unwrap();
    ws.git(&["checkout", "-q", "-b", "note"]);
    fs::write(&path, text.replace("reunion pedidda", "reunión pedida")).unwrap();
    ws.git(&["commit", "-q", "-am", "accent"]);
    ws.git(&["checkout", "-q", "main"]);
    fs::write(&path, text.replace("reunion pedidda", "reunion pedida")).unwrap();
    ws.git(&["commit", "-q", "-am", "typo"]);
    let merged = local_merge(&ws, "note");
    assert!(!merged);
    let marked = fs::read_to_string(&path).unwrap();
    assert_eq!(
        ws.fails(&["resolve", "coop"]),
        format!(
            "error: cannot resolve `{}`; nothing was changed\ncaused by: both sides changed the same fields of one event: `note`: ours `reunion pedida`, theirs `reunión pedida`\nhint: two branches changed the same file of project `coop`: keep one side (`git checkout --ours` or `--theirs` on it, then `git add` it) or edit the file by hand, keeping the lines you mean\n",
            path.display()
        )
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), marked, "a refused file is left as it was");
}

#[test]
fn an_old_file_written_on_one_branch_while_another_converted_it_is_folded_in() {
    let mut ws = Workspace::new();
    ws.git_init();
    ws.ok(&["init"]);
    let old = &fs::read_to_string(crate::cache::old_file(&ws, "coop-central")).unwrap();
    ws.git(&["add", ".onboard"]);
    ws.git(&["commit", "-q", "-m", "an old project"]);
    // This branch's write converts the project to a directory, in one commit.
    ws.git(&["checkout", "-q", "-b", "converted"]);
    ws.at("2026-03-23T10:00:00-03:00").ok(&[
        "set",
        "coop-central",
        "dimo_personalizada=false",
        "--reason",
        "no DIMO",
        "--commit",
    ]);
    assert!(!ws.project_file("coop-central").exists());
    // Main, meanwhile, has a teammate's older onboard write to the old file.
    ws.git(&["checkout", "-q", "main"]);
    let written = old.replace(
        "  dimo_personalizada: []\n",
        "  dimo_personalizada:\n  - at: 2026-03-23T09:00:00-03:00\n    by: bob\n    action: set\n    value: true\n    note: older onboard\n    tool: onboard 0.0.9\n",
    );
    fs::write(ws.project_file("coop-central"), written).unwrap();
    ws.git(&["commit", "-q", "-am", "bob, with an older onboard"]);
    let merged = local_merge(&ws, "converted");
    assert!(!merged, "git sees a modify/delete conflict");
    // Nothing is written into a project the merge left unmerged.
    assert_eq!(
        ws.fails(&["set", "coop-central", "dimo_personalizada=true", "--reason", "too soon"]),
        "error: project `coop-central` has files that the merge under way left unmerged; nothing was written\nhint: run `onboard resolve coop-central` first, then finish the merge (`git commit` or `git rebase --continue`)\n"
    );
    let doctor = ws.run(&["doctor"]).stdout;
    assert!(
        doctor.starts_with(&format!(
            "coop-central: `{}` is an old project file beside the project directory",
            ws.project_file("coop-central").display()
        )),
        "{doctor}"
    );
    assert_eq!(
        ws.ok(&["resolve"]).stderr,
        format!(
            "Resolved `coop-central`: folded 1 new event from `{}`, which another branch wrote while this one converted the project, into `{}`; staged.\n",
            ws.project_file("coop-central").display(),
            ws.project_dir("coop-central").display()
        )
    );
    ws.git(&["commit", "-q", "--no-edit"]);
    assert!(!ws.project_file("coop-central").exists());
    let log: serde_json::Value =
        serde_json::from_str(&ws.ok(&["log", "coop-central", "--json"]).stdout).unwrap();
    let sets: Vec<(&str, &str)> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "set")
        .map(|e| (e["by"].as_str().unwrap(), e["note"].as_str().unwrap()))
        .collect();
    assert_eq!(sets, [("bob", "older onboard"), ("ana", "no DIMO")]);
    assert_eq!(ws.run(&["doctor"]).code, 0);
    assert_eq!(ws.git(&["status", "--porcelain"]), "", "the merge is complete");
}

#[test]
fn an_unarchive_against_an_archive_of_another_project_loses_neither() {
    let (base, _) = base();
    let (origin, mut ana) = base_again(base.path());
    // opera is the only archived project when the two branches start.
    ana.does("2026-11-02T09:00:00+01:00", &["archive", "opera", "--reason", "on hold"]);
    ana.ws.git(&["push", "-q", "origin", "main"]);
    let mut bob = Mate::join(origin.path(), "bob");
    ana.does("2026-03-04T09:00:00-03:00", &["archive", "coop", "--reason", "la cooperativa desistió"]);
    ana.ws.git(&["push", "-q", "origin", "main"]);
    bob.does("2026-11-03T09:00:00+01:00", &["unarchive", "opera", "--reason", "back on"]);
    bob.ws.git(&["push", "-q", "origin", "HEAD:refs/heads/bob"]);
    forge_merge(origin.path(), false);
    bob.ws.git(&["fetch", "-q", "origin"]);
    bob.ws.git(&["reset", "-q", "--hard", "origin/main"]);
    let json: serde_json::Value =
        serde_json::from_str(&bob.ws.ok(&["status", "--all", "--json"]).stdout).unwrap();
    let standing: Vec<(&str, bool)> = json["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["project"].as_str().unwrap(), p["archived"].as_bool().unwrap()))
        .collect();
    assert_eq!(standing, [("opera", false), ("coop", true)], "the portfolio, then the archive: {json}");
    assert_eq!(bob.ws.event_files("coop").len(), 1 + 11 + 2, "every event of coop is still there");
}

#[test]
fn an_archive_after_many_completions_merges_with_work_on_the_other_branch() {
    let bob = every_way(
        &[
            ("2026-03-03T09:00:00-03:00", &["advance", "coop", "3.2.2", "--note", "VPN activa"]),
            (
                "2026-03-03T09:10:00-03:00",
                &["advance", "coop", "3.2.3", "--set", "fecha_reunion_tecnica=2026-03-05"],
            ),
            (
                "2026-03-03T09:20:00-03:00",
                &[
                    "advance",
                    "coop",
                    "3.3",
                    "--set",
                    "cuenta_clearing=CL-7",
                    "--set",
                    "lista_blanca=2026-03-03",
                ],
            ),
            (
                "2026-03-03T09:30:00-03:00",
                &["set", "coop", "dimo_personalizada=true", "--reason", "DIMO propia"],
            ),
            (
                "2026-03-03T09:40:00-03:00",
                &["set", "coop", "dimo_personalizada=false", "--reason", "sin DIMO"],
            ),
            ("2026-03-03T10:00:00-03:00", &["archive", "coop", "--reason", "la cooperativa desistió"]),
        ],
        &[(
            "2026-03-03T11:00:00-03:00",
            &["advance", "coop", "vpn-follow-up", "--repeat", "--note", "proveedor llamado"],
        )],
    );
    let log: serde_json::Value = serde_json::from_str(&bob.ws.ok(&["log", "coop", "--json"]).stdout).unwrap();
    let notes: Vec<&str> =
        log["events"].as_array().unwrap().iter().filter_map(|e| e["note"].as_str()).collect();
    assert_eq!(
        notes,
        ["VPN activa", "DIMO propia", "sin DIMO", "la cooperativa desistió", "proveedor llamado"]
    );
    let status = bob.ws.ok(&["status", "coop"]).stdout;
    assert_expected("team-abandoned-status.txt", &status);
}

#[test]
fn rounds_against_a_completion_of_the_same_step_merge_and_both_count() {
    let bob = every_way(
        &[(
            "2026-03-03T09:00:00-03:00",
            &["advance", "coop", "vpn-follow-up", "--repeat", "--note", "VPN pedida"],
        )],
        &[("2026-03-03T10:00:00-03:00", &["advance", "coop", "vpn-follow-up", "--note", "VPN activa"])],
    );
    let step = step_json(&bob, "coop", "vpn-follow-up");
    assert_eq!((&step["status"], &step["done_by"]), (&"done".into(), &"bob".into()));
    assert_eq!(step["iterations"].as_array().unwrap().len(), 1, "ana's round is kept");
}

#[test]
fn an_upgrade_against_work_merges_as_a_forge_merges() {
    let (base, _) = base();
    let (origin, mut ana) = base_again(base.path());
    let mut bob = Mate::join(origin.path(), "bob");
    // Ana's branch: the team's own version of data-import, and opera moved to it.
    let bundled = include_str!("../../playbooks/data-import.yaml");
    let local = ana.ws.path().join(".onboard/playbooks/data-import.yaml");
    fs::write(&local, bundled.replacen("title:", "title: Data import (team) ·", 1)).unwrap();
    ana.ws.git(&["add", ".onboard/playbooks"]);
    ana.ws.git(&["commit", "-q", "-m", "the team's data import"]);
    ana.does("2026-11-02T09:00:00+01:00", &["upgrade", "opera"]);
    ana.ws.git(&["push", "-q", "origin", "main"]);
    // Bob's branch: work on opera under the version it started with.
    bob.does("2026-11-02T10:00:00+01:00", &["set", "opera", "J=2027-01-27", "--reason", "go-live moved"]);
    bob.ws.git(&["push", "-q", "origin", "HEAD:refs/heads/bob"]);
    forge_merge(origin.path(), false);
    bob.ws.git(&["fetch", "-q", "origin"]);
    bob.ws.git(&["reset", "-q", "--hard", "origin/main"]);
    let json: serde_json::Value =
        serde_json::from_str(&bob.ws.ok(&["status", "opera", "--json"]).stdout).unwrap();
    assert_eq!(json["vars"]["J"], "2027-01-27", "bob's work counts");
    assert_eq!(json["playbook_changed"], false, "opera follows the team's version");
    let log: serde_json::Value =
        serde_json::from_str(&bob.ws.ok(&["log", "opera", "--json"]).stdout).unwrap();
    let actions: Vec<&str> =
        log["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["start", "upgrade", "set"]);
    assert_eq!(bob.ws.run(&["doctor"]).code, 0);
}
