//! Issue "cross-links": document numbers in bodies become links to the documents of the site
//! (also when a scan spells them without "Đ"), both pages list each other with task counts,
//! other numbers stay plain text, and body links to other `.md` files are rewritten.

mod common;

use common::*;
use scraper::{ElementRef, Html};

const A: &str = "dong-thap/ke-hoach-a.md";
const B: &str = "dong-thap/ke-hoach-272.md";
const NQ: &str = "dong-thap/nghi-quyet-19.md";

fn page_of(built: &Built, rel: &str) -> (String, Html) {
    let path = format!("van-ban/{}/index.html", built.slug_of(rel));
    let html = built.html(&path);
    (path, html)
}

/// Output path an `href` on `page` points to (fragment dropped).
fn target(page: &str, href: &str) -> String {
    resolve_href(page, href)
        .unwrap_or_else(|| panic!("not relative: {href}"))
        .0
}

/// The `<li>` items of the list that follows the `<h3>` whose text starts with `heading`
/// inside `section.links`.
fn listed_under<'a>(doc: &'a Html, heading: &str) -> Vec<ElementRef<'a>> {
    let section = doc
        .select(&sel("section.links"))
        .next()
        .expect("section.links");
    let mut after = false;
    for child in section.children().filter_map(ElementRef::wrap) {
        let name = child.value().name();
        if name == "h3" {
            after = text_of(&child).starts_with(heading);
            continue;
        }
        if after && name == "ul" {
            return child.select(&sel("li")).collect();
        }
        if after && name == "p" {
            return Vec::new();
        }
    }
    panic!("no list under {heading:?}")
}

fn has_ancestor(el: &ElementRef, names: &[&str]) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| names.contains(&a.value().name()))
}

#[test]
fn numbers_in_the_body_link_to_the_documents() {
    let site = TestSite::fixture("links");
    let built = site.build_ok();
    let (a_path, a) = page_of(&built, A);
    let (b_path, _) = page_of(&built, B);
    let (nq_path, _) = page_of(&built, NQ);
    let refs: Vec<ElementRef> = a.select(&sel(".doc-body a.ref")).collect();
    let found: Vec<(String, String)> = refs
        .iter()
        .map(|r| (text_of(r), target(&a_path, r.value().attr("href").unwrap())))
        .collect();
    // "272/KH-UBND" in running text, and the OCR spelling "19/NQ-HDND" of "19/NQ-HĐND".
    assert!(
        found
            .iter()
            .any(|(t, p)| t.contains("272/KH-UBND") && *p == b_path),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(t, p)| t.contains("19/NQ-HDND") && *p == nq_path),
        "{found:?}"
    );
    // Not in code spans, headings or existing links: only those two mentions are linked.
    assert_eq!(found.len(), 2, "{found:?}");
    for r in &refs {
        assert!(
            !has_ancestor(r, &["code", "h1", "h2", "h3", "h4", "h5", "h6", "a"]),
            "a.ref nested in code/heading/link"
        );
    }
    assert!(texts(&a, ".doc-body code")
        .iter()
        .any(|c| c == "272/KH-UBND"));
    assert!(texts(&a, ".doc-body h2")
        .iter()
        .any(|h| h.contains("272/KH-UBND")));
    let existing: Vec<String> = a
        .select(&sel(".doc-body a[href]"))
        .filter(|l| text_of(l).contains("bản 272/KH-UBND"))
        .map(|l| l.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(existing, ["https://example.org/272"]);
    // "19-NQ/TW" is another document than "19/NQ-HĐND", and "1085/QĐ-TTg" is not on the site:
    // both stay plain text.
    for other in ["19-NQ/TW", "1085/QĐ-TTg"] {
        assert!(main_text(&a).contains(other));
        assert!(
            a.select(&sel("main a"))
                .all(|l| !text_of(&l).contains(other)),
            "{other} is linked"
        );
    }
}

