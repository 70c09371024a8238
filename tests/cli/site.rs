//! `onboard site`: the static dashboard's files, their escaping and determinism as
//! text, and the pages as a real browser shows them: headless Chromium opens them from
//! disk, the rendered DOM holds every project in order of urgency and a bar per dated
//! step, the console stays quiet, and screenshots at desktop and phone widths are kept
//! under `target/site-screenshots/`. Without Chromium the browser tests say they skipped.

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::*;

/// Three projects, each urgent in its own way on Wednesday 1 April 2026: `theatre-vidy`
/// (a data import in Lausanne going live on 7 April) has work overdue since 24 March,
/// `opera` (going live on 15 June) has its next work due later, and `coop-central`
/// has nothing with a due date yet. A note and a value in `theatre-vidy` are hostile.
fn portfolio(ws: &mut Workspace) {
    ws.at("2026-03-02T09:00:00+01:00");
    ws.ok(&["start", "data-import", "theatre-vidy", "--set", "J=2026-04-07", "--set", "calendar=CH-VD"]);
    ws.ok(&[
        "advance",
        "theatre-vidy",
        "1",
        "--set",
        "data_to_migrate=<img src=x onerror=alert(1)> contacts",
        "--note",
        "<script>alert(\"pwned\")</script> & </td>",
    ]);
    ws.at("2026-03-02T09:00:00-03:00").ok(&["start", "cooperative", "coop-central"]);
    ws.at("2026-03-30T09:00:00+02:00").ok(&[
        "start",
        "data-import",
        "opera",
        "--set",
        "J=2026-06-15",
        "--set",
        "calendar=CH-VD",
    ]);
    ws.at("2026-04-01T10:00:00+02:00");
}

/// The files under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

/// Every value of attribute `name` in `html`, in order.
fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.split(&needle).skip(1).map(|rest| rest.split('"').next().unwrap().to_string()).collect()
}

#[test]
fn a_site_has_the_portfolio_a_page_per_project_and_a_calendar() {
    let mut ws = Workspace::initialized();
    portfolio(&mut ws);
    let run = ws.ok(&["site", "--output", "public"]);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        ("", "Wrote 6 pages to `public`; open `public/index.html`.\n")
    );
    let public = ws.path().join("public");
    assert_eq!(
        files(&public),
        [
            "calendar.html",
            "filter.js",
            "index.html",
            "projects/coop-central.html",
            "projects/opera.html",
            "projects/theatre-vidy.html",
            "stats.html",
            "style.css"
        ]
    );
    let index = fs::read_to_string(public.join("index.html")).unwrap();
    // A tag a line, so that a change reads as a diff (the page itself is one line).
    assert_expected("site-index.html", &index.replace("><", ">\n<"));
    // Most urgent first: overdue, then due later, then nothing due.
    assert_eq!(attributes(&index, "data-project"), ["theatre-vidy", "opera", "coop-central"]);

    // Every relative link and source of every page names a file the site holds: nothing
    // is fetched from elsewhere, and the site opens from disk.
    for page in files(&public).iter().filter(|f| f.ends_with(".html")) {
        let html = fs::read_to_string(public.join(page)).unwrap();
        let folder = Path::new(page).parent().unwrap();
        for link in attributes(&html, "href").into_iter().chain(attributes(&html, "src")) {
            assert!(!link.contains("//"), "{page} links outside the site: {link}");
            if link == "data:," {
                continue;
            }
            let file = link.split('#').next().unwrap();
            let target = if file.is_empty() { PathBuf::from(page) } else { folder.join(file) };
            assert!(public.join(&target).is_file(), "{page} links to a missing {link}");
        }
    }
}

