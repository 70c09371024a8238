//! `onboard report` (Markdown with a Mermaid Gantt chart, one project or a portfolio in
//! order of urgency) and `onboard ical` (an iCalendar feed, parsed back by the
//! `icalendar` crate, whose UIDs stay put when dates move).

use std::str::FromStr;

use icalendar::{Component, DatePerhapsTime};

use super::*;

/// `theatre-vidy`, a data import in Lausanne (CH-VD) going live on Tuesday 7 April: the
/// kick-off and the data delivery done (the kayako ticket a day late), the test import
/// in two rounds, the quality gate passed; on Wednesday 1 April the pre-production
/// import, due on J-7 (Tuesday 31 March), is overdue.
fn theatre(ws: &mut Workspace) {
    ws.user = "claire".into();
    ws.at("2026-03-02T09:00:00+01:00");
    ws.ok(&["start", "data-import", "theatre-vidy", "--set", "J=2026-04-07", "--set", "calendar=CH-VD"]);
    ws.ok(&["advance", "theatre-vidy", "1", "--set", "data_to_migrate=individual contacts | structures"]);
    ws.ok(&["advance", "theatre-vidy", "2"]);
    ws.at("2026-03-20T14:00:00+01:00").ok(&["advance", "theatre-vidy", "3"]);
    ws.at("2026-03-25T10:00:00+01:00").ok(&[
        "advance",
        "theatre-vidy",
        "4",
        "--set",
        "kayako_ticket=DI-4711",
    ]);
    ws.user = "marc".into();
    ws.at("2026-03-26T10:00:00+01:00").ok(&["advance", "theatre-vidy", "6"]);
    ws.at("2026-03-26T15:00:00+01:00").ok(&[
        "advance",
        "theatre-vidy",
        "7",
        "--repeat",
        "--note",
        "two date formats",
    ]);
    ws.at("2026-03-27T09:30:00+01:00").ok(&["advance", "theatre-vidy", "7"]);
    ws.at("2026-03-27T11:00:00+01:00").ok(&["advance", "theatre-vidy", "8"]);
    ws.at("2026-04-01T10:00:00+02:00");
}

