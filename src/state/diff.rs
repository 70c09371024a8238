//! What a change between two versions of a state directory means for one project: the
//! work recorded (steps completed, skipped, reopened, rounds), the variables that
//! changed and why, and every due date and earliest start that moved, with its cause.
//! Both versions are judged at the same instant, so what differs is what the change did.

mod dates;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Serialize, Serializer};

pub(crate) use dates::{Cause, DateKind, DateMove, Node};

use super::loaded::Project;
use super::progress::{self, Detail, Progress};
use super::project::{Action, CALENDAR_KEY, Event, ProjectFile, Timestamp};
use super::replay::Stored;
use crate::calendar::Calendar;
use crate::playbook::Playbook;
use crate::playbook::value::Value;
use crate::state::schedule::{Schedule, Thresholds, schedule};
use crate::state::standing::Standing;

type Instant = DateTime<FixedOffset>;

/// What happened to a project as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Change {
    Added,
    Removed,
    /// Archived: by an event, or (an old single file) moved out of `projects/`.
    Archived,
    /// Back in the portfolio: by an event, or (an old single file) moved back.
    Unarchived,
    Changed,
}

/// The meaning of a change for one project.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ProjectDiff {
    /// The project's id: its directory's name (the name it started with), stable through
    /// renames.
    pub project: String,
    /// The playbook id.
    pub playbook: String,
    /// `"changed"`; `"added"` (it appeared) or `"removed"` (deleted by an event, or its files
    /// went away; a deleted project whose files were pruned is no change); `"archived"` or
    /// `"unarchived"` (by an event, or an old single file moved out of `projects/` or back).
    pub change: Change,
    /// An old single file archived or unarchived by a move: where its file lies outside
    /// `projects/`, from the state directory (`"archive/opera.yaml"`); `null` otherwise.
    pub archive: Option<String>,
    /// Added, or an old single file unarchived: `{"at": timestamp, "by": string}`, when and
    /// by whom the project was started; `null` otherwise.
    pub started: Option<Stamp>,
    /// `{"from", "to"}`, the `sha256:` hashes of the playbook versions followed, when the
    /// project moved to another version; `null` otherwise.
    pub playbook_version: Option<Moved>,
    /// The records about the project as a whole that the change added, in time order:
    /// `{"action", "at", "by", "to", "note"}`, `action` one of `"archive"`, `"unarchive"`,
    /// `"rename"` (`to`: the new name), `"upgrade"` (`to`: the version), `"delete"`, or a
    /// newer onboard's word.
    pub lifecycle: Vec<LifecycleChange>,
    /// The steps whose events changed, in playbook order.
    pub steps: Vec<StepChange>,
    /// The variables whose value changed (as `status` derives them: start, `set`, recorded
    /// fields), by name; the project's calendar is the variable `calendar`.
    pub variables: Vec<VariableChange>,
    /// The `set` events the change added whose value does not count: `{"name", "value",
    /// "at", "by", "note", "later": {"value", "at", "by", "step"}, "after_merge"}`. `later` is
    /// the value that counts instead (`step`: the step whose completion recorded it, `null`
    /// for a `set`); `after_merge` is `null` when the new version itself holds it, else the
    /// revision that does (`main` in `onboard diff main...HEAD`), so that the `set` will not
    /// take effect once the change is merged into it.
    pub superseded: Vec<Superseded>,
    /// Every due moment and earliest start that differs, in playbook order (a phase before
    /// its steps).
    pub dates: Vec<DateMove>,
}

/// A `set` the change added whose value does not count.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Superseded {
    pub name: String,
    #[schemars(with = "serde_json::Value")]
    pub value: serde_yaml::Value,
    pub at: Timestamp,
    pub by: String,
    pub note: Option<String>,
    /// The later value that counts instead.
    pub later: Later,
    /// `None` when the new version itself holds the later value; else the revision that
    /// holds it, so that the `set` will not take effect once the change is merged into it.
    pub after_merge: Option<String>,
}

/// A value recorded later than a superseded `set`: by a `set`, or by a step's completion.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Later {
    #[schemars(with = "serde_json::Value")]
    pub value: serde_yaml::Value,
    pub at: Timestamp,
    pub by: String,
    /// The step that recorded it; `None` for a `set`.
    pub step: Option<String>,
}

