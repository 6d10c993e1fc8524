// Relevance of search.js on real builds: every case of tests/search_relevance.json must put
// its page first (top 1) or among the first three (top 3). The Rust ranking is held to the
// same list by tests/search_relevance.rs.
//
// Run from the crate root, after `cargo build --release`:
//   node tests/search_relevance.mjs                  # builds both sites into a temp dir
//   node tests/search_relevance.mjs EXAMPLE_OUT GEN1K_OUT   # already built output folders
// GEN_CORPUS overrides the path of gen_corpus.py (default ../shared/bench/gen_corpus.py).
// Prints every failing case, exits non-zero if any.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const crateRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cases = JSON.parse(fs.readFileSync(path.join(crateRoot, 'tests/search_relevance.json'), 'utf8'));

// The script as the build ships it (minified by src/render/assets.rs), so the list also holds
// the minifier to the same behaviour as the source that tests/search_js_test.mjs checks.
function loadSearchJs(siteOut) {
  const file = path.join(siteOut, 'static/search.js');
  const module = { exports: {} };
  vm.runInThisContext(`(function (module) {${fs.readFileSync(file, 'utf8')}\n})`, { filename: file })(module);
  return module.exports;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: crateRoot, stdio: ['ignore', 'ignore', 'inherit'], ...opts });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed`);
}

function build(root, out) {
  run(path.join(crateRoot, 'target/release/cchc'), ['build', '--root', root, '--out', out, '-q', '--today', '2026-11-23']);
}

function builtSites() {
  if (process.argv[3]) return { example: process.argv[2], gen1k: process.argv[3] };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-relevance-'));
  const gen = process.env.GEN_CORPUS || path.join(crateRoot, '../shared/bench/gen_corpus.py');
  run('python3', [gen, '--docs', '1000', '--format', 'native', '--seed', '1', '--out', path.join(tmp, 'gen1k')]);
  build(crateRoot, path.join(tmp, 'example-out'));
  build(path.join(tmp, 'gen1k'), path.join(tmp, 'gen1k-out'));
  return { example: path.join(tmp, 'example-out'), gen1k: path.join(tmp, 'gen1k-out') };
}

function diskLoader(dir) {
  const base = path.join(dir, 'tim-kiem/index');
  return {
    async bytes(p) {
      const data = fs.readFileSync(path.join(base, p));
      return new Uint8Array(data.buffer, data.byteOffset, data.length);
    },
    async json(p) {
      return JSON.parse(fs.readFileSync(path.join(base, p), 'utf8'));
    },
  };
}

const sites = builtSites();
const api = loadSearchJs(sites.example);
assert.ok(
  fs.statSync(path.join(sites.example, 'static/search.js')).size <
    fs.statSync(path.join(crateRoot, 'themes/default/static/search.js')).size,
  'the shipped search.js is minified',
);
let failures = 0;
let total = 0;
for (const [site, list] of Object.entries(cases)) {
  if (!Array.isArray(list)) continue;
  const searcher = new api.Searcher(diskLoader(sites[site]));
  for (const c of list) {
    total++;
    const res = await searcher.search(c.q);
    const rows = await searcher.fragments(res.ids.slice(0, c.top));
    const hit = rows.some((r) => (c.url ? r.url === c.url : r.title === c.title));
    if (!hit) {
      failures++;
      const top = await searcher.fragments(res.ids.slice(0, 3));
      console.error(`not ok - ${site}: ${JSON.stringify(c.q)} wants ${c.url || c.title} in top ${c.top}; got:`);
      top.forEach((r, i) => console.error(`    ${i + 1}. ${r.url} (${r.title.slice(0, 70)})`));
    } else {
      console.log(`ok - ${site}: ${JSON.stringify(c.q)}`);
    }
  }
}
console.log(`${total - failures}/${total} relevance cases pass`);
process.exit(failures ? 1 : 0);
