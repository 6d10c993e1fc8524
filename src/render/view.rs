//! View models: the plain, serialisable shapes templates receive. Built from the [`Site`] with
//! every URL already made relative to the page being rendered (`root` is `""`, `"../"`, …), so
//! the output works from disk, on any host and under any sub-path.

use serde::Serialize;

use crate::model::{DocId, Document, Site, State, Task, TaskId, UnitId};
use crate::render::rows::{self, RowStyle};

/// `../` once per directory level of `path` (an output path such as `van-ban/x/index.html`).
pub fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Vietnamese date `dd/mm/yyyy`.
pub fn date_vi(d: jiff::civil::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

pub fn doc_path(d: &Document) -> String {
    format!("van-ban/{}/index.html", d.slug)
}

pub fn unit_path(site: &Site, u: UnitId) -> String {
    let slug = site.units.get(u).map_or("x", |u| u.slug.as_str());
    format!("don-vi/{slug}/index.html")
}

/// A link to a unit.
#[derive(Serialize)]
pub struct UnitLink {
    pub name: String,
    pub href: String,
    pub registered: bool,
}

pub fn unit_links(site: &Site, ids: &[UnitId], root: &str) -> Vec<UnitLink> {
    ids.iter()
        .filter_map(|&u| {
            let unit = site.units.get(u)?;
            Some(UnitLink {
                name: unit.name.clone(),
                href: format!("{root}{}", unit_path(site, u)),
                registered: unit.registered,
            })
        })
        .collect()
}

/// One row of a task table.
#[derive(Serialize)]
pub struct TaskRow {
    pub anchor: String,
    pub label: String,
    pub href: String,
    pub doc_href: String,
    pub doc_label: String,
    pub text: String,
    pub text_short: String,
    pub product: Option<String>,
    pub lead: Vec<UnitLink>,
    pub support: Vec<UnitLink>,
    pub due_text: String,
    pub due_range: Option<String>,
    pub due_end: Option<String>,
    pub due_end_vi: Option<String>,
    pub due_inherited: bool,
    pub budget: Option<String>,
    pub note: Option<String>,
    pub state: &'static str,
    pub state_label: &'static str,
    /// The state badge as HTML ([`crate::render::rows::push_badge`], its one source).
    pub badge: String,
    pub done: bool,
    pub year: String,
}

/// Short label of a document: its number, or its title when it has none.
pub fn doc_label(d: &Document) -> String {
    match &d.number {
        Some(n) => format!("{} số {n}", d.doc_type.label()),
        None => d.title.clone(),
    }
}

/// `qualified` rows (on pages listing tasks of many documents) get an id that includes the
/// document slug, since two documents both have a task `nv-1`.
pub fn task_row(site: &Site, id: TaskId, root: &str, qualified: bool) -> Option<TaskRow> {
    let t: &Task = site.tasks.get(id)?;
    let d = site.documents.get(t.doc)?;
    let doc_href = format!("{root}{}", doc_path(d));
    let due_text = if t.due.text.is_empty() {
        "Không ghi thời hạn".to_string()
    } else {
        t.due.text.clone()
    };
    let due_range = rows::due_range(t);
    Some(TaskRow {
        anchor: if qualified {
            format!("{}--{}", d.slug, t.anchor)
        } else {
            t.anchor.clone()
        },
        label: t.label.clone(),
        href: format!("{doc_href}#{}", t.anchor),
        doc_href,
        doc_label: doc_label(d),
        text: t.text.clone(),
        text_short: shorten(&t.text, 160),
        product: t.product.clone(),
        lead: unit_links(site, &t.lead, root),
        support: unit_links(site, &t.support, root),
        due_text,
        due_range,
        due_end: t.due.end.map(|e| e.to_string()),
        due_end_vi: t.due.end.map(date_vi),
        due_inherited: t.due_inherited,
        budget: t.budget.clone(),
        note: t.note.clone(),
        state: t.state.code(),
        state_label: t.state.label(),
        badge: {
            let mut badge = String::new();
            let end = t.due.end.map(|e| e.to_string());
            crate::render::rows::push_badge(&mut badge, t.state, end.as_deref());
            badge
        },
        done: t.state == State::HoanThanh,
        year: d.year.map(|y| y.to_string()).unwrap_or_default(),
    })
}

/// Cuts text at a word boundary near `max` characters.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let trimmed = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{trimmed}…")
}

