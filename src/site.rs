//! Assembly: loaded files → one [`Site`], ready to render.
//!
//! `load → parse (parallel) → extract tasks (parallel) → resolve units → link numbers →
//! render bodies (parallel) → Site`. Every stage reports into the same [`Diagnostics`], so
//! one run lists every problem.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::{normalize_base_url, parse_config, SiteConfig};
use crate::diag::{Diagnostic, Diagnostics, LineIndex};
use crate::extract::deadline::{parse_deadline, Deadline};
use crate::extract::tasks::{extract_tasks, RawTask, TaskForm};
use crate::extract::units::{UnitEntry, UnitRegistry};
use crate::link::numbers::{find_numbers, number_key};
use crate::load::{load, Loaded, SourceFile};
use crate::model::{
    pick_cited, task_state, DocStamp, Document, Site, StaticFile, Task, UnitDuties,
};
use crate::parse::document::{parse_document, ParsedDoc};
use crate::parse::front_matter::parse_yaml;
use crate::parse::markdown::{self, AutoLink, LinkTarget, MdContext};
use crate::text::slugify;

/// What the caller controls about assembly.
#[derive(Debug, Clone, Default)]
pub struct AssembleOptions {
    pub today: Option<Date>,
    pub drafts: bool,
    pub base_url: Option<String>,
}

/// Builds the site model from the files under `root`. Returns `None` only when nothing can be
/// built at all; otherwise errors are in `diags` and the caller decides.
pub fn assemble(root: &Path, opts: &AssembleOptions, diags: &Diagnostics) -> Site {
    let loaded = crate::timed("load", || load(root, diags));
    assemble_loaded(loaded, opts, diags)
}

/// Same as [`assemble`] from files already in memory (used by tests and fuzzing).
pub fn assemble_loaded(loaded: Loaded, opts: &AssembleOptions, diags: &Diagnostics) -> Site {
    assemble_with(loaded, opts, diags, None)
}

/// Per-document work kept between rebuilds by `serve`: a document whose text (and whose
/// context: the units registry, the other documents' numbers and slugs) did not change is
/// not parsed, extracted or rendered to HTML again.
#[derive(Default)]
pub struct AssembleCache {
    /// Source path → (text hash, parse result, its diagnostics).
    parsed: HashMap<PathBuf, (u64, Option<ParsedDoc>, Vec<Diagnostic>)>,
    /// Source path → (text hash, units.yaml hash, drafts).
    drafts: HashMap<PathBuf, (u64, u64, Vec<Draft>)>,
    /// Source path → (text hash, link-context hash, body HTML, its diagnostics).
    bodies: HashMap<PathBuf, (u64, u64, Arc<RenderedBody>, Vec<Diagnostic>)>,
    /// Source path → text hash, as of the last assembly.
    hashes: HashMap<PathBuf, u64>,
    /// Sources whose text changed (or that are new) in the last assembly.
    changed: Vec<PathBuf>,
}

impl AssembleCache {
    /// Sources whose text changed, or that appeared, in the last assembly.
    pub fn changed(&self) -> &[PathBuf] {
        &self.changed
    }
}

/// The body of a document as Markdown rendering gives it.
#[derive(Clone)]
struct RenderedBody {
    html: String,
    headings: Vec<crate::model::Heading>,
    plain_text: String,
}

/// Hash of a text, to notice edits (not a security boundary).
pub fn text_hash(s: &str) -> u64 {
    bytes_hash(s.as_bytes())
}

/// Hash of bytes, to notice edits: FNV-style over 8-byte words, several GB/s, which matters
/// when `serve` hashes every document of a large site on each save.
pub fn bytes_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w))
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 31)
}

/// Like [`assemble_loaded`], reusing and refreshing `cache` (see [`AssembleCache`]).
pub fn assemble_incremental(
    loaded: Loaded,
    opts: &AssembleOptions,
    diags: &Diagnostics,
    cache: &mut AssembleCache,
) -> Site {
    assemble_with(loaded, opts, diags, Some(cache))
}

