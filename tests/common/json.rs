//! JSON helpers: the expanded task rows of the open data, gzip, units of a task.

use std::fs;
use std::path::Path;

use serde_json::Value;

/// Whether a task (the expanded JSON of [`Built::tasks`]) falls in the current window of a
/// build on `today`: its deadline reaches one year before `today` or later, it is open-ended,
/// or it has no date and its document's year is the window's year or later. (Repetitions are
/// judged by their own end; the fixtures have none that a plan period extends into it.)
pub fn in_window(task: &Value, doc_year: Option<i64>, today: &str) -> bool {
    let year: i64 = today[..4].parse().expect("today year");
    let from = format!("{}{}", year - 1, &today[4..]);
    let due = &task["due"];
    match (due["start"].as_str(), due["end"].as_str()) {
        (_, Some(end)) => end >= from.as_str(),
        (Some(_), None) => true,
        (None, None) => doc_year.is_none_or(|y| y >= year - 1),
    }
}

/// A gzip file (one or more members) decompressed.
pub fn gunzip(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&bytes[..])
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{}: not gzip: {e}", path.display()));
    out
}

/// A gzipped JSON file, parsed.
pub fn gunzip_json(path: &Path) -> Value {
    serde_json::from_slice(&gunzip(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {v}"))
}

/// `(slug, name, registered)` of a task's `lead` or `support` list.
pub fn units_of(task: &Value, key: &str) -> Vec<(String, String, bool)> {
    task[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} not a list in {task}"))
        .iter()
        .map(|u| {
            (
                s(u, "slug").to_string(),
                s(u, "name").to_string(),
                u["registered"].as_bool().expect("registered bool"),
            )
        })
        .collect()
}

pub fn unit_slugs(task: &Value, key: &str) -> Vec<String> {
    units_of(task, key).into_iter().map(|u| u.0).collect()
}
