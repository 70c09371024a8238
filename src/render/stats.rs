//! `stats` as text (tables fitted to the width, stacked below 80 columns) and as
//! Markdown: the same sections, in the same order, with the same words for durations
//! and rates.

use std::io::{self, Write};

use super::markup;
use super::table::{new_table, print, text_row, write_wrapped};
use super::{Style, one_line};
use crate::insight::stats::{Bottleneck, Rate, Stats, StepStats, TOP, Work};
use crate::state::schedule::Unit;
use crate::words;

/// What `stats` says when nothing was finished.
pub(crate) const EMPTY: &str = "No finished work yet: statistics need at least one finished step.";

/// `86 % (12 of 14)`; empty when nothing had a time limit. A rate is never rounded to
/// 100 % while something was late, nor to 0 % while something was on time.
pub(crate) fn rate_text(rate: Rate) -> String {
    let Some(share) = rate.rate() else { return String::new() };
    let percent = match (share * 100.0).round() as usize {
        100 if rate.met < rate.of => 99,
        0 if rate.met > 0 => 1,
        percent => percent,
    };
    format!("{percent} % ({} of {})", rate.met, rate.of)
}

/// A number as short as it reads: `4`, `2.5`, `0.33`.
fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// What a duration counts, minutes shown as hours: `business days`, `hours`.
pub(crate) fn unit_text(unit: Unit) -> &'static str {
    match unit {
        Unit::BusinessDays => "business days",
        Unit::Days => "days",
        Unit::BusinessMinutes => "business hours",
        Unit::Minutes => "hours",
    }
}

/// A duration as a number of `unit_text` (hours for minutes): `4`, `2.5`.
pub(crate) fn amount_text(value: f64, unit: Unit) -> String {
    match unit {
        Unit::BusinessDays | Unit::Days => number(value),
        Unit::BusinessMinutes | Unit::Minutes => number(value / 60.0),
    }
}

/// A duration with its unit: `4 business days`, `2.5 business hours`, `1 day`.
pub(crate) fn duration_text(value: f64, unit: Unit) -> String {
    let (amount, unit) = (amount_text(value, unit), unit_text(unit));
    match amount.as_str() {
        "1" => format!("1 {}", unit.trim_end_matches('s')),
        _ => format!("{amount} {unit}"),
    }
}

/// `4.5 business days`.
fn lost_text(days: f64) -> String {
    duration_text(days, Unit::BusinessDays)
}

/// The one playbook every row is about, when there is one: its column is left out.
fn only_playbook(stats: &Stats) -> Option<&str> {
    let steps = stats.steps.iter().map(|s| &s.work);
    let lost = stats.bottlenecks.iter().map(|b| &b.work);
    let mut every = steps.chain(lost).chain(stats.service_levels.iter().map(|l| &l.work));
    let first = every.next()?.playbook.as_str();
    every.all(|work| work.playbook == first).then_some(first)
}

/// A row's cells, its playbook's first unless the tables leave that column out.
fn with_playbook(shown: bool, work: &Work, cells: impl IntoIterator<Item = String>) -> Vec<String> {
    let playbook = shown.then(|| work.playbook.clone());
    playbook.into_iter().chain(cells).collect()
}

/// The headers, `Playbook` first unless left out.
fn headers<'h>(shown: bool, rest: &[&'h str]) -> Vec<&'h str> {
    shown.then_some("Playbook").into_iter().chain(rest.iter().copied()).collect()
}

/// A phase's or step's durations, as the steps table shows them.
fn step_cells(s: &StepStats, named: String) -> [String; 7] {
    [
        named,
        s.finished.to_string(),
        unit_text(s.unit).to_string(),
        amount_text(s.median, s.unit),
        amount_text(s.p85 as f64, s.unit),
        s.waited.map(|w| amount_text(w, s.unit)).unwrap_or_default(),
        rate_text(s.on_time),
    ]
}

const STEP_HEADERS: [&str; 7] = ["Phase or step", "Finished", "Unit", "Median", "P85", "Waiting", "On time"];

/// `var=value, var=value`.
fn values_text(level: &[(String, String)]) -> String {
    level.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join(", ")
}

/// The first line: how much history the numbers come from.
fn summary(stats: &Stats) -> String {
    let finished: usize = stats.steps.iter().map(|s| s.finished).sum();
    let what = if finished == 1 { "phase or step" } else { "phases and steps" };
    let of = only_playbook(stats).map(|id| format!(" of playbook {id}")).unwrap_or_default();
    format!(
        "{finished} {what} finished in {}{of}. Median and P85: from ready to done; waiting: from the phase's start to ready (medians).",
        words::count(stats.projects as i64, "project")
    )
}

