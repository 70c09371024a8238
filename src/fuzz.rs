//! The readers of untrusted input, each behind one function that takes arbitrary input
//! and panics only when something that must hold does not: the fuzz targets
//! (`fuzz/fuzz_targets/`) and the property tests (`tests/cli/properties.rs`) call these
//! very functions, so both check the same thing and the targets always build.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, Offset, TimeZone, Utc};

use crate::calendar::{BUNDLED, Calendar};
use crate::deadline::evaluate::{Due, Inputs, Outcome, evaluate};
use crate::playbook::rule::{
    Anchor, Count, Deadline, Roll, Rule, ServiceLevel, Span, Within, parse_milestone,
};
use crate::playbook::value::Value;
use crate::playbook::{Origin, parse};
use crate::state::change::{Stamp, start};
use crate::state::progress;
use crate::state::project::{Timestamp, render};
use crate::store::{parse_events, parse_project};

/// Parses and validates `text` as a playbook. A valid one must find each of its steps by
/// id, start a project, and give every status; an invalid one must render its problems.
pub fn playbook(text: &str) {
    let playbook = match parse(text, "fuzz.yaml", Origin::Bundled) {
        Ok(playbook) => playbook,
        Err(error) => {
            assert!(!error.diagnostics.is_empty(), "an error names at least one problem");
            assert!(error.render(false).starts_with("error: "));
            return;
        }
    };
    for (phase, step) in playbook.steps() {
        let (found, _) = playbook.step(&step.id).expect("every step is found by its id");
        assert_eq!(found.id, phase.id);
    }
    let at = DateTime::parse_from_rfc3339("2026-03-02T09:00:00-03:00").expect("a valid instant");
    let stamp = Stamp { at: Timestamp(at), by: "fuzz".into(), recorded: None };
    let file = start(&playbook, "fuzz", &playbook.calendar, &BTreeMap::new(), &stamp);
    let progress = progress::compute(&playbook, &file);
    assert_eq!(progress.steps().count(), playbook.step_count());
}

/// Reads `text` as the project file `projects/fuzz.yaml`. A file that reads must write
/// back to a text that reads as the same file.
pub fn project(text: &str) {
    let Ok(file) = parse_project(text, Path::new("projects/fuzz.yaml"), "fuzz") else { return };
    let written = render(&file).expect("a file that reads can be written");
    let again = parse_events(&written, Path::new("projects/fuzz.yaml")).expect("what is written reads");
    assert_eq!(again, file, "written as:\n{written}");
}

/// Reads `text` as a deadline rule (a duration, and a milestone offset) and evaluates
/// what reads from the instant `seconds` after 2 January 1970 (wrapped to stay before
/// 9999-12-30) on the bundled calendar `calendar` (modulo their number), under every
/// anchor and service level. A window's due moment is never before its anchor; nothing
/// panics; a count past the supported years gives no due moment, and says why.
pub fn rule(text: &str, seconds: u64, calendar: usize) {
    let calendar = Calendar::bundled(&BUNDLED[calendar % BUNDLED.len()]);
    let first = 86_400;
    let last = 253_402_041_600 - 2 * 86_400;
    let utc =
        Utc.timestamp_opt(first + (seconds % (last - first) as u64) as i64, 0).single().expect("in range");
    let local = utc.with_timezone(&calendar.zone);
    let anchor: DateTime<FixedOffset> = local.with_timezone(&local.offset().fix());
    let mut vars = BTreeMap::from([
        ("J".to_string(), Value::Date(anchor.date_naive())),
        ("received_at".to_string(), Value::DateTime(anchor)),
    ]);
    for level in ServiceLevel::ALL.map(ServiceLevel::name) {
        vars.insert(format!("level_{}", level.replace('x', "_")), Value::Choice(level.into()));
    }
    let none = |_: &str| None;
    let inputs =
        Inputs { calendar: &calendar, vars: &vars, project_start: anchor, started: &none, done: &none };
    let mut rules = Vec::new();
    if let Ok(span) = Span::parse(text) {
        let anchors =
            [Anchor::ProjectStart, Anchor::Variable("J".into()), Anchor::Variable("received_at".into())];
        let services = std::iter::once(None)
            .chain(ServiceLevel::ALL.map(|l| Some(format!("level_{}", l.name().replace('x', "_")))));
        for (from, service) in anchors.iter().flat_map(|a| services.clone().map(move |s| (a.clone(), s))) {
            rules.push(Rule::Window { within: Within::Fixed(span), from, service });
        }
    }
    if let Ok((_, days)) = parse_milestone(text) {
        for (count, roll) in [Count::Calendar, Count::Business]
            .into_iter()
            .flat_map(|c| [Roll::Back, Roll::Forward, Roll::Stay].map(|r| (c, r)))
        {
            rules.push(Rule::Milestone { milestone: "J".into(), days, count, roll });
        }
    }
    for rule in rules {
        let Outcome::Due(derivation) = evaluate(&Deadline { rule: rule.clone(), text: None }, &inputs) else {
            continue;
        };
        if let Rule::Window { .. } = rule {
            let from = derivation.anchor;
            match derivation.due {
                Due::Day(day) => assert!(day >= from.with_timezone(&calendar.zone).date_naive(), "{rule}"),
                Due::At(at) => assert!(at >= from, "{rule}: {at} is before {from}"),
            }
        }
        assert!(derivation.due.end(&calendar) >= derivation.due.start(&calendar), "{rule}");
    }
}
