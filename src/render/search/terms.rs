//! The build's term table: every term of the index interned once, with its posting list,
//! and the shard files made from it.
//!
//! Takes the chunks `tokenize.rs` makes, in doc order ([`TermTable::merge`]); gives the
//! shard files `s/<hex>.bin` to a sink, and the shard count and the folded syllables' dfs
//! (for `meta.json` and the typo dictionary).
//!
//! Measured (`CCHC_TIMINGS`) on the generated 100,000-document corpus: 14,367 terms from 1,783
//! syllables, 513 MB of lists; there the cost is in the postings ([`ListArena`]). Real text
//! has a far larger vocabulary (names, numbers, pairs seen once), where a map from each spelled
//! term to a list of its own costs ~100 bytes a term before its postings (key and list
//! allocations, the table's slots, and twice that while the table grew); here a syllable is
//! spelled once, a pair is the ids of its two syllables (a map of `u64 → u32`), and every list
//! lives in one [`ListArena`]: about 40 bytes a term.
//!
//! Terms are never sorted as strings. Byte order of the spelled keys is the order of
//! `(rank of the first syllable, 0 for the syllable itself or 1 + rank of the second)`:
//! a pair `a b` sorts after `a` and before any other syllable `a` is a prefix of, since the
//! space joining it is below every byte a syllable holds.
//!
//! Shards are made from the lists, which are kept to the end, by family: a syllable's list
//! is read once for all the terms stored relative to it (its pairs, its accented forms). The
//! shard count depends on every encoded list's size, so the lists are encoded to measure them
//! first. A small table keeps those encodings to write the shards ([`KEEP_LISTS_BYTES`]); a
//! large one encodes them again, a range of shards per pass, so a build never holds the whole
//! encoded index on top of its lists ([`PASS_BYTES`]). A large table's measure stops once
//! the families encoded so far fill the largest count ([`Encoder::measure_unkept`]).

use rayon::prelude::*;

use super::encode::{encode_shard, fnv1a, ShardTerm};
use super::plist::{ListArena, ListHead};
use super::tokenize::TermName;
use super::{
    encode_child, encode_term, shard_bytes_of, shards_for, IndexSink, Norms, INDEX_DIR, MAX_SHARDS,
};
use rustc_hash::FxHashMap;

/// Second half of a syllable's key: it is no pair.
const NO_TERM: u32 = u32::MAX;

/// Every term of the index with its postings, interned while the chunks are merged.
#[derive(Default)]
pub(super) struct TermTable {
    /// Spelled syllable → its term id.
    syllables: FxHashMap<Box<str>, u32>,
    /// Syllables' spellings by ordinal (order of first sight).
    spelled: Vec<Box<str>>,
    /// `(first syllable id, second syllable id)` → the pair's term id.
    pairs: FxHashMap<(u32, u32), u32>,
    /// Per term id: a syllable `(ordinal in spelled, NO_TERM)` or a pair (its two
    /// syllables' term ids).
    keys: Paged<(u32, u32)>,
    heads: Paged<ListHead>,
    lists: ListArena,
}

/// What the shard files leave for the rest of the index.
pub(super) struct Written {
    pub shard_count: usize,
    /// Every syllable (folded or accented) with its df.
    pub syllables: Vec<(String, usize)>,
}

impl TermTable {
    /// Appends one chunk's postings (chunks come in doc order, so every list stays sorted).
    pub fn merge(&mut self, names: Vec<TermName>, postings: Vec<Vec<(u32, u32)>>) {
        let mut global: Vec<u32> = Vec::with_capacity(names.len());
        for (name, list) in names.into_iter().zip(postings) {
            let id = match name {
                TermName::Syllable(s) => self.syllable(s),
                TermName::Pair(a, b) => {
                    let part = |local: u32| global.get(local as usize).copied();
                    match (part(a), part(b)) {
                        (Some(a), Some(b)) => self.pair(a, b),
                        // Cannot happen: a chunk names a pair's syllables first.
                        _ => NO_TERM,
                    }
                }
            };
            global.push(id);
            if let Some(head) = self.heads.get_mut(id as usize) {
                self.lists.extend(head, &list);
            }
        }
    }

