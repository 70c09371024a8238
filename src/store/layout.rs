//! The project directory (format 4): `project.yaml`, written once at start, and one small
//! file per event beside it. A new event is always a new file, so git's own merge (a
//! forge's server-side merge, a rebase, a cherry-pick) joins concurrent work without a
//! driver: two new files never conflict. This module turns a directory's texts into the
//! project model (`ProjectFile`) and a change to that model back into new files.
//!
//! Replay order never depends on listing order: events are sorted by instant, then by
//! file name. An upgrade's record says what it dropped; reading applies that drop, so an
//! upgrade, like every other change, only adds a file.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_yaml::Value as Yaml;
use sha2::{Digest, Sha256};

use super::error::{Located, PathField, StoreError};
use crate::playbook::validate::is_slug;
use crate::state::project::{
    Dropped, Event, LIFECYCLE_FORMAT, Lifecycle, ProjectFile, Record, Start, Subject, Timestamp,
};
use crate::state::unique;
use crate::text::first_duplicate_key;

/// The format `project.yaml` declares: the project is a directory of event files.
pub(crate) const DIR_FORMAT: u32 = 4;

/// The file of a project directory that says what the project is.
pub(crate) const HEAD_FILE: &str = "project.yaml";

/// The first line of `project.yaml`, for people who open it.
const HEAD_HEADER: &str = "# onboard project: written once at start. Each event is a file beside this one; change them with onboard commands.\n";

/// The longest event file name this program writes (portable to every file system git
/// runs on, short enough to read in a pull request's file list).
const NAME_MAX: usize = 100;

/// `project.yaml`: what the project is, as it started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    pub format: u32,
    /// The project's id: its directory's name, which never changes (a rename records the
    /// name people use).
    pub project: String,
    pub playbook: String,
    /// The playbook version it started on; an upgrade event records the next.
    pub playbook_hash: String,
    pub start: Start,
}

/// One event file: a step's event (`step:`), a variable's (`var:`), or one of the project
/// as a whole (neither: archive, unarchive, rename, upgrade, delete).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub var: Option<String>,
    pub at: Timestamp,
    pub by: String,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Yaml>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "unique::keys")]
    pub values: BTreeMap<String, Yaml>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Dropped::is_empty")]
    pub dropped: Dropped,
    pub tool: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<Timestamp>,
    /// For `retract`: the name of the event file of the same step or variable that no
    /// longer counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retracts: Option<String>,
    /// Where the event stands among those of the directory that became known in the same
    /// second, as one clone recorded them (0, unwritten, for the first): replay keeps the
    /// order of a reopen and the completion that follows it within a second.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seq: u32,
}

fn is_zero(seq: &u32) -> bool {
    *seq == 0
}

/// What one event file holds, once checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Step(String, Event),
    Var(String, Event),
    Record(Record),
}

impl EventFile {
    /// An event file of `action` at `at` by `by`, written by `tool`, about the project
    /// as a whole and with nothing else: the constructors below add what theirs holds.
    fn bare(at: Timestamp, by: &str, action: &str, tool: &str) -> EventFile {
        EventFile {
            step: None,
            var: None,
            at,
            by: by.to_string(),
            action: action.to_string(),
            value: None,
            values: BTreeMap::new(),
            from: None,
            to: None,
            note: None,
            dropped: Dropped::default(),
            tool: tool.to_string(),
            recorded_at: None,
            retracts: None,
            seq: 0,
        }
    }

    pub fn of_event(subject: Subject<'_>, event: &Event) -> EventFile {
        let (step, var) = match subject {
            Subject::Step(id) => (Some(id.to_string()), None),
            Subject::Var(name) => (None, Some(name.to_string())),
        };
        EventFile {
            step,
            var,
            value: event.value.clone(),
            values: event.values.clone(),
            note: event.note.clone(),
            recorded_at: event.recorded_at,
            retracts: event.retracts.clone(),
            ..EventFile::bare(event.at, &event.by, event.action.as_str(), &event.tool)
        }
    }

