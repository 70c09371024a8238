//! The site's front page: every project, most urgent first (the order of `report`'s
//! portfolio: the longest overdue, then the soonest due), with filters by owner and by
//! playbook that a small script turns on; without it, every row shows. The projects
//! that could not be read are listed with their error.

use maud::html;

use super::project::ProjectPage;
use super::{Depth, Frame, head, page, page_name, text};
use crate::words;

/// The index page of these projects, and of those that could not be read (name, error).
pub(crate) fn portfolio(
    frame: Frame<'_>,
    projects: &[ProjectPage],
    unreadable: &[(String, String)],
) -> String {
    let mut order: Vec<&ProjectPage> = projects.iter().collect();
    order.sort_by(|a, b| {
        (a.summary.urgency, &a.summary.project).cmp(&(b.summary.urgency, &b.summary.project))
    });
    let mut owners: Vec<&str> = projects.iter().flat_map(|p| p.owners.iter().map(String::as_str)).collect();
    owners.sort();
    owners.dedup();
    let mut playbooks: Vec<&str> = projects.iter().map(|p| p.summary.playbook.as_str()).collect();
    playbooks.sort();
    playbooks.dedup();
    let with_overdue = projects.iter().filter(|p| p.summary.overdue > 0).count();
    // A column for the repository only when the site spans several.
    let several = projects.iter().any(|p| p.repository.is_some());
    let rest = ["Playbook", "Current phase", "Progress", "Next due", "Overdue", "On time", "Open work of"];
    let columns: Vec<&str> =
        ["Project"].into_iter().chain(several.then_some("Repository")).chain(rest).collect();
    let body = html! {
        h1 { "Portfolio" }
        p {
            (words::count(projects.len() as i64, "project")) ", " (with_overdue) " with overdue work; most urgent first."
        }
        // Shown by filter.js: without it, the controls would do nothing.
        form #filters hidden {
            label for="owner" { "Owner" }
            select #owner aria-controls="portfolio" {
                option value="" { "anyone" }
                @for owner in &owners { option value=(owner) { (text(owner)) } }
            }
            label for="playbook" { "Playbook" }
            select #playbook aria-controls="portfolio" {
                option value="" { "any" }
                @for playbook in &playbooks { option value=(playbook) { (text(playbook)) } }
            }
            output #shown aria-live="polite" {}
        }
        div.scroll {
            table.cards #portfolio {
                caption { "Projects, most urgent first" }
                (head(&columns))
                tbody {
                    @for project in &order {
                        @let row = &project.summary;
                        tr data-project=(row.project) data-playbook=(row.playbook) data-owners=(project.owners.join(" "))
                            class=[(row.overdue > 0).then_some("overdue")] {
                            th scope="row" {
                                a href={ "projects/" (page_name(&row.project)) } { (text(&row.project)) }
                                @if project.archived { " (archived)" }
                            }
                            @if several {
                                td data-label="Repository" { (text(project.repository.as_deref().unwrap_or_default())) }
                            }
                            td data-label="Playbook" { (text(&row.playbook)) }
                            td data-label="Current phase" { (text(&row.phase)) }
                            td data-label="Progress" { (row.finished) "/" (row.total) }
                            td data-label="Next due" { (text(&row.next_due)) }
                            td data-label="Overdue" { @if row.overdue > 0 { strong { (row.overdue) } } @else { "0" } }
                            td data-label="On time" {
                                @match row.on_time { (_, 0) => {}, (on_time, timed) => { (on_time) "/" (timed) } }
                            }
                            td data-label="Open work of" { (text(&project.owners.join(", "))) }
                        }
                    }
                }
            }
        }
        @if !unreadable.is_empty() {
            section #unreadable aria-labelledby="unreadable-title" {
                h2 #unreadable-title { "Not included" }
                ul {
                    @for (name, error) in unreadable {
                        li { "Project " code { (text(name)) } " could not be read: " (text(error)) }
                    }
                }
            }
        }
    };
    page(frame, Depth::Root, "Portfolio", true, body)
}
