//! `onboard doctor`'s checks: what is wrong in a state directory that onboard's own
//! commands would not have left there (a merge, a hand edit, a crash did), each with the
//! facts that say what to do about it. The command line words that advice, checks the
//! clone's merge setup (which git asks of the command line) and prints the findings.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::playbook::{Playbook, Step};
use crate::safe_path::files;
use crate::state::conflict::first_marker;
use crate::state::progress;
use crate::state::project::{Action, Lifecycle, ProjectFile, yaml_text};
use crate::state::replay::StepRecord;
use crate::store::Shelf;
use crate::store::{
    ReadError, Standing, Store, StoreError, is_held, is_write_leftover, parse_project, problems, standing_of,
};

/// One thing to fix.
#[derive(Debug)]
pub(crate) struct Finding {
    /// The project it is about, when it is about one.
    pub project: Option<String>,
    /// The file it is about; the state directory for the clone's merge driver.
    pub path: PathBuf,
    /// What sort of problem, with what the advice on it needs.
    pub kind: Kind,
    /// What is wrong, naming the file, step or field.
    pub message: String,
}

impl Finding {
    fn new(project: Option<&str>, path: &Path, kind: Kind, message: String) -> Finding {
        Finding { project: project.map(str::to_string), path: path.to_path_buf(), kind, message }
    }
}

/// What sort of finding.
#[derive(Debug)]
pub(crate) enum Kind {
    /// Merge-conflict markers in a file of the state directory.
    ConflictMarkers(Marked),
    /// A project file that does not parse, or whose playbook version is missing: why.
    Unreadable(anyhow::Error),
    /// A project file that parses but does not fit its playbook (`store::problems`).
    Problem,
    /// A step done while a prerequisite is open.
    DoneAhead { step: String },
    /// A completion or a round of a step at an instant before the step became ready (a
    /// clock set back, a merge of a redone prerequisite): `id` is its event's id, if any.
    BeforeReady { id: Option<String> },
    /// A step completed more than once, the completions recording different values of
    /// `field`.
    Disagreement { step: String, field: String },
    /// A temporary file left by an interrupted atomic write.
    TemporaryFile,
    /// A lock file of no project that nobody holds.
    StrayLock,
    /// The git merge rule or driver is not set up (found by the command line, which asks
    /// git).
    MergeSetup,
    /// A name in both `projects/` and `archive/`.
    NameClash,
    /// An old single file beside the project directory that replaced it: a branch wrote
    /// to it while another converted the project.
    StaleFile,
    /// A folder in `projects/` with event files but no `project.yaml`: events a merge
    /// brought to a project pruned meanwhile.
    Pruned,
    /// Events recorded after the project's deletion (merged from a branch that worked on
    /// it meanwhile).
    AfterDelete,
    /// Archived as finished, but a merge left steps open: the project is back in the
    /// portfolio.
    Reopened,
    /// A step skipped and completed (on two branches): the completion counts.
    SkipOverruled { step: String },
    /// Two upgrades from one version, merged from two branches: the later decides the
    /// version, and work recorded for the other may not fit it.
    TwoUpgrades,
    /// A saved playbook version whose text does not have the hash its name gives.
    EditedVersion,
    /// A file a project needs that git does not track (found by the command line, which
    /// asks git).
    Untracked,
}

/// Which file has conflict markers: each is repaired its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marked {
    /// A project of the portfolio, which the command line can merge again.
    Project,
    /// An archived project.
    Archived,
    /// A saved playbook version.
    Version,
    /// Any other file (a local playbook, a calendar override).
    Other,
}

/// A kind's name, as `doctor --json` writes it (`conflict-markers`), in the schema's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(inline)]
pub(crate) enum KindName {
    ConflictMarkers,
    Unreadable,
    Problem,
    DoneAhead,
    BeforeReady,
    Disagreement,
    TemporaryFile,
    StrayLock,
    MergeSetup,
    NameClash,
    StaleFile,
    Pruned,
    AfterDelete,
    Reopened,
    SkipOverruled,
    TwoUpgrades,
    Untracked,
    EditedVersion,
}

