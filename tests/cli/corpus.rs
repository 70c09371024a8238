//! The bad-input corpus: every case in `tests/corpus/*.case` plants files in a fresh
//! workspace, runs one command, and must end with its exit code and the first line of its
//! error, with no file of the workspace changed. A failure lists every case that differs.
//!
//! A case file is a header of `key: value` lines, then sections that plant files:
//!
//! ```text
//! # what the case is about
//! setup: opera                  empty (default), init, opera (go-live project), coop
//! args: status opera            split as a shell would; `\u{1b}` and `\x{ff}` escapes
//! env: ONBOARD_NOW=2026-13-01   added to the cleared environment (escapes too)
//! unset: ONBOARD_USER           removed from it
//! code: 2
//! stderr: error: …              the first line of stderr; the workspace's path is `{root}`
//! stderr: caused by: …          (repeated: the lines after it, in order)
//! --- file PATH                 the body is the file (escapes decoded, verbatim else)
//! --- repeat N PATH             the body N times
//! --- append PATH               the body added at the end of the file
//! --- replace PATH              the body, then `--- by`, then what replaces it (once)
//! --- link PATH -> TARGET       a symbolic link
//! --- mkdir PATH
//! --- remove PATH
//! --- fifo PATH                 a named pipe (nothing ever writes to it)
//! ```
//!
//! PATH is relative to the workspace; a `*` in its last part matches the one file there.
//! `SNAPSHOTS=overwrite` rewrites each case's `code:` and `stderr:` from what the run gave:
//! review the diff.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::process::Stdio;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::*;

const GO_LIVE: &str = include_str!("../fixtures/go-live.yaml");
/// Longer than any case needs, even on a loaded machine; a case that hangs fails.
const TIMEOUT: Duration = Duration::from_secs(30);

/// One file to plant.
#[derive(Debug)]
enum Plant {
    File(String, Vec<u8>),
    Append(String, Vec<u8>),
    Replace(String, String, String),
    Link(String, String),
    Mkdir(String),
    Remove(String),
    Fifo(String),
}

#[derive(Debug, Default)]
struct Case {
    name: String,
    path: PathBuf,
    text: String,
    setup: String,
    args: Vec<OsString>,
    env: Vec<(String, OsString)>,
    unset: Vec<String>,
    code: Option<i32>,
    stderr: Vec<String>,
    plants: Vec<Plant>,
}

