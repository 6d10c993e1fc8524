//! Turns entries' titles and texts into index terms with weighted frequencies.
//!
//! Takes NFC text; [`ChunkTerms`] collects, for a contiguous run of entries, every term's
//! postings `(doc id, packed count)` — occurrences in the name field (title and keys) and in
//! the body, see [`name_count`] and [`body_count`] — and every entry's two field lengths (for
//! BM25). Three kinds of terms share one namespace:
//! - folded syllables (`"cai"`, `"dong"`): ASCII only, as [`crate::text::fold`] gives them;
//! - accented syllables (`"cải"`, `"đồng"`): lower case with diacritics, only when they differ
//!   from the folded form, so a query typed with diacritics can rank exact spellings first;
//! - folded bigrams (`"cai cach"`): two adjacent syllables joined by one space, so phrases
//!   outrank scattered syllables (Vietnamese words are usually two syllables).
//!
//! Folded terms are pure ASCII and accented ones never are, so they cannot collide.
//! search.js splits queries the same way (`tokenize` there); keep the two in step.
//!
//! This runs over every indexed byte (~100 MB for a large site), so the hot path streams
//! syllables through reused buffers and allocates only for terms a chunk has not seen.

use rustc_hash::FxHashMap;

use unicode_normalization::char::is_combining_mark;

use crate::text;

/// A packed count keeps name-field occurrences in its top 8 bits, body ones in the low 24.
const NAME_SHIFT: u32 = 24;
const BODY_MASK: u32 = (1 << NAME_SHIFT) - 1;

/// Occurrences in the name field (title and keys) of a packed count.
pub(super) fn name_count(packed: u32) -> u32 {
    packed >> NAME_SHIFT
}

/// Occurrences in the body of a packed count.
pub(super) fn body_count(packed: u32) -> u32 {
    packed & BODY_MASK
}

/// Adds one occurrence to a packed count, saturating each field.
fn count_one(packed: u32, in_name: bool) -> u32 {
    if in_name {
        if name_count(packed) < 0xff {
            return packed + (1 << NAME_SHIFT);
        }
    } else if body_count(packed) < BODY_MASK {
        return packed + 1;
    }
    packed
}

/// Longer "syllables" are OCR debris or identifiers nobody types; they are not indexed.
const MAX_TERM_BYTES: usize = 40;

/// One syllable of a query or text: its folded form and, when it had diacritics, its
/// lower-case accented form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Syllable {
    pub folded: String,
    pub accented: Option<String>,
}

/// Splits text into runs of syllables; a run ends at sentence punctuation, so bigrams never
/// join the end of one sentence to the start of the next. (Allocating; for queries.)
pub(super) fn syllable_runs(s: &str) -> Vec<Vec<Syllable>> {
    let mut runs = vec![Vec::new()];
    visit_syllables(s, &mut Buffers::default(), |event| match event {
        Some((folded, accented)) => {
            if let Some(run) = runs.last_mut() {
                run.push(Syllable {
                    folded: folded.to_owned(),
                    accented: accented.map(str::to_owned),
                });
            }
        }
        None => {
            if runs.last().is_some_and(|r| !r.is_empty()) {
                runs.push(Vec::new());
            }
        }
    });
    runs.retain(|r| !r.is_empty());
    runs
}

/// Reused string buffers of the tokenizer.
#[derive(Default)]
struct Buffers {
    folded: String,
    accented: String,
}

/// Calls `on(Some((folded, accented)))` for each syllable and `on(None)` at sentence breaks.
fn visit_syllables(s: &str, bufs: &mut Buffers, mut on: impl FnMut(Option<(&str, Option<&str>)>)) {
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if is_word_char(c) {
            let end = rest
                .char_indices()
                .find(|&(_, c)| !is_word_char(c))
                .map_or(rest.len(), |(i, _)| i);
            let (word, tail) = rest.split_at(end);
            rest = tail;
            visit_word(word, bufs, &mut on);
        } else {
            rest = &rest[c.len_utf8()..];
            if is_sentence_break(c) {
                on(None);
            }
        }
    }
}

/// Folds one raw word; a word that folds to several parts (e.g. `aʼb` → `a b`) keeps no
/// accented form because its parts no longer line up with the original characters.
fn visit_word(raw: &str, bufs: &mut Buffers, on: &mut impl FnMut(Option<(&str, Option<&str>)>)) {
    if raw.is_ascii() {
        // Fast path: an ASCII word of letters and digits folds to its lower case.
        if raw.len() <= MAX_TERM_BYTES {
            bufs.folded.clear();
            bufs.folded
                .extend(raw.chars().map(|c| c.to_ascii_lowercase()));
            on(Some((&bufs.folded, None)));
        }
        return;
    }
    // Input should be NFC already; a stray decomposed word must still fold to one syllable
    // (`fold` treats a lone combining mark as a break) and match NFC queries.
    let composed;
    let raw = if raw.chars().any(|c| c >= '\u{300}' && is_combining_mark(c)) {
        composed = text::nfc(raw);
        composed.as_str()
    } else {
        raw
    };
    let folded = text::fold(raw);
    if folded.is_empty() {
        return;
    }
    if folded.contains(' ') {
        for part in folded.split(' ').filter(|p| p.len() <= MAX_TERM_BYTES) {
            on(Some((part, None)));
        }
    } else if folded.len() <= MAX_TERM_BYTES {
        bufs.accented.clear();
        bufs.accented
            .extend(raw.chars().flat_map(char::to_lowercase));
        let accented = (bufs.accented != folded && !bufs.accented.is_ascii())
            .then_some(bufs.accented.as_str());
        on(Some((&folded, accented)));
    }
}

