//! Problems found in a playbook file, each with its place, and how they are shown: as
//! rustc shows its errors (annotate-snippets), the whole value or key underlined.

use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use saphyr_parser::{Event, Parser};

use crate::text::Location;

/// One problem in a playbook: what is wrong, where, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    pub message: String,
    pub location: Option<Location>,
    pub hint: Option<String>,
}

/// Every problem found in one playbook file; it is the error of `load` and `parse`.
#[derive(Debug, Clone)]
pub(crate) struct PlaybookError {
    /// The file as the user knows it: a path, or `bundled:<id>.yaml`.
    pub file: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl PlaybookError {
    /// Every diagnostic as rustc prints an error: `error: message`, ` --> file:line:col`,
    /// the source line with the node underlined, then `= hint: …`. `styled` adds colour.
    pub(crate) fn render(&self, styled: bool) -> String {
        let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
        let mut out = String::new();
        // Indexed once: a file may have as many problems as lines.
        let index = Index::new(&self.text);
        for (n, diagnostic) in self.diagnostics.iter().enumerate() {
            // A blank line between two, as rustc separates its errors.
            if n > 0 {
                out.push('\n');
            }
            let mut group = Group::with_title(Level::ERROR.primary_title(diagnostic.message.as_str()));
            let origin = Origin::path(self.file.as_str());
            group = match diagnostic.location {
                Some(at) => match self.snippet(&index, at) {
                    Some(snippet) => group.element(snippet),
                    None => group.element(origin.line(at.line).char_column(at.column)),
                },
                None => group.element(origin),
            };
            if let Some(hint) = &diagnostic.hint {
                group = group.element(Level::HELP.with_name("hint").message(hint.as_str()));
            }
            out.push_str(&renderer.render(&[group]));
            out.push('\n');
        }
        out
    }

    /// The line at `at` with the node that starts there underlined; `None` past the end.
    fn snippet<'a>(
        &'a self,
        index: &Index<'a>,
        at: Location,
    ) -> Option<Snippet<'a, annotate_snippets::Annotation<'a>>> {
        let start = *index.line_starts.get(at.line.checked_sub(1)?)?;
        let line = self.text[start..].lines().next().unwrap_or_default();
        let span = underline(line, at.column, node_end(index, at));
        let snippet = Snippet::source(line).line_start(at.line).path(self.file.as_str());
        Some(snippet.annotation(AnnotationKind::Primary.span(span)))
    }
}

/// A file's line starts and YAML events, computed once for all its diagnostics.
struct Index<'a> {
    /// The byte offset where each line starts (the first line is 1).
    line_starts: Vec<usize>,
    /// The events in document order, so sorted by where they start.
    events: Vec<(Event<'a>, saphyr_parser::Span)>,
}

impl<'a> Index<'a> {
    fn new(text: &'a str) -> Index<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&start| start < text.len())
            .collect();
        let events = Parser::new_from_str(text).map_while(Result::ok).collect();
        Index { line_starts, events }
    }
}

/// The bytes of `line` to underline: from 1-based `column` to the char column `end`
/// where the node ends, else to the end of the word there (a place YAML could not parse).
fn underline(line: &str, column: usize, end: Option<usize>) -> Range<usize> {
    let byte_of = |chars: usize| line.char_indices().nth(chars).map_or(line.len(), |(i, _)| i);
    let start = byte_of(column.saturating_sub(1));
    let end = match end.map(byte_of) {
        Some(end) if end > start => end,
        _ => line[start..].find(char::is_whitespace).map_or(line.len(), |n| start + n),
    };
    start..end.max(start)
}

/// The 0-based char column, on the line of `at`, where the node that starts at `at` ends:
/// a scalar's last character, or the last one of a mapping or sequence that stays on that
/// line (a step's `- id: contact-list`). `None` when no node starts there.
fn node_end(index: &Index<'_>, at: Location) -> Option<usize> {
    let starts_node = |event: &Event<'_>| {
        matches!(
            event,
            Event::Scalar(..) | Event::Alias(_) | Event::MappingStart(..) | Event::SequenceStart(..)
        )
    };
    // Events start in document order: find the first at `at`, then skip the stream and
    // the document start, which start where the first node does.
    let place = |span: &saphyr_parser::Span| (span.start.line(), span.start.col() + 1);
    let first_at = index.events.partition_point(|(_, span)| place(span) < (at.line, at.column));
    let mut events = index.events[first_at..]
        .iter()
        .take_while(|(_, span)| place(span) == (at.line, at.column) || span.start.line() == at.line)
        .skip_while(|(event, span)| !starts_node(event) || place(span) != (at.line, at.column))
        .map(|(event, span)| (event, *span));
    let (first, span) = events.next()?;
    let on_line = |marker: saphyr_parser::Marker| (marker.line() == at.line).then_some(marker.col());
    match first {
        Event::MappingStart(..) | Event::SequenceStart(..) => {}
        Event::Scalar(..) | Event::Alias(_) => return on_line(span.end),
        _ => return None,
    }
    let (mut depth, mut end) = (1usize, on_line(span.end));
    for (event, span) in events {
        if span.start.line() != at.line {
            break;
        }
        // A flow collection's end spans the comment after its bracket: stop at the bracket.
        let last = match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                depth += 1;
                span.end
            }
            Event::MappingEnd | Event::SequenceEnd => {
                depth -= 1;
                span.start
            }
            _ => span.end,
        };
        let closes = matches!(event, Event::MappingEnd | Event::SequenceEnd);
        end = end.max(on_line(last).map(|col| col + usize::from(closes)));
        if depth == 0 {
            break;
        }
    }
    end
}

