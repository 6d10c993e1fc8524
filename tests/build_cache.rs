//! The build cache on disk (`<root>/.cchc-cache/`, `--cache-dir`, `--no-cache`): a build that
//! reuses it writes exactly what a build without it writes, every edit invalidates what it
//! must, and a cache that cannot be trusted is ignored with a warning, never misread. With it,
//! a build into the output of the last one updates that output in place when only documents'
//! bodies changed, and only while the output is, file for file, the one it recorded.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// The example portal (`content/` of this repository) in a temporary site folder.
fn example_site() -> TestSite {
    let site = TestSite::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&repo.join("content"), &site.root.join("content"));
    site
}

/// A plan of the example portal that the tests edit.
const PLAN: &str = "content/dong-thap/2019-ke-hoach-cai-cach-hanh-chinh.md";

fn cache_file(site: &TestSite) -> PathBuf {
    site.root.join(".cchc-cache/assemble.bin")
}

/// Builds into `<tmp>/<out>`, with the cache (default folder) or without.
fn build(site: &TestSite, out: &str, cache: bool) -> Built {
    let mut opts = site.options(&site.beside(out), TODAY);
    opts.no_cache = !cache;
    let built = site.build_with(opts);
    built.assert_written();
    built
}

/// A build with the cache gives the same files and the same diagnostics as one without.
fn assert_same_as_clean(site: &TestSite, cached: &Built, name: &str) {
    let clean = build(site, &format!("clean-{name}"), false);
    assert_same_tree(&snapshot(&clean.out), &snapshot(&cached.out));
    assert_eq!(
        clean.report.diagnostics, cached.report.diagnostics,
        "{name}: diagnostics differ"
    );
}

fn edit(site: &TestSite, rel: &str, f: impl FnOnce(String) -> String) {
    let path = site.root.join(rel);
    let text = fs::read_to_string(&path).expect("read");
    fs::write(&path, f(text)).expect("write");
}

#[test]
fn warm_cache_gives_the_same_output_as_no_cache() {
    let site = example_site();
    let clean = build(&site, "clean", false);
    assert!(
        !site.root.join(".cchc-cache").exists(),
        "no cache without it"
    );
    let cold = build(&site, "cold", true);
    assert_eq!(cold.report.cache_reused, 0);
    assert!(
        cache_file(&site).is_file(),
        "the first build writes the cache"
    );
    let warm = build(&site, "warm", true);
    assert_eq!(
        warm.report.cache_reused, warm.report.documents,
        "an unchanged site takes every document from the cache"
    );
    assert_eq!(warm.report.cache_warning, None);
    for b in [&cold, &warm] {
        assert_same_tree(&snapshot(&clean.out), &snapshot(&b.out));
        assert_eq!(clean.report.diagnostics, b.report.diagnostics);
    }
}

#[test]
fn an_edited_document_is_made_again() {
    let site = example_site();
    let before = build(&site, "before", true);

    // A new paragraph with a broken link (a warning from the body).
    edit(&site, PLAN, |t| {
        t + "\n\nXem thêm [phụ lục](khong-co-tep-nay.pdf).\n"
    });
    let after = build(&site, "after", true);
    assert_eq!(after.report.cache_reused, after.report.documents - 1);
    assert!(
        after
            .report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("khong-co-tep-nay.pdf")),
        "the edited body's broken link is reported"
    );
    assert_ne!(snapshot(&before.out), snapshot(&after.out));
    assert_same_as_clean(&site, &after, "document");
}

#[test]
fn a_document_saved_again_decomposed_is_read_normalised() {
    use unicode_normalization::UnicodeNormalization;
    let site = example_site();
    let before = build(&site, "before", true);
    // The same text in NFD with CRLF line ends: the cache knows its NFC form, not these bytes,
    // so the file is normalised on load and reads as the text it was.
    edit(&site, PLAN, |t| {
        t.nfd().collect::<String>().replace('\n', "\r\n")
    });
    let same = build(&site, "same", true);
    assert_eq!(same.report.cache_reused, same.report.documents);
    assert_same_tree(&snapshot(&before.out), &snapshot(&same.out));
    // Edited while decomposed: made again from its normal form.
    edit(&site, PLAN, |t| {
        t + "\r\nMo\u{0302}\u{0323}t ca\u{0302}u the\u{0302}m.\r\n"
    });
    let edited = build(&site, "edited", true);
    assert_eq!(edited.report.cache_reused, edited.report.documents - 1);
    let page = fs::read_to_string(edited.out.join("index.html")).expect("home");
    assert!(
        !page.contains("o\u{0302}"),
        "no decomposed letter is published"
    );
    assert_same_as_clean(&site, &edited, "decomposed");
}

