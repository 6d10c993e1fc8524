//! Progress: what became of each task, as reported.
//!
//! Takes the assembled [`Site`] (tasks extracted, citations linked) and the parsed documents,
//! reads progress reports from three places — a document's `progress:` front matter
//! ([`front_matter`]), results tables in report and notice bodies ([`table`]) and filled task
//! spreadsheets under `content/` ([`sheets`]) — matches each to one task, and returns them as
//! each task's dated history (oldest first; the latest dated report wins). Then every task's
//! [`State`] is computed again by [`task_state`]: a passed deadline with no report after it is
//! `chua-bao-cao`, never `qua-han` — the portal only says what a document said.

pub mod front_matter;
pub mod sheets;
pub mod table;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{DocId, Site, State, Status, Task, TaskId, DUE_SOON_DAYS};
use crate::parse::document::ParsedDoc;

/// Where a report came from: a document of the site, or a spreadsheet copied beside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Document(DocId),
    /// Output path of the copied file (relative to the output root, `/`-separated).
    File(String),
}

/// One dated report about one task.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entry {
    pub date: Date,
    pub status: Status,
    /// Result as written (inline Markdown from front matter, plain text from tables and sheets).
    pub result: Option<String>,
    pub source: Source,
    /// Source file relative to the site root, and 1-based line: for messages and `source`.
    pub file: PathBuf,
    pub line: usize,
}

/// A report read from content, not yet matched to a task.
#[derive(Debug, Clone)]
pub struct Report {
    pub task: TaskId,
    pub entry: Entry,
}

/// Which tasks each source updated, for the "updated by this document" lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Updates {
    pub by_doc: BTreeMap<DocId, Vec<TaskId>>,
    pub by_file: BTreeMap<String, Vec<TaskId>>,
}

/// Reads every report, records the histories and recomputes every task's state.
/// `root` is the site root (spreadsheets are read from `root/content/…`).
pub fn apply(site: &mut Site, docs: &[ParsedDoc], root: &Path, diags: &Diagnostics) {
    let mut reports: Vec<Report> = Vec::new();
    // A status written on the plan's own task (`tasks: - status:`) is a report as of the plan.
    for (id, t) in site.tasks.iter().enumerate() {
        let doc = &site.documents[t.doc];
        if let Some(entry) = own_status(t, doc.date, &doc.source) {
            reports.push(Report { task: id, entry });
        }
    }
    for (id, d) in docs.iter().enumerate() {
        reports.extend(front_matter::read(site, id, d, diags));
        reports.extend(table::read(site, id, d, diags));
    }
    reports.extend(sheets::read(site, root, diags));
    record(site, reports);
}

/// The status written on a plan's own task (`tasks: - status:`), as a report dated the plan
/// (`doc_date`) from its file; `None` without a status or a date.
pub(crate) fn own_status(t: &Task, doc_date: Option<Date>, file: &Path) -> Option<Entry> {
    let (status, date) = (t.status?, doc_date?);
    Some(Entry {
        date,
        status,
        result: None,
        source: Source::Document(t.doc),
        file: file.to_path_buf(),
        line: t.line as usize,
    })
}

impl Entry {
    /// Where an entry stands in a history: by date, then source order (a later line of the
    /// same day wins).
    pub(crate) fn order(&self) -> (Date, &Source, usize) {
        (self.date, &self.source, self.line)
    }
}

