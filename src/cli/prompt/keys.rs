//! The three ways of answering on a terminal, read key by key: a line of text, yes or
//! no, an item of a list (filtered as you type when it is long). Each one returns `None`
//! when the person cancels with Esc or Ctrl-C, leaves the cursor shown, and clears what
//! it drew so that the caller can leave one `question: answer` line instead.
//!
//! Keys are read raw (`read_key_raw`): Ctrl-C arrives as a key rather than as a signal
//! that would end the process with the cursor hidden and the question half drawn.

use std::io;

use dialoguer::console::{Key, Term, measure_text_width, truncate_str};

use crate::render::one_line;

/// Lists longer than this filter as you type.
pub(super) const FILTER_FROM: usize = 10;

/// How many items of a list show at once.
const VISIBLE: usize = 10;

/// The rows a line `width` columns wide takes on a terminal `columns` wide (at least one).
pub(super) fn rows(width: usize, columns: usize) -> usize {
    width.div_ceil(columns.max(1)).max(1)
}

/// `text` wrapped at word boundaries to `columns` (a word longer than that is cut).
pub(super) fn wrapped(text: &str, columns: usize) -> Vec<String> {
    text.lines()
        .flat_map(|line| {
            // Split at spaces only: a date or a step id broken at its hyphen reads wrong.
            let options =
                textwrap::Options::new(columns.max(1)).word_splitter(textwrap::WordSplitter::NoHyphenation);
            textwrap::wrap(line, options).into_iter().map(std::borrow::Cow::into_owned)
        })
        .collect()
}

/// The terminal's width in columns.
pub(super) fn columns(term: &Term) -> usize {
    usize::from(term.size().1).max(1)
}

/// Reads a line of text after `prompt` (wrapped at word boundaries; `: ` follows it).
/// Left, Right, Home and End move; Backspace and Delete erase; Ctrl-U clears; Enter
/// answers; Esc and Ctrl-C cancel.
pub(super) fn line(term: &Term, prompt: &str) -> io::Result<Option<String>> {
    let columns = columns(term);
    let mut lines = wrapped(&format!("{prompt}:"), columns);
    let last = format!("{} ", lines.pop().unwrap_or_default());
    for above in &lines {
        term.write_line(above)?;
    }
    term.write_str(&last)?;
    let mut edit = Edit { text: Vec::new(), at: 0 };
    // Where the cursor is, in columns from the start of the prompt's last line.
    let mut cursor = Cursor { offset: measure_text_width(&last), at_end: true };
    loop {
        let before = edit.clone();
        let key = term.read_key_raw()?;
        match key {
            Key::Enter | Key::Escape | Key::CtrlC => {
                // To the end of the text, so that what follows starts below all of it.
                redraw(term, &last, &edit, edit.text.len(), &mut cursor, columns)?;
                if key != Key::Enter {
                    return cancelled(term);
                }
                term.clear_line()?;
                term.move_cursor_up(cursor.row(columns))?;
                term.clear_to_end_of_screen()?;
                term.clear_last_lines(lines.len())?;
                return Ok(Some(edit.text.iter().collect()));
            }
            // Typing at the end is only written: no need to draw the line again.
            Key::Char(c) if !c.is_control() && edit.at == edit.text.len() => {
                edit.text.push(c);
                edit.at += 1;
                term.write_str(c.encode_utf8(&mut [0; 4]))?;
                cursor = Cursor { offset: cursor.offset + measure_text_width(&c.to_string()), at_end: true };
                continue;
            }
            other => edit.apply(other),
        }
        if edit != before {
            redraw(term, &last, &edit, edit.at, &mut cursor, columns)?;
        }
    }
}

/// The text of a line being typed and where the cursor is in it (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    text: Vec<char>,
    at: usize,
}

