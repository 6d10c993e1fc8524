//! Static full-text search index for the portal, read by `themes/default/static/search.js`.
//!
//! Takes one [`SearchEntry`] per searchable thing (document, task, unit; see `entries.rs`);
//! returns the index files as `(path under the output root, bytes)`, all under
//! `tim-kiem/index/`, sorted by path, byte-identical for the same entries. A query downloads
//! `meta.json`, one shard per query syllable, per adjacent syllable pair and per syllable
//! typed with diacritics, and the fragment files of the results it shows; a filter adds its
//! facet file, a syllable the index lacks the typo dictionary.
//!
//! # Terms (see `tokenize.rs`)
//! Folded syllables (`cai`), accented syllables (`cải`, only when different) and folded
//! bigrams (`cai cach`), each counted apart in the entry's *name field* (title plus keys: a
//! document's number as "Số 272/KH-UBND", a unit's aliases) and in its body.
//!
//! # Files
//! - `meta.json`: `{"version":3,"docs":N,"shards":S,"group":G,"kinds":[…],"runs":[[kind,n],…],
//!   "years":[…],"wmax":2.2,"token":"<hex>"}`; `runs` gives each doc id's kind (entries come
//!   grouped by kind), `token` changes whenever any index byte changes (cache busting).
//! - `s/<hex shard>.bin`: the terms that hash there: `fnv1a(term) & (S - 1)` (32-bit FNV-1a
//!   over UTF-8); `S` is a power of two sized so a shard averages ~2 KiB, so two large lists
//!   seldom share a file. Layout in `encode.rs`: varint term count, then per term key, df
//!   and its posting list: doc ids as varint gaps or a bitmap, whichever is smaller, then
//!   impacts. A pair's list and an accented syllable's are *relative*: positions in the list
//!   of their parent (first syllable; folded form), or the positions without them when that
//!   is shorter; accented lists carry no impacts.
//! - `x/<facet>.bin` (`y-2024`, `u-<unit slug>`): the entries a filter keeps, as a one-term
//!   shard.
//! - `f/<group>.json.gz`: display data of docs `G*group .. G*group+G-1`, as
//!   `[[url, title, kind index, context, excerpt], …]`, gzip-compressed (a group's rows share
//!   most of their URLs and context: at 10,000 documents, 16 MB in 9,986 files where plain
//!   JSON in groups of 4 took 58 MB in 39,941). The excerpt leaves out the start of the body
//!   when the title already shows it (a task's text).
//! - `w.json`: typo dictionary (folded syllables of 4+ letters in 2+ entries, most frequent
//!   first); `u.json`: `[[facet, unit name], …]` for the unit filter.
//!
//! # Scoring (stated in Rust by `query.rs`, which search.js must agree with)
//! An impact is 4 bits: the top bit says "in the name field", the other three the BM25
//! term-frequency part `tf·(k1+1) / (tf + k1·(1 − b + b·len/avg))` of that field (name: `avg`
//! over all entries, so a unit's short name beats a task's long title; body: `avg` over the
//! entry's kind). Very common terms keep 1 bit (the name flag). Results need every query
//! syllable and are ordered by: syllables and pairs found in the name field, pairs found
//! anywhere (phrases), syllables with the exact marks typed, then idf-weighted score.
//!
//! Every shard lists its terms in byte order. The build interns terms and packs their lists
//! in `terms.rs` (a pair is two syllable ids, a list a chain of slices in shared pages) and
//! writes the shards from there, encoding each list when its shard is written.

mod encode;
pub mod entries;
pub mod memo;
mod plist;
pub mod query;
mod side_files;
mod terms;
mod tokenize;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use encode::{encode_postings, encode_relative, IMPACT_LEVELS};
pub use side_files::facet_file;
use side_files::{facet_files, typo_dictionary, unit_names};
use terms::TermTable;
use tokenize::{body_count, name_count, ChunkTerms, FieldLens};

