//! Task rows written straight to HTML: the full record on a document page, and the compact
//! row every list shows (task table and its filters, unit pages, calendars).
//!
//! A national portal has hundreds of thousands of tasks and every one appears on several
//! pages (its document, the task table and its filters, each of its units, each month it
//! falls in). Building a template value per row and interpreting a template loop per cell was
//! most of a build, so rows are written here, once per page, with every text escaped; the
//! tables around them (`partials/task_table.html`, `partials/compact_table.html`) stay
//! templates a theme can change.
//!
//! The full record (products, units, budget, notes, report history) lives only on the
//! document page; a list row keeps what a reader scans for — the label linking to that
//! record, a short form of the text, the deadline as written with its reading, the state —
//! so that the lists stay a small part of the site's bytes.

use jiff::civil::Date;
use serde::Serialize;

use crate::model::{DocId, Site, State, Task, TaskId, UnitId};
use crate::render::spans::Shape;
use crate::render::view::{
    date_vi, doc_dir, doc_label, push_date_iso, push_date_vi, shorten, unit_dir,
};
use crate::text::escape_html_into as esc;

/// Characters of task text a compact row shows (cut at a word, with "…").
pub const SHORT_TEXT: usize = 50;

/// The full `<tr>` rows of `ids` on their document's page, in order. `root` leads from the
/// page to the site root (for unit and report links).
pub fn rows_html(site: &Site, ids: &[TaskId], root: &str) -> String {
    let mut out = String::with_capacity(ids.len() * 700);
    for &id in ids {
        if let Some(t) = site.tasks.get(id) {
            push_row(&mut out, site, t, root);
        }
    }
    out
}

fn push_row(out: &mut String, site: &Site, t: &Task, root: &str) {
    // The row is the anchor every list links to; its label links to itself. Optional end
    // tags are left out, as in compact rows.
    out.push_str("<tr id=");
    push_value(out, "", &t.anchor);
    out.push_str("><td><a href=");
    push_value(out, "#", &t.anchor);
    out.push('>');
    esc(out, &t.label);
    out.push_str("</a><td>");
    esc(out, &t.text);
    if let Some(b) = &t.budget {
        out.push_str("<br><small>Kinh phí: ");
        esc(out, b);
        out.push_str("</small>");
    }
    if let Some(n) = &t.note {
        out.push_str("<br><small>Ghi chú: ");
        esc(out, n);
        out.push_str("</small>");
    }
    out.push_str("<td>");
    if let Some(p) = &t.product {
        esc(out, p);
    }
    out.push_str("<td>");
    push_units(out, site, &t.lead, root);
    out.push_str("<td>");
    push_units(out, site, &t.support, root);
    out.push_str("<td>");
    push_due(out, t, full_reading(site, t).as_deref());
    out.push_str("<td>");
    push_badge(out, t.state, t.due.end);
    crate::render::progress::push_history(out, site, t, root);
    out.push('\n');
}

/// How the full record reads a deadline: a repetition's count and an open start in words (the
/// plan timeline's text equivalent), other deadlines as their dates.
fn full_reading(site: &Site, t: &Task) -> Option<String> {
    match crate::render::spans::shape(&t.due, site.plan_period_end(t.doc)) {
        Some(shape @ (Shape::Repeats { .. } | Shape::Open(_))) => {
            Some(crate::render::timeline::reading(&shape))
        }
        _ => due_range(t),
    }
}

/// The deadline as written, then its `reading` and whether it came from the section heading.
fn push_due(out: &mut String, t: &Task, reading: Option<&str>) {
    if t.due.text.is_empty() {
        out.push_str("Không ghi thời hạn");
    } else {
        esc(out, &t.due.text);
    }
    if let Some(range) = reading {
        out.push_str("<br><small>");
        esc(out, range);
        out.push_str("</small>");
    }
    if t.due_inherited {
        out.push_str("<br><small>(theo mục)</small>");
    }
}

