//! The units registry and unit matching: takes the entries of `content/units.yaml` and the unit
//! names written in task cells, and returns stable unit indices.
//!
//! Plans write one unit many ways ("Sở Nội vụ", "Giám đốc Sở Nội vụ", OCR "S& Noi vu", "SNV")
//! and put several units in one cell ("Các Sở: Tư pháp, Tài chính"). A portal that splits one
//! unit into several pages, or merges two, shows citizens the wrong commitments, so matching
//! works on a *match key* (`match_key`): folded text with the head's title removed and common
//! abbreviations expanded, and splitting never cuts a registered name or a name such as
//! "Sở Thông tin và Truyền thông" at its "và".

use clean::clean_name;
use heads::looks_like_unit;
use key::{compact, match_key};
use split::{assemble, complete_bare_heads, edit_distance, segment, Part, Piece};

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashMap;

use serde::Deserialize;

use crate::model::{Unit, UnitLevel};
use crate::text::{fold, is_safe_slug, nfc, slugify};

mod clean;
mod heads;
mod key;
mod split;
#[cfg(test)]
mod tests;

/// One entry of `content/units.yaml` (a YAML list of these), as the publisher wrote it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitEntry {
    /// Canonical name, shown on pages.
    pub name: String,
    /// URL slug; default: the name without diacritics.
    pub slug: Option<String>,
    /// Other written forms: abbreviations, OCR slips, old names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// `tinh | huyen | xa | trung-uong | khac`; default `khac`.
    pub level: Option<String>,
    /// Name of the unit this one belongs to.
    pub parent: Option<String>,
}

/// A problem in `units.yaml`; `index` is the entry's position in the list, which the caller maps
/// to a file line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryProblem {
    /// Two entries end up with the same slug; the later one gets a numbered slug.
    DuplicateSlug {
        /// Entry index.
        index: usize,
        /// The slug both want.
        slug: String,
        /// Index of the entry that kept the slug.
        first: usize,
    },
    /// A name or alias of this entry matches a name or alias of an earlier entry; the earlier wins.
    DuplicateKey {
        /// Entry index.
        index: usize,
        /// The name or alias as written in this entry.
        written: String,
        /// Index of the entry that owns the key.
        other: usize,
    },
    /// The entry names itself as its parent.
    SelfParent {
        /// Entry index.
        index: usize,
        /// The entry's name.
        name: String,
    },
    /// A slug that is not lower-case ASCII letters, digits and `-`; the name's slug is used.
    BadSlug {
        /// Entry index.
        index: usize,
        /// The slug as written.
        slug: String,
    },
    /// A level outside `tinh | huyen | xa | trung-uong | khac`; `khac` is used.
    UnknownLevel {
        /// Entry index.
        index: usize,
        /// The level as written.
        level: String,
    },
    /// The name is empty or has no letters or digits; the entry is skipped.
    EmptyName {
        /// Entry index.
        index: usize,
    },
}

impl RegistryProblem {
    /// Index of the entry in `units.yaml`.
    pub fn index(&self) -> usize {
        match self {
            Self::DuplicateSlug { index, .. }
            | Self::DuplicateKey { index, .. }
            | Self::SelfParent { index, .. }
            | Self::BadSlug { index, .. }
            | Self::UnknownLevel { index, .. }
            | Self::EmptyName { index } => *index,
        }
    }

    /// A one-line message for the publisher (entry numbers are 1-based).
    pub fn message(&self) -> String {
        match self {
            Self::DuplicateSlug { slug, first, .. } => format!(
                "slug `{slug}` is already used by unit #{}; this unit gets a numbered slug",
                first + 1
            ),
            Self::DuplicateKey { written, other, .. } => format!(
                "`{written}` already names unit #{}; a written name must belong to one unit",
                other + 1
            ),
            Self::SelfParent { name, .. } => format!("unit `{name}` names itself as its parent"),
            Self::BadSlug { slug, .. } => format!(
                "slug `{slug}` may only contain a-z, 0-9 and `-`; using one made from the name"
            ),
            Self::UnknownLevel { level, .. } => format!(
                "unknown level `{level}` (expected tinh, huyen, xa, trung-uong or khac); using khac"
            ),
            Self::EmptyName { .. } => "unit has an empty name; skipped".to_string(),
        }
    }
}

