//! Progress (issue 17): the three ways to report (front matter `progress:`, results tables,
//! spreadsheets CSV/xlsx), each task's history and the honest states, on the illustrative
//! site `examples/tien-tien` and on small sites written here; and the incremental `serve`
//! engine giving what a clean build gives when a report is added, edited or removed.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use cchc::diag::Diagnostics;
use cchc::serve::Incremental;
use cchc::site::AssembleOptions;
use common::*;
use serde_json::Value;

/// The build date of the illustrative site's tests.
const NOV: &str = "2024-11-23";
const PLAN: &str = "ke-hoach-cchc-2024";

fn example() -> TestSite {
    let site = TestSite::empty();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tien-tien/content"),
        &site.root.join("content"),
    );
    site
}

fn states(built: &Built) -> BTreeMap<String, String> {
    built
        .tasks()
        .iter()
        .map(|t| (s(t, "label").to_string(), s(t, "state").to_string()))
        .collect()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or("")
}

fn messages(b: &Built, errors: bool) -> Vec<String> {
    b.report
        .diagnostics
        .iter()
        .filter(|d| d.is_error() == errors)
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn example_site_shows_each_state_from_what_was_reported() {
    let built = example().build_into("out", NOV);
    built.assert_written();
    assert!(
        messages(&built, false).is_empty(),
        "{:?}",
        messages(&built, false)
    );
    let got = states(&built);
    let want: BTreeMap<String, String> = [
        ("1.a", "hoan-thanh"),       // notice, done 28/6 before 30/6
        ("1.b", "hoan-thanh"),       // report table, done as of 30/9 after 31/3: late
        ("2", "qua-han"),            // report of 30/9 (= deadline) says still in progress
        ("3", "hoan-thanh"),         // table "đang thực hiện", then the sheet: done 15/11
        ("4", "sap-den-han"),        // due 15/12, nothing reported
        ("5", "chua-bao-cao"),       // due 31/8, nothing reported: not "overdue"
        ("6", "dang-thuc-hien"),     // no fixed deadline, sheet says in progress
        ("7", "dang-thuc-hien"),     // due 2025, sheet says in progress
        ("8", "chua-den-han"),       // due 2025, nothing reported
        ("9", "tam-dung"),           // notice: paused
        ("10", "khong-co-thoi-han"), // "khi có hướng dẫn", nothing reported
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want);
    let late: Vec<String> = built
        .tasks()
        .iter()
        .filter(|t| t["late"] == true)
        .map(|t| s(t, "label").to_string())
        .collect();
    assert_eq!(late, vec!["1.b"]);
    // `status` is the latest reported code, null when nothing was reported.
    assert_eq!(built.task(&format!("{PLAN}#nv-3"))["status"], "hoan-thanh");
    assert_eq!(built.task(&format!("{PLAN}#nv-5"))["status"], Value::Null);
    assert_eq!(
        built.task(&format!("{PLAN}#nv-5"))["history"],
        serde_json::json!([])
    );
}

#[test]
fn history_is_dated_ordered_and_sourced() {
    let built = example().build_into("out", NOV);
    let t3 = built.task(&format!("{PLAN}#nv-3"));
    let h = t3["history"].as_array().unwrap();
    let dates: Vec<&str> = h.iter().map(|e| s(e, "date")).collect();
    assert_eq!(dates, vec!["2024-09-30", "2024-11-15"]);
    let statuses: Vec<&str> = h.iter().map(|e| s(e, "status")).collect();
    assert_eq!(statuses, vec!["dang-thuc-hien", "hoan-thanh"]);
    assert!(s(&h[0], "source").contains("van-ban/"), "{h:?}");
    assert!(s(&h[0], "source_file").starts_with("content/2024-bao-cao-quy-iii.md:"));
    assert_eq!(s(&h[0], "result"), "Đã phát phiếu khảo sát tại 3 huyện");
    assert!(s(&h[1], "source").ends_with("tien-do/tong-hop-tien-do-thang-11.csv"));
    assert_eq!(
        s(&h[1], "source_file"),
        "content/tien-do/tong-hop-tien-do-thang-11.csv:2"
    );
    // Task 2: the notice (as of its own date) then the report.
    let t2 = built.task(&format!("{PLAN}#nv-2"));
    let d2: Vec<&str> = t2["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| s(e, "date"))
        .collect();
    assert_eq!(d2, vec!["2024-07-10", "2024-09-30"]);

    // The plan page shows the history under the badge, newest first, with links.
    let plan = built.html(&format!("van-ban/{PLAN}/index.html"));
    let row = plan.select(&sel("tr#nv-3")).next().expect("row nv-3");
    let items: Vec<String> = row
        .select(&sel("details.history li"))
        .map(|li| text_of(&li))
        .collect();
    assert_eq!(items.len(), 2);
    assert!(items[0].starts_with("15/11/2024 — Hoàn thành"), "{items:?}");
    let links: Vec<&str> = row
        .select(&sel("details.history a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        links
            .iter()
            .any(|h| h.ends_with("tien-do/tong-hop-tien-do-thang-11.csv")),
        "{links:?}"
    );
    assert!(
        links.iter().any(|h| h.contains("210-bc-ubnd-2024")),
        "{links:?}"
    );
    // Summary with a chart and its table on the plan page.
    assert_eq!(plan.select(&sel("section.progress svg.bars")).count(), 1);
    let cells = texts(&plan, "section.progress table.chart-data tbody td");
    assert_eq!(cells.last().map(String::as_str), Some("11"));
}

#[test]
fn report_and_notice_pages_list_the_tasks_they_updated() {
    let built = example().build_into("out", NOV);
    let report = "van-ban/210-bc-ubnd-2024/index.html";
    let page = built.html(report);
    let links = attrs(&page, "section.progress-updates li a", "href");
    let anchors: Vec<&str> = links.iter().filter_map(|h| h.split('#').nth(1)).collect();
    assert_eq!(anchors, vec!["nv-1-b", "nv-2", "nv-3"]);
    assert!(links.iter().all(|h| h.contains(PLAN)));
    let notice = "van-ban/45-tb-ubnd-2024/index.html";
    let page = built.html(notice);
    let items = texts(&page, "section.progress-updates li");
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[0].contains("Hoàn thành: Đã ban hành Quyết định số 15/QĐ-UBND công bố 23"));
    // Inline Markdown of the result is rendered (bold), not shown as asterisks.
    assert_eq!(texts(&page, "section.progress-updates li strong").len(), 4);
}

#[test]
fn unit_scorecards_home_chart_feed_and_data() {
    let built = example().build_into("out", NOV);
    let unit = built.html("don-vi/so-noi-vu-tien-tien/index.html");
    let card = texts(&unit, "section.progress p").join(" ");
    // Sở Nội vụ leads 3 (done on time), 4 (due soon), 5 (not reported), 9 (paused).
    assert!(
        card.contains("hoàn thành 1 (1 đúng hạn, 0 trễ hạn)"),
        "{card}"
    );
    assert!(
        card.contains("1 nhiệm vụ đã đến hạn nhưng chưa có báo cáo"),
        "{card}"
    );
    let home = built.html("index.html");
    assert_eq!(home.select(&sel("figure.chart")).count(), 2);
    let years = texts(&home, "#bieu-do-nam ~ table th[scope=row]");
    assert!(years.is_empty() || years.contains(&"Năm 2024".to_string()));
    assert!(texts(&home, "figure.chart table.chart-data th[scope=row]")
        .contains(&"Năm 2024".to_string()));
    let feed = built.read("feed.xml");
    assert_eq!(
        feed.matches("urn:cchc:tien-do:").count(),
        8,
        "one entry per status change"
    );
    // CSV gains the three columns, filled with the latest report.
    let csv = built.task_csv();
    let rows = csv_maps(&csv);
    let r3 = rows
        .iter()
        .find(|r| r["Mã"] == format!("{PLAN}#nv-3"))
        .unwrap();
    assert_eq!(r3["tinh_trang"], "Hoàn thành");
    assert_eq!(r3["ngay_cap_nhat"], "2024-11-15");
    assert_eq!(r3["ket_qua"], "Đã công bố chỉ số hài lòng năm 2024");
    // The workbook reads back with the same ids and the status drop-down column.
    let rows = read_xlsx(&built.path("du-lieu/nhiem-vu.xlsx"));
    assert_eq!(rows[0][0], "Mã");
    assert_eq!(rows[0][8], "tinh_trang");
    assert_eq!(rows.len(), 12);
    assert!(built.exists("don-vi/so-noi-vu-tien-tien/nhiem-vu.xlsx"));
}

fn read_xlsx(path: &Path) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).expect("open xlsx");
    let range = book.worksheet_range_at(0).expect("sheet").expect("range");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn states_follow_the_build_date_and_reports() {
    // In June, before most deadlines, nothing is overdue or unreported.
    let june = example().build_into("june", "2024-06-15");
    let st = states(&june);
    assert_eq!(st["5"], "chua-den-han");
    // 31/3 has passed; the report saying it was done is dated 30/9, after this build date.
    assert_eq!(st["1.b"], "chua-bao-cao");
    assert_eq!(st["1.a"], "sap-den-han");
    assert_eq!(st["4"], "chua-den-han");
    assert!(st.values().all(|s| s != "qua-han"));
}

const PLAN_MD: &str = "---\ntitle: Kế hoạch thử\ntype: ke-hoach\nnumber: 3/KH-UBND\nissuer: UBND tỉnh Thử\ndate: 2024-01-10\nyear: 2024\nslug: kh\ntasks:\n  - id: \"1\"\n    task: Rà soát thủ tục hành chính lĩnh vực đất đai\n    lead: Sở Nội vụ\n    due: Trước ngày 30/6/2024\n  - id: \"2\"\n    task: Rà soát thủ tục hành chính lĩnh vực xây dựng\n    lead: Sở Nội vụ\n    due: Trước ngày 30/6/2024\n  - id: \"3\"\n    task: Tập huấn kỹ năng số cho công chức\n    lead: Sở Nội vụ\n    due: Trước ngày 30/6/2024\n---\nNội dung.\n";

#[test]
fn front_matter_errors_name_the_line() {
    let site = TestSite::from_files(&[
        ("content/kh.md", PLAN_MD),
        (
            "content/tb.md",
            "---\ntitle: Thông báo\ntype: thong-bao\nnumber: 9/TB-UBND\ndate: 2024-07-01\nprogress:\n  - task: \"3/KH-UBND 1\"\n    status: hoan-thanh\n  - task: \"3/KH-UBND 7\"\n    status: hoan-thanh\n  - task: \"kh#nv-2\"\n    status: xong-roi\n  - task: \"3/KH-UBND 3\"\n    status: dang-thuc-hien\n    date: 2024-13-01\n---\nx\n",
        ),
    ]);
    let built = site.build_into("out", "2024-11-23");
    let errors = messages(&built, true);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].starts_with("content/tb.md:9:5: error: `task: 3/KH-UBND 7`"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("content/tb.md:11:5: error: trạng thái không hợp lệ `xong-roi`"),
        "{errors:?}"
    );
    assert!(
        errors[2].starts_with("content/tb.md:13:5: error: ngày không hợp lệ `2024-13-01`"),
        "{errors:?}"
    );
    assert!(!built.report.written, "errors stop the build");
}