impl Edit {
    /// What a key does to the text, other than Enter, Esc and Ctrl-C.
    fn apply(&mut self, key: Key) {
        match key {
            Key::Char('\u{15}') => {
                self.text.clear();
                self.at = 0;
            }
            Key::Char(c) if !c.is_control() => {
                self.text.insert(self.at, c);
                self.at += 1;
            }
            Key::Backspace if self.at > 0 => {
                self.at -= 1;
                self.text.remove(self.at);
            }
            Key::Del if self.at < self.text.len() => {
                self.text.remove(self.at);
            }
            Key::ArrowLeft => self.at = self.at.saturating_sub(1),
            Key::ArrowRight => self.at = (self.at + 1).min(self.text.len()),
            Key::Home => self.at = 0,
            Key::End => self.at = self.text.len(),
            _ => {}
        }
    }

    fn width_to(&self, at: usize) -> usize {
        measure_text_width(&self.text[..at].iter().collect::<String>())
    }
}

/// Where the terminal's cursor is: `offset` columns after the start of the prompt's last
/// line. At the end of what was written, a multiple of the width leaves the cursor on
/// the last column of the row it filled (the terminal wraps only on the next character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cursor {
    offset: usize,
    at_end: bool,
}

impl Cursor {
    /// The row it is on, counted from the prompt's last line.
    fn row(self, columns: usize) -> usize {
        match self.at_end && self.offset > 0 && self.offset.is_multiple_of(columns) {
            true => self.offset / columns - 1,
            false => self.offset / columns,
        }
    }
}

/// Writes the prompt's last line and the text again and puts the cursor before the
/// character `at`.
fn redraw(
    term: &Term,
    last: &str,
    edit: &Edit,
    at: usize,
    cursor: &mut Cursor,
    columns: usize,
) -> io::Result<()> {
    term.move_cursor_up(cursor.row(columns))?;
    term.clear_to_end_of_screen()?;
    let text: String = edit.text.iter().collect();
    term.write_str(&format!("{last}{text}"))?;
    let end = Cursor { offset: measure_text_width(last) + measure_text_width(&text), at_end: true };
    let target =
        Cursor { offset: measure_text_width(last) + edit.width_to(at), at_end: at == edit.text.len() };
    if !target.at_end {
        term.move_cursor_up(end.row(columns) - target.row(columns))?;
        term.write_str("\r")?;
        term.move_cursor_right(target.offset % columns)?;
    }
    *cursor = if target.at_end { end } else { target };
    Ok(())
}

/// Asks `prompt [y/n]` (`[Y/n]` or `[y/N]` when Enter gives `default`); `y` or `n`
/// answers at once; Esc, `q` and Ctrl-C cancel. Without a default, Enter answers `None`
/// inside `Some` only when `empty_ok` (an optional value left empty).
pub(super) fn yes_no(
    term: &Term,
    prompt: &str,
    default: Option<bool>,
    empty_ok: bool,
) -> io::Result<Option<Option<bool>>> {
    let hint = match default {
        Some(true) => "[Y/n]",
        Some(false) => "[y/N]",
        None => "[y/n]",
    };
    let columns = columns(term);
    let lines = wrapped(&format!("{prompt} {hint}"), columns);
    let (last, above) = lines.split_last().expect("a prompt");
    for line in above {
        term.write_line(line)?;
    }
    term.write_str(&format!("{last} "))?;
    let answer = loop {
        match term.read_key_raw()? {
            Key::Char('y' | 'Y') => break Some(true),
            Key::Char('n' | 'N') => break Some(false),
            Key::Enter if default.is_some() => break default,
            Key::Enter if empty_ok => break None,
            Key::Escape | Key::CtrlC | Key::Char('q') => return cancelled(term),
            _ => {}
        }
    };
    term.clear_line()?;
    term.clear_last_lines(rows(measure_text_width(last) + 1, columns) - 1 + above.len())?;
    Ok(Some(answer))
}

/// Shows the cursor and moves below the question: a cancelled question stays on screen.
fn cancelled<T>(term: &Term) -> io::Result<Option<T>> {
    term.show_cursor()?;
    term.write_line("")?;
    Ok(None)
}

/// Whether `item` holds every word of `query`, ignoring case.
pub(super) fn is_match(item: &str, query: &str) -> bool {
    let item = item.to_lowercase();
    query.to_lowercase().split_whitespace().all(|word| item.contains(word))
}

