//! `progress:` in a document's front matter: a list of `{task, status, date, result}`.
//!
//! Takes one parsed document; returns its reports matched to tasks. A reference that names no
//! task, an unknown status or a bad date is an error at the item's line, so nothing a
//! publisher wrote is dropped silently.

use serde::Deserialize;

use crate::diag::Diagnostics;
use crate::model::{DocId, Site, Status};
use crate::parse::document::ParsedDoc;
use crate::parse::front_matter::{parse_yaml, scalar_string, split};
use crate::progress::{
    parse_date, report_error, resolve_ref, status_from_words, Entry, Report, Source, STATUS_HINT,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawProgressBlock {
    progress: Vec<RawProgress>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawProgress {
    #[serde(deserialize_with = "scalar_string")]
    task: Option<String>,
    #[serde(deserialize_with = "scalar_string")]
    status: Option<String>,
    #[serde(deserialize_with = "scalar_string")]
    date: Option<String>,
    #[serde(deserialize_with = "scalar_string")]
    result: Option<String>,
}

/// Reads the `progress:` list of document `id`.
pub fn read(site: &Site, id: DocId, doc: &ParsedDoc, diags: &Diagnostics) -> Vec<Report> {
    let text = &doc.source.text;
    let Ok(parts) = split(text) else {
        return Vec::new();
    };
    if !parts.yaml.lines().any(|l| l.starts_with("progress:")) {
        return Vec::new();
    }
    let file = &doc.source.path;
    let block: RawProgressBlock = match parse_yaml(parts.yaml) {
        Ok(b) => b,
        Err(e) => {
            let line = parts.yaml_line + e.line.saturating_sub(1);
            diags.push(report_error(
                file,
                line,
                e.col,
                format!("`progress:` không đọc được: {}", e.message),
                "",
            ));
            return Vec::new();
        }
    };
    let lines = crate::parse::front_matter::list_item_lines(parts.yaml, "progress");
    let mut out = Vec::new();
    for (i, item) in block.progress.into_iter().enumerate() {
        let line = parts.yaml_line + lines.get(i).copied().unwrap_or(0);
        let snippet = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
        let col = snippet
            .find(|c: char| c != ' ' && c != '-')
            .map_or(1, |c| c + 1);
        let err = |msg: String| diags.push(report_error(file, line, col, msg, snippet));
        let Some(task_ref) = item.task.filter(|s| !s.trim().is_empty()) else {
            err(format!("mục `progress` thứ {} thiếu `task`", i + 1));
            continue;
        };
        let task = match resolve_ref(site, &task_ref, Some(id)) {
            Ok(t) => t,
            Err(m) => {
                err(format!("`task: {task_ref}`: {m}"));
                continue;
            }
        };
        let status_text = item.status.unwrap_or_default();
        let status =
            Status::from_code(status_text.trim()).or_else(|| status_from_words(&status_text));
        let Some(status) = status else {
            diags.push(
                report_error(
                    file,
                    line,
                    col,
                    format!("trạng thái không hợp lệ `{}`", status_text.trim()),
                    snippet,
                )
                .with_hint(STATUS_HINT),
            );
            continue;
        };
        let date = match item.date.as_deref() {
            Some(s) => match parse_date(s) {
                Some(d) => d,
                None => {
                    err(format!("ngày không hợp lệ `{s}` (viết YYYY-MM-DD)"));
                    continue;
                }
            },
            None => match doc.date {
                Some(d) => d,
                None => {
                    err("mục `progress` không có `date` và văn bản không có ngày".into());
                    continue;
                }
            },
        };
        out.push(Report {
            task,
            entry: Entry {
                date,
                status,
                result: item
                    .result
                    .map(|r| crate::text::nfc(r.trim()))
                    .filter(|r| !r.is_empty()),
                source: Source::Document(id),
                file: file.clone(),
                line,
            },
        });
    }
    out
}
