//! Text from files and arguments made safe in Markdown: escaped so that it reads as the
//! text it is (`text`), or shown as code when it is a plain name (`name`). A leaf of
//! `render`: every Markdown writer (`report`, `forecast`, `diff --markdown`, `stats
//! --markdown`) reads it, and it reads none of them.

use super::printable;

/// Text from a playbook, a project file or an argument as inline Markdown, the one way
/// such text enters Markdown (a report, `diff --markdown`): it reads as the text it is,
/// and nothing in it becomes markup, a link, an image, HTML or a mention.
///
/// - control characters are escaped (`printable`) and line breaks become spaces, so a row
///   or a list item stays one line and no text starts a block of its own;
/// - every character CommonMark or GitHub reads as markup (emphasis, code, links and
///   images, HTML and entities, tables, headings) is escaped with a backslash; `(`, `)`
///   and `!` make a link or an image only after a `[`, which is escaped, so they stay;
/// - `://` and `www.` lose what makes them an automatic link (`\:`, `www\.`);
/// - `@` and `#` are followed by a zero-width space: GitHub finds mentions (`@org/team`)
///   and issue references (`#12`) in the rendered text, where backslashes are gone.
pub(crate) fn text(raw: &str) -> String {
    let raw = printable(raw);
    let mut escaped = String::with_capacity(raw.len() + 8);
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\r' | '\t' => escaped.push(' '),
            '@' | '#' => {
                if c == '#' {
                    escaped.push('\\');
                }
                escaped.push(c);
                escaped.push('\u{200b}');
            }
            ':' if chars.peek() == Some(&'/') => escaped.push_str("\\:"),
            '.' if escaped.len() >= 3
                && escaped.as_bytes()[escaped.len() - 3..].eq_ignore_ascii_case(b"www") =>
            {
                escaped.push_str("\\.");
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                escaped.push('\\');
                escaped.push(c);
            }
            c => escaped.push(c),
        }
    }
    escaped
}

/// A name from a file (a variable, a project) as code when it is a plain name, which
/// holds nothing Markdown reads, and as `text` otherwise.
pub(crate) fn name(raw: &str) -> String {
    let plain =
        !raw.is_empty() && raw.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if plain { format!("`{raw}`") } else { text(raw) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped_and_rows_stay_one_line() {
        assert_eq!(text("a | b"), "a \\| b");
        assert_eq!(text("PROJECT_LEADER *now* <b>"), "PROJECT\\_LEADER \\*now\\* \\<b\\>");
        assert_eq!(text("two\nlines"), "two lines");
        // Shown as `\u{7}` once rendered: the escape's backslash is escaped too.
        assert_eq!(text("bell\u{7}"), "bell\\\\u{7}");
    }

    #[test]
    fn links_images_html_and_mentions_in_text_stay_text() {
        assert_eq!(text("[x](https://evil)"), "\\[x\\](https\\://evil)");
        assert_eq!(text("![i](http://t/p.png)"), "!\\[i\\](http\\://t/p.png)");
        assert_eq!(text("[x]: https://evil"), "\\[x\\]: https\\://evil");
        assert_eq!(text("<img src=x onerror=alert(1)>"), "\\<img src=x onerror=alert(1)\\>");
        assert_eq!(text("&lt;b&gt;"), "\\&lt;b\\&gt;");
        assert_eq!(text("@everyone"), "@\u{200b}everyone");
        assert_eq!(text("@org/team and ana@example.com"), "@\u{200b}org/team and ana@\u{200b}example.com");
        assert_eq!(text("fixes #12"), "fixes \\#\u{200b}12");
        assert_eq!(text("see www.evil.com/x"), "see www\\.evil.com/x");
        assert_eq!(text("a ` b ``c``"), "a \\` b \\`\\`c\\`\\`");
        assert_eq!(
            text("approved\n\n# Merged\r\n- [ ] x"),
            "approved  \\#\u{200b} Merged\\\\u{d} - \\[ \\] x"
        );
    }

    #[test]
    fn a_plain_name_is_code_and_any_other_is_text() {
        assert_eq!(name("due_date"), "`due_date`");
        assert_eq!(name("coop-central"), "`coop-central`");
        assert_eq!(name("a`b"), "a\\`b");
        assert_eq!(name(""), "");
    }
}