#[test]
fn an_edited_units_registry_resolves_every_document_again() {
    let site = example_site();
    let before = build(&site, "before", true);
    // Without its aliases the Đồng Nai interior department no longer matches what documents
    // write ("Sở Nội vụ"): their tasks name other units.
    edit(&site, "content/units.yaml", |t| {
        t.replace(
            "aliases: [Sở Nội vụ, Giám đốc Sở Nội vụ, SNV, S& Noi vu, S& Noi vy, S& Nji vu]",
            "aliases: []",
        )
    });
    let after = build(&site, "after", true);
    assert_ne!(snapshot(&before.out), snapshot(&after.out));
    assert_same_as_clean(&site, &after, "units");
}

#[test]
fn a_changed_config_and_added_or_removed_documents_match_a_clean_build() {
    let site = example_site();
    build(&site, "first", true);
    edit(&site, "content/site.yaml", |t| t + "allow_html: true\n");
    let config = build(&site, "config", true);
    assert_same_as_clean(&site, &config, "config");
    // A new document changes every slug set (links may resolve now); a removed one drops
    // its entry.
    fs::remove_file(
        site.root
            .join("content/binh-phuoc/2022-ke-hoach-xac-dinh-chi-so-cai-cach-hanh-chinh.md"),
    )
    .expect("remove");
    site.write(
        "content/dong-nai/2025-thong-bao-moi.md",
        "---\ntitle: Thông báo mới\ntype: thong-bao\nnumber: 5/TB-UBND\ndate: 2025-03-01\n---\n\nNội dung.\n",
    );
    let moved = build(&site, "moved", true);
    assert_same_as_clean(&site, &moved, "moved");
    let bytes = fs::read(cache_file(&site)).expect("cache");
    let has = |s: &str| bytes.windows(s.len()).any(|w| w == s.as_bytes());
    assert!(has("2025-thong-bao-moi.md"));
    assert!(
        !has("2022-ke-hoach-xac-dinh-chi-so"),
        "a removed document leaves the cache"
    );
}

#[test]
fn a_damaged_cache_is_ignored_with_a_warning() {
    let site = example_site();
    build(&site, "first", true);
    let file = cache_file(&site);
    let mut bytes = fs::read(&file).expect("cache");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    fs::write(&file, &bytes).expect("damage");
    let damaged = build(&site, "damaged", true);
    assert_eq!(damaged.report.cache_reused, 0);
    let w = damaged.report.cache_warning.clone().expect("a warning");
    assert!(w.contains("hỏng"), "{w}");
    assert_same_as_clean(&site, &damaged, "damaged");
    // The build replaced it with a good one; cut it short.
    let bytes = fs::read(&file).expect("cache");
    fs::write(&file, &bytes[..bytes.len() - 100]).expect("truncate");
    let cut = build(&site, "cut", true);
    assert_eq!(cut.report.cache_reused, 0);
    assert!(cut.report.cache_warning.is_some());
    assert_same_as_clean(&site, &cut, "cut");
    let again = build(&site, "again", true);
    assert_eq!(again.report.cache_reused, again.report.documents);
}

/// The cache file's base payload and the bytes after it (appended segments).
fn base_and_segments(bytes: &[u8]) -> (&[u8], &[u8]) {
    let nl = bytes.iter().position(|&b| b == b'\n').expect("header");
    let header = std::str::from_utf8(&bytes[..nl]).expect("utf-8 header");
    let len: usize = header.rsplit(' ').next().unwrap().parse().expect("length");
    bytes[nl + 1..].split_at(len)
}

