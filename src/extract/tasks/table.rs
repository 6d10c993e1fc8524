//! Task tables: a GFM table whose header names Vietnamese task columns.
//!
//! Takes a [`Block`] of kind `Table` and returns its rows as [`RawTask`]s (group filled from
//! group rows only; the walker adds the heading context), or `None` when the header does not
//! describe tasks (it needs a text column and a lead or deadline column) or the table is the
//! step table of an administrative procedure (see [`is_procedure`]).

use super::labelled::{classify, Field};
use super::not_task::is_duration;
use super::{
    clean, non_empty, split_enum, strip_title, Block, Kind, NumStyle, RawTask, TaskForm,
    WrittenContent,
};
use crate::model::Shared;
use crate::text::fold;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Text,
    Data(Field),
}

/// Classifies one header cell.
fn classify_header(cell: &str) -> Option<Column> {
    let f = fold(cell);
    if let Some(field) = classify(&f) {
        return Some(Column::Data(field));
    }
    let text_words = [
        "noi dung",
        "nhiem vu",
        "ten nhiem vu",
        "cong viec",
        "hoat dong",
        "giai phap",
    ];
    if text_words.iter().any(|w| f.starts_with(w)) || f.contains("noi dung") {
        return Some(Column::Text);
    }
    if matches!(
        f.as_str(),
        "tt" | "stt" | "so tt" | "so thu tu" | "thu tu" | "so" | "ma"
    ) {
        return Some(Column::Id);
    }
    None
}

/// The column index of each field; the first column naming a field wins.
#[derive(Debug, Default)]
struct Layout {
    columns: Vec<Option<Column>>,
}

impl Layout {
    fn from_header(header: &Block) -> Layout {
        let mut seen: Vec<Column> = Vec::new();
        let columns = header
            .children
            .iter()
            .map(|cell| {
                let col = classify_header(&cell.text)?;
                if seen.contains(&col) {
                    return None;
                }
                seen.push(col);
                Some(col)
            })
            .collect();
        Layout { columns }
    }

    fn has(&self, col: Column) -> bool {
        self.columns.contains(&Some(col))
    }

    fn is_task_table(&self) -> bool {
        self.has(Column::Text)
            && (self.has(Column::Data(Field::Lead)) || self.has(Column::Data(Field::Due)))
    }

    /// The cleaned, non-empty text of the cell holding `col` in `row`.
    fn cell(&self, row: &Block, col: Column) -> Option<String> {
        let index = self.columns.iter().position(|c| *c == Some(col))?;
        row.children
            .get(index)
            .and_then(|cell| non_empty(&cell.text))
    }
}

/// Extracts the tasks of a task table, or `None` if `table` is not one.
pub(super) fn extract(table: &Block) -> Option<Vec<RawTask>> {
    let header = table.children.first().filter(|r| r.kind == Kind::Row)?;
    let layout = Layout::from_header(header);
    if !layout.is_task_table() || is_procedure(&layout, header, table) {
        return None;
    }
    let mut group: Option<Shared> = None;
    let mut tasks = Vec::new();
    for row in table.children.iter().skip(1) {
        match read_row(&layout, row) {
            RowKind::Empty => {}
            RowKind::Group(title) => group = Some(title.into()),
            RowKind::Task(task) => {
                let mut task = *task;
                task.group.clone_from(&group);
                tasks.push(task);
            }
        }
    }
    Some(tasks)
}

