//! What a change between two versions of a state directory means for one project: the
//! work recorded (steps completed, skipped, reopened, rounds), the variables that
//! changed and why, and every due date and earliest start that moved, with its cause.
//! Both versions are judged at the same instant, so what differs is what the change did.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Serialize, Serializer};

use super::progress::{self, Progress};
use super::project::{Action, CALENDAR_KEY, Event, ProjectFile, Timestamp};
use super::replay::Stored;
use super::snapshot::Side;
use crate::calendar::Calendar;
use crate::deadline::evaluate::{Derivation, Due};
use crate::deadline::rule::{Anchor, Deadline, Rule, Within};
use crate::deadline::schedule::{Entry, Schedule, Start, Thresholds, schedule};
use crate::playbook::value::Value;
use crate::playbook::{Phase, Playbook};

type Instant = DateTime<FixedOffset>;

/// What happened to a project as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Removed,
    /// Its file moved from `projects/` to another folder of the state directory.
    Archived,
    /// Its file moved back to `projects/` from another folder.
    Unarchived,
    Changed,
}

/// The meaning of a change for one project.
#[derive(Debug, Serialize)]
pub struct ProjectDiff {
    pub project: String,
    pub playbook: String,
    pub change: Change,
    /// Archived or unarchived: where its file lies outside `projects/`, from the state
    /// directory.
    pub archive: Option<String>,
    /// Added: when and by whom it was started.
    pub started: Option<Stamp>,
    /// The playbook version it follows, when that changed (content hashes).
    pub playbook_version: Option<Moved>,
    pub steps: Vec<StepChange>,
    pub variables: Vec<VariableChange>,
    pub dates: Vec<DateMove>,
}

/// Who did something, and when.
#[derive(Debug, Clone, Serialize)]
pub struct Stamp {
    pub at: Timestamp,
    pub by: String,
}

/// A text that changed.
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    pub from: String,
    pub to: String,
}

/// A phase or a step, as messages name it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: String,
    pub number: Option<String>,
    pub title: String,
}

impl Item {
    /// ``3.1 `contact-list` ``, or `` `client-request` `` without a number.
    pub fn named(&self) -> String {
        match &self.number {
            Some(number) => format!("{number} `{}`", self.id),
            None => format!("`{}`", self.id),
        }
    }
}

/// The events of one step that the change added or removed.
#[derive(Debug, Serialize)]
pub struct StepChange {
    #[serde(flatten)]
    pub step: Item,
    pub added: Vec<Recorded>,
    /// Events of the old version that the new one no longer holds (a revert).
    pub removed: Vec<Recorded>,
}

/// One event of a step.
#[derive(Debug, Serialize)]
pub struct Recorded {
    /// `done`, `round`, `skip`, `reopen`, or a newer onboard's word, as stored.
    pub action: String,
    pub at: Timestamp,
    pub by: String,
    pub note: Option<String>,
    pub values: BTreeMap<String, serde_yaml::Value>,
    /// For a round: its number among the step's rounds.
    pub round: Option<usize>,
}

/// A variable whose value changed (or the project's calendar).
#[derive(Debug, Serialize)]
pub struct VariableChange {
    pub name: String,
    #[serde(serialize_with = "value_json")]
    pub from: Option<Value>,
    #[serde(serialize_with = "value_json")]
    pub to: Option<Value>,
    pub reason: Option<Reason>,
}

/// Why a variable changed: the `set` event the change added, or a step it completed
/// that recorded the value.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    Set { at: Timestamp, by: String, note: Option<String> },
    Recorded { step: String, number: Option<String>, at: Timestamp, by: String },
}

/// Whether a date is a phase's or a step's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Node {
    Phase,
    Step,
}

/// Which date of a phase or step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    Due,
    /// A step's `not_before`.
    EarliestStart,
}

/// A due date or an earliest start that differs between the two versions.
#[derive(Debug, Serialize)]
pub struct DateMove {
    pub node: Node,
    #[serde(flatten)]
    pub item: Item,
    pub date: DateKind,
    /// `YYYY-MM-DD` for day rules, RFC 3339 for hour rules; `None`: no date (not
    /// computable yet, not applicable, or no rule).
    pub from: Option<String>,
    pub to: Option<String>,
    pub causes: Vec<Cause>,
}