/// One record about the project as a whole that the change added.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct LifecycleChange {
    /// `archive`, `unarchive`, `rename`, `upgrade`, `delete`, or a newer onboard's word.
    pub action: String,
    pub at: Timestamp,
    pub by: String,
    /// A rename's new name; an upgrade's version.
    pub to: Option<String>,
    pub note: Option<String>,
}

/// Who did something, and when.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct Stamp {
    pub at: Timestamp,
    pub by: String,
}

/// A text that changed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct Moved {
    pub from: String,
    pub to: String,
}

/// A phase or a step, as messages name it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct Item {
    /// The phase's or step's id.
    pub id: String,
    /// The document's numbering (`3.2.1`), or null.
    pub number: Option<String>,
    /// The phase's or step's title.
    pub title: String,
}

impl Item {
    /// ``3.1 `contact-list` ``, or `` `client-request` `` without a number.
    pub(crate) fn named(&self) -> String {
        match &self.number {
            Some(number) => format!("{number} `{}`", self.id),
            None => format!("`{}`", self.id),
        }
    }
}

/// The events of one step that the change added or removed.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct StepChange {
    #[serde(flatten)]
    pub step: Item,
    /// The events the new version holds that the old did not, in the file's order.
    pub added: Vec<Recorded>,
    /// The events the old version held that the new one does not (a revert), in the file's
    /// order.
    pub removed: Vec<Recorded>,
}

/// One event of a step.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Recorded {
    /// `done`, `round`, `skip`, `reopen`, `retract` (an earlier event of the step taken back;
    /// `onboard log --ids` says which), or a newer `onboard`'s word, as stored.
    pub action: String,
    /// When it happened (`--at` included).
    pub at: Timestamp,
    /// Who.
    pub by: String,
    /// The note, or the reason of a skip, reopen or retraction.
    pub note: Option<String>,
    /// The fields a `done` recorded; `{}` otherwise.
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub values: BTreeMap<String, serde_yaml::Value>,
    /// For a round, its number among the step's rounds; `null` otherwise.
    pub round: Option<usize>,
}

/// A variable whose value changed (or the project's calendar).
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct VariableChange {
    /// The variable's name.
    pub name: String,
    /// The old value (typed as in `status`); `null` when there was none.
    #[serde(serialize_with = "value_json")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub from: Option<Value>,
    /// The new value, the same way; `null` when there is none.
    #[serde(serialize_with = "value_json")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub to: Option<Value>,
    /// Why it changed, `null` or one of: `{"kind": "set", "at", "by", "note"}`, the latest
    /// `onboard set` the change added; `{"kind": "recorded", "step", "number", "at", "by"}`,
    /// the latest completion the change added that recorded the value.
    pub reason: Option<Reason>,
}

/// Why a variable changed: the `set` event the change added, or a step it completed
/// that recorded the value.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Reason {
    /// The latest `onboard set` the change added.
    Set { at: Timestamp, by: String, note: Option<String> },
    /// The latest completion the change added that recorded the value.
    Recorded { step: String, number: Option<String>, at: Timestamp, by: String },
}

pub(crate) fn value_json<S: Serializer>(value: &Option<Value>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => value.to_json().serialize(serializer),
        None => serializer.serialize_none(),
    }
}

impl ProjectDiff {
    fn new(name: &str, file: &ProjectFile, change: Change) -> ProjectDiff {
        ProjectDiff {
            project: name.to_string(),
            playbook: file.playbook.clone(),
            change,
            archive: None,
            started: None,
            playbook_version: None,
            lifecycle: Vec::new(),
            steps: Vec::new(),
            variables: Vec::new(),
            superseded: Vec::new(),
            dates: Vec::new(),
        }
    }

    /// A project the new version adds, or brings back from `archive`.
    pub(crate) fn added(name: &str, file: &ProjectFile, archive: Option<String>) -> ProjectDiff {
        let change = if archive.is_some() { Change::Unarchived } else { Change::Added };
        let started = Stamp { at: file.start.at, by: file.start.by.clone() };
        ProjectDiff { archive, started: Some(started), ..ProjectDiff::new(name, file, change) }
    }