/// Decodes `\u{1b}` (a character) and `\x{ff}` (a raw byte); everything else is kept.
fn unescape(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        let tail = &rest[at..];
        let decoded = ["\\u{", "\\x{"].iter().find_map(|open| {
            let inner = tail.strip_prefix(open)?;
            let end = inner.find('}')?;
            let value = u32::from_str_radix(&inner[..end], 16).ok()?;
            let bytes = match *open {
                "\\u{" => char::from_u32(value)?.to_string().into_bytes(),
                _ => vec![u8::try_from(value).ok()?],
            };
            Some((bytes, open.len() + end + 1))
        });
        match decoded {
            Some((bytes, used)) => {
                out.extend(bytes);
                rest = &tail[used..];
            }
            None => {
                out.push(b'\\');
                rest = &tail[1..];
            }
        }
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

fn os(text: &str) -> OsString {
    OsString::from_vec(unescape(text))
}

impl Case {
    fn parse(path: &Path) -> Result<Case, String> {
        let text = fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let mut case = Case { name, path: path.to_path_buf(), setup: "empty".into(), ..Case::default() };
        let mut lines = text.split_inclusive('\n').peekable();
        while let Some(line) = lines.next_if(|l| !l.starts_with("--- ")) {
            let line = line.trim_end_matches('\n');
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (key, value) = line.split_once(": ").unwrap_or((line.trim_end_matches(':'), ""));
            match key {
                "setup" => case.setup = value.to_string(),
                "args" => case.args = shell_words(value).iter().map(|w| os(w)).collect(),
                "env" => {
                    let (name, value) = value.split_once('=').ok_or("env: NAME=VALUE")?;
                    case.env.push((name.to_string(), os(value)));
                }
                "unset" => case.unset.push(value.to_string()),
                "code" => case.code = Some(value.parse().map_err(|_| format!("bad code `{value}`"))?),
                "stderr" => case.stderr.push(value.to_string()),
                other => return Err(format!("unknown key `{other}`")),
            }
        }
        while let Some(header) = lines.next() {
            let header = header.trim_end_matches('\n').strip_prefix("--- ").unwrap();
            let mut body = String::new();
            while let Some(line) = lines.next_if(|l| !l.starts_with("--- ")) {
                body.push_str(line);
            }
            let words: Vec<&str> = header.split(' ').collect();
            let plant = match words.as_slice() {
                ["file", path] => Plant::File(path.to_string(), unescape(&body)),
                ["append", path] => Plant::Append(path.to_string(), unescape(&body)),
                ["repeat", n, path] => {
                    let n: usize = n.parse().map_err(|_| format!("bad count in `{header}`"))?;
                    Plant::File(path.to_string(), unescape(&body).repeat(n))
                }
                ["replace", path] => {
                    let by = lines.next().ok_or("`--- replace` needs `--- by`")?;
                    if by.trim_end() != "--- by" {
                        return Err(format!("`--- replace` needs `--- by`, found `{by}`"));
                    }
                    let mut with = String::new();
                    while let Some(line) = lines.next_if(|l| !l.starts_with("--- ")) {
                        with.push_str(line);
                    }
                    Plant::Replace(path.to_string(), body, with)
                }
                ["link", path, "->", target] => Plant::Link(path.to_string(), target.to_string()),
                ["mkdir", path] => Plant::Mkdir(path.to_string()),
                ["remove", path] => Plant::Remove(path.to_string()),
                ["fifo", path] => Plant::Fifo(path.to_string()),
                _ => return Err(format!("unknown section `--- {header}`")),
            };
            case.plants.push(plant);
        }
        if case.args.is_empty() {
            return Err("no `args:`".into());
        }
        case.text = text;
        Ok(case)
    }

    /// The case file with `code:` and `stderr:` set to what the run gave.
    fn blessed(&self, code: i32, lines: &[String]) -> String {
        let mut header = Vec::new();
        let mut rest = String::new();
        let mut in_header = true;
        for line in self.text.split_inclusive('\n') {
            in_header &= !line.starts_with("--- ");
            match in_header {
                true if line.starts_with("code:") || line.starts_with("stderr:") => {}
                true => header.push(line.to_string()),
                false => rest.push_str(line),
            }
        }
        while header.last().is_some_and(|l| l.trim().is_empty()) {
            header.pop();
        }
        let stderr: String = lines.iter().map(|line| format!("stderr: {line}\n")).collect();
        format!("{}code: {code}\n{stderr}{rest}", header.concat())
    }
}

/// The workspace cases start from, built by the real CLI once per run and copied for
/// each case.
fn template(setup: &str) -> Workspace {
    let ws = Workspace::new();
    match setup {
        "empty" => {}
        "init" => {
            ws.ok(&["init"]);
        }
        "opera" => {
            ws.ok(&["init"]);
            fs::write(ws.path().join(".onboard/playbooks/go-live.yaml"), GO_LIVE).unwrap();
            ws.ok(&["start", "go-live", "opera", "--set", "J=2026-05-28"]);
        }
        "coop" => {
            ws.ok(&["init"]);
            ws.ok(&["start", "cooperative", "coop"]);
        }
        other => panic!("unknown setup `{other}`"),
    }
    ws
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `dir/name`, where a `*` in the name matches the one entry of `dir` that fits.
fn resolve(root: &Path, path: &str) -> Result<PathBuf, String> {
    let path = root.join(path);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let Some((head, tail)) = name.split_once('*') else { return Ok(path) };
    let dir = path.parent().unwrap();
    let found: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(head) && n.ends_with(tail) && n.len() >= head.len() + tail.len())
        .map(|n| dir.join(n))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("`{name}` matches {} files in {}", found.len(), dir.display())),
    }
}