/// Longest written text we try as one registered name while splitting a cell (bytes); no real
/// unit name is longer, and the bound keeps splitting linear on huge inputs.
const MAX_NAME_BYTES: usize = 300;

/// How many separated pieces of a cell may be rejoined into one registered name.
const MAX_MERGE: usize = 6;

/// Keys are cut to this many characters before edit distances, so `nearest` stays cheap.
const MAX_DISTANCE_CHARS: usize = 120;

/// All units of a site: the registered ones first (in file order), then those added by
/// [`UnitRegistry::resolve`].
#[derive(Debug, Default)]
pub struct UnitRegistry {
    units: Vec<Unit>,
    /// Compact match key (no spaces) of every registered name and alias.
    registered: FxHashMap<String, usize>,
    /// Compact match key of every unregistered unit added by `resolve`.
    added: FxHashMap<String, usize>,
    /// Keys written for several units with different parents (the same "Sở Nội vụ" in two
    /// provinces): every owner, so [`UnitRegistry::lookup_scoped`] can pick by province.
    shared: FxHashMap<String, Vec<usize>>,
    /// Spaced match keys of registered names and aliases, for `nearest`.
    spaced: Vec<(usize, String)>,
    slugs: FxHashSet<String>,
    /// Unique per registry built in this process, so memos of its answers (see
    /// `site::split_names_cached`) are never reused for another registry.
    generation: u64,
}

impl UnitRegistry {
    /// See the `generation` field.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Builds the registry from `units.yaml` entries, collecting every problem instead of
    /// stopping at the first.
    pub fn new(entries: Vec<UnitEntry>) -> (UnitRegistry, Vec<RegistryProblem>) {
        static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut reg = UnitRegistry {
            generation: GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..UnitRegistry::default()
        };
        let mut problems = Vec::new();
        let mut owner: Vec<usize> = Vec::new(); // unit index -> entry index
        let mut slug_owner: HashMap<String, usize> = HashMap::new();
        for (index, entry) in entries.into_iter().enumerate() {
            let name = nfc(entry.name.trim());
            if fold(&name).is_empty() {
                problems.push(RegistryProblem::EmptyName { index });
                continue;
            }
            let unit_idx = reg.units.len();
            let level = checked_level(index, entry.level.as_deref(), &mut problems);
            let wanted = checked_slug(index, entry.slug.as_deref(), &name, &mut problems);
            let slug = reg.unique_slug(&wanted);
            if slug != wanted {
                let first = slug_owner.get(&wanted).copied().unwrap_or(index);
                problems.push(RegistryProblem::DuplicateSlug {
                    index,
                    slug: wanted,
                    first,
                });
            }
            slug_owner.insert(slug.clone(), index);
            let aliases: Vec<String> = entry.aliases.iter().map(|a| nfc(a.trim())).collect();
            let mut own_keys = Vec::new();
            for written in std::iter::once(&name).chain(aliases.iter()) {
                let spaced = match_key(written);
                let key = compact(&spaced);
                if key.is_empty() {
                    continue;
                }
                match reg.registered.get(&key) {
                    Some(&other)
                        if other != unit_idx && reg.other_scope(other, entry.parent.as_deref()) =>
                    {
                        let owners = reg.shared.entry(key.clone()).or_insert_with(|| vec![other]);
                        if !owners.contains(&unit_idx) {
                            owners.push(unit_idx);
                        }
                    }
                    Some(&other) if other != unit_idx => {
                        problems.push(RegistryProblem::DuplicateKey {
                            index,
                            written: written.clone(),
                            other: owner.get(other).copied().unwrap_or(other),
                        });
                    }
                    Some(_) => {}
                    None => {
                        reg.registered.insert(key.clone(), unit_idx);
                        reg.spaced.push((unit_idx, spaced));
                    }
                }
                own_keys.push(key);
            }
            let parent = entry
                .parent
                .map(|p| nfc(p.trim()))
                .filter(|p| !p.is_empty());
            if let Some(p) = &parent {
                if own_keys.contains(&compact(&match_key(p))) {
                    problems.push(RegistryProblem::SelfParent {
                        index,
                        name: name.clone(),
                    });
                }
            }
            owner.push(index);
            reg.units.push(Unit {
                name,
                slug,
                level,
                parent,
                aliases,
                registered: true,
            });
        }
        reg.canonical_parents();
        (reg, problems)
    }

