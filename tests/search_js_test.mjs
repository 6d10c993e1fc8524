// Tests themes/default/static/search.js (decoder, tokenizer, ranking, snippets) against an
// index written by the Rust side, and checks that JS ranks exactly like the Rust mirror in
// src/render/search/tests.rs (expected.json).
//
// Run from the crate root:
//   node tests/search_js_test.mjs            # builds the fixture with cargo into a temp dir
//   node tests/search_js_test.mjs DIR        # uses a fixture already written by:
//   CCHC_SEARCH_FIXTURE=DIR cargo test --release --lib write_search_fixture -- --ignored
// Exits non-zero on the first failure.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import zlib from 'node:zlib';

const crateRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Loads search.js as a plain script (whatever package.json says about modules), handing it a
 * `module` object to fill; it runs in this realm so deepEqual sees ordinary arrays.
 */
function loadSearchJs() {
  const file = path.join(crateRoot, 'themes/default/static/search.js');
  const module = { exports: {} };
  const source = `(function (module) {${fs.readFileSync(file, 'utf8')}\n})`;
  vm.runInThisContext(source, { filename: file })(module);
  return module.exports;
}

function fixtureDir() {
  const given = process.argv[2] || process.env.CCHC_SEARCH_FIXTURE;
  if (given) return given;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-search-'));
  // --release: tests/run.sh has just built the release profile; a debug build would compile
  // every dependency again.
  const run = spawnSync('cargo', ['test', '--release', '--lib', 'write_search_fixture', '--', '--ignored'], {
    cwd: crateRoot,
    env: { ...process.env, CCHC_SEARCH_FIXTURE: dir },
    stdio: 'inherit',
  });
  assert.equal(run.status, 0, 'cargo test write_search_fixture failed');
  return dir;
}

/** A loader over the fixture directory that counts bytes, like the browser loader. */
function diskLoader(dir) {
  const base = path.join(dir, 'tim-kiem/index');
  const loader = {
    fetched: [],
    bytesFetched: 0,
    async bytes(p) {
      const data = fs.readFileSync(path.join(base, p));
      loader.fetched.push(p);
      loader.bytesFetched += data.length;
      return new Uint8Array(data.buffer, data.byteOffset, data.length);
    },
    async json(p) {
      const data = await loader.bytes(p);
      return JSON.parse(Buffer.from(data).toString('utf8'));
    },
  };
  return loader;
}

const api = loadSearchJs();
const dir = fixtureDir();
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
let passed = 0;

function test(name, fn) {
  return Promise.resolve()
    .then(fn)
    .then(() => { passed++; console.log(`ok - ${name}`); })
    .catch((err) => { console.error(`not ok - ${name}`); console.error(err); process.exit(1); });
}

async function urls(searcher, query) {
  const res = await searcher.search(query);
  const rows = await searcher.fragments(res.ids);
  return rows.map((r) => r.url);
}

await test('fold and tokenize like the Rust side', () => {
  assert.equal(api.foldWord('ĐỒNG'), 'dong');
  assert.equal(api.foldWord('Cải'), 'cai');
  const runs = api.tokenize('Sở Nội vụ. Số 272/KH-UBND; Đồng Nai');
  assert.deepEqual(runs.map((r) => r.map((s) => s.folded)), [
    ['so', 'noi', 'vu'], ['so', '272', 'kh', 'ubnd'], ['dong', 'nai'],
  ]);
  assert.equal(runs[0][0].accented, 'sở');
  assert.equal(runs[1][1].accented, null);
  // NFD input folds and keeps its accented form in NFC.
  assert.equal(api.tokenize('Đo\u0302\u0300ng')[0][0].accented, 'đồng');
  const q = api.parseQuery('cải cách cải cách');
  assert.deepEqual(q.unigrams.map((u) => u.folded), ['cai', 'cach']);
  assert.deepEqual(q.bigrams, ['cai cach', 'cach cai']);
});

