//! The output handle's levels: `--quiet` leaves stderr to errors, warnings and questions,
//! `--verbose` adds the lines README's Output section lists, and neither changes
//! stdout or an exit code.

use super::*;

/// The workspace's state directory as the binary finds it from its working directory.
fn state_dir(ws: &Workspace) -> String {
    ws.path().canonicalize().unwrap().join(".onboard").display().to_string()
}

/// `coop-central` started on the cooperative playbook, in a fresh state directory.
fn started() -> Workspace {
    let ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    ws
}

#[test]
fn quiet_silences_the_notices_of_a_change_but_not_the_change() {
    let ws = Workspace::new();
    let run = ws.run(&["--quiet", "init"]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""));
    let run = ws.run(&["start", "cooperative", "coop-central", "-q"]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""));
    let run = ws.run(&["-q", "advance", "I"]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""));
    // Recorded all the same: the log shows both changes.
    assert_eq!(
        ws.ok(&["log", "coop-central"]).stdout,
        " When               Who   Action   Step   Details\n\
         ────────────────── ───── ──────── ────── ──────────────────────────\n \
         2026-03-02 09:00   ana   start           dimo_personalizada=false\n \
         2026-03-02 09:00   ana   done     I\n"
    );
    // The same change without the flag says what it did.
    let run = ws.ok(&["advance", "1.1"]);
    assert!(run.stderr.starts_with("Completed 1.1 "), "{}", run.stderr);
}

