//! Where `serve` keeps the published site: on disk, in a folder of its own under the system
//! temporary directory, with only each file's length and hash in memory (a 10,000-document
//! portal publishes over a gigabyte; holding it in the process is what made `serve` need
//! gigabytes of memory).
//!
//! Takes finished outputs (path + bytes); keeps `<dir>/site/<path>`, written through a
//! temporary name and renamed, so a request never reads half a file. A pass that may still
//! fail stages its changed files under `<dir>/next/` and publishes them only on success
//! ([`Store::stage`], [`Store::publish`], [`Store::discard`]), so a broken edit leaves the
//! last good site as it was. The folder is removed when the store is dropped; folders left
//! by a `serve` that was killed are removed by the next one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Length and hash of a published file: equal for equal bytes, and (64-bit hash plus length)
/// different for different bytes save by astronomically rare accident.
pub type Stamp = (u64, u64);

/// The published site on disk.
pub struct Store {
    dir: PathBuf,
    /// Published path → stamp.
    index: HashMap<String, Stamp>,
    /// Staged path → stamp, published by [`Store::publish`].
    staged: HashMap<String, Stamp>,
}

const PREFIX: &str = "cchc-serve-";

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

impl Store {
    /// A fresh, empty store in its own folder under the system temporary directory.
    pub fn new() -> Store {
        static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let base = std::env::temp_dir();
        remove_stale(&base);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = base.join(format!("{PREFIX}{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Store {
            dir,
            index: HashMap::new(),
            staged: HashMap::new(),
        }
    }

    /// True before anything was published.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The published paths and their stamps.
    pub fn index(&self) -> &HashMap<String, Stamp> {
        &self.index
    }

    /// Where the published file `path` lives (it exists when `path` is in the index).
    pub fn file(&self, path: &str) -> PathBuf {
        self.dir.join("site").join(path)
    }

    /// The folder the published files are in (`<path>` is `site_dir()/<path>`).
    pub fn site_dir(&self) -> PathBuf {
        self.dir.join("site")
    }

    /// The bytes of published file `path`.
    pub fn read(&self, path: &str) -> Option<Vec<u8>> {
        self.index
            .contains_key(path)
            .then(|| std::fs::read(self.file(path)).ok())
            .flatten()
    }

    /// Publishes `path` at once; true when its bytes are new.
    pub fn put(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<bool> {
        let s = stamp(bytes);
        if self.index.get(path) == Some(&s) {
            return Ok(false);
        }
        write_atomic(&self.file(path), bytes)?;
        self.index.insert(path.to_string(), s);
        Ok(true)
    }

    /// Stages `path` for [`Store::publish`] when its bytes differ from the published ones;
    /// true when staged. Safe to call from several threads at once for different paths
    /// through [`Store::stage_file`]; this form records the stamp too.
    pub fn stage(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<bool> {
        match Self::stage_file(&self.dir, &self.index, path, bytes)? {
            Some(s) => {
                self.staged.insert(path.to_string(), s);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The writing half of [`Store::stage`], for a pass that renders on many threads: writes
    /// `path` under `next/` when it differs from `index`, and returns its stamp then.
    pub fn stage_file(
        dir: &Path,
        index: &HashMap<String, Stamp>,
        path: &str,
        bytes: &[u8],
    ) -> std::io::Result<Option<Stamp>> {
        let s = stamp(bytes);
        if index.get(path) == Some(&s) {
            return Ok(None);
        }
        write_atomic(&dir.join("next").join(path), bytes)?;
        Ok(Some(s))
    }

    /// This store's folder and published index, for [`Store::stage_file`].
    pub fn parts(&self) -> (&Path, &HashMap<String, Stamp>) {
        (&self.dir, &self.index)
    }

    /// Records files staged by [`Store::stage_file`].
    pub fn staged(&mut self, files: impl IntoIterator<Item = (String, Stamp)>) {
        self.staged.extend(files);
    }

    /// Moves every staged file into the site and removes the published files `gone`.
    pub fn publish(&mut self, gone: &[String]) -> std::io::Result<()> {
        for (path, s) in std::mem::take(&mut self.staged) {
            let to = self.file(&path);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::rename(self.dir.join("next").join(&path), &to)?;
            self.index.insert(path, s);
        }
        for k in gone {
            self.index.remove(k);
            let _ = std::fs::remove_file(self.file(k));
        }
        let _ = std::fs::remove_dir_all(self.dir.join("next"));
        Ok(())
    }

    /// Drops every staged file (the pass failed).
    pub fn discard(&mut self) {
        self.staged.clear();
        let _ = std::fs::remove_dir_all(self.dir.join("next"));
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Length and hash of `bytes`.
pub fn stamp(bytes: &[u8]) -> Stamp {
    (bytes.len() as u64, crate::site::bytes_hash(bytes))
}

/// Writes `bytes` to `to` through a temporary name beside it, so readers see the old file
/// or the new one, never a part.
fn write_atomic(to: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut tmp = to.as_os_str().to_owned();
    tmp.push(".cchc-tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, to)
}

/// Removes the folders of `serve` processes that no longer run (Linux: no `/proc/<pid>`;
/// elsewhere nothing is removed).
fn remove_stale(base: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_files_appear_only_when_published_and_the_folder_goes_with_the_store() {
        let mut store = Store::new();
        let dir = store.site_dir();
        assert!(store.put("a/index.html", b"one").unwrap());
        assert!(!store.put("a/index.html", b"one").unwrap(), "same bytes");
        assert_eq!(store.read("a/index.html").as_deref(), Some(&b"one"[..]));
        // A failed pass: nothing it staged is seen.
        assert!(store.stage("a/index.html", b"two").unwrap());
        assert!(store.stage("b.txt", b"new").unwrap());
        store.discard();
        assert_eq!(store.read("a/index.html").as_deref(), Some(&b"one"[..]));
        assert_eq!(store.read("b.txt"), None);
        // A good one: staged files replace the published ones, `gone` ones go.
        assert!(!store.stage("a/index.html", b"one").unwrap(), "unchanged");
        assert!(store.stage("b.txt", b"new").unwrap());
        store.publish(&[]).unwrap();
        assert_eq!(store.read("b.txt").as_deref(), Some(&b"new"[..]));
        store.publish(&["a/index.html".to_string()]).unwrap();
        assert_eq!(store.read("a/index.html"), None);
        assert!(!dir.join("a/index.html").exists());
        assert_eq!(store.index().len(), 1);
        drop(store);
        assert!(!dir.exists(), "the store's folder is removed with it");
    }
}
