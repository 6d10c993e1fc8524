//! The build cache on disk (issue 16): what a build works out for each document from that
//! document alone — its parse, its task drafts, its lean body — kept between `cchc build` runs,
//! so a document that did not change is not parsed, extracted or rendered again.
//!
//! One file, `assemble.bin`, in the cache folder (default `<root>/.cchc-cache/`, never inside
//! the output, safe to delete at any time). Its first line names the format, the cchc version
//! and a hash of the running binary, then the CRC-32 and length of the payload: a file written
//! by another build of cchc, truncated or damaged is ignored whole (one warning), never half
//! read. The payload is one postcard list of entries, one per document, and each entry holds
//! its parts as postcard blobs of their own beside the key they were made under, so only parts
//! whose key still matches are decoded, and parts still valid are written back as they are.
//! The parts are never copied out of the file as read: the cache keeps its bytes and where
//! each part lies in them (at 10,000 documents, 64 MB that were copied once more on each
//! build, and held twice).
//!
//! A build that changed a few documents' entries appends them to the file as a *segment*
//! (`segment.rs`: a line with its CRC-32 and length, then a list of entries like the base's),
//! instead of writing 64 MB again; an entry of a segment stands for the same document's entry
//! before it. Segments are appended under a lock on the file and only to the file the build
//! read, and a last segment cut short by a build killed while appending is left out (its
//! entries are made again). The file is written anew, without segments, when a document's
//! entry must be dropped, when it ends with a segment cut short, or when its segments would
//! pass half its base.
//!
//! A part's key is everything it depends on besides the code (which the binary hash covers):
//! - parse: the document's path (the entry's name) and text (hash);
//! - drafts: the text and `units.yaml` (hash);
//! - lean body (the numbers it mentions, its broken-link warnings): the text and
//!   [`lean_context_hash`](crate::link::body::lean_context_hash) (every document's path and
//!   slug, the content files, `allow_html`).
//!
//! Written only after a successful build: [`BuildCache::stage`] writes a temporary file (or
//! makes the segment to append) and frees the cache's memory before pages are rendered;
//! [`CacheUpdate::publish`] renames it in (or appends) once the output is committed, and a
//! dropped [`StagedCache`] removes its file.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::extract::draft::Draft;
use crate::link::body::RenderedBody;
use crate::link::cite::Mentions;
use crate::load::SourceFile;
use crate::model::{Deadline, DeadlineKind, DocMeta, TaskContent};
use crate::parse::document::{FmTask, ParsedDoc};

use super::cache::{bytes_hash, text_hash};

mod segment;

/// The cache folder of a site when `--cache-dir` does not name one.
pub const DEFAULT_DIR: &str = ".cchc-cache";
/// Bumped when what an entry holds changes shape (the binary hash catches the rest).
const FORMAT: u32 = 2;
const MAGIC: &str = "cchc-build-cache";
const FILE: &str = "assemble.bin";
/// A staged cache file is `<FILE>.<pid><STAGE_SUFFIX>` until it is renamed to `FILE`.
const STAGE_SUFFIX: &str = ".tmp";
/// A staged file older than this belongs to no running build.
const STALE_STAGE: std::time::Duration = std::time::Duration::from_secs(24 * 3600);
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A postcard blob, stored as bytes: a `Vec<u8>` would go through serde one byte at a time,
/// which made the cache's save and load several times slower (same bytes on disk).
type Blob = serde_bytes::ByteBuf;
/// A part stored as a postcard blob beside the key it was made under.
type KeyedPart = Option<(u64, Blob)>;