/// Why a date moved.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cause {
    /// A variable the rule or the step's condition reads changed.
    Variable {
        name: String,
        #[serde(serialize_with = "value_json")]
        from: Option<Value>,
        #[serde(serialize_with = "value_json")]
        to: Option<Value>,
    },
    /// The instant the rule counts from changed: a step's completion, a phase's start.
    Anchor { anchor: String, from: Option<Timestamp>, to: Option<Timestamp> },
    /// The project moved to another calendar.
    Calendar { from: String, to: String },
    /// The calendar's business hours changed (the team's override).
    Hours { from: String, to: String },
    /// A day changed between open and closed (a closure added, a holiday worked).
    Day { date: String, from: String, to: String },
    /// The project follows another playbook version.
    Playbook { from: String, to: String },
    /// None of the above: the derivations, in words.
    Rule { from: Option<String>, to: Option<String> },
}

fn value_json<S: Serializer>(value: &Option<Value>, serializer: S) -> Result<S::Ok, S::Error> {
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
            steps: Vec::new(),
            variables: Vec::new(),
            dates: Vec::new(),
        }
    }

    /// A project the new version adds, or brings back from `archive`.
    pub fn added(name: &str, file: &ProjectFile, archive: Option<String>) -> ProjectDiff {
        let change = if archive.is_some() { Change::Unarchived } else { Change::Added };
        let started = Stamp { at: file.start.at, by: file.start.by.clone() };
        ProjectDiff { archive, started: Some(started), ..ProjectDiff::new(name, file, change) }
    }

    /// A project the new version no longer has in `projects/`: removed, or moved to
    /// `archive`.
    pub fn removed(name: &str, file: &ProjectFile, archive: Option<String>) -> ProjectDiff {
        let change = if archive.is_some() { Change::Archived } else { Change::Removed };
        ProjectDiff { archive, ..ProjectDiff::new(name, file, change) }
    }

    /// A project both versions have, judged at `now`; `None` when nothing that matters
    /// changed (a file only rewritten in the current format, say).
    pub fn changed(name: &str, old: &Side, new: &Side, now: Instant) -> Option<ProjectDiff> {
        let old_view = Judged::new(old, now);
        let new_view = Judged::new(new, now);
        let playbook_version = (old.file.playbook_hash != new.file.playbook_hash)
            .then(|| Moved { from: old.file.playbook_hash.clone(), to: new.file.playbook_hash.clone() });
        let items = items(&new.playbook, &old.playbook);
        let diff = ProjectDiff {
            playbook_version,
            steps: step_changes(&items, old, new),
            variables: variable_changes(&old_view, &new_view),
            dates: date_moves(&items, &old_view, &new_view),
            ..ProjectDiff::new(name, &new.file, Change::Changed)
        };
        let changed = diff.playbook_version.is_some()
            || !diff.steps.is_empty()
            || !diff.variables.is_empty()
            || !diff.dates.is_empty();
        changed.then_some(diff)
    }
}

/// One version of a project with where it stands and its schedule, at the common instant.
struct Judged<'a> {
    side: &'a Side,
    progress: Progress<'a>,
    schedule: Schedule,
}