impl Kind {
    /// The kind's name, without what its advice needs.
    pub(crate) fn name(&self) -> KindName {
        match self {
            Kind::ConflictMarkers(_) => KindName::ConflictMarkers,
            Kind::Unreadable(_) => KindName::Unreadable,
            Kind::Problem => KindName::Problem,
            Kind::DoneAhead { .. } => KindName::DoneAhead,
            Kind::BeforeReady { .. } => KindName::BeforeReady,
            Kind::Disagreement { .. } => KindName::Disagreement,
            Kind::TemporaryFile => KindName::TemporaryFile,
            Kind::StrayLock => KindName::StrayLock,
            Kind::MergeSetup => KindName::MergeSetup,
            Kind::NameClash => KindName::NameClash,
            Kind::StaleFile => KindName::StaleFile,
            Kind::Pruned => KindName::Pruned,
            Kind::AfterDelete => KindName::AfterDelete,
            Kind::Reopened => KindName::Reopened,
            Kind::SkipOverruled { .. } => KindName::SkipOverruled,
            Kind::TwoUpgrades => KindName::TwoUpgrades,
            Kind::Untracked => KindName::Untracked,
            Kind::EditedVersion => KindName::EditedVersion,
        }
    }
}

/// Everything to fix in the state directory: each project directory in id order, then
/// each old single file (in `projects/`, then `archive/`) and each name in both folders,
/// conflict markers in the other folders, and leftovers of crashes. Fails only when a
/// folder cannot be listed.
pub(crate) fn examine(store: &Store) -> Result<Vec<Finding>> {
    let ids = store.dir_ids()?;
    let mut found = Vec::new();
    for id in &ids {
        found.extend(directory(store, id));
    }
    let old = |folder: PathBuf| -> Result<Vec<String>> {
        let paths = crate::safe_path::yaml_files(&folder)?;
        Ok(paths.iter().filter_map(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned()).collect())
    };
    let (active, archived) = (old(store.projects_dir())?, old(store.archive_dir())?);
    for (names, shelf) in [(&active, Shelf::Active), (&archived, Shelf::Archived)] {
        for name in names {
            let path = shelf.path(store, name);
            match ids.contains(name) {
                true => found.push(stale(name, &path, &store.project_dir(name))),
                false => found.extend(project(store, name, path)),
            }
        }
    }
    for name in archived.iter().filter(|name| active.contains(name) && !ids.contains(name)) {
        found.push(clash(store, name));
    }
    let mut names: Vec<String> = ids.iter().chain(&active).chain(&archived).cloned().collect();
    names.sort();
    for folder in ["playbooks", "calendars", "versions"] {
        for path in files(&store.root.join(folder))? {
            let marked = markers(store, &path, None);
            // A project that follows it has named it already, with the hash it expects.
            let named = found.iter().any(|f| names_edited(f, &path));
            if folder == "versions" && marked.is_none() && !named {
                found.extend(edited_version(store, &path));
            }
            found.extend(marked);
        }
    }
    // onboard writes only these folders' files by temporary file and rename.
    let mut folders = vec![store.projects_dir(), store.archive_dir(), store.root.join("versions")];
    folders.extend(ids.iter().map(|id| store.project_dir(id)));
    for folder in folders {
        for path in files(&folder)? {
            found.extend(leftover(store, &path)?);
        }
    }
    for path in files(&store.locks_dir())? {
        found.extend(stray_lock(&path, &names)?);
    }
    Ok(found)
}

/// An old single file left beside the directory that replaced it.
fn stale(name: &str, path: &Path, dir: &Path) -> Finding {
    let message = format!(
        "`{}` is an old project file beside the project directory `{}`; events recorded in it since the conversion are not read",
        path.display(),
        dir.display()
    );
    Finding::new(Some(name), path, Kind::StaleFile, message)
}

