#!/usr/bin/env bash
# Short fuzz + property run, for tests/run.sh and CI: about 2 min on 2 cores once built.
#   1. replay fuzz/regressions/* and run the property loops (same features as run.sh's
#      `cargo test --release`, so nothing is rebuilt):
#        cargo test --release --test proptests   (CCHC_PROP_CASES, default here 20000: ~25 s)
#   2. when cargo-fuzz and a nightly toolchain are present: every fuzz target for
#      FUZZ_SECONDS (default 20 s, libFuzzer `-max_total_time`), two at a time (7 targets,
#      4 rounds, ~85 s), seeded from fuzz/regressions and fuzz/seeds. The fuzz crate's first
#      build is slow (~10 min cold on 2 cores; ~2 min after a src change).
#      Without cargo-fuzz/nightly it prints SKIPPED and exits 0, or 1 when FUZZ_REQUIRED=1.
# Prints what it ran; exits non-zero on any failure. New crashers are left in
# fuzz/artifacts/<target>/: minimise, copy to fuzz/regressions/<target>/, fix, commit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CASES="${CCHC_PROP_CASES:-20000}"
FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
FUZZ_REQUIRED="${FUZZ_REQUIRED:-0}"
TARGETS=(front_matter deadline tasks numbers units markdown site)

echo "==> fuzz_quick: regressions + property loops ($CASES cases each, release)"
regs=$(find fuzz/regressions -type f ! -name 'README*' 2>/dev/null | wc -l)
echo "    fuzz/regressions holds $regs kept inputs"
t0=$SECONDS
CCHC_PROP_CASES="$CASES" cargo test --release --test proptests -- --test-threads=2
echo "--> property loops and replay passed ($((SECONDS - t0)) s)"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "--> SKIPPED libFuzzer runs: cargo-fuzz not installed (cargo install cargo-fuzz)"
  [[ "$FUZZ_REQUIRED" == 1 ]] && exit 1
  exit 0
fi
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "--> SKIPPED libFuzzer runs: no nightly toolchain (rustup toolchain install nightly)"
  [[ "$FUZZ_REQUIRED" == 1 ]] && exit 1
  exit 0
fi

echo "==> fuzz_quick: libFuzzer, ${FUZZ_SECONDS}s per target, two at a time: ${TARGETS[*]}"
t0=$SECONDS
cargo +nightly fuzz build --fuzz-dir fuzz --target-dir fuzz/target -O --debug-assertions
echo "    fuzz build took $((SECONDS - t0)) s"
t0=$SECONDS

# fuzz_one TARGET: runs one target, its log in fuzz/artifacts/TARGET/last.log.
fuzz_one() {
  local t="$1" seeds=()
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  [[ -d "fuzz/regressions/$t" ]] && seeds+=("fuzz/regressions/$t")
  [[ -d "fuzz/seeds/$t" ]] && seeds+=("fuzz/seeds/$t")
  cargo +nightly fuzz run --fuzz-dir fuzz --target-dir fuzz/target -O --debug-assertions "$t" "fuzz/corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 >"fuzz/artifacts/$t/last.log" 2>&1
}

failed=()
for ((i = 0; i < ${#TARGETS[@]}; i += 2)); do
  pair=("${TARGETS[@]:i:2}")
  pids=()
  for t in "${pair[@]}"; do
    fuzz_one "$t" &
    pids+=($!)
  done
  for j in "${!pair[@]}"; do
    t="${pair[$j]}"
    if wait "${pids[$j]}"; then
      runs=$(grep -m1 '^stat::number_of_executed_units' "fuzz/artifacts/$t/last.log" | awk '{print $2}')
      echo "--- $t: ok, ${runs:-?} runs in ${FUZZ_SECONDS}s"
    else
      echo "--- $t: FAILED; input saved in fuzz/artifacts/$t/ (crash-*/timeout-*/oom-*):"
      grep -E 'panicked|ERROR|SUMMARY|Test unit written' "fuzz/artifacts/$t/last.log" | head -n 8 | sed 's/^/    /'
      failed+=("$t")
    fi
  done
done
echo "--> libFuzzer runs took $((SECONDS - t0)) s"
if ((${#failed[@]})); then
  echo "--> FAIL fuzz targets: ${failed[*]}"
  exit 1
fi
echo "--> PASS all ${#TARGETS[@]} fuzz targets"
