//! `onboard util schema NAME`: JSON Schemas derived from the very structs the code uses: the
//! playbook file the parser reads, and each `--json` output the commands print
//! (committed under `schema/`, kept in sync by the tests).

use std::io::Write;

use anyhow::Result;
use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, Schema};

use crate::cli::Context;
use crate::error::ExitCode;
use crate::playbook::raw::RawPlaybook;
use crate::render::diff::Report;
use crate::render::json::{calendar, check, doctor, explain, forecast, log, next, playbook, stats, status};

/// Print a JSON Schema: of playbook files, or of a command's `--json` output (committed as schema/NAME.schema.json)
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which file format or output
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A playbook file (`playbooks/*.yaml`, `.onboard/playbooks/*.yaml`)
    Playbook,
    /// `status PROJECT --json`: one project
    Status,
    /// `status --json` with several projects
    Portfolio,
    /// `check --json`
    Check,
    /// `next --json`
    Next,
    /// `forecast --json`
    Forecast,
    /// `log PROJECT --json`: one project's trail
    Log,
    /// `log --json` with several projects: the portfolio's activity
    Activity,
    /// `explain --json`
    Explain,
    /// `validate --json`
    Validate,
    /// `doctor --json`
    Doctor,
    /// `diff --json`
    Diff,
    /// `calendars --json`: every calendar
    Calendars,
    /// `calendars ID --json`: one calendar's closed days in a year
    CalendarYear,
    /// `playbooks --json`
    Playbooks,
    /// `show ID --json`
    Show,
    /// `stats --json`
    Stats,
}

impl Format {
    /// Every format, in the order of `onboard util schema --help`.
    pub fn all() -> &'static [Format] {
        <Format as clap::ValueEnum>::value_variants()
    }

    /// `calendar-year`, as the command line and the committed file name spell it.
    pub fn name(self) -> String {
        clap::ValueEnum::to_possible_value(&self).expect("no format is hidden").get_name().to_string()
    }

    /// The schema as committed: pretty JSON.
    pub fn schema(self) -> String {
        let schema = match self {
            Format::Playbook => return playbook_schema(),
            Format::Status => output::<status::Status>(),
            Format::Portfolio => output::<status::Portfolio>(),
            Format::Check => output::<check::Check>(),
            Format::Next => output::<next::Next>(),
            Format::Forecast => output::<forecast::Forecast>(),
            Format::Log => output::<log::Log>(),
            Format::Activity => output::<log::Activity>(),
            Format::Explain => output::<explain::Explanation>(),
            Format::Validate => output::<playbook::Validation>(),
            Format::Doctor => output::<doctor::Doctor>(),
            Format::Diff => output::<Report>(),
            Format::Calendars => output::<calendar::Calendars>(),
            Format::CalendarYear => output::<calendar::CalendarYear>(),
            Format::Playbooks => output::<playbook::Playbooks>(),
            Format::Show => output::<playbook::Playbook>(),
            Format::Stats => output::<stats::Stats>(),
        };
        serde_json::to_string_pretty(&schema).expect("a schema serializes")
    }
}

pub(crate) fn run(_ctx: &Context, args: SchemaArgs) -> Result<ExitCode> {
    let mut out = crate::cli::ui::stdout();
    writeln!(out, "{}", args.format.schema())?;
    out.flush()?;
    Ok(ExitCode::Success)
}

/// The playbook schema, with an id editors can cache it by.
pub(crate) fn playbook_schema() -> String {
    let mut schema = schemars::schema_for!(RawPlaybook);
    schema.insert("title".into(), "onboard playbook".into());
    serde_json::to_string_pretty(&schema).expect("a schema serializes")
}

/// The schema of an output as it is serialized: every key is always present (except
/// where the struct skips it), and no object has keys the schema does not name, so that
/// validating real output catches a key added without its schema.
fn output<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
        .for_serialize()
        .with_transform(Closed)
        .into_generator()
        .into_root_schema_for::<T>()
}

/// Adds `"additionalProperties": false` to every object schema that lists its properties.
#[derive(Debug, Clone, Copy)]
struct Closed;

impl Transform for Closed {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(object) = schema.as_object_mut()
            && object.contains_key("properties")
            && !object.contains_key("additionalProperties")
        {
            object.insert("additionalProperties".into(), false.into());
        }
        transform_subschemas(self, schema);
    }
}