/// A project directory: why it cannot be read, or what is wrong with its events and
/// where its lifecycle left it.
fn directory(store: &Store, id: &str) -> Vec<Finding> {
    let dir = store.project_dir(id);
    let finding = |kind, message| Finding::new(Some(id), &dir, kind, message);
    let project = match store.read_dir(id) {
        Ok(project) => project,
        Err(StoreError::Conflict { path, line, name }) => {
            let message = format!("`{}` has an unresolved merge conflict at line {line}", path.display());
            return vec![Finding::new(Some(&name), &path, Kind::ConflictMarkers(Marked::Project), message)];
        }
        Err(StoreError::NoHead { path, .. }) => {
            let message = format!(
                "`{}` holds event files but no `project.yaml`: a merge brought them to a project deleted and pruned on another branch",
                path.display()
            );
            return vec![finding(Kind::Pruned, message)];
        }
        Err(error) => {
            let error = anyhow::Error::from(error);
            let message = crate::hint::message(&error);
            return vec![finding(Kind::Unreadable(error), message)];
        }
    };
    let file = &project.file;
    let name = file.project.clone();
    let finding = |kind, message| Finding::new(Some(&name), &dir, kind, message);
    let (standing, as_finished) = standing_of(&file.lifecycle);
    if standing == Standing::Deleted {
        let deleted = file.lifecycle.iter().rev().find(|r| r.action == Lifecycle::Delete).map(|r| r.at);
        let later = deleted
            .map_or(0, |at| file.all_events().filter(|(_, e)| e.recorded_at.unwrap_or(e.at) > at).count());
        if later > 0 {
            let message = format!(
                "project `{name}` is deleted, but {} recorded after the deletion (merged from another branch)",
                crate::words::count(later as i64, "event was").replace("events was", "events were")
            );
            return vec![finding(Kind::AfterDelete, message)];
        }
        return Vec::new();
    }
    let mut found = Vec::new();
    let upgrades: Vec<_> = file.lifecycle.iter().filter(|r| r.action == Lifecycle::Upgrade).collect();
    for (i, first) in upgrades.iter().enumerate() {
        if let Some(second) = upgrades[i + 1..].iter().find(|r| r.from == first.from) {
            let short = |hash: &Option<String>| {
                hash.as_deref().map(crate::state::project::short_hash).unwrap_or_default()
            };
            let message = format!(
                "project `{name}` was upgraded twice from version {} on two branches: to {} by {} at {}, and to {} by {} at {}; the later counts",
                short(&first.from),
                short(&first.to),
                first.by,
                first.at,
                short(&second.to),
                second.by,
                second.at
            );
            found.push(finding(Kind::TwoUpgrades, message));
        }
    }
    let playbook = match store.followed(file) {
        Ok(followed) => followed.playbook,
        Err(error) => {
            let message = crate::hint::message(&error);
            found.push(finding(Kind::Unreadable(error), message));
            return found;
        }
    };
    // Each problem at the file that holds it, when one does.
    let placed = super::layout::blame_each(file, &playbook, &dir);
    for message in problems(file, &playbook) {
        let path =
            placed.iter().find(|(_, p)| *p == message).map_or_else(|| dir.clone(), |(path, _)| path.clone());
        found.push(Finding::new(Some(&name), &path, Kind::Problem, message));
    }
    if standing == Standing::Archived && as_finished {
        let open = crate::state::lifecycle::open_steps(&playbook, file);
        if !open.is_empty() {
            let message = format!(
                "project `{name}` was archived as finished, but a merge left {} open ({}): it is back in the portfolio",
                crate::words::count(open.len() as i64, "step"),
                open.join(", ")
            );
            found.push(finding(Kind::Reopened, message));
        }
    }
    found.extend(overruled_skips(file, &dir));
    found.extend(states(file, &playbook, &dir));
    found
}

