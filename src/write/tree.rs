//! Reading and removing an output's tree: the stamps a build records of the files it wrote
//! and checks before updating them in place, the comparisons that decide whether a file is
//! kept, and the removal of a previous output. Each walks folders in parallel: an output of
//! 10,000 documents holds ~70,000 files.

use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::{KEEP, MARKER};

/// A file of an output as the next build checks it before updating that output in place:
/// its path (relative, `/`-separated), length and modification time (seconds, nanoseconds).
pub type FileStamp = (String, u64, u64, u32);

/// Every file of the output `out` but the marker and what is carried over (`.git`), stamped
/// and sorted by path; `None` when the folder cannot be read whole or holds a path that is
/// not UTF-8 (it then cannot be compared with a record). Folders are read in parallel: an
/// output of 10,000 documents has ~70,000 files to `stat`, and `stat`s scale across cores.
pub fn snapshot(out: &Path) -> Option<Vec<FileStamp>> {
    survey(out).map(|s| s.files)
}

/// An output's files as [`survey`] finds them.
#[derive(Debug, Default)]
pub struct Survey {
    /// As [`snapshot`] gives them.
    pub files: Vec<FileStamp>,
    /// For each of them, whether no other folder links to it (one hard link). Where the
    /// spare kept beside the output (`write::spare`) is whole, it links every file of the
    /// output but those the last build wrote anew: any other file found alone was replaced
    /// or removed there.
    pub alone: Vec<bool>,
}

/// [`snapshot`], with the files found [alone](Survey::alone), from the same `stat`s.
pub fn survey(out: &Path) -> Option<Survey> {
    let mut found = stamps_under(out, "")?;
    found.sort_unstable();
    let (files, links): (Vec<FileStamp>, Vec<u64>) = found.into_iter().unzip();
    let alone = links.into_iter().map(|n| n == 1).collect();
    Some(Survey { files, alone })
}

/// A [`survey`] of the output begun on a thread of its own before the build holds the
/// output's lock, so that its `stat`s run while assembly leaves a core idle: at 10,000
/// documents, ~0.2 s of CPU that a rebuild after a prose edit otherwise waits for once its
/// site is assembled. A build that commits replaces the output folder by a rename, so the
/// survey is taken only while the folder is the one it began on, unchanged at its top
/// (`FolderId`); otherwise the output is surveyed again.
pub struct EarlySurvey {
    folder: FolderId,
    walk: std::thread::JoinHandle<Option<Survey>>,
}

impl EarlySurvey {
    /// Begins surveying `out`; `None` where the folder cannot be told apart from its
    /// successor (not a Unix system) or no thread can be started.
    pub fn start(out: &Path) -> Option<EarlySurvey> {
        let folder = folder_id(out)?;
        let at = out.to_path_buf();
        // One thread of its own, not the build's pool: assembly's parallel steps keep both
        // cores busy, and a walk that split across them would only slow those steps down.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .ok()?;
        let walk = std::thread::Builder::new()
            .spawn(move || pool.install(|| survey(&at)))
            .ok()?;
        Some(EarlySurvey { folder, walk })
    }

    /// The survey of `out` (the folder `start` was given), taken under the output's lock:
    /// the early one if the folder is still the one it began on, else a new one.
    pub fn finish(early: Option<EarlySurvey>, out: &Path) -> Option<Survey> {
        let found = early.and_then(|e| {
            let found = e.walk.join().ok().flatten();
            found.filter(|_| folder_id(out) == Some(e.folder))
        });
        found.or_else(|| survey(out))
    }
}

/// What tells the output folder as a survey began from the one found later: its identity
/// (`spare::identity`), and its modification time, for the folder kept as the spare and
/// adopted again as the output (its manifest is written into it and taken out).
type FolderId = ((u64, u64), std::time::SystemTime);

fn folder_id(dir: &Path) -> Option<FolderId> {
    let meta = fs::metadata(dir).ok()?;
    Some((super::spare::identity(&meta)?, meta.modified().ok()?))
}

/// The files under `dir`, whose path relative to the output is `rel` (empty: the output),
/// each with its number of hard links.
fn stamps_under(dir: &Path, rel: &str) -> Option<Vec<(FileStamp, u64)>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name().into_string().ok()?;
        let top = rel.is_empty();
        if top && (name == MARKER || KEEP.contains(&name.as_str())) {
            continue;
        }
        let path = if top { name } else { format!("{rel}/{name}") };
        entries.push((entry, path));
    }
    let stamped: Option<Vec<Vec<(FileStamp, u64)>>> = entries
        .into_par_iter()
        .map(|(entry, path)| {
            // Not followed: a link is stamped as itself, as `walk_output` sees it.
            let meta = entry.metadata().ok()?;
            if meta.is_dir() {
                stamps_under(&entry.path(), &path)
            } else {
                Some(vec![(stamp_of(path, &meta)?, links(&meta))])
            }
        })
        .collect();
    Some(stamped?.into_iter().flatten().collect())
}