/// One document's parts as stored, each beside the key it was made under; borrowed from the
/// bytes read (or, when saved, from those and this build's new parts), never copied.
#[derive(Serialize, Deserialize)]
struct Entry<'a> {
    text: u64,
    #[serde(borrow)]
    parsed: &'a serde_bytes::Bytes,
    #[serde(borrow)]
    drafts: Option<(u64, &'a serde_bytes::Bytes)>,
    #[serde(borrow)]
    body: Option<(u64, &'a serde_bytes::Bytes)>,
}

/// Where a part lies in the cache file read ([`BuildCache`]'s `file`).
type Span = std::ops::Range<usize>;

/// An [`Entry`] of the file read, its parts as where they lie in it.
struct Stored {
    text: u64,
    parsed: Span,
    drafts: Option<(u64, Span)>,
    body: Option<(u64, Span)>,
}

/// The parts this build made (the others are taken from the old entry when it is saved).
#[derive(Default)]
struct Fresh {
    text: u64,
    parsed: Option<Blob>,
    drafts: KeyedPart,
    body: KeyedPart,
}

/// A parse result without the text (which the build has read anyway): the metadata, whether
/// the slug was chosen, the front-matter tasks, where the body starts; and the diagnostics.
type ParsedPart = (Option<(DocMeta, bool, Vec<FmTask>, usize)>, Vec<Diagnostic>);
/// The same, borrowed, to encode without copying (postcard writes both alike).
type ParsedRef<'a> = (
    Option<(&'a DocMeta, bool, &'a [FmTask], usize)>,
    &'a [Diagnostic],
);
/// A draft: its label, its content with the deadline as [`DeadlinePart`], its line.
type DraftPart = (
    Option<String>,
    TaskContent<Vec<String>, DeadlinePart>,
    usize,
);
/// A lean body: the numbers it mentions and its broken-link warnings.
type BodyRef<'a> = (&'a Mentions, &'a [Diagnostic]);
type BodyPart = (Mentions, Vec<Diagnostic>);

/// [`Deadline`] as stored: its JSON form skips empty fields, which a format without field
/// names cannot read back, so the cache keeps its own copy of the fields.
#[derive(Serialize, Deserialize)]
struct DeadlinePart {
    text: String,
    kind: DeadlineKind,
    start: Option<Date>,
    end: Option<Date>,
    rrule: Option<String>,
    parts: Vec<DeadlinePart>,
    note: Option<String>,
}

impl From<&Deadline> for DeadlinePart {
    fn from(d: &Deadline) -> Self {
        DeadlinePart {
            text: d.text.to_string(),
            kind: d.kind,
            start: d.start,
            end: d.end,
            rrule: d.rrule.as_deref().map(str::to_owned),
            parts: d.parts.iter().map(DeadlinePart::from).collect(),
            note: d.note.as_deref().map(str::to_owned),
        }
    }
}

// The conversions stay written for any string type the model may use (String, Box<str>).
#[allow(clippy::useless_conversion)]
impl From<DeadlinePart> for Deadline {
    fn from(p: DeadlinePart) -> Self {
        Deadline {
            text: p.text.into(),
            kind: p.kind,
            start: p.start,
            end: p.end,
            rrule: p.rrule.map(Into::into),
            parts: p.parts.into_iter().map(Deadline::from).collect(),
            note: p.note.map(Into::into),
        }
    }
}

/// The cache a build reads and refreshes (see the module header).
pub struct BuildCache {
    dir: PathBuf,
    /// [`binary_hash`] of the running binary; `None` when it cannot be read (then nothing is reused or
    /// written: results of another build of cchc must not be taken for this one's).
    binary: Option<u64>,
    /// The cache file as read: the old entries' parts lie in it.
    file: Vec<u8>,
    old: HashMap<PathBuf, Stored>,
    /// Where the file read ends its parts, `None` when none was read.
    layout: Option<Layout>,
    fresh: Mutex<HashMap<PathBuf, Fresh>>,
    warning: Option<String>,
    /// Documents whose parse came from the cache in this build.
    reused: AtomicUsize,
}

