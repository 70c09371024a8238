//! Which project (and step) a command is about: named, the only one, or chosen on a
//! terminal; and loading it with the playbook version it follows, alone or as one of a
//! portfolio, where a file that cannot be read does not hide the others.

use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use super::context::zone;
use super::{Context, prompt};
use crate::calendar::Calendar;
use crate::clock::Clock;
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::render::ProjectView;
use crate::state::change::Stamp;
use crate::state::check_project_name;
use crate::state::loaded::{Known, Project};
use crate::state::progress::Detail;
use crate::state::progress::Progress;
use crate::state::project::Timestamp;
use crate::state::schedule::{Schedule, Thresholds};
use crate::state::standing::Standing;
use crate::store::cache::{Cache, Entries, Kept};
use crate::store::snapshot::Source;
use crate::store::{Followed, check_against};

/// What the command line does with a loaded project: judge it at now, show it, stamp a
/// change to it.
impl Project {
    /// Where the project stands as of now (the clock's, in its calendar's zone).
    pub(crate) fn standing_now(&self, ctx: &Context, thresholds: Thresholds, detail: Detail) -> Standing<'_> {
        self.standing(ctx.now(self.file.calendar()), thresholds, detail)
    }

    /// The project as renderers take it, with where it stands and its schedule.
    pub(crate) fn view<'a>(&'a self, progress: &'a Progress<'a>, schedule: &'a Schedule) -> ProjectView<'a> {
        ProjectView {
            file: &self.file,
            playbook: &self.playbook,
            progress,
            schedule,
            calendar: &self.calendar,
            changed: self.changed.is_some(),
        }
    }

    /// Who makes a change and when: now, or the past instant of `--at`, which must lie
    /// between the project's start and now.
    pub(crate) fn stamp(&self, ctx: &Context, at: Option<&str>) -> Result<Stamp> {
        let now = ctx.now(self.file.calendar());
        let by = ctx.actor()?;
        warn_clock_behind(&self.name, &self.file, now);
        let Some(text) = at else {
            return Ok(Stamp { at: now, by, recorded: None });
        };
        let given = Timestamp(Clock::parse(text, "`--at`")?.now_in(zone(self.file.calendar())));
        if given > now {
            return Err(hinted(
                format!("`--at {text}` is in the future (now is {now})"),
                "`--at` records work that has already happened; leave it out to record it now",
            ));
        }
        let started = self.file.started_at();
        if given < started {
            return Err(hinted(
                format!("`--at {text}` is before project `{}` started ({started})", self.name),
                "give an instant after the project's start",
            ));
        }
        Ok(Stamp { at: given, by, recorded: Some(now) })
    }
}

/// Warns on stderr when the clock reads earlier than the latest event recorded in the
/// project: a teammate's clock runs ahead, or `ONBOARD_NOW` was set back. The write goes
/// on (the clock may be the right one), but its event will list before work it follows.
pub(super) fn warn_clock_behind(name: &str, file: &crate::state::project::ProjectFile, now: Timestamp) {
    let latest = file.latest_known();
    if now < latest {
        warn!(
            "the clock reads {now}, earlier than the latest event of `{name}`, recorded at {latest}; a clock is wrong (a teammate's running ahead, or `ONBOARD_NOW` set back)"
        );
    }
}

/// Warns on stderr when a computation reached years the holiday data does not cover.
pub(super) fn warn_uncovered(calendar: &Calendar) {
    if let Some(warning) = uncovered_warning(calendar) {
        warn!("{warning}");
    }
}

/// The warning for the years a computation reached that the holiday data does not cover.
fn uncovered_warning(calendar: &Calendar) -> Option<String> {
    let years = calendar.take_uncovered();
    if years.is_empty() {
        return None;
    }
    Some(format!(
        "calendar `{}` has complete holiday data for {}-{} only; due dates in {} may count missing holidays as business days",
        calendar.id,
        calendar.years.0,
        calendar.years.1,
        year_runs(&years)
    ))
}

/// `2041`, `2041, 2045`, `2041-2043`: sorted years, runs of consecutive ones as ranges (a
/// what-if clock may reach thousands of them).
fn year_runs(years: &[i32]) -> String {
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for &year in years {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == year => *end = year,
            _ => runs.push((year, year)),
        }
    }
    let text: Vec<String> =
        runs.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
    text.join(", ")
}

/// The project named, or the only one, or one chosen on a terminal.
pub(super) fn project(ctx: &Context, named: Option<String>) -> Result<String> {
    project_where(ctx, named, "", |_| true)
}

