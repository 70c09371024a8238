//! Project directories on disk: finding a project by any of its names, reading its files,
//! where it stands (in the portfolio, archived, deleted), and writing a change as new
//! event files. A project file of formats 1–3 is converted to a directory by its first
//! write, in one step that a crash leaves either undone or done.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};

use super::layout::{
    self, HEAD_FILE, Head, Stored, assemble, event_name, is_event_name, normalized, parse_event,
    render_event, render_head,
};
use super::{Looked, ReadError, Store, StoreError};
use crate::state::lifecycle::{Standing, standing_of};
use crate::state::project::{ProjectFile, Record};
use crate::store::Shelf;
use crate::store::lock::ProjectLock;
use crate::text::read_text;

/// Where the files of the project a name leads to are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A project directory, `projects/<id>/`.
    Dir(String),
    /// A single file of formats 1–3, in `projects/` or `archive/`.
    File(Shelf),
}

/// A project directory as read: `project.yaml`, the project its events make, and the
/// event files themselves.
#[derive(Debug, Clone)]
pub struct DirProject {
    pub head: Head,
    pub file: ProjectFile,
    pub stored: Vec<Stored>,
}

/// The actions of records about the project as a whole, which decide its name and where
/// it stands; an event file's name says its action right after the instant.
const LIFECYCLE_WORDS: [&str; 4] = ["archive", "unarchive", "rename", "delete"];

/// The action an event file's name gives (`20260302T120000Z-done-…` → `done`).
fn action_of(name: &str) -> Option<&str> {
    name.split('-').nth(1)
}

impl Store {
    /// The folder of project directory `id`.
    pub fn project_dir(&self, id: &str) -> PathBuf {
        self.projects_dir().join(id)
    }

    /// The old single file of project `name` in `projects/` (formats 1–3).
    pub fn project_file(&self, name: &str) -> PathBuf {
        self.projects_dir().join(format!("{name}.yaml"))
    }

    /// Whether `projects/<id>/` is a project directory.
    pub fn is_dir_project(&self, id: &str) -> bool {
        // A link to a folder counts, for the reader to refuse when it leads out.
        fs::metadata(self.project_dir(id)).is_ok_and(|m| m.is_dir())
    }

    /// What `name` leads to: a project directory of that id, an old file of that name, or
    /// the directory of a project renamed to it.
    pub fn find(&self, name: &str) -> Result<Option<Found>, StoreError> {
        if self.is_dir_project(name) {
            return Ok(Some(Found::Dir(name.to_string())));
        }
        if fs::symlink_metadata(self.project_file(name)).is_ok() {
            // Two old files of one name: which one a command means is the user's to say.
            if fs::symlink_metadata(self.archive_path(name)).is_ok() {
                return Err(StoreError::InBothFolders { name: name.to_string() });
            }
            return Ok(Some(Found::File(Shelf::Active)));
        }
        if fs::symlink_metadata(self.archive_path(name)).is_ok() {
            return Ok(Some(Found::File(Shelf::Archived)));
        }
        Ok(self.renamed()?.get(name).map(|id| Found::Dir(id.clone())))
    }

    /// The directory projects known by a name other than their id: name → id. Read once
    /// per command, from the rename records alone.
    fn renamed(&self) -> Result<Arc<HashMap<String, String>>, StoreError> {
        if let Some(found) = self.memo().renamed.clone() {
            return Ok(found);
        }
        let mut found = HashMap::new();
        for id in self.dir_ids().map_err(StoreError::Listing)? {
            let records = self.records(&id)?;
            if let Some(name) = layout::current_name(&records).filter(|n| *n != id) {
                found.insert(name.to_string(), id);
            }
        }
        let found = Arc::new(found);
        self.memo().renamed = Some(found.clone());
        Ok(found)
    }

