//! Projects that end: archived when finished (or abandoned, with a reason), brought back,
//! renamed, deleted. Each is a pure function that appends a lifecycle record; nothing
//! moves a project's files, so git's merge never mistakes an archive for a rename.
//! `projects/` and `archive/` are the two shelves of old single files (formats 1–3).

use anyhow::Result;

use super::change::{ChangeError, Stamp};
use super::progress::{self, Status};
use super::project::{Dropped, Lifecycle, ProjectFile, Record, tool};
use crate::playbook::Playbook;

/// Where a project stands, as its lifecycle says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    Active,
    Archived,
    Deleted,
}

/// Where the records, in time order, leave a project: the last archive, unarchive or
/// delete decides. An archive as finished (without a reason) is `Some(true)`'s to check
/// against the project's steps: it stands only while the project is finished.
pub(crate) fn standing_of(records: &[Record]) -> (Standing, bool) {
    let last = records
        .iter()
        .rev()
        .find(|r| matches!(r.action, Lifecycle::Archive | Lifecycle::Unarchive | Lifecycle::Delete));
    match last.map(|r| (&r.action, r.note.is_none())) {
        Some((Lifecycle::Delete, _)) => (Standing::Deleted, false),
        Some((Lifecycle::Archive, as_finished)) => (Standing::Archived, as_finished),
        _ => (Standing::Active, false),
    }
}

/// A record of `action` with `note`, stamped, naming no name, version or dropped work.
pub(crate) fn record(stamp: &Stamp, action: Lifecycle, note: Option<String>) -> Record {
    Record {
        at: stamp.at,
        by: stamp.by.clone(),
        action,
        from: None,
        to: None,
        note,
        dropped: Dropped::default(),
        tool: tool(),
    }
}

/// The steps that apply to the project and are neither done nor skipped, as messages
/// name them.
pub(crate) fn open_steps(playbook: &Playbook, file: &ProjectFile) -> Vec<String> {
    let view = progress::compute(playbook, file);
    view.steps()
        .filter(|s| !matches!(s.status, Status::Done | Status::Skipped))
        .map(|s| s.step.named())
        .collect()
}

/// Records that the project is archived: finished, or abandoned for `reason`. An
/// unfinished project needs the reason. Returns whether it was finished.
pub(crate) fn archive(
    playbook: &Playbook,
    file: &mut ProjectFile,
    reason: Option<String>,
    stamp: &Stamp,
) -> Result<bool, ChangeError> {
    let open = open_steps(playbook, file);
    if reason.is_none() && !open.is_empty() {
        return Err(ChangeError::Unfinished { project: file.project.clone(), open });
    }
    file.record(record(stamp, Lifecycle::Archive, reason));
    Ok(open.is_empty())
}

/// Records that the project is back in the portfolio.
pub(crate) fn unarchive(file: &mut ProjectFile, reason: Option<String>, stamp: &Stamp) {
    file.record(record(stamp, Lifecycle::Unarchive, reason));
}

/// Gives the project its new name, which the file records as its own.
pub(crate) fn rename(file: &mut ProjectFile, new: &str, stamp: &Stamp) {
    let mut renamed = record(stamp, Lifecycle::Rename, None);
    renamed.from = Some(file.project.clone());
    renamed.to = Some(new.to_string());
    file.project = new.to_string();
    file.record(renamed);
}

/// The record of an archived project's archiving: who, when, and why if abandoned.
pub(crate) fn archived(file: &ProjectFile) -> Option<&Record> {
    file.last(&Lifecycle::Archive)
}

/// `finished`, `abandoned`: how a project ended, as the archive shows it.
pub(crate) fn ending(finished: bool) -> &'static str {
    if finished { "finished" } else { "abandoned" }
}

/// `archived 2026-03-20 by ana: abandoned (the reason)`, or `…: finished`.
pub(crate) fn archived_text(record: &Record, finished: bool) -> String {
    let reason = record.note.as_ref().map(|r| format!(" ({r})")).unwrap_or_default();
    format!("archived {} by {}: {}{reason}", record.at.0.date_naive(), record.by, ending(finished))
}

