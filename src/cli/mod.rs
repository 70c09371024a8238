//! The command line: clap arguments, the resolved context, and one file per subcommand,
//! dispatched from one `match`.

/// A notice for the person at the terminal, on stderr: what a command did and what comes
/// next. `--quiet` silences it (`ui.rs`).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::ui::message($crate::cli::ui::Level::Notice, format_args!($($arg)*))
    };
}

/// A warning on stderr, after `warning: `: something to check although the command did
/// its work. Shown under `--quiet` too.
macro_rules! warn {
    ($($arg:tt)*) => {
        $crate::cli::ui::message($crate::cli::ui::Level::Warning, format_args!($($arg)*))
    };
}

/// An error line on stderr, after `error: `, for a failure a command reports and goes on
/// past (the error that ends a run is `main`'s to print, through `ui::report`).
macro_rules! error {
    ($($arg:tt)*) => {
        $crate::cli::ui::message($crate::cli::ui::Level::Error, format_args!($($arg)*))
    };
}

/// A detail on stderr that only `--verbose` shows: where the run looked (`ui.rs` and
/// the README list them). Never a time or anything else that changes between runs.
macro_rules! verbose {
    ($($arg:tt)*) => {
        $crate::cli::ui::message($crate::cli::ui::Level::Detail, format_args!($($arg)*))
    };
}

mod acting;
mod assignments;
mod commands;
pub(crate) mod complete;
mod context;
mod filter;
mod git;
mod hints;
mod lean;
mod members;
mod output_file;
pub(crate) mod pager;
mod prompt;
mod refusal;
mod runner;
mod target;
pub mod ui;
mod workspace;

use clap::{Parser, Subcommand};
use clap_complete::engine::ArgValueCompleter;

pub use commands::completions::COMPLETE_VARIABLE;
pub use context::Context;
pub use lean::parse as parse_lean;

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

/// Options every command takes, listed apart from each command's own under their own
/// heading.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The state directory [default: $ONBOARD_DIR, else the nearest .onboard/, else the per-user data folder]; repeated, portfolio commands read them all
    #[arg(long, global = true, value_name = "DIR")]
    pub dir: Vec<std::path::PathBuf>,
    /// A workspace file listing state directories that portfolio commands read together [default: $ONBOARD_WORKSPACE]
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "dir")]
    pub workspace: Option<std::path::PathBuf>,
    /// Who makes the change [default: $ONBOARD_USER, else git's user.name, else the OS user]
    #[arg(long, global = true, value_name = "NAME")]
    pub by: Option<String>,
    /// Read every project file, neither reading nor writing the portfolio cache [also: ONBOARD_NO_CACHE=1]
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// When to colour output: on a terminal unless NO_COLOR or CLICOLOR=0 (auto; CLICOLOR_FORCE=1 forces it), always, or never
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,
    /// Write long output directly, not through a pager [also: ONBOARD_PAGER= or cat]
    #[arg(long, global = true)]
    pub no_pager: bool,
    /// Say nothing on stderr but errors, warnings and questions; data on stdout is the same
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also say on stderr where the run looked: state directories, clock, cache, projects read
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
}

