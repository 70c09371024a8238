//! `--owner` and `--playbook`: which projects and which work a portfolio command shows,
//! and the error when a filter names what no project has (a typo must not read as "all
//! clear").

use std::collections::BTreeSet;
use std::sync::Mutex;

use anyhow::Result;

use super::{Context, FilterArgs};
use crate::hint::hinted;
use crate::playbook::Playbook;
use crate::playbook::catalog;
use crate::playbook::diagnostic::did_you_mean_hint;

/// The filters of one run, and what the projects it read offered to match them.
pub(super) struct Filter {
    owner: Option<String>,
    /// `next --me`: the roles of the acting person; work of any of them is shown. A role
    /// no project has is no error here: a person may play roles of other playbooks too.
    roles: Option<Vec<String>>,
    playbook: Option<String>,
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    /// The playbooks of every project read.
    playbooks: BTreeSet<String>,
    /// The role ids of the projects that passed `--playbook`.
    roles: BTreeSet<String>,
    /// Some project passing `--playbook` has the role of `--owner`.
    owner_found: bool,
}

impl Filter {
    pub(super) fn new(args: &FilterArgs) -> Filter {
        Filter {
            owner: args.owner.clone(),
            roles: None,
            playbook: args.playbook.clone(),
            seen: Mutex::default(),
        }
    }

    /// Also only work of one of `roles` (ids or names).
    pub(super) fn with_roles(mut self, roles: Vec<String>) -> Filter {
        self.roles = Some(roles);
        self
    }

    pub(super) fn is_active(&self) -> bool {
        self.owner.is_some() || self.playbook.is_some() || self.roles.is_some()
    }

    /// `--owner` was given: a project where the role has nothing left to do drops out.
    pub(super) fn by_owner(&self) -> bool {
        self.owner.is_some()
    }

    /// Whether a project following `playbook` is shown; notes what it offered the filters.
    /// Safe to call from the portfolio's threads.
    pub(super) fn admits(&self, playbook: &Playbook) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        seen.playbooks.insert(playbook.id.clone());
        if self.playbook.as_ref().is_some_and(|wanted| *wanted != playbook.id) {
            return false;
        }
        seen.roles.extend(playbook.roles.iter().map(|role| role.id.clone()));
        if let Some(wanted) = &self.owner {
            seen.owner_found |= playbook.roles.iter().any(|role| role_is(playbook, &role.id, wanted));
        }
        true
    }

    /// Whether work owned by `owners` (role ids of `playbook`) is shown.
    pub(super) fn owns(&self, playbook: &Playbook, owners: &[String]) -> bool {
        let plays = |wanted: &String| owners.iter().any(|id| role_is(playbook, id, wanted));
        self.owner.as_ref().is_none_or(plays)
            && self.roles.as_ref().is_none_or(|roles| roles.iter().any(plays))
    }

    /// After the run: a filter that matched nothing because it names no playbook, or no
    /// role of the projects read, is an error with the names it could have meant.
    pub(super) fn verify(&self, ctx: &Context) -> Result<()> {
        let seen = self.seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(wanted) = &self.playbook
            && !seen.playbooks.contains(wanted)
        {
            // Any state directory's own playbooks count, with several.
            let mut known: Vec<String> = Vec::new();
            for member in super::members::members(ctx) {
                known.extend(catalog::list(&member.ctx.store.root)?.into_iter().map(|l| l.id));
            }
            if ctx.is_several() {
                known.sort();
                known.dedup();
            }
            if !known.contains(wanted) {
                let hint = did_you_mean_hint(wanted, known.iter().map(String::as_str))
                    .unwrap_or_else(|| format!("the playbooks are {}", known.join(", ")));
                return Err(hinted(format!("`--playbook {wanted}`: there is no such playbook"), hint));
            }
        }
        if let Some(wanted) = &self.owner
            && !seen.owner_found
            && !seen.roles.is_empty()
        {
            let hint =
                did_you_mean_hint(wanted, seen.roles.iter().map(String::as_str)).unwrap_or_else(|| {
                    format!("the roles are {}", seen.roles.iter().cloned().collect::<Vec<_>>().join(", "))
                });
            return Err(hinted(format!("`--owner {wanted}`: no project's playbook has this role"), hint));
        }
        Ok(())
    }
}

/// A role given on the command line names role `id` by its id or its name, in any case:
/// people type `analyst` for `ANALYST` and `"Project leader"` for `PROJECT_LEADER`.
fn role_is(playbook: &Playbook, id: &str, wanted: &str) -> bool {
    id.eq_ignore_ascii_case(wanted)
        || playbook
            .role(id)
            .and_then(|role| role.name.as_deref())
            .is_some_and(|name| name.eq_ignore_ascii_case(wanted))
}
