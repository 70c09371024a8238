//! Typed values: what a variable or a recorded field may hold, parsed from the
//! command line (`--set KEY=VALUE`) or from YAML, and written back to YAML.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::clock::{check_instant, check_year};

/// The type of a variable or field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueKind {
    Text,
    Number,
    Date,
    DateTime,
    Url,
    Bool,
    Choice(Vec<String>),
}

/// A checked value of some `ValueKind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    DateTime(DateTime<FixedOffset>),
    Url(String),
    Bool(bool),
    Choice(String),
}

impl ValueKind {
    /// The names accepted for `type:` in a playbook.
    pub const NAMES: [&'static str; 7] = ["text", "number", "date", "datetime", "url", "bool", "choice"];

    /// The kind named `name`; `choice` takes its `choices`.
    pub fn from_name(name: &str, choices: Option<Vec<String>>) -> Option<ValueKind> {
        Some(match name {
            "text" => ValueKind::Text,
            "number" => ValueKind::Number,
            "date" => ValueKind::Date,
            "datetime" => ValueKind::DateTime,
            "url" => ValueKind::Url,
            "bool" => ValueKind::Bool,
            "choice" => ValueKind::Choice(choices.unwrap_or_default()),
            _ => return None,
        })
    }

    /// The name as written in playbooks and in `--json`.
    pub fn name(&self) -> &'static str {
        match self {
            ValueKind::Text => "text",
            ValueKind::Number => "number",
            ValueKind::Date => "date",
            ValueKind::DateTime => "datetime",
            ValueKind::Url => "url",
            ValueKind::Bool => "bool",
            ValueKind::Choice(_) => "choice",
        }
    }

    /// A placeholder for error messages: `--set due_date=<YYYY-MM-DD>`.
    pub fn placeholder(&self) -> String {
        match self {
            ValueKind::Text => "<text>".into(),
            ValueKind::Number => "<number>".into(),
            ValueKind::Date => "<YYYY-MM-DD>".into(),
            ValueKind::DateTime => "<YYYY-MM-DDTHH:MM:SS+HH:MM>".into(),
            ValueKind::Url => "<url>".into(),
            ValueKind::Bool => "<true|false>".into(),
            ValueKind::Choice(choices) => format!("<{}>", choices.join("|")),
        }
    }

    /// Parses user input; the error says what was expected.
    pub fn parse(&self, input: &str) -> Result<Value, String> {
        let input = input.trim();
        match self {
            ValueKind::Text if input.is_empty() => Err("expected some text, found nothing".into()),
            ValueKind::Text => Ok(Value::Text(input.to_string())),
            ValueKind::Number => input
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Value::Number)
                .ok_or_else(|| format!("expected a number, found `{input}`")),
            ValueKind::Date => {
                let date = NaiveDate::parse_from_str(input, "%Y-%m-%d")
                    .map_err(|_| format!("expected a date as YYYY-MM-DD, found `{input}`"))?;
                check_year(date, &format!("`{input}`"))?;
                Ok(Value::Date(date))
            }
            ValueKind::DateTime => {
                let at = DateTime::parse_from_rfc3339(input).map_err(|_| {
                    format!(
                        "expected an RFC 3339 date-time such as 2026-03-02T09:30:00-05:00, found `{input}`"
                    )
                })?;
                check_instant(at, &format!("`{input}`"))?;
                Ok(Value::DateTime(at))
            }
            ValueKind::Url if is_url(input) => Ok(Value::Url(input.to_string())),
            ValueKind::Url => {
                Err(format!("expected a URL starting with http:// or https://, found `{input}`"))
            }
            ValueKind::Bool => match input {
                "true" | "yes" => Ok(Value::Bool(true)),
                "false" | "no" => Ok(Value::Bool(false)),
                _ => Err(format!("expected true or false, found `{input}`")),
            },
            ValueKind::Choice(choices) if choices.iter().any(|c| c == input) => {
                Ok(Value::Choice(input.to_string()))
            }
            ValueKind::Choice(choices) => {
                Err(format!("expected one of {}, found `{input}`", backticked(choices)))
            }
        }
    }

    /// Reads a value stored in YAML (a playbook default or a project file).
    pub fn from_yaml(&self, yaml: &serde_yaml::Value) -> Result<Value, String> {
        match (self, yaml) {
            (ValueKind::Bool, serde_yaml::Value::Bool(b)) => Ok(Value::Bool(*b)),
            (ValueKind::Number, serde_yaml::Value::Number(n)) => {
                n.as_f64().map(Value::Number).ok_or_else(|| format!("expected a number, found `{n}`"))
            }
            (_, serde_yaml::Value::String(s)) => self.parse(s),
            (ValueKind::Text | ValueKind::Choice(_), serde_yaml::Value::Number(n)) => {
                self.parse(&n.to_string())
            }
            (_, other) => Err(format!("expected a {} value, found `{}`", self.name(), yaml_inline(other))),
        }
    }
}

