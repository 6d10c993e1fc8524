//! The incremental engine behind `cchc serve`: keeps the load and assembly caches, the last
//! good site and the published files (on disk, [`Store`]) between rebuilds, and works out
//! which output paths changed (a quick pass for the edited documents' pages, then the full
//! site).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Diagnostics;
use crate::site::AssembleOptions;

pub use super::store::Store;

/// Output path → bytes (the quick pass's pages; [`Incremental::files`] for tests).
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// What keeps a site's build state from one rebuild to the next.
#[derive(Default)]
pub struct Incremental {
    load: crate::load::LoadCache,
    assemble: crate::site::AssembleCache,
    /// [`shape_hash`](crate::site::shape::shape_hash) of the last published site.
    shape: Option<u64>,
    /// The site as last published.
    store: Store,
    /// The last good site, for the quick pass (which patches it until the full pass replaces it).
    last: Option<Last>,
    /// The search index, kept so that an edit re-tokenizes only the entries it changed.
    search: crate::render::search::memo::SearchMemo,
    /// Sources changed since `search` was last brought up to date (a pass that stopped
    /// before it leaves them for the next).
    search_pending: Vec<PathBuf>,
}

/// The last good assembly: the site, its theme and the units registry before and after
/// the documents' units were added.
struct Last {
    site: crate::model::Site,
    links: super::quick::Links,
    theme: Arc<crate::render::templates::Theme>,
    registered: crate::extract::units::UnitRegistry,
    resolved: crate::extract::units::UnitRegistry,
}

/// Frees the previous site on a thread of its own: at 10,000 documents it holds ~150,000 tasks
/// and every body, and freeing them was ~8% of a full pass (`perf` on `serve`) that the reader
/// waited for before the pass was announced.
fn drop_aside(previous: Option<Last>) {
    if previous.is_some() {
        std::thread::spawn(move || drop(previous));
    }
}