#[test]
fn a_project_page_has_its_chart_its_tables_and_its_log_with_every_text_escaped() {
    let mut ws = Workspace::initialized();
    portfolio(&mut ws);
    ws.ok(&["site", "--output", "public"]);
    let page = fs::read_to_string(ws.path().join("public/projects/theatre-vidy.html")).unwrap();
    // Text from the project is text: no element, attribute or entity of its own.
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img src=x"), "{page}");
    assert!(
        page.contains("; &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;/td&gt;</td>"),
        "{page}"
    );
    assert!(page.contains("<dd>&lt;img src=x onerror=alert(1)&gt; contacts</dd>"), "{page}");
    // A bar per dated step, each with its row in the tables.
    let bars = attributes(&page, "data-step");
    assert_eq!(
        bars,
        [
            "announce-data",
            "inform-customer",
            "secutix-format-data",
            "deliver-data",
            "preprod-import",
            "customer-validation",
            "production-import"
        ]
    );
    for step in &bars {
        assert!(page.contains(&format!("<tr id=\"step-{step}\"")), "no row for {step}");
    }
    assert_eq!(attributes(&page, "data-milestone"), ["J"]);
    // The overdue step is marked in its row and in the chart.
    assert!(page.contains("<tr id=\"step-deliver-data\" class=\"overdue\">"), "{page}");
    assert!(page.contains("<g class=\"bar overdue\" data-step=\"deliver-data\">"), "{page}");
    assert!(page.contains("<caption>Log, oldest first</caption>"));
    // The forecast: a band per open step (on its bar's row, or on a row of its own for
    // a step with no date yet) and, first, one for the project's end.
    let bands = attributes(&page, "data-forecast");
    assert!(
        bands.contains(&"transform-data".to_string()) && bands.first().map(String::as_str) == Some("end"),
        "{bands:?}"
    );
    assert!(!bands.contains(&"announce-data".to_string()), "a done step has no forecast: {bands:?}");
}

#[test]
fn the_statistics_page_charts_the_history_with_its_data_as_tables() {
    let mut ws = Workspace::initialized();
    portfolio(&mut ws);
    ws.ok(&["site", "--output", "public"]);
    let page = fs::read_to_string(ws.path().join("public/stats.html")).unwrap();
    for title in
        ["On-time rate per month", "Cycle time per step, in business days", "Business days lost to lateness"]
    {
        assert!(page.contains(&format!("-chart-title\">{title}</title>")), "no chart {title}: {page}");
    }
    assert!(page.contains("<caption>Bottlenecks, most time lost first</caption>"), "{page}");
    assert!(page.contains("<th scope=\"row\">data-import · 4 No later than two weeks before milestone J, the project leader creates a kayako data import with the data</th><td data-label=\"Time lost\">6 business days</td>"), "{page}");
    // Every page links to it.
    let index = fs::read_to_string(ws.path().join("public/index.html")).unwrap();
    assert!(index.contains("<a href=\"stats.html\">Statistics</a>"));
}

#[test]
fn a_site_is_the_same_each_time_for_the_same_clock() {
    let mut ws = Workspace::initialized();
    portfolio(&mut ws);
    ws.ok(&["site", "--output", "one"]);
    ws.ok(&["site", "--output", "two"]);
    let (one, two) = (ws.path().join("one"), ws.path().join("two"));
    assert_eq!(files(&one), files(&two));
    for file in files(&one) {
        assert_eq!(fs::read(one.join(&file)).unwrap(), fs::read(two.join(&file)).unwrap(), "{file} differs");
    }
    // Another clock, another site.
    ws.at("2026-04-02T10:00:00+02:00").ok(&["site", "--output", "three"]);
    assert_ne!(
        fs::read(one.join("index.html")).unwrap(),
        fs::read(ws.path().join("three/index.html")).unwrap()
    );
}

