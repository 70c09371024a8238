//! `onboard util man`: the manual pages, generated from the same definitions as `--help`, with
//! the sections a manual page has that `--help` has not: exit status, environment, files,
//! examples and see also.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::cli::Context;
use crate::cli::output_file::write_output;
use crate::error::ExitCode;

/// Print the manual page (roff), or write one page per command into a folder
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write `onboard.1` and `onboard-COMMAND.1` for every command into this folder
    /// (e.g. `~/.local/share/man/man1`) instead of printing `onboard.1`
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

pub(crate) fn run(_ctx: &Context, args: ManArgs) -> Result<ExitCode> {
    let command = crate::cli::command().disable_help_subcommand(true);
    match args.out_dir {
        None => {
            let mut out = crate::cli::ui::stdout();
            out.write_all(&page(&command, None)?)?;
            out.flush()?;
        }
        Some(dir) => {
            fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
            let written = write_pages(&dir, &command)?;
            say!("Wrote {} manual pages to `{}`.", written, dir.display());
        }
    }
    Ok(ExitCode::Success)
}

/// `onboard.1`, then a page per subcommand, named as `man onboard-status` finds it, and
/// one per `util` command (`onboard-util-schema`). The plumbing's old hidden names get
/// none: their pages are `util`'s.
fn write_pages(dir: &Path, command: &clap::Command) -> Result<usize> {
    let mut written = 0;
    let mut write = |name: &str, text: Vec<u8>| -> Result<()> {
        write_output(&dir.join(format!("{name}.1")), &text, "choose another --out-dir")?;
        written += 1;
        Ok(())
    };
    write("onboard", page(command, None)?)?;
    for sub in listed(command) {
        let named = Sub { words: sub.get_name().to_string(), command: sub };
        write(&named.page_name(), page(command, Some(&named))?)?;
        for inner in listed(sub) {
            let named = Sub { words: format!("{} {}", sub.get_name(), inner.get_name()), command: inner };
            write(&named.page_name(), page(command, Some(&named))?)?;
        }
    }
    Ok(written)
}

/// The subcommands a page names: not the hidden ones, nor clap's `help`.
fn listed(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command.get_subcommands().filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
}

/// A subcommand and the words that type it after `onboard` (`util schema`).
struct Sub<'a> {
    words: String,
    command: &'a clap::Command,
}

impl Sub<'_> {
    /// The page's name: `onboard-check`, `onboard-util-schema`.
    fn page_name(&self) -> String {
        format!("onboard-{}", self.words.replace(' ', "-"))
    }
}

/// The page of `onboard`, or of one of its subcommands: the page's name is
/// `onboard-check`, its synopsis says `onboard check` as it is typed.
fn page(top: &clap::Command, sub: Option<&Sub>) -> Result<Vec<u8>> {
    let (name, command) = match sub {
        None => ("onboard".to_string(), top.clone()),
        Some(sub) => {
            let name = sub.page_name();
            let typed = format!("onboard {}", sub.words);
            (name.clone(), sub.command.clone().display_name(name).bin_name(typed))
        }
    };
    let man = clap_mangen::Man::new(command.clone());
    let man = if sub.is_some() { man.title(name.to_uppercase()) } else { man };
    let mut text = Vec::new();
    man.render_title(&mut text)?;
    man.render_name_section(&mut text)?;
    man.render_synopsis_section(&mut text)?;
    man.render_description_section(&mut text)?;
    if command.get_arguments().any(|arg| !arg.is_hide_set()) {
        man.render_options_section(&mut text)?;
    }
    if command.has_subcommands() {
        man.render_subcommands_section(&mut text)?;
    }
    text.extend_from_slice(sections(top, sub).as_bytes());
    // Subcommands carry no version of their own (clap_mangen would panic on one).
    if command.get_version().is_some() {
        man.render_version_section(&mut text)?;
    }
    Ok(text)
}

