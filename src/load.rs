//! Loading: walks `content/` and reads every file we know into memory, NFC-normalised.
//!
//! Takes the site root; returns the documents' text, the two YAML files and the list of other
//! files to copy. Reading never follows symbolic links (a link could point outside the site)
//! and never panics on bad bytes: invalid UTF-8, oversize files and unreadable entries become
//! diagnostics naming the file.

use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics};

/// Largest document we read (16 MB). A real plan is under 1 MB; more is hostile or a mistake.
pub const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;

/// One Markdown document read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, e.g. `content/dong-thap/ke-hoach-2019.md`.
    pub path: PathBuf,
    /// Text with BOM removed, line ends normalised to `\n`, NFC. Shared: `serve` keeps every
    /// file between rebuilds and hands each rebuild the same texts, not copies.
    pub text: std::sync::Arc<str>,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    pub site_yaml: Option<SourceFile>,
    pub units_yaml: Option<SourceFile>,
    /// Sorted by path.
    pub documents: Vec<SourceFile>,
    /// Other files (scans, images), relative to `content/`, sorted.
    pub assets: Vec<PathBuf>,
    /// The site root given to [`load`] (progress sheets are read from it).
    pub root: PathBuf,
}

#[cfg(test)]
impl Loaded {
    /// A site held in memory for tests: titled "Cổng thử", with the units `units_yaml` and
    /// the documents `(name, text)` as `content/<name>.md` (sorted by path, as `load` gives).
    pub(crate) fn in_memory(units_yaml: &str, documents: Vec<(String, String)>) -> Loaded {
        let file = |path: String, text: String| SourceFile {
            path: PathBuf::from(path),
            text: text.into(),
        };
        let mut documents: Vec<SourceFile> = documents
            .into_iter()
            .map(|(name, text)| file(format!("content/{name}.md"), text))
            .collect();
        documents.sort_by(|a, b| a.path.cmp(&b.path));
        Loaded {
            site_yaml: Some(file("content/site.yaml".into(), "title: Cổng thử\n".into())),
            units_yaml: Some(file("content/units.yaml".into(), units_yaml.into())),
            documents,
            assets: Vec::new(),
            root: PathBuf::from("."),
        }
    }
}

/// Reads the site under `root` (which holds `content/`).
pub fn load(root: &Path, diags: &Diagnostics) -> Loaded {
    load_with(root, diags, None, None)
}

/// Recognises a document's text as one read (and normalised) before: given its path as
/// messages show it and its text as on disk, true when a hash of that text matches.
pub type Known<'a> = &'a (dyn Fn(&Path, &str) -> bool + Sync);

/// Like [`load`], taking a document's text as it is on disk when `known` recognises it: it
/// was normal when it was read before, and checking it again is most of a build's load time
/// when the cache holds every document (`site::BuildCache::known_text`).
pub fn load_known(root: &Path, diags: &Diagnostics, known: Known) -> Loaded {
    load_with(root, diags, None, Some(known))
}

/// Texts read by earlier loads, by absolute path with the size and modification time they
/// had: `serve` re-reads only files that changed on disk.
#[derive(Default)]
pub struct LoadCache {
    files: std::collections::HashMap<PathBuf, (std::time::SystemTime, u64, SourceFile)>,
}

/// Like [`load`], reusing `cache` for files whose size and modification time are unchanged.
pub fn load_cached(root: &Path, diags: &Diagnostics, cache: &mut LoadCache) -> Loaded {
    let mut seen = std::collections::HashSet::new();
    let loaded = load_with(root, diags, Some((cache, &mut seen)), None);
    cache.files.retain(|p, _| seen.contains(p));
    loaded
}

type CacheRef<'a> = Option<(
    &'a mut LoadCache,
    &'a mut std::collections::HashSet<PathBuf>,
)>;

