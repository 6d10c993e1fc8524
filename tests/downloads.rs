//! Downloads that stay small (issue 16): the subscribed calendar window and its per-year
//! archives, open data split by year into parts under the size limit, the gzip of the whole,
//! and `du-lieu/index.json` — all checked on real build output.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;

const UNITS: &str =
    "- name: Sở Nội vụ\n  slug: so-noi-vu\n  level: tinh\n- name: Sở Tư pháp\n  slug: so-tu-phap\n  level: tinh\n";

/// One plan per year with tasks two years back, within the last year, ahead, and open-ended.
fn window_site() -> TestSite {
    TestSite::from_files(&[
        ("content/site.yaml", "title: Thử\nbase_url: https://cchc.example.vn/\n"),
        ("content/units.yaml", UNITS),
        (
            "content/kh-2022.md",
            "---\ntitle: Kế hoạch 2022\ntype: ke-hoach\nnumber: 1/KH-UBND\ndate: 2022-01-05\nyear: 2022\ntasks:\n  - id: cu\n    task: Việc đã qua hai năm\n    lead: Sở Nội vụ\n    due: Trước ngày 10/03/2022\n  - id: mo\n    task: Vận hành hệ thống từ quý III trở đi\n    lead: Sở Nội vụ\n    due: từ quý III/2022 trở đi\n---\n",
        ),
        (
            "content/kh-2023.md",
            "---\ntitle: Kế hoạch 2023\ntype: ke-hoach\nnumber: 2/KH-UBND\ndate: 2023-01-05\nyear: 2023\ntasks:\n  - id: gan\n    task: Việc trong năm qua\n    lead: Sở Nội vụ\n    support: Sở Tư pháp\n    due: Trước ngày 01/08/2023\n  - id: xa\n    task: Việc hơn một năm trước\n    lead: Sở Tư pháp\n    due: Trước ngày 01/03/2023\n---\n",
        ),
        (
            "content/kh-2024.md",
            "---\ntitle: Kế hoạch 2024\ntype: ke-hoach\nnumber: 3/KH-UBND\ndate: 2024-01-05\nyear: 2024\ntasks:\n  - id: toi\n    task: Việc sắp tới\n    lead: Sở Nội vụ\n    due: Trước ngày 30/09/2024\n  - id: khong-han\n    task: Việc chưa có hạn\n    lead: Sở Nội vụ\n    due: Khi có hướng dẫn của Trung ương\n---\n",
        ),
    ])
}

/// UIDs of a calendar file.
fn uids(built: &Built, rel: &str) -> BTreeSet<String> {
    ics_events(&built.read(rel))
        .iter()
        .map(|e| prop(e, "UID").expect("UID").to_string())
        .collect()
}

/// The UID of task `id` of the plan numbered `n` in `year`.
fn uid(plan: &str, id: &str) -> String {
    let year = match plan {
        "1-kh-ubnd" => 2022,
        "2-kh-ubnd" => 2023,
        _ => 2024,
    };
    format!("{plan}-{year}-nv-{id}@cchc")
}