/// Sorts reports into histories (by date, then source order: a later line of the same day
/// wins) and recomputes states.
fn record(site: &mut Site, mut reports: Vec<Report>) {
    reports.sort_by(|a, b| (a.task, a.entry.order()).cmp(&(b.task, b.entry.order())));
    reports.dedup_by(|a, b| a.task == b.task && a.entry == b.entry);
    let mut updates = Updates::default();
    // Histories are collected beside the tasks, then boxed: most tasks have none.
    let mut histories: BTreeMap<TaskId, Vec<Entry>> = BTreeMap::new();
    for r in reports {
        let list = match &r.entry.source {
            Source::Document(d) => updates.by_doc.entry(*d).or_default(),
            Source::File(f) => updates.by_file.entry(f.clone()).or_default(),
        };
        if list.last() != Some(&r.task) && !list.contains(&r.task) {
            list.push(r.task);
        }
        if r.task < site.tasks.len() {
            histories.entry(r.task).or_default().push(r.entry);
        }
    }
    for t in site.tasks.iter_mut() {
        t.history = Box::default();
    }
    for (task, history) in histories {
        if let Some(t) = site.tasks.get_mut(task) {
            t.history = history.into_boxed_slice();
        }
    }
    for list in updates
        .by_doc
        .values_mut()
        .chain(updates.by_file.values_mut())
    {
        list.sort_unstable();
    }
    let today = site.today;
    for t in site.tasks.iter_mut() {
        (t.state, t.late) = final_state(t, today);
    }
    site.progress = updates;
}

/// A task's state (and whether it was finished late) from its history, its own status and
/// its deadline, as of `today`.
pub(crate) fn final_state(t: &Task, today: Date) -> (State, bool) {
    // A build as of an earlier date does not know of reports dated after it.
    let latest = t
        .history
        .iter()
        .rev()
        .find(|e| e.date <= today)
        .map(|e| (e.status, Some(e.date)))
        // A status on an undated plan's own task counts, as of no date.
        .or(t.status.map(|s| (s, None)));
    task_state(latest, t.due.end, today)
}

/// The state shown for a task, and whether it was done late.
///
/// `latest` is the latest report (status, as-of date). The rules, in order:
/// done → `hoan-thanh` (late when reported done after the deadline); paused / dropped →
/// as reported; no deadline → `dang-thuc-hien` if so reported, else `khong-co-thoi-han`;
/// deadline passed → `qua-han` only when a report dated on or after the deadline says it is
/// not done, else `chua-bao-cao`; due within [`DUE_SOON_DAYS`] → `sap-den-han`; later →
/// `dang-thuc-hien` if so reported, else `chua-den-han`.
pub fn task_state(
    latest: Option<(Status, Option<Date>)>,
    end: Option<Date>,
    today: Date,
) -> (State, bool) {
    match latest.map(|l| l.0) {
        Some(Status::HoanThanh) => {
            let late = matches!((latest.and_then(|l| l.1), end), (Some(d), Some(e)) if d > e);
            return (State::HoanThanh, late);
        }
        Some(Status::TamDung) => return (State::TamDung, false),
        Some(Status::KhongThucHien) => return (State::KhongThucHien, false),
        _ => {}
    }
    let in_progress = latest.is_some_and(|l| l.0 == Status::DangThucHien);
    let Some(end) = end else {
        let s = if in_progress {
            State::DangThucHien
        } else {
            State::KhongCoThoiHan
        };
        return (s, false);
    };
    if end < today {
        let reported_after = latest.and_then(|l| l.1).is_some_and(|d| d >= end);
        let s = if reported_after {
            State::QuaHan
        } else {
            State::ChuaBaoCao
        };
        return (s, false);
    }
    let soon = today
        .checked_add(jiff::Span::new().days(DUE_SOON_DAYS))
        .unwrap_or(today);
    let s = if end <= soon {
        State::SapDenHan
    } else if in_progress {
        State::DangThucHien
    } else {
        State::ChuaDenHan
    };
    (s, false)
}

