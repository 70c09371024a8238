//! A state directory as one version of it holds it: on disk (the `Store`), or at a git
//! revision (a `Snapshot`: the directory's files as blobs in memory, read through the
//! same parsers as the files on disk). `onboard diff` reads two of them and compares.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context, Result};

use crate::calendar::{Calendar, CalendarOverride, PlaybookHours};
use crate::clock::Clock;
use crate::hint::hinted;
use crate::playbook::{Origin, Playbook, catalog, parse};
use crate::state::loaded::{Known, Project};
use crate::state::project::ProjectFile;
use crate::state::project::Timestamp;
use crate::store::{Followed, Store, check_against, layout, parse_project, version_file};

/// The folders of a state directory that onboard reads or keeps; a project file found
/// in any other folder has been archived.
const KNOWN: [&str; 5] = ["projects", "versions", "playbooks", "calendars", "locks"];

/// Whether `folder`, directly in the state directory, is one onboard reads or keeps (a
/// project file anywhere else has been archived).
pub(crate) fn is_known_folder(folder: &str) -> bool {
    KNOWN.contains(&folder)
}

/// The folders whose `*.yaml` files a revision's projects are read with.
const READ: [&str; 4] = ["projects", "versions", "playbooks", "calendars"];

/// What a revision's state directory lacks, as `diff` finds it; what to do about it is the
/// command line's to say (`cli::hints`).
#[derive(Debug, thiserror::Error)]
pub(crate) enum SnapshotError {
    /// The revision holds no project of that name.
    #[error("no project `{name}` in `{revision}`")]
    NoProject { name: String, revision: String },
    /// A project's calendar, with the revision's override, cannot be built.
    #[error("in `{revision}`")]
    Calendar {
        revision: String,
        #[source]
        source: anyhow::Error,
    },
}

/// A version of a state directory, read only.
pub(crate) trait Source: Sync {
    /// The names of the projects in `projects/`, sorted.
    fn project_names(&self) -> Result<Vec<String>>;
    /// Those of `among` that name projects in `projects/`, sorted: what `project_names`
    /// would keep of them, without listing every project.
    fn project_names_among(&self, among: &BTreeSet<String>) -> Result<Vec<String>> {
        Ok(self.project_names()?.into_iter().filter(|name| among.contains(name)).collect())
    }
    /// How messages name a project's file.
    fn project_path(&self, name: &str) -> PathBuf;
    /// A project's file, parsed; refused with conflict markers or when it does not parse.
    fn read(&self, name: &str) -> Result<ProjectFile>;
    /// The playbook version a project follows: the current playbook if it is that
    /// version, else the saved copy in `versions/`; and whether the current one differs.
    fn followed(&self, file: &ProjectFile) -> Result<Followed>;
    /// Calendar `id` with the team's override and the playbook's hours.
    fn calendar(&self, id: &str, hours: Option<PlaybookHours>) -> Result<Calendar>;
    /// Project files outside `projects/` (archived), by project name: their paths,
    /// relative to the state directory.
    fn archived(&self) -> Result<BTreeMap<String, String>>;

    /// Reads project `name` with the playbook version it follows and its calendar, as
    /// `as_of` knows it (`None`: as it is).
    fn load(&self, name: &str, as_of: Option<&Clock>) -> Result<Known> {
        let file = self.read(name)?;
        self.checked(name, file, self.project_path(name), as_of, false)
    }

    /// Reads project `name` as it is now.
    fn load_as_is(&self, name: &str) -> Result<Project> {
        match self.load(name, None)? {
            Known::Loaded(project) => Ok(*project),
            // Without `--as-of`, every project has started.
            Known::NotStarted(at) => anyhow::bail!("project `{name}` starts at {at}"),
        }
    }