/// A prose edit appends the edited document's entry to the cache file, which the next build
/// reads; an append cut short by a killed build is left out without a warning (its entry is
/// made again), and the file is then written anew.
#[test]
fn an_edit_is_appended_to_the_cache_and_a_cut_append_is_left_out() {
    let site = example_site();
    build(&site, "first", true);
    let file = cache_file(&site);
    let base = fs::read(&file).expect("cache");
    edit(&site, PLAN, |t| t + "\n\nMột câu thêm.\n");
    build(&site, "edited", true);
    let grown = fs::read(&file).expect("cache");
    assert!(grown.starts_with(&base), "the file read is kept as it was");
    assert!(grown[base.len()..].starts_with(b"cchc-build-cache-segment "));
    let again = build(&site, "again", true);
    assert_eq!(again.report.cache_warning, None);
    assert_eq!(again.report.cache_reused, again.report.documents);

    fs::write(&file, &grown[..grown.len() - 10]).expect("cut");
    let cut = build(&site, "cut", true);
    assert_eq!(cut.report.cache_warning, None, "a cut append is not damage");
    assert_eq!(cut.report.cache_reused, cut.report.documents - 1);
    assert_same_as_clean(&site, &cut, "cut");
    let rewritten = fs::read(&file).expect("cache");
    assert!(base_and_segments(&rewritten).1.is_empty(), "written anew");
    let last = build(&site, "last", true);
    assert_eq!(last.report.cache_reused, last.report.documents);
}

/// Appended segments never pass half the base: an edit that would make them do writes the
/// file anew, with each document's entry once.
#[test]
fn appended_segments_stay_under_half_the_base() {
    let site = example_site();
    build(&site, "first", true);
    let file = cache_file(&site);
    let (mut appends, mut rewrites) = (0, 0);
    for i in 0..50 {
        let before = fs::read(&file).expect("cache");
        edit(&site, PLAN, |t| t + &format!("\n\nCâu thêm thứ {i}.\n"));
        build(&site, &format!("edit-{i}"), true);
        let after = fs::read(&file).expect("cache");
        let (base, segments) = base_and_segments(&after);
        assert!(
            segments.len() * 2 <= base.len(),
            "edit {i}: {} / {}",
            segments.len(),
            base.len()
        );
        if after.starts_with(&before) {
            appends += 1;
        } else {
            assert!(
                segments.is_empty(),
                "edit {i}: a file written anew has no segment"
            );
            rewrites += 1;
        }
        if appends > 0 && rewrites > 0 {
            break;
        }
    }
    assert!(
        appends > 0 && rewrites > 0,
        "{appends} appends, {rewrites} rewrites"
    );
    let last = build(&site, "last", true);
    assert_eq!(last.report.cache_reused, last.report.documents);
}

#[test]
fn a_cache_from_another_version_is_ignored_with_a_warning() {
    let site = example_site();
    build(&site, "first", true);
    let file = cache_file(&site);
    let bytes = fs::read(&file).expect("cache");
    let nl = bytes.iter().position(|&b| b == b'\n').expect("header");
    let header = String::from_utf8(bytes[..nl].to_vec()).expect("utf-8 header");
    let mut fields: Vec<String> = header.split(' ').map(str::to_owned).collect();
    assert_eq!(fields.len(), 6, "{header}");
    fields[2] = "0.0.0-other".into();
    let foreign = [fields.join(" ").as_bytes(), &bytes[nl..]].concat();
    fs::write(&file, foreign).expect("write");
    let other = build(&site, "other", true);
    assert_eq!(other.report.cache_reused, 0);
    let w = other.report.cache_warning.clone().expect("a warning");
    assert!(w.contains("0.0.0-other"), "{w}");
    assert_same_as_clean(&site, &other, "other");
}

