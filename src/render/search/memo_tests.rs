//! The memo's index against a clean [`build_index`] after every kind of edit: body text
//! (new terms, gone terms, other lengths and so other norms for the whole kind), titles (the
//! name field's site-wide average), facets, display-only fields, entries added and removed,
//! and a pass whose files were never published.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::super::{build_index, EntrySource, SearchEntry, FRAGMENT_GROUP};
use super::{SearchMemo, MAX_GROWTH};

/// Entries lent to the memo: each made again (cloned) whenever asked for, as the site's are;
/// counts how many were asked for.
struct Lent<'a>(&'a [SearchEntry], AtomicUsize);

fn lend(entries: &[SearchEntry]) -> Lent<'_> {
    Lent(entries, AtomicUsize::new(0))
}

impl EntrySource for Lent<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn kinds(&self) -> Vec<String> {
        let kinds: BTreeSet<&String> = self.0.iter().map(|e| &e.kind).collect();
        kinds.into_iter().cloned().collect()
    }
    fn entry(&self, id: usize) -> SearchEntry {
        self.1.fetch_add(1, Ordering::Relaxed);
        self.0[id].clone()
    }
}

/// A small deterministic generator (xorshift), so a failure is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "cải", "cách", "hành", "chính", "Sở", "Nội", "vụ", "số", "so", "đồng", "Đồng", "Nai", "kế",
    "hoạch", "năm", "2024", "báo", "cáo", "định", "kỳ", "tỉnh", "quy", "chế", "cai", "cach",
    "UBND", "tuyên", "truyền", "thủ", "tục", "dữ", "liệu", "xây", "dựng",
];

/// `least` to `least + spread - 1` words, now and then a sentence break between two.
fn sentence(rng: &mut Rng, least: usize, spread: usize) -> String {
    let words = least + rng.below(spread.max(1));
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push_str(if rng.below(9) == 0 { ". " } else { " " });
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s
}

fn entry(rng: &mut Rng, kind: &str, i: usize) -> SearchEntry {
    let (least, spread) = match kind {
        "Văn bản" => (20, 60),
        _ => (0, 12),
    };
    let mut facets = vec![format!("y:{}", 2020 + rng.below(4))];
    if rng.below(2) == 0 {
        facets.push(format!("u:don-vi-{}", rng.below(3)));
    }
    SearchEntry {
        url: format!("{kind}/{i}/"),
        title: sentence(rng, 1, 6),
        keys: if rng.below(3) == 0 {
            sentence(rng, 2, 1)
        } else {
            String::new()
        },
        kind: kind.into(),
        context: format!("ngữ cảnh {}", rng.below(5)),
        text: sentence(rng, least, spread),
        shown: if rng.below(4) == 0 { 7 } else { usize::MAX },
        facets,
    }
}

fn corpus(rng: &mut Rng, docs: usize, tasks: usize, units: usize) -> Vec<SearchEntry> {
    let mut out = Vec::new();
    for (kind, n) in [("Văn bản", docs), ("Nhiệm vụ", tasks), ("Đơn vị", units)] {
        out.extend((0..n).map(|i| entry(rng, kind, i)));
    }
    out
}

/// One random edit of `entries`.
fn edit(rng: &mut Rng, entries: &mut Vec<SearchEntry>) {
    let i = rng.below(entries.len());
    match rng.below(8) {
        0 => entries[i]
            .text
            .push_str(&format!(". {}", sentence(rng, 3, 1))),
        1 => entries[i].text = sentence(rng, 2, 40),
        2 => entries[i].title = sentence(rng, 1, 4),
        3 => entries[i].facets = vec![format!("y:{}", 2019 + rng.below(6))],
        4 => entries[i].context.push('!'),
        5 => {
            let kind = entries[i].kind.clone();
            let at = entries.iter().rposition(|e| e.kind == kind).unwrap_or(i) + 1;
            let e = entry(rng, &kind, at);
            entries.insert(at, e);
        }
        6 if entries.len() > 3 => {
            entries.remove(i);
        }
        _ => entries[i].text.clear(),
    }
}

/// The published files: updated with what the memo hands over, files not listed removed.
#[derive(Default)]
struct Published(HashMap<String, Vec<u8>>);

impl Published {
    fn update(&mut self, memo: &mut SearchMemo, entries: &[SearchEntry], publish: bool) {
        self.update_some(memo, entries, None, publish);
    }

