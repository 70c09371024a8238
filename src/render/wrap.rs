//! Filling text to a width for the reading layouts. A description keeps the lines its
//! author wrote (headings, bullets, sub-bullets): only a line longer than the width is
//! wrapped, on spaces, with its continuation indented under the text of its bullet.

use textwrap::core::display_width;
use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm};

/// Wraps `text` to `width` columns, every line starting `indent` spaces in.
pub(crate) fn block(text: &str, indent: usize, width: usize) -> Vec<String> {
    hanging("", text, indent, width)
}

/// Wraps `text` after `lead` (a number, a bullet): the first line starts `indent` spaces
/// in with `lead`, and every later line, wrapped or written so, hangs under the text
/// after `lead`, so the lead stands out on the left as in a numbered document.
pub(crate) fn hanging(lead: &str, text: &str, indent: usize, width: usize) -> Vec<String> {
    fill(&format!("{}{lead}", spaces(indent)), &spaces(indent + display_width(lead)), text, width)
}

/// Wraps a note such as `due within 3 business days (…)` or a heading: its first line
/// starts `indent` spaces in, the others two further, so it reads as one item.
pub(crate) fn note(text: &str, indent: usize, width: usize) -> Vec<String> {
    fill(&spaces(indent), &spaces(indent + 2), text, width)
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// Every line of `text`, the first after `first`, the others after `hang`.
fn fill(first: &str, hang: &str, text: &str, width: usize) -> Vec<String> {
    // A block scalar ends with a newline; it is no blank line of the text.
    let mut lines: Vec<String> = Vec::new();
    for (i, line) in text.trim_end().lines().enumerate() {
        lines.extend(source_line(line.trim_end(), if i == 0 { first } else { hang }, hang, width));
    }
    if lines.is_empty() {
        lines.push(first.trim_end().to_string());
    }
    lines
}

/// One line as its author wrote it, after `first` (its first line) or `rest` (the others).
fn source_line(line: &str, first: &str, rest: &str, width: usize) -> Vec<String> {
    if line.is_empty() {
        return vec![String::new()];
    }
    let content = line.trim_start();
    let own_indent = &line[..line.len() - content.len()];
    let marker = &content[..marker_len(content)];
    let initial = format!("{first}{own_indent}{marker}");
    let subsequent = format!("{rest}{own_indent}{}", " ".repeat(display_width(marker)));
    // Break on spaces only and never inside a word: a URL, a path or `Facturacion/Archivos`
    // stays whole even when it is wider than the line, and so does a `code span`.
    let options = Options::new(width)
        .initial_indent(&initial)
        .subsequent_indent(&subsequent)
        .break_words(false)
        .word_separator(WordSeparator::AsciiSpace)
        .word_splitter(WordSplitter::NoHyphenation)
        .wrap_algorithm(WrapAlgorithm::FirstFit);
    let text = glue_code_spans(&content[marker.len()..]);
    textwrap::wrap(&text, options).into_iter().map(|l| l.trim_end().replace(GLUE, " ")).collect()
}

/// Stands for a space inside a code span while wrapping: a private-use character, so no
/// real text is changed (a no-break space would be).
const GLUE: char = '\u{E000}';

/// The spaces of every closed `code span` glued, so `--set calendar=ID` wraps as one word
/// and a reader can copy it from one line.
fn glue_code_spans(text: &str) -> String {
    let total = text.matches('`').count();
    let mut seen = 0;
    text.chars()
        .map(|c| {
            seen += usize::from(c == '`');
            // An odd last backtick opens nothing.
            let inside = seen % 2 == 1 && seen < total;
            if c == ' ' && inside { GLUE } else { c }
        })
        .collect()
}

/// The length in bytes of the bullet or number that opens a list item, with its spaces
/// (`- `, `* `, `• `, `1. `, `3.2.1 `, `2.1- `, `a) `); 0 for any other line.
fn marker_len(line: &str) -> usize {
    let token = line.split(' ').next().unwrap_or_default();
    if token.len() == line.len() {
        return 0;
    }
    let is_bullet = matches!(token, "-" | "*" | "+" | "•" | "–" | "·");
    let is_number = token.starts_with(|c: char| c.is_ascii_digit())
        && token.trim_end_matches(['.', ')', '-']).chars().all(|c| c.is_ascii_digit() || c == '.')
        && (token.contains('.') || token.ends_with([')', '-']));
    let is_letter =
        token.len() == 2 && token.starts_with(|c: char| c.is_ascii_lowercase()) && token.ends_with(')');
    if !(is_bullet || is_number || is_letter) {
        return 0;
    }
    let spaces = line[token.len()..].len() - line[token.len()..].trim_start_matches(' ').len();
    token.len() + spaces
}

/// A writer that wraps every line written through it as `note` does: lines of the
/// program's own `label: value` reports (`explain`), which are written whole with
/// `writeln!` and should not care about the width.
pub(crate) struct Wrapping<W: std::io::Write> {
    inner: W,
    width: usize,
    pending: Vec<u8>,
}

impl<W: std::io::Write> Wrapping<W> {
    pub(crate) fn new(inner: W, width: usize) -> Wrapping<W> {
        Wrapping { inner, width, pending: Vec::new() }
    }

    /// The writer underneath, after what is left of a last unfinished line.
    pub(crate) fn into_inner(mut self) -> std::io::Result<W> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.write_line(&String::from_utf8_lossy(&rest))?;
        }
        Ok(self.inner)
    }

    fn write_line(&mut self, line: &str) -> std::io::Result<()> {
        for part in note(line, 0, self.width) {
            writeln!(self.inner, "{part}")?;
        }
        Ok(())
    }
}

