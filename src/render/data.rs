//! Open data: every task and document, split by year into files of at most
//! `max_file_bytes` (see [`crate::render::parts`]), with a gzip of each whole set beside them
//! and `du-lieu/index.json` listing every file.
//!
//! Takes the [`Site`]; returns [`Output`]s and their [`Part`] records. JSON rows are compact: a
//! task is an array of the file's `columns` ([`TASK_COLUMNS`]) with its trailing absent values
//! left off, it names its document and units by slug (documents in `van-ban-<year>.json`, units
//! in `don-vi.json`), and URLs are derived from `base_url` given once per file; a document is
//! an object without its absent values. CSV is UTF-8 with a BOM so spreadsheet programs read Vietnamese, quoted per RFC
//! 4180 by the `csv` crate; it keeps every column (also in each unit's `nhiem-vu.csv`).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::model::{Document, Site, Task, TaskId};
use crate::render::parts::{self, Frame, Part};
use crate::render::view::{doc_dir, doc_path};
use crate::write::Output;

/// Public URL (base_url + pretty path + anchor) of a task.
pub fn task_url(site: &Site, t: &Task) -> String {
    let [a, b, c] = doc_dir(&site.documents[t.doc]);
    [&site.config.base_url, a, b, c, "#", &t.anchor].concat()
}

/// Stable id of a task across builds: document slug + anchor.
pub fn task_id(site: &Site, t: &Task) -> String {
    [&site.documents[t.doc].slug, "#", &t.anchor].concat()
}

/// The year a task is filed under: its document's year.
pub fn task_year(site: &Site, t: &Task) -> Option<i16> {
    site.documents[t.doc].year
}

/// The columns of a task row in `nhiem-vu-<year>.json`, in row order: what every task has
/// first, then what many have, then what few have, so that the absent values a row ends with
/// can be left off. `due.*` are the fields of the deadline object the README describes.
pub const TASK_COLUMNS: [&str; 22] = [
    "id",
    "label",
    "task",
    "lead",
    "state",
    "line",
    "form",
    "due.text",
    "due.kind",
    "group",
    "due.start",
    "due.end",
    "product",
    "support",
    "budget",
    "note",
    "status",
    "due.rrule",
    "due.note",
    "due.inherited",
    "late",
    "history",
];

/// One report of a task's history.
#[derive(Serialize)]
struct HistoryJson {
    date: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<String>,
    /// Page or file that reported it (relative to `base_url`), and `file:line`.
    source: String,
    source_file: String,
}

fn history_json(site: &Site, t: &Task) -> Vec<HistoryJson> {
    t.history
        .iter()
        .map(|e| HistoryJson {
            date: e.date.to_string(),
            status: e.status.code(),
            result: e.result.clone(),
            source: match &e.source {
                crate::progress::Source::Document(d) => doc_path(&site.documents[*d])
                    .trim_end_matches("index.html")
                    .to_string(),
                crate::progress::Source::File(f) => f.clone(),
            },
            source_file: format!("{}:{}", e.file.to_string_lossy().replace('\\', "/"), e.line),
        })
        .collect()
}

