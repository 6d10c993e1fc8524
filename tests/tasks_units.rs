//! Issue "tasks and units": every written task form yields the same records, units are
//! matched (aliases, head titles, OCR, multi-unit cells, collectives), and the unit pages,
//! the unit list and the CSVs show exactly those tasks.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::Value;

/// Registered units of the `tasks-units` fixture (slug → canonical name), as in its units.yaml.
const REGISTERED: &[(&str, &str)] = &[
    ("so-noi-vu", "Sở Nội vụ"),
    ("so-tu-phap", "Sở Tư pháp"),
    ("so-tai-chinh", "Sở Tài chính"),
    ("so-xay-dung", "Sở Xây dựng"),
    (
        "so-thong-tin-va-truyen-thong",
        "Sở Thông tin và Truyền thông",
    ),
    ("cac-so-ban-nganh-tinh", "Các sở, ban, ngành tỉnh"),
    ("ubnd-cap-huyen", "UBND cấp huyện"),
];

/// The one unit the fixture names without registering it.
const UNREGISTERED: &str = "Sở Tài chánh";

/// One expected task record.
struct Want {
    doc: &'static str,
    task: &'static str,
    label: &'static str,
    group: Option<&'static str>,
    product: Option<&'static str>,
    lead: &'static [&'static str],
    support: &'static [&'static str],
    due: &'static str,
    inherited: bool,
    budget: Option<&'static str>,
    note: Option<&'static str>,
    status: Option<&'static str>,
    form: &'static str,
    /// Text on the source line the task starts at.
    line: &'static str,
}

const FM: &str = "fm/ke-hoach-du-lieu.md";
const TABLE: &str = "bang/ke-hoach-bang.md";
const LABELLED: &str = "danh-sach/ke-hoach-nhan.md";
const NOTICE: &str = "thong-bao/thong-bao-ket-luan.md";
const MIXED: &str = "hon-hop/ke-hoach-hon-hop.md";

const NOTICE_T2: &str =
    "Nâng cấp cổng dịch vụ công, gồm \"một cửa\", liên thông:\n- Rà soát quy trình\n- Tích hợp thanh toán";

