//! Which steps of a project each step command can act on: what completion offers after
//! the project's name, and which projects a terminal offers to choose from.

use super::Context;
use crate::state::loaded::Project;
use crate::state::progress::{Detail, Status, StepView};
use crate::state::schedule::Thresholds;

/// A command that acts on one step (or, for `explain`, on a step or a phase).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Acting {
    Advance,
    Skip,
    Reopen,
    Explain,
}

impl Acting {
    /// The command of this name, if it acts on a step.
    pub(super) fn of(command: &str) -> Option<Acting> {
        match command {
            "advance" => Some(Acting::Advance),
            "skip" => Some(Acting::Skip),
            "reopen" => Some(Acting::Reopen),
            "explain" => Some(Acting::Explain),
            _ => None,
        }
    }

    /// Whether the command can act on this step: a ready one for `advance`, a done or
    /// skipped one for `reopen`, an optional open one for `skip`, any for `explain`.
    pub(super) fn can_act_on(self, step: &StepView<'_>) -> bool {
        let finished = matches!(step.status, Status::Done | Status::Skipped);
        match self {
            Acting::Advance => step.status == Status::Ready,
            // A step skipped because its condition is false was never done: nothing to undo.
            Acting::Reopen => finished && !step.is_not_applicable(),
            Acting::Skip => step.step.optional && !finished && !step.is_not_applicable(),
            Acting::Explain => true,
        }
    }

    /// Whether the command can act on some step of `project`.
    pub(super) fn has_work(self, ctx: &Context, project: &Project) -> bool {
        let standing = project.standing_now(ctx, Thresholds::default(), Detail::Statuses);
        standing.progress.steps().any(|step| self.can_act_on(step))
    }

    /// What the projects that `has_work` are, for the error when there is none.
    pub(super) fn able(self) -> &'static str {
        match self {
            Acting::Advance => "has a ready step",
            Acting::Skip => "has an optional step left to skip",
            Acting::Reopen => "has a done or skipped step",
            Acting::Explain => "can be read",
        }
    }
}