/// One item of `items` picked with the arrows (also `j`, `k`, Tab, Page Up and Down,
/// Home, End) and Enter, starting at `default`; Esc and Ctrl-C cancel, and `q` too when
/// the list does not filter. A list longer than `FILTER_FROM` keeps the items that hold
/// what is typed. Items are cut to the terminal's width.
pub(super) fn pick(term: &Term, items: &[String], default: usize) -> io::Result<Option<usize>> {
    let columns = columns(term);
    let shown: Vec<String> = items
        .iter()
        .map(|item| truncate_str(&one_line(item), columns.saturating_sub(3), "…").into_owned())
        .collect();
    let filters = items.len() > FILTER_FROM;
    let visible = VISIBLE.min(usize::from(term.size().0).saturating_sub(4).max(1));
    let mut list = List {
        query: String::new(),
        kept: (0..items.len()).collect(),
        at: default.min(items.len().saturating_sub(1)),
        top: 0,
    };
    term.hide_cursor()?;
    let picked = choose(term, &shown, &mut list, filters, visible);
    // Shown again whatever happened, a failed read included.
    term.show_cursor()?;
    picked
}

/// The loop of `pick`: draws the list, reads a key, clears the list, until an item is
/// picked (`Some`) or the list cancelled (`None`).
fn choose(
    term: &Term,
    shown: &[String],
    list: &mut List,
    filters: bool,
    visible: usize,
) -> io::Result<Option<usize>> {
    let columns = columns(term);
    loop {
        list.scroll(visible);
        let drawn = list.draw(shown, filters, visible);
        for line in &drawn {
            // One row each, what is typed included, so that clearing counts rows right.
            term.write_line(&truncate_str(line, columns, "…"))?;
        }
        term.flush()?;
        let key = term.read_key_raw()?;
        term.clear_last_lines(drawn.len())?;
        let last = list.kept.len().saturating_sub(1);
        match key {
            Key::Enter if !list.kept.is_empty() => return Ok(Some(list.kept[list.at])),
            // The list is cleared and the cursor is below the prompt's own line already.
            Key::Escape | Key::CtrlC => return Ok(None),
            Key::Char('q') if !filters => return Ok(None),
            Key::ArrowDown | Key::Tab => list.at = if list.at >= last { 0 } else { list.at + 1 },
            Key::Char('j') if !filters => list.at = if list.at >= last { 0 } else { list.at + 1 },
            Key::ArrowUp | Key::BackTab => list.at = if list.at == 0 { last } else { list.at - 1 },
            Key::Char('k') if !filters => list.at = if list.at == 0 { last } else { list.at - 1 },
            Key::PageDown => list.at = (list.at + visible).min(last),
            Key::PageUp => list.at = list.at.saturating_sub(visible),
            Key::Home => list.at = 0,
            Key::End => list.at = last,
            Key::Backspace if filters && !list.query.is_empty() => {
                list.query.pop();
                list.refilter(shown);
            }
            Key::Char(c) if filters && !c.is_control() => {
                list.query.push(c);
                list.refilter(shown);
            }
            _ => {}
        }
    }
}

/// Where a list stands: what is typed, the items kept, the one under the cursor (an
/// index into `kept`) and the first one shown.
struct List {
    query: String,
    kept: Vec<usize>,
    at: usize,
    top: usize,
}

impl List {
    fn refilter(&mut self, shown: &[String]) {
        self.kept = (0..shown.len()).filter(|&i| is_match(&shown[i], &self.query)).collect();
        self.at = 0;
    }

    /// Keeps the item under the cursor among the `visible` ones shown.
    fn scroll(&mut self, visible: usize) {
        if self.at < self.top {
            self.top = self.at;
        } else if self.at >= self.top + visible {
            self.top = self.at + 1 - visible;
        }
    }

