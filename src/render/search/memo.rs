//! The search index kept between `cchc serve` rebuilds, so that an edit tokenizes only the
//! entries that changed and encodes only the terms and shards they touch.
//!
//! Takes the site's entries on every rebuild, as an [`EntrySource`] ([`SearchMemo::update`];
//! the memo may ask for an entry more than once), and what the server has published (each
//! index file's stamp); hands over the index files whose bytes differ from the published ones
//! and returns the path of every index file. The files are byte-identical to
//! [`super::build_index`] over the same entries (`memo_tests.rs` compares them after edits of
//! every kind).
//!
//! What is kept: per entry, a hash of everything it holds, its terms with their packed counts
//! (by term id), its facets and unit name, and what the index keeps of every entry
//! (`Seen`: kind, field lengths, facet lists); per term, its posting list and its encoded
//! bytes; per shard, its terms in byte order; per file, its stamp and the hash the version
//! token covers. Entries themselves are not kept: those that changed are made again, and a
//! fragment file's other entries are asked of the source when it is written again.
//! BM25 length norms are site-wide (an average per kind), so one document's new length moves
//! every norm a little: after each update the norms are computed again and, for each entry
//! whose norms moved, its terms whose quantized impact moved are encoded again — usually none,
//! since a level spans a wide band. A term is encoded again when its postings or one of their
//! impacts changed, or when its parent's list gained or lost an entry (children are stored as
//! positions in the parent's list). A different number of entries or of kinds renumbers
//! everything, so the memo then starts afresh.

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::encode::{encode_shard, fnv1a, ShardTerm};
use super::plist::PackedList;
use super::tokenize::{body_count, ChunkTerms, FieldLens};
use super::{
    encode_child, encode_term, facet_files, file_hash, fragment_files, impact, length_norms,
    meta_json, name_field, parent_term, shard_bytes, shards_for, typo_dictionary, unit_name,
    unit_names, version_token, EntrySource, FragmentRow, IndexSink, KindTable, Norms, SearchEntry,
    Seen, CHUNK, FRAGMENT_GROUP, INDEX_DIR,
};
use rustc_hash::FxHashMap;

/// Length and hash of a file's bytes, as the server's store stamps them
/// (`serve::store::stamp`).
pub type Stamp = (u64, u64);

/// The stamp of a published index file (`None`: not published).
pub type Published<'a> = &'a (dyn Fn(&str) -> Option<Stamp> + Sync);

/// The index as last made; empty until the first [`SearchMemo::update`].
#[derive(Default)]
pub struct SearchMemo {
    state: Option<State>,
    /// The chunks of the file the memo was read from, each marked once an update touches one
    /// of its entries or terms: saving the memo again copies the others instead of encoding
    /// them (`None`: not read from a file, or started afresh since).
    kept: Option<store::Kept>,
}

/// Kept between builds as `memo_store` encodes it: entries and terms apart, in chunks; the
/// dictionary made again from the terms.
#[derive(Serialize, Deserialize)]
struct State {
    kinds: Vec<String>,
    #[serde(skip)]
    entries: Vec<EntryMemo>,
    /// Kind, field lengths and facet lists of every entry, as a build keeps them.
    seen: Seen,
    #[serde(skip)]
    dict: FxHashMap<String, u32>,
    #[serde(skip)]
    terms: Vec<Term>,
    /// Parent term → the terms stored relative to it (its pairs and accented forms).
    children: FxHashMap<u32, Vec<u32>>,
    norms: Vec<Norms>,
    shard_count: usize,
    /// Per shard, its terms (those with postings) in byte order of their keys.
    shards: Vec<Vec<u32>>,
    /// What [`super::choose_shard_count`] sums: [`shard_bytes`] of every term.
    total: usize,
    files: HashMap<String, FileMemo>,
}

#[derive(Default, Serialize, Deserialize)]
struct EntryMemo {
    /// [`entry_hash`]; `None` before the entry was tokenized.
    hash: Option<u64>,
    facets: Vec<String>,
    /// `(unit facet, unit name)` of a unit entry.
    unit: Option<(String, String)>,
    /// `(term id, packed count)` by term id.
    terms: PackedList,
    /// Largest body count among its terms (which impact levels a norm change can move).
    max_body: u32,
}

