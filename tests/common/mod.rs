//! Shared helper of the integration tests (after Zola's `components/site/tests/common.rs` and
//! mdBook's `BookTest`): put a fixture site (a folder under `tests/fixtures/`, or files written
//! from strings) into a temporary directory, build it with the library or the binary, and read
//! the output back parsed: HTML with `scraper`, JSON with `serde_json`, CSV with a small RFC 4180
//! reader of our own (so the writer is not checked against itself), ICS as unfolded lines.
//!
//! Each test file uses only part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use scraper::Html;
use serde_json::Value;

mod html;
mod ics;
mod json;
pub mod limited;

// Each test file uses only part of these.
#[allow(unused_imports)]
pub use html::*;
#[allow(unused_imports)]
pub use ics::*;
#[allow(unused_imports)]
pub use json::*;

/// The build date every test passes, so states ("quá hạn"…) never depend on the clock.
pub const TODAY: &str = "2024-06-15";

pub fn date(s: &str) -> jiff::civil::Date {
    s.parse().unwrap_or_else(|e| panic!("bad date {s}: {e}"))
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A site folder in a fresh temporary directory (`<tmp>/site`), with room beside it for
/// output folders (`<tmp>/out`, …).
pub struct TestSite {
    /// Shared with every [`Built`] made from this site, so outputs outlive the `TestSite`.
    pub tmp: Arc<tempfile::TempDir>,
    pub root: PathBuf,
}

impl TestSite {
    /// An empty site folder (no `content/` yet).
    pub fn empty() -> TestSite {
        let tmp = tempfile::Builder::new()
            .prefix("cchc-itest-")
            .tempdir()
            .expect("tempdir");
        let root = tmp.path().join("site");
        fs::create_dir_all(&root).expect("mkdir site");
        TestSite {
            tmp: Arc::new(tmp),
            root,
        }
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> TestSite {
        let site = TestSite::empty();
        let src = fixtures_dir().join(name);
        assert!(src.is_dir(), "no fixture {}", src.display());
        copy_tree(&src, &site.root);
        site
    }

    /// A site made of `(path relative to the site root, text)` pairs.
    pub fn from_files(files: &[(&str, &str)]) -> TestSite {
        let site = TestSite::empty();
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root.join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(&p, text).expect("write");
    }

    /// A path beside the site folder (inside the temporary directory).
    pub fn beside(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    pub fn options(&self, out: &Path, today: &str) -> cchc::BuildOptions {
        cchc::BuildOptions {
            root: self.root.clone(),
            out: Some(out.to_path_buf()),
            today: Some(date(today)),
            ..Default::default()
        }
    }

    /// Builds with the library into `<tmp>/out`; panics on an I/O refusal.
    pub fn build(&self) -> Built {
        self.build_into("out", TODAY)
    }

    pub fn build_into(&self, out_name: &str, today: &str) -> Built {
        let out = self.beside(out_name);
        self.build_with(self.options(&out, today))
    }

    pub fn build_with(&self, opts: cchc::BuildOptions) -> Built {
        let out = opts.out_dir();
        let report = cchc::build(&opts).unwrap_or_else(|e| panic!("build refused: {e}"));
        Built {
            out,
            report,
            _keep: Some(self.tmp.clone()),
        }
    }

    /// Builds and insists the build wrote its output without errors.
    pub fn build_ok(&self) -> Built {
        let b = self.build();
        b.assert_written();
        b
    }

    pub fn check(&self) -> cchc::Report {
        cchc::check(&cchc::BuildOptions {
            root: self.root.clone(),
            today: Some(date(TODAY)),
            ..Default::default()
        })
    }

    /// Runs the `cchc` binary with `args` (cwd = the temporary directory).
    pub fn run(&self, args: &[&str]) -> Run {
        run_bin(self.tmp.path(), args)
    }
}

/// Copies a folder tree: files, folders, and symbolic links as links.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        let ft = entry.file_type().expect("file type");
        if ft.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if ft.is_symlink() {
            let link = fs::read_link(entry.path()).expect("read link");
            std::os::unix::fs::symlink(link, &target).expect("symlink");
        } else if ft.is_file() {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// What the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

pub fn run_bin(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run cchc");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every file under `dir`, relative, `/`-separated, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for entry in rd {
            let entry = entry.expect("entry");
            let p = entry.path();
            let ft = entry.file_type().expect("ft");
            if ft.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .expect("rel")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&p).expect("read"));
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// Every entry under `dir` (relative paths): files with their bytes, folders (with a trailing
/// separator, empty) and symbolic links (their target, not followed). For tests that must see
/// exactly what a build left on disk.
pub fn snapshot_entries(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let ft = e.file_type().unwrap();
            let rel = p.strip_prefix(base).unwrap().to_path_buf();
            if ft.is_dir() {
                out.insert(rel.join(""), Vec::new());
                walk(base, &p, out);
            } else if ft.is_symlink() {
                out.insert(
                    rel,
                    fs::read_link(&p)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                );
            } else {
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// Asserts two snapshots are identical, naming the first differing files.
pub fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let ka: BTreeSet<&String> = a.keys().collect();
    let kb: BTreeSet<&String> = b.keys().collect();
    assert_eq!(ka, kb, "the two trees hold different files");
    let differing: Vec<&String> = a
        .iter()
        .filter(|(k, v)| b[*k] != **v)
        .map(|(k, _)| k)
        .collect();
    assert!(differing.is_empty(), "files differ: {differing:?}");
}

/// The output of one build.
pub struct Built {
    pub out: PathBuf,
    pub report: cchc::Report,
    /// Keeps the temporary directory holding `out` alive.
    pub _keep: Option<Arc<tempfile::TempDir>>,
}

impl Built {
    pub fn assert_written(&self) {
        let errors: Vec<String> = self
            .report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        assert!(errors.is_empty(), "build errors:\n{}", errors.join("\n"));
        assert!(self.report.written, "build wrote nothing");
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.out.join(rel)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).is_file()
    }

    pub fn bytes(&self, rel: &str) -> Vec<u8> {
        fs::read(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn read(&self, rel: &str) -> String {
        String::from_utf8(self.bytes(rel)).unwrap_or_else(|e| panic!("{rel} not UTF-8: {e}"))
    }

    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }

    pub fn json(&self, rel: &str) -> Value {
        serde_json::from_slice(&self.bytes(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// `du-lieu/index.json` → its `files` list.
    pub fn data_index(&self) -> Vec<Value> {
        self.json("du-lieu/index.json")["files"]
            .as_array()
            .expect("files array")
            .clone()
    }

    /// Paths of the files of one `set` and `format` the index lists, in index (path) order.
    pub fn data_parts(&self, set: &str, format: &str) -> Vec<String> {
        self.data_index()
            .iter()
            .filter(|f| f["set"] == set && f["format"] == format)
            .map(|f| s(f, "path").to_string())
            .collect()
    }

    /// Rows under `key` of every JSON part of `set`, in year order (unknown year first).
    fn json_rows(&self, set: &str, key: &str) -> Vec<Value> {
        let mut parts: Vec<(i64, i64, Value)> = self
            .data_parts(set, "json")
            .iter()
            .map(|p| {
                let v = self.json(p);
                (
                    v["year"].as_i64().unwrap_or(i64::MIN),
                    v["part"].as_i64().unwrap_or(0),
                    v,
                )
            })
            .collect();
        parts.sort_by_key(|p| (p.0, p.1));
        parts
            .into_iter()
            .flat_map(|(_, _, v)| match key {
                "tasks" => task_objects(&v),
                _ => v[key].as_array().expect("rows array").clone(),
            })
            .collect()
    }

    /// Every task CSV year part joined: one header, then the rows of every part in year
    /// order. Asserts every part has the same header.
    pub fn task_csv(&self) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = Vec::new();
        for p in self.data_parts("nhiem-vu", "csv") {
            let mut records = self.csv(&p);
            if out.is_empty() {
                out = records;
            } else {
                assert_eq!(records[0], out[0], "{p}: header differs");
                out.extend(records.drain(1..));
            }
        }
        out
    }

    /// Every document of the `van-ban-<year>.json` parts.
    pub fn documents(&self) -> Vec<Value> {
        self.json_rows("van-ban", "documents")
    }

    /// Every task of the `nhiem-vu-<year>.json` parts, expanded back to the full object the
    /// README describes: `url` from `base_url` and the id, `document` from the document parts,
    /// `lead`/`support` as `{slug, name, registered}` from `don-vi.json`, `source` as
    /// `file:line`, and absent optional fields as `null`. The expansion is the documented
    /// contract, so a compact row that lost information fails the tests that read it.
    pub fn tasks(&self) -> Vec<Value> {
        let docs: std::collections::HashMap<String, Value> = self
            .documents()
            .into_iter()
            .map(|d| (s(&d, "slug").to_string(), d))
            .collect();
        let units_file = self.json("du-lieu/don-vi.json");
        let base = s(&units_file, "base_url").to_string();
        let units: std::collections::HashMap<String, Value> = units_file["units"]
            .as_array()
            .expect("units")
            .iter()
            .map(|u| {
                (
                    s(u, "slug").to_string(),
                    serde_json::json!({"slug": u["slug"], "name": u["name"], "registered": u["registered"]}),
                )
            })
            .collect();
        let expand_units = |v: &Value| -> Value {
            Value::Array(
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .map(|slug| units[slug.as_str().expect("unit slug")].clone())
                            .collect()
                    })
                    .unwrap_or_default(),
            )
        };
        self.json_rows("nhiem-vu", "tasks")
            .into_iter()
            .map(|mut t| {
                let id = s(&t, "id").to_string();
                let (slug, anchor) = id.split_once('#').expect("id slug#anchor");
                let d = &docs[slug];
                let o = t.as_object_mut().expect("task object");
                o.insert("url".into(), format!("{base}van-ban/{slug}/#{anchor}").into());
                o.insert(
                    "document".into(),
                    serde_json::json!({"slug": d["slug"], "number": d["number"], "title": d["title"], "type": d["type"], "date": d["date"]}),
                );
                let line = o.remove("line").and_then(|l| l.as_u64()).expect("line");
                o.insert("source".into(), format!("{}:{line}", s(d, "source")).into());
                let lead = expand_units(&o["lead"]);
                let support = expand_units(o.get("support").unwrap_or(&Value::Null));
                o.insert("lead".into(), lead);
                o.insert("support".into(), support);
                for k in ["group", "product", "budget", "note", "status"] {
                    o.entry(k).or_insert(Value::Null);
                }
                o.entry("late").or_insert(Value::Bool(false));
                o.entry("history").or_insert(Value::Array(Vec::new()));
                if let Some(h) = o.get_mut("history").and_then(Value::as_array_mut) {
                    for e in h {
                        let src = format!("{base}{}", s(e, "source"));
                        e["source"] = src.into();
                        if e.get("result").is_none() {
                            e["result"] = Value::Null;
                        }
                    }
                }
                let due = o.get_mut("due").and_then(Value::as_object_mut).expect("due");
                for k in ["start", "end", "rrule"] {
                    due.entry(k).or_insert(Value::Null);
                }
                due.entry("inherited").or_insert(Value::Bool(false));
                t
            })
            .collect()
    }

    /// The task whose `id` is `id` (`<doc slug>#<anchor>`).
    pub fn task(&self, id: &str) -> Value {
        let tasks = self.tasks();
        let ids: Vec<&str> = tasks.iter().filter_map(|t| t["id"].as_str()).collect();
        tasks
            .iter()
            .find(|t| t["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no task {id}; have {ids:?}"))
    }

    /// A CSV output read as records; asserts the BOM and CRLF record ends.
    pub fn csv(&self, rel: &str) -> Vec<Vec<String>> {
        let bytes = self.bytes(rel);
        assert!(
            bytes.starts_with("\u{feff}".as_bytes()),
            "{rel}: no UTF-8 BOM"
        );
        let text = String::from_utf8(bytes[3..].to_vec()).expect("csv utf-8");
        parse_csv(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Every file of the output, relative.
    pub fn files(&self) -> Vec<String> {
        snapshot(&self.out).into_keys().collect()
    }

    /// Full paths of every calendar file of the output, for `run_ics_check`.
    pub fn ics_paths(&self) -> Vec<PathBuf> {
        self.files()
            .into_iter()
            .filter(|f| f.ends_with(".ics"))
            .map(|f| self.path(&f))
            .collect()
    }

    pub fn html_files(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }
}

/// A strict RFC 4180 reader: records end with CRLF (a bare LF or CR only inside quotes),
/// quoted fields double their quotes, no text after a closing quote.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                    match chars.peek() {
                        Some(',') | Some('\r') | None => {}
                        other => return Err(format!("text after closing quote: {other:?}")),
                    }
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            '"' => return Err(format!("bare quote in unquoted field {field:?}")),
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' => {
                if chars.next() != Some('\n') {
                    return Err("CR not followed by LF".into());
                }
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_field_start = true;
            }
            '\n' => return Err(format!("bare LF after {field:?}")),
            c => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if quoted {
        return Err("unterminated quoted field".into());
    }
    if !field.is_empty() || !record.is_empty() {
        return Err("last record does not end with CRLF".into());
    }
    Ok(records)
}

/// CSV records as maps from header name to value (first record = header).
pub fn csv_maps(records: &[Vec<String>]) -> Vec<BTreeMap<String, String>> {
    let header = &records[0];
    records[1..]
        .iter()
        .map(|r| {
            assert_eq!(
                r.len(),
                header.len(),
                "record width differs from header: {r:?}"
            );
            header.iter().cloned().zip(r.iter().cloned()).collect()
        })
        .collect()
}

// ------------------------------------------------------------------------------------ sources

impl TestSite {
    /// 1-based line of the first line of `rel` (under the site root) containing `needle`.
    pub fn line_of(&self, rel: &str, needle: &str) -> usize {
        let text = fs::read_to_string(self.root.join(rel)).expect("read source");
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("{needle:?} not in {rel}"))
    }

    /// 1-based (line, column in characters) of the first occurrence of `needle` in `rel`.
    pub fn line_col_of(&self, rel: &str, needle: &str) -> (usize, usize) {
        let text = fs::read_to_string(self.root.join(rel)).expect("read source");
        for (i, l) in text.lines().enumerate() {
            if let Some(b) = l.find(needle) {
                return (i + 1, l[..b].chars().count() + 1);
            }
        }
        panic!("{needle:?} not in {rel}")
    }
}

impl Built {
    /// The document built from source `content/<rel>`, as the open data (`du-lieu/van-ban-<year>.json`) has it.
    pub fn doc_by_source(&self, rel: &str) -> Value {
        let want = format!("content/{rel}");
        let docs = self.documents();
        docs.iter()
            .find(|d| d["source"] == want.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("no document from {want}"))
    }

    pub fn slug_of(&self, rel: &str) -> String {
        s(&self.doc_by_source(rel), "slug").to_string()
    }

    /// Tasks of the document built from `content/<rel>`, in JSON order.
    pub fn tasks_of(&self, rel: &str) -> Vec<Value> {
        let slug = self.slug_of(rel);
        self.tasks()
            .into_iter()
            .filter(|t| t["document"]["slug"] == slug.as_str())
            .collect()
    }
}

/// Generates the 1,000-document corpus (`gen_corpus.py --seed 1`, native format) under `dir`;
/// `GEN_CORPUS` overrides the script's path (default `../shared/bench/gen_corpus.py`).
pub fn gen_corpus_1k(dir: &Path) -> PathBuf {
    let script = std::env::var("GEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py")
        });
    let out = dir.join("gen1k");
    let status = Command::new("python3")
        .arg(&script)
        .args([
            "--docs", "1000", "--format", "native", "--seed", "1", "--out",
        ])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("python3 {}: {e}", script.display()));
    assert!(status.success(), "{} failed", script.display());
    out
}

/// The task rows of a `nhiem-vu` JSON file (a year part or the gzip's whole), as the README
/// reads them: each row an array of the file's `columns`, `due.<field>` inside `due`, an
/// absent or `null` value (and the values a short row leaves off) left out of the object.
pub fn task_objects(file: &Value) -> Vec<Value> {
    let columns: Vec<&str> = file["columns"]
        .as_array()
        .expect("columns array")
        .iter()
        .map(|c| c.as_str().expect("column name"))
        .collect();
    file["tasks"]
        .as_array()
        .expect("tasks array")
        .iter()
        .map(|row| {
            let row = row.as_array().expect("a task row is an array");
            assert!(
                row.len() <= columns.len(),
                "row longer than columns: {row:?}"
            );
            let mut o = serde_json::Map::new();
            let mut due = serde_json::Map::new();
            for (c, v) in columns.iter().zip(row).filter(|(_, v)| !v.is_null()) {
                match c.strip_prefix("due.") {
                    Some(k) => due.insert(k.to_string(), v.clone()),
                    None => o.insert(c.to_string(), v.clone()),
                };
            }
            o.insert("due".into(), Value::Object(due));
            Value::Object(o)
        })
        .collect()
}
