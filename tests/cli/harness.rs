//! The harness of the integration tests: a scratch `Workspace` with a cleared environment
//! and a fixed clock that runs the real `onboard` binary, the snapshot comparison with
//! `tests/expected/`, and the fixtures and replays several test modules share.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

/// The instant a workspace's clock starts at.
pub(crate) const START: &str = "2026-03-02T09:00:00-03:00";

/// A scratch workspace with its own state directory, clock and cache folder (outside the
/// directory, which some tests make a git repository).
pub(crate) struct Workspace {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) cache: tempfile::TempDir,
    pub(crate) now: String,
    pub(crate) user: String,
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Workspace {
    pub(crate) fn new() -> Workspace {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = tempfile::tempdir().expect("temp dir");
        Workspace { dir, cache, now: START.into(), user: "ana".into() }
    }

    /// A workspace with `.onboard/` created by `onboard init`.
    pub(crate) fn initialized() -> Workspace {
        let ws = Workspace::new();
        ws.ok(&["init"]);
        ws
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("onboard").expect("binary");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("ONBOARD_NOW", &self.now)
            .env("ONBOARD_USER", &self.user)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("RUST_BACKTRACE", "1")
            .env("XDG_CACHE_HOME", self.cache.path())
            // Writers under test may queue behind each other on a loaded machine: they
            // wait, as a person would, far longer than the default (tests of the wait set
            // their own).
            .env("ONBOARD_WAIT", "600")
            .current_dir(self.path())
            .args(args);
        if std::env::var("ONBOARD_TEST_NO_CACHE").is_ok_and(|v| !v.is_empty() && v != "0") {
            cmd.env("ONBOARD_NO_CACHE", "1");
        }
        cmd
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.run_with(&[], args)
    }

    /// Runs with extra environment variables (the workspace clears the rest).
    pub(crate) fn run_with(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        cmd.envs(env.iter().copied());
        let output = cmd.output().expect("run onboard");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
        }
    }

    /// Runs and insists on success.
    pub(crate) fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(run.code, 0, "onboard {args:?} failed:\n{}", run.stderr);
        run
    }

    /// Runs `check`-like commands, insists on exit code 0 or 1, and returns stdout.
    pub(crate) fn ok_or_1(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(matches!(run.code, 0 | 1), "onboard {args:?} failed:\n{}", run.stderr);
        run.stdout
    }

    /// Runs, insists on exit code 2 and no stdout, and returns stderr.
    pub(crate) fn fails(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.code, 2, "onboard {args:?} should fail with 2:\n{run:?}");
        assert_eq!(run.stdout, "", "a failure prints nothing on stdout");
        run.stderr
    }

    /// The directory of project `name` (format 4).
    pub(crate) fn project_dir(&self, name: &str) -> PathBuf {
        self.path().join(".onboard/projects").join(name)
    }

    /// The old single file of project `name` (formats 1–3), as fixtures write it.
    pub(crate) fn project_file(&self, name: &str) -> PathBuf {
        self.path().join(".onboard/projects").join(format!("{name}.yaml"))
    }

    /// The files of project `name` that are not `project.yaml`, by name, sorted.
    pub(crate) fn event_files(&self, name: &str) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.project_dir(name))
            .expect("project directory")
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "project.yaml")
            .collect();
        names.sort();
        names
    }

    /// Everything stored of project `name`: its old single file, or each file of its
    /// directory under a `== NAME ==` line, in name order. Equal before and after a
    /// command when the command changed nothing.
    pub(crate) fn read_project(&self, name: &str) -> String {
        if let Ok(text) = fs::read_to_string(self.project_file(name)) {
            return text;
        }
        let mut out = fs::read_to_string(self.project_dir(name).join("project.yaml")).expect("project.yaml");
        for file in self.event_files(name) {
            let text = fs::read_to_string(self.project_dir(name).join(&file)).expect("event file");
            out.push_str(&format!("== {file} ==\n{text}"));
        }
        out
    }

    /// Leaves `project.yaml` of project `name` as git leaves it when two branches started
    /// that name: both sides' start between conflict markers. Returns the file and the
    /// line of the first marker.
    pub(crate) fn conflicted(&self, name: &str) -> (PathBuf, usize) {
        let path = self.project_dir(name).join("project.yaml");
        let text = fs::read_to_string(&path).expect("project.yaml");
        let (head, rest) = text.split_once("start:\n").expect("a start block");
        let (at, rest) = rest.split_once('\n').unwrap();
        let (by, rest) = rest.split_once('\n').unwrap();
        assert!(at.starts_with("  at: ") && by.starts_with("  by: "), "{text}");
        let conflicted = format!(
            "{head}start:\n<<<<<<< HEAD\n{at}\n{by}\n=======\n{at}\n  by: luis\n>>>>>>> other\n{rest}"
        );
        fs::write(&path, &conflicted).unwrap();
        let line = conflicted.lines().position(|l| l.starts_with("<<<<<<<")).unwrap() + 1;
        (path, line)
    }

    /// `text` with this workspace's folder written `[dir]`, so that an output naming a file
    /// in it compares whole.
    pub(crate) fn scrubbed(&self, text: &str) -> String {
        text.replace(&self.path().display().to_string(), "[dir]")
    }

    pub(crate) fn at(&mut self, now: &str) -> &mut Self {
        self.now = now.to_string();
        self
    }

    pub(crate) fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(args)
            .current_dir(self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.path())
            .env("GIT_AUTHOR_DATE", "2026-03-02T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-03-02T12:00:00Z")
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("utf-8")
    }

    /// Plants the `hosting-suspension` team playbook and plays its project `acme` up to
    /// the suspension: started Monday 2 March 2026 (cut-off Saturday 14 March), noticed
    /// on the 3rd, suspended on the 14th; its cancellation waits 30 days.
    pub(crate) fn suspended_acme(&mut self) {
        fs::write(
            self.path().join(".onboard/playbooks/hosting-suspension.yaml"),
            include_str!("../fixtures/hosting-suspension.yaml"),
        )
        .unwrap();
        self.at("2026-03-02T09:00:00-05:00").ok(&[
            "start",
            "hosting-suspension",
            "acme",
            "--set",
            "fecha_corte=2026-03-14",
        ]);
        self.at("2026-03-03T09:00:00-05:00").ok(&["advance", "notice"]);
        self.at("2026-03-14T18:00:00-05:00").ok(&["advance", "suspend"]);
    }

    pub(crate) fn git_init(&self) {
        self.git(&["init", "-q", "-b", "main"]);
        self.git(&["config", "user.name", "Ana Test"]);
        self.git(&["config", "user.email", "ana@example.com"]);
        self.git(&["config", "commit.gpgsign", "false"]);
    }
}