/// A procedure table ("Bước / Nội dung công việc / Đơn vị thực hiện / Thời gian") lists the
/// steps of handling one application, each with a processing time, and assigns no work: its
/// header names steps, a procedure or its legal basis, or most of its time cells are
/// durations ("0,5 ngày", "02 ngày làm việc") rather than deadlines, or most of its rows are
/// "Bước N".
fn is_procedure(layout: &Layout, header: &Block, table: &Block) -> bool {
    const HEADER_WORDS: [&str; 6] = [
        "trinh tu",
        "quy trinh",
        "giai quyet",
        "can cu phap ly",
        "thanh phan ho so",
        "trach nhiem xu ly",
    ];
    let names_procedure = header.children.iter().any(|cell| {
        let f = fold(&cell.text);
        f.split_whitespace().any(|w| w == "buoc") || HEADER_WORDS.iter().any(|w| f.contains(w))
    });
    if names_procedure {
        return true;
    }
    let rows = table.children.get(1..).unwrap_or_default();
    let share = |col: Column, test: &dyn Fn(&str) -> bool| {
        let cells: Vec<String> = rows.iter().filter_map(|r| layout.cell(r, col)).collect();
        let hits = cells.iter().filter(|c| test(&fold(c))).count();
        !cells.is_empty() && hits * 2 > cells.len()
    };
    share(Column::Data(Field::Due), &is_duration)
        || share(Column::Text, &|f| {
            f.strip_prefix("buoc ")
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
}

enum RowKind {
    Empty,
    Group(String),
    Task(Box<RawTask>),
}

const DATA: [Field; 6] = [
    Field::Product,
    Field::Lead,
    Field::Support,
    Field::Due,
    Field::Budget,
    Field::Note,
];

/// Decides what one body row is: nothing, a group heading or a task.
fn read_row(layout: &Layout, row: &Block) -> RowKind {
    // A row whose only filled cell is a heading ("**1. Nhóm một**") opens a group, whatever
    // column that cell stands in.
    let mut filled = row.children.iter().filter(|c| !c.text.trim().is_empty());
    if let (Some(only), None) = (filled.next(), filled.next()) {
        if is_heading_cell(only) {
            let title = strip_title(&only.text);
            if !title.is_empty() {
                return RowKind::Group(title);
            }
        }
    }
    let has_data = DATA
        .iter()
        .any(|f| layout.cell(row, Column::Data(*f)).is_some());
    let text = layout.cell(row, Column::Text);
    if !has_data {
        // A row that fills only its TT and/or text cell ("I" + "CẢI CÁCH THỂ CHẾ", or
        // "**1. Công tác thông tin, tuyên truyền**" in one cell) opens a group.
        let title = text
            .or_else(|| layout.cell(row, Column::Id))
            .or_else(|| row.children.iter().find_map(|c| non_empty(&c.text)));
        return match title.map(|t| strip_title(&t)).filter(|t| !t.is_empty()) {
            Some(t) => RowKind::Group(t),
            None => RowKind::Empty,
        };
    }
    // A data row without text continues a merged cell of the row above: not a task.
    let Some(text) = text else {
        return RowKind::Empty;
    };
    let data = |f: Field| layout.cell(row, Column::Data(f));
    RowKind::Task(Box::new(RawTask {
        label: layout.cell(row, Column::Id),
        content: WrittenContent {
            text: clean(&text).into(),
            product: data(Field::Product).map(Into::into),
            lead: data(Field::Lead).into_iter().collect(),
            support: data(Field::Support).into_iter().collect(),
            due: data(Field::Due),
            budget: data(Field::Budget).map(Into::into),
            note: data(Field::Note).map(Into::into),
            form: TaskForm::Table,
            ..WrittenContent::default()
        },
        offset: row.offset,
    }))
}

/// A cell that reads as a group heading: all bold, or numbered "1." / "II." with a short
/// title (a deadline or unit continuing a merged cell is neither).
fn is_heading_cell(cell: &Block) -> bool {
    if cell.all_bold() {
        return cell.text.chars().any(char::is_alphanumeric);
    }
    let text = clean(&cell.text);
    match split_enum(&text) {
        Some((_, NumStyle::Roman | NumStyle::Digit, rest)) => {
            rest.chars().next().is_some_and(char::is_alphabetic)
                && rest.split(' ').count() <= 20
                && !rest.ends_with(['.', ';', ','])
        }
        _ => false,
    }
}
