//! Portfolios over several state directories: teams that keep one repository each look
//! at them together (`--dir` repeated, or a workspace file). Each directory is a
//! `Member` with a label (its repository's folder name unless the workspace names it) and
//! a context of its own (its store, cache and locks); `Portfolio` runs a command's work
//! over every member's projects and names a project `label/name` only when another
//! member has a project of that name. With one directory, all of this is the plain
//! single-directory path: same reads, same names, same output.

use std::collections::BTreeSet;
use std::sync::Arc;

use anyhow::Result;

use super::Context;
use super::target::{self, Unreadable};
use super::workspace::folder_label;
use crate::hint::hinted;
use crate::state::loaded::Project;

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
