//! The site as search entries: one per document, task and unit (with tasks or duties).
//!
//! Takes the assembled [`Site`]; gives [`SearchEntry`]s in doc-id order, each made when the
//! index asks for it ([`SiteEntries`]): documents, then tasks, then units, so a kind is a contiguous run of ids (the client counts and filters by
//! kind from `meta.json` alone). Each entry carries what the ranking needs — its name field
//! (`title` + `keys`: a document's number, a unit's aliases) and its body — and its filter
//! terms (`facets`: year and unit).

use crate::model::Site;
use crate::render::view;

use super::{EntrySource, SearchEntry};

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

/// Appends document `id`'s body text to the entry's text: from the body where the caller
/// holds it (kept or served), without a copy of its own, else from one made for the entry.
pub type PlainText<'a> = dyn Fn(usize, &mut String) + Sync + 'a;

/// The site's entries, each made when the index asks for it (see [`EntrySource`]): a
/// document's body text is made then too, by `plain_text`, so a build holds neither every
/// entry nor every body.
pub struct SiteEntries<'a> {
    site: &'a Site,
    plain_text: &'a PlainText<'a>,
    /// Units with tasks or duties, in site order.
    units: Vec<usize>,
}

impl<'a> SiteEntries<'a> {
    pub fn new(site: &'a Site, plain_text: &'a PlainText<'a>) -> Self {
        let units = (0..site.units.len())
            .filter(|&i| {
                site.duties
                    .get(i)
                    .is_some_and(|d| !d.lead.is_empty() || !d.support.is_empty())
            })
            .collect();
        SiteEntries {
            site,
            plain_text,
            units,
        }
    }
}

impl EntrySource for SiteEntries<'_> {
    fn len(&self) -> usize {
        self.site.documents.len() + self.site.tasks.len() + self.units.len()
    }

    fn kinds(&self) -> Vec<String> {
        let counts = [
            (KIND_DOCUMENT, self.site.documents.len()),
            (KIND_TASK, self.site.tasks.len()),
            (KIND_UNIT, self.units.len()),
        ];
        counts
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(k, _)| k.to_owned())
            .collect()
    }

    fn entry(&self, id: usize) -> SearchEntry {
        let (docs, tasks) = (self.site.documents.len(), self.site.tasks.len());
        if id < docs {
            document_entry(self.site, id, self.plain_text)
        } else if id < docs + tasks {
            task_entry(self.site, id - docs)
        } else {
            self.units
                .get(id - docs - tasks)
                .map(|&u| unit_entry(self.site, u))
                .unwrap_or_default()
        }
    }
}

/// Document `id`: its issuer and summary, then its body text.
fn document_entry(site: &Site, id: usize, plain_text: &PlainText<'_>) -> SearchEntry {
    let d = &site.documents[id];
    let mut text = String::new();
    for part in [d.issuer.as_deref(), d.summary.as_deref()]
        .into_iter()
        .flatten()
    {
        text.push_str(part);
        text.push_str(". ");
    }
    plain_text(id, &mut text);
    let leads = d
        .tasks
        .iter()
        .filter_map(|&t| site.tasks.get(t))
        .flat_map(|t| t.lead.iter().copied());
    SearchEntry {
        url: view::doc_path(d),
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
        facets: facets_of(site, d.year, leads),
    }
}

/// Task `id`, under its document.
fn task_entry(site: &Site, id: usize) -> SearchEntry {
    let t = &site.tasks[id];
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
    let (text, shown) = task_text(site, t);
    SearchEntry {
        url: {
            let [a, b, c] = view::doc_dir(d);
            [a, b, c, "index.html#", &t.anchor].concat()
        },
        title: view::shorten(&t.text, 120),
        keys: String::new(),
        kind: KIND_TASK.into(),
        context,
        text,
        shown,
        facets: facets_of(site, d.year, t.lead.iter().chain(&t.support).copied()),
    }
}

/// Unit `u` (one with tasks or duties): its name and aliases.
fn unit_entry(site: &Site, u: usize) -> SearchEntry {
    let unit = &site.units[u];
    let duties = &site.duties[u];
    SearchEntry {
        url: view::unit_path(site, u),
        title: unit.name.clone(),
        keys: unit.aliases.join(". "),
        kind: KIND_UNIT.into(),
        context: format!(
            "{} nhiệm vụ chủ trì, {} phối hợp",
            duties.lead.len(),
            duties.support.len()
        ),
        text: String::new(),
        shown: usize::MAX,
        facets: vec![unit_facet(&unit.slug)],
    }
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