    fn syllable(&mut self, s: String) -> u32 {
        if let Some(&id) = self.syllables.get(s.as_str()) {
            return id;
        }
        let ordinal = self.spelled.len() as u32;
        let id = self.new_term((ordinal, NO_TERM));
        let s = s.into_boxed_str();
        self.spelled.push(s.clone());
        self.syllables.insert(s, id);
        id
    }

    fn pair(&mut self, a: u32, b: u32) -> u32 {
        let key = (a, b);
        if let Some(&id) = self.pairs.get(&key) {
            return id;
        }
        let id = self.new_term((a, b));
        self.pairs.insert(key, id);
        id
    }

    fn new_term(&mut self, key: (u32, u32)) -> u32 {
        self.keys.push(key);
        self.heads.push(ListHead::EMPTY);
        (self.keys.len() - 1) as u32
    }

    /// Terms, syllables and bytes held (for `CCHC_TIMINGS`).
    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.keys.len(), self.spelled.len(), self.lists.bytes())
    }

    /// Encodes every list and hands the shard files to `sink`; `norms` weigh each entry's
    /// counts, `n_docs` is the number of entries.
    pub fn write_shards(self, norms: &[Norms], n_docs: usize, sink: IndexSink) -> Written {
        let budget = Budget {
            keep_lists: KEEP_LISTS_BYTES,
            pass: PASS_BYTES,
            max_shards: MAX_SHARDS,
        };
        self.write_shards_within(budget, norms, n_docs, sink)
    }

    /// [`Self::write_shards`] with the memory `budget` given.
    fn write_shards_within(
        mut self,
        budget: Budget,
        norms: &[Norms],
        n_docs: usize,
        sink: IndexSink,
    ) -> Written {
        // The pair map is only for merging; the shards need the other direction.
        self.pairs = FxHashMap::default();
        let parents = self.parents();
        self.syllables = FxHashMap::default();
        let enc = Encoder {
            table: &self,
            families: Families::of(&parents),
            norms,
            n_docs,
        };
        drop(parents);
        let keep = self.lists.bytes() <= budget.keep_lists;
        let keys = Keys::of(&self);
        let (total, kept) = crate::timed("search: measure", || {
            enc.measure(keep, &keys.lens, budget.max_shards)
        });
        let layout = Layout {
            keys,
            shard_count: shards_for(total).min(budget.max_shards),
        };
        let shard_count = layout.shard_count;
        crate::timed("search: shards", || match kept {
            Some(made) => layout.write(&self, made, 0..shard_count, sink),
            None => {
                // A pass encodes the terms of a range of shards, at most `budget.pass` bytes.
                let passes = total.div_ceil(budget.pass.max(1)).clamp(1, shard_count);
                for pass in 0..passes {
                    let shards = shard_count * pass / passes..shard_count * (pass + 1) / passes;
                    let wanted = |t: u32| shards.contains(&layout.shard_of(t));
                    let made = enc.each_encoded(&wanted, &|t, bytes| (t, bytes));
                    layout.write(&self, made, shards.clone(), sink);
                }
            }
        });
        Written {
            shard_count,
            syllables: self.syllable_dfs(),
        }
    }

    /// Per term, the term its list is stored relative to (`super::parent_term`): a pair's
    /// first syllable, an accented syllable's folded form when that is a term.
    fn parents(&self) -> Vec<u32> {
        let syllable_parent: Vec<u32> = self
            .spelled
            .par_iter()
            .map(|s| match super::parent_term(s) {
                Some(p) => self.syllables.get(p.as_ref()).copied().unwrap_or(NO_TERM),
                None => NO_TERM,
            })
            .collect();
        (0..self.keys.len())
            .into_par_iter()
            .map(|t| match self.keys.get(t) {
                Some(&(a, NO_TERM)) => syllable_parent.get(a as usize).copied().unwrap_or(NO_TERM),
                Some(&(a, _)) => a,
                None => NO_TERM,
            })
            .collect()
    }

    /// Term ids in byte order of their spelled keys (see the module header).
    fn order(&self) -> Vec<u32> {
        let mut by_spelling: Vec<u32> = (0..self.spelled.len() as u32).collect();
        by_spelling
            .par_sort_unstable_by(|&a, &b| self.spelled[a as usize].cmp(&self.spelled[b as usize]));
        let mut rank = vec![0u32; by_spelling.len()];
        for (r, &s) in by_spelling.iter().enumerate() {
            rank[s as usize] = r as u32;
        }
        let syllable_rank = |term: u32| {
            let ordinal = self.keys.get(term as usize).map_or(0, |k| k.0);
            u64::from(rank.get(ordinal as usize).copied().unwrap_or(0))
        };
        let sort_key = |t: u32| match self.keys.get(t as usize) {
            Some(&(ordinal, NO_TERM)) => u64::from(rank[ordinal as usize]) << 32,
            Some(&(a, b)) => (syllable_rank(a) << 32) | (syllable_rank(b) + 1),
            None => u64::MAX,
        };
        let mut ids: Vec<u32> = (0..self.keys.len() as u32).collect();
        ids.par_sort_unstable_by_key(|&t| sort_key(t));
        ids
    }

    /// Term `t` spelled into `out`.
    fn spell(&self, t: u32, out: &mut String) {
        out.clear();
        let syllable = |ordinal: u32| self.spelled.get(ordinal as usize).map_or("", |s| &**s);
        match self.keys.get(t as usize) {
            Some(&(ordinal, NO_TERM)) => out.push_str(syllable(ordinal)),
            Some(&(a, b)) => {
                let ordinal = |term: u32| self.keys.get(term as usize).map_or(NO_TERM, |k| k.0);
                out.push_str(syllable(ordinal(a)));
                out.push(' ');
                out.push_str(syllable(ordinal(b)));
            }
            None => {}
        }
    }

    fn syllable_dfs(&self) -> Vec<(String, usize)> {
        self.keys
            .iter()
            .zip(self.heads.iter())
            .filter(|((_, b), _)| *b == NO_TERM)
            .map(|(&(ordinal, _), head)| {
                let s = self.spelled.get(ordinal as usize).map_or("", |s| &**s);
                (s.to_owned(), head.len())
            })
            .collect()
    }
}

