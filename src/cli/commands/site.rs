//! `onboard site --output DIR`: the static dashboard, a folder of pages that a forge's
//! pages, any web server or a browser opening the files from disk can show: the
//! portfolio, a page per project, a calendar of due dates. Each file is written whole
//! (`write_output`); a project that cannot be read is listed on the index and makes the
//! exit code 2, after every other page is written.

use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use crate::cli::members::{Named, Portfolio};
use crate::cli::output_file::write_output;
use crate::cli::target;
use crate::cli::{Context, SoonArgs};
use crate::error::ExitCode;
use crate::render::site::{self, Frame, ProjectPage};
use crate::state::loaded::Project;
use crate::state::progress;
use crate::state::schedule::Thresholds;

/// Write a static dashboard: the portfolio, a page per project, a calendar
#[derive(Debug, clap::Args)]
#[command(after_long_help = "Examples:
  onboard site --output public        the portfolio, its projects and their calendar
  onboard site --output public --all  archived projects too")]
pub struct SiteArgs {
    /// The folder to write the pages into, created if missing; its files of the same
    /// names are replaced, each atomically (a link or a device in their place is refused)
    #[arg(long, short, value_name = "DIR")]
    pub output: PathBuf,
    /// Archived projects too, marked as archived
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub soon: SoonArgs,
}

pub fn run(ctx: &Context, args: SiteArgs) -> Result<ExitCode> {
    let as_of = super::report::as_of(ctx.clock);
    let frame = Frame { as_of: &as_of, stats: false };
    let (pages, unreadable) = read(ctx, frame, args.all, args.soon.thresholds())?;
    let errors: Vec<(String, String)> =
        unreadable.iter().map(|u| (u.name.clone(), crate::hint::message(&u.error))).collect();
    // The calendar's first month: the clock's date (in UTC: projects in several zones
    // share the page).
    let today = ctx.clock.now_in(chrono_tz::UTC).date_naive();
    let mut files: Vec<(PathBuf, String)> = vec![
        ("index.html".into(), site::portfolio(frame, &pages, &errors)),
        ("calendar.html".into(), site::calendar(frame, today, &pages)),
    ];
    let pages_written = files.len() + pages.len();
    files.extend(
        pages
            .into_iter()
            .map(|page| (Path::new("projects").join(site::page_name(&page.summary.project)), page.html)),
    );
    files.push(("style.css".into(), site::STYLE.to_string()));
    files.push(("filter.js".into(), site::SCRIPT.to_string()));
    write(&args.output, &files)?;
    say!(
        "Wrote {} to `{}`; open `{}`.",
        crate::words::count(pages_written as i64, "page"),
        args.output.display(),
        args.output.join("index.html").display()
    );
    target::report_unreadable(&unreadable)?;
    Ok(if unreadable.is_empty() { ExitCode::Success } else { ExitCode::Error })
}

/// Every project's page (with `all`, archived ones too) over every state directory of
/// the run, and the projects that could not be read.
fn read(
    ctx: &Context,
    frame: Frame<'_>,
    all: bool,
    thresholds: Thresholds,
) -> Result<(Vec<ProjectPage>, Vec<target::Unreadable>)> {
    let work = |named: &Named, loaded: &Project| render(ctx, frame, named, loaded, thresholds);
    if all {
        // The portfolio and the archive, both in parallel.
        return Ok(Portfolio::with_archived(ctx)?.each_project_with_archived(work));
    }
    let mut pages = Vec::new();
    let mut unreadable = Vec::new();
    for result in Portfolio::list(ctx)?.each_project(work) {
        match result {
            Ok(page) => pages.push(page),
            Err(bad) => unreadable.push(bad),
        }
    }
    Ok((pages, unreadable))
}

/// Writes each file under `dir`, in parallel: each is synced to disk before its rename,
/// and with hundreds of projects the syncs, not the rendering, take the time. The first
/// failure in the files' order is the one reported, whatever the threads did.
fn write(dir: &Path, files: &[(PathBuf, String)]) -> Result<()> {
    let written: Vec<Result<()>> = files
        .par_iter()
        .map(|(path, text)| {
            write_output(&dir.join(path), text.as_bytes(), "name another folder with --output")
        })
        .collect();
    written.into_iter().collect()
}

/// One project's page, rendered while its files are loaded, under its name in the
/// portfolio (`repository/name` where names collide across state directories).
fn render(
    ctx: &Context,
    frame: Frame<'_>,
    named: &Named,
    loaded: &Project,
    thresholds: Thresholds,
) -> ProjectPage {
    let mut view = progress::compute(&loaded.playbook, &loaded.file);
    let schedule = loaded.schedule(ctx, &mut view, thresholds);
    let now = ctx.now(loaded.file.calendar()).0;
    let mut page =
        site::project(frame, &named.name, &loaded.view(&view, &schedule), &[], now, loaded.archived);
    page.repository = named.repository();
    page
}
