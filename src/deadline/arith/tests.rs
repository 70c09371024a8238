//! Table tests against reference values computed independently (python `holidays` with
//! numpy's `busday_offset`, see `src/calendar/data/reference.py`), hand-checked cases
//! for business hours, and property tests for the arithmetic.

use chrono::{DateTime, FixedOffset, NaiveDate};
use proptest::prelude::*;

use super::*;
use crate::calendar::Calendar;
use crate::calendar::fixture::{calendar, date};

fn instant(calendar: &Calendar, text: &str) -> DateTime<Tz> {
    DateTime::<FixedOffset>::parse_from_rfc3339(text).unwrap().with_timezone(&calendar.zone)
}

#[test]
fn business_days_match_the_numpy_reference() {
    let reference = include_str!("../../calendar/data/reference.tsv");
    let mut checked = 0;
    for line in reference.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [id, kind, anchor, n, expected] = cols.as_slice() else { panic!("bad line {line}") };
        let cal = calendar(id);
        let n: u32 = n.parse().unwrap();
        let got = match *kind {
            "add" => add_business_days(&cal, date(anchor), n).unwrap(),
            "back" => roll_back(&cal, date(anchor) - chrono::Duration::days(n.into())).unwrap(),
            other => panic!("unknown kind {other}"),
        };
        assert_eq!(got, date(expected), "{id} {kind} {anchor} {n}");
        checked += 1;
    }
    assert_eq!(checked, 720);
}

#[test]
fn business_hours_start_at_the_next_opening_and_stop_at_closing() {
    let mut co = calendar("CO");
    co.hours = (NaiveTime::from_hms_opt(8, 0, 0).unwrap(), NaiveTime::from_hms_opt(17, 0, 0).unwrap());
    let cases = [
        // anchor, business minutes, expected
        ("2026-03-02T09:00:00-05:00", 120, "2026-03-02T11:00:00-05:00"),
        ("2026-03-02T15:00:00-05:00", 120, "2026-03-02T17:00:00-05:00"),
        ("2026-03-02T16:00:00-05:00", 120, "2026-03-03T09:00:00-05:00"),
        ("2026-03-02T06:30:00-05:00", 120, "2026-03-02T10:00:00-05:00"),
        ("2026-03-06T18:00:00-05:00", 120, "2026-03-09T10:00:00-05:00"),
        ("2026-03-07T10:00:00-05:00", 120, "2026-03-09T10:00:00-05:00"),
        // Monday 23 March 2026 is Día de San José (observado).
        ("2026-03-20T16:30:00-05:00", 240, "2026-03-24T11:30:00-05:00"),
    ];
    for (anchor, minutes, expected) in cases {
        let got = add_window_minutes(co.zone, instant(&co, anchor), minutes, Window::Business(&co)).unwrap();
        assert_eq!(got.to_rfc3339(), expected, "{anchor} + {minutes} min");
    }
}

#[test]
fn service_windows_count_every_hour_of_their_days() {
    let co = calendar("CO");
    let saturday_night = instant(&co, "2026-03-07T23:00:00-05:00");
    let six = add_window_minutes(co.zone, saturday_night, 120, Window::SixDays).unwrap();
    assert_eq!(six.to_rfc3339(), "2026-03-09T01:00:00-05:00");
    let seven = add_window_minutes(co.zone, saturday_night, 120, Window::Always).unwrap();
    assert_eq!(seven.to_rfc3339(), "2026-03-08T01:00:00-05:00");
    // Holidays count under 6x24: Monday 23 March is a holiday but a service day.
    let before = instant(&co, "2026-03-22T22:00:00-05:00");
    let after = add_window_minutes(co.zone, before, 24 * 60, Window::SixDays).unwrap();
    assert_eq!(after.to_rfc3339(), "2026-03-24T00:00:00-05:00");
}

#[test]
fn daylight_saving_does_not_lose_or_gain_business_time() {
    let mut fr = calendar("FR");
    fr.hours = (NaiveTime::from_hms_opt(0, 0, 0).unwrap(), NaiveTime::from_hms_opt(23, 59, 0).unwrap());
    // 29 March 2026: clocks jump from 02:00 to 03:00 in Paris (a Sunday, so use 7x24).
    let start = instant(&fr, "2026-03-29T01:00:00+01:00");
    let got = add_window_minutes(fr.zone, start, 120, Window::Always).unwrap();
    assert_eq!(got.to_rfc3339(), "2026-03-29T04:00:00+02:00");
}

#[test]
fn months_clamp_to_the_last_day() {
    assert_eq!(add_months(date("2026-12-31"), 2), Ok(date("2027-02-28")));
    assert_eq!(add_months(date("2027-12-31"), 2), Ok(date("2028-02-29")));
    assert_eq!(add_months(date("2026-01-15"), 2), Ok(date("2026-03-15")));
}

#[test]
fn closed_days_name_weekends_and_holidays() {
    let py = calendar("PY");
    let days = closed_days(&py, date("2026-04-01"), date("2026-04-06"));
    let text: Vec<String> = days.iter().map(|(d, why)| format!("{d} {why}")).collect();
    assert_eq!(
        text,
        [
            "2026-04-02 holiday: Jueves Santo",
            "2026-04-03 holiday: Viernes Santo",
            "2026-04-04 weekend",
            "2026-04-05 weekend",
        ]
    );
}

