//! The state directory on disk: project files, the playbook versions they follow, and
//! locks. Writes are transactions: lock, load, apply a pure change, write a temporary
//! file, sync, rename. A project file is always either the old one or the new one.

use std::collections::HashMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};

mod atomic;
pub(crate) mod cache;
mod dirs;
mod error;
pub(crate) mod health;
pub(crate) mod layout;
pub(crate) mod lock;
mod parse;
pub(crate) mod people;
pub(crate) mod snapshot;

/// The state directory's folder in a repository (`<repo>/.onboard/`), which `init`
/// creates and every command looks for from the current folder up.
pub(crate) const STATE_DIR_NAME: &str = ".onboard";

pub(crate) use crate::state::lifecycle::{Standing, standing_of};
pub(crate) use atomic::{create_parent, is_write_leftover, write_atomic};
pub(crate) use dirs::Found;
pub(crate) use error::{Looked, ReadError, StoreError};
pub use parse::check_against;
pub(crate) use parse::{parse_events, parse_project, problems, render_checked};

use crate::calendar::{Calendar, PlaybookHours};
use crate::playbook::{Origin, Playbook, catalog, parse};
use crate::state::project::ProjectFile;
use crate::store::lock::ProjectLock;
use crate::text::read_text;

/// Where a project file lives: the portfolio (`projects/`) or the archive (`archive/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    Active,
    Archived,
}

impl Shelf {
    pub fn path(self, store: &Store, name: &str) -> PathBuf {
        match self {
            Shelf::Active => store.project_file(name),
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

/// A state directory (`.onboard/`, `ONBOARD_DIR`, `--dir` or the per-user data folder).
#[derive(Debug, Clone)]
pub struct Store {
    pub root: PathBuf,
    memo: Arc<Mutex<Memo>>,
    guard: Option<WriteGuard>,
    wait: lock::LockWait,
}

/// What a caller checks before any write to a project, given the project's directory: the
/// command line refuses a project that git's index holds unmerged. The store itself knows
/// nothing of git.
#[derive(Clone)]
pub struct WriteGuard(pub Arc<GuardFn>);

/// The check a `WriteGuard` runs.
pub(crate) type GuardFn = dyn Fn(&Path) -> Result<()> + Send + Sync;

impl std::fmt::Debug for WriteGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WriteGuard")
    }
}

/// What one command has already loaded, so that a portfolio parses each playbook version
/// and builds each calendar once, however many projects use it. It lives as long as the
/// command: nothing here outlives a run, so nothing can go stale.
#[derive(Debug, Default)]
struct Memo {
    /// The current playbook by id (`None`: there is none).
    current: HashMap<String, Option<Arc<Playbook>>>,
    /// Saved versions by path.
    versions: HashMap<PathBuf, Arc<Playbook>>,
    /// Calendars by id and the playbook's business hours.
    calendars: HashMap<(String, Option<PlaybookHours>), Calendar>,
    /// Directory projects known by a name other than their id: name → id.
    renamed: Option<Arc<HashMap<String, String>>>,
    /// The files this command wrote and removed, for `--commit` and for the files to add.
    wrote: Vec<PathBuf>,
    removed: Vec<PathBuf>,
    /// Whether the command committed what it wrote (`--commit`).
    committed: bool,
}

/// The playbook a project follows, and whether the current playbook has changed since.
#[derive(Debug)]
pub struct Followed {
    pub playbook: Arc<Playbook>,
    /// The current playbook's hash when it differs from the version followed
    /// (`unreadable` when it is missing or does not parse).
    pub changed: Option<String>,
}

impl Followed {
    /// The current playbook when it is the version `file` follows, else the saved copy
    /// `saved` reads, with the current one's hash (`unreadable` without one) as changed.
    pub fn choose(
        current: Option<Arc<Playbook>>,
        file: &ProjectFile,
        saved: impl FnOnce() -> Result<Arc<Playbook>>,
    ) -> Result<Followed> {
        if let Some(playbook) = current.as_ref().filter(|p| p.hash == file.playbook_hash) {
            return Ok(Followed { playbook: playbook.clone(), changed: None });
        }
        let playbook = saved()?;
        let changed = Some(current.map_or_else(|| String::from("unreadable"), |p| p.hash.clone()));
        Ok(Followed { playbook, changed })
    }
}

/// The current playbook could not be read (an I/O error) or does not parse.
fn unreadable_playbook(error: &anyhow::Error) -> bool {
    error.chain().any(|e| e.is::<crate::playbook::PlaybookError>() || e.is::<std::io::Error>())
}

impl Store {
    pub fn new(root: PathBuf) -> Store {
        Store { root, memo: Arc::default(), guard: None, wait: lock::LockWait::default() }
    }

