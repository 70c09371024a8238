//! A team's changes to a bundled calendar, in `<state dir>/calendars/<ID>.yaml`:
//! company closures, holidays worked anyway, other business hours.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Deserialize;

use super::{Calendar, parse_hours};
use crate::hint::HintExt;
use crate::text::{Flaw, read_text};

/// The override file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    #[serde(default)]
    hours: Option<String>,
    #[serde(default)]
    closed: Vec<RawClosure>,
    #[serde(default)]
    worked: Vec<NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClosure {
    date: NaiveDate,
    name: String,
}

/// A checked override.
#[derive(Debug, Clone)]
pub struct CalendarOverride {
    pub path: PathBuf,
    pub hours: Option<(chrono::NaiveTime, chrono::NaiveTime)>,
    pub closed: Vec<(NaiveDate, String)>,
    pub worked: Vec<NaiveDate>,
}

const HINT: &str =
    "keys: `hours: \"08:00-17:00\"`, `closed: [{date: 2026-12-24, name: ...}]`, `worked: [2026-05-01]`";

impl CalendarOverride {
    /// Reads `<state_dir>/calendars/<id>.yaml`, if it exists.
    pub fn load(state_dir: &Path, id: &str) -> Result<Option<CalendarOverride>> {
        let path = state_dir.join("calendars").join(format!("{id}.yaml"));
        crate::safe_path::refuse_escaping_link(&path, state_dir)?;
        let text = match read_text(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error).with_context(|| format!("cannot read `{}`", path.display())),
        };
        CalendarOverride::parse(&text, &path).map(Some)
    }

    /// Reads an override from its text; `path` names it in messages (a file on disk, or
    /// one in a git revision).
    pub fn parse(text: &str, path: &Path) -> Result<CalendarOverride> {
        if let Some(line) = crate::text::first_conflict_marker(text) {
            return Err(crate::hint::hinted(
                format!("`{}` has an unresolved merge conflict at line {line}", path.display()),
                "keep the right side of the closures and hours, remove the markers, then run the command again",
            ));
        }
        // Before the YAML parser, whose time grows with the square of the nesting depth.
        match crate::text::check_document(text) {
            Ok(()) => {}
            Err(Flaw::DuplicateKey(at, key)) => {
                return Err(crate::hint::hinted(
                    format!(
                        "`{}`:{}:{}: the key `{key}` appears twice in the same mapping",
                        path.display(),
                        at.line,
                        at.column
                    ),
                    "keep one of them",
                ));
            }
            Err(Flaw::Shape(at, message)) => {
                let place = at.map(|at| format!(":{}:{}", at.line, at.column)).unwrap_or_default();
                return Err(crate::hint::hinted(format!("`{}`{place}: {message}", path.display()), HINT));
            }
        }
        let raw: RawOverride = serde_yaml::from_str(text)
            .map_err(|error| anyhow::anyhow!("{error}"))
            .with_context(|| format!("cannot read the calendar override `{}`", path.display()))
            .hint(HINT)?;
        let hours = match raw.hours {
            Some(hours) => Some(
                parse_hours(&hours)
                    .map_err(|message| anyhow::anyhow!("`{}`: {message}", path.display()))
                    .hint(HINT)?,
            ),
            None => None,
        };
        Ok(CalendarOverride {
            path: path.to_path_buf(),
            hours,
            closed: raw.closed.into_iter().map(|c| (c.date, c.name)).collect(),
            worked: raw.worked,
        })
    }

    pub fn apply(self, calendar: &mut Calendar) {
        if let Some(hours) = self.hours {
            calendar.hours = hours;
            calendar.hours_source = self.path.display().to_string();
        }
        Arc::make_mut(&mut calendar.closures).extend(self.closed);
        Arc::make_mut(&mut calendar.worked).extend(self.worked);
        calendar.override_file = Some(self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Closed, find};

    #[test]
    fn closures_worked_days_and_hours_change_the_calendar() {
        let text = "hours: 08:00-17:00\nclosed:\n  - {date: 2026-12-24, name: Cierre de fin de año}\nworked: [2026-05-01]\n";
        let over = CalendarOverride::parse(text, Path::new("calendars/PY.yaml")).unwrap();
        let mut calendar = Calendar::bundled(find("PY").unwrap());
        over.apply(&mut calendar);
        let date = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(calendar.closed(date("2026-12-24")), Some(Closed::Closure("Cierre de fin de año".into())));
        assert_eq!(calendar.closed(date("2026-05-01")), None);
        assert_eq!(calendar.hours.0.to_string(), "08:00:00");
    }

    #[test]
    fn a_bad_override_names_its_file() {
        let error = CalendarOverride::parse("hours: 8-5\n", Path::new("calendars/PY.yaml")).unwrap_err();
        assert!(
            error.to_string().starts_with("`calendars/PY.yaml`: cannot read the business hours"),
            "{error}"
        );
    }
}
