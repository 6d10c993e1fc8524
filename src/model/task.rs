//! A task as each stage holds it. What a document says about a task — its text, units,
//! deadline, product, budget, note, status, the form it was written in — is declared once, in
//! [`TaskContent`], and every stage embeds it: the front-matter task (`parse::document::FmTask`),
//! the body task (`extract::tasks::RawTask`), the draft (`extract::draft::Draft`) and the
//! published [`Task`]. The stages differ only in how units and the deadline are referenced
//! (written cells and text, split names and a reading, unit ids), which are the type parameters.

use jiff::civil::Date;
use serde::Serialize;

use super::{Deadline, DocId, State, Status, UnitId};

/// The written form a task was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskForm {
    /// An item under `tasks:` in the front matter.
    FrontMatter,
    /// A row of a task table (GFM or raw HTML).
    #[default]
    Table,
    /// An item or paragraph followed by "Đơn vị chủ trì: …" / "Thời gian: …" lines.
    Labelled,
    /// A bullet or paragraph under a heading or line naming the lead unit.
    UnitHeaded,
}

impl TaskForm {
    /// The code the open data writes (`form` of a task row).
    pub fn code(self) -> &'static str {
        match self {
            TaskForm::FrontMatter => "front-matter",
            TaskForm::Table => "table",
            TaskForm::Labelled => "labelled",
            TaskForm::UnitHeaded => "unit-headed",
        }
    }
}

/// What a document says about one task, carried unchanged from where it is read to the
/// published [`Task`]. `U` is how units are referenced: as written (`String`: the cells of the
/// lead and support columns or keys, then the names split from them) until resolution, then
/// [`UnitId`]. `D` is the deadline: its text as written (`Option<String>`) until drafting reads
/// it, then a [`Deadline`] (which keeps the text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TaskContent<U = UnitId, D = Deadline> {
    /// The group or section it belongs to (`group:`, a group row, the enclosing heading).
    pub group: Option<String>,
    /// The task text: plain text, inline Markdown flattened. Detail sub-bullets of a
    /// unit-headed task follow on their own lines, each starting with "- ".
    pub text: String,
    /// The deliverable ("Sản phẩm").
    pub product: Option<String>,
    /// The lead unit(s).
    pub lead: Vec<U>,
    /// The supporting unit(s).
    pub support: Vec<U>,
    pub due: D,
    /// True when `due` came from an enclosing heading rather than the task itself.
    pub due_inherited: bool,
    /// The budget ("Kinh phí") as written.
    pub budget: Option<String>,
    /// The note ("Ghi chú") as written.
    pub note: Option<String>,
    /// The progress written on the task itself (front matter `status:`).
    pub status: Option<Status>,
    /// How it was written.
    pub form: TaskForm,
}

/// The content as a document writes it: unit cells and the deadline text.
pub type WrittenContent = TaskContent<String, Option<String>>;

impl<U, D> TaskContent<U, D> {
    /// The same content at the next stage: the units (lead, then support) and the deadline
    /// turned by `units` and `due`; every other field moves as it is.
    pub fn map<V, E>(
        self,
        mut units: impl FnMut(Vec<U>) -> Vec<V>,
        due: impl FnOnce(D) -> E,
    ) -> TaskContent<V, E> {
        let TaskContent {
            group,
            text,
            product,
            lead,
            support,
            due: written_due,
            due_inherited,
            budget,
            note,
            status,
            form,
        } = self;
        TaskContent {
            group,
            text,
            product,
            lead: units(lead),
            support: units(support),
            due: due(written_due),
            due_inherited,
            budget,
            note,
            status,
            form,
        }
    }
}

/// Days before a deadline from which a task counts as "sắp đến hạn".
pub const DUE_SOON_DAYS: i32 = 30;

/// A task's state before progress reports are read (a status written on the plan's own task
/// counts as of no date); [`crate::progress::apply`] computes the final one.
pub fn task_state(status: Option<Status>, due: &Deadline, today: Date) -> State {
    crate::progress::task_state(status.map(|s| (s, None)), due.end, today).0
}

/// One task, whatever form it was written in. Derefs to its [`TaskContent`], so `task.text`
/// and `task.due` read through.
#[derive(Debug, Clone)]
pub struct Task {
    pub doc: DocId,
    /// Label shown in the TT column ("1.a", "3", "b").
    pub label: String,
    /// Anchor on the document page, unique within the document (`nv-1-a`).
    pub anchor: String,
    pub content: TaskContent,
    pub state: State,
    /// 1-based line in the source file.
    pub line: usize,
    // progress (issue 17)
    /// Reports on this task, oldest first; the last one is the current status.
    pub history: Vec<crate::progress::Entry>,
    /// Reported done after its deadline.
    pub late: bool,
}

impl std::ops::Deref for Task {
    type Target = TaskContent;
    fn deref(&self) -> &TaskContent {
        &self.content
    }
}
