//! Results tables in the body of a report or notice that cites a plan.
//!
//! Takes one parsed document; returns the reports its tables give. A results table has a
//! status column ("Tình trạng", "Trạng thái" or "Kết quả thực hiện") and names the task by
//! its label ("TT": "1.a", "3") or its text ("Nhiệm vụ", "Nội dung"), matched tolerantly
//! against the tasks of the plans the document cites (case, diacritics, a few OCR slips, a
//! shortened text). The other cells become the result. A row that names no task, or two, is a
//! warning naming its line: a table in prose is evidence to read, not a contract to enforce.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diag::{Diagnostic, Diagnostics, LineIndex};
use crate::model::{DocId, DocType, Site, TaskId};
use crate::parse::document::ParsedDoc;
use crate::progress::{find_label, status_from_words, Entry, Report, Source};
use crate::text::fold;

/// One table of the body: header cells, then rows with their 1-based line in the file.
struct RawTable {
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

/// Which column holds what.
struct Columns {
    label: Option<usize>,
    text: Option<usize>,
    status: usize,
}

/// Reads the results tables of document `id`.
pub fn read(site: &Site, id: DocId, doc: &ParsedDoc, diags: &Diagnostics) -> Vec<Report> {
    let Some(d) = site.documents.get(id) else {
        return Vec::new();
    };
    // Cited plans with tasks; a plan's own tables are its tasks, not reports on them.
    let plans: Vec<DocId> = d
        .cites
        .iter()
        .copied()
        .filter(|&p| p != id && !site.documents[p].tasks.is_empty())
        .collect();
    let body = doc.body();
    if plans.is_empty()
        || d.doc_type == DocType::KeHoach && !d.tasks.is_empty()
        || !body.contains('|')
    {
        return Vec::new();
    }
    let Some(date) = doc.date else {
        return Vec::new();
    };
    let lines = LineIndex::new(&doc.source.text);
    let mut out = Vec::new();
    for table in tables(body, doc.body_offset, &lines) {
        let Some(cols) = columns(&table.header) else {
            continue;
        };
        for (line, cells) in &table.rows {
            let warn = |msg: String| {
                let snippet = doc.source.text.lines().nth(line - 1).unwrap_or("");
                diags.push(
                    Diagnostic::warning(&doc.source.path, *line, 1, msg).with_snippet(snippet),
                );
            };
            let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map_or("", |s| s.trim());
            let status_cell = cell(Some(cols.status));
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let Some(status) = status_from_words(status_cell) else {
                warn(format!(
                    "dòng kết quả: không đọc được tình trạng `{status_cell}` (bỏ qua)"
                ));
                continue;
            };
            let task = match match_row(site, &plans, cell(cols.label), cell(cols.text)) {
                Match::One(t) => t,
                Match::None => {
                    warn(format!(
                        "dòng kết quả không khớp nhiệm vụ nào của kế hoạch được dẫn: `{}` (bỏ qua)",
                        short(if cell(cols.text).is_empty() {
                            cell(cols.label)
                        } else {
                            cell(cols.text)
                        })
                    ));
                    continue;
                }
                Match::Many(ts) => {
                    let labels: Vec<String> = ts
                        .iter()
                        .map(|&t| site.tasks[t].label.to_string())
                        .collect();
                    warn(format!(
                        "dòng kết quả khớp nhiều nhiệm vụ ({}): `{}` (bỏ qua)",
                        labels.join(", "),
                        short(cell(cols.text))
                    ));
                    continue;
                }
            };
            let result: Vec<&str> = cells
                .iter()
                .enumerate()
                .filter(|(i, c)| {
                    Some(*i) != cols.label && Some(*i) != cols.text && !c.trim().is_empty()
                })
                .filter(|(i, c)| {
                    *i != cols.status
                        || status_from_words(c) != Some(status)
                        || fold(c).split(' ').count() > 4
                })
                .map(|(_, c)| c.trim())
                .collect();
            out.push(Report {
                task,
                entry: Entry {
                    date,
                    status,
                    result: (!result.is_empty()).then(|| result.join(" — ")),
                    source: Source::Document(id),
                    file: doc.source.path.clone(),
                    line: *line,
                },
            });
        }
    }
    out
}

fn short(s: &str) -> String {
    crate::render::view::shorten(s, 80)
}

/// Finds the columns of a results table; `None` when the header has no status column.
fn columns(header: &[String]) -> Option<Columns> {
    let folded: Vec<String> = header.iter().map(|h| fold(h)).collect();
    let find = |pred: &dyn Fn(&str) -> bool| folded.iter().position(|h| pred(h));
    let status = find(&|h| h.contains("tinh trang") || h.contains("trang thai"))
        .or_else(|| find(&|h| h.contains("ket qua thuc hien") || h == "ket qua"))?;
    let label = find(&|h| matches!(h, "tt" | "stt" | "so tt" | "so thu tu" | "muc"));
    let text =
        find(&|h| h.contains("nhiem vu") || h.contains("noi dung") || h.contains("cong viec"))
            .filter(|&i| i != status);
    if label.is_none() && text.is_none() {
        return None;
    }
    Some(Columns {
        label,
        text,
        status,
    })
}

enum Match {
    One(TaskId),
    None,
    Many(Vec<TaskId>),
}

/// The task a row names: by label when exactly one cited plan has it (and the text, if any,
/// does not contradict it), else by text.
fn match_row(site: &Site, plans: &[DocId], label: &str, text: &str) -> Match {
    let by_label: Vec<TaskId> = plans
        .iter()
        .filter_map(|&p| find_label(site, p, label))
        .collect();
    if by_label.len() == 1
        && (text.is_empty() || similarity(text, &site.tasks[by_label[0]].text) >= 0.5)
    {
        return Match::One(by_label[0]);
    }
    if text.is_empty() {
        return if by_label.len() > 1 {
            Match::Many(by_label)
        } else {
            Match::None
        };
    }
    let mut scored: Vec<(f64, TaskId)> = plans
        .iter()
        .flat_map(|&p| site.documents[p].tasks.iter().copied())
        .map(|t| (similarity(text, &site.tasks[t].text), t))
        .filter(|(s, _)| *s >= THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    match scored.as_slice() {
        [] => Match::None,
        [(_, t)] => Match::One(*t),
        [(a, t), (b, _), ..] if a - b > 0.1 => Match::One(*t),
        _ => {
            let best = scored[0].0;
            Match::Many(
                scored
                    .iter()
                    .filter(|(s, _)| best - s <= 0.1)
                    .map(|(_, t)| *t)
                    .collect(),
            )
        }
    }
}

/// Share of a row's words found in a task's text; below it a row names nothing.
const THRESHOLD: f64 = 0.75;

/// How much of `row` (a task as a report writes it, maybe shortened or OCR-damaged) is in
/// `task`: the share of its words (folded) found among the task's words, a word also matching
/// one a single letter away (OCR slips: "thu tuc" / "thu tuv").
pub fn similarity(row: &str, task: &str) -> f64 {
    let row = fold(row);
    let task = fold(task);
    let task_words: Vec<&str> = task.split(' ').collect();
    let words: Vec<&str> = row.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return 0.0;
    }
    let found = words
        .iter()
        .filter(|w| {
            task_words
                .iter()
                .any(|t| t == *w || (w.len() >= 4 && one_apart(w, t)))
        })
        .count();
    found as f64 / words.len() as f64
}

/// True when `a` and `b` differ by one substitution, insertion or deletion.
fn one_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let mut i = 0;
    while i < short.len() && short[i] == long[i] {
        i += 1;
    }
    if short.len() == long.len() {
        short[i + 1..] == long[i + 1..]
    } else {
        short[i..] == long[i + 1..]
    }
}