fn plant(root: &Path, plant: &Plant) -> Result<(), String> {
    let parent = |path: &Path| fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string());
    match plant {
        Plant::File(path, bytes) => {
            let path = resolve(root, path)?;
            parent(&path)?;
            fs::write(&path, bytes).map_err(|e| e.to_string())
        }
        Plant::Append(path, bytes) => {
            let path = resolve(root, path)?;
            let mut all = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            all.extend_from_slice(bytes);
            fs::write(&path, all).map_err(|e| e.to_string())
        }
        Plant::Replace(path, from, to) => {
            let path = resolve(root, path)?;
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let at =
                text.find(from.as_str()).ok_or_else(|| format!("`{}` has no {from:?}", path.display()))?;
            let mut bytes = text.as_bytes()[..at].to_vec();
            bytes.extend(unescape(to));
            bytes.extend_from_slice(&text.as_bytes()[at + from.len()..]);
            fs::write(&path, bytes).map_err(|e| e.to_string())
        }
        Plant::Link(path, target) => {
            let path = root.join(path);
            parent(&path)?;
            let target = target.replace("{root}", &root.display().to_string());
            std::os::unix::fs::symlink(target, path).map_err(|e| e.to_string())
        }
        Plant::Mkdir(path) => fs::create_dir_all(root.join(path)).map_err(|e| e.to_string()),
        Plant::Remove(path) => fs::remove_file(resolve(root, path)?).map_err(|e| e.to_string()),
        Plant::Fifo(path) => {
            let path = root.join(path);
            parent(&path)?;
            let made = Command::new("mkfifo").arg(&path).status().map_err(|e| e.to_string())?;
            made.success().then_some(()).ok_or_else(|| "mkfifo failed".to_string())
        }
    }
}

/// Every file, link and folder under `root`, with a hash of what it holds (a link's
/// target, never what it points to).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, String>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            let meta = fs::symlink_metadata(&path).unwrap();
            let kind = meta.file_type();
            let what = if kind.is_symlink() {
                format!("link to {}", fs::read_link(&path).unwrap().display())
            } else if kind.is_dir() {
                walk(&path, root, out);
                "folder".to_string()
            } else if kind.is_file() {
                let digest = Sha256::digest(fs::read(&path).unwrap());
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
                format!("{hex} mode {mode:o}")
            } else {
                "special file".to_string()
            };
            out.insert(relative, what);
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// What a run gave: its exit code and its whole stderr.
struct Outcome {
    code: i32,
    stderr: String,
}

fn run(case: &Case, ws: &Workspace, logs: &Path) -> Result<Outcome, String> {
    let args: Vec<&str> = Vec::new();
    let mut command = ws.command(&args);
    let root = ws.path().as_os_str().as_encoded_bytes();
    // `{root}` in an argument is the workspace's path.
    command.args(case.args.iter().map(|arg| {
        let bytes = arg.as_encoded_bytes();
        let Some(at) = bytes.windows(6).position(|w| w == b"{root}") else { return arg.clone() };
        OsString::from_vec([&bytes[..at], root, &bytes[at + 6..]].concat())
    }));
    for (name, value) in &case.env {
        let value = value.to_string_lossy().replace("{root}", &ws.path().display().to_string());
        command.env(name, value);
    }
    for name in &case.unset {
        command.env_remove(name);
    }
    // Output goes to files outside the workspace: a pipe could fill and stall the run.
    let (out, err) = (logs.join("stdout"), logs.join("stderr"));
    command.stdin(Stdio::null());
    command.stdout(fs::File::create(&out).unwrap()).stderr(fs::File::create(&err).unwrap());
    let mut child = command.spawn().map_err(|e| format!("cannot run onboard: {e}"))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            child.kill().unwrap();
            child.wait().unwrap();
            return Err(format!("still running after {} s: killed", TIMEOUT.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = String::from_utf8_lossy(&fs::read(&err).unwrap()).into_owned();
    Ok(Outcome { code: status.code().unwrap_or(-1), stderr })
}

/// Runs one case from its template; `Err` says what differed. Under `SNAPSHOTS=overwrite`,
/// gives the case file as it should read instead of comparing code and stderr.
fn check(case: &Case, template: &Path) -> Result<Option<String>, String> {
    let ws = Workspace::new();
    let logs = tempfile::tempdir().unwrap();
    copy_tree(template, ws.path());
    for planted in &case.plants {
        plant(ws.path(), planted).map_err(|e| format!("cannot plant: {e}"))?;
    }
    let before = snapshot(ws.path());
    let outcome = run(case, &ws, logs.path())?;
    let root = ws.path().display().to_string();
    let lines: Vec<String> = outcome.stderr.lines().map(|line| line.replace(&root, "{root}")).collect();
    // The first line, and the cause under it: a first line may only say what was read.
    let shown = match lines.as_slice() {
        [] => vec![String::new()],
        [first, cause, ..] if cause.starts_with("caused by:") => vec![first.clone(), cause.clone()],
        [first, ..] => vec![first.clone()],
    };
    let after = snapshot(ws.path());
    let mut wrong = Vec::new();
    if outcome.code == 101 || outcome.stderr.contains("panicked") {
        wrong.push(format!("it panicked:\n{}", outcome.stderr));
    }
    let bless = crate::harness::blessing();
    if !bless && case.code != Some(outcome.code) {
        wrong.push(format!("exit code {} instead of {:?}", outcome.code, case.code));
    }
    let expected = &case.stderr;
    let actual = if lines.is_empty() { &shown } else { &lines };
    if !bless && (expected.is_empty() || actual[..expected.len().min(actual.len())] != expected[..]) {
        wrong.push(format!(
            "first lines of stderr:\n      got: {}\n expected: {}",
            shown.join("\n           "),
            expected.join("\n           ")
        ));
    }
    for (path, was) in &before {
        match after.get(path) {
            None => wrong.push(format!("`{}` was removed", path.display())),
            Some(now) if now != was => wrong.push(format!("`{}` changed", path.display())),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        wrong.push(format!("`{}` was created", path.display()));
    }
    match wrong.is_empty() {
        true => Ok(bless.then(|| case.blessed(outcome.code, &shown))),
        false => Err(wrong.join("\n  ")),
    }
}

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "case"));
    paths.sort();
    paths
}