/// A calendar whose team closed every day from `from` for `days` days.
fn closed_for(id: &str, from: &str, days: u32) -> Calendar {
    let mut cal = calendar(id);
    for day in date(from).iter_days().take(days as usize) {
        std::sync::Arc::make_mut(&mut cal.closures).insert(day, "Cierre".into());
    }
    cal.override_file = Some(format!("calendars/{id}.yaml").into());
    cal
}

#[test]
fn a_calendar_closed_for_a_whole_year_still_counts() {
    let py = closed_for("PY", "2026-03-01", 366);
    assert_eq!(add_business_days(&py, date("2026-03-02"), 1), Ok(date("2027-03-02")));
    assert_eq!(roll_back(&py, date("2026-12-25")), Ok(date("2026-02-27")));
}

#[test]
fn a_calendar_closed_for_longer_than_any_rule_counts_gives_up_and_names_itself() {
    let py = closed_for("PY", "2026-03-01", MAX_DAYS + 10);
    let beyond = add_business_days(&py, date("2026-03-02"), 10).unwrap_err();
    assert_eq!(
        beyond.to_string(),
        "the calendar `PY` has no business day in the 36525 days after 2026-03-02: its closures in `calendars/PY.yaml` cover them all; remove the ones that are not real"
    );
    assert!(matches!(roll_forward(&py, date("2026-03-05")), Err(Beyond::AllClosed { .. })));
    let backwards = sub_business_days(&py, date("2126-03-05"), 1).unwrap_err();
    assert!(backwards.to_string().contains("in the 36525 days before 2126-03-05"), "{backwards}");
    let start = instant(&py, "2026-03-02T09:00:00-03:00").with_timezone(&py.zone);
    let hours = add_window_minutes(py.zone, start, 60, Window::Business(&py)).unwrap_err();
    assert!(matches!(hours, Beyond::AllClosed { forward: true, .. }), "{hours}");
}

#[test]
fn counts_past_the_year_9999_or_before_1970_are_out_of_range() {
    let py = calendar("PY");
    assert_eq!(add_business_days(&py, date("9999-12-30"), 5), Err(Beyond::OutOfRange));
    assert_eq!(sub_business_days(&py, date("1970-01-02"), 5), Err(Beyond::OutOfRange));
    assert_eq!(add_months(date("9999-12-01"), 1), Err(Beyond::OutOfRange));
    assert_eq!(add_days(date("9999-12-31"), i64::MAX), Err(Beyond::OutOfRange));
    assert_eq!(add_days(date("2026-01-01"), i64::from(i32::MIN)), Err(Beyond::OutOfRange));
    let late = instant(&py, "9999-12-30T09:00:00-03:00");
    for window in [Window::Business(&py), Window::SixDays, Window::Always] {
        assert_eq!(add_window_minutes(py.zone, late, 3 * 24 * 60, window), Err(Beyond::OutOfRange));
    }
    assert_eq!(
        Beyond::OutOfRange.to_string(),
        "the count ends outside the years 1970-9999, the dates onboard computes: check the dates it starts from"
    );
    // Measures between the extreme dates end without a panic.
    let first = instant(&py, "1970-01-01T00:00:00-03:00");
    assert_eq!(window_minutes_between(py.zone, first, late, Window::Business(&py)), None);
    let later = instant(&py, "2070-01-01T00:00:00-03:00");
    assert!(window_minutes_between(py.zone, first, later, Window::Business(&py)).is_some_and(|m| m > 0));
    assert!(business_days_between(&py, date("9999-12-31"), date("1970-01-01")) < 0);
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..365 * 18).prop_map(|offset| date("2021-01-01") + chrono::Duration::days(offset))
}

fn any_calendar() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["PY", "CO", "CH", "FR", "ES", "IN"])
}

proptest! {
    #[test]
    fn adding_business_days_lands_on_a_business_day_and_counts_back(id in any_calendar(), start in any_date(), n in 0u32..40) {
        let cal = calendar(id);
        let due = add_business_days(&cal, start, n).unwrap();
        prop_assert!(n == 0 || cal.is_business_day(due));
        prop_assert_eq!(business_days_between(&cal, start, due), i64::from(n));
        prop_assert_eq!(sub_business_days(&cal, due, n).unwrap() <= start, true);
    }

    #[test]
    fn rolling_back_skips_only_closed_days(id in any_calendar(), day in any_date()) {
        let cal = calendar(id);
        let rolled = roll_back(&cal, day).unwrap();
        prop_assert!(cal.is_business_day(rolled) && rolled <= day);
        prop_assert!(rolled.iter_days().skip(1).take_while(|d| *d <= day).all(|d| !cal.is_business_day(d)));
    }

    #[test]
    fn business_minutes_added_are_business_minutes_elapsed(id in any_calendar(), day in any_date(), minute in 0i64..1440, add in 0i64..6000) {
        let cal = calendar(id);
        let start = local(cal.zone, day, NaiveTime::MIN) + chrono::Duration::minutes(minute);
        let end = add_window_minutes(cal.zone, start, add, Window::Business(&cal)).unwrap();
        prop_assert_eq!(window_minutes_between(cal.zone, start, end, Window::Business(&cal)), Some(add));
    }
}
