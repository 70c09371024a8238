//! Deadlines: the calendar arithmetic the playbook's rules (`playbook::rule`) need, and the
//! due dates they give a project.

pub(crate) mod arith;
pub(crate) mod evaluate;
