//! The site model: plain data built once by the pipeline, then only borrowed while rendering.
//!
//! Cross-references are indices into the site's vectors ([`DocId`], [`TaskId`], [`UnitId`]),
//! never clones, so a document knows its tasks and a unit its duties without copying them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::civil::Date;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::extract::deadline::Deadline;
use crate::extract::units::Unit;

pub type DocId = usize;
pub type TaskId = usize;
pub type UnitId = usize;

/// The kind of a document (`type:` in front matter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocType {
    KeHoach,
    ThongBao,
    QuyetDinh,
    NghiQuyet,
    BaoCao,
    ChiThi,
    Khac,
}

impl DocType {
    /// Every type with its front-matter code and Vietnamese label.
    pub const ALL: [(DocType, &'static str, &'static str); 7] = [
        (DocType::KeHoach, "ke-hoach", "Kế hoạch"),
        (DocType::ThongBao, "thong-bao", "Thông báo"),
        (DocType::QuyetDinh, "quyet-dinh", "Quyết định"),
        (DocType::NghiQuyet, "nghi-quyet", "Nghị quyết"),
        (DocType::BaoCao, "bao-cao", "Báo cáo"),
        (DocType::ChiThi, "chi-thi", "Chỉ thị"),
        (DocType::Khac, "khac", "Văn bản khác"),
    ];

    pub fn from_code(code: &str) -> Option<DocType> {
        Self::ALL
            .iter()
            .find(|(_, c, _)| *c == code)
            .map(|(t, _, _)| *t)
    }

    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(t, _, _)| *t == self)
            .map_or("khac", |e| e.1)
    }

    pub fn label(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(t, _, _)| *t == self)
            .map_or("Văn bản", |e| e.2)
    }
}

/// Progress a publisher records for a task (`status:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    ChuaBatDau,
    DangThucHien,
    HoanThanh,
    TamDung,
    KhongThucHien,
}

impl Status {
    pub const ALL: [(Status, &'static str, &'static str); 5] = [
        (Status::ChuaBatDau, "chua-bat-dau", "Chưa bắt đầu"),
        (Status::DangThucHien, "dang-thuc-hien", "Đang thực hiện"),
        (Status::HoanThanh, "hoan-thanh", "Hoàn thành"),
        (Status::TamDung, "tam-dung", "Tạm dừng"),
        (Status::KhongThucHien, "khong-thuc-hien", "Không thực hiện"),
    ];

    pub fn from_code(code: &str) -> Option<Status> {
        Self::ALL
            .iter()
            .find(|(_, c, _)| *c == code)
            .map(|(s, _, _)| *s)
    }

    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(s, _, _)| *s == self)
            .map_or("", |e| e.1)
    }
}

/// Where a task stands against the build date, from what was reported (see
/// [`crate::progress::task_state`]): what citizens see as a badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    QuaHan,
    ChuaBaoCao,
    SapDenHan,
    DangThucHien,
    ChuaDenHan,
    HoanThanh,
    TamDung,
    KhongThucHien,
    KhongCoThoiHan,
}

impl State {
    // progress (issue 17): `qua-han` only on a report; `chua-bao-cao` when nothing was reported.
    pub const ALL: [(State, &'static str, &'static str); 9] = [
        (State::QuaHan, "qua-han", "Quá hạn"),
        (
            State::ChuaBaoCao,
            "chua-bao-cao",
            "Đã đến hạn — chưa có báo cáo kết quả",
        ),
        (State::SapDenHan, "sap-den-han", "Sắp đến hạn"),
        (State::DangThucHien, "dang-thuc-hien", "Đang thực hiện"),
        (State::ChuaDenHan, "chua-den-han", "Chưa đến hạn"),
        (State::HoanThanh, "hoan-thanh", "Hoàn thành"),
        (State::TamDung, "tam-dung", "Tạm dừng"),
        (State::KhongThucHien, "khong-thuc-hien", "Không thực hiện"),
        (
            State::KhongCoThoiHan,
            "khong-co-thoi-han",
            "Không có thời hạn cố định",
        ),
    ];

    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(s, _, _)| *s == self)
            .map_or("", |e| e.1)
    }

    pub fn label(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(s, _, _)| *s == self)
            .map_or("", |e| e.2)
    }
}

/// Days before a deadline from which a task counts as "sắp đến hạn".
pub const DUE_SOON_DAYS: i32 = 30;

/// A task's state before progress reports are read (a status written on the plan's own task
/// counts as of no date); [`crate::progress::apply`] computes the final one.
pub fn task_state(status: Option<Status>, due: &Deadline, today: Date) -> State {
    crate::progress::task_state(status.map(|s| (s, None)), due.end, today).0
}

