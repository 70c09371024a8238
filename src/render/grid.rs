//! Rows and columns laid out to fit the output width: side by side in columns when they
//! fit, each row as a block of `label: value` lines below `STACK_BELOW` columns or when
//! the columns cannot fit without breaking a word. Every table of the text output goes
//! through here, so none is ever wider than the width it was given.
//!
//! The column widths are decided here, not by comfy-table's dynamic arrangement: that
//! one wraps a cell while it pads another with blanks. Here a column gets what its
//! longest cell needs when it can; the room left is shared among the columns that need
//! more, never below a column's longest word. Cells are wrapped on spaces (`textwrap`)
//! and comfy-table only draws them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, Write};

use comfy_table::{
    Attribute, Color, ColumnConstraint, ContentArrangement, LineStyle, Table, TableStyle, Width,
};
use textwrap::core::display_width;

use super::{Style, one_line, wrap};

/// Below this width a table is stacked: one block per row.
pub(crate) const STACK_BELOW: usize = 80;

/// The house style: a rule under the header and nothing else, so rows read like a list.
const HOUSE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));

/// How many rows go into one comfy-table when a table is drawn in columns.
const ROWS_AT_A_TIME: usize = 256;

/// What a column costs besides its text: a space each side, and one between columns.
const PADDING: usize = 2;
const GAP: usize = 1;

/// How far the `label: value` lines of a stacked row are indented.
const FIELD_INDENT: usize = 2;

/// One cell: its text, made safe to show, and how it is painted on a colour terminal.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    text: String,
    color: Option<Color>,
    bold: bool,
}

impl Cell {
    /// A cell of text the program wrote (a status, a count, a date).
    pub(crate) fn new(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), ..Cell::default() }
    }

    /// A cell of text from a file or an argument: one line, escapes shown (`one_line`).
    pub(crate) fn text(text: &str) -> Cell {
        Cell::new(one_line(text).into_owned())
    }

    pub(crate) fn fg(mut self, color: Color) -> Cell {
        self.color = Some(color);
        self
    }

    pub(crate) fn bold(mut self) -> Cell {
        self.bold = true;
        self
    }

    pub(crate) fn content(&self) -> &str {
        &self.text
    }

    /// `line` with this cell's colour and weight, when `color` is on.
    fn paint(&self, line: &str, color: bool) -> String {
        let codes: Vec<&str> =
            [self.bold.then_some("1"), self.color.filter(|_| color).map(sgr)].into_iter().flatten().collect();
        if !color || codes.is_empty() || line.is_empty() {
            return line.to_string();
        }
        format!("\x1b[{}m{line}\x1b[0m", codes.join(";"))
    }

    fn comfy(&self, text: String, color: bool) -> comfy_table::Cell {
        let mut cell = comfy_table::Cell::new(text);
        if color {
            if let Some(c) = self.color {
                cell = cell.fg(c);
            }
            if self.bold {
                cell = cell.add_attribute(Attribute::Bold);
            }
        }
        cell
    }
}

/// The select graphic rendition code of the colours the tables use.
fn sgr(color: Color) -> &'static str {
    match color {
        Color::Red => "31",
        Color::Green => "32",
        Color::Yellow => "33",
        Color::Blue => "34",
        Color::Cyan => "36",
        Color::DarkGrey => "90",
        _ => "39",
    }
}

/// A table: headers, rows, and how a stacked row is named.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    style: Style,
    headers: Vec<String>,
    rows: Vec<Vec<Cell>>,
    /// How many leading columns name a row when stacked, and what joins them.
    lead: (usize, &'static str),
    /// Texts wrapped so far (`fill`), by width.
    wrapped: RefCell<HashMap<usize, HashMap<String, Vec<String>>>>,
}

impl Grid {
    pub(crate) fn new(style: Style, headers: &[&str]) -> Grid {
        Grid {
            style,
            headers: headers.iter().map(std::string::ToString::to_string).collect(),
            rows: Vec::new(),
            lead: (1, " "),
            wrapped: RefCell::default(),
        }
    }