#[test]
fn calendar_window_and_yearly_archives() {
    let site = window_site();
    // Today 2024-06-15: the window starts 2023-06-15.
    let built = site.build_ok();
    let window = uids(&built, "lich.ics");
    let want: BTreeSet<String> = [
        uid("1-kh-ubnd", "mo"),
        uid("2-kh-ubnd", "gan"),
        uid("3-kh-ubnd", "toi"),
    ]
    .into_iter()
    .collect();
    assert_eq!(window, want, "window from 2023-06-15");
    // Every event in exactly one archive, by the year it starts.
    let archives: BTreeMap<String, BTreeSet<String>> = built
        .files()
        .into_iter()
        .filter(|f| f.starts_with("lich/nam-") && f.ends_with(".ics"))
        .map(|f| (f.clone(), uids(&built, &f)))
        .collect();
    let names: Vec<&String> = archives.keys().collect();
    assert_eq!(
        names,
        [
            "lich/nam-2022.ics",
            "lich/nam-2023.ics",
            "lich/nam-2024.ics"
        ]
    );
    assert!(archives["lich/nam-2022.ics"].contains(&uid("1-kh-ubnd", "cu")));
    assert!(archives["lich/nam-2022.ics"].contains(&uid("1-kh-ubnd", "mo")));
    assert!(archives["lich/nam-2023.ics"].contains(&uid("2-kh-ubnd", "xa")));
    let total: usize = archives.values().map(BTreeSet::len).sum();
    let all: BTreeSet<&String> = archives.values().flatten().collect();
    assert_eq!(total, 5, "five dated tasks, each archived once");
    assert_eq!(all.len(), 5);
    assert!(!window.contains(&uid("1-kh-ubnd", "cu")), "two years back");
    // A unit's calendar: the tasks it leads, window and archives the same way.
    let unit_window = uids(&built, "don-vi/so-tu-phap/lich.ics");
    assert!(unit_window.is_empty(), "{unit_window:?}");
    assert_eq!(
        uids(&built, "don-vi/so-tu-phap/lich/nam-2023.ics"),
        [uid("2-kh-ubnd", "xa")]
            .into_iter()
            .collect::<BTreeSet<_>>()
    );
    assert_eq!(uids(&built, "don-vi/so-noi-vu/lich.ics"), want);
    // A unit's archives add only what its window lacks (the site's hold every event).
    let unit_archived: BTreeSet<String> = built
        .files()
        .into_iter()
        .filter(|f| f.starts_with("don-vi/so-noi-vu/lich/nam-"))
        .flat_map(|f| uids(&built, &f))
        .collect();
    assert!(unit_archived.is_disjoint(&want), "{unit_archived:?}");
    // The index lists the calendar files with their sizes.
    let index = built.data_index();
    for f in ["lich.ics", "lich/nam-2022.ics", "lich/nam-2024.ics"] {
        let rec = index
            .iter()
            .find(|r| r["path"] == f)
            .unwrap_or_else(|| panic!("{f} not in index"));
        assert_eq!(rec["bytes"].as_u64(), Some(built.bytes(f).len() as u64));
    }
    let files = built.ics_paths();
    run_ics_check(&files);

    // Later the window starts 2024-12-01: dated tasks before it left; the open-ended one stays.
    let later = site.build_into("later", "2025-12-01");
    later.assert_written();
    let window = uids(&later, "lich.ics");
    assert!(window.contains(&uid("1-kh-ubnd", "mo")));
    assert!(!window.contains(&uid("2-kh-ubnd", "gan")));
    assert!(!window.contains(&uid("3-kh-ubnd", "toi")));
    // The unit's current workbook and CSV follow the same window.
    let csv = csv_maps(&later.csv("don-vi/so-noi-vu/nhiem-vu.csv"));
    let ids: BTreeSet<&str> = csv.iter().map(|r| r["Mã"].as_str()).collect();
    assert_eq!(
        ids,
        ["1-kh-ubnd-2022#nv-mo", "3-kh-ubnd-2024#nv-khong-han"]
            .into_iter()
            .collect::<BTreeSet<_>>(),
        "open-ended, and undated of the window's years"
    );
}

/// Many documents over several years with a 20 kB file limit.
fn parted_site() -> TestSite {
    let plans = (0..36).map(|i| {
        let year = 2021 + i % 4;
        let mut body = format!(
            "---\ntitle: Kế hoạch số {i} về cải cách hành chính\ntype: ke-hoach\nnumber: {i}/KH-UBND\ndate: {year}-02-0{}\nyear: {year}\ntasks:\n",
            1 + i % 9
        );
        for k in 0..12 {
            body.push_str(&format!(
                "  - id: v{k}\n    task: Nhiệm vụ {k} của kế hoạch {i}, rà soát và công bố thủ tục hành chính, cập nhật cơ sở dữ liệu\n    lead: Sở Nội vụ\n    support: Sở Tư pháp\n    due: Quý {}/{year}\n",
                ["I", "II", "III", "IV"][k % 4]
            ));
        }
        body.push_str("---\n");
        body
    });
    site_with_plans("title: Thử\nbase_url: /cchc/\nmax_file_kb: 20\n", plans)
}

