#!/usr/bin/env bash
# Benchmark cchc side by side with Hugo, Zola and Pagefind on the same synthetic corpus.
# Not part of the tests. See bench/README.md.
#
#   bash bench/run.sh                 # 1,000 and 10,000 documents, 3 runs each
#   bash bench/run.sh --big           # also 100,000 documents
#   bash bench/run.sh --runs 5 --sizes 1000 --no-search
#
# Writes bench/RESULTS.md and prints it. Everything else lives under /dev/shm/cchc-bench
# (corpora are kept there for reuse; per-run scratch is removed on exit).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
GEN=${GEN_CORPUS:-$(cd "$REPO/.." && pwd)/shared/bench/gen_corpus.py}
WORK=/dev/shm/cchc-bench
RUNS=3
SIZES="1000 10000"
BIG=0
SEED=7364
SEARCH=1
SEARCH_SIZES="10000"
SEARCH_REPEAT=3
TODAY=2026-11-23
TIMEOUT=3600
BUILD=1
KEEP=0
SERVE=1
SERVE_EDITS=20
# Above this size peers are skipped (Hugo's memory grows ~linearly: 2.9 GB at 10k) and each tool
# runs BIG_RUNS times instead of RUNS.
PEERS_MAX=10000
BIG_RUNS=1
RESULTS="$BENCH_DIR/RESULTS.md"
QUERIES=${BENCH_QUERIES:-"cải cách|hành chính|thủ tục|nội vụ|một cửa|kiểm soát|đô thị|chuyển đổi số"}

usage() {
  cat <<EOF
usage: bash bench/run.sh [options]
  --runs N            timed runs per tool and size (default $RUNS; median reported)
  --sizes "A B"       corpus sizes in documents (default "$SIZES")
  --big               also 100000 documents (cchc only, $BIG_RUNS run; peers with --big-peers)
  --big-peers         run Hugo/Zola/Pagefind at 100000 too (Hugo needed ~2.9 GB at 10k; expect ~10x)
  --big-runs N        timed runs at sizes above 10000 (default $BIG_RUNS)
  --seed N            gen_corpus.py seed (default $SEED)
  --no-search         skip the browser search-budget measurement
  --search-sizes "A"  sizes whose search budget is measured (default "$SEARCH_SIZES")
  --search-repeat N   page loads per query for the time-to-first-results median (default $SEARCH_REPEAT)
  --queries "q1|q2"   search queries (default "$QUERIES")
  --timeout SEC       per tool invocation (default $TIMEOUT)
  --no-build          use the existing target/release/cchc instead of running cargo build --release
  --no-serve          skip the cchc serve edit-to-reload measurement
  --serve-edits N     edits timed by serve_latency.py (default $SERVE_EDITS)
  --keep              keep the scratch dir (outputs, logs) under $WORK
  --results FILE      Markdown output (default bench/RESULTS.md)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --big) BIG=1; shift ;;
    --big-peers) PEERS_MAX=1000000000; shift ;;
    --big-runs) BIG_RUNS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --no-search) SEARCH=0; shift ;;
    --search-sizes) SEARCH_SIZES=$2; shift 2 ;;
    --search-repeat) SEARCH_REPEAT=$2; shift 2 ;;
    --queries) QUERIES=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    --no-serve) SERVE=0; shift ;;
    --serve-edits) SERVE_EDITS=$2; shift 2 ;;
    --results) RESULTS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[ "$BIG" = 1 ] && SIZES="$SIZES 100000"
case "$RUNS" in ''|*[!0-9]*) echo "run.sh: --runs needs a positive number" >&2; exit 2 ;; esac
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 50 ] || { echo "run.sh: --runs must be 1..50" >&2; exit 2; }