fn assemble_with(
    loaded: Loaded,
    opts: &AssembleOptions,
    diags: &Diagnostics,
    mut cache: Option<&mut AssembleCache>,
) -> Site {
    let mut config = loaded
        .site_yaml
        .as_ref()
        .map(|f| parse_config(&f.path, &f.text, diags))
        .unwrap_or_default();
    if let Some(b) = &opts.base_url {
        config.base_url = normalize_base_url(b);
    }
    let today = opts.today.or(config.today).unwrap_or_else(system_today);
    let mut registry = load_units(loaded.units_yaml.as_ref(), diags);
    let units_hash = loaded.units_yaml.as_ref().map_or(0, |f| text_hash(&f.text));
    // Text hashes key the cache; a plain build has none and skips hashing every document.
    let hashes: HashMap<PathBuf, u64> = match cache {
        Some(_) => loaded
            .documents
            .par_iter()
            .map(|f| (f.path.clone(), text_hash(&f.text)))
            .collect(),
        None => HashMap::new(),
    };
    if let Some(c) = cache.as_deref_mut() {
        c.changed = hashes
            .iter()
            .filter(|(p, h)| c.hashes.get(*p) != Some(*h))
            .map(|(p, _)| p.clone())
            .collect();
        c.changed.sort();
        c.hashes.clone_from(&hashes);
    }
    let hash_of = |p: &Path| hashes.get(p).copied().unwrap_or(0);
    let docs = crate::timed("parse", || {
        parse_all(
            loaded.documents,
            opts.drafts,
            diags,
            &hashes,
            cache.as_deref_mut(),
        )
    });
    let (docs, numbers) = crate::timed("dedupe+numbers", || {
        let docs = dedupe(docs, diags);
        let numbers = number_map(&docs, diags);
        (docs, numbers)
    });
    let drafts: Vec<Vec<Draft>> = crate::timed("extract", || {
        let known = cache.as_deref().map(|c| &c.drafts);
        let out: Vec<Vec<Draft>> = docs
            .par_iter()
            .map(|d| {
                let h = hash_of(&d.source.path);
                match known.and_then(|k| k.get(&d.source.path)) {
                    Some((th, uh, ds)) if *th == h && *uh == units_hash => ds.clone(),
                    _ => drafts(d, body_tasks(d, &registry), &registry),
                }
            })
            .collect();
        if let Some(c) = cache.as_deref_mut() {
            let mut old = std::mem::take(&mut c.drafts);
            c.drafts = docs
                .iter()
                .zip(&out)
                .map(|(d, ds)| {
                    let h = hash_of(&d.source.path);
                    let entry = match old.remove(&d.source.path) {
                        Some(e) if e.0 == h && e.1 == units_hash => e,
                        _ => (h, units_hash, ds.clone()),
                    };
                    (d.source.path.clone(), entry)
                })
                .collect();
        }
        out
    });
    let mut tasks = Vec::new();
    let mut doc_tasks = Vec::with_capacity(docs.len());
    crate::timed("units+deadlines", || {
        let mut resolver = Resolver {
            registry: &mut registry,
            cache: Default::default(),
        };
        for (doc_id, (doc, drafts)) in docs.iter().zip(drafts).enumerate() {
            let start = tasks.len();
            collect_tasks(doc_id, doc, drafts, &mut resolver, today, &mut tasks, diags);
            doc_tasks.push((start..tasks.len()).collect::<Vec<_>>());
        }
    });
    let slugs: BTreeMap<PathBuf, String> = docs
        .iter()
        .map(|d| (d.source.path.clone(), d.slug.clone()))
        .collect();
    let assets: BTreeSet<PathBuf> = loaded.assets.iter().cloned().collect();
    let stamps: Vec<DocStamp> = docs.iter().map(|d| (d.date, doc_province(d))).collect();
    let cite = Citations {
        numbers: &numbers,
        stamps: &stamps,
    };
    let link_ctx = cache
        .is_some()
        .then(|| link_context_hash(&docs, &numbers, &stamps, &assets, &config));
    let documents: Vec<Document> = crate::timed("markdown", || {
        let known = cache.as_deref().map(|c| &c.bodies);
        let rendered: Vec<(Arc<RenderedBody>, Vec<Diagnostic>)> = docs
            .par_iter()
            .enumerate()
            .map(|(id, d)| {
                let h = hash_of(&d.source.path);
                match known.and_then(|k| k.get(&d.source.path)) {
                    Some((th, lh, body, ds)) if *th == h && Some(*lh) == link_ctx => {
                        (body.clone(), ds.clone())
                    }
                    _ => {
                        let (body, ds) = render_body(id, d, &cite, &docs, &slugs, &assets, &config);
                        (Arc::new(body), ds)
                    }
                }
            })
            .collect();
        if let Some(c) = cache {
            c.bodies = docs
                .iter()
                .zip(&rendered)
                .map(|(d, (body, ds))| {
                    let h = hash_of(&d.source.path);
                    (
                        d.source.path.clone(),
                        (h, link_ctx.unwrap_or(0), body.clone(), ds.clone()),
                    )
                })
                .collect();
        }
        docs.par_iter()
            .zip(rendered)
            .zip(doc_tasks)
            .map(|((d, (body, ds)), t)| {
                diags.extend(ds);
                // Unshared (no cache) the body moves into the document instead of being copied.
                let body = Arc::try_unwrap(body).unwrap_or_else(|shared| (*shared).clone());
                make_document(d, body, t)
            })
            .collect()
    });
    let mut site = Site {
        config,
        today,
        documents,
        tasks,
        units: registry.units().to_vec(),
        duties: Vec::new(),
        static_files: loaded
            .assets
            .iter()
            .map(|a| StaticFile {
                source: PathBuf::from("content").join(a),
                out: asset_out(a),
            })
            .collect(),
        numbers,
        progress: Default::default(),
    };
    crate::timed("citations+duties", || {
        link_citations(&mut site, &stamps);
        site.duties = duties(&site);
    });
    // progress (issue 17): reports, results tables and sheets → task histories and states.
    crate::timed("progress", || {
        crate::progress::apply(&mut site, &docs, &loaded.root, diags)
    });
    crate::timed("unregistered", || {
        report_unregistered(&site, &registry, diags)
    });
    site
}

