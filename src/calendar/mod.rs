//! Working calendars: which days are business days and which hours are business hours,
//! in which time zone. The bundled holiday data is generated from the python `holidays`
//! package (see `data/generate.py`) and compiled in; a team may override a calendar in
//! its state directory (`calendars/<ID>.yaml`: closures, holidays worked, hours).

mod overrides;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

pub(crate) use overrides::CalendarOverride;

/// A bundled calendar: its id, what it covers, its zone and its holiday data.
#[derive(Debug, Clone, Copy)]
pub struct CalendarInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub zone: Tz,
    data: &'static str,
}

macro_rules! bundled {
    ($($id:literal, $name:literal, $zone:expr;)*) => {
        /// The bundled calendars: one per country of the source processes, and regions the
        /// holiday data covers.
        pub(crate) const BUNDLED: &[CalendarInfo] = &[
            $(CalendarInfo { id: $id, name: $name, zone: $zone, data: include_str!(concat!("data/", $id, ".tsv")) },)*
        ];
    };
}

bundled! {
    "PY", "Paraguay", chrono_tz::America::Asuncion;
    "CO", "Colombia", chrono_tz::America::Bogota;
    "CH", "Switzerland", chrono_tz::Europe::Zurich;
    "CH-VD", "Switzerland, Vaud", chrono_tz::Europe::Zurich;
    "CH-ZH", "Switzerland, Zurich", chrono_tz::Europe::Zurich;
    "CH-GE", "Switzerland, Geneva", chrono_tz::Europe::Zurich;
    "FR", "France", chrono_tz::Europe::Paris;
    "ES", "Spain", chrono_tz::Europe::Madrid;
    "ES-MD", "Spain, Madrid", chrono_tz::Europe::Madrid;
    "ES-CT", "Spain, Catalonia", chrono_tz::Europe::Madrid;
    "IN", "India", chrono_tz::Asia::Kolkata;
}

/// Business hours when neither the calendar nor the playbook says otherwise.
pub(crate) const DEFAULT_HOURS: (NaiveTime, NaiveTime) = (
    NaiveTime::from_hms_opt(9, 0, 0).expect("valid time"),
    NaiveTime::from_hms_opt(18, 0, 0).expect("valid time"),
);

/// The bundled calendar with this id.
pub fn find(id: &str) -> Option<&'static CalendarInfo> {
    BUNDLED.iter().find(|calendar| calendar.id == id)
}

/// The ids of every bundled calendar, for hints.
pub(crate) fn ids() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|calendar| calendar.id)
}

/// `the calendars are AR, BR, …`: the hint for a calendar id that names none.
pub(crate) fn known() -> String {
    format!("the calendars are {}", ids().collect::<Vec<_>>().join(", "))
}

/// The error for a calendar id that names no bundled calendar.
pub(crate) fn unknown(id: &str) -> anyhow::Error {
    crate::hint::hinted(format!("unknown calendar `{id}`"), known())
}

/// Why a day is not a business day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closed {
    Weekend(Weekday),
    Holiday(String),
    /// A team closure from the state directory's override.
    Closure(String),
}

/// A playbook's business hours, and whether its document states them or it only assumes
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlaybookHours {
    pub hours: (NaiveTime, NaiveTime),
    pub assumed: bool,
}

/// A calendar ready for arithmetic: bundled data with the team's overrides applied.
#[derive(Debug, Clone)]
pub struct Calendar {
    pub id: String,
    pub name: String,
    pub zone: Tz,
    pub hours: (NaiveTime, NaiveTime),
    /// Where `hours` came from: `default`, `playbook` or the override file.
    pub hours_source: String,
    /// Shared, like `closures` and `worked`, so that each project of a portfolio gets its
    /// copy of a calendar (with its own record of `uncovered` years) without copying the
    /// data.
    pub holidays: Arc<BTreeMap<NaiveDate, String>>,
    pub closures: Arc<BTreeMap<NaiveDate, String>>,
    /// Holidays the team works anyway.
    pub worked: Arc<BTreeSet<NaiveDate>>,
    /// The years the holiday data covers, inclusive.
    pub years: (i32, i32),
    /// `python holidays 0.109`, as recorded in the data file.
    pub source: String,
    pub override_file: Option<PathBuf>,
    /// Years asked about outside the data's coverage, for a warning.
    uncovered: RefCell<BTreeSet<i32>>,
}

