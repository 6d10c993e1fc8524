//! The site model: plain data built once by the pipeline, then only borrowed while rendering.
//!
//! Cross-references are indices into the site's vectors ([`DocId`], [`TaskId`], [`UnitId`]),
//! never clones, so a document knows its tasks and a unit its duties without copying them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::civil::Date;
use serde::Serialize;

use crate::config::SiteConfig;

mod deadline;
mod task;
pub use deadline::{Deadline, DeadlineKind};

/// A string many tasks may hold the same copy of (a group heading, a product, a deadline as
/// written, a label): resolution gives equal values one allocation (`extract::resolve`).
/// Reads as `&str`, serialises as a string.
pub type Shared = std::sync::Arc<str>;
pub use task::{task_state, Task, TaskContent, TaskForm, UnitIds, WrittenContent, DUE_SOON_DAYS};

pub type DocId = usize;
pub type TaskId = usize;
pub type UnitId = usize;

/// A closed set written as a code in content and shown with a Vietnamese label: declares the
/// enum and its one table (`ALL`: value, code, label), with `from_code`, `code` and `label`.
macro_rules! coded_enum {
    ($(#[$meta:meta])* pub enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal),)*
    }) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every value with its code and Vietnamese label, in display order.
            pub const ALL: [($name, &'static str, &'static str); [$($code),*].len()] =
                [$(($name::$variant, $code, $label)),*];

            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().find(|e| e.1 == code).map(|e| e.0)
            }

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)*
                }
            }
        }
    };
}

coded_enum! {
    /// The kind of a document (`type:` in front matter).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum DocType {
        KeHoach = ("ke-hoach", "Kế hoạch"),
        ThongBao = ("thong-bao", "Thông báo"),
        QuyetDinh = ("quyet-dinh", "Quyết định"),
        NghiQuyet = ("nghi-quyet", "Nghị quyết"),
        BaoCao = ("bao-cao", "Báo cáo"),
        ChiThi = ("chi-thi", "Chỉ thị"),
        /// Official letter (công văn): numbered like "12/UBND-VX", no type word.
        CongVan = ("cong-van", "Công văn"),
        Khac = ("khac", "Văn bản khác"),
    }
}

coded_enum! {
    /// Progress a publisher records for a task (`status:`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
    #[derive(Hash, serde::Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum Status {
        ChuaBatDau = ("chua-bat-dau", "Chưa bắt đầu"),
        DangThucHien = ("dang-thuc-hien", "Đang thực hiện"),
        HoanThanh = ("hoan-thanh", "Hoàn thành"),
        TamDung = ("tam-dung", "Tạm dừng"),
        KhongThucHien = ("khong-thuc-hien", "Không thực hiện"),
    }
}

coded_enum! {
    /// Where a task stands against the build date, from what was reported (see
    /// [`crate::progress::task_state`]): what citizens see as a badge. `qua-han` only on a
    /// report that says "not done" after the deadline; `chua-bao-cao` when nothing was reported.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum State {
        QuaHan = ("qua-han", "Quá hạn"),
        ChuaBaoCao = ("chua-bao-cao", "Đã đến hạn — chưa có báo cáo kết quả"),
        SapDenHan = ("sap-den-han", "Sắp đến hạn"),
        DangThucHien = ("dang-thuc-hien", "Đang thực hiện"),
        ChuaDenHan = ("chua-den-han", "Chưa đến hạn"),
        HoanThanh = ("hoan-thanh", "Hoàn thành"),
        TamDung = ("tam-dung", "Tạm dừng"),
        KhongThucHien = ("khong-thuc-hien", "Không thực hiện"),
        KhongCoThoiHan = ("khong-co-thoi-han", "Không có thời hạn cố định"),
    }
}

coded_enum! {
    /// The level of a unit (`level:` in `units.yaml`), which groups the units page.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum UnitLevel {
        Tinh = ("tinh", "Cấp tỉnh"),
        Huyen = ("huyen", "Cấp huyện"),
        Xa = ("xa", "Cấp xã"),
        TrungUong = ("trung-uong", "Cơ quan trung ương"),
        #[default]
        Khac = ("khac", "Nhóm đơn vị và đơn vị khác"),
    }
}

/// A unit as the rest of the pipeline sees it: registered, or added because a document named it.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Unit {
    /// Canonical name (registered) or the cleaned written name (unregistered).
    pub name: String,
    /// Unique, path-safe slug.
    pub slug: String,
    pub level: UnitLevel,
    /// Parent's canonical name when the parent is registered, else as written.
    pub parent: Option<String>,
    /// Aliases from the registry (empty for unregistered units).
    pub aliases: Vec<String>,
    /// False for units found only in documents; `cchc check` lists them.
    pub registered: bool,
}