impl GlobalArgs {
    /// How much the run says on stderr (`--quiet`, `--verbose`).
    fn verbosity(&self) -> ui::Verbosity {
        match (self.quiet, self.verbose) {
            (true, _) => ui::Verbosity::Quiet,
            (false, true) => ui::Verbosity::Verbose,
            (false, false) => ui::Verbosity::Normal,
        }
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `--at`: when the work happened, for commands that record it.
#[derive(Debug, Clone, clap::Args)]
pub struct AtArgs {
    /// Record it as done at this past instant (RFC 3339, or YYYY-MM-DD for midnight in the project's zone) [default: now]
    #[arg(long, value_name = "INSTANT")]
    pub at: Option<String>,
}

/// `--as-of`: the past as it was recorded; `status` and `check` take it.
#[derive(Debug, Clone, clap::Args)]
pub struct AsOfArgs {
    /// Show projects as they were recorded at this past instant, judged then (RFC 3339, or YYYY-MM-DD for midnight in each project's zone)
    #[arg(long, value_name = "INSTANT")]
    pub as_of: Option<String>,
}

impl AsOfArgs {
    /// The context to judge in, saying on stderr that what follows is the past.
    pub fn apply(&self, ctx: &Context) -> anyhow::Result<Context> {
        let judged = ctx.as_of(self.as_of.as_deref())?;
        if let Some(text) = &self.as_of {
            say!("As of {}: projects as recorded then, due dates judged then.", text.trim());
        }
        Ok(judged)
    }
}

/// Which projects and which work a portfolio shows; `status` and `check` take these.
#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// Only work this role owns (its id or name, in any case, such as `analyst`)
    #[arg(long, value_name = "ROLE", add = ArgValueCompleter::new(complete::roles))]
    pub owner: Option<String>,
    /// Only projects that follow this playbook
    #[arg(long, value_name = "ID", conflicts_with = "project", add = ArgValueCompleter::new(complete::playbooks))]
    pub playbook: Option<String>,
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
    pub fn thresholds(&self) -> crate::state::schedule::Thresholds {
        crate::state::schedule::Thresholds { days: self.soon_days, hours: self.soon_hours }
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
    Next(commands::next::NextArgs),
    Advance(commands::advance::AdvanceArgs),
    Skip(commands::skip::SkipArgs),
    Reopen(commands::reopen::ReopenArgs),
    Retract(commands::retract::RetractArgs),
    Log(commands::log::LogArgs),
    Set(commands::set::SetArgs),
    Check(commands::check::CheckArgs),
    Forecast(commands::forecast::ForecastArgs),
    Report(commands::report::ReportArgs),
    Stats(commands::stats::StatsArgs),
    Ical(commands::ical::IcalArgs),
    Site(commands::site::SiteArgs),
    Diff(commands::diff::DiffArgs),
    Doctor(commands::doctor::DoctorArgs),
    Explain(commands::explain::ExplainArgs),
    Calendars(commands::calendars::CalendarsArgs),
    Resolve(commands::resolve::ResolveArgs),
    Archive(commands::archive::ArchiveArgs),
    Unarchive(commands::archive::UnarchiveArgs),
    Rename(commands::rename::RenameArgs),
    Delete(commands::delete::DeleteArgs),
    Prune(commands::prune::PruneArgs),
    Migrate(commands::migrate::MigrateArgs),
    Upgrade(commands::upgrade::UpgradeArgs),
    Util(UtilArgs),
    // The plumbing's names from before `util`, hidden: scripts, and the merge driver that
    // `init` configures (`onboard merge-file %O %A %B %P`), run them so.
    #[command(hide = true)]
    MergeFile(commands::merge_file::MergeFileArgs),
    #[command(hide = true)]
    Completions(commands::completions::CompletionsArgs),
    #[command(hide = true)]
    Man(commands::man::ManArgs),
    #[command(hide = true)]
    Schema(commands::schema::SchemaArgs),
}

/// Plumbing for scripts and git: completions, manual pages, JSON Schemas, the merge driver
#[derive(Debug, clap::Args)]
pub struct UtilArgs {
    #[command(subcommand)]
    pub command: Util,
}

/// `onboard util`'s commands, apart from the ones people use.
#[derive(Debug, Subcommand)]
pub enum Util {
    Completions(commands::completions::CompletionsArgs),
    Man(commands::man::ManArgs),
    Schema(commands::schema::SchemaArgs),
    MergeFile(commands::merge_file::MergeFileArgs),
}

impl Util {
    fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        match self {
            Util::Completions(args) => commands::completions::run(ctx, args),
            Util::Man(args) => commands::man::run(ctx, args),
            Util::Schema(args) => commands::schema::run(ctx, args),
            Util::MergeFile(args) => commands::merge_file::run(ctx, args),
        }
    }

    /// Whether it reads a state directory at all; the others must not be stopped by an
    /// exported `ONBOARD_WORKSPACE`.
    fn reads_state(&self) -> bool {
        matches!(self, Util::MergeFile(_))
    }
}

impl Command {
    /// Whether the command reads a portfolio that may span several state directories
    /// (`members.rs`); every other command refuses several.
    fn spans_directories(&self) -> bool {
        match self {
            Command::Check(args) => args.project.is_none(),
            Command::Status(args) => args.project.is_none(),
            Command::Next(_) | Command::Stats(_) | Command::Site(_) => true,
            Command::Forecast(args) => args.project.is_empty(),
            Command::Log(args) => args.project.is_none() && args.projects.is_empty(),
            // They read no state directory: an exported `ONBOARD_WORKSPACE` must not stop them.
            Command::Completions(_) | Command::Man(_) | Command::Schema(_) => true,
            Command::Util(util) => !util.command.reads_state(),
            _ => false,
        }
    }
}

/// The environment variables that commands read, listed under every command's `--help`.
pub const ENVIRONMENT: &str = "\
Environment:
  ONBOARD_DIR       The state directory, as --dir
  ONBOARD_WORKSPACE A workspace file of state directories read together, as --workspace
  ONBOARD_USER      Who makes changes, as --by
  ONBOARD_NOW       The clock, for scripts and tests: RFC 3339, or YYYY-MM-DD for midnight
  NO_COLOR          Set (not empty): no colour; also CLICOLOR=0, and CLICOLOR_FORCE=1 to force it
  COLUMNS           The width tables and text fit into [default: the terminal's, else 100];
                    below 80, tables show each row as a block of `label: value` lines
  ONBOARD_PAGER     The pager for output longer than the terminal, before PAGER
                    [default: less, with LESS=FRX]; empty or cat: none, as --no-pager
  LINES             The terminal's height, past which output is paged [default: the terminal's]
  ONBOARD_NO_CACHE  Set (not empty or 0): portfolio commands bypass their cache, as --no-cache
  ONBOARD_WAIT      Seconds a change waits for a project another command is changing, then
                    exits 4 [default: 30; 0: not at all]";

/// A few commands to start from, under `onboard --help`.
pub const EXAMPLES: &str = "\
Examples:
  onboard start data-import opera --set J=2026-04-20
  onboard status                      where every project stands
  onboard next --owner analyst        what the analysts can do now, most urgent first
  onboard advance coop-central 3.1 --note \"sent by mail\" --commit
  onboard check || notify-team        exit 1 when anything is overdue
  onboard log --since 2026-03-01      the team's activity since 1 March, newest first";

/// The command line as clap parses it, with the environment section in every `--help`
/// (and in the manual pages), and under the top-level help a few examples. Completions and `man` describe this same command.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    Cli::command()
        .after_help(ENVIRONMENT)
        .after_long_help(format!("{EXAMPLES}\n\n{ENVIRONMENT}"))
        .mut_subcommands(with_environment)
}