impl BuildCache {
    /// Reads the cache in `dir`. A missing file is an empty cache; one that cannot be used is
    /// an empty cache with a [`warning`](Self::warning).
    pub fn open(dir: &Path) -> BuildCache {
        let binary = binary_hash();
        let file = dir.join(FILE);
        let mut cache = BuildCache {
            dir: dir.to_path_buf(),
            binary,
            file: Vec::new(),
            old: HashMap::new(),
            layout: None,
            fresh: Mutex::new(HashMap::new()),
            warning: None,
            reused: AtomicUsize::new(0),
        };
        let Some(binary) = binary else {
            cache.warning = Some("không đọc được tệp chương trình để nhận diện bộ đệm".into());
            return cache;
        };
        match std::fs::read(&file) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => cache.warning = Some(format!("không đọc được {}: {e}", file.display())),
            Ok(bytes) => match decode(&bytes, binary) {
                Ok((old, layout)) => {
                    (cache.file, cache.old, cache.layout) = (bytes, old, Some(layout));
                }
                Err(why) => cache.warning = Some(format!("{}: {why}", file.display())),
            },
        }
        cache
    }

    /// Whether `text`, as the file `path` holds it, is the text the cached entry of `path`
    /// was made from. Entries are made from normalised texts, so such a text needs no
    /// normalising (`load::load_known`); one that hashes otherwise is normalised as usual.
    pub fn known_text(&self, path: &Path, text: &str) -> bool {
        self.old
            .get(path)
            .is_some_and(|e| e.text == text_hash(text))
    }

    /// Why the cache on disk was not used, if it was not (the build is then a full one).
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// Documents whose parse this build took from the cache.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    fn record(&self, path: &Path, part: impl FnOnce(&mut Fresh)) {
        let mut fresh = self.fresh.lock().unwrap_or_else(|e| e.into_inner());
        part(fresh.entry(path.to_path_buf()).or_default());
    }

    /// The old entry of `path` when its text is the one this build read.
    fn current(&self, path: &Path) -> Option<&Stored> {
        let fresh = self.fresh.lock().unwrap_or_else(|e| e.into_inner());
        let text = fresh.get(path)?.text;
        self.old.get(path).filter(|e| e.text == text)
    }

    /// The part of `path`'s entry in `slot`, decoded, when its text is unchanged and the part
    /// was made under `key`.
    fn reuse<P: serde::de::DeserializeOwned>(
        &self,
        path: &Path,
        key: u64,
        slot: fn(&Stored) -> &Option<(u64, Span)>,
    ) -> Option<P> {
        let (made_under, at) = slot(self.current(path)?).as_ref()?;
        if *made_under != key {
            return None;
        }
        postcard::from_bytes(self.file.get(at.clone())?).ok()
    }

    /// Keeps `part`, made under `key`, in `slot` of `path`'s new entry.
    fn keep<P: Serialize>(
        &self,
        path: &Path,
        key: u64,
        part: &P,
        slot: fn(&mut Fresh) -> &mut KeyedPart,
    ) {
        if let Ok(blob) = postcard::to_allocvec(part) {
            self.record(path, |e| *slot(e) = Some((key, Blob::from(blob))));
        }
    }

    /// `f` parsed, from the cache when its text is unchanged.
    pub(crate) fn parse(&self, f: SourceFile) -> (Option<ParsedDoc>, Vec<Diagnostic>) {
        let text = text_hash(&f.text);
        let old = self.old.get(&f.path).filter(|e| e.text == text);
        let bytes = old.and_then(|e| self.file.get(e.parsed.clone()));
        let part = bytes.and_then(|b| postcard::from_bytes::<ParsedPart>(b).ok());
        if let Some((doc, diags)) = part {
            self.reused.fetch_add(1, Ordering::Relaxed);
            self.record(&f.path, |e| e.text = text);
            let doc = doc.map(|(meta, slug_explicit, tasks, body_offset)| ParsedDoc {
                source: f,
                meta,
                slug_explicit,
                tasks,
                body_offset,
            });
            return (doc, diags);
        }
        let path = f.path.clone();
        let (doc, diags) = crate::parse::document::parse_document(f);
        let part: ParsedRef = (
            doc.as_ref()
                .map(|d| (&d.meta, d.slug_explicit, &d.tasks[..], d.body_offset)),
            &diags,
        );
        let blob = postcard::to_allocvec(&part).ok().map(Blob::from);
        self.record(&path, |e| {
            e.text = text;
            e.parsed = blob;
        });
        (doc, diags)
    }

    /// `d`'s drafts against a registry loaded from a `units.yaml` of hash `units`, from the
    /// cache when neither changed, else from `make`.
    pub(crate) fn drafts(
        &self,
        d: &ParsedDoc,
        units: u64,
        make: impl FnOnce() -> Vec<Draft>,
    ) -> Vec<Draft> {
        let path = &d.source.path;
        if let Some(parts) = self.reuse::<Vec<DraftPart>>(path, units, |e| &e.drafts) {
            return parts.into_iter().map(draft_from).collect();
        }
        let drafts = make();
        let parts: Vec<DraftPart> = drafts.iter().map(draft_part).collect();
        self.keep(path, units, &parts, |e| &mut e.drafts);
        drafts
    }

    /// `d`'s lean body and its warnings in a link context of hash `ctx`, from the cache when
    /// neither changed, else from `make`.
    pub(crate) fn lean_body(
        &self,
        d: &ParsedDoc,
        ctx: u64,
        make: impl FnOnce() -> (RenderedBody, Vec<Diagnostic>),
    ) -> (RenderedBody, Vec<Diagnostic>) {
        let path = &d.source.path;
        if let Some((mentions, diags)) = self.reuse::<BodyPart>(path, ctx, |e| &e.body) {
            let body = RenderedBody {
                mentions,
                ..RenderedBody::default()
            };
            return (body, diags);
        }
        let (body, diags) = make();
        let part: BodyRef = (&body.mentions, &diags);
        self.keep(path, ctx, &part, |e| &mut e.body);
        (body, diags)
    }

    /// Writes what this build read and made to a temporary file beside the cache (entries of
    /// documents that are gone are dropped), or makes this build's new entries a segment to
    /// append (`appendix`), and frees the cache's memory. `Ok(None)` when there
    /// is nothing new to write.
    pub fn stage(mut self) -> Result<Option<CacheUpdate>, String> {
        let Some(binary) = self.binary else {
            return Ok(None);
        };
        let fresh = std::mem::take(self.fresh.get_mut().unwrap_or_else(|e| e.into_inner()));
        let unchanged = fresh.len() == self.old.len()
            && fresh
                .values()
                .all(|f| f.parsed.is_none() && f.drafts.is_none() && f.body.is_none());
        if unchanged {
            return Ok(None);
        }
        if let Some(appendix) = self.appendix(&fresh) {
            sweep_stale_stages(&self.dir, FILE);
            return Ok(Some(CacheUpdate::Append(appendix)));
        }
        let payload = encode(fresh.iter(), &self.old, &self.file)?;
        let header = header(MAGIC, FORMAT, binary, &payload);
        let io =
            |e: std::io::Error| format!("không ghi được bộ đệm vào {}: {e}", self.dir.display());
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        mark_dir(&self.dir);
        let staged = StagedCache::beside(&self.dir, FILE);
        // Header and payload written one after the other: no second copy of the payload.
        let mut file = std::fs::File::create(&staged.tmp).map_err(io)?;
        file.write_all(header.as_bytes()).map_err(io)?;
        file.write_all(&payload).map_err(io)?;
        Ok(Some(CacheUpdate::Whole(staged)))
    }

    /// This build's new entries as a segment to append to the file read, when the file stays
    /// true and small with it: it ends with a whole segment, every document it has an entry of
    /// is still there (an entry to drop needs the file written anew), and its segments stay
    /// under [`MAX_APPENDED`] of its base.
    fn appendix(&self, fresh: &HashMap<PathBuf, Fresh>) -> Option<Appendix> {
        let layout = self.layout.as_ref()?;
        if layout.end != self.file.len() || !self.old.keys().all(|p| fresh.contains_key(p)) {
            return None;
        }
        let new = fresh.iter().filter(|(path, f)| {
            let made = f.parsed.is_some() || f.drafts.is_some() || f.body.is_some();
            made || self.old.get(*path).is_none_or(|e| e.text != f.text)
        });
        let segment = segment::segment(&encode(new, &self.old, &self.file).ok()?);
        let appended = layout.end - layout.base.end + segment.len();
        let base = layout.base.len();
        (appended as f64 <= base as f64 * MAX_APPENDED).then(|| Appendix {
            file: self.dir.join(FILE),
            head: self.file[..layout.base.start].to_vec(),
            len: self.file.len() as u64,
            segment,
        })
    }
}

