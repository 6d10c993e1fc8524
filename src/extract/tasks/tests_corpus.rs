//! Tests for task extraction on whole bodies: hostile input stays fast and bounded, and the
//! converted seed documents give their expected tasks.

use super::tests::{extract, s, v};
use super::*;
use std::time::{Duration, Instant};

// ------------------------------------------------------------------ hostile input

fn assert_fast(body: &str, limit: Duration) -> Vec<RawTask> {
    let start = Instant::now();
    let tasks = extract(body);
    assert!(start.elapsed() < limit, "took {:?}", start.elapsed());
    tasks
}

#[test]
fn empty_and_trivial_bodies() {
    for body in [
        "",
        " ",
        "\n\n",
        "---",
        "|",
        "| a |\n|---|",
        "a)",
        "1.",
        "- :",
        "**",
        ">",
    ] {
        let _ = extract(body);
    }
    assert!(extract("").is_empty());
}

#[test]
fn deeply_nested_lists_and_quotes() {
    let limit = Duration::from_secs(5);
    let _ = assert_fast(&format!("{}x", "- ".repeat(10_000)), limit);
    let _ = assert_fast(&format!("{}x", "1. ".repeat(10_000)), limit);
    let _ = assert_fast(&format!("{} x", ">".repeat(10_000)), limit);
    let _ = assert_fast(
        &format!("### Sở Nội vụ\n\n{}x", "> - ".repeat(5_000)),
        limit,
    );
    // Multi-line nesting, each level indented under the previous one.
    let mut body = String::from("### Sở Nội vụ\n\n");
    for depth in 0..2_000 {
        body.push_str(&"  ".repeat(depth));
        body.push_str("- việc\n");
    }
    let tasks = assert_fast(&body, limit);
    // The first item is a task; everything nested under it is its detail.
    assert_eq!(tasks.len(), 1);
}

#[test]
fn large_table() {
    let mut body = String::from("| TT | Nội dung | Chủ trì | Thời gian |\n|---|---|---|---|\n");
    for i in 0..100_000 {
        body.push_str(&format!("| {i} | Việc {i} | Sở Nội vụ | Quý I/2024 |\n"));
    }
    let tasks = assert_fast(&body, Duration::from_secs(10));
    assert_eq!(tasks.len(), 100_000);
    assert_eq!(&*tasks[99_999].text, "Việc 99999");
}

#[test]
fn large_paragraph_in_unit_section() {
    let mut body = String::from("### Sở Nội vụ\n\n");
    let sentence = "Tổ chức rà soát trong tháng 12/2023, đảm bảo tiến độ; ";
    body.push_str(&sentence.repeat(5 * 1024 * 1024 / sentence.len()));
    let tasks = assert_fast(&body, Duration::from_secs(20));
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].due, s("trong tháng 12/2023"));
}

#[test]
fn huge_heading_title_is_cut_for_groups() {
    let body = format!(
        "## {}\n\n### Sở Nội vụ\n\n{}",
        "Nhiệm vụ ".repeat(200_000),
        "- Việc.\n".repeat(20_000)
    );
    let tasks = assert_fast(&body, Duration::from_secs(10));
    assert_eq!(tasks.len(), 20_000);
    let group = tasks[0].group.as_deref().unwrap_or_default();
    assert!(group.len() <= MAX_TITLE + 3 && group.ends_with('…'));
}

/// 50 MB of mixed content; slow in debug builds, so run with
/// `cargo test --release -- --ignored`.
#[test]
#[ignore]
fn body_of_50_mb_stays_linear() {
    let chunk = "### 1. Sở Nội vụ\n\n- Rà soát trước ngày 30/11/2023.\n\na) Việc\n- Thời gian: Quý I/2024\n\n| TT | Nội dung | Chủ trì |\n|---|---|---|\n| 1 | Việc | Sở A |\n\n";
    let body = chunk.repeat(50 * 1024 * 1024 / chunk.len());
    let tasks = assert_fast(&body, Duration::from_secs(30));
    assert_eq!(tasks.len(), 3 * (50 * 1024 * 1024 / chunk.len()));
}