/// A date of the bundled data, always `YYYY-MM-DD`: read by hand, as chrono's format
/// parser took a twentieth of `status PROJECT` over a calendar's few hundred lines.
fn bundled_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.splitn(3, '-');
    let mut number = || parts.next().filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let (year, month, day) = (number()?, number()?, number()?);
    if (year.len(), month.len(), day.len()) != (4, 2, 2) {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

impl Calendar {
    /// The bundled calendar `id`, with `<state_dir>/calendars/<id>.yaml` applied if present,
    /// and the playbook's business hours: hours its document states win (they are the
    /// process's contract); hours it only assumes yield to the team's override.
    pub fn load(id: &str, state_dir: &Path, playbook_hours: Option<PlaybookHours>) -> Result<Calendar> {
        Calendar::with_override(id, CalendarOverride::load(state_dir, id)?, playbook_hours)
    }

    /// The bundled calendar `id` with the team's override already read (from disk or
    /// from a git revision), and the playbook's business hours, as `load` combines them.
    pub fn with_override(
        id: &str,
        team: Option<CalendarOverride>,
        playbook_hours: Option<PlaybookHours>,
    ) -> Result<Calendar> {
        let info = find(id).ok_or_else(|| anyhow::anyhow!("unknown calendar `{id}`"))?;
        let mut calendar = Calendar::bundled(info);
        if let Some(PlaybookHours { hours, assumed: true }) = playbook_hours {
            calendar.hours = hours;
            calendar.hours_source = "assumed by the playbook".into();
        }
        if let Some(over) = team {
            over.apply(&mut calendar);
        }
        if let Some(PlaybookHours { hours, assumed: false }) = playbook_hours {
            calendar.hours = hours;
            calendar.hours_source = "playbook".into();
        }
        Ok(calendar)
    }

    /// The bundled data alone.
    pub fn bundled(info: &CalendarInfo) -> Calendar {
        let mut holidays = BTreeMap::new();
        let mut source = String::from("unknown");
        let mut years = (i32::MAX, i32::MIN);
        for line in info.data.lines() {
            if let Some(rest) = line.strip_prefix("# source: ") {
                source = rest.split(',').next().unwrap_or(rest).to_string();
            } else if let Some(rest) = line.strip_prefix("# years: ") {
                if let Some((from, to)) = rest.split_once('-') {
                    years = (from.trim().parse().unwrap_or(years.0), to.trim().parse().unwrap_or(years.1));
                }
            } else if let Some((date, name)) = line.split_once('\t') {
                let date = bundled_date(date).expect("bundled holiday data is valid");
                holidays.insert(date, name.to_string());
            }
        }
        Calendar {
            id: info.id.to_string(),
            name: info.name.to_string(),
            zone: info.zone,
            hours: DEFAULT_HOURS,
            hours_source: "default".into(),
            holidays: Arc::new(holidays),
            closures: Arc::default(),
            worked: Arc::default(),
            years,
            source,
            override_file: None,
            uncovered: RefCell::new(BTreeSet::new()),
        }
    }

    /// Why `date` is not a business day, or `None` when it is one.
    pub fn closed(&self, date: NaiveDate) -> Option<Closed> {
        if date.year() < self.years.0 || date.year() > self.years.1 {
            self.uncovered.borrow_mut().insert(date.year());
        }
        if let Some(name) = self.closures.get(&date) {
            return Some(Closed::Closure(name.clone()));
        }
        let weekday = date.weekday();
        if matches!(weekday, Weekday::Sat | Weekday::Sun) {
            return Some(Closed::Weekend(weekday));
        }
        match self.holidays.get(&date) {
            Some(name) if !self.worked.contains(&date) => Some(Closed::Holiday(name.clone())),
            _ => None,
        }
    }

    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        self.closed(date).is_none()
    }

    /// How many business days lie in `(from, to]` (zero when `to` is not after `from`),
    /// counted from the weekdays and the holidays and closures in between rather than
    /// day by day: a what-if clock or a milestone may put centuries between the two.
    pub fn business_days_in(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to <= from {
            return 0;
        }
        // The years the count reaches outside the data, as `closed` notes them day by day.
        let (first, last) = (from.succ_opt().map_or(from.year(), |d| d.year()), to.year());
        let outside = (first..=last.min(self.years.0 - 1)).chain(first.max(self.years.1 + 1)..=last);
        self.uncovered.borrow_mut().extend(outside);
        let range = (Bound::Excluded(from), Bound::Included(to));
        let is_weekday = |date: &NaiveDate| !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        let closures = self.closures.range(range).filter(|(d, _)| is_weekday(d)).count();
        let holidays = self
            .holidays
            .range(range)
            .filter(|(d, _)| is_weekday(d) && !self.worked.contains(d) && !self.closures.contains_key(d))
            .count();
        weekdays_through(to) - weekdays_through(from) - closures as i64 - holidays as i64
    }

    /// The holidays and closures of one year, with their names, in date order.
    pub fn year(&self, year: i32) -> Vec<(NaiveDate, Closed, bool)> {
        let in_year = |d: &&NaiveDate| d.year() == year;
        let mut days: Vec<(NaiveDate, Closed, bool)> = self
            .holidays
            .iter()
            .filter(|(d, _)| in_year(d))
            .map(|(d, n)| (*d, Closed::Holiday(n.clone()), self.worked.contains(d)))
            .collect();
        days.extend(
            self.closures
                .iter()
                .filter(|(d, _)| in_year(d))
                .map(|(d, n)| (*d, Closed::Closure(n.clone()), false)),
        );
        days.sort_by_key(|(d, _, _)| *d);
        days
    }

    /// Years that were asked about but that the holiday data does not cover; clears the list.
    pub fn take_uncovered(&self) -> Vec<i32> {
        std::mem::take(&mut *self.uncovered.borrow_mut()).into_iter().collect()
    }

    /// `python holidays 0.109, 2020-2040`, with the override file if any.
    pub fn version(&self) -> String {
        let base = format!("{} ({}-{})", self.source, self.years.0, self.years.1);
        match &self.override_file {
            Some(path) => format!("{base}, with {}", path.display()),
            None => base,
        }
    }
}

impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Closed::Weekend(_) => f.write_str("weekend"),
            Closed::Holiday(name) => write!(f, "holiday: {name}"),
            Closed::Closure(name) => write!(f, "closure: {name}"),
        }
    }
}

/// Monday to Friday from 1 January of the year 1 (a Monday) to `date`, inclusive.
fn weekdays_through(date: NaiveDate) -> i64 {
    let days = i64::from(date.num_days_from_ce());
    days / 7 * 5 + (days % 7).min(5)
}

/// English weekday names, whatever the machine's locale.
pub(crate) fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// `09:00-18:00`, as `parse_hours` reads it.
pub(crate) fn hours_text(hours: (NaiveTime, NaiveTime)) -> String {
    format!("{}-{}", hours.0.format("%H:%M"), hours.1.format("%H:%M"))
}

/// Parses `09:00-18:00`.
pub(crate) fn parse_hours(text: &str) -> Result<(NaiveTime, NaiveTime), String> {
    let bad =
        || format!("cannot read the business hours `{text}`: expected `HH:MM-HH:MM`, e.g. `08:00-17:00`");
    let (open, close) = text.split_once('-').ok_or_else(bad)?;
    let open = NaiveTime::parse_from_str(open.trim(), "%H:%M").map_err(|_| bad())?;
    let close = NaiveTime::parse_from_str(close.trim(), "%H:%M").map_err(|_| bad())?;
    if open >= close {
        return Err(format!("business hours `{text}` close before they open"));
    }
    Ok((open, close))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_dates_read_as_chrono_reads_them() {
        for info in BUNDLED {
            for date in info.data.lines().filter_map(|l| l.split_once('\t')).map(|(date, _)| date) {
                assert_eq!(bundled_date(date), NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(), "{date}");
            }
        }
        for bad in ["2026-02-30", "2026-3-02", "20260-03-02", "2026-03", "2026-03-02-01", "+026-03-02", ""] {
            assert_eq!(bundled_date(bad), None, "{bad}");
        }
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn stated_hours_win_over_the_team_and_assumed_hours_yield_to_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("calendars")).unwrap();
        std::fs::write(dir.path().join("calendars/CO.yaml"), "hours: \"07:30-16:30\"\n").unwrap();
        let eight = (NaiveTime::from_hms_opt(8, 0, 0).unwrap(), NaiveTime::from_hms_opt(17, 0, 0).unwrap());
        let hours = |assumed| {
            let calendar =
                Calendar::load("CO", dir.path(), Some(PlaybookHours { hours: eight, assumed })).unwrap();
            (calendar.hours.0.format("%H:%M").to_string(), calendar.hours_source)
        };
        assert_eq!(hours(false), ("08:00".to_string(), "playbook".to_string()));
        assert_eq!(hours(true).0, "07:30");
        let without_team = Calendar::load(
            "CO",
            &dir.path().join("none"),
            Some(PlaybookHours { hours: eight, assumed: true }),
        );
        assert_eq!(without_team.unwrap().hours_source, "assumed by the playbook");
    }

    #[test]
    fn hours_parse_and_must_be_ordered() {
        let (open, close) = parse_hours("08:00-17:00").unwrap();
        assert_eq!((open.to_string(), close.to_string()), ("08:00:00".into(), "17:00:00".into()));
        assert!(parse_hours("17:00-08:00").is_err());
        assert!(parse_hours("8h-17h").is_err());
    }

    #[test]
    fn every_bundled_calendar_has_data_for_2020_to_2040() {
        for info in BUNDLED {
            let calendar = Calendar::bundled(info);
            // The package computes India's lunar festivals only up to 2035.
            let years = if info.id == "IN" { (2020, 2035) } else { (2020, 2040) };
            assert_eq!(calendar.years, years, "{}", info.id);
            assert_eq!(calendar.source, "python holidays 0.109", "{}", info.id);
            assert!(calendar.holidays.len() > 50, "{}", info.id);
        }
    }

    #[test]
    fn weekends_holidays_and_their_names() {
        let py = Calendar::bundled(find("PY").unwrap());
        assert_eq!(py.closed(date("2026-05-01")), Some(Closed::Holiday("Día de los Trabajadores".into())));
        assert_eq!(py.closed(date("2026-03-07")), Some(Closed::Weekend(Weekday::Sat)));
        assert_eq!(Closed::Weekend(Weekday::Sat).to_string(), "weekend");
        assert_eq!(py.closed(date("2026-03-09")), None);
        let fr = Calendar::bundled(find("FR").unwrap());
        assert_eq!(fr.closed(date("2026-07-14")), Some(Closed::Holiday("Fête nationale".into())));
    }

    #[test]
    fn business_days_counted_at_once_are_those_counted_one_by_one() {
        let mut py = Calendar::bundled(find("PY").unwrap());
        Arc::make_mut(&mut py.closures).insert(date("2026-12-24"), "Cierre".into());
        Arc::make_mut(&mut py.closures).insert(date("2026-12-26"), "Sábado".into());
        Arc::make_mut(&mut py.worked).insert(date("2026-05-01"));
        let one_by_one = |from: NaiveDate, to: NaiveDate| {
            from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| py.is_business_day(*d)).count()
                as i64
        };
        let starts = ["2019-12-25", "2026-01-01", "2026-03-06", "2026-04-30", "2026-12-23", "2040-12-30"];
        for start in starts {
            for length in [0, 1, 2, 5, 6, 7, 8, 13, 31, 200, 800] {
                let from = date(start);
                let to = from + chrono::Duration::days(length);
                assert_eq!(py.business_days_in(from, to), one_by_one(from, to), "{from} + {length}");
            }
        }
        py.take_uncovered();
        let (from, to) = (date("2039-06-01"), date("2043-01-01"));
        assert_eq!(py.business_days_in(from, to), one_by_one(from, to));
        assert_eq!(py.take_uncovered(), [2041, 2042, 2043]);
        let (first, middle, last) = (date("1970-01-01"), date("2026-03-02"), date("9999-12-31"));
        let whole = py.business_days_in(first, last);
        assert_eq!(whole, py.business_days_in(first, middle) + py.business_days_in(middle, last));
        assert_eq!(py.take_uncovered().len(), 8030 - 21);
    }

    #[test]
    fn dates_outside_the_data_are_remembered_for_a_warning() {
        let co = Calendar::bundled(find("CO").unwrap());
        co.is_business_day(date("2041-01-02"));
        co.is_business_day(date("2026-01-02"));
        assert_eq!(co.take_uncovered(), [2041]);
        assert!(co.take_uncovered().is_empty());
    }
}
