//! Posting lists while the index is collected: `(doc id, packed counts)` pairs in doc order,
//! held as varint doc-id gaps and varint counts, about 2–3 bytes a posting instead of 8.
//!
//! At 100,000 documents the index has hundreds of millions of postings; held as pairs of
//! `u32` they were the largest thing a build held. Encoding (`encode.rs`) reads them back
//! one list at a time.
//!
//! [`PackedList`] is one list in its own vector (the serve memo edits lists one by one);
//! [`ListArena`] holds a build's millions of lists (most of them a posting or two) in shared
//! pages, 20 bytes a list plus its bytes, where a vector of its own cost 32 bytes plus an
//! allocation.

/// One term's postings, appended in increasing doc order.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PackedList {
    // As bytes, not a sequence of `u8` (one serde call per byte): the memo's save and load.
    #[serde(with = "serde_bytes")]
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

    /// The bytes its postings take.
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
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

/// Bytes of an arena page; a slice never crosses a page.
const PAGE: usize = 1 << 20;
/// Slices are placed at multiples of this, so a `u32` address reaches 64 GiB.
const ALIGN: usize = 16;
/// Slice sizes by level: a list starts with the smallest and each next slice is one level
/// up (the last level repeats), so a rare term wastes little and a frequent one is a short
/// chain. The last 4 bytes of a slice hold the next slice's address.
const SLICE_SIZES: [u16; 8] = [16, 32, 64, 128, 256, 512, 1024, 2048];
const LINK: usize = 4;

/// Where one list of a [`ListArena`] starts and ends.
#[derive(Debug, Clone, Copy)]
pub struct ListHead {
    /// First slice (in units of [`ALIGN`]); 0 while the list has none.
    first: u32,
    /// The slice being written.
    cur: u32,
    /// The last doc id appended.
    last: u32,
    /// Postings in the list.
    len: u32,
    /// Data bytes used in the slice being written.
    used: u16,
    level: u8,
}

impl ListHead {
    pub const EMPTY: ListHead = ListHead {
        first: 0,
        cur: 0,
        last: 0,
        len: 0,
        used: 0,
        level: 0,
    };

    pub fn len(&self) -> usize {
        self.len as usize
    }
}

/// Many posting lists, each a chain of slices in shared pages; lists are appended to in any
/// interleaving, each in increasing doc order.
#[derive(Default)]
pub struct ListArena {
    pages: Vec<Vec<u8>>,
}

fn slice_size(level: u8) -> usize {
    usize::from(SLICE_SIZES[usize::from(level).min(SLICE_SIZES.len() - 1)])
}

impl ListArena {
    /// Appends postings whose doc ids are not below the last one of `head`'s list.
    pub fn extend(&mut self, head: &mut ListHead, list: &[(u32, u32)]) {
        for &(doc, packed) in list {
            let gap = if head.len == 0 { doc } else { doc - head.last };
            self.put_varint(head, gap);
            let (first, name) = pack_count(packed);
            self.put_varint(head, first);
            if let Some(name) = name {
                self.put_varint(head, name);
            }
            head.last = doc;
            head.len += 1;
        }
    }

    fn put_varint(&mut self, head: &mut ListHead, mut v: u32) {
        while v >= 0x80 {
            self.put(head, (v as u8) | 0x80);
            v >>= 7;
        }
        self.put(head, v as u8);
    }

    fn put(&mut self, head: &mut ListHead, byte: u8) {
        if head.first == 0 {
            // The list's first byte: its first slice.
            let at = self.alloc(0);
            (head.first, head.cur, head.used, head.level) = (at, at, 0, 0);
        }
        if usize::from(head.used) + LINK == slice_size(head.level) {
            let level = head
                .level
                .saturating_add(1)
                .min(SLICE_SIZES.len() as u8 - 1);
            let next = self.alloc(level);
            let link = self.addr(head.cur) + slice_size(head.level) - LINK;
            self.write(link, &next.to_le_bytes());
            (head.cur, head.used, head.level) = (next, 0, level);
        }
        let at = self.addr(head.cur) + usize::from(head.used);
        self.write(at, &[byte]);
        head.used += 1;
    }

    /// A new slice of `level`, zeroed, as an address in units of [`ALIGN`]. Address 0 (the
    /// start of the first page) is never handed out, so 0 means "no slice yet".
    fn alloc(&mut self, level: u8) -> u32 {
        let size = slice_size(level);
        let fits = self.pages.last().is_some_and(|p| p.len() + size <= PAGE);
        if !fits {
            let mut page = Vec::with_capacity(PAGE);
            if self.pages.is_empty() {
                page.resize(ALIGN, 0);
            }
            self.pages.push(page);
        }
        let page_no = self.pages.len() - 1;
        let page = &mut self.pages[page_no];
        let offset = page.len();
        page.resize(offset + size, 0);
        ((page_no * PAGE + offset) / ALIGN) as u32
    }