/// Warns once per unregistered unit, at its first use, with the nearest registered names.
fn report_unregistered(site: &Site, registry: &UnitRegistry, diags: &Diagnostics) {
    for (i, u) in site.units.iter().enumerate() {
        let duty = &site.duties[i];
        let Some(&first) = duty.lead.first().or(duty.support.first()) else {
            continue;
        };
        if u.registered {
            continue;
        }
        let t = &site.tasks[first];
        let d = &site.documents[t.doc];
        let uses = duty.lead.len() + duty.support.len();
        let near: Vec<&str> = registry
            .nearest(&u.name, 3)
            .into_iter()
            .filter_map(|n| site.units.get(n))
            .map(|n| n.name.as_str())
            .collect();
        let hint = if near.is_empty() {
            "thêm đơn vị này vào `content/units.yaml`".to_string()
        } else {
            format!("có phải: {}? Thêm cách viết này vào `aliases` của đơn vị đúng trong `content/units.yaml`", near.join("; "))
        };
        diags.push(
            Diagnostic::warning(
                &d.source,
                t.line,
                1,
                format!(
                    "đơn vị chưa có trong danh mục `{}` ({uses} nhiệm vụ)",
                    u.name
                ),
            )
            .with_hint(hint),
        );
    }
}

/// Today's date in Vietnam, for builds without `--today`.
fn system_today() -> Date {
    jiff::Zoned::now()
        .with_time_zone(
            jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap_or(jiff::tz::TimeZone::UTC),
        )
        .date()
}

/// Output path of a content asset: mirrored under `tep/`.
pub fn asset_out(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("tep/{}", parts.join("/"))
}

fn load_units(file: Option<&SourceFile>, diags: &Diagnostics) -> UnitRegistry {
    let Some(file) = file else {
        return UnitRegistry::new(Vec::new()).0;
    };
    if file.text.trim().is_empty() {
        return UnitRegistry::new(Vec::new()).0;
    }
    let entries: Vec<UnitEntry> = match parse_yaml(&file.text) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::error(&file.path, e.line, e.col, e.message));
            return UnitRegistry::new(Vec::new()).0;
        }
    };
    let entry_lines = list_item_lines(&file.text);
    let (registry, problems) = UnitRegistry::new(entries);
    for p in problems {
        let line = entry_lines.get(p.index()).copied().unwrap_or(0);
        let d = Diagnostic::error(&file.path, line, 1, p.message());
        diags.push(d);
    }
    registry
}