/// Compares with `tests/expected/<name>` byte for byte (snapbox; line endings aside), or
/// rewrites it under `SNAPSHOTS=overwrite`.
pub(crate) fn assert_expected(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected").join(name);
    // Text as it is: no JSON re-formatting, no `[..]` wildcards in expected files.
    let expected = snapbox::Data::read_from(&path, Some(snapbox::data::DataFormat::Text)).raw();
    snapbox::Assert::new().action_env(snapbox::assert::DEFAULT_ACTION_ENV).eq(actual.to_string(), expected);
}

/// `SNAPSHOTS=overwrite` (snapbox's convention): rewrite what the tests compare with,
/// expected files, replayed examples and corpus cases alike; then review the diff.
pub(crate) fn blessing() -> bool {
    std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite")
}

/// The steps of phase I up to 3.1, in order, none of which records a field: the meeting
/// ENTIDADES schedules, then its objectives.
pub(crate) const MEETING: [&str; 11] =
    ["I", "1.1", "1.2", "1.3", "2.1.1", "2.1.2", "2.1.3", "2.2.1", "2.2.2", "2.2.3", "2.2.4"];

pub(crate) fn through_kickoff(ws: &mut Workspace) {
    for step in MEETING {
        ws.ok(&["advance", step]);
    }
    ws.ok(&["advance", "3.1", "--set", "contactos=Ana Pérez (TI) ana@coop.com.py; Luis Gómez (Operaciones)"]);
    ws.ok(&["advance", "3.2.1"]);
}
/// Splits a command line the way a shell would for the examples: spaces separate words,
/// double or single quotes keep them together.
pub(crate) fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, ' ') => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    words
}

