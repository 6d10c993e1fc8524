//! Runs of the `cchc` binary under a time limit and a memory cap, for the suites that feed it
//! hostile input or kill it: a hang fails the test instead of stalling the suite, a panic
//! (exit 101) or a death by signal fails it with the binary's stderr.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_cchc");
/// Address-space cap for the child (KiB): a build that blows memory fails instead of
/// swapping the machine. Debug binaries with rayon threads reserve a lot of address space.
const MEM_LIMIT_KB: u64 = 6 * 1024 * 1024;

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stderr: String,
    pub took: Duration,
}

/// Runs `cchc <args>` with a time limit (killed and failed past it) and a memory cap.
pub fn run(args: &[&str], limit: Duration) -> Run {
    run_env(args, limit, &[])
}

pub fn run_env(args: &[&str], limit: Duration, env: &[(&str, &Path)]) -> Run {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "ulimit -v {MEM_LIMIT_KB} 2>/dev/null; exec \"$0\" \"$@\""
        ))
        .arg(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("spawn cchc");
    wait_out(child, limit, &format!("cchc {args:?}"))
}

/// Waits for a spawned `cchc` (stderr piped) within `limit`, killing it and failing past it;
/// fails on a panic (exit 101) or a death by signal (the memory cap). `what` names the run.
pub fn wait_out(mut child: Child, limit: Duration, what: &str) -> Run {
    let started = Instant::now();
    let mut err = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?} (hang?)");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = started.elapsed();
    let stderr = reader.join().unwrap_or_default();
    let code = status.code().unwrap_or(-1);
    assert_ne!(code, 101, "{what} panicked:\n{stderr}");
    assert!(
        code >= 0,
        "{what} killed by a signal (memory cap?):\n{stderr}"
    );
    Run { code, stderr, took }
}

/// `cchc build --root root --out out --today today` under `limit`.
pub fn run_build(root: &Path, out: &Path, today: &str, limit: Duration) -> Run {
    let (root, out) = (path_arg(root), path_arg(out));
    run(
        &["build", "--root", root, "--out", out, "--today", today],
        limit,
    )
}

/// A path as a command-line argument (the tests' temporary paths are UTF-8).
fn path_arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Builds `root` into `out` on `today` and asserts it succeeded.
pub fn build_ok(root: &Path, out: &Path, today: &str) -> Run {
    let r = run_build(root, out, today, Duration::from_secs(120));
    assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
    r
}
