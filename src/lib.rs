//! cchc: a static site generator for Vietnamese administrative-reform (CCHC) plans.
//!
//! The pipeline, one module per stage (see `ARCHITECTURE.md`):
//! `load` (read `content/`) → `parse` (front matter, Markdown) → `extract` (tasks in every
//! written form, deadlines, units; `extract::draft` and `extract::resolve` turn them into the
//! model's tasks) → `link` (number map, citations, body links, unit duties) → `site` (runs
//! those stages in order into one [`model::Site`], with `serve`'s cache) → `render` (pages,
//! data, calendars, search index) → `write` (swap the new output in safely). `serve` sits
//! beside them and rebuilds in memory.
//!
//! [`build`], [`check`] and [`build_in_memory`] are the entry points; all of them assemble
//! with [`site::assemble`] and render with the theme from [`load_theme`].

pub mod alloc;
pub mod cli;
pub mod config;
pub mod diag;
pub mod extract;
pub mod html_grid;
pub mod import;
pub mod link;
pub mod load;
pub mod model;
pub mod parse;
pub mod progress;
pub mod progress_bar;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod text;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Instant;

use diag::{Diagnostic, Diagnostics};
use model::Site;
use site::CacheUpdate;

/// Runs `f`, printing how long it took to stderr when `CCHC_TIMINGS` is set (for profiling
/// builds; never on by default so output stays quiet and deterministic).
pub fn timed<T>(label: &str, f: impl FnOnce() -> T) -> T {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("CCHC_TIMINGS").is_some()) {
        return f();
    }
    let t = Instant::now();
    let (user0, sys0) = cpu_seconds();
    let out = f();
    let (user1, sys1) = cpu_seconds();
    let (rss, peak) = memory_mb();
    eprintln!(
        "[timing] {label}: {:.3} s (cpu user {:.2} s, sys {:.2} s; rss {rss} MB, peak {peak} MB)",
        t.elapsed().as_secs_f64(),
        user1 - user0,
        sys1 - sys0,
    );
    out
}

/// User and system CPU seconds of this whole process so far (Linux; zeros elsewhere): a
/// stage whose system time grows faster than its documents spends it in the kernel (page
/// faults, file writes), which its own wall time alone does not tell.
fn cpu_seconds() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let field = |i: usize| {
        rest.split_whitespace()
            .nth(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of proc_pid_stat(5); what follows the name starts
    // at field 3. In clock ticks, 100 per second on Linux.
    (field(11) / 100.0, field(12) / 100.0)
}

/// Resident and peak resident memory of this process in MB (Linux; zeros elsewhere), printed
/// beside each stage's time so a stage that holds too much shows up in `CCHC_TIMINGS`.
fn memory_mb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Options of `cchc build` / `cchc check`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site folder (holds `content/`, optional `themes/`).
    pub root: PathBuf,
    /// Output folder (default `<root>/public`).
    pub out: Option<PathBuf>,
    pub today: Option<jiff::civil::Date>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Build cache folder (default `<root>/.cchc-cache`).
    pub cache_dir: Option<PathBuf>,
    /// Neither read nor write the build cache.
    pub no_cache: bool,
}

impl BuildOptions {
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }

    /// Where the build cache lives, if it is used.
    pub fn cache_dir(&self) -> Option<PathBuf> {
        let dir = match &self.cache_dir {
            Some(d) => d.clone(),
            None => self.root.join(site::DEFAULT_CACHE_DIR),
        };
        (!self.no_cache).then_some(dir)
    }

    /// The build cache, read from its folder; `None` with `--no-cache`, or (with a warning) when
    /// the folder lies inside the output, which is replaced whole and uploaded.
    fn open_cache(&self, warning: &mut Option<String>) -> Option<site::BuildCache> {
        let dir = self.usable_cache_dir(warning)?;
        Some(open_cache_in(&dir, warning))
    }

    /// [`BuildOptions::cache_dir`], unless (with a warning) it lies inside the output, which
    /// is replaced whole and uploaded.
    fn usable_cache_dir(&self, warning: &mut Option<String>) -> Option<PathBuf> {
        let dir = self.cache_dir()?;
        let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        if abs(&dir).starts_with(abs(&self.out_dir())) {
            *warning = Some(format!(
                "thư mục {} nằm trong thư mục đầu ra; không dùng bộ đệm",
                dir.display()
            ));
            return None;
        }
        Some(dir)
    }

    fn assemble(&self) -> site::AssembleOptions {
        site::AssembleOptions {
            today: self.today,
            drafts: self.drafts,
            base_url: self.base_url.clone(),
            rerender_bodies: false,
        }
    }
}