    /// A project the new version no longer has in `projects/`: removed, or moved to
    /// `archive`.
    pub(crate) fn removed(name: &str, file: &ProjectFile, archive: Option<String>) -> ProjectDiff {
        let change = if archive.is_some() { Change::Archived } else { Change::Removed };
        ProjectDiff { archive, ..ProjectDiff::new(name, file, change) }
    }

    /// A project both versions have, judged at `now`; `None` when nothing that matters
    /// changed (a file only rewritten in the current format, say).
    pub(crate) fn changed(name: &str, old: &Project, new: &Project, now: Instant) -> Option<ProjectDiff> {
        let old_view = Judged::new(old, now);
        let new_view = Judged::new(new, now);
        let playbook_version = (old.file.playbook_hash != new.file.playbook_hash)
            .then(|| Moved { from: old.file.playbook_hash.clone(), to: new.file.playbook_hash.clone() });
        let items = items(&new.playbook, &old.playbook);
        let lifecycle: Vec<LifecycleChange> = new
            .file
            .lifecycle
            .iter()
            .filter(|r| !old.file.lifecycle.contains(r))
            .map(|r| LifecycleChange {
                action: r.action.as_str().to_string(),
                at: r.at,
                by: r.by.clone(),
                to: r.to.clone(),
                note: r.note.clone(),
            })
            .collect();
        let diff = ProjectDiff {
            playbook_version,
            lifecycle,
            steps: step_changes(&items, old, new),
            variables: variable_changes(&old_view, &new_view),
            dates: dates::moved(&items, &old_view, &new_view),
            superseded: superseded(&old.file, &new.file, None),
            ..ProjectDiff::new(name, &new.file, standing_change(&old.file, &new.file))
        };
        let changed = diff.playbook_version.is_some()
            || !diff.superseded.is_empty()
            || !diff.lifecycle.is_empty()
            || !diff.steps.is_empty()
            || !diff.variables.is_empty()
            || !diff.dates.is_empty();
        changed.then_some(diff)
    }

    /// Adds the `set` events of the change that will not take effect once it is merged
    /// into `target` (named `revision`), because `target` holds a later value.
    pub(crate) fn against_target(
        mut self,
        old: &ProjectFile,
        new: &ProjectFile,
        target: &ProjectFile,
        revision: &str,
    ) -> ProjectDiff {
        let already: Vec<(String, Timestamp)> =
            self.superseded.iter().map(|s| (s.name.clone(), s.at)).collect();
        for found in superseded(old, new, Some((target, revision))) {
            if !already.contains(&(found.name.clone(), found.at)) {
                self.superseded.push(found);
            }
        }
        self
    }
}

/// The `set` events `new` adds to `old` whose value a later one overrides: in `new`, or,
/// with `target`, in the version the change is merged into (events `new` lacks).
fn superseded(old: &ProjectFile, new: &ProjectFile, target: Option<(&ProjectFile, &str)>) -> Vec<Superseded> {
    let mut found = Vec::new();
    for (name, events) in &new.vars {
        let before = old.vars.get(name).map_or(&[][..], Vec::as_slice);
        for set in unmatched(events, before).into_iter().filter(|e| e.action == Action::Set) {
            let Some(value) = set.value.clone() else { continue };
            let (holder, revision) = match target {
                None => (new, None),
                Some((file, revision)) => (file, Some(revision.to_string())),
            };
            let Some(later) = later_value(holder, name, set.at, new) else { continue };
            found.push(Superseded {
                name: name.clone(),
                value,
                at: set.at,
                by: set.by.clone(),
                note: set.note.clone(),
                later,
                after_merge: revision,
            });
        }
    }
    found
}

