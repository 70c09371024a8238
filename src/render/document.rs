//! `onboard show`: a playbook laid out as its source document reads, so a reviewer can
//! audit one against the other. Everything the playbook says is printed (assumptions,
//! descriptions, roles, variables, owners, fields, order, conditions, time limits), each
//! description with its own lines, wrapped to the output width.
//!
//! Indented text rather than tables: a table squeezes a description into a narrow column
//! and loses its headings and bullets; here prose gets the whole width, and a step's
//! number stands out on the left with its body hanging under it, as in the document.

use std::io::{self, Write};

use textwrap::core::display_width;

use super::table::text_cell;
use super::wrap;
use super::{Style, one_line, printable};
use crate::playbook::model::Default;
use crate::playbook::rule::{Deadline, Rule, ServiceLevel, Span, Unit, Within};
use crate::playbook::value::ValueKind;
use crate::playbook::{Phase, Playbook, Step, Variable};

/// The lines of the page, wrapped to `width` as they are added.
struct Page {
    lines: Vec<String>,
    width: usize,
    style: Style,
}

/// Every line enters the page through these methods, which show the escapes of the
/// playbook's text (`printable`) rather than send them: the one place `show` makes text
/// from a file safe. A line break in a title or a note stays, hanging under its item,
/// so it cannot pass for an item of its own.
impl Page {
    fn blank(&mut self) {
        self.lines.push(String::new());
    }

    fn block(&mut self, text: &str, indent: usize) {
        self.lines.extend(wrap::block(&printable(text), indent, self.width));
    }

    fn note(&mut self, text: &str, indent: usize) {
        self.lines.extend(wrap::note(&printable(text), indent, self.width));
    }

    fn hanging(&mut self, lead: &str, text: &str, indent: usize) {
        self.lines.extend(wrap::hanging(&printable(lead), &printable(text), indent, self.width));
    }

    /// A heading, bold on a colour terminal. Bold is added after wrapping: escape codes
    /// take no columns.
    fn heading(&mut self, text: &str, indent: usize) {
        for line in wrap::note(&printable(text), indent, self.width) {
            self.lines.push(if self.style.color { format!("\x1b[1m{line}\x1b[0m") } else { line });
        }
    }
}

