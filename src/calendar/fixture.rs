//! What tests build on calendars the same way: a date and a bundled calendar. Below
//! `state`, so that calendar and deadline tests can use it too.

use chrono::NaiveDate;

use super::{Calendar, find};

/// A `YYYY-MM-DD` date.
pub(crate) fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The bundled calendar `id`, without a team's file.
pub(crate) fn calendar(id: &str) -> Calendar {
    Calendar::bundled(find(id).unwrap())
}