/// Steps both skipped and completed, which a merge of two branches gives: the
/// completion counts.
fn overruled_skips(file: &ProjectFile, dir: &Path) -> Vec<Finding> {
    let mut found = Vec::new();
    for (id, events) in &file.steps {
        let counting: Vec<_> = crate::state::project::counting(events).collect();
        let skip = counting.iter().find(|e| e.action == Action::Skip);
        let done = counting.iter().find(|e| e.action == Action::Done);
        if let (Some(skip), Some(done)) = (skip, done) {
            let reopened_between = counting.iter().any(|e| e.action == Action::Reopen);
            if reopened_between {
                continue;
            }
            let message = format!(
                "step `{id}` was skipped by {} at {} and completed by {} at {}; the completion counts",
                skip.by, skip.at, done.by, done.at
            );
            found.push(Finding::new(
                Some(&file.project),
                dir,
                Kind::SkipOverruled { step: id.clone() },
                message,
            ));
        }
    }
    found
}

/// A project and an archived project of the same name: a crash between writing one and
/// removing the other, or a move by hand or by a merge.
fn clash(store: &Store, name: &str) -> Finding {
    let (active, archived) = (store.project_file(name), store.archive_path(name));
    let message = format!(
        "`{name}` is both a project (`{}`) and an archived project (`{}`)",
        active.display(),
        archived.display()
    );
    Finding::new(Some(name), &archived, Kind::NameClash, message)
}

/// One old project file (in `projects/` or `archive/`): its conflict markers, or why it
/// cannot be read, or each problem against its playbook and each state onboard would not
/// produce.
fn project(store: &Store, name: &str, path: PathBuf) -> Vec<Finding> {
    let unreadable = |error: anyhow::Error| {
        let message = crate::hint::message(&error);
        Finding::new(Some(name), &path, Kind::Unreadable(error), message)
    };
    let text = match crate::safe_path::read_inside(&path, &store.root) {
        Ok(text) => text,
        Err(source) => {
            return vec![unreadable(StoreError::from(ReadError { path: path.clone(), source }).into())];
        }
    };
    if let Some(found) = markers_in(&text, &path, Some(name)) {
        return vec![found];
    }
    let file = match parse_project(&text, &path, name) {
        Ok(file) => file,
        Err(error) => return vec![unreadable(error.into())],
    };
    let playbook = match store.followed(&file) {
        Ok(followed) => followed.playbook,
        Err(error) => return vec![unreadable(error)],
    };
    let mut found: Vec<Finding> = problems(&file, &playbook)
        .into_iter()
        .map(|message| Finding::new(Some(name), &path, Kind::Problem, message))
        .collect();
    found.extend(states(&file, &playbook, &path));
    found
}

/// States onboard's own commands do not produce: a step done ahead of an open
/// prerequisite, and completions (two branches' `done`) that disagree on a field.
fn states(file: &ProjectFile, playbook: &Playbook, path: &Path) -> Vec<Finding> {
    let name = &file.project;
    let view = progress::compute(playbook, file);
    let mut found = Vec::new();
    for step in view.steps() {
        let finding = |kind, message| Finding::new(Some(name), path, kind, message);
        let id = &step.step.id;
        if let Some(message) = step.done_ahead() {
            found.push(finding(Kind::DoneAhead { step: id.clone() }, message));
        }
        for (event, ready) in before_ready(file, playbook, step) {
            let message = format!(
                "step {}: the `{}` by {} at {} precedes {ready}, when the step became ready",
                step.step.named(),
                event.action.as_str(),
                event.by,
                event.at
            );
            found.push(finding(Kind::BeforeReady { id: event.id.clone() }, message));
        }
        for field in step.record.disagreements() {
            let message = disagreement(step.step, &step.record, &field);
            found.push(finding(Kind::Disagreement { step: id.clone(), field }, message));
        }
    }
    found
}

