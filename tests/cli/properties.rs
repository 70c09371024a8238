//! Property tests over the entry points the fuzz targets call (`onboard::fuzz`): the
//! playbook parser and validator, the project-file reader, and the deadline rules, on
//! arbitrary text, YAML-shaped trees, and real files with random edits. They run in
//! `cargo test`; the fuzz targets (nightly) explore further.

use onboard::fuzz;
use proptest::prelude::*;
use serde_yaml::{Mapping, Value as Yaml};

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
