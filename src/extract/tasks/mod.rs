//! Task extraction from a document's Markdown body.
//!
//! Takes the body (front matter already removed, NFC text) and a `names_unit` predicate, and
//! returns the tasks written in the body as [`RawTask`] records, in document order. Three written
//! forms are recognised (CONTENT-FORMAT.md, "Tasks may also be written in the body"):
//! task tables (`table`), labelled lists (`labelled`) and unit-headed sections
//! (`unit_headed`).
//!
//! The body is parsed once with pulldown-cmark into a small block tree (`tree`), which is
//! then walked with a stack of heading contexts. The headings decide what may yield tasks at
//! all (results sections never do; the closing "Tổ chức thực hiện" only with a deadline), the
//! period a task inherits ("… 6 tháng cuối năm 2023"), the unit a section is about and the
//! group a task belongs to. Nesting deeper than `MAX_DEPTH` is dropped, so hostile input
//! (10,000 nested lists or quotes) stays linear and never overflows the stack.

mod articles;
mod assign;
mod html_table;
mod labelled;
mod not_task;
mod table;
mod tree;
mod unit_headed;
mod walk;
mod words;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_context;
#[cfg(test)]
mod tests_corpus;
#[cfg(test)]
mod tests_realdocs;

use crate::model::{TaskForm, WrittenContent};
use tree::{build_tree, Block, Kind};
use walk::{Scope, Walker};
#[cfg(test)]
use words::MAX_TITLE;
use words::{clean, non_empty, split_enum, strip_title, word_ranges, NumStyle};

/// One task as written in the body, before units and deadlines are resolved: the lead and
/// support cells as written (at most one each; drafting splits them into units) and the
/// deadline text. Derefs to its [`WrittenContent`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawTask {
    /// The TT / "a)" / "1." label as written, if any.
    pub label: Option<String>,
    pub content: WrittenContent,
    /// Byte offset in the body where the task starts.
    pub offset: usize,
}

impl std::ops::Deref for RawTask {
    type Target = WrittenContent;
    fn deref(&self) -> &WrittenContent {
        &self.content
    }
}

impl std::ops::DerefMut for RawTask {
    fn deref_mut(&mut self) -> &mut WrittenContent {
        &mut self.content
    }
}

/// Extracts every task written in `body` (tables, labelled lists, unit-headed sections).
///
/// `names_unit(text)` says whether a heading or numbered line names a unit; it is called with
/// the leading numbering ("3.", "a)") and a trailing ":" already removed.
pub fn extract_tasks(body: &str, names_unit: &dyn Fn(&str) -> bool) -> Vec<RawTask> {
    let blocks = build_tree(body);
    let mut walker = Walker::new(names_unit);
    walker.walk(&blocks, &Scope::default());
    walker.into_tasks()
}
