//! Open data: every task as JSON (`du-lieu/nhiem-vu.json`) and CSV (`du-lieu/nhiem-vu.csv`,
//! and one CSV per unit), plus the document list as JSON. CSV is UTF-8 with a BOM so
//! spreadsheet programs read Vietnamese, quoted per RFC 4180 by the `csv` crate.

use serde_json::{json, Value};

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

fn unit_values(site: &Site, ids: &[usize]) -> Vec<Value> {
    ids.iter()
        .filter_map(|&u| site.units.get(u))
        .map(|u| json!({"slug": u.slug, "name": u.name, "registered": u.registered}))
        .collect()
}

/// One task as the JSON object documented in the README.
pub fn task_json(site: &Site, t: &Task) -> Value {
    let d = &site.documents[t.doc];
    json!({
        "id": task_id(site, t),
        "url": task_url(site, t),
        "document": {"slug": d.slug, "number": d.number, "title": d.title, "type": d.doc_type.code(), "date": d.date.map(|x| x.to_string())},
        "group": t.group,
        "label": t.label,
        "task": t.text,
        "product": t.product,
        "lead": unit_values(site, &t.lead),
        "support": unit_values(site, &t.support),
        "due": {
            "text": t.due.text,
            "kind": t.due.kind,
            "start": t.due.start.map(|x| x.to_string()),
            "end": t.due.end.map(|x| x.to_string()),
            "rrule": t.due.rrule,
            "inherited": t.due_inherited,
        },
        "budget": t.budget,
        "note": t.note,
        "status": t.status.map(|s| s.code()),
        "state": t.state.code(),
        "source": format!("{}:{}", d.source.to_string_lossy().replace('\\', "/"), t.line),
        "form": t.form,
    })
}

pub fn tasks_json(site: &Site) -> Vec<u8> {
    let tasks: Vec<Value> = site.tasks.iter().map(|t| task_json(site, t)).collect();
    let doc = json!({"generated": site.today.to_string(), "tasks": tasks});
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

pub fn documents_json(site: &Site) -> Vec<u8> {
    let docs: Vec<Value> = site
        .documents
        .iter()
        .map(|d| {
            json!({
                "slug": d.slug, "url": format!("{}{}", site.config.base_url, doc_path(d).trim_end_matches("index.html")),
                "title": d.title, "type": d.doc_type.code(), "number": d.number, "issuer": d.issuer,
                "date": d.date.map(|x| x.to_string()), "year": d.year, "signer": d.signer, "refs": d.refs,
                "areas": d.areas, "summary": d.summary, "tasks": d.tasks.len(),
                "source": d.source.to_string_lossy().replace('\\', "/"),
            })
        })
        .collect();
    serde_json::to_vec_pretty(&json!({"generated": site.today.to_string(), "documents": docs}))
        .unwrap_or_default()
}

const CSV_HEADER: [&str; 17] = [
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
                t.state.label().to_string(),
                format!(
                    "{}:{}",
                    d.source.to_string_lossy().replace('\\', "/"),
                    t.line
                ),
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
