//! Where a project stands: each step's and phase's status, derived from its events (as
//! `replay` reads them) and the playbook's order and conditions.
//!
//! A step is *ready* when its phase has started and its prerequisites are complete.
//! Complete means done or skipped; an optional step that is not done, and a step whose
//! condition is false, are transparent: they do not hold back what follows them.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, FixedOffset};
use indexmap::IndexMap;

use super::project::{Action, CALENDAR_KEY, ProjectFile, Timestamp};
use super::replay::{StepRecord, Stored};
use crate::playbook::condition::Condition;
use crate::playbook::model::Node;
use crate::playbook::value::Value;
use crate::playbook::{Phase, Playbook, Step};

type Instant = DateTime<FixedOffset>;

/// The status of a step or phase, as `status` shows it and `--json` writes it. The
/// variants' notes are comments, not docs, and their order is the schema's: a derived
/// schema lists plain names only for variants without docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum Status {
    // Its prerequisites are not complete yet.
    Waiting,
    // It can be done now.
    Ready,
    // Its prerequisites are complete, but its earliest start (`not_before`) has not come:
    // only `standing` says so, which knows the calendar and now.
    Scheduled,
    Done,
    // Skipped by someone, or not applicable because its condition is false.
    Skipped,
    // Its prerequisites are complete, but its condition reads a variable with no value yet.
    Blocked,
}

/// One step of a project.
#[derive(Debug, Clone)]
pub struct StepView<'a> {
    pub phase: &'a Phase,
    pub step: &'a Step,
    pub status: Status,
    /// When it became ready (its prerequisites were complete).
    pub started_at: Option<Instant>,
    /// What its events add up to (an open record when it has none).
    pub record: StepRecord,
    /// Why it is skipped, blocked or waiting, in words.
    pub reason: Option<String>,
    /// Done while a prerequisite is open (after a merge, or a reopen upstream): the open
    /// prerequisites, as labels.
    pub ahead_of: Vec<String>,
}

impl StepView<'_> {
    /// Skipped because its condition (or its phase's) is false, not by anyone.
    pub fn is_not_applicable(&self) -> bool {
        self.status == Status::Skipped && self.record.status != Stored::Skipped
    }

    /// Done while a prerequisite is open: `advance` never does that, a merge can (and so
    /// does reopening a prerequisite). A step *skipped* ahead is not counted: `skip`
    /// waives an optional step before it is ready on purpose.
    pub fn is_done_ahead(&self) -> bool {
        self.status == Status::Done && !self.ahead_of.is_empty()
    }

    /// ``step 3.2.1 `send-documentation` is done while its prerequisite 3.1 `contact-list` is open``,
    /// when it is done ahead; `status` and `doctor` say it in the same words.
    pub fn done_ahead(&self) -> Option<String> {
        if !self.is_done_ahead() {
            return None;
        }
        let (noun, verb) =
            if self.ahead_of.len() == 1 { ("prerequisite", "is") } else { ("prerequisites", "are") };
        Some(format!(
            "step {} is done while its {noun} {} {verb} open",
            self.step.named(),
            crate::words::list(&self.ahead_of)
        ))
    }
}

/// One phase of a project, with its steps.
#[derive(Debug, Clone)]
pub struct PhaseView<'a> {
    pub phase: &'a Phase,
    pub status: Status,
    pub started_at: Option<Instant>,
    pub steps: Vec<StepView<'a>>,
}

/// A whole project's state.
#[derive(Debug, Clone)]
pub struct Progress<'a> {
    pub phases: Vec<PhaseView<'a>>,
    pub vars: BTreeMap<String, Value>,
    /// Each step's place in `phases`, by id, so that looking a step up does not scan.
    step_places: HashMap<&'a str, (usize, usize)>,
    phase_places: HashMap<&'a str, usize>,
}

