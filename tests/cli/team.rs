//! A team over git: three clones of one repository, concurrent work on the same
//! projects, merged by the driver that `onboard init` installs, by plain git repaired
//! with `onboard resolve`, and by a rebase. Every write has its own `ONBOARD_NOW`.

use super::*;

/// One teammate's clone, with their name and clock.
struct Mate {
    ws: Workspace,
}

impl Mate {
    /// Clones `origin` and, when `driver`, runs `onboard init` to get the merge driver.
    fn join(origin: &Path, user: &str, driver: bool) -> Mate {
        let mut ws = Workspace::new();
        ws.user = user.into();
        ws.git(&["clone", "-q", &origin.display().to_string(), "."]);
        ws.git(&["config", "user.name", user]);
        ws.git(&["config", "user.email", &format!("{user}@example.com")]);
        ws.git(&["config", "commit.gpgsign", "false"]);
        ws.git(&["config", "pull.rebase", "false"]);
        if driver {
            let run = ws.ok(&["init"]);
            assert!(run.stderr.contains("Installed the merge driver in this clone"), "{}", run.stderr);
        }
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
    let mut ana = Mate::join(origin.path(), "ana", true);
    ana.ws.git(&["add", ".onboard"]);
    ana.ws.git(&["commit", "-q", "-m", "onboard init"]);
    ana.does("2026-03-02T09:00:00-03:00", &["start", "cooperative", "coop"]);
    for step in MEETING {
        ana.ws.ok(&["advance", "coop", step]);
    }
    ana.does("2026-03-02T10:00:00-03:00", &["advance", "coop", "3.1", "--set", "contactos=Ana"]);
    ana.does("2026-03-02T10:00:00-03:00", &["advance", "coop", "3.2.1"]);
    ana.does("2026-03-02T10:00:00+01:00", &["start", "data-import", "opera", "--set", "J=2027-01-20"]);
    ana.ws.git(&["push", "-q", "origin", "main"]);
    (origin, ana)
}

/// The base again, without redoing its work: a new origin cloned from `origin` as `base`
/// left it, and ana's fresh clone of that (with the driver, as in `base`).
fn base_again(origin: &Path) -> (tempfile::TempDir, Mate) {
    let copy = tempfile::tempdir().unwrap();
    let status = Command::new("git").args(["clone", "-q", "--bare"]).arg(origin).arg(copy.path()).status();
    assert!(status.unwrap().success());
    let ana = Mate::join(copy.path(), "ana", true);
    (copy, ana)
}

/// How bob's work meets ana's, which is already pushed.
#[derive(Clone, Copy, Debug)]
enum Meet {
    /// `git pull` with the merge driver.
    Driver,
    /// `git pull` without the driver, then `onboard resolve` and a commit.
    Resolve,
    /// `git pull --rebase` with the driver.
    Rebase,
}

/// Ana and bob work from the same base (`base_again` of `base`'s origin); ana pushes
/// first, bob pulls. Returns bob's clone, with both project files as he ends up with them.
fn meet(how: Meet, base: &Path, ana_does: &[(&str, &[&str])], bob_does: &[(&str, &[&str])]) -> Mate {
    let (origin, mut ana) = base_again(base);
    let mut bob = Mate::join(origin.path(), "bob", !matches!(how, Meet::Resolve));
    for (now, args) in ana_does {
        ana.does(now, args);
    }
    ana.ws.git(&["push", "-q", "origin", "main"]);
    for (now, args) in bob_does {
        bob.does(now, args);
    }
    match how {
        Meet::Driver => {
            bob.ws.git(&["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"]);
        }
        Meet::Rebase => {
            bob.ws.git(&["pull", "-q", "--rebase", "origin", "main"]);
        }
        Meet::Resolve => {
            let output = Command::new("git")
                .args(["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"])
                .current_dir(bob.ws.path())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("HOME", bob.ws.path())
                .output()
                .unwrap();
            if !output.status.success() {
                let run = bob.ws.ok(&["resolve"]);
                assert!(
                    run.stderr.contains("merged both sides' events (read from git's index)"),
                    "{}",
                    run.stderr
                );
                bob.ws.git(&["commit", "-q", "--no-edit"]);
            }
        }
    }
    assert_eq!(bob.ws.git(&["status", "--porcelain"]), "", "the merge is complete");
    bob
}

/// Runs a scenario the three ways and checks that they agree on every project file.
/// The base is built once for the three.
fn every_way(ana_does: &[(&str, &[&str])], bob_does: &[(&str, &[&str])]) -> Mate {
    let (base, _) = base();
    let driver = meet(Meet::Driver, base.path(), ana_does, bob_does);
    for how in [Meet::Resolve, Meet::Rebase] {
        let other = meet(how, base.path(), ana_does, bob_does);
        for name in ["coop", "opera"] {
            assert_eq!(other.project(name), driver.project(name), "{how:?} and the driver differ on {name}");
        }
    }
    driver
}

fn step_json(mate: &Mate, project: &str, id: &str) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&mate.ws.ok(&["status", project, "--json"]).stdout).unwrap();
    let steps =
        json["phases"].as_array().unwrap().iter().flat_map(|p| p["steps"].as_array().unwrap().clone());
    steps.into_iter().find(|s| s["id"] == id).unwrap()
}

