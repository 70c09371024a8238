//! The resolved context of one run: state directory, clock, actor, terminal, colour,
//! width and pager settings, and whether portfolio commands use their cache. Arguments and environment are read here once; commands only use the result.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::{Context as _, Result};
use chrono_tz::Tz;

use super::pager::Pager;
use super::workspace::Dir;
use super::{ColorChoice, GlobalArgs};
use crate::calendar;
use crate::clock::{Clock, NOW_VARIABLE};
use crate::hint::hinted;
use crate::state::project::Timestamp;
use crate::store::STATE_DIR_NAME;
use crate::store::cache::NO_CACHE_VARIABLE;
use crate::store::lock::{self, LockWait};
use crate::store::{Store, WriteGuard};

/// The variable that bounds, in seconds, how long a writer waits for a project that
/// another command holds.
pub(super) const LOCK_TIMEOUT_VARIABLE: &str = "ONBOARD_WAIT";

/// How writers wait for a held project: `value` seconds (`ONBOARD_WAIT`, `0`
/// for not at all) or the default, saying on stderr that they wait.
fn lock_wait(value: Option<&str>) -> Result<LockWait> {
    let timeout = match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => lock::DEFAULT_TIMEOUT,
        Some(text) => text
            .parse::<f64>()
            .ok()
            .filter(|seconds| (0.0..=86_400.0).contains(seconds))
            .map(Duration::from_secs_f64)
            .ok_or_else(|| {
                hinted(
                    format!("`{LOCK_TIMEOUT_VARIABLE}` is `{text}`, not a number of seconds from 0 to 86400"),
                    format!("set `{LOCK_TIMEOUT_VARIABLE}` to how long a writer waits for a project another command holds, such as 30 (0: not at all), or unset it"),
                )
            })?,
    };
    let notice = move |path: &Path, since: Option<SystemTime>| {
        let project = path.file_stem().unwrap_or_default().to_string_lossy();
        let since = since
            .map(|t| chrono::DateTime::<chrono::Utc>::from(t).format(" since %H:%M:%S UTC").to_string())
            .unwrap_or_default();
        say!(
            "waiting for project `{project}`: another onboard command has held its lock{since} (`{}`); giving up after {} s",
            path.display(),
            timeout.as_secs_f64()
        );
    };
    Ok(LockWait { timeout, notice: Arc::new(notice) })
}

#[derive(Debug, Clone)]
pub struct Context {
    pub store: Store,
    pub clock: Clock,
    /// Both stdin and stdout are terminals: prompts are allowed.
    pub interactive: bool,
    /// Colour the output (`--color`, NO_COLOR, CLICOLOR, CLICOLOR_FORCE, a terminal).
    pub color: bool,
    /// The columns text is wrapped to (see `output_width`).
    pub width: usize,
    /// `--as-of`: projects are read as recorded by then (the clock reads it too).
    pub as_of: Option<Clock>,
    /// Portfolio commands may read and write the cache (no `--no-cache`, no
    /// `ONBOARD_NO_CACHE`).
    pub cache: bool,
    /// Long human-readable output goes through this pager (only on a terminal).
    pub pager: Option<Pager>,
    by: Option<String>,
    /// With several state directories (`--dir` repeated, a workspace file), each labelled,
    /// the first being `store`'s; empty with one (`members.rs`).
    dirs: Arc<[Dir]>,
    /// How the state directory was found, for `--verbose`.
    found: Found,
}

/// How a run's state directory was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    Flag,
    Variable,
    Nearest,
    PerUser,
    /// Several, given with `--dir` repeated or in a workspace file, each labelled.
    Listed,
}

impl Found {
    /// Why the run uses the state directory it uses, as `--verbose` says it.
    fn why(self) -> &'static str {
        match self {
            Found::Flag => "from --dir",
            Found::Variable => "from ONBOARD_DIR",
            Found::Nearest => "the nearest .onboard/ from the current directory up",
            Found::PerUser => "the per-user data folder: no .onboard/ from the current directory up",
            Found::Listed => "one of several",
        }
    }
}

