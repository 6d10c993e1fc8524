//! Task-table rows written straight to HTML.
//!
//! A national portal has hundreds of thousands of tasks and every one appears on several
//! pages (its document, the task table and its filters, each of its units). Building a
//! template value per row and interpreting a template loop per cell was most of a build, so
//! rows are written here, once per page, with every text escaped; the table around them
//! (`partials/task_table.html`) stays a template a theme can change.

use crate::model::{Site, State, TaskId, UnitId};
use crate::render::view::{date_vi, doc_label, doc_path, unit_path};
use crate::text::escape_html_into as esc;

/// How rows are written on a page.
#[derive(Debug, Clone, Copy)]
pub struct RowStyle<'a> {
    /// `../` prefix that leads from the page to the site root.
    pub root: &'a str,
    /// Row ids include the document slug: on pages listing tasks of many documents, two
    /// documents can both have a task `nv-1`.
    pub qualified: bool,
    /// A "Văn bản" column naming each task's document.
    pub show_doc: bool,
}

/// The `<tr>` rows of `ids`, in order.
pub fn rows_html(site: &Site, ids: &[TaskId], style: RowStyle) -> String {
    let mut out = String::with_capacity(ids.len() * 900);
    for &id in ids {
        push_row(&mut out, site, id, style);
    }
    out
}

fn push_row(out: &mut String, site: &Site, id: TaskId, style: RowStyle) {
    let Some(t) = site.tasks.get(id) else { return };
    let Some(d) = site.documents.get(t.doc) else {
        return;
    };
    let root = style.root;
    let doc_href = format!("{root}{}", doc_path(d));
    out.push_str("<tr id=\"");
    if style.qualified {
        esc(out, &d.slug);
        out.push_str("--");
    }
    esc(out, &t.anchor);
    out.push_str("\" data-year=\"");
    if let Some(y) = d.year {
        out.push_str(&y.to_string());
    }
    out.push_str("\" data-state=\"");
    out.push_str(t.state.code());
    out.push_str("\"><td><a href=\"");
    esc(out, &doc_href);
    out.push('#');
    esc(out, &t.anchor);
    out.push_str("\">");
    esc(out, &t.label);
    out.push_str("</a></td><td>");
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
    out.push_str("</td>");
    if style.show_doc {
        out.push_str("<td><a href=\"");
        esc(out, &doc_href);
        out.push_str("\">");
        esc(out, &doc_label(d));
        out.push_str("</a></td>");
    }
    out.push_str("<td>");
    if let Some(p) = &t.product {
        esc(out, p);
    }
    out.push_str("</td><td>");
    push_units(out, site, &t.lead, root);
    out.push_str("</td><td>");
    push_units(out, site, &t.support, root);
    out.push_str("</td><td>");
    if t.due.text.is_empty() {
        out.push_str("Không ghi thời hạn");
    } else {
        esc(out, &t.due.text);
    }
    if let Some(range) = due_range(t) {
        out.push_str("<br><small>");
        esc(out, &range);
        out.push_str("</small>");
    }
    if t.due_inherited {
        out.push_str("<br><small>(theo mục)</small>");
    }
    out.push_str("</td><td>");
    push_badge(out, t.state, t.due.end.map(|e| e.to_string()).as_deref());
    crate::render::progress::push_history(out, site, t, root);
    out.push_str("</td></tr>\n");
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
        out.push_str("<a href=\"");
        out.push_str(root);
        esc(out, &unit_path(site, u));
        out.push('"');
        if !unit.registered {
            out.push_str(" class=\"unregistered\"");
        }
        out.push('>');
        esc(out, &unit.name);
        out.push_str("</a>");
    }
}

/// The state badge; `site.js` relabels it by the reader's date from `data-due-end`.
pub fn push_badge(out: &mut String, state: State, due_end: Option<&str>) {
    out.push_str("<span class=\"badge state-");
    out.push_str(state.code());
    out.push_str("\" data-state=\"");
    out.push_str(state.code());
    out.push_str("\" data-due-end=\"");
    if let Some(e) = due_end {
        esc(out, e);
    }
    out.push_str("\">");
    out.push_str(state.label());
    out.push_str("</span>");
}

/// The dates a deadline stands for, when its text does not already say them.
pub fn due_range(t: &crate::model::Task) -> Option<String> {
    match (t.due.start, t.due.end) {
        (Some(s), Some(e)) if s != e => Some(format!("{} – {}", date_vi(s), date_vi(e))),
        (_, Some(e)) if !t.due.text.contains(&date_vi(e)) => Some(format!("hạn {}", date_vi(e))),
        _ => None,
    }
}

/// One entry of a deadline list (calendar month pages): badge, date, task link, and in
/// brackets its lead units and the deadline as written.
pub fn push_due_item(out: &mut String, site: &Site, id: TaskId, root: &str) {
    let Some(t) = site.tasks.get(id) else { return };
    let Some(d) = site.documents.get(t.doc) else {
        return;
    };
    let end = t.due.end.map(|e| e.to_string());
    out.push_str("<li>");
    push_badge(out, t.state, end.as_deref());
    out.push_str(" <time datetime=\"");
    if let Some(e) = &end {
        out.push_str(e);
    }
    out.push_str("\">");
    if let Some(e) = t.due.end {
        out.push_str(&date_vi(e));
    }
    out.push_str("</time> — <a href=\"");
    out.push_str(root);
    esc(out, &doc_path(d));
    out.push('#');
    esc(out, &t.anchor);
    out.push_str("\">");
    esc(out, &crate::render::view::shorten(&t.text, 160));
    out.push_str("</a> <small>(");
    let mut first = true;
    for unit in t.lead.iter().filter_map(|&u| site.units.get(u)) {
        if !first {
            out.push_str("; ");
        }
        first = false;
        esc(out, &unit.name);
    }
    if !t.due.text.is_empty() {
        out.push_str(" · ");
        esc(out, &t.due.text);
    }
    out.push_str(")</small></li>");
}