    /// All units: registered first, then unregistered ones in the order `resolve` added them.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// Splits one written cell/line into the written unit names it contains, cleaned (no
    /// bullets, head titles, "(chủ trì)", "có liên quan" or trailing punctuation), without
    /// duplicates, in order.
    ///
    /// "Các Sở: Tư pháp, Tài chính" gives "Sở Tư pháp", "Sở Tài chính"; collectives such as
    /// "Các sở, ban, ngành tỉnh" stay one name; "và" splits only between two unit-looking parts.
    pub fn split_names(&self, cell: &str) -> Vec<String> {
        let text = nfc(cell);
        let pieces = segment(&text);
        let parts = self.merge_registered(&text, &pieces);
        let raw = assemble(self, &text, &parts);
        let mut seen = FxHashSet::default();
        let mut out = Vec::new();
        for name in complete_bare_heads(raw) {
            let cleaned = clean_name(&name);
            let key = compact(&match_key(&cleaned));
            if !key.is_empty() && seen.insert(key) {
                out.push(cleaned);
            }
        }
        out
    }

    /// Resolves one written name: `Some(index into units())` when it is a registered name or
    /// alias (ignoring case, diacritics, spacing, head titles and known abbreviations).
    pub fn lookup(&self, written: &str) -> Option<usize> {
        self.lookup_key(&compact(&match_key(written)))
    }

    /// Resolve-or-add: the index of the registered unit, or of an unregistered unit added on
    /// first sight (same key, same index) with the cleaned written name, a slug from the key
    /// and level `khac`.
    pub fn resolve(&mut self, written: &str) -> usize {
        let spaced = match_key(written);
        let key = compact(&spaced);
        if let Some(idx) = self.lookup_key(&key) {
            return idx;
        }
        if let Some(&idx) = self.added.get(&key) {
            return idx;
        }
        let mut name = clean_name(written);
        if name.is_empty() {
            name = "(không rõ)".to_string();
        }
        let slug = self.unique_slug(&slugify(&spaced));
        let idx = self.units.len();
        self.units.push(Unit {
            name,
            slug,
            level: UnitLevel::Khac,
            parent: None,
            aliases: Vec::new(),
            registered: false,
        });
        self.added.insert(key, idx);
        idx
    }

    /// Registered units whose name or an alias is nearest to `written` (edit distance between
    /// match keys), best first, at most `n`; far-off units (distance above a third of the key,
    /// at least 2) are left out, so an empty list means "no suggestion".
    pub fn nearest(&self, written: &str, n: usize) -> Vec<usize> {
        let target: Vec<char> = match_key(written)
            .chars()
            .take(MAX_DISTANCE_CHARS)
            .collect();
        if target.is_empty() || n == 0 {
            return Vec::new();
        }
        let limit = (target.len() / 3).max(2);
        let mut best: HashMap<usize, usize> = HashMap::new();
        for (unit, key) in &self.spaced {
            let chars: Vec<char> = key.chars().take(MAX_DISTANCE_CHARS).collect();
            let d = edit_distance(&target, &chars);
            let slot = best.entry(*unit).or_insert(d);
            *slot = (*slot).min(d);
        }
        let mut ranked: Vec<(usize, usize)> = best
            .into_iter()
            .filter(|&(_, d)| d <= limit)
            .map(|(u, d)| (d, u))
            .collect();
        ranked.sort_unstable();
        ranked.into_iter().take(n).map(|(_, u)| u).collect()
    }

    /// True when the text names a unit: a registered name or alias, or text that looks like
    /// one ("Sở …", "UBND …", "Văn phòng …", "Các sở, ban, ngành …", …) once list numbering
    /// ("3.", "a)") and a head's title ("Giám đốc") are removed.
    pub fn names_unit(&self, text: &str) -> bool {
        let cleaned = clean_name(text);
        !cleaned.is_empty() && (self.lookup(&cleaned).is_some() || looks_like_unit(&cleaned))
    }