impl<W: std::io::Write> std::io::Write for Wrapping<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            self.write_line(&String::from_utf8_lossy(&line[..end]))?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(lines: Vec<String>) -> String {
        lines.iter().map(|l| format!("{l}\n")).collect()
    }

    #[test]
    fn a_heading_and_its_bullets_keep_their_lines_and_bullets_hang_at_40() {
        let text = "Requisitos:\n- Conexión VPN (Producción y PreProducción) pedida por INFRAESTRUCTURA\n  - el documento de la VPN firmado por el participante\n- Lista blanca\n";
        assert_eq!(
            wrapped(block(text, 2, 40)),
            "  Requisitos:
  - Conexión VPN (Producción y
    PreProducción) pedida por
    INFRAESTRUCTURA
    - el documento de la VPN firmado por
      el participante
  - Lista blanca
"
        );
    }

    #[test]
    fn a_word_longer_than_the_line_stays_whole() {
        let text = "Extranet: https://www.canalpremium.telefonica.es/portal/site/inicio/login para descargar";
        assert_eq!(
            wrapped(block(text, 4, 40)),
            "    Extranet:
    https://www.canalpremium.telefonica.es/portal/site/inicio/login
    para descargar
"
        );
    }

    #[test]
    fn words_with_hyphens_and_slashes_are_not_split() {
        let text = "Aller dans le menu Facturacion/Archivos de pre-production";
        assert_eq!(
            wrapped(block(text, 0, 30)),
            "Aller dans le menu\nFacturacion/Archivos de\npre-production\n"
        );
    }

    #[test]
    fn a_code_span_wraps_as_one_word() {
        let text = "Un equipo elige otro calendario con `--set calendar=ID` al empezar; un ` suelto no.";
        assert_eq!(
            wrapped(block(text, 0, 40)),
            "Un equipo elige otro calendario con
`--set calendar=ID` al empezar; un `
suelto no.
"
        );
    }

    #[test]
    fn a_lead_hangs_over_every_line_of_its_text() {
        let text = "SISTEMAS debe enviar por correo a OPERACIONES y ENTIDADES [notify-development-done]\n1. primero\n";
        assert_eq!(
            wrapped(hanging("III.1 ", text, 2, 40)),
            "  III.1 SISTEMAS debe enviar por correo
        a OPERACIONES y ENTIDADES
        [notify-development-done]
        1. primero
"
        );
    }

    #[test]
    fn a_note_continues_two_columns_in() {
        let text = "due within 10 business days after certification.start («Tiempo máximo estimado 10 días hábiles.»)";
        assert_eq!(
            wrapped(note(text, 2, 40)),
            "  due within 10 business days after
    certification.start («Tiempo máximo
    estimado 10 días hábiles.»)
"
        );
    }

    #[test]
    fn blank_lines_stay_and_the_final_newline_goes() {
        assert_eq!(wrapped(block("Uno.\n\nDos.\n", 2, 40)), "  Uno.\n\n  Dos.\n");
        assert_eq!(wrapped(hanging("- ", "", 2, 40)), "  -\n");
    }

    #[test]
    fn a_wrapping_writer_wraps_each_line_it_is_given() {
        use std::io::Write;
        let mut out = Wrapping::new(Vec::new(), 30);
        write!(out, "rule: due within 10 business days ").unwrap();
        writeln!(out, "after certification.start").unwrap();
        write!(out, "due: 2026-04-03").unwrap();
        let text = String::from_utf8(out.into_inner().unwrap()).unwrap();
        assert_eq!(
            text,
            "rule: due within 10 business\n  days after\n  certification.start\ndue: 2026-04-03\n"
        );
    }

    #[test]
    fn list_markers_are_bullets_numbers_and_letters_but_not_plain_words() {
        let found: Vec<usize> = ["- a", "•  a", "1. a", "3.2.1 a", "b) a", "2026 fue", "Nota: a", "-", "-x"]
            .map(marker_len)
            .into();
        assert_eq!(found, [2, 5, 3, 6, 3, 0, 0, 0, 0]);
    }
}