impl<'a> Progress<'a> {
    pub fn steps(&self) -> impl Iterator<Item = &StepView<'a>> {
        self.phases.iter().flat_map(|phase| phase.steps.iter())
    }

    pub fn step(&self, id: &str) -> Option<&StepView<'a>> {
        let (phase, step) = *self.step_places.get(id)?;
        self.phases.get(phase)?.steps.get(step)
    }

    pub fn phase(&self, id: &str) -> Option<&PhaseView<'a>> {
        self.phases.get(*self.phase_places.get(id)?)
    }

    pub fn ready(&self) -> Vec<&StepView<'a>> {
        self.steps().filter(|view| view.status == Status::Ready).collect()
    }

    /// The first phase that is not finished, for portfolio views.
    pub fn current_phase(&self) -> Option<&PhaseView<'a>> {
        self.phases.iter().find(|p| matches!(p.status, Status::Ready | Status::Blocked | Status::Waiting))
    }

    /// Steps done or skipped by someone, out of the steps that apply to this project.
    pub fn counts(&self) -> (usize, usize) {
        let applicable: Vec<_> = self.steps().filter(|v| !v.is_not_applicable()).collect();
        let finished =
            applicable.iter().filter(|v| matches!(v.status, Status::Done | Status::Skipped)).count();
        (finished, applicable.len())
    }
}

/// Every variable's value. A variable may be given at start, changed with `set`, and
/// recorded by done steps; the latest of these wins. At the same instant a step's value
/// beats the start's and `set` beats both, since `set` is the explicit correction.
pub(crate) fn variables(playbook: &Playbook, file: &ProjectFile) -> BTreeMap<String, Value> {
    variables_with(playbook, file, &records(file))
}

/// Each step's record, replayed from its events, in the file's order (which decides
/// between values recorded at the same instant).
fn records(file: &ProjectFile) -> IndexMap<&str, StepRecord> {
    file.steps.iter().map(|(id, events)| (id.as_str(), StepRecord::replay(events))).collect()
}

fn variables_with(
    playbook: &Playbook,
    file: &ProjectFile,
    records: &IndexMap<&str, StepRecord>,
) -> BTreeMap<String, Value> {
    let given = file.start.values.iter().map(|(name, yaml)| ((file.start.at, 0), name, yaml));
    let set = file.vars.iter().filter(|(name, _)| *name != CALENDAR_KEY).flat_map(|(name, events)| {
        let sets = super::project::counting(events).filter(|e| e.action == Action::Set);
        sets.filter_map(move |e| Some(((e.at, 2), name, e.value.as_ref()?)))
    });
    let recorded = records.values().filter(|r| r.status == Stored::Done).flat_map(|record| {
        let marks = record.marks.iter();
        marks.flat_map(|mark| mark.values.iter().map(move |(name, yaml)| ((mark.at, 1), name, yaml)))
    });
    let mut all: Vec<((Timestamp, u8), &String, &serde_yaml::Value)> =
        given.chain(set).chain(recorded).collect();
    all.sort_by_key(|(order, _, _)| *order);
    let mut vars = BTreeMap::new();
    for (_, name, yaml) in all {
        if let Some(value) = playbook.kind_of(name).and_then(|kind| kind.from_yaml(yaml).ok()) {
            vars.insert(name.clone(), value);
        }
    }
    vars
}

/// How much of a project's progress to derive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Everything a project's own views show: statuses, and each step's reason and the
    /// open prerequisites of a step done ahead, in words.
    Full,
    /// Statuses, start instants and records only: what portfolio commands (`check`, the
    /// portfolio `status`, `next`) read. Reasons and `ahead_of` stay empty; building
    /// their text for every step of every project was most of a warm `check`.
    Statuses,
}

/// Derives every status. The playbook's prerequisites are acyclic (validation checks it).
pub(crate) fn compute<'a>(playbook: &'a Playbook, file: &'a ProjectFile) -> Progress<'a> {
    compute_with(playbook, file, Detail::Full)
}