    pub fn of_record(record: &Record) -> EventFile {
        EventFile {
            from: record.from.clone(),
            to: record.to.clone(),
            note: record.note.clone(),
            dropped: record.dropped.clone(),
            ..EventFile::bare(record.at, &record.by, record.action.as_str(), &record.tool)
        }
    }

    /// The event this file holds; refused when it mixes fields of a step's event and a
    /// project's record, which no onboard writes.
    pub fn into_part(self) -> Result<Part, String> {
        let is_record_only = self.from.is_some() || self.to.is_some() || !self.dropped.is_empty();
        let is_event_only = self.value.is_some()
            || !self.values.is_empty()
            || self.recorded_at.is_some()
            || self.retracts.is_some();
        if (self.action == "retract") != self.retracts.is_some() {
            return Err("`retracts` names the event a `retract` takes back; each needs the other".into());
        }
        let event = |file: EventFile| Event {
            at: file.at,
            by: file.by,
            action: file.action.into(),
            value: file.value,
            values: file.values,
            note: file.note,
            tool: file.tool,
            recorded_at: file.recorded_at,
            retracts: file.retracts,
            id: None,
        };
        match (self.step.clone(), self.var.clone()) {
            (Some(_), Some(_)) => Err("it names both a `step` and a `var`; an event is about one".into()),
            (Some(_), None) | (None, Some(_)) if is_record_only => {
                Err("`from`, `to` and `dropped` belong to events of the whole project, not to a step's or a variable's".into())
            }
            (Some(id), None) => Ok(Part::Step(id, event(self))),
            (None, Some(name)) => Ok(Part::Var(name, event(self))),
            (None, None) if is_event_only => {
                Err("`value`, `values`, `recorded_at` and `retracts` belong to a step's or a variable's event: name its `step` or `var`".into())
            }
            (None, None) => Ok(Part::Record(Record {
                at: self.at,
                by: self.by,
                action: self.action.into(),
                from: self.from,
                to: self.to,
                note: self.note,
                dropped: self.dropped,
                tool: self.tool,
            })),
        }
    }

    /// When the event became known: when it was recorded, for work recorded after it
    /// happened (`--at`), else when it happened. Replay follows this order, which is the
    /// order onboard wrote the events in on one branch.
    pub fn known(&self) -> Timestamp {
        self.recorded_at.unwrap_or(self.at)
    }

    /// What the file is about, as its name says it: the step, the variable, or for a
    /// rename the new name.
    fn subject(&self) -> Option<&str> {
        self.step.as_deref().or(self.var.as_deref()).or(match self.action.as_str() {
            "rename" => self.to.as_deref(),
            _ => None,
        })
    }
}

/// The text of an event file.
pub(crate) fn render_event(event: &EventFile) -> Result<String, serde_yaml::Error> {
    serde_yaml::to_string(event)
}

/// The text of `project.yaml`.
pub(crate) fn render_head(head: &Head) -> Result<String, serde_yaml::Error> {
    Ok(format!("{HEAD_HEADER}{}", serde_yaml::to_string(head)?))
}

/// The file name of an event: its instant in UTC (so names sort by time), what happened
/// to which step or variable, and a short hash of the content, so that two clones never
/// pick one name for two different events. `taken` says whether a name is used already in
/// the directory: the same content recorded twice in one second (two identical rounds)
/// gets `-2`, `-3`… and stays two events.
pub(crate) fn event_name(event: &EventFile, text: &str, taken: impl Fn(&str) -> bool) -> String {
    let instant = event.at.0.naive_utc().format("%Y%m%dT%H%M%SZ").to_string();
    let hash = Sha256::digest(text.as_bytes());
    let short: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let mut stem = format!("{instant}-{}", portable(&event.action, 16));
    if let Some(subject) = event.subject() {
        // Room for the instant, the action, the hash, a counter and `.yaml`.
        let room = NAME_MAX.saturating_sub(stem.len() + 1 + 1 + short.len() + 3 + 5);
        stem.push('-');
        stem.push_str(&portable(subject, room));
    }
    stem.push('-');
    stem.push_str(&short);
    let mut name = format!("{stem}.yaml");
    let mut count = 2;
    while taken(&name) {
        name = format!("{stem}-{count}.yaml");
        count += 1;
    }
    name
}