/// A subcommand's help with the environment section under it (and under `util`'s own).
fn with_environment(sub: clap::Command) -> clap::Command {
    let examples = sub.get_after_long_help().map(std::string::ToString::to_string);
    let sub = sub.after_help(ENVIRONMENT).mut_subcommands(with_environment);
    match examples {
        Some(examples) => sub.after_long_help(format!("{examples}\n\n{ENVIRONMENT}")),
        None => sub,
    }
}

/// Runs one command and says which exit code it earned; an error leaves with the
/// command line's advice on it (`hints`).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    dispatch(cli).map_err(|error| hints::advised(error, None))
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    ui::set_verbosity(cli.global.verbosity());
    let ctx = Context::resolve(&cli.global)?;
    ctx.tell_where();
    if ctx.is_several() && !cli.command.spans_directories() {
        return Err(members::one_directory_only(&ctx));
    }
    let code = run_command(&ctx, cli.command)?;
    // Asking git costs a process or two: not for a note `--quiet` would not show.
    if ui::shows(ui::Level::Notice)
        && let Some(note) = git::unshared_note(&ctx.store)
    {
        say!("{note}");
    }
    Ok(code)
}

/// Runs one command in its resolved context.
fn run_command(ctx: &Context, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Init(args) => commands::init::run(ctx, args),
        Command::Playbooks(args) => commands::playbooks::run(ctx, args),
        Command::Show(args) => commands::show::run(ctx, args),
        Command::Validate(args) => commands::validate::run(ctx, args),
        Command::Start(args) => commands::start::run(ctx, args),
        Command::Status(args) => commands::status::run(ctx, args),
        Command::Next(args) => commands::next::run(ctx, args),
        Command::Advance(args) => commands::advance::run(ctx, args),
        Command::Skip(args) => commands::skip::run(ctx, args),
        Command::Reopen(args) => commands::reopen::run(ctx, args),
        Command::Retract(args) => commands::retract::run(ctx, args),
        Command::Log(args) => commands::log::run(ctx, args),
        Command::Set(args) => commands::set::run(ctx, args),
        Command::Check(args) => commands::check::run(ctx, args),
        Command::Forecast(args) => commands::forecast::run(ctx, args),
        Command::Report(args) => commands::report::run(ctx, args),
        Command::Stats(args) => commands::stats::run(ctx, args),
        Command::Ical(args) => commands::ical::run(ctx, args),
        Command::Site(args) => commands::site::run(ctx, args),
        Command::Diff(args) => commands::diff::run(ctx, args),
        Command::Doctor(args) => commands::doctor::run(ctx, args),
        Command::Explain(args) => commands::explain::run(ctx, args),
        Command::Calendars(args) => commands::calendars::run(ctx, args),
        Command::Resolve(args) => commands::resolve::run(ctx, args),
        Command::Archive(args) => commands::archive::archive(ctx, args),
        Command::Unarchive(args) => commands::archive::unarchive(ctx, args),
        Command::Rename(args) => commands::rename::run(ctx, args),
        Command::Delete(args) => commands::delete::run(ctx, args),
        Command::Prune(args) => commands::prune::run(ctx, args),
        Command::Migrate(args) => commands::migrate::run(ctx, args),
        Command::Upgrade(args) => commands::upgrade::run(ctx, args),
        Command::Util(args) => args.command.run(ctx),
        Command::MergeFile(args) => Util::MergeFile(args).run(ctx),
        Command::Completions(args) => Util::Completions(args).run(ctx),
        Command::Man(args) => Util::Man(args).run(ctx),
        Command::Schema(args) => Util::Schema(args).run(ctx),
    }
}
