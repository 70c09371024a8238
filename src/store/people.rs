//! `people.yaml` in the state directory: which roles each person plays, so that a
//! person can ask for their own work (`onboard next --me`). Committed with the projects:
//! the team shares one list.
//!
//! ```yaml
//! ana: [ANALYST]
//! Bea Ruiz: [PROJECT_LEADER, analyst]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::hint::hinted;
use crate::text::read_text;

/// People by name, each with the roles (ids or names, as `--owner` takes them) they play.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct People {
    pub path: PathBuf,
    pub roles: BTreeMap<String, Vec<String>>,
}

/// Where the list is, in state directory `root`.
pub(crate) fn path(root: &Path) -> PathBuf {
    root.join("people.yaml")
}

/// Reads the list of state directory `root`; `None` when there is none.
pub(crate) fn load(root: &Path) -> Result<Option<People>> {
    let path = path(root);
    crate::safe_path::refuse_escaping_link(&path, root)?;
    let text = match read_text(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error).with_context(|| format!("cannot read `{}`", path.display())),
    };
    parse(&text, &path).map(Some)
}

const HINT: &str = "write one line per person, their name then their roles: `ana: [ANALYST, PROJECT_LEADER]`";

/// Reads the list from its text; `path` names it in messages.
pub(crate) fn parse(text: &str, path: &Path) -> Result<People> {
    if let Some(line) = crate::text::first_conflict_marker(text) {
        return Err(hinted(
            format!("`{}` has an unresolved merge conflict at line {line}", path.display()),
            "keep the lines of both sides that you mean, remove the markers, then run the command again",
        ));
    }
    let parsed: Option<BTreeMap<String, OneOrMany>> = serde_yaml::from_str(text)
        .map_err(|error| hinted(format!("`{}` is not a list of people: {error}", path.display()), HINT))?;
    let roles = parsed
        .unwrap_or_default()
        .into_iter()
        .map(|(person, roles)| (person.trim().to_string(), roles.into_vec()))
        .collect();
    Ok(People { path: path.to_path_buf(), roles })
}

/// A person's roles: one, or a list.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(role) => vec![role],
            OneOrMany::Many(roles) => roles,
        }
    }
}

impl People {
    /// The roles of `person`, whose name matches in any case (`Ana` is `ana`).
    pub(crate) fn of(&self, person: &str) -> Option<&[String]> {
        let person = person.trim();
        self.roles
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(person))
            .map(|(_, roles)| roles.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_have_one_role_or_several_and_are_found_in_any_case() {
        let text = "ana: [ANALYST, project leader]\nBea Ruiz: PROJECT_LEADER\n";
        let people = parse(text, Path::new("people.yaml")).unwrap();
        assert_eq!(people.of("Ana"), Some(&["ANALYST".to_string(), "project leader".to_string()][..]));
        assert_eq!(people.of("bea ruiz"), Some(&["PROJECT_LEADER".to_string()][..]));
        assert_eq!(people.of("carla"), None);
        assert_eq!(parse("", Path::new("people.yaml")).unwrap().roles.len(), 0);
        let bad = parse("ana: {role: 1}\n", Path::new("people.yaml")).unwrap_err();
        assert!(crate::hint::message(&bad).starts_with("`people.yaml` is not a list of people"), "{bad:#}");
    }
}
