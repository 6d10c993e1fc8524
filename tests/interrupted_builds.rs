//! Interrupted and concurrent builds, and dangerous output folders, through the `cchc` binary:
//! a killed build leaves the previous output whole and its litter is cleaned by the next, a live
//! lock refuses a second build, two builds at once never interleave, and `--out` values that
//! would overwrite what the tool did not write are refused with nothing changed.

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::limited::{build_ok, run_build, run_env, wait_out, BIN};
use common::snapshot_entries as snapshot;

const TODAY: &str = "2024-06-01";

/// A site big enough that writing it takes a while (debug build).
fn big_site(root: &Path, docs: usize, rows: usize, marker: &str) {
    let c = root.join("content");
    fs::create_dir_all(&c).unwrap();
    fs::write(
        c.join("units.yaml"),
        "- name: Sở Nội vụ\n  level: tinh\n- name: Sở Tư pháp\n  level: tinh\n",
    )
    .unwrap();
    for d in 0..docs {
        let mut s = format!(
            "---\ntitle: Kế hoạch {d} {marker}\nnumber: {}/KH-UBND\ndate: 2024-01-{:02}\nyear: 2024\n---\n\n| TT | Nội dung thực hiện | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện |\n|---|---|---|---|---|\n",
            d + 1,
            d % 28 + 1
        );
        for i in 0..rows {
            s.push_str(&format!(
                "| {i} | Nhiệm vụ {i} của văn bản {d} {marker} | Sở Nội vụ | Sở Tư pháp | Quý {}/2024 |\n",
                ["I", "II", "III", "IV"][i % 4]
            ));
        }
        fs::write(c.join(format!("van-ban-{d}.md")), s).unwrap();
    }
}

fn spawn_build(root: &Path, out: &Path) -> Child {
    Command::new(BIN)
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--today",
            TODAY,
            "-q",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cchc")
}

/// Entries beside `out` whose names start with `.out.` (lock, temp and old folders).
fn siblings(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out."))
        .collect();
    v.sort();
    v
}

#[test]
fn killed_build_leaves_previous_output() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    big_site(&root, 30, 120, "v1");
    build_ok(&root, &out, TODAY);
    let mut before = snapshot(&out);
    assert!(before.len() > 100, "{} files", before.len());
    let mut caught_writing = 0;
    // Delays after the write phase starts; more zero-delay tries so a fast machine that
    // finishes some builds before the kill still gets caught writing.
    for (attempt, delay) in [0u64, 5, 20, 60, 0, 0, 0, 0].into_iter().enumerate() {
        // New content each time, so a build that finished would differ from `before`.
        fs::remove_dir_all(&root).unwrap();
        big_site(&root, 30, 120, &format!("v{}", attempt + 2));
        let mut child = spawn_build(&root, &out);
        let own_tmp = format!(".out.cchc-tmp-{}", child.id());
        let started = Instant::now();
        // Kill once this build's temp folder appears (the write phase) plus a delay.
        let writing = loop {
            let writing = siblings(tmp.path()).contains(&own_tmp);
            if writing || started.elapsed() > Duration::from_secs(120) {
                if writing {
                    std::thread::sleep(Duration::from_millis(delay));
                    let files = snapshot(&tmp.path().join(&own_tmp)).len();
                    eprintln!("attempt {attempt}: SIGKILL {delay} ms into writing ({files} entries written)");
                }
                break writing;
            }
            if child.try_wait().unwrap().is_some() {
                break false;
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let now = snapshot(&out);
        if status.success() {
            // Finished before the kill landed: the new output must be complete instead, and
            // it is what the next attempt must leave untouched.
            assert!(now.keys().any(|k| k.ends_with(".cchc-output")));
            assert_ne!(
                now, before,
                "attempt {attempt}: a finished build kept the old output"
            );
            eprintln!("attempt {attempt}: build finished before SIGKILL");
            before = now;
            continue;
        }
        caught_writing += usize::from(writing);
        assert_eq!(
            now, before,
            "attempt {attempt}: output changed by a killed build"
        );
    }
    eprintln!(
        "killed {caught_writing} builds mid-write; left beside out: {:?}",
        siblings(tmp.path())
    );
    assert!(
        caught_writing > 0,
        "no build was killed while writing: claim not checked"
    );
    // The next build takes over the stale lock and succeeds.
    fs::remove_dir_all(&root).unwrap();
    big_site(&root, 30, 120, "final");
    build_ok(&root, &out, TODAY);
    let after = snapshot(&out);
    assert_ne!(after, before);
    assert!(fs::read_to_string(out.join("index.html")).unwrap().len() > 100);
}

#[test]
fn killed_build_litter_is_cleaned_by_next_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    big_site(&root, 30, 100, "v1");
    build_ok(&root, &out, TODAY);
    let mut child = spawn_build(&root, &out);
    let own_tmp = format!(".out.cchc-tmp-{}", child.id());
    while !siblings(tmp.path()).contains(&own_tmp) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill();
    let _ = child.wait();
    build_ok(&root, &out, TODAY);
    // The spare (the output a build with the cache replaced, kept for the next) is no litter.
    let litter: Vec<String> = siblings(tmp.path())
        .into_iter()
        .filter(|n| n != ".out.cchc-spare")
        .collect();
    assert_eq!(litter, Vec::<String>::new(), "litter beside --out");
}