/// 1-based line of each top-level `- ` item of a YAML list.
fn list_item_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- ") || *l == "-")
        .map(|(i, _)| i + 1)
        .collect()
}

fn parse_all(
    files: Vec<SourceFile>,
    drafts: bool,
    diags: &Diagnostics,
    hashes: &HashMap<PathBuf, u64>,
    cache: Option<&mut AssembleCache>,
) -> Vec<ParsedDoc> {
    let known = cache.as_deref().map(|c| &c.parsed);
    let results: Vec<(PathBuf, Option<ParsedDoc>, Vec<Diagnostic>)> = files
        .into_par_iter()
        .map(|f| {
            let h = hashes.get(&f.path).copied().unwrap_or(0);
            if let Some((th, doc, ds)) = known.and_then(|k| k.get(&f.path)) {
                if *th == h {
                    return (f.path, doc.clone(), ds.clone());
                }
            }
            let path = f.path.clone();
            let (doc, ds) = parse_document(f);
            (path, doc, ds)
        })
        .collect();
    if let Some(c) = cache {
        // Entries still current move over as they are; only new parses are copied in.
        let mut old = std::mem::take(&mut c.parsed);
        c.parsed = results
            .iter()
            .map(|(p, doc, ds)| {
                let h = hashes.get(p).copied().unwrap_or(0);
                let entry = match old.remove(p) {
                    Some(e) if e.0 == h => e,
                    _ => (h, doc.clone(), ds.clone()),
                };
                (p.clone(), entry)
            })
            .collect();
    }
    let parsed: Vec<Option<ParsedDoc>> = results
        .into_iter()
        .map(|(_, doc, ds)| {
            diags.extend(ds);
            doc
        })
        .collect();
    let mut docs: Vec<ParsedDoc> = parsed
        .into_iter()
        .flatten()
        .filter(|d| drafts || !d.draft)
        .collect();
    // Newest first; undated documents last; slug breaks ties so order never depends on the disk.
    docs.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    docs
}

/// Two documents may not share a slug (one page would overwrite the other).
fn dedupe(mut docs: Vec<ParsedDoc>, diags: &Diagnostics) -> Vec<ParsedDoc> {
    // Derived slugs repeat when numbers restart each year ("15/KH-UBND" of 2023 and 2024):
    // those get the year, then a counter. A slug the publisher chose is never changed.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| {
        (!docs[a].slug_explicit, &docs[a].source.path)
            .cmp(&(!docs[b].slug_explicit, &docs[b].source.path))
    });
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut dropped = BTreeSet::new();
    for i in order {
        let d = &mut docs[i];
        if let Some(first) = seen.get(&d.slug) {
            if d.slug_explicit {
                diags.push(
                    Diagnostic::error(
                        &d.source.path,
                        1,
                        1,
                        format!("trùng địa chỉ trang `{}` với `{}`", d.slug, first.display()),
                    )
                    .with_hint("đặt `slug:` khác cho một trong hai văn bản"),
                );
                dropped.insert(i);
                continue;
            }
            let base = match d.year {
                Some(y) if !d.slug.contains(&y.to_string()) => format!("{}-{y}", d.slug),
                _ => d.slug.clone(),
            };
            let mut slug = base.clone();
            let mut n = 2;
            while seen.contains_key(&slug) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            d.slug = slug;
        }
        seen.insert(d.slug.clone(), d.source.path.clone());
    }
    let mut i = 0;
    docs.retain(|_| {
        i += 1;
        !dropped.contains(&(i - 1))
    });
    docs
}

