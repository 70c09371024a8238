//! The `onboard` binary: parse the arguments, run one command, map the result to an
//! exit code. Errors are printed once, here.

use std::io::Write;

use clap::FromArgMatches;
use onboard::cli::{COMPLETE_VARIABLE, Cli, command, run};
use onboard::error::{ExitCode, report};

fn main() -> std::process::ExitCode {
    // A shell asking for completions (`COMPLETE=bash onboard -- …`) is answered and exits here.
    clap_complete::CompleteEnv::with_factory(command).var(COMPLETE_VARIABLE).complete();
    let matches = command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    let code = match run(cli) {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::Success,
        Err(error) => {
            let _ = report(&error, &mut std::io::stderr().lock());
            let _ = std::io::stderr().flush();
            ExitCode::of_error(&error)
        }
    };
    std::process::ExitCode::from(code.code())
}

/// `onboard status | head` closes the pipe early; that is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