    /// Stacked, a row is named by its first `columns` cells joined by `joiner`
    /// (`2.1.2 Lista Blanca`, `coop-central: 2.1.2 …`); the others become its lines.
    pub(crate) fn named_by(mut self, columns: usize, joiner: &'static str) -> Grid {
        self.lead = (columns.clamp(1, self.headers.len().max(1)), joiner);
        self
    }

    pub(crate) fn add_row(&mut self, row: Vec<Cell>) -> &mut Grid {
        self.rows.push(row);
        self
    }

    /// Writes the table, in columns or stacked, with no padding left at the ends of lines.
    pub(crate) fn write(&self, out: &mut impl Write) -> io::Result<()> {
        if self.style.width < STACK_BELOW {
            return self.write_stacked(out);
        }
        match self.column_widths() {
            Some(widths) => self.write_columns(out, &widths),
            None => self.write_stacked(out),
        }
    }

    /// The cells of column `i`, the header first.
    fn column(&self, i: usize) -> impl Iterator<Item = &str> {
        std::iter::once(self.headers[i].as_str())
            .chain(self.rows.iter().map(move |row| row.get(i).map_or("", Cell::content)))
    }

    /// Each column's text width, or `None` when even the narrowest columns that keep
    /// every word whole are wider than the output.
    fn column_widths(&self) -> Option<Vec<usize>> {
        let count = self.headers.len();
        let natural: Vec<usize> =
            (0..count).map(|i| self.column(i).map(widest_line).max().unwrap_or(0)).collect();
        let least: Vec<usize> = (0..count)
            .map(|i| self.column(i).flat_map(str::split_whitespace).map(display_width).max().unwrap_or(0))
            .collect();
        let room = self.style.width.checked_sub(count * PADDING + count.saturating_sub(1) * GAP)?;
        let mut widths = share(&natural, &least, room)?;
        self.unwrap_near_misses(&mut widths, &natural, &least);
        // A wrapped column rarely fills its width to the last column: what its lines leave
        // over goes to the columns that wrap more, so none is padded while another wraps.
        for _ in 0..2 {
            let used: Vec<usize> = (0..count).map(|i| self.wrapped_width(i, widths[i], natural[i])).collect();
            // A numbered cell (`1.2 \`setup\``) hangs its wrapped lines under its text, so
            // its lines can be wider than its longest word: such a column used more than
            // its width, and has nothing to spare.
            let spare: usize = widths.iter().zip(&used).map(|(w, u)| w.saturating_sub(*u)).sum();
            if spare == 0 {
                break;
            }
            // Only the columns that fill their width grow; one that left room keeps its lines.
            let short: Vec<usize> =
                (0..count).filter(|&i| used[i] == widths[i] && used[i] < natural[i]).collect();
            widths = used;
            if short.is_empty() {
                break;
            }
            let grown = share(
                &short.iter().map(|&i| natural[i]).collect::<Vec<_>>(),
                &short.iter().map(|&i| widths[i]).collect::<Vec<_>>(),
                short.iter().map(|&i| widths[i]).sum::<usize>() + spare,
            )?;
            for (&i, width) in short.iter().zip(grown) {
                widths[i] = width;
            }
        }
        Some(widths)
    }

    /// An even share can leave a column a little short of its text (a title that wraps
    /// its last word) while a long one wraps anyway: each short column takes what it lacks
    /// from another when the table gets no taller for it, the shortest deficits first.
    fn unwrap_near_misses(&self, widths: &mut [usize], natural: &[usize], least: &[usize]) {
        let mut short: Vec<usize> = (0..widths.len()).filter(|&i| widths[i] < natural[i]).collect();
        short.sort_by_key(|&i| natural[i] - widths[i]);
        // Each column's lines per row, so that a move re-wraps only the two columns it changes.
        let mut lines: Vec<Vec<usize>> = (0..widths.len()).map(|i| self.lines(i, widths[i])).collect();
        for c in short {
            let lack = natural[c] - widths[c];
            let mut donors: Vec<usize> =
                (0..widths.len()).filter(|&d| d != c && widths[d] >= least[d] + lack).collect();
            donors.sort_by_key(|&d| std::cmp::Reverse(widths[d]));
            let before = height(&lines);
            let whole = self.lines(c, natural[c]);
            for d in donors {
                let mut tried = lines.clone();
                tried[c] = whole.clone();
                tried[d] = self.lines(d, widths[d] - lack);
                if height(&tried) <= before {
                    widths[c] += lack;
                    widths[d] -= lack;
                    lines = tried;
                    break;
                }
            }
        }
    }

