//! The SVG Gantt chart of a project page, hand-written: `plan.rs`'s bars on a time line,
//! a row per bar under a row per phase, the milestones as diamonds, and a line at now.
//! Each bar carries `data-step` (or `data-phase`) and a `<title>` with its dates, and the
//! chart a `<title>` and `<desc>`; the page's tables give every date as text. A forecast
//! draws a band from the P50 to the P85 finish of each open step, on its bar's row or on
//! a row of its own, and of the project's end under the milestones.

use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use chrono_tz::Tz;
use maud::{Markup, html};

use super::{BAR, ROW, WIDTH, coordinate, cut, minute, text};
use crate::render::milestones::Milestone;
use crate::render::plan::{Bar, Plan};
use crate::render::{Instant, ProjectView};

/// The label column on the left.
const LABELS: f64 = 300.0;
const RIGHT: f64 = 16.0;
/// The axis's band at the top.
const AXIS: f64 = 28.0;
/// Labels longer than this are cut with `…` (SVG text does not wrap); the title has it whole.
const LABEL_LIMIT: usize = 44;

/// A forecast band: when an open step (or, with the id `end`, the project) will be
/// finished, from its P50 to its P85.
#[derive(Debug, Clone)]
pub(crate) struct Band {
    pub id: String,
    /// `3.2.1 Send the documentation`, `End of the project`: unescaped.
    pub label: String,
    /// The index of its phase's section in the plan; `None` for the project's end.
    pub section: Option<usize>,
    pub p50: Instant,
    pub p85: Instant,
}

/// One row of the chart, top to bottom.
enum Row<'p> {
    Heading(&'p str),
    Mark(&'p Milestone),
    Bar(&'p Bar, Option<&'p Band>),
    /// A band on a row of its own: the end, or a step with no bar yet.
    Band(&'p Band),
}

/// The time line: where an instant falls across the chart.
struct Scale {
    from: Instant,
    to: Instant,
}

impl Scale {
    fn x(&self, at: Instant) -> f64 {
        let span = (self.to - self.from).num_seconds().max(1) as f64;
        LABELS + (at - self.from).num_seconds() as f64 / span * (WIDTH - LABELS - RIGHT)
    }
}

/// The chart of `plan`, `marks` and the forecast's `bands` with a line at `now`, or `None`
/// when nothing is dated.
pub(super) fn chart(
    view: &ProjectView<'_>,
    plan: &Plan,
    marks: &[Milestone],
    bands: &[Band],
    now: Instant,
) -> Option<Markup> {
    let calendar = view.calendar;
    let rows = rows(plan, marks, bands);
    if rows.is_empty() {
        return None;
    }
    let instants =
        plan.bars().flat_map(|b| [b.start, b.end]).chain(marks.iter().map(|m| m.when.start(calendar)));
    let instants: Vec<Instant> =
        instants.chain(bands.iter().flat_map(|b| [b.p50, b.p85])).chain([now]).collect();
    let from = *instants.iter().min()?;
    let to = (*instants.iter().max()?).max(from + Duration::days(1));
    let scale = Scale { from, to };
    let height = AXIS + ROW * rows.len() as f64 + 8.0;
    let zone = calendar.zone;
    let bars = plan.bars().count();
    let description = format!(
        "{} from {} to {}; now is {}.",
        crate::words::count(bars as i64, "bar"),
        minute(from, zone),
        minute(to, zone),
        minute(now, zone)
    );
    let now_x = scale.x(now);
    Some(html! {
        svg.gantt-chart xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (coordinate(height)) }
            role="img" aria-labelledby="gantt-title gantt-desc" {
            title #gantt-title { "Gantt chart of " (text(&view.file.project)) }
            desc #gantt-desc { (description) }
            (axis(&scale, zone, height))
            @for (n, row) in rows.iter().enumerate() {
                (row_markup(row, AXIS + ROW * n as f64, &scale, view))
            }
            g.today {
                line x1=(coordinate(now_x)) x2=(coordinate(now_x)) y1=(coordinate(AXIS - 6.0)) y2=(coordinate(height)) {}
                text x=(coordinate(now_x + 3.0)) y=(coordinate(AXIS - 8.0)) { "now" }
            }
        }
    })
}

/// The rows: the milestones and the project's end, then each phase with a bar or a band:
/// its bars (each with its step's band), then the bands of its steps with no bar.
fn rows<'p>(plan: &'p Plan, marks: &'p [Milestone], bands: &'p [Band]) -> Vec<Row<'p>> {
    let mut rows: Vec<Row<'p>> = marks.iter().map(Row::Mark).collect();
    rows.extend(bands.iter().filter(|b| b.section.is_none()).map(Row::Band));
    if !rows.is_empty() {
        rows.insert(0, Row::Heading("Milestones"));
    }
    for (index, section) in plan.sections.iter().enumerate() {
        let band = |id: &str| bands.iter().find(|b| b.section == Some(index) && b.id == id);
        let alone: Vec<&Band> = bands
            .iter()
            .filter(|b| {
                b.section == Some(index) && !section.bars.iter().any(|bar| !bar.is_phase && bar.id == b.id)
            })
            .collect();
        if section.bars.is_empty() && alone.is_empty() {
            continue;
        }
        rows.push(Row::Heading(&section.title));
        rows.extend(section.bars.iter().map(|bar| Row::Bar(bar, band(&bar.id).filter(|_| !bar.is_phase))));
        rows.extend(alone.into_iter().map(Row::Band));
    }
    rows
}

