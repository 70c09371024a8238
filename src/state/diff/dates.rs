//! The dates a change moved: every due date and earliest start that differs between two
//! versions of a project, judged at the same instant, and why each moved (a variable,
//! the instant the rule counts from, the calendar, the playbook version).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use super::{Item, Judged, value_json};
use crate::calendar::{Calendar, Closed};
use crate::deadline::evaluate::{Derivation, Due};
use crate::playbook::rule::{Anchor, Deadline, Rule, Within};
use crate::playbook::value::Value;
use crate::playbook::{Phase, Playbook};
use crate::state::project::Timestamp;
use crate::state::schedule::{Entry, Schedule, Start};

/// Whether a date is a phase's or a step's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Node {
    Phase,
    Step,
}

/// Which date of a phase or step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DateKind {
    Due,
    /// A step's `not_before`.
    EarliestStart,
}

/// A due date or an earliest start that differs between the two versions.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct DateMove {
    /// `"phase"` or `"step"`.
    pub node: Node,
    #[serde(flatten)]
    pub item: Item,
    /// `"due"`, or `"earliest_start"` (a step's `not_before`).
    pub date: DateKind,
    /// The old due moment, `YYYY-MM-DD` for day rules, RFC 3339 for hour rules; `null` when
    /// there was none yet: not computable (its anchor had not happened), not applicable, or
    /// no rule.
    pub from: Option<String>,
    /// The new one, the same way. A date that goes away because its step was completed or
    /// skipped is not listed: the step is.
    pub to: Option<String>,
    /// Why it moved, one or more, each with a `kind`: `variable`, `anchor`, `calendar`,
    /// `hours`, `day`, `playbook` or `rule`.
    pub causes: Vec<Cause>,
}

/// Why a date moved.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Cause {
    /// A variable the rule (or the step's or phase's condition) reads changed: `J`, a
    /// table's key, a service level.
    Variable {
        name: String,
        #[serde(serialize_with = "value_json")]
        #[schemars(with = "Option<serde_json::Value>")]
        from: Option<Value>,
        #[serde(serialize_with = "value_json")]
        #[schemars(with = "Option<serde_json::Value>")]
        to: Option<Value>,
    },
    /// The instant the rule counts from changed (a step's completion, a phase's start):
    /// `anchor` says which (``"when `suspend` was completed"``, ``"when `certification`
    /// became ready"``); `from` and `to` are timestamps or `null`.
    Anchor { anchor: String, from: Option<Timestamp>, to: Option<Timestamp> },
    /// The project moved to another calendar.
    Calendar { from: String, to: String },
    /// The calendar's business hours changed (`"09:00-18:00"`, the team's override), for
    /// hour rules.
    Hours { from: String, to: String },
    /// A day between the anchor and the due date opened or closed (a closure added, a
    /// holiday worked): `from` and `to` are `"business day"`, `"weekend"`, `"holiday: NAME"`
    /// or `"closure: NAME"`.
    Day { date: String, from: String, to: String },
    /// The project follows another playbook version (12 hex digits each).
    Playbook { from: String, to: String },
    /// None of the above: the derivations in words, as `explain` counts them.
    Rule { from: Option<String>, to: Option<String> },
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

/// The date a schedule gives a phase or step.
fn slot<'s>(schedule: &'s Schedule, id: &str, kind: DateKind) -> Slot<'s> {
    match kind {
        DateKind::Due => match schedule.get(id) {
            Some(Entry::Timed(timing)) => Slot::Dated(&timing.derivation),
            Some(Entry::Pending(why)) => Slot::Pending(why),
            None => Slot::Absent,
        },
        DateKind::EarliestStart => match schedule.starts.get(id) {
            Some(Start::Dated(wait)) => Slot::Dated(&wait.derivation),
            Some(Start::Pending(why)) => Slot::Pending(why),
            None => Slot::Absent,
        },
    }
}

/// Every date that differs, in the order of `items`.
pub(super) fn moved(items: &[(Node, Item)], old: &Judged<'_>, new: &Judged<'_>) -> Vec<DateMove> {
    let mut moves = Vec::new();
    // The new version on the old calendar, built once if some closed day changed: a day
    // is a cause only when the date would not have moved without it.
    let (was, is) = (old.calendar(), new.calendar());
    let days_changed = was.id == is.id
        && (was.closures != is.closures || was.worked != is.worked || was.holidays != is.holidays);
    let counterfactual = days_changed.then(|| new.on_calendar(was));
    for (node, item) in items {
        let kinds: &[DateKind] =
            if *node == Node::Step { &[DateKind::Due, DateKind::EarliestStart] } else { &[DateKind::Due] };
        for kind in kinds {
            let (before, after) =
                (slot(&old.schedule, &item.id, *kind), slot(&new.schedule, &item.id, *kind));
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
                causes: without_idle_days(
                    causes(&item.id, *kind, (before, old), (after, new)),
                    counterfactual.as_ref().map(|s| slot(s, &item.id, *kind).due()),
                    after.due(),
                ),
            });
        }
    }
    moves
}

/// Drops the closed days named as causes when the date is the same without them (the new
/// version on the old calendar gives it too): something else moved it.
fn without_idle_days(
    causes: Vec<Cause>,
    on_old_calendar: Option<Option<Due>>,
    due: Option<Due>,
) -> Vec<Cause> {
    let others = causes.iter().any(|c| !matches!(c, Cause::Day { .. }));
    match on_old_calendar {
        Some(same) if others && same == due => {
            causes.into_iter().filter(|c| !matches!(c, Cause::Day { .. })).collect()
        }
        _ => causes,
    }
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
        let text = |c: &Calendar| crate::calendar::hours_text(c.hours);
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
    let open = |closed: Option<Closed>| closed.map_or("business day".to_string(), |c| c.to_string());
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