/// One heading of a document body, for its table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// What a document's front matter says about it: the one list of metadata fields, embedded in
/// the parsed document and in the published one (both deref to it, so `doc.title` reads through).
#[derive(Debug, Clone, Hash, Serialize, serde::Deserialize)]
pub struct DocMeta {
    pub slug: String,
    pub title: String,
    pub doc_type: DocType,
    pub number: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<Date>,
    /// The year the plan covers (front matter `year`, else the year of `date`).
    pub year: Option<i16>,
    pub signer: Option<String>,
    pub refs: Vec<String>,
    pub areas: Vec<String>,
    pub summary: Option<String>,
    pub draft: bool,
    /// Front matter `province`; in a [`Document`], also read from the issuer when not written.
    pub province: Option<String>,
    /// The file the document was imported from (front matter `original`).
    pub original: Option<String>,
}

/// One published document.
#[derive(Debug, Clone, Hash)]
pub struct Document {
    /// Source path relative to the site root (`content/…/x.md`), for messages and `source`.
    pub source: PathBuf,
    pub meta: DocMeta,
    /// Normalised lookup key of `number`.
    pub number_key: Option<String>,
    pub tasks: Vec<TaskId>,
    /// Documents of the site this one cites (front matter `refs` and numbers in the body).
    pub cites: Vec<DocId>,
    /// Documents of the site that cite this one.
    pub cited_by: Vec<DocId>,
    /// Cited numbers that are not documents of this site, as written.
    pub external_refs: Vec<String>,
}

impl std::ops::Deref for Document {
    type Target = DocMeta;
    fn deref(&self) -> &DocMeta {
        &self.meta
    }
}

/// A document's body: its page's HTML and headings, and its plain text for citations and
/// search. Kept apart from [`Document`] (in [`Site::bodies`]) so a build can drop each part
/// as soon as its page and its search entry are made.
#[derive(Debug, Clone, Default)]
pub struct DocBody {
    pub html: String,
    pub headings: Vec<Heading>,
    pub plain_text: String,
}

/// What one unit owes.
#[derive(Debug, Clone, Default, Hash)]
pub struct UnitDuties {
    pub lead: Vec<TaskId>,
    pub support: Vec<TaskId>,
}

/// A file copied unchanged from `content/` to the output.
#[derive(Debug, Clone, Hash)]
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
    /// Each document's body, by [`DocId`]. Empty in a lean assembly (`build`), which renders
    /// each body again when its page is made (`site::BodySources`).
    pub bodies: Vec<DocBody>,
    /// Tasks in document order, then source order.
    pub tasks: Vec<Task>,
    pub units: Vec<Unit>,
    /// Parallel to `units`.
    pub duties: Vec<UnitDuties>,
    pub static_files: Vec<StaticFile>,
    /// Number key → documents with that number (numbers restart every year, so one key may
    /// name several documents; [`crate::link::cite::pick_cited`] chooses among them).
    pub numbers: BTreeMap<String, Vec<DocId>>,
    /// Which tasks each document or spreadsheet reported on (progress, issue 17).
    pub progress: crate::progress::Updates,
    /// End of each document's plan period, by [`DocId`] (see [`Site::plan_period_end`]):
    /// computed once, as every dated task of a document asks for it.
    pub plan_ends: Vec<Option<Date>>,
}

impl Site {
    /// The units that lead or support at least one task (the ones with a page).
    pub fn active_units(&self) -> impl Iterator<Item = UnitId> + '_ {
        self.duties
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.lead.is_empty() || !d.support.is_empty())
            .map(|(u, _)| u)
    }

    /// The end of document `doc`'s plan period: 31 December of its year, or the last day a
    /// window of its tasks (a phase, a range, a year, ongoing work) runs to, whichever is later:
    /// a plan whose tasks run over "giai đoạn 2026 – 2030" ends in 2030. A single late deadline
    /// does not stretch the period. Reads [`Site::plan_ends`] once it is filled.
    pub fn plan_period_end(&self, doc: DocId) -> Option<Date> {
        if let Some(end) = self.plan_ends.get(doc) {
            return *end;
        }
        use DeadlineKind as K;
        let d = self.documents.get(doc)?;
        let year_end = d.year.and_then(|y| Date::new(y, 12, 31).ok());
        let tasks_end = d
            .tasks
            .iter()
            .filter_map(|&t| self.tasks.get(t))
            .filter(|t| matches!(t.due.kind, K::Range | K::Milestones | K::Ongoing | K::Year))
            .filter_map(|t| t.due.end)
            .max();
        year_end.into_iter().chain(tasks_end).max()
    }

    /// The plan year of a task (its document's `year`).
    pub fn task_year(&self, t: &Task) -> Option<i16> {
        self.documents.get(t.doc).and_then(|d| d.year)
    }
}