fn wants() -> Vec<Want> {
    let w = |doc, task, label, lead, due, form, line| Want {
        doc,
        task,
        label,
        group: None,
        product: None,
        lead,
        support: &[],
        due,
        inherited: false,
        budget: None,
        note: None,
        status: None,
        form,
        line,
    };
    vec![
        // --- front matter ---
        Want {
            group: Some("Công tác thông tin, tuyên truyền"),
            product: Some("Các hình thức thích hợp"),
            support: &["so-thong-tin-va-truyen-thong", "so-tu-phap"],
            budget: Some("40 tr"),
            note: Some("NS tỉnh"),
            status: Some("dang-thuc-hien"),
            // "Giám đốc Sở Nội vụ": the head stands for the unit.
            ..w(
                FM,
                "Tăng cường tuyên truyền cải cách hành chính",
                "1.a",
                &["so-noi-vu"],
                "Quý II/2024",
                "front-matter",
                "- id: \"1.a\"",
            )
        },
        // "SNV" is an alias.
        w(
            FM,
            "Tổng hợp báo cáo kết quả",
            "2",
            &["so-noi-vu"],
            "Thường xuyên",
            "front-matter",
            "- task: Tổng hợp báo cáo kết quả",
        ),
        // --- task table: headers without diacritics, in unusual order ---
        Want {
            group: Some("Công tác chỉ đạo, điều hành"),
            product: Some("Báo cáo rà soát"),
            support: &["so-noi-vu"],
            budget: Some("50tr/huyện"),
            note: Some("NS tỉnh"),
            // "Các Sở: Tư pháp, Tài chính, Xây dựng" is three units.
            ..w(
                TABLE,
                "Rà soát văn bản quy phạm pháp luật",
                "1",
                &["so-tu-phap", "so-tai-chinh", "so-xay-dung"],
                "Quý I/2024",
                "table",
                "| Rà soát văn bản",
            )
        },
        Want {
            group: Some("Công tác chỉ đạo, điều hành"),
            product: Some("Kết luận kiểm tra"),
            // The OCR spelling "S0 Tai chjnh" is an alias of Sở Tài chính.
            support: &["so-tai-chinh"],
            budget: Some("Kinh phí tự chủ"),
            ..w(
                TABLE,
                "Kiểm tra công tác cải cách hành chính",
                "2",
                &["so-noi-vu", "so-tu-phap"],
                "Tháng 12/2024",
                "table",
                "| Kiểm tra công tác",
            )
        },
        Want {
            group: Some("Cải cách thủ tục hành chính"),
            // A collective stays one unit.
            ..w(
                TABLE,
                "Công khai thủ tục hành chính",
                "3",
                &["cac-so-ban-nganh-tinh"],
                "Thường xuyên",
                "table",
                "| Công khai thủ tục",
            )
        },
        Want {
            group: Some("Cải cách thủ tục hành chính"),
            support: &["so-thong-tin-va-truyen-thong"],
            ..w(
                TABLE,
                "Cập nhật cơ sở dữ liệu tài chính công",
                "4",
                &[UNREGISTERED],
                "Khi có văn bản mới",
                "table",
                "| Cập nhật cơ sở",
            )
        },
        // --- labelled list ---
        Want {
            group: Some("Cải cách thể chế"),
            product: Some("Kế hoạch kiểm tra"),
            support: &["cac-so-ban-nganh-tinh"],
            ..w(
                LABELLED,
                "Xây dựng kế hoạch kiểm tra văn bản",
                "a",
                &["so-tu-phap"],
                "Trước ngày 30/11/2024",
                "labelled",
                "a) Xây dựng",
            )
        },
        Want {
            group: Some("Cải cách thể chế"),
            // OCR "S& Noi vu" without diacritics in the label too.
            ..w(
                LABELLED,
                "Tổ chức tập huấn nghiệp vụ",
                "b",
                &["so-noi-vu"],
                "Tháng 12/2024",
                "labelled",
                "b) Tổ chức",
            )
        },
        // --- unit-headed sections of a notice ---
        Want {
            group: Some("Nhiệm vụ trọng tâm 6 tháng cuối năm 2024"),
            ..w(
                NOTICE,
                "Triển khai nền tảng số dùng chung trước ngày 30/09/2024.",
                "1",
                &["so-thong-tin-va-truyen-thong"],
                "trước ngày 30/09/2024",
                "unit-headed",
                "- Triển khai nền tảng",
            )
        },
        Want {
            group: Some("Nhiệm vụ trọng tâm 6 tháng cuối năm 2024"),
            inherited: true,
            ..w(
                NOTICE,
                NOTICE_T2,
                "2",
                &["so-thong-tin-va-truyen-thong"],
                "6 tháng cuối năm 2024",
                "unit-headed",
                "- Nâng cấp cổng",
            )
        },
        Want {
            group: Some("Nhiệm vụ trọng tâm 6 tháng cuối năm 2024"),
            inherited: true,
            // "Chủ tịch UBND cấp huyện": the head's title is dropped.
            ..w(
                NOTICE,
                "Chỉ đạo bộ phận một cửa cấp huyện.",
                "3",
                &["ubnd-cap-huyen"],
                "6 tháng cuối năm 2024",
                "unit-headed",
                "- Chỉ đạo bộ phận",
            )
        },
        // --- one document mixing all four forms ---
        w(
            MIXED,
            "Ban hành quy chế phối hợp",
            "1",
            &["so-noi-vu", "so-tu-phap"],
            "Tháng 3/2024",
            "front-matter",
            "- task: Ban hành quy chế",
        ),
        Want {
            group: Some("NHIỆM VỤ"),
            ..w(
                MIXED,
                "Số hóa hồ sơ",
                "1",
                &["so-xay-dung"],
                "Quý III/2024",
                "table",
                "| 1 | Số hóa hồ sơ",
            )
        },
        Want {
            group: Some("NHIỆM VỤ"),
            ..w(
                MIXED,
                "Đánh giá chỉ số cải cách hành chính",
                "a",
                &["so-noi-vu"],
                "Quý IV/2024",
                "labelled",
                "a) Đánh giá",
            )
        },
        Want {
            group: Some("NHIỆM VỤ"),
            ..w(
                MIXED,
                "Bố trí kinh phí thực hiện kế hoạch.",
                "4",
                &["so-tai-chinh"],
                "",
                "unit-headed",
                "- Bố trí kinh phí",
            )
        },
    ]
}

fn registered_name(slug: &str) -> Option<&'static str> {
    REGISTERED.iter().find(|(s, _)| *s == slug).map(|(_, n)| *n)
}