/// Consecutive rows that share a group heading, already written as HTML (see [`rows`]).
#[derive(Serialize)]
pub struct TaskGroup {
    pub name: Option<String>,
    pub rows: String,
}

/// Groups task ids by their `group`, keeping order (a group that reappears later starts anew).
pub fn grouped_rows(site: &Site, ids: &[TaskId], style: RowStyle) -> Vec<TaskGroup> {
    let mut groups: Vec<TaskGroup> = Vec::new();
    let mut start = 0;
    while start < ids.len() {
        let group = site.tasks.get(ids[start]).and_then(|t| t.group.as_ref());
        let len = ids[start..]
            .iter()
            .position(|&id| site.tasks.get(id).and_then(|t| t.group.as_ref()) != group)
            .unwrap_or(ids.len() - start);
        let end = start + len.max(1);
        groups.push(TaskGroup {
            name: group.cloned(),
            rows: rows::rows_html(site, &ids[start..end], style),
        });
        start = end;
    }
    groups
}

/// A document in a listing.
#[derive(Serialize)]
pub struct DocCard {
    pub title: String,
    pub href: String,
    pub label: String,
    pub number: Option<String>,
    pub type_label: &'static str,
    pub issuer: Option<String>,
    pub date: Option<String>,
    pub date_vi: Option<String>,
    pub summary: Option<String>,
    pub task_count: usize,
}

pub fn doc_card(site: &Site, id: DocId, root: &str) -> Option<DocCard> {
    let d = site.documents.get(id)?;
    Some(DocCard {
        title: d.title.clone(),
        href: format!("{root}{}", doc_path(d)),
        label: doc_label(d),
        number: d.number.clone(),
        type_label: d.doc_type.label(),
        issuer: d.issuer.clone(),
        date: d.date.map(|x| x.to_string()),
        date_vi: d.date.map(date_vi),
        summary: d.summary.clone(),
        task_count: d.tasks.len(),
    })
}

/// Pagination links for page `current` (1-based) of `total`.
#[derive(Serialize)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub n: usize,
    pub href: Option<String>,
    pub current: bool,
}

/// Output path of page `n` of a paginated list whose first page is `base` (`x/index.html`).
pub fn page_path(base: &str, n: usize) -> String {
    if n <= 1 {
        return base.to_string();
    }
    let dir = base.strip_suffix("index.html").unwrap_or(base);
    format!("{dir}trang-{n}/index.html")
}

pub fn pager(base: &str, current: usize, total: usize, root: &str) -> Pager {
    let href = |n: usize| format!("{root}{}", page_path(base, n));
    let mut pages = Vec::new();
    let mut last_gap = false;
    for n in 1..=total {
        let near = n == 1 || n == total || n.abs_diff(current) <= 2;
        if near {
            pages.push(PageLink {
                n,
                href: Some(href(n)),
                current: n == current,
            });
            last_gap = false;
        } else if !last_gap {
            pages.push(PageLink {
                n,
                href: None,
                current: false,
            });
            last_gap = true;
        }
    }
    Pager {
        current,
        total,
        prev: (current > 1).then(|| href(current - 1)),
        next: (current < total).then(|| href(current + 1)),
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_pages() {
        assert_eq!(root_for("index.html"), "");
        assert_eq!(root_for("van-ban/x/index.html"), "../../");
        assert_eq!(page_path("nhiem-vu/index.html", 1), "nhiem-vu/index.html");
        assert_eq!(
            page_path("nhiem-vu/index.html", 3),
            "nhiem-vu/trang-3/index.html"
        );
        let p = pager("nhiem-vu/index.html", 5, 10, "../");
        assert_eq!(p.prev.as_deref(), Some("../nhiem-vu/trang-4/index.html"));
        assert!(p.pages.iter().any(|l| l.href.is_none()));
        assert_eq!(shorten("một hai ba", 5), "một…");
    }
}
