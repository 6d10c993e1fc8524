//! Hostile and broken input, end to end through the `cchc` binary: no panic (exit 101), no hang,
//! no lost output, no injected script.
//!
//! * Corpus cases: `tests/bad_input/<case>/` holds a `content/` tree (committed bytes: bad UTF-8,
//!   BOM, CRLF…) and `expect.txt` (what `check`/`build` must say). Cases too big or too odd to
//!   commit (50 MB file, 10,000-deep nesting, 100,000 tasks, a symlink) have only `expect.txt`;
//!   [`generate`] writes their content at test time. `expect.txt` lines:
//!   - `run: check | build | both` (default both), `exit: N` (0 or 1), `within: SECONDS`;
//!   - `diag: <error|warning> <file>[:<line>] <message substring>`: stderr has a diagnostic
//!     `<file>:<line>:…: <severity>: …substring…`;
//!   - `no-errors`: no `error:` diagnostic; `output: <text>`: after `build`, some HTML file in
//!     the output contains the text; `not-output: <text>`: no output file contains it.
//! * Injection (`injection_*`) and path escape (`slug_*`) are tests below; interrupted and
//!   concurrent builds and dangerous `--out` values are in `interrupted_builds.rs`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use scraper::{Html, Selector};

mod common;
use common::limited::{build_ok, run, run_build};
use common::{copy_tree, gunzip_json, snapshot_entries as snapshot, task_objects};

const TODAY: &str = "2024-06-01";

fn html_files(out: &Path) -> Vec<PathBuf> {
    snapshot(out)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| out.join(p))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Corpus cases

/// Parsed `expect.txt`.
#[derive(Debug, Default)]
struct Expect {
    check: bool,
    build: bool,
    exit: i32,
    within: u64,
    diags: Vec<(String, String, Option<usize>, String)>,
    no_errors: bool,
    outputs: Vec<String>,
    not_outputs: Vec<String>,
}

fn read_expect(case: &Path) -> Expect {
    let text = fs::read_to_string(case.join("expect.txt")).expect("expect.txt");
    let mut e = Expect {
        check: true,
        build: true,
        within: 60,
        ..Expect::default()
    };
    for line in text.lines().map(str::trim) {
        let Some((key, value)) = line.split_once(':').filter(|_| !line.starts_with('#')) else {
            if line == "no-errors" {
                e.no_errors = true;
            }
            continue;
        };
        let value = value.trim();
        match key {
            "run" => {
                e.check = value != "build";
                e.build = value != "check";
            }
            "exit" => e.exit = value.parse().expect("exit code"),
            "within" => e.within = value.parse().expect("seconds"),
            "output" => e.outputs.push(value.to_string()),
            "not-output" => e.not_outputs.push(value.to_string()),
            "diag" => {
                let mut parts = value.splitn(3, ' ');
                let sev = parts.next().unwrap().to_string();
                let loc = parts.next().expect("diag location");
                let msg = parts.next().unwrap_or("").to_string();
                let (file, line) = match loc.rsplit_once(':') {
                    Some((f, l)) if l.bytes().all(|b| b.is_ascii_digit()) => {
                        (f.to_string(), Some(l.parse().unwrap()))
                    }
                    _ => (loc.to_string(), None),
                };
                e.diags.push((sev, file, line, msg));
            }
            other => panic!("unknown expect.txt key {other:?}"),
        }
    }
    e
}

/// True when `stderr` has a diagnostic of `sev` at `file[:line]` whose message contains `msg`.
/// File names are compared with `/` separators; `%20` in the expectation stands for a space.
fn has_diag(stderr: &str, sev: &str, file: &str, line: Option<usize>, msg: &str) -> bool {
    let file = file.replace("%20", " ");
    let head = match line {
        Some(l) => format!("{file}:{l}:"),
        None => format!("{file}:"),
    };
    stderr.lines().any(|l| {
        let Some(rest) = l.strip_prefix(&head) else {
            return false;
        };
        rest.contains(&format!(" {sev}: ")) && rest.contains(msg)
    })
}