/// `text` with every character a file system may refuse or fold replaced by `-`, at most
/// `max` characters.
fn portable(text: &str, max: usize) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '-' })
        .take(max)
        .collect::<String>()
        .trim_end_matches('.')
        .to_string()
}

/// Whether a file name in a project directory is an event file (not `project.yaml`, not
/// a hidden temporary file).
pub(crate) fn is_event_name(name: &str) -> bool {
    name.ends_with(".yaml") && name != HEAD_FILE && !name.starts_with('.')
}

/// One event file as read: its name and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub name: String,
    pub event: EventFile,
}

/// Parses `project.yaml`'s text.
pub(crate) fn parse_head(text: &str, path: &Path) -> Result<Head, StoreError> {
    parse_yaml(text, path)
}

/// Parses an event file's text.
pub(crate) fn parse_event(text: &str, path: &Path) -> Result<EventFile, StoreError> {
    parse_yaml(text, path)
}

fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str, path: &Path) -> Result<T, StoreError> {
    if let Some(line) = crate::state::conflict::first_marker(text) {
        let name = project_of(path);
        return Err(StoreError::Conflict { path: path.to_path_buf(), line, name });
    }
    if let Err((at, message)) = crate::text::check_shape(text) {
        return Err(StoreError::Shape { path: path.to_path_buf(), at, message });
    }
    serde_yaml::from_str::<T>(text).map_err(|error| match first_duplicate_key(text) {
        Some((at, key)) => StoreError::DuplicateKey { path: path.to_path_buf(), at, key },
        None => StoreError::Unparsable { path: path.to_path_buf(), cause: Located(error) },
    })
}

/// A project directory `id` from the texts of its files: `project.yaml`'s, and each event
/// file's by name. `dir` names the directory in messages (a path on disk, or
/// `REV:.onboard/projects/<id>/` for a git revision).
pub(crate) fn from_texts<'t>(
    id: &str,
    head: &str,
    events: impl Iterator<Item = (String, &'t str)>,
    dir: &Path,
) -> Result<(Head, ProjectFile, Vec<Stored>), StoreError> {
    let head_path = dir.join(HEAD_FILE);
    if let Some(format) = declared_format(head).filter(|f| *f > DIR_FORMAT) {
        return Err(StoreError::NewerFormat { path: head_path, format, newest: DIR_FORMAT });
    }
    let head = parse_head(head, &head_path)?;
    if head.project != id {
        return Err(StoreError::NameMismatch {
            path: head_path,
            found: head.project,
            expected: id.to_string(),
        });
    }
    let mut stored = Vec::new();
    for (name, text) in events {
        stored.push(Stored { event: parse_event(text, &dir.join(&name))?, name });
    }
    let file = assemble(head.clone(), &stored, dir)?;
    check_path_fields(&file, &head_path)?;
    Ok((head, file, stored))
}

/// The file of project directory `dir` on disk that holds the first problem of `file`
/// against `playbook` (see `blame_each`). Read only when there is a problem to place.
pub(crate) fn blame(
    file: &ProjectFile,
    playbook: &crate::playbook::Playbook,
    dir: &Path,
) -> Option<std::path::PathBuf> {
    let first = crate::state::fit::problems(file, playbook).into_iter().next()?;
    blame_each(file, playbook, dir).into_iter().find(|(_, problem)| *problem == first).map(|(path, _)| path)
}

