//! ICS helpers: unfolded lines, events and properties, and the Python `icalendar` check.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Physical lines of an ICS file (split on CRLF; the final empty piece dropped).
pub fn ics_physical_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\r' && bytes[i + 1] == b'\n' {
            lines.push(&bytes[start..i]);
            start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    if start < bytes.len() {
        lines.push(&bytes[start..]);
    }
    lines
}

/// Content lines of an ICS text, unfolded.
pub fn ics_lines(text: &str) -> Vec<String> {
    text.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The VEVENTs of an ICS text, each as (property name with params → value) in order.
pub fn ics_events(text: &str) -> Vec<Vec<(String, String)>> {
    let mut events = Vec::new();
    let mut cur: Option<Vec<(String, String)>> = None;
    for line in ics_lines(text) {
        if line == "BEGIN:VEVENT" {
            cur = Some(Vec::new());
        } else if line == "END:VEVENT" {
            events.extend(cur.take());
        } else if let Some(ev) = cur.as_mut() {
            if let Some((k, v)) = line.split_once(':') {
                ev.push((k.to_string(), v.to_string()));
            }
        }
    }
    events
}

pub fn prop<'a>(event: &'a [(String, String)], name: &str) -> Option<&'a str> {
    event
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Unescapes an ICS TEXT value.
pub fn ics_unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Ensures python3 with `icalendar` is there (installing it with pip when missing) and runs
/// `tests/ics_check.py` on `files`; panics if the check cannot run or fails.
pub fn run_ics_check(files: &[PathBuf]) {
    let has = |py: &str| {
        Command::new(py)
            .args(["-c", "import icalendar"])
            .output()
            .map(|o| o.status.success())
    };
    match has("python3") {
        Err(_) => panic!("python3 is not available to run tests/ics_check.py"),
        Ok(true) => {}
        Ok(false) => {
            let pip = Command::new("python3")
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "icalendar",
                ])
                .output()
                .expect("run pip");
            assert!(
                pip.status.success() && has("python3").unwrap_or(false),
                "pip install icalendar failed: {}",
                String::from_utf8_lossy(&pip.stderr)
            );
        }
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ics_check.py");
    let out = Command::new("python3")
        .arg(&script)
        .args(files)
        .output()
        .expect("run ics_check.py");
    assert!(
        out.status.success(),
        "ics_check.py failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
