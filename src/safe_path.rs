//! Every path onboard opens in its state directory, kept inside it: no symbolic link on
//! the way (a folder such as `playbooks/` or `versions/`, a project directory, a file) may
//! lead out of the state directory, for reading or for writing; only regular files are
//! read, bounded; and listing a folder that may not exist yet says what a missing folder
//! means. A committed link in a team's repository must not make onboard read, truncate or
//! replace a file elsewhere on a teammate's machine.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::hint::hinted;

/// What to do about a link out of the state directory.
pub(crate) const LINK_HINT: &str =
    "onboard reads only files inside its state directory: replace the link by the file itself";

/// Refuses `path` when a symbolic link on its way from the state directory `root` (the
/// file itself, or any folder between) leads out of `root`, naming that link: project
/// files, saved versions, local playbooks, calendar overrides and locks are read and
/// written only inside it.
pub(crate) fn refuse_escaping_link(path: &Path, root: &Path) -> Result<()> {
    match escaping_link(path, root) {
        Some(link) => Err(hinted(
            format!(
                "`{}` is a link that leads out of the state directory `{}`",
                link.display(),
                root.display()
            ),
            LINK_HINT,
        )),
        None => Ok(()),
    }
}

/// The symbolic link on the way from `root` to `path` (the folders between, and `path`
/// itself) that leads out of `root`, or nowhere. Only the part of `path` that exists is
/// looked at: what does not exist yet is created inside what does. A path not under
/// `root` has only its last part checked. One `lstat` per part; a link costs a
/// `canonicalize`.
pub(crate) fn escaping_link(path: &Path, root: &Path) -> Option<PathBuf> {
    let Ok(rest) = path.strip_prefix(root) else {
        return link_leads_out(path, root).then(|| path.to_path_buf());
    };
    let mut at = root.to_path_buf();
    for part in rest.components() {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() && !resolves_inside(&at, root) => return Some(at),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Reads a text file of the state directory `root` as `crate::text::read_text` does
/// (a regular file, bounded), refusing it when a link on its way leads out of `root`.
pub(crate) fn read_inside(path: &Path, root: &Path) -> std::io::Result<String> {
    if let Some(link) = escaping_link(path, root) {
        let message = format!("`{}` is a link that leads out of the state directory", link.display());
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, message));
    }
    crate::text::read_text(path)
}

/// Whether `path` itself is a symbolic link that leads out of `root` (or nowhere), for a
/// file in a folder whose own way was checked: a project's event files, read by the
/// thousand, cost one `lstat` each.
pub(crate) fn link_leads_out(path: &Path, root: &Path) -> bool {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    is_link && !resolves_inside(path, root)
}

/// Whether the link at `path` resolves to somewhere inside `root`.
fn resolves_inside(path: &Path, root: &Path) -> bool {
    match (fs::canonicalize(path), fs::canonicalize(root)) {
        (Ok(target), Ok(root)) => target.starts_with(root),
        _ => false,
    }
}

/// The files (and links) directly in `dir`, sorted; none when `dir` does not exist.
pub(crate) fn files(dir: &Path) -> Result<Vec<PathBuf>> {
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
pub(crate) fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>> {
    listed(dir, |entry| Ok(entry.path().extension().is_some_and(|e| e == "yaml")))
}

/// `yaml_files`, each with whether the folder's listing says it is a regular file (its
/// entry's type: no `stat`), which `read_listed` then reads without one either.
pub(crate) fn yaml_files_typed(dir: &Path) -> Result<Vec<(PathBuf, bool)>> {
    kept(dir, |entry| {
        let is_yaml = entry.path().extension().is_some_and(|e| e == "yaml");
        Ok(is_yaml.then(|| entry.file_type().is_ok_and(|kind| kind.is_file())))
    })
}

/// Reads a file its folder's listing found regular, as `crate::text::read_text` reads
/// it, in an `open` and its `read`s: no `lstat` for a link nor `stat` for a pipe (a
/// project's 30 event files made 60 of them). It is opened without following a link and
/// without waiting on a pipe, so what replaced it since the listing cannot lead out of the
/// state directory or hang the command. `None` when it became a link: the caller checks it
/// as any link (and on systems without `O_NOFOLLOW`, always).
pub(crate) fn read_listed(path: &Path) -> Option<std::io::Result<String>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let opened =
            fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(path);
        match opened {
            Ok(file) => Some(crate::text::read_bounded(file, 4096)),
            Err(error) if error.raw_os_error() == Some(libc::ELOOP) => None,
            Err(error) => Some(Err(error)),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// The folders directly in `dir` (not hidden ones, which are onboard's own temporary
/// folders), sorted; none when `dir` does not exist. Project directories are these.
pub(crate) fn folders(dir: &Path) -> Result<Vec<PathBuf>> {
    listed(dir, |entry| {
        let kind = entry.file_type().with_context(|| format!("cannot read `{}`", entry.path().display()))?;
        let is_dir = kind.is_dir() || (kind.is_symlink() && entry.path().is_dir());
        Ok(is_dir && !entry.file_name().to_string_lossy().starts_with('.'))
    })
}

/// The paths of the entries of `dir` that `keep` keeps, sorted; none when `dir` does not
/// exist. One place says what a missing folder means.
fn listed(dir: &Path, keep: impl Fn(&fs::DirEntry) -> Result<bool>) -> Result<Vec<PathBuf>> {
    let paths = kept(dir, |entry| Ok(keep(entry)?.then_some(())))?;
    Ok(paths.into_iter().map(|(path, ())| path).collect())
}

/// The paths of the entries of `dir` that `keep` keeps, with what it said of each, sorted.
fn kept<T>(dir: &Path, keep: impl Fn(&fs::DirEntry) -> Result<Option<T>>) -> Result<Vec<(PathBuf, T)>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(error).with_context(|| format!("cannot read the folder `{}`", dir.display()));
        }
    };
    let mut kept = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read the folder `{}`", dir.display()))?;
        if let Some(said) = keep(&entry)? {
            kept.push((entry.file_name(), entry.path(), said));
        }
    }
    // By name: in one folder, the order of the paths, without comparing them component by
    // component (the sort was a fortieth of `status PROJECT`).
    kept.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(kept.into_iter().map(|(_, path, said)| (path, said)).collect())
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
