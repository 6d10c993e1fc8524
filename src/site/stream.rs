//! A build's tasks and bodies, a batch of documents at a time, each source text dropped after
//! its last use.
//!
//! Takes the parsed documents (slugs and numbers settled), the registry as loaded and the one
//! resolution adds to, and what bodies link with; gives every document's tasks (drafted in
//! parallel, resolved in order, as `site::resolve_batches` does), its body rendered lean (only
//! what assembly reads of it; on a small site the rest is kept for pages and search,
//! `site::lean::KeptBodies`) and the hash of its text (`site::BodySources` checks a file
//! against it when it renders the body again). Once a batch is done its documents' texts are
//! dropped, except those `progress` still reads (a `progress:` list, a results table), so a
//! build never holds every text beside every task (at 100,000 documents, 807 MB of text next
//! to 920 MB of tasks).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics};
use crate::extract::draft::{body_tasks, drafts, Draft};
use crate::extract::resolve::{collect_tasks, Resolver};
use crate::extract::units::UnitRegistry;
use crate::link::body::{lean_context_hash, render_body, BodySource, RenderedBody};
use crate::link::cite::Citations;
use crate::model::{DocBody, DocType, Task};
use crate::parse::document::ParsedDoc;

use super::cache::text_hash;
use super::lean::KeptBodies;
use super::RESOLVE_BATCH;

/// What bodies are rendered with, besides the documents.
pub(super) struct LinkInputs<'a> {
    pub cite: Citations<'a>,
    pub assets: &'a BTreeSet<PathBuf>,
    pub config: &'a SiteConfig,
}

/// The build cache on disk, and the `units.yaml` hash that keys its drafts.
#[derive(Clone, Copy)]
pub(super) struct Reuse<'a> {
    pub cache: &'a super::BuildCache,
    pub units: u64,
}

impl<'a> Reuse<'a> {
    pub fn new(cache: &'a super::BuildCache, units_yaml: Option<&crate::load::SourceFile>) -> Self {
        Reuse {
            cache,
            units: super::units_hash(units_yaml),
        }
    }
}

/// Every document's tasks, lean body and text hash, in document order.
pub(super) struct Streamed {
    pub tasks: Vec<Task>,
    pub doc_tasks: Vec<Vec<usize>>,
    pub rendered: Vec<(Arc<RenderedBody>, Vec<Diagnostic>)>,
    pub hashes: Vec<u64>,
    /// The bodies rendered here, kept whole for pages and search on a small site.
    pub kept: KeptBodies,
}

/// Drafts against `as_loaded` (the registry before resolution added any unit, as every draft
/// saw it when all were made first), resolves into `registry`, renders the bodies; then drops
/// each text progress does not read. With `reuse`, drafts and lean bodies come from the cache
/// when their keys match and go into it when they are made; the bodies rendered here go into
/// `kept` as far as it takes them.
pub(super) fn extract_and_render(
    docs: &mut [ParsedDoc],
    (as_loaded, registry): (&UnitRegistry, &mut UnitRegistry),
    today: Date,
    link: &LinkInputs,
    (reuse, kept): (Option<Reuse>, KeptBodies),
    diags: &Diagnostics,
) -> Streamed {
    let slugs: BTreeMap<PathBuf, String> = docs
        .iter()
        .map(|d| (d.source.path.clone(), d.slug.clone()))
        .collect();
    let maker = BodyMaker {
        lean_ctx: reuse.map_or(0, |_| lean_context_hash(&slugs, link.assets, link.config)),
        slugs: &slugs,
        link,
        reuse,
        keep: kept.wanted(),
    };
    let mut out = Streamed {
        tasks: Vec::new(),
        doc_tasks: Vec::with_capacity(docs.len()),
        rendered: Vec::with_capacity(docs.len()),
        hashes: Vec::with_capacity(docs.len()),
        kept,
    };
    let mut resolver = Resolver::new(registry);
    let draft = |batch: &[ParsedDoc]| -> Vec<Vec<Draft>> {
        batch
            .par_iter()
            .map(|d| {
                let make = || drafts(d, body_tasks(d, as_loaded), as_loaded);
                match reuse {
                    Some(r) => r.cache.drafts(d, r.units, make),
                    None => make(),
                }
            })
            .collect()
    };
    let mut drafted = draft(&docs[..RESOLVE_BATCH.min(docs.len())]);
    for start in (0..docs.len()).step_by(RESOLVE_BATCH) {
        let end = (start + RESOLVE_BATCH).min(docs.len());
        let next = end..(end + RESOLVE_BATCH).min(docs.len());
        reserve_projected(&mut out.tasks, start, docs.len());
        let all: &[ParsedDoc] = docs;
        let batch = &all[start..end];
        // Resolution is sequential (ids in order); while it runs on this thread, the other
        // cores render this batch's bodies and draft the next batch.
        let resolve = || {
            let mut found = Vec::with_capacity(batch.len());
            for (k, (doc, drafts)) in batch.iter().zip(std::mem::take(&mut drafted)).enumerate() {
                let first = out.tasks.len();
                collect_tasks(
                    start + k,
                    doc,
                    drafts,
                    &mut resolver,
                    today,
                    &mut out.tasks,
                    diags,
                );
                found.push((first..out.tasks.len()).collect());
            }
            found
        };
        let render = || {
            let bodies: Vec<Made> = (start..end)
                .into_par_iter()
                .map(|id| maker.make(all, id))
                .collect();
            (bodies, draft(&all[next.clone()]))
        };
        let (found, (bodies, next_drafted)): (Vec<Vec<usize>>, _) = rayon::join(resolve, render);
        drafted = next_drafted;
        out.doc_tasks.extend(found);
        for (body, hash, shown) in bodies {
            out.rendered.push(body);
            out.hashes.push(hash);
            out.kept.push(shown);
        }
        for (d, tasks) in docs[start..end].iter_mut().zip(&out.doc_tasks[start..end]) {
            if !progress_reads(d, !tasks.is_empty()) {
                d.source.text = "".into();
            }
        }
    }
    out
}