/// The build cache read from its folder `dir`, with the warning it gives if any.
fn open_cache_in(dir: &Path, warning: &mut Option<String>) -> site::BuildCache {
    let cache = timed("cache: load", || site::BuildCache::open(dir));
    *warning = cache.warning().map(str::to_owned);
    cache
}

/// What a build or check found and did.
#[derive(Debug, Default)]
pub struct Report {
    pub documents: usize,
    pub tasks: usize,
    pub units: usize,
    pub pages: usize,
    pub files: usize,
    /// Every diagnostic, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Cited numbers not published on the site, with the documents citing them.
    pub external_refs: Vec<(String, PathBuf)>,
    pub seconds: f64,
    /// Files written anew because they are new or their bytes changed (the others kept their
    /// modification time), and files of the previous output the new one dropped.
    pub changed: usize,
    pub removed: usize,
    /// True when output was written.
    pub written: bool,
    /// Why the build cache was not used or not saved, if so (the output is the same).
    pub cache_warning: Option<String>,
    /// Documents whose parse (and, keys matching, drafts and body) came from the build cache.
    pub cache_reused: usize,
    /// When the build updated the previous output in place (only documents' bodies changed,
    /// see `site::last_output`): how many documents' pages it made again. `None`: every file
    /// was made.
    pub in_place: Option<usize>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// A build that could not write its output (content errors are in the report instead).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

/// Builds the site under `opts.root` into the output folder. Nothing is written when any
/// error is found: the previous output stays as it was.
pub fn build(opts: &BuildOptions) -> Result<Report, BuildError> {
    let started = Instant::now();
    let out = opts.out_dir();
    write::check_out_dir(&out, &opts.root)?;
    let diags = Diagnostics::new();
    progress_bar::stage("đọc và phân tích nội dung");
    let mut cache_warning = None;
    // The record of what this output holds lives beside the build cache, and only with it.
    let record_dir = opts.usable_cache_dir(&mut cache_warning);
    let last = record_dir.as_deref().and_then(|d| last_build(d, &out));
    let cache = record_dir
        .as_deref()
        .map(|d| open_cache_in(d, &mut cache_warning));
    // Lean: bodies are rendered again when their pages are made, never all held.
    let (site, sources) =
        site::assemble_lean_cached(&opts.root, &opts.assemble(), &diags, cache.as_ref());
    if std::env::var_os("CCHC_TIMINGS").is_some() {
        eprintln!("[model] {}", site::model_bytes(&site));
    }
    let mut report = summarize(&site, &diags);
    report.cache_warning = cache_warning;
    report.cache_reused = cache.as_ref().map_or(0, site::BuildCache::reused);
    if report.errors() > 0 {
        report.seconds = started.elapsed().as_secs_f64();
        return Ok(report);
    }
    let Some(theme) = load_theme(&opts.root, &site, &diags) else {
        return Ok(finish(report, &diags, started));
    };
    let mut staging = write::Staging::begin(&out, record_dir.is_some())?;
    let texts = sources.text_hashes();
    let (staged, shape, carry, loaded) = stage_and_check(
        cache,
        record_dir.as_deref().map(|d| (d, last)),
        (&site, &theme, &texts, &out),
        &mut report.cache_warning,
    );
    if let Some(c) = nothing_to_change(carry.as_ref(), &site, &opts.root, &out) {
        return Ok(unchanged(report, c, staging, staged, &diags, started));
    }
    if let Some(c) = &carry {
        timed("spare: adopt", || staging.adopt_spare(c.alone()));
    }
    let mut memo = index_memo(carry.as_ref(), &site, loaded);
    progress_bar::stage("dựng trang và dữ liệu");
    let make = |i| sources.body(&site, i);
    let bodies = render::Bodies::OnDemand(&make);
    // An in-place build notes what it writes: the record then stamps only those again.
    let written = std::sync::Mutex::new(Vec::new());
    let note = |path: &str| {
        if carry.is_some() {
            if let Ok(mut w) = written.lock() {
                w.push(path.to_owned());
            }
        }
    };
    let put = |o: write::Output| {
        note(&o.path);
        staging.put(&o);
        progress_bar::tick();
    };
    let (pages, index) = render_output(
        (&site, bodies, &theme, &diags),
        carry.as_ref(),
        memo.as_mut(),
        &put,
    );
    report.pages = pages;
    report.in_place = carry.as_ref().map(|c| c.edited.len());
    for s in &site.static_files {
        note(&s.out);
        staging.copy(&static_copy(&opts.root, s));
    }
    let memo = save_memo(&index, memo, record_dir.as_deref());
    let keep = carry.map(|c| Keep::plan(c, &index));
    if let Some(k) = &keep {
        timed("carry", || staging.carry(&k.kept, &k.dropped));
    }
    report.diagnostics = diags.sorted();
    if report.errors() == 0 {
        let record = record_dir.zip(shape).map(|(dir, shape)| Record {
            dir,
            site: site::Recorded {
                shape,
                pages: report.pages,
                texts,
            },
            index,
            memo,
            keep,
            written: written.into_inner().unwrap_or_default(),
        });
        commit(&mut report, staging, staged, &out, record)?;
    }
    drop_in_background((site, sources, theme));
    Ok(finish(report, &diags, started))
}

/// Drops `value` on a thread of its own: freeing a 10,000-document site (~150,000 tasks, each
/// a few boxed strings) takes a twentieth of a second that the build need not wait for. The
/// process may end first; its memory then goes back with it.
fn drop_in_background<T: Send + 'static>(value: T) {
    // If no thread can be started, the closure and `value` with it are dropped here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// The memo of a search index made through it, final: written beside the cache folder's
/// (`dir`) while the rest is carried over and committed, then put in place (if the build
/// fails, `Saving` removes it).
fn save_memo(
    index: &IndexMade,
    memo: Option<render::search::memo::SearchMemo>,
    dir: Option<&Path>,
) -> Option<site::index_memo::Saving> {
    match (index, memo, dir) {
        (IndexMade::Memo(_), Some(memo), Some(dir)) => {
            Some(site::index_memo::Saving::start(dir, memo))
        }
        _ => None,
    }
}

/// The copy of the content file `s` of the site under `root`.
fn static_copy(root: &Path, s: &model::StaticFile) -> write::Copy {
    write::Copy {
        from: root.join(&s.source),
        to: s.out.clone(),
    }
}

/// `carry` when it finds nothing edited and the output `out` holds every content file the
/// site under `root` copies as it is now (an attachment can change while nothing else does):
/// then there is nothing to change.
fn nothing_to_change<'c>(
    carry: Option<&'c site::Carry>,
    site: &Site,
    root: &Path,
    out: &Path,
) -> Option<&'c site::Carry> {
    let carry = carry.filter(|c| c.edited.is_empty())?;
    let copied = |s: &model::StaticFile| write::holds_copy(out, &s.out, &root.join(&s.source));
    site.static_files.iter().all(copied).then_some(carry)
}