/// A vector in pages of [`Paged::PAGE`] items: it grows without copying, so a table of
/// millions of terms never holds itself twice (as a doubling vector does while it moves)
/// nor up to twice its length in spare capacity.
struct Paged<T> {
    pages: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged {
            pages: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Paged<T> {
    const PAGE: usize = 1 << 16;

    fn push(&mut self, item: T) {
        if self.len.is_multiple_of(Self::PAGE) {
            self.pages.push(Vec::with_capacity(Self::PAGE));
        }
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
            self.len += 1;
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn get(&self, i: usize) -> Option<&T> {
        self.pages.get(i / Self::PAGE)?.get(i % Self::PAGE)
    }

    fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.pages.get_mut(i / Self::PAGE)?.get_mut(i % Self::PAGE)
    }

    fn iter(&self) -> impl Iterator<Item = &T> {
        self.pages.iter().flatten()
    }
}

/// Packed lists up to this size keep their encodings from measuring to writing (the
/// 10,000-document generated corpus has 54 MB of lists, encoded in 13 MB); a larger table
/// is encoded twice, to measure and then a range of shards at a time.
const KEEP_LISTS_BYTES: usize = 96 << 20;
/// Encoded bytes one writing pass holds at most (a range of shards).
const PASS_BYTES: usize = 32 << 20;

/// How much of the encodings the shards are made holding (see [`KEEP_LISTS_BYTES`] and
/// [`PASS_BYTES`]); tests make it small.
#[derive(Clone, Copy)]
struct Budget {
    keep_lists: usize,
    pass: usize,
    /// The most shards an index has ([`MAX_SHARDS`]); tests make it small.
    max_shards: usize,
}

/// An unkept measure encodes the families of every this-many-th root at a step (see
/// [`Encoder::measure_unkept`]).
const MEASURE_STRIDE: usize = 8;

/// Terms with their encoded postings.
type Encoded = Vec<(u32, Vec<u8>)>;

/// Terms by family: a root (stored on its own) and its children (stored relative to it).
struct Families {
    roots: Vec<u32>,
    /// Children of term `p` are `kids[start[p]..start[p + 1]]`.
    start: Vec<u32>,
    kids: Vec<u32>,
}

impl Families {
    fn of(parents: &[u32]) -> Self {
        let n = parents.len();
        let mut start = vec![0u32; n + 1];
        for &p in parents.iter().filter(|&&p| (p as usize) < n) {
            start[p as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut kids = vec![0u32; start[n] as usize];
        let mut fill = start.clone();
        let mut roots = Vec::new();
        for (t, &p) in parents.iter().enumerate() {
            match fill.get_mut(p as usize) {
                Some(at) => {
                    kids[*at as usize] = t as u32;
                    *at += 1;
                }
                None => roots.push(t as u32),
            }
        }
        Families { roots, start, kids }
    }

    fn children(&self, p: u32) -> &[u32] {
        match (self.start.get(p as usize), self.start.get(p as usize + 1)) {
            (Some(&a), Some(&b)) => self.kids.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// Encodes the table's lists.
struct Encoder<'a> {
    table: &'a TermTable,
    families: Families,
    norms: &'a [Norms],
    n_docs: usize,
}

impl Encoder<'_> {
    /// `f` of every term `wanted` accepts and its encoded postings, made by family: a root's
    /// doc ids are read once for all its children (a frequent syllable has thousands), and
    /// each child finds its positions in them by galloping search.
    fn each_encoded<T: Send>(
        &self,
        wanted: &(dyn Fn(u32) -> bool + Sync),
        f: &(dyn Fn(u32, Vec<u8>) -> T + Sync),
    ) -> Vec<T> {
        self.each_encoded_of(&self.families.roots, wanted, f)
    }

    /// [`Self::each_encoded`] for the families of `roots` only.
    fn each_encoded_of<T: Send>(
        &self,
        roots: &[u32],
        wanted: &(dyn Fn(u32) -> bool + Sync),
        f: &(dyn Fn(u32, Vec<u8>) -> T + Sync),
    ) -> Vec<T> {
        let table = self.table;
        roots
            .par_iter()
            .flat_map_iter(|&root| {
                let kids: Vec<u32> = self
                    .families
                    .children(root)
                    .iter()
                    .copied()
                    .filter(|&c| wanted(c))
                    .collect();
                let mut out = Vec::with_capacity(kids.len() + 1);
                let want_root = wanted(root);
                if !want_root && kids.is_empty() {
                    return out;
                }
                let list = table
                    .heads
                    .get(root as usize)
                    .map(|h| table.lists.unpack(h));
                if want_root {
                    let bytes = list
                        .as_deref()
                        .map_or_else(Vec::new, |l| encode_term(l, self.norms, self.n_docs));
                    out.push(f(root, bytes));
                }
                let docs: Vec<u32> = list.iter().flatten().map(|&(d, _)| d).collect();
                drop(list);
                out.par_extend(kids.par_iter().map(|&c| f(c, self.encode_under(c, &docs))));
                out
            })
            .collect()
    }

    /// What the shard count is chosen from ([`shard_bytes`] of every term, whose keys are
    /// `key_lens` bytes long), with every term's encoding when `keep`; without them, the sum
    /// is only exact below `max_shards` (see [`Self::measure_unkept`]).
    fn measure(&self, keep: bool, key_lens: &[u32], max_shards: usize) -> (usize, Option<Encoded>) {
        let size = |t: u32, len: usize| {
            let key = key_lens.get(t as usize).map_or(0, |&l| l as usize);
            shard_bytes_of(key, len)
        };
        if keep {
            let made = self.each_encoded(&|_| true, &|t, bytes| (t, bytes));
            let total = made.iter().map(|(t, b)| size(*t, b.len())).sum();
            (total, Some(made))
        } else {
            (self.measure_unkept(&size, max_shards).0, None)
        }
    }

    /// The sum of every term's `size`, and whether it is exact. The families are encoded a
    /// step at a time, each step every [`MEASURE_STRIDE`]-th root from the next offset; once
    /// the steps done sum to `max_shards` shards, the count cannot change, and the rest are
    /// not encoded. The total then only sizes the writing passes, so it is estimated from
    /// the steps done, scaled by postings: each step samples syllables of every frequency,
    /// and which steps are done does not depend on thread timing. (At 100,000 generated
    /// documents the index, 123 MiB, fills the largest count nearly eight times over: two
    /// steps of eight are encoded, and the measure takes 0.6 s instead of 2.9 s.)
    fn measure_unkept(
        &self,
        size: &(dyn Fn(u32, usize) -> usize + Sync),
        max_shards: usize,
    ) -> (usize, bool) {
        let table = self.table;
        let postings = |t: u32| table.heads.get(t as usize).map_or(0, ListHead::len);
        let roots = &self.families.roots;
        let (mut bytes, mut seen) = (0usize, 0usize);
        for offset in 0..MEASURE_STRIDE {
            let step: Vec<u32> = roots
                .iter()
                .skip(offset)
                .step_by(MEASURE_STRIDE)
                .copied()
                .collect();
            let sizes =
                self.each_encoded_of(&step, &|_| true, &|t, b| (size(t, b.len()), postings(t)));
            for (b, p) in sizes {
                bytes += b;
                seen += p;
            }
            if shards_for(bytes) >= max_shards && offset + 1 < MEASURE_STRIDE {
                let all: usize = table.heads.iter().map(ListHead::len).sum();
                let scaled = bytes as f64 * all as f64 / seen.max(1) as f64;
                return ((scaled as usize).max(bytes), false);
            }
        }
        (bytes, true)
    }

    /// Child `t` encoded against its parent's doc ids.
    fn encode_under(&self, t: u32, parent_docs: &[u32]) -> Vec<u8> {
        let table = self.table;
        let Some(head) = table.heads.get(t as usize) else {
            return Vec::new();
        };
        let pair = table.keys.get(t as usize).is_some_and(|k| k.1 != NO_TERM);
        let list = table.lists.unpack(head);
        encode_child(pair, &list, parent_docs, self.norms)
    }
}

/// What the shards need of every term's key, spelled once: its FNV-1a hash (its shard under
/// any count), its length (what it adds to a shard) and its place in byte order.
struct Keys {
    hashes: Vec<u32>,
    lens: Vec<u32>,
    rank: Vec<u32>,
}

impl Keys {
    fn of(table: &TermTable) -> Self {
        let (hashes, lens): (Vec<u32>, Vec<u32>) = (0..table.keys.len() as u32)
            .into_par_iter()
            .map_init(String::new, |key, t| {
                table.spell(t, key);
                (fnv1a(key.as_bytes()), key.len() as u32)
            })
            .unzip();
        let mut rank = vec![0u32; table.keys.len()];
        for (r, t) in table.order().into_iter().enumerate() {
            if let Some(slot) = rank.get_mut(t as usize) {
                *slot = r as u32;
            }
        }
        Keys { hashes, lens, rank }
    }
}

/// Which shard each term goes to, and its place there (byte order of the keys).
struct Layout {
    keys: Keys,
    shard_count: usize,
}

impl Layout {
    fn shard_of(&self, t: u32) -> usize {
        let mask = self.shard_count as u32 - 1;
        self.keys
            .hashes
            .get(t as usize)
            .map_or(0, |h| (h & mask) as usize)
    }

    /// Writes shards `shards` from `made`, the encodings of every term in them.
    fn write(
        &self,
        table: &TermTable,
        mut made: Encoded,
        shards: std::ops::Range<usize>,
        sink: IndexSink,
    ) {
        let rank = |t: u32| self.keys.rank.get(t as usize).copied().unwrap_or(u32::MAX);
        made.par_sort_unstable_by_key(|&(t, _)| (self.shard_of(t), rank(t)));
        // A shard without terms is written too (the client fetches whichever a key hashes to).
        let mut runs = Vec::new();
        let mut rest = made.as_slice();
        for shard in shards {
            let n = rest.partition_point(|&(t, _)| self.shard_of(t) == shard);
            let (run, after) = rest.split_at(n);
            runs.push((shard, run));
            rest = after;
        }
        runs.into_par_iter().for_each(|(shard, run)| {
            let keys: Vec<String> = run
                .iter()
                .map(|&(t, _)| {
                    let mut key = String::new();
                    table.spell(t, &mut key);
                    key
                })
                .collect();
            let terms: Vec<ShardTerm<'_>> = run
                .iter()
                .zip(&keys)
                .map(|((t, postings), key)| ShardTerm {
                    key,
                    df: table.heads.get(*t as usize).map_or(0, ListHead::len),
                    postings,
                })
                .collect();
            sink(format!("{INDEX_DIR}s/{shard:x}.bin"), encode_shard(&terms));
        });
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::tokenize::ChunkTerms;
    use super::*;

    /// Document ids the tests' tables can hold: [`table`] numbers its second half from 10.
    const N_DOCS: usize = 32;

    fn table(texts: &[&str]) -> TermTable {
        let mut table = TermTable::default();
        // Two chunks, so the second merges into terms the first made.
        for (half, docs) in texts.chunks(texts.len().div_ceil(2)).enumerate() {
            let mut chunk = ChunkTerms::default();
            for (i, text) in docs.iter().enumerate() {
                chunk.add((half * 10 + i) as u32, "", text);
            }
            let (names, postings, _) = chunk.into_parts();
            table.merge(names, postings);
        }
        table
    }

    fn spelled(table: &TermTable, ids: &[u32]) -> Vec<String> {
        let mut key = String::new();
        ids.iter()
            .map(|&t| {
                table.spell(t, &mut key);
                key.clone()
            })
            .collect()
    }

    /// Field norms of 1 for the [`N_DOCS`] documents the tests' tables can hold.
    fn even_norms() -> Vec<Norms> {
        vec![
            Norms {
                name: 1.0,
                body: 1.0
            };
            N_DOCS
        ]
    }

    /// The shard files `budget` gives for `texts`, by path.
    fn shard_files(texts: &[String], budget: Budget) -> (usize, BTreeMap<String, Vec<u8>>) {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let t = table(&refs);
        let norms = even_norms();
        let files = std::sync::Mutex::new(BTreeMap::new());
        let sink = |path: String, bytes: Vec<u8>| {
            files.lock().expect("not poisoned").insert(path, bytes);
        };
        let written = t.write_shards_within(budget, &norms, N_DOCS, &sink);
        (
            written.shard_count,
            files.into_inner().expect("not poisoned"),
        )
    }

    /// Enough words for several shards; accented forms and pairs, so families have children.
    fn several_shards_of_text() -> Vec<String> {
        let words = [
            "cải", "cách", "hành", "chính", "sở", "nội", "vụ", "tỉnh", "huyện",
        ];
        (0..12)
            .map(|d| {
                (0..60)
                    .map(|i| {
                        format!(
                            "{} từ{}",
                            words[(i * 7 + d) % words.len()],
                            (i * 13 + d * 5) % 97
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn shards_are_the_same_made_in_passes() {
        let texts = several_shards_of_text();
        let kept = Budget {
            keep_lists: usize::MAX,
            pass: usize::MAX,
            max_shards: MAX_SHARDS,
        };
        let (count, once) = shard_files(&texts, kept);
        assert!(count >= 4, "{count} shards: too few to cut into passes");
        assert_eq!(
            once.len(),
            count,
            "every shard is written, even an empty one"
        );
        for pass in [1, 700, 5_000] {
            let in_passes = Budget {
                keep_lists: 0,
                pass,
                max_shards: MAX_SHARDS,
            };
            assert_eq!(
                shard_files(&texts, in_passes),
                (count, once.clone()),
                "pass {pass}"
            );
        }
    }

    #[test]
    fn a_measure_stops_once_the_count_is_at_its_cap() {
        let texts = several_shards_of_text();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let t = table(&refs);
        let parents = t.parents();
        let norms = even_norms();
        let enc = Encoder {
            table: &t,
            families: Families::of(&parents),
            norms: &norms,
            n_docs: N_DOCS,
        };
        let size = |_: u32, len: usize| len;
        let exact: usize = enc.each_encoded(&|_| true, &|_, b| b.len()).iter().sum();
        assert!(
            shards_for(exact) >= 4,
            "{exact} bytes: too few for the test"
        );
        assert_eq!(enc.measure_unkept(&size, MAX_SHARDS), (exact, true));
        let (estimate, whole) = enc.measure_unkept(&size, 2);
        assert!(
            !whole,
            "two shards are reached before every family is encoded"
        );
        assert!(shards_for(estimate) >= 2);
        assert!(
            estimate > exact / 3 && estimate < exact * 3,
            "estimate {estimate} for {exact} bytes"
        );
        // The cap decides the count, so the files are those of a measure that kept every
        // encoding, whichever passes write them.
        let capped = |keep_lists, pass| Budget {
            keep_lists,
            pass,
            max_shards: 2,
        };
        let (count, once) = shard_files(&texts, capped(usize::MAX, usize::MAX));
        assert_eq!(count, 2);
        for pass in [1, 700, usize::MAX] {
            assert_eq!(
                shard_files(&texts, capped(0, pass)),
                (2, once.clone()),
                "pass {pass}"
            );
        }
    }

    #[test]
    fn order_is_byte_order_of_the_spelled_keys() {
        // `an b` must come after `an` and before `anh` (a syllable `an` is a prefix of).
        let t = table(&["an b anh an ấn a", "anh a an z 9 an", "ấn an b a"]);
        let order = t.order();
        let got = spelled(&t, &order);
        let mut want = got.clone();
        want.sort();
        assert_eq!(got, want);
        assert_eq!(order.len(), t.keys.len());
        for k in ["an", "an b", "anh", "anh a", "ấn", "an an", "9 an"] {
            assert!(got.iter().any(|g| g == k), "{k} missing from {got:?}");
        }
    }

    #[test]
    fn lists_merge_across_chunks_and_parents_are_found() {
        let t = table(&["cải cách", "cai cach", "cải tiến", "cách"]);
        let id = |k: &str| {
            let all: Vec<u32> = (0..t.keys.len() as u32).collect();
            let names = spelled(&t, &all);
            names.iter().position(|n| n == k).map(|i| i as u32)
        };
        let cai = id("cai").unwrap_or(NO_TERM);
        let docs = |k: &str| {
            let head = id(k).and_then(|i| t.heads.get(i as usize));
            head.map(|h| t.lists.iter(h).map(|(d, _)| d).collect::<Vec<_>>())
        };
        assert_eq!(docs("cai"), Some(vec![0, 1, 10]));
        assert_eq!(docs("cải"), Some(vec![0, 10]));
        assert_eq!(docs("cai cach"), Some(vec![0, 1]));
        let parents = t.parents();
        for child in ["cải", "cai cach", "cai tien"] {
            let c = id(child).unwrap_or(NO_TERM);
            assert_eq!(parents.get(c as usize), Some(&cai), "{child}");
        }
        assert_eq!(parents.get(cai as usize), Some(&NO_TERM));
    }
}