#[derive(Serialize, Deserialize)]
struct Term {
    key: String,
    list: PackedList,
    /// The last doc id in `list` (appending after it needs no merge).
    last: Option<u32>,
    /// Empty while the term has no postings (it is then in no shard).
    #[serde(with = "serde_bytes")]
    encoded: Vec<u8>,
    parent: Option<u32>,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
struct FileMemo {
    /// [`file_hash`], for the version token.
    token: u64,
    stamp: Stamp,
}

/// Per term, the changes to its postings: `(doc, Some(packed))` sets, `(doc, None)` removes,
/// in doc order.
type Edits = FxHashMap<u32, PostingEdits>;
type PostingEdits = Vec<(u32, Option<u32>)>;

/// An entry made again because its hash moved: id, entry, [`entry_hash`].
type Changed = (usize, SearchEntry, u64);

/// What an update changed of the memo's stored parts: the entries made again and the terms
/// whose postings or encoding it touched (new terms among them).
struct Touched {
    entries: Vec<usize>,
    terms: Vec<u32>,
}

const META: &str = "meta.json";

impl SearchMemo {
    /// Brings the index up to date with the entries of `source`; hands `sink` every index
    /// file whose bytes differ from the `published` ones, and returns the paths of all index
    /// files.
    pub fn update(
        &mut self,
        source: &dyn EntrySource,
        published: Published,
        sink: IndexSink,
    ) -> Vec<String> {
        self.update_some(source, None, published, sink)
    }

    /// [`SearchMemo::update`] told that only entries `only` (ascending) may differ from the
    /// last update (`None`: any), so only those are made and hashed. Ignored when the memo
    /// starts afresh (the first update, another number of entries or of kinds).
    pub fn update_some(
        &mut self,
        source: &dyn EntrySource,
        only: Option<&[usize]>,
        published: Published,
        sink: IndexSink,
    ) -> Vec<String> {
        let n = source.len();
        let kinds = KindTable::new(source.kinds());
        let (mut state, only) = match self.state.take() {
            Some(s) if s.entries.len() == n && s.kinds == kinds.names => (s, only),
            _ => {
                self.kept = None;
                (State::new(n, kinds.names.clone()), None)
            }
        };
        let mut out = Out {
            published,
            sink,
            made: HashSet::new(),
        };
        let touched = crate::timed("search memo: update", || {
            state.update(source, only, &kinds, &mut out)
        });
        if let Some(kept) = &mut self.kept {
            kept.touch(&touched.entries, &touched.terms);
        }
        let mut paths: Vec<String> = state.files.keys().cloned().collect();
        paths.sort_unstable();
        self.state = Some(state);
        paths
    }

    /// The stamp of every index file as last made: what an output holds after a build that
    /// published them all.
    pub fn stamps(&self) -> HashMap<String, Stamp> {
        self.state.as_ref().map_or_else(HashMap::new, |s| {
            s.files.iter().map(|(p, f)| (p.clone(), f.stamp)).collect()
        })
    }
}

/// Where made files go: into `files` (stamp, token hash) and, when they differ from the
/// published ones, to `sink`.
struct Out<'a> {
    published: Published<'a>,
    sink: IndexSink<'a>,
    made: HashSet<String>,
}

impl Out<'_> {
    fn emit(&mut self, files: &mut HashMap<String, FileMemo>, path: String, bytes: Vec<u8>) {
        let stamp = (bytes.len() as u64, crate::site::bytes_hash(&bytes));
        let token = match files.get(&path) {
            Some(f) if f.stamp == stamp => f.token,
            _ => file_hash(&path, &bytes),
        };
        files.insert(path.clone(), FileMemo { token, stamp });
        self.made.insert(path.clone());
        if (self.published)(&path) != Some(stamp) {
            (self.sink)(path, bytes);
        }
    }
}

impl State {
    fn new(n: usize, kinds: Vec<String>) -> State {
        State {
            kinds,
            entries: (0..n).map(|_| EntryMemo::default()).collect(),
            seen: Seen {
                kinds: vec![0; n],
                lens: vec![FieldLens::default(); n],
                ..Seen::default()
            },
            dict: FxHashMap::default(),
            terms: Vec::new(),
            children: FxHashMap::default(),
            norms: Vec::new(),
            shard_count: 0,
            shards: Vec::new(),
            total: 0,
            files: HashMap::new(),
        }
    }

    /// Entries `ids` whose hash differs from the kept one, made again; the others are dropped
    /// once hashed.
    fn changed(&self, source: &dyn EntrySource, ids: &[usize]) -> Vec<Changed> {
        ids.par_iter()
            .filter_map(|&id| {
                let e = source.entry(id);
                let h = entry_hash(&e);
                (self.entries.get(id)?.hash != Some(h)).then_some((id, e, h))
            })
            .collect()
    }

