//! Byte encodings of the search index: LEB128 varints, posting lists and shard files.
//!
//! Takes sorted doc ids with quantized impacts, returns bytes; the layouts are described in
//! the parent module header and decoded by `search.js` (and by `tests.rs` in Rust).

/// Posting header bit: doc ids are a bitmap rather than a varint gap list.
pub(super) const FLAG_BITMAP: u8 = 1;
/// Posting header bit: impacts take 4 bits each; otherwise 2 bits (dense terms).
pub(super) const FLAG_WIDE_IMPACTS: u8 = 2;

/// Posting header bit: the ids are positions in the parent term's list, not doc ids (an
/// accented syllable within its folded form, a pair within its first syllable).
pub(super) const FLAG_RELATIVE: u8 = 4;
/// Posting header bit: no impacts follow (accented syllables only count, they do not weigh).
pub(super) const FLAG_NO_IMPACTS: u8 = 8;

/// Posting header bit (with [`FLAG_RELATIVE`]): the positions listed are those of the parent's
/// list *without* the term (`cải` is almost every `cai`), so the list is short either way.
pub(super) const FLAG_COMPLEMENT: u8 = 16;

/// Impacts are computed on a 16-level scale; dense terms keep only the top bit (name field).
pub(super) const IMPACT_LEVELS: u32 = 16;

/// Terms in at least this many entries *and* in 1/16 of all entries get 1-bit impacts (in
/// the name field or not): their idf is low, so finer weights would not change rankings,
/// only bytes.
const DENSE_MIN_DF: usize = 1024;

