//! The bundled playbooks, already parsed, checked and hashed: a checked `Playbook` per
//! file of `playbooks/`, serialised with postcard into `bundled.postcard` and compiled
//! in, so no command parses a bundled playbook at run time.
//!
//! Only the playbook a command asks for is deserialised (about a thirtieth of what
//! parsing and checking its YAML cost, docs/performance.md). Its text comes from
//! `BUNDLED`, its lookup is rebuilt, its origin is `Bundled`: what is stored is
//! only what the checker derived. A test proves the file equals a fresh parse of
//! `playbooks/`, so a playbook edited without regenerating it fails `cargo test`.

use serde::{Deserialize, Serialize};

use super::model::{Lookup, Playbook};

/// The bundled playbooks: file name and text. A unit test (in `catalog`) checks that this
/// lists every file in `playbooks/`; `MODEL` holds each one checked.
pub(crate) const BUNDLED: [(&str, &str); 7] = [
    ("account-suspension.yaml", include_str!("../../playbooks/account-suspension.yaml")),
    ("change-request.yaml", include_str!("../../playbooks/change-request.yaml")),
    ("cooperative.yaml", include_str!("../../playbooks/cooperative.yaml")),
    ("data-import.yaml", include_str!("../../playbooks/data-import.yaml")),
    ("implementation.yaml", include_str!("../../playbooks/implementation.yaml")),
    ("operator-activation.yaml", include_str!("../../playbooks/operator-activation.yaml")),
    ("support-request.yaml", include_str!("../../playbooks/support-request.yaml")),
];

/// The regenerated file's place, for the test that writes it and its message.
#[cfg(test)]
const FILE: &str = "src/playbook/bundled.postcard";

/// `BUNDLED`'s playbooks checked: for each, its file name and its postcard bytes.
static MODEL: &[u8] = include_bytes!("bundled.postcard");

/// One entry of `MODEL`: a file name, the length of the text it was made from, and its
/// playbook's bytes, deserialised on demand.
#[derive(Serialize, Deserialize)]
struct Entry<'a> {
    name: &'a str,
    /// A playbook edited without regenerating `MODEL` (a build that skipped the tests)
    /// almost always changes length: it is then parsed, never paired with a stale model.
    text_len: u64,
    bytes: &'a [u8],
}

/// The checked bundled playbook of `name` (`cooperative.yaml`) whose text is `text`;
/// `None` when the model does not hold that text (never, a test says, in a released
/// binary): the caller parses it.
pub(super) fn playbook(name: &str, text: &str) -> Option<Playbook> {
    let entries: Vec<Entry<'static>> = postcard::from_bytes(MODEL).ok()?;
    let entry =
        entries.into_iter().find(|entry| entry.name == name && entry.text_len == text.len() as u64)?;
    let mut playbook: Playbook = postcard::from_bytes(entry.bytes).ok()?;
    playbook.lookup = Lookup::of(&playbook.phases, &playbook.variables);
    playbook.text = text.to_string();
    Some(playbook)
}

/// The model of these checked playbooks (file name and playbook), as `MODEL` holds it.
#[cfg(test)]
fn serialise(playbooks: &[(&str, Playbook)]) -> Vec<u8> {
    let bytes: Vec<Vec<u8>> = playbooks
        .iter()
        .map(|(_, playbook)| postcard::to_allocvec(playbook).expect("a playbook serialises"))
        .collect();
    let entries: Vec<Entry<'_>> = playbooks
        .iter()
        .zip(&bytes)
        .map(|((name, playbook), bytes)| Entry { name, text_len: playbook.text.len() as u64, bytes })
        .collect();
    postcard::to_allocvec(&entries).expect("the entries serialise")
}

#[cfg(test)]
mod tests {
    use super::BUNDLED;
    use super::*;
    use crate::playbook::validate::parse_bundled;

    fn fresh() -> Vec<(&'static str, Playbook)> {
        BUNDLED
            .iter()
            .map(|(name, text)| {
                let playbook = parse_bundled(text, &format!("playbooks/{name}"))
                    .unwrap_or_else(|e| panic!("{}", e.render(false)));
                (*name, playbook)
            })
            .collect()
    }

    /// The compiled-in model is what parsing `playbooks/` gives today; under
    /// `SNAPSHOTS=overwrite` it is rewritten from it.
    #[test]
    fn the_compiled_in_model_equals_a_fresh_parse_of_the_bundled_playbooks() {
        let expected = serialise(&fresh());
        if std::env::var_os("SNAPSHOTS").is_some_and(|v| v == "overwrite") {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FILE);
            std::fs::write(&path, &expected).unwrap();
            return;
        }
        assert!(
            MODEL == expected.as_slice(),
            "{FILE} is out of date with playbooks/: regenerate it with \
             `SNAPSHOTS=overwrite cargo test --lib playbook::embedded`, then build again"
        );
    }

    /// Every field the rest of the program reads comes back as a fresh parse has it.
    #[test]
    fn a_deserialised_playbook_is_the_parsed_one_with_its_text_hash_and_lookup() {
        for (name, parsed) in fresh() {
            let text = BUNDLED.iter().find(|(n, _)| *n == name).unwrap().1;
            let loaded = playbook(name, text).unwrap_or_else(|| panic!("{name} is not in {FILE}"));
            // A lookup's maps print in no fixed order: compared through `step` below.
            let without_lookup = |playbook: &Playbook| {
                format!("{:?}", Playbook { lookup: Lookup::default(), ..playbook.clone() })
            };
            assert_eq!(without_lookup(&loaded), without_lookup(&parsed), "{name}");
            assert_eq!(loaded.hash, parsed.hash);
            assert_eq!(loaded.text, text);
            assert_eq!(loaded.origin, crate::playbook::Origin::Bundled);
            let first = parsed.steps().next().unwrap().1;
            assert_eq!(
                loaded.step(&first.id).map(|(_, step)| step.title.as_str()),
                Some(first.title.as_str())
            );
        }
    }

    #[test]
    fn a_name_or_a_text_the_model_does_not_hold_is_none() {
        assert!(playbook("onboarding.yaml", "").is_none());
        let (name, text) = BUNDLED[0];
        assert!(playbook(name, &format!("{text}# edited\n")).is_none());
    }
}
