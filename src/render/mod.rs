//! Renderers: pure functions from domain views to text, one module per format, writing
//! to any `Write`. Data goes to stdout; messages go to stderr from the commands.

pub(crate) mod change;
pub(crate) mod compact;
pub(crate) mod diff;
pub(crate) mod document;
pub(crate) mod explain;
pub(crate) mod forecast;
pub(crate) mod gantt;
pub(crate) mod grid;
pub(crate) mod ical;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod markup;
pub(crate) mod milestones;
pub(crate) mod plan;
pub(crate) mod site;
pub(crate) mod stats;
pub(crate) mod table;
pub(crate) mod view;
pub(crate) mod wrap;

use std::borrow::Cow;

/// Text from a file or an argument as it may be shown on a terminal: control characters
/// (an escape sequence in a note could move the cursor or rewrite the screen) are shown
/// as `\u{1b}` instead of being sent. Line breaks and tabs stay, for the layouts that
/// give text its own lines (`show`'s descriptions); a line of a table or a list takes
/// `one_line` instead.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    escaped(text, false)
}

/// Text from a file or an argument as one line of output (a table cell, a line of `log`
/// or `diff`, a commit message): as `printable`, and a line break shows as `\n` and a
/// tab as `\t`, so that a note or a name cannot forge a line of its own.
pub(crate) fn one_line(text: &str) -> Cow<'_, str> {
    escaped(text, true)
}

fn escaped(text: &str, one_line: bool) -> Cow<'_, str> {
    let kept = |c: char| !one_line && (c == '\n' || c == '\t');
    if !text.chars().any(|c| is_unsafe(c) && !kept(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if kept(c) || !is_unsafe(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.extend(c.escape_unicode()),
        }
    }
    Cow::Owned(out)
}

/// Characters a terminal (or a reader) takes for something other than text: control
/// characters, the Unicode line and paragraph separators, and the bidirectional
/// overrides and isolates that make text read in another order than it is stored.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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
pub(crate) struct ProjectView<'a> {
    pub file: &'a crate::state::project::ProjectFile,
    pub playbook: &'a crate::playbook::Playbook,
    pub progress: &'a crate::state::progress::Progress<'a>,
    pub schedule: &'a crate::state::schedule::Schedule,
    pub calendar: &'a crate::calendar::Calendar,
    /// The current playbook differs from the version the project follows.
    pub changed: bool,
}

/// An instant with its offset, as projects record it and charts place it.
pub(crate) type Instant = chrono::DateTime<chrono::FixedOffset>;

/// `2026-03-02 09:00`, in the project calendar's zone.
pub(crate) fn minute(at: Instant, zone: chrono_tz::Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

/// `text` cut to `limit` characters with `…` when it is longer: the names and labels of
/// charts and calendars, which do not wrap.
pub(crate) fn shortened(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_reordering_are_shown_not_sent() {
        assert_eq!(printable("\u{1b}[2JTitle"), "\\u{1b}[2JTitle");
        assert_eq!(printable("a\rb\u{7}\u{85}"), "a\\u{d}b\\u{7}\\u{85}");
        assert_eq!(printable("abc\u{202e}def\u{2066}"), "abc\\u{202e}def\\u{2066}");
        assert_eq!(printable("line\u{2028}sep"), "line\\u{2028}sep");
        // Plain text, accents and emoji are text.
        assert!(matches!(printable("Señal ✓ 🚀"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_block_keeps_its_lines_and_one_line_shows_them_escaped() {
        assert_eq!(printable("two\n\tlines"), "two\n\tlines");
        assert_eq!(one_line("two\n\tlines"), "two\\n\\tlines");
        assert_eq!(one_line("ana\nSigned-off-by: evil\r\n"), "ana\\nSigned-off-by: evil\\u{d}\\n");
        assert!(matches!(one_line("ana"), Cow::Borrowed(_)));
    }
}