/// How large the segments appended to a cache file may grow against its base before a build
/// writes the file anew: at 10,000 documents, a prose edit appends ~10 kB to a base of ~64 MB,
/// which a build otherwise writes whole again (~0.1 s of a core); the file is read whole on
/// each build, so it is kept from growing much.
const MAX_APPENDED: f64 = 0.5;

/// Where a cache file read ends its parts.
struct Layout {
    /// The base's payload (after its first line).
    base: Span,
    /// The end of the last whole segment after it.
    end: usize,
}

/// The entries to store: each document of this build, its parts made now or, when its text is
/// unchanged, kept from the old entry; sorted by path so the same cache writes the same bytes.
fn encode<'a>(
    fresh: impl Iterator<Item = (&'a PathBuf, &'a Fresh)>,
    old: &HashMap<PathBuf, Stored>,
    file: &[u8],
) -> Result<Vec<u8>, String> {
    let in_file = |at: &Span| file.get(at.clone()).map(serde_bytes::Bytes::new);
    let keyed = |part: &Option<(u64, Span)>| {
        let (key, at) = part.as_ref()?;
        Some((*key, in_file(at)?))
    };
    let mut entries: Vec<(&str, Entry)> = fresh
        .filter_map(|(path, f)| {
            // A path that is not UTF-8 is never cached (the format names entries by string).
            let name = path.to_str()?;
            let prev = old.get(path).filter(|e| e.text == f.text);
            let parsed = f.parsed.as_ref().map(|b| serde_bytes::Bytes::new(b));
            let entry = Entry {
                text: f.text,
                parsed: parsed.or_else(|| in_file(&prev?.parsed))?,
                drafts: made(&f.drafts).or_else(|| keyed(&prev?.drafts)),
                body: made(&f.body).or_else(|| keyed(&prev?.body)),
            };
            Some((name, entry))
        })
        .collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    postcard::to_allocvec(&entries).map_err(|e| format!("không mã hóa được bộ đệm: {e}"))
}