fn is_word_char(c: char) -> bool {
    crate::text::is_alphanumeric(c) || (c >= '\u{300}' && is_combining_mark(c))
}

fn is_sentence_break(c: char) -> bool {
    matches!(c, '.' | ';' | ':' | '!' | '?' | '\n' | '\r' | '…' | '|')
}

/// `(term, [(doc id, packed count)])` pairs.
pub(super) type TermPostings = Vec<(String, Vec<(u32, u32)>)>;

/// Syllables in an entry's name field (title and keys) and in its body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct FieldLens {
    pub name: u32,
    pub body: u32,
}

/// Terms of a contiguous run of entries: postings in doc order and field lengths.
///
/// Syllables are interned (a few ten thousand, so their map stays in cache) and bigrams are
/// keyed by the two syllable ids: the large bigram map then hashes and compares integers,
/// not strings. Names are spelled out once, in [`ChunkTerms::into_terms`].
#[derive(Default)]
pub(super) struct ChunkTerms {
    syllables: FxHashMap<String, u32>,
    pairs: FxHashMap<u64, u32>,
    names: Vec<TermName>,
    postings: Vec<Vec<(u32, u32)>>,
    lens: Vec<FieldLens>,
    bufs: Buffers,
    /// Raw word as written → its `(folded id, accented id or NO_TERM)` parts in `parts`.
    words: FxHashMap<String, (u32, u32)>,
    parts: Vec<(u32, u32)>,
}

/// "No accented form" in [`ChunkTerms::parts`].
const NO_TERM: u32 = u32::MAX;

/// A term of a [`ChunkTerms`], by its local id.
pub(super) enum TermName {
    Syllable(String),
    /// Two adjacent folded syllables, by their local ids (always below the pair's own).
    Pair(u32, u32),
}

/// What [`ChunkTerms::into_parts`] gives: terms by local id, their postings
/// (entry, count) in entry order, and each entry's field lengths.
pub type ChunkParts = (Vec<TermName>, Vec<Vec<(u32, u32)>>, Vec<FieldLens>);

impl ChunkTerms {
    /// Adds one entry; `doc` must grow from call to call. `name` is its title and keys (a
    /// sentence break between them keeps bigrams from joining the two).
    pub fn add(&mut self, doc: u32, name: &str, text: &str) {
        let mut lens = FieldLens::default();
        self.add_text(doc, name, true, &mut lens.name);
        self.add_text(doc, text, false, &mut lens.body);
        self.lens.push(lens);
    }

    /// `(term, [(doc id, packed count)])` in first-seen order, and each entry's field
    /// lengths in the order added.
    pub fn into_terms(self) -> (TermPostings, Vec<FieldLens>) {
        let spelled: Vec<String> = self
            .names
            .iter()
            .map(|name| match name {
                TermName::Syllable(s) => s.clone(),
                TermName::Pair(a, b) => {
                    let part = |id: &u32| match self.names.get(*id as usize) {
                        Some(TermName::Syllable(s)) => s.as_str(),
                        _ => "",
                    };
                    format!("{} {}", part(a), part(b))
                }
            })
            .collect();
        (spelled.into_iter().zip(self.postings).collect(), self.lens)
    }

    /// The terms by local id (a pair names its syllables by their ids, which come before
    /// its own), their postings in doc order, and each entry's field lengths in the order
    /// added: for the build, which interns terms by id (`terms.rs`) and never spells a pair
    /// out per chunk.
    pub fn into_parts(self) -> ChunkParts {
        (self.names, self.postings, self.lens)
    }

