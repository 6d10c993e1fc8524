//! View models: the plain, serialisable shapes templates receive. Built from the [`Site`] with
//! every URL already made relative to the page being rendered (`root` is `""`, `"../"`, …), so
//! the output works from disk, on any host and under any sub-path.

use serde::Serialize;

use crate::model::{DocId, Document, Site, TaskId, UnitId};
use crate::render::rows;

/// `../` once per directory level of `path` (an output path such as `van-ban/x/index.html`).
pub fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Vietnamese date `dd/mm/yyyy`.
pub fn date_vi(d: jiff::civil::Date) -> String {
    let mut out = String::with_capacity(10);
    push_date_vi(&mut out, d);
    out
}

/// [`date_vi`] written into `out`. Lists, calendars and the timeline write millions of dates
/// in a large build, each without `format!`'s machinery and temporary string.
pub fn push_date_vi(out: &mut String, d: jiff::civil::Date) {
    push_two_digits(out, d.day());
    out.push('/');
    push_two_digits(out, d.month());
    out.push('/');
    let y = d.year();
    if (1000..=9999).contains(&y) {
        push_four_digits(out, y);
    } else {
        use std::fmt::Write;
        let _ = write!(out, "{y}");
    }
}

/// A date as its `Display` writes it (`2024-03-05`, ISO 8601), into `out`: the `datetime` and
/// `data-end` attributes of list rows.
pub fn push_date_iso(out: &mut String, d: jiff::civil::Date) {
    if !push_date_digits(out, d, "-") {
        use std::fmt::Write;
        let _ = write!(out, "{d}");
    }
}

/// `yyyy{sep}mm{sep}dd` into `out` for a year from 0 to 9,999 (the ISO date with `-`, the
/// ICS `DATE` with nothing); false, writing nothing, for another year.
pub fn push_date_digits(out: &mut String, d: jiff::civil::Date, sep: &str) -> bool {
    let y = d.year();
    if !(0..=9999).contains(&y) {
        return false;
    }
    push_four_digits(out, y);
    out.push_str(sep);
    push_two_digits(out, d.month());
    out.push_str(sep);
    push_two_digits(out, d.day());
    true
}

/// `y` (0 to 9,999) as `{:04}` writes it.
fn push_four_digits(out: &mut String, y: i16) {
    for div in [1000, 100, 10, 1] {
        out.push(char::from(b'0' + (y / div % 10) as u8));
    }
}

/// `n` as `{:02}` writes it.
fn push_two_digits(out: &mut String, n: i8) {
    if (0..100).contains(&n) {
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    } else {
        use std::fmt::Write;
        let _ = write!(out, "{n:02}");
    }
}

/// Document `d`'s folder (`van-ban/<slug>/`) in pieces, so a link can be written from them
/// without joining them first (list rows write a million).
pub fn doc_dir(d: &Document) -> [&str; 3] {
    ["van-ban/", &d.slug, "/"]
}

/// The folder of the unit with slug `slug` (`don-vi/<slug>/`) in pieces, as [`doc_dir`].
pub fn unit_dir(slug: &str) -> [&str; 3] {
    ["don-vi/", slug, "/"]
}

pub fn doc_path(d: &Document) -> String {
    let [a, b, c] = doc_dir(d);
    [a, b, c, "index.html"].concat()
}

pub fn unit_path(site: &Site, u: UnitId) -> String {
    let [a, b, c] = unit_dir(site.units.get(u).map_or("x", |u| u.slug.as_str()));
    [a, b, c, "index.html"].concat()
}

/// Short label of a document: its number, or its title when it has none.
pub fn doc_label(d: &Document) -> String {
    let mut out = String::new();
    push_doc_label(&mut out, d);
    out
}

/// [`doc_label`] written into `out`.
pub fn push_doc_label(out: &mut String, d: &Document) {
    match &d.number {
        Some(n) => {
            out.push_str(d.doc_type.label());
            out.push_str(" số ");
            out.push_str(n);
        }
        None => out.push_str(&d.title),
    }
}

/// Cuts text at a word boundary near `max` characters.
pub fn shorten(s: &str, max: usize) -> String {
    // Where the first character past `max` starts: the text is read only that far (every
    // compact row, calendar event and search title shortens its task's text, often a long
    // paragraph, ~9 times per task in a build).
    let Some(end) = char_start(s, max) else {
        return s.to_string();
    };
    let cut = &s[..end];
    let trimmed = cut.rsplit_once(' ').map_or(cut, |(a, _)| a);
    // "thông tin…", not "thông tin,…".
    let trimmed = trimmed.trim_end_matches([',', ';', ':', '-', '–']);
    let mut out = String::with_capacity(trimmed.len() + '…'.len_utf8());
    out.push_str(trimmed);
    out.push('…');
    out
}

/// The byte offset where character `n` (from 0) of `s` starts, `None` past the end: counted
/// on the bytes (each character starts at a byte that is not a UTF-8 continuation byte)
/// rather than by decoding every character.
fn char_start(s: &str, n: usize) -> Option<usize> {
    if s.len() <= n {
        // Fewer bytes than `n` + 1 means fewer characters.
        return None;
    }
    s.bytes()
        .enumerate()
        .filter(|&(_, b)| b & 0xC0 != 0x80)
        .nth(n)
        .map(|(i, _)| i)
}

/// Consecutive rows that share a group heading, already written as HTML (see [`rows`]).
#[derive(Serialize)]
pub struct TaskGroup {
    pub name: Option<String>,
    pub rows: String,
}

