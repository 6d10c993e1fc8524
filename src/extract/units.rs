//! The units registry and unit matching: takes the entries of `content/units.yaml` and the unit
//! names written in task cells, and returns stable unit indices.
//!
//! Plans write one unit many ways ("Sở Nội vụ", "Giám đốc Sở Nội vụ", OCR "S& Noi vu", "SNV")
//! and put several units in one cell ("Các Sở: Tư pháp, Tài chính"). A portal that splits one
//! unit into several pages, or merges two, shows citizens the wrong commitments, so matching
//! works on a *match key* ([`match_key`]): folded text with the head's title removed and common
//! abbreviations expanded, and splitting never cuts a registered name or a name such as
//! "Sở Thông tin và Truyền thông" at its "và".

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::text::{fold, is_safe_slug, nfc, slugify};

// An explicit path, so the tests resolve the same whether this file is mounted as
// `extract/units.rs` or through a `#[path]` attribute.
#[cfg(test)]
#[path = "units/tests.rs"]
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

/// A unit as the rest of the pipeline sees it: registered, or added because a document named it.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// Canonical name (registered) or the cleaned written name (unregistered).
    pub name: String,
    /// Unique, path-safe slug.
    pub slug: String,
    /// `tinh | huyen | xa | trung-uong | khac`.
    pub level: String,
    /// Parent's canonical name when the parent is registered, else as written.
    pub parent: Option<String>,
    /// Aliases from the registry (empty for unregistered units).
    pub aliases: Vec<String>,
    /// False for units found only in documents; `cchc check` lists them.
    pub registered: bool,
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

