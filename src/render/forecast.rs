//! `forecast` as text: per project its P50 and P85 end, the odds of ending by each
//! milestone, a table of the open steps and phases with what each forecast is based on,
//! the open time limits with the odds of meeting them, and the critical path; and the
//! lines `report` adds to its Mermaid Gantt chart.

use std::io::{self, Write};

use super::table::{new_table, print, text_row, write_wrapped};
use super::{Instant, Style};
use crate::calendar::Calendar;
use crate::insight::forecast::{Forecast, LimitDue, Spread};
use crate::playbook::Playbook;
use crate::state::schedule::Unit;

/// One project's forecast, with what it takes to show it.
#[derive(Clone, Copy)]
pub(crate) struct Shown<'a> {
    /// The project's name in the portfolio (`repository/name` when names collide).
    pub project: &'a str,
    /// Its state directory's label, with several (`--dir` repeated, `--workspace`).
    pub repository: Option<&'a str>,
    pub playbook: &'a Playbook,
    pub calendar: &'a Calendar,
    pub forecast: &'a Forecast,
}

/// `2026-04-03`, or `2026-04-03 11:00` when `minutes`, in the calendar's zone.
fn when(at: Instant, calendar: &Calendar, minutes: bool) -> String {
    let local = at.with_timezone(&calendar.zone);
    if minutes { local.format("%Y-%m-%d %H:%M").to_string() } else { local.format("%Y-%m-%d").to_string() }
}

/// `met` of `of` as a whole percentage, rounded half up.
pub(crate) fn percent(met: u32, of: u32) -> String {
    if of == 0 {
        return "-".into();
    }
    let (met, of) = (u64::from(met), u64::from(of));
    format!("{}%", (met * 200 + of) / (of * 2))
}

/// Whether a project's forecast counts in minutes anywhere: its dates then show the hour.
fn in_minutes(forecast: &Forecast) -> bool {
    forecast.steps.iter().any(|s| matches!(s.unit, Unit::Minutes | Unit::BusinessMinutes))
}

/// A time limit's due moment: known, or the median of the simulated ones.
fn limit_due(due: LimitDue) -> String {
    match due {
        LimitDue::Fixed(due) => due.short(),
        LimitDue::Simulated(due) => format!("{} (P50)", due.short()),
    }
}

/// `III.2 `configure-production` 85%, …`: the critical path, each step named by `named`.
fn critical(forecast: &Forecast, named: impl Fn(&str) -> String) -> String {
    let steps =
        forecast.critical.iter().map(|c| format!("{} {}", named(&c.id), percent(c.trials, forecast.trials)));
    steps.collect::<Vec<_>>().join(", ")
}

/// Every project's forecast, one block each, a blank line between them.
pub(crate) fn text(out: &mut impl Write, projects: &[Shown<'_>], style: Style) -> io::Result<()> {
    for (n, shown) in projects.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        project(out, shown, style)?;
    }
    Ok(())
}

fn project(out: &mut impl Write, shown: &Shown<'_>, style: Style) -> io::Result<()> {
    let Shown { project, playbook, calendar, forecast, .. } = *shown;
    let minutes = in_minutes(forecast);
    let show = |spread: &Spread| (when(spread.p50, calendar, minutes), when(spread.p85, calendar, minutes));
    let (p50, p85) = show(&forecast.end);
    let name = super::one_line(project);
    let trials = crate::words::count(i64::from(forecast.trials), "trial");
    let id = super::one_line(&playbook.id);
    write_wrapped(out, &format!("{name} ({id}): ends {p50} (P50), {p85} (P85)"), style)?;
    writeln!(out, "  {trials}, seed {}; dates in {}", forecast.seed, calendar.zone)?;
    for m in &forecast.milestones {
        let odds = percent(m.met, forecast.trials);
        writeln!(out, "  Ends by {} ({}): {odds}", super::one_line(&m.name), m.when.short())?;
    }
    let mut table = new_table(style, &["What", "Based on", "P50", "P85"]);
    let mut undecided = false;
    for step in &forecast.steps {
        let mut what = playbook.named(&step.id);
        if step.optional {
            what.push_str(" (optional)");
        }
        if step.undecided {
            what.push_str(" (if it applies)");
            undecided = true;
        }
        let (p50, p85) = show(&step.finish);
        table.add_row(text_row([what, step.source.describe(), p50, p85]));
    }
    for phase in &forecast.phases {
        let (p50, p85) = show(&phase.finish);
        table.add_row(text_row([playbook.named(&phase.id), "its steps".to_string(), p50, p85]));
    }
    print(out, table)?;
    if undecided {
        write_wrapped(
            out,
            "(if it applies): its condition is not decided yet; forecast as if it applies.",
            style,
        )?;
    }
    if !forecast.limits.is_empty() {
        writeln!(out, "Time limits, and the share of trials that meet them:")?;
        let mut table = new_table(style, &["Time limit", "Due", "Met"]);
        for limit in &forecast.limits {
            table.add_row(text_row([
                playbook.named(&limit.id),
                limit_due(limit.due),
                percent(limit.met, limit.of),
            ]));
        }
        print(out, table)?;
    }
    if !forecast.critical.is_empty() {
        write_wrapped(
            out,
            &format!("Critical path: {}", critical(forecast, |id| playbook.named(id))),
            style,
        )?;
    }
    Ok(())
}

