//! Issue 15, `cchc import`: real documents (a .docx, a saved web page, crawler-copied text) become
//! documents whose front matter is right and whose tasks, units and deadlines appear in the built
//! portal. Runs the binary, reads the written front matter and Markdown, then builds the site.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

fn fixture(name: &str) -> PathBuf {
    fixtures_dir().join("import").join(name)
}

/// A site with the `basic` settings and an empty content folder to import into.
fn site() -> TestSite {
    let site = TestSite::fixture("basic");
    for entry in fs::read_dir(site.root.join("content")).expect("content") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            fs::remove_dir_all(&p).expect("rm");
        }
    }
    site
}

fn import(site: &TestSite, files: &[&Path], extra: &[&str]) -> Run {
    let into = site.root.join("content/nhap");
    let mut args: Vec<String> = vec!["import".into()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    args.extend(["--into".into(), into.display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    site.run(&refs)
}

/// The front matter of a written document, parsed as YAML, and its body.
fn read_doc(path: &Path) -> (serde_json::Value, String) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rest = text.strip_prefix("---\n").expect("front matter opens");
    let (yaml, body) = rest.split_once("\n---\n").expect("front matter closes");
    let value: serde_json::Value = yaml_serde::from_str(yaml).expect("front matter is YAML");
    (value, body.to_string())
}

fn tasks_of(built: &Built, slug_part: &str) -> Vec<serde_json::Value> {
    built
        .tasks()
        .into_iter()
        .filter(|t| t["id"].as_str().is_some_and(|id| id.contains(slug_part)))
        .collect()
}

fn task_with<'a>(tasks: &'a [serde_json::Value], words: &str) -> &'a serde_json::Value {
    tasks
        .iter()
        .find(|t| t["task"].as_str().is_some_and(|x| x.contains(words)))
        .unwrap_or_else(|| panic!("no task containing {words:?} in {tasks:#?}"))
}