/// The log lines after the base's, which end at 10:00 on 2 March.
fn log_since_base(mate: &Mate, project: &str) -> String {
    let log = mate.ws.ok(&["log", project]).stdout;
    log.lines()
        .filter(|l| l.contains(" 2026-03-03 ") || l.contains(" 2026-11-"))
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

#[test]
fn different_steps_merge_by_default_and_through_the_driver() {
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
    let mut bob = Mate::join(origin.path(), "bob", true);
    let mut carla = Mate::join(origin.path(), "carla", true);
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
fn init_is_idempotent_and_says_what_it_installed() {
    let ws = Workspace::new();
    ws.git_init();
    let run = ws.ok(&["init"]);
    let program = assert_cmd::cargo::cargo_bin("onboard");
    assert_eq!(
        run.stderr,
        format!(
            "Created .onboard/ with projects/ and playbooks/; commit it to share projects with your team.\nInstalled the merge driver in this clone: git now merges project files event by event (.onboard/.gitattributes routes them to `{}`).\n",
            program.display()
        )
    );
    assert_eq!(
        ws.ok(&["init"]).stderr,
        "Checked .onboard/ with projects/ and playbooks/; commit it to share projects with your team.\nThe merge driver is installed in this clone.\n"
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
fn resolve_repairs_markers_left_without_git_and_refuses_what_it_cannot_parse() {
    let mut ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop"]);
    let base = ws.read_project("coop");
    ws.at("2026-03-02T10:00:00-03:00").ok(&["advance", "coop", "I", "--note", "ana's"]);
    let ours = ws.read_project("coop");
    fs::write(ws.project_file("coop"), &base).unwrap();
    ws.user = "bob".into();
    ws.at("2026-03-02T11:00:00-03:00").ok(&["advance", "coop", "I", "--note", "bob's"]);
    let theirs = ws.read_project("coop");
    // A forge's web merge of the two, left as git writes a conflict.
    let (o, t): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    let same = o.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let tail = o.iter().rev().zip(t.iter().rev()).take_while(|(a, b)| a == b).count();
    let marked = format!(
        "{}\n<<<<<<< ours\n{}\n=======\n{}\n>>>>>>> theirs\n{}\n",
        o[..same].join("\n"),
        o[same..o.len() - tail].join("\n"),
        t[same..t.len() - tail].join("\n"),
        o[o.len() - tail..].join("\n")
    );
    fs::write(ws.project_file("coop"), &marked).unwrap();
    let stderr = ws.fails(&["status"]);
    assert!(stderr.ends_with("hint: run `onboard resolve coop`: it merges both sides' events as the merge driver does (`onboard init` installs the driver for next time)\n"), "{stderr}");

    let broken = marked.replacen("by: bob", "by: [bob", 1);
    fs::write(ws.project_file("coop"), &broken).unwrap();
    let stderr = ws.fails(&["resolve"]);
    assert!(
        stderr.starts_with(&format!(
            "error: cannot resolve `{}`; nothing was changed\ncaused by: their side does not parse\n",
            ws.project_file("coop").display()
        )),
        "{stderr}"
    );
    assert_eq!(ws.read_project("coop"), broken, "a refused file is left as it was");

    fs::write(ws.project_file("coop"), &marked).unwrap();
    assert_eq!(
        ws.ok(&["resolve"]).stderr,
        "Resolved `coop`: merged both sides' events (read from the conflict markers).\n"
    );
    assert_eq!(
        ws.ok(&["log", "coop"]).stdout,
        " When               Who   Action   Step   Details
────────────────── ───── ──────── ────── ──────────────────────────
 2026-03-02 09:00   ana   start           dimo_personalizada=false
 2026-03-02 10:00   ana   done     I      ana's
 2026-03-02 11:00   bob   done     I      bob's
"
    );
    assert_eq!(ws.ok(&["resolve"]).stderr, "Nothing to resolve: no project file has a conflict.\n");

    // The same conflict in an archived project's file: found, and resolved in place.
    let archived = ws.path().join(".onboard/archive/coop.yaml");
    fs::create_dir_all(archived.parent().unwrap()).unwrap();
    fs::remove_file(ws.project_file("coop")).unwrap();
    fs::write(&archived, &marked).unwrap();
    let doctor = ws.run(&["doctor"]).stdout;
    assert!(doctor.contains("  hint: run `onboard resolve coop`: it merges"), "{doctor}");
    assert_eq!(
        ws.ok(&["resolve"]).stderr,
        "Resolved archived project `coop`: merged both sides' events (read from the conflict markers).\n"
    );
    assert!(!ws.project_file("coop").exists(), "it stays in the archive");
    assert_eq!(ws.ok(&["log", "coop"]).stdout.lines().count(), 5);
    fs::write(&archived, &marked).unwrap();
    assert_eq!(
        ws.ok(&["resolve", "coop"]).stderr,
        "Resolved archived project `coop`: merged both sides' events (read from the conflict markers).\n"
    );
    assert_eq!(
        ws.ok(&["doctor"]).stdout,
        format!(
            "No problems found in `{}` (0 projects, 1 archived).\n",
            ws.path().join(".onboard").display()
        )
    );
}

#[test]
fn the_driver_leaves_git_markers_for_what_events_cannot_decide() {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop"]);
    let text = ws.read_project("coop");
    let dir = ws.path();
    let other = text.replace("playbook: cooperative", "playbook: implementation");
    for (name, body) in [("base", &text), ("ours", &text), ("theirs", &other)] {
        fs::write(dir.join(name), body).unwrap();
    }
    let run = ws.run(&["merge-file", "base", "ours", "theirs", ".onboard/projects/coop.yaml"]);
    assert_eq!(run.code, 0, "a change on one side only is taken: {run:?}");
    assert_eq!(fs::read_to_string(dir.join("ours")).unwrap(), other);
    let mine = text.replace("playbook: cooperative", "playbook: data-import");
    fs::write(dir.join("ours"), &mine).unwrap();
    let run = ws.run(&["merge-file", "base", "ours", "theirs", ".onboard/projects/coop.yaml"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: cannot merge `.onboard/projects/coop.yaml` event by event\ncaused by: the two sides have different playbooks: `data-import` and `implementation`\nhint: events cannot decide this: keep one side with `git checkout --ours` or `--theirs` on the file, then redo the other side's work with onboard commands\nnote: `.onboard/projects/coop.yaml` was merged line by line by git instead\n"
        )
    );
    assert!(fs::read_to_string(dir.join("ours")).unwrap().contains("<<<<<<< ours\nplaybook: data-import\n||||||| base\nplaybook: cooperative\n=======\nplaybook: implementation\n>>>>>>> theirs\n"));
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
        "onboard: opera: set J 2027-01-20 → 2027-01-27 (go-live moved)
onboard: coop: 3.2.1 send-documentation reopened: Debe enviar por correo la documentación de la integración y… (faltaba el documento; by ana)
onboard: coop: 3.2.2 vpn-follow-up round 1: INFRAESTRUCTURA debe hacer seguimiento de la VPN (by ana)
onboard: opera: started from data-import (by ana)
"
    );
}
