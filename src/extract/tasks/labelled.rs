//! Labelled lists: "a) task text" followed by "- Đơn vị chủ trì: …", "- Thời gian: …" lines.
//!
//! Takes lines and blocks of the tree and returns [`Labels`]; also classifies column and label
//! names ("Cơ quan (đơn vị) chủ trì", "Thoi gian thuc hien"…) into [`Field`]s, which the task
//! table reuses for its header. Names are matched on `crate::text::fold`, so diacritics, case
//! and punctuation do not matter.

use super::{clean, non_empty, Block, Kind};
use crate::text::fold;

/// A data field of a task, named by a label or a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Lead,
    Support,
    Product,
    Due,
    Budget,
    Note,
}

/// The labelled values found for one task; the first value of each field wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Labels {
    pub(super) lead: Option<String>,
    pub(super) support: Option<String>,
    pub(super) product: Option<String>,
    pub(super) due: Option<String>,
    pub(super) budget: Option<String>,
    pub(super) note: Option<String>,
    /// The field of the last label read, so wrapped values can be continued.
    last: Option<Field>,
}

impl Labels {
    /// Only items that name a lead unit or a deadline are tasks.
    pub(super) fn is_task(&self) -> bool {
        self.lead.is_some() || self.due.is_some()
    }

    fn slot(&mut self, field: Field) -> &mut Option<String> {
        match field {
            Field::Lead => &mut self.lead,
            Field::Support => &mut self.support,
            Field::Product => &mut self.product,
            Field::Due => &mut self.due,
            Field::Budget => &mut self.budget,
            Field::Note => &mut self.note,
        }
    }

    fn set(&mut self, field: Field, value: &str) {
        let slot = self.slot(field);
        if slot.is_none() {
            *slot = non_empty(trim_value(value));
            self.last = Some(field);
        } else {
            self.last = None;
        }
    }

    /// Appends a wrapped line to the value of the last label.
    fn continue_last(&mut self, line: &str) {
        let Some(field) = self.last else { return };
        let slot = self.slot(field);
        let joined = match slot.take() {
            Some(v) => format!("{v} {line}"),
            None => line.to_string(),
        };
        *slot = non_empty(trim_value(&joined));
    }

    /// Takes the fields `self` lacks from `other`.
    pub(super) fn merge(&mut self, other: Labels) {
        for (field, value) in other.into_pairs() {
            let slot = self.slot(field);
            if slot.is_none() {
                *slot = Some(value);
            }
        }
        self.last = None;
    }

    fn into_pairs(self) -> impl Iterator<Item = (Field, String)> {
        [
            (Field::Lead, self.lead),
            (Field::Support, self.support),
            (Field::Product, self.product),
            (Field::Due, self.due),
            (Field::Budget, self.budget),
            (Field::Note, self.note),
        ]
        .into_iter()
        .filter_map(|(f, v)| v.map(|v| (f, v)))
    }

    fn is_empty(&self) -> bool {
        self.lead.is_none()
            && self.support.is_none()
            && self.product.is_none()
            && self.due.is_none()
            && self.budget.is_none()
            && self.note.is_none()
    }
}

/// Trailing punctuation of a value ("Tháng 10/2022.") is not part of it.
fn trim_value(v: &str) -> &str {
    v.trim().trim_end_matches(['.', ';', ',', ' '])
}

/// Classifies a folded column or label name into a data field.
pub(super) fn classify(f: &str) -> Option<Field> {
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| f.starts_with(p));
    if starts(&[
        "thoi gian",
        "thoi han",
        "tien do",
        "han hoan thanh",
        "thoi diem",
    ]) {
        return Some(Field::Due);
    }
    if starts(&["kinh phi", "du toan", "nguon kinh phi", "nguon von"]) {
        return Some(Field::Budget);
    }
    if starts(&["ghi chu"]) {
        return Some(Field::Note);
    }
    if starts(&["san pham", "ket qua dau ra"]) {
        return Some(Field::Product);
    }
    let unit_word = starts(&["co quan", "don vi", "bo phan"]);
    // OCR often garbles the vowel ("phéi hop", "chil tri"): the last word still tells.
    if f.contains("phoi hop") || (unit_word && f.ends_with(" hop")) {
        return Some(Field::Support);
    }
    if f.contains("chu tri")
        || f.contains("tham muu")
        || (unit_word && (f.ends_with(" tri") || f.ends_with("thuc hien")))
    {
        return Some(Field::Lead);
    }
    None
}