/// The completions and rounds of a step that still count and happened before the event
/// that made the step ready, with that instant. Only those recorded
/// while the step was not ready by then, as the events before them (and every
/// retraction) say: a step completed, then made to wait by a reopen upstream and ready
/// again later, was ready when it was completed. A skip may come early: it waives a step
/// on purpose before it is ready.
fn before_ready<'f>(
    file: &'f ProjectFile,
    playbook: &Playbook,
    step: &progress::StepView<'_>,
) -> Vec<(&'f crate::state::project::Event, crate::state::project::Timestamp)> {
    use crate::state::project::Timestamp;
    let Some(ready) = step.started_at.map(Timestamp) else { return Vec::new() };
    let id = step.step.id.as_str();
    let events = file.events_of(id);
    let counting: Vec<&crate::state::project::Event> = crate::state::project::counting(events).collect();
    let mut found = Vec::new();
    for (index, event) in events.iter().enumerate() {
        let is_work = matches!(event.action, Action::Done | Action::Round);
        if !is_work || event.at >= ready || !counting.iter().any(|e| std::ptr::eq(*e, event)) {
            continue;
        }
        let then = crate::state::retraction::as_recorded_before(file, id, index);
        let ready_then =
            progress::compute(playbook, &then).step(id).and_then(|v| v.started_at).map(Timestamp);
        if ready_then.is_none_or(|r| event.at < r) {
            found.push((event, ready));
        }
    }
    found
}

/// ``step 3.1 `contact-list` was completed twice with different `contactos`: ana
/// recorded `…` at …, bob recorded `…` at …; the later, bob's `…`, counts``.
fn disagreement(step: &Step, record: &StepRecord, field: &str) -> String {
    let recorded: Vec<String> = record
        .marks
        .iter()
        .filter_map(|mark| {
            Some(format!("{} recorded `{}` at {}", mark.by, yaml_text(mark.values.get(field)?), mark.at))
        })
        .collect();
    let (times, later) = match record.marks.len() {
        2 => ("twice".to_string(), "later"),
        n => (format!("{n} times"), "latest"),
    };
    // The value that counts is the one `StepRecord::values` keeps: the last recorded.
    let counts =
        record.marks.iter().rev().find_map(|m| Some((m.by.clone(), yaml_text(m.values.get(field)?))));
    let (by, value) = counts.unwrap_or_default();
    format!(
        "step {} was completed {times} with different `{field}`: {}; the {later}, {by}'s `{value}`, counts",
        step.named(),
        recorded.join(", ")
    )
}

/// The first conflict marker of a file that is text, if any.
fn markers(store: &Store, path: &Path, project: Option<&str>) -> Option<Finding> {
    markers_in(&crate::safe_path::read_inside(path, &store.root).ok()?, path, project)
}

/// Whether `finding` is a project's refusal of the edited version at `path`.
fn names_edited(finding: &Finding, path: &Path) -> bool {
    let Kind::Unreadable(error) = &finding.kind else { return false };
    error
        .chain()
        .any(|e| matches!(e.downcast_ref(), Some(StoreError::EditedVersion { path: p, .. }) if p == path))
}

/// A saved playbook version whose text no longer has the hash its name gives
/// (`versions/<id>-<12 hex>.yaml`): edited, or replaced by another text. Found here, not
/// only when a project next needs it, since by then nobody remembers the edit.
fn edited_version(store: &Store, path: &Path) -> Option<Finding> {
    let stem = path.file_stem()?.to_string_lossy();
    let (_, named) = stem.rsplit_once('-')?;
    if named.len() != 12 || !named.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let text = crate::safe_path::read_inside(path, &store.root).ok()?;
    let hash = crate::playbook::validate::content_hash(&text);
    let found = hash.trim_start_matches("sha256:");
    if found.starts_with(named) {
        return None;
    }
    let message = format!(
        "`{}` is not the playbook version its name says: its content hash begins `{}`, not `{named}`",
        path.display(),
        &found[..12]
    );
    Some(Finding::new(None, path, Kind::EditedVersion, message))
}

fn markers_in(text: &str, path: &Path, project: Option<&str>) -> Option<Finding> {
    let line = first_marker(text)?;
    let in_folder = |folder| path.parent().is_some_and(|p| p.ends_with(folder));
    let marked = match project {
        Some(_) if in_folder("archive") => Marked::Archived,
        Some(_) => Marked::Project,
        None if in_folder("versions") => Marked::Version,
        None => Marked::Other,
    };
    let message = format!("`{}` has an unresolved merge conflict at line {line}", path.display());
    Some(Finding::new(project, path, Kind::ConflictMarkers(marked), message))
}

