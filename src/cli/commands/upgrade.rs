//! `onboard upgrade`: move a project to the current version of its playbook, or to
//! another version the state directory knows, saying what changes: steps and variables
//! added and removed, rules changed, and which due dates and earliest starts move.

use std::io::Write;
use std::sync::Arc;

use anyhow::{Context as _, Result};

use crate::cli::target;
use crate::cli::{Context, runner};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::playbook::{Origin, Playbook, catalog, parse};
use crate::render::{one_line, printable};
use crate::state::change::Change;
use crate::state::loaded::Project;
use crate::state::progress;
use crate::state::project::{Action, ProjectFile, short_hash, yaml_text};
use crate::state::schedule::{Entry, Schedule, Start, Thresholds, schedule};
use crate::state::upgrade::{self, Plan};
use crate::store::check_against;

/// Move a project to the current version of its playbook (or to another known version)
///
/// A project follows the playbook version it started with. `upgrade` moves it to the
/// playbook as it is now: blocks for new steps and variables, the new rules. It refuses
/// to drop recorded work (events of a step the new version removed, values of a removed
/// variable) unless `--force --reason TEXT`; what it drops is kept in the upgrade's record.
#[derive(Debug, clap::Args)]
pub struct UpgradeArgs {
    /// The project
    pub project: String,
    /// The version to move to: its hash (`sha256:…`, or its first hex digits), the current playbook's or one saved in versions/ [default: the current playbook]
    #[arg(long, value_name = "HASH")]
    pub to: Option<String>,
    /// Show what would change, changing nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Drop recorded work the new version has no place for (kept in the upgrade's record)
    #[arg(long, requires = "reason")]
    pub force: bool,
    /// Why; kept in the log
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Commit the project file and the version it now follows with git
    #[arg(long)]
    pub commit: bool,
}

pub(crate) fn run(ctx: &Context, args: UpgradeArgs) -> Result<ExitCode> {
    let name = target::project(ctx, Some(args.project.clone()))?;
    let loaded = target::load(ctx, &name)?;
    let from = loaded.playbook.clone();
    let to = version(ctx, &loaded.file, args.to.as_deref())?;
    if to.hash == loaded.file.playbook_hash {
        say!(
            "Project `{name}` already follows version {} of playbook `{}`: nothing to upgrade.",
            short_hash(&to.hash),
            to.id
        );
        return Ok(ExitCode::Success);
    }
    let writing = runner::begin(ctx, &loaded, None, args.commit && !args.dry_run)?;
    let plan = upgrade::plan(&loaded.file, &from, &to);
    let mut after = loaded.file.clone();
    upgrade::apply(&mut after, &plan, &writing.stamp, args.reason.clone(), args.force || args.dry_run)?;
    check_against(&after, &to, &loaded.path)?;
    let mut out = crate::cli::ui::stdout();
    report(&mut out, ctx, &loaded, &plan, &after, args.force)?;
    out.flush()?;
    if args.dry_run {
        say!("Nothing changed (--dry-run).");
        return Ok(ExitCode::Success);
    }
    writing.run(Change::Upgrade { from, to, reason: args.reason, force: args.force })
}

