//! Issue "build pipeline": the whole build, end to end, on fixture sites and the example portal.
//! Exit codes, error positions, output safety, escaping, determinism, themes and sub-paths.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use unicode_normalization::UnicodeNormalization;

/// The example portal of the repository (`content/` beside `Cargo.toml`).
fn repo_root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

/// Every HTML page: `<html lang="vi">`, NFC text, and every relative `href`/`src`/`action`
/// pointing at a file of the output, with its `#fragment` an id of the target page. Absolute
/// paths (`/…`) must start with `base` and resolve the same way from the output root.
fn assert_pages_sound(built: &Built, base: &str) {
    let files: std::collections::BTreeSet<String> = built.files().into_iter().collect();
    let mut id_cache: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    let mut problems = Vec::new();
    let pages = built.html_files();
    assert!(!pages.is_empty(), "no HTML pages");
    for page in &pages {
        let text = built.read(page);
        if text.nfc().collect::<String>() != text {
            problems.push(format!("{page}: text is not NFC"));
        }
        let doc = scraper::Html::parse_document(&text);
        if attrs(&doc, "html", "lang") != ["vi"] {
            problems.push(format!("{page}: <html> lacks lang=\"vi\""));
        }
        let mut refs = attrs(&doc, "a[href]", "href");
        refs.extend(attrs(&doc, "link[href]", "href"));
        refs.extend(attrs(&doc, "script[src]", "src"));
        refs.extend(attrs(&doc, "img[src]", "src"));
        refs.extend(attrs(&doc, "form[action]", "action"));
        for href in refs {
            let resolved = if let Some(rest) = href.strip_prefix('/') {
                match format!("/{rest}").strip_prefix(base) {
                    Some(inside) => resolve_href("index.html", inside),
                    None => {
                        problems.push(format!(
                            "{page}: absolute link `{href}` outside base `{base}`"
                        ));
                        continue;
                    }
                }
            } else {
                resolve_href(page, &href)
            };
            let Some((target, frag)) = resolved else {
                continue;
            };
            if !files.contains(&target) {
                problems.push(format!("{page}: `{href}` → missing `{target}`"));
                continue;
            }
            let Some(frag) = frag.filter(|f| !f.is_empty()) else {
                continue;
            };
            if !target.ends_with(".html") {
                continue;
            }
            let ids = id_cache
                .entry(target.clone())
                .or_insert_with(|| ids(&built.html(&target)));
            if !ids.contains(&frag) {
                problems.push(format!("{page}: `{href}` → no id `{frag}` in `{target}`"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn example_portal_builds_identically_twice_with_sound_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        let run = run_bin(
            tmp.path(),
            &[
                "build",
                "--root",
                repo_root(),
                "--out",
                out.to_str().unwrap(),
                "--today",
                "2026-11-23",
                "-q",
            ],
        );
        assert_eq!(run.code, Some(0), "example build failed:\n{}", run.stderr);
    }
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert!(sa.len() > 50, "suspiciously few files: {}", sa.len());
    for must in [
        "index.html",
        "van-ban/index.html",
        "don-vi/index.html",
        "lich/index.html",
        "lich.ics",
        "du-lieu/index.json",
        "du-lieu/nhiem-vu.json.gz",
        "du-lieu/nhiem-vu.csv.gz",
        "tim-kiem/index.html",
    ] {
        assert!(sa.contains_key(must), "missing {must}");
    }
    assert_same_tree(&sa, &sb);
    // And every page of it is sound.
    let built = Built {
        out: a,
        report: cchc::Report::default(),
        _keep: None,
    };
    assert_pages_sound(&built, "/");
}

#[test]
fn fixture_builds_are_byte_identical_across_runs() {
    let site = TestSite::fixture("basic");
    let one = site.build_into("one", TODAY);
    one.assert_written();
    let two = site.build_into("two", TODAY);
    two.assert_written();
    assert_same_tree(&snapshot(&one.out), &snapshot(&two.out));
}

/// Line and column of the `path:LINE:COL: error:` line naming `file` in the CLI output.
fn error_position(stderr: &str, file: &str) -> (usize, usize) {
    let prefix = format!("{file}:");
    let line = stderr
        .lines()
        .find(|l| l.starts_with(&prefix) && l.contains(": error: "))
        .unwrap_or_else(|| panic!("no error line for {file} in:\n{stderr}"));
    let rest = &line[prefix.len()..];
    let mut parts = rest.splitn(3, ':');
    let l = parts
        .next()
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("no line in {line}"));
    let c = parts
        .next()
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("no column in {line}"));
    (l, c)
}

#[test]
fn bad_documents_fail_with_file_positions_and_keep_previous_output() {
    let site = TestSite::fixture("invalid/three-errors");
    // A previous good output: build once with the three bad files set aside.
    let bad = ["bad-yaml.md", "bad-type.md", "no-title.md"];
    let aside = site.beside("aside");
    fs::create_dir_all(&aside).unwrap();
    for f in bad {
        fs::rename(site.root.join("content").join(f), aside.join(f)).unwrap();
    }
    let out = site.beside("public");
    let out_s = out.to_str().unwrap();
    let root_s = site.root.to_str().unwrap();
    let first = site.run(&["build", "--root", root_s, "--out", out_s, "--today", TODAY]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let before = snapshot(&out);
    assert!(before.contains_key("index.html"));
    for f in bad {
        fs::rename(aside.join(f), site.root.join("content").join(f)).unwrap();
    }

    // Run from the site root so paths print as `content/…`.
    let run = run_bin(&site.root, &["build", "--out", out_s, "--today", TODAY]);
    assert_eq!(
        run.code,
        Some(1),
        "bad content must exit 1:\n{}",
        run.stderr
    );
    // Broken YAML: the indented `issuer:` on line 6 of the file (line 5 of the YAML block).
    // The column is the `:` that cannot start a mapping there.
    assert_eq!(
        error_position(&run.stderr, "content/bad-yaml.md"),
        (6, 9),
        "{}",
        run.stderr
    );
    // Wrong type: the value of `year: [2019]`, line 5 column 7 of the file.
    assert_eq!(
        error_position(&run.stderr, "content/bad-type.md"),
        (5, 7),
        "{}",
        run.stderr
    );
    // Missing title: reported inside the front matter (lines 1–5 of the file).
    let (l, _) = error_position(&run.stderr, "content/no-title.md");
    assert!(
        (1..=5).contains(&l),
        "missing title reported at line {l}:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("content/good.md:"),
        "good.md blamed:\n{}",
        run.stderr
    );
    assert_same_tree(&before, &snapshot(&out));
    // No temporary or lock files left beside the output.
    let leftovers: Vec<String> = fs::read_dir(site.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

#[test]
fn script_in_title_body_and_task_is_escaped() {
    const XSS: &str = "<script>alert(1)</script>";
    let site = TestSite::from_files(&[
        (
            "content/site.yaml",
            "title: \"</title><script>alert(1)</script> Cổng\"\ndescription: \"\\\"><script>alert(1)</script>\"\nintro: |\n  Giới thiệu <script>alert(1)</script> [x](javascript:alert(1))\n",
        ),
        ("content/units.yaml", "- name: \"Sở <script>alert(1)</script>\"\n  slug: so-x\n  aliases: [Sở Thử]\n"),
        (
            "content/xss.md",
            "---\ntitle: \"</title><script>alert(1)</script> Kế hoạch\"\ntype: ke-hoach\nnumber: 9/KH-UBND\ndate: 2024-01-01\nsummary: \"<script>alert(1)</script>\"\ntasks:\n  - task: \"Nhiệm vụ <script>alert(1)</script>\"\n    lead: [\"<script>alert(1)</script>\"]\n    support: [Sở Thử]\n    due: Quý II/2024\n---\n\n## Mục <script>alert(1)</script>\n\nĐoạn văn <script>alert(1)</script> và <img src=x onerror=alert(1)>.\n\n<script>alert(1)</script>\n\n[bấm](javascript:alert(1))\n",
        ),
    ]);
    let built = site.build_ok();
    let mut seen_doc_page = false;
    for page in built.html_files() {
        let doc = built.html(&page);
        for script in doc.select(&sel("script")) {
            assert!(
                !text_of(&script).contains("alert"),
                "{page}: script element with alert"
            );
        }
        for el in doc.select(&sel("*")) {
            for (name, value) in el.value().attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{page}: event handler attribute {name}"
                );
                assert!(
                    !value.trim_start().to_lowercase().starts_with("javascript:"),
                    "{page}: javascript: URL in {name}"
                );
            }
        }
        if page.starts_with("van-ban/") && page != "van-ban/index.html" {
            seen_doc_page = true;
            // The text survives, as text.
            let h1 = texts(&doc, "main h1").join(" ");
            assert!(
                h1.contains("</title><script>alert(1)</script> Kế hoạch"),
                "{h1}"
            );
            let main = main_text(&doc);
            assert!(main.contains(&format!("Đoạn văn {XSS}")), "{main}");
            assert!(main.contains(&format!("Nhiệm vụ {XSS}")), "{main}");
        }
    }
    assert!(seen_doc_page);
    let feed = built.read("feed.xml");
    assert!(!feed.contains(XSS), "raw script in feed.xml");
    // Site settings and the units registry are text too.
    assert!(main_text(&built.html("index.html")).contains(&format!("Giới thiệu {XSS}")));
    assert_eq!(
        texts(&built.html("don-vi/so-x/index.html"), "main h1"),
        [format!("Sở {XSS}")]
    );
    // The unit named by the script got a page whose heading shows it as text.
    let task = &built.tasks()[0];
    let slug = &unit_slugs(task, "lead")[0];
    let unit_page = built.html(&format!("don-vi/{slug}/index.html"));
    let h1 = texts(&unit_page, "main h1").join(" ");
    assert!(h1.contains("alert(1)"), "{h1}");
}

#[test]
fn foreign_non_empty_out_dir_is_refused_and_left_alone() {
    let site = TestSite::fixture("basic");
    let out = site.beside("mine");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("ghi-chu.txt"), "của tôi").unwrap();
    let run = site.run(&[
        "build",
        "--root",
        site.root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let snap = snapshot(&out);
    assert_eq!(snap.len(), 1, "{:?}", snap.keys());
    assert_eq!(snap["ghi-chu.txt"], "của tôi".as_bytes());
}

#[test]
fn out_at_filesystem_root_or_site_root_is_refused() {
    let site = TestSite::fixture("basic");
    let before = snapshot(&site.root);
    let root_s = site.root.to_str().unwrap();
    for out in ["/", root_s] {
        let run = site.run(&["build", "--root", root_s, "--out", out, "--today", TODAY]);
        assert_eq!(run.code, Some(2), "--out {out}: {}", run.stderr);
        assert!(run.stderr.contains("error"), "{}", run.stderr);
    }
    assert!(!Path::new("/.cchc-output").exists());
    assert_same_tree(&before, &snapshot(&site.root));
}

#[test]
fn every_page_is_vietnamese_nfc_with_working_relative_links() {
    let site = TestSite::fixture("basic");
    // A document typed in decomposed Unicode (NFD), as some editors save it.
    let nfd: String = "---\ntitle: Kế hoạch rà soát thủ tục hành chính\ntype: ke-hoach\nnumber: 12/KH-UBND\ndate: 2024-04-01\n---\n\n## Nhiệm vụ\n\na) Rà soát thủ tục hành chính\n- Đơn vị chủ trì: Sở Tư pháp\n- Thời gian: Quý III/2024\n"
        .nfd()
        .collect();
    site.write("content/c/nfd.md", &nfd);
    let built = site.build_ok();
    assert_pages_sound(&built, "/");
    // The decomposed title came out composed.
    let titles: Vec<String> = built
        .documents()
        .iter()
        .map(|d| s(d, "title").to_string())
        .collect();
    assert!(
        titles.contains(&"Kế hoạch rà soát thủ tục hành chính".to_string()),
        "{titles:?}"
    );
    // Links written in bodies were rewritten: the scan and the other document's section.
    let a = built
        .documents()
        .iter()
        .find(|d| d["number"] == "10/KH-UBND")
        .cloned()
        .unwrap();
    let page = format!("van-ban/{}/index.html", s(&a, "slug"));
    let doc = built.html(&page);
    let hrefs = attrs(&doc, ".doc-body a[href]", "href");
    let resolved: Vec<(String, Option<String>)> = hrefs
        .iter()
        .filter_map(|h| resolve_href(&page, h))
        .collect();
    assert!(
        resolved.iter().any(|(t, _)| t == "tep/a/scan.pdf"),
        "{hrefs:?}"
    );
    assert_eq!(
        built.bytes("tep/a/scan.pdf"),
        fs::read(site.root.join("content/a/scan.pdf")).unwrap()
    );
    assert!(
        resolved.iter().any(|(t, f)| t.starts_with("van-ban/")
            && t != &page
            && f.as_deref() == Some("ii-nhiem-vu")),
        "{hrefs:?}"
    );
}

#[test]
fn ids_are_unique_within_every_page() {
    let built = TestSite::fixture("basic").build_ok();
    assert!(built.html_files().len() > 10);
    let mut problems = Vec::new();
    for page in built.html_files() {
        let all = attrs(&built.html(&page), "[id]", "id");
        let mut seen = std::collections::BTreeSet::new();
        for id in all {
            if !seen.insert(id.clone()) {
                problems.push(format!("{page}: id `{id}` repeats"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn new_site_then_build_works() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("trang-moi");
    let run = run_bin(tmp.path(), &["new", "site", dir.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(dir.join("content/site.yaml").is_file());
    let out = tmp.path().join("out");
    let run = run_bin(
        tmp.path(),
        &[
            "build",
            "--root",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(out.join("index.html").is_file());
    // The sample document is a draft: it appears with --drafts, with its sample task.
    let out2 = tmp.path().join("out2");
    let run = run_bin(
        tmp.path(),
        &[
            "build",
            "--root",
            dir.to_str().unwrap(),
            "--out",
            out2.to_str().unwrap(),
            "--today",
            TODAY,
            "--drafts",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json = gunzip_json(&out2.join("du-lieu/nhiem-vu.json.gz"));
    assert_eq!(json["tasks"].as_array().unwrap().len(), 1, "{json}");
    // `new site` refuses a non-empty folder.
    let again = run_bin(tmp.path(), &["new", "site", dir.to_str().unwrap()]);
    assert_eq!(again.code, Some(2), "{}", again.stderr);
}

#[test]
fn check_writes_nothing() {
    let site = TestSite::fixture("basic");
    let before = snapshot(site.tmp.path());
    let run = site.run(&[
        "check",
        "--root",
        site.root.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let listing: Vec<String> = fs::read_dir(site.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(listing, ["site"], "check created files beside the site");
    assert!(!site.root.join("public").exists());
    assert_same_tree(&before, &snapshot(site.tmp.path()));
    // Also when the content has errors.
    let bad = TestSite::fixture("invalid/three-errors");
    let before = snapshot(bad.tmp.path());
    let run = bad.run(&[
        "check",
        "--root",
        bad.root.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_same_tree(&before, &snapshot(bad.tmp.path()));
}

#[test]
fn site_theme_template_replaces_the_embedded_one() {
    let site = TestSite::fixture("theme-override");
    let built = site.build_ok();
    let page = built.html("404.html");
    assert_eq!(
        texts(&page, "main h1"),
        ["Trang riêng của tỉnh: không có trang này"]
    );
    assert!(!built.read("404.html").contains("Không tìm thấy trang</h1>"));
    // The override still extends the embedded base; other pages keep the embedded templates.
    assert_eq!(attrs(&page, "html", "lang"), ["vi"]);
    let home = built.html("index.html");
    assert!(!texts(&home, "nav.main-nav a").is_empty());
    assert!(built.exists("static/style.css"));
}

#[test]
fn sub_path_base_url_keeps_relative_links_and_prefixes_sitemap_and_feed() {
    let site = TestSite::fixture("basic");
    let mut opts = site.options(&site.beside("out"), TODAY);
    opts.base_url = Some("/cchc/".into());
    let built = site.build_with(opts);
    built.assert_written();
    assert_pages_sound(&built, "/cchc/");
    let files: std::collections::BTreeSet<String> = built.files().into_iter().collect();
    let sitemap = built.read("sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|p| p.split("</loc>").next().unwrap())
        .collect();
    assert!(locs.len() >= 5, "{sitemap}");
    for loc in &locs {
        let inside = loc
            .strip_prefix("/cchc/")
            .unwrap_or_else(|| panic!("sitemap loc `{loc}` lacks /cchc/"));
        let (target, _) =
            resolve_href("index.html", if inside.is_empty() { "./" } else { inside }).unwrap();
        assert!(
            files.contains(&target),
            "sitemap loc {loc} → missing {target}"
        );
    }
    let feed = built.read("feed.xml");
    let links: Vec<&str> = feed
        .split("<link href=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .collect();
    assert!(links.len() >= 3, "{feed}");
    for l in links {
        assert!(l.starts_with("/cchc/"), "feed link `{l}` lacks /cchc/");
    }
    for t in built.tasks() {
        assert!(s(&t, "url").starts_with("/cchc/van-ban/"), "{}", t["url"]);
    }
}