/// Appends `v` as an unsigned LEB128 varint (7 bits per byte, low bits first).
pub(super) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Octets `put_varint` would write for `v`.
fn varint_len(v: u64) -> usize {
    let bits = 64 - v.max(1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// 32-bit FNV-1a; picks a term's shard. search.js has the same function (`fnv1a`).
pub(super) fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Encodes one posting list: `docs` strictly increasing, `impacts` on the 16-level scale
/// (0..=15), one per doc. `n_docs` is the number of entries in the whole index.
///
/// Layout: header byte (flags), then either the gap list (`df` varints: first id, then
/// differences) or the bitmap (`varint first_byte`, `varint byte_count`, bytes; bit `i` of
/// byte `k` is doc `8 * (first_byte + k) + i`), whichever is shorter; then the impacts packed
/// low bits first, 4 or 2 bits each, in doc order. `df` is stored in the shard, not here.
pub(super) fn encode_postings(docs: &[u32], impacts: &[u8], n_docs: usize) -> Vec<u8> {
    encode_flagged(docs, Some(impacts), n_docs, 0, docs.len())
}

/// Encodes a posting list as positions `indices` (increasing) in its parent term's list of
/// `parent_df` postings, with impacts or (`None`) without; decoded against the parent.
pub(super) fn encode_relative(
    indices: &[u32],
    impacts: Option<&[u8]>,
    parent_df: usize,
) -> Vec<u8> {
    if indices.len() * 2 <= parent_df {
        return encode_flagged(indices, impacts, parent_df, FLAG_RELATIVE, indices.len());
    }
    let mut absent = Vec::with_capacity(parent_df - indices.len());
    let mut next = indices.iter().peekable();
    for i in 0..parent_df as u32 {
        if next.peek() == Some(&&i) {
            next.next();
        } else {
            absent.push(i);
        }
    }
    encode_flagged(
        &absent,
        impacts,
        parent_df,
        FLAG_RELATIVE | FLAG_COMPLEMENT,
        indices.len(),
    )
}

/// `docs` are the ids written; `df` the postings the impacts are for (they differ only for a
/// complement list).
fn encode_flagged(
    docs: &[u32],
    impacts: Option<&[u8]>,
    n_docs: usize,
    extra: u8,
    df: usize,
) -> Vec<u8> {
    let wide = df < DENSE_MIN_DF || df * 16 < n_docs;
    let mut flags = extra | if wide { FLAG_WIDE_IMPACTS } else { 0 };
    if impacts.is_none() {
        flags |= FLAG_NO_IMPACTS;
    }
    let (first, last) = match (docs.first(), docs.last()) {
        (Some(&f), Some(&l)) => (f, l),
        _ => {
            let mut out = vec![flags];
            if let Some(impacts) = impacts {
                put_impacts(&mut out, impacts, wide);
            }
            return out;
        }
    };
    let gaps_len: usize = docs
        .iter()
        .scan(0u32, |prev, &d| {
            let gap = d - *prev;
            *prev = d;
            Some(varint_len(u64::from(gap)))
        })
        .sum();
    let (first_byte, byte_count) = (first / 8, last / 8 - first / 8 + 1);
    let bitmap_len =
        varint_len(u64::from(first_byte)) + varint_len(u64::from(byte_count)) + byte_count as usize;
    let mut out = Vec::with_capacity(1 + gaps_len.min(bitmap_len) + docs.len() / 2 + 1);
    if bitmap_len < gaps_len {
        flags |= FLAG_BITMAP;
        out.push(flags);
        put_bitmap(&mut out, docs, first_byte, byte_count);
    } else {
        out.push(flags);
        put_gaps(&mut out, docs);
    }
    if let Some(impacts) = impacts {
        put_impacts(&mut out, impacts, wide);
    }
    out
}

fn put_gaps(out: &mut Vec<u8>, docs: &[u32]) {
    let mut prev = 0;
    for &d in docs {
        put_varint(out, u64::from(d - prev));
        prev = d;
    }
}

fn put_bitmap(out: &mut Vec<u8>, docs: &[u32], first_byte: u32, byte_count: u32) {
    put_varint(out, u64::from(first_byte));
    put_varint(out, u64::from(byte_count));
    let start = out.len();
    out.resize(start + byte_count as usize, 0);
    for &d in docs {
        let k = start + (d / 8 - first_byte) as usize;
        if let Some(byte) = out.get_mut(k) {
            *byte |= 1 << (d % 8);
        }
    }
}

fn put_impacts(out: &mut Vec<u8>, impacts: &[u8], wide: bool) {
    let (bits, per_byte) = if wide { (4, 2) } else { (1, 8) };
    for group in impacts.chunks(per_byte) {
        let mut byte = 0u8;
        for (i, &level) in group.iter().enumerate() {
            let v = if wide {
                level & 0x0f
            } else {
                (level & 0x0f) >> 3
            };
            byte |= v << (i * bits);
        }
        out.push(byte);
    }
}

/// One term of a shard: its key, document frequency and encoded postings.
pub(super) struct ShardTerm<'a> {
    pub key: &'a str,
    pub df: usize,
    pub postings: &'a [u8],
}

/// Encodes a shard file: `varint term_count`, then per term (in the order given, which is
/// byte order): `varint key_len`, key (UTF-8), `varint df`, `varint postings_len`, postings.
pub(super) fn encode_shard(terms: &[ShardTerm<'_>]) -> Vec<u8> {
    let size: usize = terms
        .iter()
        .map(|t| t.key.len() + t.postings.len() + 12)
        .sum();
    let mut out = Vec::with_capacity(size + 4);
    put_varint(&mut out, terms.len() as u64);
    for t in terms {
        put_varint(&mut out, t.key.len() as u64);
        out.extend_from_slice(t.key.as_bytes());
        put_varint(&mut out, t.df as u64);
        put_varint(&mut out, t.postings.len() as u64);
        out.extend_from_slice(t.postings);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        for (v, want) in [
            (0u64, vec![0u8]),
            (127, vec![0x7f]),
            (128, vec![0x80, 0x01]),
            (300, vec![0xac, 0x02]),
        ] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            assert_eq!(out, want);
            assert_eq!(varint_len(v), want.len());
        }
    }

    #[test]
    fn fnv_matches_reference() {
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
    }

    #[test]
    fn sparse_list_uses_gaps() {
        let out = encode_postings(&[3, 10, 400], &[15, 0, 7], 10_000);
        assert_eq!(out, vec![FLAG_WIDE_IMPACTS, 3, 7, 0x86, 0x03, 0x0f, 0x07]);
    }

    #[test]
    fn dense_list_uses_bitmap_and_narrow_impacts() {
        let docs: Vec<u32> = (0..2000).map(|i| i * 2).collect();
        let impacts = vec![15u8; docs.len()];
        let out = encode_postings(&docs, &impacts, 4000);
        assert_eq!(out[0], FLAG_BITMAP);
        // header + varint 0 + varint 500 (2 bytes) + 500 bitmap bytes + 2000 / 8 impact bytes.
        assert_eq!(out.len(), 1 + 1 + 2 + 500 + 250);
        assert_eq!(out[4], 0b0101_0101);
        assert_eq!(out[504], 0xff);
    }

    #[test]
    fn relative_lists_store_the_shorter_side() {
        // Position 2 of a 5-posting parent: listed as such.
        assert_eq!(
            encode_relative(&[2], None, 5)[0],
            FLAG_RELATIVE | FLAG_NO_IMPACTS | FLAG_WIDE_IMPACTS
        );
        // Every position but 1 of 10: the complement, one gap.
        let out = encode_relative(&[0, 2, 3, 4, 5, 6, 7, 8, 9], None, 10);
        assert_eq!(
            out,
            vec![
                FLAG_RELATIVE | FLAG_COMPLEMENT | FLAG_NO_IMPACTS | FLAG_WIDE_IMPACTS,
                1
            ]
        );
        // All of them: nothing listed, impacts still there.
        let out = encode_relative(&[0, 1], Some(&[15, 1]), 2);
        assert_eq!(
            out,
            vec![FLAG_RELATIVE | FLAG_COMPLEMENT | FLAG_WIDE_IMPACTS, 0x1f]
        );
    }
}
