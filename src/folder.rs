//! Listing a folder of the state directory, which may not exist yet: the projects, the
//! local playbooks, the saved versions. One place says what a missing folder means.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::hint::hinted;

/// What to do about a link out of the state directory.
pub const LINK_HINT: &str =
    "onboard reads only files inside its state directory: replace the link by the file itself";

/// Refuses a symbolic link that leads out of the state directory `root`: project files,
/// saved versions, local playbooks and calendar overrides are read only from inside it.
pub fn refuse_escaping_link(path: &Path, root: &Path) -> Result<()> {
    match leads_out(path, root) {
        true => Err(hinted(
            format!(
                "`{}` is a link that leads out of the state directory `{}`",
                path.display(),
                root.display()
            ),
            LINK_HINT,
        )),
        false => Ok(()),
    }
}

/// Whether `path` is a symbolic link whose target is not inside `root` (or cannot be found).
pub fn leads_out(path: &Path, root: &Path) -> bool {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return false;
    }
    match (fs::canonicalize(path), fs::canonicalize(root)) {
        (Ok(target), Ok(root)) => !target.starts_with(root),
        _ => true,
    }
}

/// The files (and links) directly in `dir`, sorted; none when `dir` does not exist.
pub fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    // The entry's own type, without a stat per file: a portfolio lists thousands.
    listed(dir, |entry| {
        let kind = entry.file_type().with_context(|| format!("cannot read `{}`", entry.path().display()))?;
        Ok(kind.is_file() || kind.is_symlink())
    })
}

/// Everything named `*.yaml` directly in `dir`, sorted: files and links, and also a
/// folder, a named pipe or a device of that name, which the reader then refuses with
/// what it is. Passed over, such an entry would hide a project (or a playbook) from
/// every command without a word.
pub fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>> {
    listed(dir, |entry| Ok(entry.path().extension().is_some_and(|e| e == "yaml")))
}

/// The folders directly in `dir` (not hidden ones, which are onboard's own temporary
/// folders), sorted; none when `dir` does not exist. Project directories are these.
pub fn folders(dir: &Path) -> Result<Vec<PathBuf>> {
    listed(dir, |entry| {
        let kind = entry.file_type().with_context(|| format!("cannot read `{}`", entry.path().display()))?;
        let is_dir = kind.is_dir() || (kind.is_symlink() && entry.path().is_dir());
        Ok(is_dir && !entry.file_name().to_string_lossy().starts_with('.'))
    })
}

/// The paths of the entries of `dir` that `keep` keeps, sorted; none when `dir` does not
/// exist. One place says what a missing folder means.
fn listed(dir: &Path, keep: impl Fn(&fs::DirEntry) -> Result<bool>) -> Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(error).with_context(|| format!("cannot read the folder `{}`", dir.display()));
        }
    };
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read the folder `{}`", dir.display()))?;
        if keep(&entry)? {
            paths.push(entry.path());
        }
    }
    paths.sort();
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_is_empty_and_only_yaml_names_count() {
        let dir = tempfile::tempdir().unwrap();
        assert!(files(&dir.path().join("none")).unwrap().is_empty());
        fs::write(dir.path().join("b.yaml"), "").unwrap();
        fs::write(dir.path().join("a.yaml"), "").unwrap();
        fs::write(dir.path().join(".gitkeep"), "").unwrap();
        fs::create_dir(dir.path().join("c.yaml")).unwrap();
        let names: Vec<String> = yaml_files(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["a.yaml", "b.yaml", "c.yaml"],
            "a folder of that name is for the reader to refuse"
        );
    }
}
