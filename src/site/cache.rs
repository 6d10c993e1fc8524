//! The cache `serve` keeps between rebuilds: per-document results keyed by what they depend
//! on, so a document whose text and context did not change is not parsed, extracted or
//! rendered to HTML again. One helper, [`Memo::run`], does the lookup and the refresh for
//! every cached stage.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::resolved::{DocDrafts, ResolveMemo};
use crate::diag::Diagnostic;
use crate::link::body::RenderedBody;
use crate::load::SourceFile;
use crate::parse::document::ParsedDoc;

/// Parse results, keyed by text hash.
pub(crate) type ParseMemo = Memo<u64, (Option<ParsedDoc>, Vec<Diagnostic>)>;
/// Rendered bodies, keyed by (text hash, link-context hash).
pub(crate) type BodyMemo = Memo<(u64, u64), (Arc<RenderedBody>, Vec<Diagnostic>)>;

/// Per-document work kept between rebuilds by `serve`: a document whose text (and whose
/// context: the units registry, the other documents' numbers and slugs) did not change is
/// not parsed, extracted or rendered to HTML again.
#[derive(Default)]
pub struct AssembleCache {
    pub(crate) parsed: ParseMemo,
    /// Keyed by (text hash, `units.yaml` hash).
    pub(crate) drafts: Memo<(u64, u64), Arc<DocDrafts>>,
    /// The last resolution of every document's drafts (see `site::resolved`).
    pub(crate) resolved: ResolveMemo,
    pub(crate) bodies: BodyMemo,
    /// Source path → text hash, as of the last assembly.
    hashes: HashMap<PathBuf, u64>,
    /// Sources whose text changed (or that are new) in the last assembly.
    changed: Vec<PathBuf>,
    /// The units registry as the last assembly left it (with the units documents added):
    /// `serve`'s quick pass resolves an edited document's units against it.
    pub(crate) registry: Option<crate::extract::units::UnitRegistry>,
}

impl AssembleCache {
    /// Sources whose text changed, or that appeared, in the last assembly.
    pub fn changed(&self) -> &[PathBuf] {
        &self.changed
    }

    /// The text hash a source had in the last assembly.
    pub fn known_hash(&self, path: &Path) -> Option<u64> {
        self.hashes.get(path).copied()
    }

    /// The slug a source was parsed with in the last assembly (before duplicates were told
    /// apart), and whether its front matter chose it.
    pub fn parsed_slug(&self, path: &Path) -> Option<(&str, bool)> {
        let (_, (doc, _)) = self.parsed.entries.get(path)?;
        doc.as_ref().map(|d| (d.slug.as_str(), d.slug_explicit))
    }

    /// Takes the registry the last assembly left (see the field).
    pub(crate) fn take_registry(&mut self) -> Option<crate::extract::units::UnitRegistry> {
        self.registry.take()
    }

    /// Hashes every document's text and records which changed since the last assembly.
    pub(crate) fn hash_documents(&mut self, documents: &[SourceFile]) -> TextHashes {
        let hashes: HashMap<PathBuf, u64> = documents
            .par_iter()
            .map(|f| (f.path.clone(), text_hash(&f.text)))
            .collect();
        self.changed = hashes
            .iter()
            .filter(|(p, h)| self.hashes.get(*p) != Some(*h))
            .map(|(p, _)| p.clone())
            .collect();
        self.changed.sort();
        self.hashes.clone_from(&hashes);
        TextHashes(hashes)
    }
}

/// Text hash of each document; empty (every hash 0) for a plain build, which has no cache
/// and skips hashing.
#[derive(Default)]
pub(crate) struct TextHashes(HashMap<PathBuf, u64>);

impl TextHashes {
    pub(crate) fn of(&self, path: &Path) -> u64 {
        self.0.get(path).copied().unwrap_or(0)
    }
}

/// Source path → (key, value): a value stays valid while its key is unchanged.
pub(crate) struct Memo<K, V> {
    entries: HashMap<PathBuf, (K, V)>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            entries: HashMap::new(),
        }
    }
}

impl<K: PartialEq + Clone + Send + Sync, V: Clone + Send + Sync> Memo<K, V> {
    /// `compute` over `items` in parallel, in order. With a memo, an item whose key (from
    /// `key_of`) matches the remembered one reuses its value, and the memo is refreshed to
    /// hold exactly these items; entries still current move over as they are.
    pub(crate) fn run<T: Send>(
        memo: Option<&mut Self>,
        items: Vec<T>,
        key_of: impl Fn(&T) -> (PathBuf, K) + Sync + Send,
        compute: impl Fn(T) -> V + Sync + Send,
    ) -> Vec<V> {
        let Some(memo) = memo else {
            return items.into_par_iter().map(compute).collect();
        };
        let known = &memo.entries;
        let results: Vec<(PathBuf, K, V)> = items
            .into_par_iter()
            .map(|item| {
                let (path, key) = key_of(&item);
                let value = match known.get(&path) {
                    Some((k, v)) if *k == key => v.clone(),
                    _ => compute(item),
                };
                (path, key, value)
            })
            .collect();
        let mut old = std::mem::take(&mut memo.entries);
        memo.entries = results
            .iter()
            .map(|(path, key, value)| {
                let entry = match old.remove(path) {
                    Some(e) if e.0 == *key => e,
                    _ => (key.clone(), value.clone()),
                };
                (path.clone(), entry)
            })
            .collect();
        results.into_iter().map(|(_, _, v)| v).collect()
    }
}

/// Hash of a text, to notice edits (not a security boundary).
pub fn text_hash(s: &str) -> u64 {
    bytes_hash(s.as_bytes())
}

/// Hash of bytes, to notice edits: FNV-style over 8-byte words, several GB/s, which matters
/// when `serve` hashes every document of a large site on each save.
pub fn bytes_hash(bytes: &[u8]) -> u64 {
    let (mut h, rest) = fold_words(HASH_SEED ^ bytes.len() as u64, bytes);
    for &b in rest {
        h = (h ^ u64::from(b)).wrapping_mul(HASH_PRIME);
    }
    h ^ (h >> 31)
}

/// Where [`bytes_hash`] and hashers built on [`fold_word`] start.
pub const HASH_SEED: u64 = 0xcbf2_9ce4_8422_2325;
const HASH_PRIME: u64 = 0x0000_0100_0000_01b3;

/// One step of [`bytes_hash`]: `word` folded into `h`.
pub fn fold_word(h: u64, word: u64) -> u64 {
    (h ^ word).wrapping_mul(HASH_PRIME).rotate_left(29)
}

/// `bytes`' whole 8-byte words folded into `h` (little-endian); returns `h` and the
/// remaining 0–7 bytes, which each caller closes in its own way.
pub fn fold_words(mut h: u64, bytes: &[u8]) -> (u64, &[u8]) {
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = fold_word(h, u64::from_le_bytes(w));
    }
    (h, chunks.remainder())
}
