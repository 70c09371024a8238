//! Working calendars: which calendars exist, their time zones and business hours.

use chrono::NaiveTime;
use chrono_tz::Tz;

/// A bundled calendar.
#[derive(Debug, Clone, Copy)]
pub struct CalendarInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub zone: Tz,
}

/// The bundled calendars: one per country of the source processes, and regions the
/// holiday data covers.
pub const BUNDLED: [CalendarInfo; 11] = [
    CalendarInfo { id: "PY", name: "Paraguay", zone: chrono_tz::America::Asuncion },
    CalendarInfo { id: "CO", name: "Colombia", zone: chrono_tz::America::Bogota },
    CalendarInfo { id: "CH", name: "Switzerland", zone: chrono_tz::Europe::Zurich },
    CalendarInfo { id: "CH-VD", name: "Switzerland, Vaud", zone: chrono_tz::Europe::Zurich },
    CalendarInfo { id: "CH-ZH", name: "Switzerland, Zurich", zone: chrono_tz::Europe::Zurich },
    CalendarInfo { id: "CH-GE", name: "Switzerland, Geneva", zone: chrono_tz::Europe::Zurich },
    CalendarInfo { id: "FR", name: "France", zone: chrono_tz::Europe::Paris },
    CalendarInfo { id: "ES", name: "Spain", zone: chrono_tz::Europe::Madrid },
    CalendarInfo { id: "ES-MD", name: "Spain, Madrid", zone: chrono_tz::Europe::Madrid },
    CalendarInfo { id: "ES-CT", name: "Spain, Catalonia", zone: chrono_tz::Europe::Madrid },
    CalendarInfo { id: "IN", name: "India", zone: chrono_tz::Asia::Kolkata },
];

/// Business hours when neither the calendar nor the playbook says otherwise.
pub const DEFAULT_HOURS: (NaiveTime, NaiveTime) = (
    NaiveTime::from_hms_opt(9, 0, 0).expect("valid time"),
    NaiveTime::from_hms_opt(18, 0, 0).expect("valid time"),
);

/// The bundled calendar with this id.
pub fn find(id: &str) -> Option<&'static CalendarInfo> {
    BUNDLED.iter().find(|calendar| calendar.id == id)
}

/// The ids of every bundled calendar, for hints.
pub fn ids() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|calendar| calendar.id)
}

/// Parses `09:00-18:00`.
pub fn parse_hours(text: &str) -> Result<(NaiveTime, NaiveTime), String> {
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
    fn hours_parse_and_must_be_ordered() {
        let (open, close) = parse_hours("08:00-17:00").unwrap();
        assert_eq!((open.to_string(), close.to_string()), ("08:00:00".into(), "17:00:00".into()));
        assert!(parse_hours("17:00-08:00").is_err());
        assert!(parse_hours("8h-17h").is_err());
    }

    #[test]
    fn every_process_country_has_a_calendar() {
        for id in ["PY", "CO", "CH", "FR", "ES", "IN"] {
            assert!(find(id).is_some(), "{id}");
        }
    }
}