log() { printf '\033[1m[bench %s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- preflight
[ -d /dev/shm ] && [ -w /dev/shm ] || die "/dev/shm is not writable; benchmarks must run on tmpfs"
mkdir -p "$WORK/corpus" "$WORK/bin" "$WORK/logs"
RUN=$(mktemp -d "$WORK/run.XXXXXX")
cleanup() {
  if [ "$KEEP" = 1 ]; then log "kept scratch dir $RUN"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
trap 'echo "[bench] interrupted" >&2; exit 130' INT TERM
trap 'echo "[bench] FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

APT_UPDATED=0
apt_install() {  # apt_install PACKAGE...
  command -v apt-get >/dev/null || die "need $* but apt-get is not available"
  if [ "$APT_UPDATED" = 0 ]; then log "apt-get update"; apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
[ -x /usr/bin/time ] || apt_install time
command -v hugo >/dev/null || apt_install hugo
for t in python3 node npm; do command -v "$t" >/dev/null || die "$t not found on PATH"; done
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ "$SEARCH" = 1 ] && [ ! -x "$CHROMIUM" ]; then apt_install chromium; fi
[ -f "$GEN" ] || die "corpus generator not found: $GEN (set GEN_CORPUS=path)"
if command -v zola >/dev/null; then HAVE_ZOLA=1; else
  HAVE_ZOLA=0; log "zola not on PATH: Zola is SKIPPED (put a zola binary on PATH to include it)"
fi
if [ ! -x "$BENCH_DIR/node_modules/.bin/pagefind" ] || [ ! -d "$BENCH_DIR/node_modules/playwright-core" ]; then
  log "npm ci in bench/ (pagefind, playwright-core)"
  (cd "$BENCH_DIR" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $BENCH_DIR"
fi

# A snapshot of the binary, so someone else rebuilding target/ mid-run does not change it.
if [ "$BUILD" = 1 ]; then
  log "cargo build --release (in $REPO)"
  (cd "$REPO" && cargo build --release --quiet) || die "cargo build --release failed"
fi
[ -x "$REPO/target/release/cchc" ] || die "no $REPO/target/release/cchc"
CCHC="$WORK/bin/cchc"
cp "$REPO/target/release/cchc" "$CCHC.tmp" && mv "$CCHC.tmp" "$CCHC"

# ---------------------------------------------------------------- environment
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc=$(nproc)"
  echo "mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "kernel=$(uname -r)"
  rev=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null)" ]; then rev="$rev + uncommitted changes"; fi
  echo "cchc=$("$CCHC" --version 2>/dev/null | head -1) (git $rev)"
  echo "hugo=$(hugo version 2>/dev/null | awk '{print $1, $2}')"
  if [ "$HAVE_ZOLA" = 1 ]; then echo "zola=$(zola --version 2>/dev/null | head -1)"; else echo "zola=not installed (skipped)"; fi
  echo "pagefind=$(cd "$BENCH_DIR" && npx --no-install pagefind --version 2>/dev/null | head -1)"
  echo "node=$(node --version)"
  echo "playwright=$(node -p "require('$BENCH_DIR/node_modules/playwright-core/package.json').version" 2>/dev/null || echo '?')"
  echo "chromium=$("$CHROMIUM" --version 2>/dev/null | head -1 || echo 'not installed')"
  echo "runs=$RUNS"
  echo "seed=$SEED"
  echo "today=$TODAY"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RUN/env.txt"

# ---------------------------------------------------------------- corpora
GEN_KEY=$( (cat "$GEN"; cat "$(dirname "$GEN")/../seeds/"*.txt 2>/dev/null || true) | sha256sum | cut -c1-16)
corpus() {  # corpus N FORMAT -> prints dir; generates unless a matching one exists
  local n=$1 fmt=$2 dir="$WORK/corpus/n$1-seed$SEED/$2"
  local stamp="docs=$n format=$fmt seed=$SEED gen=$GEN_KEY"
  if [ -f "$dir/.bench-params" ] && [ "$(cat "$dir/.bench-params")" = "$stamp" ]; then
    log "reusing corpus $dir" ; echo "$dir"; return
  fi
  log "generating $fmt corpus, $n documents -> $dir"
  rm -rf "$dir" "$dir.tmp"; mkdir -p "$(dirname "$dir")"
  python3 "$GEN" --docs "$n" --format "$fmt" --seed "$SEED" --out "$dir.tmp" >&2 || die "gen_corpus.py failed ($fmt, $n)"
  echo "$stamp" > "$dir.tmp/.bench-params"
  mv "$dir.tmp" "$dir"
  echo "$dir"
}

# big_output_fits_tmpfs N: whether N documents' output (~1 GB per 10k, measured) fits in
# tmpfs with room for the build itself (~2 GB at 100k) and 4 GB to spare, so that the 100k row
# is measured on the same medium as the 10k one.
big_output_fits_tmpfs() {
  local need_mb=$(( $1 / 10000 * 1000 + 2000 + 4000 ))
  local avail_mb shm_mb
  avail_mb=$(awk '/^MemAvailable:/ {print int($2 / 1024)}' /proc/meminfo)
  shm_mb=$(df -Pm /dev/shm | awk 'NR == 2 {print $4}')
  [ "${avail_mb:-0}" -ge "$need_mb" ] && [ "${shm_mb:-0}" -ge "$need_mb" ]
}

# ---------------------------------------------------------------- timing helpers
# timed SIZE TOOL RUN LOG CMD... : appends "size tool run wall rss_kb user sys rc" to times.tsv
timed() {
  local size=$1 tool=$2 r=$3 logf=$4; shift 4
  local tf="$RUN/time.$$"
  local rc=0
  /usr/bin/time -f '%e %M %U %S' -o "$tf" timeout "$TIMEOUT" "$@" >"$logf" 2>&1 || rc=$?
  local t; t=$(tail -1 "$tf" 2>/dev/null || echo "nan nan nan nan")
  case "$t" in [0-9]*) ;; *) t="nan nan nan nan" ;; esac
  printf '%s\t%s\t%s\t%s\t%s\n' "$size" "$tool" "$r" "$(echo "$t" | tr ' ' '\t')" "$rc" >> "$RUN/times.tsv"
  rm -f "$tf"
  if [ "$rc" = 124 ]; then log "  $tool: TIMEOUT after ${TIMEOUT}s"; elif [ "$rc" != 0 ]; then log "  $tool: exit $rc (log: $logf)"; fi
  log "  $tool run $r: $(echo "$t" | awk '{printf "%s s, %.0f MiB", $1, $2/1024}')"
  return 0
}
# tree_stats SIZE TOOL DIR [EXCLUDE_SUBDIR]: bytes, files, html pages -> sizes.tsv (bytes as %.0f:
# mawk's %d stops at 2^31, which a 100k output passes)
tree_stats() {
  local size=$1 tool=$2 dir=$3 ex=${4:-}
  [ -d "$dir" ] || { printf '%s\t%s\tnan\tnan\tnan\n' "$size" "$tool" >> "$RUN/sizes.tsv"; return; }
  local f
  if [ -n "$ex" ]; then f=$(find "$dir" -path "$dir/$ex" -prune -o -type f -printf '%s %f\n'); else f=$(find "$dir" -type f -printf '%s %f\n'); fi
  echo "$f" | awk -v s="$size" -v t="$tool" 'NF {b+=$1; n++; if ($2 ~ /\.html$/) h++} END {printf "%s\t%s\t%.0f\t%d\t%d\n", s, t, b, n, h}' >> "$RUN/sizes.tsv"
}