/// The latest value of `name` that `file` records after `after`, by a `set` or a
/// completion; with a target, only events `new` does not hold (what the merge brings).
fn later_value(file: &ProjectFile, name: &str, after: Timestamp, new: &ProjectFile) -> Option<Later> {
    let is_new = |block: &[Event], event: &Event| !std::ptr::eq(file, new) && block.contains(event);
    let sets = file.vars.get(name).into_iter().flatten().filter(|e| e.action == Action::Set && e.at > after);
    let sets = sets
        .filter(|e| !is_new(new.vars.get(name).map_or(&[][..], Vec::as_slice), e))
        .filter_map(|e| Some(Later { value: e.value.clone()?, at: e.at, by: e.by.clone(), step: None }));
    let recorded = file.steps.iter().flat_map(|(id, events)| {
        events
            .iter()
            .filter(move |e| e.action == Action::Done && e.at > after)
            .filter(|e| !is_new(new.events_of(id), e))
            .filter_map(move |e| {
                Some(Later {
                    value: e.values.get(name)?.clone(),
                    at: e.at,
                    by: e.by.clone(),
                    step: Some(id.clone()),
                })
            })
    });
    sets.chain(recorded).max_by_key(|later| later.at)
}

/// What the records of two versions of a project directory say happened to it: archived,
/// unarchived, deleted (`Removed`), or only changed.
fn standing_change(old: &ProjectFile, new: &ProjectFile) -> Change {
    use super::lifecycle::{Standing, standing_of};
    match (standing_of(&old.lifecycle).0, standing_of(&new.lifecycle).0) {
        (Standing::Active, Standing::Archived) => Change::Archived,
        (Standing::Archived, Standing::Active) => Change::Unarchived,
        (was, Standing::Deleted) if was != Standing::Deleted => Change::Removed,
        _ => Change::Changed,
    }
}

/// One version of a project with where it stands and its schedule, at the common instant
/// (`Project::standing`, as every judge-at-now reads it).
struct Judged<'a> {
    side: &'a Project,
    progress: Progress<'a>,
    schedule: Schedule,
    now: Instant,
}

impl<'a> Judged<'a> {
    fn new(side: &'a Project, now: Instant) -> Judged<'a> {
        let Standing { progress, schedule } =
            side.standing(Timestamp(now), Thresholds::default(), Detail::Full);
        Judged { side, progress, schedule, now }
    }

    /// This version's schedule on another calendar: what a date would be had only the
    /// calendar not changed.
    fn on_calendar(&self, calendar: &Calendar) -> Schedule {
        let started = self.side.file.started_at().0;
        schedule(&self.progress, calendar, started, self.now, Thresholds::default())
    }

    /// Done, or skipped by someone: a date it no longer has is the step's own change,
    /// reported with the steps, not a date that moved.
    fn is_waived(&self, node: Node, id: &str) -> bool {
        match node {
            Node::Step => self.progress.step(id).is_some_and(|s| s.record.status != Stored::Open),
            Node::Phase => self.progress.phases.iter().any(|p| {
                p.phase.id == id
                    && (p.status == progress::Status::Done
                        || p.steps.iter().all(|s| s.record.status == Stored::Skipped))
            }),
        }
    }

    fn calendar(&self) -> &Calendar {
        &self.side.calendar
    }
}

/// Every phase and step id, in the new playbook's order, then those only the old one has.
fn items(new: &Playbook, old: &Playbook) -> Vec<(Node, Item)> {
    let mut found: Vec<(Node, Item)> = Vec::new();
    for playbook in [new, old] {
        for phase in &playbook.phases {
            let listed = |id: &str, found: &[(Node, Item)]| found.iter().any(|(_, item)| item.id == id);
            if !listed(&phase.id, &found) {
                found.push((Node::Phase, item(phase.number.as_ref(), &phase.id, &phase.title)));
            }
            for step in &phase.steps {
                if !listed(&step.id, &found) {
                    found.push((Node::Step, item(step.number.as_ref(), &step.id, &step.title)));
                }
            }
        }
    }
    found
}

fn item(number: Option<&String>, id: &str, title: &str) -> Item {
    Item { id: id.to_string(), number: number.cloned(), title: title.to_string() }
}

/// The events of `these` that `those` does not hold, each matched once.
fn unmatched<'e>(these: &'e [Event], those: &[Event]) -> Vec<&'e Event> {
    let mut used = vec![false; those.len()];
    these
        .iter()
        .filter(|event| match those.iter().enumerate().position(|(i, other)| !used[i] && other == *event) {
            Some(i) => {
                used[i] = true;
                false
            }
            None => true,
        })
        .collect()
}