    /// How many lines each row's cell of column `i` takes at `width`, the header first.
    fn lines(&self, i: usize, width: usize) -> Vec<usize> {
        self.column(i).map(|text| self.fill(text, width).len()).collect()
    }

    /// How wide column `i` really is wrapped to `width`: its widest line.
    fn wrapped_width(&self, i: usize, width: usize, natural: usize) -> usize {
        if width >= natural {
            return natural;
        }
        self.column(i).flat_map(|text| self.fill(text, width)).map(|l| display_width(&l)).max().unwrap_or(0)
    }

    fn write_columns(&self, out: &mut impl Write, widths: &[usize]) -> io::Result<()> {
        // A few hundred rows at a time, each batch a comfy-table of the same fixed widths:
        // its lines are the ones one table of every row would draw, while a portfolio's
        // thousands of rows are never held as comfy-table cells all at once (they were
        // most of `check`'s memory at 5,000 projects).
        let mut batches = self.rows.chunks(ROWS_AT_A_TIME);
        let first = batches.next().unwrap_or_default();
        self.write_batch(out, widths, first, true)?;
        for batch in batches {
            self.write_batch(out, widths, batch, false)?;
        }
        Ok(())
    }

    /// Draws `rows` in columns of `widths`, under the header when `header` is set.
    fn write_batch(
        &self,
        out: &mut impl Write,
        widths: &[usize],
        rows: &[Vec<Cell>],
        header: bool,
    ) -> io::Result<()> {
        let color = self.style.color;
        if !color && let Some(lines) = self.plain_lines(widths, rows, header) {
            for line in lines {
                writeln!(out, "{}", line.trim_end())?;
            }
            return Ok(());
        }
        self.write_comfy(out, widths, rows, header)
    }

    /// `write_batch` through comfy-table: colour, and what `plain_lines` leaves to it.
    fn write_comfy(
        &self,
        out: &mut impl Write,
        widths: &[usize],
        rows: &[Vec<Cell>],
        header: bool,
    ) -> io::Result<()> {
        let color = self.style.color;
        let mut table = Table::new();
        table.load_style(HOUSE).set_content_arrangement(ContentArrangement::Disabled);
        if color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        if header {
            let header = self.headers.iter().map(|h| Cell::new(h.as_str()).bold());
            table.set_header(header.map(|cell| cell.comfy(cell.text.clone(), color)));
        }
        for row in rows {
            let cells = row
                .iter()
                .zip(widths)
                .map(|(cell, &w)| cell.comfy(self.fill(&cell.text, w).join("\n"), color));
            table.add_row(cells);
        }
        for (i, &width) in widths.iter().enumerate() {
            if let Some(column) = table.column_mut(i) {
                let width = u16::try_from(width + PADDING).unwrap_or(u16::MAX);
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(width)));
            }
        }
        // Line by line: a portfolio's table is never held whole a second time as one string.
        for line in table.lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }

    /// Each row as a block: its name, wrapped and hanging, then one `label: value` line
    /// per other non-empty cell, the values aligned and wrapped under each other.
    fn write_stacked(&self, out: &mut impl Write) -> io::Result<()> {
        let (lead, joiner) = self.lead;
        let width = self.style.width;
        let label_width = self.headers[lead.min(self.headers.len())..]
            .iter()
            .map(|h| display_width(h) + 1)
            .max()
            .unwrap_or(0);
        for row in &self.rows {
            let name: Vec<&str> =
                row.iter().take(lead).map(Cell::content).filter(|t| !t.is_empty()).collect();
            let first = name.first().map_or(String::new(), |n| format!("{n}{joiner}"));
            let rest = name.get(1..).unwrap_or_default().join(joiner);
            let heading =
                if rest.is_empty() { name.first().copied().unwrap_or_default().to_string() } else { rest };
            let lines = if name.len() > 1 {
                wrap::hanging(&first, &heading, 0, width)
            } else {
                wrap::note(&heading, 0, width)
            };
            for line in lines {
                writeln!(out, "{}", Cell::new("").bold().paint(&line, self.style.color))?;
            }
            for (header, cell) in self.headers.iter().zip(row).skip(lead) {
                if cell.text.is_empty() {
                    continue;
                }
                let label = format!("{header}:");
                let lead = format!("{label:<label_width$} ");
                let at = FIELD_INDENT + lead.len();
                for line in wrap::hanging(&lead, &cell.text, FIELD_INDENT, width) {
                    match line.get(..at).zip(line.get(at..)) {
                        Some((label, value)) => {
                            writeln!(out, "{label}{}", cell.paint(value, self.style.color))?;
                        }
                        None => writeln!(out, "{line}")?,
                    }
                }
            }
        }
        Ok(())
    }
}

