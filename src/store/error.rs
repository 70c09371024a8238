//! Why the store refuses a name or cannot read a project: one variant per case a caller
//! may match, each carrying the facts its message needs. What to do about it, naming
//! `onboard` commands, is the command line's to say (`cli::hints`).

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::store::Shelf;
use crate::text::Location;

/// A refusal or failure of the state directory's store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No project of that name where the command looked.
    #[error("no {}project `{name}` in `{}`", .looked.adjective(), .dir.display())]
    NoProject { name: String, dir: PathBuf, looked: Looked },
    /// A command that changes a project was given an archived one.
    #[error("project `{name}` is archived")]
    Archived { name: String },
    /// `start` was given the name of an existing project.
    #[error("project `{name}` already exists in `{}`", .dir.display())]
    Exists { name: String, dir: PathBuf },
    /// `start` was given the name of an archived project.
    #[error("an archived project is named `{name}` in `{}`", .dir.display())]
    ArchivedExists { name: String, dir: PathBuf },
    /// `start` was given the first name of a project renamed since: its directory keeps
    /// that name as its id.
    #[error("`{name}` is the directory of project `{now}`, renamed since")]
    RenamedAway { name: String, now: String },
    /// `start` was given the name of a deleted project whose files are not pruned yet.
    #[error("a deleted project is named `{name}`; its files are still in the state directory")]
    DeletedExists { name: String },
    /// A move (archive, unarchive, rename) to a name taken in `shelf`; `same_name` when
    /// the project keeps its name, so the taker is another project of that name.
    #[error("there is already {} `{name}` in `{}`", .shelf.a_project(), .folder.display())]
    NameTaken { name: String, shelf: Shelf, folder: PathBuf, same_name: bool },
    /// A name in both `projects/` and `archive/`, where one folder was meant.
    #[error("`{name}` names both a project and an archived project")]
    InBothFolders { name: String },
    /// Git's conflict markers, left by a merge, in project `name`'s file.
    #[error("`{}` has an unresolved merge conflict at line {line}", .path.display())]
    Conflict { path: PathBuf, line: usize, name: String },
    /// Too large or nested too deep to parse (`text::check_shape`).
    #[error("`{}`{}: {message}", .path.display(), place(.at))]
    Shape { path: PathBuf, at: Option<Location>, message: String },
    /// Written by a newer onboard, in a format this one does not read.
    #[error(
        "`{}` is in format {format} of the project file, newer than this onboard reads ({newest})",
        .path.display()
    )]
    NewerFormat { path: PathBuf, format: u32, newest: u32 },
    /// A key repeated in one mapping, at the repeat.
    #[error("`{}`:{}:{}: the key `{key}` appears twice in the same block", .path.display(), .at.line, .at.column)]
    DuplicateKey { path: PathBuf, at: Location, key: String },
    /// Not a project file: the YAML parser's error says where.
    #[error("cannot read the project file `{}`", .path.display())]
    Unparsable {
        path: PathBuf,
        #[source]
        cause: Located,
    },
    /// The file says it is another project than its file name.
    #[error("`{}` says it is project `{found}`; the file name says `{expected}`", .path.display())]
    NameMismatch { path: PathBuf, found: String, expected: String },
    /// A field joined into paths (`versions/<playbook>-<hash>.yaml`) of a shape onboard
    /// does not write.
    #[error("`{}`: `{}` is `{value}`, which is not {}", .path.display(), .field.key(), .field.shape())]
    BadField { path: PathBuf, field: PathField, value: String },
    /// A step, variable, value or calendar the playbook version does not have
    /// (`store::problems`, the first of them).
    #[error("`{}`: {problem}", .path.display())]
    DoesNotFit { path: PathBuf, problem: String },
    /// The saved playbook version a project follows cannot be read.
    #[error("the version of playbook `{playbook}` that project `{project}` follows is missing")]
    MissingVersion {
        playbook: String,
        project: String,
        #[source]
        source: ReadError,
    },
    /// A saved playbook version whose content no longer has the hash it is saved under.
    #[error(
        "`{}` is not the playbook version that project `{project}` follows: its content hash is `{found}`, the project's `{expected}`",
        .path.display()
    )]
    EditedVersion { path: PathBuf, project: String, found: String, expected: String },
    /// An event file of a project directory whose fields do not make one event.
    #[error("`{}`: {message}", .path.display())]
    BadEvent { path: PathBuf, message: String },
    /// Files of a deleted project that a merge brought back, or a folder in `projects/`
    /// without its `project.yaml`.
    #[error("`{}` holds event files but no `project.yaml`", .path.display())]
    NoHead { path: PathBuf, name: String },
    /// A symbolic link from inside the state directory to a file outside it.
    #[error("`{}` is a link that leads out of the state directory `{}`", .path.display(), .root.display())]
    LeavesStateDir { path: PathBuf, root: PathBuf },
    /// The projects folder cannot be listed (the state directory is a file, say).
    #[error(transparent)]
    Listing(anyhow::Error),
    /// A file that exists but cannot be read.
    #[error(transparent)]
    Read(#[from] ReadError),
}

