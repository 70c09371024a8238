//! The state directory on disk: project files, the playbook versions they follow, and
//! locks. Writes are transactions: lock, load, apply a pure change, write a temporary
//! file, sync, rename. A project file is always either the old one or the new one.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};

use super::change::fill_blocks;
use super::conflict::first_marker;
use super::legacy::FileV1;
use super::lock::ProjectLock;
use super::project::{Action, CALENDAR_KEY, LIFECYCLE_FORMAT, ProjectFile, render};
use crate::calendar::{Calendar, PlaybookHours};
use crate::hint::{HintExt, Hinted, hinted};
use crate::playbook::validate::is_slug;
use crate::playbook::{Origin, Playbook, catalog, parse};
use crate::text::{check_shape, first_duplicate_key, read_text};

/// A state directory (`.onboard/`, `ONBOARD_DIR`, `--dir` or the per-user data folder).
#[derive(Debug, Clone)]
pub struct Store {
    pub root: PathBuf,
    memo: Arc<Mutex<Memo>>,
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
}

/// The playbook a project follows, and whether the current playbook has changed since.
#[derive(Debug)]
pub struct Followed {
    pub playbook: Arc<Playbook>,
    /// The current playbook's hash when it differs from the version followed
    /// (`unreadable` when it is missing or does not parse).
    pub changed: Option<String>,
}

/// The current playbook could not be read (an I/O error) or does not parse.
fn unreadable_playbook(error: &anyhow::Error) -> bool {
    error.chain().any(|e| e.is::<crate::playbook::PlaybookError>() || e.is::<std::io::Error>())
}

