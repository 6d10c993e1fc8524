//! Issue 16 "compact lists": the task table and its filters, unit pages and calendars show
//! compact rows that link to the full task on its document page, where the full record
//! stays; no page grows past 200 kB, even at 1,000 documents (`gen_corpus.py --seed 1`;
//! `GEN_CORPUS` overrides its path).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use scraper::Html;

/// Largest HTML page allowed (issue 16).
const MAX_PAGE: usize = 200_000;

/// The task ids (`<slug>#<anchor>`) of every full record on the document pages, with the
/// unit slugs each names as lead or support.
fn full_records(pages: &BTreeMap<String, Html>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (path, page) in pages {
        let Some(slug) = path
            .strip_prefix("van-ban/")
            .and_then(|r| r.strip_suffix("/index.html"))
            .filter(|s| !s.contains('/'))
        else {
            continue;
        };
        for row in page.select(&sel("#nhiem-vu table.tasks tr[id]")) {
            let id = row.value().attr("id").unwrap_or_default();
            let mut units = BTreeSet::new();
            for a in row.select(&sel("td a[href]")) {
                let href = a.value().attr("href").unwrap_or_default();
                if let Some((target, _)) = resolve_href(path, href) {
                    if let Some(u) = target
                        .strip_prefix("don-vi/")
                        .and_then(|r| r.strip_suffix("/index.html"))
                    {
                        units.insert(u.to_string());
                    }
                }
            }
            out.insert(format!("{slug}#{id}"), units);
        }
    }
    out
}

/// The task each compact row of `page` links to (its first link), in order; asserts every
/// compact row has one that points at a document page with an `nv-` fragment.
fn compact_links(path: &str, page: &Html) -> Vec<String> {
    let mut out = Vec::new();
    for row in page.select(&sel("table.compact tbody tr:not(.group-row)")) {
        let href = row
            .select(&sel("td a[href]"))
            .next()
            .and_then(|a| a.value().attr("href"))
            .unwrap_or_else(|| panic!("{path}: a compact row without a link"));
        let (target, frag) = resolve_href(path, href).unwrap_or_else(|| panic!("{path}: {href}"));
        let slug = target
            .strip_prefix("van-ban/")
            .and_then(|r| r.strip_suffix("/index.html"))
            .unwrap_or_else(|| panic!("{path}: {href} is not a document page"));
        let frag = frag.unwrap_or_else(|| panic!("{path}: {href} names no task"));
        assert!(frag.starts_with("nv-"), "{path}: {href}");
        out.push(format!("{slug}#{frag}"));
    }
    out
}

/// Compact rows of every page whose path starts with `prefix`, by page.
fn rows_under(pages: &BTreeMap<String, Html>, prefix: &str) -> BTreeMap<String, Vec<String>> {
    pages
        .iter()
        .filter(|(p, _)| p.starts_with(prefix))
        .map(|(p, h)| (p.clone(), compact_links(p, h)))
        .collect()
}

/// Asserts what the compact lists promise on a built site (`html`: every page, parsed).
fn check_lists(html: &BTreeMap<String, Html>) {
    let records = full_records(html);
    assert!(!records.is_empty(), "no task on any document page");
    // Every compact row of every list links to a full record that exists.
    for (path, page) in html {
        for id in compact_links(path, page) {
            assert!(records.contains_key(&id), "{path}: links {id}, no such row");
        }
    }
    // The whole task table lists every task once, across its pages.
    let table: Vec<String> = rows_under(html, "nhiem-vu/")
        .into_iter()
        .filter(|(p, _)| p == "nhiem-vu/index.html" || p.starts_with("nhiem-vu/trang-"))
        .flat_map(|(_, v)| v)
        .collect();
    let once: BTreeSet<String> = table.iter().cloned().collect();
    assert_eq!(once.len(), table.len(), "a task repeats in the task table");
    let all: BTreeSet<String> = records.keys().cloned().collect();
    assert_eq!(once, all, "task table");
    // Each unit's pages list every task it leads or supports, once.
    let mut want: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, units) in &records {
        for u in units {
            want.entry(u.clone()).or_default().insert(id.clone());
        }
    }
    for (unit, ids) in &want {
        let prefix = format!("don-vi/{unit}/");
        let mut got: Vec<String> = Vec::new();
        for (path, page) in html.iter().filter(|(p, _)| p.starts_with(&prefix)) {
            // Only the two role sections: the first page also lists coming deadlines.
            for key in ["chu-tri", "phoi-hop"] {
                let section = sel(&format!("section[aria-labelledby=\"{key}\"]"));
                for s in page.select(&section) {
                    let frag = Html::parse_fragment(&format!("<main>{}</main>", s.inner_html()));
                    got.extend(compact_links(path, &frag));
                }
            }
        }
        let set: BTreeSet<String> = got.iter().cloned().collect();
        assert_eq!(set.len(), got.len(), "{prefix}: a task repeats");
        assert_eq!(&set, ids, "{prefix}: the tasks it leads or supports");
    }
}

