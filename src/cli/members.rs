//! Portfolios over several state directories: teams that keep one repository each look
//! at them together (`--dir` repeated, or a workspace file). Each directory is a
//! `Member` with a label (its repository's folder name unless the workspace names it) and
//! a context of its own (its store, cache and locks); `Portfolio` runs a command's work
//! over every member's projects and names a project `label/name` only when another
//! member has a project of that name. With one directory, all of this is the plain
//! single-directory path: same reads, same names, same output.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;

use super::Context;
use super::context::STATE_DIR_NAME;
use super::target::{self, Unreadable};
use super::workspace::{self, Listed};
use crate::hint::hinted;
use crate::state::loaded::Project;

/// A state directory of a portfolio over several, with the label that names its
/// repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dir {
    pub label: String,
    /// Absolute, as the single directory is.
    pub root: PathBuf,
}

/// One state directory as a portfolio command reads it.
#[derive(Debug, Clone)]
pub(super) struct Member {
    pub label: String,
    /// The run's context with this directory's store: its own cache, locks and memo.
    pub ctx: Context,
}

/// A project as a portfolio names it: `label/name` when another member has a project
/// of that name, else its name; with its member's label when there are several.
#[derive(Debug, Clone)]
pub(super) struct Named {
    pub name: Arc<str>,
    pub repository: Option<Arc<str>>,
}

impl Named {
    /// `repository` as JSON carries it.
    pub(super) fn repository(&self) -> Option<String> {
        self.repository.as_deref().map(str::to_string)
    }
}

/// The directories several `--dir`, or a workspace file (`--workspace`, else
/// `ONBOARD_WORKSPACE`), name: each checked to be a state directory, given once, and
/// labelled. Empty when at most one `--dir` is given: that one (or none) is resolved as
/// always, unchecked, so a single directory behaves as it did.
pub(super) fn resolve(dirs: &[PathBuf], workspace: Option<&Path>) -> Result<Vec<Dir>> {
    let candidates = match (dirs, workspace::named(workspace)) {
        ([_, _, ..], _) => dirs.iter().map(|dir| Candidate::flag(dir)).collect::<Result<Vec<_>>>()?,
        ([], Some(file)) => {
            let read = workspace::load(&file)?;
            read.members.iter().map(|listed| Candidate::listed(&read.path, listed)).collect::<Result<_>>()?
        }
        _ => return Ok(Vec::new()),
    };
    let mut seen: Vec<(PathBuf, &Candidate)> = Vec::new();
    for candidate in &candidates {
        let real = candidate.check()?;
        if let Some((_, first)) = seen.iter().find(|(other, _)| *other == real) {
            return Err(hinted(
                format!("{} is the state directory of {} again", candidate.place, first.place),
                "list each state directory once",
            ));
        }
        seen.push((real, candidate));
    }
    let labels = labels(&seen)?;
    Ok(seen.iter().zip(labels).map(|((_, c), label)| Dir { label, root: c.root.clone() }).collect())
}

/// A directory given on the command line or listed in a workspace file, before it is
/// checked.
struct Candidate {
    /// Absolute.
    root: PathBuf,
    /// How messages name where it was given: `` `--dir X` `` or `` `FILE`:LINE: `X` ``.
    place: String,
    /// The workspace's `name`, with where it stands.
    name: Option<(String, String)>,
}

impl Candidate {
    fn flag(dir: &Path) -> Result<Candidate> {
        Ok(Candidate { root: absolute(dir)?, place: format!("`--dir {}`", dir.display()), name: None })
    }

    fn listed(file: &Path, listed: &Listed) -> Result<Candidate> {
        let root = absolute(&listed.dir)?;
        let place =
            format!("{}: `{}` (`{}`)", listed.place(file, false), listed.given.trim(), root.display());
        let name = listed.name.clone().map(|name| (name, listed.place(file, true)));
        Ok(Candidate { root, place, name })
    }