await test('fnv1a matches reference vectors', () => {
  assert.equal(api.fnv1a(''), 0x811c9dc5);
  assert.equal(api.fnv1a('a'), 0xe40c292c);
  assert.equal(api.fnv1a('foobar'), 0xbf9cf968);
});

await test('rankings equal the Rust mirror for every fixture query', async () => {
  const searcher = new api.Searcher(diskLoader(dir));
  for (const [query, want] of Object.entries(expected)) {
    assert.deepEqual(await urls(searcher, query), want, `query ${JSON.stringify(query)}`);
  }
});

await test('diacritics, phrases and exact accents', async () => {
  const searcher = new api.Searcher(diskLoader(dir));
  const folded = await urls(searcher, 'cai cach hanh chinh');
  assert.ok(folded.includes('van-ban/kh-2024/') && folded.includes('van-ban/kh-2019/'));
  assert.equal((await urls(searcher, 'dong nai'))[0], 'don-vi/ubnd-dong-nai/');
  const accented = await urls(searcher, 'cải cách hành chính');
  assert.equal(accented[0], 'van-ban/kh-2024/');
  assert.ok(accented.indexOf('van-ban/kh-2024/#nv-4') > accented.indexOf('van-ban/kh-2019/'),
    'phrase (even unaccented) above scattered syllables');
  const ban = await urls(searcher, 'bản');
  assert.ok(ban.indexOf('van-ban/kh-2024/#nv-2') < ban.indexOf('van-ban/kh-2024/#nv-1'));
  const res = await searcher.search('pháp xyzzy');
  assert.equal(res.partial, true);
  assert.match(api.statusText(res, 'pháp xyzzy'), /gần đúng/);
  assert.equal(api.statusText({ total: 0 }, 'x'), 'Không tìm thấy kết quả cho “x”.');
  assert.equal(api.statusText({ total: 12 }, 'x'), 'Tìm thấy 12 kết quả cho “x”.');
});

await test('kinds are counted and filtered, typos corrected', async () => {
  const searcher = new api.Searcher(diskLoader(dir));
  const all = await searcher.search('cải cách');
  const meta = await searcher.init();
  const rows = await searcher.fragments(all.ids);
  const byKind = meta.kinds.map((name) => rows.filter((r) => r.kind === name).length);
  assert.deepEqual(all.counts, byKind, 'counts per kind match the fragments');
  assert.equal(all.counts.reduce((a, b) => a + b, 0), all.total);
  const unit = meta.kinds.indexOf('Đơn vị');
  const units = await searcher.search('cải cách', { kind: unit });
  const unitRows = await searcher.fragments(units.ids);
  assert.ok(unitRows.length > 0 && unitRows.every((r) => r.kind === 'Đơn vị'), JSON.stringify(unitRows));
  assert.deepEqual(units.counts, all.counts, 'counts stay those of every kind');
  assert.match(api.statusText(all, 'cải cách', meta.kinds), /: \d+ nhiệm vụ, \d+ văn bản, \d+ đơn vị\.$/);
  const typo = await searcher.search('cai cach hanh chinhh');
  assert.equal(typo.corrected, true);
  assert.deepEqual(typo.ids, (await searcher.search('cai cach hanh chinh')).ids);
  assert.match(api.statusText(typo, 'cai cach hanh chinhh', meta.kinds), /sửa lỗi gõ: tìm “cai cach hanh chinh”/);
  assert.ok(api.oneEdit('thapp', 'thap') && api.oneEdit('thnog', 'thong') && !api.oneEdit('thap', 'thao'));
  // Typed with marks, only the exact spelling is highlighted.
  const segs = api.highlightSegments('Sở Tư pháp, số liệu', ['so'], { so: 'sở' });
  assert.deepEqual(segs.filter((x) => x.hit).map((x) => x.text), ['Sở']);
});

