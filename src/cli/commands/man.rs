//! `onboard man`: the manual pages, generated from the same definitions as `--help`.

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

pub fn run(_ctx: &Context, args: ManArgs) -> Result<ExitCode> {
    let command = crate::cli::command();
    match args.out_dir {
        None => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(command).render(&mut out)?;
            out.flush()?;
        }
        Some(dir) => {
            fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
            let written = write_pages(&dir, command)?;
            say!("Wrote {} manual pages to `{}`.", written, dir.display());
        }
    }
    Ok(ExitCode::Success)
}

/// `onboard.1`, then a page per subcommand, named as `man onboard-status` finds it.
fn write_pages(dir: &Path, command: clap::Command) -> Result<usize> {
    let command = command.disable_help_subcommand(true);
    let mut written = 0;
    let mut write = |name: &str, page: clap::Command| -> Result<()> {
        let path = dir.join(format!("{name}.1"));
        let mut text = Vec::new();
        clap_mangen::Man::new(page).title(name.to_uppercase()).render(&mut text)?;
        write_output(&path, &text, "choose another --out-dir")?;
        written += 1;
        Ok(())
    };
    write("onboard", command.clone())?;
    for sub in command.get_subcommands() {
        let name = format!("onboard-{}", sub.get_name());
        write(&name, sub.clone().name(name.clone()))?;
    }
    Ok(written)
}