/// Every section as tables.
pub(crate) fn text(out: &mut impl Write, stats: &Stats, style: Style) -> io::Result<()> {
    let shown = only_playbook(stats).is_none();
    let lead = if shown { 2 } else { 1 };
    write_wrapped(out, &one_line(&summary(stats)), style)?;
    writeln!(out, "\nPhases and steps:")?;
    let mut table = new_table(style, &headers(shown, &STEP_HEADERS)).named_by(lead, ": ");
    for s in &stats.steps {
        table.add_row(text_row(with_playbook(shown, &s.work, step_cells(s, s.work.named.clone()))));
    }
    print(out, table)?;
    writeln!(out, "\nRoles:")?;
    let mut table = new_table(style, &["Role", "Finished", "On time", "Open now", "Overdue now"]);
    for r in &stats.roles {
        table.add_row(text_row([
            r.role.clone(),
            r.finished.to_string(),
            rate_text(r.on_time),
            r.open.to_string(),
            r.overdue.to_string(),
        ]));
    }
    print(out, table)?;
    writeln!(out, "\nMonths:")?;
    let mut table = new_table(style, &["Month", "Started", "Finished", "Steps finished", "On time"]);
    for m in &stats.months {
        table.add_row(text_row([
            m.month.clone(),
            m.started.to_string(),
            m.finished.to_string(),
            m.throughput.to_string(),
            rate_text(m.on_time),
        ]));
    }
    print(out, table)?;
    bottlenecks_text(out, stats, style)?;
    levels_text(out, stats, style)
}

/// The bottleneck's cells after its name.
fn bottleneck_cells(b: &Bottleneck) -> [String; 4] {
    [
        lost_text(b.lost),
        b.late.to_string(),
        b.overdue.to_string(),
        b.median.map(|(m, unit)| duration_text(m, unit)).unwrap_or_default(),
    ]
}

const BOTTLENECK_HEADERS: [&str; 5] = ["Phase or step", "Time lost", "Late", "Overdue now", "Median"];

fn bottlenecks_text(out: &mut impl Write, stats: &Stats, style: Style) -> io::Result<()> {
    if stats.bottlenecks.is_empty() {
        return writeln!(out, "\nBottlenecks: no time lost to lateness.");
    }
    let shown = only_playbook(stats).is_none();
    writeln!(out, "\nBottlenecks (at most {TOP}, by business days lost to lateness):")?;
    let mut table =
        new_table(style, &headers(shown, &BOTTLENECK_HEADERS)).named_by(if shown { 2 } else { 1 }, ": ");
    for b in &stats.bottlenecks {
        let cells = std::iter::once(b.work.named.clone()).chain(bottleneck_cells(b));
        table.add_row(text_row(with_playbook(shown, &b.work, cells)));
    }
    print(out, table)
}

fn levels_text(out: &mut impl Write, stats: &Stats, style: Style) -> io::Result<()> {
    if stats.service_levels.is_empty() {
        return Ok(());
    }
    let shown = only_playbook(stats).is_none();
    writeln!(out, "\nService levels:")?;
    let mut table = new_table(style, &headers(shown, &["Phase or step", "Values", "On time"]))
        .named_by(if shown { 2 } else { 1 }, ": ");
    for l in &stats.service_levels {
        let cells = [l.work.named.clone(), values_text(&l.level), rate_text(l.met)];
        table.add_row(text_row(with_playbook(shown, &l.work, cells)));
    }
    print(out, table)
}

/// `III.2 `configure-production``: the label as text, the id as code.
fn work_md(work: &Work) -> String {
    if work.label == work.id {
        markup::name(&work.id)
    } else {
        format!("{} {}", markup::text(&work.label), markup::name(&work.id))
    }
}