    /// A project file read from `path`, as `as_of` knows it, with the playbook version it
    /// follows (checked against it, its blocks in that version's order) and its calendar.
    /// The one place a project becomes a `Project`.
    fn checked(
        &self,
        name: &str,
        file: ProjectFile,
        path: PathBuf,
        as_of: Option<&Clock>,
        archived: bool,
    ) -> Result<Known> {
        let mut file = match as_of {
            None => file,
            Some(clock) => match file.known_at(Timestamp(clock.now_in(zone_of(file.calendar())))) {
                Some(known) => known,
                None => return Ok(Known::NotStarted(file.started_at())),
            },
        };
        let Followed { playbook, changed } = self.followed(&file)?;
        crate::state::change::order_blocks(&playbook, &mut file);
        if as_of.is_some() {
            file.prune_unknown(|id| playbook.step(id).is_some(), |name| playbook.variable(name).is_some());
        }
        check_against(&file, &playbook, &path)?;
        let calendar = self.calendar(file.calendar(), playbook.hours())?;
        let name = name.to_string();
        Ok(Known::Loaded(Box::new(Project { name, path, file, playbook, changed, calendar, archived })))
    }
}

/// The time zone of calendar `id` (UTC for one onboard does not know, which reading then
/// refuses).
fn zone_of(id: &str) -> chrono_tz::Tz {
    crate::calendar::find(id).map(|c| c.zone).unwrap_or(chrono_tz::UTC)
}

impl Source for Store {
    /// Every project directory, whatever its standing (a pull request's work in an
    /// archived or renamed project is work too), and the old single files of `projects/`.
    fn project_names(&self) -> Result<Vec<String>> {
        let mut names = self.dir_ids()?;
        for path in crate::safe_path::yaml_files(&self.projects_dir())? {
            if let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned())
                && !names.contains(&stem)
            {
                names.push(stem);
            }
        }
        names.sort();
        Ok(names)
    }

    /// As `project_names` lists them: a folder whose name is a project's (a link to one
    /// counts, hidden ones do not), or a `.yaml` entry of that stem.
    fn project_names_among(&self, among: &BTreeSet<String>) -> Result<Vec<String>> {
        let is_folder = |name: &str| {
            !name.starts_with('.')
                && crate::state::check_project_name(name).is_ok()
                && self.is_dir_project(name)
        };
        let is_file =
            |name: &str| std::fs::symlink_metadata(self.projects_dir().join(format!("{name}.yaml"))).is_ok();
        Ok(among.iter().filter(|name| is_folder(name) || is_file(name)).cloned().collect())
    }

    fn project_path(&self, name: &str) -> PathBuf {
        Store::project_path(self, name)
    }

    fn read(&self, name: &str) -> Result<ProjectFile> {
        match self.is_dir_project(name) {
            true => Ok(self.read_dir(name)?.file),
            false => Ok(self.read_file_at(&self.project_file(name), name)?),
        }
    }

    fn followed(&self, file: &ProjectFile) -> Result<Followed> {
        Store::followed(self, file)
    }

    fn calendar(&self, id: &str, hours: Option<PlaybookHours>) -> Result<Calendar> {
        Store::calendar(self, id, hours)
    }

    fn archived(&self) -> Result<BTreeMap<String, String>> {
        let mut found = BTreeMap::new();
        for path in files_under(&self.root, 0)? {
            if let Ok(relative) = path.strip_prefix(&self.root) {
                let relative = relative.to_string_lossy().replace('\\', "/");
                if let Some(name) = archived_name(&relative) {
                    found.entry(name).or_insert(relative);
                }
            }
        }
        Ok(found)
    }
}