/// A part this build made, as an [`Entry`] borrows it.
fn made(part: &KeyedPart) -> Option<(u64, &serde_bytes::Bytes)> {
    part.as_ref().map(|(k, b)| (*k, serde_bytes::Bytes::new(b)))
}

/// The first line of a file in the cache folder: what it is (`magic`, `format`), the cchc
/// version and binary that wrote it, then the CRC-32 and length of the `payload` after it.
pub(super) fn header(magic: &str, format: u32, binary: u64, payload: &[u8]) -> String {
    header_of(
        magic,
        format,
        binary,
        crc32fast::hash(payload),
        payload.len(),
    )
}

/// [`header`] of a payload whose CRC-32 and length are known (written in parts).
pub(super) fn header_of(magic: &str, format: u32, binary: u64, crc: u32, len: usize) -> String {
    format!("{magic} {format} {VERSION} {binary:016x} {crc:08x} {len}\n")
}

const DAMAGED: &str = "tệp bộ đệm bị cắt cụt hoặc hỏng";

/// The payload of a cache folder file behind its [`header`], or why it cannot be used: not
/// this kind of file, written by another build of cchc, truncated or damaged.
pub(super) fn payload<'a>(
    bytes: &'a [u8],
    magic: &str,
    format: u32,
    binary: u64,
) -> Result<&'a [u8], String> {
    match payload_and_rest(bytes, magic, format, binary)? {
        (payload, []) => Ok(payload),
        _ => Err(DAMAGED.into()),
    }
}

/// [`payload`] of a file that may hold more bytes after it: the payload, and those bytes.
fn payload_and_rest<'a>(
    bytes: &'a [u8],
    magic: &str,
    format: u32,
    binary: u64,
) -> Result<(&'a [u8], &'a [u8]), String> {
    let nl = bytes
        .iter()
        .take(256)
        .position(|&b| b == b'\n')
        .ok_or(DAMAGED)?;
    let header = std::str::from_utf8(&bytes[..nl]).map_err(|_| DAMAGED)?;
    let fields: Vec<&str> = header.split(' ').collect();
    let [m, found, version, bin, crc, len] = fields[..] else {
        return Err("không phải tệp bộ đệm của cchc".into());
    };
    if m != magic {
        return Err("không phải tệp bộ đệm của cchc".into());
    }
    if found != format.to_string() || version != VERSION || bin != format!("{binary:016x}") {
        return Err(format!(
            "bộ đệm do bản cchc khác ghi ({version}, định dạng {found})"
        ));
    }
    let after = &bytes[nl + 1..];
    let (payload, rest) = match len.parse::<usize>() {
        Ok(len) if len <= after.len() => after.split_at(len),
        _ => return Err(DAMAGED.into()),
    };
    if u32::from_str_radix(crc, 16).ok() != Some(crc32fast::hash(payload)) {
        return Err(DAMAGED.into());
    }
    Ok((payload, rest))
}

