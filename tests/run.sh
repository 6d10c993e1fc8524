#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run execs this). From the repo root, whatever
# the cwd. Steps, each with a header and a PASS/FAIL line:
#   fmt, clippy, doc       cargo fmt --check; clippy --release --all-targets -D warnings;
#                          cargo doc --release --no-deps with rustdoc warnings as errors
#   build, test            cargo build --release --all-targets; cargo test --release
#   site, determinism      cchc build of the example portal into a temp dir; a second build
#                          into another dir must be byte-identical (diff -r)
#   ics                    python3 tests/ics_check.py on all built *.ics files (pip icalendar)
#   browser                node tests/browser/run.mjs (Debian chromium, playwright-core, axe)
#   html                   Nu HTML checker over every built .html file (tests/html_check.sh)
#   fuzz, search js        fuzz regressions; search client; search relevance list (node)
#   examples               every site under examples/ builds without error
# A failed step does not stop later ones, except that without a cchc binary or a built site
# the steps that need them are marked failed. Installs what it needs (apt chromium, java;
# npm ci; pip icalendar) and fails the step loudly if it can't. Ends with the line
# `N passed, M failed` and exits 1 if any step failed.
#
# Env knobs (defaults = the full suite, as CI runs it):
#   CCHC_BROWSER_PAGES  comma list passed to run.mjs --pages (default: all its pages)
#   CCHC_BROWSER_SEARCH set to 0 to leave out the search checks (default: on)
#   OUT_SCREENSHOTS     dir where the browser suite saves home/document screenshots
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$(pwd)"
TODAY="2026-11-23"
BIN="$REPO/target/release/cchc"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cchc-tests.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

SUDO=""
if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi

PASSED=0
FAILED=0
RESULTS=()
STEP_NO=0
STEP_TOTAL=14

# run_step NAME FUNC...: runs FUNC in a subshell with errexit on, records PASS/FAIL.
# (Called as a plain command, never in `if`/`||`, so that set -e holds inside.)
run_step() {
  local name="$1"; shift
  STEP_NO=$((STEP_NO + 1))
  echo
  echo "==> [$STEP_NO/$STEP_TOTAL] $name"
  local t0=$SECONDS rc
  set +e
  ( set -euo pipefail; "$@" )
  rc=$?
  set -e
  record "$name" "$rc" "$((SECONDS - t0))s"
  LAST_RC=$rc
}

# record NAME RC NOTE
record() {
  if [[ "$2" -eq 0 ]]; then
    PASSED=$((PASSED + 1)); RESULTS+=("PASS  $1 ($3)")
    echo "--> PASS $1 ($3)"
  else
    FAILED=$((FAILED + 1)); RESULTS+=("FAIL  $1 ($3)")
    echo "--> FAIL $1 ($3)"
  fi
}

# fail_step NAME WHY: a step that cannot run counts as failed.
fail_step() {
  STEP_NO=$((STEP_NO + 1))
  echo
  echo "==> [$STEP_NO/$STEP_TOTAL] $1"
  echo "cannot run: $2"
  record "$1" 1 "not run: $2"
}

# ------------------------------------------------------------------ installers

# Markers in $WORK, as steps run in subshells: apt-get update and npm ci happen once a run.
apt_install() {
  if ! command -v apt-get >/dev/null; then
    echo "apt-get not found; cannot install $*" >&2
    return 1
  fi
  if [[ ! -f "$WORK/.apt-updated" ]]; then
    echo "apt-get update"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq || { echo "apt-get update failed" >&2; return 1; }
    touch "$WORK/.apt-updated"
  fi
  echo "apt-get install $*"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$WORK/apt.log" 2>&1 \
    || { tail -n 30 "$WORK/apt.log" >&2; echo "apt-get install $* failed" >&2; return 1; }
}

ensure_chromium() {
  if [[ ! -x /usr/bin/chromium ]]; then
    # fonts-liberation and fonts-dejavu-core: Latin + Vietnamese glyphs for layout checks.
    apt_install chromium fonts-liberation fonts-dejavu-core || return 1
  fi
  [[ -x /usr/bin/chromium ]] || { echo "/usr/bin/chromium still missing after install" >&2; return 1; }
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null)"
}

ensure_java() {
  if ! command -v java >/dev/null; then
    apt_install default-jre-headless || return 1
  fi
  java -version 2>&1 | head -n 1
}

