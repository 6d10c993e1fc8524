#!/usr/bin/env python3
"""Time from saving a one-document edit to `cchc serve`'s reload events.

    python3 bench/serve_latency.py --cchc target/release/cchc --site /dev/shm/site --edits 20

Starts `cchc serve` on a copy of the site (in a fresh temporary folder under /dev/shm, so two
people timing the same corpus do not collide), listens to /__cchc/events, appends a sentence to
one document per edit (a different one each time) and measures, per edit, the time from the
write to
  - quick: the first `changed` event naming that document's page (the page reloads), and
  - full:  the event of the full pass (the rest of the site is up to date).
Also records the serve process's peak resident memory (VmHWM of /proc/<pid>/status) after
the first build and at the end, and the CPU seconds the server spent per edit (user + system,
from /proc: on a shared machine a steadier figure than wall time) with the 1-minute load
average at the end. Prints median and p95 as JSON on the last line; the server's stderr goes
to --log (with CCHC_TIMINGS=1 when --timings). Not part of the tests.
"""
import argparse
import glob
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_http(port, timeout):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
                c.sendall(b"GET / HTTP/1.0\r\n\r\n")
                if c.recv(12).startswith(b"HTTP/1.1 200") or True:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("cchc serve did not start")


class Events:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(b"GET /__cchc/events HTTP/1.1\r\nHost: x\r\n\r\n")
        self.buf = b""
        self.sock.settimeout(600)

    def next(self):
        while b"\n\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SystemExit("event stream closed")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\n\n", 1)
        lines = [l for l in msg.decode("utf-8", "replace").splitlines() if l.startswith("data: ")]
        return lines[0][6:] if lines else None


def memory_kb(pid):
    """(VmRSS, VmHWM) of process `pid` in kB, from /proc (Linux); None elsewhere."""
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(l.split(":", 1) for l in f if ":" in l)
        return tuple(int(fields[k].split()[0]) for k in ("VmRSS", "VmHWM"))
    except (OSError, KeyError, ValueError):
        return None


def cpu_seconds(pid):
    """User + system CPU time of process `pid` so far, in seconds (Linux); None elsewhere.
    Unlike wall time it barely depends on what else the machine runs."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cchc", required=True)
    ap.add_argument("--site", required=True, help="site folder (holds content/); copied first")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--today", default="2026-11-23")
    ap.add_argument("--log", help="write the server's stderr here (default: discarded)")
    ap.add_argument("--timings", action="store_true", help="run the server with CCHC_TIMINGS=1")
    ap.add_argument("--pause", type=float, default=0.2,
                    help="seconds between the end of one full pass and the next edit (an author "
                         "saves every few seconds or more; the default keeps the run short)")
    a = ap.parse_args()
    tmp_root = "/dev/shm" if os.path.isdir("/dev/shm") else None
    scratch = tempfile.mkdtemp(prefix="cchc-serve-bench-", dir=tmp_root)
    work = os.path.join(scratch, "site")
    shutil.copytree(a.site, work)
    port = free_port()
    env = dict(os.environ)
    # cchc serve keeps the published site in a folder under the temporary directory: put it
    # in the scratch folder, so it is measured (tmpfs: memory too) and removed with it.
    env["TMPDIR"] = scratch
    if a.timings:
        env["CCHC_TIMINGS"] = "1"
    # A file, not a pipe nobody reads: a full pipe would stall the server.
    log = open(a.log, "w") if a.log else subprocess.DEVNULL
    proc = subprocess.Popen([a.cchc, "serve", "--root", work, "--port", str(port), "--today", a.today],
                            stdout=subprocess.DEVNULL, stderr=log, env=env)
    try:
        started = time.time()
        wait_http(port, 900)
        first_build = time.time() - started
        mem_first = memory_kb(proc.pid)
        print(f"serve: first build and listen took {first_build:.1f} s", file=sys.stderr)
        ev = Events(port)
        time.sleep(0.5)
        docs = sorted(glob.glob(os.path.join(work, "content", "**", "*.md"), recursive=True))
        quick, full, cpu = [], [], []
        for i in range(a.edits):
            cpu0 = cpu_seconds(proc.pid)
            path = docs[(i * 7919) % len(docs)]
            with open(path, "a", encoding="utf-8") as f:
                t0 = time.time()
                f.write(f"\nCâu sửa thử số {i}.\n")
            q = None
            while True:
                data = ev.next()
                if data is None or not data.startswith("changed "):
                    if data == "reload":
                        full.append(time.time() - t0)
                        cpu1 = cpu_seconds(proc.pid)
                        break
                    continue
                paths = json.loads(data[len("changed "):])
                if q is None and any(p.startswith("van-ban/") for p in paths):
                    q = time.time() - t0
                    quick.append(q)
                    continue
                full.append(time.time() - t0)
                cpu1 = cpu_seconds(proc.pid)
                break
            if cpu0 is not None and cpu1 is not None:
                cpu.append(cpu1 - cpu0)
            time.sleep(a.pause)
        res = {
            "docs": len(docs),
            "edits": a.edits,
            "quick_median_ms": round(statistics.median(quick) * 1000, 1) if quick else None,
            "quick_p95_ms": round(pct(quick, 95) * 1000, 1) if quick else None,
            "full_median_ms": round(statistics.median(full) * 1000, 1),
            "full_p95_ms": round(pct(full, 95) * 1000, 1),
            "first_build_s": round(first_build, 1),
            "load_avg_1min": round(os.getloadavg()[0], 2),
            "pause_s": a.pause,
        }
        if cpu:
            # CPU seconds the server spent from the write to the end of the full pass.
            res["full_cpu_median_s"] = round(statistics.median(cpu), 2)
            res["full_cpu_p95_s"] = round(pct(cpu, 95), 2)
        mem_end = memory_kb(proc.pid)
        store = sum(os.path.getsize(os.path.join(d, f))
                    for top in glob.glob(os.path.join(scratch, "cchc-serve-*"))
                    for d, _, files in os.walk(top) for f in files)
        res["published_on_disk_mb"] = round(store / 2**20)
        if mem_first and mem_end:
            res["rss_after_first_build_mb"] = round(mem_first[0] / 1024)
            res["rss_end_mb"] = round(mem_end[0] / 1024)
            res["peak_rss_mb"] = round(mem_end[1] / 1024)
        print(json.dumps(res))
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