#[test]
fn open_data_parts_gzip_and_index_agree() {
    let site = parted_site();
    let built = site.build_ok();
    let limit = 20_000;
    // No download over the limit anywhere.
    for f in built.files() {
        if f.ends_with(".csv") || f.ends_with(".json") || f.ends_with(".ics") {
            let n = built.bytes(&f).len();
            assert!(n <= limit, "{f}: {n} bytes over {limit}");
        }
    }
    let index = built.data_index();
    // The index lists every data file with its true size and CRC-32, and nothing missing.
    let on_disk: BTreeSet<String> = built
        .files()
        .into_iter()
        .filter(|f| {
            f.starts_with("du-lieu/") && !f.ends_with("index.json") && !f.ends_with(".html")
        })
        .collect();
    let listed: BTreeSet<String> = index
        .iter()
        .map(|r| s(r, "path").to_string())
        .filter(|p| p.starts_with("du-lieu/"))
        .collect();
    assert_eq!(listed, on_disk);
    // And every unit's own downloads, each under its unit's folder.
    let unit_files: BTreeSet<String> = built
        .files()
        .into_iter()
        .filter(|f| {
            f.starts_with("don-vi/") && [".ics", ".csv", ".xlsx"].iter().any(|ext| f.ends_with(ext))
        })
        .collect();
    let listed_units: BTreeSet<String> = index
        .iter()
        .filter(|r| r.get("unit").is_some())
        .map(|r| {
            let path = s(r, "path");
            assert!(
                path.starts_with(&format!("don-vi/{}/", s(r, "unit"))),
                "a unit's file lies in its folder: {r}"
            );
            path.to_string()
        })
        .collect();
    assert!(!unit_files.is_empty(), "the site has unit downloads");
    assert_eq!(listed_units, unit_files);
    // Each unit's page links each of its current-task files (CSV and XLSX, every part).
    let current: Vec<&serde_json::Value> = index
        .iter()
        .filter(|r| r.get("unit").is_some() && s(r, "set") == "nhiem-vu-hien-hanh")
        .collect();
    assert!(current.iter().any(|r| s(r, "format") == "xlsx"));
    assert!(
        current.iter().any(|r| r["parts"].as_u64() > Some(1)),
        "a unit's current tasks cut into parts"
    );
    for r in &current {
        let dir = format!("don-vi/{}/", s(r, "unit"));
        let name = s(r, "path").strip_prefix(&dir).unwrap();
        for (page, href) in [
            ("index.html", name.to_string()),
            ("trang-2/index.html", format!("../{name}")),
        ] {
            let page = format!("{dir}{page}");
            if built.exists(&page) {
                let hrefs = attrs(&built.html(&page), "a[href]", "href");
                assert!(
                    hrefs.contains(&href),
                    "{page} does not link {href}: {hrefs:?}"
                );
            }
        }
    }
    for r in &index {
        let bytes = built.bytes(s(r, "path"));
        assert_eq!(r["bytes"].as_u64(), Some(bytes.len() as u64), "{r}");
        assert_eq!(
            s(r, "crc32"),
            format!("{:08x}", crc32fast::hash(&bytes)),
            "{r}"
        );
    }
    // Years were cut into parts, and every task is in exactly one part of its document's year.
    let csv_parts = built.data_parts("nhiem-vu", "csv");
    assert!(
        csv_parts.iter().any(|p| p.contains("-phan-2")),
        "{csv_parts:?}"
    );
    let tasks = built.tasks();
    assert_eq!(tasks.len(), 36 * 12);
    let years: BTreeMap<String, i64> = built
        .documents()
        .iter()
        .map(|d| (s(d, "slug").to_string(), d["year"].as_i64().unwrap()))
        .collect();
    let mut seen = BTreeSet::new();
    for p in built.data_parts("nhiem-vu", "json") {
        let v = built.json(&p);
        let rec = index.iter().find(|r| r["path"] == p.as_str()).unwrap();
        assert_eq!(v["year"], rec["year"], "{p}");
        let rows = task_objects(&v);
        assert_eq!(rec["rows"].as_u64(), Some(rows.len() as u64), "{p}");
        for t in &rows {
            let id = s(t, "id").to_string();
            let slug = id.split('#').next().unwrap();
            assert_eq!(Some(years[slug]), v["year"].as_i64(), "{id} in {p}");
            assert!(seen.insert(id.clone()), "{id} in two parts");
        }
    }
    assert_eq!(seen.len(), tasks.len());
    // The gzips hold the same rows as the parts, in the same order.
    let whole = gunzip_json(&built.path("du-lieu/nhiem-vu.json.gz"));
    let gz_rows = task_objects(&whole);
    let gz_ids: Vec<&str> = gz_rows.iter().map(|t| s(t, "id")).collect();
    let part_ids: Vec<&str> = tasks.iter().map(|t| s(t, "id")).collect();
    assert_eq!(gz_ids, part_ids);
    let gz_csv = String::from_utf8(gunzip(&built.path("du-lieu/nhiem-vu.csv.gz"))).unwrap();
    let gz_records = parse_csv(gz_csv.strip_prefix('\u{feff}').expect("BOM")).unwrap();
    assert_eq!(gz_records, built.task_csv());
    // Documents are split the same way, and every task's document is among them.
    assert!(built.data_parts("van-ban", "json").len() > 1);
    assert_eq!(built.documents().len(), 36);
    // The data page links every part.
    let page = built.html("du-lieu/index.html");
    let hrefs = attrs(&page, "a[href]", "href");
    for p in csv_parts {
        assert!(hrefs.iter().any(|h| h.ends_with(&p)), "{p} not linked");
    }
}

