//! Texts and places that look like tasks but are not (issue 15, read on real documents).
//!
//! Takes a candidate task's text, or a block's neighbours, and answers whether it is
//! something else: a "Căn cứ" citation, a processing duration or bare number ("0,5 ngày làm
//! việc", "442"), a procedure step ("Bước 3"), a form field to fill ("Ngày nhận: ……"), or a
//! stray cell of a table the copy broke into pieces, a title in capitals, a question, the
//! title of a regulation article ("Điều 5. Thời hạn giải quyết hồ sơ"). Matching is on folded words
//! (`crate::text::fold`), so it works with and without diacritics.

use super::tree::{Block, Kind};
use super::{unit_headed, RawTask};
use crate::text::fold;

/// True when `task` is not a task whatever its context: see [`is_not_task`], plus a
/// deadline that is a processing time ("Thời hạn giải quyết: 12 ngày làm việc" describes a
/// procedure) or a blank one ("Từ ngày … đến ngày …").
pub(super) fn rejects(task: &RawTask) -> bool {
    if is_not_task(&task.text) {
        return true;
    }
    let due = task.due.as_deref().unwrap_or_default();
    is_duration(&fold(due)) || is_form_field(due) || is_blank(due)
}

/// True when `text` cannot be a task whatever its context.
pub(super) fn is_not_task(text: &str) -> bool {
    let f = fold(text.trim());
    [
        "can cu ",
        "theo de nghi ",
        "chiu trach nhiem truoc",
        "chiu trach nhiem toan dien",
        // "Thời hạn chậm nhất 05 ngày làm việc …": the deadline of the task above.
        "thoi han ",
    ]
    .iter()
    .any(|w| f.starts_with(w))
        || is_step(&f)
        || (f.split_whitespace().count() <= 8 && is_duration(&f))
        || is_bare_number(&f)
        || is_title(text)
        || is_label(&f)
        || text.contains('?')
        || is_if_problems(&f)
        || unit_headed::article_title(&f).is_some_and(|t| t.split_whitespace().count() <= 12)
        || is_form_field(text)
}

/// "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc … báo cáo": the closing formula
/// asking to report problems should they arise, not work assigned.
fn is_if_problems(f: &str) -> bool {
    f.starts_with("trong qua trinh") && f.contains(" neu ")
}

/// "442", "60%", "2.1": an amount or a cell number, no words.
fn is_bare_number(f: &str) -> bool {
    f.chars().any(|c| c.is_ascii_digit()) && !f.chars().any(char::is_alphabetic)
}

/// A line in capitals ("QUYẾT ĐỊNH:", "THỜI GIAN VÀ PHẠM VI") is a title, never a task.
fn is_title(text: &str) -> bool {
    text.chars().any(char::is_alphabetic) && !text.chars().any(char::is_lowercase)
}

/// "Tên nhiệm vụ:", "Mã số (nếu có):": a short field name waiting for its value.
fn is_label(f: &str) -> bool {
    f.ends_with(':') && f.split_whitespace().count() <= 5
}

/// "Bước 3", "Bước 3:" — a step of a procedure.
fn is_step(f: &str) -> bool {
    f.strip_prefix("buoc ")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// A processing time, not a deadline: "0,5 ngày", "1/2 ngày", "02 ngày làm việc",
/// "04 giờ làm việc", "Không quá 05 ngày", "Trong thời hạn 15 ngày kể từ …". A calendar date
/// ("trước ngày 30/6/2024") or a year is never a duration.
pub(super) fn is_duration(f: &str) -> bool {
    if f.contains("lam viec") && (f.contains("ngay") || f.contains("gio")) && !has_year(f) {
        return true;
    }
    let words: Vec<&str> = f
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    // "<number> ngày|giờ" where the number is not a day of the month ("ngày 15").
    let counted = words.windows(2).any(|w| {
        let [n, unit] = w else { return false };
        is_amount(n) && matches!(*unit, "ngay" | "gio" | "phut")
    });
    counted && !has_year(f) && !f.contains("truoc ngay") && !f.contains("cham nhat")
}

/// "5", "05", "0,5", "1/2", "1/4": a count of days or hours.
fn is_amount(w: &str) -> bool {
    !w.is_empty()
        && w.len() <= 4
        && w.chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.' || c == '/')
        && w.starts_with(|c: char| c.is_ascii_digit())
}

/// A four-digit year ("2024", "6/2024") anywhere in the folded text.
fn has_year(f: &str) -> bool {
    f.split(|c: char| !c.is_ascii_digit())
        .any(|d| d.len() == 4 && (d.starts_with("19") || d.starts_with("20")))
}

/// A deadline left blank: "**", "Từ ngày … đến ngày …" (a form's placeholder).
fn is_blank(due: &str) -> bool {
    let no_content = !due.is_empty() && !due.chars().any(char::is_alphanumeric);
    let placeholder = due.contains('…') && !due.chars().any(|c| c.is_ascii_digit());
    no_content || placeholder
}

/// A line of a form to fill in: dotted leaders ("Ngày nhận: ……", "Điện thoại: ......").
pub(super) fn is_form_field(text: &str) -> bool {
    ["……", "…..", "....", "…/…", "…/"]
        .iter()
        .any(|leader| text.contains(leader))
}

/// The paragraph at `blocks[i]` sits between two tables: a cell of a table the copy broke
/// into pieces (a fee amount, a procedure step), not a unit heading or a task.
pub(super) fn between_tables(blocks: &[Block], i: usize) -> bool {
    let is_table = |b: Option<&Block>| b.is_some_and(|b| b.kind == Kind::Table);
    i > 0 && is_table(blocks.get(i - 1)) && is_table(blocks.get(i + 1))
}

#[cfg(test)]
#[path = "not_task_tests.rs"]
mod tests;