/// The levels a unit may have.
const LEVELS: [&str; 5] = ["tinh", "huyen", "xa", "trung-uong", "khac"];

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
    registered: HashMap<String, usize>,
    /// Compact match key of every unregistered unit added by `resolve`.
    added: HashMap<String, usize>,
    /// Keys written for several units with different parents (the same "Sở Nội vụ" in two
    /// provinces): every owner, so [`UnitRegistry::lookup_scoped`] can pick by province.
    shared: HashMap<String, Vec<usize>>,
    /// Spaced match keys of registered names and aliases, for `nearest`.
    spaced: Vec<(usize, String)>,
    slugs: HashSet<String>,
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
        let mut seen = HashSet::new();
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
            level: "khac".to_string(),
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
fn checked_level(index: usize, level: Option<&str>, problems: &mut Vec<RegistryProblem>) -> String {
    let Some(level) = level.map(str::trim).filter(|l| !l.is_empty()) else {
        return "khac".to_string();
    };
    if LEVELS.contains(&level) {
        return level.to_string();
    }
    problems.push(RegistryProblem::UnknownLevel {
        index,
        level: level.to_string(),
    });
    "khac".to_string()
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

// ---------------------------------------------------------------------------------------------
// Match keys
// ---------------------------------------------------------------------------------------------

/// The match key of a written unit name: folded (case, diacritics, punctuation, spacing), list
/// markers and "(chủ trì)"/"có liên quan" removed, a leading "các" and the head's title removed
/// ("Giám đốc Sở Nội vụ" → "so noi vu", "Chánh Văn phòng" → "van phong", "Trưởng ban" → "ban"),
/// common abbreviations expanded ("UBND" → "uy ban nhan dan", "VP" → "van phong", "TT&TT" →
/// "thong tin truyen thong"), a few OCR slips repaired ("S& Noi vu" → "so noi vu") and every
/// "và" dropped, so "Thông tin và Truyền thông" = "TT&TT".
///
/// A trailing "tỉnh" is kept: "Văn phòng UBND tỉnh" and "Văn phòng UBND" may be different
/// offices, and registries list the short form as an alias when it is meant.
pub fn match_key(written: &str) -> String {
    key_tokens(&clean_name(written), true).join(" ")
}

/// The lookup form of a spaced key: spacing is ignored entirely ("SởNội vụ" = "Sở Nội vụ").
fn compact(spaced: &str) -> String {
    spaced.chars().filter(|c| *c != ' ').collect()
}

/// Folded, normalised tokens of a cleaned name; `strip_cac` drops a leading "các" (plural).
fn key_tokens(cleaned: &str, strip_cac: bool) -> Vec<String> {
    let folded = fold(cleaned);
    let mut tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    let skip = leading_noise(&tokens, strip_cac);
    if skip < tokens.len() {
        tokens.drain(..skip);
    }
    let fixed = ocr_fix(&tokens);
    let expanded = expand_abbreviations(&fixed);
    normalise_collectives(expanded)
}

/// Number of leading tokens that are a head's title (or a plural "các" when asked), which the
/// unit itself stands for.
fn leading_noise(tokens: &[&str], strip_cac: bool) -> usize {
    let mut skip = 0;
    // Each round removes at least one token, so this ends.
    loop {
        let rest = tokens.get(skip..).unwrap_or(&[]);
        let n = if strip_cac && rest.first().is_some_and(|t| is_cac(t)) && rest.len() > 1 {
            1
        } else {
            title_len(rest)
        };
        if n == 0 || n >= rest.len() {
            return skip;
        }
        skip += n;
    }
}

/// Length of the head's title at the start of `t` ("giam doc", "thu truong", "chu tich", …),
/// 0 if there is none. Tolerates the OCR slips seen in the seeds ("Giam dbc", "Cht tich").
fn title_len(t: &[&str]) -> usize {
    if t.first() == Some(&"pho") {
        let inner = base_title_len(t.get(1..).unwrap_or(&[]));
        return if inner > 0 { 1 + inner } else { 0 };
    }
    base_title_len(t)
}

/// [`title_len`] without the "Phó" (deputy) prefix.
fn base_title_len(t: &[&str]) -> usize {
    let at = |i: usize| t.get(i).copied().unwrap_or("");
    let w0 = at(0);
    let w1 = at(1);
    let is_doc = |w: &str| w.len() == 3 && w.starts_with('d');
    match w0 {
        "giam" if is_doc(w1) => 2,
        "tong" if at(1) == "giam" && is_doc(at(2)) => 3,
        "thu" if w1 == "truong" => 2,
        "bi" if w1 == "thu" => 2,
        "hieu" | "cuc" | "vien" if w1 == "truong" => 2,
        "chi" if w1 == "cuc" && at(2) == "truong" => 3,
        "chi" if w1 == "huy" && at(2) == "truong" => 3,
        "lanh" if w1 == "dao" => 2,
        "chanh" | "chenh" if matches!(w1, "van" | "vin" | "viin" | "vian" | "thanh") => 1,
        "truong" if matches!(w1, "ban" | "phong" | "cong" | "doan") => 1,
        _ if w0.starts_with("ch") && w0.len() <= 4 && w1 == "tich" => 2,
        _ => 0,
    }
}

/// Repairs OCR slips that would otherwise split one unit into several pages: the word "Sở"
/// read as "S&", "Sé", "S6"…, "Nội vụ" as "Nji vu", "Văn" as "Vin", "cấp" as "cép", "tâm" as
/// "tdm".
fn ocr_fix(tokens: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    for (i, tok) in tokens.iter().enumerate() {
        let prev = i
            .checked_sub(1)
            .and_then(|p| out.get(p))
            .map(String::as_str);
        let next = tokens.get(i + 1).copied().unwrap_or("");
        let fixed = match *tok {
            t if i == 0 && is_so_ocr(t) && !next.is_empty() => "so",
            "t6" if i == 0 => "to",
            t if prev == Some("so") && is_vu(next) && t.starts_with('n') && t.len() <= 3 => "noi",
            t if prev == Some("noi") && is_vu(t) => "vu",
            "tw" if next == "phap" => "tu",
            "vin" | "viin" | "vian" | "vdn" if next == "phong" => "van",
            t if is_cap(t) && matches!(next, "huyen" | "xa" | "tinh" | "huyn") => "cap",
            t if prev == Some("trung")
                && t.len() <= 4
                && t.starts_with('t')
                && t.ends_with('m') =>
            {
                "tam"
            }
            t => t,
        };
        out.push(fixed.to_string());
    }
    out
}

/// "các" (plural) and its OCR forms ("céc", "cdc", "Céac"), but not "cục".
fn is_cac(t: &str) -> bool {
    (3..=4).contains(&t.len()) && t.starts_with('c') && t.ends_with('c') && t != "cuc"
}

/// "Sở" as OCR leaves it (the `&`, `@` of "S&", "S@" fold away).
fn is_so_ocr(t: &str) -> bool {
    matches!(t, "so" | "s" | "se" | "s6" | "sc" | "s0")
}

fn is_vu(t: &str) -> bool {
    matches!(t, "vu" | "vy")
}

/// "cấp" and its OCR forms ("cép", "cip", "cdp", "c4p").
fn is_cap(t: &str) -> bool {
    t.len() == 3 && t.starts_with('c') && t.ends_with('p')
}

/// Abbreviations expanded to the words they stand for (folded, without "và"); multi-token
/// forms come from "TT&TT", "KH&ĐT" and the like, which fold to two tokens.
const ABBREVIATIONS: &[(&[&str], &str)] = &[
    (&["ubnd"], "uy ban nhan dan"),
    (&["hdnd"], "hoi dong nhan dan"),
    (&["vp"], "van phong"),
    (&["vpub"], "van phong uy ban nhan dan"),
    (&["ubmttq"], "uy ban mat tran to quoc"),
    (&["ubmtttq"], "uy ban mat tran to quoc"),
    (&["mttq"], "mat tran to quoc"),
    (&["bhxh"], "bao hiem xa hoi"),
    (&["bcd"], "ban chi dao"),
    (&["tt", "tt"], "thong tin truyen thong"),
    (&["tttt"], "thong tin truyen thong"),
    (&["pt", "th"], "phat thanh truyen hinh"),
    (&["ptth"], "phat thanh truyen hinh"),
    (&["kh", "dt"], "ke hoach dau tu"),
    (&["khdt"], "ke hoach dau tu"),
    (&["tn", "mt"], "tai nguyen moi truong"),
    (&["tnmt"], "tai nguyen moi truong"),
    (&["kh", "cn"], "khoa hoc cong nghe"),
    (&["khcn"], "khoa hoc cong nghe"),
    (&["gd", "dt"], "giao duc dao tao"),
    (&["gddt"], "giao duc dao tao"),
    (&["ldtb", "xh"], "lao dong thuong binh xa hoi"),
    (&["ldtbxh"], "lao dong thuong binh xa hoi"),
    (&["nn", "ptnt"], "nong nghiep phat trien nong thon"),
    (&["nnptnt"], "nong nghiep phat trien nong thon"),
    (&["gtvt"], "giao thong van tai"),
    (&["vh", "tt", "dl"], "van hoa the thao du lich"),
    (&["vhttdl"], "van hoa the thao du lich"),
    (&["snv"], "so noi vu"),
    (&["stp"], "so tu phap"),
    (&["stc"], "so tai chinh"),
    (&["skhdt"], "so ke hoach dau tu"),
    (&["skh", "dt"], "so ke hoach dau tu"),
    (&["stttt"], "so thong tin truyen thong"),
    (&["stt", "tt"], "so thong tin truyen thong"),
    (&["cntt"], "cong nghe thong tin"),
    (&["tthc"], "thu tuc hanh chinh"),
    (&["kstthc"], "kiem soat thu tuc hanh chinh"),
    (&["pvhcc"], "phuc vu hanh chinh cong"),
    (&["hcc"], "hanh chinh cong"),
];

/// Drops "và" and expands [`ABBREVIATIONS`], longest pattern first at each position.
fn expand_abbreviations(tokens: &[String]) -> Vec<String> {
    let words: Vec<&str> = tokens
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "va")
        .collect();
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let rest = words.get(i..).unwrap_or(&[]);
        let hit = ABBREVIATIONS
            .iter()
            .filter(|(pat, _)| rest.starts_with(pat))
            .max_by_key(|(pat, _)| pat.len());
        match hit {
            Some((pat, full)) => {
                out.extend(full.split(' ').map(str::to_string));
                i += pat.len();
            }
            None => {
                out.extend(rest.first().map(|w| w.to_string()));
                i += 1;
            }
        }
    }
    out
}

