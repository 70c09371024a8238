//! Property tests over the entry points the fuzz targets call (`onboard::fuzz`): the
//! playbook parser and validator, the project-file reader, and the deadline rules, on
//! arbitrary text, YAML-shaped trees, and real files with random edits; and one through
//! the binary: any text given to a text-taking flag is refused or reads back unchanged.
//! They run in `cargo test`; the fuzz targets (nightly) explore further.

use std::fs;

use onboard::fuzz;
use proptest::prelude::*;
use serde_yaml::{Mapping, Value as Yaml};

use crate::harness::Workspace;

const GO_LIVE: &str = include_str!("../fixtures/go-live.yaml");
const PROJECT: &str = include_str!("../fixtures/format-2-coop-central.yaml");
const PROJECT_V1: &str = include_str!("../fixtures/format-1-coop-central.yaml");

/// The keys and values a playbook or a project file is made of, and what breaks them.
const KEYS: [&str; 24] = [
    "id",
    "title",
    "calendar",
    "roles",
    "variables",
    "phases",
    "steps",
    "after",
    "owner",
    "deadline",
    "not_before",
    "within",
    "from",
    "at",
    "roll",
    "count",
    "when",
    "fields",
    "name",
    "type",
    "choices",
    "optional",
    "business_hours",
    "service",
];
const SCALARS: [&str; 22] = [
    "go-live",
    "a",
    "b",
    "CH",
    "PY",
    "J",
    "J-14",
    "J+36525",
    "J-36526",
    "10 business days",
    "36525 days",
    "4000000000 days",
    "project.start",
    "a.done",
    "date",
    "choice",
    "bool",
    "a == b",
    "09:00-18:00",
    "",
    "~",
    "none",
];
const SNIPPETS: [&str; 20] = [
    "\n",
    "- ",
    ": ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "<<<<<<< ours\n",
    "\t",
    "\u{feff}",
    "'",
    "\"",
    "#",
    "J-99999",
    "~",
    "after: [a]\n",
    "  ",
    "\u{1b}[2J",
];

/// A tree of mappings, sequences and scalars drawn from the vocabulary.
fn yaml_tree() -> impl Strategy<Value = Yaml> {
    let leaf = prop_oneof![
        prop::sample::select(SCALARS.to_vec()).prop_map(|s| Yaml::String(s.into())),
        any::<i64>().prop_map(|n| Yaml::Number(n.into())),
        any::<bool>().prop_map(Yaml::Bool),
        Just(Yaml::Null),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Yaml::Sequence),
            prop::collection::vec((prop::sample::select(KEYS.to_vec()), inner), 0..6).prop_map(|pairs| {
                let mut map = Mapping::new();
                for (key, value) in pairs {
                    map.insert(Yaml::String(key.into()), value);
                }
                Yaml::Mapping(map)
            }),
        ]
    })
}

/// `text` with up to four edits: a snippet inserted, or a run of bytes removed.
fn edited(text: &'static str) -> impl Strategy<Value = String> {
    let edit =
        (any::<prop::sample::Index>(), prop::sample::select(SNIPPETS.to_vec()), 0usize..12, any::<bool>());
    prop::collection::vec(edit, 1..5).prop_map(move |edits| {
        let mut text = text.to_string();
        for (at, snippet, cut, insert) in edits {
            let mut at = at.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            if insert {
                text.insert_str(at, snippet);
            } else {
                let mut end = (at + cut).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(at..end, "");
            }
        }
        text
    })
}

/// Cases per property: 64 in a plain `cargo test`, which every build runs; with
/// `PROPTEST_CASES` set, that many (CI runs 256), and the fuzz targets explore further.
fn config() -> ProptestConfig {
    match std::env::var_os("PROPTEST_CASES") {
        // proptest's own default reads the variable (and says when it cannot parse it).
        Some(_) => ProptestConfig::default(),
        None => ProptestConfig::with_cases(64),
    }
}

/// The last instant `fuzz::rule` reaches, 9999-12-26T23:59:59Z: the seconds it takes
/// wrap around to 2 January 1970 after that.
const LAST_INSTANT: u64 = 253_401_782_399;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_text_is_a_playbook_or_a_located_error(text in any::<String>()) {
        fuzz::playbook(&text);
    }

    #[test]
    fn any_yaml_tree_is_a_playbook_or_a_located_error(tree in yaml_tree()) {
        let text = serde_yaml::to_string(&tree).unwrap();
        fuzz::playbook(&text);
    }

    #[test]
    fn an_edited_playbook_is_a_playbook_or_a_located_error(text in edited(GO_LIVE)) {
        fuzz::playbook(&text);
    }

    #[test]
    fn any_text_is_a_project_file_or_an_error(text in any::<String>()) {
        fuzz::project(&text);
    }

    #[test]
    fn any_yaml_tree_is_a_project_file_or_an_error(tree in yaml_tree()) {
        fuzz::project(&serde_yaml::to_string(&tree).unwrap());
    }

    #[test]
    fn an_edited_project_file_reads_and_writes_back_or_is_refused(text in edited(PROJECT)) {
        fuzz::project(&text.replace("project: coop-central", "project: fuzz"));
    }

    #[test]
    fn an_edited_format_1_file_converts_or_is_refused(text in edited(PROJECT_V1)) {
        fuzz::project(&text.replace("project: coop-central", "project: fuzz"));
    }

    #[test]
    fn any_rule_text_from_any_instant_counts_forward_or_says_why(
        text in prop_oneof![
            "[JK]?[+-]?[0-9]{0,12}",
            "[0-9]{1,11}( business)? (minute|hour|day|week|month)s?",
            any::<String>(),
        ],
        seconds in any::<u64>(),
        calendar in any::<usize>(),
    ) {
        fuzz::rule(&text, seconds, calendar);
    }
}