fn recorded(event: &Event, block: &[Event]) -> Recorded {
    let round = (event.action == Action::Round).then(|| {
        let before = block.iter().take_while(|e| !std::ptr::eq(*e, event));
        before.filter(|e| e.action == Action::Round).count() + 1
    });
    Recorded {
        action: event.action.as_str().to_string(),
        at: event.at,
        by: event.by.clone(),
        note: event.note.clone(),
        values: event.values.clone(),
        round,
    }
}

fn step_changes(items: &[(Node, Item)], old: &Project, new: &Project) -> Vec<StepChange> {
    let steps = items.iter().filter(|(node, _)| *node == Node::Step);
    steps
        .filter_map(|(_, item)| {
            let (before, after) = (old.file.events_of(&item.id), new.file.events_of(&item.id));
            let added: Vec<Recorded> =
                unmatched(after, before).into_iter().map(|e| recorded(e, after)).collect();
            let removed: Vec<Recorded> =
                unmatched(before, after).into_iter().map(|e| recorded(e, before)).collect();
            (!added.is_empty() || !removed.is_empty()).then(|| StepChange {
                step: item.clone(),
                added,
                removed,
            })
        })
        .collect()
}

fn variable_changes(old: &Judged<'_>, new: &Judged<'_>) -> Vec<VariableChange> {
    let (before, after) = (&old.progress.vars, &new.progress.vars);
    let mut values: BTreeMap<&str, (Option<Value>, Option<Value>)> = BTreeMap::new();
    for name in before.keys().chain(after.keys()).collect::<BTreeSet<_>>() {
        values.insert(name, (before.get(name).cloned(), after.get(name).cloned()));
    }
    let calendar = |j: &Judged<'_>| Some(Value::Text(j.side.file.calendar().to_string()));
    values.insert(CALENDAR_KEY, (calendar(old), calendar(new)));
    values
        .into_iter()
        .filter(|(_, (from, to))| from != to)
        .map(|(name, (from, to))| VariableChange {
            name: name.to_string(),
            from,
            to,
            reason: reason(name, &old.side.file, new.side),
        })
        .collect()
}