fn run_case(name: &str) {
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bad_input")
        .join(name);
    let expect = read_expect(&case);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    fs::create_dir_all(root.join("content")).unwrap();
    if case.join("content").is_dir() {
        copy_tree(&case.join("content"), &root.join("content"));
    }
    generate(name, &root, tmp.path());
    let out = tmp.path().join("out");
    let limit = Duration::from_secs(expect.within);
    let root_s = root.to_str().unwrap();
    let out_s = out.to_str().unwrap();
    let mut runs = Vec::new();
    if expect.check {
        runs.push((
            "check",
            run(&["check", "--root", root_s, "--today", TODAY], limit),
        ));
    }
    if expect.build {
        runs.push((
            "build",
            run(
                &["build", "--root", root_s, "--out", out_s, "--today", TODAY],
                limit,
            ),
        ));
    }
    for (what, r) in &runs {
        eprintln!("[{name}] {what}: exit {} in {:.2?}", r.code, r.took);
        assert_eq!(
            r.code, expect.exit,
            "[{name}] {what}: exit code; stderr:\n{}",
            r.stderr
        );
        for (sev, file, line, msg) in &expect.diags {
            assert!(
                has_diag(&r.stderr, sev, file, *line, msg),
                "[{name}] {what}: no `{sev}` at {file}:{line:?} containing {msg:?}; stderr:\n{}",
                r.stderr
            );
        }
        if expect.no_errors {
            assert!(
                !r.stderr.contains(": error: "),
                "[{name}] {what}: errors:\n{}",
                r.stderr
            );
        }
    }
    if expect.build {
        if expect.exit == 0 {
            assert!(
                out.join(".cchc-output").exists(),
                "[{name}] no output written"
            );
            let pages: Vec<String> = html_files(&out)
                .iter()
                .map(|p| fs::read_to_string(p).unwrap())
                .collect();
            for want in &expect.outputs {
                assert!(
                    pages.iter().any(|p| p.contains(want.as_str())),
                    "[{name}] no page contains {want:?}"
                );
            }
            for (rel, bytes) in snapshot(&out) {
                let text = String::from_utf8_lossy(&bytes);
                for bad in &expect.not_outputs {
                    assert!(
                        !text.contains(bad.as_str()),
                        "[{name}] {} contains {bad:?}",
                        rel.display()
                    );
                }
            }
        } else {
            assert!(!out.exists(), "[{name}] a failed build wrote output");
        }
    }
    // Nothing may appear beside the site and the output folder.
    let mut beside: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "site" && n != "out" && n != "outside")
        .collect();
    beside.sort();
    assert!(
        beside.is_empty(),
        "[{name}] files left beside the output: {beside:?}"
    );
}