    fn addr(&self, unit: u32) -> usize {
        unit as usize * ALIGN
    }

    fn write(&mut self, at: usize, bytes: &[u8]) {
        if let Some(page) = self.pages.get_mut(at / PAGE) {
            let off = at % PAGE;
            if let Some(dst) = page.get_mut(off..off + bytes.len()) {
                dst.copy_from_slice(bytes);
            }
        }
    }

    /// The postings of `head`'s list, in order.
    pub fn iter<'a>(&'a self, head: &ListHead) -> impl Iterator<Item = (u32, u32)> + 'a {
        let mut bytes = SliceBytes {
            arena: self,
            data: self.slice(head.first, 0),
            link: head.first,
            level: 0,
        };
        let mut doc = 0u32;
        (0..head.len).map(move |_| {
            doc = doc.wrapping_add(bytes.varint());
            let first = bytes.varint();
            let name = if first & 1 == 1 { bytes.varint() } else { 0 };
            (doc, (name << 24) | (first >> 1))
        })
    }

    /// The slice at `unit` of `level`, with its link.
    fn slice(&self, unit: u32, level: u8) -> &[u8] {
        let at = self.addr(unit);
        let off = at % PAGE;
        self.pages
            .get(at / PAGE)
            .and_then(|p| p.get(off..off + slice_size(level)))
            .unwrap_or(&[])
    }

    /// The postings of `head`'s list as pairs (for one list at a time).
    pub fn unpack(&self, head: &ListHead) -> Vec<(u32, u32)> {
        let mut out = Vec::with_capacity(head.len());
        out.extend(self.iter(head));
        out
    }

    /// Bytes held (for `CCHC_TIMINGS`).
    pub fn bytes(&self) -> usize {
        self.pages.len() * PAGE
    }
}

/// Reads a list's bytes across its slices.
struct SliceBytes<'a> {
    arena: &'a ListArena,
    /// The rest of the slice being read, its link included.
    data: &'a [u8],
    link: u32,
    level: u8,
}

impl SliceBytes<'_> {
    fn next_byte(&mut self) -> u8 {
        if self.data.len() <= LINK {
            let mut link = [0u8; LINK];
            if let Some(bytes) = self.data.get(..LINK) {
                link.copy_from_slice(bytes);
            }
            self.level = self
                .level
                .saturating_add(1)
                .min(SLICE_SIZES.len() as u8 - 1);
            self.link = u32::from_le_bytes(link);
            self.data = self.arena.slice(self.link, self.level);
        }
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    fn varint(&mut self) -> u32 {
        let mut v = 0u32;
        let mut shift = 0u32;
        loop {
            let b = self.next_byte();
            v |= u32::from(b & 0x7f).wrapping_shl(shift);
            if b < 0x80 {
                return v;
            }
            shift += 7;
        }
    }
}

/// A packed count (`tokenize.rs`: name occurrences in the top 8 bits, body ones below) as
/// the arena stores it: body count and a name flag in one varint, the name count in a second
/// one only when there is one. Every title syllable has a name count, which packed as is
/// takes a 4-byte varint; this way a posting is mostly 2 bytes.
fn pack_count(packed: u32) -> (u32, Option<u32>) {
    let (name, body) = (packed >> 24, packed & 0x00ff_ffff);
    if name == 0 {
        (body << 1, None)
    } else {
        ((body << 1) | 1, Some(name))
    }
}

#[cfg(test)]
mod tests {
    use super::{ListArena, ListHead, PackedList};

    #[test]
    fn arena_lists_interleave_and_round_trip() {
        let mut arena = ListArena::default();
        let mut heads = [ListHead::EMPTY; 3];
        let mut want: Vec<Vec<(u32, u32)>> = vec![Vec::new(); 3];
        // List 0 grows through every slice level; list 1 holds one posting; list 2 none.
        for doc in 0..5000u32 {
            let posting = (doc * 3, doc.wrapping_mul(2_654_435_761) >> (doc % 32));
            arena.extend(&mut heads[0], &[posting]);
            want[0].push(posting);
            if doc == 7 {
                arena.extend(&mut heads[1], &[(u32::MAX, u32::MAX)]);
                want[1].push((u32::MAX, u32::MAX));
            }
        }
        for (head, want) in heads.iter().zip(&want) {
            assert_eq!(head.len(), want.len());
            assert_eq!(&arena.unpack(head), want);
        }
    }

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
