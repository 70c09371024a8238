//! The top-level error: the exit codes, and how a failure is printed (`error: `, then
//! `caused by:` lines, then `hint:`).

use std::fmt;
use std::io::Write;

use annotate_snippets::renderer::{DEFAULT_ERROR_STYLE, DEFAULT_HELP_STYLE, Style};

use crate::hint::{Hinted, hints, messages};
use crate::playbook::PlaybookError;
use crate::render::printable;

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

    /// The code for a failed run: 3 when the change was saved and only the commit failed
    /// (running the command again would record it twice), 4 when another command held the
    /// project too long (nothing changed), 130 when a question was cancelled, else 2.
    pub fn of_error(error: &anyhow::Error) -> ExitCode {
        // A hint stands in for the error it wraps in the chain: look inside it too.
        let saved = |e: &(dyn std::error::Error + 'static)| {
            e.downcast_ref::<NotCommitted>().is_some()
                || e.downcast_ref::<Hinted>()
                    .is_some_and(|h| h.error.downcast_ref::<NotCommitted>().is_some())
        };
        if error.chain().any(saved) {
            return ExitCode::NotCommitted;
        }
        if is_cancelled(error) {
            return ExitCode::Cancelled;
        }
        match error.chain().any(|e| e.is::<crate::store::lock::LockTimeout>()) {
            true => ExitCode::Busy,
            false => ExitCode::Error,
        }
    }
}

/// A question on the terminal was cancelled (Esc or Ctrl-C) before anything changed.
#[derive(Debug)]
pub struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cancelled; nothing was changed")
    }
}

impl std::error::Error for Cancelled {}

/// Whether `error` is a cancelled question (a hint stands in for the error it wraps).
fn is_cancelled(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|e| e.is::<Cancelled>() || e.downcast_ref::<Hinted>().is_some_and(|h| h.error.is::<Cancelled>()))
}

/// The change is saved, but git refused to commit it (the cause says why).
#[derive(Debug)]
pub struct NotCommitted(pub anyhow::Error);

impl fmt::Display for NotCommitted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the change is saved, but committing it failed")
    }
}

impl std::error::Error for NotCommitted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// Prints `error` for a person: the message, its causes, the playbook diagnostics, hints.
/// Every caller prints to stderr, so stderr decides the colour: a terminal, unless
/// `NO_COLOR` or `TERM=dumb` says otherwise (`CLICOLOR_FORCE` forces it).
pub fn report(error: &anyhow::Error, out: &mut impl Write) -> std::io::Result<()> {
    let styled = anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
    report_styled(error, out, styled)
}

/// `report`, in colour or plain.
pub fn report_styled(error: &anyhow::Error, out: &mut impl Write, styled: bool) -> std::io::Result<()> {
    let paint = |style: Style, word: &str| match styled {
        true => format!("{style}{word}{style:#}"),
        false => word.to_string(),
    };
    // The person chose to stop: say so plainly, not as an error.
    if is_cancelled(error) {
        return writeln!(out, "Cancelled; nothing was changed.");
    }
    if let Some(playbook) = error.chain().find_map(|e| e.downcast_ref::<PlaybookError>()) {
        write!(out, "{}", playbook.render(styled))?;
        if error.chain().count() > 1 && error.downcast_ref::<PlaybookError>().is_none() {
            writeln!(out, "{}: {error}", paint(DEFAULT_ERROR_STYLE, "error"))?;
        }
        return Ok(());
    }
    // Messages quote what the user gave: never send its control characters raw.
    let mut lines = messages(error).into_iter();
    let first = lines.next().unwrap_or_default();
    writeln!(out, "{}: {}", paint(DEFAULT_ERROR_STYLE, "error"), printable(&first))?;
    for cause in lines {
        writeln!(out, "caused by: {}", printable(&cause))?;
    }
    for hint in hints(error) {
        writeln!(out, "{}: {}", paint(DEFAULT_HELP_STYLE, "hint"), printable(hint))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hint::HintExt;
    use anyhow::Context;

    #[test]
    fn prints_message_causes_and_hint() {
        let error = Err::<(), _>(std::io::Error::other("permission denied"))
            .context("cannot write `.onboard/projects/coop.yaml`")
            .hint("check the folder's permissions")
            .unwrap_err();
        let mut out = Vec::new();
        report_styled(&error, &mut out, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "error: cannot write `.onboard/projects/coop.yaml`\ncaused by: permission denied\nhint: check the folder's permissions\n"
        );
    }

    #[test]
    fn a_cancelled_question_exits_130_and_says_nothing_changed() {
        let error = anyhow::Error::new(Cancelled).context("cannot ask");
        assert_eq!(ExitCode::of_error(&error), ExitCode::Cancelled);
        assert_eq!(ExitCode::Cancelled.code(), 130);
        let hinted = Err::<(), _>(anyhow::Error::new(Cancelled)).hint("`--set`").unwrap_err();
        assert_eq!(ExitCode::of_error(&hinted), ExitCode::Cancelled);
        let mut out = Vec::new();
        report_styled(&error, &mut out, false).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "Cancelled; nothing was changed.\n");
    }

    #[test]
    fn colour_marks_the_words_error_and_hint_only() {
        let error = Err::<(), _>(anyhow::anyhow!("no project `coop`")).hint("`onboard list`").unwrap_err();
        let mut out = Vec::new();
        report_styled(&error, &mut out, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            anstream::adapter::strip_str(&text).to_string(),
            "error: no project `coop`\nhint: `onboard list`\n"
        );
        assert!(text.starts_with(&format!("{DEFAULT_ERROR_STYLE}error{DEFAULT_ERROR_STYLE:#}: ")));
    }
}