/// Writes the content of cases that are generated rather than committed. `scratch` is the
/// temp dir holding the site (for files "outside content/").
fn generate(name: &str, root: &Path, scratch: &Path) {
    let content = root.join("content");
    let doc = |file: &str, text: String| fs::write(content.join(file), text).unwrap();
    match name {
        "huge_document" => {
            let mut s = String::from("---\ntitle: Tệp 50 MB\n---\n\n");
            let para = "Nội dung rất dài của văn bản, lặp lại nhiều lần. ".repeat(20) + "\n\n";
            while s.len() < 50 * 1024 * 1024 {
                s.push_str(&para);
            }
            doc("rat-lon.md", s);
        }
        "deep_list" => {
            // "- - - x" is three nested lists: 10,000 levels on one line, plus ordered ones and
            // a staircase of 400 indented levels (indenting all 10,000 would be 100 MB).
            let mut s = String::from("---\ntitle: Danh sách lồng 10000 tầng\n---\n\n");
            s.push_str(&"- ".repeat(10_000));
            s.push_str("mục sâu nhất\n\n");
            s.push_str(&"1. ".repeat(10_000));
            s.push_str("mục có số\n\n");
            s.push_str(&"- > ".repeat(5_000));
            s.push_str("trộn\n\n");
            for i in 0..400 {
                s.push_str(&"  ".repeat(i));
                s.push_str("- a) mục\n");
            }
            doc("long-danh-sach.md", s);
        }
        "deep_quote" => {
            let mut s = String::from("---\ntitle: Trích dẫn lồng 10000 tầng\n---\n\n");
            s.push_str(&">".repeat(10_000));
            s.push_str(" sâu\n\n");
            for i in 1..=2_000 {
                s.push_str(&"> ".repeat(i));
                s.push_str("x\n");
            }
            s.push_str("\n[[[[[[[[[[");
            s.push_str(&"[".repeat(10_000));
            s.push_str(&"*_".repeat(10_000));
            s.push('\n');
            doc("long-trich-dan.md", s);
        }
        "many_tasks_front_matter" | "many_tasks_front_matter_1mb" => {
            // 100,000 tasks are 8 MB of YAML, over the 1 MB front-matter cap; 10,000 fit.
            let n = if name.ends_with("1mb") {
                10_000
            } else {
                100_000
            };
            let mut s = String::from("---\ntitle: Một trăm nghìn nhiệm vụ\nyear: 2024\ntasks:\n");
            for i in 0..n {
                s.push_str(&format!(
                    "  - task: Nhiệm vụ số {i}\n    lead: Sở Nội vụ\n    due: Quý {}/2024\n",
                    ["I", "II", "III", "IV"][i % 4]
                ));
            }
            s.push_str("---\n");
            doc("nhieu-nhiem-vu.md", s);
            fs::write(
                content.join("units.yaml"),
                "- name: Sở Nội vụ\n  level: tinh\n",
            )
            .unwrap();
        }
        "many_tasks_table" => {
            let mut s = String::from(
                "---\ntitle: Bảng một trăm nghìn dòng\nyear: 2024\n---\n\n| TT | Nội dung thực hiện | Cơ quan chủ trì | Thời gian thực hiện |\n|---|---|---|---|\n",
            );
            for i in 0..100_000 {
                s.push_str(&format!(
                    "| {i} | Nhiệm vụ {i} | Sở Nội vụ | Quý {}/2024 |\n",
                    ["I", "II", "III", "IV"][i % 4]
                ));
            }
            doc("bang-lon.md", s);
            fs::write(
                content.join("units.yaml"),
                "- name: Sở Nội vụ\n  level: tinh\n",
            )
            .unwrap();
        }
        "alias_bomb_strings" => {
            let mut s = format!(
                "---\ntitle: Bom chuỗi\nsummary: &a \"{}\"\nrefs: [",
                "x".repeat(400_000)
            );
            s.push_str(&vec!["*a"; 190_000].join(","));
            s.push_str("]\n---\n");
            doc("bom-chuoi.md", s);
        }
        "symlink_outside" => {
            let outside = scratch.join("outside");
            fs::create_dir_all(&outside).unwrap();
            fs::write(
                outside.join("bi-mat.md"),
                "---\ntitle: BÍ MẬT NGOÀI CONTENT\n---\nmật khẩu\n",
            )
            .unwrap();
            fs::write(outside.join("bi-mat.pdf"), "BÍ MẬT").unwrap();
            std::os::unix::fs::symlink(outside.join("bi-mat.md"), content.join("lien-ket.md"))
                .unwrap();
            std::os::unix::fs::symlink(outside.join("bi-mat.pdf"), content.join("quet.pdf"))
                .unwrap();
            std::os::unix::fs::symlink(&outside, content.join("thu-muc-ngoai")).unwrap();
            std::os::unix::fs::symlink("/etc/passwd", content.join("passwd.md")).unwrap();
            doc("that.md", "---\ntitle: Văn bản thật\n---\n".into());
        }
        _ => {}
    }
}

macro_rules! cases {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
        #[test]
        $(#[$m])*
        fn $name() {
            run_case(stringify!($name));
        }
    )*};
}