/// The files under `dir`, outside the folders onboard keeps and hidden ones, not
/// following links: where an archive folder may hold project files.
fn files_under(dir: &Path, depth: usize) -> Result<Vec<PathBuf>> {
    // Archive folders are shallow; the bound keeps a mistaken `--dir /` from walking a disk.
    if depth > 4 {
        return Ok(Vec::new());
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(error).with_context(|| format!("cannot read the folder `{}`", dir.display()));
        }
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read the folder `{}`", dir.display()))?;
        let (path, name) = (entry.path(), entry.file_name().to_string_lossy().into_owned());
        let kind = entry.file_type().with_context(|| format!("cannot read `{}`", path.display()))?;
        if name.starts_with('.') || (depth == 0 && KNOWN.contains(&name.as_str())) {
            continue;
        }
        if kind.is_dir() {
            found.extend(files_under(&path, depth + 1)?);
        } else if kind.is_file() {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// The project name of a file that holds one outside `projects/`: `archive/opera.yaml`
/// → `opera`.
fn archived_name(relative: &str) -> Option<String> {
    let mut parts = relative.split('/');
    let top = parts.next()?;
    if KNOWN.contains(&top) || relative.split('/').any(|p| p.starts_with('.')) || !relative.contains('/') {
        return None;
    }
    let file = relative.rsplit('/').next()?;
    let name = file.strip_suffix(".yaml")?;
    crate::state::check_project_name(name).ok().map(|_| name.to_string())
}

/// One file of a state directory in a revision, as git lists it.
#[derive(Debug, Clone)]
pub(crate) struct TreeEntry {
    /// The path from the state directory, `/`-separated: `projects/opera.yaml`.
    pub path: String,
    /// A symbolic link: the object holds the link's target.
    pub link: bool,
    /// The object holding the contents.
    pub object: String,
}

/// A state directory at a git revision: the files onboard reads, held in memory.
pub(crate) struct Snapshot {
    /// How messages name a file of it: `HEAD:.onboard/` then the path.
    origin: String,
    /// The files read (projects, versions, local playbooks, calendar overrides): their
    /// contents, or why they cannot be read.
    files: BTreeMap<String, Result<Vec<u8>, String>>,
    /// Every other file's path, or how to list those where archived files may be, for a
    /// snapshot of some projects only.
    others: Others,
    memo: Mutex<Memo>,
}

/// The paths of a snapshot's files that are not read, where `archived` looks.
enum Others {
    Listed(Vec<String>),
    /// Listed only when asked, at most once: most changes add or remove no project.
    Deferred(OnceLock<Result<Vec<String>, String>>, ListOthers),
}

/// Lists a revision's files outside the folders onboard reads.
pub(crate) type ListOthers = Box<dyn Fn() -> Result<Vec<String>> + Send + Sync>;

/// What a snapshot has parsed already, as the store's memo does for a command.
#[derive(Default)]
struct Memo {
    playbooks: HashMap<String, Arc<Playbook>>,
    calendars: HashMap<(String, Option<PlaybookHours>), Calendar>,
}

impl Snapshot {
    /// Builds a snapshot from a revision's listing. `fetch` returns the contents of the
    /// objects it is given, by object id: it is called once, or twice when some files
    /// read are links (their targets are read first).
    pub(crate) fn build(
        origin: String,
        entries: Vec<TreeEntry>,
        mut fetch: impl FnMut(&[String]) -> Result<HashMap<String, Vec<u8>>>,
    ) -> Result<Snapshot> {
        let by_path: HashMap<&str, &TreeEntry> = entries.iter().map(|e| (e.path.as_str(), e)).collect();
        let (read, others): (Vec<&TreeEntry>, Vec<&TreeEntry>) =
            entries.iter().partition(|e| is_read(&e.path));
        let links: Vec<String> = read.iter().filter(|e| e.link).map(|e| e.object.clone()).collect();
        let targets = if links.is_empty() { HashMap::new() } else { fetch(&links)? };
        // Each file read: the object with its contents, or why there is none.
        let mut objects: BTreeMap<String, Result<String, String>> = BTreeMap::new();
        for entry in &read {
            let object = if entry.link {
                let target = targets.get(&entry.object).map(|t| String::from_utf8_lossy(t).into_owned());
                resolve_link(&entry.path, target.as_deref().unwrap_or_default(), &by_path)
                    .map_err(|why| format!("`{origin}{}` {why}", entry.path))
            } else {
                Ok(entry.object.clone())
            };
            objects.insert(entry.path.clone(), object);
        }
        let mut wanted: Vec<String> = objects.values().filter_map(|o| o.as_ref().ok().cloned()).collect();
        wanted.sort();
        wanted.dedup();
        let contents = if wanted.is_empty() { HashMap::new() } else { fetch(&wanted)? };
        let files = objects
            .into_iter()
            .map(|(path, object)| {
                let found = object.and_then(|o| {
                    contents
                        .get(&o)
                        .cloned()
                        .ok_or_else(|| format!("git has no object {o} for `{origin}{path}`"))
                });
                (path, found)
            })
            .collect();
        let others = Others::Listed(others.iter().map(|e| e.path.clone()).collect());
        Ok(Snapshot { origin, files, others, memo: Mutex::default() })
    }

    /// This snapshot, when `entries` were only some of the revision's files (some
    /// projects and what they are read with): `list` gives, when `archived` needs them,
    /// the paths of its files outside the folders onboard reads.
    pub(crate) fn with_others_listed_by(mut self, list: ListOthers) -> Snapshot {
        self.others = Others::Deferred(OnceLock::new(), list);
        self
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, Memo> {
        self.memo.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How messages name the file at `path`.
    fn shown(&self, path: &str) -> PathBuf {
        PathBuf::from(format!("{}{path}", self.origin))
    }

    /// The text of the file at `path`; `None` when the revision has no such file.
    fn text(&self, path: &str) -> Option<Result<String>> {
        let found = self.files.get(path)?;
        Some(match found {
            // The bound every file read on disk has: a revision holds what a branch wrote.
            Ok(bytes) if bytes.len() > crate::text::MAX_BYTES => Err(hinted(
                format!(
                    "`{}` has {} bytes, more than the {} onboard reads",
                    self.shown(path).display(),
                    bytes.len(),
                    crate::text::MAX_BYTES
                ),
                "onboard writes far smaller files: restore the file from an earlier revision",
            )),
            Ok(bytes) => String::from_utf8(bytes.clone()).map_err(|_| {
                hinted(
                    format!("`{}` is not UTF-8 text", self.shown(path).display()),
                    "onboard writes its files in UTF-8: restore the file from an earlier revision",
                )
            }),
            Err(why) => Err(hinted(why.clone(), crate::safe_path::LINK_HINT)),
        })
    }

    /// The current playbook `id` at this revision: its local file, else the bundled one.
    fn current_playbook(&self, id: &str) -> Result<Option<Arc<Playbook>>> {
        let key = format!("current:{id}");
        if let Some(found) = self.memo().playbooks.get(&key) {
            return Ok(Some(found.clone()));
        }
        let local = format!("playbooks/{id}.yaml");
        let found = match self.text(&local) {
            Some(text) => catalog::parse_checked(&text?, &self.shown(&local), Some(id))?,
            None => match catalog::bundled(id) {
                Some(bundled) => bundled?,
                None => return Ok(None),
            },
        };
        let found = Arc::new(found);
        self.memo().playbooks.insert(key, found.clone());
        Ok(Some(found))
    }

    /// A saved version, checked against the hash the project records.
    fn saved_version(&self, path: &str, file: &ProjectFile) -> Result<Arc<Playbook>> {
        if let Some(found) = self.memo().playbooks.get(path) {
            return Ok(found.clone());
        }
        let shown = self.shown(path);
        let text = match self.text(path) {
            Some(text) => text?,
            None => {
                return Err(hinted(
                    format!(
                        "the version of playbook `{}` that project `{}` follows is missing: no `{}`",
                        file.playbook,
                        file.project,
                        shown.display()
                    ),
                    "a revision that adds a project must add its playbook version too (`git add` the state directory's `versions/`)",
                ));
            }
        };
        let playbook = Arc::new(parse(&text, &shown.display().to_string(), Origin::File(shown.clone()))?);
        if playbook.hash != file.playbook_hash {
            return Err(hinted(
                format!(
                    "`{}` is not the playbook version that project `{}` follows: its content hash is `{}`, the project's `{}`",
                    shown.display(),
                    file.project,
                    playbook.hash,
                    file.playbook_hash
                ),
                "a saved version must not be edited: restore it from an earlier revision",
            ));
        }
        self.memo().playbooks.insert(path.to_string(), playbook.clone());
        Ok(playbook)
    }
}

impl Source for Snapshot {
    fn project_names(&self) -> Result<Vec<String>> {
        let mut names = std::collections::BTreeSet::new();
        for path in self.files.keys() {
            let Some(rest) = path.strip_prefix("projects/") else { continue };
            match rest.split_once('/') {
                Some((id, _)) => names.insert(id.to_string()),
                None => names.insert(rest.strip_suffix(".yaml").unwrap_or(rest).to_string()),
            };
        }
        Ok(names.into_iter().collect())
    }

    fn project_path(&self, name: &str) -> PathBuf {
        match self.files.contains_key(&format!("projects/{name}/{}", layout::HEAD_FILE)) {
            true => self.shown(&format!("projects/{name}/")),
            false => self.shown(&format!("projects/{name}.yaml")),
        }
    }

    fn read(&self, name: &str) -> Result<ProjectFile> {
        let head = format!("projects/{name}/{}", layout::HEAD_FILE);
        if let Some(text) = self.text(&head) {
            let text = text?;
            let prefix = format!("projects/{name}/");
            let mut events = Vec::new();
            for path in
                self.files.range(prefix.clone()..).map(|(p, _)| p).take_while(|p| p.starts_with(&prefix))
            {
                let file = &path[prefix.len()..];
                if layout::is_event_name(file) {
                    events.push((file.to_string(), self.text(path).unwrap_or_else(|| Ok(String::new()))?));
                }
            }
            let events = events.iter().map(|(n, t)| (n.clone(), t.as_str()));
            let (_, file, _) = layout::from_texts(name, &text, events, &self.shown(&prefix))?;
            return Ok(file);
        }
        let path = format!("projects/{name}.yaml");
        match self.text(&path) {
            Some(text) => Ok(parse_project(&text?, &self.shown(&path), name)?),
            None => {
                Err(SnapshotError::NoProject { name: name.to_string(), revision: self.origin.clone() }.into())
            }
        }
    }

    fn followed(&self, file: &ProjectFile) -> Result<Followed> {
        // As the store does: a current playbook that does not parse does not stop a
        // project that has its own saved version.
        let version = version_file(&file.playbook, &file.playbook_hash);
        let current = match self.current_playbook(&file.playbook) {
            Ok(current) => current,
            Err(_) if self.files.contains_key(&version) => None,
            Err(error) => return Err(error),
        };
        Followed::choose(current, file, || self.saved_version(&version, file))
    }

    fn calendar(&self, id: &str, hours: Option<PlaybookHours>) -> Result<Calendar> {
        let key = (id.to_string(), hours);
        if let Some(found) = self.memo().calendars.get(&key) {
            return Ok(found.clone());
        }
        let path = format!("calendars/{id}.yaml");
        let team = match self.text(&path) {
            Some(text) => Some(CalendarOverride::parse(&text?, &self.shown(&path))?),
            None => None,
        };
        let calendar = Calendar::with_override(id, team, hours)
            .map_err(|source| SnapshotError::Calendar { revision: self.origin.clone(), source })?;
        self.memo().calendars.insert(key, calendar.clone());
        Ok(calendar)
    }

    fn archived(&self) -> Result<BTreeMap<String, String>> {
        let others = match &self.others {
            Others::Listed(paths) => paths,
            Others::Deferred(listed, list) => listed
                .get_or_init(|| list().map_err(|error| format!("{error:#}")))
                .as_ref()
                .map_err(|error| anyhow::anyhow!("{error}"))?,
        };
        let mut found = BTreeMap::new();
        for path in others {
            if let Some(name) = archived_name(path) {
                found.entry(name).or_insert_with(|| path.clone());
            }
        }
        Ok(found)
    }
}

/// Whether onboard reads the file at `path` (from the state directory) to evaluate a
/// project: a `*.yaml` file directly in one of the folders of `READ`.
fn is_read(path: &str) -> bool {
    let direct = match path.split_once('/') {
        Some((folder, file)) => READ.contains(&folder) && !file.contains('/') && file.ends_with(".yaml"),
        None => false,
    };
    // A project directory's files: `projects/<id>/<file>.yaml`.
    direct
        || path
            .strip_prefix("projects/")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(id, file)| !id.starts_with('.') && !file.contains('/') && layout_name(file))
}

/// Whether a file name in a project directory is one onboard reads.
fn layout_name(file: &str) -> bool {
    file == layout::HEAD_FILE || layout::is_event_name(file)
}

/// The object a link at `path` leads to, when its target is a file of the same state
/// directory; else why it cannot be read.
fn resolve_link(path: &str, target: &str, by_path: &HashMap<&str, &TreeEntry>) -> Result<String, String> {
    let out = || "is a link that leads out of the state directory".to_string();
    let parent = Path::new(path).parent().unwrap_or(Path::new(""));
    let mut resolved: Vec<String> = Vec::new();
    for part in parent.join(target).components() {
        match part {
            Component::Normal(name) => resolved.push(name.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop().ok_or_else(out)?;
            }
            Component::RootDir | Component::Prefix(_) => return Err(out()),
        }
    }
    match by_path.get(resolved.join("/").as_str()) {
        Some(entry) if !entry.link => Ok(entry.object.clone()),
        Some(_) => Err("is a link to another link".to_string()),
        None => Err(out()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, link: bool, object: &str) -> TreeEntry {
        TreeEntry { path: path.into(), link, object: object.into() }
    }

    #[test]
    fn only_the_files_a_project_is_read_with_are_fetched_and_links_resolve_inside() {
        let entries = vec![
            entry("projects/opera.yaml", false, "a1"),
            entry("projects/notes.txt", false, "a2"),
            entry("projects/vidy.yaml", true, "l1"),
            entry("projects/out.yaml", true, "l2"),
            entry("shared/vidy.yaml", false, "a3"),
            entry("archive/2026/old.yaml", false, "a4"),
            entry("locks/opera.lock", false, "a5"),
        ];
        let mut asked = Vec::new();
        let snapshot = Snapshot::build("HEAD:.onboard/".into(), entries, |objects| {
            asked.push(objects.to_vec());
            Ok(objects
                .iter()
                .map(|o| {
                    let contents = match o.as_str() {
                        "l1" => "../shared/vidy.yaml",
                        "l2" => "../../elsewhere.yaml",
                        other => other,
                    };
                    (o.clone(), contents.as_bytes().to_vec())
                })
                .collect())
        })
        .unwrap();
        assert_eq!(
            asked,
            [vec!["l1".to_string(), "l2".to_string()], vec!["a1".to_string(), "a3".to_string()]]
        );
        assert_eq!(snapshot.project_names().unwrap(), ["opera", "out", "vidy"]);
        assert_eq!(snapshot.text("projects/vidy.yaml").unwrap().unwrap(), "a3");
        let error = snapshot.text("projects/out.yaml").unwrap().unwrap_err();
        assert_eq!(
            error.to_string(),
            "`HEAD:.onboard/projects/out.yaml` is a link that leads out of the state directory"
        );
        let archived = snapshot.archived().unwrap();
        assert_eq!(
            archived.into_iter().collect::<Vec<_>>(),
            [
                ("old".to_string(), "archive/2026/old.yaml".to_string()),
                ("vidy".to_string(), "shared/vidy.yaml".to_string())
            ]
        );
    }

    #[test]
    fn archived_files_are_yaml_files_in_other_folders_named_like_projects() {
        assert_eq!(archived_name("archive/opera.yaml"), Some("opera".into()));
        assert_eq!(archived_name("projects/opera.yaml"), None);
        assert_eq!(archived_name("opera.yaml"), None);
        assert_eq!(archived_name("archive/.opera.yaml.Xy3k9Q"), None);
        assert_eq!(archived_name("archive/Opera.yaml"), None);
        assert_eq!(archived_name("archive/opera.yml"), None);
    }
}