impl Context {
    pub fn resolve(global: &GlobalArgs) -> Result<Context> {
        // A blank `--by` would fall back to `ONBOARD_USER` and record someone the
        // command line never named.
        if global.by.as_deref().is_some_and(|by| by.trim().is_empty()) {
            return Err(hinted(
                "`--by` is empty: it names who makes the change",
                "give a name (`--by 'Ana Pérez'`), or leave out --by to use $ONBOARD_USER, git's user.name or the OS user",
            ));
        }
        let clock = Clock::from_env_value(std::env::var(NOW_VARIABLE).ok().as_deref())?;
        // Resolved once to an absolute path: git runs in it, and relative paths would
        // then point elsewhere.
        let dirs = super::workspace::resolve(&global.dir, global.workspace.as_deref())?;
        let (root, found) = match dirs.first() {
            Some(first) => (first.root.clone(), Found::Listed),
            None => find_state_dir(global.dir.first().cloned())?,
        };
        let root = std::path::absolute(&root)
            .with_context(|| format!("cannot resolve the state directory `{}`", root.display()))?;
        let stdout_tty = super::ui::is_stdout_terminal();
        let size = stdout_tty.then(|| super::ui::stdout_terminal().size_checked()).flatten();
        Ok(Context {
            store: Store::new(root)
                .guarded(WriteGuard(std::sync::Arc::new(super::git::refuse_unmerged)))
                .waiting(lock_wait(std::env::var(LOCK_TIMEOUT_VARIABLE).ok().as_deref())?),
            clock,
            interactive: stdout_tty && std::io::stdin().is_terminal(),
            color: wants_color(global.color, stdout_tty, |name| std::env::var(name).ok()),
            width: output_width(std::env::var("COLUMNS").ok().as_deref(), size.map(|(_, columns)| columns)),
            pager: Pager::resolve(global.no_pager, size.map(|(rows, _)| usize::from(rows))),
            as_of: None,
            cache: !global.no_cache && !is_set(std::env::var_os(NO_CACHE_VARIABLE)),
            by: global.by.clone(),
            dirs: dirs.into(),
            found,
        })
    }

    /// Says under `--verbose` where this run looks: its state directories, and its clock.
    pub fn tell_where(&self) {
        let shown = |path: &Path| crate::render::one_line(&path.display().to_string()).into_owned();
        match self.found {
            Found::Listed => {
                for dir in self.dirs.iter() {
                    verbose!(
                        "State directory: `{}` (`{}`).",
                        shown(&dir.root),
                        crate::render::one_line(&dir.label)
                    );
                }
            }
            found => verbose!("State directory: `{}` ({}).", shown(&self.store.root), found.why()),
        }
        match self.clock {
            Clock::System => verbose!("Clock: the system's."),
            Clock::Fixed(now) => verbose!("Clock: fixed at {} by `{NOW_VARIABLE}`.", now.to_rfc3339()),
            Clock::Date(day) => {
                verbose!("Clock: midnight of {day} in each calendar's zone, by `{NOW_VARIABLE}`.");
            }
        }
    }

    /// Several state directories were given: portfolio commands read them all, and
    /// commands on one project refuse to guess which.
    pub fn is_several(&self) -> bool {
        self.dirs.len() > 1
    }

    /// The state directories of a portfolio over several, labelled; empty with one.
    pub fn dirs(&self) -> &[Dir] {
        &self.dirs
    }

    /// This run in state directory `root` alone: its own store (cache, locks, memo).
    pub fn member(&self, root: &Path) -> Context {
        Context { store: self.store.sibling(root.to_path_buf()), dirs: Arc::from([]), ..self.clone() }
    }

    /// This run as of `--as-of INSTANT`: the clock reads that instant, and projects are
    /// read as they were recorded by then. The future is refused: nothing is recorded
    /// there yet, and a mistyped year should not pass for a forecast.
    pub fn as_of(&self, text: Option<&str>) -> Result<Context> {
        let Some(text) = text else { return Ok(self.clone()) };
        let clock = Clock::parse(text, "`--as-of`")?;
        let (then, now) = (clock.now_in(chrono_tz::UTC), self.clock.now_in(chrono_tz::UTC));
        if then > now {
            return Err(hinted(
                format!(
                    "`--as-of {}` is in the future (now is {})",
                    text.trim(),
                    now.format("%Y-%m-%dT%H:%M:%SZ")
                ),
                "`--as-of` shows the past as it was recorded; for what falls due next, widen `--soon-days`",
            ));
        }
        Ok(Context { clock, as_of: Some(clock), ..self.clone() })
    }

    /// How tables and text are drawn: colour, and the width they fit into.
    pub fn style(&self) -> crate::render::Style {
        crate::render::Style { color: self.color, width: self.width }
    }

    /// Now, in the zone of calendar `id`.
    pub fn now(&self, calendar_id: &str) -> Timestamp {
        Timestamp(self.clock.now_in(zone(calendar_id)))
    }

    /// Who makes a change: `--by` (trimmed; `resolve` refused a blank one), `ONBOARD_USER`,
    /// git's `user.name`, then the system account (`USER`, `USERNAME`). Refused when none
    /// of them says: an event must say who made it, and a made-up name would pass for one.
    /// Only commands that change something ask, so reading commands never spawn git.
    /// Whether `--by` was given: commands that record nothing refuse it rather than
    /// ignore it.
    pub fn is_by_given(&self) -> bool {
        self.by.is_some()
    }

    pub fn actor(&self) -> anyhow::Result<String> {
        let non_empty = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        self.by
            .clone()
            .and_then(non_empty)
            .or_else(|| std::env::var("ONBOARD_USER").ok().and_then(non_empty))
            .or_else(|| git_user_name(&self.store.root).and_then(non_empty))
            .or_else(|| std::env::var("USER").ok().and_then(non_empty))
            .or_else(|| std::env::var("USERNAME").ok().and_then(non_empty))
            .ok_or_else(|| {
                crate::hint::hinted(
                    "cannot tell who makes this change: no `--by`, no `ONBOARD_USER`, no git `user.name` and no system account name",
                    "set `ONBOARD_USER` to your name (or pass `--by NAME`)",
                )
            })
    }
}

