//! `cchc serve`: incremental rebuilds give exactly what a clean build gives, through edits,
//! additions, renames and deletions of documents and units; and the HTTP server keeps every
//! request inside the site, answers with the right content types and stays up under bursts.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cchc::diag::Diagnostics;
use cchc::serve::Incremental;
use cchc::site::AssembleOptions;
use common::*;

fn opts() -> AssembleOptions {
    AssembleOptions {
        today: Some(date(TODAY)),
        drafts: false,
        base_url: None,
        rerender_bodies: false,
    }
}

/// The example portal (`content/` of the repository) in a temporary site folder.
fn example_site() -> TestSite {
    let site = TestSite::empty();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &site.root.join("content"),
    );
    site
}

fn clean_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let diags = Diagnostics::new();
    let (_, outputs) = cchc::build_in_memory(root, &opts(), &diags);
    let errors: Vec<String> = diags
        .sorted()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "clean build failed: {errors:?}");
    outputs.into_iter().map(|o| (o.path, o.bytes)).collect()
}

fn as_tree(files: &HashMap<String, Arc<Vec<u8>>>) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(k, v)| (k.clone(), v.as_ref().clone()))
        .collect()
}

/// Rebuilds incrementally; returns the quick-pass paths and asserts the result equals a
/// clean build of the same folder, and so does every page the quick pass published (made
/// from the last site patched, not from a new assembly).
fn rebuild_and_compare(inc: &mut Incremental, root: &Path, what: &str) -> Vec<String> {
    let mut quick_seen = Vec::new();
    let mut quick_pages = BTreeMap::new();
    let r = inc.rebuild(root, &opts(), &mut |files, quick| {
        quick_seen = quick.to_vec();
        quick_pages = as_tree(files);
    });
    assert!(r.errors.is_empty(), "{what}: {:?}", r.errors);
    assert_eq!(quick_seen, r.quick, "{what}: on_quick saw the quick pass");
    let clean = clean_build(root);
    for (path, bytes) in &quick_pages {
        assert!(
            clean.get(path) == Some(bytes),
            "{what}: the quick pass published {path} unlike a clean build"
        );
    }
    assert!(
        r.quick.iter().all(|p| !r.changed.contains(p)),
        "{what}: the full pass had to correct a quick page: {:?}",
        r.quick
    );
    let got = as_tree(&inc.files());
    assert_same_tree(&got, &clean);
    r.quick
}

fn doc_page(files: &HashMap<String, Arc<Vec<u8>>>, needle: &str) -> String {
    let (k, _) = files
        .iter()
        .find(|(k, v)| {
            k.starts_with("van-ban/")
                && k.ends_with("/index.html")
                && String::from_utf8_lossy(v).contains(needle)
        })
        .unwrap_or_else(|| panic!("no document page contains {needle:?}"));
    k.clone()
}