fn parse_all(files: &[(String, Vec<u8>)]) -> BTreeMap<String, Html> {
    files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.clone(), Html::parse_document(&String::from_utf8_lossy(b))))
        .collect()
}

/// The biggest HTML page of `files`, with its size.
fn biggest(files: &[(String, Vec<u8>)]) -> (String, usize) {
    files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.clone(), b.len()))
        .max_by_key(|(_, n)| *n)
        .unwrap_or_default()
}

#[test]
fn compact_rows_of_every_list_link_to_the_full_record() {
    for fixture in ["tasks-units", "deadlines", "pagination"] {
        let built = TestSite::fixture(fixture).build_ok();
        let files: Vec<(String, Vec<u8>)> = snapshot(&built.out).into_iter().collect();
        let html = parse_all(&files);
        check_lists(&html);
        // The lists show no full record: no products, support units or budgets.
        for (path, page) in &html {
            if path.starts_with("nhiem-vu/")
                || path.starts_with("don-vi/")
                || path.starts_with("lich/")
            {
                assert!(
                    page.select(&sel("table.tasks")).next().is_none(),
                    "{path}: a full task table on a list page"
                );
            }
        }
    }
}

#[test]
fn compact_row_keeps_label_short_text_deadline_and_state() {
    let long = "Rà soát, đánh giá và công bố đầy đủ các thủ tục hành chính thuộc thẩm quyền giải quyết của các cơ quan chuyên môn cấp tỉnh trên Cổng dịch vụ công";
    let doc = format!("---\ntitle: Kế hoạch thử\ntype: ke-hoach\nnumber: 8/KH-UBND\ndate: 2024-01-01\nyear: 2024\n---\n\n| TT | Nội dung thực hiện | Sản phẩm | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện | Kinh phí |\n|---|---|---|---|---|---|---|\n| 1 | {long} | Quyết định công bố | Sở Nội vụ | Sở Tư pháp | Quý III/2024 | 50 triệu |\n| 2 | Việc hai | | Sở Nội vụ | | Quý IV/2024 | |\n| 3 | Việc ba | | Sở Nội vụ | | Quý IV/2024 | |\n");
    let site = TestSite::from_files(&[
        ("content/site.yaml", "title: Thử\n"),
        (
            "content/units.yaml",
            "- name: Sở Nội vụ\n- name: Sở Tư pháp\n",
        ),
        ("content/k.md", &doc),
    ]);
    let built = site.build_ok();
    let page = built.html("nhiem-vu/index.html");
    let rows: Vec<_> = page
        .select(&sel("table.compact tbody tr:not(.group-row)"))
        .collect();
    assert_eq!(rows.len(), 3);
    let cells: Vec<String> = rows[0].select(&sel("td")).map(|c| text_of(&c)).collect();
    assert_eq!(cells.len(), 4, "{cells:?}");
    assert_eq!(cells[0], "1");
    assert!(
        cells[1].ends_with('…') && cells[1].chars().count() < long.chars().count(),
        "{cells:?}"
    );
    assert!(
        long.starts_with(cells[1].trim_end_matches('…')),
        "cut at a word: {cells:?}"
    );
    assert!(
        cells[2].starts_with("Quý III/2024") && cells[2].contains("30/09/2024"),
        "{cells:?}"
    );
    assert!(!cells[3].is_empty());
    let text = text_of(&rows[0]);
    for full_only in ["Quyết định công bố", "Sở Tư pháp", "50 triệu"] {
        assert!(
            !text.contains(full_only),
            "{full_only} in a compact row: {text}"
        );
    }
    // The document is named once, in the group row, and linked.
    let group = texts(&page, "table.compact tr.group-row th a");
    assert_eq!(group, ["Kế hoạch số 8/KH-UBND"]);
    // A unit with one task in each of many documents gets a document cell instead (one
    // task here: no group row at all).
    let unit = built.html("don-vi/so-tu-phap/index.html");
    let cells: Vec<String> = texts(
        &unit,
        "section[aria-labelledby=phoi-hop] table.compact tbody td",
    );
    assert_eq!(cells.len(), 5, "{cells:?}");
    assert_eq!(cells[2], "8/KH-UBND");
    assert!(texts(&unit, "section[aria-labelledby=phoi-hop] tr.group-row").is_empty());
    // The full record keeps all of it.
    let doc_page = built.html("van-ban/8-kh-ubnd-2024/index.html");
    let full = texts(&doc_page, "#nhiem-vu tr#nv-1").join(" ");
    for want in [long, "Quyết định công bố", "Sở Tư pháp", "50 triệu"] {
        assert!(
            full.contains(want),
            "{want} missing from the full record: {full}"
        );
    }
}