/// Unit links separated by "; ", unregistered ones marked for the stylesheet.
fn push_units(out: &mut String, site: &Site, ids: &[UnitId], root: &str) {
    let mut first = true;
    for &u in ids {
        let Some(unit) = site.units.get(u) else {
            continue;
        };
        if !first {
            out.push_str("; ");
        }
        first = false;
        out.push_str("<a href=");
        let [a, b, c] = unit_dir(&unit.slug);
        push_value_parts(out, &[root, a, b, c, "index.html"]);
        if !unit.registered {
            out.push_str(" class=unregistered");
        }
        out.push('>');
        esc(out, &unit.name);
        out.push_str("</a>");
    }
}

/// The state badge of the full record; `site.js` relabels it by the reader's date from
/// `data-end` (the state is in its class, so it is written once).
pub fn push_badge(out: &mut String, state: State, due_end: Option<Date>) {
    out.push_str("<span class=\"badge ");
    out.push_str(state_class(state));
    out.push('"');
    push_due_end(out, state, due_end);
    out.push('>');
    out.push_str(state.label());
    out.push_str("</span>");
}

/// How a compact row names a state: the label, shortened where it is long and common ("chưa
/// báo cáo", the state's own name; the full record one click away and the state filter say
/// "đã đến hạn — chưa có báo cáo kết quả"; `site.js` knows it too).
pub fn list_label(state: State) -> &'static str {
    match state {
        State::ChuaBaoCao => "Chưa báo cáo",
        s => s.label(),
    }
}

/// The class a state's colour hangs on (`s-qh`), on every list row: two letters rather than
/// the state's code, since they are repeated a million times on a national portal (the
/// stylesheet and `site.js`'s `CODES` name them).
pub fn state_class(state: State) -> &'static str {
    match state {
        State::QuaHan => "s-qh",
        State::ChuaBaoCao => "s-cb",
        State::SapDenHan => "s-sd",
        State::DangThucHien => "s-dt",
        State::ChuaDenHan => "s-cd",
        State::HoanThanh => "s-ht",
        State::TamDung => "s-td",
        State::KhongThucHien => "s-kt",
        State::KhongCoThoiHan => "s-kh",
    }
}

/// A compact row's state cell: the cell is the badge (its class colours it, its text says
/// the state), without a `<span>` inside.
fn push_badge_as(out: &mut String, state: State, due_end: Option<Date>, label: &str) {
    out.push_str("<td class=");
    out.push_str(state_class(state));
    push_due_end(out, state, due_end);
    out.push('>');
    out.push_str(label);
}

/// ` data-end=…` for a state `site.js` may move with the reader's date. It moves a state only
/// while no report settles it and the deadline has not passed: a reported state or "chưa báo
/// cáo" never changes, so its date would be bytes on every list row for nothing.
fn push_due_end(out: &mut String, state: State, due_end: Option<Date>) {
    if let Some(e) = due_end.filter(|_| state_moves(state)) {
        out.push_str(" data-end=");
        push_date_iso(out, e);
    }
}

/// Whether a state can change with the reader's date (`site.js`'s `relabel`, which skips the
/// reported states and can only turn a passed deadline into "chưa báo cáo").
fn state_moves(state: State) -> bool {
    matches!(
        state,
        State::ChuaDenHan | State::SapDenHan | State::DangThucHien
    )
}

/// The dates a deadline stands for, when its text does not already say them.
pub fn due_range(t: &Task) -> Option<String> {
    let mut out = String::with_capacity(26);
    match (t.due.start, t.due.end) {
        (Some(s), Some(e)) if s != e => {
            push_date_vi(&mut out, s);
            out.push_str(" – ");
            push_date_vi(&mut out, e);
        }
        (_, Some(e)) => {
            out.push_str("hạn ");
            push_date_vi(&mut out, e);
            if t.due.text.contains(&out["hạn ".len()..]) {
                return None;
            }
        }
        _ => return None,
    }
    Some(out)
}

