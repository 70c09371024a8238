//! Deadline rules as a playbook writes them, checked: milestone offsets (`J-14`),
//! windows after an anchor (`10 business days` from a phase's start), calendar
//! durations, business hours, and lookup tables keyed by variables.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::words;

/// The longest time a rule may count, in days: 100 years. Longer is a typo, and the
/// bound (with dates kept to the years 1970 to 9999) keeps every date the engine
/// computes far inside what the date types hold, so the arithmetic cannot overflow.
pub(crate) const MAX_DAYS: u32 = 36_525;

/// The unit of a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    Minutes,
    Hours,
    Days,
    Weeks,
    Months,
}

/// `10 business days`, `2 business hours`, `4 weeks`, `2 months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub amount: u32,
    pub unit: Unit,
    pub business: bool,
}

/// A fixed span, or one chosen by the values of some variables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Within {
    Fixed(Span),
    /// Keys are the variables' values, in the order of `by`.
    Table {
        by: Vec<String>,
        spans: BTreeMap<Vec<String>, Span>,
    },
}

/// What a window counts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Anchor {
    ProjectStart,
    /// When a phase or step became ready.
    Started(String),
    /// When a phase or step was completed.
    Done(String),
    /// A date or date-time variable.
    Variable(String),
}

/// Where a milestone's date goes when it falls on a closed day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Roll {
    /// To the business day before: "no later than" dates (`J-14`).
    #[default]
    Back,
    /// To the business day after.
    Forward,
    /// Nowhere: a date the team chose or promised (J itself, a firm due date).
    Stay,
}

/// How a milestone offset counts its days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Count {
    Calendar,
    Business,
}

/// What hours and days a window counts, as a service-level variable chooses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum ServiceLevel {
    /// `business`: business hours on business days.
    Business,
    /// `6x24`: every hour, Monday to Saturday.
    SixDays,
    /// `7x24`: every hour.
    Always,
}

impl ServiceLevel {
    pub(crate) const ALL: [ServiceLevel; 3] =
        [ServiceLevel::Business, ServiceLevel::SixDays, ServiceLevel::Always];

    /// How a playbook and a project's variable write it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ServiceLevel::Business => "business",
            ServiceLevel::SixDays => "6x24",
            ServiceLevel::Always => "7x24",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<ServiceLevel> {
        ServiceLevel::ALL.into_iter().find(|level| level.name() == text)
    }
}

/// A checked deadline rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rule {
    /// `J-14`: `days` before (negative) or after the date variable `milestone`, moved
    /// off a closed day as `roll` says.
    Milestone { milestone: String, days: i32, count: Count, roll: Roll },
    /// `within` after `from`; `service` names the variable holding the service level.
    Window { within: Within, from: Anchor, service: Option<String> },
}

/// A rule and the document's own words for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub rule: Rule,
    pub text: Option<String>,
}

impl Span {
    /// Parses `10 business days`, `1 week`, `48 hours`, `30 minutes`.
    pub fn parse(text: &str) -> Result<Span, String> {
        let bad = || {
            format!(
                "cannot read the duration `{text}`: expected a number and a unit, e.g. `10 business days`, `2 business hours`, `4 weeks` or `2 months`"
            )
        };
        let words: Vec<&str> = text.split_whitespace().collect();
        let (amount, business, unit) = match words.as_slice() {
            [amount, "business", unit] => (amount, true, unit),
            [amount, unit] => (amount, false, unit),
            _ => return Err(bad()),
        };
        let amount: u32 = amount.parse().map_err(|_| bad())?;
        let unit = match unit.trim_end_matches('s') {
            "minute" => Unit::Minutes,
            "hour" => Unit::Hours,
            "day" => Unit::Days,
            "week" => Unit::Weeks,
            "month" => Unit::Months,
            _ => return Err(bad()),
        };
        let limit = match unit {
            Unit::Minutes => MAX_DAYS * 24 * 60,
            Unit::Hours => MAX_DAYS * 24,
            Unit::Days => MAX_DAYS,
            Unit::Weeks => MAX_DAYS / 7,
            Unit::Months => MAX_DAYS / 30,
        };
        if amount > limit {
            return Err(format!(
                "`{text}` is more than 100 years: a time limit that long is a typo (at most {limit})"
            ));
        }
        if business && !matches!(unit, Unit::Hours | Unit::Days | Unit::Minutes) {
            return Err(format!("`{text}`: only minutes, hours and days can be business time"));
        }
        Ok(Span { amount, unit, business })
    }
}