/// The version asked for: the current playbook, or the known version whose hash starts
/// with `wanted`.
fn version(ctx: &Context, file: &ProjectFile, wanted: Option<&str>) -> Result<Arc<Playbook>> {
    let current = catalog::find(&ctx.store.root, &file.playbook);
    let Some(wanted) = wanted else {
        return match current? {
            Some(playbook) => Ok(Arc::new(playbook)),
            None => Err(hinted(
                format!("there is no playbook `{}` any more", file.playbook),
                "restore `playbooks/ID.yaml`, or name a version saved in versions/ with `--to HASH`",
            )),
        };
    };
    let hex = wanted.trim_start_matches("sha256:").to_ascii_lowercase();
    if hex.len() < 4 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(hinted(
            format!("`--to {wanted}` is not a playbook version"),
            "give its content hash, `sha256:` and hex digits, or at least its first 4 hex digits",
        ));
    }
    let mut known: Vec<Playbook> = current.ok().flatten().into_iter().collect();
    known.extend(saved_versions(ctx, &file.playbook, &hex)?);
    let mut found: Vec<Playbook> = Vec::new();
    for playbook in known {
        if playbook.hash.trim_start_matches("sha256:").starts_with(&hex)
            && !found.iter().any(|f| f.hash == playbook.hash)
        {
            found.push(playbook);
        }
    }
    match found.len() {
        1 => Ok(Arc::new(found.remove(0))),
        0 => Err(hinted(
            format!("no known version of playbook `{}` has a hash starting with `{hex}`", file.playbook),
            "the known versions are the current playbook (`onboard playbooks --json` gives its hash) and those saved in versions/",
        )),
        _ => Err(hinted(
            format!("`{wanted}` starts the hash of {} versions of playbook `{}`", found.len(), file.playbook),
            "give more of the hash",
        )),
    }
}

