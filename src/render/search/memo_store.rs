//! The memo as bytes, kept between builds (`site::index_memo`): its two large parts (every
//! entry's terms, every term's postings and encoding, ~95% of ~170 MB at 10,000 documents)
//! in chunks encoded and decoded in parallel, the rest whole; each part is postcard, framed
//! by its length ([`Stored`]).
//!
//! A memo read from a file keeps that file open and where each chunk lies in it ([`Kept`]).
//! An update marks the chunks it touches; the next save encodes those and copies the others'
//! bytes from the old file. A prose edit touches one chunk of entries and a few of terms, so
//! the save no longer encodes ~170 MB. The old file is never written in place (a save is
//! staged beside it and renamed over it), so the open handle reads the bytes that were
//! decoded. Terms are cut into chunks by size, so that one large posting list does not make
//! thousands of small ones part of a touched chunk.
//!
//! A memo carries a random `nonce`, drawn when it is encoded: the output's record names the
//! memo by it, so a memo is recognised without hashing its bytes.

use std::borrow::Cow;
use std::fs::File;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{EntryMemo, SearchMemo, State, Term};

/// Entries per chunk: a prose edit touches one chunk of ~2 MB at 10,000 documents. Small in
/// the tests, so that they store several.
const ENTRY_CHUNK: usize = if cfg!(test) { 3 } else { 4_096 };
/// Bytes of terms (keys, postings, encodings) per chunk, roughly: a term larger than this is
/// a chunk of its own.
const TERM_CHUNK_BYTES: usize = if cfg!(test) { 200 } else { 512 * 1024 };

/// The stored form: the nonce, then the state without its entries, terms and dictionary,
/// then the entries' chunks, then the terms' chunks; each part and each list of parts behind
/// its length (`u64`, little-endian).
struct Stored<'a> {
    nonce: u64,
    rest: &'a [u8],
    entries: Vec<&'a [u8]>,
    terms: Vec<&'a [u8]>,
}

impl<'a> Stored<'a> {
    fn read(bytes: &'a [u8]) -> Option<Stored<'a>> {
        let mut at = bytes;
        let nonce = take_u64(&mut at)?;
        let rest = take_part(&mut at)?;
        let mut lists = [Vec::new(), Vec::new()];
        for list in &mut lists {
            let n = take_u64(&mut at)?;
            for _ in 0..n {
                list.push(take_part(&mut at)?);
            }
        }
        let [entries, terms] = lists;
        at.is_empty().then_some(Stored {
            nonce,
            rest,
            entries,
            terms,
        })
    }
}

fn take_u64(at: &mut &[u8]) -> Option<u64> {
    let (head, tail) = at.split_first_chunk::<8>()?;
    *at = tail;
    Some(u64::from_le_bytes(*head))
}

fn take_part<'a>(at: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = usize::try_from(take_u64(at)?).ok()?;
    if len > at.len() {
        return None;
    }
    let (part, tail) = at.split_at(len);
    *at = tail;
    Some(part)
}

/// A chunk of the file a memo was read from: the items it holds, where its bytes lie in the
/// file and their CRC-32.
#[derive(Clone)]
struct FileChunk {
    items: Range<usize>,
    at: u64,
    len: usize,
    crc: u32,
}

/// A stored chunk and whether an update touched it since it was read.
type KeptChunk = (FileChunk, bool);