    /// Updates with `only` passed on to the memo; returns how many entries it asked for.
    fn update_some(
        &mut self,
        memo: &mut SearchMemo,
        entries: &[SearchEntry],
        only: Option<&[usize]>,
        publish: bool,
    ) -> usize {
        let stamps: HashMap<String, (u64, u64)> = self
            .0
            .iter()
            .map(|(p, b)| (p.clone(), (b.len() as u64, crate::site::bytes_hash(b))))
            .collect();
        let made = std::sync::Mutex::new(Vec::new());
        let lent = lend(entries);
        let paths = memo.update_some(&lent, only, &|p| stamps.get(p).copied(), &|p, b| {
            made.lock().unwrap().push((p, b))
        });
        if publish {
            self.0.extend(made.into_inner().unwrap());
            self.0.retain(|p, _| paths.contains(p));
        }
        lent.1.into_inner()
    }
}

fn assert_clean(published: &Published, entries: &[SearchEntry], step: usize) {
    let clean: HashMap<String, Vec<u8>> = build_index(entries).into_iter().collect();
    let mut missing: Vec<&String> = clean
        .keys()
        .filter(|p| !published.0.contains_key(*p))
        .collect();
    missing.sort();
    let mut extra: Vec<&String> = published
        .0
        .keys()
        .filter(|p| !clean.contains_key(*p))
        .collect();
    extra.sort();
    let mut differ: Vec<&String> = clean
        .iter()
        .filter(|(p, b)| published.0.get(*p).is_some_and(|o| o != *b))
        .map(|(p, _)| p)
        .collect();
    differ.sort();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "step {step}: missing {missing:?}, extra {extra:?}, differ {differ:?}"
    );
}

#[test]
fn memo_index_equals_a_clean_build_after_every_edit() {
    for seed in 1..=6u64 {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed);
        let mut entries = corpus(&mut rng, 12, 30, 5);
        let (mut memo, mut published) = (SearchMemo::default(), Published::default());
        published.update(&mut memo, &entries, true);
        assert_clean(&published, &entries, 0);
        for step in 1..=40 {
            for _ in 0..1 + rng.below(3) {
                edit(&mut rng, &mut entries);
            }
            // Now and then a pass fails after the memo was updated: nothing is published.
            let publish = rng.below(7) != 0;
            published.update(&mut memo, &entries, publish);
            if publish {
                assert_clean(&published, &entries, step);
            }
        }
    }
}

#[test]
fn a_new_term_and_a_longer_body_reach_the_index() {
    let mut rng = Rng(7);
    let mut entries = corpus(&mut rng, 8, 20, 3);
    let (mut memo, mut published) = (SearchMemo::default(), Published::default());
    published.update(&mut memo, &entries, true);
    // A word no entry had: a new term (and shard); the document grows, so every document's
    // body norm moves.
    entries[2]
        .text
        .push_str(". Chuyển đổi số toàn diện chuyển đổi số toàn diện");
    let before = published.0.clone();
    published.update(&mut memo, &entries, true);
    assert_clean(&published, &entries, 1);
    let changed = published
        .0
        .iter()
        .filter(|(p, b)| before.get(*p) != Some(*b))
        .count();
    assert!(
        changed >= 3,
        "a shard, a fragment and meta.json change: {changed}"
    );
    // Nothing changed: nothing to publish.
    let made = std::sync::Mutex::new(0);
    let stamps: HashMap<String, (u64, u64)> = published
        .0
        .iter()
        .map(|(p, b)| (p.clone(), (b.len() as u64, crate::site::bytes_hash(b))))
        .collect();
    memo.update(&lend(&entries), &|p| stamps.get(p).copied(), &|_, _| {
        *made.lock().unwrap() += 1
    });
    assert_eq!(*made.lock().unwrap(), 0);
}

#[test]
fn told_which_entries_may_differ_the_memo_makes_only_those_and_matches_a_clean_build() {
    for seed in 1..=4u64 {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d ^ seed);
        let mut entries = corpus(&mut rng, 12, 30, 5);
        let (mut memo, mut published) = (SearchMemo::default(), Published::default());
        // The first update makes every entry whatever it is told.
        let asked = published.update_some(&mut memo, &entries, Some(&[]), true);
        assert!(asked >= entries.len());
        assert_clean(&published, &entries, 0);
        for step in 1..=25 {
            // A prose-only save: some documents' bodies change, nothing else.
            let mut ids: Vec<usize> = (0..1 + rng.below(3)).map(|_| rng.below(12)).collect();
            ids.sort_unstable();
            ids.dedup();
            for &i in &ids {
                match rng.below(3) {
                    0 => entries[i].text = sentence(&mut rng, 2, 40),
                    1 => entries[i].text.push_str(". Chuyển đổi số"),
                    _ => {} // saved unchanged
                }
            }
            let asked = published.update_some(&mut memo, &entries, Some(&ids), true);
            // Each entry told of once, and the others of its fragment file.
            assert!(
                asked <= ids.len() * FRAGMENT_GROUP,
                "step {step}: asked for {asked} entries"
            );
            assert_clean(&published, &entries, step);
        }
    }
}

