//! The memo as bytes, kept between builds (`site::index_memo`): its two large parts (every
//! entry's terms, every term's postings and encoding, ~95% of ~170 MB at 10,000 documents)
//! in chunks encoded and decoded in parallel, the rest whole; each part is postcard.
//!
//! The parts lie in a *store*, a file of the cache folder that is only ever appended to, and a
//! [`Manifest`] names where each part of one memo lies in it (offset, length, CRC-32). A memo
//! read from a store keeps the store open and where each chunk lies ([`Kept`]); an update
//! marks the chunks it touches, and the next save appends only those, and the rest, to the
//! store: the manifest it writes names the untouched chunks where they already are. A prose
//! edit touches one chunk of entries and a few of terms, so a save writes ~7 MB (most of it
//! the rest, written whole) instead of ~170 MB at 10,000 documents. Bytes already in a store
//! are never written again, so a manifest stays true for as long as its store is there,
//! whatever a later or killed save appended after them.
//!
//! The parts of earlier memos stay in the store unread. Once a save would leave the store more
//! than [`MAX_GROWTH`] times the size of the memo, it writes a new store instead (named by the
//! memo's nonce, its untouched chunks copied from the old one by the kernel), and the old store
//! is removed when the new manifest is put in place (`site::index_memo`). Terms are cut into
//! chunks by size, so that one large posting list does not make thousands of small ones part
//! of a touched chunk.
//!
//! A memo carries a random `nonce`, drawn when it is encoded: the output's record names the
//! memo by it, so a memo is recognised without hashing its bytes.

use std::fs::File;
use std::hash::{BuildHasher, Hasher};
use std::io::{Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{EntryMemo, SearchMemo, State, Term};

/// Entries per chunk: a prose edit touches one chunk of ~0.6 MB at 10,000 documents (chunks
/// of 4,096 entries, ~9 MB, made such a save write twice as much and take five times as
/// long). Small in the tests, so that they store several.
const ENTRY_CHUNK: usize = if cfg!(test) { 3 } else { 256 };
/// Bytes of terms (keys, postings, encodings) per chunk, roughly: a term larger than this is
/// a chunk of its own.
const TERM_CHUNK_BYTES: usize = if cfg!(test) { 200 } else { 128 * 1024 };

/// The first bytes of a store; the manifest says which build of cchc wrote the parts.
const STORE_HEAD: &[u8] = b"cchc-search-store 1\n";
/// How large a store may grow against the memo it holds before a save writes a new one: at
/// most this many times the memo's bytes (the rest are parts of earlier memos).
pub const MAX_GROWTH: u64 = 2;
/// Store files are named `search-<nonce>.store` in the cache folder.
pub const STORE_PREFIX: &str = "search-";
pub const STORE_SUFFIX: &str = ".store";

/// Where a part lies in a store, and its CRC-32.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct Span {
    at: u64,
    len: u64,
    crc: u32,
}

/// One memo as kept: its nonce, the store its parts lie in (a file name in the same folder),
/// and where each lies: the state without its entries, terms and dictionary, then the
/// entries' chunks, then the terms' chunks.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    nonce: u64,
    store: String,
    rest: Span,
    entries: Vec<Span>,
    terms: Vec<Span>,
}

/// A chunk of the store a memo was read from: the items it holds, and where it lies.
#[derive(Clone)]
struct FileChunk {
    items: Range<usize>,
    span: Span,
}

/// A stored chunk and whether an update touched it since it was read.
type KeptChunk = (FileChunk, bool);

/// A store, open, as it was when a memo was read from it.
struct Store {
    file: File,
    /// Its file name in the cache folder, and its path.
    name: String,
    path: PathBuf,
    len: u64,
}

/// The store a memo was read from, and its chunks (see the module header).
pub(super) struct Kept {
    store: Arc<Store>,
    entries: Vec<KeptChunk>,
    terms: Vec<KeptChunk>,
}

impl Kept {
    /// Marks the chunks that hold entries `entries` or terms `terms`.
    pub(super) fn touch(&mut self, entries: &[usize], terms: &[u32]) {
        mark(&mut self.entries, entries.iter().copied());
        mark(&mut self.terms, terms.iter().map(|&t| t as usize));
    }
}

