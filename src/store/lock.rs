//! A project's lock: the kernel's exclusive lock on a file of its own, held while the
//! project is read, changed and written, and the mark it keeps of a write under way.
//!
//! The mark is why a write need not list the projects folder: `atomic-write-file` writes
//! to a temporary file beside its target and renames it, so a write killed midway leaves
//! that temporary file behind, under a random name. A lock file that is not empty says a
//! write of its project started and never finished; only then does the next write look
//! for what it left (at 5,000 projects, the listing cost more than the rest of `advance`).

use std::fs::File;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};

use super::atomic::{create_parent, write_atomic};
use crate::safe_path::refuse_escaping_link;

/// An exclusive lock on one project, released when dropped (or when its process dies,
/// crash or not: it is `flock`'s). It knows the state directory, and writes nothing that a
/// link would carry out of it.
#[derive(Debug)]
pub(crate) struct ProjectLock {
    file: File,
    root: PathBuf,
}

/// What a lock file holds while a write of its project is under way.
const WRITING: &[u8] = b"a write of this project is under way\n";

/// How long a writer waits for a project another command holds, and whom it tells that
/// it waits. A person at a terminal sees why nothing happens; a script gets an error it
/// can retry after, not a hang.
#[derive(Clone)]
pub struct LockWait {
    pub timeout: Duration,
    /// Called once, after `NOTICE_AFTER`, with the lock file and when its holder took it.
    pub notice: Arc<Notice>,
}

/// What a waiting writer calls: the lock file, and when its holder took it.
pub(crate) type Notice = dyn Fn(&Path, Option<SystemTime>) + Send + Sync;

impl std::fmt::Debug for LockWait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LockWait").field("timeout", &self.timeout).finish_non_exhaustive()
    }
}

impl Default for LockWait {
    fn default() -> LockWait {
        LockWait { timeout: DEFAULT_TIMEOUT, notice: Arc::new(|_, _| {}) }
    }
}

/// How long a writer waits by default: far longer than any command holds a lock (a few
/// milliseconds), short enough that a stuck holder does not stall a script for ever.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a writer waits before it says that it waits.
const NOTICE_AFTER: Duration = Duration::from_secs(1);

/// A lock that another command held for longer than the wait allowed.
#[derive(Debug, thiserror::Error)]
#[error("project lock `{}` is still held by another onboard command after {} s", path.display(), waited.as_secs())]
pub(crate) struct LockTimeout {
    pub path: PathBuf,
    pub waited: Duration,
}

impl ProjectLock {
    /// Takes the lock file at `path` (created if needed, with its folder) in the state
    /// directory `root`, waiting as `wait` says. The lock file is never a link: one would
    /// let the mark of a write truncate whatever it points to.
    pub(crate) fn acquire(path: &Path, root: &Path, wait: &LockWait) -> Result<ProjectLock> {
        refuse_escaping_link(path, root)?;
        create_parent(path)?;
        let file =
            open_no_link(path).with_context(|| format!("cannot open the lock file `{}`", path.display()))?;
        let started = Instant::now();
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(error)) => {
                    return Err(error).with_context(|| format!("cannot lock `{}`", path.display()));
                }
            }
            let waited = started.elapsed();
            if waited >= wait.timeout {
                // Nothing was changed: the run exits 4, and running it again is safe.
                let timeout = LockTimeout { path: path.to_path_buf(), waited };
                return Err(crate::hint::Hinted::new(timeout).exit(crate::hint::ExitCode::Busy).into());
            }
            if !told && waited >= NOTICE_AFTER {
                (wait.notice)(path, file.metadata().and_then(|m| m.modified()).ok());
                told = true;
            }
            std::thread::sleep(Duration::from_millis(20).min(wait.timeout - waited));
        }
        // When the lock was taken, for a writer that waits on it to say.
        let _ = file.set_modified(crate::clock::disk_now());
        Ok(ProjectLock { file, root: root.to_path_buf() })
    }

    /// Whether a write of the project started under this lock file and never completed.
    pub(crate) fn was_interrupted(&self) -> bool {
        self.file.metadata().is_ok_and(|meta| meta.len() > 0)
    }

    /// Writes `text` to `path` atomically, the lock file marked while the write is under
    /// way; refuses a path that a link leads out of the state directory, and a text larger
    /// than reads accept. The mark is best
    /// effort: without it, a killed write's temporary file is only left for `onboard
    /// doctor` to report.
    pub(crate) fn write(&self, path: &Path, text: &str) -> Result<()> {
        refuse_escaping_link(path, &self.root)?;
        // Every read refuses a larger file: one written would lock the project out.
        if text.len() > crate::text::MAX_BYTES {
            anyhow::bail!(
                "`{}` would have {} bytes, more than the {} onboard reads; nothing was written",
                path.display(),
                text.len(),
                crate::text::MAX_BYTES
            );
        }
        let mut file = &self.file;
        let _ = file.rewind().and_then(|()| file.write_all(WRITING));
        write_atomic(path, text)?;
        let _ = self.file.set_len(0);
        Ok(())
    }
}

/// Opens (or creates) the lock file, refusing a link where it should be.
fn open_no_link(path: &Path) -> std::io::Result<File> {
    let mut options = File::options();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The kernel refuses the link itself (ELOOP), with no window between a check and
        // the open.
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path).map_err(|error| match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is a symbolic link; a lock file never is one",
        ),
        _ => error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_completes_leaves_no_mark_and_one_that_stops_midway_does() {
        let dir = tempfile::tempdir().unwrap();
        let (lock_path, target) = (dir.path().join("locks/a.lock"), dir.path().join("a.yaml"));
        let lock = ProjectLock::acquire(&lock_path, dir.path(), &LockWait::default()).unwrap();
        assert!(!lock.was_interrupted());
        lock.write(&target, "project: a\n").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "project: a\n");
        assert!(!lock.was_interrupted());
        // A write that fails (here: its folder is a file) keeps the mark, as a killed one would.
        let blocked = dir.path().join("a.yaml/b.yaml");
        assert!(lock.write(&blocked, "x").is_err());
        drop(lock);
        let again = ProjectLock::acquire(&lock_path, dir.path(), &LockWait::default()).unwrap();
        assert!(again.was_interrupted());
        again.write(&target, "project: a\nv: 2\n").unwrap();
        assert!(!again.was_interrupted());
    }

    #[test]
    fn a_text_larger_than_reads_accept_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let lock =
            ProjectLock::acquire(&dir.path().join("locks/a.lock"), dir.path(), &LockWait::default()).unwrap();
        let target = dir.path().join("a.yaml");
        let huge = "#".repeat(crate::text::MAX_BYTES + 1);
        let error = lock.write(&target, &huge).unwrap_err().to_string();
        assert!(error.ends_with("more than the 4194304 onboard reads; nothing was written"), "{error}");
        assert!(!target.exists());
        lock.write(&target, &huge[1..]).unwrap();
    }

    #[test]
    fn a_path_that_a_link_leads_out_is_not_written() {
        let (dir, outside) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let lock =
            ProjectLock::acquire(&dir.path().join("locks/a.lock"), dir.path(), &LockWait::default()).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("projects")).unwrap();
        assert!(lock.write(&dir.path().join("projects/a/e.yaml"), "x: 1\n").is_err());
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }
}