cases!(
    invalid_utf8,
    bom,
    crlf,
    mixed_line_ends,
    unclosed_front_matter,
    yaml_tabs,
    alias_bomb,
    alias_bomb_typed,
    alias_bomb_units,
    alias_bomb_strings,
    duplicate_keys,
    impossible_date,
    huge_document,
    deep_list,
    deep_quote,
    many_tasks_front_matter,
    many_tasks_front_matter_1mb,
    /// ~3 ms per task in a debug build (tera rendering, units, search): 100,000 rows take
    /// over 5 minutes there, so this runs only in release (`cargo test --release`, tests/run.sh).
    #[cfg_attr(debug_assertions, ignore = "slow in debug builds: run with --release")]
    many_tasks_table,
    empty_file,
    only_front_matter,
    same_slug,
    same_number,
    unit_own_parent,
    symlink_outside,
    odd_file_names,
);

/// The duplicate key is on line 4; the error should point there, not at the first `title`.
#[test]
fn duplicate_key_line() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input/duplicate_keys");
    let r = run(
        &["check", "--root", case.to_str().unwrap()],
        Duration::from_secs(30),
    );
    assert!(
        has_diag(
            &r.stderr,
            "error",
            "content/trung-khoa.md",
            Some(4),
            "title"
        ),
        "{}",
        r.stderr
    );
}

