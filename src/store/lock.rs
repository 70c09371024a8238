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
use std::path::Path;

use anyhow::{Context, Result};

use super::atomic::{create_parent, write_atomic};

/// An exclusive lock on one project, released when dropped (or when its process dies,
/// crash or not: it is `flock`'s).
#[derive(Debug)]
pub struct ProjectLock {
    file: File,
}

/// What a lock file holds while a write of its project is under way.
const WRITING: &[u8] = b"a write of this project is under way\n";

impl ProjectLock {
    /// Waits for the lock file at `path` (created if needed, with its folder) and holds it.
    pub fn acquire(path: &Path) -> Result<ProjectLock> {
        create_parent(path)?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .with_context(|| format!("cannot open the lock file `{}`", path.display()))?;
        file.lock().with_context(|| format!("cannot lock `{}`", path.display()))?;
        Ok(ProjectLock { file })
    }

    /// Whether a write of the project started under this lock file and never completed.
    pub fn was_interrupted(&self) -> bool {
        self.file.metadata().is_ok_and(|meta| meta.len() > 0)
    }

    /// Writes `text` to `path` atomically, the lock file marked while the write is under
    /// way. The mark is best effort: without it, a killed write's temporary file is
    /// only left for `onboard doctor` to report.
    pub fn write(&self, path: &Path, text: &str) -> Result<()> {
        let mut file = &self.file;
        let _ = file.rewind().and_then(|()| file.write_all(WRITING));
        write_atomic(path, text)?;
        let _ = self.file.set_len(0);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_completes_leaves_no_mark_and_one_that_stops_midway_does() {
        let dir = tempfile::tempdir().unwrap();
        let (lock_path, target) = (dir.path().join("locks/a.lock"), dir.path().join("a.yaml"));
        let lock = ProjectLock::acquire(&lock_path).unwrap();
        assert!(!lock.was_interrupted());
        lock.write(&target, "project: a\n").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "project: a\n");
        assert!(!lock.was_interrupted());
        // A write that fails (here: its folder is a file) keeps the mark, as a killed one would.
        let blocked = dir.path().join("a.yaml/b.yaml");
        assert!(lock.write(&blocked, "x").is_err());
        drop(lock);
        let again = ProjectLock::acquire(&lock_path).unwrap();
        assert!(again.was_interrupted());
        again.write(&target, "project: a\nv: 2\n").unwrap();
        assert!(!again.was_interrupted());
    }
}