impl Roll {
    /// Parses `back`, `forward` or `none`.
    pub fn parse(text: &str) -> Result<Roll, String> {
        match text {
            "back" => Ok(Roll::Back),
            "forward" => Ok(Roll::Forward),
            "none" => Ok(Roll::Stay),
            other => Err(format!("unknown roll `{other}`")),
        }
    }
}

impl Anchor {
    /// Parses `project.start`, `<id>.start`, `<id>.done` or a variable name.
    pub fn parse(text: &str) -> Anchor {
        match text.rsplit_once('.') {
            _ if text == "project.start" => Anchor::ProjectStart,
            Some((id, "start")) => Anchor::Started(id.to_string()),
            Some((id, "done")) => Anchor::Done(id.to_string()),
            _ => Anchor::Variable(text.to_string()),
        }
    }
}

/// Parses a milestone offset: `J`, `J-14`, `due_date+2`.
pub(crate) fn parse_milestone(text: &str) -> Result<(String, i32), String> {
    let text = text.trim();
    let split = text.find(['-', '+']);
    let (name, days) = match split {
        None => (text, 0),
        Some(at) => {
            let days: i32 = text[at..].parse().map_err(|_| {
                format!("cannot read the milestone `{text}`: expected a date variable and an offset in days, e.g. `J-14`")
            })?;
            if days.unsigned_abs() > MAX_DAYS {
                return Err(format!(
                    "the milestone `{text}` is more than 100 years from its date: an offset that large is a typo (at most {MAX_DAYS} days)"
                ));
            }
            (text[..at].trim(), days)
        }
    };
    Ok((name.to_string(), days))
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Minutes => "minute",
            Unit::Hours => "hour",
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
        };
        let business = if self.business { "business " } else { "" };
        f.write_str(&words::count(self.amount, &format!("{business}{unit}")))
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Anchor::ProjectStart => f.write_str("project.start"),
            Anchor::Started(id) => write!(f, "{id}.start"),
            Anchor::Done(id) => write!(f, "{id}.done"),
            Anchor::Variable(name) => f.write_str(name),
        }
    }
}

impl Rule {
    /// The rule read as an earliest start: `30 days after suspension.done`, `at J-1`.
    pub fn earliest_text(&self) -> String {
        match self {
            Rule::Window { within: Within::Fixed(span), from, .. } => format!("{span} after {from}"),
            Rule::Window { within: Within::Table { by, .. }, from, .. } => {
                format!("a time chosen by {} after {from}", by.join(" and "))
            }
            Rule::Milestone { .. } => self.to_string(),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Milestone { milestone, days, count, roll } => {
                let count = match count {
                    Count::Calendar => "",
                    Count::Business => " business days",
                };
                match days {
                    0 => write!(f, "on {milestone}")?,
                    d => write!(f, "at {milestone}{d:+}{count}")?,
                }
                match roll {
                    Roll::Back => Ok(()),
                    Roll::Forward => f.write_str(", or the business day after"),
                    Roll::Stay => f.write_str(", even on a closed day"),
                }
            }
            Rule::Window { within: Within::Fixed(span), from, .. } => write!(f, "within {span} after {from}"),
            Rule::Window { within: Within::Table { by, .. }, from, .. } => {
                write!(f, "within a time chosen by {} after {from}", by.join(" and "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_spans() {
        assert_eq!(
            Span::parse("10 business days"),
            Ok(Span { amount: 10, unit: Unit::Days, business: true })
        );
        assert_eq!(Span::parse("1 week"), Ok(Span { amount: 1, unit: Unit::Weeks, business: false }));
        assert_eq!(Span::parse("2 business hours").unwrap().to_string(), "2 business hours");
        assert!(Span::parse("2 business months").is_err());
        assert!(Span::parse("ten days").is_err());
    }

    #[test]
    fn reads_anchors_and_milestones() {
        assert_eq!(Anchor::parse("certification.start"), Anchor::Started("certification".into()));
        assert_eq!(Anchor::parse("diagnosis.done"), Anchor::Done("diagnosis".into()));
        assert_eq!(Anchor::parse("received_at"), Anchor::Variable("received_at".into()));
        assert_eq!(parse_milestone("J-14"), Ok(("J".into(), -14)));
        assert_eq!(parse_milestone("due_date"), Ok(("due_date".into(), 0)));
        assert!(parse_milestone("J-x").is_err());
    }
}