#[test]
fn generated_corpus_has_no_page_over_200_kb_and_complete_lists() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = gen_corpus_1k(tmp.path());
    let diags = cchc::diag::Diagnostics::new();
    let opts = cchc::site::AssembleOptions {
        today: Some(date("2026-12-01")),
        ..Default::default()
    };
    let (_, outputs) = cchc::build_in_memory(&root, &opts, &diags);
    let files: Vec<(String, Vec<u8>)> = outputs.into_iter().map(|o| (o.path, o.bytes)).collect();
    let over: Vec<(String, usize)> = files
        .iter()
        .filter(|(p, b)| p.ends_with(".html") && b.len() > MAX_PAGE)
        .map(|(p, b)| (p.clone(), b.len()))
        .collect();
    assert!(over.is_empty(), "pages over {MAX_PAGE} bytes: {over:?}");
    let (page, size) = biggest(&files);
    eprintln!("biggest page: {page} ({size} bytes)");
    let html = parse_all(&files);
    check_lists(&html);
    check_moved_year_pages(&files, &html);
}

/// The year filter pages of earlier versions (`nhiem-vu/nam-<year>/`) each send the reader
/// where the task table's year filter for that year points, a year's range of the table, and
/// the sitemap leaves them out.
fn check_moved_year_pages(files: &[(String, Vec<u8>)], html: &BTreeMap<String, Html>) {
    let filters: BTreeMap<String, (String, Option<String>)> =
        attrs(&html["nhiem-vu/index.html"], "a[href*=\"#nam-\"]", "href")
            .into_iter()
            .filter_map(|href| resolve_href("nhiem-vu/index.html", &href))
            .map(|(page, frag)| (frag.clone().unwrap_or_default(), (page, frag)))
            .collect();
    let moved: Vec<&String> = html
        .keys()
        .filter(|p| p.starts_with("nhiem-vu/nam-"))
        .collect();
    assert!(moved.len() >= 2, "a year page per plan year: {moved:?}");
    assert_eq!(moved.len(), filters.len(), "{moved:?} against {filters:?}");
    for path in moved {
        let year = path.split('/').nth(1).unwrap_or_default();
        let refresh = attrs(&html[path], "meta[http-equiv=refresh]", "content");
        let url = refresh
            .first()
            .and_then(|c| c.strip_prefix("0; url="))
            .unwrap_or_else(|| panic!("{path}: no refresh: {refresh:?}"));
        let target = resolve_href(path, url).expect("relative target");
        assert_eq!(Some(&target), filters.get(year), "{path}");
        let anchor = target.1.clone().unwrap_or_default();
        assert!(
            ids(&html[&target.0]).contains(&anchor),
            "{path}: {} has no #{anchor}",
            target.0
        );
        assert!(
            attrs(&html[path], "main a", "href").contains(&url.to_string()),
            "{path}: the link for browsers that do not refresh"
        );
    }
    let sitemap = files
        .iter()
        .filter(|(p, _)| p.starts_with("sitemap"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect::<String>();
    assert!(sitemap.contains("nhiem-vu/"), "the sitemap was read");
    assert!(
        !sitemap.contains("nhiem-vu/nam-"),
        "moved pages are not in the sitemap"
    );
}

#[test]
fn compact_state_cell_is_its_badge_and_moves_only_when_it_can() {
    // Today is 2024-06-15: the first deadline passed unreported, the second is within 30
    // days, the third later in the year.
    let doc = "---\ntitle: Kế hoạch thử\ntype: ke-hoach\nnumber: 9/KH-UBND\ndate: 2024-01-01\nyear: 2024\n---\n\n| TT | Nội dung thực hiện | Cơ quan chủ trì | Thời gian thực hiện |\n|---|---|---|---|\n| 1 | Việc đã qua hạn | Sở Nội vụ | Quý I/2024 |\n| 2 | Việc sắp đến hạn | Sở Nội vụ | Trước ngày 30/06/2024 |\n| 3 | Việc cuối năm | Sở Nội vụ | Quý IV/2024 |\n";
    let site = TestSite::from_files(&[
        ("content/site.yaml", "title: Thử\n"),
        ("content/units.yaml", "- name: Sở Nội vụ\n"),
        ("content/k.md", doc),
    ]);
    let built = site.build_ok();
    let page = built.html("nhiem-vu/index.html");
    let rows: Vec<_> = page
        .select(&sel("table.compact tbody tr:not(.group-row)"))
        .collect();
    assert_eq!(rows.len(), 3);
    // (class, text, data-end) of each row's state cell, the row's last cell.
    let states: Vec<(String, String, Option<String>)> = rows
        .iter()
        .map(|r| {
            let cell = r.select(&sel("td")).last().expect("cells");
            (
                cell.value().attr("class").unwrap_or_default().to_string(),
                text_of(&cell),
                cell.value().attr("data-end").map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("s-cb".into(), "Chưa báo cáo".into(), None),
            (
                "s-sd".into(),
                "Sắp đến hạn".into(),
                Some("2024-06-30".into())
            ),
            (
                "s-cd".into(),
                "Chưa đến hạn".into(),
                Some("2024-12-31".into())
            ),
        ]
    );
    // The deadline as written, then its dates with the shared year written once.
    let due: Vec<String> = rows
        .iter()
        .map(|r| text_of(&r.select(&sel("td")).nth(2).expect("due cell")))
        .collect();
    assert_eq!(due[0], "Quý I/2024 01/01–31/03/2024", "{due:?}");
    assert_eq!(due[1], "Trước ngày 30/06/2024", "{due:?}");
    // The full record names the state in full, as a badge with the same class.
    let doc_page = built.html("van-ban/9-kh-ubnd-2024/index.html");
    let badge = doc_page
        .select(&sel("#nhiem-vu tr#nv-1 .badge.s-cb"))
        .next()
        .expect("full record badge");
    assert_eq!(text_of(&badge), "Đã đến hạn — chưa có báo cáo kết quả");
    assert!(badge.value().attr("data-end").is_none());
    // The state filter names it in full too, and its rows carry no state cell.
    let filter = built.html("nhiem-vu/chua-bao-cao/index.html");
    assert_eq!(
        texts(&filter, "h1"),
        ["Nhiệm vụ: đã đến hạn — chưa có báo cáo kết quả"]
    );
    let cells = texts(&filter, "table.compact tbody tr:not(.group-row) td");
    assert_eq!(cells.first().map(String::as_str), Some("1"), "{cells:?}");
    assert!(
        !cells.iter().any(|c| c.contains("báo cáo")),
        "a state cell on a state filter: {cells:?}"
    );
    // The month grid gives each coloured item its state in words.
    let month = built.html("lich/2024-03/index.html");
    assert_eq!(
        texts(&month, ".month-grid li.s-cb .visually-hidden"),
        ["(Chưa báo cáo)"]
    );
}
