//! The text of the YAML files onboard reads: reading it bounded, its size and depth, repeated
//! keys, git's conflict markers, and where each key and value sits, by path
//! (`phases[2].steps[0].after[1]`). It knows no other module of the crate.
//!
//! serde gives no spans for values, so validation reports a path and this index turns
//! it into `line:column`. It reads the document once, with saphyr's event parser.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Read};
use std::path::Path;

use saphyr_parser::{Event, Parser};

/// A 1-based line and column in a source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// Locations of every node of a document, keyed by path.
#[derive(Debug, Default)]
pub(crate) struct LocationIndex {
    values: HashMap<String, Location>,
    keys: HashMap<String, Location>,
}

enum Frame {
    Mapping { path: String, key: Option<(String, Location)> },
    Sequence { path: String, next: usize },
}

impl LocationIndex {
    /// Indexes `text`; a document that does not parse yields what was read before the error.
    pub(crate) fn new(text: &str) -> LocationIndex {
        let mut index = LocationIndex::default();
        let mut stack: Vec<Frame> = Vec::new();
        for event in Parser::new_from_str(text) {
            let Ok((event, span)) = event else { break };
            let here = Location { line: span.start.line(), column: span.start.col() + 1 };
            match event {
                Event::Scalar(..) | Event::Alias(_) => {
                    if let Some(Frame::Mapping { key: key @ None, .. }) = stack.last_mut() {
                        let name = match &event {
                            Event::Scalar(value, ..) => value.to_string(),
                            _ => String::from("*"),
                        };
                        *key = Some((name, here));
                        continue;
                    }
                    index.node(&mut stack, here);
                }
                Event::MappingStart(..) => {
                    let path = index.node(&mut stack, here);
                    stack.push(Frame::Mapping { path, key: None });
                }
                Event::SequenceStart(..) => {
                    let path = index.node(&mut stack, here);
                    stack.push(Frame::Sequence { path, next: 0 });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                _ => {}
            }
        }
        index
    }

    /// Records a node that starts at `here` and returns its path.
    fn node(&mut self, stack: &mut [Frame], here: Location) -> String {
        let path = match stack.last_mut() {
            None => String::new(),
            Some(Frame::Sequence { path, next }) => {
                *next += 1;
                format!("{path}[{}]", *next - 1)
            }
            Some(Frame::Mapping { path, key }) => {
                let (name, key_at) = key.take().unwrap_or_else(|| (String::from("?"), here));
                let full = join(path, &name);
                self.keys.insert(full.clone(), key_at);
                full
            }
        };
        self.values.insert(path.clone(), here);
        path
    }

    /// Where the value at `path` starts, or the nearest enclosing node that exists.
    pub(crate) fn value(&self, path: &str) -> Option<Location> {
        self.nearest(path, &self.values)
    }

    /// Where the key of `path` stands (falls back to its value, then to its parents).
    pub(crate) fn key(&self, path: &str) -> Option<Location> {
        self.keys.get(path).copied().or_else(|| self.value(path))
    }

    fn nearest(&self, path: &str, map: &HashMap<String, Location>) -> Option<Location> {
        let mut path = path;
        loop {
            if let Some(found) = map.get(path) {
                return Some(*found);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

/// The first key that a mapping repeats, at the repeated key's own line and column.
/// serde keeps one of the two silently (or names the mapping's first line), and the next
/// write would drop the other with its history, so every reader refuses duplicates here.
/// A text too deeply nested to be walked has none to report.
pub(crate) fn first_duplicate_key(text: &str) -> Option<(Location, String)> {
    match walk(text, true) {
        Err(Flaw::DuplicateKey(at, key)) => Some((at, key)),
        _ => None,
    }
}

/// The largest file onboard reads: a playbook is some kilobytes, a project file with a
/// long history some tens. Beyond this, a file is not one onboard wrote or one a person
/// means to give it.
pub(crate) const MAX_BYTES: usize = 4 * 1024 * 1024;

/// The deepest nesting of mappings and sequences accepted. Playbooks and project files
/// nest five or six levels; a deep document would cost memory with the square of its
/// depth where paths are indexed.
pub(crate) const MAX_DEPTH: usize = 64;

/// Why a text of `len` bytes is not read.
fn too_large(len: u64) -> String {
    format!("the file has {len} bytes, more than the {MAX_BYTES} onboard reads")
}

/// Reads a file onboard reads as text: a file (or a link to one) of at most `MAX_BYTES`,
/// never more than that into memory. A folder, a named pipe or a device is refused before
/// it is opened: reading one could wait for ever, or never end. A file too large gives
/// `ErrorKind::FileTooLarge`; one that is not UTF-8, `InvalidData`.
pub(crate) fn read_text(path: &Path) -> io::Result<String> {
    let meta = fs::metadata(path)?;
    if meta.is_dir() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "it is a folder, not a file"));
    }
    if !meta.is_file() {
        let message = "it is not a regular file (a named pipe, a device or a socket)";
        return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
    }
    let limit = MAX_BYTES as u64;
    if meta.len() > limit {
        return Err(io::Error::new(io::ErrorKind::FileTooLarge, too_large(meta.len())));
    }
    read_bounded(fs::File::open(path)?, meta.len() as usize)
}

/// The rest of `read_text`, for a file already opened and known to be a regular file:
/// at most `MAX_BYTES` read, and UTF-8. `expected` is how long it should be.
pub(crate) fn read_bounded(file: fs::File, expected: usize) -> io::Result<String> {
    let limit = MAX_BYTES as u64;
    let mut bytes = Vec::with_capacity(expected.min(MAX_BYTES));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    // The file grew after it was measured, or was never measured.
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(io::ErrorKind::FileTooLarge, too_large(bytes.len() as u64)));
    }
    String::from_utf8(bytes).map_err(|error| {
        let at = error.utf8_error().valid_up_to();
        io::Error::new(io::ErrorKind::InvalidData, format!("it is not UTF-8 text (byte {at} is not)"))
    })
}