# ---------------------------------------------------------------- per size
printf 'size\ttool\trun\twall_s\trss_kb\tuser_s\tsys_s\trc\n' > "$RUN/times.tsv"
printf 'size\ttool\tbytes\tfiles\thtml\n' > "$RUN/sizes.tsv"
: > "$RUN/notes.txt"

for N in $SIZES; do
  log "=== $N documents ==="
  PEERS=1; NRUNS=$RUNS
  if [ "$N" -gt 10000 ]; then NRUNS=$BIG_RUNS; fi
  if [ "$N" -gt "$PEERS_MAX" ]; then
    PEERS=0; echo "peers.$N.skipped=1" >> "$RUN/notes.txt"
    log "peers skipped at $N documents (--big-peers runs them)"
  fi
  NATIVE=$(corpus "$N" native); HUGO_SRC=""; [ "$PEERS" = 1 ] && HUGO_SRC=$(corpus "$N" hugo)
  ZOLA_SRC=""; [ "$HAVE_ZOLA" = 1 ] && [ "$PEERS" = 1 ] && ZOLA_SRC=$(corpus "$N" zola)
  O="$RUN/out/$N"; L="$RUN/logs/$N"
  if [ "$N" -gt 10000 ] && ! big_output_fits_tmpfs "$N"; then
    # The output (~1 GB per 10k documents) would not fit in tmpfs beside the build's own
    # memory: disk, which is slower than tmpfs, so the growth ratio then counts the disk too.
    O="${BIG_OUT:-/var/tmp/cchc-bench-out}/$N"; rm -rf "$O"
    echo "cchc.$N.out_on_disk=$O" >> "$RUN/notes.txt"
  fi
  mkdir -p "$O" "$L"

  # Probe: cchc on the corpus exactly as generated. If it fails only on duplicate page addresses
  # (gen_corpus.py can repeat a number+title), record the failure, then add `slug:` (the file
  # name) to the colliding files in a copy and use that copy -- the only change made.
  log "cchc probe on the corpus as generated"
  timed "$N" cchc-as-generated 0 "$L/cchc-probe.log" "$CCHC" build --root "$NATIVE" --out "$O/cchc" --today "$TODAY" -q --no-cache
  SRC="$NATIVE"
  probe_rc=$(tail -1 "$RUN/times.tsv" | cut -f8)
  if [ "$probe_rc" != 0 ]; then
    cp "$L/cchc-probe.log" "$WORK/logs/cchc-probe-$N.log"
    { echo "cchc.$N.probe_rc=$probe_rc"
      echo "cchc.$N.probe_summary=$(grep -v '^ ' "$L/cchc-probe.log" | tail -1)"
      echo "cchc.$N.probe_errors=$(grep -c ': error: ' "$L/cchc-probe.log" || true)"
      grep -m3 ': error: ' "$L/cchc-probe.log" | sed "s/^/cchc.$N.probe_err=/"
    } >> "$RUN/notes.txt"
    FIX="$WORK/corpus/n$N-seed$SEED/native-slugfix"
    fix_stamp="$(cat "$NATIVE/.bench-params") cchc=$(sha256sum "$CCHC" | cut -c1-16)"
    if [ -f "$FIX/.bench-fix" ] && [ "$(head -1 "$FIX/.bench-fix")" = "$fix_stamp" ]; then
      log "reusing $FIX (built cleanly with this cchc binary before)"
      SRC="$FIX"; patched=$(sed -n 2p "$FIX/.bench-fix")
    else
      rm -rf "$FIX" "$FIX/.bench-fix"; cp -r "$NATIVE" "$FIX"; rm -f "$FIX/.bench-params"
      src_log="$L/cchc-probe.log"; patched=0
    fi
    # cchc stops listing errors at some count, so this may take a few rounds (each a full build).
    for round in 1 2 3 4 5 6; do
      [ "$SRC" = "$NATIVE" ] || break
      mapfile -t dup < <(grep -oP '^content/\S+\.md(?=:\d+:\d+: error: trùng địa chỉ trang)' "$src_log" | sort -u)
      others=$(grep ': error: ' "$src_log" | grep -vc 'trùng địa chỉ trang' || true)
      [ "${#dup[@]}" -gt 0 ] || break
      [ "$others" -eq 0 ] || { log "cchc has errors other than duplicate addresses; not patching further"; break; }
      for f in "${dup[@]}"; do
        stem=$(basename "$f" .md)
        sed -i "0,/^---\$/s//---\nslug: $stem/" "$FIX/$f"
      done
      patched=$((patched + ${#dup[@]}))
      log "added slug: to ${#dup[@]} files (round $round); re-checking"
      src_log="$L/cchc-fix-$round.log"
      rc=0; timeout "$TIMEOUT" "$CCHC" build --root "$FIX" --out "$O/cchc" --today "$TODAY" -q --no-cache >"$src_log" 2>&1 || rc=$?
      if [ "$rc" = 0 ]; then SRC="$FIX"; printf '%s\n%s\n' "$fix_stamp" "$patched" > "$FIX/.bench-fix"; break; fi
    done
    echo "cchc.$N.slug_patched=$patched" >> "$RUN/notes.txt"
    if [ "$SRC" = "$NATIVE" ]; then
      log "cchc still fails on $N documents; its rows are marked failed"
      echo "cchc.$N.unfixable=1" >> "$RUN/notes.txt"
    fi
  fi

  for r in $(seq 1 "$NRUNS"); do
    log "run $r/$NRUNS ($N documents)"
    if [ "$N" -gt 10000 ] && [ "$r" = 1 ] && [ "$SRC" = "$NATIVE" ]; then
      # A big build takes minutes: the probe, which built this very corpus into this very
      # (then empty) folder, is the first timed run.
      tail -1 "$RUN/times.tsv" | awk -F'\t' 'BEGIN{OFS="\t"} {$2="cchc"; print}' >> "$RUN/times.tsv"
      cp "$L/cchc-probe.log" "$L/cchc-1.log"
      log "  cchc run 1: the probe's figures"
    else
      rm -rf "$O/cchc"
      timed "$N" cchc "$r" "$L/cchc-$r.log" "$CCHC" build --root "$SRC" --out "$O/cchc" --today "$TODAY" -q --no-cache
    fi
    if [ "$PEERS" = 0 ]; then continue; fi
    rm -rf "$O/hugo" "$HUGO_SRC/resources" "$RUN/hugo-cache"
    timed "$N" hugo "$r" "$L/hugo-$r.log" hugo --minify --source "$HUGO_SRC" --destination "$O/hugo" --cacheDir "$RUN/hugo-cache"
    if [ "$HAVE_ZOLA" = 1 ]; then
      rm -rf "$O/zola"
      timed "$N" zola "$r" "$L/zola-$r.log" zola --root "$ZOLA_SRC" build --output-dir "$O/zola" --force
    fi
    rm -rf "$O/hugo/pagefind"
    timed "$N" pagefind "$r" "$L/pagefind-$r.log" bash -c 'cd "$1" && exec npx --no-install pagefind --site "$2"' _ "$BENCH_DIR" "$O/hugo"
    rm -rf "$O/cp"
    if [ -d "$O/cchc" ]; then timed "$N" cp-floor "$r" "$L/cp-$r.log" cp -r "$O/cchc" "$O/cp"; fi
  done

  # Rebuilds with the persistent build cache: the office edits one document and builds again
  # into the same output. On a copy of the corpus (the corpus itself is never edited), up to
  # 10k (the copy and the output live in tmpfs). Each run: a build with nothing changed, then
  # one after a sentence is appended to one document (a different one each run), after a first
  # edit timed on its own.
  if [ "$N" -le 10000 ] && [ -d "$O/cchc" ]; then
    E="$RUN/edit/$N"; rm -rf "$E"; mkdir -p "$E"; cp -r "$SRC" "$E/site"; rm -rf "$E/site/.cchc-cache"
    rebuild=("$CCHC" build --root "$E/site" --out "$O/cchc" --today "$TODAY" -q --cache-dir "$E/cache")
    log "rebuilds with the persistent cache ($N documents)"
    timed "$N" cchc-cache-fill 1 "$L/cchc-fill.log" "${rebuild[@]}"
    mapfile -t docs < <(find "$E/site/content" -name '*.md' | sort)
    # The first edit after a full build makes the search index's memo (site/index_memo.rs);
    # the edits after it go through the memo. Timed apart.
    printf '\nCâu thêm để đo dựng lại, lần đầu.\n' >> "${docs[0]}"
    timed "$N" cchc-rebuild-first-edit 1 "$L/cchc-first-edit.log" "${rebuild[@]}"
    for r in $(seq 1 "$NRUNS"); do
      timed "$N" cchc-rebuild-same "$r" "$L/cchc-same-$r.log" "${rebuild[@]}"
      doc=${docs[$(( (r * 7919) % ${#docs[@]} ))]}
      printf '\nCâu thêm để đo dựng lại, lần %s.\n' "$r" >> "$doc"
      timed "$N" cchc-rebuild-edit "$r" "$L/cchc-edit-$r.log" "${rebuild[@]}"
      grep -v '^ ' "$L/cchc-edit-$r.log" | tail -1 | sed "s/^/cchc.$N.rebuild_summary=/" >> "$RUN/notes.txt"
    done
    echo "cchc.$N.cache_bytes=$(du -sb "$E/cache" 2>/dev/null | cut -f1)" >> "$RUN/notes.txt"
    rm -rf "$E"
  fi

  tree_stats "$N" input "$SRC/content"
  tree_stats "$N" cchc "$O/cchc"
  # The biggest file and the biggest HTML page of cchc's output (the budget: ~5 MB and ~200 kB).
  if [ -d "$O/cchc" ]; then
    find "$O/cchc" -type f -printf '%s %P\n' | sort -n | tail -1 | sed "s/^/cchc.$N.largest_file=/" >> "$RUN/notes.txt"
    find "$O/cchc" -type f -name '*.html' -printf '%s %P\n' | sort -n | tail -1 | sed "s/^/cchc.$N.largest_html=/" >> "$RUN/notes.txt"
  fi
  tree_stats "$N" cchc-index "$O/cchc/tim-kiem/index"
  tree_stats "$N" hugo "$O/hugo" pagefind
  tree_stats "$N" pagefind "$O/hugo/pagefind"
  [ "$HAVE_ZOLA" = 1 ] && tree_stats "$N" zola "$O/zola"
  tree_stats "$N" cp-floor "$O/cp"
  for t in cchc hugo pagefind; do
    if ls "$L/$t-"*.log >/dev/null 2>&1 && grep -qiE 'error|panic' "$L/$t-$NRUNS.log"; then
      grep -m3 -iE 'error|panic' "$L/$t-$NRUNS.log" | sed "s/^/$t.$N.log=/" >> "$RUN/notes.txt"
    fi
  done
  grep -h 'Đã dựng' "$L/cchc-$NRUNS.log" 2>/dev/null | tail -1 | sed "s/^/cchc.$N.summary=/" >> "$RUN/notes.txt" || true

  # Search budget (browser).
  if [ "$SEARCH" = 1 ] && [[ " $SEARCH_SIZES " == *" $N "* ]]; then
    # Document frequency of each query in the generated text (lower-cased, NFC), for the report.
    python3 - "$SRC/content" "$QUERIES" > "$RUN/df_$N.tsv" <<'PY'
import os, sys, unicodedata
root, qs = sys.argv[1], [q for q in sys.argv[2].split('|') if q.strip()]
docs = []
for dp, _, fs in os.walk(root):
    for f in fs:
        if f.endswith('.md'):
            with open(os.path.join(dp, f), encoding='utf-8') as fh:
                docs.append(unicodedata.normalize('NFC', fh.read()).lower())
for q in qs:
    q = unicodedata.normalize('NFC', q.strip().lower())
    print(f"{q}\t{sum(1 for d in docs if q in d)}\t{len(docs)}")
PY
    if [ -f "$O/cchc/tim-kiem/index.html" ] && [ -d "$O/hugo/pagefind" ]; then
      log "search budget in headless Chromium ($N documents)"
      CHROMIUM="$CHROMIUM" timeout 1800 node "$BENCH_DIR/measure_search.mjs" --cchc "$O/cchc" --pagefind "$O/hugo" \
        --queries "$QUERIES" --repeat "$SEARCH_REPEAT" --results 10 --json "$RUN/search_$N.json" \
        || { log "measure_search.mjs failed"; echo "search.$N.failed=1" >> "$RUN/notes.txt"; }
    elif [ -d "$O/hugo/pagefind" ]; then
      log "no cchc output to measure; measuring Pagefind only"
      CHROMIUM="$CHROMIUM" timeout 1800 node "$BENCH_DIR/measure_search.mjs" --pagefind "$O/hugo" \
        --queries "$QUERIES" --repeat "$SEARCH_REPEAT" --results 10 --json "$RUN/search_$N.json" || true
    fi
  fi
  # The machine's own cost of writing as many bytes as cchc wrote, into the same place just
  # emptied, as cchc found it: one file from /dev/zero. On a VM whose freed memory goes back to
  # the host, writing 10x the bytes can take far more than 10x the time (each page the host
  # took back faults again); this floor shows that share of the growth apart from cchc's own.
  if [ -d "$O/cchc" ]; then
    mib=$(du -sm --apparent-size "$O/cchc" | cut -f1)
    rm -rf "$O"; mkdir -p "$O"
    for r in $(seq 1 "$NRUNS"); do
      timed "$N" write-floor "$r" "$L/write-floor-$r.log" dd if=/dev/zero of="$O/floor" bs=1M count="$mib" status=none
      rm -f "$O/floor"
    done
  fi
  # Free tmpfs memory before the next size.
  rm -rf "$O"
done

# serve: one-document edit to reload event, on the largest corpus of this run (not 100k).
if [ "$SERVE" = 1 ]; then
  SN=$(for n in $SIZES; do if [ "$n" -le 10000 ]; then echo "$n"; fi; done | sort -n | tail -1)
  if [ -n "$SN" ]; then
    log "serve latency: $SERVE_EDITS edits on the $SN-document corpus"
    # Twice: edits 0.2 s apart (the goal's figure), then 3 s apart, an author's pace, at
    # which memory freed by one pass would long be returned to the system before the next.
    for pace in 0.2:serve 3:serve_paced; do
      python3 "$BENCH_DIR/serve_latency.py" --cchc "$CCHC" --site "$(corpus "$SN" native)" \
        --edits "$SERVE_EDITS" --today "$TODAY" --pause "${pace%%:*}" \
        > "$RUN/${pace#*:}.json" 2> "$RUN/${pace#*:}.log" \
        || { log "serve_latency.py failed (see $RUN/${pace#*:}.log)"; rm -f "$RUN/${pace#*:}.json"; }
    done
  fi
fi

echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RUN/env.txt"
cp "$RUN"/serve.json "$RUN"/serve_paced.json "$WORK/logs/" 2>/dev/null || true
cp "$RUN/times.tsv" "$RUN/sizes.tsv" "$RUN/env.txt" "$RUN/notes.txt" "$WORK/logs/" 2>/dev/null || true
cp "$RUN"/search_*.json "$WORK/logs/" 2>/dev/null || true
python3 "$BENCH_DIR/report.py" "$RUN" > "$RESULTS.tmp" || die "report.py failed"
mv "$RESULTS.tmp" "$RESULTS"
cat "$RESULTS"
log "wrote $RESULTS (raw data: $WORK/logs/)"
