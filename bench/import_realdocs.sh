#!/usr/bin/env bash
# Measure `cchc import` over the whole of ../shared/realdocs/ (134 crawler-copied documents):
# how many import without error, the share with number/date/type/issuer filled (and whether the
# number matches INDEX.tsv's), tasks found per document by layout (INDEX.tsv `assigns_tasks`),
# and whether `cchc build` of everything imported succeeds. Not a timed test.
#
# Usage: bash bench/import_realdocs.sh [REALDOCS_DIR] [WORK_DIR]
# Needs a release build (cargo build --release). Prints a Markdown summary to stdout.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
docs="${1:-$here/../shared/realdocs}"
work="${2:-/dev/shm/import-realdocs}"
bin="$here/target/release/cchc"
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
rm -rf "$work"
mkdir -p "$work/site/content"
cat > "$work/site/content/site.yaml" <<'YAML'
title: Văn bản nhập từ realdocs
description: Đo cchc import trên 134 văn bản thật.
base_url: /
YAML
set +e
"$bin" import "$docs"/*.txt --into "$work/site/content/realdocs" >"$work/import.out" 2>"$work/import.err"
import_rc=$?
"$bin" build --root "$work/site" --today 2026-12-01 --quiet >"$work/build.out" 2>"$work/build.err"
build_rc=$?
set -e
python3 "$here/bench/import_realdocs_report.py" "$docs/INDEX.tsv" "$work" "$import_rc" "$build_rc"
