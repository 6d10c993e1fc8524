//! Body rendering with links: a parsed document's Markdown → HTML, with links to other
//! documents and content files resolved and cited numbers turned into links.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, LineIndex};
use crate::link::cite::{Citations, DocStamp};
use crate::link::numbers::find_numbers;
use crate::link::paths::resolve_link;
use crate::parse::document::ParsedDoc;
use crate::parse::markdown::{self, AutoLink, MdContext};

/// The body of a document as Markdown rendering gives it.
#[derive(Clone)]
pub(crate) struct RenderedBody {
    pub html: String,
    pub headings: Vec<crate::model::Heading>,
    pub plain_text: String,
}

/// A document's body as HTML, with warnings for its broken links. Depends on the document,
/// and on the others only through what [`link_context_hash`] covers. `docs` are the site's
/// documents, parsed (assembly) or published (`serve`'s quick pass): only their slugs and
/// titles are read.
pub(crate) fn render_body<D: std::ops::Deref<Target = crate::model::DocMeta> + Sync>(
    id: usize,
    d: &ParsedDoc,
    cite: &Citations,
    docs: &[D],
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
pub(crate) fn link_context_hash(
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