/// The full rows of a document's tasks, grouped by their `group` (section heading), keeping order (a group that reappears later starts anew).
pub fn grouped_rows(site: &Site, ids: &[TaskId], root: &str) -> Vec<TaskGroup> {
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
            name: group.map(|g| g.to_string()),
            rows: rows::rows_html(site, &ids[start..end], root),
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

/// One page of a paginated list: where it goes, its `root`, its items and its pager.
pub struct Paged<'a, T> {
    /// 1-based page number.
    pub n: usize,
    pub path: String,
    pub root: String,
    pub items: &'a [T],
    pub pager: Pager,
}

/// Cuts `items` into pages of `per` (at least one page, even when empty), the first at `base`
/// (`x/index.html`), the others at `x/trang-N/index.html`.
pub fn paginate<'a, T>(base: &str, items: &'a [T], per: usize) -> Vec<Paged<'a, T>> {
    let per = per.max(1);
    let total = items.len().div_ceil(per).max(1);
    (1..=total)
        .map(|n| {
            let path = page_path(base, n);
            let root = root_for(&path);
            let from = ((n - 1) * per).min(items.len());
            let to = (n * per).min(items.len());
            Paged {
                n,
                pager: pager(base, n, total),
                path,
                root,
                items: &items[from..to],
            }
        })
        .collect()
}

/// The pager of page `current` of `total`: its links lead from the page to its neighbours
/// within the list's own folder (`../trang-4/index.html`), not through the site root.
pub fn pager(base: &str, current: usize, total: usize) -> Pager {
    let here = page_path(base, current);
    let href = |n: usize| rel_href(&here, &page_path(base, n));
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

/// The link from the page at `from` to the site path `to` (both site-relative output paths,
/// `to` perhaps with a `#fragment`), through their common folder: `nhiem-vu/trang-5/index.html`
/// → `nhiem-vu/qua-han/index.html` is `../qua-han/index.html`. Lists link their own pages and
/// filters many times a page, and a path through the site root spells the folder each time.
pub fn rel_href(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_format_writes_them() {
        for (y, m, d) in [
            (2024, 1, 5),
            (2026, 12, 31),
            (999, 3, 9),
            (10000, 7, 14),
            (-45, 2, 28),
        ] {
            let Ok(date) = jiff::civil::Date::new(y, m, d) else {
                continue;
            };
            let want = format!("{:02}/{:02}/{}", date.day(), date.month(), date.year());
            assert_eq!(date_vi(date), want);
            let mut iso = String::new();
            push_date_iso(&mut iso, date);
            assert_eq!(iso, date.to_string());
        }
        let mut day = jiff::civil::date(2019, 12, 25);
        for _ in 0..800 {
            assert_eq!(
                date_vi(day),
                format!("{:02}/{:02}/{}", day.day(), day.month(), day.year())
            );
            let mut iso = String::new();
            push_date_iso(&mut iso, day);
            assert_eq!(iso, day.to_string());
            let mut compact = String::new();
            assert!(push_date_digits(&mut compact, day, ""));
            assert_eq!(
                compact,
                format!("{:04}{:02}{:02}", day.year(), day.month(), day.day())
            );
            day = day.tomorrow().expect("in range");
        }
    }

    #[test]
    fn roots_and_pages() {
        assert_eq!(root_for("index.html"), "");
        assert_eq!(root_for("van-ban/x/index.html"), "../../");
        assert_eq!(page_path("nhiem-vu/index.html", 1), "nhiem-vu/index.html");
        assert_eq!(
            page_path("nhiem-vu/index.html", 3),
            "nhiem-vu/trang-3/index.html"
        );
        let p = pager("nhiem-vu/index.html", 5, 10);
        assert_eq!(p.prev.as_deref(), Some("../trang-4/index.html"));
        assert_eq!(p.pages[0].href.as_deref(), Some("../index.html"));
        let first = pager("don-vi/so-noi-vu/index.html", 1, 3);
        assert_eq!(first.next.as_deref(), Some("trang-2/index.html"));
        assert_eq!(
            rel_href("nhiem-vu/trang-5/index.html", "nhiem-vu/qua-han/index.html"),
            "../qua-han/index.html"
        );
        assert_eq!(
            rel_href(
                "nhiem-vu/qua-han/index.html",
                "nhiem-vu/trang-168/index.html#nam-2025"
            ),
            "../trang-168/index.html#nam-2025"
        );
        assert_eq!(
            rel_href("nhiem-vu/index.html", "nhiem-vu/index.html"),
            "index.html"
        );
        assert_eq!(rel_href("index.html", "lich/index.html"), "lich/index.html");
        assert_eq!(
            rel_href("lich/2024-06/index.html", "van-ban/x/index.html"),
            "../../van-ban/x/index.html"
        );
        assert!(p.pages.iter().any(|l| l.href.is_none()));
        assert_eq!(shorten("một hai ba", 5), "một…");
        assert_eq!(shorten("một hai ba", 10), "một hai ba");
        assert_eq!(shorten("Sở Nội vụ, Sở Tư pháp", 12), "Sở Nội vụ…");
        let items: Vec<u8> = (0..25).collect();
        let pages = paginate("lich/2024-06/index.html", &items, 10);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].path, "lich/2024-06/trang-3/index.html");
        assert_eq!(pages[2].root, "../../../");
        assert_eq!(pages[2].items, &[20, 21, 22, 23, 24]);
        assert_eq!(paginate("x/index.html", &items[..0], 10).len(), 1);
    }

    #[test]
    fn char_start_agrees_with_char_indices() {
        let texts = [
            "",
            "a",
            "ệ",
            "Đồng Nai – “cải cách”…",
            "abc ệệệ 𝄞 xyz",
            "Tỉnh ủy",
        ];
        for t in texts {
            for n in 0..t.chars().count() + 3 {
                assert_eq!(
                    char_start(t, n),
                    t.char_indices().nth(n).map(|(i, _)| i),
                    "{t:?} {n}"
                );
            }
        }
    }
}