/// "sở, ngành" and "sở, ban, ngành" name the same group of departments.
fn normalise_collectives(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len() + 1);
    for tok in tokens {
        if tok == "nganh" && out.last().map(String::as_str) == Some("so") {
            out.push("ban".to_string());
        }
        out.push(tok);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Cleaning written names
// ---------------------------------------------------------------------------------------------

/// Cleans one written name for display and matching: single spaces, no list marker ("- ",
/// "+ ", "3.", "a)"), no trailing "(…)" such as "(chủ trì)", no trailing "có liên quan", no
/// trailing punctuation, no head's title ("Giám đốc Sở Tư pháp" → "Sở Tư pháp"), first
/// letter upper case.
pub(crate) fn clean_name(written: &str) -> String {
    let spaced = nfc(written)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut s = strip_markers(&spaced);
    s = strip_trailing(s);
    s = strip_title_words(&s);
    capitalise(&s)
}

/// Removes leading bullets and list numbering, keeping at least one word.
fn strip_markers(s: &str) -> String {
    let mut rest = s.trim();
    // A few rounds cover "- a) …"; the bound keeps pathological input linear.
    for _ in 0..6 {
        let trimmed = rest.trim_start_matches(['-', '+', '•', '*', '~', '–', '—', '·', '>', ' ']);
        let (first, tail) = trimmed.split_once(' ').unwrap_or((trimmed, ""));
        if is_enumerator(first) && !tail.trim().is_empty() {
            rest = tail;
        } else if trimmed.len() != rest.len() {
            rest = trimmed;
        } else {
            break;
        }
    }
    rest.to_string()
}

/// "3.", "1.2.", "a)", "đ)", "IV." — the numbering that starts list items and headings.
fn is_enumerator(w: &str) -> bool {
    if let Some(body) = w.strip_suffix(')') {
        return !body.is_empty() && body.chars().count() <= 2;
    }
    if let Some(body) = w.strip_suffix('.') {
        let digits = !body.is_empty() && body.chars().all(|c| c.is_ascii_digit() || c == '.');
        let roman = !body.is_empty() && body.len() <= 5 && body.chars().all(|c| "IVXL".contains(c));
        return digits || roman;
    }
    false
}

/// Removes trailing punctuation, a trailing parenthesised remark and "có liên quan", repeatedly.
fn strip_trailing(mut s: String) -> String {
    for _ in 0..6 {
        let before = s.len();
        let kept = s
            .trim_end_matches(['.', ',', ';', ':', '/', '-', '–', ' ', '\'', '"'])
            .len();
        s.truncate(kept);
        if s.ends_with(')') {
            if let Some(open) = s.rfind('(') {
                if open > 0 {
                    s.truncate(open);
                }
            }
        }
        s = strip_co_lien_quan(s);
        if s.len() == before {
            break;
        }
    }
    s
}

/// Drops a trailing "có liên quan" (OCR "c6 lién quan", "cd lién quan") if words remain.
fn strip_co_lien_quan(s: String) -> String {
    let mut parts = s.rsplitn(4, ' ');
    let (Some(quan), Some(lien), Some(co), Some(head)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return s;
    };
    let co = fold(co);
    if co.starts_with('c') && co.len() <= 3 && fold(lien) == "lien" && fold(quan) == "quan" {
        return head.to_string();
    }
    s
}

/// Removes the head's title from the written words ("Chánh Văn phòng UBND tỉnh" → "Văn phòng
/// UBND tỉnh"), using the same rules as the match key.
fn strip_title_words(s: &str) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let refs: Vec<&str> = folded.iter().map(String::as_str).collect();
    let skip = leading_noise(&refs, false);
    words.get(skip..).unwrap_or(&[]).join(" ")
}