/// Reads a status as written: a code (`hoan-thanh`) or the words reports use ("Đã hoàn
/// thành", "Dang trien khai", "Chưa thực hiện"…), with or without diacritics.
pub fn status_from_words(s: &str) -> Option<Status> {
    let f = crate::text::fold(s);
    if f.is_empty() {
        return None;
    }
    let has = |w: &str| f == w || f.starts_with(&format!("{w} ")) || f.contains(&format!(" {w}"));
    // Order matters: "chưa hoàn thành" contains "hoàn thành".
    if has("khong thuc hien") || has("khong trien khai") || has("huy bo") {
        Some(Status::KhongThucHien)
    } else if has("tam dung") || has("tam ngung") || has("tam hoan") {
        Some(Status::TamDung)
    } else if has("chua hoan thanh") || has("cham tien do") || has("dang") {
        Some(Status::DangThucHien)
    } else if has("chua thuc hien") || has("chua trien khai") || has("chua bat dau") {
        Some(Status::ChuaBatDau)
    } else if has("hoan thanh") || has("da thuc hien xong") {
        Some(Status::HoanThanh)
    } else {
        None
    }
}

/// The status codes and words a publisher may write, for hints.
pub const STATUS_HINT: &str = "dùng chua-bat-dau, dang-thuc-hien, hoan-thanh, tam-dung, khong-thuc-hien (hoặc \"Đã hoàn thành\", \"Đang triển khai\", \"Chưa thực hiện\", \"Tạm dừng\", \"Không thực hiện\")";

/// Finds the task a reference names: `<slug>#<anchor>`, or a plan number and a task label
/// (`12/KH-UBND 1.a`). `from` is the reporting document, whose date and province pick among
/// plans sharing a number.
pub fn resolve_ref(site: &Site, written: &str, from: Option<DocId>) -> Result<TaskId, String> {
    let written = written.trim();
    if let Some((slug, anchor)) = written.split_once('#') {
        let doc = site
            .documents
            .iter()
            .position(|d| d.slug == slug.trim())
            .ok_or_else(|| format!("không có văn bản `{}` trên trang", slug.trim()))?;
        return site.documents[doc]
            .tasks
            .iter()
            .copied()
            .find(|&t| *site.tasks[t].anchor == *anchor.trim())
            .ok_or_else(|| {
                format!(
                    "văn bản `{}` không có nhiệm vụ `#{}`",
                    slug.trim(),
                    anchor.trim()
                )
            });
    }
    let (number, label) = written
        .rsplit_once(char::is_whitespace)
        .ok_or_else(|| "cần số hiệu kế hoạch và số thứ tự nhiệm vụ, ví dụ `12/KH-UBND 1.a`, hoặc `<slug>#<neo>`".to_string())?;
    let key = crate::link::numbers::number_key(number.trim())
        .ok_or_else(|| format!("`{}` không phải số hiệu văn bản", number.trim()))?;
    let candidates = site
        .numbers
        .get(&key)
        .ok_or_else(|| format!("không có văn bản số `{}` trên trang", number.trim()))?;
    let stamps: Vec<crate::link::cite::DocStamp> = site
        .documents
        .iter()
        .map(|d| (d.date, d.province.clone()))
        .collect();
    let from_doc = from.and_then(|f| site.documents.get(f));
    // A report cites its plan by number; the plan is the one issued before the report.
    let earlier: Vec<DocId> = candidates
        .iter()
        .copied()
        .filter(|&c| {
            let (Some(cd), Some(fd)) = (site.documents[c].date, from_doc.and_then(|d| d.date))
            else {
                return true;
            };
            cd <= fd
        })
        .collect();
    let pool = if earlier.is_empty() {
        candidates
    } else {
        &earlier
    };
    let doc = crate::link::cite::pick_cited(
        &stamps,
        pool,
        None,
        from_doc.and_then(|d| d.province.as_deref()),
    )
    .ok_or_else(|| format!("không có văn bản số `{}` trên trang", number.trim()))?;
    find_label(site, doc, label).ok_or_else(|| {
        format!(
            "văn bản {} không có nhiệm vụ số `{}`",
            number.trim(),
            label.trim()
        )
    })
}

