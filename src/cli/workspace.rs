//! The workspace file (`--workspace FILE`, `ONBOARD_WORKSPACE`): the state directories of
//! several repositories that a team looks at together, each with an optional name. Read
//! here as written, every directory resolved against the file's folder; `members.rs`
//! checks that each is a state directory and labels it.
//!
//! ```yaml
//! # onboard workspace: the state directories looked at together
//! members:
//!   - dir: ../team-a/.onboard
//!     name: team-a
//!   - dir: ../team-b/.onboard
//! ```

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Deserialize;

use crate::hint::hinted;
use crate::text::{Flaw, LocationIndex, read_text};

/// The variable that names a workspace file, as `--workspace` does.
pub(super) const WORKSPACE_VARIABLE: &str = "ONBOARD_WORKSPACE";

/// What every refusal of a workspace file's shape suggests.
const HINT: &str = "a workspace file holds `members:`, a list of `- dir: PATH` (a state directory, relative to the file) each with an optional `name: LABEL`";

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
}