/// Upper-cases the first letter ("các sở, ban, ngành" → "Các sở, ban, ngành").
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Does a text look like a unit?
// ---------------------------------------------------------------------------------------------

/// A word sequence that starts a unit's name, with the following words that make it something
/// else ("Báo cáo" is a report, "Ban hành" a verb) and the accented spellings of its first word
/// that are other words ("Số", "Sổ" are not "Sở").
struct Head {
    words: &'static [&'static str],
    not_next: &'static [&'static str],
    other_spellings: &'static [&'static str],
}

const fn head(words: &'static [&'static str]) -> Head {
    Head {
        words,
        not_next: &[],
        other_spellings: &[],
    }
}

const HEADS: &[Head] = &[
    head(&["uy", "ban"]),
    head(&["hoi", "dong"]),
    head(&["van", "phong"]),
    head(&["cong", "an"]),
    head(&["bo", "chi", "huy"]),
    head(&["bo", "phan"]),
    head(&["bao", "hiem", "xa", "hoi"]),
    head(&["kho", "bac"]),
    head(&["chi", "cuc"]),
    head(&["lien", "doan"]),
    head(&["mat", "tran"]),
    head(&["trung", "tam"]),
    head(&["tinh", "uy"]),
    head(&["huyen", "uy"]),
    head(&["thanh", "uy"]),
    head(&["dang", "uy"]),
    head(&["thuong", "truc"]),
    head(&["ngan", "hang"]),
    head(&["vien", "kiem", "sat"]),
    head(&["toa", "an"]),
    head(&["thanh", "vien"]),
    Head {
        words: &["dai"],
        not_next: &["han", "ngay"],
        other_spellings: &["dài", "dại", "đại"],
    },
    Head {
        words: &["bao"],
        not_next: &[
            "cao", "dam", "ve", "quan", "tri", "duong", "luu", "hanh", "mat", "ton",
        ],
        other_spellings: &["bảo", "bão", "bào", "bạo"],
    },
    Head {
        words: &["truong"],
        not_next: &["hop"],
        other_spellings: &["trưởng", "trương"],
    },
    Head {
        words: &["thanh", "tra"],
        not_next: &["kiem", "viec", "cong", "chuyen", "trach", "hanh", "cac"],
        other_spellings: &[],
    },
    Head {
        words: &["to"],
        not_next: &["chuc", "quoc"],
        other_spellings: &["tô", "tò", "tờ", "tớ", "tố", "tổng"],
    },
    Head {
        words: &["cuc"],
        not_next: &["bo"],
        other_spellings: &["cực", "cúc"],
    },
    Head {
        words: &["hoi"],
        not_next: &["thi", "nghi", "thao", "nhap", "dap"],
        other_spellings: &["hỏi", "hối", "hơi", "hợi", "hồi"],
    },
    Head {
        words: &["phong"],
        not_next: &["chong", "ngua", "hop", "tranh"],
        other_spellings: &["phóng"],
    },
    Head {
        words: &["ban"],
        not_next: &["hanh", "dau", "ngay", "dem", "giao", "ve", "than", "chat"],
        other_spellings: &["bàn", "bản", "bán", "bạn", "bận"],
    },
    Head {
        words: &["bo"],
        not_next: &["may", "ho", "chi", "tieu", "luat", "cau", "cong", "du"],
        other_spellings: &["bó", "bỏ", "bò", "bơ", "bở"],
    },
    Head {
        words: &["co", "quan"],
        not_next: &["chu", "phoi", "thuc", "tham"],
        other_spellings: &["có", "cố", "cổ", "cỏ", "cô"],
    },
    Head {
        words: &["don", "vi"],
        not_next: &["chu", "phoi", "thuc", "tham", "tinh"],
        other_spellings: &[],
    },
];