#[test]
fn downloads_are_byte_identical_across_builds() {
    let site = parted_site();
    let a = site.build_into("a", TODAY);
    let b = site.build_into("b", TODAY);
    a.assert_written();
    b.assert_written();
    for f in a.files() {
        if f.starts_with("du-lieu/") || f.ends_with(".ics") || f.ends_with(".xlsx") {
            assert_eq!(a.bytes(&f), b.bytes(&f), "{f} differs");
        }
    }
}

/// A year of many long tasks under the 20 kB limit, so its calendar archive is cut into more
/// than nine parts, and a second year with fewer.
fn many_parts_site() -> TestSite {
    let plans = (0..28).map(|i| {
        let year = if i < 4 { 2021 } else { 2022 };
        let mut body = format!(
            "---\ntitle: Kế hoạch số {i}\ntype: ke-hoach\nnumber: {i}/KH-UBND\ndate: {year}-01-0{}\nyear: {year}\ntasks:\n",
            1 + i % 9
        );
        for k in 0..25 {
            body.push_str(&format!(
                "  - id: v{k}\n    task: Nhiệm vụ {k} của kế hoạch {i} — rà soát, đánh giá, công bố và công khai thủ tục hành chính thuộc thẩm quyền giải quyết, cập nhật cơ sở dữ liệu quốc gia\n    lead: Sở Nội vụ\n    due: Trước ngày {:02}/{:02}/{year}\n",
                1 + k,
                1 + i % 12
            ));
        }
        body.push_str("---\n");
        body
    });
    site_with_plans("title: Thử\nmax_file_kb: 20\n", plans)
}

/// A site of `site_yaml`, the shared units and one plan file `content/kh-<i>.md` for each of
/// `plans`.
fn site_with_plans(site_yaml: &str, plans: impl Iterator<Item = String>) -> TestSite {
    let mut files = vec![
        ("content/site.yaml".to_string(), site_yaml.to_string()),
        ("content/units.yaml".into(), UNITS.into()),
    ];
    files.extend(
        plans
            .enumerate()
            .map(|(i, p)| (format!("content/kh-{i}.md"), p)),
    );
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    TestSite::from_files(&refs)
}

/// The calendar archive links of a built page as (year, part, link text), in page order.
fn archive_links(built: &Built, page: &str) -> Vec<(i32, usize, String)> {
    let html = built.html(page);
    let selector = "a[href*=\"lich/nam-\"]";
    let hrefs = attrs(&html, selector, "href");
    let labels = texts(&html, selector);
    assert_eq!(hrefs.len(), labels.len());
    hrefs
        .iter()
        .zip(labels)
        .map(|(href, label)| {
            let name = href.rsplit("/nam-").next().unwrap();
            let name = name.strip_suffix(".ics").expect(href);
            let (year, part) = match name.split_once("-phan-") {
                Some((y, k)) => (y, k.parse().expect(href)),
                None => (name, 1),
            };
            (year.parse().expect(href), part, label)
        })
        .collect()
}

#[test]
fn archive_links_list_years_newest_first_and_parts_in_number_order() {
    let built = many_parts_site().build_ok();
    for page in ["lich/index.html", "don-vi/so-noi-vu/index.html"] {
        let links = archive_links(&built, page);
        let parts_2022 = links.iter().filter(|l| l.0 == 2022).count();
        assert!(
            parts_2022 >= 10,
            "{page}: {parts_2022} parts, too few to tell 10 from 2"
        );
        assert!(links.iter().any(|l| l.0 == 2021), "{page}: {links:?}");
        let mut want = links.clone();
        want.sort_by_key(|l| (std::cmp::Reverse(l.0), l.1));
        assert_eq!(links, want, "{page}");
        // Each link reads as the file it opens: "2022 (phần 10/12)".
        for (year, part, label) in &links {
            let of = links.iter().filter(|l| l.0 == *year).count();
            let text = if of > 1 {
                format!("{year} (phần {part}/{of})")
            } else {
                year.to_string()
            };
            assert_eq!(label, &text, "{page}");
        }
    }
}