/// A playbook as a reviewer reads it, `width` columns wide.
pub(crate) fn show(out: &mut impl Write, playbook: &Playbook, width: usize, style: Style) -> io::Result<()> {
    let mut page = Page { lines: Vec::new(), width, style };
    header(&mut page, playbook);
    service_levels(&mut page, playbook);
    for phase in &playbook.phases {
        page.blank();
        phase_section(&mut page, playbook, phase);
    }
    for line in &page.lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Title, source, assumptions, description, roles and variables.
fn header(page: &mut Page, playbook: &Playbook) {
    page.heading(&format!("{} ({})", playbook.title, playbook.id), 0);
    let mut about: Vec<String> = Vec::new();
    about.extend(playbook.source.as_ref().map(|s| format!("source {s}")));
    about.extend(playbook.language.as_ref().map(|l| format!("language {l}")));
    about.push(format!("calendar {}", playbook.calendar));
    about.extend(playbook.business_hours.map(|(o, c)| {
        let assumed = if playbook.hours_assumed { " (assumed)" } else { "" };
        format!("hours {}{assumed}", crate::calendar::hours_text((o, c)))
    }));
    page.note(&about.join(", "), 0);
    if !playbook.assumptions.is_empty() {
        page.blank();
        page.heading("assumptions:", 0);
        for assumption in &playbook.assumptions {
            page.hanging("- ", assumption, 2);
        }
    }
    if let Some(description) = &playbook.description {
        page.blank();
        page.block(description, 0);
    }
    if !playbook.roles.is_empty() {
        page.blank();
        page.heading("roles:", 0);
        for role in &playbook.roles {
            page.note(&role.name.as_ref().map_or(role.id.clone(), |n| format!("{} ({n})", role.id)), 2);
            described(page, role.description.as_deref(), 4);
        }
    }
    if !playbook.variables.is_empty() {
        page.blank();
        page.heading("variables:", 0);
        for variable in &playbook.variables {
            page.note(&variable_head(variable), 2);
            described(page, variable.description.as_deref(), 4);
        }
    }
}

fn described(page: &mut Page, description: Option<&str>, indent: usize) {
    if let Some(description) = description {
        page.block(description, indent);
    }
}

/// `J (date, required)`, `service (choice: business | 6x24 | 7x24, default business)`.
fn variable_head(variable: &Variable) -> String {
    let mut about = vec![match &variable.kind {
        ValueKind::Choice(choices) => format!("choice: {}", choices.join(" | ")),
        kind => kind.name().to_string(),
    }];
    if variable.required {
        about.push("required".into());
    }
    match &variable.default {
        Some(Default::Value(value)) => about.push(format!("default {value}")),
        Some(Default::Now) => about.push("default now".into()),
        None => {}
    }
    format!("{} ({})", variable.name, about.join(", "))
}

/// A phase's heading and notes at the margin, then its steps, one paragraph each.
fn phase_section(page: &mut Page, playbook: &Playbook, phase: &Phase) {
    let heading = match &phase.number {
        Some(number) => format!("{number} {} [{}]", phase.title, phase.id),
        None => format!("{} [{}]", phase.title, phase.id),
    };
    page.heading(&heading, 0);
    if !phase.owners.is_empty() {
        page.note(&format!("owner: {}", phase.owners.join(", ")), 2);
    }
    described(page, phase.description.as_deref(), 2);
    if !phase.after.is_empty() {
        page.note(&format!("after: {}", labels(playbook, &phase.after)), 2);
    }
    if let Some(when) = &phase.when {
        page.note(&format!("only when: {when}"), 2);
    }
    if phase.parallel {
        page.note("order: parallel (each step waits only for the phase to start)", 2);
    }
    if let Some(deadline) = &phase.deadline {
        page.note(&deadline_text(deadline), 2);
    }
    for step in &phase.steps {
        page.blank();
        step_section(page, playbook, phase, step);
    }
}

/// `3.2.3 Title [id]` with everything else hanging under the title; a step without a
/// number is a `- ` bullet.
fn step_section(page: &mut Page, playbook: &Playbook, phase: &Phase, step: &Step) {
    let lead = step.number.as_ref().map_or("- ".to_string(), |n| format!("{n} "));
    let body = 2 + display_width(&printable(&lead));
    page.hanging(&lead, &format!("{} [{}]", step.title, step.id), 2);
    page.note(&format!("owner: {}", step.owners.join(", ")), body);
    described(page, step.description.as_deref(), body);
    for field in &step.fields {
        page.note(&format!("records {}", variable_head(field)), body);
        described(page, field.description.as_deref(), body + 2);
    }
    for note in step_notes(playbook, phase, step) {
        page.note(&note, body);
    }
}

/// Order, condition, kind and time limit: `after` only where it differs from the
/// default (the previous step of a sequence), which would otherwise repeat on every step.
fn step_notes(playbook: &Playbook, phase: &Phase, step: &Step) -> Vec<String> {
    let mut notes = Vec::new();
    let implied = phase.steps.iter().position(|s| s.id == step.id).and_then(|i| i.checked_sub(1));
    let default_after =
        implied.filter(|_| !phase.parallel).map(|i| vec![phase.steps[i].id.clone()]).unwrap_or_default();
    if step.after != default_after {
        notes.push(format!(
            "after: {}",
            if step.after.is_empty() { "phase start".into() } else { labels(playbook, &step.after) }
        ));
    }
    if let Some(when) = &step.when {
        notes.push(format!("only when: {when}"));
    }
    if step.optional {
        notes.push("optional".into());
    }
    if step.repeatable {
        notes.push("repeatable".into());
    }
    if let Some(role) = &step.signoff {
        notes.push(format!("sign-off: {role}"));
    }
    if let Some(rule) = &step.not_before {
        let words = rule.text.as_ref().map(|t| format!(" («{t}»)")).unwrap_or_default();
        notes.push(format!("not before {}{words}", rule.rule.earliest_text()));
    }
    if let Some(deadline) = &step.deadline {
        notes.push(deadline_text(deadline));
    }
    notes
}

fn deadline_text(deadline: &Deadline) -> String {
    match &deadline.text {
        Some(text) => format!("due {} («{text}»)", deadline.rule),
        None => format!("due {}", deadline.rule),
    }
}

/// Prerequisites as the document names them: `3.2.1`, `phase II`.
fn labels(playbook: &Playbook, ids: &[String]) -> String {
    ids.iter().map(|id| playbook.label(id)).collect::<Vec<_>>().join(", ")
}

/// A step whose time limit is counted from an event (`within … from …`).
struct Timed<'a> {
    step: &'a Step,
    within: &'a Within,
    /// The variable holding the service level, when the rule names one.
    service: Option<&'a String>,
    from: String,
}

/// The document's table of time limits, when a playbook has one: every step whose time
/// limit is counted from an event, with one row per value of the variables that choose
/// it (`within: {by, table}`), and one column per service level when the project's
/// service level decides what hours and days count. Shown only when some limit depends
/// on a table or a service level: elsewhere each step's own line says it all.
fn service_levels(page: &mut Page, playbook: &Playbook) {
    let timed: Vec<Timed<'_>> = playbook
        .steps()
        .filter_map(|(_, step)| match &step.deadline.as_ref()?.rule {
            Rule::Window { within, from, service } => {
                Some(Timed { step, within, service: service.as_ref(), from: from.to_string() })
            }
            Rule::Milestone { .. } => None,
        })
        .collect();
    let service = timed.iter().find_map(|t| t.service);
    if service.is_none() && !timed.iter().any(|t| matches!(t.within, Within::Table { .. })) {
        return;
    }
    page.blank();
    page.heading("service levels:", 0);
    if let Some(variable) = service {
        page.block(
            &format!(
                "Counted as the project's service level `{variable}` says: business counts business hours \
                 on business days, 6x24 every hour from Monday to Saturday, 7x24 every hour. A limit \
                 the document writes in business time is business time on every service."
            ),
            2,
        );
        page.blank();
    }
    let levels: Vec<Option<ServiceLevel>> = match service {
        Some(_) => ServiceLevel::ALL.map(Some).to_vec(),
        None => vec![None],
    };
    let mut printed = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = super::table::print(&mut printed, levels_table(page, playbook, &timed, &levels));
    page.lines.extend(String::from_utf8_lossy(&printed).lines().map(str::to_string));
}