/// Words after "các" that make a plural group of units ("Các sở", "các cơ quan, đơn vị").
const COLLECTIVE: &[&str] = &[
    "so", "ban", "nganh", "co", "don", "dia", "huyen", "xa", "phuong", "thi", "thanh", "hoi",
    "doan", "to", "phong", "cuc", "trung", "uy",
];

/// Words that follow "Sở" in department names; only checked when "Sở" lost its diacritics
/// (OCR), where "so" may as well be "số" (number) or "sổ" (book).
const SO_NEXT: &[&str] = &[
    "noi", "tu", "ke", "tai", "cong", "nong", "giao", "xay", "thong", "lao", "van", "khoa", "y",
    "ngoai", "du", "dan", "quy", "ban", "nganh", "tt", "kh", "tn", "gd", "nn", "vh", "ldtb",
];

/// True when a cleaned text starts like a unit name (see [`HEADS`]), a plural group ("Các
/// sở, ban, ngành"), or "Sở …" / its OCR forms.
fn looks_like_unit(cleaned: &str) -> bool {
    let tokens = key_tokens(cleaned, false);
    let first_word = cleaned.split(' ').next().unwrap_or("").to_lowercase();
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    match t.first() {
        None => false,
        Some(c) if is_cac(c) => t
            .get(1)
            .is_some_and(|w| COLLECTIVE.contains(w) || is_so_ocr(w)),
        Some(&"so") => looks_like_so(&first_word, t.get(1).copied()),
        Some(_) => HEADS.iter().any(|h| head_matches(h, &t, &first_word)),
    }
}

/// "Sở" written with its diacritic is certain; plain or OCR "so" needs a department word next.
fn looks_like_so(first_word: &str, next: Option<&str>) -> bool {
    let Some(next) = next else { return false };
    if first_word.contains('ở') {
        return true;
    }
    let other = ["số", "sổ", "sớ", "sợ", "sờ", "sỡ", "sô"];
    if other.iter().any(|o| first_word.starts_with(o)) {
        return false;
    }
    SO_NEXT.contains(&next) || (next.starts_with('n') && next.len() <= 3)
}

fn head_matches(h: &Head, tokens: &[&str], first_word: &str) -> bool {
    if !tokens.starts_with(h.words) || tokens.len() <= h.words.len() {
        return false;
    }
    let next = tokens.get(h.words.len()).copied().unwrap_or("");
    if h.not_next.contains(&next) {
        return false;
    }
    !h.other_spellings.contains(&first_word)
}

// ---------------------------------------------------------------------------------------------
// Splitting a cell
// ---------------------------------------------------------------------------------------------

/// What stood before a piece of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    Start,
    Comma,
    /// ";": always a boundary between units, and the end of a "Các Sở:" list.
    Strong,
    /// A new bulleted line or `<br>`: a boundary, but "Các Sở:" items may follow one a line.
    Line,
    /// The word "và" (or OCR "va").
    And,
}

/// A byte range of the cell between separators.
#[derive(Debug, Clone, Copy)]
struct Piece {
    start: usize,
    end: usize,
    sep: Sep,
}

