//! Renderers: pure functions from domain views to text, one module per format, writing
//! to any `Write`. Data goes to stdout; messages go to stderr from the commands.

pub mod diff;
pub mod document;
pub mod gantt;
pub mod ical;
pub mod json;
pub mod markdown;
pub mod milestones;
pub mod table;
pub mod wrap;

/// Text from a file or an argument as it may be shown on a terminal: control characters
/// (an escape sequence in a note could move the cursor or rewrite the screen) are shown
/// as `\u{1b}` instead of being sent. Line breaks and tabs stay.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    let escaped = text
        .chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect();
    std::borrow::Cow::Owned(escaped)
}

/// How tables and the `show` layout look: colours only on a terminal without NO_COLOR.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// The columns tables fit into (the terminal's, `COLUMNS`, or 100 when piped).
    pub width: usize,
}

/// One project as `status` shows it: its file, the playbook version it follows, where it
/// stands, its schedule as of now, and its calendar.
#[derive(Clone, Copy)]
pub struct ProjectView<'a> {
    pub file: &'a crate::state::project::ProjectFile,
    pub playbook: &'a crate::playbook::Playbook,
    pub progress: &'a crate::state::progress::Progress<'a>,
    pub schedule: &'a crate::state::schedule::Schedule,
    pub calendar: &'a crate::calendar::Calendar,
    /// The current playbook differs from the version the project follows.
    pub changed: bool,
}
