//! One `git cat-file --batch-command` for everything `onboard diff` reads of its
//! revisions: the commits the revisions name, the trees walked down to the files a
//! comparison reads, and those files' contents. One process asked in rounds, where a
//! `rev-parse`, an `ls-tree` and a `cat-file` per revision each cost a git start-up
//! (docs/performance.md); a git older than 2.36 is asked through `--batch` instead.
//!
//! Trees are walked by object id, never by `REV:path`: a line of the batch is an object
//! name, and a path may hold a line feed.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use anyhow::{Context as _, Result, bail};

use crate::store::snapshot::TreeEntry;

/// A running `git cat-file --batch-command --buffer`, answering in the order it is asked.
pub(in crate::cli) struct Objects {
    child: Child,
    /// Closed when the batch ends, which ends git.
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    /// Where git runs, to start it again in the older way.
    dir: PathBuf,
    mode: Mode,
    /// Whether git has answered yet: a git that fails its first question may only be
    /// older than `--batch-command`.
    answered: bool,
}

/// How the batch is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `--batch-command --buffer` (git 2.36 and later): the answers to a round come in
    /// large writes when it ends with `flush`, where plain `--batch` writes each object
    /// apart, three writes and a wake-up of onboard per file.
    Buffered,
    /// `--batch`, for an older git: a line per object, each answered at once.
    Plain,
}

/// One object, as the batch gives it.
#[derive(Debug, PartialEq, Eq)]
struct Object {
    /// Its id, in hex.
    id: String,
    /// `commit`, `tree`, `blob` or `tag`.
    kind: String,
    contents: Vec<u8>,
}

/// A commit that a revision names.
#[derive(Debug, Clone)]
pub(in crate::cli) struct Commit {
    /// Its id, in hex.
    pub id: String,
    /// The id of its root tree.
    tree: String,
}

/// The kinds of entry a tree's mode says (its `S_IFMT` bits, in octal), as git reads
/// them: a folder, a symbolic link, a submodule.
const KIND: u32 = 0o170_000;
const FOLDER: u32 = 0o040_000;
const LINK: u32 = 0o120_000;
const SUBMODULE: u32 = 0o160_000;

impl Objects {
    /// Starts the batch in `dir`, a folder of the repository.
    pub(in crate::cli) fn start(dir: &Path) -> Result<Objects> {
        Objects::started(dir, Mode::Buffered)
    }

    fn started(dir: &Path, mode: Mode) -> Result<Objects> {
        let how: &[&str] = match mode {
            Mode::Buffered => &["--batch-command", "--buffer"],
            Mode::Plain => &["--batch"],
        };
        let mut child = Command::new("git")
            .arg("cat-file")
            .args(how)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(super::spawn_error)?;
        let stdin = child.stdin.take().context("cannot write to git cat-file")?;
        let stdout = child.stdout.take().context("cannot read from git cat-file")?;
        let stdout = BufReader::with_capacity(1 << 16, stdout);
        Ok(Objects { child, stdin: Some(stdin), stdout, dir: dir.to_path_buf(), mode, answered: false })
    }

    /// The objects `names` name (ids, or expressions such as `HEAD~1^{commit}`), in order;
    /// `None` for a name git does not resolve.
    fn ask(&mut self, names: &[String]) -> Result<Vec<Option<Object>>> {
        match self.asked(names) {
            // A git older than 2.36 refuses `--batch-command` and ends at once.
            Err(_) if self.mode == Mode::Buffered && !self.answered => {
                *self = Objects::started(&self.dir, Mode::Plain)?;
                self.asked(names)
            }
            answers => answers,
        }
    }