/// One or more pieces; `registered` when their joined text is a registered name.
#[derive(Debug, Clone, Copy)]
struct Part {
    start: usize,
    end: usize,
    sep: Sep,
    registered: bool,
}

/// Cuts the cell at ",", ";", "và", bulleted new lines and `<br>`, outside parentheses.
fn segment(text: &str) -> Vec<Piece> {
    let inside = paren_ranges(text);
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut sep = Sep::Start;
    let mut cursor = 0;
    let mut depth_idx = 0;
    while let Some(c) = text.get(cursor..).and_then(|r| r.chars().next()) {
        while inside.get(depth_idx).is_some_and(|r| r.1 <= cursor) {
            depth_idx += 1;
        }
        let in_paren = inside.get(depth_idx).is_some_and(|r| r.0 <= cursor);
        let found = if in_paren {
            None
        } else {
            separator_at(text, cursor, c)
        };
        match found {
            Some((kind, len)) => {
                pieces.push(Piece {
                    start,
                    end: cursor,
                    sep,
                });
                sep = kind;
                cursor += len;
                start = cursor;
            }
            None => cursor += c.len_utf8(),
        }
    }
    pieces.push(Piece {
        start,
        end: text.len(),
        sep,
    });
    pieces.retain(|p| {
        text.get(p.start..p.end)
            .is_some_and(|s| s.chars().any(char::is_alphanumeric))
    });
    pieces
}

/// The separator starting at byte `at` (whose char is `c`), with its length in bytes.
fn separator_at(text: &str, at: usize, c: char) -> Option<(Sep, usize)> {
    let rest = text.get(at..)?;
    match c {
        ',' => Some((Sep::Comma, 1)),
        ';' => Some((Sep::Strong, 1)),
        '<' => {
            let lower: String = rest.chars().take(6).collect::<String>().to_lowercase();
            ["<br>", "<br/>", "<br />"]
                .iter()
                .find(|t| lower.starts_with(*t))
                .map(|t| (Sep::Line, t.len()))
        }
        '\n' if starts_bullet_line(rest.get(1..)?) => Some((Sep::Line, 1)),
        c if c.is_whitespace() => {
            let after = rest.get(c.len_utf8()..)?;
            let word = ["và", "va", "Và", "Va"]
                .iter()
                .find(|w| after.starts_with(*w))?;
            let next = after.get(word.len()..)?.chars().next()?;
            next.is_whitespace()
                .then_some((Sep::And, c.len_utf8() + word.len() + next.len_utf8()))
        }
        _ => None,
    }
}

/// True when the text after a new line starts a bullet or is a blank line.
fn starts_bullet_line(after: &str) -> bool {
    after
        .trim_start_matches([' ', '\t', '\r'])
        .starts_with(['-', '+', '•', '*', '\n'])
}

/// Byte ranges inside matched parentheses, sorted, outermost pairs only; an unmatched "("
/// protects nothing, so it cannot stop all splitting.
fn paren_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut stack: Vec<usize> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '(' => stack.push(i),
            ')' => pairs.extend(stack.pop().map(|open| (open, i + 1))),
            _ => {}
        }
    }
    pairs.sort_unstable();
    // Pairs nest or are disjoint: keep each one not inside the last kept.
    let mut outer: Vec<(usize, usize)> = Vec::new();
    for pair in pairs {
        if outer.last().is_none_or(|last| pair.0 >= last.1) {
            outer.push(pair);
        }
    }
    outer
}

/// Turns the parts of a cell into written names (before cleaning). See [`UnitRegistry::split_names`].
fn assemble(reg: &UnitRegistry, text: &str, parts: &[Part]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut prefix: Option<String> = None;
    let mut last_end = 0;
    for part in parts {
        let raw = text.get(part.start..part.end).unwrap_or("");
        let piece = strip_label(&strip_markers(
            &raw.split_whitespace().collect::<Vec<_>>().join(" "),
        ));
        let gap = separator_text(text.get(last_end..part.start).unwrap_or(""));
        last_end = part.end;
        if part.sep == Sep::Strong || part.registered {
            prefix = None;
        }
        if part.registered {
            names.push(piece);
            continue;
        }
        if let Some((head, item)) = list_prefix(&piece) {
            if looks_like_unit(&clean_name(&item)) {
                names.push(item);
            } else if !item.is_empty() {
                names.push(format!("{head} {item}"));
            }
            prefix = Some(head);
            continue;
        }
        let Some(prev) = names.last_mut() else {
            // The first item after a bare "Các Sở:" line.
            match prefix.as_deref() {
                Some(head) if !looks_like_unit(&clean_name(&piece)) => {
                    names.push(format!("{head} {piece}"));
                }
                _ => names.push(piece),
            }
            continue;
        };
        match decide(reg, prev, &piece, part.sep, prefix.as_deref()) {
            Step::Join => {
                prev.push_str(&gap);
                prev.push_str(&piece);
            }
            Step::New(name, keep_prefix) => {
                if !keep_prefix {
                    prefix = None;
                }
                names.push(name);
            }
        }
    }
    names
}