#[test]
fn quiet_leaves_data_on_stdout_as_it_is() {
    let mut ws = started();
    for args in [&["status"][..], &["status", "coop-central"], &["check"], &["next"], &["log"]] {
        let plain = ws.run(args);
        let quiet = ws.run(&[&["--quiet"][..], args].concat());
        assert_eq!((quiet.code, &quiet.stdout), (plain.code, &plain.stdout), "onboard --quiet {args:?}");
        assert_eq!(quiet.stderr, "", "onboard --quiet {args:?}");
    }
    // `--as-of` says on stderr that what follows is the past; `--quiet` does not.
    let run = ws.at("2026-03-05T09:00:00-03:00").run(&["status", "--as-of", "2026-03-04", "--quiet"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(run.stdout.contains("coop-central"), "{}", run.stdout);
}

#[test]
fn quiet_keeps_errors_with_their_hints_and_exit_codes() {
    let ws = started();
    let plain = ws.run(&["advance", "coop-central", "no-such-step"]);
    let quiet = ws.run(&["-q", "advance", "coop-central", "no-such-step"]);
    assert_eq!(plain.code, 2);
    assert_eq!((quiet.code, &quiet.stdout, &quiet.stderr), (plain.code, &plain.stdout, &plain.stderr));
    assert!(quiet.stderr.starts_with("error: ") && quiet.stderr.contains("\nhint: "), "{}", quiet.stderr);
    // A portfolio command reports an unreadable project and goes on, quiet or not.
    fs::write(ws.project_dir("coop-central").join("project.yaml"), "format: 4\nnot: [closed\n").unwrap();
    let plain = ws.run(&["check"]);
    let quiet = ws.run(&["check", "--quiet"]);
    assert_eq!(plain.code, 2);
    assert_eq!((quiet.code, &quiet.stdout, &quiet.stderr), (plain.code, &plain.stdout, &plain.stderr));
    assert!(quiet.stderr.starts_with("error: "), "{}", quiet.stderr);
}

#[test]
fn quiet_keeps_warnings() {
    let mut ws = started();
    ws.at("2026-03-02T10:00:00-03:00").ok(&["advance", "I"]);
    let run = ws.at("2026-03-02T09:30:00-03:00").run(&["--quiet", "advance", "1.1"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "warning: the clock reads 2026-03-02T09:30:00-03:00, earlier than the latest event of `coop-central`, recorded at 2026-03-02T10:00:00-03:00; a clock is wrong (a teammate's running ahead, or `ONBOARD_NOW` set back)\n"
    );
}

#[test]
fn quiet_and_verbose_together_are_refused() {
    let ws = started();
    let run = ws.run(&["-q", "-v", "status"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: the argument '--quiet' cannot be used with '--verbose'"),
        "{}",
        run.stderr
    );
}

#[test]
fn verbose_says_where_the_run_looked_and_nothing_else_changes() {
    let mut ws = started();
    let dir = state_dir(&ws);
    let plain = ws.run(&["check", "--no-cache"]);
    let verbose = ws.run(&["check", "--no-cache", "--verbose"]);
    assert_eq!((verbose.code, &verbose.stdout), (plain.code, &plain.stdout));
    assert_eq!(
        verbose.stderr,
        format!(
            "State directory: `{dir}` (the nearest .onboard/ from the current directory up).\n\
             Clock: fixed at 2026-03-02T09:00:00-03:00 by `ONBOARD_NOW`.\n\
             Read 1 project from `{dir}`, without the cache (turned off).\n{}",
            plain.stderr
        )
    );
    // A change: the same notices as without the flag, after where it looked.
    let run = ws.at("2026-03-03").run(&["-v", "--dir", ".onboard", "advance", "I"]);
    assert_eq!(run.code, 0);
    let (details, notices) = run.stderr.split_at(run.stderr.find("Completed").unwrap());
    assert_eq!(
        details,
        format!(
            "State directory: `{dir}` (from --dir).\nClock: midnight of 2026-03-03 in each calendar's zone, by `ONBOARD_NOW`.\n"
        )
    );
    assert_eq!(notices, "Completed I `schedule-meeting` in `coop-central`.\nReady now: 1.1 `team-systems`\n");
}

#[test]
fn verbose_names_the_cache_and_how_much_of_the_portfolio_it_held() {
    let ws = Workspace::initialized();
    super::cache::old_file(&ws, "coop-central");
    super::cache::age_projects(&ws);
    let dir = state_dir(&ws);
    // Cache on, whatever `ONBOARD_TEST_NO_CACHE` says.
    let verbose = |ws: &Workspace| ws.run_with(&[("ONBOARD_NO_CACHE", "")], &["check", "-v"]);
    let cold = verbose(&ws);
    let warm = verbose(&ws);
    assert_eq!((warm.code, &warm.stdout), (cold.code, &cold.stdout));
    let read =
        |run: &Run| run.stderr.lines().find(|l| l.starts_with("Read ")).unwrap_or_default().to_string();
    let cache_file = ws.cache.path().join("onboard/portfolios");
    let (cold, warm) = (read(&cold), read(&warm));
    let prefix = format!("Read 1 project from `{dir}`; the cache `{}/", cache_file.display());
    assert!(cold.starts_with(&prefix) && cold.ends_with(".json` held 0 of them."), "{cold}");
    assert!(warm.starts_with(&prefix) && warm.ends_with(".json` held 1 of them."), "{warm}");
    // `--as-of` reads files as they were, not through the cache.
    let run = ws.run_with(&[("ONBOARD_NO_CACHE", "")], &["check", "-v", "--as-of", "2026-03-02"]);
    assert_eq!(read(&run), format!("Read 1 project from `{dir}`, without the cache (`--as-of`)."));
}

#[test]
fn verbose_lists_every_state_directory_of_a_portfolio_over_several() {
    let ws = Workspace::new();
    for team in ["north", "south"] {
        ws.ok(&["--dir", &format!("{team}/.onboard"), "init"]);
        ws.ok(&["--dir", &format!("{team}/.onboard"), "start", "cooperative", &format!("coop-{team}")]);
    }
    let run = ws.run(&["-v", "--no-cache", "--dir", "north/.onboard", "--dir", "south/.onboard", "status"]);
    assert_eq!(run.code, 0);
    let base = ws.path().canonicalize().unwrap();
    let dir = |team: &str| base.join(team).join(".onboard").display().to_string();
    let details: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        details,
        [
            format!("State directory: `{}` (`north`).", dir("north")),
            format!("State directory: `{}` (`south`).", dir("south")),
            "Clock: fixed at 2026-03-02T09:00:00-03:00 by `ONBOARD_NOW`.".to_string(),
            format!("Read 1 project from `{}`, without the cache (turned off).", dir("north")),
            format!("Read 1 project from `{}`, without the cache (turned off).", dir("south")),
        ]
    );
}

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap();
            found.push((path, text));
        }
    }
    found
}

#[test]
fn warnings_and_errors_are_not_said_as_notices() {
    // `say!("warning: …")` would vanish under `--quiet`; `warn!` and `error!` add the word
    // themselves and are always shown.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for (path, text) in sources(&src) {
        let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for word in ["warning: ", "error: "] {
            if squeezed.contains(&format!("say!( \"{word}")) || squeezed.contains(&format!("say!(\"{word}")) {
                found.push(format!("{}: say!(\"{word}…\")", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "use warn!(…) or error!(…), which --quiet keeps:\n{}", found.join("\n"));
}