    /// Another state directory's store, with this one's write guard and lock wait but a
    /// memo of its own: a portfolio over several directories reads each through its own.
    pub fn sibling(&self, root: PathBuf) -> Store {
        Store { root, memo: Arc::default(), guard: self.guard.clone(), wait: self.wait.clone() }
    }

    /// The store with writers waiting for a held project as `wait` says.
    pub fn waiting(self, wait: lock::LockWait) -> Store {
        Store { wait, ..self }
    }

    /// The store with `guard` checked before every write to a project.
    pub fn guarded(self, guard: WriteGuard) -> Store {
        Store { guard: Some(guard), ..self }
    }

    /// Runs the write guard, if any, on project `id`.
    fn check_guard(&self, id: &str) -> Result<()> {
        match &self.guard {
            Some(guard) => (guard.0)(&self.project_dir(id)),
            None => Ok(()),
        }
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, Memo> {
        // A panic while holding it leaves only caches behind, still valid.
        self.memo.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current playbook `id` (local, else bundled), parsed once per command.
    fn current_playbook(&self, id: &str) -> Result<Option<Arc<Playbook>>> {
        if let Some(found) = self.memo().current.get(id) {
            return Ok(found.clone());
        }
        let found = catalog::find(&self.root, id)?.map(Arc::new);
        self.memo().current.insert(id.to_string(), found.clone());
        Ok(found)
    }

    /// Refuses `path` when a symbolic link on its way from the state directory (a folder
    /// between, or the file itself) leads out of it: a project file or a saved version is
    /// read and written only inside it.
    fn refuse_escaping_link(&self, path: &Path) -> Result<(), StoreError> {
        match crate::safe_path::escaping_link(path, &self.root) {
            Some(link) => Err(self.leaves(&link)),
            None => Ok(()),
        }
    }

    /// `refuse_escaping_link` for a file whose folder was checked: only the file itself.
    fn refuse_linked_file(&self, path: &Path) -> Result<(), StoreError> {
        match crate::safe_path::link_leads_out(path, &self.root) {
            true => Err(self.leaves(path)),
            false => Ok(()),
        }
    }

    fn leaves(&self, path: &Path) -> StoreError {
        StoreError::LeavesStateDir { path: path.to_path_buf(), root: self.root.clone() }
    }

    /// A saved playbook version, parsed once per command, checked against the hash in
    /// the project file (a saved version is never edited; one that was is not trusted).
    fn saved_version(&self, path: &Path, file: &ProjectFile) -> Result<Arc<Playbook>> {
        if let Some(found) = self.memo().versions.get(path) {
            return Ok(found.clone());
        }
        self.refuse_escaping_link(path)?;
        let text = read_text(path).map_err(|source| StoreError::MissingVersion {
            playbook: file.playbook.clone(),
            project: file.project.clone(),
            source: ReadError { path: path.to_path_buf(), source },
        })?;
        let playbook = Arc::new(parse(&text, &path.display().to_string(), Origin::File(path.to_path_buf()))?);
        if playbook.hash != file.playbook_hash {
            return Err(StoreError::EditedVersion {
                path: path.to_path_buf(),
                project: file.project.clone(),
                found: playbook.hash.clone(),
                expected: file.playbook_hash.clone(),
            }
            .into());
        }
        self.memo().versions.insert(path.to_path_buf(), playbook.clone());
        Ok(playbook)
    }

    /// Calendar `id` with the team's override and the playbook's hours, built once per
    /// command.
    pub fn calendar(&self, id: &str, hours: Option<PlaybookHours>) -> Result<Calendar> {
        let key = (id.to_string(), hours);
        if let Some(found) = self.memo().calendars.get(&key) {
            return Ok(found.clone());
        }
        let calendar = Calendar::load(id, &self.root, hours)?;
        self.memo().calendars.insert(key, calendar.clone());
        Ok(calendar)
    }

    pub fn projects_dir(&self) -> PathBuf {
        self.root.join("projects")
    }

    /// Where project `name`'s files are, as messages name them: its directory, or its
    /// old single file.
    pub fn project_path(&self, name: &str) -> PathBuf {
        match self.find(name) {
            Ok(Some(Found::Dir(id))) => self.project_dir(&id),
            Ok(Some(Found::File(shelf))) => shelf.path(self, name),
            _ => self.project_dir(name),
        }
    }

    /// Notes a file this command wrote.
    fn wrote(&self, path: PathBuf) {
        self.memo().wrote.push(path);
    }

    /// Notes a file this command removed.
    fn removed(&self, path: PathBuf) {
        self.memo().removed.push(path);
    }

    /// Notes that the command committed what it wrote.
    pub fn mark_committed(&self) {
        self.memo().committed = true;
    }

    /// Whether the command committed what it wrote.
    pub fn is_committed(&self) -> bool {
        self.memo().committed
    }

    /// The files this command wrote and removed so far, in order.
    pub fn touched(&self) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let memo = self.memo();
        (memo.wrote.clone(), memo.removed.clone())
    }

    /// Per-machine lock files, one per project; git ignores them.
    pub fn locks_dir(&self) -> PathBuf {
        self.root.join("locks")
    }

    pub fn lock_path(&self, name: &str) -> PathBuf {
        self.locks_dir().join(format!("{name}.lock"))
    }

    /// Where the version of a playbook that projects follow is kept, by content hash.
    pub fn version_path(&self, playbook: &str, hash: &str) -> PathBuf {
        self.root.join(version_file(playbook, hash))
    }

    /// Whether any project (in the portfolio, archived or deleted) has `name`, as its id,
    /// its current name or an old file's: what `start` cannot take. Reads no project.
    pub fn is_taken(&self, name: &str) -> bool {
        !matches!(self.find(name), Ok(None))
    }

    /// Projects that ended (`onboard archive`): out of the portfolio views, kept for the
    /// record, in the same layout as `projects/`.
    pub fn archive_dir(&self) -> PathBuf {
        self.root.join("archive")
    }

    pub fn archive_path(&self, name: &str) -> PathBuf {
        self.archive_dir().join(format!("{name}.yaml"))
    }

    /// The names of every archived project, sorted.
    pub fn archived_names(&self) -> Result<Vec<String>> {
        let listing = self.listing()?;
        Ok(listing.into_iter().filter(|(_, s)| *s == Standing::Archived).map(|(n, _)| n).collect())
    }

    /// Reads an archived project, as `read` reads one of the portfolio.
    pub fn read_archived(&self, name: &str) -> Result<ProjectFile, StoreError> {
        match self.read_any(name) {
            Ok((file, Standing::Archived, _)) => Ok(file),
            Ok(_) | Err(StoreError::NoProject { .. }) => Err(self.no_project(name, Looked::Archive)),
            Err(error) => Err(error),
        }
    }

    /// The error for a project `name` not found where the command looked.
    pub fn no_project(&self, name: &str, looked: Looked) -> StoreError {
        StoreError::NoProject { name: name.to_string(), dir: self.root.clone(), looked }
    }

    /// The names of every project of the portfolio (not archived, not deleted), sorted.
    pub fn project_names(&self) -> Result<Vec<String>> {
        let listing = self.listing()?;
        Ok(listing.into_iter().filter(|(_, s)| *s == Standing::Active).map(|(n, _)| n).collect())
    }

    /// Reads a project of the portfolio; refuses one with merge-conflict markers or that
    /// does not parse, and an archived or deleted one.
    pub fn read(&self, name: &str) -> Result<ProjectFile, StoreError> {
        match self.read_any(name)? {
            (file, Standing::Active, _) => Ok(file),
            (_, Standing::Archived, _) => Err(StoreError::Archived { name: name.to_string() }),
            (_, Standing::Deleted, _) => Err(self.no_project(name, Looked::Projects)),
        }
    }

    /// The text of an old single project file in `projects/`, read from inside the state
    /// directory only (the portfolio cache compares it).
    pub fn read_text(&self, name: &str) -> Result<String, StoreError> {
        let path = self.project_file(name);
        self.refuse_escaping_link(&path)?;
        read_text(&path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => self.no_project(name, Looked::Projects),
            _ => ReadError { path, source }.into(),
        })
    }