/// Checks a JSON unit list against expected slugs (or, for unregistered ones, names).
fn assert_units(task: &Value, key: &str, want: &[&str]) {
    let got = units_of(task, key);
    assert_eq!(got.len(), want.len(), "{key} of {}: {got:?}", task["task"]);
    for ((slug, name, registered), w) in got.iter().zip(want) {
        match registered_name(w) {
            Some(canonical) => {
                assert_eq!(slug, w, "{key} of {}", task["task"]);
                assert_eq!(name, canonical);
                assert!(registered);
            }
            None => {
                assert_eq!(name, w, "{key} of {}", task["task"]);
                assert!(!registered, "{name} should be unregistered");
                assert!(!slug.is_empty());
            }
        }
    }
}

fn opt(v: &Value) -> Option<&str> {
    if v.is_null() {
        None
    } else {
        Some(v.as_str().unwrap_or_else(|| panic!("not a string: {v}")))
    }
}

#[test]
fn every_task_form_gives_the_same_records() {
    let site = TestSite::fixture("tasks-units");
    let built = site.build_ok();
    let wants = wants();
    let tasks = built.tasks();
    assert_eq!(
        tasks.len(),
        wants.len(),
        "task count; got {:#?}",
        tasks.iter().map(|t| &t["task"]).collect::<Vec<_>>()
    );
    // Per document, in source order.
    for doc in [FM, TABLE, LABELLED, NOTICE, MIXED] {
        let got = built.tasks_of(doc);
        let expected: Vec<&Want> = wants.iter().filter(|w| w.doc == doc).collect();
        let got_texts: Vec<&str> = got.iter().map(|t| s(t, "task")).collect();
        let want_texts: Vec<&str> = expected.iter().map(|w| w.task).collect();
        assert_eq!(got_texts, want_texts, "tasks of {doc}");
        let slug = built.slug_of(doc);
        let page_path = format!("van-ban/{slug}/index.html");
        let page = built.html(&page_path);
        let doc_meta = built.doc_by_source(doc);
        for (t, w) in got.iter().zip(&expected) {
            let what = format!("{doc}: {}", w.task);
            // id and url name the row of the document page that shows the task.
            let id = s(t, "id");
            let anchor = id
                .strip_prefix(&format!("{slug}#"))
                .unwrap_or_else(|| panic!("{what}: id {id}"));
            assert!(anchor.starts_with("nv-"), "{what}: anchor {anchor}");
            assert_eq!(s(t, "url"), format!("/van-ban/{slug}/#{anchor}"), "{what}");
            let row = page
                .select(&sel(&format!("tr[id=\"{anchor}\"]")))
                .next()
                .unwrap_or_else(|| panic!("{what}: no row #{anchor} on {page_path}"));
            let row_text = text_of(&row);
            assert!(row_text.starts_with(w.label), "{what}: row {row_text}");
            assert_eq!(t["document"]["slug"], slug.as_str());
            assert_eq!(t["document"]["number"], doc_meta["number"]);
            assert_eq!(t["document"]["title"], doc_meta["title"]);
            assert_eq!(s(t, "label"), w.label, "{what}");
            assert_eq!(opt(&t["group"]), w.group, "{what}: group");
            assert_eq!(s(t, "task"), w.task);
            assert_eq!(opt(&t["product"]), w.product, "{what}: product");
            assert_units(t, "lead", w.lead);
            assert_units(t, "support", w.support);
            assert_eq!(s(&t["due"], "text"), w.due, "{what}: due");
            assert_eq!(t["due"]["inherited"], w.inherited, "{what}: inherited");
            assert_eq!(opt(&t["budget"]), w.budget, "{what}: budget");
            assert_eq!(opt(&t["note"]), w.note, "{what}: note");
            assert_eq!(opt(&t["status"]), w.status, "{what}: status");
            assert_eq!(s(t, "form"), w.form, "{what}: form");
            let line = site.line_of(&format!("content/{doc}"), w.line);
            assert_eq!(
                s(t, "source"),
                format!("content/{doc}:{line}"),
                "{what}: source"
            );
        }
    }
    // Results ("Kết quả đạt được") are reports, not tasks.
    assert!(tasks.iter().all(|t| !s(t, "task").contains("tham mưu tốt")));
    // Ids are unique site-wide.
    let ids: BTreeSet<&str> = tasks.iter().map(|t| s(t, "id")).collect();
    assert_eq!(ids.len(), tasks.len());
}