#[test]
fn pseudo_random_bodies_never_panic() {
    let pieces = [
        "a) ",
        "đ) ",
        "1. ",
        "- ",
        "+ ",
        "> ",
        "### ",
        "## Kết quả\n",
        "**",
        "|",
        "|---|",
        "\n",
        "\n\n",
        "Thời gian: ",
        "Đơn vị chủ trì:",
        "Sở Nội vụ",
        "trước ngày 3/",
        "Quý IV/",
        "2023",
        "  ",
        "ữ",
        "`",
        "<br>",
        "[^1]",
        "[^1]: x\n",
        "Trên đây là ./.",
        ":",
        "Tổ chức thực hiện",
        "\u{301}",
        "🙂",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..2_000 {
        let mut body = String::new();
        for _ in 0..60 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            body.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        for t in extract(&body) {
            assert!(t.offset <= body.len());
            assert!(!t.text.is_empty());
        }
    }
}

// ---------------------------------------------------------- converted seeds

/// The crate root: `CARGO_MANIFEST_DIR`, or the directory this file lives in when the module
/// is compiled from another crate (a scratch crate mounting it by path).
fn crate_root() -> Option<std::path::PathBuf> {
    let manifest = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if manifest.join("tests/seeds_expected.json").exists() {
        return Some(manifest);
    }
    let this = std::path::Path::new(file!());
    this.ancestors()
        .find(|p| p.join("tests/seeds_expected.json").exists())
        .map(std::path::Path::to_path_buf)
}

/// The body of a content file: everything after the closing `---` of the front matter.
fn body_of(file: &str) -> &str {
    let mut parts = file.splitn(3, "---\n");
    match (parts.next(), parts.next(), parts.next()) {
        (Some(""), Some(_), Some(body)) => body,
        _ => file,
    }
}

#[test]
fn seed_documents_match_expected_task_counts() {
    let Some(root) = crate_root() else {
        eprintln!("tests/seeds_expected.json not found: skipped");
        return;
    };
    let json = std::fs::read_to_string(root.join("tests/seeds_expected.json")).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&json).unwrap();
    let seeds = expected.as_object().unwrap();
    assert!(!seeds.is_empty());
    for (seed, entry) in seeds {
        let content = entry["content"].as_str().unwrap();
        let file = std::fs::read_to_string(root.join(content)).unwrap();
        let tasks = extract(body_of(&file));
        assert_eq!(
            tasks.len() as u64,
            entry["tasks"].as_u64().unwrap(),
            "{seed} {content}"
        );
        let by_form = &entry["tasks_by_form"];
        for (name, form) in [
            ("table", TaskForm::Table),
            ("labelled", TaskForm::Labelled),
            ("unit_headed", TaskForm::UnitHeaded),
        ] {
            let n = tasks.iter().filter(|t| t.form == form).count() as u64;
            assert_eq!(Some(n), by_form[name].as_u64(), "{seed} {name}");
        }
        for t in &tasks {
            assert!(!t.lead.is_empty(), "{seed}: no lead for {:?}", t.text);
        }
        // Deterministic: the same body gives the same tasks.
        assert_eq!(tasks, extract(body_of(&file)));
    }
}

#[test]
fn inline_deadline_label_after_a_unit_task() {
    let body = "\
**1. Giám đốc Sở Nội vụ**

- Rà soát hạ tầng số; thời gian: Thường xuyên trong năm.
- Tổng hợp báo cáo, thời hạn: Quý II/2024.
- Theo dõi thời gian: không phải nhãn vì đứng giữa câu.
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[0].due, s("Thường xuyên trong năm"));
    assert_eq!(tasks[1].due, s("Quý II/2024"));
    assert_eq!(tasks[2].due, None);
    assert_eq!(
        &*tasks[0].text,
        "Rà soát hạ tầng số; thời gian: Thường xuyên trong năm."
    );
}

#[test]
fn deadline_label_is_not_an_inline_unit() {
    let body = "\
**12. Giám đốc Sở Y tế**

- Chủ tịch Ủy ban nhân dân tỉnh về các quy định của Trung ương; thời gian: Mỗi tháng 02 kỳ.
- Sở Tư pháp: Chủ trì thẩm định văn bản.
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0].lead, v("Giám đốc Sở Y tế"));
    assert_eq!(tasks[0].due, s("Mỗi tháng 02 kỳ"));
    assert_eq!(tasks[1].lead, v("Sở Tư pháp"));
}