    /// Brings the memo up to date with the entries of `source` (when `only` is given, only
    /// those may have changed), handing the files whose bytes moved to `out`; returns what it
    /// touched.
    fn update(
        &mut self,
        source: &dyn EntrySource,
        only: Option<&[usize]>,
        kinds: &KindTable,
        out: &mut Out,
    ) -> Touched {
        let known_terms = self.terms.len() as u32;
        let n_docs = self.entries.len();
        let all: Vec<usize>;
        let candidates = match only {
            Some(ids) => ids,
            None => {
                all = (0..n_docs).collect();
                &all
            }
        };
        // A batch at a time, each entry dropped once tokenized (only its fragment row is
        // kept): a first update makes every entry of the site and edits every posting.
        let mut facets_moved = false;
        let (mut edited, mut joined) = (Vec::new(), Vec::new());
        let mut rows: HashMap<usize, FragmentRow> = HashMap::new();
        let mut ids = Vec::new();
        for batch in candidates.chunks(CHUNK * rayon::current_num_threads().max(1)) {
            let changed = self.changed(source, batch);
            facets_moved |= changed.iter().any(|(id, e, _)| {
                let memo = &self.entries[*id];
                memo.hash.is_none() || memo.facets != e.facets
            });
            let edits = self.retokenize(&changed, kinds);
            self.apply(edits, &mut edited, &mut joined);
            rows.extend(
                changed
                    .into_iter()
                    .map(|(id, e, _)| (id, FragmentRow::of(e, kinds))),
            );
            ids.extend(batch.iter().filter(|id| rows.contains_key(id)));
        }
        edited.sort_unstable();
        edited.dedup();
        for &t in &edited {
            self.terms[t as usize].list.shrink();
        }
        let norms = length_norms(&self.seen, kinds);
        let mut dirty = self.moved_impacts(&norms, &ids);
        dirty.extend(edited);
        joined.sort_unstable();
        joined.dedup();
        for t in &joined {
            dirty.extend(self.children.get(t).into_iter().flatten().copied());
        }
        dirty.sort_unstable();
        dirty.dedup();
        self.norms = norms;
        // Every term whose list, parent or encoding may have changed: those encoded again
        // (which include every edited list) and those interned by this update.
        let touched = Touched {
            terms: dirty
                .iter()
                .copied()
                .chain(known_terms..self.terms.len() as u32)
                .collect(),
            entries: ids.clone(),
        };
        let dirty_shards = self.encode(dirty, n_docs);
        self.emit_shards(dirty_shards, out);
        let groups: BTreeSet<usize> = ids.iter().map(|i| i / FRAGMENT_GROUP).collect();
        let from = Entries {
            source,
            made: &rows,
        };
        self.emit_fragments(&from, kinds, groups, out);
        if facets_moved {
            self.emit_facets(out);
        }
        self.emit_small(out);
        self.emit_stale(&from, kinds, out);
        let token = version_token(
            self.files
                .iter()
                .filter(|(p, _)| !p.ends_with(META))
                .map(|(p, f)| (p.clone(), f.token))
                .collect(),
        );
        let meta = meta_json(&self.seen, self.shard_count, kinds, &token);
        out.emit(&mut self.files, format!("{INDEX_DIR}{META}"), meta);
        touched
    }

    /// The id of `key`, made (with its parent) when new.
    fn intern(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.dict.get(key) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(Term {
            key: key.to_owned(),
            list: PackedList::default(),
            last: None,
            encoded: Vec::new(),
            parent: None,
        });
        self.dict.insert(key.to_owned(), id);
        if let Some(p) = parent_term(key) {
            let parent = self.intern(&p);
            self.terms[id as usize].parent = Some(parent);
            self.children.entry(parent).or_default().push(id);
        }
        id
    }