/// Number key → documents. Sharing a number is normal across years and issuers; the same
/// number on the same day from the same province is a likely copy and warns.
fn number_map(docs: &[ParsedDoc], diags: &Diagnostics) -> BTreeMap<String, Vec<usize>> {
    let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (id, d) in docs.iter().enumerate() {
        let Some(key) = d.number.as_deref().and_then(number_key) else {
            continue;
        };
        let owners = map.entry(key).or_default();
        let clash = owners.iter().copied().find(|&o| {
            let o = &docs[o];
            o.date == d.date && o.issuer == d.issuer
        });
        if let Some(o) = clash {
            diags.push(Diagnostic::warning(
                &d.source.path,
                1,
                1,
                format!(
                    "số hiệu `{}` trùng với `{}` (cùng cơ quan, cùng ngày)",
                    d.number.as_deref().unwrap_or(""),
                    docs[o].source.path.display()
                ),
            ));
        }
        owners.push(id);
    }
    map
}

/// The province a document belongs to: front matter `province`, else read from the issuer
/// ("UBND tỉnh Đồng Nai" → "Đồng Nai").
fn doc_province(d: &ParsedDoc) -> Option<String> {
    if let Some(p) = &d.province {
        return Some(p.clone());
    }
    let issuer = d.issuer.as_deref()?;
    let lower = issuer.to_lowercase();
    let idx = lower
        .find("tỉnh ")
        .map(|i| i + "tỉnh ".len())
        .or_else(|| lower.find("tinh ").map(|i| i + "tinh ".len()))?;
    issuer
        .get(idx..)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn body_tasks(doc: &ParsedDoc, registry: &UnitRegistry) -> Vec<(RawTask, usize)> {
    let names_unit = |t: &str| registry.names_unit(t);
    let body = doc.body();
    let index = LineIndex::new(&doc.source.text);
    extract_tasks(body, &names_unit)
        .into_iter()
        .map(|t| {
            let line = index.line(doc.body_offset + t.offset);
            (t, line)
        })
        .collect()
}

/// Resolves one written unit name, preferring the unit of the document's own province.
fn resolve_unit(registry: &mut UnitRegistry, written: &str, province: Option<&str>) -> usize {
    match registry.lookup_scoped(written, province) {
        Some(i) => i,
        None => registry.resolve(written),
    }
}

/// A task before its units are resolved: everything that can be worked out per document, in
/// parallel (name splitting, deadline reading), leaving only the registry lookups sequential.
#[derive(Clone)]
struct Draft {
    label: Option<String>,
    group: Option<String>,
    text: String,
    product: Option<String>,
    lead: Vec<String>,
    support: Vec<String>,
    due: Deadline,
    due_inherited: bool,
    budget: Option<String>,
    note: Option<String>,
    status: Option<crate::model::Status>,
    line: usize,
    form: &'static str,
}

/// [`UnitRegistry::split_names`], remembered per worker thread: the same few hundred cells
/// ("Sở Nội vụ", "UBND các huyện, thành phố") recur across thousands of documents.
fn split_names_cached(registry: &UnitRegistry, cell: &str) -> Vec<String> {
    /// Entries kept per thread before the memo starts over (bounds memory on odd corpora).
    const MAX_ENTRIES: usize = 50_000;
    thread_local! {
        static MEMO: std::cell::RefCell<(u64, std::collections::HashMap<String, Vec<String>>)> =
            Default::default();
    }
    MEMO.with(|memo| {
        let (generation, memo) = &mut *memo.borrow_mut();
        if *generation != registry.generation() {
            *generation = registry.generation();
            memo.clear();
        }
        if let Some(hit) = memo.get(cell) {
            return hit.clone();
        }
        let names = registry.split_names(cell);
        if memo.len() >= MAX_ENTRIES {
            memo.clear();
        }
        memo.insert(cell.to_string(), names.clone());
        names
    })
}

/// Front-matter tasks then body tasks of one document, as drafts.
fn drafts(doc: &ParsedDoc, raw: Vec<(RawTask, usize)>, registry: &UnitRegistry) -> Vec<Draft> {
    let split = |cells: &[String]| -> Vec<String> {
        cells
            .iter()
            .flat_map(|c| split_names_cached(registry, c))
            .collect()
    };
    let year = doc.year;
    let mut out: Vec<Draft> = doc
        .tasks
        .iter()
        .map(|t| Draft {
            label: t.id.clone(),
            group: t.group.clone(),
            text: t.text.clone(),
            product: t.product.clone(),
            lead: split(&t.lead),
            support: split(&t.support),
            due: parse_deadline(t.due.as_deref().unwrap_or(""), year),
            due_inherited: false,
            budget: t.budget.clone(),
            note: t.note.clone(),
            status: t.status,
            line: t.line,
            form: "front-matter",
        })
        .collect();
    out.extend(raw.into_iter().map(|(t, line)| Draft {
        label: t.id,
        group: t.group,
        text: t.text,
        product: t.product,
        lead: split(t.lead.as_slice()),
        support: split(t.support.as_slice()),
        due: parse_deadline(t.due.as_deref().unwrap_or(""), year),
        due_inherited: t.due_inherited,
        budget: t.budget,
        note: t.note,
        status: None,
        line,
        form: match t.form {
            TaskForm::Table => "table",
            TaskForm::Labelled => "labelled",
            TaskForm::UnitHeaded => "unit-headed",
        },
    }));
    qualify_labels(&mut out);
    out
}

/// Plans number items per group ("a", "b" under "1.", again under "2."): a label used twice
/// in one document gets its group's ordinal ("2.a"), so TT and anchors say which one.
fn qualify_labels(drafts: &mut [Draft]) {
    // "a)" and "3." as written become "a" and "3": the TT column and anchors need no punctuation.
    for d in drafts.iter_mut() {
        d.label = d
            .label
            .take()
            .map(|l| l.trim().trim_end_matches([')', '.']).to_string())
            .filter(|l| !l.is_empty());
    }
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for d in drafts.iter() {
        if let Some(l) = &d.label {
            *count.entry(l.clone()).or_default() += 1;
        }
    }
    let mut group_no = 0;
    let mut last_group: Option<String> = None;
    for d in drafts.iter_mut() {
        if d.group != last_group {
            group_no += 1;
            last_group = d.group.clone();
        }
        if let Some(l) = &d.label {
            if count.get(l).copied().unwrap_or(0) > 1 && d.group.is_some() {
                d.label = Some(format!("{group_no}.{l}"));
            }
        }
    }
}

/// Resolves written unit names with a cache (most names repeat across thousands of tasks).
struct Resolver<'a> {
    registry: &'a mut UnitRegistry,
    cache: std::collections::HashMap<(String, Option<String>), usize>,
}