/// How the rows of a compact list are gathered under group rows.
pub enum Groups<'a> {
    /// Tasks in document order: runs of one document's tasks under a row naming it (task
    /// table), or, when runs are short (a unit with one task in each of many documents), a
    /// "Văn bản" cell in each row instead — a group row per task would cost more than the task.
    ByDocument(&'a [TaskId]),
    /// As `ByDocument`, for a list ordered by plan year (the whole task table): a row naming
    /// the year opens each year and each page; the first task of a year (in `starts`) gets
    /// the year's anchor (`#nam-2024`), which the year filters link to.
    ByYear {
        ids: &'a [TaskId],
        starts: &'a std::collections::HashSet<TaskId>,
    },
    /// As `ByDocument`, for a list of one state (a state filter page, whose heading names
    /// it): no state cell.
    InState(&'a [TaskId]),
    /// Tasks under the day they fall on (`None`: no date), each naming its document
    /// (calendars, a unit's coming deadlines).
    ByDate(&'a [(Option<Date>, TaskId)]),
}

/// Shortest average run of one document's tasks that gets group rows.
const MIN_RUN: usize = 3;

/// A compact task list, ready for `partials/compact_table.html`.
#[derive(Serialize)]
pub struct CompactTable {
    /// The table's caption (names the list, and the page of it).
    pub caption: String,
    /// Rows carry a "Văn bản" cell.
    pub doc_column: bool,
    /// The `<tbody>` groups, already HTML.
    pub body: String,
    /// Number of task rows.
    pub rows: usize,
    /// Rows carry a state cell (all but a state filter's).
    pub state_column: bool,
}

/// The compact list of `groups`. Optional end tags (`</td>`, `</tr>`) are left out: they are
/// a fifth of a row's markup, and HTML parsers close the cells themselves.
pub fn compact_table(site: &Site, groups: Groups, root: &str, caption: String) -> CompactTable {
    let mut body = String::new();
    let mut rows = 0;
    let state_column = !matches!(groups, Groups::InState(_));
    let doc_column = match groups {
        Groups::ByDocument(ids) | Groups::InState(ids) => {
            by_document(&mut body, &mut rows, site, ids, root, None, state_column)
        }
        Groups::ByYear { ids, starts } => {
            by_document(&mut body, &mut rows, site, ids, root, Some(starts), true)
        }
        Groups::ByDate(items) => {
            let mut open: Option<Option<Date>> = None;
            for (day, t) in items
                .iter()
                .filter_map(|&(day, i)| Some((day, site.tasks.get(i)?)))
            {
                if open != Some(day) {
                    if open.is_some() {
                        body.push_str("</tbody>");
                    }
                    push_date_head(&mut body, day, 5);
                    open = Some(day);
                }
                push_compact(&mut body, site, t, root, true, true);
                rows += 1;
            }
            true
        }
    };
    if rows > 0 {
        body.push_str("</tbody>");
    }
    CompactTable {
        caption,
        doc_column,
        body,
        rows,
        state_column,
    }
}

/// Repeating tasks of one document that fall due on the same days of a month, with the same
/// deadline as written and the same state: one row of the month's list of repeats, under the
/// deadline and days it shares with the rows around it.
pub struct RepeatGroup {
    pub doc: DocId,
    pub ids: Vec<TaskId>,
    /// The days they fall due in the month.
    pub days: Vec<Date>,
}

/// The `<tbody>`s of a month's repeats (`groups`, in order of days and deadline): under a row
/// naming the deadline as written and the days it falls due in the month, a row per
/// document with its tasks' labels (each linking to its full record) and their state. A repeat
/// is the same work every time, so a month names it and does not spell it out again (at
/// 10,000 documents, repeats are half of all month list rows).
pub fn repeats_body(site: &Site, groups: &[RepeatGroup], root: &str) -> String {
    let mut out = String::new();
    let mut open: Option<(&[Date], &str)> = None;
    for g in groups {
        let tasks: Vec<&Task> = g.ids.iter().filter_map(|&i| site.tasks.get(i)).collect();
        let (Some(d), Some(first)) = (site.documents.get(g.doc), tasks.first()) else {
            continue;
        };
        let head = (g.days.as_slice(), &*first.due.text);
        if open != Some(head) {
            if open.is_some() {
                out.push_str("</tbody>");
            }
            out.push_str("<tbody><tr class=group-row><th colspan=3 scope=rowgroup>");
            esc(&mut out, &first.due.text);
            out.push(':');
            for (k, day) in g.days.iter().enumerate() {
                out.push_str(if k > 0 { ", " } else { " " });
                out.push_str("<time datetime=");
                push_date_iso(&mut out, *day);
                out.push('>');
                // dd/mm of dd/mm/yyyy.
                out.push_str(&date_vi(*day)[..5]);
                out.push_str("</time>");
            }
            open = Some(head);
        }
        out.push_str("<tr><th scope=row><a");
        let [a, b, c] = doc_dir(d);
        push_attr_parts(&mut out, "href", &[root, a, b, c, "index.html"]);
        out.push('>');
        esc(&mut out, &doc_short(d));
        out.push_str("</a><td>");
        for (k, t) in tasks.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            push_label_link(&mut out, d, t, root);
        }
        push_badge_as(
            &mut out,
            first.state,
            first.due.end,
            list_label(first.state),
        );
    }
    if open.is_some() {
        out.push_str("</tbody>");
    }
    out
}

/// Rows in document order under document group rows (or with a "Văn bản" cell when runs are
/// short; returns whether they have it), with year rows when `starts` is given.
#[allow(clippy::too_many_arguments)]
fn by_document(
    body: &mut String,
    rows: &mut usize,
    site: &Site,
    ids: &[TaskId],
    root: &str,
    starts: Option<&std::collections::HashSet<TaskId>>,
    state_cell: bool,
) -> bool {
    let tasks: Vec<(TaskId, &Task)> = ids
        .iter()
        .filter_map(|&i| Some((i, site.tasks.get(i)?)))
        .collect();
    let runs = 1 + tasks
        .windows(2)
        .filter(|w| w[0].1.doc != w[1].1.doc)
        .count();
    let grouped = tasks.len() >= MIN_RUN * runs;
    // Label, text, [document,] deadline, [state].
    let cols = 3 + usize::from(!grouped) + usize::from(state_cell);
    let mut open: Option<usize> = None;
    let mut year: Option<Option<i16>> = None;
    for (i, t) in tasks {
        // A year row opens the list and each year (a document has one year, so a new year is
        // a new document too); it heads the `<tbody>` of the year's first document.
        let year_row = starts.and_then(|starts| {
            let y = site.task_year(t);
            (year != Some(y)).then(|| (y, starts.contains(&i)))
        });
        let new_doc = open != Some(t.doc) && (grouped || open.is_none());
        if year_row.is_some() || new_doc {
            if open.is_some() {
                body.push_str("</tbody>");
            }
            match year_row {
                Some((y, first)) => {
                    push_year_head(body, y, first, cols);
                    year = Some(y);
                }
                None => body.push_str("<tbody>"),
            }
            if grouped {
                push_doc_head(body, site, t.doc, root, cols);
            }
        }
        open = Some(t.doc);
        push_compact(body, site, t, root, !grouped, state_cell);
        *rows += 1;
    }
    !grouped
}

/// Opens a `<tbody>` with a row naming a plan year; the year's first carries its anchor, a
/// page that starts inside a year says it goes on. Group rows leave out their optional end
/// tags, like task rows.
fn push_year_head(out: &mut String, year: Option<i16>, first: bool, cols: usize) {
    let (id, name) = (year_anchor(year), year_name(year));
    out.push_str("<tbody");
    if first {
        out.push_str(&format!(" id={id}"));
    }
    out.push_str(&format!(
        "><tr class=\"group-row year-row\"><th colspan={cols} scope=rowgroup>{name}"
    ));
    if !first {
        out.push_str(" (tiếp)");
    }
}

/// The anchor of a plan year in the whole task table (`nam-2024`, `khong-ro-nam`).
pub fn year_anchor(year: Option<i16>) -> String {
    year.map_or("khong-ro-nam".to_string(), |y| format!("nam-{y}"))
}

/// A plan year as lists name it.
pub fn year_name(year: Option<i16>) -> String {
    year.map_or("Không rõ năm".to_string(), |y| format!("Năm {y}"))
}

/// Characters of a document's title a group row shows after its number.
const GROUP_TITLE: usize = 70;

/// A group row naming a document: its number (or title) linked, then its title (in the
/// `<tbody>` the caller opened).
fn push_doc_head(out: &mut String, site: &Site, doc: usize, root: &str, cols: usize) {
    let Some(d) = site.documents.get(doc) else {
        return;
    };
    out.push_str(&format!(
        "<tr class=group-row><th colspan={cols} scope=rowgroup><a"
    ));
    let [a, b, c] = doc_dir(d);
    push_attr_parts(out, "href", &[root, a, b, c, "index.html"]);
    out.push('>');
    esc(out, &doc_label(d));
    out.push_str("</a>");
    if d.number.is_some() {
        out.push_str(" <small>");
        esc(out, &shorten(&d.title, GROUP_TITLE));
        out.push_str("</small>");
    }
}

/// A group row naming a day.
fn push_date_head(out: &mut String, day: Option<Date>, cols: usize) {
    out.push_str(&format!(
        "<tbody><tr class=group-row><th colspan={cols} scope=rowgroup>"
    ));
    match day {
        Some(day) => {
            out.push_str("<time datetime=");
            push_date_iso(out, day);
            out.push('>');
            push_date_vi(out, day);
            out.push_str("</time>");
        }
        None => out.push_str("Không có ngày cụ thể"),
    }
}

/// Task `t`'s label (`#` when it has none), linking to its full record on document `d`'s page.
fn push_label_link(out: &mut String, d: &crate::model::Document, t: &Task, root: &str) {
    out.push_str("<a");
    let [a, b, c] = doc_dir(d);
    push_attr_parts(out, "href", &[root, a, b, c, "index.html#", &t.anchor]);
    out.push('>');
    if t.label.is_empty() {
        out.push('#');
    } else {
        esc(out, &t.label);
    }
    out.push_str("</a>");
}

/// One compact row: label → full record, short text, [document], deadline, state.
fn push_compact(
    out: &mut String,
    site: &Site,
    t: &Task,
    root: &str,
    doc_cell: bool,
    state_cell: bool,
) {
    let Some(d) = site.documents.get(t.doc) else {
        return;
    };
    out.push_str("<tr><td>");
    push_label_link(out, d, t, root);
    out.push_str("<td>");
    esc(out, &shorten(&t.text, SHORT_TEXT));
    if doc_cell {
        // Named, not linked: the label's link already leads to that document (to the row).
        out.push_str("<td>");
        esc(out, &doc_short(d));
    }
    out.push_str("<td>");
    push_compact_due(out, t);
    if state_cell {
        push_badge_as(out, t.state, t.due.end, list_label(t.state));
    }
}

/// A compact row's deadline: as written, then in one `<small>` (on a line of its own by the
/// stylesheet; after a space without it) the dates it stands for, written compactly, and
/// whether it came from the section heading.
fn push_compact_due(out: &mut String, t: &Task) {
    if t.due.text.is_empty() {
        out.push_str("Không ghi thời hạn");
    } else {
        esc(out, &t.due.text);
    }
    let range = compact_range(t);
    if range.is_none() && !t.due_inherited {
        return;
    }
    out.push_str(" <small>");
    if let Some(r) = &range {
        esc(out, r);
    }
    if t.due_inherited {
        out.push_str(if range.is_some() {
            " (theo mục)"
        } else {
            "(theo mục)"
        });
    }
    out.push_str("</small>");
}

/// [`due_range`] as a compact row writes it: a range's shared month and year once
/// (`01–31/12/2026`, `01/07–30/09/2026`).
fn compact_range(t: &Task) -> Option<String> {
    let (Some(s), Some(e)) = (t.due.start, t.due.end) else {
        return due_range(t);
    };
    if s == e {
        return due_range(t);
    }
    // `dd/mm/yyyy`, `dd/mm` or `dd` of the start: what the end does not repeat.
    let shown = if s.year() != e.year() {
        10
    } else if s.month() != e.month() {
        5
    } else {
        2
    };
    let mut out = String::with_capacity(24);
    push_date_vi(&mut out, s);
    out.truncate(shown);
    out.push('–');
    push_date_vi(&mut out, e);
    Some(out)
}

/// Writes ` name=value`, quoted only when HTML needs it: the attributes of list rows are
/// paths and codes, and two quotes on each of a million rows are megabytes.
/// The value is the `parts` together (a path from its pieces), never joined first.
fn push_attr_parts(out: &mut String, name: &str, parts: &[&str]) {
    out.push(' ');
    out.push_str(name);
    out.push('=');
    push_value_parts(out, parts);
}

/// Writes the attribute value `prefix` + `value`, bare when it is made only of URL-safe ASCII
/// (the anchors, slugs and paths the rows write), quoted and escaped otherwise.
fn push_value(out: &mut String, prefix: &str, value: &str) {
    push_value_parts(out, &[prefix, value]);
}

/// The bytes an attribute value may hold unquoted: ASCII letters and digits and
/// `-_./#:%~+,;!()*@?` (a table: every list row's links are checked byte by byte).
const BARE_SAFE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let extra = b"-_./#:%~+,;!()*@?";
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
};

