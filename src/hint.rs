//! Errors with advice, and how a run ends: `Hinted`, the one wrapper that attaches hints
//! (and, where an error decides it, an exit code) to an error while keeping it in the
//! chain; `ExitCode`; and reading the message, causes and hints back out of a chain. The
//! bottom of the crate: every layer attaches hints, and the command line adds its advice
//! on the domain's typed errors (`cli::hints`).

use std::fmt;

/// How a run ended; one place decides the process exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything went as asked.
    Success,
    /// Something needs attention: `onboard check` found overdue work, or `onboard doctor`
    /// found a problem. Both still printed everything they found.
    Attention,
    /// `onboard merge-file` left conflict markers (git reads any non-zero code so).
    Unmerged,
    /// The person at the terminal declined a question (`delete`): nothing was changed,
    /// and a script that goes on as if it had been must be told.
    Declined,
    /// The change was saved, but `--commit` could not commit it.
    NotCommitted,
    /// Another command held the project's lock for longer than the wait allowed; nothing
    /// was changed, and running the command again is safe.
    Busy,
    /// Any error: usage, bad input, I/O; also a portfolio command that could not read
    /// some project, after it printed the others.
    Error,
    /// The person at the terminal cancelled a question (Esc or Ctrl-C); nothing was
    /// changed. 130 is what a shell reports for a command ended by Ctrl-C.
    Cancelled,
}

impl ExitCode {
    /// The process exit code: 0 success, 1 something found that needs acting on, 2 error,
    /// 3 saved but not committed, 4 busy (nothing changed), 130 cancelled at a prompt.
    pub fn code(self) -> u8 {
        match self {
            ExitCode::Success => 0,
            ExitCode::Attention | ExitCode::Unmerged | ExitCode::Declined => 1,
            ExitCode::Error => 2,
            ExitCode::NotCommitted => 3,
            ExitCode::Busy => 4,
            ExitCode::Cancelled => 130,
        }
    }

    /// The code for a failed run: the one the outermost `Hinted` that carries a code
    /// gives (3 saved but not committed, 4 busy, 130 cancelled), else 2. Only the wrapper
    /// is looked for: an error that decides its exit code is wrapped where it is made.
    pub fn of_error(error: &anyhow::Error) -> ExitCode {
        error
            .chain()
            .filter_map(|e| e.downcast_ref::<Hinted>())
            .find_map(|h| h.exit)
            .unwrap_or(ExitCode::Error)
    }
}

/// An error with advice on what to do about it, and, when the error decides it, the exit
/// code a run that it ends exits with. It keeps the error it wraps in the chain (its
/// `source`), so that error can still be matched; its own text repeats that error's,
/// which `messages` drops.
#[derive(Debug)]
pub(crate) struct Hinted {
    error: anyhow::Error,
    hints: Vec<String>,
    exit: Option<ExitCode>,
    /// The hints are the command line's advice on a typed error of the chain
    /// (`cli::hints::advised`), which is added once.
    advised: bool,
}

impl Hinted {
    /// `error`, with no hint yet.
    pub(crate) fn new(error: impl Into<anyhow::Error>) -> Hinted {
        Hinted { error: error.into(), hints: Vec::new(), exit: None, advised: false }
    }

    /// Adds a hint, after those already given.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Hinted {
        self.hints.push(hint.into());
        self
    }

    /// The exit code of a run this error ends.
    pub(crate) fn exit(mut self, code: ExitCode) -> Hinted {
        self.exit = Some(code);
        self
    }

    /// Marks the hints as the command line's advice (`cli::hints`).
    pub(crate) fn advised(mut self) -> Hinted {
        self.advised = true;
        self
    }

    /// Whether the hints are the command line's advice.
    pub(crate) fn is_advised(&self) -> bool {
        self.advised
    }
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)
    }
}

impl std::error::Error for Hinted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.error.as_ref())
    }
}

/// Attaches a hint to any error.
pub(crate) trait HintExt<T> {
    fn hint(self, hint: impl Into<String>) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> HintExt<T> for Result<T, E> {
    fn hint(self, hint: impl Into<String>) -> anyhow::Result<T> {
        self.map_err(|error| Hinted::new(error).hint(hint).into())
    }
}

/// An error with a hint, from a message.
pub(crate) fn hinted(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    Hinted::new(anyhow::anyhow!(message.into())).hint(hint).into()
}

/// The message and its causes on one line, `: `-separated, as `--json` carries an error.
pub(crate) fn message(error: &anyhow::Error) -> String {
    messages(error).join(": ")
}

/// The hints attached anywhere in the chain, `; `-separated; `None` when there is none.
pub(crate) fn hint(error: &anyhow::Error) -> Option<String> {
    let hints = hints(error);
    (!hints.is_empty()).then(|| hints.join("; "))
}

/// The message, then each cause, without the repeats a `Hinted` wrapper adds.
pub(crate) fn messages(error: &anyhow::Error) -> Vec<String> {
    let mut chain = error.chain().map(std::string::ToString::to_string).collect::<Vec<_>>();
    chain.dedup();
    chain
}

/// The hints of a chain in its order, each wrapper's in the order they were given.
pub(crate) fn hints(error: &anyhow::Error) -> Vec<&str> {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<Hinted>())
        .flat_map(|hinted| hinted.hints.iter().map(String::as_str))
        .filter(|h| !h.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn message_and_hint_read_the_whole_chain() {
        let error = Err::<(), _>(std::io::Error::other("permission denied"))
            .context("cannot write `.onboard/projects/coop.yaml`")
            .hint("check the folder's permissions")
            .unwrap_err();
        assert_eq!(message(&error), "cannot write `.onboard/projects/coop.yaml`: permission denied");
        assert_eq!(hint(&error).as_deref(), Some("check the folder's permissions"));
        assert_eq!(hint(&anyhow::anyhow!("no hint here")), None);
    }

    #[test]
    fn a_hint_keeps_the_error_it_wraps_in_the_chain() {
        let inner =
            anyhow::Error::new(std::io::Error::other("disk on fire")).context("cannot read `coop.yaml`");
        let error: anyhow::Error = Hinted::new(inner).hint("restore it from git").advised().into();
        assert_eq!(message(&error), "cannot read `coop.yaml`: disk on fire");
        assert_eq!(hint(&error).as_deref(), Some("restore it from git"));
        assert!(
            error.chain().any(<dyn std::error::Error + 'static>::is::<std::io::Error>),
            "the wrapped error can still be matched"
        );
    }

    #[test]
    fn hints_list_outermost_first_and_the_outermost_exit_code_wins() {
        let busy: anyhow::Error = Hinted::new(anyhow::anyhow!("held")).exit(ExitCode::Busy).into();
        assert_eq!(ExitCode::of_error(&busy), ExitCode::Busy);
        let error = Err::<(), _>(busy.context("cannot advance `coop`")).hint("wait").unwrap_err();
        let error: anyhow::Error = Hinted::new(error).hint("first").hint("second").into();
        assert_eq!(hint(&error).as_deref(), Some("first; second; wait"));
        assert_eq!(message(&error), "cannot advance `coop`: held");
        assert_eq!(ExitCode::of_error(&error), ExitCode::Busy, "a hint added later keeps the code");
        assert_eq!(ExitCode::of_error(&anyhow::anyhow!("plain")), ExitCode::Error);
    }
}