ensure_node_modules() {
  command -v node >/dev/null || { echo "node not found (need Node >= 20)" >&2; return 1; }
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [[ "$major" -ge 20 ]] || { echo "node $(node -v) is too old (need >= 20)" >&2; return 1; }
  local dir="$REPO/tests/browser"
  [[ -f "$WORK/.npm-done" ]] && return 0
  # --ignore-scripts: vnu-jar's postinstall would try to download a JDK; we use the system java.
  if [[ "${CI:-}" == "true" || ! -f "$dir/node_modules/.package-lock.json" \
        || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    echo "npm ci in tests/browser"
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund) || { echo "npm ci failed" >&2; return 1; }
  fi
  touch "$WORK/.npm-done"
}

ensure_icalendar() {
  if ! python3 -c 'import icalendar' 2>/dev/null; then
    echo "pip install icalendar"
    python3 -m pip install --quiet --disable-pip-version-check icalendar \
      || { echo "pip install icalendar failed" >&2; return 1; }
  fi
  python3 -c 'import icalendar; print("icalendar", icalendar.__version__)'
}

# ------------------------------------------------------------------ steps

step_fmt() { cargo fmt --all -- --check; }
step_clippy() { cargo clippy --release --all-targets -- -D warnings; }
# After clippy, whose checked dependencies it reuses (~12 s): broken or private doc links.
step_doc() { RUSTDOCFLAGS='-D warnings' cargo doc --release --no-deps; }
# --all-targets: with resolver 2, dev-dependencies (scraper, tempfile) change the features of
# shared deps, so a plain `cargo build --release` and `cargo test --release` would each compile
# ~60 crates (oxc, lightningcss, ...) in release. Built together once, the test step reuses all.
step_build() { cargo build --release --all-targets; [[ -x "$BIN" ]] || { echo "no binary at $BIN" >&2; return 1; }; }
# --no-fail-fast: run every test binary even after one fails, so one run shows everything.
step_test() { cargo test --release --no-fail-fast; }

step_site() {
  "$BIN" build --root . --out "$WORK/public" --today "$TODAY"
  [[ -d "$WORK/public" ]] || { echo "cchc build produced no $WORK/public" >&2; return 1; }
  echo "built $(find "$WORK/public" -type f | wc -l) files into $WORK/public"
  touch "$WORK/site.ok"
}

step_determinism() {
  "$BIN" build --root . --out "$WORK/public2" --today "$TODAY"
  if diff -r "$WORK/public" "$WORK/public2" >"$WORK/determinism.diff"; then
    echo "two builds are identical"
  else
    echo "two builds of the same input differ:" >&2
    head -n 60 "$WORK/determinism.diff" >&2
    return 1
  fi
}

step_ics() {
  [[ -f tests/ics_check.py ]] || { echo "tests/ics_check.py is missing" >&2; return 1; }
  ensure_icalendar
  local files=() f
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$WORK/public" -type f -name '*.ics' -print0 | sort -z)
  if [[ ${#files[@]} -eq 0 ]]; then
    echo "no .ics file in the built site" >&2
    return 1
  fi
  # One interpreter for all files (ics_check.py takes many; importing icalendar costs ~1 s).
  # It prints one summary line per file and exits non-zero if any file has a problem.
  echo "ics: checking ${#files[@]} files"
  python3 tests/ics_check.py "${files[@]}"
}

step_browser() {
  ensure_chromium
  ensure_node_modules
  local args=("$WORK/public")
  if [[ -n "${CCHC_BROWSER_PAGES:-}" ]]; then args+=(--pages "$CCHC_BROWSER_PAGES"); fi
  if [[ "${CCHC_BROWSER_SEARCH:-1}" != 0 ]]; then args+=(--search); fi
  timeout 900 node tests/browser/run.mjs "${args[@]}"
}

step_html() {
  ensure_java
  ensure_node_modules
  timeout 900 bash tests/html_check.sh "$WORK/public"
}

# ------------------------------------------------------------------ run

echo "cchc test suite: $REPO (work dir $WORK)"

run_step "cargo fmt --check" step_fmt
run_step "cargo clippy -D warnings" step_clippy
run_step "cargo doc (rustdoc -D warnings)" step_doc
run_step "cargo build --release --all-targets" step_build
BUILD_RC=$LAST_RC
run_step "cargo test --release" step_test

if [[ "$BUILD_RC" -ne 0 ]]; then
  for s in "site build" "determinism (build twice, diff -r)" "ics check" "browser suite" "Nu HTML checker"; do
    fail_step "$s" "cargo build failed"
  done
else
  run_step "site build (cchc build --today $TODAY)" step_site
  if [[ ! -f "$WORK/site.ok" ]]; then
    for s in "determinism (build twice, diff -r)" "ics check" "browser suite" "Nu HTML checker"; do
      fail_step "$s" "site build failed"
    done
  else
    run_step "determinism (build twice, diff -r)" step_determinism
    run_step "ics check (tests/ics_check.py)" step_ics
    run_step "browser suite (tests/browser/run.mjs)" step_browser
    run_step "Nu HTML checker (tests/html_check.sh)" step_html
  fi
fi

# ------------------------------------------------------------------ fuzz / property, search JS
step_fuzz() { FUZZ_SECONDS="${FUZZ_SECONDS:-10}" bash tests/fuzz_quick.sh; }
step_search_js() { node tests/search_js_test.mjs; }
step_search_relevance() { node tests/search_relevance.mjs; }
# The illustrative site of examples/ (fictional province, follow-up reports): builds clean.
step_examples() {
  local d
  for d in examples/*/; do
    "$BIN" build --root "$d" --out "$WORK/examples/$(basename "$d")" --today "$TODAY" -q
  done
}
run_step "fuzz regressions + property loops (tests/fuzz_quick.sh)" step_fuzz
run_step "search client (node tests/search_js_test.mjs)" step_search_js
run_step "search relevance (node tests/search_relevance.mjs)" step_search_relevance
run_step "illustrative sites under examples/" step_examples

echo
echo "==> summary"
for r in "${RESULTS[@]}"; do echo "  $r"; done
echo "$PASSED passed, $FAILED failed"
[[ "$FAILED" -eq 0 ]]
