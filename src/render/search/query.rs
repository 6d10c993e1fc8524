//! Reads the static index back and ranks a query exactly as `search.js` does.
//!
//! Takes the index files [`super::build_index`] returned (or read from an output folder);
//! returns ranked doc ids and their display rows. It is the Rust statement of the client's
//! ranking: the unit tests, `tests/search_relevance.rs` and the JS agreement test
//! (`tests/search_js_test.mjs`, through `expected.json`) hold both sides to it. Malformed
//! files decode as empty rather than panicking.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use super::encode::{
    fnv1a, FLAG_BITMAP, FLAG_COMPLEMENT, FLAG_NO_IMPACTS, FLAG_RELATIVE, FLAG_WIDE_IMPACTS,
};
use super::tokenize::{syllable_runs, Syllable};
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

/// `(doc, weight)` pairs of one posting list (weights on `[0, wmax)`); for a relative list
/// the "docs" are positions in the parent's list, which has `parent_len` postings.
pub fn decode_postings(p: &[u8], df: usize, wmax: f64) -> Vec<(u32, f64)> {
    decode_postings_in(p, df, wmax, 0)
}

fn decode_postings_in(p: &[u8], df: usize, wmax: f64, parent_len: usize) -> Vec<(u32, f64)> {
    let Some(&flags) = p.first() else {
        return Vec::new();
    };
    let mut pos = 1;
    let complement = flags & FLAG_COMPLEMENT != 0;
    let listed = if complement {
        parent_len.saturating_sub(df)
    } else {
        df
    };
    let mut docs = Vec::with_capacity(listed);
    if flags & FLAG_BITMAP != 0 {
        let first = read_varint(p, &mut pos).unwrap_or(0) as u32;
        let count = read_varint(p, &mut pos).unwrap_or(0) as usize;
        for k in 0..count {
            let byte = p.get(pos + k).copied().unwrap_or(0);
            for bit in 0..8 {
                if byte & (1 << bit) != 0 && docs.len() < listed {
                    docs.push((first + k as u32) * 8 + bit);
                }
            }
        }
        pos += count;
    } else {
        let mut prev = 0u32;
        for _ in 0..listed {
            prev = prev.saturating_add(read_varint(p, &mut pos).unwrap_or(0) as u32);
            docs.push(prev);
        }
    }
    if complement {
        let absent: std::collections::HashSet<u32> = docs.into_iter().collect();
        docs = (0..parent_len as u32)
            .filter(|i| !absent.contains(i))
            .collect();
    }
    if flags & FLAG_NO_IMPACTS != 0 {
        return docs.into_iter().map(|d| (d, 0.0)).collect();
    }
    let (bits, levels) = if flags & FLAG_WIDE_IMPACTS != 0 {
        (4, 16.0)
    } else {
        (1, 2.0)
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
        let (docs, idf) = self.lookup_fields(term);
        (docs.into_iter().map(|(d, w, _)| (d, w)).collect(), idf)
    }

    /// Display row of a doc id, from its fragment file.
    pub fn row(&self, id: u32) -> Option<Row> {
        let group = (self.num("group") as u32).max(1);
        let rows = self.fragment((id / group) as usize)?;
        let row = rows.get((id % group) as usize)?;
        let kind = row[2].as_u64().unwrap_or(0) as usize;
        Some(Row {
            url: row[0].as_str()?.to_owned(),
            title: row[1].as_str()?.to_owned(),
            kind: self.meta["kinds"][kind].as_str().unwrap_or("").to_owned(),
        })
    }

    /// The rows of fragment file `group`, decompressed.
    pub fn fragment(&self, group: usize) -> Option<serde_json::Value> {
        let gz = self.files.get(&super::fragment_path(group))?;
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut json)
            .ok()?;
        serde_json::from_slice(&json).ok()
    }

    /// The typo dictionary (`w.json`), most frequent first.
    fn dictionary(&self) -> Vec<String> {
        self.files
            .get(&format!("{INDEX_DIR}w.json"))
            .and_then(|b| serde_json::from_slice(b).ok())
            .unwrap_or_default()
    }

    /// Whether the index has `term` at all.
    fn has(&self, term: &str) -> bool {
        !self.lookup(term).0.is_empty()
    }

    /// The query's syllable runs, each syllable the index lacks replaced by a dictionary
    /// word one edit away (see [`neighbour_pairs`]); corrected syllables lose their accented
    /// form. Returns the runs and whether anything was corrected.
    fn corrected_runs(&self, query: &str) -> (Vec<Vec<Syllable>>, bool) {
        let mut runs = syllable_runs(query);
        let mut missing: Vec<String> = Vec::new();
        for syl in runs.iter().flatten() {
            if typo_candidate_len(&syl.folded)
                && !missing.contains(&syl.folded)
                && !self.has(&syl.folded)
            {
                missing.push(syl.folded.clone());
            }
        }
        if missing.is_empty() {
            return (runs, false);
        }
        let dict = self.dictionary();
        let fixes: HashMap<String, String> = missing
            .iter()
            .filter_map(|m| {
                let candidates: Vec<&str> = dict
                    .iter()
                    .filter(|w| one_edit(m, w))
                    .take(TYPO_CANDIDATES)
                    .map(String::as_str)
                    .collect();
                // The first candidate that forms a known pair with a neighbour, else the most
                // frequent: "nong thonn" is "nong thon", though "thong" is more common.
                let fix = candidates
                    .iter()
                    .find(|c| neighbour_pairs(&runs, m, c).iter().any(|p| self.has(p)))
                    .or(candidates.first())?;
                Some((m.clone(), (*fix).to_owned()))
            })
            .collect();
        let mut any = false;
        for syl in runs.iter_mut().flatten() {
            if let Some(fix) = fixes.get(&syl.folded) {
                syl.folded = fix.clone();
                syl.accented = None;
                any = true;
            }
        }
        (runs, any)
    }

    /// Ranked doc ids for a query, exactly as search.js ranks them: entries with every
    /// syllable (or, when none has all, with any), ordered by syllables matched, then query
    /// syllables and pairs found in the name field, pairs found anywhere (phrases), syllables
    /// with the exact marks typed, BM25 score, doc id.
    pub fn search(&self, query: &str) -> Vec<u32> {
        let (runs, _) = self.corrected_runs(query);
        let (unigrams, bigrams) = parse_runs(&runs);
        let mut acc: HashMap<u32, Keys> = HashMap::new();
        for (folded, accented) in &unigrams {
            let (docs, idf) = self.lookup_fields(folded);
            for (d, w, in_name) in docs {
                let a = acc.entry(d).or_default();
                a.cover += 1;
                a.name += u32::from(in_name);
                a.score += idf * w * if in_name { NAME_BOOST } else { 1.0 };
            }
            if let Some(accented) = accented {
                for (d, _, _) in self.lookup_fields(accented).0 {
                    acc.entry(d).or_default().accents += 1;
                }
            }
        }
        for b in &bigrams {
            let (docs, idf) = self.lookup_fields(b);
            for (d, w, in_name) in docs {
                if let Some(a) = acc.get_mut(&d).filter(|a| a.cover > 0 || a.accents > 0) {
                    a.phrases += 1;
                    a.name += u32::from(in_name);
                    a.score += BIGRAM_BOOST * idf * w * if in_name { NAME_BOOST } else { 1.0 };
                }
            }
        }
        let full = unigrams.len() as u32;
        let any_full = acc.values().any(|a| a.cover == full);
        let mut ranked: Vec<(u32, Keys)> = acc
            .into_iter()
            .filter(|(_, a)| !any_full || a.cover == full)
            .collect();
        ranked.sort_by(|(da, a), (db, b)| {
            (b.cover, b.name, b.phrases, b.accents)
                .cmp(&(a.cover, a.name, a.phrases, a.accents))
                .then(b.score.total_cmp(&a.score))
                .then(da.cmp(db))
        });
        ranked.into_iter().map(|(d, _)| d).collect()
    }

    /// `(doc, BM25 weight of its field, in the name field)` for `term`, and the term's idf.
    pub fn lookup_fields(&self, term: &str) -> (Vec<(u32, f64, bool)>, f64) {
        let (raw, idf) = self.lookup_raw(term);
        let wmax = self.num("wmax");
        let docs = raw
            .into_iter()
            .map(|(d, v, levels)| {
                let half = levels / 2;
                let in_name = v >= half;
                let level = if in_name { v - half } else { v };
                (
                    d,
                    (f64::from(level) + 0.5) / f64::from(half) * wmax,
                    in_name,
                )
            })
            .collect();
        (docs, idf)
    }

    /// `(doc, impact level, levels)` for `term` (or a facet, `y:2024`), and its idf.
    fn lookup_raw(&self, term: &str) -> (Vec<(u32, u32, u32)>, f64) {
        let shards = (self.num("shards") as u32).max(1);
        let shard = fnv1a(term.as_bytes()) & (shards - 1);
        let path = if term.contains(':') {
            format!("{INDEX_DIR}x/{}.bin", super::facet_file(term))
        } else {
            format!("{INDEX_DIR}s/{shard:x}.bin")
        };
        let Some(t) = self
            .files
            .get(&path)
            .and_then(|bytes| decode_shard(bytes).remove(term))
        else {
            return (Vec::new(), 0.0);
        };
        let n = self.num("docs");
        let idf = (1.0 + (n - t.df as f64 + 0.5) / (t.df as f64 + 0.5)).ln();
        if t.postings.first().is_some_and(|f| f & FLAG_RELATIVE != 0) {
            // Positions in the parent's list → the parent's doc ids.
            let parent = super::parent_term(term)
                .map(|p| self.lookup_raw(&p).0)
                .unwrap_or_default();
            let levels = decode_levels(&t.postings, t.df, parent.len())
                .into_iter()
                .filter_map(|(i, v, l)| Some((parent.get(i as usize)?.0, v, l)))
                .collect();
            return (levels, idf);
        }
        (decode_levels(&t.postings, t.df, 0), idf)
    }
}