impl Resolver<'_> {
    fn units(&mut self, names: &[String], province: Option<&str>) -> Vec<usize> {
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            let key = (name.clone(), province.map(str::to_string));
            let id = match self.cache.get(&key) {
                Some(&id) => id,
                None => {
                    let id = resolve_unit(self.registry, name, province);
                    self.cache.insert(key, id);
                    id
                }
            };
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}

fn collect_tasks(
    doc_id: usize,
    doc: &ParsedDoc,
    drafts: Vec<Draft>,
    resolver: &mut Resolver,
    today: Date,
    tasks: &mut Vec<Task>,
    diags: &Diagnostics,
) {
    let province = doc_province(doc);
    let mut anchors = BTreeSet::new();
    for (i, d) in drafts.into_iter().enumerate() {
        let lead = resolver.units(&d.lead, province.as_deref());
        let support = resolver.units(&d.support, province.as_deref());
        let label = d.label.unwrap_or_else(|| (i + 1).to_string());
        let anchor = unique_anchor(&label, &mut anchors);
        warn_no_lead(doc, d.line, &lead, diags);
        tasks.push(Task {
            doc: doc_id,
            label,
            anchor,
            group: d.group,
            text: d.text,
            product: d.product,
            lead,
            support,
            state: task_state(d.status, &d.due, today),
            due: d.due,
            due_inherited: d.due_inherited,
            budget: d.budget,
            note: d.note,
            status: d.status,
            line: d.line,
            form: d.form,
            history: Vec::new(),
            late: false,
        });
    }
}

fn warn_no_lead(doc: &ParsedDoc, line: usize, lead: &[usize], diags: &Diagnostics) {
    if lead.is_empty() {
        diags.push(
            Diagnostic::warning(
                &doc.source.path,
                line,
                1,
                "nhiệm vụ không có đơn vị chủ trì",
            )
            .with_hint("ghi đơn vị chủ trì (`lead:` hoặc cột/nhãn “Cơ quan chủ trì”)"),
        );
    }
}