/// One searchable item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchEntry {
    /// Link relative to the site root, without a leading slash, e.g.
    /// `van-ban/272-kh-ubnd/#nv-3`.
    pub url: String,
    /// Shown as the result's link text; indexed in the name field.
    pub title: String,
    /// Also indexed in the name field, not shown: a document's number ("Số 272/KH-UBND"),
    /// a unit's aliases.
    pub keys: String,
    /// `"Văn bản"`, `"Nhiệm vụ"` or `"Đơn vị"`; shown, and length normalisation is per kind.
    pub kind: String,
    /// Shown under the title, e.g. the document a task belongs to; not indexed.
    pub context: String,
    /// Body plain text (NFC); indexed; its start is shown as the snippet.
    pub text: String,
    /// Bytes of `text`, from its start, the snippet may show (`usize::MAX`: all): a task's
    /// lead units and deadline come last in its text and are in `context` already.
    pub shown: usize,
    /// Filter terms (`y:2024`, `u:so-noi-vu`, see `entries.rs`): indexed as they are, with
    /// no weight; a filter intersects with their postings.
    pub facets: Vec<String>,
}

/// Directory of every index file, relative to the output root.
pub const INDEX_DIR: &str = "tim-kiem/index/";

/// Index format version, written to `meta.json` and checked by search.js.
const FORMAT_VERSION: u32 = 3;
/// Entries per fragment file. A page of results reads one file per result at most: 16 rows
/// are ~1.6 kB compressed (4 were ~0.7 kB), and the files together are 0.28 of their JSON,
/// where groups of 4 would be 0.46 (measured at 10,000 documents).
const FRAGMENT_GROUP: usize = 16;
/// Characters of body text kept per entry for the snippet.
const EXCERPT_CHARS: usize = 280;
/// Target average shard size; more shards mean less unrelated data per query.
/// Small, so that two large posting lists seldom share a file (at 10,000 documents a query
/// then fetches ~2 KiB of other terms per shard, not tens of KiB).
const TARGET_SHARD_BYTES: usize = 2 * 1024;
/// Upper bound on shard files (a power of two).
const MAX_SHARDS: usize = 1 << 14;
/// Entries per parallel tokenizing job.
const CHUNK: usize = 2048;
// Fragment files are written per chunk, so a chunk must hold whole groups.
const _: () = assert!(CHUNK.is_multiple_of(FRAGMENT_GROUP));
/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Largest BM25 term-frequency part, `k1 + 1`; impacts quantize `[0, WMAX)`.
const WMAX: f64 = K1 + 1.0;
/// Impact levels of one field; the top bit of an impact says "in the name field".
const FIELD_LEVELS: u32 = IMPACT_LEVELS / 2;
/// Typo dictionary: folded syllables this long or longer, in at least this many entries.
const TYPO_MIN_LEN: usize = 4;
const TYPO_MIN_DF: usize = 2;