/// Every case folder has a test above, and every test a folder.
#[test]
fn corpus_is_complete() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input");
    let src = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input.rs"))
        .unwrap();
    for e in fs::read_dir(dir).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(
                e.path().join("expect.txt").exists(),
                "{name}: no expect.txt"
            );
            assert!(
                src.contains(&format!("    {name},")),
                "{name}: not listed in cases!"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Injection: hostile text everywhere a publisher can type, built, then read back as HTML/JSON.

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";
const JSON_BREAK: &str = "</script><script>alert(\"json\")</script>";
const TITLE_BREAK: &str = "</title></textarea><script>alert(9)</script>";

/// A site whose every field carries a payload.
fn hostile_site(root: &Path) {
    let c = root.join("content");
    fs::create_dir_all(&c).unwrap();
    fs::write(
        c.join("site.yaml"),
        format!(
            "title: 'Cổng {SCRIPT}'\ndescription: '{IMG}'\nintro: |\n  Giới thiệu {SCRIPT} [x](javascript:alert(1)) {IMG}\n"
        ),
    )
    .unwrap();
    fs::write(
        c.join("units.yaml"),
        format!(
            "- name: 'Sở {SCRIPT}'\n  aliases: ['{IMG}', 'Sở Nội vụ']\n  level: tinh\n- name: 'UBND javascript:alert(1)'\n  level: tinh\n- name: 'Sở {TITLE_BREAK}'\n  level: tinh\n"
        ),
    )
    .unwrap();
    fs::write(
        c.join("a.md"),
        format!(
            r#"---
title: '{SCRIPT} Kế hoạch'
type: ke-hoach
number: 1/KH-UBND
date: 2024-01-15
year: 2024
issuer: '<b onmouseover=alert(1)>UBND</b>'
signer: 'javascript:alert(1)'
summary: '{IMG}'
areas: ['{JSON_BREAK}', '{SCRIPT}']
refs: ['2/KH-UBND', '{SCRIPT}']
tasks:
  - id: '"><svg onload=alert(1)>'
    group: '{SCRIPT}'
    task: '{JSON_BREAK}'
    product: '{IMG}'
    lead: ['Sở Nội vụ', '<i onclick=alert(1)>Sở lạ</i>', 'Sở {TITLE_BREAK}']
    support: ['{IMG}']
    due: 'Quý II/2024 {SCRIPT}'
    budget: '{SCRIPT}'
    note: 'javascript:alert(1)'
---

# Tiêu đề {SCRIPT} {{#"><script>alert(1)</script>}}

## Thuộc tính {{.lop onclick=alert(1) style=x}}

Đoạn văn {SCRIPT} và {IMG} và <a href="javascript:alert(1)">thô</a>.

[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](<  javascript:alert(1)>)
[d](java&#x09;script:alert(1)) [e](&#106;avascript:alert(1)) [f](data:text/html;base64,PHNjcmlwdD4=)
[g](vbscript:msgbox) [h][r] <javascript:alert(1)> ![i](javascript:alert(1))
[t](https://x.vn "\" onmouseover=alert(1) x=\"") [u](b.md "{IMG}")

[r]: javascript:alert(1)

Chú thích[^x"><script>].

[^x"><script>]: {SCRIPT}

```"><script>alert(1)</script>
{SCRIPT}
```

```rust
let s = "{JSON_BREAK}";
```

| TT | Nội dung thực hiện | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện |
|---|---|---|---|---|
| **1. {SCRIPT}** | | | | |
| 1 | {IMG} | Sở Nội vụ | {SCRIPT} | Quý III/2024 |
| 2 | {JSON_BREAK} | <img src=x onerror=alert(1)> | | javascript:alert(1) |

a) Nhiệm vụ {SCRIPT}
- Đơn vị chủ trì: {IMG}
- Thời gian: Quý IV/2024

### 3. Giám đốc Sở Nội vụ

- Việc của Sở {JSON_BREAK}
"#
        ),
    )
    .unwrap();
    fs::write(
        c.join("b.md"),
        format!(
            "---\ntitle: '{IMG} {TITLE_BREAK} Thông báo'\ntype: thong-bao\nnumber: 2/KH-UBND\ndate: 2024-02-01\nsummary: '{JSON_BREAK}'\n---\n\nThực hiện Kế hoạch số 1/KH-UBND ngày 15/01/2024, xem [a](a.md#nv-1).\n"
        ),
    )
    .unwrap();
}

/// Checks one HTML page: only the theme's own scripts, no handler attributes, no script URLs,
/// a CSP that forbids inline script.
fn assert_safe_page(path: &Path, html: &str) {
    let doc = Html::parse_document(html);
    let shown = path.display();
    let all = Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        let name = el.value().name();
        assert!(
            !matches!(name, "iframe" | "object" | "embed" | "base" | "frame"),
            "{shown}: <{name}> element"
        );
        if name == "script" {
            let src = el.value().attr("src").unwrap_or("");
            let file = src.rsplit('/').next().unwrap_or("");
            assert!(
                src.contains("static/") && file.ends_with(".js") && !src.contains(':'),
                "{shown}: foreign script element: {}",
                el.html()
            );
            assert!(
                el.inner_html().trim().is_empty(),
                "{shown}: inline script: {}",
                el.html()
            );
        }
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.to_ascii_lowercase().starts_with("on"),
                "{shown}: handler attribute `{attr}` on <{name}>: {}",
                el.html()
            );
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "srcdoc" | "xlink:href"
            ) {
                let v: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                assert!(
                    !v.starts_with("javascript:") && !v.starts_with("vbscript:"),
                    "{shown}: script URL in {attr}: {}",
                    el.html()
                );
                assert!(
                    !(v.starts_with("data:") && name != "img"),
                    "{shown}: data: URL in {attr}: {}",
                    el.html()
                );
            }
            if attr == "style" {
                assert!(!value.contains("expression("), "{shown}: style expression");
            }
        }
    }
    let csp = Selector::parse(r#"meta[http-equiv="Content-Security-Policy"]"#).unwrap();
    let metas: Vec<_> = doc.select(&csp).collect();
    assert_eq!(metas.len(), 1, "{shown}: expected one CSP meta tag");
    let policy = metas[0].value().attr("content").unwrap_or("");
    // The effective script policy: `script-src`, or `default-src` where the page leaves
    // script-src out (CSP falls back to it).
    let directive = |name: &str| {
        policy
            .split(';')
            .map(str::trim)
            .find_map(|d| d.strip_prefix(name).map(str::trim))
    };
    let script_src = directive("script-src")
        .or_else(|| directive("default-src"))
        .unwrap_or_else(|| panic!("{shown}: CSP without script-src or default-src: {policy}"));
    assert_eq!(script_src, "'self'", "{shown}: CSP scripts: {policy}");
    let head = Selector::parse("head > meta[http-equiv]").unwrap();
    assert!(
        doc.select(&head).next().is_some(),
        "{shown}: CSP meta not in <head>"
    );
}

#[test]
fn injection_is_escaped_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    hostile_site(&root);
    build_ok(&root, &out, TODAY);
    let pages = html_files(&out);
    assert!(pages.len() > 10, "only {} pages", pages.len());
    for p in &pages {
        assert_safe_page(p, &fs::read_to_string(p).unwrap());
    }
    // The payloads are shown as text, not dropped: the document page title reads as written.
    let doc_page = pages
        .iter()
        .find(|p| {
            p.strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .starts_with("van-ban/1-kh-ubnd")
        })
        .map(|p| fs::read_to_string(p).unwrap())
        .unwrap_or_else(|| {
            let names: Vec<_> = pages
                .iter()
                .filter(|p| p.to_string_lossy().contains("van-ban/"))
                .collect();
            panic!("no page for the hostile document among {names:?}")
        });
    let h1 = Html::parse_document(&doc_page);
    let title = Selector::parse("title").unwrap();
    let t = h1.select(&title).next().unwrap().text().collect::<String>();
    assert!(
        t.contains(&format!("{SCRIPT} Kế hoạch")),
        "title text: {t:?}"
    );
    let h = Selector::parse("h1").unwrap();
    let t = h1.select(&h).next().unwrap().text().collect::<String>();
    assert!(t.contains(&format!("{SCRIPT} Kế hoạch")), "h1 text: {t:?}");

    // Every JSON file parses; the task data carries the payload as plain data.
    let mut json_files = 0;
    for (rel, bytes) in snapshot(&out) {
        if rel.extension().is_some_and(|e| e == "json") {
            let v: serde_json::Value = serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("{}: invalid JSON: {e}", rel.display()));
            let _ = v;
            json_files += 1;
        }
    }
    assert!(json_files >= 3, "only {json_files} JSON files");
    let tasks = gunzip_json(&out.join("du-lieu/nhiem-vu.json.gz"));
    let rows = task_objects(&tasks);
    let texts: Vec<&str> = rows.iter().filter_map(|t| t["task"].as_str()).collect();
    assert!(
        texts.contains(&JSON_BREAK),
        "task text not kept as data: {texts:?}"
    );
    let docs: Vec<serde_json::Value> = fs::read_dir(out.join("du-lieu"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name()?.to_str()?.to_string();
            (name.starts_with("van-ban-") && name.ends_with(".json"))
                .then(|| serde_json::from_slice(&fs::read(&p).unwrap()).unwrap())
        })
        .collect();
    let docs = serde_json::Value::Array(docs);
    assert!(
        docs.to_string()
            .contains(&serde_json::to_string(&format!("{SCRIPT} Kế hoạch")).unwrap()[1..20]),
        "document title not in van-ban-<year>.json"
    );
    // Search data: some JSON file holds the hostile title as a string.
    let search_hit = snapshot(&out).into_iter().any(|(rel, bytes)| {
        rel.starts_with("tim-kiem")
            && rel.extension().is_some_and(|e| e == "json")
            && String::from_utf8_lossy(&bytes).contains("alert(1)")
    });
    assert!(
        search_hit,
        "search data does not carry the hostile text as data"
    );
}

