//! `stats` as text (tables fitted to the width, stacked below 80 columns) and as
//! Markdown: the same sections, in the same order, with the same words for durations
//! and rates.

use std::io::{self, Write};

use super::markup;
use super::table::{new_table, print, text_row, write_wrapped};
use super::{Style, one_line};
use crate::insight::stats::{Rate, Stats, TOP, Work};
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

/// The one playbook every row is about, when there is one: its column is left out.
fn only_playbook(stats: &Stats) -> Option<&str> {
    let steps = stats.steps.iter().map(|s| &s.work);
    let lost = stats.bottlenecks.iter().map(|b| &b.work);
    let mut every = steps.chain(lost).chain(stats.service_levels.iter().map(|l| &l.work));
    let first = every.next()?.playbook.as_str();
    every.all(|work| work.playbook == first).then_some(first)
}

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

/// How a format writes the cells that hold text from files: a phase or step, a name (a
/// playbook, a role) and other text. The text tables escape every cell themselves.
struct Quoting {
    work: fn(&Work) -> String,
    name: fn(&str) -> String,
    text: fn(&str) -> String,
}

const PLAIN: Quoting =
    Quoting { work: |work| work.named.clone(), name: str::to_string, text: str::to_string };

const MARKDOWN: Quoting = Quoting { work: work_md, name: markup::name, text: markup::text };

/// One table of `stats`: its title, headers and rows, and how many of its first columns
/// name a row (the playbook's, when shown, and the phase or step).
struct Section {
    title: &'static str,
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    lead: usize,
}