fn load_with(
    root: &Path,
    diags: &Diagnostics,
    mut cache: CacheRef,
    known: Option<Known>,
) -> Loaded {
    let content = root.join("content");
    let mut loaded = Loaded {
        root: root.to_path_buf(),
        ..Loaded::default()
    };
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(&content, 0, 0, "không tìm thấy thư mục `content/`")
                .with_hint("chạy lệnh trong thư mục của trang, hoặc chỉ `--root DIR`, hoặc tạo trang mới bằng `cchc new site DIR`"),
        );
        return loaded;
    }
    let mut documents = Vec::new();
    for path in walk(root, &content, diags) {
        let in_content = path.strip_prefix(&content).unwrap_or(&path);
        let top_level = in_content.components().count() == 1;
        let name = in_content.to_string_lossy();
        if top_level && (name == "site.yaml" || name == "units.yaml") {
            let c = cache.as_mut().map(|(c, seen)| (&mut **c, &mut **seen));
            let file = read_cached(root, &path, diags, c);
            if name == "site.yaml" {
                loaded.site_yaml = file;
            } else {
                loaded.units_yaml = file;
            }
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        {
            documents.push(path);
        } else {
            loaded.assets.push(in_content.to_path_buf());
        }
    }
    loaded.documents = match cache {
        // `serve` re-reads only what changed since its last load: one at a time is enough.
        Some((cache, seen)) => documents
            .iter()
            .filter_map(|p| read_cached(root, p, diags, Some((&mut *cache, &mut *seen))))
            .collect(),
        // A build reads every document: reading and normalising them in parallel halves the
        // load of 10,000 documents. `collect` keeps the walk's (sorted) order.
        None => {
            use rayon::prelude::*;
            let read: Vec<_> = documents
                .par_iter()
                .map(|p| read_text(root, p, diags, known))
                .collect();
            read.into_iter().flatten().collect()
        }
    };
    loaded
}

/// The files under `content` in file-name order (hidden entries left out). A symbolic link
/// or an entry that cannot be read is reported in `diags` and skipped.
fn walk(root: &Path, content: &Path, diags: &Diagnostics) -> Vec<PathBuf> {
    let walker = WalkDir::new(content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e.file_name()));
    let mut files = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content.to_path_buf());
                diags.push(Diagnostic::error(
                    &rel(root, &path),
                    0,
                    0,
                    format!("không đọc được: {e}"),
                ));
                continue;
            }
        };
        if entry.file_type().is_symlink() {
            diags.push(
                Diagnostic::warning(&rel(root, entry.path()), 0, 0, "bỏ qua liên kết tượng trưng (symlink)")
                    .with_hint("cchc không theo symlink để không đọc tệp ngoài `content/`; hãy chép tệp vào đây"),
            );
            continue;
        }
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    files
}

/// [`read_text`] through the cache, when there is one.
fn read_cached(
    root: &Path,
    path: &Path,
    diags: &Diagnostics,
    cache: CacheRef,
) -> Option<SourceFile> {
    let Some((cache, seen)) = cache else {
        return read_text(root, path, diags, None);
    };
    let meta = fs::metadata(path).ok();
    let stamp = meta
        .as_ref()
        .and_then(|m| Some((m.modified().ok()?, m.len())));
    seen.insert(path.to_path_buf());
    if let (Some((mtime, len)), Some((m, l, file))) = (stamp, cache.files.get(path)) {
        if *m == mtime && *l == len {
            return Some(file.clone());
        }
    }
    let size = meta.as_ref().map_or(0, fs::Metadata::len);
    let file = read_sized(root, path, size, diags, None)?;
    if let Some((mtime, len)) = stamp {
        cache
            .files
            .insert(path.to_path_buf(), (mtime, len, file.clone()));
    }
    Some(file)
}

/// One document at `path` (under `root/content/`) read as [`load`] would read it, for
/// `serve`'s quick pass; `None` when `load` would skip or reject it (a symbolic link, a
/// hidden file, bad bytes).
pub fn read_document(root: &Path, path: &Path) -> Option<SourceFile> {
    let (shown, text) = reread_document(root, path, |_| false)?;
    Some(SourceFile {
        path: shown,
        text: text.into(),
    })
}