/// Each problem of `file` against `playbook` with the file of directory `dir` that holds
/// it: `project.yaml` for the start's values and calendar, else the event file whose
/// event does not fit on its own. A problem no single file has (none onboard knows) is
/// left out.
pub(crate) fn blame_each(
    file: &ProjectFile,
    playbook: &crate::playbook::Playbook,
    dir: &Path,
) -> Vec<(std::path::PathBuf, String)> {
    use crate::state::fit::problems;
    if !dir.is_dir() {
        return Vec::new();
    }
    let bare = ProjectFile {
        lifecycle: Vec::new(),
        vars: Default::default(),
        steps: Default::default(),
        ..file.clone()
    };
    let mut found: Vec<(std::path::PathBuf, String)> =
        problems(&bare, playbook).into_iter().map(|p| (dir.join(HEAD_FILE), p)).collect();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.retain(|n| is_event_name(n));
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let Ok(text) = crate::text::read_text(&path) else { continue };
        let Ok(event) = serde_yaml::from_str::<EventFile>(&text) else { continue };
        let mut alone = bare.clone();
        alone.start.values.clear();
        match event.into_part() {
            Ok(Part::Step(id, event)) => alone.steps.insert(id, vec![event]),
            Ok(Part::Var(name, event)) => alone.vars.insert(name, vec![event]),
            _ => continue,
        };
        for problem in problems(&alone, playbook) {
            if !found.iter().any(|(_, p)| *p == problem) {
                found.push((path.clone(), problem));
            }
        }
    }
    found
}

/// A field that two edits of one event file changed in two different ways.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldClash {
    pub field: String,
    pub ours: Option<Yaml>,
    pub theirs: Option<Yaml>,
}

/// Two edits of one event file (a typo fixed in a note on one branch, a value on the
/// other), merged field by field against the common `base`: a field one side changed
/// takes that side's value. Without a base, or when both sides changed a field in two
/// ways, the clashing fields are returned: which edit is right is for a person to say.
pub(crate) fn merge_event(
    base: Option<&EventFile>,
    ours: &EventFile,
    theirs: &EventFile,
) -> Result<EventFile, Vec<FieldClash>> {
    let mapping = |event: &EventFile| match serde_yaml::to_value(event) {
        Ok(Yaml::Mapping(mapping)) => mapping,
        _ => serde_yaml::Mapping::new(),
    };
    let (o, t) = (mapping(ours), mapping(theirs));
    let b = base.map(mapping);
    let mut keys: Vec<Yaml> = o.keys().chain(t.keys()).cloned().collect();
    keys.dedup();
    let mut merged = serde_yaml::Mapping::new();
    let mut clashes = Vec::new();
    let mut seen = Vec::new();
    for key in keys {
        if seen.contains(&key) {
            continue;
        }
        seen.push(key.clone());
        let (ov, tv) = (o.get(&key).cloned(), t.get(&key).cloned());
        let bv = b.as_ref().and_then(|b| b.get(&key).cloned());
        let chosen = if ov == tv {
            ov
        } else if b.is_some() && ov == bv {
            tv
        } else if b.is_some() && tv == bv {
            ov
        } else {
            let field = key.as_str().unwrap_or_default().to_string();
            clashes.push(FieldClash { field, ours: ov, theirs: tv });
            continue;
        };
        if let Some(value) = chosen {
            merged.insert(key, value);
        }
    }
    if !clashes.is_empty() {
        return Err(clashes);
    }
    serde_yaml::from_value(Yaml::Mapping(merged))
        .map_err(|error| vec![FieldClash { field: error.to_string(), ours: None, theirs: None }])
}