#[test]
fn results_table_matches_tolerantly_and_warns_on_unclear_rows() {
    let report = "---\ntitle: Báo cáo kết quả\ntype: bao-cao\nnumber: 20/BC-UBND\ndate: 2024-07-05\nrefs: 3/KH-UBND\n---\n\n| STT | Nội dung nhiệm vụ | Tình trạng | Ghi chú |\n|---|---|---|---|\n| | RA SOAT THU TUC HANH CHINH LINH VUC DAT DAI | Da hoan thanh | xong |\n| | Rà soát thủ tục hành chính | Đang thực hiện | |\n| | Xây dựng cầu cảng | Hoàn thành | |\n| 3 | Tập huấn kỹ năng sô cho công chức | Chưa thực hiện | chờ kinh phí |\n| | Tập huấn kỹ năng số | Tốt | |\n";
    let site = TestSite::from_files(&[("content/kh.md", PLAN_MD), ("content/bc.md", report)]);
    let built = site.build_into("out", "2024-11-23");
    built.assert_written();
    // (The plan's units are not registered in this small site: those warnings are elsewhere.)
    let warnings: Vec<String> = messages(&built, false)
        .into_iter()
        .filter(|m| m.starts_with("content/bc.md"))
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings[0]
            .starts_with("content/bc.md:12:1: warning: dòng kết quả khớp nhiều nhiệm vụ (1, 2)"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].starts_with("content/bc.md:13:1: warning: dòng kết quả không khớp"),
        "{warnings:?}"
    );
    assert!(
        warnings[2].starts_with(
            "content/bc.md:15:1: warning: dòng kết quả: không đọc được tình trạng `Tốt`"
        ),
        "{warnings:?}"
    );
    let t1 = built.task("kh#nv-1");
    assert_eq!(t1["state"], "hoan-thanh");
    assert_eq!(t1["late"], true, "reported done on 5/7, after 30/6");
    assert_eq!(t1["history"][0]["result"], "xong");
    let t3 = built.task("kh#nv-3");
    assert_eq!(t3["status"], "chua-bat-dau");
    assert_eq!(
        t3["state"], "qua-han",
        "a report after the deadline says not done"
    );
    assert_eq!(built.task("kh#nv-2")["state"], "chua-bao-cao");
}

