//! Open data: every task as JSON (`du-lieu/nhiem-vu.json`) and CSV (`du-lieu/nhiem-vu.csv`,
//! and one CSV per unit), plus the document list as JSON. CSV is UTF-8 with a BOM so
//! spreadsheet programs read Vietnamese, quoted per RFC 4180 by the `csv` crate.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::model::{Site, Task, TaskId};
use crate::render::view::doc_path;

/// Public URL (base_url + pretty path + anchor) of a task.
pub fn task_url(site: &Site, t: &Task) -> String {
    let d = &site.documents[t.doc];
    format!(
        "{}{}#{}",
        site.config.base_url,
        doc_path(d).trim_end_matches("index.html"),
        t.anchor
    )
}

/// Stable id of a task across builds: document slug + anchor.
pub fn task_id(site: &Site, t: &Task) -> String {
    format!("{}#{}", site.documents[t.doc].slug, t.anchor)
}

/// A unit as open data names it.
#[derive(Serialize)]
struct UnitRef<'a> {
    slug: &'a str,
    name: &'a str,
    registered: bool,
}

fn unit_refs<'a>(site: &'a Site, ids: &[usize]) -> Vec<UnitRef<'a>> {
    ids.iter()
        .filter_map(|&u| site.units.get(u))
        .map(|u| UnitRef {
            slug: &u.slug,
            name: &u.name,
            registered: u.registered,
        })
        .collect()
}

#[derive(Serialize)]
struct DocRef<'a> {
    slug: &'a str,
    number: Option<&'a str>,
    title: &'a str,
    #[serde(rename = "type")]
    doc_type: &'a str,
    date: Option<String>,
}

#[derive(Serialize)]
struct DueJson<'a> {
    text: &'a str,
    kind: &'a crate::model::DeadlineKind,
    start: Option<String>,
    end: Option<String>,
    rrule: Option<&'a str>,
    /// What the deadline text says that could not be placed (issue 13).
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    inherited: bool,
}

/// One task as the JSON object documented in the README.
#[derive(Serialize)]
struct TaskJson<'a> {
    id: String,
    url: String,
    document: DocRef<'a>,
    group: Option<&'a str>,
    label: &'a str,
    task: &'a str,
    product: Option<&'a str>,
    lead: Vec<UnitRef<'a>>,
    support: Vec<UnitRef<'a>>,
    due: DueJson<'a>,
    budget: Option<&'a str>,
    note: Option<&'a str>,
    status: Option<&'static str>,
    state: &'static str,
    source: String,
    form: &'static str,
    // progress (issue 17)
    late: bool,
    history: Vec<HistoryJson>,
}

/// One report of a task's history.
#[derive(Serialize)]
struct HistoryJson {
    date: String,
    status: &'static str,
    result: Option<String>,
    /// Page or file that reported it (site URL), and `file:line`.
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
                crate::progress::Source::Document(d) => format!(
                    "{}{}",
                    site.config.base_url,
                    doc_path(&site.documents[*d]).trim_end_matches("index.html")
                ),
                crate::progress::Source::File(f) => format!("{}{f}", site.config.base_url),
            },
            source_file: format!("{}:{}", e.file.to_string_lossy().replace('\\', "/"), e.line),
        })
        .collect()
}

fn task_json<'a>(site: &'a Site, t: &'a Task) -> TaskJson<'a> {
    let d = &site.documents[t.doc];
    TaskJson {
        id: task_id(site, t),
        url: task_url(site, t),
        document: DocRef {
            slug: &d.slug,
            number: d.number.as_deref(),
            title: &d.title,
            doc_type: d.doc_type.code(),
            date: d.date.map(|x| x.to_string()),
        },
        group: t.group.as_deref(),
        label: &t.label,
        task: &t.text,
        product: t.product.as_deref(),
        lead: unit_refs(site, &t.lead),
        support: unit_refs(site, &t.support),
        due: DueJson {
            text: &t.due.text,
            kind: &t.due.kind,
            start: t.due.start.map(|x| x.to_string()),
            end: t.due.end.map(|x| x.to_string()),
            rrule: t.due.rrule.as_deref(),
            note: t.due.note.as_deref(),
            inherited: t.due_inherited,
        },
        budget: t.budget.as_deref(),
        note: t.note.as_deref(),
        // The latest report; a status written on an undated plan's own task has no history entry.
        status: t
            .history
            .last()
            .map(|e| e.status)
            .or(t.status)
            .map(|s| s.code()),
        state: t.state.code(),
        source: format!(
            "{}:{}",
            d.source.to_string_lossy().replace('\\', "/"),
            t.line
        ),
        form: t.form,
        late: t.late,
        history: history_json(site, t),
    }
}

/// `{"generated": …, "tasks": […]}`, compact, one task per line so the file diffs and
/// streams well. Tasks are serialised in parallel and joined in order.
pub fn tasks_json(site: &Site) -> Vec<u8> {
    let parts: Vec<Vec<u8>> = site
        .tasks
        .par_iter()
        .map(|t| serde_json::to_vec(&task_json(site, t)).unwrap_or_default())
        .collect();
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 2).sum::<usize>() + 64);
    out.extend_from_slice(b"{\"generated\":");
    out.extend_from_slice(&serde_json::to_vec(&site.today.to_string()).unwrap_or_default());
    out.extend_from_slice(b",\"tasks\":[");
    for (i, p) in parts.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        out.extend_from_slice(p);
    }
    out.extend_from_slice(b"\n]}\n");
    out
}

pub fn documents_json(site: &Site) -> Vec<u8> {
    let docs: Vec<serde_json::Value> = site
        .documents
        .iter()
        .map(|d| {
            json!({
                "slug": d.slug, "url": format!("{}{}", site.config.base_url, doc_path(d).trim_end_matches("index.html")),
                "title": d.title, "type": d.doc_type.code(), "number": d.number, "issuer": d.issuer,
                "date": d.date.map(|x| x.to_string()), "year": d.year, "signer": d.signer, "refs": d.refs,
                "areas": d.areas, "summary": d.summary, "tasks": d.tasks.len(),
                "source": d.source.to_string_lossy().replace('\\', "/"), "original": d.original,
            })
        })
        .collect();
    serde_json::to_vec(&json!({"generated": site.today.to_string(), "documents": docs}))
        .unwrap_or_default()
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

/// Tasks `ids` as CSV with a BOM.
pub fn tasks_csv(site: &Site, ids: impl Iterator<Item = TaskId>) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let _ = w.write_record(CSV_HEADER);
        for id in ids {
            let Some(t) = site.tasks.get(id) else {
                continue;
            };
            let d = &site.documents[t.doc];
            let latest = t.history.last();
            let names = |ids: &[usize]| {
                ids.iter()
                    .filter_map(|&u| site.units.get(u))
                    .map(|u| u.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let record = [
                task_id(site, t),
                task_url(site, t),
                d.number.clone().unwrap_or_default(),
                d.title.clone(),
                t.group.clone().unwrap_or_default(),
                t.label.clone(),
                t.text.clone(),
                t.product.clone().unwrap_or_default(),
                names(&t.lead),
                names(&t.support),
                t.due.text.clone(),
                t.due.start.map(|x| x.to_string()).unwrap_or_default(),
                t.due.end.map(|x| x.to_string()).unwrap_or_default(),
                t.budget.clone().unwrap_or_default(),
                t.note.clone().unwrap_or_default(),
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
            let _ = w.write_record(record.iter().map(|f| neutralize_formula(f)));
        }
        let _ = w.flush();
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