/// What a text is refused for before anything builds a tree of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Flaw {
    /// Too large or too deeply nested to be one of onboard's files: where, and why.
    Shape(Option<Location>, String),
    /// A key its mapping repeats, at the repeat.
    DuplicateKey(Location, String),
}

/// Refuses a text too large or too deeply nested to be one of onboard's files, before
/// anything builds a tree of it: where, and why.
pub(crate) fn check_shape(text: &str) -> Result<(), (Option<Location>, String)> {
    if cannot_be_too_deep(text) {
        return Ok(());
    }
    match walk(text, false) {
        Err(Flaw::Shape(at, message)) => Err((at, message)),
        _ => Ok(()),
    }
}

/// Whether `text` is within `MAX_BYTES` and too poor in indicators to nest past
/// `MAX_DEPTH`, so that `check_shape` need not parse it (a project's event files, read by
/// the thousand: the parse was an eighth of `status PROJECT`). Every mapping or sequence
/// opens at an indicator of its own: `[` or `{`, the `-` of its first entry, the `?` or
/// `:` of its first key. A text with at most half `MAX_DEPTH` of these bytes (half, for a
/// margin) cannot nest deeper, nor reach the scanner's own limit of 255 flow levels.
fn cannot_be_too_deep(text: &str) -> bool {
    let indicators = text.bytes().filter(|b| matches!(b, b'[' | b'{' | b'-' | b'?' | b':')).count();
    text.len() <= MAX_BYTES && indicators <= MAX_DEPTH / 2
}

/// `check_shape` and `first_duplicate_key` in one reading of the text, for files whose
/// every read checks both (a playbook): a shape problem first, as it stops everything.
pub(crate) fn check_document(text: &str) -> Result<(), Flaw> {
    walk(text, true)
}

