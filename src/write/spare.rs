//! The previous output, kept beside the output as the next build's staging folder.
//!
//! An in-place build keeps nearly every file of the output it updates. With a fresh staging
//! folder it linked each of them in (~68,000 links at 10,000 documents) and, after the swap,
//! removed the previous output (~68,000 unlinks): ~0.5 s of a 2 s rebuild. But the previous
//! output, once swapped out, already is such a folder of links: its files are the very files
//! of the new output, but for those the build wrote anew and those it removed. Kept as
//! `.<out>.cchc-spare` with the list of those paths (its *manifest*), it becomes the next
//! in-place build's staging folder once those few paths are mended from the output.
//!
//! The promises of the staging folder hold: the spare is never the output, a build writes
//! into it by replacing files (never through a link it shares with the output), and it is
//! swapped in only when the build is complete. A spare whose manifest names another output
//! folder, or that cannot be mended, is not used. Deleting it is always safe.

use std::fs;
use std::io;
use std::path::Path;

use super::is_safe_rel_path;

/// The manifest's name inside the spare; taken out before the spare is written into.
const MANIFEST: &str = ".cchc-spare";
/// The manifest's first line: the format, bumped when it changes.
const HEADER: &str = "cchc-spare 1";

/// The identity of the folder `dir` (device, inode): a swapped-in output is another folder,
/// so a spare kept for one output is never taken for the next.
fn folder_id(dir: &Path) -> Option<(u64, u64)> {
    identity(&fs::metadata(dir).ok()?)
}