/// What a build takes of one document's body: the lean body and its warnings, the hash of
/// the document's text, and the whole body when it is to be kept.
type Made = ((Arc<RenderedBody>, Vec<Diagnostic>), u64, Option<DocBody>);

/// How each document's body is made during assembly.
struct BodyMaker<'a> {
    slugs: &'a BTreeMap<PathBuf, String>,
    link: &'a LinkInputs<'a>,
    reuse: Option<Reuse<'a>>,
    /// What the cache keys lean bodies with (0 without a cache).
    lean_ctx: u64,
    /// Whether whole bodies are handed over for [`KeptBodies`].
    keep: bool,
}

impl BodyMaker<'_> {
    /// Document `id` of `all`: its lean body from the cache when the cache has it, else
    /// rendered here (and then its whole body too, if kept).
    fn make(&self, all: &[ParsedDoc], id: usize) -> Made {
        let d = &all[id];
        // A body the cache gave is lean already: only one made here can be kept.
        let mut made = false;
        let mut make = || {
            made = true;
            let link = self.link;
            let (body, ds) = render_body(
                id,
                &BodySource::of(d),
                &link.cite,
                all,
                self.slugs,
                link.assets,
                link.config,
            );
            (body.with_mentions(), ds)
        };
        let (body, ds) = match self.reuse {
            Some(r) => r.cache.lean_body(d, self.lean_ctx, make),
            None => make(),
        };
        let (lean, shown) = body.split();
        let shown = (made && self.keep).then_some(shown);
        ((Arc::new(lean), ds), text_hash(&d.source.text), shown)
    }
}

/// Grows `tasks` once, early, to what the documents drafted so far (`done` of `total`)
/// project, plus a little, rather than doubling as it fills: the doubling that passes a
/// million tasks copies ~400 MB into a new ~800 MB block while the old one is still held.
/// Capacity never changes the output, and pages reserved but never filled are not resident.
fn reserve_projected(tasks: &mut Vec<Task>, done: usize, total: usize) {
    let next = tasks.len() * RESOLVE_BATCH / done.max(1);
    if done == 0 || tasks.len() + next <= tasks.capacity() {
        return;
    }
    let projected = tasks.len() * total / done;
    let projected = projected + projected / 16;
    tasks.reserve_exact(projected.saturating_sub(tasks.len()));
}

/// Whether `progress::apply` may read this document's text: a `progress:` list in its front
/// matter (`progress::front_matter`), or a table in its body that may report on a plan
/// (`progress::table`, which leaves out a plan's own task tables). Errs on keeping.
fn progress_reads(d: &ParsedDoc, has_tasks: bool) -> bool {
    d.source.text.contains("progress:")
        || d.body().contains('|') && !(d.doc_type == DocType::KeHoach && has_tasks)
}