#[test]
fn the_command_line_places_or_skips_the_cache() {
    let site = example_site();
    let root = site.root.to_str().expect("utf-8 path");
    let run = site.run(&["build", "--root", root, "--out", "a", "--no-cache", "-q"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!site.root.join(".cchc-cache").exists());
    let elsewhere = site.beside("elsewhere");
    let dir = elsewhere.to_str().expect("utf-8 path");
    let run = site.run(&["build", "--root", root, "--out", "b", "--cache-dir", dir]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(elsewhere.join("assemble.bin").is_file());
    assert!(!site.root.join(".cchc-cache").exists());
    // Again into the same output, nothing changed: the summary says the files were kept.
    let run = site.run(&["build", "--root", root, "--out", "b", "--cache-dir", dir]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("Nội dung không đổi") && run.stderr.contains("0 tệp mới hoặc đổi"),
        "{}",
        run.stderr
    );
    // Inside the output it would be replaced and uploaded with it: refused, with a warning.
    let run = site.run(&[
        "build",
        "--root",
        root,
        "--out",
        "c",
        "--cache-dir",
        "c/cache",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("bộ đệm"), "{}", run.stderr);
    assert!(!site.beside("c/cache").exists());
    assert_same_tree(&snapshot(&site.beside("a")), &snapshot(&site.beside("c")));
}

/// Each build stages the cache under a name of its own and renames it in; a staged file that a
/// killed build left a day ago is swept, one a running build may still be writing is not.
/// Sets `path`'s modification time two days back, as a stage left by a killed build has it.
fn age_two_days(path: &Path) {
    let two_days = std::time::Duration::from_secs(2 * 24 * 3600);
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(std::time::SystemTime::now() - two_days))
        .expect("age the stale file");
}

#[test]
fn staged_caches_are_per_build_and_stale_ones_are_swept() {
    let site = example_site();
    build(&site, "first", true);
    let dir = site.root.join(".cchc-cache");
    let stale = dir.join("assemble.bin.4000000001.tmp");
    let running = dir.join("assemble.bin.4000000002.tmp");
    for path in [&stale, &running] {
        fs::write(path, "staged by another build").expect("write");
    }
    age_two_days(&stale);
    // A removed document's entry is dropped: the cache is written anew, not appended to.
    fs::remove_file(
        site.root
            .join("content/binh-phuoc/2022-ke-hoach-xac-dinh-chi-so-cai-cach-hanh-chinh.md"),
    )
    .expect("remove");
    build(&site, "second", true);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("cache dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".gitignore",
            "CACHEDIR.TAG",
            "assemble.bin",
            "assemble.bin.4000000002.tmp",
            "output.bin"
        ],
        "the stale stage is swept, the running one kept, this build's own renamed in"
    );
}

#[test]
fn a_stale_staged_memo_is_swept_when_the_memo_is_written() {
    let site = example_site();
    build(&site, "public", true);
    let stale = site.root.join(".cchc-cache/search.bin.4000000001.tmp");
    fs::write(&stale, "staged by a killed build").expect("write");
    age_two_days(&stale);
    edit(&site, PLAN, |t| t + "\nMột đoạn để ghi bộ nhớ tìm kiếm.\n");
    assert_eq!(build(&site, "public", true).report.in_place, Some(1));
    assert!(memo_file(&site).is_file(), "the memo is written");
    assert!(!stale.exists(), "the stale stage is swept");
}

/// Every file of `dir` with its modification time.
fn mtimes(dir: &Path) -> std::collections::BTreeMap<String, std::time::SystemTime> {
    snapshot(dir)
        .into_keys()
        .map(|rel| {
            let t = fs::metadata(dir.join(&rel))
                .and_then(|m| m.modified())
                .expect("mtime");
            (rel, t)
        })
        .collect()
}

/// The files whose modification time differs between two [`mtimes`] of one folder, or
/// that only one of them has.
fn touched(
    before: &std::collections::BTreeMap<String, std::time::SystemTime>,
    after: &std::collections::BTreeMap<String, std::time::SystemTime>,
) -> Vec<String> {
    let mut out: Vec<String> = after
        .iter()
        .filter(|(k, t)| before.get(*k) != Some(*t))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(before.keys().filter(|k| !after.contains_key(*k)).cloned());
    out
}

/// Builds into `public` again, which must be a full build matching a clean one.
fn assert_full_build(site: &TestSite, name: &str) {
    let built = build(site, "public", true);
    assert_eq!(built.report.in_place, None, "{name}: a full build");
    assert_same_as_clean(site, &built, name);
}

#[test]
fn a_prose_edit_updates_the_last_output_in_place() {
    let site = example_site();
    let first = build(&site, "public", true);
    assert_eq!(
        first.report.in_place, None,
        "a first build makes every file"
    );
    let again = build(&site, "public", true);
    assert_eq!(
        again.report.in_place,
        Some(0),
        "nothing changed: nothing made"
    );
    assert_eq!(again.report.changed, 0);
    assert_eq!(again.report.files, first.report.files);
    assert_eq!(again.report.pages, first.report.pages);
    assert_same_as_clean(&site, &again, "unchanged");
    let before = mtimes(&again.out);

    edit(&site, PLAN, |t| {
        t + "\nĐoạn văn thêm để thử cập nhật tại chỗ.\n"
    });
    let edited = build(&site, "public", true);
    assert_eq!(edited.report.in_place, Some(1));
    assert_same_as_clean(&site, &edited, "prose");
    let touched = touched(&before, &mtimes(&edited.out));
    let page = touched
        .iter()
        .find(|p| p.starts_with("van-ban/") && p.ends_with("/index.html"))
        .expect("the edited document's page is written again");
    let html = fs::read_to_string(edited.out.join(page)).expect("page");
    assert!(html.contains("Đoạn văn thêm để thử cập nhật tại chỗ."));
    let others: Vec<&String> = touched
        .iter()
        .filter(|p| *p != page && !p.starts_with("tim-kiem/index/"))
        .collect();
    assert!(
        others.is_empty(),
        "only the page and the search index change: {others:?}"
    );
    let index_touched = touched
        .iter()
        .filter(|p| p.starts_with("tim-kiem/index/"))
        .count();
    assert!(
        index_touched > 0,
        "the search index holds the new words: {touched:?}"
    );
    // Through the memo kept with the output: only the index files the new words reach.
    assert!(
        memo_file(&site).is_file(),
        "the search index's memo is kept"
    );
    assert!(
        index_touched < index_files(&edited.out),
        "{index_touched} of {} index files written again",
        index_files(&edited.out)
    );
    // A second edit goes through the memo the first one left. (Whether it appends to the
    // store of its parts or writes a new one, `memo_store`'s tests check: here one edit
    // touches every chunk of so small a memo, and a new store is written.)
    edit(&site, PLAN, |t| {
        t.replace("cập nhật tại chỗ", "sửa lần hai")
    });
    let second = build(&site, "public", true);
    assert_eq!(second.report.in_place, Some(1));
    assert_same_as_clean(&site, &second, "second prose edit");
    assert_eq!(memo_stores(&site).len(), 1, "one store, the memo's");
}

fn memo_file(site: &TestSite) -> PathBuf {
    site.root.join(".cchc-cache/search.bin")
}

/// The stores of the memo's parts in the site's cache folder (`search-<nonce>.store`).
fn memo_stores(site: &TestSite) -> Vec<PathBuf> {
    let mut stores: Vec<PathBuf> = fs::read_dir(site.root.join(".cchc-cache"))
        .expect("the cache folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "store"))
        .collect();
    stores.sort();
    stores
}

#[test]
fn a_memo_that_is_not_the_outputs_is_never_used() {
    let site = example_site();
    build(&site, "public", true);
    assert!(!memo_file(&site).exists(), "a full build keeps no memo");
    edit(&site, PLAN, |t| t + "\nTừ mới thứ nhất: khoai.\n");
    build(&site, "public", true);
    let first_memo = fs::read(memo_file(&site)).expect("the first edit makes the memo");
    edit(&site, PLAN, |t| t.replace("khoai", "khoaitay"));
    build(&site, "public", true);
    // The memo of the build before, as a build killed between the memo and the record would
    // leave it: the record names another memo, so the index is made again from scratch.
    fs::write(memo_file(&site), &first_memo).expect("restore");
    edit(&site, PLAN, |t| t.replace("khoaitay", "khoailang"));
    let stale = build(&site, "public", true);
    assert_eq!(stale.report.in_place, Some(1), "still in place");
    assert_same_as_clean(&site, &stale, "stale memo");
    // Damaged, then gone: the same.
    let mut bytes = fs::read(memo_file(&site)).expect("memo");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    fs::write(memo_file(&site), &bytes).expect("damage");
    edit(&site, PLAN, |t| t.replace("khoailang", "khoaimi"));
    let damaged = build(&site, "public", true);
    assert_eq!(damaged.report.in_place, Some(1));
    assert_same_as_clean(&site, &damaged, "damaged memo");
    // A byte of the store of its parts changed: the same.
    let [store] = memo_stores(&site).try_into().expect("one store");
    let mut bytes = fs::read(&store).expect("store");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    fs::write(&store, &bytes).expect("damage");
    edit(&site, PLAN, |t| t.replace("khoaimi", "khoaimon"));
    let damaged = build(&site, "public", true);
    assert_eq!(damaged.report.in_place, Some(1));
    assert_same_as_clean(&site, &damaged, "damaged store");
    assert_eq!(memo_stores(&site).len(), 1, "the damaged store is replaced");
    fs::remove_file(memo_file(&site)).expect("remove");
    edit(&site, PLAN, |t| t.replace("khoaimon", "khoaisan"));
    let gone = build(&site, "public", true);
    assert_eq!(gone.report.in_place, Some(1));
    assert_same_as_clean(&site, &gone, "no memo");
    assert!(memo_file(&site).is_file(), "made again");
}

#[test]
fn an_edit_beyond_prose_makes_every_file_again() {
    let site = example_site();
    build(&site, "public", true);
    edit(&site, PLAN, |t| t + "\nMột câu trước khi sửa nhiệm vụ.\n");
    assert_eq!(build(&site, "public", true).report.in_place, Some(1));
    assert!(memo_file(&site).is_file());
    // A task's deadline moves: task tables, calendars, unit pages and open data change.
    edit(&site, PLAN, |t| {
        let changed = t.replacen("2019", "2020", 1);
        assert_ne!(changed, t);
        changed
    });
    assert_full_build(&site, "shape");
    assert!(
        !memo_file(&site).exists() && memo_stores(&site).is_empty(),
        "a full build leaves no memo of the index it replaced"
    );
    edit(&site, "content/site.yaml", |t| t + "allow_html: true\n");
    assert_full_build(&site, "config");
}

#[test]
fn an_output_changed_since_its_build_is_made_whole_again() {
    let site = example_site();
    let first = build(&site, "public", true);
    let files: Vec<String> = snapshot(&first.out).into_keys().collect();
    let page = files
        .iter()
        .find(|p| p.starts_with("don-vi/") && p.ends_with(".html"))
        .expect("a unit page");
    // Changed by hand, with the length kept: only the modification time tells.
    let path = first.out.join(page);
    let mut bytes = fs::read(&path).expect("page");
    bytes[0] = b' ';
    fs::write(&path, &bytes).expect("write");
    assert_full_build(&site, "rewritten");
    fs::remove_file(first.out.join("lich.ics")).expect("remove");
    assert_full_build(&site, "removed");
    fs::write(first.out.join("them.html"), "thêm bằng tay").expect("add");
    assert_full_build(&site, "added");
    // Built by hand into the same folder without the cache: the record no longer describes it.
    edit(&site, PLAN, |t| t + "\nMột đoạn nữa.\n");
    build(&site, "public", false);
    edit(&site, PLAN, |t| t + "\nVà thêm một đoạn.\n");
    assert_full_build(&site, "uncached between");
}

/// The identity of the folder at `dir` (device, inode): a swapped output is another folder.
fn folder_id(dir: &Path) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(dir).expect("output folder");
    (m.dev(), m.ino())
}

#[test]
fn a_build_with_nothing_to_change_leaves_the_output_as_it_is() {
    let site = example_site();
    site.write("content/dinh-kem/bien-ban.txt", "Biên bản họp, bản quét.\n");
    let first = build(&site, "public", true);
    let before = (folder_id(&first.out), mtimes(&first.out));
    let again = build(&site, "public", true);
    assert_eq!(again.report.in_place, Some(0));
    assert_eq!((again.report.changed, again.report.removed), (0, 0));
    assert_eq!(again.report.files, first.report.files);
    // Not staged and swapped: the very folder, every file untouched, nothing left beside it.
    assert_eq!((folder_id(&again.out), mtimes(&again.out)), before);
    let beside: Vec<_> = fs::read_dir(again.out.parent().expect("parent"))
        .expect("list")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains("cchc-"))
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
    assert_same_as_clean(&site, &again, "nothing changed");

    // An attachment changed, and nothing else (same length: only its bytes tell): the
    // output has to take the new copy.
    site.write("content/dinh-kem/bien-ban.txt", "Biên bản HỌP, bản quét.\n");
    let copied = build(&site, "public", true);
    assert_eq!(copied.report.changed, 1, "the attachment is copied again");
    let text = fs::read_to_string(copied.out.join("tep/dinh-kem/bien-ban.txt")).expect("copy");
    assert_eq!(text, "Biên bản HỌP, bản quét.\n");
    assert_same_as_clean(&site, &copied, "attachment");
}