/// One Markdown table: its header, its rule, its rows (cells already escaped).
fn md_table(
    out: &mut impl Write,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> io::Result<()> {
    writeln!(out, "| {} |", headers.join(" | "))?;
    writeln!(out, "|{}", " --- |".repeat(headers.len()))?;
    for row in rows {
        writeln!(out, "| {} |", row.join(" | "))?;
    }
    Ok(())
}

/// Every section as Markdown, for a pull request or a wiki page.
pub(crate) fn markdown(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    writeln!(out, "# Statistics\n")?;
    if stats.is_empty() {
        return writeln!(out, "{EMPTY}");
    }
    let shown = only_playbook(stats).is_none();
    let playbook = |work: &Work| markup::name(&work.playbook);
    writeln!(out, "{}\n", markup::text(&summary(stats)))?;
    writeln!(out, "## Phases and steps\n")?;
    md_table(
        out,
        &headers(shown, &STEP_HEADERS),
        stats.steps.iter().map(|s| {
            let cells = step_cells(s, work_md(&s.work));
            shown.then(|| playbook(&s.work)).into_iter().chain(cells).collect()
        }),
    )?;
    writeln!(out, "\n## Roles\n")?;
    md_table(
        out,
        &["Role", "Finished", "On time", "Open now", "Overdue now"],
        stats.roles.iter().map(|r| {
            let counts =
                [r.finished.to_string(), rate_text(r.on_time), r.open.to_string(), r.overdue.to_string()];
            std::iter::once(markup::name(&r.role)).chain(counts).collect()
        }),
    )?;
    writeln!(out, "\n## Months\n")?;
    md_table(
        out,
        &["Month", "Started", "Finished", "Steps finished", "On time"],
        stats.months.iter().map(|m| {
            vec![
                m.month.clone(),
                m.started.to_string(),
                m.finished.to_string(),
                m.throughput.to_string(),
                rate_text(m.on_time),
            ]
        }),
    )?;
    writeln!(out, "\n## Bottlenecks\n")?;
    if stats.bottlenecks.is_empty() {
        writeln!(out, "No time lost to lateness.")?;
    } else {
        writeln!(out, "At most {TOP}, by business days lost to lateness.\n")?;
        md_table(
            out,
            &headers(shown, &BOTTLENECK_HEADERS),
            stats.bottlenecks.iter().map(|b| {
                let cells = std::iter::once(work_md(&b.work)).chain(bottleneck_cells(b));
                shown.then(|| playbook(&b.work)).into_iter().chain(cells).collect()
            }),
        )?;
    }
    if !stats.service_levels.is_empty() {
        writeln!(out, "\n## Service levels\n")?;
        md_table(
            out,
            &headers(shown, &["Phase or step", "Values", "On time"]),
            stats.service_levels.iter().map(|l| {
                let cells = [work_md(&l.work), markup::text(&values_text(&l.level)), rate_text(l.met)];
                shown.then(|| playbook(&l.work)).into_iter().chain(cells).collect()
            }),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_percent_and_counts_and_never_round_to_all_or_nothing() {
        assert_eq!(rate_text(Rate { met: 12, of: 14 }), "86 % (12 of 14)");
        assert_eq!(rate_text(Rate { met: 0, of: 0 }), "");
        assert_eq!(rate_text(Rate { met: 199, of: 200 }), "99 % (199 of 200)");
        assert_eq!(rate_text(Rate { met: 1, of: 300 }), "1 % (1 of 300)");
        assert_eq!(rate_text(Rate { met: 3, of: 3 }), "100 % (3 of 3)");
    }

    #[test]
    fn markdown_escapes_what_playbooks_write_and_names_the_playbook_when_there_are_several() {
        use crate::insight::stats::StepStats;
        let step = |playbook: &str, label: &str| StepStats {
            work: Work {
                playbook: playbook.into(),
                rank: 0,
                id: "ask".into(),
                label: label.into(),
                named: String::new(),
                title: String::new(),
            },
            unit: Unit::BusinessDays,
            finished: 1,
            median: 2.0,
            p85: 2,
            on_time: Rate::default(),
            waited: Some(0.0),
        };
        let stats =
            Stats { projects: 2, steps: vec![step("a", "*1*"), step("b", "ask")], ..Stats::default() };
        let mut out = Vec::new();
        markdown(&mut out, &stats).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("| `a` | \\*1\\* `ask` | 1 | business days | 2 | 2 | 0 |  |\n"), "{text}");
        assert!(text.contains("| `b` | `ask` | 1 |"), "{text}");
        assert!(text.contains("2 phases and steps finished in 2 projects. Median"), "{text}");
    }

    #[test]
    fn the_playbook_column_stays_when_a_bottleneck_is_another_playbooks() {
        let work = |playbook: &str| Work {
            playbook: playbook.into(),
            rank: 0,
            id: "ask".into(),
            label: "ask".into(),
            named: "`ask`".into(),
            title: String::new(),
        };
        let step = StepStats {
            work: work("a"),
            unit: Unit::BusinessDays,
            finished: 1,
            median: 2.0,
            p85: 2,
            on_time: Rate::default(),
            waited: None,
        };
        let late = Bottleneck { work: work("b"), lost: 1.5, late: 0, overdue: 1, median: None };
        let mut stats = Stats { projects: 2, steps: vec![step], ..Stats::default() };
        assert_eq!(only_playbook(&stats), Some("a"));
        stats.bottlenecks.push(late);
        assert_eq!(only_playbook(&stats), None);
        let mut out = Vec::new();
        text(&mut out, &stats, Style { color: false, width: 100 }).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\n b          `ask`           1.5 business days   0      1\n"), "{text}");
    }

    #[test]
    fn durations_read_in_their_unit_with_hours_for_minutes() {
        assert_eq!(duration_text(4.0, Unit::BusinessDays), "4 business days");
        assert_eq!(duration_text(1.0, Unit::BusinessDays), "1 business day");
        assert_eq!(duration_text(2.5, Unit::Days), "2.5 days");
        assert_eq!(duration_text(150.0, Unit::BusinessMinutes), "2.5 business hours");
        assert_eq!(duration_text(60.0, Unit::BusinessMinutes), "1 business hour");
        assert_eq!(duration_text(20.0, Unit::Minutes), "0.33 hours");
        assert_eq!(duration_text(0.0, Unit::BusinessDays), "0 business days");
    }
}