/// Every table, in order, for both formats: the cells written as `quoting` says, the
/// playbook's column first in those of phases and steps unless every row is of one.
fn sections(stats: &Stats, quoting: &Quoting) -> [Section; 5] {
    let shown = only_playbook(stats).is_none();
    let lead = if shown { 2 } else { 1 };
    let headers = |rest: &[&'static str]| -> Vec<&'static str> {
        shown.then_some("Playbook").into_iter().chain(rest.iter().copied()).collect()
    };
    let row = |work: &Work, cells: Vec<String>| -> Vec<String> {
        let playbook = shown.then(|| (quoting.name)(&work.playbook));
        playbook.into_iter().chain([(quoting.work)(work)]).chain(cells).collect()
    };
    let steps = stats.steps.iter().map(|s| {
        let waited = s.waited.map(|w| amount_text(w, s.unit)).unwrap_or_default();
        let (median, p85) = (amount_text(s.median, s.unit), amount_text(s.p85 as f64, s.unit));
        let unit = unit_text(s.unit).to_string();
        row(&s.work, vec![s.finished.to_string(), unit, median, p85, waited, rate_text(s.on_time)])
    });
    let roles = stats.roles.iter().map(|r| {
        let counts =
            [r.finished.to_string(), rate_text(r.on_time), r.open.to_string(), r.overdue.to_string()];
        std::iter::once((quoting.name)(&r.role)).chain(counts).collect()
    });
    let months = stats.months.iter().map(|m| {
        let counts = [m.started, m.finished, m.throughput].map(|n| n.to_string());
        std::iter::once(m.month.clone()).chain(counts).chain([rate_text(m.on_time)]).collect()
    });
    let bottlenecks = stats.bottlenecks.iter().map(|b| {
        let median = b.median.map(|(m, unit)| duration_text(m, unit)).unwrap_or_default();
        let lost = duration_text(b.lost, Unit::BusinessDays);
        row(&b.work, vec![lost, b.late.to_string(), b.overdue.to_string(), median])
    });
    let levels = stats
        .service_levels
        .iter()
        .map(|l| row(&l.work, vec![(quoting.text)(&values_text(&l.level)), rate_text(l.met)]));
    [
        Section {
            title: "Phases and steps",
            headers: headers(&["Phase or step", "Finished", "Unit", "Median", "P85", "Waiting", "On time"]),
            rows: steps.collect(),
            lead,
        },
        Section {
            title: "Roles",
            headers: vec!["Role", "Finished", "On time", "Open now", "Overdue now"],
            rows: roles.collect(),
            lead: 1,
        },
        Section {
            title: "Months",
            headers: vec!["Month", "Started", "Finished", "Steps finished", "On time"],
            rows: months.collect(),
            lead: 1,
        },
        Section {
            title: "Bottlenecks",
            headers: headers(&["Phase or step", "Time lost", "Late", "Overdue now", "Median"]),
            rows: bottlenecks.collect(),
            lead,
        },
        Section {
            title: "Service levels",
            headers: headers(&["Phase or step", "Values", "On time"]),
            rows: levels.collect(),
            lead,
        },
    ]
}

/// Every section as tables; no service levels without any.
pub(crate) fn text(out: &mut impl Write, stats: &Stats, style: Style) -> io::Result<()> {
    write_wrapped(out, &one_line(&summary(stats)), style)?;
    for section in sections(stats, &PLAIN) {
        match (section.title, section.rows.is_empty()) {
            ("Bottlenecks", true) => {
                writeln!(out, "\nBottlenecks: no time lost to lateness.")?;
                continue;
            }
            ("Bottlenecks", false) => {
                writeln!(out, "\nBottlenecks (at most {TOP}, by business days lost to lateness):")?;
            }
            ("Service levels", true) => continue,
            (title, _) => writeln!(out, "\n{title}:")?,
        }
        let mut table = new_table(style, &section.headers).named_by(section.lead, ": ");
        for row in section.rows {
            table.add_row(text_row(row));
        }
        print(out, table)?;
    }
    Ok(())
}

/// `III.2 `configure-production``: the label as text, the id as code.
fn work_md(work: &Work) -> String {
    if work.label == work.id {
        markup::name(&work.id)
    } else {
        format!("{} {}", markup::text(&work.label), markup::name(&work.id))
    }
}

/// Every section as Markdown, for a pull request or a wiki page.
pub(crate) fn markdown(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    writeln!(out, "# Statistics\n")?;
    if stats.is_empty() {
        return writeln!(out, "{EMPTY}");
    }
    writeln!(out, "{}", markup::text(&summary(stats)))?;
    for section in sections(stats, &MARKDOWN) {
        match (section.title, section.rows.is_empty()) {
            ("Bottlenecks", true) => {
                writeln!(out, "\n## Bottlenecks\n\nNo time lost to lateness.")?;
                continue;
            }
            ("Bottlenecks", false) => {
                writeln!(out, "\n## Bottlenecks\n\nAt most {TOP}, by business days lost to lateness.\n")?;
            }
            ("Service levels", true) => continue,
            (title, _) => writeln!(out, "\n## {title}\n")?,
        }
        // One Markdown table: its header, its rule, its rows (cells already escaped).
        writeln!(out, "| {} |", section.headers.join(" | "))?;
        writeln!(out, "|{}", " --- |".repeat(section.headers.len()))?;
        for row in section.rows {
            writeln!(out, "| {} |", row.join(" | "))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::stats::{Bottleneck, StepStats};

    /// A phase or step of `playbook`, named `ask` in text, labelled `label`.
    fn work(playbook: &str, label: &str) -> Work {
        let (id, named, title) = ("ask".into(), "`ask`".into(), String::new());
        Work { playbook: playbook.into(), rank: 0, id, label: label.into(), named, title }
    }

    /// A step of `work` finished once, in 2 business days.
    fn step(work: Work, waited: Option<f64>) -> StepStats {
        let (finished, median, p85, on_time) = (1, 2.0, 2, Rate::default());
        StepStats { work, unit: Unit::BusinessDays, finished, median, p85, on_time, waited }
    }

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
        let steps = vec![step(work("a", "*1*"), Some(0.0)), step(work("b", "ask"), Some(0.0))];
        let stats = Stats { projects: 2, steps, ..Stats::default() };
        let mut out = Vec::new();
        markdown(&mut out, &stats).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("| `a` | \\*1\\* `ask` | 1 | business days | 2 | 2 | 0 |  |\n"), "{text}");
        assert!(text.contains("| `b` | `ask` | 1 |"), "{text}");
        assert!(text.contains("2 phases and steps finished in 2 projects. Median"), "{text}");
    }

    #[test]
    fn the_playbook_column_stays_when_a_bottleneck_is_another_playbooks() {
        let late = Bottleneck { work: work("b", "ask"), lost: 1.5, late: 0, overdue: 1, median: None };
        let mut stats = Stats { projects: 2, steps: vec![step(work("a", "ask"), None)], ..Stats::default() };
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