/// Marks the chunks (in item order) that hold `items`.
fn mark(chunks: &mut [KeptChunk], items: impl Iterator<Item = usize>) {
    for i in items {
        let k = chunks.partition_point(|(c, _)| c.items.end <= i);
        if let Some((c, touched)) = chunks.get_mut(k) {
            *touched |= c.items.contains(&i);
        }
    }
}

/// A chunk to store: encoded now, or already in the store the memo was read from.
enum Piece {
    Made(Vec<u8>),
    Kept(Span),
}

impl Piece {
    fn len(&self) -> u64 {
        match self {
            Piece::Made(bytes) => bytes.len() as u64,
            Piece::Kept(span) => span.len,
        }
    }
}

/// A memo encoded for the cache folder, not yet written.
pub struct EncodedMemo {
    nonce: u64,
    rest: Vec<u8>,
    entries: Vec<Piece>,
    terms: Vec<Piece>,
    /// The store the kept pieces lie in.
    store: Option<Arc<Store>>,
}

/// A memo written to a store: the manifest to put in place, and the store, which goes if the
/// manifest is never put in place when the save made it (`made`; otherwise it appended to the
/// one the memo was read from).
pub struct SavedMemo {
    pub manifest: Vec<u8>,
    pub store: PathBuf,
    pub made: bool,
}

/// Writes parts at the end of a store, noting where each lies.
struct Sink<W: Write> {
    out: W,
    at: u64,
}

impl<W: Write> Sink<W> {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<Span> {
        self.out.write_all(bytes)?;
        let span = Span {
            at: self.at,
            len: bytes.len() as u64,
            crc: crc32fast::hash(bytes),
        };
        self.at += span.len;
        Ok(span)
    }
}

impl EncodedMemo {
    /// The nonce the output's record names the memo by.
    pub fn nonce(&self) -> u64 {
        self.nonce
    }

    /// How many chunks are kept where they lie in the store the memo was read from (tests).
    #[cfg(test)]
    pub fn kept(&self) -> usize {
        [&self.entries, &self.terms]
            .iter()
            .flat_map(|pieces| pieces.iter())
            .filter(|p| matches!(p, Piece::Kept(_)))
            .count()
    }

    /// The memo's bytes (tests: a store's growth is bounded by them).
    #[cfg(test)]
    pub fn memo_len(&self) -> u64 {
        self.sizes().0
    }

    /// The memo's bytes, and those a save appends.
    fn sizes(&self) -> (u64, u64) {
        let pieces = || self.entries.iter().chain(&self.terms);
        let made = pieces().filter(|p| matches!(p, Piece::Made(_)));
        let rest = self.rest.len() as u64;
        (
            rest + pieces().map(Piece::len).sum::<u64>(),
            rest + made.map(Piece::len).sum::<u64>(),
        )
    }

    /// Writes the memo into the cache folder `dir`: appended to the store it was read from
    /// while that stays within [`MAX_GROWTH`] times the memo and the save changed at most
    /// half of it, otherwise into a new store.
    pub fn save(&self, dir: &Path) -> std::io::Result<SavedMemo> {
        let (memo, appended) = self.sizes();
        // Appending most of the memo would write as much as a new store, and leave the old
        // parts behind.
        let roomy =
            |s: &&Arc<Store>| appended <= memo / 2 && s.len + appended <= MAX_GROWTH * memo.max(1);
        if let Some(store) = self.store.as_ref().filter(roomy) {
            // A store that cannot be appended to (removed since, unwritable) is written anew.
            if let Ok(manifest) = self.append(store) {
                return Ok(SavedMemo {
                    manifest: encode_manifest(&manifest)?,
                    store: store.path.clone(),
                    made: false,
                });
            }
        }
        let name = format!("{STORE_PREFIX}{:016x}{STORE_SUFFIX}", self.nonce);
        let path = dir.join(&name);
        let written = self.write_new(&path, name);
        let manifest = written.and_then(|m| encode_manifest(&m)).inspect_err(|_| {
            let _ = std::fs::remove_file(&path);
        })?;
        Ok(SavedMemo {
            manifest,
            store: path,
            made: true,
        })
    }

