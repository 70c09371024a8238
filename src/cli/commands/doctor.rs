//! `onboard doctor`: everything to fix in the state directory, one finding a line with
//! its hint; exits 1 when it finds anything, so that CI can run it after a merge.

use std::io::Write;

use anyhow::Result;

use crate::cli::{Context, git};
use crate::error::ExitCode;
use crate::hint::hinted;
use crate::render::json;
use crate::state::health::{self, Finding, Git};
use crate::words;

/// Find what needs fixing in the state directory; exit 1 if anything does
///
/// Unreadable project files (archived ones included), conflict markers, steps done ahead
/// of an open prerequisite or completed twice with different values (after a merge), a
/// name both in projects/ and archive/, files left by a crash, and, in a git repository,
/// the merge rules and driver.
#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: DoctorArgs) -> Result<ExitCode> {
    let root = &ctx.store.root;
    if !root.is_dir() {
        return Err(hinted(
            format!("there is no state directory at `{}`", root.display()),
            "`onboard init` creates one here; `--dir DIR` or ONBOARD_DIR points to another",
        ));
    }
    let git = git::is_work_tree(root).then(|| {
        let driver = git::configured_driver(root);
        let program = driver.as_deref().and_then(git::driver_program);
        Git { driver, missing_program: program.filter(|p| !p.exists()) }
    });
    let findings = health::examine(&ctx.store, git.as_ref())?;
    let mut out = std::io::stdout().lock();
    if args.json {
        json::write(&mut out, &json::doctor::doctor(&findings))?;
    } else {
        write_text(&mut out, ctx, &findings)?;
    }
    out.flush()?;
    Ok(if findings.is_empty() { ExitCode::Success } else { ExitCode::Attention })
}

/// `coop-central: …` then an indented `hint: …` for each finding, and a closing count.
fn write_text(out: &mut impl Write, ctx: &Context, findings: &[Finding]) -> Result<()> {
    for finding in findings {
        match &finding.project {
            Some(project) => writeln!(out, "{project}: {}", finding.message)?,
            None => writeln!(out, "{}", finding.message)?,
        }
        writeln!(out, "  hint: {}", finding.hint)?;
    }
    let mut projects = words::count(ctx.store.project_names()?.len() as i64, "project");
    let archived = ctx.store.archived_names()?.len();
    if archived > 0 {
        projects.push_str(&format!(", {archived} archived"));
    }
    let root = ctx.store.root.display();
    match findings.len() {
        0 => writeln!(out, "No problems found in `{root}` ({projects}).")?,
        n => writeln!(out, "{} found in `{root}` ({projects}).", words::count(n as i64, "problem"))?,
    }
    Ok(())
}
