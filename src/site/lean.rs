//! Bodies rendered at page time: what a build keeps of each document's body instead of its
//! HTML and plain text.
//!
//! Takes, from assembly, each document's source path, the hash of the text it read and where
//! the body starts, and the link context bodies are rendered with (slugs, content files, the
//! documents' dates and provinces); gives a document's [`DocBody`] again on demand, by reading
//! its file and rendering it exactly as assembly did. A build holds one body per page being
//! made instead of every body from assembly to the end (at 100,000 documents, ~1.4 GB).

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
        }
    }

    /// The hash of each document's text as assembly read it, by document id.
    pub fn text_hashes(&self) -> Vec<u64> {
        self.docs.iter().map(|&(hash, _)| hash).collect()
    }

    /// Document `id`'s body, rendered from its file as assembly rendered it. An error when the
    /// file cannot be read or changed since assembly read it (the page would not match the
    /// tasks and citations already taken from it).
    pub fn body(&self, site: &Site, id: DocId) -> Result<DocBody, Diagnostic> {
        let (Some(d), Some(&(hash, body_offset))) = (site.documents.get(id), self.docs.get(id))
        else {
            return Ok(DocBody::default());
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
        Ok(DocBody {
            html: body.html,
            headings: body.headings,
            plain_text: body.plain_text,
        })
    }
}