/// The separator between two glued pieces, spaced as in running text (", ", " và ").
fn separator_text(gap: &str) -> String {
    let gap = gap.trim();
    match gap.chars().next() {
        None => " ".to_string(),
        Some(c) if c.is_alphabetic() => format!(" {gap} "),
        Some(_) => format!("{gap} "),
    }
}

/// Drops a label written before the names ("Đơn vị chủ trì: Sở Nội vụ" → "Sở Nội vụ").
fn strip_label(piece: &str) -> String {
    if let Some((left, right)) = piece.split_once(':') {
        let label = fold(left);
        // OCR mangles the middle of labels ("Co quan pl}éi hop"), rarely their last word.
        let ends = ["tri", "hop", "muu", "hien", "gia"];
        let short = label.split(' ').count() <= 6;
        if short && ends.iter().any(|l| label.ends_with(l)) && !right.trim().is_empty() {
            return right.trim().to_string();
        }
    }
    piece.to_string()
}

/// What to do with a piece that follows an earlier name.
enum Step {
    /// Glue it (with the separator as written) to the previous name.
    Join,
    /// Start a new name with this text; `true` keeps a "Các Sở:" list head for later items.
    New(String, bool),
}

/// The splitting rules, in order: collective lists continue ("sở, ban, ngành"); a "Các Sở:"
/// list lends its head to bare items; "cấp xã" after "UBND cấp huyện" lends "UBND"; a piece
/// that looks like a unit starts a new name; after ";" anything does; the rest is glued back.
fn decide(reg: &UnitRegistry, prev: &str, piece: &str, sep: Sep, prefix: Option<&str>) -> Step {
    let prev_tokens = key_tokens(&tail_words(prev, 8), false);
    let cur_tokens = key_tokens(piece, false);
    if continues_collective(&prev_tokens, &cur_tokens) {
        return Step::Join;
    }
    let looks = looks_like_unit(&clean_name(piece));
    if let Some(head) = prefix.filter(|_| !looks) {
        return match sep {
            Sep::And if !and_splits_items(reg, prev, head, piece) => Step::Join,
            _ => Step::New(format!("{head} {piece}"), true),
        };
    }
    if cur_tokens.first().is_some_and(|t| t == "cap") && sep != Sep::Strong {
        if let Some(stem) = cap_stem(prev) {
            return Step::New(format!("{stem} {piece}"), true);
        }
    }
    if !looks && sep == Sep::Comma && prev_tokens.first().is_some_and(|t| t == "so") {
        // "Sở Nội vụ, Tư pháp": a bare item is another Sở only if the registry says so, since
        // "Sở Văn hóa, Thể thao và Du lịch" is one Sở with a comma in its name.
        let item = format!("Sở {piece}");
        if prev.len() <= MAX_NAME_BYTES && reg.lookup(prev).is_some() && reg.lookup(&item).is_some()
        {
            return Step::New(item, false);
        }
    }
    let locality = sep == Sep::And && cur_tokens.first().is_some_and(|t| t == "huyen");
    if looks || locality || matches!(sep, Sep::Strong | Sep::Line) {
        Step::New(piece.to_string(), false)
    } else {
        Step::Join
    }
}

/// The last `n` words of `s`, so rules that look at the previous name stay linear however
/// long a glued name grows.
fn tail_words(s: &str, n: usize) -> String {
    let mut words: Vec<&str> = s.split_whitespace().rev().take(n).collect();
    words.reverse();
    words.join(" ")
}

/// Inside "Các Sở: …", "Tư pháp và Tài chính" is two items only when the registry knows both
/// and not the whole ("Tài nguyên và Môi trường" is one).
fn and_splits_items(reg: &UnitRegistry, prev: &str, head: &str, piece: &str) -> bool {
    if prev.len() > MAX_NAME_BYTES || piece.len() > MAX_NAME_BYTES {
        return false;
    }
    let whole = format!("{prev} và {piece}");
    !known_department(reg, &whole)
        && known_department(reg, prev)
        && known_department(reg, &format!("{head} {piece}"))
}