/// Records that the project is deleted: every listing leaves it out; its files stay until
/// pruned, so that work merged in from another branch is not lost without a word.
pub(crate) fn delete(file: &mut ProjectFile, stamp: &Stamp) {
    file.record(record(stamp, Lifecycle::Delete, None));
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::playbook::{Origin, parse};
    use crate::state::change::{Earliest, complete, start};
    use crate::state::fixture::stamp;
    use crate::state::project::{FORMAT, LIFECYCLE_FORMAT, render};

    const PLAYBOOK: &str = "id: go-live\ntitle: Go-live\ncalendar: CH\nroles:\n  - id: PL\nphases:\n  - id: preparation\n    title: Preparation\n    steps:\n      - {id: confirm, title: Confirm the date, owner: PL}\n      - {id: rehearsal, title: Rehearse, owner: PL, optional: true}\n";

    fn opera() -> (Playbook, ProjectFile) {
        let playbook = parse(PLAYBOOK, "go-live.yaml", Origin::Bundled).unwrap();
        let file = start(&playbook, "opera", "CH", &BTreeMap::new(), &stamp("2026-03-02T09:00:00+01:00"));
        (playbook, file)
    }

    #[test]
    fn only_a_finished_project_is_archived_without_a_reason() {
        let (playbook, mut file) = opera();
        let error = archive(&playbook, &mut file, None, &stamp("2026-03-03T09:00:00+01:00")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "project `opera` is not finished: 2 steps are open (`confirm`, `rehearsal`)"
        );
        assert!(file.lifecycle.is_empty(), "a refusal records nothing");
        assert_eq!(file.format, FORMAT);

        archive(
            &playbook,
            &mut file,
            Some("the customer withdrew".into()),
            &stamp("2026-03-03T09:00:00+01:00"),
        )
        .unwrap();
        assert_eq!(file.format, LIFECYCLE_FORMAT);
        let record = archived(&file).unwrap();
        assert_eq!(
            archived_text(record, false),
            "archived 2026-03-03 by ana: abandoned (the customer withdrew)"
        );

        let (playbook, mut done) = opera();
        let at = stamp("2026-03-03T09:00:00+01:00");
        let step = &playbook.phases[0].steps[0];
        complete(&playbook, &mut done, step, &BTreeMap::new(), None, &at, &Earliest::Any).unwrap();
        // The optional rehearsal, not done, is still open: finished means done or skipped.
        assert!(archive(&playbook, &mut done, None, &at).is_err());
    }

    #[test]
    fn a_renamed_file_records_its_new_name_and_the_old_one() {
        let (_, mut file) = opera();
        rename(&mut file, "opera-lausanne", &stamp("2026-03-03T09:00:00+01:00"));
        assert_eq!(file.project, "opera-lausanne");
        let record = &file.lifecycle[0];
        assert_eq!((record.from.as_deref(), record.to.as_deref()), (Some("opera"), Some("opera-lausanne")));
    }

    #[test]
    fn a_file_without_records_renders_in_format_2_and_with_them_in_format_3() {
        let (_, mut file) = opera();
        let plain = render(&file).unwrap();
        assert!(plain.starts_with(
            "# onboard project file. Change it with onboard commands; review it like code.\nformat: 2\n"
        ));
        assert!(!plain.contains("lifecycle"));
        unarchive(&mut file, None, &stamp("2026-03-03T09:00:00+01:00"));
        let text = render(&file).unwrap();
        assert!(text.contains("format: 3\n"), "{text}");
        assert!(
            text.contains("  tool: onboard 0.1.0\n\nlifecycle:\n- at: 2026-03-03T09:00:00+01:00\n  by: ana\n  action: unarchive\n  tool: onboard 0.1.0\n\nvars: {}\n"),
            "{text}"
        );
        let back: ProjectFile = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back, file);
    }
}