    /// The playbook version a project follows: the current playbook if unchanged, else its saved copy.
    pub fn followed(&self, file: &ProjectFile) -> Result<Followed> {
        // A current playbook that cannot be read or no longer parses does not stop a
        // project that has its own saved version; it only shows as changed. Anything
        // else (a link out of the state directory) is reported, not passed over.
        let version = self.version_path(&file.playbook, &file.playbook_hash);
        let current = match self.current_playbook(&file.playbook) {
            Ok(current) => current,
            Err(error) if version.is_file() && unreadable_playbook(&error) => None,
            Err(error) => return Err(error),
        };
        Followed::choose(current, file, || self.saved_version(&version, file))
    }

    /// Creates a project directory; refuses a name any project has. Saves the playbook
    /// version it follows. Returns the path of its `project.yaml`.
    pub fn create(&self, file: &ProjectFile, playbook: &Playbook) -> Result<PathBuf> {
        // Before the lock file is created: a refusal leaves nothing behind.
        self.refuse_escaping_link(&self.version_path(&playbook.id, &playbook.hash))?;
        let lock = self.lock(&file.project)?;
        let (name, dir) = (file.project.clone(), self.root.clone());
        match self.read_any(&name) {
            Ok((_, Standing::Archived, _)) => return Err(StoreError::ArchivedExists { name, dir }.into()),
            Ok((_, Standing::Deleted, _)) => return Err(StoreError::DeletedExists { name }.into()),
            Ok((file, _, Found::Dir(_))) if file.project != name => {
                return Err(StoreError::RenamedAway { name, now: file.project }.into());
            }
            Ok((_, _, Found::Dir(id))) if id != name => {
                let folder = self.root.join(Shelf::Active.folder());
                return Err(
                    StoreError::NameTaken { name, shelf: Shelf::Active, folder, same_name: false }.into()
                );
            }
            Err(StoreError::NoProject { .. }) => {}
            Ok(_) | Err(_) => return Err(StoreError::Exists { name, dir }.into()),
        }
        if self.is_dir_project(&name) {
            return Err(StoreError::Exists { name, dir }.into());
        }
        self.save_version(playbook)?;
        self.create_dir(&lock, file)
    }

