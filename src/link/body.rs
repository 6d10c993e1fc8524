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
#[derive(Clone, Default)]
pub(crate) struct RenderedBody {
    pub html: String,
    pub headings: Vec<crate::model::Heading>,
    pub plain_text: String,
    /// The document numbers the plain text mentions (what citations read of a body); empty
    /// unless asked for ([`RenderedBody::with_mentions`]).
    pub mentions: crate::link::cite::Mentions,
}

impl RenderedBody {
    /// The body with the document numbers its plain text mentions.
    pub fn with_mentions(mut self) -> Self {
        self.mentions = crate::link::cite::mentions(&self.plain_text);
        self
    }

    /// Only what assembly reads of a body once its page is made elsewhere: the mentions.
    pub fn lean(self) -> Self {
        self.split().0
    }

    /// The body cut in two: what assembly reads of it (the mentions) and what its page and
    /// search entry show.
    pub fn split(self) -> (Self, crate::model::DocBody) {
        let lean = RenderedBody {
            mentions: self.mentions,
            ..RenderedBody::default()
        };
        let shown = crate::model::DocBody {
            html: self.html,
            headings: self.headings,
            plain_text: self.plain_text,
        };
        (lean, shown)
    }
}

/// Where a citation of document `id` links: its slug and title. Assembly reads them from the
/// parsed documents, a build rendering bodies at page time from the site's documents.
pub(crate) trait LinkTargets: Sync {
    fn target(&self, id: usize) -> Option<(&str, &str)>;
}

impl LinkTargets for [ParsedDoc] {
    fn target(&self, id: usize) -> Option<(&str, &str)> {
        self.get(id).map(|d| (d.slug.as_str(), d.title.as_str()))
    }
}

impl LinkTargets for [crate::model::Document] {
    fn target(&self, id: usize) -> Option<(&str, &str)> {
        self.get(id).map(|d| (d.slug.as_str(), d.title.as_str()))
    }
}

/// The text a body is rendered from: the source file's path and whole text, and where the
/// body starts in it (for the line numbers of warnings).
pub(crate) struct BodySource<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub body_offset: usize,
}

impl<'a> BodySource<'a> {
    pub fn of(d: &'a ParsedDoc) -> Self {
        BodySource {
            path: &d.source.path,
            text: &d.source.text,
            body_offset: d.body_offset,
        }
    }
}

/// A document's body as HTML, with warnings for its broken links; the numbers it mentions
/// are found only when asked ([`RenderedBody::with_mentions`]): assembly takes citations
/// from them, a page and the search index made later do not. Depends on the document, and
/// on the others only through what [`link_context_hash`] covers.
pub(crate) fn render_body<T: LinkTargets + ?Sized>(
    id: usize,
    d: &BodySource,
    cite: &Citations,
    docs: &T,
    slugs: &BTreeMap<PathBuf, String>,
    assets: &BTreeSet<PathBuf>,
    config: &SiteConfig,
) -> (RenderedBody, Vec<Diagnostic>) {
    let dir = d.path.parent().map(Path::to_path_buf).unwrap_or_default();
    let resolve = |dest: &str| resolve_link(dest, &dir, slugs, assets);
    let autolink = |text: &str| -> Vec<AutoLink> {
        find_numbers(text)
            .into_iter()
            .filter_map(|m| {
                let target = cite.resolve(&m.key, m.date, id)?;
                let (slug, title) = docs.target(target)?;
                Some(AutoLink {
                    range: m.start..m.end,
                    href: format!("../{slug}/index.html"),
                    title: title.to_string(),
                })
            })
            .collect()
    };
    let ctx = MdContext {
        allow_html: config.allow_html,
        resolve_link: &resolve,
        autolink: &autolink,
    };
    let body = d.text.get(d.body_offset..).unwrap_or("");
    let rendered = markdown::render(body, &ctx);
    let mut diags = Vec::new();
    // Most bodies have no broken link; only then are their lines counted.
    if !rendered.broken_links.is_empty() {
        let index = LineIndex::new(d.text);
        for b in &rendered.broken_links {
            let (line, col) = index.line_col(d.text, d.body_offset + b.offset);
            diags.push(Diagnostic::warning(
                d.path,
                line,
                col,
                format!("{}: `{}`", b.message, b.dest),
            ));
        }
    }
    let body = RenderedBody {
        html: rendered.html,
        headings: rendered.headings,
        mentions: Default::default(),
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

/// What a lean body ([`RenderedBody::lean`]: the numbers it mentions) and its broken-link
/// warnings depend on beyond the document's own path and text: which link targets exist
/// (every document's path and slug, the content files) and whether raw HTML is allowed (what
/// the plain text keeps). The other documents' titles, numbers and dates only change the HTML,
/// which a lean body drops, so an edit that keeps every slug keeps this hash.
pub(crate) fn lean_context_hash(
    slugs: &BTreeMap<PathBuf, String>,
    assets: &BTreeSet<PathBuf>,
    config: &SiteConfig,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    slugs.hash(&mut h);
    assets.hash(&mut h);
    config.allow_html.hash(&mut h);
    h.finish()
}