    /// The lines of the list as it stands: the filter, the items shown, where they are.
    fn draw(&self, shown: &[String], filters: bool, visible: usize) -> Vec<String> {
        let mut lines = Vec::new();
        if filters {
            lines.push(match self.query.is_empty() {
                true => "  (type to filter)".to_string(),
                false => format!("  filter: {}", one_line(&self.query)),
            });
        }
        let end = (self.top + visible).min(self.kept.len());
        for (row, &item) in self.kept[self.top..end].iter().enumerate() {
            let mark = if self.top + row == self.at { ">" } else { " " };
            lines.push(format!("{mark} {}", shown[item]));
        }
        if self.kept.is_empty() {
            lines.push("  no match".to_string());
        } else if self.kept.len() > visible {
            lines.push(format!("  {}-{} of {}", self.top + 1, end, self.kept.len()));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_keeps_the_items_holding_each_of_its_words_in_any_case() {
        assert!(is_match("CH-VD: Vaud", "vd"));
        assert!(is_match("CH-VD: Vaud", "ch vaud"));
        assert!(!is_match("CH-ZH: Zürich", "ch vaud"));
        assert!(is_match("ES-CT: Cataluña", "cataluña"));
        assert!(is_match("anything", ""));
    }

    #[test]
    fn a_long_list_shows_a_window_around_the_cursor_and_where_it_is() {
        let shown: Vec<String> = (1..=12).map(|n| format!("item {n}")).collect();
        let mut list = List { query: String::new(), kept: (0..12).collect(), at: 11, top: 0 };
        list.scroll(10);
        let drawn = list.draw(&shown, true, 10);
        assert_eq!(drawn.first().unwrap(), "  (type to filter)");
        assert_eq!(drawn[1], "  item 3");
        assert_eq!(drawn[10], "> item 12");
        assert_eq!(drawn.last().unwrap(), "  3-12 of 12");
        list.query = "item 1".into();
        list.refilter(&shown);
        assert_eq!(list.kept, [0, 9, 10, 11]);
        list.scroll(10);
        assert_eq!(
            list.draw(&shown, true, 10),
            ["  filter: item 1", "> item 1", "  item 10", "  item 11", "  item 12"]
        );
        list.query = "zz".into();
        list.refilter(&shown);
        assert_eq!(list.draw(&shown, true, 10), ["  filter: zz", "  no match"]);
    }

    #[test]
    fn keys_edit_the_line_where_the_cursor_is() {
        let mut edit = Edit { text: "2026-0305".chars().collect(), at: 9 };
        for key in [Key::ArrowLeft, Key::ArrowLeft, Key::Char('-')] {
            edit.apply(key);
        }
        assert_eq!((edit.text.iter().collect::<String>(), edit.at), ("2026-03-05".to_string(), 8));
        for key in [Key::Home, Key::Del, Key::End, Key::Backspace, Key::ArrowRight] {
            edit.apply(key);
        }
        assert_eq!((edit.text.iter().collect::<String>(), edit.at), ("026-03-0".to_string(), 8));
        edit.apply(Key::Char('\u{15}'));
        assert_eq!(edit, Edit { text: vec![], at: 0 });
    }

    #[test]
    fn the_cursor_at_the_end_of_a_full_row_is_still_on_it() {
        assert_eq!(Cursor { offset: 60, at_end: true }.row(60), 0);
        assert_eq!(Cursor { offset: 60, at_end: false }.row(60), 1);
        assert_eq!(Cursor { offset: 59, at_end: true }.row(60), 0);
        assert_eq!(Cursor { offset: 121, at_end: true }.row(60), 2);
        assert_eq!(Cursor { offset: 0, at_end: true }.row(60), 0);
    }

    #[test]
    fn rows_count_what_wraps_and_text_wraps_at_words() {
        assert_eq!(rows(0, 80), 1);
        assert_eq!(rows(80, 80), 1);
        assert_eq!(rows(81, 80), 2);
        assert_eq!(rows(161, 80), 3);
        assert_eq!(rows(5, 0), 5);
        assert_eq!(
            wrapped("Contactos técnico y operativo de la cooperativa (nombre, correo, teléfono).", 60),
            ["Contactos técnico y operativo de la cooperativa (nombre,", "correo, teléfono)."]
        );
        assert_eq!(wrapped("one\ntwo", 60), ["one", "two"]);
    }
}