impl Grid {
    /// The lines comfy-table draws for `rows` in the house style without colour, drawn
    /// without it: it measured, split, aligned and joined every cell again, about a third of
    /// `status PROJECT` (docs/performance.md). Each cell's lines are padded to its column's
    /// width with a space each side, the columns a space apart, the header ruled with `─`.
    /// `None` where comfy-table would do more than that (a line wider than its column, which
    /// it splits; a row short of cells; a width it cannot hold), for it to draw. Widths are
    /// measured as it measures them (`unicode-width`), so the padding is the same.
    fn plain_lines(&self, widths: &[usize], rows: &[Vec<Cell>], header: bool) -> Option<Vec<String>> {
        // comfy-table's widths are `u16` with the padding, and never below one column.
        if widths.is_empty() || widths.iter().any(|&w| w == 0 || w + PADDING > usize::from(u16::MAX)) {
            return None;
        }
        let mut lines = Vec::new();
        if header {
            plain_row(&mut lines, &self.headers, widths)?;
            let rule: Vec<String> = widths.iter().map(|&w| "─".repeat(w + PADDING)).collect();
            lines.push(rule.join(" "));
        }
        for row in rows {
            if row.len() != widths.len() {
                return None;
            }
            let cells: Vec<String> =
                row.iter().zip(widths).map(|(cell, &w)| self.fill(&cell.text, w).join("\n")).collect();
            plain_row(&mut lines, &cells, widths)?;
        }
        Some(lines)
    }

    /// `text` wrapped on spaces to `width` columns (a word wider than that stays whole),
    /// each wrapping done once: the widths are tried several times before a table is
    /// drawn, and a portfolio repeats its titles (wrapping was a quarter of `status PROJECT`).
    fn fill(&self, text: &str, width: usize) -> Vec<String> {
        if widest_line(text) <= width && !text.contains('\n') {
            return vec![text.to_string()];
        }
        let mut wrapped = self.wrapped.borrow_mut();
        let by_text = wrapped.entry(width).or_default();
        if let Some(lines) = by_text.get(text) {
            return lines.clone();
        }
        let lines = wrap::block(text, 0, width);
        by_text.insert(text.to_string(), lines.clone());
        lines
    }
}

/// One row's lines into `lines`, as `plain_lines` draws them; `None` when a line of a
/// cell is wider than its column.
fn plain_row(lines: &mut Vec<String>, cells: &[String], widths: &[usize]) -> Option<()> {
    use unicode_width::UnicodeWidthStr;
    if cells.len() != widths.len() {
        return None;
    }
    let cells: Vec<Vec<&str>> = cells.iter().map(|text| text.split('\n').collect()).collect();
    let height = cells.iter().map(Vec::len).max().unwrap_or(0);
    for at in 0..height {
        let mut line = String::new();
        for (i, (cell, &width)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push(' ');
            }
            let text = cell.get(at).copied().unwrap_or_default();
            let pad = width.checked_sub(text.width())?;
            line.push(' ');
            line.push_str(text);
            line.extend(std::iter::repeat_n(' ', pad + 1));
        }
        lines.push(line);
    }
    Some(())
}

/// The width of the widest line of a cell's text: a cell may hold several lines.
fn widest_line(text: &str) -> usize {
    text.lines().map(display_width).max().unwrap_or(0)
}

/// How many lines the rows take, given each column's lines per row.
fn height(lines: &[Vec<usize>]) -> usize {
    let rows = lines.first().map_or(0, Vec::len);
    (0..rows).map(|r| lines.iter().map(|column| column[r]).max().unwrap_or(1)).sum()
}