#[test]
fn incremental_rebuilds_equal_clean_builds() {
    let site = example_site();
    let root = site.root.clone();
    let mut inc = Incremental::default();
    rebuild_and_compare(&mut inc, &root, "first build");

    // 0. Prose only (no number, no task): the fast path that redoes pages and search only.
    let qn =
        root.join("content/quang-ngai/2024-ke-hoach-cai-cach-hanh-chinh-van-phong-ubnd-tinh.md");
    let mut prose = std::fs::read_to_string(&qn).unwrap();
    prose.push_str("\nMột câu văn xuôi thêm vào cuối để tìm kiếm thấy: chim sẻ.\n");
    std::fs::write(&qn, &prose).unwrap();
    let quick = rebuild_and_compare(&mut inc, &root, "edit prose");
    assert_eq!(quick.len(), 1, "{quick:?}");
    let index_has_it = inc
        .files()
        .iter()
        .any(|(k, v)| k.starts_with("tim-kiem/index/") && v.windows(3).any(|w| w == b"se "));
    assert!(index_has_it, "the search index holds the new words");

    // 0a. Prose that makes the document far longer, with a word no other entry has: every
    // document's body norm moves (length normalisation is per kind, site-wide), and the
    // kept index must still be what a clean build makes.
    let long = format!(
        "{prose}\n{}\n",
        "Đoạn dài về lưulyxanh trong cải cách hành chính của tỉnh. ".repeat(400)
    );
    std::fs::write(&qn, &long).unwrap();
    rebuild_and_compare(&mut inc, &root, "long prose");
    let has_word = |inc: &Incremental| {
        inc.files().iter().any(|(k, v)| {
            k.starts_with("tim-kiem/index/s/") && v.windows(9).any(|w| w == b"luulyxanh")
        })
    };
    assert!(has_word(&inc), "the new word is a term of the index");
    // 0b. And back: the word leaves the index, the norms move back.
    std::fs::write(&qn, &prose).unwrap();
    rebuild_and_compare(&mut inc, &root, "long prose removed");
    assert!(!has_word(&inc), "a word no entry has any more is no term");

    // 1. Edit a body: the edited document's page is in the quick pass.
    let doc = root.join("content/dong-thap/2019-ke-hoach-cai-cach-hanh-chinh.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    // It cites a number no document has yet: the link appears once one does (step 2).
    let edited = text.replacen(
        "\n\n",
        "\n\nĐoạn mới thêm khi xem trước, theo Kế hoạch số 9/KH-UBND.\n\n",
        1,
    );
    std::fs::write(&doc, &edited).unwrap();
    let quick = rebuild_and_compare(&mut inc, &root, "edit body");
    let page = doc_page(&inc.files(), "Đoạn mới thêm khi xem trước");
    assert_eq!(
        quick,
        vec![page.clone()],
        "the quick pass is the edited page only"
    );

    // 1a. Edit a task row (its text and deadline): the quick pass patches the document's
    // tasks too, and its page is still what a clean build gives.
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(
        &doc,
        text.replacen(
            "| Tổ chức Hội thi tìm hiểu về cải cách hành chính cấp huyện | Hội thi | UBND cấp huyện (các huyện có điều kiện) | Sở Nội vụ | Theo Kế hoạch tổ chức tại các huyện có điều kiện |",
            "| Tổ chức Hội thi cải cách hành chính cấp huyện, vòng sơ khảo | Hội thi | UBND cấp huyện (các huyện có điều kiện) | Sở Nội vụ | Quý III/2019 |",
            1,
        ),
    )
    .unwrap();
    let quick = rebuild_and_compare(&mut inc, &root, "edit task row");
    assert_eq!(
        quick,
        vec![page.clone()],
        "the task edit is in the quick pass"
    );
    assert!(String::from_utf8_lossy(&inc.files()[&page]).contains("vòng sơ khảo"));

    // 1b. An attachment beside a document, then a new version of it: served as written.
    site.write("content/dong-thap/phu-luc.txt", "Phụ lục bản 1\n");
    rebuild_and_compare(&mut inc, &root, "add attachment");
    site.write("content/dong-thap/phu-luc.txt", "Phụ lục bản 2, dài hơn\n");
    rebuild_and_compare(&mut inc, &root, "edit attachment");
    assert!(inc
        .files()
        .values()
        .any(|v| v.as_slice() == "Phụ lục bản 2, dài hơn\n".as_bytes()));

    // 2. Add a document that cites another by number, with a task for a new unit.
    site.write(
        "content/dong-thap/2020-moi.md",
        "---\ntitle: Kế hoạch mới thêm\ntype: ke-hoach\nnumber: 9/KH-UBND\ndate: 2018-01-05\nyear: 2018\nissuer: UBND tỉnh Đồng Tháp\nrefs: [272/KH-UBND]\n---\n\nThực hiện Kế hoạch số 272/KH-UBND.\n\n| TT | Nội dung thực hiện | Cơ quan chủ trì | Thời gian thực hiện |\n|---|---|---|---|\n| 1 | Việc mới | Sở Mới Lập | Quý II/2020 |\n",
    );
    rebuild_and_compare(&mut inc, &root, "add document");
    let citing = String::from_utf8_lossy(&inc.files()[&page]).to_string();
    assert!(
        citing.contains("9-kh-ubnd"),
        "the edited page now links the added document"
    );
    assert!(inc
        .files()
        .keys()
        .any(|k| k.starts_with("don-vi/so-moi-lap")));

    // 2a. Prose edited elsewhere while that unit is unregistered: no task changed, so the
    // last resolution is reused (`site::resolved`), and the unit it registered must be
    // registered again on the pass's fresh registry.
    std::fs::write(&qn, format!("{prose}\nThêm một câu nữa.\n")).unwrap();
    rebuild_and_compare(&mut inc, &root, "edit prose beside an unregistered unit");
    assert!(inc
        .files()
        .keys()
        .any(|k| k.starts_with("don-vi/so-moi-lap")));

    // 3. Rename it (same text, new file name and a new slug).
    let text = std::fs::read_to_string(root.join("content/dong-thap/2020-moi.md")).unwrap();
    std::fs::remove_file(root.join("content/dong-thap/2020-moi.md")).unwrap();
    site.write(
        "content/dong-thap/2020-doi-ten.md",
        &text.replace("type: ke-hoach", "type: ke-hoach\nslug: ke-hoach-doi-ten"),
    );
    rebuild_and_compare(&mut inc, &root, "rename document");
    assert!(inc
        .files()
        .contains_key("van-ban/ke-hoach-doi-ten/index.html"));

    // 4. Register the new unit under another name in units.yaml.
    let units = root.join("content/units.yaml");
    let mut yaml = std::fs::read_to_string(&units).unwrap();
    yaml.push_str("\n- name: Sở Mới Lập tỉnh Đồng Tháp\n  slug: so-moi-lap-dong-thap\n  aliases: [Sở Mới Lập]\n  level: tinh\n  parent: UBND tỉnh Đồng Tháp\n");
    std::fs::write(&units, &yaml).unwrap();
    rebuild_and_compare(&mut inc, &root, "add unit");
    assert!(inc
        .files()
        .contains_key("don-vi/so-moi-lap-dong-thap/index.html"));

    // 5. Delete the document: its page and its unit's page go.
    std::fs::remove_file(root.join("content/dong-thap/2020-doi-ten.md")).unwrap();
    rebuild_and_compare(&mut inc, &root, "delete document");
    assert!(!inc
        .files()
        .contains_key("van-ban/ke-hoach-doi-ten/index.html"));

    // 6. Delete a unit from the registry; its tasks keep an unregistered page.
    std::fs::write(
        &units,
        yaml.replace("\n- name: Sở Mới Lập tỉnh Đồng Tháp\n  slug: so-moi-lap-dong-thap\n  aliases: [Sở Mới Lập]\n  level: tinh\n  parent: UBND tỉnh Đồng Tháp\n", "\n"),
    )
    .unwrap();
    rebuild_and_compare(&mut inc, &root, "remove unit");

    // 7. A theme of the site's own over the embedded one: a pass loads it (the passes before
    // reused the theme they had), and one edit of its template reaches the pages.
    let base = include_str!("../themes/default/templates/404.html");
    let marked =
        |mark: &str| base.replacen("{% endblock", &format!("<p>{mark}</p>{{% endblock"), 1);
    site.write(
        "themes/default/templates/404.html",
        &marked("Giao diện riêng 1"),
    );
    rebuild_and_compare(&mut inc, &root, "own theme");
    site.write(
        "themes/default/templates/404.html",
        &marked("Giao diện riêng 2"),
    );
    rebuild_and_compare(&mut inc, &root, "own theme edited");
    let page = String::from_utf8_lossy(&inc.files()["404.html"]).to_string();
    assert!(page.contains("Giao diện riêng 2"), "{page}");
}

#[test]
fn a_broken_edit_keeps_the_last_good_site() {
    let site = example_site();
    let root = site.root.clone();
    let mut inc = Incremental::default();
    rebuild_and_compare(&mut inc, &root, "first build");
    let before = as_tree(&inc.files());
    let doc = root.join("content/binh-phuoc/2022-ke-hoach-xac-dinh-chi-so-cai-cach-hanh-chinh.md");
    let good = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(
        &doc,
        good.replacen("title:", "title: [không đóng\ntitle:", 1),
    )
    .unwrap();
    let r = inc.rebuild(&root, &opts(), &mut |_, _| {});
    assert!(
        r.errors
            .iter()
            .any(|e| e.contains("2022-ke-hoach-xac-dinh-chi-so-cai-cach-hanh-chinh.md:")),
        "{:?}",
        r.errors
    );
    assert_same_tree(&as_tree(&inc.files()), &before);
    std::fs::write(&doc, &good).unwrap();
    rebuild_and_compare(&mut inc, &root, "fixed again");
}

#[test]
fn prose_saved_during_a_broken_pass_reaches_the_index_once_fixed() {
    let site = example_site();
    let root = site.root.clone();
    let mut inc = Incremental::default();
    rebuild_and_compare(&mut inc, &root, "first build");
    // Prose in one document while another is broken: the pass stops before the index.
    let qn =
        root.join("content/quang-ngai/2024-ke-hoach-cai-cach-hanh-chinh-van-phong-ubnd-tinh.md");
    let mut prose = std::fs::read_to_string(&qn).unwrap();
    prose.push_str("\nCâu thêm vào khi tài liệu khác còn lỗi: chimcongxanh.\n");
    std::fs::write(&qn, &prose).unwrap();
    let doc = root.join("content/binh-phuoc/2022-ke-hoach-xac-dinh-chi-so-cai-cach-hanh-chinh.md");
    let good = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(
        &doc,
        good.replacen("title:", "title: [không đóng\ntitle:", 1),
    )
    .unwrap();
    let r = inc.rebuild(&root, &opts(), &mut |_, _| {});
    assert!(!r.errors.is_empty());
    // Fixed: the site's shape is as before, and only the broken document changed since the
    // last assembly, yet the prose saved meanwhile must reach the index.
    std::fs::write(&doc, &good).unwrap();
    rebuild_and_compare(&mut inc, &root, "fixed after prose");
    let has_word = inc.files().iter().any(|(k, v)| {
        k.starts_with("tim-kiem/index/s/") && v.windows(12).any(|w| w == b"chimcongxanh")
    });
    assert!(has_word, "the word saved meanwhile is a term of the index");
}

// ---------------------------------------------------------------------------------------
// The HTTP server
// ---------------------------------------------------------------------------------------

/// A running `cchc serve` on a free port, stopped on drop.
struct Server {
    child: std::process::Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(root: &Path) -> Server {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args([
            "serve",
            "--root",
            root.to_str().unwrap(),
            "--port",
            &port.to_string(),
            "--today",
            TODAY,
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start cchc serve");
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if get(port, "/").is_ok_and(|r| r.0 == 200) {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("cchc serve did not answer on port {port}");
}

/// A raw HTTP/1.0 GET (the path is sent exactly as given): (status, content type, body).
fn get(port: u16, path: &str) -> std::io::Result<(u16, String, Vec<u8>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let ctype = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-type")
                .then(|| v.trim().to_string())
        })
        .unwrap_or_default();
    Ok((status, ctype, raw[split + 4..].to_vec()))
}

#[test]
fn server_stays_inside_the_site_and_survives_bursts() {
    let site = example_site();
    // A secret beside the site that traversal would reach.
    std::fs::write(site.beside("secret.txt"), "TOP SECRET").unwrap();
    let server = start_server(&site.root);
    let port = server.port;

    let (status, ctype, body) = get(port, "/").unwrap();
    assert_eq!(status, 200);
    assert!(ctype.starts_with("text/html"), "{ctype}");
    assert!(String::from_utf8_lossy(&body).contains("/__cchc/reload.js"));
    for (path, want) in [
        ("/lich.ics", "text/calendar"),
        ("/du-lieu/index.json", "application/json"),
        ("/du-lieu/nhiem-vu.csv.gz", "application/gzip"),
        ("/static/style.css", "text/css"),
    ] {
        let (status, ctype, _) = get(port, path).unwrap();
        assert_eq!(status, 200, "{path}");
        assert!(ctype.starts_with(want), "{path}: {ctype}");
    }
    for bad in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/secret.txt",
        "/van-ban/..%2f..%2f..%2fsecret.txt",
        "/..\\..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/content/site.yaml",
        "/%00",
    ] {
        let (status, _, body) = get(port, bad).unwrap();
        assert_eq!(status, 404, "{bad}");
        assert!(
            !String::from_utf8_lossy(&body).contains("TOP SECRET"),
            "{bad}"
        );
    }

    // 1,000 requests in a row, then 100 at once: every one answered.
    for i in 0..1000 {
        let path = if i % 2 == 0 { "/" } else { "/van-ban/" };
        assert_eq!(get(port, path).unwrap().0, 200, "request {i}");
    }
    let handles: Vec<_> = (0..100)
        .map(|i| {
            std::thread::spawn(move || {
                let path = if i % 3 == 0 { "/lich.ics" } else { "/don-vi/" };
                get(port, path).map(|r| r.0)
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), 200);
    }
}

#[test]
fn server_tells_the_edited_page_to_reload() {
    let site = example_site();
    let server = start_server(&site.root);
    let port = server.port;
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        events,
        "GET /__cchc/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(events);
    let mut line = String::new();
    while line.trim() != "" || line.is_empty() {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
    }
    // The stream is open; give the server a moment to register it, then edit.
    std::thread::sleep(Duration::from_millis(300));
    let doc = site
        .root
        .join("content/quang-ngai/2024-ke-hoach-cai-cach-hanh-chinh-van-phong-ubnd-tinh.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, text.replacen("\n\n", "\n\nMột câu vừa thêm.\n\n", 1)).unwrap();
    let changed = next_event(&mut reader, "a change event naming the page", |d| {
        d.starts_with("changed ") && d.contains("van-ban/")
    });
    let paths: Vec<String> = serde_json::from_str(&changed["changed ".len()..]).unwrap();
    let page = &paths[0];
    let (status, _, body) = get(port, &format!("/{page}")).unwrap();
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("Một câu vừa thêm."));

    // A document added is served once its pass has ended, and no more once it is deleted
    // (the server's list of published files follows each pass's changes).
    let new_page = "/van-ban/ke-hoach-vua-them/index.html";
    let added = site.root.join("content/quang-ngai/vua-them.md");
    std::fs::write(
        &added,
        "---\ntitle: Kế hoạch vừa thêm\ntype: ke-hoach\nslug: ke-hoach-vua-them\ndate: 2024-03-01\nissuer: UBND tỉnh Quảng Ngãi\n---\n\nMột kế hoạch mới.\n",
    )
    .unwrap();
    // The end of a full pass that names the page (or reloads every page).
    let key = new_page.trim_start_matches('/');
    let names_it = |d: &str| d == "reload" || (d.starts_with("changed ") && d.contains(key));
    next_event(&mut reader, "a pass naming the added page", names_it);
    assert_eq!(get(port, new_page).unwrap().0, 200);
    std::fs::remove_file(&added).unwrap();
    next_event(&mut reader, "a pass naming the deleted page", names_it);
    assert_eq!(get(port, new_page).unwrap().0, 404);
}

/// Reads reload events until one whose data `wanted` accepts, and returns that data; panics,
/// naming `what` and the events seen, when none comes within a minute.
fn next_event(
    reader: &mut BufReader<TcpStream>,
    what: &str,
    wanted: impl Fn(&str) -> bool,
) -> String {
    let mut got = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if let Some(data) = line.trim_end().strip_prefix("data: ") {
            if wanted(data) {
                return data.to_string();
            }
            got.push(data.to_string());
        }
    }
    panic!("no {what} within a minute: {got:?}");
}
