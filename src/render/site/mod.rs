//! The static dashboard of `onboard site`: HTML pages from maud's compile-time templates
//! (which escape every value), charts as hand-written inline SVG, one local stylesheet and
//! one small script for the portfolio's filters. Nothing is fetched from elsewhere, every
//! link is relative (the site opens from disk as well as from a forge's pages), and every
//! page is complete without JavaScript. Pure: each function takes what it shows and
//! returns the page's text; the command writes the files.

mod calendar;
mod gantt;
mod portfolio;
mod project;
mod stats;

pub(crate) use calendar::calendar;
pub(crate) use portfolio::portfolio;
pub(crate) use project::{ProjectPage, bands, project};
pub(crate) use stats::stats;

use std::borrow::Cow;

use super::minute;
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The site's stylesheet, written beside the pages as `style.css`.
pub(crate) const STYLE: &str = include_str!("style.css");

/// The portfolio's filters, written beside the pages as `filter.js`.
pub(crate) const SCRIPT: &str = include_str!("filter.js");

/// The charts' width in SVG units (they scale to the page), and the height of a row of
/// a chart and of a bar in it.
const WIDTH: f64 = 960.0;
const ROW: f64 = 22.0;
const BAR: f64 = 14.0;

/// What every page shares: when the site was judged, and which pages there are.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame<'a> {
    /// `2026-04-01T08:00:00Z`, or a date with the words that say how it is read.
    pub as_of: &'a str,
    /// Whether the site has a statistics page to link to.
    pub stats: bool,
}

/// Where a page lies: at the site's root, or one folder down (`projects/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    Root,
    Project,
}

impl Depth {
    /// The relative path from the page back to the site's root.
    fn root(self) -> &'static str {
        match self {
            Depth::Root => "",
            Depth::Project => "../",
        }
    }
}

/// A whole page: the head (the local stylesheet, and the script where `script`), the
/// site's navigation, `body`, and a footer that says when the site was judged.
fn page(frame: Frame<'_>, depth: Depth, title: &str, script: bool, body: Markup) -> String {
    let root = depth.root();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · onboard" }
                // No favicon request: a site opened from disk or served bare has none.
                link rel="icon" href="data:,";
                link rel="stylesheet" href={ (root) "style.css" };
                @if script {
                    script src={ (root) "filter.js" } defer {}
                }
            }
            body {
                header.site {
                    nav aria-label="Pages" {
                        a href={ (root) "index.html" } { "Portfolio" }
                        a href={ (root) "calendar.html" } { "Calendar" }
                        @if frame.stats {
                            a href={ (root) "stats.html" } { "Statistics" }
                        }
                    }
                }
                main { (body) }
                footer { "As of " (frame.as_of) ". Written by onboard." }
            }
        }
    }
    .into_string()
        + "\n"
}

/// Text from a playbook, a project file or an argument as one line: control characters
/// and line breaks shown escaped (`one_line`); maud escapes what HTML reads.
fn text(raw: &str) -> Cow<'_, str> {
    super::one_line(raw)
}

/// A project page's file name under `projects/`: project names are slugs, and anything
/// else is replaced so that no name can leave the folder or need quoting in a link.
pub(crate) fn page_name(project: &str) -> String {
    format!("{}.html", slug(project))
}

/// An anchor from an id, for `#step-…` links: the same replacement.
fn anchor(prefix: &str, id: &str) -> String {
    format!("{prefix}-{}", slug(id))
}

/// Every character but ASCII letters, digits, `-` and `_` replaced by `_`.
fn slug(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

/// A table's head: a column header per name.
fn head(columns: &[&str]) -> Markup {
    html! {
        thead {
            tr {
                @for column in columns { th scope="col" { (column) } }
            }
        }
    }
}

/// A label cut to `limit` characters to fit its column (SVG text does not wrap).
fn cut(label: &str, limit: usize) -> String {
    super::shortened(&text(label), limit)
}

/// A number with one decimal, as SVG coordinates are written (the same on every machine).
fn coordinate(value: f64) -> PreEscaped<String> {
    PreEscaped(format!("{value:.1}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names_and_anchors_stay_in_their_folder() {
        assert_eq!(page_name("coop-central"), "coop-central.html");
        assert_eq!(page_name("../x"), "___x.html");
        assert_eq!(anchor("step", "3.2.1"), "step-3_2_1");
    }

    #[test]
    fn a_page_escapes_its_title_and_links_to_the_root() {
        let frame = Frame { as_of: "2026-03-02", stats: false };
        let html = page(frame, Depth::Project, "<b>&", false, html! { p { "body" } });
        assert!(html.contains("<title>&lt;b&gt;&amp; · onboard</title>"), "{html}");
        assert!(html.contains(r#"href="../style.css""#));
        assert!(!html.contains("stats.html") && !html.contains("filter.js"));
    }
}
