//! Three-way merge of a project file, event by event: what the git merge driver
//! (`onboard merge-file`) and `onboard resolve` both do.
//!
//! Every block (a step's or a variable's events, and the project's lifecycle records)
//! becomes the union of both sides' events: an event both sides have counts once; an
//! event that one side removed from the common base (a deliberate hand edit) stays
//! removed. The union is ordered by instant, each side keeping its own order, ties
//! broken by the events' text, so the result does not depend on which side is "ours".
//! Nothing derived is merged: status, completion and current values are replayed from
//! the merged events, so the usual rules decide (the latest `set` wins, a step done on
//! both sides is done once, a reopen and a completion count in the order of their
//! instants).
//!
//! A project moved to another playbook version on one side only (`onboard upgrade` on a
//! branch) is a change like any other: the merge takes that side's version, its order of
//! blocks, and the blocks it removed, as long as the other side recorded nothing in them.

use anyhow::Result;
use serde::Serialize;

/// The line of `<state dir>/.gitattributes` that routes project files to the merge driver.
pub(crate) const MERGE_RULE: &str = "projects/*.yaml merge=onboard";
/// The same for archived projects: git picks the driver by the path a file ends at, so
/// work merged into a project that the other side archived needs it too.
pub(crate) const ARCHIVE_MERGE_RULE: &str = "archive/*.yaml merge=onboard";
/// Every line `onboard init` writes to `.gitattributes`.
pub(crate) const MERGE_RULES: [&str; 2] = [MERGE_RULE, ARCHIVE_MERGE_RULE];
use indexmap::IndexMap;

use super::project::{Event, ProjectFile, Record, Timestamp};
use crate::hint::hinted;

/// What events cannot decide: keep one side and redo the other's work.
const KEEP_ONE_SIDE: &str = "events cannot decide this: keep one side with `git checkout --ours` or `--theirs` on the file, then redo the other side's work with onboard commands";

/// Merges `ours` and `theirs`, which both descend from `base` (`None` when the file was
/// added on both sides). Fails, with a hint, only for what events cannot decide: two
/// different projects, playbooks or playbook versions, two different starts, or work
/// recorded on one side in a block that the other side removed.
pub(crate) fn merge(
    base: Option<&ProjectFile>,
    ours: &ProjectFile,
    theirs: &ProjectFile,
) -> Result<ProjectFile> {
    let pick = |what: &str, field: fn(&ProjectFile) -> String| -> Result<String> {
        let (mine, other) = (field(ours), field(theirs));
        match base.map(field) {
            _ if mine == other => Ok(mine),
            Some(old) if old == mine => Ok(other),
            Some(old) if old == other => Ok(mine),
            _ => Err(hinted(
                format!("the two sides have different {what}: `{mine}` and `{other}`"),
                KEEP_ONE_SIDE,
            )),
        }
    };
    let project = pick("project names", |f| f.project.clone())?;
    let playbook = pick("playbooks", |f| f.playbook.clone())?;
    let playbook_hash = pick("playbook versions", |f| f.playbook_hash.clone())?;
    let start = if ours.start == theirs.start {
        ours.start.clone()
    } else if base.is_some_and(|b| b.start == ours.start) {
        theirs.start.clone()
    } else if base.is_some_and(|b| b.start == theirs.start) {
        ours.start.clone()
    } else {
        return Err(hinted(
            format!("project `{project}` was started twice, once on each side"),
            "events cannot decide which start counts: keep one side with `git checkout --ours` or `--theirs` on the file, or rename one project",
        ));
    };
    // The side that moved to another playbook version lays out the blocks for it.
    let (first, second) =
        if theirs.playbook_hash != ours.playbook_hash && theirs.playbook_hash == playbook_hash {
            (theirs, ours)
        } else {
            (ours, theirs)
        };
    Ok(ProjectFile {
        format: ours.format.max(theirs.format),
        project,
        playbook,
        playbook_hash,
        start,
        lifecycle: union(base.map_or(&[], |b| &b.lifecycle), &ours.lifecycle, &theirs.lifecycle),
        vars: blocks("variable", base.map(|b| &b.vars), &first.vars, &second.vars)?,
        steps: blocks("step", base.map(|b| &b.steps), &first.steps, &second.steps)?,
    })
}