#[cfg(unix)]
fn links(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

/// Elsewhere no spare is kept (`write::spare`), and nothing asks.
#[cfg(not(unix))]
fn links(_meta: &fs::Metadata) -> u64 {
    1
}

/// The stamp of the output `out`'s file `rel` (`/`-separated), as [`snapshot`] takes it.
pub fn stamp(out: &Path, rel: &str) -> Option<FileStamp> {
    stamp_of(rel.to_owned(), &fs::metadata(out.join(rel)).ok()?)
}

fn stamp_of(rel: String, meta: &fs::Metadata) -> Option<FileStamp> {
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((rel, meta.len(), modified.as_secs(), modified.subsec_nanos()))
}

/// True when the output `out` holds at `rel` a copy of the file `from` (a file, not a link,
/// as [`super::Staging::copy`] would keep it).
pub fn holds_copy(out: &Path, rel: &str, from: &Path) -> bool {
    let copy = out.join(rel);
    fs::symlink_metadata(&copy).is_ok_and(|m| m.is_file() && is_copy_of(&copy, m.len(), from))
}

/// True when `copy`, `len` bytes long, holds the bytes of the file `from`: the lengths are
/// compared first, the bytes only when they match.
pub(super) fn is_copy_of(copy: &Path, len: u64, from: &Path) -> bool {
    fs::metadata(from).is_ok_and(|m| m.len() == len) && same_content(copy, from)
}

/// True when the two files hold the same bytes (read in blocks; attachments can be large).
fn same_content(a: &Path, b: &Path) -> bool {
    use io::Read;
    let (Ok(mut fa), Ok(mut fb)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    let (mut ba, mut bb) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let (Ok(na), Ok(nb)) = (read_full(&mut fa, &mut ba), read_full(&mut fb, &mut bb)) else {
            return false;
        };
        if na != nb || ba[..na] != bb[..nb] {
            return false;
        }
        if na == 0 {
            return true;
        }
    }

    fn read_full(f: &mut fs::File, buf: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < buf.len() {
            match f.read(&mut buf[n..])? {
                0 => break,
                k => n += k,
            }
        }
        Ok(n)
    }
}

/// Everything under the output `out` but the entries carried over (`.git`).
fn walk_output(out: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walkdir::WalkDir::new(out)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| e.depth() > 1 || !KEEP.iter().any(|k| e.file_name() == *k))
}

/// Files under `old` (outside the entries carried over, like `.git`) that `new` lacks: how
/// many, and their paths (`None` when a path there is not UTF-8). Its folders are read and its
/// files looked up in `new` in parallel, as [`snapshot`] does (one walk at a time when a path
/// is not UTF-8).
pub(super) fn missing_files(old: &Path, new: &Path) -> (usize, Option<Vec<String>>) {
    let lacks = |rel: &Path| !new.join(rel).exists();
    match stamps_under(old, "") {
        Some(files) => {
            let gone: Vec<String> = files
                .into_par_iter()
                .map(|(stamp, _)| stamp.0)
                .filter(|rel| lacks(Path::new(rel)))
                .collect();
            (gone.len(), Some(gone))
        }
        None => {
            let n = walk_output(old)
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter(|e| e.path().strip_prefix(old).is_ok_and(lacks))
                .count();
            (n, None)
        }
    }
}

/// `fs::remove_dir_all`, with the folders' entries removed in parallel: an output of 10,000
/// documents is ~70,000 unlinks after every build, and those in different folders do not
/// wait for each other. Symbolic links are removed, never followed.
pub(super) fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.into_par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paths and lengths a survey found.
    fn listed(s: &Survey) -> Vec<(&str, u64)> {
        s.files.iter().map(|f| (f.0.as_str(), f.1)).collect()
    }

    #[test]
    fn early_survey_of_a_folder_still_in_place_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/index.html"), "1").unwrap();
        let early = EarlySurvey::start(&out);
        let found = EarlySurvey::finish(early, &out).unwrap();
        assert_eq!(listed(&found), [("a/index.html", 1)]);
    }

    /// An output folder holding `old.html`, and its early survey, finished.
    #[cfg(unix)]
    fn surveyed_output() -> (tempfile::TempDir, std::path::PathBuf, EarlySurvey) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("old.html"), "old").unwrap();
        let early = EarlySurvey::start(&out).unwrap();
        while !early.walk.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        (dir, out, early)
    }

    /// A build that commits renames a new folder over the output: a survey of the folder it
    /// replaced must not be taken for the new one, even when it finished before the swap.
    #[test]
    #[cfg(unix)]
    fn early_survey_of_a_replaced_folder_is_made_again() {
        let (dir, out, early) = surveyed_output();
        let staged = dir.path().join("staged");
        fs::create_dir_all(&staged).unwrap();
        fs::write(staged.join("new.html"), "newer").unwrap();
        fs::rename(&out, dir.path().join("previous")).unwrap();
        fs::rename(&staged, &out).unwrap();
        let found = EarlySurvey::finish(Some(early), &out).unwrap();
        assert_eq!(listed(&found), [("new.html", 5)]);
    }

    /// The folder a commit swapped out can come back as the output: kept as the spare, it
    /// is adopted by the next build and swapped in again. Its manifest, written into it and
    /// taken out, changes it, and the survey of what it held before is not taken.
    #[test]
    #[cfg(unix)]
    fn early_survey_of_a_folder_changed_at_its_top_is_made_again() {
        let (_dir, out, early) = surveyed_output();
        // Past the coarsest clock tick a file system stamps folders with, short of seconds.
        std::thread::sleep(std::time::Duration::from_millis(50));
        fs::write(out.join(".cchc-spare"), "manifest").unwrap();
        fs::remove_file(out.join(".cchc-spare")).unwrap();
        fs::write(out.join("old.html"), "mended").unwrap();
        let found = EarlySurvey::finish(Some(early), &out).unwrap();
        assert_eq!(listed(&found), [("old.html", 6)]);
    }
}