#[test]
fn an_unreadable_project_is_listed_and_the_other_pages_are_written() {
    let mut ws = Workspace::initialized();
    portfolio(&mut ws);
    let (path, line) = ws.conflicted("opera");
    let run = ws.run(&["site", "--output", "public"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr,
        format!(
            "Wrote 5 pages to `public`; open `public/index.html`.\nerror: `{}` has an unresolved merge conflict at line {line}\nhint: two branches changed the same file of project `opera`: keep one side (`git checkout --ours` or `--theirs` on it, then `git add` it) or edit the file by hand, keeping the lines you mean\n",
            path.display()
        )
    );
    let index = fs::read_to_string(ws.path().join("public/index.html")).unwrap();
    assert_eq!(attributes(&index, "data-project"), ["theatre-vidy", "coop-central"]);
    assert!(
        index.contains("<li>Project <code>opera</code> could not be read: `"),
        "the index lists it: {index}"
    );
    assert!(!ws.path().join("public/projects/opera.html").exists());
}

#[test]
fn a_link_in_place_of_a_page_is_refused() {
    let mut ws = Workspace::initialized();
    portfolio(&mut ws);
    fs::create_dir(ws.path().join("public")).unwrap();
    fs::write(ws.path().join("elsewhere.html"), "mine").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(ws.path().join("elsewhere.html"), ws.path().join("public/index.html"))
            .unwrap();
        let stderr = ws.fails(&["site", "--output", "public"]);
        assert!(
            stderr.starts_with("error: cannot write `public/index.html`: it is a symbolic link"),
            "{stderr}"
        );
        assert_eq!(fs::read_to_string(ws.path().join("elsewhere.html")).unwrap(), "mine");
    }
}

/// Headless Chromium with a profile of its own, or `None` (having said so) when there is
/// none: `ONBOARD_CHROMIUM`, else `chromium` or `chromium-browser` on `PATH`.
struct Browser {
    binary: PathBuf,
    profile: tempfile::TempDir,
}

impl Browser {
    #[allow(clippy::disallowed_macros, reason = "a test that skips says so on the test runner's output")]
    fn find() -> Option<Browser> {
        let named = std::env::var_os("ONBOARD_CHROMIUM").filter(|p| !p.is_empty()).map(PathBuf::from);
        let on_path = || {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
                .find(|candidate| candidate.is_file())
        };
        let Some(binary) = named.or_else(on_path) else {
            println!("skipped: no Chromium found (install Debian's chromium: apt-get install chromium)");
            return None;
        };
        Some(Browser { binary, profile: tempfile::tempdir().unwrap() })
    }

    /// Runs Chromium on `page` with `extra` flags; its stdout and stderr.
    fn run(&self, page: &Path, extra: &[String]) -> (String, String) {
        self.open(&format!("file://{}", page.display()), extra)
    }

    /// Runs Chromium on `url` with `extra` flags; its stdout and stderr.
    fn open(&self, url: &str, extra: &[String]) -> (String, String) {
        let mut child = Command::new(&self.binary)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
            .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
            .args(["--force-device-scale-factor=1", "--enable-logging=stderr", "--v=0"])
            .arg(format!("--user-data-dir={}", self.profile.path().display()))
            .args(extra)
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        // Read both pipes while it runs, so that neither fills up and blocks it.
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let out = std::thread::spawn(move || {
            let mut text = String::new();
            stdout.read_to_string(&mut text).map(|_| text)
        });
        let err = std::thread::spawn(move || {
            let mut text = String::new();
            stderr.read_to_string(&mut text).map(|_| text)
        });
        let deadline = Instant::now() + Duration::from_secs(120);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("chromium took more than two minutes on {url}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        (out.join().unwrap().unwrap(), err.join().unwrap().unwrap())
    }

    /// The DOM of `page` once loaded and its scripts run, and what its console printed.
    fn dom(&self, page: &Path) -> (String, Vec<String>) {
        let (dom, stderr) = self.run(page, &["--dump-dom".to_string()]);
        (dom, console(&stderr))
    }

    /// A screenshot of `page` at `width`×`height` into `to`, checked to be a PNG of that size.
    fn screenshot(&self, page: &Path, (width, height): (u32, u32), to: &Path) {
        let _ = fs::remove_file(to);
        self.run(
            page,
            &[format!("--screenshot={}", to.display()), format!("--window-size={width},{height}")],
        );
        let png = fs::read(to).unwrap_or_else(|_| panic!("no screenshot at {}", to.display()));
        assert!(png.len() > 1000 && png.starts_with(b"\x89PNG\r\n\x1a\n"), "{} is not a PNG", to.display());
        let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        assert_eq!((size(16), size(20)), (width, height), "{}", to.display());
    }
}

/// The lines of Chromium's log that its pages' consoles printed: messages, errors and
/// uncaught exceptions alike (`--enable-logging=stderr` logs them all as `CONSOLE`).
fn console(stderr: &str) -> Vec<String> {
    stderr.lines().filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught")).map(str::to_string).collect()
}

/// Where the screenshots are kept: `target/site-screenshots/`.
fn screenshots() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().to_path_buf();
    let folder = target.join("site-screenshots");
    fs::create_dir_all(&folder).unwrap();
    folder
}