/// The end of a build that found nothing to change: the site's shape and every document's
/// text are the recorded ones, the output is still file for file what its record says, and the
/// content files it copies are there as they are. The output already is this build's, so
/// nothing is staged, swapped or removed (at 10,000 documents that is 68,000 links made and
/// 68,000 unlinked); its record, and the search index's memo, stay true. The build cache,
/// staged, is put in place under the output's lock, which `staging` holds until it is dropped.
fn unchanged(
    mut report: Report,
    carry: &site::Carry,
    staging: write::Staging,
    cache: Option<CacheUpdate>,
    diags: &Diagnostics,
    started: Instant,
) -> Report {
    report.pages = carry.pages;
    report.in_place = Some(0);
    report.files = carry.files.len();
    report.written = true;
    if let Some(Err(w)) = cache.map(CacheUpdate::publish) {
        report.cache_warning.get_or_insert(w);
    }
    drop(staging);
    finish(report, diags, started)
}

/// Stages the build `cache` (under the output's lock, before rendering so that its memory is
/// free for the pages; put in place only once the output is) while, when the build records
/// its output (`recording`: the cache folder, with the last record), the site's shape is
/// hashed and the output checked: the shape, and what the build may keep of the output. When
/// the record promises an in-place build with edits, the search index's memo is read beside
/// the output check (`None` when it was not read, or is not there).
fn stage_and_check(
    cache: Option<site::BuildCache>,
    recording: Option<(&Path, Option<LastBuild>)>,
    (site, theme, texts, out): (&Site, &render::templates::Theme, &[u64], &Path),
    warning: &mut Option<String>,
) -> (
    Option<CacheUpdate>,
    Option<u64>,
    Option<site::Carry>,
    Option<render::search::memo::SearchMemo>,
) {
    std::thread::scope(|s| {
        let staging = cache.map(|c| s.spawn(|| timed("cache: save", || c.stage())));
        let (dir, last) = recording.unzip();
        let shape =
            dir.map(|_| timed("shape", || site::shape::shape_hash(site, theme.fingerprint)));
        let nonce = memo_wanted(
            last.as_ref().and_then(Option::as_ref).map(|(l, _)| l),
            shape,
            out,
            texts,
            site,
        );
        let memo = dir.zip(nonce).map(|(dir, nonce)| {
            s.spawn(move || timed("search memo: load", || site::index_memo::read(dir, nonce)))
        });
        let carry = in_place(last.flatten(), shape, out, texts, site);
        let staged = staging.and_then(|h| {
            h.join()
                .unwrap_or_else(|_| Err("luồng ghi bộ đệm dừng bất thường".into()))
                .map_err(|w| warning.get_or_insert(w))
                .ok()
                .flatten()
        });
        // A memo that cannot be read (or a thread that stopped) is made again.
        let memo = memo.and_then(|h| h.join().ok().flatten());
        (staged, shape, carry, memo)
    })
}

