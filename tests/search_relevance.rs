//! Issue 14 "the page a reader means comes first": every case of `tests/search_relevance.json`
//! must put its page first (top 1) or among the first three (top 3), ranked by the Rust
//! statement of search.js's ranking (`cchc::render::search::query`) over the index the real
//! build writes, on the example portal and on a generated corpus of 1,000 documents
//! (`gen_corpus.py --seed 1`; `GEN_CORPUS` overrides its path). `tests/search_relevance.mjs`
//! holds search.js itself to the same list.

mod common;

use std::path::Path;

use cchc::diag::Diagnostics;
use cchc::render::search::query::Index;
use common::gen_corpus_1k;
use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn cases() -> Value {
    let text = std::fs::read_to_string(repo().join("tests/search_relevance.json"))
        .expect("tests/search_relevance.json");
    serde_json::from_str(&text).expect("valid JSON")
}

/// The search index of the site under `root`, built in memory like `cchc build` writes it.
fn index_of(root: &Path) -> Index {
    let diags = Diagnostics::new();
    let opts = cchc::site::AssembleOptions {
        today: Some("2026-11-23".parse().expect("date")),
        ..Default::default()
    };
    let (_, outputs) = cchc::build_in_memory(root, &opts, &diags);
    Index::new(outputs.into_iter().map(|o| (o.path, o.bytes)))
}

/// Failing cases of one site, each with the top three it got.
fn check(site: &str, index: &Index, list: &Value) -> Vec<String> {
    let mut failures = Vec::new();
    for case in list.as_array().expect("cases") {
        let q = case["q"].as_str().expect("q");
        let top = case["top"].as_u64().unwrap_or(1) as usize;
        let ranked = index.search(q);
        let rows: Vec<_> = ranked
            .iter()
            .filter_map(|&d| index.row(d))
            .take(3)
            .collect();
        let hit = rows.iter().take(top).any(|r| match case["url"].as_str() {
            Some(url) => r.url == url,
            None => Some(r.title.as_str()) == case["title"].as_str(),
        });
        if !hit {
            let got: Vec<&str> = rows.iter().map(|r| r.url.as_str()).collect();
            failures.push(format!(
                "{site}: {q:?} wants {} in top {top}, got {got:?}",
                case["url"]
                    .as_str()
                    .or(case["title"].as_str())
                    .unwrap_or("")
            ));
        }
    }
    failures
}

#[test]
fn readers_find_the_page_they_mean() {
    let cases = cases();
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut failures = check("example", &index_of(repo()), &cases["example"]);
    failures.extend(check(
        "gen1k",
        &index_of(&gen_corpus_1k(tmp.path())),
        &cases["gen1k"],
    ));
    let total = cases["example"].as_array().map_or(0, Vec::len)
        + cases["gen1k"].as_array().map_or(0, Vec::len);
    assert!(
        failures.is_empty(),
        "{} of {total} relevance cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
