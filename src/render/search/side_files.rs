//! The index's side files, made from what tokenizing gathered: the facet filters
//! (`x/<facet>.bin`), the typo dictionary (`w.json`) and the unit filter's names (`u.json`).

use std::collections::BTreeMap;

use super::encode::{encode_postings, encode_shard, ShardTerm};
use super::{INDEX_DIR, TYPO_MIN_DF, TYPO_MIN_LEN};

/// `x/<facet>.bin` (`y-2024.bin`, `u-so-noi-vu.bin`): one single-term shard per facet, its
/// postings the entries it applies to (impacts 0). Kept out of the term shards so that
/// queries never download filter data they do not use.
pub(super) fn facet_files(
    facets: &BTreeMap<String, Vec<u32>>,
    n_docs: usize,
) -> Vec<(String, Vec<u8>)> {
    facets
        .iter()
        .map(|(facet, docs)| {
            let postings = encode_postings(docs, &vec![0; docs.len()], n_docs);
            let term = ShardTerm {
                key: facet,
                df: docs.len(),
                postings: &postings,
            };
            (
                format!("{INDEX_DIR}x/{}.bin", facet_file(facet)),
                encode_shard(&[term]),
            )
        })
        .collect()
}

/// File name of a facet: `y:2024` → `y-2024` (search.js `facetFile`).
pub fn facet_file(facet: &str) -> String {
    facet.replace(':', "-")
}

/// `w.json`: folded syllables of [`TYPO_MIN_LEN`] letters or more found in at least
/// [`TYPO_MIN_DF`] entries, most frequent first; the client corrects a query syllable the
/// index lacks to the first of them one edit away. Fetched only when a syllable is missing.
pub(super) fn typo_dictionary(terms: &[(String, usize)]) -> Vec<u8> {
    let mut words: Vec<(&str, usize)> = terms
        .iter()
        .filter(|(t, df)| {
            t.len() >= TYPO_MIN_LEN
                && *df >= TYPO_MIN_DF
                && t.bytes().all(|b| b.is_ascii_lowercase())
        })
        .map(|(t, df)| (t.as_str(), *df))
        .collect();
    words.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let list: Vec<&str> = words.into_iter().map(|(t, _)| t).collect();
    serde_json::to_vec(&list).unwrap_or_else(|_| b"[]".to_vec())
}

/// `u.json`: `[[facet, unit name], …]` for the unit filter, sorted by name.
pub(super) fn unit_names(mut units: Vec<(String, String)>) -> Vec<u8> {
    units.sort_unstable_by(|a, b| {
        crate::text::fold(&a.1)
            .cmp(&crate::text::fold(&b.1))
            .then(a.0.cmp(&b.0))
    });
    units.dedup();
    serde_json::to_vec(&units).unwrap_or_else(|_| b"[]".to_vec())
}
