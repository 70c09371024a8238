//! Playbook text → checked `Playbook`, reporting every problem with its location.
//!
//! Each node (the top level, a role, a variable, a phase, a step, a field, a deadline)
//! is read on its own, so one bad step does not hide the problems of the next. Then
//! references, types and the prerequisite graph are checked across the whole file.
//! This file holds the checker and the order of the passes; `reading`, `deadlines`,
//! `references` and `graph` hold the passes.

use std::collections::{HashMap, HashSet};

use serde_yaml::Value as Yaml;
use sha2::{Digest, Sha256};

use super::diagnostic::{Diagnostic, PlaybookError};
use super::model::{Lookup, Origin, Playbook};
use super::raw::RawPlaybook;
use crate::text::{Flaw, Location, LocationIndex, check_document, first_conflict_marker};
use references::SUGGESTION_BUDGET;

/// A rule's key in a step and how messages name it.
type RuleKey = (&'static str, &'static str);
const DEADLINE: RuleKey = ("deadline", "a deadline");
const NOT_BEFORE: RuleKey = ("not_before", "an earliest start (`not_before`)");

/// Names a playbook may not give its variables: `--set` uses them for other things.
const RESERVED: [&str; 1] = ["calendar"];

/// Parses and checks a playbook. `file` is how errors name it.
pub(crate) fn parse(text: &str, file: &str, origin: Origin) -> Result<Playbook, PlaybookError> {
    let duplicate = match check_document(text) {
        Ok(()) => None,
        Err(Flaw::Shape(location, message)) => {
            let diagnostic = Diagnostic {
                message,
                location,
                hint: Some("a playbook is a few kilobytes, a few levels deep".into()),
            };
            return Err(PlaybookError {
                file: file.to_string(),
                text: text.to_string(),
                diagnostics: vec![diagnostic],
            });
        }
        Err(Flaw::DuplicateKey(location, key)) => Some((location, key)),
    };
    check(text, file, origin, duplicate)
}

/// Parses and checks a bundled playbook, whose size, depth and keys a test has checked
/// (`catalog`'s tests): every command that follows one reads it, so it is walked once
/// fewer than a file.
pub(crate) fn parse_bundled(text: &str, file: &str) -> Result<Playbook, PlaybookError> {
    check(text, file, Origin::Bundled, None)
}

/// Reads and checks a playbook whose shape `check_document` accepted, with the repeated
/// key it found, if any.
fn check(
    text: &str,
    file: &str,
    origin: Origin,
    duplicate: Option<(Location, String)>,
) -> Result<Playbook, PlaybookError> {
    let mut checker = Checker {
        diagnostics: Vec::new(),
        places: Vec::new(),
        broken: HashSet::new(),
        suggestions: SUGGESTION_BUDGET,
    };
    let playbook = checker.playbook(text, origin, duplicate);
    // Places are found only when there is something to report: indexing where every
    // node of a playbook sits costs more than reading it.
    if !checker.places.is_empty() {
        let index = LocationIndex::new(text);
        for (at, place) in checker.places.drain(..) {
            checker.diagnostics[at].location = match place {
                Place::Value(path) => index.value(&path),
                Place::Key(path) => index.key(&path),
            };
        }
    }
    // Report in reading order; problems without a place go last.
    checker.diagnostics.sort_by_key(|d| d.location.map_or((usize::MAX, 0), |l| (l.line, l.column)));
    match playbook {
        Some(playbook) if checker.diagnostics.is_empty() => Ok(playbook),
        _ => Err(PlaybookError {
            file: file.to_string(),
            text: text.to_string(),
            diagnostics: checker.diagnostics,
        }),
    }
}

struct Checker {
    diagnostics: Vec<Diagnostic>,
    /// The diagnostics placed by a path (their index, and the path), located at the end.
    places: Vec<(usize, Place)>,
    /// Ids and names of nodes that failed to read: already reported, so references to
    /// them are not reported again as unknown.
    broken: HashSet<String>,
    /// What is left of `SUGGESTION_BUDGET`.
    suggestions: usize,
}

/// Where a diagnostic points: the value at a path, or the key that names it.
enum Place {
    Value(String),
    Key(String),
}