/// The file a memo was read from, open, and its chunks (see the module header).
pub(super) struct Kept {
    file: Arc<File>,
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

/// A chunk to store: encoded now, or copied from the file the memo was read from.
enum Piece {
    Made(Vec<u8>),
    Copied(FileChunk),
}

/// A piece of the stored bytes, in order.
enum Out<'a> {
    Bytes(Cow<'a, [u8]>),
    Copied(&'a FileChunk),
}

/// A memo encoded for the cache folder, its parts not yet joined.
pub struct EncodedMemo {
    nonce: u64,
    rest: Vec<u8>,
    entries: Vec<Piece>,
    terms: Vec<Piece>,
    /// Where the copied pieces are read from.
    file: Option<Arc<File>>,
}

impl EncodedMemo {
    /// The nonce the output's record names the memo by.
    pub fn nonce(&self) -> u64 {
        self.nonce
    }

    /// How many chunks are copied from the file the memo was read from (tests).
    #[cfg(test)]
    pub fn copied(&self) -> usize {
        [&self.entries, &self.terms]
            .iter()
            .flat_map(|pieces| pieces.iter())
            .filter(|p| matches!(p, Piece::Copied(_)))
            .count()
    }

    /// The stored bytes, in order (not copied into one buffer: at 10,000 documents that would
    /// be 170 MB more at the end of a build).
    fn pieces(&self) -> Vec<Out<'_>> {
        let number = |n: usize| Out::Bytes(Cow::Owned((n as u64).to_le_bytes().to_vec()));
        let mut out = vec![Out::Bytes(Cow::Owned(self.nonce.to_le_bytes().to_vec()))];
        out.extend([
            number(self.rest.len()),
            Out::Bytes(Cow::Borrowed(&self.rest)),
        ]);
        for parts in [&self.entries, &self.terms] {
            out.push(number(parts.len()));
            for p in parts.iter() {
                out.extend(match p {
                    Piece::Made(bytes) => [number(bytes.len()), Out::Bytes(Cow::Borrowed(bytes))],
                    Piece::Copied(chunk) => [number(chunk.len), Out::Copied(chunk)],
                });
            }
        }
        out
    }

    /// The CRC-32 and length of the stored bytes.
    pub fn crc_and_len(&self) -> (u32, usize) {
        let mut crc = crc32fast::Hasher::new();
        let mut len = 0;
        for p in self.pieces() {
            match p {
                Out::Bytes(bytes) => {
                    crc.update(&bytes);
                    len += bytes.len();
                }
                Out::Copied(chunk) => {
                    crc.combine(&crc32fast::Hasher::new_with_initial_len(
                        chunk.crc,
                        chunk.len as u64,
                    ));
                    len += chunk.len;
                }
            }
        }
        (crc.finalize(), len)
    }

    /// Writes the stored bytes to `w`.
    pub fn write_to(&self, w: &mut impl Write) -> std::io::Result<()> {
        for p in self.pieces() {
            match p {
                Out::Bytes(bytes) => w.write_all(&bytes)?,
                Out::Copied(chunk) => self.copy(chunk, w)?,
            }
        }
        Ok(())
    }

    /// Copies `chunk`'s bytes from the file the memo was read from.
    fn copy(&self, chunk: &FileChunk, w: &mut impl Write) -> std::io::Result<()> {
        let mut file: &File = self
            .file
            .as_deref()
            .ok_or_else(|| std::io::Error::other("no file to copy a chunk from"))?;
        file.seek(SeekFrom::Start(chunk.at))?;
        let copied = std::io::copy(&mut file.take(chunk.len as u64), w)?;
        if copied != chunk.len as u64 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        Ok(())
    }

    /// The stored bytes in one buffer (tests).
    #[cfg(test)]
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.write_to(&mut v).expect("the memo's file reads");
        v
    }
}

impl SearchMemo {
    /// The memo encoded to be kept, under a new nonce; the chunks no update touched since it
    /// was read from a file are copied from that file.
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
                file: None,
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
            file: kept.map(|k| Arc::clone(&k.file)),
        })
    }

    /// The memo [`EncodedMemo`] stored whose nonce is `nonce`; `None` when the bytes are not
    /// one, or another (tests: a build reads it [`SearchMemo::from_file`]).
    #[cfg(test)]
    pub fn from_bytes(bytes: &[u8], nonce: u64) -> Option<SearchMemo> {
        decode(bytes, nonce, None)
    }

    /// The memo stored in `bytes` whose nonce is `nonce`, read from `file` where they start at
    /// byte `at`; the file is kept open, so that a save copies the chunks no update touched.
    pub fn from_file(file: File, bytes: &[u8], at: u64, nonce: u64) -> Option<SearchMemo> {
        decode(bytes, nonce, Some((Arc::new(file), at)))
    }
}

fn decode(bytes: &[u8], nonce: u64, file: Option<(Arc<File>, u64)>) -> Option<SearchMemo> {
    let stored = Stored::read(bytes)?;
    if stored.nonce != nonce {
        return None;
    }
    if stored.rest.is_empty() {
        return Some(SearchMemo::default());
    }
    let (rest, (entries, terms)) = rayon::join(
        || postcard::from_bytes::<State>(stored.rest).ok(),
        || {
            rayon::join(
                || decode_chunks::<EntryMemo>(&stored.entries),
                || decode_chunks::<Term>(&stored.terms),
            )
        },
    );
    let mut state = rest?;
    let base = file.as_ref().map_or(0, |f| f.1);
    let locate = |part: &[u8]| base + (part.as_ptr() as usize - bytes.as_ptr() as usize) as u64;
    let (entries, entry_chunks) = flatten(entries?, &stored.entries, locate);
    let (terms, term_chunks) = flatten(terms?, &stored.terms, locate);
    state.entries = entries;
    state.terms = terms;
    state.dict = state
        .terms
        .iter()
        .enumerate()
        .map(|(id, t)| (t.key.clone(), id as u32))
        .collect();
    let kept = file.map(|(file, _)| Kept {
        file,
        entries: entry_chunks,
        terms: term_chunks,
    });
    Some(SearchMemo {
        state: Some(state),
        kept,
    })
}

