//! `--json` output: the documented shapes of docs/json.md, as `#[derive(Serialize)]`
//! structs whose field order is the key order, and which describe themselves as JSON
//! Schemas (`onboard schema status`, committed under `schema/`). One submodule per
//! command family; this file holds the pieces they share and the one writer.

use std::io::{self, Write};
use std::path::Path;

use schemars::JsonSchema;
use serde::Serialize;

pub(crate) mod calendar;
pub(crate) mod check;
pub(crate) mod doctor;
pub(crate) mod explain;
pub(crate) mod forecast;
pub(crate) mod log;
pub(crate) mod next;
pub(crate) mod playbook;
pub(crate) mod stats;
pub(crate) mod status;

/// Writes `value` pretty-printed, then a newline.
pub(crate) fn write(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// A value of a variable or field, typed as docs/json.md says (`bool` → boolean, a
/// number → integer or float, a date → `"YYYY-MM-DD"`, the rest → string).
pub(crate) type Value = serde_json::Value;

/// Variables or fields by name, sorted.
pub(crate) type Values = std::collections::BTreeMap<String, Value>;

/// An exact amount of time as a rule counts it: what `left` rounds to words.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub(crate) struct Span {
    pub amount: u64,
    /// `days`, `business_days`, `minutes` (of the rule's own hours) or `business_minutes`.
    pub unit: &'static str,
}

impl From<crate::state::schedule::Amount> for Span {
    fn from(amount: crate::state::schedule::Amount) -> Span {
        Span { amount: amount.amount, unit: amount.unit.key() }
    }
}

/// Finished work with a due moment, and how much of it was finished on time.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub(crate) struct OnTime {
    /// Finished on or before its due moment.
    pub on_time: usize,
    /// Finished (done, or skipped by someone) and with a due moment.
    pub finished: usize,
}

impl From<(usize, usize)> for OnTime {
    fn from((on_time, finished): (usize, usize)) -> OnTime {
        OnTime { on_time, finished }
    }
}

/// A project file a command that reads every project could not read.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct Unreadable {
    /// The project name (its file name without `.yaml`).
    pub project: String,
    /// The project file, as `onboard` found it: under the state directory as given by `--dir` or
    /// `ONBOARD_DIR`, absolute when `.onboard/` was found from the current directory.
    pub path: String,
    /// The whole error on one line: the message, then each cause, separated by `: `; stderr prints
    /// them as `error:` and `caused by:` lines.
    pub error: String,
    /// What to do about it, as stderr's `hint:` line; `null` when there is none.
    pub hint: Option<String>,
    /// The label of the project's state directory; only with several (`--dir` repeated,
    /// `--workspace`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
}

impl Unreadable {
    pub(crate) fn new(project: &str, path: &Path, error: &anyhow::Error) -> Unreadable {
        Unreadable {
            project: project.to_string(),
            path: path.display().to_string(),
            error: crate::hint::message(error),
            hint: crate::hint::hint(error),
            repository: None,
        }
    }
}

/// A YAML value as stored in a project file, as JSON; text when it has no JSON form.
pub(crate) fn yaml_value(value: &serde_yaml::Value) -> Value {
    serde_json::to_value(value).unwrap_or_else(|_| Value::String(crate::state::project::yaml_text(value)))
}

/// Recorded YAML values by name, as JSON.
pub(crate) fn yaml_values<'a>(
    values: impl IntoIterator<Item = (&'a String, &'a serde_yaml::Value)>,
) -> Values {
    values.into_iter().map(|(k, v)| (k.clone(), yaml_value(v))).collect()
}

/// An instant as project files store it: RFC 3339 to the second, with an offset.
impl JsonSchema for crate::state::project::Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date-time"})
    }
}