/// `--color`, then the conventions of no-color.org and bixense.com/clicolors:
/// `CLICOLOR_FORCE` (not `0`) forces colour, `NO_COLOR` (not empty) or `CLICOLOR=0` turns
/// it off, and otherwise colour goes to a terminal only.
fn wants_color(choice: ColorChoice, stdout_tty: bool, env: impl Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
        ColorChoice::Auto if set("NO_COLOR").is_some() => false,
        ColorChoice::Auto if set("CLICOLOR").is_some_and(|v| v == "0") => false,
        ColorChoice::Auto => stdout_tty,
    }
}

/// A switch set in the environment: any value but empty or `0`.
fn is_set(value: Option<std::ffi::OsString>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "0")
}

/// What a piped `show` wraps to: wide enough for a line and its indentation, narrow
/// enough to read in a review tool or an e-mail.
pub(super) const DEFAULT_WIDTH: usize = 100;

/// `COLUMNS` when it is a positive whole number (the user asked for it, even on a
/// terminal), else the terminal's width, else `DEFAULT_WIDTH`.
fn output_width(columns: Option<&str>, terminal: Option<u16>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .or(terminal.map(usize::from).filter(|&c| c > 0))
        .unwrap_or(DEFAULT_WIDTH)
}

/// The time zone of a calendar id; unknown ids (already refused by validation) fall back to UTC.
pub(super) fn zone(calendar_id: &str) -> Tz {
    calendar::find(calendar_id).map(|c| c.zone).unwrap_or(chrono_tz::UTC)
}

/// `--dir`, else `ONBOARD_DIR`, else the nearest `.onboard/` upwards, else the user data
/// folder; and how it was found.
pub(super) fn find_state_dir(flag: Option<PathBuf>) -> Result<(PathBuf, Found)> {
    if let Some(dir) = flag {
        return Ok((dir, Found::Flag));
    }
    if let Some(dir) = std::env::var_os("ONBOARD_DIR").filter(|v| !v.is_empty()) {
        return Ok((PathBuf::from(dir), Found::Variable));
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    if let Some(found) = nearest(&cwd) {
        return Ok((found, Found::Nearest));
    }
    let dir = per_user_dir()
        .context("cannot find the per-user data folder (no home directory); pass --dir or set ONBOARD_DIR")?;
    Ok((dir, Found::PerUser))
}

/// The per-user data folder, the state directory outside any `.onboard/`
/// (`~/.local/share/onboard` on Linux); `None` without a home directory.
pub(super) fn per_user_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "onboard").map(|dirs| dirs.data_dir().to_path_buf())
}

fn nearest(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|dir| dir.join(STATE_DIR_NAME)).find(|candidate| candidate.is_dir())
}

fn git_user_name(dir: &Path) -> Option<String> {
    let cwd = if dir.is_dir() { dir.to_path_buf() } else { std::env::current_dir().ok()? };
    let output = Command::new("git").args(["config", "user.name"]).current_dir(cwd).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_flag_then_the_environment_then_the_terminal() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
        };
        assert!(wants_color(ColorChoice::Auto, true, env(&[])));
        assert!(!wants_color(ColorChoice::Auto, false, env(&[])));
        assert!(!wants_color(ColorChoice::Auto, true, env(&[("NO_COLOR", "1")])));
        assert!(wants_color(ColorChoice::Auto, true, env(&[("NO_COLOR", "")])), "empty NO_COLOR is unset");
        assert!(!wants_color(ColorChoice::Auto, true, env(&[("CLICOLOR", "0")])));
        assert!(wants_color(ColorChoice::Auto, false, env(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])));
        assert!(!wants_color(ColorChoice::Auto, false, env(&[("CLICOLOR_FORCE", "0")])));
        assert!(wants_color(ColorChoice::Always, false, env(&[("NO_COLOR", "1")])));
        assert!(!wants_color(ColorChoice::Never, true, env(&[("CLICOLOR_FORCE", "1")])));
    }

    #[test]
    fn columns_wins_then_the_terminal_then_100() {
        assert_eq!(output_width(Some("60"), Some(120)), 60);
        assert_eq!(output_width(None, Some(120)), 120);
        assert_eq!(output_width(Some("wide"), Some(120)), 120);
        assert_eq!(output_width(Some("0"), None), DEFAULT_WIDTH);
        assert_eq!(output_width(Some(""), None), DEFAULT_WIDTH);
        assert_eq!(output_width(None, None), 100);
    }

    #[test]
    fn a_switch_is_set_by_any_value_but_empty_or_0() {
        assert!(is_set(Some("1".into())));
        assert!(is_set(Some("yes".into())));
        assert!(!is_set(Some("0".into())));
        assert!(!is_set(Some("".into())));
        assert!(!is_set(None));
    }
}
