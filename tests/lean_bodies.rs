//! Issue 16 (memory): `cchc build` holds no site's bodies in the model. A small site keeps the
//! bodies assembly rendered for its pages and search entries (within a budget); a large one
//! (or a lean assembly told to) renders each again from its file when its page and its search
//! entry are made. Either way the output must equal the in-memory build's (which keeps the
//! bodies in the site), and a file edited between assembly and a body rendered again must
//! stop the build rather than publish a page that disagrees with its tasks.

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
    // The same bodies rendered again from their files, as a large site's build does.
    let rerender = cchc::site::AssembleOptions {
        rerender_bodies: true,
        ..assemble
    };
    assert_same_tree(&lean_in_memory(&root, &rerender), &memory);
}

/// A lean assembly rendered into memory, each body taken from `BodySources`.
fn lean_in_memory(
    root: &Path,
    assemble: &cchc::site::AssembleOptions,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    let diags = cchc::diag::Diagnostics::new();
    let (site, sources) = cchc::site::assemble_lean(root, assemble, &diags);
    let theme = cchc::load_theme(root, &site, &diags).expect("theme");
    let out = std::sync::Mutex::new(std::collections::BTreeMap::new());
    let make = |i| sources.body(&site, i);
    cchc::render::render_site(
        &site,
        cchc::render::Bodies::OnDemand(&make),
        &theme,
        &diags,
        &|o| {
            out.lock().expect("lock").insert(o.path, o.bytes);
        },
    );
    assert_eq!(diags.sorted().iter().filter(|d| d.is_error()).count(), 0);
    let mut out = out.into_inner().expect("lock");
    for o in cchc::static_outputs(root, &site, &diags) {
        out.insert(o.path, o.bytes);
    }
    out
}

/// Document 0's body before and after its file is edited, from a lean assembly.
fn body_before_and_after_an_edit(
    rerender_bodies: bool,
) -> (
    cchc::model::DocBody,
    Result<cchc::model::DocBody, cchc::diag::Diagnostic>,
) {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("site");
    copy_tree(&fixtures_dir().join("links"), &root);
    let diags = cchc::diag::Diagnostics::new();
    let assemble = cchc::site::AssembleOptions {
        today: Some(date(TODAY)),
        rerender_bodies,
        ..Default::default()
    };
    let (site, sources) = cchc::site::assemble_lean(&root, &assemble, &diags);
    let id = 0;
    let body = sources
        .body(&site, id)
        .expect("unchanged file renders")
        .into_owned();
    assert!(!body.html.is_empty() && !body.plain_text.is_empty());
    let path = root.join(&site.documents[id].source);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, format!("{text}\nThêm một đoạn.\n")).expect("write");
    (
        body,
        sources.body(&site, id).map(std::borrow::Cow::into_owned),
    )
}

#[test]
fn a_file_changed_after_assembly_is_an_error() {
    let (_, after) = body_before_and_after_an_edit(true);
    let err = after.expect_err("edited file is refused");
    assert!(err.is_error(), "{err:?}");
}

#[test]
fn a_kept_body_is_the_one_assembly_read() {
    // A small site's build never reads the file again: its pages show the text its tasks and
    // citations were taken from, even if the file changed since.
    let (before, after) = body_before_and_after_an_edit(false);
    let after = after.expect("the kept body");
    assert_eq!(after.html, before.html);
    assert_eq!(after.plain_text, before.plain_text);
    assert!(!after.plain_text.contains("Thêm một đoạn"));
}