#[test]
fn spreadsheets_update_tasks_csv_and_xlsx() {
    let site = TestSite::from_files(&[("content/kh.md", PLAN_MD)]);
    let csv = "\u{feff}Mã;tinh_trang;ket_qua\r\nkh#nv-1;Đã hoàn thành;Xong\r\nkh#nv-2;;\r\n";
    site.write("content/so/tien-do.csv", csv);
    site.write("content/so/tien-do.csv.yaml", "date: 2024-06-20\n");
    // A workbook as an office would send it: the published columns, a date cell.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["Mã", "tinh_trang", "ket_qua", "ngay_cap_nhat"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "kh#nv-3").unwrap();
    ws.write_string(1, 1, "Dang thuc hien").unwrap();
    ws.write_string(1, 2, "Đã mở 2 lớp").unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 7, 2).unwrap();
    ws.write_datetime_with_format(1, 3, &d, &fmt).unwrap();
    std::fs::write(
        site.root.join("content/so/tien-do.xlsx"),
        book.save_to_buffer().unwrap(),
    )
    .unwrap();
    let built = site.build_into("out", "2024-11-23");
    built.assert_written();
    let t1 = built.task("kh#nv-1");
    assert_eq!(
        (s(&t1, "state"), &t1["late"]),
        ("hoan-thanh", &Value::Bool(false))
    );
    assert_eq!(
        t1["history"][0]["date"], "2024-06-20",
        "date from the sidecar"
    );
    assert_eq!(
        built.task("kh#nv-2")["history"],
        serde_json::json!([]),
        "blank rows are skipped"
    );
    let t3 = built.task("kh#nv-3");
    assert_eq!(t3["history"][0]["date"], "2024-07-02");
    assert_eq!(t3["history"][0]["result"], "Đã mở 2 lớp");
    assert_eq!(t3["state"], "qua-han");

    // Errors: unknown id, unknown status, bad date, each at line:col.
    site.write(
        "content/so/tien-do.csv",
        "Mã;tinh_trang;ngay_cap_nhat\r\nkh#nv-9;Hoàn thành;2024-07-01\r\nkh#nv-1;Tốt;2024-07-01\r\nkh#nv-2;Hoàn thành;32/7/2024\r\n",
    );
    let bad = site.build_into("bad", "2024-11-23");
    let errors = messages(&bad, true);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].starts_with("content/so/tien-do.csv:2:1: error: mã `kh#nv-9`"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("content/so/tien-do.csv:3:9: error: tình trạng không hợp lệ `Tốt`"),
        "{errors:?}"
    );
    assert!(
        errors[2].starts_with("content/so/tien-do.csv:4:20: error: ngày không hợp lệ `32/7/2024`"),
        "{errors:?}"
    );
}

