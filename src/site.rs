//! Assembly: loaded files → one [`Site`], ready to render.
//!
//! The stages, in order (each timed under `CCHC_TIMINGS`): parse (parallel) → dedupe slugs and
//! map numbers → draft tasks (parallel, `extract::draft`) → resolve units
//! (`extract::resolve`) → render bodies with links (parallel, `link::body`) → citations and
//! duties (`link`). Every stage reports into the same [`Diagnostics`], so one run lists every
//! problem. `serve` passes an [`AssembleCache`] so unchanged documents are not redone.

mod cache;
pub mod index_memo;
mod last_output;
mod lean;
mod persist;
mod resolved;
pub mod shape;
mod stream;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

use crate::config::{normalize_base_url, parse_config, SiteConfig};
use crate::diag::{Diagnostic, Diagnostics};
use crate::extract::draft::{body_tasks, drafts, Draft};
use crate::extract::resolve::{collect_tasks, load_units, Resolver};
use crate::extract::units::UnitRegistry;
use crate::link::body::{link_context_hash, render_body, BodySource, RenderedBody};
use crate::link::cite::{link_citations, number_map, Citations, DocStamp, Mentions};
use crate::link::duties::{duties, report_unregistered};
use crate::link::numbers::number_key;
use crate::link::paths::asset_out;
use crate::load::{load, Loaded, SourceFile};
use crate::model::{DocBody, DocMeta, Document, Site, StaticFile, Task};
use crate::parse::document::{parse_document, ParsedDoc};

pub use cache::{bytes_hash, fold_word, fold_words, text_hash, AssembleCache, HASH_SEED};
use cache::{BodyMemo, Memo, ParseMemo, TextHashes};
pub use last_output::{Carry, LastOutput, Recorded};
pub use lean::BodySources;
use lean::KeptBodies;
pub use persist::{BuildCache, CacheUpdate, DEFAULT_DIR as DEFAULT_CACHE_DIR};
use resolved::DocDrafts;

/// What the caller controls about assembly.
#[derive(Debug, Clone, Default)]
pub struct AssembleOptions {
    pub today: Option<Date>,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// A lean assembly keeps no body for pages and search, even on a site small enough to
    /// (`site::BodySources`): each is rendered again from its file, as on a large site.
    pub rerender_bodies: bool,
}

/// Builds the site model from the files under `root`. Always returns a site, possibly empty;
/// problems are in `diags` and the caller decides whether to write.
pub fn assemble(root: &Path, opts: &AssembleOptions, diags: &Diagnostics) -> Site {
    let loaded = crate::timed("load", || load(root, diags));
    assemble_loaded(loaded, opts, diags)
}

/// Same as [`assemble`] from files already in memory (used by tests and fuzzing).
pub fn assemble_loaded(loaded: Loaded, opts: &AssembleOptions, diags: &Diagnostics) -> Site {
    assemble_with(loaded, opts, diags, None, false, None).0
}

/// Like [`assemble`] for a build, which needs each body only while its page and search entry
/// are made: the site's bodies are left empty (only what assembly reads of them is kept) and
/// the returned [`BodySources`] renders each again from its file when asked.
pub fn assemble_lean(
    root: &Path,
    opts: &AssembleOptions,
    diags: &Diagnostics,
) -> (Site, BodySources) {
    assemble_lean_cached(root, opts, diags, None)
}

/// [`assemble_lean`] reusing what `cache` (the build cache on disk) holds of each unchanged
/// document, and recording what it makes for [`BuildCache::stage`].
pub fn assemble_lean_cached(
    root: &Path,
    opts: &AssembleOptions,
    diags: &Diagnostics,
    cache: Option<&BuildCache>,
) -> (Site, BodySources) {
    let loaded = crate::timed("load", || match cache {
        Some(c) => crate::load::load_known(root, diags, &|p, t| c.known_text(p, t)),
        None => load(root, diags),
    });
    let (site, sources) = assemble_with(loaded, opts, diags, None, true, cache);
    (site, sources.unwrap_or_default())
}