/// More edited documents than this in one rebuild and the quick pass is skipped.
const MAX_QUICK: usize = 50;

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
    /// The site as last published: output path → bytes, read back from disk (for tests;
    /// a server reads single files through [`Incremental::store`]).
    pub fn files(&self) -> Files {
        self.store
            .index()
            .keys()
            .filter_map(|k| Some((k.clone(), Arc::new(self.store.read(k)?))))
            .collect()
    }

    /// The published site.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Rebuilds the site under `root`. `on_quick` is called with the quick pass's changed
    /// paths before the full pass starts, so a server can publish them at once.
    pub fn rebuild(
        &mut self,
        root: &std::path::Path,
        opts: &AssembleOptions,
        on_quick: &mut dyn FnMut(&Files, &[String]),
    ) -> Rebuilt {
        self.rebuild_hinted(root, opts, None, on_quick)
    }

    /// [`Incremental::rebuild`], told which files changed on disk (`hint`: the watcher's
    /// paths), so the quick pass reads only those instead of walking `content/` first. The
    /// full pass still looks at every file, so a missed or wrong hint costs only speed.
    pub fn rebuild_hinted(
        &mut self,
        root: &Path,
        opts: &AssembleOptions,
        hint: Option<&[PathBuf]>,
        on_quick: &mut dyn FnMut(&Files, &[String]),
    ) -> Rebuilt {
        let diags = Diagnostics::new();
        let mut rebuilt = Rebuilt::default();
        if let Some(paths) = hint {
            let edited = crate::timed("serve: read edits", || read_edits(root, paths));
            self.quick_pass(edited, opts, &mut rebuilt, on_quick);
        }
        let loaded = crate::timed("serve: load", || {
            crate::load::load_cached(root, &diags, &mut self.load)
        });
        crate::alloc::fit_to_serve(loaded.documents.len());
        if hint.is_none() {
            let edited = self.edited_sources(&loaded.documents);
            self.quick_pass(edited, opts, &mut rebuilt, on_quick);
        }
        let units_yaml = loaded.units_yaml.clone();
        let site = crate::timed("serve: assemble", || {
            crate::site::assemble_incremental(loaded, opts, &diags, &mut self.assemble)
        });
        self.search_pending
            .extend(self.assemble.changed().iter().cloned());
        let theme = crate::timed("serve: theme", || self.theme(root, &site, &diags));
        rebuilt.errors = errors_of(&diags);
        let Some(theme) = theme.filter(|_| rebuilt.errors.is_empty()) else {
            return rebuilt;
        };
        let changed = self.assemble.changed();
        let edited: Vec<usize> = (0..site.documents.len())
            .filter(|&i| changed.binary_search(&site.documents[i].source).is_ok())
            .collect();
        // Full pass. When nothing but document bodies changed (same tasks, titles, numbers,
        // units, theme…), only the bodies' own pages and the search index can differ, and of
        // the index's entries only those of the documents edited since it was last updated.
        let shape = crate::timed("serve: shape hash", || {
            crate::site::shape::shape_hash(&site, theme.fingerprint)
        });
        let same_shape = self.shape == Some(shape);
        let only = same_shape.then(|| pending_docs(&site, &mut self.search_pending));
        let index = crate::timed("serve: search index", || {
            search_index(&mut self.search, &site, &self.store, only.as_deref())
        });
        self.search_pending.clear();
        let body_only = same_shape && !self.store.is_empty();
        self.shape = Some(shape);
        let pass = Pass {
            root,
            site: &site,
            theme: &theme,
            diags: &diags,
        };
        let rebuilt = crate::timed("serve: write", || {
            if body_only {
                self.body_pass(pass, &edited, rebuilt, index)
            } else {
                self.full_pass(pass, rebuilt, index)
            }
        });
        let resolved = self.assemble.take_registry();
        if let (true, Some(resolved)) = (rebuilt.errors.is_empty(), resolved) {
            let last = crate::timed("serve: keep the site", || Last {
                registered: crate::extract::resolve::load_units(
                    units_yaml.as_ref(),
                    &Diagnostics::new(),
                ),
                links: super::quick::Links::of(&site),
                site,
                theme,
                resolved,
            });
            drop_aside(self.last.replace(last));
        }
        rebuilt
    }

    /// The site's theme: the last pass's when its files are the same (compiling the templates
    /// and minifying the scripts and styles took ~30 ms of every pass), else loaded anew.
    fn theme(
        &self,
        root: &Path,
        site: &crate::model::Site,
        diags: &Diagnostics,
    ) -> Option<Arc<crate::render::templates::Theme>> {
        let sources = crate::render::templates::read_theme(root, &site.config.theme)
            .map_err(|d| diags.push(d))
            .ok()?;
        if let Some(last) = self.last.as_ref() {
            if last.theme.fingerprint == sources.fingerprint {
                return Some(last.theme.clone());
            }
        }
        sources
            .compile()
            .map_err(|d| diags.push(d))
            .ok()
            .map(Arc::new)
    }

    /// The edited documents' pages, patched into the last good site and published at once.
    fn quick_pass(
        &mut self,
        edited: Vec<crate::load::SourceFile>,
        opts: &AssembleOptions,
        rebuilt: &mut Rebuilt,
        on_quick: &mut dyn FnMut(&Files, &[String]),
    ) {
        // Only texts that really changed (a save without changes raises events too).
        let edited: Vec<_> = edited
            .into_iter()
            .filter(|f| self.assemble.known_hash(&f.path) != Some(crate::site::text_hash(&f.text)))
            .collect();
        let Some(last) = self.last.as_mut() else {
            return;
        };
        if edited.is_empty() || edited.len() > MAX_QUICK || self.store.is_empty() {
            return;
        }
        let assemble = &self.assemble;
        let parsed_slug = |p: &Path| {
            assemble
                .parsed_slug(p)
                .map(|(slug, explicit)| (slug.to_string(), explicit))
        };
        let pages = crate::timed("serve: quick pass", || {
            let inputs = super::quick::QuickInputs {
                parsed_slug: &parsed_slug,
                site: &mut last.site,
                links: &last.links,
                theme: &last.theme,
                registered: &last.registered,
                resolved: &mut last.resolved,
                drafts: opts.drafts,
            };
            super::quick::quick_pages(inputs, edited)
        });
        let mut published = Files::new();
        for (path, bytes) in pages {
            // A page that cannot be written now is left to the full pass.
            if let Ok(true) = self.store.put(&path, &bytes) {
                rebuilt.quick.push(path.clone());
                published.insert(path, Arc::new(bytes));
            }
        }
        if !rebuilt.quick.is_empty() {
            on_quick(&published, &rebuilt.quick);
        }
    }

    /// The loaded documents whose text differs from the last assembly's (none past
    /// [`MAX_QUICK`]: the quick pass would not take them).
    fn edited_sources(&self, docs: &[crate::load::SourceFile]) -> Vec<crate::load::SourceFile> {
        let mut out = Vec::new();
        for f in docs {
            if self.assemble.known_hash(&f.path) != Some(crate::site::text_hash(&f.text)) {
                if out.len() == MAX_QUICK {
                    return Vec::new();
                }
                out.push(f.clone());
            }
        }
        out
    }

    /// The full pass when only document bodies changed: the bodies' own pages (unless the
    /// quick pass published them) and the search index files that changed.
    fn body_pass(
        &mut self,
        pass: Pass,
        edited: &[usize],
        mut rebuilt: Rebuilt,
        index: SearchFiles,
    ) -> Rebuilt {
        let Pass {
            root,
            site,
            theme,
            diags,
        } = pass;
        // Again even when the quick pass published them: it cannot take every edit, and an
        // unchanged page is not published twice.
        let pages = crate::timed("serve: bodies", || edited_pages(site, theme, edited, diags));
        rebuilt.errors = errors_of(diags);
        if !rebuilt.errors.is_empty() {
            return rebuilt;
        }
        // The index files that changed are staged, those it no longer has removed.
        let fresh: std::collections::HashSet<&str> =
            index.paths.iter().map(String::as_str).collect();
        let gone: Vec<String> = self
            .store
            .index()
            .keys()
            .filter(|k| k.starts_with(SEARCH_DIR) && !fresh.contains(k.as_str()))
            .cloned()
            .collect();
        let statics = crate::static_outputs(root, site, diags);
        let outputs = index.changed.into_iter().chain(statics).chain(
            pages
                .into_iter()
                .map(|(path, bytes)| crate::write::Output { path, bytes }),
        );
        let mut staged = Vec::new();
        for o in outputs {
            match self.store.stage(&o.path, &o.bytes) {
                Ok(true) => staged.push(o.path),
                Ok(false) => {}
                Err(e) => rebuilt.errors.push(format!("{}: {e}", o.path)),
            }
        }
        self.finish(rebuilt, staged, &gone)
    }

    /// Publishes the staged files and removes `gone` when the pass had no error, else drops
    /// them; lists what changed beyond the quick pass.
    fn finish(&mut self, mut rebuilt: Rebuilt, staged: Vec<String>, gone: &[String]) -> Rebuilt {
        if !rebuilt.errors.is_empty() {
            self.store.discard();
            return rebuilt;
        }
        if let Err(e) = self.store.publish(gone) {
            rebuilt.errors.push(e.to_string());
            return rebuilt;
        }
        // A quick page is staged again only when the full pass made it differently (what
        // the quick pass cannot see, such as the document's own progress list): it is then
        // listed, so the page reloads with the corrected version.
        rebuilt.changed = staged.into_iter().chain(gone.iter().cloned()).collect();
        rebuilt.changed.sort();
        rebuilt
    }

    /// The full pass: every output rendered again, each compared with the published file
    /// as it is made; only changed ones are written (staged until the pass succeeds), so
    /// the site is never held in memory.
    fn full_pass(&mut self, pass: Pass, mut rebuilt: Rebuilt, index_files: SearchFiles) -> Rebuilt {
        let Pass {
            root,
            site,
            theme,
            diags,
        } = pass;
        type Seen = std::sync::Mutex<(Vec<String>, Vec<(String, super::store::Stamp)>)>;
        let seen: Seen = Default::default();
        let failed: std::sync::Mutex<Vec<String>> = Default::default();
        let (dir, index) = self.store.parts();
        let keep = |o: crate::write::Output| {
            let staged = Store::stage_file(dir, index, &o.path, &o.bytes);
            if let Ok(mut s) = seen.lock() {
                match staged {
                    Ok(Some(stamp)) => s.1.push((o.path.clone(), stamp)),
                    Ok(None) => {}
                    Err(e) => {
                        if let Ok(mut f) = failed.lock() {
                            f.push(format!("{}: {e}", o.path));
                        }
                    }
                }
                s.0.push(o.path);
            }
        };
        crate::timed("serve: full render", || {
            let bodies = crate::render::Bodies::Borrowed(&site.bodies);
            crate::render::render_pages(site, bodies, theme, diags, &keep);
        });
        for o in index_files.changed {
            keep(o);
        }
        if let Ok(mut s) = seen.lock() {
            s.0.extend(index_files.paths);
        }
        for o in crate::static_outputs(root, site, diags) {
            keep(o);
        }
        rebuilt.errors = errors_of(diags);
        rebuilt
            .errors
            .extend(failed.into_inner().unwrap_or_default());
        let (all, staged) = seen.into_inner().unwrap_or_default();
        let all: std::collections::HashSet<String> = all.into_iter().collect();
        let gone: Vec<String> = index
            .keys()
            .filter(|k| !all.contains(*k))
            .cloned()
            .collect();
        let paths = staged.iter().map(|(p, _)| p.clone()).collect();
        self.store.staged(staged);
        self.finish(rebuilt, paths, &gone)
    }
}

