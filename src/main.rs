//! The `onboard` binary: parse the arguments, run one command, map the result to an
//! exit code. Errors are printed once, here.

use std::io::Write;

use clap::FromArgMatches;
use onboard::cli::{COMPLETE_VARIABLE, Cli, command, parse_lean, run, ui};
use onboard::error::ExitCode;

fn main() -> std::process::ExitCode {
    if is_version_request() {
        // What clap prints for `--version`, without building the command tree first:
        // the tree is most of what `onboard --version` costs (docs/performance.md).
        let _ = writeln!(ui::stdout(), "onboard {}", env!("CARGO_PKG_VERSION"));
        return std::process::ExitCode::SUCCESS;
    }
    // A shell asking for completions (`COMPLETE=bash onboard -- …`) is answered and exits here.
    clap_complete::CompleteEnv::with_factory(command).var(COMPLETE_VARIABLE).complete();
    // `status PROJECT` and the other frequent commands, through a tree of their own
    // subcommand alone; anything it does not take goes to the whole tree.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = parse_lean(&args).unwrap_or_else(|| {
        // The command tree lives as long as the process: taking it apart again cost 2% of
        // `status PROJECT` (docs/performance.md), for memory the exit gives back anyway.
        let matches = Box::leak(Box::new(command())).get_matches_mut();
        Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
    });
    let code = match run(cli) {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::Success,
        Err(error) => {
            ui::report(&error);
            ExitCode::of_error(&error)
        }
    };
    std::process::ExitCode::from(code.code())
}

/// `onboard --version` or `onboard -V`, alone: scripts and package managers run it to
/// check an install, and it need not wait for the parser. A shell asking for
/// completions is left to clap (`COMPLETE=bash onboard --version` registers them).
fn is_version_request() -> bool {
    if std::env::var_os(COMPLETE_VARIABLE).is_some_and(|shell| !shell.is_empty() && shell != "0") {
        return false;
    }
    let mut args = std::env::args_os().skip(1);
    matches!((args.next(), args.next()), (Some(arg), None) if arg == "--version" || arg == "-V")
}

/// `onboard status | head` closes the pipe early; that is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
