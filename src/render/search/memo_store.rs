//! The memo as bytes, kept between builds (`site::index_memo`): its two large parts (every
//! entry's terms, every term's postings and encoding, ~90% of ~170 MB at 10,000 documents)
//! in chunks encoded and decoded in parallel, the rest whole; each part is postcard, framed
//! by its length ([`Stored`]).
//!
//! A memo carries a random `nonce`, drawn when it is encoded: the output's record names the
//! memo by it, so a memo is recognised without hashing its bytes.

use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{EntryMemo, SearchMemo, State, Term};

/// Entries and terms per chunk: enough chunks to share among threads, few enough that each
/// is worth a task.
const ENTRY_CHUNK: usize = 16_384;
const TERM_CHUNK: usize = 2_048;

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
    /// The stored bytes, in order, as slices of the parts (not copied into one buffer: at
    /// 10,000 documents that would be 170 MB more at the end of a build).
    fn pieces(&self) -> Vec<Cow<'a, [u8]>> {
        let number = |n: usize| Cow::Owned((n as u64).to_le_bytes().to_vec());
        let mut out = vec![Cow::Owned(self.nonce.to_le_bytes().to_vec())];
        out.extend([number(self.rest.len()), Cow::Borrowed(self.rest)]);
        for parts in [&self.entries, &self.terms] {
            out.push(number(parts.len()));
            for &p in parts.iter() {
                out.extend([number(p.len()), Cow::Borrowed(p)]);
            }
        }
        out
    }

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

/// A memo encoded for the cache folder, its parts not yet joined.
pub struct EncodedMemo {
    nonce: u64,
    parts: Encoded,
}

impl EncodedMemo {
    /// The nonce the output's record names the memo by.
    pub fn nonce(&self) -> u64 {
        self.nonce
    }

    fn stored(&self) -> Stored<'_> {
        Stored {
            nonce: self.nonce,
            rest: &self.parts.rest,
            entries: self.parts.entries.iter().map(Vec::as_slice).collect(),
            terms: self.parts.terms.iter().map(Vec::as_slice).collect(),
        }
    }

    /// The CRC-32 and length of the stored bytes.
    pub fn crc_and_len(&self) -> (u32, usize) {
        let mut crc = crc32fast::Hasher::new();
        let mut len = 0;
        for p in self.stored().pieces() {
            crc.update(&p);
            len += p.len();
        }
        (crc.finalize(), len)
    }

    /// Writes the stored bytes to `w`.
    pub fn write_to(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        self.stored()
            .pieces()
            .iter()
            .try_for_each(|p| w.write_all(p))
    }

    /// The stored bytes in one buffer (tests).
    pub fn to_vec(&self) -> Vec<u8> {
        self.stored().pieces().concat()
    }
}

impl SearchMemo {
    /// The memo encoded to be kept, under a new nonce.
    pub fn encode(&self) -> Result<EncodedMemo, String> {
        let nonce = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        let parts = match &self.state {
            None => Encoded::default(),
            Some(state) => encode(state).map_err(|e| e.to_string())?,
        };
        Ok(EncodedMemo { nonce, parts })
    }

    /// The memo [`EncodedMemo`] stored whose nonce is `nonce`; `None` when the bytes are not
    /// one, or another.
    pub fn from_bytes(bytes: &[u8], nonce: u64) -> Option<SearchMemo> {
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
        state.entries = entries?;
        state.terms = terms?;
        state.dict = state
            .terms
            .iter()
            .enumerate()
            .map(|(id, t)| (t.key.clone(), id as u32))
            .collect();
        Some(SearchMemo { state: Some(state) })
    }
}

#[derive(Default)]
struct Encoded {
    rest: Vec<u8>,
    entries: Vec<Vec<u8>>,
    terms: Vec<Vec<u8>>,
}

fn encode(state: &State) -> Result<Encoded, postcard::Error> {
    let (rest, (entries, terms)) = rayon::join(
        || postcard::to_allocvec(state),
        || {
            rayon::join(
                || encode_chunks(&state.entries, ENTRY_CHUNK),
                || encode_chunks(&state.terms, TERM_CHUNK),
            )
        },
    );
    Ok(Encoded {
        rest: rest?,
        entries: entries?,
        terms: terms?,
    })
}

fn encode_chunks<T: Serialize + Sync>(
    items: &[T],
    size: usize,
) -> Result<Vec<Vec<u8>>, postcard::Error> {
    items.par_chunks(size).map(postcard::to_allocvec).collect()
}

fn decode_chunks<T: for<'de> Deserialize<'de> + Send>(chunks: &[&[u8]]) -> Option<Vec<T>> {
    let parts: Option<Vec<Vec<T>>> = chunks
        .par_iter()
        .map(|c| postcard::from_bytes::<Vec<T>>(c).ok())
        .collect();
    Some(parts?.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_parts_read_back_and_nothing_else_does() {
        let stored = Stored {
            nonce: 7,
            rest: b"rest",
            entries: vec![b"e1", b"", b"e3"],
            terms: vec![b"t"],
        };
        let bytes: Vec<u8> = stored.pieces().concat();
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
}
