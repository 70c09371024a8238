//! Deadlines: the rules a playbook writes, and (with the calendars) the due dates they give.

pub mod rule;
