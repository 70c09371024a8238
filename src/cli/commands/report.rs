//! `onboard report`: a Markdown report for a pull request, a wiki or a mail: one project,
//! or the portfolio, most urgent first, each with its Gantt chart and its phases.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cli::output_file::write_output;
use crate::cli::target;
use crate::cli::{Context, SoonArgs};
use crate::clock::Clock;
use crate::error::ExitCode;
use crate::insight::forecast::{self, Samples, Settings};
use crate::render::forecast::Shown;
use crate::render::markdown::{self, ProjectReport};
use crate::state::loaded::Project;
use crate::state::progress::Detail;
use crate::state::schedule::Thresholds;
use crate::state::standing::Standing;

/// Write a Markdown report: phases, due dates and a Gantt chart, per project
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The projects [default: every project; with several, a portfolio, most urgent first]
    pub projects: Vec<String>,
    /// Write the report to this file instead of stdout: a regular file, replaced atomically,
    /// its folder created if missing (a folder, a link or a device is refused)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With every project, archived ones too
    #[arg(long, conflicts_with = "projects")]
    pub all: bool,
    #[command(flatten)]
    pub soon: SoonArgs,
}

pub(crate) fn run(ctx: &Context, args: ReportArgs) -> Result<ExitCode> {
    let names = selection(ctx, &args.projects)?;
    let archived_only = args.all && !ctx.store.archived_names()?.is_empty();
    if names.is_empty() && !archived_only {
        // There is nothing to report: say so, and how to start, as `status` does.
        target::project(ctx, None)?;
    }
    let thresholds = args.soon.thresholds();
    let samples = super::forecast::history(ctx)?;
    let render = |loaded: &Project, level| render(ctx, loaded, &samples, thresholds, level);
    if let ([only], false) = (names.as_slice(), args.all) {
        let loaded = target::load(ctx, only)?;
        let report = render(&loaded, 1)?;
        target::warn_uncovered(&loaded.calendar);
        emit(args.output.as_deref(), &report.section, "report of 1 project")?;
        return Ok(ExitCode::Success);
    }
    let (reports, mut unreadable) = target::each_project(ctx, &names, |loaded| render(loaded, 2));
    let mut reports = reports.into_iter().collect::<Result<Vec<_>>>()?;
    if args.all {
        // Archived projects are read in turn, as `status --all` reads them.
        for name in ctx.store.archived_names()? {
            match target::load_archived(ctx, &name) {
                Ok(loaded) => reports.push(render(&loaded, 2)?),
                Err(error) => unreadable.push(target::Unreadable::of(ctx, &name, error)),
            }
        }
    }
    let errors: Vec<(String, String)> =
        unreadable.iter().map(|u| (u.name.clone(), crate::hint::message(&u.error))).collect();
    let what = format!("report of {}", crate::words::count(reports.len() as i64, "project"));
    let mut text = Vec::new();
    markdown::portfolio(&mut text, &as_of(ctx.clock), reports, &errors)?;
    emit(args.output.as_deref(), &String::from_utf8(text)?, &what)?;
    target::report_unreadable(&unreadable)
}

/// The projects a report or a calendar covers: those named (each once, checked), or
/// every project. `report` and `ical` both choose here, so that a flag widening the
/// portfolio (archived projects, say) is one line.
pub(crate) fn selection(ctx: &Context, named: &[String]) -> Result<Vec<String>> {
    if named.is_empty() { ctx.store.project_names() } else { target::project_names_of(ctx, named) }
}

/// One project's Markdown, its heading at `level` (a report of one project says when it
/// was judged; a portfolio says it once), and its row of the portfolio table.
/// An open project's forecast comes with it (`forecast`'s defaults: its seed and trials).
fn render(
    ctx: &Context,
    loaded: &Project,
    samples: &Samples,
    thresholds: Thresholds,
    level: usize,
) -> Result<ProjectReport> {
    let Standing { progress: view, schedule } = loaded.standing_now(ctx, thresholds, Detail::Full);
    let project = loaded.view(&view, &schedule);
    let now = ctx.now(loaded.file.calendar()).0;
    let local = now.with_timezone(&loaded.calendar.zone);
    let as_of = format!("{} ({})", local.format("%Y-%m-%d %H:%M"), loaded.calendar.zone.name());
    let forecast = (!loaded.archived)
        .then(|| {
            let (playbook, calendar) = (&loaded.playbook, &loaded.calendar);
            forecast::forecast(
                &loaded.name,
                playbook,
                &loaded.file,
                calendar,
                samples,
                now,
                Settings::default(),
            )
        })
        .flatten();
    let shown = forecast.as_ref().map(|forecast| Shown {
        project: &loaded.name,
        repository: None,
        playbook: &loaded.playbook,
        calendar: &loaded.calendar,
        forecast,
    });
    let mut out = Vec::new();
    markdown::project(&mut out, &project, level, (level == 1).then_some(as_of.as_str()), shown.as_ref())?;
    Ok(ProjectReport { summary: markdown::summary(&project, now), section: String::from_utf8(out)? })
}

/// When a portfolio is judged: the instant `ONBOARD_NOW` gives, midnight of its date in
/// each project's zone, or the system's now in UTC.
pub(crate) fn as_of(clock: Clock) -> String {
    match clock {
        Clock::Date(date) => format!("{date} (midnight in each project's calendar zone)"),
        Clock::Fixed(_) | Clock::System => {
            clock.now_in(chrono_tz::UTC).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        }
    }
}

/// Writes `text` to stdout, or to the regular file `output` (`write_output`) with a line
/// on stderr.
pub(crate) fn emit(output: Option<&Path>, text: &str, what: &str) -> Result<()> {
    match output {
        Some(path) => {
            write_output(path, text.as_bytes(), "leave out --output to print to stdout")?;
            say!("Wrote the {what} to `{}`.", path.display());
        }
        None => {
            let mut out = crate::cli::ui::stdout();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(())
}
