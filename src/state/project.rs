//! The project file: what a project stores, laid out so that git diffs read well and
//! branches merge.
//!
//! Every step has its own block from the start, keyed by step id in playbook order,
//! and keeps its own history; project-wide events (start, `set`) go in the top-level
//! history. So two teammates who complete different steps change different blocks,
//! and git's default merge joins them. Nothing derived is stored (ready/waiting is
//! computed), no "last updated" stamp is rewritten, and nothing uses sequential ids.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_yaml::Value as Yaml;

/// An instant as stored: RFC 3339 with the calendar's offset, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub DateTime<FixedOffset>);

/// The whole project file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub project: String,
    pub playbook: String,
    /// `sha256:` of the playbook version this project follows.
    pub playbook_hash: String,
    pub calendar: String,
    pub started_at: Timestamp,
    pub started_by: String,
    #[serde(default)]
    pub vars: BTreeMap<String, Yaml>,
    pub steps: IndexMap<String, StepRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Event>,
}

/// What is stored about one step. Only facts: `done`, `skipped` and what came with them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRecord {
    pub status: StoredStatus,
    /// When its prerequisites were complete, as known when it was completed or skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_at: Option<Timestamp>,
    /// When it was completed or skipped, and by whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, Yaml>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub iterations: Vec<Iteration>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Event>,
}

/// One round of a repeatable step (test, adjust, test again).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Iteration {
    pub at: Timestamp,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One entry of the audit trail: who did what, when, with which tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub at: Timestamp,
    pub by: String,
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, Yaml>,
    /// The program that made the change, e.g. `onboard 0.1.0`.
    pub tool: String,
}

/// A step's stored status. Unknown values (from a newer onboard) are kept as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum StoredStatus {
    #[default]
    Pending,
    Done,
    Skipped,
    Other(String),
}

/// What an event did. Unknown values are kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Start,
    Done,
    Iteration,
    Skip,
    Reopen,
    Set,
    Other(String),
}

impl StoredStatus {
    fn as_str(&self) -> &str {
        match self {
            StoredStatus::Pending => "pending",
            StoredStatus::Done => "done",
            StoredStatus::Skipped => "skipped",
            StoredStatus::Other(other) => other,
        }
    }
}

impl Action {
    pub fn as_str(&self) -> &str {
        match self {
            Action::Start => "start",
            Action::Done => "done",
            Action::Iteration => "iteration",
            Action::Skip => "skip",
            Action::Reopen => "reopen",
            Action::Set => "set",
            Action::Other(other) => other,
        }
    }
}

impl From<String> for StoredStatus {
    fn from(text: String) -> Self {
        match text.as_str() {
            "pending" => StoredStatus::Pending,
            "done" => StoredStatus::Done,
            "skipped" => StoredStatus::Skipped,
            _ => StoredStatus::Other(text),
        }
    }
}

impl From<String> for Action {
    fn from(text: String) -> Self {
        match text.as_str() {
            "start" => Action::Start,
            "done" => Action::Done,
            "iteration" => Action::Iteration,
            "skip" => Action::Skip,
            "reopen" => Action::Reopen,
            "set" => Action::Set,
            _ => Action::Other(text),
        }
    }
}

macro_rules! string_serde {
    ($type:ty) => {
        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    };
}

string_serde!(StoredStatus);
string_serde!(Action);

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        DateTime::parse_from_rfc3339(&text).map(Timestamp).map_err(|_| {
            serde::de::Error::custom(format!(
                "`{text}` is not an RFC 3339 date-time such as 2026-03-02T09:30:00-03:00"
            ))
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Secs, false))
    }
}

impl fmt::Display for StoredStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tool that writes events.
pub fn tool() -> String {
    format!("onboard {}", env!("CARGO_PKG_VERSION"))
}

/// A stored YAML scalar as plain text (strings without quotes).
pub fn yaml_text(value: &Yaml) -> String {
    match value {
        Yaml::String(s) => s.clone(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
    }
}