/// Derives every status, with as much text as `detail` asks for.
pub(crate) fn compute_with<'a>(
    playbook: &'a Playbook,
    file: &'a ProjectFile,
    detail: Detail,
) -> Progress<'a> {
    let records = records(file);
    let vars = variables_with(playbook, file, &records);
    let eval = Evaluator {
        playbook,
        file,
        records,
        vars: &vars,
        recorders: OnceCell::new(),
        detail,
        complete: RefCell::new(HashMap::new()),
        pending: RefCell::new(HashSet::new()),
    };
    let phases: Vec<PhaseView<'a>> = playbook
        .phases
        .iter()
        .map(|phase| {
            let steps: Vec<StepView<'a>> =
                phase.steps.iter().map(|step| eval.step_view(phase, step)).collect();
            let started_at = eval.phase_start(phase);
            let status = eval.phase_status(phase, &steps, started_at);
            PhaseView { phase, status, started_at, steps }
        })
        .collect();
    let (mut step_places, mut phase_places) = (HashMap::new(), HashMap::new());
    for (p, view) in phases.iter().enumerate() {
        phase_places.entry(view.phase.id.as_str()).or_insert(p);
        for (s, step) in view.steps.iter().enumerate() {
            step_places.entry(step.step.id.as_str()).or_insert((p, s));
        }
    }
    Progress { phases, vars, step_places, phase_places }
}

struct Evaluator<'a, 'v> {
    playbook: &'a Playbook,
    file: &'a ProjectFile,
    records: IndexMap<&'a str, StepRecord>,
    vars: &'v BTreeMap<String, Value>,
    /// The steps that record each field, in playbook order; built the first time a
    /// condition reads a field with no value (most projects never need it).
    recorders: OnceCell<HashMap<&'a str, Vec<&'a Step>>>,
    detail: Detail,
    /// When each phase or step became complete (or transparent); `None`: not yet.
    complete: RefCell<HashMap<String, Option<Instant>>>,
    /// Phases and steps whose completion is being worked out: met again, they are part
    /// of a cycle (which validation refuses), and count as not complete.
    pending: RefCell<HashSet<String>>,
}

