//! `onboard calendars`: the working calendars, or one calendar's holidays for a year.

use std::io::Write;

use anyhow::Result;
use chrono::Datelike;
use clap_complete::engine::ArgValueCompleter;

use crate::calendar::{self, Calendar};
use crate::cli::{Context, complete};
use crate::error::ExitCode;
use crate::render::{Style, json, table};

/// List the working calendars, or one calendar's holidays (date and name)
#[derive(Debug, clap::Args)]
pub struct CalendarsArgs {
    /// A calendar id, e.g. PY or CH-VD
    #[arg(add = ArgValueCompleter::new(complete::calendars))]
    pub id: Option<String>,
    /// The year to list [default: this year in the calendar's zone]
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// Print JSON (see docs/json.md)
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn run(ctx: &Context, args: CalendarsArgs) -> Result<ExitCode> {
    let style = ctx.style();
    let Some(id) = args.id else {
        return list(ctx, args.json, style);
    };
    let calendar = Calendar::load(&super::start::check_calendar(&id)?, &ctx.store.root, None)?;
    let year = args.year.unwrap_or_else(|| ctx.clock.now_in(calendar.zone).year());
    let mut out = crate::cli::ui::stdout();
    if args.json {
        json::write(&mut out, &json::calendar::year(&calendar, year))?;
    } else {
        table::calendar_year(&mut out, &calendar, year, style)?;
    }
    out.flush()?;
    if year < calendar.years.0 || year > calendar.years.1 {
        warn!(
            "calendar `{}` has complete holiday data for {}-{} only; {year} may lack holidays",
            calendar.id, calendar.years.0, calendar.years.1
        );
    }
    Ok(ExitCode::Success)
}

fn list(ctx: &Context, as_json: bool, style: Style) -> Result<ExitCode> {
    let calendars: Vec<Calendar> = calendar::BUNDLED
        .iter()
        .map(|info| Calendar::load(info.id, &ctx.store.root, None))
        .collect::<Result<_>>()?;
    let mut out = crate::cli::ui::stdout();
    if as_json {
        let listed = calendars.iter().map(json::calendar::Calendar::of).collect();
        json::write(&mut out, &json::calendar::Calendars(listed))?;
    } else {
        table::calendars(&mut out, &calendars, style)?;
    }
    out.flush()?;
    Ok(ExitCode::Success)
}
