//! `calendars --json`: the working calendars, or one calendar's closed days in a year.

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::Serialize;

use crate::calendar::hours_text;
use crate::calendar::{Calendar as Loaded, Closed, weekday_name};

/// A working calendar, with the state directory's override applied.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Calendar {
    /// `PY`, `CH-VD`, …
    pub id: String,
    /// `"Paraguay"`, `"Switzerland, Vaud"`.
    pub name: String,
    /// The IANA time zone, `"America/Asuncion"`.
    pub zone: String,
    /// `"HH:MM-HH:MM"`: the override file's hours, else `"09:00-18:00"`. A playbook's
    /// `business_hours` (which win for its projects) are not reflected here.
    pub hours: String,
    /// Where the holidays come from: `"python holidays 0.109"`.
    pub source: String,
    /// The first and last year the holiday data covers: `[2020, 2040]`, `[2020, 2035]` for `IN`.
    pub years: [i32; 2],
    /// The path of the state directory's `calendars/<ID>.yaml`, when there is one: under the state
    /// directory as given by `--dir` or `ONBOARD_DIR`, absolute when `.onboard/` was found from the
    /// current directory.
    #[serde(rename = "override")]
    pub override_file: Option<String>,
}

impl Calendar {
    pub(crate) fn of(calendar: &Loaded) -> Calendar {
        Calendar {
            id: calendar.id.clone(),
            name: calendar.name.clone(),
            zone: calendar.zone.name().to_string(),
            hours: hours_text(calendar.hours),
            source: calendar.source.clone(),
            years: [calendar.years.0, calendar.years.1],
            override_file: calendar.override_file.as_ref().map(|p| p.display().to_string()),
        }
    }
}

/// `onboard calendars --json`: every bundled calendar.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(transparent)]
#[schemars(title = "onboard calendars --json")]
pub(crate) struct Calendars(pub Vec<Calendar>);

/// `onboard calendars ID --json`: one calendar's holidays and closures in a year.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard calendars ID --json")]
pub(crate) struct CalendarYear {
    /// The calendar, as `onboard calendars --json` lists it.
    pub calendar: Calendar,
    /// The year listed: `--year`, else this year in the calendar's zone.
    pub year: i32,
    /// The holidays and team closures of that year, in date order; weekends are not listed.
    pub days: Vec<Day>,
}

/// A day the calendar lists as closed (or a holiday the team works).
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Day {
    /// `"YYYY-MM-DD"`.
    #[schemars(extend("format" = "date"))]
    pub date: String,
    /// In English: `"Thursday"`.
    pub weekday: &'static str,
    /// `"holiday"` (from the bundled data) or `"closure"` (from the override file).
    pub kind: DayKind,
    /// The holiday's name in the calendar's language, or the closure's name.
    pub name: String,
    /// A holiday the team works (the override's `worked`); `false` for closures.
    pub worked: bool,
}

/// Why a listed day is closed: a holiday of the bundled data, or a closure of the
/// override file.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub(crate) enum DayKind {
    Holiday,
    Closure,
}

/// The closed days of `year`, as `Calendar::year` lists them.
pub(crate) fn year(calendar: &Loaded, year: i32) -> CalendarYear {
    let days = calendar
        .year(year)
        .into_iter()
        .map(|(date, why, worked)| {
            let (kind, name) = match why {
                Closed::Holiday(name) => (DayKind::Holiday, name),
                Closed::Closure(name) => (DayKind::Closure, name),
                Closed::Weekend(_) => unreachable!("weekends are not listed"),
            };
            Day { date: date.to_string(), weekday: weekday_name(date.weekday()), kind, name, worked }
        })
        .collect();
    CalendarYear { calendar: Calendar::of(calendar), year, days }
}

/// A closed day a rule skipped, as `explain` lists them.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Skipped {
    /// `YYYY-MM-DD`.
    #[schemars(extend("format" = "date"))]
    pub date: String,
    /// In English: `Saturday`.
    pub weekday: &'static str,
    /// `weekend`, `holiday` or `closure`.
    pub kind: SkippedKind,
    /// The holiday's or closure's name; null for a weekend.
    pub name: Option<String>,
}

/// Why a skipped day was closed.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub(crate) enum SkippedKind {
    Weekend,
    Holiday,
    Closure,
}

impl Skipped {
    pub(crate) fn of(date: NaiveDate, why: &Closed) -> Skipped {
        let (kind, name) = match why {
            Closed::Weekend(_) => (SkippedKind::Weekend, None),
            Closed::Holiday(name) => (SkippedKind::Holiday, Some(name.clone())),
            Closed::Closure(name) => (SkippedKind::Closure, Some(name.clone())),
        };
        Skipped { date: date.to_string(), weekday: weekday_name(date.weekday()), kind, name }
    }
}
