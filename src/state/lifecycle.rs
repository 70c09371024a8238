//! Projects that end, and how they move: archived when finished (or abandoned, with a
//! reason), brought back, renamed, deleted. The changes to the file are pure functions
//! that append a lifecycle record; the moves between `projects/` and `archive/` are store
//! operations, under the lock of every name involved, that write the new file before
//! removing the old one: a crash between the two leaves both, which `doctor` reports,
//! never neither.

use std::fs;
use std::path::PathBuf;

use anyhow::Result;

use super::change::{ChangeError, Stamp};
use super::progress::{self, Status};
use super::project::{Dropped, Lifecycle, ProjectFile, Record, render, tool};
use super::store::{Looked, Store, StoreError};
use crate::hint::hinted;
use crate::playbook::Playbook;

/// Where a project file lives: the portfolio (`projects/`) or the archive (`archive/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    Active,
    Archived,
}

impl Shelf {
    pub fn path(self, store: &Store, name: &str) -> PathBuf {
        match self {
            Shelf::Active => store.project_path(name),
            Shelf::Archived => store.archive_path(name),
        }
    }

    /// The folder's name in the state directory, as messages say it.
    pub fn folder(self) -> &'static str {
        match self {
            Shelf::Active => "projects/",
            Shelf::Archived => "archive/",
        }
    }
}