/// `report`'s forecast of an open project, under a heading at `level`: its P50 and P85
/// end, the odds of ending by each milestone, of meeting each open time limit, and the
/// critical path.
pub(crate) fn markdown(out: &mut impl Write, shown: &Shown<'_>, level: usize) -> io::Result<()> {
    use super::markup::{name, text};
    let Shown { playbook, calendar, forecast, .. } = *shown;
    // ``III.2 `configure-production` ``, as Markdown: the label as text, the id as code.
    let named = |id: &str| {
        let label = playbook.node(id).map_or_else(String::new, |node| node.label());
        format!("{} {}", text(&label), name(id))
    };
    let minutes = in_minutes(forecast);
    let (p50, p85) = (when(forecast.end.p50, calendar, minutes), when(forecast.end.p85, calendar, minutes));
    writeln!(out, "{} Forecast\n", "#".repeat(level))?;
    let mut line = format!(
        "Ends {p50} (P50), {p85} (P85), over {} (seed {}) drawn from the durations of finished and archived projects",
        crate::words::count(i64::from(forecast.trials), "trial"),
        forecast.seed
    );
    for m in &forecast.milestones {
        line.push_str(&format!(
            " · ends by {} ({}): {}",
            text(&m.name),
            m.when.short(),
            percent(m.met, forecast.trials)
        ));
    }
    writeln!(out, "{line}\n")?;
    if !forecast.limits.is_empty() {
        writeln!(out, "| Time limit | Due | Met |")?;
        writeln!(out, "| --- | --- | --- |")?;
        for limit in &forecast.limits {
            let (due, met) = (limit_due(limit.due), percent(limit.met, limit.of));
            writeln!(out, "| {} | {due} | {met} |", named(&limit.id))?;
        }
        writeln!(out)?;
    }
    if !forecast.critical.is_empty() {
        writeln!(out, "Critical path: {}\n", critical(forecast, named))?;
    }
    Ok(())
}

/// The Gantt chart `chart` (a ```` ```mermaid ```` block) with a `Forecast` section added
/// before its end: the project's P50 and P85 end as milestones, and for each open step a
/// band from its P50 to its P85 finish (one day long when the two are the same, as the
/// chart draws an empty bar).
pub(crate) fn into_chart(chart: String, shown: &Shown<'_>) -> String {
    let Some(body) = chart.strip_suffix("```\n") else { return chart };
    let Shown { playbook, calendar, forecast, .. } = *shown;
    let zone = calendar.zone;
    let minute = |at: Instant| super::minute(at, zone);
    let mut lines = vec!["    section Forecast".to_string()];
    for (n, (name, at)) in
        [("End P50", forecast.end.p50), ("End P85", forecast.end.p85)].into_iter().enumerate()
    {
        lines.push(format!("    {name} :milestone, fe{}, {}, 0d", n + 1, minute(at)));
    }
    for (n, step) in forecast.steps.iter().enumerate() {
        let Some(node) = playbook.node(&step.id) else { continue };
        let name = super::gantt::task_name(&format!("{} {}", node.label(), node.title()));
        let end = if step.finish.p85 > step.finish.p50 {
            step.finish.p85
        } else {
            step.finish.p50 + chrono::Duration::days(1)
        };
        lines.push(format!("    {name} :f{}, {}, {}", n + 1, minute(step.finish.p50), minute(end)));
    }
    format!("{body}{}\n```\n", lines.join("\n"))
}