    /// Like [`UnitRegistry::lookup`], but when the written name belongs to units of several
    /// provinces, picks the one whose parent names `scope` (e.g. "Đồng Nai").
    pub fn lookup_scoped(&self, written: &str, scope: Option<&str>) -> Option<usize> {
        let key = compact(&match_key(written));
        if let (Some(owners), Some(scope)) = (self.shared.get(&key), scope) {
            let want = fold(scope);
            let found = owners.iter().copied().find(|&u| {
                self.units
                    .get(u)
                    .and_then(|unit| unit.parent.as_deref())
                    .is_some_and(|p| fold(p).contains(&want))
            });
            if found.is_some() {
                return found;
            }
        }
        self.lookup_key(&key)
    }

    /// True when unit `other` has a parent that differs from `parent` (both given): then a
    /// shared written name is a scoped alias, not a conflict.
    fn other_scope(&self, other: usize, parent: Option<&str>) -> bool {
        let theirs = self.units.get(other).and_then(|u| u.parent.as_deref());
        match (theirs, parent) {
            (Some(a), Some(b)) => fold(a) != fold(b),
            _ => false,
        }
    }

    fn lookup_key(&self, key: &str) -> Option<usize> {
        if key.is_empty() {
            return None;
        }
        self.registered.get(key).copied()
    }

    /// `wanted`, or `wanted-2`, `wanted-3`, … if taken; records the result as taken.
    fn unique_slug(&mut self, wanted: &str) -> String {
        let mut slug = wanted.to_string();
        let mut n = 2;
        while self.slugs.contains(&slug) {
            slug = format!("{wanted}-{n}");
            n += 1;
        }
        self.slugs.insert(slug.clone());
        slug
    }

    /// Rewrites each parent written as a registered name or alias to that unit's canonical name.
    fn canonical_parents(&mut self) {
        let names: Vec<Option<String>> = self
            .units
            .iter()
            .map(|u| {
                let p = u.parent.as_deref()?;
                let idx = self.lookup(p)?;
                self.units.get(idx).map(|parent| parent.name.clone())
            })
            .collect();
        for (unit, name) in self.units.iter_mut().zip(names) {
            if name.is_some() {
                unit.parent = name;
            }
        }
    }

    /// Rejoins consecutive pieces whose joined text is a registered name ("Sở Lao động,
    /// Thương binh và Xã hội"), longest first; such parts are never split again.
    fn merge_registered(&self, text: &str, pieces: &[Piece]) -> Vec<Part> {
        let mut parts = Vec::new();
        let mut i = 0;
        while let Some(first) = pieces.get(i) {
            let mut taken = 1;
            let mut registered = false;
            if !self.registered.is_empty() {
                let last = (i + MAX_MERGE).min(pieces.len());
                for j in (i..last).rev() {
                    let end = pieces.get(j).map_or(first.end, |p| p.end);
                    let span = text.get(first.start..end).unwrap_or("");
                    // "Các Sở: Nội vụ" is a list head plus an item, not the unit "Sở Nội vụ".
                    let plain = span.len() <= MAX_NAME_BYTES && !span.contains(':');
                    if plain && self.lookup(span).is_some() {
                        taken = j - i + 1;
                        registered = true;
                        break;
                    }
                }
            }
            let end = pieces.get(i + taken - 1).map_or(first.end, |p| p.end);
            parts.push(Part {
                start: first.start,
                end,
                sep: first.sep,
                registered,
            });
            i += taken;
        }
        parts
    }
}

/// Validates a level, defaulting to `khac`.
fn checked_level(
    index: usize,
    level: Option<&str>,
    problems: &mut Vec<RegistryProblem>,
) -> UnitLevel {
    let Some(level) = level.map(str::trim).filter(|l| !l.is_empty()) else {
        return UnitLevel::Khac;
    };
    if let Some(known) = UnitLevel::from_code(level) {
        return known;
    }
    problems.push(RegistryProblem::UnknownLevel {
        index,
        level: level.to_string(),
    });
    UnitLevel::Khac
}

/// The written slug if safe, else the name's slug (reporting the bad one).
fn checked_slug(
    index: usize,
    slug: Option<&str>,
    name: &str,
    problems: &mut Vec<RegistryProblem>,
) -> String {
    match slug.map(str::trim) {
        Some(s) if is_safe_slug(s) => s.to_string(),
        Some(s) => {
            problems.push(RegistryProblem::BadSlug {
                index,
                slug: s.to_string(),
            });
            slugify(name)
        }
        None => slugify(name),
    }
}
