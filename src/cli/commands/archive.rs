//! `onboard archive` and `onboard unarchive`: a project that ended leaves the portfolio
//! views, recording who archived it, when, and why if it was abandoned; and comes back.
//! Both are events: no file moves.

use anyhow::Result;

use crate::cli::{Context, runner, target};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::state::change::Change;
use crate::store::Standing;

/// Take a finished project (or, with --reason, an abandoned one) out of the portfolio
///
/// Records an archive event: `status` and `check` no longer list the project, `status
/// --all` does, and `status NAME` and `log NAME` still show it. Every step that applies
/// must be done or skipped, unless `--reason` says why it was abandoned. An archive as
/// finished holds while the project stays finished: work merged in from a branch that
/// reopened a step brings it back to the portfolio.
#[derive(Debug, clap::Args)]
pub struct ArchiveArgs {
    /// The project
    pub project: String,
    /// Why it is archived unfinished (abandoned); kept in the log
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Commit the archive event with git
    #[arg(long)]
    pub commit: bool,
}

/// Bring an archived project back into the portfolio
#[derive(Debug, clap::Args)]
pub struct UnarchiveArgs {
    /// The archived project
    pub project: String,
    /// Why it comes back; kept in the log
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Commit the unarchive event with git
    #[arg(long)]
    pub commit: bool,
}

pub(crate) fn archive(ctx: &Context, args: ArchiveArgs) -> Result<ExitCode> {
    let name = target::project(ctx, Some(args.project))?;
    // Read once to say where it stands; `load` refuses what is neither.
    if ctx.store.read_any(&name).is_ok_and(|(_, standing, _)| standing == Standing::Archived) {
        return Err(hinted(
            format!("project `{name}` is already archived"),
            format!("`onboard status {name}` shows it; `onboard unarchive {name}` brings it back"),
        ));
    }
    let loaded = target::load(ctx, &name)?;
    runner::begin(ctx, &loaded, None, args.commit)?.run(Change::Archive { reason: args.reason })
}

pub(crate) fn unarchive(ctx: &Context, args: UnarchiveArgs) -> Result<ExitCode> {
    let name = target::project(ctx, Some(args.project))?;
    if ctx.store.read_any(&name).is_ok_and(|(_, standing, _)| standing == Standing::Active) {
        return Err(hinted(format!("project `{name}` is not archived"), "`onboard status` lists it"));
    }
    let loaded = target::load_archived(ctx, &name)?;
    runner::begin(ctx, &loaded, None, args.commit)?.run(Change::Unarchive { reason: args.reason })
}
