//! Hindsight and foresight over a portfolio: what each finished step took (`history`),
//! the flow metrics of a team (`stats`), and when open work will likely be done
//! (`forecast`). Domain code: it reads projects and calendars and knows no command line.

pub(crate) mod forecast;
pub(crate) mod history;
pub(crate) mod stats;