/// EXIT STATUS, ENVIRONMENT, FILES, EXAMPLES and SEE ALSO, in roff.
fn sections(top: &clap::Command, sub: Option<&Sub>) -> String {
    let mut roff = String::new();
    roff.push_str(".SH \"EXIT STATUS\"\n");
    for (code, meaning) in EXIT_STATUS {
        roff.push_str(&format!(".TP\n\\fB{code}\\fR\n{}\n", escape(meaning)));
    }
    roff.push_str(".SH ENVIRONMENT\n");
    for (name, meaning) in environment() {
        roff.push_str(&format!(".TP\n\\fB{name}\\fR\n{}\n", escape(&meaning)));
    }
    roff.push_str(".SH FILES\n");
    for (path, meaning) in FILES {
        roff.push_str(&format!(".TP\n\\fI{}\\fR\n{}\n", escape(path), escape(meaning)));
    }
    let examples = sub.and_then(examples_of).unwrap_or_else(|| examples_block(crate::cli::EXAMPLES));
    roff.push_str(".SH EXAMPLES\n.nf\n");
    for line in examples {
        roff.push_str(&format!("{}\n", escape(&line)));
    }
    roff.push_str(".fi\n.SH \"SEE ALSO\"\n");
    let others: Vec<String> = listed(top)
        .filter(|other| sub.is_none_or(|sub| sub.words != other.get_name()))
        .map(|other| format!("\\fBonboard\\-{}\\fR(1)", escape(other.get_name())))
        .collect();
    let base = if sub.is_some() { "\\fBonboard\\fR(1), " } else { "" };
    roff.push_str(&format!("{base}{}, \\fBgit\\fR(1)\n", others.join(", ")));
    roff
}

/// What the exit codes mean (README, Exit codes).
const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success."),
    (
        "1",
        "Something needs attention: check found overdue work, doctor found a problem, merge-file left conflict markers, or the person at the terminal declined (delete).",
    ),
    (
        "2",
        "An error: usage, bad input, a file that cannot be read; also a portfolio command that could not read some project, after it printed the others.",
    ),
    ("3", "The change was saved, but --commit could not commit it: do not run the command again."),
    ("4", "Another command held the project longer than ONBOARD_WAIT allows: nothing was changed."),
];

/// The files onboard reads and writes in the state directory.
const FILES: &[(&str, &str)] = &[
    (
        ".onboard/",
        "The state directory (--dir, ONBOARD_DIR, else the nearest .onboard/ upwards), committed to git.",
    ),
    (".onboard/projects/ID/", "A project: project.yaml and one small YAML file per event."),
    (".onboard/archive/ID/", "An archived project, in the same layout."),
    (".onboard/playbooks/ID.yaml", "A playbook of the team's own."),
    (".onboard/versions/", "The playbook versions projects follow, saved as they started."),
    (".onboard/calendars/ID.yaml", "A calendar override: closures, holidays worked, business hours."),
    (".onboard/people.yaml", "Which roles each person plays, for onboard next --me."),
];

/// The environment variables, as `--help` lists them.
fn environment() -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for line in crate::cli::ENVIRONMENT.lines().skip(1) {
        let line = line.trim();
        match line.split_once(char::is_whitespace) {
            Some((name, text)) if name.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
                found.push((name.to_string(), text.trim().to_string()));
            }
            _ => {
                if let Some((_, text)) = found.last_mut() {
                    text.push(' ');
                    text.push_str(line);
                }
            }
        }
    }
    found
}

/// A subcommand's examples: its `after_long_help` block when it starts with `Examples:`.
fn examples_of(sub: &Sub) -> Option<Vec<String>> {
    let text = sub.command.get_after_long_help()?.to_string();
    text.starts_with("Examples:")
        .then(|| {
            let block = text.split("\n\n").next().unwrap_or_default().to_string();
            examples_block(&block)
        })
        .or_else(|| {
            // Else the top-level examples of this command, else how to ask for its options.
            let typed = format!("onboard {} ", sub.words);
            let lines: Vec<String> = examples_block(crate::cli::EXAMPLES)
                .into_iter()
                .filter(|line| line.starts_with(&typed))
                .collect();
            Some(if lines.is_empty() { vec![format!("onboard {} --help", sub.words)] } else { lines })
        })
}

/// The lines of an `Examples:` block, without the heading and the indent.
fn examples_block(text: &str) -> Vec<String> {
    text.lines().skip(1).map(|line| line.trim_start().to_string()).collect()
}

/// Text for roff: backslashes doubled, hyphens as `\-`, and a line that would start with
/// a control character made safe.
fn escape(text: &str) -> String {
    let text = text.replace('\\', "\\\\").replace('-', "\\-");
    if text.starts_with('.') || text.starts_with('\'') { format!("\\&{text}") } else { text }
}