impl<'a> Evaluator<'a, '_> {
    fn recorders(&self) -> &HashMap<&'a str, Vec<&'a Step>> {
        self.recorders.get_or_init(|| {
            let mut recorders: HashMap<&str, Vec<&Step>> = HashMap::new();
            for (_, step) in self.playbook.steps() {
                for field in &step.fields {
                    recorders.entry(field.name.as_str()).or_default().push(step);
                }
            }
            recorders
        })
    }

    fn record(&self, id: &str) -> Option<&StepRecord> {
        self.records.get(id)
    }

    fn condition(&self, condition: Option<&Condition>) -> Option<bool> {
        condition.map_or(Some(true), |c| c.evaluate(|name| self.vars.get(name)))
    }

    fn applies(&self, phase: &'a Phase, step: &'a Step) -> Option<bool> {
        let known = || Some(self.condition(phase.when.as_ref())? && self.condition(step.when.as_ref())?);
        known().or_else(|| self.never_recording(phase, step).map(|_| false))
    }

    /// When the conditions read only fields that can no longer get a value, because every
    /// step that records them was skipped, says why: the step can never apply, rather
    /// than stay blocked for good (skipping the $95.000 payment rules out the copy).
    fn never_recorded(&self, phase: &'a Phase, step: &'a Step) -> Option<String> {
        let (unset, mut skipped) = self.never_recording(phase, step)?;
        skipped.dedup_by(|a, b| std::ptr::eq(*a, *b));
        let skipped: Vec<String> = skipped.iter().map(|s| s.named()).collect();
        let names: Vec<String> = unset.iter().map(|n| format!("`{n}`")).collect();
        let was = if skipped.len() == 1 { "was" } else { "were" };
        Some(format!("{} {was} skipped, so {} will never be recorded", skipped.join(", "), names.join(", ")))
    }

    /// The fields with no value that the conditions read, and the skipped steps that
    /// would have recorded them, when every one of those steps was skipped; no text, so
    /// that deciding a status builds none.
    fn never_recording(&self, phase: &'a Phase, step: &'a Step) -> Option<(Vec<&'a str>, Vec<&'a Step>)> {
        let unset = self.unset_names(phase, step);
        let mut skipped = Vec::new();
        for name in &unset {
            if self.playbook.variable(name).is_some() {
                return None;
            }
            for recorder in self.recorders().get(name).into_iter().flatten() {
                if self.record(&recorder.id).is_none_or(|r| r.status != Stored::Skipped) {
                    return None;
                }
                skipped.push(*recorder);
            }
        }
        (!unset.is_empty()).then_some((unset, skipped))
    }

    /// The latest of the project start and the completion of each of `after`.
    fn start_after(&self, after: &[String]) -> Option<Instant> {
        let mut start = self.file.started_at().0;
        for id in after {
            start = start.max(self.complete_at(id)?);
        }
        Some(start)
    }

    fn phase_start(&self, phase: &Phase) -> Option<Instant> {
        self.start_after(&phase.after)
    }

    fn step_start(&self, phase: &Phase, step: &Step) -> Option<Instant> {
        Some(self.phase_start(phase)?.max(self.start_after(&step.after)?))
    }

    fn complete_at(&self, id: &str) -> Option<Instant> {
        if let Some(known) = self.complete.borrow().get(id) {
            return *known;
        }
        if self.pending.borrow().contains(id) {
            return None;
        }
        self.work_out(id);
        self.complete.borrow().get(id).copied().flatten()
    }

    /// Works out when `id` became complete, after everything its completion depends on,
    /// deepest first, with a stack of its own: a chain of prerequisites is as long as the
    /// playbook makes it, and must not become as deep a recursion.
    fn work_out(&self, id: &str) {
        let mut stack: Vec<(&str, bool)> = vec![(id, false)];
        while let Some((node, needs_done)) = stack.pop() {
            if self.complete.borrow().contains_key(node) {
                continue;
            }
            if needs_done {
                let at = match self.playbook.node(node) {
                    Some(Node::Step(phase, step)) => self.step_complete_at(phase, step),
                    Some(Node::Phase(phase)) => self.phase_complete_at(phase),
                    None => None,
                };
                self.complete.borrow_mut().insert(node.to_string(), at);
                self.pending.borrow_mut().remove(node);
                continue;
            }
            if !self.pending.borrow_mut().insert(node.to_string()) {
                continue;
            }
            stack.push((node, true));
            for need in self.needs(node).into_iter().rev() {
                if !self.complete.borrow().contains_key(need) && !self.pending.borrow().contains(need) {
                    stack.push((need, false));
                }
            }
        }
    }

    /// The phases and steps whose completion `id`'s completion may read.
    fn needs(&self, id: &str) -> Vec<&'a str> {
        let ids = |list: &'a [String]| list.iter().map(String::as_str);
        match self.playbook.node(id) {
            Some(Node::Step(_, step)) if self.record(&step.id).and_then(StepRecord::done_at).is_some() => {
                Vec::new()
            }
            Some(Node::Step(phase, step)) => ids(&phase.after).chain(ids(&step.after)).collect(),
            Some(Node::Phase(phase)) => {
                ids(&phase.after).chain(phase.steps.iter().map(|s| s.id.as_str())).collect()
            }
            None => Vec::new(),
        }
    }

    fn step_complete_at(&self, phase: &'a Phase, step: &'a Step) -> Option<Instant> {
        if let Some(at) = self.record(&step.id).and_then(StepRecord::done_at) {
            return Some(at.0);
        }
        let transparent = step.optional || self.applies(phase, step) == Some(false);
        if transparent { self.step_start(phase, step) } else { None }
    }

    fn phase_complete_at(&self, phase: &Phase) -> Option<Instant> {
        let mut at = self.phase_start(phase)?;
        if self.condition(phase.when.as_ref()) == Some(false) {
            return Some(at);
        }
        for step in &phase.steps {
            at = at.max(self.complete_at(&step.id)?);
        }
        Some(at)
    }

    fn step_view(&self, phase: &'a Phase, step: &'a Step) -> StepView<'a> {
        let record = self.record(&step.id).cloned().unwrap_or_default();
        let started_at = self.step_start(phase, step);
        let full = self.detail == Detail::Full;
        let (status, reason) = match record.status {
            Stored::Done => (Status::Done, None),
            Stored::Skipped => (Status::Skipped, record.note().filter(|_| full).map(str::to_string)),
            Stored::Open => self.open_status(phase, step, started_at),
        };
        // Skipping ahead is a decision anyone may take early; being done ahead is not.
        let ahead_of = match record.status {
            Stored::Done if full => self.missing(phase, step),
            Stored::Done | Stored::Open | Stored::Skipped => Vec::new(),
        };
        StepView { phase, step, status, started_at, record, reason, ahead_of }
    }

    /// An open step's status, and with `Detail::Full` why: the same decisions in the same
    /// order either way, with no text built for `Detail::Statuses`.
    fn open_status(
        &self,
        phase: &'a Phase,
        step: &'a Step,
        started_at: Option<Instant>,
    ) -> (Status, Option<String>) {
        let full = self.detail == Detail::Full;
        match self.applies(phase, step) {
            Some(false) if !full => (Status::Skipped, None),
            Some(false) if let Some(why) = self.never_recorded(phase, step) => {
                (Status::Skipped, Some(format!("not applicable: {why}")))
            }
            Some(false) => {
                let condition = phase
                    .when
                    .as_ref()
                    .or(step.when.as_ref())
                    .map(std::string::ToString::to_string)
                    .unwrap_or_default();
                let failing = [phase.when.as_ref(), step.when.as_ref()]
                    .into_iter()
                    .flatten()
                    .find(|c| self.condition(Some(c)) == Some(false))
                    .map(std::string::ToString::to_string)
                    .unwrap_or(condition);
                (Status::Skipped, Some(format!("not applicable: `{failing}` is false")))
            }
            _ if started_at.is_none() => {
                (Status::Waiting, full.then(|| self.missing(phase, step).join(", ")))
            }
            None => {
                let unset = || self.unset_variables(phase, step).join(", ");
                (Status::Blocked, full.then(|| format!("waits for {} to be set", unset())))
            }
            Some(true) => (Status::Ready, None),
        }
    }

    /// The prerequisites (phase's and step's) that are not complete, as labels.
    pub(crate) fn missing(&self, phase: &Phase, step: &Step) -> Vec<String> {
        phase
            .after
            .iter()
            .chain(&step.after)
            .filter(|id| self.complete_at(id).is_none())
            .map(|id| self.playbook.named(id))
            .collect()
    }

    fn unset_variables(&self, phase: &'a Phase, step: &'a Step) -> Vec<String> {
        self.unset_names(phase, step).into_iter().map(|name| format!("`{name}`")).collect()
    }

    /// The variables and fields the conditions read that have no value, once each.
    fn unset_names(&self, phase: &'a Phase, step: &'a Step) -> Vec<&'a str> {
        let mut names: Vec<&str> = [phase.when.as_ref(), step.when.as_ref()]
            .into_iter()
            .flatten()
            .flat_map(|c| c.tests.iter())
            .map(super::super::playbook::condition::Test::variable)
            .filter(|name| !self.vars.contains_key(*name))
            .collect();
        names.dedup();
        names
    }

    fn phase_status(&self, phase: &Phase, steps: &[StepView<'_>], started_at: Option<Instant>) -> Status {
        let finished =
            |s: &StepView<'_>| matches!(s.status, Status::Done | Status::Skipped) || s.step.optional;
        match self.condition(phase.when.as_ref()) {
            Some(false) => Status::Skipped,
            _ if steps.iter().all(finished) && steps.iter().any(|s| s.status == Status::Done) => Status::Done,
            _ if steps.iter().all(|s| s.status == Status::Skipped) => Status::Skipped,
            _ if started_at.is_none() => Status::Waiting,
            None => Status::Blocked,
            Some(true) => Status::Ready,
        }
    }
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Ready => "ready",
            Status::Done => "done",
            Status::Skipped => "skipped",
            Status::Blocked => "blocked",
            Status::Scheduled => "scheduled",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::{Origin, parse};
    use crate::state::change::start;
    use crate::state::fixture::stamp;
    use crate::state::project::{Action, Event};

    /// A parallel phase of `n` optional steps, each after the next: an optional step does
    /// not hold back what follows it, so each one's start reads the next one's.
    fn reversed_chain(n: usize) -> String {
        let mut text = String::from(
            "id: chain\ntitle: Chain\ncalendar: PY\nroles:\n  - id: SISTEMAS\nphases:\n  - id: chain\n    title: Chain\n    order: parallel\n    steps:\n",
        );
        for i in 0..n {
            let after = if i + 1 < n { format!(", after: [s{}]", i + 1) } else { String::new() };
            text.push_str(&format!(
                "      - {{id: s{i}, title: S, owner: SISTEMAS, optional: true{after}}}\n"
            ));
        }
        text
    }

    #[test]
    fn a_long_chain_of_prerequisites_is_worked_out_without_deep_recursion() {
        let playbook = parse(&reversed_chain(2000), "chain.yaml", Origin::Bundled).unwrap();
        let file = start(&playbook, "chain", "PY", &BTreeMap::new(), &stamp("2026-03-02T09:00:00-03:00"));
        // A small stack: a frame per step of the chain would overflow it.
        let statuses = std::thread::Builder::new()
            .stack_size(128 * 1024)
            .spawn(move || {
                let progress = compute(&playbook, &file);
                (progress.step("s0").map(|v| v.status), progress.ready().len())
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(statuses, (Some(Status::Ready), 2000));
    }

    /// An event of `action` on a step at `minutes` past the project's start, as a merge
    /// or a hand edit may leave it: readiness is not checked, so that steps done ahead,
    /// skips of required steps and reopens come up too.
    fn event(start: Timestamp, minutes: i64, action: Action) -> Event {
        let at = Timestamp(start.0 + chrono::Duration::minutes(minutes));
        Event { note: Some("by hand".into()), ..Event::new(at, "ana", action) }
    }

    /// Everything a portfolio command reads of a progress, side by side for comparison.
    fn statuses(progress: &Progress<'_>) -> Vec<String> {
        let phases =
            progress.phases.iter().map(|p| format!("{} {:?} {:?}", p.phase.id, p.status, p.started_at));
        let steps = progress.steps().map(|s| {
            format!(
                "{} {:?} {:?} {:?} {}",
                s.step.id,
                s.status,
                s.started_at,
                s.record,
                s.is_not_applicable()
            )
        });
        let summary = format!(
            "{:?} {:?} {:?} {:?}",
            progress.vars,
            progress.counts(),
            progress.current_phase().map(|p| &p.phase.id),
            progress.ready().iter().map(|s| &s.step.id).collect::<Vec<_>>()
        );
        phases.chain(steps).chain([summary]).collect()
    }

    #[test]
    fn the_lean_progress_has_the_statuses_of_the_full_one_for_every_bundled_playbook() {
        let stamp = stamp("2026-03-02T09:00:00-03:00");
        let at = stamp.at;
        let mut compared = 0;
        for (name, _) in crate::playbook::catalog::BUNDLED {
            let playbook =
                crate::playbook::catalog::bundled(name.trim_end_matches(".yaml")).unwrap().unwrap();
            let ids: Vec<String> = playbook.steps().map(|(_, step)| step.id.clone()).collect();
            // Several walks through the playbook, each step taking its turn at each kind
            // of event; the progress is compared after every event, at every instant the
            // project went through.
            for walk in 0..5 {
                let mut file = start(&playbook, "coop-central", "PY", &BTreeMap::new(), &stamp);
                for (n, id) in ids.iter().enumerate() {
                    let action = match (n + walk) % 5 {
                        0 | 1 => Action::Done,
                        2 => Action::Skip,
                        3 => Action::Round,
                        _ => continue,
                    };
                    let events = file.steps.entry(id.clone()).or_default();
                    events.push(event(at, n as i64, action));
                    if (n + walk) % 7 == 0 {
                        events.push(event(at, n as i64, Action::Reopen));
                    }
                    let full = compute(&playbook, &file);
                    let lean = compute_with(&playbook, &file, Detail::Statuses);
                    assert_eq!(statuses(&lean), statuses(&full), "{name}, walk {walk}, after {id}");
                    assert!(lean.steps().all(|s| s.reason.is_none() && s.ahead_of.is_empty()));
                    compared += 1;
                }
            }
        }
        // Every bundled playbook was walked, not an empty list.
        assert!(compared > 400, "{compared}");
    }
}
