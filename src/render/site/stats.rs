//! The site's statistics page: the portfolio's history (`insight::stats`) as inline SVG
//! charts, hand-written: the on-time rate per month, the cycle time of each step (median
//! and P85) and the bottlenecks. Each chart has a `<title>` and `<desc>` and is followed
//! by its data as a table; the words and rounding are `stats`' own (`render::stats`).

use maud::{Markup, html};

use super::{BAR, Depth, Frame, ROW, WIDTH, coordinate, cut, head, page, text};
use crate::insight::stats::{Bottleneck, MonthStats, Stats, StepStats, Work};
use crate::render::stats::{EMPTY, amount_text, duration_text, rate_text, unit_text};
use crate::state::schedule::Unit;
use crate::words;

const LABELS: f64 = 340.0;
/// Room on the right for the value written after each bar.
const VALUES: f64 = 170.0;
/// Labels longer than this are cut with `…` (the table has them whole).
const LABEL_LIMIT: usize = 48;

/// One bar of a horizontal bar chart: its label, its length (0 to the chart's maximum),
/// a second, lighter length behind it (a P85 behind a median), and the value in words.
struct Row {
    label: String,
    value: f64,
    behind: Option<f64>,
    text: String,
}

/// The statistics page.
pub(crate) fn stats(frame: Frame<'_>, stats: &Stats) -> String {
    let finished: usize = stats.steps.iter().map(|s| s.finished).sum();
    let body = html! {
        h1 { "Statistics" }
        p {
            (words::count(stats.projects as i64, "project")) " read, archived ones included; phases and steps finished: " (finished) ". "
            "Durations run from when work became ready to when it was done, in the unit its time limit counts."
        }
        @if stats.is_empty() {
            p { (EMPTY) }
        } @else {
            (months(&stats.months))
            @for unit in units(&stats.steps) {
                (cycle_times(&stats.steps, unit))
            }
            (bottlenecks(&stats.bottlenecks))
        }
    };
    page(frame, Depth::Root, "Statistics", false, body)
}