    /// Tokenizes entries `batch` (ascending) again, keeps their new terms and what is kept
    /// of each entry, and returns how their terms' postings change.
    fn retokenize(&mut self, batch: &[Changed], kinds: &KindTable) -> Edits {
        let mut edits = Edits::default();
        let chunks: Vec<_> = batch
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut terms = ChunkTerms::default();
                let mut name = String::new();
                for (id, e, _) in chunk {
                    name_field(e, &mut name);
                    terms.add(*id as u32, &name, &e.text);
                }
                terms.into_terms()
            })
            .collect();
        let mut fresh: FxHashMap<u32, Vec<(u32, u32)>> = FxHashMap::default();
        let mut lens = Vec::with_capacity(batch.len());
        for (terms, chunk_lens) in chunks {
            lens.extend(chunk_lens);
            for (key, list) in terms {
                let t = self.intern(&key);
                for (doc, packed) in list {
                    fresh.entry(doc).or_default().push((t, packed));
                }
            }
        }
        for ((id, e, hash), lens) in batch.iter().zip(lens) {
            let id = *id;
            let mut new = fresh.remove(&(id as u32)).unwrap_or_default();
            new.sort_unstable();
            let memo = &mut self.entries[id];
            diff_terms(id as u32, &memo.terms.unpack(), &new, &mut edits);
            let mut terms = PackedList::default();
            terms.extend(&new);
            terms.shrink();
            let old_facets = std::mem::take(&mut memo.facets);
            *memo = EntryMemo {
                hash: Some(*hash),
                facets: e.facets.clone(),
                unit: unit_name(e),
                terms,
                max_body: new.iter().map(|&(_, p)| body_count(p)).max().unwrap_or(0),
            };
            self.seen.kinds[id] = kinds.of(&e.kind);
            self.seen.lens[id] = lens;
            move_facets(&mut self.seen, id as u32, &old_facets, &e.facets);
        }
        edits
    }

    /// Applies `edits` to the posting lists; adds the edited terms to `edited` and those that
    /// gained or lost an entry to `joined`.
    fn apply(&mut self, edits: Edits, edited: &mut Vec<u32>, joined: &mut Vec<u32>) {
        let mut work: Vec<(u32, PackedList, Option<u32>, PostingEdits)> = edits
            .into_iter()
            .map(|(t, e)| {
                let term = &mut self.terms[t as usize];
                (t, std::mem::take(&mut term.list), term.last, e)
            })
            .collect();
        let moved: Vec<bool> = work
            .par_iter_mut()
            .map(|(_, list, last, e)| merge_postings(list, last, e))
            .collect();
        for ((t, list, last, _), moved) in work.into_iter().zip(moved) {
            let term = &mut self.terms[t as usize];
            (term.list, term.last) = (list, last);
            edited.push(t);
            if moved {
                joined.push(t);
            }
        }
    }

    /// The terms whose impact in some entry moved with the new `norms`: an entry's norms move
    /// when its own length or its kind's average does, which changes a term's level only
    /// where a count lies near a level's edge (checked per entry first, on its largest count).
    fn moved_impacts(&self, norms: &[Norms], changed: &[usize]) -> Vec<u32> {
        if self.norms.len() != norms.len() {
            // A fresh memo: every term was edited.
            return Vec::new();
        }
        let changed: HashSet<usize> = changed.iter().copied().collect();
        let lists: Vec<Vec<u32>> = (0..norms.len())
            .into_par_iter()
            .filter_map(|i| {
                let (old, new) = (self.norms[i], norms[i]);
                let memo = &self.entries[i];
                let name_moved = old.name.to_bits() != new.name.to_bits();
                let look = changed.contains(&i)
                    || name_moved
                    || levels_move(memo.max_body, old.body, new.body);
                look.then(|| {
                    memo.terms
                        .iter()
                        .filter(|&(_, p)| impact(p, old) != impact(p, new))
                        .map(|(t, _)| t)
                        .collect()
                })
            })
            .collect();
        lists.into_iter().flatten().collect()
    }

    /// Encodes terms `dirty` again; keeps the shard count and shards' members up to date and
    /// returns the shards to write again.
    fn encode(&mut self, dirty: Vec<u32>, n_docs: usize) -> BTreeSet<usize> {
        let (terms, norms) = (&self.terms, &self.norms);
        let made: Vec<(u32, Vec<u8>)> = dirty
            .par_iter()
            .map(|&t| {
                let term = &terms[t as usize];
                if term.list.len() == 0 {
                    return (t, Vec::new());
                }
                let list = term.list.unpack();
                let parent = term
                    .parent
                    .map(|p| &terms[p as usize])
                    .filter(|p| p.list.len() > 0);
                let bytes = match parent {
                    Some(p) => {
                        let parent_docs: Vec<u32> = p.list.iter().map(|(d, _)| d).collect();
                        encode_child(term.key.contains(' '), &list, &parent_docs, norms)
                    }
                    None => encode_term(&list, norms, n_docs),
                };
                (t, bytes)
            })
            .collect();
        let mut moved = Vec::new();
        for (t, bytes) in made {
            let term = &mut self.terms[t as usize];
            let size = |b: &[u8]| shard_bytes(&term.key, b.len());
            if !term.encoded.is_empty() {
                self.total -= size(&term.encoded);
            }
            if !bytes.is_empty() {
                self.total += size(&bytes);
            }
            if term.encoded.is_empty() != bytes.is_empty() {
                moved.push(t);
            }
            term.encoded = bytes;
        }
        let count = shards_for(self.total);
        if count != self.shard_count {
            self.reshard(count);
            return (0..count).collect();
        }
        let mask = count as u32 - 1;
        let shard_of = |key: &str| (fnv1a(key.as_bytes()) & mask) as usize;
        for t in moved {
            let key = &self.terms[t as usize].key;
            let terms = &self.terms;
            let members = &mut self.shards[shard_of(key)];
            let at = members.binary_search_by(|&m| terms[m as usize].key.as_str().cmp(key));
            match (at, terms[t as usize].encoded.is_empty()) {
                (Err(i), false) => members.insert(i, t),
                (Ok(i), true) => {
                    members.remove(i);
                }
                _ => {}
            }
        }
        dirty
            .iter()
            .map(|&t| shard_of(&self.terms[t as usize].key))
            .collect()
    }

    /// Every term with postings in its shard of `count`; forgets the shard files past it.
    fn reshard(&mut self, count: usize) {
        let mask = count as u32 - 1;
        let mut shards: Vec<Vec<u32>> = vec![Vec::new(); count];
        for (t, term) in self.terms.iter().enumerate() {
            if !term.encoded.is_empty() {
                shards[(fnv1a(term.key.as_bytes()) & mask) as usize].push(t as u32);
            }
        }
        let terms = &self.terms;
        shards.par_iter_mut().for_each(|s| {
            s.sort_unstable_by(|&a, &b| terms[a as usize].key.cmp(&terms[b as usize].key))
        });
        self.shards = shards;
        self.shard_count = count;
        let prefix = format!("{INDEX_DIR}s/");
        self.files.retain(|p, _| !p.starts_with(&prefix));
    }

    fn emit_shards(&mut self, shards: BTreeSet<usize>, out: &mut Out) {
        let shards: Vec<usize> = shards.into_iter().collect();
        let made: Vec<(usize, Vec<u8>)> = shards
            .par_iter()
            .map(|&s| {
                let list: Vec<ShardTerm<'_>> = self.shards[s]
                    .iter()
                    .map(|&t| {
                        let term = &self.terms[t as usize];
                        ShardTerm {
                            key: &term.key,
                            df: term.list.len(),
                            postings: &term.encoded,
                        }
                    })
                    .collect();
                (s, encode_shard(&list))
            })
            .collect();
        for (s, bytes) in made {
            out.emit(&mut self.files, format!("{INDEX_DIR}s/{s:x}.bin"), bytes);
        }
    }

    /// The fragment files of `groups`.
    fn emit_fragments(
        &mut self,
        from: &Entries,
        kinds: &KindTable,
        groups: BTreeSet<usize>,
        out: &mut Out,
    ) {
        let n = self.entries.len();
        let groups: Vec<usize> = groups.into_iter().collect();
        let made: Vec<(String, Vec<u8>)> = groups
            .par_iter()
            .flat_map_iter(|&g| {
                let ids = g * FRAGMENT_GROUP..n.min((g + 1) * FRAGMENT_GROUP);
                let rows: Vec<FragmentRow> = ids.map(|id| from.row(id, kinds)).collect();
                let files = std::sync::Mutex::new(Vec::new());
                fragment_files(&rows, g, &|path, bytes| {
                    if let Ok(mut f) = files.lock() {
                        f.push((path, bytes));
                    }
                });
                files.into_inner().unwrap_or_default()
            })
            .collect();
        for (path, bytes) in made {
            out.emit(&mut self.files, path, bytes);
        }
    }

    /// Every facet file (made again when some entry's facets changed).
    fn emit_facets(&mut self, out: &mut Out) {
        let made = facet_files(&self.seen.facets, self.entries.len());
        let prefix = format!("{INDEX_DIR}x/");
        let now: HashSet<&str> = made.iter().map(|(p, _)| p.as_str()).collect();
        self.files
            .retain(|p, _| !p.starts_with(&prefix) || now.contains(p.as_str()));
        for (path, bytes) in made {
            out.emit(&mut self.files, path, bytes);
        }
    }

    /// The typo dictionary and the unit list, made every time (they are small).
    fn emit_small(&mut self, out: &mut Out) {
        // Only folded syllables can be in the dictionary; it picks among them.
        let words: Vec<(String, usize)> = self
            .terms
            .iter()
            .filter(|t| !t.encoded.is_empty() && t.key.bytes().all(|b| b.is_ascii_lowercase()))
            .map(|t| (t.key.clone(), t.list.len()))
            .collect();
        out.emit(
            &mut self.files,
            format!("{INDEX_DIR}w.json"),
            typo_dictionary(&words),
        );
        let units = self.entries.iter().filter_map(|e| e.unit.clone()).collect();
        out.emit(
            &mut self.files,
            format!("{INDEX_DIR}u.json"),
            unit_names(units),
        );
    }

    /// Makes again the files not made by this update whose published bytes are not the ones
    /// kept (a pass that failed after the memo was updated, or that published another index).
    fn emit_stale(&mut self, from: &Entries, kinds: &KindTable, out: &mut Out) {
        let (mut shards, mut groups, mut facets) = (BTreeSet::new(), BTreeSet::new(), false);
        for (path, f) in &self.files {
            if out.made.contains(path) || (out.published)(path) == Some(f.stamp) {
                continue;
            }
            let name = path.strip_prefix(INDEX_DIR).unwrap_or(path);
            if let Some(s) = name.strip_prefix("s/").and_then(|n| n.strip_suffix(".bin")) {
                shards.extend(usize::from_str_radix(s, 16).ok());
            } else if let Some(g) = name
                .strip_prefix("f/")
                .and_then(|n| n.strip_suffix(".json.gz"))
            {
                groups.extend(g.parse::<usize>().ok());
            } else if name.starts_with("x/") {
                facets = true;
            }
        }
        self.emit_shards(shards, out);
        self.emit_fragments(from, kinds, groups, out);
        if facets {
            self.emit_facets(out);
        }
    }
}