    /// Whether any project is still an old single file (formats 1–3).
    pub fn has_old_files(&self) -> Result<bool> {
        for folder in [self.projects_dir(), self.archive_dir()] {
            if !crate::safe_path::yaml_files(&folder)?.is_empty() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The ids of every project directory, sorted.
    pub fn dir_ids(&self) -> Result<Vec<String>> {
        let dirs = crate::safe_path::folders(&self.projects_dir())?;
        // Only slugs name projects: anything else (a folder named `x.yaml`) is no project
        // directory, and the old files' listing reports it.
        let names = dirs.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
        Ok(names.filter(|n| crate::state::check_project_name(n).is_ok()).collect())
    }

    /// The records about project directory `id` as a whole, in time order, read from its
    /// lifecycle files only.
    pub fn records(&self, id: &str) -> Result<Vec<Record>, StoreError> {
        let dir = self.project_dir(id);
        let mut stored = Vec::new();
        for (name, path) in event_paths(&dir)? {
            if action_of(&name).is_some_and(|a| LIFECYCLE_WORDS.contains(&a)) {
                stored.push(Stored { event: self.read_event(&path)?, name });
            }
        }
        stored.sort_by(|a, b| (a.event.at, &a.name).cmp(&(b.event.at, &b.name)));
        let parts = stored.into_iter().filter_map(|s| s.event.into_part().ok());
        Ok(parts.filter_map(|p| if let layout::Part::Record(r) = p { Some(r) } else { None }).collect())
    }

    fn read_event(&self, path: &Path) -> Result<layout::EventFile, StoreError> {
        self.refuse_escaping_link(path)?;
        let text = read_text(path).map_err(|source| ReadError { path: path.to_path_buf(), source })?;
        parse_event(&text, path)
    }

    /// Reads project directory `id`: its head, every event file, the project they make.
    pub fn read_dir(&self, id: &str) -> Result<DirProject, StoreError> {
        let dir = self.project_dir(id);
        self.refuse_escaping_link(&dir)?;
        let head_path = dir.join(HEAD_FILE);
        self.refuse_linked_file(&head_path)?;
        let text = read_text(&head_path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => StoreError::NoHead { path: dir.clone(), name: id.to_string() },
            _ => ReadError { path: head_path.clone(), source }.into(),
        })?;
        let mut texts = Vec::new();
        for (name, path, is_regular) in typed_event_paths(&dir)? {
            // A regular file as listed is read in an open and its reads; a link (or what
            // became one since) is checked first.
            let read = match is_regular.then(|| crate::safe_path::read_listed(&path)).flatten() {
                Some(read) => read,
                None => {
                    self.refuse_linked_file(&path)?;
                    read_text(&path)
                }
            };
            let text = read.map_err(|source| ReadError { path: path.clone(), source })?;
            texts.push((name, text));
        }
        let events = texts.iter().map(|(name, text)| (name.clone(), text.as_str()));
        let (head, file, stored) = layout::from_texts(id, &text, events, &dir)?;
        Ok(DirProject { head, file, stored })
    }

    /// Where project `file` stands. An archive as finished holds only while every step
    /// that applies is done or skipped: work merged in from a branch that reopened a step
    /// puts the project back in the portfolio.
    pub fn standing(&self, file: &ProjectFile) -> Standing {
        match standing_of(&file.lifecycle) {
            (Standing::Archived, true) => match self.followed(file) {
                Ok(followed) if !crate::state::lifecycle::open_steps(&followed.playbook, file).is_empty() => {
                    Standing::Active
                }
                _ => Standing::Archived,
            },
            (standing, _) => standing,
        }
    }

    /// Project `name`, wherever it stands, with where it stands and where its files are.
    pub fn read_any(&self, name: &str) -> Result<(ProjectFile, Standing, Found), StoreError> {
        let found = self.find(name)?.ok_or_else(|| self.no_project(name, Looked::Projects))?;
        let (file, standing) = match &found {
            Found::Dir(id) => {
                let file = self.read_dir(id)?.file;
                let standing = self.standing(&file);
                (file, standing)
            }
            Found::File(shelf) => {
                let path = shelf.path(self, name);
                (self.read_file_at(&path, name)?, shelf_standing(*shelf))
            }
        };
        Ok((file, standing, found))
    }

    /// A single project file (formats 1–3) at `path`.
    pub fn read_file_at(&self, path: &Path, name: &str) -> Result<ProjectFile, StoreError> {
        self.refuse_escaping_link(path)?;
        let text = read_text(path).map_err(|source| ReadError { path: path.to_path_buf(), source })?;
        super::parse_project(&text, path, name)
    }

    /// Every project's name with where it stands: directories by their current name,
    /// old files by theirs. Deleted projects are left out.
    pub fn listing(&self) -> Result<Vec<(String, Standing)>> {
        let mut found = Vec::new();
        for id in self.dir_ids()? {
            // Unreadable: listed, for the command that reads it to report.
            let Ok(records) = self.records(&id) else {
                found.push((id, Standing::Active));
                continue;
            };
            let name = layout::current_name(&records).unwrap_or(&id).to_string();
            let standing = match standing_of(&records) {
                (Standing::Archived, true) => match self.read_dir(&id) {
                    Ok(project) => self.standing(&project.file),
                    Err(_) => Standing::Active,
                },
                (standing, _) => standing,
            };
            if standing != Standing::Deleted {
                found.push((name, standing));
            }
        }
        let ids: HashSet<String> = found.iter().map(|(n, _)| n.clone()).collect();
        for (shelf, standing) in [(Shelf::Active, Standing::Active), (Shelf::Archived, Standing::Archived)] {
            let folder = self.root.join(shelf.folder());
            for path in crate::safe_path::yaml_files(&folder)? {
                let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else { continue };
                // A file beside the directory that replaced it is stale: doctor says so.
                if !self.is_dir_project(&stem) && !ids.contains(&stem) {
                    found.push((stem, standing));
                }
            }
        }
        found.sort();
        Ok(found)
    }

    /// Applies `change` to project `name` under its lock, if it stands where `allowed`
    /// says, and stores the result: new event files in its directory, or for an old file
    /// its conversion to a directory. Returns what `change` gave.
    pub fn transact<T>(
        &self,
        name: &str,
        allowed: impl Fn(Standing) -> Result<(), StoreError>,
        change: impl FnOnce(&mut ProjectFile) -> Result<T>,
    ) -> Result<T> {
        let id = self.id_of(name)?;
        self.check_guard(&id)?;
        let lock = self.lock(&id)?;
        // Found again under the lock: a concurrent first write may have converted it.
        let found = self.find(&id)?.ok_or_else(|| self.no_project(name, Looked::Both))?;
        if lock.was_interrupted() {
            self.remove_leftovers(&id);
        }
        match found {
            Found::Dir(id) => {
                let project = self.read_dir(&id)?;
                allowed(self.standing(&project.file))?;
                let mut after = project.file.clone();
                let result = change(&mut after)?;
                self.write_added(&lock, &project, &after)?;
                Ok(result)
            }
            Found::File(shelf) => {
                let path = shelf.path(self, &id);
                let mut file = self.read_file_at(&path, &id)?;
                allowed(shelf_standing(shelf))?;
                if shelf == Shelf::Archived && standing_of(&file.lifecycle).0 != Standing::Archived {
                    // Archived by hand or by an onboard that kept no record: as a directory
                    // it would be back in the portfolio without a word.
                    bail!(
                        "project `{id}` is in `archive/` but its file records no archive: move it back to `projects/` by hand, then archive it again"
                    );
                }
                let result = change(&mut file)?;
                self.convert(&lock, &id, &file, &path)?;
                Ok(result)
            }
        }
    }

    /// The id of the project `name` leads to.
    pub fn id_of(&self, name: &str) -> Result<String, StoreError> {
        match self.find(name)? {
            Some(Found::Dir(id)) => Ok(id),
            Some(Found::File(_)) => Ok(name.to_string()),
            None => Err(self.no_project(name, Looked::Projects)),
        }
    }

    /// Writes the events that `after` adds to `project` as new files, lifecycle records
    /// first (a crash between two files then leaves the record, which explains the
    /// rest). Refuses a change that is not only additions (a bug, never a user's error).
    fn write_added(&self, lock: &ProjectLock, project: &DirProject, after: &ProjectFile) -> Result<()> {
        let mut added = layout::added(&project.file, after);
        added.sort_by_key(|e| e.step.is_some() || e.var.is_some());
        let mut all = project.stored.clone();
        let dir = self.project_dir(&project.head.project);
        let texts = name_events(added, &mut all, &mut existing_names(&dir), &dir)?;
        let stored_as = assemble(project.head.clone(), &all, &dir)?;
        if normalized(&stored_as) != normalized(after) {
            bail!(
                "this change to project `{}` cannot be stored as new events (a bug in onboard; nothing was written)",
                after.project
            );
        }
        for (name, text) in texts {
            let path = dir.join(name);
            lock.write(&path, &text)?;
            self.wrote(path);
        }
        Ok(())
    }

    /// Converts a project of formats 1–3, at `old`, to directory `id`: every event a
    /// file, written in a hidden folder that is then renamed into place, and only then the
    /// old file removed. A crash leaves the old file alone, or both (`doctor` names the
    /// stale one), never half a project.
    fn convert(&self, lock: &ProjectLock, id: &str, file: &ProjectFile, old: &Path) -> Result<()> {
        let head = layout::head_of(file, id);
        let events = layout::event_files(file);
        let staging = self.projects_dir().join(format!(".{id}.converting"));
        if staging.exists() {
            fs::remove_dir_all(&staging)
                .with_context(|| format!("cannot remove the leftover `{}`", staging.display()))?;
        }
        let mut stored = Vec::new();
        let head_text = render_head(&head).context("cannot serialize the project")?;
        head_reads_back(&head, &head_text, &self.project_dir(id).join(HEAD_FILE))?;
        let target = self.project_dir(id);
        let mut texts = vec![(HEAD_FILE.to_string(), head_text)];
        // In the old file's order, within a block and across blocks, for events of one second.
        texts.extend(name_events(events, &mut stored, &mut HashSet::new(), &target)?);
        if normalized(&assemble(head, &stored, &target)?) != normalized(file) {
            bail!(
                "project `{id}` cannot be converted to a directory without a change (a bug in onboard; nothing was written)"
            );
        }
        for (name, text) in &texts {
            lock.write(&staging.join(name), text)?;
        }
        fs::rename(&staging, &target)
            .with_context(|| format!("cannot move `{}` to `{}`", staging.display(), target.display()))?;
        fs::remove_file(old).with_context(|| {
            format!(
                "`{}` is written, but `{}` could not be removed: remove it by hand",
                target.display(),
                old.display()
            )
        })?;
        for (name, _) in texts {
            self.wrote(target.join(name));
        }
        self.removed(old.to_path_buf());
        Ok(())
    }

    /// Folds into project directory `id` the events of an old single file left beside it
    /// (a branch wrote to the old file while another converted it), then removes the
    /// file. Returns how many events it brought.
    pub fn fold(&self, id: &str, old: &Path) -> Result<usize> {
        let lock = self.lock(id)?;
        let project = self.read_dir(id)?;
        let stale = self.read_file_at(old, id)?;
        let mut stale_ids = stale.clone();
        // The old file knows the project by its id; the events are what count.
        stale_ids.project = project.file.project.clone();
        let added = layout::added(&project.file, &stale_ids);
        let dir = self.project_dir(id);
        let count = added.len();
        let mut all = project.stored;
        for (name, text) in name_events(added, &mut all, &mut existing_names(&dir), &dir)? {
            let path = dir.join(name);
            lock.write(&path, &text)?;
            self.wrote(path);
        }
        fs::remove_file(old).with_context(|| format!("cannot remove `{}`", old.display()))?;
        self.removed(old.to_path_buf());
        Ok(count)
    }

    /// Replaces file `name` of project directory `id` by `text`, under the project's lock:
    /// a merged event file (`onboard resolve`).
    pub fn write_in_dir(&self, id: &str, name: &str, text: &str) -> Result<PathBuf> {
        let lock = self.lock(id)?;
        let path = self.project_dir(id).join(name);
        lock.write(&path, text)?;
        self.wrote(path.clone());
        Ok(path)
    }

    /// Creates project directory `file.project`: its `project.yaml`.
    pub(super) fn create_dir(&self, lock: &ProjectLock, file: &ProjectFile) -> Result<PathBuf> {
        let head = layout::head_of(file, &file.project);
        let path = self.project_dir(&file.project).join(HEAD_FILE);
        let text = render_head(&head).context("cannot serialize the project")?;
        head_reads_back(&head, &text, &path)?;
        lock.write(&path, &text)?;
        self.wrote(path.clone());
        Ok(path)
    }

    /// Removes project directory `id` and every file in it, or an old project file.
    pub fn purge(&self, name: &str) -> Result<Vec<PathBuf>> {
        let id = self.id_of(name)?;
        let _lock = self.lock(&id)?;
        let mut gone = Vec::new();
        let dir = self.project_dir(&id);
        if self.is_dir_project(&id) {
            for entry in fs::read_dir(&dir).with_context(|| format!("cannot read `{}`", dir.display()))? {
                gone.push(entry.context("cannot list a project directory")?.path());
            }
            fs::remove_dir_all(&dir).with_context(|| format!("cannot remove `{}`", dir.display()))?;
        }
        for old in [self.project_file(&id), self.archive_path(&id)] {
            if fs::symlink_metadata(&old).is_ok() {
                fs::remove_file(&old).with_context(|| format!("cannot remove `{}`", old.display()))?;
                gone.push(old);
            }
        }
        gone.sort();
        for path in &gone {
            self.removed(path.clone());
        }
        // Released first: a writer waiting on it finds no project and writes nothing. A
        // lock file nobody holds is only a file; removed, `doctor` has no stray to report.
        drop(_lock);
        let _ = fs::remove_file(self.lock_path(&id));
        Ok(gone)
    }
}

/// Gives each new event its `seq` after the events of `stored`, its text (checked to read
/// back) and a name no file of the directory has (`taken`), and adds it to `stored`.
/// Returns the file names and texts to write, in order.
fn name_events(
    events: Vec<layout::EventFile>,
    stored: &mut Vec<Stored>,
    taken: &mut HashSet<String>,
    dir: &Path,
) -> Result<Vec<(String, String)>> {
    let mut texts = Vec::new();
    for mut event in events {
        event.seq = layout::next_seq(event.known(), stored.iter().map(|s| &s.event));
        let text = render_event(&event).context("cannot serialize the event")?;
        reads_back(&event, &text, dir)?;
        let name = event_name(&event, &text, |n| taken.contains(n));
        taken.insert(name.clone());
        stored.push(Stored { name: name.clone(), event });
        texts.push((name, text));
    }
    Ok(texts)
}

/// Where an old single file's folder puts its project.
fn shelf_standing(shelf: Shelf) -> Standing {
    match shelf {
        Shelf::Active => Standing::Active,
        Shelf::Archived => Standing::Archived,
    }
}

/// Refuses to write an event whose text would not read back as the same event: every
/// accepted write must be one that every command can read, unchanged.
fn reads_back(event: &layout::EventFile, text: &str, dir: &Path) -> Result<()> {
    match parse_event(text, &dir.join("(new event)")) {
        Ok(back) if back == *event => Ok(()),
        Ok(_) => bail!(
            "this event would not read back as it was given (a value YAML cannot keep as it is); nothing was written"
        ),
        Err(error) => {
            Err(anyhow::Error::from(error).context("this event would not read back; nothing was written"))
        }
    }
}

/// The same for `project.yaml`.
fn head_reads_back(head: &Head, text: &str, path: &Path) -> Result<()> {
    match layout::parse_head(text, path) {
        Ok(back) if back == *head => Ok(()),
        _ => bail!(
            "project `{}` would not read back as it was given (a value YAML cannot keep as it is); nothing was written",
            head.project
        ),
    }
}

/// The event files of directory `dir` by name, sorted.
fn event_paths(dir: &Path) -> Result<Vec<(String, PathBuf)>, StoreError> {
    let paths = crate::safe_path::yaml_files(dir)
        .map_err(|e| ReadError { path: dir.to_path_buf(), source: std::io::Error::other(e) })?;
    Ok(paths
        .into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            is_event_name(&name).then_some((name, p))
        })
        .collect())
}