    /// Keeps a copy of `playbook` in `versions/`, once: a project that follows it still
    /// reads when the team's playbook changes.
    pub fn save_version(&self, playbook: &Playbook) -> Result<()> {
        let version = self.version_path(&playbook.id, &playbook.hash);
        self.refuse_escaping_link(&version)?;
        if !version.exists() {
            write_atomic(&version, &playbook.text)?;
            self.wrote(version);
        }
        Ok(())
    }

    /// Applies `change` under its lock to a project that stands where `wants` says (in
    /// the portfolio, or archived), and stores what it adds (see `transact`). A project
    /// standing elsewhere is refused as the commands that look for it there say.
    pub fn apply<T>(
        &self,
        name: &str,
        wants: Standing,
        change: impl FnOnce(&mut ProjectFile) -> Result<T>,
    ) -> Result<T> {
        let allowed = |standing| match (wants, standing) {
            _ if standing == wants => Ok(()),
            (Standing::Active, Standing::Archived) => Err(StoreError::Archived { name: name.to_string() }),
            (Standing::Active, _) => Err(self.no_project(name, Looked::Projects)),
            _ => Err(self.no_project(name, Looked::Archive)),
        };
        self.transact(name, allowed, change)
    }

    /// Removes the temporary files that writes of project `id` killed midway left
    /// behind: beside its old single file, in its directory, and a conversion's staging
    /// folder. Called under the project's lock, so no write of it is under way, when the
    /// lock says one was interrupted. Best effort: a file that cannot be removed is
    /// `doctor`'s to report.
    fn remove_leftovers(&self, id: &str) {
        let prefix = format!(".{id}.yaml.");
        let _ = fs::remove_dir_all(self.projects_dir().join(format!(".{id}.converting")));
        for (folder, any) in [(self.projects_dir(), false), (self.project_dir(id), true)] {
            let Ok(entries) = fs::read_dir(folder) else { continue };
            for entry in entries.flatten() {
                let file_name = entry.file_name();
                let file_name = file_name.to_string_lossy();
                if (any || file_name.starts_with(&prefix)) && is_write_leftover(&file_name) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }

    /// Holds an exclusive lock on the project until dropped. The lock is a separate file
    /// because the project file itself is replaced by rename on every write.
    pub(super) fn lock(&self, name: &str) -> Result<ProjectLock> {
        ProjectLock::acquire(&self.lock_path(name), &self.root, &self.wait)
    }
}

impl Store {
    /// Replaces a project file of formats 1–3 on `shelf` that cannot be read as it is
    /// (one with conflict markers) by `file`, under the project's lock.
    pub fn replace(&self, shelf: Shelf, file: &ProjectFile) -> Result<PathBuf> {
        let lock = self.lock(&file.project)?;
        let path = shelf.path(self, &file.project);
        lock.write(&path, &render_checked(file, &path)?)?;
        Ok(path)
    }
}

/// Where a playbook version is kept inside a state directory: `versions/<id>-<12 hex>.yaml`.
pub(crate) fn version_file(playbook: &str, hash: &str) -> String {
    let short: String = hash.trim_start_matches("sha256:").chars().take(12).collect();
    format!("versions/{playbook}-{short}.yaml")
}

/// Whether a process holds the lock file at `path` right now. The lock is the kernel's
/// (`flock`), so it dies with its process, crash or not: a lock file nobody holds is
/// only a file.
pub(crate) fn is_held(path: &Path) -> Result<bool> {
    let file = File::open(path).with_context(|| format!("cannot open the lock file `{}`", path.display()))?;
    match file.try_lock() {
        // Dropping `file` releases the lock just taken.
        Ok(()) => Ok(false),
        Err(fs::TryLockError::WouldBlock) => Ok(true),
        Err(fs::TryLockError::Error(error)) => {
            Err(error).with_context(|| format!("cannot test the lock `{}`", path.display()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    use crate::state::change::start;
    use crate::state::fixture::stamp;

    #[test]
    fn a_command_parses_each_playbook_version_and_builds_each_calendar_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().to_path_buf());
        let playbook = catalog::find(dir.path(), "cooperative").unwrap().unwrap();
        let stamp = stamp("2026-03-02T09:00:00-03:00");
        let one = start(&playbook, "coop-a", "PY", &BTreeMap::new(), &stamp);
        let two = start(&playbook, "coop-b", "PY", &BTreeMap::new(), &stamp);
        let (a, b) = (store.followed(&one).unwrap(), store.followed(&two).unwrap());
        assert!(Arc::ptr_eq(&a.playbook, &b.playbook), "the second project reuses the parsed playbook");
        assert_eq!(store.memo().calendars.len(), 0);
        store.calendar("PY", None).unwrap();
        store.calendar("PY", None).unwrap();
        store.calendar("PY", a.playbook.hours()).unwrap();
        assert_eq!(store.memo().calendars.len(), 1 + usize::from(a.playbook.hours().is_some()));
    }

    #[test]
    fn only_an_unreadable_current_playbook_gives_way_to_the_saved_version() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let store = Store::new(state.clone());
        let playbook = catalog::find(&state, "cooperative").unwrap().unwrap();
        let stamp = stamp("2026-03-02T09:00:00-03:00");
        let file = start(&playbook, "coop-a", "PY", &BTreeMap::new(), &stamp);
        store.create(&file, &playbook).unwrap();
        let current = catalog::local_dir(&state).join("cooperative.yaml");
        std::fs::create_dir_all(current.parent().unwrap()).unwrap();
        std::fs::write(&current, "id: [").unwrap();
        let followed = Store::new(state.clone()).followed(&file).unwrap();
        assert_eq!(followed.changed.as_deref(), Some("unreadable"));
        assert_eq!(followed.playbook.hash, playbook.hash);
        // A link out of the state directory is refused, not passed over.
        std::fs::remove_file(&current).unwrap();
        let outside = dir.path().join("outside.yaml");
        std::fs::write(&outside, "id: [").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&outside, &current).unwrap();
            let error = Store::new(state).followed(&file).unwrap_err();
            assert!(
                crate::hint::message(&error).contains("is a link that leads out of the state directory"),
                "{error:#}"
            );
        }
    }
}