/// Like [`assemble_loaded`], reusing and refreshing `cache` (see [`AssembleCache`]).
pub fn assemble_incremental(
    loaded: Loaded,
    opts: &AssembleOptions,
    diags: &Diagnostics,
    cache: &mut AssembleCache,
) -> Site {
    assemble_with(loaded, opts, diags, Some(cache), false, None).0
}

/// Assembly; `lean` drops each body once assembly has read it and returns how to render
/// it again; `persist` (a lean build's cache on disk) gives and keeps per-document results.
fn assemble_with(
    loaded: Loaded,
    opts: &AssembleOptions,
    diags: &Diagnostics,
    mut cache: Option<&mut AssembleCache>,
    lean: bool,
    persist: Option<&BuildCache>,
) -> (Site, Option<BodySources>) {
    let config = site_config(&loaded, opts, diags);
    let today = opts.today.or(config.today).unwrap_or_else(system_today);
    let mut registry = load_units(loaded.units_yaml.as_ref(), diags);
    // Text hashes key the cache; a plain build has none and skips hashing every document.
    let hashes = match cache.as_deref_mut() {
        Some(c) => c.hash_documents(&loaded.documents),
        None => TextHashes::default(),
    };
    let docs = crate::timed("parse", || {
        let memo = (cache.as_deref_mut().map(|c| &mut c.parsed), persist);
        parse_all(loaded.documents, opts.drafts, diags, &hashes, memo)
    });
    let (mut docs, numbers) = crate::timed("dedupe+numbers", || {
        let docs = dedupe(docs, diags);
        let numbers = number_map(&docs, diags);
        (docs, numbers)
    });
    let units_yaml = loaded.units_yaml.as_ref();
    let assets: BTreeSet<PathBuf> = loaded.assets.iter().cloned().collect();
    let stamps: Vec<DocStamp> = docs.iter().map(|d| (d.date, d.home_province())).collect();
    let (tasks, documents, sources) = if lean && cache.is_none() {
        // A build: tasks and bodies a batch at a time, each text dropped after its last use.
        let as_loaded = load_units(units_yaml, &Diagnostics::new());
        let link = stream::LinkInputs {
            cite: Citations {
                numbers: &numbers,
                stamps: &stamps,
            },
            assets: &assets,
            config: &config,
        };
        let reuse = persist.map(|cache| stream::Reuse::new(cache, units_yaml));
        let s = crate::timed("extract+units+deadlines+markdown", || {
            let registries = (&as_loaded, &mut registry);
            let kept = KeptBodies::for_site(docs.len(), !opts.rerender_bodies);
            let bodies = (reuse, kept);
            stream::extract_and_render(&mut docs, registries, today, &link, bodies, diags)
        });
        let sources =
            BodySources::new(&loaded.root, &docs, s.hashes, &stamps, &assets).keeping(s.kept);
        let documents = take_documents(&mut docs, s.rendered, s.doc_tasks, diags);
        (s.tasks, documents, Some(sources))
    } else {
        let kept = KeptInputs {
            docs: &docs,
            units_yaml,
            hashes: &hashes,
            today,
            numbers: &numbers,
            stamps: &stamps,
            assets: &assets,
            config: &config,
        };
        let (tasks, documents) =
            tasks_and_bodies_kept(&kept, cache.as_deref_mut(), &mut registry, lean, diags);
        let sources = lean.then(|| {
            let hashes = docs.iter().map(|d| text_hash(&d.source.text)).collect();
            BodySources::new(&loaded.root, &docs, hashes, &stamps, &assets)
        });
        (tasks, documents, sources)
    };
    let (documents, bodies, found) = unzip3(documents);
    let mut site = Site {
        config,
        today,
        documents,
        bodies,
        tasks,
        units: registry.units().to_vec(),
        duties: Vec::new(),
        static_files: static_files(&loaded.assets),
        numbers,
        progress: Default::default(),
        plan_ends: Vec::new(),
    };
    finish_site(
        &mut site,
        &docs,
        &stamps,
        &found,
        &registry,
        &loaded.root,
        diags,
    );
    if let Some(c) = cache {
        c.registry = Some(registry);
    }
    (site, sources)
}

