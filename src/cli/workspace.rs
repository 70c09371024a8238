//! The state directories a run reads when it reads several: `--dir` repeated, or the
//! workspace file (`--workspace FILE`, `ONBOARD_WORKSPACE`) that lists the directories of
//! several repositories a team looks at together, each with an optional name. The file
//! is read as written, every directory resolved against its folder; then each directory
//! is checked to be a state directory, given once, and labelled (`resolve`), before any
//! context is made (`members.rs` gives each a context of its own).
//!
//! ```yaml
//! # onboard workspace: the state directories looked at together
//! members:
//!   - dir: ../team-a/.onboard
//!     name: team-a
//!   - dir: ../team-b/.onboard
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Deserialize;

use crate::hint::hinted;
use crate::store::STATE_DIR_NAME;
use crate::text::{Flaw, LocationIndex, read_text};

/// The variable that names a workspace file, as `--workspace` does.
pub(super) const WORKSPACE_VARIABLE: &str = "ONBOARD_WORKSPACE";

/// What every refusal of a workspace file's shape suggests.
const HINT: &str = "a workspace file holds `members:`, a list of `- dir: PATH` (a state directory, relative to the file) each with an optional `name: LABEL`";

/// A state directory of a portfolio over several, with the label that names its
/// repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dir {
    pub label: String,
    /// Absolute, as the single directory is.
    pub root: PathBuf,
}

/// The directories several `--dir`, or a workspace file (`--workspace`, else
/// `ONBOARD_WORKSPACE`), name: each checked to be a state directory, given once, and
/// labelled. Empty when at most one `--dir` is given: that one (or none) is resolved as
/// always, unchecked, so a single directory behaves as it did.
pub(super) fn resolve(dirs: &[PathBuf], workspace: Option<&Path>) -> Result<Vec<Dir>> {
    let candidates = match (dirs, named(workspace)) {
        ([_, _, ..], _) => dirs.iter().map(|dir| Candidate::flag(dir)).collect::<Result<Vec<_>>>()?,
        ([], Some(file)) => {
            let read = load(&file)?;
            read.members.iter().map(|listed| Candidate::listed(&read.path, listed)).collect::<Result<_>>()?
        }
        _ => return Ok(Vec::new()),
    };
    let mut seen: Vec<(PathBuf, &Candidate)> = Vec::new();
    for candidate in &candidates {
        let real = candidate.check()?;
        if let Some((_, first)) = seen.iter().find(|(other, _)| *other == real) {
            return Err(hinted(
                format!("{} is the state directory of {} again", candidate.place, first.place),
                "list each state directory once",
            ));
        }
        seen.push((real, candidate));
    }
    let labels = labels(&seen)?;
    Ok(seen.iter().zip(labels).map(|((_, c), label)| Dir { label, root: c.root.clone() }).collect())
}

/// A directory given on the command line or listed in a workspace file, before it is
/// checked.
struct Candidate {
    /// Absolute.
    root: PathBuf,
    /// How messages name where it was given: `` `--dir X` `` or `` `FILE`:LINE: `X` ``.
    place: String,
    /// The workspace's `name`, with where it stands.
    name: Option<(String, String)>,
}

impl Candidate {
    fn flag(dir: &Path) -> Result<Candidate> {
        Ok(Candidate { root: absolute(dir)?, place: format!("`--dir {}`", dir.display()), name: None })
    }

    fn listed(file: &Path, listed: &Listed) -> Result<Candidate> {
        let root = absolute(&listed.dir)?;
        let place =
            format!("{}: `{}` (`{}`)", listed.place(file, false), listed.given.trim(), root.display());
        let name = listed.name.clone().map(|name| (name, listed.place(file, true)));
        Ok(Candidate { root, place, name })
    }

    /// The directory's real path, once it is found to be a state directory.
    fn check(&self) -> Result<PathBuf> {
        let hint =
            "give each repository's state directory: the `.onboard/` folder that `onboard init` creates";
        match std::fs::metadata(&self.root) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(hinted(format!("{} is not a folder", self.place), hint)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(hinted(format!("{}: there is no such folder", self.place), hint));
            }
            Err(error) => return Err(hinted(format!("{}: {error}", self.place), hint)),
        }
        if !self.root.join("projects").is_dir() {
            return Err(hinted(
                format!("{} is not a state directory: it has no `projects/` folder", self.place),
                hint,
            ));
        }
        std::fs::canonicalize(&self.root).map_err(|error| hinted(format!("{}: {error}", self.place), hint))
    }
}

