//! One test per rule of the deadline contract, with values checked by hand against the
//! bundled calendars (and, for business days, against the numpy reference table).

use std::collections::BTreeMap;

use super::*;
use crate::calendar::fixture::{calendar as bundled, date};
use crate::playbook::rule::{Roll, Span};

fn at(text: &str) -> Instant {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn due_of(calendar: &str, vars: &[(&str, Value)], rule: Rule, started: Option<&str>) -> Outcome {
    let mut calendar = bundled(calendar);
    if calendar.id == "CO" {
        calendar.hours =
            (NaiveTime::from_hms_opt(8, 0, 0).unwrap(), NaiveTime::from_hms_opt(17, 0, 0).unwrap());
    }
    let vars: BTreeMap<String, Value> = vars.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    let started_at = started.map(at);
    let started = move |_: &str| started_at;
    let done = |id: &str| (id == "diagnosis").then(|| at("2026-03-02T10:30:00-05:00"));
    let inputs = Inputs {
        calendar: &calendar,
        vars: &vars,
        project_start: at("2026-03-02T09:00:00-03:00"),
        started: &started,
        done: &done,
    };
    evaluate(&Deadline { rule, text: None }, &inputs)
}

fn due(outcome: Outcome) -> String {
    match outcome {
        Outcome::Due(derivation) => derivation.due.text(),
        Outcome::Pending(why) => format!("pending: {why}"),
    }
}

fn window(span: &str, from: Anchor, service: Option<&str>) -> Rule {
    Rule::Window {
        within: Within::Fixed(Span::parse(span).unwrap()),
        from,
        service: service.map(str::to_string),
    }
}

#[test]
fn milestones_move_back_to_the_previous_business_day() {
    let j = [("J", Value::Date(date("2026-04-15")))];
    let rule = |days, count| Rule::Milestone { milestone: "J".into(), days, count, roll: Roll::Back };
    // CH: J-14 = 2026-04-01 (Wednesday), a business day.
    assert_eq!(due(due_of("CH", &j, rule(-14, Count::Calendar), None)), "2026-04-01");
    // J-7 = 2026-04-08; J-2 = 2026-04-13 (Monday).
    assert_eq!(due(due_of("CH", &j, rule(-7, Count::Calendar), None)), "2026-04-08");
    assert_eq!(due(due_of("CH", &j, rule(-2, Count::Calendar), None)), "2026-04-13");
    // J-4 = Saturday 2026-04-11: no later than Friday 10 April.
    assert_eq!(due(due_of("CH", &j, rule(-4, Count::Calendar), None)), "2026-04-10");
    // J-2 counted in business days: Monday 13 April.
    assert_eq!(due(due_of("CH", &j, rule(-2, Count::Business), None)), "2026-04-13");
    // FR: J = Tuesday 14 July 2026, a holiday: due Monday 13 July.
    let bastille = [("J", Value::Date(date("2026-07-14")))];
    assert_eq!(due(due_of("FR", &bastille, rule(0, Count::Calendar), None)), "2026-07-13");
    assert_eq!(
        due(due_of("FR", &[], rule(0, Count::Calendar), None)),
        "pending: the milestone `J` has no date yet"
    );
}

#[test]
fn a_milestone_rolls_as_its_rule_says() {
    // IN: a firm due date on Sunday 28 February 2027.
    let sunday = [("J", Value::Date(date("2027-02-28")))];
    let rule = |roll| Rule::Milestone { milestone: "J".into(), days: 0, count: Count::Calendar, roll };
    assert_eq!(due(due_of("IN", &sunday, rule(Roll::Back), None)), "2027-02-26");
    assert_eq!(due(due_of("IN", &sunday, rule(Roll::Forward), None)), "2027-03-01");
    let Outcome::Due(stays) = due_of("IN", &sunday, rule(Roll::Stay), None) else { panic!() };
    assert_eq!(stays.due, Due::Day(date("2027-02-28")));
    assert_eq!(stays.method, "J (2027-02-28), kept though it is closed (weekend)");
    assert!(stays.skipped.is_empty(), "a date that stays put skips nothing");
    let Outcome::Due(forward) = due_of("IN", &sunday, rule(Roll::Forward), None) else { panic!() };
    assert_eq!(forward.method, "J (2027-02-28), not a business day, so the business day after");
    assert_eq!(forward.skipped.len(), 1);
}

#[test]
fn explain_lists_the_days_a_milestone_skipped() {
    let skipped = |outcome: Outcome| {
        let Outcome::Due(derivation) = outcome else { panic!() };
        derivation.skipped.iter().map(|(d, why)| format!("{d} {why}")).collect::<Vec<_>>()
    };
    let rule = |days, count| Rule::Milestone { milestone: "J".into(), days, count, roll: Roll::Back };
    let j = [("J", Value::Date(date("2026-06-01")))];
    // J-2 in calendar days is Saturday 30 May; rolled back to Friday 29 over Saturday only.
    assert_eq!(skipped(due_of("CH", &j, rule(-2, Count::Calendar), None)), ["2026-05-30 weekend"]);
    // J-2 in business days skips the whole weekend between Thursday 28 May and J.
    let both = skipped(due_of("CH", &j, rule(-2, Count::Business), None));
    assert_eq!(both, ["2026-05-30 weekend", "2026-05-31 weekend"]);
    // A business day needs no rolling back.
    assert!(skipped(due_of("CH", &j, rule(-4, Count::Calendar), None)).is_empty());
}

#[test]
fn business_day_windows_count_from_day_zero_and_skip_holidays() {
    // PY: certification starts Monday 30 March 2026; Thursday 2 and Friday 3 April are
    // Jueves and Viernes Santo, so the 10th business day after is Wednesday 15 April.
    let from = Anchor::Started("certification".into());
    let outcome =
        due_of("PY", &[], window("10 business days", from.clone(), None), Some("2026-03-30T10:00:00-03:00"));
    let Outcome::Due(derivation) = outcome else { panic!() };
    assert_eq!(derivation.due, Due::Day(date("2026-04-15")));
    let names: Vec<String> = derivation.skipped.iter().map(|(d, why)| format!("{d} {why}")).collect();
    assert_eq!(names[..2], ["2026-04-02 holiday: Jueves Santo", "2026-04-03 holiday: Viernes Santo"]);
    // A Saturday anchor is still day 0.
    let saturday =
        due_of("PY", &[], window("3 business days", from.clone(), None), Some("2026-03-07T12:00:00-03:00"));
    assert_eq!(due(saturday), "2026-03-11");
    assert_eq!(
        due(due_of("PY", &[], window("3 business days", from, None), None)),
        "pending: `certification` has not started yet"
    );
}

#[test]
fn calendar_durations_use_days_weeks_and_clamped_months() {
    let go_live = Anchor::Variable("go_live".into());
    let vars = [("go_live", Value::Date(date("2026-12-31")))];
    assert_eq!(due(due_of("CO", &vars, window("2 months", go_live.clone(), None), None)), "2027-02-28");
    assert_eq!(due(due_of("CO", &vars, window("4 weeks", go_live.clone(), None), None)), "2027-01-28");
    assert_eq!(due(due_of("CO", &vars, window("30 days", go_live, None), None)), "2027-01-30");
}

#[test]
fn business_hours_give_an_instant_with_the_calendar_offset() {
    let received = [("received_at", Value::DateTime(at("2026-03-02T16:00:00-05:00")))];
    let rule = window("2 business hours", Anchor::Variable("received_at".into()), None);
    assert_eq!(due(due_of("CO", &received, rule, None)), "2026-03-03T09:00:00-05:00");
    let plain = window("48 hours", Anchor::Variable("received_at".into()), None);
    assert_eq!(due(due_of("CO", &received, plain, None)), "2026-03-04T16:00:00-05:00");
}

#[test]
fn the_service_level_decides_what_hours_and_days_mean() {
    let table: BTreeMap<Vec<String>, Span> = [
        (vec!["defect".into(), "high".into()], Span::parse("4 hours").unwrap()),
        (vec!["defect".into(), "medium".into()], Span::parse("2 days").unwrap()),
    ]
    .into();
    let rule = || Rule::Window {
        within: Within::Table { by: vec!["type".into(), "criticality".into()], spans: table.clone() },
        from: Anchor::Done("diagnosis".into()),
        service: Some("service".into()),
    };
    let vars = |criticality: &str, service: &str| {
        vec![
            ("type", Value::Choice("defect".into())),
            ("criticality", Value::Choice(criticality.into())),
            ("service", Value::Choice(service.into())),
        ]
    };
    // Diagnosis done Monday 2 March 2026 at 10:30 in Bogotá (08:00-17:00).
    assert_eq!(due(due_of("CO", &vars("high", "business"), rule(), None)), "2026-03-02T14:30:00-05:00");
    assert_eq!(due(due_of("CO", &vars("medium", "business"), rule(), None)), "2026-03-04");
    assert_eq!(due(due_of("CO", &vars("high", "7x24"), rule(), None)), "2026-03-02T14:30:00-05:00");
    assert_eq!(due(due_of("CO", &vars("medium", "7x24"), rule(), None)), "2026-03-04T10:30:00-05:00");
    // 6x24 from a Monday: no Sunday to skip, so the same as 7x24 (arith tests cover Sundays).
    assert_eq!(due(due_of("CO", &vars("medium", "6x24"), rule(), None)), "2026-03-04T10:30:00-05:00");
    assert_eq!(
        due(due_of("CO", &vars("low", "business"), rule(), None)),
        "pending: the playbook gives no time for type=defect, criticality=low"
    );
    assert_eq!(
        due(due_of("CO", &[("service", Value::Choice("business".into()))], rule(), None)),
        "pending: the time depends on `type` and `criticality`, not all recorded yet"
    );
}

#[test]
fn a_count_past_the_last_supported_year_gives_no_due_date_and_says_why() {
    let late = [("J", Value::Date(date("9999-12-20")))];
    let rule = |days, count| Rule::Milestone { milestone: "J".into(), days, count, roll: Roll::Forward };
    let beyond = "pending: the count ends outside the years 1970-9999, the dates onboard computes: check the dates it starts from";
    assert_eq!(due(due_of("PY", &late, rule(30, Count::Calendar), None)), beyond);
    assert_eq!(due(due_of("PY", &late, rule(30, Count::Business), None)), beyond);
    assert_eq!(due(due_of("PY", &late, rule(-30, Count::Business), None)), "9999-11-08");
    let from = Anchor::Variable("J".into());
    for span in ["1200 months", "5000 weeks", "36525 days", "36525 business days", "876600 hours"] {
        let rule = Rule::Window {
            within: Within::Fixed(Span::parse(span).unwrap()),
            from: from.clone(),
            service: None,
        };
        assert_eq!(due(due_of("PY", &late, rule, None)), beyond, "{span}");
    }
}
