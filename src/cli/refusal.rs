//! What to do about a refused change: the hints that name `onboard` commands and flags,
//! kept here so the domain's errors (`state::change::ChangeError`) know no command line.

use crate::state::change::ChangeError;
use crate::state::retraction::RetractError;

/// What to do about a refused retraction in project `project`.
pub(super) fn retract_advice(error: &RetractError, project: &str) -> String {
    match error {
        RetractError::Retraction { .. } => "to make it count again, record the event again".to_string(),
        RetractError::Already { .. } => format!("`onboard log {project} --ids` marks what was retracted"),
        RetractError::Unknown { .. } => "a newer onboard wrote it; retract it with that version".to_string(),
        RetractError::Needed { later, .. } => format!("retract `{later}` first"),
    }
}

/// What to do about a refused change of project `project` (when known: every command in
/// a hint then names it, so that the hint can be pasted as it is); `None` when its
/// message says it all.
pub(super) fn advice(error: &ChangeError, project: Option<&str>) -> Option<String> {
    // `onboard explain coop contact-list`: the project first, as the commands take it.
    let at = |id: &str| match project {
        Some(project) => format!("{project} {id}"),
        None => id.to_string(),
    };
    Some(match error {
        ChangeError::TooEarly { step, .. } => {
            format!("it is scheduled; `onboard explain {}` shows how the date was derived", at(&step.id))
        }
        ChangeError::EarliestUnknown { step, why } => {
            format!("{why}; `onboard explain {}` shows the rule", at(&step.id))
        }
        ChangeError::NotRepeatable { .. } => {
            "only steps marked `repeatable: true` record rounds; complete it without `--repeat`".into()
        }
        ChangeError::NotOptional { .. } => {
            "only steps marked `optional: true` in the playbook can be skipped".into()
        }
        ChangeError::NeedsNoSkip { .. } | ChangeError::AlreadyFinished { .. } => return None,
        ChangeError::NothingToReopen { .. } => "reopen undoes a completed or skipped step".into(),
        ChangeError::ReopenBeforeFinished { .. } => {
            "give an `--at` after its completion, or leave `--at` out to reopen it now".into()
        }
        ChangeError::BeforeLatest { latest, .. } => {
            format!("give an `--at` at or after {latest}, or leave `--at` out to record it now")
        }
        ChangeError::SetBeforeLater { later, .. } => {
            format!(
                "the later value still holds; give an `--at` at or after {later}, or leave `--at` out to set it now"
            )
        }
        ChangeError::ReadyOnlyLater { .. } => {
            "give an `--at` after it became ready, or leave `--at` out to record it now".into()
        }
        ChangeError::Waiting { reason, .. } => format!("it waits for {reason}"),
        ChangeError::Blocked { reason, .. } => match project {
            Some(project) => {
                format!(
                    "it {reason}; `onboard set {project} NAME=VALUE --reason TEXT` gives a variable its value"
                )
            }
            None => format!("it {reason}; `onboard set` gives a variable its value"),
        },
        ChangeError::Done { step, .. } => {
            format!("`onboard reopen {} --reason TEXT` undoes it", at(&step.id))
        }
        ChangeError::Skipped { step, .. } => {
            format!("`onboard reopen {} --reason TEXT` undoes a skip", at(&step.id))
        }
        ChangeError::NoSuchField { fields, .. } if fields.is_empty() => "this step records no fields".into(),
        ChangeError::NoSuchField { fields, .. } => format!("its fields are {}", fields.join(", ")),
        ChangeError::MissingField { field, placeholder, .. } => format!("pass `--set {field}={placeholder}`"),
        ChangeError::Unfinished { project, .. } => format!(
            "finish or skip them first, or archive it as abandoned: `onboard archive {project} --reason TEXT`"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::change::StepName;
    use crate::state::progress::Status;
    use crate::state::project::Timestamp;

    fn contact_list() -> StepName {
        StepName { id: "contact-list".into(), number: Some("3.1".into()) }
    }

    fn x() -> StepName {
        StepName { id: "x".into(), number: None }
    }

    /// Completing step 3.1, done already.
    fn done() -> ChangeError {
        let at = Timestamp(chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00-03:00").unwrap());
        ChangeError::Done { verb: "complete", step: contact_list(), when: Some(at), by: "ana".into() }
    }

    /// The refusal as it leaves a command.
    fn refusal(error: ChangeError) -> anyhow::Error {
        crate::cli::hints::advised(error.into(), None)
    }

    #[test]
    fn a_refusal_of_a_change_to_a_known_project_names_it_in_the_command_it_suggests() {
        let error = crate::cli::hints::advised(done().into(), Some("coop"));
        assert_eq!(
            crate::hint::hint(&error).as_deref(),
            Some("`onboard reopen coop contact-list --reason TEXT` undoes it")
        );
    }

    #[test]
    fn a_refusal_keeps_the_domain_message_and_adds_the_command_line_advice() {
        let error = refusal(done());
        assert_eq!(
            crate::hint::message(&error),
            "cannot complete step 3.1 `contact-list`: it was done on 2026-03-02T09:00:00-03:00 by ana"
        );
        assert_eq!(
            crate::hint::hint(&error).as_deref(),
            Some("`onboard reopen contact-list --reason TEXT` undoes it")
        );
        let fields = ChangeError::NoSuchField { step: x(), field: "y".into(), fields: Vec::new() };
        assert_eq!(crate::hint::hint(&refusal(fields)).as_deref(), Some("this step records no fields"));
        let plain = refusal(ChangeError::AlreadyFinished { step: x(), status: Status::Done });
        assert_eq!(crate::hint::hint(&plain), None);
        assert!(plain.downcast_ref::<ChangeError>().is_some(), "callers can still match the refusal");
        let advised = refusal(ChangeError::NotOptional { step: x() });
        assert!(
            advised.chain().any(<dyn std::error::Error + 'static>::is::<ChangeError>),
            "an advised refusal can be matched too"
        );
    }
}