/// Widths for columns that want `natural` and need at least `least` (their longest
/// word), within `room`: every column gets what it wants up to one level, the same for
/// all, none below its least, the level as high as the room allows; the columns left
/// short share what remains. `None` when even the least do not fit.
fn share(natural: &[usize], least: &[usize], room: usize) -> Option<Vec<usize>> {
    if least.iter().sum::<usize>() > room {
        return None;
    }
    let at = |level: usize| -> Vec<usize> {
        natural.iter().zip(least).map(|(&n, &l)| level.clamp(l, n.max(l))).collect()
    };
    let highest = natural.iter().copied().max().unwrap_or(0);
    // The highest level whose widths fit: widths grow with the level.
    let (mut low, mut high) = (0, highest);
    while low < high {
        let mid = (low + high).div_ceil(2);
        if at(mid).iter().sum::<usize>() <= room { low = mid } else { high = mid - 1 }
    }
    let mut widths = at(low);
    let mut spare = room - widths.iter().sum::<usize>();
    // One column more each for the first columns still short of what they want.
    for (width, &want) in widths.iter_mut().zip(natural) {
        if spare > 0 && *width < want {
            *width += 1;
            spare -= 1;
        }
    }
    Some(widths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(width: usize) -> Grid {
        let mut grid =
            Grid::new(Style { color: false, width }, &["#", "Step", "Owner", "Status"]).named_by(2, " ");
        grid.add_row(vec![
            Cell::new("1.1"),
            Cell::new("Equipo de sistemas y TI de Cabal, que va a ayudar con la parte técnica"),
            Cell::new("ENTIDADES"),
            Cell::new("done"),
        ]);
        grid.add_row(vec![Cell::new("1.2"), Cell::new("Lista Blanca."), Cell::new(""), Cell::new("ready")]);
        grid
    }

    fn written(grid: &Grid) -> String {
        let mut out = Vec::new();
        grid.write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn columns_that_fit_get_what_they_want_and_the_rest_share_what_is_left() {
        assert_eq!(share(&[3, 50, 10], &[3, 10, 10], 80), Some(vec![3, 50, 10]));
        assert_eq!(share(&[3, 50, 40], &[3, 10, 10], 60), Some(vec![3, 29, 28]));
        assert_eq!(share(&[3, 50, 12], &[3, 10, 12], 40), Some(vec![3, 25, 12]));
        // A long word keeps its column wide; the others make room.
        assert_eq!(share(&[5, 60, 60], &[5, 40, 8], 70), Some(vec![5, 40, 25]));
        assert_eq!(share(&[5, 60], &[5, 60], 40), None);
    }

    #[test]
    fn a_table_that_fits_keeps_every_cell_on_one_line() {
        assert_eq!(
            written(&grid(100)),
            " #     Step                                                                     Owner       Status
───── ──────────────────────────────────────────────────────────────────────── ─────────── ────────
 1.1   Equipo de sistemas y TI de Cabal, que va a ayudar con la parte técnica   ENTIDADES   done
 1.2   Lista Blanca.                                                                        ready
"
        );
    }

    #[test]
    fn a_table_too_wide_wraps_its_longest_column_on_spaces_and_pads_none() {
        assert_eq!(
            written(&grid(80)),
            " #     Step                                                Owner       Status
───── ─────────────────────────────────────────────────── ─────────── ────────
 1.1   Equipo de sistemas y TI de Cabal, que va a ayudar   ENTIDADES   done
       con la parte técnica
 1.2   Lista Blanca.                                                   ready
"
        );
    }

    #[test]
    fn below_80_columns_each_row_is_a_block() {
        assert_eq!(
            written(&grid(40)),
            "1.1 Equipo de sistemas y TI de Cabal,
    que va a ayudar con la parte técnica
  Owner:  ENTIDADES
  Status: done
1.2 Lista Blanca.
  Status: ready
"
        );
    }

    #[test]
    fn a_numbered_cell_narrowed_below_its_hanging_lines_is_no_panic() {
        for width in [60, 80] {
            let mut grid = Grid::new(Style { color: false, width }, &["What", "A", "B"]);
            let (a, b) = (format!("{} b", "a".repeat(32)), format!("{} d", "c".repeat(32)));
            grid.add_row(vec![Cell::new("1.2 `setup`"), Cell::new(a), Cell::new(b)]);
            assert!(written(&grid).contains("`setup`"));
        }
    }

    #[test]
    fn a_stacked_value_is_painted_line_by_line() {
        let cell = Cell::new("late").fg(Color::Red).bold();
        assert_eq!(cell.paint("late", true), "\x1b[1;31mlate\x1b[0m");
        assert_eq!(cell.paint("late", false), "late");
    }

    #[test]
    fn a_long_table_drawn_in_batches_is_the_table_drawn_at_once() {
        for color in [false, true] {
            let mut grid = Grid::new(Style { color, width: 100 }, &["Project", "What", "State"]);
            // Past two batches, with the widest and the wrapped cells in the last one.
            for i in 0..ROWS_AT_A_TIME * 2 + 7 {
                let what = if i > ROWS_AT_A_TIME * 2 {
                    "Firma del contrato de adhesión ".repeat(3)
                } else {
                    format!("{i}")
                };
                grid.add_row(vec![
                    Cell::new(format!("coop-{i}")),
                    Cell::new(what),
                    Cell::new("overdue").fg(Color::Red),
                ]);
            }
            let widths = grid.column_widths().unwrap();
            let (mut batched, mut whole) = (Vec::new(), Vec::new());
            grid.write(&mut batched).unwrap();
            grid.write_batch(&mut whole, &widths, &grid.rows, true).unwrap();
            assert_eq!(String::from_utf8(batched).unwrap(), String::from_utf8(whole).unwrap());
        }
    }

    #[test]
    fn a_plain_table_is_drawn_as_comfy_table_draws_it() {
        // Wide and combining characters, an emoji sequence, empty cells, several lines
        // in a cell, a word wider than its column and a header wider than its column.
        let texts = [
            "Conexión VPN (Producción y PreProducción).",
            "東京の チーム が 確認 する",
            "👩‍💻 revisa ✔️ la e\u{301}tapa",
            "",
            "one\ntwo lines\n\nand a blank one",
            "Facturacion/Archivos/Entrada",
            "x",
        ];
        let mut drawn = 0;
        for width in [80, 90, 120] {
            for (n, header) in [(0, "Step"), (1, "A header wider than any of its cells"), (2, "Due")] {
                let mut grid = Grid::new(Style { color: false, width }, &["#", header, "Owner", "Done"]);
                for (i, text) in texts.iter().enumerate() {
                    let other = texts[(i + n + 1) % texts.len()];
                    grid.add_row(vec![
                        Cell::new(format!("{i}.{n}")),
                        Cell::new(*text),
                        Cell::new(other),
                        Cell::new(""),
                    ]);
                }
                // Too narrow for the columns, the table is stacked instead.
                let Some(widths) = grid.column_widths() else { continue };
                // Drawn here, not left to comfy-table.
                // A header narrowed below its text is comfy-table's to split.
                let fits = grid.plain_lines(&widths, &grid.rows, true).is_some();
                assert_eq!(fits, widths[1] >= header.len(), "width {width}, {header}");
                drawn += usize::from(fits);
                for first in [true, false] {
                    let (mut plain, mut comfy) = (Vec::new(), Vec::new());
                    grid.write_batch(&mut plain, &widths, &grid.rows, first).unwrap();
                    grid.write_comfy(&mut comfy, &widths, &grid.rows, first).unwrap();
                    assert_eq!(
                        String::from_utf8(plain).unwrap(),
                        String::from_utf8(comfy).unwrap(),
                        "width {width}"
                    );
                }
                // Narrowed below what a cell needs, both split the same (comfy-table draws it).
                let narrow: Vec<usize> = widths.iter().map(|w| w / 2).collect();
                let (mut plain, mut comfy) = (Vec::new(), Vec::new());
                grid.write_batch(&mut plain, &narrow, &grid.rows, true).unwrap();
                grid.write_comfy(&mut comfy, &narrow, &grid.rows, true).unwrap();
                assert_eq!(plain, comfy);
            }
        }
        assert!(drawn >= 6, "{drawn} tables drawn in columns");
    }
}