#[test]
fn the_example_portal_calls_nothing_overdue_without_a_report() {
    let site = TestSite::empty();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &site.root.join("content"),
    );
    let built = site.build_into("out", "2026-11-23");
    built.assert_written();
    let tasks = built.tasks();
    assert!(tasks
        .iter()
        .all(|t| t["state"] != "qua-han" && t["history"] == serde_json::json!([])));
    let unreported = tasks
        .iter()
        .filter(|t| t["state"] == "chua-bao-cao")
        .count();
    assert!(unreported > 0);
    let home = built.html("index.html");
    let stats = texts(&home, "ul.stats li").join(" | ");
    assert!(stats.contains("0 nhiệm vụ quá hạn theo báo cáo"), "{stats}");
    assert!(
        stats.contains(&format!("{unreported} đã đến hạn, chưa có báo cáo kết quả")),
        "{stats}"
    );
}

fn opts() -> AssembleOptions {
    AssembleOptions {
        today: Some(date(NOV)),
        drafts: false,
        base_url: None,
        rerender_bodies: false,
    }
}

fn clean_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let diags = Diagnostics::new();
    let (_, outputs) = cchc::build_in_memory(root, &opts(), &diags);
    assert!(
        diags.sorted().iter().all(|d| !d.is_error()),
        "{:?}",
        diags.sorted()
    );
    outputs.into_iter().map(|o| (o.path, o.bytes)).collect()
}