fn absolute(dir: &Path) -> Result<PathBuf> {
    std::path::absolute(dir).map_err(|error| {
        hinted(
            format!("cannot resolve the state directory `{}`: {error}", dir.display()),
            "give another path",
        )
    })
}

/// Each directory's label: the workspace's `name`, else its repository's folder name
/// (the folder holding `.onboard/`, else the directory's own name), made unique with
/// `-2`, `-3` after the names the workspace gave.
fn labels(checked: &[(PathBuf, &Candidate)]) -> Result<Vec<String>> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for (_, candidate) in checked {
        let Some((name, place)) = &candidate.name else { continue };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(hinted(
                format!("{place}: the name `{}` is not a label", crate::render::one_line(name)),
                "a member's `name` is made of letters, digits, `.`, `_` and `-`, such as `team-a`",
            ));
        }
        if !taken.insert(name.clone()) {
            return Err(hinted(
                format!("{place}: the name `{name}` is given to two members"),
                "give each member a name of its own",
            ));
        }
    }
    let mut labels = Vec::with_capacity(checked.len());
    for (real, candidate) in checked {
        if let Some((name, _)) = &candidate.name {
            labels.push(name.clone());
            continue;
        }
        let base = folder_label(real);
        let label = (1..)
            .map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") })
            .find(|label| !taken.contains(label))
            .unwrap_or(base);
        taken.insert(label.clone());
        labels.push(label);
    }
    Ok(labels)
}

/// The repository's folder name: the parent of a `.onboard/`, else the directory itself.
pub(super) fn folder_label(real: &Path) -> String {
    let own = real.file_name();
    let folder = match own {
        Some(name) if name == STATE_DIR_NAME => real.parent().and_then(Path::file_name),
        _ => own,
    };
    folder.map_or_else(|| "state".to_string(), |name| name.to_string_lossy().into_owned())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkspace {
    members: Vec<RawMember>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    dir: String,
    #[serde(default)]
    name: Option<String>,
}

/// A workspace file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Workspace {
    /// The file, as given: messages name it so.
    pub path: PathBuf,
    pub members: Vec<Listed>,
}

/// One `- dir:` entry of a workspace file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Listed {
    /// `dir` as written.
    pub given: String,
    /// `dir` resolved against the file's folder.
    pub dir: PathBuf,
    /// `name`, trimmed, when given.
    pub name: Option<String>,
    /// The line of its `dir`, and of its `name`, for messages.
    pub dir_line: usize,
    pub name_line: usize,
}

impl Listed {
    /// `` `FILE`:LINE `` for a message about this entry's `dir` (or, `of_name`, its `name`).
    pub(super) fn place(&self, file: &Path, of_name: bool) -> String {
        let line = if of_name { self.name_line } else { self.dir_line };
        format!("`{}`:{line}", file.display())
    }
}

/// Reads the workspace file at `path`.
pub(super) fn load(path: &Path) -> Result<Workspace> {
    let text = read_text(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => hinted(
            format!("there is no workspace file `{}`", path.display()),
            "check the path of `--workspace` (or `ONBOARD_WORKSPACE`); it is a file that lists the state directories to look at together",
        ),
        _ => hinted(format!("cannot read the workspace file `{}`: {error}", path.display()), HINT),
    })?;
    parse(&text, path)
}

/// Reads a workspace file from its text; `path` names it in messages, and its folder is
/// what the directories are relative to.
pub(super) fn parse(text: &str, path: &Path) -> Result<Workspace> {
    let shown = path.display();
    if let Some(line) = crate::text::first_conflict_marker(text) {
        return Err(hinted(
            format!("`{shown}` has an unresolved merge conflict at line {line}"),
            "keep the members of both sides that you mean, remove the markers, then run the command again",
        ));
    }
    match crate::text::check_document(text) {
        Ok(()) => {}
        Err(Flaw::DuplicateKey(at, key)) => {
            return Err(hinted(
                format!(
                    "`{shown}`:{}:{}: the key `{key}` appears twice in the same mapping",
                    at.line, at.column
                ),
                "keep one of them",
            ));
        }
        Err(Flaw::Shape(at, message)) => {
            let place = at.map(|at| format!(":{}:{}", at.line, at.column)).unwrap_or_default();
            return Err(hinted(format!("`{shown}`{place}: {message}"), HINT));
        }
    }
    let raw: Option<RawWorkspace> = serde_yaml::from_str(text).map_err(|error| {
        let message = error.to_string();
        let (place, message) = match error.location() {
            Some(at) => {
                let suffix = format!(" at line {} column {}", at.line(), at.column());
                let message = message.strip_suffix(&suffix).unwrap_or(&message).to_string();
                (format!(":{}:{}", at.line(), at.column()), message)
            }
            None => (String::new(), message),
        };
        hinted(format!("`{shown}`{place}: {message}"), HINT)
    })?;
    let raw = raw.map(|raw| raw.members).unwrap_or_default();
    if raw.is_empty() {
        return Err(hinted(format!("`{shown}` lists no state directory"), HINT));
    }
    let index = LocationIndex::new(text);
    let line = |path: &str| index.value(path).map_or(1, |at| at.line);
    let folder = path.parent().unwrap_or(Path::new(""));
    let members = raw
        .into_iter()
        .enumerate()
        .map(|(i, member)| Listed {
            dir: folder.join(member.dir.trim()),
            given: member.dir,
            name: member.name.map(|name| name.trim().to_string()),
            dir_line: line(&format!("members[{i}].dir")),
            name_line: line(&format!("members[{i}].name")),
        })
        .collect();
    Ok(Workspace { path: path.to_path_buf(), members })
}