/// Builds the static index: returns (path relative to the output root, bytes), all under
/// `tim-kiem/index/`, sorted by path. Doc ids are positions in `entries`.
pub fn build_index(entries: &[SearchEntry]) -> Vec<(String, Vec<u8>)> {
    let files = std::sync::Mutex::new(Vec::new());
    build_index_into(entries.to_vec(), &|path, bytes| {
        if let Ok(mut f) = files.lock() {
            f.push((path, bytes));
        }
    });
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Where index files go as soon as each is made: (path, bytes), in no particular order.
pub type IndexSink<'a> = &'a (dyn Fn(String, Vec<u8>) + Sync);

/// Like [`build_index`], handing each file to `sink` as soon as it is made, so the shards and
/// fragments (most of the index's bytes) are never all in memory at once. Takes the entries
/// by value: each entry is dropped once tokenized (only its excerpt is kept).
pub fn build_index_into(entries: Vec<SearchEntry>, sink: IndexSink) {
    build_index_from(&OwnedEntries::new(entries), sink)
}

/// Where the index takes its entries from. Each entry is asked for once, when it is
/// tokenized (in parallel, a batch at a time), and dropped once tokenized: a build never
/// holds every entry (at 100,000 documents, 1.6 million entries of ~800 bytes).
pub trait EntrySource: Sync {
    /// Number of entries; doc ids are `0..len()`.
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The kind names the entries have, in any order.
    fn kinds(&self) -> Vec<String>;
    /// Entry `id`, with its whole text.
    fn entry(&self, id: usize) -> SearchEntry;
}

/// Entries already made, each given away when asked for.
struct OwnedEntries {
    kinds: Vec<String>,
    entries: Vec<std::sync::Mutex<SearchEntry>>,
}

impl OwnedEntries {
    fn new(entries: Vec<SearchEntry>) -> Self {
        let kinds: BTreeSet<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
        OwnedEntries {
            kinds: kinds.into_iter().map(str::to_owned).collect(),
            entries: entries.into_iter().map(std::sync::Mutex::new).collect(),
        }
    }
}

impl EntrySource for OwnedEntries {
    fn len(&self) -> usize {
        self.entries.len()
    }
    fn kinds(&self) -> Vec<String> {
        self.kinds.clone()
    }
    fn entry(&self, id: usize) -> SearchEntry {
        self.entries
            .get(id)
            .and_then(|e| e.lock().ok().map(|mut e| std::mem::take(&mut *e)))
            .unwrap_or_default()
    }
}

/// Like [`build_index_into`] with the entries made by `source` only when each is tokenized.
pub fn build_index_from(source: &dyn EntrySource, sink: IndexSink) {
    // Every file passes through `hashed` so the version token covers all of them.
    let hashes = std::sync::Mutex::new(Vec::new());
    let hashed = |path: String, bytes: Vec<u8>| {
        let h = file_hash(&path, &bytes);
        if let Ok(mut v) = hashes.lock() {
            v.push((path.clone(), h));
        }
        sink(path, bytes);
    };
    let kinds = KindTable::new(source.kinds());
    let (table, mut seen) = crate::timed("search: tokenize", || {
        collect_postings(source, &kinds, &hashed)
    });
    let n_docs = seen.kinds.len();
    let norms = length_norms(&seen, &kinds);
    let written = table.write_shards(&norms, n_docs, &hashed);
    let shard_count = written.shard_count;
    for (path, bytes) in facet_files(&seen.facets, n_docs) {
        hashed(path, bytes);
    }
    hashed(
        format!("{INDEX_DIR}w.json"),
        typo_dictionary(&written.syllables),
    );
    hashed(
        format!("{INDEX_DIR}u.json"),
        unit_names(std::mem::take(&mut seen.units)),
    );
    let token = version_token(hashes.into_inner().unwrap_or_default());
    sink(
        format!("{INDEX_DIR}meta.json"),
        meta_json(&seen, shard_count, &kinds, &token),
    );
}

/// Kind names in sorted order; fragments store an index into this table.
struct KindTable {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl KindTable {
    fn new(mut names: Vec<String>) -> Self {
        names.sort_unstable();
        names.dedup();
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        KindTable { names, index }
    }

    fn of(&self, kind: &str) -> usize {
        self.index.get(kind).copied().unwrap_or(0)
    }
}

/// What the index keeps of every entry once it is tokenized, in doc-id order.
#[derive(Default, Serialize, Deserialize)]
struct Seen {
    /// Kind index ([`KindTable`]) of each entry.
    kinds: Vec<usize>,
    /// Weighted field lengths of each entry.
    lens: Vec<FieldLens>,
    /// Facet → the entries that have it, ascending.
    facets: BTreeMap<String, Vec<u32>>,
    /// `(unit facet, unit name)` of each unit entry.
    units: Vec<(String, String)>,
}

impl Seen {
    /// Takes what is kept of entry `id`: its kind, its facets, a unit's name.
    fn note(&mut self, id: u32, entry: &mut SearchEntry, kinds: &KindTable) {
        self.kinds.push(kinds.of(&entry.kind));
        self.units.extend(unit_name(entry));
        for facet in entry.facets.drain(..) {
            let list = self.facets.entry(facet).or_default();
            if list.last() != Some(&id) {
                list.push(id);
            }
        }
    }

    /// Appends a later run of entries.
    fn append(&mut self, mut later: Seen) {
        self.kinds.append(&mut later.kinds);
        self.lens.append(&mut later.lens);
        self.units.append(&mut later.units);
        for (facet, mut ids) in later.facets {
            self.facets.entry(facet).or_default().append(&mut ids);
        }
    }
}

/// `(unit facet, unit name)` of a unit entry, for `u.json`.
fn unit_name(entry: &SearchEntry) -> Option<(String, String)> {
    if entry.kind != entries::KIND_UNIT {
        return None;
    }
    let facet = entry.facets.iter().find(|f| f.starts_with("u:"))?;
    Some((facet.clone(), entry.title.clone()))
}

/// Tokenizes every entry (made by `source` in parallel, by contiguous chunks) and merges the
/// chunks in order, so each posting list comes out sorted by doc id without a sort. Writes
/// the fragment files as it goes and returns what is kept of every entry ([`Seen`]); an
/// entry is dropped once tokenized, and chunks are merged a batch at a time, so neither every
/// entry nor every chunk's own term table is held at once. A batch is merged (on one thread:
/// the table is one) while the next is tokenized, so merging does not leave a core idle.
fn collect_postings(
    source: &dyn EntrySource,
    kinds: &KindTable,
    fragments: IndexSink,
) -> (TermTable, Seen) {
    let n = source.len();
    let batch = CHUNK * 2 * rayon::current_num_threads().max(1);
    let mut table = TermTable::default();
    let mut seen = Seen::default();
    let mut tokenized = Vec::new();
    for start in (0..n).step_by(batch) {
        let end = (start + batch).min(n);
        let next = || -> Vec<(ChunkTerms, Seen)> {
            (start..end)
                .step_by(CHUNK)
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|first| {
                    tokenize_chunk(source, first..(first + CHUNK).min(end), kinds, fragments)
                })
                .collect()
        };
        let merge = || merge_chunks(&mut table, &mut seen, std::mem::take(&mut tokenized));
        tokenized = rayon::join(merge, next).1;
    }
    merge_chunks(&mut table, &mut seen, tokenized);
    if std::env::var_os("CCHC_TIMINGS").is_some() {
        let (terms, syllables, bytes) = table.sizes();
        eprintln!(
            "[model] search terms: {terms} ({syllables} syllables), lists {} MB",
            bytes >> 20
        );
    }
    (table, seen)
}

/// Merges tokenized chunks, in doc order, into `table` and `seen`.
fn merge_chunks(table: &mut TermTable, seen: &mut Seen, chunks: Vec<(ChunkTerms, Seen)>) {
    for (chunk, chunk_seen) in chunks {
        let (names, postings, chunk_lens) = chunk.into_parts();
        seen.append(Seen {
            lens: chunk_lens,
            ..chunk_seen
        });
        table.merge(names, postings);
    }
}

/// Entries `ids` (a run that starts a fragment group) tokenized, their fragment files
/// written.
fn tokenize_chunk(
    source: &dyn EntrySource,
    ids: std::ops::Range<usize>,
    kinds: &KindTable,
    fragments: IndexSink,
) -> (ChunkTerms, Seen) {
    let mut terms = ChunkTerms::default();
    let mut seen = Seen::default();
    let mut name = String::new();
    let mut rows = Vec::with_capacity(ids.len());
    let first_group = ids.start / FRAGMENT_GROUP;
    for id in ids {
        let mut entry = source.entry(id);
        name_field(&entry, &mut name);
        terms.add(id as u32, &name, &entry.text);
        seen.note(id as u32, &mut entry, kinds);
        rows.push(FragmentRow::of(entry, kinds));
    }
    // CHUNK is a multiple of the group, so a chunk holds whole fragment files.
    fragment_files(&rows, first_group, fragments);
    (terms, seen)
}

/// Per entry, the BM25 denominator terms `k1·(1 − b + b·len/avg)` of its name field (`avg`
/// over all entries: a unit's short name is a closer match than a task's long title) and of
/// its body (`avg` over entries of the same kind: a task is short next to a document).
fn length_norms(seen: &Seen, kinds: &KindTable) -> Vec<Norms> {
    let mut sums = vec![(0f64, 0usize); kinds.names.len()];
    let mut name_sum = 0f64;
    for (&kind, l) in seen.kinds.iter().zip(&seen.lens) {
        name_sum += f64::from(l.name);
        if let Some(s) = sums.get_mut(kind) {
            s.0 += f64::from(l.body);
            s.1 += 1;
        }
    }
    let avg = |sum: f64, n: usize| {
        if n == 0 || sum <= 0.0 {
            1.0
        } else {
            sum / n as f64
        }
    };
    let name_avg = avg(name_sum, seen.kinds.len());
    let norm = |len: u32, avg: f64| K1 * (1.0 - B + B * f64::from(len) / avg);
    seen.kinds
        .iter()
        .zip(&seen.lens)
        .map(|(&kind, l)| {
            let (sum, n) = sums.get(kind).copied().unwrap_or((0.0, 0));
            Norms {
                name: norm(l.name, name_avg),
                body: norm(l.body, avg(sum, n)),
            }
        })
        .collect()
}

/// BM25 length normalisation of an entry's two fields.
#[derive(Clone, Copy, Serialize, Deserialize)]
struct Norms {
    name: f64,
    body: f64,
}

/// Quantized impact (0..=15) of a term with packed counts `packed` in an entry: in the name
/// field, `8 +` the BM25 level of its name occurrences; otherwise the level of its body ones.
fn impact(packed: u32, norms: Norms) -> u8 {
    let level = |tf: u32, norm: f64| {
        let tf = f64::from(tf);
        let w = tf * (K1 + 1.0) / (tf + norm);
        (w / WMAX * f64::from(FIELD_LEVELS))
            .floor()
            .clamp(0.0, f64::from(FIELD_LEVELS - 1)) as u8
    };
    match name_count(packed) {
        0 => level(body_count(packed), norms.body),
        n => FIELD_LEVELS as u8 + level(n, norms.name),
    }
}

/// The term whose postings a term's are stored relative to (search.js `parentTerm`): a
/// pair's first syllable (`cai cach` → `cai`), an accented syllable's folded form
/// (`cải` → `cai`). Every entry with the term has its parent, and a query that looks the term
/// up always fetches the parent too.
fn parent_term(term: &str) -> Option<std::borrow::Cow<'_, str>> {
    if let Some((first, _)) = term.split_once(' ') {
        return Some(first.into());
    }
    (!term.is_ascii()).then(|| crate::text::fold(term).into())
}