type Blocks = IndexMap<String, Vec<Event>>;

/// Every block of either side, `first`'s in their order, then `second`'s new ones. A
/// block of the base that one side removed stays removed, unless the other side added
/// events to it.
fn blocks(what: &str, base: Option<&Blocks>, first: &Blocks, second: &Blocks) -> Result<Blocks> {
    let keys = first.keys().chain(second.keys().filter(|k| !first.contains_key(*k)));
    let none = Vec::new();
    let mut merged = Blocks::new();
    for key in keys {
        let old = base.and_then(|b| b.get(key));
        let (one, two) = (first.get(key), second.get(key));
        if let (Some(old), Some(kept)) = (old, one.xor(two)) {
            if kept == old {
                continue;
            }
            return Err(hinted(
                format!(
                    "{what} `{key}` was removed on one side (an upgrade to another playbook version, or a hand edit) and has new events on the other"
                ),
                KEEP_ONE_SIDE,
            ));
        }
        let events = union(old.unwrap_or(&none), one.unwrap_or(&none), two.unwrap_or(&none));
        merged.insert(key.clone(), events);
    }
    Ok(merged)
}

/// What the merge orders: an event of a block, or a lifecycle record.
trait Dated: Clone + PartialEq + Serialize {
    fn at(&self) -> Timestamp;
}

impl Dated for Event {
    fn at(&self) -> Timestamp {
        self.at
    }
}

impl Dated for Record {
    fn at(&self) -> Timestamp {
        self.at
    }
}

/// The union of two sides' events, minus what either removed from `base`.
fn union<T: Dated>(base: &[T], ours: &[T], theirs: &[T]) -> Vec<T> {
    let removed: Vec<&T> =
        base.iter().filter(|event| !ours.contains(event) || !theirs.contains(event)).collect();
    let keep = |side: &[T]| -> Vec<(String, T)> {
        side.iter().filter(|e| !removed.contains(e)).map(|e| (sort_text(e), e.clone())).collect()
    };
    let (ours, theirs) = (keep(ours), keep(theirs));
    let (mut i, mut j) = (0, 0);
    let mut merged: Vec<T> = Vec::with_capacity(ours.len() + theirs.len());
    while i < ours.len() || j < theirs.len() {
        let take_ours = match (ours.get(i), theirs.get(j)) {
            (Some(a), Some(b)) if a.1 == b.1 => {
                j += 1;
                true
            }
            (Some(a), Some(b)) => (a.1.at(), &a.0) < (b.1.at(), &b.0),
            (Some(_), None) => true,
            _ => false,
        };
        let event = if take_ours { &ours[i].1 } else { &theirs[j].1 };
        if take_ours {
            i += 1;
        } else {
            j += 1;
        }
        // An event both sides hold counts once, but one side's two identical events (two
        // rounds recorded in one second) stay two: as many as the side with more.
        let on = |side: &[(String, T)]| side.iter().filter(|(_, e)| e == event).count();
        let most = on(&ours).max(on(&theirs));
        if merged.iter().filter(|e| *e == event).count() < most {
            merged.push(event.clone());
        }
    }
    merged
}