fn rebuild_and_compare(
    inc: &mut Incremental,
    root: &Path,
    what: &str,
) -> BTreeMap<String, Vec<u8>> {
    let r = inc.rebuild(root, &opts(), &mut |_, _| {});
    assert!(r.errors.is_empty(), "{what}: {:?}", r.errors);
    let got: BTreeMap<String, Vec<u8>> = inc
        .files()
        .into_iter()
        .map(|(k, v)| (k, v.as_ref().clone()))
        .collect();
    assert_same_tree(&got, &clean_build(root));
    got
}

fn json_state(files: &BTreeMap<String, Vec<u8>>, id: &str) -> String {
    let t = files
        .iter()
        .filter(|(k, _)| k.starts_with("du-lieu/nhiem-vu-") && k.ends_with(".json"))
        .flat_map(|(_, v)| {
            let v: Value = serde_json::from_slice(v).unwrap();
            task_objects(&v)
        })
        .find(|t| t["id"] == id)
        .unwrap();
    s(&t, "state").to_string()
}

#[test]
fn serve_equals_a_clean_build_when_reports_change() {
    let site = example();
    let root = site.root.clone();
    let mut inc = Incremental::default();
    let first = rebuild_and_compare(&mut inc, &root, "first build");
    let id5 = format!("{PLAN}#nv-5");
    assert_eq!(json_state(&first, &id5), "chua-bao-cao");
    // Add a report.
    let added = "---\ntitle: Báo cáo bổ sung\ntype: bao-cao\nnumber: 300/BC-UBND\ndate: 2024-10-15\nrefs: [12/KH-UBND]\nprogress:\n  - task: \"12/KH-UBND 5\"\n    status: hoan-thanh\n---\nBổ sung.\n";
    site.write("content/2024-bao-cao-bo-sung.md", added);
    let got = rebuild_and_compare(&mut inc, &root, "add report");
    assert_eq!(json_state(&got, &id5), "hoan-thanh");
    // Edit it: now still in progress after the deadline.
    site.write(
        "content/2024-bao-cao-bo-sung.md",
        &added.replace("hoan-thanh", "dang-thuc-hien"),
    );
    let got = rebuild_and_compare(&mut inc, &root, "edit report");
    assert_eq!(json_state(&got, &id5), "qua-han");
    // Edit a table row and the sheet.
    let q3 = root.join("content/2024-bao-cao-quy-iii.md");
    let text = std::fs::read_to_string(&q3).unwrap();
    std::fs::write(
        &q3,
        text.replace("| Đang triển khai |", "| Đã hoàn thành |"),
    )
    .unwrap();
    let got = rebuild_and_compare(&mut inc, &root, "edit table");
    assert_eq!(json_state(&got, &format!("{PLAN}#nv-2")), "hoan-thanh");
    let sheet = root.join("content/tien-do/tong-hop-tien-do-thang-11.csv");
    std::fs::remove_file(&sheet).unwrap();
    let got = rebuild_and_compare(&mut inc, &root, "remove sheet");
    assert_eq!(json_state(&got, &format!("{PLAN}#nv-7")), "chua-den-han");
    // Remove the report: back to "not reported".
    std::fs::remove_file(root.join("content/2024-bao-cao-bo-sung.md")).unwrap();
    let got = rebuild_and_compare(&mut inc, &root, "remove report");
    assert_eq!(json_state(&got, &id5), "chua-bao-cao");
}