/// `nv-` + slug of the label, made unique within the document.
fn unique_anchor(label: &str, used: &mut BTreeSet<String>) -> String {
    let base = format!("nv-{}", slugify(label));
    let mut anchor = base.clone();
    let mut n = 2;
    while !used.insert(anchor.clone()) {
        anchor = format!("{base}-{n}");
        n += 1;
    }
    anchor
}

/// A document's body as HTML, with warnings for its broken links. Depends on the document,
/// and on the others only through what [`link_context_hash`] covers.
fn render_body(
    id: usize,
    d: &ParsedDoc,
    cite: &Citations,
    docs: &[ParsedDoc],
    slugs: &BTreeMap<PathBuf, String>,
    assets: &BTreeSet<PathBuf>,
    config: &SiteConfig,
) -> (RenderedBody, Vec<Diagnostic>) {
    let dir = d
        .source
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let resolve = |dest: &str| resolve_link(dest, &dir, slugs, assets);
    let autolink = |text: &str| -> Vec<AutoLink> {
        find_numbers(text)
            .into_iter()
            .filter_map(|m| {
                let target = cite.resolve(&m.key, m.date, id)?;
                let t = docs.get(target)?;
                Some(AutoLink {
                    range: m.start..m.end,
                    href: format!("../{}/index.html", t.slug),
                    title: t.title.clone(),
                })
            })
            .collect()
    };
    let ctx = MdContext {
        allow_html: config.allow_html,
        resolve_link: &resolve,
        autolink: &autolink,
    };
    let rendered = markdown::render(d.body(), &ctx);
    let index = LineIndex::new(&d.source.text);
    let mut diags = Vec::new();
    for b in &rendered.broken_links {
        let (line, col) = index.line_col(&d.source.text, d.body_offset + b.offset);
        diags.push(Diagnostic::warning(
            &d.source.path,
            line,
            col,
            format!("{}: `{}`", b.message, b.dest),
        ));
    }
    let body = RenderedBody {
        html: rendered.html,
        headings: rendered.headings,
        plain_text: rendered.plain_text,
    };
    (body, diags)
}

/// Everything of the other documents that a body's rendering reads: their order, slugs,
/// titles, numbers, dates and provinces; the content files; whether raw HTML is allowed.
fn link_context_hash(
    docs: &[ParsedDoc],
    numbers: &BTreeMap<String, Vec<usize>>,
    stamps: &[DocStamp],
    assets: &BTreeSet<PathBuf>,
    config: &SiteConfig,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for d in docs {
        (&d.source.path, &d.slug, &d.title).hash(&mut h);
    }
    numbers.hash(&mut h);
    stamps.hash(&mut h);
    assets.hash(&mut h);
    config.allow_html.hash(&mut h);
    h.finish()
}

/// The site's view of one parsed document, with its rendered body and its tasks.
fn make_document(d: &ParsedDoc, body: RenderedBody, tasks: Vec<usize>) -> Document {
    let number_key = d.number.as_deref().and_then(number_key);
    let attachments = Vec::new();
    Document {
        source: d.source.path.clone(),
        slug: d.slug.clone(),
        title: d.title.clone(),
        doc_type: d.doc_type,
        number: d.number.clone(),
        number_key,
        issuer: d.issuer.clone(),
        date: d.date,
        year: d.year,
        signer: d.signer.clone(),
        refs: d.refs.clone(),
        areas: d.areas.clone(),
        summary: d.summary.clone(),
        draft: d.draft,
        province: doc_province(d),
        body_html: body.html,
        headings: body.headings,
        plain_text: body.plain_text,
        tasks,
        cites: Vec::new(),
        cited_by: Vec::new(),
        external_refs: Vec::new(),
        attachments,
    }
}