/// The stages that read the whole site once its documents and tasks exist: plan period ends,
/// citations and unit duties, report progress, and the unregistered-unit warnings.
fn finish_site(
    site: &mut Site,
    docs: &[ParsedDoc],
    stamps: &[DocStamp],
    found: &[Mentions],
    registry: &UnitRegistry,
    root: &Path,
    diags: &Diagnostics,
) {
    // Filled once the tasks exist; every calendar entry of a repeating task asks for it.
    site.plan_ends = (0..site.documents.len())
        .map(|d| site.plan_period_end(d))
        .collect();
    crate::timed("citations+duties", || {
        link_citations(site, stamps, found);
        site.duties = duties(site);
    });
    // progress (issue 17): reports, results tables and sheets → task histories and states.
    crate::timed("progress", || {
        crate::progress::apply(site, docs, root, diags)
    });
    crate::timed("unregistered", || {
        report_unregistered(site, registry, diags)
    });
}

/// What the kept path (serve, tests) reads to draft tasks and render bodies.
struct KeptInputs<'a> {
    docs: &'a [ParsedDoc],
    units_yaml: Option<&'a SourceFile>,
    hashes: &'a TextHashes,
    today: Date,
    numbers: &'a BTreeMap<String, Vec<crate::model::DocId>>,
    stamps: &'a [DocStamp],
    assets: &'a BTreeSet<PathBuf>,
    config: &'a SiteConfig,
}

/// Tasks, then every body, for assembly that keeps its bodies (or reuses `cache`): the
/// whole site at once rather than a batch at a time.
fn tasks_and_bodies_kept(
    k: &KeptInputs,
    mut cache: Option<&mut AssembleCache>,
    registry: &mut UnitRegistry,
    lean: bool,
    diags: &Diagnostics,
) -> (Vec<Task>, Vec<(Document, DocBody, Mentions)>) {
    let extract = TaskInputs {
        docs: k.docs,
        units_yaml: k.units_yaml,
        hashes: k.hashes,
        today: k.today,
    };
    let (tasks, doc_tasks) = extract_all(&extract, cache.as_deref_mut(), registry, diags);
    let documents = crate::timed("markdown", || {
        let link_ctx = cache
            .is_some()
            .then(|| link_context_hash(k.docs, k.numbers, k.stamps, k.assets, k.config));
        let inputs = BodyInputs {
            docs: k.docs,
            cite: Citations {
                numbers: k.numbers,
                stamps: k.stamps,
            },
            assets: k.assets,
            config: k.config,
            hashes: k.hashes,
            link_ctx: link_ctx.unwrap_or(0),
            lean,
        };
        let bodies = cache.map(|c| &mut c.bodies);
        documents(&inputs, bodies, doc_tasks, diags)
    });
    (tasks, documents)
}

/// What every draft is keyed by besides its document's text: the `units.yaml` it was drafted
/// against (0 when there is none).
fn units_hash(units_yaml: Option<&SourceFile>) -> u64 {
    units_yaml.map_or(0, |f| text_hash(&f.text))
}

/// What drafting and resolving the tasks reads besides the registry.
struct TaskInputs<'a> {
    docs: &'a [ParsedDoc],
    units_yaml: Option<&'a SourceFile>,
    hashes: &'a TextHashes,
    today: Date,
}