/// The nonce of the search index's memo to read when the record `last` promises an in-place
/// build that makes the index through it: the site of `shape` is the recorded one, into the
/// same output `out`, and some document's text (`texts`) changed. The output check may still
/// refuse the build in place; the memo is then dropped unused.
fn memo_wanted(
    last: Option<&site::LastOutput>,
    shape: Option<u64>,
    out: &Path,
    texts: &[u64],
    site: &Site,
) -> Option<u64> {
    if !keeps_memo(site) {
        return None;
    }
    last?.memo_for_edits(out, shape?, texts)
}

/// Whether builds of `site` keep the search index's memo: not past
/// [`site::index_memo::MAX_ENTRIES`] search entries.
fn keeps_memo(site: &Site) -> bool {
    site.documents.len() + site.tasks.len() + site.units.len() <= site::index_memo::MAX_ENTRIES
}

/// The record in the cache folder `dir` of the last build's output; when it is of `out`,
/// that output's survey is begun, to run while the cache is read and the site assembled.
fn last_build(dir: &Path, out: &Path) -> Option<LastBuild> {
    let last = timed("record: read", || site::LastOutput::read(dir))?;
    let early = last.is_for(out).then(|| write::EarlySurvey::start(out));
    Some((last, early.flatten()))
}

/// The record of the last build's output, with the survey of that output begun early
/// (`write::EarlySurvey`) when the record names this build's output.
type LastBuild = (site::LastOutput, Option<write::EarlySurvey>);

/// What this build may keep of the output `out` (see `site::last_output`): `None`, a full
/// build, without a record (`last`) in the cache folder or when it does not match.
fn in_place(
    last: Option<LastBuild>,
    shape: Option<u64>,
    out: &Path,
    texts: &[u64],
    site: &Site,
) -> Option<site::Carry> {
    let ((last, early), shape) = (last?, shape?);
    if texts.len() != site.documents.len() {
        return None;
    }
    timed("carry: check", || {
        last.carry(out, shape, texts, || write::EarlySurvey::finish(early, out))
    })
}

/// What became of the search index in a build.
enum IndexMade {
    /// Not made: the output's stays as it is (an in-place build with no edit).
    Kept,
    /// Made from scratch, every file written, nothing kept.
    Fresh,
    /// Made through the memo: the paths of all its files (those the memo did not hand over
    /// are the output's, unchanged).
    Memo(Vec<String>),
}

/// The search index's memo an in-place build goes through (`site::index_memo`): the one kept
/// for the output it updates (`loaded`, read beside the output check), or a new one; `None`
/// for a full build, a build without a cache folder or of a site past
/// [`site::index_memo::MAX_ENTRIES`], and an in-place build with no edit (it makes no index).
fn index_memo(
    carry: Option<&site::Carry>,
    site: &Site,
    loaded: Option<render::search::memo::SearchMemo>,
) -> Option<render::search::memo::SearchMemo> {
    // A full build (`carry` `None`) makes its index the lean way and keeps no memo: making
    // one costs ~70% more time and ~300 MB at 10,000 documents, and a full build (any change
    // to a task, a unit, a title...) is as common as a prose edit. The first in-place build
    // after it makes the memo; those after that go through it.
    // A memo read for an in-place build that the output check refused is dropped on a thread,
    // as the site is (~350 MB at 10,000 documents).
    if !carry.is_some_and(|c| keeps_memo(site) && !c.edited.is_empty()) {
        drop_in_background(loaded);
        return None;
    }
    Some(loaded.unwrap_or_default())
}