/// Unit slug → (lead task ids, support-only task ids), from the JSON.
fn duties(tasks: &[Value]) -> BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> {
    let mut out: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for t in tasks {
        let id = s(t, "id").to_string();
        let lead = unit_slugs(t, "lead");
        for u in &lead {
            out.entry(u.clone()).or_default().0.insert(id.clone());
        }
        for u in unit_slugs(t, "support") {
            if !lead.contains(&u) {
                out.entry(u).or_default().1.insert(id.clone());
            }
        }
    }
    out
}

#[test]
fn each_unit_page_lists_exactly_the_tasks_naming_it() {
    let site = TestSite::fixture("tasks-units");
    let built = site.build_ok();
    let tasks = built.tasks();
    let duties = duties(&tasks);
    // Every registered unit is used by the fixture, plus the unregistered one.
    assert_eq!(duties.len(), REGISTERED.len() + 1, "{:?}", duties.keys());
    for (slug, (lead, support)) in &duties {
        let page_path = format!("don-vi/{slug}/index.html");
        let page = built.html(&page_path);
        let linked = linked_task_ids(&page_path, &page);
        let all: BTreeSet<String> = lead.union(support).cloned().collect();
        assert_eq!(linked, all, "tasks linked on {page_path}");
        let main = main_text(&page);
        assert!(
            main.contains(&format!(
                "chủ trì {}, phối hợp {}",
                lead.len(),
                support.len()
            )),
            "{page_path}: {main}"
        );
    }
    // The head-titled, aliased and OCR spellings of Sở Nội vụ all land on its one page.
    let noi_vu = &duties["so-noi-vu"];
    assert_eq!(noi_vu.0.len(), 6, "{noi_vu:?}");
    assert_eq!(noi_vu.1.len(), 1, "{noi_vu:?}");
    // No second page for a spelling of a registered unit.
    let unit_dirs: BTreeSet<String> = built
        .files()
        .into_iter()
        .filter_map(|f| {
            f.strip_prefix("don-vi/")
                .and_then(|r| r.strip_suffix("/index.html"))
                .map(str::to_string)
        })
        .filter(|d| !d.contains('/'))
        .collect();
    assert_eq!(unit_dirs, duties.keys().cloned().collect::<BTreeSet<_>>());
}