#[test]
fn citing_and_cited_documents_list_each_other_with_task_counts() {
    let site = TestSite::fixture("links");
    let built = site.build_ok();
    let count = |rel: &str| built.tasks_of(rel).len();
    let (a_path, a) = page_of(&built, A);
    let (b_path, b) = page_of(&built, B);
    let (nq_path, nq) = page_of(&built, NQ);
    assert_eq!((count(A), count(B), count(NQ)), (1, 2, 0));

    let basis = listed_under(&a, "Văn bản căn cứ");
    let linked: Vec<(String, String)> = basis
        .iter()
        .filter_map(|li| {
            let link = li.select(&sel("a[href]")).next()?;
            Some((
                target(&a_path, link.value().attr("href").unwrap()),
                text_of(li),
            ))
        })
        .collect();
    let b_item = linked
        .iter()
        .find(|(p, _)| *p == b_path)
        .unwrap_or_else(|| panic!("{linked:?}"));
    assert!(
        b_item.1.contains(&format!("({} nhiệm vụ)", count(B))),
        "{}",
        b_item.1
    );
    let nq_item = linked
        .iter()
        .find(|(p, _)| *p == nq_path)
        .unwrap_or_else(|| panic!("{linked:?}"));
    assert!(
        nq_item.1.contains(&format!("({} nhiệm vụ)", count(NQ))),
        "{}",
        nq_item.1
    );
    assert_eq!(linked.len(), 2, "{linked:?}");
    // Numbers not on the site: listed as text, never as links.
    let external: Vec<String> = basis
        .iter()
        .filter(|li| li.select(&sel("a")).next().is_none())
        .map(|li| text_of(li))
        .collect();
    for other in ["1085/QĐ-TTg", "19-NQ/TW"] {
        assert!(
            external
                .iter()
                .any(|e| e.contains(other) && e.contains("không có trên cổng")),
            "{other}: {external:?}"
        );
    }

    for (path, doc) in [(&b_path, &b), (&nq_path, &nq)] {
        let related = listed_under(doc, "Văn bản liên quan");
        let items: Vec<(String, String)> = related
            .iter()
            .map(|li| {
                let link = li
                    .select(&sel("a[href]"))
                    .next()
                    .expect("related item link");
                (
                    target(path, link.value().attr("href").unwrap()),
                    text_of(li),
                )
            })
            .collect();
        assert_eq!(items.len(), 1, "{path}: {items:?}");
        assert_eq!(items[0].0, a_path);
        assert!(
            items[0].1.contains(&format!("({} nhiệm vụ)", count(A))),
            "{}",
            items[0].1
        );
    }
    // B cites nothing on the site.
    assert!(listed_under(&b, "Văn bản căn cứ").is_empty());
}

#[test]
fn markdown_links_to_other_documents_resolve_to_their_pages() {
    let site = TestSite::fixture("links");
    let built = site.build_ok();
    let (a_path, a) = page_of(&built, A);
    let (nq_path, nq) = page_of(&built, NQ);
    let link = a
        .select(&sel(".doc-body a[href]"))
        .find(|l| text_of(l) == "mục của nghị quyết")
        .expect("link to nghi-quyet-19.md#muc");
    let (path, frag) = resolve_href(&a_path, link.value().attr("href").unwrap()).unwrap();
    assert_eq!(path, nq_path);
    assert_eq!(frag.as_deref(), Some("muc"));
    assert!(ids(&nq).contains("muc"), "no #muc on {nq_path}");
}

#[test]
fn check_reports_a_broken_link_with_its_position() {
    let site = TestSite::fixture("links");
    let rel = format!("content/{A}");
    let (line, col) = site.line_col_of(&rel, "[văn bản thiếu](missing.md)");
    let run = run_bin(&site.root, &["check", "--today", TODAY]);
    assert_eq!(
        run.code,
        Some(0),
        "a broken link is a warning, not an error:\n{}",
        run.stderr
    );
    let want = format!("{rel}:{line}:{col}: warning:");
    let hit = run
        .stderr
        .lines()
        .find(|l| l.starts_with(&want))
        .unwrap_or_else(|| panic!("no `{want}` in:\n{}", run.stderr));
    assert!(hit.contains("missing.md"), "{hit}");
    // The link to an existing document is not reported.
    assert!(!run.stderr.contains("nghi-quyet-19.md"), "{}", run.stderr);
    // The external numbers are listed too.
    assert!(run.stderr.contains("1085/QĐ-TTg"), "{}", run.stderr);
}