#[test]
fn injection_check_reports_script_links() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    hostile_site(&root);
    let r = run(
        &["check", "--root", root.to_str().unwrap(), "--today", TODAY],
        Duration::from_secs(60),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("javascript:"),
        "no warning about javascript: links:\n{}",
        r.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Paths: nothing the content says can make the build write outside `--out`.

#[test]
fn slug_escape_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let c = root.join("content");
    fs::create_dir_all(&c).unwrap();
    fs::write(c.join("a.md"), "---\ntitle: A\nslug: ../../x\n---\n").unwrap();
    fs::write(c.join("b.md"), "---\ntitle: B\nslug: /tmp/cchc-abs\n---\n").unwrap();
    fs::write(c.join("c.md"), "---\ntitle: C\nslug: a/b\n---\n").unwrap();
    fs::write(
        c.join("units.yaml"),
        "- name: Sở A\n  slug: ../../evil\n- name: Sở B\n  slug: /tmp/cchc-abs-unit\n- name: Sở C\n  slug: a/../../b\n",
    )
    .unwrap();
    let before = snapshot(tmp.path());
    let out = tmp.path().join("out");
    let r = run_build(&root, &out, TODAY, Duration::from_secs(60));
    assert_eq!(r.code, 1, "{}", r.stderr);
    for (file, line) in [
        ("content/a.md", 3),
        ("content/b.md", 3),
        ("content/c.md", 3),
    ] {
        assert!(
            has_diag(&r.stderr, "error", file, Some(line), "slug"),
            "no slug error for {file}:\n{}",
            r.stderr
        );
    }
    assert!(
        has_diag(&r.stderr, "error", "content/units.yaml", Some(1), "slug"),
        "{}",
        r.stderr
    );
    assert_eq!(snapshot(tmp.path()), before, "a failed build changed files");
    assert!(!Path::new("/tmp/cchc-abs").exists() && !Path::new("/tmp/cchc-abs-unit").exists());
}

