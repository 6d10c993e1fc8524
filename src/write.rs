//! Writing the output tree safely.
//!
//! The build is written into a temporary directory beside `--out` and swapped in only when
//! every file is written, so a failed or killed build leaves the previous output untouched.
//! The output directory carries a marker file; a non-empty directory without it is refused, so
//! the tool never deletes files it did not write. A lock file keeps two builds from writing into
//! the same directory at once. `.git` inside the output (publishing through git) is carried over.
//! A build with the cache keeps the output it replaced as the next build's staging folder
//! (`spare`); otherwise the replaced output is removed.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

mod lock;
mod spare;
mod tree;
use lock::{remove_stale_temps, take_lock, Lock};
pub use tree::{holds_copy, snapshot, stamp, survey, EarlySurvey, FileStamp, Survey};
use tree::{is_copy_of, missing_files, remove_tree};

/// Name of the marker file that says "cchc wrote this directory".
pub const MARKER: &str = ".cchc-output";

/// Entries of an old output that are carried into the new one rather than deleted.
const KEEP: &[&str] = &[".git"];

/// The suffix of the previous output kept beside the output (`.<out>.cchc-spare`) as the
/// next build's staging folder (`write::spare`).
const SPARE: &str = "cchc-spare";

/// Past this many paths where the new output differs from the previous one, the previous
/// output is removed rather than kept as the spare: mending it would cost the next build
/// about what a fresh staging folder does, and the list is held in memory until the commit
/// (at 100,000 documents a full build writes ~600,000 files).
const MAX_DIFFERS: usize = if cfg!(test) { 8 } else { 16_384 };

/// One file to write: path relative to the output root (`/`-separated) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A file copied as is from the content folder.
#[derive(Debug, Clone)]
pub struct Copy {
    pub from: PathBuf,
    pub to: String,
}

/// What can go wrong while writing; each names the path concerned.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("từ chối ghi vào `{path}`: {reason}")]
    Refused { path: PathBuf, reason: String },
    #[error("một lần build khác đang ghi vào `{path}` (tệp khóa `{lock}`); chờ nó xong hoặc xóa tệp khóa nếu nó đã dừng")]
    Locked { path: PathBuf, lock: PathBuf },
    #[error("đường dẫn đầu ra không an toàn `{0}`")]
    UnsafePath(String),
    #[error("lỗi ghi `{path}`: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that `out` is a sensible place to write: not `/`, not the home directory, not the