/// The project id of a file inside `projects/<id>/`, for messages.
fn project_of(path: &Path) -> String {
    path.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The project a directory's files make: `head`, and the events sorted by instant then
/// file name. Its `project` is the name people use (the latest rename's, else the id);
/// its playbook version is the latest upgrade's, else the start's; what an upgrade
/// dropped is dropped again.
pub(crate) fn assemble(head: Head, stored: &[Stored], dir: &Path) -> Result<ProjectFile, StoreError> {
    let mut order: Vec<&Stored> = stored.iter().collect();
    order.sort_by(|a, b| {
        (a.event.known(), a.event.seq, &a.name).cmp(&(b.event.known(), b.event.seq, &b.name))
    });
    let mut file = ProjectFile {
        format: DIR_FORMAT,
        project: head.project,
        playbook: head.playbook,
        playbook_hash: head.playbook_hash,
        start: head.start,
        lifecycle: Vec::new(),
        vars: Default::default(),
        steps: Default::default(),
    };
    for each in order {
        let part = each
            .event
            .clone()
            .into_part()
            .map_err(|message| StoreError::BadEvent { path: dir.join(&each.name), message })?;
        let named = |event: Event| Event { id: Some(each.name.clone()), ..event };
        match part {
            Part::Step(id, event) => file.steps.entry(id).or_default().push(named(event)),
            Part::Var(name, event) => file.vars.entry(name).or_default().push(named(event)),
            Part::Record(record) => file.lifecycle.push(record),
        }
    }
    let upgrades: Vec<Record> =
        file.lifecycle.iter().filter(|r| r.action == Lifecycle::Upgrade).cloned().collect();
    for upgrade in &upgrades {
        apply_drop(&mut file, upgrade);
    }
    if let Some(name) = current_name(&file.lifecycle) {
        file.project = name.to_string();
    }
    Ok(file)
}

/// Replays what an upgrade dropped: its events, and values recorded at start or by a
/// step, as `state::upgrade::apply` removed them.
fn apply_drop(file: &mut ProjectFile, upgrade: &Record) {
    if let Some(to) = &upgrade.to {
        file.playbook_hash = to.clone();
    }
    let dropped = &upgrade.dropped;
    for (blocks, gone) in [(&mut file.steps, &dropped.steps), (&mut file.vars, &dropped.vars)] {
        for (key, events) in gone {
            if let Some(kept) = blocks.get_mut(key) {
                kept.retain(|e| !events.contains(e));
                if kept.is_empty() {
                    blocks.shift_remove(key);
                }
            }
        }
    }
    crate::state::upgrade::drop_values(file, &dropped.values);
}

/// The name of the latest rename, if any (records are in time order).
pub(crate) fn current_name(records: &[Record]) -> Option<&str> {
    records.iter().rev().find(|r| r.action == Lifecycle::Rename).and_then(|r| r.to.as_deref())
}

/// The `seq` an event that became known at `known` takes after `stored`: one past the
/// highest of the events known in the same second, 0 when there is none.
pub(crate) fn next_seq<'s>(known: Timestamp, stored: impl Iterator<Item = &'s EventFile>) -> u32 {
    stored.filter(|e| e.known() == known).map(|e| e.seq + 1).max().unwrap_or(0)
}

/// Gives each event of a project read from a single file (formats 1–3) the id its
/// conversion to a directory will give it: the views of an old file and of its
/// conversion then read the same, ids included. Named as `Store::convert` names them: in
/// the order of `event_files`, each with its `seq`.
pub(crate) fn name_as_converted(file: &mut ProjectFile) {
    let mut stored: Vec<EventFile> = Vec::new();
    let mut taken = std::collections::HashSet::new();
    for (is_step, blocks) in [(false, &mut file.vars), (true, &mut file.steps)] {
        for (key, events) in blocks.iter_mut() {
            for event in events.iter_mut() {
                let subject = if is_step { Subject::Step(key) } else { Subject::Var(key) };
                let mut each = EventFile::of_event(subject, event);
                each.seq = next_seq(each.known(), stored.iter());
                let Ok(text) = render_event(&each) else { continue };
                let name = event_name(&each, &text, |n| taken.contains(n));
                taken.insert(name.clone());
                stored.push(each);
                event.id = Some(name);
            }
        }
    }
}

