//! `onboard doctor`: everything to fix in the state directory, one finding a line with
//! its hint; exits 1 when it finds anything, so that CI can run it after a merge. The
//! domain finds what is wrong (`state::health`); the hints, which name commands, and the
//! check of this clone's merge setup, which is how git runs this command line, are here.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cli::{Context, git, hints};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::render::{json, one_line};
use crate::state::merge::MERGE_RULES;
use crate::store::health::{self, Finding, Kind, Marked};
use crate::text::read_text;
use crate::words;

/// What `onboard init` sets up in each clone, for both merge findings.
const INIT_HINT: &str = "run `onboard init` in the repository (each clone needs it once)";

/// Find what needs fixing in the state directory; exit 1 if anything does
///
/// Unreadable project files (archived ones included), conflict markers, steps done ahead
/// of an open prerequisite or completed twice with different values (after a merge), a
/// name both in projects/ and archive/, files left by a crash, and, in a git repository,
/// the merge rules and driver.
#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn run(ctx: &Context, args: DoctorArgs) -> Result<ExitCode> {
    let root = &ctx.store.root;
    if !root.is_dir() {
        return Err(hinted(
            format!("there is no state directory at `{}`", root.display()),
            "`onboard init` creates one here; `--dir DIR` or ONBOARD_DIR points to another",
        ));
    }
    let mut findings = health::examine(&ctx.store)?;
    // The merge driver is for old single files only: project directories merge under
    // git's own merge, so a converted state directory needs no set-up at all.
    if git::is_work_tree(root) && ctx.store.has_old_files()? {
        let driver = git::configured_driver(root);
        let program = driver.as_deref().and_then(git::driver_program);
        let driver = Driver { command: driver, missing_program: program.filter(|p| !p.exists()) };
        findings.extend(merge_setup(root, &driver));
    }
    if git::is_work_tree(root) {
        findings.extend(untracked(ctx)?);
    }
    let mut out = crate::cli::ui::stdout();
    if args.json {
        json::write(&mut out, &json::doctor::doctor(findings.iter().map(|f| (f, hint(f)))))?;
    } else {
        write_text(&mut out, ctx, &findings)?;
    }
    out.flush()?;
    Ok(if findings.is_empty() { ExitCode::Success } else { ExitCode::Attention })
}

/// `coop-central: …` then an indented `hint: …` for each finding, and a closing count.
fn write_text(out: &mut impl Write, ctx: &Context, findings: &[Finding]) -> Result<()> {
    for finding in findings {
        match &finding.project {
            Some(project) => writeln!(out, "{}: {}", one_line(project), one_line(&finding.message))?,
            None => writeln!(out, "{}", one_line(&finding.message))?,
        }
        writeln!(out, "  hint: {}", one_line(&hint(finding)))?;
    }
    let mut projects = words::count(ctx.store.project_names()?.len() as i64, "project");
    let archived = ctx.store.archived_names()?.len();
    if archived > 0 {
        projects.push_str(&format!(", {archived} archived"));
    }
    let root = ctx.store.root.display();
    match findings.len() {
        0 => writeln!(out, "No problems found in `{root}` ({projects}).")?,
        n => writeln!(out, "{} found in `{root}` ({projects}).", words::count(n as i64, "problem"))?,
    }
    Ok(())
}