/// A pair's or accented syllable's postings as positions in its parent's list; pairs keep
/// impacts, accented syllables (which only count) none. `parent_docs` are the doc ids of the
/// parent's list, `pair` says the term is a pair.
fn encode_child(pair: bool, list: &[(u32, u32)], parent_docs: &[u32], norms: &[Norms]) -> Vec<u8> {
    let indices = positions_in(parent_docs, list.iter().map(|&(d, _)| d));
    if pair {
        let fallback = Norms { name: K1, body: K1 };
        let impacts: Vec<u8> = list
            .iter()
            .map(|&(d, tf)| impact(tf, norms.get(d as usize).copied().unwrap_or(fallback)))
            .collect();
        encode_relative(&indices, Some(&impacts), parent_docs.len())
    } else {
        encode_relative(&indices, None, parent_docs.len())
    }
}

/// For each of `docs` (increasing), the position of the first of `parent` (increasing) not
/// below it. Found by galloping from the last position: a child has few postings next to
/// its parent (a frequent syllable's pairs), so it jumps over the parent's list rather than
/// walking it (at 10,000 documents, 15 million child postings against 370 million steps).
fn positions_in(parent: &[u32], docs: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut at = 0usize;
    docs.map(|d| {
        let mut step = 1;
        while parent.get(at + step).is_some_and(|&p| p < d) {
            step *= 2;
        }
        let end = (at + step + 1).min(parent.len());
        at += parent
            .get(at..end)
            .map_or(0, |s| s.partition_point(|&p| p < d));
        at as u32
    })
    .collect()
}