/// Reads `text` once with saphyr's event parser, checking its size and depth and, with
/// `keys`, that no mapping repeats a key. A syntax error ends the walk without a flaw:
/// it is for the YAML parser that reads the file next to report, with its own words.
fn walk(text: &str, keys: bool) -> Result<(), Flaw> {
    enum Open {
        Mapping { keys: HashSet<String>, key_next: bool },
        Sequence,
    }
    if text.len() > MAX_BYTES {
        return Err(Flaw::Shape(None, too_large(text.len() as u64)));
    }
    let too_deep =
        |at: Location| Flaw::Shape(Some(at), format!("the file nests more than {MAX_DEPTH} levels deep"));
    let mut stack: Vec<Open> = Vec::new();
    let mut duplicate = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(found) => found,
            // The scanner gives up on deep flow nesting ahead of the events, where the
            // YAML parser that would read the file next takes the square of the depth.
            Err(error) if error.info().contains("recursion limit") => {
                return Err(too_deep(Location {
                    line: error.marker().line(),
                    column: error.marker().col() + 1,
                }));
            }
            Err(_) => break,
        };
        let here = Location { line: span.start.line(), column: span.start.col() + 1 };
        let starts_node = matches!(
            event,
            Event::Scalar(..) | Event::Alias(_) | Event::MappingStart(..) | Event::SequenceStart(..)
        );
        if starts_node && let Some(Open::Mapping { keys: seen, key_next }) = stack.last_mut() {
            let is_key = *key_next;
            *key_next = !is_key;
            if is_key && let Event::Scalar(key, ..) = &event {
                if keys && duplicate.is_none() && !seen.insert(key.to_string()) {
                    duplicate = Some(Flaw::DuplicateKey(here, key.to_string()));
                }
                continue;
            }
        }
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) if stack.len() >= MAX_DEPTH => {
                return Err(too_deep(here));
            }
            Event::MappingStart(..) => stack.push(Open::Mapping { keys: HashSet::new(), key_next: true }),
            Event::SequenceStart(..) => stack.push(Open::Sequence),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    duplicate.map_or(Ok(()), Err)
}

/// A line of git's conflict markers, by what it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    /// `<<<<<<<`: our side.
    Ours,
    /// `|||||||`: the common base (diff3 style).
    Base,
    /// `=======`: their side.
    Theirs,
    /// `>>>>>>>`: the end of the conflict.
    End,
}

/// The conflict marker a line is, if any. Every file onboard reads refuses them.
pub(crate) fn conflict_marker(line: &str) -> Option<Marker> {
    if line.starts_with("<<<<<<<") {
        Some(Marker::Ours)
    } else if line.starts_with("|||||||") {
        Some(Marker::Base)
    } else if line.len() >= 7 && line.bytes().all(|b| b == b'=') {
        // Any length: `conflict-marker-size` in `.gitattributes` makes them longer.
        Some(Marker::Theirs)
    } else if line.starts_with(">>>>>>>") {
        Some(Marker::End)
    } else {
        None
    }
}

/// The 1-based line of the first conflict marker, if any.
pub(crate) fn first_conflict_marker(text: &str) -> Option<usize> {
    text.lines().position(|line| conflict_marker(line).is_some()).map(|i| i + 1)
}