/// One task as a row of [`TASK_COLUMNS`]: an absent value (no product, no supporting unit,
/// not inherited, no history…) is `null`, and the `null`s a row ends with are left off. Keys
/// were a fifth of a task object, written once per file instead.
fn task_row(site: &Site, t: &Task) -> Vec<u8> {
    use serde_json::Value;
    let slugs = |ids: &[usize]| -> Value {
        let v: Vec<&str> = ids
            .iter()
            .filter_map(|&u| site.units.get(u))
            .map(|u| u.slug.as_str())
            .collect();
        json!(v)
    };
    let opt = |v: Option<&str>| v.map_or(Value::Null, |x| json!(x));
    let date = |d: Option<jiff::civil::Date>| d.map_or(Value::Null, |x| json!(x.to_string()));
    let flag = |b: bool| if b { json!(true) } else { Value::Null };
    // The latest report; a status written on an undated plan's own task has no history entry.
    let status = t.history.last().map(|e| e.status).or(t.status);
    let mut row = vec![
        json!(task_id(site, t)),
        json!(t.label),
        json!(t.text),
        slugs(&t.lead),
        json!(t.state.code()),
        json!(t.line),
        json!(t.form.code()),
        json!(t.due.text),
        serde_json::to_value(t.due.kind).unwrap_or_default(),
        opt(t.group.as_deref()),
        date(t.due.start),
        date(t.due.end),
        opt(t.product.as_deref()),
        if t.support.is_empty() {
            Value::Null
        } else {
            slugs(&t.support)
        },
        opt(t.budget.as_deref()),
        opt(t.note.as_deref()),
        opt(status.map(|s| s.code())),
        opt(t.due.rrule.as_deref()),
        opt(t.due.note.as_deref()),
        flag(t.due_inherited),
        flag(t.late),
        if t.history.is_empty() {
            Value::Null
        } else {
            serde_json::to_value(history_json(site, t)).unwrap_or_default()
        },
    ];
    debug_assert_eq!(row.len(), TASK_COLUMNS.len());
    while row.last().is_some_and(Value::is_null) {
        row.pop();
    }
    serde_json::to_vec(&row).unwrap_or_default()
}

fn document_json(d: &Document) -> serde_json::Value {
    let mut v = json!({
        "slug": d.slug, "title": d.title, "type": d.doc_type.code(), "number": d.number,
        "issuer": d.issuer, "date": d.date.map(|x| x.to_string()), "year": d.year,
        "signer": d.signer, "refs": d.refs, "areas": d.areas, "summary": d.summary,
        "tasks": d.tasks.len(), "source": d.source.to_string_lossy().replace('\\', "/"),
        "original": d.original,
    });
    if let Some(map) = v.as_object_mut() {
        map.retain(|_, x| !(x.is_null() || x.as_array().is_some_and(Vec::is_empty)));
    }
    v
}

/// Ids `0..n` grouped by the year `year_of` gives, in id order within a year.
fn ids_by_year(
    n: usize,
    year_of: impl Fn(usize) -> Option<i16>,
) -> BTreeMap<Option<i16>, Vec<usize>> {
    let mut by: BTreeMap<Option<i16>, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        by.entry(year_of(i)).or_default().push(i);
    }
    by
}

/// The opening of a JSON file of rows: what every row's references resolve against.
fn json_head(
    site: &Site,
    key: &str,
    extra: serde_json::Value,
    year: Option<i16>,
    part: usize,
    parts: usize,
) -> Vec<u8> {
    let mut head = serde_json::Map::new();
    head.insert("generated".into(), json!(site.today.to_string()));
    head.insert("base_url".into(), json!(site.config.base_url));
    if let serde_json::Value::Object(m) = extra {
        head.extend(m);
    }
    if part > 0 {
        head.insert("year".into(), json!(year));
        head.insert("part".into(), json!(part));
        head.insert("parts".into(), json!(parts));
    }
    let mut out = serde_json::to_vec(&head).unwrap_or_default();
    out.pop();
    out.extend_from_slice(format!(",\"{key}\":[\n").as_bytes());
    out
}