/// What a full pass works from: the site folder, the new site and theme, where problems go.
struct Pass<'a> {
    root: &'a Path,
    site: &'a crate::model::Site,
    theme: &'a crate::render::templates::Theme,
    diags: &'a Diagnostics,
}

/// The search index as [`search_index`] leaves it.
struct SearchFiles {
    /// The files whose bytes differ from the published ones.
    changed: Vec<crate::write::Output>,
    /// Every index file's path.
    paths: Vec<String>,
}

/// The ids of the documents whose source is in `pending` (sorted here): with documents
/// first among the search entries, also the ids of their entries.
fn pending_docs(site: &crate::model::Site, pending: &mut Vec<PathBuf>) -> Vec<usize> {
    pending.sort_unstable();
    pending.dedup();
    (0..site.documents.len())
        .filter(|&i| pending.binary_search(&site.documents[i].source).is_ok())
        .collect()
}

/// Brings `memo` up to date with the site's search entries (when `only` is given, only those
/// entries may have changed): the index files whose bytes differ from those `store`
/// published, and the paths of all of them.
fn search_index(
    memo: &mut crate::render::search::memo::SearchMemo,
    site: &crate::model::Site,
    store: &Store,
    only: Option<&[usize]>,
) -> SearchFiles {
    // `serve` keeps every body, so an entry is made from the site whenever the memo asks.
    let plain = |i: usize, out: &mut String| {
        if let Some(b) = site.bodies.get(i) {
            out.push_str(&b.plain_text);
        }
    };
    let source = crate::render::search::entries::SiteEntries::new(site, &plain);
    let changed = std::sync::Mutex::new(Vec::new());
    let published = store.index();
    let paths = memo.update_some(
        &source,
        only,
        &|p| published.get(p).copied(),
        &|path, bytes| {
            if let Ok(mut v) = changed.lock() {
                v.push(crate::write::Output { path, bytes });
            }
        },
    );
    SearchFiles {
        changed: changed.into_inner().unwrap_or_default(),
        paths,
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
                Ok(page) => Some(page),
                Err(d) => {
                    diags.push(d);
                    None
                }
            }
        })
        .collect()
}

/// The watcher's changed paths that are documents under `root/content/`, read as `load`
/// reads them; nothing when any other file changed (a theme, `units.yaml`, `site.yaml`: the
/// quick pass cannot tell what that touches).
fn read_edits(root: &Path, paths: &[PathBuf]) -> Vec<crate::load::SourceFile> {
    let content = root.join("content");
    let canon = root.canonicalize().ok();
    let mut out = Vec::new();
    for p in paths {
        // The watcher may report the canonical path of a site given as a relative one.
        let p = match canon.as_ref().and_then(|c| p.strip_prefix(c).ok()) {
            Some(rest) if !p.starts_with(root) => root.join(rest),
            _ => p.clone(),
        };
        let is_md = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if !p.starts_with(&content) || !is_md || out.len() > MAX_QUICK {
            return Vec::new();
        }
        match crate::load::read_document(root, &p) {
            Some(f) => out.push(f),
            None => return Vec::new(),
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    out
}

/// Where the search index lives in the output.
const SEARCH_DIR: &str = "tim-kiem/index/";

fn errors_of(diags: &Diagnostics) -> Vec<String> {
    diags
        .sorted()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect()
}