/// The entries of a cache file, each part as where it lies in `bytes`, and where its parts
/// end; or why it cannot be used. An entry of a segment stands for the same document's
/// entry before it; a last segment cut short is left out.
fn decode(bytes: &[u8], binary: u64) -> Result<(HashMap<PathBuf, Stored>, Layout), String> {
    let (base, rest) = payload_and_rest(bytes, MAGIC, FORMAT, binary)?;
    let (segments, used) = segment::read(rest).map_err(|segment::Damaged| DAMAGED.to_string())?;
    // Each part borrows from `bytes`: its place is its distance from the start.
    let offset = |part: &[u8]| (part.as_ptr() as usize).checked_sub(bytes.as_ptr() as usize);
    let span = |part: &serde_bytes::Bytes| {
        let start = offset(part)?;
        let at = start..start + part.len();
        (bytes.get(at.clone())?.as_ptr() == part.as_ptr()).then_some(at)
    };
    let keyed = |part: Option<(u64, &serde_bytes::Bytes)>| match part {
        Some((k, b)) => span(b).map(|at| Some((k, at))),
        None => Some(None),
    };
    let mut old = HashMap::new();
    for payload in std::iter::once(base).chain(segments) {
        let entries: Vec<(&str, Entry)> =
            postcard::from_bytes(payload).map_err(|_| DAMAGED.to_string())?;
        for (p, e) in entries {
            let stored = Stored {
                text: e.text,
                parsed: span(e.parsed).ok_or(DAMAGED)?,
                drafts: keyed(e.drafts).ok_or(DAMAGED)?,
                body: keyed(e.body).ok_or(DAMAGED)?,
            };
            old.insert(PathBuf::from(p), stored);
        }
    }
    let base_at = offset(base).ok_or(DAMAGED)?;
    let layout = Layout {
        base: base_at..base_at + base.len(),
        end: bytes.len() - rest.len() + used,
    };
    Ok((old, layout))
}

/// Removes staged copies of the cache folder's `file` older than [`STALE_STAGE`], left by
/// builds that were killed between staging and publishing (a build stages and publishes
/// within minutes).
fn sweep_stale_stages(dir: &Path, file: &str) {
    remove_files(dir, |name, entry| {
        let staged = name.starts_with(file) && name.ends_with(STAGE_SUFFIX);
        let age = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        staged && age.is_some_and(|a| a > STALE_STAGE)
    });
}

/// Removes the files of the cache folder `dir` that `doomed` picks by name (best effort: a
/// file left is only space).
pub(super) fn remove_files(dir: &Path, doomed: impl Fn(&str, &std::fs::DirEntry) -> bool) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if doomed(&name.to_string_lossy(), &entry) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Marks the cache folder as one: backup tools skip it (`CACHEDIR.TAG`) and git ignores it
/// even where the site's `.gitignore` does not list it. Best effort: a folder without them
/// works the same.
pub(super) fn mark_dir(dir: &Path) {
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        let _ = std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n\
             # cchc build cache (safe to delete): https://bford.info/cachedir/\n",
        );
        let _ = std::fs::write(dir.join(".gitignore"), "*\n");
    }
}

/// Identifies the running binary: results made by any other build of cchc are not reused.
/// Its size and modification time rather than its bytes: every `cargo build` and every
/// install writes the file anew, and reading 50 MB on each build cost ~80 ms.
pub(super) fn binary_hash() -> Option<u64> {
    let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let id = format!(
        "{}:{}:{}",
        meta.len(),
        modified.as_secs(),
        modified.subsec_nanos()
    );
    Some(bytes_hash(id.as_bytes()))
}

fn draft_part(d: &Draft) -> DraftPart {
    let content = d.content.clone().map(|u| u, |due| DeadlinePart::from(&due));
    (d.label.clone(), content, d.line)
}

