//! The warm cache of portfolio commands: each project file as parsed and checked against
//! the playbook version it follows, kept in the user's cache folder and keyed by the
//! file's identity, so that a run that finds a file unchanged neither reads nor parses it
//! again. Nothing in it depends on now, on a calendar or on a command's options. A cache
//! that is missing, corrupt, truncated or written by another build is ignored and
//! rebuilt: it is never trusted and never an error.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::{self, Metadata};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::playbook::validate::content_hash;
use crate::state::project::ProjectFile;
use crate::store::{Store, StoreError, parse_project};

/// The layout of the cache file; bumped whenever what an entry holds, or what it vouches
/// for, changes.
pub(crate) const FORMAT: u32 = 1;

/// The environment variable that turns the cache off, as `--no-cache` does.
pub(crate) const NO_CACHE_VARIABLE: &str = "ONBOARD_NO_CACHE";

/// How long before it was read a file must have been modified for its identity alone to
/// be trusted, in nanoseconds. A file modified within the same tick of the file system's
/// clock (whole seconds on some, two on FAT) can be written again with the same size and
/// times: such an entry is "racily clean", as git calls it, and its content is compared.
const RACY_NANOS: i64 = 2_000_000_000;

/// A file's identity as the file system reports it (git's "stat data"): a write, a
/// rename over it or a replacement changes at least one part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Identity {
    pub size: u64,
    /// Modification time, in nanoseconds since 1970.
    pub modified: i64,
    /// Inode change time, in nanoseconds since 1970 (0 where the system has none): it
    /// moves even when a tool puts the modification time back.
    pub changed: i64,
    pub inode: u64,
    pub device: u64,
}

impl Identity {
    /// The identity of a regular file, from `symlink_metadata`; `None` for anything else
    /// (a link is read as usual and never cached).
    pub(crate) fn of(meta: &Metadata) -> Option<Identity> {
        if !meta.file_type().is_file() {
            return None;
        }
        let modified = nanos(meta.modified().ok()?)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let changed = meta.ctime().checked_mul(1_000_000_000)?.checked_add(meta.ctime_nsec())?;
            Some(Identity { size: meta.len(), modified, changed, inode: meta.ino(), device: meta.dev() })
        }
        #[cfg(not(unix))]
        Some(Identity { size: meta.len(), modified, changed: 0, inode: 0, device: 0 })
    }
}

/// Nanoseconds since 1970 (negative before).
fn nanos(time: SystemTime) -> Option<i64> {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_nanos()).ok(),
        Err(before) => i64::try_from(before.duration().as_nanos()).ok().map(|n| -n),
    }
}

/// Which cache a run reads and writes: a cache is trusted only by the build of onboard
/// that wrote it, for the state directory it was written for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub format: u32,
    /// `onboard 0.1.0`.
    pub onboard: String,
    /// The executable's own identity: a rebuilt onboard (a new version, or a developer's
    /// change) never reads what another build parsed.
    pub build: String,
    /// The state directory's absolute path.
    pub state: String,
}

impl Header {
    /// The header of this build for state directory `root`; `None` when the executable
    /// cannot be identified (then nothing is cached).
    pub(crate) fn current(root: &Path) -> Option<Header> {
        let exe = fs::metadata(std::env::current_exe().ok()?).ok()?;
        let id = Identity::of(&exe)?;
        Some(Header {
            format: FORMAT,
            onboard: format!("onboard {}", env!("CARGO_PKG_VERSION")),
            build: format!("{}:{}:{}:{}", id.size, id.modified, id.inode, id.device),
            state: root.to_string_lossy().into_owned(),
        })
    }
}

/// Where the cache of state directory `root` lives: one file per state directory, named
/// by a hash of its absolute path, in the user's cache folder (`~/.cache/onboard` on
/// Linux). Never in the state directory, which a team commits: the cache is per machine
/// and per user, like git's index. `None` without a home folder.
pub(crate) fn location(root: &Path) -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "onboard")?;
    let hash = content_hash(&root.to_string_lossy());
    let short: String = hash.trim_start_matches("sha256:").chars().take(16).collect();
    Some(dirs.cache_dir().join("portfolios").join(format!("{short}.json")))
}