impl Store {
    pub fn new(root: PathBuf) -> Store {
        Store { root, memo: Arc::default() }
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, Memo> {
        // A panic while holding it leaves only caches behind, still valid.
        self.memo.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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

    /// Refuses a symbolic link that leads out of the state directory: a project file or a
    /// saved version is read only from inside it.
    fn refuse_escaping_link(&self, path: &Path) -> Result<()> {
        crate::folder::refuse_escaping_link(path, &self.root)
    }

    /// A saved playbook version, parsed once per command, checked against the hash in
    /// the project file (a saved version is never edited; one that was is not trusted).
    fn saved_version(&self, path: &Path, file: &ProjectFile) -> Result<Arc<Playbook>> {
        if let Some(found) = self.memo().versions.get(path) {
            return Ok(found.clone());
        }
        self.refuse_escaping_link(path)?;
        let text = read_text(path)
            .with_context(|| format!("cannot read `{}`", path.display()))
            .with_context(|| {
                format!(
                    "the version of playbook `{}` that project `{}` follows is missing",
                    file.playbook, file.project
                )
            })
            .hint("restore the file from git: projects follow the playbook version they started with")?;
        let playbook = Arc::new(parse(&text, &path.display().to_string(), Origin::File(path.to_path_buf()))?);
        if playbook.hash != file.playbook_hash {
            return Err(hinted(
                format!(
                    "`{}` is not the playbook version that project `{}` follows: its content hash is `{}`, the project's `{}`",
                    path.display(),
                    file.project,
                    playbook.hash,
                    file.playbook_hash
                ),
                "a saved version must not be edited: restore it from git (`git checkout -- FILE`); to change a playbook, edit `playbooks/ID.yaml`",
            ));
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

    pub fn project_path(&self, name: &str) -> PathBuf {
        self.projects_dir().join(format!("{name}.yaml"))
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

    pub fn exists(&self, name: &str) -> bool {
        self.project_path(name).exists()
    }

    /// Projects that ended (`onboard archive`): out of the portfolio views, kept for the
    /// record, in the same layout as `projects/`.
    pub fn archive_dir(&self) -> PathBuf {
        self.root.join("archive")
    }

    pub fn archive_path(&self, name: &str) -> PathBuf {
        self.archive_dir().join(format!("{name}.yaml"))
    }

    pub fn is_archived(&self, name: &str) -> bool {
        self.archive_path(name).exists()
    }

    /// The names of every archived project, sorted.
    pub fn archived_names(&self) -> Result<Vec<String>> {
        let paths = crate::folder::yaml_files(&self.archive_dir())?;
        Ok(paths.iter().filter_map(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned()).collect())
    }

    /// Reads an archived project file, as `read` reads one of the portfolio.
    pub fn read_archived(&self, name: &str) -> Result<ProjectFile> {
        let path = self.archive_path(name);
        self.refuse_escaping_link(&path)?;
        let text = fs::read_to_string(&path).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => hinted(
                format!("no archived project `{name}` in `{}`", self.root.display()),
                "`onboard status --all` lists the projects, archived ones included",
            ),
            _ => anyhow::Error::new(error).context(format!("cannot read `{}`", path.display())),
        })?;
        parse_project(&text, &path, name)
    }

    /// The names of every project, sorted.
    pub fn project_names(&self) -> Result<Vec<String>> {
        let paths = crate::folder::yaml_files(&self.projects_dir())?;
        Ok(paths.iter().filter_map(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned()).collect())
    }

    /// Reads a project file; refuses one with merge-conflict markers or that does not parse.
    pub fn read(&self, name: &str) -> Result<ProjectFile> {
        let text = self.read_text(name)?;
        parse_project(&text, &self.project_path(name), name)
    }

    /// The text of a project file, read from inside the state directory only.
    pub fn read_text(&self, name: &str) -> Result<String> {
        let path = self.project_path(name);
        self.refuse_escaping_link(&path)?;
        match read_text(&path) {
            Ok(text) => Ok(text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound && self.is_archived(name) => {
                Err(archived_error(name))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let hint = "`onboard status` lists the projects; `onboard start PLAYBOOK NAME` creates one";
                Err(hinted(format!("no project `{name}` in `{}`", self.root.display()), hint))
            }
            Err(error) => Err(error).with_context(|| format!("cannot read `{}`", path.display())),
        }
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
        if let Some(playbook) = current.as_ref().filter(|p| p.hash == file.playbook_hash) {
            return Ok(Followed { playbook: playbook.clone(), changed: None });
        }
        let playbook = self.saved_version(&version, file)?;
        let changed = Some(current.map_or_else(|| String::from("unreadable"), |p| p.hash.clone()));
        Ok(Followed { playbook, changed })
    }

    /// Creates a project; refuses if it exists. Saves the playbook version it follows.
    pub fn create(&self, file: &ProjectFile, playbook: &Playbook) -> Result<PathBuf> {
        let lock = self.lock(&file.project)?;
        let path = self.project_path(&file.project);
        if path.exists() {
            return Err(hinted(
                format!("project `{}` already exists in `{}`", file.project, self.root.display()),
                "choose another name, or continue it with `onboard advance`",
            ));
        }
        if self.is_archived(&file.project) {
            return Err(hinted(
                format!("an archived project is named `{}` in `{}`", file.project, self.root.display()),
                format!("choose another name, or bring it back with `onboard unarchive {}`", file.project),
            ));
        }
        let version = self.version_path(&playbook.id, &playbook.hash);
        if !version.exists() {
            write_atomic(&version, &playbook.text)?;
        }
        lock.write(&path, &render(file)?)?;
        Ok(path)
    }

    /// Applies `change` to a project under its lock and writes the result atomically, in
    /// the current format, with a block for every step and variable of `playbook`.
    pub fn update<T>(
        &self,
        name: &str,
        playbook: &Playbook,
        change: impl FnOnce(&mut ProjectFile) -> Result<T>,
    ) -> Result<T> {
        let lock = self.lock(name)?;
        if lock.was_interrupted() {
            self.remove_leftovers(name);
        }
        let mut file = self.read(name)?;
        let result = change(&mut file)?;
        fill_blocks(playbook, &mut file);
        lock.write(&self.project_path(name), &render(&file)?)?;
        Ok(result)
    }

    /// Replaces a project file that cannot be read as it is (one with conflict markers)
    /// by `file`, under the project's lock.
    pub fn replace(&self, file: &ProjectFile) -> Result<PathBuf> {
        let lock = self.lock(&file.project)?;
        let path = self.project_path(&file.project);
        lock.write(&path, &render(file)?)?;
        Ok(path)
    }

    /// Removes the temporary files that writes of project `name` killed midway left
    /// behind. Called under the project's lock, so no write of it is under way, when the
    /// lock says one was interrupted. Best effort: a file that cannot be removed is
    /// `doctor`'s to report.
    fn remove_leftovers(&self, name: &str) {
        let prefix = format!(".{name}.yaml.");
        let Ok(entries) = fs::read_dir(self.projects_dir()) else { return };
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let file_name = file_name.to_string_lossy();
            if file_name.starts_with(&prefix) && is_write_leftover(&file_name) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Holds an exclusive lock on the project until dropped. The lock is a separate file
    /// because the project file itself is replaced by rename on every write.
    pub(super) fn lock(&self, name: &str) -> Result<ProjectLock> {
        ProjectLock::acquire(&self.lock_path(name))
    }
}

/// Where a playbook version is kept inside a state directory: `versions/<id>-<12 hex>.yaml`.
pub fn version_file(playbook: &str, hash: &str) -> String {
    let short: String = hash.trim_start_matches("sha256:").chars().take(12).collect();
    format!("versions/{playbook}-{short}.yaml")
}

/// Whether a process holds the lock file at `path` right now. The lock is the kernel's
/// (`flock`), so it dies with its process, crash or not: a lock file nobody holds is
/// only a file.
pub fn is_held(path: &Path) -> Result<bool> {
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

/// What a command that changes a project says about an archived one.
pub fn archived_error(name: &str) -> anyhow::Error {
    hinted(
        format!("project `{name}` is archived"),
        format!(
            "run `onboard unarchive {name}` to work on it again; `onboard status {name}` and `onboard log {name}` show it as it is"
        ),
    )
}

/// What to do about a file that holds both sides of a merge.
pub fn resolve_hint(name: &str) -> String {
    format!(
        "run `onboard resolve {name}`: it merges both sides' events as the merge driver does (`onboard init` installs the driver for next time)"
    )
}

/// Parses a project file's text, of the current format or format 1 (converted in
/// memory); `path` and `name` are for messages and the name check.
pub fn parse_project(text: &str, path: &Path, name: &str) -> Result<ProjectFile> {
    if let Some(line) = first_marker(text) {
        return Err(hinted(
            format!("`{}` has an unresolved merge conflict at line {line}", path.display()),
            resolve_hint(name),
        ));
    }
    let file = parse_events(text, path)?;
    if file.project != name {
        bail!("`{}` says it is project `{}`; the file name says `{name}`", path.display(), file.project);
    }
    Ok(file)
}

/// Parses one version of a project file (without conflict markers) whatever its name.
pub fn parse_events(text: &str, path: &Path) -> Result<ProjectFile> {
    let fix = "fix the file by hand or restore it from git; onboard commands write it for you";
    // Before the YAML parser, whose time grows with the square of the nesting depth.
    if let Err((at, message)) = check_shape(text) {
        let place = at.map(|at| format!(":{}:{}", at.line, at.column)).unwrap_or_default();
        return Err(hinted(format!("`{}`{place}: {message}", path.display()), fix));
    }
    let format = declared_format(text);
    if format.is_some_and(|f| f > LIFECYCLE_FORMAT) {
        return Err(hinted(
            format!(
                "`{}` is in format {} of the project file, newer than this onboard reads ({LIFECYCLE_FORMAT})",
                path.display(),
                format.unwrap_or_default()
            ),
            "a teammate's newer onboard wrote it: install that version (`cargo install --path .` in an up-to-date checkout)",
        ));
    }
    let parsed = match format {
        Some(_) => serde_yaml::from_str::<ProjectFile>(text),
        None => serde_yaml::from_str::<FileV1>(text).map(FileV1::convert),
    };
    // Every map refuses a repeated key while parsing (`unique`); only then is the file
    // read again to find the repeat's own line, so a good file is parsed once.
    let parsed = parsed.map_err(|error| match first_duplicate_key(text) {
        Some((at, key)) => hinted(
            format!(
                "`{}`:{}:{}: the key `{key}` appears twice in the same block",
                path.display(),
                at.line,
                at.column
            ),
            "a hand merge kept both sides' blocks: move the events of one into the other, or restore the file from git and run `onboard resolve`",
        ),
        None => {
            let error = anyhow::anyhow!("{}", located(&error))
                .context(format!("cannot read the project file `{}`", path.display()));
            Hinted { error, hint: fix.into() }.into()
        }
    });
    let file = parsed?;
    // Both are joined into paths (`versions/<playbook>-<hash>.yaml`): only the shapes
    // onboard writes are accepted, so a hand-edited value cannot lead out of the folder.
    let bad = if !is_slug(&file.playbook) {
        Some(("playbook", &file.playbook, "a playbook id: lowercase letters, digits and `-`"))
    } else if !is_content_hash(&file.playbook_hash) {
        Some(("playbook_hash", &file.playbook_hash, "`sha256:` and 64 lowercase hex digits"))
    } else {
        None
    };
    if let Some((key, value, shape)) = bad {
        return Err(hinted(format!("`{}`: `{key}` is `{value}`, which is not {shape}", path.display()), fix));
    }
    Ok(file)
}

/// `sha256:` and 64 lowercase hex digits, as `content_hash` writes it.
fn is_content_hash(text: &str) -> bool {
    text.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64 && hex.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    })
}

/// The `format:` a file declares at its top level; files of format 1 have none.
fn declared_format(text: &str) -> Option<u32> {
    let line = text.lines().find_map(|line| line.strip_prefix("format:"))?;
    // What is no number is not a newer format: the parser says what is wrong with it.
    Some(line.trim().parse().unwrap_or(LIFECYCLE_FORMAT))
}

/// Checks a project file against the playbook it follows: known steps and variables,
/// typed values. Every problem, one a line.
pub fn problems(file: &ProjectFile, playbook: &Playbook) -> Vec<String> {
    let mut found = Vec::new();
    for id in file.steps.keys().filter(|id| playbook.step(id).is_none()) {
        found.push(format!("step `{id}` is not in playbook `{}`", playbook.id));
    }
    for name in file.vars.keys().filter(|n| *n != CALENDAR_KEY && playbook.variable(n).is_none()) {
        found.push(format!("`{name}` is no variable of playbook `{}`", playbook.id));
    }
    let started = file.start.values.iter().map(|(k, v)| ("at start".to_string(), k, v));
    let set = file.vars.iter().filter(|(name, _)| *name != CALENDAR_KEY).flat_map(|(name, events)| {
        events.iter().filter_map(move |e| Some((format!("set on {}", e.at), name, e.value.as_ref()?)))
    });
    let recorded = file.steps.iter().flat_map(|(id, events)| {
        events.iter().flat_map(move |e| e.values.iter().map(move |(k, v)| (format!("in step `{id}`"), k, v)))
    });
    for (place, name, yaml) in started.chain(set).chain(recorded) {
        match playbook.kind_of(name) {
            None => {
                found.push(format!("`{name}` {place} is no variable or field of playbook `{}`", playbook.id))
            }
            Some(kind) => {
                if let Err(message) = kind.from_yaml(yaml) {
                    found.push(format!("bad value for `{name}` {place}: {message}"));
                }
            }
        }
    }
    let calendars = std::iter::once(file.start.calendar.clone()).chain(
        file.vars
            .get(CALENDAR_KEY)
            .into_iter()
            .flatten()
            .filter(|e| e.action == Action::Set)
            .map(|e| e.value.as_ref().map(super::project::yaml_text).unwrap_or_default()),
    );
    for id in calendars.filter(|id| crate::calendar::find(id).is_none()) {
        found.push(format!("unknown calendar `{id}`"));
    }
    found
}

/// Fails with the first of `problems`, naming the file.
pub fn check_against(file: &ProjectFile, playbook: &Playbook, path: &Path) -> Result<()> {
    match problems(file, playbook).into_iter().next() {
        None => Ok(()),
        Some(message) => Err(hinted(
            format!("`{}`: {message}", path.display()),
            "fix the file by hand or restore it from git; onboard commands write it for you",
        )),
    }
}

fn located(error: &serde_yaml::Error) -> String {
    let message = error.to_string();
    match error.location() {
        Some(at) if !message.contains(" at line ") => {
            format!("line {} column {}: {message}", at.line(), at.column())
        }
        _ => message,
    }
}

fn create_parent(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder `{}`", parent.display()))?;
    }
    Ok(())
}

/// Whether a file name is one of `atomic-write-file`'s temporary files: the target's
/// name between a dot and a dot, then six random letters or digits
/// (`.coop-central.yaml.Xy3k9Q`). It is renamed over the target when the write
/// completes, so one that stays was left by a write that never completed.
pub fn is_write_leftover(file_name: &str) -> bool {
    let Some(rest) = file_name.strip_prefix('.') else { return false };
    let Some((target, suffix)) = rest.rsplit_once('.') else { return false };
    !target.is_empty() && suffix.len() == 6 && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Writes `text` to `path` through a synced temporary file and a rename.
/// A link (which reading has checked stays inside the state directory) is written
/// through: its target is replaced, the link and the target's mode are kept.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    create_parent(path)?;
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let resolved = if is_link { fs::canonicalize(path).ok() } else { None };
    let path = resolved.as_deref().unwrap_or(path);
    let context = || format!("cannot write `{}`", path.display());
    let mut file = atomic_write_file::AtomicWriteFile::open(path).with_context(context)?;
    file.write_all(text.as_bytes()).with_context(context)?;
    file.commit().with_context(context)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    use crate::state::change::{Stamp, start};
    use crate::state::project::Timestamp;

    #[test]
    fn a_command_parses_each_playbook_version_and_builds_each_calendar_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().to_path_buf());
        let playbook = catalog::find(dir.path(), "cooperative").unwrap().unwrap();
        let stamp = Stamp {
            at: Timestamp(chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00-03:00").unwrap()),
            by: "ana".into(),
            recorded: None,
        };
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
        let stamp = Stamp {
            at: Timestamp(chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00-03:00").unwrap()),
            by: "ana".into(),
            recorded: None,
        };
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

    #[test]
    fn finds_conflict_markers_by_line() {
        assert_eq!(first_marker("a: 1\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> other\n"), Some(2));
        assert_eq!(first_marker("a: '======='\n"), None);
    }
}