/// Resolves a link written in a body found in folder `dir` (relative to the site root):
/// `other.md#muc` → that document's page; a content file → its copy under `tep/`.
/// Links are relative to a document page (`van-ban/<slug>/`).
fn resolve_link(
    dest: &str,
    dir: &Path,
    slugs: &BTreeMap<PathBuf, String>,
    assets: &BTreeSet<PathBuf>,
) -> LinkTarget {
    if dest.is_empty()
        || dest.starts_with('#')
        || dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
        || dest.starts_with('/')
    {
        return LinkTarget::Keep;
    }
    let (path_part, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    let path_part = percent_decode(path_part);
    let joined = normalize_rel(&dir.join(&path_part));
    let Some(joined) = joined else {
        return LinkTarget::Broken("liên kết trỏ ra ngoài thư mục `content/`".into());
    };
    let suffix = anchor.map(|a| format!("#{a}")).unwrap_or_default();
    if path_part.ends_with(".md") {
        return match slugs.get(&joined) {
            Some(slug) => LinkTarget::Url(format!("../{slug}/index.html{suffix}")),
            None => LinkTarget::Broken("liên kết tới văn bản không tồn tại".into()),
        };
    }
    let in_content = joined
        .strip_prefix("content")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| joined.clone());
    if assets.contains(&in_content) {
        return LinkTarget::Url(format!("../../{}{suffix}", asset_out(&in_content)));
    }
    LinkTarget::Broken("liên kết tới tệp không tồn tại".into())
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves `.`/`..` lexically; `None` when the path climbs above its start.
fn normalize_rel(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            std::path::Component::CurDir => {}
            std::path::Component::Normal(n) => out.push(n),
            _ => return None,
        }
    }
    if !out.starts_with("content") {
        return None;
    }
    Some(out)
}

/// The site's numbers and what citations are matched against.
struct Citations<'a> {
    numbers: &'a BTreeMap<String, Vec<usize>>,
    stamps: &'a [DocStamp],
}

impl Citations<'_> {
    /// The document a citation of `key` (dated `date`, if written) from document `from` means;
    /// `None` when no document of the site has that number or it is `from` itself.
    fn resolve(&self, key: &str, date: Option<Date>, from: usize) -> Option<usize> {
        let candidates = self.numbers.get(key)?;
        let province = self.stamps.get(from).and_then(|s| s.1.as_deref());
        let others: Vec<usize> = candidates.iter().copied().filter(|&c| c != from).collect();
        pick_cited(self.stamps, &others, date, province)
    }

    fn known(&self, key: &str) -> bool {
        self.numbers.contains_key(key)
    }
}

/// Fills `cites`, `cited_by` and `external_refs` from `refs:` and numbers in bodies.
fn link_citations(site: &mut Site, stamps: &[DocStamp]) {
    let cite = Citations {
        numbers: &site.numbers,
        stamps,
    };
    let found: Vec<(Vec<usize>, Vec<String>)> = site
        .documents
        .par_iter()
        .enumerate()
        .map(|(id, d)| {
            let mut cites = Vec::new();
            let mut external: Vec<String> = Vec::new();
            let mut seen_ext = BTreeSet::new();
            let written = d.refs.iter().map(|r| (r.clone(), None)).chain(
                find_numbers(&d.plain_text)
                    .into_iter()
                    .map(|m| (m.raw, m.date)),
            );
            for (raw, date) in written {
                let Some(key) = number_key(&raw) else {
                    continue;
                };
                match cite.resolve(&key, date, id) {
                    Some(t) => {
                        if !cites.contains(&t) {
                            cites.push(t);
                        }
                    }
                    None if cite.known(&key) => {}
                    None => {
                        if seen_ext.insert(key) {
                            external.push(raw);
                        }
                    }
                }
            }
            (cites, external)
        })
        .collect();
    let mut cited_by = vec![Vec::new(); site.documents.len()];
    for (id, (cites, _)) in found.iter().enumerate() {
        for &t in cites {
            cited_by[t].push(id);
        }
    }
    for (d, ((cites, external), by)) in site
        .documents
        .iter_mut()
        .zip(found.into_iter().zip(cited_by))
    {
        d.cites = cites;
        d.external_refs = external;
        d.cited_by = by;
    }
}

fn duties(site: &Site) -> Vec<UnitDuties> {
    let mut out = vec![UnitDuties::default(); site.units.len()];
    for (id, t) in site.tasks.iter().enumerate() {
        for &u in &t.lead {
            if let Some(d) = out.get_mut(u) {
                d.lead.push(id);
            }
        }
        for &u in &t.support {
            if let Some(d) = out.get_mut(u) {
                if !t.lead.contains(&u) {
                    d.support.push(id);
                }
            }
        }
    }
    out
}
