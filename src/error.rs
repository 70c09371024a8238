//! The top-level error: the errors that decide their own exit code (a cancelled
//! question, a change saved but not committed), and how a failure is printed (`error: `,
//! then `caused by:` lines, then `hint:`). The exit codes themselves are `hint.rs`'s,
//! beside the wrapper that carries them; `cli::ui` decides where and in what colour a
//! failure is printed.

use std::io::Write;

use annotate_snippets::renderer::{DEFAULT_ERROR_STYLE, DEFAULT_HELP_STYLE, Style};

use crate::hint::{Hinted, hints, messages};
use crate::playbook::PlaybookError;
use crate::render::printable;

pub use crate::hint::ExitCode;

/// A question on the terminal was cancelled (Esc or Ctrl-C) before anything changed.
#[derive(Debug, thiserror::Error)]
#[error("cancelled; nothing was changed")]
pub struct Cancelled;

/// A cancelled question, as an error that ends the run with exit code 130.
pub fn cancelled() -> anyhow::Error {
    Hinted::new(Cancelled).exit(ExitCode::Cancelled).into()
}

/// The change is saved, but git refused to commit it (the cause says why).
#[derive(Debug, thiserror::Error)]
#[error("the change is saved, but committing it failed")]
pub struct NotCommitted(#[source] pub anyhow::Error);

impl NotCommitted {
    /// `cause` made the commit fail: an error that ends the run with exit code 3, with
    /// `hint` saying how to finish the commit.
    pub fn error(cause: anyhow::Error, hint: String) -> anyhow::Error {
        Hinted::new(NotCommitted(cause)).exit(ExitCode::NotCommitted).hint(hint).into()
    }
}

/// Prints `error` for a person, in colour or plain: the message, its causes, the playbook
/// diagnostics, hints. `cli::ui::report` is the one caller that writes it to stderr.
pub fn report_styled(error: &anyhow::Error, out: &mut impl Write, styled: bool) -> std::io::Result<()> {
    let paint = |style: Style, word: &str| match styled {
        true => format!("{style}{word}{style:#}"),
        false => word.to_string(),
    };
    // The person chose to stop: say so plainly, not as an error.
    if ExitCode::of_error(error) == ExitCode::Cancelled {
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
        let error = cancelled().context("cannot ask");
        assert_eq!(ExitCode::of_error(&error), ExitCode::Cancelled);
        assert_eq!(ExitCode::Cancelled.code(), 130);
        let hinted = Err::<(), _>(cancelled()).hint("`--set`").unwrap_err();
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
