//! The one output handle (jj's `Ui`): everything onboard writes to stdout and stderr
//! passes through here. Data goes to stdout (`stdout`, or `pager::Output` when it may be
//! long); messages go to stderr at a level that `--quiet` and `--verbose` decide in this
//! one place; errors are printed here; prompts ask on the terminal `terminal` gives.
//!
//! | level | macro | shown | for |
//! | --- | --- | --- | --- |
//! | error | `error!`, `report` | always | what failed |
//! | warning | `warn!` | always | something to check although the command did its work |
//! | notice | `say!` | unless `--quiet` | what a command did and what comes next |
//! | detail | `verbose!` | with `--verbose` | where a run looked: state directories, clock, cache, projects read |
//!
//! The level is the process's, set once before a command runs: `say!` is called from
//! deep inside the commands (and from worker threads), where no handle is passed.
//! Messages are written whole, a line each; a closed or broken stderr is not a failure
//! (the change a message reports is saved already, and `eprintln!` would panic after it).

// The one place allowed to write to stdout and stderr (clippy.toml).
#![allow(clippy::disallowed_methods)]

use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicU8, Ordering};

use dialoguer::console::Term;

/// How much a run says on stderr besides its errors, warnings and prompts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// `--quiet`: errors, warnings and prompts only.
    Quiet,
    /// Notices too: what a command did and what comes next.
    Normal,
    /// `--verbose`: notices, and details of where the run looked.
    Verbose,
}

/// A message's level, which decides whether the run's `Verbosity` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Notice,
    Detail,
}

impl Level {
    /// Whether a run at `verbosity` shows a message of this level.
    fn is_shown(self, verbosity: Verbosity) -> bool {
        match self {
            Level::Error | Level::Warning => true,
            Level::Notice => verbosity >= Verbosity::Normal,
            Level::Detail => verbosity >= Verbosity::Verbose,
        }
    }

    /// The word a message of this level starts with.
    fn prefix(self) -> &'static str {
        match self {
            Level::Error => "error: ",
            Level::Warning => "warning: ",
            Level::Notice | Level::Detail => "",
        }
    }
}

static VERBOSITY: AtomicU8 = AtomicU8::new(Verbosity::Normal as u8);

/// Sets how much this run says; `cli::run` calls it once, before the command.
pub fn set_verbosity(verbosity: Verbosity) {
    VERBOSITY.store(verbosity as u8, Ordering::Relaxed);
}

fn verbosity() -> Verbosity {
    match VERBOSITY.load(Ordering::Relaxed) {
        0 => Verbosity::Quiet,
        1 => Verbosity::Normal,
        _ => Verbosity::Verbose,
    }
}

/// Whether this run shows messages of `level`: a message that costs work to find (asking
/// git, counting) is not looked for when it would not be shown.
pub fn shows(level: Level) -> bool {
    level.is_shown(verbosity())
}

/// Writes one message line to stderr at `level`, when this run shows that level. What
/// `say!`, `warn!`, `error!` and `verbose!` expand to.
pub fn message(level: Level, text: fmt::Arguments<'_>) {
    if shows(level) {
        let _ = writeln!(io::stderr().lock(), "{}{text}", level.prefix());
    }
}

/// Prints `error` on stderr as `main` does for the error that ends a run: `error: `, the
/// `caused by:` lines, the hints; in colour when stderr takes it (a terminal, unless
/// `NO_COLOR` or `TERM=dumb` says otherwise; `CLICOLOR_FORCE` forces it).
pub fn report(error: &anyhow::Error) {
    let styled = anstream::AutoStream::choice(&io::stderr()) != anstream::ColorChoice::Never;
    let mut err = io::stderr().lock();
    let _ = crate::error::report_styled(error, &mut err, styled);
    let _ = err.flush();
}

/// Stdout for a command's data, unpaged: output a script reads, written as it comes.
/// Long human-readable output takes `pager::Output::new` instead.
pub fn stdout() -> io::StdoutLock<'static> {
    io::stdout().lock()
}

/// Whether stdout is a terminal: colour, width, paging and prompts depend on it.
pub fn is_stdout_terminal() -> bool {
    io::stdout().is_terminal()
}

/// The terminal stdout is, for its size.
pub fn stdout_terminal() -> Term {
    Term::stdout()
}

/// The terminal that questions are asked on: stderr, so stdout stays the command's data.
pub fn terminal() -> Term {
    Term::stderr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_keeps_errors_and_warnings_and_verbose_adds_details() {
        let shown = |verbosity| {
            [Level::Error, Level::Warning, Level::Notice, Level::Detail]
                .into_iter()
                .filter(|level| level.is_shown(verbosity))
                .collect::<Vec<_>>()
        };
        assert_eq!(shown(Verbosity::Quiet), [Level::Error, Level::Warning]);
        assert_eq!(shown(Verbosity::Normal), [Level::Error, Level::Warning, Level::Notice]);
        assert_eq!(shown(Verbosity::Verbose), [Level::Error, Level::Warning, Level::Notice, Level::Detail]);
    }
}
