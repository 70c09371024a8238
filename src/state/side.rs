//! One project as one version of a state directory holds it, ready to judge: what
//! `onboard diff` compares, read from the disk or from a git revision alike.

use std::sync::Arc;

use super::project::ProjectFile;
use crate::calendar::Calendar;
use crate::playbook::Playbook;

/// One project as one version of the state directory holds it: its file, the playbook
/// version it follows (checked against it), and its working calendar.
pub struct Side {
    pub file: ProjectFile,
    pub playbook: Arc<Playbook>,
    pub calendar: Calendar,
}