#[test]
fn the_browser_shows_every_project_in_order_and_a_bar_per_dated_step() {
    let Some(browser) = Browser::find() else { return };
    let mut ws = Workspace::initialized();
    portfolio(&mut ws);
    ws.ok(&["site", "--output", "public"]);
    let public = ws.path().join("public");

    let (dom, console) = browser.dom(&public.join("index.html"));
    assert_eq!(console, Vec::<String>::new(), "the console of index.html");
    assert_eq!(attributes(&dom, "data-project"), ["theatre-vidy", "opera", "coop-central"], "{dom}");
    // The script ran: it showed the filters and counted the rows.
    assert!(dom.contains("<form id=\"filters\">"), "{dom}");
    assert!(dom.contains("<output id=\"shown\" aria-live=\"polite\">3 of 3 shown</output>"), "{dom}");

    // A filter in the address: only the projects where the role has open work show.
    let (dom, stderr) = browser.open(
        &format!("file://{}?owner=TEAM_LEADER", public.join("index.html").display()),
        &["--dump-dom".to_string()],
    );
    assert_eq!(self::console(&stderr), Vec::<String>::new(), "the console of a filtered index.html");
    assert!(dom.contains("<output id=\"shown\" aria-live=\"polite\">2 of 3 shown</output>"), "{dom}");
    assert!(dom.contains("<tr data-project=\"coop-central\" data-playbook=\"cooperative\" data-owners=\"ENTIDADES INFRAESTRUCTURA OPERACIONES PARTICIPANTE SISTEMAS\" hidden=\"\">"), "{dom}");

    let (dom, console) = browser.dom(&public.join("projects/theatre-vidy.html"));
    assert_eq!(console, Vec::<String>::new(), "the console of theatre-vidy.html");
    assert_eq!(attributes(&dom, "data-step").len(), 7, "{dom}");
    let (dom, console) = browser.dom(&public.join("projects/opera.html"));
    assert_eq!(console, Vec::<String>::new(), "the console of opera.html");
    assert_eq!(
        attributes(&dom, "data-step"),
        [
            "announce-data",
            "secutix-format-data",
            "deliver-data",
            "preprod-import",
            "customer-validation",
            "production-import"
        ]
    );
    let (dom, console) = browser.dom(&public.join("calendar.html"));
    assert_eq!(console, Vec::<String>::new(), "the console of calendar.html");
    assert!(dom.contains("<caption>April 2026</caption>") && dom.contains("<caption>June 2026</caption>"));

    let (dom, console) = browser.dom(&public.join("stats.html"));
    assert_eq!(console, Vec::<String>::new(), "the console of stats.html");
    assert!(dom.contains("<h2 id=\"months-title\">On time, per month</h2>"), "{dom}");

    let folder = screenshots();
    let pages = [
        ("index.html", "index"),
        ("projects/theatre-vidy.html", "project"),
        ("calendar.html", "calendar"),
        ("stats.html", "stats"),
    ];
    for (page, name) in pages {
        for (size, device) in [((1280, 900), "desktop"), ((390, 844), "phone")] {
            browser.screenshot(&public.join(page), size, &folder.join(format!("{name}-{device}.png")));
        }
    }
}

