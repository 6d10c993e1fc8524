#!/usr/bin/env node
// Search budget: bytes and time one query costs in a real browser (headless Debian Chromium via
// playwright-core), for cchc's own search page and for Pagefind (JS API and default UI) on the
// Hugo output. Part of bench/run.sh; not a test.
//
//   node measure_search.mjs --cchc DIR --pagefind DIR --queries 'cải cách|hành chính' \
//        [--repeat 3] [--results 10] [--json out.json]
//
// Each measurement uses a fresh browser context (empty cache), serves the directory from a tiny
// static server on 127.0.0.1 (no compression, like a plain file server), and sums the response
// bodies of every request the page makes until the first page of results is on screen (then
// waits for the network to go idle, so late requests are counted too).
//   cchc:          GET /tim-kiem/index.html?q=QUERY; done when #search-status has its final text
//                  (set after the first 10 results are in #search-results).
//   pagefind-api:  a 1-line harness page (served from memory, counted separately as "page"),
//                  import('/pagefind/pagefind.js'), init(), search(q), data() of the first
//                  --results hits (cchc shows 10 per page).
//   pagefind-ui:   harness page with Pagefind's default UI (pagefind-ui.js/css), triggerSearch(q),
//                  done when the first .pagefind-ui__result appears and the network is idle.
// Time to first results = performance.now() (ms since navigation start) when the results are
// rendered (cchc, UI) or their data resolved (API).

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
function opt(name, def) {
  const i = args.indexOf('--' + name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
}
const cchcDir = opt('cchc', null);
const pfDir = opt('pagefind', null);
const queries = (opt('queries', 'cải cách|hành chính') || '').split('|').map((q) => q.trim()).filter(Boolean);
const repeat = Math.max(1, Math.min(20, parseInt(opt('repeat', '3'), 10) || 3));
const nResults = parseInt(opt('results', '10'), 10) || 10;
const jsonOut = opt('json', null);
const TIMEOUT_MS = parseInt(opt('timeout-ms', '60000'), 10);
const withUnaccented = opt('unaccented', 'cchc'); // cchc | all | none

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.xml': 'application/xml', '.ics': 'text/calendar; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
};

const HARNESS = {
  '/__bench/pf-api.html': `<!doctype html><html lang="vi"><meta charset="utf-8"><title>pf api</title><script type="module">
const q = new URLSearchParams(location.search).get('q');
try {
  const pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const s = await pf.search(q);
  const data = await Promise.all(s.results.slice(0, ${nResults}).map((r) => r.data()));
  window.__bench = { done: true, tFirst: performance.now(), results: s.results.length, shown: data.length,
    first: data[0] ? data[0].meta.title : null };
} catch (e) { window.__bench = { done: true, error: String(e && e.stack || e) }; }
</script></html>`,
  '/__bench/pf-ui.html': `<!doctype html><html lang="vi"><meta charset="utf-8"><title>pf ui</title>
<link href="/pagefind/pagefind-ui.css" rel="stylesheet"><script src="/pagefind/pagefind-ui.js"></script>
<div id="search"></div><script>
window.addEventListener('DOMContentLoaded', () => {
  const q = new URLSearchParams(location.search).get('q');
  const ui = new PagefindUI({ element: '#search', showSubResults: false, debounceTimeoutMs: 0 });
  const mark = () => {
    const li = document.querySelector('.pagefind-ui__result');
    const msg = document.querySelector('.pagefind-ui__message');
    if (li || (msg && /no results|không tìm thấy|^\s*0 /i.test(msg.textContent))) {
      if (!window.__bench) window.__bench = { done: true, tFirst: performance.now() };
      window.__bench.message = msg ? msg.textContent : null;
      window.__bench.shown = document.querySelectorAll('.pagefind-ui__result').length;
    }
  };
  new MutationObserver(mark).observe(document.body, { childList: true, subtree: true, characterData: true });
  ui.triggerSearch(q);
});
</script></html>`,
};