/// `event_paths`, each with whether the listing says it is a regular file.
fn typed_event_paths(dir: &Path) -> Result<Vec<(String, PathBuf, bool)>, StoreError> {
    let paths = crate::safe_path::yaml_files_typed(dir)
        .map_err(|e| ReadError { path: dir.to_path_buf(), source: std::io::Error::other(e) })?;
    Ok(paths
        .into_iter()
        .filter_map(|(p, is_regular)| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            is_event_name(&name).then_some((name, p, is_regular))
        })
        .collect())
}

/// Every name in `dir`, so that a new event file never takes one.
fn existing_names(dir: &Path) -> HashSet<String> {
    fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_that_would_not_read_back_the_same_is_refused() {
        let text = "var: rate\nat: 2026-03-02T09:00:00-03:00\nby: ana\naction: set\nvalue: 1.5\ntool: onboard 0.1.0\n";
        let mut event = parse_event(text, Path::new("e.yaml")).unwrap();
        let dir = Path::new("projects/coop");
        assert!(reads_back(&event, &render_event(&event).unwrap(), dir).is_ok());
        // A text that reads back as another event (as a renderer's bug would write it).
        let other = text.replace("value: 1.5", "value: '1.5'");
        let error = reads_back(&event, &other, dir).unwrap_err();
        assert_eq!(
            error.to_string(),
            "this event would not read back as it was given (a value YAML cannot keep as it is); nothing was written"
        );
        let broken = reads_back(&event, "var: [", dir).unwrap_err();
        assert_eq!(broken.to_string(), "this event would not read back; nothing was written");
        event.note = Some("line one\nline\u{2028}two\u{2029}".into());
        assert!(reads_back(&event, &render_event(&event).unwrap(), dir).is_ok(), "separators read back");
    }
}