/// A file that cannot be read, and the system's reason.
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{}`", .path.display())]
pub struct ReadError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Where a command looked for a project it did not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Looked {
    /// The portfolio, `projects/`.
    Projects,
    /// The archive, `archive/`.
    Archive,
    /// Both folders.
    Both,
}

impl Looked {
    fn adjective(self) -> &'static str {
        match self {
            Looked::Archive => "archived ",
            Looked::Projects | Looked::Both => "",
        }
    }
}

impl Shelf {
    /// `a project`, `an archived project`: what holds a name on this shelf.
    fn a_project(self) -> &'static str {
        match self {
            Shelf::Active => "a project",
            Shelf::Archived => "an archived project",
        }
    }
}

/// The project file's fields that are joined into paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathField {
    Playbook,
    PlaybookHash,
}

impl PathField {
    pub fn key(self) -> &'static str {
        match self {
            PathField::Playbook => "playbook",
            PathField::PlaybookHash => "playbook_hash",
        }
    }

    /// The shape onboard writes, as messages describe it.
    fn shape(self) -> &'static str {
        match self {
            PathField::Playbook => "a playbook id: lowercase letters, digits and `-`",
            PathField::PlaybookHash => "`sha256:` and 64 lowercase hex digits",
        }
    }
}

/// The YAML parser's error, with its line and column in front when its message does not
/// say them already.
#[derive(Debug)]
pub struct Located(pub serde_yaml::Error);

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.0.to_string();
        match self.0.location() {
            Some(at) if !message.contains(" at line ") => {
                write!(f, "line {} column {}: {message}", at.line(), at.column())
            }
            _ => f.write_str(&message),
        }
    }
}

// The message says all the parser knows: its own sources would repeat it.
impl std::error::Error for Located {}

/// `:line:column` after a path, or nothing without a place.
fn place(at: &Option<Location>) -> String {
    at.map(|at| format!(":{}:{}", at.line, at.column)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fs;

    use super::*;
    use crate::playbook::catalog;
    use crate::state::change::start;
    use crate::state::fixture::stamp;
    use crate::state::project::ProjectFile;
    use crate::store::{Standing, Store};

    /// A store in a temporary folder with project `coop` started, on the bundled
    /// cooperative playbook.
    fn store() -> (tempfile::TempDir, Store, ProjectFile) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("state"));
        let playbook = catalog::find(&store.root, "cooperative").unwrap().unwrap();
        let file = start(&playbook, "coop", "PY", &BTreeMap::new(), &stamp("2026-03-02T09:00:00-03:00"));
        store.create(&file, &playbook).unwrap();
        (dir, store, file)
    }

    #[test]
    fn reading_a_project_that_is_not_there_says_where_it_looked() {
        let (_dir, store, _) = store();
        let missing = store.read("opera").unwrap_err();
        assert!(
            matches!(&missing, StoreError::NoProject { name, dir, looked: Looked::Projects } if name == "opera" && *dir == store.root),
            "{missing:?}"
        );
        assert_eq!(missing.to_string(), format!("no project `opera` in `{}`", store.root.display()));
        let archived = store.read_archived("opera").unwrap_err();
        assert!(matches!(archived, StoreError::NoProject { looked: Looked::Archive, .. }), "{archived:?}");
        assert_eq!(
            archived.to_string(),
            format!("no archived project `opera` in `{}`", store.root.display())
        );

        let playbook = catalog::find(&store.root, "cooperative").unwrap().unwrap();
        let stamp = stamp("2026-03-03T09:00:00-03:00");
        store
            .apply("coop", Standing::Active, |file| {
                Ok(crate::state::lifecycle::archive(&playbook, file, Some("withdrawn".into()), &stamp)?)
            })
            .unwrap();
        assert!(matches!(store.read("coop"), Err(StoreError::Archived { name }) if name == "coop"));
        assert!(store.read_archived("coop").is_ok());
    }

    #[test]
    fn a_name_taken_by_start_is_refused_with_the_folder_that_holds_it() {
        let (_dir, store, file) = store();
        let playbook = catalog::find(&store.root, "cooperative").unwrap().unwrap();
        let again = store.create(&file, &playbook).unwrap_err();
        assert!(
            matches!(again.downcast_ref(), Some(StoreError::Exists { name, .. }) if name == "coop"),
            "{again:?}"
        );
    }

    #[test]
    fn a_saved_version_that_is_missing_or_edited_is_refused() {
        let (_dir, store, mut file) = store();
        // A project on a version the current playbook is not: only the saved copy counts.
        file.playbook_hash = format!("sha256:{}", "1".repeat(64));
        let version = store.version_path(&file.playbook, &file.playbook_hash);
        let missing = Store::new(store.root.clone()).followed(&file).unwrap_err();
        let Some(StoreError::MissingVersion { playbook, project, source }) = missing.downcast_ref() else {
            panic!("{missing:?}")
        };
        assert_eq!((playbook.as_str(), project.as_str(), &source.path), ("cooperative", "coop", &version));
        assert_eq!(
            crate::hint::message(&missing),
            format!(
                "the version of playbook `cooperative` that project `coop` follows is missing: cannot read `{}`: No such file or directory (os error 2)",
                version.display()
            )
        );

        let current = store.version_path(
            &file.playbook,
            &crate::playbook::catalog::find(&store.root, "cooperative").unwrap().unwrap().hash,
        );
        fs::copy(current, &version).unwrap();
        let edited = Store::new(store.root.clone()).followed(&file).unwrap_err();
        assert!(
            matches!(edited.downcast_ref(), Some(StoreError::EditedVersion { expected, .. }) if *expected == file.playbook_hash),
            "{edited:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_project_file_linked_from_outside_the_state_directory_is_refused() {
        let (dir, store, _) = store();
        let outside = dir.path().join("elsewhere.yaml");
        fs::rename(store.project_dir("coop"), &outside).unwrap();
        std::os::unix::fs::symlink(&outside, store.project_dir("coop")).unwrap();
        let error = store.read("coop").unwrap_err();
        assert!(
            matches!(&error, StoreError::LeavesStateDir { path, .. } if *path == store.project_dir("coop")),
            "{error:?}"
        );
    }
}