/// The cache file as a run reads it, before any project is read.
pub(crate) struct Cache {
    path: PathBuf,
    header: Header,
    text: String,
    /// When this run started reading project files.
    started: i64,
}

/// The whole file, as read: the header, then each project's entry left as JSON text, to
/// be parsed by the thread that needs it.
#[derive(Deserialize)]
struct Stored<'t> {
    format: u32,
    #[serde(borrow)]
    onboard: Cow<'t, str>,
    #[serde(borrow)]
    build: Cow<'t, str>,
    #[serde(borrow)]
    state: Cow<'t, str>,
    #[serde(borrow)]
    projects: HashMap<&'t str, &'t RawValue>,
}

/// What the cache holds for one project file.
#[derive(Clone, Serialize, Deserialize)]
struct Entry<'t> {
    identity: Identity,
    /// `sha256:` of the file's bytes, compared when the identity alone cannot be trusted.
    #[serde(borrow)]
    content: Cow<'t, str>,
    /// When the file was last read or compared: its identity is trusted only when it was
    /// modified at least `RACY_NANOS` before.
    checked: i64,
    /// The playbook version the file was checked against.
    #[serde(borrow)]
    playbook_hash: Cow<'t, str>,
    /// The parsed project file.
    #[serde(borrow)]
    file: &'t RawValue,
}

impl Entry<'_> {
    fn is_racy(&self) -> bool {
        self.identity.modified > self.checked.saturating_sub(RACY_NANOS)
    }
}

impl Cache {
    /// The cache of state directory `root`, read now (a missing or unreadable file reads
    /// as empty); `None` when this run cannot use one.
    pub(crate) fn open(root: &Path) -> Option<Cache> {
        let path = location(root)?;
        Some(Cache::at(path, Header::current(root)?))
    }

    /// The cache file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The cache file at `path`, for a run with this header.
    pub(crate) fn at(path: PathBuf, header: Header) -> Cache {
        // Taken before any project file is read, so that an entry never claims a later
        // look than it had.
        let started = nanos(crate::clock::disk_now()).unwrap_or(i64::MIN);
        // Only a regular file: a named pipe there would make every portfolio command wait.
        let is_file = fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        let text = if is_file { fs::read_to_string(&path).unwrap_or_default() } else { String::new() };
        Cache { path, header, text, started }
    }

    /// Its entries, when the file is whole and was written by this build for this state
    /// directory; none otherwise.
    pub(crate) fn entries(&self) -> Entries<'_> {
        let stored = serde_json::from_str::<Stored<'_>>(&self.text).ok().filter(|s| {
            s.format == self.header.format
                && s.onboard == self.header.onboard
                && s.build == self.header.build
                && s.state == self.header.state
        });
        Entries { map: stored.map(|s| s.projects).unwrap_or_default(), started: self.started }
    }

    /// Replaces the cache with the entries this run kept, when anything changed; see
    /// `Writer`, which does it project by project. (The tests' way; a run writes through
    /// a `Writer`.)
    #[cfg(test)]
    pub(crate) fn save<'t>(&self, entries: &Entries<'t>, kept: &[(&str, Kept<'t>)]) {
        let mut writer = self.writer(entries);
        for (name, kept) in kept {
            writer.push(name, Some(kept));
        }
        writer.finish();
    }

    /// A writer of the next cache, for a run that reads `entries`.
    pub(crate) fn writer<'c, 't>(&'c self, entries: &'c Entries<'t>) -> Writer<'c, 't> {
        Writer { cache: self, entries, unchanged: Vec::new(), out: None, changed: false }
    }
}

