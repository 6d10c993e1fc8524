//! The search index's memo kept between builds (issue 16): in the build cache folder, its
//! parts in an append-only store (`search-<nonce>.store`, see `render::search::memo_store`)
//! and a manifest naming where each lies (`search.bin`, behind the cache's header), so that a
//! build that updates the last output in place (`super::last_output`) tokenizes only the
//! edited documents' entries and writes only the index files whose bytes moved, as `serve`
//! does between passes (`render::search::memo`). A save appends only the chunks an update
//! touched to the store; the manifest is staged beside the current one and renamed over it
//! once the output is committed, and the stores it does not name are then removed.
//!
//! Only in-place builds make and keep it: the first after a full build makes it (every entry
//! tokenized), those after it go through it. A full build makes its index the lean way and
//! removes the memo: a memo costs ~70% more index time and ~300 MB at 10,000 documents to
//! make, and full builds (a task, a unit, a title changed) are as common as prose edits.
//!
//! The memo describes the index files of one output: [`super::LastOutput`] names it by the
//! random nonce it was written with, and a memo is used only by the build whose record names
//! it (the record is written after the memo, so a build killed between the two leaves a
//! record that names the previous memo, or none). A site with more than [`MAX_ENTRIES`]
//! search entries keeps no memo: its in-place builds make the index the lean way too.

use std::path::{Path, PathBuf};

use crate::render::search::memo::{SearchMemo, STORE_PREFIX, STORE_SUFFIX};

use super::persist::{binary_hash, header, mark_dir, payload, remove_files, StagedCache};

const FILE: &str = "search.bin";
const MAGIC: &str = "cchc-search-memo";
/// Bumped when the memo changes shape.
const FORMAT: u32 = 3;

/// The most search entries (documents, tasks, units) of a site whose builds keep the memo.
/// A memo costs about 2–3 kB of memory per entry while it is made (~280 MB kept and ~230 MB
/// more at its peak, at 10,000 documents and 160,000 entries); this allows sites up to
/// ~25,000 documents.
pub const MAX_ENTRIES: usize = 400_000;

/// The memo in the cache folder `dir` whose nonce is `expected` (as the record of the output
/// names it); `None` when there is none, it is another, or it cannot be read. Its store stays
/// open in the memo, which appends to it when it is saved again.
pub fn read(dir: &Path, expected: u64) -> Option<SearchMemo> {
    let bytes = std::fs::read(dir.join(FILE)).ok()?;
    let manifest = payload(&bytes, MAGIC, FORMAT, binary_hash()?).ok()?;
    SearchMemo::read(dir, manifest, expected)
}

/// A memo being written ([`stage`]) on a thread of its own, which hands over what it wrote
/// and then drops the memo (~350 MB at 10,000 documents) without keeping the build waiting.
/// Dropped unwaited, it waits for the thread and removes what it wrote.
pub struct Saving {
    thread: Option<std::thread::JoinHandle<()>>,
    staged: std::sync::mpsc::Receiver<Result<StagedMemo, String>>,
}

impl Saving {
    /// Starts writing `memo` beside the one in the cache folder `dir`.
    pub fn start(dir: &Path, memo: SearchMemo) -> Saving {
        let dir = dir.to_path_buf();
        let (send, staged) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let written = crate::timed("search memo: save", || stage(&dir, &memo));
            // Unreceived (a failed build), the staged file goes with the channel.
            let _ = send.send(written);
        });
        Saving {
            thread: Some(thread),
            staged,
        }
    }

    /// The memo, written, to be put in place; the thread goes on to drop the memo.
    pub fn wait(mut self) -> Result<StagedMemo, String> {
        self.thread = None;
        self.staged
            .recv()
            .unwrap_or_else(|_| Err("luồng ghi bộ nhớ tìm kiếm dừng bất thường".into()))
    }
}

impl Drop for Saving {
    fn drop(&mut self) {
        if let Some(h) = self.thread.take() {
            // The staged file goes with what the thread sent.
            drop(h.join());
            drop(self.staged.try_recv());
        }
    }
}

/// Writes `memo` into the cache folder `dir` (its parts into a store, see
/// `render::search::memo_store`), its manifest beside the current one, to be put in its place
/// once the output it describes is committed ([`StagedMemo::publish`]; dropped unpublished,
/// the manifest is removed, and so is the store when the save made one).
pub fn stage(dir: &Path, memo: &SearchMemo) -> Result<StagedMemo, String> {
    let failed = |why: String| format!("không ghi được {}: {why}", dir.join(FILE).display());
    let binary = binary_hash().ok_or_else(|| failed("không nhận diện được chương trình".into()))?;
    let encoded = crate::timed("search memo: encode", || memo.encode()).map_err(failed)?;
    std::fs::create_dir_all(dir).map_err(|e| failed(e.to_string()))?;
    mark_dir(dir);
    let saved = encoded.save(dir).map_err(|e| failed(e.to_string()))?;
    let staged = StagedMemo {
        file: StagedCache::beside(dir, FILE),
        nonce: encoded.nonce(),
        made: MadeStore(saved.made.then(|| saved.store.clone())),
        store: saved.store,
        dir: dir.to_path_buf(),
    };
    let mut bytes = header(MAGIC, FORMAT, binary, &saved.manifest).into_bytes();
    bytes.extend_from_slice(&saved.manifest);
    std::fs::write(staged.file.tmp(), bytes)
        .map(|()| staged)
        .map_err(|e| failed(e.to_string()))
}

/// A memo written into the cache folder, its manifest not yet in place.
pub struct StagedMemo {
    file: StagedCache,
    nonce: u64,
    /// The store the memo's parts lie in.
    store: PathBuf,
    /// The same, when the save made it (rather than appending to the last one).
    made: MadeStore,
    dir: PathBuf,
}

impl StagedMemo {
    /// Puts the memo's manifest in place and removes the stores it does not use; returns the
    /// nonce the output's record names the memo by.
    pub fn publish(self) -> Result<u64, String> {
        let StagedMemo {
            file,
            nonce,
            store,
            mut made,
            dir,
        } = self;
        file.publish()?;
        // Published, the store is the memo's: it stays, and any other goes.
        made.0 = None;
        remove_stores(&dir, Some(&store));
        Ok(nonce)
    }
}

/// A store a save made, removed when dropped unless taken: unpublished, it holds nothing any
/// manifest names.
struct MadeStore(Option<PathBuf>);

impl Drop for MadeStore {
    fn drop(&mut self) {
        if let Some(store) = &self.0 {
            let _ = std::fs::remove_file(store);
        }
    }
}

/// Removes the stores of the cache folder `dir` but `keep`.
fn remove_stores(dir: &Path, keep: Option<&Path>) {
    remove_files(dir, |name, entry| {
        let store = name.starts_with(STORE_PREFIX) && name.ends_with(STORE_SUFFIX);
        store && keep != Some(entry.path().as_path())
    });
}

/// Removes the memo from the cache folder `dir` (a site past [`MAX_ENTRIES`] keeps none, and
/// a stale one would only take space).
pub fn remove(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(FILE));
    remove_stores(dir, None);
}
