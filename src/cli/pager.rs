//! Long output on a terminal goes through a pager, as git does: `ONBOARD_PAGER`, else
//! `PAGER`, else `less` (with `LESS=FRX` when `LESS` is unset). Output to a pipe or a
//! file is never paged, so scripts and tests read it as it is; `--no-pager`, an empty
//! `ONBOARD_PAGER` or `cat` turn paging off; a pager that cannot be found or started
//! leaves the output written directly.
//!
//! On a terminal the output is held until the command is done, to know whether it is
//! longer than the screen; elsewhere it streams, a line at a time to a terminal and in
//! blocks to a pipe or a file (a write per line was some 200 system calls for one
//! `status PROJECT`).
//!
//! Part of the output handle (`ui.rs`): stdout is reached through it, never directly.

use std::io::{self, BufWriter, Write};
use std::process::{Command, Stdio};

/// The size of the blocks written to a pipe or a file: a pipe's buffer, so a reader such
/// as `head` gets whole blocks as soon as they are full.
const BLOCK: usize = 64 * 1024;

/// The variable that names onboard's own pager, before `PAGER`.
pub(crate) const PAGER_VARIABLE: &str = "ONBOARD_PAGER";

/// The pager to use and the height of the terminal it pages for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// The command line, run by the shell (`less`, `less -S`, `sed s/^/P:/`).
    command: String,
    /// Output with at least this many lines is paged.
    rows: usize,
}

impl Pager {
    /// The pager for this run, or `None` when output is not to be paged: stdout is not a
    /// terminal, `--no-pager`, a pager set to empty or `cat`, or an unknown height.
    pub fn resolve(no_pager: bool, terminal_rows: Option<usize>) -> Option<Pager> {
        if no_pager || !super::ui::is_stdout_terminal() {
            return None;
        }
        let env = |name: &str| std::env::var(name).ok();
        let command = command_line(env(PAGER_VARIABLE), env("PAGER"))?;
        let rows = env("LINES").and_then(|l| l.trim().parse().ok()).filter(|&r| r > 0).or(terminal_rows)?;
        Some(Pager { command, rows })
    }
}

/// `ONBOARD_PAGER` when set, else `PAGER` when set, else `less`; `None` when the one
/// chosen is empty or `cat` (nothing to page with).
fn command_line(onboard: Option<String>, pager: Option<String>) -> Option<String> {
    let chosen = onboard.or(pager).unwrap_or_else(|| "less".to_string());
    let chosen = chosen.trim();
    (!chosen.is_empty() && chosen != "cat").then(|| chosen.to_string())
}

/// Where a command writes its output: stdout directly (line by line on a terminal, in
/// blocks elsewhere, as C's stdio and ripgrep do), or held for the pager.
pub(crate) enum Output {
    Direct(io::StdoutLock<'static>),
    Blocks(BufWriter<io::StdoutLock<'static>>),
    Held { text: Vec<u8>, pager: Pager },
}

impl Output {
    /// Output for a command's human-readable text: held for `pager` when there is one.
    pub(crate) fn new(pager: Option<&Pager>) -> Output {
        match pager {
            Some(pager) => Output::Held { text: Vec::new(), pager: pager.clone() },
            None if super::ui::is_stdout_terminal() => Output::Direct(super::ui::stdout()),
            None => Output::Blocks(BufWriter::with_capacity(BLOCK, super::ui::stdout())),
        }
    }

    /// Writes what was held: through the pager when it is longer than the screen,
    /// directly otherwise or when the pager cannot be run.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        match &mut self {
            Output::Direct(out) => out.flush(),
            Output::Blocks(out) => out.flush(),
            Output::Held { text, pager } => {
                let text = std::mem::take(text);
                let lines = text.iter().filter(|&&b| b == b'\n').count();
                if lines >= pager.rows && page(&pager.command, &text)? {
                    return Ok(());
                }
                let mut out = super::ui::stdout();
                out.write_all(&text)?;
                out.flush()
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Direct(out) => out.write(buf),
            Output::Blocks(out) => out.write(buf),
            Output::Held { text, .. } => text.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Direct(out) => out.flush(),
            Output::Blocks(out) => out.flush(),
            Output::Held { .. } => Ok(()),
        }
    }
}

/// A command that failed half-way still shows what it had written (a `BufWriter` writes
/// what it holds when it is dropped).
impl Drop for Output {
    fn drop(&mut self) {
        if let Output::Held { text, .. } = self {
            let _ = super::ui::stdout().write_all(text);
        }
    }
}

/// Runs `command` with `text` on its input and waits for it; `false` when it could not
/// be found or started, so the caller writes the text itself.
fn page(command: &str, text: &[u8]) -> io::Result<bool> {
    if !is_found(command) {
        return Ok(false);
    }
    let mut shell = shell(command);
    shell.stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        // Quit at once when it fits after all, show colours, leave the screen as it is.
        shell.env("LESS", "FRX");
    }
    let Ok(mut child) = shell.spawn() else { return Ok(false) };
    let written = child.stdin.take().map(|mut input| input.write_all(text));
    let status = child.wait()?;
    match written {
        // The shell could not run it after all: nothing was shown.
        _ if status.code() == Some(127) => Ok(false),
        // Quitting the pager before the end is not an error.
        Some(Err(error)) if error.kind() != io::ErrorKind::BrokenPipe => Err(error),
        _ => Ok(true),
    }
}

#[cfg(unix)]
fn shell(command: &str) -> Command {
    let mut shell = Command::new("sh");
    shell.args(["-c", command]);
    shell
}

#[cfg(not(unix))]
fn shell(command: &str) -> Command {
    let mut words = command.split_whitespace();
    let mut shell = Command::new(words.next().unwrap_or_default());
    shell.args(words);
    shell
}

/// The pager's program exists: a path to a file, or a name found on `PATH`.
fn is_found(command: &str) -> bool {
    let Some(program) = command.split_whitespace().next() else { return false };
    let program = std::path::Path::new(program);
    if program.components().count() > 1 {
        return program.is_file();
    }
    let Some(path) = std::env::var_os("PATH") else { return false };
    std::env::split_paths(&path).any(|dir| {
        let candidate = dir.join(program);
        candidate.is_file() || candidate.with_extension("exe").is_file()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn onboard_pager_then_pager_then_less_and_empty_or_cat_turn_it_off() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(command_line(None, None).as_deref(), Some("less"));
        assert_eq!(command_line(None, some("most")).as_deref(), Some("most"));
        assert_eq!(command_line(some("less -S"), some("most")).as_deref(), Some("less -S"));
        assert_eq!(command_line(some(""), some("most")), None);
        assert_eq!(command_line(some("cat"), None), None);
        assert_eq!(command_line(None, some(" ")), None);
    }

    #[test]
    #[cfg(unix)]
    fn a_pager_is_found_on_the_path_or_by_its_path() {
        assert!(is_found("sh -c true"));
        assert!(!is_found("no-such-pager-anywhere -R"));
        assert!(!is_found("/no/such/pager"));
        assert!(!is_found(""));
    }
}
