//! A project file's text read into its model: the current format, or format 1 converted
//! in memory; refused, with the line, when it holds conflict markers, a repeated key, a
//! newer format or a path field of a shape onboard does not write. And a parsed file
//! checked against the playbook version it follows.

use std::path::Path;

use super::error::{Located, StoreError};
use super::layout::{DIR_FORMAT, check_path_fields, declared_format};
use crate::playbook::Playbook;
use crate::state::conflict::first_marker;
pub(crate) use crate::state::fit::problems;
use crate::state::legacy::FileV1;
use crate::state::project::{LIFECYCLE_FORMAT, ProjectFile};
use crate::text::{check_shape, first_duplicate_key};

/// Parses a project file's text, of the current format or format 1 (converted in
/// memory); `path` and `name` are for messages and the name check.
pub(crate) fn parse_project(text: &str, path: &Path, name: &str) -> Result<ProjectFile, StoreError> {
    if let Some(line) = first_marker(text) {
        return Err(StoreError::Conflict { path: path.to_path_buf(), line, name: name.to_string() });
    }
    let mut file = parse_events(text, path)?;
    if file.project != name {
        return Err(StoreError::NameMismatch {
            path: path.to_path_buf(),
            found: file.project,
            expected: name.to_string(),
        });
    }
    super::layout::name_as_converted(&mut file);
    Ok(file)
}

/// The text of a single project file (formats 1–3) as it will be written to `path`,
/// once it reads back as the same project: a merge or a repair never stores a file that
/// every later command would refuse (too large, or a value YAML does not keep).
pub(crate) fn render_checked(file: &ProjectFile, path: &Path) -> anyhow::Result<String> {
    let text = crate::state::project::render(file)?;
    match parse_events(&text, path) {
        Ok(back) if back == *file => Ok(text),
        Ok(_) => anyhow::bail!(
            "`{}` would not read back as it was merged (a value YAML cannot keep as it is); nothing was written",
            path.display()
        ),
        Err(error) => Err(anyhow::Error::from(error)
            .context(format!("`{}` would not read back as merged; nothing was written", path.display()))),
    }
}

/// Parses one version of a project file (without conflict markers) whatever its name.
pub(crate) fn parse_events(text: &str, path: &Path) -> Result<ProjectFile, StoreError> {
    // Before the YAML parser, whose time grows with the square of the nesting depth.
    if let Err((at, message)) = check_shape(text) {
        return Err(StoreError::Shape { path: path.to_path_buf(), at, message });
    }
    let format = declared_format(text);
    if let Some(format) = format.filter(|f| *f > LIFECYCLE_FORMAT) {
        return Err(StoreError::NewerFormat { path: path.to_path_buf(), format, newest: DIR_FORMAT });
    }
    let parsed = match format {
        Some(_) => serde_yaml::from_str::<ProjectFile>(text),
        None => match serde_yaml::from_str::<FileV1>(text).map(FileV1::convert) {
            Ok(Err(refused)) => {
                let at = crate::text::LocationIndex::new(text).value(&refused.at);
                return Err(StoreError::Shape { path: path.to_path_buf(), at, message: refused.message });
            }
            Ok(Ok(file)) => Ok(file),
            Err(error) => Err(error),
        },
    };
    // Every map refuses a repeated key while parsing (`unique`); only then is the file
    // read again to find the repeat's own line, so a good file is parsed once.
    let file = parsed.map_err(|error| match first_duplicate_key(text) {
        Some((at, key)) => StoreError::DuplicateKey { path: path.to_path_buf(), at, key },
        None => StoreError::Unparsable { path: path.to_path_buf(), cause: Located(error) },
    })?;
    check_path_fields(&file, path)?;
    Ok(file)
}

/// Fails with the first of `problems`, naming the file.
pub fn check_against(file: &ProjectFile, playbook: &Playbook, path: &Path) -> Result<(), StoreError> {
    match problems(file, playbook).into_iter().next() {
        None => Ok(()),
        Some(problem) => {
            // A project directory: name the one file to fix, not the folder.
            let path = super::layout::blame(file, playbook, path).unwrap_or_else(|| path.to_path_buf());
            Err(StoreError::DoesNotFit { path, problem })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::store::error::PathField;

    const PATH: &str = ".onboard/projects/opera.yaml";
    const HASH: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    fn file(project: &str, playbook: &str, hash: &str) -> String {
        format!(
            "format: 2\nproject: {project}\nplaybook: {playbook}\nplaybook_hash: {hash}\nstart:\n  at: 2026-03-02T09:00:00+01:00\n  by: ana\n  calendar: CH\n  tool: onboard 0.1.0\nvars: {{}}\nsteps: {{}}\n"
        )
    }

    fn refused(text: &str) -> StoreError {
        parse_project(text, Path::new(PATH), "opera").unwrap_err()
    }

    #[test]
    fn finds_conflict_markers_by_line() {
        assert_eq!(first_marker("a: 1\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> other\n"), Some(2));
        assert_eq!(first_marker("a: '======='\n"), None);
    }

    #[test]
    fn each_refusal_is_a_variant_a_caller_can_match() {
        assert!(parse_project(&file("opera", "go-live", HASH), Path::new(PATH), "opera").is_ok());
        let conflict = refused(&format!("<<<<<<< HEAD\n{}", file("opera", "go-live", HASH)));
        assert!(
            matches!(&conflict, StoreError::Conflict { line: 1, name, .. } if name == "opera"),
            "{conflict:?}"
        );
        assert_eq!(conflict.to_string(), format!("`{PATH}` has an unresolved merge conflict at line 1"));

        let newer = refused(&file("opera", "go-live", HASH).replace("format: 2", "format: 9"));
        assert!(matches!(newer, StoreError::NewerFormat { format: 9, .. }), "{newer:?}");

        let twice = refused(&file("opera", "go-live", HASH).replace("vars: {}", "vars: {}\nvars: {}"));
        let StoreError::DuplicateKey { at, key, .. } = &twice else { panic!("{twice:?}") };
        assert_eq!((at.line, at.column, key.as_str()), (11, 1, "vars"));
        assert_eq!(
            twice.to_string(),
            format!("`{PATH}`:11:1: the key `vars` appears twice in the same block")
        );

        let unparsable = refused(&file("opera", "go-live", HASH).replace("steps: {}", "steps: [1"));
        let StoreError::Unparsable { path, cause } = &unparsable else { panic!("{unparsable:?}") };
        assert_eq!(path, &PathBuf::from(PATH));
        assert_eq!(
            cause.to_string(),
            "steps: invalid type: sequence, expected a mapping at line 11 column 8"
        );

        let other = refused(&file("coop", "go-live", HASH));
        assert!(matches!(&other, StoreError::NameMismatch { found, .. } if found == "coop"), "{other:?}");
        assert_eq!(
            other.to_string(),
            format!("`{PATH}` says it is project `coop`; the file name says `opera`")
        );
    }

    #[test]
    fn fields_joined_into_paths_must_have_the_shape_onboard_writes() {
        let outside = refused(&file("opera", "../../etc", HASH));
        assert!(matches!(outside, StoreError::BadField { field: PathField::Playbook, .. }), "{outside:?}");
        assert_eq!(
            outside.to_string(),
            format!(
                "`{PATH}`: `playbook` is `../../etc`, which is not a playbook id: lowercase letters, digits and `-`"
            )
        );
        let short = refused(&file("opera", "go-live", "sha256:abc"));
        assert!(matches!(short, StoreError::BadField { field: PathField::PlaybookHash, .. }), "{short:?}");
    }
}