/// One heading of a document body, for its table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// One published document.
#[derive(Debug, Clone)]
pub struct Document {
    /// Source path relative to the site root (`content/…/x.md`), for messages and `source`.
    pub source: PathBuf,
    pub slug: String,
    pub title: String,
    pub doc_type: DocType,
    pub number: Option<String>,
    /// Normalised lookup key of `number`.
    pub number_key: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<Date>,
    /// The year the plan covers (front matter `year`, else the year of `date`).
    pub year: Option<i16>,
    pub signer: Option<String>,
    pub refs: Vec<String>,
    pub areas: Vec<String>,
    pub summary: Option<String>,
    pub draft: bool,
    pub province: Option<String>,
    pub body_html: String,
    pub headings: Vec<Heading>,
    /// Body as plain text, for search and summaries.
    pub plain_text: String,
    pub tasks: Vec<TaskId>,
    /// Documents of the site this one cites (front matter `refs` and numbers in the body).
    pub cites: Vec<DocId>,
    /// Documents of the site that cite this one.
    pub cited_by: Vec<DocId>,
    /// Cited numbers that are not documents of this site, as written.
    pub external_refs: Vec<String>,
    /// Files copied beside the page (scans, images), as output paths.
    pub attachments: Vec<String>,
}

/// One task, whatever form it was written in.
#[derive(Debug, Clone)]
pub struct Task {
    pub doc: DocId,
    /// Label shown in the TT column ("1.a", "3", "b").
    pub label: String,
    /// Anchor on the document page, unique within the document (`nv-1-a`).
    pub anchor: String,
    pub group: Option<String>,
    pub text: String,
    pub product: Option<String>,
    pub lead: Vec<UnitId>,
    pub support: Vec<UnitId>,
    pub due: Deadline,
    pub due_inherited: bool,
    pub budget: Option<String>,
    pub note: Option<String>,
    pub status: Option<Status>,
    pub state: State,
    /// 1-based line in the source file.
    pub line: usize,
    /// How it was written: `front-matter`, `table`, `labelled`, `unit-headed`.
    pub form: &'static str,
    // progress (issue 17)
    /// Reports on this task, oldest first; the last one is the current status.
    pub history: Vec<crate::progress::Entry>,
    /// Reported done after its deadline.
    pub late: bool,
}

/// What one unit owes.
#[derive(Debug, Clone, Default)]
pub struct UnitDuties {
    pub lead: Vec<TaskId>,
    pub support: Vec<TaskId>,
}

/// A file copied unchanged from `content/` to the output.
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub source: PathBuf,
    /// Output path relative to the output root, `/`-separated.
    pub out: String,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub today: Date,
    /// Documents sorted by date (newest first), then slug: the order of every listing.
    pub documents: Vec<Document>,
    /// Tasks in document order, then source order.
    pub tasks: Vec<Task>,
    pub units: Vec<Unit>,
    /// Parallel to `units`.
    pub duties: Vec<UnitDuties>,
    pub static_files: Vec<StaticFile>,
    /// Number key → documents with that number (numbers restart every year, so one key may
    /// name several documents; see [`Site::resolve_number`]).
    pub numbers: BTreeMap<String, Vec<DocId>>,
    /// Which tasks each document or spreadsheet reported on (progress, issue 17).
    pub progress: crate::progress::Updates,
}

/// Date and province of a document: what a citation is matched against.
pub type DocStamp = (Option<Date>, Option<String>);

/// Picks which of the documents sharing a number a citation means: the one issued on the
/// cited date, else in the cited year, else in the citing document's province, else the newest.
pub fn pick_cited(
    stamps: &[DocStamp],
    candidates: &[DocId],
    cited: Option<Date>,
    province: Option<&str>,
) -> Option<DocId> {
    if candidates.len() <= 1 {
        return candidates.first().copied();
    }
    let find = |f: &dyn Fn(&DocStamp) -> bool| {
        candidates
            .iter()
            .copied()
            .find(|&c| stamps.get(c).is_some_and(f))
    };
    if let Some(date) = cited {
        let same_day = find(&|s| s.0 == Some(date));
        if let Some(c) = same_day.or_else(|| find(&|s| s.0.map(|x| x.year()) == Some(date.year())))
        {
            return Some(c);
        }
    }
    if let Some(p) = province {
        if let Some(c) = find(&|s| s.1.as_deref() == Some(p)) {
            return Some(c);
        }
    }
    candidates.first().copied()
}

impl Site {
    /// The plan year of a task (its document's `year`).
    pub fn task_year(&self, t: &Task) -> Option<i16> {
        self.documents.get(t.doc).and_then(|d| d.year)
    }
}