/// The identity (device, inode) of the file or folder whose metadata is `meta`.
#[cfg(unix)]
pub(super) fn identity(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

/// Elsewhere no spare is kept: nothing tells an output folder from its successor.
#[cfg(not(unix))]
pub(super) fn identity(_meta: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Turns the previous output `old` (just swapped out of `out`) into the spare at `spare`:
/// `differs` are the paths where `old` and the new `out` may differ (written anew, removed,
/// added). Fails, leaving `old` where it is, when the output's identity cannot be read or the
/// manifest cannot be written.
pub(super) fn keep(old: &Path, out: &Path, spare: &Path, differs: &[String]) -> io::Result<()> {
    let (dev, ino) = folder_id(out).ok_or_else(|| io::Error::other("no folder identity"))?;
    let mut manifest = format!("{HEADER}\n{dev} {ino}\n").into_bytes();
    for rel in differs {
        manifest.extend_from_slice(rel.as_bytes());
        manifest.push(0);
    }
    fs::write(old.join(MANIFEST), manifest)?;
    fs::rename(old, spare)
}

/// The paths a spare at `spare` must mend to be a copy of the output `out`, when its manifest
/// is whole and names `out` as it is now.
fn read_manifest(spare: &Path, out: &Path) -> Option<Vec<String>> {
    let bytes = fs::read(spare.join(MANIFEST)).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let rest = text.strip_prefix(HEADER)?.strip_prefix('\n')?;
    let (id, paths) = rest.split_once('\n')?;
    let (dev, ino) = id.split_once(' ')?;
    if folder_id(out)? != (dev.parse().ok()?, ino.parse().ok()?) {
        return None;
    }
    let paths: Vec<String> = paths.split_terminator('\0').map(str::to_owned).collect();
    paths.iter().all(|p| is_safe_rel_path(p)).then_some(paths)
}

/// Moves the spare kept for the output `out` to `tmp` (which must not exist) and mends it into
/// a copy of `out`: the paths its manifest lists, and `alone`, the output's files that it
/// found linked nowhere else (which the spare should link but for those the manifest lists:
/// any other was replaced or removed in the spare). True when done. False when there is no
/// spare for this output (nothing is moved), or when mending failed (then `tmp` holds a
/// partly mended tree for the caller to remove).
pub(super) fn adopt<'a>(
    spare: &Path,
    out: &Path,
    tmp: &Path,
    alone: impl Iterator<Item = &'a str>,
) -> bool {
    let Some(mut differs) = read_manifest(spare, out) else {
        return false;
    };
    if fs::rename(spare, tmp).is_err() {
        return false;
    }
    differs.extend(alone.map(str::to_owned));
    differs.sort_unstable();
    differs.dedup();
    fs::remove_file(tmp.join(MANIFEST)).is_ok() && mend(tmp, out, &differs).is_ok()
}

/// Makes `tmp` hold at each of `differs` what `out` holds there (a link to it, or nothing):
/// first every old file goes (and the folders it leaves empty), then the output's are linked.
fn mend(tmp: &Path, out: &Path, differs: &[String]) -> io::Result<()> {
    for rel in differs {
        remove_file_and_empty_folders(tmp, rel)?;
    }
    for rel in differs {
        let from = out.join(rel);
        if !fs::symlink_metadata(&from).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let to = tmp.join(rel);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        if fs::hard_link(&from, &to).is_err() {
            fs::copy(&from, &to)?;
        }
    }
    Ok(())
}

/// Removes the file `rel` under `root`, if there is one, then each folder above it that this
/// leaves empty (a document removed takes its folder with it, as in a fresh staging folder).
pub(super) fn remove_file_and_empty_folders(root: &Path, rel: &str) -> io::Result<()> {
    let path = root.join(rel);
    // Nothing there, or a folder (a path that was a folder and is now a file: its files are
    // removed one by one, and the folder with the last of them).
    if fs::symlink_metadata(&path).map_or(true, |m| m.is_dir()) {
        return Ok(());
    }
    fs::remove_file(&path)?;
    let mut folder = Path::new(rel).parent();
    while let Some(dir) = folder.filter(|d| !d.as_os_str().is_empty()) {
        // Not empty (or already gone): the folders above it are not empty either.
        if fs::remove_dir(root.join(dir)).is_err() {
            break;
        }
        folder = dir.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                let rel = rel.to_string_lossy().replace('\\', "/");
                (rel, fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    }

    fn folders(dir: &Path) -> usize {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_dir())
            .count()
    }

    #[test]
    fn a_spare_is_mended_into_a_copy_of_its_output_and_refused_for_another() {
        let dir = tempfile::tempdir().unwrap();
        let (out, old, spare, tmp) = (
            dir.path().join("out"),
            dir.path().join("old"),
            dir.path().join("spare"),
            dir.path().join("tmp"),
        );
        for (rel, text) in [("a.html", "a"), ("x/b.html", "b1"), ("gone/c.html", "c")] {
            fs::create_dir_all(old.join(rel).parent().unwrap()).unwrap();
            fs::write(old.join(rel), text).unwrap();
        }
        // The new output: `a` kept (linked), `b` rewritten, `c` removed, `d` added, and `e`
        // turned from a file into a folder.
        fs::create_dir_all(out.join("x")).unwrap();
        fs::create_dir_all(out.join("e")).unwrap();
        fs::hard_link(old.join("a.html"), out.join("a.html")).unwrap();
        fs::write(out.join("x/b.html"), "b2").unwrap();
        fs::write(out.join("d.html"), "d").unwrap();
        fs::write(out.join("e/f.html"), "f").unwrap();
        fs::write(old.join("e"), "e was a file").unwrap();
        let differs: Vec<String> = ["x/b.html", "gone/c.html", "d.html", "e", "e/f.html"]
            .map(String::from)
            .to_vec();
        keep(&old, &out, &spare, &differs).unwrap();
        assert!(!old.exists() && spare.join(MANIFEST).is_file());

        // Kept for `out`: refused for any other folder, and left where it is.
        let none = std::iter::empty;
        assert!(!adopt(&spare, &dir.path().join("elsewhere"), &tmp, none()));
        assert!(spare.is_dir() && !tmp.exists());
        assert!(adopt(&spare, &out, &tmp, none()));
        assert!(!spare.exists());
        assert_eq!(files(&tmp), files(&out));
        assert_eq!(folders(&tmp), folders(&out), "the emptied folder went too");
    }

    #[test]
    fn a_damaged_manifest_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (out, spare) = (dir.path().join("out"), dir.path().join("spare"));
        fs::create_dir_all(&out).unwrap();
        fs::create_dir_all(&spare).unwrap();
        let (dev, ino) = folder_id(&out).unwrap();
        let good = format!("{HEADER}\n{dev} {ino}\na.html\0");
        fs::write(spare.join(MANIFEST), &good).unwrap();
        assert_eq!(
            read_manifest(&spare, &out),
            Some(vec!["a.html".to_string()])
        );
        for bad in [
            good.replace("a.html", "../a.html"),
            good.replace(HEADER, "cchc-spare 0"),
            good.replace(&format!(" {ino}"), &format!(" {}", ino + 1)),
            good[..HEADER.len() + 2].to_string(),
        ] {
            fs::write(spare.join(MANIFEST), &bad).unwrap();
            assert_eq!(read_manifest(&spare, &out), None, "{bad:?}");
        }
    }
}