#[test]
fn hostile_names_stay_inside_out() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let c = root.join("content");
    fs::create_dir_all(c.join("..hai chấm..")).unwrap();
    fs::write(
        c.join("a.md"),
        "---\ntitle: ../../../../tmp/cchc-title\nnumber: ../../x/KH-UBND\ntasks:\n  - task: x\n    lead: ['../../etc/cchc-unit', '/tmp/cchc-abs', '..', '.', 'C:\\Windows', 'a/b\\c']\n---\n",
    )
    .unwrap();
    fs::write(
        c.join("..hai chấm../b.md"),
        "---\ntitle: '..'\n---\n[x](../../../../etc/passwd)\n",
    )
    .unwrap();
    fs::write(c.join("..hai chấm../..pdf"), "%PDF").unwrap();
    let out = tmp.path().join("out");
    let before: Vec<PathBuf> = snapshot(tmp.path()).into_keys().collect();
    build_ok(&root, &out, TODAY);
    // Besides --out, a build writes only its cache, under fixed names whatever the content.
    let cache = Path::new("site/.cchc-cache");
    let (cached, after): (Vec<PathBuf>, Vec<PathBuf>) = snapshot(tmp.path())
        .into_keys()
        .filter(|p| !p.starts_with("out"))
        .partition(|p| p.starts_with(cache));
    assert_eq!(after, before, "files appeared outside --out");
    let cache_names: Vec<_> = cached
        .iter()
        .filter_map(|p| p.strip_prefix(cache).ok())
        .collect();
    assert_eq!(
        cache_names,
        [
            "",
            ".gitignore",
            "CACHEDIR.TAG",
            "assemble.bin",
            "output.bin"
        ]
        .map(Path::new),
        "unexpected files in the build cache"
    );
    for rel in snapshot(&out).into_keys() {
        assert!(
            rel.components()
                .all(|c| matches!(c, std::path::Component::Normal(_))),
            "odd output path {rel:?}"
        );
    }
    assert!(!Path::new("/tmp/cchc-title").exists() && !Path::new("/tmp/cchc-abs").exists());
}

/// The page checker itself catches what it is meant to catch (so a passing injection test means
/// something).
#[test]
fn page_checker_catches_injection() {
    let csp = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'">"#;
    let ok = format!(
        r#"<html><head>{csp}<script src="../static/site.js" defer></script></head><body><a href="../x/">x</a></body></html>"#
    );
    assert_safe_page(Path::new("ok.html"), &ok);
    let bad = [
        format!("<html><head>{csp}</head><body><script>alert(1)</script></body></html>"),
        format!(r#"<html><head>{csp}</head><body><img src=x onerror=alert(1)></body></html>"#),
        format!(r#"<html><head>{csp}</head><body><a href=" JaVaScRiPt:alert(1)">x</a></body></html>"#),
        format!(r#"<html><head>{csp}</head><body><script src="https://evil.example/x.js"></script></body></html>"#),
        format!(r#"<html><head>{csp}</head><body><iframe src="x"></iframe></body></html>"#),
        r#"<html><head><meta http-equiv="Content-Security-Policy" content="script-src 'self' 'unsafe-inline'"></head></html>"#.to_string(),
        "<html><head></head><body>no csp</body></html>".to_string(),
    ];
    for html in &bad {
        let caught = std::panic::catch_unwind(|| assert_safe_page(Path::new("bad.html"), html));
        assert!(caught.is_err(), "not caught: {html}");
    }
}