/// Every open-data file under `du-lieu/` but the index and the workbook: tasks as CSV and JSON
/// year parts with a gzip of each whole, documents as JSON year parts, units as one file.
/// Each file goes to `sink` as soon as it is made (a set is made a year at a time, see
/// [`parts::stream_year_files`]); returns their records.
pub fn open_data(site: &Site, sink: &(dyn Fn(Output) + Sync)) -> Vec<Part> {
    let limit = site.config.max_file_bytes;
    let task_years = ids_by_year(site.tasks.len(), |i| task_year(site, &site.tasks[i]));
    let doc_years = ids_by_year(site.documents.len(), |i| site.documents[i].year);
    let csv_row = |i: usize| csv_record(site, &site.tasks[i]);
    let json_row = |i: usize| task_row(site, &site.tasks[i]);
    let doc_row =
        |i: usize| serde_json::to_vec(&document_json(&site.documents[i])).unwrap_or_default();
    let csv_head = |_: Option<i16>, _: usize, _: usize| csv_header();
    let csv = Frame {
        head: &csv_head,
        sep: b"",
        tail: b"",
    };
    let task_head = |y: Option<i16>, p: usize, n: usize| {
        let extra = json!({"task_url": "van-ban/{document}/#{anchor}", "documents": "van-ban-<năm>.json", "units": "don-vi.json", "columns": TASK_COLUMNS});
        json_head(site, "tasks", extra, y, p, n)
    };
    let tasks = Frame {
        head: &task_head,
        sep: b",\n",
        tail: b"\n]}\n",
    };
    let doc_head = |y: Option<i16>, p: usize, n: usize| {
        json_head(
            site,
            "documents",
            json!({"document_url": "van-ban/{slug}/"}),
            y,
            p,
            n,
        )
    };
    let docs = Frame {
        head: &doc_head,
        sep: b",\n",
        tail: b"\n]}\n",
    };
    let set = |stem, set, ext, frame, gz| parts::SetFiles {
        stem,
        set,
        ext,
        frame,
        limit,
        gz,
    };
    type Job<'a> = &'a (dyn Fn() -> Vec<Part> + Sync);
    let jobs: [Job; 4] = [
        &|| {
            let spec = set(
                "du-lieu/nhiem-vu",
                "nhiem-vu",
                "csv",
                &csv,
                Some("du-lieu/nhiem-vu.csv.gz"),
            );
            parts::stream_year_files(&spec, &task_years, &csv_row, sink)
        },
        &|| {
            let spec = set(
                "du-lieu/nhiem-vu",
                "nhiem-vu",
                "json",
                &tasks,
                Some("du-lieu/nhiem-vu.json.gz"),
            );
            parts::stream_year_files(&spec, &task_years, &json_row, sink)
        },
        &|| {
            let spec = set("du-lieu/van-ban", "van-ban", "json", &docs, None);
            parts::stream_year_files(&spec, &doc_years, &doc_row, sink)
        },
        &|| {
            let (out, rec) = units_file(site);
            sink(out);
            vec![rec]
        },
    ];
    jobs.par_iter().flat_map(|job| job()).collect()
}

/// `du-lieu/don-vi.json`: every unit tasks name, by slug.
fn units_file(site: &Site) -> (Output, Part) {
    let units: Vec<serde_json::Value> = site
        .units
        .iter()
        .map(|u| json!({"slug": u.slug, "name": u.name, "registered": u.registered, "level": u.level.code(), "parent": u.parent}))
        .collect();
    let mut bytes = serde_json::to_vec(&json!({"generated": site.today.to_string(), "base_url": site.config.base_url, "unit_url": "don-vi/{slug}/", "units": units})).unwrap_or_default();
    bytes.push(b'\n');
    let out = Output {
        path: "du-lieu/don-vi.json".into(),
        bytes,
    };
    let rec = parts::record(&out, "don-vi", "json", None, site.units.len());
    (out, rec)
}

/// `du-lieu/index.json`: every file of the open data with its year, rows, bytes and CRC-32.
pub fn index_json(site: &Site, files: &[Part]) -> Vec<u8> {
    let mut files: Vec<&Part> = files.iter().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out = serde_json::to_vec_pretty(&json!({
        "generated": site.today.to_string(),
        "base_url": site.config.base_url,
        "max_file_bytes": site.config.max_file_bytes,
        "files": files,
    }))
    .unwrap_or_default();
    out.push(b'\n');
    out
}

/// One set and format on the data page (`du-lieu/index.html`): its files, years newest first.
#[derive(Serialize)]
pub struct PageGroup<'a> {
    pub set: &'a str,
    pub format: &'a str,
    /// The format as shown ("CSV").
    pub label: String,
    /// Data rows of all its files.
    pub rows: usize,
    pub files: Vec<PageFile<'a>>,
}

/// One file of a [`PageGroup`]: its [`Part`] record and its file name.
#[derive(Serialize)]
pub struct PageFile<'a> {
    #[serde(flatten)]
    pub part: &'a Part,
    pub name: &'a str,
}