/// The text that breaks ties between two different events of the same instant.
fn sort_text(event: &impl Serialize) -> String {
    serde_yaml::to_string(event).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_yaml::Value as Yaml;

    use super::*;
    use crate::state::fixture::{at, event, opera};
    use crate::state::project::Action;
    use crate::state::replay::{StepRecord, Stored};

    fn file(steps: &[(&str, Vec<Event>)]) -> ProjectFile {
        let steps = steps.iter().map(|(id, events)| (id.to_string(), events.clone())).collect();
        ProjectFile { steps, ..opera("2026-03-02T09:00:00Z") }
    }

    fn both_ways(base: &ProjectFile, ours: &ProjectFile, theirs: &ProjectFile) -> ProjectFile {
        let one = merge(Some(base), ours, theirs).unwrap();
        assert_eq!(one, merge(Some(base), theirs, ours).unwrap(), "the result does not depend on the side");
        one
    }

    #[test]
    fn two_identical_events_of_one_side_stay_two() {
        let round = event(Action::Round, "2026-03-03T09:00:00-03:00", "ana");
        let base = file(&[("vpn", vec![])]);
        let ours = file(&[("vpn", vec![round.clone(), round.clone()])]);
        let theirs = file(&[("vpn", vec![round.clone()])]);
        let merged = merge(Some(&base), &ours, &theirs).unwrap();
        assert_eq!(merged.steps["vpn"].len(), 2, "both of ana's rounds");
        let merged = merge(Some(&base), &theirs, &ours).unwrap();
        assert_eq!(merged.steps["vpn"].len(), 2, "whichever side is ours");
        let once = merge(Some(&base), &theirs, &theirs).unwrap();
        assert_eq!(once.steps["vpn"].len(), 1, "one event on both sides counts once");
    }

    #[test]
    fn rounds_of_both_sides_are_all_kept_in_instant_order() {
        let first = event(Action::Round, "2026-03-03T09:00:00Z", "ana");
        let base = file(&[("tests", vec![first.clone()])]);
        let ours =
            file(&[("tests", vec![first.clone(), event(Action::Round, "2026-03-05T09:00:00Z", "ana")])]);
        let theirs =
            file(&[("tests", vec![first.clone(), event(Action::Round, "2026-03-04T09:00:00Z", "bob")])]);
        let merged = both_ways(&base, &ours, &theirs);
        let who: Vec<&str> = merged.steps["tests"].iter().map(|e| e.by.as_str()).collect();
        assert_eq!(who, ["ana", "bob", "ana"]);
    }

    #[test]
    fn a_step_done_on_both_sides_is_done_once_with_both_completions() {
        let base = file(&[("kick-off", vec![])]);
        let ours = file(&[("kick-off", vec![event(Action::Done, "2026-03-03T09:00:00Z", "ana")])]);
        let theirs = file(&[("kick-off", vec![event(Action::Done, "2026-03-03T08:00:00Z", "bob")])]);
        let merged = both_ways(&base, &ours, &theirs);
        let record = StepRecord::replay(&merged.steps["kick-off"]);
        assert_eq!((record.status, record.done_by(), record.marks.len()), (Stored::Done, Some("bob"), 2));
    }

    #[test]
    fn a_reopen_and_a_completion_count_in_the_order_of_their_instants() {
        let done = event(Action::Done, "2026-03-03T09:00:00Z", "ana");
        let base = file(&[("kick-off", vec![done.clone()])]);
        let reopened =
            file(&[("kick-off", vec![done.clone(), event(Action::Reopen, "2026-03-04T09:00:00Z", "bob")])]);
        let redone =
            file(&[("kick-off", vec![done.clone(), event(Action::Round, "2026-03-05T09:00:00Z", "ana")])]);
        let merged = both_ways(&base, &reopened, &redone);
        assert_eq!(StepRecord::replay(&merged.steps["kick-off"]).status, Stored::Open);
    }

    #[test]
    fn an_event_removed_on_one_side_stays_removed_and_the_same_event_counts_once() {
        let kept = event(Action::Done, "2026-03-03T09:00:00Z", "ana");
        let wrong = event(Action::Round, "2026-03-03T10:00:00Z", "ana");
        let base = file(&[("kick-off", vec![kept.clone(), wrong.clone()])]);
        let ours = file(&[("kick-off", vec![kept.clone()])]);
        let same = event(Action::Round, "2026-03-04T10:00:00Z", "bob");
        let theirs = file(&[("kick-off", vec![kept.clone(), wrong, same.clone()])]);
        let mut ours_too = ours.clone();
        ours_too.steps["kick-off"].push(same.clone());
        let merged = both_ways(&base, &ours_too, &theirs);
        assert_eq!(merged.steps["kick-off"], vec![kept, same]);
    }

    #[test]
    fn different_playbooks_or_two_starts_cannot_be_merged() {
        let base = file(&[]);
        let mut other = file(&[]);
        other.playbook = "cooperative".into();
        let mut third = file(&[]);
        third.playbook = "implementation".into();
        let error = merge(Some(&base), &other, &third).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the two sides have different playbooks: `cooperative` and `implementation`"
        );
        let mut late = file(&[]);
        late.start.by = "bob".into();
        assert!(merge(None, &base, &late).is_err());
        let mut set = file(&[]);
        set.vars.insert(
            "J".into(),
            vec![Event { value: Some(Yaml::Null), ..event(Action::Set, "2026-03-03T09:00:00Z", "bob") }],
        );
        assert_eq!(merge(None, &base, &set).unwrap().vars.len(), 1);
    }

    fn upgraded(file: &ProjectFile, hash: &str, order: &[&str]) -> ProjectFile {
        let mut new = file.clone();
        new.playbook_hash = hash.into();
        new.steps = order
            .iter()
            .map(|id| (id.to_string(), file.steps.get(*id).cloned().unwrap_or_default()))
            .collect();
        new
    }

    #[test]
    fn an_upgrade_on_one_side_is_taken_with_its_blocks_and_the_other_sides_events() {
        let done = event(Action::Done, "2026-03-03T09:00:00Z", "ana");
        let base = file(&[("kick-off", vec![done.clone()]), ("rehearsal", vec![]), ("go-live", vec![])]);
        let ours = upgraded(&base, "sha256:11", &["kick-off", "smoke-test", "go-live"]);
        let mut theirs = base.clone();
        theirs.steps["go-live"].push(event(Action::Done, "2026-03-04T09:00:00Z", "bob"));
        let merged = both_ways(&base, &ours, &theirs);
        assert_eq!(merged.playbook_hash, "sha256:11");
        let order: Vec<&String> = merged.steps.keys().collect();
        assert_eq!(order, ["kick-off", "smoke-test", "go-live"], "the upgraded side's blocks, in its order");
        assert_eq!(merge(Some(&base), &theirs, &ours).unwrap().steps.keys().collect::<Vec<_>>(), order);
        assert_eq!(merged.steps["go-live"].len(), 1, "the other side's work is kept");
    }

    #[test]
    fn two_different_upgrades_or_work_in_a_removed_block_conflict() {
        let base = file(&[("kick-off", vec![]), ("rehearsal", vec![])]);
        let one = upgraded(&base, "sha256:11", &["kick-off"]);
        let two = upgraded(&base, "sha256:22", &["kick-off", "rehearsal"]);
        assert_eq!(
            merge(Some(&base), &one, &two).unwrap_err().to_string(),
            "the two sides have different playbook versions: `sha256:11` and `sha256:22`"
        );
        let mut rehearsed = base.clone();
        rehearsed.steps["rehearsal"].push(event(Action::Done, "2026-03-04T09:00:00Z", "bob"));
        assert_eq!(
            merge(Some(&base), &one, &rehearsed).unwrap_err().to_string(),
            "step `rehearsal` was removed on one side (an upgrade to another playbook version, or a hand edit) and has new events on the other"
        );
    }

    #[test]
    fn lifecycle_records_of_both_sides_are_kept_in_instant_order() {
        use crate::state::change::Stamp;
        use crate::state::project::Lifecycle;
        let record = |action: Lifecycle, when: &str, by: &str| {
            crate::state::lifecycle::record(
                &Stamp { at: at(when), by: by.into(), recorded: None },
                action,
                None,
            )
        };
        let base = file(&[]);
        let mut ours = base.clone();
        ours.record(record(Lifecycle::Archive, "2026-03-05T09:00:00Z", "ana"));
        let mut theirs = base.clone();
        theirs.record(record(Lifecycle::Upgrade, "2026-03-04T09:00:00Z", "bob"));
        let merged = both_ways(&base, &ours, &theirs);
        let actions: Vec<&str> = merged.lifecycle.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["upgrade", "archive"]);
        assert_eq!(merged.format, crate::state::project::LIFECYCLE_FORMAT);
    }
}