/// Ranking keys of one entry (see [`Index::search`]).
#[derive(Default, Clone, Copy)]
struct Keys {
    cover: u32,
    name: u32,
    phrases: u32,
    accents: u32,
    score: f64,
}

/// Same constants as search.js: a matched phrase pair weighs twice a syllable, and a match
/// in the name field three times one in the body.
const NAME_BOOST: f64 = 3.0;

/// Distinct syllables `(folded, accented)` (at most [`MAX_TOKENS`]) and the distinct folded
/// pairs of adjacent syllables, as search.js's `parseQuery`.
fn parse_runs(runs: &[Vec<Syllable>]) -> (Vec<(String, Option<String>)>, Vec<String>) {
    let mut unigrams: Vec<(String, Option<String>)> = Vec::new();
    let mut bigrams: Vec<String> = Vec::new();
    for run in runs {
        for (i, s) in run.iter().enumerate() {
            if !unigrams.iter().any(|(f, _)| *f == s.folded) && unigrams.len() < MAX_TOKENS {
                unigrams.push((s.folded.clone(), s.accented.clone()));
            }
            if i > 0 {
                let b = format!("{} {}", run[i - 1].folded, s.folded);
                if !bigrams.contains(&b) && bigrams.len() < MAX_TOKENS {
                    bigrams.push(b);
                }
            }
        }
    }
    (unigrams, bigrams)
}