    fn asked(&mut self, names: &[String]) -> Result<Vec<Option<Object>>> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let input: Vec<u8> = match self.mode {
            Mode::Buffered => {
                let asked = names
                    .iter()
                    .flat_map(|name| b"contents ".iter().copied().chain(name.bytes()).chain([b'\n']));
                asked.chain(*b"flush\n").collect()
            }
            Mode::Plain => names.iter().flat_map(|name| name.bytes().chain([b'\n'])).collect(),
        };
        let Objects { child, stdin, stdout, answered, .. } = self;
        let stdin = stdin.as_mut().context("git cat-file has ended")?;
        std::thread::scope(|scope| {
            // Written from another thread: git answers as it reads, and a full pipe either
            // way would block both.
            let writer = scope.spawn(move || stdin.write_all(&input));
            let answers: Result<Vec<Option<Object>>> = names.iter().map(|_| answer(stdout)).collect();
            if answers.is_err() {
                // A writer blocked on a git that no longer reads would never return.
                let _ = child.kill();
            }
            let written = writer.join().map_err(|_| anyhow::anyhow!("cannot write to git cat-file"))?;
            let answers = answers?;
            written.context("cannot write to git cat-file")?;
            *answered = true;
            Ok(answers)
        })
    }

    /// The commit `revision` names, `None` when it names none. A name on more than one line
    /// names nothing: the batch reads a line per name.
    pub(in crate::cli) fn commit(&mut self, revision: &str) -> Result<Option<Commit>> {
        if revision.contains(['\n', '\r']) {
            return Ok(None);
        }
        let [answer] = <[_; 1]>::try_from(self.ask(&[format!("{revision}^{{commit}}")])?)
            .map_err(|_| anyhow::anyhow!("git cat-file: one answer expected"))?;
        let Some(commit) = answer.filter(|object| object.kind == "commit") else { return Ok(None) };
        let tree = commit
            .contents
            .strip_prefix(b"tree ")
            .and_then(|rest| rest.split(|b| *b == b'\n').next())
            .map(|id| String::from_utf8_lossy(id).into_owned())
            .with_context(|| format!("git cat-file: commit {} has no tree", commit.id))?;
        Ok(Some(Commit { id: commit.id, tree }))
    }

    /// The contents of the blobs `ids`, by id; an id git lacks is left out.
    pub(in crate::cli) fn blobs(&mut self, ids: &[String]) -> Result<HashMap<String, Vec<u8>>> {
        let answers = self.ask(ids)?;
        Ok(ids.iter().zip(answers).filter_map(|(id, answer)| Some((id.clone(), answer?.contents))).collect())
    }

    /// The files under `prefix` (a folder's path from the root, ending in `/`, or empty) in
    /// `commit` that `wanted` covers, their paths taken from `prefix`, as `git ls-tree -r`
    /// lists them (sorted as git sorts paths; submodules left out). Only the folders that
    /// lead to a wanted path are walked.
    pub(in crate::cli) fn files(
        &mut self,
        commit: &Commit,
        prefix: &str,
        wanted: &Wanted,
    ) -> Result<Vec<TreeEntry>> {
        let Some(dir) = self.folder(commit, prefix)? else { return Ok(Vec::new()) };
        let mut entries = Vec::new();
        // A round per level: every folder of a level asked at once.
        let mut level = vec![(dir, String::new())];
        while !level.is_empty() {
            let ids: Vec<String> = level.iter().map(|(id, _)| id.clone()).collect();
            let trees = self.ask(&ids)?;
            let mut next = Vec::new();
            for ((_, base), tree) in level.iter().zip(trees) {
                for Entry { mode, name, id } in
                    tree_entries(&tree.context("git cat-file: a tree is missing")?)?
                {
                    let path = format!("{base}{name}");
                    if mode & KIND == FOLDER {
                        if wanted.covers(&path) || wanted.leads_to(&path) {
                            next.push((hex(id), format!("{path}/")));
                        }
                    } else if mode & KIND != SUBMODULE && wanted.covers(&path) {
                        entries.push(TreeEntry { path, link: mode & KIND == LINK, object: hex(id) });
                    }
                }
            }
            level = next;
        }
        // Git lists a tree depth first, which is the byte order of the paths.
        entries.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
        Ok(entries)
    }

    /// The names of the folders directly in the folder `prefix` of `commit`, in git's order.
    pub(in crate::cli) fn folders(&mut self, commit: &Commit, prefix: &str) -> Result<Vec<String>> {
        let Some(dir) = self.folder(commit, prefix)? else { return Ok(Vec::new()) };
        let tree = self.tree(&dir)?;
        let entries = tree_entries(&tree)?.into_iter();
        Ok(entries.filter(|entry| entry.mode & KIND == FOLDER).map(|entry| entry.name.into_owned()).collect())
    }

    /// The tree of the folder `prefix` in `commit`; `None` when the revision has no such
    /// folder.
    fn folder(&mut self, commit: &Commit, prefix: &str) -> Result<Option<String>> {
        let mut at = commit.tree.clone();
        for name in prefix.split('/').filter(|n| !n.is_empty()) {
            let tree = self.tree(&at)?;
            let found = tree_entries(&tree)?
                .into_iter()
                .find(|entry| entry.mode & KIND == FOLDER && entry.name == name);
            match found {
                Some(entry) => at = hex(entry.id),
                None => return Ok(None),
            }
        }
        Ok(Some(at))
    }

    /// The tree object `id`.
    fn tree(&mut self, id: &str) -> Result<Object> {
        let answer = self.ask(&[id.to_string()])?.pop().flatten();
        answer.with_context(|| format!("git cat-file: no tree {id}"))
    }
}