#[test]
fn a_damaged_or_foreign_record_means_a_full_build() {
    let site = example_site();
    build(&site, "public", true);
    let record = site.root.join(".cchc-cache/output.bin");
    let mut bytes = fs::read(&record).expect("record");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    fs::write(&record, &bytes).expect("damage");
    assert_full_build(&site, "damaged record");
    // Another output folder: the record names the one it describes.
    let other = build(&site, "other", true);
    assert_eq!(other.report.in_place, None);
    assert_same_as_clean(&site, &other, "other output");
    assert_eq!(build(&site, "other", true).report.in_place, Some(0));
}

/// Index files under `dir`'s search index.
fn index_files(dir: &Path) -> usize {
    snapshot(dir)
        .keys()
        .filter(|p| p.starts_with("tim-kiem/index/"))
        .count()
}

#[test]
fn an_index_that_shrinks_in_place_keeps_none_of_its_old_files() {
    let site = example_site();

    let original = fs::read_to_string(site.root.join(PLAN)).expect("read");
    let small = build(&site, "public", true);
    let small_files = index_files(&small.out);
    // Thousands of new words: the index grows into more shards.
    let words: Vec<String> = (0..4000).map(|i| format!("tuthu{i}x")).collect();
    edit(&site, PLAN, |t| format!("{t}\n{}\n", words.join(" ")));
    let grown = build(&site, "public", true);
    assert_eq!(grown.report.in_place, Some(1));
    assert!(
        index_files(&grown.out) > small_files,
        "the index grew into more files"
    );
    assert_same_as_clean(&site, &grown, "grown");
    edit(&site, PLAN, |_| original);
    let shrunk = build(&site, "public", true);
    assert_eq!(shrunk.report.in_place, Some(1));
    assert_eq!(index_files(&shrunk.out), small_files);
    assert_same_as_clean(&site, &shrunk, "shrunk");
    // The next build stages into the grown output, kept as the spare: the files the shrink
    // dropped must not come back from it.
    edit(&site, PLAN, |t| t + "\nMột câu nữa.\n");
    let next = build(&site, "public", true);
    assert_eq!(next.report.in_place, Some(1));
    assert_eq!(index_files(&next.out), small_files);
    assert_same_as_clean(&site, &next, "after the shrink");
}