/// The tables of a Markdown body, cell texts flattened, each row with its file line.
fn tables(body: &str, body_offset: usize, lines: &LineIndex) -> Vec<RawTable> {
    let mut out = Vec::new();
    let mut current: Option<RawTable> = None;
    let mut row: Vec<String> = Vec::new();
    let mut row_line = 0;
    let mut cell = String::new();
    let mut in_head = false;
    for (ev, range) in Parser::new_ext(body, crate::parse::markdown::options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Table(_)) => {
                current = Some(RawTable {
                    header: Vec::new(),
                    rows: Vec::new(),
                })
            }
            Event::End(TagEnd::Table) => out.extend(current.take()),
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                if let Some(t) = current.as_mut() {
                    t.header = std::mem::take(&mut row);
                }
            }
            Event::Start(Tag::TableRow) => {
                row.clear();
                row_line = lines.line(body_offset + range.start);
            }
            Event::End(TagEnd::TableRow) => {
                if let (Some(t), false) = (current.as_mut(), in_head) {
                    t.rows.push((row_line, std::mem::take(&mut row)));
                }
            }
            Event::Start(Tag::TableCell) => cell.clear(),
            Event::End(TagEnd::TableCell) => row.push(crate::text::nfc(cell.trim())),
            Event::Text(t) | Event::Code(t) => cell.push_str(&t),
            Event::SoftBreak | Event::HardBreak => cell.push(' '),
            Event::Html(h) | Event::InlineHtml(h) if h.trim_start().starts_with("<br") => {
                cell.push(' ')
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_match_tolerantly() {
        let task = "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực đất đai";
        assert_eq!(similarity("RA SOAT DON GIAN HOA THU TUC", task), 1.0);
        assert!(similarity("Rà soát đơn giản hoá thủ tuc hành chinh", task) >= THRESHOLD);
        assert!(similarity("Rà sóat, đơn gián hóa thủ tụv hành chính", task) >= THRESHOLD);
        assert!(similarity("Xây dựng chính quyền số", task) < THRESHOLD);
    }

    #[test]
    fn header_columns() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let c = columns(&h(&["TT", "Nhiệm vụ", "Kết quả thực hiện", "Tình trạng"])).unwrap();
        assert_eq!((c.label, c.text, c.status), (Some(0), Some(1), 3));
        let c = columns(&h(&["STT", "Nội dung", "Kết quả thực hiện"])).unwrap();
        assert_eq!((c.label, c.text, c.status), (Some(0), Some(1), 2));
        assert!(columns(&h(&["TT", "Nhiệm vụ", "Chủ trì"])).is_none());
    }
}
