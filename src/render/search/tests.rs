//! Checks matching and ranking (through `query.rs`, the Rust statement of search.js's
//! ranking) on a small Vietnamese corpus. `write_search_fixture` (ignored) writes
//! that corpus's index plus the expected rankings for `tests/search_js_test.mjs`.

use std::collections::BTreeMap;

use super::query::Index;
use super::*;

fn entry(url: &str, title: &str, kind: &str, text: &str) -> SearchEntry {
    SearchEntry {
        url: url.into(),
        title: title.into(),
        keys: String::new(),
        kind: kind.into(),
        context: "Kế hoạch 272/KH-UBND".into(),
        text: text.into(),
        shown: usize::MAX,
        facets: Vec::new(),
    }
}

/// The small corpus; the comment after each entry is its doc id.
fn corpus() -> Vec<SearchEntry> {
    vec![
        entry(
            "van-ban/kh-2024/",
            "Kế hoạch cải cách hành chính năm 2024",
            "Văn bản",
            "Đẩy mạnh cải cách hành chính, xây dựng chính quyền số.",
        ), // 0
        entry(
            "van-ban/kh-2019/",
            "Ke hoach cai cach hanh chinh nam 2019",
            "Văn bản",
            "Day manh cai cach hanh chinh tai tinh Dong Thap.",
        ), // 1
        entry(
            "don-vi/ubnd-dong-nai/",
            "UBND tỉnh Đồng Nai",
            "Đơn vị",
            "Ủy ban nhân dân tỉnh Đồng Nai.",
        ), // 2
        entry(
            "van-ban/kh-2024/#nv-1",
            "Ban hành quy chế",
            "Nhiệm vụ",
            "Ban hành quy chế làm việc của Ban chỉ đạo.",
        ), // 3
        entry(
            "van-ban/kh-2024/#nv-2",
            "Cập nhật bản tin",
            "Nhiệm vụ",
            "Cập nhật bản tin cải cách định kỳ.",
        ), // 4
        entry(
            "don-vi/so-noi-vu/",
            "Sở Nội vụ",
            "Đơn vị",
            "Sở Nội vụ tham mưu công tác cải cách.",
        ), // 5
        entry(
            "van-ban/kh-2024/#nv-3",
            "Báo cáo số liệu",
            "Nhiệm vụ",
            "Tổng hợp số liệu, báo cáo định kỳ.",
        ), // 6
        entry(
            "van-ban/kh-2024/#nv-4",
            "Rà soát thủ tục",
            "Nhiệm vụ",
            "Cải tiến quy trình hành chính; cách làm mới cho chính quyền.",
        ), // 7
        entry(
            "van-ban/kh-2024/#nv-5",
            "Tuyên truyền",
            "Nhiệm vụ",
            "Đẩy mạnh tuyên truyền về cải cách hành chính tại Đồng Tháp.",
        ), // 8
        entry("don-vi/so-tu-phap/", "Sở Tư pháp", "Đơn vị", ""), // 9
    ]
}

fn decoded(entries: &[SearchEntry]) -> Index {
    Index::new(build_index(entries))
}

fn pos(ranked: &[u32], doc: u32) -> usize {
    ranked.iter().position(|&d| d == doc).unwrap_or(usize::MAX)
}

// ---- tests ----

#[test]
fn folded_query_finds_accented_text() {
    let idx = decoded(&corpus());
    let r = idx.search("cai cach hanh chinh");
    assert!(r.contains(&0) && r.contains(&1), "{r:?}");
    let r = idx.search("dong nai");
    assert_eq!(r.first(), Some(&2), "{r:?}");
    assert_eq!(idx.search("ĐỒNG NAI"), idx.search("dong nai"));
    assert_eq!(idx.search("Đồng   nai!"), idx.search("đồng nai"));
}

#[test]
fn exact_accents_rank_first() {
    let idx = decoded(&corpus());
    let r = idx.search("bản");
    assert!(pos(&r, 4) < pos(&r, 3), "bản: {r:?}");
    let r = idx.search("ban");
    assert!(r.contains(&3) && r.contains(&4), "ban: {r:?}");
    let r = idx.search("sở");
    assert!(pos(&r, 5) < pos(&r, 6), "sở: {r:?}");
    let r = idx.search("số");
    assert!(pos(&r, 6) < pos(&r, 5), "số: {r:?}");
    // Accented text beats OCR text without diacritics for an accented query.
    let r = idx.search("cải cách hành chính");
    assert!(pos(&r, 0) < pos(&r, 1), "{r:?}");
}

#[test]
fn phrase_ranks_above_scattered_syllables() {
    let idx = decoded(&corpus());
    let r = idx.search("cải cách hành chính");
    // Doc 7 has all four syllables but not as a phrase.
    assert!(pos(&r, 7) != usize::MAX, "{r:?}");
    for phrase_doc in [0, 1, 8] {
        assert!(pos(&r, phrase_doc) < pos(&r, 7), "{r:?}");
    }
}