/// The task of `doc` labelled `label` ("1.a", "3", "1a", "I.2" …), compared loosely.
pub fn find_label(site: &Site, doc: DocId, label: &str) -> Option<TaskId> {
    let want = label_key(label);
    if want.is_empty() {
        return None;
    }
    site.documents
        .get(doc)?
        .tasks
        .iter()
        .copied()
        .find(|&t| label_key(&site.tasks[t].label) == want)
}

/// A label reduced to its letters and digits, lower case: "1.a)" and "1a" are the same.
pub fn label_key(label: &str) -> String {
    crate::text::fold(label).replace(' ', "")
}

/// Reads a date as reports write it: `2024-06-30`, `30/6/2024`, `30-06-2024`, `30.06.2024`.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Some(d) = crate::parse::document::parse_iso_date(s) {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).map(str::trim).collect();
    if parts.len() != 3 {
        return None;
    }
    let d: i8 = parts[0].parse().ok()?;
    let m: i8 = parts[1].parse().ok()?;
    let y: i16 = parts[2].parse().ok()?;
    if !(1900..=2200).contains(&y) {
        return None;
    }
    Date::new(y, m, d).ok()
}

/// An error about a report, at `file:line:col`.
pub fn report_error(
    file: &Path,
    line: usize,
    col: usize,
    msg: String,
    snippet: &str,
) -> Diagnostic {
    Diagnostic::error(file, line, col, msg).with_snippet(snippet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn status_words_are_read() {
        let cases = [
            ("Đã hoàn thành", Some(Status::HoanThanh)),
            ("hoan thanh", Some(Status::HoanThanh)),
            ("hoan-thanh", Some(Status::HoanThanh)),
            ("Chưa hoàn thành", Some(Status::DangThucHien)),
            ("Đang triển khai", Some(Status::DangThucHien)),
            ("Dang thuc hien", Some(Status::DangThucHien)),
            ("Chưa thực hiện", Some(Status::ChuaBatDau)),
            ("Không thực hiện", Some(Status::KhongThucHien)),
            ("Tạm dừng", Some(Status::TamDung)),
            ("xong rồi", None),
            ("", None),
        ];
        for (w, s) in cases {
            assert_eq!(status_from_words(w), s, "{w}");
        }
    }

    #[test]
    fn states_follow_the_rules() {
        let today = date(2024, 11, 23);
        let past = Some(date(2024, 6, 30));
        let st = |l, e| task_state(l, e, today);
        assert_eq!(st(None, past), (State::ChuaBaoCao, false));
        assert_eq!(
            st(Some((Status::DangThucHien, Some(date(2024, 3, 31)))), past),
            (State::ChuaBaoCao, false)
        );
        assert_eq!(
            st(Some((Status::DangThucHien, Some(date(2024, 9, 30)))), past),
            (State::QuaHan, false)
        );
        assert_eq!(
            st(Some((Status::HoanThanh, Some(date(2024, 7, 15)))), past),
            (State::HoanThanh, true)
        );
        assert_eq!(
            st(Some((Status::HoanThanh, Some(date(2024, 6, 30)))), past),
            (State::HoanThanh, false)
        );
        assert_eq!(st(None, None), (State::KhongCoThoiHan, false));
        assert_eq!(
            st(None, Some(date(2024, 12, 10))),
            (State::SapDenHan, false)
        );
        assert_eq!(
            st(None, Some(date(2025, 6, 30))),
            (State::ChuaDenHan, false)
        );
        assert_eq!(
            st(Some((Status::DangThucHien, None)), Some(date(2025, 6, 30))),
            (State::DangThucHien, false)
        );
    }

    #[test]
    fn dates_and_labels() {
        assert_eq!(parse_date("30/6/2024"), Some(date(2024, 6, 30)));
        assert_eq!(parse_date("2024-06-30"), Some(date(2024, 6, 30)));
        assert_eq!(parse_date("31/02/2024"), None);
        assert_eq!(label_key("1.a)"), label_key("1a"));
    }
}