/// Each chunk's items and CRC-32.
fn decode_chunks<T: for<'de> Deserialize<'de> + Send>(
    chunks: &[&[u8]],
) -> Option<Vec<(Vec<T>, u32)>> {
    chunks
        .par_iter()
        .map(|c| Some((postcard::from_bytes::<Vec<T>>(c).ok()?, crc32fast::hash(c))))
        .collect()
}

/// The items of `chunks` in one list, and where each chunk lies (`locate`: a part's offset
/// in the file).
fn flatten<T>(
    chunks: Vec<(Vec<T>, u32)>,
    parts: &[&[u8]],
    locate: impl Fn(&[u8]) -> u64,
) -> (Vec<T>, Vec<KeptChunk>) {
    let mut items = Vec::with_capacity(chunks.iter().map(|c| c.0.len()).sum());
    let mut kept = Vec::with_capacity(chunks.len());
    for ((list, crc), part) in chunks.into_iter().zip(parts) {
        let start = items.len();
        items.extend(list);
        let chunk = FileChunk {
            items: start..items.len(),
            at: locate(part),
            len: part.len(),
            crc,
        };
        kept.push((chunk, false));
    }
    (items, kept)
}

/// The chunks to store `len` items in: the kept chunks, in order (those untouched copied,
/// the others encoded again), then the items after them cut by `cut`.
fn plan(
    kept: &[KeptChunk],
    len: usize,
    cut: impl Fn(Range<usize>) -> Vec<Range<usize>>,
) -> Vec<(Range<usize>, Option<FileChunk>)> {
    let mut plan = Vec::new();
    let mut end = 0;
    for (chunk, touched) in kept {
        if chunk.items.start != end || chunk.items.end > len {
            break;
        }
        plan.push((chunk.items.clone(), (!touched).then(|| chunk.clone())));
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
    plan: Vec<(Range<usize>, Option<FileChunk>)>,
) -> Result<Vec<Piece>, postcard::Error> {
    plan.into_par_iter()
        .map(|(range, copy)| match copy {
            Some(chunk) => Ok(Piece::Copied(chunk)),
            None => postcard::to_allocvec(&items[range]).map(Piece::Made),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_parts_read_back_and_nothing_else_does() {
        let memo = EncodedMemo {
            nonce: 7,
            rest: b"rest".to_vec(),
            entries: [&b"e1"[..], b"", b"e3"]
                .map(|b| Piece::Made(b.to_vec()))
                .into(),
            terms: vec![Piece::Made(b"t".to_vec())],
            file: None,
        };
        let bytes = memo.to_vec();
        let back = Stored::read(&bytes).expect("reads back");
        assert_eq!(back.nonce, 7);
        assert_eq!(back.rest, b"rest");
        assert_eq!(back.entries, [&b"e1"[..], b"", b"e3"]);
        assert_eq!(back.terms, [&b"t"[..]]);
        for cut in 0..bytes.len() {
            assert!(Stored::read(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Stored::read(&longer).is_none(), "trailing bytes");
    }

    #[test]
    fn a_memo_is_read_only_under_its_own_nonce() {
        let memo = SearchMemo::default().encode().expect("encodes");
        let bytes = memo.to_vec();
        assert_eq!(memo.crc_and_len(), (crc32fast::hash(&bytes), bytes.len()));
        assert!(SearchMemo::from_bytes(&bytes, memo.nonce()).is_some());
        assert!(SearchMemo::from_bytes(&bytes, memo.nonce() ^ 1).is_none());
        let again = SearchMemo::default().encode().expect("encodes");
        assert_ne!(
            again.nonce(),
            memo.nonce(),
            "each encoding draws its own nonce"
        );
    }

    #[test]
    fn chunks_are_marked_by_the_items_they_hold() {
        let chunk = |items: Range<usize>| {
            let (at, len, crc) = (0, 0, 0);
            (
                FileChunk {
                    items,
                    at,
                    len,
                    crc,
                },
                false,
            )
        };
        let mut chunks = vec![chunk(0..3), chunk(3..4), chunk(4..9)];
        mark(&mut chunks, [3, 8, 9].into_iter());
        let touched: Vec<bool> = chunks.iter().map(|c| c.1).collect();
        assert_eq!(touched, [false, true, true]);
        let plan = plan(&chunks, 11, |r| by_count(r, 2));
        let ranges: Vec<_> = plan.iter().map(|p| p.0.clone()).collect();
        assert_eq!(ranges, [0..3, 3..4, 4..9, 9..11]);
        let copied: Vec<bool> = plan.iter().map(|p| p.1.is_some()).collect();
        assert_eq!(copied, [true, false, false, false]);
    }
}