impl Drop for Objects {
    fn drop(&mut self) {
        // End of input ends git; it is waited for, not left a zombie.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// The paths a listing keeps, as `git ls-tree` pathspecs would: every path, or those at
/// or under some paths (`/`-separated, no trailing `/`). Sorted, so that a check costs
/// the depth of a path, not the number of paths.
pub(in crate::cli) struct Wanted(Option<BTreeSet<String>>);

impl Wanted {
    pub(in crate::cli) fn all() -> Wanted {
        Wanted(None)
    }

    pub(in crate::cli) fn paths(paths: impl IntoIterator<Item = String>) -> Wanted {
        Wanted(Some(paths.into_iter().collect()))
    }

    /// Whether the file or folder at `path` is a wanted path or under one.
    pub(in crate::cli) fn covers(&self, path: &str) -> bool {
        let Some(paths) = &self.0 else { return true };
        paths.contains(path) || path.match_indices('/').any(|(end, _)| paths.contains(&path[..end]))
    }

    /// Whether the folder at `path` holds a wanted path.
    fn leads_to(&self, path: &str) -> bool {
        let Some(paths) = &self.0 else { return false };
        let folder = format!("{path}/");
        paths.range(folder.clone()..).next().is_some_and(|p| p.starts_with(&folder))
    }
}

/// Reads one answer of the batch: `<id> <kind> <size>`, a line feed, the contents, a line
/// feed; or `<name> missing` (or `ambiguous`) and a line feed.
fn answer(out: &mut impl BufRead) -> Result<Option<Object>> {
    let mut header = Vec::new();
    out.read_until(b'\n', &mut header).context("cannot read from git cat-file")?;
    if header.pop() != Some(b'\n') {
        bail!("git cat-file ended before answering");
    }
    let header = String::from_utf8_lossy(&header).into_owned();
    if header.ends_with(" missing") || header.ends_with(" ambiguous") {
        return Ok(None);
    }
    let mut fields = header.rsplitn(3, ' ');
    let (Some(size), Some(kind), Some(id)) = (fields.next(), fields.next(), fields.next()) else {
        bail!("git cat-file: bad header `{header}`");
    };
    let size: usize = size.parse().with_context(|| format!("git cat-file: bad header `{header}`"))?;
    let mut contents = vec![0; size];
    out.read_exact(&mut contents).context("git cat-file: contents cut short")?;
    let mut end = [0];
    out.read_exact(&mut end).context("git cat-file: contents cut short")?;
    Ok(Some(Object { id: id.to_string(), kind: kind.to_string(), contents }))
}

/// One entry of a tree object, borrowed from it: a tree of 5,000 projects is read whole,
/// and only the entries kept become strings.
#[derive(Debug, PartialEq, Eq)]
struct Entry<'t> {
    /// The mode, as a number.
    mode: u32,
    name: Cow<'t, str>,
    /// The object's id, in binary.
    id: &'t [u8],
}

/// An id in lowercase hex, as git writes it.
fn hex(id: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    id.iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

/// The entries of a tree object: each is `<mode> <name>`, a NUL, and the id in binary,
/// as long as the tree's own.
fn tree_entries(tree: &Object) -> Result<Vec<Entry<'_>>> {
    if tree.kind != "tree" {
        bail!("git cat-file: {} is a {}, not a tree", tree.id, tree.kind);
    }
    let width = tree.id.len() / 2;
    let mut rest = tree.contents.as_slice();
    let mut entries = Vec::new();
    while !rest.is_empty() {
        let bad = || anyhow::anyhow!("git cat-file: tree {} cut short", tree.id);
        let space = rest.iter().position(|b| *b == b' ').ok_or_else(bad)?;
        let nul = rest.iter().position(|b| *b == 0).ok_or_else(bad)?;
        let id = rest.get(nul + 1..nul + 1 + width).ok_or_else(bad)?;
        let mode = std::str::from_utf8(rest.get(..space).ok_or_else(bad)?).map_err(|_| bad())?;
        let mode = u32::from_str_radix(mode, 8).map_err(|_| bad())?;
        let name = String::from_utf8_lossy(rest.get(space + 1..nul).ok_or_else(bad)?);
        entries.push(Entry { mode, name, id });
        rest = &rest[nul + 1 + width..];
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_split_into_objects_whatever_their_bytes() {
        let mut out: &[u8] = b"aa blob 3\nx\ny\nbb blob 0\n\nHEAD~9^{commit} missing\nmy branch ambiguous\n";
        let first = answer(&mut out).unwrap().unwrap();
        assert_eq!(
            (first.id.as_str(), first.kind.as_str(), first.contents.as_slice()),
            ("aa", "blob", &b"x\ny"[..])
        );
        assert_eq!(answer(&mut out).unwrap().unwrap().contents, b"");
        assert_eq!(answer(&mut out).unwrap(), None);
        assert_eq!(answer(&mut out).unwrap(), None);
        assert!(answer(&mut out).is_err(), "git ended before answering");
    }

    #[test]
    fn a_tree_lists_each_mode_name_and_id_whatever_the_name_holds() {
        let mut contents = b"40000 projects\0".to_vec();
        contents.extend([0xab; 20]);
        contents.extend(b"120000 a b\n\"c\".yaml\0");
        contents.extend([0x01; 20]);
        let tree = Object { id: "f".repeat(40), kind: "tree".into(), contents };
        let entries = tree_entries(&tree).unwrap();
        let read: Vec<(u32, &str, String)> =
            entries.iter().map(|e| (e.mode, e.name.as_ref(), hex(e.id))).collect();
        assert_eq!(read, [(FOLDER, "projects", "ab".repeat(20)), (LINK, "a b\n\"c\".yaml", "01".repeat(20))]);
        let cut = Object { contents: b"100644 x\0\x01".to_vec(), ..tree };
        assert!(tree_entries(&cut).is_err());
    }

    #[test]
    fn a_wanted_path_covers_what_is_under_it_and_its_folders_lead_to_it() {
        let wanted = Wanted::paths(["projects/opera".to_string(), "projects/opera.yaml".to_string()]);
        assert!(wanted.covers("projects/opera"));
        assert!(wanted.covers("projects/opera/project.yaml"));
        assert!(wanted.covers("projects/opera.yaml"));
        assert!(!wanted.covers("projects/opera-2/project.yaml"));
        assert!(!wanted.covers("projects"));
        assert!(wanted.leads_to("projects"));
        assert!(!wanted.leads_to("projects/opera"), "it is the path, not a folder above it");
        assert!(!wanted.leads_to("project"));
        assert!(Wanted::all().covers("anything/at/all"));
    }
}