    fn add_text(&mut self, doc: u32, s: &str, in_name: bool, len: &mut u32) {
        let mut prev: Option<u32> = None;
        let mut word_start: Option<usize> = None;
        for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
            if i < s.len() && is_word_char(c) {
                word_start.get_or_insert(i);
                continue;
            }
            if let Some(start) = word_start.take() {
                let (from, to) = self.word_parts(&s[start..i]);
                for k in from..to {
                    let (id, accented) = self.parts[k as usize];
                    *len = len.saturating_add(1);
                    self.bump(id, doc, in_name);
                    if accented != NO_TERM {
                        self.bump(accented, doc, in_name);
                    }
                    if let Some(p) = prev {
                        let pair = self.pair(p, id);
                        self.bump(pair, doc, in_name);
                    }
                    prev = Some(id);
                }
            }
            if i < s.len() && is_sentence_break(c) {
                prev = None;
            }
        }
    }

    /// The syllable ids of a raw word, as a range of `self.parts`: folded once per distinct
    /// spelling, since the same few thousand syllables make up almost all of the text.
    fn word_parts(&mut self, raw: &str) -> (u32, u32) {
        if let Some(&range) = self.words.get(raw) {
            return range;
        }
        let mut bufs = std::mem::take(&mut self.bufs);
        let mut found: Vec<(String, Option<String>)> = Vec::new();
        visit_word(raw, &mut bufs, &mut |event| {
            if let Some((folded, accented)) = event {
                found.push((folded.to_owned(), accented.map(str::to_owned)));
            }
        });
        self.bufs = bufs;
        let from = self.parts.len() as u32;
        for (folded, accented) in found {
            let id = self.syllable(&folded);
            let acc = accented.map_or(NO_TERM, |a| self.syllable(&a));
            self.parts.push((id, acc));
        }
        let range = (from, self.parts.len() as u32);
        self.words.insert(raw.to_owned(), range);
        range
    }

    fn syllable(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.syllables.get(s) {
            return id;
        }
        let id = self.new_term(TermName::Syllable(s.to_owned()));
        self.syllables.insert(s.to_owned(), id);
        id
    }

    fn pair(&mut self, a: u32, b: u32) -> u32 {
        let key = (u64::from(a) << 32) | u64::from(b);
        if let Some(&id) = self.pairs.get(&key) {
            return id;
        }
        let id = self.new_term(TermName::Pair(a, b));
        self.pairs.insert(key, id);
        id
    }

    fn new_term(&mut self, name: TermName) -> u32 {
        self.names.push(name);
        self.postings.push(Vec::new());
        (self.names.len() - 1) as u32
    }

    fn bump(&mut self, id: u32, doc: u32, in_name: bool) {
        if let Some(list) = self.postings.get_mut(id as usize) {
            match list.last_mut() {
                Some(last) if last.0 == doc => last.1 = count_one(last.1, in_name),
                _ => list.push((doc, count_one(0, in_name))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(runs: &[Vec<Syllable>]) -> Vec<Vec<&str>> {
        runs.iter()
            .map(|r| r.iter().map(|s| s.folded.as_str()).collect())
            .collect()
    }

    #[test]
    fn runs_break_at_sentences() {
        let runs = syllable_runs("Sở Nội vụ. Số 272/KH-UBND; Đồng Nai");
        assert_eq!(
            folded(&runs),
            vec![
                vec!["so", "noi", "vu"],
                vec!["so", "272", "kh", "ubnd"],
                vec!["dong", "nai"]
            ]
        );
        assert_eq!(runs[0][0].accented.as_deref(), Some("sở"));
        assert_eq!(runs[1][0].accented.as_deref(), Some("số"));
        assert_eq!(runs[1][1].accented, None);
        assert_eq!(runs[2][0].accented.as_deref(), Some("đồng"));
    }

    #[test]
    fn counts_name_and_body_apart() {
        let mut c = ChunkTerms::default();
        c.add(0, "Cải cách", "cải cách hành chính");
        c.add(1, "", "Hành chính. Cải cách");
        let (terms, lens) = c.into_terms();
        let get = |k: &str| {
            terms
                .iter()
                .find(|(t, _)| t == k)
                .map(|(_, l)| {
                    l.iter()
                        .map(|&(d, n)| (d, name_count(n), body_count(n)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        assert_eq!(get("cai"), vec![(0, 1, 1), (1, 0, 1)]);
        assert_eq!(get("cải"), vec![(0, 1, 1), (1, 0, 1)]);
        assert_eq!(get("cai cach"), vec![(0, 1, 1), (1, 0, 1)]);
        assert_eq!(get("hanh chinh"), vec![(0, 0, 1), (1, 0, 1)]);
        // No bigram across the title/body boundary or across a full stop.
        assert_eq!(get("cach cai"), vec![]);
        assert_eq!(get("chinh cai"), vec![]);
        assert_eq!(
            lens,
            vec![
                FieldLens { name: 2, body: 4 },
                FieldLens { name: 0, body: 4 }
            ]
        );
        assert_eq!(count_one(0xff << NAME_SHIFT, true), 0xff << NAME_SHIFT);
    }

    #[test]
    fn odd_input() {
        assert!(syllable_runs("").is_empty());
        assert!(syllable_runs(" ...  ;; ").is_empty());
        let long = "x".repeat(MAX_TERM_BYTES + 1);
        assert!(syllable_runs(&long).is_empty());
        // U+02BC is a letter that folds to nothing, so the word splits in two.
        assert_eq!(folded(&syllable_runs("a\u{2bc}b")), vec![vec!["a", "b"]]);
        // Decomposed input still yields one syllable per word, accented form in NFC.
        let runs = syllable_runs("Đo\u{0302}\u{0300}ng");
        assert_eq!(folded(&runs), vec![vec!["dong"]]);
        assert_eq!(runs[0][0].accented.as_deref(), Some("đồng"));
    }
}