/// What to do about a finding.
fn hint(finding: &Finding) -> String {
    let name = finding.project.as_deref().unwrap_or_default();
    let path = finding.path.display();
    match &finding.kind {
        Kind::ConflictMarkers(Marked::Project | Marked::Archived) => hints::conflicted(&finding.path, name),
        Kind::ConflictMarkers(Marked::Version) => {
            "restore it from git: a version file is the exact playbook text projects follow, named by its hash".into()
        }
        Kind::ConflictMarkers(Marked::Other) => {
            "keep the right side's lines and delete the markers, or restore the file from git".into()
        }
        Kind::Unreadable(error) => {
            hints::hint(error).unwrap_or_else(|| format!("fix `{path}` by hand or restore it from git"))
        }
        Kind::Problem => format!("fix `{path}` by hand or restore it from git; onboard commands write it for you"),
        Kind::DoneAhead { step } => format!(
            "complete what it waits for (`onboard status {name}` marks it), or, if it was done too early, reopen it: `onboard reopen {name} {step} --reason TEXT`"
        ),
        Kind::BeforeReady { id, .. } => format!(
            "if a clock was wrong, retract it (`onboard retract {name} {} --reason TEXT`) and record it again; an `--at` must be after the step became ready",
            id.as_deref().unwrap_or("EVENT")
        ),
        Kind::Disagreement { step, field } => format!(
            "to settle it, reopen the step and complete it again with the right value: `onboard reopen {name} {step} --reason TEXT`, then `onboard advance {name} {step} --set {field}=VALUE`"
        ),
        Kind::TemporaryFile => format!(
            "remove it (`rm '{path}'`): nothing reads it, and the file it was to replace is whole, since writes replace a file only by rename"
        ),
        Kind::StrayLock => format!("remove it (`rm '{path}'`): onboard creates a project's lock when it needs it"),
        Kind::MergeSetup => INIT_HINT.into(),
        Kind::StaleFile => format!("run `onboard migrate {name}`: it folds the file's new events into the directory and removes it"),
        Kind::Pruned => format!("`onboard prune {name}` removes them; to keep the project, restore its `project.yaml` from git"),
        Kind::AfterDelete => format!(
            "`onboard log {name}` cannot show a deleted project: restore it with `git revert` of the deletion's commit, or remove it with its late work: `onboard prune {name}`"
        ),
        Kind::Reopened => format!(
            "finish it (`onboard status {name}`), then `onboard archive {name}` again; or archive it as abandoned: `onboard archive {name} --reason TEXT`"
        ),
        Kind::SkipOverruled { step } => format!(
            "if the skip was meant, reopen and skip it again: `onboard reopen {name} {step} --reason TEXT`, then `onboard skip {name} {step} --reason TEXT`"
        ),
        Kind::TwoUpgrades => format!(
            "keep one upgrade: `git rm` the other's event files (its `-upgrade-` file and the `-set-` files it recorded, at the same instant), then run `onboard upgrade {name}` again if needed"
        ),
        Kind::EditedVersion => {
            "restore it from git (`git checkout -- FILE`): projects follow the exact playbook text saved under its hash; to change a playbook, edit `playbooks/ID.yaml`".into()
        }
        Kind::Untracked => format!("`git add '{path}'` and commit it: a teammate's clone cannot read the project without it"),
        Kind::NameClash => format!(
            "if they are the same project, remove the copy you do not want (`git rm .onboard/archive/{name}.yaml`, say); if not, give the archived one another name: change its `project:` and rename its file to match"
        ),
    }
}

/// The files that a project git tracks needs and git does not track: its `project.yaml`,
/// the playbook version it follows, the team's playbook and calendar override it reads.
/// A teammate's clone cannot read the project without them. Event files git lacks are
/// work not committed yet, not a finding.
fn untracked(ctx: &Context) -> Result<Vec<Finding>> {
    let root = std::fs::canonicalize(&ctx.store.root).unwrap_or_else(|_| ctx.store.root.clone());
    let tracked = git::tracked_under(&ctx.store.root)?;
    let mut found = Vec::new();
    for id in ctx.store.dir_ids()? {
        let dir = root.join("projects").join(&id);
        if !tracked.iter().any(|p| p.starts_with(&dir)) {
            continue;
        }
        let Ok(project) = ctx.store.read_dir(&id) else { continue };
        let mut needed = vec![ctx.store.project_dir(&id).join("project.yaml")];
        needed.extend(git::needs(&ctx.store, &project.file).into_iter().filter(|p| p.is_file()));
        for path in needed {
            let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if !tracked.contains(&canonical) {
                let name = &project.file.project;
                found.push(Finding {
                    project: Some(name.clone()),
                    message: format!(
                        "`{}` is needed to read project `{name}`, which git tracks, but git does not track it",
                        path.display()
                    ),
                    path,
                    kind: Kind::Untracked,
                });
            }
        }
    }
    Ok(found)
}

/// This clone's merge driver, as git answers for it.
#[derive(Debug, Clone, Default)]
struct Driver {
    /// `git config --get merge.onboard.driver`, when set.
    command: Option<String>,
    /// The program the driver runs, when it names one by path that does not exist (the
    /// binary moved since `onboard init`).
    missing_program: Option<PathBuf>,
}

