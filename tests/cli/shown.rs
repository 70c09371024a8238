//! Everything shown is safe to show: text from playbooks, calendar overrides, project
//! files and arguments reaches the terminal with its control characters escaped
//! (`\u{1b}`), one-line places show a line break as `\n`, `diff` quotes notes under
//! their entry, Markdown shows user text as text (no link, image, HTML or mention), and
//! a commit message takes each user text as one line.

use std::fs;

use crate::harness::*;

const GO_LIVE: &str = include_str!("../fixtures/go-live.yaml");

/// The `go-live` playbook with an escape sequence in its title, a phase's title, a step's
/// title and number, a role's name, an assumption, a description and a time limit's words.
fn hostile_playbook() -> String {
    GO_LIVE
        .replace("title: Go-live data import", "title: \"Go-live \\e[2J data import\"")
        .replace("title: Data planning", "title: \"Data \\e]0;pwned\\a planning\"")
        .replace(
            "title: The customer deliver the cleaned data in SecuTix format",
            "title: \"The customer \\e[31mdelivers\\e[0m the data\"\n        description: \"Cleaned,\\e[8m hidden\\nin SecuTix format\"",
        )
        .replace("number: J-7\n", "number: \"J\\e[1m-7\"\n")
        .replace("name: The customer", "name: \"The \\e[5mcustomer\"")
        .replace("calendar: CH\n", "calendar: CH\nassumptions:\n  - \"Data \\e[2J arrives\\ncleaned\"\n")
        .replace("deadline: { at: J-14 }", "deadline: { at: J-14, text: \"two weeks \\e[2J before\" }")
}

/// A workspace with the hostile playbook and its project `opera`.
fn opera() -> Workspace {
    let ws = Workspace::initialized();
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), hostile_playbook()).unwrap();
    ws.ok(&["start", "go-live", "opera", "--set", "J=2026-05-28"]);
    ws
}

/// Nothing of `text` is a raw control character but the line breaks.
fn assert_no_escape(text: &str) {
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "a control character is sent: {text:?}");
}

#[test]
fn escape_sequences_in_a_playbook_are_shown_not_sent_by_status_show_and_playbooks() {
    let ws = opera();
    for (args, expected) in [
        (&["status", "opera"][..], "shown-status.txt"),
        (&["show", "go-live"], "shown-show.txt"),
        (&["playbooks"], "shown-playbooks.txt"),
    ] {
        let shown = ws.ok(args).stdout;
        assert_no_escape(&shown);
        assert_expected(expected, &shown);
    }
    ws.ok(&["start", "go-live", "opera-two", "--set", "J=2026-06-25"]);
    let portfolio = ws.ok(&["status"]).stdout;
    assert_no_escape(&portfolio);
    assert_expected("shown-portfolio.txt", &portfolio);
}

#[test]
fn a_closure_s_name_from_a_calendar_override_is_shown_not_sent_by_calendars_and_explain() {
    let ws = opera();
    fs::create_dir_all(ws.path().join(".onboard/calendars")).unwrap();
    fs::write(
        ws.path().join(".onboard/calendars/CH.yaml"),
        "closed:\n  - {date: 2026-05-13, name: \"Inventur \\e[2J\\nfake line\"}\n",
    )
    .unwrap();
    let calendars = ws.ok(&["calendars", "CH", "--year", "2026"]).stdout;
    assert_no_escape(&calendars);
    assert_expected("shown-calendar-closure.txt", &ws.scrubbed(&calendars));
    let explained = ws.ok(&["explain", "opera", "deliver-data"]).stdout;
    assert_no_escape(&explained);
    let root = ws.path().display().to_string();
    assert_expected("shown-explain.txt", &explained.replace(&root, "{root}"));
}

#[test]
fn a_note_or_an_actor_with_a_line_break_keeps_to_its_row_in_log_and_check() {
    let mut ws = opera();
    ws.ok(&[
        "advance",
        "opera",
        "J-14",
        "--by",
        "bob\nSigned-off-by: eve",
        "--note",
        "sent\n2026-05-01 10:00   eve   done",
    ]);
    let log = ws.ok(&["log", "opera"]).stdout;
    assert_no_escape(&log);
    assert_expected("shown-log.txt", &log);
    let check = ws.at("2026-05-20T10:00:00+02:00").ok_or_1(&["check"]);
    assert_no_escape(&check);
    assert_expected("shown-check.txt", &check);
}

#[test]
fn a_markdown_report_shows_links_images_html_and_mentions_from_files_as_text() {
    let mut ws = Workspace::initialized();
    let playbook = GO_LIVE
        .replace("title: Go-live data import", "title: \"Go-live [docs](https://evil) ![i](http://t/p.png)\"")
        .replace("title: Data planning", "title: \"Data <img src=x onerror=alert(1)> planning\"")
        .replace(
            "title: The customer deliver the cleaned data in SecuTix format",
            "title: \"Deliver | the data @everyone #1 `code`\"",
        );
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), playbook).unwrap();
    ws.ok(&["start", "go-live", "opera", "--set", "J=2026-05-28"]);
    ws.at("2026-03-03T09:00:00-03:00").ok(&["advance", "opera", "J-14", "--by", "@org/team"]);
    let report = ws.ok(&["report", "opera"]).stdout;
    assert_no_escape(&report);
    assert_expected("shown-report.md", &report);
}

#[test]
fn a_commit_message_takes_each_text_from_an_argument_as_one_line() {
    let ws = Workspace::new();
    ws.git_init();
    ws.ok(&["init"]);
    fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), hostile_playbook()).unwrap();
    ws.ok(&["start", "go-live", "opera", "--set", "J=2026-05-28", "--commit"]);
    let by = "ana\u{2028}b\u{85}\n\nSigned-off-by: Eve <eve@example.com>";
    ws.ok(&["advance", "opera", "J-14", "--by", by, "--commit"]);
    assert_eq!(
        ws.git(&["log", "-1", "--format=%B"]),
        "onboard: opera: done J-14\n\nStep: J-14 `deliver-data`: The customer \\u{1b}[31mdelivers\\u{1b}[0m the data\n\n\
         Recorded by ana\\u{2028}b\\u{85}\\n\\nSigned-off-by: Eve <eve@example.com>.\n\n"
    );
    assert_eq!(ws.git(&["log", "-1", "--format=%(trailers)"]), "\n");
    ws.ok(&[
        "set",
        "opera",
        "J=2026-06-04",
        "--reason",
        "moved\nCo-authored-by: Eve <eve@example.com>",
        "--commit",
    ]);
    assert_eq!(
        ws.git(&["log", "-1", "--format=%B"]),
        "onboard: opera: set J\n\nValue: 2026-05-28 → 2026-06-04\n\nReason: moved\\nCo-authored-by: Eve <eve@example.com>\n\nRecorded by ana.\n\n"
    );
    assert_eq!(ws.git(&["log", "-1", "--format=%(trailers)"]), "\n");
}