/// Runs one example: every `$ ` line of its console blocks, in a fresh workspace, and
/// returns the file as it should read (commands with their real output).
pub(crate) fn replay(text: &str) -> String {
    let mut ws = Workspace::new();
    let dir = ws.path().display().to_string();
    // `init` in a repository names the binary in the merge driver's configuration.
    let binary = assert_cmd::cargo::cargo_bin("onboard").display().to_string();
    let mut out = String::new();
    // The fence that opened the console block: three backticks, or four when the output
    // holds a fenced block of its own (a report's Mermaid chart).
    let mut fence: Option<&str> = None;
    let mut skipping_output = false;
    for line in text.lines() {
        let Some(open) = fence else {
            out.push_str(line);
            out.push('\n');
            fence =
                line.trim().strip_suffix("console").filter(|f| f.len() >= 3 && f.chars().all(|c| c == '`'));
            continue;
        };
        if line.trim() == open {
            fence = None;
            skipping_output = false;
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let Some(command) = line.strip_prefix("$ ") else {
            assert!(skipping_output, "a console block starts with `$ `: {line}");
            continue;
        };
        skipping_output = true;
        out.push_str(line);
        out.push('\n');
        let words = shell_words(command);
        match words.first().map(String::as_str) {
            Some("export") => {
                let (key, value) = words[1].split_once('=').expect("export KEY=VALUE");
                match key {
                    "ONBOARD_NOW" => ws.now = value.to_string(),
                    "ONBOARD_USER" => ws.user = value.to_string(),
                    other => panic!("examples may export ONBOARD_NOW and ONBOARD_USER, not {other}"),
                }
            }
            Some("onboard") => {
                let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
                let run = ws.run(&args);
                let printed = format!("{}{}", run.stdout, run.stderr)
                    .replace(&binary, "[onboard]")
                    .replace(&dir, "[dir]");
                out.push_str(&printed);
                if run.code != 0 {
                    out.push_str(&format!("[exit {}]\n", run.code));
                }
            }
            // A review walkthrough needs a repository: git runs with a fixed date, so
            // commit ids (which `onboard diff` prints) are the same on every run.
            Some("git") => {
                let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
                out.push_str(&ws.git(&args).replace(&dir, "[dir]"));
            }
            other => panic!("examples run `onboard`, `git` and `export` only, not {other:?}"),
        }
    }
    let _ = &mut ws;
    out
}

/// The cooperative project `coop-central` with phase II finished on Monday 30 March 2026,
/// so certification (10 business days) runs across Semana Santa to 15 April.
pub(crate) fn in_certification() -> Workspace {
    let mut ws = Workspace::initialized();
    ws.ok(&["start", "cooperative", "coop-central"]);
    through_kickoff(&mut ws);
    ws.ok(&["advance", "3.2.2"]);
    ws.ok(&["advance", "3.2.3", "--set", "fecha_reunion_tecnica=2026-03-05"]);
    ws.ok(&["advance", "3.3", "--set", "cuenta_clearing=CL-7", "--set", "lista_blanca=2026-03-05"]);
    ws.at("2026-03-30T10:00:00-03:00").ok(&["advance", "II"]);
    ws
}

/// The state directory as the commands print it (found from the workspace).
pub(crate) fn state_dir(ws: &Workspace) -> String {
    ws.path().join(".onboard").display().to_string()
}