/// The workspace file `--workspace` names, else `ONBOARD_WORKSPACE` (when not empty).
pub(super) fn named(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| std::env::var_os(WORKSPACE_VARIABLE).filter(|v| !v.is_empty()).map(PathBuf::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(error: &anyhow::Error) -> String {
        crate::hint::message(error)
    }

    #[test]
    fn members_are_relative_to_the_file_and_keep_their_lines() {
        let text = "# onboard workspace\nmembers:\n  - dir: ../team-a/.onboard\n    name: team-a\n  - dir: ../team-b/.onboard\n";
        let read = parse(text, Path::new("/w/ops/workspace.yaml")).unwrap();
        assert_eq!(read.members.len(), 2);
        assert_eq!(read.members[0].dir, Path::new("/w/ops/../team-a/.onboard"));
        assert_eq!(read.members[0].name.as_deref(), Some("team-a"));
        assert_eq!((read.members[0].dir_line, read.members[0].name_line), (3, 4));
        assert_eq!(read.members[1].name, None);
        assert_eq!(read.members[1].dir_line, 5);
    }

    #[test]
    fn an_unknown_key_names_the_file_and_its_line() {
        let text = "members:\n  - dir: a/.onboard\n  - dri: b/.onboard\n";
        let error = parse(text, Path::new("ws.yaml")).unwrap_err();
        assert_eq!(
            message(&error),
            "`ws.yaml`:3:5: members[1]: unknown field `dri`, expected `dir` or `name`"
        );
        assert_eq!(crate::hint::hint(&error).as_deref(), Some(HINT));
    }

    #[test]
    fn an_empty_file_a_repeated_key_and_conflict_markers_are_refused() {
        let empty = parse("# nothing yet\n", Path::new("ws.yaml")).unwrap_err();
        assert_eq!(message(&empty), "`ws.yaml` lists no state directory");
        let twice = parse("members:\n  - dir: a\n    dir: b\n", Path::new("ws.yaml")).unwrap_err();
        assert_eq!(message(&twice), "`ws.yaml`:3:5: the key `dir` appears twice in the same mapping");
        let conflict = parse("members:\n<<<<<<< HEAD\n", Path::new("ws.yaml")).unwrap_err();
        assert_eq!(message(&conflict), "`ws.yaml` has an unresolved merge conflict at line 2");
    }

    #[test]
    fn a_repository_is_named_by_the_folder_that_holds_its_state_directory() {
        assert_eq!(folder_label(Path::new("/work/team-a/.onboard")), "team-a");
        assert_eq!(folder_label(Path::new("/srv/state/ops")), "ops");
        assert_eq!(folder_label(Path::new("/")), "state");
    }

    #[test]
    fn labels_are_made_unique_after_the_names_a_workspace_gives() {
        let candidate = |name: Option<&str>| Candidate {
            root: PathBuf::new(),
            place: String::new(),
            name: name.map(|n| (n.to_string(), "`ws.yaml`:3".to_string())),
        };
        let (a, b, c) = (candidate(None), candidate(Some("team-2")), candidate(None));
        let checked = [
            (PathBuf::from("/x/team/.onboard"), &a),
            (PathBuf::from("/y/other/.onboard"), &b),
            (PathBuf::from("/y/team/.onboard"), &c),
        ];
        assert_eq!(labels(&checked).unwrap(), ["team", "team-2", "team-3"]);
        let bad = candidate(Some("team a"));
        let error = labels(&[(PathBuf::from("/x"), &bad)]).unwrap_err();
        assert_eq!(crate::hint::message(&error), "`ws.yaml`:3: the name `team a` is not a label");
    }
}
