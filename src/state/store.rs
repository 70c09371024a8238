//! The state directory on disk: project files, the playbook versions they follow, and
//! locks. Writes are transactions: lock, load, apply a pure change, write a temporary
//! file, sync, rename. A project file is always either the old one or the new one.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::project::ProjectFile;
use crate::error::{HintExt, hinted};
use crate::playbook::{Origin, Playbook, catalog, parse};

/// A state directory (`.onboard/`, `ONBOARD_DIR`, `--dir` or the per-user data folder).
#[derive(Debug, Clone)]
pub struct Store {
    pub root: PathBuf,
}

/// The playbook a project follows, and whether the current playbook has changed since.
#[derive(Debug)]
pub struct Followed {
    pub playbook: Playbook,
    /// The current playbook's hash when it differs from the version followed
    /// (`unreadable` when it is missing or does not parse).
    pub changed: Option<String>,
}

impl Store {
    pub fn new(root: PathBuf) -> Store {
        Store { root }
    }

    pub fn projects_dir(&self) -> PathBuf {
        self.root.join("projects")
    }

    pub fn project_path(&self, name: &str) -> PathBuf {
        self.projects_dir().join(format!("{name}.yaml"))
    }

    fn lock_path(&self, name: &str) -> PathBuf {
        self.root.join("locks").join(format!("{name}.lock"))
    }

    /// Where the version of a playbook that projects follow is kept, by content hash.
    pub fn version_path(&self, playbook: &str, hash: &str) -> PathBuf {
        let short: String = hash.trim_start_matches("sha256:").chars().take(12).collect();
        self.root.join("versions").join(format!("{playbook}-{short}.yaml"))
    }

    pub fn exists(&self, name: &str) -> bool {
        self.project_path(name).exists()
    }

    /// The names of every project, sorted.
    pub fn project_names(&self) -> Result<Vec<String>> {
        let dir = self.projects_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read the folder `{}`", dir.display()));
            }
        };
        let mut names = Vec::new();
        for entry in entries {
            let path = entry.with_context(|| format!("cannot read the folder `{}`", dir.display()))?.path();
            if path.extension().is_some_and(|e| e == "yaml")
                && let Some(stem) = path.file_stem()
            {
                names.push(stem.to_string_lossy().into_owned());
            }
        }
        names.sort();
        Ok(names)
    }

    /// Reads a project file; refuses one with merge-conflict markers or that does not parse.
    pub fn read(&self, name: &str) -> Result<ProjectFile> {
        let path = self.project_path(name);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let hint = "`onboard status` lists the projects; `onboard start PLAYBOOK NAME` creates one";
                return Err(hinted(format!("no project `{name}` in `{}`", self.root.display()), hint));
            }
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read `{}`", path.display()));
            }
        };
        parse_project(&text, &path, name)
    }

    /// The playbook version a project follows: the current playbook if unchanged, else its saved copy.
    pub fn followed(&self, file: &ProjectFile) -> Result<Followed> {
        // A current playbook that no longer parses does not stop a project that has its
        // own saved version; it only shows as changed.
        let version = self.version_path(&file.playbook, &file.playbook_hash);
        let current = match catalog::find(&self.root, &file.playbook) {
            Ok(current) => current,
            Err(_) if version.is_file() => None,
            Err(error) => return Err(error),
        };
        if let Some(playbook) = current.as_ref().filter(|p| p.hash == file.playbook_hash) {
            return Ok(Followed { playbook: playbook.clone(), changed: None });
        }
        let path = version;
        let text = fs::read_to_string(&path)
            .with_context(|| format!("cannot read `{}`", path.display()))
            .with_context(|| {
                format!(
                    "the version of playbook `{}` that project `{}` follows is missing",
                    file.playbook, file.project
                )
            })
            .hint("restore the file from git: projects follow the playbook version they started with")?;
        let playbook = parse(&text, &path.display().to_string(), Origin::File(path.clone()))?;
        let changed = Some(current.map_or_else(|| String::from("unreadable"), |p| p.hash));
        Ok(Followed { playbook, changed })
    }

    /// Creates a project; refuses if it exists. Saves the playbook version it follows.
    pub fn create(&self, file: &ProjectFile, playbook: &Playbook) -> Result<PathBuf> {
        let _lock = self.lock(&file.project)?;
        let path = self.project_path(&file.project);
        if path.exists() {
            return Err(hinted(
                format!("project `{}` already exists in `{}`", file.project, self.root.display()),
                "choose another name, or continue it with `onboard advance`",
            ));
        }
        let version = self.version_path(&playbook.id, &playbook.hash);
        if !version.exists() {
            write_atomic(&version, &playbook.text)?;
        }
        write_atomic(&path, &render(file)?)?;
        Ok(path)
    }

    /// Applies `change` to a project under its lock and writes the result atomically.
    pub fn update<T>(&self, name: &str, change: impl FnOnce(&mut ProjectFile) -> Result<T>) -> Result<T> {
        let _lock = self.lock(name)?;
        let mut file = self.read(name)?;
        let result = change(&mut file)?;
        write_atomic(&self.project_path(name), &render(&file)?)?;
        Ok(result)
    }

    /// Holds an exclusive lock on the project until dropped. The lock is a separate file
    /// because the project file itself is replaced by rename on every write.
    fn lock(&self, name: &str) -> Result<File> {
        let path = self.lock_path(name);
        create_parent(&path)?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open the lock file `{}`", path.display()))?;
        file.lock().with_context(|| format!("cannot lock `{}`", path.display()))?;
        Ok(file)
    }
}

