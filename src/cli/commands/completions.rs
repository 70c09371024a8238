//! `onboard util completions SHELL`: the script that makes a shell complete `onboard`'s
//! commands and flags and, at each TAB, what fits there in the state directory: project
//! names, the steps a command can act on, fields and variables, calendars, roles and
//! playbook ids (`cli/complete.rs` decides what).

use std::io::Write;

use anyhow::Result;
use clap_complete::Shell;
use clap_complete::env::Shells;

use crate::cli::Context;
use crate::error::ExitCode;

/// The environment variable through which the shell asks `onboard` for completions.
pub const COMPLETE_VARIABLE: &str = "COMPLETE";

/// Print a shell completion script: add `source <(onboard util completions bash)` (or the
/// line for your shell, see the README) to the shell's start-up file
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell
    pub shell: Shell,
    /// A fixed script of commands and flags only, which never runs `onboard` (for
    /// packagers); the default script asks `onboard` at each TAB, so it also completes
    /// project names, step ids and numbers, fields, variables, calendars and playbook ids
    #[arg(long = "static")]
    pub fixed: bool,
}

pub(crate) fn run(_ctx: &Context, args: CompletionsArgs) -> Result<ExitCode> {
    let mut out = crate::cli::ui::stdout();
    if args.fixed {
        // Into memory first: `generate` panics on a write error such as a closed pipe.
        let mut script = Vec::new();
        clap_complete::generate(args.shell, &mut crate::cli::command(), "onboard", &mut script);
        out.write_all(&script)?;
    } else {
        let name = args.shell.to_string();
        let shells = Shells::builtins();
        let shell = shells.completer(&name).expect("every clap_complete shell has an env completer");
        // The script calls `onboard` by name, so it keeps working when the binary moves.
        shell.write_registration(COMPLETE_VARIABLE, "onboard", "onboard", "onboard", &mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::Success)
}