/// The next cache, written as a run's projects come in, in the order they come: a cold
/// run never holds every project's new entry at once (at 5,000 projects, 5 MB). Nothing
/// is written until something changed (an entry added or refreshed, or one dropped), and
/// the file replaces the old one atomically when it is whole, so a concurrent command
/// reads the old cache or the new one, and the last to write wins. Entries not pushed
/// (projects removed, or unreadable) drop out. A failure is ignored: the next run
/// rebuilds.
pub(crate) struct Writer<'c, 't> {
    cache: &'c Cache,
    entries: &'c Entries<'t>,
    /// The unchanged entries pushed before anything changed (borrowed from the old cache).
    unchanged: Vec<(String, &'t RawValue)>,
    /// The file being written, once something changed; `None` again after a failure.
    out: Option<Output>,
    changed: bool,
}

/// A cache file being written: through a temporary file, renamed over the old one when
/// it is whole.
struct Output {
    file: std::io::BufWriter<atomic_write_file::AtomicWriteFile>,
    /// Whether an entry is written yet (the next one needs a comma).
    any: bool,
}

impl<'t> Writer<'_, 't> {
    /// The entry to keep for project `name`, or `None` when it is not to be cached.
    pub(crate) fn push(&mut self, name: &str, kept: Option<&Kept<'t>>) {
        match kept {
            Some(Kept::Same(raw)) if !self.changed => self.unchanged.push((name.to_string(), raw)),
            Some(kept) => {
                self.change();
                self.write(name, kept.raw());
            }
            // A project the cache held that is not to be cached any more.
            None if self.entries.map.contains_key(name) => self.change(),
            None => {}
        }
    }

    /// Writes the cache if anything changed, and replaces the old one with it.
    pub(crate) fn finish(mut self) {
        // Projects removed since: their entries were not pushed.
        if !self.changed && self.unchanged.len() != self.entries.map.len() {
            self.change();
        }
        let Some(mut output) = self.out.take() else { return };
        if output.file.write_all(b"}}").is_ok()
            && let Ok(file) = output.file.into_inner()
        {
            let _ = file.commit();
        }
    }

    /// From the first change on, the entries go to the new file, the unchanged ones
    /// pushed so far first.
    fn change(&mut self) {
        if self.changed {
            return;
        }
        self.changed = true;
        self.out = self.open().ok();
        for (name, raw) in std::mem::take(&mut self.unchanged) {
            self.write(&name, raw);
        }
    }

    /// The new file, with the header written.
    fn open(&self) -> std::io::Result<Output> {
        let path = &self.cache.path;
        create_private(path.parent().unwrap_or(Path::new(".")))?;
        let mut file = std::io::BufWriter::new(atomic_write_file::AtomicWriteFile::open(path)?);
        let header = &self.cache.header;
        let text = |value: &str| serde_json::to_string(value).map_err(std::io::Error::other);
        write!(
            file,
            "{{\"format\":{},\"onboard\":{},\"build\":{},\"state\":{},\"projects\":{{",
            header.format,
            text(&header.onboard)?,
            text(&header.build)?,
            text(&header.state)?
        )?;
        Ok(Output { file, any: false })
    }

    /// One entry, `"name":{...}`; a failure abandons the file (never renamed into place).
    fn write(&mut self, name: &str, raw: &RawValue) {
        let Some(output) = &mut self.out else { return };
        let written = serde_json::to_string(name).map_err(std::io::Error::other).and_then(|key| {
            let comma = if output.any { "," } else { "" };
            write!(output.file, "{comma}{key}:{}", raw.get())
        });
        output.any = true;
        if written.is_err() {
            self.out = None;
        }
    }
}

/// Creates the cache folder readable by its owner only: it holds copies of project files.
fn create_private(folder: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(folder)
}

/// The entries of a cache that this run may trust, by project name.
pub(crate) struct Entries<'t> {
    map: HashMap<&'t str, &'t RawValue>,
    started: i64,
}

/// An entry to keep in the next cache: the one read, as it was, or a new one.
pub(crate) enum Kept<'t> {
    Same(&'t RawValue),
    New(Box<RawValue>),
}

impl Kept<'_> {
    fn raw(&self) -> &RawValue {
        match self {
            Kept::Same(raw) => raw,
            Kept::New(raw) => raw,
        }
    }
}