#[test]
fn the_console_check_sees_an_uncaught_error() {
    let Some(browser) = Browser::find() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    fs::write(
        &page,
        "<!DOCTYPE html><html lang=\"en\"><head><title>broken</title></head><body><p>x</p><script>noSuchFunction();</script></body></html>\n",
    )
    .unwrap();
    let (dom, console) = browser.dom(&page);
    assert!(dom.contains("<p>x</p>"), "{dom}");
    assert_eq!(console.len(), 1, "{console:?}");
    assert!(console[0].contains("Uncaught ReferenceError: noSuchFunction is not defined"), "{console:?}");
}

#[test]
fn archived_projects_join_the_site_with_all_marked_as_archived() {
    let mut ws = Workspace::initialized();
    portfolio(&mut ws);
    ws.ok(&["archive", "coop-central", "--reason", "the cooperative merged with another"]);
    ws.ok(&["site", "--output", "now"]);
    let index = fs::read_to_string(ws.path().join("now/index.html")).unwrap();
    assert_eq!(attributes(&index, "data-project"), ["theatre-vidy", "opera"]);
    let run = ws.ok(&["site", "--output", "all", "--all"]);
    assert_eq!(run.stderr, "Wrote 6 pages to `all`; open `all/index.html`.\n");
    let index = fs::read_to_string(ws.path().join("all/index.html")).unwrap();
    assert_eq!(attributes(&index, "data-project"), ["theatre-vidy", "opera", "coop-central"]);
    assert!(index.contains(">coop-central</a> (archived)</th>"), "{index}");
    let page = fs::read_to_string(ws.path().join("all/projects/coop-central.html")).unwrap();
    assert!(page.contains("<p class=\"note\">Archived: out of the portfolio.</p>"), "{page}");
}

#[test]
fn a_site_spans_several_state_directories_naming_colliding_projects_by_repository() {
    let mut ws = Workspace::new();
    for team in ["team-a", "team-b"] {
        fs::create_dir(ws.path().join(team)).unwrap();
        let output = ws.command(&["init"]).current_dir(ws.path().join(team)).output().unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    ws.at("2026-03-02T09:00:00+01:00");
    ws.ok(&["--dir", "team-a/.onboard", "start", "data-import", "opera", "--set", "J=2026-03-20"]);
    ws.ok(&["--dir", "team-b/.onboard", "start", "data-import", "opera", "--set", "J=2026-03-27"]);
    ws.ok(&["--dir", "team-b/.onboard", "start", "data-import", "ballet", "--set", "J=2026-03-25"]);
    ws.at("2026-03-13T09:00:00+01:00");
    let run = ws.ok(&["--dir", "team-a/.onboard", "--dir", "team-b/.onboard", "site", "--output", "public"]);
    assert_eq!(run.stderr, "Wrote 6 pages to `public`; open `public/index.html`.\n");
    let public = ws.path().join("public");
    let index = fs::read_to_string(public.join("index.html")).unwrap();
    assert_eq!(attributes(&index, "data-project"), ["team-a/opera", "ballet", "team-b/opera"]);
    assert!(index.contains("<th scope=\"col\">Repository</th>"), "{index}");
    assert!(index.contains("<a href=\"projects/team-a_opera.html\">team-a/opera</a>"), "{index}");
    assert_eq!(
        files(&public).iter().filter(|f| f.starts_with("projects/")).collect::<Vec<_>>(),
        ["projects/ballet.html", "projects/team-a_opera.html", "projects/team-b_opera.html"]
    );
}
