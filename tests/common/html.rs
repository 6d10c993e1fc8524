//! HTML helpers: selectors, text, ids and links of a parsed page (`scraper`).

use std::collections::BTreeSet;
use std::path::{Component, Path};

use scraper::{ElementRef, Html, Selector};

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

/// Text of an element with white space collapsed.
pub fn text_of(e: &ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Texts of every element matching `selector`.
pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).map(|e| text_of(&e)).collect()
}

/// Text of `<main>`.
pub fn main_text(doc: &Html) -> String {
    texts(doc, "main").join(" ")
}

/// `attr` of every element matching `selector`.
pub fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Every `id` in a page.
pub fn ids(doc: &Html) -> BTreeSet<String> {
    attrs(doc, "[id]", "id").into_iter().collect()
}

/// Ids of the task rows (`tr[id^=nv-]`) of a page.
pub fn task_row_ids(doc: &Html) -> Vec<String> {
    attrs(doc, "tr[id^=\"nv-\"]", "id")
}

/// Resolves a relative `href` found in output page `page` (e.g. `van-ban/x/index.html`)
/// to an output path and fragment; `None` for external or absolute URLs.
pub fn resolve_href(page: &str, href: &str) -> Option<(String, Option<String>)> {
    if href.is_empty()
        || href.contains("://")
        || href.starts_with("mailto:")
        || href.starts_with("tel:")
        || href.starts_with("webcal:")
        || href.starts_with("data:")
        || href.starts_with('/')
    {
        return None;
    }
    let (no_frag, frag) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let path = no_frag.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Some((page.to_string(), frag));
    }
    let dir = Path::new(page).parent().unwrap_or(Path::new(""));
    let mut out: Vec<String> = Vec::new();
    for c in dir.join(path).components() {
        match c {
            Component::ParentDir => {
                out.pop()?;
            }
            Component::CurDir => {}
            Component::Normal(n) => out.push(n.to_string_lossy().into_owned()),
            _ => return None,
        }
    }
    let mut target = out.join("/");
    if path.ends_with('/') || target.is_empty() {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    Some((target, frag))
}

/// The task ids (`<slug>#<anchor>`) a page links to through `a[href]` pointing at document
/// pages with an `nv-` fragment.
pub fn linked_task_ids(page: &str, doc: &Html) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for href in attrs(doc, "main a[href]", "href") {
        let Some((target, Some(frag))) = resolve_href(page, &href) else {
            continue;
        };
        if !frag.starts_with("nv-") {
            continue;
        }
        if let Some(slug) = target
            .strip_prefix("van-ban/")
            .and_then(|r| r.strip_suffix("/index.html"))
        {
            out.insert(format!("{slug}#{frag}"));
        }
    }
    out
}