/// [`push_value`] of the value the `parts` make together, without joining them first.
fn push_value_parts(out: &mut String, parts: &[&str]) {
    let safe = |b: u8| BARE_SAFE[usize::from(b)];
    let bare = parts.iter().any(|p| !p.is_empty()) && parts.iter().all(|p| p.bytes().all(safe));
    if bare {
        parts.iter().for_each(|p| out.push_str(p));
    } else {
        out.push('"');
        parts.iter().for_each(|p| esc(out, p));
        out.push('"');
    }
}

/// A document as a list cell names it: its number, or a short form of its title.
fn doc_short(d: &crate::model::Document) -> String {
    d.number.clone().unwrap_or_else(|| shorten(&d.title, 40))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_quoted_only_when_html_needs_it() {
        let mut out = String::new();
        push_attr_parts(
            &mut out,
            "href",
            &["../van-ban/8-kh-ubnd-2024/index.html#nv-1.a"],
        );
        push_attr_parts(&mut out, "title", &["a b"]);
        push_attr_parts(&mut out, "x", &[""]);
        push_attr_parts(&mut out, "y", &["a\"=b"]);
        assert_eq!(
            out,
            " href=../van-ban/8-kh-ubnd-2024/index.html#nv-1.a title=\"a b\" x=\"\" y=\"a&quot;=b\""
        );
    }

    fn attr(prefix: &str, value: &str) -> String {
        let mut out = String::new();
        push_value(&mut out, prefix, value);
        out
    }

    #[test]
    fn attributes_are_bare_only_when_html_allows() {
        assert_eq!(attr("#", "nv-1-a"), "#nv-1-a");
        assert_eq!(
            attr("../../", "don-vi/so-tu-phap/index.html"),
            "../../don-vi/so-tu-phap/index.html"
        );
        // Empty, spaces, quotes, `=`, `<`, `>`, backticks and `&` need quotes (and escaping).
        assert_eq!(attr("", ""), "\"\"");
        assert_eq!(attr("#", "a b"), "\"#a b\"");
        assert_eq!(attr("", "x\"y"), "\"x&quot;y\"");
        assert_eq!(attr("", "a=b"), "\"a=b\"");
        assert_eq!(attr("", "a&b"), "\"a&amp;b\"");
        assert_eq!(attr("", "a`b"), "\"a`b\"");
    }
}