    /// The directory's real path, once it is found to be a state directory.
    fn check(&self) -> Result<PathBuf> {
        let hint =
            "give each repository's state directory: the `.onboard/` folder that `onboard init` creates";
        match std::fs::metadata(&self.root) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(hinted(format!("{} is not a folder", self.place), hint)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(hinted(format!("{}: there is no such folder", self.place), hint));
            }
            Err(error) => return Err(hinted(format!("{}: {error}", self.place), hint)),
        }
        if !self.root.join("projects").is_dir() {
            return Err(hinted(
                format!("{} is not a state directory: it has no `projects/` folder", self.place),
                hint,
            ));
        }
        std::fs::canonicalize(&self.root).map_err(|error| hinted(format!("{}: {error}", self.place), hint))
    }
}

fn absolute(dir: &Path) -> Result<PathBuf> {
    std::path::absolute(dir).map_err(|error| {
        hinted(
            format!("cannot resolve the state directory `{}`: {error}", dir.display()),
            "give another path",
        )
    })
}

/// Each directory's label: the workspace's `name`, else its repository's folder name
/// (the folder holding `.onboard/`, else the directory's own name), made unique with
/// `-2`, `-3` after the names the workspace gave.
fn labels(checked: &[(PathBuf, &Candidate)]) -> Result<Vec<String>> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for (_, candidate) in checked {
        let Some((name, place)) = &candidate.name else { continue };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(hinted(
                format!("{place}: the name `{}` is not a label", crate::render::one_line(name)),
                "a member's `name` is made of letters, digits, `.`, `_` and `-`, such as `team-a`",
            ));
        }
        if !taken.insert(name.clone()) {
            return Err(hinted(
                format!("{place}: the name `{name}` is given to two members"),
                "give each member a name of its own",
            ));
        }
    }
    let mut labels = Vec::with_capacity(checked.len());
    for (real, candidate) in checked {
        if let Some((name, _)) = &candidate.name {
            labels.push(name.clone());
            continue;
        }
        let base = folder_label(real);
        let label = (1..)
            .map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") })
            .find(|label| !taken.contains(label))
            .unwrap_or(base);
        taken.insert(label.clone());
        labels.push(label);
    }
    Ok(labels)
}

/// The repository's folder name: the parent of a `.onboard/`, else the directory itself.
fn folder_label(real: &Path) -> String {
    let own = real.file_name();
    let folder = match own {
        Some(name) if name == STATE_DIR_NAME => real.parent().and_then(Path::file_name),
        _ => own,
    };
    folder.map_or_else(|| "state".to_string(), |name| name.to_string_lossy().into_owned())
}

/// The state directories of this run, each in a context of its own: one (the run's own
/// context) unless several were given.
pub(super) fn members(ctx: &Context) -> Vec<Member> {
    if !ctx.is_several() {
        return vec![Member { label: folder_label(&ctx.store.root), ctx: ctx.clone() }];
    }
    ctx.dirs().iter().map(|dir| Member { label: dir.label.clone(), ctx: ctx.member(&dir.root) }).collect()
}

/// The refusal of a command that works on one state directory when several are given.
pub(super) fn one_directory_only(ctx: &Context) -> anyhow::Error {
    let listed: Vec<String> =
        ctx.dirs().iter().map(|dir| format!("`--dir {}` ({})", dir.root.display(), dir.label)).collect();
    hinted(
        format!("this command works on one state directory, and {} are given", ctx.dirs().len()),
        format!(
            "give one of {}; `check`, `status`, `next`, `log` and `forecast` without a project, `stats` and `site`, look at several",
            listed.join(", ")
        ),
    )
}

/// Every member's portfolio, listed: the names of its projects (and of its archived ones
/// when asked), and which names more than one member has.
pub(super) struct Portfolio {
    members: Vec<Member>,
    names: Vec<Vec<String>>,
    archived: Vec<Vec<String>>,
    colliding: BTreeSet<String>,
}

