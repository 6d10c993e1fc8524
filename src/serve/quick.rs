//! `serve`'s quick pass: the edited documents' own pages, made from the last published site
//! without assembling the whole site again.
//!
//! Takes the edited files' texts and the last good [`Site`] (with the units registry the
//! assembly ended with); for each edited document it parses, extracts and resolves that one
//! document, renders its body with the site's link context, patches the site in place (the
//! document's meta, body and tasks; new tasks are appended, so no other id moves) and renders
//! its page. Returns `None` for a document it cannot patch safely — a new, renamed or removed
//! document, a changed slug, a draft, a new unit, or any error — and the full pass that
//! always follows publishes that page instead. The patched site is only read for these pages
//! until the full pass replaces it, so what it leaves stale elsewhere (lists, counts, who
//! cites the document) is never shown. On the page itself, what the document reports about
//! tasks (its progress list) is as of the last full pass; when that changed, the full pass
//! publishes the page again and it reloads a second time.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use crate::diag::Diagnostics;
use crate::extract::draft::{body_tasks, drafts};
use crate::extract::resolve::{collect_tasks, Resolver};
use crate::extract::units::UnitRegistry;
use crate::link::body::{render_body, BodySource};
use crate::link::cite::{doc_citations, Citations, DocStamp};
use crate::load::SourceFile;
use crate::model::{DocMeta, Site, Task};
use crate::parse::document::{parse_document, ParsedDoc};
use crate::render::templates::Theme;

/// What a body's links are resolved against, taken from the site once per full pass (at
/// 10,000 documents, building these on each save would cost more than the page itself).
pub(crate) struct Links {
    by_source: HashMap<PathBuf, usize>,
    slugs: BTreeMap<PathBuf, String>,
    stamps: Vec<DocStamp>,
    assets: BTreeSet<PathBuf>,
}

impl Links {
    pub(crate) fn of(site: &Site) -> Links {
        let docs = &site.documents;
        Links {
            by_source: docs
                .iter()
                .enumerate()
                .map(|(i, d)| (d.source.clone(), i))
                .collect(),
            slugs: docs
                .iter()
                .map(|d| (d.source.clone(), d.slug.clone()))
                .collect(),
            stamps: docs.iter().map(|d| (d.date, d.province.clone())).collect(),
            assets: site
                .static_files
                .iter()
                .filter_map(|f| f.source.strip_prefix("content").ok().map(PathBuf::from))
                .collect(),
        }
    }
}

/// What the quick pass reads besides the edited files.
pub(crate) struct QuickInputs<'a> {
    pub site: &'a mut Site,
    pub links: &'a Links,
    pub theme: &'a Theme,
    /// The registry as `units.yaml` gives it (extraction reads only registered names).
    pub registered: &'a UnitRegistry,
    /// The registry as the last assembly left it (with the units documents added), so the
    /// edited document's units get the ids the site already gave them.
    pub resolved: &'a mut UnitRegistry,
    pub drafts: bool,
    /// The slug each source was parsed with last time, and whether it was written (see
    /// [`crate::site::AssembleCache::parsed_slug`]).
    pub parsed_slug: &'a dyn Fn(&std::path::Path) -> Option<(String, bool)>,
}

/// Pages (path, bytes) of the edited documents `files` that could be patched in.
pub(crate) fn quick_pages(mut inp: QuickInputs, files: Vec<SourceFile>) -> Vec<(String, Vec<u8>)> {
    let mut pages = Vec::new();
    for file in files {
        let Some(&id) = inp.links.by_source.get(&file.path) else {
            continue;
        };
        if let Some(page) = patch_one(&mut inp, id, file) {
            pages.push(page);
        }
    }
    pages
}

/// Patches document `id` of the site from its new text and renders its page.
fn patch_one(inp: &mut QuickInputs, id: usize, file: SourceFile) -> Option<(String, Vec<u8>)> {
    let site: &mut Site = inp.site;
    let resolved: &mut UnitRegistry = inp.resolved;
    let (doc, parse_diags) = parse_document(file);
    let mut doc = doc?;
    // Same parsed slug as last time: duplicates are told apart as they were, so the page
    // keeps the address the site gave it.
    let same_slug =
        (inp.parsed_slug)(&doc.source.path) == Some((doc.slug.clone(), doc.slug_explicit));
    if parse_diags.iter().any(|d| d.is_error()) || !same_slug || (doc.draft && !inp.drafts) {
        return None;
    }
    doc.slug.clone_from(&site.documents[id].slug);
    let diags = Diagnostics::new();
    let raw = body_tasks(&doc, inp.registered);
    let drafted = drafts(&doc, raw, inp.registered);
    let mut tasks = Vec::new();
    let units_before = site.units.len();
    {
        let mut resolver = Resolver::new(resolved);
        collect_tasks(
            id,
            &doc,
            drafted,
            &mut resolver,
            site.today,
            &mut tasks,
            &diags,
        );
    }
    let new_unit = tasks
        .iter()
        .any(|t| t.lead.iter().chain(&t.support).any(|&u| u >= units_before));
    if new_unit || diags.sorted().iter().any(|d| d.is_error()) {
        return None;
    }
    let (body, (cites, external)) = {
        let links = inp.links;
        let cite = Citations {
            numbers: &site.numbers,
            stamps: &links.stamps,
        };
        let docs = &site.documents;
        let config = &site.config;
        let body = render_body(
            id,
            &BodySource::of(&doc),
            &cite,
            docs.as_slice(),
            &links.slugs,
            &links.assets,
            config,
        )
        .0
        .with_mentions();
        let cited = doc_citations(&cite, id, &doc.refs, &body.mentions);
        (body, cited)
    };
    carry_history(site, id, &doc, &mut tasks);
    let start = site.tasks.len();
    site.tasks.extend(tasks);
    let meta = DocMeta {
        province: doc.home_province(),
        ..doc.meta.clone()
    };
    let d = &mut site.documents[id];
    d.meta = meta;
    d.tasks = (start..site.tasks.len()).collect();
    // Its own citations; who cites it is the other documents' business (the full pass).
    d.cites = cites;
    d.external_refs = external;
    site.bodies[id] = body.split().1;
    // The plan period reads the document's tasks: compute it afresh for the new ones.
    let saved = std::mem::take(&mut site.plan_ends);
    let end = site.plan_period_end(id);
    site.plan_ends = saved;
    site.plan_ends[id] = end;
    crate::render::pages::document_page(site, inp.theme, id, &site.bodies[id]).ok()
}

/// The new tasks of document `id` with their histories and states: a task keeps what other
/// documents and sheets reported of it while its anchor is the same; what this document says
/// of its own tasks (their `status:`) is read afresh, and the state follows from both, as
/// `progress::apply` would have it.
fn carry_history(site: &Site, id: usize, doc: &ParsedDoc, tasks: &mut [Task]) {
    let old_tasks: HashMap<&str, usize> = site.documents[id]
        .tasks
        .iter()
        .map(|&t| (&*site.tasks[t].anchor, t))
        .collect();
    let own = crate::progress::Source::Document(id);
    for t in tasks.iter_mut() {
        let mut history: Vec<crate::progress::Entry> = old_tasks
            .get(&*t.anchor)
            .map(|&o| site.tasks[o].history.to_vec())
            .unwrap_or_default();
        history.retain(|e| e.source != own);
        history.extend(crate::progress::own_status(t, doc.date, &doc.source.path));
        history.sort_by(|a, b| a.order().cmp(&b.order()));
        history.dedup();
        t.history = history.into_boxed_slice();
        (t.state, t.late) = crate::progress::final_state(t, site.today);
    }
}
