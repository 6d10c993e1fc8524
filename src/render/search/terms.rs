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
//! Shards are made one after another from the lists, which are kept to the end: the shard
//! count depends on every encoded list's size, so the lists are encoded once to measure
//! them and once more, shard by shard, to write them. Holding every encoded list instead
//! would add the index's size to the build's peak.

use rayon::prelude::*;

use super::encode::{encode_shard, fnv1a, ShardTerm};
use super::plist::{ListArena, ListHead};
use super::tokenize::{FastMap, TermName};
use super::{encode_child, encode_term, shard_bytes, shards_for, IndexSink, Norms, INDEX_DIR};

/// Second half of a syllable's key: it is no pair.
const NO_TERM: u32 = u32::MAX;

/// Every term of the index with its postings, interned while the chunks are merged.
#[derive(Default)]
pub(super) struct TermTable {
    /// Spelled syllable → its term id.
    syllables: FastMap<Box<str>, u32>,
    /// Syllables' spellings by ordinal (order of first sight).
    spelled: Vec<Box<str>>,
    /// `(first syllable id, second syllable id)` → the pair's term id.
    pairs: FastMap<(u32, u32), u32>,
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
    pub fn write_shards(mut self, norms: &[Norms], n_docs: usize, sink: IndexSink) -> Written {
        // The pair map is only for merging; the shards need the other direction.
        self.pairs = FastMap::default();
        let parents = self.parents();
        self.syllables = FastMap::default();
        let order = self.order();
        let enc = Encoder {
            table: &self,
            parents: &parents,
            norms,
            n_docs,
        };
        let (total, hashes) = crate::timed("search: measure", || enc.measure());
        let shard_count = shards_for(total);
        let mask = shard_count as u32 - 1;
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); shard_count];
        for &t in &order {
            if let Some(m) = hashes
                .get(t as usize)
                .and_then(|h| members.get_mut((h & mask) as usize))
            {
                m.push(t);
            }
        }
        drop((order, hashes));
        crate::timed("search: shards", || {
            members.par_iter().enumerate().for_each(|(shard, ids)| {
                sink(format!("{INDEX_DIR}s/{shard:x}.bin"), enc.shard(ids));
            })
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

/// Encodes the table's lists.
struct Encoder<'a> {
    table: &'a TermTable,
    parents: &'a [u32],
    norms: &'a [Norms],
    n_docs: usize,
}

impl Encoder<'_> {
    /// Term `t`'s encoded postings: relative to its parent's list when it has one.
    fn encode(&self, t: u32) -> Vec<u8> {
        let table = self.table;
        let parent = self.parents.get(t as usize).copied().unwrap_or(NO_TERM);
        if let Some(p) = table.heads.get(parent as usize) {
            return self.encode_under(t, table.lists.iter(p).map(|(d, _)| d), p.len());
        }
        match table.heads.get(t as usize) {
            Some(head) => encode_term(&table.lists.unpack(head), self.norms, self.n_docs),
            None => Vec::new(),
        }
    }

    /// What the shard count is chosen from ([`shard_bytes`] of every term), and each term's
    /// FNV-1a hash (its shard under any count). Terms are measured by family: a parent's
    /// doc ids are read once for all its children (a frequent syllable has thousands).
    fn measure(&self) -> (usize, Vec<u32>) {
        let table = self.table;
        let n = table.keys.len();
        // Children by parent: those of term `p` are `kids[start[p]..start[p + 1]]`.
        let mut start = vec![0u32; n + 1];
        for &p in self.parents.iter().filter(|&&p| p != NO_TERM) {
            if let Some(s) = start.get_mut(p as usize + 1) {
                *s += 1;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut kids = vec![0u32; start[n] as usize];
        let mut fill = start.clone();
        for (t, &p) in self.parents.iter().enumerate() {
            if let Some(at) = fill.get_mut(p as usize) {
                if let Some(k) = kids.get_mut(*at as usize) {
                    *k = t as u32;
                }
                *at += 1;
            }
        }
        drop(fill);
        let children = |p: usize| match (start.get(p), start.get(p + 1)) {
            (Some(&a), Some(&b)) => kids.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        };
        let total: usize = (0..n)
            .into_par_iter()
            .filter(|&t| self.parents.get(t).is_none_or(|&p| p == NO_TERM))
            .map(|root| {
                let Some(head) = table.heads.get(root) else {
                    return 0;
                };
                let list = table.lists.unpack(head);
                let docs: Vec<u32> = list.iter().map(|&(d, _)| d).collect();
                let mut key = String::new();
                let mut size = |t: u32, encoded: usize| {
                    table.spell(t, &mut key);
                    shard_bytes(&key, encoded)
                };
                let mut sum = size(
                    root as u32,
                    encode_term(&list, self.norms, self.n_docs).len(),
                );
                for &c in children(root) {
                    let bytes = self.encode_under(c, docs.iter().copied(), docs.len());
                    sum += size(c, bytes.len());
                }
                sum
            })
            .sum();
        let hashes: Vec<u32> = (0..n as u32)
            .into_par_iter()
            .map_init(String::new, |key, t| {
                table.spell(t, key);
                fnv1a(key.as_bytes())
            })
            .collect();
        (total, hashes)
    }

    /// Child `t` encoded against its parent's doc ids.
    fn encode_under(
        &self,
        t: u32,
        parent_docs: impl Iterator<Item = u32>,
        parent_len: usize,
    ) -> Vec<u8> {
        let table = self.table;
        let Some(head) = table.heads.get(t as usize) else {
            return Vec::new();
        };
        let pair = table.keys.get(t as usize).is_some_and(|k| k.1 != NO_TERM);
        let list = table.lists.unpack(head);
        encode_child(pair, &list, parent_docs, parent_len, self.norms)
    }

    /// The shard file of terms `ids` (in byte order).
    fn shard(&self, ids: &[u32]) -> Vec<u8> {
        let made: Vec<(String, usize, Vec<u8>)> = ids
            .iter()
            .map(|&t| {
                let mut key = String::new();
                self.table.spell(t, &mut key);
                let df = self.table.heads.get(t as usize).map_or(0, ListHead::len);
                (key, df, self.encode(t))
            })
            .collect();
        let terms: Vec<ShardTerm<'_>> = made
            .iter()
            .map(|(key, df, postings)| ShardTerm {
                key,
                df: *df,
                postings,
            })
            .collect();
        encode_shard(&terms)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokenize::ChunkTerms;
    use super::*;

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