#[test]
fn the_entry_points_accept_the_real_files() {
    fuzz::playbook(GO_LIVE);
    fuzz::project(&PROJECT.replace("project: coop-central", "project: fuzz"));
    fuzz::project(&PROJECT_V1.replace("project: coop-central", "project: fuzz"));
}

#[test]
fn a_century_of_counting_from_either_end_of_the_supported_years_ends() {
    // From 1970, each count runs a hundred years; from the last instant, it runs past
    // the supported years at once and gives no due moment.
    for text in ["J-14", "J+36525", "36525 business days", "876600 business hours", "1217 months"] {
        fuzz::rule(text, LAST_INSTANT, 0);
        fuzz::rule(text, 0, 5);
    }
}

/// What breaks a YAML writer or reader, or a terminal: control characters, the line
/// breaks YAML 1.1 knows and 1.2 does not, a byte order mark, the indicators, words YAML
/// reads as other types, quotes, and spaces where a plain scalar loses them.
const HOSTILE: [&str; 44] = [
    "\u{1}",
    "\u{1b}[2J",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "- ",
    ": ",
    "#",
    " #",
    "&a",
    "*a",
    "!tag",
    "!!str",
    "'",
    "\"",
    "|",
    ">",
    "%",
    "@",
    "`",
    " ",
    "  ",
    "😀",
    "~",
    "null",
    "true",
    "1e3",
    "0x1F",
    "---",
    "...",
    "? ",
    "{",
    "[",
    ",",
    "\\",
    "é",
    "\u{a0}",
    "\u{200b}",
];

/// Text for a flag: hostile pieces among words, any Unicode, or one very long line. NUL
/// is left out: no process argument can hold it.
fn flag_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(HOSTILE.to_vec()).prop_map(String::from),
        "[a-zA-Z]{1,6}",
        any::<char>().prop_map(String::from),
    ];
    prop_oneof![
        4 => prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat()),
        2 => any::<String>(),
        1 => (prop::sample::select(HOSTILE.to_vec()), 500usize..3000).prop_map(|(sep, n)| {
            (0..n).map(|i| if i % 7 == 6 { sep } else { "x" }).collect()
        }),
    ]
    .prop_map(|text| text.replace('\0', ""))
}

/// Cases of the round trip: each runs about ten commands, so 24 unless `PROPTEST_CASES`
/// asks for more.
fn round_trip_config() -> ProptestConfig {
    match std::env::var_os("PROPTEST_CASES") {
        Some(_) => ProptestConfig::default(),
        None => ProptestConfig::with_cases(24),
    }
}

/// One event as `log --json` gives it: action, step, author, note, values.
type Logged = (String, Option<String>, String, Option<String>, serde_json::Value);

fn logged(
    action: &str,
    step: Option<&str>,
    by: &str,
    note: Option<&str>,
    values: serde_json::Value,
) -> Logged {
    (action.into(), step.map(String::from), by.into(), note.map(String::from), values)
}

/// A project of `vendor-review` given one text command by command, each a minute after
/// the last so that the log keeps their order, and the events that should be saved.
struct Trip {
    ws: Workspace,
    minute: u32,
    expected: Vec<Logged>,
}

impl Trip {
    fn new() -> Trip {
        let ws = Workspace::initialized();
        fs::write(
            ws.path().join(".onboard/playbooks/vendor-review.yaml"),
            include_str!("../fixtures/vendor-review.yaml"),
        )
        .unwrap();
        ws.ok(&["start", "vendor-review", "acme"]);
        Trip { ws, minute: 0, expected: Vec::new() }
    }

    /// Runs `args`: saved with exit code 0 when `saves`, else refused with exit code 2
    /// and the project's files as they were.
    fn give(&mut self, args: &[&str], saves: bool, event: Logged) {
        self.minute += 1;
        self.ws.at(&format!("2026-03-02T09:{:02}:00-03:00", self.minute));
        let before = self.ws.read_project("acme");
        let run = self.ws.run(args);
        if saves {
            assert_eq!(run.code, 0, "onboard {args:?} should save: {run:?}");
            self.expected.push(event);
        } else {
            assert_eq!(
                (run.code, run.stdout.as_str()),
                (2, ""),
                "onboard {args:?} should be refused: {run:?}"
            );
            assert!(run.stderr.starts_with("error: "), "{run:?}");
            assert_eq!(self.ws.read_project("acme"), before, "onboard {args:?} was refused but wrote");
        }
    }