/// Where each checked item came from, for messages about references.
struct Paths {
    phases: Vec<String>,
    /// The path of every checked step, in playbook order (failed steps are not in the model).
    steps: Vec<String>,
    by_id: HashMap<String, String>,
}

impl Checker {
    fn error(&mut self, path: &str, message: impl Into<String>, hint: Option<String>) {
        self.places.push((self.diagnostics.len(), Place::Value(path.to_string())));
        self.diagnostics.push(Diagnostic { message: message.into(), location: None, hint });
    }

    fn key_error(&mut self, path: &str, message: impl Into<String>, hint: Option<String>) {
        self.places.push((self.diagnostics.len(), Place::Key(path.to_string())));
        self.diagnostics.push(Diagnostic { message: message.into(), location: None, hint });
    }

    /// Reads the playbook from `text`, where `check_document` found `duplicate`.
    fn playbook(
        &mut self,
        text: &str,
        origin: Origin,
        duplicate: Option<(Location, String)>,
    ) -> Option<Playbook> {
        if let Some(line) = first_conflict_marker(text) {
            let message = "the file has an unresolved merge conflict".to_string();
            let hint =
                Some("keep the right side, remove the markers, then run `onboard validate`".to_string());
            self.diagnostics.push(Diagnostic { message, location: Some(Location { line, column: 1 }), hint });
            return None;
        }
        // serde keeps one of two repeated keys silently: refuse them at the repeat.
        if let Some((location, key)) = duplicate {
            let message = format!("the key `{key}` appears twice in the same mapping");
            let hint = Some("keep one of them; a mapping's keys are unique".to_string());
            self.diagnostics.push(Diagnostic { message, location: Some(location), hint });
            return None;
        }
        let document: Yaml = match serde_yaml::from_str(text) {
            Ok(document) => document,
            Err(error) => {
                let location =
                    error.location().map(|l| crate::text::Location { line: l.line(), column: l.column() });
                let message = format!("the file is not valid YAML: {error}");
                self.diagnostics.push(Diagnostic { message, location, hint: None });
                return None;
            }
        };
        let raw: RawPlaybook = self.node(&document, "", "the playbook")?;
        let roles = self.roles(&raw.roles);
        let variables = self.variables(&raw.variables, "variables", "a variable");
        let (phases, paths) = self.phases(&raw.phases);
        let lookup = Lookup::of(&phases, &variables);
        let mut playbook = Playbook {
            id: raw.id.clone(),
            title: raw.title,
            source: raw.source,
            language: raw.language,
            calendar: raw.calendar.clone(),
            business_hours: None,
            hours_assumed: false,
            description: raw.description,
            assumptions: raw.assumptions,
            roles,
            variables,
            phases,
            hash: content_hash(text),
            origin,
            text: text.to_string(),
            lookup,
        };
        let hours = match (raw.business_hours.as_deref(), raw.assumed_business_hours.as_deref()) {
            (Some(_), Some(_)) => {
                let hint = "`business_hours` for hours the document states, `assumed_business_hours` for hours it does not".into();
                self.key_error(
                    "assumed_business_hours",
                    "a playbook gives `business_hours` or `assumed_business_hours`, not both",
                    Some(hint),
                );
                None
            }
            (Some(hours), None) => Some(("business_hours", hours)),
            (None, Some(hours)) => Some(("assumed_business_hours", hours)),
            (None, None) => None,
        };
        playbook.hours_assumed = hours.is_some_and(|(key, _)| key == "assumed_business_hours");
        self.top_level(&mut playbook, hours);
        let unique = self.names(&playbook, &paths);
        self.references(&playbook, &paths);
        if unique {
            self.cycles(&playbook, &paths);
        }
        Some(playbook)
    }
}

const SLUG_HINT: &str = "use lowercase letters, digits and `-`, e.g. `dimo-custom`";

/// Lowercase letters, digits and `-`, starting with a letter or digit, at most 64 characters.
pub(crate) fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.starts_with('-')
}

/// `sha256:<hex>` of a playbook's bytes.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

mod deadlines;
mod graph;
mod reading;
mod references;

#[cfg(test)]
mod tests;
