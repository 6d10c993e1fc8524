//! Bodies rendered at page time: what a build keeps of each document's body instead of its
//! HTML and plain text.
//!
//! Takes, from assembly, each document's source path, the hash of the text it read and where
//! the body starts, and the link context bodies are rendered with (slugs, content files, the
//! documents' dates and provinces); gives a document's [`DocBody`] again on demand, by reading
//! its file and rendering it exactly as assembly did. A build holds one body per page being
//! made instead of every body from assembly to the end (at 100,000 documents, ~1.4 GB).
//!
//! A smaller site keeps the bodies assembly rendered ([`KeptBodies`]), as far as a budget
//! allows: at 10,000 generated documents ~110 MB (a peak of ~470 MB against ~315 MB), which
//! spares reading and rendering every body twice more (for its page, then for its search
//! entry): ~5% of the build's CPU and wall time.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::link::body::{render_body, BodySource};
use crate::link::cite::{Citations, DocStamp};
use crate::model::{DocBody, DocId, Site};
use crate::parse::document::ParsedDoc;

use super::cache::text_hash;

/// How to make each document's body again (see the module header).
#[derive(Default)]
pub struct BodySources {
    root: PathBuf,
    /// By document id: the hash of the text assembly read, and where its body starts.
    docs: Vec<(u64, usize)>,
    slugs: BTreeMap<PathBuf, String>,
    assets: BTreeSet<PathBuf>,
    stamps: Vec<DocStamp>,
    kept: KeptBodies,
}

/// Bytes of bodies (HTML, plain text, headings) a build keeps from assembly for its pages and
/// search entries.
const KEEP_BODIES_BYTES: usize = 256 << 20;

/// The bodies assembly rendered, by document id, kept whole while they fit
/// [`KEEP_BODIES_BYTES`] on a site of fewer than [`crate::alloc::LEAN_FROM`] documents (a
/// larger one keeps none: there the peak is what counts). A body assembly did not render (its
/// lean part came from the build cache) or that did not fit is `None`, and rendered again.
#[derive(Default)]
pub(super) struct KeptBodies {
    bodies: Vec<Option<DocBody>>,
    bytes: usize,
    budget: usize,
}

impl KeptBodies {
    /// An empty store for a site of `documents` documents, which keeps nothing unless `keep`.
    pub fn for_site(documents: usize, keep: bool) -> Self {
        KeptBodies {
            budget: if keep && documents < crate::alloc::LEAN_FROM {
                KEEP_BODIES_BYTES
            } else {
                0
            },
            ..KeptBodies::default()
        }
    }

    /// Whether bodies are kept at all (a larger site's assembly need not hand them over).
    pub fn wanted(&self) -> bool {
        self.budget > 0
    }

    /// The next document's body, in document order: kept if it fits what is left.
    pub fn push(&mut self, body: Option<DocBody>) {
        let body = body.and_then(|mut b| {
            let size = b.html.len()
                + b.plain_text.len()
                + b.headings
                    .iter()
                    .map(|h| std::mem::size_of_val(h) + h.id.len() + h.text.len())
                    .sum::<usize>();
            (self.bytes + size <= self.budget).then(|| {
                self.bytes += size;
                b.html.shrink_to_fit();
                b.plain_text.shrink_to_fit();
                b
            })
        });
        self.bodies.push(body);
    }

    fn get(&self, id: DocId) -> Option<&DocBody> {
        self.bodies.get(id)?.as_ref()
    }
}

impl BodySources {
    /// From the parsed documents in site order (after slugs are settled) and the hash of
    /// each one's text as read (its text may be gone by now).
    pub(super) fn new(
        root: &Path,
        docs: &[ParsedDoc],
        hashes: Vec<u64>,
        stamps: &[DocStamp],
        assets: &BTreeSet<PathBuf>,
    ) -> Self {
        BodySources {
            root: root.to_path_buf(),
            docs: hashes
                .into_iter()
                .zip(docs)
                .map(|(h, d)| (h, d.body_offset))
                .collect(),
            slugs: docs
                .iter()
                .map(|d| (d.source.path.clone(), d.slug.clone()))
                .collect(),
            assets: assets.clone(),
            stamps: stamps.to_vec(),
            kept: KeptBodies::default(),
        }
    }

    /// Gives the bodies in `kept` from there instead of rendering them again.
    pub(super) fn keeping(self, kept: KeptBodies) -> Self {
        BodySources { kept, ..self }
    }

    /// The hash of each document's text as assembly read it, by document id.
    pub fn text_hashes(&self) -> Vec<u64> {
        self.docs.iter().map(|&(hash, _)| hash).collect()
    }

    /// Document `id`'s body: the one assembly rendered, if kept (borrowed), or rendered from
    /// its file as assembly rendered it. An error when the file cannot be read or changed since
    /// assembly read it (the page would not match the tasks and citations already taken from
    /// it).
    pub fn body(&self, site: &Site, id: DocId) -> Result<Cow<'_, DocBody>, Diagnostic> {
        if let Some(kept) = self.kept.get(id) {
            return Ok(Cow::Borrowed(kept));
        }
        let (Some(d), Some(&(hash, body_offset))) = (site.documents.get(id), self.docs.get(id))
        else {
            return Ok(Cow::Owned(DocBody::default()));
        };
        let changed = |why: String| {
            Diagnostic::error(&d.source, 0, 0, why)
                .with_hint("tệp bị sửa trong khi dựng trang; hãy dựng lại")
        };
        // Read again as `load` read it (size, UTF-8, normalisation), so the hash compares; a
        // text that hashes as it did then is taken as it is.
        let mut as_read = false;
        let (_, text) =
            crate::load::reread_document(&self.root, &self.root.join(&d.source), |raw| {
                as_read = text_hash(raw) == hash;
                as_read
            })
            .ok_or_else(|| {
                changed(
                    "không đọc lại được tệp (không còn đọc được, hoặc không còn là UTF-8 hợp lệ)"
                        .into(),
                )
            })?;
        if !as_read && text_hash(&text) != hash {
            return Err(changed("tệp đã thay đổi từ lúc đọc".into()));
        }
        let source = BodySource {
            path: &d.source,
            text: &text,
            body_offset,
        };
        let cite = Citations {
            numbers: &site.numbers,
            stamps: &self.stamps,
        };
        let (body, _warnings_already_reported) = render_body(
            id,
            &source,
            &cite,
            &site.documents[..],
            &self.slugs,
            &self.assets,
            &site.config,
        );
        Ok(Cow::Owned(body.split().1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html_bytes: usize) -> DocBody {
        DocBody {
            html: "x".repeat(html_bytes),
            ..DocBody::default()
        }
    }

    #[test]
    fn bodies_are_kept_by_document_while_they_fit_the_budget() {
        let mut kept = KeptBodies {
            budget: 10,
            ..KeptBodies::default()
        };
        for b in [Some(body(6)), None, Some(body(5)), Some(body(4))] {
            kept.push(b);
        }
        let lens: Vec<Option<usize>> = (0..5).map(|i| kept.get(i).map(|b| b.html.len())).collect();
        assert_eq!(lens, [Some(6), None, None, Some(4), None]);
    }

    #[test]
    fn a_large_site_or_a_lean_assembly_told_so_keeps_none() {
        assert!(KeptBodies::for_site(10, true).wanted());
        assert!(!KeptBodies::for_site(10, false).wanted());
        assert!(!KeptBodies::for_site(crate::alloc::LEAN_FROM, true).wanted());
    }
}