await test('only the needed shards and fragments are fetched', async () => {
  const loader = diskLoader(dir);
  const searcher = new api.Searcher(loader);
  const res = await searcher.search('dong nai');
  await searcher.fragments(res.ids.slice(0, api.PAGE_SIZE));
  const shards = loader.fetched.filter((p) => p.startsWith('s/'));
  assert.ok(shards.length <= 3, `fetched ${shards}`);
  assert.equal(loader.fetched[0], 'meta.json');
  const again = loader.fetched.length;
  await searcher.search('dong nai');
  assert.equal(loader.fetched.length, again, 'shards are cached');
});

await test('fragment files are gzip, and read as well when the host already unzipped them', async () => {
  const files = fs.readdirSync(path.join(dir, 'tim-kiem/index/f'));
  assert.ok(files.length > 0 && files.every((f) => f.endsWith('.json.gz')), `fragment files ${files}`);
  const gz = fs.readFileSync(path.join(dir, 'tim-kiem/index/f', files[0]));
  assert.deepEqual([...gz.subarray(0, 2)], [0x1f, 0x8b]);
  const rows = await api.gunzipJson(new Uint8Array(gz));
  assert.ok(Array.isArray(rows) && rows.length > 0 && typeof rows[0][0] === 'string');
  // Content-Encoding: gzip on a .gz file: the browser hands over the JSON itself.
  const plain = zlib.gunzipSync(gz);
  assert.deepEqual(await api.gunzipJson(new Uint8Array(plain)), rows);
  // Every result on a page has its row: url, title, kind.
  const searcher = new api.Searcher(diskLoader(dir));
  const res = await searcher.search('cai cach');
  const shown = await searcher.fragments(res.ids.slice(0, api.PAGE_SIZE));
  assert.ok(shown.length > 0 && shown.every((r) => r.url && r.title && r.kind), JSON.stringify(shown));
});

await test('snippets highlight folded matches', () => {
  const segs = api.highlightSegments('Tỉnh Đồng Nai, đồng bộ.', ['dong', 'nai']);
  assert.deepEqual(segs.filter((s) => s.hit).map((s) => s.text), ['Đồng', 'Nai', 'đồng']);
  assert.equal(segs.map((s) => s.text).join(''), 'Tỉnh Đồng Nai, đồng bộ.');
  const long = 'mở đầu '.repeat(60) + 'Đồng Nai ' + 'kết thúc '.repeat(60);
  const snip = api.snippetText(long, ['nai']);
  assert.ok(snip.startsWith('…') && snip.endsWith('…') && snip.includes('Đồng Nai'), snip);
  assert.ok(Array.from(snip).length <= 222);
  assert.equal(api.snippetText('ngắn', ['x']), 'ngắn');
});

await test('results group by kind, best-ranked kind first, a few of each', async () => {
  const kindOf = (d) => (d < 10 ? 0 : d < 20 ? 1 : 2);
  // Rank order: a task first, then documents and a unit.
  const groups = api.groupByKind([12, 3, 15, 21, 4, 13, 5, 6, 7, 14, 16], kindOf, 4);
  assert.deepEqual(groups, [
    { kind: 1, ids: [12, 15, 13, 14] },
    { kind: 0, ids: [3, 4, 5, 6] },
    { kind: 2, ids: [21] },
  ]);
  // On the fixture: every id of a group has the group's kind, groups keep rank order.
  const searcher = new api.Searcher(diskLoader(dir));
  const res = await searcher.search('so noi vu');
  const meta = searcher.meta;
  const ends = [];
  let end = 0;
  (meta.runs || []).forEach((r) => { end += r[1]; ends.push([end, r[0]]); });
  const kindOfFixture = (d) => ends.find((e) => d < e[0])[1];
  const fixtureGroups = api.groupByKind(res.ids, kindOfFixture, 4);
  assert.ok(fixtureGroups.length >= 1);
  for (const g of fixtureGroups) {
    assert.ok(g.ids.every((d) => kindOfFixture(d) === g.kind));
    const ranks = g.ids.map((d) => res.ids.indexOf(d));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  }
  assert.equal(fixtureGroups[0].ids[0], res.ids[0], 'the best result leads the first group');
});

console.log(`${passed} passed (fixture ${dir})`);
