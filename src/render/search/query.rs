//! Reads the static index back and ranks a query exactly as `search.js` does.
//!
//! Takes the index files [`super::build_index`] returned (or read from an output folder);
//! returns ranked doc ids and their display rows. It is the Rust statement of the client's
//! ranking: the unit tests, `tests/search_relevance.rs` and the JS agreement test
//! (`tests/search_js_test.mjs`, through `expected.json`) hold both sides to it. Malformed
//! files decode as empty rather than panicking.

use std::collections::{BTreeMap, HashMap};

use super::encode::{fnv1a, FLAG_BITMAP, FLAG_WIDE_IMPACTS};
use super::tokenize::syllable_runs;
use super::INDEX_DIR;

/// Same constant as search.js: a matched phrase pair weighs twice a syllable.
const BIGRAM_BOOST: f64 = 2.0;

fn read_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// One term of a decoded shard.
#[derive(Debug, Clone)]
pub struct DecodedTerm {
    pub df: usize,
    pub postings: Vec<u8>,
}

/// term → (df, posting bytes) of one shard file.
pub fn decode_shard(bytes: &[u8]) -> BTreeMap<String, DecodedTerm> {
    let mut out = BTreeMap::new();
    let mut pos = 0;
    let Some(count) = read_varint(bytes, &mut pos) else {
        return out;
    };
    for _ in 0..count {
        let Some(term) = read_term(bytes, &mut pos) else {
            break;
        };
        out.insert(term.0, term.1);
    }
    out
}

fn read_term(bytes: &[u8], pos: &mut usize) -> Option<(String, DecodedTerm)> {
    let klen = read_varint(bytes, pos)? as usize;
    let key = String::from_utf8(bytes.get(*pos..*pos + klen)?.to_vec()).ok()?;
    *pos += klen;
    let df = read_varint(bytes, pos)? as usize;
    let plen = read_varint(bytes, pos)? as usize;
    let postings = bytes.get(*pos..*pos + plen)?.to_vec();
    *pos += plen;
    Some((key, DecodedTerm { df, postings }))
}

/// `(doc, weight)` pairs of one posting list (weights on `[0, wmax)`).
pub fn decode_postings(p: &[u8], df: usize, wmax: f64) -> Vec<(u32, f64)> {
    let Some(&flags) = p.first() else {
        return Vec::new();
    };
    let mut pos = 1;
    let mut docs = Vec::with_capacity(df);
    if flags & FLAG_BITMAP != 0 {
        let first = read_varint(p, &mut pos).unwrap_or(0) as u32;
        let count = read_varint(p, &mut pos).unwrap_or(0) as usize;
        for k in 0..count {
            let byte = p.get(pos + k).copied().unwrap_or(0);
            for bit in 0..8 {
                if byte & (1 << bit) != 0 && docs.len() < df {
                    docs.push((first + k as u32) * 8 + bit);
                }
            }
        }
        pos += count;
    } else {
        let mut prev = 0u32;
        for _ in 0..df {
            prev = prev.saturating_add(read_varint(p, &mut pos).unwrap_or(0) as u32);
            docs.push(prev);
        }
    }
    let (bits, levels) = if flags & FLAG_WIDE_IMPACTS != 0 {
        (4, 16.0)
    } else {
        (2, 4.0)
    };
    let impacts = p.get(pos..).unwrap_or(&[]);
    docs.iter()
        .enumerate()
        .map(|(i, &d)| {
            let byte = impacts.get(i * bits / 8).copied().unwrap_or(0);
            let v = (byte >> ((i * bits) % 8)) & ((1 << bits) - 1);
            (d, (f64::from(v) + 0.5) / levels * wmax)
        })
        .collect()
}

/// A built index, in memory.
pub struct Index {
    pub meta: serde_json::Value,
    /// Paths relative to the output root (`tim-kiem/index/…`) → bytes.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// One result's display data from the fragment files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub url: String,
    pub title: String,
    pub kind: String,
}