/// Every document's tasks, drafted and resolved into `registry`: through the cache's draft
/// memo when there is one (`serve`), else a batch of documents at a time (a build).
fn extract_all(
    inputs: &TaskInputs,
    cache: Option<&mut AssembleCache>,
    registry: &mut UnitRegistry,
    diags: &Diagnostics,
) -> (Vec<Task>, Vec<Vec<usize>>) {
    let TaskInputs {
        docs,
        units_yaml,
        hashes,
        today,
    } = *inputs;
    match cache {
        Some(c) => {
            let units_hash = units_hash(units_yaml);
            let reg: &UnitRegistry = registry;
            let drafts: Vec<Arc<DocDrafts>> = crate::timed("extract", || {
                Memo::run(
                    Some(&mut c.drafts),
                    docs.iter().collect(),
                    |d| {
                        let path = d.source.path.clone();
                        let key = (hashes.of(&path), units_hash);
                        (path, key)
                    },
                    |d| DocDrafts::new(drafts(d, body_tasks(d, reg), reg)),
                )
            });
            crate::timed("units+deadlines", || {
                let context = resolved::Context { units_hash, today };
                c.resolved.resolve(docs, &drafts, context, registry, diags)
            })
        }
        None => {
            // Drafting reads the registry as loaded; resolving adds units to `registry`.
            let as_loaded = load_units(units_yaml, &Diagnostics::new());
            crate::timed("extract+units+deadlines", || {
                draft_and_resolve(docs, &as_loaded, registry, today, diags)
            })
        }
    }
}

/// Three vectors from a vector of triples.
fn unzip3<A, B, C>(items: Vec<(A, B, C)>) -> (Vec<A>, Vec<B>, Vec<C>) {
    let n = items.len();
    let mut out = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (a, b, c) in items {
        out.0.push(a);
        out.1.push(b);
        out.2.push(c);
    }
    out
}

/// `site.yaml`, with the caller's base URL over the configured one.
fn site_config(loaded: &Loaded, opts: &AssembleOptions, diags: &Diagnostics) -> SiteConfig {
    let mut config = loaded
        .site_yaml
        .as_ref()
        .map(|f| parse_config(&f.path, &f.text, diags))
        .unwrap_or_default();
    if let Some(b) = &opts.base_url {
        config.base_url = normalize_base_url(b);
    }
    config
}

/// Content files copied unchanged, mirrored under `tep/`.
fn static_files(assets: &[PathBuf]) -> Vec<StaticFile> {
    assets
        .iter()
        .map(|a| StaticFile {
            source: PathBuf::from("content").join(a),
            out: asset_out(a),
        })
        .collect()
}

/// Documents drafted (in parallel) and resolved (in order) this many at a time when nothing
/// is cached, so only one batch's drafts are held, not every document's (~1.3 GB at 100,000
/// documents).
pub(crate) const RESOLVE_BATCH: usize = 1024;

/// [`resolve_units`] over drafts made a batch at a time against `as_loaded` (the registry
/// before resolution added any unit, as every draft saw it when all were made first).
fn draft_and_resolve(
    docs: &[ParsedDoc],
    as_loaded: &UnitRegistry,
    registry: &mut UnitRegistry,
    today: Date,
    diags: &Diagnostics,
) -> (Vec<Task>, Vec<Vec<usize>>) {
    use rayon::prelude::*;
    let mut resolver = Resolver::new(registry);
    resolve_batches(docs, RESOLVE_BATCH, &mut resolver, today, diags, |batch| {
        batch
            .par_iter()
            .map(|d| drafts(d, body_tasks(d, as_loaded), as_loaded))
            .collect()
    })
}

/// Every document's tasks with their units resolved, in document order, and each document's
/// task ids: `docs` resolved in order, `size` at a time, with the drafts `drafts_of` gives
/// for each batch. Sequential: resolving registers unknown units, whose ids must not depend
/// on threads.
fn resolve_batches(
    docs: &[ParsedDoc],
    size: usize,
    resolver: &mut Resolver,
    today: Date,
    diags: &Diagnostics,
    mut drafts_of: impl FnMut(&[ParsedDoc]) -> Vec<Vec<Draft>>,
) -> (Vec<Task>, Vec<Vec<usize>>) {
    let mut tasks = Vec::new();
    let mut doc_tasks = Vec::with_capacity(docs.len());
    for (b, batch) in docs.chunks(size).enumerate() {
        for (k, (doc, drafts)) in batch.iter().zip(drafts_of(batch)).enumerate() {
            let start = tasks.len();
            let doc_id = b * size + k;
            collect_tasks(doc_id, doc, drafts, resolver, today, &mut tasks, diags);
            doc_tasks.push((start..tasks.len()).collect());
        }
    }
    (tasks, doc_tasks)
}

