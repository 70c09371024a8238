//! `onboard schema playbook`: the JSON Schema of playbook files, derived from the very
//! structs the parser reads them with, for editors to complete and check playbooks.

use std::io::Write;

use anyhow::Result;

use crate::cli::Context;
use crate::error::ExitCode;
use crate::playbook::raw::RawPlaybook;

/// Print a JSON Schema (committed as schema/playbook.schema.json)
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which file format
    pub format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// A playbook file (`playbooks/*.yaml`, `.onboard/playbooks/*.yaml`)
    Playbook,
}

pub fn run(_ctx: &Context, args: SchemaArgs) -> Result<ExitCode> {
    let Format::Playbook = args.format;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", playbook_schema())?;
    out.flush()?;
    Ok(ExitCode::Success)
}

/// The schema as committed: pretty JSON, with an id editors can cache it by.
pub fn playbook_schema() -> String {
    let mut schema = schemars::schema_for!(RawPlaybook);
    schema.insert("title".into(), "onboard playbook".into());
    serde_json::to_string_pretty(&schema).expect("a schema serializes")
}
