//! Rebuilding into an existing output: only files whose bytes changed are rewritten, so an
//! upload by `rsync` or an FTP sync sends only those, and the build says how many changed.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::SystemTime;

use common::*;

/// Modification time and inode of every file under `dir`, by relative path.
fn stamps(dir: &Path) -> BTreeMap<String, (SystemTime, u64)> {
    use std::os::unix::fs::MetadataExt;
    snapshot(dir)
        .into_keys()
        .map(|rel| {
            let meta = fs::metadata(dir.join(&rel)).expect("metadata");
            let stamp = (meta.modified().expect("mtime"), meta.ino());
            (rel, stamp)
        })
        .collect()
}

#[test]
fn unchanged_rebuild_keeps_every_file_and_reports_nothing_changed() {
    let site = TestSite::fixture("basic");
    let first = site.build_into("out", TODAY);
    first.assert_written();
    assert_eq!(
        first.report.changed, first.report.files,
        "a first build writes everything"
    );
    let before = stamps(&first.out);
    let content_before = snapshot(&first.out);
    // Coarse file-system clocks would hide a rewrite; wait past their granularity.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = site.build_into("out", TODAY);
    second.assert_written();
    assert_eq!(second.report.changed, 0);
    assert_eq!(second.report.removed, 0);
    assert_eq!(stamps(&second.out), before, "files were rewritten");
    assert_same_tree(&content_before, &snapshot(&second.out));
}

#[test]
fn one_edited_document_rewrites_only_what_shows_it() {
    let site = TestSite::fixture("basic");
    let first = site.build_into("out", TODAY);
    first.assert_written();
    let before = stamps(&first.out);
    let docs: Vec<_> = walk_md(&site.root.join("content"));
    let doc = docs.first().expect("the fixture has documents");
    let text = fs::read_to_string(doc).expect("read doc");
    fs::write(
        doc,
        format!("{text}\n\nMột câu mới: đoạn văn thêm vào để thử.\n"),
    )
    .expect("edit");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = site.build_into("out", TODAY);
    second.assert_written();
    let after = stamps(&second.out);
    let rewritten: Vec<_> = after
        .iter()
        .filter(|(rel, stamp)| before.get(rel.as_str()) != Some(*stamp))
        .map(|(rel, _)| rel.clone())
        .collect();
    assert_eq!(rewritten.len(), second.report.changed, "{rewritten:?}");
    assert!(second.report.changed > 0, "the edited page must change");
    assert!(
        second.report.changed * 2 < second.report.files,
        "an edit of one paragraph rewrote {} of {} files: {rewritten:?}",
        second.report.changed,
        second.report.files
    );
    // The new output equals a clean build of the same content.
    let clean = site.build_into("clean", TODAY);
    assert_same_tree(&snapshot(&clean.out), &snapshot(&second.out));
}

#[test]
fn removed_document_is_counted_and_its_files_are_gone() {
    let site = TestSite::fixture("basic");
    let first = site.build_into("out", TODAY);
    first.assert_written();
    let docs = walk_md(&site.root.join("content"));
    assert!(docs.len() >= 2, "the fixture needs two documents");
    fs::remove_file(&docs[docs.len() - 1]).expect("remove doc");
    let before = stamps(&first.out);
    let second = site.build_into("out", TODAY);
    second.assert_written();
    let after = stamps(&second.out);
    let gone: Vec<_> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(!gone.is_empty(), "the document's page is gone");
    assert_eq!(second.report.removed, gone.len(), "{gone:?}");
    let clean = site.build_into("clean", TODAY);
    assert_same_tree(&snapshot(&clean.out), &snapshot(&second.out));
}

#[test]
fn cli_summary_names_changed_files() {
    let site = TestSite::fixture("basic");
    let args = [
        "build", "--root", "site", "--out", "out", "--today", TODAY, "-q",
    ];
    let first = site.run(&args);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let second = site.run(&args);
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    assert!(
        second.stderr.contains("0 tệp mới hoặc đổi, 0 tệp bỏ"),
        "{}",
        second.stderr
    );
}

/// The documents of a content folder, sorted.
fn walk_md(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_md(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out.sort();
    out
}