/// What rendering the bodies reads besides each document itself.
struct BodyInputs<'a> {
    docs: &'a [ParsedDoc],
    cite: Citations<'a>,
    assets: &'a BTreeSet<PathBuf>,
    config: &'a SiteConfig,
    hashes: &'a TextHashes,
    /// What a body depends on beyond its own text (0 without a cache).
    link_ctx: u64,
    /// Keep only what assembly reads of a body (headings and HTML are made again at page time).
    lean: bool,
}

/// The site's documents: each parsed document with its body rendered and its task ids, the
/// part of the body only its page shows (empty when `lean`), and the numbers its body mentions.
fn documents(
    inputs: &BodyInputs,
    memo: Option<&mut BodyMemo>,
    doc_tasks: Vec<Vec<usize>>,
    diags: &Diagnostics,
) -> Vec<(Document, DocBody, Mentions)> {
    let docs = inputs.docs;
    let slugs: BTreeMap<PathBuf, String> = docs
        .iter()
        .map(|d| (d.source.path.clone(), d.slug.clone()))
        .collect();
    let rendered = Memo::run(
        memo,
        docs.iter().enumerate().collect(),
        |(_, d)| {
            let path = d.source.path.clone();
            let key = (inputs.hashes.of(&path), inputs.link_ctx);
            (path, key)
        },
        |(id, d)| {
            let (body, ds) = render_body(
                id,
                &BodySource::of(d),
                &inputs.cite,
                docs,
                &slugs,
                inputs.assets,
                inputs.config,
            );
            let body = body.with_mentions();
            // A lean build keeps only what assembly reads, one document at a time, so the
            // bodies are never all held.
            let body = if inputs.lean { body.lean() } else { body };
            (Arc::new(body), ds)
        },
    );
    make_documents(docs, rendered, doc_tasks, diags)
}

/// The site's documents from the parsed ones, their rendered bodies and their task ids; the
/// parsed documents keep their metadata (serve and tests parse again from them).
fn make_documents(
    docs: &[ParsedDoc],
    rendered: Vec<(Arc<RenderedBody>, Vec<Diagnostic>)>,
    doc_tasks: Vec<Vec<usize>>,
    diags: &Diagnostics,
) -> Vec<(Document, DocBody, Mentions)> {
    use rayon::prelude::*;
    docs.par_iter()
        .zip(rendered)
        .zip(doc_tasks)
        .map(|((d, (body, ds)), t)| {
            diags.extend(ds);
            make_document(d, d.meta.clone(), unshare(body), t)
        })
        .collect()
}

/// Like [`make_documents`] for a build: each document's metadata moves out of its parsed
/// document rather than being copied (at 100,000 documents, both copies were ~380 MB). The
/// parsed documents keep only their source, body offset, dates, type and draft flag, which is
/// all that the stages after this one (progress) read of them.
fn take_documents(
    docs: &mut [ParsedDoc],
    rendered: Vec<(Arc<RenderedBody>, Vec<Diagnostic>)>,
    doc_tasks: Vec<Vec<usize>>,
    diags: &Diagnostics,
) -> Vec<(Document, DocBody, Mentions)> {
    use rayon::prelude::*;
    docs.par_iter_mut()
        .zip(rendered)
        .zip(doc_tasks)
        .map(|((d, (body, ds)), t)| {
            diags.extend(ds);
            let meta = take_meta(d);
            make_document(d, meta, unshare(body), t)
        })
        .collect()
}

/// A body moved out of its `Arc` when unshared (no cache), copied otherwise.
fn unshare(body: Arc<RenderedBody>) -> RenderedBody {
    Arc::try_unwrap(body).unwrap_or_else(|shared| (*shared).clone())
}