/// Parses one label line ("- Đơn vị chủ trì: Sở Nội vụ"): the field and the value.
pub(super) fn parse_label_line(line: &str) -> Option<(Field, &str)> {
    let t = line
        .trim_start()
        .trim_start_matches(['-', '+', '*', '•', '–', '—'])
        .trim_start();
    let (key, value) = t.split_once(':')?;
    let f = fold(key);
    // A long "key" is a sentence that happens to contain a colon, not a label.
    if f.is_empty() || f.split(' ').count() > 8 {
        return None;
    }
    let first_ok = [
        "thoi", "tien", "han", "kinh", "du", "nguon", "ghi", "san", "ket", "co", "don", "bo",
        "chu", "phoi",
    ]
    .iter()
    .any(|w| f.split(' ').next() == Some(*w));
    if !first_ok {
        return None;
    }
    classify(&f).map(|field| (field, value))
}

/// Splits a paragraph's lines into the head (lines before the first label line) and the
/// labels of the lines after it; lines that are not labels continue the previous value.
pub(super) fn split_lines(text: &str) -> (String, Labels) {
    let mut head = String::new();
    let mut labels = Labels::default();
    let mut in_labels = false;
    for line in text.lines() {
        match parse_label_line(line) {
            Some((field, value)) => {
                in_labels = true;
                labels.set(field, value);
            }
            None if in_labels => labels.continue_last(line.trim()),
            None => {
                head.push(' ');
                head.push_str(line);
            }
        }
    }
    (clean(&head), labels)
}

/// True when every line of a paragraph is a label or a continuation after one.
pub(super) fn is_label_paragraph(block: &Block) -> bool {
    block.kind == Kind::Paragraph
        // Most paragraphs are prose: a first line that is not a label would start the head,
        // so it settles the answer without splitting (and cleaning) the whole paragraph.
        && block
            .text
            .lines()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| parse_label_line(l).is_some())
        && {
            let (head, labels) = split_lines(&block.text);
            head.is_empty() && !labels.is_empty()
        }
}

/// True when a list holds label lines (its first item is one).
pub(super) fn is_label_list(block: &Block) -> bool {
    block.kind == Kind::List
        && block
            .children
            .first()
            .and_then(|item| item.head_and_rest().0)
            .is_some_and(is_label_paragraph)
}

/// The labels of a label list; an empty value followed by a nested list takes the nested
/// items ("- Sản phẩm:" then "+ Kế hoạch …" lines) joined by "; ".
pub(super) fn labels_of_list(list: &Block) -> Labels {
    let mut labels = Labels::default();
    for item in &list.children {
        let (head, rest) = item.head_and_rest();
        let Some(head) = head else { continue };
        let (_, mut own) = split_lines(&head.text);
        if let Some(field) = own.last {
            if own.slot(field).is_none() {
                let nested: Vec<String> = rest
                    .iter()
                    .filter(|b| b.kind == Kind::List)
                    .flat_map(|l| l.children.iter())
                    .filter_map(|i| i.head_and_rest().0)
                    .map(|p| clean(&p.text))
                    .collect();
                own.continue_last(&nested.join("; "));
            }
        }
        labels.merge(own);
    }
    labels
}

/// Labels carried by the blocks after a head: label paragraphs and label lists.
pub(super) fn labels_of_blocks(blocks: &[Block]) -> Labels {
    let mut labels = Labels::default();
    for b in blocks {
        if is_label_paragraph(b) {
            labels.merge(split_lines(&b.text).1);
        } else if is_label_list(b) {
            labels.merge(labels_of_list(b));
        }
    }
    labels
}

/// True when some task in `blocks` (at any depth) carries its own lead or deadline label:
/// then the enclosing item is a group of tasks, not one task.
pub(super) fn carries_tasks(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| match b.kind {
        Kind::Paragraph => split_lines(&b.text).1.is_task(),
        Kind::List if is_label_list(b) => labels_of_list(b).is_task(),
        Kind::List => b.children.iter().any(|item| {
            let (head, rest) = item.head_and_rest();
            head.is_some_and(|h| split_lines(&h.text).1.is_task())
                || labels_of_blocks(rest).is_task()
                || carries_tasks(rest)
        }),
        Kind::Quote => carries_tasks(&b.children),
        _ => false,
    })
}