fn row_markup(row: &Row<'_>, top: f64, scale: &Scale, view: &ProjectView<'_>) -> Markup {
    let middle = top + ROW / 2.0;
    let zone = view.calendar.zone;
    match row {
        Row::Heading(title) => html! {
            text.heading x="4" y=(coordinate(middle + 4.0)) { (cut(title, LABEL_LIMIT)) }
        },
        Row::Mark(mark) => {
            let x = scale.x(mark.when.start(view.calendar));
            let (t, b, l, r) = (middle - 6.0, middle + 6.0, x - 6.0, x + 6.0);
            html! {
                g.milestone data-milestone=(mark.name) {
                    title { (text(&mark.name)) ": " (mark.when.short()) }
                    text.label x="12" y=(coordinate(middle + 4.0)) { (cut(&mark.name, LABEL_LIMIT)) }
                    polygon points={
                        (coordinate(x)) "," (coordinate(t)) " " (coordinate(r)) "," (coordinate(middle)) " "
                        (coordinate(x)) "," (coordinate(b)) " " (coordinate(l)) "," (coordinate(middle))
                    } {}
                }
            }
        }
        Row::Bar(bar, band) => {
            let (x, end) = (scale.x(bar.start), scale.x(bar.end));
            let (_, class, state) = bar.look.names();
            html! {
                g class={ "bar " (class) }
                    data-step=[(!bar.is_phase).then_some(&bar.id)] data-phase=[bar.is_phase.then_some(&bar.id)] {
                    title { (text(&bar.label)) ": " (minute(bar.start, zone)) " to " (minute(bar.end, zone)) ", " (state) }
                    text.label x="12" y=(coordinate(middle + 4.0)) { (cut(&bar.label, LABEL_LIMIT)) }
                    rect x=(coordinate(x)) y=(coordinate(middle - BAR / 2.0)) width=(coordinate((end - x).max(2.0)))
                        height=(BAR) rx="2" {}
                }
                @if let Some(band) = band { (band_markup(band, middle, scale, zone, false)) }
            }
        }
        Row::Band(band) => band_markup(band, middle, scale, zone, true),
    }
}

/// A forecast band, thinner than a bar and drawn over it; `labelled` on a row of its own.
fn band_markup(band: &Band, middle: f64, scale: &Scale, zone: Tz, labelled: bool) -> Markup {
    let (x, end) = (scale.x(band.p50), scale.x(band.p85));
    html! {
        g.forecast data-forecast=(band.id) {
            title {
                (text(&band.label)) ": forecast to finish by " (minute(band.p50, zone)) " (P50) and by "
                (minute(band.p85, zone)) " (P85)"
            }
            @if labelled {
                text.label x="12" y=(coordinate(middle + 4.0)) { (cut(&band.label, LABEL_LIMIT)) }
            }
            rect x=(coordinate(x)) y=(coordinate(middle - BAR / 4.0)) width=(coordinate((end - x).max(6.0)))
                height=(BAR / 2.0) rx="2" {}
        }
    }
}

