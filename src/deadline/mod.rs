//! Deadlines: the rules a playbook writes, the calendar arithmetic they need, and the due
//! dates they give a project.

pub mod arith;
pub mod evaluate;
pub mod rule;
pub mod schedule;