#[test]
fn unregistered_unit_gets_a_page_and_check_names_the_nearest_unit() {
    let site = TestSite::fixture("tasks-units");
    let built = site.build_ok();
    let t = built
        .tasks()
        .into_iter()
        .find(|t| t["task"] == "Cập nhật cơ sở dữ liệu tài chính công")
        .unwrap();
    let (slug, name, registered) = units_of(&t, "lead").remove(0);
    assert_eq!(name, UNREGISTERED);
    assert!(!registered);
    let page = built.html(&format!("don-vi/{slug}/index.html"));
    assert_eq!(texts(&page, "main h1"), [UNREGISTERED]);
    assert!(main_text(&page).contains("chưa có trong danh mục"));

    let report = site.check();
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    let unregistered: Vec<&cchc::diag::Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("chưa có trong danh mục"))
        .collect();
    assert_eq!(unregistered.len(), 1, "{unregistered:#?}");
    let d = unregistered[0];
    assert!(d.message.contains(UNREGISTERED), "{d}");
    assert_eq!(d.file, std::path::Path::new("content").join(TABLE));
    assert_eq!(
        d.line,
        site.line_of(&format!("content/{TABLE}"), "| Cập nhật cơ sở")
    );
    assert!(
        d.hint.as_deref().unwrap_or("").contains("Sở Tài chính"),
        "{d}"
    );

    // The CLI prints it with its position and the hint.
    let run = run_bin(&site.root, &["check", "--today", TODAY]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let line = site.line_of(&format!("content/{TABLE}"), "| Cập nhật cơ sở");
    assert!(
        run.stderr.contains(&format!("content/{TABLE}:{line}:")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(UNREGISTERED) && run.stderr.contains("Sở Tài chính"),
        "{}",
        run.stderr
    );
}

#[test]
fn unit_list_shows_every_unit_with_its_counts() {
    let site = TestSite::fixture("tasks-units");
    let built = site.build_ok();
    let tasks = built.tasks();
    let duties = duties(&tasks);
    let state: BTreeMap<String, String> = tasks
        .iter()
        .map(|t| (s(t, "id").to_string(), s(t, "state").to_string()))
        .collect();
    let page = built.html("don-vi/index.html");
    let mut seen = BTreeSet::new();
    for row in page.select(&sel("table.units tbody tr")) {
        let href = row
            .select(&sel("a[href]"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap()
            .to_string();
        let (target, _) = resolve_href("don-vi/index.html", &href).unwrap();
        let slug = target
            .strip_prefix("don-vi/")
            .and_then(|r| r.strip_suffix("/index.html"))
            .unwrap()
            .to_string();
        let cells: Vec<String> = row.select(&sel("td")).map(|c| text_of(&c)).collect();
        let (lead, support) = &duties[&slug];
        let overdue = lead.iter().filter(|id| state[*id] == "qua-han").count();
        assert_eq!(
            cells[1..],
            [
                lead.len().to_string(),
                support.len().to_string(),
                overdue.to_string()
            ],
            "{slug}"
        );
        assert!(seen.insert(slug));
    }
    assert_eq!(seen, duties.keys().cloned().collect::<BTreeSet<_>>());
}

#[test]
fn csv_files_hold_every_task_quoted_per_rfc_4180() {
    let site = TestSite::fixture("tasks-units");
    let built = site.build_ok();
    let tasks = built.tasks();
    let records = built.task_csv();
    let rows = csv_maps(&records);
    for col in [
        "Mã",
        "Nhiệm vụ",
        "Chủ trì",
        "Phối hợp",
        "Thời hạn (như văn bản ghi)",
        "Nguồn",
    ] {
        assert!(
            records[0].iter().any(|h| h == col),
            "header lacks {col}: {:?}",
            records[0]
        );
    }
    assert_eq!(rows.len(), tasks.len());
    for (row, t) in rows.iter().zip(&tasks) {
        assert_eq!(row["Mã"], s(t, "id"));
        assert_eq!(row["Nhiệm vụ"], s(t, "task"));
        assert_eq!(row["Thời hạn (như văn bản ghi)"], s(&t["due"], "text"));
        assert_eq!(row["Nguồn"], s(t, "source"));
        let lead: Vec<String> = units_of(t, "lead").into_iter().map(|u| u.1).collect();
        assert_eq!(row["Chủ trì"], lead.join("; "));
    }
    // The cell with a comma, quotes and line breaks round-trips, and is quoted in the file.
    assert!(rows.iter().any(|r| r["Nhiệm vụ"] == NOTICE_T2));
    let raw: String = built
        .data_parts("nhiem-vu", "csv")
        .iter()
        .map(|p| built.read(p))
        .collect();
    assert!(raw.contains("\"Nâng cấp cổng dịch vụ công, gồm \"\"một cửa\"\", liên thông:\n- Rà soát quy trình\n- Tích hợp thanh toán\""), "quoted cell not found");

    // Per-unit CSV: exactly that unit's tasks in the current window (the fixture's tasks all
    // are: the window starts a year before TODAY).
    let years: BTreeMap<String, Option<i64>> = built
        .documents()
        .iter()
        .map(|d| (s(d, "slug").to_string(), d["year"].as_i64()))
        .collect();
    let current: BTreeSet<String> = tasks
        .iter()
        .filter(|t| in_window(t, years[s(&t["document"], "slug")], TODAY))
        .map(|t| s(t, "id").to_string())
        .collect();
    assert!(!current.is_empty());
    for (slug, (lead, support)) in duties(&tasks) {
        let path = format!("don-vi/{slug}/nhiem-vu.csv");
        let records = built.csv(&path);
        assert_eq!(records[0], records_header(&built), "{path} header");
        let ids: Vec<String> = csv_maps(&records)
            .into_iter()
            .map(|r| r["Mã"].clone())
            .collect();
        let set: BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(ids.len(), set.len(), "{path}: repeated rows");
        assert_eq!(
            set,
            lead.union(&support)
                .filter(|id| current.contains(*id))
                .cloned()
                .collect::<BTreeSet<_>>(),
            "{path}"
        );
    }
}

fn records_header(built: &Built) -> Vec<String> {
    built.task_csv()[0].clone()
}

#[test]
fn unregistered_collectives_stay_one_unit_and_lists_split() {
    // No registry at all: splitting must not rely on known names.
    let site = TestSite::from_files(&[
        ("content/site.yaml", "title: Thử\n"),
        (
            "content/k.md",
            "---\ntitle: Kế hoạch\ntype: ke-hoach\ndate: 2024-01-01\nyear: 2024\n---\n\n| TT | Nội dung thực hiện | Cơ quan chủ trì | Thời gian thực hiện |\n|---|---|---|---|\n| 1 | Việc một | Các sở, ban, ngành tỉnh | Quý I/2024 |\n| 2 | Việc hai | Sở Nội vụ, Sở Tư pháp | Quý I/2024 |\n| 3 | Việc ba | Các Sở: Tư pháp, Tài chính, Xây dựng | Quý I/2024 |\n| 4 | Việc bốn | Sở Thông tin và Truyền thông | Quý I/2024 |\n",
        ),
    ]);
    let built = site.build_ok();
    let names = |text: &str| -> Vec<String> {
        let t = built
            .tasks()
            .into_iter()
            .find(|t| t["task"] == text)
            .unwrap();
        units_of(&t, "lead").into_iter().map(|u| u.1).collect()
    };
    assert_eq!(names("Việc một"), ["Các sở, ban, ngành tỉnh"]);
    assert_eq!(names("Việc hai"), ["Sở Nội vụ", "Sở Tư pháp"]);
    assert_eq!(
        names("Việc ba"),
        ["Sở Tư pháp", "Sở Tài chính", "Sở Xây dựng"]
    );
    // "và" inside a department name does not split it.
    assert_eq!(names("Việc bốn"), ["Sở Thông tin và Truyền thông"]);
}

#[test]
fn unit_pages_paginate_without_losing_or_repeating_tasks() {
    let site = TestSite::fixture("pagination");
    let built = site.build_ok();
    let tasks = built.tasks();
    assert_eq!(tasks.len(), 35);
    let mine: BTreeSet<String> = tasks
        .iter()
        .filter(|t| {
            unit_slugs(t, "lead").contains(&"so-noi-vu".to_string())
                || unit_slugs(t, "support").contains(&"so-noi-vu".to_string())
        })
        .map(|t| s(t, "id").to_string())
        .collect();
    assert_eq!(mine.len(), 35);
    let mut pages = vec!["don-vi/so-noi-vu/index.html".to_string()];
    pages.extend((2..=4).map(|n| format!("don-vi/so-noi-vu/trang-{n}/index.html")));
    assert!(
        !built.exists("don-vi/so-noi-vu/trang-5/index.html"),
        "a fifth page"
    );
    let mut seen: Vec<String> = Vec::new();
    let mut sizes = Vec::new();
    for p in &pages {
        let page = built.html(p);
        let mut on_page = Vec::new();
        // Compact rows of the lead and support lists (not the coming deadlines above them).
        for row in page.select(&sel(
            "section[aria-labelledby=chu-tri] table.compact tbody tr:not(.group-row), section[aria-labelledby=phoi-hop] table.compact tbody tr:not(.group-row)",
        )) {
            let href = row
                .select(&sel("a[href]"))
                .next()
                .unwrap()
                .value()
                .attr("href")
                .unwrap();
            let (target, frag) = resolve_href(p, href).unwrap();
            let slug = target
                .strip_prefix("van-ban/")
                .unwrap()
                .strip_suffix("/index.html")
                .unwrap();
            on_page.push(format!("{slug}#{}", frag.unwrap()));
        }
        sizes.push(on_page.len());
        seen.extend(on_page);
        // The pager links to the other pages.
        for other in &pages {
            if other != p {
                let hrefs = attrs(&page, "nav.pager a[href]", "href");
                assert!(
                    hrefs
                        .iter()
                        .any(|h| resolve_href(p, h).map(|r| r.0) == Some(other.clone())),
                    "{p} has no pager link to {other}: {hrefs:?}"
                );
            }
        }
    }
    assert_eq!(sizes, [10, 10, 10, 5]);
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "a task repeats across pages");
    assert_eq!(unique, mine, "tasks lost across pages");
}

/// A one-document site (no registry unless given) for the written-form edge cases below.
fn one_doc(body: &str, units: Option<&str>) -> TestSite {
    let doc = format!("---\ntitle: Kế hoạch thử\ntype: ke-hoach\nnumber: 8/KH-UBND\ndate: 2024-01-01\nyear: 2024\n---\n\n{body}");
    let site = TestSite::from_files(&[
        ("content/site.yaml", "title: Thử\n"),
        ("content/k.md", &doc),
    ]);
    if let Some(u) = units {
        site.write("content/units.yaml", u);
    }
    site
}

fn task_by_text(built: &Built, text: &str) -> Value {
    let tasks = built.tasks();
    let all: Vec<&str> = tasks.iter().map(|t| s(t, "task")).collect();
    tasks
        .iter()
        .find(|t| t["task"] == text)
        .cloned()
        .unwrap_or_else(|| panic!("no task {text:?}; have {all:?}"))
}

#[test]
fn group_row_filled_in_any_column_starts_a_group() {
    let site = one_doc(
        "| Thời gian thực hiện | Cơ quan chủ trì | Nội dung thực hiện | TT |\n|---|---|---|---|\n| **1. Nhóm một** | | | |\n| Quý I | Sở Nội vụ | Việc một | 1 |\n| **2. Nhóm hai** | | | |\n| Quý II | Sở Tư pháp | Việc hai | 2 |\n",
        None,
    );
    let built = site.build_ok();
    assert_eq!(built.tasks().len(), 2);
    assert_eq!(task_by_text(&built, "Việc một")["group"], "Nhóm một");
    assert_eq!(task_by_text(&built, "Việc hai")["group"], "Nhóm hai");
}

#[test]
fn department_list_ending_in_va_is_three_units() {
    let site = one_doc(
        "| TT | Nội dung thực hiện | Cơ quan chủ trì | Thời gian thực hiện |\n|---|---|---|---|\n| 1 | Việc một | Các Sở: Tư pháp, Tài chính và Xây dựng | Quý I |\n",
        None,
    );
    let built = site.build_ok();
    let names: Vec<String> = units_of(&task_by_text(&built, "Việc một"), "lead")
        .into_iter()
        .map(|u| u.1)
        .collect();
    assert_eq!(names, ["Sở Tư pháp", "Sở Tài chính", "Sở Xây dựng"]);
}

#[test]
fn inline_unit_paragraph_is_a_task() {
    let site = one_doc(
        "## II. NHIỆM VỤ\n\nSở Tư pháp: Chủ trì rà soát văn bản trong tháng 8/2024.\n\n- Sở Nội vụ: Chủ trì kiểm tra công vụ trong tháng 9/2024.\n",
        Some("- name: Sở Nội vụ\n- name: Sở Tư pháp\n"),
    );
    let built = site.build_ok();
    let listed = task_by_text(&built, "Chủ trì kiểm tra công vụ trong tháng 9/2024.");
    assert_eq!(units_of(&listed, "lead")[0].1, "Sở Nội vụ");
    let para = task_by_text(&built, "Chủ trì rà soát văn bản trong tháng 8/2024.");
    assert_eq!(units_of(&para, "lead")[0].1, "Sở Tư pháp");
    assert_eq!(para["due"]["text"], "trong tháng 8/2024");
    assert_eq!(para["form"], "unit-headed");
}

#[test]
fn numbered_item_followed_by_label_lines_is_a_task() {
    let site = one_doc(
        "## II. NHIỆM VỤ\n\n1. Xác định chỉ số cải cách hành chính\n- Thời gian: Tháng 10/2024.\n- Cơ quan chủ trì/tham mưu: Sở Nội vụ.\n- Cơ quan phối hợp: Sở Tư pháp.\n\n2. Tập huấn nghiệp vụ\n   - Đơn vị thực hiện: Sở Tư pháp\n   - Thời gian hoàn thành: Quý IV/2024\n",
        Some("- name: Sở Nội vụ\n- name: Sở Tư pháp\n"),
    );
    let built = site.build_ok();
    // The indented form is read …
    let nested = task_by_text(&built, "Tập huấn nghiệp vụ");
    assert_eq!(nested["due"]["text"], "Quý IV/2024");
    // … and so must be the form where the labels follow the numbered line directly.
    let t = task_by_text(&built, "Xác định chỉ số cải cách hành chính");
    assert_eq!(t["form"], "labelled");
    assert_eq!(t["due"]["text"], "Tháng 10/2024");
    assert_eq!(units_of(&t, "lead")[0].1, "Sở Nội vụ");
    assert_eq!(units_of(&t, "support")[0].1, "Sở Tư pháp");
}
