//! The site's calendar: a month grid per month from this one through the last due date
//! (twelve at most), each day listing the open work due then and the milestones, each a
//! link to its row on its project's page. Work due before this month comes first, in a
//! list: it is overdue.

use chrono::{Datelike, Duration, Months, NaiveDate};
use maud::{Markup, html};

use super::project::{Dated, ProjectPage};
use super::{Depth, Frame, head, page, page_name, text};

/// The most months the page shows.
const MONTHS: u32 = 12;

/// The calendar page of these projects, its first month the one `today` falls in.
pub(crate) fn calendar(frame: Frame<'_>, today: NaiveDate, projects: &[ProjectPage]) -> String {
    let mut dated: Vec<&Dated> = projects.iter().flat_map(|p| p.dated.iter()).collect();
    dated.sort();
    let first = today.with_day(1).unwrap_or(today);
    let last = dated.last().map_or(first, |d| d.date.max(first));
    let span = (last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32;
    let months = (span.max(0) as u32 + 1).min(MONTHS);
    let before: Vec<&Dated> = dated.iter().copied().filter(|d| d.date < first).collect();
    let body = html! {
        h1 { "Calendar" }
        p { "Open work by the day it is due, and the projects' milestones (◆). Today is " (today) "." }
        @if !before.is_empty() {
            section #earlier aria-labelledby="earlier-title" {
                h2 #earlier-title { "Due before " (first.format("%B %Y")) }
                ul { @for item in &before { li { (item.date) " " (entry(item)) } } }
            }
        }
        @for n in 0..months {
            @let month = first.checked_add_months(Months::new(n)).unwrap_or(first);
            (grid(month, today, &dated))
        }
    };
    page(frame, Depth::Root, "Calendar", false, body)
}

/// One month as a table of weeks, Monday first.
fn grid(month: NaiveDate, today: NaiveDate, dated: &[&Dated]) -> Markup {
    let start = month - Duration::days(month.weekday().num_days_from_monday().into());
    let next = month.checked_add_months(Months::new(1)).unwrap_or(month);
    let weeks = ((next - start).num_days() + 6) / 7;
    let id = month.format("m-%Y-%m").to_string();
    html! {
        div.scroll {
            table.month #(id) {
                caption { (month.format("%B %Y")) }
                (head(&["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]))
                tbody {
                    @for week in 0..weeks {
                        tr {
                            @for weekday in 0..7 {
                                @let date = start + Duration::days(week * 7 + weekday);
                                @let items: Vec<&&Dated> = dated.iter().filter(|d| d.date == date).collect();
                                @if date.month() != month.month() {
                                    td.outside {}
                                } @else {
                                    td class=[day_class(date == today, !items.is_empty())] {
                                        time datetime=(date) { (date.format("%a %-d")) }
                                        @if !items.is_empty() {
                                            ul { @for item in &items { li { (entry(item)) } } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn day_class(today: bool, busy: bool) -> Option<&'static str> {
    match (today, busy) {
        (true, true) => Some("today busy"),
        (true, false) => Some("today"),
        (false, true) => Some("busy"),
        (false, false) => None,
    }
}

/// `coop-central · 9 Pre-production import`, linked to its row.
fn entry(item: &Dated) -> Markup {
    html! {
        a href={ "projects/" (page_name(&item.project)) "#" (item.anchor) }
            class=[if item.overdue { Some("overdue") } else if item.milestone { Some("milestone") } else { None }] {
            @if item.milestone { "◆ " }
            (text(&item.project)) " · " (text(&item.label))
            @if item.overdue { " (overdue)" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::markdown::{Summary, Urgency};

    fn page(dates: &[&str]) -> ProjectPage {
        let dated = dates
            .iter()
            .map(|date| Dated {
                date: date.parse().unwrap(),
                project: "opera".into(),
                rank: 1,
                anchor: "step-go-live".into(),
                label: "13 <Go live>".into(),
                overdue: false,
                milestone: false,
            })
            .collect();
        let summary = Summary {
            project: "opera".into(),
            playbook: "data-import".into(),
            phase: String::new(),
            finished: 0,
            total: 1,
            next_due: String::new(),
            overdue: 0,
            on_time: (0, 0),
            urgency: Urgency::Nothing,
        };
        ProjectPage { summary, repository: None, owners: vec![], archived: false, dated, html: String::new() }
    }

    #[test]
    fn months_run_from_this_one_to_the_last_due_date_twelve_at_most() {
        let frame = Frame { as_of: "2026-04-01", stats: false };
        let today = "2026-04-01".parse().unwrap();
        let html = calendar(frame, today, &[page(&["2026-03-20", "2026-06-09"])]);
        let months: Vec<&str> =
            html.split("<caption>").skip(1).map(|rest| rest.split('<').next().unwrap()).collect();
        assert_eq!(months, ["April 2026", "May 2026", "June 2026"]);
        assert!(html.contains("<h2 id=\"earlier-title\">Due before April 2026</h2>"));
        assert!(html.contains("<a href=\"projects/opera.html#step-go-live\">opera · 13 &lt;Go live&gt;</a>"));
        let html = calendar(frame, today, &[page(&["2028-01-01"])]);
        assert_eq!(html.matches("<caption>").count(), 12);
        let html = calendar(frame, today, &[]);
        assert_eq!(html.matches("<caption>").count(), 1);
    }
}
