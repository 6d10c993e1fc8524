//! A task as each stage holds it. What a document says about a task — its text, units,
//! deadline, product, budget, note, status, the form it was written in — is declared once, in
//! [`TaskContent`], and every stage embeds it: the front-matter task (`parse::document::FmTask`),
//! the body task (`extract::tasks::RawTask`), the draft (`extract::draft::Draft`) and the
//! published [`Task`]. The stages differ only in how units and the deadline are referenced
//! (written cells and text, split names and a reading, unit ids), which are the type parameters.

use jiff::civil::Date;
use serde::Serialize;

use super::{Deadline, DocId, Shared, State, Status, UnitId};

/// The written form a task was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Hash, serde::Deserialize)]
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
/// published [`Task`]. `U` is how a task's units are referenced: as written (`Vec<String>`: the
/// cells of the lead and support columns or keys, then the names split from them) until
/// resolution, then [`UnitIds`]. `D` is the deadline: its text as written (`Option<String>`)
/// until drafting reads it, then a [`Deadline`] (which keeps the text).
///
/// Strings are `Box<str>` rather than `String`: a published site holds 1.5 M tasks at
/// 100,000 documents, and a box is two words with no spare capacity where a string is three.
/// The strings whose values recur across tasks (group, product, budget here; a task's label
/// and anchor, a deadline's text and rule) are [`Shared`], so resolution can make the tasks
/// that say the same thing hold one copy of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct TaskContent<U = UnitIds, D = Deadline> {
    /// The group or section it belongs to (`group:`, a group row, the enclosing heading).
    pub group: Option<Shared>,
    /// The task text: plain text, inline Markdown flattened. Detail sub-bullets of a
    /// unit-headed task follow on their own lines, each starting with "- ".
    pub text: Box<str>,
    /// The deliverable ("Sản phẩm").
    pub product: Option<Shared>,
    /// The lead unit(s).
    pub lead: U,
    /// The supporting unit(s).
    pub support: U,
    pub due: D,
    /// True when `due` came from an enclosing heading rather than the task itself.
    pub due_inherited: bool,
    /// The budget ("Kinh phí") as written.
    pub budget: Option<Shared>,
    /// The note ("Ghi chú") as written.
    pub note: Option<Box<str>>,
    /// The progress written on the task itself (front matter `status:`).
    pub status: Option<Status>,
    /// How it was written.
    pub form: TaskForm,
}

/// The content as a document writes it: unit cells and the deadline text.
pub type WrittenContent = TaskContent<Vec<String>, Option<String>>;

/// A published task's lead or support units, boxed: no spare capacity, and two words.
pub type UnitIds = Box<[UnitId]>;

impl<U, D> TaskContent<U, D> {
    /// The same content at the next stage: the units (lead, then support) and the deadline
    /// turned by `units` and `due`; every other field moves as it is.
    pub fn map<V, E>(
        self,
        mut units: impl FnMut(U) -> V,
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
/// and `task.due` read through. Kept compact (boxed strings and lists, a 32-bit line): a
/// 100,000-document site holds 1.5 M of them from assembly to the end of the build.
#[derive(Debug, Clone, Hash)]
pub struct Task {
    pub doc: DocId,
    /// Label shown in the TT column ("1.a", "3", "b").
    pub label: Shared,
    /// Anchor on the document page, unique within the document (`nv-1-a`).
    pub anchor: Shared,
    pub content: TaskContent,
    // progress (issue 17)
    /// Reports on this task, oldest first; the last one is the current status. Empty (no
    /// allocation) for most tasks.
    pub history: Box<[crate::progress::Entry]>,
    /// 1-based line in the source file.
    pub line: u32,
    pub state: State,
    /// Reported done after its deadline.
    pub late: bool,
}

impl std::ops::Deref for Task {
    type Target = TaskContent;
    fn deref(&self) -> &TaskContent {
        &self.content
    }
}
