#!/usr/bin/env bash
# One build's wall time, peak RSS and the resident memory after each stage (CCHC_TIMINGS).
# Not part of the tests.
#
#   bash bench/memory.sh SITE_ROOT OUT_DIR [TODAY]
#   bash bench/memory.sh /dev/shm/b/c10k /dev/shm/memory/o 2026-12-01
#
# Prints the stage lines (`[timing] stage: seconds (rss MB, peak MB)`), the model's sizes
# (`[model] …`), then `wall_s=… peak_rss_mb=…`. OUT_DIR is replaced.
set -euo pipefail
ROOT=${1:?site root}
OUT=${2:?output dir}
TODAY=${3:-2026-12-01}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CCHC=${CCHC:-$REPO/target/release/cchc}
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
rm -rf "$OUT"
CCHC_TIMINGS=1 /usr/bin/time -v "$CCHC" build --root "$ROOT" --out "$OUT" --today "$TODAY" -q 2>"$LOG" || {
  cat "$LOG" >&2
  exit 1
}
grep -E '^\[(timing|model)\]' "$LOG"
wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$LOG" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
peak=$(awk '/Maximum resident set size/{print int($6/1024)}' "$LOG")
echo "wall_s=$wall peak_rss_mb=$peak"