/// Parses a project file's text; `path` and `name` are for messages and the name check.
pub fn parse_project(text: &str, path: &Path, name: &str) -> Result<ProjectFile> {
    if let Some(line) = conflict_marker(text) {
        return Err(hinted(
            format!("`{}` has an unresolved merge conflict at line {line}", path.display()),
            "resolve the conflict (keep both sides' steps), remove the markers, then run the command again",
        ));
    }
    let file: ProjectFile = serde_yaml::from_str(text)
        .map_err(|error| anyhow::anyhow!("{}", located(&error)))
        .with_context(|| format!("cannot read the project file `{}`", path.display()))
        .hint("fix the file by hand or restore it from git; onboard commands write it for you")?;
    if file.project != name {
        bail!("`{}` says it is project `{}`; the file name says `{name}`", path.display(), file.project);
    }
    Ok(file)
}

/// Checks a project file against the playbook it follows: known steps, typed values.
pub fn check_against(file: &ProjectFile, playbook: &Playbook, path: &Path) -> Result<()> {
    let fail = |message: String| {
        Err(hinted(
            format!("`{}`: {message}", path.display()),
            "fix the file by hand or restore it from git; onboard commands write it for you",
        ))
    };
    for id in file.steps.keys() {
        if playbook.step(id).is_none() {
            return fail(format!("step `{id}` is not in playbook `{}`", playbook.id));
        }
    }
    let step_values =
        file.steps.iter().flat_map(|(id, r)| r.values.iter().map(move |(k, v)| (Some(id), k, v)));
    for (step, name, yaml) in file.vars.iter().map(|(k, v)| (None, k, v)).chain(step_values) {
        let Some(kind) = playbook.kind_of(name) else {
            return fail(format!("`{name}` is no variable or field of playbook `{}`", playbook.id));
        };
        if let Err(message) = kind.from_yaml(yaml) {
            let place = step.map(|s| format!(" in step `{s}`")).unwrap_or_default();
            return fail(format!("bad value for `{name}`{place}: {message}"));
        }
    }
    Ok(())
}

/// The YAML text of a project file, with a header for people who open it.
pub fn render(file: &ProjectFile) -> Result<String> {
    let body = serde_yaml::to_string(file).context("cannot serialize the project")?;
    Ok(format!("# onboard project file. Change it with onboard commands; review it like code.\n{body}"))
}

/// The 1-based line of the first merge-conflict marker, if any.
fn conflict_marker(text: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.starts_with("<<<<<<<")
                || line.starts_with(">>>>>>>")
                || line == "======="
                || line.starts_with("||||||| ")
        })
        .map(|i| i + 1)
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

/// Writes `text` to `path` through a synced temporary file and a rename.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    create_parent(path)?;
    let context = || format!("cannot write `{}`", path.display());
    let mut file = atomic_write_file::AtomicWriteFile::open(path).with_context(context)?;
    file.write_all(text.as_bytes()).with_context(context)?;
    file.commit().with_context(context)?;
    Ok(())
}

/// Parses `KEY=VALUE` pairs, refusing a repeated key.
pub fn split_assignments(pairs: &[String]) -> Result<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(hinted(format!("`{pair}` is not KEY=VALUE"), "write it as `--set name=value`"));
        };
        if map.insert(key.trim().to_string(), value.to_string()).is_some() {
            bail!("`--set {}` is given twice", key.trim());
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_conflict_markers_by_line() {
        assert_eq!(conflict_marker("a: 1\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> other\n"), Some(2));
        assert_eq!(conflict_marker("a: '======='\n"), None);
    }

    #[test]
    fn assignments_split_on_the_first_equals_sign() {
        let map = split_assignments(&["note=a=b".into()]).unwrap();
        assert_eq!(map["note"], "a=b");
        assert!(split_assignments(&["x".into()]).is_err());
        assert!(split_assignments(&["x=1".into(), "x=2".into()]).is_err());
    }
}