// Installed in every cchc page before its scripts: records when results are on screen.
const CCHC_INIT = `(() => {
  const mark = () => {
    const status = document.getElementById('search-status');
    const list = document.getElementById('search-results');
    if (!status || !list) return;
    const t = status.textContent.trim();
    const li = list.querySelector('li');
    if (li && !window.__bench_first) window.__bench_first = performance.now();
    if (t && t !== 'Đang tải…' && !(window.__bench && window.__bench.done)) {
      window.__bench = { done: true, tFirst: window.__bench_first || performance.now(), status: t,
        shown: list.querySelectorAll('li').length };
    }
  };
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(mark).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
})();`;

function serve(root) {
  const server = http.createServer((req, res) => {
    let p;
    try { p = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400).end(); return; }
    if (HARNESS[p]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(HARNESS[p]);
      return;
    }
    let f = path.join(root, path.normalize(p).replace(/^(\.\.[/\\])+/, ''));
    if (!f.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      if (fs.statSync(f).isDirectory()) f = path.join(f, 'index.html');
      const body = fs.readFileSync(f);
      res.writeHead(200, { 'content-type': MIME[path.extname(f)] || 'application/octet-stream',
        'content-length': body.length });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function category(system, p) {
  if (system === 'cchc') {
    if (p === '/static/search.js') return 'code';
    if (p.startsWith('/tim-kiem/index/s/')) return 'index';
    if (p.startsWith('/tim-kiem/index/f/')) return 'fragments';
    if (p.startsWith('/tim-kiem/index/')) return 'meta';
    if (p.startsWith('/tim-kiem/')) return 'page';
    return 'chrome';
  }
  if (p.startsWith('/__bench/')) return 'page';
  if (/\.pf_index$/.test(p)) return 'index';
  if (/\.pf_fragment$/.test(p)) return 'fragments';
  if (/\.pf_meta$|pagefind-entry\.json$/.test(p)) return 'meta';
  if (/wasm\.[^/]*\.pagefind$/.test(p)) return 'wasm';
  if (/\.(js|css)$/.test(p)) return 'code';
  return 'other';
}

const SEARCH_CATS = ['code', 'wasm', 'meta', 'index', 'fragments'];

async function measureOnce(browser, system, base, query) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  if (system === 'cchc') await page.addInitScript(CCHC_INIT);
  const reqs = [];
  const pending = [];
  page.on('requestfinished', (request) => {
    pending.push((async () => {
      const resp = await request.response();
      let body = Buffer.alloc(0);
      try { body = await resp.body(); } catch { /* redirects etc. */ }
      const p = decodeURIComponent(new URL(request.url()).pathname);
      const gz = body.length ? Math.min(body.length, zlib.gzipSync(body, { level: 6 }).length) : 0;
      reqs.push({ path: p, status: resp.status(), bytes: body.length, gzip: gz, cat: category(system, p) });
    })());
  });
  page.on('requestfailed', (request) => reqs.push({ path: request.url(), failed: request.failure()?.errorText }));
  const url = system === 'cchc' ? `${base}/tim-kiem/index.html?q=${encodeURIComponent(query)}`
    : system === 'pagefind-api' ? `${base}/__bench/pf-api.html?q=${encodeURIComponent(query)}`
      : `${base}/__bench/pf-ui.html?q=${encodeURIComponent(query)}`;
  let info = null;
  let error = null;
  try {
    await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
    await page.waitForFunction(() => window.__bench && window.__bench.done, null, { timeout: TIMEOUT_MS, polling: 50 });
    await page.waitForLoadState('networkidle', { timeout: TIMEOUT_MS });
    info = await page.evaluate(() => {
      // When the page itself was ready (DOMContentLoaded handlers done; deferred scripts have
      // run): first results minus this is the search's own time, without the page load.
      const nav = performance.getEntriesByType('navigation')[0];
      return { ...window.__bench, tReady: nav ? nav.domContentLoadedEventEnd : null };
    });
    if (info && info.error) error = info.error;
  } catch (e) {
    error = String(e.message || e).split('\n')[0];
  }
  await Promise.all(pending);
  await context.close();
  const by = {};
  let total = 0; let gzip = 0; let search = 0; let searchGz = 0;
  for (const r of reqs) {
    if (r.failed) continue;
    by[r.cat] = (by[r.cat] || 0) + r.bytes;
    total += r.bytes; gzip += r.gzip;
    if (SEARCH_CATS.includes(r.cat)) { search += r.bytes; searchGz += r.gzip; }
  }
  const failed = reqs.filter((r) => r.failed || r.status >= 400);
  return { system, query, error, info, total, gzip, search, searchGz, by, requests: reqs.length,
    failed: failed.map((r) => `${r.path} ${r.failed || r.status}`), paths: reqs.map((r) => `${r.cat} ${r.bytes} ${r.path}`) };
}

function median(xs) {
  const s = xs.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function fold(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

async function main() {
  if (!cchcDir && !pfDir) {
    console.error('usage: measure_search.mjs --cchc DIR --pagefind DIR --queries "q1|q2" [--repeat N] [--json F]');
    process.exit(2);
  }
  const servers = [];
  const jobs = [];
  if (cchcDir) {
    const s = await serve(path.resolve(cchcDir)); servers.push(s);
    const base = `http://127.0.0.1:${s.address().port}`;
    for (const q of queries) {
      jobs.push(['cchc', base, q]);
      if (withUnaccented !== 'none' && fold(q) !== q) jobs.push(['cchc', base, fold(q)]);
    }
  }
  if (pfDir) {
    const s = await serve(path.resolve(pfDir)); servers.push(s);
    const base = `http://127.0.0.1:${s.address().port}`;
    for (const q of queries) {
      jobs.push(['pagefind-api', base, q]);
      if (withUnaccented === 'all' && fold(q) !== q) jobs.push(['pagefind-api', base, fold(q)]);
      jobs.push(['pagefind-ui', base, q]);
    }
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const out = { chromium: browser.version(), repeat, results: [] };
  try {
    for (const [system, base, q] of jobs) {
      const runs = [];
      for (let i = 0; i < repeat; i++) runs.push(await measureOnce(browser, system, base, q));
      const first = runs[0];
      const row = {
        system, query: q, error: runs.map((r) => r.error).find(Boolean) || null,
        t_first_ms: median(runs.map((r) => (r.info && !r.error ? r.info.tFirst : NaN))),
        t_search_ms: median(runs.map((r) => (r.info && !r.error && r.info.tReady != null ? r.info.tFirst - r.info.tReady : NaN))),
        bytes_total: first.total, gzip_total: first.gzip, bytes_search: first.search, gzip_search: first.searchGz,
        by: first.by, requests: first.requests, failed: first.failed,
        bytes_stable: runs.every((r) => r.total === first.total),
        status: first.info && (first.info.status || first.info.message || (first.info.results !== undefined ? `${first.info.results} results` : null)),
        shown: first.info && first.info.shown, paths: first.paths,
      };
      out.results.push(row);
      const kb = (n) => (n / 1024).toFixed(1);
      console.error(`  ${system.padEnd(12)} ${JSON.stringify(q).padEnd(20)} search ${kb(row.bytes_search).padStart(7)} KiB ` +
        `(total ${kb(row.bytes_total)} KiB, ${row.requests} req) first results ${row.t_first_ms === null ? '-' : row.t_first_ms.toFixed(0)} ms` +
        `${row.error ? '  ERROR ' + row.error : ''}  [${row.status || ''}]`);
    }
  } finally {
    await browser.close();
    for (const s of servers) s.close();
  }
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(out, null, 1));
  else console.log(JSON.stringify(out, null, 1));
}

main().catch((e) => { console.error(e); process.exit(1); });