/// `project`, where a terminal offers only the projects that `can_take` the command:
/// those that have a ready step for `advance`, the variable for `set J`. `able` says
/// what those are (`with a ready step`) for the error when none is.
pub(super) fn project_where(
    ctx: &Context,
    named: Option<String>,
    able: &str,
    can_take: impl Fn(&Project) -> bool + Sync,
) -> Result<String> {
    if let Some(name) = named {
        check_project_name(&name).map_err(|m| hinted(m, "project names are slugs such as `coop-central`"))?;
        return Ok(name);
    }
    let names = ctx.store.project_names()?;
    match names.as_slice() {
        [] => Err(hinted(
            format!("there are no projects in `{}`", ctx.store.root.display()),
            "start one with `onboard start PLAYBOOK NAME`",
        )),
        [only] => Ok(only.clone()),
        _ if ctx.interactive => {
            // Unreadable projects are left out too: the command could not act on them.
            let (can, _) = each_project(ctx, &names, |p| can_take(p).then(|| p.name.clone()));
            let able_ones: Vec<String> = can.into_iter().flatten().collect();
            if able_ones.is_empty() {
                return Err(hinted(
                    format!("no project {able}"),
                    "`onboard status` shows where each project stands",
                ));
            }
            Ok(able_ones[prompt::select("Which project?", &able_ones)?].clone())
        }
        _ => Err(hinted(
            format!("there are {} projects; name one", names.len()),
            format!("the projects are {}", names.join(", ")),
        )),
    }
}

