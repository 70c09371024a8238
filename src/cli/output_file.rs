//! Files the user names for output (`report --output`, `ical --output`, the pages of
//! `man --out-dir`): always a regular file, written whole through a temporary file beside
//! it and a rename. Not the store's: these files live wherever the user says, not in the
//! state directory, so a link or a device there is a mistake to refuse, not a layout to
//! follow.

use std::fs::{self, File, Metadata};
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::hint::{HintExt, hinted};

/// Writes `text` to the regular file `path`, replacing it atomically: a temporary file in
/// the same folder, synced, then renamed over it. A new file gets the usual mode (0666
/// less the umask); a replaced one keeps its mode. `path`'s folder is created when
/// missing, as it always was (`--output public/onboard.ics` in CI).
///
/// Refused before anything is created, with `instead` (another way to get the output)
/// in the hint: a folder, a device, a named pipe or a socket (`/dev/null` would be
/// replaced when run as root), and every symbolic link (`/dev/stdout` is one; a dangling
/// one would become a file; one that leads elsewhere would replace a file the user never
/// named). No failure leaves the temporary file behind.
pub(super) fn write_output(path: &Path, text: &[u8], instead: &str) -> Result<()> {
    let existing = check_target(path, instead)?;
    crate::store::create_parent(path)?;
    let context = || format!("cannot write `{}`", path.display());
    let temporary = Temporary::create(path).with_context(context)?;
    temporary.fill(text, existing.as_ref()).with_context(context)?;
    temporary.commit(path).with_context(context)
}

/// What is at `path` now: nothing (`None`), or a regular file whose mode a replacement
/// keeps. Anything else is refused.
fn check_target(path: &Path, instead: &str) -> Result<Option<Metadata>> {
    let shown = path.display();
    if path.file_name().is_none() || path.as_os_str().to_string_lossy().ends_with(std::path::is_separator) {
        return Err(hinted(
            format!("cannot write `{shown}`: it names a folder"),
            format!("name a file, or {instead}"),
        ));
    }
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error).with_context(|| format!("cannot write `{shown}`")),
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(Some(meta));
    }
    let (what, fix) = if kind.is_symlink() {
        let to = fs::read_link(path).unwrap_or_default();
        (
            format!("it is a symbolic link (to `{}`)", to.display()),
            "name a regular file instead (output never goes through a link)",
        )
    } else if kind.is_dir() {
        ("it is a folder".to_string(), "name a file inside it")
    } else {
        (format!("it is {}, not a regular file", special_kind(&meta)), "name a regular file")
    };
    Err(hinted(format!("cannot write `{shown}`: {what}"), format!("{fix}, or {instead}")))
}

/// A device, a named pipe or a socket, as a message names it.
fn special_kind(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "a special file"
}

/// The temporary file beside the target, removed when dropped before its rename, so
/// that an error or a panic on the way leaves the folder as it was.
struct Temporary {
    path: PathBuf,
    file: File,
    renamed: bool,
}

impl Temporary {
    /// Creates `.NAME.XXXXXX` beside `target`, a name no other file has (`create_new`), in
    /// the shape `doctor` and `store::is_write_leftover` recognise.
    fn create(target: &Path) -> Result<Temporary> {
        let folder = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let mut attempt = 0u64;
        loop {
            let path = folder.join(format!(".{name}.{}", random_suffix(attempt)));
            match fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => return Ok(Temporary { path, file, renamed: false }),
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(error) => {
                    return Err(error)
                        .with_context(|| format!("cannot create a temporary file in `{}`", folder.display()))
                        .hint("check that the folder exists and that you may write in it");
                }
            }
        }
    }

    /// Writes the text and gives the file the replaced file's mode, then syncs it.
    fn fill(&self, text: &[u8], existing: Option<&Metadata>) -> Result<()> {
        (&self.file).write_all(text)?;
        if let Some(existing) = existing {
            self.file.set_permissions(kept_permissions(existing))?;
        }
        self.file.sync_all()?;
        Ok(())
    }

    /// Renames the file over `target` (a rename never follows a link at the target), then
    /// syncs the folder so that the new name survives a crash.
    fn commit(mut self, target: &Path) -> Result<()> {
        fs::rename(&self.path, target)?;
        self.renamed = true;
        // A folder that cannot be synced (some file systems refuse) still holds the file.
        if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            let _ = File::open(folder).and_then(|f| f.sync_all());
        }
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// The replaced file's permissions, less set-user-id, set-group-id and sticky bits: new
/// content should not inherit the right to run as someone else.
fn kept_permissions(existing: &Metadata) -> fs::Permissions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::Permissions::from_mode(existing.permissions().mode() & 0o777)
    }
    #[cfg(not(unix))]
    existing.permissions()
}

/// Six letters or digits that differ from run to run: the standard library's randomly
/// seeded hasher, over the process id and the attempt (the clock is not read here; see
/// `clock`).
fn random_suffix(attempt: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u64(attempt);
    let mut bits = hasher.finish();
    (0..6)
        .map(|_| {
            let letter = ALPHABET[(bits % ALPHABET.len() as u64) as usize];
            bits /= ALPHABET.len() as u64;
            letter as char
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_written_and_nothing_else_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.md");
        write_output(&path, b"# Report\n", "print it").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "# Report\n");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["report.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode_without_set_id_bits() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.ics");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o4640)).unwrap();
        write_output(&path, b"new", "print it").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o7777, 0o640);
    }

    #[test]
    fn a_failed_rename_removes_the_temporary_file() {
        // A folder appearing at the target after the check: the rename fails.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.md");
        let temporary = Temporary::create(&target).unwrap();
        temporary.fill(b"text", None).unwrap();
        fs::create_dir(&target).unwrap();
        fs::write(target.join("inside"), "").unwrap();
        assert!(temporary.commit(&target).is_err());
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["report.md"]);
    }

    #[test]
    fn temporary_names_are_the_shape_doctor_recognises() {
        let suffix = random_suffix(0);
        assert!(crate::store::is_write_leftover(&format!(".report.md.{suffix}")), "{suffix}");
        assert_ne!(random_suffix(0), random_suffix(0), "seeded afresh each time");
    }
}