#[test]
fn all_terms_required_unless_none_match_all() {
    let idx = decoded(&corpus());
    assert_eq!(idx.search("tư pháp"), vec![9]);
    // No entry has both; fall back to entries with either.
    let r = idx.search("pháp xyzzy");
    assert_eq!(r, vec![9]);
    assert!(idx.search("xyzzy").is_empty());
    assert!(idx.search("").is_empty());
}

#[test]
fn fragments_and_meta() {
    let idx = decoded(&corpus());
    assert_eq!(idx.num("docs"), 10.0);
    assert_eq!(
        idx.meta["kinds"],
        serde_json::json!(["Nhiệm vụ", "Văn bản", "Đơn vị"])
    );
    // Ten entries: one fragment file, compressed, holding all of them in doc id order.
    const { assert!(FRAGMENT_GROUP >= 10) };
    let gz = &idx.files[&format!("{INDEX_DIR}f/0.json.gz")];
    assert_eq!(gz[..2], [0x1f, 0x8b], "gzip magic");
    let group = idx.fragment(0).unwrap_or_default();
    assert_eq!(group.as_array().map(Vec::len), Some(10));
    assert_eq!(group[4][0], "van-ban/kh-2024/#nv-2");
    assert_eq!(group[4][2], 0);
    // The excerpt goes on where the title ("Cập nhật bản tin") stops.
    assert_eq!(group[4][4], "cải cách định kỳ.");
    assert!(idx.files.keys().all(|k| k.starts_with(INDEX_DIR)));
}

#[test]
fn output_is_sorted_and_deterministic() {
    let a = build_index(&corpus());
    let b = build_index(&corpus());
    assert_eq!(a, b);
    assert!(a.windows(2).all(|w| w[0].0 < w[1].0));
    let empty = build_index(&[]);
    let paths: Vec<&str> = empty.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "tim-kiem/index/meta.json",
            "tim-kiem/index/s/0.bin",
            "tim-kiem/index/u.json",
            "tim-kiem/index/w.json"
        ]
    );
}

#[test]
fn many_entries_cross_chunks_and_use_bitmaps() {
    let n = CHUNK * 2 + 300;
    let entries: Vec<SearchEntry> = (0..n)
        .map(|i| {
            let extra = if i % 500 == 7 { " hiếm gặp" } else { "" };
            entry(
                &format!("nv/{i}/"),
                &format!("Nhiệm vụ {i}"),
                "Nhiệm vụ",
                &format!("cải cách hành chính{extra}"),
            )
        })
        .collect();
    let idx = decoded(&entries);
    assert!(idx.num("shards") >= 1.0);
    let (docs, _) = idx.lookup("cai cach");
    assert_eq!(docs.len(), n);
    let (docs, _) = idx.lookup("hiếm");
    let mut ids: Vec<u32> = docs.into_keys().collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        (0..n as u32).filter(|i| i % 500 == 7).collect::<Vec<_>>()
    );
    assert_eq!(idx.search("hiem gap").len(), ids.len());
}

#[test]
fn excerpt_cuts_at_words() {
    assert_eq!(excerpt("  a \n b  ", ""), "a b");
    let long = "từ ".repeat(200);
    let e = excerpt(&long, "");
    assert!(e.ends_with('…') && e.chars().count() <= EXCERPT_CHARS + 1);
    assert!(excerpt(&"x".repeat(1000), "").chars().count() == EXCERPT_CHARS + 1);
}

#[test]
fn excerpt_starts_where_the_title_stops() {
    let text = "Rà soát thủ tục hành chính cấp tỉnh. Quyết định công bố. Sở Nội vụ. . Quý III/2024";
    // A task's title is the start of its text, cut with "…": the excerpt goes on from there.
    assert_eq!(
        excerpt(text, "Rà soát thủ tục hành chính…"),
        "cấp tỉnh. Quyết định công bố. Sở Nội vụ. . Quý III/2024"
    );
    // Whole text in the title: the excerpt keeps what follows it (product, units, deadline).
    assert_eq!(
        excerpt(text, "Rà soát thủ tục hành chính cấp tỉnh"),
        "Quyết định công bố. Sở Nội vụ. . Quý III/2024"
    );
    // A title the body does not start with (a document) leaves the body whole.
    assert_eq!(excerpt("Nội dung.", "Kế hoạch"), "Nội dung.");
}

#[test]
fn name_field_beats_body_and_numbers_find_their_document() {
    let mut entries = corpus();
    // A plan whose body names the unit and cites another plan's number.
    entries.push(entry(
        "van-ban/kh-99/",
        "Kế hoạch kiểm tra năm 2024",
        "Văn bản",
        "Sở Tư pháp chủ trì; Sở Nội vụ phối hợp. Căn cứ Kế hoạch số 272/KH-UBND.",
    )); // 10
    let mut cited = entry("van-ban/272/", "Kế hoạch cải cách", "Văn bản", "Nội dung.");
    cited.keys = "Số 272/KH-UBND".into();
    entries.push(cited); // 11
    let idx = decoded(&entries);
    let r = idx.search("so tu phap");
    assert_eq!(r.first(), Some(&9), "{r:?}");
    let r = idx.search("sở nội vụ");
    assert_eq!(r.first(), Some(&5), "{r:?}");
    for q in ["272/KH-UBND", "272/KH", "số 272", "so 272"] {
        let r = idx.search(q);
        assert_eq!(r.first(), Some(&11), "{q}: {r:?}");
        assert!(r.contains(&10), "{q}: {r:?}");
    }
}

