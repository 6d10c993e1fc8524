//! What the last committed build wrote (issue 16): kept in the build cache folder
//! (`output.bin`), so that the next build into the same output can update it instead of
//! making every file again.
//!
//! The record holds the output folder, the site's [shape](super::shape) (everything its pages
//! show but the documents' bodies, with the theme), the hash of each document's text, the
//! number of pages, and every file of the output as the commit left it (path, length,
//! modification time). A build whose site has the same shape renders only the pages of the
//! documents whose text changed, and the search index when any did (the same two things
//! `serve` renders after an edit of prose); every other file is taken from the output as it
//! is. It does so only when the output on disk is still, file for file, the one recorded:
//! a file added, removed, rewritten or touched since, another output folder, another build of
//! cchc (the header names the binary), a damaged record — each means a full build, which is
//! always correct. The record is written after the output is committed; a build killed in
//! between leaves the previous record, which then no longer matches the output. It also names
//! the search index's memo kept for this output ([`super::index_memo`]), by its nonce.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::DocId;
use crate::write::FileStamp;

use super::persist::{binary_hash, header, mark_dir, payload};

const FILE: &str = "output.bin";
const MAGIC: &str = "cchc-last-output";
/// Bumped when the record changes shape.
const FORMAT: u32 = 2;

/// The record (see the module header).
#[derive(Serialize, Deserialize)]
pub struct LastOutput {
    /// The output folder, absolute.
    out: String,
    shape: u64,
    pages: usize,
    /// The hash of each document's text, by [`DocId`].
    texts: Vec<u64>,
    /// Every file of the output, sorted by path ([`crate::write::snapshot`]).
    files: Vec<FileStamp>,
    /// The nonce of the search index's memo that describes this output's index files.
    search: Option<u64>,
}

/// What the record says of the site that was built.
pub struct Recorded {
    /// [`super::shape::shape_hash`].
    pub shape: u64,
    /// HTML pages in the output.
    pub pages: usize,
    /// The hash of each document's text, by [`DocId`].
    pub texts: Vec<u64>,
}

/// What a build may take from the output as it is.
pub struct Carry {
    /// The documents whose text changed: their pages, and the search index if any, are made
    /// again.
    pub edited: Vec<DocId>,
    /// The output's files as recorded (and found), to be kept where this build does not
    /// write them.
    pub files: Vec<FileStamp>,
    /// For each of them, whether it is linked nowhere else ([`crate::write::Survey::alone`]).
    pub alone: Vec<bool>,
    /// HTML pages in the output.
    pub pages: usize,
    /// The nonce of the search index's memo for this output ([`super::index_memo::read`]).
    pub search: Option<u64>,
}

impl Carry {
    /// The paths of the output's files linked nowhere else ([`crate::write::Survey::alone`]).
    pub fn alone(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .zip(&self.alone)
            .filter(|(_, alone)| **alone)
            .map(|(f, _)| f.0.as_str())
    }
}

impl LastOutput {
    /// The record in the cache folder `dir`, if there is one this binary wrote and can read.
    pub fn read(dir: &Path) -> Option<LastOutput> {
        let bytes = std::fs::read(dir.join(FILE)).ok()?;
        let payload = payload(&bytes, MAGIC, FORMAT, binary_hash()?).ok()?;
        postcard::from_bytes(payload).ok()
    }

    /// What a build of a site of `shape`, whose documents' texts hash to `texts`, may keep of
    /// the output `out` whose files are now `on_disk`: `None` unless the site differs from the
    /// recorded one in its documents' bodies only and the output is the one recorded.
    pub fn carry(
        self,
        out: &Path,
        shape: u64,
        texts: &[u64],
        on_disk: impl FnOnce() -> Option<crate::write::Survey>,
    ) -> Option<Carry> {
        if !self.same_site(out, shape, texts) {
            return None;
        }
        // The walk of the output last: it is the one check that costs.
        let found = on_disk()?;
        if found.files != self.files {
            return None;
        }
        let edited = (0..texts.len())
            .filter(|&i| texts[i] != self.texts[i])
            .collect();
        Some(Carry {
            edited,
            files: self.files,
            alone: found.alone,
            pages: self.pages,
            search: self.search,
        })
    }

    /// The nonce of the search index's memo for the output `out`, when a build of a site of
    /// `shape` whose documents' texts hash to `texts` would update it in place with edits, if
    /// the output on disk is still the recorded one ([`LastOutput::carry`] checks that).
    pub fn memo_for_edits(&self, out: &Path, shape: u64, texts: &[u64]) -> Option<u64> {
        let edited = self.texts.as_slice() != texts;
        (self.same_site(out, shape, texts) && edited)
            .then_some(self.search)
            .flatten()
    }

    /// Whether a build of a site of `shape`, whose documents' texts hash to `texts`, into the
    /// output `out` is of the recorded site (its documents' bodies aside) into the recorded
    /// output.
    fn same_site(&self, out: &Path, shape: u64, texts: &[u64]) -> bool {
        self.shape == shape && self.texts.len() == texts.len() && self.is_for(out)
    }

    /// Whether the recorded output is the folder `out`.
    pub fn is_for(&self, out: &Path) -> bool {
        absolute(out).is_some_and(|o| o == self.out)
    }

    /// Records the output `out` just committed, with the nonce of its search index's memo
    /// (`search`), in the cache folder `dir`: written beside the record, then renamed over it.
    /// `files` are the output's files when the build knows them (an in-place build: those it
    /// kept, and those it wrote, stamped again); otherwise the output is walked.
    pub fn write(
        dir: &Path,
        out: &Path,
        site: Recorded,
        search: Option<u64>,
        files: Option<Vec<FileStamp>>,
    ) -> Result<(), String> {
        let failed = |why: String| format!("không ghi được {}: {why}", dir.join(FILE).display());
        let binary =
            binary_hash().ok_or_else(|| failed("không nhận diện được chương trình".into()))?;
        let files = files.or_else(|| crate::write::snapshot(out));
        let (Some(out_abs), Some(files)) = (absolute(out), files) else {
            return Err(failed("không đọc được thư mục đầu ra".into()));
        };
        let record = LastOutput {
            out: out_abs,
            shape: site.shape,
            pages: site.pages,
            texts: site.texts,
            files,
            search,
        };
        let payload = postcard::to_allocvec(&record).map_err(|e| failed(e.to_string()))?;
        let mut bytes = header(MAGIC, FORMAT, binary, &payload).into_bytes();
        bytes.extend_from_slice(&payload);
        std::fs::create_dir_all(dir).map_err(|e| failed(e.to_string()))?;
        mark_dir(dir);
        let tmp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, &bytes)
            .and_then(|()| std::fs::rename(&tmp, dir.join(FILE)))
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                failed(e.to_string())
            })
    }
}

/// `out` absolute, as a string (the record names its output by it).
fn absolute(out: &Path) -> Option<String> {
    crate::write::absolute(out).to_str().map(str::to_owned)
}
