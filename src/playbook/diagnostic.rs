//! Problems found in a playbook file, each with its place, and how they are shown.

use std::fmt;

use super::locate::Location;

/// One problem in a playbook: what is wrong, where, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub location: Option<Location>,
    pub hint: Option<String>,
}

/// Every problem found in one playbook file; it is the error of `load` and `parse`.
#[derive(Debug, Clone)]
pub struct PlaybookError {
    /// The file as the user knows it: a path, or `bundled:<id>.yaml`.
    pub file: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl PlaybookError {
    /// Every diagnostic as `file:line:col: message`, with the source line, a caret and a hint.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Indexed once: a file may have as many problems as lines.
        let lines: Vec<&str> = self.text.lines().collect();
        for diagnostic in &self.diagnostics {
            out.push_str(&format!("error: {}\n", diagnostic.message));
            match diagnostic.location {
                Some(at) => {
                    out.push_str(&format!("  --> {}:{}:{}\n", self.file, at.line, at.column));
                    out.push_str(&excerpt(&lines, at));
                }
                None => out.push_str(&format!("  --> {}\n", self.file)),
            }
            if let Some(hint) = &diagnostic.hint {
                out.push_str(&format!("  = hint: {hint}\n"));
            }
        }
        out
    }
}

/// The line at `at`, with a caret under its column.
fn excerpt(lines: &[&str], at: Location) -> String {
    let Some(line) = lines.get(at.line.saturating_sub(1)) else {
        return String::new();
    };
    let number = at.line.to_string();
    let pad = " ".repeat(number.len());
    let caret = " ".repeat(line.chars().take(at.column.saturating_sub(1)).count());
    format!("{pad} |\n{number} | {line}\n{pad} | {caret}^\n")
}

impl fmt::Display for PlaybookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.diagnostics.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        write!(f, "playbook `{}` has {count} {noun}", self.file)
    }
}

impl std::error::Error for PlaybookError {}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(&word.to_lowercase(), &candidate.to_lowercase()), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("titel", ["id", "title", "owner"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["id", "title", "owner"]), None);
    }

    #[test]
    fn renders_file_line_column_caret_and_hint() {
        let error = PlaybookError {
            file: "playbooks/x.yaml".into(),
            text: "id: x\ntitel: X\n".into(),
            diagnostics: vec![Diagnostic {
                message: "unknown key `titel` in the playbook".into(),
                location: Some(Location { line: 2, column: 1 }),
                hint: Some("did you mean `title`?".into()),
            }],
        };
        assert_eq!(
            error.render(),
            "error: unknown key `titel` in the playbook\n  --> playbooks/x.yaml:2:1\n  |\n2 | titel: X\n  | ^\n  = hint: did you mean `title`?\n"
        );
    }
}