/// The on-time rate per month, and the month's counts.
fn months(months: &[MonthStats]) -> Markup {
    let rows: Vec<Row> = months
        .iter()
        .map(|m| Row {
            label: m.month.clone(),
            value: m.on_time.rate().map_or(0.0, |r| r * 100.0),
            behind: None,
            text: match rate_text(m.on_time) {
                rate if rate.is_empty() => "no time limit".into(),
                rate => rate,
            },
        })
        .collect();
    let desc = "The share of the phases and steps finished each month that met their time limit.";
    html! {
        section #months aria-labelledby="months-title" {
            h2 #months-title { "On time, per month" }
            (chart("months", "On-time rate per month", desc, &rows, 100.0))
            div.scroll {
                table.cards {
                    caption { "Per month" }
                    (head(&["Month", "Started", "Finished", "Steps finished", "On time"]))
                    tbody {
                        @for m in months {
                            tr {
                                th scope="row" { (m.month) }
                                td data-label="Started" { (m.started) }
                                td data-label="Finished" { (m.finished) }
                                td data-label="Steps finished" { (m.throughput) }
                                td data-label="On time" { (rate_text(m.on_time)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The units the steps' durations count in, in `Unit`'s order, each once.
fn units(steps: &[StepStats]) -> Vec<Unit> {
    let order = [Unit::BusinessDays, Unit::Days, Unit::BusinessMinutes, Unit::Minutes];
    order.into_iter().filter(|unit| steps.iter().any(|s| s.unit == *unit)).collect()
}

/// The cycle time of each step counted in `unit`: the median as a bar, the P85 behind it.
fn cycle_times(steps: &[StepStats], unit: Unit) -> Markup {
    let steps: Vec<&StepStats> = steps.iter().filter(|s| s.unit == unit).collect();
    let amount = |value: f64| amount_text(value, unit).parse::<f64>().unwrap_or(value);
    let rows: Vec<Row> = steps
        .iter()
        .map(|s| Row {
            label: work_label(&s.work),
            value: amount(s.median),
            behind: Some(amount(s.p85 as f64)),
            text: format!("median {} · P85 {}", amount_text(s.median, unit), amount_text(s.p85 as f64, unit)),
        })
        .collect();
    let max = rows.iter().filter_map(|r| r.behind).fold(0.0, f64::max);
    let id = format!("cycle-{}", unit.key());
    let title = format!("Cycle time per step, in {}", unit_text(unit));
    let desc = format!(
        "For each step, the median time from ready to done as a bar and the 85th percentile behind it, in {}.",
        unit_text(unit)
    );
    html! {
        section aria-labelledby={ (id) "-title" } {
            h2 id={ (id) "-title" } { (title) }
            (chart(&id, &title, &desc, &rows, max))
            div.scroll {
                table.cards {
                    caption { "Cycle time per step, in " (unit_text(unit)) }
                    (head(&["Step", "Finished", "Median", "P85", "Waited (median)", "On time"]))
                    tbody {
                        @for s in &steps {
                            tr {
                                th scope="row" { (text(&work_label(&s.work))) }
                                td data-label="Finished" { (s.finished) }
                                td data-label="Median" { (duration_text(s.median, unit)) }
                                td data-label="P85" { (duration_text(s.p85 as f64, unit)) }
                                td data-label="Waited (median)" { @if let Some(w) = s.waited { (duration_text(w, unit)) } }
                                td data-label="On time" { (rate_text(s.on_time)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The work that lost the most time to lateness.
fn bottlenecks(bottlenecks: &[Bottleneck]) -> Markup {
    let rows: Vec<Row> = bottlenecks
        .iter()
        .map(|b| Row {
            label: work_label(&b.work),
            value: b.lost,
            behind: None,
            text: duration_text(b.lost, Unit::BusinessDays),
        })
        .collect();
    let max = rows.iter().map(|r| r.value).fold(0.0, f64::max);
    let desc = "The phases and steps whose late finishes and open overdue work lost the most business days.";
    html! {
        section #bottlenecks aria-labelledby="bottlenecks-title" {
            h2 #bottlenecks-title { "Bottlenecks" }
            @if bottlenecks.is_empty() {
                p { "Nothing finished late, and nothing open is overdue." }
            } @else {
                (chart("bottlenecks", "Business days lost to lateness", desc, &rows, max))
                div.scroll {
                    table.cards {
                        caption { "Bottlenecks, most time lost first" }
                        (head(&["Work", "Time lost", "Finished late", "Overdue now"]))
                        tbody {
                            @for b in bottlenecks {
                                tr {
                                    th scope="row" { (text(&work_label(&b.work))) }
                                    td data-label="Time lost" { (duration_text(b.lost, Unit::BusinessDays)) }
                                    td data-label="Finished late" { (b.late) }
                                    td data-label="Overdue now" { (b.overdue) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `data-import · 9 Pre-production import`.
fn work_label(work: &Work) -> String {
    format!("{} · {} {}", work.playbook, work.label, work.title)
}

/// A horizontal bar chart of `rows` on a scale from 0 to `max`.
fn chart(id: &str, title: &str, desc: &str, rows: &[Row], max: f64) -> Markup {
    let height = ROW * rows.len() as f64 + 8.0;
    let span = WIDTH - LABELS - VALUES;
    let x = |value: f64| if max > 0.0 { value / max * span } else { 0.0 };
    html! {
        figure.chart {
            div.scroll {
                svg.bar-chart xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (coordinate(height)) }
                    role="img" aria-labelledby={ (id) "-chart-title " (id) "-chart-desc" } {
                    title id={ (id) "-chart-title" } { (title) }
                    desc id={ (id) "-chart-desc" } { (desc) " The table below gives every value." }
                    @for (n, row) in rows.iter().enumerate() {
                        @let middle = ROW * n as f64 + ROW / 2.0 + 4.0;
                        g.row {
                            title { (text(&row.label)) ": " (row.text) }
                            text.label x="4" y=(coordinate(middle + 4.0)) { (cut(&row.label, LABEL_LIMIT)) }
                            @if let Some(behind) = row.behind.filter(|b| *b > 0.0) {
                                rect.behind x=(LABELS) y=(coordinate(middle - BAR / 2.0)) width=(coordinate(x(behind).max(1.0)))
                                    height=(BAR) {}
                            }
                            @if row.value > 0.0 {
                                rect.value x=(LABELS) y=(coordinate(middle - BAR / 2.0)) width=(coordinate(x(row.value).max(1.0)))
                                    height=(BAR) {}
                            }
                            text.value x=(coordinate(LABELS + x(row.behind.unwrap_or(row.value).max(row.value)) + 6.0))
                                y=(coordinate(middle + 4.0)) { (row.text) }
                        }
                    }
                }
            }
        }
    }
}