fn draft_from((label, content, line): DraftPart) -> Draft {
    Draft {
        label,
        content: content.map(|u| u, Deadline::from),
        line,
    }
}

/// A cache file written beside the cache, renamed in by [`publish`](Self::publish) once the
/// build has succeeded; removed if dropped before.
pub struct StagedCache {
    tmp: PathBuf,
    file: PathBuf,
}

impl StagedCache {
    /// The cache folder `dir`'s file `file`, to be staged beside it under a name of this
    /// process (two builds into different outputs may share a cache folder, and each renames
    /// in only the file it wrote); stale stages of killed builds are swept first.
    pub(super) fn beside(dir: &Path, file: &str) -> StagedCache {
        sweep_stale_stages(dir, file);
        StagedCache {
            tmp: dir.join(format!("{file}.{}{STAGE_SUFFIX}", std::process::id())),
            file: dir.join(file),
        }
    }

    /// Where the staged file is written.
    pub(super) fn tmp(&self) -> &Path {
        &self.tmp
    }

    /// Puts the staged file in place of the cache (a rename: readers see the old file or the
    /// new one, never a part).
    pub fn publish(self) -> Result<(), String> {
        std::fs::rename(&self.tmp, &self.file)
            .map_err(|e| format!("không thay được bộ đệm {}: {e}", self.file.display()))
    }
}

impl Drop for StagedCache {
    fn drop(&mut self) {
        // After a publish the temporary file is gone and this does nothing.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// What a build leaves to put in the cache folder once its output is committed.
pub enum CacheUpdate {
    /// A new cache file, staged beside the cache.
    Whole(StagedCache),
    /// Entries to append to the cache file read.
    Append(Appendix),
}

impl CacheUpdate {
    /// Puts the update in place: renames the staged file in, or appends the entries.
    pub fn publish(self) -> Result<(), String> {
        match self {
            CacheUpdate::Whole(staged) => staged.publish(),
            CacheUpdate::Append(appendix) => appendix.publish(),
        }
    }
}

/// A segment of entries (`segment`) to append to the cache file as a build read it.
pub struct Appendix {
    file: PathBuf,
    /// The file's first line as read: it names the binary and the base's CRC-32.
    head: Vec<u8>,
    /// The file's length as read.
    len: u64,
    segment: Vec<u8>,
}

impl Appendix {
    /// Appends the segment to the cache file if it is still the one this build read (same
    /// first line, same length); otherwise another build replaced it or appended to it, and
    /// this build's entries are left out (the next build makes them again). Under a lock on the
    /// file: two builds sharing the cache folder never append at once.
    fn publish(self) -> Result<(), String> {
        use std::io::Read;
        let io = |e: std::io::Error| format!("không ghi được bộ đệm {}: {e}", self.file.display());
        let opened = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .open(&self.file);
        let mut file = match opened {
            // The cache was deleted meanwhile: nothing to add to.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            other => other.map_err(io)?,
        };
        file.lock().map_err(io)?;
        let mut head = vec![0; self.head.len()];
        let same = file.metadata().map_err(io)?.len() == self.len
            && file.read_exact(&mut head).is_ok()
            && head == self.head;
        if same {
            file.write_all(&self.segment).map_err(io)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A segment is appended only to the file as the build read it, and never makes a file
    /// that was deleted meanwhile.
    #[test]
    fn an_appendix_goes_only_to_the_file_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE);
        let appendix = || Appendix {
            file: file.clone(),
            head: b"head\n".to_vec(),
            len: 9,
            segment: b"+seg".to_vec(),
        };
        let read = || std::fs::read(&file).unwrap();
        std::fs::write(&file, b"head\nbase").unwrap();
        appendix().publish().unwrap();
        assert_eq!(read(), b"head\nbase+seg");
        // Another build appended to it meanwhile: its length is not the one read.
        appendix().publish().unwrap();
        assert_eq!(read(), b"head\nbase+seg");
        // Another build wrote it anew: the same length, another first line.
        std::fs::write(&file, b"HEAD\nbase").unwrap();
        appendix().publish().unwrap();
        assert_eq!(read(), b"HEAD\nbase");
        std::fs::remove_file(&file).unwrap();
        appendix().publish().unwrap();
        assert!(!file.exists());
    }
}