impl Value {
    /// The value as stored in YAML: bools and numbers stay native, the rest are strings.
    pub fn to_yaml(&self) -> serde_yaml::Value {
        match self {
            Value::Bool(b) => serde_yaml::Value::Bool(*b),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                serde_yaml::Value::Number((*n as i64).into())
            }
            Value::Number(n) => serde_yaml::Value::Number((*n).into()),
            other => serde_yaml::Value::String(other.to_string()),
        }
    }

    /// The value for `--json` output.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => serde_json::Value::from(*n as i64),
            Value::Number(n) => serde_json::Value::from(*n),
            other => serde_json::Value::String(other.to_string()),
        }
    }

    /// Whether this value equals `text` read as a value of the same kind
    /// (`3` matches `3.0`, `yes` matches `true`).
    pub fn matches(&self, text: &str) -> bool {
        let kind = match self {
            Value::Number(_) => ValueKind::Number,
            Value::Bool(_) => ValueKind::Bool,
            Value::Date(_) => ValueKind::Date,
            Value::DateTime(_) => ValueKind::DateTime,
            _ => return self.to_string() == text.trim(),
        };
        kind.parse(text).is_ok_and(|other| other == *self)
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(s) | Value::Url(s) | Value::Choice(s) => f.write_str(s),
            Value::Number(n) => write!(f, "{n}"),
            Value::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Value::DateTime(t) => f.write_str(&t.to_rfc3339()),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

fn is_url(input: &str) -> bool {
    let rest = input.strip_prefix("https://").or_else(|| input.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace))
}

/// `a`, `b`, `c` as `` `a`, `b` or `c` ``.
pub(crate) fn backticked(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("`{item}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

fn yaml_inline(value: &serde_yaml::Value) -> String {
    yaml_scalar(value).replace('\n', " ")
}

/// A YAML value as YAML writes it, without the trailing newline (`1`, `true`, `'x'`).
pub(crate) fn yaml_scalar(value: &serde_yaml::Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind_and_explains_refusals() {
        assert_eq!(ValueKind::Number.parse("2.5"), Ok(Value::Number(2.5)));
        assert_eq!(ValueKind::Bool.parse("yes"), Ok(Value::Bool(true)));
        assert_eq!(
            ValueKind::Date.parse("2026-13-01"),
            Err("expected a date as YYYY-MM-DD, found `2026-13-01`".into())
        );
        assert_eq!(
            ValueKind::Url.parse("jira/CR-1"),
            Err("expected a URL starting with http:// or https://, found `jira/CR-1`".into())
        );
        let choice = ValueKind::Choice(vec!["high".into(), "medium".into(), "low".into()]);
        assert_eq!(
            choice.parse("alto"),
            Err("expected one of `high`, `medium` or `low`, found `alto`".into())
        );
    }

    #[test]
    fn comparisons_read_the_text_as_the_same_kind() {
        assert!(Value::Number(3.0).matches("3"));
        assert!(Value::Bool(true).matches("yes"));
        assert!(!Value::Choice("defect".into()).matches("improvement"));
    }

    #[test]
    fn yaml_round_trip_keeps_native_types() {
        let value = ValueKind::Number.parse("12").unwrap();
        assert_eq!(value.to_yaml(), serde_yaml::Value::Number(12.into()));
        assert_eq!(ValueKind::Number.from_yaml(&value.to_yaml()), Ok(value));
        let when = ValueKind::DateTime.parse("2026-03-02T09:30:00-05:00").unwrap();
        assert_eq!(ValueKind::DateTime.from_yaml(&when.to_yaml()), Ok(when));
    }
}