fn encode_term(list: &[(u32, u32)], norms: &[Norms], n_docs: usize) -> Vec<u8> {
    let docs: Vec<u32> = list.iter().map(|&(d, _)| d).collect();
    let fallback = Norms { name: K1, body: K1 };
    let impacts: Vec<u8> = list
        .iter()
        .map(|&(d, tf)| impact(tf, norms.get(d as usize).copied().unwrap_or(fallback)))
        .collect();
    encode_postings(&docs, &impacts, n_docs)
}

/// What a term counts towards the shard count: its key, its encoded postings and 6 bytes
/// (about its varint header in the shard).
fn shard_bytes(key: &str, encoded_len: usize) -> usize {
    shard_bytes_of(key.len(), encoded_len)
}

/// [`shard_bytes`] of a key of `key_len` bytes.
fn shard_bytes_of(key_len: usize, encoded_len: usize) -> usize {
    key_len + encoded_len + 6
}

/// Shard count for terms summing to `bytes` ([`shard_bytes`]): the smallest power of two
/// giving shards of about [`TARGET_SHARD_BYTES`], capped. The build and the serve memo
/// (`memo.rs`, which keeps the sum up to date) both choose with it.
fn shards_for(bytes: usize) -> usize {
    bytes
        .div_ceil(TARGET_SHARD_BYTES)
        .next_power_of_two()
        .clamp(1, MAX_SHARDS)
}

/// An entry's name field as the index reads it into `name`: the title, then its keys after
/// a sentence break, so no bigram joins the two. The build and the serve memo both read it
/// so.
fn name_field(e: &SearchEntry, name: &mut String) {
    name.clear();
    name.push_str(&e.title);
    if !e.keys.is_empty() {
        name.push_str(". ");
        name.push_str(&e.keys);
    }
}