/// The entries a fragment file shows: the rows of those this update made again, the others
/// asked of the source.
struct Entries<'a> {
    source: &'a dyn EntrySource,
    made: &'a HashMap<usize, FragmentRow>,
}

impl Entries<'_> {
    /// What entry `id`'s fragment row shows.
    fn row(&self, id: usize, kinds: &KindTable) -> FragmentRow {
        match self.made.get(&id) {
            Some(row) => row.clone(),
            None => FragmentRow::of(self.source.entry(id), kinds),
        }
    }
}

/// Moves entry `id` from the facet lists of `old` to those of `new` (lists stay ascending;
/// a facet no entry has any more is dropped).
fn move_facets(seen: &mut Seen, id: u32, old: &[String], new: &[String]) {
    if old == new {
        return;
    }
    for f in old {
        if let Some(list) = seen.facets.get_mut(f) {
            if let Ok(i) = list.binary_search(&id) {
                list.remove(i);
            }
            if list.is_empty() {
                seen.facets.remove(f);
            }
        }
    }
    for f in new {
        let list = seen.facets.entry(f.clone()).or_default();
        if let Err(i) = list.binary_search(&id) {
            list.insert(i, id);
        }
    }
}

/// Whether an entry's body levels differ between norms `old` and `new` for some count up
/// to `max_body` (its largest): when not, none of its terms' impacts moved.
fn levels_move(max_body: u32, old: f64, new: f64) -> bool {
    if old.to_bits() == new.to_bits() {
        return false;
    }
    let norms = |body| Norms { name: 0.0, body };
    (1..=max_body).any(|tf| impact(tf, norms(old)) != impact(tf, norms(new)))
}

/// A hash of everything an entry holds (every index file it appears in depends on no more).
fn entry_hash(e: &SearchEntry) -> u64 {
    use crate::site::{fold_word, text_hash as h};
    [&e.url, &e.title, &e.keys, &e.kind, &e.context, &e.text]
        .iter()
        .fold(e.shown as u64, |acc, s| fold_word(acc, h(s)))
        ^ e.facets
            .iter()
            .fold(e.facets.len() as u64, |acc, f| fold_word(acc, h(f)))
            .rotate_left(7)
}

#[path = "memo_postings.rs"]
mod postings;
use postings::{diff_terms, merge_postings};

#[path = "memo_store.rs"]
mod store;
pub use store::{MAX_GROWTH, STORE_PREFIX, STORE_SUFFIX};

#[cfg(test)]
#[path = "memo_tests.rs"]
mod tests;