/// The merge rules in `.gitattributes` and this clone's merge driver: what `onboard init`
/// sets up so that git merges project files with `onboard merge-file`.
fn merge_setup(root: &Path, driver: &Driver) -> Vec<Finding> {
    let mut found = Vec::new();
    let setup = |path: PathBuf, message| Finding { project: None, path, kind: Kind::MergeSetup, message };
    let attributes = root.join(".gitattributes");
    let text = read_text(&attributes).unwrap_or_default();
    let missing: Vec<String> = MERGE_RULES
        .iter()
        .filter(|rule| !text.lines().any(|line| line.trim() == **rule))
        .map(|rule| format!("`{rule}`"))
        .collect();
    if !missing.is_empty() {
        let lines = if missing.len() == 1 { "line" } else { "lines" };
        let message = format!(
            "`{}` lacks the {lines} {}, so git merges project files line by line, without onboard's merge driver",
            attributes.display(),
            words::list(&missing)
        );
        found.push(setup(attributes, message));
    }
    let message = match driver.command.as_deref() {
        Some(command) if command.contains("merge-file") => match &driver.missing_program {
            None => return found,
            Some(program) => format!(
                "this clone's merge driver runs `{}`, which does not exist, so git cannot merge project files",
                program.display()
            ),
        },
        Some(command) => {
            format!("this clone's merge driver `onboard` runs `{command}`, not `onboard merge-file`")
        }
        None => "this clone has no merge driver `onboard` (`git config merge.onboard.driver` is not set)"
            .to_string(),
    };
    found.push(setup(root.to_path_buf(), message));
    found
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn the_merge_setup_needs_the_rule_and_a_merge_file_driver() {
        let dir = tempfile::tempdir().unwrap();
        let found = |driver: Option<&str>| -> Vec<String> {
            let git = Driver { command: driver.map(str::to_string), missing_program: None };
            merge_setup(dir.path(), &git).into_iter().map(|f| f.message).collect()
        };
        assert_eq!(found(Some("onboard merge-file %O %A %B")).len(), 1, "no .gitattributes yet");
        fs::write(dir.path().join(".gitattributes"), "*.png binary\n  projects/*.yaml merge=onboard  \n")
            .unwrap();
        assert_eq!(
            found(Some("onboard merge-file %O %A %B")),
            [format!(
                "`{}` lacks the line `archive/*.yaml merge=onboard`, so git merges project files line by line, without onboard's merge driver",
                dir.path().join(".gitattributes").display()
            )],
            "set up before the archive"
        );
        fs::write(
            dir.path().join(".gitattributes"),
            "*.png binary\n  projects/*.yaml merge=onboard  \narchive/*.yaml merge=onboard\n",
        )
        .unwrap();
        assert_eq!(found(Some("onboard merge-file %O %A %B")), Vec::<String>::new());
        assert_eq!(
            found(None),
            ["this clone has no merge driver `onboard` (`git config merge.onboard.driver` is not set)"]
        );
        assert_eq!(
            found(Some("true")),
            ["this clone's merge driver `onboard` runs `true`, not `onboard merge-file`"]
        );
        let gone = Driver {
            command: Some("'/gone/onboard' merge-file %O %A %B %P".into()),
            missing_program: Some(PathBuf::from("/gone/onboard")),
        };
        assert_eq!(
            merge_setup(dir.path(), &gone).into_iter().map(|f| f.message).collect::<Vec<_>>(),
            [
                "this clone's merge driver runs `/gone/onboard`, which does not exist, so git cannot merge project files"
            ]
        );
        fs::write(dir.path().join(".gitattributes"), "projects/*.yaml merge=union\n").unwrap();
        assert_eq!(found(Some("onboard merge-file %O %A %B")).len(), 1);
    }

    #[test]
    fn each_finding_gets_its_hint_from_its_facts() {
        let finding = |kind| Finding {
            project: Some("opera".into()),
            path: PathBuf::from(".onboard/projects/opera.yaml"),
            kind,
            message: String::new(),
        };
        assert_eq!(
            hint(&finding(Kind::DoneAhead { step: "rehearsal".into() })),
            "complete what it waits for (`onboard status opera` marks it), or, if it was done too early, reopen it: `onboard reopen opera rehearsal --reason TEXT`"
        );
        assert_eq!(
            hint(&finding(Kind::BeforeReady {
                id: Some("20260303T090000Z-done-go-live-0badc0de.yaml".into())
            })),
            "if a clock was wrong, retract it (`onboard retract opera 20260303T090000Z-done-go-live-0badc0de.yaml --reason TEXT`) and record it again; an `--at` must be after the step became ready"
        );
        assert!(
            hint(&finding(Kind::ConflictMarkers(Marked::Project)))
                .starts_with("run `onboard resolve opera`: it merges both sides' events")
        );
        let missing = crate::store::StoreError::Archived { name: "opera".into() };
        assert!(
            hint(&finding(Kind::Unreadable(missing.into()))).starts_with("run `onboard unarchive opera`")
        );
        assert_eq!(
            hint(&finding(Kind::Unreadable(anyhow::anyhow!("disk on fire")))),
            "fix `.onboard/projects/opera.yaml` by hand or restore it from git"
        );
    }
}