#[test]
fn a_report_of_one_project_has_its_tables_and_its_gantt_chart() {
    let mut ws = Workspace::initialized();
    theatre(&mut ws);
    let run = ws.run(&["report"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_expected("report-theatre-vidy.md", &run.stdout);

    // Into a file instead: the same text, and a line saying where it went.
    let run = ws.ok(&["report", "theatre-vidy", "--output", "out/report.md"]);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        ("", "Wrote the report of 1 project to `out/report.md`.\n")
    );
    let written = fs::read_to_string(ws.path().join("out/report.md")).unwrap();
    assert_eq!(written, ws.ok(&["report"]).stdout);
}

#[test]
fn the_chart_follows_the_plan_when_j_moves() {
    let mut ws = Workspace::initialized();
    theatre(&mut ws);
    ws.ok(&["set", "J=2026-04-18", "--reason", "box office opening"]);
    let report = ws.ok(&["report"]).stdout;
    let chart: Vec<&str> = report
        .lines()
        .skip_while(|l| *l != "```mermaid")
        // The plan's bars, not the forecast's (tests/cli/forecast.rs).
        .take_while(|l| *l != "```" && *l != "    section Forecast")
        .filter(|l| l.contains(":milestone") || l.starts_with("    9 ") || l.starts_with("    13 "))
        .collect();
    assert_eq!(
        chart,
        [
            "    J :milestone, m1, 2026-04-18 00:00, 0d",
            // J-7 is Saturday 11 April, moved back to Friday 10: no longer overdue.
            "    9 No later than one week before milestone J, CS… :active, t8, 2026-03-27 11:00, 2026-04-11 00:00",
            // J stays on its Saturday.
            "    13 J CSVN imports the data in production :t10, 2026-04-17 00:00, 2026-04-19 00:00",
        ]
    );
}

/// A data import started on 2 March with its go-live `j`.
fn data_import(ws: &mut Workspace, name: &str, j: &str) {
    ws.at("2026-03-02T09:00:00+01:00");
    ws.ok(&["start", "data-import", name, "--set", &format!("J={j}")]);
}

#[test]
fn a_portfolio_report_lists_the_most_urgent_project_first() {
    let mut ws = Workspace::initialized();
    // Delivery (J-14) due on 6 May: later. On 2 April: due soon. On 27 March: overdue.
    data_import(&mut ws, "later", "2026-05-20");
    data_import(&mut ws, "soon", "2026-04-16");
    data_import(&mut ws, "late", "2026-04-10");
    // A cooperative at its start: nothing due yet.
    ws.at("2026-03-02T09:00:00-03:00").ok(&["start", "cooperative", "calm"]);
    // A support request whose diagnosis was due on 3 March: the longest overdue.
    ws.at("2026-03-02T16:00:00-05:00").ok(&["start", "support-request", "ticket-481"]);
    ws.at("2026-04-01T10:00:00+02:00");
    let run = ws.run(&["report"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let head: Vec<&str> = run.stdout.lines().take(11).collect();
    assert_eq!(
        head.join("\n"),
        "# Portfolio report

As of 2026-04-01T08:00:00Z: 5 projects, 2 with overdue work; most urgent first.

| Project | Playbook | Current phase | Progress | Next due | Overdue | On time |
| --- | --- | --- | --- | --- | --- | --- |
| [ticket-481](#ticket-481) | support-request | request Procedimiento “Solicitud por parte del Cliente” | 0/7 | diagnosis 2026-03-03 09:00 (overdue by 19 business days) | **1** |  |
| [late](#late) | data-import | 1–2 Kick-off | 0/13 | 4 2026-03-27 (overdue by 3 business days) | **2** |  |
| [soon](#soon) | data-import | 1–2 Kick-off | 0/13 | 4 2026-04-02 (due soon: in 1 business day) | 0 |  |
| [later](#later) | data-import | 1–2 Kick-off | 0/13 | 4 2026-05-06 (in 25 business days) | 0 |  |
| [calm](#calm) | cooperative | I Reunión inicial | 0/25 |  | 0 |  |"
    );
    let sections: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(sections, ["## ticket-481", "## late", "## soon", "## later", "## calm"]);
    // Named projects make a portfolio of their own, in the same order.
    let run = ws.ok(&["report", "later", "late"]);
    let sections: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(sections, ["## late", "## later"]);
}

#[test]
fn a_portfolio_report_names_the_projects_it_could_not_read() {
    let mut ws = Workspace::initialized();
    data_import(&mut ws, "opera", "2026-05-20");
    // An old single file, as a merge without the driver leaves it.
    let (path, line) = super::cache::conflicted_old_file(&ws, "coop-sur");
    let run = ws.run(&["report"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "error: `{}` has an unresolved merge conflict at line {line}\nhint: run `onboard resolve coop-sur`: it merges both sides' events as the merge driver does (`onboard init` installs the driver for next time)\n",
            path.display()
        )
    );
    let note = format!(
        "> Not included: project `coop-sur` could not be read: \\`{}\\` has an unresolved merge conflict at line {line}\n",
        path.display()
    );
    assert!(run.stdout.contains(&note), "{}", run.stdout);
    assert!(run.stdout.contains("\n## opera\n"));

    // A calendar without the project would delete its events from every subscriber's.
    let run = ws.run(&["ical", "--output", "feed.ics"]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert!(
        run.stderr.ends_with(
            "error: no calendar written: it would leave out the projects that could not be read\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!ws.path().join("feed.ics").exists());
}

/// A support request received on Monday 2 March at 16:00 in Bogotá: its diagnosis is due
/// after 2 business hours (08:00-17:00), at 09:00 on Tuesday, 14:00 UTC.
fn ticket(ws: &mut Workspace) {
    ws.at("2026-03-02T16:00:00-05:00");
    ws.ok(&["start", "support-request", "ticket-481"]);
    ws.ok(&["advance", "ticket-481", "client-request"]);
    ws.at("2026-03-02T16:30:00-05:00").ok(&[
        "advance",
        "ticket-481",
        "register",
        "--set",
        "consecutivo=SOL-481",
    ]);
}

const TICKET_FEED: &str = "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//onboard//onboard 0.1.0//EN
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:onboard: ticket-481
BEGIN:VEVENT
DESCRIPTION:Project: ticket-481 (Niveles de servicio por parte del área de
  soporte\\; playbook support-request\\, calendar CO)\\nVariable: received_at:
  Cuándo se recibió el requerimiento del cliente (por defecto\\, el inicio
  del proyecto).\\nDate: 2026-03-02 16:00
DTSTAMP:20260302T220000Z
DTSTART:20260302T210000Z
SEQUENCE:3
SUMMARY:ticket-481: received_at
TRANSP:TRANSPARENT
UID:ticket-481/received_at/milestone@onboard
CATEGORIES:ticket-481,milestone
END:VEVENT
BEGIN:VEVENT
DESCRIPTION:Project: ticket-481 (Niveles de servicio por parte del área de
  soporte\\; playbook support-request\\, calendar CO)\\nStep: diagnosis: Diagn
 óstico Inicial y asignación de consecutivo\\nOwner: CONSULTOR (Consultor 
 de soporte)\\nRule: due within 2 business hours after received_at («2 hora
 s Hábiles posterior al requerimiento del cliente»)\\nDue: 2026-03-03 09:
 00 (due soon: 1 h left in business hours)
DTSTAMP:20260302T220000Z
DTSTART:20260303T140000Z
SEQUENCE:3
SUMMARY:ticket-481: due diagnosis Diagnóstico Inicial y asignación de con
 secutivo
TRANSP:TRANSPARENT
UID:ticket-481/diagnosis/due@onboard
CATEGORIES:ticket-481,due soon
END:VEVENT
END:VCALENDAR
";

/// The events of a feed, parsed back: UID, start and SEQUENCE.
fn parsed(feed: &str) -> Vec<(String, DatePerhapsTime, Option<DatePerhapsTime>, u32)> {
    let calendar = icalendar::Calendar::from_str(feed).expect("a feed the icalendar crate reads");
    calendar
        .events()
        .map(|e| {
            (e.get_uid().unwrap().to_string(), e.get_start().unwrap(), e.get_end(), e.get_sequence().unwrap())
        })
        .collect()
}

#[test]
fn ical_writes_hour_deadlines_in_utc_and_reads_back() {
    let mut ws = Workspace::initialized();
    ticket(&mut ws);
    ws.at("2026-03-02T17:00:00-05:00");
    let run = ws.run(&["ical"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(run.stdout.split_inclusive('\n').all(|l| l.ends_with("\r\n")), "RFC 5545 lines end in CRLF");
    assert_eq!(run.stdout.replace("\r\n", "\n"), TICKET_FEED);
    let events = parsed(&run.stdout);
    let diagnosis = &events[1];
    assert_eq!(diagnosis.0, "ticket-481/diagnosis/due@onboard");
    let utc =
        chrono::DateTime::parse_from_rfc3339("2026-03-03T14:00:00Z").unwrap().with_timezone(&chrono::Utc);
    assert_eq!(diagnosis.1, DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(utc)));
    assert_eq!(diagnosis.2, None, "a deadline is an instant");

    // Into a file instead: the same bytes, and a line saying where they went.
    let run = ws.ok(&["ical", "--output", "public/onboard.ics"]);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        ("", "Wrote the calendar (2 events) to `public/onboard.ics`.\n")
    );
    assert_eq!(
        fs::read_to_string(ws.path().join("public/onboard.ics")).unwrap().replace("\r\n", "\n"),
        TICKET_FEED
    );
}

#[test]
fn without_projects_report_says_how_to_start_and_ical_writes_an_empty_calendar() {
    let ws = Workspace::initialized();
    assert_eq!(
        ws.fails(&["report"]),
        format!(
            "error: there are no projects in `{}`\nhint: start one with `onboard start PLAYBOOK NAME`\n",
            ws.path().join(".onboard").display()
        )
    );
    // With no projects, the calendars subscribed to the file empty out.
    let run = ws.ok(&["ical"]);
    assert_eq!(
        run.stdout,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//onboard//onboard 0.1.0//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:onboard\r\nEND:VCALENDAR\r\n"
    );
}

#[test]
fn ical_uids_stay_put_across_runs_and_when_dates_move() {
    let mut ws = Workspace::initialized();
    ticket(&mut ws);
    theatre(&mut ws);
    let first = ws.ok(&["ical"]).stdout;
    assert_eq!(ws.ok(&["ical"]).stdout, first, "the same state and clock give the same file");
    let before = parsed(&first);
    let uids: Vec<&str> = before.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        uids,
        [
            "theatre-vidy/J/milestone@onboard",
            "theatre-vidy/secutix-format-data/due@onboard",
            "theatre-vidy/deliver-data/due@onboard",
            "theatre-vidy/preprod-import/due@onboard",
            "theatre-vidy/customer-validation/due@onboard",
            "theatre-vidy/production-import/due@onboard",
            "ticket-481/received_at/milestone@onboard",
            "ticket-481/diagnosis/due@onboard",
        ]
    );
    // Day deadlines are all-day events on their day.
    let date = |text: &str| DatePerhapsTime::Date(chrono::NaiveDate::from_str(text).unwrap());
    assert_eq!((&before[3].1, &before[3].2), (&date("2026-03-31"), &Some(date("2026-04-01"))));

    // The go-live moves, and the request's reception is corrected an hour earlier.
    ws.at("2026-04-01T11:00:00+02:00");
    ws.ok(&["set", "theatre-vidy", "J=2026-04-18", "--reason", "box office opening"]);
    ws.ok(&["set", "ticket-481", "received_at=2026-03-02T15:00:00-05:00", "--reason", "mail read late"]);
    let after = parsed(&ws.ok(&["ical"]).stdout);
    let moved: Vec<(&str, &DatePerhapsTime, u32)> = after.iter().map(|e| (e.0.as_str(), &e.1, e.3)).collect();
    let utc = |text: &str| {
        let at = chrono::DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&chrono::Utc);
        DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(at))
    };
    assert_eq!(
        moved,
        [
            ("theatre-vidy/J/milestone@onboard", &date("2026-04-18"), 10),
            ("theatre-vidy/secutix-format-data/due@onboard", &date("2026-04-02"), 10),
            ("theatre-vidy/deliver-data/due@onboard", &date("2026-04-02"), 10),
            ("theatre-vidy/preprod-import/due@onboard", &date("2026-04-10"), 10),
            ("theatre-vidy/customer-validation/due@onboard", &date("2026-04-16"), 10),
            ("theatre-vidy/production-import/due@onboard", &date("2026-04-18"), 10),
            ("ticket-481/received_at/milestone@onboard", &utc("2026-03-02T20:00:00Z"), 4),
            // 15:00 to 17:00 in Bogotá: due the same evening.
            ("ticket-481/diagnosis/due@onboard", &utc("2026-03-02T22:00:00Z"), 4),
        ]
    );
    assert!(after.iter().zip(&before).all(|(a, b)| a.3 > b.3), "each changed project's SEQUENCE grew");
}
