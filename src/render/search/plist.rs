//! Posting lists while the index is collected: `(doc id, packed counts)` pairs in doc order,
//! held as varint doc-id gaps and varint counts, about 2–3 bytes a posting instead of 8.
//!
//! At 100,000 documents the index has hundreds of millions of postings; held as pairs of
//! `u32` they were the largest thing a build held. Encoding (`encode.rs`) reads them back
//! one list at a time.

/// One term's postings, appended in increasing doc order.
#[derive(Debug, Default)]
pub struct PackedList {
    bytes: Vec<u8>,
    last: u32,
    len: u32,
}

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], pos: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*pos) {
        *pos += 1;
        v |= u32::from(b & 0x7f).wrapping_shl(shift);
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

impl PackedList {
    /// Appends postings whose doc ids are not below the last one appended.
    pub fn extend(&mut self, list: &[(u32, u32)]) {
        for &(doc, packed) in list {
            put_varint(&mut self.bytes, doc.wrapping_sub(self.last));
            put_varint(&mut self.bytes, packed);
            self.last = doc;
            self.len += 1;
        }
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// The postings, in order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut pos = 0;
        let mut doc = 0u32;
        (0..self.len).map(move |_| {
            doc = doc.wrapping_add(get_varint(&self.bytes, &mut pos));
            (doc, get_varint(&self.bytes, &mut pos))
        })
    }

    /// The postings as pairs (for one list at a time).
    pub fn unpack(&self) -> Vec<(u32, u32)> {
        self.iter().collect()
    }

    /// Gives back the growth slack once the list is complete.
    pub fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::PackedList;

    #[test]
    fn round_trips_in_order() {
        let a = [(0, 1), (5, 300), (5_000_000, 7)];
        let b = [(5_000_001, u32::MAX), (u32::MAX, 0)];
        let mut l = PackedList::default();
        l.extend(&a);
        l.extend(&b);
        assert_eq!(l.len(), 5);
        let all: Vec<(u32, u32)> = a.iter().chain(&b).copied().collect();
        assert_eq!(l.unpack(), all);
    }
}