/// The same plan as .docx and as a saved page: header fields, merged cells, numbering, TCVN3.
#[test]
fn docx_and_html_plans_import_with_front_matter_and_tasks() {
    let site = site();
    let docx = fixture("ke-hoach-1026-nghe-an.docx");
    let run = import(&site, &[&docx], &[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout.contains("ke-hoach-1026-nghe-an.md"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("TCVN3"),
        "conversion reported: {}",
        run.stdout
    );
    let (fm, body) = read_doc(&site.root.join("content/nhap/ke-hoach-1026-nghe-an.md"));
    assert_eq!(fm["type"], "ke-hoach");
    assert_eq!(fm["number"], "1026/KH-UBND");
    assert_eq!(fm["issuer"], "UBND tỉnh Nghệ An");
    assert_eq!(fm["date"], "2025-11-26");
    assert_eq!(fm["signer"], "Bùi Thanh An");
    assert_eq!(fm["original"], "ke-hoach-1026-nghe-an.docx");
    let title = fm["title"].as_str().expect("title");
    assert!(
        title.starts_with("Kế hoạch triển khai thực hiện Chỉ thị số 32/CT-TTg"),
        "{title}"
    );
    assert!(title.contains("tỉnh Nghệ An"), "{title}");
    // Word numbering spelled out, the TCVN3 paragraph in Unicode, the group row kept.
    assert!(body.contains("1. Tiếp tục đẩy mạnh"), "{body}");
    assert!(body.contains("2. Nâng cao vai trò"), "{body}");
    assert!(
        body.contains("Thường xuyên rà soát, kịp thời tham mưu sửa đổi"),
        "{body}"
    );
    assert!(
        body.contains("| **I. Công tác tham mưu, quản lý nhà nước** |  |"),
        "{body}"
    );
    assert!(body.contains("## Nơi nhận"), "{body}");

    let page = fixture("ke-hoach-1026-nghe-an.html");
    let site_html = self::site();
    let run = import(&site_html, &[&page], &[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let out = site_html.root.join("content/nhap/ke-hoach-1026-nghe-an.md");
    let (fm_html, body_html) = read_doc(&out);
    for key in ["type", "number", "issuer", "date", "signer"] {
        assert_eq!(fm_html[key], fm[key], "{key} from the saved page");
    }
    assert!(
        !body_html.contains("Quảng cáo") && !body_html.contains("Trang chủ"),
        "{body_html}"
    );
    assert!(
        !body_html.contains("tracker") && !body_html.contains("Bình luận"),
        "{body_html}"
    );

    // Build the site with the .docx import: tasks with units and deadlines.
    let built = site.build_ok();
    let tasks = tasks_of(&built, "1026");
    assert_eq!(tasks.len(), 4, "{tasks:#?}");
    let t1 = task_with(&tasks, "kiện toàn Ban Chỉ đạo");
    assert_eq!(t1["group"], "Công tác tham mưu, quản lý nhà nước");
    assert!(t1.to_string().contains("Công an tỉnh"), "{t1}");
    assert!(
        t1.to_string().contains("2026-03-31"),
        "Quý I/2026 ends 31/3: {t1}"
    );
    // The lead merged over two rows (w:vMerge) leads the second task too.
    let t2 = task_with(&tasks, "Quyết định số 15/2021/QĐ-UBND");
    assert!(t2.to_string().contains("Công an tỉnh"), "{t2}");
    assert!(t2.to_string().contains("2026-06-30"), "{t2}");
    assert!(
        t2["task"]
            .as_str()
            .unwrap_or("")
            .contains("Bảo đảm đồng bộ"),
        "multi-paragraph cell: {t2}"
    );
    let t4 = task_with(&tasks, "bài giảng");
    assert!(t4.to_string().contains("Sở Nội vụ"), "{t4}");
    let doc_page = built.read("van-ban/1026-kh-ubnd-2025/index.html");
    assert!(
        doc_page.contains("ke-hoach-1026-nghe-an.docx"),
        "original shown on the page"
    );
    assert!(built.exists("don-vi/so-noi-vu/index.html"));
    // The original copied beside the document is published and linked from its page.
    fs::copy(
        &docx,
        site.root.join("content/nhap/ke-hoach-1026-nghe-an.docx"),
    )
    .expect("copy");
    let rebuilt = site.build_into("out2", TODAY);
    rebuilt.assert_written();
    let page = rebuilt.html("van-ban/1026-kh-ubnd-2025/index.html");
    let sel =
        scraper::Selector::parse(".doc-facts a[href$='ke-hoach-1026-nghe-an.docx']").expect("sel");
    let link = page.select(&sel).next().expect("a link to the original");
    let href = link.value().attr("href").unwrap_or("");
    // Relative to van-ban/<slug>/: two levels up is the output root.
    let target = href.trim_start_matches("../../").trim_start_matches('/');
    assert!(rebuilt.exists(target), "{href} is published");
    // The saved page's table (colspan group row, rowspan lead) gives the same tasks.
    let built_html = site_html.build_ok();
    let from_page = tasks_of(&built_html, "1026");
    assert_eq!(from_page.len(), 4, "{from_page:#?}");
    let t2 = task_with(&from_page, "Quyết định số 15/2021/QĐ-UBND");
    assert!(
        t2.to_string().contains("Công an tỉnh"),
        "rowspan lead: {t2}"
    );
}

/// Crawler-copied text (realdocs): header table flattened, bold broken across lines, a unit-headed
/// plan; a Quyết định carrying a phụ lục table.
#[test]
fn crawler_text_imports_and_builds() {
    let site = site();
    let plan = fixture("0a97eb9c3c536047.txt");
    let decision = fixture("00e8b0e4daffc2ef.txt");
    let run = import(&site, &[&plan, &decision], &[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let (fm, body) = read_doc(&site.root.join("content/nhap/0a97eb9c3c536047.md"));
    assert_eq!(fm["number"], "1026/KH-UBND");
    assert_eq!(fm["type"], "ke-hoach");
    assert_eq!(fm["issuer"], "UBND tỉnh Nghệ An");
    assert_eq!(fm["date"], "2025-11-26");
    assert_eq!(fm["signer"], "Bùi Thanh An");
    assert!(body.contains("## I. MỤC ĐÍCH, YÊU CẦU"), "{body}");
    assert!(body.contains("### 1. Công an tỉnh"), "{body}");
    let (fm2, body2) = read_doc(&site.root.join("content/nhap/00e8b0e4daffc2ef.md"));
    assert_eq!(fm2["number"], "471/QĐ-UBND");
    assert_eq!(fm2["type"], "quyet-dinh");
    assert_eq!(fm2["issuer"], "UBND tỉnh Bắc Ninh");
    assert_eq!(fm2["date"], "2025-11-28");
    assert_eq!(fm2["signer"], "Phạm Văn Thịnh");
    assert_eq!(fm2["refs"][0], "81/2018/NĐ-CP");
    assert!(
        !body2.contains("THƯ VIỆN PHÁP LUẬT"),
        "the site's banner is dropped"
    );
    assert!(
        body2.contains("| **STT** | **Địa điểm** | **Địa chỉ** |"),
        "{body2}"
    );
    let built = site.build_ok();
    let tasks = tasks_of(&built, "1026");
    assert!(tasks.len() >= 4, "unit-headed tasks: {tasks:#?}");
    assert!(
        tasks.iter().any(|t| t.to_string().contains("Sở Nội vụ")),
        "{tasks:#?}"
    );
    // The table of fair venues is no task table; the decision's one assignment ("Điều 2. Sở
    // Công Thương có trách nhiệm chủ trì …") is its only task.
    let decision = tasks_of(&built, "471");
    assert_eq!(decision.len(), 1, "{decision:#?}");
    assert_eq!(decision[0]["form"], "unit-headed", "{decision:#?}");
    assert_eq!(
        decision[0]["lead"][0]["name"], "Sở Công Thương",
        "{decision:#?}"
    );
    assert_eq!(decision[0]["state"], "khong-co-thoi-han", "{decision:#?}");
}

/// Never overwrite without --force; an unreadable file names itself and the others import;
/// hostile archives fail cleanly.
#[test]
fn refusals_are_per_file_and_clean() {
    let site = site();
    let plan = fixture("0a97eb9c3c536047.txt");
    assert_eq!(import(&site, &[&plan], &[]).code, Some(0));
    let again = import(&site, &[&plan], &[]);
    assert_eq!(again.code, Some(2));
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(import(&site, &[&plan], &["--force"]).code, Some(0));

    let broken = site.beside("hong.docx");
    let docx = fs::read(fixture("ke-hoach-1026-nghe-an.docx")).expect("fixture");
    fs::write(&broken, &docx[..docx.len() / 2]).expect("write");
    let missing = site.beside("khong-co.txt");
    let decision = fixture("00e8b0e4daffc2ef.txt");
    let run = import(&site, &[&broken, &missing, &decision], &[]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("hong.docx"), "{}", run.stderr);
    assert!(run.stderr.contains("khong-co.txt"), "{}", run.stderr);
    assert!(site.root.join("content/nhap/00e8b0e4daffc2ef.md").exists());
    assert!(!site.root.join("content/nhap/hong.md").exists());
}

/// Raw HTML tables in a Markdown body (pandoc's output for merged cells) are task tables and
/// render as tables; other raw HTML stays escaped.
#[test]
fn raw_html_tables_are_task_tables() {
    let site = site();
    site.write(
        "content/pandoc/kh.md",
        "---\ntitle: Kế hoạch thử\ntype: ke-hoach\nnumber: 9/KH-UBND\ndate: 2024-01-05\n---\n\
         <table>\n<thead><tr><th>TT</th><th>Nội dung</th><th>Cơ quan chủ trì</th><th>Thời gian hoàn thành</th></tr></thead>\n\
         <tbody><tr><td colspan=\"4\"><strong>I. Cải cách thể chế</strong></td></tr>\n\
         <tr><td>1</td><td>Rà soát văn bản<br>quy phạm</td><td rowspan=\"2\" onclick=\"x()\">Sở Tư pháp</td><td>Quý II/2024</td></tr>\n\
         <tr><td>2</td><td>Kiểm tra văn bản</td><td>Tháng 12/2024</td></tr></tbody>\n</table>\n\n\
         <script>alert(1)</script>\n",
    );
    let built = site.build_ok();
    let tasks = tasks_of(&built, "9-kh-ubnd");
    assert_eq!(tasks.len(), 2, "{tasks:#?}");
    assert_eq!(tasks[1]["group"], "Cải cách thể chế");
    assert!(
        tasks[1].to_string().contains("Sở Tư pháp"),
        "rowspan lead: {}",
        tasks[1]
    );
    let page = built.html("van-ban/9-kh-ubnd-2024/index.html");
    let sel = scraper::Selector::parse(".doc-body table td[rowspan]").expect("selector");
    let td = page
        .select(&sel)
        .next()
        .expect("the table is rendered as a table");
    assert_eq!(td.value().attr("rowspan"), Some("2"));
    assert_eq!(td.value().attr("onclick"), None);
    let raw = built.read("van-ban/9-kh-ubnd-2024/index.html");
    assert!(
        !raw.contains("<script>alert"),
        "other raw HTML stays escaped"
    );
    assert!(raw.contains("&lt;script&gt;alert(1)"), "shown as text");
}

/// An XML entity bomb is never expanded (the text around it imports); a zip bomb stops at the
/// size cap with an error naming the file, and the other file still imports.
#[test]
fn hostile_docx_fail_cleanly() {
    let site = site();
    let start = std::time::Instant::now();
    let run = import(
        &site,
        &[&fixture("entity-bomb.docx"), &fixture("zip-bomb.docx")],
        &[],
    );
    assert!(start.elapsed().as_secs() < 10, "no expansion, no long read");
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("zip-bomb.docx"), "{}", run.stderr);
    assert!(run.stderr.contains("quá lớn"), "{}", run.stderr);
    let (_, body) = read_doc(&site.root.join("content/nhap/entity-bomb.md"));
    assert!(body.contains("Kế hoạch cải cách"), "{body}");
    assert!(
        !body.contains("lol"),
        "custom entities stay unexpanded: {body}"
    );
    assert!(!site.root.join("content/nhap/zip-bomb.md").exists());
}