/// Every event and record of `file` as event files, `seq` unset: what compares two
/// versions of a project.
pub(crate) fn event_files(file: &ProjectFile) -> Vec<EventFile> {
    let events = file.all_events().map(|(subject, event)| EventFile::of_event(subject, event));
    events.chain(file.lifecycle.iter().map(EventFile::of_record)).collect()
}

/// The head of `file`, as `project.yaml` holds it, under directory `id`. The version is
/// the one it started on: the one before its first upgrade.
pub(crate) fn head_of(file: &ProjectFile, id: &str) -> Head {
    let first_upgrade = file.lifecycle.iter().find(|r| r.action == Lifecycle::Upgrade);
    Head {
        format: DIR_FORMAT,
        project: id.to_string(),
        playbook: file.playbook.clone(),
        playbook_hash: first_upgrade
            .and_then(|r| r.from.clone())
            .unwrap_or_else(|| file.playbook_hash.clone()),
        start: file.start.clone(),
    }
}

/// `file` with empty blocks dropped and every block and the lifecycle in replay order,
/// so that two versions of a project compare by what they hold.
pub(crate) fn normalized(file: &ProjectFile) -> ProjectFile {
    let mut file = file.clone();
    file.format = DIR_FORMAT;
    for blocks in [&mut file.steps, &mut file.vars] {
        blocks.retain(|_, events| !events.is_empty());
        for events in blocks.values_mut() {
            events.sort_by_cached_key(|e| {
                (e.recorded_at.unwrap_or(e.at), serde_yaml::to_string(e).unwrap_or_default())
            });
        }
        blocks.sort_keys();
    }
    file.lifecycle.sort_by_cached_key(|r| (r.at, serde_yaml::to_string(r).unwrap_or_default()));
    file
}

/// The event files `after` adds to `before`: each of its events, counted with
/// repetition, that `before` does not hold.
pub(crate) fn added(before: &ProjectFile, after: &ProjectFile) -> Vec<EventFile> {
    let mut old = event_files(before);
    let mut new = Vec::new();
    for event in event_files(after) {
        match old.iter().position(|e| *e == event) {
            Some(found) => {
                old.swap_remove(found);
            }
            None => new.push(event),
        }
    }
    new
}

/// Refuses a `playbook` or `playbook_hash` of a shape onboard does not write: both are
/// joined into paths (`versions/<playbook>-<hash>.yaml`), so a hand-edited value cannot
/// lead out of the folder.
pub(crate) fn check_path_fields(file: &ProjectFile, path: &Path) -> Result<(), StoreError> {
    let bad = if !is_slug(&file.playbook) {
        Some((PathField::Playbook, &file.playbook))
    } else if !is_content_hash(&file.playbook_hash) {
        Some((PathField::PlaybookHash, &file.playbook_hash))
    } else {
        None
    };
    match bad {
        Some((field, value)) => {
            Err(StoreError::BadField { path: path.to_path_buf(), field, value: value.clone() })
        }
        None => Ok(()),
    }
}

/// `sha256:` and 64 lowercase hex digits, as `content_hash` writes it.
fn is_content_hash(text: &str) -> bool {
    text.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64 && hex.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    })
}

