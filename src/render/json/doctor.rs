//! `doctor --json`: what to fix in the state directory.

use schemars::JsonSchema;
use serde::Serialize;

use crate::store::health;

/// `onboard doctor --json`: the findings, in the order `doctor` prints them.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(transparent)]
#[schemars(title = "onboard doctor --json")]
pub(crate) struct Doctor(pub Vec<Finding>);

/// One thing to fix.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Finding {
    /// The project the finding is about; `null` for other files and the merge setup.
    pub project: Option<String>,
    /// The file it is about (for the clone's merge driver, the state directory), as `onboard` found
    /// it: under the state directory as given by `--dir` or `ONBOARD_DIR`, absolute when
    /// `.onboard/` was found from the current directory.
    pub path: String,
    /// What sort of problem: one of the kinds below.
    pub kind: health::KindName,
    /// What is wrong, as the text output's first line says it (without the `project: ` prefix).
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

/// The findings, each with the command line's hint on it.
pub(crate) fn doctor<'a>(findings: impl IntoIterator<Item = (&'a health::Finding, String)>) -> Doctor {
    Doctor(
        findings
            .into_iter()
            .map(|(f, hint)| Finding {
                project: f.project.clone(),
                path: f.path.display().to_string(),
                kind: f.kind.name(),
                message: f.message.clone(),
                hint,
            })
            .collect(),
    )
}
