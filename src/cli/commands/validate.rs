//! `onboard validate`: check playbooks and report every problem with its location.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::cli::Context;
use crate::error::ExitCode;
use crate::playbook::catalog;
use crate::render::json::{self, playbook::Checked, playbook::Validation};
use crate::render::one_line;
use crate::words;

/// Check playbooks: the bundled and local ones, or the given files
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Playbook files to check [default: every bundled and local playbook]
    pub files: Vec<PathBuf>,
    /// Print JSON (see docs/json.md); the exit code is still 2 when a playbook has problems
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn run(ctx: &Context, args: ValidateArgs) -> Result<ExitCode> {
    let mut results = Vec::new();
    if args.files.is_empty() {
        for entry in catalog::list(&ctx.store.root)? {
            let name = table_name(&entry);
            results.push((name, entry.playbook.map_err(anyhow::Error::from)));
        }
    } else {
        for path in &args.files {
            results.push((path.display().to_string(), catalog::load_file(path, None)));
        }
    }
    let mut out = crate::cli::ui::stdout();
    if args.json {
        let playbooks: Vec<_> =
            results.iter().map(|(name, result)| Checked::of(name.clone(), result)).collect();
        json::write(&mut out, &Validation { valid: playbooks.iter().all(|p| p.valid), playbooks })?;
    }
    let mut failed = 0;
    for (name, result) in &results {
        match result {
            Ok(_) if args.json => {}
            Ok(playbook) => writeln!(
                out,
                "ok: {} ({}, {}, {})",
                one_line(name),
                playbook.id,
                words::count(playbook.phases.len() as i64, "phase"),
                words::count(playbook.step_count() as i64, "step")
            )?,
            Err(error) => {
                failed += 1;
                crate::cli::ui::report(error);
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        match results.len() {
            1 => say!("the playbook has problems"),
            total => say!("{failed} of {total} playbooks have problems"),
        }
        return Ok(ExitCode::Error);
    }
    Ok(ExitCode::Success)
}

fn table_name(entry: &catalog::Listed) -> String {
    match &entry.origin {
        crate::playbook::Origin::Bundled => format!("playbooks/{}.yaml", entry.id),
        crate::playbook::Origin::File(path) => path.display().to_string(),
    }
}
