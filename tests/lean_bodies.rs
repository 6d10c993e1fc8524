//! Issue 16 (memory): `cchc build` renders each body again from its file when its page and
//! its search entry are made, instead of holding every body from assembly. Its output must
//! equal the in-memory build's (which keeps the bodies), and a file edited between assembly
//! and its page must stop the build rather than publish a page that disagrees with its tasks.

mod common;

use std::path::Path;

use common::*;

fn opts(root: &Path, out: &Path) -> cchc::BuildOptions {
    cchc::BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        today: Some(date(TODAY)),
        ..Default::default()
    }
}

#[test]
fn lean_build_equals_the_in_memory_build() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("site");
    copy_tree(&fixtures_dir().join("links"), &root);
    let out = tmp.path().join("out");
    let report = cchc::build(&opts(&root, &out)).expect("build");
    assert!(report.written && report.errors() == 0);
    let mut disk = snapshot(&out);
    // The marker a build leaves so a later build knows the folder is its own.
    disk.remove(".cchc-output");
    let diags = cchc::diag::Diagnostics::new();
    let assemble = cchc::site::AssembleOptions {
        today: Some(date(TODAY)),
        ..Default::default()
    };
    let (_, outputs) = cchc::build_in_memory(&root, &assemble, &diags);
    let memory: std::collections::BTreeMap<String, Vec<u8>> =
        outputs.into_iter().map(|o| (o.path, o.bytes)).collect();
    let pages = disk.keys().filter(|p| p.starts_with("van-ban/")).count();
    assert!(pages > 2, "the fixture has document pages");
    assert!(disk.keys().any(|p| p.starts_with("tim-kiem/index/f/")));
    assert_same_tree(&disk, &memory);
}

#[test]
fn a_file_changed_after_assembly_is_an_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("site");
    copy_tree(&fixtures_dir().join("links"), &root);
    let diags = cchc::diag::Diagnostics::new();
    let assemble = cchc::site::AssembleOptions {
        today: Some(date(TODAY)),
        ..Default::default()
    };
    let (site, sources) = cchc::site::assemble_lean(&root, &assemble, &diags);
    let id = 0;
    let body = sources.body(&site, id).expect("unchanged file renders");
    assert!(!body.html.is_empty() && !body.plain_text.is_empty());
    let path = root.join(&site.documents[id].source);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, format!("{text}\nThêm một đoạn.\n")).expect("write");
    let err = sources.body(&site, id).expect_err("edited file is refused");
    assert!(err.is_error(), "{err:?}");
}
