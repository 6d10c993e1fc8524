//! The site as search entries: one per document, task and unit (with tasks or duties).
//!
//! Takes the assembled [`Site`]; returns [`SearchEntry`]s in doc-id order: documents, then
//! tasks, then units, so a kind is a contiguous run of ids (the client counts and filters by
//! kind from `meta.json` alone). Each entry carries what the ranking needs — its name field
//! (`title` + `keys`: a document's number, a unit's aliases) and its body — and its filter
//! terms (`facets`: year and unit).

use crate::model::Site;
use crate::render::view;

use super::{Deferred, SearchEntry};

/// Kind names, as shown.
pub const KIND_DOCUMENT: &str = "Văn bản";
pub const KIND_TASK: &str = "Nhiệm vụ";
pub const KIND_UNIT: &str = "Đơn vị";

/// Facet term of a year (`y:2024`); never produced by the query tokenizer (it has a colon).
pub fn year_facet(year: i64) -> String {
    format!("y:{year}")
}

/// Facet term of a unit, by its slug (`u:so-noi-vu`).
pub fn unit_facet(slug: &str) -> String {
    format!("u:{slug}")
}

/// Documents, tasks and units as search entries (URLs relative to the site root).
/// The filter keys of an entry: its plan year, then each unit once (by slug, sorted).
fn facets_of(site: &Site, year: Option<i16>, units: impl Iterator<Item = usize>) -> Vec<String> {
    let mut facets: Vec<String> = year.map(|y| year_facet(y.into())).into_iter().collect();
    let mut slugs: Vec<&str> = units
        .filter_map(|u| site.units.get(u).map(|u| u.slug.as_str()))
        .collect();
    slugs.sort_unstable();
    slugs.dedup();
    facets.extend(slugs.into_iter().map(unit_facet));
    facets
}

/// `plain_text` gives each document's body text by id (copied in `serve`).
pub fn search_entries(site: &Site, plain_text: impl Fn(usize) -> String) -> Vec<SearchEntry> {
    let mut entries = deferred_entries(site);
    for (id, e) in entries.iter_mut().enumerate() {
        if let Some(rest) = deferred_text(site, id, &plain_text) {
            e.append(rest);
        }
    }
    entries
}

/// The entries with the long part of their text left out: a document's body text and a
/// task's text, which [`deferred_text`] gives when the index tokenizes that entry, so a
/// build never holds every entry's text at once.
pub fn deferred_entries(site: &Site) -> Vec<SearchEntry> {
    let mut entries = Vec::with_capacity(site.documents.len() + site.tasks.len());
    for d in &site.documents {
        // The issuer and summary come first; the body text follows (deferred).
        let mut text = String::new();
        for part in [d.issuer.as_deref(), d.summary.as_deref()]
            .into_iter()
            .flatten()
        {
            text.push_str(part);
            text.push_str(". ");
        }
        let leads = d
            .tasks
            .iter()
            .filter_map(|&t| site.tasks.get(t))
            .flat_map(|t| t.lead.iter().copied());
        let facets = facets_of(site, d.year, leads);
        entries.push(SearchEntry {
            url: format!("van-ban/{}/index.html", d.slug),
            title: d.title.clone(),
            // "Số 272/KH-UBND": the number is how readers name a document, typed with or
            // without "số".
            keys: d
                .number
                .as_deref()
                .map(|n| format!("Số {n}"))
                .unwrap_or_default(),
            kind: KIND_DOCUMENT.into(),
            context: view::doc_label(d),
            text,
            shown: usize::MAX,
            facets,
        });
    }
    for t in &site.tasks {
        let d = &site.documents[t.doc];
        let name = |u: &usize| site.units.get(*u).map(|u| u.name.as_str());
        let lead: Vec<&str> = t.lead.iter().filter_map(name).collect();
        let mut context = view::doc_label(d);
        if !lead.is_empty() {
            context.push_str(" · Chủ trì: ");
            context.push_str(&lead.join(", "));
        }
        if !t.due.text.is_empty() {
            context.push_str(" · Thời hạn: ");
            context.push_str(&t.due.text);
        }
        let facets = facets_of(site, d.year, t.lead.iter().chain(&t.support).copied());
        entries.push(SearchEntry {
            url: format!("van-ban/{}/index.html#{}", d.slug, t.anchor),
            title: view::shorten(&t.text, 120),
            keys: String::new(),
            kind: KIND_TASK.into(),
            context,
            text: String::new(),
            // Set with the text, by [`deferred_text`].
            shown: usize::MAX,
            facets,
        });
    }
    for (i, u) in site.units.iter().enumerate() {
        let duties = &site.duties[i];
        if duties.lead.is_empty() && duties.support.is_empty() {
            continue;
        }
        entries.push(SearchEntry {
            url: view::unit_path(site, i),
            title: u.name.clone(),
            keys: u.aliases.join(". "),
            kind: KIND_UNIT.into(),
            context: format!(
                "{} nhiệm vụ chủ trì, {} phối hợp",
                duties.lead.len(),
                duties.support.len()
            ),
            text: String::new(),
            shown: usize::MAX,
            facets: vec![unit_facet(&u.slug)],
        });
    }
    entries
}

/// What [`deferred_entries`] left out of entry `id`'s text, to append to it: a document's
/// body text (from `plain_text`), a task's text with its product, units and deadline (and
/// how much of it the snippet shows); `None` for a unit.
pub fn deferred_text(
    site: &Site,
    id: usize,
    plain_text: &dyn Fn(usize) -> String,
) -> Option<Deferred> {
    let docs = site.documents.len();
    if id < docs {
        return Some(Deferred {
            text: plain_text(id),
            shown: None,
        });
    }
    let t = site.tasks.get(id - docs)?;
    let (text, shown) = task_text(site, t);
    Some(Deferred {
        text,
        shown: Some(shown),
    })
}

/// A task's indexed text and how much of it its snippet shows: the task, its product and its
/// support units, then the lead units and the deadline that its context line already shows.
/// Sentence breaks keep every part's terms apart (no bigram across them), so the order does not
/// change the ranking; empty parts are left out (they have no terms), so the snippet has no ". . ".
fn task_text(site: &Site, t: &crate::model::Task) -> (String, usize) {
    let names = |ids: &[usize]| -> Vec<&str> {
        ids.iter()
            .filter_map(|u| site.units.get(*u).map(|u| u.name.as_str()))
            .collect()
    };
    let join = |parts: &[&str]| -> String {
        let kept: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
        kept.join(". ")
    };
    let mut text = join(&[
        &t.text,
        t.product.as_deref().unwrap_or(""),
        &names(&t.support).join(". "),
    ]);
    let shown = text.len();
    let rest = join(&[&names(&t.lead).join(". "), &t.due.text]);
    if !rest.is_empty() {
        text.push_str(". ");
        text.push_str(&rest);
    }
    (text, shown)
}
