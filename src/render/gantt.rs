//! The Mermaid Gantt chart of a project's plan, for Markdown reports: a section per
//! phase, a bar per dated step (and per phase with a time limit of its own), and the
//! dates the project's variables hold (J) as milestones. The bars are `plan.rs`'s, which
//! the site's SVG chart draws too; this file only words them as Mermaid reads them.
//! Times are the project calendar's, whatever the reader's zone.

use chrono::Duration;

use super::milestones::milestones;
use super::plan::plan;
use super::{Instant, ProjectView, minute, shortened};

/// Longer names make the chart's label column crowd out its bars.
const NAME_LIMIT: usize = 48;

/// The ```` ```mermaid ```` block of a project's plan, or `None` when nothing is dated yet.
pub(crate) fn chart(view: &ProjectView<'_>) -> Option<String> {
    let plan = plan(view);
    let marks = milestones(view.playbook, view.progress);
    if marks.is_empty() && plan.bars().next().is_none() {
        return None;
    }
    let zone = view.calendar.zone;
    let instants = plan.bars().flat_map(|b| [b.start, b.end]);
    let instants: Vec<Instant> = instants.chain(marks.iter().map(|m| m.when.start(view.calendar))).collect();
    let span = instants.iter().max().copied().zip(instants.iter().min().copied()).map(|(a, b)| a - b);
    // Hours matter on a chart of a few days (a support request); dates, on one of months.
    let axis = if span.is_some_and(|s| s < Duration::days(3)) { "%d %b %H:%M" } else { "%d %b" };
    let mut lines = vec![
        "```mermaid".to_string(),
        "gantt".to_string(),
        "    dateFormat YYYY-MM-DD HH:mm".to_string(),
        format!("    axisFormat {axis}"),
        // The reader's today is not the report's now (`ONBOARD_NOW`, or when CI ran it).
        "    todayMarker off".to_string(),
    ];
    if !marks.is_empty() {
        lines.push("    section Milestones".to_string());
        for (n, mark) in marks.iter().enumerate() {
            let at = minute(mark.when.start(view.calendar), zone);
            lines.push(format!("    {} :milestone, m{}, {at}, 0d", task_name(&mark.name), n + 1));
        }
    }
    let mut id = 0;
    for section in plan.sections.iter().filter(|s| !s.bars.is_empty()) {
        lines.push(format!("    section {}", mermaid_text(&section.title)));
        for bar in &section.bars {
            id += 1;
            let (start, end) = (minute(bar.start, zone), minute(bar.end, zone));
            lines.push(format!("    {} :{}t{id}, {start}, {end}", task_name(&bar.label), bar.look.names().0));
        }
    }
    lines.push("```".to_string());
    Some(lines.join("\n") + "\n")
}

/// A task's name as Mermaid reads it: see `mermaid_text`, and never a line that Mermaid
/// would take for one of its keywords.
pub(super) fn task_name(text: &str) -> String {
    let text = mermaid_text(text);
    let lower = text.to_lowercase();
    let starts_like_a_date = text.len() >= 10
        && text
            .bytes()
            .take(10)
            .enumerate()
            .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if starts_like_a_date || KEYWORDS.iter().any(|k| lower.starts_with(k)) {
        format!("· {text}")
    } else {
        text
    }
}

/// What Mermaid's Gantt lexer reads first on a line (case-insensitively).
const KEYWORDS: [&str; 19] = [
    "gantt",
    "dateformat",
    "inclusiveenddates",
    "topaxis",
    "axisformat",
    "tickinterval",
    "includes",
    "excludes",
    "todaymarker",
    "weekday",
    "weekend",
    "title",
    "accdescr",
    "acctitle",
    "section",
    "click",
    "call",
    "href",
    "vert",
];

/// Text Mermaid can hold in a task or section name: `:` ends a name, `#` and `%` start
/// comments, `;` ends a statement and a backtick would close the Markdown fence, so they
/// become spaces; control characters and line breaks too, and `<` and `>`, which a
/// renderer that takes labels as HTML would read as a tag. Long names are cut with `…`.
fn mermaid_text(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if matches!(c, ':' | ';' | '#' | '%' | '`' | '<' | '>') || c.is_control() { ' ' } else { c })
        .collect();
    shortened(&cleaned.split_whitespace().collect::<Vec<_>>().join(" "), NAME_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_what_mermaid_reads_as_syntax() {
        assert_eq!(mermaid_text("J : CSVN imports; #1 at 100%"), "J CSVN imports 1 at 100");
        assert_eq!(mermaid_text("a\nb\u{1b}c `code`"), "a b c code");
        assert_eq!(mermaid_text("Data <img src=x onerror=alert(1)>"), "Data img src=x onerror=alert(1)");
        assert_eq!(
            mermaid_text("No later than two weeks before milestone J, the project leader creates"),
            "No later than two weeks before milestone J, the…"
        );
    }

    #[test]
    fn names_never_start_like_a_keyword_or_a_date() {
        assert_eq!(task_name("gantt-review Check the chart"), "· gantt-review Check the chart");
        assert_eq!(task_name("Section 4 of the contract"), "· Section 4 of the contract");
        assert_eq!(task_name("2026-04-01 cut-over"), "· 2026-04-01 cut-over");
        assert_eq!(task_name("3.2.1 Send the documentation"), "3.2.1 Send the documentation");
    }
}