/// The spare a build with the cache keeps of the output it replaced (`.public.cchc-spare`).
fn spare_of(out: &Path) -> PathBuf {
    out.with_file_name(".public.cchc-spare")
}

#[test]
fn the_replaced_output_is_the_next_in_place_builds_staging_folder() {
    let site = example_site();
    let first = build(&site, "public", true);
    assert!(!spare_of(&first.out).exists(), "nothing replaced yet");
    // A full build that replaces an output keeps it as the spare.
    edit(&site, "content/site.yaml", |t| t + "allow_html: true\n");
    assert_full_build(&site, "config");
    let spare = spare_of(&first.out);
    assert!(spare.is_dir(), "the replaced output is kept");

    // The next in-place build writes into that very folder, mended, and swaps it in.
    let mut edits = 0;
    let mut prose = |site: &TestSite| {
        edits += 1;
        edit(site, PLAN, |t| format!("{t}\nĐoạn thêm lần {edits}.\n"));
        let kept = folder_id(&spare_of(&first.out));
        let built = build(site, "public", true);
        assert_eq!(built.report.in_place, Some(1));
        assert_eq!(
            folder_id(&built.out),
            kept,
            "edit {edits}: the spare is swapped in"
        );
        assert!(
            spare_of(&built.out).is_dir(),
            "and the replaced output kept in turn"
        );
        built
    };
    for _ in 0..3 {
        let built = prose(&site);
        assert_same_as_clean(&site, &built, "through the spare");
    }

    // A file of the spare replaced by other bytes (as a hand would, or a disk error): the
    // build checks every file it keeps against the output's record and takes the output's.
    let built = prose(&site);
    let page = snapshot(&built.out)
        .into_keys()
        .find(|p| p.starts_with("don-vi/") && p.ends_with(".html"))
        .expect("a unit page");
    let in_spare = spare_of(&built.out).join(&page);
    fs::remove_file(&in_spare).expect("remove");
    fs::write(&in_spare, "hỏng").expect("write");
    let built = prose(&site);
    assert_same_as_clean(&site, &built, "a damaged spare");

    // A spare kept for another folder is never taken, and a build without the cache keeps
    // none and removes the one it finds.
    let other = build(&site, "other", true);
    assert!(spare_of(&first.out).is_dir());
    assert_eq!(other.report.in_place, None);
    build(&site, "public", false);
    assert!(!spare_of(&first.out).exists());
    let beside: Vec<_> = fs::read_dir(site.beside(""))
        .expect("list")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains("cchc-"))
        .collect();
    assert!(beside.is_empty(), "left beside the outputs: {beside:?}");
}