impl fmt::Display for PlaybookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.diagnostics.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        write!(f, "playbook `{}` has {count} {noun}", self.file)
    }
}

impl std::error::Error for PlaybookError {}

/// ``did you mean `title`?``: the hint for a likely typo of one of `candidates`.
pub(crate) fn did_you_mean_hint<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean(word, candidates).map(|close| format!("did you mean `{close}`?"))
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(&word.to_lowercase(), &candidate.to_lowercase()), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str, line: usize, column: usize, message: &str, hint: Option<&str>) -> PlaybookError {
        PlaybookError {
            file: "playbooks/x.yaml".into(),
            text: text.into(),
            diagnostics: vec![Diagnostic {
                message: message.into(),
                location: Some(Location { line, column }),
                hint: hint.map(String::from),
            }],
        }
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("titel", ["id", "title", "owner"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["id", "title", "owner"]), None);
    }

    #[test]
    fn renders_file_line_column_the_whole_key_and_the_hint() {
        let error = error(
            "id: x\ntitel: X\n",
            2,
            1,
            "unknown key `titel` in the playbook",
            Some("did you mean `title`?"),
        );
        assert_eq!(
            error.render(false),
            "error: unknown key `titel` in the playbook\n --> playbooks/x.yaml:2:1\n  |\n2 | titel: X\n  | ^^^^^\n  |\n  = hint: did you mean `title`?\n"
        );
    }

    fn rendered(text: &str, line: usize, column: usize) -> String {
        error(text, line, column, "bad", None).render(false)
    }

    #[test]
    fn the_underline_stays_under_wide_characters() {
        let text = "- {title: 日本の組合, owner: ENTIDADES}\n";
        assert_eq!(
            rendered(text, 1, 25),
            "error: bad\n --> playbooks/x.yaml:1:25\n  |\n1 | - {title: 日本の組合, owner: ENTIDADES}\n  |                              ^^^^^^^^^\n"
        );
    }

    #[test]
    fn the_arrow_lines_up_with_two_digit_line_numbers() {
        let text = format!("{}owner: ENTIDADES\n", "# -\n".repeat(11));
        assert_eq!(
            rendered(&text, 12, 8),
            "error: bad\n  --> playbooks/x.yaml:12:8\n   |\n12 | owner: ENTIDADES\n   |        ^^^^^^^^^\n"
        );
    }

    #[test]
    fn a_mapping_is_underlined_as_far_as_it_goes_on_its_line() {
        let text = "steps:\n  - id: contact-list  # the list\n    owner: X\n";
        assert!(
            rendered(text, 2, 5)
                .ends_with("2 |   - id: contact-list  # the list\n  |     ^^^^^^^^^^^^^^^^\n")
        );
        let flow = "after: [a, b]  # two\n";
        assert!(rendered(flow, 1, 8).ends_with("1 | after: [a, b]  # two\n  |        ^^^^^^\n"));
    }

    #[test]
    fn the_whole_document_is_underlined_as_far_as_its_first_line_goes() {
        assert!(
            rendered("id: Coop Broken\ntitle: X\n", 1, 1)
                .ends_with("1 | id: Coop Broken\n  | ^^^^^^^^^^^^^^^\n")
        );
    }

    #[test]
    fn a_place_yaml_could_not_read_underlines_its_word() {
        let text = "id: x\n<<<<<<< HEAD\n";
        assert!(rendered(text, 2, 1).ends_with("2 | <<<<<<< HEAD\n  | ^^^^^^^\n"));
        assert!(rendered("id: x\n", 1, 6).ends_with("1 | id: x\n  |      ^\n"));
    }

    #[test]
    fn without_a_place_the_file_is_named_and_problems_are_apart() {
        let mut error = error("id: x\n", 9, 1, "past the end", None);
        error.diagnostics.push(Diagnostic {
            message: "too big".into(),
            location: None,
            hint: Some("split it".into()),
        });
        assert_eq!(
            error.render(false),
            "error: past the end\n--> playbooks/x.yaml:9:1\n\nerror: too big\n--> playbooks/x.yaml\n = hint: split it\n"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let error = error("id: x\n", 1, 5, "bad", Some("fix it"));
        assert!(!error.render(false).contains('\x1b'));
        assert!(error.render(true).contains("\x1b["));
    }
}