/// Query syllables and pairs used, as search.js (`MAX_TOKENS`): enough for a pasted title.
const MAX_TOKENS: usize = 24;

/// Dictionary words one edit away that are weighed against the query's other words.
const TYPO_CANDIDATES: usize = 3;

/// The folded pairs the correction `c` of the missing syllable `m` would form with `m`'s
/// neighbours in the query (`"prev c"`, `"c next"`); search.js builds the same list.
fn neighbour_pairs(runs: &[Vec<Syllable>], m: &str, c: &str) -> Vec<String> {
    let mut pairs = Vec::new();
    for run in runs {
        for (i, syl) in run.iter().enumerate() {
            if syl.folded != m {
                continue;
            }
            if let Some(prev) = i.checked_sub(1).and_then(|j| run.get(j)) {
                pairs.push(format!("{} {c}", prev.folded));
            }
            if let Some(next) = run.get(i + 1) {
                pairs.push(format!("{c} {}", next.folded));
            }
        }
    }
    pairs
}

/// Whether a folded syllable may be a typo worth correcting: letters only, 4 or more.
fn typo_candidate_len(s: &str) -> bool {
    s.len() >= 4 && s.bytes().all(|b| b.is_ascii_lowercase())
}

/// One edit (substitution, insertion, deletion or swap of neighbours) between two ASCII
/// words, the longer of five letters or more: "one typo in a word of five letters".
pub fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b || a.len().max(b.len()) < 5 {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match long.len() - short.len() {
        0 => {
            let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match diff.as_slice() {
                [_] => true,
                [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
                _ => false,
            }
        }
        1 => {
            let i = (0..short.len())
                .find(|&i| short[i] != long[i])
                .unwrap_or(short.len());
            short[i..] == long[i + 1..]
        }
        _ => false,
    }
}

/// `(doc, impact level, levels)` of one posting list.
fn decode_levels(p: &[u8], df: usize, parent_len: usize) -> Vec<(u32, u32, u32)> {
    let levels: u32 = if p.first().is_some_and(|f| f & FLAG_WIDE_IMPACTS != 0) {
        16
    } else {
        2
    };
    // decode_postings maps level v to (v + 0.5) / levels * wmax; with wmax = levels the
    // level is the floor.
    decode_postings_in(p, df, f64::from(levels), parent_len)
        .into_iter()
        .map(|(d, w)| (d, w.floor() as u32, levels))
        .collect()
}
