//! The incremental engine behind `cchc serve`: keeps the load and assembly caches and the
//! published files between rebuilds, and works out which output paths changed (a quick pass
//! for the edited documents' pages, then the full site).

use std::collections::HashMap;
use std::sync::Arc;

use crate::diag::Diagnostics;
use crate::site::AssembleOptions;

/// The published site: output path → bytes.
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// What keeps a site's build state from one rebuild to the next.
#[derive(Default)]
pub struct Incremental {
    load: crate::load::LoadCache,
    assemble: crate::site::AssembleCache,
    /// [`shape_hash`] of the last published site.
    shape: Option<u64>,
    /// The site as last published.
    files: HashMap<String, Arc<Vec<u8>>>,
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Rebuilt {
    /// Errors (file:line: message); when there are any the site was left as it was.
    pub errors: Vec<String>,
    /// Paths published by the quick pass (the edited documents' pages).
    pub quick: Vec<String>,
    /// Paths added, changed or removed by the full pass.
    pub changed: Vec<String>,
}

impl Incremental {
    /// The site as last published: output path → bytes.
    pub fn files(&self) -> &Files {
        &self.files
    }

    /// Rebuilds the site under `root`. `on_quick` is called with the quick pass's changed
    /// paths before the full pass starts, so a server can publish them at once.
    pub fn rebuild(
        &mut self,
        root: &std::path::Path,
        opts: &AssembleOptions,
        on_quick: &mut dyn FnMut(&Files, &[String]),
    ) -> Rebuilt {
        let diags = Diagnostics::new();
        let loaded = crate::timed("serve: load", || {
            crate::load::load_cached(root, &diags, &mut self.load)
        });
        let site = crate::timed("serve: assemble", || {
            crate::site::assemble_incremental(loaded, opts, &diags, &mut self.assemble)
        });
        let theme = crate::load_theme(root, &site, &diags);
        let errors = errors_of(&diags);
        let Some(theme) = theme.filter(|_| errors.is_empty()) else {
            return Rebuilt {
                errors,
                ..Rebuilt::default()
            };
        };
        // Quick pass: the pages of documents whose text changed.
        let changed = self.assemble.changed();
        let edited: Vec<usize> = (0..site.documents.len())
            .filter(|&i| changed.binary_search(&site.documents[i].source).is_ok())
            .collect();
        let mut rebuilt = Rebuilt::default();
        let quick = !self.files.is_empty() && edited.len() <= 50;
        if quick {
            for (path, bytes) in edited_pages(&site, &theme, &edited, &diags) {
                if self.put(path.clone(), bytes) {
                    rebuilt.quick.push(path);
                }
            }
            on_quick(&self.files, &rebuilt.quick);
        }
        // Full pass. When nothing but document bodies changed (same tasks, titles, numbers,
        // units, theme…), only the bodies' own pages and the search index can differ.
        let shape = crate::timed("serve: shape hash", || shape_hash(&site, theme.fingerprint));
        let body_only = self.shape == Some(shape) && !self.files.is_empty();
        self.shape = Some(shape);
        if body_only {
            return self.body_pass(root, &site, &theme, &edited, quick, &diags, rebuilt);
        }
        self.full_pass(root, &site, &theme, &diags, rebuilt)
    }

    /// The full pass when only document bodies changed: the bodies' own pages (unless the
    /// quick pass published them) and the search index, swapped as a whole.
    #[allow(clippy::too_many_arguments)]
    fn body_pass(
        &mut self,
        root: &std::path::Path,
        site: &crate::model::Site,
        theme: &crate::render::templates::Theme,
        edited: &[usize],
        quick: bool,
        diags: &Diagnostics,
        mut rebuilt: Rebuilt,
    ) -> Rebuilt {
        let (index, pages) = crate::timed("serve: bodies and search index", || {
            let index = crate::render::search_outputs(site);
            // The quick pass published the edited pages already, unless there were many.
            let pages = match quick {
                true => Vec::new(),
                false => edited_pages(site, theme, edited, diags),
            };
            (index, pages)
        });
        rebuilt.errors = errors_of(diags);
        if !rebuilt.errors.is_empty() {
            return rebuilt;
        }
        // Swap the index directory as a whole, and the pages one by one.
        let fresh: std::collections::HashSet<&str> =
            index.iter().map(|o| o.path.as_str()).collect();
        let gone: Vec<String> = self
            .files
            .keys()
            .filter(|k| k.starts_with(SEARCH_DIR) && !fresh.contains(k.as_str()))
            .cloned()
            .collect();
        for k in gone {
            self.files.remove(&k);
            rebuilt.changed.push(k);
        }
        let statics = crate::static_outputs(root, site, diags);
        let outputs = index.into_iter().chain(statics).chain(
            pages
                .into_iter()
                .map(|(path, bytes)| crate::write::Output { path, bytes }),
        );
        for o in outputs {
            let path = o.path.clone();
            if self.put(o.path, o.bytes) && !rebuilt.quick.contains(&path) {
                rebuilt.changed.push(path);
            }
        }
        rebuilt.changed.sort();
        rebuilt
    }

