//! The search index's memo kept between builds (issue 16): in the build cache folder
//! (`search.bin`), so that a build that updates the last output in place
//! ([`super::last_output`]) tokenizes only the edited documents' entries and writes only the
//! index files whose bytes moved, as `serve` does between passes (`render::search::memo`).
//!
//! The memo describes the index files of one output: [`super::LastOutput`] names it by the
//! hash of its bytes, and a memo is used only by the build whose record names it (the record
//! is written after the memo, so a build killed between the two leaves a record that names
//! the previous memo, or none). A site with more than [`MAX_ENTRIES`] search entries keeps
//! no memo: its index is built streaming, as before, because a memo of every entry's terms
//! would not fit beside a 100,000-document build in its memory budget.

use std::path::Path;

use crate::render::search::memo::SearchMemo;

use super::persist::{binary_hash, header, mark_dir, payload};

const FILE: &str = "search.bin";
const MAGIC: &str = "cchc-search-memo";
/// Bumped when the memo changes shape.
const FORMAT: u32 = 1;

/// The most search entries (documents, tasks, units) of a site whose builds keep the memo.
/// A memo costs about 1 kB of memory per entry while it is made (~200 MB at 10,000
/// documents, 160,000 entries); this allows sites up to ~25,000 documents.
pub const MAX_ENTRIES: usize = 400_000;

/// The memo in the cache folder `dir` whose bytes hash to `expected` (as the record of the
/// output names it); `None` when there is none, it is another, or it cannot be read.
pub fn read(dir: &Path, expected: u64) -> Option<SearchMemo> {
    let bytes = std::fs::read(dir.join(FILE)).ok()?;
    let payload = payload(&bytes, MAGIC, FORMAT, binary_hash()?).ok()?;
    if crate::site::bytes_hash(payload) != expected {
        return None;
    }
    SearchMemo::from_bytes(payload)
}

/// Keeps `memo` in the cache folder `dir` (written beside, then renamed over the last one);
/// returns the hash the output's record names it by.
pub fn write(dir: &Path, memo: &SearchMemo) -> Result<u64, String> {
    let failed = |why: String| format!("không ghi được {}: {why}", dir.join(FILE).display());
    let binary = binary_hash().ok_or_else(|| failed("không nhận diện được chương trình".into()))?;
    let payload = memo.to_bytes().map_err(failed)?;
    let hash = crate::site::bytes_hash(&payload);
    let head = header(MAGIC, FORMAT, binary, &payload);
    std::fs::create_dir_all(dir).map_err(|e| failed(e.to_string()))?;
    mark_dir(dir);
    let tmp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        use std::io::Write;
        f.write_all(head.as_bytes())?;
        f.write_all(&payload)
    });
    written
        .and_then(|()| std::fs::rename(&tmp, dir.join(FILE)))
        .map(|()| hash)
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            failed(e.to_string())
        })
}

/// Removes the memo from the cache folder `dir` (a site past [`MAX_ENTRIES`] keeps none, and
/// a stale one would only take space).
pub fn remove(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(FILE));
}
