//! What to do about the domain's typed errors: the hints that name `onboard` commands and
//! flags, kept in the command line so the domain knows none. The domain's errors carry
//! the facts; `advised` adds the advice once, as an error leaves a command (`cli::run`,
//! and each unreadable project a portfolio command reports and goes on past).

use std::error::Error;

use crate::hint::Hinted;
use crate::playbook::model::UnknownStep;
use crate::state::change::ChangeError;
use crate::state::upgrade::UpgradeError;
use crate::store::snapshot::SnapshotError;
use crate::store::{Looked, StoreError};

/// What to do about a project file that onboard's commands would not have written so.
const FIX: &str = "fix the file by hand or restore it from git; onboard commands write it for you";

/// Every hint of `error`, the advice `advised` would add first, `; `-separated, as a
/// finding or `--json` carries them; `None` when there is none.
pub(super) fn hint(error: &anyhow::Error) -> Option<String> {
    let advice = if is_advised(error) { None } else { error.chain().find_map(|e| advice(e, None)) };
    let hints: Vec<String> = advice.into_iter().chain(crate::hint::hint(error)).collect();
    (!hints.is_empty()).then(|| hints.join("; "))
}

/// `error` with the command line's advice on the first typed error in its chain that has
/// some; for an error of a change to `project`, the commands its advice suggests name the
/// project, so that they can be pasted as they are. An error already advised, or with no
/// typed error, is returned as it is.
pub(super) fn advised(error: anyhow::Error, project: Option<&str>) -> anyhow::Error {
    if is_advised(&error) {
        return error;
    }
    match error.chain().find_map(|e| advice(e, project)) {
        Some(hint) => Hinted::new(error).hint(hint).advised().into(),
        None => error,
    }
}

fn is_advised(error: &anyhow::Error) -> bool {
    error.chain().any(|e| e.downcast_ref::<Hinted>().is_some_and(Hinted::is_advised))
}