    /// The full pass: every output rendered again, each compared with the published file.
    fn full_pass(
        &mut self,
        root: &std::path::Path,
        site: &crate::model::Site,
        theme: &crate::render::templates::Theme,
        diags: &Diagnostics,
        mut rebuilt: Rebuilt,
    ) -> Rebuilt {
        // Each output is compared with the published file as it is made: an unchanged one
        // keeps the published bytes and its fresh copy is dropped at once, so the site is
        // never held twice.
        let fresh: std::sync::Mutex<HashMap<String, Arc<Vec<u8>>>> = Default::default();
        let changed: std::sync::Mutex<Vec<String>> = Default::default();
        let keep = |o: crate::write::Output| {
            let same = self
                .files
                .get(&o.path)
                .filter(|old| old.as_slice() == o.bytes.as_slice())
                .cloned();
            if same.is_none() && !rebuilt.quick.contains(&o.path) {
                if let Ok(mut c) = changed.lock() {
                    c.push(o.path.clone());
                }
            }
            if let Ok(mut f) = fresh.lock() {
                f.insert(o.path, same.unwrap_or_else(|| Arc::new(o.bytes)));
            }
        };
        crate::timed("serve: full render", || {
            let bodies = crate::render::Bodies::Borrowed(&site.bodies);
            crate::render::render_site(site, bodies, theme, diags, &keep);
        });
        for o in crate::static_outputs(root, site, diags) {
            keep(o);
        }
        rebuilt.errors = errors_of(diags);
        if !rebuilt.errors.is_empty() {
            return rebuilt;
        }
        let files = fresh.into_inner().unwrap_or_default();
        rebuilt.changed = changed.into_inner().unwrap_or_default();
        rebuilt.changed.extend(
            self.files
                .keys()
                .filter(|k| !files.contains_key(*k))
                .cloned(),
        );
        rebuilt.changed.sort();
        self.files = files;
        rebuilt
    }

    /// Stores one file; true when its bytes are new.
    fn put(&mut self, path: String, bytes: Vec<u8>) -> bool {
        if self.files.get(&path).is_some_and(|old| **old == bytes) {
            return false;
        }
        self.files.insert(path, Arc::new(bytes));
        true
    }
}

/// The pages of documents `edited`, as (path, bytes); template errors go to `diags`.
fn edited_pages(
    site: &crate::model::Site,
    theme: &crate::render::templates::Theme,
    edited: &[usize],
    diags: &Diagnostics,
) -> Vec<(String, Vec<u8>)> {
    edited
        .iter()
        .filter_map(|&i| {
            match crate::render::pages::document_page(site, theme, i, &site.bodies[i]) {
                Ok((path, html)) => Some((path, html.into_bytes())),
                Err(d) => {
                    diags.push(d);
                    None
                }
            }
        })
        .collect()
}

/// Where the search index lives in the output.
const SEARCH_DIR: &str = "tim-kiem/index/";

/// A hash of everything the site's pages show except the documents' bodies (HTML, headings,
/// plain text): when it is unchanged, an edit touched prose only. Hashes the `Debug` form,
/// which covers every field without a second list of them to keep in step.
fn shape_hash(site: &crate::model::Site, theme: u64) -> u64 {
    use rayon::prelude::*;
    use std::fmt::Write as _;
    let hash = |s: &str| crate::site::text_hash(s);
    let docs: Vec<u64> = site
        .documents
        .par_iter()
        .map(|d| {
            let mut s = String::new();
            let _ = write!(
                s,
                "{:?}",
                (
                    (&d.source, &d.slug, &d.title, d.doc_type, &d.number, &d.issuer),
                    (d.date, d.year, &d.signer, &d.refs, &d.areas, &d.summary),
                    (d.draft, &d.province, &d.tasks, &d.cites, &d.cited_by),
                    &d.external_refs,
                )
            );
            hash(&s)
        })
        .collect();
    let tasks: Vec<u64> = site
        .tasks
        .par_chunks(1024)
        .map(|chunk| hash(&format!("{chunk:?}")))
        .collect();
    let rest = format!(
        "{:?}{:?}{:?}{:?}{:?}{:?}{:?}{theme}",
        site.config, site.today, site.units, site.duties, site.numbers, site.static_files, docs
    );
    hash(&format!("{rest}{tasks:?}"))
}

fn errors_of(diags: &Diagnostics) -> Vec<String> {
    diags
        .sorted()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect()
}