/// The parts grouped for the data page: one entry per set and format, years newest first.
pub fn page_groups(files: &[Part]) -> Vec<PageGroup<'_>> {
    let mut groups: BTreeMap<(&str, &str), Vec<&Part>> = BTreeMap::new();
    for p in files {
        groups.entry((p.set, p.format)).or_default().push(p);
    }
    groups
        .into_iter()
        .map(|((set, format), mut list)| {
            list.sort_by(|a, b| b.year.cmp(&a.year).then(a.part.cmp(&b.part)));
            PageGroup {
                set,
                format,
                label: format.to_uppercase(),
                rows: list.iter().map(|p| p.rows).sum(),
                files: list
                    .into_iter()
                    .map(|part| PageFile {
                        name: part.path.rsplit('/').next().unwrap_or(&part.path),
                        part,
                    })
                    .collect(),
            }
        })
        .collect()
}

const CSV_HEADER: [&str; 20] = [
    "Mã",
    "Đường dẫn",
    "Số hiệu văn bản",
    "Tên văn bản",
    "Nhóm",
    "TT",
    "Nhiệm vụ",
    "Sản phẩm",
    "Chủ trì",
    "Phối hợp",
    "Thời hạn (như văn bản ghi)",
    "Bắt đầu",
    "Hạn chót",
    "Kinh phí",
    "Ghi chú",
    "Tình trạng",
    "Nguồn",
    // progress (issue 17): filled by departments and read back (see `progress::sheets`).
    "tinh_trang",
    "ket_qua",
    "ngay_cap_nhat",
];

/// The BOM and the header record of every task CSV.
pub fn csv_header() -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend_from_slice(&csv_line(CSV_HEADER.iter().map(|s| s.to_string())));
    out
}

fn csv_line(fields: impl Iterator<Item = String>) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .buffer_capacity(1024)
            .from_writer(&mut out);
        // Writing into a Vec cannot fail.
        let _ = w.write_record(fields.map(|f| neutralize_formula(&f)));
        let _ = w.flush();
    }
    out
}

/// One task as one CSV record (CRLF-terminated).
pub fn csv_record(site: &Site, t: &Task) -> Vec<u8> {
    let d = &site.documents[t.doc];
    let latest = t.history.last();
    let names = |ids: &[usize]| {
        ids.iter()
            .filter_map(|&u| site.units.get(u))
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let opt = |x: Option<&str>| x.unwrap_or_default().to_string();
    let record = [
        task_id(site, t),
        task_url(site, t),
        d.number.clone().unwrap_or_default(),
        d.title.clone(),
        opt(t.group.as_deref()),
        t.label.to_string(),
        t.text.to_string(),
        opt(t.product.as_deref()),
        names(&t.lead),
        names(&t.support),
        t.due.text.to_string(),
        t.due.start.map(|x| x.to_string()).unwrap_or_default(),
        t.due.end.map(|x| x.to_string()).unwrap_or_default(),
        opt(t.budget.as_deref()),
        opt(t.note.as_deref()),
        crate::render::progress::state_text(t),
        format!(
            "{}:{}",
            d.source.to_string_lossy().replace('\\', "/"),
            t.line
        ),
        latest
            .map(|e| crate::progress::sheets::status_label(e.status).to_string())
            .unwrap_or_default(),
        latest.and_then(|e| e.result.clone()).unwrap_or_default(),
        latest.map(|e| e.date.to_string()).unwrap_or_default(),
    ];
    csv_line(record.into_iter())
}

/// Tasks `ids` as one CSV with a BOM (a unit's current tasks).
pub fn tasks_csv(site: &Site, ids: &[TaskId]) -> Vec<u8> {
    let mut out = csv_header();
    for &id in ids {
        if let Some(t) = site.tasks.get(id) {
            out.extend_from_slice(&csv_record(site, t));
        }
    }
    out
}

/// Spreadsheet programs run cells starting with `=`, `+`, `-`, `@` as formulas (CSV
/// injection); a leading apostrophe keeps them as text. Deadlines like "-" stay readable.
fn neutralize_formula(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '@') => format!("'{s}"),
        Some('-') if s.len() > 1 && !s.starts_with("- ") => format!("'{s}"),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(super::neutralize_formula("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(super::neutralize_formula("Sở Nội vụ"), "Sở Nội vụ");
        assert_eq!(super::neutralize_formula("-"), "-");
    }
}
