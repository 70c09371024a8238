//! `onboard site --output DIR`: the static dashboard, a folder of pages that a forge's
//! pages, any web server or a browser opening the files from disk can show: the
//! portfolio, a page per project (with its forecast), a calendar of due dates and the
//! statistics of the whole history. Each file is written whole
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
use crate::insight::forecast::{self, Samples, Settings};
use crate::insight::history::spans;
use crate::insight::stats::{Sample, Stats, Window};
use crate::render::site::{self, Frame, ProjectPage};
use crate::state::loaded::Project;
use crate::state::progress::Detail;
use crate::state::schedule::Thresholds;
use crate::state::standing::Standing;

/// Write a static dashboard: the portfolio, a page per project, a calendar, statistics
#[derive(Debug, clap::Args)]
#[command(after_long_help = "Examples:
  onboard site --output public        the portfolio, its projects, their calendar and statistics
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

pub(crate) fn run(ctx: &Context, args: SiteArgs) -> Result<ExitCode> {
    let as_of = super::report::as_of(ctx.clock);
    let frame = Frame { as_of: &as_of, stats: true };
    let (samples, stats) = history(ctx)?;
    // Every project's page over every state directory of the run (with `--all`, the
    // archive's too, both in parallel), and apart the projects that could not be read.
    let thresholds = args.soon.thresholds();
    let work = |named: &Named, loaded: &Project| render(ctx, frame, named, loaded, &samples, thresholds);
    let (pages, unreadable) = Portfolio::list(ctx, args.all)?.each_project(args.all, work);
    let errors: Vec<(String, String)> =
        unreadable.iter().map(|u| (u.name.clone(), crate::hint::message(&u.error))).collect();
    // The calendar's first month: the clock's date (in UTC: projects in several zones
    // share the page).
    let today = ctx.clock.now_in(chrono_tz::UTC).date_naive();
    let mut files: Vec<(PathBuf, String)> = vec![
        ("index.html".into(), site::portfolio(frame, &pages, &errors)),
        ("calendar.html".into(), site::calendar(frame, today, &pages)),
        ("stats.html".into(), site::stats(frame, &stats)),
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
    target::report_unreadable(&unreadable)
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

/// What the whole history (every state directory's portfolio and archive) teaches, in
/// one read: the durations forecasts draw from, and the statistics. A project that
/// cannot be read teaches nothing here; the pages' read reports it.
fn history(ctx: &Context) -> Result<(Samples, Stats)> {
    let (read, _) = Portfolio::list(ctx, true)?.each_project(true, |_, loaded: &Project| {
        let now = ctx.now(loaded.file.calendar()).0;
        let (playbook, file, calendar) = (&loaded.playbook, &loaded.file, &loaded.calendar);
        let learned = Samples::of_project(playbook, file, calendar, loaded.archived, now);
        let judged = loaded.standing_now(ctx, Thresholds::default(), Detail::Statuses);
        let spans = spans(&judged, calendar);
        let sample = Sample::of(playbook, file.started_at().0, &judged, &spans, calendar, Window::default());
        (learned, sample)
    });
    let mut samples = Samples::default();
    let mut stats = Vec::with_capacity(read.len());
    for (learned, sample) in read {
        samples.merge(learned);
        stats.push(sample);
    }
    samples.finish();
    Ok((samples, Stats::of(&stats)))
}

/// One project's page, rendered while its files are loaded, under its name in the
/// portfolio (`repository/name` where names collide across state directories).
fn render(
    ctx: &Context,
    frame: Frame<'_>,
    named: &Named,
    loaded: &Project,
    samples: &Samples,
    thresholds: Thresholds,
) -> ProjectPage {
    let Standing { progress: view, schedule } = loaded.standing_now(ctx, thresholds, Detail::Full);
    let now = ctx.now(loaded.file.calendar()).0;
    let view = loaded.view(&view, &schedule);
    // An open project's forecast, with `forecast`'s defaults (its seed and trials).
    let forecast = (!loaded.archived)
        .then(|| {
            let (playbook, file, calendar) = (&loaded.playbook, &loaded.file, &loaded.calendar);
            forecast::forecast(&named.name, playbook, file, calendar, samples, now, Settings::default())
        })
        .flatten();
    let bands = forecast.as_ref().map(|f| site::bands(&view, f)).unwrap_or_default();
    let mut page = site::project(frame, &named.name, &view, &bands, now, loaded.archived);
    page.repository = named.repository();
    page
}
