//! The command line: clap arguments, the resolved context, and one file per subcommand,
//! dispatched from one `match`.

mod commands;
mod context;
mod git;
mod prompt;
mod step_change;
mod target;

use clap::{Parser, Subcommand};

pub use context::Context;

use crate::error::ExitCode;

/// Track long onboarding and integration processes as playbooks and project files.
#[derive(Debug, Parser)]
#[command(name = "onboard", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// The state directory [default: $ONBOARD_DIR, else the nearest .onboard/, else the per-user data folder]
    #[arg(long, global = true, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
    /// Who makes the change [default: $ONBOARD_USER, else git's user.name, else the OS user]
    #[arg(long, global = true, value_name = "NAME")]
    pub by: Option<String>,
    /// Read every project file, neither reading nor writing the portfolio cache [also: ONBOARD_NO_CACHE=1]
    #[arg(long, global = true)]
    pub no_cache: bool,
}

/// `--at`: when the work happened, for commands that record it.
#[derive(Debug, Clone, clap::Args)]
pub struct AtArgs {
    /// Record it as done at this past instant (RFC 3339, or YYYY-MM-DD for midnight in the project's zone) [default: now]
    #[arg(long, value_name = "INSTANT")]
    pub at: Option<String>,
}

/// What counts as due soon; `status` and `check` take these.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct SoonArgs {
    /// Flag day deadlines due within this many business days
    #[arg(long, value_name = "DAYS", default_value_t = 2)]
    pub soon_days: u32,
    /// Flag hour deadlines due within this many business hours
    #[arg(long, value_name = "HOURS", default_value_t = 1)]
    pub soon_hours: u32,
}

impl SoonArgs {
    pub fn thresholds(&self) -> crate::deadline::schedule::Thresholds {
        crate::deadline::schedule::Thresholds { days: self.soon_days, hours: self.soon_hours }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(commands::init::InitArgs),
    Playbooks(commands::playbooks::PlaybooksArgs),
    Show(commands::show::ShowArgs),
    Validate(commands::validate::ValidateArgs),
    Start(commands::start::StartArgs),
    Status(commands::status::StatusArgs),
    Advance(commands::advance::AdvanceArgs),
    Skip(commands::skip::SkipArgs),
    Reopen(commands::reopen::ReopenArgs),
    Log(commands::log::LogArgs),
    Set(commands::set::SetArgs),
    Check(commands::check::CheckArgs),
    Doctor(commands::doctor::DoctorArgs),
    Explain(commands::explain::ExplainArgs),
    Calendars(commands::calendars::CalendarsArgs),
    Resolve(commands::resolve::ResolveArgs),
    MergeFile(commands::merge_file::MergeFileArgs),
}

/// Runs one command and says which exit code it earned.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context::resolve(&cli.global)?;
    match cli.command {
        Command::Init(args) => commands::init::run(&ctx, args),
        Command::Playbooks(args) => commands::playbooks::run(&ctx, args),
        Command::Show(args) => commands::show::run(&ctx, args),
        Command::Validate(args) => commands::validate::run(&ctx, args),
        Command::Start(args) => commands::start::run(&ctx, args),
        Command::Status(args) => commands::status::run(&ctx, args),
        Command::Advance(args) => commands::advance::run(&ctx, args),
        Command::Skip(args) => commands::skip::run(&ctx, args),
        Command::Reopen(args) => commands::reopen::run(&ctx, args),
        Command::Log(args) => commands::log::run(&ctx, args),
        Command::Set(args) => commands::set::run(&ctx, args),
        Command::Check(args) => commands::check::run(&ctx, args),
        Command::Doctor(args) => commands::doctor::run(&ctx, args),
        Command::Explain(args) => commands::explain::run(&ctx, args),
        Command::Calendars(args) => commands::calendars::run(&ctx, args),
        Command::Resolve(args) => commands::resolve::run(&ctx, args),
        Command::MergeFile(args) => commands::merge_file::run(&ctx, args),
    }
}
