//! A file that git left with conflict markers, split back into the two sides (and the
//! common base, when git wrote it in `diff3` or `zdiff3` style), so that `onboard
//! resolve` can merge them event by event.

use anyhow::{Result, bail};

/// The 1-based line of the first merge-conflict marker, if any.
pub(crate) use crate::text::first_conflict_marker as first_marker;
use crate::text::{Marker, conflict_marker};

/// The texts between the markers, each with the lines both sides share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sides {
    pub ours: String,
    /// Present only when every conflict carries its base section (`|||||||`).
    pub base: Option<String>,
    pub theirs: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum In {
    Both,
    Ours,
    Base,
    Theirs,
}

fn marker(line: &str) -> Option<In> {
    conflict_marker(line).map(|marker| match marker {
        Marker::Ours => In::Ours,
        Marker::Base => In::Base,
        Marker::Theirs => In::Theirs,
        Marker::End => In::Both,
    })
}

/// Splits `text` at its markers; `None` when it has none.
pub(crate) fn split(text: &str) -> Result<Option<Sides>> {
    first_marker(text).map(|_| split_marked(text)).transpose()
}

fn split_marked(text: &str) -> Result<Sides> {
    let (mut ours, mut base, mut theirs) = (String::new(), String::new(), String::new());
    let mut every_conflict_has_base = true;
    let mut state = In::Both;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        let next = marker(bare);
        let expected = match (state, next) {
            (_, None) => true,
            (In::Both, Some(In::Ours)) => true,
            (In::Ours, Some(In::Base)) => true,
            (In::Ours, Some(In::Theirs)) => {
                every_conflict_has_base = false;
                true
            }
            (In::Base, Some(In::Theirs)) | (In::Theirs, Some(In::Both)) => true,
            _ => false,
        };
        if !expected {
            bail!("line {}: the conflict marker `{bare}` is out of place", i + 1);
        }
        if let Some(next) = next {
            state = next;
            continue;
        }
        match state {
            In::Both => {
                ours.push_str(line);
                base.push_str(line);
                theirs.push_str(line);
            }
            In::Ours => ours.push_str(line),
            In::Base => base.push_str(line),
            In::Theirs => theirs.push_str(line),
        }
    }
    if state != In::Both {
        bail!("the last conflict is not closed by a `>>>>>>>` line");
    }
    Ok(Sides { ours, base: every_conflict_has_base.then_some(base), theirs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_both_sides_and_the_base_of_diff3_conflicts() {
        let text = "a\n<<<<<<< HEAD\nb\n||||||| base\nc\n=======\nd\n>>>>>>> other\ne\n";
        let sides = split(text).unwrap().unwrap();
        assert_eq!(sides.ours, "a\nb\ne\n");
        assert_eq!(sides.base.as_deref(), Some("a\nc\ne\n"));
        assert_eq!(sides.theirs, "a\nd\ne\n");
    }

    #[test]
    fn without_base_sections_there_is_no_base() {
        let sides = split("<<<<<<< HEAD\nb\n=======\n>>>>>>> x\n").unwrap().unwrap();
        assert_eq!((sides.ours.as_str(), sides.base, sides.theirs.as_str()), ("b\n", None, ""));
        assert_eq!(split("a: '======='\n").unwrap(), None);
    }

    #[test]
    fn refuses_markers_out_of_place() {
        let error = split("a\n=======\nb\n").unwrap_err();
        assert_eq!(error.to_string(), "line 2: the conflict marker `=======` is out of place");
        assert!(split("<<<<<<< HEAD\nb\n").is_err());
    }
}
