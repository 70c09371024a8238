//! One file per subcommand: its clap arguments and its handler.

pub mod advance;
pub mod calendars;
pub mod check;
pub mod completions;
pub mod diff;
pub mod doctor;
pub mod explain;
pub mod ical;
pub mod init;
pub mod log;
pub mod man;
pub mod merge_file;
pub mod playbooks;
pub mod reopen;
pub mod report;
pub mod resolve;
pub mod schema;
pub mod set;
pub mod show;
pub mod skip;
pub mod start;
pub mod status;
pub mod validate;
