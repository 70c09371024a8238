//! Where playbooks come from: the bundled ones compiled into the binary (already checked,
//! `embedded`), and the local ones in the state directory's `playbooks/` folder, which
//! add to or override them.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::diagnostic::{Diagnostic, PlaybookError};
use super::embedded;
use super::model::{Origin, Playbook};
use super::validate;
use crate::hint::{hint, message};
use crate::text::read_text;

pub(crate) use super::embedded::BUNDLED;

/// One playbook the catalog knows, parsed or not.
#[derive(Debug)]
pub(crate) struct Listed {
    pub id: String,
    pub origin: Origin,
    /// A local playbook that replaces a bundled one of the same id.
    pub overrides: bool,
    pub playbook: Result<Playbook, PlaybookError>,
}

/// The local playbooks folder of a state directory.
pub(crate) fn local_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("playbooks")
}

/// The playbook `id`: the local file if there is one, else the bundled one.
pub fn find(state_dir: &Path, id: &str) -> Result<Option<Playbook>> {
    let local = local_dir(state_dir).join(format!("{id}.yaml"));
    // Whatever stands there is the team's playbook: a link or a pipe is refused, not
    // passed over for the bundled one.
    if fs::symlink_metadata(&local).is_ok() {
        crate::safe_path::refuse_escaping_link(&local, state_dir)?;
        return load_file(&local, Some(id)).map(Some);
    }
    Ok(bundled(id).transpose()?)
}

/// Every playbook, bundled and local, sorted by id; local ones replace bundled ones.
pub(crate) fn list(state_dir: &Path) -> Result<Vec<Listed>> {
    let mut listed: Vec<Listed> = BUNDLED
        .iter()
        .map(|(name, text)| Listed {
            id: stem(name).to_string(),
            origin: Origin::Bundled,
            overrides: false,
            playbook: parse_bundled(name, text),
        })
        .collect();
    for path in local_files(state_dir)? {
        let id = stem(&path.file_name().unwrap_or_default().to_string_lossy()).to_string();
        let read = crate::safe_path::refuse_escaping_link(&path, state_dir)
            .and_then(|()| read_text(&path).with_context(|| format!("cannot read `{}`", path.display())));
        // One unreadable file is one invalid playbook in the list, not a failed listing.
        let playbook = match read {
            Ok(text) => parse_checked(&text, &path, Some(&id)),
            Err(error) => Err(unreadable(&path, message(&error), hint(&error))),
        };
        let overrides = listed.iter().any(|l| l.id == id && l.origin == Origin::Bundled);
        listed.retain(|l| l.id != id);
        listed.push(Listed { id, origin: Origin::File(path), overrides, playbook });
    }
    listed.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(listed)
}

/// The `*.yaml` files of the local playbooks folder, sorted; none if it does not exist.
pub(crate) fn local_files(state_dir: &Path) -> Result<Vec<PathBuf>> {
    crate::safe_path::yaml_files(&local_dir(state_dir))
}

/// Reads and checks a playbook file; `expected_id` is its file name's stem when it must match.
pub(crate) fn load_file(path: &Path, expected_id: Option<&str>) -> Result<Playbook> {
    let text = match read_text(path) {
        Ok(text) => text,
        // Said as validation says it of any text too large.
        Err(error) if error.kind() == std::io::ErrorKind::FileTooLarge => {
            let hint = "a playbook is a few kilobytes, a few levels deep".to_string();
            return Err(unreadable(path, error.to_string(), Some(hint)).into());
        }
        Err(error) => {
            return Err(error).with_context(|| format!("cannot read the playbook `{}`", path.display()));
        }
    };
    Ok(parse_checked(&text, path, expected_id)?)
}

/// A file that could not be read, as a playbook error without a place.
fn unreadable(path: &Path, message: String, hint: Option<String>) -> PlaybookError {
    PlaybookError {
        file: path.display().to_string(),
        text: String::new(),
        diagnostics: vec![Diagnostic { message, location: None, hint }],
    }
}

/// The bundled playbook `id`, if there is one.
pub(crate) fn bundled(id: &str) -> Option<Result<Playbook, PlaybookError>> {
    let (name, text) = BUNDLED.iter().find(|(name, _)| name.strip_suffix(".yaml") == Some(id))?;
    Some(parse_bundled(name, text))
}

/// Checks a local playbook's text; `expected_id` is its file name's stem when it must match.
pub(crate) fn parse_checked(
    text: &str,
    path: &Path,
    expected_id: Option<&str>,
) -> Result<Playbook, PlaybookError> {
    let file = path.display().to_string();
    let playbook = validate::parse(text, &file, Origin::File(path.to_path_buf()))?;
    match expected_id {
        Some(id) if playbook.id != id => Err(PlaybookError {
            file,
            text: text.to_string(),
            diagnostics: vec![Diagnostic {
                message: format!(
                    "the playbook id `{}` does not match its file name `{id}.yaml`",
                    playbook.id
                ),
                location: crate::text::LocationIndex::new(text).value("id"),
                hint: Some(format!("rename the file to `{}.yaml` or set `id: {id}`", playbook.id)),
            }],
        }),
        _ => Ok(playbook),
    }
}

/// A bundled playbook: the checked one compiled in, or, should the model not hold this
/// text (a build whose tests were not run after a playbook changed), a parse of it.
fn parse_bundled(name: &str, text: &str) -> Result<Playbook, PlaybookError> {
    match embedded::playbook(name, text) {
        Some(playbook) => Ok(playbook),
        None => validate::parse_bundled(text, &format!("playbooks/{name}")),
    }
}

fn stem(name: &str) -> &str {
    name.strip_suffix(".yaml").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_playbook_is_valid_and_named_after_its_id() {
        for (name, text) in BUNDLED {
            let playbook = validate::parse_bundled(text, &format!("playbooks/{name}"))
                .unwrap_or_else(|e| panic!("{}", e.render(false)));
            assert_eq!(format!("{}.yaml", playbook.id), name);
            // What `parse_bundled` leaves unchecked: size, depth and repeated keys.
            assert_eq!(crate::text::check_document(text), Ok(()), "{name}");
        }
    }

    #[test]
    fn every_file_in_playbooks_is_bundled() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("playbooks");
        let mut on_disk: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut bundled: Vec<String> = BUNDLED.iter().map(|(name, _)| name.to_string()).collect();
        bundled.sort();
        assert_eq!(on_disk, bundled);
    }
}