#[test]
fn every_bad_input_of_the_corpus_is_refused_and_changes_nothing() {
    let paths = cases();
    let mut failures: Vec<String> = Vec::new();
    let mut cases = Vec::new();
    for path in &paths {
        match Case::parse(path) {
            Ok(case) => cases.push(case),
            Err(why) => failures.push(format!("{}:\n  {why}", path.display())),
        }
    }
    let setups: std::collections::BTreeSet<&str> = cases.iter().map(|c| c.setup.as_str()).collect();
    let templates: BTreeMap<&str, Workspace> = setups.into_iter().map(|s| (s, template(s))).collect();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(failures);
    // Two workers: enough to overlap process start-up, few enough for a shared machine.
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some(case) = cases.get(next.fetch_add(1, Ordering::SeqCst)) {
                    match check(case, templates[case.setup.as_str()].path()) {
                        Ok(Some(blessed)) if blessed != case.text => fs::write(&case.path, blessed).unwrap(),
                        Ok(_) => {}
                        Err(why) => failures.lock().unwrap().push(format!("{}:\n  {why}", case.name)),
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases failed (SNAPSHOTS=overwrite rewrites code and stderr):\n\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n\n")
    );
    assert!(paths.len() >= 100, "the corpus has {} cases; it keeps at least 100", paths.len());
}

#[test]
fn case_files_decode_escapes_and_plant_what_they_say() {
    assert_eq!(unescape(r"a\u{1b}[2J\x{ff}\n\u{zz}"), b"a\x1b[2J\xff\\n\\u{zz}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.case");
    fs::write(
        &path,
        "# a sample\nsetup: opera\nargs: status \"two words\"\nenv: ONBOARD_NOW=x\ncode: 2\nstderr: error: x\n--- repeat 2 a.yaml\nab\n--- replace a.yaml\nab\n--- by\nc\n--- link l -> {root}/a.yaml\n",
    )
    .unwrap();
    let case = Case::parse(&path).unwrap();
    assert_eq!(case.args, [OsString::from("status"), OsString::from("two words")]);
    assert_eq!((case.code, case.stderr.as_slice()), (Some(2), ["error: x".to_string()].as_slice()));
    assert_eq!(case.plants.len(), 3);
    for planted in &case.plants {
        plant(dir.path(), planted).unwrap();
    }
    assert_eq!(fs::read_to_string(dir.path().join("a.yaml")).unwrap(), "c\nab\n");
    assert_eq!(fs::read_link(dir.path().join("l")).unwrap(), dir.path().join("a.yaml"));
    assert_eq!(
        case.blessed(1, &["error: y".into(), "caused by: z".into()]).lines().take(7).collect::<Vec<_>>(),
        [
            "# a sample",
            "setup: opera",
            "args: status \"two words\"",
            "env: ONBOARD_NOW=x",
            "code: 1",
            "stderr: error: y",
            "stderr: caused by: z"
        ]
    );
}