/// `d`'s metadata, with its province read from the issuer when not written (as a
/// [`Document`] holds it); `d` keeps only the fields that are `Copy` (dates, type, draft).
fn take_meta(d: &mut ParsedDoc) -> DocMeta {
    let province = d.home_province();
    let m = &d.meta;
    let shell = DocMeta {
        slug: String::new(),
        title: String::new(),
        doc_type: m.doc_type,
        number: None,
        issuer: None,
        date: m.date,
        year: m.year,
        signer: None,
        refs: Vec::new(),
        areas: Vec::new(),
        summary: None,
        draft: m.draft,
        province: None,
        original: None,
    };
    DocMeta {
        province,
        ..std::mem::replace(&mut d.meta, shell)
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

/// Parses every document (reusing `memo`'s results, `serve`'s, or `persist`'s, a build's on
/// disk, for unchanged texts), drops drafts unless asked for, and sorts them into listing order.
fn parse_all(
    files: Vec<SourceFile>,
    drafts: bool,
    diags: &Diagnostics,
    hashes: &TextHashes,
    (memo, persist): (Option<&mut ParseMemo>, Option<&BuildCache>),
) -> Vec<ParsedDoc> {
    let parsed = match persist {
        Some(p) => {
            use rayon::prelude::*;
            files.into_par_iter().map(|f| p.parse(f)).collect()
        }
        None => Memo::run(
            memo,
            files,
            |f| (f.path.clone(), hashes.of(&f.path)),
            parse_document,
        ),
    };
    let mut docs: Vec<ParsedDoc> = parsed
        .into_iter()
        .filter_map(|(doc, ds)| {
            diags.extend(ds);
            doc
        })
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

/// The site's view of one parsed document (its metadata `meta`, whose province
/// [`ParsedDoc::home_province`] fills), with its rendered body, its tasks and the numbers its
/// body mentions.
fn make_document(
    d: &ParsedDoc,
    mut meta: DocMeta,
    body: RenderedBody,
    tasks: Vec<usize>,
) -> (Document, DocBody, Mentions) {
    let number_key = meta.number.as_deref().and_then(number_key);
    if meta.province.is_none() {
        meta.province = d.home_province();
    }
    let doc = Document {
        source: d.source.path.clone(),
        meta,
        number_key,
        tasks,
        cites: Vec::new(),
        cited_by: Vec::new(),
        external_refs: Vec::new(),
    };
    let (lean, page) = body.split();
    (doc, page, lean.mentions)
}

/// Rough bytes the model's largest parts hold (struct sizes plus string and list
/// capacities, without allocator overhead), printed under `CCHC_TIMINGS` to show what to
/// shrink next.
pub fn model_bytes(site: &Site) -> String {
    use crate::model::{Deadline, Shared};
    let s = |x: &str| x.len();
    let o = |x: &Option<Box<str>>| x.as_deref().map_or(0, str::len);
    // A shared string counts once, however many tasks hold it.
    let mut seen = std::collections::HashSet::new();
    let mut shared =
        |x: Option<&Shared>| x.filter(|x| seen.insert(x.as_ptr())).map_or(0, |x| x.len());
    let mut heap = 0;
    for t in &site.tasks {
        let d: &Deadline = &t.due;
        heap += (t.lead.len() + t.support.len()) * size_of::<usize>()
            + t.history.len() * size_of::<crate::progress::Entry>()
            + s(&t.text)
            + o(&t.note)
            + o(&d.note)
            + d.parts.len() * size_of::<Deadline>();
        for x in [&t.label, &t.anchor, &d.text] {
            heap += shared(Some(x));
        }
        for x in [&t.group, &t.product, &t.budget, &d.rrule] {
            heap += shared(x.as_ref());
        }
    }
    let text: usize = site.tasks.iter().map(|t| s(&t.text)).sum();
    let plain: usize = site.bodies.iter().map(|b| s(&b.plain_text)).sum();
    let html: usize = site.bodies.iter().map(|b| s(&b.html)).sum();
    let mb = |b: usize| b >> 20;
    format!(
        "tasks: {} × {} B = {} MB, heap {} MB (text {} MB); plain text {} MB; body html {} MB",
        site.tasks.len(),
        size_of::<Task>(),
        mb(site.tasks.len() * size_of::<Task>()),
        mb(heap),
        mb(text),
        mb(plain),
        mb(html)
    )
}