/// Renders what this build makes into `sink`: with `carry`, the edited documents' pages and,
/// when there are any, the search index; otherwise every file. Returns the number of pages
/// and what became of the index.
fn render_output(
    (site, bodies, theme, diags): (
        &Site,
        render::Bodies,
        &render::templates::Theme,
        &Diagnostics,
    ),
    carry: Option<&site::Carry>,
    memo: Option<&mut render::search::memo::SearchMemo>,
    sink: render::Sink,
) -> (usize, IndexMade) {
    let pages = match carry {
        Some(c) if c.edited.is_empty() => return (c.pages, IndexMade::Kept),
        Some(c) => {
            render::render_body_edits(site, bodies, theme, diags, &c.edited, sink);
            c.pages
        }
        None => render::render_pages(site, bodies, theme, diags, sink),
    };
    let Some(memo) = memo else {
        render::search_index(site, bodies, sink, None);
        return (pages, IndexMade::Fresh);
    };
    // What the memo last made is what the output holds (a new memo: nothing, so every file
    // is handed over); only the edited documents' entries can differ from it.
    let published = memo.stamps();
    let index = render::IndexMemo {
        memo,
        only: carry.map(|c| c.edited.as_slice()),
        published: &|p| published.get(p).copied(),
    };
    let paths = render::search_index(site, bodies, sink, Some(index));
    (pages, IndexMade::Memo(paths.unwrap_or_default()))
}

/// What an in-place build takes over of the output it updates.
struct Keep {
    /// The output's files kept as they are (but those the build wrote itself), as recorded.
    kept: Vec<write::FileStamp>,
    /// The output's other files: those of a search index made again that the new one does
    /// not have (made from scratch: all of them).
    dropped: Vec<String>,
    /// The nonce of the search index's memo kept for the output.
    search: Option<u64>,
}

impl Keep {
    fn plan(carry: site::Carry, index: &IndexMade) -> Keep {
        let is_index = |p: &str| p.starts_with(render::search::INDEX_DIR);
        let (kept, dropped) = carry.files.into_iter().partition(|(p, ..)| match index {
            IndexMade::Kept => true,
            IndexMade::Fresh => !is_index(p),
            IndexMade::Memo(paths) => !is_index(p) || paths.binary_search(p).is_ok(),
        });
        Keep {
            kept,
            dropped: dropped.into_iter().map(|f: write::FileStamp| f.0).collect(),
            search: carry.search,
        }
    }

    /// The files of the output `out` after a commit in which the build wrote `written`:
    /// those kept, as recorded, and those written, stamped; `None` if one cannot be stamped.
    fn files_after(self, out: &Path, mut written: Vec<String>) -> Option<Vec<write::FileStamp>> {
        written.sort_unstable();
        written.dedup();
        let mut files: Vec<write::FileStamp> = self
            .kept
            .into_iter()
            .filter(|f| written.binary_search(&f.0).is_err())
            .collect();
        for rel in &written {
            files.push(write::stamp(out, rel)?);
        }
        files.sort_unstable();
        Some(files)
    }
}

/// What a build with a cache folder records of the output it commits (`site::last_output`).
struct Record {
    dir: PathBuf,
    site: site::Recorded,
    index: IndexMade,
    /// The search index's memo, being written when the index was made through it.
    memo: Option<site::index_memo::Saving>,
    keep: Option<Keep>,
    /// The files an in-place build wrote.
    written: Vec<String>,
}