/// A temporary file that no write in progress owns.
fn leftover(store: &Store, path: &Path) -> Result<Option<Finding>> {
    let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else { return Ok(None) };
    if !is_write_leftover(file_name) {
        return Ok(None);
    }
    // A project's writes happen under its lock: while it is held, the file may be one
    // being written right now.
    let project = file_name[1..].rsplit_once('.').and_then(|(target, _)| target.strip_suffix(".yaml"));
    let in_projects = path.parent() == Some(store.projects_dir().as_path());
    // Inside a project directory, the lock is the directory's.
    let parent = path.parent().filter(|p| p.parent() == Some(store.projects_dir().as_path()));
    let project = match parent.and_then(|p| p.file_name()).and_then(|n| n.to_str()) {
        Some(id) => Some(id),
        None => project.filter(|_| in_projects),
    };
    if let Some(name) = project {
        let lock = store.lock_path(name);
        if lock.is_file() && is_held(&lock)? {
            return Ok(None);
        }
    }
    let message = format!("`{}` is a temporary file left by a write that never completed", path.display());
    Ok(Some(Finding::new(None, path, Kind::TemporaryFile, message)))
}

/// A lock file is created once per project and kept: one that nobody holds is normal.
/// Only the lock of a project that does not exist (renamed, removed, or a `start` that
/// failed), held by nobody, is a stray.
fn stray_lock(path: &Path, projects: &[String]) -> Result<Option<Finding>> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".lock")) else {
        return Ok(None);
    };
    if projects.iter().any(|p| p == name) || is_held(path)? {
        return Ok(None);
    }
    let shown = path.display();
    let message = format!("`{shown}` locks project `{name}`, which does not exist, and nobody holds it");
    Ok(Some(Finding::new(None, path, Kind::StrayLock, message)))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fs::{self, File};

    use super::*;
    use crate::playbook::{Origin, parse};
    use crate::state::change::start;
    use crate::state::fixture::{event, stamp};
    use crate::state::project::{Action, Event};

    const PLAYBOOK: &str = "id: go-live\ntitle: Go-live\ncalendar: CH\nroles:\n  - id: PL\nphases:\n  - id: preparation\n    title: Preparation\n    steps:\n      - id: confirm\n        title: Confirm the go-live date\n        owner: PL\n        fields:\n          - {name: J, type: date}\n      - {id: rehearsal, title: Rehearse the import, owner: PL, optional: true}\n      - {id: go-live, title: Go-live, owner: PL}\n";

    fn playbook() -> Playbook {
        parse(PLAYBOOK, "go-live.yaml", Origin::Bundled).unwrap()
    }

    fn opera(playbook: &Playbook) -> ProjectFile {
        start(playbook, "opera", "CH", &BTreeMap::new(), &stamp("2026-03-02T09:00:00+01:00"))
    }

    fn record(file: &mut ProjectFile, step: &str, action: Action, when: &str, by: &str, j: Option<&str>) {
        let values = j.map(|j| BTreeMap::from([("J".to_string(), serde_yaml::Value::String(j.into()))]));
        file.steps[step].push(Event { values: values.unwrap_or_default(), ..event(action, when, by) });
    }

    fn messages(file: &ProjectFile, playbook: &Playbook) -> Vec<(KindName, String)> {
        states(file, playbook, Path::new("opera.yaml"))
            .into_iter()
            .map(|f| (f.kind.name(), f.message))
            .collect()
    }

    #[test]
    fn a_step_done_ahead_is_found_and_one_skipped_ahead_is_not() {
        let playbook = playbook();
        let mut skipped = opera(&playbook);
        record(&mut skipped, "rehearsal", Action::Skip, "2026-03-03T09:00:00+01:00", "ana", None);
        assert_eq!(messages(&skipped, &playbook), []);

        let mut done = opera(&playbook);
        record(&mut done, "rehearsal", Action::Done, "2026-03-03T09:00:00+01:00", "bob", None);
        assert_eq!(
            messages(&done, &playbook),
            [(
                KindName::DoneAhead,
                "step `rehearsal` is done while its prerequisite `confirm` is open".to_string()
            )]
        );
        let finding = &states(&done, &playbook, Path::new("opera.yaml"))[0];
        assert_eq!(finding.project.as_deref(), Some("opera"));
        assert!(matches!(&finding.kind, Kind::DoneAhead { step } if step == "rehearsal"), "{finding:?}");
    }

    #[test]
    fn completions_that_disagree_name_who_recorded_what_and_the_value_that_counts() {
        let playbook = playbook();
        let mut file = opera(&playbook);
        record(&mut file, "confirm", Action::Done, "2026-03-03T09:00:00+01:00", "ana", Some("2026-06-01"));
        record(&mut file, "confirm", Action::Done, "2026-03-04T09:00:00+01:00", "bob", Some("2026-06-08"));
        assert_eq!(
            messages(&file, &playbook),
            [(
                KindName::Disagreement,
                "step `confirm` was completed twice with different `J`: ana recorded `2026-06-01` at 2026-03-03T09:00:00+01:00, bob recorded `2026-06-08` at 2026-03-04T09:00:00+01:00; the later, bob's `2026-06-08`, counts".to_string()
            )]
        );
        // A third completion that agrees with the first makes the first value count again.
        record(&mut file, "confirm", Action::Done, "2026-03-05T09:00:00+01:00", "ana", Some("2026-06-01"));
        let (_, message) = &messages(&file, &playbook)[0];
        assert!(
            message.starts_with("step `confirm` was completed 3 times with different `J`: "),
            "{message}"
        );
        assert!(message.ends_with("; the latest, ana's `2026-06-01`, counts"), "{message}");
        // Completions that agree, or a reopen that clears them, are nothing to report.
        let mut agreed = opera(&playbook);
        for by in ["ana", "bob"] {
            record(&mut agreed, "confirm", Action::Done, "2026-03-03T09:00:00+01:00", by, Some("2026-06-01"));
        }
        assert_eq!(messages(&agreed, &playbook), []);
        record(&mut file, "confirm", Action::Reopen, "2026-03-06T09:00:00+01:00", "ana", None);
        assert_eq!(messages(&file, &playbook), []);
    }

    #[test]
    fn atomic_write_leftovers_are_told_from_other_files() {
        for (name, leftover) in [
            (".opera.yaml.Ab12Cd", true),
            (".go-live-9f86d081884c.yaml.000000", true),
            ("opera.yaml", false),
            (".gitkeep", false),
            (".opera.yaml.swp", false),
            (".opera.yaml.Ab12C-", false),
            ("..Ab12Cd", false),
            ("notes.txt", false),
        ] {
            assert_eq!(is_write_leftover(name), leftover, "{name}");
        }
    }

    #[test]
    fn files_in_use_are_left_alone_and_leftovers_reported_once_released() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().to_path_buf());
        let playbook = playbook();
        fs::create_dir_all(dir.path().join("playbooks")).unwrap();
        fs::write(dir.path().join("playbooks/go-live.yaml"), PLAYBOOK).unwrap();
        let mut file = opera(&playbook);
        file.playbook_hash = crate::playbook::catalog::find(dir.path(), "go-live").unwrap().unwrap().hash;
        store.create(&file, &playbook).unwrap();
        assert!(examine(&store).unwrap().is_empty(), "a fresh project, its lock file unheld, is healthy");

        let temporary = store.projects_dir().join(".opera.yaml.Ab12Cd");
        fs::write(&temporary, "").unwrap();
        let ghost = store.lock_path("ghost");
        fs::write(&ghost, "").unwrap();
        let held: Vec<File> = [store.lock_path("opera"), ghost.clone()]
            .iter()
            .map(|path| {
                let lock = File::open(path).unwrap();
                lock.lock().unwrap();
                lock
            })
            .collect();
        assert!(examine(&store).unwrap().is_empty(), "a write in progress and a held lock");
        drop(held);
        let found: Vec<(KindName, PathBuf)> =
            examine(&store).unwrap().into_iter().map(|f| (f.kind.name(), f.path)).collect();
        assert_eq!(found, [(KindName::TemporaryFile, temporary), (KindName::StrayLock, ghost)]);
    }
}