    /// Appends the parts made since `store` was read to it, under a lock (two builds into
    /// different outputs may share a cache folder).
    fn append(&self, store: &Store) -> std::io::Result<Manifest> {
        let file = std::fs::OpenOptions::new().append(true).open(&store.path)?;
        file.lock()?;
        let end = file.metadata()?.len();
        if end < store.len {
            return Err(std::io::Error::other("the store is shorter than when read"));
        }
        let mut sink = Sink {
            out: std::io::BufWriter::new(&file),
            at: end,
        };
        let manifest = self.lay_out(&mut sink, store.name.clone(), &mut |span, _| Ok(*span))?;
        sink.out.flush()?;
        Ok(manifest)
    }

    /// Writes every part into a new store at `path`, named `name`; the kept parts are copied
    /// from the store they lie in.
    fn write_new(&self, path: &Path, name: String) -> std::io::Result<Manifest> {
        let file = File::create_new(path)?;
        let mut sink = Sink {
            out: std::io::BufWriter::new(file),
            at: 0,
        };
        sink.out.write_all(STORE_HEAD)?;
        sink.at = STORE_HEAD.len() as u64;
        let from = self.store.as_deref();
        let manifest = self.lay_out(&mut sink, name, &mut |span, sink| {
            let mut file: &File = from
                .map(|s| &s.file)
                .ok_or_else(|| std::io::Error::other("no store to copy a chunk from"))?;
            file.seek(SeekFrom::Start(span.at))?;
            // `io::copy` between files asks the kernel to copy (`copy_file_range`).
            let copied = std::io::copy(&mut std::io::Read::take(file, span.len), &mut sink.out)?;
            if copied != span.len {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let moved = Span {
                at: sink.at,
                ..*span
            };
            sink.at += span.len;
            Ok(moved)
        })?;
        sink.out.flush()?;
        Ok(manifest)
    }

    /// Writes the parts made now through `sink`, and the kept ones through `keep`; where each
    /// lies, in store `store`.
    fn lay_out<W: Write>(
        &self,
        sink: &mut Sink<W>,
        store: String,
        keep: &mut dyn FnMut(&Span, &mut Sink<W>) -> std::io::Result<Span>,
    ) -> std::io::Result<Manifest> {
        let rest = sink.put(&self.rest)?;
        let mut lists = [Vec::new(), Vec::new()];
        for (pieces, spans) in [&self.entries, &self.terms].into_iter().zip(&mut lists) {
            for p in pieces {
                spans.push(match p {
                    Piece::Made(bytes) => sink.put(bytes)?,
                    Piece::Kept(span) => keep(span, sink)?,
                });
            }
        }
        let [entries, terms] = lists;
        Ok(Manifest {
            nonce: self.nonce,
            store,
            rest,
            entries,
            terms,
        })
    }
}

fn encode_manifest(m: &Manifest) -> std::io::Result<Vec<u8>> {
    postcard::to_allocvec(m).map_err(std::io::Error::other)
}

/// Reads `span` of `file`, checked against its CRC-32.
fn read_span(file: &File, span: &Span) -> Option<Vec<u8>> {
    let mut buf = vec![0; usize::try_from(span.len).ok()?];
    read_exact_at(file, &mut buf, span.at).ok()?;
    (crc32fast::hash(&buf) == span.crc).then_some(buf)
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn read_exact_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

impl SearchMemo {
    /// The memo encoded to be kept, under a new nonce; the chunks no update touched since it
    /// was read from a store stay where they lie in it.
    pub fn encode(&self) -> Result<EncodedMemo, String> {
        let nonce = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        let Some(state) = &self.state else {
            return Ok(EncodedMemo {
                nonce,
                rest: Vec::new(),
                entries: Vec::new(),
                terms: Vec::new(),
                store: None,
            });
        };
        let kept = self.kept.as_ref();
        let chunks = |k: fn(&Kept) -> &[KeptChunk]| kept.map_or(&[][..], k);
        let entry_plan = plan(chunks(|k| &k.entries), state.entries.len(), |r| {
            by_count(r, ENTRY_CHUNK)
        });
        let term_plan = plan(chunks(|k| &k.terms), state.terms.len(), |r| {
            by_size(&state.terms, r)
        });
        let (rest, (entries, terms)) = rayon::join(
            || postcard::to_allocvec(state),
            || {
                rayon::join(
                    || encode_plan(&state.entries, entry_plan),
                    || encode_plan(&state.terms, term_plan),
                )
            },
        );
        let failed = |e: postcard::Error| e.to_string();
        Ok(EncodedMemo {
            nonce,
            rest: rest.map_err(failed)?,
            entries: entries.map_err(failed)?,
            terms: terms.map_err(failed)?,
            store: kept.map(|k| Arc::clone(&k.store)),
        })
    }

    /// The memo whose manifest is `manifest`, with its store in the folder `dir`, if its
    /// nonce is `nonce`; `None` when it is another, or a part is missing or damaged. The
    /// store stays open in the memo, for the next save.
    pub fn read(dir: &Path, manifest: &[u8], nonce: u64) -> Option<SearchMemo> {
        let m: Manifest = postcard::from_bytes(manifest).ok()?;
        let plain = m.store.starts_with(STORE_PREFIX) && !m.store.contains(['/', '\\']);
        if m.nonce != nonce || !plain {
            return None;
        }
        let path = dir.join(&m.store);
        let file = File::open(&path).ok()?;
        let len = file.metadata().ok()?.len();
        let store = Store {
            file,
            name: m.store.clone(),
            path,
            len,
        };
        let (rest, (entries, terms)) = rayon::join(
            || read_span(&store.file, &m.rest),
            || {
                rayon::join(
                    || decode_chunks::<EntryMemo>(&store.file, &m.entries),
                    || decode_chunks::<Term>(&store.file, &m.terms),
                )
            },
        );
        let rest = rest?;
        if rest.is_empty() {
            return Some(SearchMemo::default());
        }
        let mut state: State = postcard::from_bytes(&rest).ok()?;
        let (entries, entry_chunks) = flatten(entries?, &m.entries);
        let (terms, term_chunks) = flatten(terms?, &m.terms);
        state.entries = entries;
        state.terms = terms;
        state.dict = state
            .terms
            .iter()
            .enumerate()
            .map(|(id, t)| (t.key.clone(), id as u32))
            .collect();
        let kept = Kept {
            store: Arc::new(store),
            entries: entry_chunks,
            terms: term_chunks,
        };
        Some(SearchMemo {
            state: Some(state),
            kept: Some(kept),
        })
    }
}

/// The items of each chunk at `spans` of `file`, read and decoded in parallel.
fn decode_chunks<T: for<'de> Deserialize<'de> + Send>(
    file: &File,
    spans: &[Span],
) -> Option<Vec<Vec<T>>> {
    spans
        .par_iter()
        .map(|s| postcard::from_bytes::<Vec<T>>(&read_span(file, s)?).ok())
        .collect()
}

/// The items of `chunks` in one list, and where each chunk lies.
fn flatten<T>(chunks: Vec<Vec<T>>, spans: &[Span]) -> (Vec<T>, Vec<KeptChunk>) {
    let mut items = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
    let mut kept = Vec::with_capacity(chunks.len());
    for (list, span) in chunks.into_iter().zip(spans) {
        let start = items.len();
        items.extend(list);
        let chunk = FileChunk {
            items: start..items.len(),
            span: *span,
        };
        kept.push((chunk, false));
    }
    (items, kept)
}

/// The chunks to store `len` items in: the kept chunks, in order (those untouched kept where
/// they lie, the others encoded again), then the items after them cut by `cut`.
fn plan(
    kept: &[KeptChunk],
    len: usize,
    cut: impl Fn(Range<usize>) -> Vec<Range<usize>>,
) -> Vec<(Range<usize>, Option<Span>)> {
    let mut plan = Vec::new();
    let mut end = 0;
    for (chunk, touched) in kept {
        if chunk.items.start != end || chunk.items.end > len {
            break;
        }
        plan.push((chunk.items.clone(), (!touched).then_some(chunk.span)));
        end = chunk.items.end;
    }
    plan.extend(cut(end..len).into_iter().map(|r| (r, None)));
    plan
}

fn by_count(items: Range<usize>, size: usize) -> Vec<Range<usize>> {
    items
        .clone()
        .step_by(size)
        .map(|start| start..(start + size).min(items.end))
        .collect()
}

/// `items` cut where the terms reach [`TERM_CHUNK_BYTES`].
fn by_size(terms: &[Term], items: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut size) = (items.start, 0);
    for (i, t) in terms.iter().enumerate().take(items.end).skip(items.start) {
        size += t.key.len() + t.list.byte_len() + t.encoded.len() + 16;
        if size >= TERM_CHUNK_BYTES {
            out.push(start..i + 1);
            (start, size) = (i + 1, 0);
        }
    }
    if start < items.end {
        out.push(start..items.end);
    }
    out
}

fn encode_plan<T: Serialize + Sync>(
    items: &[T],
    plan: Vec<(Range<usize>, Option<Span>)>,
) -> Result<Vec<Piece>, postcard::Error> {
    plan.into_par_iter()
        .map(|(range, kept)| match kept {
            Some(span) => Ok(Piece::Kept(span)),
            None => postcard::to_allocvec(&items[range]).map(Piece::Made),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of its own for one test.
    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cchc-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("makes a folder");
        dir
    }

    #[test]
    fn stored_parts_read_back_and_damaged_ones_do_not() {
        let dir = folder("parts");
        let memo = EncodedMemo {
            nonce: 7,
            rest: b"rest".to_vec(),
            entries: [&b"e1"[..], b"", b"e3"]
                .map(|b| Piece::Made(b.to_vec()))
                .into(),
            terms: vec![Piece::Made(b"t".to_vec())],
            store: None,
        };
        let saved = memo.save(&dir).expect("saves");
        assert!(saved.made, "no store to append to: a new one");
        let m: Manifest = postcard::from_bytes(&saved.manifest).expect("a manifest");
        assert_eq!(
            (m.nonce, m.store.as_str()),
            (7, "search-0000000000000007.store")
        );
        let file = File::open(&saved.store).expect("opens");
        let read = |s: &Span| read_span(&file, s);
        assert_eq!(read(&m.rest).as_deref(), Some(&b"rest"[..]));
        let entries: Vec<_> = m.entries.iter().map(|s| read(s).expect("reads")).collect();
        assert_eq!(entries, [&b"e1"[..], b"", b"e3"]);
        assert_eq!(read(&m.terms[0]).as_deref(), Some(&b"t"[..]));
        // A byte changed in the store, or the store cut short: the part is not read.
        let mut bytes = std::fs::read(&saved.store).expect("reads");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&saved.store, &bytes).expect("writes");
        assert_eq!(read(&m.terms[0]), None, "damaged");
        std::fs::write(&saved.store, &bytes[..last]).expect("writes");
        assert_eq!(read(&m.terms[0]), None, "cut short");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_memo_is_read_only_under_its_own_nonce_from_its_own_folder() {
        let dir = folder("nonce");
        let memo = SearchMemo::default().encode().expect("encodes");
        let saved = memo.save(&dir).expect("saves");
        let read = |nonce| SearchMemo::read(&dir, &saved.manifest, nonce);
        assert!(read(memo.nonce()).is_some());
        assert!(read(memo.nonce() ^ 1).is_none());
        let again = SearchMemo::default().encode().expect("encodes");
        assert_ne!(
            again.nonce(),
            memo.nonce(),
            "each encoding draws its own nonce"
        );
        // A manifest naming a store outside the folder is not followed.
        let mut m: Manifest = postcard::from_bytes(&saved.manifest).expect("a manifest");
        m.store = format!("{STORE_PREFIX}/../x{STORE_SUFFIX}");
        let outside = encode_manifest(&m).expect("encodes");
        assert!(SearchMemo::read(&dir, &outside, memo.nonce()).is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn chunks_are_marked_by_the_items_they_hold() {
        let chunk = |items: Range<usize>| {
            let span = Span {
                at: 0,
                len: 0,
                crc: 0,
            };
            (FileChunk { items, span }, false)
        };
        let mut chunks = vec![chunk(0..3), chunk(3..4), chunk(4..9)];
        mark(&mut chunks, [3, 8, 9].into_iter());
        let touched: Vec<bool> = chunks.iter().map(|c| c.1).collect();
        assert_eq!(touched, [false, true, true]);
        let plan = plan(&chunks, 11, |r| by_count(r, 2));
        let ranges: Vec<_> = plan.iter().map(|p| p.0.clone()).collect();
        assert_eq!(ranges, [0..3, 3..4, 4..9, 9..11]);
        let kept: Vec<bool> = plan.iter().map(|p| p.1.is_some()).collect();
        assert_eq!(kept, [true, false, false, false]);
    }
}