/// The projects named with a repeatable flag (`log --project`): each checked as a name,
/// in the order given, once each.
pub(super) fn project_names_of(ctx: &Context, named: &[String]) -> Result<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    for name in named {
        let name = project(ctx, Some(name.clone()))?;
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

/// Splits `[PROJECT] [STEP]` when only one was given: a project name if such a project
/// exists, otherwise a step of the only project.
pub(super) fn project_and_step(
    ctx: &Context,
    first: Option<String>,
    second: Option<String>,
) -> (Option<String>, Option<String>) {
    match (first, second) {
        // Whether a project has that name, without reading it. A likely typo of one of
        // several projects' names is taken as the project, so that it is refused with the
        // name it was likely meant to be rather than as a step of no project.
        (Some(one), None) if !ctx.store.is_taken(&one) && !is_close_to_a_project(ctx, &one) => {
            (None, Some(one))
        }
        other => other,
    }
}

/// Whether `word` is a likely typo of the name of one of several projects.
fn is_close_to_a_project(ctx: &Context, word: &str) -> bool {
    let names = ctx.store.project_names().unwrap_or_default();
    names.len() > 1
        && crate::playbook::diagnostic::did_you_mean(word, names.iter().map(String::as_str)).is_some()
}

/// A project file that a portfolio command could not read or check, and why.
pub(super) struct Unreadable {
    pub name: String,
    pub path: PathBuf,
    pub error: anyhow::Error,
    /// The label of its state directory, in a portfolio over several (`members.rs`).
    pub repository: Option<String>,
}

impl Unreadable {
    /// Project `name`'s file at `path` could not be read or checked: the error, with the
    /// command line's advice, as the command reports it and goes on.
    pub(super) fn new(name: String, path: PathBuf, error: anyhow::Error) -> Unreadable {
        Unreadable { name, path, error: super::hints::advised(error, None), repository: None }
    }

    /// `new`, for project `name` of `ctx`'s state directory, at its usual path.
    pub(super) fn of(ctx: &Context, name: &str, error: anyhow::Error) -> Unreadable {
        Unreadable::new(name.to_string(), ctx.store.project_path(name), error)
    }

    /// The entry of the `errors` list of portfolio JSON.
    pub(super) fn json(&self) -> crate::render::json::Unreadable {
        crate::render::json::Unreadable {
            repository: self.repository.clone(),
            ..crate::render::json::Unreadable::new(&self.name, &self.path, &self.error)
        }
    }
}

/// What `work` gave for one project of a portfolio, with its coverage warning; or why the
/// project cannot be read.
type Outcome<T> = Result<(T, Option<String>), Unreadable>;

/// Loads each of `names` and runs `work` on it, in parallel over the cores, and returns
/// in the order of `names` what `work` gave, and apart, the projects that cannot be read
/// and why. One bad file (conflict markers after a merge, a missing playbook version)
/// must not hide the rest of a portfolio, so the caller reports the readable ones and
/// then the others.
/// Coverage warnings are printed here, in order, so output does not depend on threads.
/// Under `--as-of`, a project started after that instant is left out: the portfolio did
/// not hold it yet.
/// Files are read through the cache unless the context turns it off; the cache is then
/// rewritten with the files of this run.
pub(super) fn each_project<T: Send>(
    ctx: &Context,
    names: &[String],
    work: impl Fn(&Project) -> T + Sync,
) -> (Vec<T>, Vec<Unreadable>) {
    // The cache holds files as they are; `--as-of` reads them as they were.
    let cache = (ctx.cache && ctx.as_of.is_none()).then(|| Cache::open(&ctx.store.root)).flatten();
    let entries = cache.as_ref().map(Cache::entries);
    let mut writer = cache.as_ref().zip(entries.as_ref()).map(|(cache, entries)| cache.writer(entries));
    let mut results: Vec<Option<Outcome<T>>> = Vec::with_capacity(names.len());
    let mut cached = 0;
    // A chunk at a time, in parallel within it, so that the new cache entries of a cold
    // run are written as they come rather than all held until the end.
    for chunk in names.chunks(CHUNK) {
        let done: Vec<(Option<Outcome<T>>, Option<Kept<'_>>)> =
            chunk.par_iter().map(|name| one_project(ctx, name, entries.as_ref(), &work)).collect();
        for (name, (result, kept)) in chunk.iter().zip(done) {
            cached += usize::from(matches!(kept, Some(Kept::Same(_))));
            if let Some(writer) = &mut writer {
                writer.push(name, kept.as_ref());
            }
            results.push(result);
        }
    }
    if let Some(writer) = writer {
        writer.finish();
    }
    tell_read(ctx, names.len(), cache.as_ref().map(|cache| (cache.path(), cached)));
    let (mut done, mut unreadable) = (Vec::with_capacity(names.len()), Vec::new());
    for result in results.into_iter().flatten() {
        match result {
            Ok((result, warning)) => {
                if let Some(warning) = warning {
                    warn!("{warning}");
                }
                done.push(result);
            }
            Err(bad) => unreadable.push(bad),
        }
    }
    (done, unreadable)
}

/// Loads project `name` (through the cache's `entries`, when there are some) and does
/// `work` on it: the outcome (`None` for a project started after `--as-of`), and the
/// cache entry to keep for it.
fn one_project<'t, T>(
    ctx: &Context,
    name: &str,
    entries: Option<&Entries<'t>>,
    work: &impl Fn(&Project) -> T,
) -> (Option<Outcome<T>>, Option<Kept<'t>>) {
    let (known, kept) = match entries {
        Some(entries) => {
            let (loaded, kept) = load_cached(ctx, name, entries);
            (loaded.map(|loaded| Known::Loaded(Box::new(loaded))), kept)
        }
        None => (load_known(ctx, name), None),
    };
    let result = match known {
        Ok(Known::Loaded(loaded)) => {
            let done = work(&loaded);
            Some(Ok((done, uncovered_warning(&loaded.calendar))))
        }
        // Started after `--as-of`: not part of the portfolio then.
        Ok(Known::NotStarted(_)) => None,
        Err(error) => Some(Err(Unreadable::of(ctx, name, error))),
    };
    (result, kept)
}

/// Says under `--verbose` how many projects a portfolio command read from which state
/// directory, and how many of them its cache (`Some((file, hits))`) held unchanged.
fn tell_read(ctx: &Context, read: usize, cache: Option<(&Path, usize)>) {
    let dir = crate::render::one_line(&ctx.store.root.display().to_string()).into_owned();
    let projects = crate::words::count(i64::try_from(read).unwrap_or(i64::MAX), "project");
    match cache {
        Some((file, hits)) => verbose!(
            "Read {projects} from `{dir}`; the cache `{}` held {hits} of them.",
            crate::render::one_line(&file.display().to_string())
        ),
        None if ctx.as_of.is_some() => {
            verbose!("Read {projects} from `{dir}`, without the cache (`--as-of`).");
        }
        None if !ctx.cache => verbose!("Read {projects} from `{dir}`, without the cache (turned off)."),
        None => verbose!("Read {projects} from `{dir}`, without a cache (no cache folder)."),
    }
}

/// The whole history a portfolio holds: every project of `names` (through the cache, as
/// `each_project` reads them) and every one of `archived`, each given to `work` in
/// parallel. Forecasts and statistics learn from finished and archived work alike.
/// The results are in name order, the portfolio's first; unreadable projects come apart.
pub(super) fn each_listed_with_archived<T: Send>(
    ctx: &Context,
    names: &[String],
    archived: &[String],
    work: impl Fn(&Project) -> T + Sync,
) -> (Vec<T>, Vec<Unreadable>) {
    let (mut done, mut unreadable) = each_project(ctx, names, &work);
    // Under `--as-of`, an archived project started after that instant is left out, as
    // `each_project` leaves out the portfolio's.
    let read: Vec<Option<Result<T, Unreadable>>> = archived
        .par_iter()
        .map(|name| {
            let known = ctx.store.read_archived(name).map_err(anyhow::Error::from).and_then(|file| {
                ctx.store.checked(name, file, ctx.store.project_path(name), ctx.as_of.as_ref(), true)
            });
            match known {
                Ok(Known::Loaded(loaded)) => Some(Ok(work(&loaded))),
                Ok(Known::NotStarted(_)) => None,
                Err(error) => Some(Err(Unreadable::new(name.clone(), ctx.store.archive_path(name), error))),
            }
        })
        .collect();
    for result in read.into_iter().flatten() {
        match result {
            Ok(result) => done.push(result),
            Err(bad) => unreadable.push(bad),
        }
    }
    (done, unreadable)
}

/// How many projects a portfolio command reads in parallel before it writes their cache
/// entries: enough to keep every core busy, few enough that a cold run's new entries
/// stay a few hundred kilobytes.
const CHUNK: usize = 256;

/// Prints each unreadable project's error on stderr, exactly as a single-project command
/// would print it; a portfolio command that could not read one then ends in an error.
pub(super) fn report_unreadable(unreadable: &[Unreadable]) -> Result<ExitCode> {
    for each in unreadable {
        super::ui::report(&each.error);
    }
    Ok(if unreadable.is_empty() { ExitCode::Success } else { ExitCode::Error })
}

/// Reads a project, the playbook version it follows, checks the one against the other,
/// and builds its calendar.
pub(super) fn load(ctx: &Context, name: &str) -> Result<Project> {
    started(name, load_known(ctx, name)?)
}

/// `load`, where a project started after `--as-of` is not an error (a portfolio then
/// simply did not hold it yet).
fn load_known(ctx: &Context, name: &str) -> Result<Known> {
    // The portfolio's project: an archived or deleted one is refused (`Store::read`).
    let file = ctx.store.read(name)?;
    ctx.store.checked(name, file, ctx.store.project_path(name), ctx.as_of.as_ref(), false)
}

/// Reads an archived project as `load` reads one of the portfolio.
pub(super) fn load_archived(ctx: &Context, name: &str) -> Result<Project> {
    let file = ctx.store.read_archived(name)?;
    started(name, ctx.store.checked(name, file, ctx.store.project_path(name), ctx.as_of.as_ref(), true)?)
}

/// For commands that only show a project (`status`, `log`): the project of that name,
/// archived or not, read once.
pub(super) fn load_shown(ctx: &Context, name: &str) -> Result<Project> {
    use crate::store::{Looked, Standing, StoreError};
    let (file, standing, _) = ctx.store.read_any(name)?;
    if standing == Standing::Deleted {
        return Err(StoreError::NoProject {
            name: name.to_string(),
            dir: ctx.store.root.clone(),
            looked: Looked::Projects,
        }
        .into());
    }
    let path = ctx.store.project_path(name);
    started(name, ctx.store.checked(name, file, path, ctx.as_of.as_ref(), standing == Standing::Archived)?)
}

/// The project, or the error of one that `--as-of` finds not started yet.
fn started(name: &str, known: Known) -> Result<Project> {
    match known {
        Known::Loaded(loaded) => Ok(*loaded),
        Known::NotStarted(started) => Err(hinted(
            format!("project `{name}` had not started by then: it started at {started}"),
            "give an `--as-of` after the project's start",
        )),
    }
}

/// `load` through the cache: a file found unchanged comes parsed and already checked
/// against its playbook version. Also returns what to keep in the cache: nothing for a
/// project that cannot be loaded, so that its error is found again next time.
fn load_cached<'t>(ctx: &Context, name: &str, entries: &Entries<'t>) -> (Result<Project>, Option<Kept<'t>>) {
    let read = match entries.read(&ctx.store, name) {
        Ok(read) => read,
        Err(error) => return (Err(error.into()), None),
    };
    let loaded = (|| {
        let followed = ctx.store.followed(&read.file)?;
        let path = ctx.store.project_path(name);
        if read.checked_against.as_deref() != Some(followed.playbook.hash.as_str()) {
            check_against(&read.file, &followed.playbook, &path)?;
        }
        let calendar = ctx.store.calendar(read.file.calendar(), followed.playbook.hours())?;
        Ok((followed, path, calendar))
    })();
    match loaded {
        Ok((followed, path, calendar)) => {
            let kept = read.keep(entries, &followed.playbook.hash);
            let mut file = read.file;
            crate::state::change::order_blocks(&followed.playbook, &mut file);
            let Followed { playbook, changed } = followed;
            let loaded =
                Project { name: name.to_string(), path, file, playbook, changed, calendar, archived: false };
            (Ok(loaded), kept)
        }
        Err(error) => (Err(error), None),
    }
}

#[cfg(test)]
mod tests {
    use super::year_runs;

    #[test]
    fn consecutive_years_are_shown_as_ranges() {
        assert_eq!(year_runs(&[2041]), "2041");
        assert_eq!(year_runs(&[2041, 2043, 2044, 2045, 9999]), "2041, 2043-2045, 9999");
        assert_eq!(year_runs(&(2041..=9999).collect::<Vec<_>>()), "2041-9999");
    }
}