/// The axis: a tick and a date at each step of a span that suits the chart's length.
fn axis(scale: &Scale, zone: Tz, height: f64) -> Markup {
    let ticks = ticks(scale.from, scale.to, zone);
    html! {
        g.axis {
            @for (at, label) in &ticks {
                @let x = scale.x(*at);
                line x1=(coordinate(x)) x2=(coordinate(x)) y1=(coordinate(AXIS - 2.0)) y2=(coordinate(height)) {}
                // A label that would run past the right edge ends at its tick instead.
                @if x > WIDTH - 60.0 {
                    text x=(coordinate(x - 2.0)) y="14" text-anchor="end" { (label) }
                } @else {
                    text x=(coordinate(x + 2.0)) y="14" { (label) }
                }
            }
        }
    }
}

/// At most about ten ticks: hours on a chart of a few days, days or weeks on one of
/// months, months beyond.
fn ticks(from: Instant, to: Instant, zone: Tz) -> Vec<(Instant, String)> {
    let span = to - from;
    let local = |date: NaiveDate, hour: u32| {
        zone.from_local_datetime(&date.and_hms_opt(hour, 0, 0)?).earliest().map(|at| at.fixed_offset())
    };
    let start = from.with_timezone(&zone).date_naive();
    let mut found = Vec::new();
    if span <= Duration::days(3) {
        let step = [1, 2, 3, 6, 12, 24].into_iter().find(|h| span.num_hours() / h <= 10).unwrap_or(24);
        for hour in (0..24 * 5).step_by(step as usize) {
            let date = start + Duration::days(hour / 24);
            found
                .extend(local(date, (hour % 24) as u32).map(|at| (at, at.format("%d %b %H:%M").to_string())));
        }
    } else if span <= Duration::days(140) {
        let step = [1, 2, 7, 14].into_iter().find(|d| span.num_days() / d <= 10).unwrap_or(14);
        // Weeks start on Mondays.
        let first = if step >= 7 {
            start - Duration::days(start.weekday().num_days_from_monday().into())
        } else {
            start
        };
        let days = span.num_days() + step + 7;
        for n in (0..days).step_by(step as usize) {
            found.extend(local(first + Duration::days(n), 0).map(|at| (at, at.format("%d %b").to_string())));
        }
    } else {
        let months = span.num_days() / 30 + 2;
        let step = [1, 2, 3, 6, 12].into_iter().find(|m| months / m <= 10).unwrap_or(12);
        let mut month = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
        for _ in 0..=months / step {
            found.extend(local(month, 0).map(|at| (at, at.format("%b %Y").to_string())));
            month = month.checked_add_months(chrono::Months::new(step as u32)).unwrap_or(month);
        }
    }
    found.retain(|(at, _)| *at >= from && *at <= to);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Instant {
        Instant::parse_from_rfc3339(text).unwrap()
    }

    fn labels(from: &str, to: &str) -> Vec<String> {
        ticks(at(from), at(to), chrono_tz::Europe::Zurich).into_iter().map(|(_, label)| label).collect()
    }

    #[test]
    fn ticks_suit_the_span_hours_then_weeks_on_mondays_then_months() {
        let hours: Vec<String> = (9..=17).map(|hour| format!("02 Mar {hour:02}:00")).collect();
        assert_eq!(labels("2026-03-02T09:00:00+01:00", "2026-03-02T17:30:00+01:00"), hours);
        assert_eq!(
            labels("2026-03-04T09:00:00+01:00", "2026-04-08T00:00:00+02:00"),
            ["09 Mar", "16 Mar", "23 Mar", "30 Mar", "06 Apr"]
        );
        assert_eq!(
            labels("2026-01-15T09:00:00+01:00", "2026-12-20T00:00:00+01:00"),
            ["Mar 2026", "May 2026", "Jul 2026", "Sep 2026", "Nov 2026"]
        );
    }

    #[test]
    fn long_labels_are_cut_and_control_characters_shown() {
        assert_eq!(cut("3 Send\nthe file", LABEL_LIMIT), "3 Send\\nthe file");
        let long = "9 No later than one week before milestone J, CSVN imports the data";
        assert_eq!(cut(long, LABEL_LIMIT), "9 No later than one week before milestone J…");
    }
}
