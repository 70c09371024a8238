//! One file per subcommand: its clap arguments and its handler.

pub mod advance;
pub mod archive;
pub mod calendars;
pub mod check;
pub mod delete;
pub mod doctor;
pub mod explain;
pub mod init;
pub mod log;
pub mod merge_file;
pub mod playbooks;
pub mod rename;
pub mod reopen;
pub mod resolve;
pub mod set;
pub mod show;
pub mod skip;
pub mod start;
pub mod status;
pub mod upgrade;
pub mod validate;