/// [`read_document`] for a file read before, giving its path as messages show it and its
/// text: a text that `as_read` recognises (the caller's hash of the text it loaded matches) is
/// returned as it is on disk, without normalising it again — it was already normal when it
/// was loaded. A build reads each document again twice (for its page and its search entry),
/// and normalising it each time was 1–2% of the build. The text stays a `String`: such a
/// caller reads it once, and moving it into a [`SourceFile`]'s shared text would copy it.
pub fn reread_document(
    root: &Path,
    path: &Path,
    as_read: impl FnOnce(&str) -> bool,
) -> Option<(PathBuf, String)> {
    let in_content = path.strip_prefix(root.join("content")).ok()?;
    let hidden = in_content.components().any(|c| is_hidden(c.as_os_str()));
    if hidden || fs::symlink_metadata(path).ok()?.file_type().is_symlink() {
        return None;
    }
    let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let (shown, text) = read_utf8(root, path, size, &Diagnostics::new())?;
    if as_read(&text) {
        Some((shown, text))
    } else {
        Some((shown, normalize_owned(text)))
    }
}

/// Reads one text file, checking size and encoding; normalised unless `known` recognises it.
fn read_text(
    root: &Path,
    path: &Path,
    diags: &Diagnostics,
    known: Option<Known>,
) -> Option<SourceFile> {
    let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    read_sized(root, path, size, diags, known)
}

/// [`read_text`] for a file whose size is already known (from the cache's own `stat`).
fn read_sized(
    root: &Path,
    path: &Path,
    size: u64,
    diags: &Diagnostics,
    known: Option<Known>,
) -> Option<SourceFile> {
    let (shown, text) = read_utf8(root, path, size, diags)?;
    let text = match known {
        Some(k) if k(&shown, &text) => text,
        _ => normalize_owned(text),
    };
    Some(SourceFile {
        path: shown,
        text: text.into(),
    })
}

/// The text of the file at `path` (its size checked first) with its path as messages show
/// it; `None`, with the error in `diags`, when it is too big, unreadable or not UTF-8.
fn read_utf8(
    root: &Path,
    path: &Path,
    size: u64,
    diags: &Diagnostics,
) -> Option<(PathBuf, String)> {
    let shown = rel(root, path);
    if size > MAX_DOCUMENT_BYTES {
        diags.push(
            Diagnostic::error(
                &shown,
                0,
                0,
                format!(
                    "tệp quá lớn ({} MB, tối đa {} MB)",
                    size >> 20,
                    MAX_DOCUMENT_BYTES >> 20
                ),
            )
            .with_hint("chia văn bản thành nhiều tệp, hoặc đưa bản quét vào dạng PDF đính kèm"),
        );
        return None;
    }
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                &shown,
                0,
                0,
                format!("không đọc được tệp: {e}"),
            ));
            return None;
        }
    };
    // simdutf8 validates ~10 times faster than std on Vietnamese text (multi-byte letters
    // every few bytes); std's check runs again only on a file that fails, for the position.
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 has just validated `bytes` as UTF-8.
        return Some((shown, unsafe { String::from_utf8_unchecked(bytes) }));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some((shown, text)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let idx = crate::diag::LineIndex::new(&valid);
            let (line, col) = idx.line_col(&valid, offset);
            diags.push(
                Diagnostic::error(&shown, line, col, "tệp không phải UTF-8 hợp lệ")
                    .with_hint("lưu tệp với bảng mã UTF-8 (không dùng TCVN3/VNI/Windows-1258)"),
            );
            None
        }
    }
}

/// Strips a UTF-8 BOM, turns CRLF and lone CR into LF, and composes to NFC.
pub fn normalize(text: &str) -> String {
    normalize_owned(text.to_string())
}

