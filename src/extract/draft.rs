//! Task drafting: one parsed document → its tasks as [`Draft`]s, front-matter tasks first,
//! then those read from the body. Per document and in parallel: unit names are split and
//! deadlines read here, leaving only the registry lookups (see [`super::resolve`]) sequential.

use std::collections::BTreeMap;

use crate::diag::LineIndex;
use crate::extract::deadline::parse_deadline_at;
use crate::extract::memo;
use crate::extract::tasks::{extract_tasks, RawTask};
use crate::extract::units::UnitRegistry;
use crate::model::{Shared, TaskContent, WrittenContent};
use crate::parse::document::ParsedDoc;

/// A task before its units are resolved: everything that can be worked out per document, in
/// parallel (name splitting, deadline reading), leaving only the registry lookups sequential.
/// Derefs to its [`TaskContent`], whose units are the names split from the written cells.
#[derive(Clone, Hash)]
pub struct Draft {
    /// The label as written, trimmed, and qualified by its group when used twice ("2.a").
    pub label: Option<String>,
    pub content: TaskContent<Vec<String>>,
    /// 1-based line in the source file.
    pub line: usize,
}

impl std::ops::Deref for Draft {
    type Target = TaskContent<Vec<String>>;
    fn deref(&self) -> &TaskContent<Vec<String>> {
        &self.content
    }
}

pub fn body_tasks(doc: &ParsedDoc, registry: &UnitRegistry) -> Vec<(RawTask, usize)> {
    let names_unit = |t: &str| registry.names_unit(t);
    let body = doc.body();
    let index = LineIndex::new(&doc.source.text);
    extract_tasks(body, &names_unit)
        .into_iter()
        .map(|t| {
            let line = index.line(doc.body_offset + t.offset);
            (t, line)
        })
        .collect()
}

/// [`UnitRegistry::split_names`], remembered per worker thread: the same few hundred cells
/// ("Sở Nội vụ", "UBND các huyện, thành phố") recur across thousands of documents.
fn split_names_cached(registry: &UnitRegistry, cell: &str) -> Vec<String> {
    /// Entries kept per thread before the memo starts over (bounds memory on odd corpora).
    const MAX_ENTRIES: usize = 50_000;
    thread_local! {
        static MEMO: std::cell::RefCell<memo::Memo<Vec<String>>> = Default::default();
    }
    memo::remembered(&MEMO, registry.generation(), MAX_ENTRIES, cell, || {
        registry.split_names(cell)
    })
}

/// Front-matter tasks then body tasks of one document, as drafts.
pub fn drafts(doc: &ParsedDoc, raw: Vec<(RawTask, usize)>, registry: &UnitRegistry) -> Vec<Draft> {
    let split = |cells: &[String]| -> Vec<String> {
        cells
            .iter()
            .flat_map(|c| split_names_cached(registry, c))
            .collect()
    };
    // Relative deadlines ("trong 05 ngày làm việc") count from the document's date.
    let draft = |label: Option<String>, content: WrittenContent, line: usize| Draft {
        label,
        content: content.map(
            |cells| split(&cells),
            |due| parse_deadline_at(due.as_deref().unwrap_or(""), doc.year, doc.date),
        ),
        line,
    };
    let front_matter = doc
        .tasks
        .iter()
        .map(|t| draft(t.label.clone(), t.content.clone(), t.line));
    let body = raw
        .into_iter()
        .map(|(t, line)| draft(t.label, t.content, line));
    let mut out: Vec<Draft> = front_matter.chain(body).collect();
    qualify_labels(&mut out);
    out
}

/// Plans number items per group ("a", "b" under "1.", again under "2."): a label used twice
/// in one document gets its group's ordinal ("2.a"), so TT and anchors say which one.
fn qualify_labels(drafts: &mut [Draft]) {
    // "a)" and "3." as written become "a" and "3": the TT column and anchors need no punctuation.
    for d in drafts.iter_mut() {
        d.label = d
            .label
            .take()
            .map(|l| l.trim().trim_end_matches([')', '.']).to_string())
            .filter(|l| !l.is_empty());
    }
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for d in drafts.iter() {
        if let Some(l) = &d.label {
            *count.entry(l.clone()).or_default() += 1;
        }
    }
    let mut group_no = 0;
    let mut last_group: Option<Shared> = None;
    for d in drafts.iter_mut() {
        if d.group != last_group {
            group_no += 1;
            last_group = d.group.clone();
        }
        if let Some(l) = &d.label {
            if count.get(l).copied().unwrap_or(0) > 1 && d.group.is_some() {
                d.label = Some(format!("{group_no}.{l}"));
            }
        }
    }
}