/// A project file read through the cache.
pub(crate) struct Read<'t> {
    pub file: ProjectFile,
    /// The playbook version the file was checked against when it was cached; `None` when
    /// it was read from disk now and is still to be checked.
    pub checked_against: Option<String>,
    source: Source<'t>,
}

enum Source<'t> {
    /// From the cache: the entry to keep.
    Cached(Kept<'t>),
    /// From disk, with the identity it had before it was read and a hash of its text.
    Disk { identity: Identity, content: String },
    /// From disk, not to be cached (a link).
    Uncached,
}

impl<'t> Entries<'t> {
    /// How many entries the cache holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    /// Reads project `name` of `store`: from the cache when its file has the identity it
    /// had when cached (and, when that identity cannot be trusted alone, the same
    /// content), else from disk as `Store::read` does, with the same errors.
    pub(crate) fn read(&self, store: &Store, name: &str) -> Result<Read<'t>, StoreError> {
        // Only old single files are cached: a project directory is read as it is (an
        // edited event file changes no folder's modification time).
        let path = store.project_file(name);
        let identity = match store.is_dir_project(name) {
            true => None,
            false => fs::symlink_metadata(&path).ok().and_then(|meta| Identity::of(&meta)),
        };
        let Some(identity) = identity else {
            return Ok(Read { file: store.read(name)?, checked_against: None, source: Source::Uncached });
        };
        let mut text = None;
        if let Some((entry, raw)) = self.entry(name).filter(|(entry, _)| entry.identity == identity) {
            let kept = match entry.is_racy() {
                false => Some(Kept::Same(raw)),
                true => {
                    let read = store.read_text(name)?;
                    let same = content_hash(&read) == entry.content;
                    text = Some(read);
                    same.then(|| self.refreshed(&entry, raw))
                }
            };
            if let Some(kept) = kept
                && let Ok(mut file) = serde_json::from_str::<ProjectFile>(entry.file.get())
                && file.project == name
            {
                // Ids are not cached: they are the names the events' conversion will give.
                super::layout::name_as_converted(&mut file);
                let checked_against = Some(entry.playbook_hash.into_owned());
                return Ok(Read { file, checked_against, source: Source::Cached(kept) });
            }
        }
        let text = match text {
            Some(text) => text,
            None => store.read_text(name)?,
        };
        let file = parse_project(&text, &path, name)?;
        Ok(Read {
            file,
            checked_against: None,
            source: Source::Disk { identity, content: content_hash(&text) },
        })
    }

    /// The entry of project `name`, when there is one and it parses.
    fn entry(&self, name: &str) -> Option<(Entry<'t>, &'t RawValue)> {
        let raw = *self.map.get(name)?;
        Some((serde_json::from_str(raw.get()).ok()?, raw))
    }

    /// A racy entry whose content was found unchanged: compared now, it is trusted by its
    /// identity alone from the next run on, once its modification is old enough.
    fn refreshed(&self, entry: &Entry<'t>, raw: &'t RawValue) -> Kept<'t> {
        let entry = Entry { checked: self.started, ..entry.clone() };
        match entry.is_racy() {
            true => Kept::Same(raw),
            false => serde_json::value::to_raw_value(&entry).map_or(Kept::Same(raw), Kept::New),
        }
    }
}