impl<'a> Judged<'a> {
    fn new(side: &'a Side, now: Instant) -> Judged<'a> {
        let progress = progress::compute(&side.playbook, &side.file);
        let started = side.file.started_at().0;
        let schedule = schedule(&progress, &side.calendar, started, now, Thresholds::default());
        Judged { side, progress, schedule }
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

fn step_changes(items: &[(Node, Item)], old: &Side, new: &Side) -> Vec<StepChange> {
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
fn reason(name: &str, old: &ProjectFile, new: &Side) -> Option<Reason> {
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

/// A date as one version has it.
#[derive(Clone, Copy)]
enum Slot<'s> {
    Dated(&'s Derivation),
    Pending(&'s str),
    /// No rule, not applicable, or finished.
    Absent,
}

impl Slot<'_> {
    fn derivation(&self) -> Option<&Derivation> {
        match self {
            Slot::Dated(derivation) => Some(derivation),
            _ => None,
        }
    }

    fn due(&self) -> Option<Due> {
        self.derivation().map(|d| d.due)
    }

    /// The derivation in words, or why there is none, for the last-resort cause.
    fn words(&self) -> Option<String> {
        match self {
            Slot::Dated(derivation) => Some(derivation.method.clone()),
            Slot::Pending(why) => Some(why.to_string()),
            Slot::Absent => None,
        }
    }
}

fn slot<'s>(judged: &'s Judged<'_>, id: &str, kind: DateKind) -> Slot<'s> {
    match kind {
        DateKind::Due => match judged.schedule.get(id) {
            Some(Entry::Timed(timing)) => Slot::Dated(&timing.derivation),
            Some(Entry::Pending(why)) => Slot::Pending(why),
            None => Slot::Absent,
        },
        DateKind::EarliestStart => match judged.schedule.starts.get(id) {
            Some(Start::Dated(wait)) => Slot::Dated(&wait.derivation),
            Some(Start::Pending(why)) => Slot::Pending(why),
            None => Slot::Absent,
        },
    }
}

fn date_moves(items: &[(Node, Item)], old: &Judged<'_>, new: &Judged<'_>) -> Vec<DateMove> {
    let mut moves = Vec::new();
    for (node, item) in items {
        let kinds: &[DateKind] =
            if *node == Node::Step { &[DateKind::Due, DateKind::EarliestStart] } else { &[DateKind::Due] };
        for kind in kinds {
            let (before, after) = (slot(old, &item.id, *kind), slot(new, &item.id, *kind));
            if before.due() == after.due() || (before.due().is_none() && after.due().is_none()) {
                continue;
            }
            let waived = |slot: Slot<'_>, judged: &Judged<'_>| {
                matches!(slot, Slot::Absent) && judged.is_waived(*node, &item.id)
            };
            if waived(before, old) || waived(after, new) {
                continue;
            }
            moves.push(DateMove {
                node: *node,
                item: item.clone(),
                date: *kind,
                from: before.due().map(|d| d.text()),
                to: after.due().map(|d| d.text()),
                causes: causes(&item.id, *kind, (before, old), (after, new)),
            });
        }
    }
    moves
}

/// The rule that times a phase or step, in one playbook version.
fn rule<'p>(playbook: &'p Playbook, id: &str, kind: DateKind) -> Option<&'p Deadline> {
    match (kind, playbook.step(id)) {
        (DateKind::Due, Some((_, step))) => step.deadline.as_ref(),
        (DateKind::EarliestStart, Some((_, step))) => step.not_before.as_ref(),
        (DateKind::Due, None) => playbook.phase(id)?.deadline.as_ref(),
        (DateKind::EarliestStart, None) => None,
    }
}

/// The variables a rule reads, and those the conditions of the step (and its phase) read.
fn variables_read(playbook: &Playbook, id: &str, kind: DateKind) -> Vec<String> {
    let mut names = Vec::new();
    match rule(playbook, id, kind).map(|d| &d.rule) {
        Some(Rule::Milestone { milestone, .. }) => names.push(milestone.clone()),
        Some(Rule::Window { within, from, service }) => {
            if let Within::Table { by, .. } = within {
                names.extend(by.iter().cloned());
            }
            if let Anchor::Variable(name) = from {
                names.push(name.clone());
            }
            names.extend(service.iter().cloned());
        }
        None => {}
    }
    let (phase, step): (Option<&Phase>, _) = match playbook.step(id) {
        Some((phase, step)) => (Some(phase), step.when.as_ref()),
        None => (playbook.phase(id), None),
    };
    let conditions = phase.and_then(|p| p.when.as_ref()).into_iter().chain(step);
    names.extend(conditions.flat_map(|c| c.tests.iter().map(|t| t.variable().to_string())));
    names
}

/// Whether the rule counts from an instant that work decides (a completion, a start).
fn counts_from_work(playbook: &Playbook, id: &str, kind: DateKind) -> bool {
    matches!(
        rule(playbook, id, kind).map(|d| &d.rule),
        Some(Rule::Window { from: Anchor::Started(_) | Anchor::Done(_) | Anchor::ProjectStart, .. })
    )
}

fn causes(
    id: &str,
    kind: DateKind,
    old: (Slot<'_>, &Judged<'_>),
    new: (Slot<'_>, &Judged<'_>),
) -> Vec<Cause> {
    let ((before, old), (after, new)) = (old, new);
    let (old_file, new_file) = (&old.side.file, &new.side.file);
    let mut found = Vec::new();
    if old_file.playbook_hash != new_file.playbook_hash {
        let short = |hash: &str| hash.trim_start_matches("sha256:").chars().take(12).collect::<String>();
        found.push(Cause::Playbook {
            from: short(&old_file.playbook_hash),
            to: short(&new_file.playbook_hash),
        });
    }
    let mut names = variables_read(&new.side.playbook, id, kind);
    names.extend(variables_read(&old.side.playbook, id, kind));
    let mut seen = BTreeSet::new();
    for name in names.into_iter().filter(|n| seen.insert(n.clone())) {
        let (from, to) = (old.progress.vars.get(&name).cloned(), new.progress.vars.get(&name).cloned());
        if from != to {
            found.push(Cause::Variable { name, from, to });
        }
    }
    let from_work =
        counts_from_work(&new.side.playbook, id, kind) || counts_from_work(&old.side.playbook, id, kind);
    let anchors = (before.derivation().map(|d| d.anchor), after.derivation().map(|d| d.anchor));
    if from_work && anchors.0 != anchors.1 {
        let source = after.derivation().or(before.derivation()).map(|d| d.anchor_source.clone());
        found.push(Cause::Anchor {
            anchor: source.unwrap_or_default(),
            from: anchors.0.map(Timestamp),
            to: anchors.1.map(Timestamp),
        });
    }
    found.extend(calendar_causes((before, old.calendar()), (after, new.calendar())));
    if found.is_empty() {
        found.push(Cause::Rule { from: before.words(), to: after.words() });
    }
    found
}

/// The calendar's part: another calendar, other business hours (for hour rules), or
/// days between the anchors and the due dates that opened or closed.
fn calendar_causes(old: (Slot<'_>, &Calendar), new: (Slot<'_>, &Calendar)) -> Vec<Cause> {
    let ((before, old), (after, new)) = (old, new);
    if old.id != new.id {
        return vec![Cause::Calendar { from: old.id.clone(), to: new.id.clone() }];
    }
    let mut found = Vec::new();
    let hourly =
        [before, after].iter().filter_map(|s| s.derivation()).any(|d| d.counting.window(old).is_some());
    if hourly && old.hours != new.hours {
        let text = |c: &Calendar| format!("{}-{}", c.hours.0.format("%H:%M"), c.hours.1.format("%H:%M"));
        found.push(Cause::Hours { from: text(old), to: text(new) });
    }
    if old.closures == new.closures && old.worked == new.worked && old.holidays == new.holidays {
        return found;
    }
    let mut days: Vec<NaiveDate> = Vec::new();
    for (slot, calendar) in [(before, old), (after, new)] {
        if let Some(derivation) = slot.derivation() {
            days.push(derivation.anchor.with_timezone(&calendar.zone).date_naive());
            days.push(match derivation.due {
                Due::Day(day) => day,
                Due::At(at) => at.with_timezone(&calendar.zone).date_naive(),
            });
        }
    }
    let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) else { return found };
    let open = |closed: Option<crate::calendar::Closed>| {
        closed.map_or("business day".to_string(), |c| c.to_string())
    };
    // A rule counts at most 100 years; the bound only guards the loop.
    for day in first.iter_days().take_while(|d| d <= last).take(40_000) {
        let (was, is) = (old.closed(day), new.closed(day));
        if was != is {
            found.push(Cause::Day {
                date: day.format("%Y-%m-%d").to_string(),
                from: open(was),
                to: open(is),
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::project::Timestamp;

    fn event(action: Action, at: &str, note: Option<&str>) -> Event {
        Event {
            at: Timestamp(DateTime::parse_from_rfc3339(at).unwrap()),
            by: "ana".into(),
            action,
            value: None,
            values: BTreeMap::new(),
            note: note.map(str::to_string),
            tool: "onboard 0.1.0".into(),
            recorded_at: None,
        }
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

    fn side(playbook: &Playbook, calendar: Calendar, j: &str) -> Side {
        let stamp = crate::state::change::Stamp {
            at: Timestamp(DateTime::parse_from_rfc3339("2026-11-02T10:00:00+01:00").unwrap()),
            by: "ana".into(),
            recorded: None,
        };
        let j = Value::Date(NaiveDate::parse_from_str(j, "%Y-%m-%d").unwrap());
        let vars = BTreeMap::from([("J".to_string(), j)]);
        let file = crate::state::change::start(playbook, "opera", "CH", &vars, &stamp);
        Side { file, playbook: std::sync::Arc::new(playbook.clone()), calendar }
    }

    fn now() -> Instant {
        DateTime::parse_from_rfc3339("2026-11-09T09:00:00+01:00").unwrap()
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
        working.worked.insert(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap());
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