/// Swaps the staged output in, then puts the build cache and the search index's memo in place
/// and records the output (`record`). The previous output is kept as the next build's staging
/// folder when there is a record (a cache), otherwise removed meanwhile, on a thread of its own.
fn commit(
    report: &mut Report,
    staging: write::Staging,
    cache: Option<CacheUpdate>,
    out: &Path,
    record: Option<Record>,
) -> Result<(), BuildError> {
    progress_bar::stage("thay thư mục đầu ra");
    let removal = committed(report, staging, cache)?;
    if let Some(Record {
        dir,
        site,
        index,
        memo,
        keep,
        written,
    }) = record
    {
        let search = match (&index, memo) {
            (IndexMade::Kept, _) => Ok(keep.as_ref().and_then(|k| k.search)),
            (_, Some(saving)) => saving
                .wait()
                .and_then(site::index_memo::StagedMemo::publish)
                .map(Some),
            (_, None) => {
                site::index_memo::remove(&dir);
                Ok(None)
            }
        };
        let search = search
            .map_err(|w| report.cache_warning.get_or_insert(w))
            .ok()
            .flatten();
        let files = keep.and_then(|k| k.files_after(out, written));
        let recorded = timed("record output", || {
            site::LastOutput::write(&dir, out, site, search, files)
        });
        if let Err(w) = recorded {
            report.cache_warning.get_or_insert(w);
        }
    }
    Ok(timed("remove old output", || removal.wait())?)
}

/// Commits the staged output and puts the staged build cache in place; the summary goes into
/// `report`.
fn committed(
    report: &mut Report,
    staging: write::Staging,
    cache: Option<CacheUpdate>,
) -> Result<write::Removal, BuildError> {
    let (written, removal) = timed("commit", || staging.commit())?;
    report.files = written.files;
    report.changed = written.changed;
    report.removed = written.removed;
    report.written = true;
    if let Some(Err(w)) = cache.map(CacheUpdate::publish) {
        report.cache_warning.get_or_insert(w);
    }
    Ok(removal)
}

/// The site's theme; `None` (with the problem in `diags`) when it cannot be loaded. Every entry
/// point (build, check, the in-memory build, serve) renders through it.
pub fn load_theme(
    root: &Path,
    site: &Site,
    diags: &Diagnostics,
) -> Option<render::templates::Theme> {
    render::templates::load_theme(root, &site.config.theme)
        .map_err(|d| diags.push(d))
        .ok()
}

fn finish(mut report: Report, diags: &Diagnostics, started: Instant) -> Report {
    report.diagnostics = diags.sorted();
    report.seconds = started.elapsed().as_secs_f64();
    report
}

/// Assembles and renders the site without touching the disk (used by `serve` and tests).
pub fn build_in_memory(
    root: &Path,
    opts: &site::AssembleOptions,
    diags: &Diagnostics,
) -> (Site, Vec<write::Output>) {
    let site = site::assemble(root, opts, diags);
    let mut outputs = match load_theme(root, &site, diags) {
        Some(theme) => render::render_to_memory(&site, &theme, diags),
        None => Vec::new(),
    };
    outputs.extend(static_outputs(root, &site, diags));
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    (site, outputs)
}

/// The content folder's own files (attachments, images) as outputs, read from disk.
pub fn static_outputs(root: &Path, site: &Site, diags: &Diagnostics) -> Vec<write::Output> {
    site.static_files
        .iter()
        .filter_map(|s| match std::fs::read(root.join(&s.source)) {
            Ok(bytes) => Some(write::Output {
                path: s.out.clone(),
                bytes,
            }),
            Err(e) => {
                diags.push(Diagnostic::error(
                    &s.source,
                    0,
                    0,
                    format!("không đọc được tệp: {e}"),
                ));
                None
            }
        })
        .collect()
}

/// Everything `build` verifies, without writing: the full list of problems.
pub fn check(opts: &BuildOptions) -> Report {
    let started = Instant::now();
    let diags = Diagnostics::new();
    // Reads the build cache but never writes it: `check` writes nothing.
    let mut cache_warning = None;
    let cache = opts.open_cache(&mut cache_warning);
    let (site, sources) =
        site::assemble_lean_cached(&opts.root, &opts.assemble(), &diags, cache.as_ref());
    drop(cache);
    let mut report = summarize(&site, &diags);
    report.cache_warning = cache_warning;
    if let Some(theme) = load_theme(&opts.root, &site, &diags) {
        let make = |i| sources.body(&site, i);
        let bodies = render::Bodies::OnDemand(&make);
        report.pages = render::render_site(&site, bodies, &theme, &diags, &|_| {});
    }
    for d in &site.documents {
        for r in &d.external_refs {
            report.external_refs.push((r.clone(), d.source.clone()));
        }
    }
    finish(report, &diags, started)
}

fn summarize(site: &Site, diags: &Diagnostics) -> Report {
    Report {
        documents: site.documents.len(),
        tasks: site.tasks.len(),
        units: site.active_units().count(),
        diagnostics: diags.sorted(),
        ..Report::default()
    }
}