fn record(stamp: &Stamp, action: Lifecycle, note: Option<String>) -> Record {
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
pub fn open_steps(playbook: &Playbook, file: &ProjectFile) -> Vec<String> {
    let view = progress::compute(playbook, file);
    view.steps()
        .filter(|s| !matches!(s.status, Status::Done | Status::Skipped))
        .map(|s| s.step.named())
        .collect()
}

/// Records that the project is archived: finished, or abandoned for `reason`. An
/// unfinished project needs the reason. Returns whether it was finished.
pub fn archive(
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
pub fn unarchive(file: &mut ProjectFile, reason: Option<String>, stamp: &Stamp) {
    file.record(record(stamp, Lifecycle::Unarchive, reason));
}

/// Gives the project its new name, which the file records as its own.
pub fn rename(file: &mut ProjectFile, new: &str, stamp: &Stamp) {
    let mut renamed = record(stamp, Lifecycle::Rename, None);
    renamed.from = Some(file.project.clone());
    renamed.to = Some(new.to_string());
    file.project = new.to_string();
    file.record(renamed);
}

/// The record of an archived project's archiving: who, when, and why if abandoned.
pub fn archived(file: &ProjectFile) -> Option<&Record> {
    file.last(&Lifecycle::Archive)
}

/// `finished`, `abandoned`: how a project ended, as the archive shows it.
pub fn ending(finished: bool) -> &'static str {
    if finished { "finished" } else { "abandoned" }
}

/// `archived 2026-03-20 by ana: abandoned (the reason)`, or `…: finished`.
pub fn archived_text(record: &Record, finished: bool) -> String {
    let reason = record.note.as_ref().map(|r| format!(" ({r})")).unwrap_or_default();
    format!("archived {} by {}: {}{reason}", record.at.0.date_naive(), record.by, ending(finished))
}

impl Store {
    /// Moves project `from` to `to` (another folder, another name, or both), applying
    /// `change` to it on the way, under the lock of both names. Refuses when `to`'s name
    /// is taken in either folder. Returns what `change` gave.
    pub fn relocate<T>(
        &self,
        from: (Shelf, &str),
        to: (Shelf, &str),
        change: impl FnOnce(&mut ProjectFile) -> Result<T>,
    ) -> Result<T> {
        // Checked before locking too, so that a refused name gets no lock file.
        self.check_free(from, to.1)?;
        // Both names, always in the same order, so that two moves cannot wait on each other.
        let (from_lock, to_lock) = if from.1 == to.1 {
            (None, self.lock(to.1)?)
        } else if from.1 < to.1 {
            let first = self.lock(from.1)?;
            (Some(first), self.lock(to.1)?)
        } else {
            let first = self.lock(to.1)?;
            (Some(self.lock(from.1)?), first)
        };
        let mut file = match from.0 {
            Shelf::Active => self.read(from.1)?,
            Shelf::Archived => self.read_archived(from.1)?,
        };
        self.check_free(from, to.1)?;
        let result = change(&mut file)?;
        let (old, new) = (from.0.path(self, from.1), to.0.path(self, to.1));
        to_lock.write(&new, &render(&file)?)?;
        fs::remove_file(&old).map_err(|error| {
            hinted(
                format!(
                    "`{}` is written, but `{}` could not be removed: {error}",
                    new.display(),
                    old.display()
                ),
                format!("remove `{}` by hand: the project now lives in `{}`", old.display(), new.display()),
            )
        })?;
        if from.1 != to.1 {
            // The old name's lock file, which we hold, would otherwise be a stray.
            let _ = fs::remove_file(self.lock_path(from.1));
            drop(from_lock);
        }
        Ok(result)
    }

    /// Replaces a project file on `shelf` that cannot be read as it is (one with conflict
    /// markers) by `file`, under the project's lock.
    pub fn replace(&self, shelf: Shelf, file: &ProjectFile) -> Result<PathBuf> {
        let lock = self.lock(&file.project)?;
        let path = shelf.path(self, &file.project);
        lock.write(&path, &render(file)?)?;
        Ok(path)
    }

    /// Refuses `name` when a project other than `from` has it, in either folder.
    fn check_free(&self, from: (Shelf, &str), name: &str) -> Result<()> {
        for shelf in [Shelf::Active, Shelf::Archived] {
            if (shelf, name) != from && shelf.path(self, name).exists() {
                return Err(self.taken(shelf, name, from.1 == name).into());
            }
        }
        Ok(())
    }

    /// The refusal for a name already taken in `shelf`.
    fn taken(&self, shelf: Shelf, name: &str, same_name: bool) -> StoreError {
        let folder = self.root.join(shelf.folder());
        StoreError::NameTaken { name: name.to_string(), shelf, folder, same_name }
    }

    /// Removes project `name`'s file, from the portfolio or the archive, under its lock;
    /// nothing else (its playbook version may be shared). Refuses a name in both folders.
    pub fn delete(&self, name: &str) -> Result<(Shelf, PathBuf)> {
        // Found before locking too, so that a name of nothing gets no lock file.
        self.deletable(name)?;
        let _lock = self.lock(name)?;
        let shelf = self.deletable(name)?;
        let path = shelf.path(self, name);
        fs::remove_file(&path).map_err(|error| {
            hinted(format!("cannot remove `{}`: {error}", path.display()), "check the folder's permissions")
        })?;
        let _ = fs::remove_file(self.lock_path(name));
        Ok((shelf, path))
    }

    /// The one folder that holds project `name`.
    fn deletable(&self, name: &str) -> Result<Shelf> {
        let found: Vec<Shelf> =
            [Shelf::Active, Shelf::Archived].into_iter().filter(|s| s.path(self, name).exists()).collect();
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(self.no_project(name, Looked::Both).into()),
            _ => Err(StoreError::InBothFolders { name: name.to_string() }.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::playbook::{Origin, parse};
    use crate::state::change::{Earliest, complete, start};
    use crate::state::project::{FORMAT, LIFECYCLE_FORMAT, Timestamp};

    const PLAYBOOK: &str = "id: go-live\ntitle: Go-live\ncalendar: CH\nroles:\n  - id: PL\nphases:\n  - id: preparation\n    title: Preparation\n    steps:\n      - {id: confirm, title: Confirm the date, owner: PL}\n      - {id: rehearsal, title: Rehearse, owner: PL, optional: true}\n";

    fn stamp(at: &str) -> Stamp {
        Stamp {
            at: Timestamp(chrono::DateTime::parse_from_rfc3339(at).unwrap()),
            by: "ana".into(),
            recorded: None,
        }
    }

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
        let back = crate::state::store::parse_events(&text, std::path::Path::new("opera.yaml")).unwrap();
        assert_eq!(back, file);
    }
}