    /// The events after the start, as `log --json` reads them back.
    fn log(&self) -> Vec<Logged> {
        let log: serde_json::Value =
            serde_json::from_str(&self.ws.ok(&["log", "acme", "--json"]).stdout).unwrap();
        let text = |v: &serde_json::Value| v.as_str().map(String::from);
        log["events"].as_array().unwrap()[1..]
            .iter()
            .map(|e| {
                (
                    text(&e["action"]).unwrap(),
                    text(&e["step"]),
                    text(&e["by"]).unwrap(),
                    text(&e["note"]),
                    e["values"].clone(),
                )
            })
            .collect()
    }
}

/// Gives `text` to every flag and field that takes text, one command each: a note or a
/// reason is saved whatever it is; `--by`, a text variable and a text field are trimmed
/// (as `docs/playbook.md` says of values), and refused when nothing is left. Then `log --json`
/// gives back every saved text byte for byte.
fn round_trip(text: &str) {
    let mut trip = Trip::new();
    let (note, reason) = (format!("--note={text}"), format!("--reason={text}"));
    let blank = text.trim().is_empty();
    let none = || serde_json::json!({});
    let questionnaire = Some("questionnaire");
    trip.give(
        &["advance", "acme", "questionnaire", &note],
        true,
        logged("done", questionnaire, "ana", Some(text), none()),
    );
    trip.give(
        &["reopen", "acme", "questionnaire", &reason],
        true,
        logged("reopen", questionnaire, "ana", Some(text), none()),
    );
    trip.give(
        &["skip", "acme", "pentest", &reason],
        true,
        logged("skip", Some("pentest"), "ana", Some(text), none()),
    );
    let value = serde_json::json!({ "contact": text.trim() });
    let assignment = format!("contact={text}");
    trip.give(
        &["set", "acme", &assignment, "--reason=new contact"],
        !blank,
        logged("set", None, "ana", Some("new contact"), value),
    );
    let fixed = serde_json::json!({ "contact": "Ana Pérez" });
    trip.give(
        &["set", "acme", "contact=Ana Pérez", &reason],
        true,
        logged("set", None, "ana", Some(text), fixed),
    );
    let by = format!("--by={text}");
    let by_text = logged("done", questionnaire, text.trim(), None, none());
    trip.give(&[&by, "advance", "acme", "questionnaire"], !blank, by_text);
    let verdict = format!("--set=verdict={text}");
    let field = serde_json::json!({ "verdict": text.trim() });
    trip.give(
        &["advance", "acme", "decision", &verdict],
        !blank,
        logged("done", Some("decision"), "ana", None, field),
    );
    // `contract` stays open: the project is unfinished, and `--reason` abandons it.
    trip.give(&["archive", "acme", &reason], true, logged("archive", None, "ana", Some(text), none()));
    assert_eq!(trip.log(), trip.expected, "the log of what was saved, for the text {text:?}");
}

proptest! {
    #![proptest_config(round_trip_config())]

    #[test]
    fn any_text_given_to_a_flag_is_refused_or_reads_back_unchanged(text in flag_text()) {
        round_trip(&text);
    }
}

/// Texts that writers get wrong: blank ones, the line breaks YAML 1.1 knows and 1.2 does
/// not, a byte order mark, a line long enough to fold, indicators, quotes, words YAML
/// reads as other types. Each goes through the whole round trip in every run.
#[test]
fn texts_that_writers_get_wrong_are_refused_or_read_back_unchanged() {
    let long: String = (0..3000).map(|i| if i % 7 == 6 { ' ' } else { 'x' }).collect();
    for text in [
        "",
        "   ",
        "\t",
        "\u{85}",
        " \u{85}",
        "\u{a0}",
        "\u{2028}",
        "a\u{2028}b",
        "\u{2028}  x",
        "\u{2029}\u{2029}",
        "\u{feff}",
        "\u{feff}bom",
        "x\n",
        " x ",
        "x\n\n y\n",
        "a\r\nb\r\n",
        "\r",
        "- x",
        "x: y",
        "# not a comment",
        "&a",
        "*a",
        "!tag x",
        "'",
        "\"",
        "| x",
        "> x",
        "%YAML",
        "@x",
        "null",
        "~",
        "true",
        "1e3",
        "---",
        "...",
        "😀 done",
        "\u{1b}[2J",
        "\u{7f}",
        "\u{80}\u{9f}",
        "\u{fffe}\u{ffff}",
        "\u{10ffff}",
        "\u{1}",
        &long,
    ] {
        round_trip(text);
    }
}

#[test]
fn a_blank_by_is_refused_rather_than_replaced_by_someone_else() {
    let mut trip = Trip::new();
    trip.give(
        &["--by= ", "advance", "acme", "decision"],
        false,
        logged("", None, "", None, serde_json::json!({})),
    );
    assert_eq!(
        trip.ws.fails(&["--by=", "advance", "acme", "decision"]),
        "error: `--by` is empty: it names who makes the change\nhint: give a name (`--by 'Ana Pérez'`), or leave out --by to use $ONBOARD_USER, git's user.name or the OS user\n"
    );
    assert_eq!(trip.log(), []);
}