/// The latest `set` of `name` that the change added, else the latest completion it
/// added that recorded `name`.
fn reason(name: &str, old: &ProjectFile, new: &Project) -> Option<Reason> {
    fn block<'f>(file: &'f ProjectFile, name: &str) -> &'f [Event] {
        file.vars.get(name).map_or(&[][..], Vec::as_slice)
    }
    let set =
        unmatched(block(&new.file, name), block(old, name)).into_iter().filter(|e| e.action == Action::Set);
    if let Some(event) = set.max_by_key(|e| e.at) {
        return Some(Reason::Set { at: event.at, by: event.by.clone(), note: event.note.clone() });
    }
    let completions = new.file.steps.iter().flat_map(|(id, events)| {
        let added = unmatched(events, old.events_of(id)).into_iter();
        added.filter(|e| e.action == Action::Done && e.values.contains_key(name)).map(move |e| (id, e))
    });
    let (id, event) = completions.max_by_key(|(_, e)| e.at)?;
    let number = new.playbook.step(id).and_then(|(_, step)| step.number.clone());
    Some(Reason::Recorded { step: id.clone(), number, at: event.at, by: event.by.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::fixture;
    use chrono::NaiveDate;

    fn event(action: Action, at: &str, note: Option<&str>) -> Event {
        Event { note: note.map(str::to_string), ..fixture::event(action, at, "ana") }
    }

    #[test]
    fn events_are_matched_once_each_and_rounds_numbered_in_their_block() {
        let first = event(Action::Round, "2026-03-03T10:00:00-03:00", Some("VPN pedida"));
        let second = event(Action::Round, "2026-03-04T10:00:00-03:00", None);
        let done = event(Action::Done, "2026-03-05T10:00:00-03:00", Some("VPN activa"));
        let old = vec![first.clone()];
        let new = vec![first.clone(), second.clone(), done.clone()];
        let added = unmatched(&new, &old);
        assert_eq!(added.len(), 2);
        assert_eq!(recorded(added[0], &new).round, Some(2));
        assert_eq!(recorded(added[1], &new).round, None);
        assert!(unmatched(&old, &new).is_empty());
        // Two identical events (a merge kept both) are two events.
        let twice = vec![first.clone(), first.clone()];
        assert_eq!(unmatched(&twice, &old).len(), 1);
    }

    fn side(playbook: &Playbook, calendar: Calendar, j: &str) -> Project {
        let stamp = fixture::stamp("2026-11-02T10:00:00+01:00");
        let j = Value::Date(NaiveDate::parse_from_str(j, "%Y-%m-%d").unwrap());
        let vars = BTreeMap::from([("J".to_string(), j)]);
        let file = crate::state::change::start(playbook, "opera", "CH", &vars, &stamp);
        Project {
            name: "opera".into(),
            path: "opera".into(),
            file,
            playbook: std::sync::Arc::new(playbook.clone()),
            changed: None,
            calendar,
            archived: false,
        }
    }

    fn now() -> Instant {
        fixture::instant("2026-11-09T09:00:00+01:00")
    }

    fn ch() -> Calendar {
        Calendar::with_override("CH", None, None).unwrap()
    }

    #[test]
    fn a_new_playbook_version_is_the_cause_of_the_dates_its_rules_move() {
        let old = crate::playbook::catalog::bundled("data-import").unwrap().unwrap();
        let text = old.text.replace("at: J-7\n", "at: J-10\n");
        let new =
            crate::playbook::parse(&text, "data-import.yaml", crate::playbook::Origin::Bundled).unwrap();
        let diff = ProjectDiff::changed(
            "opera",
            &side(&old, ch(), "2027-01-20"),
            &side(&new, ch(), "2027-01-20"),
            now(),
        )
        .unwrap();
        let short = |p: &Playbook| p.hash.trim_start_matches("sha256:")[..12].to_string();
        assert_eq!(diff.playbook_version.as_ref().unwrap().to, new.hash);
        let [moved] = diff.dates.as_slice() else { panic!("{:?}", diff.dates) };
        assert_eq!(
            (moved.item.id.as_str(), moved.from.as_deref(), moved.to.as_deref()),
            ("preprod-import", Some("2027-01-13"), Some("2027-01-08"))
        );
        assert!(
            matches!(&moved.causes[..], [Cause::Playbook { from, to }] if *from == short(&old) && *to == short(&new)),
            "{:?}",
            moved.causes
        );
        assert!(diff.steps.is_empty() && diff.variables.is_empty());
    }

    #[test]
    fn the_same_project_judged_the_same_has_nothing_to_show_and_a_holiday_worked_shows() {
        let playbook = crate::playbook::catalog::bundled("data-import").unwrap().unwrap();
        let same = ProjectDiff::changed(
            "opera",
            &side(&playbook, ch(), "2027-01-07"),
            &side(&playbook, ch(), "2027-01-07"),
            now(),
        );
        assert!(same.is_none());
        // J-14 is Christmas, a holiday: the due date rolls back to the 24th, unless the
        // team works on Christmas.
        let mut working = ch();
        std::sync::Arc::make_mut(&mut working.worked).insert(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap());
        let diff = ProjectDiff::changed(
            "opera",
            &side(&playbook, ch(), "2027-01-08"),
            &side(&playbook, working, "2027-01-08"),
            now(),
        )
        .unwrap();
        let moved: Vec<(&str, Option<&str>, &Cause)> =
            diff.dates.iter().map(|d| (d.item.id.as_str(), d.to.as_deref(), &d.causes[0])).collect();
        assert_eq!(moved.len(), 2, "3 and 4 are both J-14");
        assert!(
            matches!(moved[0], ("secutix-format-data", Some("2026-12-25"), Cause::Day { date, from, to })
                if date == "2026-12-25" && from.starts_with("holiday: ") && to == "business day"),
            "{moved:?}"
        );
    }

    #[test]
    fn items_keep_the_new_order_and_then_what_only_the_old_version_had() {
        let playbook = crate::playbook::catalog::bundled("data-import").unwrap().unwrap();
        let mut old = playbook.clone();
        old.phases[0].steps[0].id = "announce".into();
        let listed: Vec<String> = items(&playbook, &old).into_iter().map(|(_, i)| i.id).take(4).collect();
        assert_eq!(listed, ["kickoff", "announce-data", "inform-customer", "data-delivery"]);
        assert_eq!(items(&playbook, &old).last().unwrap().1.named(), "1 `announce`");
    }
}