/// The advice on one error of a chain, when it is one of the domain's typed errors that
/// has advice; a refused change's names `project` when there is one.
fn advice(error: &(dyn Error + 'static), project: Option<&str>) -> Option<String> {
    if let Some(error) = error.downcast_ref::<StoreError>() {
        return store(error);
    }
    if let Some(error) = error.downcast_ref::<ChangeError>() {
        return super::refusal::advice(error, project);
    }
    if let Some(error) = error.downcast_ref::<UpgradeError>() {
        return Some(match error {
            UpgradeError::Moved { .. } => "someone changed it meanwhile: run the command again".into(),
            UpgradeError::WouldDrop { .. } => {
                "to upgrade anyway, pass `--force --reason TEXT`: what is dropped is kept in the upgrade's record, and `onboard log` shows it; `--dry-run` shows the whole change".into()
            }
        });
    }
    if let Some(error) = error.downcast_ref::<SnapshotError>() {
        return Some(match error {
            SnapshotError::NoProject { .. } => {
                "`onboard diff` compares the projects each revision holds".into()
            }
            SnapshotError::Calendar { .. } => "the calendars are listed by `onboard calendars`".into(),
        });
    }
    if error.is::<super::git::GitMissing>() {
        return Some(
            "install git (on Debian: `apt-get install git`), or add the folder that holds it to PATH".into(),
        );
    }
    if error.is::<crate::store::lock::LockTimeout>() {
        return Some(format!(
            "nothing was changed: run the command again once the other one ends; `{}` sets how many seconds to wait",
            super::context::LOCK_TIMEOUT_VARIABLE
        ));
    }
    let unknown = error.downcast_ref::<UnknownStep>()?;
    Some(unknown.did_you_mean.clone().unwrap_or_else(|| {
        format!("`onboard show {}` lists the steps with their ids and numbers", unknown.playbook)
    }))
}

/// What to do about a file of project `name` at `path` that holds both sides of a merge.
/// A file of a project directory (`projects/<id>/<file>`) is git's own merge's: two
/// branches edited one event, which `resolve` merges field by field, or started the same
/// name (its `project.yaml`). An old single file `resolve` merges event by event.
pub(super) fn conflicted(path: &std::path::Path, name: &str) -> String {
    match path.ends_with("project.yaml") {
        _ if !in_project_dir(path) => format!(
            "run `onboard resolve {name}`: it merges both sides' events as the merge driver does (`onboard init` installs the driver for next time)"
        ),
        true => keep_one_side(name),
        false => format!(
            "run `onboard resolve {name}`: it merges two edits of one event field by field; or keep one side (`git checkout --ours` or `--theirs` on the file, then `git add` it)"
        ),
    }
}

/// Whether `path` is a file of a project directory (`projects/<id>/<file>`), which git's
/// own merge writes and `resolve` does not.
fn in_project_dir(path: &std::path::Path) -> bool {
    path.parent().and_then(std::path::Path::parent).is_some_and(|p| p.ends_with("projects"))
}

/// What to do about a conflicted file of a project directory: two branches changed the
/// same event file, or started the same name.
pub(super) fn keep_one_side(name: &str) -> String {
    format!(
        "two branches changed the same file of project `{name}`: keep one side (`git checkout --ours` or `--theirs` on it, then `git add` it) or edit the file by hand, keeping the lines you mean"
    )
}

fn store(error: &StoreError) -> Option<String> {
    Some(match error {
        StoreError::NoProject { name, dir, looked } => match close_project(name, dir, *looked) {
            Some(close) => format!("did you mean `{close}`?"),
            None if *looked == Looked::Projects => {
                "`onboard status` lists the projects; `onboard start PLAYBOOK NAME` creates one".into()
            }
            None => "`onboard status --all` lists the projects, archived ones included".into(),
        },
        StoreError::Archived { name } => format!(
            "run `onboard unarchive {name}` to work on it again; `onboard status {name}` and `onboard log {name}` show it as it is"
        ),
        StoreError::Exists { name, .. } => format!("choose another name, or continue it with `onboard advance {name} STEP`"),
        StoreError::RenamedAway { .. } => {
            "choose another name: a project keeps the name it started with as its directory's, so that work recorded under it merges".into()
        }
        StoreError::DeletedExists { name } => format!(
            "`onboard prune {name}` removes its files, once no branch holds work on it; or choose another name"
        ),
        StoreError::ArchivedExists { name, .. } => {
            format!("choose another name, or bring it back with `onboard unarchive {name}`")
        }
        StoreError::NameTaken { name, same_name: true, .. } => format!(
            "two projects cannot share a name: rename the one in projects/ first (`onboard rename {name} NEW`)"
        ),
        StoreError::NameTaken { same_name: false, .. } => "choose another name".into(),
        StoreError::InBothFolders { name } => format!(
            "if they are the same project, remove the copy you do not want (`git rm .onboard/archive/{name}.yaml`, say); if not, give the archived one another name: change its `project:` and rename its file to match"
        ),
        StoreError::Conflict { path, name, .. } => conflicted(path, name),
        StoreError::Shape { .. }
        | StoreError::Unparsable { .. }
        | StoreError::BadField { .. }
        | StoreError::DoesNotFit { .. }
        | StoreError::BadEvent { .. } => FIX.into(),
        StoreError::NoHead { name, .. } => format!(
            "a merge brought events to a project deleted and pruned on another branch: `onboard prune {name}` removes them, or `git checkout` its `project.yaml` back to keep it"
        ),
        StoreError::NewerFormat { .. } => {
            "a teammate's newer onboard wrote it: install that version (`cargo install --path .` in an up-to-date checkout)".into()
        }
        // `resolve` merges old single files only.
        StoreError::DuplicateKey { path, .. } if in_project_dir(path) => FIX.into(),
        StoreError::DuplicateKey { .. } => {
            "a hand merge kept both sides' blocks: move the events of one into the other, or restore the file from git and run `onboard resolve`".into()
        }
        StoreError::MissingVersion { .. } => {
            "restore the file from git: projects follow the playbook version they started with".into()
        }
        StoreError::EditedVersion { .. } => {
            "a saved version must not be edited: restore it from git (`git checkout -- FILE`); to change a playbook, edit `playbooks/ID.yaml`".into()
        }
        StoreError::LeavesStateDir { .. } => crate::safe_path::LINK_HINT.into(),
        // The file's name and the system's reason say it all.
        // Something other than a file where a project file should be (a folder, a pipe).
        StoreError::Read(read) if read.source.kind() == std::io::ErrorKind::InvalidInput => {
            "a project is a file: move what is there out of the folder, or restore the file from git".into()
        }
        StoreError::NameMismatch { .. } | StoreError::Read(_) | StoreError::Listing(_) => return None,
    })
}

/// The name of a project in state directory `dir`, where the command `looked`, that
/// `name` is a likely typo of.
fn close_project(name: &str, dir: &std::path::Path, looked: Looked) -> Option<String> {
    let store = crate::store::Store::new(dir.to_path_buf());
    let names = match looked {
        Looked::Projects => store.project_names(),
        Looked::Archive => store.archived_names(),
        Looked::Both => store.project_names().and_then(|mut names| {
            names.extend(store.archived_names()?);
            Ok(names)
        }),
    }
    .ok()?;
    crate::playbook::diagnostic::did_you_mean(name, names.iter().map(String::as_str)).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::hint::{hinted, message};

    #[test]
    fn a_store_error_is_advised_once_and_stays_matchable() {
        let error =
            anyhow::Error::new(StoreError::Archived { name: "opera".into() }).context("cannot advance");
        let error = advised(advised(error, None), None);
        assert_eq!(message(&error), "cannot advance: project `opera` is archived");
        assert_eq!(
            crate::hint::hint(&error).as_deref(),
            Some(
                "run `onboard unarchive opera` to work on it again; `onboard status opera` and `onboard log opera` show it as it is"
            )
        );
        let typed = error.chain().find_map(|e| e.downcast_ref::<StoreError>());
        assert!(matches!(typed, Some(StoreError::Archived { name }) if name == "opera"));
    }

    #[test]
    fn advice_comes_before_the_hints_below_it_and_untyped_errors_are_left_alone() {
        let inner = hinted("unknown calendar `XX`", "the calendars are PY, CO");
        let error =
            anyhow::Error::new(SnapshotError::Calendar { revision: "HEAD:.onboard/".into(), source: inner });
        let both = "the calendars are listed by `onboard calendars`; the calendars are PY, CO";
        assert_eq!(hint(&error).as_deref(), Some(both));
        let error = advised(error, None);
        assert_eq!(crate::hint::hint(&error).as_deref(), Some(both), "as stderr prints them");
        assert_eq!(message(&error), "in `HEAD:.onboard/`: unknown calendar `XX`");
        let plain = advised(anyhow::anyhow!("disk full"), None);
        assert_eq!(crate::hint::hint(&plain), None);
        let read = StoreError::Read(crate::store::ReadError {
            path: PathBuf::from("projects/opera.yaml"),
            source: std::io::Error::other("permission denied"),
        });
        assert_eq!(hint(&read.into()), None, "a read error needs no advice");
    }

    #[test]
    fn an_unknown_step_suggests_a_close_id_or_where_to_list_them() {
        let unknown = |did_you_mean: Option<&str>| UnknownStep {
            playbook: "cooperative".into(),
            text: "contact".into(),
            did_you_mean: did_you_mean.map(str::to_string),
        };
        assert_eq!(
            hint(&unknown(None).into()).as_deref(),
            Some("`onboard show cooperative` lists the steps with their ids and numbers")
        );
        let close = anyhow::Error::new(unknown(Some("did you mean `contact-list`?"))).context("in `advance`");
        assert_eq!(hint(&close).as_deref(), Some("did you mean `contact-list`?"));
    }
}