impl Portfolio {
    /// The portfolios of the run's state directories, and their archives `with_archived`
    /// (a name then collides when two members have it in either).
    pub(super) fn list(ctx: &Context, with_archived: bool) -> Result<Portfolio> {
        let members = members(ctx);
        let mut names = Vec::with_capacity(members.len());
        let mut archived = Vec::with_capacity(members.len());
        for member in &members {
            names.push(member.ctx.store.project_names()?);
            archived.push(if with_archived { member.ctx.store.archived_names()? } else { Vec::new() });
        }
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut colliding = BTreeSet::new();
        for (own, old) in names.iter().zip(&archived) {
            let of_member: BTreeSet<&str> = own.iter().chain(old).map(String::as_str).collect();
            for name in of_member {
                if !seen.insert(name) {
                    colliding.insert(name.to_string());
                }
            }
        }
        Ok(Portfolio { members, names, archived, colliding })
    }

    fn is_several(&self) -> bool {
        self.members.len() > 1
    }

    /// How many projects the portfolios hold (archived ones aside).
    pub(super) fn len(&self) -> usize {
        self.names.iter().map(Vec::len).sum()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Project `name` of `member`, as the portfolio names it.
    pub(super) fn named(&self, member: &Member, name: &str) -> Named {
        if !self.is_several() {
            return Named { name: Arc::from(name), repository: None };
        }
        let shown = match self.colliding.contains(name) {
            true => format!("{}/{name}", member.label),
            false => name.to_string(),
        };
        Named { name: Arc::from(shown), repository: Some(Arc::from(member.label.as_str())) }
    }

    /// An unreadable project of `member`, named as the portfolio names it.
    pub(super) fn unreadable(&self, member: &Member, bad: Unreadable) -> Unreadable {
        let named = self.named(member, &bad.name);
        Unreadable { name: named.name.to_string(), repository: named.repository(), ..bad }
    }

    /// `target::each_project` over every member's portfolio, member after member, and
    /// `target::each_listed_with_archived` when `archived` (list the portfolio
    /// `with_archived` then: the whole history): what `work` gave for each project, given the
    /// project's name in the portfolio, and apart the projects that cannot be read.
    pub(super) fn each_project<T: Send>(
        &self,
        archived: bool,
        work: impl Fn(&Named, &Project) -> T + Sync,
    ) -> (Vec<T>, Vec<Unreadable>) {
        let (mut all, mut unreadable) = (Vec::with_capacity(self.len()), Vec::new());
        for ((member, names), old) in self.members.iter().zip(&self.names).zip(&self.archived) {
            let old = if archived { old.as_slice() } else { &[] };
            let (done, bad) = target::each_listed_with_archived(&member.ctx, names, old, |loaded| {
                work(&self.named(member, &loaded.name), loaded)
            });
            all.extend(done);
            unreadable.extend(bad.into_iter().map(|bad| self.unreadable(member, bad)));
        }
        (all, unreadable)
    }

    /// Each member with the names of its archived projects (listed `with_archived`).
    pub(super) fn archived(&self) -> impl Iterator<Item = (&Member, &[String])> {
        self.members.iter().zip(self.archived.iter().map(Vec::as_slice))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repository_is_named_by_the_folder_that_holds_its_state_directory() {
        assert_eq!(folder_label(Path::new("/work/team-a/.onboard")), "team-a");
        assert_eq!(folder_label(Path::new("/srv/state/ops")), "ops");
        assert_eq!(folder_label(Path::new("/")), "state");
    }

    #[test]
    fn labels_are_made_unique_after_the_names_a_workspace_gives() {
        let candidate = |name: Option<&str>| Candidate {
            root: PathBuf::new(),
            place: String::new(),
            name: name.map(|n| (n.to_string(), "`ws.yaml`:3".to_string())),
        };
        let (a, b, c) = (candidate(None), candidate(Some("team-2")), candidate(None));
        let checked = [
            (PathBuf::from("/x/team/.onboard"), &a),
            (PathBuf::from("/y/other/.onboard"), &b),
            (PathBuf::from("/y/team/.onboard"), &c),
        ];
        assert_eq!(labels(&checked).unwrap(), ["team", "team-2", "team-3"]);
        let bad = candidate(Some("team a"));
        let error = labels(&[(PathBuf::from("/x"), &bad)]).unwrap_err();
        assert_eq!(crate::hint::message(&error), "`ws.yaml`:3: the name `team a` is not a label");
    }
}
