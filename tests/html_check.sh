#!/usr/bin/env bash
# Nu HTML checker (vnu.jar from npm `vnu-jar`) over every .html file under a directory,
# in one JVM, errors only. Exit 0 when there are none, 1 on any error or when the
# directory holds no .html file (an empty check proves nothing), 2 on bad usage or a
# missing tool (java, or tests/browser/node_modules: run `npm ci` there first).
#
# Usage: bash tests/html_check.sh <dir>
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-}"
if [[ -z "$dir" || ! -d "$dir" ]]; then
  echo "usage: bash tests/html_check.sh <dir>  (got '${dir}')" >&2
  exit 2
fi
jar="$repo/tests/browser/node_modules/vnu-jar/build/dist/vnu.jar"
if [[ ! -f "$jar" ]]; then
  echo "html_check: $jar missing; run 'npm ci --ignore-scripts' in tests/browser" >&2
  exit 2
fi
if ! command -v java >/dev/null; then
  echo "html_check: java not found (Debian: apt-get install default-jre-headless)" >&2
  exit 2
fi

count="$(find "$dir" -type f -name '*.html' | wc -l)"
if [[ "$count" -eq 0 ]]; then
  echo "html_check: no .html files under $dir" >&2
  exit 1
fi
echo "html_check: vnu $(java -jar "$jar" --version) on $count .html files under $dir"
# A directory argument makes vnu walk it itself: one JVM however many files, no argv limit.
# -Xss: the checker recurses deeply on long documents (its README suggests a larger stack).
if java -Xss1024k -jar "$jar" --errors-only --skip-non-html --format gnu "$dir"; then
  echo "html_check: $count files, 0 errors"
else
  echo "html_check: errors above (file:line.col-line.col: error: message)" >&2
  exit 1
fi