#[test]
fn one_typo_in_a_long_word_is_corrected() {
    let idx = decoded(&corpus());
    // "chinh" is in three entries, so it is in the typo dictionary.
    for q in [
        "cai cach hanh chinhh",
        "cai cach hanh chnh",
        "cai cach hanh cihnh",
    ] {
        assert_eq!(idx.search(q), idx.search("cai cach hanh chinh"), "{q}");
    }
    // Short words are not corrected; an unknown word stays unknown.
    assert!(idx.search("xyzzy").is_empty());
    assert!(query::one_edit("thapp", "thap"));
    assert!(query::one_edit("thnog", "thong"));
    assert!(!query::one_edit("thap", "thao"));
    assert!(!query::one_edit("chinh", "chinh"));
    assert!(query::one_edit("chinh", "chihn"));
}

#[test]
fn kinds_run_and_facets_filter() {
    let mut entries = corpus();
    entries.sort_by_key(|e| e.kind.clone());
    for e in &mut entries {
        if e.url.contains("2024") {
            e.facets = vec!["y:2024".into()];
        }
    }
    let idx = decoded(&entries);
    assert_eq!(
        idx.meta["runs"],
        serde_json::json!([[0, 5], [1, 2], [2, 3]])
    );
    assert_eq!(idx.meta["years"], serde_json::json!([2024]));
    assert!(idx.files.contains_key("tim-kiem/index/x/y-2024.bin"));
    let (docs, _) = idx.lookup_fields("y:2024");
    let mut ids: Vec<u32> = docs.into_iter().map(|(d, _, _)| d).collect();
    ids.sort_unstable();
    let want: Vec<u32> = (0..entries.len() as u32)
        .filter(|&i| entries[i as usize].url.contains("2024"))
        .collect();
    assert_eq!(ids, want);
}

/// Queries checked by the JS test against the Rust ranking above.
const FIXTURE_QUERIES: &[&str] = &[
    "cai cach hanh chinh",
    "cải cách hành chính",
    "dong nai",
    "ĐỒNG NAI",
    "bản",
    "ban",
    "sở",
    "số",
    "tư pháp",
    "pháp xyzzy",
    "xyzzy",
    "272/KH-UBND",
    "so tu phap",
    "cai cach hanh chinhh",
    "cai cach hanh cihnh",
    "cải cách hành chínhh",
];

/// Writes the corpus index and `expected.json` (query → ranked urls) for the JS test:
/// `CCHC_SEARCH_FIXTURE=/tmp/cchc-search cargo test write_search_fixture -- --ignored`.
#[test]
#[ignore]
fn write_search_fixture() {
    let Ok(dir) = std::env::var("CCHC_SEARCH_FIXTURE") else {
        return;
    };
    let root = std::path::Path::new(&dir);
    let entries = corpus();
    for (path, bytes) in build_index(&entries) {
        let file = root.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
        }
        std::fs::write(&file, bytes).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
    let idx = decoded(&entries);
    let expected: BTreeMap<&str, Vec<&str>> = FIXTURE_QUERIES
        .iter()
        .map(|q| {
            (
                *q,
                idx.search(q)
                    .iter()
                    .map(|&d| entries[d as usize].url.as_str())
                    .collect(),
            )
        })
        .collect();
    let json = serde_json::to_vec_pretty(&expected).unwrap_or_default();
    std::fs::write(root.join("expected.json"), json)
        .unwrap_or_else(|e| panic!("expected.json: {e}"));
}

#[test]
fn positions_in_agrees_with_walking_the_parent() {
    // The walk `positions_in` replaced: the first parent position not below each doc.
    let walk = |parent: &[u32], docs: &[u32]| -> Vec<u32> {
        docs.iter()
            .map(|&d| parent.iter().take_while(|&&p| p < d).count() as u32)
            .collect()
    };
    let mut seed = 0x2545_f491_u32;
    let mut next = move |n: u32| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed % n
    };
    for round in 0..300 {
        let len = next(if round % 10 == 0 { 2000 } else { 60 }) as usize;
        let mut parent: Vec<u32> = (0..len).map(|_| next(5000)).collect();
        parent.sort_unstable();
        parent.dedup();
        // A child's docs are among its parent's, but check other ids too.
        let mut docs: Vec<u32> = parent.iter().copied().filter(|_| next(4) == 0).collect();
        if round % 3 == 0 {
            docs.extend((0..5).map(|_| next(6000)));
        }
        docs.sort_unstable();
        docs.dedup();
        assert_eq!(
            positions_in(&parent, docs.iter().copied()),
            walk(&parent, &docs),
            "round {round}"
        );
    }
    assert_eq!(positions_in(&[], [1, 2].into_iter()), vec![0, 0]);
    assert_eq!(
        positions_in(&[3, 9], [1, 3, 9, 10].into_iter()),
        vec![0, 0, 1, 2]
    );
}