/// The `format:` a file declares at its top level; files of format 1 have none.
pub(crate) fn declared_format(text: &str) -> Option<u32> {
    let line = text.lines().find_map(|line| line.strip_prefix("format:"))?;
    // What is no number is not a newer format: the parser says what is wrong with it.
    Some(line.trim().parse().unwrap_or(LIFECYCLE_FORMAT))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::fixture::at;
    use crate::state::project::Action;

    fn round(step: &str) -> EventFile {
        let bare = EventFile::bare(at("2026-03-02T09:00:00-03:00"), "ana", "round", "onboard 0.1.0");
        EventFile { step: Some(step.into()), ..bare }
    }

    #[test]
    fn names_sort_by_instant_say_what_happened_and_never_repeat() {
        let event = round("vpn-follow-up");
        let text = render_event(&event).unwrap();
        assert_eq!(
            text,
            "step: vpn-follow-up\nat: 2026-03-02T09:00:00-03:00\nby: ana\naction: round\ntool: onboard 0.1.0\n"
        );
        let name = event_name(&event, &text, |_| false);
        assert_eq!(name, "20260302T120000Z-round-vpn-follow-up-236f4239.yaml");
        let again = event_name(&event, &text, |n| n == name);
        assert_eq!(again, "20260302T120000Z-round-vpn-follow-up-236f4239-2.yaml");
        let long = round(&"x".repeat(200));
        let text = render_event(&long).unwrap();
        assert!(event_name(&long, &text, |_| false).len() <= NAME_MAX);
        let mut odd = round("a:b/c\\d");
        odd.step = Some("a:b/c\\d".into());
        assert!(event_name(&odd, "", |_| false).starts_with("20260302T120000Z-round-a-b-c-d-"));
    }

    #[test]
    fn two_edits_of_one_event_merge_field_by_field_against_their_base() {
        let base = EventFile { note: Some("VPN pedidda".into()), ..round("vpn-follow-up") };
        let ours = EventFile { note: Some("VPN pedida".into()), ..base.clone() };
        let theirs = EventFile { by: "bob".into(), ..base.clone() };
        let merged = merge_event(Some(&base), &ours, &theirs).unwrap();
        assert_eq!((merged.note.as_deref(), merged.by.as_str()), (Some("VPN pedida"), "bob"));
        assert_eq!(merge_event(Some(&base), &ours, &ours).unwrap(), ours);
        let other = EventFile { note: Some("VPN solicitada".into()), ..base.clone() };
        let clashes = merge_event(Some(&base), &ours, &other).unwrap_err();
        assert_eq!(
            clashes,
            [FieldClash {
                field: "note".into(),
                ours: Some(Yaml::String("VPN pedida".into())),
                theirs: Some(Yaml::String("VPN solicitada".into()))
            }]
        );
        // Without a base, every difference is a clash.
        assert_eq!(merge_event(None, &ours, &theirs).unwrap_err().len(), 2);
    }

    #[test]
    fn a_file_mixing_a_step_and_a_record_is_refused() {
        let mut both = round("a");
        both.var = Some("J".into());
        assert!(both.into_part().unwrap_err().contains("both a `step` and a `var`"));
        let mut renamed = round("a");
        renamed.to = Some("b".into());
        assert!(renamed.into_part().is_err());
        let mut record = round("a");
        record.step = None;
        record.action = "archive".into();
        assert!(matches!(record.clone().into_part(), Ok(Part::Record(r)) if r.action == Lifecycle::Archive));
        record.values.insert("x".into(), Yaml::Null);
        assert!(record.into_part().is_err());
    }

    #[test]
    fn replay_order_is_by_instant_then_name_never_by_listing() {
        let head = Head {
            format: DIR_FORMAT,
            project: "coop".into(),
            playbook: "cooperative".into(),
            playbook_hash: "sha256:00".into(),
            start: Start {
                at: at("2026-03-02T08:00:00-03:00"),
                by: "ana".into(),
                calendar: "PY".into(),
                values: BTreeMap::new(),
                tool: "onboard 0.1.0".into(),
            },
        };
        let mut late = round("s");
        late.at = at("2026-03-03T09:00:00-03:00");
        late.action = "reopen".into();
        let early = round("s");
        let stored = |order: [&EventFile; 2]| -> Vec<Stored> {
            order
                .iter()
                .map(|e| Stored {
                    name: event_name(e, &render_event(e).unwrap(), |_| false),
                    event: (*e).clone(),
                })
                .collect()
        };
        let one = assemble(head.clone(), &stored([&late, &early]), Path::new("coop")).unwrap();
        let two = assemble(head, &stored([&early, &late]), Path::new("coop")).unwrap();
        assert_eq!(one, two);
        assert_eq!(
            one.steps["s"].iter().map(|e| e.action.clone()).collect::<Vec<_>>(),
            [Action::Round, Action::Reopen]
        );
    }
}