impl Index {
    /// From `(path relative to the output root, bytes)` pairs; other paths are ignored.
    pub fn new(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Self {
        let files: BTreeMap<String, Vec<u8>> = files
            .into_iter()
            .filter(|(p, _)| p.starts_with(INDEX_DIR))
            .collect();
        let meta = files
            .get(&format!("{INDEX_DIR}meta.json"))
            .and_then(|b| serde_json::from_slice(b).ok())
            .unwrap_or_default();
        Index { meta, files }
    }

    pub fn num(&self, key: &str) -> f64 {
        self.meta[key].as_f64().unwrap_or(0.0)
    }

    /// Weights by doc for `term`, and the term's idf.
    pub fn lookup(&self, term: &str) -> (HashMap<u32, f64>, f64) {
        let shards = (self.num("shards") as u32).max(1);
        let shard = fnv1a(term.as_bytes()) & (shards - 1);
        let Some(bytes) = self.files.get(&format!("{INDEX_DIR}s/{shard:x}.bin")) else {
            return (HashMap::new(), 0.0);
        };
        let Some(t) = decode_shard(bytes).remove(term) else {
            return (HashMap::new(), 0.0);
        };
        let n = self.num("docs");
        let idf = (1.0 + (n - t.df as f64 + 0.5) / (t.df as f64 + 0.5)).ln();
        (
            decode_postings(&t.postings, t.df, self.num("wmax"))
                .into_iter()
                .collect(),
            idf,
        )
    }

    /// Display row of a doc id, from its fragment file.
    pub fn row(&self, id: u32) -> Option<Row> {
        let group = (self.num("group") as u32).max(1);
        let bytes = self
            .files
            .get(&format!("{INDEX_DIR}f/{}.json", id / group))?;
        let rows: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        let row = rows.get((id % group) as usize)?;
        let kind = row[2].as_u64().unwrap_or(0) as usize;
        Some(Row {
            url: row[0].as_str()?.to_owned(),
            title: row[1].as_str()?.to_owned(),
            kind: self.meta["kinds"][kind].as_str().unwrap_or("").to_owned(),
        })
    }

    /// Ranked doc ids for a query, exactly as search.js ranks them.
    pub fn search(&self, query: &str) -> Vec<u32> {
        let runs = syllable_runs(query);
        let mut unigrams: Vec<(String, Option<String>)> = Vec::new();
        let mut bigrams: Vec<String> = Vec::new();
        for run in &runs {
            for (i, s) in run.iter().enumerate() {
                if !unigrams.iter().any(|(f, _)| *f == s.folded) {
                    unigrams.push((s.folded.clone(), s.accented.clone()));
                }
                if i > 0 {
                    let b = format!("{} {}", run[i - 1].folded, s.folded);
                    if !bigrams.contains(&b) {
                        bigrams.push(b);
                    }
                }
            }
        }
        // doc -> (cover, phrases, accents, score)
        let mut acc: HashMap<u32, (u32, u32, u32, f64)> = HashMap::new();
        for (folded, accented) in &unigrams {
            let (docs, idf) = self.lookup(folded);
            for (d, w) in docs {
                let a = acc.entry(d).or_default();
                a.0 += 1;
                a.3 += idf * w;
            }
            if let Some(accented) = accented {
                for d in self.lookup(accented).0.into_keys() {
                    acc.entry(d).or_default().2 += 1;
                }
            }
        }
        for b in &bigrams {
            let (docs, idf) = self.lookup(b);
            for (d, w) in docs {
                if let Some(a) = acc.get_mut(&d) {
                    a.1 += 1;
                    a.3 += BIGRAM_BOOST * idf * w;
                }
            }
        }
        let full = unigrams.len() as u32;
        let any_full = acc.values().any(|a| a.0 == full);
        let mut ranked: Vec<(u32, (u32, u32, u32, f64))> = acc
            .into_iter()
            .filter(|(_, a)| !any_full || a.0 == full)
            .collect();
        ranked.sort_by(|(da, a), (db, b)| {
            (b.0, b.1, b.2)
                .cmp(&(a.0, a.1, a.2))
                .then(b.3.total_cmp(&a.3))
                .then(da.cmp(db))
        });
        ranked.into_iter().map(|(d, _)| d).collect()
    }
}