/// Department names every province has had (Decree 24/2014, 107/2020 and the 2025
/// mergers), so a list like "Các Sở: Tư pháp, Tài chính và Xây dựng" splits right even
/// before the site's registry names them.
const STANDARD_DEPARTMENTS: &[&str] = &[
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Nông nghiệp và Môi trường",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Văn hóa và Thể thao",
    "Sở Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Ngoại vụ",
    "Sở Dân tộc và Tôn giáo",
];

/// True when the registry knows the name or it is a standard department.
fn known_department(reg: &UnitRegistry, name: &str) -> bool {
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    if reg.lookup(name).is_some() {
        return true;
    }
    let keys = KEYS.get_or_init(|| {
        STANDARD_DEPARTMENTS
            .iter()
            .map(|d| compact(&match_key(d)))
            .collect()
    });
    let key = compact(&match_key(name));
    keys.contains(&key)
}

/// True when `cur` continues a comma list that names one group: "sở, ban, ngành",
/// "huyện, thị xã, thành phố", "cơ quan, đơn vị, địa phương".
fn continues_collective(prev: &[String], cur: &[String]) -> bool {
    let last = prev.last().map(String::as_str).unwrap_or("");
    let last2 = prev
        .len()
        .checked_sub(2)
        .and_then(|i| prev.get(i..))
        .map(|w| w.join(" "))
        .unwrap_or_default();
    let first = cur.first().map(String::as_str).unwrap_or("");
    let first2 = cur.get(..2).map(|w| w.join(" ")).unwrap_or_default();
    let departments = matches!(last, "so" | "s" | "ban") && matches!(first, "ban" | "nganh");
    let places = ["huyen", "xa", "phuong", "quan"];
    let places2 = ["thi xa", "thanh pho", "thi tran"];
    let districts = (places.contains(&last) || places2.contains(&last2.as_str()))
        && (places2.contains(&first2.as_str()) || matches!(first, "huyen" | "phuong" | "xa"));
    let orgs2 = ["co quan", "don vi", "dia phuong", "dja phuong", "to chuc"];
    let organisations =
        orgs2.contains(&last2.as_str()) && (orgs2.contains(&first2.as_str()) || first == "doanh");
    departments || districts || organisations
}

/// "UBND cấp huyện" → "UBND": the words before the last "cấp", when there are some.
fn cap_stem(prev: &str) -> Option<String> {
    if prev.len() > MAX_NAME_BYTES {
        return None;
    }
    let words: Vec<&str> = prev.split_whitespace().collect();
    let pos = words.iter().rposition(|w| is_cap(&fold(w)))?;
    (pos > 0).then(|| words.get(..pos).unwrap_or(&[]).join(" "))
}

/// "Các Sở: Tư pháp" → ("Sở", "Tư pháp"); also "Sở: Tư pháp" and "Các Ban: …". A label
/// before the colon ("Đơn vị chủ trì: …") is not a list head.
fn list_prefix(piece: &str) -> Option<(String, String)> {
    let (left, right) = piece.split_once(':')?;
    let tokens = key_tokens(left, false);
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let head = match t.as_slice() {
        [c, rest @ ..] if is_cac(c) => rest,
        one @ [_] => one,
        _ => return None,
    };
    let first = head.first().copied().unwrap_or("");
    let unit_head = is_so_ocr(first) || matches!(first, "ban" | "phong" | "cuc" | "bo" | "truong");
    if !unit_head || head.len() > 2 {
        return None;
    }
    let head_text = if head.len() == 1 && is_so_ocr(first) {
        "Sở".to_string()
    } else {
        let words: Vec<&str> = left.split_whitespace().collect();
        let skip = usize::from(t.first().is_some_and(|c| is_cac(c)));
        capitalise(&words.get(skip..).unwrap_or(&[]).join(" "))
    };
    Some((head_text, right.trim().to_string()))
}

/// "UBND và Đài Truyền thanh cấp huyện": a bare "UBND" takes the level the next name ends with.
fn complete_bare_heads(names: Vec<String>) -> Vec<String> {
    let mut out = names.clone();
    for (i, name) in names.iter().enumerate() {
        let tokens = key_tokens(name, false);
        if tokens != ["uy", "ban", "nhan", "dan"] {
            continue;
        }
        let Some(next) = names.get(i + 1) else {
            continue;
        };
        let words: Vec<&str> = next.split_whitespace().collect();
        let n = words.len();
        let level = words.get(n.saturating_sub(2)..).unwrap_or(&[]);
        if n >= 3 && level.first().is_some_and(|w| is_cap(&fold(w))) {
            if let Some(slot) = out.get_mut(i) {
                *slot = format!("{} {}", name.trim(), level.join(" "));
            }
        }
    }
    out
}

/// Levenshtein distance between two char slices (two rows, O(a·b) time).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}