/// One row per span: the step (with its condition and anchor) on its first row, the
/// values that choose the span, and the span as each service level counts it.
fn levels_table(
    page: &Page,
    playbook: &Playbook,
    timed: &[Timed<'_>],
    levels: &[Option<ServiceLevel>],
) -> super::grid::Grid {
    let mut keys: Vec<&String> = Vec::new();
    for t in timed {
        if let Within::Table { by, .. } = t.within {
            keys.extend(by.iter().filter(|name| !keys.contains(name)).collect::<Vec<_>>());
        }
    }
    let mut headers: Vec<String> = vec!["Step".into()];
    headers.extend(keys.iter().map(|key| (*key).clone()));
    headers.extend(levels.iter().map(|level| level.map_or("Within".to_string(), |l| l.name().to_string())));
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut table = super::table::new_table(Style { width: page.width, ..page.style }, &headers);
    for t in timed {
        for (i, (values, span)) in time_table(playbook, t.within).into_iter().enumerate() {
            // The step, its condition and its anchor stack in the first cell, so the
            // spans get the width: one cell line each, escapes shown.
            let mut about = Vec::new();
            if i == 0 {
                about.push(t.step.label().to_string());
                about.extend(t.step.when.as_ref().map(|when| format!("if {when}")));
                about.push(format!("from {}", t.from));
            }
            let mut row = vec![super::grid::Cell::new(
                about.iter().map(|line| one_line(line)).collect::<Vec<_>>().join("\n"),
            )];
            row.extend(keys.iter().map(|key| {
                text_cell(values.iter().find(|(k, _)| k == *key).map_or("", |(_, value)| value.as_str()))
            }));
            row.extend(
                levels.iter().map(|level| text_cell(&counted(span, t.service.and(*level)).to_string())),
            );
            table.add_row(row);
        }
    }
    table
}

/// The rows of a time limit: one for a fixed span; for a table, one per entry, in the
/// order the choosing variables list their choices (as the document's table reads:
/// alto, medio, bajo), each with the values that pick it.
pub(crate) fn time_table(playbook: &Playbook, within: &Within) -> Vec<(Vec<(String, String)>, Span)> {
    match within {
        Within::Fixed(span) => vec![(Vec::new(), *span)],
        Within::Table { by, spans } => {
            let rank = |key: &[String]| -> Vec<usize> {
                by.iter()
                    .zip(key)
                    .map(|(name, value)| match playbook.kind_of(name) {
                        Some(ValueKind::Choice(choices)) => {
                            choices.iter().position(|c| c == value).unwrap_or(usize::MAX)
                        }
                        _ => usize::MAX,
                    })
                    .collect()
            };
            let mut entries: Vec<(&Vec<String>, &Span)> = spans.iter().collect();
            entries.sort_by_key(|(key, _)| rank(key));
            entries
                .into_iter()
                .map(|(key, span)| (by.iter().cloned().zip(key.iter().cloned()).collect(), *span))
                .collect()
        }
    }
}

/// What a span counts under a service level, as `deadline::evaluate::count_span` counts
/// it: on the business service, hours and days are business hours and days; a span the
/// document writes in business time stays so on any service; weeks and months are
/// calendar time everywhere.
pub(crate) fn counted(span: Span, level: Option<ServiceLevel>) -> Span {
    let is_short = matches!(span.unit, Unit::Minutes | Unit::Hours | Unit::Days);
    match level {
        Some(ServiceLevel::Business) if is_short => Span { business: true, ..span },
        _ => span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str) -> Span {
        Span::parse(text).unwrap()
    }

    #[test]
    fn a_span_counts_business_time_only_on_the_business_service_or_when_written_so() {
        let cases = [
            ("4 hours", Some(ServiceLevel::Business), "4 business hours"),
            ("2 days", Some(ServiceLevel::Business), "2 business days"),
            ("30 minutes", Some(ServiceLevel::Business), "30 business minutes"),
            ("2 weeks", Some(ServiceLevel::Business), "2 weeks"),
            ("4 hours", Some(ServiceLevel::SixDays), "4 hours"),
            ("2 days", Some(ServiceLevel::Always), "2 days"),
            ("2 business hours", Some(ServiceLevel::Always), "2 business hours"),
            ("2 days", None, "2 days"),
        ];
        for (written, level, shown) in cases {
            assert_eq!(counted(span(written), level).to_string(), shown, "{written} under {level:?}");
        }
    }
}