/// A folder of its own for one test.
fn folder(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cchc-memo-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("makes a folder");
    dir
}

/// The memo saved into a folder of its own (a new store) and read back, as a build keeps it
/// between runs.
fn through_bytes(memo: &SearchMemo) -> SearchMemo {
    let dir = folder("bytes");
    let encoded = memo.encode().expect("encodes");
    let saved = encoded.save(&dir).expect("saves");
    let back = SearchMemo::read(&dir, &saved.manifest, encoded.nonce()).expect("reads back");
    let _ = std::fs::remove_dir_all(&dir);
    back
}

/// Three corpora, each edited 20 times at random, the memo passed through `keep` (as a build
/// keeps it between runs) before each edit: the index equals a clean build after each.
fn edits_kept_through(salt: u64, mut keep: impl FnMut(&SearchMemo, usize) -> SearchMemo) {
    for seed in 1..=3u64 {
        let mut rng = Rng(salt ^ seed);
        let mut entries = corpus(&mut rng, 12, 30, 5);
        let (mut memo, mut published) = (SearchMemo::default(), Published::default());
        published.update(&mut memo, &entries, true);
        for step in 1..=20 {
            memo = keep(&memo, step);
            edit(&mut rng, &mut entries);
            published.update(&mut memo, &entries, true);
            assert_clean(&published, &entries, step);
        }
    }
}

#[test]
fn a_memo_kept_as_bytes_goes_on_as_the_one_in_memory() {
    edits_kept_through(0x51_7cc1_b727_220a, |memo, _| through_bytes(memo));
}

/// What saves into one folder did: how many chunks they kept where they lay, how many saves
/// appended to the last store and how many made a new one.
#[derive(Default)]
struct Saves {
    kept: usize,
    appended: usize,
    made: usize,
}

/// The memo saved into `dir` as a build saves it (appended to the store it was read from, or
/// into a new store, the others then removed as a build does once the memo is in place) and
/// read back from its store, which it keeps open. A store never holds more than
/// [`MAX_GROWTH`] times the memo's bytes, bar its first line.
fn through_file(memo: &SearchMemo, dir: &std::path::Path, saves: &mut Saves) -> SearchMemo {
    let encoded = memo.encode().expect("encodes");
    let saved = encoded.save(dir).expect("saves");
    saves.kept += encoded.kept();
    if saved.made {
        saves.made += 1;
        for e in std::fs::read_dir(dir).expect("lists").flatten() {
            if e.path() != saved.store {
                std::fs::remove_file(e.path()).expect("removes");
            }
        }
    } else {
        saves.appended += 1;
    }
    let stores = std::fs::read_dir(dir).expect("lists").count();
    assert_eq!(stores, 1, "one store in the folder");
    let len = std::fs::metadata(&saved.store).expect("a store").len();
    let memo_len = encoded.memo_len();
    assert!(
        len <= MAX_GROWTH * memo_len + 64,
        "store of {len} bytes for a memo of {memo_len}"
    );
    SearchMemo::read(dir, &saved.manifest, encoded.nonce()).expect("reads back")
}

/// Every entry's and term's stored parts are the same in `a` and `b`.
fn assert_same_parts(a: &SearchMemo, b: &SearchMemo, step: usize) {
    let (a, b) = (a.state.as_ref(), b.state.as_ref());
    let (a, b) = (a.expect("a state"), b.expect("a state"));
    assert_eq!(a.entries.len(), b.entries.len(), "step {step}");
    for (i, (x, y)) in a.entries.iter().zip(&b.entries).enumerate() {
        let same = x.hash == y.hash
            && x.facets == y.facets
            && x.unit == y.unit
            && x.max_body == y.max_body
            && x.terms.unpack() == y.terms.unpack();
        assert!(same, "step {step}: entry {i} differs");
    }
    assert_eq!(a.terms.len(), b.terms.len(), "step {step}");
    for (x, y) in a.terms.iter().zip(&b.terms) {
        let same = x.key == y.key
            && x.list.unpack() == y.list.unpack()
            && x.last == y.last
            && x.encoded == y.encoded
            && x.parent == y.parent;
        assert!(same, "step {step}: term {:?} differs", x.key);
    }
}

#[test]
fn a_memo_saved_again_appends_only_the_chunks_an_update_touched() {
    let dir = folder("file");
    let mut saves = Saves::default();
    edits_kept_through(0x2545_f491_4f6c_dd1d, |memo, step| {
        let back = through_file(memo, &dir, &mut saves);
        assert_same_parts(memo, &back, step);
        back
    });
    let _ = std::fs::remove_dir_all(&dir);
    assert!(saves.kept > 0, "no save kept a chunk where it lay");
    assert!(saves.appended > 0, "no save appended to a store");
    assert!(saves.made > 3, "no store was written anew once grown");
}