#[test]
fn live_lock_refuses_second_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    big_site(&root, 2, 3, "x");
    build_ok(&root, &out, TODAY);
    let before = snapshot(&out);
    // A lock held by a live process (this test).
    fs::write(
        tmp.path().join(".out.cchc-lock"),
        std::process::id().to_string(),
    )
    .unwrap();
    let r = run_build(&root, &out, TODAY, Duration::from_secs(60));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("khóa") && r.stderr.contains(".out.cchc-lock"),
        "{}",
        r.stderr
    );
    assert_eq!(snapshot(&out), before);
    // A lock left by a dead process is taken over.
    fs::write(tmp.path().join(".out.cchc-lock"), "999999999").unwrap();
    build_ok(&root, &out, TODAY);
    assert!(
        !tmp.path().join(".out.cchc-lock").exists(),
        "lock not released"
    );
}

#[test]
fn two_builds_at_once_do_not_interleave() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    let reference = tmp.path().join("ref");
    big_site(&root, 20, 100, "x");
    build_ok(&root, &reference, TODAY);
    let want = snapshot(&reference);
    let mut locked = 0;
    for _ in 0..3 {
        let a = spawn_build(&root, &out);
        let b = spawn_build(&root, &out);
        let ra = wait_out(a, Duration::from_secs(300), "build a");
        let rb = wait_out(b, Duration::from_secs(300), "build b");
        for r in [&ra, &rb] {
            assert!(r.code == 0 || r.code == 2, "exit {}: {}", r.code, r.stderr);
            if r.code == 2 {
                assert!(
                    r.stderr.contains("khóa"),
                    "exit 2 without a lock message: {}",
                    r.stderr
                );
                locked += 1;
            }
        }
        assert!(ra.code == 0 || rb.code == 0, "neither build succeeded");
        assert_eq!(
            snapshot(&out),
            want,
            "output differs from a single clean build"
        );
        assert!(!tmp.path().join(".out.cchc-lock").exists());
    }
    eprintln!("{locked} of 6 concurrent builds were refused by the lock");
}

#[test]
fn dangerous_out_dirs_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    big_site(&root, 1, 1, "x");
    let home = tmp.path().join("home");
    fs::create_dir_all(&home).unwrap();
    fs::write(home.join("ghi-chu.txt"), "của tôi").unwrap();
    let foreign = tmp.path().join("la");
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("x.txt"), "không phải của cchc").unwrap();
    let before = snapshot(tmp.path());
    let root_s = root.to_str().unwrap().to_string();
    let cases: Vec<(String, &str)> = vec![
        ("/".into(), "/"),
        (home.to_str().unwrap().into(), "$HOME"),
        (root.join("content").to_str().unwrap().into(), "content dir"),
        (
            root.join("content/sub").to_str().unwrap().into(),
            "inside content",
        ),
        (root_s.clone(), "site root"),
        (format!("{root_s}/content/.."), "site root via .."),
        (
            tmp.path().to_str().unwrap().into(),
            "parent of the site root",
        ),
        (root.join("themes").to_str().unwrap().into(), "themes dir"),
        (foreign.to_str().unwrap().into(), "foreign non-empty dir"),
    ];
    for (out, what) in &cases {
        let r = run_env(
            &["build", "--root", &root_s, "--out", out, "--today", TODAY],
            Duration::from_secs(60),
            &[("HOME", &home)],
        );
        assert_eq!(r.code, 2, "--out {what} ({out}) not refused: {}", r.stderr);
        assert!(r.stderr.contains("từ chối"), "--out {what}: {}", r.stderr);
    }
    assert_eq!(
        snapshot(tmp.path()),
        before,
        "a refused build changed files"
    );
    for f in ["/.cchc-output", "/.public.cchc-lock", "/..cchc-lock"] {
        assert!(!Path::new(f).exists(), "{f} appeared");
    }
}