/// The versions of playbook `id` saved in versions/ whose 12-digit name fits `hex`.
fn saved_versions(ctx: &Context, id: &str, hex: &str) -> Result<Vec<Playbook>> {
    let mut found = Vec::new();
    for path in crate::safe_path::yaml_files(&ctx.store.root.join("versions"))? {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let Some(short) = stem.strip_prefix(id).and_then(|rest| rest.strip_prefix('-')) else { continue };
        let fits = if hex.len() <= short.len() { short.starts_with(hex) } else { hex.starts_with(short) };
        if short.len() != 12 || !fits {
            continue;
        }
        crate::safe_path::refuse_escaping_link(&path, &ctx.store.root)?;
        let text =
            crate::text::read_text(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
        found.push(parse(&text, &path.display().to_string(), Origin::File(path.clone()))?);
    }
    Ok(found)
}

/// A project's schedule under one playbook version, now.
fn scheduled(ctx: &Context, file: &ProjectFile, playbook: &Playbook) -> Result<Schedule> {
    let calendar = ctx.store.calendar(file.calendar(), playbook.hours())?;
    let view = progress::compute(playbook, file);
    let now = ctx.now(file.calendar()).0;
    Ok(schedule(&view, &calendar, file.started_at().0, now, Thresholds::default()))
}

/// A phase's or step's due moment in a schedule, as `status --json` writes it.
fn due(schedule: &Schedule, id: &str) -> String {
    match schedule.get(id) {
        Some(Entry::Timed(timing)) => timing.due().text(),
        Some(Entry::Pending(_)) => "pending".to_string(),
        None => "none".to_string(),
    }
}

/// A step's earliest start in a schedule, written as a due moment is.
fn earliest(schedule: &Schedule, id: &str) -> String {
    match schedule.starts.get(id) {
        Some(Start::Dated(wait)) => wait.derivation.due.text(),
        Some(Start::Pending(_)) => "pending".to_string(),
        None => "none".to_string(),
    }
}

/// A report's section: its title and its lines.
type Section = (&'static str, Vec<String>);

/// What the upgrade changes, section by section; sections with nothing are left out.
fn report(
    out: &mut impl Write,
    ctx: &Context,
    loaded: &Project,
    plan: &Plan<'_>,
    after: &ProjectFile,
    force: bool,
) -> Result<()> {
    let (from, to) = (plan.from, plan.to);
    let (before, later) = (scheduled(ctx, &loaded.file, from)?, scheduled(ctx, after, to)?);
    let (old, new) = (short_hash(&from.hash), short_hash(&to.hash));
    writeln!(out, "Upgrade `{}` from version {old} of playbook `{}` to {new}.", loaded.name, from.id)?;
    let mut sections = changes(plan, &later, after, &loaded.name);
    sections.extend(moves(plan, &before, &later));
    let dropped_title = if force {
        "Recorded work dropped (kept in the upgrade's record)"
    } else {
        "Recorded work the new version has no place for (dropped only with --force --reason TEXT)"
    };
    sections.push((dropped_title, dropped_lines(plan)));
    if sections.iter().all(|(_, lines)| lines.is_empty()) {
        writeln!(out, "No step, rule or variable changes, and no due date moves.")?;
    }
    for (title, lines) in sections.iter().filter(|(_, lines)| !lines.is_empty()) {
        writeln!(out, "{title}:")?;
        for line in lines {
            writeln!(out, "  {}", one_line(line))?;
        }
    }
    Ok(())
}

/// Steps, rules and variables: what the new version adds, removes and changes.
fn changes(plan: &Plan<'_>, later: &Schedule, after: &ProjectFile, name: &str) -> Vec<Section> {
    let added = plan.added.iter().map(|s| {
        let due = match due(later, &s.id).as_str() {
            "none" => String::new(),
            text => format!(" (due {text})"),
        };
        format!("{}: {}{due}", s.named(), printable(&s.title))
    });
    let rules = plan.rules.iter().map(|r| format!("{} {}: {} → {}", r.named, r.what, r.old, r.new));
    let vars = plan.vars_added.iter().map(|v| match upgrade::default_value(after, v) {
        Some(value) => format!("{}: {} (its default)", v.name, printable(&value.to_string())),
        None => {
            format!("{0}: no value yet; `onboard set {name} {0}=VALUE --reason TEXT` gives it one", v.name)
        }
    });
    vec![
        ("Steps added", added.collect()),
        ("Steps removed", plan.removed.iter().map(|s| s.named()).collect()),
        ("Rules changed", rules.collect()),
        ("Variables added", vars.collect()),
        ("Variables removed", plan.vars_removed.iter().map(|v| v.name.clone()).collect()),
    ]
}

/// The due moments and earliest starts, of phases and steps both versions have, that move.
fn moves(plan: &Plan<'_>, before: &Schedule, later: &Schedule) -> Vec<Section> {
    let (from, to) = (plan.from, plan.to);
    let kept = to.phases.iter().map(|p| p.id.as_str()).chain(to.steps().map(|(_, s)| s.id.as_str()));
    let kept: Vec<&str> = kept.filter(|id| from.node(id).is_some()).collect();
    let moved = |read: fn(&Schedule, &str) -> String| -> Vec<String> {
        let moved =
            kept.iter().map(|id| (id, read(before, id), read(later, id))).filter(|(_, was, now)| was != now);
        moved.map(|(id, was, now)| format!("{}: {was} → {now}", to.named(id))).collect()
    };
    vec![("Due dates that move", moved(due)), ("Earliest starts that move", moved(earliest))]
}

/// One line per dropped event or value: what it was, by whom, when.
fn dropped_lines(plan: &Plan<'_>) -> Vec<String> {
    let dropped = &plan.dropped;
    let mut lines = Vec::new();
    for (id, events) in &dropped.steps {
        for e in events {
            let what = match e.action {
                Action::Done => "done",
                Action::Skip => "skipped",
                Action::Reopen => "reopened",
                Action::Round => "a round",
                _ => e.action.as_str(),
            };
            let note = e.note.as_ref().map(|n| format!(" ({})", printable(n))).unwrap_or_default();
            lines.push(format!("{}: {what} by {} at {}{note}", plan.from.named(id), printable(&e.by), e.at));
        }
    }
    for (name, events) in &dropped.vars {
        for e in events {
            let value = e.value.as_ref().map(yaml_text).unwrap_or_default();
            lines.push(format!("{name}: set to {} by {} at {}", printable(&value), printable(&e.by), e.at));
        }
    }
    for v in &dropped.values {
        let value = printable(&yaml_text(&v.value)).into_owned();
        lines.push(match &v.step {
            Some(step) => {
                format!("{}={value}, recorded by {} at {}", v.name, plan.from.named(step), v.at)
            }
            None => format!("{}={value}, given at start", v.name),
        });
    }
    lines
}