/// One result's display data in a fragment file.
#[derive(Serialize)]
struct Fragment<'a>(&'a str, &'a str, usize, &'a str, &'a str);

/// What a fragment file shows of an entry.
#[derive(Clone)]
struct FragmentRow {
    url: String,
    title: String,
    kind: usize,
    context: String,
    excerpt: String,
}

impl FragmentRow {
    /// What entry `e` shows in its fragment file: the excerpt of its shown text, its kind
    /// by index.
    fn of(e: SearchEntry, kinds: &KindTable) -> FragmentRow {
        let shown = e.text.get(..e.shown).unwrap_or(&e.text);
        FragmentRow {
            excerpt: excerpt(shown, &e.title),
            kind: kinds.of(&e.kind),
            url: e.url,
            title: e.title,
            context: e.context,
        }
    }
}

/// The fragment files of `rows`, the first of them group `first_group`.
fn fragment_files(rows: &[FragmentRow], first_group: usize, sink: IndexSink) {
    for (k, chunk) in rows.chunks(FRAGMENT_GROUP).enumerate() {
        let rows: Vec<Fragment<'_>> = chunk
            .iter()
            .map(|r| Fragment(&r.url, &r.title, r.kind, &r.context, &r.excerpt))
            .collect();
        let json = serde_json::to_vec(&rows).unwrap_or_else(|_| b"[]".to_vec());
        sink(
            fragment_path(first_group + k),
            crate::render::parts::gzip(&json),
        );
    }
}

/// Where fragment group `group` is written.
pub(crate) fn fragment_path(group: usize) -> String {
    format!("{INDEX_DIR}f/{group}.json.gz")
}

/// The start of the body, white space collapsed, cut at a word boundary near
/// [`EXCERPT_CHARS`] characters, with `…` when cut. A body that starts with what the result's
/// `title` already shows (a task: its text, the title being its start) is shown from where the
/// title stops: the same words twice in every result were a quarter of the index's bytes.
fn excerpt(text: &str, title: &str) -> String {
    let shown = title.trim_end_matches('…').trim_end();
    let text = match text.strip_prefix(shown) {
        Some(rest) if !shown.is_empty() => {
            rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';'))
        }
        _ => text,
    };
    let mut out = String::with_capacity(EXCERPT_CHARS * 2);
    let mut chars = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if chars > 0 && chars + 1 + n > EXCERPT_CHARS {
            out.push('…');
            return out;
        }
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        if n > EXCERPT_CHARS {
            out.extend(word.chars().take(EXCERPT_CHARS));
            out.push('…');
            return out;
        }
        out.push_str(word);
        chars += n;
    }
    out
}

/// 64-bit FNV-1a over one file's path and bytes.
fn file_hash(path: &str, bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in path.as_bytes().iter().chain(bytes) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// FNV-1a over every file's (path, [`file_hash`]) in path order, as hex: changes when the
/// index does. Per-file hashes let the files be written as they are made.
fn version_token(mut files: Vec<(String, u64)>) -> String {
    files.sort_unstable();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, file) in files {
        for &b in path.as_bytes().iter().chain(&file.to_le_bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    docs: usize,
    shards: usize,
    group: usize,
    kinds: &'a [String],
    /// `[[kind index, count], …]`: doc ids by kind, in runs (entries come grouped by kind).
    runs: Vec<(usize, usize)>,
    /// Years with a facet term, ascending.
    years: Vec<i64>,
    wmax: f64,
    token: &'a str,
}

fn meta_json(seen: &Seen, shards: usize, kinds: &KindTable, token: &str) -> Vec<u8> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &k in &seen.kinds {
        match runs.last_mut() {
            Some((kind, n)) if *kind == k => *n += 1,
            _ => runs.push((k, 1)),
        }
    }
    let mut years: Vec<i64> = seen
        .facets
        .keys()
        .filter_map(|f| f.strip_prefix("y:")?.parse().ok())
        .collect();
    years.sort_unstable();
    years.dedup();
    let meta = Meta {
        version: FORMAT_VERSION,
        docs: seen.kinds.len(),
        shards,
        group: FRAGMENT_GROUP,
        kinds: &kinds.names,
        runs,
        years,
        wmax: WMAX,
        token,
    };
    serde_json::to_vec(&meta).unwrap_or_else(|_| b"{}".to_vec())
}
