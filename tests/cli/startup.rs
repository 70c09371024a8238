//! Start-up: `onboard --version` answers before the command tree is built, and says
//! exactly what clap's `--version` says; anything more on the line, or a shell asking
//! for completions, still goes through clap.

use std::process::Stdio;

use crate::harness::*;

#[test]
fn version_alone_prints_what_clap_prints_and_exits_0() {
    let ws = Workspace::new();
    let clap_says = onboard::cli::command().render_version();
    assert_eq!(clap_says, format!("onboard {}\n", env!("CARGO_PKG_VERSION")));
    for flag in ["--version", "-V"] {
        let run = ws.run(&[flag]);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (0, clap_says.as_str(), ""),
            "{flag}"
        );
    }
}

#[test]
fn version_with_a_closed_stdout_ends_quietly_with_0() {
    let ws = Workspace::new();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = ws.command(&["--version"]).stdout(writer).stderr(Stdio::piped()).output().unwrap();
    assert_eq!((output.status.code(), output.stderr.as_slice()), (Some(0), &b""[..]));
}

#[test]
fn version_with_more_arguments_or_a_completion_request_is_clap_s() {
    let ws = Workspace::new();
    let run = ws.run(&["--version", "status"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "onboard 0.1.0\n"), "clap's own answer: {run:?}");
    let run = ws.run(&["--bogus", "-V"]);
    assert_eq!(run.code, 2, "clap refuses what it does not know: {run:?}");
    assert!(run.stderr.starts_with("error: unexpected argument '--bogus'"), "{}", run.stderr);
    // `COMPLETE=bash onboard …` with no `--` prints the shell's registration script.
    let run = ws.run_with(&[("COMPLETE", "bash")], &["--version"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("complete -o nospace"), "a registration script: {}", run.stdout);
}