impl<'t> Read<'t> {
    /// What to keep in the cache for this file, once it has been found good against the
    /// playbook version `playbook_hash` (a file that fails is never cached, so its error
    /// is found again). `None` when it cannot be cached faithfully.
    pub(crate) fn keep(&self, entries: &Entries<'t>, playbook_hash: &str) -> Option<Kept<'t>> {
        match &self.source {
            Source::Uncached => None,
            // Always so: the playbook version is named by a hash in the file itself.
            Source::Cached(kept) if self.checked_against.as_deref() == Some(playbook_hash) => {
                Some(match kept {
                    Kept::Same(raw) => Kept::Same(raw),
                    Kept::New(raw) => Kept::New(raw.clone()),
                })
            }
            Source::Cached(_) => None,
            Source::Disk { identity, content } => {
                let file = serde_json::value::to_raw_value(&self.file).ok()?;
                // Only what reads back exactly is kept: a value JSON cannot hold (a YAML
                // tag, a non-finite number, a fraction of a second) keeps the file out.
                let back: ProjectFile = serde_json::from_str(file.get()).ok()?;
                if back != self.file {
                    return None;
                }
                let entry = Entry {
                    identity: *identity,
                    content: Cow::Borrowed(content),
                    checked: entries.started,
                    playbook_hash: Cow::Borrowed(playbook_hash),
                    file: &file,
                };
                serde_json::value::to_raw_value(&entry).ok().map(Kept::New)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::time::Duration;

    use super::*;
    use crate::playbook::catalog;
    use crate::state::change::{Stamp, start};
    use crate::state::project::Timestamp;

    /// A state directory with project `coop` (of the bundled `cooperative` playbook),
    /// modified an hour ago, and the cache file beside it.
    struct Fixture {
        dir: tempfile::TempDir,
        store: Store,
        hash: String,
    }

    impl Fixture {
        fn new() -> Fixture {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::new(dir.path().join(".onboard"));
            let playbook = catalog::find(&store.root, "cooperative").unwrap().unwrap();
            let stamp = Stamp {
                at: Timestamp(chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00-03:00").unwrap()),
                by: "ana".into(),
                recorded: None,
            };
            // The cache holds old single files (format 2) only.
            let file = start(&playbook, "coop", "PY", &BTreeMap::new(), &stamp);
            let version = store.version_path(&playbook.id, &playbook.hash);
            fs::create_dir_all(version.parent().unwrap()).unwrap();
            fs::write(version, &playbook.text).unwrap();
            fs::create_dir_all(store.projects_dir()).unwrap();
            fs::write(store.project_file("coop"), crate::state::project::render(&file).unwrap()).unwrap();
            let fixture = Fixture { dir, store, hash: playbook.hash.clone() };
            fixture.age(3600);
            fixture
        }

        fn path(&self) -> PathBuf {
            self.store.project_file("coop")
        }

        /// Sets the project file's modification time to `seconds` ago (ahead, when negative).
        fn age(&self, seconds: i64) {
            let now = crate::clock::disk_now();
            let at = match seconds {
                0.. => now - Duration::from_secs(seconds.unsigned_abs()),
                _ => now + Duration::from_secs(seconds.unsigned_abs()),
            };
            self.set_modified(at);
        }

        fn set_modified(&self, at: SystemTime) {
            fs::File::options().write(true).open(self.path()).unwrap().set_modified(at).unwrap();
        }

        fn header(&self) -> Header {
            Header {
                format: FORMAT,
                onboard: "onboard test".into(),
                build: "build 1".into(),
                state: self.store.root.display().to_string(),
            }
        }

        fn cache_path(&self) -> PathBuf {
            self.dir.path().join("cache/portfolio.json")
        }

        fn cache(&self) -> Cache {
            Cache::at(self.cache_path(), self.header())
        }

        /// Reads `coop` through the cache as a portfolio command does, saves what it
        /// keeps, and says where the file came from.
        fn run(&self, cache: &Cache) -> &'static str {
            let entries = cache.entries();
            let read = entries.read(&self.store, "coop").unwrap();
            assert_eq!(
                read.file,
                self.store.read("coop").unwrap(),
                "the same project, wherever it came from"
            );
            let source = match &read.source {
                Source::Cached(Kept::Same(_)) => "cache",
                Source::Cached(Kept::New(_)) => "cache, refreshed",
                Source::Disk { .. } => "disk",
                Source::Uncached => "disk, uncached",
            };
            let kept: Vec<_> = read.keep(&entries, &self.hash).into_iter().map(|k| ("coop", k)).collect();
            cache.save(&entries, &kept);
            source
        }

        /// Rewrites the cache file through its JSON.
        fn edit_cache(&self, change: impl FnOnce(&mut serde_json::Value)) {
            let mut json: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(self.cache_path()).unwrap()).unwrap();
            change(&mut json);
            fs::write(self.cache_path(), json.to_string()).unwrap();
        }
    }

    #[test]
    fn an_unchanged_file_comes_from_the_cache_checked_against_its_playbook() {
        let fx = Fixture::new();
        assert_eq!(fx.run(&fx.cache()), "disk");
        let cache = fx.cache();
        let entries = cache.entries();
        assert_eq!(entries.len(), 1);
        let read = entries.read(&fx.store, "coop").unwrap();
        assert_eq!(read.checked_against.as_deref(), Some(fx.hash.as_str()));
        assert!(matches!(read.source, Source::Cached(Kept::Same(_))));
        assert_eq!(read.file.project, "coop");
    }

    #[test]
    fn any_change_to_the_identity_sends_the_read_to_disk() {
        for part in ["size", "modified", "changed", "inode", "device"] {
            let fx = Fixture::new();
            fx.run(&fx.cache());
            fx.edit_cache(|json| {
                let identity = &mut json["projects"]["coop"]["identity"];
                identity[part] = (identity[part].as_i64().unwrap() + 1).into();
            });
            assert_eq!(fx.run(&fx.cache()), "disk", "{part}");
            assert_eq!(fx.run(&fx.cache()), "cache", "{part}: cached again");
        }
    }

    #[test]
    fn a_written_file_is_read_again() {
        let fx = Fixture::new();
        fx.run(&fx.cache());
        let modified = fs::metadata(fx.path()).unwrap().modified().unwrap();
        let text = fs::read_to_string(fx.path()).unwrap();
        fs::write(fx.path(), text.replace("by: ana", "by: bob")).unwrap();
        fx.set_modified(modified);
        assert_eq!(fs::metadata(fx.path()).unwrap().len(), text.len() as u64);
        assert_eq!(
            fx.run(&fx.cache()),
            "disk",
            "same size, same modification time: the inode change time moved"
        );
        assert_eq!(fx.store.read("coop").unwrap().start.by, "bob");
    }

    #[test]
    fn a_file_modified_just_before_it_was_cached_is_trusted_by_its_content() {
        let fx = Fixture::new();
        // Modified "now" as far as the cache can tell, however slowly the test runs: a
        // file system's clock may run ahead of the system's.
        fx.age(-30);
        fx.run(&fx.cache());
        // The same identity with other content: what a second write in the same tick of
        // the file system's clock would leave.
        fx.edit_cache(|json| json["projects"]["coop"]["content"] = "sha256:00".into());
        assert_eq!(fx.run(&fx.cache()), "disk");
        assert_eq!(fx.run(&fx.cache()), "cache", "same content: still racy, kept as it was");
        // Compared again once the modification is old enough, it is trusted from then on.
        let mut later = fx.cache();
        later.started += 40 * 1_000_000_000;
        assert_eq!(fx.run(&later), "cache, refreshed");
        fx.edit_cache(|json| json["projects"]["coop"]["content"] = "sha256:00".into());
        assert_eq!(fx.run(&fx.cache()), "cache", "no longer racy: the identity is enough");
    }

    #[test]
    fn a_corrupt_or_truncated_cache_is_ignored_and_rebuilt() {
        let fx = Fixture::new();
        fx.run(&fx.cache());
        let whole = fs::read_to_string(fx.cache_path()).unwrap();
        for broken in [&whole[..whole.len() / 2], "", "\u{0}garbage", "[]", "{\"format\": 1}"] {
            fs::write(fx.cache_path(), broken).unwrap();
            assert_eq!(fx.cache().entries().len(), 0, "{broken:?}");
            assert_eq!(fx.run(&fx.cache()), "disk");
            assert_eq!(fx.run(&fx.cache()), "cache", "rebuilt");
        }
        // An entry that does not read back as a project file is only a miss.
        fx.edit_cache(|json| json["projects"]["coop"]["file"]["steps"] = "none".into());
        assert_eq!(fx.run(&fx.cache()), "disk");
        fx.edit_cache(|json| json["projects"]["coop"]["file"]["project"] = "other".into());
        assert_eq!(fx.run(&fx.cache()), "disk", "an entry for another project is not trusted");
    }

    #[test]
    fn a_cache_from_another_build_version_format_or_state_directory_is_ignored() {
        let fx = Fixture::new();
        fx.run(&fx.cache());
        for (part, value) in [
            ("format", serde_json::json!(FORMAT + 1)),
            ("onboard", "onboard 9.9.9".into()),
            ("build", "build 2".into()),
            ("state", "/elsewhere/.onboard".into()),
        ] {
            fx.edit_cache(|json| json[part] = value);
            assert_eq!(fx.cache().entries().len(), 0, "{part}");
            assert_eq!(fx.run(&fx.cache()), "disk", "{part}");
        }
    }

    #[test]
    fn removed_projects_drop_out_and_an_unchanged_cache_is_not_rewritten() {
        let fx = Fixture::new();
        fx.run(&fx.cache());
        let written = fs::metadata(fx.cache_path()).unwrap();
        fx.run(&fx.cache());
        let after = fs::metadata(fx.cache_path()).unwrap();
        assert_eq!(Identity::of(&written), Identity::of(&after), "nothing changed, nothing written");
        let cache = fx.cache();
        let entries = cache.entries();
        cache.save(&entries, &[]);
        assert_eq!(fx.cache().entries().len(), 0);
    }

    #[test]
    fn the_writer_writes_only_a_change_and_keeps_unchanged_entries_met_before_it() {
        let fx = Fixture::new();
        fx.run(&fx.cache());
        let cache = fx.cache();
        let entries = cache.entries();
        let coop = entries.read(&fx.store, "coop").unwrap().keep(&entries, &fx.hash).unwrap();
        let written = fs::metadata(fx.cache_path()).unwrap();
        // A project the cache never held and that is not to be cached (unreadable): no change.
        let mut writer = cache.writer(&entries);
        writer.push("coop", Some(&coop));
        writer.push("broken", None);
        writer.finish();
        assert_eq!(Identity::of(&written), Identity::of(&fs::metadata(fx.cache_path()).unwrap()));
        // A new entry after an unchanged one: both are in the file written.
        let mut writer = cache.writer(&entries);
        writer.push("coop", Some(&coop));
        let raw = serde_json::value::RawValue::from_string(entries.map["coop"].get().to_string()).unwrap();
        writer.push("coop-copy", Some(&Kept::New(raw)));
        writer.finish();
        let mut names: Vec<_> =
            fx.cache().entries().map.keys().map(std::string::ToString::to_string).collect();
        names.sort();
        assert_eq!(names, ["coop", "coop-copy"]);
        // The one the cache held, now not to be cached, drops out.
        let cache = fx.cache();
        let entries = cache.entries();
        let mut writer = cache.writer(&entries);
        writer.push("coop", None);
        writer.push("coop-copy", Some(&Kept::Same(entries.map["coop-copy"])));
        writer.finish();
        assert_eq!(fx.cache().entries().map.keys().collect::<Vec<_>>(), [&"coop-copy"]);
    }

    #[test]
    fn a_file_json_cannot_hold_exactly_is_not_cached() {
        let fx = Fixture::new();
        let text = fs::read_to_string(fx.path()).unwrap();
        let tagged = text
            .replace("by: ana\n  calendar: PY\n", "by: ana\n  calendar: PY\n  values:\n    x: !custom 1\n");
        assert_ne!(text, tagged);
        fs::write(fx.path(), tagged).unwrap();
        fx.age(3600);
        let cache = fx.cache();
        let entries = cache.entries();
        let read = entries.read(&fx.store, "coop").unwrap();
        assert!(read.keep(&entries, &fx.hash).is_none());
    }

    #[test]
    fn a_link_is_read_but_never_cached() {
        let fx = Fixture::new();
        let real = fx.store.root.join("projects/real.txt");
        fs::rename(fx.path(), &real).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&real, fx.path()).unwrap();
            assert_eq!(fx.run(&fx.cache()), "disk, uncached");
            assert_eq!(fx.cache().entries().len(), 0);
        }
    }
}