/// `join("phases[0]", "id")` is `phases[0].id`; at the root it is just `id`.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "id: coop\nphases:\n  - id: kickoff\n    steps:\n      - id: a\n        after: [b, c]\n";

    #[test]
    fn finds_keys_values_and_sequence_items() {
        let index = LocationIndex::new(TEXT);
        assert_eq!(index.value("id"), Some(Location { line: 1, column: 5 }));
        assert_eq!(index.key("phases[0].id"), Some(Location { line: 3, column: 5 }));
        assert_eq!(index.value("phases[0].steps[0].after[1]"), Some(Location { line: 6, column: 20 }));
    }

    #[test]
    fn finds_a_repeated_key_at_its_own_line() {
        let text = "steps:\n  a:\n  - at: 1\n    by: ana\n  b: []\n  a:\n  - at: 2\n";
        assert_eq!(first_duplicate_key(text), Some((Location { line: 6, column: 3 }, "a".to_string())));
        let nested = "- {at: 1, by: ana}\n- {at: 1, by: ana, at: 2}\n";
        assert_eq!(first_duplicate_key(nested).map(|(at, key)| (at.line, key)), Some((2, "at".to_string())));
        assert_eq!(first_duplicate_key("a: {b: 1}\nc: {b: 2}\n"), None);
    }

    #[test]
    fn reads_files_only_and_never_more_than_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        fs::write(&path, "id: a\n").unwrap();
        assert_eq!(read_text(&path).unwrap(), "id: a\n");
        assert_eq!(read_text(dir.path()).unwrap_err().to_string(), "it is a folder, not a file");
        fs::write(&path, vec![b'#'; MAX_BYTES + 1]).unwrap();
        let error = read_text(&path).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(error.to_string(), "the file has 4194305 bytes, more than the 4194304 onboard reads");
        fs::write(&path, b"id: \xff\n").unwrap();
        assert_eq!(read_text(&path).unwrap_err().to_string(), "it is not UTF-8 text (byte 4 is not)");
        assert_eq!(read_text(&dir.path().join("none")).unwrap_err().kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn deep_flow_nesting_is_refused_however_deep() {
        for depth in [65, 300, 1_000_000] {
            let text = format!("a: {}", "[".repeat(depth));
            let (_, message) = check_shape(&text).unwrap_err();
            assert_eq!(message, "the file nests more than 64 levels deep", "{depth}");
        }
        assert!(check_shape(&format!("a: {}x{}", "[".repeat(63), "]".repeat(63))).is_ok());
        assert!(check_shape("a: [unclosed\n").is_ok(), "a syntax error is the parser's to report");
    }

    /// How deep `text` nests, as `walk` counts it, up to its first syntax error.
    fn depth(text: &str) -> usize {
        let (mut open, mut deepest) = (0_usize, 0);
        for event in Parser::new_from_str(text) {
            match event.map(|(event, _)| event) {
                Ok(Event::MappingStart(..) | Event::SequenceStart(..)) => open += 1,
                Ok(Event::MappingEnd | Event::SequenceEnd) => open = open.saturating_sub(1),
                Ok(_) => {}
                Err(_) => break,
            }
            deepest = deepest.max(open);
        }
        deepest
    }

    fn indicators(text: &str) -> usize {
        text.bytes().filter(|b| matches!(b, b'[' | b'{' | b'-' | b'?' | b':')).count()
    }

    #[test]
    fn every_level_of_nesting_costs_an_indicator() {
        for text in [
            "- - - - - x\n",
            "a:\n- b\n- - c\n",
            "[a: b, [c: [d: e]]]\n",
            "? - - x\n: - y\n",
            "{a: {b: {c: {}}}}\n",
            "a:\n  b:\n    c:\n      d: e\n",
            "- ? a\n  : - b\n",
            "!!map {? !!seq [a]: b}\n",
        ] {
            assert!(depth(text) <= indicators(text), "{text:?}: {} > {}", depth(text), indicators(text));
            assert!(depth(text) >= 2, "{text:?} nests");
        }
        // Past the limit, a text has the indicators to be walked, and is refused.
        let deep = format!("a: {}", "[".repeat(MAX_DEPTH + 1));
        assert!(!cannot_be_too_deep(&deep));
        assert!(check_shape(&deep).is_err());
        assert!(cannot_be_too_deep("step: a\nat: 2026-03-02T09:00:00-03:00\nby: ana\naction: done\n"));
    }

    proptest::proptest! {
        #[test]
        fn no_text_nests_deeper_than_its_indicators(
            text in proptest::string::string_regex("([-?:\\[\\]{},] ?|[ \n]|  |a|'|\"|!!map |&x |\\*x |#|\\|\n|>\n){0,60}").unwrap()
        ) {
            proptest::prop_assert!(depth(&text) <= indicators(&text), "{:?}", text);
        }
    }

    #[test]
    fn falls_back_to_the_nearest_parent() {
        let index = LocationIndex::new(TEXT);
        assert_eq!(index.value("phases[0].steps[0].when"), index.value("phases[0].steps[0]"));
    }
}
