//! Writing a file so that it is always either the old one or the new one: through a
//! synced temporary file beside it and a rename, its folder created first. The store and
//! the lock both write this way; neither owns it.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Creates the folder `path` goes in, and its parents.
pub(crate) fn create_parent(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder `{}`", parent.display()))?;
    }
    Ok(())
}

/// Whether a file name is one of `atomic-write-file`'s temporary files: the target's
/// name between a dot and a dot, then six random letters or digits
/// (`.coop-central.yaml.Xy3k9Q`). It is renamed over the target when the write
/// completes, so one that stays was left by a write that never completed.
pub(crate) fn is_write_leftover(file_name: &str) -> bool {
    let Some(rest) = file_name.strip_prefix('.') else { return false };
    let Some((target, suffix)) = rest.rsplit_once('.') else { return false };
    !target.is_empty() && suffix.len() == 6 && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Writes `text` to `path` through a synced temporary file and a rename.
/// A link (which reading has checked stays inside the state directory) is written
/// through: its target is replaced, the link and the target's mode are kept.
pub(crate) fn write_atomic(path: &Path, text: &str) -> Result<()> {
    create_parent(path)?;
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let resolved = if is_link { fs::canonicalize(path).ok() } else { None };
    let path = resolved.as_deref().unwrap_or(path);
    let context = || format!("cannot write `{}`", path.display());
    let mut file = atomic_write_file::AtomicWriteFile::open(path).with_context(context)?;
    file.write_all(text.as_bytes()).with_context(context)?;
    file.commit().with_context(context)?;
    Ok(())
}