/// [`normalize`], giving `text` back as it is (not a copy) when it is already normal, as
/// almost every file is.
fn normalize_owned(text: String) -> String {
    let unified = match text.strip_prefix('\u{feff}') {
        Some(rest) if rest.contains('\r') => rest.replace("\r\n", "\n").replace('\r', "\n"),
        Some(rest) => rest.to_string(),
        None if text.contains('\r') => text.replace("\r\n", "\n").replace('\r', "\n"),
        None => text,
    };
    if crate::text::is_nfc(&unified) {
        unified
    } else {
        crate::text::nfc(&unified)
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != ".")
}

/// `path` relative to `root` for messages (falls back to the path itself).
pub fn rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_text() {
        assert_eq!(normalize("\u{feff}a\r\nb\rc"), "a\nb\nc");
        let decomposed = "Vie\u{0302}\u{0323}t";
        assert_eq!(normalize(decomposed), "Việt");
    }

    #[test]
    fn normalizes_a_bom_with_line_ends_and_keeps_normal_text() {
        assert_eq!(normalize("\u{feff}Việt\r\nNam"), "Việt\nNam");
        assert_eq!(normalize("\u{feff}Việt"), "Việt");
        assert_eq!(normalize("Việt\nNam"), "Việt\nNam");
    }

    #[test]
    fn a_known_text_is_taken_as_on_disk_and_any_other_normalised() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        fs::create_dir(&content).unwrap();
        fs::write(content.join("a.md"), "Vie\u{0302}\u{0323}t\r\n").unwrap();
        fs::write(content.join("b.md"), "Vie\u{0302}\u{0323}t\r\n").unwrap();
        let asked = std::sync::Mutex::new(Vec::new());
        let known = |p: &Path, raw: &str| {
            asked
                .lock()
                .unwrap()
                .push((p.to_path_buf(), raw.to_string()));
            p.ends_with("a.md")
        };
        let loaded = load_known(dir.path(), &Diagnostics::new(), &known);
        let texts: Vec<_> = loaded.documents.iter().map(|d| &*d.text).collect();
        // Recognised: as on disk (a caller recognises only what it loaded normal before).
        assert_eq!(texts, ["Vie\u{0302}\u{0323}t\r\n", "Việt\n"]);
        let mut asked = asked.into_inner().unwrap();
        asked.sort();
        assert_eq!(
            asked,
            [
                (
                    PathBuf::from("content/a.md"),
                    "Vie\u{0302}\u{0323}t\r\n".into()
                ),
                (
                    PathBuf::from("content/b.md"),
                    "Vie\u{0302}\u{0323}t\r\n".into()
                ),
            ],
            "asked with the path as shown and the text as on disk"
        );
    }

    #[test]
    fn a_reread_text_is_normalised_unless_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        fs::create_dir(&content).unwrap();
        let file = content.join("a.md");
        fs::write(&file, "\u{feff}Vie\u{0302}\u{0323}t\r\n").unwrap();
        let seen = std::cell::Cell::new(String::new());
        let (shown, again) = reread_document(dir.path(), &file, |raw| {
            seen.set(raw.to_string());
            false
        })
        .unwrap();
        // The caller is shown the text as it is on disk, and gets it normalised.
        assert_eq!(seen.take(), "\u{feff}Vie\u{0302}\u{0323}t\r\n");
        assert_eq!(again, "Việt\n");
        assert_eq!(&*read_document(dir.path(), &file).unwrap().text, again);
        assert_eq!(shown, Path::new("content/a.md"));
        // Recognised (it hashes as the text loaded before): taken as it is on disk.
        let (_, kept) = reread_document(dir.path(), &file, |_| true).unwrap();
        assert_eq!(kept, "\u{feff}Vie\u{0302}\u{0323}t\r\n");
        // Hidden files are not documents, recognised or not.
        let hidden = content.join(".b.md");
        fs::write(&hidden, "x").unwrap();
        assert!(reread_document(dir.path(), &hidden, |_| true).is_none());
    }
}