/// site root or its content folder, nor any ancestor of them.
pub fn check_out_dir(out: &Path, site_root: &Path) -> Result<(), WriteError> {
    let out_abs = absolute(out);
    let root_abs = absolute(site_root);
    let refuse = |reason: &str| {
        Err(WriteError::Refused {
            path: out.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    if out_abs.parent().is_none() {
        return refuse("đó là thư mục gốc `/`");
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if absolute(&home) == out_abs {
            return refuse("đó là thư mục nhà (home)");
        }
    }
    if root_abs.starts_with(&out_abs) {
        return refuse("đó là thư mục của trang hoặc một thư mục cha của nó");
    }
    if out_abs.starts_with(root_abs.join("content")) {
        return refuse("nằm trong thư mục `content/`");
    }
    if out_abs.starts_with(root_abs.join("themes")) {
        return refuse("nằm trong thư mục `themes/`");
    }
    Ok(())
}

/// Makes a path absolute and lexically clean (`.`/`..` resolved) without touching the disk,
/// so checks work for directories that do not exist yet.
pub fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let base = joined.canonicalize().unwrap_or(joined);
    let mut out = PathBuf::new();
    for c in base.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// True when `rel` is a plain relative path that stays inside the output root.
pub fn is_safe_rel_path(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && !rel.contains('\0')
        && rel
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// Refuses a non-empty directory that is not ours.
fn check_ownership(out: &Path) -> Result<(), WriteError> {
    let Ok(mut entries) = fs::read_dir(out) else {
        return Ok(());
    };
    let non_empty = entries.next().is_some();
    if non_empty && !out.join(MARKER).exists() {
        return Err(WriteError::Refused {
            path: out.to_path_buf(),
            reason: format!(
                "thư mục không trống và không do cchc tạo (thiếu tệp `{MARKER}`); chọn thư mục khác bằng `--out` hoặc tự dọn thư mục này"
            ),
        });
    }
    Ok(())
}

/// A build being written: files go into a temporary directory beside the output as they are
/// rendered; [`Staging::commit`] swaps it in, and dropping it uncommitted removes it, so the
/// previous output is untouched by a failed build.
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    /// Held until the previous output is removed ([`Removal`]).
    lock: Option<Lock>,
    /// Folders made so far, as paths relative to `tmp` (a hashed string: a tree of `PathBuf`s
    /// compared them component by component, ~3% of an in-place build's CPU).
    dirs: std::sync::Mutex<HashSet<String>>,
    /// First write error, reported at commit.
    failed: std::sync::Mutex<Option<WriteError>>,
    files: AtomicUsize,
    /// Files carried over from the previous output because their bytes did not change.
    unchanged: AtomicUsize,
    /// The previous output, when there is one of ours to compare against.
    previous: Option<PathBuf>,
    /// How many of the previous output's files the new one lacks, when [`Staging::carry`]
    /// was told which it drops (otherwise the commit counts them).
    removed: std::sync::OnceLock<usize>,
    /// Set when the staging folder is the previous output's spare ([`Staging::adopt_spare`]):
    /// it holds the output's files already, as links that a write replaces, never writes
    /// through.
    recycled: bool,
    /// The paths where the new output differs from the previous one: files written anew
    /// (not kept as links) and files dropped. The previous output becomes the next build's
    /// spare with this list; `None` once a path could not be listed (no spare is kept).
    differs: std::sync::Mutex<Option<Vec<String>>>,
    /// In a recycled staging folder: the paths put or copied, which `carry` leaves alone.
    put_here: std::sync::Mutex<HashSet<String>>,
    committed: bool,
}

/// What a committed build wrote, compared with the output it replaced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files in the new output.
    pub files: usize,
    /// Files new or with other bytes than before (rewritten).
    pub changed: usize,
    /// Files of the previous output that the new one no longer has.
    pub removed: usize,
}

impl Staging {
    /// Locks `out`, checks it is ours (or empty), and creates the temporary directory. With
    /// `keep_spare` (a build with the cache, whose next build may carry), the commit keeps the
    /// output it replaces as the next build's spare (`write::spare`).
    pub fn begin(out: &Path, keep_spare: bool) -> Result<Staging, WriteError> {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let lock = take_lock(out)?;
        check_ownership(out)?;
        remove_stale_temps(out);
        let tmp = sibling(out, &format!("cchc-tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?;
        }
        fs::create_dir_all(&tmp).map_err(io_err(&tmp))?;
        let previous = out.join(MARKER).is_file().then(|| out.to_path_buf());
        let differs = (keep_spare && previous.is_some()).then(Vec::new);
        Ok(Staging {
            out: out.to_path_buf(),
            tmp,
            lock: Some(lock),
            dirs: Default::default(),
            failed: Default::default(),
            files: Default::default(),
            unchanged: Default::default(),
            previous,
            removed: Default::default(),
            recycled: false,
            differs: std::sync::Mutex::new(differs),
            put_here: Default::default(),
            committed: false,
        })
    }

    /// Takes the spare a committed build kept of the output it replaced (see `write::spare`)
    /// as the staging folder, mended into a copy of the current output (the paths its
    /// manifest lists, and those `alone` in the output, see [`Survey::alone`]): the build then
    /// puts its files and [`Staging::carry`] drops what the new output lacks, instead of
    /// linking every kept file into an empty folder. Only for a build that will carry. False
    /// (the staging folder stays an empty one) when there is no spare for this output.
    pub fn adopt_spare<'a>(&mut self, alone: impl Iterator<Item = &'a str>) -> bool {
        let spare = sibling(&self.out, SPARE);
        if self.previous.is_none() || !spare.is_dir() || fs::remove_dir(&self.tmp).is_err() {
            return false;
        }
        self.recycled = spare::adopt(&spare, &self.out, &self.tmp, alone);
        if !self.recycled {
            // Moved but not mended: removed here, as a failed build's staging folder is.
            let _ = remove_tree(&self.tmp);
        }
        if !self.tmp.exists() {
            if let Err(e) = fs::create_dir_all(&self.tmp) {
                self.record(WriteError::Io {
                    path: self.tmp.clone(),
                    source: e,
                });
            }
        }
        self.recycled
    }

    /// Notes a path where the new output differs from the previous one.
    fn differs(&self, rel: &str) {
        if let Ok(mut differs) = self.differs.lock() {
            match differs.as_mut() {
                Some(d) if d.len() < MAX_DIFFERS => d.push(rel.to_owned()),
                Some(_) => *differs = None,
                None => {}
            }
        }
    }

    /// Links the previous output's `rel` into `path` when it holds exactly `same` bytes
    /// (compared lazily: the size first, then the content). True when linked.
    fn reuse(&self, rel: &str, path: &Path, same: impl FnOnce(&Path, u64) -> bool) -> bool {
        if self.recycled {
            return self.keep_recycled(rel, path, same);
        }
        let Some(prev) = &self.previous else {
            return false;
        };
        let old = prev.join(rel);
        let Ok(meta) = fs::symlink_metadata(&old) else {
            return false;
        };
        // A hard link can fail (another file system, a file system without links): then the
        // file is simply written anew.
        let linked = meta.is_file() && same(&old, meta.len()) && fs::hard_link(&old, path).is_ok();
        if linked {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        }
        linked
    }

    /// In a recycled staging folder: true when the file at `path` (a link to the output's)
    /// already holds exactly `same` bytes; otherwise it is removed, so that the write that
    /// follows makes a new file instead of writing into the output's.
    fn keep_recycled(&self, rel: &str, path: &Path, same: impl FnOnce(&Path, u64) -> bool) -> bool {
        if let Ok(mut p) = self.put_here.lock() {
            p.insert(rel.to_owned());
        }
        let meta = fs::symlink_metadata(path);
        if meta
            .as_ref()
            .is_ok_and(|m| m.is_file() && same(path, m.len()))
        {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return true;
        }
        if let Err(e) = meta.and_then(|_| fs::remove_file(path)) {
            if e.kind() != io::ErrorKind::NotFound {
                self.record(WriteError::Io {
                    path: path.to_path_buf(),
                    source: e,
                });
            }
        }
        false
    }

    fn record(&self, e: WriteError) {
        if let Ok(mut f) = self.failed.lock() {
            f.get_or_insert(e);
        }
    }

    fn target(&self, rel: &str) -> Option<PathBuf> {
        if !is_safe_rel_path(rel) {
            self.record(WriteError::UnsafePath(rel.to_string()));
            return None;
        }
        if let Some((dir, _)) = rel.rsplit_once('/') {
            let known = self.dirs.lock().map(|d| d.contains(dir)).unwrap_or(false);
            if !known {
                let path = self.tmp.join(dir);
                if let Err(e) = fs::create_dir_all(&path) {
                    self.record(WriteError::Io { path, source: e });
                    return None;
                }
                if let Ok(mut d) = self.dirs.lock() {
                    d.insert(dir.to_owned());
                }
            }
        }
        Some(self.tmp.join(rel))
    }

    /// Writes one file (safe to call from many threads). Errors are kept for `commit`.
    pub fn put(&self, o: &Output) {
        if let Some(path) = self.target(&o.path) {
            let same = |old: &Path, len: u64| {
                len == o.bytes.len() as u64 && fs::read(old).is_ok_and(|b| b == o.bytes)
            };
            if self.reuse(&o.path, &path, same) {
                self.files.fetch_add(1, Ordering::Relaxed);
                return;
            }
            match fs::write(&path, &o.bytes) {
                Ok(()) => {
                    self.files.fetch_add(1, Ordering::Relaxed);
                    self.differs(&o.path);
                }
                Err(e) => self.record(WriteError::Io { path, source: e }),
            }
        }
    }

    /// Copies one content file as is.
    pub fn copy(&self, c: &Copy) {
        if let Some(path) = self.target(&c.to) {
            let same = |old: &Path, len: u64| is_copy_of(old, len, &c.from);
            if self.reuse(&c.to, &path, same) {
                self.files.fetch_add(1, Ordering::Relaxed);
                return;
            }
            match fs::copy(&c.from, &path) {
                Ok(_) => {
                    self.files.fetch_add(1, Ordering::Relaxed);
                    self.differs(&c.to);
                }
                Err(e) => self.record(WriteError::Io {
                    path: c.from.clone(),
                    source: e,
                }),
            }
        }
    }

    /// Takes the previous output's files `kept` (as recorded) into the new one as they are
    /// (hard links, same modification time), except those this build has already written: a
    /// build that knows they cannot have changed (see `site::last_output`) renders only the
    /// rest. A file that cannot be linked is copied. `dropped` are the previous output's other
    /// files: those this build did not write again are the ones the new output lacks.
    pub fn carry(&self, kept: &[FileStamp], dropped: &[String]) {
        let Some(prev) = &self.previous else {
            self.record(WriteError::Refused {
                path: self.out.clone(),
                reason: "không có bản dựng trước để giữ lại tệp".into(),
            });
            return;
        };
        if self.recycled {
            return self.carry_recycled(kept, dropped);
        }
        kept.par_iter().for_each(|(rel, ..)| {
            let Some(path) = self.target(rel) else {
                return;
            };
            match fs::hard_link(prev.join(rel), &path) {
                Ok(()) => self.count_kept(),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(_) => self.copy_kept(prev, rel, &path),
            }
        });
        let gone: Vec<&String> = dropped
            .iter()
            .filter(|rel| !self.tmp.join(rel).exists())
            .collect();
        gone.iter().for_each(|rel| self.differs(rel));
        let _ = self.removed.set(gone.len());
    }

    /// [`Staging::carry`] into the spare, which holds the output's files already (mended in
    /// [`Staging::adopt_spare`]): the kept ones are counted, the dropped ones removed.
    fn carry_recycled(&self, kept: &[FileStamp], dropped: &[String]) {
        let Ok(put) = self.put_here.lock() else {
            return;
        };
        let kept = kept.iter().filter(|(rel, ..)| !put.contains(rel)).count();
        self.files.fetch_add(kept, Ordering::Relaxed);
        self.unchanged.fetch_add(kept, Ordering::Relaxed);
        let mut gone = 0;
        for rel in dropped.iter().filter(|rel| !put.contains(*rel)) {
            match spare::remove_file_and_empty_folders(&self.tmp, rel) {
                Ok(()) => {
                    gone += 1;
                    self.differs(rel);
                }
                Err(e) => self.record(WriteError::Io {
                    path: self.tmp.join(rel),
                    source: e,
                }),
            }
        }
        let _ = self.removed.set(gone);
    }

    fn count_kept(&self) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.unchanged.fetch_add(1, Ordering::Relaxed);
    }

    /// Copies the previous output's `rel` to `path` where it cannot be linked.
    fn copy_kept(&self, prev: &Path, rel: &str, path: &Path) {
        let old = prev.join(rel);
        if fs::copy(&old, path).is_ok() {
            self.count_kept();
        } else {
            self.record(WriteError::Io {
                path: old,
                source: io::Error::other("không giữ lại được tệp của bản dựng trước"),
            });
        }
    }

    /// Marks the tree as ours and swaps it in place of the output. The previous output is
    /// kept as the next build's spare (`write::spare`) when the staging folder was begun for
    /// that and the two differ in few enough files, otherwise removed on a thread of its own
    /// ([`Removal`]).
    pub fn commit(mut self) -> Result<(WriteSummary, Removal), WriteError> {
        if let Some(e) = self.failed.lock().ok().and_then(|mut f| f.take()) {
            return Err(e);
        }
        // Counted before the marker, which is ours and not part of the site.
        let files = self.files.load(Ordering::Relaxed);
        let unchanged = self.unchanged.load(Ordering::Relaxed);
        self.put(&Output {
            path: MARKER.to_string(),
            bytes: "Thư mục này do cchc tạo; mỗi lần build sẽ thay toàn bộ nội dung.\n".into(),
        });
        if let Some(e) = self.failed.lock().ok().and_then(|mut f| f.take()) {
            return Err(e);
        }
        // Counted before the swap: every old file the new tree has was linked or rewritten.
        let removed = match (self.removed.get(), self.previous.as_deref()) {
            (Some(&n), _) => n,
            // A spare holds every old file: only `carry` knows which of them go.
            (None, _) if self.recycled => {
                return Err(WriteError::Refused {
                    path: self.out.clone(),
                    reason: "thư mục dựng lại từ bản cũ mà không giữ lại tệp".into(),
                })
            }
            (None, Some(prev)) => {
                let (n, paths) = missing_files(prev, &self.tmp);
                match paths {
                    Some(paths) => paths.iter().for_each(|p| self.differs(p)),
                    None => self.differs = Default::default(),
                }
                n
            }
            (None, None) => 0,
        };
        let old = swap(&self.out, &self.tmp)?;
        self.committed = true;
        let summary = WriteSummary {
            files,
            changed: files - unchanged,
            removed,
        };
        let differs = self.differs.lock().ok().and_then(|mut d| d.take());
        let doomed = self.retire(old, differs);
        Ok((summary, Removal::start(doomed, self.lock.take())))
    }

    /// What becomes of the previous output `old`, swapped out: the spare when `differs` lists
    /// where it differs from the new output, otherwise removed, as is a spare this build did
    /// not take. Returns the folders to remove.
    fn retire(&self, old: Option<PathBuf>, differs: Option<Vec<String>>) -> Vec<PathBuf> {
        let spare = sibling(&self.out, SPARE);
        let mut doomed = Vec::new();
        // Moved under the staging folder's name, which the swap freed: if this build is
        // killed while removing it, the next one sweeps it as any other leftover.
        if spare.exists() && fs::rename(&spare, &self.tmp).is_ok() {
            doomed.push(self.tmp.clone());
        }
        if let Some(old) = old {
            match differs {
                Some(differs) if spare::keep(&old, &self.out, &spare, &differs).is_ok() => {}
                _ => doomed.push(old),
            }
        }
        doomed
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Writes `outputs` and `copies` as the new content of `out`.
pub fn write_site(
    out: &Path,
    outputs: &[Output],
    copies: &[Copy],
) -> Result<WriteSummary, WriteError> {
    let staging = Staging::begin(out, false)?;
    outputs.par_iter().for_each(|o| staging.put(o));
    copies.par_iter().for_each(|c| staging.copy(c));
    let (summary, removal) = staging.commit()?;
    removal.wait()?;
    Ok(summary)
}

/// What a removal thread ends with: the folder it could not remove, and why.
type Removed = Result<(), (PathBuf, io::Error)>;

/// The previous output, moved aside by a commit (and a spare no build took), being removed
/// on a thread of its own: at 10,000 documents that is ~70,000 unlinks, which overlap with
/// what the build still does after its commit (the cache, the record). Dropping it waits
/// for the removal. The output's lock is held until then, so the next build never finds
/// it half removed.
pub struct Removal {
    /// The thread, and the first folder it removes (named if the thread stops abnormally).
    running: Option<(PathBuf, std::thread::JoinHandle<Removed>)>,
    _lock: Option<Lock>,
}

impl Removal {
    fn start(doomed: Vec<PathBuf>, lock: Option<Lock>) -> Removal {
        let running = doomed.first().cloned().map(|first| {
            let handle = std::thread::spawn(move || {
                doomed
                    .into_iter()
                    .try_for_each(|dir| remove_tree(&dir).map_err(|e| (dir, e)))
            });
            (first, handle)
        });
        Removal {
            running,
            _lock: lock,
        }
    }

    /// Waits until the previous output is gone; an error names the folder left behind.
    pub fn wait(mut self) -> Result<(), WriteError> {
        let Some((first, handle)) = self.running.take() else {
            return Ok(());
        };
        let done = handle.join().unwrap_or_else(|_| {
            let stopped = io::Error::other("luồng xóa bản dựng cũ dừng bất thường");
            Err((first, stopped))
        });
        done.map_err(|(path, source)| WriteError::Io { path, source })
    }
}

impl Drop for Removal {
    fn drop(&mut self) {
        if let Some((_, handle)) = self.running.take() {
            let _ = handle.join();
        }
    }
}

/// Puts `tmp` in place of `out`, carrying over entries we must not delete; returns where
/// the previous output was moved to (it is then the caller's to remove).
fn swap(out: &Path, tmp: &Path) -> Result<Option<PathBuf>, WriteError> {
    if !out.exists() {
        return fs::rename(tmp, out).map(|()| None).map_err(io_err(out));
    }
    for keep in KEEP {
        let old = out.join(keep);
        if old.exists() {
            fs::rename(&old, tmp.join(keep)).map_err(io_err(&old))?;
        }
    }
    let old = sibling(out, &format!("cchc-old-{}", std::process::id()));
    fs::rename(out, &old).map_err(io_err(out))?;
    if let Err(e) = fs::rename(tmp, out) {
        // Put the previous output back so the site is never left missing.
        let _ = fs::rename(&old, out);
        return Err(WriteError::Io {
            path: out.to_path_buf(),
            source: e,
        });
    }
    Ok(Some(old))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, s: &str) -> Output {
        Output {
            path: path.into(),
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_swaps_and_keeps_git() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        write_site(&public, &[out("a/index.html", "1")], &[]).unwrap();
        assert_eq!(
            fs::read_to_string(public.join("a/index.html")).unwrap(),
            "1"
        );
        fs::create_dir(public.join(".git")).unwrap();
        fs::write(public.join(".git/HEAD"), "ref").unwrap();
        write_site(&public, &[out("b.html", "2")], &[]).unwrap();
        assert!(!public.join("a").exists());
        assert_eq!(fs::read_to_string(public.join(".git/HEAD")).unwrap(), "ref");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn a_build_into_the_spare_never_writes_into_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let commit = |files: &[(&str, &str)]| {
            let staging = Staging::begin(&public, true).unwrap();
            files.iter().for_each(|(p, s)| staging.put(&out(p, s)));
            staging.commit().unwrap().1.wait().unwrap();
        };
        commit(&[("a.html", "1"), ("b/c.html", "1")]);
        commit(&[("a.html", "2"), ("b/c.html", "1")]);
        let read = |rel: &str| fs::read_to_string(public.join(rel)).unwrap();
        let mut staging = Staging::begin(&public, true).unwrap();
        assert!(
            staging.adopt_spare(std::iter::empty()),
            "the output replaced is kept"
        );
        // Every file of the spare is a link to the output's: new bytes make a new file.
        staging.put(&out("a.html", "3"));
        staging.put(&out("b/c.html", "changed"));
        assert_eq!((read("a.html"), read("b/c.html")), ("2".into(), "1".into()));
        drop(staging);
        assert_eq!((read("a.html"), read("b/c.html")), ("2".into(), "1".into()));
        assert!(
            !sibling(&public, SPARE).exists(),
            "a build that fails removes the spare it took, as any staging folder"
        );
    }

    #[test]
    fn an_output_that_differs_in_many_files_is_removed_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let commit = |version: &str, keep_spare: bool| {
            let staging = Staging::begin(&public, keep_spare).unwrap();
            for i in 0..=MAX_DIFFERS {
                staging.put(&out(&format!("p/{i}.html"), version));
            }
            staging.commit().unwrap().1.wait().unwrap();
        };
        let spare = sibling(&public, SPARE);
        commit("1", true);
        commit("1", true);
        assert!(spare.is_dir(), "the same files: kept");
        commit("2", true);
        assert!(
            !spare.exists(),
            "every file differs: removed, with the spare before it"
        );
        commit("3", false);
        assert!(!spare.exists(), "not asked for");
    }

    #[test]
    fn refuses_foreign_dir_and_unsafe_paths() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        fs::create_dir(&public).unwrap();
        fs::write(public.join("mine.txt"), "x").unwrap();
        let e = write_site(&public, &[out("a.html", "1")], &[]).unwrap_err();
        assert!(matches!(e, WriteError::Refused { .. }));
        assert_eq!(fs::read_to_string(public.join("mine.txt")).unwrap(), "x");
        for bad in ["../x", "/etc/passwd", "a/../../b", "a\\b", ""] {
            assert!(!is_safe_rel_path(bad), "{bad}");
        }
    }

    #[test]
    fn refuses_dangerous_out_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        assert!(check_out_dir(Path::new("/"), &root).is_err());
        assert!(check_out_dir(dir.path(), &root).is_err());
        assert!(check_out_dir(&root, &root).is_err());
        assert!(check_out_dir(&root.join("content/x"), &root).is_err());
        assert!(check_out_dir(&root.join("public"), &root).is_ok());
    }
}
